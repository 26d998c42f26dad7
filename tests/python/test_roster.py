"""Roster: incremental ingest equals full evaluation, snapshot/restore, DataFrames."""
import numpy as np
import pandas as pd
import pytest

import masterymap as mm
from helpers import load_ccss

T0 = 1704067200.0


def events(fw, n, learners, seed):
    rng = np.random.default_rng(seed)
    ids = np.array(list(fw))
    return pd.DataFrame({
        "learner": [f"s{i}" for i in rng.integers(0, learners, n)],
        "competency": ids[rng.integers(0, len(ids), n)],
        "score": rng.integers(1, 5, n).astype(float),
        "time": T0 + 3600.0 * (np.arange(n) // 3),
        "kind": rng.choice(["formative", "summative", "discussion"], n),
    })


@pytest.fixture(scope="module")
def setup(shared_data):
    fw = load_ccss(shared_data)
    pol = mm.Policy(mm.Scale.four_point(), rule=mm.Rule(method=mm.Method.decaying_average(0.65), min_evidence=2))
    return fw, pol, events(fw, 5000, 120, 1)


def frame_equal(a, b):
    pd.testing.assert_frame_equal(a.reset_index(drop=True), b.reset_index(drop=True), check_categorical=False)


def test_incremental_equals_full(setup):
    fw, pol, df = setup
    r1 = mm.Roster(fw, pol, threads=1)
    r3 = mm.Roster(fw, pol, threads=3)
    for lo in range(0, len(df), 700):
        part = df.iloc[lo:lo + 700]
        s = r1.ingest(part)
        assert s["rows"] == len(part) and not s["full"]
        assert s["learners_touched"] == part.learner.nunique()
        r3.ingest(part)
    whole = mm.EvidenceLog()
    whole.extend(df)
    full = mm.ratings(fw, pol, whole)
    mine = r1.to_dataframe()
    frame_equal(mine, full.drop(columns=["evidence"]))
    np.testing.assert_array_equal(r1.statuses(), r3.statuses())
    np.testing.assert_array_equal(r1.scores(), r3.scores())
    np.testing.assert_array_equal(r1.frontier_matrix(), r3.frontier_matrix())
    assert len(r1) == df.learner.nunique()
    st = r1.learner("s5")
    assert st.to_dataframe()["status"].tolist() == mine[mine.learner == "s5"].set_index("competency").reindex(
        list(fw))["status"].fillna("not_started").tolist()
    assert "counted" in st.explain(df[df.learner == "s5"].competency.iloc[0]).text or True
    with pytest.raises(mm.UnknownIdError):
        r1.learner("nobody")


def test_bad_batch_changes_nothing(setup):
    fw, pol, df = setup
    r = mm.Roster(fw, pol)
    r.ingest(df.iloc[:10])
    bad = df.iloc[10:13].copy()
    bad.loc[bad.index[1], "competency"] = "nope"
    with pytest.raises(mm.EvidenceError):
        r.ingest(bad)
    assert len(r.log) == 10


def test_ingest_of_a_log_equals_ingest_of_its_frame(setup):
    """Roster.ingest(log) appends the log's compact columns (names, kinds, weights and sources
    checked once each); the roster equals one fed the same rows as a frame, byte for byte, on a
    first load (300,000 rows: the parallel passes) and on top of earlier learners; a bad log is
    reported row by row as the frame would be, and changes nothing."""
    import pickle
    fw, pol, _ = setup
    big = events(fw, 300_000, 3000, 7)
    big["kind"] = big["kind"].where(np.arange(len(big)) % 13 != 0, "portfolio")  # a school's kind
    big["weight"] = np.where(np.arange(len(big)) % 7 == 0, 2.5, 1.0)
    big["source"] = np.where(np.arange(len(big)) % 11 == 0, "quiz-7", "")
    first = events(fw, 400, 50, 8)
    for before in (None, first):
        a, b = mm.Roster(fw, pol), mm.Roster(fw, pol)
        if before is not None:
            a.ingest(before)
            b.ingest(before)
        log = mm.EvidenceLog(kinds=["portfolio"])
        log.extend(big)
        sa, sb = a.ingest(log), b.ingest(big)
        assert sa == sb
        assert pickle.dumps(a) == pickle.dumps(b)
    log = mm.EvidenceLog()
    bad = big.iloc[:1000].copy()
    bad.loc[bad.index[3], "score"] = 9.0  # off the four-point scale: fine for a log, not a roster
    bad = bad[bad.kind != "portfolio"].reset_index(drop=True)  # (row 0 was a portfolio)
    log.extend(bad)
    r = mm.Roster(fw, pol)
    r.ingest(first)
    saved = pickle.dumps(r)
    with pytest.raises(mm.EvidenceError) as e:
        r.ingest(log)
    assert e.value.rows == [int(np.flatnonzero(bad.score == 9.0)[0])] and "score" in str(e.value)
    assert pickle.dumps(r) == saved


def test_snapshot_restore(setup, tmp_path):
    fw, pol, df = setup
    r = mm.Roster(fw, pol)
    r.ingest(df.iloc[:3000])
    path = tmp_path / "roster.bin"
    r.save(path)
    back = mm.Roster.load(path)
    frame_equal(r.to_dataframe(), back.to_dataframe())
    np.testing.assert_array_equal(r.frontier_matrix(), back.frontier_matrix())
    frame_equal(r.levels(), back.levels())
    assert r.as_of == back.as_of and r.learners == back.learners
    r.ingest(df.iloc[3000:])
    back.ingest(df.iloc[3000:])
    frame_equal(r.to_dataframe(all_competencies=True), back.to_dataframe(all_competencies=True))
    path.write_bytes(b"garbage")
    with pytest.raises(mm.ParseError):
        mm.Roster.load(path)


def test_frames(setup):
    fw, pol, df = setup
    r = mm.Roster(fw, pol)
    r.ingest(df.iloc[:500])
    f = r.frontier()
    assert list(f.columns) == ["learner", "competency"]
    assert len(f) == int(r.frontier_matrix().sum())
    lv = r.levels("OA")
    assert len(lv) == len(r) and set(lv.columns) >= {"learner", "domain", "level", "next_level", "gap_count"}
    assert repr(r).startswith("<Roster: ")


def test_add_one_event_equals_ingest_of_the_same_rows():
    b = mm.FrameworkBuilder()
    for c in ("A", "B"):
        b.add_competency(c)
    b.add_prerequisite("B", prerequisite="A")
    fw = b.build()
    policy = mm.Policy(mm.Scale.four_point(), rule=mm.Rule(method=mm.Method.decaying_average(0.65)))
    one, bulk = mm.Roster(fw, policy, threads=1), mm.Roster(fw, policy, threads=1)
    rows = [("s1", "A", 2.0, 1.0), ("s1", "A", 4.0, 2.0), ("s2", "A", 3.0, 3.0), ("s1", "B", 3.0, 4.0),
            ("s1", "A", 3.0, 5.0)]
    fast = 0
    for learner, comp, score, t in rows:
        fast += one.add(learner, comp, score, t)["fast_rows"]
    bulk.ingest(pd.DataFrame(rows, columns=["learner", "competency", "score", "time"]))
    assert fast == 5  # every event here, in time order, takes the O(1) path
    a, c = one.to_dataframe(), bulk.to_dataframe()
    assert a["status"].astype(str).tolist() == c["status"].astype(str).tolist()
    assert np.allclose(a["score"].to_numpy(), c["score"].to_numpy(), equal_nan=True, rtol=0, atol=0)
    assert one.learner("s1").frontier() == bulk.learner("s1").frontier()
    with pytest.raises(mm.EvidenceError):
        one.add("s1", "nope", 3.0, 6.0)


def test_learner_keeps_the_probability_source(tmp_path):
    b = mm.FrameworkBuilder()
    for c in ("A", "B"):
        b.add_competency(c)
    b.add_prerequisite("B", prerequisite="A")
    fw = b.build()
    pol = mm.Policy(mm.Scale.four_point(), rule=mm.Rule(method=mm.Method.bkt(0.9)))

    def probability(learner, competency, scores):
        return min(1.0, 0.25 * len(scores))

    r = mm.Roster(fw, pol, threads=1, probabilities=probability)
    r.ingest(pd.DataFrame({"learner": ["s1"] * 5 + ["s2"], "competency": ["A"] * 4 + ["B", "A"],
                           "score": [1.0, 2.0, 3.0, 3.0, 2.0, 3.0], "time": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]}))
    table = r.to_dataframe(all_competencies=True)
    for row, name in enumerate(r.learners):
        st = r.learner(name)
        np.testing.assert_array_equal(st.statuses(), r.statuses()[row])
        np.testing.assert_array_equal(st.scores(), r.scores()[row])
        mine = table[table.learner == name]
        assert [st.status(c) for c in fw] == mine.status.astype(str).tolist()
        assert st.as_of == r.as_of
    s1 = r.learner("s1")
    assert s1.status("A") == "mastered" and s1.score("A") == 1.0  # from the source (4 scores)
    assert s1.frontier() == ["B"]
    assert r.learner("s2").score("A") == 0.25
    # a restored roster takes a source too
    r.save(tmp_path / "r.bin")
    back = mm.Roster.load(tmp_path / "r.bin", probabilities=probability)
    assert back.learner("s1").status("A") == "mastered"
    np.testing.assert_array_equal(back.learner("s1").scores(), s1.scores())
    with pytest.raises(mm.UnknownIdError):
        r.learner("nobody")


