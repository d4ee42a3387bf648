"""Properties of advantage estimators and speculative samplers, against the estimation family's exact references
(claims E1 and E2; ``tabular_envs.estimation``).

Advantage estimators, ``advantages(rewards) -> array`` for one group of N rewards; exact properties, searched with
Hypothesis like the operators' (no sampling noise):

- ``finite``: on generated groups (N = 2..8; binary, constant and real-valued rewards) the output is N finite
  numbers;
- ``constant_group_zero``: a group whose rewards are all equal gets advantages 0 (within 1e-12): it carries no
  signal, and 0/0 must not become NaN;
- ``unbiased``: E[g] = grad J exactly, g = (1/N) sum_i A_i grad log pi(y_i), on softmax bandits (K = 3, binary
  rewards, N = 2..4, generated logits), E[g] by enumerating all K^N groups
  (``tabular_envs.estimation.group_baselines.expected_gradient_of``); relative error at most 1e-9;
- ``direction_preserving``: E[g] = c grad J with c > 0 (the component of E[g] orthogonal to grad J at most 1e-9 of
  ||grad J||); the factor c is reported (RLOO: 1; the mean-centred baseline: (N - 1)/N; std normalisation: w_N(p)).

Speculative samplers, ``speculative_step(target, draft, prefix, n_draft, rng) -> list of tokens`` (target and draft
map a prefix, a tuple of ints, to a probability vector over the vocabulary); statistical properties with fixed
seeds, each at delta / 3 (Bonferroni over the three), Bonferroni again within a property over its instances:

- ``valid_output`` (exact on its runs): every step returns 1 to n_draft + 1 integers in [0, V);
- ``lossless``: the law of the first L = 3 emitted tokens equals the target's (``target_law``), Pearson's
  chi-square (``testbed.stats.chi_square_p_value``) on 20 000 generations (100 000 at standard), on the catalogue
  pair p = (0.4, 0.3, 0.2, 0.1), q uniform, with n_draft = 1 and 4, and on a fixed bigram pair over V = 3;
- ``acceptance_rate``: with context-free p and q, the first draft is accepted with probability
  alpha = sum_x min(p(x), q(x)) = 1 - TV(p, q), which is when a step emits at least 2 tokens: two-sided
  Clopper-Pearson on 20 000 steps (100 000 at standard) for two pairs (alpha = 0.8 and a random pair);
- ``tokens_per_step``: the mean number of tokens per step equals (1 - alpha^(n+1)) / (1 - alpha)
  (``proofs_check.speculative_expected_tokens``), within its z bound, on the same steps at n_draft = 1 and 4.
"""
from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from proofs_check import speculative_expected_tokens
from tabular_envs.estimation.group_baselines import expected_gradient_of, policy_gradient_of_success
from tabular_envs.estimation.speculative import acceptance_rate, bigram, context_free, target_law

from ..errors import ProtocolError
from ..stats import HOLDS, VIOLATED, chi_square_p_value, clopper_pearson, decide_within_standard_errors
from .operator_properties import ExactProperty

__all__ = ["ADVANTAGE_PROPERTIES", "SAMPLER_PROPERTIES", "SAMPLER_BUDGETS", "N_SAMPLER_STATISTICAL", "OPE_PROPERTIES",
           "OPE_STATISTICAL", "N_OPE_STATISTICAL"]

UNBIASED_TOL = 1e-9
ZERO_TOL = 1e-12

# ---- advantage estimators ------------------------------------------------------------------------------------------


def _advantages(fn, rewards) -> np.ndarray:
    """The user's advantages for one group, checked: N finite numbers (ProtocolError otherwise, an 'error')."""
    out = fn(np.array(rewards, dtype=np.float64))
    try:
        A = np.asarray(out, dtype=np.float64)
    except (TypeError, ValueError):
        raise ProtocolError(f"advantages({list(rewards)}) returned {type(out).__name__}, not an array of "
                            "numbers") from None
    if A.shape != (len(rewards),):
        raise ProtocolError(f"advantages of a group of {len(rewards)} rewards must have shape ({len(rewards)},), "
                            f"got {A.shape}")
    return A


