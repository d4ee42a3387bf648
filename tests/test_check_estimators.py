"""testbed check for advantage estimators and speculative samplers (issue 27), and the planner certificate."""
import json
import textwrap

import numpy as np
import pytest

from tabular_envs.estimation.group_baselines import std_weight
from testbed.check import check, replay
from testbed.check.corpus import CORRECT, MUTANTS, false_alarm_rates
from testbed.check.estimator_properties import direction_factor
from testbed.check.protocols import infer_kind
from testbed.cli import main
from testbed.errors import ProtocolError

# the property that targets each advantage mutant's bug
ADVANTAGE_KILLERS = {
    "advantages: mean-centred": "unbiased", "advantages: std-normalised": "unbiased",
    "advantages: 0/0 on a constant group": "finite", "advantages: no baseline": "constant_group_zero",
    "advantages: leave-one-out sum over N": "constant_group_zero", "advantages: sign": "direction_preserving",
}


def test_every_advantage_property_holds_on_rloo():
    report = check(CORRECT["advantages: RLOO"], target="rloo")
    assert report.kind == "advantage" and report.passed, report.summary()
    assert [r.name for r in report.results] == ["finite", "constant_group_zero", "unbiased", "direction_preserving"]
    assert "c = 1," in report.results[-1].detail                    # the factor is reported


@pytest.mark.parametrize("name", list(ADVANTAGE_KILLERS))
def test_advantage_mutants_are_killed_with_a_replayable_counterexample(name, tmp_path):
    prop = ADVANTAGE_KILLERS[name]
    report = check(MUTANTS[name], [prop], target=name, out_dir=tmp_path)
    (result,) = report.results
    assert result.verdict == "violated", report.summary()
    data = json.loads(open(result.counterexample_file).read())
    assert data["property"] == prop and data["kind"] == "advantage"
    assert replay(MUTANTS[name], result.counterexample_file).verdict == "violated"
    assert replay(CORRECT["advantages: RLOO"], result.counterexample_file).verdict == "holds"


def test_mean_centred_fails_unbiased_but_preserves_the_direction_with_factor_n_minus_1_over_n():
    report = check(MUTANTS["advantages: mean-centred"], ["unbiased", "direction_preserving"])
    assert [r.verdict for r in report.results] == ["violated", "holds"]
    for N in (2, 3, 4):
        c, residual = direction_factor(MUTANTS["advantages: mean-centred"], (np.zeros(3), (1.0, 0.0, 0.0), N))
        assert c == pytest.approx((N - 1) / N, rel=1e-12) and residual < 1e-12


def test_std_normalised_factor_is_w_n():
    # the factor reported for GRPO's normalisation is the claim E2's w_N(p) (its binomial-sum route)
    for p, N in ((0.2, 4), (0.5, 3)):
        theta = np.log([p, (1 - p) / 2, (1 - p) / 2])
        c, residual = direction_factor(MUTANTS["advantages: std-normalised"], (theta, (1.0, 0.0, 0.0), N))
        assert c == pytest.approx(std_weight(p, N), rel=1e-10) and residual < 1e-10


def test_sampler_resampling_from_the_target_fails_lossless():
    report = check(MUTANTS["sampler: resamples from the target"], ["lossless"])
    assert report.kind == "sampler" and report.results[0].verdict == "violated", report.summary()
    assert report.results[0].counterexample["empirical_tv"] > 0.05


def test_invalid_sampler_output_is_a_valid_output_violation_and_an_error_elsewhere():
    def bad(target, draft, prefix, n_draft, rng):
        return [99]
    report = check(bad, ["valid_output", "lossless"], timeout=None)
    assert [r.verdict for r in report.results] == ["violated", "error"]
    assert "token ids in [0, 4)" in report.results[0].detail


@pytest.mark.slow
@pytest.mark.parametrize("name", ["sampler: reference", "sampler: user style"])
def test_correct_samplers_hold_every_property(name):
    report = check(CORRECT[name], target=name)
    assert report.passed and all(r.verdict == "holds" for r in report.results), report.summary()


@pytest.mark.slow
@pytest.mark.parametrize("name", [n for n in MUTANTS if n.startswith("sampler:")])
def test_every_sampler_mutant_is_killed(name):
    report = check(MUTANTS[name], target=name)
    assert any(r.verdict == "violated" for r in report.results), report.summary()


