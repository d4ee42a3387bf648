"""Numba kernels of the bandit algorithms: each algorithm's body is written ONCE and compiled for two targets.

A body runs one replication on state it is handed (no allocation), with this signature::

    body(means, gaussian, sigma, T, params, checkpoints, regret_out,   # the instance, the run, the output
         mx, keys, counts, sums, mean_hat, aux, st)                     # the replication's state

``mx`` = max(means); ``keys[a]`` the tape key of arm a; ``counts``, ``sums``, ``mean_hat`` the per-arm statistics
(zero at the start); ``aux`` one zeroed per-arm scratch array the algorithm may use; ``st`` the algorithm's own
random stream ``[key, counter]``. ``regret_out[j]`` receives the pseudo-regret sum_{t <= checkpoints[j]}
Delta_{a_t}; the driver copies ``counts`` out as the pull counts. Rewards come from the reward tape
(``tabular_envs.counter_rng.tape_reward``). Ties in an argmax go to the lowest arm index.

The CPU drivers here (:data:`KERNELS`, :func:`simulate_serial`, :func:`simulate_parallel`) and the GPU kernels of
``gpu_kernels.bandits`` are both made from :data:`BODIES`: the CPU compiles each body with ``njit``, the GPU
compiles the same code object with ``cuda.jit(device=True)``. So a body may use only what both targets lower: the
``math`` module on scalars, never a NumPy ufunc on a scalar (``np.sqrt`` has no CUDA lowering;
``python -m gpu_kernels.compilecheck`` and a source test refuse it).
"""
import math
import types

import numpy as np
from numba import njit, prange

from ..counter_rng import (
    ALGORITHM_STREAM,
    next_beta,
    next_normal,
    next_uniform,
    stream_key,
    tape_reward,
)


@njit(cache=True, inline="always")
def _record(t, cum, checkpoints, ci, regret_out):
    """Store the regret after round t (1-based) when t is the next checkpoint; return the next index."""
    if ci < checkpoints.size and checkpoints[ci] == t:
        regret_out[ci] = cum
        return ci + 1
    return ci


@njit(cache=True)
def _setup(means, seed, rep, keys, counts, sums, mean_hat, aux, st):
    """The state of replication ``rep``: tape keys, zeroed statistics and scratch, the algorithm's own stream at
    its start; returns max(means)."""
    mx = means[0]
    for a in range(means.shape[0]):
        keys[a] = stream_key(seed, rep, a)
        counts[a] = 0
        sums[a] = 0.0
        mean_hat[a] = 0.0
        aux[a] = 0.0
        if means[a] > mx:
            mx = means[a]
    st[0] = stream_key(seed, rep, ALGORITHM_STREAM)
    st[1] = np.uint64(0)
    return mx


@njit(cache=True, inline="always")
def _pull(a, keys, counts, sums, mean_hat, gaussian, means, sigma):
    """Read arm a's next reward from its tape and update its statistics; the mean is sum / count, so equal
    histories give exactly equal means (exact ties stay ties). Returns the reward."""
    x = tape_reward(keys[a], counts[a], gaussian, means[a], sigma)
    counts[a] += 1
    sums[a] += x
    mean_hat[a] = sums[a] / counts[a]
    return x


@njit(cache=True)
def _etc(means, gaussian, sigma, T, params, checkpoints, regret_out, mx, keys, counts, sums, mean_hat, aux, st):
    """Explore-then-commit: m = params[0] pulls per arm in round robin, then the best empirical mean."""
    K = means.shape[0]
    m = int(params[0])
    cum, ci, committed = 0.0, 0, -1
    for t in range(T):
        if t < m * K:
            a = t % K
        else:
            if committed < 0:
                best = -math.inf
                for k in range(K):
                    if mean_hat[k] > best:
                        best, committed = mean_hat[k], k
            a = committed
        _pull(a, keys, counts, sums, mean_hat, gaussian, means, sigma)
        cum += mx - means[a]
        ci = _record(t + 1, cum, checkpoints, ci, regret_out)


@njit(cache=True)
def _epsilon_greedy(means, gaussian, sigma, T, params, checkpoints, regret_out, mx, keys, counts, sums, mean_hat,
                    aux, st):
    """epsilon-greedy with eps_t = min(1, c (K ln t / t)^(1/3)) at round t (Slivkins 2019, Thm 1.6), c = params[0].
    Exploitation plays an untried arm first, else the best empirical mean."""
    K = means.shape[0]
    c = params[0]
    cum, ci = 0.0, 0
    for t in range(1, T + 1):
        eps = min(1.0, c * (K * math.log(t) / t) ** (1.0 / 3.0))
        if next_uniform(st) <= eps:
            a = min(int(next_uniform(st) * K), K - 1)
        else:
            best, a = -math.inf, 0
            for k in range(K):
                if counts[k] == 0:
                    a = k
                    break
                if mean_hat[k] > best:
                    best, a = mean_hat[k], k
        _pull(a, keys, counts, sums, mean_hat, gaussian, means, sigma)
        cum += mx - means[a]
        ci = _record(t, cum, checkpoints, ci, regret_out)


