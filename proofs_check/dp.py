"""Formulas of the dynamic-programming claims (D1-D13): value-iteration guarantees (Puterman 1994), the effective
horizon, ROVER, distributional and robust operators, and the representation, model-error and credit bounds."""
import sympy as sp

from .bound import Bound
from .symbols import epsilon, gamma, i, initial_error, k, residual

__all__ = ["vi_contraction_bound", "vi_stopping_threshold", "vi_value_error_bound", "vi_policy_error_bound",
           "effective_horizon_thm5_4_m_k", "effective_horizon_h_k", "rover_softmax_he2025_thm3_2",
           "distributional_wasserstein_contraction", "distributional_cramer_contraction",
           "distributional_quantile_contraction", "cvar_rockafellar_uryasev", "robust_bellman_contraction_iyengar2005",
           "regularized_inner_limit_large_lambda", "regularized_inner_limit_small_lambda", "beer_cosine_he2024",
           "model_error_one_step", "model_error_value", "min_form_stability_cheng2025", "sum_form_stability",
           "softmin_gap"]

_SOURCE = "Puterman (1994), Markov Decision Processes"


def vi_contraction_bound() -> Bound:
    """Puterman (1994), Theorem 6.2.3: T is a gamma-contraction in sup norm, so
    ||V_k - V*|| <= gamma^k ||V_0 - V*||."""
    return Bound(name="vi_contraction_bound", expr=gamma ** k * initial_error, direction="upper",
                 quantity="||V_k - V*||_inf", source=_SOURCE, theorem="Theorem 6.2.3 (Banach fixed point)",
                 conditions=("0 <= gamma < 1", "bounded rewards"), finite_time=True)


def vi_stopping_threshold() -> Bound:
    """Puterman (1994), Theorem 6.3.1: stop when ||V_{k+1} - V_k|| < eps (1 - gamma) / (2 gamma); then the greedy
    policy is eps-optimal and ||V_{k+1} - V*|| < eps / 2."""
    return Bound(name="vi_stopping_threshold", expr=epsilon * (1 - gamma) / (2 * gamma), direction="exact",
                 quantity="sup-norm stopping threshold on ||V_{k+1} - V_k||", source=_SOURCE, theorem="Theorem 6.3.1",
                 conditions=("0 < gamma < 1",), finite_time=True)


def vi_value_error_bound() -> Bound:
    """||V_{k+1} - V*|| <= gamma / (1 - gamma) ||V_{k+1} - V_k|| (Puterman 1994, proof of Theorem 6.3.1)."""
    return Bound(name="vi_value_error_bound", expr=gamma / (1 - gamma) * residual, direction="upper",
                 quantity="||V_{k+1} - V*||_inf", source=_SOURCE, theorem="Theorem 6.3.1 (proof)",
                 conditions=("0 <= gamma < 1",), finite_time=True)


def vi_policy_error_bound() -> Bound:
    """||V^pi - V*|| <= 2 gamma / (1 - gamma) ||V_{k+1} - V_k|| for pi greedy w.r.t. V_{k+1}
    (Puterman 1994, Theorem 6.3.1; Williams & Baird 1993)."""
    return Bound(name="vi_policy_error_bound", expr=2 * gamma / (1 - gamma) * residual, direction="upper",
                 quantity="||V^pi - V*||_inf", source=_SOURCE, theorem="Theorem 6.3.1",
                 conditions=("0 <= gamma < 1", "pi greedy w.r.t. V_{k+1}"), finite_time=True)


# ---- effective horizon (D2) ---------------------------------------------------------------------------------------

H_s, A_s, var_s, gap_s, k_look, m_s = sp.symbols("H A sigma2 Delta k m", positive=True)


def effective_horizon_thm5_4_m_k() -> Bound:
    """Laidlaw, Russell, Dragan (2023), Theorem 5.4 as the authors' code computes it (commit 1a83eb7): GORP(k, m)
    succeeds with probability >= 1/2 for m >= m_k = max_{t,s} ceil(16 sigma2_k(t,s) / Delta_k(t,s)^2 ln(2 H A^k)),
    sigma2 the k-step look-ahead variance term and Delta the gap of Q^k. The expression is one (t, s) term."""
    return Bound(
        name="effective_horizon_thm5_4_m_k",
        expr=sp.ceiling(16 * var_s / gap_s**2 * sp.log(2 * H_s * A_s**k_look)),
        direction="upper",
        quantity="rollouts per action sequence that make GORP(k, m) succeed w.p. >= 1/2",
        source="Laidlaw, Russell, Dragan (2023), Bridging RL theory and practice with the effective horizon",
        theorem="Theorem 5.4 (code, commit 1a83eb7)",
        conditions=("deterministic finite-horizon MDP", "max over reachable (t, s); at least 1"),
        finite_time=True,
    )


