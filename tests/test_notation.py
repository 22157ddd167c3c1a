"""The notation table is the one place names are decided: every code name it gives must exist in the code."""

import re
from pathlib import Path

import solutions

NOTATION = (Path(__file__).resolve().parents[1] / "book" / "notation.md").read_text()
CODE = re.findall(r"`([^`]+)`", NOTATION)


def test_functions_named_in_the_table_exist_in_solutions():
    called = {name for span in CODE for name in re.findall(r"(?<![.\w])([a-z_]+)\(", span)}
    called -= {"len", "sqrt", "lr"}  # Python's len, numpy's sqrt, and `lr(t)`: a schedule is a callable lr
    assert called, "the table names no functions"
    missing = sorted(name for name in called if not hasattr(solutions, name))
    assert not missing, f"book/notation.md names functions that solutions does not have: {missing}"


def test_state_fields_named_in_the_table_exist():
    fields = {name for span in CODE for name in re.findall(r"state\.([a-z]+)", span)}
    states = [solutions.MomentumState, solutions.AdaGradState, solutions.RMSPropState, solutions.AdamState]
    known = {field for state in states for field in state._fields}
    assert fields and fields <= known, f"unknown state fields: {sorted(fields - known)}"


def test_problem_attributes_named_in_the_table_exist():
    attributes = {name for span in CODE for name in re.findall(r"problem\.([a-z_]+)", span)}
    problem = solutions.make_regression(n=10, d=2)
    assert attributes and all(hasattr(problem, a) for a in attributes), sorted(attributes)


def test_hyperparameter_names_are_the_signatures_names():
    import inspect

    for name in ("lr", "momentum", "alpha", "beta1", "beta2", "eps"):
        assert f"`{name}`" in NOTATION
    parameters = {p for f in (solutions.momentum_step, solutions.rmsprop_step, solutions.adam_step)
                  for p in inspect.signature(f).parameters}
    assert {"lr", "momentum", "alpha", "beta1", "beta2", "eps"} <= parameters
