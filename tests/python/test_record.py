"""The portable learner record (Roster.export_record, mm.io.export_record, mm.io.read_record).

Oracles: the source roster's own ``explain`` (every rating and explanation after import, log
rows mapped by position among the learner's rows), byte equality of export -> import -> export,
``mm.migrate`` of the source roster for the cross-edition case, and the CLR ``mm.io.clr``
writes.
"""
import copy
import hashlib
import json
import pathlib
import re

import pandas as pd
import pytest

import masterymap as mm

ISSUER = "https://maple-street.example/issuer"
CASE = pathlib.Path(__file__).resolve().parent.parent / "data" / "case"
STATEMENT = "urn:uuid:0f5b3a52-7c1e-4c8e-9a51-00000000000{}"


def demo_roster(example_data: pathlib.Path, as_of=None) -> mm.Roster:
    """The demo curriculum (examples/data/fractions) with last year's records of maya, leo and
    noor, the bundled fall evidence, a placement, noor's confirming discussion, and evidence of
    every kind besides: a pre-test, self-assessment (ignored by the policy), weights, xAPI
    statement ids as sources."""
    data = example_data / "fractions"
    fw = mm.io.read_case(data / "framework.case.json")
    policy = mm.Policy.read(data / "policy.json")
    roster = mm.Roster(fw, policy, threads=1, as_of=as_of)
    progression = mm.Progression(fw, policy)
    rows = []
    for who in ("maya", "leo", "noor"):
        t = mm.to_seconds("2026-03-02T08:00:00Z")
        for cid in fw:
            if fw[cid].level != 3 or not progression.is_learning_target(cid):
                continue
            if who == "leo" and cid == "FR3.equiv":
                continue
            t += 3600
            rows.append((who, cid, 3.0, t, "formative", 1.0, "last year's teacher"))
            t += 600
            rows.append((who, cid, 3.0, t, "discussion", 1.0, "last year's teacher"))
    rows += [
        ("ivy", "FR4.equiv", 4.0, mm.to_seconds("2026-09-04T09:00:00Z"), "pretest", 1.0,
         STATEMENT.format(1)),
        ("ivy", "FR4.equiv", 2.0, mm.to_seconds("2026-09-05T09:00:00Z"), "self", 0.5,
         STATEMENT.format(2)),
        ("ivy", "FR3.equiv", 0.85, mm.to_seconds("2026-09-06T09:00:00Z"), "formative", 2.0,
         STATEMENT.format(3)),
        ("ivy", "FR3.equiv", 3.5, mm.to_seconds("2026-09-07T09:00:00Z"), "discussion", 1.0,
         STATEMENT.format(4)),
    ]
    roster.ingest(pd.DataFrame(rows, columns=["learner", "competency", "score", "time", "kind",
                                              "weight", "source"]))
    roster.ingest(mm.EvidenceLog.read_csv(data / "evidence.csv"))
    roster.place("maya", 4, "2026-09-08T09:00:00Z")
    roster.add("noor", "FR4.equiv", 3.0, "2026-11-02T10:00:00Z", "discussion", 1.0, "Mr. Okafor")
    return roster


@pytest.fixture(scope="module")
def roster(example_data):
    return demo_roster(example_data)


def rows_of(roster, learner):
    frame = roster.log.to_dataframe()
    return [i for i, who in enumerate(frame["learner"]) if who == learner]


def mapped(d, to_new):
    """An explanation dict with its log rows made the other roster's."""
    def text(s):
        return re.sub(r"\(row (\d+)", lambda m: f"(row {to_new[int(m.group(1))]}", s)
    d = dict(d)
    d["evidence"] = [dict(e, row=to_new[e["row"]]) for e in d["evidence"]]
    d["notes"] = [text(n) for n in d["notes"]]
    d["text"] = text(d["text"])
    return d


def test_round_trip_byte_identical_and_every_explanation_reproduced(roster, example_data):
    learners = roster.learners
    assert set(learners) == {"maya", "leo", "noor", "ivy"}
    target = None
    for learner in learners:
        text = roster.export_record(learner, issuer=ISSUER)
        record = json.loads(text)
        assert list(record) == ["type", "version", "learner", "framework", "policy", "as_of",
                                "evidence", "voided", "ratings", "credential"]
        assert record["version"] == 1 and record["learner"] == learner
        assert record["voided"] == []
        # one roster for all of them, evaluating at the records' time
        if target is None:
            target = mm.Roster(
                roster.framework, roster.policy, threads=1, as_of=record["as_of"])
        report = mm.io.read_record(text, target)
        assert report["learner"] == learner
        assert report["rows"] == len(record["evidence"])
        assert report["differences"] == []
        assert report["migrated"] is False and report["decisions"].empty
        assert mm.io.export_record(target, learner, issuer=ISSUER) == text

        # oracle: the source roster's own explain output
        a, b = rows_of(roster, learner), rows_of(target, learner)
        to_new = dict(zip(a, b))
        src, dst = roster.learner(learner), target.learner(learner)
        assert list(src.statuses()) == list(dst.statuses())
        for cid in roster.framework:
            assert (src.status(cid), src.score(cid), src.rating(cid)) == \
                (dst.status(cid), dst.score(cid), dst.rating(cid))
            assert mapped(src.explain(cid).to_dict(), to_new) == dst.explain(cid).to_dict()
    assert target.learners == learners


