"""B14. Last-switch-dependent bandits (Foussoul et al. 2023; abstract only, model reconstructed).

The payoff of an arm depends on the signed time since its last switch; planning is NP-hard; under monotone payoffs
an efficient constant-factor approximation exists, and the online version has sublinear alpha-regret.
[unconfirmed: the ratio alpha, the algorithm, and the exact model]. What is checked: on the reconstructed model
(``tabular_envs.last_switch``) the exact optimum by dynamic programming over joint signed-time states equals
brute force over all action sequences on tiny instances (exact); the greedy planner's ALG/OPT ratio on generated
monotone instances is REPORTED (its minimum and distribution), not compared with an alpha we do not know.
"""
import numpy as np

from testbed.claim import Source
from testbed.declare import DeclaredClaim, Part, Unit

from .model import brute_force_plan_value, greedy_plan_value, monotone_payoffs, optimal_plan_value

_SIZES = {"quick": (4, 50), "standard": (20, 50), "full": (100, 50)}
TOL = 1e-12


class LastSwitchDependent(DeclaredClaim):
    id = "B14"
    family = "bandits"
    title = "Last-switch-dependent bandits: exact planning by DP; greedy planner ratio reported"
    source = Source("Foussoul et al.", 2023, "Last switch dependent bandits with monotone payoff functions",
                    "abstract (model reconstructed)")
    status = "unconfirmed"
    kind = ("exact",)
    statement = ("Payoffs depend on the signed time since each arm's last switch; planning is NP-hard; under monotone "
                 "payoffs a constant-factor approximation exists. [unconfirmed: the ratio alpha and the exact model; "
                 "checked: DP optimum = brute force on the reconstructed model; greedy ALG/OPT reported]")

    no_bound = ("the approximation ratio alpha and the exact model are unconfirmed (abstract only): the check compares "
                "two exact computations of the optimum (an identity) and reports the greedy ratio without deciding it")
    parts = (Part("exact planning: DP optimum = brute force", "exact", units="dp_units", params={"tolerance": TOL}),)

    def tasks(self, fidelity, root_seed):
        n_tasks, per_task = _SIZES[fidelity]
        return self.batched_tasks(fidelity, root_seed, n_tasks, {"instances": per_task})

    def run_task(self, task):
        rng = np.random.default_rng(task.seed)
        errors, ratios, sizes = [], [], []
        for _ in range(task.spec["instances"]):
            K, tau_max, T = int(rng.integers(1, 4)), int(rng.integers(1, 4)), int(rng.integers(1, 7))
            f = monotone_payoffs(K, tau_max, rng)
            opt = optimal_plan_value(f, T)
            errors.append(abs(opt - brute_force_plan_value(f, T)))
            ratios.append(greedy_plan_value(f, T) / opt if opt > 0 else 1.0)
            sizes.append((K, tau_max, T))
        return {"dp_error": np.array(max(errors)), "ratios": np.array(ratios), "sizes": np.array(sizes)}

    def dp_units(self, tasks, results):
        """The largest |DP optimum - brute force| over the generated instances."""
        return [Unit("|DP optimum - brute force|", max(float(r["dp_error"]) for r in results),
                     n=sum(r["ratios"].size for r in results))]

    def extra_evidence(self, tasks, results, delta):
        """The greedy planner's ALG/OPT (reported: its approximation constant is unconfirmed)."""
        ratios = np.concatenate([r["ratios"] for r in results])
        sizes = np.concatenate([r["sizes"] for r in results])
        worst = int(np.argmin(ratios))
        return {"greedy_ratio_min": float(ratios.min()), "greedy_ratio_mean": float(ratios.mean()),
                "greedy_ratio_quantiles": np.quantile(ratios, [0.01, 0.1, 0.5]).tolist(),
                "worst_size_K_taumax_T": sizes[worst].tolist(), "instances": int(ratios.size),
                "ratios": ratios.tolist()}

    def evidence_lines(self, evidence):
        return super().evidence_lines(evidence) + [
            f"greedy planner ALG/OPT on {evidence['instances']} monotone instances (reported, alpha unconfirmed): "
            f"min {evidence['greedy_ratio_min']:.3f} (K, tau_max, T = {evidence['worst_size_K_taumax_T']}), "
            f"mean {evidence['greedy_ratio_mean']:.3f}, quantiles 1%/10%/50% "
            f"{np.round(evidence['greedy_ratio_quantiles'], 3).tolist()}"]



CLAIM = LastSwitchDependent()
