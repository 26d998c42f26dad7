"""Cohort analytics on simulated learners (masterymap.testing.simulate: the truth is known):
time to mastery and bottlenecks find a planted slow competency and a subgroup gap; every
figure of Roster.bottlenecks, learning_curve and progress (and summary, time_to_mastery on the
same data) equals a pandas oracle; groups_by_frontier is the exact inverse of the per-learner
queries (a property test over simulated cohorts)."""
import numpy as np
import pandas as pd
import pytest

import masterymap as mm
import masterymap.testing as mmt

DAY = 86400.0
STATUS = {name: k for k, name in enumerate(mm.STATUSES)}


@pytest.fixture(scope="module")
def fractions(example_data):
    return mm.io.read_case(example_data / "fractions" / "framework.case.json")


def targets(fw):
    """Competencies without children (the simulator's learners work on these)."""
    return [c for c in fw if not fw.children(c)]


def roster_of(fw, policy, ev, threads=2):
    r = mm.Roster(fw, policy, threads=threads)
    r.ingest(ev)
    return r


@pytest.fixture(scope="module")
def planted(fractions):
    """A cohort with a planted slow competency (learns 0.02, everyone else 0.25) and a
    subgroup "b" that learns at 0.35 the rate of "a"."""
    fw = fractions
    # The slow one: a target with dependents, so that it holds learners back.
    slow = next(c for c in fw.topological_order() if not fw.children(c) and fw.dependents(c))
    ev, truth = mmt.simulate(fw, mmt.policy(), 3000, seed=21,
                             params={"learns": 0.25, "guesses": 0.05, "slips": 0.05},
                             overrides={slow: {"learns": 0.02}},
                             groups={"a": (1.0, 1.0), "b": (1.0, 0.35)}, pace_sigma=0.2,
                             attempts=120, max_attempts=25)
    r = roster_of(fw, mmt.policy(), ev)
    return fw, slow, ev, truth, r


def test_time_to_mastery_finds_the_planted_slow_competency(planted):
    fw, slow, ev, truth, r = planted
    km = r.time_to_mastery().set_index("competency")
    km = km[km["learners"].astype(float) >= 100]
    assert slow in km.index
    # The slow one takes longest: by its median, or (not reached) by its survival.
    reached = km["median"].fillna(np.inf)
    assert reached.idxmax() == slow
    assert (reached.drop(slow) < reached[slow]).all()
    # The truth agrees: its learners take longest to really know it.
    first = ev.groupby(["learner", "competency"], observed=True)["time"].min().rename("first")
    t = truth.join(first, on=["learner", "competency"])
    days = ((t["mastery_time"] - t["first"]) / DAY).fillna(np.inf)
    assert days.groupby(t["competency"], observed=True).median().idxmax() == slow


def test_bottlenecks_find_the_planted_slow_competency(planted):
    fw, slow, ev, truth, r = planted
    b = r.bottlenecks()
    top = b.iloc[0]
    assert top["competency"] == slow
    assert top["stuck"] > 0 and top["wheel_spinning"] > 0
    assert top["mastery_rate_ready"] < b["mastery_rate_ready"].median()
    assert "stuck" in top["reasons"]
    assert top["score"] > b["score"].iloc[1]


def test_the_subgroup_gap_shows_in_summary_time_to_mastery_and_bottlenecks(planted):
    fw, slow, ev, truth, r = planted
    group = truth.drop_duplicates("learner").set_index("learner")["group"].astype(str)
    s = r.summary(group, min_n=20)
    b_rows = s[(s["group"] == "b") & s["gap_mastery_rate"].notna()]
    assert len(b_rows) >= 5
    # Group b masters less of nearly every competency it reached.
    assert (b_rows["gap_mastery_rate"] < 0).mean() >= 0.8
    # Time to mastery per group (a roster of each group's evidence): b is slower.
    med = {}
    stuck = {}
    for g in ("a", "b"):
        rg = roster_of(fw, mmt.policy(), ev[ev["learner"].astype(str).map(group) == g])
        km = rg.time_to_mastery().set_index("competency")
        med[g] = km.loc[km["learners"].astype(float) >= 100, "median"].fillna(np.inf)
        stuck[g] = rg.bottlenecks().set_index("competency")["stuck"].sum()
    common = med["a"].index.intersection(med["b"].index)
    assert len(common) >= 5
    assert (med["b"][common] > med["a"][common]).mean() >= 0.8
    assert stuck["b"] > stuck["a"]


