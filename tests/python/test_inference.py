"""Inferred mastery and placement (Policy.infer_prerequisites), against a networkx reference.

The rule (policy.hpp, infer_prerequisites): S is the smallest set containing the earned
competencies E and the placed ones without contrary evidence, closed under "y in S, x a
prerequisite of y through a chosen link, x without contrary evidence => x in S"; the inferred set
is S minus E. Contrary evidence: evidence on file short of done (in_progress, awaiting, expired).
"""
import random

import networkx as nx
import numpy as np
import pytest

import masterymap as mm

T0 = 1704067200.0  # 2024-01-01
CHOSEN = {"none": set(), "required": {"required"}, "gating": {"required", "familiar"}}


def random_world(rng, n, p, placements):
    b = mm.FrameworkBuilder("random")
    for i in range(n):
        b.add_competency(f"c{i}", domain="x" if i % 3 == 0 else "y", level=i % 5)
    g = nx.DiGraph()
    g.add_nodes_from(range(n))
    for j in range(n):
        for i in range(j):
            if rng.random() < p:
                s = rng.choice(["required", "required", "familiar", "recommended"])
                b.add_prerequisite(f"c{j}", f"c{i}", s)
                g.add_edge(i, j, strength=s)
    own, rows, t = {}, [], T0
    for c in range(n):
        x = rng.random()
        if x < 0.2:
            own[c] = "earned"
            rows.append((f"c{c}", 3, "formative", t))
        elif x < 0.35:
            own[c] = "contrary"
            rows.append((f"c{c}", 1, "formative", t))
        else:
            own[c] = "none"
        t += 60
    placed = set()
    if placements:
        for d in ("x", "y"):
            if rng.random() < 0.5:
                continue
            members = [c for c in range(n) if (c % 3 == 0) == (d == "x")]
            for _ in range(2):  # the later placement counts
                c = rng.choice(members)
                rows.append((f"c{c}", 1, "placement", t))
                t += 60
            placed |= {m for m in members if m % 5 < c % 5}
    log = mm.EvidenceLog()
    for comp, score, kind, when in rows:
        log.add("ana", comp, score, when, kind)
    return b.build(), g, own, placed, log


def reference(g, own, placed, mode):
    """The inferred set, by networkx: ancestors through chosen links, contrary nodes removed."""
    h = nx.DiGraph()
    h.add_nodes_from(c for c in g if own[c] != "contrary")
    h.add_edges_from((u, v) for u, v, s in g.edges(data="strength")
                     if s in CHOSEN[mode] and own[u] != "contrary" and own[v] != "contrary")
    seeds = {c for c in g if own[c] == "earned"} | {c for c in placed if own[c] != "contrary"}
    closure = set(seeds)
    for s in seeds:
        closure |= nx.ancestors(h, s)
    return {c for c in closure if own[c] != "earned"}


@pytest.mark.parametrize("seed", range(30))
def test_inferred_set_is_the_closure(seed):
    rng = random.Random(seed)
    fw, g, own, placed, log = random_world(rng, 6 + seed % 20, 0.2, placements=seed % 2 == 1)
    for mode in ("none", "required", "gating"):
        eng = mm.Engine(fw, mm.Policy(mm.Scale.four_point(), infer_prerequisites=mode))
        st = eng.evaluate(log, "ana")
        got = {c for c in range(len(fw)) if st.status(f"c{c}") == "inferred"}
        assert got == reference(g, own, placed, mode), mode
        for c in range(len(fw)):  # contrary evidence wins; earned stays earned
            if own[c] == "contrary":
                assert st.status(f"c{c}") == "in_progress"
            if own[c] == "earned":
                assert mm.is_earned(st.status(f"c{c}"))
        # The bulk table says the same, with inferred apart from mastered.
        tab = eng.ratings(log)
        inferred = set(tab[tab.status == "inferred"].competency.astype(str))
        assert inferred == {f"c{c}" for c in got}
        assert "inferred" in list(tab.status.cat.categories)


