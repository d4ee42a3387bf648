"""testbed check for episodic agents (issue 27): the harness on the transition tape, its exact pseudo-regret, the four
properties, the corpus agents, and the exported helpers (TabularMDP-accepting average-reward solvers, episodic
models without a discount)."""
import numpy as np
import pytest
from scipy import stats as st

import tabular_envs
from tabular_envs import TabularMDP, as_episodic, episodic_garnet, episodic_river_swim, garnet, river_swim
from tabular_envs.errors import TabularEnvError
from tabular_envs.mdp import average_reward
from tabular_envs.rl.instances import combination_lock
from testbed.check import check
from testbed.check.agent_properties import (
    SUBLINEAR_CHECKPOINTS,
    SUBLINEAR_THRESHOLD,
    AgentAdapter,
    decide_sublinear,
    run_agent,
)
from testbed.check.corpus import CORRECT, MUTANTS
from testbed.check.corpus_agents import CORRECT_AGENTS, MUTANT_AGENTS, UCBVIAgent
from testbed.check.protocols import check_kind, infer_kind
from testbed.errors import ProtocolError
from testbed.stats import HOLDS, INCONCLUSIVE, VIOLATED


class FixedPolicy:
    """Plays pi[h][s] whatever it observes, recording every observation."""

    def __init__(self, policy):
        self.policy, self.seen = policy, []

    def reset(self, n_states, n_actions, horizon, seed):
        self.seen = []

    def act(self, h, s):
        return self.policy[h][s]

    def observe(self, h, s, a, r, s_next):
        self.seen.append((h, s, a, r, s_next))


class Cycling(FixedPolicy):
    """Cycles through the actions at every (h, s): every pair is sampled, no learning."""

    def __init__(self, A):
        super().__init__(None)
        self.A, self.t = A, 0

    def act(self, h, s):
        return (h + s + self.t) % self.A

    def end_episode(self):
        self.t += 1


def _plain_policy_value(P, r, pi, H, x1):
    V = np.zeros(P.shape[0])
    for h in range(H - 1, -1, -1):
        V = np.array([r[s, pi[h][s]] + P[s, pi[h][s]] @ V for s in range(P.shape[0])])
    return V[x1]


def test_the_corpus_holds_the_agents():
    assert set(CORRECT_AGENTS) <= set(CORRECT) and set(MUTANT_AGENTS) <= set(MUTANTS)
    assert all(infer_kind(obj) == "agent" for obj in (*CORRECT_AGENTS.values(), *MUTANT_AGENTS.values()))


def test_agent_protocol_errors_name_what_is_missing():
    class NoObserve:
        def reset(self, n_states, n_actions, horizon, seed):
            pass

        def act(self, h, s):
            return 0

    with pytest.raises(ProtocolError, match="observe"):
        check_kind(NoObserve, "agent")

    class NeedsArgs(UCBVIAgent):
        def __init__(self, c):
            self.c = c

    with pytest.raises(ProtocolError, match="without arguments"):
        check(NeedsArgs)


def test_pseudo_regret_is_exact_for_a_fixed_policy():
    """V*_1(x_1) - V^pi_1(x_1) in every episode, against a plain recursion and the finite-horizon solver."""
    model = episodic_garnet(4, 2, 2, horizon=4, rng=1)
    pi = [[(s + h) % 2 for s in range(4)] for h in range(4)]
    regret, _ = run_agent(AgentAdapter(FixedPolicy(pi)), model, 20, seed=3, rep=0)
    P, r = model.P[0], model.r[0]
    v_star = tabular_envs.backward_induction(TabularMDP(P, r, horizon=4)).values[0, 0]
    expected = v_star - _plain_policy_value(P, r, pi, 4, 0)
    assert expected > 0.1 and np.allclose(regret, expected, rtol=0, atol=1e-12)


def test_the_realised_returns_average_to_the_policy_value():
    """Monte Carlo route to the same value: the mean realised return of a fixed policy over 4000 episodes is within
    4.5 standard errors of V^pi (a false alarm about 1e-5)."""
    model = episodic_river_swim(4, horizon=8)
    pi = [[1] * 4 for _ in range(8)]
    returns = []

    class Summing(FixedPolicy):
        def end_episode(self):
            returns.append(sum(o[3] for o in self.seen))
            self.seen = []

    agent = Summing(pi)
    run_agent(AgentAdapter(agent), model, 4000, seed=5, rep=0)
    value = _plain_policy_value(model.P[0], model.r[0], pi, 8, 0)
    returns = np.array(returns)
    assert abs(returns.mean() - value) < 4.5 * returns.std(ddof=1) / np.sqrt(returns.size)


