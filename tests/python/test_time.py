"""Times everywhere (issue 10): every time argument accepts numbers, ISO 8601 strings,
datetimes, dates, pandas Timestamps and numpy datetime64 with the same result as the seconds;
every time column of a DataFrame is datetime64[ns, UTC]; texts print every time as a date.

The oracle for "the same instant in seconds" is ``pandas.Timestamp(...).timestamp()``.
"""
import datetime as dt
import pickle
import re

import numpy as np
import pandas as pd
import pytest

import masterymap as mm
from masterymap import _core

DAY = 86400.0
PARIS = dt.timezone(dt.timedelta(hours=2))  # a fixed offset: no tz database needed


def forms(iso):
    """(label, value) of every accepted representation of the instant ``iso`` (UTC), with the
    oracle seconds."""
    ts = pd.Timestamp(iso)
    assert ts.tzinfo is not None
    seconds = ts.timestamp()
    naive = ts.tz_convert("UTC").tz_localize(None)
    out = [
        ("float", seconds),
        ("iso Z", ts.tz_convert("UTC").isoformat().replace("+00:00", "Z")),
        ("iso offset", ts.tz_convert(PARIS).isoformat()),
        ("iso naive", naive.isoformat()),
        ("datetime naive", naive.to_pydatetime()),
        ("datetime aware", ts.tz_convert(PARIS).to_pydatetime()),
        ("Timestamp naive", naive),
        ("Timestamp aware", ts.tz_convert("Europe/Paris")),
        ("datetime64[us]", np.datetime64(naive.to_datetime64(), "us")),
        ("datetime64[ns]", naive.to_datetime64()),
        ("numpy float", np.float64(seconds)),
    ]
    if seconds == int(seconds):
        out += [("int", int(seconds)), ("numpy int", np.int64(int(seconds))),
                ("datetime64[s]", np.datetime64(int(seconds), "s"))]
    if naive == naive.normalize():
        out += [("date", naive.date()), ("iso date", naive.date().isoformat()),
                ("datetime64[D]", np.datetime64(naive.date().isoformat(), "D"))]
    return seconds, out


INSTANTS = ["2024-09-10T08:30:15.123456Z", "2024-09-10T00:00:00Z", "1970-01-01T00:00:03Z",
            "1966-10-31T14:13:20Z", "1969-12-31T23:59:59.5Z"]


@pytest.mark.parametrize("iso", INSTANTS)
def test_to_seconds_every_form_equals_the_oracle(iso):
    seconds, cases = forms(iso)
    for label, value in cases:
        assert mm.to_seconds(value) == seconds, label


def test_sub_microsecond_digits_round_like_pandas():
    for text in ["2024-09-10T08:30:15.123456789", "2024-09-10T08:30:15.000000499",
                 "2024-09-10T08:30:15.999999501"]:
        oracle = pd.Timestamp(text).timestamp()  # pandas rounds to the microsecond
        assert mm.to_seconds(text) == oracle
        assert mm.to_seconds(pd.Timestamp(text)) == oracle
        assert mm.to_seconds(np.datetime64(text, "ns")) == oracle


# --- every time argument -------------------------------------------------------------------

def chain():
    b = mm.FrameworkBuilder("chain")
    for i, cid in enumerate("ABCD"):
        b.add_competency(cid, domain="math", level=i + 1)
        if i:
            b.add_prerequisite(cid, prerequisite="ABCD"[i - 1])
    return b.build()


@pytest.fixture(scope="module")
def setup():
    fw = chain()
    pol = mm.Policy(mm.Scale.four_point(), rule=mm.Rule(expires_after_days=30))
    t0 = mm.to_seconds("2024-09-01")
    log = mm.EvidenceLog()
    for who in ("ana", "ben"):
        for i, cid in enumerate("ABC"):
            log.add(who, cid, 3 if who == "ana" or i < 2 else 1, t0 + i * 3 * DAY + 0.25)
    return fw, pol, log


