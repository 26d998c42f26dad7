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
