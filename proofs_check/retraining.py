"""Formulas of the retraining, preference and schedule claims (R1-R9), transcribed with their sources."""
from __future__ import annotations

import numpy as np
import sympy as sp

from .bound import Bound
from .errors import BoundError

__all__ = ["categorical_kl", "model_collapse_replace_error", "model_collapse_accumulate_error",
           "model_collapse_accumulate_ceiling", "best_of_n_kl_gao2023", "kl_regularised_value",
           "hedge_duality_gap_cesa_bianchi_thm2_2", "group_signal_spread", "zero_signal_probability",
           "last_iterate_defazio2023_thm1", "last_iterate_bound", "expected_records", "record_count_law",
           "stirling_first_unsigned", "bradley_terry_mle_order"]


def categorical_kl(p, q) -> float:
    """KL(p || q) = sum_i p_i log(p_i / q_i) of two distributions on the same finite support (0 log 0 = 0); inf
    when p puts mass where q has none."""
    p, q = np.asarray(p, dtype=np.float64), np.asarray(q, dtype=np.float64)
    if p.shape != q.shape or p.ndim != 1:
        raise BoundError(f"p and q must be 1-D of equal length, got shapes {p.shape} and {q.shape}")
    nz = p > 0
    if (q[nz] <= 0).any():
        return float("inf")
    return float(np.sum(p[nz] * np.log(p[nz] / q[nz])))


# ---- model collapse (R1) -------------------------------------------------------------------------------------------

sigma_n, d_dim, T_rows = sp.symbols("sigma d T", positive=True)
n_iter = sp.Symbol("n", positive=True, integer=True)
_SOURCE_R1 = "Gerstgrasser et al. (2024), Is model collapse inevitable? (linear-regression analysis, derived)"


def model_collapse_replace_error() -> Bound:
    """Gerstgrasser et al. (2024), derived: iterated least squares refitted on its own labels only (replace), rows
    N(0, I): test error E||w_hat_n - w*||^2 = sigma^2 d n / (T - d - 1), linear in the iteration n."""
    return Bound(name="model_collapse_replace_error", expr=sigma_n ** 2 * d_dim * n_iter / (T_rows - d_dim - 1),
                 direction="exact", quantity="E||w_hat_n - w*||^2 (replace)", source=_SOURCE_R1,
                 theorem="replace vs accumulate (derived; Monte Carlo confirmed)",
                 conditions=("rows N(0, I)", "T > d + 1", "noise N(0, sigma^2)"), finite_time=True)


def model_collapse_accumulate_error() -> Bound:
    """Gerstgrasser et al. (2024), derived: refitted on every label so far (accumulate): sigma^2 d / (T - d - 1)
    sum_{j<=n} 1/j^2, below the ceiling sigma^2 d pi^2 / (6 (T - d - 1))."""
    # sum_{j<=n} 1/j^2 written as pi^2/6 - polygamma(1, n + 1): SymPy's numpy printer misplaces the parentheses of
    # harmonic(n, 2) inside a product (checked against the plain sum in the tests)
    expr = sigma_n ** 2 * d_dim / (T_rows - d_dim - 1) * (sp.pi ** 2 / 6 - sp.polygamma(1, n_iter + 1))
    return Bound(name="model_collapse_accumulate_error", expr=expr, direction="exact",
                 quantity="E||w_hat_n - w*||^2 (accumulate)", source=_SOURCE_R1,
                 theorem="replace vs accumulate (derived; Monte Carlo confirmed)",
                 conditions=("rows N(0, I)", "T > d + 1", "noise N(0, sigma^2)"), finite_time=True)


def model_collapse_accumulate_ceiling() -> Bound:
    """The accumulate error never exceeds sigma^2 d pi^2 / (6 (T - d - 1)) (sum 1/j^2 < pi^2/6)."""
    return Bound(
        name="model_collapse_accumulate_ceiling",
        expr=sigma_n**2 * d_dim * sp.pi**2 / (6 * (T_rows - d_dim - 1)),
        direction="upper",
        quantity="E||w_hat_n - w*||^2 (accumulate), every n",
        source=_SOURCE_R1,
        theorem="replace vs accumulate (derived)",
        conditions=("rows N(0, I)", "T > d + 1"),
        finite_time=True,
    )


# ---- best-of-n (R3) --------------------------------------------------------------------------------------------------

n_best = sp.Symbol("n", positive=True, integer=True)


def best_of_n_kl_gao2023() -> Bound:
    """Gao, Schulman, Hilton (2023); Coste et al. (2024): KL(pi_BoN || pi) = log n - (n - 1)/n for continuous
    rewards (no ties); with atoms it is only an upper bound."""
    return Bound(name="best_of_n_kl_gao2023", expr=sp.log(n_best) - (n_best - 1) / n_best, direction="upper",
                 quantity="KL(pi_BoN || pi) (equal for continuous rewards)", source="Gao, Schulman, Hilton (2023); "
                 "Coste et al. (2024)", theorem="best-of-n KL (derived)", conditions=("n >= 1",
                 "equality without ties, an upper bound with atoms"), finite_time=True)


