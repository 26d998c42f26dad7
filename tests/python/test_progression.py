"""Progression on a learner: a 13-level learning map with two learners, random DAGs against
networkx, CCSS."""
import math
import pickle
import random

import networkx as nx
import numpy as np
import pytest

import masterymap as mm
from helpers import load_ccss

T0 = 1704067200.0  # 2024-01-01


def learning_map():
    """13 levels x 2 domains x strands a, b, c; X(L).s requires X(L-1).s; R(L).b is familiar with
    R(L-1).a; M(L).c is recommended after M(L-1).a."""
    b = mm.FrameworkBuilder("learning map")
    code = lambda d, l, s: f"{d}{l:02d}.{s}"  # noqa: E731
    for d, name in (("M", "math"), ("R", "reading")):
        for lv in range(1, 14):
            for s in "abc":
                b.add_competency(code(d, lv, s), domain=name, level=lv)
    for d in "MR":
        for lv in range(2, 14):
            for s in "abc":
                b.add_prerequisite(code(d, lv, s), prerequisite=code(d, lv - 1, s))
            if d == "R":
                b.add_prerequisite(code(d, lv, "b"), prerequisite=code(d, lv - 1, "a"), strength="familiar")
            else:
                b.add_prerequisite(code(d, lv, "c"), prerequisite=code(d, lv - 1, "a"), strength="recommended")
    return b.build()


def scenario_log():
    log = mm.EvidenceLog()
    t = [T0]

    def add(who, cid, score):
        log.add(learner=who, competency=cid, score=score, time=t[0])
        t[0] += 3600

    for lv in (1, 2, 3):
        for s in "abc":
            add("ana", f"M{lv:02d}.{s}", 3)
    for s in "abc":
        add("ana", f"R01.{s}", 3)
    add("ana", "M04.a", 2)
    for lv in (1, 2, 3, 4, 5, 6):
        for s in "abc":
            if (lv, s) in ((3, "b"), (4, "c"), (5, "a")):
                continue
            add("ben", f"M{lv:02d}.{s}", 3)
    return log


@pytest.fixture(scope="module")
def scenario():
    """A learning map of 13 levels per domain. One learner (ana) is at level 3 in math and level 1
    in reading; another (ben) is at level 6 in math with gaps at levels 3, 4 and 5. The library
    reports both correctly, lists the gaps, and proposes next steps."""
    fw = learning_map()
    # Without inferred mastery: ben's holes (no evidence) stay gaps (test_inference.py infers them).
    roster = mm.Roster(fw, mm.Policy(mm.Scale.four_point(), infer_prerequisites="none"))
    roster.ingest(scenario_log())
    return fw, roster, roster.learner("ana"), roster.learner("ben")


def test_learning_map_levels(scenario):
    fw, roster, ana, ben = scenario
    assert ana.level("math").level == 3
    assert ana.level("reading").level == 1
    m = ben.level("math")
    assert m.level == 6
    assert m.gaps == ["M03.b", "M04.c", "M05.a"]
    assert m.gap_levels == [3, 4, 5]
    assert m.next_level == 7 and m.next_progress == 0.0
    assert ben.level("reading").level is None
    assert [d.domain for d in ben.levels()] == ["math", "reading"]
    with pytest.raises(mm.UnknownIdError):
        ben.level("science")
    lv = roster.levels("math")
    assert list(lv["level"]) == [3, 6]
    assert list(lv["gap_count"]) == [0, 3]


def test_learning_map_gaps_frontier_recommendations(scenario):
    fw, roster, ana, ben = scenario
    assert ana.frontier() == ["M04.a", "M04.b", "M04.c", "R02.a", "R02.b", "R02.c"]
    assert ben.frontier() == ["M03.b", "M04.c", "M05.a", "M07.a", "M07.b", "M07.c", "R01.a", "R01.b", "R01.c"]
    assert ana.gaps() == []
    g = ben.gaps()
    assert [x.id for x in g] == ["M03.b", "M04.c", "M05.a"]
    assert g[0].undermines == ["M04.b", "M05.b", "M06.b"]
    assert g[1].undermines == ["M05.c", "M06.c"]
    # issue 11: the level term is the distance from the working level (ana: math 4; reading 2,
    # the level after her complete level 1), no longer "lowest open level first" (which put
    # ana's reading level 2 ahead)
    ra = ana.recommend(5)
    assert [r.id for r in ra] == ["M04.a", "M04.b", "M04.c", "R02.a", "R02.c"]
    assert ra[0].score == pytest.approx(1 + 1 + math.exp(-(15 / 24) / 14))
    assert ra[3].reasons[-1] == "at the learner's working level (2) in reading"
    # ben's holes at levels 3-5 have no evidence under mastered level-6 work: below-level, ranked
    # after his level-7 work with a placement reason (before issue 11 they came first). He works
    # at level 7 in math (level 6 complete), and at 7 in reading (no evidence there: the
    # median of the domains with evidence).
    rb = ben.recommend(9)
    assert [r.id for r in rb] == ["M07.a", "M07.b", "M07.c", "M03.b", "M04.c", "M05.a", "R01.a", "R01.c", "R01.b"]
    assert rb[3].reasons[:2] == ["not yet evidenced, 4 levels below the learner's working level (7) in math; "
                                 "consider a placement", "fills a gap under 3: M04.b, M05.b, M06.b"]
    assert rb[3].score == pytest.approx(3 + 1 / 5)
    assert rb[6].reasons[0] == ("not yet evidenced, 6 levels below the learner's working level (7) in "
                                "reading; consider a placement")
    assert rb[6].score == pytest.approx(1 + 1 / 7)
    assert ana.blockers() == [] and [b.id for b in ben.blockers()] == []
    assert ben.recommend(1, goals=["M09.b"])[0].goal_distance == 6
    assert ana.inner_fringe() == ["M03.a", "M03.b", "M03.c", "R01.a", "R01.b", "R01.c"]
    # the roster's frontier frame agrees with each learner's
    fr = roster.frontier()
    assert list(fr[fr.learner == "ben"].competency) == ben.frontier()


