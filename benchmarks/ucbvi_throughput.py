"""UCBVI: environment steps per second of the Numba kernel (``tabular_envs.rl.ucbvi``) against a plain NumPy
implementation of the same algorithm (``ucbvi_reference``: planning vectorised over the pairs of each stage), in
the same process, and the kernel's per-episode cost against the theoretical O(H S^2 A) of one optimistic backward
induction plus one exact policy evaluation.

    python benchmarks/ucbvi_throughput.py [--episodes 20000]
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--episodes", type=int, default=20000)
    args = ap.parse_args(argv)
    from tabular_envs import garnet
    from tabular_envs.rl.episodic import episodic_model
    from tabular_envs.rl.ucbvi import ucbvi, ucbvi_reference

    def model(S, A, H):
        g = garnet(S, A, min(S, 5), gamma=0.9, rng=0)
        return episodic_model(g.P, g.r, H)

    m = model(20, 4, 10)
    ucbvi(m, 10, bonus="bf")                                    # compile
    K = args.episodes
    for bonus in ("ch", "bf"):
        t0 = time.perf_counter()
        ucbvi(m, K, bonus=bonus, seed=1)
        kernel = K * m.H / (time.perf_counter() - t0)
        k_np = max(1, K // 100)
        t0 = time.perf_counter()
        ucbvi_reference(m, k_np, bonus=bonus, seed=1)
        base = k_np * m.H / (time.perf_counter() - t0)
        print(f"UCBVI-{bonus.upper()} on a Garnet S = 20, A = 4, H = 10 (one replication, one thread):")
        print(f"  Numba kernel {kernel:10.3e} steps/s   plain NumPy {base:10.3e} steps/s   ratio {kernel / base:.1f}x")
    print(f"planning cost of one UCBVI-BF episode (optimistic backward induction, every pair and next state seen) "
          f"against "
          f"H S^2 A ({os.cpu_count()} CPUs, one thread):")
    from tabular_envs.rl.ucbvi import _plan, ucbvi_log_term
    rows = []
    rng = np.random.default_rng(0)
    for S, A, H in ((10, 4, 10), (20, 4, 10), (40, 4, 10), (80, 4, 10), (160, 4, 10), (40, 4, 5), (40, 4, 20),
                    (40, 2, 10), (40, 8, 10)):
        N = rng.integers(1, 20, (1, S, A, S)).astype(float)
        Nsa = N.sum(axis=3)
        Nh = rng.integers(1, 50, (H, S)).astype(float)
        r = rng.uniform(0, 1, (1, S, A))
        L = ucbvi_log_term(S, A, 10 ** 5, H, 0.1)
        Q, V = np.full((H, S, A), float(H)), np.zeros((H + 1, S))
        support = np.broadcast_to(np.arange(S), (S, A, S)).copy()      # every next state seen: the dense cost
        n_support = np.full((S, A), S, dtype=np.int64)
        _plan(r, H, L, 1, 1.0, False, N, Nsa, Nh, Q, V, support, n_support, np.zeros(S))
        n = max(20, int(2e8 / (H * S * S * A)))
        t0 = time.perf_counter()
        for _ in range(n):
            _plan(r, H, L, 1, 1.0, False, N, Nsa, Nh, Q, V, support, n_support, np.zeros(S))
        per = (time.perf_counter() - t0) / n
        rows.append((S, A, H, per))
        unit = per / (H * S * S * A) * 1e9
        print(f"  S = {S:3d} A = {A} H = {H:2d}: {per * 1e6:9.2f} us per episode, {unit:6.2f} ns per unit of H S^2 A")
    r = np.array(rows)
    X = np.column_stack([np.ones(len(r)), np.log(r[:, 0]), np.log(r[:, 1]), np.log(r[:, 2])])
    coef = np.linalg.lstsq(X, np.log(r[:, 3]), rcond=None)[0]
    print(f"  fitted exponents of the planning time: S {coef[1]:.2f}, A {coef[2]:.2f}, H {coef[3]:.2f} "
          "(theory 2, 1, 1)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
