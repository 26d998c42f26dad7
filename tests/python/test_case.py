"""CASE import and export: the real OpenSALT packages and their manifest as the oracle, the
lossless round trip, the mapping, bad input, and frameworks from elsewhere."""
import collections
import gzip
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


FIXTURES = pathlib.Path(__file__).resolve().parent.parent / "data" / "case"
FIXTURE_MANIFEST = json.loads((FIXTURES / "MANIFEST.json").read_text(encoding="utf-8"))["packages"]
# The project's own fixtures that import (the bad/ files and the replacedBy cycle are for errors
# and revisions).
GOOD_FIXTURES = [e for e in FIXTURE_MANIFEST
                 if not e["file"].startswith("bad/") and e["file"] != "replaced_by_cycle.json"]


def check_counts(path, entry):
    fw = mm.io.read_case(path)
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


@pytest.mark.parametrize("entry", GOOD_FIXTURES, ids=lambda e: e["file"])
def test_fixtures_import_with_their_counts_and_round_trip(entry):
    path = FIXTURES / entry["file"]
    check_counts(path, entry)
    fw = mm.io.read_case(path)
    original = json.loads(path.read_text(encoding="utf-8"))
    assert canonical(json.loads(mm.io.write_case(fw))) == canonical(original)
    assert mm.io.read_case(mm.io.write_case(fw)) == fw


def test_the_fixture_with_everything(tmp_path):
    path = FIXTURES / "groupings_rubrics.json"
    raw = json.loads(path.read_text(encoding="utf-8"))
    notes = []
    fw = mm.io.read_case(path, notes=notes)
    items = {i["identifier"]: i for i in raw["CFItems"]}
    ids = {fw[c].metadata["case:identifier"]: c for c in fw}
    # Two parents kept, and each parent's children in sequenceNumber order (a pure-Python oracle).
    kids = collections.defaultdict(list)
    for a in raw["CFAssociations"]:
        if a["associationType"] == "isChildOf" and a["destinationNodeURI"]["identifier"] in items:
            kids[ids[a["destinationNodeURI"]["identifier"]]].append(
                (a.get("sequenceNumber", 1 << 60), ids[a["originNodeURI"]["identifier"]]))
    for parent, children in kids.items():
        assert fw.children(parent) == [c for _, c in sorted(children, key=lambda x: x[0])]
    assert any(len(fw.parents(c)) == 2 for c in fw)
    # Only precedes between items become prerequisites; everything else is kept, never gating.
    inside = [a for a in raw["CFAssociations"] if a["associationType"] == "precedes"
              and a["originNodeURI"]["identifier"] in items
              and a["destinationNodeURI"]["identifier"] in items]
    assert sorted((e["prerequisite"], e["dependent"]) for e in fw.edges()) == sorted(
        (ids[a["originNodeURI"]["identifier"]], ids[a["destinationNodeURI"]["identifier"]])
        for a in inside)
    ext = [a for a in fw.associations if a.type.startswith("ext:")]
    assert len(ext) == 2
    outside = [a for a in fw.associations if a.destination not in fw]
    assert outside and all(a.destination.startswith("http") for a in outside)
    # Repeated and missing codes fall back to the identifier, with a note each.
    fallbacks = [c for c in fw if c in items]
    assert len(fallbacks) == 3 and len([n for n in notes if "humanCodingScheme" in n]) == 3
    # Grade codes: KG is 0, 03..07 are 3..7; the lowest wins.
    for ident, item in items.items():
        codes = item.get("educationLevel")
        if codes:
            expected = min(0 if c == "KG" else int(c) for c in codes)
            assert fw[ids[ident]].level == expected
    # The rubric: a scale per judged competency, levels in increasing score.
    scales = mm.io.case_rubric_scales(fw)
    criteria = raw["CFRubrics"][0]["CFRubricCriteria"]
    assert len(scales) == len(criteria) == 2
    for criterion in criteria:
        cid = ids[criterion["CFItemURI"]["identifier"]]
        levels = sorted(criterion["CFRubricCriterionLevels"], key=lambda lv: lv["score"])
        assert [r[0] for r in scales[cid].ratings] == [lv["quality"] for lv in levels]
        assert [r[1] for r in scales[cid].ratings] == [lv["score"] for lv in levels]
    # write_case to a file
    out = tmp_path / "again.json"
    text = mm.io.write_case(fw, out)
    assert out.read_text(encoding="utf-8") == text


