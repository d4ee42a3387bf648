"""A bound = a SymPy expression plus what a referee needs to check it against the paper."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import sympy as sp

from .errors import BoundError

__all__ = ["Bound"]


@dataclass(frozen=True)
class Bound:
    """``expr`` bounds ``quantity`` from above (``direction='upper'``), below (``'lower'``) or equals it.

    Sums over arms are written ``Sum(f(X[i]), (i, 1, n))`` with ``X`` an ``IndexedBase`` listed in ``vectors``
    together with its length symbol; :meth:`evaluate` takes a NumPy vector for it and expands the sum.
    ``finite_time`` is False for asymptotic statements (then a finite-T value on the wrong side is not a
    violation).
    """
    name: str
    expr: sp.Expr
    direction: str
    quantity: str
    source: str
    theorem: str
    conditions: tuple[str, ...]
    finite_time: bool
    vectors: dict = field(default_factory=dict)   # IndexedBase -> length Symbol

    def __post_init__(self):
        if self.direction not in ("upper", "lower", "exact"):
            raise BoundError(f"direction must be upper, lower or exact, got {self.direction!r}")

    def latex(self) -> str:
        return sp.latex(self.expr)

    def expand(self, **vectors) -> sp.Expr:
        """The expression with each vector's Sum written out for the given NumPy values."""
        expr = self.expr
        for base, length in self.vectors.items():
            name = str(base.label)
            if name not in vectors:
                raise BoundError(f"{self.name}: missing vector {name!r}")
            v = np.asarray(vectors[name], dtype=np.float64)
            if v.ndim != 1 or v.size == 0 or not np.isfinite(v).all():
                raise BoundError(f"{self.name}: {name} must be a non-empty finite 1-D array, got {v!r}")
            expr = expr.subs(length, v.size).doit()
            expr = expr.xreplace({base[i + 1]: sp.Float(float(x), 17) for i, x in enumerate(v)})
        return expr

    def evaluate(self, **values):
        """Evaluate numerically. Scalars may be NumPy arrays (broadcast, e.g. a checkpoint grid of T);
        vectors (see ``vectors``) are 1-D arrays. Raises BoundError for a missing or non-finite result."""
        vector_names = {str(b.label) for b in self.vectors}
        expr = self.expand(**{k: v for k, v in values.items() if k in vector_names})
        scalars = sorted((s for s in expr.free_symbols if isinstance(s, sp.Symbol)), key=lambda s: s.name)
        missing = [s.name for s in scalars if s.name not in values]
        if missing:
            raise BoundError(f"{self.name}: give a value for {', '.join(missing)}")
        if expr.has(sp.zoo, sp.oo, -sp.oo, sp.nan):
            raise BoundError(f"{self.name}: not finite for {values}; conditions: {'; '.join(self.conditions)}")
        fn = sp.lambdify(scalars, expr, modules="numpy")
        with np.errstate(all="ignore"):
            out = np.asarray(fn(*[np.asarray(values[s.name], dtype=np.float64) for s in scalars]), dtype=float)
        if not np.isfinite(out).all():
            raise BoundError(f"{self.name}: not finite for {values}; conditions: {'; '.join(self.conditions)}")
        return out if out.ndim else float(out)

    def describe(self) -> dict:
        return {"name": self.name, "quantity": self.quantity, "direction": self.direction, "source": self.source,
                "theorem": self.theorem, "conditions": list(self.conditions), "finite_time": self.finite_time,
                "sympy": sp.sstr(self.expr), "latex": self.latex()}
