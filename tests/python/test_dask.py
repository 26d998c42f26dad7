"""masterymap.dask: the same results as the in-process API, under the synchronous scheduler,
threads and a distributed LocalCluster (in-process and separate-process workers), with
partitions that split nothing, split learners arbitrarily, are empty, and evidence with equal
times (ties broken by row order)."""
import pickle
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

import masterymap as mm
import masterymap.testing as mmt

dask = pytest.importorskip("dask")
dd = pytest.importorskip("dask.dataframe")
mmd = pytest.importorskip("masterymap.dask")
mmd_rows = pytest.importorskip("masterymap._dask_rows")

pytestmark = [
    # distributed's own deprecations and resource notes (not ours) must not fail the tests
    pytest.mark.filterwarnings("ignore::DeprecationWarning"),
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
    pytest.mark.filterwarnings("ignore:.*(Port|port).*:UserWarning"),
]

AS_OF = "2024-12-01"


# --- data -------------------------------------------------------------------------------------

def _with_ties(ev):
    """Every third row of a learner takes the time of the row before it on the same competency
    (equal times: the row order decides which score is the latest)."""
    ev = ev.copy()
    same = ((ev["learner"] == ev["learner"].shift()) & (ev["competency"] == ev["competency"].shift()))
    pick = same & (np.arange(len(ev)) % 3 == 0)
    t = ev["time"].to_numpy().copy()
    idx = np.flatnonzero(pick.to_numpy())
    t[idx] = t[idx - 1]
    ev["time"] = t
    assert len(idx) > 10
    return ev


@pytest.fixture(scope="module")
def world():
    fw = mmt.diamond()
    pol = mmt.policy()
    ev, _ = mmt.simulate(fw, pol, learners=40, seed=7, attempts=25, groups={"x": 1, "y": 1})
    ev = _with_ties(ev)
    # Interleave learners (time order, stable): any split of the rows then splits learners.
    ev = ev.sort_values("time", kind="stable").reset_index(drop=True)
    return fw, pol, ev


def _split(ev, how):
    """A Dask frame of ``ev``: one partition, contiguous chunks, or chunks with empty
    partitions around and between them."""
    if how == "one":
        return dd.from_pandas(ev, npartitions=1, sort=False)
    if how == "chunks":
        return dd.from_pandas(ev, npartitions=4, sort=False)
    cuts = np.linspace(0, len(ev), 4).astype(int)
    empty = ev.iloc[:0]
    pieces = [empty, ev.iloc[cuts[0]:cuts[1]], empty, ev.iloc[cuts[1]:cuts[2]],
              ev.iloc[cuts[2]:cuts[3]], empty]
    return dd.from_delayed([dask.delayed(p) for p in pieces], meta=empty, verify_meta=False)


def _log(ev):
    log = mm.EvidenceLog()
    log.extend(ev)
    return log


def _roster(fw, pol, ev, as_of=AS_OF):
    r = mm.Roster(fw, pol, as_of=as_of)
    r.ingest(ev)
    return r


# --- schedulers -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def clients():
    distributed = pytest.importorskip("distributed")
    out = {}
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as c1, \
            distributed.Client(c1, set_as_default=False) as k1, \
            distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                     dashboard_address=None) as c2, \
            distributed.Client(c2, set_as_default=False) as k2:
        out["inproc"], out["procs"] = k1, k2
        yield out


SCHEDULERS = ["sync", "threads", "inproc", "procs"]


def _run(obj, scheduler, clients):
    if scheduler in ("sync", "threads"):
        return dask.compute(obj, scheduler=scheduler)[0]
    return clients[scheduler].compute(obj).result()


@pytest.fixture(params=SCHEDULERS)
def run(request):
    name = request.param
    c = request.getfixturevalue("clients") if name in ("inproc", "procs") else None
    # Without a client Dask picks its default shuffle; on a cluster, the task shuffle.
    shuffle = "tasks" if c else None
    return (lambda obj: _run(obj, name, c)), shuffle


def _sorted(frame, keys):
    out = frame.copy()
    for k in keys:
        if isinstance(out[k].dtype, pd.CategoricalDtype) and not out[k].cat.ordered:
            out[k] = out[k].astype(str)
    return out.sort_values(keys, kind="stable").reset_index(drop=True)


# --- ratings ----------------------------------------------------------------------------------

