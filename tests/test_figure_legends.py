"""Figure legends say what a curve is in words, not the evidence's unit codes ("ch/H2/events", "c1/H2", "wco"):
each figure is drawn from the committed report's evidence and its legend entries are compared with those codes."""
from __future__ import annotations

import json
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from testbed.registry import get_claim  # noqa: E402

EVIDENCE = Path(__file__).resolve().parents[1] / "reports" / "evidence"


def _codes(evidence: dict) -> set[str]:
    curves = evidence.get("curves")
    if isinstance(curves, dict):
        return set(curves)
    return {c["unit"] for c in curves or [] if isinstance(c, dict) and "unit" in c}


@pytest.mark.parametrize("claim_id", ["S1", "S4", "S5", "R3"])
def test_legends_are_words_not_unit_codes(claim_id):
    evidence = json.loads((EVIDENCE / f"{claim_id}.json").read_text())
    codes = _codes(evidence)
    assert codes, "the evidence names its curves"
    fig = plt.figure()
    try:
        get_claim(claim_id).plot(evidence, fig)
        labels = [t.get_text() for ax in fig.axes if ax.get_legend() for t in ax.get_legend().get_texts()]
    finally:
        plt.close(fig)
    assert labels and not codes & set(labels), (codes, labels)
