r"""The live notebook: a chapter as a student opens it in Jupyter or Colab, reading as the book's page reads.

A chapter's source is MyST Markdown for Jupyter Book. JupyterLab, Notebook 7 and Colab render plain
Markdown, so there ``{glue:text}`n:.3f``` , ``{term}``, ``{ref}``, ``:::{admonition}`` and ``$$ ... $$ (label)``
would show as markup. :func:`live_notebook` writes the chapter as a notebook that those front ends render
like the page:

* each glued value is the text the book shows (the chapter's own ``glue`` outputs, formatted as myst-nb
  formats them);
* a check-yourself answer (an admonition of class ``dropdown``) is a ``<details>`` block, closed until
  clicked; any other admonition is a quotation with its title in bold;
* ``{term}``, ``{ref}``, ``{doc}``, ``{numref}``, ``{eq}`` and ``{cite}`` read as the page reads: the term, the
  section's or page's title, "Fig. 10", "(3)", "[Polyak, 1964]"; labelled equations carry their number
  (``\tag``), figures their caption; ``{literalinclude}`` is the included code;
* a cell the page hides keeps its code, folded (``jupyter.source_hidden``), so Run All computes everything;
* optionally, a first cell installs the course's code where it is missing (Colab, a fresh Jupyter).

The book's HTML is untouched. Two places use it:

* the book build (``book/_ext/live_downloads.py``) makes each chapter's download (``.ipynb``) this way,
  with the values of the book's own run and the install cell for the published repository;
* a launch environment (Binder's ``binder/postBuild``, a hub's image) runs
  ``python -m demos.live book`` once: it executes every chapter (that is also the test that the
  environment runs them all) and rewrites each in place in this form, so the launch buttons open it.

Needs jupytext and nbformat (and nbclient for ``--execute``): the student requirements have them.
"""

from __future__ import annotations