def test_labels_of_the_roster_scale_are_scores():
    """Roster.ingest and Roster.add take labels of the policy's scale, as EvidenceLog.extend
    does with policy=: the same events as numbers and as labels give the same tables."""
    b = mm.FrameworkBuilder()
    for c in ("A", "B"):
        b.add_competency(c)
    fw = b.build()
    policy = mm.Policy(mm.Scale.four_point())
    labels, numbers = mm.Roster(fw, policy), mm.Roster(fw, policy)
    labels.ingest(pd.DataFrame({"learner": ["s1", "s2"], "competency": ["A", "B"],
                                "score": ["Proficient", "Beginning"], "time": [1.0, 2.0]}))
    numbers.ingest(pd.DataFrame({"learner": ["s1", "s2"], "competency": ["A", "B"],
                                 "score": [3.0, 1.0], "time": [1.0, 2.0]}))
    labels.add("s1", "B", "Advanced", 3.0)
    numbers.add("s1", "B", 4.0, 3.0)
    pd.testing.assert_frame_equal(labels.to_dataframe(), numbers.to_dataframe())
    with pytest.raises(ValueError, match="'Great' is neither a number nor a label"):
        labels.add("s1", "A", "Great", 4.0)
    with pytest.raises(mm.EvidenceError):
        labels.ingest(pd.DataFrame({"learner": ["s1"], "competency": ["A"], "score": ["Great"],
                                    "time": [5.0]}))
    pd.testing.assert_frame_equal(labels.to_dataframe(), numbers.to_dataframe())  # unchanged