def test_next_states_follow_p():
    """Pearson chi-square of the observed next states of every pair against P, on a Garnet (fixed seed; each pair
    tested at 1e-4, so the false-alarm probability is below 1e-3 over its 8 pairs)."""
    model = episodic_garnet(4, 2, 4, horizon=3, rng=2)
    seen = []

    class Recording(Cycling):
        def observe(self, h, s, a, r, s_next):
            seen.append((s, a, s_next))

    agent = Recording(2)
    run_agent(AgentAdapter(agent), model, 3000, seed=11, rep=0)
    counts = np.zeros((4, 2, 4))
    for s, a, y in seen:
        counts[s, a, y] += 1
    for s in range(4):
        for a in range(2):
            n = counts[s, a].sum()
            if n < 50:
                continue
            expected = n * model.P[0, s, a]
            keep = expected > 0
            assert counts[s, a][~keep].sum() == 0
            p = st.chisquare(counts[s, a][keep], expected[keep]).pvalue if keep.sum() > 1 else 1.0
            assert p > 1e-4, (s, a, counts[s, a], expected)


def test_same_seed_same_run_and_common_random_numbers():
    model = episodic_river_swim(4, horizon=8)
    a1, _ = run_agent(AgentAdapter(UCBVIAgent()), model, 200, seed=4, rep=2)
    a2, _ = run_agent(AgentAdapter(UCBVIAgent()), model, 200, seed=4, rep=2)
    b, _ = run_agent(AgentAdapter(UCBVIAgent()), model, 200, seed=4, rep=3)
    assert np.array_equal(a1, a2) and not np.array_equal(a1, b)
    # two agents that play the same first action see the same first next state (the tape, not the agent, draws it)
    firsts = []
    for pi in ([[1] * 4] * 8, [[1] * 4] + [[0] * 4] * 7):
        agent = FixedPolicy(pi)
        run_agent(AgentAdapter(agent), model, 1, seed=4, rep=2)
        firsts.append(agent.seen[0])
    assert firsts[0] == firsts[1]


def test_invalid_actions_are_valid_actions_violation_and_an_error_elsewhere():
    report = check(MUTANTS["agent: actions from a float table"], ["valid_actions", "sublinear_regret"], timeout=None)
    assert [r.verdict for r in report.results] == ["violated", "error"], report.summary()
    assert "expected an action, an integer in [0, 3)" in report.results[0].detail


@pytest.mark.parametrize("name", ["agent: unseeded random ties", "agent: counts survive reset"])
def test_deterministic_given_seed_names_the_first_difference(name):
    report = check(MUTANTS[name], ["deterministic_given_seed"], seed=0)
    (result,) = report.results
    assert result.verdict == VIOLATED, report.summary()
    assert set(result.counterexample) == {"instance", "episode", "h", "s", "first_run", "second_run"}
    assert result.counterexample["first_run"] != result.counterexample["second_run"]


@pytest.mark.parametrize("name", list(CORRECT_AGENTS))
def test_correct_agents_are_valid_and_deterministic(name):
    report = check(CORRECT_AGENTS[name], ["valid_actions", "deterministic_given_seed"], target=name)
    assert [r.verdict for r in report.results] == [HOLDS, HOLDS], report.summary()


def _cumulative(increments: np.ndarray) -> np.ndarray:
    """Cumulative regret at SUBLINEAR_CHECKPOINTS from per-window increments (n, 3), R(K_0) = increments[:, 0] K_0."""
    x = np.asarray(SUBLINEAR_CHECKPOINTS, dtype=float)
    R = np.zeros((increments.shape[0], x.size))
    R[:, 0] = increments[:, 0] * x[0]
    R[:, 1:] = R[:, :1] + np.cumsum(increments * np.diff(x), axis=1)
    return R


def _window_midpoints():
    x = np.asarray(SUBLINEAR_CHECKPOINTS, dtype=float)
    return np.sqrt(x[:-1] * x[1:])


def test_decide_sublinear_on_known_rates():
    rng = np.random.default_rng(0)
    mid = _window_midpoints()
    noise = rng.gamma(25.0, 1 / 25, size=(60, 3))        # a window's mean over many episodes: about 20 % spread
    sqrt_k = _cumulative(0.5 * mid ** -0.5 * noise)                        # sqrt(K) regret: slope -1/2
    linear = _cumulative(0.2 * noise)                                      # linear regret: slope 0
    assert decide_sublinear(sqrt_k, 1.0, 0.00167)[0] == HOLDS
    assert decide_sublinear(linear, 1.0, 0.00167)[0] == VIOLATED
    assert decide_sublinear(np.zeros((60, 4)), 1.0, 0.00167)[0] == HOLDS  # regret that stopped growing
    # a linear loss below the floor (1 % of V*) is not what the property detects
    assert decide_sublinear(_cumulative(0.002 * noise), 1.0, 0.00167)[0] == HOLDS
    # no slope and a last window straddling the floor: more runs needed
    sparse = np.zeros((60, 3))
    sparse[:3, 2] = 0.2
    assert decide_sublinear(_cumulative(sparse), 1.0, 0.00167)[0] == INCONCLUSIVE


