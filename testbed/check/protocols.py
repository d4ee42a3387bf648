"""The protocols a user's object can follow, and adapters that give the property suites one interface.

- bandit policy, plain Python: an object (or class, instantiated without arguments) with
  ``reset(n_arms, horizon, seed)``, ``select(t) -> arm`` and ``update(arm, reward)``;
- bandit policy, compiled: a Numba function with the simulators' kernel signature
  ``(means, gaussian, sigma, T, seed, rep, checkpoints, params, regret_out, pulls_out)`` (see
  ``tabular_envs._bandit_kernels``), which fills ``regret_out`` at the checkpoints and ``pulls_out``;
- value operator: ``operator(mdp, V) -> array (S,)`` (a Bellman-optimality-style operator on a discounted MDP);
- planner: ``planner(mdp) -> policy`` (S,) action indices;
- distributional operator: ``operator(mdp, policy, eta) -> eta'`` on finite-support return distributions (lists of
  (atoms, probabilities), as ``tabular_envs.distributional`` stores them);
- speculative sampler: ``speculative_step(target, draft, prefix, n_draft, rng) -> list of token ids``, target and
  draft callables from a prefix (tuple of ints) to a probability vector, rng a ``numpy.random.Generator``;
- advantage estimator: ``advantages(rewards) -> array`` for one group of N rewards;
- off-policy estimator: ``estimate(contexts, actions, rewards, propensities, target_probs) -> float``
  (``propensities[i]`` = mu(a_i | x_i), ``target_probs[i, a]`` = pi(a | x_i));
- episodic agent: an object (or class, instantiated without arguments) with ``reset(n_states, n_actions, horizon,
  seed)``, ``act(h, s) -> action``, ``observe(h, s, a, r, s_next)`` and optionally ``end_episode()``
  (``testbed.check.agent_properties`` says how an episode is run).
An object may declare its kind with a ``testbed_kind`` attribute; otherwise it is inferred from its methods and
signature (a one-argument function whose argument is named ``rewards``, ``r`` or ``group`` is an advantage
estimator, any other one a planner; a five-argument function whose first argument is named ``contexts`` (or ``x``)
is an off-policy estimator, any other one a sampler).
"""
from __future__ import annotations

import importlib
import inspect
import sys
from pathlib import Path

import numpy as np

from ..errors import ProtocolError

__all__ = ["KINDS", "load_object", "infer_kind", "check_kind", "BanditAdapter", "SimulatorPolicy", "arm_index"]

KINDS = ("bandit", "operator", "planner", "distributional", "sampler", "advantage", "ope", "agent")
_AGENT_METHODS = ("reset", "act", "observe")
_ADVANTAGE_ARGUMENTS = ("rewards", "r", "group", "group_rewards")
_ARITY = {"operator": 2, "planner": 1, "distributional": 3, "sampler": 5, "advantage": 1, "ope": 5}
_CALLS = {"operator": "op(mdp, V)", "planner": "planner(mdp)", "distributional": "op(mdp, policy, eta)",
          "sampler": "speculative_step(target, draft, prefix, n_draft, rng)", "advantage": "advantages(rewards)",
          "ope": "estimate(contexts, actions, rewards, propensities, target_probs)"}


def load_object(spec: str):
    """'module:attr' or 'path/to/file.py:attr' -> the object."""
    if ":" not in spec:
        raise ProtocolError(f"expected MODULE:OBJECT (or FILE.py:OBJECT), got {spec!r}")
    mod_name, _, attr = spec.rpartition(":")
    try:
        if mod_name.endswith(".py"):
            path = Path(mod_name).resolve()
            if not path.is_file():
                raise ProtocolError(f"no such file: {mod_name}")
            spec_ = importlib.util.spec_from_file_location(path.stem, path)
            module = importlib.util.module_from_spec(spec_)
            sys.modules[path.stem] = module
            spec_.loader.exec_module(module)
        else:
            sys.path.insert(0, str(Path.cwd()))
            module = importlib.import_module(mod_name)
    except ProtocolError:
        raise
    except Exception as exc:
        raise ProtocolError(f"cannot import {mod_name!r}: {type(exc).__name__}: {exc}") from None
    if not hasattr(module, attr):
        raise ProtocolError(f"module {mod_name!r} has no attribute {attr!r}")
    return getattr(module, attr)


