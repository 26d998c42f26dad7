"""Ids have one text whatever their Python, numpy or pandas type, on every path that takes them;
a value that is not an id (missing, non-integral, boolean) is an error naming its rows; BKT
results keep the id dtype they were given."""
import numpy as np
import pandas as pd
import pytest

import masterymap as mm
from masterymap import _ids, bkt


def two_competencies(*ids):
    b = mm.FrameworkBuilder()
    for c in ids or ("A", "B"):
        b.add_competency(c)
    return b.build()


POLICY = mm.Policy(mm.Scale.four_point())


def batch(learner, competency=None, score=None, time=None):
    n = len(learner)
    return pd.DataFrame({"learner": learner, "competency": competency or ["A"] * n,
                         "score": score or [3.0] * n, "time": time or list(range(1, n + 1))})


# --- the conversion itself -----------------------------------------------------------------------

@pytest.mark.parametrize("values", [
    [1, 2, 1],
    np.array([1, 2, 1], dtype=np.int64),
    np.array([1, 2, 1], dtype=np.uint8),
    np.array([1.0, 2.0, 1.0]),
    np.array([1.0, 2.0, 1.0], dtype=np.float32),
    pd.array([1, 2, 1], dtype="Int64"),
    pd.array([1.0, 2.0, 1.0], dtype="Float64"),
    pd.Categorical([1, 2, 1]),
    pd.Categorical([1.0, 2.0, 1.0]),
    ["1", "2", "1"],
    pd.array(["1", "2", "1"], dtype="string"),
    np.array([1, "2", 1.0], dtype=object),
    np.array([np.int64(1), 2, np.float64(1.0)], dtype=object),
])
def test_one_text_per_id_whatever_the_type(values):
    indices, names, rejected = _ids.ids(values, "learner")
    assert rejected == {}
    assert [names[i] for i in np.asarray(indices)] == ["1", "2", "1"]
    assert sorted(names) == ["1", "2"]  # each id once


def test_large_and_negative_integers_are_their_digits():
    for values, want in (([-3, 7], ["-3", "7"]), ([2 ** 40, 5], [str(2 ** 40), "5"]),
                         ([2 ** 64, 1], [str(2 ** 64), "1"]), ([-2.0, 1e15], ["-2", "1000000000000000"])):
        indices, names, _ = _ids.ids(values, "learner")
        assert [names[i] for i in np.asarray(indices)] == want


def test_values_that_are_not_ids_are_kept_apart_with_their_rows():
    col = _ids.ids(np.array([1.5, None, "", "a", True, 2.0, np.nan], dtype=object), "skill")
    assert _ids.id_rows(col, "skill") == [
        (0, "non-integral skill id 1.5"),
        (1, "missing skill id"),
        (2, "empty skill id"),
        (4, "boolean skill id True (an id is text or an integer)"),
        (6, "missing skill id"),
    ]
    for values, rows in (([1.0, np.nan, 2.5], [1, 2]), (pd.array([1, None, 3], dtype="Int64"), [1]),
                         (pd.array([True, None], dtype="boolean"), [0, 1]),
                         (pd.array(["a", None], dtype="string"), [1]),
                         (pd.Categorical(["a", None, "b"]), [1]), ([float("inf"), 1.0], [0])):
        assert [r for r, _ in _ids.id_rows(_ids.ids(values, "x"), "x")] == rows, values


def test_scalar_ids():
    for v in (1, np.int64(1), np.uint16(1), 1.0, np.float32(1.0), "1"):
        assert _ids.id_scalar(v, "learner") == ("1", "")
    assert _ids.id_scalar(1.5, "learner")[1] == "non-integral learner id 1.5"
    for v in (None, np.nan, pd.NA, pd.NaT):
        assert _ids.id_scalar(v, "learner") == ("", "missing learner id")
    assert _ids.id_scalar(True, "learner")[1].startswith("boolean learner id True")
    assert _ids.id_scalar(np.bool_(False), "learner")[1].startswith("boolean learner id False")
    with pytest.raises(ValueError, match="non-integral skill id 2.5"):
        _ids.id_text(2.5, "skill")