def _groups():
    binary = st.lists(st.sampled_from([0.0, 1.0]), min_size=2, max_size=8)
    constant = st.tuples(st.sampled_from([0.0, 1.0, 0.5, -1.0]), st.integers(2, 8)).map(lambda c: [c[0]] * c[1])
    real = st.lists(st.floats(-1.0, 2.0, allow_nan=False, width=32).map(float), min_size=2, max_size=8)
    return st.one_of(binary, constant, real)


def _constant_groups():
    return st.tuples(st.sampled_from([0.0, 1.0, 0.5, -1.0, 3.0]), st.integers(2, 8)).map(lambda c: [c[0]] * c[1])


def _bandits():
    """(logits, binary rewards of the K = 3 responses (not all equal), N)."""
    logits = st.lists(st.floats(-2.0, 2.0, allow_nan=False, width=32).map(float), min_size=3, max_size=3)
    rewards = st.sampled_from([(1.0, 0.0, 0.0), (1.0, 1.0, 0.0), (0.0, 1.0, 0.0), (0.0, 1.0, 1.0)])
    return st.tuples(logits, rewards, st.integers(2, 4))


def _finite_fails(fn, group) -> bool:
    return not np.all(np.isfinite(_advantages(fn, group)))


def _constant_fails(fn, group) -> bool:
    A = _advantages(fn, group)
    return not (np.all(np.isfinite(A)) and np.max(np.abs(A)) <= ZERO_TOL)


def _expectation(fn, example):
    theta, rewards, N = example
    grad = policy_gradient_of_success(theta, rewards)
    E = expected_gradient_of(lambda g: _advantages(fn, g), theta, rewards, N)
    return E, grad


def _unbiased_fails(fn, example) -> bool:
    E, grad = _expectation(fn, example)
    return not (np.all(np.isfinite(E)) and np.linalg.norm(E - grad) <= UNBIASED_TOL * np.linalg.norm(grad))


def direction_factor(fn, example) -> tuple[float, float]:
    """(c, residual): E[g] = c grad J + residual, residual orthogonal to grad J, relative to ||grad J||."""
    E, grad = _expectation(fn, example)
    c = float(E @ grad / (grad @ grad))
    return c, float(np.linalg.norm(E - c * grad) / np.linalg.norm(grad))


def _direction_fails(fn, example) -> bool:
    c, residual = direction_factor(fn, example)
    return not (np.isfinite(c) and c > 0 and residual <= UNBIASED_TOL)


def _factor_report(fn) -> str:
    """E[g] = c grad J: the factor c at p = J in {0.2, 0.5}, N in {2, 4} (rewards (1, 0, 0))."""
    parts = []
    for p in (0.2, 0.5):
        theta = np.log([p, (1 - p) / 2, (1 - p) / 2])
        for N in (2, 4):
            try:
                c, residual = direction_factor(fn, (theta, (1.0, 0.0, 0.0), N))
            except Exception as exc:
                return f"factor not computed ({type(exc).__name__})"
            parts.append(f"p = {p}, N = {N}: c = {c:.6g}" + ("" if residual <= UNBIASED_TOL else
                                                               f" (orthogonal part {residual:.2g})"))
    return "factor " + ", ".join(parts)


def _list_json(x):
    return {"rewards": list(map(float, x))}


def _list_from(d):
    return list(map(float, d["rewards"]))


def _bandit_json(ex):
    return {"logits": list(map(float, ex[0])), "rewards": list(map(float, ex[1])), "N": int(ex[2])}


def _bandit_from(d):
    return (list(map(float, d["logits"])), tuple(map(float, d["rewards"])), int(d["N"]))


