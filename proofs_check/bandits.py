"""Regret bounds for stochastic, adversarial and structured bandits, transcribed with their constants.

Gaps ``Delta[i]`` and means ``mu[i]`` run over the n SUBOPTIMAL arms only (Delta_i > 0); optimal arms add
nothing to any of these sums.
"""
import numpy as np
import sympy as sp

from .bound import Bound
from .errors import BoundError
from .symbols import Delta, K, T, epsilon, i, mu, mu_star, n_sub, sigma

__all__ = [
    "ucb1_auer2002_bound",
    "ucb1_lattimore_thm7_1_bound",
    "bernoulli_kl",
    "lai_robbins_constant_bernoulli",
    "lai_robbins_constant_gaussian",
    "lai_robbins_constant",
    "lai_robbins_bound",
    "minimax_hard_gap",
    "minimax_lower_bound_ls_thm15_2",
    "lipschitz_uniform_discretization_order",
    "oful_sqrt_beta_ls_thm20_5",
    "oful_regret_ls_thm19_2",
    "dynamical_steady_state_gain",
    "hedge_slivkins_thm5_16_bound",
    "hedge_slivkins_epsilon",
    "exp3_auer2002_cor3_2_bound",
    "exp3_auer2002_cor3_2_numeric_bound",
    "exp3_auer2002_gamma",
    "exp3_lattimore_thm11_2_bound",
    "exp3_lattimore_eta",
    "explore_first_slivkins_thm1_5_order",
    "successive_elimination_slivkins_instance_order",
    "successive_elimination_slivkins_worst_case_order",
    "thompson_agrawal_goyal_slivkins_thm3_15_bound",
    "elliptical_potential_ls_lemma19_4",
    "nash_gap_slivkins_thm9_5",
    "tallying_malik2023_order",
    "dynlin_ucb_mussi2023_order",
    "cascade_list_value_du2024",
    "young_optimal_omega",
    "young_sor_spectral_radius",
    "tsallis_inf_order",
    "nonzero_gradient_probability_li2025",
    "rollout_value_li2025",
]


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
    mean + sqrt(2 log(1/delta) / n) with delta = 1/T^2: R(T) <= 3 sum_i Delta_i + 16 sum_{Delta_i > 0} log T /
    Delta_i."""
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
    expr = sp.Sum(2 * sigma**2 / Delta[i], (i, 1, n_sub))
    return Bound(
        name="lai_robbins_constant_gaussian",
        expr=expr,
        direction="lower",
        quantity="liminf E[R(T)] / ln T of a consistent policy",
        source="Lai & Robbins (1985); Lattimore & Szepesvari (2020)",
        theorem="Theorem 2 with Gaussian kl (Lattimore & Szepesvari 2020, ch. 16)",
        conditions=("Gaussian arms, common known variance sigma^2", "policy consistent"),
        finite_time=False,
        vectors={Delta: n_sub},
    )


def lai_robbins_constant(instance=None, *, means=None, family: str = "bernoulli", sigma: float = 1.0) -> float:
    """The Lai-Robbins constant C(mu) of an instance (Lai & Robbins 1985, Theorem 2): sum over the suboptimal arms of
    Delta_a / kl(mu_a, mu*) for Bernoulli arms, 2 sigma^2 / Delta_a for Gaussian arms with known variance sigma^2.

    ``instance`` is any object with ``means``, ``family`` and ``sigma`` (a ``tabular_envs.BanditInstance``), or give
    ``means`` (and ``family``, ``sigma``) directly. Returns 0.0 when every arm is optimal. A consistent policy has
    liminf E[R(T)] / ln T >= C(mu); a Bernoulli arm with mean 0 or 1 that is suboptimal against mu* = 1 has
    kl = inf and contributes nothing to C(mu) (it is told apart from the best arm by a single pull)."""
    if instance is not None:
        means, family, sigma = instance.means, instance.family, instance.sigma
    mu = np.asarray(means, dtype=np.float64)
    if mu.ndim != 1 or mu.size == 0 or not np.isfinite(mu).all():
        raise BoundError(f"means must be a non-empty finite 1-D array, got {means!r}")
    best = float(mu.max())
    sub = mu < best
    if not sub.any():
        return 0.0
    if family == "bernoulli":
        if (mu < 0).any() or (mu > 1).any():
            raise BoundError(f"Bernoulli means must lie in [0, 1], got {mu.tolist()}")
        if best == 1.0:
            return 0.0
        keep = sub & (mu > 0)
        total = 0.0
        if keep.any():
            total += float(lai_robbins_constant_bernoulli().evaluate(mu=mu[keep], mu_star=best))
        # mu_a = 0 < mu* < 1: kl(0, mu*) = -log(1 - mu*) is finite; the Sum's generic term needs mu_a > 0
        total += float(np.sum(best / -np.log1p(-best) * (mu[sub] == 0)))
        return total
    if family == "gaussian":
        if not (np.isfinite(sigma) and sigma > 0):
            raise BoundError(f"sigma must be positive, got {sigma!r}")
        return float(lai_robbins_constant_gaussian().evaluate(Delta=best - mu[sub], sigma=float(sigma)))
    raise BoundError(f"family must be 'bernoulli' or 'gaussian', got {family!r}")


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
    return Bound(
        name="lipschitz_uniform_discretization_order",
        expr=L_lip ** sp.Rational(1, 3) * T ** sp.Rational(2, 3) * sp.log(T) ** sp.Rational(1, 3),
        direction="upper",
        quantity="E[R(T)] up to a constant",
        source="Slivkins (2019)",
        theorem="Theorem 4.5 (and the lower bound of Theorem 4.2: Omega(L^(1/3) T^(2/3)))",
        conditions=(
            "mean reward L-Lipschitz on [0, 1]",
            "uniform grid of step about (ln T / T)^(1/3) / L^(2/3)",
            "order only, constant unstated",
        ),
        finite_time=False,
    )


d_lin, lam_lin, L_norm, m2_lin, delta_lin = sp.symbols("d lambda L m_2 delta", positive=True)


def oful_sqrt_beta_ls_thm20_5() -> sp.Expr:
    """Lattimore & Szepesvari (2020), Theorem 20.5: sqrt(beta_T) = sqrt(lambda) m2 +
    sqrt(2 log(1/delta) + d log((d lambda + T L^2)/(d lambda)))."""
    return sp.sqrt(lam_lin) * m2_lin + sp.sqrt(
        2 * sp.log(1 / delta_lin) + d_lin * sp.log((d_lin * lam_lin + T * L_norm**2) / (d_lin * lam_lin))
    )


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


# ---- adversarial bandits and experts ----------------------------------------------------------------------------

g = sp.Symbol(
    "g", positive=True
)  # an upper bound on G_max, the best arm's total reward  # an upper bound on G_max, the best arm's total reward


def hedge_slivkins_thm5_16_bound() -> Bound:
    """Slivkins (2019), Introduction to Multi-Armed Bandits, Theorem 5.16: costs in [0, 1], K experts,
    epsilon = sqrt(ln K / (3T)): E[cost(Hedge)] - min_a cost(a) < 2 sqrt(3) sqrt(T ln K)."""
    return Bound(name="hedge_slivkins_thm5_16_bound", expr=2 * sp.sqrt(3) * sp.sqrt(T * sp.log(K)),
                 direction="upper", quantity="E[cost(Hedge)] - min_a cost(a)",
                 source="Slivkins (2019), Introduction to Multi-Armed Bandits", theorem="Theorem 5.16",
                 conditions=("costs in [0, 1]", "epsilon = sqrt(ln K / (3T))",
                             "weights w_{t+1}(a) = w_t(a) (1 - epsilon)^{c_t(a)} [update form unconfirmed]"),
                 finite_time=True)


def hedge_slivkins_epsilon(K_value: int, T_value: int) -> float:
    """Slivkins (2019), Theorem 5.16's learning rate epsilon = sqrt(ln K / (3T))."""
    return float(sp.sqrt(sp.log(K_value) / (3 * T_value)))


