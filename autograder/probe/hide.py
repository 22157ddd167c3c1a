"""Hide the reference and the grader from the grading kernel's import system.

nbgrader starts every grading kernel with ``--IPKernelApp.exec_lines`` running :func:`hide` before any student
code (see ``autograder/nbgrader_config.py``). Inside the sandbox the hidden modules are not even on disk: the
jail holds ``solutions`` nowhere and of ``autograder`` only this package (:mod:`autograder.probe`) and the
empty ``autograder/__init__.py``. This stays as defence in depth for unsandboxed runs. Standard library
only, so the kernel starts fast.
"""

from __future__ import annotations

import sys
from importlib.abc import MetaPathFinder

HIDDEN = ("solutions", "autograder")  # every module of these, except the ones below
VISIBLE = ("autograder", "autograder.probe")  # autograder itself (empty) and the kernel side


def _hidden(fullname: str, names) -> bool:
    if fullname in VISIBLE or fullname.startswith("autograder.probe."):
        return False
    return fullname.split(".")[0] in names


class _Hide(MetaPathFinder):
    def __init__(self, names):
        self.names = tuple(names)

    def find_spec(self, fullname, path=None, target=None):
        if _hidden(fullname, self.names):
            raise ModuleNotFoundError(f"No module named {fullname!r} (hidden while grading)", name=fullname)
        return None


def hide(names=HIDDEN) -> None:
    for name in list(sys.modules):
        if _hidden(name, names):
            del sys.modules[name]
    sys.meta_path.insert(0, _Hide(names))
