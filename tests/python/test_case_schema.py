"""The CASE 1.1 schema checker (case_schema.py), the CASE fixtures (tests/data/case), the CASE
benchmark generator and the pure-Python baseline (benchmarks/).

The checker is itself checked against an oracle: the error counts MANIFEST.json records for the
real packages in ../shared/data/interop/case (measured there with python jsonschema and a
date-time check). The fixtures are checked against their own MANIFEST.json, recounted here by a
plain dict walk, and their graph facts (DAGs, cycles, dangling references) with networkx.
"""
import collections
import hashlib
import importlib.util
import json
import pathlib
import sys

import networkx as nx
import pytest

import case_schema
from case_schema import is_rfc3339_date, is_rfc3339_date_time, validate_case_1_1

ROOT = pathlib.Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "data" / "case"
FIXTURE_MANIFEST = json.loads((FIXTURES / "MANIFEST.json").read_text(encoding="utf-8"))
ENTRIES = {e["file"]: e for e in FIXTURE_MANIFEST["packages"]}


def _load_benchmark_module(name):
    spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def jsonschema():
    return pytest.importorskip(
        "jsonschema", reason="python3-jsonschema is not installed (apt-get install "
                             "python3-jsonschema): the CASE schema checks need it")


@pytest.fixture(scope="module")
def case_data(shared_data, jsonschema):
    """../shared/data/interop/case (schemas + real packages); skipped when absent."""
    path = shared_data / "interop" / "case"
    if not (path / "schemas" / case_schema.PACKAGE_SCHEMA).is_file():
        pytest.skip(f"{path / 'schemas'} is absent")
    return path


@pytest.fixture(scope="module")
def schema_dir(case_data):
    return case_data / "schemas"


def load(name):
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


# --- the checker, against the oracle of the shared MANIFEST.json --------------------------------

def real_packages(case_data):
    manifest = json.loads((case_data / "packages" / "MANIFEST.json").read_text(encoding="utf-8"))
    for entry in manifest["packages"]:
        text = (case_data / "packages" / entry["file"]).read_text(encoding="utf-8")
        yield entry, json.loads(text)


def test_checker_reproduces_the_manifest_error_counts(case_data, schema_dir):
    checked = 0
    for entry, package in real_packages(case_data):
        errors = validate_case_1_1(package, schema_dir)
        assert len(errors) == entry["case_1_1_schema_errors"], entry["file"]
        without = validate_case_1_1(package, schema_dir, formats=False)
        assert len(without) == entry["case_1_1_schema_errors_without_format"], entry["file"]
        messages = {e.split(": ", 1)[1] for e in errors}
        assert set(entry["case_1_1_first_errors"]) <= messages, entry["file"]
        checked += 1
    assert checked == 9


def test_checker_finds_the_schema_through_the_shared_data(case_data, monkeypatch):
    monkeypatch.setenv("MASTERYMAP_SHARED_DATA", str(case_data.parent.parent))
    assert case_schema.find_schema_dir() == case_data / "schemas"
    assert validate_case_1_1(load("groupings_rubrics.json")) == []


def test_checker_messages_name_the_json_path(schema_dir):
    errors = validate_case_1_1(load("bad/wrong_type.json"), schema_dir)
    assert errors == ["/CFItems/3/fullStatement: 20 is not of type 'string'"]
    assert validate_case_1_1([], schema_dir) == ["(root): [] is not of type 'object'"]
    assert validate_case_1_1({}, schema_dir) == ["(root): 'CFDocument' is a required property"]


