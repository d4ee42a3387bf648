"""P7. Potential-based shaping keeps optimal policies; other shaping need not (Ng, Harada, Russell 1999, Thm 1).

F(s, a, s') = gamma Phi(s') - Phi(s) gives Q'* = Q* - Phi, so the optimal policies are the same (finite horizon with
gamma = 1 and Phi(terminal) = 0 too). Conversely, for a non-potential F there are MDPs where the optimal policy
changes. A "progress" bonus mu(s_{t+1}) - mu(s_t) (MRT) is potential-based with gamma = 1; redistributing a return
while keeping each episode's sum (LaRe, RUDDER) keeps the best episode.

Checked exactly:
1. on random discounted MDPs (Garnets, gamma in {0.5, 0.9, 0.99}) and random Phi: ||Q'* - (Q* - Phi)|| and the
   greedy actions (VI to 1e-12 on both MDPs);
2. on random finite-horizon MDPs (gamma = 1) with Phi_h random and Phi_H = 0 (MRT's progress bonus is the case
   Phi = mu): Q'*_h = Q*_h - Phi_h by backward induction;
3. the catalogue's 5-state chain to a goal, gamma = 0.9, with "+c per step toward the goal, no penalty back": the
   c above which the optimal policy cycles instead of walking to the goal (bisection, reported), and that at
   1.01 c* the policy has changed (non-potential shaping changes optimal policies);
4. return redistribution keeping each episode's sum keeps the best of a set of episodes.
Trap (control in test_p7.py): gamma Phi(s') replaced by Phi(s') (the discount mismatch) changes Q' - Q* away from
-Phi and the optimal policy on some generated MDPs.
"""
import numpy as np

from tabular_envs import garnet, value_iteration
from tabular_envs.policy_opt.shaping import (
    finite_horizon_q,
    finite_horizon_shaping,
    mismatched_shaping,
    potential_shaping,
    redistribute_along_paths,
    toward_goal_chain,
)
from testbed.claim import Source
from testbed.declare import DeclaredClaim, Part, Unit

GAMMAS = (0.5, 0.9, 0.99)
IDENTITY_TOLERANCE = 1e-9          # relative to 1/(1 - gamma) (VI to 1e-12 on both MDPs)
CHAIN_STATES, CHAIN_GAMMA = 5, 0.9
_SIZES = {"quick": (2, 15), "standard": (5, 40), "full": (10, 100)}


def _greedy_changes(Q1, Q2, margin=1e-6):
    """States where the argmax differs and the first MDP's best action is separated by more than ``margin``."""
    sorted_q = np.sort(Q1, axis=1)
    clear = sorted_q[:, -1] - sorted_q[:, -2] > margin if Q1.shape[1] > 1 else np.ones(Q1.shape[0], bool)
    return int(np.sum(clear & (np.argmax(Q1, axis=1) != np.argmax(Q2, axis=1))))


def cycling_threshold(tol=1e-10):
    """The smallest toward-goal bonus c at which the chain's optimal policy stops walking to the goal from state 0
    (bisection on c in [0, 10])."""
    def walks(c):
        return bool(np.all(value_iteration(toward_goal_chain(CHAIN_STATES, CHAIN_GAMMA, c), 1e-12).policy[:-1] == 1))
    lo, hi = 0.0, 10.0
    while hi - lo > tol:
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if walks(mid) else (lo, mid)
    return hi


