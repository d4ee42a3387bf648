"""Counter-based random numbers for the Numba simulators.

Stream keys are derived from (seed, replication, stream) by SplitMix64 mixing; the n-th draw of a stream is
SplitMix64's n-th output from that key (Steele, Lea, Flood 2014). Everything is a pure function of its
arguments, so results never depend on threads, chunking or call order. Two uses:

- the reward tape: stream = arm, so the reward of the n-th pull of arm a in replication i is a fixed
  function of (seed, i, a, n) and two algorithms run on the same seed see the same rewards;
- an algorithm's own randomness (Thompson samples, exploration coins): stream = -1, a state array
  ``[key, counter]`` advanced by each draw.
"""
import math

import numpy as np
from numba import njit

_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_S30, _S27, _S31, _S11 = np.uint64(30), np.uint64(27), np.uint64(31), np.uint64(11)
_TWO_M53 = 1.0 / 9007199254740992.0
ALGORITHM_STREAM = -1


@njit(cache=True, inline="always")
def mix64(z):
    """SplitMix64's output mixing function (Steele, Lea, Flood 2014)."""
    z = (z ^ (z >> _S30)) * _M1
    z = (z ^ (z >> _S27)) * _M2
    return z ^ (z >> _S31)


@njit(cache=True)
def stream_key(seed, rep, stream):
    """Key of stream ``stream`` (>= -1) in replication ``rep`` under ``seed`` (all integers)."""
    h = mix64(np.uint64(seed) ^ mix64(np.uint64(rep) * _GOLDEN + np.uint64(1)))
    return mix64(h + np.uint64(stream + 2) * _GOLDEN)


@njit(cache=True, inline="always")
def draw_bits(key, n):
    """n-th (0-based) 64-bit output of the SplitMix64 stream with the given key."""
    return mix64(key + (np.uint64(n) + np.uint64(1)) * _GOLDEN)


@njit(cache=True, inline="always")
def unit_closed_open(bits):
    """Uniform on [0, 1) with 53 random bits."""
    return (bits >> _S11) * _TWO_M53


@njit(cache=True, inline="always")
def unit_open_closed(bits):
    """Uniform on (0, 1] (safe inside a logarithm)."""
    return ((bits >> _S11) + np.uint64(1)) * _TWO_M53


@njit(cache=True)
def new_state(seed, rep):
    """The algorithm's own stream of replication ``rep``: a state [key, counter] for next_* draws."""
    st = np.empty(2, dtype=np.uint64)
    st[0] = stream_key(seed, rep, ALGORITHM_STREAM)
    st[1] = np.uint64(0)
    return st


@njit(cache=True, inline="always")
def next_uniform(st):
    """The next uniform on (0, 1] of an algorithm's stream (advances the counter)."""
    bits = draw_bits(st[0], st[1])
    st[1] += np.uint64(1)
    return unit_open_closed(bits)


@njit(cache=True)
def next_normal(st):
    """Standard normal by the Box-Muller transform (one of the pair is used)."""
    u1 = next_uniform(st)
    u2 = next_uniform(st)
    return math.sqrt(-2.0 * math.log(u1)) * math.cos(2.0 * math.pi * u2)


@njit(cache=True)
def next_gamma(st, shape):
    """Gamma(shape, 1) for shape >= 1 (Marsaglia & Tsang 2000)."""
    d = shape - 1.0 / 3.0
    c = 1.0 / math.sqrt(9.0 * d)
    while True:
        x = next_normal(st)
        v = 1.0 + c * x
        if v <= 0.0:
            continue
        v = v * v * v
        u = next_uniform(st)
        if math.log(u) < 0.5 * x * x + d - d * v + d * math.log(v):
            return d * v


@njit(cache=True)
def next_beta(st, a, b):
    """Beta(a, b) for a, b >= 1 as a ratio of gammas."""
    x = next_gamma(st, a)
    y = next_gamma(st, b)
    return x / (x + y)


@njit(cache=True)
def softmax_into(log_w, p):
    """p <- exp(log_w - max) / sum (in place)."""
    m = log_w.max()
    total = 0.0
    for k in range(log_w.size):
        p[k] = np.exp(log_w[k] - m)
        total += p[k]
    for k in range(log_w.size):
        p[k] /= total


@njit(cache=True)
def next_categorical(st, p):
    """Index drawn from the probability vector p by inversion of one uniform (the last index absorbs round-off)."""
    u = next_uniform(st)
    acc = 0.0
    for k in range(p.size):
        acc += p[k]
        if u <= acc:
            return k
    return p.size - 1


@njit(cache=True)
def tape_reward(key, n, gaussian, mean, sigma):
    """Reward of the n-th pull of the arm whose tape stream has ``key``: Bernoulli(mean) as
    1[u < mean] with u the n-th uniform; Gaussian(mean, sigma) by Box-Muller on draws 2n and 2n + 1."""
    if gaussian:
        u1 = unit_open_closed(draw_bits(key, 2 * n))
        u2 = unit_closed_open(draw_bits(key, 2 * n + 1))
        return mean + sigma * math.sqrt(-2.0 * math.log(u1)) * math.cos(2.0 * math.pi * u2)
    return 1.0 if unit_closed_open(draw_bits(key, n)) < mean else 0.0
