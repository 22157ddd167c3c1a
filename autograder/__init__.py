"""The course's nbgrader autograder: probes (kernel side), cases, trusted verdicts and the CLI.

Importing this package must stay cheap and must never import :mod:`solutions`: the hidden tests of every
assignment import :mod:`autograder.probe` inside the student's kernel, where the reference is hidden.
"""