def test_learning_map_blocked_by_and_paths(scenario):
    fw, roster, ana, ben = scenario
    b = ana.blocked_by("R04.b")
    assert [x.id for x in b] == ["R02.a", "R02.b", "R03.a", "R03.b"]
    assert [x.needed for x in b] == ["mastered", "mastered", "Developing", "mastered"]
    assert b[2].needed_level == 2.0
    assert ana.blocked_by("M04.b") == []
    p = ana.path_to(["M06.a", "M05.b"], rate=2, per="week")
    assert [s.id for s in p.steps] == ["M04.a", "M04.b", "M05.a", "M05.b", "M06.a"]
    assert p.length == 5 and p.days == pytest.approx(17.5)
    assert [s.id for s in ben.path_to("M08.a").steps] == ["M07.a", "M08.a"]


def _brute(fw, st, sc):
    """networkx reference: gating edges met or not; frontier, blocked sets, gaps."""
    g = fw.to_networkx()
    done = {i for i, c in enumerate(fw) if mm.STATUSES[st[i]] in ("mastered", "exceeded", "exempt")}
    ids = list(fw)

    def met(u, v, data):
        s = data["strength"]
        iu = ids.index(u)
        if s == "recommended" or iu in done:
            return True
        if s == "required" or mm.STATUSES[st[iu]] == "not_started":
            return False
        lvl = data.get("min_level")
        lvl = 2.0 if lvl is None or (isinstance(lvl, float) and math.isnan(lvl)) else lvl
        return sc[iu] >= lvl - 1e-5

    unmet = nx.DiGraph()
    unmet.add_nodes_from(ids)
    gating = nx.DiGraph()
    gating.add_nodes_from(ids)
    for u, v, data in g.edges(data=True):
        if data["strength"] != "recommended":
            gating.add_edge(u, v)
        if not met(u, v, data):
            unmet.add_edge(u, v)
    frontier = [c for i, c in enumerate(ids) if i not in done and unmet.in_degree(c) == 0]
    # issue 11: a gap is a hole under done work; work in progress anchors none
    anchors = {c for i, c in enumerate(ids) if i in done}
    gaps = {}
    for i, c in enumerate(ids):
        if i in done:
            continue
        und = set()
        for w in unmet.successors(c):
            und |= ({w} | nx.descendants(gating, w)) & anchors
        if und:
            gaps[c] = und
    return frontier, unmet, gaps, done


def test_random_dags_against_networkx():
    rng = random.Random(4)
    for rnd in range(25):
        n = rng.randint(4, 30)
        b = mm.FrameworkBuilder("r")
        for i in range(n):
            b.add_competency(f"c{i}", level=i % 4)
        for j in range(n):
            for i in range(j):
                if rng.random() < 0.15:
                    r = rng.random()
                    s = "required" if r < 0.6 else ("familiar" if r < 0.85 else "recommended")
                    ml = float(rng.choice([1, 2, 3])) if s == "familiar" and rng.random() < 0.4 else None
                    b.add_prerequisite(f"c{j}", prerequisite=f"c{i}", strength=s, min_level=ml)
        fw = b.build()
        prog = mm.Progression(fw, mm.Policy(mm.Scale.four_point()))
        for _ in range(4):
            st = np.array([rng.choice([0, 0, 0, 1, 2, 3, 3, 3, 4, 5, 6]) for _ in range(n)], dtype=np.uint8)
            sc = np.array([np.nan if s == 0 else rng.choice([0.5, 1, 1.5, 2, 2.5, 3, 4]) for s in st])
            frontier, unmet, gaps, done = _brute(fw, st, sc)
            assert prog.frontier(st, sc) == frontier
            for t in fw:
                want = [] if list(fw).index(t) in done else [
                    c for c in fw.topological_order() if c in nx.ancestors(unmet, t)]
                assert [x.id for x in prog.blocked_by(t, st, sc)] == want
            got = prog.gaps(st, sc)
            assert {x.id: set(x.undermines) for x in got} == gaps
            working = [c for i, c in enumerate(fw) if i not in done and mm.STATUSES[st[i]] != "not_started"]
            want_b = set().union(*(nx.ancestors(unmet, c) for c in working)) if working else set()
            assert [x.id for x in prog.blockers(st, sc)] == [c for c in fw.topological_order() if c in want_b]
            assert [len(x.undermines) for x in got] == sorted((len(x.undermines) for x in got), reverse=True)