def as_of_forms():
    # 2024-09-05T12:00:00Z: after A and B's evidence, before C's; no date form (not midnight).
    return forms("2024-09-05T12:00:00Z")


def test_as_of_every_form_every_function(setup):
    fw, pol, log = setup
    seconds, cases = as_of_forms()
    eng = mm.Engine(fw, pol)
    ref = eng.evaluate(log, "ana", as_of=seconds)
    assert ref.as_of == seconds and ref.status("C") == "not_started"
    ref_all = eng.evaluate_all(log, as_of=seconds)
    ref_tab = eng.ratings(log, as_of=seconds)
    roster_ref = mm.Roster(fw, pol, as_of=seconds)
    roster_ref.ingest(log)
    st = ref.statuses()
    prog = ref.progression
    rec_ref = prog.recommend(2, st, ref.scores(), last_evidence=ref.last_evidence_times(),
                             as_of=seconds)
    for label, value in cases:
        got = eng.evaluate(log, "ana", as_of=value)
        assert got.as_of == seconds and (got.statuses() == ref.statuses()).all(), label
        assert np.array_equal(got.scores(), ref.scores(), equal_nan=True), label
        assert mm.evaluate(fw, pol, log, "ana", as_of=value).as_of == seconds, label
        states = eng.evaluate_all(log, as_of=value)
        assert {k: v.as_of for k, v in states.items()} == {k: v.as_of for k, v in ref_all.items()}
        assert mm.evaluate_all(fw, pol, log, as_of=value)["ben"].as_of == seconds, label
        pd.testing.assert_frame_equal(eng.ratings(log, as_of=value), ref_tab)
        pd.testing.assert_frame_equal(mm.ratings(fw, pol, log, as_of=value), ref_tab)
        upd = eng.evaluate(log, "ana", as_of=0.0)
        eng.update(upd, log, as_of=value)
        assert upd.as_of == seconds and (upd.statuses() == ref.statuses()).all(), label
        r = mm.Roster(fw, pol, as_of=value)
        r.ingest(log)
        assert r.as_of == roster_ref.as_of == seconds, label
        pd.testing.assert_frame_equal(r.to_dataframe(), roster_ref.to_dataframe())
        recs = prog.recommend(2, st, ref.scores(), last_evidence=ref.last_evidence_times(),
                              as_of=value)
        assert [x.to_dict() for x in recs] == [x.to_dict() for x in rec_ref], label


def test_the_issue_example(setup):
    fw, pol, log = setup
    st = mm.evaluate(fw, pol, log, "ana", as_of="2024-09-10")
    assert st.as_of == pd.Timestamp("2024-09-10", tz="UTC").timestamp()


def test_pacing_dates_every_form(setup):
    fw, pol, log = setup
    start_s, start_forms = forms("2024-09-01T00:00:00Z")
    target_s, target_forms = forms("2024-12-20T00:00:00Z")
    mile_s, mile_forms = forms("2024-10-01T06:00:00Z")
    today_s, today_forms = as_of_forms()
    goals = ["A", "B", "C", "D"]
    ref_plan = mm.PacePlan(start_s, target_s, goals, calendar=[(mile_s, 2)])
    st = mm.Engine(fw, pol).evaluate(log, "ana")
    ref = st.pacing(ref_plan, today=today_s)
    assert ref.today == today_s
    r = mm.Roster(fw, pol)
    r.ingest(log)
    ref_frame = r.pacing(ref_plan, today=today_s)
    for (l1, start), (l2, target), (l3, mile) in zip(start_forms, target_forms, mile_forms):
        plan = mm.PacePlan(start, target, goals, calendar=[(mile, 2)])
        assert (plan.start, plan.target_date, plan.calendar) == (start_s, target_s, [(mile_s, 2)])
        assert plan.expected_done(4, mile) == ref_plan.expected_done(4, mile_s) == 2
    for label, today in today_forms:
        assert st.pacing(ref_plan, today=today) == ref, label
        pd.testing.assert_frame_equal(r.pacing(ref_plan, today=today), ref_frame)
        assert ref_plan.expected_done(4, today) == ref_plan.expected_done(4, today_s), label
        v = _core._pacing(st.progression, ref_plan, st.statuses(), st.scores(),
                          st.last_evidence_times(), as_of=today, today=today)
        assert v == ref, label