def effective_horizon_h_k() -> Bound:
    """Laidlaw, Russell, Dragan (2023): H_k = k + log_A m_k; the effective horizon is min_k H_k."""
    return Bound(name="effective_horizon_h_k", expr=k_look + sp.log(m_s) / sp.log(A_s), direction="exact",
                 quantity="H_k", source="Laidlaw, Russell, Dragan (2023)", theorem="Definition of H_k (Section 5)",
                 conditions=("A >= 2 actions",), finite_time=True)


# ---- ROVER (D3) -----------------------------------------------------------------------------------------------------

R_rew, rho_t = sp.symbols("R rho", positive=True)
reach, n_zero, q_max = sp.IndexedBase("p_reach", nonnegative=True), sp.IndexedBase("N", positive=True), \
    sp.IndexedBase("Q", positive=True)
j_key = sp.Symbol("j", positive=True, integer=True)
n_key = sp.Symbol("n", positive=True, integer=True)


def rover_softmax_he2025_thm3_2() -> Bound:
    """He et al. (2025), Theorem 3.2: on a deterministic tree MDP with binary terminal rewards {0, R} and a correct
    leaf, the softmax policy pi_rho ~ exp(Q^{pi_u}/rho) has V^{pi_rho}(s0) >= R [1 - sum_{s in P} Pr(reach s)
    N(s) / (N(s) + exp(max_a Q^{pi_u}(s, a)/rho))], P the key states (1 <= N(s) <= A(s) - 1 zero-valued actions)."""
    term = reach[j_key] * n_zero[j_key] / (n_zero[j_key] + sp.exp(q_max[j_key] / rho_t))
    return Bound(name="rover_softmax_he2025_thm3_2", expr=R_rew * (1 - sp.Sum(term, (j_key, 1, n_key))),
                 direction="lower", quantity="V^{pi_rho}(s0)", source="He et al. (2025), Random policy valuation is "
                 "enough for LLM reasoning with verifiable rewards", theorem="Theorem 3.2",
                 conditions=("deterministic tree MDP", "binary terminal rewards {0, R}", "a correct leaf exists",
                             "Pr(reach s) under pi_rho"), finite_time=True,
                 vectors={reach: n_key, n_zero: n_key, q_max: n_key})


# ---- distributional operators (D4) ---------------------------------------------------------------------------------

def distributional_wasserstein_contraction() -> Bound:
    """Bellemare, Dabney, Munos (2017), Lemma 3: T^pi is a gamma-contraction in the maximal p-Wasserstein metric,
    1 <= p <= infinity."""
    return Bound(
        name="distributional_wasserstein_contraction",
        expr=gamma,
        direction="upper",
        quantity="sup over pairs of dbar_p(T^pi eta, T^pi nu) / dbar_p(eta, nu)",
        source="Bellemare, Dabney, Munos (2017), A distributional perspective on reinforcement learning",
        theorem="Lemma 3 (number recalled; the catalogue gives none)",
        conditions=("evaluation operator (a fixed policy)", "1 <= p <= infinity"),
        finite_time=True,
    )


def distributional_cramer_contraction() -> Bound:
    """Rowland et al. (2018), Proposition 2: the categorical projection composed with T^pi is a sqrt(gamma)-
    contraction in the maximal Cramer (l2) distance (not gamma)."""
    return Bound(
        name="distributional_cramer_contraction",
        expr=sp.sqrt(gamma),
        direction="upper",
        quantity="sup over pairs of lbar_2(Pi_C T^pi eta, Pi_C T^pi nu) / lbar_2(eta, nu)",
        source="Rowland, Bellemare, Dabney, Munos, Teh (2018), An analysis of categorical distributional RL",
        theorem="Proposition 2 (number recalled; the catalogue gives none)",
        conditions=("fixed atoms on a uniform grid",),
        finite_time=True,
    )


