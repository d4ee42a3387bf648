"""Formulas of the policy-optimisation claims (P1-P9): softmax policy gradient (Mei et al. 2020), natural policy
gradient with and without entropy regularisation (Agarwal et al. 2021; Cen et al. 2021), the soft Bellman gap,
and the iteration count of Howard's policy iteration (Scherrer 2016)."""
import sympy as sp

from .bound import Bound
from .symbols import K, gamma

__all__ = ["softmax_pg_bandit_mei2020", "softmax_pg_bandit_limit", "softmax_pg_mdp_mei2020", "softmax_pg_mdp_rho_mu",
           "npg_agarwal2021_thm16",
           "entropy_npg_cen2021_thm1", "soft_value_gap", "soft_bellman_contraction", "howard_pi_scherrer2016"]

t, c, eta, tau = sp.symbols("t c eta tau", positive=True)
S_, A_ = sp.symbols("S A", positive=True, integer=True)
C1 = sp.Symbol("C_1", nonnegative=True)
d_q = sp.Symbol("d_Q", nonnegative=True)               # ||Q1 - Q2||_inf
mismatch, inv_mu = sp.symbols("kappa_mu inv_mu_min", positive=True)   # ||d^{pi*}_mu / mu||_inf, ||1/mu||_inf
n_states, n_pairs = sp.symbols("n m", positive=True, integer=True)

_MEI = "Mei, Xiao, Szepesvari, Schuurmans (2020), On the global convergence rates of softmax policy gradient methods"


def softmax_pg_bandit_mei2020() -> Bound:
    """Mei et al. (2020), the one-state theorem (Thm 2 as recalled; to confirm): softmax PG with exact gradient and
    eta = 2/5 from theta_0 = 0 has (pi* - pi_theta_t)^T r <= 5 / (c^2 t), c = inf_t pi_theta_t(a*) > 0."""
    return Bound(name="softmax_pg_bandit_mei2020", expr=5 / (c ** 2 * t), direction="upper",
                 quantity="(pi* - pi_t)^T r, the sub-optimality gap at iteration t", source=_MEI,
                 theorem="Theorem 2 (one state, eta = 2/5; recalled, to confirm)",
                 conditions=("r in [0, 1]^K", "exact gradient", "eta = 2/5", "c = inf_t pi_t(a*)"), finite_time=True)


def softmax_pg_bandit_limit() -> Bound:
    """The limit of t * gap for softmax PG on K arms (derived in the claim P1 from the ansatz pi_t(a) ~ c_a / t,
    a != a*; checked in SymPy there): (K - 1) / (eta K), whatever the gaps."""
    return Bound(name="softmax_pg_bandit_limit", expr=(K - 1) / (eta * K), direction="exact",
                 quantity="lim_t t (r* - pi_t^T r)", source="derived (claim P1)", theorem="ansatz pi_t(a) ~ c_a / t",
                 conditions=("distinct optimal arm", "exact gradient, step eta"), finite_time=False)


def softmax_pg_mdp_mei2020() -> Bound:
    """Mei et al. (2020), Theorem 4 as recalled (to confirm): with eta = (1 - gamma)^3 / 8,
    V*(rho) - V^{pi_t}(rho) <= 16 S / (c^2 (1 - gamma)^6 t) ||d^{pi*}_mu / mu||_inf^2 ||1/mu||_inf."""
    return Bound(name="softmax_pg_mdp_mei2020", expr=16 * S_ / (c ** 2 * (1 - gamma) ** 6 * t) * mismatch ** 2 * inv_mu,
                 direction="upper", quantity="V*(rho) - V^{pi_t}(rho)", source=_MEI,
                 theorem="Theorem 4 (recalled, to confirm)",
                 conditions=("r in [0, 1]", "eta = (1 - gamma)^3 / 8", "mu > 0", "c = inf_{s,t} pi_t(a*(s)|s)"),
                 finite_time=True)


def softmax_pg_mdp_rho_mu() -> Bound:
    """The form of Mei et al.'s Theorem 4 for rho = mu, derived (and checked by hand here) from three confirmed pieces:
    V^{pi_theta}(mu) is L = 8/(1 - gamma)^3 smooth in theta (Agarwal et al. 2021), so the step eta = 1/L gives
    V_{t+1} >= V_t + ||grad||^2 / (2L); Mei et al.'s non-uniform Lojasiewicz inequality
    ||grad V(mu)|| >= c / (sqrt(S) ||d^{pi*}_mu / d^{pi_t}_mu||_inf) (V*(mu) - V_t(mu)), with
    d^{pi_t}_mu >= (1 - gamma) mu (both derived in full in a public RL textbook's policy-gradient section, read step
    by step); then Delta_{t+1} <= Delta_t - kappa Delta_t^2 with kappa = c^2 (1 - gamma)^5 / (16 S D^2), so
    V*(mu) - V_t(mu) <= 16 S D^2 / (c^2 (1 - gamma)^5 t), D = ||d^{pi*}_mu / mu||_inf."""
    D = sp.Symbol("D", positive=True)
    return Bound(name="softmax_pg_mdp_rho_mu", expr=16 * S_ * D ** 2 / (c ** 2 * (1 - gamma) ** 5 * t),
                 direction="upper", quantity="V*(mu) - V^{pi_t}(mu)", source=_MEI + " (Thm 4's form; derived for "
                 "rho = mu)", theorem="derived: smoothness 8/(1-gamma)^3 + the non-uniform Lojasiewicz inequality",
                 conditions=("r in [0, 1]", "eta = (1 - gamma)^3 / 8", "mu > 0", "c = inf_{s,t} pi_t(a*(s)|s)",
                             "D = ||d^{pi*}_mu / mu||_inf"), finite_time=True)