def test_evidence_time_every_form_single_add(setup):
    fw, pol, _ = setup
    seconds, cases = forms("2024-09-10T08:30:15.123456Z")
    for label, value in cases:
        log = mm.EvidenceLog().add("ana", "A", 3, value)
        assert log._columns()["time"][0] == seconds, label
        r = mm.Roster(fw, pol)
        r.add("ana", "A", 3, value)
        assert r.as_of == seconds, label
        assert r.log._columns()["time"][0] == seconds, label


def expected_stamps(isos):
    return [pd.NaT if x is None else pd.Timestamp(x).tz_convert("UTC") for x in isos]


ISOS = ["2024-09-10T08:30:15.123456Z", "2024-09-11T00:00:00Z", "1970-01-01T00:00:03Z",
        "1966-10-31T14:13:20Z", "2262-01-01T00:00:00Z"]


def column_forms():
    """(label, column) of every accepted form of a time column holding ISOS."""
    stamps = [pd.Timestamp(x) for x in ISOS]
    naive = [s.tz_convert("UTC").tz_localize(None) for s in stamps]
    out = [
        ("float64", np.array([s.timestamp() for s in stamps])),
        ("datetime64[ns]", pd.Series(pd.to_datetime(naive))),
        ("datetime64[ns, tz]", pd.Series(pd.to_datetime(naive)).dt.tz_localize("UTC")
         .dt.tz_convert("Europe/Paris")),
        ("DatetimeIndex", pd.DatetimeIndex(naive)),
        ("numpy datetime64[us]", np.array(naive, dtype="M8[us]")),
        ("object datetimes naive/aware", pd.Series(
            [n.to_pydatetime() if i % 2 else s.tz_convert(PARIS).to_pydatetime()
             for i, (n, s) in enumerate(zip(naive, stamps))], dtype=object)),
        ("object Timestamps", pd.Series(stamps, dtype=object)),
        ("object datetime64", pd.Series([n.to_datetime64() for n in naive], dtype=object)),
        ("list of datetimes", [n.to_pydatetime() for n in naive]),
        ("iso strings", [s.isoformat() for s in stamps]),
        ("iso strings, offsets", [s.tz_convert(PARIS).isoformat() for s in stamps]),
        ("categorical strings", pd.Categorical([s.isoformat() for s in stamps])),
        ("categorical datetimes", pd.Categorical(pd.to_datetime(naive))),
        ("mixed objects", pd.Series([ISOS[0], naive[1].to_pydatetime(), stamps[2].timestamp(),
                                     naive[3].to_datetime64(), stamps[4]], dtype=object)),
        ("string dtype", pd.Series([s.isoformat() for s in stamps], dtype="string")),
    ]
    return out


@pytest.mark.parametrize("label,column", column_forms(), ids=[c[0] for c in column_forms()])
def test_evidence_time_column_every_form(label, column):
    n = len(ISOS)
    oracle = np.array([pd.Timestamp(x).timestamp() for x in ISOS])
    df = pd.DataFrame({"learner": ["ana"] * n, "competency": list("ABCDA"), "score": [3.0] * n,
                       "time": column})
    for log in (mm.EvidenceLog().extend(df),
                mm.EvidenceLog.from_arrays(df.learner, df.competency, df.score, column)):
        assert np.array_equal(log._columns()["time"], oracle), label
        out = log.to_dataframe().time
        assert str(out.dtype) == "datetime64[ns, UTC]"
        assert out.tolist() == expected_stamps(ISOS)
    r = mm.Roster(chain(), mm.Policy(mm.Scale.four_point()))
    r.ingest(df)
    assert np.array_equal(r.log._columns()["time"], oracle), label