@pytest.mark.parametrize("how", ["one", "chunks", "empty"])
def test_ratings_equal_the_local_ones(world, run, how):
    fw, pol, ev = world
    compute, shuffle = run
    ddf = _split(ev, how)
    got = compute(mmd.ratings(fw, pol, ddf, as_of=AS_OF, npartitions=3, shuffle=shuffle))
    want = mm.ratings(fw, pol, _log(ddf.compute(scheduler="sync")), as_of=AS_OF)
    assert len(got) == len(want) > 0
    pd.testing.assert_frame_equal(_sorted(got, ["learner", "competency"]),
                                  _sorted(want, ["learner", "competency"]), check_exact=True)
    # Within a partition's learners, the local frame's relative order.
    pos = {(a, b): i for i, (a, b) in enumerate(zip(want["learner"].astype(str),
                                                    want["competency"].astype(str)))}
    lazy = mmd.ratings(fw, pol, ddf, as_of=AS_OF, npartitions=3, shuffle=shuffle)
    for k in range(lazy.npartitions):
        part = dask.compute(lazy.get_partition(k), scheduler="sync")[0]
        p = [pos[(a, b)] for a, b in zip(part["learner"].astype(str),
                                         part["competency"].astype(str))]
        assert p == sorted(p)


def test_ratings_meta_has_the_local_dtypes(world):
    fw, pol, ev = world
    lazy = mmd.ratings(fw, pol, _split(ev, "chunks"), as_of=AS_OF)
    want = mm.ratings(fw, pol, _log(ev), as_of=AS_OF)
    assert list(lazy.columns) == list(want.columns)
    for c in want.columns:
        if c == "learner":
            assert isinstance(lazy.dtypes[c], pd.CategoricalDtype)
            assert not dd.utils.has_known_categories(lazy._meta[c])
        else:
            assert lazy.dtypes[c] == want.dtypes[c], c
    got = lazy.compute(scheduler="sync")
    for c in want.columns:
        if c != "learner":
            assert got.dtypes[c] == want.dtypes[c]
    assert sorted(got["learner"].cat.categories) == sorted(want["learner"].cat.categories)


def test_many_empty_partitions_after_the_shuffle(world):
    fw, pol, ev = world
    got = mmd.ratings(fw, pol, _split(ev, "empty"), as_of=AS_OF,
                      npartitions=97).compute(scheduler="sync")
    want = mm.ratings(fw, pol, _log(ev), as_of=AS_OF)
    pd.testing.assert_frame_equal(_sorted(got, ["learner", "competency"]),
                                  _sorted(want, ["learner", "competency"]), check_exact=True)


def test_row_order_is_restored_after_the_shuffle(world):
    """The trap: a shuffle that reorders a learner's rows changes which of two equal-time
    scores is the latest. Rows reversed as a shuffle may leave them give other ratings; the
    global row number puts them back."""
    fw, pol, ev = world
    numbered = mmd_rows._number(ev, 0, "learner", "learner")
    shuffled = numbered.iloc[::-1]
    engine = mm.Engine(fw, pol)
    want = mm.ratings(fw, pol, _log(ev), as_of=AS_OF)
    got = mmd._ratings_part(shuffled, engine, "learner", None, 1, False)
    pd.testing.assert_frame_equal(_sorted(got, ["learner", "competency"]),
                                  _sorted(want, ["learner", "competency"]), check_exact=True)
    naive = mm.ratings(fw, pol, _log(shuffled.drop(columns=[mmd_rows.ROW, mmd_rows.PART])), as_of=AS_OF)
    a = _sorted(naive, ["learner", "competency"])
    b = _sorted(want, ["learner", "competency"])
    assert not a[["score", "rating"]].equals(b[["score", "rating"]]), \
        "the data has no tie whose order matters"


def test_time_dependent_policy_needs_as_of(world):
    fw, _, ev = world
    pol = mmt.policy()
    pol.override("B", rule=mm.Rule(window_days=30))
    with pytest.raises(ValueError, match=r"as_of is required.*competencies\['B'\]\.window_days=30"):
        mmd.ratings(fw, pol, _split(ev, "one"))
    with pytest.raises(ValueError, match="as_of is required"):
        mmd.summary(fw, pol, _split(ev, "one"))
    got = mmd.ratings(fw, pol, _split(ev, "chunks"), as_of=AS_OF).compute(scheduler="sync")
    want = mm.ratings(fw, pol, _log(ev), as_of=AS_OF)
    pd.testing.assert_frame_equal(_sorted(got, ["learner", "competency"]),
                                  _sorted(want, ["learner", "competency"]), check_exact=True)


def _walk(x):
    if isinstance(x, (tuple, list)):
        for y in x:
            yield from _walk(y)
    elif isinstance(x, dict):
        for y in x.values():
            yield from _walk(y)
    else:
        yield x
        dsk = getattr(x, "dsk", None)  # a fused task (SubgraphCallable)
        if isinstance(dsk, dict):
            yield from _walk(dsk)


