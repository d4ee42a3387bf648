"""Declared claims (testbed.declare): the generic decision, the explicit level and planted error, the validation of a
declaration, and the project's declared claims."""
import numpy as np
import pytest
import sympy as sp

from proofs_check import Bound
from testbed.claim import Source
from testbed.declare import PROCEDURES, DeclaredClaim, Part, Unit
from testbed.errors import ClaimDefinitionError, ProcedureInputError, UsageError
from testbed.planting import Plant, planted
from testbed.registry import get_claim

T = sp.Symbol("T", positive=True)
# a toy bound: E[X(T)] <= 2 sqrt(T)
SQRT_BOUND = Bound("toy", 2 * sp.sqrt(T), "upper", "E[X(T)]", "test", "none", (), True)
HORIZONS = np.array([100.0, 400.0, 1600.0])


def _samples(scale: float, n: int = 400, seed: int = 1) -> np.ndarray:
    """Replications whose mean is scale * sqrt(T): the bound's ratio is scale / 2."""
    rng = np.random.default_rng(seed)
    return scale * np.sqrt(HORIZONS) * rng.exponential(1.0, (n, HORIZONS.size))


def _toy(scale: float, share: float = 1.0, trivial=None):
    samples = _samples(scale)

    class Toy(DeclaredClaim):
        id = "TOY1"
        family = "test"
        title = "toy"
        source = Source("a", 2000, "b", "c")
        status = "confirmed"
        kind = ("upper_bound", "statistical")
        statement = "E[X(T)] <= 2 sqrt(T)"
        parts = (Part("mean <= bound", "upper_bound", units="units", share=share),)

        def bound(self):
            return SQRT_BOUND

        def tasks(self, fidelity, root_seed):
            return []

        def run_task(self, task):
            return {}

        def units(self, tasks, results):
            return [Unit("toy", samples, at={"T": HORIZONS}, trivial_max=trivial,
                         info={"name": "toy", "T": HORIZONS.tolist()})]
    return Toy()


def test_a_declared_part_decides_against_the_bound_object_at_the_given_delta():
    claim = _toy(1.0)                              # mean sqrt(T), bound 2 sqrt(T): ratio 1/2
    v = claim.decide_at([], [], delta=0.01)
    assert v.verdict == "holds"
    assert v.confidence == pytest.approx(0.99)
    assert v.correction == "Bonferroni over 3 (instance, checkpoint) pairs"        # one part: its own correction
    np.testing.assert_allclose(v.evidence["units"][0]["bound"], 2 * np.sqrt(HORIZONS))
    assert v.tightness == pytest.approx(0.5, rel=0.1)
    assert v.evidence["strength"]["strongest"] == "theorem"
    assert _toy(3.0).decide_at([], [], delta=0.01).verdict == "violated"      # mean 3 sqrt(T) > 2 sqrt(T)


def test_the_planted_error_is_an_argument_and_records_its_kind():
    claim = _toy(1.0)
    plant = Plant(factor=4.0)                       # bound / 4 = sqrt(T) / 2 < mean: violated
    assert claim.decide_at([], [], delta=0.01, plant=plant).verdict == "violated"
    assert plant.consumed == {"factor"}
    assert claim.decide_at([], [], delta=0.01).verdict == "holds"            # nothing left behind
    with planted(factor=4.0):       # a declared claim given no plant reads the block, like a hand-written one
        assert claim.decide_at([], [], delta=0.01).verdict == "violated"


@pytest.mark.parametrize("delta", [0.0, 1.0, float("nan"), 1])
def test_a_level_outside_the_unit_interval_is_refused_naming_the_claim(delta):
    with pytest.raises(UsageError, match=r"TOY1: delta must be a float in \(0, 1\)"):
        _toy(1.0).decide_at([], [], delta=delta)


def test_a_part_decides_at_its_share_of_delta():
    v = _toy(1.0, share=0.25).decide_at([], [], delta=0.02)
    assert 1 - v.confidence == pytest.approx(0.005)


def test_a_bound_at_or_above_the_trivial_maximum_is_vacuous_and_spends_no_alpha():
    v = _toy(1.0, trivial=np.sqrt(HORIZONS)).decide_at([], [], delta=0.01)     # bound 2 sqrt(T) >= sqrt(T)
    assert v.verdict == "vacuous" and v.confidence == 1.0
    assert _toy(1.0, trivial=4 * np.sqrt(HORIZONS)).decide_at([], [], delta=0.01).verdict == "holds"


