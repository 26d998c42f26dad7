"""Edges of the boundary found by a fresh user's try-out: numbers as competency keys, index
arrays, a BKT model's JSON, Tracer.update's answer, kinds on both ingest paths, values the log
cannot hold, basic-form dates, lone surrogates and messages that named internal functions."""
import datetime as dt
import json
import math
import os

import numpy as np
import pandas as pd
import pytest

import masterymap as mm

POLICY = mm.Policy(mm.Scale.four_point())


def framework(ids, prerequisites=()):
    b = mm.FrameworkBuilder("edges")
    for c in ids:
        b.add_competency(c, title="c" + c)
    for dep, pre in prerequisites:
        b.add_prerequisite(dep, prerequisite=pre)
    return b.build()


# --- a number as a competency key: an id when the framework has it, never silently both ------

def test_int_key_is_the_id_with_its_text_when_the_framework_has_one():
    fw = framework(["10", "20", "30"], [("20", "10")])
    r = mm.Roster(fw, POLICY)
    r.ingest({"learner": [7, 7], "competency": [10, 10], "time": [0, 1], "score": [4, 4]})
    st = r.learner(7)
    # 10 is no index of a 3-competency framework, but it is an id: the one a batch stored
    for key in ("10", 10, np.int64(10), 10.0, np.float32(10)):
        assert st.status(key) == "exceeded"
    assert fw.prerequisites(20) == ["10"]
    assert fw.index_of("20") == 1
    # an index that is no id stays an index
    assert st.status(0) == "exceeded"


def test_int_key_that_is_an_id_and_another_competencys_index_is_an_error():
    fw = framework(["1", "0", "2"])
    r = mm.Roster(fw, POLICY)
    r.ingest({"learner": [7, 7], "competency": [1, 1], "time": [0, 1], "score": [4, 4]})
    st = r.learner(7)
    assert st.status("1") == "exceeded"
    for key in (1, np.int64(1), 1.0, 0, 0.0):  # 1: the id '1' or index 1 ('0')?
        with pytest.raises(ValueError, match=r"is both the id '\w' .* and the index of '\w'"):
            st.status(key)
    with pytest.raises(ValueError, match="both the id '1'"):
        st.explain(1)
    # 2 is the id '2' at index 2: one reading, no error
    assert fw.prerequisites(2) == [] and fw[2].id == "2"
    assert fw[np.int64(2)].id == fw[2.0].id == "2"


def test_int_goal_keys_and_out_of_range_numbers():
    fw = framework(["1", "2", "3"], [("2", "1")])
    r = mm.Roster(fw, POLICY)
    r.ingest({"learner": [1], "competency": [1], "time": [0], "score": [4]})
    st = r.learner(1)
    # 3 is the id '3' (index 3 does not exist): path_to and recommend read it as the id
    assert st.path_to([3]).steps is not None
    st.recommend(k=2, goals=[3])
    with pytest.raises(IndexError, match="no competency has the id '7'"):
        st.status(7)
    for bad in (1.5, float("nan"), float("inf"), True, np.bool_(True), b"1", None):
        with pytest.raises(TypeError, match="a competency id .str. or a framework index"):
            st.status(bad)


# --- index arrays: integers only, floats only when integral ------------------------------------

@pytest.fixture(scope="module")
def fw6():
    return framework(["a", "b", "c", "d", "e", "f"], [("b", "a"), ("c", "b"), ("f", "e")])


def test_index_arrays_refuse_fractions_booleans_and_bytes(fw6):
    assert fw6.ancestors(5).tolist() == fw6.ancestors(np.array([5])).tolist() \
        == fw6.ancestors(5.0).tolist() == fw6.ancestors(np.array([5.0])).tolist() == [4]
    assert fw6.ids_of(np.array([5.0, 0.0])) == ["f", "a"]
    for call in (lambda: fw6.ancestors(5.9), lambda: fw6.ids_of(np.array([5.9])),
                 lambda: fw6.descendants(np.array([0.5]))):
        with pytest.raises(TypeError, match=r"indices\[0\] must be an integer"):
            call()
    for bad in (np.array([True, False]), [True], "ab", b"\xff", True):
        with pytest.raises(TypeError, match="indices must be an int or an array of indices"):
            fw6.ids_of(bad)
    with pytest.raises(TypeError, match="ids must be a list of competency ids or indices"):
        fw6.subgraph(b"\xff")
    with pytest.raises(TypeError, match=r"ids\[0\] must be a competency id"):
        fw6.subgraph(np.array([1.7, 2.2]))
    with pytest.raises(IndexError, match="negative index"):
        fw6.ids_of(np.array([-1]))
    assert sorted(fw6.subgraph([0.0, 1]).ids_of(np.arange(2))) == ["a", "b"]