def _is_numba_kernel(obj) -> bool:
    return type(obj).__name__ in ("CPUDispatcher", "Dispatcher") and hasattr(obj, "py_func")


def _n_params(fn) -> int | None:
    try:
        return len([p for p in inspect.signature(fn).parameters.values()
                    if p.default is inspect.Parameter.empty and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)])
    except (TypeError, ValueError):
        return None


def infer_kind(obj) -> str:
    declared = getattr(obj, "testbed_kind", None)
    if declared is not None:
        if declared not in KINDS:
            raise ProtocolError(f"testbed_kind = {declared!r} is not one of {', '.join(KINDS)}")
        return declared
    if _is_numba_kernel(obj):
        if _n_params(obj.py_func) == 10:
            return "bandit"
        raise ProtocolError("a Numba function must have the kernel signature (means, gaussian, sigma, T, seed, rep, "
                            f"checkpoints, params, regret_out, pulls_out); it takes {_n_params(obj.py_func)} arguments")
    if all(hasattr(obj, m) for m in ("reset", "select", "update")):
        return "bandit"
    if all(hasattr(obj, m) for m in _AGENT_METHODS):
        return "agent"
    if callable(obj):
        n = _n_params(obj)
        if n == 1 and _first_argument(obj) in _ADVANTAGE_ARGUMENTS:
            return "advantage"
        if n == 5 and _first_argument(obj) in ("contexts", "x", "context", "X"):
            return "ope"
        kinds = {1: "planner", 2: "operator", 3: "distributional", 5: "sampler"}
        if n in kinds:
            return kinds[n]
    raise ProtocolError(f"{getattr(obj, '__name__', type(obj).__name__)} fits no protocol: a bandit policy needs "
                        "reset/select/update (or the Numba kernel signature), an episodic agent reset/act/observe, "
                        "an operator takes (mdp, V), a planner "
                        "(mdp), a distributional operator (mdp, policy, eta), a speculative sampler (target, draft, "
                        "prefix, n_draft, rng), an advantage estimator (rewards), an off-policy estimator (contexts, "
                        "actions, rewards, propensities, target_probs); or set testbed_kind")


def _first_argument(fn) -> str | None:
    try:
        params = list(inspect.signature(fn).parameters)
    except (TypeError, ValueError):
        return None
    return params[0] if params else None


def check_kind(obj, kind: str) -> None:
    """ProtocolError (exit 2) when an object cannot be the given kind: caught before any property runs, instead of
    a failure deep inside one."""
    if kind not in KINDS:
        raise ProtocolError(f"unknown kind {kind!r}; choose one of {', '.join(KINDS)}")
    name = getattr(obj, "__name__", type(obj).__name__)
    if kind == "bandit":
        if not (_is_numba_kernel(obj) or hasattr(obj, "run_bandit")
                or all(hasattr(obj, m) for m in ("reset", "select", "update"))):
            raise ProtocolError(f"--kind bandit: {name} has no reset/select/update methods and is not a Numba kernel")
        return
    if kind == "agent":
        missing = [m for m in _AGENT_METHODS if not hasattr(obj, m)]
        if missing:
            raise ProtocolError(f"--kind agent: {name} has no {', '.join(missing)} method(s); an episodic agent has "
                                "reset(n_states, n_actions, horizon, seed), act(h, s) and observe(h, s, a, r, s_next)")
        return
    if _is_numba_kernel(obj) or not callable(obj) or inspect.isclass(obj):
        raise ProtocolError(f"--kind {kind}: {name} is not a plain function (a {kind} is called as {_CALLS[kind]})")
    need = _ARITY[kind]
    n = _n_params(obj)
    if n is not None and n != need:
        raise ProtocolError(f"--kind {kind}: {name} takes {n} required argument(s), a {kind} takes {need}")


