"""D2. The effective horizon (Laidlaw, Russell, Dragan 2023) and GORP.

Checked:
1. outside reference (exact): on the two BRIDGE MDPs bundled from shared/data/effective_horizon (freeway_10_fs30,
   H = 10; maze_easy_l0_30_fs1, H = 30), ``min_k``, ``epw``, the Theorem 5.4 list of m_k and the effective horizon
   min_k (k + log_A m_k) equal the authors' published outputs exactly, and the gaps and variance terms to 1e-9;
2. generated finite-horizon MDPs (exact): k = H backups of Q^1 give Q* exactly (every MDP is H-QVI-solvable) and
   min_k <= H, epw <= H;
3. GORP (statistical): the exact failure probability of GORP(1, m) (binomial-return MDPs; ``gorp1_failure_probability``)
   lies inside the two-sided Clopper-Pearson interval of simulated GORP runs; the smallest m with success >= 1/2 is
   at most the authors' (conservative) GORP bound; and GORP(k, m_k) with the Theorem 5.4 m_k succeeds with
   probability >= 1/2 (one-sided Clopper-Pearson lower bound), for the k whose A^k m_k H^2 rollout steps per run fit
   the fidelity's budget (on the maze, m_1 = 73385 with A = 9, H = 30 is beyond every budget).
SQIRL's Theorem 3.6 is marked unconfirmed in the catalogue and is not checked.
"""
import math

import numpy as np

from proofs_check import effective_horizon_thm5_4_m_k
from tabular_envs import TabularMDP
from tabular_envs.dp.effective_horizon import (
    _backup,
    effective_planning_window,
    gorp1_failure_probability,
    horizon_values,
    min_k,
    reference_mdps,
    simulate_gorp,
    smallest_gorp_m,
    theorem_5_4_bound,
)
from testbed.claim import Claim, Source
from testbed.stats import combine_verdicts, decide_exact, decide_proportion_at_least, decide_proportion_equals

TOL = 1e-9
_GENERATED = {"quick": (4, 25), "standard": (20, 25), "full": (100, 25)}
# GORP runs: (runs for the exact-probability check, runs for GORP(k, m_k), budget of rollout steps per GORP run:
# GORP(k, m_k) is run for the k of Theorem 5.4 with A^k m_k H^2 within it)
_GORP = {"quick": (400, 60, 2e6), "standard": (4000, 200, 2e7), "full": (20000, 400, 1e8)}


def random_finite_horizon_mdp(rng: np.random.Generator) -> TabularMDP:
    """A small stationary finite-horizon MDP: deterministic half of the time, else sparse stochastic rows;
    rewards on a coarse grid so that exact ties (the hard case for greedy checks) occur."""
    S, A, H = int(rng.integers(2, 9)), int(rng.integers(2, 4)), int(rng.integers(1, 7))
    if rng.random() < 0.5:
        P = np.zeros((S, A, S))
        P[np.arange(S)[:, None], np.arange(A)[None, :], rng.integers(0, S, (S, A))] = 1.0
    else:
        W = rng.random((S, A, S)) * (rng.random((S, A, S)) < 0.5)
        W[W.sum(axis=2) == 0, 0] = 1.0
        P = W / W.sum(axis=2, keepdims=True)
    r = rng.integers(0, 4, (S, A)) / 4.0
    return TabularMDP(P, r, horizon=H, name="generated")


