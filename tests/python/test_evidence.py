"""The evidence log: add, extend from DataFrames and arrays, CSV, whole-batch rejection."""
import datetime as dt
import pickle

import numpy as np
import pandas as pd
import pytest

import masterymap as mm


@pytest.fixture
def fw():
    b = mm.FrameworkBuilder("f")
    for c in ["A", "B"]:
        b.add_competency(c, domain="N")
    return b.build()


def test_add_and_read_back():
    log = mm.EvidenceLog()
    log.add("s1", "A", 3, "2024-03-01", kind="summative", weight=2, source="Ms. Rivera")
    log.add("s1", "A", 2.5, dt.datetime(2024, 3, 2, 9, 30))
    log.add("s2", "B", 4, dt.date(2024, 3, 3))
    log.add("s2", "B", 1, 1709251200.0)
    assert len(log) == 4
    df = log.to_dataframe()
    assert list(df.columns) == ["learner", "competency", "time", "score", "kind", "weight", "source"]
    # Times come back as datetime64[ns, UTC] (issue 10; they were float seconds before).
    assert str(df.time.dtype) == "datetime64[ns, UTC]"
    assert df.time.tolist() == [pd.Timestamp(t, unit="s", tz="UTC") for t in [
        1709251200.0, 1709251200.0 + 86400 + 9.5 * 3600, 1709251200.0 + 2 * 86400, 1709251200.0]]
    assert df.kind.tolist() == ["summative", "formative", "formative", "formative"]
    assert df.weight.tolist() == [2, 1, 1, 1]
    assert df.source.tolist()[0] == "Ms. Rivera"
    log.shrink_to_fit()
    assert log.event_bytes == 24 * len(log)


def test_extend_dataframe_with_categoricals_datetimes_and_labels(fw):
    pol = mm.Policy(mm.Scale.four_point())
    df = pd.DataFrame({
        "learner": pd.Categorical(["s1", "s2", "s1"]),
        "competency": ["A", "A", "B"],
        "score": ["Proficient", "2", "Advanced"],
        "time": pd.to_datetime(["2024-01-01", "2024-01-02", "2024-01-03"], utc=True),
        "kind": ["formative", "summative", "discussion"],
    })
    log = mm.EvidenceLog().extend(df, framework=fw, policy=pol)
    out = log.to_dataframe()
    assert out.score.tolist() == [3, 2, 4]
    assert out.time.iloc[0] == pd.Timestamp(1704067200.0, unit="s", tz="UTC")
    assert log.learners == ["s1", "s2"]


def test_from_arrays_and_renamed_columns():
    log = mm.EvidenceLog.from_arrays(np.array(["u1", "u2"]), np.array(["X", "Y"]), np.array([1.0, 0.0]),
                                     np.array([1, 2]))
    assert len(log) == 2
    log.extend({"user_id": ["u3"], "skill_name": ["X"], "correct": [1], "order_id": [3]},
               columns={"learner": "user_id", "competency": "skill_name", "score": "correct", "time": "order_id"})
    assert len(log) == 3


def test_bad_batch_is_rejected_whole_and_the_log_is_unchanged(fw):
    pol = mm.Policy(mm.Scale.four_point())
    log = mm.EvidenceLog()
    log.add("s1", "A", 3, 1)
    before = log.to_dataframe()
    bad = pd.DataFrame({
        "learner": ["s2", "s2", "s2", "s2", "s2", "s2"],
        "competency": ["A", "Z", "A", "B", "A", "B"],
        "score": [3, 3, np.nan, 3, 9, 2],
        "time": ["2024-01-01", "2024-01-01", "2024-01-01", "not a time", "2024-01-01", "2024-01-01"],
        "kind": ["formative", "formative", "formative", "formative", "quiz", "formative"],
        "weight": [1, 1, 1, 1, 1, -2],
    })
    with pytest.raises(mm.EvidenceError) as e:
        log.extend(bad, framework=fw, policy=pol)
    assert isinstance(e.value, mm.ValidationError)
    # with framework= and policy= a batch is checked as Roster.ingest checks it, except a kind
    # neither the log nor the policy names ('quiz'): a problem (a roster would take it)
    assert e.value.rows == [1, 2, 3, 4, 4, 5]
    messages = [p["message"] for p in e.value.problems]
    assert messages == [
        "row 1: unknown competency 'Z'",
        "row 2: missing score",
        "row 3: bad time 'not a time'",
        "row 4: unknown kind 'quiz' (a log takes the built-in kinds, 'waiver:<reason>' too, its "
        "own (add_kind) and, "
        "checked against a policy, the policy's; a roster takes any)",
        "row 4: score 9 is outside [0, 4]",
        "row 5: negative weight -2",
    ]
    assert "quiz" not in log.kinds  # a rejected batch adds no kind
    assert len(log) == 1
    assert log.learners == ["s1"]
    pd.testing.assert_frame_equal(log.to_dataframe(), before)
    with pytest.raises(mm.EvidenceError):
        log.add("s1", "A", float("nan"), 2)
    assert len(log) == 1