def test_voided_evidence_travels_with_the_record(example_data):
    """A statement voided in a later batch: the record keeps the row and lists the retraction;
    the next school's roster retracts it too, so every rating and explanation is reproduced
    (and the explanation says the evidence was voided)."""
    source = demo_roster(example_data)
    voided, by = STATEMENT.format(3), STATEMENT.format(9)
    before = source.learner("ivy").score("FR3.equiv")
    source.retract(voided, by)
    assert source.learner("ivy").score("FR3.equiv") != before
    text = source.export_record("ivy")
    record = json.loads(text)
    assert record["voided"] == [{"source": voided, "by": by}]
    assert [e["source"] for e in record["evidence"]] == [STATEMENT.format(i) for i in range(1, 5)]
    target = mm.Roster(source.framework, source.policy, threads=1, as_of=record["as_of"])
    report = mm.io.read_record(text, target)
    assert report["differences"] == []
    assert target.log.retractions == [(voided, by)]
    assert mm.io.export_record(target, "ivy") == text
    src, dst = source.learner("ivy"), target.learner("ivy")
    assert dst.score("FR3.equiv") == src.score("FR3.equiv")
    assert f"voided by statement '{by}'" in dst.explain("FR3.equiv").text


def test_the_record_holds_what_the_issue_names(roster, example_data):
    record = json.loads(mm.io.export_record(roster, "ivy", issuer=ISSUER, indent=2))
    package = json.loads((example_data / "fractions" / "framework.case.json").read_text())
    doc = package["CFDocument"]
    assert record["framework"]["case"] == {k: doc[k] for k in (
        "identifier", "uri", "title", "lastChangeDateTime") if k in doc}
    assert len(record["framework"]["sha256"]) == 64
    assert mm.Policy.from_json(json.dumps(record["policy"])) == roster.policy
    # evidence with its sources (the statement ids), kinds and weights; the float's shortest text
    ev = record["evidence"]
    assert [e["source"] for e in ev] == [STATEMENT.format(i) for i in range(1, 5)]
    assert [e["kind"] for e in ev] == ["pretest", "self", "formative", "discussion"]
    assert [e["weight"] for e in ev] == [1.0, 0.5, 2.0, 1.0]
    assert ev[2]["score"] == 0.85
    # ratings with explanations: the record's rows index its evidence
    state = roster.learner("ivy")
    rated = [r["competency"] for r in record["ratings"]]
    assert rated == [c for c in roster.framework
                     if state.status(c) != "not_started" or state.evidence_count(c)]
    equiv = next(r for r in record["ratings"] if r["competency"] == "FR4.equiv")
    assert equiv["status"] == state.status("FR4.equiv")
    assert [e["row"] for e in equiv["explanation"]["evidence"]] == [0, 1]
    assert "(row 1): ignored" in equiv["explanation"]["text"]
    assert equiv["explanation"]["evidence"][1]["used"] is False
    # the credential part is the learner's CLR; null when nothing is earned (ivy) or no issuer
    assert not any(mm.is_earned(state.status(c)) for c in roster.framework)
    assert record["credential"] is None
    noor = json.loads(roster.export_record("noor", issuer=ISSUER))
    assert noor["credential"] == mm.io.clr(roster, "noor", issuer=ISSUER)
    assert json.loads(roster.export_record("noor"))["credential"] is None


def test_a_roster_on_its_own_time_still_reproduces_at_the_record_time(roster, tmp_path):
    path = tmp_path / "leo.json"
    text = mm.io.export_record(roster, "leo", path)
    assert path.read_text(encoding="utf-8") == text
    target = mm.Roster(roster.framework, roster.policy)
    report = mm.io.read_record(path, target)
    assert report["differences"] == []
    assert target.as_of != roster.as_of
    assert target.export_record("leo", as_of=report["as_of"]) == text
    # bytes are text too
    other = mm.Roster(roster.framework, roster.policy)
    assert mm.io.read_record(text.encode(), other)["rows"] == report["rows"]