def test_the_bad_fixtures_fail_with_a_reason():
    with pytest.raises(mm.ParseError, match=r"line \d+, column \d+"):
        mm.io.read_case(FIXTURES / "bad" / "truncated.json")
    with pytest.raises(mm.ParseError, match=r"^/CFItems/3/fullStatement: expected a string"):
        mm.io.read_case(FIXTURES / "bad" / "wrong_type.json")
    with pytest.raises(mm.ValidationError, match=r"duplicate CFItem identifier '6e79b9f1"):
        mm.io.read_case(FIXTURES / "bad" / "duplicate_identifiers.json")
    with pytest.raises(mm.CycleError, match=r"SM.2 -> SM.3 -> SM.4 -> SM.2"):
        mm.io.read_case(FIXTURES / "bad" / "precedes_cycle.json")
    with pytest.raises(mm.CycleError, match=r"hierarchy cycle"):
        mm.io.read_case(FIXTURES / "bad" / "is_child_of_cycle.json")
    # The dangling isChildOf fails; the dangling precedes alone would be kept as an association
    # (real packages point precedes at other frameworks on the same server) and is noted.
    with pytest.raises(mm.ValidationError, match=r"/CFAssociations/5 \(isChildOf\): origin"):
        mm.io.read_case(FIXTURES / "bad" / "dangling_association.json")


def test_every_package_imports_with_the_manifest_counts(case_dir, manifest):
    assert len(manifest) >= 9
    for entry in manifest:
        check_counts(case_dir / entry["file"], entry)


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
    # Malformed JSON inside a value nobody maps is found too (it would be kept and written).
    good = _package([_item("A")], [])
    for broken in (good.replace('"fullStatement": "A"', '"fullStatement": "A", "notes": tru'),
                   good.replace('"fullStatement": "A"', '"fullStatement": "A", "x": [1, }'),
                   good + " {}"):
        with pytest.raises(mm.ParseError, match=r"line \d+, column \d+"):
            mm.io.read_case(broken)
    # Nesting is bounded (the check of kept values recurses): refused, never a crash.
    deep = json.loads(good)
    deep["CFDocument"]["extensions"] = {"x": "PLACEHOLDER"}
    text = json.dumps(deep).replace('"PLACEHOLDER"', "[" * 50_000 + "]" * 50_000)
    with pytest.raises(mm.ParseError, match=r"too deep"):
        mm.io.read_case(text)
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


def _strict_cases(shared_data):
    paths = [FIXTURES / e["file"] for e in GOOD_FIXTURES]
    case_dir = shared_data / "interop" / "case" / "packages"
    if (case_dir / "MANIFEST.json").exists():
        manifest = json.loads((case_dir / "MANIFEST.json").read_text(encoding="utf-8"))
        paths += [case_dir / e["file"] for e in manifest["packages"]]
    return paths


def test_strict_export_validates_against_the_official_schema(shared_data):
    pytest.importorskip("jsonschema", reason="python3-jsonschema is not installed")
    from case_schema import find_schema_dir, validate_case_1_1
    try:
        find_schema_dir()
    except Exception as e:  # noqa: BLE001 - the schemas come from ../shared/data
        pytest.skip(f"CASE schemas not found: {e}")
    seen_fixes = set()
    for path in _strict_cases(shared_data):
        fw = mm.io.read_case(path)
        made = []
        text = mm.io.write_case(fw, strict=True, normalisations=made)
        assert validate_case_1_1(json.loads(text)) == [], path.name
        seen_fixes.update(line.split(": ", 1)[1] for line in made)
        # The strict package still reads as the same framework (its kept JSON now 1.1).
        again = mm.io.read_case(text)
        assert list(again) == list(fw) and again.edges() == fw.edges()
        assert again.hierarchy() == fw.hierarchy()
    if any(p.name == "Ordering.json" for p in _strict_cases(shared_data)):
        # The real 1.0 files' deviations were each normalised and reported.
        assert "not a CASE 1.1 property of CFDocument; moved into extensions" in seen_fixes
        assert "no time zone; read as UTC (Z appended)" in seen_fixes
        assert "a number written as a string; written as the integer" in seen_fixes
        assert "null in a required text; written as an empty string" in seen_fixes
        assert "educationalLevel (1.0) renamed educationLevel" in seen_fixes
    # Frameworks from elsewhere: the example curriculum and the CCSS map.
    sources = [mm.Framework.read_json(pathlib.Path(__file__).resolve().parents[2] / "examples" /
                                      "data" / "fractions" / "framework.json")]
    if (shared_data / "ccss-math-coherence-map").exists():
        sources.append(load_ccss(shared_data))
    for fw in sources:
        made = []
        text = mm.io.write_case(fw, strict=True, base_uri="https://example.org/case/",
                                normalisations=made)
        assert made == []  # generated 1.1 needs no change
        assert validate_case_1_1(json.loads(text)) == []
        assert text == mm.io.write_case(fw, strict=True, base_uri="https://example.org/case/")


