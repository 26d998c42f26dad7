"""Revision maps between framework editions (CASE replacedBy) and evidence migration, checked
against a pure-Python walk of the replacedBy links in the fixture JSON files and against
tests/data/case/MANIFEST.json's ``revisions`` section."""
import json
import pathlib

import pandas as pd
import pytest

import masterymap as mm

CASE = pathlib.Path(__file__).resolve().parents[1] / "data" / "case"
YEARS = (2019, 2021, 2024)


def package(name):
    return json.loads((CASE / name).read_text(encoding="utf-8"))


def edition(year):
    return mm.io.read_case(str(CASE / f"edition_{year}.json"))


# --- oracle: a pure-Python walk of the replacedBy links, by identifier -----------------------

def oracle(years):
    """{old identifier: sorted successor identifiers} from the first to the last edition."""
    pkgs = [package(f"edition_{y}.json") for y in years]
    uri_to_id = {}
    for p in pkgs:
        for it in p["CFItems"]:
            uri_to_id[it["uri"]] = it["identifier"]
    current = {it["identifier"]: {it["identifier"]} for it in pkgs[0]["CFItems"]}
    for older, newer in zip(pkgs, pkgs[1:]):
        new_ids = {it["identifier"] for it in newer["CFItems"]}
        links = {}
        for a in newer["CFAssociations"]:
            if a["associationType"] != "replacedBy":
                continue
            o = uri_to_id.get(a["originNodeURI"]["uri"], a["originNodeURI"]["identifier"])
            d = uri_to_id.get(a["destinationNodeURI"]["uri"],
                              a["destinationNodeURI"]["identifier"])
            links.setdefault(o, set()).add(d)

        def step(i):
            if i in links:
                return {d for d in links[i] if d in new_ids}
            return {i} if i in new_ids else set()
        current = {k: set().union(*[step(i) for i in v]) if v else set()
                   for k, v in current.items()}
    return {k: sorted(v) for k, v in current.items()}


def by_identifier(m, old, new):
    """The map as {old identifier: sorted new identifiers}."""
    ident = lambda fw, i: fw[i].metadata["case:identifier"]  # noqa: E731
    return {ident(old, o): sorted(ident(new, n) for n in m.successors(o)) for o in m.old_ids()}


@pytest.mark.parametrize("years", [(2019, 2021), (2021, 2024), (2019, 2021, 2024)])
def test_revisions_match_the_oracle(years):
    fws = [edition(y) for y in years]
    m = mm.revisions(fws[0], fws[-1], fws[1:-1])
    assert by_identifier(m, fws[0], fws[-1]) == oracle(years)


def test_revisions_match_the_manifest():
    rev = package("MANIFEST.json")["revisions"]
    a, b, c = (edition(y) for y in YEARS)
    m = mm.revisions(a, c, [b])
    got = by_identifier(m, a, c)
    for old, new in rev["resolved_2019_to_2024_by_identifier"].items():
        assert got[old] == sorted(new)
    for code, new in rev["resolved_2019_to_2024"].items():
        assert sorted(m.successors(code)) == sorted(new)  # codes of each edition
    ident = lambda fw, i: fw[i].metadata["case:identifier"]  # noqa: E731
    assert [ident(a, i) for i in mm.revisions(a, b).no_successor()] == rev["no_successor"]["2019->2021"]
    assert mm.revisions(b, c).no_successor() == []
    # each link's kind, per step
    for link in rev["links"]:
        old, new = (a, b) if link["in"] == "edition_2021.json" else (b, c)
        step = mm.revisions(old, new)
        old_id = next(x for x in old if old[x].metadata["case:identifier"] == link["old"])
        new_id = next(x for x in new if new[x].metadata["case:identifier"] == link["new"])
        assert new_id in step.successors(old_id)
        assert step.kind(old_id) == link["kind"].replace("-", "_")