# --- Tracer.update checks its answer as Model.update does --------------------------------------

def test_tracer_update_takes_0_or_1_only():
    m = mm.bkt.fit(pd.DataFrame({"user_id": np.repeat(np.arange(20), 4),
                                 "skill_name": np.tile([1, 1, 2, 2], 20),
                                 "correct": np.tile([0, 1, 1, 1], 20)}), num_fits=1, seed=1)
    ref = m.tracer().update("a", "1", 1)
    for good in (1, True, np.int64(1), np.bool_(True)):
        assert m.tracer().update("a", "1", good) == ref
    for bad in (0.1, float("nan"), 1.0, "no", None):
        with pytest.raises(TypeError, match=r"Tracer.update\(\): correct must be 0 or 1"):
            m.tracer().update("a", "1", bad)
        with pytest.raises(TypeError):
            m.update("a", "1", bad)
    for bad in (2, -1, np.int64(2)):
        with pytest.raises(ValueError, match="correct must be 0 or 1"):
            m.tracer().update("a", "1", bad)
        with pytest.raises(ValueError, match="correct must be 0 or 1"):
            m.update("a", "1", bad)
    # the same answer gives the same result on both
    t1, t2 = m.tracer(), m.tracer()
    assert t1.update("a", "1", 1) == t2.update("a", "1", True)


# --- a BKT model's JSON carries what the Python model knows, with a checksum -------------------

@pytest.fixture(scope="module")
def int_skill_model():
    rng = np.random.default_rng(3)
    tr = pd.DataFrame({"learner": np.repeat(np.arange(40), 6),
                       "skill_id": np.tile([11, 11, 11, 22, 22, 22], 40).astype(np.int64),
                       "ok": rng.integers(0, 2, 240)})
    m = mm.bkt.fit(tr, learner="learner", skill="skill_id", correct="ok", num_fits=1, seed=1)
    return tr, m


def test_model_json_round_trip_keeps_columns_and_id_dtype(int_skill_model, tmp_path):
    tr, m = int_skill_model
    path = tmp_path / "m.json"
    m.save(path)
    for m2 in (mm.bkt.Model.from_json(m.to_json()), mm.bkt.Model.load(path)):
        assert m2 == m
        wide = m2.params(wide=True)
        assert wide.index.dtype == np.int64
        assert not tr.skill_id.map(wide["prior"]).isna().any()
        pd.testing.assert_frame_equal(m2.predict(tr), m.predict(tr))  # no skill= needed
    assert json.loads(m.to_json())["version"] == 2
    assert m.to_json() == path.read_text()  # to_json is what save writes


def test_model_checksum_is_required_from_version_2(int_skill_model, tmp_path):
    _, m = int_skill_model
    text = m.to_json()
    j = json.loads(text)
    prior = j["skills"][0]["prior"]
    damaged = {
        "deleted": {k: v for k, v in j.items() if k != "checksum"},
        "renamed": {("checksuX" if k == "checksum" else k): v for k, v in j.items()},
        "edited": {**j, "skills": [{**j["skills"][0], "prior": 0.99}] + j["skills"][1:]},
    }
    for name, doc in damaged.items():
        if name != "edited":
            doc["skills"][0]["prior"] = 0.99 if name == "deleted" else prior
        with pytest.raises(mm.ParseError, match="checksum"):
            mm.bkt.Model.from_json(json.dumps(doc))
        (tmp_path / "d.json").write_text(json.dumps(doc))
        with pytest.raises(mm.ParseError, match="checksum"):
            mm.bkt.Model.load(tmp_path / "d.json")
    # version 1 (older files): read with or without a checksum; no extra: default columns
    old = {k: v for k, v in j.items() if k not in ("checksum", "extra")}
    old["version"] = 1
    m1 = mm.bkt.Model.from_json(json.dumps(old))
    assert m1.core == m.core
    assert m1.params(wide=True).index.dtype == object


