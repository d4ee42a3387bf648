"""Compare the GPU bandit kernels with the CPU kernels on the same seeds, at tiny sizes: run as
``NUMBA_ENABLE_CUDASIM=1 python -m gpu_kernels.simcheck`` (the CUDA simulator executes the kernels on the CPU)
or on a machine with a GPU. Prints one JSON line per (algorithm, reward family): identical pull counts and the
largest regret difference."""
from __future__ import annotations

import json
import sys

import numpy as np

from tabular_envs.bandits import kernels as cpu
from tabular_envs.bandits.simulate import ALGORITHMS, default_params, log_checkpoints

from .bandits import simulate_gpu

CASES = {"bernoulli": (np.array([0.3, 0.55, 0.5, 0.2]), False, 1.0),
         "gaussian": (np.array([0.0, 0.4, 0.35]), True, 1.0)}


def compare(algorithm: str, family: str, T: int = 120, reps: int = 3, seed: int = 11, first_rep: int = 5) -> dict:
    means, gaussian, sigma = CASES[family]
    code, names = ALGORITHMS[algorithm]
    params = default_params(algorithm, means.size, T)
    if algorithm == "etc":
        params = {"m": 7.0}
    if algorithm == "kl_ucb":
        params = {"c": 3.0}                     # exercise the ln ln t term as well
    p = np.array([params[k] for k in names] or [0.0])
    ck = log_checkpoints(T)
    r_cpu, n_cpu = np.zeros((reps, ck.size)), np.zeros((reps, means.size))
    cpu.simulate_serial(code, means, gaussian, sigma, T, np.uint64(seed), first_rep, ck, p, r_cpu, n_cpu)
    r_gpu, n_gpu = np.zeros_like(r_cpu), np.zeros_like(n_cpu)
    simulate_gpu(code, means, gaussian, sigma, T, seed, first_rep, ck, p, r_gpu, n_gpu, threads_per_block=2)
    return {"algorithm": algorithm, "family": family, "pulls_equal": bool(np.array_equal(n_cpu, n_gpu)),
            "max_regret_diff": float(np.max(np.abs(r_cpu - r_gpu))), "pulls_cpu": n_cpu.tolist(),
            "pulls_gpu": n_gpu.tolist()}


def compare_sweeps(seed: int = 0) -> dict:
    """The batched optimality and evaluation sweeps against NumPy on (B, S, A) = (2, 5, 2) and (1, 33, 2) (S > 32
    exercises the lanes' strided loop), and value iteration against V* of ``tabular_envs.policy_iteration``."""
    from tabular_envs import TabularMDP, policy_iteration

    from .mdp import bellman_sweep, value_iteration
    rng = np.random.default_rng(seed)
    worst = 0.0
    for B, S, A in ((2, 5, 2), (1, 33, 2)):
        P = rng.dirichlet(np.ones(S), size=(B, S, A))
        r = rng.uniform(-1, 1, (B, S, A))
        g = rng.uniform(0.1, 0.95, B)
        V = rng.normal(size=(B, S))
        q = r + g[:, None, None] * np.einsum("bsat,bt->bsa", P, V)
        pol = rng.integers(0, A, (B, S))
        worst = max(worst, float(np.max(np.abs(bellman_sweep(P, r, g, V) - q.max(-1)))),
                    float(np.max(np.abs(bellman_sweep(P, r, g, V, policy=pol)
                                        - np.take_along_axis(q, pol[:, :, None], 2)[:, :, 0]))))
    P = rng.dirichlet(np.ones(3), size=(2, 3, 2))
    r = rng.uniform(0, 1, (2, 3, 2))
    g = np.array([0.1, 0.2])
    V, sweeps = value_iteration(P, r, g, tol=1e-9)
    vi_err = max(float(np.max(np.abs(V[b] - policy_iteration(TabularMDP(P[b], r[b], gamma=g[b])).values)))
                 for b in range(2))
    return {"sweep_max_abs_err": worst, "vi_max_abs_err": vi_err, "vi_sweeps": sweeps}


def routed_equals_cpu(seed: int = 3) -> dict:
    """``gpu_kernels.activate('gpu')`` routes ``simulate`` to the GPU kernels: same numbers as the CPU route."""
    from tabular_envs.bandits import bernoulli_bandit, simulate

    from . import activate
    inst = bernoulli_bandit([0.2, 0.5, 0.45])
    cpu_res = simulate(inst, "ucb1", 150, 4, seed)
    activate("gpu", allow_simulator=True)
    try:
        gpu_res = simulate(inst, "ucb1", 150, 4, seed)
    finally:
        activate("cpu")
    return {"pulls_equal": bool(np.array_equal(cpu_res.pulls, gpu_res.pulls)),
            "max_regret_diff": float(np.max(np.abs(cpu_res.regret - gpu_res.regret)))}


def main(argv=None) -> int:
    args = list(argv if argv is not None else sys.argv[1:])
    if args == ["--mdp"]:
        row = compare_sweeps()
        print(json.dumps(row))
        return 0 if row["sweep_max_abs_err"] <= 1e-12 and row["vi_max_abs_err"] <= 1e-9 else 1
    if args == ["--route"]:
        row = routed_equals_cpu()
        print(json.dumps(row))
        return 0 if row["pulls_equal"] and row["max_regret_diff"] <= 1e-9 else 1
    algorithms = args or list(ALGORITHMS)
    ok = True
    for algorithm in algorithms:
        for family in CASES:
            row = compare(algorithm, family)
            ok &= row["pulls_equal"] and row["max_regret_diff"] <= 1e-9
            print(json.dumps(row), flush=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
