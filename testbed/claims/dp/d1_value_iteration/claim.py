"""D1. Value iteration and policy iteration (Puterman 1994, Thms 6.2.3, 6.3.1, 6.4.2; Bertsekas 2012).

Checked exactly on random (dense and sparse Garnet) and structured (RiverSwim, slippery chain, gridworld) MDPs:
1. the Bellman optimality operator is a gamma-contraction in sup norm (random pairs V, U);
2. ||V_k - V*|| <= gamma^k ||V_0 - V*|| along the VI trajectory;
3. the sup-norm stopping rule: VI's reported guarantees bound its true errors, and its greedy policy is
   eps-optimal;
4. policy iteration is monotone and ends at V*; VI, PI and an independent linear program agree.
V* is the exact linear solve of PI's final policy. The evidence also records where a span-seminorm rule
(as in popular toolboxes) would have stopped, and how far from V* it was (catalogue trap).
"""
import numpy as np
from scipy.optimize import linprog

from proofs_check import vi_contraction_bound
from tabular_envs import (
    SolverError,
    bellman_optimality,
    chain,
    garnet,
    gridworld,
    policy_evaluation,
    policy_iteration,
    river_swim,
    value_iteration,
)
from testbed.claim import Claim, Source
from testbed.planting import planted_upper
from testbed.stats import decide_exact

_GENERATORS = {"garnet": garnet, "river_swim": river_swim, "chain": chain, "gridworld": gridworld}
_QUICK = [
    ("garnet_dense_S30_A4", "garnet", {"n_states": 30, "n_actions": 4, "gamma": 0.9, "rng": 1}),
    ("garnet_sparse_S50_A5_b3", "garnet", {"n_states": 50, "n_actions": 5, "branching": 3, "gamma": 0.95, "rng": 2}),
    ("river_swim_S6", "river_swim", {"n_states": 6, "gamma": 0.95}),
    ("chain_S20_slip0.1", "chain", {"n_states": 20, "gamma": 0.9, "slip": 0.1}),
    ("gridworld_5x5_slip0.2", "gridworld", {"rows": 5, "cols": 5, "gamma": 0.95, "slip": 0.2}),
]
_STANDARD = _QUICK + [
    ("garnet_dense_S500_A10_g0.99", "garnet", {"n_states": 500, "n_actions": 10, "gamma": 0.99, "rng": 3}),
    ("garnet_sparse_S200_A4_b5_g0.99", "garnet",
     {"n_states": 200, "n_actions": 4, "branching": 5, "gamma": 0.99, "rng": 4}),
    ("chain_S50_slip0.2_g0.99", "chain", {"n_states": 50, "gamma": 0.99, "slip": 0.2}),
    ("gridworld_10x10_slip0.1_g0.99", "gridworld", {"rows": 10, "cols": 10, "gamma": 0.99, "slip": 0.1}),
    ("river_swim_S20_g0.99", "river_swim", {"n_states": 20, "gamma": 0.99}),
] + [(f"garnet_S40_A3_b4_seed{s}", "garnet", {"n_states": 40, "n_actions": 3, "branching": 4, "gamma": 0.9,
                                               "rng": 100 + s}) for s in range(5)]
_MDPS = {"quick": _QUICK, "standard": _STANDARD, "full": _STANDARD}
_EPSILON = 1e-6
_N_PAIRS = 20
ROUNDOFF = 1e-9   # relative to max(1, ||V*||): float64 solves and sweeps are far more accurate
LP_TOL = 1e-6     # relative: HiGHS's primal/dual feasibility tolerances are 1e-7


def _lp_optimal_values(mdp) -> np.ndarray:
    """V* as the LP min sum_s V(s) s.t. V(s) >= r(s, a) + gamma P(s, a) V for all (s, a) (Puterman 6.9)."""
    S, A = mdp.n_states, mdp.n_actions
    A_ub = np.concatenate([mdp.gamma * mdp.P[:, a, :] - np.eye(S) for a in range(A)])
    b_ub = np.concatenate([-mdp.r[:, a] for a in range(A)])
    res = linprog(np.ones(S), A_ub=A_ub, b_ub=b_ub, bounds=[(None, None)] * S, method="highs")
    if res.status != 0:
        raise SolverError(f"the linear program for V* failed: {res.message}")
    return res.x


