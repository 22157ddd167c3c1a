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


def requirement_lines(path: Path) -> list[str]:
    """The lines of a requirements file, with the files it includes (``-r``) in their place."""
    out = []
    for line in path.read_text().splitlines():
        line = line.split("#")[0].strip()
        if line.startswith("-r "):
            out += requirement_lines(path.parent / line[3:].strip())
        elif line:
            out.append(line)
    return out


def test_requirements_are_pinned():
    lines = requirement_lines(ROOT / "requirements.txt")
    packages = [line for line in lines if line != "-e ."]
    assert "-e ." in lines  # the course's own packages
    assert len(packages) == len({p.split("==")[0].lower() for p in packages})  # each pinned once
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


def test_github_workflows_run_ci_and_publish_the_book():
    import yaml

    ci = yaml.safe_load((ROOT / ".github" / "workflows" / "ci.yml").read_text())
    assert set(ci[True]) >= {"push", "pull_request"}  # YAML reads the key `on` as True
    assert [s["run"] for s in ci["jobs"]["test"]["steps"] if "run" in s][-1] == "bash .ci/run"
    pages = yaml.safe_load((ROOT / ".github" / "workflows" / "pages.yml").read_text())
    build = pages["jobs"]["build"]["steps"]
    assert any(s.get("run") == "python3 tasks.py book" for s in build)
    upload = [s for s in build if s.get("uses", "").startswith("actions/upload-pages-artifact")]
    assert upload and upload[0]["with"]["path"] == "_build/html"
    assert any(s.get("uses", "").startswith("actions/deploy-pages") for s in pages["jobs"]["deploy"]["steps"])
    assert pages["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
