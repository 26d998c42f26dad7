"""Pacing: ahead, behind, on track, 1.5x acceleration, with dates."""
import datetime as dt

import pytest

import masterymap as mm

DAY = 86400.0


def course():
    b = mm.FrameworkBuilder("course")
    for i in range(1, 27):
        b.add_competency(f"P{i:02d}", domain="math", level=(i - 1) // 4 + 1)
        if i > 1:
            b.add_prerequisite(f"P{i:02d}", prerequisite=f"P{i - 1:02d}")
    return b.build()


def learner_state(fw, n_done, start, end, name="s"):
    """A learner who masters the first n competencies evenly spread over (start, end)."""
    log = mm.EvidenceLog()
    for i in range(n_done):
        t = start + (end - start) * (i + 0.5) / n_done
        log.add(learner=name, competency=f"P{i + 1:02d}", score=3, time=t)
    log.add(learner=name, competency="P26", score=1, time=end)  # something in progress, dated today
    return mm.Engine(fw, mm.Policy(mm.Scale.four_point())).evaluate(log, name)


@pytest.fixture(scope="module")
def fw():
    return course()


def plan(fw, **kw):
    return mm.PacePlan("2024-01-01", dt.date(2024, 7, 1), list(fw), **kw)


def test_one_and_a_half_times_the_pace(fw):
    p = plan(fw, rate=1, per="week")
    start, today = mm.to_seconds("2024-01-01"), mm.to_seconds("2024-01-29")
    st = learner_state(fw, 6, start, today)
    r = st.pacing(p, today="2024-01-29")
    assert r.status == "ahead"
    assert r.done == 6 and r.total == 26
    assert r.expected == pytest.approx(4.0)
    assert r.acceleration == pytest.approx(1.5)
    assert r.actual_rate == pytest.approx(6 / 28)
    assert r.needed_rate == pytest.approx(20 / 154)
    assert r.projected_finish == pytest.approx(today + 20 / (6 / 28) * DAY)
    assert r.projected_finish_date == "2024-05-01T08:00:00Z"
    assert r.remaining[0] == "P07"


@pytest.mark.parametrize("done,status,acc", [(4, "on_track", 1.0), (2, "behind", 0.5), (6, "ahead", 1.5)])
def test_status(fw, done, status, acc):
    p = plan(fw, rate=1 / 7)
    start, today = mm.to_seconds("2024-01-01"), mm.to_seconds(dt.datetime(2024, 1, 29))
    st = learner_state(fw, done, start, today)
    r = st.pacing(p)  # today = the learner's evaluation time (the latest evidence)
    assert r.today == today
    assert r.status == status
    assert r.acceleration == pytest.approx(acc)


def test_linear_default_and_calendar(fw):
    p = plan(fw)
    assert p.rate is None
    assert p.expected_done(26, "2024-04-01") == pytest.approx(26 * 91 / 182)
    cal = mm.PacePlan("2024-01-01", "2024-07-01", list(fw),
                      calendar=[("2024-01-15", 1), ("2024-01-29", 6), ("2024-07-01", 26)])
    assert cal.expected_done(26, "2024-01-22") == pytest.approx(3.5)
    st = learner_state(fw, 6, mm.to_seconds("2024-01-01"), mm.to_seconds("2024-01-29"))
    r = st.pacing(cal)
    assert r.status == "on_track"
    assert r.acceleration == pytest.approx(1.0)


def test_plan_errors(fw):
    with pytest.raises(ValueError):
        mm.PacePlan("2024-02-01", "2024-01-01", ["P01"])
    # A text that is not a time is the library's ParseError naming the parameter (issue 10;
    # it was a ValueError).
    with pytest.raises(mm.ParseError, match="^start: 'not a date' is not a time"):
        mm.PacePlan("not a date", "2024-01-01", ["P01"])
    with pytest.raises(ValueError):
        mm.PacePlan("2024-01-01", "2024-02-01", ["P01"], rate=1, per="month")
    st = learner_state(fw, 2, mm.to_seconds("2024-01-01"), mm.to_seconds("2024-01-10"))
    with pytest.raises(mm.UnknownIdError):
        st.pacing(mm.PacePlan("2024-01-01", "2024-02-01", ["nope"]))


def test_roster_pacing_frame(fw):
    roster = mm.Roster(fw, mm.Policy(mm.Scale.four_point()))
    start, today = mm.to_seconds("2024-01-01"), mm.to_seconds("2024-01-29")
    log = mm.EvidenceLog()
    for name, n in (("slow", 2), ("even", 4), ("fast", 6)):
        for i in range(n):
            log.add(learner=name, competency=f"P{i + 1:02d}", score=3, time=start + (today - start) * (i + 0.5) / n)
    log.add(learner="even", competency="P26", score=1, time=today)
    roster.ingest(log)
    df = roster.pacing(plan(fw, rate=1, per="week"))
    assert list(df.learner) == ["slow", "even", "fast"]
    assert list(df.status) == ["behind", "on_track", "ahead"]
    assert list(df.acceleration) == pytest.approx([0.5, 1.0, 1.5])


def test_pace_report_object(fw):
    p = plan(fw, rate=1, per="week")
    st = learner_state(fw, 6, mm.to_seconds("2024-01-01"), mm.to_seconds("2024-01-29"))
    r = st.pacing(p, today="2024-01-29")
    assert type(r).__name__ == "PaceReport"
    d = r.to_dict()
    assert list(d) == ["status", "today", "total", "done", "expected", "complete", "expected_rate", "actual_rate",
                       "acceleration", "needed_rate", "projected_finish", "projected_finish_date", "days_ahead",
                       "remaining"]
    assert d["status"] == "ahead" and d["done"] == 6 and d["remaining"] == [f"P{i:02d}" for i in range(7, 27)]
    assert all(d[k] == getattr(r, k) for k in d)
    assert repr(r) == ("PaceReport(status='ahead', done=6, total=26, expected=4.0, acceleration=1.5, days_ahead=14.0, "
                       "projected_finish_date='2024-05-01T08:00:00Z')")
    assert r == st.pacing(p, today=dt.date(2024, 1, 29)) and r != st.pacing(p, today="2024-02-05")
    import pandas as pd
    assert list(pd.DataFrame([r.to_dict()]).columns) == list(d)