# --- the evidence paths ------------------------------------------------------------------------

def test_int_batch_then_float_batch_with_a_missing_value_is_one_history():
    """The issue's example: a learner given as 1 (int) in one batch and as 1.0 (float64, as
    pandas makes a column with a missing value) in another is one learner."""
    log = mm.EvidenceLog().extend(batch([1, 2]))
    with pytest.raises(mm.EvidenceError) as err:
        log.extend(batch([1.0, np.nan]))
    assert err.value.rows == [1] and "row 1: missing learner id" in str(err.value)
    assert log.learners == ["1", "2"] and len(log) == 2  # unchanged: the batch is all-or-nothing
    log.extend(batch([1.0, 2.0, 3.0]))
    assert log.learners == ["1", "2", "3"]
    log.extend(batch(pd.array([3, 1], dtype="Int64")))
    log.extend(batch(np.array(["2", 3, np.int64(1), np.float64(2.0)], dtype=object)))
    log.add(np.int64(2), "A", 3.0, 9.0)
    log.add(1.0, "A", 3.0, 9.0)
    assert log.learners == ["1", "2", "3"]
    assert len(log) == 2 + 3 + 2 + 4 + 2


def test_non_integral_and_boolean_ids_name_their_rows_with_every_other_problem():
    fw = two_competencies()
    data = batch([1.5, 2.0, True, np.nan], competency=["A", "X", "A", "A"],
                 score=[3.0, 3.0, 9.0, 3.0])
    with pytest.raises(mm.EvidenceError) as err:
        mm.EvidenceLog().extend(data, framework=fw, policy=POLICY)
    assert [p["message"] for p in err.value.problems] == [
        "row 0: non-integral learner id 1.5",
        "row 1: unknown competency 'X'",
        "row 2: boolean learner id True (an id is text or an integer)",
        "row 2: score 9 is outside [0, 4]",
        "row 3: missing learner id",
    ]
    assert err.value.rows == [0, 1, 2, 2, 3]
    assert err.value.problems[0]["ids"] == ["1.5"]


def test_competency_ids_are_canonical_too():
    fw = two_competencies("1", "2")
    log = mm.EvidenceLog().extend(batch(["s", "s"], competency=[1, 2.0]), framework=fw)
    log.extend(batch(["s"], competency=pd.array([2], dtype="Int64")), framework=fw)
    assert log.competencies == ["1", "2"]
    with pytest.raises(mm.EvidenceError, match="non-integral competency id 1.5"):
        log.extend(batch(["s"], competency=[1.5]), framework=fw)
    with pytest.raises(mm.EvidenceError, match="non-integral competency id 2.5"):
        log.add("s", 2.5, 3.0, 1.0)


def test_evidence_log_add_names_the_row_of_a_bad_id():
    log = mm.EvidenceLog()
    for bad, message in ((1.5, "row 0: non-integral learner id 1.5"), (None, "row 0: missing learner id"),
                         (np.nan, "row 0: missing learner id"), (pd.NA, "row 0: missing learner id"),
                         (True, "row 0: boolean learner id True")):
        with pytest.raises(mm.EvidenceError, match=message):
            log.add(bad, "A", 3.0, 1.0)
    assert len(log) == 0


def test_csv_ids_are_text_and_match_integer_ids(tmp_path):
    path = tmp_path / "e.csv"
    path.write_text("learner,competency,score,time\n1,A,3,1\n2,A,3,2\n")
    log = mm.EvidenceLog.read_csv(path)
    log.extend(batch([1.0, np.int64(2)]))
    assert log.learners == ["1", "2"]


