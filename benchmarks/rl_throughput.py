"""Sampled transitions per second of synchronous Q-learning (``tabular_envs.rl``) against a plain NumPy
implementation of the same algorithm (vectorised over the pairs: one inverse-CDF draw per (s, a) per iteration
with ``searchsorted`` on offset rows), in the same process, on a Garnet with S = 100, A = 4.

    python benchmarks/rl_throughput.py [--iterations 2000] [--replications 16]
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402


def numpy_q_learning(P, r, gamma, T, seed):
    """Synchronous Q-learning with eta_t = 1/(1 + (1 - gamma) t), NumPy only (the baseline)."""
    S, A = r.shape
    rng = np.random.default_rng(seed)
    cdf = np.cumsum(P.reshape(S * A, S), axis=1)
    cdf[:, -1] = 1.0
    offsets = np.arange(S * A)[:, None]
    flat = (cdf + offsets).ravel()
    Q = np.zeros((S, A))
    for t in range(1, T + 1):
        u = rng.random(S * A)
        nxt = np.searchsorted(flat, u + offsets[:, 0], side="right") - offsets[:, 0] * S
        eta = 1.0 / (1.0 + (1.0 - gamma) * t)
        Q = (1 - eta) * Q + eta * (r + gamma * Q.max(axis=1)[np.minimum(nxt, S - 1)].reshape(S, A))
    return Q


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--iterations", type=int, default=2000)
    ap.add_argument("--replications", type=int, default=16)
    args = ap.parse_args(argv)
    from tabular_envs import garnet
    from tabular_envs.rl import synchronous_q_learning
    mdp = garnet(100, 4, 10, gamma=0.9, rng=0)
    S, A = mdp.n_states, mdp.n_actions
    T, reps = args.iterations, args.replications
    q0 = np.zeros((S, A))
    synchronous_q_learning(mdp.P, mdp.r, 0.9, 10, q0, n_replications=2)                  # compile
    t0 = time.perf_counter()
    synchronous_q_learning(mdp.P, mdp.r, 0.9, T, q0, n_replications=reps, seed=1)
    kernel = T * S * A * reps / (time.perf_counter() - t0)
    t_np = max(1, T // 10)
    t0 = time.perf_counter()
    numpy_q_learning(mdp.P, mdp.r, 0.9, t_np, 1)
    base = t_np * S * A / (time.perf_counter() - t0)
    print(f"Garnet S = {S}, A = {A}, {T} iterations x {reps} replications, {os.cpu_count()} CPUs")
    print(f"  tabular_envs.rl (Numba, replications in parallel): {kernel:12.3e} transitions/s")
    print(f"  plain NumPy (vectorised over pairs, one run):       {base:12.3e} transitions/s")
    print(f"  ratio {kernel / base:.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
