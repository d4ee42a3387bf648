"""E1. Speculative sampling is lossless for any draft (Leviathan, Kalman, Matias 2023, ICML, Theorem 3.5 /
Appendix A; Chen et al. 2023, Theorem 1).

Draft x ~ q; accept with probability min(1, p(x)/q(x)); on the first rejection emit a token from norm(max(0, p - q))
and stop; if all gamma drafts are accepted emit a bonus token from p.
1. The joint law of the emitted sequence is exactly the target's, for any q: the law of the first L = 3 tokens by
   enumeration of the accept/reject branches (``tabular_envs.estimation.speculative.output_law``) against the
   target's own law, total variation <= 1e-12 (rounding), on the catalogue pair p = (0.4, 0.3, 0.2, 0.1), q uniform,
   gamma in {1, 2, 4, 8}, and on random bigram target and draft chains over V = 3 (Dirichlet(1) rows).
2. alpha = sum_x min(p(x), q(x)) = 1 - TV(p, q) (alpha = 0.8 on the catalogue pair), and with i.i.d. acceptances the
   expected tokens per iteration, enumerated over one iteration's branches, equal (1 - alpha^(gamma+1))/(1 - alpha)
   (``proofs_check.speculative_expected_tokens``).
Traps (controls in test_e1.py, each reported in public implementations): resampling from p instead of the residual;
the inverted ratio min(1, q/p); accepting when the draft equals a sample from p; a draft sampled from another q than
the one in the ratio. Each makes the law differ from the target's by a total variation above 0.01.
3. Sampled (``speculative_step``, the sampler itself, not its enumeration): the first L = 3 tokens of n independent
   generations (n = 20000 at quick, 100000 at standard) against the target's law by Pearson's chi-square, on the
   catalogue pair at gamma in {1, 4} and on a bigram pair over V = 3 (Dirichlet(5) rows) at gamma = 2;
   Bonferroni over the three at the claim's delta. The four traps' total variations (0.11 to 0.66 on the catalogue
   pair) are far above what n = 20000 detects (chi-square power reaches 1 for TV of about 0.02 on 64 cells).
"""
import numpy as np

from proofs_check import speculative_expected_tokens
from tabular_envs.estimation.speculative import (
    acceptance_rate,
    bigram,
    context_free,
    expected_tokens,
    output_law,
    sample_first_tokens,
    target_law,
    total_variation,
)
from testbed.claim import Source
from testbed.declare import DeclaredClaim, Part, Unit

P_CATALOGUE = (0.4, 0.3, 0.2, 0.1)
GAMMAS = (1, 2, 4, 8)
LENGTH = 3
ROUNDING = 1e-12
# the mismatched draft: q restricted to its top 3 tokens and renormalised (a top-k draft behind a full-q ratio)
_SIZES = {"quick": (2, 3), "standard": (5, 10), "full": (10, 20)}      # tasks, bigram pairs per task
_DRAWS = {"quick": 20_000, "standard": 100_000, "full": 200_000}
SAMPLED_GAMMAS = (1, 4)


def _top_k(q, k=3):
    q = np.asarray(q, dtype=float)
    keep = np.argsort(-q, kind="stable")[:k]
    out = np.zeros_like(q)
    out[keep] = q[keep]
    return out / out.sum()