def test_kinds_one_to_one_split_merge_chain_same_none():
    a, b, c = (edition(y) for y in YEARS)
    m = mm.revisions(a, b)
    assert [m.kind(i) for i in ["FR", "FR.1", "FR.2", "FR.3", "FR.4", "FR.5"]] == \
        ["same", "one_to_one", "split", "merge", "merge", "none"]
    assert m.new_items() == ["FR.6"]
    m3 = mm.revisions(a, c, [b])
    assert m3.kind("FR.1") == "chain" and m3.steps("FR.1") == ["one_to_one", "one_to_one"]
    assert m3.successors("FR.4") == ["FR.3"]  # not the 2024 FR.4, another item
    assert m3.steps("FR.2") == ["split", "merge"]
    assert len(m3) == len(a) and "FR.5" in m3 and "FR.9" not in m3
    with pytest.raises(mm.UnknownIdError):
        m3.successors("FR.9")
    df = m3.to_dataframe()
    assert list(df.columns) == ["old_id", "new_id", "kind", "steps"]
    assert df[df.old_id == "FR.2"].new_id.tolist() == ["FR.2a", "FR.4"]
    assert df[df.old_id == "FR.5"].new_id.isna().all()


def test_a_replaced_by_cycle_is_rejected_and_named():
    cy = mm.io.read_case(str(CASE / "replaced_by_cycle.json"))
    with pytest.raises(mm.CycleError) as e:
        mm.revisions(cy, cy)
    assert e.value.cycle == ["CY.X", "CY.Y", "CY.Z", "CY.X"]
    assert "replacedBy cycle: CY.X -> CY.Y -> CY.Z -> CY.X" in str(e.value)
    # the cycle in a newer edition fails a map through it too
    a = edition(2019)
    with pytest.raises(mm.CycleError):
        mm.revisions(a, a, [cy])


def policy():
    return mm.Policy(rule=mm.Rule(method=mm.Method.latest()))


def test_migrate_a_log_and_explain_before_and_after():
    a, b, c = (edition(y) for y in YEARS)
    m = mm.revisions(a, c, [b])
    log = mm.EvidenceLog()
    log.add("ann", "FR.1", 3, "2024-01-01", source="ms k")
    log.add("ann", "FR.2", 2, "2024-01-02")
    log.add("ann", "FR.3", 4, "2024-01-03")
    log.add("ann", "FR.4", 1, "2024-01-04")
    log.add("ann", "FR.5", 2, "2024-01-05")
    before = log.to_dataframe()
    out, report = mm.migrate(log, a, c, m)
    pd.testing.assert_frame_equal(log.to_dataframe(), before)  # input unchanged
    df = out.to_dataframe()
    assert df.competency.tolist() == ["FR.1", "FR.2a", "FR.4", "FR.3", "FR.3"]
    assert df.source.tolist()[0] == f"ms k; migrated from FR.1 ({a.name})"
    assert report.action.tolist() == ["moved", "split", "merged", "merged", "dropped"]
    assert report.written.tolist() == [1, 2, 1, 1, 0]
    assert report.new_ids.tolist()[1] == ["FR.2a", "FR.4"]

    old_ex = mm.evaluate(a, policy(), log, "ann").explain("FR.4")
    new_st = mm.evaluate(c, policy(), out, "ann")
    assert "by migration from FR.4" in str(new_st.explain("FR.3"))
    assert "migrated" not in str(old_ex)
    # merge: both predecessors' rows rate the merged item; latest = FR.4's 1
    assert new_st.score("FR.3") == 1 and new_st.evidence_count("FR.3") == 2
    assert new_st.score("FR.2a") == 2 and new_st.score("FR.4") == 2

    first, rep = mm.migrate(log, a, c, m, split="first")
    assert first.to_dataframe().competency.tolist() == ["FR.1", "FR.2a", "FR.3", "FR.3"]
    none, rep = mm.migrate(log, a, c, m, split="drop")
    assert "FR.2a" not in none.to_dataframe().competency.tolist()
    assert rep.action.tolist()[1] == "dropped"
    with pytest.raises(ValueError, match="split"):
        mm.migrate(log, a, c, m, split="all")