@njit(cache=True)
def _successive_elimination(means, gaussian, sigma, T, params, checkpoints, regret_out, mx, keys, counts, sums,
                            mean_hat, aux, st):
    """Successive elimination (Slivkins 2019, ch. 1, Thm 1.10): phases pull each active arm once; then an arm
    is deactivated when its UCB falls below another's LCB, radius sqrt(c ln T / n), c = params[0].
    ``aux[a]`` = 1 marks arm a eliminated."""
    K = means.shape[0]
    c = params[0]
    logT = math.log(T)
    cum, ci, t = 0.0, 0, 0
    while t < T:
        for a in range(K):
            if aux[a] != 0.0 or t >= T:
                continue
            _pull(a, keys, counts, sums, mean_hat, gaussian, means, sigma)
            cum += mx - means[a]
            t += 1
            ci = _record(t, cum, checkpoints, ci, regret_out)
        best_lcb = -math.inf
        for a in range(K):
            if aux[a] == 0.0:
                best_lcb = max(best_lcb, mean_hat[a] - math.sqrt(c * logT / counts[a]))
        for a in range(K):
            if aux[a] == 0.0 and mean_hat[a] + math.sqrt(c * logT / counts[a]) < best_lcb:
                aux[a] = 1.0


@njit(cache=True)
def _ucb1(means, gaussian, sigma, T, params, checkpoints, regret_out, mx, keys, counts, sums, mean_hat, aux, st):
    """UCB1 (Auer, Cesa-Bianchi, Fischer 2002, Fig. 1): play each arm once, then the arm maximising
    mean_j + sqrt(c ln n / n_j), n = plays so far, c = params[0] (= 2 in the paper). ``aux[j]`` = 1 / sqrt(n_j)."""
    K = means.shape[0]
    c = params[0]
    cum, ci = 0.0, 0
    for t in range(T):
        if t < K:
            a = t
        else:
            scale = math.sqrt(c * math.log(t))
            best, a = -math.inf, 0
            for k in range(K):
                v = mean_hat[k] + scale * aux[k]
                if v > best:
                    best, a = v, k
        _pull(a, keys, counts, sums, mean_hat, gaussian, means, sigma)
        aux[a] = 1.0 / math.sqrt(counts[a])
        cum += mx - means[a]
        ci = _record(t + 1, cum, checkpoints, ci, regret_out)


@njit(cache=True)
def _ucb_delta(means, gaussian, sigma, T, params, checkpoints, regret_out, mx, keys, counts, sums, mean_hat, aux,
               st):
    """UCB(delta) (Lattimore & Szepesvari 2020, Algorithm 3): play each arm once, then the arm maximising
    mean_j + sqrt(2 log(1/delta) / n_j) with a FIXED delta = params[0] (Thm 7.1 takes delta = 1/T^2)."""
    K = means.shape[0]
    scale = math.sqrt(2.0 * math.log(1.0 / params[0]))
    cum, ci = 0.0, 0
    for t in range(T):
        if t < K:
            a = t
        else:
            best, a = -math.inf, 0
            for k in range(K):
                v = mean_hat[k] + scale / math.sqrt(counts[k])
                if v > best:
                    best, a = v, k
        _pull(a, keys, counts, sums, mean_hat, gaussian, means, sigma)
        cum += mx - means[a]
        ci = _record(t + 1, cum, checkpoints, ci, regret_out)


@njit(cache=True)
def _moss(means, gaussian, sigma, T, params, checkpoints, regret_out, mx, keys, counts, sums, mean_hat, aux, st):
    """MOSS (Audibert & Bubeck 2009; Lattimore & Szepesvari 2020, Algorithm 7 of ch. 9): play each arm once,
    then the arm maximising mean_j + sqrt((c / n_j) log+(T / (K n_j))), log+(x) = max(0, log x), c = params[0]
    (4 in Lattimore & Szepesvari for 1-subgaussian rewards)."""
    K = means.shape[0]
    c = params[0]
    cum, ci = 0.0, 0
    for t in range(T):
        if t < K:
            a = t
        else:
            best, a = -math.inf, 0
            for k in range(K):
                n = counts[k]
                v = mean_hat[k] + math.sqrt(c / n * max(0.0, math.log(T / (K * n))))
                if v > best:
                    best, a = v, k
        _pull(a, keys, counts, sums, mean_hat, gaussian, means, sigma)
        cum += mx - means[a]
        ci = _record(t + 1, cum, checkpoints, ci, regret_out)