def test_place_drops_repeated_domains_and_the_repr_counts_in_the_singular():
    # issue 11: domain=["NF", "NF"] wrote two rows; "<Roster: 1 learners"
    b = mm.FrameworkBuilder("p")
    for lv in (1, 2):
        b.add_competency(f"NF{lv}", domain="NF", level=lv)
        b.add_competency(f"OA{lv}", domain="OA", level=lv)
    fw = b.build()
    r = mm.Roster(fw, mm.Policy(mm.Scale.four_point()))
    assert repr(r) == "<Roster: 0 learners, 4 competencies, 0 evidence rows>"
    assert r.place("a", 2, 1, domain=["NF", "OA", "NF"])["rows"] == 2
    assert r.log.to_dataframe().competency.tolist() == ["NF1", "OA1"]
    assert repr(r) == "<Roster: 1 learner, 4 competencies, 2 evidence rows>"
    r.place("b", 1, 2, domain="NF")
    assert repr(r) == "<Roster: 2 learners, 4 competencies, 3 evidence rows>"


# --- the all-learner frames, built in bulk (issue 15) ------------------------------------------

DONE = {"mastered", "exceeded", "exempt", "inferred"}  # met work (engine.hpp is_done)


def frontier_oracle(r):
    """Roster.frontier from the flags matrix with numpy: row-major nonzero cells, categoricals
    of the id lists."""
    f = r.frontier_matrix()
    li, ci = np.nonzero(f)
    return pd.DataFrame({"learner": pd.Categorical.from_codes(li, categories=list(r.learners)),
                         "competency": pd.Categorical.from_codes(ci, categories=list(r.framework))})


