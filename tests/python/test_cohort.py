"""Cohort analytics (Roster.summary, Roster.groups_by_frontier) against pandas oracles on
learners walked over the demo curriculum by a seeded random generator."""
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest

import masterymap as mm

DAY = 86400.0
T0 = pd.Timestamp("2026-01-05", tz="UTC")


def walk(fw, learners, seed):
    """Evidence of `learners` walking the framework in learning order: each works on the next
    competency of a random order of its prerequisites-first list, with scores that rise by
    chance, some self-assessments (ignored) and pre-tests (not counted), at random paces."""
    rng = np.random.default_rng(seed)
    order = list(fw.topological_order())
    rows = []
    for i in range(learners):
        t = T0 + pd.Timedelta(days=float(rng.integers(0, 20)))
        pace = rng.uniform(0.5, 4)
        skill = rng.uniform(0.2, 0.9)
        for c in order[: rng.integers(1, len(order))]:
            tries = int(rng.integers(1, 14))
            for k in range(tries):
                kind = rng.choice(["formative", "summative", "discussion", "self", "pretest"],
                                  p=[0.45, 0.25, 0.15, 0.1, 0.05])
                score = int(np.clip(1 + rng.binomial(3, min(1.0, skill + 0.05 * k)), 1, 4))
                rows.append((f"s{i:03d}", c, t, score, kind))
                t += pd.Timedelta(seconds=int(rng.exponential(pace) * DAY))
            if rng.random() < 0.2:
                break
    return pd.DataFrame(rows, columns=["learner", "competency", "time", "score", "kind"])


@pytest.fixture(scope="module")
def world(example_data):
    data = example_data / "fractions"
    fw = mm.io.read_case(data / "framework.case.json")
    policy = mm.Policy.read(data / "policy.json")
    ev = walk(fw, 240, seed=14)
    roster = mm.Roster(fw, policy, threads=2)
    roster.ingest(ev)
    return fw, policy, ev, roster


def oracle_summary(roster, groups, min_n):
    """Every figure of Roster.summary from the roster's long frame, with pandas."""
    t = roster.to_dataframe(all_competencies=True)
    t["status"] = t["status"].astype(str)
    t["rating"] = t["rating"].astype(object)
    labels = roster.policy.scale.labels
    frames = []
    sets = [("all", t)]
    if groups is not None:
        g = t["learner"].astype(str).map(groups)
        for name in sorted(set(groups.dropna().astype(str))):
            sets.append((name, t[g.astype(str) == name]))
    sp = roster._first_mastery(float("nan"))
    hit = sp["event"] != 0
    att = pd.DataFrame({"learner": np.array(roster.learners)[sp["learner"][hit]],
                        "competency": np.array(list(roster.framework))[sp["competency"][hit]],
                        "attempts": sp["attempts"][hit]})
    out = []
    for name, part in sets:
        rest = t.drop(part.index)
        for c in roster.framework:
            x = part[part["competency"] == c]
            y = rest[rest["competency"] == c]
            row = {"group": name, "competency": c, "learners": len(x)}
            for s in mm._core.STATUSES:
                row[s] = int((x["status"] == s).sum())
            for lab in labels:
                row[lab] = int((x["rating"] == lab).sum())
            row["no_rating"] = int(x["rating"].isna().sum())

            def figures(z):
                started = int((~z["status"].isin(["not_started", "inferred"])).sum())
                earned = int(z["status"].isin(["mastered", "exceeded"]).sum())
                sc = z["score"].dropna()
                return started, earned, sc

            started, earned, sc = figures(x)
            row.update(started=started, earned=earned, scored=len(sc))
            rate = earned / len(x) if len(x) >= max(min_n, 1) else np.nan
            rate_s = earned / started if started >= max(min_n, 1) else np.nan
            mean = sc.mean() if len(sc) >= max(min_n, 1) else np.nan
            med = sc.median() if len(sc) >= max(min_n, 1) else np.nan
            row.update(mastery_rate=rate, mastery_rate_started=rate_s, mean_score=mean,
                       median_score=med)
            a = att[(att["competency"] == c) & att["learner"].isin(x["learner"].astype(str))]
            row["median_attempts"] = a["attempts"].median() if len(a) >= max(min_n, 1) else np.nan
            if groups is not None:
                if name == "all":
                    row.update(gap_mastery_rate=np.nan, gap_mastery_rate_started=np.nan,
                               gap_mean_score=np.nan)
                else:
                    rs, re_, rsc = figures(y)
                    row["gap_mastery_rate"] = rate - (re_ / len(y) if len(y) >= max(min_n, 1)
                                                      else np.nan)
                    row["gap_mastery_rate_started"] = rate_s - (
                        re_ / rs if rs >= max(min_n, 1) else np.nan)
                    row["gap_mean_score"] = mean - (rsc.mean() if len(rsc) >= max(min_n, 1)
                                                    else np.nan)
            row["suppressed"] = len(x) < min_n
            out.append(row)
    return pd.DataFrame(out)