def test_the_zone_less_timestamps_of_opensalt_are_date_time_errors(case_data, schema_dir):
    entry, package = next((e, p) for e, p in real_packages(case_data)
                          if e["file"].endswith("3dd5152bf507.json"))
    assert package["CFDocument"]["lastChangeDateTime"] == "2017-05-25T18:05:33"
    errors = validate_case_1_1(package, schema_dir)
    assert "/CFDocument/lastChangeDateTime: '2017-05-25T18:05:33' is not a 'date-time'" in errors
    date_time_errors = [e for e in errors if e.endswith("is not a 'date-time'")]
    # our date-time check is the whole difference between the counts with and without formats
    assert len(date_time_errors) == (entry["case_1_1_schema_errors"]
                                     - entry["case_1_1_schema_errors_without_format"]) == 59


@pytest.mark.parametrize("text", [
    "2017-05-25T18:05:33Z", "2017-05-25t18:05:33z", "2017-05-25T18:05:33.123456Z",
    "2017-05-25T18:05:33+02:00", "2017-05-25T18:05:33-05:30", "2024-02-29T00:00:00Z",
    "1998-12-31T23:59:60Z", "1998-12-31T15:59:60-08:00", "2024-03-01T10:30:00+01:00"])
def test_rfc3339_date_time_accepts(text):
    assert is_rfc3339_date_time(text)


@pytest.mark.parametrize("text", [
    "2017-05-25T18:05:33",          # no zone (OpenSALT 1.0 exports)
    "2017-05-25 18:05:33Z",         # a space instead of T
    "2017-05-25T18:05Z",            # no seconds
    "2017-05-25T24:00:00Z", "2017-05-25T18:60:00Z", "2017-05-25T18:05:61Z",
    "2017-05-25T18:05:60Z",         # a leap second that is not at 23:59 UTC
    "2023-02-29T00:00:00Z", "2017-13-01T00:00:00Z", "2017-05-25T18:05:33+0200",
    "2017-05-25T18:05:33+24:00", "20170525T180533Z", "2017-05-25", "", "2017-05-25T18:05:33.Z",
    "٢٠١٧-05-25T18:05:33Z"])       # non-ASCII digits
def test_rfc3339_date_time_rejects(text):
    assert not is_rfc3339_date_time(text)


def test_rfc3339_date():
    assert is_rfc3339_date("2024-01-15") and is_rfc3339_date("2024-02-29")
    for text in ("20240115", "2024-W03-1", "2024-01-15T00:00:00Z", "2023-02-29", "2024-1-15",
                 "2024-001"):
        assert not is_rfc3339_date(text), text
    assert is_rfc3339_date(20240115) and is_rfc3339_date_time(None)  # formats constrain strings


def test_date_and_date_time_and_uuid_formats_reach_the_validator(schema_dir):
    package = load("edition_2019.json")
    package["CFDocument"]["statusStartDate"] = "20190701"
    package["CFItems"][0]["lastChangeDateTime"] = "2019-06-01T08:00:00"
    package["CFItems"][1]["identifier"] = "not-a-uuid"
    assert validate_case_1_1(package, schema_dir) == [
        "/CFDocument/statusStartDate: '20190701' is not a 'date'",
        "/CFItems/0/lastChangeDateTime: '2019-06-01T08:00:00' is not a 'date-time'",
        "/CFItems/1/identifier: 'not-a-uuid' is not a 'uuid'"]
    assert validate_case_1_1(package, schema_dir, formats=False) == []


def test_a_ref_outside_the_local_schemas_is_refused_not_fetched(schema_dir, tmp_path):
    schema = json.loads((schema_dir / case_schema.PACKAGE_SCHEMA).read_text(encoding="utf-8"))
    schema["properties"]["CFItems"]["items"] = {"$ref": "https://example.invalid/item.json"}
    (tmp_path / case_schema.PACKAGE_SCHEMA).write_text(json.dumps(schema), encoding="utf-8")
    with pytest.raises(case_schema.SchemaRefError, match="example.invalid"):
        validate_case_1_1(load("edition_2019.json"), tmp_path)


