"""The trust boundary is a package boundary: of the course's code, the grading kernel can read only the
kernel side (autograder.probe), which holds no answer. Checked generically: every file readable inside the
jail, against every solution of every source notebook and every reference that grades one."""

import ast
import inspect
import json
import os
import re
import subprocess
import sys

import nbformat
import pytest

from autograder import authoring, sandbox
from autograder.assignment import BEGIN, END, load

PROBE = os.path.dirname(sandbox.kernel_side_paths(("autograder.probe",))[-1] + "/")
AUTOGRADER = os.path.dirname(PROBE)

# Run inside the jail: grep every readable file for the answers' distinctive lines, then look for each whole
# answer, whitespace removed, in the files that matched.
SCAN = r'''
import json, os, subprocess, sys
spec = json.load(sys.stdin)
with open("/tmp/anchors", "w") as handle:
    handle.write("\n".join(spec["anchors"]) + "\n")
tops = sorted(os.path.join("/", d) for d in os.listdir("/") if d not in ("proc", "sys", "dev"))
grep = subprocess.run(["grep", "-rlFs", "-f", "/tmp/anchors", *tops], capture_output=True)
found, files = {}, [p for p in grep.stdout.decode("utf-8", "surrogateescape").splitlines() if p != "/tmp/anchors"]
for path in files:
    try:
        flat = open(path, "rb").read().translate(None, b" \t\n\r\x0b\x0c").decode("utf-8", "replace")
    except OSError:
        continue
    hits = [key for key, text in spec["answers"].items() if text in flat]
    if hits:
        found[path] = hits
print(json.dumps({"found": found, "tops": tops, "grep": grep.returncode}))
'''


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def answers() -> dict[str, str]:
    """Every solution region of every source notebook, and the source of every reference that grades a
    question (its body after the docstring), by a readable key."""
    out = {}
    for name in authoring.names():
        nb = nbformat.read(authoring.source_path(name), as_version=4)
        for cell in nb.cells:
            if cell.metadata.get("nbgrader", {}).get("solution"):
                out[f"{name}:{cell.metadata.nbgrader['grade_id']}"] = cell.source.split(BEGIN)[-1].split(END)[0]
        for q in load(name).questions:
            source = inspect.getsource(q.resolve_reference())
            body = ast.parse(source).body[0].body
            start = body[1].lineno if isinstance(body[0], ast.Expr) and len(body) > 1 else body[0].lineno
            out[f"reference {q.reference}"] = "\n".join(source.splitlines()[start - 1:])
    return out


def test_the_kernel_side_is_one_package_that_imports_nothing_of_the_grader():
    assert sandbox.SandboxedKernelManager().kernel_side_paths() == [os.path.join(AUTOGRADER, "__init__.py"), PROBE]
    init = ast.parse(open(os.path.join(AUTOGRADER, "__init__.py")).read())
    assert len(init.body) == 1 and isinstance(init.body[0], ast.Expr), "autograder/__init__.py must hold no code"
    for root, _, files in os.walk(PROBE):
        for file in files:
            if not file.endswith(".py"):
                continue
            tree = ast.parse(open(os.path.join(root, file)).read())
            for node in ast.walk(tree):
                names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                    [node.module or ""] if isinstance(node, ast.ImportFrom) else []
                for module in names:
                    assert not module.startswith("solutions"), (file, module)
                    assert not module.startswith("autograder") or module.startswith("autograder.probe"), (file, module)


def test_hide_blocks_the_reference_and_the_grader_but_not_the_probe():
    code = ("import autograder.probe.hide as h; h.hide()\n"
            "import autograder.probe, autograder.probe.inputs\n"
            "for name in ('solutions', 'autograder.assignments.search', 'autograder.verdicts', 'autograder.cli'):\n"
            "    try:\n        __import__(name)\n    except ModuleNotFoundError:\n        print('hidden', name)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split("\n")[:-1] == ["hidden solutions", "hidden autograder.assignments.search",
                                            "hidden autograder.verdicts", "hidden autograder.cli"]


@pytest.mark.e2e
@pytest.mark.skipif(not sandbox.sandbox_status()[0], reason="needs bubblewrap")
def test_no_file_readable_in_the_jail_holds_an_answer(tmp_path):
    """Every readable file of the jail, searched for every answer. One planted answer (a folder bound in for
    this test only) shows that the search finds what is there."""
    from traitlets.config import Config

    secrets = answers()
    assert len(secrets) >= 2 * 19  # a solution and a reference per question
    key, text = next(iter(secrets.items()))
    planted = tmp_path / "planted" / "leak.py"
    planted.parent.mkdir()
    planted.write_text("x = 1\n" + text.replace("\n", "\n    ") + "\n")
    anchors = sorted({line.strip() for text in secrets.values() for line in text.splitlines()
                      if len(line.strip()) >= 20})
    config = Config({"SandboxedKernelManager": {"readable_paths": [str(planted.parent)]}})
    proc = sandbox.run_in_jail([sys.executable, "-S", "-c", SCAN], config=config,
                               stdin=json.dumps({"anchors": anchors, "answers": {k: flat(v) for k, v in secrets.items()}}))
    assert proc.returncode == 0, proc.stderr[-2000:]
    report = json.loads(proc.stdout)
    assert "/usr" in report["tops"] and "/" + sys.prefix.split("/")[1] in report["tops"]
    assert report["found"] == {str(planted): [key]}, f"answers readable by student code: {report['found']}"
