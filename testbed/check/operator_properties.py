"""Exact properties of value operators, planners and distributional operators, searched with Hypothesis.

Each property is a predicate on a generated input that is True when the object FAILS it; Hypothesis ``find``
searches the generated inputs (``tabular_envs.strategies.search_mdps``: dense, slow-mixing, near-tie, sparse and
terminal MDPs with gamma up to 0.999), steered by ``hypothesis.target`` towards large errors, and shrinks the first
failure to a small counterexample. No failure within the budget's examples gives ``holds`` ("no counterexample in
N generated inputs"); these properties have no sampling noise.

The object is always called on copies of its inputs (an operator that updates V in place cannot make a property
compare an output with itself); the ``no_input_mutation`` property reports such an update as its own violation, and
``valid_output`` an output that is not finite, of the wrong shape or kind, or (distributional) not a distribution
with sorted distinct atoms and probabilities summing to 1. A non-finite output fails every property.

Tolerances follow the output's dtype: float64 outputs are compared within 1e-8 (1e-9 relative for fixed points);
outputs of lower precision within 100 machine epsilons of their dtype relative to the values' scale (float32:
about 1.2e-5), so a correct float32 or GPU operator is not flagged.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np
from hypothesis import strategies as st

from tabular_envs import TabularMDP, policy_evaluation, policy_iteration
from tabular_envs.dp.distributional import maximal_wasserstein, normalize, wasserstein
from tabular_envs.strategies import (
    SEARCH_GAMMAS,
    SEARCH_MDP_KINDS,
    deterministic_find,
    distributional_instances,
    search_mdps,
)

from ..errors import ProtocolError

__all__ = ["ExactProperty", "OPERATOR_PROPERTIES", "PLANNER_PROPERTIES", "DISTRIBUTIONAL_PROPERTIES",
           "mdp_to_json", "mdp_from_json", "tolerance_for", "planner_certificate", "CERTIFICATE_MDPS"]

TOL = 1e-8
REL_FIXED = 1e-9


def mdp_to_json(mdp: TabularMDP) -> dict:
    return {"P": mdp.P.tolist(), "r": mdp.r.tolist(), "gamma": mdp.gamma}


def mdp_from_json(d: dict) -> TabularMDP:
    return TabularMDP(np.array(d["P"]), np.array(d["r"]), gamma=d["gamma"])


def _copy(mdp: TabularMDP) -> TabularMDP:
    return TabularMDP(mdp.P.copy(), mdp.r.copy(), gamma=mdp.gamma, name=mdp.name)


def _describe(mdp: TabularMDP, **arrays) -> str:
    parts = [f"an MDP with {mdp.n_states} states, {mdp.n_actions} actions, gamma {mdp.gamma}"]
    parts += [f"{k} = {np.array2string(np.asarray(v), precision=4, threshold=20)}" for k, v in arrays.items()]
    return "; ".join(parts)


def _target(value: float, label: str) -> None:
    """Steer the search towards large errors (a no-op outside a search, e.g. when a counterexample is replayed)."""
    if not np.isfinite(value):
        return
    try:
        from hypothesis import target
        target(float(value), label=label)
    except Exception:
        pass


def tolerance_for(raw, values: np.ndarray, base: float) -> float:
    """``base`` for float64 (and integer) outputs; for a floating dtype of lower precision, 100 machine epsilons
    of that dtype times the scale of the values, if larger."""
    dtype = getattr(raw, "dtype", None)
    if dtype is None or not np.issubdtype(dtype, np.floating) or np.dtype(dtype).itemsize >= 8:
        return base
    scale = max(1.0, float(np.max(np.abs(values[np.isfinite(values)]), initial=0.0)))
    return max(base, 100 * float(np.finfo(dtype).eps) * scale)


# every (kind, gamma) of search_mdps gets its share of the examples: one mixed search spends most of them where
# Hypothesis' generator lingers (measured: 79 of 150 inputs were terminal MDPs at gamma 0.9, no slow chain at 0.999)
MDP_STRATA = tuple({"kinds": (k,), "gammas": (g,)} for k in SEARCH_MDP_KINDS for g in SEARCH_GAMMAS)


@dataclass(frozen=True)
class ExactProperty:
    name: str
    description: str
    strategy: Callable[..., st.SearchStrategy]   # called with the keyword arguments of a stratum
    fails: Callable            # (obj, example) -> bool
    to_json: Callable          # example -> dict
    from_json: Callable        # dict -> example
    examples_factor: int = 1   # this property's share of the budget's examples
    strata: tuple = ()         # keyword arguments of the strategy, each searched with an equal share
    report: Callable | None = None   # obj -> a line appended to the detail whatever the verdict (a certificate)

    def n_examples(self, max_examples: int) -> int:
        """How many inputs a search with the budget's ``max_examples`` generates at most."""
        total = max_examples * self.examples_factor
        return max(3, total // len(self.strata)) * len(self.strata) if self.strata else total

    def search(self, obj, max_examples: int):
        """The first counterexample found (shrunk), searching each stratum in turn with its share of the
        examples; None when there is none."""
        total = max_examples * self.examples_factor
        if not self.strata:
            return deterministic_find(self.strategy(), lambda ex: self.fails(obj, ex), total)
        share = self.n_examples(max_examples) // len(self.strata)
        for kwargs in self.strata:
            found = deterministic_find(self.strategy(**kwargs), lambda ex: self.fails(obj, ex), share)
            if found is not None:
                return found
        return None


# ---- value operators: (mdp, V) -> V ---------------------------------------------------------------------------------

def _operator_output(op, mdp, V):
    """(raw output, float64 values or None when the output is not an array of numbers of the right shape)."""
    raw = op(_copy(mdp), V.copy())
    try:
        out = np.asarray(raw, dtype=np.float64)
    except (TypeError, ValueError):
        return raw, None
    if out.shape != (mdp.n_states,):
        return raw, None
    return raw, out


def _apply(op, mdp, V) -> tuple[np.ndarray, float]:
    """The operator's output as float64 values and the tolerance its dtype allows; ProtocolError naming the input
    when it is not an array of numbers of shape (S,)."""
    raw, out = _operator_output(op, mdp, V)
    if out is None:
        shape = getattr(raw, "shape", None)
        raise ProtocolError(f"the operator returned {str(raw)[:80]!r} ({type(raw).__name__}, shape {shape}); "
                            f"expected an array of {mdp.n_states} numbers, for the input {_describe(mdp, V=V)}")
    return out, tolerance_for(raw, out, TOL)


def _vector(n):
    return st.lists(st.integers(-2000, 2000), min_size=n, max_size=n).map(lambda x: np.array(x, dtype=np.float64) / 100)


def _mdp_pair(**kwargs):
    @st.composite
    def build(draw):
        mdp = draw(search_mdps(**kwargs))
        return mdp, draw(_vector(mdp.n_states)), draw(_vector(mdp.n_states))
    return build()


def _pair_json(ex):
    mdp, V, U = ex
    return {"mdp": mdp_to_json(mdp), "V": V.tolist(), "U": U.tolist()}


def _pair_from(d):
    return mdp_from_json(d["mdp"]), np.array(d["V"]), np.array(d["U"])


def _mdp_json(m):
    return {"mdp": mdp_to_json(m)}


def _mdp_from(d):
    return mdp_from_json(d["mdp"])


def _valid_operator_fails(op, ex) -> bool:
    mdp, V, _ = ex
    raw, out = _operator_output(op, mdp, V)
    return out is None or not np.all(np.isfinite(out))


def _mutates_operator(op, mdp, V) -> bool:
    m, v = _copy(mdp), V.copy()
    P0, r0, v0 = m.P.copy(), m.r.copy(), v.copy()
    op(m, v)
    return not (np.array_equal(m.P, P0) and np.array_equal(m.r, r0) and np.array_equal(v, v0, equal_nan=True))


def _contraction_fails(op, ex) -> bool:
    mdp, V, U = ex
    (tv, tol_v), (tu, tol_u) = _apply(op, mdp, V), _apply(op, mdp, U)
    if not (np.all(np.isfinite(tv)) and np.all(np.isfinite(tu))):
        return True
    lhs, rhs = np.max(np.abs(tv - tu)), mdp.gamma * np.max(np.abs(V - U))
    _target(lhs - rhs, "contraction excess")
    return lhs > rhs + max(tol_v, tol_u)


def _monotone_fails(op, ex) -> bool:
    mdp, V, U = ex
    W = V + np.abs(U)                         # W >= V pointwise
    (tw, tol_w), (tv, tol_v) = _apply(op, mdp, W), _apply(op, mdp, V)
    if not (np.all(np.isfinite(tw)) and np.all(np.isfinite(tv))):
        return True
    _target(float(np.max(tv - tw)), "monotonicity excess")
    return bool(np.any(tw < tv - max(tol_w, tol_v)))


def _fixed_point_fails(op, mdp) -> bool:
    """T V* = V* (V* from policy iteration); with the contraction property this makes V* its unique fixed point,
    at the cost of one application instead of iterating to convergence."""
    v_star = policy_iteration(mdp).values
    out, tol = _apply(op, mdp, v_star)
    if not np.all(np.isfinite(out)):
        return True
    err = float(np.max(np.abs(out - v_star)))
    _target(err, "fixed-point residual")
    return err > max(REL_FIXED * max(1.0, float(np.max(np.abs(v_star)))), tol if tol > TOL else 0.0)


def _improvement_fails(op, mdp) -> bool:
    for a in range(mdp.n_actions):
        v_pi = policy_evaluation(mdp, np.full(mdp.n_states, a))
        out, tol = _apply(op, mdp, v_pi)
        if not np.all(np.isfinite(out)) or np.any(out < v_pi - tol):
            return True
    return False


OPERATOR_PROPERTIES = {
    "valid_output": ExactProperty("valid_output", "T V is an array of S finite numbers", _mdp_pair,
                                  _valid_operator_fails, _pair_json, _pair_from, strata=MDP_STRATA),
    "no_input_mutation": ExactProperty("no_input_mutation", "T leaves its inputs (P, r, V) unchanged", _mdp_pair,
                                       lambda op, ex: _mutates_operator(op, ex[0], ex[1]), _pair_json, _pair_from,
                                       strata=MDP_STRATA),
    "contraction": ExactProperty("contraction", "||T V - T U||_inf <= gamma ||V - U||_inf", _mdp_pair,
                                 _contraction_fails, _pair_json, _pair_from, strata=MDP_STRATA),
    "monotone": ExactProperty("monotone", "V <= W implies T V <= T W", _mdp_pair, _monotone_fails, _pair_json,
                              _pair_from, strata=MDP_STRATA),
    "fixed_point": ExactProperty("fixed_point", "T V* = V* (policy iteration's V*) within 1e-9 relative; with "
                                 "contraction, V* is T's unique fixed point", search_mdps, _fixed_point_fails,
                                 _mdp_json, _mdp_from, strata=MDP_STRATA),
    "improvement": ExactProperty("improvement", "T V^pi >= V^pi for every deterministic constant policy pi",
                                 search_mdps, _improvement_fails, _mdp_json, _mdp_from, strata=MDP_STRATA),
}


# ---- planners: mdp -> policy -----------------------------------------------------------------------------------------

def _planner_output(planner, mdp):
    """(the policy as integer indices when valid, else as returned; valid?). Integral floats (1.0) are accepted
    as indices: a policy computed with NumPy float arithmetic is not a bug."""
    pol = np.asarray(planner(_copy(mdp)))
    if pol.shape != (mdp.n_states,):
        return pol, False
    if np.issubdtype(pol.dtype, np.floating) and np.all(np.isfinite(pol)) and np.all(pol == np.round(pol)):
        pol = pol.astype(np.int64)
    ok = np.issubdtype(pol.dtype, np.integer) and not (pol < 0).any() and not (pol >= mdp.n_actions).any()
    return pol, bool(ok)


def _plan(planner, mdp) -> np.ndarray:
    pol, ok = _planner_output(planner, mdp)
    if not ok:
        raise ProtocolError(f"the planner returned {pol!r}; expected {mdp.n_states} action indices in "
                            f"[0, {mdp.n_actions}), for the input {_describe(mdp)}")
    return pol


def _optimality_fails(planner, mdp) -> bool:
    v_star = policy_iteration(mdp).values
    gap = float(np.max(v_star - policy_evaluation(mdp, _plan(planner, mdp))))
    _target(gap / max(1.0, float(np.max(np.abs(v_star)))), "value lost by the planner")
    return gap > 1e-8 * max(1.0, float(np.max(np.abs(v_star))))


def _planner_mutates(planner, mdp) -> bool:
    m = _copy(mdp)
    P0, r0 = m.P.copy(), m.r.copy()
    planner(m)
    return not (np.array_equal(m.P, P0) and np.array_equal(m.r, r0))


def _certificate_mdps():
    from tabular_envs import garnet, river_swim
    return [("Garnet(20 states, 4 actions, gamma 0.9, seed 0)", garnet(20, 4, gamma=0.9, rng=0)),
            ("RiverSwim(6 states, gamma 0.99)", river_swim(6, gamma=0.99))]


CERTIFICATE_MDPS = ("Garnet(20 states, 4 actions, gamma 0.9, seed 0)", "RiverSwim(6 states, gamma 0.99)")


def planner_certificate(planner) -> str:
    """The planner's certificate on two reference MDPs: the sup-norm Bellman residual of its policy's value,
    ||T V^pi - V^pi||_inf, and the guarantee it gives without knowing V*: ||V^pi - V*||_inf <= residual/(1 - gamma)
    (V^pi <= V* <= V^pi + (T V^pi - V^pi)/(1 - gamma), since T is a gamma-contraction). Computed, not trusted from
    the planner; the true gap from policy iteration is shown beside it."""
    lines = []
    for label, mdp in _certificate_mdps():
        try:
            pol = _plan(planner, mdp)
        except Exception as exc:
            lines.append(f"{label}: no certificate ({type(exc).__name__}: {' '.join(str(exc).split())[:200]})")
            continue
        v = policy_evaluation(mdp, pol)
        residual = float(np.max(np.abs((mdp.r + mdp.gamma * mdp.P @ v).max(axis=1) - v)))
        gap = float(np.max(policy_iteration(mdp).values - v))
        lines.append(f"{label}: Bellman residual {residual:.3g}, so ||V^pi - V*||_inf <= "
                     f"{residual / (1 - mdp.gamma):.3g} (true gap {gap:.3g})")
    return "certificate: " + "; ".join(lines)


# validity and mutation need no hard MDP: moderate discounts keep a user's value iteration fast there
_EASY_STRATA = tuple({"kinds": (k,), "gammas": (0.5, 0.9)} for k in SEARCH_MDP_KINDS)

PLANNER_PROPERTIES = {
    "valid_output": ExactProperty("valid_output", "planner(mdp) is S integer action indices in [0, A)", search_mdps,
                                  lambda p, m: not _planner_output(p, m)[1], _mdp_json, _mdp_from,
                                  strata=_EASY_STRATA),
    "no_input_mutation": ExactProperty("no_input_mutation", "the planner leaves P and r unchanged", search_mdps,
                                       _planner_mutates, _mdp_json, _mdp_from, strata=_EASY_STRATA),
    "optimality": ExactProperty("optimality", "V^{planner(mdp)} = V* (policy iteration) within 1e-8", search_mdps,
                                _optimality_fails, _mdp_json, _mdp_from, strata=MDP_STRATA,
                                report=planner_certificate),
}


# ---- distributional operators: (mdp, policy, eta) -> eta ------------------------------------------------------------

@st.composite
def _policies(draw, S: int, A: int):
    """Uniform, deterministic (one action per state) or random stochastic policies (rows on a grid of 1/8)."""
    kind = draw(st.sampled_from(("uniform", "deterministic", "stochastic")))
    if kind == "uniform":
        return np.full((S, A), 1.0 / A)
    if kind == "deterministic":
        pi = np.zeros((S, A))
        pi[np.arange(S), draw(st.lists(st.integers(0, A - 1), min_size=S, max_size=S))] = 1.0
        return pi
    w = np.array(draw(st.lists(st.integers(0, 8), min_size=S * A, max_size=S * A)), dtype=float).reshape(S, A)
    w[w.sum(axis=1) == 0, 0] = 1.0
    return w / w.sum(axis=1, keepdims=True)


def _dist_instance():
    @st.composite
    def build(draw):
        mdp, e1, e2 = draw(distributional_instances(max_states=3, max_actions=3))
        return mdp, draw(_policies(mdp.n_states, mdp.n_actions)), e1, e2
    return build()


def _dist_valid(out, S: int) -> bool:
    """A list of S pairs (atoms, probs): finite, sorted distinct atoms, probabilities >= 0 summing to 1 (within
    1e-9, or 100 machine epsilons per atom of a lower-precision dtype)."""
    try:
        if len(out) != S:
            return False
        for pair in out:
            raw_probs = np.asarray(pair[1])
            atoms, probs = np.asarray(pair[0], dtype=np.float64), np.asarray(raw_probs, dtype=np.float64)
            sum_tol = tolerance_for(raw_probs, np.array([float(probs.size)]), 1e-9)   # scale: the atom count
            if (atoms.ndim != 1 or atoms.shape != probs.shape or atoms.size == 0 or not np.all(np.isfinite(atoms))
                    or not np.all(np.isfinite(probs)) or np.any(probs < 0) or abs(probs.sum() - 1) > sum_tol
                    or np.any(np.diff(atoms) <= 0)):
                return False
    except (TypeError, ValueError):
        return False
    return True


def _dist_apply(op, mdp, pi, eta):
    out = op(_copy(mdp), pi.copy(), [(a.copy(), p.copy()) for a, p in eta])
    if not _dist_valid(out, mdp.n_states):
        return None
    return [(np.asarray(a, dtype=np.float64), np.asarray(p, dtype=np.float64)) for a, p in out]


def _dist_valid_fails(op, ex) -> bool:
    mdp, pi, e1, _ = ex
    return _dist_apply(op, mdp, pi, e1) is None


def _dist_mutates(op, ex) -> bool:
    mdp, pi, e1, _ = ex
    m, p = _copy(mdp), pi.copy()
    eta = [(a.copy(), q.copy()) for a, q in e1]
    P0, r0, p0, eta0 = m.P.copy(), m.r.copy(), p.copy(), [(a.copy(), q.copy()) for a, q in eta]
    op(m, p, eta)
    same = (
        np.array_equal(m.P, P0)
        and np.array_equal(m.r, r0)
        and np.array_equal(p, p0)
        and all(np.array_equal(a, a0) and np.array_equal(q, q0) for (a, q), (a0, q0) in zip(eta, eta0, strict=True))
    )
    return not same


def _dist_contraction_fails(op, ex) -> bool:
    mdp, pi, e1, e2 = ex
    t1, t2 = _dist_apply(op, mdp, pi, e1), _dist_apply(op, mdp, pi, e2)
    if t1 is None or t2 is None:
        return True
    d = maximal_wasserstein(e1, e2, 1)
    lhs = maximal_wasserstein(t1, t2, 1)
    _target(lhs - mdp.gamma * d, "W1 contraction excess")
    return lhs > mdp.gamma * d * (1 + 1e-9) + 1e-12


def _dist_mean_fails(op, ex) -> bool:
    """The mean of (T^pi eta)(s) is sum_a pi(a|s) [r(s, a) + gamma sum_s' P(s'|s, a) E[eta(s')]] (linearity of
    expectation): catches operators that ignore the policy, discount the reward or drop a term."""
    mdp, pi, e1, _ = ex
    out = _dist_apply(op, mdp, pi, e1)
    if out is None:
        return True
    means = np.array([float(np.dot(a, p)) for a, p in e1])
    expected = (pi * (mdp.r + mdp.gamma * mdp.P @ means)).sum(axis=1)
    got = np.array([float(np.dot(a, p)) for a, p in out])
    err = float(np.max(np.abs(got - expected)))
    _target(err, "mean error")
    return err > 1e-9 * max(1.0, float(np.max(np.abs(expected))))


def return_distribution(mdp: TabularMDP, pi: np.ndarray) -> list:
    """The exact return distribution eta^pi of a ``terminal`` MDP (``search_mdps``: states move only to later states,
    the last absorbs with reward 0): by backward induction over the states, finite support."""
    S = mdp.n_states
    eta = [None] * S
    eta[S - 1] = (np.array([0.0]), np.array([1.0]))
    for s in range(S - 2, -1, -1):
        atoms, probs = [], []
        for a in range(mdp.n_actions):
            for s2 in range(s + 1, S):
                w = pi[s, a] * mdp.P[s, a, s2]
                if w > 0:
                    atoms.append(mdp.r[s, a] + mdp.gamma * eta[s2][0])
                    probs.append(w * eta[s2][1])
        eta[s] = normalize(np.concatenate(atoms), np.concatenate(probs))
    return eta


def _terminal_instance():
    @st.composite
    def build(draw):
        mdp = draw(search_mdps(max_states=5, kinds=("terminal",)))
        return mdp, draw(_policies(mdp.n_states, mdp.n_actions))
    return build()


def _dist_fixed_point_fails(op, ex) -> bool:
    """T^pi eta^pi = eta^pi for the exact return distribution eta^pi of a terminal MDP (finite support)."""
    mdp, pi = ex
    eta = return_distribution(mdp, pi)
    out = _dist_apply(op, mdp, pi, eta)
    if out is None:
        return True
    err = max(wasserstein(a, b, 1) for a, b in zip(out, eta, strict=True))
    _target(err, "W1 distance to the return distribution")
    return err > 1e-9 * max(1.0, max(float(np.max(np.abs(a))) for a, _ in eta))


def _dist_json(ex):
    mdp, pi, e1, e2 = ex
    return {"mdp": mdp_to_json(mdp), "policy": pi.tolist(), "eta1": [[a.tolist(), p.tolist()] for a, p in e1],
            "eta2": [[a.tolist(), p.tolist()] for a, p in e2]}


def _dist_from(d):
    eta = lambda e: [(np.array(a), np.array(p)) for a, p in e]  # noqa: E731
    return mdp_from_json(d["mdp"]), np.array(d["policy"]), eta(d["eta1"]), eta(d["eta2"])


def _terminal_json(ex):
    mdp, pi = ex
    return {"mdp": mdp_to_json(mdp), "policy": pi.tolist()}


def _terminal_from(d):
    return mdp_from_json(d["mdp"]), np.array(d["policy"])


DISTRIBUTIONAL_PROPERTIES = {
    "valid_output": ExactProperty("valid_output", "T eta is S distributions: finite sorted distinct atoms, "
                                  "probabilities >= 0 summing to 1", _dist_instance, _dist_valid_fails, _dist_json,
                                  _dist_from),
    "no_input_mutation": ExactProperty("no_input_mutation", "T leaves mdp, policy and eta unchanged", _dist_instance,
                                       _dist_mutates, _dist_json, _dist_from),
    "contraction_w1": ExactProperty("contraction_w1", "maximal W_1(T eta1, T eta2) <= gamma maximal W_1(eta1, eta2), "
                                    "uniform, deterministic and stochastic policies", _dist_instance,
                                    _dist_contraction_fails, _dist_json, _dist_from, examples_factor=20),
    "mean_consistency": ExactProperty("mean_consistency", "E[(T^pi eta)(s)] = sum_a pi(a|s) [r(s,a) + gamma E_P "
                                      "E[eta(S')]]", _dist_instance, _dist_mean_fails, _dist_json, _dist_from),
    "fixed_point": ExactProperty("fixed_point", "T^pi eta^pi = eta^pi for the exact (finite-support) return "
                                 "distribution of terminal MDPs, within W_1 1e-9", _terminal_instance,
                                 _dist_fixed_point_fails, _terminal_json, _terminal_from),
}