# --- pandas oracles on a simulated cohort -----------------------------------------------------

@pytest.fixture(scope="module")
def sim(fractions):
    fw = fractions
    policy = mm.Policy(mm.Scale.four_point(),
                       rule=mm.Rule(method=mm.Method.decaying_average(0.65), min_evidence=2))
    ev, truth = mmt.simulate(fw, policy, 1500, seed=5, params={"learns": 0.15},
                             overrides={targets(fw)[3]: {"learns": 0.03}},
                             groups={"x": (2.0, 1.0), "y": (1.0, 0.5)}, attempts=80,
                             max_attempts=20)
    return fw, policy, ev, truth, roster_of(fw, policy, ev)


def oracle_counted(ev, as_of):
    """Counted evidence per (learner, competency): every row up to as_of (the simulator uses
    kinds every rule counts), in (time, row) order."""
    e = ev[ev["time"] <= as_of].reset_index(drop=True)
    e["row"] = np.arange(len(e))
    return e.sort_values(["learner", "competency", "time", "row"], kind="stable")


def oracle_bottlenecks(r, ev, stuck_evidence=10, stuck_days=30.0):
    C, L = len(r.framework), len(r)
    ids = list(r.framework)
    st = r.statuses().reshape(L, C)
    f = r.frontier_matrix().reshape(L, C).astype(bool)
    earned = np.isin(st, [STATUS["mastered"], STATUS["exceeded"]])
    e = oracle_counted(ev, r.as_of)
    g = e.groupby(["learner", "competency"], observed=True)["time"].agg(["size", "min"])
    lpos = {x: i for i, x in enumerate(r.learners)}
    cpos = {x: i for i, x in enumerate(ids)}
    li = np.array([lpos[x] for x in g.index.get_level_values(0)], dtype=np.int64)
    ci = np.array([cpos[x] for x in g.index.get_level_values(1)], dtype=np.int64)
    # Working: not done, with counted evidence (issue 14: a status alone may come from evidence
    # that counts no work).
    counted = np.zeros((L, C), dtype=bool)
    counted[li, ci] = g["size"].to_numpy() > 0
    working = np.isin(st, [STATUS["in_progress"], STATUS["awaiting_confirmation"],
                           STATUS["expired"]]) & counted
    s = st[li, ci]
    spin = (stuck_evidence > 0) & (g["size"].to_numpy() >= stuck_evidence)  # 0: off
    slow = (stuck_days > 0) & (g["min"].to_numpy() <= r.as_of - stuck_days * DAY)
    on = np.isin(s, [STATUS["in_progress"], STATUS["awaiting_confirmation"]]) & (spin | slow)
    gaps = r.gaps()
    out = pd.DataFrame({
        "competency": ids,
        "stuck": np.bincount(ci[on], minlength=C),
        "wheel_spinning": np.bincount(ci[on & spin], minlength=C),
        "no_progress": np.bincount(ci[on & slow], minlength=C),
        "ready": f.sum(axis=0),
        "working": (f & working).sum(axis=0),
        "earned": earned.sum(axis=0),
        "gaps": gaps["competency"].astype(str).value_counts().reindex(ids, fill_value=0)
        .to_numpy(),
    })
    tried = out["earned"] + out["working"]
    out["mastery_rate_ready"] = out["earned"] / tried.where(tried > 0)
    held = ((1 - out["mastery_rate_ready"]) * out["ready"]).fillna(0.0)
    out["score"] = (out["stuck"] + held + out["gaps"]) / L
    return out.sort_values("score", ascending=False, kind="stable").reset_index(drop=True)


@pytest.mark.parametrize("options", [{}, {"stuck_evidence": 4, "stuck_days": 10.0},
                                     {"stuck_evidence": 0, "stuck_days": 0.0}])
