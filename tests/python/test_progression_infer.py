"""Progression.infer: the engine's inference applied to status arrays computed elsewhere.

Oracles: a networkx closure from the rule's definition (policy.hpp, infer_prerequisites) on
random DAGs, and the engine itself on the same evidence (evaluate, strip ``inferred``, infer
again, compare), with rollup units and every option; the Common Core 4th grader.
"""
import copy
import pickle
import random

import networkx as nx
import numpy as np
import pytest

import masterymap as mm

T0 = 1704067200.0  # 2024-01-01
CHOSEN = {"none": set(), "required": {"required"}, "gating": {"required", "familiar"}}
CODE = {s: i for i, s in enumerate(mm.STATUSES)}
CONTRARY = {"in_progress", "awaiting_confirmation", "expired"}
EARNED = {"mastered", "exceeded", "exempt"}


def random_dag(rng, n, p):
    b = mm.FrameworkBuilder("random")
    for i in range(n):
        b.add_competency(f"c{i}", domain="x" if i % 3 == 0 else "y", level=i % 5)
    g = nx.DiGraph()
    g.add_nodes_from(f"c{i}" for i in range(n))
    for j in range(n):
        for i in range(j):
            if rng.random() < p:
                s = rng.choice(["required", "required", "familiar", "recommended"])
                b.add_prerequisite(f"c{j}", f"c{i}", s)
                g.add_edge(f"c{i}", f"c{j}", strength=s)
    return b, g


def closure(g, statuses, mode):
    """The rule from its definition: the smallest set containing the earned competencies, closed
    under chosen links into competencies without contrary evidence; minus the earned."""
    chosen = nx.DiGraph()
    chosen.add_nodes_from(g)
    chosen.add_edges_from((u, v) for u, v, s in g.edges(data="strength") if s in CHOSEN[mode])
    stop = {c for c, s in statuses.items() if s in CONTRARY}
    open_graph = chosen.subgraph(set(chosen) - stop)  # inference never passes contrary evidence
    earned = {c for c, s in statuses.items() if s in EARNED}
    out = set()
    for c in earned:
        out |= nx.ancestors(open_graph, c) if c in open_graph else set()
        out |= {p for p in chosen.predecessors(c) if p not in stop}  # (covered above; explicit)
    return {c for c in out if statuses[c] == "not_started"}


@pytest.mark.parametrize("mode", ["none", "required", "gating"])
def test_infer_is_the_closure_on_random_status_arrays(mode):
    rng = random.Random(11 + len(mode))
    for trial in range(60):
        n = 8 + trial % 25
        b, g = random_dag(rng, n, 0.12 + 0.01 * (trial % 10))
        fw = b.build()
        prog = mm.Progression(fw, mm.Policy(infer_prerequisites=mode))
        names = [rng.choice(["not_started"] * 5 + ["mastered", "exceeded", "exempt", "in_progress",
                                                    "awaiting_confirmation", "expired", "inferred"])
                 for _ in range(n)]
        statuses = dict(zip(list(fw), names))
        given = np.array([CODE[s] for s in names], dtype=np.uint8)
        # Existing `inferred` entries are recomputed: the reference reads them as not started.
        plain = {c: ("not_started" if s == "inferred" else s) for c, s in statuses.items()}
        want = closure(g, plain, mode)
        got = prog.infer(given)
        assert got.dtype == np.uint8 and got.shape == (n,)
        assert {c for c, s in zip(list(fw), got) if mm.STATUSES[s] == "inferred"} == want
        for c, s in zip(list(fw), got):  # everything else is as given
            if c not in want:
                assert mm.STATUSES[s] == plain[c]
        assert (given == np.array([CODE[s] for s in names])).all()  # the input is not changed


def unit_world(rng, n, mode):
    """A random DAG with three units (rollup parents of runs of lessons), required by lessons
    above them and requiring lessons below, and one learner's random evidence."""
    b, _ = random_dag(rng, n, 0.15)
    pol = mm.Policy(mm.Scale.four_point(), mm.Rule(ignore_kinds=["self"]), infer_prerequisites=mode)
    for k in range(3):
        unit = f"U{k}"
        b.add_competency(unit, domain="u")
        a = k * n // 3
        z = a + 1 + rng.randrange(3)
        kids = [f"c{i}" for i in range(a, min(z, n))]
        for kid in kids:
            b.add_child(unit, kid)
        for i in range(a):
            if rng.random() < 0.2:
                b.add_prerequisite(unit, f"c{i}", "required")
        for j in range(z, n):
            if rng.random() < 0.2:
                b.add_prerequisite(f"c{j}", unit, "required")
        pol.rollup(unit, rng.choice([mm.Rollup.all_of(), mm.Rollup.any_of(),
                                     mm.Rollup.k_of_n(min(2, len(kids))),
                                     mm.Rollup.weighted_mean()]))
    fw = b.build()
    log = mm.EvidenceLog()
    t = T0
    for c in list(fw):
        x = rng.random()
        if c.startswith("U") and x > 0.15:
            continue
        if x < 0.25:
            log.add("ana", c, 3, t)
        elif x < 0.35:
            log.add("ana", c, 1, t)
        elif x < 0.4:
            log.add("ana", c, 4, t, "self")
        t += 60
    return fw, pol, log


