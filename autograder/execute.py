"""Small subclasses of nbgrader's preprocessors: three keep one bad submission from losing its other
points, and one is faster.

* :class:`ResilientExecute` is nbgrader's ``Execute``, except that a kernel that dies (``os._exit``, a
  segfault, out of memory) no longer aborts the whole notebook: the cell that killed it gets a
  ``KernelDied`` error, every later code cell a "not run" error, and grading goes on, so the graded cells
  that ran before the death keep their verdicts.
* :class:`DropEmptyNbgraderMetadata` runs after nbgrader's ``DeduplicateIds`` during sanitizing: that
  preprocessor strips a duplicated graded cell down to ``metadata.nbgrader = {}``, which nbgrader's own
  ``CheckCellMetadata`` then rejects as an "old schema" and the whole submission fails. Removing the empty
  dict makes the duplicate an ordinary cell, as ``DeduplicateIds`` intends.
* :class:`ReleaseAwareOverwriteCells` is nbgrader's ``OverwriteCells`` (it still puts the source's version
  of every locked cell back), except that it does not log "Attribute 'checksum' ... has changed" for a
  locked cell that is exactly as *released*: nbgrader strips hidden tests on release, so an untouched
  hidden-test cell never has the source's checksum. A cell that differs from both is still reported.
* :class:`CheckCellMetadataOnce` is nbgrader's ``CheckCellMetadata`` with the metadata's JSON schema
  checked once per process: ``jsonschema.validate`` checks the schema itself again for every cell, a
  tenth of the grader's time per submission.
"""

from __future__ import annotations

import copy
import functools
import traceback

import jsonschema
from nbclient.exceptions import DeadKernelError
from nbformat.notebooknode import from_dict
from nbgrader import utils
from nbgrader.api import MissingEntry
from nbgrader.nbgraderformat import MetadataValidator, ValidationError
from nbgrader.nbgraderformat.common import BaseMetadataValidator
from nbgrader.preprocessors import (CheckCellMetadata, ClearHiddenTests, Execute, NbGraderPreprocessor,
                                    OverwriteCells)

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


class ReleaseAwareOverwriteCells(OverwriteCells):
    def preprocess(self, nb, resources):
        self._released = {}
        return super().preprocess(nb, resources)

    def _as_released(self, cell) -> bool:
        """Whether ``cell`` is the released version of its locked source cell (hidden tests stripped)."""
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        try:
            source_cell = self.gradebook.find_source_cell(grade_id, self.notebook_id, self.assignment_id)
        except MissingEntry:
            return False
        if not source_cell.locked or cell.cell_type != source_cell.cell_type:
            return False
        if grade_id not in self._released:
            released = copy.deepcopy(cell)
            released.source = source_cell.source
            ClearHiddenTests(parent=self)._remove_hidden_test_region(released)
            self._released[grade_id] = released.source
        return cell.source == self._released[grade_id]

    def preprocess_cell(self, cell, resources, cell_index):
        self._quiet_checksum = bool(cell.metadata.get("nbgrader", {}).get("grade_id")) and utils.is_locked(cell) \
            and self._as_released(cell)
        return super().preprocess_cell(cell, resources, cell_index)

    def report_change(self, name, attr, old, new):
        if attr == "checksum" and getattr(self, "_quiet_checksum", False):
            return
        super().report_change(name, attr, old, new)


class _SchemaCheckedOnce(BaseMetadataValidator):
    def validate_cell(self, cell):
        meta = cell.metadata.get("nbgrader")
        if meta is None or meta.get("schema_version", 0) != self.schema_version:
            return super().validate_cell(cell)  # nothing to check, or nbgrader's schema-version errors
        error = jsonschema.exceptions.best_match(self._checker.iter_errors(meta))  # jsonschema.validate's way
        if error is not None:
            raise error


class _MetadataValidator(MetadataValidator, _SchemaCheckedOnce):
    """nbgrader's current metadata validator, whose ``super().validate_cell`` lands in
    :class:`_SchemaCheckedOnce`: the same validation with a schema checked once, here."""

    def __init__(self):
        super().__init__()
        cls = jsonschema.validators.validator_for(self.schema)
        cls.check_schema(self.schema)
        self._checker = cls(self.schema)


@functools.lru_cache(maxsize=None)
def metadata_validator() -> _MetadataValidator:
    return _MetadataValidator()


class CheckCellMetadataOnce(CheckCellMetadata):
    def preprocess(self, nb, resources):
        try:
            metadata_validator().validate_nb(nb)
        except ValidationError:  # as nbgrader's CheckCellMetadata reports it
            self.log.error(traceback.format_exc())
            msg = "Notebook failed to validate; the nbgrader metadata may be corrupted."
            self.log.error(msg)
            raise ValidationError(msg) from None
        return nb, resources
