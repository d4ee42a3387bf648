"""B7. Hedge with full feedback (Slivkins 2019, Theorem 5.16).

Costs in [0, 1], K experts, epsilon = sqrt(ln K / (3T)): E[cost(Hedge)] - min_a cost(a) < 2 sqrt(3) sqrt(T ln K).
Hedge's distribution is a deterministic function of the past costs, so its expected regret is computed exactly
(no sampling) on oblivious sequences (uniform, Bernoulli, switching) and on an adaptive adversary that charges
the expert Hedge favours. Status unconfirmed: the catalogue could not confirm the exact multiplicative-weights
update of the book; the one implemented is w_{t+1}(a) = w_t(a) (1 - epsilon)^{c_t(a)}.
"""
import numpy as np

from proofs_check import hedge_slivkins_epsilon, hedge_slivkins_thm5_16_bound
from tabular_envs.bandits.adversarial import adaptive_hard_costs, hedge_costs, oblivious_table
from testbed.claim import Source
from testbed.declare import DeclaredClaim, Part, Unit

_SEQUENCES = ("uniform", "bernoulli_linspace", "switching", "adaptive_hard")
_SIZES = {"quick": ((100, 1_000, 10_000), (2, 10)), "standard": ((100, 1_000, 10_000, 100_000), (2, 10, 50)),
          "full": ((100, 1_000, 10_000, 100_000), (2, 10, 50, 200))}


class HedgeSlivkins(DeclaredClaim):
    id = "B7"
    family = "bandits"
    title = "Hedge with full feedback: expected regret < 2 sqrt(3) sqrt(T ln K)"
    source = Source("Slivkins", 2019, "Introduction to Multi-Armed Bandits", "Theorem 5.16")
    status = "unconfirmed"
    kind = ("upper_bound", "exact")
    statement = ("Costs in [0, 1], K experts, epsilon = sqrt(ln K / (3T)): E[cost(Hedge)] - min_a cost(a) < "
                 "2 sqrt(3) sqrt(T ln K). [unconfirmed: the exact multiplicative-weights update form of the book]")
    parts = (Part("expected regret < bound on every sequence", "exact_upper_bound", units="regret_units",
                  params={"value": "regret"}),)

    def bound(self):
        return hedge_slivkins_thm5_16_bound()

    def tasks(self, fidelity, root_seed):
        horizons, arms = _SIZES[fidelity]
        return [self.make_task(f"{seq}/K={K}/T={T}", {"sequence": seq, "K": K, "T": T}, fidelity, root_seed,
                               stream=f"{seq}/K={K}/T={T}")
                for seq in _SEQUENCES for K in arms for T in horizons]

    def run_task(self, task):
        s = task.spec
        T, K = s["T"], s["K"]
        eps = hedge_slivkins_epsilon(K, T)
        if s["sequence"] == "adaptive_hard":
            costs = adaptive_hard_costs(T, K, eps)
        else:
            costs = 1.0 - oblivious_table(s["sequence"], T, K, np.random.default_rng(task.seed))
        expected, _ = hedge_costs(costs, eps)
        return {"regret": np.array(expected.sum() - costs.sum(axis=0).min()), "epsilon": np.array(eps)}

    def regret_units(self, tasks, results):
        """Hedge's exact expected regret on each (sequence, K, T), at its (K, T)."""
        return [Unit(t.unit, r["regret"], at={"T": t.spec["T"], "K": t.spec["K"]},
                     info={"sequence": t.spec["sequence"], "K": t.spec["K"], "T": t.spec["T"]})
                for t, r in zip(tasks, results, strict=True)]


CLAIM = HedgeSlivkins()