def test_the_bundled_curriculum_ships_as_case_and_agrees_with_its_native_json(example_data):
    """The demo loads examples/data/fractions/framework.case.json; it must say what
    framework.json says (the package was written by write_case(strict=True))."""
    native = mm.Framework.read_json(example_data / "fractions" / "framework.json")
    case = mm.io.read_case(example_data / "fractions" / "framework.case.json")
    assert list(case) == list(native) and case.name == native.name
    for cid in native:
        a, b = native[cid], case[cid]
        assert (a.title, a.description, a.domain, a.level, a.kind, a.tags) == (
            b.title, b.description, b.domain, b.level, b.kind, b.tags)
    assert case.edges() == native.edges() and case.hierarchy() == native.hierarchy()
    pytest.importorskip("jsonschema", reason="python3-jsonschema is not installed")
    from case_schema import find_schema_dir, validate_case_1_1
    try:
        find_schema_dir()
    except Exception as e:  # noqa: BLE001 - the schemas come from ../shared/data
        pytest.skip(f"CASE schemas not found: {e}")
    package = json.loads((example_data / "fractions" / "framework.case.json").read_text("utf-8"))
    assert validate_case_1_1(package) == []


def test_the_try_out_findings_stay_fixed(tmp_path):
    raw = json.loads((FIXTURES / "groupings_rubrics.json").read_text(encoding="utf-8"))
    # A fallback id never collides with another item's code (either order), nor a blank code.
    for first, second in ((0, 1), (1, 0)):
        d = json.loads(json.dumps(raw))
        d["CFItems"][first]["humanCodingScheme"] = "   "
        d["CFItems"][second]["humanCodingScheme"] = d["CFItems"][first]["identifier"]
        notes = []
        fw = mm.io.read_case(json.dumps(d), notes=notes)
        assert len(set(fw)) == len(fw) == len(raw["CFItems"])
        assert d["CFItems"][first]["identifier"] in fw
        assert any("no humanCodingScheme" in n for n in notes)
    # A byte order mark (text, bytes, a file), gzip bytes, a JSON value that is not a package.
    text = json.dumps(raw)
    expected = mm.io.read_case(text)
    bom_file = tmp_path / "bom.json"
    bom_file.write_bytes(b"\xef\xbb\xbf" + text.encode())
    gz_file = tmp_path / "package.json.gz"
    gz_file.write_bytes(gzip.compress(text.encode()))
    for source in ("\ufeff" + text, b"\xef\xbb\xbf" + text.encode(), bom_file,
                   gzip.compress(text.encode()), gz_file):
        assert mm.io.read_case(source) == expected
    # A fallback id is named in its note; a mapped key given twice is noted (the last value is
    # used); an integer beyond 64 bits is valid JSON: kept as written, ordering last.
    notes = []
    d = json.loads(text)
    d["CFItems"][1]["humanCodingScheme"] = ""
    twice = json.dumps(d).replace('"fullStatement": ', '"fullStatement": "first", "fullStatement": ', 1)
    fw = mm.io.read_case(twice, notes=notes)
    assert f"/CFItems/1: no humanCodingScheme; the id is '{d['CFItems'][1]['identifier']}'" in notes
    assert "/CFItems/0/fullStatement: the key appears more than once; the last value is used" in notes
    assert fw[list(fw)[0]].description == d["CFItems"][0]["fullStatement"]
    big = 123456789012345678901234567890
    d = json.loads(text)
    d["CFAssociations"][0]["sequenceNumber"] = big
    d["CFDocument"]["big"] = -big
    fw = mm.io.read_case(json.dumps(d))
    assert json.loads(mm.io.write_case(fw)) == d  # exact: the integers are not rounded
    assert mm.io.read_case(mm.io.write_case(fw)) == fw
    with pytest.raises(mm.ParseError, match=r"line 1, column \d+: -?1e400 does not fit a double"):
        mm.io.read_case(json.dumps(d).replace(str(big), "1e400", 1))
    # A path that is a directory or an empty file: named errors, no crash.
    with pytest.raises(mm.FileError, match="directory"):
        mm.io.read_case(tmp_path)
    (tmp_path / "empty.json").write_bytes(b"")
    with pytest.raises(mm.ParseError):
        mm.io.read_case(tmp_path / "empty.json")
    for source in ("[]", " [1, 2]", b"[]"):
        with pytest.raises(mm.ParseError, match="expected a CFPackage object"):
            mm.io.read_case(source)
    with pytest.raises(mm.ParseError, match=r"line \d+, column \d+: invalid UTF-8 \(byte 0xE9\)"):
        mm.io.read_case(text.encode().replace(b'"fullStatement": "', b'"fullStatement": "\xe9', 1))
    # strict: what no rule can fix is set aside and reported, and the package still validates.
    d = json.loads(text)
    d["CFAssociations"][0]["sequenceNumber"] = "abc"
    d["CFAssociations"][1]["sequenceNumber"] = 1.5
    d["CFAssociations"][2]["associationType"] = "bogus-type"
    d["CFItems"][0]["lastChangeDateTime"] = "yesterday"
    made = []
    out = json.loads(mm.io.write_case(mm.io.read_case(json.dumps(d)), strict=True,
                                      normalisations=made))
    assert len(made) == 4, made
    assert out["CFAssociations"][2]["associationType"] == "ext:bogus_type"
    assert out["CFItems"][0]["extensions"]["lastChangeDateTime"] == "yesterday"
    assert out["CFAssociations"][0]["extensions"]["sequenceNumber"] == "abc"
    pytest.importorskip("jsonschema", reason="python3-jsonschema is not installed")
    from case_schema import find_schema_dir, validate_case_1_1
    try:
        find_schema_dir()
    except Exception as e:  # noqa: BLE001 - the schemas come from ../shared/data
        pytest.skip(f"CASE schemas not found: {e}")
    assert validate_case_1_1(out) == []