def test_bad_input_leaves_the_log_unchanged():
    a, b, c = (edition(y) for y in YEARS)
    m = mm.revisions(a, b)
    log = mm.EvidenceLog()
    log.add("ann", "FR.1", 3, 1)
    log.add("ann", "NOPE", 3, 2)
    log.add("ann", "FR.6", 3, 3)  # a 2021 id, not in 2019
    before = log.to_dataframe()
    with pytest.raises(mm.ValidationError) as e:
        mm.migrate(log, a, b, m)
    assert [p["ids"] for p in e.value.problems] == [["NOPE"], ["FR.6"]]
    pd.testing.assert_frame_equal(log.to_dataframe(), before)
    ok = mm.EvidenceLog()
    ok.add("ann", "FR.2", 3, 1)
    with pytest.raises(mm.ValidationError, match="other editions"):
        mm.migrate(ok, a, c, m)  # a 2019->2021 map used for 2024
    with pytest.raises(TypeError, match="log"):
        mm.migrate("not a log", a, b, m)


def test_migrate_a_roster():
    a, b, c = (edition(y) for y in YEARS)
    m = mm.revisions(a, c, [b])
    r = mm.Roster(a, policy(), threads=1)
    log = mm.EvidenceLog()
    log.add("ann", "FR.2", 3, "2024-01-01")
    log.add("bob", "FR.4", 2, "2024-01-02")
    log.add("bob", "FR.3", 4, "2024-01-01")
    r.ingest(log)
    before = r.to_dataframe()
    new, report = mm.migrate(r, a, c, m)
    assert isinstance(new, mm.Roster) and new.framework == c
    pd.testing.assert_frame_equal(r.to_dataframe(), before)  # input unchanged
    assert report.action.tolist() == ["split", "merged", "merged"]
    # the same as migrating the log and ingesting it in a fresh roster
    moved, _ = mm.migrate(log, a, c, m)
    fresh = mm.Roster(c, policy(), threads=1)
    fresh.ingest(moved)
    pd.testing.assert_frame_equal(new.to_dataframe(), fresh.to_dataframe())
    assert "by migration from FR.4" in str(new.learner("bob").explain("FR.3"))
    with pytest.raises(TypeError, match="log_or_roster"):
        mm.migrate(a, a, c, m)


# --- the try-out of issue 12 (revisions and migration): one test per finding -----------------
# Packages are written here (items by key: the same key is the same CASE identifier in every
# edition; links old key -> new key), and every expected map is computed by hand.

_NS = __import__("uuid").UUID("4a1f2a47-6a43-4f0e-9d55-5b1ad0a6c0de")
_BASE = "https://example.org/uri/"


def _uid(name):
    return str(__import__("uuid").uuid5(_NS, name))


def _node(key):
    i = _uid(key)
    return {"title": key, "identifier": i, "uri": _BASE + i}


def case(title, items, links=()):
    """A CASE 1.1 package: ``items`` (key, code) pairs, ``links`` (old key, new key) replacedBy
    associations held by this package."""
    ts = "2024-01-01T00:00:00+00:00"
    doc = _node("doc:" + title)
    doc["title"] = title
    its = [{"identifier": _uid(k), "uri": _BASE + _uid(k), "fullStatement": k,
            "humanCodingScheme": code, "lastChangeDateTime": ts,
            "CFDocumentURI": _node("doc:" + title)} for k, code in items]
    assoc = [{"identifier": _uid(f"{title}:{o}->{d}"), "uri": _BASE + _uid(f"{title}:{o}->{d}"),
              "associationType": "replacedBy", "originNodeURI": _node(o),
              "destinationNodeURI": _node(d), "lastChangeDateTime": ts,
              "CFDocumentURI": _node("doc:" + title)} for o, d in links]
    doc.update({"creator": "test", "lastChangeDateTime": ts, "uri": doc["uri"],
                "CFPackageURI": _node("doc:" + title)})
    return mm.io.read_case(json.dumps({"CFDocument": doc, "CFItems": its,
                                       "CFAssociations": assoc}))


