"""A bound = a SymPy expression plus what a referee needs to check it against the paper."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import sympy as sp

from .errors import BoundError

__all__ = ["Bound"]

_COMPILED: dict[tuple, tuple] = {}


def _vector_symbol(base, i: int) -> sp.Symbol:
    """A plain symbol standing for base[i], with the base's assumptions (positive gaps stay positive)."""
    assumptions = {k: v for k, v in base[i].assumptions0.items() if v is not None and k in ("positive", "real",
                                                                                            "nonnegative", "integer")}
    return sp.Symbol(f"{base.label}__{i}", **assumptions)


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

    def _compiled(self, lengths: tuple[int, ...]):
        """(numpy function, its argument names) for vectors of the given lengths: each vector's Sum is written out
        with one symbol per element, so the function is compiled once per (expression, lengths), not per call
        (bounds are evaluated in loops)."""
        key = (sp.srepr(self.expr), tuple((str(b.label), str(n)) for b, n in self.vectors.items()), lengths)
        hit = _COMPILED.get(key)
        if hit is None:
            expr = self.expr
            for (base, length), n in zip(self.vectors.items(), lengths, strict=True):
                expr = expr.subs(length, n).doit()
                expr = expr.xreplace({base[i]: _vector_symbol(base, i) for i in range(1, n + 1)})
            if expr.has(sp.Sum, sp.Product):   # a sum with a symbolic limit: its closed form (harmonic numbers ...)
                expr = expr.doit()
            args = sorted((s for s in expr.free_symbols if isinstance(s, sp.Symbol)), key=lambda s: s.name)
            fn = sp.lambdify(args, expr, modules=["numpy", "scipy"])
            hit = _COMPILED[key] = (fn, tuple(s.name for s in args))
        return hit

    def numeric(self):
        """The bound as a plain function of its scalar symbols, by keyword (``f(p=0.3, N=4)``), compiled once: for
        hot loops, where :meth:`evaluate`'s checks and lookup would dominate. No vectors; no finiteness check."""
        if self.vectors:
            raise BoundError(f"{self.name}: numeric() takes scalar bounds only; use evaluate() for vectors")
        fn, names = self._compiled(())

        def call(**values):
            return fn(*[values[n] for n in names])
        call.__doc__ = f"{self.name}({', '.join(names)}): {sp.sstr(self.expr)}"
        return call

    def evaluate(self, **values):
        """Evaluate numerically. Scalars may be NumPy arrays (broadcast, e.g. a checkpoint grid of T);
        vectors (see ``vectors``) are 1-D arrays. Raises BoundError for a missing or non-finite result."""
        arrays, lengths = dict(values), []
        for base in self.vectors:
            name = str(base.label)
            if name not in values:
                raise BoundError(f"{self.name}: missing vector {name!r}")
            v = np.asarray(values[name], dtype=np.float64)
            if v.ndim != 1 or v.size == 0 or not np.isfinite(v).all():
                raise BoundError(f"{self.name}: {name} must be a non-empty finite 1-D array, got {v!r}")
            lengths.append(v.size)
            arrays.update({f"{name}__{i + 1}": x for i, x in enumerate(v)})
        fn, names = self._compiled(tuple(lengths))
        missing = [n for n in names if n not in arrays]
        if missing:
            raise BoundError(f"{self.name}: give a value for {', '.join(missing)}")
        with np.errstate(all="ignore"):
            out = np.asarray(fn(*[np.asarray(arrays[n], dtype=np.float64) for n in names]), dtype=float)
        if not np.isfinite(out).all():
            raise BoundError(f"{self.name}: not finite for {values}; conditions: {'; '.join(self.conditions)}")
        return out if out.ndim else float(out)

    def describe(self) -> dict:
        return {"name": self.name, "quantity": self.quantity, "direction": self.direction, "source": self.source,
                "theorem": self.theorem, "conditions": list(self.conditions), "finite_time": self.finite_time,
                "sympy": sp.sstr(self.expr), "latex": self.latex()}