def check_mdp(mdp, epsilon: float, rng: np.random.Generator) -> dict[str, np.ndarray]:
    g = mdp.gamma
    pi_res, history = policy_iteration(mdp, return_history=True)
    v_star = pi_res.values
    scale = max(1.0, float(np.max(np.abs(v_star))))

    radius = float(np.max(np.abs(mdp.r))) / (1 - g) + 1.0
    ratios = []
    for i in range(_N_PAIRS):
        V = rng.uniform(-radius, radius, mdp.n_states)
        U = V + rng.uniform(-1, 1, mdp.n_states) * (radius if i % 2 else 1e-3)
        ratios.append(np.max(np.abs(bellman_optimality(mdp, V) - bellman_optimality(mdp, U))) / np.max(np.abs(V - U)))

    vi = value_iteration(mdp, epsilon)
    V = np.zeros(mdp.n_states)
    errors = [np.max(np.abs(V - v_star))]
    span_k, span_error = -1, np.nan
    span_threshold = epsilon * (1 - g) / g
    for k in range(1, vi.iterations + 1):
        V_next = bellman_optimality(mdp, V)
        diff = V_next - V
        if span_k < 0 and diff.max() - diff.min() < span_threshold:
            span_k, span_error = k, float(np.max(np.abs(V_next - v_star)))
        V = V_next
        errors.append(np.max(np.abs(V - v_star)))
    errors = np.array(errors)
    v_pi_vi = policy_evaluation(mdp, vi.policy)
    decreases = [np.max(history[j] - history[j + 1]) for j in range(len(history) - 1)]
    return {
        "gamma": np.array(g), "epsilon": np.array(epsilon), "scale": np.array(scale),
        "contraction_ratios": np.array(ratios),
        "vi_errors": errors,
        "vi_iterations": np.array(vi.iterations),
        "vi_value_error": np.array(np.max(np.abs(vi.values - v_star))),
        "vi_value_bound": np.array(vi.value_error_bound),
        "vi_policy_error": np.array(np.max(np.abs(v_pi_vi - v_star))),
        "vi_policy_bound": np.array(vi.policy_error_bound),
        "vi_residual": np.array(vi.residual),
        "lp_error": np.array(np.max(np.abs(_lp_optimal_values(mdp) - v_star))),
        "pi_iterations": np.array(pi_res.iterations),
        "pi_max_decrease": np.array(max(decreases, default=0.0)),
        "span_rule_sweeps": np.array(span_k), "span_rule_error": np.array(span_error),
        "v_star_max": np.array(float(np.max(v_star))),
    }


