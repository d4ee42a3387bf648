"""B6. Thompson sampling (Slivkins 2019, Theorems 3.9 and 3.15; Agrawal & Goyal 2012).

Beta-Bernoulli Thompson sampling has E[R(T)] <= (1 + eps) C(mu) ln T + f(mu)/eps^2 for every eps > 0, with C(mu)
the Lai-Robbins constant (B2), so its regret is O(log T) and asymptotically optimal. Checked in two parts, each at
half the false-alarm budget:
- the rate: the log-log slope of E[R(T)] over the last decade of T is below 1/2 on fixed instances (threshold
  fixed in advance: O(log T) regret has slope < 1/ln(T/10), linear regret has slope 1);
- the constant: the slope b of R(T) = a + b ln T over the last decade (per replication, t-interval) is at most
  (1 + EPS) C(mu) with EPS = 1/2 fixed in advance (the f(mu)/eps^2 term does not grow with T, so it adds nothing
  to the slope); a policy whose slope is significantly above it violates the constant.
"""
import numpy as np

from proofs_check import lai_robbins_constant, slope_threshold, thompson_agrawal_goyal_slivkins_thm3_15_bound
from testbed.bandit_sweep import decide_log_shape, gather, last_decade, log_regime_tasks, regret_curves, run_bandit_task
from testbed.claim import Claim, Source
from testbed.stats import combine_verdicts, decide_slope_at_least, replication_slopes

# halfway between the exponent 0 of (1 + eps) C(mu) ln T and linear regret, fixed before any data: 1/2
LOG_THRESHOLD = float(slope_threshold(thompson_agrawal_goyal_slivkins_thm3_15_bound()))
EPS = 0.5   # the (1 + eps) of the theorem, at which the slope of R(T) against ln T is decided


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
        rate = decide_log_shape(groups, self.delta / 2, LOG_THRESHOLD)
        slopes, thresholds, labels = [], [], []
        for (_, name, alg, T), g in groups.items():
            window = last_decade(g["checkpoints"], T)
            slopes.append(replication_slopes(g["regret"][:, window], np.log(g["checkpoints"][window])))
            thresholds.append((1 + EPS) * lai_robbins_constant(g["instance"]))
            labels.append(f"{name}/{alg}: slope of R(T) vs ln T")
        constant = decide_slope_at_least(slopes, thresholds, self.delta / 2, labels, plant="factor",
                                         direction="at most")
        constant = constant.replace(evidence={"constant": constant.evidence["slopes"]})
        curves = regret_curves(groups, self.delta)
        for c, g in zip(curves, groups.values(), strict=True):
            c["C"] = lai_robbins_constant(g["instance"])
        return combine_verdicts({"rate (log-log slope)": rate, "constant (1 + eps) C(mu)": constant},
                                evidence={"curves": curves, "eps": EPS})

    def evidence_lines(self, evidence):
        lines = super().evidence_lines(evidence)
        for s in evidence.get("constant", []):
            lines.append(f"{s['label']}: {s['slope']:.3f} [{s['lower']:.3f}, {s['upper']:.3f}], claimed at most "
                         f"(1 + {evidence['eps']:g}) C(mu) = {s['threshold']:.4g}: {s['verdict']}")
        return lines



CLAIM = ThompsonSampling()
