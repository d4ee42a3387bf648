"""D8. Regularized robust DP (R2PVI, tabular case; Tang, Liu, Xu 2025).

Q(s, a) = r + gamma inf_mu {E_mu V + lambda D_f(mu || P0(.|s, a))}. Checked exactly:
1. closed forms against independent routes within 1e-8: TV against a linear program; KL against the Gibbs
   minimiser evaluated directly; chi^2 (SUP over alpha) against the KKT solution of the primal quadratic program;
2. the trap: MINIMISING over alpha for chi^2 (as the authors' code does) is wrong -- the largest discrepancy found
   on generated instances and the worst example are reported (the catalogue's own example, 0.050 against 1.398,
   needs an instance the catalogue does not give);
3. limits, with their rates: E_P0 V - value lies in [0, spread(V)^2/(8 lambda)] (lambda -> inf), and value - m in
   [0, lambda C] with m = min V, C = 1 (TV) or m = the minimum over the support of P0, C = log(1/P0(argmin)) (KL),
   1/P0(argmin) - 1 (chi^2) (lambda -> 0); the value is non-decreasing in lambda;
4. the regularized robust Bellman operator is a gamma-contraction; with one-hot features the d-rectangular step
   equals the (s,a)-rectangular one.
The offline suboptimality bound is marked unconfirmed in the catalogue and is not checked.
"""
import numpy as np

from proofs_check import regularized_inner_limit_large_lambda
from tabular_envs import garnet
from tabular_envs.dp.robust import (
    REGULARIZERS,
    contraction_ratio,
    d_rectangular_regularized_q,
    regularized_chi2,
    regularized_chi2_min_alpha,
    regularized_chi2_primal,
    regularized_kl,
    regularized_kl_primal,
    regularized_tv,
    regularized_tv_lp,
    robust_q,
)
from testbed.claim import Claim, Source
from testbed.stats import decide_exact

TOL = 1e-8
LAMBDAS = np.logspace(-3, 3, 25)
ROUTES = {
    "tv vs LP": (regularized_tv, regularized_tv_lp),
    "kl vs Gibbs primal": (regularized_kl, regularized_kl_primal),
    "chi2 (sup over alpha) vs KKT primal": (regularized_chi2, regularized_chi2_primal),
}
_SIZES = {"quick": (4, 60, 3), "standard": (20, 100, 5), "full": (100, 100, 5)}