def test_adding_mastery_never_removes_an_inference_and_contrary_wins():
    rng = random.Random(5)
    for _ in range(10):
        fw, g, own, placed, log = random_world(rng, 15, 0.25, placements=False)
        eng = mm.Engine(fw, mm.Policy(mm.Scale.four_point()))
        before = eng.evaluate(log, "ana")
        was = {c for c in range(len(fw)) if before.status(f"c{c}") == "inferred"}
        for c in range(len(fw)):
            more = mm.EvidenceLog()
            for r in log.to_dataframe().itertuples():
                more.add(r.learner, r.competency, r.score, r.time, r.kind)
            more.add("ana", f"c{c}", 3 if own[c] != "contrary" else 1, T0 + 1e6)
            after = eng.evaluate(more, "ana")
            if own[c] != "contrary":
                for x in was:
                    assert mm.is_met(after.status(f"c{x}"))
            if c in was:
                contrary = mm.EvidenceLog()
                for r in log.to_dataframe().itertuples():
                    contrary.add(r.learner, r.competency, r.score, r.time, r.kind)
                contrary.add("ana", f"c{c}", 1, T0 + 1e6)
                assert eng.evaluate(contrary, "ana").status(f"c{c}") == "in_progress"


def test_roster_incremental_equals_full_evaluation():
    rng = random.Random(11)
    fw, *_ = random_world(rng, 25, 0.2, placements=False)
    pol = mm.Policy(mm.Scale.four_point(), infer_prerequisites="gating")
    one, log = mm.Roster(fw, pol), mm.EvidenceLog()
    for i in range(300):
        who, c = f"L{rng.randrange(4)}", f"c{rng.randrange(25)}"
        score = rng.choice([3, 3, 1, 4])
        kind = "placement" if i % 53 == 0 else "formative"
        one.add(who, c, score, T0 + 60 * i, kind)
        log.add(who, c, score, T0 + 60 * i, kind)
    eng = mm.Engine(fw, pol)
    statuses = one.statuses().reshape(len(one.learners), len(fw))
    for i, who in enumerate(one.learners):
        want = eng.evaluate(log, who).statuses()
        assert np.array_equal(statuses[i], want), who


def test_explain_and_placement():
    b = mm.FrameworkBuilder("f")
    for cid, level in (("A", 3), ("B", 4), ("C", 4), ("D", 5)):
        b.add_competency(cid, domain="NF", level=level)
    b.add_prerequisite("B", "A").add_prerequisite("C", "A")
    fw = b.build()
    log = mm.EvidenceLog().add("ana", "B", 3, "2024-09-02").add("ana", "C", 4, "2024-09-02")
    log.add("ben", "D", 1, "2024-09-03", "placement")
    eng = mm.Engine(fw, mm.Policy())
    ana = eng.evaluate(log, "ana")
    ex = ana.explain("A")
    assert ex.status == "inferred" and ex.decided_by == "inference"
    assert ex.inferred_from == ["B", "C"]
    assert "inferred from mastery of B, C" in ex.text
    assert ex.to_dict()["inferred_from"] == ["B", "C"]
    frame = ana.to_dataframe()
    assert frame.loc["A", "status"] == "inferred"
    assert frame.status.cat.categories.tolist() == mm.STATUS_ORDER
    assert frame.loc["A", "status"] < "mastered"  # learning order
    assert mm.is_met("inferred") and not mm.is_earned("inferred")
    ben = eng.evaluate(log, "ben")
    assert [ben.status(c) for c in "ABCD"] == ["inferred", "inferred", "inferred", "not_started"]
    assert "placed at level 5 in NF on 2024-09-03" in ben.explain("A").text
    with pytest.raises(ValueError, match="infer_prerequisites"):
        mm.Policy(infer_prerequisites="all")
    pol = mm.Policy(infer_prerequisites="gating")
    assert mm.Policy.from_json(pol.to_json()).infer_prerequisites == "gating"
