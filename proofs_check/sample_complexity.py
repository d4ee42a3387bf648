"""Formulas of the sample-complexity family (S1-S9): agents that learn from sampled transitions.

Each function returns a ``Bound`` naming its source and theorem; transcriptions the catalogue marks unconfirmed
say so in ``conditions``.
"""
from __future__ import annotations

import sympy as sp

from .bound import Bound
from .errors import BoundError
from .gamma_ratio import log_gamma_ratio
from .symbols import gamma

__all__ = ["generative_model_crude_bound", "azar_certainty_equivalence_error", "azar_certainty_equivalence_exact_error",
           "azar_horizon_slope_threshold", "q_learning_one_over_t_error", "q_learning_rescaled_linear_error",
           "one_over_t_iterations_to_eps", "ucbvi_ch_regret_bound", "ucbvi_bf_regret_bound", "ucrl2_regret_bound",
           "ucb_h_learning_rate", "ucb_h_weight", "rf_express_episodes", "reward_scale_conversion",
           "episodic_regret_lower_bounds"]

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


def azar_certainty_equivalence_error() -> Bound:
    """Leading-order mean error of planning in the empirical model on the hard instance of Azar, Munos, Kappen
    (2013, Thm 3), with N samples per pair. Only p = (4 gamma - 1)/(3 gamma), the stay probability of state y, is
    estimated; V(y) = f(p) = 1/(1 - gamma p), the error at z is gamma times the error at y and x is exact, so
    ||Q* - Q_hat*||_inf = |f(p_hat) - f(p)|. The delta method (|f'(p)| sqrt(p(1 - p)/N) times E|Z| = sqrt(2/pi))
    with 1 - gamma p = 4 (1 - gamma)/3 gives
        E||Q* - Q_hat*||_inf ~ sqrt(2/pi) (3/16) sqrt(4 gamma - 1) (1 - gamma)^(-3/2) N^(-1/2),
    the (1 - gamma)^(-3/2) of Azar et al.'s lower bound (and of Agarwal, Kakade, Yang 2020, Thm 1) times a prefactor
    sqrt(4 gamma - 1) that still grows with gamma below gamma = 1 (derived here; checked against
    :func:`azar_certainty_equivalence_exact_error`)."""
    expr = sp.sqrt(2 / sp.pi) * sp.Rational(3, 16) * sp.sqrt(4 * gamma - 1) * (1 - gamma) ** sp.Rational(-3, 2) \
        / sp.sqrt(N_s)
    return Bound(name="azar_certainty_equivalence_error", expr=expr, direction="exact",
                 quantity="E||Q* - Q_hat*||_inf on the Azar instance, to leading order in 1/N",
                 source="Azar, Munos, Kappen (2013), hard instance; delta method (derived)",
                 theorem="Thm 3 (instance); leading-order expansion", conditions=("gamma in [1/4, 1)", "N -> infinity"),
                 finite_time=False)


def azar_certainty_equivalence_exact_error(gamma_value: float, N_value: int) -> float:
    """E|f(p_hat) - f(p)| exactly, by enumerating p_hat = k/N, k ~ Binomial(N, p) (the finite-N value of
    :func:`azar_certainty_equivalence_error`, with no expansion)."""
    import numpy as np
    from scipy.stats import binom
    g = float(gamma_value)
    if not 0.25 <= g < 1:
        raise BoundError(f"gamma_value: the Azar instance needs gamma in [1/4, 1), got {gamma_value!r}")
    if isinstance(N_value, bool) or int(N_value) != N_value or N_value < 1:
        raise BoundError(f"N_value must be an integer >= 1 (samples per pair), got {N_value!r}")
    n = int(N_value)
    p = (4 * g - 1) / (3 * g)
    k = np.arange(n + 1)
    f = 1.0 / (1.0 - g * k / n)
    return float(np.sum(binom.pmf(k, n, p) * np.abs(f - 1.0 / (1.0 - g * p))))


def azar_horizon_slope_threshold(gammas, N_value: int, allowance: float) -> tuple[float, dict]:
    """The threshold on the least-squares slope of log E||Q* - Q_hat*||_inf against log 1/(1 - gamma) over
    ``gammas`` at N samples per pair: the theorem's exponent 3/2, plus what the finite-gamma prefactor
    sqrt(4 gamma - 1) adds to a slope fitted on these gamma (exact, from the SymPy form), plus what finite N adds
    (the exact enumeration's slope minus the leading order's), plus ``allowance`` (declared with the claim).
    Returns the threshold and its parts."""
    import numpy as np
    if len(gammas) < 2 or len(set(gammas)) < 2:
        raise BoundError(f"gammas: a slope needs at least two distinct discounts, got {gammas!r}")
    x = np.log([1.0 / (1.0 - g) for g in gammas])
    lead = azar_certainty_equivalence_error()
    leading = np.log([float(lead.evaluate(gamma=g, N=N_value)) for g in gammas])
    exact = np.log([azar_certainty_equivalence_exact_error(g, N_value) for g in gammas])
    fit = lambda y: float(np.polyfit(x, y, 1)[0])   # noqa: E731
    parts = {"theorem": 1.5, "finite_gamma_prefactor": fit(leading) - 1.5, "finite_N": fit(exact) - fit(leading),
             "allowance": float(allowance)}
    return sum(parts.values()), parts


