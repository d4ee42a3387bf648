"""Model-based generalization by enumeration (claim D13; Young et al. 2023, statement reconstructed).

Deterministic dynamics on binary state vectors. ``consistent_tabular_values``: V*(s0) of every tabular model that
reproduces the observed transitions (unobserved pairs free): the values consistent with the Bellman equation on
the data. ``factored_consistent_values``: V*(s0) of every FACTORED model (each variable's next value a table of
its own value and the action) that reproduces them.
"""
from __future__ import annotations

import itertools

import numpy as np

from tabular_envs.mdp.model import TabularMDP
from tabular_envs.mdp.solvers import policy_iteration

__all__ = ["consistent_tabular_values", "factored_models", "factored_next", "factored_consistent_values"]


def consistent_tabular_values(r, gamma, known: dict, S: int, A: int, start: int = 0) -> set:
    """V*(start) of every deterministic tabular model agreeing with the observed transitions ``known`` ((s, a) ->
    s'), the unobserved pairs free: the values consistent with the Bellman equation on the data."""
    free = [(s, a) for s in range(S) for a in range(A) if (s, a) not in known]
    out = set()
    for nxt in itertools.product(range(S), repeat=len(free)):
        P = np.zeros((S, A, S))
        for (s, a), s2 in known.items():
            P[s, a, s2] = 1
        for (s, a), s2 in zip(free, nxt, strict=True):
            P[s, a, s2] = 1
        out.add(round(float(policy_iteration(TabularMDP(P, r, gamma=gamma)).values[start]), 10))
    return out


def factored_models(n_vars: int, A: int):
    """Deterministic factored dynamics on binary state vectors: variable i's next value is a table of (x_i, a)."""
    tables = list(itertools.product((0, 1), repeat=2 * A))
    for choice in itertools.product(tables, repeat=n_vars):
        yield choice


def factored_next(choice, s: int, a: int, A: int) -> int:
    """The next state of binary state ``s`` under action ``a`` in the factored model ``choice`` (one table of
    (x_i, a) per variable)."""
    bits = [(s >> i) & 1 for i in range(len(choice))]
    return sum(choice[i][bits[i] * A + a] << i for i in range(len(choice)))


def factored_consistent_values(r, gamma, known: dict, n_vars: int, A: int, start: int = 0) -> set:
    """V*(start) of every factored model (``factored_models``) that reproduces the observed transitions."""
    S = 2 ** n_vars
    out = set()
    for choice in factored_models(n_vars, A):
        if any(factored_next(choice, s, a, A) != s2 for (s, a), s2 in known.items()):
            continue
        P = np.zeros((S, A, S))
        for s in range(S):
            for a in range(A):
                P[s, a, factored_next(choice, s, a, A)] = 1
        out.add(round(float(policy_iteration(TabularMDP(P, r, gamma=gamma)).values[start]), 10))
    return out