def test_day_dates_column():
    df = pd.DataFrame({"learner": ["a", "a"], "competency": ["A", "B"], "score": [3, 3],
                       "time": pd.Series([dt.date(2024, 9, 10), None], dtype=object)})
    with pytest.raises(mm.EvidenceError, match="row 1: missing time"):
        mm.EvidenceLog().extend(df)
    df.loc[1, "time"] = dt.date(1968, 1, 1)
    log = mm.EvidenceLog().extend(df)
    assert log._columns()["time"].tolist() == [pd.Timestamp("2024-09-10", tz="UTC").timestamp(),
                                               pd.Timestamp("1968-01-01", tz="UTC").timestamp()]


def test_missing_and_bad_times_in_a_batch_are_bad_rows():
    df = pd.DataFrame({"learner": ["a"] * 4, "competency": ["A"] * 4, "score": [3] * 4,
                       "time": pd.to_datetime(["2024-01-01", None, "2024-01-03", None], utc=True)})
    with pytest.raises(mm.EvidenceError) as e:
        mm.EvidenceLog().extend(df)
    assert e.value.rows == [1, 3]
    mixed = pd.Series(["2024-01-01", dt.datetime(2024, 1, 2), "soon", [1]], dtype=object)
    log = mm.EvidenceLog()
    with pytest.raises(mm.EvidenceError) as e:
        log.extend({"learner": ["a"] * 4, "competency": ["A"] * 4, "score": [3] * 4,
                    "time": mixed})
    assert e.value.rows == [2, 3] and "bad time 'soon'" in str(e.value)
    assert len(log) == 0


@pytest.mark.parametrize("column", [pd.Series([True, False]),
                                    pd.Series(pd.to_timedelta([1, 2], unit="s"))])
def test_bool_and_timedelta_columns_are_type_errors(column):
    with pytest.raises(TypeError, match="column 'when'.* not times"):
        mm.EvidenceLog().extend({"learner": ["a", "b"], "competency": ["A", "A"],
                                 "score": [1, 2], "when": column}, columns={"time": "when"})


def test_read_csv_times(tmp_path):
    path = tmp_path / "e.csv"
    path.write_text("learner,competency,time,score\n"
                    "a,A,2024-09-10T10:30:15.123456+02:00,3\n"
                    "a,B,3,2\n"
                    "a,C,1966-10-31,1\n")
    log = mm.EvidenceLog.read_csv(path)
    assert log._columns()["time"].tolist() == [
        pd.Timestamp("2024-09-10T10:30:15.123456+02:00").timestamp(), 3.0,
        pd.Timestamp("1966-10-31", tz="UTC").timestamp()]
    assert log.to_dataframe().time.tolist() == expected_stamps(
        ["2024-09-10T08:30:15.123456Z", "1970-01-01T00:00:03Z", "1966-10-31T00:00:00Z"])


def test_round_trip_through_the_dataframe_is_exact():
    rng = np.random.default_rng(5)
    # Random microsecond times, 1900 to 2200.
    us = rng.integers(-2208988800 * 10**6, 7258118400 * 10**6, 20000)
    t = us / 1e6
    log = mm.EvidenceLog.from_arrays(["a"] * len(t), ["A"] * len(t), np.ones(len(t)), t)
    df = log.to_dataframe()
    assert np.array_equal(df.time.array.asi8, us * 1000)
    back = mm.EvidenceLog().extend(df)
    assert np.array_equal(back._columns()["time"], t)
    # pickled logs keep the seconds as they are
    assert np.array_equal(pickle.loads(pickle.dumps(log))._columns()["time"], t)


# --- returned time columns -----------------------------------------------------------------