def test_ccss_synthetic_learners(shared_data):
    fw = load_ccss(shared_data)
    pol = mm.Policy(mm.Scale.four_point())
    rng = np.random.default_rng(3)
    rows = []
    ids = list(fw)
    grades = np.array([fw[c].level if fw[c].level is not None else 99 for c in ids])
    for k in range(40):
        top = k % 8
        for i in np.flatnonzero(grades <= top):
            if rng.random() < 0.9:
                rows.append((f"s{k}", ids[i], 3.0, T0 + len(rows)))
    import pandas as pd
    df = pd.DataFrame(rows, columns=["learner", "competency", "score", "time"])
    roster = mm.Roster(fw, pol, threads=2)
    roster.ingest(df)
    fr = roster.frontier()
    for name in ("s3", "s17", "s39"):
        st = roster.learner(name)
        assert list(fr[fr.learner == name].competency) == st.frontier()
        rec = st.recommend(5)
        assert len(rec) == 5 and all(r.reasons for r in rec)
        assert all(r.id in st.frontier() for r in rec)
    lv = roster.levels()
    assert set(lv.domain) >= {"OA", "NBT"}


# --- typed results, the cached progression, evidence times -----------------------------------

BLOCKER_KEYS = ["id", "status", "score", "needed", "needed_level", "blocks", "ready", "distance"]


def test_result_objects_attributes_repr_to_dict(scenario):
    import pandas as pd

    fw, roster, ana, ben = scenario
    rb = ben.recommend(5)
    r = rb[0]
    assert type(r).__name__ == "Recommendation"
    assert repr(r) == ("Recommendation(id='M07.a', score=2.0, reasons=['unlocks 1: M08.a', \"at the "
                       "learner's working level (7) in math\"])")
    d = rb[3].to_dict()
    assert list(d) == ["id", "score", "status", "reasons", "unlocks", "repairs", "goal_distance", "level",
                       "days_since_evidence"]
    assert d == {"id": "M03.b", "score": rb[3].score, "status": "not_started", "reasons": rb[3].reasons,
                 "unlocks": [], "repairs": ["M04.b", "M05.b", "M06.b"], "goal_distance": None, "level": 3,
                 "days_since_evidence": None}
    frame = pd.DataFrame([x.to_dict() for x in rb])
    assert list(frame.id) == ["M07.a", "M07.b", "M07.c", "M03.b", "M04.c"]
    assert rb == ben.recommend(5) and rb != ana.recommend(5) and r != r.to_dict()
    with pytest.raises(AttributeError):
        r.score = 0.0

    g = ben.gaps()[0]
    assert type(g).__name__ == "Gap"
    assert g.to_dict() == {"id": "M03.b", "status": "not_started", "score": None, "domain": "math", "level": 3,
                           "undermines": ["M04.b", "M05.b", "M06.b"], "ready": True}
    assert repr(g) == "Gap(id='M03.b', status='not_started', undermines=['M04.b', 'M05.b', 'M06.b'], ready=True)"

    b = ana.blocked_by("R04.b")
    assert type(b[0]).__name__ == "Blocker"
    assert list(b[2].to_dict()) == BLOCKER_KEYS
    assert b[2].to_dict() == {"id": "R03.a", "status": "not_started", "score": None, "needed": "Developing",
                              "needed_level": 2.0, "blocks": ["R04.b"], "ready": False, "distance": 1}
    assert repr(b[2]) == ("Blocker(id='R03.a', status='not_started', needed='Developing', distance=1, "
                          "ready=False, blocks=['R04.b'])")
    assert ana.blocked_by(fw.index_of("R04.b")) == b  # by framework index as well

    p = ana.path_to(["M06.a", "M05.b"], rate=2, per="week")
    assert type(p).__name__ == "LearningPath" and len(p) == 5
    assert p.ids == ["M04.a", "M04.b", "M05.a", "M05.b", "M06.a"]
    pd_ = p.to_dict()
    assert list(pd_) == ["goals", "steps", "length", "days"]
    assert pd_["goals"] == ["M06.a", "M05.b"] and pd_["length"] == 5 and pd_["days"] == pytest.approx(17.5)
    assert [s["id"] for s in pd_["steps"]] == p.ids and all(list(s) == BLOCKER_KEYS for s in pd_["steps"])
    assert pd_["steps"][0] == p.steps[0].to_dict()
    assert repr(p) == ("LearningPath(goals=['M06.a', 'M05.b'], length=5, days=17.5, "
                       "ids=['M04.a', 'M04.b', 'M05.a', 'M05.b', 'M06.a'])")
    assert p == ana.path_to(["M06.a", "M05.b"], rate=2, per="week") and p != ana.path_to(["M06.a", "M05.b"])

    m = ben.level("math")
    assert type(m).__name__ == "DomainLevel"
    assert m.to_dict() == {"domain": "math", "level": 6, "levels": list(range(1, 14)), "next_level": 7,
                           "next_done": 0, "next_total": 3, "next_progress": 0.0,
                           "next_remaining": ["M07.a", "M07.b", "M07.c"], "gaps": ["M03.b", "M04.c", "M05.a"],
                           "gap_levels": [3, 4, 5]}
    assert repr(m) == ("DomainLevel(domain='math', level=6, next_level=7, next_done=0, next_total=3, "
                       "gaps=['M03.b', 'M04.c', 'M05.a'])")
    assert ben.levels()[0] == m and ana.level("math") != m


