"""Grading time per submission: trusted verdicts vs plain ``nbgrader autograde`` on the same notebooks.

Two course dirs get the same release and the same sample submissions (autograder/examples/search/, minus
the infinite loop, whose cell timeout would dominate, the files that are not notebooks, and the two
submissions plain nbgrader fails on). One uses
the course's nbgrader_config.py (ResilientExecute + TrustedVerdicts + the kernel sandbox); the other the
same file with nbgrader's default preprocessor lists and kernel arguments. Each round grades every
submission once in each course, alternating which course goes first; the figure is the median time of
one ``autograde`` call. Budget: ratio ≤ 1.2.

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


def setup(root: str, plain: bool) -> tuple[str, list[str]]:
    course = os.path.join(root, "plain" if plain else "trusted")
    cli.prepare_course_dir(course)
    if plain:
        with open(os.path.join(course, "nbgrader_config.py"), "a") as handle:
            handle.write(PLAIN)
    cli.release(course, ["search"])
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
        courses = {kind: setup(root, kind == "plain") for kind in ("plain", "trusted")}
        apis = {kind: cli.api(course) for kind, (course, _) in courses.items()}
        students = courses["trusted"][1]
        times = {"plain": [], "trusted": []}
        scores = {"plain": {}, "trusted": {}}
        for round_ in range(args.rounds):
            order = ("plain", "trusted") if round_ % 2 == 0 else ("trusted", "plain")
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
        plain, trusted = statistics.median(times["plain"]), statistics.median(times["trusted"])
        print(f"submissions: {len(students)} x {args.rounds} rounds ({', '.join(students)})")
        print(f"median seconds per submission: plain nbgrader {plain:.2f}  trusted verdicts {trusted:.2f}")
        print(f"ratio trusted/plain: {trusted / plain:.2f}  (budget <= 1.20: {'OK' if trusted / plain <= 1.2 else 'OVER'})")
        print("scores, plain nbgrader / trusted (the hidden cells only probe, so plain nbgrader passes them all): " + ", ".join(
            f"{s} {scores['plain'][s]:g}/{scores['trusted'][s]:g}" for s in students))
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