def test_every_returned_time_column_is_datetime64_utc(setup):
    fw, pol, log = setup
    tframe = log.to_dataframe()
    assert str(tframe.time.dtype) == "datetime64[ns, UTC]"
    r = mm.Roster(fw, pol)
    r.ingest(log)
    frame = r.pacing(mm.PacePlan("2024-09-01", "2024-12-20", ["A", "B", "C", "D"]))
    assert str(frame.projected_finish.dtype) == "datetime64[ns, UTC]"
    for who in r.learners:
        rep = r.learner(who).pacing(mm.PacePlan("2024-09-01", "2024-12-20", list("ABCD")))
        row = frame[frame.learner == who].iloc[0]
        if rep.projected_finish is None:
            assert row.projected_finish is pd.NaT
        else:
            micros = round(rep.projected_finish * 1e6)  # to the microsecond
            assert row.projected_finish == pd.Timestamp(micros, unit="us", tz="UTC")
            assert row.projected_finish.isoformat().replace("+00:00", "Z").startswith(
                rep.projected_finish_date[:19])
    # No other DataFrame of the package carries a float column named like a time.
    frames = [tframe, r.to_dataframe(all_competencies=True), r.frontier(), r.levels(), frame,
              mm.Engine(fw, pol).ratings(log), r.learner("ana").to_dataframe()]
    timeish = re.compile(r"(^|_)(time|as_of|today|date|finish|target|start|since|until)")
    for f in frames:
        for c in f.columns:
            if timeish.search(str(c)):
                assert str(f[c].dtype) == "datetime64[ns, UTC]", c


def test_never_is_nat():
    fw = chain()
    pol = mm.Policy(mm.Scale.four_point())
    r = mm.Roster(fw, pol)
    r.add("idle", "A", 1, "2024-09-01")  # nothing done: no rate, no projected finish
    frame = r.pacing(mm.PacePlan("2024-09-01", "2024-12-20", list("ABCD")), today="2024-09-20")
    assert frame.projected_finish.isna().all()
    assert str(frame.projected_finish.dtype) == "datetime64[ns, UTC]"


def test_a_time_outside_datetime64_ns_is_an_error_naming_the_row():
    # Refused when it comes in (a log holding one could never become a DataFrame again).
    log = mm.EvidenceLog().add("a", "A", 1, 0.0)
    with pytest.raises(mm.EvidenceError, match=r"row 0: time 100000000000 \(5138-11-16T09:46:40Z\) is outside the range "
                                               r"of datetime64\[ns\].*divide by 1000"):
        log.add("a", "A", 1, 1e11)  # year 5138, or milliseconds
    assert len(log) == 1


# --- texts print dates ---------------------------------------------------------------------

@pytest.mark.parametrize("seconds,text", [
    (3.0, "1970-01-01T00:00:03Z"), (-1e8, "1966-10-31T14:13:20Z"),
    (99999999.5, "1973-03-03T09:46:39.500000Z"), (1725957015.123456, "2024-09-10T08:30:15.123456Z")])
def test_explanations_print_every_time_as_a_date(seconds, text):
    fw = chain()
    log = mm.EvidenceLog().add("ana", "A", 3, seconds)
    st = mm.Engine(fw, mm.Policy(mm.Scale.four_point())).evaluate(log, "ana")
    ex = st.explain("A")
    assert f"evaluated as of {text}" in str(ex) and f"+ {text} formative 3" in ex.text
    assert ex.as_of == seconds and ex.evidence[0]["time"] == seconds  # attributes: seconds
    assert ex.to_dict()["as_of"] == seconds


def test_reprs_and_errors_print_dates():
    plan = mm.PacePlan(0, "1970-01-02", ["A"])
    assert repr(plan) == "<PacePlan 1970-01-01T00:00:00Z -> 1970-01-02T00:00:00Z, 1 goals>"
    with pytest.raises(ValueError, match=re.escape(
            "the target date (1970-01-01T00:00:00Z) must come after the start "
            "(1970-01-02T00:00:00Z)")):
        mm.PacePlan("1970-01-02", dt.date(1970, 1, 1), ["A"])


# --- bad values ----------------------------------------------------------------------------

BAD_TYPES = [None, True, [2024], {"t": 1}, dt.timedelta(days=1), np.timedelta64(1, "D"), b"2024",
             object()]