def arm_index(a, t: int, n_arms: int) -> int:
    """The arm a policy's select(t) returned, checked: an integer (not a bool) in [0, n_arms)."""
    if isinstance(a, (bool, np.bool_)) or not isinstance(a, (int, np.integer)) or not 0 <= a < n_arms:
        raise ProtocolError(f"select({t}) returned {a!r} ({type(a).__name__}); expected an arm index, an integer in "
                            f"[0, {n_arms})")
    return int(a)


class SimulatorPolicy:
    """One of the built-in simulators' algorithms (``tabular_envs.simulate``, with its reference parameters), as an
    object ``testbed check`` accepts: ``testbed check testbed.check.protocols:ucb1`` and the like."""
    testbed_kind = "bandit"

    def __init__(self, algorithm: str):
        from tabular_envs import ALGORITHMS
        if algorithm not in ALGORITHMS:
            raise ProtocolError(f"unknown built-in algorithm {algorithm!r}; known: {', '.join(ALGORITHMS)}")
        self.algorithm = algorithm
        self.__name__ = f"simulate:{algorithm}"

    def run_bandit(self, means, T, reps, seed, checkpoints):
        from tabular_envs import bernoulli_bandit, simulate
        res = simulate(bernoulli_bandit(means), self.algorithm, int(T), int(reps), int(seed), checkpoints=checkpoints)
        return res.regret, res.pulls


ucb1, kl_ucb, thompson, moss, successive_elimination = (SimulatorPolicy(a) for a in (
    "ucb1", "kl_ucb", "thompson", "moss", "successive_elimination"))


class BanditAdapter:
    """Runs a user's bandit policy on Bernoulli instances and returns regret at checkpoints and pull counts."""

    def __init__(self, obj):
        self.obj = obj
        self.compiled = _is_numba_kernel(obj)
        if not self.compiled and inspect.isclass(obj):
            try:
                self.obj = obj()
            except Exception as exc:
                raise ProtocolError(f"cannot instantiate {obj.__name__}() without arguments: {exc}") from None

    def run(self, means, T: int, reps: int, seed: int, checkpoints) -> tuple[np.ndarray, np.ndarray]:
        means = np.asarray(means, dtype=np.float64)
        ck = np.asarray(checkpoints, dtype=np.int64)
        if hasattr(self.obj, "run_bandit"):
            return self.obj.run_bandit(means, T, reps, seed, ck)
        regret, pulls = np.zeros((reps, ck.size)), np.zeros((reps, means.size))
        if self.compiled:
            for i in range(reps):
                self.obj(means, False, 0.0, int(T), np.uint64(seed), i, ck, np.zeros(1), regret[i], pulls[i])
            return regret, pulls
        # Python floats and lists in the step loop: NumPy scalar indexing there cost as much as a simple policy
        K, mu, gaps, stops = int(means.size), means.tolist(), (means.max() - means).tolist(), ck.tolist()
        for i in range(reps):
            rng = np.random.default_rng([seed, i])
            self.obj.reset(K, int(T), int(rng.integers(2 ** 31)))
            cum, ci, counts = 0.0, 0, [0] * K
            u = rng.random(T).tolist()
            for t in range(T):
                a = arm_index(self.obj.select(t), t, K)
                self.obj.update(a, 1.0 if u[t] < mu[a] else 0.0)
                cum += gaps[a]
                counts[a] += 1
                if ci < len(stops) and stops[ci] == t + 1:
                    regret[i, ci] = cum
                    ci += 1
            pulls[i] = counts
        return regret, pulls
