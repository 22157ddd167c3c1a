r"""Learning-rate schedules. Each returns a function from the step (or epoch) count :math:`t = 0, 1, \dots`
to the learning rate :math:`\alpha_t`, matching ``torch.optim.lr_scheduler`` where one exists.

Far from the minimum a large step makes progress; close to it a small one settles (lecture 004).
"""

from __future__ import annotations

import math
from typing import Callable

from . import _checks


def _step(t) -> int:
    return _checks.count(t, "t", minimum=0)


def step_decay(lr0, step_size, gamma=0.1) -> Callable[[int], float]:
    r""":math:`\alpha_t = \alpha_0 \gamma^{\lfloor t / \text{step\_size} \rfloor}` (``StepLR``).

    >>> schedule = step_decay(0.1, step_size=10, gamma=0.5)
    >>> [schedule(t) for t in (0, 9, 10, 25)]
    [0.1, 0.1, 0.05, 0.025]
    """
    lr0 = _checks.positive(lr0, "lr0")
    step_size = _checks.count(step_size, "step_size")
    gamma = _checks.positive(gamma, "gamma")
    return lambda t: lr0 * gamma ** (_step(t) // step_size)


def exponential_decay(lr0, gamma) -> Callable[[int], float]:
    r""":math:`\alpha_t = \alpha_0 \gamma^t` (``ExponentialLR``).

    >>> round(exponential_decay(0.1, 0.9)(2), 10)
    0.081
    """
    lr0 = _checks.positive(lr0, "lr0")
    gamma = _checks.positive(gamma, "gamma")
    return lambda t: lr0 * gamma ** _step(t)


def inverse_sqrt_decay(lr0) -> Callable[[int], float]:
    r""":math:`\alpha_t = \alpha_0 / \sqrt{t + 1}`: lecture 004's :math:`\eta^t = \eta / \sqrt{t+1}`
    (no PyTorch class; ``LambdaLR`` with this function gives it).

    >>> inverse_sqrt_decay(1.0)(3)
    0.5
    """
    lr0 = _checks.positive(lr0, "lr0")
    return lambda t: lr0 / math.sqrt(_step(t) + 1)


def cosine_decay(lr0, t_max, lr_min=0.0) -> Callable[[int], float]:
    r""":math:`\alpha_t = \alpha_{\min} + \tfrac12 (\alpha_0 - \alpha_{\min})(1 + \cos(\pi t / T_{\max}))`
    (``CosineAnnealingLR`` with ``T_max`` and ``eta_min``; past :math:`T_{\max}` it rises again, as PyTorch's).

    >>> schedule = cosine_decay(0.1, t_max=10)
    >>> schedule(0), round(schedule(5), 10), schedule(10)
    (0.1, 0.05, 0.0)
    """
    lr0 = _checks.positive(lr0, "lr0")
    t_max = _checks.count(t_max, "t_max")
    lr_min = _checks.non_negative(lr_min, "lr_min")
    return lambda t: lr_min + 0.5 * (lr0 - lr_min) * (1 + math.cos(math.pi * _step(t) / t_max))
