"""S8. SQIRL with tabular regression (Laidlaw, Zhu, Russell, Dragan 2024, Thm 3.6 unconfirmed; code:
cassidylaidlaw/effective-horizon ``sqirl.py``, read through the catalogue).

``tabular_envs.rl.sqirl``: for each step i, m fresh episodes (learned policy before i, uniform from i on), head 1
the per-(h, s, a) average return, heads 2..k fitted-Q backups, pi_i greedy in head k. Success: the learned policy
is optimal from the start state (V^pi >= V* - 1e-4, the effective-horizon tolerance). Checked:
- exact: with exact regression SQIRL(k) is greedy in Q^k of k-QVI, so it is optimal on every k-QVI-solvable MDP:
  at k = the published min_k on the two bundled BRIDGE reference MDPs, and at k = min_k (computed by the D2
  machinery) on generated finite-horizon Garnets (a search: no counterexample in N instances);
- statistical [derived comparison: the paper presents SQIRL's guarantee as GORP's up to logarithmic factors]: at the
  sample budget of GORP's published sample complexity A^k m_GORP H^2 (m = A^k m_GORP episodes per step), SQIRL(k =
  min_k) succeeds with probability >= 1/2 on both reference MDPs (one-sided Clopper-Pearson, Bonferroni over the
  two). The smallest m with an estimated success rate >= 1/2 is reported;
- falsification (exact): no bound O~(1/eps) can hold uniformly over instances. With H = 1 and k = 1 SQIRL samples
  both arms uniformly and picks the empirical best; on two Bernoulli arms 1/2 +- eps the pulls per arm it needs to
  pick the eps-optimal arm with probability 0.9 (computed exactly from binomial distributions) grow like eps^-2:
  the log-log slope over eps in {0.2, ..., 0.0125} is at least 1.8 (a uniform 1/eps rate would give 1).
Reported, not decided: reusing the data of earlier steps (the catalogue's trap) raises the success rate on these
two deterministic MDPs (more data, same random-policy targets); its bias shows on stochastic ones.
"""
import numpy as np

from tabular_envs import garnet
from tabular_envs.dp.effective_horizon import min_k, reference_mdps
from tabular_envs.rl.episodic import episodic_model
from tabular_envs.rl.sqirl import sqirl, sqirl_exact
from testbed.claim import Claim, Source
from testbed.stats import combine_verdicts, decide_exact, decide_proportion_at_least

from .model import pulls_for_success

TWO_ARM_EPS = (0.2, 0.1, 0.05, 0.025, 0.0125)
TWO_ARM_TARGET = 0.9
FALSIFICATION_SLOPE = 1.8
_REPS = {"quick": 1500, "standard": 4000, "full": 10000}
_M_SCAN = (1, 2, 4, 8, 16, 32, 64, 128, 256)
_SEARCH = {"quick": 40, "standard": 150, "full": 500}
_SCAN_REPS = 200


def reference(name: str):
    d = reference_mdps()[name]
    k = int(d["analyzed"]["min_k"])
    gorp_m = int(d["gorp_bounds"]["sample_complexity"]) // (d["mdp"].n_actions ** k * d["horizon"] ** 2)
    return episodic_model(d["mdp"].P, d["mdp"].r, d["horizon"]), k, gorp_m


