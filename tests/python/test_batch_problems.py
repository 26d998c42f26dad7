"""Every ingest path reports every bad row of a batch at once, with the same messages and the
same (0-based) rows, and leaves the log or roster unchanged."""
import numpy as np
import pandas as pd
import pytest

import masterymap as mm

POLICY = mm.Policy(mm.Scale.four_point())


def faulty():
    """A batch with one good row and a different fault (or two) in each other row."""
    return pd.DataFrame({
        "learner": np.array(["s1", "s2", None, 1.5, "s3", True, "s4", "s5", "s6", "s7", 7],
                            dtype=object),
        "competency": ["A", "X", "A", "A", None, "B", "A", "A", "B", "A", "A"],
        "score": np.array([3.0, 3.0, 2.0, 1.0, 2.0, 2.0, 9.0, "Great", np.nan, 2.0, "Proficient"],
                          dtype=object),
        "time": np.array([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, "yesterday", 11.0],
                         dtype=object),
        "weight": [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, -2.0, np.nan],
    })


EXPECTED = [
    "row 1: unknown competency 'X'",
    "row 2: missing learner id",
    "row 3: non-integral learner id 1.5",
    "row 4: missing competency id",
    "row 5: boolean learner id True (an id is text or an integer)",
    "row 6: score 9 is outside [0, 4]",
    "row 7: bad score 'Great' (not a number or a label of the scale)",
    "row 8: missing score",
    "row 9: bad time 'yesterday'",
    "row 9: negative weight -2",
    "row 10: weight is not a number",
]


def problems(err):
    return [p["message"] for p in err.value.problems], list(err.value.rows)


def test_roster_ingest_lists_every_problem_extend_lists(fw):
    data = faulty()
    log = mm.EvidenceLog()
    with pytest.raises(mm.EvidenceError) as by_log:
        log.extend(data, framework=fw, policy=POLICY)
    messages, rows = problems(by_log)
    assert messages == EXPECTED
    assert rows == [int(m.split(":")[0].split()[1]) for m in EXPECTED]
    assert len(log) == 0

    roster = mm.Roster(fw, POLICY, threads=1)
    roster.ingest(data.iloc[[0]])
    before = roster.to_dataframe(all_competencies=True)
    for form in (data, data.to_dict("records"), {k: data[k].to_numpy() for k in data.columns}):
        with pytest.raises(mm.EvidenceError) as by_roster:
            roster.ingest(form)
        assert problems(by_roster) == (messages, rows)
        assert by_roster.value.problems == by_log.value.problems  # kinds and ids too
    # unchanged: tables, learners, log, evaluation time
    pd.testing.assert_frame_equal(roster.to_dataframe(all_competencies=True), before)
    assert roster.learners == ["s1"] and len(roster.log) == 1 and roster.as_of == 1.0


def test_a_log_ingested_into_a_roster_is_checked_against_its_framework_and_scale(fw):
    log = mm.EvidenceLog().extend(pd.DataFrame({
        "learner": ["a", "b", "c"], "competency": ["A", "X", "Y"], "score": [3.0, 7.0, 2.0],
        "time": [1.0, 2.0, 3.0]}))
    with pytest.raises(mm.EvidenceError) as by_log:
        mm.EvidenceLog().extend(log.to_dataframe(), framework=fw, policy=POLICY)
    roster = mm.Roster(fw, POLICY)
    with pytest.raises(mm.EvidenceError) as by_roster:
        roster.ingest(log)
    assert problems(by_roster) == problems(by_log) == (
        ["row 1: unknown competency 'X'", "row 1: score 7 is outside [0, 4]",
         "row 2: unknown competency 'Y'"], [1, 1, 2])
    assert len(roster) == 0


def test_one_event_reports_like_a_batch_of_one(fw):
    r = mm.Roster(fw, POLICY)
    cases = [(("s", "X", 3.0, 1.0), "row 0: unknown competency 'X'"),
             (("s", "A", 9.0, 1.0), "row 0: score 9 is outside [0, 4]"),
             (("s", "A", 3.0, "yesterday"), None),  # a time error; its form belongs to the times
             ((2.5, "A", 3.0, 1.0), "row 0: non-integral learner id 2.5")]
    for args, message in cases:
        with pytest.raises((mm.EvidenceError, ValueError)) as by_roster:
            r.add(*args)
        frame = pd.DataFrame([dict(zip(["learner", "competency", "score", "time"], args))])
        with pytest.raises((mm.EvidenceError, ValueError)) as by_log:
            mm.EvidenceLog().extend(frame, framework=fw, policy=POLICY)
        if message is not None:
            assert str(by_roster.value).endswith(message) and message in str(by_log.value)
    assert len(r) == 0 and len(r.log) == 0


def test_custom_kinds_are_accepted_by_every_roster_path(fw):
    """A roster takes any kind its events name (Roster.add always did; Roster.ingest of a
    DataFrame now too), while a log needs them declared."""
    data = pd.DataFrame({"learner": ["s"], "competency": ["A"], "score": [3.0], "time": [1.0],
                         "kind": ["project"]})
    r = mm.Roster(fw, POLICY)
    assert r.ingest(data)["rows"] == 1
    r.add("s", "B", 3.0, 2.0, kind="portfolio")
    assert {"project", "portfolio"} <= set(r.log.kinds)
    with pytest.raises(mm.EvidenceError, match="unknown kind 'project'"):
        mm.EvidenceLog().extend(data)
    assert len(mm.EvidenceLog(["project"]).extend(data)) == 1
    # a rejected batch or event adds no kind either
    before = list(r.log.kinds)
    with pytest.raises(mm.EvidenceError):
        r.ingest(data.assign(kind="essay", competency="X"))
    with pytest.raises(mm.EvidenceError):
        r.add("s", "X", 3.0, 3.0, kind="quiz")
    assert r.log.kinds == before
