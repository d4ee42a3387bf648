"""Distributional dynamic programming on finite supports (Bellemare, Dabney, Munos 2017; Rowland et al. 2018;
Dabney et al. 2018).

A return-distribution function eta assigns each state a finite-support distribution, stored as a list of
(atoms, probabilities) pairs with sorted, distinct atoms.
- ``evaluation_operator`` (T^pi eta)(s) = law of r(s, A) + gamma G(S'), A ~ pi(.|s), S' ~ P(.|s, A): exact atoms.
- ``control_operator``: the same with A greedy for the means of eta (lowest index among ties).
- ``categorical_projection`` Pi_C onto a fixed uniform grid (Rowland et al. 2018, Eq. 7): each atom's mass is split
  between the two neighbouring grid points in proportion to proximity; mass outside the grid goes to its ends.
- ``quantile_projection`` Pi_Q onto m atoms at the quantile midpoints tau_i = (2i - 1)/(2m) (Dabney et al. 2018).
- distances from CDFs and quantile functions: ``wasserstein`` (p >= 1 or inf) and ``cramer`` (l2), each with a
  ``maximal_*`` sup over states.
- ``categorical_evaluation_sweep``: one Pi_C T^pi sweep on arrays (S, m) of grid probabilities, a Numba kernel
  (``categorical_sweep_numpy`` is the plain NumPy version, for the benchmark and as an independent route).
"""
from __future__ import annotations

import numpy as np
from numba import njit

from ..errors import TabularEnvError
from ..mdp.model import TabularMDP
from ..mdp.solvers import policy_matrix

__all__ = ["Dist", "dirac", "normalize", "mean", "wasserstein", "cramer", "maximal_wasserstein", "maximal_cramer",
           "evaluation_operator", "control_operator", "categorical_projection", "quantile_projection",
           "uniform_grid", "categorical_evaluation_sweep", "categorical_sweep_numpy", "categorical_fixed_point",
           "grid_to_dists"]

Dist = tuple  # (atoms, probs)


def normalize(atoms, probs) -> Dist:
    """Sorted distinct atoms with their total probabilities; zero-probability atoms dropped."""
    atoms = np.asarray(atoms, dtype=np.float64).ravel()
    probs = np.asarray(probs, dtype=np.float64).ravel()
    if atoms.shape != probs.shape or atoms.size == 0:
        raise TabularEnvError(
            f"atoms and probs must be non-empty and of equal length, got {atoms.shape}, {probs.shape}"
        )
    if not (np.isfinite(atoms).all() and np.isfinite(probs).all()) or (probs < 0).any():
        i = int(np.flatnonzero(~np.isfinite(atoms) | ~np.isfinite(probs) | (probs < 0))[0])
        raise TabularEnvError(f"atom {i}: value {atoms[i]!r} with probability {probs[i]!r} is not a finite "
                              "non-negative mass")
    if abs(probs.sum() - 1) > 1e-9:
        raise TabularEnvError(f"probabilities sum to {probs.sum()!r}, not 1")
    uniq, inv = np.unique(atoms, return_inverse=True)
    total = np.bincount(inv, weights=probs, minlength=uniq.size)
    keep = total > 0
    return uniq[keep], total[keep]


def dirac(x: float) -> Dist:
    """The point mass at ``x`` as a finite-support distribution (atoms, probabilities)."""
    return np.array([float(x)]), np.array([1.0])


def mean(d: Dist) -> float:
    """The mean of a finite-support distribution."""
    return float(np.dot(d[0], d[1]))


def _quantile_steps(d1: Dist, d2: Dist):
    """Common breakpoints u of the two quantile functions and their values on each interval (u_{i-1}, u_i]."""
    c1, c2 = np.cumsum(d1[1]), np.cumsum(d2[1])
    # cumulative sums that agree up to rounding (0.5 vs 0.49999999999999994) are one breakpoint: a sliver
    # interval between them would pair the wrong atoms and corrupt W_inf
    u = np.sort(np.concatenate([c1, c2]))
    u = u[np.concatenate([[True], np.diff(u) > 1e-12])]
    u = np.concatenate([u[(u > 1e-12) & (u < 1 - 1e-12)], [1.0]])
    mid = (np.concatenate([[0.0], u[:-1]]) + u) / 2
    q1 = d1[0][np.minimum(np.searchsorted(c1, mid, side="left"), c1.size - 1)]
    q2 = d2[0][np.minimum(np.searchsorted(c2, mid, side="left"), c2.size - 1)]
    return np.diff(np.concatenate([[0.0], u])), q1, q2


