"""The grading sandbox's overhead per notebook: kernel start + run + shutdown of a small notebook, with
nbgrader's ``Execute`` as is vs. the course's ``autograder.execute.SandboxedExecute`` (
bwrap jail, rlimits, ipc transport, throw-away copy of the folder, the next kernel started ahead, the jail
killed at the end). Rounds alternate which goes first; the figures are medians over the rounds.

    python bench/bench_sandbox.py [--rounds 7]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time

import nbformat
from nbformat.v4 import new_code_cell, new_notebook
from nbgrader.preprocessors import Execute

from autograder.execute import SandboxedExecute
from autograder.sandbox import SandboxedKernelManager, _new_userns, discard_spare, sandbox_status

CELLS = [
    "import numpy as np\nimport autograder.probe",
    "x = np.array([1.0, 2.0, 3.0]); y = 2 * x\nw = np.linspace(0, 4, 401)\n"
    "cost = ((x[None, :] * w[:, None] - y) ** 2).mean(axis=1)\nprint(w[cost.argmin()])",
    "def grad(w):\n    return (2 * x * (x * w - y)).mean()\nprint([grad(v) for v in (0.0, 1.0, 2.0)])",
]


def notebook():
    return new_notebook(cells=[new_code_cell(c) for c in CELLS],
                        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                 "language": "python"}})


def time_one(cls, folder: str) -> float:
    ep = cls(timeout=60)
    nb = notebook()
    t0 = time.perf_counter()
    ep.preprocess(nb, {"metadata": {"path": folder}})
    elapsed = time.perf_counter() - t0
    assert "2.0" in "".join(o.get("text", "") for o in nb.cells[1].outputs), nb.cells[1].outputs
    return elapsed


def jail_start(rounds: int = 21) -> tuple[float, float]:
    """Median seconds to run ``/bin/true`` plainly and through the jail (bwrap + the rlimit wrapper)."""
    import subprocess

    km = SandboxedKernelManager()
    km._sb_scratch_size = km.scratch_size
    folder = tempfile.mkdtemp(prefix="bench-jail-")
    plain, jail = [], []
    try:
        for _ in range(rounds):
            t0 = time.perf_counter()
            subprocess.run(["/bin/true"], check=True)
            plain.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            fd = _new_userns(km.jail_host_uid) if os.geteuid() == 0 else None
            argv = km._bwrap_argv(sandbox_status()[1], ["/bin/true"], folder, fd)
            subprocess.run(argv, check=True, pass_fds=(fd,) if fd is not None else ())
            if fd is not None:
                os.close(fd)
            jail.append(time.perf_counter() - t0)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return statistics.median(plain), statistics.median(jail)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    ok, detail = sandbox_status()
    if not ok:
        print(f"bench_sandbox: no sandbox here ({detail})")
        return 1
    folder = tempfile.mkdtemp(prefix="bench-sandbox-")
    nbformat.write(notebook(), os.path.join(folder, "submission.ipynb"))
    plain_cls, jail_cls = Execute, SandboxedExecute
    times = {"plain": [], "sandboxed": []}
    try:
        time_one(plain_cls, folder), time_one(jail_cls, folder)  # warm the file cache
        for i in range(args.rounds):
            order = [("plain", plain_cls), ("sandboxed", jail_cls)]
            for name, cls in order if i % 2 == 0 else order[::-1]:
                times[name].append(time_one(cls, folder))
    finally:
        discard_spare()
        shutil.rmtree(folder, ignore_errors=True)
    plain, jail = statistics.median(times["plain"]), statistics.median(times["sandboxed"])
    km = SandboxedKernelManager()
    true_plain, true_jail = jail_start()
    print(f"sandbox overhead per notebook (kernel start + {len(CELLS)} cells + shutdown), "
          f"median of {args.rounds} rounds, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}")
    print(f"  plain nbgrader Execute   {plain * 1000:8.0f} ms")
    print(f"  sandboxed (bwrap jail)   {jail * 1000:8.0f} ms")
    print(f"  overhead                 {(jail - plain) * 1000:+8.0f} ms   ratio {jail / plain:.2f}")
    print(f"  jail start alone: /bin/true {true_plain * 1000:.1f} ms, through the jail {true_jail * 1000:.1f} ms "
          f"(median of 21)")
    print(f"  limits: memory {km.memory_limit >> 20} MiB, cpu {km.cpu_time_limit} s, wall {km.wall_time_limit} s, "
          f"processes {km.max_processes}; grader uid {os.geteuid()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
