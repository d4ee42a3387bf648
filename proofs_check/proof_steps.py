"""Symbolic checks of steps inside proofs. Each check says how it was decided: 'symbolic' (SymPy proved the
identity or the sign exactly) or 'numeric-grid' (dense numeric evaluation, where SymPy cannot decide)."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import sympy as sp

__all__ = ["ProofStepCheck", "ucb1_proof_steps", "rollout_value_maximiser", "signal_spread_maximiser",
           "reward_transformation_steps"]


@dataclass(frozen=True)
class ProofStepCheck:
    """One step of a proof, checked: its statement (LaTeX), how it was decided (``method``: symbolic, numeric-grid
    ...), whether it passed, and what SymPy found."""
    name: str
    statement: str      # LaTeX
    method: str         # "symbolic", "numeric-grid", or "symbolic closed form, sign at 50 digits"
    passed: bool
    detail: str


def _ucb1_tail_sum() -> ProofStepCheck:
    """Auer et al. (2002), proof of Thm 1: the sum over t of at most t^2 terms 2 t^-4 is pi^2 / 3."""
    t = sp.Symbol("t", positive=True, integer=True)
    value = sp.summation(2 * t ** 2 * t ** -4, (t, 1, sp.oo))
    return ProofStepCheck("ucb1_tail_sum", r"\sum_{t\ge1}\sum_{s=1}^{t}\sum_{s'=1}^{t} 2t^{-4} = \frac{\pi^2}{3}",
                          "symbolic", bool(sp.simplify(value - sp.pi ** 2 / 3) == 0), f"sum = {value}")


def _ucb1_exact_tail_below() -> ProofStepCheck:
    """The proof's sum runs over s < t and s' < t: (t-1)^2 terms. Its closed form is below pi^2/3."""
    t = sp.Symbol("t", positive=True, integer=True)
    exact = sp.summation(2 * (t - 1) ** 2 / t ** 4, (t, 1, sp.oo))
    gap = sp.simplify(sp.pi ** 2 / 3 - exact)
    # gap = 4 zeta(3) - pi^4/45: SymPy cannot order zeta values symbolically, so decide at 50 digits
    # (an error below 1e-45 against a gap of order 1).
    gap_value = sp.N(gap, 50)
    return ProofStepCheck(
        "ucb1_exact_tail_below_bound",
        r"\sum_{t\ge1} 2(t-1)^2 t^{-4} \le \frac{\pi^2}{3}",
        "symbolic closed form, sign at 50 digits",
        bool(gap_value > 0),
        f"pi^2/3 - sum = {gap} = {sp.N(gap, 12)}",
    )


def _ucb1_hoeffding_step() -> ProofStepCheck:
    """With c_{t,s} = sqrt(2 ln t / s), Hoeffding's exp(-2 s c^2) equals t^-4."""
    t, s = sp.symbols("t s", positive=True)
    c = sp.sqrt(2 * sp.log(t) / s)
    diff = sp.simplify(sp.exp(-2 * s * c ** 2) - t ** -4)
    return ProofStepCheck("ucb1_hoeffding_radius", r"e^{-2 s c_{t,s}^2} = t^{-4},\ c_{t,s}=\sqrt{2\ln t/s}",
                          "symbolic", diff == 0, f"difference simplifies to {diff}")


def _ucb1_pull_threshold() -> ProofStepCheck:
    """s >= 8 ln n / Delta^2 implies c_{n,s} <= Delta / 2 (the step fixing the constant 8)."""
    n, s, d = sp.symbols("n s Delta", positive=True)
    s_min = 8 * sp.log(n) / d ** 2
    lhs = sp.simplify(sp.sqrt(2 * sp.log(n) / s_min) - d / 2)
    grid_ok = True
    for nv in np.geomspace(3, 1e9, 25):
        for dv in np.linspace(0.01, 1, 25):
            smin = 8 * np.log(nv) / dv ** 2
            for sv in (smin, 1.5 * smin, 10 * smin):
                grid_ok &= np.sqrt(2 * np.log(nv) / sv) <= dv / 2 * (1 + 1e-12)
    return ProofStepCheck("ucb1_pull_threshold", r"s\ge \frac{8\ln n}{\Delta^2}\Rightarrow c_{n,s}\le\frac{\Delta}{2}",
                          "symbolic", bool(lhs == 0 and grid_ok),
                          f"at s = 8 ln n / Delta^2: c - Delta/2 = {lhs}; c decreases in s (checked on a grid too)")