def test_across_framework_editions_through_the_migration():
    e2019, e2021, e2024 = (mm.io.read_case(CASE / f"edition_{y}.json")
                           for y in (2019, 2021, 2024))
    policy = mm.Policy(mm.Scale.four_point())
    old = mm.Roster(e2019, policy, threads=1)
    old.ingest(pd.DataFrame({
        "learner": ["ann"] * 5,
        "competency": ["FR.1", "FR.2", "FR.3", "FR.4", "FR.5"],
        "score": [3, 2, 4, 1, 2], "time": [1.0, 2, 3, 4, 5],
        "source": ["ms k", "", "", "", ""]}))
    text = old.export_record("ann")
    new = mm.Roster(e2024, policy, threads=1)
    before = new.to_bytes()
    with pytest.raises(mm.ValidationError, match="/framework: the record was made on 'Fractions, "
                                                 "edition 2019"):
        mm.io.read_record(text, new)
    with pytest.raises(mm.ValidationError, match="neither the roster's framework nor"):
        mm.io.read_record(text, new, old_edition=e2021)
    assert new.to_bytes() == before
    report = mm.io.read_record(text, new, old_edition=e2019, intermediate=[e2021])
    assert report["migrated"] is True
    decisions = report["decisions"]
    assert list(decisions["old_id"]) == ["FR.1", "FR.2", "FR.3", "FR.4", "FR.5"]
    assert list(decisions["action"]) == ["moved", "split", "merged", "merged", "dropped"]
    assert list(decisions["new_ids"])[1] == ["FR.2a", "FR.4"]
    # oracle: the migration of the whole old roster, for ann
    rm = mm.revisions(e2019, e2024, [e2021])
    migrated, _ = mm.migrate(old, e2019, e2024, rm)
    a, b = migrated.learner("ann"), new.learner("ann")
    assert list(a.statuses()) == list(b.statuses())
    for cid in e2024:
        assert (a.score(cid), a.rating(cid)) == (b.score(cid), b.rating(cid))
        assert a.explain(cid).text == b.explain(cid).text
    # the split rule is passed on
    first = mm.Roster(e2024, policy, threads=1)
    r1 = mm.io.read_record(text, first, old_edition=e2019, intermediate=[e2021], split="first")
    assert list(r1["decisions"]["new_ids"])[1] == ["FR.2a"]


def _edited(text, change):
    record = json.loads(text)
    change(record)
    return json.dumps(record)