def distributional_quantile_contraction() -> Bound:
    """Dabney, Rowland, Bellemare, Munos (2018), Proposition 2: the quantile projection composed with T^pi is a
    gamma-contraction in the maximal infinity-Wasserstein metric."""
    return Bound(
        name="distributional_quantile_contraction",
        expr=gamma,
        direction="upper",
        quantity="sup over pairs of dbar_inf(Pi_Q T^pi eta, Pi_Q T^pi nu) / dbar_inf(eta, nu)",
        source="Dabney, Rowland, Bellemare, Munos (2018), Distributional RL with quantile regression",
        theorem="Proposition 2 (number recalled; the catalogue gives none)",
        conditions=("N quantiles at midpoints",),
        finite_time=True,
    )


# ---- stock augmentation (D5) -----------------------------------------------------------------------------------------

tau_s, c_s = sp.symbols("tau c", positive=True)
g_atom, p_atom = sp.IndexedBase("g", real=True), sp.IndexedBase("p", nonnegative=True)


def cvar_rockafellar_uryasev() -> Bound:
    """Rockafellar & Uryasev (2000), used by Pires et al. (2025): CVaR_tau(G) = max_c {c - E[(c - G)_+] / tau}; the
    expression is the objective at a given c for a finite law (atoms g_i with probabilities p_i)."""
    expr = c_s - sp.Sum(p_atom[i] * sp.Max(c_s - g_atom[i], 0), (i, 1, n_key)) / tau_s
    return Bound(name="cvar_rockafellar_uryasev", expr=expr, direction="lower", quantity="CVaR_tau(G) (equal at "
                 "the maximising c)", source="Rockafellar & Uryasev (2000); Pires et al. (2025)",
                 theorem="CVaR as a maximum over c", conditions=("0 < tau <= 1", "finite law of G"), finite_time=True,
                 vectors={g_atom: n_key, p_atom: n_key})


# ---- robust and regularized robust DP (D6, D8) -------------------------------------------------------------------

def robust_bellman_contraction_iyengar2005() -> Bound:
    """Iyengar (2005), Theorem 3.2; Nilim & El Ghaoui (2005): with (s,a)-rectangular uncertainty sets the robust
    Bellman operator is a gamma-contraction in sup norm (so robust VI has a unique fixed point, attained by a
    deterministic stationary policy)."""
    return Bound(name="robust_bellman_contraction_iyengar2005", expr=gamma, direction="upper",
                 quantity="||T_R V - T_R U|| / ||V - U||", source="Iyengar (2005), Robust dynamic programming; "
                 "Nilim & El Ghaoui (2005)", theorem="Theorem 3.2 (Iyengar)", conditions=("(s,a)-rectangular sets",
                 "0 <= gamma < 1"), finite_time=True)


lam_s, spread_s, c0_s = sp.symbols("lambda spread C", positive=True)


def regularized_inner_limit_large_lambda() -> Bound:
    """Tang, Liu, Xu (2025), derived: E_P0 V - inf_mu {E_mu V + lambda D(mu || P0)} lies in [0, spread(V)^2 /
    (8 lambda)] for the TV, KL and chi^2 regularizers (lambda -> infinity; Hoeffding's lemma / Pinsker)."""
    return Bound(name="regularized_inner_limit_large_lambda", expr=spread_s ** 2 / (8 * lam_s), direction="upper",
                 quantity="E_P0 V - regularized inner value", source="Tang, Liu, Xu (2025), R2PVI (derived)",
                 theorem="limit lambda -> infinity", conditions=("spread = max V - min V",), finite_time=True)


def regularized_inner_limit_small_lambda() -> Bound:
    """Tang, Liu, Xu (2025), derived: value - m lies in [0, lambda C] as lambda -> 0, with m = min V, C = 1 (TV);
    m = the minimum over the support of P0 and C = log(1/P0(argmin)) (KL) or 1/P0(argmin) - 1 (chi^2)."""
    return Bound(name="regularized_inner_limit_small_lambda", expr=lam_s * c0_s, direction="upper",
                 quantity="regularized inner value - its lambda -> 0 limit", source="Tang, Liu, Xu (2025), R2PVI "
                 "(derived)", theorem="limit lambda -> 0", conditions=("C per regularizer, see the docstring",),
                 finite_time=True)


# ---- BEER (D9) -------------------------------------------------------------------------------------------------------

nphi, nbar, r_s, nw = sp.symbols("phi_norm phibar_norm r w_norm", positive=True)


