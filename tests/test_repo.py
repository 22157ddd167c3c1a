"""The repository keeps its promises to a newcomer: the README's two commands, what CI runs, pinned
requirements, and no generated course state or built book in git."""

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def quick_start_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```bash\n(.*?)```", section, re.S).group(1)
    return [line.split("#")[0].strip() for line in block.splitlines() if line.strip()]


def test_quick_start_is_two_commands_build_then_test():
    book, test = quick_start_commands()
    assert book == "python3 tasks.py book" and test == "python3 tasks.py test"


def test_ci_runs_the_readmes_test_command():
    ci = [line.strip() for line in (ROOT / ".ci" / "run").read_text().splitlines()
          if line.strip() and not line.lstrip().startswith("#")]
    assert ci[-1] == quick_start_commands()[1]
    assert "set -euo pipefail" in ci  # a failing step fails the run


def test_tasks_named_by_the_readme_exist():
    tasks = (ROOT / "tasks.py").read_text()
    for command in quick_start_commands():
        task = command.split()[-1]
        assert f'"{task}":' in tasks, f"tasks.py has no task {task!r}"


def test_requirements_are_pinned():
    lines = [line.split("#")[0].strip() for line in (ROOT / "requirements.txt").read_text().splitlines()]
    packages = [line for line in lines if line and line != "-e ."]
    assert "-e ." in lines  # the course's own packages
    assert packages and all(re.fullmatch(r"[A-Za-z0-9_.\-\[\]]+==[\w.]+", p) for p in packages), packages
    assert any(p.startswith("jupyter-book==1.") for p in packages)  # 1.x: 2.x fetches its theme at build time


def test_no_generated_state_or_build_in_git():
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    generated = re.compile(r"(^|/)(release|submitted|autograded|feedback|_build|artifacts)/|(^|/)gradebook\.db$")
    assert not [path for path in tracked.splitlines() if generated.search(path)]


def test_nbformat_imports_no_grammar_compiler():
    """requirements.txt pins jsonschema below 4.25: later versions pull rfc3987-syntax, whose import compiles
    Earley grammars for ~2 s in every process that imports nbformat (grading workers, book builds)."""
    import sys

    code = ("import sys, nbformat, jsonschema\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('rfc3987_syntax', 'lark')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
