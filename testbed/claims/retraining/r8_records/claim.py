"""R8. Sparse regret rewards: records of exchangeable sequences (Maraval et al. 2023; derived).

A regret-based reward changes only at a new record. For exchangeable tie-free observations P(record at t) = 1/t, so
E[#records in T] = H_T = sum_{t<=T} 1/t = ln T + gamma_E + o(1), and the count has law c(T, k)/T! (unsigned Stirling
numbers of the first kind). Checked exactly by enumerating all T! orderings for T <= 7 (the law, hence the mean
H_T and P(record at t) = 1/t by position counts), and statistically for large T: the Monte Carlo mean record count
of i.i.d. continuous sequences against H_T (two-sided t interval, Bonferroni over the horizons) and its law against
c(T, k)/T! (chi-square test on pooled cells).
"""
import itertools
import math

import numpy as np
from scipy import stats as st

from proofs_check import expected_records, record_count_law
from testbed.claim import Claim, Source
from testbed.planting import planted_value
from testbed.stats import combine_verdicts, decide_by_p_values, decide_exact

from .model import enumerate_record_counts


def harmonic(T: int) -> float:
    """H_T, the expected number of records (``proofs_check.expected_records``)."""
    return float(expected_records().evaluate(T=T))


HORIZONS = (10, 100, 1000)
_RUNS = {"quick": 4000, "standard": 40000, "full": 200000}


def record_positions(T: int) -> np.ndarray:
    """P(record at t), t = 1..T, by enumerating every ordering."""
    hits = np.zeros(T)
    for perm in itertools.permutations(range(T)):
        best = -1
        for t, v in enumerate(perm):
            if v > best:
                hits[t] += 1
                best = v
    return hits / math.factorial(T)


class RecordCounts(Claim):
    id = "R8"
    family = "retraining"
    title = "Records of exchangeable sequences: P(record at t) = 1/t, E count = H_T, law c(T, k)/T!"
    source = Source("Maraval et al.", 2023, "Sample-efficient optimisation with probabilistic transformer surrogates "
                    "(regret-based rewards; derived)", "derived")
    status = "confirmed"
    kind = ("exact", "statistical")
    statement = (
        "For exchangeable tie-free observations P(record at t) = 1/t, so E[#informative steps in T] = H_T = ln T + "
        "gamma_E + o(1); the count's law is c(T, k)/T! (unsigned Stirling numbers of the first kind)."
    )

    def bound(self):
        return expected_records()

    def tasks(self, fidelity, root_seed):
        return [self.make_task(f"T={T}", {"T": T, "runs": _RUNS[fidelity]}, fidelity, root_seed, stream=f"T={T}")
                for T in HORIZONS]

    def run_task(self, task):
        rng = np.random.default_rng(task.seed)
        T, runs = task.spec["T"], task.spec["runs"]
        counts = np.empty(runs, dtype=np.int64)
        for start in range(0, runs, 1000):
            x = rng.random((min(1000, runs - start), T))
            prev = np.maximum.accumulate(x, axis=1)
            counts[start:start + x.shape[0]] = 1 + np.sum(x[:, 1:] > prev[:, :-1], axis=1)
        return {"counts": counts}

    def decide(self, tasks, results):
        law_err = max(float(np.max(np.abs(enumerate_record_counts(T) - record_count_law(T)))) for T in range(1, 8))
        pos_err = max(float(np.max(np.abs(record_positions(T) - 1 / np.arange(1, T + 1)))) for T in range(1, 8))
        mean_err = max(abs(float(np.arange(T + 1) @ record_count_law(T)) - harmonic(T)) for T in range(1, 30))
        exact = decide_exact(
            {
                "enumerated law - c(T, k)/T!, T <= 7": law_err,
                "enumerated P(record at t) - 1/t, T <= 7": pos_err,
                "mean of c(T, k)/T! - H_T, T < 30": mean_err,
            },
            dict.fromkeys(
                [
                    "enumerated law - c(T, k)/T!, T <= 7",
                    "enumerated P(record at t) - 1/t, T <= 7",
                    "mean of c(T, k)/T! - H_T, T < 30",
                ],
                1e-12,
            ),
        )
        rows, p_values = [], {}
        for t, r in zip(tasks, results, strict=True):
            T, c = t.spec["T"], r["counts"]
            mean, se = c.mean(), c.std(ddof=1) / np.sqrt(c.size)
            z = (mean - float(planted_value(harmonic(T)))) / se     # a power analysis may plant H_T * k
            p_mean = 2 * st.norm.sf(abs(z))
            law = record_count_law(T)
            observed = np.bincount(c, minlength=T + 1).astype(float)
            expected = law * c.size
            keep = expected >= 5                      # pool the sparse tail into one cell
            obs = np.append(observed[keep], observed[~keep].sum())
            exp_ = np.append(expected[keep], expected[~keep].sum())
            if exp_[-1] == 0:
                obs, exp_ = obs[:-1], exp_[:-1]
            p_chi = st.chisquare(obs, exp_ * obs.sum() / exp_.sum()).pvalue
            p_values[f"T = {T}: mean record count = H_T (two-sided normal)"] = p_mean
            p_values[f"T = {T}: record-count law = c(T, k)/T! (chi-square)"] = p_chi
            rows.append({"T": T, "mean": mean, "se": se, "H_T": harmonic(T), "p_mean": p_mean, "p_law": p_chi,
                         "observed": observed[:15].tolist(), "expected": expected[:15].tolist()})
        stat = decide_by_p_values(p_values, self.delta, "Monte Carlo record counts: normal test of the mean, "
                                                        "chi-square test of the law")
        return combine_verdicts({"enumeration (exact)": exact, "Monte Carlo": stat},
                                n_samples=sum(r["counts"].size for r in results), evidence={"rows": rows})

    def evidence_lines(self, evidence):
        return super().evidence_lines(evidence) + [
            f"T = {r['T']}: mean record count {r['mean']:.4f} ± {r['se']:.4f} vs H_T = {r['H_T']:.4f} "
            f"(p = {r['p_mean']:.3g}); "
            f"law vs c(T, k)/T!: chi-square p = {r['p_law']:.3g}" for r in evidence["rows"]]



CLAIM = RecordCounts()
