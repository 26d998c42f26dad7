"""Policies: methods, rules, rollups, overrides, validation with paths, JSON and pickle."""
import json
import pickle

import pytest

import masterymap as mm


def full_policy():
    rule = mm.Rule(method=mm.Method.decaying_average(0.65), min_evidence=2, require_kinds=["discussion"],
                   ignore_kinds=["self"], window_last=5, expires_after_days=365, exempt_on_pretest=3.0,
                   exempt_confirm_kinds=["discussion"], monotonic=True)
    p = mm.Policy(mm.Scale.four_point(), rule=rule, name="Lincoln")
    p.override(domain="NF", rule=mm.Rule(method=mm.Method.n_mastery(3), window_days=90))
    p.override("3.NF.A.1", rule=mm.Rule(method=mm.Method.power_law(), pretest_counts=True))
    p.rollup("3.NF", mm.Rollup.k_of_n(2, ["3.NF.A.1", "3.NF.A.2", "3.NF.A.3"]))
    p.rollup("3.OA", mm.Rollup.points(min_points=3, points={"A": 2, "B": 1, "C": 1}, required=["A"]))
    p.rollup("POETRY", mm.Rollup.any_of(mm.Rollup.all_of(["A7", "A9"]), mm.Rollup.all_of(["A7", "A10"])))
    p.rollup("3.MD", mm.Rollup.weighted_mean({"X": 2, "Y": 1}))
    p.default_rollup = mm.Rollup.all_of()
    p.rollup_precedence = "either"
    return p


def test_methods():
    assert repr(mm.Method.decaying_average(0.65)) == "Method.decaying_average(w=0.65)"
    assert mm.Method.n_mastery().n == 5
    assert mm.Method.bkt().threshold == 0.95
    assert mm.Method.weighted_average().name == "weighted_average"


def test_overrides_most_specific_wins():
    p = full_policy()
    assert p.rule_for("3.NF.A.1", "NF").method == mm.Method.power_law()
    assert p.rule_for("3.NF.A.2", "NF").method == mm.Method.n_mastery(3)
    assert p.rule_for("3.OA.A.1", "OA").method == mm.Method.decaying_average(0.65)
    assert p.kinds() == ["discussion", "self"]
    with pytest.raises(ValueError):
        p.override(rule=mm.Rule())


def test_rollup_shapes():
    r = mm.Rollup.any_of(mm.Rollup.all_of(["A7", "A9"]), mm.Rollup.all_of(["A7", "A10"]))
    assert repr(r) == "Rollup.any_of(all_of(A7, A9), all_of(A7, A10))"
    assert r.groups[0]["items"][0]["group"] == 1
    assert repr(mm.Rollup.all_of()) == "Rollup.all_of(children)"
    assert repr(mm.Rollup.all_of("A", "B")) == repr(mm.Rollup.all_of(["A", "B"]))


def test_json_and_pickle_round_trip(tmp_path):
    p = full_policy()
    assert p.problems() == []
    q = mm.Policy.from_json(p.to_json())
    assert q == p and q.to_json() == p.to_json()
    assert pickle.loads(pickle.dumps(p)) == p
    path = tmp_path / "policy.json"
    p.write(path)
    assert mm.Policy.read(path) == p


def test_validation_lists_every_problem_with_paths():
    # Bad values fail where they are given (tests/python/test_values.py); read from JSON, every
    # problem of the policy is listed at once.
    text = json.dumps({
        "scale": {"ratings": [["Beginning", 1], ["Developing", 2], ["Proficient", 3],
                              ["Advanced", 4]], "mastery": "Proficient", "exceeds": "Advanced"},
        "rule": {"method": {"name": "decaying_average", "w": 1.5}, "window_last": 0,
                 "exempt_on_pretest": 9},
        "overrides": {"competencies": {"X": {"method": {"name": "n_mastery", "n": 0}}}},
        "rollups": {"P": {"groups": [{"op": "k_of_n", "k": 4, "items": ["A", "B", "C"]}]}},
    })
    with pytest.raises(mm.PolicyError) as e:
        mm.Policy.from_json(text)
    probs = e.value.problems
    for expected in ["rule.method.w: 1.5 is outside (0, 1)", "rule.window_last: must be at least 1",
                     "rule.exempt_on_pretest: 9 is off the scale [0, 4]",
                     "overrides.competencies['X'].method.n: must be at least 1",
                     "rollups['P'].groups[0].k: k=4 > n=3 items"]:
        assert any(expected in x for x in probs), expected