def test_custom_kinds():
    log = mm.EvidenceLog(kinds=["project"])
    log.add("s1", "A", 3, 1, kind="project")
    assert "project" in log.kinds
    with pytest.raises(mm.EvidenceError):
        log.add("s1", "A", 3, 1, kind="quiz")


def test_read_csv(tmp_path, fw):
    path = tmp_path / "ev.csv"
    path.write_text("user_id,skill_name,order_id,correct\nu1,A,1,1\nu1,B,2,0\n")
    log = mm.EvidenceLog.read_csv(path, {"learner": "user_id", "competency": "skill_name", "time": "order_id",
                                         "score": "correct"}, framework=fw)
    assert len(log) == 2
    bad = tmp_path / "bad.csv"
    bad.write_text("learner,competency,time,score\ns1,A,1,3\ns1,Q,x,3\n")
    with pytest.raises(mm.EvidenceError) as e:
        log.append_csv(bad, framework=fw)
    assert e.value.rows == [1, 1]
    assert e.value.lines == [3, 3]
    assert e.value.problems[0]["message"] == "row 1 (line 3): unknown competency 'Q'"
    assert (e.value.problems[0]["row"], e.value.problems[0]["line"]) == (1, 3)
    assert len(log) == 2
    with pytest.raises(mm.MissingFileError):
        log.append_csv(tmp_path / "missing.csv")


def test_read_csv_keeps_timestamp_texts_as_the_frame_path_does(tmp_path):
    """Try-out finding: a log's frame written to CSV lost its timestamp texts on the way back
    (read_csv ignored the column). It reads them, checked as extend checks them."""
    texts = ["2024-03-01T11:00:00+02:00", "", "2024-03-01T09:00:01.5Z"]
    times = pd.to_datetime(["2024-03-01T09:00:00Z", "2024-03-01T09:00:01Z",
                            "2024-03-01T09:00:01.5Z"], utc=True)
    log = mm.EvidenceLog()
    log.extend(pd.DataFrame({"learner": ["ann", "ann", "bo"], "competency": ["A", "B", "A"],
                             "time": times, "score": [3.0, 2.0, 1.0], "timestamp": texts}))
    frame = log.to_dataframe()
    path = tmp_path / "log.csv"
    frame.to_csv(path, index=False)
    back = mm.EvidenceLog.read_csv(path)
    assert back == log
    assert [back.timestamp_text(i) for i in range(3)] == texts
    pd.testing.assert_frame_equal(back.to_dataframe(), frame)
    # another column name, by role
    path.write_text(path.read_text().replace(",timestamp", ",as_sent", 1))
    renamed = mm.EvidenceLog.read_csv(path, {"timestamp": "as_sent"})
    assert [renamed.timestamp_text(i) for i in range(3)] == texts
    # a column of empty fields keeps no text; a bad text is refused naming row, line and text
    plain = tmp_path / "plain.csv"
    plain.write_text("learner,competency,time,score,timestamp\nann,A,2024-03-01T09:00:00Z,3,\n")
    assert mm.EvidenceLog.read_csv(plain).timestamp_text(0) == ""
    bad = tmp_path / "bad.csv"
    bad.write_text("learner,competency,time,score,timestamp\n"
                   "ann,A,2024-03-01T09:00:00Z,3,2024-03-01T09:00:00Z\n"
                   "ann,A,2024-03-01T09:00:00Z,3,2024-03-01T10:00:00Z\n"
                   "ann,A,2024-03-01T09:00:00Z,3,yesterday\n")
    with pytest.raises(mm.EvidenceError) as e:
        mm.EvidenceLog.read_csv(bad)
    assert list(e.value.rows) == [1, 2] and list(e.value.lines) == [3, 4]
    assert e.value.problems[0]["message"] == (
        "row 1 (line 3): timestamp text '2024-03-01T10:00:00Z' denotes 2024-03-01T10:00:00Z, "
        "not the row's time 2024-03-01T09:00:00Z (the text must be the same instant, to the "
        "microsecond)")
    assert e.value.problems[1]["message"].startswith(
        "row 2 (line 4): timestamp text 'yesterday' is not an RFC 3339 date-time")
    with pytest.raises(ValueError, match="unknown column role 'stamp'"):
        mm.EvidenceLog.read_csv(plain, {"stamp": "timestamp"})
    # a column named "timestamp" mapped as the time is the time only (as for a frame)
    as_time = tmp_path / "as_time.csv"
    as_time.write_text("learner,competency,timestamp,score\nann,A,2024-03-01 09:00:00,3\n")
    log = mm.EvidenceLog.read_csv(as_time, {"time": "timestamp"})
    assert log.timestamp_text(0) == "" and log.to_dataframe()["time"][0] == times[0]