def test_framework_and_policy_travel_once_per_graph(world):
    fw, pol, ev = world
    lazy = mmd.ratings(fw, pol, _split(ev, "chunks"), as_of=AS_OF, npartitions=5)
    graph = dict(lazy.__dask_graph__())
    holding = [k for k, v in graph.items()
               if any(isinstance(o, (mm.Engine, mm.Framework, mm.Policy)) for o in _walk(v))]
    assert len(holding) == 1
    # ... and pickled once: only that entry's pickle carries the framework.
    cloudpickle = pytest.importorskip("cloudpickle")  # how Dask sends tasks
    marker = fw.__getstate__().encode()  # the pickled framework's state
    assert marker in cloudpickle.dumps(graph[holding[0]])
    assert marker not in b"".join(cloudpickle.dumps(v) for k, v in graph.items()
                                  if k not in holding)
    # the cohort graphs too
    s = mmd.summary(fw, pol, _split(ev, "chunks"), as_of=AS_OF, npartitions=5)
    graph = dict(s.__dask_graph__())
    holding = [k for k, v in graph.items()
               if any(isinstance(o, (mm.Engine, mm.Framework, mm.Policy)) for o in _walk(v))]
    assert len(holding) == 1


def test_one_cpp_thread_per_task_by_default(world, monkeypatch):
    fw, pol, ev = world
    seen = []
    real = mm.Engine.ratings

    def spy(self, log, **kw):
        if len(log):  # (not the empty log that makes the meta)
            seen.append(kw.get("threads"))
        return real(self, log, **kw)

    monkeypatch.setattr(mm.Engine, "ratings", spy)
    mmd.ratings(fw, pol, _split(ev, "chunks"), as_of=AS_OF).compute(scheduler="sync")
    assert seen and set(seen) == {1}


# --- cohort analytics -------------------------------------------------------------------------

@pytest.mark.parametrize("how", ["one", "empty"])
def test_summary_equals_the_local_one(world, run, how):
    fw, pol, ev = world
    compute, shuffle = run
    ddf = _split(ev, how)
    # Every learner named (odd ones without a group), and one the frame does not have, in a
    # group of its own that is not listed.
    learners = sorted(set(ev["learner"].astype(str)))
    by = pd.Series({lr: (np.nan if int(lr[1:]) % 2 else ("x" if int(lr[1:]) % 3 else "y"))
                    for lr in learners} | {"ghost": "z"}, dtype=object)
    got = compute(mmd.summary(fw, pol, ddf, by, min_n=2, as_of=AS_OF, npartitions=3,
                              shuffle=shuffle))
    want = _roster(fw, pol, ev).summary(by, min_n=2)
    pd.testing.assert_frame_equal(got, want, check_exact=True)
    assert "z" not in set(got["group"].astype(str))
    # A learner missing from by is an error, as Roster.summary says.
    with pytest.raises(ValueError, match="by has no group for 1 learner"):
        compute(mmd.summary(fw, pol, ddf, by.drop(learners[0]), as_of=AS_OF, npartitions=3,
                            shuffle=shuffle))


def test_summary_default_min_n_is_roster_summarys(world):
    """min_n=None: no suppression without by, 10 with it, as Roster.summary (a roster of 6)."""
    fw, pol, ev = world
    six = sorted(set(ev["learner"].astype(str)))[:6]
    few = ev[ev["learner"].astype(str).isin(six)].copy()
    few["learner"] = few["learner"].astype(str)  # not the categories of all 40 learners
    local = _roster(fw, pol, few)
    got = mmd.summary(fw, pol, _split(few, "chunks"), as_of=AS_OF).compute(scheduler="sync")
    pd.testing.assert_frame_equal(got, local.summary(), check_exact=True)
    pd.testing.assert_frame_equal(got, local.summary(min_n=0), check_exact=True)
    assert not got["suppressed"].any() and "group" not in got.columns
    by = pd.Series(["x", "y"] * 3, index=six, dtype=object)
    got = mmd.summary(fw, pol, _split(few, "chunks"), by, as_of=AS_OF).compute(scheduler="sync")
    pd.testing.assert_frame_equal(got, local.summary(by, min_n=10), check_exact=True)
    assert got["suppressed"].all()


def test_summary_default_as_of_is_the_latest_time(world):
    fw, pol, ev = world
    got = mmd.summary(fw, pol, _split(ev, "chunks"), min_n=1).compute(scheduler="sync")
    want = _roster(fw, pol, ev, None).summary(min_n=1)
    pd.testing.assert_frame_equal(got, want, check_exact=True)


