"""Benchmark of the book: cold build, warm rebuild, site size, and demo redraw time.

    python bench/bench_book.py [--warm-repeats 3] [--changes 50] [--keep]

Builds a snapshot of the working tree (git's tracked and untracked files) in a fresh temporary
folder, so the cold build really starts with no HTML and no execution cache, the warm rebuild
really has nothing changed, and the working tree's own _build/ is left alone. Prints medians and
their ratio to the budgets of the design (a ratio <= 1 is within budget). Not part of pytest.
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import os
import pkgutil
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUDGETS = {
    "cold build [s]": 120.0,
    "cold build, cpu [s]": 240.0,
    "warm rebuild [s]": 15.0,
    "warm rebuild, cpu [s]": 15.0,
    "demo redraw, full draw [ms]": 50.0,
    "demo redraw, full draw, cpu [ms]": 50.0,
    "demo redraw, live path [ms]": 50.0,
    "demo redraw, live path, cpu [ms]": 50.0,
    "site total [MB]": 40.0,
    "largest page [MB]": 5.0,
}


def snapshot(dest: Path) -> Path:
    """Copy the working tree's files (tracked and untracked, minus .gitignore'd ones) to ``dest``.

    The bench builds this copy, so that other people editing the tree meanwhile cannot turn the
    "nothing changed" rebuild into a partial cold one.
    """
    files = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=ROOT,
                           capture_output=True, text=True, check=True).stdout.split("\0")
    for rel in filter(None, files):
        src = ROOT / rel
        if src.is_file():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / rel)
    return dest


EXECUTED = re.compile(r"(?:(\S+?\.(?:md|ipynb))\S*:\s*)?Executed notebook in ([0-9.]+) seconds"
                      r"|(\S+?\.(?:md|ipynb)): executed in ([0-9.]+) s")


def _children_cpu() -> float:
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def build(src: Path) -> tuple[float, float, list[tuple[float, str]]]:
    """Build the book in ``src`` as ``tasks.py book`` does (tools/build_book.py: the chapters executed in
    parallel into the cache, then ``jupyter-book build``); return wall time, CPU time (build and
    kernels) and notebook times."""
    c0, t0 = _children_cpu(), time.perf_counter()
    proc = subprocess.run([sys.executable, str(src / "tools" / "build_book.py")], cwd=src, capture_output=True,
                          text=True)
    elapsed = time.perf_counter() - t0
    cpu = _children_cpu() - c0
    log = re.sub(r"\x1b\[[0-9;]*m", "", proc.stdout + proc.stderr)
    if proc.returncode != 0:
        sys.exit("build failed:\n" + log[-4000:])
    executed = [(float(m.group(2) or m.group(4)), m.group(1) or m.group(3) or "?")
                for m in EXECUTED.finditer(log)]
    return elapsed, cpu, executed


def site_size(html: Path) -> tuple[float, float, str]:
    files = [p for p in html.rglob("*") if p.is_file()]
    total = sum(p.stat().st_size for p in files)
    pages = [p for p in files if p.suffix == ".html"]
    largest = max(pages, key=lambda p: p.stat().st_size)
    return total / 2**20, largest.stat().st_size / 2**20, str(largest.relative_to(html))


def find_demos():
    """Every Demo that a zero-argument ``build*`` function of a demos module returns."""
    import demos
    from demos import Demo

    found = []
    for info in pkgutil.iter_modules(demos.__path__):
        if info.name == "core":
            continue
        mod = importlib.import_module(f"demos.{info.name}")
        for name, fn in inspect.getmembers(mod, inspect.isfunction):
            if not name.startswith("build") or fn.__module__ != mod.__name__:
                continue
            params = inspect.signature(fn).parameters.values()
            if any(p.default is p.empty and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD) for p in params):
                continue
            demo = fn()
            if isinstance(demo, Demo):
                found.append((f"{info.name}.{name}", demo))
    return found


def intro_demo():
    """The demo of book/intro.md ("How demos work"), built the same way."""
    import numpy as np

    import solutions
    from demos import Demo, figure, slider

    x, y = solutions.hours_points()
    ws = np.linspace(0.0, 4.0, 81)
    costs = solutions.cost(ws, x, y)
    fig, ax = figure()
    ax.plot(ws, costs)
    (dot,) = ax.plot([], [], "o", animated=True)
    title = ax.set_title(" ", animated=True)

    def update(w):
        c = solutions.cost(w, x, y)
        dot.set_data([w], [c])
        title.set_text(f"ω = {w:.2f}    cost = {c:.2f}")

    return Demo(fig, update, {"w": slider(0.0, 4.0, 0.1, value=1.0, label="ω")})


def redraw_times(demo, changes: int, live: bool) -> tuple[list[float], list[float]]:
    """Wall and CPU seconds per control change, on the Agg backend.

    ``live=False``: the update callback plus a full ``fig.canvas.draw()``. ``live=True``: the update
    callback plus ``demo.redraw()``, which is what the live widget does before encoding the PNG
    (it blits the artists marked animated over a cached background, if the demo marks any).
    CPU time (this process only) is reported beside wall time because the machine is often shared:
    under load the wall time grows while the CPU time stays close to what the redraw costs.
    """
    name, spec = next(iter(demo.specs.items()))
    values = spec.sweep(max(changes, 2))
    draw = demo.redraw if live else demo.fig.canvas.draw
    draw()  # warm-up (fonts, caches, the background)
    wall, cpu = [], []
    for i in range(changes):
        params = {**demo.params, name: values[i % len(values)]}
        t0, c0 = time.perf_counter(), time.process_time()
        demo._update(**params)
        draw()
        wall.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    return wall, cpu


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--warm-repeats", type=int, default=3)
    ap.add_argument("--changes", type=int, default=50)
    ap.add_argument("--keep", action="store_true", help="keep the temporary build folder")
    ap.add_argument("--skip-build", action="store_true", help="only time the demos")
    args = ap.parse_args()

    import matplotlib

    matplotlib.use("Agg")
    results: dict[str, float] = {}
    notes: dict[str, str] = {}

    if not args.skip_build:
        out = Path(tempfile.mkdtemp(prefix="bench-book-"))
        try:
            src = snapshot(out)
            load_before = os.getloadavg()[0]
            cold, cold_cpu, executed = build(src)
            results["cold build [s]"] = cold
            results["cold build, cpu [s]"] = cold_cpu
            notes["cold build, cpu [s]"] = (f"CPU of the build and its kernels (wall >= cpu / {os.cpu_count()}); "
                                            f"load average before: {load_before:.1f}")
            notes["cold build [s]"] = f"{len(executed)} notebooks executed"
            print(f"cold build: {cold:.1f} s wall, {cold_cpu:.1f} s cpu, load average {load_before:.1f} before, "
                  f"{os.getloadavg()[0]:.1f} after", flush=True)
            print("slowest notebook executions in the cold build (wall, two at a time):")
            for secs, name in sorted(executed, reverse=True)[:5]:
                print(f"  {secs:7.1f} s  {name}")
            warm, warm_cpu = [], []
            for _ in range(args.warm_repeats):
                t, c, again = build(src)
                warm.append(t)
                warm_cpu.append(c)
                if again:
                    print(f"warning: the warm rebuild executed {len(again)} notebook(s) again")
            results["warm rebuild [s]"] = statistics.median(warm)
            results["warm rebuild, cpu [s]"] = statistics.median(warm_cpu)
            notes["warm rebuild [s]"] = "runs: " + ", ".join(f"{t:.1f}" for t in warm)
            total, largest, page = site_size(src / "_build" / "html")
            results["site total [MB]"] = total
            results["largest page [MB]"] = largest
            notes["largest page [MB]"] = page
        finally:
            if args.keep:
                print(f"build kept in {out}")
            else:
                shutil.rmtree(out, ignore_errors=True)

    per_demo = [("intro (book/intro.md)", intro_demo())] + find_demos()
    print(f"\ndemo redraw on Agg, {args.changes} changes each (median wall / median cpu):")
    print(f"  {'demo':45s} {'update + canvas.draw':>24s} {'update + demo.redraw':>24s} animated")
    summary = {False: ([], []), True: ([], [])}
    for label, demo in per_demo:
        cells = []
        for live in (False, True):
            wall, cpu = redraw_times(demo, args.changes, live)
            summary[live][0].extend(wall)
            summary[live][1].extend(cpu)
            cells.append(f"{1e3 * statistics.median(wall):8.1f} / {1e3 * statistics.median(cpu):6.1f} ms")
        n_anim = len(demo._animated_artists())
        print(f"  {label:45s} {cells[0]:>24s} {cells[1]:>24s} {n_anim:8d}")
    for live, key in ((False, "demo redraw, full draw"), (True, "demo redraw, live path")):
        wall, cpu = summary[live]
        results[f"{key} [ms]"] = 1e3 * statistics.median(wall)
        results[f"{key}, cpu [ms]"] = 1e3 * statistics.median(cpu)
        notes[f"{key} [ms]"] = f"wall, median over {len(per_demo)} demos"
        notes[f"{key}, cpu [ms]"] = "CPU time of this process"

    load = os.getloadavg()
    print(f"\nload average during the run: {load[0]:.1f} (1 min) on {os.cpu_count()} cores")
    print(f"\n{'measure':34s} {'value':>9s} {'budget':>8s} {'ratio':>6s}")
    for key, budget in BUDGETS.items():
        if key not in results:
            continue
        value = results[key]
        flag = "" if value <= budget else "  OVER BUDGET"
        print(f"{key:34s} {value:9.2f} {budget:8.1f} {value / budget:6.2f}{flag}   {notes.get(key, '')}")


if __name__ == "__main__":
    main()
