"""The lecture's model, cost and gradients, and its printed gradient-descent table (lectures 000 and 002)."""

import numpy as np
import pytest

from solutions import cost, forward, gd_step, gradient, gradient_check, hours_points, loss, loss_gradient, run

X, Y = hours_points()

# The slide's printout (lecture 000): epoch -> (w after the update, cost before it), to 2 decimals.
LECTURE_TABLE = {
    0: (1.09, 4.67), 1: (1.18, 3.84), 2: (1.25, 3.15), 3: (1.32, 2.59), 4: (1.39, 2.13), 5: (1.44, 1.75),
    6: (1.50, 1.44), 7: (1.54, 1.18), 8: (1.59, 0.97), 9: (1.62, 0.80), 10: (1.66, 0.66),
    **{epoch: (2.00, 0.00) for epoch in range(90, 100)},
}


def lecture_loop():
    """The lecture's loop, written with the reference functions: print w after the update and the cost before it."""
    w, rows = 1.0, {}
    for epoch in range(100):
        cost_val = cost(w, X, Y)
        w = gd_step(w, gradient(w, X, Y), lr=0.01)
        rows[epoch] = (w, cost_val)
    return w, rows


def test_data_and_model():
    assert X.tolist() == [1.0, 2.0, 3.0] and Y.tolist() == [2.0, 4.0, 6.0]
    assert forward(4, 1.0) == 4.0  # "Predict (before training) 4 4.0"
    assert forward(X, 2.0).tolist() == Y.tolist()


@pytest.mark.parametrize("epoch", sorted(LECTURE_TABLE))
def test_every_row_of_the_lecture_table(epoch):
    _, rows = lecture_loop()
    w, c = rows[epoch]
    assert (f"{w:.2f}", f"{c:.2f}") == tuple(f"{v:.2f}" for v in LECTURE_TABLE[epoch])


def test_prediction_after_training_is_8():
    w, _ = lecture_loop()
    assert f"{forward(4, w):.2f}" == "8.00"


def test_driver_reproduces_the_lecture_loop():
    path = run(gd_step, 1.0, lambda w: gradient(w, X, Y), 100, lambda w: cost(w, X, Y), lr=0.01)
    _, rows = lecture_loop()
    assert np.allclose(path.thetas[1:], [rows[e][0] for e in range(100)])
    assert np.allclose(path.costs[:-1], [rows[e][1] for e in range(100)])


def test_cost_is_vectorized_over_candidate_weights():
    ws = np.linspace(0, 4, 41)
    curve = cost(ws, X, Y)
    assert curve.shape == ws.shape
    assert np.allclose(curve, [np.mean((X * w - Y) ** 2) for w in ws])
    assert ws[np.argmin(curve)] == pytest.approx(2.0)
    grid = cost(np.ones((3, 4)), X, Y)
    assert grid.shape == (3, 4) and np.allclose(grid, 14 / 3)


def test_cost_is_a_mean_not_a_sum():
    assert cost(1.0, X, Y) == pytest.approx(14 / 3)
    assert cost(0.0, [2.0], [0.0]) == pytest.approx(0.0)


def test_gradient_matches_the_derivation_and_a_numeric_check():
    assert gradient(1.0, X, Y) == pytest.approx(-28 / 3)
    assert np.allclose(gradient(np.array([0.0, 2.0]), X, Y), [-56 / 3, 0.0])
    for w in (-1.0, 0.5, 3.0):
        assert gradient_check(lambda t: cost(t[0], X, Y), lambda t: np.array([gradient(t[0], X, Y)]), [w]) < 1e-8


def test_per_sample_loss_and_gradient():
    assert loss(1.0, X, Y).tolist() == [1.0, 4.0, 9.0]
    assert loss_gradient(1.0, X, Y).tolist() == [-2.0, -8.0, -18.0]
    assert np.mean(loss(1.3, X, Y)) == pytest.approx(cost(1.3, X, Y))
    assert np.mean(loss_gradient(1.3, X, Y)) == pytest.approx(gradient(1.3, X, Y))
    for xn, yn in zip(X, Y):
        assert gradient_check(lambda t: loss(t[0], xn, yn), lambda t: np.array([loss_gradient(t[0], xn, yn)]), [0.7]) < 1e-8


def test_inputs_are_not_mutated():
    x, y, w = X.copy(), Y.copy(), np.array([1.0, 2.0])
    cost(w, x, y), gradient(w, x, y), loss(w[0], x, y)
    assert x.tolist() == X.tolist() and y.tolist() == Y.tolist() and w.tolist() == [1.0, 2.0]