def test_bad_input_names_the_path_and_changes_nothing(roster):
    text = roster.export_record("leo")
    target = mm.Roster(roster.framework, roster.policy, threads=1)
    target.add("zed", "FR3.equiv", 2, "2026-01-01")
    before = target.to_bytes()

    with pytest.raises(mm.ParseError) as e:
        mm.io.read_record('{\n  "type": ]', target)
    assert e.value.line == 2
    with pytest.raises(mm.ParseError, match="/: expected a JSON object"):
        mm.io.read_record("[1, 2]", target)
    with pytest.raises(mm.ParseError, match="/type: not a learner record"):
        mm.io.read_record('{"type": "x"}', target)
    with pytest.raises(mm.ParseError, match="/version: unsupported record version 3"):
        mm.io.read_record(_edited(text, lambda r: r.update(version=3)), target)
    with pytest.raises(mm.ParseError, match="/version: unsupported record version 0"):
        mm.io.read_record(_edited(text, lambda r: r.update(version=0)), target)
    with pytest.raises(mm.ParseError, match="/evidence/2/time: expected a number"):
        mm.io.read_record(_edited(text, lambda r: r["evidence"][2].update(time="soon")), target)
    with pytest.raises(mm.ParseError, match="/evidence/1/kind: missing"):
        mm.io.read_record(_edited(text, lambda r: r["evidence"][1].pop("kind")), target)
    with pytest.raises(mm.EvidenceError, match="/evidence/3/competency: 'FR9.x' is not a "
                                                "competency") as e:
        mm.io.read_record(_edited(text, lambda r: r["evidence"][3].update(competency="FR9.x")),
                          target)
    assert e.value.rows == [3]
    with pytest.raises(mm.EvidenceError, match="/evidence/0: "):
        mm.io.read_record(_edited(text, lambda r: r["evidence"][0].update(score=9)), target)
    with pytest.raises(mm.EvidenceError, match="/ratings/0/competency: 'nope'"):
        mm.io.read_record(_edited(text, lambda r: r["ratings"][0].update(competency="nope")),
                          target)

    def other_framework(r):
        r["framework"].pop("case")
        r["framework"]["sha256"] = "0" * 64
    with pytest.raises(mm.ValidationError, match="/framework"):
        mm.io.read_record(_edited(text, other_framework), target)
    with pytest.raises(mm.ValidationError, match=r"/policy: the record's policy differs from "
                                                 r"the roster's: 'Elsewhere' \(sha256 [0-9a-f]{12}"
                                                 r"\.\.\.\) vs '.+'.*record vs roster: /name: "
                                                 r"\"Elsewhere\" vs "):
        mm.io.read_record(_edited(text, lambda r: r["policy"].update(name="Elsewhere")), target)
    with pytest.raises(ValueError, match="source is empty"):
        mm.io.read_record("", target)
    with pytest.raises(ValueError, match="source is empty"):
        mm.io.read_record(b" \n", target)
    with pytest.raises(mm.ParseError, match="/policy"):
        mm.io.read_record(_edited(text, lambda r: r["policy"]["rule"].update(min_evidence="x")),
                          target)
    with pytest.raises(mm.ValidationError, match="/learner: 'zed' is already in the roster"):
        mm.io.read_record(_edited(text, lambda r: r.update(learner="zed")), target)
    with pytest.raises(mm.ParseError, match="/voided/0/by: missing"):
        mm.io.read_record(_edited(text, lambda r: r.update(voided=[{"source": "urn:x"}])),
                          target)
    with pytest.raises(mm.ParseError, match="/voided/0/source: 'urn:x' is not the source of any"):
        mm.io.read_record(_edited(text, lambda r: r.update(voided=[{"source": "urn:x", "by": ""}])),
                          target)
    with pytest.raises(mm.ParseError, match="/voided/0/source: empty source"):
        mm.io.read_record(_edited(text, lambda r: r.update(voided=[{"source": "", "by": ""}])),
                          target)
    with pytest.raises(ValueError, match="split"):
        mm.io.read_record(text, target, split="halves")
    with pytest.raises(mm.MissingFileError):
        mm.io.read_record("no/such/record.json", target)
    with pytest.raises(mm.UnknownIdError):
        roster.export_record("nobody")
    assert target.to_bytes() == before

    # a roster with another policy, when asked: what came out otherwise is listed
    other = json.loads(roster.policy.to_json())
    other["overrides"]["domains"]["FR"]["method"] = {"name": "highest"}
    elsewhere = mm.Roster(roster.framework, mm.Policy.from_json(json.dumps(other)))
    report = mm.io.read_record(text, elsewhere, allow_other_policy=True)
    record = json.loads(text)
    assert report["differences"] == [r["competency"] for r in record["ratings"]
                                     if r["explanation"]["rule_scope"] == "domain"]
    assert report["differences"]


def _same_name_other_rule(policy: mm.Policy) -> str:
    """The policy's JSON with one rule field changed and the name kept."""
    other = json.loads(policy.to_json())
    other["overrides"]["domains"]["FR"]["method"] = {"name": "highest"}
    return json.dumps(other)


def test_a_policy_mismatch_says_what_differs(roster):
    """Two policies of one name: the message shows the differing field and both hashes, not
    the same name twice (issue 13 try-out)."""
    text = roster.export_record("leo")
    changed = mm.Policy.from_json(_same_name_other_rule(roster.policy))
    assert changed.name == roster.policy.name and changed != roster.policy
    target = mm.Roster(roster.framework, changed, threads=1)
    with pytest.raises(mm.ValidationError) as e:
        mm.io.read_record(text, target)
    message = str(e.value)
    # oracle: the two documents' own SHA-256 and the field that differs between them
    ours = hashlib.sha256(roster.policy.to_json(-1).encode()).hexdigest()[:12]
    theirs = hashlib.sha256(changed.to_json(-1).encode()).hexdigest()[:12]
    assert ours != theirs and ours in message and theirs in message
    old = json.loads(roster.policy.to_json())["overrides"]["domains"]["FR"]["method"]
    assert (f"/overrides/domains/FR/method/name: {json.dumps(old['name'])} vs \"highest\""
            in message)


