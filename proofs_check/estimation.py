"""Formulas of the estimation claims (E1-E8): speculative sampling's expected tokens per iteration (Leviathan et al.
2023), the group-baseline factors, performative retraining's linear rate (Perdomo et al. 2020), the maximisation
bias of the single estimator (van Hasselt 2010)."""
import sympy as sp

from .bound import Bound

__all__ = ["speculative_expected_tokens", "mean_centred_baseline_factor", "repeated_risk_minimisation_rate",
           "maximisation_bias", "td_fixed_point_tsitsiklis_van_roy", "track_and_stop_slope_limit",
           "delta_correctness"]

alpha_, eps_, beta_s, gamma_s, sigma_, e_K, e0 = sp.symbols("alpha epsilon beta gamma_sc sigma e_K e_0", positive=True)
g_, t_, N_, n_ = sp.symbols("gamma t N n", positive=True, integer=True)


def speculative_expected_tokens() -> Bound:
    """Leviathan, Kalman, Matias (2023), eq. (1): with acceptance rate alpha (i.i.d. acceptances) and gamma drafts,
    E[tokens per iteration] = (1 - alpha^(gamma + 1)) / (1 - alpha)."""
    return Bound(name="speculative_expected_tokens", expr=(1 - alpha_ ** (g_ + 1)) / (1 - alpha_), direction="exact",
                 quantity="E[tokens emitted per iteration]", source="Leviathan, Kalman, Matias (2023), Fast inference "
                 "from transformers via speculative decoding (ICML)", theorem="Section 3.3, eq. (1)",
                 conditions=("0 <= alpha < 1", "i.i.d. acceptances (context-free p and q)"), finite_time=True)


def mean_centred_baseline_factor() -> Bound:
    """E[(1/N) sum_i (r_i - rbar) grad log pi(y_i)] = ((N - 1)/N) grad J (derived: the sample's own reward is in the
    baseline with weight 1/N; Dr. GRPO, Liu et al. 2025, discusses the same bias)."""
    return Bound(name="mean_centred_baseline_factor", expr=(N_ - 1) / N_, direction="exact",
                 quantity="E[g_mean-centred] / grad J", source="derived (claim E2)", theorem="exact enumeration",
                 conditions=("N >= 2 i.i.d. samples",), finite_time=True)


def repeated_risk_minimisation_rate() -> Bound:
    """Perdomo, Zrnic, Mendler-Dunner, Hardt (2020), Theorem 3.5: for a gamma-strongly convex, beta-smooth loss and
    an epsilon-sensitive distribution map with epsilon < gamma/beta, ||theta_t - theta_PS|| <= (epsilon beta /
    gamma)^t ||theta_0 - theta_PS||."""
    return Bound(name="repeated_risk_minimisation_rate", expr=(eps_ * beta_s / gamma_s) ** t_ * e0, direction="upper",
                 quantity="||theta_t - theta_PS||", source="Perdomo, Zrnic, Mendler-Dunner, Hardt (2020), "
                 "Performative prediction (ICML)", theorem="Theorem 3.5",
                 conditions=("epsilon < gamma/beta", "exact repeated risk minimisation"), finite_time=True)


def maximisation_bias() -> Bound:
    """van Hasselt (2010), Sec. 2 (and Smith & Winkler 2006): for K actions of equal value and n Gaussian samples of
    standard deviation sigma each, E[max_a Qhat_a] - max_a Q_a = sigma e_K / sqrt(n), e_K = E[max of K standard
    normals]."""
    return Bound(name="maximisation_bias", expr=sigma_ * e_K / sp.sqrt(n_), direction="exact",
                 quantity="E[max_a Qhat_a] - max_a Q_a", source="van Hasselt (2010), Double Q-learning (NeurIPS)",
                 theorem="Sec. 2 (single estimator; equal values)",
                 conditions=("Gaussian sample means", "equal values"), finite_time=True)


def td_fixed_point_tsitsiklis_van_roy() -> Bound:
    """Tsitsiklis & Van Roy (1997), Theorem 1: on-policy linear TD(0) with D the evaluated chain's stationary
    distribution has ||Phi theta* - V||_D <= ||Pi V - V||_D / sqrt(1 - gamma^2) (Pi the D-weighted projection)."""
    proj = sp.Symbol("proj_error", nonnegative=True)
    return Bound(name="td_fixed_point_tsitsiklis_van_roy", expr=proj / sp.sqrt(1 - gamma_s ** 2), direction="upper",
                 quantity="||Phi theta* - V||_D", source="Tsitsiklis & Van Roy (1997), An analysis of temporal-"
                 "difference learning with function approximation (IEEE TAC)", theorem="Theorem 1",
                 conditions=("D the stationary distribution of the evaluated chain", "Phi full column rank"),
                 finite_time=True)


def track_and_stop_slope_limit() -> Bound:
    """Garivier & Kaufmann (2016), Theorem 14 (as recalled; with Theorem 1's lower bound): Track-and-Stop with
    D-tracking and the Chernoff stopping rule at log(C t^alpha / delta), alpha in [1, e/2], has
    lim sup E[tau_delta] / log(1/delta) <= alpha T*(mu); for any polynomial r(t) the stopping equation
    tau ~ T* log(r(tau)/delta) gives the limit T* (``tabular_envs.estimation.track_and_stop``). Checked at finite
    delta through the increment (E[tau(L_2)] - E[tau(L_1)]) / (L_2 - L_1), L = log(1/delta), against (1 + a) T*, with
    a the allowance declared with the claim (the threshold's log t terms and the tracking at finite tau)."""
    T, a = sp.symbols("T_star a", positive=True)
    return Bound(name="track_and_stop_slope_limit", expr=(1 + a) * T, direction="upper",
                 quantity="(E[tau_delta2] - E[tau_delta1]) / (log(1/delta2) - log(1/delta1))",
                 source="Garivier & Kaufmann (2016), Optimal best arm identification with fixed confidence (COLT)",
                 theorem="Theorem 14 (asymptotic optimality; a finite-delta allowance a)",
                 conditions=("D-tracking with forced exploration", "Chernoff stopping rule", "a >= 0 declared"),
                 finite_time=False)


def delta_correctness() -> Bound:
    """A delta-correct (delta-PAC) strategy recommends the best arm with probability at least 1 - delta (Garivier &
    Kaufmann 2016, Sec. 1). For the Gaussian Chernoff rule with beta(t, delta) = log((K - 1) t^3 / delta) it is
    proved in ``tabular_envs.estimation.track_and_stop`` by a union bound."""
    d = sp.Symbol("delta", positive=True)
    return Bound(name="delta_correctness", expr=1 - d, direction="lower",
                 quantity="P(tau < infinity and the recommended arm is the best)",
                 source="Garivier & Kaufmann (2016), Optimal best arm identification with fixed confidence (COLT)",
                 theorem="Sec. 1 (delta-PAC); the threshold's proof in tabular_envs.estimation.track_and_stop",
                 conditions=("Gaussian arms, variance 1", "beta(t, delta) = log((K - 1) t^3 / delta)"),
                 finite_time=True)
