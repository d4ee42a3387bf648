"""Regret bounds for stochastic bandits, transcribed with their constants.

Gaps ``Delta[i]`` and means ``mu[i]`` run over the n SUBOPTIMAL arms only (Delta_i > 0); optimal arms add
nothing to any of these sums.
"""
import sympy as sp

from .bound import Bound
from .symbols import Delta, K, T, i, mu, mu_star, n_sub, sigma

__all__ = ["ucb1_auer2002_bound", "ucb1_lattimore_thm7_1_bound", "bernoulli_kl", "lai_robbins_constant_bernoulli", "minimax_hard_gap",
           "lai_robbins_constant_gaussian", "lai_robbins_bound", "minimax_lower_bound_ls_thm15_2"]


def ucb1_auer2002_bound() -> Bound:
    """Auer, Cesa-Bianchi, Fischer (2002), Theorem 1: for rewards in [0, 1] and every T,
    E[R(T)] <= 8 sum_{i: Delta_i > 0} ln T / Delta_i + (1 + pi^2/3) sum_j Delta_j."""
    expr = sp.Sum(8 * sp.log(T) / Delta[i] + (1 + sp.pi ** 2 / 3) * Delta[i], (i, 1, n_sub))
    return Bound(name="ucb1_auer2002_bound", expr=expr, direction="upper", quantity="E[R(T)] of UCB1",
                 source="Auer, Cesa-Bianchi, Fischer (2002), Finite-time analysis of the multiarmed bandit problem",
                 theorem="Theorem 1", conditions=("rewards in [0, 1]", "UCB1 index mean + sqrt(2 ln n / n_j)",
                                                  "every T >= K (uniform in T)"),
                 finite_time=True, vectors={Delta: n_sub})


def ucb1_lattimore_thm7_1_bound() -> Bound:
    """Lattimore & Szepesvari (2020), Bandit Algorithms, Theorem 7.1: 1-subgaussian rewards, index
    mean + sqrt(2 log(1/delta) / n) with delta = 1/T^2: R(T) <= 3 sum_i Delta_i + 16 sum_{Delta_i > 0} log T / Delta_i."""
    expr = sp.Sum(3 * Delta[i] + 16 * sp.log(T) / Delta[i], (i, 1, n_sub))
    return Bound(name="ucb1_lattimore_thm7_1_bound", expr=expr, direction="upper", quantity="E[R(T)] of UCB(delta)",
                 source="Lattimore & Szepesvari (2020), Bandit Algorithms", theorem="Theorem 7.1",
                 conditions=("1-subgaussian rewards", "delta = 1/T^2", "horizon T known"),
                 finite_time=True, vectors={Delta: n_sub})


def bernoulli_kl(p, q):
    """kl(p, q) = p log(p/q) + (1 - p) log((1 - p)/(1 - q)), the KL divergence of Bernoulli(p) from Bernoulli(q)."""
    return p * sp.log(p / q) + (1 - p) * sp.log((1 - p) / (1 - q))


def lai_robbins_constant_bernoulli() -> Bound:
    """Lai & Robbins (1985), Theorem 2 (Bernoulli arms): C(mu) = sum_{Delta_i > 0} Delta_i / kl(mu_i, mu*)."""
    expr = sp.Sum((mu_star - mu[i]) / bernoulli_kl(mu[i], mu_star), (i, 1, n_sub))
    return Bound(name="lai_robbins_constant_bernoulli", expr=expr, direction="lower",
                 quantity="liminf E[R(T)] / ln T of a consistent policy",
                 source="Lai & Robbins (1985), Asymptotically efficient adaptive allocation rules", theorem="Theorem 2",
                 conditions=("Bernoulli arms, 0 < mu_i < mu* < 1", "policy consistent (o(T^a) regret for all a > 0)"),
                 finite_time=False, vectors={mu: n_sub})


def lai_robbins_constant_gaussian() -> Bound:
    """Lai & Robbins (1985) for Gaussian arms with known variance sigma^2: kl = Delta^2 / (2 sigma^2), so
    C(mu) = sum_{Delta_i > 0} 2 sigma^2 / Delta_i (Lattimore & Szepesvari 2020, ch. 16)."""
    expr = sp.Sum(2 * sigma ** 2 / Delta[i], (i, 1, n_sub))
    return Bound(name="lai_robbins_constant_gaussian", expr=expr, direction="lower",
                 quantity="liminf E[R(T)] / ln T of a consistent policy",
                 source="Lai & Robbins (1985); Lattimore & Szepesvari (2020)", theorem="Theorem 2 with Gaussian kl (Lattimore & Szepesvari 2020, ch. 16)",
                 conditions=("Gaussian arms, common known variance sigma^2", "policy consistent"),
                 finite_time=False, vectors={Delta: n_sub})


