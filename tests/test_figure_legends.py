"""Figure legends say what a curve is in words, not the evidence's codes ("ch/H2/events", "kl_ucb", "bt", "td"):
every claim's figure is drawn from the committed report's evidence and its legend entries are compared with the
codes that evidence stores for its curves (unit codes, and the algorithm / policy / variant / data-model codes that
are not words). Instance names (games, published MDPs) are names and may stay."""
from __future__ import annotations

import json
import re
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from testbed.plotting import NAMES, legend_name  # noqa: E402
from testbed.registry import all_claims, get_claim  # noqa: E402

EVIDENCE = Path(__file__).resolve().parents[1] / "reports" / "evidence"
# evidence keys whose values say which method or data model made a curve
METHOD_KEYS = {"algorithm", "policy", "variant", "model", "sequence", "table", "kind", "mode", "family", "unit"}


def _unit_codes(evidence: dict) -> set[str]:
    curves = evidence.get("curves")
    if isinstance(curves, dict):
        return set(curves)
    return {c["unit"] for c in curves or [] if isinstance(c, dict) and "unit" in c}


def _method_codes(x, key=None) -> set[str]:
    """Values under METHOD_KEYS that are codes, not words: listed in plotting.NAMES, or with an underscore or a
    digit in them ('kl_ucb', 'ucb1', 'auer2002')."""
    if isinstance(x, dict):
        return set().union(*(_method_codes(v, k) for k, v in x.items())) if x else set()
    if isinstance(x, list):
        return set().union(*(_method_codes(v, key) for v in x)) if x else set()
    if isinstance(x, str) and key in METHOD_KEYS and re.fullmatch(r"[a-z][a-z0-9_]*", x):
        return {x} if (x in NAMES or "_" in x or any(ch.isdigit() for ch in x)) else set()
    return set()


def _legend_labels(claim_id: str, evidence: dict) -> list[str]:
    fig = plt.figure()
    try:
        get_claim(claim_id).plot(evidence, fig)
        return [t.get_text() for ax in fig.axes if ax.get_legend() for t in ax.get_legend().get_texts()]
    finally:
        plt.close(fig)


@pytest.mark.parametrize("claim_id", [c.id for c in all_claims()])
def test_legends_are_words_not_codes(claim_id):
    evidence = json.loads((EVIDENCE / f"{claim_id}.json").read_text())
    units, methods = _unit_codes(evidence), _method_codes(evidence)
    labels = _legend_labels(claim_id, evidence)
    # a unit code is shown when it is the whole entry ('mean' may be part of 'ensemble mean'); a method code when it
    # is any word of the entry ('kl_ucb: log-log slope ...')
    shown = {label: (units & {label}) | (methods & set(re.findall(r"[A-Za-z0-9_]+", label))) for label in labels}
    assert not any(shown.values()), {label: sorted(c) for label, c in shown.items() if c}


@pytest.mark.parametrize("claim_id", ["S4", "B2", "B3", "R9", "S2"])
def test_the_claims_that_showed_codes_have_them(claim_id):
    # the check above is not empty for the figures that used to show codes: their evidence still holds them
    evidence = json.loads((EVIDENCE / f"{claim_id}.json").read_text())
    assert _unit_codes(evidence) | _method_codes(evidence)


def test_legend_name_words_a_code_and_leaves_the_rest():
    assert legend_name("kl_ucb") == "KL-UCB"
    assert legend_name("etc (catalogue gap)") == "explore-then-commit (catalogue gap)"
    assert legend_name("matching_pennies") == "matching_pennies"
    assert all(words != code for code, words in NAMES.items())