def exp3_auer2002_cor3_2_bound() -> Bound:
    """Auer, Cesa-Bianchi, Freund, Schapire (2002), Corollary 3.2: for g >= G_max and
    gamma = min{1, sqrt(K ln K / ((e - 1) g))}: G_max - E[G_Exp3] <= 2 sqrt(e - 1) sqrt(g K ln K)."""
    return Bound(name="exp3_auer2002_cor3_2_bound", expr=2 * sp.sqrt(sp.E - 1) * sp.sqrt(g * K * sp.log(K)),
                 direction="upper", quantity="G_max - E[G_Exp3]",
                 source="Auer, Cesa-Bianchi, Freund, Schapire (2002), The nonstochastic multiarmed bandit problem",
                 theorem="Corollary 3.2", conditions=("rewards in [0, 1]", "g >= G_max",
                                                      "gamma = min{1, sqrt(K ln K / ((e - 1) g))}"),
                 finite_time=True)


def exp3_auer2002_cor3_2_numeric_bound() -> Bound:
    """The same corollary's rounded form: <= 2.63 sqrt(g K ln K) (2 sqrt(e - 1) = 2.6217...)."""
    b = exp3_auer2002_cor3_2_bound()
    return Bound(name="exp3_auer2002_cor3_2_numeric_bound", expr=sp.Rational(263, 100) * sp.sqrt(g * K * sp.log(K)),
                 direction="upper", quantity=b.quantity, source=b.source, theorem="Corollary 3.2 (rounded form)",
                 conditions=b.conditions, finite_time=True)