class RegularizedRobust(Claim):
    id = "D8"
    family = "dp"
    title = "Regularized robust DP (TV, KL, chi^2): closed forms, the chi^2 sup-not-min trap, limits, contraction"
    source = Source("Tang, Liu, Xu", 2025, "Robust offline RL with linearly structured f-divergence regularization "
                    "(R2PVI; code)", "closed forms of the inner problems (tabular case)")
    status = "confirmed"
    kind = ("exact",)
    statement = (
        "inf_mu {E_mu V + lambda D_f(mu || P0)}: TV: E_P0 min(V, min V + lambda); KL: -lambda log E_P0 "
        "exp(-V/lambda); chi^2: SUP over alpha in [min V, max V] of E_P0[V]_alpha - Var_P0([V]_alpha)/(4 lambda) "
        "(a minimum is wrong). Limits lambda -> inf: E_P0 V; lambda -> 0: min V (TV) or min over supp P0 "
        "(KL, chi^2); gamma-contraction; value non-decreasing in lambda; one-hot features reduce d-rectangular "
        "to (s,a)-rectangular. [offline suboptimality bound unconfirmed: not checked]"
    )

    def bound(self):
        return regularized_inner_limit_large_lambda()

    def tasks(self, fidelity, root_seed):
        n_tasks, inner, n_mdps = _SIZES[fidelity]
        return self.batched_tasks(fidelity, root_seed, n_tasks, {"inner": inner, "mdps": n_mdps})

    def run_task(self, task):
        rng = np.random.default_rng(task.seed)
        out = {f"route {k}": 0.0 for k in ROUTES}
        out.update({"limit_inf": 0.0, "limit_zero": 0.0, "monotone": 0.0, "trap_gap": 0.0, "contraction": 0.0,
                    "one_hot": 0.0})
        trap_example = None
        for _ in range(task.spec["inner"]):
            n = int(rng.integers(2, 8))
            p0 = rng.dirichlet(np.ones(n))
            if rng.random() < 0.3:
                p0[rng.integers(n)] = 0.0
                p0 /= p0.sum()
            V = rng.normal(0, 3, n)
            lam = float(np.exp(rng.uniform(np.log(0.01), np.log(10))))
            scale = max(1.0, np.ptp(V))
            for name, (closed, other) in ROUTES.items():
                out[f"route {name}"] = max(out[f"route {name}"], abs(closed(p0, V, lam) - other(p0, V, lam)) / scale)
            support = p0 > 0
            support_min = V[support].min()
            p_min = p0[support][V[support] == support_min].sum()
            # rates of the limits, each from a feasible mu or a Pinsker-type inequality:
            #   E V - f(lambda) in [0, spread^2 / (8 lambda)]         (lambda -> inf; TV: 0 once lambda >= spread)
            #   f(lambda) - target in [0, lambda C], C = 1 (TV), log(1/p_min) (KL), 1/p_min - 1 (chi^2)  (lambda -> 0)
            C0 = {"tv": 1.0, "kl": np.log(1 / p_min), "chi2": 1 / p_min - 1}
            for kind, f in REGULARIZERS.items():
                vals = np.array([f(p0, V, x) for x in LAMBDAS])
                out["monotone"] = max(out["monotone"], float(np.max(vals[:-1] - vals[1:])) / scale)
                for lam_big in (1e2, 1e4):
                    below = p0 @ V - f(p0, V, lam_big)
                    out["limit_inf"] = max(
                        out["limit_inf"], max(-below, below - np.ptp(V) ** 2 / (8 * lam_big)) / scale
                    )
                target = V.min() if kind == "tv" else support_min
                for lam_small in (1e-2, 1e-4):
                    above = f(p0, V, lam_small) - target
                    out["limit_zero"] = max(out["limit_zero"], max(-above, above - lam_small * C0[kind]) / scale)
            gap = regularized_chi2(p0, V, lam) - regularized_chi2_min_alpha(p0, V, lam)
            if gap > out["trap_gap"]:
                out["trap_gap"] = gap
                trap_example = (p0, V, lam)
        for _ in range(task.spec["mdps"]):
            S, A = int(rng.integers(2, 7)), int(rng.integers(1, 4))
            mdp = garnet(S, A, None if rng.random() < 0.5 else min(2, S), gamma=float(rng.uniform(0.5, 0.95)),
                         rng=rng)
            for kind in REGULARIZERS:
                lam = float(rng.uniform(0.05, 3))
                for _ in range(4):
                    ratio = contraction_ratio(mdp, rng.normal(0, 5, S), rng.normal(0, 5, S), kind, lam, True)
                    out["contraction"] = max(out["contraction"], ratio)
                V = rng.normal(0, 5, S)
                one_hot = np.eye(S * A).reshape(S, A, S * A)
                q_d = d_rectangular_regularized_q(one_hot, mdp.P.reshape(S * A, S), mdp.r, mdp.gamma, V, lam, kind)
                out["one_hot"] = max(out["one_hot"], float(np.max(np.abs(q_d - robust_q(mdp, V, kind, lam, True)))))
        res = {k: np.array(v) for k, v in out.items()}
        if trap_example is not None:
            res["trap_p0"], res["trap_V"], res["trap_lambda"] = (
                trap_example[0],
                trap_example[1],
                np.array(trap_example[2]),
            )
        return res

    def decide(self, tasks, results):
        errors = {}
        for name in ROUTES:
            errors[f"{name}: max |difference| / spread(V)"] = max(float(r[f"route {name}"]) for r in results)
        errors["lambda -> inf: E_P0 V - value outside [0, spread^2/(8 lambda)] (lambda = 1e2, 1e4), / spread"] = max(
            0.0, max(float(r["limit_inf"]) for r in results)
        )
        errors[
            "lambda -> 0: value - min (V or over the support) outside [0, lambda C] (lambda = 1e-2, 1e-4), / spread"
        ] = max(0.0, max(float(r["limit_zero"]) for r in results))
        errors["non-decreasing in lambda: largest decrease / spread"] = max(
            0.0, max(float(r["monotone"]) for r in results)
        )
        errors["regularized T_R: max ratio / gamma - 1"] = max(0.0, max(float(r["contraction"]) for r in results) - 1)
        errors["one-hot d-rectangular step - (s,a)-rectangular step"] = max(float(r["one_hot"]) for r in results)
        tol = {k: (1e-9 if "ratio" in k else TOL) for k in errors}
        v = decide_exact(errors, tol)
        worst = max(results, key=lambda r: float(r["trap_gap"]))
        trap = {"max_gap": float(worst["trap_gap"])}
        if "trap_p0" in worst:
            p0, V, lam = worst["trap_p0"], worst["trap_V"], float(worst["trap_lambda"])
            trap.update({"p0": np.round(p0, 4).tolist(), "V": np.round(V, 4).tolist(), "lambda": lam,
                         "sup": regularized_chi2(p0, V, lam), "min": regularized_chi2_min_alpha(p0, V, lam),
                         "primal": regularized_chi2_primal(p0, V, lam)})
        return v.with_evidence(trap=trap)

    def evidence_lines(self, evidence):
        t = evidence["trap"]
        lines = super().evidence_lines(evidence)
        if "p0" in t:
            lines.append(
                f"chi^2 trap: minimising over alpha instead of the supremum is off by up to {t['max_gap']:.4g}; "
                f"worst example P0 = {t['p0']}, V = {t['V']}, lambda = {t['lambda']:.4g}: sup = {t['sup']:.6f} "
                f"(= primal {t['primal']:.6f}), min = {t['min']:.6f}"
            )
        return lines



CLAIM = RegularizedRobust()
