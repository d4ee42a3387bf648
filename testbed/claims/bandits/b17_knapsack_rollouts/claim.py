"""B17. Knapsack allocation of rollouts (Li et al. 2025; third-party code and derivations in the catalogue).

Exact: P(non-zero group-relative gradient) = 1 - p^N - (1 - p)^N equals the binomial enumeration; p (1 - p)^2 is
maximised at p = 1/3 (SymPy); the multiple-choice knapsack DP equals brute force on small cases and is never
below the uniform split. Statistical: the Monte Carlo frequency of mixed-outcome groups matches the formula
(two-sided Clopper-Pearson interval around each frequency, Bonferroni over the (p, N) grid).
"""
import numpy as np

from proofs_check import rollout_value_li2025, rollout_value_maximiser
from testbed.claim import Claim, Source
from testbed.stats import combine_verdicts, decide_exact, decide_proportion_equals

from .model import (
    allocation_value,
    brute_force_allocation,
    knapsack_allocation,
    nonzero_gradient_probability,
    nonzero_gradient_probability_enumerated,
)

_P_GRID = (0.05, 0.2, 1 / 3, 0.5, 0.8, 0.95)
_N_GRID = (2, 4, 8, 16)
_SIZES = {"quick": (4, 20, 4000), "standard": (20, 40, 20000), "full": (100, 40, 100000)}  # tasks, cases, MC draws
_CHOICES = (0, 2, 4, 8)
TOL = 1e-12


class KnapsackRollouts(Claim):
    id = "B17"
    family = "bandits"
    title = "Rollout allocation: non-zero-gradient probability and the knapsack split"
    source = Source("Li et al.", 2025, "Knapsack RL: budget allocation of rollouts (third-party code, derived)",
                    "value and allocation formulas")
    status = "confirmed"
    kind = ("exact", "statistical")
    statement = ("A task with success rate p and N binary rollouts gives a non-zero group-relative gradient with "
                 "probability 1 - p^N - (1 - p)^N; Value(N, p) = that probability x p (1 - p)^2, maximised in p at "
                 "p = 1/3; the budget is split by a multiple-choice knapsack DP.")

    def bound(self):
        return rollout_value_li2025()

    def tasks(self, fidelity, root_seed):
        n_tasks, cases, draws = _SIZES[fidelity]
        return self.batched_tasks(fidelity, root_seed, n_tasks, {"cases": cases, "draws": draws})

    def run_task(self, task):
        rng = np.random.default_rng(task.seed)
        formula_error = max(abs(nonzero_gradient_probability(p, N) - nonzero_gradient_probability_enumerated(p, N))
                            for p in rng.random(50) for N in range(0, 20))
        dp_error, dp_minus_uniform = 0.0, np.inf
        for _ in range(task.spec["cases"]):
            n = int(rng.integers(1, 6))
            ps = rng.random(n)
            budget = int(rng.integers(2 * n, 8 * n + 1))
            value, alloc = knapsack_allocation(ps, _CHOICES, budget)
            brute, _ = brute_force_allocation(ps, _CHOICES, budget)
            dp_error = max(dp_error, abs(value - brute), abs(allocation_value(ps, alloc) - value))
            uniform = [max(c for c in _CHOICES if c <= budget // n)] * n
            dp_minus_uniform = min(dp_minus_uniform, value - allocation_value(ps, uniform))
        draws = task.spec["draws"]
        mixed = np.zeros((len(_P_GRID), len(_N_GRID)), dtype=np.int64)
        for a, p in enumerate(_P_GRID):
            for b, N in enumerate(_N_GRID):
                successes = (rng.random((draws, N)) < p).sum(axis=1)
                mixed[a, b] = np.count_nonzero((successes > 0) & (successes < N))
        return {"formula_error": np.array(formula_error), "dp_error": np.array(dp_error),
                "dp_minus_uniform": np.array(dp_minus_uniform), "mixed": mixed, "draws": np.array(draws)}

    def decide(self, tasks, results):
        p_star = rollout_value_maximiser()
        errors = {"|closed form - binomial enumeration|": max(float(r["formula_error"]) for r in results),
                  "|knapsack DP - brute force|": max(float(r["dp_error"]) for r in results),
                  "uniform split - knapsack optimum (must be <= 0)": max(0.0, -min(float(r["dp_minus_uniform"])
                                                                                   for r in results)),
                  "argmax_p p(1-p)^2 is not 1/3 (SymPy; 0 or 1)": 0.0 if p_star.passed else 1.0}
        exact = decide_exact(errors, {k: TOL for k in errors})
        mixed = sum(r["mixed"] for r in results)
        n = int(sum(int(r["draws"]) for r in results))
        cells = [(a, b, p, N) for a, p in enumerate(_P_GRID) for b, N in enumerate(_N_GRID)]
        formula = [nonzero_gradient_probability(p, N) for _, _, p, N in cells]
        mc = decide_proportion_equals([(int(mixed[a, b]), n) for a, b, _, _ in cells], formula, self.delta,
                                      [f"p = {p:.3g}, N = {N}: mixed-outcome groups" for _, _, p, N in cells])
        rows = [{"p": p, "N": N, "formula": f, "monte_carlo": mixed[a, b] / n, "lower": row["lower"],
                 "upper": row["upper"]} for (a, b, p, N), f, row in zip(cells, formula, mc.evidence["proportions"],
                                                                       strict=True)]
        return combine_verdicts({"formulas and DP (exact)": exact, "Monte Carlo frequencies": mc},
                                evidence={"monte_carlo": rows, "draws_per_pair": n, "p_star": p_star.detail})

    def evidence_lines(self, evidence):
        return super().evidence_lines(evidence) + [
            f"p = {r['p']:.3g}, N = {r['N']}: formula {r['formula']:.5f}, Monte Carlo {r['monte_carlo']:.5f} "
            f"(Clopper-Pearson [{r['lower']:.5f}, {r['upper']:.5f}])" for r in evidence["monte_carlo"]]



CLAIM = KnapsackRollouts()