def test_read_csv_lists_every_row_of_the_wrong_width(tmp_path):
    """Issue 14: every row whose field count is not the header's, with the other rows' bad
    values, in file order, as one EvidenceError; nothing appended."""
    path = tmp_path / "ragged.csv"
    path.write_text("learner,competency,time,score\ns1,A,1\ns1,A,x,3\ns2,B,2,3,4\ns3,A,3,1\n")
    log = mm.EvidenceLog()
    log.add("s0", "A", 1, 1)
    with pytest.raises(mm.EvidenceError) as e:
        log.append_csv(path)
    assert [p["message"] for p in e.value.problems] == [
        "row 0 (line 2): has 3 fields, the header has 4",
        "row 1 (line 3): bad time 'x'",
        "row 2 (line 4): has 5 fields, the header has 4"]
    assert (e.value.rows, e.value.lines) == ([0, 1, 2], [2, 3, 4])
    assert len(log) == 1


@pytest.mark.parametrize("given,sep", [("\t", "\t"), ("tab", "\t"), ("TAB", "\t"), ("\\t", "\t"),
                                       (";", ";"), ("|", "|"), (",", ",")])
def test_read_csv_takes_the_delimiter_as_the_command_line_does(tmp_path, given, sep):
    """Issue 14: ``delimiter=`` in Python, the same forms as the CLI's ``--delimiter``."""
    path = tmp_path / "ev.txt"
    path.write_text(sep.join(["learner", "competency", "time", "score"]) + "\n"
                    + sep.join(["s1", "A", "1", "3"]) + "\n" + sep.join(["s2", "B", "2", "2.5"])
                    + "\n")
    log = mm.EvidenceLog.read_csv(path, delimiter=given)
    want = mm.EvidenceLog()
    want.extend(pd.DataFrame({"learner": ["s1", "s2"], "competency": ["A", "B"],
                              "time": [1.0, 2.0], "score": [3.0, 2.5]}))
    assert log == want
    again = mm.EvidenceLog()
    assert again.append_csv(path, delimiter=given) == want