# ---- the KL-regularised optimum (R4) -------------------------------------------------------------------------------

beta_s = sp.Symbol("beta", positive=True)
pi0_b, u_b = sp.IndexedBase("pi0", positive=True), sp.IndexedBase("u", real=True)
_k = sp.Symbol("k", positive=True, integer=True)
n_resp = sp.Symbol("n", positive=True, integer=True)


def kl_regularised_value() -> Bound:
    """max_pi E_pi u - beta KL(pi || pi0) = beta log E_pi0 exp(u / beta), attained by pi* ~ pi0 exp(u / beta) (the
    Donsker-Varadhan / Gibbs variational formula; Wang et al. (2024) apply it to u = log sigmoid(r - r_ref))."""
    expr = beta_s * sp.log(sp.Sum(pi0_b[_k] * sp.exp(u_b[_k] / beta_s), (_k, 1, n_resp)))
    return Bound(name="kl_regularised_value", expr=expr, direction="exact",
                 quantity="max over pi of E_pi u - beta KL(pi || pi0)", source="Wang et al. (2024), Transforming and "
                 "combining rewards; Donsker & Varadhan", theorem="Gibbs variational formula",
                 conditions=("finite response set", "beta > 0"), finite_time=True, vectors={pi0_b: n_resp, u_b: n_resp})


# ---- Nash soft iteration (R5) ----------------------------------------------------------------------------------------

eta_s, T_it, Y_s = sp.symbols("eta T Y", positive=True)


def hedge_duality_gap_cesa_bianchi_thm2_2() -> Bound:
    """Cesa-Bianchi & Lugosi (2006), Theorem 2.2 (exponentially weighted average forecaster with learning rate 1/eta,
    rewards in [0, 1]): regret / T <= ln|Y| eta / T + 1/(8 eta), which bounds the duality gap
    max_y (P pibar)(y) - 1/2 of the mixture of soft policy iteration (Rosset et al. 2024, derived)."""
    return Bound(name="hedge_duality_gap_cesa_bianchi_thm2_2", expr=sp.log(Y_s) * eta_s / T_it + 1 / (8 * eta_s),
                 direction="upper", quantity="duality gap of the mixture of pi_0..pi_{T-1}",
                 source="Cesa-Bianchi & Lugosi (2006), Prediction, learning, and games; Rosset et al. (2024)",
                 theorem="Theorem 2.2", conditions=("P + P^T = 1", "learning rate 1/eta"), finite_time=True)


# ---- gradient signal (R6) --------------------------------------------------------------------------------------------

p_s = sp.Symbol("p", positive=True)
N_s = sp.Symbol("N", positive=True, integer=True)


def group_signal_spread() -> Bound:
    """Derived (catalogue R6): binary rewards with success rate p and N rollouts: E[sum_i (r_i - rbar)^2] / N =
    p (1 - p) (N - 1) / N, largest at p = 1/2."""
    return Bound(name="group_signal_spread", expr=p_s * (1 - p_s) * (N_s - 1) / N_s, direction="exact",
                 quantity="E[within-group spread] / N", source="derived (catalogue R6, B17)", theorem="derived",
                 conditions=("independent Bernoulli(p) rewards",), finite_time=True)


def zero_signal_probability() -> Bound:
    """Derived (catalogue R6): the group carries no signal (all rewards equal) with probability p^N + (1 - p)^N."""
    return Bound(name="zero_signal_probability", expr=p_s ** N_s + (1 - p_s) ** N_s, direction="exact",
                 quantity="P(all N rewards equal)", source="derived (catalogue R6, B17)", theorem="derived",
                 conditions=("independent Bernoulli(p) rewards",), finite_time=True)


# ---- last-iterate schedules (R7) -------------------------------------------------------------------------------------

eta_b, G2_b = sp.IndexedBase("eta", positive=True), sp.IndexedBase("G2", positive=True)
D_s = sp.Symbol("D", positive=True)
T_steps = sp.Symbol("T", positive=True, integer=True)
_t, _u, _kk = sp.symbols("t u kk", positive=True, integer=True)


