"""Lemma 4.1 of Jin et al. (2018), computed two ways: the weights alpha_t^i by the product that defines them, and
by the closed form ``proofs_check.ucb_h_weight`` (for the infinite sum over t)."""
import numpy as np

from proofs_check import ucb_h_weight

_WEIGHT = ucb_h_weight().numeric()          # compiled once: the lemma evaluates it on 2e6 points per case


def weights_by_product(H: int, t: int) -> np.ndarray:
    """alpha_t^i, i = 1..t: alpha_i prod_{j=i+1}^t (1 - alpha_j), alpha_j = (H + 1)/(H + j), by a backward product."""
    alpha = (H + 1) / (H + np.arange(1, t + 1))
    tail = np.ones(t)
    for i in range(t - 2, -1, -1):
        tail[i] = tail[i + 1] * (1 - alpha[i + 1])
    return alpha * tail


def weights_closed_form(H: int, i: int, t: np.ndarray) -> np.ndarray:
    """alpha_t^i for an array of t >= i: ``proofs_check.ucb_h_weight`` evaluated (vectorised over t)."""
    return np.asarray(_WEIGHT(H=float(H), i=float(i), t=np.asarray(t, dtype=np.float64)), dtype=np.float64)


def lemma_4_1_violations(H: int, t: int, i: int, t_max: int = 2_000_000) -> dict[str, float]:
    """How far each statement of Lemma 4.1 is from holding at (H, t) (and, for the sum over t, at i); 0 when it
    holds. The infinite sum over t >= i is truncated at ``t_max``: its reported error is what remains after
    subtracting 10 times the tail's integral estimate alpha_{t_max}^i t_max / H (the terms decay like t^-(H+1))."""
    w = weights_by_product(H, t)
    idx = np.arange(1, t + 1)
    s = np.sum(w / np.sqrt(idx))
    out = {
        "sum_i alpha_t^i = 1": abs(w.sum() - 1.0),
        "1/sqrt(t) <= sum_i alpha_t^i / sqrt(i)": max(0.0, 1 / np.sqrt(t) - s),
        "sum_i alpha_t^i / sqrt(i) <= 2/sqrt(t)": max(0.0, s - 2 / np.sqrt(t)),
        "max_i alpha_t^i <= 2H/t": max(0.0, w.max() - 2 * H / t),
        "sum_i (alpha_t^i)^2 <= 2H/t": max(0.0, np.sum(w ** 2) - 2 * H / t),
    }
    col = np.asarray(_WEIGHT(H=float(H), i=np.arange(1.0, t + 1.0), t=float(t)), dtype=np.float64)   # i = 1..t
    out["closed form = product (relative)"] = float(np.max(np.abs(col - w) / np.maximum(w, 1e-300)))
    ts = np.arange(i, t_max + 1)
    terms = weights_closed_form(H, i, ts)
    tail = 10 * terms[-1] * t_max / H
    out["sum_{t>=i} alpha_t^i = 1 + 1/H"] = max(0.0, abs(float(np.sum(terms)) - (1 + 1 / H)) - tail)
    return out
