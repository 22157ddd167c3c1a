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


def linear_warmup(lr0, warmup_steps, start_factor=1 / 3) -> Callable[[int], float]:
    r"""Warm-up: :math:`\alpha_t = \alpha_0 \big(s + (1 - s)\min(t, T)/T\big)`, a rate that grows linearly
    from :math:`s\,\alpha_0` at :math:`t = 0` to :math:`\alpha_0` at :math:`t = T` (``warmup_steps``) and stays
    there (``LinearLR`` with ``start_factor`` :math:`s`, ``end_factor=1`` and ``total_iters`` :math:`T`).

    The first steps of an optimizer are often its least reliable: its state (a velocity, a running mean of
    squared gradients) has not been built up yet. Warm-up keeps them short.

    >>> schedule = linear_warmup(0.05, warmup_steps=4, start_factor=0.5)
    >>> [round(schedule(t), 10) for t in (0, 1, 2, 4, 9)]
    [0.025, 0.03125, 0.0375, 0.05, 0.05]
    """
    lr0 = _checks.positive(lr0, "lr0")
    warmup_steps = _checks.count(warmup_steps, "warmup_steps")
    start_factor = _checks.positive(start_factor, "start_factor")
    if start_factor > 1:
        raise ValueError(f"start_factor must be at most 1 (the rate grows to lr0), got {start_factor!r}")
    return lambda t: lr0 * (start_factor + (1 - start_factor) * min(_step(t), warmup_steps) / warmup_steps)
