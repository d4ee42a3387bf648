"""D4. Distributional Bellman operators (Bellemare et al. 2017; Rowland et al. 2018; Dabney et al. 2018).

Checked exactly on generated MDPs (dense, sparse and deterministic transitions; stochastic policies) and random
pairs of finite-support return-distribution functions (distances from CDFs and quantile functions):
1. T^pi is a gamma-contraction in the maximal p-Wasserstein metric, p = 1, 2, inf;
2. Pi_C T^pi (categorical projection) is a sqrt(gamma)-contraction in the maximal Cramer distance, and NOT a
   gamma-contraction: the ratio against gamma exceeds 1 (the trap; the smallest instance found by a Hypothesis
   search is shown);
3. Pi_Q T^pi (quantile projection) is a gamma-contraction in maximal W_inf;
4. the control operator is not a contraction: a Hypothesis search finds a pair with W_1 ratio above gamma (shown),
   and on the two-state tie family (two actions with equal means, perturbed by +-eps) the ratio grows like 1/eps.
Reported, not tested (constants unconfirmed): the fixed-point error ratio l2(eta_C, eta^pi) / l2(Pi_C eta^pi,
eta^pi) against 1/sqrt(1 - gamma), on deterministic MDPs with deterministic policies, where eta^pi is a Dirac mass.
"""
import numpy as np

from proofs_check import distributional_wasserstein_contraction
from tabular_envs import TabularMDP, garnet, policy_evaluation
from tabular_envs.dp.distributional import (
    categorical_fixed_point,
    categorical_projection,
    control_operator,
    dirac,
    evaluation_operator,
    grid_to_dists,
    maximal_cramer,
    maximal_wasserstein,
    normalize,
    quantile_projection,
    uniform_grid,
)
from tabular_envs.strategies import deterministic_find, distributional_instances
from testbed.claim import Claim, Source
from testbed.stats import decide_exact

GRID = uniform_grid(-25.0, 25.0, 101)
N_QUANTILES = 8
P_NORMS = (1.0, 2.0, np.inf)
REL = 1e-9
_SIZES = {"quick": (4, 8, 10, 1000), "standard": (20, 10, 20, 6000), "full": (100, 10, 20, 10000)}


def random_instance(rng: np.random.Generator):
    S, A = int(rng.integers(1, 6)), int(rng.integers(1, 4))
    gamma = float(rng.uniform(0.3, 0.95))
    kind = rng.integers(0, 3)
    mdp = garnet(S, A, None if kind == 0 else min(int(kind), S), gamma=gamma, rng=rng)   # dense, deterministic, 2
    pi = rng.dirichlet(np.ones(A), size=S)
    return mdp, pi


def random_eta(rng, S, k=4, scale=5.0):
    out = []
    for _ in range(S):
        p = rng.random(k) + 0.05
        out.append(normalize(rng.normal(0, scale, k), p / p.sum()))
    return out


def contraction_ratios(mdp, pi, rng, pairs) -> dict:
    g = mdp.gamma
    worst = {f"W{p:g}": 0.0 for p in P_NORMS}
    worst.update({"cramer_categorical": 0.0, "winf_quantile": 0.0})
    for _ in range(pairs):
        e1, e2 = random_eta(rng, mdp.n_states), random_eta(rng, mdp.n_states)
        t1, t2 = evaluation_operator(mdp, pi, e1), evaluation_operator(mdp, pi, e2)
        for p in P_NORMS:
            d = maximal_wasserstein(e1, e2, p)
            if d > 0:
                worst[f"W{p:g}"] = max(worst[f"W{p:g}"], maximal_wasserstein(t1, t2, p) / d / g)
        c1, c2 = [categorical_projection(d, GRID) for d in e1], [categorical_projection(d, GRID) for d in e2]
        u1 = [categorical_projection(d, GRID) for d in evaluation_operator(mdp, pi, c1)]
        u2 = [categorical_projection(d, GRID) for d in evaluation_operator(mdp, pi, c2)]
        d = maximal_cramer(c1, c2)
        if d > 0:
            worst["cramer_categorical"] = max(worst["cramer_categorical"], maximal_cramer(u1, u2) / d)
        q1, q2 = [quantile_projection(d, N_QUANTILES) for d in e1], [quantile_projection(d, N_QUANTILES) for d in e2]
        v1 = [quantile_projection(d, N_QUANTILES) for d in evaluation_operator(mdp, pi, q1)]
        v2 = [quantile_projection(d, N_QUANTILES) for d in evaluation_operator(mdp, pi, q2)]
        d = maximal_wasserstein(q1, q2, np.inf)
        if d > 0:
            worst["winf_quantile"] = max(worst["winf_quantile"], maximal_wasserstein(v1, v2, np.inf) / d / g)
    worst["cramer_over_sqrt_gamma"] = worst["cramer_categorical"] / np.sqrt(g)
    worst["cramer_over_gamma"] = worst["cramer_categorical"] / g
    return worst


