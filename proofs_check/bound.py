"""A bound = a SymPy expression plus what a referee needs to check it against the paper."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import sympy as sp
from sympy.printing.mathml import MathMLPresentationPrinter

from .errors import BoundError

__all__ = ["Bound", "to_mathml"]


class _MathMLPrinter(MathMLPresentationPrinter):
    """SymPy's presentation printer with the cases it spells as plain function names: Piecewise (a brace over a
    table of value / condition rows), Max and Min."""

    def _print_Piecewise(self, expr):
        mrow = self.dom.createElement("mrow")
        brace = self.dom.createElement("mo")
        brace.appendChild(self.dom.createTextNode("{"))
        mrow.appendChild(brace)
        table = self.dom.createElement("mtable")
        table.setAttribute("columnalign", "left")
        for value, cond in expr.args:
            tr = self.dom.createElement("mtr")
            for part in (value, None if cond is sp.true else cond):
                td = self.dom.createElement("mtd")
                if part is None:
                    text = self.dom.createElement("mtext")
                    text.appendChild(self.dom.createTextNode("otherwise"))
                    td.appendChild(text)
                else:
                    td.appendChild(self._print(part))
                tr.appendChild(td)
            table.appendChild(tr)
        mrow.appendChild(table)
        return mrow

    def _print_minmax(self, expr, name):
        mrow = self.dom.createElement("mrow")
        mi = self.dom.createElement("mi")
        mi.appendChild(self.dom.createTextNode(name))
        mrow.appendChild(mi)
        inner = self.dom.createElement("mrow")
        for k, arg in enumerate(expr.args):
            if k:
                comma = self.dom.createElement("mo")
                comma.appendChild(self.dom.createTextNode(","))
                inner.appendChild(comma)
            inner.appendChild(self._print(arg))
        fenced = self.dom.createElement("mrow")
        for ch, node in (("(", None), (None, inner), (")", None)):
            if node is None:
                mo = self.dom.createElement("mo")
                mo.appendChild(self.dom.createTextNode(ch))
                fenced.appendChild(mo)
            else:
                fenced.appendChild(node)
        mrow.appendChild(fenced)
        return mrow

    def _print_Max(self, expr):
        return self._print_minmax(expr, "max")

    def _print_Min(self, expr):
        return self._print_minmax(expr, "min")


def to_mathml(expr) -> str:
    """Presentation MathML of a SymPy expression, wrapped in a block ``<math>`` element."""
    body = _MathMLPrinter().doprint(sp.sympify(expr))
    return f'<math xmlns="http://www.w3.org/1998/Math/MathML" display="block">{body}</math>'


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

    def mathml(self) -> str:
        """The expression as presentation MathML (a ``<math>`` element browsers render natively, no script)."""
        return to_mathml(self.expr)

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