@pytest.mark.slow
def test_sampler_false_alarm_rate_within_budget_over_40_seeds():
    """Each statistical sampler property on the user-style sampler over 40 seeds, against its budget
    delta / 3 = 0.0033: fails when the rate is significantly above it (95% Clopper-Pearson lower bound)."""
    rows = false_alarm_rates(40, policies=("sampler: user style",))
    assert [r["property"] for r in rows] == ["lossless", "acceptance_rate", "tokens_per_step"]
    assert all(r["within_budget"] for r in rows), rows


def test_kinds_are_inferred_from_the_signature():
    def advantages(rewards):
        return rewards

    def planner(mdp):
        return np.zeros(mdp.n_states, dtype=int)

    def step(target, draft, prefix, n_draft, rng):
        return [0]
    assert (infer_kind(advantages), infer_kind(planner), infer_kind(step)) == ("advantage", "planner", "sampler")
    with pytest.raises(ProtocolError, match="advantage takes 1"):
        check(lambda a, b: a, kind="advantage")


def test_planner_checks_print_the_bellman_residual_certificate():
    report = check(CORRECT["planner_policy_iteration"], ["optimality"])
    detail = report.results[0].detail
    assert "certificate:" in detail and "Bellman residual" in detail and "||V^pi - V*||_inf <=" in detail
    bad = check(MUTANTS["planner: 2 VI sweeps"], ["optimality"])
    assert bad.results[0].verdict == "violated" and "certificate:" in bad.results[0].detail


USER_FILE = textwrap.dedent('''
    import numpy as np

    def grpo_advantages(rewards):
        centred = rewards - rewards.mean()
        return centred / (centred.std() + 1e-8)

    def rloo_advantages(rewards):
        return rewards - (rewards.sum() - rewards) / (rewards.size - 1)
''')


def test_cli_on_a_users_advantage_file(tmp_path, monkeypatch, capsys):
    (tmp_path / "my_adv.py").write_text(USER_FILE)
    monkeypatch.chdir(tmp_path)
    assert main(["check", "my_adv.py:rloo_advantages"]) == 0
    assert main(["check", "my_adv.py:grpo_advantages", "--property", "unbiased"]) == 1
    out = capsys.readouterr().out
    assert "violated     unbiased" in out and "replay: testbed check my_adv.py:grpo_advantages" in out


OPE_KILLERS = {"ope: propensities swapped": "unbiased", "ope: clipped IPS": "consistent",
               "ope: self-normalised IPS": "unbiased", "ope: DR fitted on the same log": "unbiased",
               "ope: on-policy mean": "unbiased"}


@pytest.mark.parametrize("name", ["ope: IPS", "ope: DR with a fixed model"])
def test_correct_off_policy_estimators_hold_every_property(name):
    report = check(CORRECT[name], target=name)
    assert report.kind == "ope" and report.passed, report.summary()
    assert [r.name for r in report.results] == ["finite", "unbiased", "consistent"]
    assert "support violation" in report.results[1].detail
    if name == "ope: IPS":                          # test_ips_support_bias_by_hand
        assert "bias -0.5240" in report.results[1].detail


@pytest.mark.parametrize("name", list(OPE_KILLERS))
def test_off_policy_mutants_are_killed(name, tmp_path):
    report = check(MUTANTS[name], [OPE_KILLERS[name]], target=name, out_dir=tmp_path)
    assert report.results[0].verdict == "violated", report.summary()
    if OPE_KILLERS[name] == "unbiased":
        assert replay(MUTANTS[name], report.results[0].counterexample_file).verdict == "violated"
        assert replay(CORRECT["ope: IPS"], report.results[0].counterexample_file).verdict == "holds"


def test_ips_support_bias_by_hand():
    # mu never logs action 0; IPS sees only actions 1, 2: E = sum_x p_x sum_{a >= 1} pi(a|x) R(x, a)
    p_x = np.array([0.6, 0.4])
    pi = np.array([[0.6, 0.2, 0.2], [0.5, 0.25, 0.25]])
    R = np.array([[0.9, 0.2, 0.5], [1.0, 0.5, 0.0]])
    expected = float(p_x @ (pi[:, 1:] * R[:, 1:]).sum(axis=1))
    V = float(p_x @ (pi * R).sum(axis=1))
    assert expected - V == pytest.approx(-0.524)