def test_cohort_calls_without_as_of_take_what_a_roster_takes(world):
    """The default as_of (the latest evidence time) reads each partition as a roster does: a
    school's own kind and the scale's labels as scores are accepted, not refused."""
    fw, pol, ev = world
    ev = ev.copy()
    ev["kind"] = np.where(np.arange(len(ev)) % 5 == 0, "quiz", "formative")
    labels = list(pol.scale.labels)
    ev["score"] = pd.Series([labels[int(x) - 1] if x == int(x) and 1 <= x <= len(labels) else x
                             for x in ev["score"]], dtype=object)
    ddf = _split(ev, "chunks")
    r = _roster(fw, pol, ev, None)
    pd.testing.assert_frame_equal(mmd.summary(fw, pol, ddf, min_n=1).compute(scheduler="sync"),
                                  r.summary(min_n=1), check_exact=True)
    pd.testing.assert_frame_equal(mmd.time_to_mastery(fw, pol, ddf).compute(scheduler="sync"),
                                  r.time_to_mastery(), check_exact=True)
    pd.testing.assert_frame_equal(
        mmd.groups_by_frontier(fw, pol, ddf, "stuck").compute(scheduler="sync"),
        r.groups_by_frontier("stuck"), check_exact=True)


@pytest.mark.parametrize("table", [False, True])
def test_time_to_mastery_equals_the_local_one(world, run, table):
    fw, pol, ev = world
    compute, shuffle = run
    got = compute(mmd.time_to_mastery(fw, pol, _split(ev, "empty"), table=table, as_of=AS_OF,
                                      npartitions=3, shuffle=shuffle))
    want = _roster(fw, pol, ev).time_to_mastery(table=table)
    assert len(want) > 0
    pd.testing.assert_frame_equal(got, want, check_exact=True)


def test_time_to_mastery_with_an_origin(world):
    fw, pol, ev = world
    got = mmd.time_to_mastery(fw, pol, _split(ev, "chunks"), origin="2024-08-01",
                              as_of=AS_OF).compute(scheduler="sync")
    want = _roster(fw, pol, ev).time_to_mastery(origin="2024-08-01")
    pd.testing.assert_frame_equal(got, want, check_exact=True)


@pytest.mark.parametrize("kind", ["ready", "recent", "stuck"])
def test_groups_by_frontier_equal_the_local_ones(world, run, kind):
    fw, pol, ev = world
    compute, shuffle = run
    opts = dict(stuck_evidence=3, stuck_days=5.0, recent_days=60.0)
    got = compute(mmd.groups_by_frontier(fw, pol, _split(ev, "empty"), kind, as_of=AS_OF,
                                         npartitions=3, shuffle=shuffle, **opts))
    want = _roster(fw, pol, ev).groups_by_frontier(kind, **opts)
    assert len(want) > 0
    # exactly equal: row order and learner categories (first appearance in the whole frame)
    pd.testing.assert_frame_equal(got, want, check_exact=True)


# --- BKT --------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def responses():
    fw = mmt.chain(6)
    ev, _ = mmt.simulate(fw, mmt.policy(), learners=60, seed=11, attempts=30)
    ev = ev.sort_values("time", kind="stable").reset_index(drop=True)
    return mmt.bkt_responses(ev)


@pytest.mark.parametrize("how", ["chunks", "empty"])
def test_bkt_fit_equals_the_local_fit(responses, run, how):
    compute, shuffle = run
    ddf = _split(responses, how)
    got = compute(mmd.bkt_fit(ddf, num_fits=3, seed=5, forgets=True, npartitions=4,
                              shuffle=shuffle))
    want = mm.bkt.fit(responses, num_fits=3, seed=5, forgets=True)
    assert got == want
    assert got.core.skills == want.core.skills
    pd.testing.assert_frame_equal(got.params(), want.params(), check_exact=True)


def _skill_frames():
    """The simulator's frame as bkt.fit takes it, rows reversed: the skills' first appearance
    (C4, C3, ...) is not the category order (C1, C2, ...), nor the numeric order of int ids."""
    ev, _ = mmt.simulate(mmt.chain(4), mmt.policy(), learners=12, seed=3, attempts=8)
    b = ev.rename(columns={"learner": "user_id", "competency": "skill_name"})
    b = b.iloc[::-1].reset_index(drop=True)
    assert isinstance(b["skill_name"].dtype, pd.CategoricalDtype)
    ints = b["skill_name"].astype(str).map({"C1": 40, "C2": 7, "C3": 300, "C4": 12})
    return {
        "categorical": b,
        "categorical, categories in another order": b.assign(
            skill_name=b["skill_name"].cat.reorder_categories(["C3", "C1", "C4", "C2"])),
        "categorical of ints, unused categories": b.assign(
            skill_name=pd.Categorical(ints, categories=[5, 300, 12, 40, 7])),
        "object": b.assign(skill_name=b["skill_name"].astype(str).astype(object)),
        "int": b.assign(skill_name=ints.astype(np.int64)),
    }