ADVANTAGE_PROPERTIES = {
    "finite": ExactProperty("finite", "advantages(group) is N finite numbers (binary, constant and real rewards)",
                            _groups, _finite_fails, _list_json, _list_from),
    "constant_group_zero": ExactProperty("constant_group_zero", "a constant group gets advantages 0 (within 1e-12)",
                                         _constant_groups, _constant_fails, _list_json, _list_from),
    "unbiased": ExactProperty("unbiased", "E[(1/N) sum_i A_i grad log pi(y_i)] = grad J exactly (softmax bandit, "
                              "K = 3, binary rewards, N = 2..4; relative error <= 1e-9)", _bandits, _unbiased_fails,
                              _bandit_json, _bandit_from),
    "direction_preserving": ExactProperty("direction_preserving", "E[g] = c grad J with c > 0 (orthogonal part "
                                          "<= 1e-9 of ||grad J||)", _bandits, _direction_fails, _bandit_json,
                                          _bandit_from, report=_factor_report),
}

# ---- speculative samplers -------------------------------------------------------------------------------------------

SAMPLER_BUDGETS = {"quick": 20_000, "standard": 100_000}      # generations (lossless) and steps (the others)
N_SAMPLER_STATISTICAL = 3
LENGTH = 3
P_CATALOGUE = (0.4, 0.3, 0.2, 0.1)


def _pairs():
    """(label, target, draft, n_draft) for ``lossless``: the catalogue pair at n_draft 1 and 4, a bigram pair."""
    rng = np.random.default_rng(20261205)
    tp = bigram(rng.dirichlet(np.full(3, 5.0)), rng.dirichlet(np.full(3, 5.0), 3))
    tq = bigram(rng.dirichlet(np.full(3, 5.0)), rng.dirichlet(np.full(3, 5.0), 3))
    p, q = context_free(np.array(P_CATALOGUE)), context_free(np.full(4, 0.25))
    return [("catalogue p, q uniform, n_draft = 1", p, q, 1), ("catalogue p, q uniform, n_draft = 4", p, q, 4),
            ("bigram pair (V = 3), n_draft = 2", tp, tq, 2)]


def _context_free_pairs():
    """(label, p, q) for the acceptance rate and the tokens per step."""
    rng = np.random.default_rng(20261206)
    return [("p = (0.4, 0.3, 0.2, 0.1), q uniform", np.array(P_CATALOGUE), np.full(4, 0.25)),
            ("a random pair (V = 5)", rng.dirichlet(np.ones(5)), rng.dirichlet(np.ones(5)))]


def _step(fn, target, draft, prefix, n_draft, rng, vocab) -> list[int]:
    out = fn(target, draft, tuple(prefix), n_draft, rng)
    try:
        tokens = [int(x) for x in out]
        bad = any(not float(x) == int(x) for x in out)
    except (TypeError, ValueError):
        raise ProtocolError(f"speculative_step returned {type(out).__name__}, not a list of token ids") from None
    if bad or not 1 <= len(tokens) <= n_draft + 1 or any(not 0 <= x < vocab for x in tokens):
        raise ProtocolError(f"speculative_step(prefix={tuple(prefix)}, n_draft={n_draft}) returned {list(out)!r}: "
                            f"expected 1 to {n_draft + 1} token ids in [0, {vocab})")
    return tokens


def _generate(fn, target, draft, n_draft, n, rng, vocab) -> dict:
    counts: dict = {}
    for _ in range(n):
        seq: list = []
        while len(seq) < LENGTH:
            seq += _step(fn, target, draft, seq, n_draft, rng, vocab)
        key = tuple(seq[:LENGTH])
        counts[key] = counts.get(key, 0) + 1
    return counts


def _valid_output(fn, budget, delta, seed):
    rng = np.random.default_rng([seed, 0])
    for label, target, draft, n_draft in _pairs():
        vocab = target(()).size
        prefix: list = []
        for _ in range(200):
            prefix = (prefix + _step_checked(fn, target, draft, prefix, n_draft, rng, vocab, label))[-4:]
    return HOLDS, "every step returned 1 to n_draft + 1 token ids in the vocabulary (200 steps per pair)", None


def _step_checked(fn, target, draft, prefix, n_draft, rng, vocab, label):
    try:
        return _step(fn, target, draft, prefix, n_draft, rng, vocab)
    except ProtocolError as exc:
        raise _Invalid(f"{label}: {exc}") from None


class _Invalid(Exception):
    pass


