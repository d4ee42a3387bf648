"""Independent routes for S6's exact checks: the inner max of extended value iteration as a linear program, and
the gain and diameter of a small MDP by enumerating its deterministic stationary policies."""
import itertools

import numpy as np
from scipy.optimize import linprog

from tabular_envs import random_gap_mdp
from tabular_envs.errors import TabularEnvError
from tabular_envs.mdp.average_reward import diameter, optimal_gain
from tabular_envs.rl.ucrl2 import ucrl2


def inner_max_lp(p_hat: np.ndarray, d: float, u: np.ndarray) -> float:
    """max p . u over the simplex with ||p - p_hat||_1 <= d, as an LP in (p, e) with e >= |p - p_hat|."""
    S = p_hat.size
    c = np.concatenate([-u, np.zeros(S)])
    eye = np.eye(S)
    A_ub = np.block([[eye, -eye], [-eye, -eye], [np.zeros((1, S)), np.ones((1, S))]])
    b_ub = np.concatenate([p_hat, -p_hat, [d]])
    A_eq = np.concatenate([np.ones(S), np.zeros(S)])[None]
    res = linprog(c, A_ub=A_ub, b_ub=b_ub, A_eq=A_eq, b_eq=[1.0], bounds=[(0, None)] * (2 * S), method="highs",
                  options={"primal_feasibility_tolerance": 1e-10, "dual_feasibility_tolerance": 1e-10})
    return float(-res.fun)


def gain_and_diameter_by_enumeration(P: np.ndarray, r: np.ndarray) -> tuple[float, float]:
    """rho* = max over deterministic policies of mu_pi . r_pi (mu_pi the stationary distribution; the chains here
    are unichain); D = max_{s != g} min over deterministic policies of the expected hitting time of g from s (a
    linear solve per policy and target)."""
    S, A = r.shape
    best_gain = -np.inf
    hit = np.full((S, S), np.inf)
    for pol in itertools.product(range(A), repeat=S):
        Pp, rp = P[np.arange(S), pol], r[np.arange(S), pol]
        w, v = np.linalg.eig(Pp.T)
        mu = np.real(v[:, np.argmin(np.abs(w - 1))])
        best_gain = max(best_gain, float(mu @ rp / mu.sum()))
        for g in range(S):
            rest = [s for s in range(S) if s != g]
            M = np.eye(S - 1) - Pp[np.ix_(rest, rest)]
            if abs(np.linalg.det(M)) < 1e-12:
                continue
            times = np.linalg.solve(M, np.ones(S - 1))
            for k, s in enumerate(rest):
                if times[k] > 0:
                    hit[s, g] = min(hit[s, g], times[k])
    np.fill_diagonal(hit, 0.0)
    return best_gain, float(hit.max())


def hard_gain_family(gain_gap: float, leave: float = 0.25, n_actions: int = 2) -> tuple[np.ndarray, np.ndarray]:
    """(P, r) of the two-state MDP of Jaksch, Ortner, Auer (2010), the building block of Thm 5's proof: reward 1
    in state 1 and 0 in state 0 for every action; from state 1 every action returns to state 0 with probability
    ``leave``; from state 0 every action reaches state 1 with probability ``leave``, the last action with
    ``leave + eps`` instead, eps chosen so that its gain exceeds the others' by exactly ``gain_gap``: the gains are
    p / (p + leave) with p the probability of leaving state 0, so eps = 4 leave gap / (1 - 2 gap). The diameter is
    1 / leave for every gap (the last action is the optimal one, so ties in an algorithm's choice favour a worse
    one)."""
    if not (0.0 < leave <= 0.5 and 0.0 <= gain_gap <= (1.0 - leave) / (2.0 * (1.0 + leave)) and n_actions >= 2):
        raise TabularEnvError(f"hard_gain_family needs 0 < leave <= 1/2, 0 <= gain_gap <= (1 - leave) / (2 (1 + "
                              f"leave)) (so that leave + eps <= 1) and n_actions >= 2, got leave={leave!r}, "
                              f"gain_gap={gain_gap!r}, n_actions={n_actions!r}")
    eps = 4.0 * leave * gain_gap / (1.0 - 2.0 * gain_gap)
    P = np.zeros((2, n_actions, 2))
    P[0, :, 1] = leave
    P[0, -1, 1] = leave + eps
    P[0, :, 0] = 1.0 - P[0, :, 1]
    P[1, :, 0], P[1, :, 1] = leave, 1.0 - leave
    r = np.zeros((2, n_actions))
    r[1] = 1.0
    return P, r


def worst_case_ucrl2_search(horizon: int, bound, seed: int, *, n_random: int = 200, reps_screen: int = 24,
                            reps_final: int = 300, delta: float = 0.1) -> dict:
    """The small communicating MDP maximising UCRL2's mean realised regret at ``horizon`` over Thm 2's bound, searched
    as one task (a pure function of ``seed``): ``n_random`` random MDPs (S in 2..4, A in 2..4, Dirichlet
    concentration log-uniform in [0.2, 5], reward width log-uniform in [0.02, 1]; ``tabular_envs.random_gap_mdp``),
    each scored on ``reps_screen`` replications; the winner is re-simulated on ``reps_final`` fresh replications, so
    its ratio carries no winner's curse. ``bound(D, S, A, T)`` is the bound the ratio divides by. Small S and short
    horizons are where the bound, linear in D S and growing like sqrt(T), is closest to the regret."""
    def draw(S, A, concentration, width, instance_seed):
        m = random_gap_mdp(S, A, concentration=concentration, reward_width=width, gamma=0.9, rng=instance_seed)
        return m.P, m.r

    rng = np.random.default_rng(seed)
    best, best_score, trace = None, -np.inf, []
    for _ in range(n_random):
        x = (int(rng.integers(2, 5)), int(rng.integers(2, 5)), float(np.exp(rng.uniform(np.log(0.2), np.log(5.0)))),
             float(np.exp(rng.uniform(np.log(0.02), 0.0))), int(rng.integers(2 ** 31)))
        P, r = draw(*x)
        rho, _ = optimal_gain(P, r)
        regret, _, _ = ucrl2(P, r, horizon, rho, delta=delta, seed=int(rng.integers(2 ** 63)),
                             n_replications=reps_screen, checkpoints=[horizon])
        score = float(regret.mean()) / float(bound(diameter(P), x[0], x[1], horizon))
        trace.append(score)
        if score > best_score:
            best, best_score = x, score
    P, r = draw(*best)
    rho, _ = optimal_gain(P, r)
    regret, episodes, capped = ucrl2(P, r, horizon, rho, delta=delta, seed=int(rng.integers(2 ** 63)),
                                     n_replications=reps_final, checkpoints=[horizon])
    return {"P": P, "r": r, "instance": np.array(best[:4], dtype=np.float64), "regret": regret,
            "T": np.array([horizon]), "rho": np.array(rho), "D": np.array(diameter(P)), "episodes": episodes,
            "capped": capped, "screen_ratios": np.array(trace)}