def test_roster_ids_on_every_path():
    fw = two_competencies()
    r = mm.Roster(fw, POLICY, threads=1)
    r.ingest(batch([1, 2]))
    r.ingest(batch([1.0, 2.0]))
    r.ingest([{"learner": np.int64(2), "competency": "B", "score": 2.0, "time": 5.0}])
    r.add(1.0, "A", 3.0, 6.0)
    r.add(np.int64(1), "B", 3.0, 7.0)
    r.add(np.uint8(2), "A", 3.0, 8.0)
    assert r.learners == ["1", "2"]
    for bad, message in ((1.5, "row 0: non-integral learner id 1.5"), (np.nan, "row 0: missing learner id"),
                         (None, "row 0: missing learner id"), (True, "row 0: boolean learner id True")):
        with pytest.raises(mm.EvidenceError, match=message):
            r.add(bad, "A", 3.0, 9.0)
    with pytest.raises(mm.EvidenceError, match="row 0: non-integral competency id 0.5"):
        r.add(1, 0.5, 3.0, 9.0)
    with pytest.raises(mm.EvidenceError, match="row 1: non-integral learner id 2.5"):
        r.ingest(batch([1.0, 2.5]))
    assert r.learners == ["1", "2"] and len(r.log) == 8
    # lookups take the same forms
    assert 1 in r and np.int64(2) in r and 1.0 in r and "1" in r
    assert 3 not in r and 1.5 not in r and None not in r and True not in r
    assert r.learner(1).learner == r.learner(1.0).learner == r.learner(np.int64(1)).learner == "1"
    np.testing.assert_array_equal(r.last_evidence_times(np.int64(2)), r.last_evidence_times("2"))
    with pytest.raises(ValueError, match="non-integral learner id 1.5"):
        r.learner(1.5)
    eng = mm.Engine(fw, POLICY)
    assert eng.evaluate(r.log, np.int64(1)).statuses().tolist() == r.learner("1").statuses().tolist()
    assert mm.evaluate(fw, POLICY, r.log, 1.0).learner == "1"


# --- knowledge tracing ---------------------------------------------------------------------------

def responses(skill_values, learner_values=None, seed=3):
    """Simulated answers with the skills and learners replaced by the given id values."""
    sim = bkt.simulate([dict(skill=f"k{i}", prior=0.2, learns=0.15, guesses=0.2, slips=0.1)
                        for i in range(len(skill_values))], learners=30, length=12, seed=seed)
    skill_of = dict(zip([f"k{i}" for i in range(len(skill_values))], skill_values))
    out = pd.DataFrame({"user_id": sim.user_id, "skill_name": sim.skill_name.map(skill_of),
                        "correct": sim.correct})
    if learner_values is not None:
        out["user_id"] = out.user_id.str.slice(1).astype(np.int64).map(learner_values)
    return out


def test_bkt_results_keep_an_int64_skill_dtype():
    df = responses(np.array([10, 20, 30], dtype=np.int64))
    assert df.skill_name.dtype == np.int64
    model = bkt.fit(df, num_fits=1)
    wide = model.params(wide=True)
    assert wide.index.dtype == np.int64 and sorted(wide.index) == [10, 20, 30]
    assert sorted(model.skills) == [10, 20, 30] and all(isinstance(s, int) for s in model.skills)
    # .map(params) is not silently all-NaN
    learns = df.skill_name.map(wide.learns)
    assert learns.notna().all()
    assert learns.iloc[0] == wide.learns.loc[df.skill_name.iloc[0]]
    # merge with the input works
    merged = df.merge(wide.reset_index(), left_on="skill_name", right_on="skill", how="left")
    assert len(merged) == len(df) and merged.learns.notna().all()
    long = model.params()
    assert long.index.get_level_values("skill").dtype == np.int64
    assert long.loc[(20, "learns", "default"), "value"] == wide.learns.loc[20]
    # predict keeps the input's columns and dtypes
    pred = model.predict(df)
    assert pred.skill_name.dtype == np.int64 and pred.user_id.dtype == df.user_id.dtype
    pd.testing.assert_frame_equal(pred[df.columns], df)
    # ids in other forms mean the same skill
    assert model.mastery(1, np.int64(10)) == model.mastery("1", "10") == model.mastery(1.0, 10.0)
    p = model.update(np.int64(5), 20, 1)
    assert model.mastery("5", "20") == p and model.mastered(5.0, "20") == (p >= model.threshold)
    with pytest.raises(ValueError, match="non-integral skill id 2.5"):
        model.mastery(1, 2.5)