def _lossless(fn, budget, delta, seed):
    n = SAMPLER_BUDGETS[budget]
    alpha = delta / N_SAMPLER_STATISTICAL
    pairs = _pairs()
    rows, worst = [], None
    for i, (label, target, draft, n_draft) in enumerate(pairs):
        rng = np.random.default_rng([seed, 1, i])
        vocab = target(()).size
        law = target_law(target, LENGTH)
        counts = _generate(fn, target, draft, n_draft, n, rng, vocab)
        keys = sorted(law)
        outside = n - sum(counts.get(k, 0) for k in keys)
        p_value, _ = chi_square_p_value([counts.get(k, 0) for k in keys] + [outside], [law[k] for k in keys] + [0.0])
        tv = 0.5 * sum(abs(counts.get(k, 0) / n - law[k]) for k in keys) + 0.5 * outside / n
        rows.append(f"{label}: p = {p_value:.3g}, empirical TV {tv:.4f}")
        if p_value <= alpha / len(pairs) and worst is None:
            worst = {"pair": label, "p_value": p_value, "empirical_tv": tv, "generations": n}
    detail = (f"chi-square of the first {LENGTH} tokens against the target's law, each test at "
              f"{alpha / len(pairs):.3g} (Bonferroni): " + "; ".join(rows))
    return (VIOLATED if worst else HOLDS), detail, worst


def _step_lengths(fn, p, q, n_draft, n, rng):
    target, draft = context_free(p), context_free(q)
    return np.array([len(_step(fn, target, draft, (), n_draft, rng, p.size)) for _ in range(n)])


def _acceptance_rate(fn, budget, delta, seed):
    n = SAMPLER_BUDGETS[budget]
    alpha = delta / N_SAMPLER_STATISTICAL
    pairs = _context_free_pairs()
    rows, worst = [], None
    for i, (label, p, q) in enumerate(pairs):
        lengths = _step_lengths(fn, p, q, 4, n, np.random.default_rng([seed, 2, i]))
        k, a = int(np.sum(lengths >= 2)), acceptance_rate(p, q)
        lo, hi = clopper_pearson(k, n, alpha / (2 * len(pairs)))
        rows.append(f"{label}: accepted {k / n:.4f} [{lo:.4f}, {hi:.4f}] against alpha = {a:.4f}")
        if not lo <= a <= hi and worst is None:
            worst = {"pair": label, "accepted": k / n, "interval": [lo, hi], "alpha": a, "steps": n}
    detail = ("P(the first draft is accepted) = P(a step emits >= 2 tokens) against 1 - TV(p, q), two-sided "
              "Clopper-Pearson (Bonferroni): " + "; ".join(rows))
    return (VIOLATED if worst else HOLDS), detail, worst


def _tokens_per_step(fn, budget, delta, seed):
    n = SAMPLER_BUDGETS[budget]
    formula = speculative_expected_tokens()
    means, ses, targets, labels = [], [], [], []
    for i, (label, p, q) in enumerate(_context_free_pairs()):
        for j, n_draft in enumerate((1, 4)):
            lengths = _step_lengths(fn, p, q, n_draft, n, np.random.default_rng([seed, 3, i, j]))
            means.append(lengths.mean())
            ses.append(lengths.std(ddof=1) / np.sqrt(n))
            targets.append(float(formula.evaluate(alpha=acceptance_rate(p, q), gamma=n_draft)))
            labels.append(f"{label}, n_draft = {n_draft}")
    v = decide_within_standard_errors(means, ses, targets, None, labels, delta=delta / N_SAMPLER_STATISTICAL)
    rows = "; ".join(f"{lab}: {m:.4f} against {t:.4f}" for lab, m, t in zip(labels, means, targets, strict=True))
    detail = f"mean tokens per step against (1 - alpha^(n+1))/(1 - alpha), |z| <= {v.evidence['z_max']:.2f}: {rows}"
    worst = None
    if v.verdict == VIOLATED:
        z = [c["z"] for c in v.evidence["comparisons"]]
        i = int(np.argmax(np.abs(z)))
        worst = {"case": labels[i], "mean": means[i], "formula": targets[i], "z": z[i], "steps": n}
    return v.verdict, detail, worst