@njit(cache=True, inline="always")
def bernoulli_kl(p, q):
    """kl(p, q) of Bernoulli laws with 0 log 0 = 0 (KL-UCB's index; the formula is ``proofs_check.bernoulli_kl``)."""
    eps = 1e-15
    q = min(max(q, eps), 1.0 - eps)
    v = 0.0
    if p > 0.0:
        v += p * math.log(p / q)
    if p < 1.0:
        v += (1.0 - p) * math.log((1.0 - p) / (1.0 - q))
    return v


@njit(cache=True)
def kl_ucb_index(p, n, threshold, upper):
    """max{q in [p, 1] : n kl(p, q) <= threshold}, to 1e-12.

    f(q) = n kl(p, q) - threshold is convex and increasing on [p, 1): a Newton step from a point with f > 0
    never passes the root, so the bracket [lo, hi] (f(lo) <= 0 < f(hi)) shrinks by Newton steps, or by
    bisection where Newton gains less than half the bracket (near q = 1 its derivative explodes).
    ``upper`` is Pinsker's bound p + sqrt(threshold / (2n)), clipped to 1.
    """
    if p >= 1.0:
        return 1.0
    if threshold <= 0.0 or upper <= p:
        return p  # the KL ball has radius 0
    lo, hi = p, min(upper, 1.0 - 1e-15)
    f_hi = n * bernoulli_kl(p, hi) - threshold
    if f_hi <= 0.0:
        return hi
    for _ in range(200):
        newton = hi - f_hi * hi * (1.0 - hi) / (n * (hi - p))
        mid = 0.5 * (lo + hi)
        if newton < mid:
            if hi - newton < 1e-12:
                return newton
            hi = newton
            f_hi = n * bernoulli_kl(p, hi) - threshold
            if f_hi <= 0.0:
                return hi
        else:
            f_mid = n * bernoulli_kl(p, mid) - threshold
            if f_mid > 0.0:
                hi, f_hi = mid, f_mid
            else:
                lo = mid
        if hi - lo < 1e-12:
            break
    return lo


@njit(cache=True)
def _kl_ucb(means, gaussian, sigma, T, params, checkpoints, regret_out, mx, keys, counts, sums, mean_hat, aux, st):
    """KL-UCB (Garivier & Cappe 2011): at round t play argmax max{q : n_a kl(mean_a, q) <= ln t + c ln ln t},
    c = params[0]. Bernoulli kl for Bernoulli arms; for Gaussian arms kl = (p - q)^2 / (2 sigma^2), which gives
    mean + sqrt(2 sigma^2 (ln t + c ln ln t) / n). Pinsker's bound q <= p + sqrt(threshold / (2n)) (kept in
    ``aux``) prunes arms and a single kl evaluation at the current best index skip arms whose exact index cannot
    win."""
    K = means.shape[0]
    c = params[0]
    cum, ci = 0.0, 0
    for t in range(T):
        if t < K:
            a = t
        else:
            rnd = t + 1.0
            thr = math.log(rnd) + (c * math.log(math.log(rnd)) if c != 0.0 else 0.0)
            if gaussian:
                best, a = -math.inf, 0
                for k in range(K):
                    v = mean_hat[k] + math.sqrt(2.0 * sigma * sigma * thr / counts[k])
                    if v > best:
                        best, a = v, k
            else:
                first = 0
                for k in range(K):
                    aux[k] = min(1.0, mean_hat[k] + math.sqrt(thr / (2.0 * counts[k])))
                    if aux[k] > aux[first]:
                        first = k
                a = first
                best = kl_ucb_index(mean_hat[first], counts[first], thr, aux[first])
                for k in range(K):
                    # arm k can beat ``best`` only if best is inside its KL ball (one kl evaluation)
                    if k != first and aux[k] > best and counts[k] * bernoulli_kl(mean_hat[k], best) <= thr:
                        v = kl_ucb_index(mean_hat[k], counts[k], thr, aux[k])
                        if v > best or (v == best and k < a):
                            best, a = v, k
        _pull(a, keys, counts, sums, mean_hat, gaussian, means, sigma)
        cum += mx - means[a]
        ci = _record(t + 1, cum, checkpoints, ci, regret_out)