def test_read_csv_rejects_what_the_command_line_rejects_as_a_delimiter(tmp_path):
    path = tmp_path / "ev.csv"
    path.write_text("learner,competency,time,score\ns1,A,1,3\n")
    for bad, why in (("ab", "expected one ASCII character or 'tab', got 'ab'"),
                     ("é", "expected one ASCII character or 'tab', got 'é'"),
                     ("", "expected one ASCII character or 'tab', got ''"),
                     ('"', "cannot be a quote or a line break"),
                     ("\n", "cannot be a quote or a line break")):
        with pytest.raises(ValueError) as e:
            mm.EvidenceLog.read_csv(path, delimiter=bad)
        assert str(e.value) == f"EvidenceLog.read_csv(): delimiter: {why}"
        with pytest.raises(ValueError, match="^EvidenceLog.append_csv\\(\\): delimiter: "):
            mm.EvidenceLog().append_csv(path, delimiter=bad)
    with pytest.raises(TypeError, match="delimiter must be a str, got int 9"):
        mm.EvidenceLog.read_csv(path, delimiter=9)
    # without it, a tab-separated file's error names the Python option too
    tabs = tmp_path / "tabs.txt"
    tabs.write_text("learner\tcompetency\ttime\tscore\ns1\tA\t1\t3\n")
    with pytest.raises(mm.ParseError, match="delimiter='tab' in Python"):
        mm.EvidenceLog.read_csv(tabs)


def test_retracting_a_source_not_in_the_log_is_reported_and_kept_pending():
    """Issue 14: ``retract`` says whether it matched evidence; a void before its statement is
    still allowed (xAPI) and listed in ``pending_retractions`` until the evidence comes."""
    log = mm.EvidenceLog()
    log.add("s1", "A", 3, 1, source="stmt-1")
    assert log.retract("typo", by="v0") is False
    assert log.pending_retractions == [("typo", "v0")]
    assert log.retract("stmt-1", by="v1") is True
    assert log.row_retracted(0)
    assert log.retract("stmt-1", by="v2") is False  # retracted before: nothing changes
    assert log.pending_retractions == [("typo", "v0")]
    assert log.retract("stmt-2") is False  # the void first ...
    assert log.pending_retractions == [("typo", "v0"), ("stmt-2", "")]
    log.add("s1", "A", 4, 2, source="stmt-2")  # ... then its statement: voided on arrival
    assert log.row_retracted(1)
    assert log.pending_retractions == [("typo", "v0")]
    assert log.retractions == [("typo", "v0"), ("stmt-1", "v1"), ("stmt-2", "")]


def test_pickle():
    log = mm.EvidenceLog(kinds=["project"])
    log.add("s1", "A", 3, 1, kind="project", weight=2, source="T")
    log.add("s2", "B", 1, 2)
    again = pickle.loads(pickle.dumps(log))
    pd.testing.assert_frame_equal(again.to_dataframe(), log.to_dataframe())


@pytest.mark.parametrize("dtype", [np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32, np.uint64])
def test_extend_takes_codes_of_any_integer_width(fw, dtype):
    # Categorical codes arrive as int8/int16/..., factorize's as int64: the core widens them.
    learners = ["s0", "s1", "s2"]
    codes = np.array([2, 0, 1, 2], dtype=dtype)
    log = mm.EvidenceLog()
    log._append_columns(4, {"learner": (codes, learners), "competency": (np.zeros(4, dtype=dtype), ["A"]),
                            "time": (np.arange(4.0),), "score": (np.array([1.0, 2, 3, 4]),)}, None)
    assert log.to_dataframe().learner.tolist() == ["s2", "s0", "s1", "s2"]


def test_missing_ids_in_categoricals_and_objects_are_reported_by_row(fw):
    df = pd.DataFrame({
        "learner": pd.Categorical(["s1", None, "s2", "s1"]),
        "competency": ["A", "B", None, "A"],
        "time": [1.0, 2.0, 3.0, 4.0],
        "score": [1.0, 2.0, 3.0, 4.0],
    })
    log = mm.EvidenceLog().extend(df.iloc[:1])
    with pytest.raises(mm.EvidenceError) as e:
        log.extend(df, framework=fw)
    assert e.value.rows == [1, 2]
    assert "missing learner id" in str(e.value) and "missing competency id" in str(e.value)
    assert len(log) == 1  # unchanged


def test_codes_must_be_integers():
    with pytest.raises(TypeError, match="integers"):
        mm.EvidenceLog()._append_columns(1, {"learner": (np.array([0.5]), ["s"]), "competency": (np.array([0]), ["A"]),
                                             "time": (np.array([1.0]),), "score": (np.array([1.0]),)}, None)