def lai_robbins_bound(constant: Bound) -> Bound:
    """The asymptotic lower bound C(mu) ln T built from a Lai-Robbins constant."""
    return Bound(name=constant.name.replace("constant", "bound"), expr=constant.expr * sp.log(T),
                 direction="lower", quantity="E[R(T)] as T -> infinity", source=constant.source,
                 theorem=constant.theorem, conditions=constant.conditions, finite_time=False,
                 vectors=constant.vectors)


def minimax_lower_bound_ls_thm15_2() -> Bound:
    """Lattimore & Szepesvari (2020), Theorem 15.2: for K > 1 and T >= K - 1, for every policy there is a
    unit-variance Gaussian instance with means in [0, 1] with R(T) >= (1/27) sqrt((K - 1) T). The proof's
    family: mu = Delta e_1 and mu = Delta e_1 + 2 Delta e_i, Delta = sqrt((K - 1) / (4 T))."""
    expr = sp.Rational(1, 27) * sp.sqrt((K - 1) * T)
    return Bound(name="minimax_lower_bound_ls_thm15_2", expr=expr, direction="lower",
                 quantity="max over the hard family of E[R(T)]",
                 source="Lattimore & Szepesvari (2020), Bandit Algorithms", theorem="Theorem 15.2",
                 conditions=("K > 1", "T >= K - 1", "unit-variance Gaussian arms"), finite_time=True)


def minimax_hard_gap(K_value: int, T_value: int) -> float:
    """Delta = sqrt((K - 1) / (4 T)) of the hard family in the proof of Theorem 15.2."""
    return float(sp.sqrt(sp.Rational(K_value - 1, 4 * T_value)))


L_lip = sp.Symbol("L", positive=True)


def lipschitz_uniform_discretization_order() -> Bound:
    """Slivkins (2019), Theorem 4.5 with the optimal epsilon on [0, 1]: uniform discretization plus an optimal
    K-armed algorithm has E[R(T)] = O(L^(1/3) T^(2/3) (log T)^(1/3)). Only the order is stated (no constant)."""
    return Bound(name="lipschitz_uniform_discretization_order",
                 expr=L_lip ** sp.Rational(1, 3) * T ** sp.Rational(2, 3) * sp.log(T) ** sp.Rational(1, 3),
                 direction="upper", quantity="E[R(T)] up to a constant", source="Slivkins (2019)",
                 theorem="Theorem 4.5 (and the lower bound of Theorem 4.2: Omega(L^(1/3) T^(2/3)))",
                 conditions=("mean reward L-Lipschitz on [0, 1]", "uniform grid of step about (ln T / T)^(1/3) / L^(2/3)",
                             "order only, constant unstated"), finite_time=False)


d_lin, lam_lin, L_norm, m2_lin, delta_lin = sp.symbols("d lambda L m_2 delta", positive=True)


def oful_sqrt_beta_ls_thm20_5() -> sp.Expr:
    """Lattimore & Szepesvari (2020), Theorem 20.5: sqrt(beta_T) = sqrt(lambda) m2 +
    sqrt(2 log(1/delta) + d log((d lambda + T L^2)/(d lambda)))."""
    return sp.sqrt(lam_lin) * m2_lin + sp.sqrt(2 * sp.log(1 / delta_lin)
                                               + d_lin * sp.log((d_lin * lam_lin + T * L_norm ** 2) / (d_lin * lam_lin)))


def oful_regret_ls_thm19_2() -> Bound:
    """Lattimore & Szepesvari (2020), Theorem 19.2 with Theorem 20.5's beta: with probability at least 1 - delta,
    R(T) <= sqrt(8 d T beta_T log((d lambda + T L^2)/(d lambda))), for |<a, theta*>| <= 1 and ||a|| <= L."""
    beta = oful_sqrt_beta_ls_thm20_5() ** 2
    expr = sp.sqrt(8 * d_lin * T * beta * sp.log((d_lin * lam_lin + T * L_norm ** 2) / (d_lin * lam_lin)))
    return Bound(name="oful_regret_ls_thm19_2", expr=expr, direction="upper",
                 quantity="R(T) of OFUL with probability >= 1 - delta",
                 source="Lattimore & Szepesvari (2020), Bandit Algorithms", theorem="Theorem 19.2 with Theorem 20.5",
                 conditions=("|<a, theta*>| <= 1 for every action", "||a|| <= L", "m2 >= ||theta*||",
                             "1-subgaussian noise", "with probability at least 1 - delta"), finite_time=True)


def dynamical_steady_state_gain(A, B, omega, theta) -> sp.Matrix:
    """Mussi, Metelli, Restelli (2023): h = theta + B^T (I - A)^{-T} omega, in exact arithmetic (entries are
    converted with sympy.nsimplify, so decimal inputs such as 0.45 become 9/20)."""
    A, B = sp.Matrix(A).applyfunc(sp.nsimplify), sp.Matrix(B).applyfunc(sp.nsimplify)
    omega, theta = sp.Matrix(omega).applyfunc(sp.nsimplify), sp.Matrix(theta).applyfunc(sp.nsimplify)
    return theta + B.T * (sp.eye(A.shape[0]) - A).T.inv() * omega
