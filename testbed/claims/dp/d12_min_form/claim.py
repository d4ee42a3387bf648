"""D12. Min-form credit assignment (PURE; Cheng et al. 2025; notes + derived).

The value as the minimum of future process rewards, V_t = min_{i >= t} r_i, instead of their (discounted) sum.
Checked exactly on generated reward sequences and perturbations with ||r_hat - r||_inf <= eps:
1. |min-form V_hat_t - V_t| <= eps at every step (min is 1-Lipschitz in sup norm);
2. the sum-form value moves by at most eps sum_i gamma^i, attained by a uniform shift;
3. softmax(-r/T)-weighted sums tend to min r: 0 <= softmin - min r <= T log n;
4. the trap (falsification): with the "0 after the argmin step" definition, the eps-stability fails; a search
   over generated sequences reports the largest ratio max_t |V_hat_t - V_t| / eps found (the catalogue reports ~20).
"""
import numpy as np

from proofs_check import min_form_stability_cheng2025
from testbed.claim import Source
from testbed.declare import DeclaredClaim, Part, Unit

from .model import argmin_zeroed_values, min_form_values, softmin_weighted, sum_form_values

TOL = 1e-12
TEMPERATURES = np.logspace(-4, 1, 11)
_SIZES = {"quick": (4, 500), "standard": (20, 1000), "full": (100, 1000)}


class MinFormCredit(DeclaredClaim):
    id = "D12"
    family = "dp"
    title = "PURE min-form credit: eps-stable under reward error (sum form is not); the argmin-zeroed trap"
    source = Source("Cheng et al.", 2025, "Stop summation: min-form credit assignment is all process reward model "
                    "needs for reasoning (PURE)", "notes + derived")
    status = "confirmed"
    kind = ("exact", "falsification")
    check_type = "identity"   # algebra and bookkeeping: it catches code bugs, it tests no theorem
    statement = (
        "V_t = min_{i >= t} r_i; softmax(-r/T)-weighted sum -> min as T -> 0; with ||r_hat - r|| <= eps the min "
        "moves by <= eps, the sum-form value by up to eps sum gamma^i. Trap: with '0 after the argmin step' "
        "the <= eps property fails."
    )
    parts = (Part("identities on generated sequences", "exact", units="identity_units", role="identity",
                  params={"tolerance": TOL}),
             Part("the argmin-zeroed trap is found", "exact", units="trap_units", role="identity",
                  params={"tolerance": 0.0}))

    def bound(self):
        return min_form_stability_cheng2025()

    def tasks(self, fidelity, root_seed):
        n_tasks, per_task = _SIZES[fidelity]
        return self.batched_tasks(fidelity, root_seed, n_tasks, {"sequences": per_task})

    def run_task(self, task):
        rng = np.random.default_rng(task.seed)
        min_excess, sum_excess, sum_attained, soft_excess, trap = -np.inf, -np.inf, np.inf, -np.inf, 0.0
        trap_example = None
        for _ in range(task.spec["sequences"]):
            n = int(rng.integers(1, 12))
            r = rng.uniform(-1, 1, n)
            eps = float(10 ** rng.uniform(-3, 0))
            r_hat = r + rng.uniform(-eps, eps, n)
            gamma = float(rng.uniform(0.5, 1.0))
            min_excess = max(min_excess, float(np.max(np.abs(min_form_values(r_hat) - min_form_values(r)))) - eps)
            geo = np.array([np.sum(gamma ** np.arange(n - t)) for t in range(n)])
            diff = np.abs(sum_form_values(r_hat, gamma) - sum_form_values(r, gamma))
            sum_excess = max(sum_excess, float(np.max(diff - eps * geo)))
            shifted = np.abs(sum_form_values(r + eps, gamma) - sum_form_values(r, gamma))
            sum_attained = min(sum_attained, float(np.min(shifted - eps * geo)) + float(np.max(shifted - eps * geo)))
            for T in TEMPERATURES:
                s = softmin_weighted(r, T) - r.min()
                soft_excess = max(soft_excess, -s, s - T * np.log(n))
            # the trap: a perturbation that moves the argmin
            if n >= 2:
                i, j = rng.choice(n, size=2, replace=False)
                r2 = r.copy()
                r2[i] = r2.min()
                r2[j] = r2[i] + eps / 2                        # near-tie between steps i and j
                r2_hat = r2.copy()
                r2_hat[j] -= eps                                # now j is the argmin
                ratio = float(np.max(np.abs(argmin_zeroed_values(r2_hat) - argmin_zeroed_values(r2)))) / eps
                if ratio > trap:
                    trap, trap_example = ratio, (r2, r2_hat, eps)
        out = {"min_excess": np.array(min_excess), "sum_excess": np.array(sum_excess),
               "sum_attained": np.array(abs(sum_attained)), "soft_excess": np.array(soft_excess),
               "trap": np.array(trap)}
        if trap_example is not None:
            out["trap_r"], out["trap_r_hat"], out["trap_eps"] = (
                trap_example[0],
                trap_example[1],
                np.array(trap_example[2]),
            )
        return out

    def identity_units(self, tasks, results):
        """The largest excess over each stated bound on every generated sequence (0 when within it), and the
        deviation of the uniform shift from the sum form's bound, which it attains."""
        def excess(key):
            return max(0.0, max(float(r[key]) for r in results))
        return [Unit("min form: max_t |V_hat_t - V_t| - eps", excess("min_excess")),
                Unit("sum form: max_t |change| - eps sum gamma^i", excess("sum_excess")),
                Unit("sum form: a uniform shift attains eps sum gamma^i (deviation)",
                     max(float(r["sum_attained"]) for r in results)),
                Unit("softmin: outside [min r, min r + T log n]", excess("soft_excess"))]

    def trap_units(self, tasks, results):
        """1 when the search found no sequence whose argmin-zeroed value moves by more than eps (the trap)."""
        return [Unit("trap: no ratio above 1 found (0 or 1)", float(max(float(r["trap"]) for r in results) <= 1.0))]

    def extra_evidence(self, tasks, results, delta):
        worst = max(results, key=lambda r: float(r["trap"]))
        trap = {"ratio": float(worst["trap"])}
        if "trap_r" in worst:
            trap.update({"r": np.round(worst["trap_r"], 4).tolist(), "r_hat": np.round(worst["trap_r_hat"], 4).tolist(),
                         "eps": float(worst["trap_eps"])})
        return {"trap": trap}

    def evidence_lines(self, evidence):
        t = evidence["trap"]
        return super().evidence_lines(evidence) + [
            f"trap ('0 after the argmin step'): largest max_t |V_hat_t - V_t| / eps found = {t['ratio']:.1f} "
            f"(catalogue: ~20); example r = {t.get('r')}, r_hat = {t.get('r_hat')}, eps = {t.get('eps', 0):.3g}"]



CLAIM = MinFormCredit()
