"""Exact properties of value operators, planners and distributional operators, searched with Hypothesis.

Each property is a predicate on a generated input that is True when the object FAILS it; Hypothesis ``find``
searches the generated inputs and shrinks the first failure to a small counterexample. No failure within the
budget's examples gives ``holds`` ("no counterexample in N generated inputs"); these properties have no sampling
noise, so there is no false-alarm rate beyond the numerical tolerances stated.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np
from hypothesis import strategies as st

from tabular_envs import TabularMDP, policy_evaluation, policy_iteration
from tabular_envs.dp.distributional import maximal_wasserstein
from tabular_envs.strategies import deterministic_find, distributional_instances, mdps

from ..errors import ProtocolError

__all__ = ["ExactProperty", "OPERATOR_PROPERTIES", "PLANNER_PROPERTIES", "DISTRIBUTIONAL_PROPERTIES",
           "mdp_to_json", "mdp_from_json"]

TOL = 1e-8


def mdp_to_json(mdp: TabularMDP) -> dict:
    return {"P": mdp.P.tolist(), "r": mdp.r.tolist(), "gamma": mdp.gamma}


def mdp_from_json(d: dict) -> TabularMDP:
    return TabularMDP(np.array(d["P"]), np.array(d["r"]), gamma=d["gamma"])


def _vector(n):
    return st.lists(st.integers(-20, 20), min_size=n, max_size=n).map(lambda x: np.array(x, dtype=np.float64) / 4)


def _apply(op, mdp, V) -> np.ndarray:
    raw = op(mdp, V)
    try:
        out = np.asarray(raw, dtype=np.float64)
    except (TypeError, ValueError):
        raise ProtocolError(f"the operator returned {str(raw)[:80]!r} ({type(raw).__name__}), not an array of "
                            "numbers") from None
    if out.shape != (mdp.n_states,):
        raise ProtocolError(f"the operator returned shape {out.shape}; expected ({mdp.n_states},)")
    return out


@dataclass(frozen=True)
class ExactProperty:
    name: str
    description: str
    strategy: Callable[[], st.SearchStrategy]
    fails: Callable            # (obj, example) -> bool
    to_json: Callable          # example -> dict
    from_json: Callable        # dict -> example

    def search(self, obj, max_examples: int):
        return deterministic_find(self.strategy(), lambda ex: self.fails(obj, ex), max_examples)


def _mdp_pair():
    @st.composite
    def build(draw):
        mdp = draw(mdps(max_states=5, max_actions=3, gamma=st.sampled_from([0.0, 0.5, 0.9])))
        return mdp, draw(_vector(mdp.n_states)), draw(_vector(mdp.n_states))
    return build()


def _mdp_only():
    return mdps(max_states=6, max_actions=3, gamma=st.sampled_from([0.0, 0.5, 0.9, 0.99]))


def _pair_json(ex):
    mdp, V, U = ex
    return {"mdp": mdp_to_json(mdp), "V": V.tolist(), "U": U.tolist()}


def _pair_from(d):
    return mdp_from_json(d["mdp"]), np.array(d["V"]), np.array(d["U"])


def _contraction_fails(op, ex) -> bool:
    mdp, V, U = ex
    lhs = np.max(np.abs(_apply(op, mdp, V) - _apply(op, mdp, U)))
    return lhs > mdp.gamma * np.max(np.abs(V - U)) + TOL


def _monotone_fails(op, ex) -> bool:
    mdp, V, U = ex
    W = V + np.abs(U)                         # W >= V pointwise
    return bool(np.any(_apply(op, mdp, W) < _apply(op, mdp, V) - TOL))


def _fixed_point_fails(op, mdp) -> bool:
    """T V* = V* (V* from policy iteration); with the contraction property this makes V* its unique fixed point,
    at the cost of one application instead of iterating to convergence."""
    v_star = policy_iteration(mdp).values
    return bool(np.max(np.abs(_apply(op, mdp, v_star) - v_star)) > 1e-9 * max(1.0, np.max(np.abs(v_star))))


def _improvement_fails(op, mdp) -> bool:
    for a in range(mdp.n_actions):
        v_pi = policy_evaluation(mdp, np.full(mdp.n_states, a))
        if np.any(_apply(op, mdp, v_pi) < v_pi - TOL):
            return True
    return False


OPERATOR_PROPERTIES = {
    "contraction": ExactProperty("contraction", "||T V - T U||_inf <= gamma ||V - U||_inf", _mdp_pair,
                                 _contraction_fails, _pair_json, _pair_from),
    "monotone": ExactProperty("monotone", "V <= W implies T V <= T W", _mdp_pair, _monotone_fails, _pair_json,
                              _pair_from),
    "fixed_point": ExactProperty("fixed_point", "T V* = V* (policy iteration's V*) within 1e-9; with contraction, V* "
                                 "is T's unique fixed point",
                                 _mdp_only, _fixed_point_fails, lambda m: {"mdp": mdp_to_json(m)},
                                 lambda d: mdp_from_json(d["mdp"])),
    "improvement": ExactProperty("improvement", "T V^pi >= V^pi for every deterministic constant policy pi",
                                 _mdp_only, _improvement_fails, lambda m: {"mdp": mdp_to_json(m)},
                                 lambda d: mdp_from_json(d["mdp"])),
}


def _plan(planner, mdp) -> np.ndarray:
    pol = np.asarray(planner(mdp))
    if (
        pol.shape != (mdp.n_states,)
        or not np.issubdtype(pol.dtype, np.integer)
        or (pol < 0).any()
        or (pol >= mdp.n_actions).any()
    ):
        raise ProtocolError(
            f"the planner returned {pol!r}; expected {mdp.n_states} action indices in [0, {mdp.n_actions})"
        )
    return pol


def _optimality_fails(planner, mdp) -> bool:
    v_star = policy_iteration(mdp).values
    return bool(np.any(policy_evaluation(mdp, _plan(planner, mdp)) < v_star - 1e-8 * max(1.0, np.max(np.abs(v_star)))))


PLANNER_PROPERTIES = {
    "optimality": ExactProperty(
        "optimality",
        "V^{planner(mdp)} = V* (policy iteration) within 1e-8",
        _mdp_only,
        _optimality_fails,
        lambda m: {"mdp": mdp_to_json(m)},
        lambda d: mdp_from_json(d["mdp"]),
    ),
}


def _dist_instance():
    return distributional_instances().map(
        lambda x: (x[0], np.full((x[0].n_states, x[0].n_actions), 1.0 / x[0].n_actions), x[1], x[2]))


def _dist_contraction_fails(op, ex) -> bool:
    mdp, pi, e1, e2 = ex
    d = maximal_wasserstein(e1, e2, 1)
    return maximal_wasserstein(op(mdp, pi, e1), op(mdp, pi, e2), 1) > mdp.gamma * d * (1 + 1e-9) + 1e-12


def _dist_json(ex):
    mdp, pi, e1, e2 = ex
    return {"mdp": mdp_to_json(mdp), "policy": pi.tolist(), "eta1": [[a.tolist(), p.tolist()] for a, p in e1],
            "eta2": [[a.tolist(), p.tolist()] for a, p in e2]}


def _dist_from(d):
    eta = lambda e: [(np.array(a), np.array(p)) for a, p in e]  # noqa: E731
    return mdp_from_json(d["mdp"]), np.array(d["policy"]), eta(d["eta1"]), eta(d["eta2"])


DISTRIBUTIONAL_PROPERTIES = {
    "contraction_w1": ExactProperty("contraction_w1", "maximal W_1(T eta1, T eta2) <= gamma maximal W_1(eta1, eta2)",
                                    _dist_instance, _dist_contraction_fails, _dist_json, _dist_from),
}
