"""B8. EXP3 on oblivious adversarial sequences, both published constant forms.

Auer, Cesa-Bianchi, Freund, Schapire (2002), Corollary 3.2: g >= G_max, gamma = min{1, sqrt(K ln K/((e-1) g))}:
G_max - E[G_Exp3] <= 2 sqrt(e-1) sqrt(g K ln K) <= 2.63 sqrt(g K ln K) (checked with g = T, rewards in [0, 1]).
Lattimore & Szepesvari (2020), Theorem 11.2: eta = sqrt(2 log K / (T K)) gives R_T <= sqrt(2 T K log K).
Statistical over the algorithm's own randomness (the sequences are fixed in advance), one-sided, Bonferroni over
(sequence, variant, T). The regret of a replication uses p_t . x_t, the conditional expectation of the collected
reward, an unbiased estimate of E[G_Exp3] with less variance.
"""
import numpy as np

from proofs_check import (
    exp3_auer2002_cor3_2_bound,
    exp3_auer2002_cor3_2_numeric_bound,
    exp3_auer2002_gamma,
    exp3_lattimore_eta,
    exp3_lattimore_thm11_2_bound,
)
from tabular_envs.bandits.adversarial import oblivious_table, simulate_exp3
from testbed.claim import Source
from testbed.declare import DeclaredClaim, Part, Unit

_TABLES = ("switching", "bernoulli_linspace", "hard_gap")
_VARIANTS = ("auer2002", "lattimore2020")
_K = 10
_SIZES = {"quick": ((1_000, 10_000), 100), "standard": ((1_000, 10_000, 100_000), 400),
          "full": ((1_000, 10_000, 100_000, 1_000_000), 1000)}


def exp3_rate(variant: str, K: int, T: int) -> float:
    return exp3_auer2002_gamma(K, T) if variant == "auer2002" else exp3_lattimore_eta(K, T)


class Exp3Bounds(DeclaredClaim):
    id = "B8"
    family = "bandits"
    title = "EXP3 regret on oblivious adversarial sequences (Auer et al. Cor. 3.2; Lattimore-Szepesvari Thm 11.2)"
    source = Source("Auer, Cesa-Bianchi, Freund, Schapire", 2002, "The nonstochastic multiarmed bandit problem",
                    "Corollary 3.2; Lattimore & Szepesvari (2020), Theorem 11.2")
    status = "confirmed"
    kind = ("upper_bound", "statistical")
    statement = ("With g >= G_max and gamma = min{1, sqrt(K ln K / ((e - 1) g))}: G_max - E[G_Exp3] <= "
                 "2 sqrt(e - 1) sqrt(g K ln K) <= 2.63 sqrt(g K ln K). With eta = sqrt(2 log K / (T K)) (loss-based "
                 "Exp3 of Lattimore & Szepesvari): R_T <= sqrt(2 T K log K).")
    parts = (Part("G_max - E[G_Exp3] <= bound on every sequence", "upper_bound", units="regret_units"),)

    def bound(self):
        return exp3_auer2002_cor3_2_bound()

    def tasks(self, fidelity, root_seed):
        horizons, reps = _SIZES[fidelity]
        block = min(reps, 100)
        out = []
        for table in _TABLES:
            for T in horizons:
                for variant in _VARIANTS:
                    for first in range(0, reps, block):
                        spec = {"table": table, "K": _K, "T": T, "variant": variant, "first_replication": first,
                                "n_replications": min(block, reps - first)}
                        # stream keyed by the table: both variants face the same drawn sequence
                        out.append(self.make_task(f"{table}/T={T}/{variant}/reps{first}", spec, fidelity, root_seed,
                                                  stream=f"{table}/T={T}"))
        return out

    def run_task(self, task):
        s = task.spec
        table = oblivious_table(s["table"], s["T"], s["K"], np.random.default_rng(task.seed))
        res = simulate_exp3(table, s["variant"], exp3_rate(s["variant"], s["K"], s["T"]), s["n_replications"],
                            task.seed, first_replication=s["first_replication"])
        return {"regret": res.regret}

    def regret_units(self, tasks, results):
        """Per (sequence, variant, T), the replications' regret at T, against the variant's own bound."""
        groups = {}
        for t, r in zip(tasks, results, strict=True):
            key = (t.spec["table"], t.spec["variant"], t.spec["T"])
            groups.setdefault(key, []).append((t.spec["first_replication"], r["regret"]))
        numeric = exp3_auer2002_cor3_2_numeric_bound()
        units = []
        for table, variant, T in sorted(groups):
            s = np.concatenate([b for _, b in sorted(groups[(table, variant, T)], key=lambda x: x[0])])
            auer = variant == "auer2002"
            info = {"name": f"{table}, {variant}", "table": table, "variant": variant, "T": T}
            if auer:     # the same mean against the rounded form 2.63 sqrt(g K ln K) of the corollary
                info["ratio_to_2.63_form"] = float(s.mean()) / numeric.evaluate(g=T, K=_K)
                info["note"] = f"against the 2.63 form: ratio {info['ratio_to_2.63_form']:.3f}"
            units.append(Unit(info["name"], s, at={"g": T, "K": _K} if auer else {"T": T, "K": _K},
                              bound=exp3_auer2002_cor3_2_bound() if auer else exp3_lattimore_thm11_2_bound(),
                              info=info))
        return units

    def extra_evidence(self, tasks, results, delta):
        return {"K": _K}


CLAIM = Exp3Bounds()