def test_a_ref_to_a_sibling_schema_resolves_locally(schema_dir, tmp_path):
    for f in schema_dir.glob("*.json"):
        (tmp_path / f.name).write_text(f.read_text(encoding="utf-8"), encoding="utf-8")
    schema = json.loads((schema_dir / case_schema.PACKAGE_SCHEMA).read_text(encoding="utf-8"))
    schema["$defs"]["CFPckgItem"]["properties"]["licenseURI"] = {
        "$ref": "case_v1p1_cfitem-jsonschema1.json#/$defs/LinkURI"}
    (tmp_path / case_schema.PACKAGE_SCHEMA).write_text(json.dumps(schema), encoding="utf-8")
    package = load("groupings_rubrics.json")
    assert validate_case_1_1(package, tmp_path) == []
    del package["CFItems"][0]["licenseURI"]["title"]
    assert validate_case_1_1(package, tmp_path) == [
        "/CFItems/0/licenseURI: 'title' is a required property"]


def test_missing_schema_directory_is_named(tmp_path, jsonschema):
    with pytest.raises(FileNotFoundError, match="package schema is absent"):
        validate_case_1_1({}, tmp_path)


# --- the fixtures -------------------------------------------------------------------------------

def recount(package):
    """The MANIFEST.json counts by a plain dict walk (independent of the generator)."""
    assocs = package.get("CFAssociations", [])
    definitions = package.get("CFDefinitions", {})
    criteria = [c for r in package.get("CFRubrics", []) for c in r.get("CFRubricCriteria", [])]
    types = collections.Counter(a["associationType"] for a in assocs)
    return {
        "document": package["CFDocument"]["title"],
        "items": len(package.get("CFItems", [])),
        "associations": len(assocs),
        "association_types": dict(sorted(types.items())),
        "associations_in_groupings": sum("CFAssociationGroupingURI" in a for a in assocs),
        "definitions": {k: len(definitions.get(k, [])) for k in (
            "CFConcepts", "CFSubjects", "CFLicenses", "CFItemTypes", "CFAssociationGroupings")},
        "rubrics": len(package.get("CFRubrics", [])),
        "rubric_criteria": len(criteria),
        "rubric_levels": sum(len(c.get("CFRubricCriterionLevels", [])) for c in criteria),
    }


def test_every_fixture_is_in_the_manifest_with_its_bytes():
    on_disk = sorted(str(p.relative_to(FIXTURES)) for p in FIXTURES.rglob("*.json")
                     if p.name != "MANIFEST.json")
    assert on_disk == sorted(ENTRIES)
    readme = (FIXTURES / "README.md").read_text(encoding="utf-8")
    for name, entry in ENTRIES.items():
        data = (FIXTURES / name).read_bytes()
        assert (len(data), hashlib.sha256(data).hexdigest()) == (entry["bytes"], entry["sha256"])
        assert f"`{name}`" in readme, name


@pytest.mark.parametrize("name", [n for n, e in ENTRIES.items()
                                  if e["case_1_1_schema_errors"] is not None])
def test_fixture_counts_and_schema_errors(name, schema_dir):
    entry, package = ENTRIES[name], load(name)
    assert {k: entry[k] for k in recount(package)} == recount(package)
    assert len(validate_case_1_1(package, schema_dir)) == entry["case_1_1_schema_errors"]


def test_fixtures_meant_to_be_valid_have_no_schema_errors(schema_dir):
    valid = [n for n in ENTRIES if n != "bad/wrong_type.json" and n != "bad/truncated.json"]
    assert len(valid) == 9
    for name in valid:
        assert validate_case_1_1(load(name), schema_dir) == [], name


def test_truncated_fixture_is_malformed_json():
    with pytest.raises(json.JSONDecodeError):
        load("bad/truncated.json")
    assert ENTRIES["bad/truncated.json"]["case_1_1_schema_errors"] is None


def graph(package, kind):
    return nx.DiGraph((a["originNodeURI"]["identifier"], a["destinationNodeURI"]["identifier"])
                      for a in package["CFAssociations"] if a["associationType"] == kind)


