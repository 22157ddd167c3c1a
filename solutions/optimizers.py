r"""The registry of the course's optimizers: name → :class:`Optimizer` (init, step, default hyperparameters,
``torch.optim`` class), and the stability limit of the learning rate where the theory gives one.

Every entry has the one shape of :mod:`solutions.optim`: ``init(theta0) -> state`` and
``step(theta, grad, state, **hyper) -> (new_theta, new_state)``. The book's demos and chapters, the tests
and :func:`solutions.optimize` read the optimizers from here.

>>> list(OPTIMIZERS)
['GD', 'momentum', 'Nesterov', 'AdaGrad', 'RMSProp', 'Adam', 'Newton']
>>> OPTIMIZERS["momentum"].defaults, OPTIMIZERS["momentum"].torch
({'momentum': 0.9, 'nesterov': False}, 'SGD')
"""

from __future__ import annotations

from typing import Callable, NamedTuple

from . import _checks
from .optim import (
    adagrad_init,
    adagrad_step,
    adam_init,
    adam_step,
    empty_init,
    gd_update,
    momentum_init,
    momentum_step,
    rmsprop_init,
    rmsprop_step,
)
from .second_order import newton_update


class Optimizer(NamedTuple):
    """One optimizer of the course.

    ``step(theta, grad, init(theta0), **{**defaults, **hyper})`` is one update; ``defaults`` are the
    hyperparameters used unless the caller gives others (PyTorch's defaults, the course's μ = 0.9), and a
    caller must add any that has no default (``lr`` of GD and momentum, ``hess`` of Newton). ``torch`` is the
    name of the matching ``torch.optim`` class, or None."""

    name: str
    init: Callable
    step: Callable
    defaults: dict
    torch: str | None


OPTIMIZERS: dict[str, Optimizer] = {
    o.name: o
    for o in (
        Optimizer("GD", empty_init, gd_update, {}, "SGD"),
        Optimizer("momentum", momentum_init, momentum_step, {"momentum": 0.9, "nesterov": False}, "SGD"),
        Optimizer("Nesterov", momentum_init, momentum_step, {"momentum": 0.9, "nesterov": True}, "SGD"),
        Optimizer("AdaGrad", adagrad_init, adagrad_step, {"lr": 0.01, "eps": 1e-10}, "Adagrad"),
        Optimizer("RMSProp", rmsprop_init, rmsprop_step, {"lr": 0.01, "alpha": 0.99, "eps": 1e-8}, "RMSprop"),
        Optimizer("Adam", adam_init, adam_step, {"lr": 1e-3, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8},
                  "Adam"),
        Optimizer("Newton", empty_init, newton_update, {}, None),
    )
}


def stable_lr(optimizer: Optimizer, lam_max, **hyper) -> float | None:
    r"""The stability limit: ``optimizer`` converges from every start on every quadratic whose Hessian has
    eigenvalues in :math:`(0, \lambda_{\max}]` if and only if its learning rate is below this, or None where
    no such limit exists.

    On a quadratic each eigen-direction :math:`\lambda` evolves on its own, and the method converges when
    every root :math:`z` of its characteristic polynomial has :math:`|z| < 1` (Jury's conditions):

    .. math::

        \text{GD: } z = 1 - \alpha\lambda
            &\quad\Rightarrow\quad \alpha < \frac{2}{\lambda_{\max}} \\
        \text{momentum: } z^2 - (1 + \mu - \alpha\lambda) z + \mu
            &\quad\Rightarrow\quad \alpha < \frac{2(1 + \mu)}{\lambda_{\max}} \\
        \text{Nesterov: } z^2 - (1 + \mu)(1 - \alpha\lambda) z + \mu(1 - \alpha\lambda)
            &\quad\Rightarrow\quad \alpha < \frac{2(1 + \mu)}{(1 + 2\mu)\,\lambda_{\max}}

    (μ from ``hyper`` or the optimizer's defaults). AdaGrad, RMSProp and Adam have no such limit: their step
    is :math:`\alpha` times a ratio of gradient statistics that stays bounded whatever the gradient, so a
    large rate makes them jitter, not grow geometrically. Newton has no learning rate. For those, and for
    an optimizer that is not registered here, it is None.

    >>> stable_lr(OPTIMIZERS["GD"], 10.0), stable_lr(OPTIMIZERS["momentum"], 10.0)
    (0.2, 0.38)
    >>> round(stable_lr(OPTIMIZERS["Nesterov"], 10.0), 4), stable_lr(OPTIMIZERS["Adam"], 10.0)
    (0.1357, None)
    """
    lam = _checks.positive(float(lam_max), "lam_max")
    hyper = {**optimizer.defaults, **hyper}
    if optimizer.step is gd_update:
        return 2 / lam
    if optimizer.step is momentum_step:
        mu = _checks.unit_interval(hyper.get("momentum", 0.9), "momentum")
        return 2 * (1 + mu) / ((1 + 2 * mu if hyper.get("nesterov") else 1) * lam)
    return None
