"""Public entry point of the bandit simulators.

``simulate(instance, "ucb1", horizon=10**4, n_replications=1000, seed=7)`` runs independent replications in
parallel and returns pseudo-regret at a checkpoint grid (log-spaced by default) and pull counts. Replication i
of a given seed always yields the same numbers, whatever the thread count, the ``parallel`` flag or the
``first_replication`` offset used to split a run into blocks; and every algorithm run with the same seed on the
same instance sees the same reward tape (common random numbers).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..errors import InvalidBanditError
from . import kernels as _k
from .instances import BanditInstance

__all__ = ["ALGORITHMS", "SimulationResult", "simulate", "log_checkpoints", "default_params", "use_gpu_driver",
           "use_cpu", "active_backend"]

# the GPU driver, when ``gpu_kernels.activate('gpu')`` registered one (tabular_envs never imports gpu_kernels)
_GPU = {"driver": None, "max_arms": 0}


def use_gpu_driver(driver, max_arms: int) -> None:
    """Run every later ``simulate`` call with at most ``max_arms`` arms through ``driver`` (the signature of
    ``kernels.simulate_parallel``); called by ``gpu_kernels.activate``."""
    _GPU["driver"], _GPU["max_arms"] = driver, int(max_arms)


def use_cpu() -> None:
    _GPU["driver"], _GPU["max_arms"] = None, 0


def active_backend() -> str:
    return "gpu" if _GPU["driver"] is not None else "cpu"

# name -> (kernel code, ordered parameter names)
ALGORITHMS: dict[str, tuple[int, tuple[str, ...]]] = {
    "etc": (0, ("m",)),
    "epsilon_greedy": (1, ("c",)),
    "successive_elimination": (2, ("c",)),
    "ucb1": (3, ("c",)),
    "kl_ucb": (4, ("c",)),
    "thompson": (5, ()),
    "ucb_delta": (8, ("delta",)),
    "moss": (9, ("c",)),
}


def default_params(algorithm: str, n_arms: int, horizon: int) -> dict[str, float]:
    """The parameters each algorithm's reference analysis uses.

    etc: m = ceil((T/K)^(2/3) (ln T)^(1/3)) pulls per arm (Slivkins 2019, Thm 1.5, constant 1);
    epsilon_greedy: c = 1; successive_elimination, ucb1: c = 2 (radius sqrt(2 ln T / n));
    kl_ucb: c = 0 (threshold ln t, the variant of Garivier & Cappe's experiments);
    ucb_delta: delta = 1/T^2 (Lattimore & Szepesvari 2020, Thm 7.1); moss: c = 4 (ibid., ch. 9).
    """
    K, T = n_arms, horizon
    if algorithm == "etc":
        return {"m": float(max(1, math.ceil((T / K) ** (2 / 3) * math.log(T) ** (1 / 3))))}
    if algorithm in ("successive_elimination", "ucb1"):
        return {"c": 2.0}
    if algorithm == "epsilon_greedy":
        return {"c": 1.0}
    if algorithm == "kl_ucb":
        return {"c": 0.0}
    if algorithm == "ucb_delta":
        return {"delta": 1.0 / T ** 2}
    if algorithm == "moss":
        return {"c": 4.0}
    return {}


def log_checkpoints(horizon: int, per_decade: int = 10) -> np.ndarray:
    """Log-spaced integer rounds 1 <= t <= horizon, always including the horizon."""
    if horizon < 1:
        raise InvalidBanditError(f"horizon must be >= 1, got {horizon}")
    n = max(2, int(math.ceil(per_decade * math.log10(horizon))) + 1)
    grid = np.unique(np.round(np.logspace(0, math.log10(horizon), n)).astype(np.int64))
    return np.union1d(grid, [horizon]).astype(np.int64)


@dataclass(frozen=True)
class SimulationResult:
    """regret[i, j]: pseudo-regret of replication i after round checkpoints[j]; pulls[i, a]."""
    algorithm: str
    params: dict
    checkpoints: np.ndarray
    regret: np.ndarray
    pulls: np.ndarray
    first_replication: int
    seed: int


def _as_int(name: str, value, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise InvalidBanditError(f"{name} must be an integer >= {minimum}, got {value!r}")
    return int(value)


def simulate(instance: BanditInstance, algorithm: str, horizon: int, n_replications: int, seed: int, *,
             checkpoints=None, params: dict | None = None, first_replication: int = 0,
             parallel: bool = True) -> SimulationResult:
    """Simulate ``n_replications`` independent runs of ``algorithm`` on ``instance`` for ``horizon`` rounds.

    Replications are numbered ``first_replication, ...``; replication i depends only on (seed, i).
    ``params`` overrides :func:`default_params`.
    """
    if not isinstance(instance, BanditInstance):
        raise InvalidBanditError(f"instance must be a BanditInstance, got {type(instance).__name__}")
    if algorithm not in ALGORITHMS:
        raise InvalidBanditError(f"unknown algorithm {algorithm!r}; known: {', '.join(ALGORITHMS)}")
    T = _as_int("horizon", horizon, 1)
    n = _as_int("n_replications", n_replications, 1)
    first = _as_int("first_replication", first_replication, 0)
    seed = _as_int("seed", seed, 0)
    if seed >= 2 ** 64:
        raise InvalidBanditError(f"seed must be below 2**64, got {seed}")
    code, names = ALGORITHMS[algorithm]
    merged = default_params(algorithm, instance.n_arms, T)
    for key, value in (params or {}).items():
        if key not in names:
            raise InvalidBanditError(f"{algorithm} has no parameter {key!r}; it takes {names or 'none'}")
        if not np.isfinite(value) or value < 0:
            raise InvalidBanditError(f"params[{key!r}] = {value!r} must be a finite non-negative number")
        merged[key] = float(value)
    if algorithm == "ucb_delta" and not 0 < merged["delta"] <= 1:
        raise InvalidBanditError(f"params['delta'] = {merged['delta']!r} must lie in (0, 1]")
    p = np.array([merged[k] for k in names] or [0.0], dtype=np.float64)

    ck = log_checkpoints(T) if checkpoints is None else np.asarray(checkpoints, dtype=np.int64)
    if ck.ndim != 1 or ck.size == 0:
        raise InvalidBanditError("checkpoints must be a non-empty 1-D array of rounds")
    if ck[0] < 1 or ck[-1] > T or (np.diff(ck) <= 0).any():
        raise InvalidBanditError(f"checkpoints must be strictly increasing rounds in [1, {T}]")
    regret = np.zeros((n, ck.size))
    pulls = np.zeros((n, instance.n_arms))
    driver = _k.simulate_parallel if parallel else _k.simulate_serial
    if _GPU["driver"] is not None and instance.n_arms <= _GPU["max_arms"]:
        driver = _GPU["driver"]           # same tape, same pull counts (gpu_kernels.bandits)
    driver(code, np.ascontiguousarray(instance.means), instance.family == "gaussian", instance.sigma, T,
           np.uint64(seed), first, ck, p, regret, pulls)
    return SimulationResult(algorithm=algorithm, params=merged, checkpoints=ck, regret=regret, pulls=pulls,
                            first_replication=first, seed=seed)