def test_import_applies_the_statement_id_rules(roster):
    """A record import follows Roster.ingest_statements' statement-id rules: an id the roster
    has for another learner is refused naming the id and the differing values (before the
    fix, two learners could share a statement id); the same content counts once."""
    text = roster.export_record("ivy")
    record = json.loads(text)
    row = record["evidence"][2]
    sid = row["source"]
    assert sid == STATEMENT.format(3)
    target = mm.Roster(roster.framework, roster.policy, threads=1)
    taken = pd.DataFrame({"learner": ["zed"], "competency": [row["competency"]],
                          "time": [row["time"]], "score": [row["score"]], "kind": [row["kind"]],
                          "weight": [row["weight"]], "source": [sid]})
    target.ingest_statements(taken)
    before = target.to_bytes()
    expected = f"statement '{sid}' was ingested before with other content: learner 'ivy' (was 'zed')"
    # oracle: ingest_statements itself refuses ivy's rows with the same words
    ivy = pd.DataFrame([dict(e, learner="ivy") for e in record["evidence"]])
    scratch = mm.Roster(roster.framework, roster.policy, threads=1)
    scratch.ingest_statements(taken)
    with pytest.raises(mm.EvidenceError, match=re.escape(expected)):
        scratch.ingest_statements(ivy)
    with pytest.raises(mm.EvidenceError, match=re.escape("/evidence/2: " + expected)) as e:
        mm.io.read_record(text, target)
    assert list(e.value.rows) == [2]
    assert target.to_bytes() == before and "ivy" not in target.learners

    # within the record: one id on two rows with other contents
    def twice(r):
        r["evidence"].append(dict(r["evidence"][0], score=1.0))
    fresh = mm.Roster(roster.framework, roster.policy, threads=1, as_of=record["as_of"])
    with pytest.raises(mm.EvidenceError, match=re.escape(
            f"/evidence/4: statement '{STATEMENT.format(1)}' is also /evidence/0 with other "
            f"content: score 1 (was 4)")):
        mm.io.read_record(_edited(text, twice), fresh)
    assert fresh.learners == []
    # the same content again counts once, as ingest_statements counts it
    report = mm.io.read_record(
        _edited(text, lambda r: r["evidence"].append(dict(r["evidence"][0]))), fresh)
    assert report["duplicates"] == 1 and report["rows"] == 4 and report["differences"] == []
    assert mm.io.export_record(fresh, "ivy") == text


def test_a_tampered_record_is_refused_unless_strict_is_off(roster):
    """strict (default): a rating the record's evidence does not reproduce is an error naming
    the learner, the competency and the stored vs recomputed rating; the roster is unchanged."""
    text = roster.export_record("ivy")
    record = json.loads(text)
    entry = next(r for r in record["ratings"] if r["rating"] is not None)
    i = record["ratings"].index(entry)
    labels = [lv["label"] for lv in json.loads(roster.policy.to_json())["scale"]["ratings"]]
    forged = next(label for label in reversed(labels) if label != entry["rating"])

    def tamper(r):
        r["ratings"][i]["rating"] = forged
    target = mm.Roster(roster.framework, roster.policy, threads=1)
    before = target.to_bytes()
    expected = (f"/ratings/{i}: learner 'ivy', competency '{entry['competency']}': stored "
                f"{forged} ({entry['status']}, score {json.dumps(entry['score'])}) vs recomputed "
                f"{entry['rating']} ({entry['status']}, score {json.dumps(entry['score'])})")
    with pytest.raises(mm.ValidationError, match=re.escape(expected)):
        mm.io.read_record(_edited(text, tamper), target)
    assert target.to_bytes() == before
    # strict=False: imported, the competency listed
    report = mm.io.read_record(_edited(text, tamper), target, strict=False)
    assert report["differences"] == [entry["competency"]]
    assert target.learner("ivy").rating(entry["competency"]) == entry["rating"]
    # an edited explanation: the ratings agree, the place that differs is named
    def retold(r):
        r["ratings"][i]["explanation"]["text"] += " (edited)"
    with pytest.raises(mm.ValidationError, match=re.escape(
            f"learner 'ivy', competency '{entry['competency']}': stored and recomputed rating "
            f"{entry['rating']} ({entry['status']}, score {json.dumps(entry['score'])}) agree, "
            f"but the entry differs at /explanation/text")):
        mm.io.read_record(_edited(text, retold), mm.Roster(roster.framework, roster.policy))


def _statement(n, verb="passed", **extra):
    s = {"id": f"00000000-0000-4000-8000-{n:012d}", "actor": {"mbox": "mailto:ivy@example.org"},
         "verb": {"id": "http://adlnet.gov/expapi/verbs/" + verb},
         "object": {"id": "https://example.org/act/equiv"},
         "timestamp": f"2026-09-{10 + n:02d}T09:00:00+02:00"}
    s.update(extra)
    return s


