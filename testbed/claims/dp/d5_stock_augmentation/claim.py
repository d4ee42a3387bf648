"""D5. Return-distribution optimisation with stock augmentation (Pires et al. 2025; abstract only, rest derived).

[unconfirmed: the paper's stock recursion, its characterisation of optimisable objectives and its bounds; the
reconstruction c_{t+1} = c_t + r_t (gamma = 1) is used.] Checked exactly on generated finite-horizon MDPs with
integer rewards and stochastic transitions:
1. augmented backward induction over (t, s, c) equals the best of EVERY deterministic history-dependent policy
   (enumerated on the reachable histories) for expected utilities E f(c0 + G) (threshold, concave, convex,
   exponential);
2. CVaR_tau by the outer search over c0 equals the enumerated optimum (tau = 0.1, 0.25, 0.5, 1);
3. plain Markov DP cannot do this: the best deterministic Markov policy falls short on some instances (the
   smallest found by a Hypothesis search is shown), and never exceeds the augmented optimum;
4. falsification: mean - lambda variance is not an expected utility; the stagewise (t, s, c) DP that maximises it
   node by node is beaten by some history-dependent policy (time inconsistency; smallest instance shown).
"""
import math

import numpy as np
from hypothesis import strategies as st

from proofs_check import cvar_rockafellar_uryasev
from tabular_envs import TabularMDP
from tabular_envs.strategies import deterministic_find, probability_rows
from testbed.claim import Claim, Source
from testbed.stats import decide_exact

from .model import (
    augmented_optimum,
    best_markov_value,
    cvar,
    cvar_optimum,
    enumerate_history_policies,
    expected_utility,
    mean_variance,
    stagewise_mean_variance_value,
)

TOL = 1e-9
TAUS = (0.1, 0.25, 0.5, 1.0)
LAM = 0.5
UTILITIES = {"threshold 1{x >= 2}": lambda x: float(x >= 2), "concave min(x, 1)": lambda x: float(min(x, 1)),
             "convex x^2": lambda x: float(x * x), "exponential -exp(-x)": lambda x: -math.exp(-x)}
_SIZES = {"quick": (4, 12, 600), "standard": (20, 15, 2000), "full": (100, 15, 5000)}


@st.composite
def integer_mdps(draw, max_states=2, max_actions=2, max_horizon=2):
    S, A, H = draw(st.integers(1, max_states)), draw(st.integers(1, max_actions)), draw(st.integers(1, max_horizon))
    P = draw(probability_rows(S, S * A)).reshape(S, A, S)
    r = np.array(draw(st.lists(st.integers(-1, 2), min_size=S * A, max_size=S * A)), dtype=float).reshape(S, A)
    return TabularMDP(P, r, horizon=H)


def random_integer_mdp(rng):
    S, A, H = int(rng.integers(1, 4)), int(rng.integers(1, 3)), int(rng.integers(1, 4))
    W = rng.integers(0, 3, (S, A, S)).astype(float)
    W[W.sum(axis=2) == 0, 0] = 1.0
    return TabularMDP(W / W.sum(axis=2, keepdims=True), rng.integers(-1, 3, (S, A)).astype(float), horizon=H)


def markov_short(mdp) -> bool:
    """Some objective (CVaR_0.25 or the threshold utility) where Markov policies do worse than augmented DP."""
    if mdp.n_actions ** (mdp.n_states * mdp.horizon) > 4096:
        return False
    cv = cvar_optimum(mdp, 0.25)[0]
    return best_markov_value(mdp, lambda d: cvar(d, 0.25)) < cv - TOL


def mean_variance_inconsistent(mdp) -> bool:
    gen = enumerate_history_policies(mdp, max_policies=4096)
    if gen is None:
        return False
    best = max(mean_variance(d, LAM) for d in gen)
    return stagewise_mean_variance_value(mdp, LAM) < best - TOL


def describe(mdp) -> str:
    rows = [f"s{s} a{a}: r = {mdp.r[s, a]:g}, next " + ", ".join(f"s{j} w.p. {mdp.P[s, a, j]:.3g}"
                                                                 for j in np.flatnonzero(mdp.P[s, a]))
            for s in range(mdp.n_states) for a in range(mdp.n_actions)]
    return f"S = {mdp.n_states}, A = {mdp.n_actions}, H = {mdp.horizon}: " + "; ".join(rows)