def test_groupings_rubrics_covers_what_real_packages_lack(schema_dir):
    p = load("groupings_rubrics.json")
    items = {i["identifier"]: i for i in p["CFItems"]}
    assocs = p["CFAssociations"]
    assert all(recount(p)["definitions"][k] > 0 for k in recount(p)["definitions"])
    groupings = {g["identifier"] for g in p["CFDefinitions"]["CFAssociationGroupings"]}
    in_groupings = [a for a in assocs if "CFAssociationGroupingURI" in a]
    assert 0 < len(in_groupings) < len(assocs)
    assert {a["CFAssociationGroupingURI"]["identifier"] for a in in_groupings} == groupings
    # rubric: each criterion judges an item of the package; 4 levels with the four fields
    (rubric,) = p["CFRubrics"]
    for criterion in rubric["CFRubricCriteria"]:
        assert criterion["CFItemURI"]["identifier"] in items
        levels = criterion["CFRubricCriterionLevels"]
        assert len(levels) == 4
        assert [lv["position"] for lv in levels] == [1, 2, 3, 4]
        assert all({"score", "quality", "description"} <= lv.keys() for lv in levels)
    # an item with two parents, each link with its own sequenceNumber
    parents = collections.defaultdict(list)
    for a in assocs:
        if a["associationType"] == "isChildOf" and a["destinationNodeURI"]["identifier"] in items:
            parents[a["originNodeURI"]["identifier"]].append(a["sequenceNumber"])
    two = [items[i]["humanCodingScheme"] for i, seqs in parents.items() if len(seqs) == 2]
    assert "6.RP.A.3" in two and sorted(parents[next(
        i for i in items if items[i].get("humanCodingScheme") == "6.RP.A.3")]) == [1, 2]
    types = collections.Counter(a["associationType"] for a in assocs)
    for kind in ("isRelatedTo", "exactMatchOf", "exemplar", "hasSkillLevel", "precedes",
                 "isChildOf"):
        assert types[kind] > 0, kind
    ext = [t for t in types if t.startswith("ext:")]
    assert ext and all(t not in case_schema_enum(schema_dir) for t in ext)
    outside = [a for a in assocs if a["destinationNodeURI"]["identifier"] not in items
               and a["destinationNodeURI"]["identifier"] != p["CFDocument"]["identifier"]]
    assert {a["associationType"] for a in outside} >= {"exactMatchOf", "exemplar",
                                                       "isRelatedTo"} | set(ext[:1])
    assert nx.is_directed_acyclic_graph(graph(p, "precedes"))
    assert nx.is_directed_acyclic_graph(graph(p, "isChildOf"))
    # codes: one repeated (translation), one empty, one absent
    codes = collections.Counter(i.get("humanCodingScheme") for i in p["CFItems"])
    assert codes["6.RP.A.1"] == 2 and codes[""] == 1 and codes[None] == 1
    assert any(i.get("language") == "es" for i in p["CFItems"])
    assert {"KG", "03", "06"} <= {lv for i in p["CFItems"] for lv in i.get("educationLevel", [])}
    assert any("conceptKeywords" in i for i in p["CFItems"])
    for where in (p, p["CFDocument"], p["CFItems"][4], assocs[-2]):
        assert isinstance(where.get("extensions"), dict)


def case_schema_enum(schema_dir):
    schema = json.loads((schema_dir / case_schema.PACKAGE_SCHEMA).read_text(encoding="utf-8"))
    return schema["$defs"]["CFPckgAssociation"]["properties"]["associationType"]["oneOf"][0]["enum"]


