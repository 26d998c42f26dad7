"""CASE import and export: the real OpenSALT packages and their manifest as the oracle, the
lossless round trip, the mapping, bad input, and frameworks from elsewhere."""
import collections
import json
import pathlib

import pytest

import masterymap as mm
from helpers import load_ccss


def canonical(obj):
    """Canonical JSON: keys sorted, array order kept (the issue's equality)."""
    return json.dumps(obj, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


@pytest.fixture(scope="module")
def case_dir(shared_data) -> pathlib.Path:
    path = shared_data / "interop" / "case" / "packages"
    if not (path / "MANIFEST.json").exists():
        pytest.skip(f"CASE packages not found under {path}")
    return path


@pytest.fixture(scope="module")
def manifest(case_dir):
    return json.loads((case_dir / "MANIFEST.json").read_text(encoding="utf-8"))["packages"]


def test_every_package_imports_with_the_manifest_counts(case_dir, manifest):
    assert len(manifest) >= 9
    for entry in manifest:
        fw = mm.io.read_case(case_dir / entry["file"])
        assert len(fw) == entry["items"], entry["file"]
        assert len(fw.associations) == entry["associations"], entry["file"]
        by_type = collections.Counter(a.type for a in fw.associations)
        assert dict(by_type) == entry["association_types"], entry["file"]
        grouped = sum(1 for a in fw.associations if "case:CFAssociationGrouping" in a.metadata)
        assert grouped == entry["associations_in_groupings"], entry["file"]
        definitions = mm.io.case_definitions(fw)
        for key, count in entry["definitions"].items():
            assert len(definitions.get(key) or []) == count, (entry["file"], key)
        rubrics = mm.io.case_rubrics(fw)
        criteria = [c for r in rubrics for c in r.get("CFRubricCriteria", [])]
        levels = [lv for c in criteria for lv in c.get("CFRubricCriterionLevels", [])]
        assert (len(rubrics), len(criteria), len(levels)) == (
            entry["rubrics"], entry["rubric_criteria"], entry["rubric_levels"]), entry["file"]
        assert fw.name == entry["document"]


def test_lossless_round_trip_for_every_package(case_dir, manifest):
    for entry in manifest:
        path = case_dir / entry["file"]
        original = json.loads(path.read_text(encoding="utf-8"))
        fw = mm.io.read_case(path)
        text = mm.io.write_case(fw)
        assert canonical(json.loads(text)) == canonical(original), entry["file"]
        again = mm.io.read_case(text)
        assert again == fw, entry["file"]
        assert again.associations == fw.associations and again.metadata == fw.metadata


def test_the_opensalt_sample_mapping(case_dir):
    """16 items on CCSS 6.RP / 7.RP: clusters and standards, precedes, exactMatchOf to CCSS's own
    URIs, a precedes to an item outside the package; 1.0 leniencies (zone-less times,
    sequenceNumber as a string, educationalLevel as a string, null descriptions)."""
    path = case_dir / "opensalt" / "opensalt-framework-20c5134f-423d-4097-a971-3dd5152bf507.json"
    raw = json.loads(path.read_text(encoding="utf-8"))
    notes = []
    fw = mm.io.read_case(path, notes=notes)
    items = {i["identifier"]: i for i in raw["CFItems"]}
    by_identifier = {fw[c].metadata["case:identifier"]: fw[c] for c in fw}
    assert by_identifier.keys() == items.keys()
    for ident, item in items.items():
        c = by_identifier[ident]
        assert c.id == (item.get("humanCodingScheme") or ident)
        assert c.description == item["fullStatement"]
        assert json.loads(c.metadata["case:json"]) == item  # kept as read
        level = item.get("educationLevel") or item.get("educationalLevel")
        if isinstance(level, str):
            assert c.level == int(level)
    # precedes -> recommended prerequisites (destination requires origin), between items only.
    inside = [a for a in raw["CFAssociations"] if a["associationType"] == "precedes"
              and a["originNodeURI"]["identifier"] in items
              and a["destinationNodeURI"]["identifier"] in items]
    assert fw.edge_count == len(inside) == 2
    for a in inside:
        dep = by_identifier[a["destinationNodeURI"]["identifier"]].id
        pre = by_identifier[a["originNodeURI"]["identifier"]].id
        assert pre in fw.prerequisites(dep)
    assert {e["strength"] for e in fw.edges()} == {"recommended"}
    assert any("precedes" in n and "outside the package" in n for n in notes)
    required = mm.io.read_case(path, precedes_strength="required")
    assert {e["strength"] for e in required.edges()} == {"required"}
    assert [(e["prerequisite"], e["dependent"]) for e in required.edges()] == [
        (e["prerequisite"], e["dependent"]) for e in fw.edges()]
    # exactMatchOf to CCSS's own URIs: kept with the outside URI as its end, never a prerequisite.
    matches = [a for a in fw.associations if a.type == "exactMatchOf"]
    assert len(matches) == 16 and all(a.destination.startswith("http") for a in matches)


def test_sequence_number_orders_children(case_dir):
    path = case_dir / "opensalt" / "SequenceNumberFramework.json"
    raw = json.loads(path.read_text(encoding="utf-8"))
    fw = mm.io.read_case(path)
    links = [a for a in raw["CFAssociations"] if a["associationType"] == "isChildOf"]
    # Every link is kept as an association; item-to-item links are the hierarchy, in
    # sequenceNumber order per parent.
    assert [a.type for a in fw.associations] == ["isChildOf"] * len(links)
    parents = collections.defaultdict(list)
    idents = {fw[c].metadata["case:identifier"]: c for c in fw}
    for a in links:
        parent = a["destinationNodeURI"]["identifier"]
        if parent in idents:
            parents[idents[parent]].append((int(a.get("sequenceNumber", 1 << 60)),
                                            idents[a["originNodeURI"]["identifier"]]))
    for parent, kids in parents.items():
        assert fw.children(parent) == [k for _, k in sorted(kids, key=lambda x: x[0])]


def test_id_fallback_is_reported_never_a_failure():
    doc = {"identifier": "d0000000-0000-4000-8000-000000000000", "uri": "urn:d", "creator": "c",
           "title": "Dup", "lastChangeDateTime": "2024-01-01T00:00:00Z"}

    def item(n, code):
        x = {"identifier": f"00000000-0000-4000-8000-00000000000{n}", "uri": f"urn:i{n}",
             "fullStatement": f"item {n}", "lastChangeDateTime": "2024-01-01T00:00:00Z"}
        if code is not None:
            x["humanCodingScheme"] = code
        return x

    pkg = {"CFDocument": doc, "CFItems": [item(1, "A.1"), item(2, "A.1"), item(3, ""),
                                          item(4, None)]}
    notes = []
    fw = mm.io.read_case(json.dumps(pkg), notes=notes)
    assert list(fw) == ["A.1", "00000000-0000-4000-8000-000000000002",
                        "00000000-0000-4000-8000-000000000003",
                        "00000000-0000-4000-8000-000000000004"]
    assert len(notes) == 3 and "taken by an earlier item" in notes[0]
    by_id = mm.io.read_case(json.dumps(pkg), id="identifier")
    assert list(by_id) == [i["identifier"] for i in pkg["CFItems"]]
    by_uri = mm.io.read_case(json.dumps(pkg).encode(), id="uri")
    assert list(by_uri) == ["urn:i1", "urn:i2", "urn:i3", "urn:i4"]
    with pytest.raises(ValueError, match="humanCodingScheme"):
        mm.io.read_case(json.dumps(pkg), id="code")


def _package(items, associations):
    doc = {"identifier": "d0000000-0000-4000-8000-000000000000", "uri": "urn:doc",
           "creator": "c", "title": "T", "lastChangeDateTime": "2024-01-01T00:00:00Z"}
    return json.dumps({"CFDocument": doc, "CFItems": items, "CFAssociations": associations})


def _item(code):
    return {"identifier": f"id-{code}", "uri": f"urn:{code}", "fullStatement": code,
            "humanCodingScheme": code, "lastChangeDateTime": "2024-01-01T00:00:00Z"}


def _link(kind, origin, destination, n):
    return {"identifier": f"a{n}", "uri": f"urn:a{n}", "associationType": kind,
            "originNodeURI": {"title": origin, "identifier": f"id-{origin}", "uri": f"urn:{origin}"},
            "destinationNodeURI": {"title": destination, "identifier": f"id-{destination}",
                                   "uri": f"urn:{destination}"},
            "lastChangeDateTime": "2024-01-01T00:00:00Z"}


def test_bad_packages_name_the_place_and_report_everything_at_once():
    with pytest.raises(mm.ParseError, match=r"line 1, column"):
        mm.io.read_case('{"CFDocument": {"title": "x"}, "CFItems": [')
    bad = json.loads(_package([_item("A"), _item("B")], []))
    bad["CFItems"][1]["fullStatement"] = 7
    with pytest.raises(mm.ParseError, match=r"/CFItems/1/fullStatement: expected a string"):
        mm.io.read_case(json.dumps(bad))
    with pytest.raises(mm.ParseError, match=r"/CFDocument: missing"):
        mm.io.read_case('{"CFItems": []}')
    # Duplicate identifiers, a dangling isChildOf and a precedes cycle: all in one error.
    items = [_item("A"), _item("B"), _item("C"), dict(_item("A"), humanCodingScheme="A2")]
    links = [_link("precedes", "A", "B", 1), _link("precedes", "B", "A", 2),
             _link("isChildOf", "C", "Z", 3)]
    with pytest.raises(mm.ValidationError) as err:
        mm.io.read_case(_package(items, links))
    text = str(err.value)
    assert "duplicate CFItem identifier 'id-A'" in text
    assert "/CFAssociations/2 (isChildOf): destination 'id-Z'" in text
    assert "prerequisite cycle" in text
    assert len(err.value.problems) == 3
    # Only the cycle: dropped and reported under drop_cycle_edges.
    fw = mm.io.read_case(_package(items[:3], links[:2]), drop_cycle_edges=True)
    assert fw.edge_count == 1 and len(fw.dropped_edges) == 1
    assert len(fw.associations) == 2  # both precedes associations are kept as read
    with pytest.raises(mm.CycleError):
        mm.io.read_case(_package(items[:3], links[:2]))
    with pytest.raises(mm.MissingFileError):
        mm.io.read_case("no/such/package.json")


def test_two_parents_and_ext_types_are_kept():
    items = [_item("P"), _item("Q"), _item("K")]
    links = [_link("isChildOf", "K", "P", 1), _link("isChildOf", "K", "Q", 2),
             _link("ext:alignsWith", "K", "P", 3), _link("isRelatedTo", "K", "X", 4)]
    links[3]["destinationNodeURI"] = {"title": "x", "identifier": "ext-1",
                                      "uri": "https://other.example/x"}
    fw = mm.io.read_case(_package(items, links))
    assert fw.parents("K") == ["P", "Q"]
    assert [(a.type, a.origin, a.destination) for a in fw.associations[2:]] == [
        ("ext:alignsWith", "K", "P"), ("isRelatedTo", "K", "https://other.example/x")]
    assert fw.edge_count == 0


def test_a_framework_from_elsewhere_exports_and_comes_back(example_data):
    fw = mm.Framework.read_json(example_data / "fractions" / "framework.json")
    text = mm.io.write_case(fw, base_uri="https://example.org/case/")
    assert text == mm.io.write_case(fw, base_uri="https://example.org/case/")  # stable
    pkg = json.loads(text)
    assert len(pkg["CFItems"]) == len(fw)
    assert all(i["uri"].startswith("https://example.org/case/") for i in pkg["CFItems"])
    back = mm.io.read_case(text)
    assert list(back) == list(fw)
    for cid in fw:
        a, b = fw[cid], back[cid]
        assert (a.title, a.description, a.domain, a.level, a.kind, a.tags) == (
            b.title, b.description, b.domain, b.level, b.kind, b.tags)
        assert {k: v for k, v in b.metadata.items() if not k.startswith("case:")} == a.metadata
    assert back.hierarchy() == fw.hierarchy()
    assert back.edges() == fw.edges()  # strengths and minimum levels included
    # And once more: the CASE-born framework writes the same package again.
    assert canonical(json.loads(mm.io.write_case(back))) == canonical(pkg)


def test_ccss_map_round_trips_through_case(shared_data):
    fw = load_ccss(shared_data)
    text = mm.io.write_case(fw, base_uri="https://example.org/ccss/")
    back = mm.io.read_case(text)
    assert list(back) == list(fw)
    assert [back[c] for c in back] != [fw[c] for c in fw]  # CASE keys were added...
    for cid in fw:  # ...to fields that are otherwise the same
        a, b = fw[cid], back[cid]
        assert (a.title, a.description, a.domain, a.level, a.kind, a.tags) == (
            b.title, b.description, b.domain, b.level, b.kind, b.tags)
        assert {k: v for k, v in b.metadata.items() if not k.startswith("case:")} == a.metadata
    assert back.edges() == fw.edges()
    assert back.hierarchy() == fw.hierarchy()
    # The CASE-born copy writes the same package again.
    assert canonical(json.loads(mm.io.write_case(back))) == canonical(json.loads(text))
