"""S3. The 1/t learning rate is exponential in the horizon (Even-Dar & Mansour 2003, abstract; derived).

One state, one action, r = 1, Q_0 = 0, V* = 1/(1 - gamma): the error Y_t = V* - Q_t of (synchronous) Q-learning
obeys Y_t = Y_{t-1} (1 - eta_t (1 - gamma)) exactly. Closed forms (``proofs_check``):
- eta_t = 1/t: Y_T = V* Gamma(T + gamma) / (Gamma(gamma) Gamma(T + 1)) ~ V* T^{-(1 - gamma)} / Gamma(gamma), so the
  iterations to reach eps grow like (V* / (eps Gamma(gamma)))^{1/(1 - gamma)}: exponentially in 1/(1 - gamma);
- eta_t = 1/(1 + (1 - gamma) t): Y_T = V* / (1 + (1 - gamma) T), polynomial.
Checked: the Q-learning kernel of ``tabular_envs.rl`` on that MDP against both closed forms (1e-12 relative to V*,
the closed forms evaluated in 30 digits; several gamma and T); the exact iterations to eps = 1 under 1/t (found by
bisection on the closed form) against the asymptotic formula, and log T_eps against 1/(1 - gamma): linear
(exponential growth) under 1/t, logarithmic under the rescaled rate. Not yet checked: the stochastic multi-state
contrast of the catalogue.
"""
import numpy as np
import sympy as sp

from proofs_check import (
    one_over_t_iterations_to_eps,
    q_learning_one_over_t_error,
    q_learning_rescaled_linear_error,
)
from tabular_envs.rl.qlearning import synchronous_q_learning
from testbed.claim import Claim, Source
from testbed.planting import planted_value
from testbed.stats import decide_exact

REL = 1e-12
DIGITS = 30


def exact_value(bound, **values) -> np.ndarray:
    """The bound's expression evaluated in DIGITS-digit arithmetic (SymPy evalf), elementwise over an array T.
    Double-precision log-Gamma carries about 1e-12 relative error at T = 2000 (measured against mpmath at 50
    digits: 3.9e-13 with math.lgamma, 1.9e-12 with scipy.special.poch; the recursion itself 4.9e-15), which is the
    size of the tolerance, so the reference is computed in higher precision."""
    names = {s.name: s for s in bound.expr.free_symbols}
    T = np.atleast_1d(np.asarray(values.pop("T"), dtype=np.float64))
    base = {names[k]: sp.Float(float(v), DIGITS) for k, v in values.items()}
    return np.array([float(bound.expr.evalf(DIGITS, subs={**base, names["T"]: sp.Float(float(t), DIGITS)}))
                     for t in T])
_GAMMAS = {"quick": (0.5, 0.7, 0.8, 0.9), "standard": (0.5, 0.6, 0.7, 0.8, 0.85, 0.9), "full":
           (0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.93, 0.95)}
_T = {"quick": 2000, "standard": 20000, "full": 200000}
EPS = 1.0


def iterations_to_eps(gamma: float, eps: float = EPS) -> int:
    """The smallest T with V* - Q_T <= eps under eta_t = 1/t (closed form, bisection on the monotone error)."""
    err = q_learning_one_over_t_error()
    v = 1.0 / (1.0 - gamma)

    def y(T):
        return float(err.evaluate(gamma=gamma, T=float(T), V_star=v))
    if y(1) <= eps:
        return 1
    hi = 2
    while y(hi) > eps:
        hi *= 2
    lo = hi // 2
    while hi - lo > 1:
        mid = (lo + hi) // 2
        lo, hi = (mid, hi) if y(mid) > eps else (lo, mid)
    return hi


