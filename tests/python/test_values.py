"""Wrong values fail where they are given, with the library's errors (PolicyError for policies,
ValueError for plans and options); a policy JSON reports every problem in one pass; a bkt rule
needs a probability source on every evaluation path."""
import json
import math

import numpy as np
import pandas as pd
import pytest

import masterymap as mm


def framework():
    b = mm.FrameworkBuilder("values")
    b.add_competency("A", domain="D", level=1)
    b.add_competency("B", domain="D", level=2)
    b.add_prerequisite("B", "A")
    return b.build()


@pytest.mark.parametrize("make, problems", [
    (lambda: mm.Rule(min_evidence=-1),
     ["rule.min_evidence: -1 is not a count from 0 to 4294967295"]),
    (lambda: mm.Rule(window_last=0, window_days=0, expires_after_days=-1),
     ["rule.window_last: must be at least 1",
      "rule.min_evidence: 1 can never be met with window_last=0",
      "rule.window_days: 0 is not a positive number of days",
      "rule.expires_after_days: -1 is not a positive number of days"]),
    (lambda: mm.Rule(require_kinds=["self"], ignore_kinds=["self"]),
     ["rule.ignore_kinds: 'self' is also a required kind"]),
    (lambda: mm.Rule(window_days=math.nan), ["rule.window_days: nan is not a positive number of days"]),
    (lambda: mm.Method.decaying_average(1.5), ["method.w: 1.5 is outside (0, 1)"]),
    (lambda: mm.Method.weighted_average(0), ["method.w: 0 is outside (0, 1)"]),
    (lambda: mm.Method.n_mastery(0), ["method.n: must be at least 1"]),
    (lambda: mm.Method.n_mastery(-2), ["method.n: -2 is not at least 1"]),
    (lambda: mm.Method.bkt(1.5), ["method.threshold: 1.5 is outside (0, 1]"]),
    (lambda: mm.Scale.percent(0.8),
     ["scale.percent: threshold 0.8 looks like a fraction; the threshold is a percent in [1, 100] "
      "(percent(80) for 80%)"]),
    (lambda: mm.Scale.percent(150), ["scale.percent: threshold 150 is outside [1, 100]"]),
    (lambda: mm.Rollup.k_of_n(0), ["rollup.k: must be at least 1"]),
    (lambda: mm.Rollup.k_of_n(4, ["A", "B", "C"]), ["rollup.groups[0].k: k=4 > n=3 items"]),
    (lambda: mm.Rollup.points(0), ["rollup.min_points: 0 must be positive"]),
    (lambda: mm.Rollup.points(5, {"A": 2, "B": 1}),
     ["rollup.groups[0].min_points: 5 exceeds the 3 points available"]),
    (lambda: mm.Rollup.points(2, {"A": -1}), ["rollup.points['A']: -1 is not a non-negative number"]),
    (lambda: mm.Rollup.weighted_mean({"A": 0, "B": 0}), ["rollup.weights: weights sum to 0"]),
    (lambda: mm.Rollup.all_of(["A", "A"]), ["rollup.groups[0].items[1]: duplicate item 'A'"]),
    (lambda: mm.Policy(rule=mm.Rule(exempt_on_pretest=9)),
     ["rule.exempt_on_pretest: 9 is off the scale [0, 4]"]),
])
def test_a_bad_value_is_a_policy_error_where_it_is_given(make, problems):
    with pytest.raises(mm.PolicyError) as e:
        make()
    assert e.value.problems == problems


def test_a_policy_stays_as_it_was_when_a_rule_or_rollup_is_refused():
    p = mm.Policy()
    before = p.to_json()
    off_scale = mm.Rule(exempt_on_pretest=9)  # fine alone; off the policy's 1-4 scale
    with pytest.raises(mm.PolicyError) as e:
        p.override("A", rule=off_scale)
    assert e.value.problems == ["overrides.competencies['A'].exempt_on_pretest: 9 is off the "
                                "scale [0, 4]"]
    with pytest.raises(mm.PolicyError):
        p.override(domain="D", rule=off_scale)
    with pytest.raises(mm.PolicyError):
        p.rule = off_scale
    with pytest.raises(mm.PolicyError):
        p.default_rollup = mm.Rollup.all_of(["A"])
    assert p.to_json() == before