def fixed_point_ratio(rng) -> tuple[float, float]:
    """(l2(eta_C, eta^pi) / l2(Pi_C eta^pi, eta^pi), 1/sqrt(1 - gamma)) on a deterministic MDP and policy."""
    S, A = int(rng.integers(1, 6)), int(rng.integers(1, 4))
    mdp = garnet(S, A, 1, gamma=float(rng.uniform(0.3, 0.95)), rng=rng)
    pi = rng.integers(0, A, S)
    V = policy_evaluation(mdp, pi)
    eta = [dirac(v) for v in V]
    eta_c = grid_to_dists(categorical_fixed_point(mdp, pi, GRID), GRID)
    proj = [categorical_projection(d, GRID) for d in eta]
    den = maximal_cramer(proj, eta)
    return (maximal_cramer(eta_c, eta) / den if den > 0 else 0.0), 1 / np.sqrt(1 - mdp.gamma)




def control_ratio(inst) -> float:
    mdp, e1, e2 = inst
    d = maximal_wasserstein(e1, e2, 1)
    return maximal_wasserstein(control_operator(mdp, e1), control_operator(mdp, e2), 1) / d if d > 0 else 0.0


def cramer_ratio(inst) -> float:
    mdp, e1, e2 = inst
    pi = np.full((mdp.n_states, mdp.n_actions), 1.0 / mdp.n_actions)
    c1, c2 = [categorical_projection(d, GRID) for d in e1], [categorical_projection(d, GRID) for d in e2]
    d = maximal_cramer(c1, c2)
    if d == 0:
        return 0.0
    u1 = [categorical_projection(x, GRID) for x in evaluation_operator(mdp, pi, c1)]
    u2 = [categorical_projection(x, GRID) for x in evaluation_operator(mdp, pi, c2)]
    return maximal_cramer(u1, u2) / d


def tie_family(eps: float, gamma: float = 0.9) -> float:
    """Two states: s0 with two actions to s0 (a0) or s1 (a1), zero rewards; s1 absorbing. eta(s0) = +-eps plus
    Dirac, eta(s1) = (delta_-1 + delta_1)/2 in both: the greedy action flips with the sign of eps, so the
    W_1 ratio of the control operator is about gamma (1 - eps)/(2 eps)."""
    P = np.zeros((2, 2, 2))
    P[0, 0, 0] = P[0, 1, 1] = 1
    P[1, :, 1] = 1
    mdp = TabularMDP(P, np.zeros((2, 2)), gamma=gamma)
    spread = normalize([-1.0, 1.0], [0.5, 0.5])
    e1, e2 = [dirac(eps), spread], [dirac(-eps), spread]
    return control_ratio((mdp, e1, e2))


