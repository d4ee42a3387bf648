"""CUDA device twins of the CPU's njit functions: the same Python code compiled a second time.

The GPU kernels share their arithmetic with the CPU by compiling the CPU's own functions (the reward and transition
tapes, the algorithms' random streams, the algorithms' bodies) with ``cuda.jit(device=True)``; nothing is typed
twice, so the two targets cannot drift.
"""
from __future__ import annotations

import types

from numba import cuda

from tabular_envs import counter_rng

__all__ = ["device_twins", "RNG", "RNG_FUNCTIONS"]

RNG_FUNCTIONS = ("mix64", "stream_key", "draw_bits", "unit_closed_open", "unit_open_closed", "next_uniform",
                 "next_normal", "next_gamma", "next_beta", "tape_reward")


def device_twins(module, names, imported: dict | None = None) -> dict:
    """CUDA device versions of ``module``'s njit functions ``names``, as {name: twin}: each function's own code
    object, compiled by ``cuda.jit(device=True)`` with a copy of the module's globals in which ``imported`` (twins
    made before, e.g. of the random streams the module imports) and the names themselves point at twins, so a twin
    calls only twins."""
    ns = dict(vars(module))
    ns.update(imported or {})
    for name in names:
        py = getattr(module, name).py_func
        fn = types.FunctionType(py.__code__, ns, name, py.__defaults__, py.__closure__)
        ns[name] = cuda.jit(device=True)(fn)
    return {name: ns[name] for name in names}


# the counter-based random numbers, shared by every kernel
RNG = device_twins(counter_rng, RNG_FUNCTIONS)