@pytest.mark.parametrize("make, message", [
    (lambda: mm.PacePlan("2024-09-01", "2025-06-01", ["A"], rate=-1),
     "pace plan: the expected rate must be a positive number, got -1"),
    (lambda: mm.PacePlan("2024-09-01", "2025-06-01", ["A"], recent_days=0),
     "pace plan: recent_days must be a positive number, got 0"),
    (lambda: mm.PacePlan("2024-09-01", "2025-06-01", ["A"], tolerance=-1),
     "pace plan: tolerance must be a number >= 0, got -1"),
    (lambda: mm.bkt.Model(num_fits=0), "num_fits must be at least 1, got 0"),
    (lambda: mm.bkt.Model(tolerance=-1), "tolerance must be a finite number >= 0, got -1"),
    (lambda: mm.bkt.Model(bounds={"guesses": (0.6, 0.4)}),
     "bounds of guess must satisfy 0 <= lo <= hi <= 1, got [0.6, 0.4]"),
    (lambda: mm.bkt.Model(fixed={"prior": 1.5}), "fixed prior must be in [0, 1], got 1.5"),
    (lambda: mm.bkt.Model(threshold=1.5), "mastery threshold must be in [0, 1], got 1.5"),
    (lambda: mm.bkt.Model(restarts="sometimes"), "sometimes"),
    (lambda: mm.bkt.simulate([dict(skill="A", prior=0.2, learns=0.1, guesses=2, slips=0.1)], 2, 3),
     "skill 'A': guess must be in [0, 1], got 2"),
    (lambda: mm.bkt.Tracer(mm.bkt.Model.from_json(
        mm.bkt.fit(pd.DataFrame({"user_id": ["u1", "u1", "u2", "u2"], "skill_name": "A",
                                 "correct": [0, 1, 1, 0]}), num_fits=1).to_json()).core, 1.5),
     "mastery threshold must be in [0, 1], got 1.5"),
])
def test_a_bad_option_is_a_value_error_when_it_is_given(make, message):
    with pytest.raises(ValueError) as e:
        make()
    assert message in str(e.value)


def test_recommendation_and_path_options_are_checked():
    fw = framework()
    log = mm.EvidenceLog()
    log.add("s1", "A", 3, "2024-09-02")
    st = mm.Engine(fw, mm.Policy()).evaluate(log, "s1")
    with pytest.raises(ValueError, match="recency_days must be a positive number of days, got 0"):
        st.recommend(recency_days=0)
    with pytest.raises(ValueError, match="goal_weight must be a finite number, got inf"):
        st.recommend(goal_weight=math.inf)
    with pytest.raises(ValueError, match="the rate must be a positive number, got -1"):
        st.path_to("B", rate=-1)


def test_a_negative_count_is_a_value_error_naming_the_parameter():
    fw = framework()
    with pytest.raises(ValueError, match=r"^Roster\(\): threads is out of range: -1 \(it must "
                                         r"not be negative\)$"):
        mm.Roster(fw, mm.Policy(), threads=-1)
    with pytest.raises(ValueError, match=r"^Rule.min_evidence is out of range: -1"):
        mm.Rule().min_evidence = -1


def test_a_count_too_large_for_its_cpp_type_is_a_value_error_naming_the_parameter():
    r = mm.Roster(framework(), mm.Policy())
    for call, name in ((r.groups_by_frontier, "Roster.groups_by_frontier()"),
                       (r.bottlenecks, "Roster.bottlenecks()")):
        # a Python int and a numpy integer alike (issue 14: numpy's got a generic message)
        for big in (2**40, np.int64(2**40), np.uint64(2**40)):
            with pytest.raises(ValueError) as e:
                call(stuck_evidence=big)
            assert str(e.value) == (f"{name}: stuck_evidence is out of range: 1099511627776 (it "
                                    f"must be from 0 to 4294967295)")
        with pytest.raises(ValueError, match=r"stuck_evidence is out of range: -3 \(it must be "
                                             r"from 0 to 4294967295\)$"):
            call(stuck_evidence=np.int8(-3))
    with pytest.raises(ValueError, match=r"^Roster.summary\(\): min_n is out of range: "
                                         r"4294967296 \(it must be from 0 to 4294967295\)$"):
        r.summary(min_n=np.int64(2**32))
    for big in (2**33, np.int64(2**33)):
        with pytest.raises(ValueError, match=r"^Rule.min_evidence is out of range: 8589934592 "
                                             r"\(it must be from 0 to 4294967295\)$"):
            mm.Rule().min_evidence = big
        with pytest.raises(ValueError, match=r"^Rule.window_last is out of range: 8589934592 "
                                             r"\(it must be from 0 to 4294967295\)$"):
            mm.Rule().window_last = big
    # in range, a numpy integer is a count like any int
    rule = mm.Rule()
    rule.min_evidence = np.uint16(3)
    rule.window_last = np.int64(4)
    assert (rule.min_evidence, rule.window_last) == (3, 4)
    assert len(r.bottlenecks(stuck_evidence=np.int32(4))) == len(r.framework)


