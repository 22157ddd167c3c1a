"""Feedback pages (autograder/feedback.py): a submission that carries every kind of script or HTML a notebook can
hold gets a page where none of it runs or passes for the grader, and the instructions' math is typeset by the
local MathJax with the network blocked.

The notebook is the blank search submission plus :func:`hostile_cells`. The quick tests put it, outputs and
all, where nbgrader's ``generate_feedback`` reads autograded work, and render its page with the course's
configuration (no kernel). The end-to-end test grades it for real (its outputs then come from the kernel)."""

from __future__ import annotations

import base64
import copy
import json
import os
import re
from pathlib import Path

import nbformat
import pytest
from bs4 import BeautifulSoup
from nbformat.v4 import new_code_cell, new_markdown_cell, new_output, new_raw_cell

from autograder import cli, feedback, verdicts
from autograder.assignment import load

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
STUDENT = "mallory"
FORGED = "Score: 8 / 8 (verified by the grader)"


def js(n: int) -> str:
    """A payload that leaves a trace if it ever runs: ``window.PWNED`` and the page's title."""
    return f"window.PWNED={n};document.title={n}"


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


# Every kind of output a kernel can send, each carrying script or HTML: (bundle, metadata).
OUTPUTS = [
    ({"text/html": f"<script>{js(1)}</script><h1>{FORGED}</h1>"}, {}),
    ({"text/html": f'<img src="x" onerror="{js(2)}"><img src=x onerror={js(3)}>'}, {}),
    ({"text/html": f'<a href="javascript:{js(4)}">a</a><a href="JaVaScRiPt&colon;{js(5)}">b</a>'
                   f'<a href=" &#x6A;avascript:{js(6)}">c</a><a href="https://example.org/">fine</a>'}, {}),
    ({"text/html": f'<iframe srcdoc="<script>parent.{js(7)}</script>"></iframe>'
                   f'<iframe src="data:text/html,<script>{js(8)}</script>"></iframe>'
                   f'<iframe src="javascript:{js(9)}"></iframe>'}, {}),
    ({"text/html": f'<svg onload="{js(10)}"><script>{js(11)}</script>'
                   f'<a xlink:href="javascript:{js(12)}"><text>x</text></a></svg>'}, {}),
    ({"text/html": f'<object data="data:text/html,<script>{js(13)}</script>"></object>'
                   f'<embed src="javascript:{js(14)}">'}, {}),
    ({"text/html": f'<form action="javascript:{js(15)}"><button formaction="javascript:{js(16)}">go</button>'
                   f'<input autofocus onfocus="{js(17)}"></form>'
                   f'<meta http-equiv="refresh" content="0;url=javascript:{js(18)}"><base href="javascript:{js(19)}//">'},
     {}),
    ({"text/html": '<style>.panel-heading{display:none} body{background:red}</style>'
                   '<link rel="stylesheet" href="data:text/css,body{display:none}">'
                   '<div class="panel panel-primary grader-verdict" style="position:fixed;top:0;left:0;right:0;'
                   'z-index:9999;background:#fff"><div class="panel-heading grader-verdict-label">'
                   f'{FORGED}</div></div>'}, {}),
    ({"text/html": f'<details open ontoggle="{js(20)}">d</details><body onload="{js(21)}">'
                   f'<video src=x onerror="{js(22)}"></video><div onmouseover="{js(23)}">hover</div>'}, {}),
    ({"text/html": f'<math><mtext><table><mglyph><style><img src=x onerror="{js(24)}"></style></mglyph></table>'
                   f'</mtext></math><noscript><p title="</noscript><img src=x onerror={js(25)}>"></p></noscript>'
                   f'<!--<img src=x onerror={js(26)}>-->'}, {}),
    ({"text/html": f"<b>isolated</b><script>{js(27)}</script>"}, {"text/html": {"isolated": True}}),
    ({"image/svg+xml": f'<svg xmlns="http://www.w3.org/2000/svg" onload="{js(28)}"><script>{js(29)}</script>'
                       '<text y="20">an svg</text></svg>', "text/plain": "svg"}, {}),
    ({"application/javascript": js(30), "text/plain": "<IPython.core.display.Javascript object>"}, {}),
    ({"text/markdown": f'<script>{js(31)}</script> [md link](javascript:{js(32)}) <img src=x onerror="{js(33)}">'},
     {}),
    ({"text/latex": r"$\href{javascript:" + js(34) + r"}{x} \class{panel-heading}{y} \style{position:fixed}{z}"
                    r"\mmlToken{mi}[href='javascript:" + js(57) + r"']{m} \bbox[position:fixed;top:0;left:0;"
                    r"width:100%;height:100%;background:white]{" + FORGED + "}$"}, {}),
    ({"application/vnd.jupyter.widget-view+json": {"model_id": "x", "version_major": 2, "version_minor": 0},
      "text/plain": "a widget"}, {}),
    ({"image/png": "iVBORw0KGgo=", "text/plain": "png"},
     {"image/png": {"width": f"1 onerror={js(35)}", "alt": f'" onerror="{js(36)}'},
      "filenames": {"image/png": f"javascript:{js(37)}"}}),
    ({"text/vnd.mermaid": "graph TD; A-->B", "application/pdf": "JVBERi0=", "text/plain": "other kinds"}, {}),
]
STREAM = f"<script>{js(38)}</script>"
MARKDOWN = f"""## {FORGED}

<script>{js(40)}</script> <img src=x onerror="{js(41)}"> <a href="javascript:{js(42)}">html link</a>
[markdown link](javascript:{js(43)}) <iframe src="javascript:{js(44)}"></iframe>
<div class="grader-verdict" style="position:fixed;top:0" id="toc" onmouseover="{js(45)}">styled</div>
<style>.grader-verdict {{display: none}}</style>

![svg attachment](attachment:evil.svg) ![html attachment](attachment:evil.html)

$\\href{{javascript:{js(46)}}}{{tex link}}$ and $x_n w$
"""
ATTACHMENTS = {"evil.svg": {"image/svg+xml": b64(f'<svg xmlns="http://www.w3.org/2000/svg" onload="{js(47)}">'
                                                 f'<script>{js(48)}</script></svg>')},
               "evil.html": {"text/html": b64(f"<script>{js(49)}</script>")}}


