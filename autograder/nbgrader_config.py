"""nbgrader configuration of the course (nbgrader 0.9).

The course root is this folder unless the CLI (``python -m autograder --course-dir DIR``) points at another
one: it then writes ``DIR/nbgrader_config.py``, which loads this file and sets ``CourseDirectory.root``.
Sources are always read from this folder's ``source/<assignment>/<assignment>.ipynb``.

Grading: nbgrader's own autograde pipeline with one addition, :class:`autograder.verdicts.TrustedVerdicts`,
right after the execution, which replaces the kernel's output of every graded cell by a verdict computed in
this process (see its docstring). The other preprocessors are nbgrader's, or small subclasses of them in
:mod:`autograder.execute`: ``SandboxedExecute`` runs the notebook in the sandbox and survives a dead kernel;
sanitizing drops the empty metadata nbgrader's ``DeduplicateIds`` leaves behind and does not report untouched
hidden-test cells as changed; ``CheckCellMetadataOnce`` is nbgrader's metadata check, faster. The cell
timeout is ``AUTOGRADER_CELL_TIMEOUT`` seconds (default 30).

Feedback: nbgrader's ``generate_feedback`` with :class:`autograder.feedback.FeedbackExporter`, whose pages run
no script from a notebook and load MathJax from the student's feedback folder.
"""

import os

from nbconvert.preprocessors import ClearMetadataPreprocessor
from nbgrader.preprocessors import (ClearOutput, DeduplicateIds, IgnorePattern, LimitOutput, OverwriteKernelspec,
                                    SaveAutoGrades)

from autograder import feedback
from autograder.collect import LmsCollector, SafeExtractor
from autograder.execute import (CheckCellMetadataOnce, DropEmptyNbgraderMetadata, ReleaseAwareOverwriteCells,
                                SandboxedExecute)
from autograder.penalties import CourseLatePenalties
from autograder.verdicts import TrustedVerdicts

HERE = os.path.dirname(os.path.abspath(__file__))

c = get_config()  # noqa: F821 - provided by traitlets when it loads this file

c.CourseDirectory.course_id = "gradient-descent-hands-on"
c.CourseDirectory.root = HERE
c.CourseDirectory.source_directory = os.path.join(HERE, "source")

# Each cell gets this long; nbgrader interrupts the kernel on timeout and carries on with the next cell.
c.SandboxedExecute.timeout = int(os.environ.get("AUTOGRADER_CELL_TIMEOUT", "30"))
c.SandboxedExecute.interrupt_on_timeout = True
# Hide the reference and the grader from the grading kernel before any student code runs
# (see autograder/probe/hide.py).
c.SandboxedExecute.extra_arguments = [
    "--HistoryManager.hist_file=:memory:",
    "--IPKernelApp.exec_lines=import autograder.probe.hide as _h; _h.hide(); del _h",
]

c.Autograde.sanitize_preprocessors = [
    ClearOutput,
    DeduplicateIds,
    DropEmptyNbgraderMetadata,
    OverwriteKernelspec,
    ReleaseAwareOverwriteCells,  # nbgrader's OverwriteCells, quiet about cells exactly as released
    CheckCellMetadataOnce,
]
# Student code runs in a bubblewrap jail (autograder/sandbox.py); limits: c.SandboxedKernelManager.*
c.Autograde.autograde_preprocessors = [
    SandboxedExecute,
    TrustedVerdicts,
    IgnorePattern,
    ClearMetadataPreprocessor,
    LimitOutput,
    SaveAutoGrades,
    CourseLatePenalties,  # nbgrader's AssignLatePenalties with course.toml's due dates (autograder/penalties.py)
    CheckCellMetadataOnce,
]

# LMS downloads (Canvas, Moodle, Blackboard, plain names): `nbgrader zip_collect` reads them as the CLI does.
c.ZipCollectApp.collector_plugin = LmsCollector
c.ZipCollectApp.extractor_plugin = SafeExtractor

# Feedback pages: notebook HTML sanitized, no script from a notebook runs, MathJax from the student's feedback
# folder (autograder/feedback.py).
feedback.configure(c)

c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
