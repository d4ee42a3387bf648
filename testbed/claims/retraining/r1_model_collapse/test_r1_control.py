"""R1's wrong-algorithm control: an "accumulate" loop that discards the older data (it refits on the newest
generation only, which is the replace loop), on the claim's quick grid and seeds, decided at the suite's delta. Its
error grows like n instead of staying below sigma^2 d pi^2 / (6 (T - d - 1)); the Monte Carlo part must say violated
while the exact coefficient part still holds."""
import numpy as np

from testbed.controls import decide_control

from .claim import N_ITER, SIGMA
from .model import collapse_errors


def _accumulate_discards_old_data(task):
    d, T, reps = task.spec["d"], task.spec["T"], task.spec["reps"]
    rng = np.random.default_rng(task.seed)
    out = {}
    for mode in ("replace", "accumulate"):
        errs = np.empty((reps, N_ITER))
        for k in range(reps):
            X = rng.standard_normal((T, d))
            errs[k] = collapse_errors(X, rng.standard_normal(d), SIGMA, N_ITER, "replace", rng)
        out[mode] = errs
    return out


def test_accumulation_that_discards_old_data_is_violated():
    v = decide_control("R1", results=_accumulate_discards_old_data)
    assert v.verdict == "violated"
    assert [p["verdict"] for p in v.evidence["parts"]] == ["holds", "violated"]