def last_iterate_defazio2023_thm1() -> Bound:
    """Defazio, Cutkosky, Mehta, Mishchenko (2023), Theorem 1: convex f, SGD x_{t+1} = x_t - eta_t g_t,
    D = ||x_1 - x*||, G_t^2 >= E||g_t||^2:
    E[f(x_T) - f*] <= D^2/(2 S_1) + sum_t eta_t^2 G_t^2/(2 S_1) + 1/2 sum_{k<T} [eta_k / S_{k+1}] [sum_{t>=k} eta_t^2
    G_t^2 / S_k], S_k = sum_{t=k}^T eta_t. The nested sums make symbolic evaluation O(T^2): use
    :func:`last_iterate_bound` for numbers (the two agree; tested)."""
    S = lambda a: sp.Sum(eta_b[_u], (_u, a, T_steps))  # noqa: E731
    sq = sp.Sum(eta_b[_t] ** 2 * G2_b[_t], (_t, _kk, T_steps))
    expr = (D_s ** 2 / (2 * S(1)) + sp.Sum(eta_b[_t] ** 2 * G2_b[_t], (_t, 1, T_steps)) / (2 * S(1))
            + sp.Rational(1, 2) * sp.Sum(eta_b[_kk] / S(_kk + 1) * sq / S(_kk), (_kk, 1, T_steps - 1)))
    return Bound(name="last_iterate_defazio2023_thm1", expr=expr, direction="upper", quantity="E[f(x_T) - f*]",
                 source="Defazio, Cutkosky, Mehta, Mishchenko (2023), When, why and how much? Adaptive learning rate "
                 "scheduling by refinement", theorem="Theorem 1", conditions=("f convex", "every eta_t > 0",
                 "G_t^2 >= E||g_t||^2"), finite_time=True, vectors={eta_b: T_steps, G2_b: T_steps})


def last_iterate_bound(eta, G2, D: float) -> float:
    """Theorem 1 of Defazio et al. (2023) (:func:`last_iterate_defazio2023_thm1`) evaluated in O(T) with suffix sums.
    ``eta`` and ``G2`` are the step sizes and the bounds G_t^2, one per step."""
    eta, G2 = np.asarray(eta, dtype=np.float64), np.asarray(G2, dtype=np.float64)
    if eta.ndim != 1 or eta.shape != G2.shape or eta.size == 0:
        raise BoundError(f"eta and G2 must be 1-D of equal length, got {eta.shape} and {G2.shape}")
    bad = np.flatnonzero(~(eta > 0) | ~np.isfinite(eta))
    if bad.size:
        raise BoundError(f"eta[{bad[0]}] = {eta[bad[0]]!r}: Theorem 1 needs every step size > 0")
    T = eta.size
    S = np.cumsum(eta[::-1])[::-1]                     # S[k] = sum_{t >= k} eta_t (0-based)
    sq = eta ** 2 * G2
    tail_sq = np.cumsum(sq[::-1])[::-1]
    first = D ** 2 / (2 * S[0]) + sq.sum() / (2 * S[0])
    k = np.arange(T - 1)
    third = 0.5 * np.sum(eta[k] / S[k + 1] * tail_sq[k] / S[k])
    return float(first + third)


# ---- records (R8) ----------------------------------------------------------------------------------------------------

T_rec = sp.Symbol("T", positive=True, integer=True)


def expected_records() -> Bound:
    """Records of an exchangeable tie-free sequence (Maraval et al. 2023, derived): P(record at t) = 1/t, so the
    expected number of records in T steps is H_T = sum_{t<=T} 1/t = ln T + gamma_E + o(1)."""
    return Bound(name="expected_records", expr=sp.Sum(1 / _t, (_t, 1, T_rec)), direction="exact",
                 quantity="E[number of records in T steps]", source="Maraval et al. (2023) (derived)",
                 theorem="records of exchangeable sequences", conditions=("exchangeable, no ties",), finite_time=True)


def record_count_law(T: int) -> np.ndarray:
    """P(exactly k records in T steps) = c(T, k) / T!, k = 0..T, with c the unsigned Stirling numbers of the first
    kind (exact rationals converted to floats)."""
    if isinstance(T, bool) or not isinstance(T, (int, np.integer)) or T < 1:
        raise BoundError(f"T must be a positive integer, got {T!r}")
    c = stirling_first_unsigned(int(T))
    return np.array([float(sp.Rational(x, sp.factorial(T))) for x in c])


def stirling_first_unsigned(T: int) -> list[int]:
    """c(T, k), k = 0..T, by the recursion c(n + 1, k) = n c(n, k) + c(n, k - 1)."""
    row = [1]
    for n in range(T):
        row = [(n * (row[k] if k < len(row) else 0)) + (row[k - 1] if k >= 1 else 0) for k in range(len(row) + 1)]
    return row


# ---- pairwise utilities (R9) -----------------------------------------------------------------------------------------

n_pairs = sp.Symbol("n", positive=True)


def bradley_terry_mle_order() -> Bound:
    """Standard asymptotics of maximum likelihood: the Bradley-Terry utilities fitted to n comparisons of a fixed
    set of items have error O(n^(-1/2)) (consistent, root-n; Thurstone data: after the best affine map). Order
    only."""
    return Bound(name="bradley_terry_mle_order", expr=n_pairs ** sp.Rational(-1, 2), direction="upper",
                 quantity="RMS utility error up to a constant", source="Bradley & Terry (1952); Thurstone (1927)",
                 theorem="asymptotic normality of the MLE (order)", conditions=("fixed items", "order only"),
                 finite_time=False)
