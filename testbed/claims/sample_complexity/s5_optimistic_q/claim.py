"""S5. Q-learning with UCB-Hoeffding (Jin, Allen-Zhu, Bubeck, Jordan 2018, Thm 1, Lemma 4.1, App. A).

Stage-dependent P_h, r_h in [0, 1], T = K H; alpha_t = (H + 1)/(H + t), b_t = c sqrt(H^3 iota / t),
iota = log(S A T / p), p = 0.1 (``tabular_envs.rl.ucb_hoeffding``). The constant c is not given in the paper
[unconfirmed constants]: c in {0.1, 1} is reported. Checked, at equal shares of the claim's delta:
- exact: Lemma 4.1 at random (H, t, i) (H in 1..50, t in 1..3000, i in 1..200): sum_i alpha_t^i = 1;
  1/sqrt(t) <= sum_i alpha_t^i / sqrt(i) <= 2/sqrt(t); max_i alpha_t^i <= 2H/t; sum_i (alpha_t^i)^2 <= 2H/t;
  sum_{t >= i} alpha_t^i = 1 + 1/H (weights by their defining product, the infinite sum by the closed form
  ``proofs_check.ucb_h_weight``, itself checked against the product to 1e-10 relative);
- rate: on stage-dependent Garnets (S = 3, A = 2, branching 3), the log-log slope of the mean pseudo-regret in K
  over a late window is below 1/2 (t interval, Bonferroni over the units). Regret O(sqrt(H^4 S A T iota)) is an
  upper rate; a fixed instance eventually shows less;
- falsification contrast (App. A) on a combination lock with A = 4 and H = 3..7: the episodes until epsilon-greedy
  Q-learning (eps = 0.1) first sees a reward grow at least like A^{H/2} (the slope of log E[episodes] in H is at
  least ln(A)/2, t interval), while UCB-H (c = 0.1), deterministic on this deterministic lock (the same count for
  every seed, tested), needs a number that grows at most like H^6: its exact log-log slope over H = 8, 10, ..., 16
  is at most 6. The degree comes from Thm 1 itself: with S = H + 1 and regret 1 per episode before the first reward,
  K <= C sqrt(H^4 S A K H iota) gives K <= C^2 H^6 A iota. The H grid separates polynomial from exponential: over
  8..16, A^{H/2} = 2^H has log-log slope 7.96 (above 6), so an exponential learner cannot pass (on the earlier grid
  3..7, 2^H had 3.5 and passed); the 1/t learning rate is one (slope 8.7, tested).
The windows were chosen after exploratory runs of the correct algorithm and of the 1/t learning-rate variant (see
the procedure changes): the variant, which replaces (H + 1)/(H + t) by 1/t, keeps a large share of early,
optimistic targets and its regret is still growing like K^0.6-0.7 there, while UCB-H's grows like K^0.15-0.4.
Trap kept: the Omega(sqrt(H^2 S A T)) lower bound is for stage-dependent P_h (the Garnets here are); its ratio to
the stationary Omega(sqrt(H S A T)) is sqrt(H), checked symbolically with the exact parts.
"""
import numpy as np
import sympy as sp

from proofs_check import episodic_regret_lower_bounds, ucb_h_learning_rate
from tabular_envs.rl.instances import combination_lock, stage_dependent_garnet
from tabular_envs.rl.optimistic_q import epsilon_greedy_first_reward, ucb_hoeffding, ucb_hoeffding_first_reward
from testbed.claim import Claim, Source
from testbed.stats import combine_verdicts, decide_exact, decide_slope_above, decide_slope_below

from .model import lemma_4_1_violations

