"""Lecture 004's exercise: the output-layer gradient of a small network."""

import numpy as np
import pytest

from solutions import last_layer_gradient
from solutions.network import LECTURE_B, LECTURE_N, LECTURE_W, LECTURE_Y


def test_reproduces_the_lectures_table():
    y_hat = LECTURE_N @ LECTURE_W + LECTURE_B
    assert np.allclose(y_hat, [0.24090589, 0.35940748, 0.29240797], atol=1e-6)  # the Y_hat column
    per_sample = -2 * (LECTURE_Y - y_hat) * LECTURE_N[:, 0]
    assert np.allclose(per_sample, [-9.416480357, -20.01208761, -43.13483372], atol=1e-6)  # GradientsPerData
    dw, db = last_layer_gradient(LECTURE_N, LECTURE_W, LECTURE_B, LECTURE_Y)
    assert dw[0] == pytest.approx(-24.1878006, abs=1e-6)  # the spreadsheet's "Gradient n6"
    assert round(dw[0], 2) == -24.19
    assert dw[1] == pytest.approx(-30.7693, abs=0.01) and db == pytest.approx(-38.7382, abs=0.01)  # PyTorch's dump
