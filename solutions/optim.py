r"""First-order update rules as pure functions with explicit state.

Every optimizer of the course is an ``init``/``step`` pair of one shape:

* ``init(theta0) -> state``, a ``NamedTuple`` (:class:`EmptyState` for gradient descent, which remembers
  nothing);
* ``step(theta, grad, state, **hyper) -> (new_theta, new_state)``: the parameters :math:`\theta`, the
  gradient :math:`g` at :math:`\theta`, the state and the hyperparameters in; the next parameters and state
  out. Nothing is mutated, so every past state stays valid.

:data:`solutions.OPTIMIZERS` names the pairs, and :func:`solutions.optimize` runs any of them.
:func:`gd_step` ``(theta, grad, lr) -> new_theta`` is gradient descent without the state, kept as a
convenience. The conventions are PyTorch's ``torch.optim`` (``SGD`` with dampening 0, ``Adagrad``,
``RMSprop``, ``Adam``), so the numbers match what students see there; the book shows the lectures' own forms
and how they relate.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from . import _checks


def _inputs(theta, grad):
    theta, grad = _checks.as_array(theta, "theta"), _checks.as_array(grad, "grad")
    _checks.same_shape(theta, grad)
    return theta, grad


def gd_step(theta, grad, lr):
    r"""Gradient descent: :math:`\theta \leftarrow \theta - \alpha g`. Returns ``new_theta`` only: the
    stateless convenience form of :func:`gd_update`.

    >>> gd_step(1.0, -28 / 3, lr=0.01)  # the lecture's first epoch: w = 1.09...
    1.0933333333333333
    """
    theta, grad = _inputs(theta, grad)
    return _checks.result(theta - _checks.positive(lr, "lr") * grad)


class EmptyState(NamedTuple):
    """The state of an optimizer that remembers nothing between steps (gradient descent, Newton)."""


def empty_init(theta) -> EmptyState:
    """The empty state (``theta`` is only checked)."""
    _checks.as_array(theta, "theta")
    return EmptyState()


def gd_update(theta, grad, state: EmptyState, lr):
    r"""Gradient descent in the shape every optimizer shares: :math:`\theta \leftarrow \theta - \alpha g`,
    returning ``(new_theta, state)`` with the (empty) state unchanged. This is ``torch.optim.SGD`` with
    momentum 0; :func:`gd_step` is the same update without the state.

    >>> gd_update(1.0, -28 / 3, empty_init(1.0), lr=0.01)
    (1.0933333333333333, EmptyState())
    """
    return gd_step(theta, grad, lr), state


class MomentumState(NamedTuple):
    """``v``: the velocity, a running sum of past gradients decayed by μ."""

    v: np.ndarray


def momentum_init(theta) -> MomentumState:
    """Zero velocity."""
    return MomentumState(np.zeros_like(_checks.as_array(theta, "theta")))


def momentum_step(theta, grad, state: MomentumState, lr, momentum=0.9, nesterov=False):
    r"""SGD with momentum (heavy ball), ``torch.optim.SGD`` with dampening 0. Returns
    ``(new_theta, MomentumState(v))``.

    .. math::

        v &\leftarrow \mu v + g \\
        \theta &\leftarrow \theta - \alpha v
        \qquad\text{or, with Nesterov,}\qquad
        \theta \leftarrow \theta - \alpha (g + \mu v)

    Lecture 004 writes :math:`v \leftarrow \lambda v - \eta g,\ \theta \leftarrow \theta + v`; with
    :math:`\lambda = \mu` and a constant :math:`\eta = \alpha` its velocity is :math:`-\alpha` times ours and
    the iterates are the same. Nesterov's look-ahead gradient (lecture 003) becomes this form after the
    change of variables :math:`\tilde x = x + \rho v`. Defaults: ``momentum=0.9`` (Polyak 1964; Nesterov 1983).

    >>> theta, state = momentum_step(1.0, 2.0, momentum_init(1.0), lr=0.1)
    >>> theta, state.v
    (0.8, array(2.))
    >>> theta, state = momentum_step(theta, 2.0, state, lr=0.1)
    >>> round(theta, 10), state.v
    (0.42, array(3.8))
    """
    theta, grad = _inputs(theta, grad)
    lr = _checks.positive(lr, "lr")
    mu = _checks.unit_interval(momentum, "momentum")
    v = np.asarray(mu * state.v + grad)
    direction = grad + mu * v if nesterov else v
    return _checks.result(theta - lr * direction), MomentumState(v)


class AdaGradState(NamedTuple):
    """``s``: the sum of the squared gradients so far, per parameter."""

    s: np.ndarray


def adagrad_init(theta) -> AdaGradState:
    """A zero sum of squares (``torch.optim.Adagrad``'s ``initial_accumulator_value=0``)."""
    return AdaGradState(np.zeros_like(_checks.as_array(theta, "theta")))


def adagrad_step(theta, grad, state: AdaGradState, lr=0.01, eps=1e-10):
    r"""AdaGrad (Duchi, Hazan & Singer 2011), ``torch.optim.Adagrad``. Returns
    ``(new_theta, AdaGradState(s))``.

    .. math::

        s &\leftarrow s + g^2 \\
        \theta &\leftarrow \theta - \alpha \, \frac{g}{\sqrt{s} + \epsilon}

    Lecture 004's σ-form, :math:`\theta \leftarrow \theta - \frac{\eta^t}{\sigma^t} g` with
    :math:`\eta^t = \eta/\sqrt{t+1}` and :math:`\sigma^t = \sqrt{\frac1{t+1}\sum_{i\le t} (g^i)^2}`, is the
    same update: the two :math:`\sqrt{t+1}` cancel, leaving :math:`\eta\, g / \sqrt{s}` (with ε = 0).
    ε sits outside the square root. Defaults ``lr=0.01``, ``eps=1e-10``.

    >>> theta, state = adagrad_step(1.0, 2.0, adagrad_init(1.0), lr=0.1)
    >>> round(theta, 10), state.s
    (0.9, array(4.))
    """
    theta, grad = _inputs(theta, grad)
    lr = _checks.positive(lr, "lr")
    eps = _checks.non_negative(eps, "eps")
    s = np.asarray(state.s + grad**2)
    return _checks.result(theta - lr * grad / (np.sqrt(s) + eps)), AdaGradState(s)


class RMSPropState(NamedTuple):
    """``s``: the running average of the squared gradients, per parameter."""

    s: np.ndarray


def rmsprop_init(theta, s0=None) -> RMSPropState:
    r"""PyTorch starts the running average at zero; pass ``s0 = g0**2`` (the first gradient squared) for
    lecture 004's start :math:`\sigma^0 = |g^0|`: the first step then keeps
    :math:`s = \alpha g_0^2 + (1 - \alpha) g_0^2 = g_0^2`."""
    theta = _checks.as_array(theta, "theta")
    s = np.zeros_like(theta) if s0 is None else _checks.as_array(s0, "s0")
    _checks.same_shape(theta, s)
    return RMSPropState(s)


def rmsprop_step(theta, grad, state: RMSPropState, lr=0.01, alpha=0.99, eps=1e-8):
    r"""RMSProp, "leaky AdaGrad" (Tieleman & Hinton 2012), ``torch.optim.RMSprop``. Returns
    ``(new_theta, RMSPropState(s))``.

    .. math::

        s &\leftarrow \alpha s + (1 - \alpha) g^2 \\
        \theta &\leftarrow \theta - \alpha_{\text{lr}} \, \frac{g}{\sqrt{s} + \epsilon}

    Lecture 004's σ-form has :math:`\sigma^t = \sqrt{s}`. Its start :math:`\sigma^0 = g^0` differs from
    PyTorch's zero start: see :func:`rmsprop_init`. Defaults ``lr=0.01``, ``alpha=0.99``, ``eps=1e-8``.

    >>> theta, state = rmsprop_step(1.0, 2.0, rmsprop_init(1.0), lr=0.1)
    >>> round(theta, 6), state.s
    (0.0, array(0.04))
    """
    theta, grad = _inputs(theta, grad)
    lr = _checks.positive(lr, "lr")
    alpha = _checks.unit_interval(alpha, "alpha")
    eps = _checks.non_negative(eps, "eps")
    s = np.asarray(alpha * state.s + (1 - alpha) * grad**2)
    return _checks.result(theta - lr * grad / (np.sqrt(s) + eps)), RMSPropState(s)


class AdamState(NamedTuple):
    """``m`` and ``v``: the biased first and second moment estimates; ``t``: the number of steps taken."""

    m: np.ndarray
    v: np.ndarray
    t: int


def adam_init(theta) -> AdamState:
    """Zero moments at step 0 (Kingma & Ba, Algorithm 1)."""
    zeros = np.zeros_like(_checks.as_array(theta, "theta"))
    return AdamState(zeros, zeros.copy(), 0)


def adam_step(theta, grad, state: AdamState, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, bias_correction=True):
    r"""Adam (Kingma & Ba 2015, Algorithm 1), ``torch.optim.Adam``. Returns
    ``(new_theta, AdamState(m, v, t))``.

    .. math::

        t &\leftarrow t + 1 \\
        m &\leftarrow \beta_1 m + (1 - \beta_1) g \\
        v &\leftarrow \beta_2 v + (1 - \beta_2) g^2 \\
        \hat m &= m / (1 - \beta_1^t), \qquad \hat v = v / (1 - \beta_2^t) \\
        \theta &\leftarrow \theta - \alpha \, \frac{\hat m}{\sqrt{\hat v} + \epsilon}

    :math:`\hat m` is the bias-corrected exponential moving average of the gradients, exactly
    ``ema(grads, beta1, bias_correction=True)``. With ``bias_correction=False`` the hats are dropped; with
    ``beta1=0`` as well, Adam is RMSProp with ``alpha=beta2``. Defaults ``lr=1e-3``, ``beta1=0.9``,
    ``beta2=0.999``, ``eps=1e-8``.

    >>> theta, state = adam_step(1.0, 2.0, adam_init(1.0), lr=0.1)
    >>> round(theta, 6), state.t  # the first step moves by lr · sign(g)
    (0.9, 1)
    """
    theta, grad = _inputs(theta, grad)
    lr = _checks.positive(lr, "lr")
    beta1 = _checks.unit_interval(beta1, "beta1")
    beta2 = _checks.unit_interval(beta2, "beta2")
    eps = _checks.non_negative(eps, "eps")
    t = state.t + 1
    m = np.asarray(beta1 * state.m + (1 - beta1) * grad)
    v = np.asarray(beta2 * state.v + (1 - beta2) * grad**2)
    m_hat, v_hat = (m / (1 - beta1**t), v / (1 - beta2**t)) if bias_correction else (m, v)
    return _checks.result(theta - lr * m_hat / (np.sqrt(v_hat) + eps)), AdamState(m, v, t)
