"""Bad input gets a clear ValueError or TypeError that names the argument."""

import numpy as np
import pytest

import solutions as S

X, Y = S.hours_points()


@pytest.mark.parametrize(
    "call, error, words",
    [
        (lambda: S.cost(1.0, [1.0, 2.0], [1.0]), ValueError, "x and y must have the same shape"),
        (lambda: S.gradient(1.0, [1.0, 2.0, 3.0], [[1.0], [2.0], [3.0]]), ValueError, "same shape"),
        (lambda: S.cost(1.0, [], []), ValueError, "empty"),
        (lambda: S.loss(1.0, [], []), ValueError, "empty"),
        (lambda: S.cost(np.nan, X, Y), ValueError, "w must be finite"),
        (lambda: S.cost(1.0, [1.0, np.inf], [1.0, 2.0]), ValueError, "x must be finite"),
        (lambda: S.cost("two", X, Y), TypeError, "w must be numeric"),
        (lambda: S.gd_step(1.0, 1.0, lr=0), ValueError, "lr must be positive"),
        (lambda: S.gd_step(1.0, 1.0, lr=-0.1), ValueError, "lr must be positive"),
        (lambda: S.gd_step(1.0, 1.0, lr="0.1"), TypeError, "lr must be a real number"),
        (lambda: S.gd_step([1.0, 2.0], [1.0], lr=0.1), ValueError, "grad must have the shape of theta"),
        (lambda: S.gd_step(1.0, np.nan, lr=0.1), ValueError, "grad must be finite"),
        (lambda: S.momentum_step(1.0, 1.0, S.momentum_init(1.0), lr=0.1, momentum=1.0), ValueError, "momentum must be in [0, 1)"),
        (lambda: S.adam_step(1.0, 1.0, S.adam_init(1.0), beta1=1.0), ValueError, "beta1 must be in [0, 1)"),
        (lambda: S.adam_step(1.0, 1.0, S.adam_init(1.0), beta2=-0.1), ValueError, "beta2 must be in [0, 1)"),
        (lambda: S.rmsprop_step(1.0, 1.0, S.rmsprop_init(1.0), alpha=1.5), ValueError, "alpha must be in [0, 1)"),
        (lambda: S.adagrad_step(1.0, 1.0, S.adagrad_init(1.0), eps=-1.0), ValueError, "eps must be non-negative"),
        (lambda: S.ema([1.0, 2.0], beta=1.0), ValueError, "beta must be in [0, 1)"),
        (lambda: S.ema([], beta=0.9), ValueError, "non-empty"),
        (lambda: S.grid_search(lambda p: p[:, 0], [(1.0, 0.0)], 4), ValueError, "lo < hi"),
        (lambda: S.grid_search(lambda p: p[:, 0], [(0.0, 1.0)], 0), ValueError, "points_per_dim must be at least 1"),
        (lambda: S.grid_search(lambda p: p, [(0.0, 1.0), (0.0, 1.0)], 3), ValueError, "f must map an (M, d) array"),
        (lambda: S.coarse_to_fine(lambda p: p[:, 0], [(0.0, 1.0)], 4, levels=0), ValueError, "levels must be at least 1"),
        (lambda: S.step_decay(0.1, step_size=0), ValueError, "step_size must be at least 1"),
        (lambda: S.cosine_decay(-0.1, t_max=10), ValueError, "lr0 must be positive"),
        (lambda: S.step_decay(0.1, 5)(-1), ValueError, "t must be at least 0"),
        (lambda: S.newton_step([1.0, 1.0], [1.0, 1.0], np.zeros((2, 2))), ValueError, "hess is singular"),
        (lambda: S.newton_step([1.0, 1.0], [1.0, 1.0], np.eye(3)), ValueError, "hess must be (2, 2)"),
        (lambda: S.last_layer_gradient(np.ones((3, 2)), np.ones(3), 0.0, np.ones(3)), ValueError, "w (K,)"),
        (lambda: S.run_epochs(S.gd_step, [1.0], S.LinearRegression(X[:, None], Y), 1, 0, lr=0.1), ValueError, "batch_size"),
        (lambda: S.Quadratic(kappa=0.5), ValueError, "kappa must be at least 1"),
        (lambda: S.LinearRegression(np.ones((3, 1)), np.ones(2)), ValueError, "X must be (N, d)"),
    ],
)
def test_bad_input_is_named(call, error, words):
    with pytest.raises(error) as info:
        call()
    assert words in str(info.value)