class ValueIteration(Claim):
    id = "D1"
    family = "dp"
    title = "Value iteration and policy iteration: contraction, sup-norm stopping rule, VI = PI = LP"
    source = Source("Puterman", 1994, "Markov Decision Processes", "Theorems 6.2.3, 6.3.1, 6.4.2")
    status = "confirmed"
    kind = ("upper_bound", "exact")
    statement = ("The Bellman optimality operator is a gamma-contraction in sup norm: ||TV - TU|| <= gamma ||V - U||, "
                 "so ||V_k - V*|| <= gamma^k ||V_0 - V*||. If ||V_{k+1} - V_k|| < eps (1 - gamma)/(2 gamma), the "
                 "greedy policy is eps-optimal. Policy iteration improves monotonically and ends at V*.")

    def bound(self):
        return vi_contraction_bound()

    def tasks(self, fidelity, root_seed):
        return [self.make_task(name, {"generator": gen, "args": args, "epsilon": _EPSILON}, fidelity, root_seed,
                               stream=name) for name, gen, args in _MDPS[fidelity]]

    def run_task(self, task):
        s = task.spec
        mdp = _GENERATORS[s["generator"]](**s["args"])
        return check_mdp(mdp, s["epsilon"], np.random.default_rng(task.seed))

    def decide(self, tasks, results):
        def worst(f):
            return float(max(f(r) for r in results))

        errors = {
            "contraction: max(||TV-TU|| / ||V-U|| - gamma)": worst(
                lambda r: np.max(r["contraction_ratios"] - r["gamma"])
            ),
            "trajectory: max(||V_k-V*|| - gamma^k ||V_0-V*||) / scale": worst(
                lambda r: np.max(r["vi_errors"] - r["gamma"] ** np.arange(r["vi_errors"].size) * r["vi_errors"][0])
                / r["scale"]),
            "stopping rule: (||V-V*|| - reported bound) / scale": worst(
                lambda r: (r["vi_value_error"] - planted_upper(r["vi_value_bound"])) / r["scale"]),
            "stopping rule: (||V^pi-V*|| - reported bound) / scale": worst(
                lambda r: (r["vi_policy_error"] - planted_upper(r["vi_policy_bound"])) / r["scale"]),
            "stopping rule: ||V^pi-V*|| - eps": worst(lambda r: r["vi_policy_error"] - r["epsilon"]),
            "PI monotone: max decrease of V^pi_k / scale": worst(lambda r: r["pi_max_decrease"] / r["scale"]),
            "VI = PI: ||V_VI - V*|| - eps/2": worst(lambda r: r["vi_value_error"] - r["epsilon"] / 2),
            "PI = LP: ||V_PI - V_LP|| / scale": worst(lambda r: r["lp_error"] / r["scale"]),
        }
        tolerances = {k: (LP_TOL if k.startswith("PI = LP") else ROUNDOFF) for k in errors}
        v = decide_exact(errors, tolerances)
        mdps = []
        for t, r in zip(tasks, results, strict=True):
            errs = r["vi_errors"]
            idx = np.unique(np.round(np.linspace(0, errs.size - 1, min(errs.size, 200))).astype(int))
            mdps.append({"name": t.unit, "gamma": float(r["gamma"]), "k": idx.tolist(), "errors": errs[idx].tolist(),
                         "vi_iterations": int(r["vi_iterations"]), "pi_iterations": int(r["pi_iterations"]),
                         "value_error": float(r["vi_value_error"]), "value_bound": float(r["vi_value_bound"]),
                         "policy_error": float(r["vi_policy_error"]), "policy_bound": float(r["vi_policy_bound"]),
                         "max_contraction_ratio": float(np.max(r["contraction_ratios"])),
                         "span_rule_sweeps": int(r["span_rule_sweeps"]), "span_rule_error": float(r["span_rule_error"]),
                         "v_star_max": float(r["v_star_max"])})
        v = v.with_evidence(mdps=mdps)
        v = v.with_evidence(epsilon=_EPSILON)
        v = v.replace(tightness=max(m["value_error"] / m["value_bound"] for m in mdps if m["value_bound"] > 0))
        v = v.replace(n_samples=len(results))
        return v

    def evidence_lines(self, evidence):
        lines = super().evidence_lines(evidence)
        for m in evidence["mdps"]:
            span = (f"; a span rule would stop after {m['span_rule_sweeps']} sweeps, {m['span_rule_error']:.3g} from V*"
                    f" (max V* {m['v_star_max']:.4g})" if m["span_rule_sweeps"] > 0 else "")
            lines.append(f"{m['name']}: VI {m['vi_iterations']} sweeps, error {m['value_error']:.2e} <= bound "
                         f"{m['value_bound']:.2e}; policy error {m['policy_error']:.2e} <= {m['policy_bound']:.2e}; "
                         f"PI {m['pi_iterations']} iterations; max contraction ratio {m['max_contraction_ratio']:.6f} "
                         f"(gamma {m['gamma']}){span}")
        return lines



CLAIM = ValueIteration()