# --- one faulty batch: the same problems from Roster.ingest and from extend(framework, policy) --

def test_roster_ingest_and_extend_list_the_same_problems():
    fw = framework(["a", "b"], [("b", "a")])
    bad = pd.DataFrame({"learner": ["x", "y", None], "competency": ["zz", "b", "a"],
                        "time": ["soon", 1, 1], "score": ["Great", np.nan, 3],
                        "kind": ["weird", "formative", "x"]})
    r = mm.Roster(fw, POLICY)
    with pytest.raises(mm.EvidenceError) as by_roster:
        r.ingest(bad)
    log = mm.EvidenceLog()
    with pytest.raises(mm.EvidenceError) as by_log:
        log.extend(bad, framework=fw, policy=POLICY)
    # The same problems, except kinds: a roster takes any kind, a log only its own and the
    # policy's (issue 11: extend(policy=) refuses every other unknown kind).
    kind_problems = [p for p in by_log.value.problems if "unknown kind" in p["message"]]
    assert [p["message"].split(" (")[0] for p in kind_problems] == [
        "row 0: unknown kind 'weird'", "row 2: unknown kind 'x'"]
    assert by_roster.value.problems == [p for p in by_log.value.problems
                                        if p not in kind_problems]
    assert [p["message"] for p in by_roster.value.problems] == [
        "row 0: unknown competency 'zz'", "row 0: bad time 'soon'",
        "row 0: bad score 'Great' (not a number or a label of the scale)",
        "row 1: missing score", "row 2: missing learner id"]
    # a new kind: taken by the roster (with the batch), refused by a log with or without a policy
    one = pd.DataFrame({"learner": ["x"], "competency": ["a"], "time": [1], "score": [3],
                        "kind": ["weird"]})
    assert r.ingest(one)["rows"] == 1 and "weird" in r.log.kinds
    with pytest.raises(mm.EvidenceError, match="unknown kind 'weird'"):
        log.extend(one, framework=fw, policy=POLICY)
    assert "weird" not in log.kinds and len(log) == 0
    with pytest.raises(mm.EvidenceError, match="unknown kind 'weird'"):
        mm.EvidenceLog().extend(one)


# --- values the log cannot hold are bad rows ---------------------------------------------------

def test_scores_beyond_float32_and_times_beyond_datetime64ns_are_bad_rows():
    fw = framework(["a"])
    r = mm.Roster(fw, mm.Policy(mm.Scale.percent(80)))

    def rows(**cols):
        return {"learner": ["x"] * len(cols["time"]), "competency": ["a"] * len(cols["time"]),
                **cols}

    cases = [
        (rows(time=[1], score=[1e40]), "row 0: score 1e+40 is too large to store"),
        (rows(time=[1], score=[-1e39]), "row 0: score -1e+39 is too large to store"),
        (rows(time=[1], score=[math.inf]), "row 0: score is infinite (inf)"),
        (rows(time=[1], score=[math.nan]), "row 0: missing score"),
        (rows(time=[1704099600000], score=[3]),
         "outside the range of datetime64[ns] (1677-09-21 to 2262-04-11, -9223372036 to "
         "9223372036 seconds since the epoch); it looks like milliseconds since the epoch: "
         "divide by 1000"),
        (rows(time=[1e300], score=[3]), "row 0: time 1e+300 (1e+300 s) is outside the range"),

        (rows(time=[math.nan], score=[3]), "row 0: missing time"),
        (rows(time=[None], score=[3]), "row 0: missing time"),
        (rows(time=pd.to_datetime([None]), score=[3]), "row 0: missing time"),
        (rows(time=[1], score=[3], weight=[1e39]), "row 0: weight 1e+39 is too large"),
    ]
    for data, message in cases:
        log = mm.EvidenceLog()
        with pytest.raises(mm.EvidenceError) as e:
            log.extend(data)
        assert message in str(e.value), (data, str(e.value))
        assert len(log) == 0
        log.extend(rows(time=[1], score=[1e-50]))  # tiny: stored as 0, fine
        log.to_dataframe()  # never broken by a stored value
    # a date out of range is no millisecond count: it shows as a date, without that hint
    with pytest.raises(mm.EvidenceError) as e:
        mm.EvidenceLog().extend(
            rows(time=[dt.datetime(3000, 1, 1, tzinfo=dt.timezone.utc)], score=[3]))
    assert "row 0: time 32503680000 (3000-01-01T00:00:00Z) is outside the range" in str(e.value)
    assert "milliseconds" not in str(e.value)
    with pytest.raises(mm.EvidenceError, match="missing time"):
        mm.EvidenceLog().add("x", "a", score=3, time=None)
    with pytest.raises(mm.EvidenceError, match="missing score"):
        mm.EvidenceLog().add("x", "a", score=None, time=1)
    with pytest.raises(mm.EvidenceError, match="milliseconds"):
        r.add("x", "a", 50, 1704099600000)
    with pytest.raises(mm.EvidenceError, match="milliseconds"):
        r.ingest(rows(time=[1704099600000.0], score=[50.0]))
    assert len(r.log) == 0