def exp3_auer2002_gamma(K_value: int, g_value: float) -> float:
    """Auer et al. (2002), Corollary 3.2's exploration gamma = min{1, sqrt(K ln K / ((e - 1) g))}."""
    return float(min(1.0, sp.sqrt(K_value * sp.log(K_value) / ((sp.E - 1) * g_value))))


def exp3_lattimore_thm11_2_bound() -> Bound:
    """Lattimore & Szepesvari (2020), Theorem 11.2: Exp3 with eta = sqrt(2 log K / (T K)) has
    R_T <= sqrt(2 T K log K) for rewards in [0, 1] (oblivious adversary)."""
    return Bound(name="exp3_lattimore_thm11_2_bound", expr=sp.sqrt(2 * T * K * sp.log(K)), direction="upper",
                 quantity="max_a G_a - E[G_Exp3]", source="Lattimore & Szepesvari (2020), Bandit Algorithms",
                 theorem="Theorem 11.2", conditions=("rewards in [0, 1]", "eta = sqrt(2 log K / (T K))",
                                                     "loss-based estimator 1 - 1{A = i}(1 - X)/P_i"),
                 finite_time=True)


def exp3_lattimore_eta(K_value: int, T_value: int) -> float:
    """Lattimore & Szepesvari (2020), Theorem 11.2's learning rate eta = sqrt(2 log K / (T K))."""
    return float(sp.sqrt(2 * sp.log(K_value) / (T_value * K_value)))


# ---- orders of the Slivkins (2019) theorems: only the order is stated -------------------------------------------

def explore_first_slivkins_thm1_5_order() -> Bound:
    """Slivkins (2019), Introduction to Multi-Armed Bandits, Theorems 1.5 (explore-first, N = (T/K)^(2/3)
    O(log T)^(1/3) pulls per arm) and 1.6 (epsilon-greedy, eps_t = t^(-1/3) (K log t)^(1/3)):
    E[R(T)] <= T^(2/3) O(K log T)^(1/3). Order only: the constant is not stated."""
    return Bound(
        name="explore_first_slivkins_thm1_5_order",
        expr=T ** sp.Rational(2, 3) * (K * sp.log(T)) ** sp.Rational(1, 3),
        direction="upper",
        quantity="E[R(T)] up to a constant",
        source="Slivkins (2019), Introduction to Multi-Armed Bandits",
        theorem="Theorems 1.5, 1.6",
        conditions=("rewards in [0, 1]", "order only, constant unstated"),
        finite_time=True,
    )


