"""GPU throughput, as ratios against baselines run on the same device in the same process (issue 15):

- pulls per second of each GPU bandit kernel (``gpu_kernels.bandits``, one thread per replication) and, for the
  index policies UCB1, UCB(delta) and MOSS, of a vectorised CuPy implementation of the same algorithm (all
  replications advance one round per step as (reps, K) arrays);
- transitions per second of synchronous Q-learning (``gpu_kernels.rl``, one thread per replication) against the
  CPU's own parallel kernel (``tabular_envs.rl.qlearning``, all cores) on the same problem;
- the float64 batched Bellman sweep (``gpu_kernels.mdp``): achieved bandwidth (bytes of P read per second)
  against a streaming read of the same array (``cupy.sum``) and against ``cupy.matmul`` of the same sweep, for
  (B, S, A) = (64, 256, 8), (8, 1024, 8), (1, 4096, 8).

    python benchmarks/gpu.py [--quick]

Without a usable CUDA device it prints "no GPU" and exits 0.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402


def _timed(fn, repeat: int = 3) -> float:
    import cupy as cp
    fn()                                         # compile / warm up
    cp.cuda.Device().synchronize()
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        cp.cuda.Device().synchronize()
        best = min(best, time.perf_counter() - t0)
    return best


def cupy_index_policy(index: str, means, T: int, reps: int, seed: int = 0):
    """A vectorised CuPy bandit run (Bernoulli rewards from CuPy's generator): each round computes every
    replication's index at once and pulls its argmax. Returns the pull counts (reps, K)."""
    import cupy as cp
    K = means.size
    mu = cp.asarray(means)
    rng = cp.random.default_rng(seed)
    n = cp.ones((reps, K))
    s = (rng.random((reps, K)) < mu).astype(cp.float64)           # each arm once
    rows = cp.arange(reps)
    log_delta = 2.0 * np.log(T)                                   # UCB(delta) with delta = 1/T^2
    for t in range(K, T):
        if index == "ucb1":
            v = s / n + cp.sqrt(2.0 * np.log(t) / n)
        elif index == "ucb_delta":
            v = s / n + cp.sqrt(2.0 * log_delta / n)
        else:                                                     # moss, c = 4
            v = s / n + cp.sqrt(4.0 / n * cp.maximum(0.0, cp.log(T / (K * n))))
        a = cp.argmax(v, axis=1)
        x = (rng.random(reps) < mu[a]).astype(cp.float64)
        n[rows, a] += 1.0
        s[rows, a] += x
    return n


def bandits(quick: bool) -> None:
    import cupy as cp

    from gpu_kernels.bandits import simulate_gpu
    from tabular_envs.bandits.simulate import ALGORITHMS, default_params
    K, T = 10, (10_000 if quick else 100_000)
    reps = 100_000 if quick else 1_000_000
    means = np.linspace(0.5, 0.9, K)
    print(f"bandit kernels: K = {K}, T = {T}, {reps} replications (Bernoulli)")
    for name, (code, names) in ALGORITHMS.items():
        r = reps if name in ("ucb1", "ucb_delta", "moss", "etc", "epsilon_greedy", "successive_elimination") \
            else reps // 10                                       # KL-UCB and Thompson do more work per pull
        params = default_params(name, K, T)
        p = np.array([params[k] for k in names] or [0.0])
        ck = np.array([T], dtype=np.int64)
        regret = cp.zeros((r, 1))
        pulls = cp.zeros((r, K))
        sec = _timed(lambda: simulate_gpu(code, means, False, 1.0, T, 0, 0, ck, p, regret, pulls),  # noqa: B023
                     repeat=1)
        rate = r * T / sec
        line = f"  {name:24} {rate:10.3e} pulls/s"
        if name in ("ucb1", "ucb_delta", "moss"):
            br, bT = min(r, 100_000), min(T, 2_000)
            bsec = _timed(lambda: cupy_index_policy(name, means, bT, br), repeat=1)     # noqa: B023
            base = br * bT / bsec
            line += f"   vectorised CuPy {base:10.3e} pulls/s   ratio {rate / base:7.1f}x"
        print(line, flush=True)


def sweeps(quick: bool) -> None:
    import cupy as cp

    from gpu_kernels.mdp import bellman_sweep
    print("batched float64 Bellman sweep (bytes of P per second)")
    for B, S, A in ((64, 256, 8), (8, 1024, 8), (1, 4096, 8)):
        rng = cp.random.default_rng(0)
        P = rng.random((B, S, A, S))
        P /= P.sum(axis=3, keepdims=True)
        r = rng.random((B, S, A))
        g = cp.full(B, 0.99)
        V = rng.random((B, S))
        out = cp.empty((B, S))
        nbytes = P.nbytes
        t_kernel = _timed(lambda: bellman_sweep(P, r, g, V, out=out))                  # noqa: B023
        t_read = _timed(lambda: P.sum())                                              # noqa: B023
        Pm = P.reshape(B, S * A, S)

        def matmul_sweep():
            q = cp.matmul(Pm, V[:, :, None]).reshape(B, S, A)                         # noqa: B023
            return (r + g[:, None, None] * q).max(axis=2)                             # noqa: B023
        t_mm = _timed(matmul_sweep)
        bw = nbytes / t_kernel
        print(f"  (B, S, A) = ({B}, {S}, {A}): kernel {bw / 1e9:8.1f} GB/s = {100 * t_read / t_kernel:5.1f}% of a "
              f"streaming read ({nbytes / t_read / 1e9:8.1f} GB/s); cupy.matmul sweep {nbytes / t_mm / 1e9:8.1f} "
              f"GB/s (kernel {t_mm / t_kernel:5.2f}x faster)", flush=True)


def rl(quick: bool) -> None:
    from gpu_kernels.rl import q_learning_run_many
    from tabular_envs.rl.qlearning import SCHEDULES, _run_many
    from tabular_envs.rl.tape import transition_support
    S, A, T = 20, 4, (200 if quick else 1000)
    reps, cpu_reps = (4096 if quick else 32768), 64
    rng = np.random.default_rng(0)
    P = rng.dirichlet(np.full(S, 0.3), size=(S, A))
    r = rng.random((S, A))
    states, cdf = transition_support(P)
    ck = np.array([T], dtype=np.int64)

    def run(driver, n):
        err, Qs = np.zeros((n, 1)), np.zeros((n, S, A))
        driver(states, cdf, r, 0.9, np.full(S, -1, dtype=np.int64), T, SCHEDULES["rescaled_linear"], 1.0, False,
               np.uint64(0), 0, np.zeros((S, A)), ck, err, np.zeros((S, A)), Qs)
    run(q_learning_run_many, 32)                  # compile
    run(_run_many, 2)
    t0 = time.perf_counter()
    run(q_learning_run_many, reps)
    gpu = reps * T * S * A / (time.perf_counter() - t0)
    t0 = time.perf_counter()
    run(_run_many, cpu_reps)
    cpu = cpu_reps * T * S * A / (time.perf_counter() - t0)
    print(f"synchronous Q-learning: (S, A) = ({S}, {A}), T = {T}, {reps} replications: GPU {gpu:10.3e} "
          f"transitions/s (host copies included); CPU parallel kernel {cpu:10.3e}; ratio {gpu / cpu:7.1f}x",
          flush=True)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="smaller sizes (a first look)")
    args = ap.parse_args(argv)
    from gpu_kernels import describe_backend, gpu_available
    if not gpu_available():
        print(f"no GPU ({describe_backend()})")
        return 0
    print(describe_backend())
    bandits(args.quick)
    rl(args.quick)
    sweeps(args.quick)
    return 0


if __name__ == "__main__":
    sys.exit(main())