class DistributionalOperators(Claim):
    id = "D4"
    family = "dp"
    title = "Distributional Bellman operators: gamma in W_p, sqrt(gamma) for categorical in Cramer, control not"
    source = Source(
        "Bellemare, Dabney, Munos; Rowland et al.; Dabney et al.",
        2018,
        "A distributional perspective on RL (2017); An analysis of categorical distributional RL (2018); "
        "Distributional RL with quantile regression (2018)",
        "Lemma 3 / Prop. 1; Prop. 2 (Rowland); Prop. 2 (Dabney)",
    )
    status = "confirmed"
    kind = ("exact", "falsification")
    statement = (
        "T^pi is a gamma-contraction in maximal W_p (1 <= p <= inf); the control operator is not a "
        "contraction; Pi_C T^pi is a sqrt(gamma)-contraction in maximal Cramer (not gamma); Pi_Q T^pi is a "
        "gamma-contraction in W_inf. Fixed point: l2(eta_C, eta^pi) <= l2(Pi_C eta^pi, eta^pi)/sqrt(1 - gamma) "
        "[constants unconfirmed: reported only]"
    )

    def bound(self):
        return distributional_wasserstein_contraction()

    def tasks(self, fidelity, root_seed):
        n_tasks, per_task, pairs, search = _SIZES[fidelity]
        gen = self.batched_tasks(fidelity, root_seed, n_tasks, {"instances": per_task, "pairs": pairs})
        searches = [self.make_task(f"search/{name}", {"search": name, "max_examples": search}, fidelity, root_seed,
                                   stream=f"search/{name}") for name in ("control", "cramer_gamma")]
        return gen + searches

    def run_task(self, task):
        s = task.spec
        if "search" in s:
            if s["search"] == "control":
                cond = lambda inst: control_ratio(inst) > inst[0].gamma * (1 + 1e-6)  # noqa: E731
            else:
                cond = lambda inst: cramer_ratio(inst) > inst[0].gamma * (1 + 1e-6)  # noqa: E731
            found = deterministic_find(distributional_instances(), cond, s["max_examples"])
            if found is None:
                return {"found": np.array(0)}
            mdp, e1, e2 = found
            ratio = control_ratio((mdp, e1, e2)) if s["search"] == "control" else cramer_ratio((mdp, e1, e2))
            return {"found": np.array(1), "P": mdp.P, "r": mdp.r, "gamma": np.array(mdp.gamma),
                    "ratio": np.array(ratio), "eta_text": np.array(f"eta1 = {_fmt(e1)}; eta2 = {_fmt(e2)}")}
        rng = np.random.default_rng(task.seed)
        keys = [f"W{p:g}" for p in P_NORMS] + ["winf_quantile", "cramer_over_sqrt_gamma", "cramer_over_gamma"]
        worst = dict.fromkeys(keys, 0.0)
        for _ in range(s["instances"]):
            mdp, pi = random_instance(rng)
            r = contraction_ratios(mdp, pi, rng, s["pairs"])
            for k in keys:
                worst[k] = max(worst[k], r[k])
        fp = np.array([fixed_point_ratio(rng) for _ in range(s["instances"])])
        return {**{k: np.array(v) for k, v in worst.items()}, "fixed_point": fp}

    def decide(self, tasks, results):
        gen = [r for t, r in zip(tasks, results, strict=True) if "instances" in t.spec]
        errors = {}
        if gen:
            m = {k: max(float(r[k]) for r in gen) for k in gen[0] if k != "fixed_point"}
            for p in P_NORMS:
                errors[f"T^pi in maximal W_{p:g}: max ratio / gamma - 1"] = max(0.0, m[f"W{p:g}"] - 1)
            errors["Pi_Q T^pi in maximal W_inf: max ratio / gamma - 1"] = max(0.0, m["winf_quantile"] - 1)
            errors["Pi_C T^pi in maximal Cramer: max ratio / sqrt(gamma) - 1"] = max(
                0.0, m["cramer_over_sqrt_gamma"] - 1
            )
            fp = np.concatenate([r["fixed_point"] for r in gen])
        searches = {t.spec["search"]: r for t, r in zip(tasks, results, strict=True) if "search" in t.spec}
        for name, label in (("control", "control operator: no pair with W_1 ratio > gamma found (0 or 1)"),
                            ("cramer_gamma", "Pi_C T^pi: no pair with Cramer ratio > gamma found (0 or 1)")):
            if name in searches:
                errors[label] = float(int(searches[name]["found"]) == 0)
        v = decide_exact(errors, {k: (0.0 if "(0 or 1)" in k else REL) for k in errors})
        v = v.with_evidence(searches={name: _search_row(r) for name, r in searches.items()})
        if gen:
            v = v.with_evidence(cramer_over_gamma_max=m["cramer_over_gamma"])
            v = v.with_evidence(fixed_point={"ratio": fp[:, 0].tolist(), "constant": fp[:, 1].tolist(),
                                         "max_ratio_over_constant": float(np.max(fp[:, 0] / fp[:, 1]))})
        eps = np.logspace(-4, -0.5, 12)
        v = v.with_evidence(tie_family={"eps": eps.tolist(), "ratio": [tie_family(e) for e in eps], "gamma": 0.9})
        return v

    def evidence_lines(self, evidence):
        lines = super().evidence_lines(evidence)
        if "cramer_over_gamma_max" in evidence:
            lines.append(f"Pi_C T^pi: the largest Cramer ratio found is {evidence['cramer_over_gamma_max']:.3f} gamma "
                         "(above gamma: the contraction modulus is sqrt(gamma), not gamma)")
            fp = evidence["fixed_point"]
            lines.append(f"fixed point (constants unconfirmed, reported): max over {len(fp['ratio'])} deterministic "
                         f"instances of [l2(eta_C, eta^pi)/l2(Pi_C eta^pi, eta^pi)] / (1/sqrt(1 - gamma)) = "
                         f"{fp['max_ratio_over_constant']:.3f}")
        for name, row in evidence["searches"].items():
            if row:
                lines.append(
                    f"smallest counterexample ({name}): S = {row['S']}, A = {row['A']}, gamma = "
                    f"{row['gamma']}, P = {row['P']}, r = {row['r']}; {row['eta']}; ratio = {row['ratio']:.4g}"
                )
        tie = evidence["tie_family"]
        lines.append("tie family (control operator, gamma = 0.9): W_1 ratio " + ", ".join(
            f"{r:.3g} at eps = {e:.2g}" for e, r in list(zip(tie["eps"], tie["ratio"], strict=True))[::3]))
        return lines



def _fmt(eta) -> str:
    return "[" + "; ".join(" + ".join(f"{p:.3g} d({a:g})" for a, p in zip(*d, strict=True)) for d in eta) + "]"


def _search_row(r) -> dict | None:
    if not int(r["found"]):
        return None
    S, A = r["r"].shape
    return {"S": int(S), "A": int(A), "gamma": float(r["gamma"]), "P": np.round(r["P"], 4).tolist(),
            "r": np.round(r["r"], 4).tolist(), "eta": str(r["eta_text"]), "ratio": float(r["ratio"])}


CLAIM = DistributionalOperators()