def test_a_void_in_the_batch_of_its_target_travels_with_the_record(roster):
    """A void that comes with (even before) its target: the target's row stays in the log,
    retracted, so explain lists it as voided and the record carries the row and the void; the
    next school then keeps the statement voided when it is sent again (issue 13 try-out: the
    row was dropped, the record carried neither, and a re-send counted at the next school)."""
    fw, policy = roster.framework, roster.policy
    align = {"https://example.org/act/equiv": "FR3.equiv"}
    target = _statement(1, result={"score": {"scaled": 0.95}})
    kept = _statement(2, result={"score": {"scaled": 0.4}})
    void = _statement(3, "voided", object={"objectType": "StatementRef", "id": target["id"]})
    who = "mbox:mailto:ivy@example.org"
    school_a = mm.Roster(fw, policy, threads=1)
    df = mm.io.read_xapi([void, target, kept], fw, alignment=align, scale=policy)
    school_a.ingest_statements(df)
    assert [school_a.log.row_retracted(i) for i in range(len(school_a.log))] == [True, False]
    ex = school_a.learner(who).explain("FR3.equiv")
    assert f"voided by statement '{void['id']}'" in ex.text
    # oracle: a roster that only ever saw the kept statement rates the same
    only_kept = mm.Roster(fw, policy, threads=1)
    only_kept.ingest_statements(mm.io.read_xapi([kept], fw, alignment=align, scale=policy))
    assert school_a.learner(who).score("FR3.equiv") == only_kept.learner(who).score("FR3.equiv")

    text = school_a.export_record(who)
    record = json.loads(text)
    assert [e["source"] for e in record["evidence"]] == [target["id"], kept["id"]]
    assert record["voided"] == [{"source": target["id"], "by": void["id"]}]
    school_b = mm.Roster(fw, policy, threads=1)
    report = mm.io.read_record(text, school_b)
    assert report["differences"] == []
    assert mm.io.export_record(school_b, who) == text
    # the statement sent again: a repeat at both schools, still voided
    again = mm.io.read_xapi([target], fw, alignment=align, scale=policy)
    for school in (school_a, school_b):
        assert school.ingest_statements(again)["duplicates"] == 1
        assert school.learner(who).score("FR3.equiv") == only_kept.learner(who).score("FR3.equiv")


def test_a_statement_the_roster_already_voided_is_not_passed_by_the_strict_check(roster):
    """The importing roster voided one of the record's statements before the record came: the
    row arrives retracted, so the record's ratings are not what the roster will hold. strict:
    a ValidationError naming the statement and its void (roster unchanged); strict=False:
    imported, the competency in differences, rated as a roster that never counted it."""
    fw, policy = roster.framework, roster.policy
    align = {"https://example.org/act/equiv": "FR3.equiv"}
    target = _statement(1, result={"score": {"scaled": 0.95}})
    kept = _statement(2, result={"score": {"scaled": 0.4}})
    void = _statement(3, "voided", object={"objectType": "StatementRef", "id": target["id"]})
    who = "mbox:mailto:ivy@example.org"
    school_a = mm.Roster(fw, policy, threads=1)
    school_a.ingest_statements(mm.io.read_xapi([target, kept], fw, alignment=align,
                                               scale=policy))
    text = school_a.export_record(who)
    school_b = mm.Roster(fw, policy, threads=1)
    school_b.ingest_statements(mm.io.read_xapi([void], fw, alignment=align, scale=policy))
    assert school_b.log.retractions == [(target["id"], void["id"])]
    before = school_b.to_bytes()
    with pytest.raises(mm.ValidationError, match=re.escape(
            f"competency 'FR3.equiv': stored ")) as e:
        mm.io.read_record(text, school_b)
    assert (f"statement '{target['id']}' of the record was voided in this roster by "
            f"'{void['id']}'") in str(e.value)
    assert school_b.to_bytes() == before
    report = mm.io.read_record(text, school_b, strict=False)
    assert "FR3.equiv" in report["differences"]  # (and what rolls it up: FR3)
    assert set(report["differences"]) <= {"FR3.equiv", *fw.parents("FR3.equiv")}
    # oracle: a roster that only ever saw the kept statement
    only_kept = mm.Roster(fw, policy, threads=1)
    only_kept.ingest_statements(mm.io.read_xapi([kept], fw, alignment=align, scale=policy))
    assert school_b.learner(who).score("FR3.equiv") == only_kept.learner(who).score("FR3.equiv")
    assert school_b.learner(who).score("FR3.equiv") != school_a.learner(who).score("FR3.equiv")


