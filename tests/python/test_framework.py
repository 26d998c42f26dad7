"""Framework: builder, validation, queries, formats; networkx as the oracle."""
import pickle
import random

import networkx as nx
import numpy as np
import pytest

import masterymap as mm


def diamond():
    b = mm.FrameworkBuilder("diamond")
    b.add_competency("A", title="Count", domain="N", level=1)
    b.add_competency("B", title="Add", domain="N", level=2)
    b.add_competency("C", title="Measure", domain="M", level=2)
    b.add_competency("D", title="Multiply", domain="N", level=3)
    b.add_prerequisite("B", prerequisite="A")
    b.add_prerequisite("C", prerequisite="A", strength="familiar")
    b.add_prerequisite("D", prerequisite="B")
    b.add_prerequisite("D", prerequisite="C", strength="recommended")
    b.add_prerequisite("D", prerequisite="A")
    return b


def test_container_protocol_and_lookup():
    fw = diamond().build()
    assert len(fw) == 4 and fw.edge_count == 5
    assert list(fw) == ["A", "B", "C", "D"]
    assert "C" in fw and "Z" not in fw
    assert fw["C"].title == "Measure" and fw[2].id == "C"
    assert repr(fw) == "<Framework 'diamond': 4 competencies, 5 prerequisites>"
    assert repr(fw["A"]) == "Competency(id='A', title='Count', domain='N', level=1)"
    with pytest.raises(mm.UnknownIdError) as info:
        fw["Z"]
    assert info.value.id == "Z"
    with pytest.raises(IndexError):
        fw[17]


def test_queries():
    fw = diamond().build()
    assert fw.prerequisites("D") == ["B", "C", "A"]
    assert fw.prerequisites("D", transitive=True) == ["A", "B", "C"]
    assert fw.prerequisites("D", strength=["required", "familiar"]) == ["B", "A"]
    assert fw.prerequisites("D", transitive=True, strength="required") == ["A", "B"]
    assert fw.dependents("A") == ["B", "C", "D"]
    assert fw.topological_order() == ["A", "B", "C", "D"]
    assert fw.longest_chain() == ["A", "B", "D"]
    assert fw.depth("D") == 2
    assert fw.depths().tolist() == [0, 1, 1, 2]
    assert fw.redundant_prerequisites() == [("D", "A")]
    assert fw.domains() == ["N", "M"]
    assert fw.competencies_in("N", level=2) == ["B"]
    sub = fw.subgraph(fw.prerequisites("D", transitive=True, strength="required") + ["D"])
    assert list(sub) == ["A", "B", "D"] and sub.edge_count == 3
    with pytest.raises(ValueError):
        fw.prerequisites("D", strength="mandatory")


def test_batch_forms_with_numpy():
    fw = diamond().build()
    idx = fw.index_of(["B", "C"])
    assert idx.dtype == np.uint32 and idx.tolist() == [1, 2]
    assert fw.index_of("D") == 3
    assert fw.ancestors(idx).tolist() == [0]
    assert fw.ids_of(fw.descendants(np.array([0]))) == ["B", "C", "D"]
    arrays = fw.edge_arrays()
    assert arrays["prerequisite"].tolist() == [0, 0, 1, 2, 0]
    assert arrays["strength"].tolist() == [0, 1, 0, 2, 0]
    assert np.isnan(arrays["min_level"]).all()
    assert fw.topological_order(as_indices=True).tolist() == [0, 1, 2, 3]
    with pytest.raises(mm.UnknownIdError):
        fw.index_of(["A", "nope"])
    with pytest.raises(IndexError):
        fw.ancestors(np.array([99]))


def test_hierarchy_with_two_parents():
    b = diamond()
    b.add_competency("N", domain="N").add_child("N", "A").add_child("N", "B")
    b.add_competency("X").add_child("X", "B")
    fw = b.build()
    assert fw.children("N") == ["A", "B"]
    assert fw.parents("B") == ["N", "X"]
    assert fw.hierarchy() == [("N", "A"), ("N", "B"), ("X", "B")]


def test_validation_reports_everything():
    b = mm.FrameworkBuilder()
    b.add_competency("A").add_competency("B").add_competency("A").add_competency("C")
    b.add_prerequisite("B", prerequisite="A").add_prerequisite("B", prerequisite="A")
    b.add_prerequisite("C", prerequisite="C").add_prerequisite("B", prerequisite="Q")
    with pytest.raises(mm.ValidationError) as info:
        b.build()
    assert not isinstance(info.value, mm.CycleError)
    kinds = sorted(p["kind"] for p in info.value.problems)
    assert kinds == ["duplicate_edge", "duplicate_id", "self_loop", "unknown_id"]
    assert any(p["ids"] == ["Q", "B"] for p in info.value.problems)
    assert len(b) == 4


def test_cycle_error_names_the_cycle_in_order_and_drop_option():
    b = mm.FrameworkBuilder()
    for c in "ABCD":
        b.add_competency(c)
    b.add_prerequisite("B", prerequisite="A").add_prerequisite("C", prerequisite="B")
    b.add_prerequisite("A", prerequisite="C").add_prerequisite("D", prerequisite="C")
    with pytest.raises(mm.CycleError) as info:
        b.build()
    assert info.value.cycle == ["A", "B", "C", "A"]
    assert "A -> B -> C -> A" in str(info.value)
    fw = b.build(drop_cycle_edges=True)
    assert fw.dropped_edges == [
        {"prerequisite": "C", "dependent": "A", "reason": "cycle: A -> B -> C -> A"}]
    assert fw.edge_count == 3


