"""Numba kernels: one function per bandit algorithm, each running ONE replication.

Shared signature: (means, gaussian, sigma, T, seed, rep, checkpoints, params, regret_out, pulls_out).
``regret_out[j]`` receives the pseudo-regret sum_{t <= checkpoints[j]} Delta_{a_t}; ``pulls_out[a]`` the number
of pulls of arm a. Rewards come from the reward tape (``tabular_envs.bandits.tape``).
Ties in an argmax go to the lowest arm index.
"""
import numpy as np
from numba import njit, prange

from ..counter_rng import (
    new_state,
    next_beta,
    next_normal,
    next_uniform,
    stream_key,
    tape_reward,
)


@njit(cache=True)
def _arm_keys(seed, rep, K):
    keys = np.empty(K, dtype=np.uint64)
    for a in range(K):
        keys[a] = stream_key(seed, rep, a)
    return keys


@njit(cache=True, inline="always")
def _record(t, cum, checkpoints, ci, regret_out):
    """Store the regret after round t (1-based) when t is the next checkpoint; return the next index."""
    if ci < checkpoints.size and checkpoints[ci] == t:
        regret_out[ci] = cum
        return ci + 1
    return ci


@njit(cache=True)
def _replication_state(means, seed, rep):
    """Tape keys, gaps, and the per-arm statistics (counts, reward sums, empirical means) of a replication."""
    K = means.size
    return (_arm_keys(seed, rep, K), means.max() - means, np.zeros(K, dtype=np.int64), np.zeros(K), np.zeros(K))


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
def _argmax_mean_untried_first(counts, mean_hat):
    best, arg = -np.inf, 0
    for k in range(counts.size):
        if counts[k] == 0:
            return k
        if mean_hat[k] > best:
            best, arg = mean_hat[k], k
    return arg


@njit(cache=True)
def _etc(means, gaussian, sigma, T, seed, rep, checkpoints, params, regret_out, pulls_out):
    """Explore-then-commit: m = params[0] pulls per arm in round robin, then the best empirical mean."""
    K = means.size
    m = int(params[0])
    keys, gaps, counts, sums, mean_hat = _replication_state(means, seed, rep)
    cum, ci, committed = 0.0, 0, -1
    for t in range(T):
        if t < m * K:
            a = t % K
        else:
            if committed < 0:
                best = -np.inf
                for k in range(K):
                    if mean_hat[k] > best:
                        best, committed = mean_hat[k], k
            a = committed
        _pull(a, keys, counts, sums, mean_hat, gaussian, means, sigma)
        cum += gaps[a]
        ci = _record(t + 1, cum, checkpoints, ci, regret_out)
    pulls_out[:] = counts


@njit(cache=True)
def _epsilon_greedy(means, gaussian, sigma, T, seed, rep, checkpoints, params, regret_out, pulls_out):
    """epsilon-greedy with eps_t = min(1, c (K ln t / t)^(1/3)) at round t (Slivkins 2019, Thm 1.6), c = params[0].
    Exploitation plays an untried arm first, else the best empirical mean."""
    K = means.size
    c = params[0]
    keys, gaps, counts, sums, mean_hat = _replication_state(means, seed, rep)
    st = new_state(seed, rep)
    cum, ci = 0.0, 0
    for t in range(1, T + 1):
        eps = min(1.0, c * (K * np.log(t) / t) ** (1.0 / 3.0))
        if next_uniform(st) <= eps:
            a = min(int(next_uniform(st) * K), K - 1)
        else:
            a = _argmax_mean_untried_first(counts, mean_hat)
        _pull(a, keys, counts, sums, mean_hat, gaussian, means, sigma)
        cum += gaps[a]
        ci = _record(t, cum, checkpoints, ci, regret_out)
    pulls_out[:] = counts


@njit(cache=True)
def _successive_elimination(means, gaussian, sigma, T, seed, rep, checkpoints, params, regret_out, pulls_out):
    """Successive elimination (Slivkins 2019, ch. 1, Thm 1.10): phases pull each active arm once; then an arm
    is deactivated when its UCB falls below another's LCB, radius sqrt(c ln T / n), c = params[0]."""
    K = means.size
    c = params[0]
    keys, gaps, counts, sums, mean_hat = _replication_state(means, seed, rep)
    active = np.ones(K, dtype=np.bool_)
    logT = np.log(T)
    cum, ci, t = 0.0, 0, 0
    while t < T:
        for a in range(K):
            if not active[a] or t >= T:
                continue
            _pull(a, keys, counts, sums, mean_hat, gaussian, means, sigma)
            cum += gaps[a]
            t += 1
            ci = _record(t, cum, checkpoints, ci, regret_out)
        best_lcb = -np.inf
        for a in range(K):
            if active[a]:
                best_lcb = max(best_lcb, mean_hat[a] - np.sqrt(c * logT / counts[a]))
        for a in range(K):
            if active[a] and mean_hat[a] + np.sqrt(c * logT / counts[a]) < best_lcb:
                active[a] = False
    pulls_out[:] = counts


