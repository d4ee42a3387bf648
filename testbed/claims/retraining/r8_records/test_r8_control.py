"""R8's wrong-algorithm control: records counted with ">=" on observations quantised to 8 bits (ties counted as
new records; the claim's law needs tie-free observations and a strict record), on the claim's quick horizons and
seeds, decided at the suite's delta. At T = 1000 about four ties with the top level are added to H_T = 7.49; the
Monte Carlo part must say violated, the exact enumeration still holds."""
import numpy as np

from testbed.controls import decide_control


def _ties_counted(task):
    rng = np.random.default_rng(task.seed)
    T, runs = task.spec["T"], task.spec["runs"]
    x = np.floor(rng.random((runs, T)) * 256)
    running_max = np.maximum.accumulate(x, axis=1)
    return {"counts": 1 + np.sum(x[:, 1:] >= running_max[:, :-1], axis=1)}


def test_records_counted_with_ties_are_violated():
    v = decide_control("R8", results=_ties_counted)
    assert v.verdict == "violated"
    assert [p["verdict"] for p in v.evidence["parts"]] == ["holds", "violated"]