class SQIRL(Claim):
    id = "S8"
    family = "sample_complexity"
    title = "SQIRL: exact on k-QVI-solvable MDPs, GORP's budget suffices, and no uniform O~(1/eps) rate"
    source = Source("Laidlaw, Zhu, Russell, Dragan", 2024, "The effective horizon explains deep RL performance in "
                    "stochastic environments (ICLR)", "SQIRL, Thm 3.6 [unconfirmed]; authors' code sqirl.py")
    status = "unconfirmed"
    kind = ("exact", "statistical", "falsification")
    no_bound = "Thm 3.6's sample complexity is not transcribed (unconfirmed); the checks use GORP's published numbers"
    statement = ("SQIRL with exact regression is optimal on k-QVI-solvable MDPs; with tabular regression it learns an "
                 "optimal policy with probability >= 1/2 from about GORP's number of samples; a uniform O~(1/eps) "
                 "sample complexity is impossible (two Bernoulli arms need eps^-2).")

    def tasks(self, fidelity, root_seed):
        out = [self.make_task(name, {"unit": name, "reps": _REPS[fidelity], "variant": {}}, fidelity, root_seed, name)
               for name in ("freeway_10_fs30", "maze_easy_l0_30_fs1")]
        out.append(self.make_task("exact", {"unit": "exact", "search": _SEARCH[fidelity]}, fidelity, root_seed,
                                  "exact"))
        return out

    def run_task(self, task):
        if task.spec["unit"] == "exact":
            rng = np.random.default_rng(task.seed)
            failures = 0
            for _ in range(task.spec["search"]):
                S, A, H = int(rng.integers(3, 7)), int(rng.integers(2, 4)), int(rng.integers(2, 7))
                g = garnet(S, A, int(rng.integers(1, S + 1)), gamma=0.9, rng=int(rng.integers(2 ** 31)))
                k = min_k(g, H)
                failures += not sqirl_exact(episodic_model(g.P, g.r, H), k)[0]
            refs = [sqirl_exact(*reference(n)[:2])[0] for n in ("freeway_10_fs30", "maze_easy_l0_30_fs1")]
            n = np.array([pulls_for_success(e, TWO_ARM_TARGET) for e in TWO_ARM_EPS])
            return {"search_failures": np.array(failures), "searched": np.array(task.spec["search"]),
                    "reference_optimal": np.array(refs), "two_arm_pulls": n}
        model, k, gorp_m = reference(task.spec["unit"])
        m = model.A ** k * gorp_m
        ok, _ = sqirl(model, k, m, seed=task.seed, n_replications=task.spec["reps"], **task.spec.get("variant", {}))
        scan = [float(sqirl(model, k, mm, seed=task.seed + 1, n_replications=_SCAN_REPS)[0].mean()) for mm in _M_SCAN]
        return {"successes": np.array(int(ok.sum())), "trials": np.array(ok.size), "m": np.array(m),
                "gorp_m": np.array(gorp_m), "scan": np.array(scan)}

    def decide(self, tasks, results):
        by = {t.spec["unit"]: r for t, r in zip(tasks, results, strict=True)}
        ex = by.pop("exact")
        n = ex["two_arm_pulls"].astype(float)
        slope = float(np.polyfit(np.log(1 / np.array(TWO_ARM_EPS)), np.log(n), 1)[0])
        errors = {
            "reference MDPs: SQIRL-exact(min_k) not optimal": float(np.sum(~ex["reference_optimal"])),
            "generated Garnets: SQIRL-exact(min_k) not optimal": float(ex["search_failures"]),
            "two arms: 1.8 minus the slope of log pulls in log 1/eps (<= 0: eps^-2)": FALSIFICATION_SLOPE - slope,
        }
        exact = decide_exact(
            errors,
            dict.fromkeys(errors, 0.0),
            searched={"generated Garnets: SQIRL-exact(min_k) not optimal": int(ex["searched"])},
        )
        budget = decide_proportion_at_least(
            [(int(r["successes"]), int(r["trials"])) for r in by.values()],
            [0.5] * len(by),
            self.delta,
            [f"{u}: success at GORP's budget (m = {int(r['m'])})" for u, r in by.items()],
        )
        v = combine_verdicts({"exact and falsification": exact, "GORP's budget": budget})
        smallest = {u: next((mm for mm, p in zip(_M_SCAN, r["scan"], strict=True) if p >= 0.5), None)
                    for u, r in by.items()}
        return v.with_evidence(two_arm={"eps": list(TWO_ARM_EPS), "pulls": n.tolist(), "slope": slope},
                               scan={u: {"m": list(_M_SCAN), "success": r["scan"].tolist(), "gorp_m": int(r["gorp_m"]),
                                         "budget_m": int(r["m"])} for u, r in by.items()},
                               smallest_m=smallest)

    def evidence_lines(self, evidence):
        lines = super().evidence_lines(evidence) + self.proportion_lines(evidence)
        for u, sc in evidence["scan"].items():
            lines.append(f"{u}: smallest m in {sc['m']} with estimated success >= 1/2: {evidence['smallest_m'][u]} "
                         f"(GORP: m = {sc['gorp_m']} rollouts per action sequence)")
        ta = evidence["two_arm"]
        lines.append(f"two arms, pulls per arm for success 0.9 at eps {ta['eps']}: {ta['pulls']} (slope "
                     f"{ta['slope']:.3f})")
        return lines


CLAIM = SQIRL()