@pytest.mark.parametrize("dtype", list(_skill_frames()))
@pytest.mark.parametrize("npartitions", [1, 3])
def test_bkt_fit_skills_in_the_local_order(dtype, npartitions):
    """Locally a categorical skill column's skills follow the category order, others their
    first appearance: the Dask fit numbers them the same way."""
    b = _skill_frames()[dtype]
    want = mm.bkt.fit(b, seed=7, num_fits=1)
    got = mmd.bkt_fit(dd.from_pandas(b, npartitions=npartitions, sort=False), seed=7,
                      num_fits=1, npartitions=2).compute(scheduler="sync")
    assert got.skills == want.skills
    assert got.core.skills == want.core.skills
    assert got == want
    pd.testing.assert_frame_equal(got.params(), want.params(), check_exact=True)


def test_bkt_fit_rejects_multigs(responses):
    with pytest.raises(ValueError, match="multigs"):
        mmd.bkt_fit(_split(responses, "one"), multigs=True)


# --- travelling -------------------------------------------------------------------------------

def test_graphs_and_results_pickle(world):
    fw, pol, ev = world
    lazy = mmd.ratings(fw, pol, _split(ev, "chunks"), as_of=AS_OF)
    cloudpickle = pytest.importorskip("cloudpickle")  # how Dask sends graphs
    again = pickle.loads(cloudpickle.dumps(lazy))
    pd.testing.assert_frame_equal(_sorted(again.compute(scheduler="sync"), ["learner", "competency"]),
                                  _sorted(lazy.compute(scheduler="sync"), ["learner", "competency"]),
                                  check_exact=True)
    s = mmd.summary(fw, pol, _split(ev, "chunks"), as_of=AS_OF)
    pd.testing.assert_frame_equal(pickle.loads(cloudpickle.dumps(s)).compute(scheduler="sync"),
                                  s.compute(scheduler="sync"), check_exact=True)
    # a partition's roster, as a process worker would send it
    parts, _ = mmd._rosters(fw, pol, _split(ev, "chunks"), AS_OF, "learner", 1, None, None, "t")
    r, first = dask.compute(parts[0], scheduler="sync")[0]
    r2 = pickle.loads(pickle.dumps(r))
    assert r2 == r


def test_bad_arguments(world):
    fw, pol, ev = world
    with pytest.raises(KeyError, match="'student'"):
        mmd.ratings(fw, pol, _split(ev, "one"), learner="student", as_of=AS_OF)
    with pytest.raises(TypeError, match="by"):
        mmd.summary(fw, pol, _split(ev, "one"), by=3, as_of=AS_OF)
    with pytest.raises(ValueError, match="kind"):
        mmd.groups_by_frontier(fw, pol, _split(ev, "one"), "bored", as_of=AS_OF)
    with pytest.raises(TypeError, match="ddf must be a DataFrame, got pandas DataFrame"):
        mmd.ratings(fw, pol, ev, as_of=AS_OF)


def test_bad_arguments_name_the_dask_function(world, responses):
    fw, pol, ev = world
    ddf = _split(ev, "chunks")
    for n in (0, -1):
        with pytest.raises(ValueError, match=r"masterymap\.dask\.ratings\(\): npartitions must "
                                             r"be >= 1"):
            mmd.ratings(fw, pol, ddf, as_of=AS_OF, npartitions=n)
    with pytest.raises(ValueError, match=r"masterymap\.dask\.summary\(\): npartitions"):
        mmd.summary(fw, pol, ddf, as_of=AS_OF, npartitions=0)
    with pytest.raises(ValueError, match=r"masterymap\.dask\.time_to_mastery\(\): npartitions"):
        mmd.time_to_mastery(fw, pol, ddf, as_of=AS_OF, npartitions=0)
    with pytest.raises(ValueError, match=r"masterymap\.dask\.groups_by_frontier\(\): npartitions"):
        mmd.groups_by_frontier(fw, pol, ddf, as_of=AS_OF, npartitions=0)
    with pytest.raises(ValueError, match=r"masterymap\.dask\.bkt_fit\(\): npartitions"):
        mmd.bkt_fit(_split(responses, "one"), npartitions=0)
    # The cohort code shared with Roster names the Dask function, at once and at compute.
    with pytest.raises(TypeError, match=r"^masterymap\.dask\.summary\(\): by must be"):
        mmd.summary(fw, pol, ddf, by=3, as_of=AS_OF)
    with pytest.raises(TypeError, match=r"^masterymap\.dask\.time_to_mastery\(\): origin"):
        mmd.time_to_mastery(fw, pol, ddf, origin=[1], as_of=AS_OF)
    learners = sorted(set(ev["learner"].astype(str)))
    by = pd.Series({lr: "x" for lr in learners[1:]}, dtype=object)
    with pytest.raises(ValueError, match=r"^masterymap\.dask\.summary\(\): by has no group "
                                         r"for 1 learner"):
        mmd.summary(fw, pol, ddf, by, as_of=AS_OF).compute(scheduler="sync")