@pytest.mark.slow
@pytest.mark.parametrize("effect", [0.0, 0.8])
def test_decide_sublinear_false_violated_rate_at_its_use(effect):
    """At the boundary (increments decaying exactly like K^(-1/4), exponential per-window noise, a log-normal run
    effect shared by the windows with sigma ``effect``) and at its use (n = 60 runs, alpha = 0.01 / 2 / 3), the share
    of `violated` decisions over 40 000 decisions is at most 2 alpha (about 133; the expected count at the nominal
    level is 67)."""
    alpha, n_decisions = 0.01 / 2 / 3, 40_000
    rng = np.random.default_rng(20261205)
    mid = _window_midpoints()
    violated = 0
    for _ in range(n_decisions):
        run_effect = rng.lognormal(0.0, effect, size=(60, 1))
        inc = 0.3 * mid ** SUBLINEAR_THRESHOLD * run_effect * rng.exponential(1.0, size=(60, 3))
        violated += decide_sublinear(_cumulative(inc), 1.0, alpha)[0] == VIOLATED
    assert violated / n_decisions <= 2 * alpha, (violated, n_decisions)


def test_helpers_accept_a_tabular_mdp_and_need_no_discount():
    mdp = river_swim(6, gamma=0.9)
    rho, h = tabular_envs.optimal_gain(mdp)
    rho_arrays, h_arrays = average_reward.optimal_gain(mdp.P, mdp.r)
    assert rho == rho_arrays and np.array_equal(h, h_arrays)
    assert tabular_envs.diameter(mdp) == average_reward.diameter(mdp.P)
    model = episodic_river_swim(4, horizon=8)
    finite = TabularMDP(river_swim(4, gamma=0.5).P, river_swim(4, gamma=0.5).r, horizon=8)
    assert model.v_star == pytest.approx(tabular_envs.backward_induction(finite).values[0, 0], abs=1e-12)
    assert as_episodic(finite).H == 8
    g = garnet(4, 2, 2, gamma=0.9, rng=1)
    assert np.array_equal(episodic_garnet(4, 2, 2, horizon=4, rng=1).P[0], g.P)
    with pytest.raises(TabularEnvError, match="needs a horizon"):
        as_episodic(g)
    with pytest.raises(TabularEnvError, match="differs"):
        as_episodic(finite, horizon=5)
    assert combination_lock(3, 2).v_star == 1.0


@pytest.mark.slow
@pytest.mark.parametrize("name", list(CORRECT_AGENTS))
def test_correct_agents_hold_every_property(name):
    report = check(CORRECT_AGENTS[name], target=name)
    assert report.passed and all(r.verdict == HOLDS for r in report.results), report.summary()


# the property that targets each agent mutant's bug
AGENT_KILLERS = {
    "agent: UCBVI without its bonus": "sublinear_regret", "agent: Q-learning with eta = 1/t": "sublinear_regret",
    "agent: epsilon-greedy Q-learning, constant epsilon": "sublinear_regret", "agent: UCBVI argmin": "learns",
    "agent: 1-based actions": "learns", "agent: actions from a float table": "valid_actions",
    "agent: unseeded random ties": "deterministic_given_seed",
    "agent: counts survive reset": "deterministic_given_seed",
}


@pytest.mark.slow
@pytest.mark.parametrize("name", list(AGENT_KILLERS))
def test_every_agent_mutant_is_killed_by_its_property(name):
    report = check(MUTANTS[name], [AGENT_KILLERS[name]], target=name)
    assert report.results[0].verdict == VIOLATED, report.summary()


def test_every_agent_mutant_has_a_killer():
    assert set(AGENT_KILLERS) == set(MUTANT_AGENTS)


def _readme_agent(tmp_path):
    import re
    from pathlib import Path
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    code = next(b for b in re.findall(r"^```python\n(.*?)^```$", readme, flags=re.M | re.S)
                if b.startswith("# my_agent.py"))
    path = tmp_path / "my_agent.py"
    path.write_text(code)
    return f"{path}:MyUCBVI"


def test_the_readme_agent_is_the_corpus_ucbvi(tmp_path):
    """The README's worked example plays exactly as the corpus's user-style UCBVI (the same regret in every episode of
    a RiverSwim run), so the corpus's measured verdicts are the example's."""
    from testbed.check.protocols import load_object
    mine = load_object(_readme_agent(tmp_path))
    model = episodic_river_swim(4, horizon=8)
    ours, _ = run_agent(AgentAdapter(mine), model, 2000, seed=2, rep=0)
    corpus, _ = run_agent(AgentAdapter(UCBVIAgent), model, 2000, seed=2, rep=0)
    assert np.allclose(ours, corpus, rtol=0, atol=1e-12) and ours[-100:].mean() < ours[:100].mean()


def test_a_negative_seed_is_a_usage_error():
    with pytest.raises(ProtocolError, match="seed must be a non-negative integer"):
        check(UCBVIAgent, ["valid_actions"], seed=-1)
