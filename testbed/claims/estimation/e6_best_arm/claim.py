"""E6. Best-arm identification: the characteristic time (Garivier & Kaufmann 2016, COLT, Theorem 1 and Sec. 2.2).

Every delta-correct strategy has E[tau_delta] >= T*(mu) kl(delta, 1 - delta), with, for Gaussian arms of variance 1,
T*(mu)^{-1} = sup_w min_{a != 1} (w_1 w_a / (w_1 + w_a)) Delta_a^2 / 2. Checked exactly
(``tabular_envs.estimation.best_arm``):
1. the equalisation route's allocation w* attains 1/T* (every term of the min equal to it within 1e-12), and no
   allocation on the simplex grid of step 1/200 beats it (the grid is a second, brute-force route; its T is at least
   T* and the gap is reported);
2. two arms: T* = 8 / Delta^2 (closed form);
on the catalogue instance mu = (1, 0.8, 0.5, 0.2) and on random instances (K = 3, 4). Uniform allocation's
characteristic time and T* kl(delta, 1 - delta) at delta in {0.1, 0.01, 0.001} are reported.
Trap (control in test_e6.py): uniform allocation reported as the optimal one (the grid beats it).
Not built (statistical; the catalogue's remaining parts): Track-and-Stop's delta-correctness (error frequency with
Clopper-Pearson) and E[tau]/log(1/delta) -> T*, and its two traps (a threshold without its log t terms; no forced
exploration).
"""
import numpy as np

from tabular_envs.estimation.best_arm import (
    allocation_value,
    characteristic_time,
    characteristic_time_grid,
    kl_bernoulli,
    uniform_time,
)
from testbed.claim import Source
from testbed.declare import DeclaredClaim, Part, Unit

CATALOGUE = (1.0, 0.8, 0.5, 0.2)
GRID_STEP = 200
TOLERANCE = 1e-12
CLOSED_FORM_TOLERANCE = 1e-9      # the equalisation's 1-D search stops at 1e-13 in w_1
DELTAS = (0.1, 0.01, 0.001)
_SIZES = {"quick": 2, "standard": 10, "full": 20}


class CharacteristicTime(DeclaredClaim):
    id = "E6"
    family = "estimation"
    title = "Best-arm identification: the characteristic time T*(mu) by equalisation, checked against a grid"
    source = Source("Garivier & Kaufmann", 2016, "Optimal best arm identification with fixed confidence (COLT)",
                    "Theorem 1; Sec. 2.2 (computing the optimal weights)")
    status = "confirmed"
    kind = ("exact", "falsification")
    no_bound = "an optimisation checked by two routes and a closed form; the lower bound T* kl is reported"
    statement = ("Every delta-correct strategy has E[tau_delta] >= T*(mu) kl(delta, 1 - delta), T*(mu)^{-1} = "
                 "sup_w min_{a != 1} (w_1 w_a/(w_1 + w_a)) Delta_a^2/2 (Gaussian, sigma = 1).")
    parts = (Part("w* attains 1/T* with equal terms; no grid allocation beats it", "exact", units="optimum_units",
                  params={"tolerance": TOLERANCE}),
             Part("two arms: T* = 8 / Delta^2", "exact", units="closed_form_units",
                  params={"tolerance": CLOSED_FORM_TOLERANCE}))

    def tasks(self, fidelity, root_seed):
        return [self.make_task("instances", {"random": _SIZES[fidelity], "allocation": "optimal"}, fidelity,
                               root_seed, "instances")]

    def run_task(self, task):
        rng = np.random.default_rng(task.seed)
        instances = [np.array(CATALOGUE)] + [np.sort(rng.uniform(0, 1, int(rng.integers(3, 5))))[::-1]
                                             for _ in range(task.spec["random"])]
        rows = []
        for mu in instances:
            T, w = characteristic_time(mu)
            if task.spec["allocation"] == "uniform":
                w = np.full(mu.size, 1.0 / mu.size)
                T = uniform_time(mu)
            best = int(np.argmax(mu))
            g = (mu[best] - np.delete(mu, best)) ** 2 / 2
            wo = np.delete(w, best)
            terms = w[best] * wo / (w[best] + wo) * g
            T_grid = characteristic_time_grid(mu, step=GRID_STEP)
            rows.append([mu.size, T, float(np.max(np.abs(terms - 1 / T)) * T), max(0.0, 1 / T_grid - 1 / T) * T,
                         T_grid, uniform_time(mu), abs(allocation_value(w, mu) - 1 / T) * T])
        pairs = [np.sort(rng.uniform(0, 1, 2))[::-1] for _ in range(5)]
        closed = [abs(characteristic_time(m)[0] - 8 / (m[0] - m[1]) ** 2) * (m[0] - m[1]) ** 2 / 8 for m in pairs]
        return {"rows": np.array(rows), "closed": np.array(closed)}

    def optimum_units(self, tasks, results):
        rows = results[0]["rows"]
        return [Unit("max_a |term_a(w*) - 1/T*| T* (equalisation)", rows[:, 2], n=rows.shape[0]),
                Unit("(best grid value - 1/T*) T* (when positive: the grid beats w*)", rows[:, 3], n=rows.shape[0]),
                Unit("|allocation value of w* - 1/T*| T*", rows[:, 6], n=rows.shape[0])]

    def closed_form_units(self, tasks, results):
        return [Unit("two arms: |T* - 8/Delta^2| / (8/Delta^2)", results[0]["closed"], n=results[0]["closed"].size)]

    def extra_evidence(self, tasks, results, delta):
        r = results[0]["rows"][0]
        return {"T_star": float(r[1]), "T_grid": float(r[4]), "T_uniform": float(r[5]),
                "lower_bounds": {str(d): float(r[1] * kl_bernoulli(d, 1 - d)) for d in DELTAS}}

    def evidence_lines(self, evidence):
        return super().evidence_lines(evidence) + [
            f"catalogue mu = {CATALOGUE}: T* = {evidence['T_star']:.4f} (grid of step 1/{GRID_STEP}: "
            f"{evidence['T_grid']:.4f}; uniform allocation {evidence['T_uniform']:.4f}); T* kl(delta, 1 - delta): "
            + ", ".join(f"delta = {d}: {v:.1f}" for d, v in evidence["lower_bounds"].items())]


CLAIM = CharacteristicTime()