def q_learning_one_over_t_error() -> Bound:
    """One state, one action, r = 1, Q_0 = 0, V* = 1/(1 - gamma), eta_t = 1/t: Y_t = V* - Q_t obeys
    Y_t = Y_{t-1} (1 - (1 - gamma)/t) exactly, so Y_T = V* prod_{t=1}^T (t - 1 + gamma)/t
    = V* Gamma(T + gamma) / (Gamma(gamma) Gamma(T + 1)) (derived; Even-Dar & Mansour 2003 state the consequence:
    the number of iterations is exponential in 1/(1 - gamma)). Written with log-Gamma (the same value, no overflow
    at large T, and no clash between the Gamma function and the discount symbol in generated code); the ratio
    Gamma(T + gamma) / Gamma(T + 1) through :func:`proofs_check.gamma_ratio.log_gamma_ratio`, whose compiled form does
    not cancel two log-gammas of size T ln T (1e-5 relative error at T = 8.6e9 before)."""
    return Bound(name="q_learning_one_over_t_error",
                 expr=v_star * sp.exp(log_gamma_ratio(T_s, gamma, 1) - sp.loggamma(gamma)),
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


K_s, H_s, D_s = sp.symbols("K H D", positive=True)
t_s, i_s = sp.symbols("t i", positive=True, integer=True)


def ucbvi_ch_regret_bound() -> Bound:
    """Azar, Osband, Munos (2017), Thm 1 (UCBVI-CH, bonus 7 H L / sqrt(N)): with probability at least 1 - delta,
    Regret(K) <= 20 H^{3/2} L sqrt(S A K) + 250 H^2 S^2 A L^2, L = ln(5 H S A T / delta), T = K H (the leading term
    is 20 H L sqrt(S A T)) [constants unconfirmed: the third-party transcription notes that the appendix does not
    reproduce 20 and 250]."""
    L = sp.log(5 * H_s * S_s * A_s * K_s * H_s / delta_s)
    return Bound(name="ucbvi_ch_regret_bound",
                 expr=(20 * H_s ** sp.Rational(3, 2) * L * sp.sqrt(S_s * A_s * K_s)
                       + 250 * H_s ** 2 * S_s ** 2 * A_s * L ** 2),
                 direction="upper", quantity="pseudo-regret after K episodes, with probability >= 1 - delta",
                 source="Azar, Osband, Munos (2017), Minimax regret bounds for reinforcement learning",
                 theorem="Thm 1 (UCBVI-CH)",
                 conditions=("episodic, time-homogeneous P, known rewards in [0, 1]", "T = K H steps",
                             "[unconfirmed constants 20 and 250]"), finite_time=True)


def ucbvi_bf_regret_bound() -> Bound:
    """Azar, Osband, Munos (2017), Thm 2 (UCBVI-BF): with probability at least 1 - delta,
    Regret(K) <= 30 H L sqrt(S A K) + 2500 H^2 S^2 A L^2 + 4 H^{3/2} sqrt(K L), L = ln(5 H S A T / delta),
    T = K H [constants unconfirmed, as for Thm 1]."""
    L = sp.log(5 * H_s * S_s * A_s * K_s * H_s / delta_s)
    return Bound(name="ucbvi_bf_regret_bound",
                 expr=(30 * H_s * L * sp.sqrt(S_s * A_s * K_s) + 2500 * H_s ** 2 * S_s ** 2 * A_s * L ** 2
                       + 4 * H_s ** sp.Rational(3, 2) * sp.sqrt(K_s * L)),
                 direction="upper", quantity="pseudo-regret after K episodes, with probability >= 1 - delta",
                 source="Azar, Osband, Munos (2017), Minimax regret bounds for reinforcement learning",
                 theorem="Thm 2 (UCBVI-BF)",
                 conditions=("episodic, time-homogeneous P, known rewards in [0, 1]", "T = K H steps",
                             "[unconfirmed constants 30, 2500 and 4]"), finite_time=True)


def ucrl2_regret_bound() -> Bound:
    """Jaksch, Ortner, Auer (2010), Thm 2: with probability at least 1 - delta, for all T > 1, the realised regret
    T rho* - sum_t r_t <= 34 D S sqrt(A T ln(T / delta)) (communicating MDP, diameter D, rewards in [0, 1];
    constant 34 confirmed in the proof text)."""
    return Bound(name="ucrl2_regret_bound", expr=34 * D_s * S_s * sp.sqrt(A_s * T_s * sp.log(T_s / delta_s)),
                 direction="upper", quantity="realised regret T rho* - sum of rewards, with probability >= 1 - delta",
                 source="Jaksch, Ortner, Auer (2010), Near-optimal regret bounds for reinforcement learning",
                 theorem="Thm 2", conditions=("communicating MDP with diameter D", "rewards in [0, 1]", "T > 1"),
                 finite_time=True)


def ucb_h_learning_rate() -> Bound:
    """Jin, Allen-Zhu, Bubeck, Jordan (2018), Sec. 3: alpha_t = (H + 1)/(H + t), t the visit count after the
    increment; alpha_1 = 1, so the initial value H is forgotten at the first visit."""
    return Bound(name="ucb_h_learning_rate", expr=(H_s + 1) / (H_s + t_s), direction="exact",
                 quantity="learning rate alpha_t", source="Jin, Allen-Zhu, Bubeck, Jordan (2018), Is Q-learning "
                 "provably efficient?", theorem="Sec. 3, Algorithm 1", conditions=("t >= 1",), finite_time=True)


def ucb_h_weight() -> Bound:
    """Jin et al. (2018), Eq. (4.1): alpha_t^i = alpha_i prod_{j=i+1}^t (1 - alpha_j) with alpha_j = (H+1)/(H+j),
    the weight of the i-th visit's target in Q after t visits. In closed form (the product telescopes in Gamma
    functions, 1 - alpha_j = (j - 1)/(H + j)): alpha_t^i = (H + 1)/(H + i) * Gamma(t) Gamma(H + i + 1) /
    (Gamma(i) Gamma(H + t + 1)) for 1 <= i <= t (derived)."""
    # the two Gamma ratios without cancellation (2e-9 relative error at t = 2e6 as four log-gammas)
    log_ratio = log_gamma_ratio(t_s, 0, H_s + 1) - log_gamma_ratio(i_s, 0, H_s + 1)
    expr = (H_s + 1) / (H_s + i_s) * sp.exp(log_ratio)
    return Bound(name="ucb_h_weight", expr=expr, direction="exact", quantity="alpha_t^i",
                 source="Jin, Allen-Zhu, Bubeck, Jordan (2018)", theorem="Eq. (4.1); closed form derived",
                 conditions=("1 <= i <= t",), finite_time=True)


def rf_express_episodes() -> Bound:
    """Ménard et al. (2021), RF-Express: O~(H^3 S^2 A / eps^2) exploration episodes for eps-optimal planning for
    every reward at once (r_h in [0, 1], stage-dependent P_h; logarithmic factors and constants dropped)."""
    return Bound(name="rf_express_episodes", expr=H_s ** 3 * S_s ** 2 * A_s / eps_s ** 2, direction="upper",
                 quantity="exploration episodes, up to constants and logarithms",
                 source="Ménard, Domingues, Jonsson, Kaufmann, Leurent, Valko (2021), Fast active learning for pure "
                 "exploration in reinforcement learning", theorem="RF-Express sample complexity",
                 conditions=("r_h in [0, 1] per step, absolute eps (V <= H)", "stage-dependent P_h",
                             "O~: constants and logarithms dropped"), finite_time=False)


def reward_scale_conversion() -> tuple[sp.Expr, sp.Expr]:
    """The two reward normalisations: with r_h in [0, 1] values lie in [0, H]; dividing the rewards by H gives
    sum_h r_h <= 1, values in [0, 1], and an absolute accuracy eps becomes eps / H. Returns (RF-Express's
    episodes rewritten for a relative accuracy eps_rel = eps / H, i.e. H S^2 A / eps_rel^2; Zhang, Du, Ji's
    (2021) S^2 A / eps_rel^2 for homogeneous P with sum r <= 1)."""
    eps_rel = sp.Symbol("epsilon_rel", positive=True)
    return rf_express_episodes().expr.subs(eps_s, H_s * eps_rel), S_s ** 2 * A_s / eps_rel ** 2


def episodic_regret_lower_bounds() -> tuple[Bound, Bound]:
    """Minimax regret lower bounds for episodic tabular RL with T = K H steps (constants dropped): Omega(sqrt(H S A T))
    for a time-homogeneous P (Domingues, Ménard, Kaufmann, Valko 2021, for the proof), Omega(sqrt(H^2 S A T)) for
    stage-dependent P_h (Jin et al. 2018). Their ratio is sqrt(H): quoting the second for a stationary MDP is a
    category error (the catalogue's trap)."""
    common = dict(direction="lower", quantity="minimax expected regret after T = K H steps, up to constants",
                  finite_time=False)
    stationary = Bound(name="regret_lower_bound_stationary", expr=sp.sqrt(H_s * S_s * A_s * T_s),
                       source="Domingues, Ménard, Kaufmann, Valko (2021), Episodic RL in finite MDPs: minimax lower "
                       "bounds revisited", theorem="stationary P", conditions=("time-homogeneous P", "T = K H"),
                       **common)
    staged = Bound(name="regret_lower_bound_stage_dependent", expr=sp.sqrt(H_s ** 2 * S_s * A_s * T_s),
                   source="Jin, Allen-Zhu, Bubeck, Jordan (2018)", theorem="Thm 3",
                   conditions=("stage-dependent P_h", "T = K H"), **common)
    return stationary, staged
