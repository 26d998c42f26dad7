"""Cohort analytics on 100,000 simulated learners over the Common Core map: Roster.summary (by
group), groups_by_frontier (ready, stuck), bottlenecks, time_to_mastery (Kaplan-Meier for every
competency), learning_curve and progress, each against a pandas oracle computing the same
figures in the same run (medians of repeated calls; read ratios of medians). Targets:
summary + groups_by_frontier + bottlenecks within 100 ms in total, Kaplan-Meier for every
competency within 200 ms. Prints a markdown table.

Evidence: masterymap.testing.simulate (BKT learners on their true frontier, four groups with
different learning rates, 50 pieces of evidence each, one competency slowed down).
Run: PYTHONPATH=build/dev/python /usr/bin/python3 benchmarks/bench_cohort.py [learners]
(`--numpy` for the older seeded-numpy evidence with self-assessments.)
"""
import pathlib
import sys
import time

import numpy as np
import pandas as pd

import masterymap as mm
import masterymap.testing as mmt

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from timing import median_time  # noqa: E402

import ccss  # noqa: E402

DATA = ccss.DATA
DAY = 86400.0


def evidence(fw, learners, seed=14):
    rng = np.random.default_rng(seed)
    order = np.array([list(fw).index(c) for c in fw.topological_order()])
    ids = np.array(list(fw))
    span = rng.integers(3, 12, learners)               # competencies per learner
    first = rng.integers(0, len(order) - 12, learners)
    lc = np.repeat(np.arange(learners), span)
    pos = first[lc] + (np.arange(len(lc)) - np.repeat(np.cumsum(span) - span, span))
    tries = rng.integers(1, 13, len(lc))
    li = np.repeat(lc, tries)
    ci = np.repeat(order[pos], tries)
    k = np.arange(len(li)) - np.repeat(np.cumsum(tries) - tries, tries)  # try number
    skill = rng.uniform(0.2, 0.9, learners)[li]
    score = 1 + rng.binomial(3, np.minimum(1.0, skill + 0.05 * k))
    gap = rng.exponential(2.0, len(li)) * DAY
    cs = np.cumsum(gap)
    begin = np.cumsum(np.bincount(li, minlength=learners)) - np.bincount(li, minlength=learners)
    start = rng.uniform(0, 60, learners) * DAY
    t = 1.75e9 + np.floor(start[li] + cs - (cs[begin] - gap[begin])[li])
    kind = np.where(rng.random(len(li)) < 0.1, "self", "formative")
    return pd.DataFrame({
        "learner": pd.Categorical.from_codes(li, [f"s{i:06d}" for i in range(learners)]),
        "competency": pd.Categorical.from_codes(ci, ids),
        "time": t, "score": score.astype(np.float64), "kind": kind,
    })


# --- pandas oracles of the same figures -------------------------------------------------------

def oracle_summary(r, group_of, names):
    L, C = len(r), len(r.framework)
    st = r.statuses().reshape(-1)
    sc = r.scores().reshape(-1)
    comp = np.tile(np.arange(C), L)
    grp = np.repeat(group_of, C)
    df = pd.DataFrame({"g": grp, "c": comp, "s": st, "x": sc})
    counts = df.groupby(["c", "s"]).size().unstack(fill_value=0)
    by_g = df[df["g"] >= 0].groupby(["g", "c", "s"]).size().unstack(fill_value=0)
    stats = df.groupby("c")["x"].agg(["count", "sum", "mean", "median"])
    gstats = df[df["g"] >= 0].groupby(["g", "c"])["x"].agg(["count", "sum", "mean", "median"])
    return counts, by_g, stats, gstats