def test_timestamp_texts_travel_with_the_record():
    """Statement evidence keeps its timestamp as written: the record (version 2) carries it
    per row, the importing roster keeps it, explains with it and exports the same bytes; a
    record of evidence without texts stays version 1 (as records were written before)."""
    fw = mm.FrameworkBuilder().add_competency("A").build()
    policy = mm.Policy(mm.Scale.four_point(), mm.Rule(method=mm.Method.mean()))
    act = "http://example.org/act/1"

    def statement(n, scaled, stamp):
        return {"id": f"00000000-0000-4000-8000-{n:012d}",
                "actor": {"mbox": "mailto:ann@example.org"},
                "verb": {"id": "http://adlnet.gov/expapi/verbs/passed"},
                "object": {"id": act}, "result": {"score": {"scaled": scaled}},
                "timestamp": stamp}

    stamps = ["2024-03-01T09:30:00.123+02:00", "2024-03-02T08:00:00-05:00"]
    source = mm.Roster(fw, policy, threads=1)
    source.add("mbox:mailto:ann@example.org", "A", 2.0, "2024-02-01T00:00:00Z")
    source.ingest(mm.io.read_xapi([statement(1, 0.9, stamps[0]), statement(2, 0.6, stamps[1])],
                                  fw, alignment={act: "A"}, scale=policy))
    learner = "mbox:mailto:ann@example.org"
    text = source.export_record(learner)
    record = json.loads(text)
    assert record["version"] == 2
    assert [e.get("timestamp") for e in record["evidence"]] == [None] + stamps
    assert list(record["evidence"][1]) == ["competency", "time", "score", "kind", "weight",
                                           "source", "timestamp"]
    assert f"[{stamps[0]}]" in record["ratings"][0]["explanation"]["text"]
    target = mm.Roster(fw, policy, threads=1, as_of=record["as_of"])
    report = mm.io.read_record(text, target)
    assert report["differences"] == []
    assert [target.log.timestamp_text(i) for i in range(len(target.log))] == [""] + stamps
    assert target.learner(learner).explain("A").to_dict() == \
        source.learner(learner).explain("A").to_dict()
    assert mm.io.export_record(target, learner) == text
    # statement 1 twice in the record, its timestamp written otherwise (the same instant): a
    # repeat (xAPI Data 2.3.1 compares timestamps as instants), the first text stays
    again = json.loads(text)
    again["evidence"].append(dict(again["evidence"][1], timestamp="2024-03-01T07:30:00.123Z"))
    holder = mm.Roster(fw, policy, threads=1, as_of=record["as_of"])
    report = mm.io.read_record(json.dumps(again), holder)
    assert report["duplicates"] == 1 and report["differences"] == []
    assert [holder.log.timestamp_text(i) for i in range(len(holder.log))] == [""] + stamps
    # a version-2 record's empty text is refused with its path
    bad = json.loads(text)
    bad["evidence"][1]["timestamp"] = ""
    with pytest.raises(mm.ParseError, match="/evidence/1/timestamp"):
        mm.io.read_record(json.dumps(bad), mm.Roster(fw, policy, threads=1))
    # without texts: version 1, as before
    plain = mm.Roster(fw, policy, threads=1)
    plain.add(learner, "A", 3.0, "2024-02-01T00:00:00Z")
    assert json.loads(plain.export_record(learner))["version"] == 1


# --- the credential part: checked as read_credential does, and against the ratings (D9) ---------

def _credentials_of(record):
    return record["credential"]["credentialSubject"]["verifiableCredential"]


def _earned(state):
    return [c for c in state.framework if state.status(c) in ("mastered", "exceeded", "exempt")]


def test_a_forged_credential_in_the_record_is_refused_unless_strict_is_off(roster):
    """The tryout's reproducer: a credential for a competency the learner has not earned,
    appended to the record's CLR, with a validFrom that is no date-time."""
    text = roster.export_record("leo", issuer=ISSUER)
    leo = roster.learner("leo")
    # oracle: the source roster's statuses (the record's ratings reproduce them)
    assert [v["credentialSubject"]["achievement"]["humanCode"]
            for v in _credentials_of(json.loads(text))] == _earned(leo)
    unearned = next(c for c in roster.framework if c not in _earned(leo))
    n = len(_credentials_of(json.loads(text)))

    def forge(record, valid_from="garbage"):
        forged = copy.deepcopy(_credentials_of(record)[0])
        forged["credentialSubject"]["achievement"]["humanCode"] = unearned
        forged["validFrom"] = valid_from
        _credentials_of(record).append(forged)

    target = mm.Roster(roster.framework, roster.policy, threads=1)
    before = target.to_bytes()
    where = f"/credential/credentialSubject/verifiableCredential/{n}"
    # its structure first, as read_credential checks it
    with pytest.raises(mm.ValidationError, match=re.escape(
            f"{where}/validFrom: not an RFC 3339 date-time: 'garbage'")) as e:
        mm.io.read_record(_edited(text, forge), target)
    assert [p["ids"] for p in e.value.problems] == [[f"{where}/validFrom"]]
    assert target.to_bytes() == before
    # a well-formed forgery: its claim against the recomputed ratings
    well_formed = _edited(text, lambda r: forge(r, "2026-11-02T10:00:00Z"))
    with pytest.raises(mm.ValidationError, match=re.escape(
            f"{where}/credentialSubject/achievement/humanCode: the credential claims "
            f"'{unearned}', which the record's evidence does not earn (recomputed status "
            f"{leo.status(unearned)};")):
        mm.io.read_record(well_formed, target)
    assert target.to_bytes() == before
    # strict=False: imported, both listed after the ratings' differences (none)
    report = mm.io.read_record(_edited(text, forge), target, strict=False)
    assert len(report["differences"]) == 2
    assert report["differences"][0].startswith(
        f"{where}/credentialSubject/achievement/humanCode: the credential claims '{unearned}'")
    assert report["differences"][1].startswith(f"{where}/validFrom: not an RFC 3339")
    assert target.learner("leo").status(unearned) == leo.status(unearned)


