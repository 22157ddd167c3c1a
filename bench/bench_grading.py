"""Grading time per submission: trusted verdicts vs plain ``nbgrader autograde`` on the same notebooks.

Three course dirs get the same release and the same sample submissions (autograder/examples/search/, minus
the infinite loop, whose cell timeout would dominate, the files that are not notebooks, and the two
submissions plain nbgrader fails on). Each round grades every
submission once in each course, alternating the order; the figure is the median time of one ``autograde``
call. Three courses: ``plain`` (nbgrader's defaults), ``verdicts`` (the course's pipeline without the
bwrap jail: the cost of trusted verdicts alone) and ``course`` (the course's nbgrader_config.py as is,
jail included). Budget: ratio ≤ 1.2.

    python bench/bench_grading.py [--rounds 3]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time

from autograder import cli

# not timed: the infinite loop (its cell timeout dominates), the files that are not a gradable notebook,
# and the two that plain nbgrader cannot grade at all (a duplicated cell, a dead kernel), whose failed runs
# would be short and flatter the plain median
SKIP = {"infinite-loop", "invalid-json", "renamed", "cells-tampered", "kernel-exit"}
PLAIN = '''
from nbconvert.preprocessors import ClearMetadataPreprocessor
from nbgrader.preprocessors import (AssignLatePenalties, CheckCellMetadata, ClearOutput, DeduplicateIds,
                                    Execute, IgnorePattern, LimitOutput, OverwriteCells, OverwriteKernelspec,
                                    SaveAutoGrades)
c.Autograde.sanitize_preprocessors = [ClearOutput, DeduplicateIds, OverwriteKernelspec, OverwriteCells,
                                      CheckCellMetadata]
c.Autograde.autograde_preprocessors = [Execute, IgnorePattern, ClearMetadataPreprocessor, LimitOutput,
                                       SaveAutoGrades, AssignLatePenalties, CheckCellMetadata]
c.Execute.timeout = 30
'''
# the course's pipeline without the bwrap jail (a plain kernel manager): the cost of the trusted verdicts
NO_JAIL = '''
from jupyter_client.manager import AsyncKernelManager
c.SandboxedExecute.kernel_manager_class = AsyncKernelManager
'''
KINDS = {"plain": PLAIN, "verdicts": NO_JAIL, "course": ""}


def released_course(root: str, kind: str) -> str:
    """A course dir of the given kind (see KINDS) with assignment search released."""
    course = os.path.join(root, kind)
    cli.prepare_course_dir(course)
    with open(os.path.join(course, "nbgrader_config.py"), "a") as handle:
        handle.write(KINDS[kind])
    cli.release(course, ["search"])
    return course


def setup(root: str, kind: str) -> tuple[str, list[str]]:
    course = released_course(root, kind)
    examples = os.path.join(cli.HERE, "examples", "search")
    students = []
    for name in sorted(os.listdir(examples)):
        student = name.split("_", 1)[0]
        if not name.endswith("_search.ipynb") or student in SKIP:
            continue
        folder = os.path.join(course, "submitted", student, "search")
        os.makedirs(folder)
        shutil.copy(os.path.join(examples, name), os.path.join(folder, "search.ipynb"))
        students.append(student)
    return course, students


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    root = tempfile.mkdtemp(prefix="bench-grading-")
    try:
        kinds = list(KINDS)
        courses = {kind: setup(root, kind) for kind in kinds}
        apis = {kind: cli.api(course) for kind, (course, _) in courses.items()}
        students = courses["plain"][1]
        times = {kind: [] for kind in kinds}
        scores = {kind: {} for kind in kinds}
        for round_ in range(args.rounds):
            order = kinds if round_ % 2 == 0 else kinds[::-1]
            for student in students:
                for kind in order:
                    start = time.perf_counter()
                    result = apis[kind].autograde("search", student, force=True, create=True)
                    times[kind].append(time.perf_counter() - start)
                    if not result["success"]:
                        last = (result.get("error") or "").strip().splitlines()[-1:]
                        print(f"{kind} {student}: autograde failed: {last}", file=sys.stderr)
            print(f"round {round_ + 1}/{args.rounds} done", file=sys.stderr)
        for kind, (course, _) in courses.items():
            from nbgrader.api import Gradebook

            with Gradebook(apis[kind].coursedir.db_url) as gb:
                scores[kind] = {s: gb.find_submission("search", s).score for s in students}
        med = {kind: statistics.median(times[kind]) for kind in kinds}
        print(f"submissions: {len(students)} x {args.rounds} rounds ({', '.join(students)})")
        print("median seconds per submission: " + "  ".join(f"{k} {med[k]:.2f}" for k in kinds))
        for kind, label in (("verdicts", "trusted verdicts, no jail"), ("course", "trusted verdicts + bwrap jail")):
            ratio = med[kind] / med["plain"]
            print(f"ratio {label} / plain nbgrader: {ratio:.2f}  (budget <= 1.20: {'OK' if ratio <= 1.2 else 'OVER'})")
        print("scores plain / verdicts / course (the hidden cells only probe, so plain nbgrader passes them all): "
              + ", ".join(f"{s} {'/'.join(format(scores[k][s], 'g') for k in kinds)}" for s in students))
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