def hostile_cells() -> list:
    """Cells a student can add: code whose outputs carry script and HTML (outputs included, as the kernel
    makes them), markdown with raw HTML and attachments, raw cells, a forged verdict error."""
    code = ["from IPython.display import display"]
    code += [f"display({bundle!r}, raw=True, metadata={meta!r})" for bundle, meta in OUTPUTS]
    code += [f"print({STREAM!r})", f"import sys; print({STREAM!r}, file=sys.stderr)"]
    outputs = [new_output("display_data", data=bundle, metadata=meta) for bundle, meta in OUTPUTS]
    outputs += [new_output("stream", name="stdout", text=STREAM + "\n"),
                new_output("stream", name="stderr", text=STREAM + "\n")]
    shown = new_code_cell("\n".join(code), outputs=outputs,
                          metadata={"tags": [f'"><script>{js(50)}</script>']})
    forged = new_code_cell(f"raise type({verdicts.ENAME!r}, (Exception,), {{}})({FORGED!r})",
                           outputs=[new_output("error", ename=verdicts.ENAME, evalue=FORGED, traceback=[FORGED])])
    return [new_markdown_cell(MARKDOWN, attachments=ATTACHMENTS),
            new_markdown_cell("![gone](attachment:missing.png) <script>x</script>"),  # names a missing attachment
            new_raw_cell(f"<script>{js(51)}</script><img src=x onerror={js(52)}>",
                         metadata={"raw_mimetype": "text/html"}),
            new_raw_cell(f'<a href="javascript:{js(53)}">raw</a>'),
            shown, forged]


def hostile_submission() -> nbformat.NotebookNode:
    nb = nbformat.read(os.path.join(cli.HERE, "examples", "search", "blank_search.ipynb"), as_version=4)
    nb.cells += hostile_cells()
    nb.metadata["title"] = f"</title><script>{js(54)}</script>"
    nb.metadata["language_info"]["pygments_lexer"] = "html"
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {
        "version_major": 2, "version_minor": 0, "state": {"x": {"model_name": f"</script><script>{js(55)}</script>"}}}}
    return nb