def test_json_round_trip_and_pickle(tmp_path):
    b = diamond()
    b.add_competency("H", title='Habits "of" work', kind="disposition", tags=["sel"],
                     metadata={"grade": "K"})
    b.add_prerequisite("H", prerequisite="D", strength="familiar", min_level=2.5)
    fw = b.build()
    text = fw.to_json()
    again = mm.Framework.from_json(text)
    assert again == fw and again.to_json() == text
    assert again["H"].kind == "disposition" and again["H"].metadata == {"grade": "K"}
    assert pickle.loads(pickle.dumps(fw)) == fw
    path = tmp_path / "fw.json"
    fw.write_json(str(path))
    assert mm.io.read_json(str(path)) == fw


def test_malformed_json_has_line_and_column():
    with pytest.raises(mm.ParseError) as info:
        mm.Framework.from_json('{\n "format": "masterymap.framework",\n "version": 1,,\n}')
    assert (info.value.line, info.value.column) == (3, 15)
    with pytest.raises(mm.ParseError, match="/competencies/0/id"):
        mm.Framework.from_json('{"format": "masterymap.framework", "version": 1, '
                               '"competencies": [{"title": "no id"}]}')


def test_to_dot_and_frames():
    fw = diamond().build()
    dot = fw.to_dot()
    assert '"A" -> "C" [style=dashed];' in dot
    df = fw.edges_frame()
    assert list(df.columns) == ["prerequisite", "dependent", "strength", "min_level"]
    assert len(df) == 5
    cf = fw.competencies_frame()
    assert cf["depth"].tolist() == [0, 1, 1, 2]


def random_dag(rng, n, m):
    perm = list(range(n))
    rng.shuffle(perm)
    edges = set()
    while len(edges) < m:
        x, y = rng.randrange(n), rng.randrange(n)
        if x == y:
            continue
        if perm[x] > perm[y]:
            x, y = y, x
        edges.add((x, y))
    b = mm.FrameworkBuilder()
    for i in range(n):
        b.add_competency(f"v{i}")
    g = nx.DiGraph()
    g.add_nodes_from(f"v{i}" for i in range(n))
    for x, y in sorted(edges, key=lambda e: rng.random()):
        b.add_prerequisite(f"v{y}", prerequisite=f"v{x}")
        g.add_edge(f"v{x}", f"v{y}")
    return b.build(), g


@pytest.mark.parametrize("seed", range(8))
def test_random_dags_against_networkx(seed):
    rng = random.Random(seed)
    fw, g = random_dag(rng, 60, 150)
    order = fw.topological_order()
    pos = {v: i for i, v in enumerate(order)}
    assert sorted(order) == sorted(g.nodes)
    assert all(pos[u] < pos[v] for u, v in g.edges)
    for v in g.nodes:
        assert set(fw.prerequisites(v, transitive=True)) == nx.ancestors(g, v)
        assert set(fw.dependents(v, transitive=True)) == nx.descendants(g, v)
    reduced = nx.transitive_reduction(g)
    expected = {(v, u) for u, v in g.edges if not reduced.has_edge(u, v)}
    assert set(fw.redundant_prerequisites()) == expected
    assert len(fw.longest_chain()) - 1 == nx.dag_longest_path_length(g)
    roots = np.array(rng.sample(range(len(fw)), 5), dtype=np.uint32)
    union = set().union(*(nx.ancestors(g, fw.id_of(int(r))) for r in roots))
    assert set(fw.ids_of(fw.ancestors(roots))) == union
    assert fw.to_networkx().edges == g.edges


def test_deep_chain_from_python():
    n = 200_000
    b = mm.FrameworkBuilder()
    for i in range(n):
        b.add_competency(str(i))
    for i in range(1, n):
        b.add_prerequisite(str(i), prerequisite=str(i - 1))
    fw = b.build()
    assert len(fw.longest_chain()) == n
    assert len(fw.ancestors(np.array([n - 1]))) == n - 1
    assert fw.redundant_prerequisites() == []


def test_metadata_and_associations_travel():
    b = diamond()
    b.set_metadata("source", "hand")
    b.add_association("isRelatedTo", "A", "C", metadata={"case:identifier": "x1"})
    b.add_association("exactMatchOf", "B", "http://example.org/other/1")
    fw = b.build()
    assert fw.metadata == {"source": "hand"}
    assert fw.associations == [
        mm.Association("isRelatedTo", "A", "C", metadata={"case:identifier": "x1"}),
        mm.Association("exactMatchOf", "B", "http://example.org/other/1")]
    assert fw.edge_count == diamond().build().edge_count  # never prerequisites
    assert fw != diamond().build()
    for again in (pickle.loads(pickle.dumps(fw)), mm.Framework.from_json(fw.to_json())):
        assert again == fw
        assert again.associations == fw.associations and again.metadata == fw.metadata
    a = fw.associations[0]
    assert pickle.loads(pickle.dumps(a)) == a and hash(a) == hash(pickle.loads(pickle.dumps(a)))
    assert repr(a) == "Association('isRelatedTo', 'A', 'C')"
    assert [x.type for x in fw.subgraph(["A", "B"]).associations] == ["exactMatchOf"]
    b.add_association("", "A", "B")
    with pytest.raises(mm.ValidationError, match=r"association #3 \('A' -> 'B'\) has an empty type"):
        b.build()
