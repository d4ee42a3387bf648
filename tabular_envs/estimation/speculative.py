"""Speculative sampling (Leviathan, Kalman, Matias 2023, ICML, Algorithm 1 and Appendix A; Chen et al. 2023,
"Accelerating large language model decoding with speculative sampling", Algorithm 2 and Theorem 1).

One iteration from a prefix: draft x_1, ..., x_gamma autoregressively from q; accept x_j with probability
min(1, p(x_j|.) / q(x_j|.)); at the first rejection emit one token from norm(max(0, p - q)) and stop; if all gamma
are accepted emit a bonus token from p. The emitted stream has exactly the target's law, for any q.

``output_law`` computes the exact law of the first L emitted tokens by enumerating the accept/reject branches (the
branches beyond L tokens are summed out), for the correct sampler and for four wrong ones seen in public
implementations:
  "resample_target"   on rejection, emit from p instead of the residual;
  "inverted_ratio"    accept with min(1, q/p);
  "token_equality"    accept when the draft equals an independent sample from p (probability p(x));
  "mismatched_draft"  draft from q_sample (another q: a different dtype, top-k) while the ratio uses q.
"""
from __future__ import annotations

from typing import Callable

import numpy as np

from ..errors import TabularEnvError

__all__ = ["VARIANTS", "acceptance_rate", "expected_tokens_formula", "output_law", "target_law", "expected_tokens",
           "context_free", "bigram", "total_variation", "speculative_step", "sample_first_tokens"]

VARIANTS = ("correct", "resample_target", "inverted_ratio", "token_equality", "mismatched_draft")
Model = Callable[[tuple], np.ndarray]


def _distribution(name: str, v) -> np.ndarray:
    v = np.asarray(v, dtype=np.float64)
    if v.ndim != 1 or v.size < 1 or not np.isfinite(v).all() or (v < 0).any() or abs(v.sum() - 1) > 1e-12:
        raise TabularEnvError(f"{name} must be a probability vector, got {v!r}")
    return v


def acceptance_rate(p, q) -> float:
    """alpha = sum_x min(p(x), q(x)) = 1 - TV(p, q) (Leviathan et al. 2023, Definition 3.1 and Corollary 3.6)."""
    p, q = _distribution("p", p), _distribution("q", q)
    return float(np.minimum(p, q).sum())


def expected_tokens_formula(alpha: float, gamma: int) -> float:
    """(1 - alpha^(gamma + 1)) / (1 - alpha), gamma + 1 at alpha = 1 (Leviathan et al. 2023, eq. (1))."""
    return float(gamma + 1) if alpha == 1.0 else (1 - alpha ** (gamma + 1)) / (1 - alpha)


def context_free(p) -> Model:
    """A model whose next-token law is p whatever the prefix."""
    p = _distribution("p", p)
    return lambda prefix: p


def bigram(first, transition) -> Model:
    """A bigram model: ``first`` for the empty prefix, ``transition[prev]`` after token ``prev``."""
    first = _distribution("first", first)
    T = np.asarray(transition, dtype=np.float64)
    for i, row in enumerate(T):
        _distribution(f"transition[{i}]", row)
    return lambda prefix: first if not prefix else T[prefix[-1]]


def _accept_probability(variant: str, p, q, x: int) -> float:
    """The probability of accepting the drafted token x: min(1, p(x)/q(x)) (1 where q(x) = 0), or a trap's rule."""
    if variant == "inverted_ratio":
        return min(1.0, q[x] / p[x]) if p[x] > 0 else 1.0
    if variant == "token_equality":
        return float(p[x])
    return 1.0 if q[x] <= 0 else min(1.0, p[x] / q[x])


def _residual(p, q):
    d = np.maximum(p - q, 0.0)
    s = d.sum()
    return d / s if s > 0 else p        # p == q: never reached (rejection has probability 0)


