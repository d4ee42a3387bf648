"""P4. KL-regularised optimum, DPO's population optimum, one soft-improvement step (VAS) (Rafailov et al. 2023,
NeurIPS, Thm 1 and Sec. 4; Value Augmented Sampling (seed); derived).

1. max_pi E_pi[r] - beta KL(pi || pi_0) is attained by pi* proportional to pi_0 exp(r / beta), with value
   beta log E_{pi_0} exp(r / beta). Token level: pi*(a|s) proportional to pi_0(a|s) exp(Q_soft(s, a) / beta), Q_soft
   from the soft backup with pi_0 (log-sum-exp, not expectation).
2. Under Bradley-Terry preferences with every response pair covered, the population DPO loss is minimised at pi*
   (each pair's 1-D convex solve gives r_i - r_j, the implicit-reward difference of pi*), uniquely (the Hessian in
   the implicit rewards has rank n - 1); with a response never compared the minimiser is not unique there (rank
   n - 2).
3. VAS, pi proportional to pi_0 exp(Q^{pi_0} / beta) (Q of pi_0, an expectation), is ONE step of soft policy
   improvement: it improves the regularised objective, is optimal at depth 1, is strictly suboptimal at depth 2, and
   iterating it (with the KL-regularised Q of the current policy) reaches pi* (after 2 steps on a depth-2 tree).
Instance (catalogue): a depth-2 binary tree, pi_0 uniform, leaf rewards ((1, 0), (0.6, 0.6)), beta in {1, 0.3, 0.1};
J*, J_VAS, J(pi_0) reported. DPO: the four leaves as responses with rewards (1, 0, 0.6, 0.6) + generated rewards, a
non-uniform reference (0.1, 0.2, 0.3, 0.4). Checked exactly (enumeration; SymPy-free closed forms in float64).
Traps (controls in test_p4.py): exp(beta r) instead of exp(r / beta); the reference log-ratio missing from the DPO
logit; Q^{pi_0} (an expectation) where the soft value belongs in the token-level optimum.
"""
import numpy as np

from testbed.claim import Source
from testbed.declare import DeclaredClaim, Part, Unit

from .model import (
    LEAVES,
    closed_form_optimum,
    dpo_hessian_rank,
    dpo_logits,
    dpo_pair_minimiser,
    iterate_soft_improvement,
    objective,
    token_level_optimum,
    vas_policy,
)

BETAS = (1.0, 0.3, 0.1)
DPO_REFERENCE = (0.1, 0.2, 0.3, 0.4)
TOLERANCE = 1e-9                  # enumeration against closed forms: rounding only; the 1-D solves stop at 1e-12
UNIFORM = ([0.5, 0.5], [[0.5, 0.5], [0.5, 0.5]])
_SIZES = {"quick": 20, "standard": 200, "full": 1000}      # random policies compared with pi*; DPO reward draws