def levels_oracle(r, domains):
    """Roster.levels with numpy from the statuses table and the framework's levels: a domain's
    levels are its leveled academic competencies' distinct levels; the learner's level the
    highest with everything done, the next the first above it (the lowest when none), gaps
    what is not done below the level."""
    fw, learners = r.framework, list(r.learners)
    L = len(learners)
    st = r.statuses().reshape(L, len(fw))
    names = np.asarray(mm._core.STATUSES, dtype=object)
    done = np.isin(names[st], list(DONE)) if st.size else np.zeros(st.shape, dtype=bool)
    ids = list(fw)
    parts = []
    for d in domains:
        by_level = {}
        for i, c in enumerate(ids):
            comp = fw[c]
            if comp.domain == d and comp.level is not None and comp.kind == "academic":
                by_level.setdefault(comp.level, []).append(i)
        levels = sorted(by_level)
        K = len(levels)
        ndone = np.stack([done[:, by_level[lv]].sum(1) for lv in levels], 1) if K else \
            np.zeros((L, 0), dtype=np.int64)
        size = np.array([len(by_level[lv]) for lv in levels], dtype=np.int64)
        full = ndone == size
        has = full.any(1)
        top = np.where(has, K - 1 - np.argmax(full[:, ::-1], 1) if K else 0, -1)
        nxt = top + 1  # the slot after the complete one (0 when none)
        ok = nxt < K
        at = np.minimum(nxt, max(K - 1, 0))
        lv_arr = np.asarray(levels, dtype=np.float64) if K else np.zeros(1)
        below = (np.arange(K)[None, :] < top[:, None]) & ~full
        parts.append(pd.DataFrame({
            "learner": learners, "domain": d,
            "level": np.where(has, lv_arr[np.maximum(top, 0)], np.nan),
            "next_level": np.where(ok, lv_arr[at], np.nan),
            "next_done": np.where(ok, ndone[np.arange(L), at] if K else 0, 0).astype(np.int64),
            "next_total": np.where(ok, size[at] if K else 0, 0).astype(np.int64),
            "next_progress": np.where(ok, (ndone[np.arange(L), at] / size[at]) if K else 0.0, 0.0),
            "gap_count": ((size - ndone) * below).sum(1).astype(np.int64),
            "gap_levels": [[levels[k] for k in np.flatnonzero(row)] for row in below],
        }))
    out = pd.concat(parts, ignore_index=True)
    out["learner"] = pd.Categorical(out["learner"], categories=learners)
    out["domain"] = out["domain"].astype(object)
    return out


def frames_equal(got, want):
    """Exactly equal frames: columns, index, dtypes (categories included), values (NaN equal to
    NaN); categoricals compared by codes (assert_frame_equal boxes every value of them)."""
    assert list(got.columns) == list(want.columns) and got.index.equals(want.index)
    for c in got.columns:
        g, w = got[c], want[c]
        assert g.dtype == w.dtype, c
        if isinstance(g.dtype, pd.CategoricalDtype):
            np.testing.assert_array_equal(g.cat.codes.to_numpy(), w.cat.codes.to_numpy(), c)
        elif g.dtype == object:
            assert g.tolist() == w.tolist(), c
        else:
            np.testing.assert_array_equal(g.to_numpy(), w.to_numpy(), c)


levels_equal = frames_equal


def leveled_domains(fw):
    return [d for d in fw.domains()
            if any(fw[c].level is not None and fw[c].kind == "academic"
                   for c in fw.competencies_in(d))]


@pytest.mark.parametrize("threads", [1, 3])
def test_bulk_frames_equal_the_oracles_on_the_ccss_map(setup, threads):
    fw, pol, df = setup
    # Enough learners for several chunks per thread (the count and fill passes split learners).
    ev, _ = mm.testing.simulate(fw, pol, 9000, seed=5, attempts=12)
    r = mm.Roster(fw, pol, threads=threads)
    r.ingest(ev)
    r.ingest(df)  # random evidence: learners with gaps under done work
    f = r.frontier()
    want = frontier_oracle(r)
    frames_equal(f, want)
    assert f["competency"].cat.codes.dtype == np.int16  # pandas' width for 480 categories
    domains = leveled_domains(fw)
    lv = r.levels()
    levels_equal(lv, levels_oracle(r, domains))
    levels_equal(r.levels("NF"), levels_oracle(r, ["NF"]))
    # one list per row (not shared), of Python ints
    gl = lv["gap_levels"]
    assert len({id(x) for x in gl}) == len(gl)
    assert all(type(v) is int for x in gl for v in x) and any(len(x) for x in gl)


def test_bulk_frames_of_small_and_odd_shapes():
    # competencies not a multiple of 8 (the word-at-a-time scan's tail), one learner, none
    for n in (1, 7, 8, 9, 23):
        fw = mm.testing.chain(n)
        pol = mm.testing.policy()
        r = mm.Roster(fw, pol, threads=2)
        pd.testing.assert_frame_equal(r.frontier(), frontier_oracle(r), check_exact=True)
        empty = r.levels()  # a list column even without rows (it was float64 before)
        assert len(empty) == 0 and list(empty.columns)[:2] == ["learner", "domain"]
        assert empty["gap_levels"].dtype == object
        ev, _ = mm.testing.simulate(fw, pol, 50, seed=n, attempts=3)
        r.ingest(ev)
        pd.testing.assert_frame_equal(r.frontier(), frontier_oracle(r), check_exact=True)
        levels_equal(r.levels(), levels_oracle(r, ["D"]))


