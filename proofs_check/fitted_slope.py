"""The fitted log-log slope of a bound over a sweep: the threshold of a rate check on a fitted slope (claims B12, B13).

Kept apart from ``rates`` so that the claims using only ``rates`` keep their code versions."""
from __future__ import annotations

import sympy as sp

from .errors import BoundError
from .rates import _symbol, leading_terms

__all__ = ["fitted_slope_threshold"]
def fitted_slope_threshold(bound_or_expr, horizon, at, hidden_log_power=0, **fixed) -> float:
    """The least-squares slope of log B(x) against log x over the points ``at``, where B is the bound's leading terms
    in the horizon (:func:`leading_terms`) times (ln x)^``hidden_log_power``, the other symbols set by ``fixed``.

    A rate check that fits the log-log slope of a mean over the same points compares it with this: a curve growing
    exactly like the bound has this slope, log factors included, so the finite-horizon allowance for the logarithms
    is derived from the bound and the sweep, not chosen after the data. ``hidden_log_power`` is for an order
    O~(.) whose logarithms the statement does not write (the claim says where its power comes from, e.g. OFUL's
    d sqrt(T) ln T). Leading terms only: lower-order terms (a burn-in constant) can only lower a fitted slope, so
    leaving them out keeps the threshold the largest slope any mixture of the bound's terms has. For
    sqrt(T) ln T over (1e3, 1e4, 1e5): 1/2 + ln(ln 1e5 / ln 1e3) / ln 100 = 0.611."""
    import numpy as np
    expr = leading_terms(bound_or_expr, horizon)
    x = _symbol(expr, horizon)
    subs = {s: fixed[s.name] for s in expr.free_symbols if s.name in fixed}
    missing = sorted(s.name for s in expr.free_symbols if s != x and s.name not in fixed)
    if missing:
        raise BoundError(f"fitted_slope_threshold: give values for {', '.join(missing)}")
    if not (isinstance(hidden_log_power, (int, float)) and hidden_log_power >= 0):
        raise BoundError(f"fitted_slope_threshold: hidden_log_power must be a number >= 0, got {hidden_log_power!r}")
    xs = np.asarray(at, dtype=np.float64)
    if xs.ndim != 1 or xs.size < 2 or not np.all(np.isfinite(xs)) or np.any(xs <= 1) or np.unique(xs).size < 2:
        raise BoundError(f"fitted_slope_threshold: at must hold two or more distinct horizons > 1, got {list(at)}")
    f = sp.lambdify([x], sp.log(expr.subs(subs) * sp.log(x) ** hidden_log_power), modules=["numpy", "scipy"])
    y = np.asarray(f(xs), dtype=np.float64) * np.ones_like(xs)
    if not np.all(np.isfinite(y)):
        raise BoundError(f"fitted_slope_threshold: the bound is not positive and finite at {list(at)}")
    lx = np.log(xs) - np.log(xs).mean()
    return float(lx @ (y - y.mean()) / (lx @ lx))
