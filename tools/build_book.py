"""Build the book: execute the chapters in parallel into myst-nb's execution cache, then run Jupyter Book.

    python tools/build_book.py [jupyter-book build options, e.g. --all]

This is THE way the book is built: ``python3 tasks.py book`` runs it (in the venv), and so do the book
and browser tests and ``bench/bench_book.py``. It runs ``jupyter-book build . -W -n --keep-going`` after
two steps of its own:

1. **Invalidate on library changes.** myst-nb's cache (``execute_notebooks: cache``) re-executes a
   chapter only when the chapter's own code cells change, yet the chapters compute their numbers and
   demos with ``solutions/`` and ``book/demos/`` (and draw with its style). So a hash of those sources
   (and of ``requirements.txt``) is kept beside the cache; when it differs, the cache is cleared and Sphinx
   re-reads every page (``--all``), so an author never sees stale numbers.
2. **Execute in parallel.** Each chapter that the cache does not match is executed with nbclient, a
   pool of one process per core, exactly as myst-nb would (same reader, the chapter's folder as the
   working directory, the timeout and ``allow_errors`` of ``_config.yml``), and stored in the cache
   the way myst-nb stores it. Jupyter Book then finds every chapter in the cache and only renders.
   A chapter that fails here is left out of the cache: Jupyter Book executes it again and reports
   the error as usual (and ``-W`` fails the build).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUILD_ARGS = ["-W", "-n", "--keep-going"]
# Sources the chapters execute besides their own cells: a change in any of them clears the cache.
LIBRARY_SOURCES = ("solutions", "book/demos")
LIBRARY_FILES = ("requirements.txt", "binder/requirements.txt")
LIBRARY_SUFFIXES = (".py", ".mplstyle")  # code, and the figures' style (book/demos/book.mplstyle)
STAMP_NAME = "library-sources.sha256"
# The kernels of the book build show each demo's static (kernel-free) version; live kernels do not
# build it (book/demos/core.py). Set for the pool's kernels and for Jupyter Book's own.
KERNEL_ENV = {"DEMOS_STATIC": "1"}


def load_config(root: Path = ROOT) -> dict:
    import yaml

    return yaml.safe_load((root / "_config.yml").read_text()) or {}


def cache_path(root: Path, config: dict) -> Path:
    """Where myst-nb keeps its cache: ``execute.cache``, else Jupyter Book's ``_build/.jupyter_cache``."""
    path = (config.get("execute") or {}).get("cache") or ""
    return (root / path) if path else root / "_build" / ".jupyter_cache"


def library_digest(root: Path = ROOT) -> str:
    """A hash of every source file of ``LIBRARY_SOURCES`` (path and content) and ``LIBRARY_FILES``."""
    h = hashlib.sha256()
    files = [p for d in LIBRARY_SOURCES for p in (root / d).rglob("*") if p.suffix in LIBRARY_SUFFIXES]
    files += [root / f for f in LIBRARY_FILES if (root / f).is_file()]
    for p in sorted(files):
        if "__pycache__" in p.parts:
            continue
        h.update(str(p.relative_to(root)).encode() + b"\0" + p.read_bytes() + b"\0")
    return h.hexdigest()


def chapters(root: Path = ROOT) -> list[Path]:
    """Every page of _toc.yml that is a MyST Markdown notebook (has a kernelspec in its top matter)."""
    from myst_nb.core.read import is_myst_markdown_notebook
    from sphinx_external_toc.parsing import parse_toc_yaml

    found = []
    for docname in parse_toc_yaml(str(root / "_toc.yml")):
        for suffix in (".md", ".ipynb"):
            path = root / f"{docname}{suffix}"
            if path.is_file() and (suffix == ".ipynb" or is_myst_markdown_notebook(path.read_text())):
                found.append(path)
                break
    return found


