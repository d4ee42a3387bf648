"""Pure-Python transcription of the simulators' random numbers (``tabular_envs.counter_rng``'s docstring):
SplitMix64 streams keyed by (seed, replication, stream), the reward tape (stream = arm) and the algorithm's own
stream (stream = -1). It shares no code with the Numba kernels, so a plain-Python reference implementation of an
algorithm (the project's tests, or yours) can replay exactly the rewards a kernel saw."""
import math

MASK = (1 << 64) - 1
GOLDEN, M1, M2 = 0x9E3779B97F4A7C15, 0xBF58476D1CE4E5B9, 0x94D049BB133111EB


def mix(z):
    """SplitMix64's mixing function on Python ints (mod 2^64)."""
    z = ((z ^ (z >> 30)) * M1) & MASK
    z = ((z ^ (z >> 27)) * M2) & MASK
    return z ^ (z >> 31)


def key(seed, rep, stream):
    """The key of stream ``stream`` of replication ``rep`` under ``seed`` (as counter_rng.stream_key)."""
    h = mix(seed ^ mix((rep * GOLDEN + 1) & MASK))
    return mix((h + (stream + 2) * GOLDEN) & MASK)


def bits(k, n):
    """The n-th 64-bit output of the stream with key ``k`` (as counter_rng.draw_bits)."""
    return mix((k + (n + 1) * GOLDEN) & MASK)


def bernoulli_tape(seed, rep, arm):
    """reward(n, mean): the n-th pull of ``arm`` in replication ``rep``."""
    k = key(seed, rep, arm)
    return lambda n, mean: 1.0 if (bits(k, n) >> 11) * 2.0 ** -53 < mean else 0.0


class Stream:
    """The algorithm's own uniforms on (0, 1] and the samplers built on them."""

    def __init__(self, seed, rep):
        self.k, self.n = key(seed, rep, -1), 0

    def uniform(self):
        u = ((bits(self.k, self.n) >> 11) + 1) * 2.0 ** -53
        self.n += 1
        return u

    def normal(self):
        u1, u2 = self.uniform(), self.uniform()
        return math.sqrt(-2 * math.log(u1)) * math.cos(2 * math.pi * u2)

    def gamma(self, shape):
        d = shape - 1 / 3
        c = 1 / math.sqrt(9 * d)
        while True:
            x = self.normal()
            v = 1 + c * x
            if v <= 0:
                continue
            v = v ** 3
            if math.log(self.uniform()) < 0.5 * x * x + d - d * v + d * math.log(v):
                return d * v

    def beta(self, a, b):
        x, y = self.gamma(a), self.gamma(b)
        return x / (x + y)
