"""R2. Curated self-consuming training (Ferbach et al. 2024; abstract, population update derived).

Draw K samples from p_t, keep one with probability proportional to exp(r(x)) (Luce / Bradley-Terry), refit:
p_{t+1}(x) = p_t(x) H_K(x), H_K(x) = E_{x_2..x_K ~ p_t}[K e^{r(x)}/(e^{r(x)} + sum_{i>=2} e^{r(x_i)})]; K -> inf gives
p_{t+1} ~ p_t e^r. Checked exactly on generated finite supports, K in {2, 3, 5, inf}: p_{t+1} sums to 1; E[r]
never decreases; p_t(x)/p_t(x') stays constant for x, x' of equal reward; the mass on argmax r tends to 1. For
Statistically, one finite-sample round (200 curated samples, empirical refit; an unbiased estimate of the
population step) matches the population's E[r] within z = Phi^-1(1 - delta/(2m)) standard errors of the mean
over runs (several rounds are biased by the nonlinear refit, so they are not compared).
[unconfirmed: the exact condition under which a fraction of real data keeps the loop stable; not checked]
"""
import math

import numpy as np

from testbed.claim import Claim, Source
from testbed.stats import combine_verdicts, decide_exact, decide_within_standard_errors

from .model import curated_sample_round, curated_update

KS = (2, 3, 5, math.inf)
ROUNDS = 30
TOL = 1e-12
_SIZES = {"quick": (4, 10, 200), "standard": (20, 10, 400), "full": (100, 10, 400)}   # tasks, supports, MC runs


def random_support(rng):
    n = int(rng.integers(2, 6))
    r = rng.choice([0.0, 0.5, 1.0, 2.0], size=n)
    return rng.dirichlet(np.ones(n)), r


class CuratedRetraining(Claim):
    id = "R2"
    family = "retraining"
    title = "Curated self-consuming training: expected reward rises and the mass concentrates on argmax r"
    source = Source("Ferbach et al.", 2024, "Self-consuming generative models with curated data provably optimize "
                    "human preferences", "abstract (population update derived)")
    status = "confirmed"
    kind = ("exact", "statistical")
    statement = (
        "Keep one of K samples from p_t with probability ~ exp(r): p_{t+1}(x) = p_t(x) H_K(x), "
        "H_K(x) = E[K e^{r(x)}/(e^{r(x)} + sum_{i>=2} e^{r(x_i)})]; K -> inf gives p e^r. E[r] increases and p_t "
        "concentrates on argmax r. [unconfirmed: the stability condition with a fraction of real data]"
    )

    no_bound = ("the claim is qualitative (E[r] rises, mass concentrates on argmax r); the population update is the "
                "derived model itself, checked by its own finite-sample version")

    def tasks(self, fidelity, root_seed):
        n_tasks, per_task, runs = _SIZES[fidelity]
        return self.batched_tasks(fidelity, root_seed, n_tasks, {"supports": per_task, "runs": runs})

    def run_task(self, task):
        rng = np.random.default_rng(task.seed)
        norm, decrease, level, final_mass = 0.0, 0.0, 0.0, 1.0
        curves, mc = [], []
        for i in range(task.spec["supports"]):
            p0, r = random_support(rng)
            top = r == r.max()
            for K in KS:
                p = p0.copy()
                er = [p @ r]
                for _ in range(ROUNDS):
                    q = curated_update(p, r, K)
                    norm = max(norm, abs(q.sum() - 1))
                    for lvl in np.unique(r):
                        idx = np.flatnonzero((r == lvl) & (p0 > 0))
                        if idx.size > 1:
                            level = max(level, float(np.ptp(q[idx] / p0[idx]) / np.max(q[idx] / p0[idx])))
                    decrease = max(decrease, er[-1] - q @ r)
                    p = q
                    er.append(p @ r)
                final_mass = min(final_mass, float(p[top].sum()) if K == math.inf else final_mass)
                if i == 0:
                    curves.append([float(x) for x in er])
            # finite samples, K = 3: one curated round of 200 samples is an unbiased estimate of the population
            # step (several rounds are not: the refit is nonlinear), so its mean E[r] over runs must match
            pop = curated_update(p0, r, 3) @ r
            finals = np.array([curated_sample_round(p0, r, 3, 200, rng) @ r for _ in range(task.spec["runs"])])
            mc.append((finals.mean(), finals.std(ddof=1) / np.sqrt(finals.size), pop))
        return {"norm": np.array(norm), "decrease": np.array(decrease), "level": np.array(level),
                "final_mass": np.array(final_mass), "monte_carlo": np.array(mc), "curves": np.array(curves)}

    def decide(self, tasks, results):
        errors = {"|sum p_{t+1} - 1|": max(float(r["norm"]) for r in results),
                  "largest decrease of E[r] in a round": max(0.0, max(float(r["decrease"]) for r in results)),
                  "ratio to p_0 within a reward level: relative spread": max(float(r["level"]) for r in results)}
        exact = decide_exact(errors, {k: 1e-10 for k in errors})
        mc = np.concatenate([r["monte_carlo"] for r in results])  # (mean, standard error, population) rows
        stat = decide_within_standard_errors(
            mc[:, 0], mc[:, 1], mc[:, 2], None, [f"support {i}: E[r] after one curated round" for i in range(len(mc))],
            delta=self.delta)
        return combine_verdicts(
            {"population update (exact)": exact, "one finite-sample round": stat.replace(evidence={})},
            evidence={
                "min_final_mass_on_argmax_K_inf": min(float(r["final_mass"]) for r in results),
                "max_z": stat.evidence["max_abs_z"],
                "curves": results[0]["curves"].tolist(),
            },
        )

    def evidence_lines(self, evidence):
        return super().evidence_lines(evidence) + [
            f"K = inf after {ROUNDS} rounds: at least {evidence['min_final_mass_on_argmax_K_inf']:.4f} of the mass on "
            f"argmax r on every support; finite-sample rounds vs population: max |z| = {evidence['max_z']:.2f}"]



CLAIM = CuratedRetraining()