def beer_cosine_he2024() -> Bound:
    """He et al. (2024), BEER: if Q = phi^T w satisfies the Bellman evaluation equation, phibar = E[phi(s', a')],
    cos(phi, phibar) <= (||phi||^2 + gamma^2 ||phibar||^2 - r^2/||w||^2) / (2 gamma ||phi|| ||phibar||), with
    equality iff phi - gamma phibar is parallel to w (Cauchy-Schwarz on r = (phi - gamma phibar)^T w)."""
    expr = (nphi ** 2 + gamma ** 2 * nbar ** 2 - r_s ** 2 / nw ** 2) / (2 * gamma * nphi * nbar)
    return Bound(name="beer_cosine_he2024", expr=expr, direction="upper", quantity="cos(phi(s,a), phibar(s,a))",
                 source="He et al. (2024), Adaptive regularization of representation rank (BEER; code)",
                 theorem="the cosine bound", conditions=("Q = phi^T w satisfies the Bellman evaluation equation",),
                 finite_time=True)


# ---- model error (D10) -----------------------------------------------------------------------------------------------

L_v, W1_s = sp.symbols("L W_1", nonnegative=True)


def model_error_one_step() -> Bound:
    """Kantorovich-Rubinstein duality (Zheng et al. 2023, derived): |(T_P V)(s,a) - (T_Phat V)(s,a)| <=
    gamma L_V W_1(P(.|s,a), Phat(.|s,a)), L_V the Lipschitz constant of V."""
    return Bound(
        name="model_error_one_step",
        expr=gamma * L_v * W1_s,
        direction="upper",
        quantity="|(T_P V)(s,a) - (T_Phat V)(s,a)|",
        source="Zheng et al. (2023) (derived; standard)",
        theorem="Kantorovich-Rubinstein duality",
        conditions=("metric state space", "L = Lipschitz constant of V"),
        finite_time=True,
    )


def model_error_value() -> Bound:
    """Simulation lemma with Kantorovich-Rubinstein duality (Zheng et al. 2023, derived): ||V*_P - V*_Phat|| <=
    gamma L max_{s,a} W_1 / (1 - gamma), L the Lipschitz constant of V*_Phat [unconfirmed: the paper's norm]."""
    return Bound(name="model_error_value", expr=gamma * L_v * W1_s / (1 - gamma), direction="upper",
                 quantity="||V*_P - V*_Phat||_inf", source="Zheng et al. (2023) (derived; standard)",
                 theorem="simulation lemma", conditions=("L = Lipschitz constant of V*_Phat", "W_1 = max over (s, a)",
                 "sup norm [unconfirmed: the paper's norm]"), finite_time=True)


# ---- min-form credit (D12) -------------------------------------------------------------------------------------------

eps_r, temp, n_steps = sp.symbols("epsilon T n", positive=True)


def min_form_stability_cheng2025() -> Bound:
    """Cheng et al. (2025), PURE (derived): with ||rhat - r||_inf <= eps, the min-form value V_t = min_{i >= t} r_i
    moves by at most eps (min is 1-Lipschitz in sup norm)."""
    return Bound(name="min_form_stability_cheng2025", expr=eps_r, direction="upper", quantity="max_t |Vhat_t - V_t|",
                 source="Cheng et al. (2025), Stop summation (PURE)", theorem="notes + derived",
                 conditions=("||rhat - r||_inf <= eps",), finite_time=True)


def sum_form_stability() -> Bound:
    """The sum-form value V_t = sum_{i >= t} gamma^(i - t) r_i moves by at most eps sum_{i=0}^{n-t-1} gamma^i (attained
    by a uniform shift); the expression is the step-t weight eps (1 - gamma^m)/(1 - gamma), m = n - t."""
    return Bound(name="sum_form_stability", expr=eps_r * (1 - gamma ** n_steps) / (1 - gamma), direction="upper",
                 quantity="|Vhat_t - V_t| with n - t steps to go", source="Cheng et al. (2025) (derived)",
                 theorem="triangle inequality", conditions=("||rhat - r||_inf <= eps", "gamma < 1"), finite_time=True)


def softmin_gap() -> Bound:
    """The softmax(-r/T)-weighted sum of n rewards exceeds min r by at most T log n (and is at least min r)."""
    return Bound(name="softmin_gap", expr=temp * sp.log(n_steps), direction="upper",
                 quantity="sum_i softmax(-r/T)_i r_i - min_i r_i", source="Cheng et al. (2025) (derived)",
                 theorem="log-sum-exp bound", conditions=("temperature T > 0",), finite_time=True)
