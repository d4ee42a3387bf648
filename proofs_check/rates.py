"""Symbolic rate extraction: the order T^p (log T)^q of a bound in the horizon."""
from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from .bound import Bound
from .errors import BoundError
from .symbols import T

__all__ = ["Rate", "rate_in_horizon"]


@dataclass(frozen=True)
class Rate:
    """B(T) = Theta(T^p (log T)^q), with ``constant`` = lim B / (T^p (log T)^q)."""
    power: sp.Expr
    log_power: sp.Expr
    constant: sp.Expr

    @property
    def order(self) -> sp.Expr:
        return T ** self.power * sp.log(T) ** self.log_power

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
    return Rate(power=p, log_power=q, constant=c)