class PotentialShaping(DeclaredClaim):
    id = "P7"
    family = "policy_optimisation"
    title = "Potential-based shaping: Q'* = Q* - Phi and the same optimal policies; other shaping need not"
    source = Source("Ng, Harada, Russell", 1999, "Policy invariance under reward transformations: theory and "
                    "application to reward shaping", "Theorem 1")
    status = "confirmed"
    kind = ("exact", "falsification")
    no_bound = "identities (Q'* = Q* - Phi, equal greedy actions) and a threshold found by bisection: no inequality"
    statement = ("F(s,a,s') = gamma Phi(s') - Phi(s) gives Q'* = Q* - Phi, so optimal policies are the same (finite "
                 "horizon with gamma = 1 and Phi(terminal) = 0 too); for a non-potential F there are MDPs where "
                 "optimal policies change; a progress bonus mu(s_{t+1}) - mu(s_t) is potential-based with gamma = 1; "
                 "redistributing a return keeping each episode's sum keeps optimal policies.")
    parts = (Part("Q'* = Q* - Phi and the same greedy actions (discounted and finite horizon)", "exact",
                  units="invariance_units", params={"tolerance": IDENTITY_TOLERANCE}),
             Part("a non-potential bonus changes the optimal policy (chain); redistribution keeps the best episode",
                  "exact", units="converse_units", params={"tolerance": 0.0}))

    def tasks(self, fidelity, root_seed):
        n_tasks, per_task = _SIZES[fidelity]
        return self.batched_tasks(fidelity, root_seed, n_tasks, {"mdps": per_task, "shaping": "potential"})

    def run_task(self, task):
        rng = np.random.default_rng(task.seed)
        shape = potential_shaping if task.spec["shaping"] == "potential" else mismatched_shaping
        q_err, changes, fh_err, best_kept = [], [], [], []
        for m in range(task.spec["mdps"]):
            g = GAMMAS[m % len(GAMMAS)]
            mdp = garnet(int(rng.integers(2, 7)), int(rng.integers(2, 4)), gamma=g, rng=rng)
            phi = rng.normal(0, 1 / (1 - g), mdp.n_states)
            Q = value_iteration(mdp, 1e-12).q_values
            Qs = value_iteration(shape(mdp, phi), 1e-12).q_values
            q_err.append(float(np.max(np.abs(Qs - (Q - phi[:, None])))) * (1 - g))
            changes.append(_greedy_changes(Q, Qs))
            # finite horizon, gamma = 1, Phi_H = 0 (for the mismatch trap the same potential, discounted by 0.9)
            H, S, A = int(rng.integers(2, 6)), int(rng.integers(2, 6)), int(rng.integers(2, 4))
            P = rng.dirichlet(np.ones(S), size=(H, S, A))
            r = rng.uniform(0, 1, (H, S, A))
            mu = np.vstack([rng.normal(0, H, (H, S)), np.zeros((1, S))])
            if task.spec["shaping"] == "potential":
                r_shaped = finite_horizon_shaping(P, r, mu)
            else:
                r_shaped = r + 0.9 * np.einsum("hsat,ht->hsa", P, mu[1:]) - mu[:-1, :, None]
            Qh, Qh_s = finite_horizon_q(P, r), finite_horizon_q(P, r_shaped)
            fh_err.append(float(np.max(np.abs(Qh_s - (Qh - mu[:-1, :, None])))) / H)
            episodes = rng.uniform(0, 1, (8, H))
            best_kept.append(float(np.argmax(episodes.sum(1)) == np.argmax(redistribute_along_paths(episodes, rng)
                                                                           .sum(1))))
        return {"q_error": np.array(q_err), "greedy_changes": np.array(changes, dtype=np.int64),
                "finite_horizon_error": np.array(fh_err), "best_episode_kept": np.array(best_kept)}

    @staticmethod
    def _cat(results, key):
        return np.concatenate([r[key] for r in results])

    def invariance_units(self, tasks, results):
        """(1 - gamma) ||Q'* - (Q* - Phi)||, the number of states with a clearly different greedy action, and the
        finite-horizon error (divided by H)."""
        n = self._cat(results, "q_error").size
        return [Unit("(1 - gamma) max ||Q'* - (Q* - Phi)|| (discounted)", self._cat(results, "q_error").max(), n=n),
                Unit("states whose greedy action changed", float(self._cat(results, "greedy_changes").sum()), n=n),
                Unit("max_h ||Q'*_h - (Q*_h - Phi_h)|| / H (gamma = 1, Phi_H = 0)",
                     self._cat(results, "finite_horizon_error").max(), n=n)]

    def converse_units(self, tasks, results):
        """The chain: 1 when the policy at 1.01 c* still walks to the goal (no change found); episodes: redistributions
        that changed the best episode."""
        c_star = cycling_threshold()
        pol = value_iteration(toward_goal_chain(CHAIN_STATES, CHAIN_GAMMA, 1.01 * c_star), 1e-12).policy
        n = self._cat(results, "best_episode_kept").size
        return [Unit("chain: the toward-goal bonus at 1.01 c* leaves the policy unchanged (1 yes)",
                     float(np.all(pol[:-1] == 1)), n=1),
                Unit("redistributions that changed the best episode", float(n - self._cat(results,
                                                                                          "best_episode_kept").sum()),
                     n=n)]

    def extra_evidence(self, tasks, results, delta):
        c_star = cycling_threshold()
        bonuses = np.linspace(0, 2 * c_star, 41)
        walks = [float(np.all(value_iteration(toward_goal_chain(CHAIN_STATES, CHAIN_GAMMA, c), 1e-12)
                              .policy[:-1] == 1)) for c in bonuses]
        return {"c_star": c_star, "bonuses": bonuses.tolist(), "walks": walks,
                "policy_above": value_iteration(toward_goal_chain(CHAIN_STATES, CHAIN_GAMMA, 1.01 * c_star),
                                                1e-12).policy.tolist()}

    def evidence_lines(self, evidence):
        return super().evidence_lines(evidence) + [
            f"chain ({CHAIN_STATES} states, gamma = {CHAIN_GAMMA}): above c* = {evidence['c_star']:.6f} per step "
            f"toward the goal the optimal policy cycles (actions at 1.01 c*: {evidence['policy_above']}, "
            "0 = left, 1 = right)"]


CLAIM = PotentialShaping()