def test_method_arguments(scenario):
    fw, roster, ana, ben = scenario
    assert [r.id for r in ana.recommend()] == [r.id for r in ana.recommend(5)]  # k defaults to 5
    assert len(ana.recommend(2)) == 2 and ana.recommend(0) == []
    with pytest.raises(TypeError):
        ana.recommend(3, unlock_wieght=2.0)
    # the weights: only unlocks count
    only = ben.recommend(3, unlock_weight=1.0, goal_weight=0.0, level_weight=0.0, recency_weight=0.0,
                         gap_weight=0.0)
    assert all(r.score == len(r.unlocks) for r in only)
    with pytest.raises(ValueError):
        ana.path_to("M06.a", rate=1, per="month")
    with pytest.raises(ValueError):
        ana.path_to("M06.a", rate=0)
    assert ana.path_to("M06.a", per="month").days is None  # per only matters with a rate
    with pytest.raises(mm.UnknownIdError):
        ana.blocked_by("nope")
    with pytest.raises(IndexError):
        ana.blocked_by(10_000)


def _reference_last_evidence(st):
    out = np.full(len(st), np.nan)
    for i in range(len(st)):
        times = [e["time"] for e in st.explain(i).evidence if e["time"] <= st.as_of]
        if times:
            out[i] = max(times)
    return out


def test_last_evidence_times_against_explain(shared_data):
    fw = load_ccss(shared_data)
    rng = np.random.default_rng(11)
    ids = list(fw)
    log = mm.EvidenceLog()
    for _ in range(3000):  # times out of order, several pieces per competency, some after as_of
        log.add(learner=f"s{rng.integers(0, 6)}", competency=ids[rng.integers(0, 120)],
                score=float(rng.integers(1, 5)), time=T0 + float(rng.integers(0, 10_000)) * 60,
                kind=str(rng.choice(["formative", "summative", "self"])))
    eng = mm.Engine(fw, mm.Policy(mm.Scale.four_point()))
    for name in ("s0", "s3", "s5", "nobody"):
        for as_of in (None, T0 + 5000 * 60):
            st = eng.evaluate(log, name, as_of=as_of)
            got = st.last_evidence_times()
            assert got.dtype == np.float64 and got.shape == (len(fw),)
            np.testing.assert_array_equal(got, _reference_last_evidence(st))
            if name != "nobody":
                assert np.isfinite(got).sum() > 10


def _two_scale_framework():
    b = mm.FrameworkBuilder("two")
    for c in ("A", "B", "C"):
        b.add_competency(c, domain="d", level=1 if c == "A" else 2)
    b.add_prerequisite("B", prerequisite="A", strength="familiar")
    b.add_prerequisite("C", prerequisite="A")
    return b.build()