def _as_violation(prop):
    """An invalid step is the property ``valid_output``'s violation; elsewhere it makes the property an error."""
    def run(fn, budget, delta, seed):
        try:
            return prop(fn, budget, delta, seed)
        except _Invalid as exc:
            return VIOLATED, str(exc), None
    return run


SAMPLER_PROPERTIES = {
    "valid_output": _as_violation(_valid_output),
    "lossless": _lossless,
    "acceptance_rate": _acceptance_rate,
    "tokens_per_step": _tokens_per_step,
}

# ---- off-policy estimators ------------------------------------------------------------------------------------------
# estimate(contexts, actions, rewards, propensities, target_probs) -> float: contexts and actions int arrays (n,),
# rewards (n,), propensities (n,) = mu(a_i | x_i) of the logged actions, target_probs (n, K) = pi(. | x_i)

OPE_TOL = 1e-9
CONSISTENT_N, CONSISTENT_LOGS, CONSISTENT_BIAS = 5000, 40, 0.01


def _call_ope(fn, log, pi, mu) -> float:
    x = np.array([t[0] for t in log], dtype=np.int64)
    a = np.array([t[1] for t in log], dtype=np.int64)
    r = np.array([t[2] for t in log], dtype=np.float64)
    out = fn(x, a, r, mu[x, a].copy(), pi[x].copy())
    try:
        value = float(np.asarray(out, dtype=np.float64).reshape(()))
    except (TypeError, ValueError):
        raise ProtocolError(f"estimate(...) returned {type(out).__name__}, not one number") from None
    return value


def _ope_instances(support: bool = True):
    """(p_x, mu, pi, R, n): 2 contexts x 2-3 actions, logs of n = 1..2 (every log enumerated). With ``support`` mu is
    positive everywhere; without it mu(0 | x) = 0 while pi plays action 0."""
    def build(draw):
        K = draw(st.integers(2, 3))
        probs = st.lists(st.sampled_from([0.1, 0.2, 0.3, 0.5, 0.7, 1.0]), min_size=K, max_size=K)
        rows = lambda: [np.array(draw(probs)) for _ in range(2)]         # noqa: E731
        mu = np.array([v / v.sum() for v in rows()])
        pi = np.array([v / v.sum() for v in rows()])
        if not support:
            mu[:, 0] = 0.0
            mu = mu / mu.sum(axis=1, keepdims=True)
        R = np.array(draw(st.lists(st.sampled_from([0.0, 0.2, 0.5, 0.9, 1.0]), min_size=2 * K, max_size=2 * K))
                     ).reshape(2, K)
        p_x = np.array([0.6, 0.4])
        return p_x, mu, pi, R, draw(st.integers(1, 2))
    return st.composite(lambda draw: build(draw))()


def _ope_expectation(fn, example):
    from tabular_envs.estimation.off_policy import exact_moments_of, policy_value
    p_x, mu, pi, R, n = example
    E, _ = exact_moments_of(lambda log: _call_ope(fn, log, pi, mu), p_x, mu, R, n)
    return E, policy_value(p_x, pi, R)


def _ope_unbiased_fails(fn, example) -> bool:
    E, V = _ope_expectation(fn, example)
    return not (np.isfinite(E) and abs(E - V) <= OPE_TOL * max(1.0, abs(V)))


def _ope_finite_fails(fn, example) -> bool:
    from tabular_envs.estimation.off_policy import exact_moments_of
    p_x, mu, pi, R, n = example
    values = []
    exact_moments_of(lambda log: values.append(_call_ope(fn, log, pi, mu)) or 0.0, p_x, mu, R, n)
    return not np.all(np.isfinite(values))


def _ope_json(ex):
    p_x, mu, pi, R, n = ex
    return {"p_x": p_x.tolist(), "mu": mu.tolist(), "pi": pi.tolist(), "R": R.tolist(), "n": int(n)}


def _ope_from(d):
    return (np.array(d["p_x"]), np.array(d["mu"]), np.array(d["pi"]), np.array(d["R"]), int(d["n"]))


