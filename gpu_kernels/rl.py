"""The sample-based RL engine on a GPU: synchronous Q-learning / TD(0) with a generative model
(``tabular_envs.rl.qlearning``), tabular TD(0) on a Markov reward process (``tabular_envs.rl.td``), episodic
Q-learning with UCB-Hoeffding (``tabular_envs.rl.optimistic_q``) and UCBVI with every bonus and variant
(``tabular_envs.rl.ucbvi``), one CUDA thread per replication, on the same transition tape as the CPU.

Each agent's replication is the CPU's own function (its ``_replication``, which works on scratch it is handed),
compiled a second time as a CUDA device function (:func:`gpu_kernels.twins.device_twins`), together with the
transition tape and the random streams it calls. The drivers below have the signature of the CPU drivers (each
module's ``_run_many``); ``gpu_kernels.activate('gpu')`` registers them with ``tabular_envs.rl.drivers``. For
Q-learning and TD(0) next states do not depend on the iterates, so the GPU visits exactly the CPU's transitions and
iterates agree to rounding (the GPU compiler may contract a multiply-add). The optimistic agents' actions depend on
their Q values, so a rounding difference could in principle change an argmax; their comparison is on regret, counts
and first-reward episodes. In Numba's CUDA simulator, where the tests compare them, every array is equal.

Per-replication state (iterates, tape keys, visit counts, value vectors) lives in global memory, one slice per
thread.
"""
from __future__ import annotations

import importlib
import warnings

import numpy as np
from numba import cuda

from tabular_envs.rl import episodic as _episodic
from tabular_envs.rl import optimistic_q as _optimistic_q
from tabular_envs.rl import qlearning as _q
from tabular_envs.rl import tape as _tape
from tabular_envs.rl import td as _td

from .twins import RNG, device_twins

_ucbvi = importlib.import_module("tabular_envs.rl.ucbvi")      # the package's ``ucbvi`` is the checked function

__all__ = ["q_learning_run_many", "td0_run_many", "ucb_hoeffding_run_many", "ucbvi_run_many", "GPU_AGENTS",
           "THREADS_PER_BLOCK"]

THREADS_PER_BLOCK = 128

_TAPE = device_twins(_tape, ("transition_key", "next_state_of_pair"), RNG)
_Q = device_twins(_q, ("learning_rate", "_replication"), {**RNG, **_TAPE})
_TD = device_twins(_td, ("_draw_state", "_replication"), {**RNG, **_TAPE})
_EPISODIC = device_twins(_episodic, ("greedy_into", "policy_value_into"))
_UCBH = device_twins(_optimistic_q, ("_alpha", "_ucb_replication"), {**RNG, **_TAPE, **_EPISODIC})
_q_replication, _td_replication = _Q["_replication"], _TD["_replication"]
_ucb_replication = _UCBH["_ucb_replication"]
_ucbvi_replication = device_twins(_ucbvi, ("_plan", "_replication"), {**RNG, **_TAPE, **_EPISODIC})["_replication"]


@cuda.jit
def _q_learning_kernel(states, cdf, r, gamma, policy, T, code, param, log_factor, seed, first_rep, q_star,
                       checkpoints, err, Q0, Qs, keys, V):
    i = cuda.grid(1)
    if i >= err.shape[0]:
        return
    for s in range(Q0.shape[0]):
        for a in range(Q0.shape[1]):
            Qs[i, s, a] = Q0[s, a]
    _q_replication(states, cdf, r, gamma, policy, T, code, param, log_factor, seed, first_rep + i, q_star,
                   checkpoints, err[i], Qs[i], keys[i], V[i])


@cuda.jit
def _td0_kernel(states, cdf, r, gamma, mu, mu_cdf, v_pi, T, markov, decaying, alpha, beta, lam, seed, first_rep,
                checkpoints, err_last, err_avg, keys, visits, st, V, avg):
    i = cuda.grid(1)
    if i >= err_last.shape[0]:
        return
    _td_replication(states, cdf, r, gamma, mu, mu_cdf, v_pi, T, markov, decaying, alpha, beta, lam, seed,
                    first_rep + i, checkpoints, err_last[i], err_avg[i], keys[i], visits[i], st[i], V[i], avg[i])


@cuda.jit
def _ucb_hoeffding_kernel(P, r, states, cdf, H, K, x1, v_star, c, iota, rate, seed, first_rep, checkpoints, regret,
                          first, until_first, keys, visits, N, Q, V, pi, V_pi):
    i = cuda.grid(1)
    if i >= first.shape[0]:
        return
    _ucb_replication(P, r, states, cdf, H, K, x1, v_star, c, iota, rate, seed, first_rep + i, checkpoints, regret[i],
                     first[i:i + 1], until_first, keys[i], visits[i], N[i], Q[i], V[i], pi[i], V_pi[i])