def test_cached_progression_same_answers_and_separate_per_policy():
    fw = _two_scale_framework()
    log = mm.EvidenceLog()
    log.add(learner="s", competency="A", score=1, time=T0)
    # four-point: a familiar prerequisite needs Developing (2); three ratings whose lowest above the
    # bottom is the mastery rating: any evidence ("started") is enough.
    four = mm.Engine(fw, mm.Policy(mm.Scale.four_point()))
    three = mm.Engine(fw, mm.Policy(mm.Scale([("Beginning", 1.0), ("Proficient", 3.0), ("Advanced", 4.0)],
                                             mastery="Proficient")))
    s4, s3 = four.evaluate(log, "s"), three.evaluate(log, "s")
    want4, want3 = ["A"], ["A", "B"]
    first = (s4.recommend(), s3.recommend(), s4.blocked_by("B"), s3.blocked_by("C"))
    for _ in range(200):  # interleaved: each state keeps its own engine's progression
        assert s4.frontier() == want4 and s3.frontier() == want3
        assert (s4.recommend(), s3.recommend(), s4.blocked_by("B"), s3.blocked_by("C")) == first
    assert [x.needed for x in s4.blocked_by("B")] == ["Developing"]
    assert s3.blocked_by("B") == []
    # a fresh (uncached) Progression agrees, and states of one engine agree with each other
    for eng, st in ((four, s4), (three, s3)):
        fresh = mm.Progression(fw, eng.policy)
        assert fresh.frontier(st.statuses(), st.scores()) == st.frontier()
        assert fresh.gaps(st.statuses(), st.scores()) == st.gaps()
        assert eng.evaluate(log, "s").recommend() == st.recommend()
        assert len(st.progression) == len(fw)
    # many threads on a fresh engine: the progression is built once, answers agree
    from concurrent.futures import ThreadPoolExecutor

    eng = mm.Engine(fw, mm.Policy(mm.Scale.four_point()))
    states = [eng.evaluate(log, "s") for _ in range(16)]
    with ThreadPoolExecutor(8) as pool:
        got = list(pool.map(lambda st: (st.frontier(), st.recommend()), states))
    assert all(g == got[0] for g in got) and got[0][0] == want4


def test_cached_progression_follows_update():
    fw = _two_scale_framework()
    log = mm.EvidenceLog()
    log.add(learner="s", competency="A", score=1, time=T0)
    eng = mm.Engine(fw, mm.Policy(mm.Scale.four_point()))
    st = eng.evaluate(log, "s")
    assert st.frontier() == ["A"]
    log.add(learner="s", competency="A", score=3, time=T0 + 60)
    eng.update(st, log)
    assert st.frontier() == ["B", "C"]
    assert st.last_evidence_times()[0] == T0 + 60


def test_goals_as_one_id_one_index_or_a_sequence(scenario):
    fw, roster, ana, ben = scenario
    goal = "M05.a"
    index = fw.index_of(goal)
    assert ben.path_to(index) == ben.path_to(goal) == ben.path_to([goal]) == ben.path_to([index])
    assert ben.recommend(goals=index) == ben.recommend(goals=goal)
    with pytest.raises(IndexError, match="framework index 100000 out of range"):
        ben.path_to(100000)
    with pytest.raises(TypeError, match=r"competency id \(str\) or a framework index \(an integer; a float only when integral\), got float"):
        ben.path_to(3.5)


def test_long_lists_are_shortened_in_repr_only(scenario):
    fw, roster, ana, ben = scenario
    path = ana.path_to(list(fw)[-1])
    assert len(path.ids) > 8
    text = repr(path)
    shown = ", ".join(repr(i) for i in path.ids[:8])
    assert f"ids=[{shown}, ... ({len(path.ids)} in all)]" in text
    assert len(path.to_dict()["steps"]) == len(path.steps) == len(path.ids)


# --- issue 11: gaps vs blockers, learning targets, level-aware recommendations ------------------

def test_gaps_are_holes_under_done_work_and_blockers_hold_back_work_in_progress():
    b = mm.FrameworkBuilder()
    for c in "ABCEF":
        b.add_competency(c)
    b.add_prerequisite("B", prerequisite="A")
    b.add_prerequisite("C", prerequisite="B")
    b.add_prerequisite("F", prerequisite="E")
    fw = b.build()
    prog = mm.Progression(fw, mm.Policy(mm.Scale.four_point()))
    code = {s: i for i, s in enumerate(mm.STATUSES)}
    st = np.array([code[s] for s in ["not_started", "mastered", "in_progress", "not_started", "in_progress"]],
                  dtype=np.uint8)
    sc = np.array([np.nan, 3, 2, np.nan, 1])
    g = prog.gaps(st, sc)
    assert [(x.id, x.undermines) for x in g] == [("A", ["B"])]
    bl = prog.blockers(st, sc)
    assert [(x.id, x.blocks, x.ready) for x in bl] == [("E", ["F"], True)]
    st[1] = code["in_progress"]
    assert prog.gaps(st, sc) == [] and [x.id for x in prog.blockers(st, sc)] == ["A", "B", "E"]


