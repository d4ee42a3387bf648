"""Three inner loops of the claims' simulations against the code they replaced, in the same process: the time per
call of each, their ratio, and whether the two give the same numbers (they must, bit for bit).

- robust DP's KL dual (D6, D7, D8): ``tabular_envs.dp.robust.worst_kl`` (a compiled port of SciPy's bounded Brent
  method) against ``scipy.optimize.minimize_scalar(method="bounded")`` on the same objective;
- the Bradley-Terry fit (R9): ``fit_bradley_terry`` (sums by ``np.bincount``) against the same Newton steps with
  ``np.add.at``;
- SQIRL's success check (S8): the policy value summed over each row's support against the dense
  ``episodic.policy_value``, on the published freeway MDP.

    python benchmarks/inner_loops.py [--repeat 2000]
"""
from __future__ import annotations

import argparse
import math
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402


def _per_call(fn, calls: int) -> float:
    fn()                                                   # compile / warm
    t0 = time.perf_counter()
    for _ in range(calls):
        fn()
    return (time.perf_counter() - t0) / calls


def _scipy_worst_kl(p0, V, beta):
    """The replaced route: SciPy's bounded minimisation of the negative dual, as worst_kl did before."""
    from scipy.optimize import minimize_scalar
    support = p0 > 0
    v_min = V[support].min()

    def neg_dual(log_lam):
        lam = math.exp(log_lam)
        return -(v_min - lam * math.log(p0[support] @ np.exp(-(V[support] - v_min) / lam)) - lam * beta)
    spread = max(V[support].max() - v_min, 1e-12)
    best = minimize_scalar(neg_dual, bounds=(math.log(spread) - 40, math.log(spread) + 30), method="bounded",
                           options={"xatol": 1e-13})
    return float(max(-best.fun, v_min))


def _add_at_bradley_terry(n_items, i, j, y, ridge=1e-6, iterations=100):
    """The replaced route: the same Newton steps, gradient and Hessian accumulated with np.add.at."""
    u = np.zeros(n_items)
    for _ in range(iterations):
        p = 1 / (1 + np.exp(-(u[i] - u[j])))
        g = np.zeros(n_items)
        np.add.at(g, i, y - p)
        np.add.at(g, j, p - y)
        g -= ridge * u
        w = p * (1 - p)
        Hm = np.zeros((n_items, n_items))
        np.add.at(Hm, (i, i), w)
        np.add.at(Hm, (j, j), w)
        np.add.at(Hm, (i, j), -w)
        np.add.at(Hm, (j, i), -w)
        Hm += ridge * np.eye(n_items)
        step = np.linalg.solve(Hm, g)
        u += step
        if np.max(np.abs(step - step.mean())) < 1e-12:      # the fit's stopping rule (model._converged)
            break
    return u - u.mean()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=2000, help="calls of the KL dual per route")
    args = ap.parse_args(argv)
    from tabular_envs.dp.robust import worst_kl
    from tabular_envs.rl.episodic import policy_value
    from tabular_envs.rl.sqirl import _policy_value_on_support
    from testbed.claims.retraining.r9_pairwise_utilities.model import fit_bradley_terry, sample_comparisons
    from testbed.claims.sample_complexity.s8_sqirl.claim import reference

    rows = []
    rng = np.random.default_rng(0)
    p0, V = rng.dirichlet(np.ones(6)), rng.normal(0, 3, 6)
    new = _per_call(lambda: worst_kl(p0, V, 0.3), args.repeat)
    old = _per_call(lambda: _scipy_worst_kl(p0, V, 0.3), args.repeat)
    rows.append(("KL dual, one inner problem (n = 6)", new, old, worst_kl(p0, V, 0.3) == _scipy_worst_kl(p0, V, 0.3)))

    u = np.linspace(-1.0, 1.0, 8)
    i, j, y = sample_comparisons(u, 3000, np.random.default_rng(1))
    new = _per_call(lambda: fit_bradley_terry(8, i, j, y), 20)
    old = _per_call(lambda: _add_at_bradley_terry(8, i, j, y), 20)
    same = np.array_equal(fit_bradley_terry(8, i, j, y), _add_at_bradley_terry(8, i, j, y))
    rows.append(("Bradley-Terry fit, 8 items, 3000 comparisons", new, old, same))

    model = reference("freeway_10_fs30")[0]                  # S8's episodic model of the published MDP
    pi = np.random.default_rng(2).integers(0, model.A, (model.H, model.S))
    new = _per_call(lambda: _policy_value_on_support(model.P, model.r, model.states, model.n_support, pi, model.H), 20)
    old = _per_call(lambda: policy_value(model.P, model.r, pi, model.H), 20)
    same = np.array_equal(_policy_value_on_support(model.P, model.r, model.states, model.n_support, pi, model.H),
                          policy_value(model.P, model.r, pi, model.H))
    rows.append((f"policy value, freeway_10_fs30 (S = {model.S}, H = {model.H})", new, old, same))

    print(f"{'inner loop':52} {'now':>10} {'replaced':>10} {'speed-up':>9}  same numbers")
    for name, new, old, same in rows:
        print(f"{name:52} {new * 1e6:8.1f}us {old * 1e6:8.1f}us {old / new:8.1f}x  {same}")
    return 0 if all(r[3] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