class KLOptimum(DeclaredClaim):
    id = "P4"
    family = "policy_optimisation"
    title = "KL-regularised optimum pi_0 exp(r/beta); DPO's population minimiser; VAS is one soft-improvement step"
    source = Source("Rafailov, Sharma, Mitchell, Ermon, Manning, Finn", 2023, "Direct preference optimization: your "
                    "language model is secretly a reward model (NeurIPS); Value Augmented Sampling (seed)",
                    "Rafailov Thm 1, Sec. 4 (derivation of the DPO objective); derived")
    status = "confirmed"
    kind = ("exact", "falsification")
    no_bound = "identities (optimum = closed form, minimiser = pi*), strict inequalities and Hessian ranks"
    statement = ("max_pi E_pi[r] - beta KL(pi||pi_0) is attained by pi* proportional to pi_0 exp(r/beta), value "
                 "beta log E_{pi_0} exp(r/beta); token level with the soft backup; under Bradley-Terry with every pair "
                 "covered the population DPO loss is minimised at pi* (uniquely), not unique when a response is never "
                 "compared; VAS (pi_0 exp(Q^{pi_0}/beta)) improves, is optimal at depth 1, suboptimal at depth >= 2, "
                 "and iterating it converges to pi*.")
    parts = (Part("the KL optimum: token-level pi* attains the closed form and beats random policies", "exact",
                  units="optimum_units", params={"tolerance": TOLERANCE}),
             Part("DPO: the pair minimisers are pi*'s implicit rewards; unique iff every response is compared", "exact",
                  units="dpo_units", params={"tolerance": TOLERANCE}),
             Part("VAS: improves, optimal at depth 1, strictly suboptimal at depth 2, iterates reach pi*", "exact",
                  units="vas_units", params={"tolerance": TOLERANCE}))

    def tasks(self, fidelity, root_seed):
        return [self.make_task("tree", {"draws": _SIZES[fidelity], "exponent": "r_over_beta", "node_value": "soft",
                                        "dpo_reference": True}, fidelity, root_seed, "tree")]

    def run_task(self, task):
        spec = task.spec
        rng = np.random.default_rng(task.seed)
        ref_root, ref_nodes = UNIFORM
        out = {k: [] for k in ("closed", "token", "random_excess", "j_vas", "j_ref", "vas_depth1", "iterated")}
        for beta in BETAS:
            J_star = closed_form_optimum(LEAVES, ref_root, ref_nodes, beta)
            root, nodes = token_level_optimum(LEAVES, ref_root, ref_nodes, beta, spec["exponent"], spec["node_value"])
            out["closed"].append(J_star)
            out["token"].append(objective(root, nodes, LEAVES, ref_root, ref_nodes, beta))
            rand = [objective(*(lambda p: (p[0], p[1:]))(rng.dirichlet(np.ones(2), 3)), LEAVES, ref_root, ref_nodes,
                              beta) for _ in range(spec["draws"])]
            out["random_excess"].append(max(rand) - J_star)
            out["j_vas"].append(objective(*vas_policy(LEAVES, ref_root, ref_nodes, beta), LEAVES, ref_root, ref_nodes,
                                          beta))
            out["j_ref"].append(objective(ref_root, ref_nodes, LEAVES, ref_root, ref_nodes, beta))
            # depth 1: the root decides, then pi_0 (the leaves' values are their expectations under pi_0)
            one = np.array([[np.mean(LEAVES[0])] * 2, [np.mean(LEAVES[1])] * 2])
            out["vas_depth1"].append(abs(objective(*vas_policy(one, ref_root, ref_nodes, beta, depth=1), one, ref_root,
                                                   ref_nodes, beta) - closed_form_optimum(one, ref_root, ref_nodes,
                                                                                          beta)))
            it_root, it_nodes = iterate_soft_improvement(LEAVES, ref_root, ref_nodes, beta, 2)
            out["iterated"].append(abs(objective(it_root, it_nodes, LEAVES, ref_root, ref_nodes, beta) - J_star))
        # DPO on the four leaves as responses, the catalogue rewards and generated ones
        ref = np.array(DPO_REFERENCE)
        pairs = [(i, j) for i in range(4) for j in range(i + 1, 4)]
        dpo_err, rank_full, rank_missing = [], [], []
        rewards = [LEAVES.ravel()] + [rng.uniform(0, 1, 4) for _ in range(spec["draws"] // 10)]
        for R in rewards:
            for beta in BETAS:
                pi_star = ref * np.exp(R / beta)
                pi_star /= pi_star.sum()
                u = dpo_logits(pi_star, ref, beta, with_reference=spec["dpo_reference"])
                dpo_err.append(max(abs(dpo_pair_minimiser(R[i], R[j]) - (u[i] - u[j])) for i, j in pairs))
                rank_full.append(dpo_hessian_rank(pairs, [u[i] - u[j] for i, j in pairs], 4))
                covered = [(i, j) for i, j in pairs if 3 not in (i, j)]
                rank_missing.append(dpo_hessian_rank(covered, [u[i] - u[j] for i, j in covered], 4))
        res = {k: np.array(v) for k, v in out.items()}
        res.update({"dpo_error": np.array(dpo_err), "rank_full": np.array(rank_full),
                    "rank_missing": np.array(rank_missing)})
        return res

    def optimum_units(self, tasks, results):
        r = results[0]
        return [Unit("|J(token-level pi*) - beta log E exp(r/beta)|", np.abs(r["token"] - r["closed"]), n=len(BETAS)),
                Unit("max over random policies of J(pi) - J* (when positive)", np.maximum(r["random_excess"], 0.0),
                     n=len(BETAS))]

    def dpo_units(self, tasks, results):
        r = results[0]
        n = r["dpo_error"].size
        return [Unit("|pair minimiser - (u_i - u_j) of pi*|", r["dpo_error"], n=n),
                Unit("all pairs covered: Hessian rank != n - 1 (count)", float(np.sum(r["rank_full"] != 3)), n=n),
                Unit("a response never compared: Hessian rank != n - 2 (count)", float(np.sum(r["rank_missing"] != 2)),
                     n=n)]

    def vas_units(self, tasks, results):
        r = results[0]
        return [Unit("J(pi_0) - J_VAS (when positive: no improvement)", np.maximum(r["j_ref"] - r["j_vas"], 0.0),
                     n=len(BETAS)),
                Unit("|J_VAS - J*| at depth 1", r["vas_depth1"], n=len(BETAS)),
                Unit("depth 2: J_VAS not strictly below J* (count)", float(np.sum(r["closed"] - r["j_vas"] <= 1e-6)),
                     n=len(BETAS)),
                Unit("|J(two soft-improvement steps) - J*|", r["iterated"], n=len(BETAS))]

    def extra_evidence(self, tasks, results, delta):
        r = results[0]
        return {"betas": list(BETAS), "J_star": r["closed"].tolist(), "J_vas": r["j_vas"].tolist(),
                "J_ref": r["j_ref"].tolist()}

    def evidence_lines(self, evidence):
        return super().evidence_lines(evidence) + [
            f"beta = {b}: J* = {js:.6f}, J_VAS = {jv:.6f}, J(pi_0) = {jr:.6f}"
            for b, js, jv, jr in zip(evidence["betas"], evidence["J_star"], evidence["J_vas"], evidence["J_ref"],
                                     strict=True)]


CLAIM = KLOptimum()
