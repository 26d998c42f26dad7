"""CSV framework reader, on the CCSS map and the real graphs with cycles (../shared/data)."""
import networkx as nx
import pytest

import masterymap as mm
from helpers import load_ccss, require


def test_ccss_map(shared_data):
    fw = load_ccss(shared_data)
    assert len(fw) == 480 and fw.edge_count == 757
    assert len(fw.topological_order()) == 480
    assert len(fw.longest_chain()) - 1 == 30
    assert len(fw.redundant_prerequisites()) == 154
    assert fw["4.NF.B.3"].level == 4 and fw["K.CC.A.1"].metadata["grade"] == "K"
    g = fw.to_networkx()
    assert nx.is_directed_acyclic_graph(g)
    assert nx.dag_longest_path_length(g) == 30
    assert len(g.edges) - len(nx.transitive_reduction(g).edges) == 154
    assert set(fw.prerequisites("4.NF.B.3", transitive=True)) == nx.ancestors(g, "4.NF.B.3")


def test_junyi_cycles_reported_or_dropped(shared_data):
    path = str(require(shared_data / "junyi-knowledge-map" / "prerequisite_edges.csv"))
    with pytest.raises(mm.ValidationError) as info:
        mm.io.read_framework_csv(path, dependent_column="exercise")
    problems = info.value.problems
    cycles = [p for p in problems if p["kind"] == "prerequisite_cycle"]
    assert len(cycles) == 1 and cycles[0]["ids"][0] == cycles[0]["ids"][-1]
    assert {"simplifying_radicals", "adding_and_subtracting_radicals"} <= set(cycles[0]["ids"])
    assert sorted(p["ids"][0] for p in problems if p["kind"] == "self_loop") == [
        "number_sense_length_l1", "proportions_1"]
    assert sum(p["kind"] == "duplicate_edge" for p in problems) == 7
    fw = mm.io.read_framework_csv(path, dependent_column="exercise", drop_cycle_edges=True,
                                  drop_duplicate_edges=True)
    assert fw.edge_count + len(fw.dropped_edges) == 988
    assert nx.is_directed_acyclic_graph(fw.to_networkx())


def test_princeton_cycles(shared_data):
    path = str(require(shared_data / "princeton-course-prereqs" / "prerequisite_edges.csv"))
    with pytest.raises(mm.CycleError) as info:
        mm.io.read_framework_csv(path, dependent_column="course")
    assert len(info.value.cycles) == 3
    assert any(len(c) == 3 for c in info.value.cycles)  # the mutual pair X -> Y -> X
    fw = mm.io.read_framework_csv(
        path, dependent_column="course", strength_column="kind", drop_cycle_edges=True,
        strength_values={"prereq": "required", "coreq_ok": "familiar", "at_least": "required",
                         "wildcard_or_unparsed": "recommended"})
    assert fw.edge_count + len(fw.dropped_edges) == 2503
    assert {e["strength"] for e in fw.edges()} == {"required", "familiar", "recommended"}


def test_malformed_csv(tmp_path):
    p = tmp_path / "bad.csv"
    p.write_text("prerequisite,dependent\nA,B\nB\n")
    with pytest.raises(mm.ParseError) as info:
        mm.io.read_framework_csv(str(p))
    assert (info.value.row, info.value.line) == (1, 3)  # 0-based data row, 1-based line
    p.write_text("from,to\nA,B\n")
    with pytest.raises(mm.ParseError, match="missing column 'prerequisite'"):
        mm.io.read_framework_csv(str(p))
    with pytest.raises(mm.Error, match="cannot open"):
        mm.io.read_framework_csv(str(tmp_path / "missing.csv"))