def test_validation_against_a_framework():
    b = mm.FrameworkBuilder("f")
    for c in ["P", "A", "B"]:
        b.add_competency(c, domain="N")
    b.add_child("P", "A")
    fw = b.build()
    p = mm.Policy()
    p.override("nope", rule=mm.Rule())
    p.rollup("P", mm.Rollup.all_of(["A", "B"]))
    probs = p.problems(fw)
    assert any("overrides.competencies['nope']: unknown competency" in x for x in probs)
    assert any("'B' is not a descendant of 'P'" in x for x in probs)
    with pytest.raises(mm.PolicyError):
        mm.Engine(fw, p)


def test_json_errors():
    with pytest.raises(mm.ParseError) as e:
        mm.Policy.from_json('{\n "rule": {,}\n}')
    assert e.value.line == 2
    with pytest.raises(mm.PolicyError) as e:
        mm.Policy.from_json('{"scale": {"ratings": [["A", 1]], "mastery": "A"}, "rule": {"method": "median"}}')
    assert any("rule.method.name: unknown method 'median'" in x for x in e.value.problems)


def test_example_policy_file(example_data):
    p = mm.Policy.read(example_data / "policy_four_point.json")
    assert p.rule.method == mm.Method.decaying_average(0.65)
    assert p.scale == mm.Scale.four_point()


@pytest.mark.parametrize("option,bad,allowed", [
    ("infer_prerequisites", "all", "'none', 'required' or 'gating'"),
    ("rollup_precedence", "sometimes", "'rollup', 'evidence', 'either' or 'both'"),
])
def test_bad_option_values_raise_policy_error_as_the_json_path_does(option, bad, allowed):
    want = [f"{option}: unknown value '{bad}' (expected {allowed})"]
    with pytest.raises(mm.PolicyError) as e:
        mm.Policy(**{option: bad})
    assert e.value.problems == want
    p = mm.Policy()
    before = p.to_json()
    with pytest.raises(mm.PolicyError) as e:
        setattr(p, option, bad)
    assert e.value.problems == want and p.to_json() == before  # unchanged
    d = json.loads(before)
    d[option] = bad
    with pytest.raises(mm.PolicyError) as e:
        mm.Policy.from_json(json.dumps(d))
    assert e.value.problems == want
    # JSON null means the default, as an absent field does.
    d = json.loads(mm.Policy(infer_prerequisites="gating", rollup_precedence="both").to_json())
    d[option] = None
    back = mm.Policy.from_json(json.dumps(d))
    assert getattr(back, option) == getattr(mm.Policy(), option)


def test_a_misspelt_builtin_kind_in_a_policy_is_flagged_custom_kinds_are_not():
    with pytest.raises(mm.PolicyError) as e:
        mm.Policy(rule=mm.Rule(require_kinds=["discusion"]))
    assert e.value.problems == [
        "rule.require_kinds[0]: 'discusion' is a near-miss of the built-in kind 'discussion' "
        "(misspelt? a custom kind must differ from the built-in ones by more than case, '_', '-', "
        "spaces or one letter)"]
    p = mm.Policy()
    for bad, near in (("Discussion", "discussion"), ("pre-test", "pretest"),
                      ("observaton", "observation")):
        with pytest.raises(mm.PolicyError, match=f"near-miss of the built-in kind '{near}'"):
            p.override(domain="NF", rule=mm.Rule(ignore_kinds=[bad]))
    assert p.domain_rules == {}  # unchanged
    d = json.loads(mm.Policy().to_json())
    d["rule"]["require_kinds"] = ["discussion", "placemnt"]
    with pytest.raises(mm.PolicyError, match=r"rule.require_kinds\[1\]: 'placemnt'"):
        mm.Policy.from_json(json.dumps(d))
    # Genuinely custom kinds, and the built-in ones, are fine.
    ok = mm.Policy(rule=mm.Rule(require_kinds=["portfolio", "discussion"], ignore_kinds=["peer"]))
    assert ok.problems() == []


def test_none_means_the_default_as_json_null_does():
    p = mm.Policy(infer_prerequisites=None, rollup_precedence=None)
    assert p.infer_prerequisites == "required" and p.rollup_precedence == "rollup"
    assert p == mm.Policy()
    doc = json.loads(mm.Policy().to_json())
    for key in ("infer_prerequisites", "rollup_precedence"):
        if key in doc:
            doc[key] = None
    assert mm.Policy.from_json(json.dumps(doc)) == p
    with pytest.raises(TypeError, match="infer_prerequisites"):
        mm.Policy(infer_prerequisites=1)
