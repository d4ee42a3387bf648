"""B6. Thompson sampling (Slivkins 2019, Theorems 3.9 and 3.15; Agrawal & Goyal 2012).

Beta-Bernoulli Thompson sampling has E[R(T)] <= (1 + eps) C(mu) ln T + f(mu)/eps^2 for every eps > 0, with C(mu)
the Lai-Robbins constant (B2), so its regret is O(log T) and asymptotically optimal. Checked as a rate: the
log-log slope of E[R(T)] over the last decade of T is below 1/2 on fixed instances (threshold fixed in advance:
O(log T) regret has slope < 1/ln(T/10), linear regret has slope 1); R(T)/ln T is reported against C(mu) (its
approach to C(mu) is decided in B2).
"""
from proofs_check import lai_robbins_constant, slope_threshold, thompson_agrawal_goyal_slivkins_thm3_15_bound
from testbed.bandit_sweep import decide_log_shape, gather, log_regime_tasks, regret_curves, run_bandit_task
from testbed.claim import Claim, Source

# halfway between the exponent 0 of (1 + eps) C(mu) ln T and linear regret, fixed before any data: 1/2
LOG_THRESHOLD = float(slope_threshold(thompson_agrawal_goyal_slivkins_thm3_15_bound()))


class ThompsonSampling(Claim):
    id = "B6"
    family = "bandits"
    title = "Thompson sampling: O(log T) regret, (1 + eps) C(mu) ln T + f(mu)/eps^2"
    source = Source("Slivkins", 2019, "Introduction to Multi-Armed Bandits", "Theorems 3.9, 3.15")
    status = "confirmed"
    kind = ("rate",)
    statement = ("Beta-Bernoulli Thompson sampling: for all eps > 0, E[R(T)] <= (1 + eps) C(mu) ln T + f(mu)/eps^2, "
                 "C(mu) = sum Delta_a / kl(mu_a, mu*); Bayesian regret O(sqrt(K T log T)).")

    def bound(self):
        return thompson_agrawal_goyal_slivkins_thm3_15_bound()

    def tasks(self, fidelity, root_seed):
        return log_regime_tasks(self, fidelity, root_seed, ("thompson",))

    def run_task(self, task):
        return run_bandit_task(task)

    def decide(self, tasks, results):
        groups = gather(tasks, results)
        v = decide_log_shape(groups, self.delta, LOG_THRESHOLD)
        curves = regret_curves(groups, self.delta)
        for c, g in zip(curves, groups.values(), strict=True):
            c["C"] = lai_robbins_constant(g["instance"])
        v = v.with_evidence(curves=curves)
        return v



CLAIM = ThompsonSampling()