def one_row(competency, source=""):
    log = mm.EvidenceLog()
    log.add("ann", competency, 3, "2024-01-01", source=source)
    return log


def test_f1_a_chain_held_by_the_newest_package_is_followed():
    e1 = case("E1", [("a", "A"), ("b", "B")])
    e2 = case("E2", [("x", "X"), ("b", "B")], links=[("a", "x")])
    # E3 carries the whole history (a -> x from E2 too), as CASE servers do
    e3 = case("E3", [("y", "Y"), ("b", "B")], links=[("a", "x"), ("x", "y")])
    direct = mm.revisions(e1, e3)  # X, in no edition given, is a hop
    assert direct["A"] == ["Y"] and direct.kind("A") == "one_to_one"
    through = mm.revisions(e1, e3, [e2])
    assert through["A"] == ["Y"] and through.steps("A") == ["one_to_one", "one_to_one"]
    assert through.kind("A") == "chain"
    # an intermediate edition that lacks the link: the newer package's history resolves it
    e2_bare = case("E2 bare", [("x", "X"), ("b", "B")])
    assert mm.revisions(e1, e3, [e2_bare])["A"] == ["Y"]
    out, report = mm.migrate(one_row("A"), e1, e3, direct)
    assert out.to_dataframe().competency.tolist() == ["Y"]
    assert report.action.tolist() == ["moved"]
    notes = []
    mm.revisions(e1, e3, [e2], notes=notes)
    assert notes == []  # every link used (the repeated a -> x of E3 included)


def test_f2_links_not_used_are_noted_and_swapped_editions_hinted():
    e1 = case("E1", [("a", "A"), ("b", "B")])

    def notes_of(old, new, mids=()):
        notes = []
        mm.revisions(old, new, list(mids), notes=notes)
        return notes

    # reversed link (origin = the new item)
    n = notes_of(e1, case("E2", [("a2", "A2"), ("b", "B")], links=[("a2", "a")]))
    assert len(n) == 1 and "looks reversed" in n[0] and "A2 (of 'E2') -> A (of 'E1')" in n[0]
    # an end in no given edition (destination): A has no successor through it
    n = notes_of(e1, case("E2", [("b", "B")], links=[("a", "nowhere")]))
    assert len(n) == 1 and "in no given edition" in n[0] and "A has no successor" in n[0]
    # an origin in no given edition: an intermediate edition forgotten
    e3 = case("E3", [("y", "Y"), ("b", "B")], links=[("x", "y")])
    n = notes_of(e1, e3)
    assert len(n) == 1 and "intermediate edition missing" in n[0]
    # a link in the older package: followed, with a note
    old = case("E1 with link", [("a", "A"), ("b", "B")], links=[("a", "a2")])
    new = case("E2", [("a2", "A2"), ("b", "B")])
    notes = []
    assert mm.revisions(old, new, notes=notes)["A"] == ["A2"]
    assert len(notes) == 1 and "followed" in notes[0]
    # editions in the wrong order: a hint first, then each link
    e2 = case("E2", [("a2", "A2"), ("b", "B")], links=[("a", "a2")])
    n = notes_of(e2, e1)
    assert n[0].startswith("hint: the old edition 'E2' holds 1 replacedBy link")
    assert "swapped" in n[0] and len(n) == 2
    assert notes_of(e1, e2) == []
    with pytest.raises(TypeError, match="notes"):
        mm.revisions(e1, e2, notes="x")