def test_bkt_online_ids_are_canonical():
    df = responses(np.array([10, 20], dtype=np.int64))
    model = bkt.fit(df, num_fits=1)
    t1, t2 = model.tracer(), model.tracer()
    a = bkt.update_batch(t1, np.array([7, 7, 8]), np.array([10, 20, 10]), np.array([1, 0, 1]))
    b = bkt.update_batch(t2, np.array([7.0, 7.0, 8.0]), pd.array([10, 20, 10], dtype="Int64"),
                         np.array([1, 0, 1]))
    np.testing.assert_array_equal(a, b)
    assert t1.learners == t2.learners == ["7", "8"]
    assert t1.mastery(np.int64(7), 10.0) == t1.mastery("7", "10")
    with pytest.raises(ValueError, match="position 1: missing learner id"):
        bkt.update_batch(t1, np.array([7.0, np.nan]), np.array([10, 10]), np.array([1, 1]))
    t3 = model.tracer()
    t3.update(7, np.int64(10), True)
    assert t3.opportunities(7.0, 10) == 1 and t3.opportunities("7", "20") == 0
    assert t3.learner_index(np.int64(7)) == t3.learner_index("7") == 0
    # skill_of maps competency ids to skills in any form
    src = model.probability_source(skill_of={1: 10, "2": np.int64(20)})
    direct = model.probability_source()
    assert src.probability("s", "1", [1.0, 1.0]) == direct.probability("s", "10", [1.0, 1.0])
    assert src.probability("s", "2", [0.0]) == direct.probability("s", "20", [0.0])


def test_bkt_skills_and_fixed_take_ids_in_any_form():
    df = responses(np.array([10, 20], dtype=np.int64))
    model = bkt.Model(num_fits=1, fixed={20: {"learns": 0.25}})
    model.fit(df, skills=[np.int64(20)])
    assert model.skills == [20]
    assert model.params(wide=True).learns.loc[20] == 0.25


def test_bkt_float_skill_ids_with_a_missing_value_name_the_rows():
    df = responses(np.array([10.0, 20.0]))
    model = bkt.fit(df, num_fits=1)
    assert model.params(wide=True).index.dtype == np.float64
    assert sorted(model.skills) == [10.0, 20.0]
    bad = df.copy()
    bad.loc[[3, 7], "skill_name"] = np.nan
    bad.loc[5, "skill_name"] = 10.5
    with pytest.raises(ValueError) as err:
        bkt.fit(bad)
    msg = str(err.value)
    assert "column 'skill_name' (3 rows)" in msg
    assert "row 3: empty skill (missing value)" in msg and "row 7: empty skill" in msg
    assert "row 5: non-integral skill id 10.5" in msg


def test_bkt_text_and_categorical_ids_stay_text():
    df = responses(["a", "b"])
    assert bkt.fit(df, num_fits=1).params(wide=True).index.dtype == object
    cat = df.assign(skill_name=df.skill_name.astype("category"))
    model = bkt.fit(cat, num_fits=1)
    assert sorted(model.skills) == ["a", "b"]
    assert cat.skill_name.map(model.params(wide=True).learns).notna().all()
    icat = responses(np.array([10, 20], dtype=np.int64))
    icat["skill_name"] = icat.skill_name.astype("category")
    model = bkt.fit(icat, num_fits=1)
    assert model.params(wide=True).index.dtype == np.int64  # the categories' dtype
    assert icat.skill_name.map(model.params(wide=True).learns).astype(float).notna().all()


def test_bkt_learner_ids_are_canonical():
    df = responses(["a"], learner_values={i: i for i in range(30)})
    as_float = df.assign(user_id=df.user_id.astype(np.float64))
    d1, d2 = bkt.dataset(df), bkt.dataset(as_float)
    assert d1.learner_names == d2.learner_names
    assert d1.learner_names[:3] == [str(v) for v in pd.unique(df.user_id)[:3]]