@cuda.jit
def _ucbvi_kernel(P, r, states, cdf, n_support, H, K, x1, v_star, code, L, log_power, per_step, seed, first_rep,
                  checkpoints, regret, counts, failures, keys, N, Nsa, Nh_state, Q, V, pi, V_pi, cap):
    i = cuda.grid(1)
    if i >= failures.shape[0]:
        return
    failures[i] = _ucbvi_replication(P, r, states, cdf, n_support, H, K, x1, v_star, code, L, log_power, per_step,
                                     seed, first_rep + i, checkpoints, regret[i], counts[i], keys[i], N[i], Nsa[i],
                                     Nh_state[i], Q[i], V[i], pi[i], V_pi[i], cap[i])


def _launch(kernel, n: int, args: tuple, outputs: dict) -> None:
    """Copy the NumPy arguments to the device, run ``kernel`` with one thread per replication, and copy the arrays
    named in ``outputs`` (position -> host array) back."""
    d = [cuda.to_device(np.ascontiguousarray(x)) if isinstance(x, np.ndarray) else x for x in args]
    blocks = (n + THREADS_PER_BLOCK - 1) // THREADS_PER_BLOCK
    with warnings.catch_warnings():     # the simulator runs uint64 hashing in NumPy scalars, which warn on wrap
        warnings.filterwarnings("ignore", "overflow encountered", RuntimeWarning)
        kernel[blocks, THREADS_PER_BLOCK](*d)
    for position, host in outputs.items():
        d[position].copy_to_host(host)


def q_learning_run_many(states, cdf, r, gamma, policy, T, code, param, log_factor, seed, first_rep, q_star,
                        checkpoints, err, Q0, Qs):
    """``tabular_envs.rl.qlearning._run_many`` on the GPU (``err`` and ``Qs`` filled in place)."""
    n, (S, A) = err.shape[0], r.shape
    keys, V = np.zeros((n, S, A), dtype=np.uint64), np.zeros((n, S))
    _launch(_q_learning_kernel, n, (states, cdf, r, gamma, policy, T, code, param, log_factor, seed, first_rep,
                                    q_star, checkpoints, err, Q0, Qs, keys, V), {13: err, 15: Qs})


def td0_run_many(states, cdf, r, gamma, mu, mu_cdf, v_pi, T, markov, decaying, alpha, beta, lam, seed, first_rep,
                 checkpoints, err_last, err_avg):
    """``tabular_envs.rl.td._run_many`` on the GPU (``err_last`` and ``err_avg`` filled in place)."""
    n, S = err_last.shape[0], r.size
    scratch = (np.zeros((n, S), dtype=np.uint64), np.zeros((n, S), dtype=np.int64), np.zeros((n, 2), dtype=np.uint64),
               np.zeros((n, S)), np.zeros((n, S)))
    _launch(_td0_kernel, n, (states, cdf, r, gamma, mu, mu_cdf, v_pi, T, markov, decaying, alpha, beta, lam, seed,
                             first_rep, checkpoints, err_last, err_avg, *scratch), {16: err_last, 17: err_avg})


def ucb_hoeffding_run_many(P, r, states, cdf, H, K, x1, v_star, c, iota, rate, seed, first_rep, checkpoints, regret,
                           first, until_first):
    """``tabular_envs.rl.optimistic_q._ucb_many`` on the GPU (``regret`` and ``first`` filled in place)."""
    n, Hp, S, A = first.shape[0], P.shape[0], P.shape[1], P.shape[2]
    scratch = (np.zeros((n, Hp, S, A), dtype=np.uint64), np.zeros((n, Hp, S, A), dtype=np.int64),
               np.zeros((n, H, S, A)), np.zeros((n, H, S, A)), np.zeros((n, H + 1, S)),
               np.zeros((n, H, S), dtype=np.int64), np.zeros((n, H + 1, S)))
    _launch(_ucb_hoeffding_kernel, n, (P, r, states, cdf, H, K, x1, v_star, c, iota, rate, seed, first_rep,
                                       checkpoints, regret, first, until_first, *scratch), {14: regret, 15: first})


def ucbvi_run_many(P, r, states, cdf, n_support, H, K, x1, v_star, code, L, log_power, per_step, seed, first_rep,
                   checkpoints, regret, counts, failures):
    """``tabular_envs.rl.ucbvi._run_many`` on the GPU (``regret``, ``counts`` and ``failures`` filled in place)."""
    n, S, A = failures.shape[0], P.shape[1], P.shape[2]
    Hc = H if per_step else 1
    scratch = (np.zeros((n, 1, S, A), dtype=np.uint64), np.zeros((n, Hc, S, A, S)), np.zeros((n, Hc, S, A)),
               np.zeros((n, H, S)), np.zeros((n, H, S, A)), np.zeros((n, H + 1, S)),
               np.zeros((n, H, S), dtype=np.int64), np.zeros((n, H + 1, S)), np.zeros((n, S)))
    _launch(_ucbvi_kernel, n, (P, r, states, cdf, n_support, H, K, x1, v_star, code, L, log_power, per_step, seed,
                               first_rep, checkpoints, regret, counts, failures, *scratch),
            {16: regret, 17: counts, 18: failures})


# agent (``tabular_envs.rl.drivers.AGENTS``) -> its GPU driver
GPU_AGENTS = {"synchronous_q_learning": q_learning_run_many, "td0": td0_run_many,
              "ucb_hoeffding": ucb_hoeffding_run_many, "ucbvi": ucbvi_run_many}