@njit(cache=True)
def _ucb1(means, gaussian, sigma, T, seed, rep, checkpoints, params, regret_out, pulls_out):
    """UCB1 (Auer, Cesa-Bianchi, Fischer 2002, Fig. 1): play each arm once, then the arm maximising
    mean_j + sqrt(c ln n / n_j), n = plays so far, c = params[0] (= 2 in the paper)."""
    K = means.size
    c = params[0]
    keys, gaps, counts, sums, mean_hat = _replication_state(means, seed, rep)
    inv_sqrt_n = np.zeros(K)
    cum, ci = 0.0, 0
    for t in range(T):
        if t < K:
            a = t
        else:
            scale = np.sqrt(c * np.log(t))
            best, a = -np.inf, 0
            for k in range(K):
                v = mean_hat[k] + scale * inv_sqrt_n[k]
                if v > best:
                    best, a = v, k
        _pull(a, keys, counts, sums, mean_hat, gaussian, means, sigma)
        inv_sqrt_n[a] = 1.0 / np.sqrt(counts[a])
        cum += gaps[a]
        ci = _record(t + 1, cum, checkpoints, ci, regret_out)
    pulls_out[:] = counts


@njit(cache=True)
def _ucb_delta(means, gaussian, sigma, T, seed, rep, checkpoints, params, regret_out, pulls_out):
    """UCB(delta) (Lattimore & Szepesvari 2020, Algorithm 3): play each arm once, then the arm maximising
    mean_j + sqrt(2 log(1/delta) / n_j) with a FIXED delta = params[0] (Thm 7.1 takes delta = 1/T^2)."""
    K = means.size
    scale = np.sqrt(2.0 * np.log(1.0 / params[0]))
    keys, gaps, counts, sums, mean_hat = _replication_state(means, seed, rep)
    cum, ci = 0.0, 0
    for t in range(T):
        if t < K:
            a = t
        else:
            best, a = -np.inf, 0
            for k in range(K):
                v = mean_hat[k] + scale / np.sqrt(counts[k])
                if v > best:
                    best, a = v, k
        _pull(a, keys, counts, sums, mean_hat, gaussian, means, sigma)
        cum += gaps[a]
        ci = _record(t + 1, cum, checkpoints, ci, regret_out)
    pulls_out[:] = counts


@njit(cache=True)
def _moss(means, gaussian, sigma, T, seed, rep, checkpoints, params, regret_out, pulls_out):
    """MOSS (Audibert & Bubeck 2009; Lattimore & Szepesvari 2020, Algorithm 7 of ch. 9): play each arm once,
    then the arm maximising mean_j + sqrt((c / n_j) log+(T / (K n_j))), log+(x) = max(0, log x), c = params[0]
    (4 in Lattimore & Szepesvari for 1-subgaussian rewards)."""
    K = means.size
    c = params[0]
    keys, gaps, counts, sums, mean_hat = _replication_state(means, seed, rep)
    cum, ci = 0.0, 0
    for t in range(T):
        if t < K:
            a = t
        else:
            best, a = -np.inf, 0
            for k in range(K):
                n = counts[k]
                v = mean_hat[k] + np.sqrt(c / n * max(0.0, np.log(T / (K * n))))
                if v > best:
                    best, a = v, k
        _pull(a, keys, counts, sums, mean_hat, gaussian, means, sigma)
        cum += gaps[a]
        ci = _record(t + 1, cum, checkpoints, ci, regret_out)
    pulls_out[:] = counts


@njit(cache=True, inline="always")
def bernoulli_kl(p, q):
    """kl(p, q) of Bernoulli laws with 0 log 0 = 0 (KL-UCB's index; the formula is ``proofs_check.bernoulli_kl``)."""
    eps = 1e-15
    q = min(max(q, eps), 1.0 - eps)
    v = 0.0
    if p > 0.0:
        v += p * np.log(p / q)
    if p < 1.0:
        v += (1.0 - p) * np.log((1.0 - p) / (1.0 - q))
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
def _kl_ucb(means, gaussian, sigma, T, seed, rep, checkpoints, params, regret_out, pulls_out):
    """KL-UCB (Garivier & Cappe 2011): at round t play argmax max{q : n_a kl(mean_a, q) <= ln t + c ln ln t},
    c = params[0]. Bernoulli kl for Bernoulli arms; for Gaussian arms kl = (p - q)^2 / (2 sigma^2), which gives
    mean + sqrt(2 sigma^2 (ln t + c ln ln t) / n). Pinsker's bound q <= p + sqrt(threshold / (2n)) prunes arms
    and a single kl evaluation at the current best index skip arms whose exact index cannot win."""
    K = means.size
    c = params[0]
    keys, gaps, counts, sums, mean_hat = _replication_state(means, seed, rep)
    upper = np.zeros(K)
    cum, ci = 0.0, 0
    for t in range(T):
        if t < K:
            a = t
        else:
            rnd = t + 1.0
            thr = np.log(rnd) + (c * np.log(np.log(rnd)) if c != 0.0 else 0.0)
            if gaussian:
                best, a = -np.inf, 0
                for k in range(K):
                    v = mean_hat[k] + np.sqrt(2.0 * sigma * sigma * thr / counts[k])
                    if v > best:
                        best, a = v, k
            else:
                first = 0
                for k in range(K):
                    upper[k] = min(1.0, mean_hat[k] + np.sqrt(thr / (2.0 * counts[k])))
                    if upper[k] > upper[first]:
                        first = k
                a = first
                best = kl_ucb_index(mean_hat[first], counts[first], thr, upper[first])
                for k in range(K):
                    # arm k can beat ``best`` only if best is inside its KL ball (one kl evaluation)
                    if k != first and upper[k] > best and counts[k] * bernoulli_kl(mean_hat[k], best) <= thr:
                        v = kl_ucb_index(mean_hat[k], counts[k], thr, upper[k])
                        if v > best or (v == best and k < a):
                            best, a = v, k
        _pull(a, keys, counts, sums, mean_hat, gaussian, means, sigma)
        cum += gaps[a]
        ci = _record(t + 1, cum, checkpoints, ci, regret_out)
    pulls_out[:] = counts