def oracle_frontier(r):
    f = r.frontier_matrix()
    L, C = f.shape
    idx = np.flatnonzero(f.reshape(-1))
    return pd.DataFrame({"c": idx % C, "l": idx // C}).sort_values(["c", "l"], kind="stable")


def oracle_stuck(r, ev, n=10, days=30):
    e = ev[(ev["kind"] != "self") & (ev["time"] <= r.as_of)]
    g = e.groupby(["learner", "competency"], observed=True)["time"].agg(["size", "min"])
    C = len(r.framework)
    li = g.index.get_level_values(0).codes
    ci = g.index.get_level_values(1).codes
    st = r.statuses().reshape(-1)[li.astype(np.int64) * C + ci]
    working = (st == 1) | (st == 2)
    hit = working & ((g["size"].to_numpy() >= n) | (g["min"].to_numpy() <= r.as_of - days * DAY))
    return g[hit].sort_index(level=[1, 0])


def oracle_bottlenecks(r, ev, gating, n=10, days=30):
    """Every figure of Roster.bottlenecks with pandas and numpy: the stuck oracle, the frontier
    matrix summed, statuses counted, and the gaps by a reachability sweep over the gating
    edges (every edge of the map is required: a link is unmet while its prerequisite is not
    done)."""
    L, C = len(r), len(r.framework)
    st = r.statuses().reshape(L, C)
    stuck = oracle_stuck(r, ev, n, days)
    sc = stuck.index.get_level_values(1).codes
    ready_m = r.frontier_matrix().reshape(L, C).astype(bool)
    working = (st == 1) | (st == 2) | (st == 6)
    earned = (st == 3) | (st == 4)
    done = earned | (st == 5)
    src, dst, topo = gating
    reach = done.copy()
    for x in topo[::-1]:
        for y in dst[src == x]:
            reach[:, x] |= reach[:, y]
    gap = np.zeros((L, C), dtype=bool)
    for x, y in zip(src, dst):
        gap[:, x] |= ~done[:, x] & reach[:, y]
    out = pd.DataFrame({"stuck": np.bincount(sc, minlength=C), "ready": ready_m.sum(0),
                        "working": (ready_m & working).sum(0), "earned": earned.sum(0),
                        "gaps": gap.sum(0)})
    tried = out["earned"] + out["working"]
    out["rate"] = out["earned"] / tried.where(tried > 0)
    out["score"] = (out["stuck"] + ((1 - out["rate"]) * out["ready"]).fillna(0) + out["gaps"]) / L
    return out.sort_values("score", ascending=False, kind="stable")


def oracle_curve(ev, as_of, mastery_value):
    """Learning curves with pandas: cumcount per (learner, competency) in (time, row) order."""
    e = ev[(ev["kind"] != "self") & (ev["time"] <= as_of)]
    e = e.sort_values(["learner", "competency", "time"], kind="stable")
    opp = e.groupby(["learner", "competency"], observed=True).cumcount() + 1
    err = (e["score"] < mastery_value).astype(np.int64)
    out = err.groupby([e["competency"].cat.codes.rename("c"), opp.rename("k")]) \
        .agg(["size", "sum", "mean"])
    return out.sort_index()


def oracle_progress(spells, freq="W"):
    hit = spells["event"] != 0
    when = pd.to_datetime(spells["end"][hit], unit="s")
    counts = pd.Series(1, index=when).groupby(when.to_period(freq)).size()
    return counts.cumsum()


def oracle_km(spells):
    """Kaplan-Meier per competency with pandas (groupby, cumulative sums)."""
    d = pd.DataFrame({"c": spells["competency"], "t": (spells["end"] - spells["origin"]) / DAY,
                      "e": spells["event"]})
    by = d.groupby(["c", "t"])["e"].agg(["size", "sum"]).reset_index()
    by["n"] = by.groupby("c")["size"].transform(lambda s: s[::-1].cumsum()[::-1])
    by = by[by["sum"] > 0].copy()
    # exp of summed logs, as statsmodels (a plain cumprod rounds differently where S is 0.5)
    by["S"] = np.exp(np.log(1 - by["sum"] / by["n"]).groupby(by["c"]).cumsum())
    med = by[by["S"] < 0.5].groupby("c")["t"].first()
    # (pandas' grouped cumsum is compensated, numpy's is not: where S is 0.5 to within
    # rounding, the two may pick neighbouring times; the agreement check allows that.)
    lo = by[by["S"] < 0.5 + 1e-9].groupby("c")["t"].first()
    hi = by[by["S"] < 0.5 - 1e-9].groupby("c")["t"].first()
    return by, med, lo, hi


def main(learners=100_000, repeat=5, numpy_evidence=False):
    if not ccss.available():
        print(f"SKIPPED: {DATA} is absent")
        return
    fw, policy = ccss.framework(), ccss.policy()
    t0 = time.perf_counter()
    rng = np.random.default_rng(3)
    if numpy_evidence:
        ev = evidence(fw, learners)
        groups_of = rng.choice(["A", "B", "C", "D"], learners)
    else:
        ev0, truth0 = mmt.simulate(fw, policy, 2000, seed=3, attempts=60)
        slow = truth0["competency"].value_counts().index[0]
        ev, truth = mmt.simulate(fw, policy, learners, seed=14, attempts=50, max_attempts=20,
                                 params={"learns": 0.25, "guesses": 0.1},
                                 overrides={slow: {"learns": 0.03}},
                                 groups={"A": (1, 1.0), "B": (1, 0.8), "C": (1, 0.6),
                                         "D": (1, 0.4)})
        first = truth.drop_duplicates("learner").set_index("learner")["group"].astype(str)
    r = mm.Roster(fw, policy)
    r.ingest(ev)
    made = time.perf_counter() - t0
    print(f"{learners:,} learners x {len(fw)} competencies, {len(ev):,} events "
          f"(made and ingested in {made:.1f} s; threads={r.threads})")
    if numpy_evidence:
        groups = pd.Series(groups_of, index=list(r.learners))
    else:
        groups = first.reindex(list(r.learners)).fillna("A")
    names = sorted(set(groups))
    group_of = groups.map({g: i for i, g in enumerate(names)}).to_numpy(np.int32)
    ids = list(fw)
    pos = {c: i for i, c in enumerate(ids)}
    edges = fw.edges_frame()
    assert set(edges["strength"].astype(str)) <= {"required"} and edges["min_level"].isna().all(), \
        "the gaps oracle assumes required edges without levels"
    gating = (edges["prerequisite"].astype(str).map(pos).to_numpy(),
              edges["dependent"].astype(str).map(pos).to_numpy(),
              np.asarray(fw.topological_order(as_indices=True)))

    # Agreement first (the benchmark compares like with like).
    s = r.summary(groups, min_n=10)
    counts, by_g, stats, gstats = oracle_summary(r, group_of, names)
    whole = s[s["group"] == "all"]
    assert (whole["in_progress"].to_numpy() == counts.get(1, 0).reindex(range(len(fw)),
                                                                       fill_value=0)).all()
    big = (whole["scored"] >= 10).to_numpy()  # smaller cells are suppressed
    np.testing.assert_allclose(whole["mean_score"].astype(float)[big],
                               stats["mean"].reindex(range(len(fw)))[big], rtol=1e-9)
    np.testing.assert_allclose(whole["median_score"].astype(float)[big],
                               stats["median"].reindex(range(len(fw)))[big], rtol=1e-12)
    ready = r.groups_by_frontier("ready")
    o = oracle_frontier(r)
    assert (ready["competency"].cat.codes.to_numpy() == o["c"].to_numpy()).all()
    assert (ready["learner"].cat.codes.to_numpy() == o["l"].to_numpy()).all()
    stuck = r.groups_by_frontier("stuck")
    os_ = oracle_stuck(r, ev)
    assert len(stuck) == len(os_) and (stuck["counted"].to_numpy() == os_["size"].to_numpy()).all()
    b = r.bottlenecks()
    ob = oracle_bottlenecks(r, ev, gating)
    for col in ("stuck", "ready", "working", "earned", "gaps"):
        assert (b[col].to_numpy() == ob[col].to_numpy()).all(), col
    np.testing.assert_allclose(b["score"], ob["score"], rtol=1e-12)
    km = r.time_to_mastery()
    spells = r._first_mastery(float("nan"))
    by, med, lo, hi = oracle_km(spells)
    ours_med = km["median"].to_numpy()[med.index.to_numpy()]
    assert ((ours_med >= lo.reindex(med.index).to_numpy() - 1e-9)
            & (ours_med <= hi.reindex(med.index).fillna(np.inf).to_numpy() + 1e-9)).all()
    lc = r.learning_curve()
    oc = oracle_curve(ev, r.as_of, policy.scale.mastery_value)
    assert len(lc) == len(oc) and (lc["errors"].to_numpy() == oc["sum"].to_numpy()).all()
    pr = r.progress("W")
    assert (pr.loc[pr["mastered"] > 0, "cumulative"].to_numpy()
            == oracle_progress(spells).to_numpy()).all()
    print(f"agreement: summary, ready ({len(ready):,} rows), stuck ({len(stuck):,} rows), "
          f"bottlenecks (top: {b['competency'].iloc[0]}, {b['reasons'].iloc[0]}), "
          f"KM medians of {len(med)} competencies, learning curves ({len(lc):,} rows), "
          f"progress ({len(pr)} weeks)")

    rows = [  # (name, ours, oracle, in the 100 ms total)
        ("summary(by)", lambda: r.summary(groups, min_n=10),
         lambda: oracle_summary(r, group_of, names), True),
        ("groups_by_frontier ready", lambda: r.groups_by_frontier("ready"),
         lambda: oracle_frontier(r), True),
        ("groups_by_frontier stuck", lambda: r.groups_by_frontier("stuck"),
         lambda: oracle_stuck(r, ev), True),
        ("bottlenecks", lambda: r.bottlenecks(), lambda: oracle_bottlenecks(r, ev, gating), True),
        ("time_to_mastery (KM, every competency)", lambda: r.time_to_mastery(),
         lambda: oracle_km(r._first_mastery(float("nan"))), False),
        ("learning_curve", lambda: r.learning_curve(),
         lambda: oracle_curve(ev, r.as_of, policy.scale.mastery_value), False),
        ("progress(W)", lambda: r.progress("W"),
         lambda: oracle_progress(r._first_mastery(float("nan"))), False),
    ]
    print()
    print(f"{learners:,} learners x {len(fw)} competencies, {len(ev):,} events, "
          f"threads={r.threads}; medians of {repeat} (pandas: {max(1, repeat // 2)})")
    print()
    print("| call | masterymap (ms) | pandas oracle (ms) | ratio |")
    print("|---|---:|---:|---:|")
    total = total_pd = 0.0
    for name, ours, theirs, counted in rows:
        a = median_time(ours, repeat)
        b_ = median_time(theirs, max(1, repeat // 2))
        if counted:
            total += a
            total_pd += b_
        print(f"| {name} | {a * 1e3:.1f} | {b_ * 1e3:.1f} | {b_ / a:.1f}x |")
        if name == "bottlenecks":
            print(f"| **summary + groups (ready, stuck) + bottlenecks** (target 100 ms) | "
                  f"**{total * 1e3:.1f}** | {total_pd * 1e3:.1f} | {total_pd / total:.1f}x |")
    print()
    # The C++ passes alone (no DataFrame building).
    for name, fn in (("_summary (C++ pass)", lambda: r._summary(group_of, len(names))),
                     ("_summary + median attempts (C++)",
                      lambda: r._summary(group_of, len(names), attempts=True)),
                     ("_groups_by_frontier ready (C++)",
                      lambda: r._groups_by_frontier("ready", 10, 30.0, 14.0)),
                     ("_groups_by_frontier stuck (C++)",
                      lambda: r._groups_by_frontier("stuck", 10, 30.0, 14.0)),
                     ("_bottlenecks (C++)", lambda: r._bottlenecks(10, 30.0)),
                     ("frontier_matrix (C++)", lambda: r.frontier_matrix()),
                     ("_first_mastery (C++ replay)", lambda: r._first_mastery(float("nan"))),
                     ("_time_to_mastery (C++ replay + KM)",
                      lambda: r._time_to_mastery(float("nan"))),
                     ("_learning_curve (C++)", lambda: r._learning_curve())):
        print(f"{name:40s} {median_time(fn, repeat) * 1e3:9.1f} ms")


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    main(int(args[0]) if args else 100_000, numpy_evidence="--numpy" in sys.argv)