# --- "20240910" is no time: ambiguous, and the message says what to write ----------------------

def test_basic_form_dates_are_ambiguous():
    with pytest.raises(mm.ParseError, match=r"'20240910' is ambiguous .* '2024-09-10'"):
        mm.to_seconds("20240910")
    with pytest.raises(mm.ParseError, match="ambiguous"):
        mm.evaluate(framework(["a"]), POLICY, mm.EvidenceLog(), "x", as_of="20240910")
    with pytest.raises(mm.EvidenceError, match=r"row 0: bad time '20240910' \(ambiguous.*"
                                               r"2024-09-10"):
        mm.EvidenceLog().extend({"learner": ["x"], "competency": ["a"], "time": ["20240910"],
                                 "score": [3]})
    assert mm.to_seconds("2024-09-10") == mm.to_seconds(20240910 * 0 + 1725926400)
    assert mm.to_seconds("20241399") == 20241399.0  # no date: a number of seconds
    assert mm.to_seconds("1725926400") == 1725926400.0


# --- lone surrogates: the row and column, not a conversion error of an internal function ------

def test_lone_surrogates_name_the_row_and_column():
    data = {"learner": ["ok", "a\udce9", "b"], "competency": ["a", "a", "c\udcff"],
            "time": [1, 2, 3], "score": [3, 3, 3]}
    log = mm.EvidenceLog()
    with pytest.raises(ValueError) as e:
        log.extend(data)
    text = str(e.value)
    assert "row 1, column 'learner': not valid text (lone surrogate '\\udce9' at position 1" in text
    assert "row 2, column 'competency'" in text and "surrogateescape? pass encoding=" in text
    assert "_append_columns" not in text and len(log) == 0
    with pytest.raises(ValueError, match=r"EvidenceLog.add\(\): learner: not valid text"):
        log.add("a\udce9", "a", score=3, time=1)
    with pytest.raises(ValueError, match="row 1, column 'learner'"):
        mm.Roster(framework(["a", "c\udcff".encode("utf-8", "replace").decode()]),
                  POLICY).ingest(data)


# --- messages name the public function and the parameter ---------------------------------------