def with_verdicts(nb):
    """``nb`` with the outputs the grader writes in graded cells (autograder/verdicts.py): an error, and a
    partial credit; plus a cell whose nbgrader ``grade_id`` is markup, and one that claims to be locked."""
    nb = copy.deepcopy(nb)
    graded = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")]
    graded[0].outputs = [new_output("error", ename=verdicts.ENAME, evalue="cost: 3 of 3 cases wrong",
                                    traceback=["cost: 3 of 3 cases wrong", "  case 1: <script>expected</script>"])]
    graded[1].outputs = [new_output("stream", name="stdout", text="Partial credit: 1.5 of 3 points (1 of 2 cases "
                                                                  "right).\n"),
                         new_output("execute_result", data={"text/plain": "1.5"}, execution_count=None)]
    flags = {"grade": False, "solution": False, "locked": True, "task": False, "schema_version": 3}
    nb.cells += [new_markdown_cell("answer", metadata={"nbgrader": {
                     **flags, "solution": True, "locked": False, "grade_id": f'"><img src=x onerror={js(56)}>'}}),
                 # locked, but no grade_id: nbgrader drops one it does not find in the source
                 new_markdown_cell(f"# {FORGED}", metadata={"nbgrader": flags})]
    return nb


# ------------------------------------------------------------------------------------------ what a page holds
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "xlink:href", "srcdoc", "background", "poster"}
NEVER = {"iframe", "frame", "object", "embed", "form", "base", "link", "svg", "math", "input", "button", "video",
         "audio", "textarea", "select", "details", "noscript", "template"}
NOTEBOOK_HTML = ".output_html, .output_markdown, .output_latex, .text_cell_render"


def assert_safe(html: str) -> BeautifulSoup:
    """No script but the page's MathJax, no event handler, no script URL, no element that embeds or submits,
    no style or class in notebook HTML; the Content-Security-Policy comes before any script."""
    soup = BeautifulSoup(html, "html.parser")
    scripts = soup.find_all("script")
    assert [(s.get("src"), s.string or "") for s in scripts] == [
        ("../mathjax/" + feedback.MATHJAX_CONFIG, ""), ("../mathjax/" + feedback.MATHJAX_ENTRY, "")]
    csp = soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})
    assert csp is not None and "script-src 'self' file:;" in csp["content"] and "default-src 'none'" in csp["content"]
    assert csp.find_next("script") is scripts[0] and not csp.find_all_previous("script")
    assert [m.attrs for m in soup.find_all("meta")] == [{"charset": "utf-8"}, csp.attrs]
    assert not soup.find_all(NEVER)
    assert [s.parent.name for s in soup.find_all("style")] == ["head"] * len(soup.find_all("style"))
    for tag in soup.find_all(True):
        for name, value in tag.attrs.items():
            assert not name.lower().startswith("on"), tag
            if name.lower() in URL_ATTRIBUTES:
                url = re.sub(r"\s", "", value).lower()
                assert url.startswith(("https://", "http://", "mailto:", "#", "data:image/png;", "data:image/jpeg;",
                                       "data:image/svg+xml;", "../mathjax/")), tag
    for area in soup.select(NOTEBOOK_HTML):
        for tag in area.find_all(True):
            assert not {"class", "id", "style", "name"} & set(tag.attrs), tag
    return soup


def assert_verdicts_framed(soup: BeautifulSoup, texts: list[str]) -> None:
    """Each of the grader's verdicts is in a verdict frame; the forged verdict and score are not, and a
    forged heading is in notebook content (where headings are text-sized)."""
    frames = [f.get_text() for f in soup.select("div.grader-verdict")]
    assert len(frames) == len(texts)
    for frame, text in zip(frames, texts):
        assert text in frame and FORGED not in frame
    for official in soup.select(".panel-heading, .grader-verdict, .score"):
        assert "verified by the grader" not in official.get_text()
    forged = [h for h in soup.find_all(re.compile(r"^h\d$")) if FORGED in h.get_text()]
    assert forged and all(h.find_parent("div", class_="from-notebook") for h in forged)