@pytest.mark.parametrize("mode", ["none", "required", "gating"])
def test_infer_equals_the_engine_with_rollup_units(mode):
    rng = random.Random(1234 + len(mode))
    inferred = units = 0
    for trial in range(60):
        fw, pol, log = unit_world(rng, 9 + trial % 18, mode)
        eng = mm.Engine(fw, pol)
        st = eng.evaluate(log, "ana")
        want = st.statuses()
        bare = np.where(want == CODE["inferred"], CODE["not_started"], want).astype(np.uint8)
        for prog in (st.progression, mm.Progression(fw, pol),
                     pickle.loads(pickle.dumps(mm.Progression(fw, pol))),
                     copy.copy(st.progression)):
            assert (prog.infer(bare, st.scores()) == want).all()
            assert (prog.infer(want, st.scores()) == want).all()  # idempotent
        assert (st.progression.infer(bare) == want).all()  # scores only for weighted_mean
        inferred += int((want == CODE["inferred"]).sum())
        units += sum(1 for c in ("U0", "U1", "U2") if st.status(c) == "inferred")
    if mode != "none":
        assert inferred > 50 and units > 0  # the rollup fixpoint is exercised


def test_infer_the_fourth_grader_on_the_common_core_map(shared_data):
    from helpers import load_ccss
    fw = load_ccss(shared_data)
    grade3 = [c for c in fw if fw[c].level == 3]
    for mode in ("none", "required", "gating"):
        pol = mm.Policy(mm.Scale.four_point(), infer_prerequisites=mode)
        log = mm.EvidenceLog()
        for c in grade3:
            log.add("maya", c, 3, T0)
        st = mm.Engine(fw, pol).evaluate(log, "maya")
        given = np.full(len(fw), CODE["not_started"], dtype=np.uint8)
        given[[fw.index_of(c) for c in grade3]] = CODE["mastered"]
        got = mm.Progression(fw, pol).infer(given)
        assert (got == st.statuses()).all()
        inferred = {c for c, s in zip(list(fw), got) if s == CODE["inferred"]}
        assert (inferred == set()) if mode == "none" else len(inferred) > 20
        assert all(fw[c].level < 3 for c in inferred)
        if mode != "none":
            prog = mm.Progression(fw, pol)
            # Met for the array methods once inferred: none of them is a gap or on the frontier.
            assert not inferred & (set(prog.frontier(got)) | {x.id for x in prog.gaps(got)})


def test_infer_bad_input_and_equality():
    fw = mm.FrameworkBuilder("d").add_competency("A").add_competency("B") \
        .add_prerequisite("B", "A").build()
    prog = mm.Progression(fw, mm.Policy())
    assert list(prog.infer(np.array([0, CODE["mastered"]], dtype=np.uint8))) == \
        [CODE["inferred"], CODE["mastered"]]
    assert list(prog.infer([0, CODE["mastered"]])) == [CODE["inferred"], CODE["mastered"]]
    with pytest.raises(ValueError, match="expected 2 status codes"):
        prog.infer(np.zeros(3, dtype=np.uint8))
    with pytest.raises(ValueError, match="bad status code"):
        prog.infer(np.array([0, 200], dtype=np.uint8))
    with pytest.raises(ValueError, match="scores"):
        prog.infer(np.zeros(2, dtype=np.uint8), np.zeros(3))
    with pytest.raises(TypeError, match="statuses"):
        prog.infer(None)
    # The inference rule is part of what a Progression is.
    none = mm.Progression(fw, mm.Policy(infer_prerequisites="none"))
    assert none != prog and none == mm.Progression(fw, mm.Policy(infer_prerequisites="none"))
    assert list(none.infer([0, CODE["mastered"]])) == [0, CODE["mastered"]]
    # A rollup naming an unknown id: ignored by the array methods, reported by infer.
    bad = mm.Progression(fw, mm.Policy().rollup("A", mm.Rollup.all_of("NOPE")))
    bad.frontier([0, 0])
    with pytest.raises(mm.PolicyError, match="NOPE"):
        bad.infer([0, 0])
