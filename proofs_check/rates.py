"""Symbolic rate extraction: the order T^p (log T)^q of a bound in the horizon."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import sympy as sp

from .bound import Bound
from .errors import BoundError
from .symbols import T

__all__ = ["Rate", "rate_in_horizon", "slope_threshold", "leading_terms", "increment_slope_threshold"]


@dataclass(frozen=True)
class Rate:
    """B(T) = Theta(T^p (log T)^q), with ``constant`` = lim B / (T^p (log T)^q) (T the horizon symbol)."""
    power: sp.Expr
    log_power: sp.Expr
    constant: sp.Expr
    horizon: sp.Symbol = T

    @property
    def order(self) -> sp.Expr:
        return self.horizon ** self.power * sp.log(self.horizon) ** self.log_power

    def __str__(self) -> str:
        return sp.sstr(self.order)


def _single_instance(bound: Bound) -> sp.Expr:
    """Collapse every vector sum to one generic term: the rate in T of a fixed instance."""
    expr = bound.expr
    for base, length in bound.vectors.items():
        expr = expr.subs(length, 1).doit()
        expr = expr.xreplace({base[1]: sp.Symbol(f"{base.label}_1", positive=True)})
    return expr


def rate_in_horizon(bound_or_expr, horizon: sp.Symbol = T) -> Rate:
    """Derive p = lim log B / log T and q = lim log(B / T^p) / log log T as T -> oo, and check that
    B / (T^p (log T)^q) tends to a positive finite constant (else BoundError)."""
    expr = _single_instance(bound_or_expr) if isinstance(bound_or_expr, Bound) else sp.sympify(bound_or_expr)
    p = sp.limit(sp.log(expr) / sp.log(horizon), horizon, sp.oo)
    rest = sp.simplify(expr / horizon ** p)
    q = sp.limit(sp.log(rest) / sp.log(sp.log(horizon)), horizon, sp.oo)
    c = sp.simplify(sp.limit(expr / (horizon ** p * sp.log(horizon) ** q), horizon, sp.oo))
    # SymPy often cannot sign a constant built from logarithms (e.g. a KL divergence); reject only what it
    # proves non-positive or what is infinite or zero.
    if c.is_positive is False or c == 0 or c.has(sp.oo, -sp.oo, sp.zoo, sp.nan):
        raise BoundError(f"no rate of the form T^p (log T)^q for {expr}: limit constant {c}")
    return Rate(power=p, log_power=q, constant=c, horizon=horizon)


def slope_threshold(bound_or_expr, horizon: sp.Symbol | str = T, toward=1) -> sp.Rational:
    """The threshold a rate check puts on an empirical log-log slope, fixed by the bound before any data: halfway
    between the bound's exponent p in the horizon (:func:`rate_in_horizon`; log factors add only about
    q / ln T to a finite-horizon slope) and ``toward``, the exponent of the failure it must tell apart (linear regret,
    1, by default; 0, no decrease at all, for an error that should vanish). E.g. T^(2/3) gives 5/6, log T gives 1/2,
    sqrt(T) gives 3/4, n^(-1/2) with toward = 0 gives -1/4. ``horizon`` may be a symbol or its name."""
    if isinstance(horizon, str):
        expr = bound_or_expr.expr if isinstance(bound_or_expr, Bound) else sp.sympify(bound_or_expr)
        named = [s for s in expr.free_symbols if getattr(s, "name", None) == horizon]
        if len(named) != 1:
            raise BoundError(f"no single symbol named {horizon!r} in {expr}")
        horizon = named[0]
    p = rate_in_horizon(bound_or_expr, horizon).power
    return sp.nsimplify((p + toward) / 2)


def _symbol(expr: sp.Expr, name_or_symbol) -> sp.Symbol:
    if isinstance(name_or_symbol, sp.Symbol):
        return name_or_symbol
    named = [s for s in expr.free_symbols if getattr(s, "name", None) == name_or_symbol]
    if len(named) != 1:
        raise BoundError(f"no single symbol named {name_or_symbol!r} in {expr}")
    return named[0]


_LEADING_TERMS: dict = {}


def _instance_key(bound_or_expr) -> tuple:
    """A hashable stand-in for a bound or expression (a Bound's vectors are a dict)."""
    if isinstance(bound_or_expr, Bound):
        return ("bound", bound_or_expr.expr, tuple(bound_or_expr.vectors.items()))
    return ("expr", sp.sympify(bound_or_expr))


def leading_terms(bound_or_expr, horizon) -> sp.Expr:
    """The terms of the bound (a sum) of the largest power p in the horizon, p = lim log(term) / log(horizon): the
    part whose growth a rate check tests (lower-order terms, such as UCBVI's H^2 S^2 A L^2, add a burn-in that
    per-window increments do not see at large horizons). Memoised on the bound's expression: a power analysis
    re-runs a decision dozens of times, and each symbolic limit costs tens of milliseconds."""
    key = (_instance_key(bound_or_expr), horizon)
    if key not in _LEADING_TERMS:
        expr = _single_instance(bound_or_expr) if isinstance(bound_or_expr, Bound) else key[0][1]
        x = _symbol(expr, horizon)
        terms = sp.Add.make_args(sp.expand(expr, deep=False, mul=False, log=False, power_base=False,
                                           power_exp=False))
        powers = [sp.limit(sp.log(t) / sp.log(x), x, sp.oo) for t in terms]
        top = max(powers)
        _LEADING_TERMS[key] = sp.Add(*[t for t, p in zip(terms, powers, strict=True) if p == top])
    return _LEADING_TERMS[key]


def increment_slope_threshold(bound_or_expr, horizon, at, **fixed) -> float:
    """The largest local log-log slope of the bound's leading terms' derivative in the horizon over the points
    ``at``: max over x in ``at`` of d log B'(x) / d log x = x B''(x) / B'(x), with the other symbols set by ``fixed``
    (names to numbers). A rate check on per-window increments (R(x2) - R(x1)) / (x2 - x1) compares their slope with
    this: for B = a sqrt(K) L(K), L = ln(cK), it is -1/2 + 1/(L + 2), so the logarithm's allowance is derived from
    the theorem, not chosen after the data. Linear regret has increment slope 0; log K regret has -1."""
    expr = leading_terms(bound_or_expr, horizon)
    x = _symbol(expr, horizon)
    subs = {s: fixed[s.name] for s in expr.free_symbols if s.name in fixed}
    missing = sorted(s.name for s in expr.free_symbols if s != x and s.name not in fixed)
    if missing:
        raise BoundError(f"increment_slope_threshold: give values for {', '.join(missing)}")
    local = _local_increment_slope(expr, x, tuple(sorted(subs.items(), key=lambda kv: kv[0].name)))
    import numpy as np
    values = np.asarray(local(np.asarray(at, dtype=np.float64)), dtype=np.float64)
    if not np.all(np.isfinite(values)):
        raise BoundError(f"increment_slope_threshold: not finite at {list(at)}")
    return float(np.max(values))


@lru_cache(maxsize=256)
def _local_increment_slope(expr: sp.Expr, x: sp.Symbol, subs: tuple):
    """x B''(x) / B'(x) of ``expr`` with ``subs`` put in, as a NumPy function of x (memoised: see leading_terms)."""
    d1 = sp.diff(expr, x).subs(dict(subs))
    return sp.lambdify([x], x * sp.diff(d1, x) / d1, modules=["numpy", "scipy"])
