"""Robust and regularized-robust dynamic programming with (s,a)-rectangular sets.

Inner problems: the worst expectation inf_{p in ball(p0)} p.V, each by its closed form (``worst_*``) and by a
second, independent route (``*_primal``: the primal optimum from its KKT structure, solved by 1-D root finding).
- L1 ball ||p - p0||_1 <= beta (Iyengar 2005; Nilim & El Ghaoui 2005): move min(beta/2, 1 - p0(argmin V)) mass
  onto argmin V, taken from the highest-V states first.
- TV ball (1/2)||p - p0||_1 <= delta: max_{alpha in [min V, max V]} {E_p0 min(V, alpha) - delta (alpha - min V)}.
- KL ball KL(p||p0) <= beta: sup_{lambda >= 0} {-lambda log E_p0 exp(-V/lambda) - lambda beta}.
- chi^2 ball sum (p - p0)^2/p0 <= delta: max_alpha {E_p0 [V]_alpha - sqrt(delta Var_p0([V]_alpha))}, [V]_alpha =
  min(V, alpha).
Regularized inner problems inf_mu {E_mu V + lambda D_f(mu || p0)} (Tang, Liu, Xu 2025, tabular R2PVI):
- TV: E_p0 min(V, min V + lambda); KL: -lambda log E_p0 exp(-V/lambda);
- chi^2: SUP over alpha in [min V, max V] of {E_p0 [V]_alpha - Var_p0([V]_alpha)/(4 lambda)} (a minimum over alpha,
  as in the authors' code, is wrong).
Robust VI: (T_R V)(s) = max_a [r(s, a) + gamma inf_{p in P_{s,a}} p.V], a gamma-contraction.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numba import njit
from scipy.optimize import brentq

from ..errors import SolverError, TabularEnvError
from ..mdp.model import TabularMDP

__all__ = ["worst_l1", "worst_tv", "worst_tv_dual", "worst_kl", "worst_kl_primal", "worst_chi2",
           "worst_chi2_primal", "worst_l1_lp", "regularized_tv", "regularized_kl", "regularized_chi2",
           "regularized_chi2_min_alpha", "regularized_chi2_primal", "regularized_tv_lp", "BALLS", "REGULARIZERS",
           "robust_bellman", "robust_value_iteration", "robust_policy_evaluation", "RobustSolverResult", "worst_kernel",
           "l1_robust_sweep", "l1_robust_sweep_numpy", "regularized_kl_primal", "d_rectangular_regularized_q",
           "robust_q", "worst_kernel_l1", "contraction_ratio"]


def _inputs(p0, V):
    p0 = np.asarray(p0, dtype=np.float64)
    V = np.asarray(V, dtype=np.float64)
    if p0.shape != V.shape or p0.ndim != 1 or p0.size == 0:
        raise TabularEnvError(f"p0 and V must be 1-D of equal length, got {p0.shape}, {V.shape}")
    if (p0 < 0).any() or abs(p0.sum() - 1) > 1e-9 or not np.isfinite(V).all():
        raise TabularEnvError("p0 must be a probability vector and V finite")
    return p0, V


def _radius(name, value):
    if not (np.isfinite(value) and value >= 0):
        raise TabularEnvError(f"{name} must be a finite number >= 0, got {value!r}")
    return float(value)


# ---- uncertainty balls -------------------------------------------------------------------------------------------

def worst_l1(p0, V, beta: float) -> float:
    """inf p.V over ||p - p0||_1 <= beta: the greedy mass transfer (``worst_kernel_l1``)."""
    p0, V = _inputs(p0, V)
    return float(worst_kernel_l1(p0, V, _radius("beta", beta)) @ V)


def worst_l1_lp(p0, V, beta: float) -> float:
    """The same infimum by linear programming (HiGHS): variables p and t >= |p - p0|."""
    from scipy.optimize import linprog
    p0, V = _inputs(p0, V)
    n = p0.size
    c = np.concatenate([V, np.zeros(n)])
    eye = np.eye(n)
    A_ub = np.block([[eye, -eye], [-eye, -eye], [np.zeros((1, n)), np.ones((1, n))]])
    b_ub = np.concatenate([p0, -p0, [beta]])
    A_eq = np.concatenate([np.ones(n), np.zeros(n)])[None]
    res = linprog(c, A_ub=A_ub, b_ub=b_ub, A_eq=A_eq, b_eq=[1.0], bounds=[(0, None)] * (2 * n), method="highs")
    if res.status != 0:
        raise SolverError(f"the linear program of the L1 inner problem failed: {res.message}")
    return float(res.fun)


def worst_tv(p0, V, delta: float) -> float:
    """inf p.V over (1/2)||p - p0||_1 <= delta (the L1 ball of radius 2 delta)."""
    return worst_l1(p0, V, 2 * _radius("delta", delta))


def worst_tv_dual(p0, V, delta: float) -> float:
    """max over alpha in [min V, max V] of E_p0 min(V, alpha) - delta (alpha - min V): piecewise linear and concave
    in alpha, so the maximum is at a breakpoint alpha in {V_i}."""
    p0, V = _inputs(p0, V)
    delta = _radius("delta", delta)
    alphas = np.unique(V)
    return float(max(p0 @ np.minimum(V, a) - delta * (a - V.min()) for a in alphas))


def worst_kl(p0, V, beta: float) -> float:
    """Dual: sup_{lambda > 0} -lambda log E_p0 exp(-V/lambda) - lambda beta, maximised over log lambda in
    [log spread - 40, log spread + 30] by Brent's bounded method (``_kl_dual_max``, the algorithm of SciPy's
    ``minimize_scalar(method='bounded')`` compiled: robust DP solves this once per (s, a) per sweep)."""
    p0, V = _inputs(p0, V)
    beta = _radius("beta", beta)
    support = p0 > 0
    v_min = V[support].min()
    if beta == 0:
        return float(p0 @ V)
    spread = max(V[support].max() - v_min, 1e-12)
    best = _kl_dual_max(p0[support], V[support] - v_min, v_min, beta, math.log(spread) - 40,
                        math.log(spread) + 30, 1e-13)
    return float(max(best, v_min))


@njit(cache=True)
def _kl_neg_dual(log_lam, ps, shifted, v_min, beta):
    lam = math.exp(log_lam)
    total = 0.0
    for i in range(ps.size):
        total += ps[i] * math.exp(-shifted[i] / lam)
    return -(v_min - lam * math.log(total) - lam * beta)


@njit(cache=True)
def _kl_dual_max(ps, shifted, v_min, beta, lower, upper, xatol):
    """max over log lambda in [lower, upper] of the KL dual (``worst_kl``), by Brent's bounded minimisation of its
    negative: golden sections and parabolic steps, step for step SciPy's ``_minimize_scalar_bounded`` (Brent 1973,
    ch. 5; at most 500 evaluations, stopping at absolute tolerance ``xatol``). Returns the maximum."""
    sqrt_eps = math.sqrt(2.2e-16)
    golden_mean = 0.5 * (3.0 - math.sqrt(5.0))
    a, b = lower, upper
    fulc = a + golden_mean * (b - a)
    nfc, xf = fulc, fulc
    rat = e = 0.0
    fx = _kl_neg_dual(xf, ps, shifted, v_min, beta)
    num = 1
    ffulc = fnfc = fx
    xm = 0.5 * (a + b)
    tol1 = sqrt_eps * abs(xf) + xatol / 3.0
    tol2 = 2.0 * tol1
    while abs(xf - xm) > (tol2 - 0.5 * (b - a)):
        golden = True
        if abs(e) > tol1:                                    # try a parabola through the three best points
            golden = False
            r = (xf - nfc) * (fx - ffulc)
            q = (xf - fulc) * (fx - fnfc)
            p = (xf - fulc) * q - (xf - nfc) * r
            q = 2.0 * (q - r)
            if q > 0.0:
                p = -p
            q = abs(q)
            r = e
            e = rat
            if abs(p) < abs(0.5 * q * r) and p > q * (a - xf) and p < q * (b - xf):
                rat = (p + 0.0) / q
                x = xf + rat
                if (x - a) < tol2 or (b - x) < tol2:
                    rat = tol1 * (1.0 if xm - xf >= 0 else -1.0)
            else:
                golden = True
        if golden:
            e = (a - xf) if xf >= xm else (b - xf)
            rat = golden_mean * e
        x = xf + (1.0 if rat >= 0 else -1.0) * max(abs(rat), tol1)
        fu = _kl_neg_dual(x, ps, shifted, v_min, beta)
        num += 1
        if fu <= fx:
            if x >= xf:
                a = xf
            else:
                b = xf
            fulc, ffulc = nfc, fnfc
            nfc, fnfc = xf, fx
            xf, fx = x, fu
        else:
            if x < xf:
                a = x
            else:
                b = x
            if fu <= fnfc or nfc == xf:
                fulc, ffulc = nfc, fnfc
                nfc, fnfc = x, fu
            elif fu <= ffulc or fulc == xf or fulc == nfc:
                fulc, ffulc = x, fu
        xm = 0.5 * (a + b)
        tol1 = sqrt_eps * abs(xf) + xatol / 3.0
        tol2 = 2.0 * tol1
        if num >= 500:
            break
    return -fx


def worst_kl_primal(p0, V, beta: float) -> float:
    """Primal: the minimiser is p_lambda ~ p0 exp(-V/lambda) with KL(p_lambda || p0) = beta (root on log lambda);
    when beta >= -log p0(argmin V on the support), all mass goes to argmin."""
    p0, V = _inputs(p0, V)
    support = p0 > 0
    Vs, ps = V[support], p0[support]
    v_min = Vs.min()
    at_min = Vs == v_min
    if beta >= -math.log(ps[at_min].sum()):
        return float(v_min)

    def tilt(log_lam):
        w = ps * np.exp(-(Vs - v_min) / math.exp(log_lam))
        return w / w.sum()

    def kl_gap(log_lam):
        q = tilt(log_lam)
        nz = q > 0
        return float(np.sum(q[nz] * np.log(q[nz] / ps[nz]))) - beta
    if beta == 0 or np.ptp(Vs) == 0:
        return float(ps @ Vs)
    spread = np.ptp(Vs)
    log_lam = brentq(kl_gap, math.log(spread) - 40, math.log(spread) + 40, xtol=1e-14, rtol=1e-15)
    return float(tilt(log_lam) @ Vs)


def _clip_stats(p0, V, alpha):
    c = np.minimum(V, alpha)
    m = p0 @ c
    return m, max(p0 @ (c - m) ** 2, 0.0)


def _pieces(p0, V):
    """For alpha in [v_k, v_{k+1}] (sorted distinct values of V on the support of p0): q = P(V <= v_k),
    a = E[V 1{V <= v_k}], b = E[V^2 1{V <= v_k}]; then E[V]_alpha = a + (1 - q) alpha and
    Var([V]_alpha) = (b - a^2) + q (1 - q) alpha^2 - 2 a (1 - q) alpha."""
    support = p0 > 0
    v, inv = np.unique(V[support], return_inverse=True)
    w = np.bincount(inv, weights=p0[support], minlength=v.size)
    q = np.cumsum(w)
    a = np.cumsum(w * v)
    b = np.cumsum(w * v * v)
    return v, q, a, b


def _max_clip(p0, V, penalty, stationary):
    """max over alpha in [min V, max V] of E[V]_alpha - penalty(Var([V]_alpha)): each piece between breakpoints is
    smooth, so the maximum is at a breakpoint or at a stationary point of a piece (``stationary`` gives its
    candidates in closed form)."""
    v, q, a, b = _pieces(p0, V)
    best = -np.inf
    for k in range(v.size):
        hi = v[k + 1] if k + 1 < v.size else v[k]
        cands = [v[k], hi] + [x for x in stationary(q[k], a[k], b[k]) if v[k] <= x <= hi]
        # evaluate from centred sums: the expanded variance cancels to ~1e-16, and sqrt turns that into 1e-8
        best = max(best, max((lambda m, var: m - penalty(var))(*_clip_stats(p0, V, x)) for x in cands))
    return float(best)


def worst_chi2(p0, V, delta: float) -> float:
    """max_alpha E_p0 [V]_alpha - sqrt(delta Var_p0([V]_alpha)). On a piece the derivative vanishes where
    Var = delta (q alpha - a)^2 with q alpha >= a: a quadratic in alpha, solved exactly."""
    p0, V = _inputs(p0, V)
    delta = _radius("delta", delta)

    def stationary(q, a, b):
        # (b - a^2) + q(1-q) x^2 - 2a(1-q) x = delta (q x - a)^2
        A2 = q * (1 - q) - delta * q * q
        A1 = -2 * a * (1 - q) + 2 * delta * a * q
        A0 = (b - a * a) - delta * a * a
        if abs(A2) < 1e-300:
            roots = [-A0 / A1] if A1 != 0 else []
        else:
            disc = A1 * A1 - 4 * A2 * A0
            if disc < 0 and disc > -1e-9 * (A1 * A1 + abs(4 * A2 * A0)):
                disc = 0.0                      # a double root pushed below zero by rounding
            roots = [] if disc < 0 else [(-A1 + sgn * math.sqrt(disc)) / (2 * A2) for sgn in (1, -1)]
        return [x for x in roots if q * x >= a - 1e-12 * max(1.0, abs(a))]
    return _max_clip(p0, V, lambda var: math.sqrt(delta * var), stationary)


def worst_chi2_primal(p0, V, delta: float) -> float:
    """Primal: with likelihood ratio q = p/p0, the minimiser is q = (eta - V)_+ / E_p0 (eta - V)_+ with
    E_p0 q^2 = 1 + delta (root on eta); when delta >= 1/p0(argmin) - 1, all mass on argmin (over the support)."""
    p0, V = _inputs(p0, V)
    support = p0 > 0
    Vs, ps = V[support], p0[support]
    v_min = Vs.min()
    if delta >= 1.0 / ps[Vs == v_min].sum() - 1:
        return float(v_min)
    if delta == 0 or np.ptp(Vs) == 0:
        return float(ps @ Vs)

    def second_moment_gap(eta):
        g = np.maximum(eta - Vs, 0.0)
        return float((ps @ g ** 2) / (ps @ g) ** 2) - 1 - delta
    # the ratio falls from 1/p0(argmin) at eta -> min V to 1 as eta -> infinity
    hi = Vs.max() + np.ptp(Vs) * (1 + 1 / math.sqrt(delta)) * 4
    while second_moment_gap(hi) > 0:
        hi = v_min + 2 * (hi - v_min)
    eta = brentq(second_moment_gap, v_min + 1e-15 * max(1, abs(v_min)), hi, xtol=1e-15, rtol=1e-15)
    g = np.maximum(eta - Vs, 0.0)
    return float((ps * g) @ Vs / (ps @ g))


BALLS = {"l1": worst_l1, "tv": worst_tv, "kl": worst_kl, "chi2": worst_chi2}


# ---- regularized inner problems ---------------------------------------------------------------------------------

def regularized_tv(p0, V, lam: float) -> float:
    """inf_mu {E_mu V + lam TV(mu, p0)} = E_p0 min(V, min V + lam) (Tang, Liu, Xu 2025)."""
    p0, V = _inputs(p0, V)
    return float(p0 @ np.minimum(V, V.min() + _radius("lambda", lam)))


def regularized_tv_lp(p0, V, lam: float) -> float:
    """inf_mu mu.V + lam (1/2)||mu - p0||_1 by linear programming."""
    from scipy.optimize import linprog
    p0, V = _inputs(p0, V)
    n = p0.size
    c = np.concatenate([V, np.full(n, lam / 2)])
    eye = np.eye(n)
    A_ub = np.block([[eye, -eye], [-eye, -eye]])
    res = linprog(c, A_ub=A_ub, b_ub=np.concatenate([p0, -p0]), A_eq=np.concatenate([np.ones(n), np.zeros(n)])[None],
                  b_eq=[1.0], bounds=[(0, None)] * (2 * n), method="highs")
    if res.status != 0:
        raise SolverError(f"the linear program of the TV-regularized inner problem failed: {res.message}")
    return float(res.fun)


def regularized_kl(p0, V, lam: float) -> float:
    """inf_mu {E_mu V + lam KL(mu || p0)} = -lam log E_p0 exp(-V / lam) (Donsker-Varadhan; computed stably)."""
    p0, V = _inputs(p0, V)
    lam = _radius("lambda", lam)
    support = p0 > 0
    v_min = V[support].min()
    if lam == 0:
        return float(v_min)
    return float(v_min - lam * math.log(p0[support] @ np.exp(-(V[support] - v_min) / lam)))


def regularized_chi2(p0, V, lam: float) -> float:
    """sup over alpha in [min V, max V] of E_p0 [V]_alpha - Var_p0([V]_alpha)/(4 lambda); on a piece the objective
    is a concave quadratic with vertex q alpha - a = 2 lambda."""
    p0, V = _inputs(p0, V)
    lam = _radius("lambda", lam)
    if lam == 0:
        return float(V[p0 > 0].min())
    return _max_clip(p0, V, lambda var: var / (4 * lam), lambda q, a, b: [(a + 2 * lam) / q] if q > 0 else [])


def regularized_chi2_min_alpha(p0, V, lam: float) -> float:
    """The trap: the same expression MINIMISED over alpha (as in the authors' code); the minimum of a piecewise
    concave function sits at a breakpoint."""
    p0, V = _inputs(p0, V)
    return float(min((lambda m, var: m - var / (4 * lam))(*_clip_stats(p0, V, x)) for x in np.unique(V[p0 > 0])))


def regularized_chi2_primal(p0, V, lam: float) -> float:
    """inf_mu mu.V + lam sum (mu - p0)^2/p0 over the simplex (mu << p0): KKT gives mu_i = p0_i (1 + (eta - V_i)/
    (2 lam))_+ with eta fixed by sum mu = 1 (root finding)."""
    p0, V = _inputs(p0, V)
    support = p0 > 0
    Vs, ps = V[support], p0[support]

    def mass(eta):
        return float(ps @ np.maximum(1 + (eta - Vs) / (2 * lam), 0.0)) - 1
    lo, hi = Vs.min() - 2 * lam, Vs.max() + 2 * lam
    eta = brentq(mass, lo, hi, xtol=1e-15, rtol=1e-15)
    mu = ps * np.maximum(1 + (eta - Vs) / (2 * lam), 0.0)
    mu /= mu.sum()
    return float(mu @ Vs + lam * np.sum((mu - ps) ** 2 / ps))


REGULARIZERS = {"tv": regularized_tv, "kl": regularized_kl, "chi2": regularized_chi2}


# ---- robust DP ---------------------------------------------------------------------------------------------------

def _discounted(mdp):
    if not isinstance(mdp, TabularMDP) or mdp.gamma is None or mdp.P.ndim != 3:
        raise TabularEnvError("robust DP needs a discounted, time-stationary TabularMDP")


def _inner(kind: str, regularized: bool):
    table = REGULARIZERS if regularized else BALLS
    if kind not in table:
        raise TabularEnvError(f"unknown {'regularizer' if regularized else 'ball'} {kind!r}; known: {', '.join(table)}")
    return table[kind]


def robust_q(mdp: TabularMDP, V, kind: str, radius: float, regularized: bool = False) -> np.ndarray:
    """Q(s, a) = r(s, a) + gamma inf_{p in the ball around P(.|s, a)} p.V (or the regularized inner problem), for the
    ball ``kind`` in BALLS (REGULARIZERS when ``regularized``) of the given radius (lambda)."""
    _discounted(mdp)
    f = _inner(kind, regularized)
    S, A = mdp.r.shape
    return np.array([[mdp.r[s, a] + mdp.gamma * f(mdp.P[s, a], V, radius) for a in range(A)] for s in range(S)])


def contraction_ratio(mdp: TabularMDP, V, U, kind: str, radius: float, regularized: bool = False) -> float:
    """||T_R V - T_R U||_inf / (gamma ||V - U||_inf): at most 1 for a gamma-contraction."""
    num = np.max(np.abs(robust_bellman(mdp, V, kind, radius, regularized) - robust_bellman(mdp, U, kind, radius,
                                                                                         regularized)))
    return float(num / (mdp.gamma * np.max(np.abs(np.asarray(V) - np.asarray(U)))))


def robust_bellman(mdp: TabularMDP, V, kind: str, radius: float, regularized: bool = False) -> np.ndarray:
    """(T_R V)(s) = max_a [r(s, a) + gamma inf_{p in P_{s,a}} p.V] (or the regularized inner problem)."""
    return robust_q(mdp, V, kind, radius, regularized).max(axis=1)


@dataclass(frozen=True)
class RobustSolverResult:
    """Robust value iteration's result: V*_rob (up to ``value_error_bound`` in sup norm), a greedy deterministic
    policy, the number of sweeps and the final residual ||V_k - V_{k-1}||."""
    values: np.ndarray
    policy: np.ndarray
    iterations: int
    residual: float
    value_error_bound: float
    stopping_rule: str


def _sweeps(operator, n_states: int, gamma: float, threshold: float, max_iterations: int, what: str):
    """Iterate V <- operator(V) from 0 until ||V_k - V_{k-1}|| < threshold (one sweep when gamma = 0: exact)."""
    if isinstance(max_iterations, bool) or not isinstance(max_iterations, (int, np.integer)) or max_iterations < 1:
        raise TabularEnvError(f"max_iterations must be a positive integer, got {max_iterations!r}")
    V = np.zeros(n_states)
    for k in range(1, max_iterations + 1):
        new, extra = operator(V)
        residual = float(np.max(np.abs(new - V)))
        if gamma == 0 or residual < threshold:
            return new, extra, k, residual
        V = new
    raise SolverError(f"{what} did not reach the residual {threshold:.3g} in {max_iterations} sweeps (last residual "
                      f"{residual:.3g}); raise max_iterations or epsilon")


def robust_value_iteration(mdp: TabularMDP, kind: str, radius: float, regularized: bool = False,
                           epsilon: float = 1e-10, max_iterations: int = 100_000) -> RobustSolverResult:
    """Robust VI, stopped on the sup-norm rule ||V_{k+1} - V_k|| < epsilon (1 - gamma)/(2 gamma) (Puterman 1994,
    Thm 6.3.1, which carries over to the gamma-contraction T_R): then ||V_{k+1} - V*_rob|| < epsilon / 2 and the
    greedy policy is epsilon-optimal against the worst case. One sweep is exact when gamma = 0. Raises SolverError
    when the rule is not met within ``max_iterations`` sweeps."""
    _discounted(mdp)
    if not (np.isfinite(epsilon) and epsilon > 0):
        raise TabularEnvError(f"epsilon must be a positive number, got {epsilon!r}")
    g = mdp.gamma
    threshold = epsilon * (1 - g) / (2 * g) if g > 0 else np.inf

    def sweep(V):
        Q = robust_q(mdp, V, kind, radius, regularized)
        return Q.max(axis=1), Q.argmax(axis=1)
    values, policy, k, residual = _sweeps(sweep, mdp.n_states, g, threshold, max_iterations, "robust value iteration")
    return RobustSolverResult(values, policy, k, residual, g / (1 - g) * residual,
                              "sup-norm: stop when ||V_k+1 - V_k||_inf < eps (1 - gamma) / (2 gamma)")


def robust_policy_evaluation(mdp: TabularMDP, policy, kind: str, radius: float, epsilon: float = 1e-12,
                             max_iterations: int = 100_000) -> np.ndarray:
    """The worst-case (dynamic adversary) value of a deterministic stationary policy: iterates its robust evaluation
    operator (a gamma-contraction) until the residual is below ``epsilon``, so the returned value is within
    gamma epsilon / (1 - gamma) of the fixed point. Raises SolverError when that takes more than ``max_iterations``
    sweeps (an unconverged value is never returned)."""
    _discounted(mdp)
    f = _inner(kind, False)
    pol = np.asarray(policy)
    if pol.shape != (mdp.n_states,) or not np.issubdtype(pol.dtype, np.integer) or (pol < 0).any() \
            or (pol >= mdp.n_actions).any():
        raise TabularEnvError(f"policy must be {mdp.n_states} action indices in 0..{mdp.n_actions - 1}, got {policy!r}")

    def sweep(V):
        return np.array([mdp.r[s, pol[s]] + mdp.gamma * f(mdp.P[s, pol[s]], V, radius)
                         for s in range(mdp.n_states)]), None
    values, _, _, _ = _sweeps(sweep, mdp.n_states, mdp.gamma, epsilon, max_iterations,
                              "robust policy evaluation")
    return values


def worst_kernel_l1(p0, V, beta: float) -> np.ndarray:
    """The minimiser of p.V over the L1 ball (Iyengar 2005; Nilim & El Ghaoui 2005): move min(beta/2,
    1 - p0(argmin V)) mass onto argmin V, taken from the highest-V states first."""
    p0, V = _inputs(p0, V)
    p = p0.copy()
    j = int(np.argmin(V))
    budget = min(beta / 2, 1.0 - p0[j])
    p[j] += budget
    for i in np.argsort(-V, kind="stable"):
        if budget <= 0:
            break
        if i == j:
            continue
        take = min(p[i], budget)
        p[i] -= take
        budget -= take
    return p


def worst_kernel(mdp: TabularMDP, V, beta: float) -> np.ndarray:
    """A static model: for every (s, a), the L1-ball minimiser against V."""
    return np.array([[worst_kernel_l1(mdp.P[s, a], V, beta) for a in range(mdp.n_actions)]
                     for s in range(mdp.n_states)])


# ---- fast L1 sweep (benchmark) ---------------------------------------------------------------------------------

@njit(cache=True)
def _l1_sweep(P, r, gamma, beta, V, order, out):
    S, A, _ = P.shape
    j = order[0]                       # argmin V (order sorts V ascending)
    for s in range(S):
        best = -np.inf
        for a in range(A):
            budget = min(beta / 2.0, 1.0 - P[s, a, j])
            val = 0.0
            for i in range(S):
                val += P[s, a, i] * V[i]
            val += budget * V[j]
            for k in range(S - 1, 0, -1):       # highest V first
                if budget <= 0.0:
                    break
                i = order[k]
                take = min(P[s, a, i], budget)
                val -= take * V[i]
                budget -= take
            q = r[s, a] + gamma * val
            if q > best:
                best = q
        out[s] = best


def l1_robust_sweep(mdp: TabularMDP, V, beta: float) -> np.ndarray:
    """One L1-robust Bellman sweep (Numba); equal to ``robust_bellman(mdp, V, 'l1', beta)`` when argmin V is
    unique."""
    V = np.ascontiguousarray(V, dtype=np.float64)
    out = np.empty(mdp.n_states)
    _l1_sweep(np.ascontiguousarray(mdp.P), mdp.r, mdp.gamma, float(beta), V, np.argsort(V, kind="stable"), out)
    return out


def l1_robust_sweep_numpy(mdp: TabularMDP, V, beta: float) -> np.ndarray:
    """The same sweep in plain NumPy: sort once, then cumulative sums give the mass removed from the top."""
    S, A, _ = mdp.P.shape
    order = np.argsort(V, kind="stable")
    j = order[0]
    Ps = mdp.P[:, :, order[::-1]]                                   # highest V first
    Vs = V[order[::-1]]
    budget = np.minimum(beta / 2, 1.0 - mdp.P[:, :, j])
    removed_before = np.cumsum(Ps, axis=2) - Ps
    take = np.clip(budget[:, :, None] - removed_before, 0.0, Ps)
    take[:, :, -1] = 0.0                                              # argmin itself is never a donor
    val = mdp.P @ V + budget * V[j] - take @ Vs
    return (mdp.r + mdp.gamma * val).max(axis=1)


def regularized_kl_primal(p0, V, lam: float) -> float:
    """E_mu V + lam KL(mu || p0) at the Gibbs distribution mu ~ p0 exp(-V/lam) (the minimiser, by the
    Donsker-Varadhan variational formula): an independent evaluation of ``regularized_kl``."""
    p0, V = _inputs(p0, V)
    support = p0 > 0
    Vs, ps = V[support], p0[support]
    w = ps * np.exp(-(Vs - Vs.min()) / lam)
    mu = w / w.sum()
    nz = mu > 0
    return float(mu @ Vs + lam * np.sum(mu[nz] * np.log(mu[nz] / ps[nz])))


def d_rectangular_regularized_q(features, mu0, r, gamma: float, V, lam: float, kind: str) -> np.ndarray:
    """Q(s, a) = r(s, a) + gamma sum_i phi_i(s, a) inf_{mu_i} {E_{mu_i} V + lam D(mu_i || mu0_i)}: the
    d-rectangular regularized Bellman step of R2PVI (Tang, Liu, Xu 2025) with P(.|s, a) = sum_i phi_i(s, a) mu0_i.
    ``features`` (S, A, d) non-negative rows summing to 1, ``mu0`` (d, S)."""
    f = _inner(kind, True)
    inner = np.array([f(mu0[i], V, lam) for i in range(mu0.shape[0])])
    return np.asarray(r) + gamma * np.asarray(features) @ inner