def test_rollup_parents_are_not_learning_targets():
    b = mm.FrameworkBuilder()
    for c in ["UNIT1", "OA.1", "OA.2", "UNIT2", "OA.3"]:
        b.add_competency(c)
    for p, c in [("UNIT1", "OA.1"), ("UNIT1", "OA.2"), ("UNIT2", "OA.3")]:
        b.add_child(p, c)
    b.add_prerequisite("OA.2", prerequisite="OA.1")
    b.add_prerequisite("UNIT2", prerequisite="UNIT1")
    fw = b.build()
    pol = mm.Policy(mm.Scale.four_point())
    pol.rollup("UNIT1", mm.Rollup.all_of())
    pol.rollup("UNIT2", mm.Rollup.all_of())
    st = mm.evaluate(fw, pol, mm.EvidenceLog(), "new")
    assert st.frontier() == ["OA.1", "OA.3"]  # before issue 11: ['UNIT1', 'OA.1', 'OA.3']
    assert [r.id for r in st.recommend(5)] == ["OA.1", "OA.3"]
    p = st.path_to("UNIT2")
    assert p.goals == ["UNIT2"] and p.ids == ["OA.1", "OA.2", "OA.3"]
    prog = st.progression
    assert not prog.is_learning_target("UNIT1") and prog.is_learning_target("OA.1")
    assert prog.rollups() == {"UNIT1": ["OA.1", "OA.2"], "UNIT2": ["OA.3"]}
    assert pickle.loads(pickle.dumps(prog)) == prog
    assert prog != mm.Progression(fw, mm.Policy(mm.Scale.four_point()))


def test_a_gatekeeper_gates_exemption_too():
    rule = mm.Rule(method=mm.Method.latest(), exempt_on_pretest=0.8, require_kinds=["discussion"],
                   min_evidence=2)
    pol = mm.Policy(mm.Scale.percent(80), rule=rule)
    b = mm.FrameworkBuilder()
    b.add_competency("A")
    fw = b.build()
    log = mm.EvidenceLog().add("s", "A", 0.9, 1, kind="pretest")
    st = mm.evaluate(fw, pol, log, "s")
    assert st.status("A") == "awaiting_confirmation"  # before issue 11: exempt
    assert "ready for the teacher's check" in st.explain("A").text
    assert "ready for the teacher's check" in repr(st.explain("A"))
    log.add("s", "A", 1.0, 2, kind="discussion")
    assert mm.evaluate(fw, pol, log, "s").status("A") == "exempt"  # one counted piece < 2
    pol1 = mm.Policy(mm.Scale.percent(80), rule=mm.Rule(method=mm.Method.latest(), exempt_on_pretest=0.8,
                                                        require_kinds=["discussion"]))
    assert mm.evaluate(fw, pol1, log, "s").status("A") == "mastered"  # the check masters on its own
    roster = mm.Roster(fw, pol)
    roster.ingest(log)
    assert roster.learner("s").status("A") == "exempt"


def test_redundancy_lint_keeps_strength_tiers():
    def red(ab, bc, ac):
        b = mm.FrameworkBuilder()
        for c in "ABC":
            b.add_competency(c)
        b.add_prerequisite("B", prerequisite="A", strength=ab)
        b.add_prerequisite("C", prerequisite="B", strength=bc)
        b.add_prerequisite("C", prerequisite="A", strength=ac)
        return b.build().redundant_prerequisites()
    assert red("required", "required", "required") == [("C", "A")]
    assert red("required", "recommended", "required") == []  # recommended never gates
    assert red("required", "familiar", "required") == []
    assert red("required", "required", "recommended") == [("C", "A")]


def test_ccss_fourth_grader_with_this_years_evidence_only(shared_data):
    fw = load_ccss(shared_data)
    code = {s: i for i, s in enumerate(mm.STATUSES)}
    ids = list(fw)
    st = np.zeros(len(ids), dtype=np.uint8)
    sc = np.full(len(ids), np.nan)
    for i, c in enumerate(ids):
        comp = fw[c]
        if comp.level == 3:
            st[i], sc[i] = code["mastered"], 3.0
        elif comp.level == 4 and comp.domain in ("NF", "OA"):
            st[i], sc[i] = code["in_progress"], 2.0
    prog = mm.Progression(fw, mm.Policy(mm.Scale.four_point()))
    low = {c for c in ids if fw[c].level is not None and fw[c].level <= 2}
    top = prog.recommend(10, st, sc)
    assert not {r.id for r in top} & low
    frontier = prog.frontier(st, sc)
    ranked = prog.recommend(len(frontier), st, sc)
    first_low = next(i for i, r in enumerate(ranked) if r.id in low)
    assert all(r.id in low for r in ranked[first_low:])
    assert all(r.reasons[0].startswith("not yet evidenced, ") for r in ranked[first_low:])
    done = {c for i, c in enumerate(ids) if mm.STATUSES[st[i]] == "mastered"}
    for g in prog.gaps(st, sc):
        assert mm.STATUSES[st[ids.index(g.id)]] != "in_progress" and set(g.undermines) <= done


