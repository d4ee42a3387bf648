"""B5. Successive elimination and UCB1: logarithmic instance-dependent regret, sqrt(T log T) worst case
(Slivkins 2019, Theorems 1.10, 1.11, 1.15).

E[R(T)] <= O(log T) sum_{Delta_a > 0} 1/Delta_a on a fixed instance, and E[R(t)] = O(sqrt(K t log T)) for all t.
Only orders are stated, so the check is a rate check with thresholds fixed in advance:
- fixed instances: the log-log slope of E[R(T)] over the last decade of T is below 1/2. An O(log T) regret has a
  log-log slope that tends to 0 (R = a + b ln T with a >= 0 has slope at most 1/ln(T/10) over [T/10, T]);
  linear regret (an algorithm that locks onto a wrong arm) has slope 1; 1/2 separates the two. The regime starts when
  the closest arm has been separated, after about 16 ln T / Delta_min^2 pulls (successive elimination's radius sqrt(2 ln
  T / n) on both arms); before that, regret is linear by design. So every fixed instance must satisfy
  T/10 >= 16 ln T / Delta_min^2 (enforced in ``testbed.bandit_sweep.log_regime_instances``): larger horizons admit
  smaller gaps;
- two worst-case families (a new instance for every T): the slope of E[R(T)] across T is below 3/4, halfway
  between 1/2 (plus the log factor's 1/(2 ln T)) and 1. "gap": K = 10 arms, every suboptimal arm at gap sqrt(K/T);
  there any policy's regret is at most sqrt(K T), so it cannot fail alone (greedy UCB1 measured 0.54, ETC with one
  pull per arm 0.50). "mixed" (``model.mixed_gap_family``): K = 3, a near-optimal arm at gap sqrt(K/T) and a bad arm
  worse by the constant 0.4, on which greedy play and ETC(m = 1) lock onto the bad arm with constant probability:
  their slopes are about 0.93 and 0.95 (violated; ``test_b5.py``), UCB1's 0.43 and successive elimination's 0.25.
Linearised t intervals over replications, Bonferroni over units. Successive elimination uses the radius
sqrt(2 ln T / n) of the theorems; UCB1 is Auer et al.'s anytime form sqrt(2 ln t / n), for which Auer et al.
(2002, Thm 1) gives the same O(log T) order.
"""
import numpy as np

from proofs_check import (
    slope_threshold,
    successive_elimination_slivkins_instance_order,
    successive_elimination_slivkins_worst_case_order,
)
from testbed.bandit_sweep import (
    bandit_tasks,
    gather,
    last_decade,
    log_regime_tasks,
    regret_curves,
    run_bandit_task,
    worst_case_gap_family,
)
from testbed.claim import Source
from testbed.declare import DeclaredClaim, Part, Unit

from .model import mixed_gap_family

ALGORITHMS = ("ucb1", "successive_elimination")
_K_WORST = 10
_SIZES = {"quick": (200, (1_000, 3_162, 10_000)), "standard": (500, (1_000, 3_162, 10_000, 31_623, 100_000)),
          "full": (1000, (1_000, 10_000, 100_000, 1_000_000))}   # worst-case family: (replications, horizons)
# halfway between each bound's exponent and linear regret, fixed before any data: 1/2 (log T) and 3/4 (sqrt(T log T))
FIXED_THRESHOLD = float(slope_threshold(successive_elimination_slivkins_instance_order()))
WORST_THRESHOLD = float(slope_threshold(successive_elimination_slivkins_worst_case_order()))


class LogarithmicRegret(DeclaredClaim):
    id = "B5"
    family = "bandits"
    title = "Successive elimination and UCB1: O(log T) instance-dependent and O(sqrt(K T log T)) worst-case regret"
    source = Source("Slivkins", 2019, "Introduction to Multi-Armed Bandits", "Theorems 1.10, 1.11, 1.15")
    status = "confirmed"
    kind = ("rate",)
    statement = ("E[R(t)] = O(sqrt(K t log T)) for all t <= T, and E[R(T)] <= O(log T) sum_{Delta_a > 0} 1/Delta_a "
                 "(confidence radius sqrt(2 log T / n_a)). Only the orders are stated.")
    parts = (Part("fixed instances", "slope_below", units="fixed_units", share=0.5,
                  params={"threshold": FIXED_THRESHOLD}),
             Part("worst-case family", "slope_below", units="worst_case_units", share=0.5,
                  params={"threshold": WORST_THRESHOLD}))

    def bound(self):
        return successive_elimination_slivkins_instance_order()

    def tasks(self, fidelity, root_seed):
        return log_regime_tasks(self, fidelity, root_seed, ALGORITHMS) + worst_case_tasks(self, fidelity, root_seed,
                                                                                          ALGORITHMS)

    def run_task(self, task):
        return run_bandit_task(task)

    def fixed_units(self, tasks, results):
        """Each fixed instance and algorithm: the regret over the last decade of T, against T."""
        return [Unit(f"{name}/{alg}", g["regret"][:, w], x=g["checkpoints"][w].astype(float))
                for (group, name, alg, T), g in gather(tasks, results).items() if group == "fixed"
                for w in [last_decade(g["checkpoints"], T)]]

    def worst_case_units(self, tasks, results):
        """Each worst-case family and algorithm: the regret at T, against the family's horizons T."""
        groups = gather(tasks, results)
        units = []
        for group, alg in sorted({(k[0], k[2]) for k in groups if k[0].startswith("worst")}):
            keys = sorted((k for k in groups if k[0] == group and k[2] == alg), key=lambda k: k[3])
            units.append(Unit(f"worst-case family/{group.split('/')[1]}/{alg}",
                              np.column_stack([groups[k]["regret"][:, -1] for k in keys]),
                              x=np.array([k[3] for k in keys], dtype=float)))
        return units

    def extra_evidence(self, tasks, results, delta):
        """The fixed instances' curves and the worst-case families' means, for the figure."""
        groups = gather(tasks, results)
        return {"thresholds": {"fixed instances": FIXED_THRESHOLD, "worst-case family": WORST_THRESHOLD},
                "curves": regret_curves({k: g for k, g in groups.items() if k[0] == "fixed"}, delta),
                "worst_case": [{"algorithm": u.label.split("/")[2], "family": u.label.split("/")[1],
                                "T": u.x.tolist(), "mean": u.samples.mean(axis=0).tolist()}
                               for u in self.worst_case_units(tasks, results)]}


def worst_case_tasks(claim, fidelity: str, root_seed: int, algorithms, params=None) -> list:
    """The two worst-case families' tasks (one instance per horizon, the regret at T only). A family's instances
    share one name, hence one reward tape across its horizons (common random numbers: replication i sees the same
    draws at every T), which narrows the interval of the slope across T."""
    reps, horizons = _SIZES[fidelity]
    families = {"gap": lambda T: worst_case_gap_family(_K_WORST, T, "worst_gap"),
                "mixed": lambda T: mixed_gap_family(T, "worst_mixed")}
    return [t for name, family in families.items() for T in horizons for alg in algorithms
            for t in bandit_tasks(claim, fidelity, root_seed, family(T), alg, T, reps, min(reps, 100),
                                  checkpoints=[T], params=params, group=f"worst/{name}")]


CLAIM = LogarithmicRegret()