P_FAIL = 0.1
RATE_THRESHOLD = 0.5
LOCK_A, LOCK_H = 4, (3, 4, 5, 6, 7)
UCB_LOCK_H = (8, 10, 12, 14, 16)
LOCK_EPS, LOCK_C = 0.1, 0.1
UCB_LOCK_DEGREE = 6.0
LEMMA_TOL = 1e-10
UCB_LOCK_KEY = "UCB-H on the lock: log-log slope of episodes to first reward in H"
SQRT_H_KEY = "stage-dependent / stationary lower bound = sqrt(H) (sympy)"
# unit -> (c, H, rate window of checkpoint episodes)
_UNITS = {"c1/H2": (1.0, 2, (200_000, 400_000, 700_000, 1_000_000)),
          "c1/H3": (1.0, 3, (200_000, 400_000, 700_000, 1_000_000)),
          "c0.1/H5": (0.1, 5, (25_000, 50_000, 100_000))}
_REPS = {"quick": 100, "standard": 100, "full": 300}
_LOCK_REPS = {"quick": 100, "standard": 400, "full": 1000}
_LEMMA_CASES = {"quick": 60, "standard": 200, "full": 600}


class OptimisticQLearning(Claim):
    id = "S5"
    family = "sample_complexity"
    title = "Q-learning with UCB-Hoeffding: Lemma 4.1, a sublinear rate, and exponential epsilon-greedy on a lock"
    source = Source("Jin, Allen-Zhu, Bubeck, Jordan", 2018, "Is Q-learning provably efficient? (NeurIPS)",
                    "Thm 1, Lemma 4.1, App. A")
    status = "unconfirmed"
    kind = ("exact", "rate", "falsification")
    no_bound = "Thm 1's O(sqrt(H^4 S A T iota)) has no stated constant (and c in the bonus is unspecified)"
    statement = ("UCB-H has regret O(sqrt(H^4 S A T iota)) w.p. 1 - p (T = K H, stage-dependent P_h); its weights obey "
                 "Lemma 4.1; epsilon-greedy Q-learning needs Omega(A^{H/2}) episodes on a combination lock.")

    def tasks(self, fidelity, root_seed):
        out = [self.make_task(u, {"unit": u, "reps": _REPS[fidelity], "rate": "jin"}, fidelity, root_seed, u)
               for u in _UNITS]
        out.append(self.make_task("lock", {"unit": "lock", "reps": _LOCK_REPS[fidelity]}, fidelity, root_seed,
                                  "lock"))
        out.append(self.make_task("lemma", {"unit": "lemma", "cases": _LEMMA_CASES[fidelity]}, fidelity, root_seed,
                                  "lemma"))
        return out

    def run_task(self, task):
        unit = task.spec["unit"]
        if unit == "lemma":
            rng = np.random.default_rng(task.seed)
            worst = {}
            for _ in range(task.spec["cases"]):
                H, t, i = int(rng.integers(1, 51)), int(rng.integers(1, 3001)), int(rng.integers(1, 201))
                for k, v in lemma_4_1_violations(H, t, i).items():
                    worst[k] = max(worst.get(k, 0.0), v)
            rate = ucb_h_learning_rate()
            worst["alpha_1 = 1 (the initial value is forgotten)"] = max(
                abs(float(rate.evaluate(H=float(H), t=1.0)) - 1.0) for H in range(1, 51))
            return {"names": np.array(list(worst)), "worst": np.array(list(worst.values()))}
        if unit == "lock":
            eps_first = [epsilon_greedy_first_reward(combination_lock(H, LOCK_A), 50 * LOCK_A ** H, eps=LOCK_EPS,
                                                     seed=task.seed, n_replications=task.spec["reps"])
                         for H in LOCK_H]
            ucb_first = [ucb_hoeffding_first_reward(combination_lock(H, LOCK_A), 20 * LOCK_A ** H, c=LOCK_C,
                                                    seed=task.seed, rate=task.spec.get("rate", "jin"))[0]
                         for H in UCB_LOCK_H]
            return {"H": np.array(LOCK_H), "eps_first": np.column_stack(eps_first), "ucb_H": np.array(UCB_LOCK_H),
                    "ucb_first": np.array(ucb_first)}
        c, H, window = _UNITS[unit]
        model = stage_dependent_garnet(3, 2, 3, H, rng=5)
        regret, _ = ucb_hoeffding(model, window[-1], c=c, p=P_FAIL, seed=task.seed, n_replications=task.spec["reps"],
                                  checkpoints=list(window), rate=task.spec["rate"])
        return {"regret": regret, "K": np.array(window)}

    def decide(self, tasks, results):
        by = {t.spec["unit"]: r for t, r in zip(tasks, results, strict=True)}
        lemma = by.pop("lemma")
        names = [str(n) for n in lemma["names"]]
        errors = dict(zip(names, map(float, lemma["worst"]), strict=True))
        tolerances = dict.fromkeys(names, LEMMA_TOL)
        contrast, lock_evidence = decide_lock(by.pop("lock"), self.delta / 2)
        errors[UCB_LOCK_KEY], tolerances[UCB_LOCK_KEY] = lock_evidence["ucb_slope"], UCB_LOCK_DEGREE
        stationary, staged = episodic_regret_lower_bounds()
        gap = sp.simplify(staged.expr / stationary.expr - sp.sqrt(sp.Symbol("H", positive=True)))
        errors[SQRT_H_KEY], tolerances[SQRT_H_KEY] = (0.0 if gap == 0 else 1.0), 0.0
        exact = decide_exact(errors, tolerances)
        rate = decide_rate(by, self.delta / 2)
        v = combine_verdicts({"Lemma 4.1 and UCB-H on the lock (exact)": exact, "rate in K": rate,
                              "epsilon-greedy on the lock": contrast})
        return v.with_evidence(lock=lock_evidence,
                               curves=[{"unit": u, "K": r["K"].tolist(), "mean": r["regret"].mean(0).tolist()}
                                       for u, r in by.items()])

    def evidence_lines(self, evidence):
        lk = evidence["lock"]
        return super().evidence_lines(evidence) + [
            f"combination lock (A = {LOCK_A}): H = {lk['H']}; epsilon-greedy mean episodes to the first reward "
            f"{[round(x) for x in lk['eps_mean']]}; UCB-H (c = {LOCK_C}) at H = {lk['ucb_H']}: {lk['ucb_first']} "
            f"(log-log slope in H {lk['ucb_slope']:.2f}, claimed at most {UCB_LOCK_DEGREE:g}; 2^H would have "
            f"{float(np.polyfit(np.log(lk['ucb_H']), np.array(lk['ucb_H']) * np.log(2.0), 1)[0]):.2f})"]


