"""B16's wrong-algorithm control: Tsallis-INF fed the SOR losses as rewards (a sign bug: it maximises the iteration
count), on the claim's quick sequences and seeds, decided at the suite's delta. It concentrates on the worst omega,
so its regret against the best fixed omega is linear; the claim's slope test must say violated, while Young's
theorem (exact) still holds."""
import numpy as np

from tabular_envs import log_checkpoints
from tabular_envs.bandits.adversarial import best_in_hindsight, simulate_tsallis_inf
from testbed.controls import decide_control
from testbed.registry import get_claim

from .claim import OMEGAS, omega_loss_table


def _sign_bug(task):
    s = task.spec
    if "sequence" not in s:
        return get_claim("B16").run_task(task)
    losses = omega_loss_table(s["sequence"], s["T"], task.seed)
    res = simulate_tsallis_inf(losses, s["reps"], task.seed, checkpoints=log_checkpoints(s["T"]))
    ck = res.checkpoints
    expected_loss = res.best_gain[None, :] - res.regret        # its expected "reward", p_t . l_t, summed
    return {"regret": best_in_hindsight(1.0 - losses, ck)[None, :] - (ck[None, :] - expected_loss),
            "checkpoints": ck, "best_omega": np.array(OMEGAS[np.argmin(losses.sum(axis=0))])}


def test_tsallis_inf_with_a_sign_bug_is_violated():
    v = decide_control("B16", results=_sign_bug)
    assert v.verdict == "violated"
    parts = {p["name"]: p["verdict"] for p in v.evidence["parts"]}
    assert parts["Tsallis-INF regret rate"] == "violated"
    assert all(s["verdict"] == "violated" for s in v.evidence["slopes"])