@njit(cache=True)
def _thompson(means, gaussian, sigma, T, seed, rep, checkpoints, params, regret_out, pulls_out):
    """Thompson sampling. Bernoulli arms: Beta(1 + successes, 1 + failures) posteriors (Agrawal & Goyal 2012).
    Gaussian arms: sample N(S_a / (n_a + 1), sigma^2 / (n_a + 1)) (Agrawal & Goyal 2013, Gaussian priors)."""
    K = means.size
    keys, gaps, counts, sums, mean_hat = _replication_state(means, seed, rep)
    st = new_state(seed, rep)
    cum, ci = 0.0, 0
    for t in range(T):
        best, a = -np.inf, 0
        for k in range(K):
            if gaussian:
                v = sums[k] / (counts[k] + 1.0) + sigma * next_normal(st) / np.sqrt(counts[k] + 1.0)
            else:
                v = next_beta(st, 1.0 + sums[k], 1.0 + counts[k] - sums[k])
            if v > best:
                best, a = v, k
        _pull(a, keys, counts, sums, mean_hat, gaussian, means, sigma)
        cum += gaps[a]
        ci = _record(t + 1, cum, checkpoints, ci, regret_out)
    pulls_out[:] = counts


# code -> the kernel of one replication (the codes of ``simulate.ALGORITHMS``)
KERNELS = {0: _etc, 1: _epsilon_greedy, 2: _successive_elimination, 3: _ucb1, 4: _kl_ucb, 5: _thompson,
           8: _ucb_delta, 9: _moss}


def simulate_serial(code, means, gaussian, sigma, T, seed, first_rep, checkpoints, params, regret, pulls):
    """Replications one after another, calling the algorithm's own kernel: only that kernel is compiled (about
    1.5 s each on first use), not the dispatcher over every algorithm (about 12 s); the Python loop costs
    microseconds per replication."""
    kernel = KERNELS[int(code)]
    for i in range(regret.shape[0]):
        kernel(means, gaussian, sigma, T, seed, first_rep + i, checkpoints, params, regret[i], pulls[i])


@njit(cache=True)
def one_replication(code, means, gaussian, sigma, T, seed, rep, checkpoints, params, regret_out, pulls_out):
    """One replication of the algorithm with the given code (the parallel driver's dispatch)."""
    if code == 0:
        _etc(means, gaussian, sigma, T, seed, rep, checkpoints, params, regret_out, pulls_out)
    elif code == 1:
        _epsilon_greedy(means, gaussian, sigma, T, seed, rep, checkpoints, params, regret_out, pulls_out)
    elif code == 2:
        _successive_elimination(means, gaussian, sigma, T, seed, rep, checkpoints, params, regret_out, pulls_out)
    elif code == 3:
        _ucb1(means, gaussian, sigma, T, seed, rep, checkpoints, params, regret_out, pulls_out)
    elif code == 4:
        _kl_ucb(means, gaussian, sigma, T, seed, rep, checkpoints, params, regret_out, pulls_out)
    elif code == 5:
        _thompson(means, gaussian, sigma, T, seed, rep, checkpoints, params, regret_out, pulls_out)
    elif code == 8:
        _ucb_delta(means, gaussian, sigma, T, seed, rep, checkpoints, params, regret_out, pulls_out)
    else:
        _moss(means, gaussian, sigma, T, seed, rep, checkpoints, params, regret_out, pulls_out)


@njit(cache=True, parallel=True)
def simulate_parallel(code, means, gaussian, sigma, T, seed, first_rep, checkpoints, params, regret, pulls):
    """Replications in parallel (``prange``); replication i depends on (seed, first_rep + i) only."""
    for i in prange(regret.shape[0]):
        one_replication(code, means, gaussian, sigma, T, seed, first_rep + i, checkpoints, params, regret[i],
                        pulls[i])