def _bad(ev, times=(), scores=()):
    """``ev`` with missing times and out-of-range scores at those positions (and an index that
    is not the positions: errors number rows by position)."""
    bad = ev.copy()
    t = bad["time"].to_numpy().copy()
    t[list(times)] = np.nan
    sc = bad["score"].to_numpy().copy()
    sc[list(scores)] = -5
    bad["time"], bad["score"] = t, sc
    bad.index = np.arange(len(bad)) * 10 + 3
    return bad


def _local_error(fw, pol, frame):
    with pytest.raises(mm.EvidenceError) as e:
        mm.EvidenceLog().extend(frame.reset_index(drop=True), framework=fw, policy=pol)
    return e.value


def test_bad_rows_are_numbered_as_in_the_whole_frame(world):
    """An EvidenceError from a partition gives its rows as positions in ddf.compute(), every
    problem of that partition, and says so; here all bad rows are one learner's, in different
    input partitions, so the one failing partition has them all."""
    fw, pol, ev = world
    rows = np.flatnonzero((ev["learner"] == "L5").to_numpy())
    picks = [rows[2], rows[len(rows) // 2], rows[-3]]
    frame = _bad(ev, times=[picks[0], picks[2]], scores=[picks[1]])
    ddf = dd.from_pandas(frame, npartitions=4, sort=False)
    assert len({int(np.searchsorted(np.cumsum(ddf.map_partitions(len).compute()), r, "right"))
                for r in picks}) == 3  # in three input partitions
    want = _local_error(fw, pol, frame)
    assert want.rows == sorted(int(r) for r in picks)
    for call in (lambda: mmd.ratings(fw, pol, ddf, as_of=AS_OF, npartitions=3),
                 lambda: mmd.summary(fw, pol, ddf, as_of=AS_OF, npartitions=3),
                 lambda: mmd.time_to_mastery(fw, pol, ddf, as_of=AS_OF)):
        with pytest.raises(mm.EvidenceError) as e:
            call().compute(scheduler="sync")
        got = e.value
        assert got.rows == want.rows
        assert [p["message"] for p in got.problems] == [p["message"] for p in want.problems]
        assert [p["row"] for p in got.problems] == want.rows
        assert "3 problems: " + "; ".join(p["message"] for p in want.problems) in str(got)
        assert "positions in ddf.compute()" in str(got)
        assert str(got).startswith("masterymap.dask.")
        again = pickle.loads(pickle.dumps(got))  # as a process worker sends it back
        assert again.rows == got.rows and again.problems == got.problems


def test_bad_rows_of_several_learners(world):
    """Bad rows of learners in different partitions: the error is one partition's, its rows
    numbered as the whole frame does, its problems those of the local error for those rows."""
    fw, pol, ev = world
    frame = _bad(ev, times=[300, 700], scores=[450])
    want = _local_error(fw, pol, frame)
    by_row = {p["row"]: p["message"] for p in want.problems}
    assert sorted(by_row) == [300, 450, 700]
    with pytest.raises(mm.EvidenceError) as e:
        mmd.ratings(fw, pol, dd.from_pandas(frame, npartitions=4, sort=False),
                    as_of=AS_OF).compute(scheduler="sync")
    got = e.value
    assert got.rows and set(got.rows) <= set(by_row)
    assert {p["row"]: p["message"] for p in got.problems} == {r: by_row[r] for r in got.rows}
    learners = {str(frame["learner"].iloc[r]) for r in got.rows}
    # every problem of the failing partition's learners is there
    assert set(got.rows) == {r for r in by_row if str(frame["learner"].iloc[r]) in learners}


def test_bad_rows_with_the_default_as_of(world):
    """The cohort calls' default as_of reads every partition's times first: a missing time is
    reported there, numbered as in the whole frame."""
    fw, pol, ev = world
    frame = _bad(ev, times=[611])
    with pytest.raises(mm.EvidenceError, match=r"^masterymap\.dask\.summary\(\): 1 problem: "
                                               r"row 611: missing time"):
        mmd.summary(fw, pol, dd.from_pandas(frame, npartitions=4, sort=False),
                    npartitions=2).compute(scheduler="sync")


def test_bkt_fit_bad_rows_are_numbered_as_in_the_whole_frame(responses):
    bad = responses.copy()
    c = bad["correct"].to_numpy().copy()
    c[len(bad) - 5] = 2
    bad["correct"] = c
    with pytest.raises(ValueError, match=rf"row {len(bad) - 5} has 2"):
        mm.bkt.fit(bad)
    with pytest.raises(ValueError, match=rf"^masterymap\.dask\.bkt_fit\(\): .*row "
                                         rf"{len(bad) - 5} has 2.*positions in ddf\.compute"):
        mmd.bkt_fit(dd.from_pandas(bad, npartitions=3, sort=False),
                    num_fits=1).compute(scheduler="sync")


def test_other_learner_column_name(world):
    fw, pol, ev = world
    renamed = ev.rename(columns={"learner": "student"})
    got = mmd.ratings(fw, pol, _split(renamed, "chunks"), learner="student",
                      as_of=AS_OF).compute(scheduler="sync")
    want = mm.ratings(fw, pol, _log(ev), as_of=AS_OF)
    pd.testing.assert_frame_equal(_sorted(got, ["learner", "competency"]),
                                  _sorted(want, ["learner", "competency"]), check_exact=True)


def test_import_masterymap_does_not_import_dask():
    code = "import sys, masterymap; print('dask' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_partition_hash_is_the_hash_of_each_rows_id_text():
    # The hash of each distinct id text once, taken by the rows: the same values as hashing
    # every row's canonical text (so a learner's rows land in one partition whatever the
    # column's type, 1 and "1" together), missing ids as "".
    values = pd.Series([1, "1", "b", None, "b", 2.0, "a", 1], dtype=object)
    texts = pd.Series(["1", "1", "b", "", "b", "2", "a", "1"], dtype=object)
    want = pd.util.hash_pandas_object(texts, index=False).to_numpy()
    np.testing.assert_array_equal(mmd_rows._hash_ids(values, "learner"), want)
    cat = pd.Series(pd.Categorical(["b", "a", "b", "c"], categories=["c", "b", "a", "unused"]))
    np.testing.assert_array_equal(
        mmd_rows._hash_ids(cat, "learner"),
        pd.util.hash_pandas_object(pd.Series(["b", "a", "b", "c"], dtype=object),
                                   index=False).to_numpy())


# --- partitions that already hold whole learners (partitioned=True: no shuffle) ----------------

def _by_learner(ev, parts=3):
    """A Dask frame of ``ev`` whose partitions each hold whole learners (rows in their order),
    with an empty partition in between."""
    names = sorted(ev["learner"].astype(str).unique())
    home = {x: i % parts for i, x in enumerate(names)}
    which = ev["learner"].astype(str).map(home).to_numpy()
    pieces = [ev[which == k] for k in range(parts)]
    pieces.insert(1, ev.iloc[:0])
    return dd.from_delayed([dask.delayed(p) for p in pieces], meta=ev.iloc[:0], verify_meta=False)


def _has_shuffle(obj):
    return any("shuffle" in str(k) for k in dict(obj.__dask_graph__()))


def test_partitioned_frames_skip_the_shuffle_and_equal_the_local_results(world, run):
    fw, pol, ev = world
    compute, _ = run
    ddf = _by_learner(ev)
    lazy = mmd.ratings(fw, pol, ddf, as_of=AS_OF, partitioned=True)
    assert not _has_shuffle(lazy)
    assert _has_shuffle(mmd.ratings(fw, pol, ddf, as_of=AS_OF))  # the default does shuffle
    got = compute(lazy)
    want = mm.ratings(fw, pol, _log(ev), as_of=AS_OF)
    keys = ["learner", "competency"]
    pd.testing.assert_frame_equal(_sorted(got, keys), _sorted(want, keys), check_exact=True)
    r = _roster(fw, pol, ev)
    s = mmd.summary(fw, pol, ddf, as_of=AS_OF, min_n=1, partitioned=True)
    assert not _has_shuffle(s)
    pd.testing.assert_frame_equal(compute(s), r.summary(min_n=1), check_exact=True)
    km = mmd.time_to_mastery(fw, pol, ddf, as_of=AS_OF, partitioned=True)
    pd.testing.assert_frame_equal(compute(km), r.time_to_mastery(), check_exact=True)
    g = mmd.groups_by_frontier(fw, pol, ddf, "ready", as_of=AS_OF, partitioned=True)
    pd.testing.assert_frame_equal(compute(g), r.groups_by_frontier("ready"), check_exact=True)


def test_partitioned_keeps_the_row_order_of_equal_times(world):
    # Each learner's rows stay in their partition in their order: the ties of _with_ties are
    # broken as the local log breaks them, and a reversed partition would break them otherwise.
    fw, pol, ev = world
    got = mmd.ratings(fw, pol, _by_learner(ev), as_of=AS_OF,
                      partitioned=True).compute(scheduler="sync")
    want = mm.ratings(fw, pol, _log(ev), as_of=AS_OF)
    keys = ["learner", "competency"]
    pd.testing.assert_frame_equal(_sorted(got, keys), _sorted(want, keys), check_exact=True)


def test_partitioned_refuses_learners_split_over_partitions(world):
    fw, pol, ev = world
    ddf = dd.from_pandas(ev, npartitions=4, sort=False)  # time order: learners split
    lazy = mmd.ratings(fw, pol, ddf, as_of=AS_OF, partitioned=True)
    with pytest.raises(ValueError, match=r"partitioned=True, but \d+ learner id\(s\) have rows in "
                                         r"more than one partition: learner '.+' in partitions "
                                         r"0 and \d.*leave partitioned=False"):
        lazy.compute(scheduler="sync")
    with pytest.raises(ValueError, match="partitioned=True"):
        mmd.summary(fw, pol, ddf, as_of=AS_OF, partitioned=True).compute(scheduler="sync")


def test_partitioned_takes_no_shuffle_options(world):
    fw, pol, ev = world
    ddf = _by_learner(ev)
    with pytest.raises(ValueError, match="with partitioned=True there is none"):
        mmd.ratings(fw, pol, ddf, as_of=AS_OF, partitioned=True, npartitions=2)
    with pytest.raises(ValueError, match="with partitioned=True there is none"):
        mmd.summary(fw, pol, ddf, as_of=AS_OF, partitioned=True, shuffle="tasks")
    with pytest.raises(TypeError, match="partitioned"):
        mmd.ratings(fw, pol, ddf, as_of=AS_OF, partitioned="yes")


def test_clashes_lists_each_repeat_with_its_first_partition():
    u = np.uint64
    parts = [np.array([1, 5], u), np.array([5, 7], u), np.zeros(0, u), np.array([1, 5], u)]
    assert mmd_rows._clashes(parts) == [(5, 0, 1), (1, 0, 3), (5, 0, 3)]
    assert mmd_rows._clashes([np.array([1, 2], u), np.array([3], u)]) == []
    assert mmd_rows._clashes([]) == []


@pytest.mark.parametrize("scheduler", ["sync", "threads"])
def test_a_split_learner_is_named_whichever_task_runs_first(world, scheduler):
    # One learner's rows in partitions 0 and 1, the others whole, an empty partition between:
    # one task raises, with the learner's id (not "a learner"), under every scheduler.
    fw, pol, ev = world
    ev = ev.sort_values("learner", kind="stable").reset_index(drop=True)
    first = ev["learner"].iloc[0]
    rows = np.flatnonzero((ev["learner"] == first).to_numpy())
    cut = int(rows[len(rows) // 2])
    pieces = [ev.iloc[:cut], ev.iloc[cut:rows[-1] + 1], ev.iloc[:0], ev.iloc[rows[-1] + 1:]]
    ddf = dd.from_delayed([dask.delayed(p) for p in pieces], meta=ev.iloc[:0], verify_meta=False)
    for lazy in (mmd.summary(fw, pol, ddf, as_of=AS_OF, partitioned=True),
                 mmd.ratings(fw, pol, ddf, as_of=AS_OF, partitioned=True)):
        with pytest.raises(ValueError, match=rf"1 learner id\(s\) have rows in more than one "
                                             rf"partition: learner '{first}' in partitions 0 "
                                             rf"and 1 "):
            dask.compute(lazy, scheduler=scheduler)


def test_a_learner_index_is_pointed_out(world):
    fw, pol, ev = world
    ddf = dd.from_pandas(ev.set_index("learner"), npartitions=2, sort=True)
    with pytest.raises(KeyError, match=r"it is the frame's index: ddf.reset_index\(\) makes it"):
        mmd.ratings(fw, pol, ddf, as_of=AS_OF, partitioned=True)


def test_days_out_of_range_are_named_with_the_dask_function(world):
    fw, pol, ev = world
    ddf = _split(ev, "chunks")
    for bad in (-1, float("nan"), float("inf")):
        with pytest.raises(ValueError, match=r"^masterymap.dask.groups_by_frontier\(\): "
                                             r"stuck_days must be a number of days >= 0, got"):
            mmd.groups_by_frontier(fw, pol, ddf, "stuck", stuck_days=bad, as_of=AS_OF)