import ast
import re
import sys
from ast import literal_eval
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]  # the repository (book/demos/live.py)
PACKAGE = "gradient-descent-hands-on"  # pyproject.toml's project name
ROLE = re.compile(r"\{([a-z][a-z:-]*)\}`([^`]*)`")
FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>:{3,}|`{3,})\{(?P<name>[a-z][a-z:-]*)\}[ \t]*(?P<arg>.*)$")
LABEL = re.compile(r"^\((?P<label>[^()\s]+)\)=\s*$")
HEADING = re.compile(r"^#{1,6}\s+(?P<title>.+?)\s*#*\s*$")
EQ_END = re.compile(r"^(?P<indent>[ \t]*)\$\$[ \t]*\((?P<label>[^()\s]+)\)[ \t]*$")
HIDDEN_TAGS = {"remove-cell", "remove-input", "hide-input", "hide-cell"}
ADMONITION_TITLES = {"note": "Note", "tip": "Tip", "hint": "Hint", "important": "Important",
                     "warning": "Warning", "caution": "Caution", "attention": "Attention", "seealso": "See also"}


def format_plain_text(text: str, fmt_spec: str) -> str:
    """How myst-nb's ``{glue:text}`` shows a value's ``text/plain`` (``myst_nb.core.variables``)."""
    try:
        value = literal_eval(text)
    except (SyntaxError, ValueError):
        value = text
    if fmt_spec == "":
        return str(value)
    kind = fmt_spec[-1]
    if kind == "s":
        value = str(value)
    elif kind in "bcdoxX":
        value = int(value)
    elif kind in "eEfFgGn%":
        value = float(value)
    return format(value, fmt_spec)


def glue_values(executed) -> dict[str, str]:
    """Each glued name's ``text/plain`` in an executed notebook (the outputs of ``demos.glue``)."""
    values = {}
    for cell in executed.cells:
        for out in cell.get("outputs", []):
            scrap = out.get("metadata", {}).get("scrapbook")
            if scrap:
                prefix = scrap.get("mime_prefix", "")
                values[scrap["name"]] = out["data"][prefix + "text/plain"]
    return values


def course_requirement(root: Path = ROOT) -> str:
    """The pip requirement of the course's code at the repository of ``_config.yml`` (its one address)."""
    import yaml

    repo = yaml.safe_load((root / "_config.yml").read_text())["repository"]
    return f"{PACKAGE} @ git+{repo['url'].rstrip('/')}@{repo.get('branch') or 'main'}"


def install_cell_source(requirement: str) -> str:
    return ("# Installs the course's code (the packages solutions and demos) where it is missing, e.g. on Colab.\n"
            "import importlib.util\n\n"
            'if not all(importlib.util.find_spec(name) for name in ("solutions", "demos")):\n'
            f'    %pip install --quiet "{requirement}"')


# --------------------------------------------------------------------------- the book's names


@dataclass
class Book:
    """What a page's roles refer to, read from the book's sources: titles, numbers, citations."""

    titles: dict[str, str] = field(default_factory=dict)  # label or docname -> title
    figures: dict[str, int] = field(default_factory=dict)  # figure name -> number in the book
    figure_numbers: dict[tuple[str, int], int] = field(default_factory=dict)  # (docname, cell) -> number
    equations: dict[str, dict[str, int]] = field(default_factory=dict)  # docname -> label -> number
    citations: dict[str, tuple[str, str]] = field(default_factory=dict)  # key -> (authors, year)

    @classmethod
    def read(cls, root: Path = ROOT) -> Book:
        import jupytext

        book = cls()
        number = equation = 0
        for docname in toc_docnames(root):
            path = root / f"{docname}.md"
            if not path.is_file():
                continue
            text = path.read_text(encoding="utf-8")
            lines = text.splitlines()
            book.equations[docname] = {}
            for i, line in enumerate(lines):
                eq = EQ_END.match(line)
                if eq:  # numbered through the book, as Jupyter Book numbers them
                    equation += 1
                    book.equations[docname][eq["label"]] = equation
                heading = HEADING.match(line)
                if heading and line.startswith("# ") and docname not in book.titles:
                    book.titles[docname] = inline_text(heading["title"])
                label = LABEL.match(line)
                if label:
                    nxt = next((m for m in map(HEADING.match, lines[i + 1:i + 4]) if m), None)
                    if nxt:
                        book.titles[label["label"]] = inline_text(nxt["title"])
            if "kernelspec:" not in text.split("\n---", 1)[0]:
                continue
            for index, cell in enumerate(jupytext.reads(text, fmt="md:myst").cells):
                fig = cell.metadata.get("mystnb", {}).get("figure")
                if cell.cell_type == "code" and fig:
                    number += 1
                    book.figure_numbers[(docname, index)] = number
                    if fig.get("name"):
                        book.figures[fig["name"]] = number
        bib = root / "book" / "references.bib"
        if bib.is_file():
            book.citations = read_bib(bib.read_text(encoding="utf-8"))
        return book


def toc_docnames(root: Path) -> list[str]:
    """The pages of _toc.yml in order (root, then each part's chapters)."""
    import yaml

    toc = yaml.safe_load((root / "_toc.yml").read_text())
    names = [toc["root"]]
    for part in toc.get("parts", []):
        names += [c["file"] for c in part.get("chapters", [])]
    return names


def read_bib(text: str) -> dict[str, tuple[str, str]]:
    """Each entry's cited authors ("Kingma and Ba", "Duchi et al.") and year."""
    out = {}
    for m in re.finditer(r"@\w+\{([^,\s]+),(.*?)\n\}", text, re.S):
        fields = dict(re.findall(r"(\w+)\s*=\s*\{((?:[^{}]|\{[^{}]*\})*)\}", m.group(2)))
        names = [a.split(",")[0].strip().strip("{}") for a in fields.get("author", "").split(" and ")]
        if len(names) > 2:
            authors = f"{names[0]} et al."
        else:
            authors = " and ".join(names)
        out[m.group(1)] = (authors, fields.get("year", ""))
    return out


def inline_text(text: str) -> str:
    """A heading's text without roles (titles may hold none but plain words)."""
    return ROLE.sub(lambda m: target_text(m.group(2))[0], text)


def target_text(content: str) -> tuple[str, str]:
    """``text <target>`` -> (text, target); ``target`` -> (target, target)."""
    m = re.fullmatch(r"\s*(.*?)\s*<([^<>]+)>\s*", content, re.S)
    return (m.group(1), m.group(2)) if m else (content.strip(), content.strip())


# --------------------------------------------------------------------------- markdown


class Page:
    """One chapter's Markdown, rewritten for Jupyter's renderer (see the module's docstring)."""

    def __init__(self, docname: str, values: dict[str, str], book: Book, root: Path = ROOT):
        self.docname, self.values, self.book, self.root = docname, values, book, root
        self.equations = book.equations.get(docname, {})

    def role(self, m: re.Match) -> str:
        name, content = m.group(1), m.group(2)
        if name in ("glue", "glue:", "glue:any", "glue:text"):
            key, _, fmt = content.rpartition(":") if ":" in content else (content, "", "")
            if key not in self.values:
                raise KeyError(f"{self.docname}: no glued value {key!r}")
            return format_plain_text(self.values[key], fmt)
        if name == "math":
            return f"${content}$"
        if name == "eq":
            label = content.strip()
            if label not in self.equations:
                raise KeyError(f"{self.docname}: no labelled equation {label!r} on this page")
            return f"({self.equations[label]})"
        if name.startswith("cite"):
            cited = []
            for key in content.split(","):
                authors, year = self.book.citations.get(key.strip(), (key.strip(), ""))
                cited.append(f"{authors} [{year}]" if name == "cite:t" else f"{authors}, {year}")
            return "; ".join(cited) if name == "cite:t" else "[" + "; ".join(cited) + "]"
        text, target = target_text(content)
        if name == "numref" and target in self.book.figures:
            number = self.book.figures[target]
            return text.replace("%s", str(number)) if text != target else f"Fig. {number}"
        if name in ("ref", "doc") and text == target:
            key = target if name == "ref" else self.resolve_doc(target)
            return self.book.titles.get(key, text)
        return text  # term, and an explicit text of ref/doc

    def resolve_doc(self, target: str) -> str:
        base = Path(self.docname).parent
        return (base / target).as_posix() if not target.startswith("/") else target.lstrip("/")

    def inline(self, text: str) -> str:
        return ROLE.sub(self.role, text)

    def markdown(self, source: str) -> str:
        lines = source.split("\n")
        out: list[str] = []
        i = 0
        while i < len(lines):
            line = lines[i]
            if LABEL.match(line):
                i += 1
                continue
            eq = EQ_END.match(line)
            if eq:
                n = self.equations[eq["label"]]
                out += [f"{eq['indent']}\\tag{{{n}}}", f"{eq['indent']}$$"]
                i += 1
                continue
            fence = FENCE.match(line)
            if fence:
                end = self.closing(lines, i, fence)
                out += self.directive(fence, lines[i + 1:end])
                i = end + 1
                continue
            out.append(self.inline(line))
            i += 1
        return "\n".join(out)

    @staticmethod
    def closing(lines: list[str], start: int, fence: re.Match) -> int:
        mark = fence["fence"]
        for j in range(start + 1, len(lines)):
            stripped = lines[j].strip()
            if stripped == mark[0] * len(mark) or (stripped and set(stripped) == {mark[0]}
                                                   and len(stripped) >= len(mark)):
                if lines[j].startswith(fence["indent"]):
                    return j
        raise ValueError(f"unclosed {{{fence['name']}}} directive")

    def directive(self, fence: re.Match, body: list[str]) -> list[str]:
        indent, name, arg = fence["indent"], fence["name"], fence["arg"].strip()
        options = {}
        while body and re.match(rf"^{re.escape(indent)}:[\w-]+:", body[0]):
            key, _, value = body.pop(0).strip()[1:].partition(":")
            options[key] = value.strip()
        if name == "literalinclude":
            return self.include(indent, arg, options)
        content = self.markdown("\n".join(line[len(indent):] if line.startswith(indent) else line.lstrip()
                                          for line in body)).strip("\n").split("\n")
        title = self.inline(arg) if arg else ADMONITION_TITLES.get(name, name.capitalize())
        if "dropdown" in options.get("class", "").split():
            block = [f"<details><summary>{title}</summary>", "", *content, "", "</details>"]
        else:
            block = [f"> **{title}**", ">", *[f"> {c}".rstrip() for c in content]]
        return [f"{indent}{b}" if b else "" for b in block]

    def include(self, indent: str, arg: str, options: dict[str, str]) -> list[str]:
        path = (self.root / self.docname).parent / arg
        code = path.read_text(encoding="utf-8")
        if "pyobject" in options:
            tree = ast.parse(code)
            node = next(n for n in ast.walk(tree) if getattr(n, "name", None) == options["pyobject"])
            code = ast.get_source_segment(code, node)
        return [f"{indent}{b}" for b in ["```python", *code.rstrip("\n").split("\n"), "```"]]


def live_notebook(path: Path, values: dict[str, str], book: Book | None = None, *,
                  requirement: str | None = None, root: Path = ROOT):
    """The chapter at ``path`` as a notebook that JupyterLab, Notebook 7 and Colab render like its page.

    ``values`` are its glued values (:func:`glue_values` of the chapter executed); ``requirement``, if
    given, adds a first cell that pip-installs it where the course's packages are missing.
    """
    import jupytext
    import nbformat

    book = book or Book.read(root)
    docname = path.resolve().relative_to(root.resolve()).with_suffix("").as_posix()
    nb = jupytext.read(path)
    page = Page(docname, values, book, root)
    cells = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown":
            cell.source = page.markdown(cell.source)
            cells.append(cell)
            continue
        cells.append(cell)
        if cell.cell_type != "code":
            continue
        if HIDDEN_TAGS & set(cell.metadata.get("tags", [])):
            cell.metadata.setdefault("jupyter", {})["source_hidden"] = True
        fig = cell.metadata.get("mystnb", {}).get("figure")
        if fig and fig.get("caption"):
            number = book.figure_numbers.get((docname, index))
            caption = page.markdown(fig["caption"].strip())
            cells.append(nbformat.v4.new_markdown_cell(f"**Fig. {number}.** {caption}" if number else caption))
    if requirement:
        cells.insert(0, nbformat.v4.new_code_cell(install_cell_source(requirement)))
    nb.cells = cells
    for cell in nb.cells:
        cell.pop("id", None)
    nb.nbformat, nb.nbformat_minor = 4, 4
    return nb


def execute(path: Path):
    """Run the chapter as a notebook in its folder (a fresh kernel); return the executed notebook."""
    import jupytext
    from nbclient import NotebookClient

    nb = jupytext.read(path)
    NotebookClient(nb, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    return nb


def main(argv: list[str]) -> int:
    """``python -m demos.live [FOLDER]``: execute every notebook page of the book under FOLDER (default
    ``book``) and rewrite it in place as its live notebook (MyST Markdown, for jupytext to open)."""
    import jupytext

    folder = Path(argv[0] if argv else "book").resolve()
    root = folder.parent
    book = Book.read(root)
    pages = [root / f"{d}.md" for d in toc_docnames(root)]
    pages = [p for p in pages if p.is_file() and p.parent == folder and "kernelspec:" in p.read_text()[:400]]
    for path in pages:
        print(f"{path.name}: running", flush=True)
        nb = live_notebook(path, glue_values(execute(path)), book, root=root)
        jupytext.write(nb, path, fmt="md:myst")
    print(f"{len(pages)} pages executed and written as live notebooks", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
