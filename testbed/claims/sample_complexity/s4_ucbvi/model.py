"""S4's instance search: the small episodic MDP where UCBVI-CH's regret is the largest share of Thm 1's bound."""
import numpy as np

from tabular_envs import random_gap_mdp
from tabular_envs.rl.episodic import episodic_model
from tabular_envs.rl.ucbvi import ucbvi


def searched_model(instance, H: int):
    """The episodic model of a searched instance (S, A, concentration, reward width, seed) at horizon H."""
    S, A, concentration, width, seed = instance
    m = random_gap_mdp(int(S), int(A), concentration=float(concentration), reward_width=float(width), gamma=0.9,
                       rng=int(seed))
    return episodic_model(m.P, m.r, H)


def worst_case_ucbvi_search(H: int, checkpoints, bound, seed: int, *, n_random: int = 24, reps_screen: int = 4,
                            reps_final: int = 24, delta: float = 0.1) -> dict:
    """The small episodic MDP maximising UCBVI-CH's mean pseudo-regret over Thm 1's bound at the last of
    ``checkpoints``, searched as one task (a pure function of ``seed``): ``n_random`` random MDPs (S in 2..3, A in
    2..3, Dirichlet concentration log-uniform in [0.5, 5] so that every state is visited, reward width log-uniform
    in [0.1, 1]; ``tabular_envs.random_gap_mdp``; start state 0), each scored on ``reps_screen`` replications; the
    winner is re-simulated on ``reps_final`` fresh replications, so its ratio carries no winner's curse.
    ``bound(H, S, A, K)`` is the bound the ratio divides by. Why these widths: a suboptimal pair with gap g costs
    about g N, and UCBVI-CH keeps playing it while its bonus 7 H L / sqrt(N) exceeds g, so at K episodes the regret
    per pair is largest near g = 7 H L / sqrt(K / 2) (0.17 at H = 2, K = 3e6, L = 21.6); smaller gaps cost less per
    visit, larger ones are learnt. The screen runs the full K: a shorter one ranks instances by the regret of
    uniform play, which large gaps maximise and UCBVI-CH learns by K = 3e6."""
    ck = np.asarray(checkpoints, dtype=np.int64)
    K = int(ck[-1])
    rng = np.random.default_rng(seed)
    best, best_score, trace = None, -np.inf, []
    for _ in range(n_random):
        x = (int(rng.integers(2, 4)), int(rng.integers(2, 4)), float(np.exp(rng.uniform(np.log(0.5), np.log(5.0)))),
             float(np.exp(rng.uniform(np.log(0.1), 0.0))), int(rng.integers(2 ** 31)))
        regret, _, _ = ucbvi(searched_model(x, H), K, bonus="ch", delta=delta, seed=int(rng.integers(2 ** 63)),
                             n_replications=reps_screen, checkpoints=[K])
        score = float(regret.mean()) / float(bound(H, x[0], x[1], K))
        trace.append(score)
        if score > best_score:
            best, best_score = x, score
    model = searched_model(best, H)
    regret, failures, _ = ucbvi(model, K, bonus="ch", delta=delta, seed=int(rng.integers(2 ** 63)),
                                n_replications=reps_final, checkpoints=list(ck))
    return {"regret": regret, "K": ck, "optimism_failures": failures, "H": np.array(H), "S": np.array(model.S),
            "A": np.array(model.A), "v_star": np.array(model.v_star), "instance": np.array(best, dtype=np.float64),
            "screen_ratios": np.array(trace)}