def test_status_text_says_what_awaiting_confirmation_is():
    words = {"not_started": "not started", "in_progress": "in progress",
             "awaiting_confirmation": "ready for the teacher's check", "mastered": "mastered",
             "exceeded": "exceeded", "exempt": "exempt", "expired": "expired",
             "inferred": "inferred"}
    assert {s: mm.status_text(s) for s in mm.STATUSES} == words
    assert mm.status_text.__doc__ and "teacher's check" in mm.status_text.__doc__
    with pytest.raises(ValueError, match="bogus"):
        mm.status_text("bogus")
    with pytest.raises(TypeError, match="status"):
        mm.status_text(3)
    # Every repr that prints a status next to a score says it in words.
    b = mm.FrameworkBuilder()
    for c in "AB":
        b.add_competency(c)
    b.add_prerequisite("B", prerequisite="A")
    fw = b.build()
    prog = mm.Progression(fw, mm.Policy(mm.Scale.four_point()))
    code = {s: i for i, s in enumerate(mm.STATUSES)}
    st = np.array([code["awaiting_confirmation"], code["mastered"]], dtype=np.uint8)
    sc = np.array([4.0, 3.0])
    [blocker] = prog.blocked_by("B", np.array([st[0], 0], dtype=np.uint8), sc)
    assert "status='awaiting_confirmation' (ready for the teacher's check)" in repr(blocker)
    [gap] = prog.gaps(st, sc)
    assert "(ready for the teacher's check)" in repr(gap)
    assert "(ready for the teacher's check)" not in repr(prog.gaps(
        np.array([code["in_progress"], code["mastered"]], dtype=np.uint8), sc)[0])


# --- issue 11: roster-wide gaps and blockers as DataFrames -----------------------------------------

def _gap_rows(roster):
    """The oracle: each learner's own LearnerState.gaps(), concatenated in learner order."""
    return [(who, g.id, g.status, g.score, g.domain, g.level, list(g.undermines), g.ready)
            for who in roster.learners for g in roster.learner(who).gaps()]


def _blocker_rows(roster):
    return [(who, b.id, b.status, b.score, b.needed, b.needed_level, list(b.blocks), b.ready,
             b.distance)
            for who in roster.learners for b in roster.learner(who).blockers()]


def _frame_rows(frame, ints=()):
    def value(k, v):
        if isinstance(v, float) and math.isnan(v):
            return None
        if k in ints and v is not None:
            return int(v)
        return v.item() if hasattr(v, "item") else v
    return [tuple(value(k, v) for k, v in zip(frame.columns, row))
            for row in frame.itertuples(index=False)]


def _check_roster_advice(roster):
    g = roster.gaps()
    assert list(g.columns) == ["learner", "competency", "status", "score", "domain", "level",
                               "undermines", "ready"]
    assert list(g.learner.cat.categories) == list(roster.learners)
    assert list(g.competency.cat.categories) == list(roster.framework)
    assert g.status.cat.ordered and list(g.status.cat.categories) == mm.STATUS_ORDER
    assert g.ready.dtype == bool and g.score.dtype == np.float64
    assert _frame_rows(g, ints=("level",)) == _gap_rows(roster)
    b = roster.blockers()
    assert list(b.columns) == ["learner", "competency", "status", "score", "needed",
                               "needed_level", "blocks", "ready", "distance"]
    assert b.distance.dtype == np.int64 and b.ready.dtype == bool
    assert _frame_rows(b) == _blocker_rows(roster)
    return g, b