def test_column_cache_limit_round_trips():
    old = mm.set_column_cache_limit(0)  # returns every kept block to the system
    try:
        assert old >= 0
        log = mm.EvidenceLog().extend({"learner": ["s"] * 300_000, "competency": ["A"] * 300_000,
                                       "time": np.arange(300_000.0), "score": np.ones(300_000)})
        assert len(log) == 300_000
        assert mm.set_column_cache_limit(64 << 20) == 0
    finally:
        mm.set_column_cache_limit(old)


# --- issue 11: a policy's kinds, placement scores --------------------------------------------

KIND_FIELDS = ("require_kinds", "exempt_confirm_kinds", "ignore_kinds")


def policy_naming(kind, field, where):
    rule = mm.Rule(**{field: [kind]}, exempt_on_pretest=3.5)
    if where == "rule":
        return mm.Policy(mm.Scale.four_point(), rule=rule)
    p = mm.Policy(mm.Scale.four_point())
    p.override(domain="NF", rule=rule)
    return p


@pytest.mark.parametrize("where", ["rule", "override"])
@pytest.mark.parametrize("field", KIND_FIELDS)
def test_a_policys_own_kinds_are_known_with_or_without_a_framework(fw, tmp_path, field, where):
    # Final rule: with policy= a log takes its own kinds and every kind the policy names (added
    # with the batch); any other kind is an unknown kind; without a policy only its own.
    p = policy_naming("teacher_check", field, where)
    frame = pd.DataFrame({"learner": ["n"], "competency": ["A"], "score": [3], "time": [1],
                          "kind": ["teacher_check"]})
    (tmp_path / "e.csv").write_text("learner,competency,score,time,kind\nn,A,3,1,teacher_check\n")
    for framework in (None, fw):
        logs = [mm.EvidenceLog().add("n", "A", 3, 1, kind="teacher_check", framework=framework,
                                     policy=p),
                mm.EvidenceLog().extend(frame, framework=framework, policy=p),
                mm.EvidenceLog.from_arrays(["n"], ["A"], [3], [1], kind=["teacher_check"],
                                           framework=framework, policy=p),
                mm.EvidenceLog.read_csv(tmp_path / "e.csv", framework=framework, policy=p)]
        for log in logs:
            assert len(log) == 1 and "teacher_check" in log.kinds
        quiz = frame.assign(kind="quiz")
        log = mm.EvidenceLog()
        with pytest.raises(mm.EvidenceError, match="row 0: unknown kind 'quiz'"):
            log.extend(quiz, framework=framework, policy=p)
        with pytest.raises(mm.EvidenceError, match="unknown kind 'quiz'"):
            log.add("n", "A", 3, 1, kind="quiz", framework=framework, policy=p)
        assert len(log) == 0 and "quiz" not in log.kinds and "teacher_check" not in log.kinds
    with pytest.raises(mm.EvidenceError, match="unknown kind 'teacher_check'"):
        mm.EvidenceLog().add("n", "A", 3, 1, kind="teacher_check")
    with pytest.raises(mm.EvidenceError, match="unknown kind 'teacher_check'"):
        mm.EvidenceLog().extend(frame, framework=fw)


@pytest.mark.parametrize("field", KIND_FIELDS)
def test_placement_in_a_rules_kinds_is_a_policy_error(field):
    why = ("'placement' evidence never rates a competency: it places the learner in a domain")
    # (a Rule is checked when it is made; overrides in C++: test_policy.cpp)
    with pytest.raises(mm.PolicyError, match=f"rule.{field}\\[0\\]: {why}"):
        policy_naming("placement", field, "rule")