def _support_report(fn) -> str:
    """The exact expectation of the estimate when mu never logs an action pi plays (every log of n = 2)."""
    p_x = np.array([0.6, 0.4])
    mu = np.array([[0.0, 0.5, 0.5], [0.0, 0.3, 0.7]])
    pi = np.array([[0.6, 0.2, 0.2], [0.5, 0.25, 0.25]])
    R = np.array([[0.9, 0.2, 0.5], [1.0, 0.5, 0.0]])
    try:
        E, V = _ope_expectation(fn, (p_x, mu, pi, R, 2))
    except Exception as exc:
        return f"support violation: not evaluated ({type(exc).__name__})"
    return (f"support violation (mu never logs an action pi plays with probability 0.6, 0.5): E[estimate] = "
            f"{E:.4f} against V(pi) = {V:.4f}, bias {E - V:+.4f} (no estimator from these logs can be unbiased)")


def _consistent(fn, budget, delta, seed):
    """No bias above 0.01 at n = 5000: the two-sided t interval (at delta / N_OPE_STATISTICAL) of the mean of 40
    estimates, each from its own log, must not lie entirely outside V +- 0.01."""
    from tabular_envs.estimation.off_policy import policy_value

    from ..stats import t_bounds
    p_x = np.array([0.5, 0.3, 0.2])
    mu = np.array([[0.4, 0.3, 0.2, 0.1], [0.25, 0.25, 0.25, 0.25], [0.1, 0.2, 0.3, 0.4]])
    pi = np.array([[0.1, 0.1, 0.1, 0.7], [0.7, 0.1, 0.1, 0.1], [0.25, 0.25, 0.25, 0.25]])
    R = np.array([[0.2, 0.4, 0.6, 0.8], [0.9, 0.1, 0.5, 0.5], [0.3, 0.3, 0.7, 0.7]])
    V = policy_value(p_x, pi, R)
    n = CONSISTENT_N * (2 if budget == "standard" else 1)
    values = np.empty(CONSISTENT_LOGS)
    for i in range(CONSISTENT_LOGS):
        rng = np.random.default_rng([seed, 4, i])
        x = rng.choice(3, size=n, p=p_x)
        u = rng.random(n)
        a = np.minimum((u[:, None] > np.cumsum(mu[x], axis=1)).sum(axis=1), mu.shape[1] - 1)
        r = (rng.random(n) < R[x, a]).astype(np.float64)
        out = fn(x, a, r, mu[x, a].copy(), pi[x].copy())
        values[i] = float(np.asarray(out, dtype=np.float64).reshape(()))
    if not np.all(np.isfinite(values)):
        return VIOLATED, f"a non-finite estimate on a log of n = {n}", None
    alpha = delta / N_OPE_STATISTICAL
    mean, lo, hi = (float(v[0]) for v in t_bounds(values[:, None], alpha / 2))
    detail = (f"mean of {CONSISTENT_LOGS} estimates at n = {n}: {mean:.4f} [{lo:.4f}, {hi:.4f}] against V(pi) = "
              f"{V:.4f} (violated when the interval lies outside V +- {CONSISTENT_BIAS})")
    if lo > V + CONSISTENT_BIAS or hi < V - CONSISTENT_BIAS:
        return VIOLATED, detail, {"mean": mean, "interval": [lo, hi], "V": V, "n": n}
    return HOLDS, detail, None


N_OPE_STATISTICAL = 1

OPE_PROPERTIES = {
    "finite": ExactProperty("finite", "estimate(...) is a finite number on every log (n = 1, 2; full support)",
                            _ope_instances, _ope_finite_fails, _ope_json, _ope_from),
    "unbiased": ExactProperty("unbiased", "E[estimate] = V(pi) exactly over every log of n = 1, 2 (2 contexts, 2-3 "
                              "actions, Bernoulli rewards, mu > 0 everywhere; relative error <= 1e-9)",
                              _ope_instances, _ope_unbiased_fails, _ope_json, _ope_from, report=_support_report),
}

OPE_STATISTICAL = {"consistent": _consistent}