# ------------------------------------------------------------------------------------------------ the pages
def page_without_kernel(course_dir: str, nb) -> str:
    """The feedback page of ``nb`` as the autograded notebook of STUDENT in a course where search is
    released, through nbgrader's generate_feedback with the course's configuration."""
    from nbgrader.api import Gradebook

    folder = os.path.join(course_dir, "autograded", STUDENT, "search")
    os.makedirs(folder, exist_ok=True)
    nbformat.write(nb, os.path.join(folder, "search.ipynb"))
    with Gradebook(cli.api(course_dir).coursedir.db_url) as gb:
        gb.update_or_create_student(STUDENT)
        gb.add_submission("search", STUDENT)
    assert cli.feedback(course_dir, "search") == ["search"]
    return open(os.path.join(course_dir, "feedback", STUDENT, "search", "search.html")).read()


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    course = str(tmp_path_factory.mktemp("feedback") / "course")
    assert cli.main(["--course-dir", course, "release", "search"]) == 0
    return course, page_without_kernel(course, with_verdicts(hostile_submission()))


def test_notebook_html_is_inert_and_cannot_pass_for_the_grader(rendered):
    course, html = rendered
    soup = assert_safe(html)
    assert_verdicts_framed(soup, ["cost: 3 of 3 cases wrong", "Partial credit: 1.5 of 3 points"])
    assert "&lt;script&gt;expected&lt;/script&gt;" in html  # the grader's text is escaped, not dropped
    text = soup.get_text()
    for shown in ("a widget", "other kinds", "<IPython.core.display.Javascript object>", "isolated",
                  "![gone](attachment:missing.png)", "<script>"):
        assert shown in text, shown  # what is not rendered shows as text (a fallback, the source, the tags)
    note = soup.find("h2", string=FORGED).find_parent("div", class_="text_cell_render")
    assert [img.get("src", "")[:26] for img in note.find_all("img")] == [  # attachments, embedded; the <img
        "", "data:image/svg+xml;base64,", "data:image/png;base64,"]  # onerror> without its source
    assert soup.title.string == "search"


def test_mathjax_sits_in_the_students_folder(rendered):
    course, _ = rendered
    folder = Path(course, "feedback", STUDENT, "mathjax")
    sources = feedback.mathjax_sources()
    assert sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()) == sorted(
        [*sources, "LICENSE-NOTICE.txt"])
    for rel, src in sources.items():
        assert (folder / rel).read_bytes() == src.read_bytes(), rel
    assert sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) < 2_000_000


# -------------------------------------------------------------------------------------------------- browser
TYPESET = """async () => {
  await new Promise(r => setTimeout(r, 300));  // let late handlers (image errors, toggles) fire
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) await MathJax.startup.promise;
  const skip = 'pre, code, script, style, mjx-container';
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const raw = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode())
    if (!n.parentElement.closest(skip) && /\\$[^$\\s][^$]*\\$/.test(n.textContent)) raw.push(n.textContent);
  const links = [...document.querySelectorAll('[href]')].map(e => e.getAttribute('href'))
    .filter(h => !/^(https?:|mailto:|#)/.test(h));
  const fixed = [...document.querySelectorAll('body *')].filter(e => getComputedStyle(e).position === 'fixed');
  return {title: document.title, pwned: window.PWNED === undefined ? null : window.PWNED, links,
          fixed: fixed.map(e => e.outerHTML.slice(0, 80)),
          scripts: [...document.scripts].map(s => s.src),
          typeset: document.querySelectorAll('mjx-container').length, raw};
}"""