@pytest.mark.parametrize("seed", range(4))
def test_roster_gaps_and_blockers_equal_each_learners_own(seed):
    rng = random.Random(seed)
    b = mm.FrameworkBuilder("random")
    n = 30
    for i in range(n):
        b.add_competency(f"c{i}", domain="x" if i % 3 else "y", level=i % 4)
    for j in range(n):
        for i in range(j):
            if rng.random() < 0.12:
                b.add_prerequisite(f"c{j}", f"c{i}",
                                   rng.choice(["required", "required", "familiar", "recommended"]))
    fw = b.build()
    pol = mm.Policy(mm.Scale.four_point(), infer_prerequisites=["none", "required", "gating"][seed % 3])
    roster = mm.Roster(fw, pol, threads=1 + seed % 3)
    log = mm.EvidenceLog()
    for k in range(600):
        log.add(f"s{rng.randrange(40)}", f"c{rng.randrange(n)}", rng.choice([1, 2, 3, 3, 4]),
                T0 + 60 * k)
    roster.ingest(log)
    g, bl = _check_roster_advice(roster)
    assert len(g) > 0 and len(bl) > 0
    seen = []
    roster.gaps(progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (len(roster), len(roster))
    with pytest.raises(KeyboardInterrupt):
        roster.blockers(progress=lambda done, total: (_ for _ in ()).throw(KeyboardInterrupt()))
    with pytest.raises(TypeError, match="progress"):
        roster.gaps(progress=3)
    empty = mm.Roster(fw, pol)
    assert len(empty.gaps()) == 0 and len(empty.blockers()) == 0
    assert list(empty.gaps().columns) == list(g.columns)


def test_roster_gaps_and_blockers_of_the_common_core_fourth_graders(shared_data):
    fw = load_ccss(shared_data)
    roster = mm.Roster(fw, mm.Policy(mm.Scale.four_point()))
    log = mm.EvidenceLog()
    for c in fw:
        comp = fw[c]
        if comp.level == 3:
            for who in ("maya", "noah", "omar"):
                log.add(who, c, 3, T0)
        if comp.level == 4 and comp.domain in ("NF", "OA"):
            log.add("omar", c, 2, T0 + 10)
    log.add("noah", "3.NF.A.1", 1, T0 + 60).add("omar", "3.NF.A.1", 1, T0 + 60)
    roster.ingest(log)
    g, b = _check_roster_advice(roster)
    per = g.groupby("learner", observed=False).size()
    assert per["maya"] == 0 and per["noah"] > 0
    assert "3.NF.A.1" in set(g[g.learner == "noah"].competency)
    assert (b.learner == "omar").sum() > 0


def test_a_new_learners_recommendations_say_where_to_start_in_words():
    """Without leveled evidence the level term favours the lowest open level; the reason says so
    as a teacher reads it (it used to be "lowest open level (0)")."""
    b = mm.FrameworkBuilder("start")
    b.add_competency("K.MD.1", domain="MD", level=0).add_competency("1.MD.1", domain="MD", level=1)
    b.add_competency("1.OA.1", domain="OA", level=1).add_competency("X", domain="")
    b.add_prerequisite("1.MD.1", "K.MD.1")
    fw = b.build()
    prog = mm.Progression(fw, mm.Policy())
    recs = {r.id: r.reasons for r in prog.recommend(4, np.zeros(len(fw), dtype=np.uint8))}
    assert recs["K.MD.1"][-1] == "a starting point: level 0 (the lowest level open in MD)"
    assert recs["1.OA.1"][-1] == "level 1 in OA"
    assert recs["X"][-1] == ("a starting point: foundational (depth 0 in the prerequisite graph, "
                             "the lowest open)")


def test_blocker_blocks_names_the_next_link_and_leads_up_to_the_work_in_progress():
    """Documented (not changed): ``blocks`` is the next link up; following it reaches the work in
    progress each blocker ultimately holds back."""
    b = mm.FrameworkBuilder("chain")
    for c in ("A", "B", "C", "D"):
        b.add_competency(c)
    b.add_prerequisite("B", "A").add_prerequisite("C", "B").add_prerequisite("D", "A")
    fw = b.build()
    prog = mm.Progression(fw, mm.Policy())
    code = {s: i for i, s in enumerate(mm.STATUSES)}
    st = np.array([code[s] for s in ("not_started", "not_started", "in_progress", "in_progress")],
                  dtype=np.uint8)
    bl = {x.id: x.blocks for x in prog.blockers(st)}
    assert bl == {"A": ["B", "D"], "B": ["C"]}

    def held_back(c):
        out = set()
        for y in bl.get(c, []):
            out |= {y} if y not in bl else held_back(y)
            if st[fw.index_of(y)] == code["in_progress"]:
                out.add(y)
        return out
    assert held_back("A") == {"C", "D"} and held_back("B") == {"C"}


def test_status_arrays_are_1d_integer_codes():
    # issue 11: a float (3.7 read as mastered), NaN or a 2-D array was cast or flattened
    fw = learning_map()
    prog = mm.Progression(fw, mm.Policy(mm.Scale.four_point()))
    n = len(fw)
    good = np.zeros(n, np.uint8)
    want = prog.infer(good)
    for ok in (good, good.astype(np.int64), good.astype(np.uint16), [0] * n):
        assert (prog.infer(ok) == want).all()
        assert len(prog.frontier(ok)) == len(prog.frontier(good))
    for bad in (np.full(n, 3.7), np.full(n, np.nan), [0.0] * n, good.astype(bool),
                good.astype(str)):
        for f in (prog.infer, prog.frontier):
            with pytest.raises(TypeError, match="statuses: expected a 1-D integer array of status "
                                                r"codes .* got dtype"):
                f(bad)
    with pytest.raises(ValueError, match=rf"statuses: expected a 1-D array of {n} status codes, "
                                         rf"got shape \(2, {n // 2}\)"):
        prog.infer(np.zeros((2, n // 2), np.uint8))
    with pytest.raises(ValueError, match=rf"statuses: expected {n} status codes .*, got {n - 1}"):
        prog.infer(np.zeros(n - 1, np.uint8))
    for dtype, code in ((np.uint8, 9), (np.int64, -1), (np.int64, 300)):
        bad = np.zeros(n, dtype)
        bad[5] = code
        with pytest.raises(ValueError, match=rf"statuses: bad status code {code} at index 5 "):
            prog.infer(bad)
    with pytest.raises(ValueError, match=rf"scores: expected {n} scores .*, got 3"):
        prog.infer(good, np.zeros(3))
    with pytest.raises(ValueError, match=rf"scores: expected a 1-D array of {n} scores"):
        prog.infer(good, np.zeros((1, n)))