def test_the_regression_try_out_findings_stay_fixed():
    # A syntax error next to non-ASCII text is a ParseError (its message quotes cut UTF-8).
    with pytest.raises(mm.ParseError, match="line 1"):
        mm.io.read_case('{"CFDocument": é}')
    # Corrupt or truncated gzip bytes are ParseErrors naming what was read.
    for data in (gzip.compress(b"{}") + b"xy", b"\x1f\x8b"):
        with pytest.raises(mm.ParseError, match="CASE package: corrupt gzip data"):
            mm.io.read_case(data)
    # Kept JSON is metadata anyone may set: it can neither break the output nor add members.
    for bad in ('{"x":', '{"identifier":"x"}],"evil":"pwned","more":[{"a":1}', "[1]",
                '{"a":1} {"b":2}'):
        b = mm.FrameworkBuilder("x")
        b.add_competency("A", metadata={"case:json": bad})
        with pytest.raises(mm.Error, match="competency 'A': its case:json metadata is not one"):
            mm.io.write_case(b.build())


def _strict_checker():
    pytest.importorskip("jsonschema", reason="python3-jsonschema is not installed")
    from case_schema import find_schema_dir, validate_case_1_1
    try:
        find_schema_dir()
    except Exception as e:  # noqa: BLE001 - the schemas come from ../shared/data
        pytest.skip(f"CASE schemas not found: {e}")
    return validate_case_1_1