class OneOverTLearningRate(Claim):
    id = "S3"
    family = "sample_complexity"
    title = "Q-learning with eta_t = 1/t needs iterations exponential in 1/(1 - gamma); the rescaled rate does not"
    source = Source("Even-Dar & Mansour", 2003, "Learning rates for Q-learning (abstract); derived",
                    "closed forms of the one-state recursion")
    status = "confirmed"
    check_type = "identity"
    kind = ("exact",)
    statement = ("One state, r = 1, Q_0 = 0: eta_t = 1/t gives V* - Q_T = V* Gamma(T + gamma)/(Gamma(gamma) "
                 "Gamma(T + 1)) ~ V* T^{-(1-gamma)}/Gamma(gamma), so T_eps ~ (V*/(eps Gamma(gamma)))^{1/(1-gamma)}; "
                 "eta_t = 1/(1 + (1-gamma) t) gives V*/(1 + (1-gamma) T).")

    def bound(self):
        return q_learning_one_over_t_error()

    def tasks(self, fidelity, root_seed):
        return [self.make_task(f"gamma{g}", {"gamma": g, "T": _T[fidelity]}, fidelity, root_seed, f"gamma{g}")
                for g in _GAMMAS[fidelity]]

    def run_task(self, task):
        g, T = task.spec["gamma"], task.spec["T"]
        P, r = np.ones((1, 1, 1)), np.ones((1, 1))
        v = 1.0 / (1.0 - g)
        ck = np.unique(np.round(np.logspace(0, np.log10(T), 25)).astype(np.int64))
        q_star = np.full((1, 1), v)
        err_t, _ = synchronous_q_learning(P, r, g, T, q_star, schedule="one_over_t", checkpoints=ck, seed=task.seed)
        err_lin, _ = synchronous_q_learning(P, r, g, T, q_star, schedule="rescaled_linear", param=1.0,
                                            checkpoints=ck, seed=task.seed)
        return {"T": ck, "err_one_over_t": err_t[0], "err_rescaled": err_lin[0],
                "iterations_one_over_t": np.array(iterations_to_eps(g)),
                "iterations_rescaled": np.array(int(np.ceil((v / EPS - 1) / (1 - g) - 1e-9)))}

    def decide(self, tasks, results):
        closed_t, closed_lin = q_learning_one_over_t_error(), q_learning_rescaled_linear_error()
        worst_t = worst_lin = 0.0
        rows = []
        for task, res in zip(tasks, results, strict=True):
            g = task.spec["gamma"]
            v = 1.0 / (1.0 - g)
            T = res["T"].astype(float)
            yt = planted_value(exact_value(closed_t, gamma=g, T=T, V_star=v))
            yl = planted_value(exact_value(closed_lin, gamma=g, T=T, V_star=v))
            # relative to V*, the scale of the iterate Q_T: the error V* - Q_T is a difference of nearly equal
            # numbers once Q_T is close to V* (first run: 2.9e-12 relative to Y_T itself at T = 2000, gamma 0.9)
            worst_t = max(worst_t, float(np.max(np.abs(res["err_one_over_t"] - yt))) / v)
            worst_lin = max(worst_lin, float(np.max(np.abs(res["err_rescaled"] - yl))) / v)
            asym = float(one_over_t_iterations_to_eps().evaluate(gamma=g, V_star=v, epsilon=EPS))
            rows.append({"gamma": g, "T": T.tolist(), "err_one_over_t": res["err_one_over_t"].tolist(),
                         "err_rescaled": res["err_rescaled"].tolist(), "closed_one_over_t": np.asarray(yt).tolist(),
                         "iterations_one_over_t": int(res["iterations_one_over_t"]),
                         "iterations_rescaled": int(res["iterations_rescaled"]), "iterations_asymptotic": asym})
        x = np.array([1 / (1 - r["gamma"]) for r in rows])
        lt = np.log([r["iterations_one_over_t"] for r in rows])
        lr = np.log([r["iterations_rescaled"] for r in rows])
        errors = {"kernel vs closed form, eta_t = 1/t (relative to V*)": worst_t,
                  "kernel vs closed form, eta_t = 1/(1 + (1 - gamma) t) (relative to V*)": worst_lin}
        v = decide_exact(errors, {k: REL for k in errors})
        # growth: log T_eps against 1/(1 - gamma) is linear under 1/t (slope ~ log(V*/eps) grows too), and the
        # rescaled rate's log T_eps grows only like 2 log(1/(1 - gamma))
        return v.with_evidence(rows=rows, loglinear_slope_one_over_t=float(np.polyfit(x, lt, 1)[0]),
                               loglog_slope_rescaled=float(np.polyfit(np.log(x), lr, 1)[0]))

    def evidence_lines(self, evidence):
        rows = evidence["rows"]
        last = rows[-1]
        return super().evidence_lines(evidence) + [
            f"iterations to error {EPS:g} at gamma = {last['gamma']}: {last['iterations_one_over_t']:.4g} under 1/t "
            f"(asymptotic formula {last['iterations_asymptotic']:.4g}) against {last['iterations_rescaled']} under "
            "the rescaled rate",
            f"log T_eps against 1/(1 - gamma): slope {evidence['loglinear_slope_one_over_t']:.3f} under 1/t "
            f"(exponential growth); the rescaled rate's T_eps grows like (1/(1 - gamma))^"
            f"{evidence['loglog_slope_rescaled']:.2f}"]


CLAIM = OneOverTLearningRate()
