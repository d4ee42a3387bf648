"""R7's wrong-algorithm control: subgradient steps k times larger than the schedule the bound is evaluated on (a
step-size bug), on the claim's quick tasks (same schedules, horizons and noise), decided at the suite's delta.
Theorem 1 is loose on f = |x| (the claim's power note: a bound 5 times too large still holds), so a step-size error
of 8 is caught and one of 4 is not; this is the size of error the claim can see."""
import numpy as np
import pytest

from testbed.controls import decide_control
from testbed.registry import get_claim

from .claim import noise_profile
from .model import run_sgd_abs, schedule


def _steps_times(k):
    def run(task):
        out = get_claim("R7").run_task(task)
        if "search" in task.spec:             # the deterministic search has no step-size schedule to scale
            return out
        s, T = task.spec, task.spec["T"]
        rng = np.random.default_rng([task.seed, 1])
        for name, noise in (("stoch", np.ones(T)), ("stoch_varying", noise_profile(T))):
            eta = schedule(s["schedule"], T, 1.0, np.sqrt(1.0 + noise ** 2))
            out[name] = run_sgd_abs(k * eta, 1.0, 1.0, noise=noise, rng=rng, reps=s["reps"])
        return out
    return run


@pytest.mark.parametrize("k,expected", [(8.0, "violated"), (4.0, "holds")])
def test_a_step_size_bug_is_caught_from_a_factor_of_eight(k, expected):
    v = decide_control("R7", results=_steps_times(k))
    assert v.verdict == expected
    assert {p["name"]: p["verdict"] for p in v.evidence["parts"]}["stochastic runs"] == expected