def ucb1_proof_steps() -> list[ProofStepCheck]:
    """The steps behind UCB1's constants 8 and 1 + pi^2/3 (Auer, Cesa-Bianchi, Fischer 2002, Thm 1)."""
    return [_ucb1_hoeffding_step(), _ucb1_pull_threshold(), _ucb1_tail_sum(), _ucb1_exact_tail_below()]


def _unique_interior_maximiser(f: sp.Expr, p: sp.Symbol) -> sp.Expr | None:
    """The unique critical point of f in (0, 1) when it is a strict maximum there, else None."""
    crit = [c for c in sp.solve(sp.diff(f, p), p) if c.is_real and 0 < c < 1]
    if len(crit) != 1 or not bool(sp.diff(f, p, 2).subs(p, crit[0]) < 0):
        return None
    return crit[0]


def rollout_value_maximiser() -> ProofStepCheck:
    """Li et al. (2025), knapsack RL (derived, catalogue B17): p (1 - p)^2, the per-task factor of Value(N, p), has
    its maximum on (0, 1) at p = 1/3."""
    p = sp.Symbol("p", positive=True)
    star = _unique_interior_maximiser(p * (1 - p) ** 2, p)
    return ProofStepCheck("rollout_value_maximiser", r"\arg\max_{p\in(0,1)} p(1-p)^2 = \frac{1}{3}", "symbolic",
                          star == sp.Rational(1, 3), f"unique interior critical point: {star}")


def signal_spread_maximiser() -> ProofStepCheck:
    """Catalogue R6 (derived): p (1 - p), the scale of the group-relative signal, is largest at p = 1/2."""
    p = sp.Symbol("p", positive=True)
    star = _unique_interior_maximiser(p * (1 - p), p)
    return ProofStepCheck("signal_spread_maximiser", r"\arg\max_{p\in(0,1)} p(1-p) = \frac{1}{2}", "symbolic",
                          star == sp.Rational(1, 2), f"unique interior critical point: {star}")


def reward_transformation_steps() -> list[ProofStepCheck]:
    """Wang et al. (2024) (formula recalled, catalogue R4): with u = log sigmoid(r - r_ref), the sum of the u_i is the
    log of the product of the sigmoids (the log-probability that independent Bradley-Terry judgements all prefer
    the response), du/dr = 1 - sigmoid(r - r_ref), and du/dr -> 0 as r -> infinity (diminishing returns)."""
    r, ref = sp.symbols("r r_ref", real=True)
    r1, r2, f1, f2 = sp.symbols("r1 r2 f1 f2", real=True)

    def sig(z):
        return 1 / (1 + sp.exp(-z))
    u = sp.log(sig(r - ref))
    product = sp.simplify(sp.expand_log(sp.log(sig(r1 - f1) * sig(r2 - f2)), force=True)
                          - (sp.log(sig(r1 - f1)) + sp.log(sig(r2 - f2))))
    slope = sp.simplify(sp.diff(u, r) - (1 - sig(r - ref)))
    limit = sp.limit(sp.diff(u, r), r, sp.oo)
    return [
        ProofStepCheck(
            "sum_of_log_sigmoids",
            r"\sum_i \log\sigma(r_i - r_i^{ref}) = \log\prod_i\sigma(r_i - r_i^{ref})",
            "symbolic",
            product == 0,
            f"difference simplifies to {product}",
        ),
        ProofStepCheck(
            "transformed_reward_slope",
            r"\partial_r \log\sigma(r - r_{ref}) = 1 - \sigma(r - r_{ref})",
            "symbolic",
            slope == 0,
            f"difference simplifies to {slope}",
        ),
        ProofStepCheck(
            "diminishing_returns",
            r"\lim_{r\to\infty}\partial_r \log\sigma(r - r_{ref}) = 0",
            "symbolic",
            limit == 0,
            f"limit = {limit}",
        ),
    ]
