"""Jacobi and Gauss-Seidel iterations on causal (lower-triangular) maps x = F(x), F_i depending on x_{<i} only.

On such a map Jacobi iteration x^{k+1} = F(x^k) is exact in positions 1..k after k iterations from any start (the
Jacobian of F is strictly lower triangular, so nilpotent), whatever F's Lipschitz constant; Gauss-Seidel in causal
order is exact after one sweep; block Gauss-Seidel-Jacobi (GS across blocks of size B, Jacobi inside) after B
inner iterations per block (the GS-Jacobi sampler of TarFlow, seed paper of claim P9). The finite-horizon MDP is the
RL instance: Jacobi value iteration on the layered (acyclic) state space is exact after H sweeps, Gauss-Seidel in
reverse topological order after one.
"""
from __future__ import annotations

import numpy as np

from ..errors import TabularEnvError

__all__ = ["CausalTanhMap", "causal_tanh_map", "jacobi_iterates", "gauss_seidel_sweep", "block_gs_jacobi",
           "first_exact_iteration", "layered_chain_values", "jacobi_value_iteration", "gauss_seidel_value_iteration"]


class CausalTanhMap:
    """F_i(x) = tanh(W[i] @ x + b[i]) with W strictly lower triangular (``mask_offset = -1``, causal). With
    ``mask_offset = 0`` position i also reads x_i (the off-by-one mask of the claim's trap): not causal."""

    def __init__(self, W: np.ndarray, b: np.ndarray, mask_offset: int = -1):
        W = np.asarray(W, dtype=np.float64)
        b = np.asarray(b, dtype=np.float64)
        if W.ndim != 2 or W.shape[0] != W.shape[1] or b.shape != (W.shape[0],):
            raise TabularEnvError(f"W must be (L, L) and b (L,), got {W.shape} and {b.shape}")
        if not (np.isfinite(W).all() and np.isfinite(b).all()):
            raise TabularEnvError("W and b must be finite")
        if mask_offset not in (-1, 0):
            raise TabularEnvError(f"mask_offset must be -1 (causal) or 0 (x_i reads x_i), got {mask_offset!r}")
        self.W = np.tril(W, k=mask_offset)
        self.b = b
        self.L = b.size

    def __call__(self, x: np.ndarray) -> np.ndarray:
        """F(x), position by position (the same row products as every iteration below, so that a fixed point
        computed by one sweep is a fixed point bit for bit)."""
        return np.array([self.position(i, x) for i in range(self.L)])

    def position(self, i: int, x: np.ndarray) -> float:
        """F_i(x), computed from the same row product as ``__call__`` (so equal inputs give equal bits)."""
        return float(np.tanh(self.W[i] @ x + self.b[i]))

    @property
    def lipschitz(self) -> float:
        """||W||_2, an upper bound of F's Lipschitz constant in the Euclidean norm (tanh is 1-Lipschitz)."""
        return float(np.linalg.norm(self.W, 2))


def causal_tanh_map(L: int, scale: float, rng, mask_offset: int = -1) -> CausalTanhMap:
    """A random causal map of length L with Gaussian weights of standard deviation ``scale / sqrt(L)``."""
    if not (isinstance(L, (int, np.integer)) and L >= 1):
        raise TabularEnvError(f"L must be a positive integer, got {L!r}")
    g = np.random.default_rng(rng)
    return CausalTanhMap(g.normal(0, scale / np.sqrt(L), (L, L)), g.normal(0, 1, L), mask_offset)


def gauss_seidel_sweep(F: CausalTanhMap, x0: np.ndarray) -> np.ndarray:
    """One Gauss-Seidel sweep in causal order (in place on a copy): x_i <- F_i(x) for i = 1..L."""
    x = np.array(x0, dtype=np.float64)
    for i in range(F.L):
        x[i] = F.position(i, x)
    return x


def jacobi_iterates(F: CausalTanhMap, x0: np.ndarray, iterations: int) -> np.ndarray:
    """x^0 = x0, x^{k+1} = F(x^k) (every position from the previous iterate): array (iterations + 1, L)."""
    out = np.empty((iterations + 1, F.L))
    out[0] = x0
    for k in range(iterations):
        out[k + 1] = F(out[k])
    return out


def block_gs_jacobi(F: CausalTanhMap, x0: np.ndarray, block: int, inner: int) -> np.ndarray:
    """Gauss-Seidel across consecutive blocks of ``block`` positions, ``inner`` Jacobi iterations inside each."""
    if not (isinstance(block, (int, np.integer)) and block >= 1):
        raise TabularEnvError(f"block must be a positive integer, got {block!r}")
    x = np.array(x0, dtype=np.float64)
    for start in range(0, F.L, block):
        idx = range(start, min(start + block, F.L))
        for _ in range(inner):
            new = [F.position(i, x) for i in idx]
            x[start:start + len(new)] = new
    return x


def first_exact_iteration(iterates: np.ndarray, fixed_point: np.ndarray) -> np.ndarray:
    """For each position, the first k from which every iterate equals the fixed point exactly (bit for bit);
    -1 where the last iterate still differs."""
    equal = iterates == fixed_point[None, :]
    K = iterates.shape[0]
    # the first k such that equal[k:, i] is all True
    tail_all = np.flip(np.logical_and.accumulate(np.flip(equal, axis=0), axis=0), axis=0)
    first = np.where(tail_all.any(axis=0), np.argmax(tail_all, axis=0), -1)
    return np.where(tail_all[K - 1], first, -1)


def layered_chain_values(n_layers: int, rewards: np.ndarray):
    """A depth-H chain MDP as a layered DAG for value iteration: states (h, s), h = 0..H-1, width n, two actions
    (stay in column s, move to column s+1 mod n), reward rewards[h, s, a], terminal layer H with value 0. Returns
    (next_state[h, s, a], rewards) for the sweeps below."""
    rewards = np.asarray(rewards, dtype=np.float64)
    H, n, A = rewards.shape
    if H != n_layers or A != 2:
        raise TabularEnvError(f"rewards must have shape ({n_layers}, n, 2), got {rewards.shape}")
    nxt = np.empty((H, n, 2), dtype=np.int64)
    nxt[:, :, 0] = np.arange(n)
    nxt[:, :, 1] = (np.arange(n) + 1) % n
    return nxt, rewards


def _backup(nxt, rewards, V, h):
    return np.max(rewards[h] + V[h + 1][nxt[h]], axis=1)


def jacobi_value_iteration(nxt, rewards, sweeps: int, V0: np.ndarray | None = None) -> np.ndarray:
    """Jacobi VI on the layered MDP: every layer backed up from the previous sweep's values; V[H] = 0 stays.
    Returns the values after each sweep, shape (sweeps + 1, H + 1, n)."""
    H, n, _ = rewards.shape
    V = np.zeros((H + 1, n)) if V0 is None else np.array(V0, dtype=np.float64)
    V[H] = 0.0
    out = [V.copy()]
    for _ in range(sweeps):
        new = V.copy()
        for h in range(H):
            new[h] = _backup(nxt, rewards, V, h)
        V = new
        out.append(V.copy())
    return np.array(out)


def gauss_seidel_value_iteration(nxt, rewards, V0: np.ndarray | None = None) -> np.ndarray:
    """One Gauss-Seidel sweep in reverse topological order (layer H-1 first, in place): backward induction."""
    H, n, _ = rewards.shape
    V = np.zeros((H + 1, n)) if V0 is None else np.array(V0, dtype=np.float64)
    V[H] = 0.0
    for h in range(H - 1, -1, -1):
        V[h] = _backup(nxt, rewards, V, h)
    return V
