"""E2. Group baselines in policy-gradient estimators (derived; Dr. GRPO, Liu et al. 2025, discusses the same biases).

Softmax policy over K responses, binary reward, N i.i.d. samples, g = (1/N) sum_i A_i grad log pi(y_i). Exact
expectations by enumerating all K^N groups (``tabular_envs.estimation.group_baselines.expected_gradient``):
1. leave-one-out (RLOO), A_i = r_i - mean_{j != i} r_j: E g = grad J;
2. mean-centred, A_i = r_i - rbar: E g = ((N - 1)/N) grad J (``proofs_check.mean_centred_baseline_factor``);
3. std-normalised, A_i = (r_i - rbar)/std(r), 0 on a constant group: E g = w_N(p) grad J with p = J. The direction
   is right; prompts are reweighted by difficulty. w_N comes from a second route, a finite binomial sum
   (``std_weight``: E g = (a(1) - a(0)) pi (r - J) because A_i depends on y_i only through r_i). w_N is symmetric in
   p <-> 1 - p and, for N in {4, 8}, smallest at p = 1/2 on a grid of 99 p (it is constant for N = 2 and 3).
   w_N(p) is reported for N in {4, 8}, population and ddof = 1 std.
Relative errors ||E g - factor grad J|| / ||grad J|| <= 1e-12; K = 3, random logits, rewards (1, 0, 0), (1, 1, 0),
N in {2, 3, 4} (quick) and up to 6 (standard).
Traps (controls in test_e2.py): a baseline that includes the sample itself called unbiased (the mean-centred
estimator in RLOO's place); 0/0 on constant groups (a NaN estimate, an infinite error here); double normalisation
(group std, then batch mean and std over a batch of two prompts, ``expected_double_normalised_gradient``) called
std-normalised: E g stays parallel to grad J, but its factor depends on the other prompt (N = 3, rewards
(1, 0, 0), p = 0.354 with partners of p = 0.909, 1/3 and 0.024: factors 1.86, 1.61 and 1.96 against
w_3 = sqrt(2); test_e2.py), so the std part's error is far above 1e-12. The control enumerates K^(2N) batches
and runs at N <= 4 (quick).
"""
import numpy as np

from proofs_check import mean_centred_baseline_factor
from tabular_envs.estimation.group_baselines import (
    expected_double_normalised_gradient,
    expected_gradient,
    policy_gradient_of_success,
    std_weight,
)
from testbed.claim import Source
from testbed.declare import DeclaredClaim, Part, Unit

REWARDS = ((1.0, 0.0, 0.0), (1.0, 1.0, 0.0))
TOLERANCE = 1e-12
P_GRID = np.linspace(0.01, 0.99, 99).tolist()
_SIZES = {"quick": (2, (2, 3, 4)), "standard": (5, (2, 3, 4, 5, 6)), "full": (10, (2, 3, 4, 5, 6))}


def _relative(E, target):
    err = float(np.linalg.norm(E - target) / np.linalg.norm(target))
    return np.inf if not np.isfinite(err) else err


