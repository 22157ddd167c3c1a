"""Kernel side of the grading sandbox: hide the reference (``solutions``) from the import system.

nbgrader starts every grading kernel with ``--IPKernelApp.exec_lines`` running ``hide()`` before any student
code (see ``nbgrader_config.py``). Inside the sandbox (:mod:`autograder.sandbox`) the reference is not even on
disk; this stays as defence in depth for unsandboxed runs. Standard library only, so the kernel starts fast.
"""

from __future__ import annotations

import sys
from importlib.abc import MetaPathFinder

HIDDEN = ("solutions",)


class _Hide(MetaPathFinder):
    def __init__(self, names):
        self.names = tuple(names)

    def find_spec(self, fullname, path=None, target=None):
        if fullname.split(".")[0] in self.names:
            raise ModuleNotFoundError(f"No module named {fullname!r} (hidden while grading)", name=fullname)
        return None


def hide(names=HIDDEN) -> None:
    for name in list(sys.modules):
        if name.split(".")[0] in names:
            del sys.modules[name]
    sys.meta_path.insert(0, _Hide(names))
