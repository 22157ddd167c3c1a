"""The course's nbgrader autograder.

Three kinds of code live here, apart:

* kernel side, :mod:`autograder.probe`: the probe, the input cases and ``hide``, the only course code the
  grading kernel can see (this file, which must stay free of code, is bound beside it so that the package
  imports);
* grader side: verdicts, comparison, diagnostics, the sandbox and the CLI, which run in the grader's own
  process;
* author side: :mod:`autograder.assignments` (one file per assignment: text, solutions, tests, cases,
  points and known mistakes) and :mod:`autograder.authoring`, which generates the source notebooks, the
  case files and the sample submissions from them.

See ``autograder/README.md``.
"""