def test_f3_learners_whose_evidence_is_all_dropped_are_reported():
    e1 = case("E1", [("a", "A"), ("b", "B")])
    e2 = case("E2", [("a2", "A2")], links=[("a", "a2")])  # B retired
    log = mm.EvidenceLog()
    log.add("ana", "A", 3, "2024-01-01")
    log.add("zoe", "B", 3, "2024-01-01")
    log.add("ana", "B", 3, "2024-01-02")
    m = mm.revisions(e1, e2)
    out, report = mm.migrate(log, e1, e2, m)
    assert report.attrs["emptied_learners"] == ["zoe"]
    assert list(out.learners) == ["ana"]
    r = mm.Roster(e1, policy(), threads=1)
    r.ingest(log)
    new, report = mm.migrate(r, e1, e2, m)
    assert report.attrs["emptied_learners"] == ["zoe"]
    assert report.action.tolist() == ["moved", "dropped"]


def _leveled(name, items, links=()):
    """A framework built in code: items (id, domain, level); links (old id, new id)."""
    b = mm.FrameworkBuilder(name)
    for i, d, lv in items:
        b.add_competency(i, domain=d, level=lv)
    for o, d in links:
        b.add_association("replacedBy", o, d)
    return b.build()


def test_f4_placements_are_re_keyed_by_domain():
    old = _leveled("2019", [("N.1", "N", 1), ("N.2", "N", 2), ("G.1", "G", 1), ("M.1", "M", 1)])
    # N.1 (N's placement competency) is split into N.1a (N) and S.1 (S, a new domain); G goes.
    new = _leveled("2024", [("S.1", "S", 1), ("N.1a", "N", 1), ("N.2", "N", 2), ("M.1", "M", 1)],
                   links=[("N.1", "S.1"), ("N.1", "N.1a")])
    m = mm.revisions(old, new)
    assert m["N.1"] == ["S.1", "N.1a"] and m.kind("N.1") == "split"
    r = mm.Roster(old, policy(), threads=1)
    r.place("mia", 2, "2024-01-01", ["N", "G", "M"])
    r.ingest([{"learner": "mia", "competency": "N.1", "score": 3, "time": "2024-01-02"}])
    assert r.log.to_dataframe().competency.tolist() == ["N.1", "G.1", "M.1", "N.1"]
    new_r, report = mm.migrate(r, old, new, m)
    df = new_r.log.to_dataframe()
    placed = df[df.kind == "placement"]
    # N stays in N (its new placement competency, N.1a), never in S; G is gone; M unchanged
    assert placed.competency.tolist() == ["N.1a", "M.1"]
    assert df[df.kind != "placement"].competency.tolist() == ["S.1", "N.1a"]  # split: copied
    rows = report.set_index(["old_id", "domain"], drop=False)
    assert rows.loc[("N.1", "N")].action == "placed"
    assert rows.loc[("N.1", "N")].new_ids == ["N.1a"]
    assert rows.loc[("G.1", "G")].action == "dropped"
    assert report[report.domain.isna()].action.tolist() == ["split"]
    # and the same learner placed afresh in the new edition is placed there alike
    fresh = mm.Roster(new, policy(), threads=1)
    fresh.place("mia", 2, "2024-01-01", ["N", "M"])
    assert fresh.log.to_dataframe().competency.tolist() == placed.competency.tolist()


def test_f5_the_error_names_the_map_editions():
    e1 = case("E1", [("a", "A"), ("c", "C")])
    draft = case("E1 draft", [("a", "A")])
    e2 = case("E2", [("a", "A"), ("c", "C")])
    with pytest.raises(mm.ValidationError) as e:
        mm.migrate(one_row("C"), e1, e2, mm.revisions(draft, e2))
    text = str(e.value)
    assert "(1 row)" in text and "revision map is from 'E1 draft' to 'E2'" in text
    assert "is not in the old edition" not in text
    with pytest.raises(mm.ValidationError, match="swapped"):
        mm.migrate(one_row("C"), e1, e2, mm.revisions(e2, e1))