def test_revision_fixtures_resolve_to_the_manifest_map():
    expected = FIXTURE_MANIFEST["revisions"]
    editions = {y: load(f"edition_{y}.json") for y in (2019, 2021, 2024)}
    ids = {y: {i["identifier"] for i in p["CFItems"]} for y, p in editions.items()}
    links = {}
    for y, p in editions.items():
        for a in p["CFAssociations"]:
            if a["associationType"] == "replacedBy":
                old, new = a["originNodeURI"]["identifier"], a["destinationNodeURI"]["identifier"]
                previous = 2019 if y == 2021 else 2021
                assert old in ids[previous] and old not in ids[y] and new in ids[y]
                links.setdefault(old, []).append(new)
    assert sorted((d["old"], d["new"]) for d in expected["links"]) == sorted(
        (o, n) for o, ns in links.items() for n in ns)

    def resolve(identifier):  # brute force: follow replacedBy; an id still present stays
        if identifier in ids[2024]:
            return {identifier}
        return set().union(*(resolve(n) for n in links.get(identifier, [])))

    for old, new in expected["resolved_2019_to_2024_by_identifier"].items():
        assert old in ids[2019] and sorted(resolve(old)) == new
    code = {i["identifier"]: i["humanCodingScheme"] for p in editions.values()
            for i in p["CFItems"]}
    by_code = {code[o]: sorted(code[n] for n in resolve(o))
               for o in ids[2019] if code[o] != "FR"}
    assert by_code == expected["resolved_2019_to_2024"]
    gone = [i for i in ids[2019] - ids[2021] if i not in links]
    assert gone == expected["no_successor"]["2019->2021"]
    assert set(expected["unchanged_identifiers"]) <= ids[2021] & ids[2024]


def test_bad_fixtures_have_their_one_problem():
    cycle = graph(load("replaced_by_cycle.json"), "replacedBy")
    assert len(nx.find_cycle(cycle)) == 3
    assert len(nx.find_cycle(graph(load("bad/precedes_cycle.json"), "precedes"))) == 3
    assert len(nx.find_cycle(graph(load("bad/is_child_of_cycle.json"), "isChildOf"))) == 3
    p = load("bad/duplicate_identifiers.json")
    identifiers = collections.Counter(i["identifier"] for i in p["CFItems"])
    assert sorted(identifiers.values()) == [1, 1, 1, 1, 2]
    assert [i for i, it in enumerate(p["CFItems"]) if identifiers[it["identifier"]] == 2] == [1, 2]
    p = load("bad/dangling_association.json")
    known = {i["identifier"] for i in p["CFItems"]} | {p["CFDocument"]["identifier"]}
    dangling = [(k, end) for k, a in enumerate(p["CFAssociations"])
                for end in ("originNodeURI", "destinationNodeURI")
                if a[end]["identifier"] not in known]
    assert dangling == [(5, "originNodeURI"), (6, "destinationNodeURI")]
    assert p["CFAssociations"][5]["originNodeURI"]["uri"].startswith(
        p["CFDocument"]["uri"].rsplit("/", 1)[0] + "/")
    for name in ("replaced_by_cycle.json", "bad/precedes_cycle.json",
                 "bad/is_child_of_cycle.json", "bad/duplicate_identifiers.json",
                 "bad/dangling_association.json", "bad/wrong_type.json", "bad/truncated.json"):
        assert ENTRIES[name]["problems"], name


# --- the benchmark generator and the baseline ---------------------------------------------------

@pytest.fixture(scope="module")
def generator():
    return _load_benchmark_module("make_case_package")


