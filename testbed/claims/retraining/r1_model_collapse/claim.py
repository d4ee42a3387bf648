"""R1. Model collapse: replace vs accumulate (Gerstgrasser et al. 2024; derived, Monte Carlo confirmed).

Test error E||w_hat_n - w*||^2_Sigma of iterated least squares on its own labels, rows of X ~ N(0, I) (Sigma = I):
replace sigma^2 d n / (T - d - 1) (linear in n), accumulate sigma^2 d/(T - d - 1) sum_{i<=n} 1/i^2 <= sigma^2 d pi^2 /
(6 (T - d - 1)). Checked:
1. exact: the recursion's coefficients on the noise, run on exact fractions, are c_{n,i} = 1 (replace) and 1/i
   (accumulate), so the fixed-design covariance is sigma^2 (sum_i c_{n,i}^2) (X^T X)^{-1}, i.e. n and
   sum 1/i^2 times sigma^2 (X^T X)^{-1}; with E tr((X^T X)^{-1}) = d/(T - d - 1) (inverse-Wishart mean) this gives
   the closed forms (the catalogue example d = 5, T = 20, sigma^2 = 1: 5/14 at n = 1, checked by the Monte Carlo);
2. Monte Carlo (design and noise redrawn per replication) within z standard errors of the closed forms at every
   (d, T, n) of the grid, z = Phi^-1(1 - delta/(2m)) for the m points of the grid (Bonferroni: the claim's
   false-alarm budget delta over the grid, under normal errors).
"""
from fractions import Fraction

import numpy as np

from proofs_check import (
    model_collapse_accumulate_ceiling,
    model_collapse_accumulate_error,
    model_collapse_replace_error,
)
from testbed.claim import Claim, Source
from testbed.stats import combine_verdicts, decide_exact, decide_within_standard_errors

from .model import collapse_coefficients, collapse_errors

GRID = [(2, 10), (5, 20), (5, 50), (10, 40)]       # (d, T)
N_ITER = 10
SIGMA = 1.0
_REPS = {"quick": 2000, "standard": 20000, "full": 100000}


class ModelCollapse(Claim):
    id = "R1"
    family = "retraining"
    title = "Model collapse: replacing data grows the error linearly, accumulating keeps it below pi^2/6 of one step"
    source = Source("Gerstgrasser et al.", 2024, "Is model collapse inevitable? Breaking the curse of recursion by "
                    "accumulating real and synthetic data", "linear-regression analysis (derived)")
    status = "confirmed"
    kind = ("exact", "statistical")
    statement = ("Iterated least squares on its own labels, rows N(0, Sigma), T > d + 1: replace gives "
                 "sigma^2 d n/(T - d - 1); accumulate gives sigma^2 d/(T - d - 1) sum_{i<=n} 1/i^2 <= "
                 "sigma^2 d pi^2/(6(T - d - 1)); for fixed X replace d/(T - d - 1) by tr(Sigma (X^T X)^{-1}). Example "
                 "d = 5, T = 20, sigma^2 = 1: 5/14 at n = 1.")

    def bound(self):
        return model_collapse_replace_error()

    def tasks(self, fidelity, root_seed):
        reps = _REPS[fidelity]
        return [self.make_task(f"d={d}/T={T}", {"d": d, "T": T, "reps": reps}, fidelity, root_seed,
                               stream=f"d={d}/T={T}") for d, T in GRID]

    def run_task(self, task):
        d, T, reps = task.spec["d"], task.spec["T"], task.spec["reps"]
        rng = np.random.default_rng(task.seed)
        out = {}
        for mode in ("replace", "accumulate"):
            errs = np.empty((reps, N_ITER))
            for k in range(reps):
                X = rng.standard_normal((T, d))
                errs[k] = collapse_errors(X, rng.standard_normal(d), SIGMA, N_ITER, mode, rng)
            out[mode] = errs
        return out

    def decide(self, tasks, results):
        n = np.arange(1, N_ITER + 1)
        coeff_err = 0.0
        for k in range(1, 21):
            rep = collapse_coefficients(k, "replace")
            acc = collapse_coefficients(k, "accumulate")
            coeff_err += float(any(c != 1 for c in rep) or any(c != Fraction(1, i + 1) for i, c in enumerate(acc)))
            coeff_err += float(sum(c * c for c in acc) != sum(Fraction(1, i * i) for i in range(1, k + 1)))
        exact = decide_exact({"noise coefficients differ from 1 and 1/i, n <= 20 (count)": coeff_err},
                             {"noise coefficients differ from 1 and 1/i, n <= 20 (count)": 0.0})
        rows, means, ses, targets, labels = [], [], [], [], []
        for t, r in zip(tasks, results, strict=True):
            d, T = t.spec["d"], t.spec["T"]
            for mode, formula in (("replace", model_collapse_replace_error()),
                                  ("accumulate", model_collapse_accumulate_error())):
                x = r[mode]
                mean, se = x.mean(axis=0), x.std(axis=0, ddof=1) / np.sqrt(x.shape[0])
                expected = formula.evaluate(sigma=SIGMA, d=d, T=T, n=n)
                rows.append({"d": d, "T": T, "mode": mode, "mean": mean.tolist(), "se": se.tolist(),
                             "formula": expected.tolist(), "z": ((mean - expected) / se).tolist(),
                             "ceiling": model_collapse_accumulate_ceiling().evaluate(sigma=SIGMA, d=d, T=T)})
                means.append(mean)
                ses.append(se)
                targets.append(expected)
                labels += [f"d={d}, T={T}, {mode}, n={k}" for k in n]
        mc = decide_within_standard_errors(np.concatenate(means), np.concatenate(ses), np.concatenate(targets), None,
                                           labels, delta=self.delta)
        return combine_verdicts({"noise coefficients (exact fractions)": exact,
                                 "Monte Carlo against the closed forms": mc.replace(evidence={})},
                                n_samples=sum(r["replace"].shape[0] * 2 for r in results),
                                evidence={"rows": rows, "max_abs_z": mc.evidence["max_abs_z"],
                                          "z_max": mc.evidence["z_max"]})

    def evidence_lines(self, evidence):
        lines = super().evidence_lines(evidence)
        lines.append(f"Monte Carlo vs closed forms: max |z| = {evidence['max_abs_z']:.2f} over every (d, T, n, mode) "
                     f"(threshold {evidence.get('z_max', 4.0):g})")
        for r in evidence["rows"]:
            lines.append(f"d = {r['d']}, T = {r['T']}, {r['mode']}: n = 1: {r['mean'][0]:.4f} (formula "
                         f"{r['formula'][0]:.4f}); n = {N_ITER}: {r['mean'][-1]:.4f} (formula {r['formula'][-1]:.4f})")
        return lines



CLAIM = ModelCollapse()
