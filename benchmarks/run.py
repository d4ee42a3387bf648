"""Speed of the simulators and solvers against baselines measured in the same process.

    python benchmarks/run.py            # all benchmarks, about two minutes on 2 cores
    python benchmarks/run.py --quick    # smaller sizes (a smoke run)

To compare against NumPy's BLAS at full speed on this workplace's machines, unset the OpenBLAS overrides for
that command only: ``env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python benchmarks/run.py``.

Reported: compile time apart from run time; ratios against the baseline; for the dense VI sweep, the share of
the machine's read bandwidth (measured here by a streaming reduction over an array of the same size) that the
sweep reaches (it reads P once per sweep).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time

import numba
import numpy as np
from numba import njit, prange

from tabular_envs import bernoulli_bandit, garnet, simulate
from tabular_envs.dp.distributional import (
    _sweep_setup,
    categorical_evaluation_sweep,
    categorical_sweep_numpy,
    uniform_grid,
)
from tabular_envs.dp.robust import l1_robust_sweep, l1_robust_sweep_numpy
from tabular_envs.mdp.kernels import bellman_optimality_sweep


def best_time(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


# --- UCB1 ------------------------------------------------------------------------------------------------------
def ucb1_numpy(means: np.ndarray, T: int, n_reps: int, seed: int) -> np.ndarray:
    """Plain NumPy UCB1 vectorised over replications (rewards from numpy's Generator, one draw per pull)."""
    rng = np.random.default_rng(seed)
    K = means.size
    gaps = means.max() - means
    rows = np.arange(n_reps)
    counts = np.ones((n_reps, K))
    sums = (rng.random((n_reps, K)) < means).astype(np.float64)  # round 1..K: each arm once
    regret = np.full(n_reps, gaps.sum())
    for t in range(K, T):
        index = sums / counts + np.sqrt(2.0 * np.log(t) / counts)
        a = index.argmax(axis=1)
        sums[rows, a] += rng.random(n_reps) < means[a]
        counts[rows, a] += 1
        regret += gaps[a]
    return regret


def bench_ucb1(T: int, n_reps: int) -> dict:
    means = np.linspace(0.1, 0.9, 10)
    inst = bernoulli_bandit(means)
    t0 = time.perf_counter()
    simulate(inst, "ucb1", 50, 2, seed=0)  # compiles (or loads the cache)
    compile_s = time.perf_counter() - t0
    res = {}
    t_numba = best_time(lambda: res.setdefault("r", simulate(inst, "ucb1", T, n_reps, seed=1, checkpoints=[T])), 3)
    t_numpy = best_time(lambda: res.setdefault("b", ucb1_numpy(means, T, n_reps, 2)), 1)
    pulls = T * n_reps
    numba_mean, numpy_mean = res["r"].regret[:, -1].mean(), res["b"].mean()
    se = np.hypot(res["r"].regret[:, -1].std(), res["b"].std()) / np.sqrt(n_reps)
    return {"benchmark": f"UCB1 K=10 T={T} reps={n_reps}", "numba_s": t_numba, "numpy_s": t_numpy,
            "numba_pulls_per_s": pulls / t_numba, "numpy_pulls_per_s": pulls / t_numpy,
            "speedup": t_numpy / t_numba, "compile_or_cache_load_s": compile_s,
            "mean_regret_numba": float(numba_mean), "mean_regret_numpy": float(numpy_mean),
            "regret_difference_in_se": float(abs(numba_mean - numpy_mean) / se)}


# --- KL-UCB -----------------------------------------------------------------------------------------------------
def kl_ucb_numpy(means: np.ndarray, T: int, n_reps: int, seed: int) -> np.ndarray:
    """Plain NumPy KL-UCB (threshold ln t) vectorised over replications and arms: each round the index
    max{q : n kl(mean, q) <= ln t} of every arm by 50 bisection steps on [mean, 1]."""
    rng = np.random.default_rng(seed)
    K = means.size
    gaps = means.max() - means
    rows = np.arange(n_reps)
    counts = np.ones((n_reps, K))
    sums = (rng.random((n_reps, K)) < means).astype(np.float64)
    regret = np.full(n_reps, gaps.sum())

    def kl(p, q):
        with np.errstate(divide="ignore", invalid="ignore"):
            a = np.where(p > 0, p * np.log(p / q), 0.0)
            b = np.where(p < 1, (1 - p) * np.log((1 - p) / (1 - q)), 0.0)
        return a + b
    for t in range(K, T):
        p = sums / counts
        thr = np.log(t + 1.0) / counts
        lo, hi = p.copy(), np.full_like(p, 1.0 - 1e-15)
        for _ in range(50):
            mid = 0.5 * (lo + hi)
            inside = kl(p, mid) <= thr
            lo = np.where(inside, mid, lo)
            hi = np.where(inside, hi, mid)
        a = lo.argmax(axis=1)
        sums[rows, a] += rng.random(n_reps) < means[a]
        counts[rows, a] += 1
        regret += gaps[a]
    return regret


def bench_kl_ucb(T: int, n_reps: int, T_numpy: int, reps_numpy: int) -> dict:
    """KL-UCB pulls per second (Numba kernel at (T, n_reps); the NumPy baseline at a smaller size, its per-pull
    cost being independent of T), and the two implementations' mean regrets at the baseline's size."""
    means = np.linspace(0.1, 0.9, 10)
    inst = bernoulli_bandit(means)
    simulate(inst, "kl_ucb", 50, 2, seed=0)  # compiles (or loads the cache)
    t_numba = best_time(lambda: simulate(inst, "kl_ucb", T, n_reps, seed=1, checkpoints=[T]), 2)
    small = simulate(inst, "kl_ucb", T_numpy, reps_numpy, seed=1, checkpoints=[T_numpy]).regret[:, -1]
    res = {}
    t_numpy = best_time(lambda: res.setdefault("b", kl_ucb_numpy(means, T_numpy, reps_numpy, 2)), 1)
    se = np.hypot(small.std(), res["b"].std()) / np.sqrt(reps_numpy)
    numba_rate, numpy_rate = T * n_reps / t_numba, T_numpy * reps_numpy / t_numpy
    return {"benchmark": f"KL-UCB K=10 T={T} reps={n_reps} (NumPy baseline: T={T_numpy} reps={reps_numpy})",
            "numba_pulls_per_s": numba_rate, "numpy_pulls_per_s": numpy_rate, "speedup": numba_rate / numpy_rate,
            "mean_regret_numba_at_baseline_size": float(small.mean()), "mean_regret_numpy": float(res["b"].mean()),
            "regret_difference_in_se": float(abs(small.mean() - res["b"].mean()) / se)}


# --- value iteration ---------------------------------------------------------------------------------------------
def sweep_numpy(P2, r, gamma, V):
    S, A = r.shape
    return (r + gamma * (P2 @ V).reshape(S, A)).max(axis=1)


@njit(parallel=True, fastmath={"reassoc", "contract"}, cache=True)
def _stream_read(P, out):
    """Read every entry of P once, in the sweep's order and threading, with no arithmetic beyond a sum:
    the read bandwidth the sweep could reach at best on this machine."""
    S, A, _ = P.shape
    for s in prange(S):
        acc = 0.0
        for a in range(A):
            for j in range(S):
                acc += P[s, a, j]
        out[s] = acc


def bench_vi(S: int, A: int, repeat: int) -> dict:
    mdp = garnet(S, A, gamma=0.99, rng=0)
    P, r = mdp.P, mdp.r
    P2 = P.reshape(S * A, S)
    V = np.random.default_rng(1).random(S)
    out = np.empty(S)
    t0 = time.perf_counter()
    bellman_optimality_sweep(P, r, 0.99, V, out)
    compile_s = time.perf_counter() - t0
    t_numba = best_time(lambda: bellman_optimality_sweep(P, r, 0.99, V, out), repeat)
    t_numpy = best_time(lambda: sweep_numpy(P2, r, 0.99, V), repeat)
    assert np.allclose(out, sweep_numpy(P2, r, 0.99, V), rtol=1e-12, atol=1e-12)
    sink = np.empty(S)
    _stream_read(P, sink)
    t_stream = best_time(lambda: _stream_read(P, sink), repeat)
    nbytes = P.nbytes
    return {"benchmark": f"dense VI sweep S={S} A={A}", "numba_s": t_numba, "numpy_s": t_numpy,
            "speedup": t_numpy / t_numba, "compile_or_cache_load_s": compile_s,
            "numba_GB_per_s": nbytes / t_numba / 1e9, "numpy_GB_per_s": nbytes / t_numpy / 1e9,
            "stream_read_GB_per_s": nbytes / t_stream / 1e9, "share_of_read_bandwidth": t_stream / t_numba,
            "P_megabytes": nbytes / 1e6}


def bench_robust_l1(S: int, A: int, repeat: int) -> dict:
    """One L1-robust Bellman sweep (greedy mass transfer per (s, a)) against the vectorised NumPy version."""
    mdp = garnet(S, A, 10, gamma=0.95, rng=0)
    V = np.random.default_rng(2).normal(size=S)
    t0 = time.perf_counter()
    fast = l1_robust_sweep(mdp, V, 0.3)
    compile_s = time.perf_counter() - t0
    assert np.allclose(fast, l1_robust_sweep_numpy(mdp, V, 0.3), atol=1e-12)
    t_numba = best_time(lambda: l1_robust_sweep(mdp, V, 0.3), repeat)
    t_numpy = best_time(lambda: l1_robust_sweep_numpy(mdp, V, 0.3), repeat)
    return {"benchmark": f"L1-robust VI sweep S={S} A={A} (sparse rows, 10 successors)", "numba_s": t_numba,
            "numpy_s": t_numpy, "speedup": t_numpy / t_numba, "compile_or_cache_load_s": compile_s,
            "state_actions_per_s": S * A / t_numba}


def bench_categorical(S: int, A: int, m: int, repeat: int) -> dict:
    """One categorical distributional evaluation sweep (Pi_C T^pi, m atoms) against NumPy (matmul + np.add.at)."""
    mdp = garnet(S, A, 5, gamma=0.95, rng=0)
    pi = np.full((S, A), 1.0 / A)
    grid = uniform_grid(-25.0, 25.0, m)
    probs = np.random.default_rng(3).dirichlet(np.ones(m), size=S)
    setup = _sweep_setup(mdp, pi, grid)
    t0 = time.perf_counter()
    fast = categorical_evaluation_sweep(mdp, pi, probs, grid, setup)
    compile_s = time.perf_counter() - t0
    assert np.allclose(fast, categorical_sweep_numpy(mdp, pi, probs, grid, setup), atol=1e-12)
    t_numba = best_time(lambda: categorical_evaluation_sweep(mdp, pi, probs, grid, setup), repeat)
    t_numpy = best_time(lambda: categorical_sweep_numpy(mdp, pi, probs, grid, setup), repeat)
    return {"benchmark": f"categorical distributional sweep S={S} A={A} m={m}", "numba_s": t_numba,
            "numpy_s": t_numpy, "speedup": t_numpy / t_numba, "compile_or_cache_load_s": compile_s}


def cold_compile_seconds() -> float:
    """Compile time of the bandit kernels from an empty Numba cache, measured in a fresh interpreter."""
    code = ("import time, numpy as np; from tabular_envs import bernoulli_bandit, simulate; t0 = time.perf_counter(); "
            "simulate(bernoulli_bandit([0.5, 0.4]), 'ucb1', 10, 2, 0); print(time.perf_counter() - t0)")
    with tempfile.TemporaryDirectory() as cache:
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                             env=dict(os.environ, NUMBA_CACHE_DIR=cache))
    return float(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--json", help="also write the results to this file")
    args = ap.parse_args()
    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
        f"numba threads {numba.get_num_threads()}, OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE')}"
    )
    results = [
        bench_ucb1(10_000 if args.quick else 100_000, 200 if args.quick else 1000),
        bench_kl_ucb(10_000 if args.quick else 100_000, 200 if args.quick else 1000, 2_000, 100),
        bench_vi(500, 10, 40),
        bench_vi(1000 if args.quick else 2000, 10, 15),
        bench_robust_l1(200 if args.quick else 1000, 5, 10),
        bench_categorical(100 if args.quick else 400, 4, 51, 10),
    ]
    results.append(
        {
            "benchmark": "bandit kernels, cold compile (empty Numba cache, fresh interpreter)",
            "compile_s": cold_compile_seconds(),
        }
    )
    for res in results:
        print(f"\n{res['benchmark']}")
        for k, v in res.items():
            if k != "benchmark":
                print(f"  {k:28s} {v:.4g}" if isinstance(v, float) else f"  {k:28s} {v}")
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(results, fh, indent=1)


if __name__ == "__main__":
    main()
