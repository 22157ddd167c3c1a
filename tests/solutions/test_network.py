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


def test_the_network_reproduces_the_slides_activations_from_the_recovered_inputs():
    from solutions.network import LECTURE_PARAMS, LECTURE_X, Network

    net = Network()
    theta = net.pack(LECTURE_PARAMS)
    assert theta.shape == (20,)
    assert np.abs(net.hidden(theta) - LECTURE_N).max() < 5e-9  # the spreadsheet's n6, n7 to all 8 decimals
    assert np.array_equal(net.y, LECTURE_Y) and np.array_equal(net.X, LECTURE_X)
    assert np.allclose(LECTURE_X @ [3.0, 2.0], LECTURE_Y) and net.f_star == pytest.approx(0.0, abs=1e-20)
    for name, value in net.unpack(theta).items():
        assert np.array_equal(value, LECTURE_PARAMS[name])


def test_backpropagation_is_the_chain_rule():
    from solutions import gradient_check
    from solutions.network import LECTURE_GRADS, LECTURE_PARAMS, Network

    net = Network()
    theta = net.pack(LECTURE_PARAMS)
    g = net.grad(theta)
    # the output layer is the exercise's hand formula
    dw, db = last_layer_gradient(net.hidden(theta), theta[-3:-1], theta[-1], net.y)
    assert np.allclose(g[-3:], [*dw, db])
    # every layer agrees with the numeric gradient, at the lecture's weights and at random ones
    assert gradient_check(net.f, net.grad, theta) < 1e-7
    assert gradient_check(net.f, net.grad, net.init(seed=3, std=0.5)) < 1e-6
    # and with PyTorch's dump up to the rounding of the printed weights (relative error below 0.1 %)
    dump = net.pack(LECTURE_GRADS)
    assert np.max(np.abs(g - dump) / np.abs(dump)) < 1e-3
    # a mini-batch gradient is the gradient of that batch's mean loss
    one = Network(net.X[[2]], net.y[[2]])
    assert np.allclose(net.batch_gradient(theta, [2]), one.grad(theta))


def test_the_cost_is_vectorized_over_a_trajectory():
    from solutions.network import Network

    net = Network()
    thetas = np.stack([net.init(seed=s) for s in range(4)])
    assert np.allclose(net.f(thetas), [net.f(t) for t in thetas])
    with pytest.raises(ValueError, match="20 parameters"):
        net.f(np.zeros(19))