def output_law(target: Model, draft: Model, gamma: int, L: int, variant: str = "correct",
               draft_sample: Model | None = None) -> dict:
    """{sequence of the first L emitted tokens: probability}, by enumeration."""
    if variant not in VARIANTS:
        raise TabularEnvError(f"variant must be one of {VARIANTS}, got {variant!r}")
    if not (isinstance(gamma, (int, np.integer)) and gamma >= 1 and isinstance(L, (int, np.integer)) and L >= 1):
        raise TabularEnvError(f"gamma and L must be positive integers, got {gamma!r}, {L!r}")
    sample = draft_sample if (variant == "mismatched_draft" and draft_sample is not None) else draft
    law: dict = {}

    def emit(prefix, weight, dist):
        for y, py in enumerate(dist):
            if py > 0:
                iterate(prefix + (y,), weight * py)

    def iterate(prefix, weight):          # one iteration of the sampler from this prefix
        if len(prefix) >= L:
            key = prefix[:L]
            law[key] = law.get(key, 0.0) + weight
            return
        draft_step(prefix, weight, 0)

    def draft_step(context, weight, j):
        if len(context) >= L:              # the first L tokens are fixed: the rest sums to 1
            iterate(context, weight)
            return
        p, q = target(context), draft(context)
        if j == gamma:
            emit(context, weight, p)       # bonus token
            return
        qs = sample(context)
        for x, qx in enumerate(qs):
            if qx <= 0:
                continue
            a = _accept_probability(variant, p, q, x)
            if a > 0:
                draft_step(context + (x,), weight * qx * a, j + 1)
            if a < 1:
                emit(context, weight * qx * (1 - a), p if variant == "resample_target" else _residual(p, q))

    iterate((), 1.0)
    return law


def speculative_step(target: Model, draft: Model, prefix: tuple, n_draft: int, rng: np.random.Generator,
                     variant: str = "correct", draft_sample: Model | None = None) -> list[int]:
    """One iteration of speculative sampling from ``prefix``: the tokens it emits (1 to n_draft + 1). Draft
    x ~ q(. | context), accept with probability min(1, p(x)/q(x)); on the first rejection emit a token from
    norm(max(0, p - q)) and stop; after n_draft acceptances emit a bonus token from p (Leviathan, Kalman, Matias
    2023, Algorithm 1; Chen et al. 2023, Algorithm 2). ``variant`` plants the traps that ``output_law`` enumerates,
    with the same rules, so a sampled law can be set against the enumerated one."""
    if variant not in VARIANTS:
        raise TabularEnvError(f"variant must be one of {VARIANTS}, got {variant!r}")
    sample = draft_sample if (variant == "mismatched_draft" and draft_sample is not None) else draft
    context, out = tuple(prefix), []
    for _ in range(n_draft):
        p, q = target(context), draft(context)
        qs = sample(context)
        x = int(rng.choice(qs.size, p=qs))
        a = _accept_probability(variant, p, q, x)
        if rng.uniform() >= a:
            dist = p if variant == "resample_target" else _residual(p, q)
            out.append(int(rng.choice(dist.size, p=dist)))
            return out
        out.append(x)
        context = context + (x,)
    p = target(context)
    out.append(int(rng.choice(p.size, p=p)))
    return out


def sample_first_tokens(target: Model, draft: Model, gamma: int, L: int, n: int, rng: np.random.Generator,
                        variant: str = "correct", draft_sample: Model | None = None) -> dict:
    """{sequence of the first L emitted tokens: count} over n independent generations, each built by repeated
    ``speculative_step`` from the empty prefix."""
    if not (isinstance(n, (int, np.integer)) and n >= 1 and isinstance(L, (int, np.integer)) and L >= 1):
        raise TabularEnvError(f"n and L must be positive integers, got {n!r}, {L!r}")
    counts: dict = {}
    for _ in range(n):
        seq: tuple = ()
        while len(seq) < L:
            seq = seq + tuple(speculative_step(target, draft, seq, gamma, rng, variant, draft_sample))
        counts[seq[:L]] = counts.get(seq[:L], 0) + 1
    return counts


def target_law(target: Model, L: int) -> dict:
    """The law of L tokens sampled from the target directly."""
    law = {(): 1.0}
    for _ in range(L):
        law = {s + (y,): w * py for s, w in law.items() for y, py in enumerate(target(s)) if py > 0}
    return law


def total_variation(a: dict, b: dict) -> float:
    return 0.5 * sum(abs(a.get(k, 0.0) - b.get(k, 0.0)) for k in set(a) | set(b))


def expected_tokens(p, q, gamma: int, variant: str = "correct") -> float:
    """E[tokens emitted by one iteration] for context-free p and q, by enumerating the branches of one iteration
    (each drafted token, accepted or rejected): no use of alpha or of the closed form."""
    p, q = _distribution("p", p), _distribution("q", q)

    memo: dict = {}

    def branch(j):              # context-free: the value after j accepted drafts depends on j only
        if j in memo:
            return memo[j]
        if j == gamma:
            return float(gamma + 1)
        total = 0.0
        for x, qx in enumerate(q):
            if qx > 0:
                a = _accept_probability(variant, p, q, x)
                total += qx * (a * branch(j + 1) + (1 - a) * (j + 1))
        memo[j] = total
        return total
    return branch(0)