def test_counts_never_wrap_past_32_bits():
    """Issue 14: a count past 2**32 - 1 is refused with the parameter named, never narrowed to
    a small number (2**32 + 5 is not 5), from Python and from a policy's JSON."""
    with pytest.raises(mm.PolicyError) as e:
        mm.Rule(window_last=2**32 + 5)
    # one problem: not also "must be at least 1" for a placeholder 0
    assert e.value.problems == ["rule.window_last: 4294967301 is not at least 1"]
    with pytest.raises(mm.PolicyError) as e:
        mm.Rule(min_evidence=np.int64(2**32 + 5))
    assert e.value.problems == ["rule.min_evidence: 4294967301 is not a count from 0 to "
                                "4294967295"]
    with pytest.raises(mm.PolicyError, match=r"method.n: 4294967301 is not at least 1"):
        mm.Method.n_mastery(2**32 + 5)
    with pytest.raises(mm.PolicyError, match=r"rollup.k: 4294967301 is not at least 1"):
        mm.Rollup.k_of_n(2**32 + 5, ["A", "B"])
    text = json.loads(mm.Policy(mm.Scale.four_point()).to_json())
    for path, value in ((("rule", "min_evidence"), 8589934592),
                        (("rule", "window_last"), 2**32 + 5),
                        (("rule", "min_evidence"), 2**64 + 1),
                        (("rule", "method"), {"name": "n_mastery", "n": 2**40})):
        doc = json.loads(json.dumps(text))
        doc[path[0]][path[1]] = value
        with pytest.raises(mm.PolicyError) as e:
            mm.Policy.from_json(json.dumps(doc))
        shown = value["n"] if isinstance(value, dict) else value
        where = ".".join(path) + (".n" if isinstance(value, dict) else "")
        if shown < 2**64:
            assert e.value.problems == [f"{where}: {shown} is not a count from 0 to 4294967295"]
        else:  # beyond what JSON integers hold here: read as a float, named as read
            assert e.value.problems == [f"{where}: {float(shown)!r} is not a count from 0 to "
                                        "4294967295"]
    # a negative or fractional count says the same as the setters (mm.Rule(min_evidence=-1))
    for value in (-2, 1.5):
        doc = json.loads(json.dumps(text))
        doc["rule"]["min_evidence"] = value
        with pytest.raises(mm.PolicyError) as e:
            mm.Policy.from_json(json.dumps(doc))
        assert e.value.problems == [f"rule.min_evidence: {value} is not a count from 0 to "
                                    "4294967295"]
    with pytest.raises(mm.PolicyError) as e:
        mm.Rule(min_evidence=-2)
    assert str(e.value).endswith("rule.min_evidence: -2 is not a count from 0 to 4294967295"), \
        str(e.value)


def test_a_bool_is_no_count():
    """Issue 14: True where a count is expected was taken as 1."""
    r = mm.Roster(framework(), mm.Policy())
    for call, name in ((r.groups_by_frontier, "Roster.groups_by_frontier()"),
                       (r.bottlenecks, "Roster.bottlenecks()")):
        for flag in (True, np.bool_(True)):
            with pytest.raises(TypeError) as e:
                call(stuck_evidence=flag)
            assert str(e.value) == f"{name}: stuck_evidence must be an int, got bool True" \
                or str(e.value) == f"{name}: stuck_evidence must be an int, got bool_ True", \
                str(e.value)
    with pytest.raises(TypeError, match=r"^Roster.summary\(\): min_n must be an int, got bool"):
        r.summary(min_n=False)
    with pytest.raises(TypeError, match=r"^Rule\(\): min_evidence must be an int, got bool True"):
        mm.Rule(min_evidence=True)
    with pytest.raises(TypeError, match=r"^Rule.min_evidence must be an int, got bool True"):
        mm.Rule().min_evidence = True
    with pytest.raises(TypeError, match=r"^Method.n_mastery\(\): n must be an int, got bool"):
        mm.Method.n_mastery(True)
    fw = mm.testing.chain(2)
    with pytest.raises(TypeError, match=r"^testing.simulate\(\): streak must be an int, got "
                                        r"bool True"):
        mm.testing.simulate(fw, mm.testing.policy(), learners=2, seed=1, streak=True)


