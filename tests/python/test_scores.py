"""Scores: a label of the scale is a score wherever the scale is known, and an error that says
to pass the policy where it is not; a missing value in any numeric column (pandas' nullable
Int64, boolean and Float64 included) is an error naming its rows."""
import numpy as np
import pandas as pd
import pytest

import masterymap as mm

POLICY = mm.Policy(mm.Scale.four_point())


def frame(scores, **extra):
    n = len(scores)
    return pd.DataFrame({"learner": [f"s{i}" for i in range(n)], "competency": ["A"] * n,
                         "score": scores, "time": np.arange(1.0, n + 1), **extra})


def stored_scores(log):
    return log.to_dataframe().score.tolist()


def test_labels_are_scores_wherever_the_scale_is_known(fw, tmp_path):
    labels, numbers = ["Beginning", "Proficient", "Advanced"], [1.0, 3.0, 4.0]
    assert stored_scores(mm.EvidenceLog().extend(frame(labels), policy=POLICY)) == numbers
    assert stored_scores(mm.EvidenceLog().extend(frame(labels).to_dict("records"),
                                                 policy=POLICY)) == numbers
    assert stored_scores(mm.EvidenceLog.from_arrays(["s"] * 3, ["A"] * 3, labels, [1.0, 2.0, 3.0],
                                                    policy=POLICY)) == numbers
    log = mm.EvidenceLog()
    for i, label in enumerate(labels):
        log.add("s", "A", label, float(i), policy=POLICY)
    assert stored_scores(log) == numbers
    path = tmp_path / "labels.csv"
    frame(labels).to_csv(path, index=False)
    assert stored_scores(mm.EvidenceLog.read_csv(path, policy=POLICY)) == numbers
    # the roster knows its scale: no policy= needed
    r1, r2, r3 = (mm.Roster(fw, POLICY, threads=1) for _ in range(3))
    r1.ingest(frame(labels))
    r2.ingest(frame(labels).to_dict("records"))
    for i, label in enumerate(labels):
        r3.add(f"s{i}", "A", label, float(i + 1))
    for r in (r1, r2, r3):
        assert stored_scores(r.log) == numbers
    pd.testing.assert_frame_equal(r1.to_dataframe(), r3.to_dataframe())
    # labels and numbers mix in one column
    assert stored_scores(mm.EvidenceLog().extend(frame(["Advanced", 2.0, "3"]), policy=POLICY)) == \
        [4.0, 2.0, 3.0]


def test_a_label_without_a_scale_says_to_pass_the_policy(tmp_path):
    hint = r"bad score 'Proficient' \(not a number; to use the labels of a scale, pass its policy: policy="
    with pytest.raises(mm.EvidenceError, match=hint):
        mm.EvidenceLog().add("s", "A", "Proficient", 1.0)
    with pytest.raises(mm.EvidenceError, match=hint):
        mm.EvidenceLog().extend(frame([3.0, "Proficient"]))
    with pytest.raises(mm.EvidenceError, match=hint):
        mm.EvidenceLog.from_arrays(["s"], ["A"], ["Proficient"], [1.0])
    path = tmp_path / "labels.csv"
    frame(["Proficient"]).to_csv(path, index=False)
    with pytest.raises(mm.EvidenceError, match=r"row 0 \(line 2\): " + hint):
        mm.EvidenceLog.read_csv(path)
    # with the scale, an unknown label says what it is not
    with pytest.raises(mm.EvidenceError, match=r"bad score 'Great' \(not a number or a label of the scale\)"):
        mm.EvidenceLog().extend(frame(["Great"]), policy=POLICY)


@pytest.mark.parametrize("dtype,values", [
    ("Int64", [1, None, 3, None]),
    ("Float64", [1.0, None, 3.0, None]),
    ("boolean", [True, None, False, None]),
    (object, [1.0, None, 3.0, pd.NA]),
])
@pytest.mark.parametrize("role", ["score", "weight", "time"])
def test_missing_values_in_nullable_columns_name_their_rows(fw, dtype, values, role):
    column = pd.array(values, dtype=dtype) if dtype != object else np.array(values, dtype=object)
    data = frame([1.0, 2.0, 3.0, 2.0]).assign(**{role: column})
    if role == "time" and dtype == "boolean":
        # booleans are no times at all: the column is refused by name (test_time.py), NA or not
        with pytest.raises(TypeError, match="column 'time': boolean values are not times"):
            mm.EvidenceLog().extend(data, framework=fw, policy=POLICY)
        return
    with pytest.raises(mm.EvidenceError) as by_log:
        mm.EvidenceLog().extend(data, framework=fw, policy=POLICY)
    assert by_log.value.rows == [1, 3]
    assert "ambiguous" not in str(by_log.value)
    r = mm.Roster(fw, POLICY)
    with pytest.raises(mm.EvidenceError) as by_roster:
        r.ingest(data)
    assert by_roster.value.problems == by_log.value.problems and len(r) == 0
    with pytest.raises(mm.EvidenceError) as by_arrays:
        mm.EvidenceLog.from_arrays(**{k: data[k] for k in ("learner", "competency", "score", "time")},
                                   **({"weight": data[role]} if role == "weight" else {}),
                                   policy=POLICY)
    assert by_arrays.value.rows == [1, 3]


def test_one_missing_score_or_weight(fw):
    for missing in (None, pd.NA, np.nan):
        with pytest.raises(mm.EvidenceError, match="row 0: missing score"):
            mm.EvidenceLog().add("s", "A", missing, 1.0)
        with pytest.raises(mm.EvidenceError, match="row 0: weight is not a number"):
            mm.EvidenceLog().add("s", "A", 2.0, 1.0, weight=missing)
        r = mm.Roster(fw, POLICY)
        with pytest.raises(mm.EvidenceError, match="row 0: missing score"):
            r.add("s", "A", missing, 1.0)
        with pytest.raises(mm.EvidenceError, match="row 0: weight is not a number"):
            r.add("s", "A", 2.0, 1.0, weight=missing)
        assert len(r) == 0 and len(r.log) == 0


def test_nullable_id_and_answer_columns_in_knowledge_tracing():
    good = pd.DataFrame({"user_id": ["a", "a", "b", "b"], "skill_name": ["s"] * 4,
                         "correct": [1, 0, 1, 1]})
    for dtype, values in (("Int64", [1, None, 0, None]), ("boolean", [True, None, False, None]),
                          ("Float64", [1.0, None, 0.0, None])):
        bad = good.assign(correct=pd.array(values, dtype=dtype))
        with pytest.raises(ValueError, match=r"must hold 0 or 1; row 1 has <NA>; row 3 has <NA>"):
            mm.bkt.dataset(bad)
    d = mm.bkt.dataset(good.assign(correct=pd.array([1, 0, 1, 1], dtype="Int64")))
    assert d.correct.tolist() == [1, 0, 1, 1]
    d = mm.bkt.dataset(good.assign(correct=pd.array([True, False, True, True], dtype="boolean")))
    assert d.correct.tolist() == [1, 0, 1, 1]
    with pytest.raises(ValueError, match="row 2: order key is NaN"):
        mm.bkt.dataset(good.assign(t=pd.array([1, 2, None, 4], dtype="Int64")), order="t")
    with pytest.raises(ValueError, match=r"bad learner ids in column 'user_id' \(1 rows\): row 2"):
        mm.bkt.dataset(good.assign(user_id=pd.array(["a", "a", None, "b"], dtype="string")))