def test_a_placement_score_is_a_numeric_level_on_every_path(fw):
    pol = mm.Policy(mm.Scale.four_point())
    # a non-integer level: refused by the log's own checks too (one log, one answer), printed
    # as given (float32 scores: "2.9", not 2.9000000953674316)
    for kw in ({}, {"policy": pol}, {"framework": fw, "policy": pol}):
        log = mm.EvidenceLog()
        with pytest.raises(mm.EvidenceError,
                           match=r"^1 problem: row 0: score 2\.9 of a 'placement' row is not a level"):
            log.add("a", "A", 2.9, 1, kind="placement", **kw)
        with pytest.raises(mm.EvidenceError, match=r"row 1: score 2\.9 of a 'placement' row"):
            log.extend(pd.DataFrame({"learner": ["a", "a"], "competency": ["A", "A"],
                                     "score": np.array([3, 2.9], np.float32), "time": [1, 2],
                                     "kind": ["placement"] * 2}), **kw)
        assert len(log) == 0
    # a rating label is not a level: a bad row (a label of the scale rates a rating row)
    log = mm.EvidenceLog()
    with pytest.raises(mm.EvidenceError, match="score 'Proficient' of a 'placement' row is a "
                                               "rating label, not a level"):
        log.add("a", "A", "Proficient", 1, kind="placement", policy=pol)
    with pytest.raises(mm.EvidenceError, match="row 1: score 'Advanced' of a 'placement' row"):
        log.extend(pd.DataFrame({"learner": ["a", "a"], "competency": ["A", "A"],
                                 "score": ["Proficient", "Advanced"], "time": [1, 2],
                                 "kind": ["formative", "placement"]}), framework=fw, policy=pol)
    assert len(log) == 0
    r = mm.Roster(fw, pol)
    with pytest.raises(mm.EvidenceError, match="score 'Proficient' of a 'placement' row is a "
                                               "rating label"):
        r.add("a", "A", "Proficient", 1, kind="placement")
    assert len(r.log) == 0
    r.add("a", "A", "Proficient", 1)
    r.add("a", "A", 3, 2, kind="placement")
    assert len(r.log) == 2
    # the log the roster refuses is the log the log refuses
    ok = mm.EvidenceLog().add("a", "A", 3, 1, kind="placement")
    assert mm.Roster(fw, pol).ingest(ok)["rows"] == 1


def test_unused_categories_create_no_learners_competencies_kinds_or_sources(fw):
    """Try-out finding: a pandas Categorical column's unused categories were registered (a
    learner without rows counted by a roster, an empty name among them). Only names some row
    uses are added, in category order; the log, a roster and the engine agree."""
    cat = pd.Categorical
    frame = pd.DataFrame({
        "learner": cat(["bo", "ann", "bo"], categories=["zed", "bo", "", "ann", "amy"]),
        "competency": cat(["B", "A", "A"], categories=["B", "Z", "A"]),
        "time": [1.0, 2.0, 3.0], "score": [3.0, 2.0, 1.0],
        "kind": cat(["formative", "project", "formative"],
                    categories=["summative", "formative", "never_used", "project"]),
        "source": cat(["s1", "s2", "s1"], categories=["s0", "s1", "s2"])})
    # oracle: the categories some row uses, in category order
    used = {c: [x for x in frame[c].cat.categories if x in set(frame[c])]
            for c in ("learner", "competency", "source")}
    assert used["learner"] == ["bo", "ann"]
    log = mm.EvidenceLog(kinds=["project"])
    log.extend(frame)
    assert log.learners == used["learner"]
    assert log.competencies == used["competency"]
    assert set(log.sources) - {""} == set(used["source"])
    # the same rows with plain columns give the same log, names aside
    same = mm.EvidenceLog(kinds=["project"])
    same.extend(frame.astype({c: object for c in ("learner", "competency", "kind", "source")}))
    assert sorted(same.learners) == sorted(log.learners)
    pol = mm.Policy(mm.Scale.four_point(), mm.Rule(method=mm.Method.mean()))
    roster = mm.Roster(fw, pol)
    roster.ingest(frame)
    assert list(roster.learners) == used["learner"] and len(roster) == 2
    # a roster takes new kinds with the batch: the used ones only
    assert "project" in roster.log.kinds and "never_used" not in roster.log.kinds
    table = mm.ratings(fw, pol, log)
    assert set(table["learner"]) == {"bo", "ann"}
    # a batch whose only use of a category is a bad row still names it in the error
    bad = frame.assign(score=[3.0, 9.0, 1.0])
    with pytest.raises(mm.EvidenceError, match="row 1: score 9 is outside"):
        mm.EvidenceLog().extend(bad, framework=fw, policy=pol)
