"""The Gittins index of a Bernoulli arm with a Beta(a, b) posterior at discount g, by calibration (Gittins 1979;
Gittins, Glazebrook, Weber 2011, Ch. 8): the retirement reward lambda (per step, received forever after retiring) at
which retiring and pulling once more are indifferent,

    V(a, b) = max( lambda / (1 - g),  p + g [p V(a + 1, b) + (1 - p) V(a, b + 1)] ),   p = a / (a + b),

solved backwards over the posterior counts up to ``depth`` further pulls, with lambda found by bisection. Beyond the
depth the value is bounded below by max(lambda, p) / (1 - g) (stop learning) and above by max(lambda, 1) / (1 - g):
the two give a lower and an upper index, whose gap is the stated truncation error (it shrinks like g^depth).
"""
from __future__ import annotations

import numpy as np

from ..errors import TabularEnvError

__all__ = ["gittins_index", "ucb_like_index"]


def _continues(a: float, b: float, g: float, lam: float, depth: int, upper: bool) -> bool:
    """Whether pulling beats retiring at (a, b) when retirement pays lam per step."""
    n = np.arange(depth + 1)                     # successes among the `depth` further pulls
    aa = a + n
    p = aa / (a + b + depth)
    V = np.maximum(lam, 1.0 if upper else p) / (1 - g) * np.ones(depth + 1)
    retire = lam / (1 - g)
    for k in range(depth - 1, -1, -1):           # k further pulls so far: successes 0..k
        s = np.arange(k + 1)
        p = (a + s) / (a + b + k)
        cont = p + g * (p * V[1:k + 2] + (1 - p) * V[:k + 1])
        V = np.maximum(retire, cont)
        if k == 0:
            return bool(cont[0] > retire)
    return True


def gittins_index(a: float, b: float, g: float, depth: int = 2000, tol: float = 1e-10,
                  truncation: str = "lower") -> float:
    """The index by bisection on lambda in [a/(a+b), 1]; ``truncation``: "lower" or "upper" boundary value."""
    if not (a > 0 and b > 0 and 0 < g < 1 and depth >= 1):
        raise TabularEnvError(f"need a, b > 0, 0 < g < 1, depth >= 1; got a={a!r}, b={b!r}, g={g!r}, depth={depth!r}")
    lo, hi = a / (a + b), 1.0
    upper = truncation == "upper"
    while hi - lo > tol:
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if _continues(a, b, g, mid, depth, upper) else (lo, mid)
    return 0.5 * (lo + hi)


def ucb_like_index(a: float, b: float, g: float) -> float:
    """The trap: the posterior mean plus a UCB-like bonus (the posterior standard deviation times sqrt(2 log(1/(1-g))))
    in place of the calibrated index."""
    n = a + b
    mean = a / n
    return float(mean + np.sqrt(mean * (1 - mean) / (n + 1)) * np.sqrt(2 * np.log(1 / (1 - g))))
