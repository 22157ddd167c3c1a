"""Two small nbgrader preprocessors that keep one bad submission from losing its other points.

* :class:`ResilientExecute` is nbgrader's ``Execute``, except that a kernel that dies (``os._exit``, a
  segfault, out of memory) no longer aborts the whole notebook: the cell that killed it gets a
  ``KernelDied`` error, every later code cell a "not run" error, and grading goes on, so the graded cells
  that ran before the death keep their verdicts.
* :class:`DropEmptyNbgraderMetadata` runs after nbgrader's ``DeduplicateIds`` during sanitizing: that
  preprocessor strips a duplicated graded cell down to ``metadata.nbgrader = {}``, which nbgrader's own
  ``CheckCellMetadata`` then rejects as an "old schema" and the whole submission fails. Removing the empty
  dict makes the duplicate an ordinary cell, as ``DeduplicateIds`` intends.
"""

from __future__ import annotations

from nbclient.exceptions import DeadKernelError
from nbformat.notebooknode import from_dict
from nbgrader.preprocessors import Execute, NbGraderPreprocessor

DIED = "KernelDied"


class ResilientExecute(Execute):
    def preprocess(self, nb, resources=None, km=None):
        self._died = None
        return super().preprocess(nb, resources, km)

    def preprocess_cell(self, cell, resources, index):
        if self._died is not None:
            if cell.cell_type == "code":
                cell.outputs = [from_dict({"output_type": "error", "ename": DIED,
                                           "evalue": f"not run: the kernel died in cell {self._died + 1}",
                                           "traceback": []})]
            return cell, resources
        try:
            return super().preprocess_cell(cell, resources, index)
        except DeadKernelError as exc:
            self._died = index
            self.log.warning("The kernel died in cell %d; the remaining cells are not run", index + 1)
            cell.outputs.append(from_dict({"output_type": "error", "ename": DIED,
                                           "evalue": f"the kernel died while running this cell ({exc})",
                                           "traceback": []}))
            return cell, resources


class DropEmptyNbgraderMetadata(NbGraderPreprocessor):
    def preprocess_cell(self, cell, resources, index):
        if "nbgrader" in cell.metadata and not cell.metadata["nbgrader"]:
            del cell.metadata["nbgrader"]
        return cell, resources