class GroupBaselines(DeclaredClaim):
    id = "E2"
    family = "estimation"
    title = "Group baselines: RLOO unbiased, mean-centred (N-1)/N, std-normalised w_N(p) (difficulty reweighting)"
    source = Source("derived; Liu et al. (Dr. GRPO)", 2025, "Understanding R1-zero-like training: a critical "
                    "perspective (the biases of group normalisation)", "derived by exact enumeration")
    status = "confirmed"
    kind = ("exact", "falsification")
    statement = ("g = (1/N) sum_i A_i grad log pi(y_i), binary rewards: RLOO (A_i = r_i - mean_{j != i} r_j) gives "
                 "E g = grad J; mean-centred gives ((N - 1)/N) grad J; std-normalised gives w_N(p) grad J, w_N "
                 "symmetric in p <-> 1 - p and smallest at p = 1/2 (N = 4, 8).")
    parts = (Part("RLOO unbiased, mean-centred (N - 1)/N, std-normalised w_N(p) (two routes)", "exact",
                  units="factor_units", params={"tolerance": TOLERANCE}),
             Part("w_N symmetric in p <-> 1 - p, smallest at p = 1/2 for N = 4, 8", "exact", units="shape_units",
                  params={"tolerance": TOLERANCE}))

    def bound(self):
        return mean_centred_baseline_factor()

    def tasks(self, fidelity, root_seed):
        n_tasks, Ns = _SIZES[fidelity]
        return self.batched_tasks(fidelity, root_seed, n_tasks, {"N": list(Ns), "rloo_estimator": "rloo",
                                                                  "zero_on_constant": True, "std_estimator": "std"})

    def run_task(self, task):
        rng = np.random.default_rng(task.seed)
        spec = task.spec
        rows = []
        partner = np.random.default_rng([task.seed, 1])      # the double-normalisation control's other prompt
        for r in REWARDS:
            theta = rng.normal(0, 1, 3)
            grad = policy_gradient_of_success(theta, r)
            pi = np.exp(theta - theta.max())
            p = float(pi @ np.array(r) / pi.sum())
            for N in spec["N"]:
                rows.append([N, _relative(expected_gradient(theta, r, N, spec["rloo_estimator"]), grad),
                             _relative(expected_gradient(theta, r, N, "mean"),
                                       mean_centred_baseline_factor().evaluate(N=N) * grad)]
                            + [_relative(self._std_gradient(spec, theta, r, N, ddof, partner),
                                         std_weight(p, N, ddof) * grad) for ddof in (0, 1)])
        return {"rows": np.array(rows)}

    @staticmethod
    def _std_gradient(spec, theta, r, N, ddof, partner):
        if spec["std_estimator"] == "double" and ddof == 0 and N <= 4:
            return expected_double_normalised_gradient([theta, partner.normal(0, 1, 3)], r, N)[0]
        return expected_gradient(theta, r, N, "std", ddof, spec["zero_on_constant"])

    def factor_units(self, tasks, results):
        rows = np.concatenate([r["rows"] for r in results])
        n = rows.shape[0]
        return [Unit("RLOO: ||E g - grad J|| / ||grad J||", rows[:, 1], n=n),
                Unit("mean-centred: ||E g - ((N-1)/N) grad J|| / ||grad J||", rows[:, 2], n=n),
                Unit("std (population): ||E g - w_N(p) grad J|| / ||grad J||", rows[:, 3], n=n),
                Unit("std (ddof = 1): ||E g - w_N(p) grad J|| / ||grad J||", rows[:, 4], n=n)]

    def shape_units(self, tasks, results):
        """|w_N(p) - w_N(1 - p)| on the grid, and |argmin_p w_N(p) - 1/2| for N = 4, 8 (both std conventions)."""
        p = np.array(P_GRID)
        units = []
        for N in (4, 8):
            for ddof in (0, 1):
                w = np.array([std_weight(x, N, ddof) for x in p])
                units.append(Unit(f"N = {N}, ddof = {ddof}: max |w(p) - w(1 - p)|", float(np.max(np.abs(w - w[::-1]))),
                                  n=p.size))
                units.append(Unit(f"N = {N}, ddof = {ddof}: |argmin w - 1/2|", abs(float(p[np.argmin(w)]) - 0.5),
                                  n=p.size))
        return units

    def extra_evidence(self, tasks, results, delta):
        p = np.array(P_GRID)
        return {"p": P_GRID, "weights": {f"N={N}, ddof={d}": [std_weight(x, N, d) for x in p]
                                         for N in (4, 8) for d in (0, 1)}}

    def evidence_lines(self, evidence):
        return super().evidence_lines(evidence) + [
            f"w_N(p), {k}: {w[49]:.4f} at p = 0.5, {w[9]:.4f} at p = 0.1, {w[0]:.4f} at p = 0.01"
            for k, w in evidence["weights"].items()]


CLAIM = GroupBaselines()