def time_calls(setup):
    """(parameter name, call taking one time, evidence?) for every public time argument; an
    evidence time (EvidenceLog.add, Roster.add) takes None, NaN and NaT as a missing time (a bad
    row), and a bad text too, as a batch of one."""
    fw, pol, log = setup
    eng = mm.Engine(fw, pol)
    st = eng.evaluate(log, "ana")
    plan = mm.PacePlan("2024-09-01", "2024-12-20", list("ABCD"))
    r = mm.Roster(fw, pol)
    r.ingest(log)
    return [
        ("time", lambda t: mm.to_seconds(t), False),
        ("as_of", lambda t: eng.evaluate(log, "ana", as_of=t), False),
        ("as_of", lambda t: eng.evaluate_all(log, as_of=t), False),
        ("as_of", lambda t: eng.ratings(log, as_of=t), False),
        ("as_of", lambda t: mm.evaluate(fw, pol, log, "ana", as_of=t), False),
        ("as_of", lambda t: mm.evaluate_all(fw, pol, log, as_of=t), False),
        ("as_of", lambda t: mm.ratings(fw, pol, log, as_of=t), False),
        ("as_of", lambda t: eng.update(eng.evaluate(log, "ana"), log, as_of=t), False),
        ("as_of", lambda t: mm.Roster(fw, pol, as_of=t), False),
        ("as_of", lambda t: st.progression.recommend(1, st.statuses(), as_of=t), False),
        ("as_of", lambda t: _core._pacing(st.progression, plan, st.statuses(), as_of=t), False),
        ("today", lambda t: st.pacing(plan, today=t), False),
        ("today", lambda t: r.pacing(plan, today=t), False),
        ("today", lambda t: _core._pacing(st.progression, plan, st.statuses(), today=t), False),
        ("start", lambda t: mm.PacePlan(t, "2024-12-20", ["A"]), False),
        ("target_date", lambda t: mm.PacePlan("2024-09-01", t, ["A"]), False),
        ("calendar", lambda t: mm.PacePlan("2024-09-01", "2024-12-20", ["A"], calendar=[(t, 1)]),
         False),
        ("when", lambda t: plan.expected_done(4, t), False),
        ("time", lambda t: mm.Roster(fw, pol).add("ana", "A", 3, t), True),
        ("time", lambda t: mm.EvidenceLog().add("ana", "A", 3, t), True),
    ]


def test_wrong_types_are_type_errors_naming_the_parameter(setup):
    for name, call, evidence in time_calls(setup):
        for bad in BAD_TYPES:
            if bad is None and (evidence or name in ("as_of", "today")):
                continue  # None: the default, or a missing evidence time (a bad row)
            with pytest.raises(TypeError, match=f"^{name}: expected a time") as e:
                call(bad)
            assert "Unable to cast" not in str(e.value) and "incompatible" not in str(e.value)


def test_unparsable_strings_are_parse_errors_naming_the_parameter(setup):
    calls = time_calls(setup)
    for name, call, evidence in calls:
        if evidence:
            continue  # EvidenceLog.add and Roster.add: a bad row, as a batch of one (below)
        with pytest.raises(mm.ParseError, match=f"^{name}: 'next tuesday' is not a time"):
            call("next tuesday")


def test_missing_or_infinite_arguments_are_value_errors(setup):
    for name, call, evidence in time_calls(setup):
        if evidence:
            continue  # a bad row (below)
        for bad in (float("nan"), pd.NaT, np.datetime64("NaT"), float("inf")):
            with pytest.raises(ValueError, match=f"^{name}: .* is not a time"):
                call(bad)