def test_bulk_frontier_with_more_competencies_than_int16_codes():
    # 40,000 competencies: the competency codes are int32, as pandas would make them
    n = 40_000
    b = mm.FrameworkBuilder("wide")
    b.add_competencies([f"C{i}" for i in range(n)])
    b.add_prerequisites([f"C{i}" for i in range(1, n, 2)], [f"C{i - 1}" for i in range(1, n, 2)])
    fw = b.build()
    pol = mm.testing.policy()
    r = mm.Roster(fw, pol)
    r.ingest(pd.DataFrame({"learner": ["a", "b", "b"], "competency": ["C0", "C39998", "C2"],
                           "score": [4.0, 4.0, 1.0], "time": [1.0, 2.0, 3.0]}))
    f = r.frontier()
    pd.testing.assert_frame_equal(f, frontier_oracle(r), check_exact=True)
    assert f["competency"].cat.codes.dtype == np.int32
    assert "C39999" in set(f[f.learner == "b"].competency)


def test_bulk_levels_progress_spans_every_domain(setup):
    fw, pol, df = setup
    r = mm.Roster(fw, pol)
    r.ingest(df)
    seen = []
    lv = r.levels(progress=lambda done, total: seen.append((done, total)))
    domains = leveled_domains(fw)
    total = len(domains) * len(r)
    assert seen and seen[-1] == (total, total)
    assert all(t == total for _, t in seen) and [d for d, _ in seen] == sorted(d for d, _ in seen)
    assert len(lv) == total

    def stop(done, total):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        r.levels(progress=stop)
    with pytest.raises(KeyboardInterrupt):
        r.frontier(progress=stop)
    with pytest.raises(TypeError):
        r.levels(progress=3)
    with pytest.raises(mm.UnknownIdError):
        r.levels("no such domain")


def test_roster_frames_share_the_learner_dtype_of_the_roster_they_come_from():
    fw, pol = mm.testing.chain(4), mm.testing.policy()
    a, b = mm.Roster(fw, pol), mm.Roster(fw, pol)
    a.ingest(pd.DataFrame({"learner": ["x", "y"], "competency": ["C1", "C1"], "score": [4.0, 1.0],
                           "time": [1.0, 2.0]}))
    b.ingest(pd.DataFrame({"learner": ["p", "q"], "competency": ["C1", "C2"], "score": [4.0, 1.0],
                           "time": [1.0, 2.0]}))
    for r, want in ((a, ["x", "y"]), (b, ["p", "q"]), (a, ["x", "y"])):
        for frame in (r.frontier(), r.levels(), r.to_dataframe(), r.gaps(), r.blockers()):
            assert frame["learner"].dtype == pd.CategoricalDtype(want)
    a.ingest(pd.DataFrame({"learner": ["z"], "competency": ["C1"], "score": [4.0], "time": [3.0]}))
    assert list(a.frontier()["learner"].cat.categories) == ["x", "y", "z"]
    assert list(a.levels()["learner"]) == ["x", "y", "z"]
    with pytest.raises(mm.EvidenceError):  # a failed ingest leaves the learners as they were
        a.ingest(pd.DataFrame({"learner": ["w"], "competency": ["nope"], "score": [4.0],
                               "time": [4.0]}))
    assert list(a.levels()["learner"].cat.categories) == ["x", "y", "z"]


def test_the_roster_log_is_read_only_from_python(setup):
    """Roster.log is the roster's own log: its changing methods raise ValueError (the tables
    would go stale, and a snapshot would not load); a copy is a log of one's own."""
    import copy
    import gc
    import pickle
    fw, pol, df = setup
    r = mm.Roster(fw, pol)
    r.ingest(df.iloc[:20])
    saved = pickle.dumps(r)
    one = df.iloc[:1]
    for change in (lambda log: log.add("s1", one.competency.iloc[0], 4.0, T0 + 1e6),
                   lambda log: log.extend(one), lambda log: log.retract("q1", "void"),
                   lambda log: log.add_kind("quiz"),
                   lambda log: log.append_statements(df.iloc[:0])):
        with pytest.raises(ValueError, match="Roster's own log"):
            change(r.log)
    assert pickle.dumps(r) == saved
    mine = copy.copy(r.log)
    mine.extend(df.iloc[20:30])
    assert len(mine) == 30 and len(r.log) == 20
    r.ingest(df.iloc[20:30])  # the roster still changes its log itself
    assert r.log == mine
    # Once the roster is gone (a log handed out keeps it alive until then), a new log at the
    # same address is an ordinary log.
    del r
    gc.collect()
    fresh = mm.EvidenceLog()
    fresh.extend(one)
    assert len(fresh) == 1