def test_policy_json_reports_every_problem_in_one_pass_with_one_path_style():
    with pytest.raises(mm.PolicyError) as e:
        mm.Policy.from_json(json.dumps({"rule": {"method": {"name": "decaying_average", "w": 1.5}}}))
    assert e.value.problems == ["scale: missing", "rule.method.w: 1.5 is outside (0, 1)"]
    with pytest.raises(mm.PolicyError) as e:
        mm.Policy.from_json(json.dumps({"format": "x", "rollup_precedence": "sometimes",
                                        "scale": {"ratings": [["A", 1]], "mastery": "A"},
                                        "rule": {"min_evidence": "two"}}))
    assert e.value.problems == ["format: expected 'masterymap.policy', got 'x'",
                                "rule.min_evidence: expected a count from 0 to 4294967295",
                                "rollup_precedence: unknown value 'sometimes' (expected 'rollup', 'evidence', 'either' or 'both')"]


# --- a bkt rule needs a probability source ------------------------------------------------------

def bkt_policy():
    p = mm.Policy()
    p.override("B", rule=mm.Rule(method=mm.Method.bkt(0.9)))
    return p


def half(learner, competency, scores):
    return 0.5


@pytest.mark.parametrize("call", [
    lambda fw, p, log: mm.evaluate(fw, p, log, "s1"),
    lambda fw, p, log: mm.evaluate_all(fw, p, log),
    lambda fw, p, log: mm.ratings(fw, p, log),
    lambda fw, p, log: mm.Engine(fw, p).evaluate(log, "s1"),
    lambda fw, p, log: mm.Engine(fw, p).update(
        mm.Engine(fw, p).evaluate(log, "s1", probabilities=half), log),
    lambda fw, p, log: mm.Roster(fw, p),
], ids=["evaluate", "evaluate_all", "ratings", "Engine.evaluate", "Engine.update", "Roster"])
def test_a_bkt_rule_without_a_probability_source_is_an_error(call):
    fw, p = framework(), bkt_policy()
    log = mm.EvidenceLog()
    log.add("s1", "B", 3, "2024-09-02")
    with pytest.raises(mm.PolicyError) as e:
        call(fw, p, log)
    (problem,) = e.value.problems
    assert problem.startswith("overrides.competencies['B'].method: bkt needs a probability source")
    assert "probabilities=" in problem


def test_a_bkt_rule_with_a_probability_source_rates(tmp_path):
    fw, p = framework(), bkt_policy()
    log = mm.EvidenceLog()
    log.add("s1", "B", 3, "2024-09-02")
    assert mm.evaluate(fw, p, log, "s1", probabilities=half).score("B") == 0.5
    assert list(mm.ratings(fw, p, log, probabilities=half).score) == [0.5]
    roster = mm.Roster(fw, p, probabilities=half)
    roster.ingest(log)
    roster.save(tmp_path / "r.bin")
    with pytest.raises(mm.PolicyError, match="probabilities="):
        mm.Roster.load(tmp_path / "r.bin")
    assert len(mm.Roster.load(tmp_path / "r.bin", probabilities=half)) == 1


def test_a_probability_source_must_be_callable():
    fw = framework()
    log = mm.EvidenceLog()
    log.add("s1", "B", 3, "2024-09-02")
    with pytest.raises(TypeError, match=r"^Engine.evaluate\(\): probabilities must be None, a "
                                        r"ProbabilitySource or a callable"):
        mm.Engine(fw, bkt_policy()).evaluate(log, "s1", probabilities=0.5)


def test_bkt_model_probabilities_check_correct_at():
    df = pd.DataFrame({"user_id": np.repeat(["u1", "u2"], 4), "skill_name": "A",
                       "correct": [0, 1, 1, 1, 1, 0, 1, 1]})
    model = mm.bkt.fit(df, num_fits=1)
    with pytest.raises(ValueError, match="correct_at must be a finite number"):
        model.probability_source(correct_at=math.nan)


def test_messages_name_the_public_function_not_its_private_core():
    """Issue 14: a value refused by a private core function (``_core._simulate``,
    ``_core.io.parse_xapi``) is reported under the public function the user called."""
    with pytest.raises(ValueError) as e:
        mm.io.read_xapi("[]", threads=-1)
    assert str(e.value) == "io.read_xapi(): threads is out of range: -1 (it must not be negative)"
    fw = mm.testing.chain(2)
    with pytest.raises(ValueError) as e:
        mm.testing.simulate(fw, mm.testing.policy(), learners=2, seed=1,
                            max_attempts=np.uint64(2**33))
    assert str(e.value).startswith("testing.simulate(): max_attempts is out of range: 8589934592")
    # no private name in any of them
    for call in (lambda: mm.io.read_xapi("[]", threads=-1),
                 lambda: mm.testing.simulate(fw, mm.testing.policy(), 2, seed=2**64)):
        with pytest.raises(ValueError) as e:
            call()
        assert "_simulate" not in str(e.value) and "parse_xapi" not in str(e.value)