class StockAugmentation(Claim):
    id = "D5"
    family = "dp"
    title = "Stock-augmented distributional DP optimises expected utilities and CVaR; Markov DP and mean-variance fail"
    source = Source("Pires et al.", 2025, "Optimizing return distributions with distributional dynamic programming",
                    "abstract (recursion and statements reconstructed)")
    status = "unconfirmed"
    kind = ("exact", "falsification")
    statement = (
        "Augmenting the state with the stock c (c_{t+1} = (c_t + r_t)/gamma) lets distributional DP over (s, c) "
        "optimise expected utilities E f(c0 + G); CVaR_tau(G) = max_c {c - E[(c - G)_+]/tau} via an outer "
        "search over c0. Without augmentation only classic objectives. Mean - lambda variance is not "
        "optimisable (time-inconsistent). [unconfirmed: the paper's recursion, characterisation and bounds]"
    )

    def bound(self):
        return cvar_rockafellar_uryasev()

    def tasks(self, fidelity, root_seed):
        n_tasks, per_task, search = _SIZES[fidelity]
        gen = self.batched_tasks(fidelity, root_seed, n_tasks, {"mdps": per_task})
        return gen + [self.make_task(f"search/{name}", {"search": name, "max_examples": search}, fidelity,
                                     root_seed, stream=f"search/{name}") for name in ("markov", "mean_variance")]

    def run_task(self, task):
        s = task.spec
        if "search" in s:
            if s["search"] == "markov":
                pred, strategy = markov_short, integer_mdps(max_states=2, max_actions=2, max_horizon=4)
            else:
                pred, strategy = mean_variance_inconsistent, integer_mdps(max_states=3, max_actions=2, max_horizon=2)
            m = deterministic_find(strategy, pred, s["max_examples"])
            if m is None:
                return {"found": np.array(0)}
            if s["search"] == "markov":
                values = (best_markov_value(m, lambda d: cvar(d, 0.25)), cvar_optimum(m, 0.25)[0])
            else:
                values = (stagewise_mean_variance_value(m, LAM),
                          max(mean_variance(d, LAM) for d in enumerate_history_policies(m, 4096)))
            return {"found": np.array(1), "text": np.array(describe(m)), "values": np.array(values)}
        rng = np.random.default_rng(task.seed)
        util_err, cvar_err, markov_excess, checked, markov_short_count = 0.0, 0.0, -np.inf, 0, 0
        for _ in range(s["mdps"]):
            mdp = random_integer_mdp(rng)
            gen = enumerate_history_policies(mdp, max_policies=4096)
            if gen is None:
                continue
            dists = list(gen)
            checked += 1
            for f in UTILITIES.values():
                c0 = int(rng.integers(-1, 2))
                best = max(expected_utility(d, f, c0) for d in dists)
                util_err = max(util_err, abs(augmented_optimum(mdp, f, c0) - best) / max(1.0, abs(best)))
            for tau in TAUS:
                best = max(cvar(d, tau) for d in dists)
                cvar_err = max(cvar_err, abs(cvar_optimum(mdp, tau)[0] - best) / max(1.0, abs(best)))
            if mdp.n_actions ** (mdp.n_states * mdp.horizon) <= 4096:
                mk = best_markov_value(mdp, lambda d: cvar(d, 0.25))
                aug = cvar_optimum(mdp, 0.25)[0]
                markov_excess = max(markov_excess, mk - aug)
                markov_short_count += int(mk < aug - TOL)
        return {"utility": np.array(util_err), "cvar": np.array(cvar_err), "markov_excess": np.array(markov_excess),
                "checked": np.array(checked), "markov_short": np.array(markov_short_count)}

    def decide(self, tasks, results):
        gen = [r for t, r in zip(tasks, results, strict=True) if "mdps" in t.spec]
        errors = {}
        if gen:
            errors["expected utilities: |augmented DP - best history-dependent policy| (relative)"] = max(
                float(r["utility"]) for r in gen)
            errors["CVaR: |outer search + augmented DP - best history-dependent policy| (relative)"] = max(
                float(r["cvar"]) for r in gen)
            errors["Markov policies above the augmented optimum (CVaR_0.25)"] = max(
                0.0, max(float(r["markov_excess"]) for r in gen))
        searches = {t.spec["search"]: r for t, r in zip(tasks, results, strict=True) if "search" in t.spec}
        for name, label in (("markov", "no instance where Markov DP falls short found (0 or 1)"),
                            ("mean_variance", "no mean-variance time-inconsistency found (0 or 1)")):
            if name in searches:
                errors[label] = float(int(searches[name]["found"]) == 0)
        v = decide_exact(errors, {k: (0.0 if "(0 or 1)" in k else TOL) for k in errors})
        v = v.with_evidence(examples={name: {"text": str(r["text"]), "values": r["values"].tolist()}
                                  for name, r in searches.items() if int(r["found"])})
        if gen:
            v = v.with_evidence(instances=int(sum(int(r["checked"]) for r in gen)))
            v = v.with_evidence(markov_short=int(sum(int(r["markov_short"]) for r in gen)))
        return v

    def evidence_lines(self, evidence):
        lines = super().evidence_lines(evidence)
        if "instances" in evidence:
            lines.append(f"{evidence['instances']} generated instances checked against enumeration; on "
                         f"{evidence['markov_short']} of them the best Markov policy has a lower CVaR_0.25")
        ex = evidence["examples"]
        if "markov" in ex:
            lines.append(f"smallest instance where Markov policies fall short (CVaR_0.25): {ex['markov']['text']}; "
                         f"best Markov {ex['markov']['values'][0]:.4f} < augmented {ex['markov']['values'][1]:.4f}")
        if "mean_variance" in ex:
            lines.append(f"smallest mean - {LAM} var time inconsistency: {ex['mean_variance']['text']}; stagewise DP "
                         f"{ex['mean_variance']['values'][0]:.4f} < best policy {ex['mean_variance']['values'][1]:.4f}")
        return lines



CLAIM = StockAugmentation()
