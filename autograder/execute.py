"""The course's subclasses of nbgrader's preprocessors.

* :class:`SandboxedExecute` is nbgrader's ``Execute`` running every kernel in the sandbox
  (:class:`autograder.sandbox.SandboxedKernelManager`, configured as ``c.SandboxedKernelManager.*``). It is
  the one place that handles what can go wrong while a notebook runs: a cell over its time limit, a kernel
  that dies (``os._exit``, a crash, a limit: the cell gets a ``KernelDied`` error, every later code cell a
  "not run" one, and grading goes on, so the graded cells that ran before keep their verdicts) or a message
  the grader cannot handle (the same), widgets (not run: their messages are ignored), output (printed, or
  rewritten through display updates) over
  ``max_output_bytes`` per cell or ``max_notebook_output_bytes`` for the ungraded cells together (dropped,
  with one note, and the cut cells passed on to the verdicts in ``resources["autograder"]["cut_cells"]``),
  processes left running. Each is reported as an
  :class:`autograder.status.Outcome` from what the grader itself saw (its timer, the jail's exit status,
  the jail's process table), never from what the notebook printed.
* :class:`DropEmptyNbgraderMetadata` runs after nbgrader's ``DeduplicateIds`` during sanitizing: that
  preprocessor strips a duplicated graded cell down to ``metadata.nbgrader = {}``, which nbgrader's own
  ``CheckCellMetadata`` then rejects as an "old schema" and the whole submission fails. Removing the empty
  dict makes the duplicate an ordinary cell, as ``DeduplicateIds`` intends.
* :class:`ReleaseAwareOverwriteCells` is nbgrader's ``OverwriteCells`` (it still puts the source's version
  of every locked cell back), except that it does not log "Attribute 'checksum' ... has changed" for a
  locked cell that is exactly as *released* (nbgrader strips hidden tests on release, so an untouched
  hidden-test cell never has the source's checksum; a cell that differs from both is still reported), and
  that a cell whose nbgrader metadata names no cell of the source (copied from another notebook, an extra
  graded "bonus" cell) becomes an ordinary cell with a note, instead of failing the whole notebook.
* :class:`CheckCellMetadataOnce` is nbgrader's ``CheckCellMetadata`` with the metadata's JSON schema
  checked once per process: ``jsonschema.validate`` checks the schema itself again for every cell, a
  tenth of the grader's time per submission.
"""

from __future__ import annotations

import copy
import functools
import json
import os
import traceback

import jsonschema
from jupyter_core.utils import run_sync
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbformat.v4 import new_output
from nbgrader import utils
from nbgrader.api import MissingEntry
from nbgrader.nbgraderformat import MetadataValidator, ValidationError
from nbgrader.nbgraderformat.common import BaseMetadataValidator
from nbgrader.preprocessors import (CheckCellMetadata, ClearHiddenTests, Execute, NbGraderPreprocessor,
                                    OverwriteCells)
from traitlets import Enum

from autograder import sandbox, status
from autograder.sandbox import SandboxedKernelManager, fmt_bytes, fmt_seconds
from autograder.status import Outcome

DIED = "KernelDied"


def _output_size(msg: dict) -> int:
    content = msg.get("content", {})
    size = 200
    if "text" in content:
        size += len(content["text"])
    for value in (content.get("data") or {}).values():
        size += len(value) if isinstance(value, str) else len(json.dumps(value))
    for line in content.get("traceback") or []:
        size += len(line)
    return size