def successive_elimination_slivkins_instance_order() -> Bound:
    """Slivkins (2019), Theorems 1.10, 1.11 (successive elimination, UCB1 with radius sqrt(2 log T / n_a)):
    E[R(T)] <= O(log T) sum_{Delta_a > 0} 1/Delta_a on a fixed instance. Order only."""
    return Bound(
        name="successive_elimination_slivkins_instance_order",
        expr=sp.log(T) * sp.Sum(1 / Delta[i], (i, 1, n_sub)),
        direction="upper",
        quantity="E[R(T)] up to a constant",
        source="Slivkins (2019), Introduction to Multi-Armed Bandits",
        theorem="Theorems 1.10, 1.11",
        conditions=("rewards in [0, 1]", "confidence radius sqrt(2 log T / n_a)", "order only, constant unstated"),
        finite_time=True,
        vectors={Delta: n_sub},
    )


def successive_elimination_slivkins_worst_case_order() -> Bound:
    """Slivkins (2019), Theorems 1.10, 1.11, 1.15: E[R(t)] = O(sqrt(K t log T)) for all t <= T (instance-free).
    Order only."""
    return Bound(name="successive_elimination_slivkins_worst_case_order", expr=sp.sqrt(K * T * sp.log(T)),
                 direction="upper", quantity="worst-case E[R(T)] up to a constant", source="Slivkins (2019), "
                 "Introduction to Multi-Armed Bandits", theorem="Theorems 1.10, 1.11, 1.15",
                 conditions=("rewards in [0, 1]", "order only, constant unstated"), finite_time=True)


C_mu = sp.Symbol("C", positive=True)           # the Lai-Robbins constant of the instance


def thompson_agrawal_goyal_slivkins_thm3_15_bound() -> Bound:
    """Slivkins (2019), Theorem 3.15 (Beta-Bernoulli Thompson sampling; Agrawal & Goyal 2012): for every
    eps > 0, E[R(T)] <= (1 + eps) C(mu) ln T + f(mu)/eps^2, C(mu) the Lai-Robbins constant (B2). f(mu) is not
    given in closed form, so the expression keeps only the leading term (1 + eps) C ln T."""
    return Bound(name="thompson_agrawal_goyal_slivkins_thm3_15_bound", expr=(1 + epsilon) * C_mu * sp.log(T),
                 direction="upper", quantity="E[R(T)] minus the lower-order f(mu)/eps^2",
                 source="Slivkins (2019), Introduction to Multi-Armed Bandits; Agrawal & Goyal (2012)",
                 theorem="Theorem 3.15", conditions=("Bernoulli rewards, Beta(1, 1) priors",
                 "C = sum Delta_a / kl(mu_a, mu*)", "f(mu) unstated: the leading term only"), finite_time=False)


# ---- structured bandits ----------------------------------------------------------------------------------------

trV0, detV0 = sp.symbols("trV_0 detV_0", positive=True)


def elliptical_potential_ls_lemma19_4() -> Bound:
    """Lattimore & Szepesvari (2020), Lemma 19.4 (elliptical potential): for V_t = V_0 + sum_{s<=t} x_s x_s^T and
    ||x_t|| <= L, sum_{t<=T} min(1, ||x_t||^2_{V_{t-1}^{-1}}) <= 2 d log((tr V_0 + T L^2) / (d det(V_0)^(1/d)))."""
    return Bound(name="elliptical_potential_ls_lemma19_4",
                 expr=2 * d_lin * sp.log((trV0 + T * L_norm ** 2) / (d_lin * detV0 ** (1 / d_lin))),
                 direction="upper", quantity="sum_t min(1, ||x_t||^2 in the inverse design matrix)",
                 source="Lattimore & Szepesvari (2020), Bandit Algorithms", theorem="Lemma 19.4",
                 conditions=("V_0 positive definite", "||x_t|| <= L", "pathwise (every action sequence)"),
                 finite_time=True)