class SpeculativeSampling(DeclaredClaim):
    id = "E1"
    family = "estimation"
    title = "Speculative sampling emits exactly the target's law for any draft; (1 - a^(g+1))/(1 - a) tokens"
    source = Source("Leviathan, Kalman, Matias; Chen, Borgeaud, Irving, Lespiau, Sifre, Jumper", 2023,
                    "Fast inference from transformers via speculative decoding (ICML); Accelerating large language "
                    "model decoding with speculative sampling", "Leviathan Thm 3.5, eq. (1); Chen Thm 1")
    status = "confirmed"
    kind = ("exact", "falsification", "statistical")
    statement = ("Draft x ~ q, accept with min(1, p(x)/q(x)), on the first rejection emit from norm(max(0, p - q)), "
                 "after gamma acceptances a bonus token from p: every emitted sequence has exactly the target's law, "
                 "for any q; alpha = sum min(p, q) = 1 - TV(p, q) and the expected tokens per iteration are "
                 "(1 - alpha^(gamma+1))/(1 - alpha) with i.i.d. acceptances.")
    parts = (Part("the emitted law is the target's (total variation <= 1e-12)", "exact", units="law_units",
                  params={"tolerance": ROUNDING}),
             Part("alpha = 1 - TV(p, q); expected tokens = (1 - alpha^(gamma+1))/(1 - alpha)", "exact",
                  units="speed_units", params={"tolerance": ROUNDING}),
             Part("sampled: the first 3 tokens' law is the target's (chi-square)", "law_equals",
                  units="sampled_units"))

    def bound(self):
        return speculative_expected_tokens()

    def tasks(self, fidelity, root_seed):
        n_tasks, pairs = _SIZES[fidelity]
        return self.batched_tasks(fidelity, root_seed, n_tasks, {"bigrams": pairs, "variant": "correct"}) + [
            self.make_task("sampled", {"draws": _DRAWS[fidelity], "variant": "correct"}, fidelity, root_seed,
                           "sampled")]

    @staticmethod
    def _sampled_pairs(seed):
        """(label, target, draft, draft actually sampled, gamma) for the sampled part."""
        p, q = context_free(np.array(P_CATALOGUE)), context_free(np.full(4, 0.25))
        top = context_free(_top_k(np.full(4, 0.25)))
        rng = np.random.default_rng([seed, 1])
        tp = bigram(rng.dirichlet(np.full(3, 5.0)), rng.dirichlet(np.full(3, 5.0), 3))
        first, rows = rng.dirichlet(np.full(3, 5.0)), rng.dirichlet(np.full(3, 5.0), 3)
        tq = bigram(first, rows)
        tq_top = bigram(_top_k(first, 2), [_top_k(r, 2) for r in rows])
        return [(f"catalogue p, q uniform, gamma = {g}", p, q, top, g) for g in SAMPLED_GAMMAS] + [
            ("bigram chains (V = 3), gamma = 2", tp, tq, tq_top, 2)]

    def run_task(self, task):
        if task.unit == "sampled":
            rng = np.random.default_rng(task.seed)
            out = {}
            for i, (_, target, draft, top, g) in enumerate(self._sampled_pairs(task.seed)):
                c = sample_first_tokens(target, draft, g, LENGTH, task.spec["draws"], rng, task.spec["variant"],
                                        draft_sample=top)
                law = target_law(target, LENGTH)
                keys = sorted(law)
                # the last cell: sequences the target cannot emit (probability 0; the test pools it)
                outside = task.spec["draws"] - sum(c.get(k, 0) for k in keys)
                out[f"counts_{i}"] = np.array([c.get(k, 0) for k in keys] + [outside])
                out[f"law_{i}"] = np.array([law[k] for k in keys] + [0.0])
            return out
        rng = np.random.default_rng(task.seed)
        variant = task.spec["variant"]
        p, q = np.array(P_CATALOGUE), np.full(4, 0.25)
        tv_catalogue = [total_variation(output_law(context_free(p), context_free(q), g, LENGTH, variant,
                                                   draft_sample=context_free(_top_k(q))),
                                        target_law(context_free(p), LENGTH)) for g in GAMMAS]
        tv_bigram = []
        for _ in range(task.spec["bigrams"]):
            tp, tq = bigram(rng.dirichlet(np.ones(3)), rng.dirichlet(np.ones(3), 3)), \
                bigram(rng.dirichlet(np.ones(3)), rng.dirichlet(np.ones(3), 3))
            g = int(rng.choice([1, 2, 4]))
            sample = bigram(_top_k(tq(()), 2), [_top_k(tq((i,)), 2) for i in range(3)])
            tv_bigram.append(total_variation(output_law(tp, tq, g, LENGTH, variant, draft_sample=sample),
                                             target_law(tp, LENGTH)))
        # speed: random context-free pairs and the catalogue pair
        pairs = [(p, q)] + [(rng.dirichlet(np.ones(4)), rng.dirichlet(np.ones(4))) for _ in range(3)]
        alpha_err, tokens, alphas = [], [], []
        for pp, qq in pairs:
            a = acceptance_rate(pp, qq)
            alpha_err.append(abs(a - (1 - 0.5 * np.abs(pp - qq).sum())))
            alphas.append(a)
            tokens.append([expected_tokens(pp, qq, g, variant) for g in GAMMAS])
        return {"tv_catalogue": np.array(tv_catalogue), "tv_bigram": np.array(tv_bigram),
                "alpha_error": np.array(alpha_err), "alpha": np.array(alphas), "tokens": np.array(tokens)}

    @staticmethod
    def _exact_results(tasks, results):
        return [r for t, r in zip(tasks, results, strict=True) if t.unit != "sampled"]

    def sampled_units(self, tasks, results):
        """Observed counts of the first 3 sampled tokens against the target's law, one unit per pair."""
        t, r = next((t, r) for t, r in zip(tasks, results, strict=True) if t.unit == "sampled")
        return [Unit(label, r[f"counts_{i}"], at={"probabilities": r[f"law_{i}"]}, info={"name": label})
                for i, (label, *_rest) in enumerate(self._sampled_pairs(t.seed))]

    def law_units(self, tasks, results):
        """The total variation between the enumerated law of the first 3 emitted tokens and the target's."""
        results = self._exact_results(tasks, results)
        cat = np.max([r["tv_catalogue"] for r in results], axis=0)
        return [Unit(f"catalogue p, q uniform, gamma = {g}: TV", float(cat[i]), n=len(results))
                for i, g in enumerate(GAMMAS)] + [
            Unit("random bigram chains (V = 3): largest TV", max(float(r["tv_bigram"].max()) for r in results),
                 n=sum(r["tv_bigram"].size for r in results))]

    def speed_units(self, tasks, results):
        """|alpha - (1 - TV(p, q))|, and |enumerated E[tokens] - (1 - alpha^(gamma+1))/(1 - alpha)|."""
        results = self._exact_results(tasks, results)
        bound = speculative_expected_tokens()
        gam = np.array(GAMMAS, dtype=float)
        tok = max(float(np.max(np.abs(r["tokens"] - bound.evaluate(alpha=r["alpha"][:, None], gamma=gam[None, :]))))
                  for r in results)
        n = sum(r["alpha"].size for r in results)
        return [Unit("|alpha - (1 - TV(p, q))|", max(float(r["alpha_error"].max()) for r in results), n=n),
                Unit("|E[tokens] (branches) - (1 - alpha^(gamma+1))/(1 - alpha)|", tok, n=n)]

    def extra_evidence(self, tasks, results, delta):
        r = self._exact_results(tasks, results)[0]
        return {"gammas": list(GAMMAS), "catalogue_tokens": r["tokens"][0].tolist(), "catalogue_alpha":
                float(r["alpha"][0]), "formula": speculative_expected_tokens().evaluate(
                    alpha=float(r["alpha"][0]), gamma=np.array(GAMMAS, dtype=float)).tolist()}

    def evidence_lines(self, evidence):
        return super().evidence_lines(evidence) + [
            f"catalogue pair: alpha = {evidence['catalogue_alpha']:.6f}; tokens per iteration at gamma = "
            + ", ".join(f"{g}: {t:.6f}" for g, t in zip(evidence["gammas"], evidence["catalogue_tokens"], strict=True))]


CLAIM = SpeculativeSampling()