def npg_agarwal2021_thm16() -> Bound:
    """Agarwal, Kakade, Lee, Mahajan (2021, JMLR), Theorem 16 as recalled (to confirm): unregularised softmax NPG,
    pi_{t+1} proportional to pi_t exp(eta A_t / (1 - gamma)) from the uniform policy:
    V*(rho) - V^{(t)}(rho) <= log|A| / (eta t) + 1 / ((1 - gamma)^2 t)."""
    return Bound(name="npg_agarwal2021_thm16", expr=sp.log(A_) / (eta * t) + 1 / ((1 - gamma) ** 2 * t),
                 direction="upper", quantity="V*(rho) - V^{(t)}(rho)",
                 source="Agarwal, Kakade, Lee, Mahajan (2021), On the theory of policy gradient methods",
                 theorem="Theorem 16 (recalled, to confirm)",
                 conditions=("r in [0, 1]", "exact evaluation", "pi_0 uniform"), finite_time=True)


def entropy_npg_cen2021_thm1() -> Bound:
    """Cen, Cheng, Chen, Wei, Chi (2021), Theorem 1 as recalled (to confirm): entropy-regularised NPG with
    0 < eta <= (1 - gamma) / tau has ||Q*_tau - Q_tau^{(t+1)}||_inf <= C_1 gamma (1 - eta tau)^t, with
    C_1 = ||Q*_tau - Q_tau^{(0)}||_inf + 2 tau (1 - eta tau / (1 - gamma)) ||log pi*_tau - log pi^{(0)}||_inf."""
    return Bound(name="entropy_npg_cen2021_thm1", expr=C1 * gamma * (1 - eta * tau) ** t, direction="upper",
                 quantity="||Q*_tau - Q_tau^{(t+1)}||_inf",
                 source="Cen, Cheng, Chen, Wei, Chi (2021), Fast global convergence of natural policy gradient "
                        "methods with entropy regularization",
                 theorem="Theorem 1 (recalled, to confirm)", conditions=("0 < eta <= (1 - gamma) / tau",
                                                                          "exact evaluation"), finite_time=True)


def soft_value_gap() -> Bound:
    """V*_hard <= V*_tau <= V*_hard + tau log A / (1 - gamma) (the entropy of a policy is at most log A at every
    step; Geist, Scherrer, Pietquin 2019, Sec. 2; equality on a state whose A actions are identical)."""
    return Bound(name="soft_value_gap", expr=tau * sp.log(A_) / (1 - gamma), direction="upper",
                 quantity="max_s V*_tau(s) - V*(s)",
                 source="Geist, Scherrer, Pietquin (2019), A theory of regularized Markov decision processes",
                 theorem="Sec. 2 (regularised optimum; entropy <= log A)", conditions=("0 <= gamma < 1", "tau > 0"),
                 finite_time=True)


def soft_bellman_contraction() -> Bound:
    """||T_tau Q1 - T_tau Q2||_inf <= gamma ||Q1 - Q2||_inf (log-sum-exp is 1-Lipschitz in sup norm; Haarnoja et al.
    2017, Appendix A.2; Geist et al. 2019, Prop. 2)."""
    return Bound(name="soft_bellman_contraction", expr=gamma * d_q, direction="upper",
                 quantity="||T_tau Q1 - T_tau Q2||_inf", source="Haarnoja, Tang, Abbeel, Levine (2017); Geist, "
                 "Scherrer, Pietquin (2019)", theorem="App. A.2; Prop. 2", conditions=("0 <= gamma < 1",),
                 finite_time=True)


def howard_pi_scherrer2016() -> Bound:
    """Scherrer (2016, Math. Oper. Res.; NIPS 2013), Howard's PI terminates after at most
    (m - n) ceil(1/(1 - gamma) log(1/(1 - gamma))) iterations, m the total number of state-action pairs and n the
    number of states (the abstract confirms the order O(m/(1 - gamma) log(1/(1 - gamma))); the constant is recalled,
    to confirm)."""
    return Bound(name="howard_pi_scherrer2016",
                 expr=(n_pairs - n_states) * sp.ceiling(1 / (1 - gamma) * sp.log(1 / (1 - gamma))),
                 direction="upper", quantity="iterations of Howard's policy iteration",
                 source="Scherrer (2016), Improved and generalized upper bounds on the complexity of policy iteration",
                 theorem="Theorem 3 (order confirmed from the abstract; constant recalled, to confirm)",
                 conditions=("0 < gamma < 1", "switch wherever the advantage is positive"), finite_time=True)