def test_bottlenecks_equal_the_pandas_oracle(sim, options):
    fw, policy, ev, truth, r = sim
    got = r.bottlenecks(**options)
    want = oracle_bottlenecks(r, ev, options.get("stuck_evidence", 10),
                              options.get("stuck_days", 30.0))
    assert list(got.columns) == ["competency", "score", "learners", "stuck", "wheel_spinning",
                                 "no_progress", "ready", "working", "earned",
                                 "mastery_rate_ready", "gaps", "reasons"]
    assert (got["learners"] == len(r)).all()
    assert list(got["competency"].astype(str)) == list(want["competency"])
    for col in ("stuck", "wheel_spinning", "no_progress", "ready", "working", "earned", "gaps"):
        assert (got[col].to_numpy() == want[col].to_numpy()).all(), col
    np.testing.assert_allclose(got["mastery_rate_ready"], want["mastery_rate_ready"], rtol=1e-15)
    np.testing.assert_allclose(got["score"], want["score"], rtol=1e-12)
    assert got["reasons"].map(len).min() > 0
    if not options:
        assert got["gaps"].sum() > 0 and got["stuck"].sum() > 0


def test_learning_curve_equals_the_pandas_oracle(sim):
    fw, policy, ev, truth, r = sim
    got = r.learning_curve()
    e = oracle_counted(ev, r.as_of)
    e["opportunity"] = e.groupby(["learner", "competency"], observed=True).cumcount() + 1
    e["error"] = (e["score"] < policy.scale.mastery_value).astype(np.int64)
    assert (e["error"] == 1 - e["correct"]).all()  # the simulator's observation
    want = e.groupby(["competency", "opportunity"], observed=True)["error"] \
        .agg(["size", "sum", "mean"]).reset_index()
    want["competency"] = pd.Categorical(want["competency"].astype(str), list(fw))
    want = want.sort_values(["competency", "opportunity"]).reset_index(drop=True)
    assert list(got.columns) == ["competency", "opportunity", "learners", "errors", "error_rate"]
    assert len(got) == len(want)
    assert (got["competency"].astype(str).to_numpy() == want["competency"].astype(str)
            .to_numpy()).all()
    assert (got["opportunity"].to_numpy() == want["opportunity"].to_numpy()).all()
    assert (got["learners"].to_numpy() == want["size"].to_numpy()).all()
    assert (got["errors"].to_numpy() == want["sum"].to_numpy()).all()
    np.testing.assert_allclose(got["error_rate"], want["mean"], rtol=1e-15)
    # A learning curve: errors fall with practice (BKT learners learn).
    first = got[got["opportunity"] == 1]
    fifth = got[got["opportunity"] == 5]
    assert fifth["errors"].sum() / fifth["learners"].sum() < \
        first["errors"].sum() / first["learners"].sum()


@pytest.mark.parametrize("freq", ["D", "W", "M"])
def test_progress_equals_the_pandas_oracle(sim, freq):
    fw, policy, ev, truth, r = sim
    got = r.progress(freq)
    sp = r._first_mastery(float("nan"))
    hit = sp["event"] != 0
    t = pd.DataFrame({"when": pd.to_datetime(sp["end"][hit], unit="s"),
                      "learner": sp["learner"][hit]})
    t["period"] = t["when"].dt.to_period(freq)
    by = t.groupby("period")
    counts = by.size()
    full = pd.period_range(counts.index.min(), counts.index.max(), freq=freq)
    counts = counts.reindex(full, fill_value=0)
    learners = by["learner"].nunique().reindex(full, fill_value=0)
    assert list(got.columns) == ["period", "mastered", "cumulative", "learners"]
    assert (got["period"] == full.start_time.tz_localize("UTC")).all()
    assert (got["mastered"].to_numpy() == counts.to_numpy()).all()
    assert (got["cumulative"].to_numpy() == counts.cumsum().to_numpy()).all()
    assert (got["learners"].to_numpy() == learners.to_numpy()).all()
    assert got["cumulative"].iloc[-1] == hit.sum()


