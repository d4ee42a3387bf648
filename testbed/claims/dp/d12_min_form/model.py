"""Min-form credit assignment (PURE; Cheng et al. 2025; notes + derived) on a trajectory of process rewards.

- ``min_form_values``: V_t = min_{i >= t} r_i (the value as the minimum of future process rewards).
- ``sum_form_values``: V_t = sum_{i >= t} gamma^(i - t) r_i.
- ``softmin_weighted``: sum_i softmax(-r/T)_i r_i, which tends to min r as T -> 0; a Gibbs-average argument gives
  0 <= softmin_weighted - min r <= T log n.
- ``argmin_zeroed_values`` (the trap): V_t = min_{i >= t} r_i for t up to the trajectory's argmin step, 0 after it;
  this definition jumps when a perturbation moves the argmin, so it is not eps-stable.
"""
from __future__ import annotations

import numpy as np

__all__ = ["min_form_values", "sum_form_values", "softmin_weighted", "argmin_zeroed_values"]


def min_form_values(r) -> np.ndarray:
    """V_t = min_{i >= t} r_i, the min-form value of PURE (Cheng et al. 2025)."""
    return np.minimum.accumulate(np.asarray(r, dtype=np.float64)[::-1])[::-1]


def sum_form_values(r, gamma: float) -> np.ndarray:
    """V_t = sum_{i >= t} gamma^(i - t) r_i, the usual discounted sum."""
    out, acc = np.empty(len(r)), 0.0
    for t in range(len(r) - 1, -1, -1):
        acc = r[t] + gamma * acc
        out[t] = acc
    return out


def softmin_weighted(r, temperature: float) -> float:
    """sum_i softmax(-r / T)_i r_i, the smooth minimum at temperature T (tends to min r as T -> 0)."""
    r = np.asarray(r, dtype=np.float64)
    z = -(r - r.min()) / temperature
    w = np.exp(z)
    return float(w @ r / w.sum())


def argmin_zeroed_values(r) -> np.ndarray:
    """The catalogue's trap: the min-form value with everything after the argmin step set to 0 (not eps-stable)."""
    r = np.asarray(r, dtype=np.float64)
    k = int(np.argmin(r))
    out = min_form_values(r)
    out[k + 1:] = 0.0
    return out
