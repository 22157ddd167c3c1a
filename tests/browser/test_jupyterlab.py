"""A chapter in JupyterLab, as a student meets it after the launch button: the student environment of
binder/ (tests/live/environments.py: a fresh venv, binder/requirements.txt, binder/postBuild), JupyterLab
on 127.0.0.1, headless Chromium with the network blocked and every CJK font hidden.

One test, in the order a student goes: the launch URL opens the chapter as a notebook (not as text) that
reads like the page (answers closed, the Chinese terms drawn with the course's font); Run All; one slider
moved redraws the figure; saving leaves the chapter's file as it was. Then the same chapter as a saved
.ipynb: run, saved, reloaded: the demo shows its saved widget, not "model not found". Then Notebook 7's
/notebooks/ URL and a double-click in JupyterLab's file browser open it as a notebook too. Screenshots go
to artifacts/screenshots/ for a human look.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import jupytext
import pytest
from browser_fixtures import browser_without_cjk  # noqa: F401 - a fixture

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "live"))
from environments import ROOT, student_env  # noqa: E402

pytestmark = pytest.mark.browser

CHAPTER = "book/01-linear-model.md"
CJK_WORD = "平均平方误差"
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
NOTEBOOK = ".jp-MainAreaWidget.jp-NotebookPanel:not(.lm-mod-hidden)"
WIDGET_IMG = f"{NOTEBOOK} img.widget-image"
RESET = "?reset"  # open only what the URL names, not the documents the workspace had open

CJK_STATE = """async (word) => {
  await document.fonts.ready;
  const faces = [...document.fonts].filter(f => f.family.replace(/"/g, '') === 'GDH CJK').map(f => f.status);
  const el = [...document.querySelectorAll('.jp-RenderedMarkdown p')].find(p => p.textContent.includes(word));
  if (!el) return {faces, found: false};
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const at = node.textContent.indexOf(word);
    if (at < 0) continue;
    const range = document.createRange();
    range.setStart(node, at);
    range.setEnd(node, at + word.length);
    return {faces, found: true, drawn: range.getBoundingClientRect().width,
            em: parseFloat(getComputedStyle(node.parentElement).fontSize),
            family: getComputedStyle(node.parentElement).fontFamily};
  }
  return {faces, found: false};
}"""


SERVER_LOG = ROOT / "artifacts" / "jupyterlab-server.log"


def lab_log(_repo=None) -> str:
    return SERVER_LOG.read_text()[-4000:] if SERVER_LOG.is_file() else ""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """JupyterLab of the student environment on 127.0.0.1, serving its copy of the repository."""
    env = student_env()
    assert env.post_build.returncode == 0, f"binder/postBuild failed:\n{env.post_build.stderr[-3000:]}"
    home = tmp_path_factory.mktemp("jupyter-home")
    SERVER_LOG.parent.mkdir(parents=True, exist_ok=True)
    port = free_port()
    cmd = [env.bin / "jupyter", "lab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
           f"--ServerApp.root_dir={env.repo}", "--IdentityProvider.token=", "--ServerApp.password=",
           "--LabApp.expose_app_in_browser=True", "--LabApp.news_url=None"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")
    # A user's own Jupyter settings and workspaces must not take part: empty ones for this server.
    server_env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH", "DEMOS_STATIC")}
    server_env.update(PATH=os.pathsep.join([str(env.bin), os.environ.get("PATH", "")]),
                      JUPYTER_CONFIG_DIR=str(home / "config"), JUPYTER_DATA_DIR=str(home / "data"),
                      JUPYTERLAB_SETTINGS_DIR=str(home / "settings"),
                      JUPYTERLAB_WORKSPACES_DIR=str(home / "workspaces"))
    log = open(SERVER_LOG, "w")
    server = subprocess.Popen([str(c) for c in cmd], env=server_env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}/"
    try:
        for _ in range(240):
            try:
                urllib.request.urlopen(base + "api/status", timeout=2)
                break
            except OSError:
                if server.poll() is not None:
                    pytest.fail(f"JupyterLab exited:\n{SERVER_LOG.read_text()[-3000:]}")
                time.sleep(0.5)
        yield base, env.repo
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()



def command(page, name: str, args: dict | None = None):
    """Run one of JupyterLab's commands (what its menus and shortcuts run)."""
    return page.evaluate("([name, args]) => window.jupyterapp.commands.execute(name, args)", [name, args or {}])


def run_all_and_wait(page):
    page.wait_for_function(  # the kernel has started (Run All before that may ask for a kernel instead)
        "window.jupyterapp.shell.currentWidget?.sessionContext?.session?.kernel?.status === 'idle'",
        timeout=120_000)
    command(page, "notebook:run-all-cells")
    page.wait_for_selector(WIDGET_IMG, state="attached", timeout=180_000)
    page.wait_for_function(
        """(sel) => { const nb = document.querySelector(sel);
                      const prompts = [...nb.querySelectorAll('.jp-InputArea-prompt')].map(p => p.textContent);
                      return prompts.length && !prompts.some(t => t.includes('*')); }""",
        arg=NOTEBOOK, timeout=180_000)


def test_a_chapter_opens_runs_and_moves_in_jupyterlab(lab, browser_without_cjk):
    base, repo = lab
    on_disk = (repo / CHAPTER).read_bytes()
    ctx = browser_without_cjk.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
    ctx.route("**/*", lambda r: r.continue_() if r.request.url.startswith(base) else r.abort())
    page = ctx.new_page()
    errors = []  # (step, error) of the page's uncaught errors
    step = ["open"]
    page.on("pageerror", lambda e: errors.append((step[0], str(e))))
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    try:
        # 1. The launch URL opens a notebook that reads like the page.
        page.goto(base + "lab/tree/" + CHAPTER)
        page.wait_for_selector(f"{NOTEBOOK} .jp-RenderedMarkdown", timeout=120_000)
        assert not page.query_selector(".jp-FileEditor"), "the chapter opened as text"
        page.wait_for_function(f"document.querySelectorAll('{NOTEBOOK} details').length >= 4", timeout=60_000)
        answers = page.evaluate(f"[...document.querySelectorAll('{NOTEBOOK} details')].map(d => d.open)")
        assert answers and not any(answers), f"check-yourself answers shown open: {answers}"
        text = page.inner_text(NOTEBOOK)
        assert "{glue" not in text and "{term}" not in text and ":::" not in text
        cjk = page.evaluate(CJK_STATE, CJK_WORD)
        assert cjk["found"] and cjk["faces"] == ["loaded"], f"the course's CJK font is not in use: {cjk}"
        assert abs(cjk["drawn"] - len(CJK_WORD) * cjk["em"]) < 1.5, f"{CJK_WORD} drawn as boxes? {cjk}"

        # 2. Run All, then move the slider: the figure is redrawn.
        step[0] = "run"
        run_all_and_wait(page)
        before = page.get_attribute(WIDGET_IMG, "src")
        handle = page.locator(f"{NOTEBOOK} .widget-slider .noUi-handle").first
        handle.scroll_into_view_if_needed()
        handle.focus()
        for _ in range(5):
            handle.press("ArrowRight")
        page.wait_for_function("([sel, before]) => document.querySelector(sel).src !== before",
                               arg=[WIDGET_IMG, before], timeout=30_000)
        page.locator(f"{NOTEBOOK} .jupyter-widgets.widget-vbox").first.screenshot(
            path=str(SCREENSHOTS / "jupyterlab-01-demo-moved.png"))

        # 3. Saving (what autosave does) leaves the chapter's file as it was.
        command(page, "docmanager:save")
        time.sleep(2)
        assert (repo / CHAPTER).read_bytes() == on_disk, "saving the chapter in JupyterLab rewrote it"
        command(page, "application:close-all")

        # 4. The chapter as a saved .ipynb: run, save, reload: the demo shows its saved widget, no error box.
        step[0] = "saved .ipynb"
        twin = "book/01-saved.ipynb"
        jupytext.write(jupytext.read(repo / CHAPTER), repo / twin)
        page.goto(base + "lab/tree/" + twin + RESET)
        page.wait_for_selector(f"{NOTEBOOK} .jp-RenderedMarkdown", timeout=120_000)
        run_all_and_wait(page)
        command(page, "docmanager:save")
        time.sleep(2)
        command(page, "application:close-all")
        page.goto(base + "lab/tree/" + twin + RESET)
        page.wait_for_selector(WIDGET_IMG, state="attached", timeout=120_000)  # the saved widget, restored
        assert "Error displaying widget" not in page.inner_text(NOTEBOOK)
        page.screenshot(path=str(SCREENSHOTS / "jupyterlab-01-reopened.png"))
        command(page, "application:close-all")

        # The course's part: no uncaught error while a student opens, runs, saves and reopens the chapter.
        assert not errors, f"page errors: {errors}"
        # 5. Notebook 7's URL, and a double-click in JupyterLab's file browser: a notebook too.
        step[0] = "other routes"
        page.goto(base + "notebooks/" + CHAPTER)
        page.wait_for_selector(".jp-NotebookPanel .jp-RenderedMarkdown", timeout=120_000)
        assert not page.query_selector(".jp-FileEditor"), "Notebook 7 opened the chapter as text"
        page.goto(base + "lab/tree/book" + RESET)
        page.locator(".jp-DirListing-item", has_text=Path(CHAPTER).name).first.dblclick()
        page.wait_for_selector(f"{NOTEBOOK} .jp-RenderedMarkdown", timeout=120_000)
        assert not page.query_selector(".jp-FileEditor"), "a double-click opened the chapter as text"
        assert (repo / CHAPTER).read_bytes() == on_disk
        if errors:  # navigating between Notebook 7 and JupyterLab: their own, reported for a look
            print(f"page errors while switching front ends: {errors}")
    except Exception:
        page.screenshot(path=str(SCREENSHOTS / "jupyterlab-failure.png"))
        dialogs = page.evaluate("[...document.querySelectorAll('.jp-Dialog')].map(d => d.textContent)")
        print(f"dialogs: {dialogs}\npage errors: {errors}\nserver log:\n{lab_log(repo)}")
        raise
    finally:
        ctx.close()