def compare(got, want):
    assert list(got.columns) == [c for c in want.columns if c in got.columns]
    assert set(want.columns) - {"group"} <= set(got.columns)
    assert len(got) == len(want)
    for col in want.columns:
        g = got[col]
        w = want[col]
        if col in ("group", "competency"):
            assert list(g.astype(str)) == list(w.astype(str)), col
            continue
        sup = want["suppressed"].to_numpy()
        if col not in ("learners", "suppressed"):
            assert g[sup].isna().all(), col
        gv = g[~sup].astype(float).to_numpy()
        wv = w[~sup].astype(float).to_numpy()
        np.testing.assert_allclose(gv, wv, rtol=1e-12, atol=1e-12, equal_nan=True,
                                   err_msg=col)


@pytest.mark.parametrize("min_n", [0, 10, 70])
def test_summary_equals_the_pandas_oracle(world, min_n):
    _, _, _, roster = world
    got = roster.summary(min_n=min_n)
    want = oracle_summary(roster, None, min_n).drop(columns="group")
    compare(got, want)
    assert got["learners"].iloc[0] == len(roster)


@pytest.mark.parametrize("min_n", [1, 10, 70])
def test_summary_by_group_equals_the_pandas_oracle(world, min_n):
    _, _, _, roster = world
    rng = np.random.default_rng(7)
    learners = list(roster.learners)
    # Three groups of different sizes; some learners without a group (NaN), and learners the
    # roster does not have (ignored, and a group only they are in is not listed).
    names = rng.choice(["north", "south", "east"], size=len(learners), p=[0.6, 0.3, 0.1])
    by = pd.Series(names, index=learners, dtype=object)
    by.iloc[::17] = None
    extra = pd.Series({"not-here-1": "north", "not-here-2": "west"}, dtype=object)
    got = roster.summary(pd.concat([by, extra]), min_n=min_n)
    want = oracle_summary(roster, by, min_n)
    compare(got, want)
    assert list(got["group"].cat.categories) == ["all", "east", "north", "south"]
    # A one-column DataFrame and a dict say the same.
    pd.testing.assert_frame_equal(roster.summary(by.to_frame("team"), min_n=min_n), got)
    pd.testing.assert_frame_equal(roster.summary(by.to_dict(), min_n=min_n), got)


def test_summary_with_by_keeps_its_columns_when_nobody_has_a_group(world):
    _, _, _, roster = world
    by = pd.Series(np.nan, index=list(roster.learners), dtype=object)
    got = roster.summary(by, min_n=1)
    assert "group" in got and "gap_mastery_rate" in got
    assert list(got["group"].cat.categories) == ["all"]
    assert got["gap_mastery_rate"].isna().all()
    plain = roster.summary(min_n=1)
    pd.testing.assert_frame_equal(got[plain.columns], plain)


def test_summary_of_a_small_class_without_by_is_not_suppressed(world):
    """A teacher's class of 8: without ``by`` nothing is suppressed by default (suppression is
    for subgroup cells); with ``by`` the default min_n is 10; an explicit min_n applies either
    way. The oracle is the pandas summary at the min_n each call should use."""
    fw, policy, ev, _ = world
    eight = sorted(set(ev["learner"]))[:8]
    small = mm.Roster(fw, policy)
    small.ingest(ev[ev["learner"].isin(eight)])
    assert len(small) == 8
    got = small.summary()
    assert "group" not in got.columns
    compare(got, oracle_summary(small, None, 0).drop(columns="group"))
    assert not got["suppressed"].any()
    assert got["mastery_rate"].notna().any() and got["earned"].notna().all()
    # explicitly asked for: suppressed as before
    kept = small.summary(min_n=10)
    compare(kept, oracle_summary(small, None, 10).drop(columns="group"))
    assert kept["suppressed"].all() and kept["earned"].isna().all()
    # with by: subgroup cells below 10 learners are suppressed by default (the whole roster too:
    # it has 8), as summary(by, min_n=10)
    by = pd.Series(["a", "b"] * 4, index=eight, dtype=object)
    grouped = small.summary(by)
    compare(grouped, oracle_summary(small, by, 10))
    pd.testing.assert_frame_equal(grouped, small.summary(by, min_n=10))
    assert grouped["suppressed"].all()
    pd.testing.assert_frame_equal(small.summary(by, min_n=None), grouped)
    pd.testing.assert_frame_equal(small.summary(min_n=None), got)