def decide_rate(by_unit: dict, delta: float):
    """The log-log slope of the mean regret in K over each unit's window is below 1/2 (t interval, Bonferroni)."""
    return decide_slope_below([r["regret"] for r in by_unit.values()], [r["K"].astype(float) for r in by_unit.values()],
                              RATE_THRESHOLD, delta, [f"{u}: slope of the mean regret in K" for u in by_unit])


def decide_lock(lock: dict, delta: float):
    """epsilon-greedy: slope of log E[episodes to first reward] in H at least ln(A)/2 (t interval over replications;
    a replication that never saw a reward within 50 A^H episodes counts 50 A^H, which can only lower the slope).
    Returns that verdict and the evidence, with UCB-H's exact log-log slope in H (decided with the exact checks)."""
    H = lock["H"].astype(float)
    eps = lock["eps_first"].astype(float)
    cap = 50.0 * LOCK_A ** H
    eps = np.where(eps < 0, cap, eps)
    exp_rate = decide_slope_above([eps], [np.exp(H)], np.log(LOCK_A) / 2, delta,
                                  ["epsilon-greedy: slope of log E[episodes to first reward] in H"])
    ucb = lock["ucb_first"].astype(float)
    ucb = np.where(ucb < 0, np.inf, ucb)
    ucb_H = lock["ucb_H"].astype(float)
    slope = float(np.polyfit(np.log(ucb_H), np.log(ucb), 1)[0]) if np.all(np.isfinite(ucb)) else float("inf")
    return (
        exp_rate,
        {
            "H": lock["H"].tolist(),
            "eps_mean": eps.mean(0).tolist(),
            "ucb_H": lock["ucb_H"].tolist(),
            "ucb_first": lock["ucb_first"].tolist(),
            "ucb_slope": slope,
        },
    )


CLAIM = OptimisticQLearning()
