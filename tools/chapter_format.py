"""Store the chapters exactly as Jupyter saves them, so that opening one and saving it changes nothing.

    python tools/chapter_format.py          # rewrite every chapter that differs (prints which)
    python tools/chapter_format.py --check  # exit 1 if one differs (what tests/book/test_chapter_format.py asks)

A chapter (a MyST Markdown notebook of _toc.yml) opens in JupyterLab or Notebook 7 through jupytext's
contents manager. When its kernel starts, the front end sets the notebook's kernelspec to the kernel's
("Python 3 (ipykernel)"), which marks it modified, and autosave writes it back in jupytext's own form:
its YAML header (format_version, jupytext_version), and every cell's options re-dumped by its YAML
writer. A chapter stored in any other form is rewritten on disk for every student who opens it.

So this saves each chapter through that same contents manager, with that kernelspec, and stores the
result. Run it after editing a chapter by hand (or merging edits); the test fails until you do. Only the
form changes: the parsed notebook, and so the book, stay the same.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# What ipykernel's kernel gives a notebook (JupyterLab, Notebook 7, Binder all run it).
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


def saved_by_jupyter(path: Path) -> str:
    """The text that Jupyter's save writes for the chapter at ``path`` once its kernel has started."""
    from jupytext import TextFileContentsManager

    with tempfile.TemporaryDirectory() as tmp:
        shutil.copy2(path, Path(tmp) / path.name)
        cm = TextFileContentsManager(root_dir=tmp)
        model = cm.get(path.name)
        model["content"]["metadata"]["kernelspec"] = dict(KERNELSPEC)
        cm.save({"type": "notebook", "format": "json", "content": model["content"]}, path.name)
        return (Path(tmp) / path.name).read_text(encoding="utf-8")


def notebook_pages(root: Path = ROOT) -> list[Path]:
    """The book's pages that are notebooks (a kernelspec in their header): what opens with a kernel."""
    sys.path.insert(0, str(root / "tools"))
    from build_book import chapters

    return [p for p in chapters(root) if p.suffix == ".md"]


def main(argv: list[str]) -> int:
    check = "--check" in argv
    differ = []
    for path in notebook_pages():
        text = saved_by_jupyter(path)
        if text != path.read_text(encoding="utf-8"):
            differ.append(path.relative_to(ROOT))
            if not check:
                path.write_text(text, encoding="utf-8")
    verb = "differ from" if check else "rewritten as"
    for rel in differ:
        print(f"{rel}: {verb} what Jupyter saves")
    return 1 if (check and differ) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