def test_summary_names_learners_left_out_of_by(world):
    _, _, _, roster = world
    learners = list(roster.learners)
    by = pd.Series("a", index=learners, dtype=object).drop(learners[1:8])
    with pytest.raises(ValueError, match=r"by has no group for 7 learner\(s\) of the roster: "
                                         + repr(learners[1]) + r".* and 2 more; map them to NaN"):
        roster.summary(by)


def test_summary_suppresses_small_groups(world):
    _, _, _, roster = world
    by = pd.Series(np.nan, index=list(roster.learners), dtype=object)
    by.iloc[0] = "tiny"
    got = roster.summary(by, min_n=10)
    tiny = got[got["group"] == "tiny"]
    assert tiny["suppressed"].all()
    assert (tiny["learners"] == 1).all()
    assert tiny["earned"].isna().all() and tiny["mastery_rate"].isna().all()
    assert not got[got["group"] == "all"]["suppressed"].any()


def test_summary_rejects_bad_groupings(world):
    _, _, _, roster = world
    with pytest.raises(TypeError, match="by must be"):
        roster.summary(3)
    with pytest.raises(ValueError, match="may not be called 'all'"):
        roster.summary(pd.Series("all", index=list(roster.learners)))
    with pytest.raises(ValueError, match="more than once"):
        roster.summary(pd.Series(["a", "b"], index=[roster.learners[0]] * 2))
    with pytest.raises(ValueError, match="one column"):
        roster.summary(pd.DataFrame({"a": [1], "b": [2]}, index=[roster.learners[0]]))


def counted_oracle(world):
    """Per (learner, competency): counted evidence, first counted and last times (pandas)."""
    fw, policy, ev, roster = world
    as_of = pd.Timestamp(roster.as_of, unit="s", tz="UTC")
    e = ev[ev["time"] <= as_of].copy()
    dom = {c: fw[c].domain for c in fw}
    ignored = e.apply(lambda x: x["kind"] in policy.rule_for(x["competency"], dom[x["competency"]])
                      .ignore_kinds or x["kind"] in ("pretest", "placement"), axis=1)
    last = e.groupby(["learner", "competency"])["time"].max()
    c = e[~ignored].groupby(["learner", "competency"])["time"].agg(["size", "min"])
    return c, last


@pytest.mark.parametrize("kind", ["ready", "recent", "stuck"])
def test_groups_by_frontier_are_the_inverse_of_the_per_learner_queries(world, kind):
    fw, policy, ev, roster = world
    g = roster.groups_by_frontier(kind, stuck_evidence=6, stuck_days=25, recent_days=10)
    assert len(g) > 0
    # Sorted by competency (framework order), then learner.
    key = list(zip(g["competency"].cat.codes, g["learner"].cat.codes))
    assert key == sorted(key) and len(set(key)) == len(key)
    got = set(zip(g["learner"].astype(str), g["competency"].astype(str)))
    counted, last = counted_oracle(world)
    as_of = pd.Timestamp(roster.as_of, unit="s", tz="UTC")
    want = set()
    t = roster.to_dataframe(all_competencies=True)
    for learner in roster.learners:
        if kind == "ready":
            want |= {(learner, c) for c in roster.learner(learner).frontier()}
            continue
        st = t[t["learner"] == learner]
        for c, s in zip(st["competency"].astype(str), st["status"].astype(str)):
            if kind == "recent":
                if s in ("mastered", "exceeded") and \
                        last.get((learner, c), pd.NaT) >= as_of - pd.Timedelta(days=10):
                    want.add((learner, c))
            elif s in ("in_progress", "awaiting_confirmation") and (learner, c) in counted.index:
                n, first = counted.loc[(learner, c)]
                if n >= 6 or first <= as_of - pd.Timedelta(days=25):
                    want.add((learner, c))
    assert got == want
    if kind == "ready":
        f = roster.frontier()
        assert got == set(zip(f["learner"].astype(str), f["competency"].astype(str)))
    # The evidence columns, against pandas.
    for row in g.itertuples():
        k = (row.learner, row.competency)
        if k in counted.index:
            assert row.counted == counted.loc[k, "size"]
            assert row.first_evidence == counted.loc[k, "min"]
        else:
            assert row.counted == 0 and pd.isna(row.first_evidence)
        assert (row.last_evidence == last[k]) if k in last.index else pd.isna(row.last_evidence)
    if kind == "stuck":
        spin = g["counted"] >= 6
        assert (g["wheel_spinning"] == spin).all()
        assert (g["no_progress"] == (g["first_evidence"] <= as_of - pd.Timedelta(days=25))).all()
        assert (g["wheel_spinning"] | g["no_progress"]).all()