class SandboxedExecute(Execute):
    shutdown_kernel = Enum(["graceful", "immediate"], default_value="immediate",
                           help="the jail is thrown away: kill it rather than ask the kernel to exit"
                           ).tag(config=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)  # nbgrader's Execute passes AsyncKernelManager as an argument
        configured = any("kernel_manager_class" in self.config.get(cls.__name__, {}) for cls in type(self).__mro__)
        if "kernel_manager_class" not in kwargs and not configured:
            self.kernel_manager_class = SandboxedKernelManager  # unless c.SandboxedExecute.kernel_manager_class

    # ------------------------------------------------------------------------------ kernels started ahead
    def create_kernel_manager(self):
        km = super().create_kernel_manager()
        self._sb_km = km
        return km

    def _sb_key(self, km) -> str:
        return repr((km.launch_key(), list(self.extra_arguments)))

    async def async_start_new_kernel(self, **kwargs):
        folder = kwargs.get("cwd") or self.resources.get("metadata", {}).get("path") or None
        hist = "--HistoryManager.hist_file"  # nbclient adds it at the start; a spare needs it already
        if getattr(self.km, "ipykernel", False) and self.ipython_hist_file \
                and not any(arg.startswith(hist) for arg in self.extra_arguments):
            self.extra_arguments += [f"{hist}={self.ipython_hist_file}"]
        spare = None
        if folder and isinstance(self.km, SandboxedKernelManager):
            spare = sandbox.take_spare(self._sb_key(self.km), os.path.abspath(folder))
        if spare is not None:
            spare.source_dir = os.path.abspath(folder)
            self.km = self._sb_km = spare
        else:
            await super().async_start_new_kernel(**kwargs)
        if getattr(self.km, "prestart", False) and self.km.sandboxed:
            ahead = self.kernel_manager_class(kernel_name=self.km.kernel_name, config=self.config)
            key = self._sb_key(ahead)
            try:
                await ahead.start_kernel(extra_arguments=list(self.extra_arguments))
            except Exception as exc:  # noqa: BLE001 - the next notebook then starts its own kernel
                self.log.warning("could not start the next notebook's kernel ahead: %s", exc)
                ahead.discard()
            else:
                sandbox.put_spare(key, ahead)

    start_new_kernel = run_sync(async_start_new_kernel)

    async def async_start_new_kernel_client(self):
        kc = await super().async_start_new_kernel_client()
        if isinstance(self.km, SandboxedKernelManager):
            self.km.start_notebook()
        return kc

    start_new_kernel_client = run_sync(async_start_new_kernel_client)

    # ----------------------------------------------------------------------------------------- a notebook
    def preprocess(self, nb, resources=None, km=None):
        self._sb_km = km
        self._sb_resources = resources
        self._sb_dead: int | None = None
        self._sb_index = 0
        self._sb_sizes: dict[int, int] = {}
        self._sb_total = 0
        self._sb_dropped = False
        self._sb_cut: set[int] = set()
        try:
            return super().preprocess(nb, resources, km)
        finally:
            for note in getattr(self._sb_km, "notes", []):
                self._report(note)

    def _report(self, outcome: Outcome) -> None:
        self.log.warning("%s", outcome)
        status.report(self._sb_resources, outcome)

    def _limit(self, name: str, fallback=0):
        return getattr(self._sb_km, name, fallback) if self._sb_km is not None else fallback

    def _died(self, cell, index) -> None:
        self._sb_dead = index
        km = self._sb_km
        reason = km.death_outcome(index + 1) if hasattr(km, "death_outcome") else \
            Outcome("died", f"kernel died in cell {index + 1}", index + 1)
        self._report(reason)
        cell.outputs.append(new_output("error", ename=DIED, traceback=[],
                                       evalue=f"the kernel died while running this cell: {reason}"))

    def preprocess_cell(self, cell, resources, index):
        self._sb_index = index
        if self._sb_dead is not None:
            if cell.cell_type == "code":
                cell.outputs = [new_output("error", ename=DIED, traceback=[],
                                           evalue=f"not run: the kernel died in cell {self._sb_dead + 1}")]
            return cell, resources
        try:
            cell, resources = super().preprocess_cell(cell, resources, index)
        except DeadKernelError:
            self._died(cell, index)
            return cell, resources
        except CellTimeoutError as exc:
            # the reply came but the output stream did not finish (e.g. the forks of a fork bomb scribbling
            # on the kernel's sockets): keep grading, as for a timeout
            first = str(exc).splitlines()[0] if str(exc) else "timeout"
            cell.outputs.append(new_output("error", ename="CellTimeoutError", evalue=first, traceback=[]))
            self._report(Outcome("timeout", f"timeout: cell {index + 1} did not finish its output within "
                                            f"{fmt_seconds(self.iopub_timeout)}", index + 1))
        except Exception as exc:  # noqa: BLE001 - anything else nbclient raised on this cell's messages
            # the grader cannot go on talking to this kernel: this cell fails, the later ones are not run,
            # and the verdicts of the cells before stand
            self._sb_dead = index
            reason = Outcome("died", f"the grader could not run cell {index + 1} ({type(exc).__name__}: "
                                     f"{str(exc)[:200]}); the later cells were not run", index + 1)
            self._report(reason)
            cell.outputs.append(new_output("error", ename=DIED, traceback=[], evalue=str(reason)))
            return cell, resources
        if cell.cell_type != "code":
            return cell, resources
        km = self._sb_km
        if km is not None and hasattr(km, "exit_code") and km.exit_code() is not None:
            self._died(cell, index)
            return cell, resources
        limit = self._limit("max_processes")
        errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
        if limit and errors and hasattr(km, "jail_tasks") and km.jail_tasks() >= limit - 1:
            self._report(Outcome("processes", f"process limit {limit} reached in cell {index + 1}", index + 1))
        memory = self._limit("memory_limit")
        if memory and any(o.get("ename") == "MemoryError" for o in errors):  # a note only: no status
            self._report(Outcome("memory", f"MemoryError in cell {index + 1} (the memory limit is "
                                           f"{fmt_bytes(memory)})", index + 1))
        return cell, resources

    async def _async_handle_timeout(self, timeout, cell=None):
        self._report(Outcome("timeout", f"timeout: cell {self._sb_index + 1} ran over {fmt_seconds(timeout)}",
                             self._sb_index + 1))
        return await super()._async_handle_timeout(timeout, cell)

    def _over(self, cell_index: int, size: int) -> str:
        """Charge ``size`` bytes of output to a cell, or say what cap that would pass (then nothing is charged,
        and the cell keeps nothing more). A cell may keep ``max_output_bytes``; the ungraded cells together
        ``max_notebook_output_bytes`` (graded cells, where the probe's records are, do not count towards it)."""
        graded = utils.is_grade(self.nb.cells[cell_index]) if self.nb is not None else False
        cell_limit, total_limit = self._limit("max_output_bytes", 0), self._limit("max_notebook_output_bytes", 0)
        if cell_index in self._sb_cut or cell_limit and self._sb_sizes.get(cell_index, 0) + size > cell_limit:
            return f"this cell printed more than {fmt_bytes(cell_limit)}"
        if not graded and (self._sb_dropped or total_limit and self._sb_total + size > total_limit):
            return f"the notebook printed more than {fmt_bytes(total_limit)} in all"
        self._sb_sizes[cell_index] = self._sb_sizes.get(cell_index, 0) + size
        self._sb_total += 0 if graded else size
        return ""

    def _cut(self, cell_index: int, over: str, outs=None) -> None:
        """Say once per cell that its output was cut; the grader's verdicts learn it as data."""
        if cell_index in self._sb_cut:
            return
        self._sb_cut.add(cell_index)
        if self._sb_resources is not None:
            self._sb_resources.setdefault("autograder", {}).setdefault("cut_cells", []).append(cell_index)
        if outs is not None:
            outs.append(new_output("stream", name="stderr", text=f"\n[output truncated by the grader: {over}]\n"))
        if over.startswith("the notebook"):
            if not self._sb_dropped:
                self._report(Outcome("output", f"output of the ungraded cells from cell {cell_index + 1} on "
                                               f"dropped ({over})", cell_index + 1))
            self._sb_dropped = True
        else:
            self._report(Outcome("output", f"output of cell {cell_index + 1} truncated ({over})", cell_index + 1))

    def output(self, outs, msg, display_id, cell_index):
        over = self._over(cell_index, _output_size(msg))
        if not over:
            return super().output(outs, msg, display_id, cell_index)
        self._cut(cell_index, over, outs)
        return None

    def _update_display_id(self, display_id, msg):
        """An update of a display rewrites every output that shares its id, in any cell: each rewrite is
        charged to its cell, and an update that would pass a cap is dropped."""
        size = _output_size(msg)
        for cell_index, output_indices in self._display_id_map.get(display_id, {}).items():
            over = self._over(cell_index, size * len(output_indices))
            if over:
                self._cut(cell_index, over)
                return None
        return super()._update_display_id(display_id, msg)

    def handle_comm_msg(self, outs, msg, cell_index):
        """Widgets do not run while a notebook is graded: their messages (state, Output widgets) are ignored,
        so that they cost no memory and break nothing."""
        return None


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
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id is not None and not self._in_source(grade_id):
            # a cell copied from another notebook, or an extra graded one: nbgrader would drop only its id and
            # then reject what is left of its metadata, failing the whole notebook; it becomes an ordinary cell
            del cell.metadata["nbgrader"]
            status.report(resources, Outcome("foreign", f"cell {grade_id} is not in the source; ignored",
                                             cell_index + 1))
            return cell, resources
        if grade_id is not None:
            self._restore_flags(cell, resources, cell_index)
        self._quiet_checksum = bool(grade_id) and utils.is_locked(cell) and self._as_released(cell)
        return super().preprocess_cell(cell, resources, cell_index)

    def _in_source(self, grade_id: str) -> bool:
        return self._found(self.gradebook.find_source_cell, grade_id) is not None

    def _found(self, find, grade_id):
        try:
            return find(grade_id, self.notebook_id, self.assignment_id)
        except MissingEntry:
            return None

    def _restore_flags(self, cell, resources, cell_index) -> None:
        """Put back the source's ``grade``/``solution``/``locked``/``task`` flags (and points) of a cell:
        nbgrader restores a locked cell's text but not these flags, which are part of its checksum, so a
        flipped flag would fail the whole notebook. A change is reported as tampering."""
        meta, grade_id = cell.metadata["nbgrader"], cell.metadata["nbgrader"]["grade_id"]
        graded = self._found(self.gradebook.find_graded_cell, grade_id)
        want = {"grade": graded is not None and not self._found(self.gradebook.find_task_cell, grade_id),
                "solution": self._found(self.gradebook.find_solution_cell, grade_id) is not None,
                "locked": self.gradebook.find_source_cell(grade_id, self.notebook_id, self.assignment_id).locked,
                "task": self._found(self.gradebook.find_task_cell, grade_id) is not None}
        changed = sorted(k for k, v in want.items() if bool(meta.get(k, False)) != v)
        if not changed:
            return
        meta.update(want)
        if graded is not None:
            meta["points"] = float(graded.max_score)
        else:
            meta.pop("points", None)
        status.report(resources, Outcome(status.TAMPERED, f"cell {grade_id}: nbgrader flags changed "
                                         f"({', '.join(changed)}); graded as the source's", cell_index + 1))

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