def test_the_third_try_out_findings_stay_fixed():
    items = [_item("A"), _item("B"), _item("C")]
    # Days that do not exist and seconds past 59 are not RFC 3339 (a leap second only at
    # 23:59:60 UTC): strict export sets them aside instead of writing what the schema refuses.
    items[0]["lastChangeDateTime"] = "2019-02-30T00:00:00Z"
    items[1]["lastChangeDateTime"] = "2019-06-01T12:00:60Z"
    items[2]["lastChangeDateTime"] = "2016-12-31T23:59:60Z"  # a real leap second: kept
    items[2]["statusStartDate"] = "2019-04-31"
    items[1]["extensions"] = ["not", "an", "object"]
    links = [_link("isChildOf", "B", "A", 1), _link("équivaut", "B", "A", 2),
             _link("ûquivaut", "C", "A", 3)]
    made = []
    out = json.loads(mm.io.write_case(mm.io.read_case(_package(items, links)), strict=True,
                                      normalisations=made))
    a, b, c = out["CFItems"]
    assert a["extensions"]["lastChangeDateTime"] == "2019-02-30T00:00:00Z"
    assert b["extensions"]["lastChangeDateTime"] == "2019-06-01T12:00:60Z"
    assert c["lastChangeDateTime"] == "2016-12-31T23:59:60Z"
    assert c["extensions"]["statusStartDate"] == "2019-04-31" and "statusStartDate" not in c
    # Extensions that are not an object are kept inside one.
    assert b["extensions"]["value"] == ["not", "an", "object"]
    assert "/CFItems/1/extensions: not an object; kept as extensions/value" in made
    # Two non-ASCII association types stay apart, the originals kept.
    types = [x["associationType"] for x in out["CFAssociations"][1:]]
    assert types == ["ext:__quivaut", "ext:__quivaut_2"]
    assert [x["extensions"]["associationType"] for x in out["CFAssociations"][1:]] == [
        "équivaut", "ûquivaut"]
    assert _strict_checker()(out) == []


def test_strict_export_reports_numbers_it_rewrites_and_repeated_keys():
    item = _item("A")
    text = _package([item], []).replace(
        '"humanCodingScheme": "A",',
        '"humanCodingScheme": "A", "x": 1E+2, "y": 123456789012345678901234567890, "z": 1.5, '
        '"w": 1, "w": 2,')
    made = []
    out = json.loads(mm.io.write_case(mm.io.read_case(text), strict=True, normalisations=made))
    assert "/CFItems/0/x: the number 1E+2 is written as 100.0" in made
    assert ("/CFItems/0/y: the number 123456789012345678901234567890 is written as "
            "1.2345678901234568e+29") in made
    assert "/CFItems/0/w: the key is given twice; the last value is kept" in made
    assert not any("/z: the number" in line for line in made)  # 1.5 is written as it was
    assert out["CFItems"][0]["extensions"] == {"x": 100.0, "y": 1.2345678901234568e+29,
                                               "z": 1.5, "w": 2}


def test_framework_metadata_travels_in_the_document():
    b = mm.FrameworkBuilder("Maps")
    b.add_competency("A")
    b.set_metadata("source", "district map 2026")
    b.set_metadata("owner", "Ms Ortiz ✓")
    fw = b.build()
    text = mm.io.write_case(fw)
    doc = json.loads(text)["CFDocument"]
    assert doc["extensions"]["masterymap"]["metadata"] == {"owner": "Ms Ortiz ✓",
                                                           "source": "district map 2026"}
    back = mm.io.read_case(text)
    assert {k: v for k, v in back.metadata.items() if not k.startswith("case:")} == fw.metadata
    assert _strict_checker()(json.loads(mm.io.write_case(fw, strict=True))) == []


def test_parse_errors_at_bytes_nlohmann_would_skip_have_a_position():
    text = _package([_item("A")], [])
    with pytest.raises(mm.ParseError, match="line 1, column 2: a second byte order mark"):
        mm.io.read_case("\ufeff\ufeff" + text)
    with pytest.raises(mm.ParseError, match=r"line 1, column \d+: a NUL byte"):
        mm.io.read_case(text + "\x00")
    for empty in ("", b"", " \n"):
        with pytest.raises(mm.ParseError, match="the text is empty"):
            mm.io.read_case(empty)
