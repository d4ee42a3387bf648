"""B1. UCB1 finite-time regret bound (Auer, Cesa-Bianchi, Fischer 2002, Theorem 1).

E[R(T)] <= 8 sum_{Delta_a > 0} ln T / Delta_a + (1 + pi^2/3) sum_a Delta_a for every T, Bernoulli rewards.
Checked at every checkpoint of a log grid (the bound is uniform in T), one-sided, Bonferroni over
(instance, checkpoint). Reference: K = 10, mu = linspace(0.1, 0.9, 10), T = 1e4: bound ~ 2362, UCB1 ~ 375.

Variant (Lattimore & Szepesvari 2020, Theorem 7.1): UCB(delta) with delta = 1/T^2 (1-subgaussian rewards, which
Bernoulli rewards are): E[R(T)] <= 3 sum_a Delta_a + 16 sum_{Delta_a > 0} log T / Delta_a. delta depends on the
horizon, so the bound is checked at the end of separate runs for each horizon, in the same Bonferroni family.
"""
import numpy as np

from proofs_check import ucb1_auer2002_bound, ucb1_lattimore_thm7_1_bound
from tabular_envs import bernoulli_bandit, log_checkpoints
from testbed.bandit_sweep import bandit_tasks, gather, run_bandit_task, worst_case_bandit_search
from testbed.claim import Source
from testbed.declare import DeclaredClaim, Part, Unit

_INSTANCES = {
    "quick": [("catalogue_K10", np.linspace(0.1, 0.9, 10)), ("two_arms_gap0.1", [0.5, 0.4]),
              ("K5_tied_second", [0.9, 0.8, 0.8, 0.7, 0.5])],
}
_INSTANCES["standard"] = _INSTANCES["quick"] + [
    ("close_pair_gap0.02", [0.5, 0.48]),
    ("K20_random", np.round(np.random.default_rng(20).uniform(0.05, 0.95, 20), 3)),
]
_INSTANCES["full"] = _INSTANCES["standard"]
_SIZES = {"quick": (10_000, 200, 100), "standard": (100_000, 1000, 250), "full": (1_000_000, 2000, 250)}
_LS_HORIZONS = {"quick": (1_000, 10_000), "standard": (1_000, 10_000, 100_000), "full": (1_000, 10_000, 100_000)}


class UCB1Auer2002(DeclaredClaim):
    id = "B1"
    family = "bandits"
    title = "UCB1 finite-time regret bound"
    source = Source("Auer, Cesa-Bianchi, Fischer", 2002, "Finite-time analysis of the multiarmed bandit problem",
                    "Theorem 1")
    status = "confirmed"
    kind = ("upper_bound", "statistical")
    power_note = ("Auer et al.'s constants (8 and 1 + pi^2/3) are loose for UCB1: on the catalogue instances and on "
                  "the worst instance the search found (K <= 10, gaps from 0.005 to the best mean), UCB1's regret "
                  "stays below half the bound, so a bound half as large would still hold for the algorithm; no "
                  "simulation of a correct UCB1 can show a factor-2 error in them (the worst-case tightness is the "
                  "evidence)")
    statement = ("For rewards in [0, 1] and every T: E[R(T)] <= 8 sum_{a: Delta_a > 0} ln T / Delta_a "
                 "+ (1 + pi^2/3) sum_a Delta_a for UCB1 (index mean_j + sqrt(2 ln n / n_j)). Variant (Lattimore & "
                 "Szepesvari Thm 7.1): UCB(delta), index mean + sqrt(2 log(1/delta)/n), delta = 1/T^2, 1-subgaussian: "
                 "E[R(T)] <= 3 sum Delta_a + 16 sum_{Delta_a > 0} log T / Delta_a.")
    parts = (Part("E[R(T)] <= bound at every checkpoint", "upper_bound", units="regret_units"),)

    def bound(self):
        return ucb1_auer2002_bound()

    def tasks(self, fidelity, root_seed):
        T, reps, block = _SIZES[fidelity]
        auer = [t for name, mu in _INSTANCES[fidelity]
                for t in bandit_tasks(self, fidelity, root_seed, bernoulli_bandit(mu, name=name), "ucb1", T, reps,
                                      block, checkpoints=log_checkpoints(T))]
        ls = [t for n in _LS_HORIZONS[fidelity] for name, mu in _INSTANCES[fidelity]
              for t in bandit_tasks(self, fidelity, root_seed, bernoulli_bandit(mu, name=name), "ucb_delta", n, reps,
                                    block, checkpoints=[n], group="ls_thm7_1")]
        search = [self.make_task("worst_case/ucb1", {"search": "ucb1", "T": T, "reps_final": reps}, fidelity,
                                 root_seed, stream="worst_case")]
        return auer + ls + search

    def run_task(self, task):
        if "search" in task.spec:
            bound = self.bound()

            def ratio_bound(means, T):
                gaps = means.max() - means
                return bound.evaluate(T=float(T), Delta=gaps[gaps > 0])
            return worst_case_bandit_search("ucb1", task.spec["T"], ratio_bound, task.seed,
                                            reps_final=task.spec["reps_final"])
        return run_bandit_task(task)

    def regret_units(self, tasks, results):
        """The regret of each catalogue instance at its checkpoints (Auer et al.'s bound), of UCB(delta) at the end
        of each horizon's run (Lattimore & Szepesvari's), and of the worst instance the search found."""
        sweep = [i for i, t in enumerate(tasks) if "search" not in t.spec]
        groups = gather([tasks[i] for i in sweep], [results[i] for i in sweep])
        units = []
        for (group, name, _, _), g in groups.items():
            if not group:
                gaps, ck = g["instance"].gaps, g["checkpoints"]
                units.append(Unit(name, g["regret"], at={"T": ck.astype(float), "Delta": gaps[gaps > 0]},
                                  info={"name": name, "T": ck.tolist(), "means": g["instance"].means.tolist(),
                                        "algorithm": "ucb1"}))
        by_instance = {}
        for (group, name, _, horizon), g in sorted(groups.items(), key=lambda kv: kv[0][3]):
            if group == "ls_thm7_1":
                by_instance.setdefault(name, []).append((horizon, g))
        for name, runs in by_instance.items():
            gaps = runs[0][1]["instance"].gaps
            horizons = np.array([h for h, _ in runs], dtype=float)
            units.append(Unit(name, np.column_stack([g["regret"][:, -1] for _, g in runs]),
                              at={"T": horizons, "Delta": gaps[gaps > 0]}, bound=ucb1_lattimore_thm7_1_bound(),
                              info={"name": name, "T": horizons.astype(int).tolist(),
                                    "means": runs[0][1]["instance"].means.tolist(), "algorithm": "ucb_delta"}))
        for t, r in zip(tasks, results, strict=True):
            if "search" in t.spec:
                means = np.round(r["means"], 4)
                gaps = r["means"].max() - r["means"]
                units.append(Unit("worst case found", r["regret"],
                                  at={"T": r["checkpoints"].astype(float), "Delta": gaps[gaps > 0]},
                                  info={"name": "worst case found", "T": r["checkpoints"].tolist(),
                                        "means": means.tolist(), "algorithm": "ucb1"},
                                  search={"instance": f"K = {means.size}, means {means.tolist()}, "
                                                      f"T = {int(r['checkpoints'][-1])}",
                                          "screened": int(r["screen_ratios"].size)}))
        return units


CLAIM = UCB1Auer2002()