def test_generated_package_is_valid_case_1_1(generator, schema_dir, tmp_path):
    out = tmp_path / "case_200.json"
    assert generator.main(["--items", "200", "--associations", "600", "--seed", "3",
                           "--out", str(out)]) == 0
    package = json.loads(out.read_text(encoding="utf-8"))
    assert validate_case_1_1(package, schema_dir) == []
    counts = recount(package)
    assert (counts["items"], counts["associations"]) == (200, 600)
    assert set(counts["association_types"]) == {"isChildOf", "precedes", "isRelatedTo",
                                                "exactMatchOf"}
    items = {i["identifier"]: i for i in package["CFItems"]}
    assert len({i["humanCodingScheme"] for i in items.values()}) == 200
    levels = sorted({i["educationLevel"][0] for i in items.values()
                     if i["CFItemType"] == "Grade Level"})
    assert levels == ["01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12",
                      "KG"]
    precedes, hierarchy = graph(package, "precedes"), graph(package, "isChildOf")
    assert nx.is_directed_acyclic_graph(precedes) and nx.is_directed_acyclic_graph(hierarchy)
    assert set(precedes) <= set(items)
    doc = package["CFDocument"]["identifier"]
    assert all(hierarchy.has_node(i) for i in items) and hierarchy.out_degree(doc) == 0
    for a in package["CFAssociations"]:
        if a["associationType"] in ("isRelatedTo", "exactMatchOf"):
            assert a["destinationNodeURI"]["identifier"] not in items
    # the same seed writes the same bytes; another seed does not
    again = tmp_path / "again.json"
    generator.main(["--items", "200", "--associations", "600", "--seed", "3", "--out",
                    str(again)])
    assert again.read_bytes() == out.read_bytes()
    assert generator.make_package(200, 600, 4) != package


def test_generator_refuses_impossible_sizes(generator):
    with pytest.raises(ValueError, match="items=20"):
        generator.make_package(20, 100)
    with pytest.raises(ValueError, match="associations=100"):
        generator.make_package(200, 100)


@pytest.fixture(scope="module")
def baseline():
    return _load_benchmark_module("case_baseline")


def test_baseline_builds_the_framework_of_a_package(baseline):
    fw = baseline.build_with_python(FIXTURES / "groupings_rubrics.json")
    p = load("groupings_rubrics.json")
    assert len(fw) == len(p["CFItems"])
    by_identifier = {i["identifier"]: i for i in p["CFItems"]}
    # the translation repeats 6.RP.A.1, two items have no code: their identifiers are their ids
    fallback = sorted(i["identifier"] for i in p["CFItems"]
                      if i.get("language") == "es" or not i.get("humanCodingScheme"))
    assert sorted(c for c in fw if c not in {i.get("humanCodingScheme") for i in
                                             p["CFItems"]}) == fallback
    english = next(i for i in by_identifier.values()
                   if i.get("humanCodingScheme") == "6.RP.A.1" and i["language"] == "en")
    assert fw["6.RP.A.1"].title == "Ratio language"
    assert fw["6.RP.A.1"].description == english["fullStatement"]
    assert fw["3.NF.A.1"].title == "Unit fractions"
    assert fw["4.NF.B.3"].title == fw["4.NF.B.3"].description  # no abbreviatedStatement
    assert sorted(fw.parents("6.RP.A.3")) == ["MOD", "RP"]
    assert fw.parents("NF") == []  # a child of the document: no hierarchy link
    edges = {(e["prerequisite"], e["dependent"], e["strength"]) for e in fw.edges()}
    assert ("3.NF.A.1", "4.NF.B.3", "recommended") in edges and len(edges) == 7


def test_baseline_export_is_valid_case_1_1_and_reads_back(baseline, schema_dir, tmp_path):
    fw = baseline.build_with_python(FIXTURES / "groupings_rubrics.json")
    text = baseline.export_with_python(fw, timestamp="2024-01-01T00:00:00Z")
    package = json.loads(text)
    assert validate_case_1_1(package, schema_dir) == []
    assert text == baseline.export_with_python(fw, timestamp="2024-01-01T00:00:00Z")
    path = tmp_path / "export.json"
    path.write_text(text, encoding="utf-8")
    again = baseline.build_with_python(path)
    assert list(again) == list(fw)
    assert sorted(again.hierarchy()) == sorted(fw.hierarchy())
    assert again.edges() == fw.edges()
