"""B13's wrong-algorithm control: the blocked OFUL learner with blocks of one round, i.e. a learner that ignores the
system's memory (it regresses each reward on the action just played, so it learns theta, not the steady-state
gain h = theta + B^T (I - A)^-T omega, and settles on the myopic action). On the authors' instance the myopic and
steady-state optima differ, so its regret is linear; the claim's slope test, on its quick tasks and seeds at the
suite's delta, must say violated, while the steady-state (exact) part still holds."""
import math

import numpy as np

from testbed.controls import decide_control
from testbed.registry import get_claim

from .claim import rate_systems, rate_threshold
from .learner import _run
from .model import optimal_constant_action, polytope_vertices, steady_state_gain, validate_system


def _memoryless(task):
    s = task.spec
    if "rate_system" not in s:
        return get_claim("B13").run_task(task)
    A, B, omega, theta, budget, sigma = rate_systems(s["generated"])[s["rate_system"]]
    A, B, omega, theta = validate_system(A, B, omega, theta)
    rho = float(np.max(np.abs(np.linalg.eigvals(A))))
    h = steady_state_gain(A, B, omega, theta)
    _, j_star = optimal_constant_action(h, budget)
    R = max(sigma, 1e-12) * math.sqrt(1 + float(omega @ omega) / (1 - rho) ** 2)
    verts = np.ascontiguousarray(polytope_vertices(B.shape[1], budget))
    T, ck = s["T"], np.array([s["T"]], dtype=np.int64)
    out = np.zeros((s["reps"], 1))
    for i in range(s["reps"]):
        _run(A, B, omega, theta, verts, float(sigma), int(T), 1, R, float(np.linalg.norm(h)), 1.0 / T,
             np.uint64(task.seed), i, ck, j_star, out[i])
    return {"regret": out[:, 0]}


def test_a_learner_that_ignores_the_state_is_violated():
    v = decide_control("B13", results=_memoryless)
    assert v.verdict == "violated"
    parts = {p["name"]: p["verdict"] for p in v.evidence["parts"]}
    assert parts == {"steady state (exact)": "holds", "regret rate": "violated"}
    authors = next(s for s in v.evidence["slopes"] if s["label"].endswith("/authors"))
    assert authors["lower"] > authors["threshold"] == rate_threshold([1_000, 3_162, 10_000])


def test_the_authors_myopic_action_is_not_the_steady_state_optimum():
    """Why the control can fail: the myopic optimum argmax <theta, u> differs from u* = argmax <h, u>."""
    A, B, omega, theta, budget, _ = rate_systems(0)["authors"]
    u_myopic, _ = optimal_constant_action(theta, budget)
    u_star, j_star = optimal_constant_action(steady_state_gain(A, B, omega, theta), budget)
    assert not np.allclose(u_myopic, u_star)
    assert steady_state_gain(A, B, omega, theta) @ u_myopic < j_star - 0.05