def read_notebook(path: Path, config: dict):
    """The chapter as myst-nb reads it (the cache matches notebooks by their code cells)."""
    import nbformat
    from myst_nb.core.read import read_myst_markdown_notebook
    from myst_parser.config.main import MdParserConfig

    if path.suffix == ".ipynb":
        return nbformat.read(path, as_version=4)
    extensions = (config.get("parse") or {}).get("myst_enable_extensions") or []
    md_config = MdParserConfig(enable_extensions=set(extensions))
    return read_myst_markdown_notebook(path.read_text(), config=md_config, add_source_map=True,
                                       path=str(path))


def _execute(path: str, config: dict, timeout: int | None, allow_errors: bool):
    """Run in a worker process: execute one chapter in its folder; return (path, notebook, seconds, error)."""
    from jupyter_cache.executors.utils import single_nb_execution

    nb = read_notebook(Path(path), config)
    result = single_nb_execution(nb, cwd=str(Path(path).parent), timeout=timeout, allow_errors=allow_errors,
                                 meta_override=True)
    return path, result.nb, result.time, result.exc_string if result.err is not None else None


def prepare_cache(root: Path = ROOT, workers: int | None = None) -> bool:
    """Clear the cache if the library changed; execute the chapters it lacks in parallel.

    Returns True when the cache was cleared (every page must then be re-read).
    """
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    os.environ.update(KERNEL_ENV)
    config = load_config(root)
    execute = config.get("execute") or {}
    if execute.get("execute_notebooks", "auto") != "cache":
        return False
    cache_dir = cache_path(root, config)
    stamp = cache_dir / STAMP_NAME
    digest = library_digest(root)
    cleared = False
    if cache_dir.exists() and (not stamp.is_file() or stamp.read_text().strip() != digest):
        print(f"solutions/ or book/demos/ changed: clearing the execution cache {cache_dir}", flush=True)
        cache = get_cache(str(cache_dir))
        cache.clear_cache()
        cleared = True
    cache = get_cache(str(cache_dir))
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.write_text(digest + "\n")

    todo = []
    for path in chapters(root):
        try:
            cache.match_cache_notebook(read_notebook(path, config))
        except KeyError:
            todo.append(path)
    if not todo:
        return cleared
    # Longest first (by source size, a fair proxy), so the pool's two queues end together.
    todo.sort(key=lambda p: p.stat().st_size, reverse=True)
    workers = workers or min(len(todo), os.cpu_count() or 1)
    print(f"executing {len(todo)} chapter(s) on {workers} worker(s): "
          + ", ".join(p.name for p in todo), flush=True)
    timeout = execute.get("timeout")
    allow_errors = bool(execute.get("allow_errors", False))
    t0 = time.perf_counter()
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(_execute, str(p), config, timeout, allow_errors) for p in todo]
        for future in as_completed(futures):
            path, nb, seconds, error = future.result()
            rel = Path(path).relative_to(root)
            if error is not None:
                # Left out of the cache: Jupyter Book executes it again and reports the error.
                print(f"  {rel}: execution failed, Jupyter Book will report it", flush=True)
                continue
            bundle = CacheBundleIn(nb, str(Path(path)), data={"execution_seconds": seconds})
            cache.cache_notebook_bundle(bundle, check_validity=False, overwrite=True)
            print(f"  {rel}: executed in {seconds:.1f} s", flush=True)
    print(f"executed {len(todo)} chapter(s) in {time.perf_counter() - t0:.1f} s", flush=True)
    return cleared


def main(argv: list[str]) -> int:
    os.chdir(ROOT)
    os.environ.update(KERNEL_ENV)
    cleared = prepare_cache(ROOT)
    args = list(argv)
    if cleared and "--all" not in args and "-a" not in args:
        args.append("--all")  # pages whose source did not change must still be rendered anew
    exe = Path(sys.executable).with_name("jupyter-book")
    cmd = [str(exe), "build", ".", *BUILD_ARGS, *args]
    print("+", " ".join(cmd), flush=True)
    return subprocess.call(cmd, cwd=ROOT)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
