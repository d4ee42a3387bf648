"""Every symbol of every claim's bound is defined for the report's reader, claim by claim (issue 28: the same letter
means different things in different claims, so the definitions cannot be derived from the shared SymPy symbols)."""
import pytest
import sympy as sp

from testbed.errors import ClaimDefinitionError
from testbed.registry import all_claims
from testbed.report import _symbols_text

CLAIMS_WITH_BOUNDS = [c for c in all_claims() if c.bound() is not None]


def symbols_to_define(bound) -> set[str]:
    """The names a reader meets in the bound: its free scalar symbols and its vectors (x_i), less what the Bound
    defines itself (the vectors' lengths) and the summation indices (bound variables of a Sum or Product)."""
    expr = bound.expr
    indices = {str(lim[0]) for s in expr.atoms(sp.Sum, sp.Product) for lim in s.limits}
    lengths = {str(n) for n in bound.vectors.values()}
    scalars = {s.name for s in expr.free_symbols if isinstance(s, sp.Symbol)}
    return (scalars - indices - lengths) | {str(base.label) for base in bound.vectors}


def test_the_registry_has_bounds_to_check():
    assert len(CLAIMS_WITH_BOUNDS) >= 35


@pytest.mark.parametrize("claim", CLAIMS_WITH_BOUNDS, ids=lambda c: c.id)
def test_every_symbol_of_the_bound_is_defined_and_no_definition_is_stale(claim):
    wanted, given = symbols_to_define(claim.bound()), set(claim.symbols())
    assert not wanted - given, f"{claim.id}: figure.SYMBOLS does not define {sorted(wanted - given)}"
    assert not given - wanted, f"{claim.id}: figure.SYMBOLS defines {sorted(given - wanted)}, not in the bound"
    assert all(meaning.strip() for meaning in claim.symbols().values())
    text = _symbols_text(claim.bound(), claim.symbols())
    assert all(meaning in text for meaning in claim.symbols().values())


def test_symbols_to_define_sees_sums_and_vectors():
    # B1: Sum(8 log T / Delta[i] + (1 + pi^2/3) Delta[i], (i, 1, n)): the reader must be told Delta and T, not i or n
    b1 = next(c for c in all_claims() if c.id == "B1")
    assert symbols_to_define(b1.bound()) == {"Delta", "T"}


def test_a_glossary_that_is_not_names_to_meanings_is_refused(monkeypatch):
    b1 = next(c for c in all_claims() if c.id == "B1")
    import importlib
    figure = importlib.import_module(b1.package + ".figure")
    monkeypatch.setattr(figure, "SYMBOLS", {"T": 3})
    with pytest.raises(ClaimDefinitionError, match="B1: figure.SYMBOLS must map"):
        b1.symbols()