def test_progress_rejects_a_bad_freq_and_is_empty_without_masteries(sim, fractions):
    _, _, _, _, r = sim
    with pytest.raises(ValueError, match="freq"):
        r.progress("fortnightly")
    empty = mm.Roster(fractions, mmt.policy())
    p = empty.progress()
    assert len(p) == 0 and list(p.columns) == ["period", "mastered", "cumulative", "learners"]
    assert len(empty.learning_curve()) == 0
    b = empty.bottlenecks()
    assert len(b) == len(fractions) and (b["score"] == 0).all()


def test_summary_and_time_to_mastery_equal_oracles_on_simulated_data(sim):
    fw, policy, ev, truth, r = sim
    C, L = len(fw), len(r)
    s = r.summary(min_n=1)
    st = r.statuses().reshape(L, C)
    for name, k in STATUS.items():
        assert (s[name].to_numpy() == (st == k).sum(axis=0)).all(), name
    sc = r.scores().reshape(L, C)
    with np.errstate(invalid="ignore"):
        mean = pd.DataFrame(sc).mean(axis=0).to_numpy()
    np.testing.assert_allclose(s["mean_score"].astype(float), mean, rtol=1e-12)
    sm = pytest.importorskip("statsmodels.api")
    km = r.time_to_mastery().set_index("competency")
    sp = r._first_mastery(float("nan"))
    ids = list(fw)
    checked = 0
    for c in np.unique(sp["competency"]):
        k = sp["competency"] == c
        if sp["event"][k].sum() == 0:
            continue
        f = sm.SurvfuncRight((sp["end"][k] - sp["origin"][k]) / DAY, sp["event"][k])
        want = f.quantile(0.5)
        got = km.loc[ids[c], "median"]
        assert (np.isnan(got) and np.isnan(want)) or abs(got - want) <= 1e-12
        checked += 1
    assert checked >= 5


def test_new_analytics_do_not_depend_on_threads(sim):
    fw, policy, ev, truth, r = sim
    r1 = roster_of(fw, policy, ev, threads=1)
    r3 = roster_of(fw, policy, ev, threads=3)
    for name in ("bottlenecks", "learning_curve", "progress"):
        pd.testing.assert_frame_equal(getattr(r1, name)(), getattr(r3, name)())


# --- groups_by_frontier: the exact inverse of the per-learner queries (property test) ----------

hypothesis = pytest.importorskip("hypothesis")
st_ = hypothesis.strategies


@hypothesis.settings(max_examples=12, deadline=None, derandomize=True,
                     suppress_health_check=list(hypothesis.HealthCheck))
@hypothesis.given(seed=st_.integers(0, 2**32 - 1), learners=st_.integers(1, 60),
                  learns=st_.floats(0.02, 0.6), spin=st_.integers(1, 12),
                  days=st_.sampled_from([0.0, 1.0, 5.0, 30.0]))
def test_groups_by_frontier_is_the_inverse_of_the_per_learner_queries(fractions, seed, learners,
                                                                      learns, spin, days):
    fw = fractions
    ev, _ = mmt.simulate(fw, mmt.policy(), learners, seed=seed, params={"learns": learns},
                         attempts=40, max_attempts=15, interval=DAY / 2)
    r = roster_of(fw, mmt.policy(), ev, threads=2)
    as_of = r.as_of
    e = ev[ev["time"] <= as_of]
    counted = e.groupby(["learner", "competency"], observed=True)["time"].agg(["size", "min"])
    ready = r.groups_by_frontier("ready")
    stuck = r.groups_by_frontier("stuck", stuck_evidence=spin, stuck_days=days)
    want_ready, want_stuck = set(), set()
    for learner in r.learners:
        st = r.learner(learner)
        want_ready |= {(learner, c) for c in st.frontier()}
        statuses = st.statuses()
        for j, c in enumerate(fw):
            if mm.STATUSES[statuses[j]] not in ("in_progress", "awaiting_confirmation"):
                continue
            if (learner, c) not in counted.index:
                continue
            n, first = counted.loc[(learner, c)]
            if n >= spin or (days > 0 and first <= as_of - days * DAY):
                want_stuck.add((learner, c))
    assert set(zip(ready["learner"].astype(str), ready["competency"].astype(str))) == want_ready
    assert set(zip(stuck["learner"].astype(str), stuck["competency"].astype(str))) == want_stuck