def _declare(parts, **methods):
    body = {"id": "TOY2", "family": "test", "title": "t", "source": Source("a", 2000, "b", "c"),
            "status": "confirmed", "kind": ("exact",), "statement": "s", "no_bound": "toy", "parts": parts,
            "tasks": lambda self, f, s: [], "run_task": lambda self, t: {}, "units": lambda self, t, r: [], **methods}
    return type("Toy2", (DeclaredClaim,), body)


@pytest.mark.parametrize("parts, words", [
    ((Part("a", "no_such_procedure", units="units"),), "parts[0] ('a'): unknown procedure 'no_such_procedure'"),
    ((Part("a", "upper_bound", units="missing"),), "parts[0] ('a'): units names 'missing'"),
    ((Part("a", "upper_bound", units="units", share=0.7), Part("b", "upper_bound", units="units", share=0.6)),
     "add up to 1.3 > 1"),
    ((Part("a", "slope_below", units="units"),), "needs the parameters ['threshold']"),
    ((Part("a", "slope_below", units="units", params={"threshold": np.float32(0.5)}),), "plain data"),
    ((Part("a", "upper_bound", units="units", role="lemma"),), "role must be one of"),
    ((Part("a", "upper_bound", units="units"), Part("a", "upper_bound", units="units", share=0.0)), "distinct"),
    ((), "non-empty tuple"),
])
def test_a_wrong_declaration_is_refused_when_the_class_is_defined(parts, words):
    with pytest.raises(ClaimDefinitionError, match=__import__("re").escape(words)):
        _declare(parts)


def test_the_declared_parts_are_decision_parameters():
    a = _declare((Part("a", "slope_below", units="units", params={"threshold": 0.75}),))()
    b = _declare((Part("a", "slope_below", units="units", params={"threshold": 0.7}),))()
    assert a.decision_parameters["PARTS"][0]["params"] == {"threshold": 0.75}
    assert a.decision_version != b.decision_version


def test_a_decision_consumes_the_planted_kind_its_procedure_names():
    plant = Plant()
    _toy(1.0).decide_at([], [], delta=0.01, plant=plant)
    assert plant.consumed == {PROCEDURES["upper_bound"].plants}


def test_exact_parts_fail_above_their_tolerance_and_spend_no_alpha():
    checks = {"a": 0.0, "b": 0.0}
    claim = _declare((Part("one", "exact", units="one", params={"tolerance": 1e-9}),
                      Part("two", "exact", units="two", params={"tolerance": 0.0})),
                     one=lambda self, t, r: [Unit("a", checks["a"])], two=lambda self, t, r: [Unit("b", checks["b"])])()
    v = claim.decide_at([], [], delta=0.01)
    assert v.verdict == "holds" and v.confidence == 1.0
    assert v.evidence["errors"] == {"a": 0.0, "b": 0.0}            # both parts' errors, joined
    checks["b"] = 1.0
    v = claim.decide_at([], [], delta=0.01)
    assert v.verdict == "violated" and v.evidence["failed"] == ["b"]
    assert claim.decide_part("one", [], [], delta=0.01).verdict == "holds"
    with pytest.raises(ProcedureInputError, match="has no part 'three'"):
        claim.decide_part("three", [], [], delta=0.01)


# the declared claims, and whether each adds report lines of its own for evidence that it reports without deciding
DECLARED = {"B1": False, "B4": False, "B5": False, "B7": False, "B8": False, "B9": True, "B14": True, "D12": True,
            "D13": True, "S2": False, "P1": True, "P2": True, "P3": True, "P4": True, "P5": True, "P6": False,
            "P7": True, "P8": True, "P9": True, "E1": True, "E2": True, "E3": True, "E4": True, "E5": True,
            "E6": True, "E7": False, "E8": True}


@pytest.mark.parametrize("claim_id", sorted(DECLARED))
def test_the_declared_project_claims_write_no_decision_of_their_own(claim_id):
    claim = get_claim(claim_id)
    assert isinstance(claim, DeclaredClaim)
    assert not {"decide", "decide_at"} & set(vars(type(claim)))
    assert ("evidence_lines" in vars(type(claim))) == DECLARED[claim_id]