def wasserstein(d1: Dist, d2: Dist, p: float = 1.0) -> float:
    """W_p between finite-support distributions from their quantile functions: (int_0^1 |F^-1 - G^-1|^p du)^(1/p);
    p = inf gives the sup over u of |F^-1 - G^-1|."""
    w, q1, q2 = _quantile_steps(d1, d2)
    diff = np.abs(q1 - q2)
    if np.isinf(p):
        return float(diff[w > 0].max())
    if p < 1:
        raise TabularEnvError(f"p must be >= 1 or inf, got {p!r}")
    return float(np.sum(w * diff ** p) ** (1.0 / p))


def cramer(d1: Dist, d2: Dist) -> float:
    """The Cramer (l2) distance sqrt(int (F(x) - G(x))^2 dx) from the two CDFs."""
    x = np.union1d(d1[0], d2[0])
    F = np.array([d1[1][d1[0] <= v].sum() for v in x])
    G = np.array([d2[1][d2[0] <= v].sum() for v in x])
    return float(np.sqrt(np.sum(np.diff(x) * (F[:-1] - G[:-1]) ** 2)))


def maximal_wasserstein(eta1, eta2, p: float = 1.0) -> float:
    """The maximal p-Wasserstein distance sup_s W_p(eta1(s), eta2(s)) between return-distribution functions
    (Bellemare et al. 2017), from the quantile functions (p = inf allowed)."""
    return max(wasserstein(a, b, p) for a, b in zip(eta1, eta2, strict=True))


def maximal_cramer(eta1, eta2) -> float:
    """The maximal Cramer (l2) distance sup_s l2(eta1(s), eta2(s)) (Rowland et al. 2018), from the CDFs."""
    return max(cramer(a, b) for a, b in zip(eta1, eta2, strict=True))


def _check(mdp: TabularMDP, eta) -> None:
    if not isinstance(mdp, TabularMDP) or mdp.gamma is None or mdp.P.ndim != 3:
        raise TabularEnvError("distributional operators need a discounted, time-stationary TabularMDP")
    if len(eta) != mdp.n_states:
        raise TabularEnvError(f"eta has {len(eta)} distributions for {mdp.n_states} states")


def _backup(mdp: TabularMDP, eta, weights) -> list:
    """weights[s, a]: the action distribution at s; returns the law of r(s, A) + gamma G(S') for each s."""
    out = []
    for s in range(mdp.n_states):
        atoms, probs = [], []
        for a in np.flatnonzero(weights[s] > 0):
            for s2 in np.flatnonzero(mdp.P[s, a] > 0):
                atoms.append(mdp.r[s, a] + mdp.gamma * eta[s2][0])
                probs.append(weights[s, a] * mdp.P[s, a, s2] * eta[s2][1])
        atoms, probs = np.concatenate(atoms), np.concatenate(probs)
        out.append(normalize(atoms, probs / probs.sum()))
    return out


def evaluation_operator(mdp: TabularMDP, policy, eta) -> list:
    """(T^pi eta)(s): exact atoms (Bellemare et al. 2017, Eq. 1)."""
    _check(mdp, eta)
    return _backup(mdp, eta, policy_matrix(mdp, policy))


def control_operator(mdp: TabularMDP, eta) -> list:
    """(T eta)(s) with the action greedy for r(s, a) + gamma E[G(S')] (lowest index among ties)."""
    _check(mdp, eta)
    means = np.array([mean(d) for d in eta])
    q = mdp.r + mdp.gamma * mdp.P @ means
    greedy = np.zeros_like(q)
    greedy[np.arange(mdp.n_states), q.argmax(axis=1)] = 1.0
    return _backup(mdp, eta, greedy)


def uniform_grid(v_min: float, v_max: float, m: int) -> np.ndarray:
    """``n`` evenly spaced atoms from ``lo`` to ``hi`` (the categorical support)."""
    if not (m >= 2 and v_max > v_min):
        raise TabularEnvError(f"a grid needs m >= 2 atoms and v_max > v_min, got m={m}, [{v_min}, {v_max}]")
    return np.linspace(v_min, v_max, m)


def _project_weights(x: np.ndarray, grid: np.ndarray):
    """For each point x: the lower grid index and the weight on it (the rest goes to index + 1)."""
    dz = grid[1] - grid[0]
    pos = np.clip((x - grid[0]) / dz, 0.0, grid.size - 1.0)
    lo = np.minimum(np.floor(pos).astype(np.int64), grid.size - 2)
    return lo, 1.0 - (pos - lo)