@njit(cache=True)
def _thompson(means, gaussian, sigma, T, params, checkpoints, regret_out, mx, keys, counts, sums, mean_hat, aux,
              st):
    """Thompson sampling. Bernoulli arms: Beta(1 + successes, 1 + failures) posteriors (Agrawal & Goyal 2012).
    Gaussian arms: sample N(S_a / (n_a + 1), sigma^2 / (n_a + 1)) (Agrawal & Goyal 2013, Gaussian priors)."""
    K = means.shape[0]
    cum, ci = 0.0, 0
    for t in range(T):
        best, a = -math.inf, 0
        for k in range(K):
            if gaussian:
                v = sums[k] / (counts[k] + 1.0) + sigma * next_normal(st) / math.sqrt(counts[k] + 1.0)
            else:
                v = next_beta(st, 1.0 + sums[k], 1.0 + counts[k] - sums[k])
            if v > best:
                best, a = v, k
        _pull(a, keys, counts, sums, mean_hat, gaussian, means, sigma)
        cum += mx - means[a]
        ci = _record(t + 1, cum, checkpoints, ci, regret_out)


# kernel code (the codes of ``simulate.ALGORITHMS``) -> the algorithm's body: the one table both targets compile
BODIES = {0: _etc, 1: _epsilon_greedy, 2: _successive_elimination, 3: _ucb1, 4: _kl_ucb, 5: _thompson,
          8: _ucb_delta, 9: _moss}
# what the bodies call, compiled again as CUDA device functions by ``gpu_kernels.bandits`` (with the tape's own)
BODY_HELPERS = ("_record", "_setup", "_pull", "bernoulli_kl", "kl_ucb_index")


def _one_replication(means, gaussian, sigma, T, seed, rep, checkpoints, params, regret_out, pulls_out):
    """One replication of ``body`` (a name bound per algorithm by :func:`_specialise`): its state allocated, set up
    and handed to the body; then the pull counts copied out."""
    K = means.size
    keys, counts = np.empty(K, dtype=np.uint64), np.empty(K, dtype=np.int64)
    sums, mean_hat, aux = np.empty(K), np.empty(K), np.empty(K)
    st = np.empty(2, dtype=np.uint64)
    mx = _setup(means, seed, rep, keys, counts, sums, mean_hat, aux, st)
    body(means, gaussian, sigma, T, params, checkpoints, regret_out, mx, keys, counts, sums,  # noqa: F821
         mean_hat, aux, st)
    pulls_out[:] = counts


def _replications_in_parallel(means, gaussian, sigma, T, seed, first_rep, checkpoints, params, regret, pulls):
    """Replications in parallel (``prange``); replication i depends on (seed, first_rep + i) only."""
    for i in prange(regret.shape[0]):
        one_replication(means, gaussian, sigma, T, seed, first_rep + i, checkpoints, params,  # noqa: F821
                        regret[i], pulls[i])


def _specialise(template, name: str, bindings: dict, **options):
    """``template`` compiled with ``njit(cache=True, **options)`` as a function of its own called ``name``, its
    free names (``body``, ``one_replication``) bound to ``bindings``. A closure over a dispatcher would do the same
    but misses Numba's on-disk cache on every start; a function with its own qualified name hits it."""
    namespace = dict(globals(), **bindings)
    fn = types.FunctionType(template.__code__, namespace, name, template.__defaults__)
    fn.__qualname__ = name
    fn.__doc__ = template.__doc__
    return njit(cache=True, **options)(fn)


# code -> the CPU kernel of one replication, and the parallel driver over replications (each compiled on first use)
KERNELS = {code: _specialise(_one_replication, f"one_replication{body.__name__}", {"body": body})
           for code, body in BODIES.items()}
_PARALLEL = {code: _specialise(_replications_in_parallel, f"replications_in_parallel{BODIES[code].__name__}",
                               {"one_replication": kernel}, parallel=True)
             for code, kernel in KERNELS.items()}


def simulate_serial(code, means, gaussian, sigma, T, seed, first_rep, checkpoints, params, regret, pulls):
    """Replications one after another, calling the algorithm's own kernel: only that kernel is compiled (about
    1.5 s each on first use), not every algorithm's; the Python loop costs microseconds per replication."""
    kernel = KERNELS[int(code)]
    for i in range(regret.shape[0]):
        kernel(means, gaussian, sigma, T, seed, first_rep + i, checkpoints, params, regret[i], pulls[i])


def simulate_parallel(code, means, gaussian, sigma, T, seed, first_rep, checkpoints, params, regret, pulls):
    """Replications in parallel threads, with the same numbers as :func:`simulate_serial` (replication i depends on
    (seed, first_rep + i) only)."""
    _PARALLEL[int(code)](means, gaussian, sigma, T, seed, first_rep, checkpoints, params, regret, pulls)
