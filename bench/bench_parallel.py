"""Parallel grading throughput: ``grade --workers 2`` with the sandbox on vs plain serial ``nbgrader autograde``.

40 real submissions: the gradable sample submissions of autograder/examples/search/ (those bench_grading.py
times too: no infinite loop, no unreadable or ungradable file), copied under different student ids until there
are 40. Figures:

* ``plain serial``: nbgrader's default pipeline (no trusted verdicts, no jail), one ``autograde`` after the
  other in one process: wall time and median seconds per submission;
* ``parallel``: ``python -m autograder grade --workers 2`` on the course as configured (trusted verdicts,
  bwrap jail): wall time; throughput ratio plain / parallel (goal >= 1.8 on 2 cores);
* the sandbox's overhead per submission: median ``autograde`` time of the course's pipeline with the jail
  minus without it, on a sample graded serially, alternating;
* 1000 submissions on 2 cores, projected from the parallel run (goal <= 10 min).

    python bench/bench_parallel.py [--submissions 40] [--workers 2] [--overhead-sample 8]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from bench_grading import SKIP, released_course  # noqa: E402

from autograder import cli  # noqa: E402


def make_course(root: str, kind: str, n: int) -> tuple[str, list[str]]:
    course = released_course(root, kind)
    examples = os.path.join(cli.HERE, "examples", "search")
    variants = [name for name in sorted(os.listdir(examples))
                if name.endswith("_search.ipynb") and name.split("_", 1)[0] not in SKIP]
    students = []
    for i in range(n):
        name = variants[i % len(variants)]
        student = f"s{i:03d}-{name.split('_', 1)[0]}"
        folder = os.path.join(course, "submitted", student, "search")
        os.makedirs(folder)
        shutil.copy(os.path.join(examples, name), os.path.join(folder, "search.ipynb"))
        students.append(student)
    return course, students


def _spin(seconds: float) -> float:
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        pass
    return time.process_time()


def cores_available(n: int, seconds: float = 3.0) -> float:
    """How many cores ``n`` busy processes get right now (the machine is shared): CPU seconds / wall."""
    import multiprocessing

    with multiprocessing.get_context("spawn").Pool(n) as pool:
        return sum(pool.map(_spin, [seconds] * n)) / seconds


def serial(course: str, students: list[str]) -> tuple[float, list[float]]:
    nbapi = cli.api(course)
    each = []
    start = time.perf_counter()
    for student in students:
        t = time.perf_counter()
        result = nbapi.autograde("search", student, force=True, create=True)
        each.append(time.perf_counter() - t)
        if not result["success"]:
            print(f"{course} {student}: autograde failed", file=sys.stderr)
    return time.perf_counter() - start, each


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--submissions", type=int, default=40)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--overhead-sample", type=int, default=8)
    args = parser.parse_args(argv)
    cli.quiet_warnings()
    root = tempfile.mkdtemp(prefix="bench-parallel-")
    try:
        plain, students = make_course(root, "plain", args.submissions)
        course, _ = make_course(root, "course", args.submissions)
        before = cores_available(args.workers)
        print(f"{len(students)} submissions, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}",
              flush=True)

        plain_wall, plain_each = serial(plain, students)
        print(f"plain serial nbgrader autograde: {plain_wall:.1f} s wall, median {statistics.median(plain_each):.2f} "
              f"s per submission", flush=True)

        start = time.perf_counter()
        rows = cli.grade(course, "search", progress=False, workers=args.workers)
        par_wall = time.perf_counter() - start
        print(f"parallel (--workers {args.workers}, sandbox on): {par_wall:.1f} s wall, {par_wall / len(students):.2f} "
              f"s per submission", flush=True)
        by_variant = {}
        for row in rows:
            by_variant.setdefault(row["student"].split("-", 1)[1], set()).add((row["score"], row["status"]))
        consistent = all(len(v) == 1 for v in by_variant.values())

        sample = students[:args.overhead_sample]
        jail, no_jail = [], []
        bare, _ = make_course(root, "verdicts", args.overhead_sample)
        apis = {"course": cli.api(course), "verdicts": cli.api(bare)}
        bare_students = sorted(os.listdir(os.path.join(bare, "submitted")))
        for i, (student, other) in enumerate(zip(sample, bare_students)):
            pairs = [("course", student, jail), ("verdicts", other, no_jail)]
            for kind, who, bucket in pairs if i % 2 == 0 else pairs[::-1]:
                t = time.perf_counter()
                apis[kind].autograde("search", who, force=True, create=True)
                bucket.append(time.perf_counter() - t)
        overhead = statistics.median(jail) - statistics.median(no_jail)

        ratio = plain_wall / par_wall
        projected = par_wall / len(students) * 1000 / 60
        print(f"\nmedian s per submission, serial: plain {statistics.median(plain_each):.2f}; course without jail "
              f"{statistics.median(no_jail):.2f}; course with jail {statistics.median(jail):.2f}")
        print(f"sandbox overhead per submission: {overhead:+.2f} s (median with jail - without, n={len(sample)}; "
              f"ratio {statistics.median(jail) / statistics.median(no_jail):.2f})")
        print(f"throughput parallel (--workers {args.workers}, sandbox) / plain serial: {ratio:.2f}x  "
              f"(goal >= 1.8: {'OK' if ratio >= 1.8 else 'UNDER'})")
        print(f"1000 submissions on {args.workers} workers, projected: {projected:.1f} min  "
              f"(goal <= 10: {'OK' if projected <= 10 else 'OVER'})")
        print(f"scores identical across copies of each variant: {consistent}")
        after = cores_available(args.workers)
        print(f"cores this run could get (CPU time of {args.workers} spinning processes / wall, before and "
              f"after): {before:.2f}, {after:.2f} of {os.cpu_count()}; the ratios above scale with it")
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