def test_groups_by_frontier_thresholds_switch_off_and_bad_kind(world):
    _, _, _, roster = world
    off = roster.groups_by_frontier("stuck", stuck_evidence=0, stuck_days=0)
    assert len(off) == 0
    only_spin = roster.groups_by_frontier("stuck", stuck_days=0)
    assert only_spin["wheel_spinning"].all() and not only_spin["no_progress"].any()
    with pytest.raises(ValueError, match="kind"):
        roster.groups_by_frontier("bored")
    for bad in (-1.0, float("nan"), float("inf")):
        with pytest.raises(ValueError, match="stuck_days must be a number of days >= 0"):
            roster.groups_by_frontier("stuck", stuck_days=bad)
        with pytest.raises(ValueError, match="recent_days must be a number of days >= 0"):
            roster.groups_by_frontier("recent", recent_days=bad)
        with pytest.raises(ValueError, match="stuck_days"):
            roster.bottlenecks(stuck_days=bad)


def test_cohort_results_do_not_depend_on_threads(world):
    fw, policy, ev, _ = world
    frames = []
    for threads in (1, 3):
        r = mm.Roster(fw, policy, threads=threads)
        r.ingest(ev)
        by = pd.Series({learner: "ab"[i % 2] for i, learner in enumerate(r.learners)})
        frames.append((r.summary(by, min_n=5), r.groups_by_frontier("stuck")))
    pd.testing.assert_frame_equal(frames[0][0], frames[1][0])
    pd.testing.assert_frame_equal(frames[0][1], frames[1][1])


def exact_survival(durations, events):
    """Kaplan-Meier with exact fractions: [(event time, S(t))]."""
    out, s_ = [], Fraction(1)
    for t in sorted(set(durations[events > 0])):
        n = int((durations >= t).sum())
        d = int(((durations == t) & (events > 0)).sum())
        s_ *= Fraction(n - d, n)
        out.append((t, s_))
    return out


def test_time_to_mastery_rejects_an_origin_that_is_not_a_time(world):
    roster = world[3]
    for bad in ("bogus", "2026-13-45"):
        with pytest.raises(ValueError, match=f"origin {bad!r} is not a time"):
            roster.time_to_mastery(origin=bad)
    with pytest.raises(ValueError, match="finite"):
        roster.time_to_mastery(origin=float("nan"))
    with pytest.raises(TypeError, match="origin must be a time"):
        roster.time_to_mastery(origin=[1])