R_row, R_col = sp.symbols("R R'", real=True)


def nash_gap_slivkins_thm9_5() -> Bound:
    """Slivkins (2019), Theorem 9.5: with realised regrets R (row player) and R' (column player) after T rounds of
    a zero-sum game, the average play is an eps_T-approximate Nash equilibrium, eps_T = (R + R')/T, pathwise."""
    return Bound(name="nash_gap_slivkins_thm9_5", expr=(R_row + R_col) / T, direction="upper",
                 quantity="exploitability max_q M(i_bar, q) - min_p M(p, j_bar) of the average play",
                 source="Slivkins (2019), Introduction to Multi-Armed Bandits", theorem="Theorem 9.5",
                 conditions=("zero-sum matrix game", "R, R' the players' realised regrets"), finite_time=True)


m_tally, M_tally = sp.symbols("m M", positive=True, integer=True)


def tallying_malik2023_order() -> Bound:
    """Malik et al. (2023), abstract: a modified successive elimination knowing M >= m has complete policy regret
    O~(sqrt(K T) + (m + M) K) [unconfirmed: constants and algorithm]; the log factor is written as sqrt(log T)."""
    return Bound(name="tallying_malik2023_order", expr=sp.sqrt(K * T * sp.log(T)) + (m_tally + M_tally) * K,
                 direction="upper", quantity="E[complete policy regret] up to a constant",
                 source="Malik et al. (2023), Weighted tallying bandits", theorem="abstract (unconfirmed)",
                 conditions=("Repeated Exposure Optimality", "M >= m known", "order only"), finite_time=False)


rho = sp.Symbol("rho", positive=True)


def dynlin_ucb_mussi2023_order() -> Bound:
    """Mussi, Metelli, Restelli (2023): DynLin-UCB has regret O~(d sqrt(T) / (1 - rho)^(3/2)), rho an upper bound on
    the spectral radius of A. Order only."""
    return Bound(name="dynlin_ucb_mussi2023_order", expr=d_lin * sp.sqrt(T) / (1 - rho) ** sp.Rational(3, 2),
                 direction="upper", quantity="E[R(T)] up to a constant and log factors",
                 source="Mussi, Metelli, Restelli (2023), Dynamical linear bandits", theorem="regret theorem (order)",
                 conditions=("rho(A) <= rho < 1", "order only"), finite_time=False)


q_c, w_c = sp.IndexedBase("q", positive=True), sp.IndexedBase("w", positive=True)
j_c = sp.Symbol("j", positive=True, integer=True)
w_bot = sp.Symbol("w_bot", nonnegative=True)
n_list = sp.Symbol("n", positive=True, integer=True)


def cascade_list_value_du2024() -> Bound:
    """Du, Srikant, Chen (2024), cascading RL (statement from reviews): the value of an ordered list with click
    probabilities q_i and values w_i, and w_bot when nothing is clicked:
    f(A) = sum_i prod_{j<i} (1 - q_j) q_i w_i + prod_j (1 - q_j) w_bot (an identity: the cascade model)."""
    expr = (sp.Sum(sp.Product(1 - q_c[j_c], (j_c, 1, i - 1)) * q_c[i] * w_c[i], (i, 1, n_list))
            + sp.Product(1 - q_c[j_c], (j_c, 1, n_list)) * w_bot)
    return Bound(name="cascade_list_value_du2024", expr=expr, direction="exact", quantity="f(A), the list's value",
                 source="Du, Srikant, Chen (2024), Cascading reinforcement learning", theorem="BestPerm oracle "
                 "(from reviews)", conditions=("items examined in order, the first click ends the list",),
                 finite_time=True, vectors={q_c: n_list, w_c: n_list})