def test_an_evaluation_time_outside_datetime64_is_a_value_error(setup):
    """A JavaScript millisecond epoch as as_of would silently expire everything under an expiry
    rule: refused as evidence times are, with the hint."""
    fw, pol, log = setup
    eng = mm.Engine(fw, pol)
    ms = mm.to_seconds("2024-09-05") * 1000
    calls = {
        "Engine.evaluate": lambda t: eng.evaluate(log, "ana", as_of=t),
        "Engine.evaluate_all": lambda t: eng.evaluate_all(log, as_of=t),
        "Engine.ratings": lambda t: eng.ratings(log, as_of=t),
        "mm.ratings": lambda t: mm.ratings(fw, pol, log, as_of=t),
        "Engine.update": lambda t: eng.update(eng.evaluate(log, "ana"), log, as_of=t),
        "Roster": lambda t: mm.Roster(fw, pol, as_of=t),
    }
    r = mm.Roster(fw, pol)
    r.ingest(log)
    calls["Roster.learner"] = lambda t: r.learner("ana", as_of=t)
    for name, call in calls.items():
        with pytest.raises(ValueError, match=r"outside the range of datetime64\[ns\].*divide by "
                                             r"1000"):
            call(ms)
        with pytest.raises(ValueError, match=r"outside the range of datetime64\[ns\]"):
            call("2300-01-01")
    # The edges of the range are times.
    assert eng.evaluate(log, "ana", as_of="2262-04-11").as_of == mm.to_seconds("2262-04-11")


def test_single_evidence_with_bad_times(setup):
    fw, pol, _ = setup
    log = mm.EvidenceLog()
    for bad in (None, float("nan"), pd.NaT):
        with pytest.raises(mm.EvidenceError, match="row 0: missing time"):
            log.add("a", "A", 3, bad)
        with pytest.raises(mm.EvidenceError, match="row 0: missing time"):
            mm.Roster(fw, pol).add("a", "A", 3, bad)
    with pytest.raises(mm.EvidenceError, match="row 0: bad time 'next tuesday'"):
        log.add("a", "A", 3, "next tuesday")
    with pytest.raises(mm.EvidenceError, match="row 0: bad time 'next tuesday'"):
        mm.Roster(fw, pol).add("a", "A", 3, "next tuesday")
    assert len(log) == 0


def test_last_evidence_arrays_accept_times(setup):
    fw, pol, log = setup
    st = mm.Engine(fw, pol).evaluate(log, "ana")
    secs = st.last_evidence_times()
    ref = st.progression.recommend(3, st.statuses(), st.scores(), last_evidence=secs, as_of=st.as_of)
    stamps = pd.to_datetime(secs, unit="s", utc=True)
    texts = [None if s is pd.NaT else s.isoformat() for s in stamps]  # NaN: no evidence
    for arr in (stamps, np.asarray(stamps.tz_localize(None)), texts):
        got = st.progression.recommend(3, st.statuses(), st.scores(), last_evidence=arr,
                                       as_of=st.as_of)
        assert [x.to_dict() for x in got] == [x.to_dict() for x in ref]
    with pytest.raises(mm.ParseError, match="^last_evidence: 'x' is not a time"):
        st.progression.recommend(3, st.statuses(), st.scores(), last_evidence=["x"] * len(secs))


def test_bkt_order_column_accepts_times(tmp_path):
    df = pd.DataFrame({"user_id": ["a", "a", "a", "b"], "skill_name": ["s"] * 4,
                       "correct": [1, 0, 1, 1],
                       "when": pd.to_datetime(["2024-01-03", "2024-01-01", "2024-01-02",
                                               "2024-01-01"], utc=True)})
    secs = np.array([pd.Timestamp(x).timestamp() for x in df.when])
    ref = mm.bkt.dataset(df.assign(when=secs), order="when")
    for col in (df.when, df.when.dt.tz_convert("Europe/Paris"), df.when.dt.strftime("%Y-%m-%d")):
        d = mm.bkt.dataset(df.assign(when=col), order="when")
        assert np.array_equal(d.order, ref.order)
    # The C++ CSV reader: the same parser.
    path = tmp_path / "r.csv"
    df.assign(when=df.when.dt.strftime("%Y-%m-%dT%H:%M:%SZ")).to_csv(path, index=False)
    assert np.array_equal(mm.bkt.read_csv(path, order="when").order, ref.order)