def test_messages_name_public_functions_and_parameters():
    fw = framework(["a"])
    r = mm.Roster(fw, POLICY)
    with pytest.raises(TypeError, match=r"^EvidenceLog.add\(\): weight must be a number, got "
                                        r"str 'x'"):
        mm.EvidenceLog().add("x", "a", score=3, time=0, weight="x")
    with pytest.raises(TypeError, match=r"^Roster.pacing\(\): plan must be a PacePlan"):
        r.pacing("x")
    with pytest.raises(TypeError, match=r"^Roster.add\(\): weight must be a number, got str"):
        r.add("x", "a", 3, 0, weight="x")
    with pytest.raises(TypeError, match="column 'learner' must be an array or a list"):
        mm.EvidenceLog().extend({"learner": "x", "competency": "a", "time": 1, "score": 3})
    with pytest.raises(ValueError, match="duplicate column 'score'"):
        mm.EvidenceLog().extend(pd.DataFrame([["x", "a", 1, 3, 4]], columns=[
            "learner", "competency", "time", "score", "score"]))
    with pytest.raises(TypeError, match="column 'time': period"):
        mm.EvidenceLog().extend({"learner": ["x"], "competency": ["a"], "score": [3],
                                 "time": pd.period_range("2024-01", periods=1, freq="M")})
    with pytest.raises(mm.EvidenceError, match=r"bytes learner id b'1' \(an id is text or an "
                                               r"integer"):
        mm.EvidenceLog().add(b"1", "a", score=1, time=0)


# --- policy JSON: a misspelt key is reported, not dropped with what is under it ----------------

def test_policy_json_reports_unknown_keys_at_every_level():
    import json as _json
    good = mm.Policy(mm.Scale.four_point(), rule=mm.Rule(method=mm.Method.decaying_average(0.6)))
    good.override(domain="NF", rule=mm.Rule(min_evidence=2))
    good.rollup("U", mm.Rollup.points(3, {"A": 2, "B": 1}, ["A"]))
    d = _json.loads(good.to_json())
    assert mm.Policy.from_json(_json.dumps(d)) == good  # what to_json writes reads back
    d["overrides"]["domdins"] = d["overrides"].pop("domains")
    d["rollup_precedence "] = "rollup"
    d["scale"]["mastry"] = "Proficient"
    d["scale"]["ratings"][0]["lable"] = "x"
    d["rule"]["method"]["ww"] = 0.5
    d["rollups"]["U"]["groups"][0]["itmes"] = []
    d["rollups"]["U"]["groups"][0]["items"][0]["pionts"] = 2
    with pytest.raises(mm.PolicyError) as e:
        mm.Policy.from_json(_json.dumps(d))
    text = str(e.value)
    for path in ("overrides.domdins", "rollup_precedence ", "scale.mastry", "scale.ratings[0].lable",
                 "rule.method.ww", "rollups['U'].groups[0].itmes",
                 "rollups['U'].groups[0].items[0].pionts"):
        assert f"{path}: unknown field" in text, (path, text)


def test_a_datetime64_array_out_of_the_ns_range_is_a_bad_row_not_a_pandas_error():
    batch = {"learner": ["x", "x"], "competency": ["a", "a"], "score": [3, 3],
             "time": np.array(["3000-01-01", "2024-09-10"], dtype="datetime64[s]")}
    log = mm.EvidenceLog()
    with pytest.raises(mm.EvidenceError, match=r"row 0: time 32503680000 \(3000-01-01T00:00:00Z\)"):
        log.extend(batch)
    assert len(log) == 0
    batch["time"] = np.array(["2024-09-10T08:00:00.123456", "NaT"], dtype="datetime64[us]")
    with pytest.raises(mm.EvidenceError, match="row 1: missing time"):
        log.extend(batch)
    batch["time"] = np.array(["2024-09-10T08:00:00.123456", "2024-09-11"], dtype="datetime64[us]")
    log.extend(batch)
    assert log._columns()["time"].tolist() == [
        pd.Timestamp("2024-09-10T08:00:00.123456", tz="UTC").timestamp(),
        pd.Timestamp("2024-09-11", tz="UTC").timestamp()]


def test_indices_of_2_to_the_32_and_beyond_are_out_of_range_not_wrapped():
    fw = framework(["a", "b", "c"])
    for bad in (2**32 + 1, np.array([2**32]), np.array([2**32 + 1], dtype=np.uint64),
                np.array([1e20]), [3]):
        for call in (fw.ids_of, fw.ancestors, fw.descendants):
            with pytest.raises(IndexError, match="out of range"):
                call(bad)
    assert fw.ids_of(np.array([2, 0], dtype=np.uint64)) == ["c", "a"]