def test_time_to_mastery_equals_statsmodels(world):
    sm = pytest.importorskip("statsmodels.duration.survfunc",
                             reason="python3-statsmodels is not installed")
    fw, policy, ev, roster = world
    spells = roster._first_mastery(float("nan"))
    summary = roster.time_to_mastery()
    table = roster.time_to_mastery(table=True)
    ids = list(fw)
    assert list(summary["competency"].astype(str)) == ids
    checked = 0
    for c, cid in enumerate(ids):
        row = summary.iloc[c]
        sel = spells["competency"] == c
        dur = (spells["end"][sel] - spells["origin"][sel]) / DAY
        event = spells["event"][sel].astype(float)
        assert row["learners"] == sel.sum() and row["mastered"] == event.sum()
        t = table[table["competency"] == cid]
        if event.sum() == 0:
            assert len(t) == 0 and np.isnan(row["median"])
            continue
        sf = sm.SurvfuncRight(dur, event)
        np.testing.assert_allclose(t["time"], sf.surv_times, rtol=0, atol=1e-12)
        np.testing.assert_allclose(t["survival"], sf.surv_prob, rtol=0, atol=1e-12)
        np.testing.assert_allclose(t["se"], sf.surv_prob_se, rtol=0, atol=1e-12)
        np.testing.assert_array_equal(t["at_risk"], sf.n_risk)
        np.testing.assert_array_equal(t["events"], sf.n_events)
        exact = exact_survival(dur, event)
        for p, name in ((0.25, "q25"), (0.5, "median"), (0.75, "q75")):
            # The quantile against exact rational survival (statsmodels' floating-point
            # survival can round an exact tie, S = 1 - p, either way).
            below = [t for t, s_ in exact if s_ < Fraction(1) - Fraction(p)]
            want_q = below[0] if below else np.nan
            np.testing.assert_allclose(row[name], want_q, rtol=0, atol=1e-12)
            if not any(abs(s_ - (Fraction(1) - Fraction(p))) < Fraction(1, 10**12)
                       for _, s_ in exact):
                np.testing.assert_allclose(row[name], sf.quantile(p), rtol=0, atol=1e-12)
            with np.errstate(all="ignore"):  # statsmodels takes log(0) where S reaches 0
                lo, hi = sf.quantile_ci(p)
            np.testing.assert_allclose([row[name + "_lower"], row[name + "_upper"]], [lo, hi],
                                       rtol=0, atol=1e-12)
        assert row["median_reached"] == (not np.isnan(row["median"]))
        checked += 1
    assert checked > 5


def test_first_mastery_spells_are_the_started_pairs(world):
    fw, policy, ev, roster = world
    spells = roster._first_mastery(float("nan"))
    counted, _ = counted_oracle(world)
    t = roster.to_dataframe(all_competencies=True).set_index(["learner", "competency"])["status"]
    learners = list(roster.learners)
    ids = list(fw)
    got = {(learners[l], ids[c]) for l, c in zip(spells["learner"], spells["competency"])}
    # The policy rolls every parent up (default_rollup): a parent's spell starts with its
    # first started part, a leaf's with its first counted evidence.
    parents = {c for c in ids if fw.children(c)}
    assert parents
    want = {k for k in counted.index if k[1] not in parents
            and str(t[k]) not in ("exempt", "inferred")}
    def parts(c):
        return [x for y in fw.children(c) for x in [y] + parts(y)]

    leaves_under = {c: parts(c) for c in parents}
    first = counted["min"].reset_index()
    with_parts = set(zip(first["learner"], first["competency"]))
    want |= {(lr, c) for lr in learners for c in parents
             if str(t[(lr, c)]) not in ("not_started", "exempt", "inferred")
             and any((lr, x) in with_parts for x in leaves_under[c] + [c])}
    assert got == want
    # Origin: the first counted evidence (a parent: its own or a part's); a censored spell ends at as_of,
    # is not earned now.
    for l, c, o, e, x in zip(spells["learner"], spells["competency"], spells["origin"],
                             spells["end"], spells["event"]):
        k = (learners[l], ids[c])
        if k[1] in parents:
            mine = first[(first["learner"] == k[0])
                         & first["competency"].isin(leaves_under[k[1]] + [k[1]])]
            assert pd.Timestamp(o, unit="s", tz="UTC") == mine["min"].min()
        else:
            assert pd.Timestamp(o, unit="s", tz="UTC") == counted.loc[k, "min"]
        if not x:
            assert e == roster.as_of and str(t[k]) not in ("mastered", "exceeded")
    # Events of re-evaluated pairs (rollup parents and their parts): earned at the event's time,
    # not just before it; Roster.learner(id, as_of=t) is the learner then.
    rolled = set(parents) | {x for c in parents for x in leaves_under[c]}
    ev_parents = [(learners[l], ids[c], e) for l, c, e, x in zip(
        spells["learner"], spells["competency"], spells["end"], spells["event"])
        if x and ids[c] in rolled]
    assert len(ev_parents) >= 5
    for lr, c, e in ev_parents[:25]:
        assert roster.learner(lr, as_of=e).status(c) in ("mastered", "exceeded")
        assert roster.learner(lr, as_of=e - 0.5).status(c) not in ("mastered", "exceeded")
    # A fixed origin: the same pairs, every origin that time.
    start = spells["origin"].min() - DAY
    fixed = roster._first_mastery(start)
    assert (fixed["origin"] == start).all()
    np.testing.assert_array_equal(fixed["end"], spells["end"])
    by_time = roster.time_to_mastery(origin=pd.Timestamp(start, unit="s", tz="UTC"))
    assert by_time["learners"].equals(roster.time_to_mastery()["learners"])
    # Spells that end before a later origin are dropped.
    late = roster._first_mastery(roster.as_of - 30 * DAY)
    assert len(late["end"]) == (spells["end"] >= roster.as_of - 30 * DAY).sum()
    with pytest.raises(TypeError, match="origin"):
        roster.time_to_mastery(origin=[1])


