r"""Smoothing a noisy cost curve with an exponential moving average (指数加权均值).

Lecture 000's slide writes :math:`C'_i = \beta C_i + (1-\beta) C_{i-1}`: that mixes only the two latest raw
costs, so it forgets everything older and is not a moving average at all. The standard recurrence feeds the
*smoothed* value back:

.. math::

    C'_0 = C_0, \qquad C'_i = \beta\, C'_{i-1} + (1 - \beta)\, C_i ,

so :math:`C'_i` weighs the cost :math:`k` steps back by :math:`(1-\beta)\beta^k`, a memory of about
:math:`1/(1-\beta)` steps.
"""

from __future__ import annotations

import numpy as np

from . import _checks


def ema(values, beta, bias_correction=False) -> np.ndarray:
    r"""The exponential moving average of ``values`` (a 1-D sequence) with decay ``beta``.

    Without bias correction it starts at the first value, as the lecture does:
    :math:`C'_0 = C_0`, :math:`C'_i = \beta C'_{i-1} + (1 - \beta) C_i`.
    With bias correction it starts at :math:`m_0 = 0`, updates :math:`m_t = \beta m_{t-1} + (1-\beta) C_{t-1}`
    for :math:`t = 1, 2, \dots` and returns :math:`\hat m_t = m_t / (1 - \beta^t)`: exactly Adam's
    :math:`\hat m` when ``values`` are the gradients.

    >>> ema([1.0, 2.0, 3.0], beta=0.5)
    array([1.  , 1.5 , 2.25])
    >>> ema([1.0, 2.0, 3.0], beta=0.5, bias_correction=True)
    array([1.        , 1.66666667, 2.42857143])
    """
    values = _checks.as_array(values, "values")
    if values.ndim != 1 or values.size == 0:
        raise ValueError(f"values must be a non-empty 1-D sequence, got shape {values.shape}")
    beta = _checks.unit_interval(beta, "beta")
    out = np.empty_like(values)
    m = 0.0 if bias_correction else values[0]
    for i in range(len(values)):  # a recurrence in time: each value needs the one before
        m = beta * m + (1 - beta) * values[i]
        out[i] = m
    if bias_correction:
        out /= 1 - beta ** np.arange(1, len(values) + 1)
    return out
