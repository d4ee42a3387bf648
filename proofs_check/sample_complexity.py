"""Formulas of the sample-complexity family (S1-S9): agents that learn from sampled transitions.

Each function returns a ``Bound`` naming its source and theorem; transcriptions the catalogue marks unconfirmed
say so in ``conditions``.
"""
from __future__ import annotations

import sympy as sp

from .bound import Bound
from .symbols import gamma

__all__ = ["generative_model_crude_bound", "q_learning_one_over_t_error", "q_learning_rescaled_linear_error",
           "one_over_t_iterations_to_eps"]

N_s, S_s, A_s, delta_s = sp.symbols("N S A delta", positive=True)
T_s, v_star, eps_s = sp.symbols("T V_star epsilon", positive=True)


def generative_model_crude_bound() -> Bound:
    """Agarwal, Jiang, Kakade, Sun (monograph, 2019-), Prop. 2.4: with N samples per (s, a), with probability at
    least 1 - delta, ||Q* - Q_hat*||_inf <= gamma / (1 - gamma)^2 sqrt(2 log(2 S A / delta) / N) (rewards in
    [0, 1]) [unconfirmed transcription, from lecture notes of the monograph]."""
    return Bound(name="generative_model_crude_bound",
                 expr=gamma / (1 - gamma) ** 2 * sp.sqrt(2 * sp.log(2 * S_s * A_s / delta_s) / N_s),
                 direction="upper", quantity="||Q* - Q_hat*||_inf with probability >= 1 - delta",
                 source="Agarwal, Jiang, Kakade, Sun, Reinforcement Learning: Theory and Algorithms",
                 theorem="Prop. 2.4 (crude bound)",
                 conditions=("N next states per (s, a) from a generative model", "rewards in [0, 1]",
                             "[unconfirmed transcription: lecture notes of the monograph]"), finite_time=True)


def q_learning_one_over_t_error() -> Bound:
    """One state, one action, r = 1, Q_0 = 0, V* = 1/(1 - gamma), eta_t = 1/t: Y_t = V* - Q_t obeys
    Y_t = Y_{t-1} (1 - (1 - gamma)/t) exactly, so Y_T = V* prod_{t=1}^T (t - 1 + gamma)/t
    = V* Gamma(T + gamma) / (Gamma(gamma) Gamma(T + 1)) (derived; Even-Dar & Mansour 2003 state the consequence:
    the number of iterations is exponential in 1/(1 - gamma)). Written with log-Gamma (the same value, no overflow
    at large T, and no clash between the Gamma function and the discount symbol in generated code)."""
    return Bound(name="q_learning_one_over_t_error",
                 expr=v_star * sp.exp(sp.loggamma(T_s + gamma) - sp.loggamma(gamma) - sp.loggamma(T_s + 1)),
                 direction="exact", quantity="V* - Q_T (one state, eta_t = 1/t)",
                 source="Even-Dar & Mansour (2003), Learning rates for Q-learning (abstract); derived",
                 theorem="closed form of the 1/t recursion", conditions=("one state, one action, r = 1, Q_0 = 0",),
                 finite_time=True)


def q_learning_rescaled_linear_error() -> Bound:
    """Same recursion with eta_t = 1/(1 + (1 - gamma) t): Y_t = Y_{t-1} (1 + (1 - gamma)(t - 1))/(1 + (1 - gamma) t),
    which telescopes to Y_T = V* / (1 + (1 - gamma) T) (derived)."""
    return Bound(name="q_learning_rescaled_linear_error", expr=v_star / (1 + (1 - gamma) * T_s),
                 direction="exact", quantity="V* - Q_T (one state, eta_t = 1/(1 + (1 - gamma) t))",
                 source="Li, Cai, Chen, Wei, Chi (2021) rate; derived", theorem="telescoping product",
                 conditions=("one state, one action, r = 1, Q_0 = 0",), finite_time=True)


def one_over_t_iterations_to_eps() -> Bound:
    """From Y_T ~ V* T^{-(1 - gamma)} / Gamma(gamma): the iterations for error eps under eta_t = 1/t grow like
    (V* / (eps Gamma(gamma)))^{1/(1 - gamma)} (derived asymptotics; exponential in 1/(1 - gamma))."""
    return Bound(name="one_over_t_iterations_to_eps",
                 expr=sp.exp((sp.log(v_star / eps_s) - sp.loggamma(gamma)) / (1 - gamma)), direction="exact",
                 quantity="iterations T_eps with V* - Q_T <= eps (eta_t = 1/t), asymptotically",
                 source="Even-Dar & Mansour (2003); derived", theorem="asymptotics of the closed form",
                 conditions=("one state, one action, r = 1, Q_0 = 0", "asymptotic in T"), finite_time=False)
