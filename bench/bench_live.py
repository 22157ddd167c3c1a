"""Benchmark of the live face: how long a student's "Run All" of each chapter takes in a fresh kernel.

    python bench/bench_live.py [--repeats 1] [chapter names, e.g. 01 07]

Each chapter is read as JupyterLab opens it (jupytext, the MyST .md as a notebook) and executed
with nbclient in a fresh kernel in the chapter's folder, exactly as a live kernel runs it: the
environment of the book build (which asks the demos for their static version) is NOT set. The time
includes the kernel's start. Prints the median per chapter and the total. Not part of pytest.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_all(path: Path) -> float:
    import jupytext
    from nbclient import NotebookClient

    nb = jupytext.read(path)
    os.environ.pop("DEMOS_STATIC", None)  # the kernel inherits this environment: a live one, not the book's
    t0 = time.perf_counter()
    NotebookClient(nb, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    return time.perf_counter() - t0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("chapters", nargs="*", help="chapter number prefixes (default: all)")
    args = parser.parse_args()
    paths = sorted((ROOT / "book").glob("[0-9][0-9]-*.md"))
    if args.chapters:
        paths = [p for p in paths if any(p.name.startswith(c) for c in args.chapters)]
    total = 0.0
    for path in paths:
        times = [run_all(path) for _ in range(args.repeats)]
        median = statistics.median(times)
        total += median
        print(f"{path.name:32s} Run All {median:6.1f} s", flush=True)
    print(f"{'total':32s} Run All {total:6.1f} s   (load average {os.getloadavg()[0]:.1f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