class EffectiveHorizon(Claim):
    id = "D2"
    family = "dp"
    title = "Effective horizon: min_k, epw and the Theorem 5.4 bound reproduce the authors' outputs; GORP succeeds"
    source = Source("Laidlaw, Russell, Dragan", 2023, "Bridging RL theory and practice with the effective horizon",
                    "Theorem 5.4 (code, commit 1a83eb7)")
    status = "confirmed"
    kind = ("exact", "statistical")
    statement = ("Q^1 = Q of the random policy, Q^{i+1} = one Bellman optimality backup; k-QVI-solvable iff greedy on "
                 "Q^k is optimal from s0; every MDP is H-QVI-solvable. Theorem 5.4: m_k = max ceil(16 var_k/Delta_k^2 "
                 "ln(2 H A^k)), H_k = k + log_A m_k, effective horizon min_k H_k; GORP(k, m_k) succeeds w.p. >= 1/2. "
                 "[SQIRL Thm 3.6: unconfirmed, not checked]")

    def bound(self):
        return effective_horizon_thm5_4_m_k()

    def tasks(self, fidelity, root_seed):
        n_tasks, per_task = _GENERATED[fidelity]
        runs, gorp_runs, budget = _GORP[fidelity]
        ref = [self.make_task(f"reference/{name}", {"reference": name, "runs": runs, "gorp_runs": gorp_runs,
                                                     "budget": budget}, fidelity, root_seed, stream=f"reference/{name}")
               for name in ("freeway_10_fs30", "maze_easy_l0_30_fs1")]
        return ref + self.batched_tasks(fidelity, root_seed, n_tasks, {"mdps": per_task})

    def run_task(self, task):
        if "reference" in task.spec:
            return self._run_reference(task)
        rng = np.random.default_rng(task.seed)
        qh_error, over_h = 0.0, 0
        for _ in range(task.spec["mdps"]):
            mdp = random_finite_horizon_mdp(rng)
            hv = horizon_values(mdp)
            q = hv.q_rand.copy()
            for _ in range(mdp.horizon - 1):
                q = _backup(hv.P, hv.r, q)
            qh_error = max(qh_error, float(np.max(np.abs(q - hv.q_star))))
            over_h += int(min_k(mdp) > mdp.horizon) + int(effective_planning_window(mdp) > mdp.horizon)
        return {"qh_error": np.array(qh_error), "over_h": np.array(over_h)}

    def _run_reference(self, task):
        s = task.spec
        ref = reference_mdps()[s["reference"]]
        mdp, published = ref["mdp"], ref["analyzed"]
        bound = theorem_5_4_bound(mdp)
        pub = published["effective_horizon_results"]
        gap_err, var_err = np.inf, np.inf
        if len(bound.gaps) == len(pub["gaps"]):
            gap_err = max(abs(a - b) if a is not None and b is not None else (0.0 if a is b else np.inf)
                          for a, b in zip(bound.gaps, pub["gaps"], strict=True))
        if len(bound.vars) == len(pub["vars"]):
            var_err = max(abs(a - b) for a, b in zip(bound.vars, pub["vars"], strict=True))
        m_ref = int(ref["gorp_bounds"]["sample_complexity"] // (mdp.n_actions * ref["horizon"] ** 2))
        m_exact = smallest_gorp_m(mdp, 0.5, m_max=m_ref)
        # the exact failure curve for the figure, at up to 60 log-spaced m (the last is m_exact)
        curve_m = np.unique(np.round(np.geomspace(1, m_exact, min(m_exact, 60))).astype(np.int64))
        curve = [gorp1_failure_probability(mdp, int(m)) for m in curve_m]
        ok = simulate_gorp(mdp, 1, m_exact, s["runs"], task.seed)
        gorp_k = {}
        for k, m in zip(bound.ks, bound.ms, strict=True):
            if mdp.n_actions ** k * m * ref["horizon"] ** 2 <= s["budget"]:
                gorp_k[k] = int(simulate_gorp(mdp, k, int(m), s["gorp_runs"], task.seed + k).sum())
        return {"min_k": np.array(min_k(mdp)), "epw": np.array(effective_planning_window(mdp)),
                "ms": np.array(bound.ms, dtype=np.int64), "ks": np.array(bound.ks),
                "effective_horizon": np.array(bound.effective_horizon), "gap_error": np.array(gap_err),
                "var_error": np.array(var_err), "m_exact": np.array(m_exact), "m_reference": np.array(m_ref),
                "failure_m": curve_m, "failure_curve": np.array(curve), "gorp_successes": np.array(int(ok.sum())),
                "gorp_runs": np.array(s["runs"]),
                "gorp_k": np.array([[k, gorp_k[k]] for k in sorted(gorp_k)], dtype=np.int64).reshape(-1, 2)}

    def decide(self, tasks, results):
        refs = [(t.spec["reference"], r) for t, r in zip(tasks, results, strict=True) if "reference" in t.spec]
        gen = [r for t, r in zip(tasks, results, strict=True) if "mdps" in t.spec]
        published = reference_mdps()
        errors, rows, equal_units, half_units = {}, [], [], []
        for name, r in refs:
            pub = published[name]["analyzed"]
            eh = pub["effective_horizon_results"]
            mine = {"min_k": int(r["min_k"]), "epw": int(r["epw"]), "ms": r["ms"].tolist(),
                    "effective_horizon": float(r["effective_horizon"])}
            theirs = {"min_k": pub["min_k"], "epw": pub["epw"], "ms": eh["ms"],
                      "effective_horizon": pub["effective_horizon"]}
            for key in mine:
                errors[f"{name}: {key} differs from the published value (0 or 1)"] = float(mine[key] != theirs[key])
            errors[f"{name}: max |gap - published|"] = float(r["gap_error"])
            errors[f"{name}: max |var - published|"] = float(r["var_error"])
            errors[f"{name}: exact GORP(1, .) m above the authors' GORP bound (0 or 1)"] = float(
                int(r["m_exact"]) < 1 or int(r["m_exact"]) > int(r["m_reference"]))
            H = published[name]["horizon"]
            rows.append({"name": name, "mine": mine, "published": theirs, "m_exact": int(r["m_exact"]),
                         "m_reference": int(r["m_reference"]), "A": int(published[name]["mdp"].n_actions), "H": H,
                         "failure_m": r["failure_m"].tolist(), "failure_curve": r["failure_curve"].tolist(),
                         "H1_exact": 1 + math.log(int(r["m_exact"])) / math.log(published[name]["mdp"].n_actions),
                         "H1_reference": float(published[name]["gorp_bounds"]["effective_horizon"])})
            equal_units.append(((int(r["gorp_successes"]), int(r["gorp_runs"])), 1 - float(r["failure_curve"][-1]),
                                f"{name}: GORP(1, {int(r['m_exact'])}) success"))
            for k, succ in r["gorp_k"]:
                m_k = int(r["ms"][list(r["ks"]).index(k)])
                runs = [t for t in tasks if t.spec.get("reference") == name][0].spec["gorp_runs"]
                half_units.append(((int(succ), runs), 0.5, f"{name}: GORP({int(k)}, m_{int(k)} = {m_k}) success"))
        if gen:
            errors["generated: max |Q^H - Q*|"] = max(float(r["qh_error"]) for r in gen)
            errors["generated: MDPs with min_k or epw above H"] = float(sum(int(r["over_h"]) for r in gen))
        exact = decide_exact(errors, {k: TOL if "|" in k else 0.0 for k in errors})
        parts = {"published outputs and generated MDPs (exact)": exact}
        if equal_units:
            parts["GORP(1, m): simulated = exact success"] = decide_proportion_equals(
                [u[0] for u in equal_units], [u[1] for u in equal_units], self.delta / 2, [u[2] for u in equal_units])
        if half_units:
            parts["GORP(k, m_k) succeeds w.p. >= 1/2"] = decide_proportion_at_least(
                [u[0] for u in half_units], [u[1] for u in half_units], self.delta / 2, [u[2] for u in half_units])
        return combine_verdicts(parts, evidence={
            "references": rows, "generated_mdps": sum(1 for _ in gen) * (tasks[-1].spec.get("mdps", 0) if gen else 0)})

    def evidence_lines(self, evidence):
        lines = super().evidence_lines(evidence)
        for row in evidence["references"]:
            lines.append(f"{row['name']} (A = {row['A']}, H = {row['H']}): ours {row['mine']} | published "
                         f"{row['published']}")
            lines.append(f"{row['name']}: exact smallest m with P[GORP(1, m) succeeds] >= 1/2 is {row['m_exact']} "
                         f"(H_1 = {row['H1_exact']:.4f}); the authors' conservative GORP bound gives m = "
                         f"{row['m_reference']} (H_1 = {row['H1_reference']:.4f})")
        for p in evidence["proportions"]:
            target = f"= {p['value']:.4f}" if "value" in p else f">= {p['threshold']}"
            lines.append(f"{p['label']}: {p['successes']}/{p['trials']} runs, Clopper-Pearson [{p['lower']:.4f}, "
                         f"{p['upper']:.4f}] vs {target}: {p['verdict']}")
        lines.append(f"{evidence['generated_mdps']} generated finite-horizon MDPs (deterministic and stochastic)")
        return lines


CLAIM = EffectiveHorizon()