def categorical_projection(d: Dist, grid: np.ndarray) -> Dist:
    """Pi_C: the categorical projection onto a uniform grid (Rowland et al. 2018, Eq. 7)."""
    lo, w = _project_weights(d[0], grid)
    probs = np.zeros(grid.size)
    np.add.at(probs, lo, d[1] * w)
    np.add.at(probs, lo + 1, d[1] * (1 - w))
    return normalize(grid, probs)


def quantile_projection(d: Dist, m: int) -> Dist:
    """Pi_Q: m atoms at F^-1((2i - 1)/(2m)), each with mass 1/m (Dabney et al. 2018)."""
    tau = (2 * np.arange(1, m + 1) - 1) / (2 * m)
    c = np.cumsum(d[1])
    atoms = d[0][np.minimum(np.searchsorted(c, tau, side="left"), c.size - 1)]
    return normalize(atoms, np.full(m, 1.0 / m))


def grid_to_dists(probs: np.ndarray, grid: np.ndarray) -> list:
    """Probability rows over a fixed grid of atoms as a list of finite-support distributions, one per state."""
    return [normalize(grid, np.clip(p, 0, None) / np.clip(p, 0, None).sum()) for p in probs]


@njit(cache=True)
def _categorical_sweep(P, weights, lo, w_lo, probs, out):
    """out[s] = sum_a weights[s, a] Pi_C(r(s, a) + gamma G(S')), the projection of each shifted grid point fixed
    by (lo, w_lo)[s, a, j]."""
    S, A, _ = P.shape
    m = probs.shape[1]
    mix = np.empty(m)
    for s in range(S):
        for j in range(m):
            out[s, j] = 0.0
        for a in range(A):
            wa = weights[s, a]
            if wa == 0.0:
                continue
            for j in range(m):
                mix[j] = 0.0
            for s2 in range(S):
                p = P[s, a, s2]
                if p != 0.0:
                    for j in range(m):
                        mix[j] += p * probs[s2, j]
            for j in range(m):
                mass = wa * mix[j]
                k = lo[s, a, j]
                out[s, k] += mass * w_lo[s, a, j]
                out[s, k + 1] += mass * (1.0 - w_lo[s, a, j])


def _sweep_setup(mdp: TabularMDP, policy, grid):
    weights = policy_matrix(mdp, policy)
    shifted = mdp.r[:, :, None] + mdp.gamma * grid[None, None, :]
    lo, w = _project_weights(shifted, grid)
    return weights, lo, w


def categorical_evaluation_sweep(mdp: TabularMDP, policy, probs: np.ndarray, grid: np.ndarray, setup=None):
    """One Pi_C T^pi sweep: probs (S, m) on ``grid`` -> (S, m). ``setup`` reuses the projection tables."""
    weights, lo, w = _sweep_setup(mdp, policy, grid) if setup is None else setup
    out = np.empty_like(probs)
    _categorical_sweep(np.ascontiguousarray(mdp.P), weights, lo, w, np.ascontiguousarray(probs), out)
    return out


def categorical_sweep_numpy(mdp: TabularMDP, policy, probs: np.ndarray, grid: np.ndarray, setup=None):
    """The same sweep in plain NumPy: mixtures by one matrix product, projection by np.add.at."""
    weights, lo, w = _sweep_setup(mdp, policy, grid) if setup is None else setup
    S, A, m = lo.shape
    mix = (mdp.P.reshape(S * A, S) @ probs).reshape(S, A, m) * weights[:, :, None]
    out = np.zeros((S, m))
    rows = np.broadcast_to(np.arange(S)[:, None, None], lo.shape)
    np.add.at(out, (rows, lo), mix * w)
    np.add.at(out, (rows, lo + 1), mix * (1 - w))
    return out


def categorical_fixed_point(mdp: TabularMDP, policy, grid: np.ndarray, tol: float = 1e-13,
                            max_sweeps: int = 100_000) -> np.ndarray:
    """eta_C = Pi_C T^pi eta_C by iteration from Dirac masses at the grid's first point (the operator is a
    sqrt(gamma)-contraction in maximal Cramer distance, so this converges geometrically)."""
    setup = _sweep_setup(mdp, policy, grid)
    probs = np.zeros((mdp.n_states, grid.size))
    probs[:, 0] = 1.0
    for _ in range(max_sweeps):
        new = categorical_evaluation_sweep(mdp, policy, probs, grid, setup)
        if np.max(np.abs(new - probs)) < tol:
            return new
        probs = new
    return probs