def test_f6_a_new_code_for_the_same_identifier_is_renamed():
    a = case("E1", [("f", "F"), ("g", "G")])
    b = case("E2", [("f", "F2"), ("g", "G")])
    m = mm.revisions(a, b)
    assert m.kind("F") == "same" and m["F"] == ["F2"]
    log = one_row("F", source="quiz")
    log.add("ann", "G", 2, "2024-01-02")
    out, report = mm.migrate(log, a, b, m)
    assert report.action.tolist() == ["renamed", "same"]
    assert out.to_dataframe().source.tolist() == ["quiz; migrated from F (E1)", ""]


def test_f7_a_revert_across_editions_is_no_cycle():
    e1 = case("E1", [("a", "A"), ("b", "B")])
    e2 = case("E2", [("x", "X"), ("b", "B")], links=[("a", "x")])
    e3 = case("E3", [("a", "A"), ("b", "B")], links=[("x", "a")])
    m = mm.revisions(e1, e3, [e2])
    assert m["A"] == ["A"] and m.steps("A") == ["one_to_one", "one_to_one"]
    # a cycle within one package is still one, in the older edition's codes, the package named
    e2c = case("E2 cyclic", [("x", "X"), ("b", "B")], links=[("a", "x"), ("x", "a")])
    with pytest.raises(mm.CycleError) as e:
        mm.revisions(e1, e2c)
    assert e.value.cycle in (["A", "X", "A"], ["X", "A", "X"])
    assert "(links of 'E2 cyclic')" in str(e.value) and "https://" not in str(e.value)


def test_f8_a_split_anywhere_on_the_path_is_a_split():
    e1 = case("E1", [("b", "B"), ("c", "C")])
    e2 = case("E2", [("b1", "B.1"), ("b2", "B.2"), ("c", "C")], links=[("b", "b1"), ("b", "b2")])
    e3 = case("E3", [("b1", "B.1"), ("c", "C")])  # B.2 retired
    e3m = case("E3m", [("bb", "B'"), ("c", "C")], links=[("b1", "bb"), ("b2", "bb")])
    for new, succ in ((e3, ["B.1"]), (e3m, ["B'"])):
        m = mm.revisions(e1, new, [e2])
        assert m["B"] == succ and m.kind("B") == "split" and m.steps("B")[0] == "split"
        _, report = mm.migrate(one_row("B"), e1, new, m, split="drop")
        assert report.action.tolist() == ["dropped"] and report.written.tolist() == [0]


def test_f9_a_replaced_item_kept_in_the_new_package_is_not_new():
    e1 = case("E1", [("a", "A"), ("b", "B")])
    e2 = case("E2", [("a", "A"), ("a2", "A2"), ("b", "B"), ("n", "N")], links=[("a", "a2")])
    m = mm.revisions(e1, e2)
    assert m["A"] == ["A2"] and m.kind("A") == "one_to_one"
    assert m.new_items() == ["N"]


def test_f10_the_source_reads_well_in_explain():
    a = case("E1", [("a", "A")])
    b = case("E2", [("a2", "A2")], links=[("a", "a2")])
    out, _ = mm.migrate(one_row("A"), a, b, mm.revisions(a, b))
    text = str(mm.evaluate(b, policy(), out, "ann").explain("A2"))
    assert "by migration from A (E1)" in text and "by migrated" not in text
    long = case("E1 " + "x" * 80, [("a", "A")])
    out, _ = mm.migrate(one_row("A"), long, b, mm.revisions(long, b))
    src = out.to_dataframe().source.tolist()[0]
    assert src.endswith("...)") and len(src) < 90


def test_f12_small_api():
    a, b, c = (edition(y) for y in YEARS)
    m = mm.revisions(a, b)
    assert (1 in m) is False and ("FR.1" in m) is True
    assert list(m) == m.old_ids() and m["FR.2"] == m.successors("FR.2")
    with pytest.raises(mm.UnknownIdError):
        m["nope"]
    with pytest.raises(TypeError, match="revisions"):
        mm.RevisionMap()
    with pytest.raises(TypeError, match=r"intermediate\[0\]"):
        mm.revisions(a, c, [None])
    with pytest.raises(TypeError, match="intermediate"):
        mm.revisions(a, c, b)
    df = m.to_dataframe()
    assert isinstance(df.old_id.dtype, pd.CategoricalDtype)
    assert isinstance(df.new_id.dtype, pd.CategoricalDtype)
    _, report = mm.migrate(one_row("FR.1"), a, b, m)
    assert isinstance(report.old_id.dtype, pd.CategoricalDtype)


