"""The course's assignments, one declaration per file (:class:`autograder.assignment.Assignment`).

Author side: these files hold the solutions, so they are never visible to student code. Load one with
:func:`autograder.assignment.load`; generate what is made from it with ``python -m autograder.authoring``.
"""