def _ingested(fw, pol, ev):
    r = mm.Roster(fw, pol)
    r.ingest(ev)
    return r


def test_summary_score_sums_do_not_depend_on_learner_order():
    """The C++ summary adds each cell's scores in ascending order: a roster of the same
    learners in another order gives the same bits (the Dask merge relies on it)."""
    import masterymap.testing as mmt

    fw, pol = mmt.chain(4), mmt.policy()
    ev, _ = mmt.simulate(fw, pol, learners=300, seed=3, params={"learns": 0.05})
    rng = np.random.default_rng(0)
    # continuous scores, so sums in different orders round differently
    ev["score"] = np.round(rng.uniform(1, 4, len(ev)), 7)
    a = _ingested(fw, pol, ev).summary(min_n=1)
    flipped = pd.concat([g for _, g in ev.groupby("learner", sort=False, observed=True)][::-1])
    b = _ingested(fw, pol, flipped).summary(min_n=1)
    pd.testing.assert_frame_equal(a, b, check_exact=True)
    # the oracle: each cell's scores added one by one in ascending order
    r = _ingested(fw, pol, ev)
    tab = r.to_dataframe()
    for comp, cell in tab.groupby("competency", observed=True):
        s = np.sort(cell["score"].dropna().to_numpy())
        total = 0.0
        for x in s:
            total += x
        row = a[a["competency"] == comp].iloc[0]
        assert row["mean_score"] == total / len(s)
        m = len(s) // 2
        assert row["median_score"] == (s[m] if len(s) % 2 else s[m - 1] + (s[m] - s[m - 1]) / 2)


def _two_step_roster(rows, rule=None):
    """C1 <- C2 (C2 requires C1), four-point scale, no inference; `rows`: (learner,
    competency, time in days, score, kind)."""
    fw = mm.testing.chain(2)
    pol = mm.Policy(mm.Scale.four_point(), rule or mm.Rule(ignore_kinds=["self"]))
    pol.infer_prerequisites = "none"
    r = mm.Roster(fw, pol)
    r.ingest(pd.DataFrame(rows, columns=["learner", "competency", "time", "score", "kind"])
             .assign(time=lambda d: T0 + pd.to_timedelta(d["time"], unit="D")))
    return r


def test_evidence_only_of_an_ignored_kind_counts_no_work():
    """Issue 14: a self-assessment of a kind the rule ignores leaves the competency in progress
    (there is evidence on file: the status is documented so, and inference treats it as
    contrary), with no score, no rating and an explanation that nothing counted; bottlenecks
    do not count that learner as working on it, nor as stuck."""
    r = _two_step_roster([("s1", "C1", 0, 4, "self"), ("s1", "C1", 1, 4, "self"),
                          ("s2", "C1", 0, 1, "formative")])
    st = r.learner("s1")
    assert st.status("C1") == "in_progress"
    assert st.rating("C1") is None and st.score("C1") is None
    assert "no counted evidence" in str(st.explain("C1"))
    b = r.bottlenecks(stuck_evidence=1, stuck_days=0).set_index("competency")
    assert b.loc["C1", "ready"] == 2
    assert b.loc["C1", "working"] == 1  # s2 only: s1 counted nothing
    assert b.loc["C1", "stuck"] == 1  # s2 (1 counted piece >= stuck_evidence=1), not s1
    stuck = r.groups_by_frontier("stuck", stuck_evidence=1, stuck_days=0)
    assert list(stuck["learner"].astype(str)) == ["s2"]


