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