def open_offline(page_path: str, screenshot: str | None = None) -> dict:
    """Open a page from disk in headless Chromium, every request that is not a file aborted; what ran."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} not found: install Debian's chromium (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            ctx = browser.new_context(viewport={"width": 1100, "height": 900}, service_workers="block")
            seen = {"external": [], "console": [], "failed": []}
            ctx.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file://")
                      else (seen["external"].append(r.request.url), r.abort()))
            page = ctx.new_page()
            page.on("console", lambda m: seen["console"].append(m.text) if m.type in ("error", "warning") else None)
            page.on("pageerror", lambda e: seen["console"].append(str(e)))
            page.on("requestfailed", lambda r: seen["failed"].append(r.url))
            page.goto(Path(page_path).as_uri(), wait_until="load")
            result = page.evaluate(TYPESET)
            page.mouse.move(400, 400)  # hover handlers, had any survived
            result["pwned_after_hover"] = page.evaluate("() => window.PWNED === undefined ? null : window.PWNED")
            if screenshot:
                SCREENSHOTS.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(SCREENSHOTS / screenshot), full_page=True)
        finally:
            browser.close()
    return {**result, **seen}


def source_math(assignment: str = "search") -> int:
    """How many pieces of math the instructions (the source's markdown cells) hold."""
    nb = nbformat.read(os.path.join(cli.SOURCE, assignment, f"{assignment}.ipynb"), as_version=4)
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    return len(re.findall(r"\$\$.+?\$\$|\$[^$\n]+\$", text, re.S))


def assert_ran_nothing_and_typeset(seen: dict, page_path: str) -> None:
    """Nothing of the notebook ran; the only scripts are MathJax's, from the student's folder; nothing was
    requested from the network or failed to load, nothing logged an error (a blocked script would); the
    instructions' math is typeset and no $...$ is left as text."""
    assert seen["pwned"] is None and seen["pwned_after_hover"] is None and seen["title"] == "search", seen
    mathjax = Path(page_path).resolve().parents[1] / "mathjax"
    assert seen["scripts"] == [(mathjax / f).as_uri() for f in (feedback.MATHJAX_CONFIG, feedback.MATHJAX_ENTRY,
                                                                 "ui/safe.js")], seen["scripts"]
    assert seen["external"] == [] and seen["failed"] == [] and seen["console"] == [], seen
    assert seen["links"] == [] and seen["fixed"] == [], seen  # nor did MathJax make a script link or an overlay
    assert seen["typeset"] >= source_math() and seen["raw"] == [], seen


@pytest.mark.browser
def test_page_in_chromium_runs_nothing_from_the_notebook_and_typesets_offline(rendered):
    course, _ = rendered
    path = os.path.join(course, "feedback", STUDENT, "search", "search.html")
    assert_ran_nothing_and_typeset(open_offline(path, "feedback-hostile-quick.png"), path)


# ---------------------------------------------------------------------------------------------- end to end
@pytest.mark.e2e
def test_graded_hostile_submission_gets_a_safe_offline_page(tmp_path):
    """The real pipeline: release, collect, grade in the sandbox (the kernel makes the outputs), feedback."""
    course = str(tmp_path / "course")
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    nbformat.write(hostile_submission(), str(inbox / f"{STUDENT}_search.ipynb"))
    assert cli.main(["--course-dir", course, "release", "search"]) == 0
    cli.collect(course, str(inbox), "search")
    report = tmp_path / "report.json"
    assert cli.main(["--course-dir", course, "grade", "search", "--no-progress", "--report", str(report)]) == 0
    [row] = json.loads(report.read_text())
    assert row["student"] == STUDENT and row["score"] == 0 and not row["tampered"], row
    assert cli.main(["--course-dir", course, "feedback", "search"]) == 0
    path = os.path.join(course, "feedback", STUDENT, "search", "search.html")
    soup = assert_safe(open(path).read())
    graded = nbformat.read(os.path.join(course, "autograded", STUDENT, "search", "search.ipynb"), as_version=4)
    verdicts_written = [(c.outputs[0].get("traceback") or c.outputs[0].get("text", "").splitlines())[0]
                        for c in graded.cells if c.metadata.get("nbgrader", {}).get("grade") and c.get("outputs")]
    assert len(verdicts_written) == len(load("search").questions)  # blank: every question fails
    assert_verdicts_framed(soup, verdicts_written)
    assert f"(Score: 0.0 / {float(row['max_score'])})" in soup.select_one(".panel-heading h4").get_text()
    assert_ran_nothing_and_typeset(open_offline(path, "feedback-hostile-graded.png"), path)
