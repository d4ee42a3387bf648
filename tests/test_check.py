"""testbed check (issue 6): protocols, properties, counterexamples, the mutant corpus and bad input."""
import json
import textwrap

import numpy as np
import pytest

from testbed.check import assert_check, check, replay
from testbed.check.corpus import CORRECT, MUTANTS
from testbed.cli import main
from testbed.errors import ProtocolError

EXACT_KINDS = ("operator", "planner", "distributional")


@pytest.mark.slow
def test_correct_exact_objects_hold_every_property():
    for name in ("bellman_optimality", "planner_policy_iteration", "distributional_evaluation"):
        report = check(CORRECT[name], target=name)
        assert report.passed, report.summary()
        assert report.results and all(r.verdict == "holds" for r in report.results)


# the property that targets each exact mutant's bug; the others are searched only on the correct objects above
# (a property that holds on a mutant runs its whole search: contraction_w1 alone is 3000 inputs, about 25 s)
TARGETED = {
    "operator: gamma^2": "fixed_point", "operator: mean over actions": "fixed_point",
    "operator: min over actions": "fixed_point", "operator: no reward": "fixed_point",
    "operator: undiscounted": "contraction", "operator: next-state index off by one": "fixed_point",
    "operator: reward + 0.01": "fixed_point", "operator: max over next states": "fixed_point",
    "operator: negated value": "monotone", "operator: softmax backup": "fixed_point",
    "operator: returns NaN": "valid_output", "operator: updates V in place": "no_input_mutation",
    "distributional: ignores the policy": "mean_consistency",
    "distributional: discounts the reward": "mean_consistency",
    "distributional: absorbing states to 0": "mean_consistency", "distributional: unsorted atoms": "valid_output",
    "distributional: control operator": "mean_consistency", "distributional: spread not discounted": "contraction_w1",
}


@pytest.mark.slow
@pytest.mark.parametrize("name", [n for n in MUTANTS if n.split(":")[0] in EXACT_KINDS])
def test_every_exact_mutant_is_killed_with_a_shrunk_counterexample(name, tmp_path):
    """Each mutant is violated by the property that targets its bug (planners: optimality), with a counterexample
    file that names the property and replays to the same verdict."""
    prop = "optimality" if name.startswith("planner:") else TARGETED[name]
    report = check(MUTANTS[name], [prop], target=name, out_dir=tmp_path)
    (result,) = report.results
    assert result.verdict == "violated", f"{name} survived:\n{report.summary()}"
    data = json.loads(open(result.counterexample_file).read())
    assert data["property"] == prop and data["input"]
    assert replay(MUTANTS[name], result.counterexample_file).verdict == "violated"


@pytest.mark.parametrize("name, expected", [
    ("bandit: greedy", "consistency"), ("bandit: skips the last arm", "every_arm_tried"),
    ("bandit: Thompson updates the wrong arm", "log_regret"), ("bandit: uniform", "consistency"),
    ("bandit: UCB1 with ln n_a", "log_regret"), ("bandit: constant epsilon 0.2", "log_regret"),
    ("bandit: UCB1 constant 1e-4", "consistency"), ("bandit: UCB1 argmin", "log_regret"),
])
@pytest.mark.slow
def test_bandit_mutants_are_caught_by_the_property_that_targets_their_bug(name, expected):
    report = check(MUTANTS[name], [expected], target=name)
    assert report.results[0].verdict == "violated", report.summary()


@pytest.mark.slow
@pytest.mark.parametrize("name", ["UCB1", "Thompson", "ucb1_kernel", "simulate: ucb1", "simulate: kl_ucb",
                                  "simulate: thompson", "simulate: moss", "simulate: successive_elimination"])
def test_correct_bandit_policies_hold_every_property(name):
    report = check(CORRECT[name], target=name)
    assert report.passed and all(r.verdict == "holds" for r in report.results), report.summary()


USER_FILE = textwrap.dedent('''
    import numpy as np
    from numba import njit

    class MyUCB:
        def reset(self, n_arms, horizon, seed):
            self.n, self.s, self.K = np.zeros(n_arms), np.zeros(n_arms), n_arms
        def select(self, t):
            if t < self.K:
                return t
            return int(np.argmax(self.s / self.n + np.sqrt(2 * np.log(t) / self.n)))
        def update(self, arm, reward):
            self.n[arm] += 1
            self.s[arm] += reward

    @njit
    def my_kernel(means, gaussian, sigma, T, seed, rep, checkpoints, params, regret_out, pulls_out):
        np.random.seed(seed + rep)
        K = means.size
        n = np.zeros(K)
        s = np.zeros(K)
        cum, ci = 0.0, 0
        for t in range(T):
            a = t if t < K else np.argmax(s / n + np.sqrt(2.0 * np.log(t) / n))
            s[a] += 1.0 if np.random.random() < means[a] else 0.0
            n[a] += 1.0
            cum += means.max() - means[a]
            if ci < checkpoints.size and checkpoints[ci] == t + 1:
                regret_out[ci] = cum
                ci += 1
        pulls_out[:] = n

    def undiscounted(mdp, V):
        return (mdp.r + mdp.P @ V).max(axis=1)

    not_a_policy = 3
''')


@pytest.fixture
def user_module(tmp_path, monkeypatch):
    (tmp_path / "user_algos.py").write_text(USER_FILE)
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.slow
def test_plain_python_and_numba_user_policies_run_through_the_cli(user_module, capsys):
    assert main(["check", "user_algos:MyUCB", "--property", "consistency", "--property", "every_arm_tried"]) == 0
    assert main(["check", "user_algos.py:my_kernel", "--property", "log_regret"]) == 0
    out = capsys.readouterr().out
    assert "holds        consistency" in out and "holds        log_regret" in out


def test_a_failure_writes_a_counterexample_that_replays(user_module, capsys):
    assert main(["check", "user_algos:undiscounted", "--property", "contraction", "--report", "check.md"]) == 1
    out = capsys.readouterr().out
    assert "violated" in out and "input:" in out and "replay: testbed check user_algos:undiscounted --replay" in out
    path = user_module / "testbed-counterexamples" / "user_algos_undiscounted.contraction.json"
    assert path.is_file() and "Counterexample: contraction" in (user_module / "check.md").read_text()
    assert main(["check", "user_algos:undiscounted", "--replay", str(path)]) == 1
    fixed = replay(CORRECT["bellman_optimality"], path)
    assert fixed.verdict == "holds"


@pytest.mark.parametrize("argv, message", [
    (["check", "user_algos:not_a_policy"], "fits no protocol"),
    (["check", "no_such_module:thing"], "cannot import 'no_such_module'"),
    (["check", "user_algos:undiscounted", "--property", "consistency"], "does not apply to an operator"),
    (["check", "user_algos:missing"], "has no attribute 'missing'"),
    (["check", "user_algos:MyUCB", "--budget", "huge"], "unknown budget"),
])
def test_bad_input_gets_one_clear_message_and_exit_2(user_module, capsys, argv, message):
    assert main(argv) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and message in err[0]


def test_assert_check_inside_a_users_pytest_suite():
    assert_check(CORRECT["bellman_optimality"], ["contraction", "monotone"])
    with pytest.raises(AssertionError, match="violated"):
        assert_check(MUTANTS["operator: undiscounted"], ["contraction"])
    with pytest.raises(ProtocolError):
        check(np.zeros(3))