def test_the_bottleneck_score_ranges_from_0_to_3():
    """Issue 14: the score is documented as a sum of three shares of the roster, not a
    fraction: one learner stuck on a competency, ready for it and with it as a gap gives 3."""
    r = _two_step_roster([("s1", "C2", 0, 4, "formative")]
                         + [("s1", "C1", 1 + k, 1, "formative") for k in range(3)])
    b = r.bottlenecks(stuck_evidence=2, stuck_days=0).set_index("competency")
    row = b.loc["C1"]
    assert (row["stuck"], row["ready"], row["working"], row["earned"], row["gaps"]) == \
        (1, 1, 1, 0, 1)
    assert row["mastery_rate_ready"] == 0.0
    assert row["score"] == 3.0  # (1 + (1 - 0) * 1 + 1) / 1
    assert ((b["score"] >= 0) & (b["score"] <= 3)).all()


def test_days_options_refuse_bools(world):
    """stuck_days=True would have run as one day: a bool is no number of days (the counts
    refuse bools too)."""
    _, _, _, roster = world
    with pytest.raises(TypeError, match=r"Roster.bottlenecks\(\): stuck_days must be a number "
                                        r"of days, got bool True"):
        roster.bottlenecks(stuck_days=True)
    for name in ("stuck_days", "recent_days"):
        with pytest.raises(TypeError, match=rf"groups_by_frontier\(\): {name} must be a number"):
            roster.groups_by_frontier("stuck", **{name: np.True_})
    assert roster.groups_by_frontier("stuck", stuck_days=1).equals(
        roster.groups_by_frontier("stuck", stuck_days=1.0))


def test_days_options_take_numbers_only(world):
    """stuck_days and recent_days go through one check (the days_arg caster): any real number
    >= 0 (int, float, numpy numbers, Fraction) is taken as that many days; no number is a
    TypeError and a number below 0 or not finite a ValueError, each naming the option."""
    _, _, _, roster = world
    want = roster.groups_by_frontier("stuck", stuck_days=2.5).reset_index(drop=True)
    for days in (np.float32(2.5), np.float64(2.5), Fraction(5, 2)):
        got = roster.groups_by_frontier("stuck", stuck_days=days).reset_index(drop=True)
        pd.testing.assert_frame_equal(got, want)
    want = roster.bottlenecks(stuck_days=3.0)
    for days in (3, np.int64(3), np.uint8(3)):
        pd.testing.assert_frame_equal(roster.bottlenecks(stuck_days=days), want)
    for bad in ("3", None, [3], 1j):
        with pytest.raises(TypeError, match=r"Roster.bottlenecks\(\): stuck_days must be a "
                                            r"number of days, got"):
            roster.bottlenecks(stuck_days=bad)
        with pytest.raises(TypeError, match=r"recent_days must be a number of days, got"):
            roster.groups_by_frontier("recent", recent_days=bad)
    for bad in (-0.5, np.float64(-1), -1, float("-inf"), np.nan):
        with pytest.raises(ValueError, match=r"Roster.groups_by_frontier\(\): stuck_days must "
                                             r"be a number of days >= 0, got"):
            roster.groups_by_frontier("stuck", stuck_days=bad)


def test_by_takes_learner_ids_in_any_spelling():
    # by's index as every other path reads ids: 0.0 and 0 are learner "0"; 0 and "0" together
    # name one learner twice; 1.5 is no learner id.
    import masterymap.testing as mmt
    fw, pol = mmt.diamond(), mmt.policy()
    a = list(fw)[0]
    r = mm.Roster(fw, pol)
    r.ingest(pd.DataFrame({"learner": [0, 1, 2], "competency": [a] * 3, "score": [4.0, 1.0, 4.0],
                           "time": [1.7e9] * 3}))
    want = r.summary(pd.Series({"0": "x", "1": "x", "2": "y"}), min_n=1)
    for index in ([0.0, 1.0, 2.0], [0, 1, 2], np.array([0, 1, 2], dtype=np.uint8)):
        got = r.summary(pd.Series(["x", "x", "y"], index=index), min_n=1)
        pd.testing.assert_frame_equal(got, want)
    with pytest.raises(ValueError, match=r"by names learner '0' more than once \(as 0 and '0'\)"):
        r.summary(pd.Series(["x", "y", "x", "y"], index=pd.Index([0, "0", 1, 2], dtype=object)))
    with pytest.raises(ValueError, match=r"by names 1.5, which is no learner id"):
        r.summary(pd.Series(["x", "y"], index=[0.0, 1.5]))