def resolve_by_hand(editions, links):
    """A pure-Python reading of the documented rule. ``editions``: list of {key: code};
    ``links``: per edition, {old key: [new keys]} held by its package. Returns
    {old code: sorted new codes}."""
    def step(s, key):
        nxt = editions[s + 1]
        own = links[s + 1].get(key, [])
        if key in nxt and not any(d in nxt for d in own):
            return {key}
        for p in range(s + 1, len(editions)):
            if key in links[p]:
                return set().union(*(step_from(s, d) for d in links[p][key]))
        return set()

    def step_from(s, key):  # a hop: the same rule for an item reached by a link
        return step(s, key)

    out = {}
    for key, code in editions[0].items():
        cur = {key}
        for s in range(len(editions) - 1):
            cur = set().union(*(step(s, k) for k in cur)) if cur else set()
        out[code] = sorted(editions[-1][k] for k in cur)
    return out


@pytest.mark.parametrize("seed", range(12))
def test_random_editions_against_the_rule_by_hand(seed):
    import random
    rnd = random.Random(seed)
    pool = [f"k{i}" for i in range(40)]
    eds = []
    links = [{}]
    prev = None
    for e in range(3):
        keys = sorted(rnd.sample(pool, 20)) if prev is None else sorted(
            set(rnd.sample(prev, 14)) | set(rnd.sample(pool, 8)))
        eds.append({k: f"{k}.{e}" for k in keys})
        if prev is not None:
            fresh = [k for k in keys if k not in prev]
            ls = {}
            for o in rnd.sample(prev, 6):
                if fresh:
                    ls[o] = sorted(set(rnd.sample(fresh, rnd.choice([1, 1, 2]))))
            if e == 2 and rnd.random() < 0.5:  # cumulative history: E2's links again
                for o, ds in links[1].items():
                    ls.setdefault(o, ds)
            links.append(ls)
        prev = keys
    fws = [case(f"R{seed}.{e}", list(eds[e].items()),
                links=[(o, d) for o, ds in links[e].items() for d in ds]) for e in range(3)]
    m = mm.revisions(fws[0], fws[2], [fws[1]])
    got = {o: sorted(m[o]) for o in m}
    assert got == resolve_by_hand(eds, links)


def test_an_end_with_a_foreign_uri_is_matched_by_its_node_identifier():
    e1 = case("E1", [("a", "A"), ("b", "B")])
    pkg = {"CFDocument": {"identifier": _uid("d"), "uri": _BASE + _uid("d"), "title": "E2",
                          "creator": "t", "lastChangeDateTime": "2024-01-01T00:00:00+00:00"},
           "CFItems": [{"identifier": _uid("x"), "uri": _BASE + _uid("x"), "fullStatement": "x",
                        "humanCodingScheme": "X",
                        "lastChangeDateTime": "2024-01-01T00:00:00+00:00"}],
           "CFAssociations": [{"identifier": _uid("l"), "uri": _BASE + _uid("l"),
                               "associationType": "replacedBy",
                               "originNodeURI": {"title": "a", "identifier": _uid("a"),
                                                 "uri": "https://mirror.example/zzz"},
                               "destinationNodeURI": _node("x"),
                               "lastChangeDateTime": "2024-01-01T00:00:00+00:00"}]}
    e2 = mm.io.read_case(json.dumps(pkg))
    notes = []
    m = mm.revisions(e1, e2, notes=notes)
    assert m["A"] == ["X"] and m.no_successor() == ["B"] and notes == []