beta_j, omega_s = sp.symbols("beta omega", positive=True)


def young_optimal_omega() -> Bound:
    """Young (1954): for a consistently ordered matrix whose Jacobi iteration has spectral radius beta < 1, the
    SOR parameter minimising rho(C_omega) is omega* = 2 / (1 + sqrt(1 - beta^2))."""
    return Bound(name="young_optimal_omega", expr=2 / (1 + sp.sqrt(1 - beta_j ** 2)), direction="exact",
                 quantity="argmin_omega rho(C_omega)", source="Young (1954); Khodak et al. (2024)",
                 theorem="Young's theorem", conditions=("A consistently ordered", "0 <= beta < 1"), finite_time=True)


def young_sor_spectral_radius() -> Bound:
    """Young (1954): rho(C_omega) = omega - 1 for omega >= omega*, else (omega beta + sqrt(omega^2 beta^2 -
    4 (omega - 1)))^2 / 4, for 0 < omega < 2. (The discriminant is non-negative below omega*; the Max only keeps
    rounding near omega* out of the square root.)"""
    star = young_optimal_omega().expr
    root = sp.sqrt(sp.Max(omega_s ** 2 * beta_j ** 2 - 4 * (omega_s - 1), 0))
    expr = sp.Piecewise((omega_s - 1, omega_s >= star), ((omega_s * beta_j + root) ** 2 / 4, True))
    return Bound(name="young_sor_spectral_radius", expr=expr, direction="exact", quantity="rho(C_omega)",
                 source="Young (1954); Khodak et al. (2024)", theorem="Young's theorem",
                 conditions=("A consistently ordered", "0 <= beta < 1", "0 < omega < 2"), finite_time=True)


def tsallis_inf_order() -> Bound:
    """Zimmert & Seldin (2021): Tsallis-INF (alpha = 1/2) has adversarial regret O(sqrt(K T)); Khodak et al. (2024)
    apply it to the choice of the SOR parameter [unconfirmed: their rate]. Order only."""
    return Bound(name="tsallis_inf_order", expr=sp.sqrt(K * T), direction="upper",
                 quantity="E[regret against the best fixed arm] up to a constant",
                 source="Zimmert & Seldin (2021); Khodak et al. (2024)", theorem="Tsallis-INF regret (order)",
                 conditions=("losses in [0, 1]", "oblivious adversary", "order only"), finite_time=True)


p_succ = sp.Symbol("p", positive=True)
N_roll = sp.Symbol("N", positive=True, integer=True)


def nonzero_gradient_probability_li2025() -> Bound:
    """Li et al. (2025), Knapsack RL (third-party code, derived): a task with success rate p and N binary rollouts
    gives a non-zero group-relative gradient (mixed outcomes) with probability 1 - p^N - (1 - p)^N."""
    return Bound(name="nonzero_gradient_probability_li2025", expr=1 - p_succ ** N_roll - (1 - p_succ) ** N_roll,
                 direction="exact", quantity="P(the N rollouts are not all equal)",
                 source="Li et al. (2025), Knapsack RL (derived)", theorem="value formula",
                 conditions=("independent Bernoulli(p) rollouts",), finite_time=True)


def rollout_value_li2025() -> Bound:
    """Li et al. (2025): Value(N, p) = (1 - p^N - (1 - p)^N) p (1 - p)^2, the knapsack value of N rollouts on a task
    of success rate p."""
    return Bound(
        name="rollout_value_li2025",
        expr=nonzero_gradient_probability_li2025().expr * p_succ * (1 - p_succ) ** 2,
        direction="exact",
        quantity="Value(N, p)",
        source="Li et al. (2025), Knapsack RL (derived)",
        theorem="value formula",
        conditions=("independent Bernoulli(p) rollouts",),
        finite_time=True,
    )
