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


def _rl_case():
    rng = np.random.default_rng(4)
    S, A = 5, 2
    P = rng.dirichlet(np.full(S, 0.5), size=(S, A))
    P[1, 0] = np.eye(S)[3]                         # a deterministic row: a support of one state
    return P, rng.uniform(0, 1, (S, A)), rng.integers(0, A, S)


def _rl_runs(seed: int) -> dict:
    """Synchronous Q-learning (optimality, and TD(0) for a policy) under every schedule, tabular TD(0) on the
    Markov reward process (i.i.d. and Markov sampling, constant and decaying steps), and UCB-H (both rates, with
    homogeneous and stage-dependent transitions; its first-reward search too) and UCBVI (every bonus; the sqrt(L) and
    per-stage-count variants), through the public API."""
    from tabular_envs.rl import SCHEDULES, episodic_model
    from tabular_envs.rl.optimistic_q import RATES, ucb_hoeffding, ucb_hoeffding_first_reward
    from tabular_envs.rl.qlearning import synchronous_q_learning
    from tabular_envs.rl.td import td0
    from tabular_envs.rl.ucbvi import BONUSES, ucbvi
    P, r, policy = _rl_case()
    runs = {}
    for schedule in SCHEDULES:
        for name, pol in (("max", None), ("policy", policy)):
            err, Q = synchronous_q_learning(P, r, 0.8, 40, np.zeros_like(r), schedule=schedule, param=0.6,
                                            log_factor=True, policy=pol, seed=seed, n_replications=3,
                                            first_replication=2, checkpoints=[1, 7, 40], Q0=np.full_like(r, 0.5))
            runs[f"synchronous_q_learning/{schedule}/{name}"] = (err, Q)
    for markov in (False, True):
        for name, steps in (("constant", {"alpha": 0.1}), ("decaying", {"beta": 2.0, "lam": 3.0})):
            runs[f"td0/{'markov' if markov else 'iid'}/{name}"] = td0(P[:, 0, :], r[:, 0], 0.7, 60, markov=markov,
                                                                      seed=seed, n_replications=3,
                                                                      first_replication=1, checkpoints=[5, 60],
                                                                      **steps)
    sparse = np.where(r > 0.6, r, 0.0)                 # rewards are rare: the first-reward episode is not always 1
    for name, model in (("homogeneous", episodic_model(P, sparse, 3, x1=1)),
                        ("stage_dependent", episodic_model(np.stack([P, P[::-1]] * 2), np.stack([sparse] * 4), 4))):
        for rate in RATES:
            runs[f"ucb_hoeffding/{name}/{rate}"] = ucb_hoeffding(model, 30, c=0.3, seed=seed, n_replications=3,
                                                                 first_replication=1, checkpoints=[1, 9, 30],
                                                                 rate=rate)
            runs[f"ucb_hoeffding/{name}/{rate}/first_reward"] = (
                ucb_hoeffding_first_reward(model, 30, c=0.3, seed=seed, n_replications=3, rate=rate),)
    model = episodic_model(P, r, 3, x1=1)
    for bonus in BONUSES:
        for variant, kw in (("ucbvi", {}), ("sqrt_log", {"log_power": 0.5}), ("per_step", {"per_step_counts": True})):
            runs[f"ucbvi/{bonus}/{variant}"] = ucbvi(model, 25, bonus=bonus, delta=0.3, seed=seed, n_replications=3,
                                                     first_replication=1, checkpoints=[1, 8, 25], **kw)
    return runs


def rl_equals_cpu(seed: int = 6, tol: float = 0.0) -> list[dict]:
    """The RL agents with GPU kernels (``gpu_kernels.rl``), routed by ``activate('gpu')``, against the CPU on the
    same seeds: every output array equal (within ``tol``: 0 in the simulator; on a GPU, where the compiler may
    contract a multiply-add, rounding). The last row is the control: the GPU on another seed must differ."""
    from tabular_envs.rl import drivers

    from . import activate
    from .rl import GPU_AGENTS
    cpu_runs = _rl_runs(seed)
    activate("gpu", allow_simulator=True)
    try:
        routed = {agent: drivers.driver(agent, None) is run_many for agent, run_many in GPU_AGENTS.items()}
        gpu_runs, other = _rl_runs(seed), _rl_runs(seed + 1)
    finally:
        activate("cpu")
    rows = []
    for case, cpu_out in cpu_runs.items():
        diff = max(float(np.max(np.abs(c - g))) for c, g in zip(cpu_out, gpu_runs[case], strict=True))
        rows.append({"case": case, "routed_to_gpu": routed[case.split("/")[0]], "max_abs_diff": diff,
                     "equal": diff <= tol and routed[case.split("/")[0]]})
    control = max(float(np.max(np.abs(c - g))) for case in cpu_runs
                  for c, g in zip(cpu_runs[case], other[case], strict=True))
    rows.append({"case": "control: another seed", "max_abs_diff": control, "equal": control <= tol})
    return rows


def main(argv=None) -> int:
    args = list(argv if argv is not None else sys.argv[1:])
    if args == ["--mdp"]:
        row = compare_sweeps()
        print(json.dumps(row))
        return 0 if row["sweep_max_abs_err"] <= 1e-12 and row["vi_max_abs_err"] <= 1e-9 else 1
    if args == ["--rl"]:
        rows = rl_equals_cpu()
        for row in rows:
            print(json.dumps(row), flush=True)
        return 0 if all(row["equal"] for row in rows[:-1]) and not rows[-1]["equal"] else 1
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
