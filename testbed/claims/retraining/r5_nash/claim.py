"""R5. Direct Nash optimisation (Rosset et al. 2024; abstract, iteration derived).

Preference matrix P with P + P^T = 1 (possibly intransitive). Soft policy iteration r_t = P pi_t,
pi_{t+1} ~ pi_t exp(r_t/eta). Checked exactly on generated preference matrices (Bradley-Terry, random
intransitive, rock-paper-scissors-like):
1. monotone improvement: P(pi_{t+1} > pi_t) = pi_{t+1}^T P pi_t >= 1/2 at every step (exponential tilting raises the
   mean of r_t, and pi^T P pi = 1/2);
2. the uniform mixture pibar of pi_1..pi_T is an approximate symmetric Nash equilibrium: its duality gap
   max_y (P pibar)(y) - 1/2 is at most the Hedge regret bound ln|Y| eta / T + 1/(8 eta) (Cesa-Bianchi & Lugosi 2006,
   Thm 2.2, learning rate 1/eta, rewards in [0, 1]), which is sqrt(ln|Y|/(2T)) at eta = sqrt(T/(8 ln|Y|)).
[unconfirmed: the paper's theorem wording; the bound checked is the derived one above.]
"""
import numpy as np

from proofs_check import hedge_duality_gap_cesa_bianchi_thm2_2
from testbed.claim import Claim, Source
from testbed.planting import planted_upper
from testbed.stats import decide_exact

from .model import nash_soft_iteration

HORIZONS = (10, 100, 1000)
_SIZES = {"quick": (4, 10), "standard": (20, 10), "full": (100, 10)}


def random_preferences(rng, kind):
    n = int(rng.integers(2, 8))
    if kind == "bt":
        u = rng.normal(size=n)
        return 1 / (1 + np.exp(-(u[:, None] - u[None, :])))
    if kind == "rps":
        n = 2 * (n // 2) + 1
        P = np.full((n, n), 0.5)
        for i in range(n):
            for k in range(1, n // 2 + 1):
                P[i, (i + k) % n], P[(i + k) % n, i] = 1.0, 0.0
        return P
    A = rng.random((n, n))
    P = np.triu(A, 1) + np.tril(1 - A.T, -1)
    np.fill_diagonal(P, 0.5)
    return P


class NashSoftIteration(Claim):
    id = "R5"
    family = "retraining"
    title = "Nash soft policy iteration: monotone improvement and the mixture's duality gap"
    source = Source("Rosset et al.", 2024, "Direct Nash optimization: teaching language models to self-improve with "
                    "general preferences", "abstract (iteration derived)")
    status = "unconfirmed"
    kind = ("upper_bound", "exact")
    statement = (
        "P + P^T = 1; r_t(y) = E_{y'~pi_t} P(y > y'), pi_{t+1} ~ pi_t exp(r_t/eta): P(pi_{t+1} > pi_t) >= 1/2; the "
        "uniform mixture of pi_1..pi_T is an O(sqrt(log|Y|/T))-approximate symmetric Nash equilibrium for "
        "eta ~ sqrt(T/log|Y|). [unconfirmed: theorem wording; derived Hedge bound checked]"
    )

    def bound(self):
        return hedge_duality_gap_cesa_bianchi_thm2_2()

    def tasks(self, fidelity, root_seed):
        n_tasks, per_task = _SIZES[fidelity]
        return self.batched_tasks(fidelity, root_seed, n_tasks, {"games": per_task})

    def run_task(self, task):
        rng = np.random.default_rng(task.seed)
        worst_improve, worst_gap, rows = np.inf, -np.inf, []
        for g in range(task.spec["games"]):
            kind = ("bt", "rps", "random")[g % 3]
            P = random_preferences(rng, kind)
            n = P.shape[0]
            for T in HORIZONS:
                eta = np.sqrt(T / (8 * np.log(max(n, 2))))
                pis = nash_soft_iteration(P, eta, T)
                improve = min(pis[t + 1] @ P @ pis[t] for t in range(T))
                worst_improve = min(worst_improve, improve - 0.5)
                pibar = np.mean(pis[:T], axis=0)            # pi_0 .. pi_{T-1}: the policies Hedge played
                gap = float(np.max(P @ pibar) - 0.5)
                bound = self.bound().evaluate(Y=n, eta=eta, T=T)
                worst_gap = max(worst_gap, gap - bound)
                rows.append((n, T, gap, bound, kind == "rps"))
        return {
            "improve": np.array(worst_improve),
            "gap_excess": np.array(worst_gap),
            "rows": np.array(rows, dtype=float),
        }

    def decide(self, tasks, results):
        errors = {"min over steps of P(pi_{t+1} > pi_t) - 1/2 (must be >= 0)": max(0.0, -min(float(r["improve"])
                                                                                             for r in results)),
                  "max duality gap - Hedge bound": max(0.0, max(float(r["gap_excess"]) for r in results))}
        rows = np.concatenate([r["rows"] for r in results])
        # the gap against the bound as a ratio, through planted_upper so that a power analysis can plant an error
        errors["max duality gap / Hedge bound - 1"] = max(0.0, float(np.max(rows[:, 2] / planted_upper(rows[:, 3])))
                                                          - 1.0)
        v = decide_exact(errors, dict.fromkeys(errors, 1e-12))
        v = v.with_evidence(gaps=rows.tolist())
        v = v.with_evidence(max_gap_over_bound=float(np.max(rows[:, 2] / rows[:, 3])))
        return v

    def evidence_lines(self, evidence):
        return super().evidence_lines(evidence) + [
            f"largest duality gap / bound: {evidence['max_gap_over_bound']:.3f} over {len(evidence['gaps'])} "
            "(game, T) pairs (Bradley-Terry, rock-paper-scissors-like, random intransitive)"]



CLAIM = NashSoftIteration()