def test_a_credential_dropped_from_the_record_is_named(roster):
    text = roster.export_record("leo", issuer=ISSUER)
    first = _credentials_of(json.loads(text))[0]["credentialSubject"]["achievement"]["humanCode"]

    def drop(record):
        del _credentials_of(record)[0]
        del record["credential"]["credentialSubject"]["achievement"][0]
    target = mm.Roster(roster.framework, roster.policy, threads=1)
    with pytest.raises(mm.ValidationError, match=re.escape(
            f"/credential/credentialSubject/verifiableCredential: no credential for '{first}', "
            f"which the record's evidence earns (recomputed status "
            f"{roster.learner('leo').status(first)})")):
        mm.io.read_record(_edited(text, drop), target)


def test_every_record_credential_passes_and_round_trips(roster):
    """Each learner's record (with its CLR) imports with no difference and exports again byte
    for byte; the credential handed back is the record's, and read_credential accepts it."""
    for learner in roster.learners:
        text = roster.export_record(learner, issuer=ISSUER)
        record = json.loads(text)
        target = mm.Roster(roster.framework, roster.policy, threads=1, as_of=record["as_of"])
        report = mm.io.read_record(text, target)
        assert report["differences"] == []
        assert report["credential"] == record["credential"]
        if record["credential"] is not None:
            assert mm.io.read_credential(report["credential"]) == record["credential"]
        assert mm.io.export_record(target, learner, issuer=ISSUER) == text


def test_a_credential_stating_another_rating_is_refused_unless_strict_is_off(roster):
    """(issue 13) Each bundled credential's Result states the rating it stands for
    (``achievedLevel``: a level of its achievement's resultDescription); the import compares it
    with the rating the record's evidence gives."""
    text = roster.export_record("leo", issuer=ISSUER)
    leo = roster.learner("leo")
    record = json.loads(text)
    # oracle: the source roster's rating, and the levels the credential itself lists
    k, code, rated, other = next(
        (k, code, leo.rating(code), level)
        for k, vc in enumerate(_credentials_of(record))
        for code in [vc["credentialSubject"]["achievement"]["humanCode"]]
        if leo.rating(code) is not None
        for level in vc["credentialSubject"]["achievement"]["resultDescription"][0][
            "rubricCriterionLevel"]
        if level["level"] != leo.rating(code))
    mine = next(level for level in _credentials_of(record)[k]["credentialSubject"][
        "achievement"]["resultDescription"][0]["rubricCriterionLevel"] if level["level"] == rated)
    assert _credentials_of(record)[k]["credentialSubject"]["result"][0]["achievedLevel"] == \
        mine["id"]

    def restate(r):
        _credentials_of(r)[k]["credentialSubject"]["result"][0]["achievedLevel"] = other["id"]
    where = (f"/credential/credentialSubject/verifiableCredential/{k}/credentialSubject/result/0"
             f"/achievedLevel")
    expected = (f"{where}: the credential states the rating '{other['level']}', the record's "
                f"evidence rates '{rated}' (recomputed)")
    target = mm.Roster(roster.framework, roster.policy, threads=1)
    before = target.to_bytes()
    with pytest.raises(mm.ValidationError) as e:
        mm.io.read_record(_edited(text, restate), target)
    assert [p["message"].split(" (the record's credential")[0] for p in e.value.problems] == [
        expected]
    assert target.to_bytes() == before
    report = mm.io.read_record(_edited(text, restate), target, strict=False)
    assert report["differences"] == [expected]
    assert target.learner("leo").rating(code) == rated
