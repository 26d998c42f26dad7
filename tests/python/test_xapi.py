"""xAPI statements in: validation by the specification's rules (the ADL LRS conformance corpus),
the mapping to evidence, voiding and idempotence."""
import json
import pathlib
import re

import pandas as pd
import numpy as np
import pytest

import masterymap as mm
from masterymap._core import io as core_io

# Conformance cases whose label this library does not follow, by case id, with the reason.
# (None: every case of both corpora agrees.)
EXCEPTIONS: dict[str, str] = {}


def _corpus(shared_data: pathlib.Path, version: str) -> list[dict]:
    path = (shared_data / "interop" / "xapi" / "adl-lrs-conformance"
            / f"xapi-{version}.statement-cases.jsonl")
    if not path.is_file():
        pytest.skip(f"{path} is absent")
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


@pytest.mark.parametrize("version,count", [("1.0.3", 950), ("2.0", 972)])
def test_conformance_corpus_agrees_with_every_label(shared_data, version, count):
    cases = _corpus(shared_data, version)
    assert len(cases) == count
    disagree = []
    for case in cases:
        problems = core_io.validate_xapi_statement(json.dumps(case["statement"]), version)
        if (not problems) != case["valid"] and case["case"] not in EXCEPTIONS:
            disagree.append((case["case"], case["name"], problems[:2]))
        if problems:  # every rejection names a JSON path into the statement and a rule
            for path, rule in problems:
                assert path == "" or path.startswith("/")
                assert rule
    assert disagree == []


def test_conformance_rejections_name_the_property(shared_data):
    cases = {c["case"]: c for c in _corpus(shared_data, "2.0")}
    # spot checks: the path names where the rule is broken
    by_name = {c["name"]: c for c in cases.values()}
    c = by_name['statement actor "mbox_sha1sum" cannot be used with "mbox"']
    assert core_io.validate_xapi_statement(json.dumps(c["statement"]))[0][0] == "/actor"
    c = by_name['statement "version" invalid 0.9.9']
    assert core_io.validate_xapi_statement(json.dumps(c["statement"]))[0][0] == "/version"


def test_2_0_additions_are_refused_under_1_0_3(shared_data):
    cases = [c for c in _corpus(shared_data, "2.0")
             if c["config"] == "contextagents.js" and c["valid"]]
    assert cases
    for c in cases:
        text = json.dumps(c["statement"])
        assert core_io.validate_xapi_statement(text, "2.0") == []
        path = core_io.validate_xapi_statement(text, "1.0.3")[0][0]
        assert path.endswith("/context/contextAgents")


def test_spec_examples_are_valid(shared_data):
    folder = shared_data / "interop" / "xapi" / "spec-examples"
    if not folder.is_dir():
        pytest.skip(f"{folder} is absent")
    files = sorted(folder.glob("*.json"))
    assert len(files) == 9
    for f in files:
        text = f.read_text(encoding="utf-8")
        assert core_io.validate_xapi_statement(text, "1.0.3") == [], f.name
        assert core_io.validate_xapi_statement(text, "2.0") == [], f.name


@pytest.mark.parametrize("stamp,ok", [
    ("2013-05-18T05:32:34.804Z", True), ("2008-09-15T15:53:00.601+00:00", True),
    ("2008-09-15T15:53:00.601-00", False), ("2008-09-15T15:53:00.601-0000", False),
    ("2008-09-15T15:53:00.601-00:00", False), ("01/011/2015", False),
    ("2013-02-29T00:00:00Z", False), ("2012-02-29T00:00:00Z", True),
    # a leap second (RFC 3339 5.7): at 23:59:60 UTC only, whatever the offset it is written in
    ("2016-12-31T23:59:60Z", True), ("2016-12-31T15:59:60.5-08:00", True),
    ("2016-12-31T12:00:60Z", False), ("2016-12-31T23:59:60+01:00", False),
    ("2016-12-31T23:59:61Z", False)])
def test_timestamp_forms(stamp, ok):
    s = {"actor": {"mbox": "mailto:a@example.org"}, "verb": {"id": "http://x.org/v"},
         "object": {"id": "http://x.org/a"}, "timestamp": stamp}
    assert (core_io.validate_xapi_statement(json.dumps(s)) == []) is ok


def test_validate_parse_error():
    with pytest.raises(mm.ParseError):
        core_io.validate_xapi_statement('{"actor": ')


# --- the mapping to evidence -------------------------------------------------------------------

ADL = "http://adlnet.gov/expapi/verbs/"
ACT = "http://example.org/act/"


def stmt(n, verb="passed", activity="1", result=None, actor=None, timestamp="2024-03-01T09:00:00Z",
         **extra):
    s = {"id": f"00000000-0000-4000-8000-{n:012d}",
         "actor": actor or {"mbox": "mailto:ann@example.org"},
         "verb": {"id": verb if ":" in verb else ADL + verb},
         "object": {"id": activity if ":" in activity else ACT + activity}}
    if result is not None:
        s["result"] = result
    if timestamp is not None:
        s["timestamp"] = timestamp
    s.update(extra)
    return s


ALIGN = {ACT + "1": "A", ACT + "2": "B"}


def oracle(statements, alignment, scale):
    """An independent, plain-Python reading of the documented mapping (no validation)."""
    import datetime as dt
    rows = []
    for i, s in enumerate(statements):
        kind = mm.io.xapi_verb_kinds().get(s["verb"]["id"], "formative")
        act = s["object"].get("id")
        if kind is None or act not in alignment:
            continue
        a = s["actor"]
        ifi = next(k for k in ("mbox", "mbox_sha1sum", "openid", "account") if k in a)
        learner = (f"account:{a['account']['homePage']}|{a['account']['name']}"
                   if ifi == "account" else f"{ifi}:{a[ifi]}")
        r = s.get("result", {})
        sc = r.get("score", {})
        if "scaled" in sc:
            score = scale.from_fraction(sc["scaled"])
        elif "raw" in sc:
            score = scale.from_fraction((sc["raw"] - sc["min"]) / (sc["max"] - sc["min"]))
        elif "success" in r:
            vals = [v for _, v in scale.ratings]
            m = vals.index(scale.mastery_value)
            score = scale.mastery_value if r["success"] else vals[m - 1]
        else:
            continue
        t = dt.datetime.fromisoformat(s["timestamp"].replace("Z", "+00:00"))
        rows.append((learner, alignment[act], t.timestamp(), score, kind, s["id"], i))
    return rows


def test_mapping_agrees_with_a_plain_python_reading():
    four = mm.Scale.four_point()
    statements = [
        stmt(1, result={"score": {"scaled": 0.8}}),
        stmt(2, "failed", "2", result={"success": False}, timestamp="2024-03-01T11:00:00+02:00"),
        stmt(3, "answered", result={"score": {"raw": 7, "min": 0, "max": 10}},
             actor={"account": {"homePage": "http://lms.example.org", "name": "u7"}}),
        stmt(4, "launched"),  # session verb: no evidence
        stmt(5, "passed", "9", result={"success": True}),  # unaligned: skipped
        stmt(6, "passed", "2", result={"success": True},
             actor={"mbox_sha1sum": "ebd31e95054c018b10727ccffd2ef2ec3a016ee9"}),
        stmt(7, "experienced", result={"completion": True}),  # completion only: none by default
    ]
    skipped = []
    df = mm.io.read_xapi(statements, alignment=ALIGN, scale=four, skipped=skipped)
    got = [(r.learner, r.competency, r.time.timestamp(), r.score, r.kind, r.source, r.statement)
           for r in df.itertuples()]
    assert got == oracle(statements, ALIGN, four)
    assert [i for i, _ in skipped] == [3, 4, 6]
    assert df["timestamp"][1] == "2024-03-01T11:00:00+02:00"
    assert str(df["time"][1]) == "2024-03-01 09:00:00+00:00"  # converted to UTC
    assert list(df.columns[:7]) == ["learner", "competency", "time", "score", "kind", "weight",
                                    "source"]


def test_every_source_form_gives_the_same_frame(tmp_path):
    statements = [stmt(1, result={"score": {"scaled": 0.5}}),
                  stmt(2, activity="2", result={"score": {"scaled": 0.9}})]
    lines = "\n".join(json.dumps(s) for s in statements) + "\n"
    (tmp_path / "s.jsonl").write_text(lines)
    (tmp_path / "s.json").write_text(json.dumps(statements, indent=2))
    import gzip
    (tmp_path / "s.jsonl.gz").write_bytes(gzip.compress(lines.encode()))
    frames = [mm.io.read_xapi(src, alignment=ALIGN) for src in (
        statements, lines, lines.encode(), json.dumps(statements), tmp_path / "s.jsonl",
        str(tmp_path / "s.json"), tmp_path / "s.jsonl.gz", gzip.compress(lines.encode()),
        "\ufeff" + lines)]
    for f in frames[1:]:
        assert f.drop(columns="statement").equals(frames[0].drop(columns="statement"))
    one = mm.io.read_xapi(json.dumps(statements[0], indent=2), alignment=ALIGN)
    assert list(one["score"]) == [0.5]  # no scale: the fraction is the score
    assert len(mm.io.read_xapi("", alignment=ALIGN)) == 0
    with pytest.raises(mm.MissingFileError):
        mm.io.read_xapi(tmp_path / "absent.jsonl")


def test_large_json_lines_on_several_threads_give_the_one_thread_frame():
    """JSON lines of 8 MB or more are read in parts on several threads: the frame (codes in
    first-use order, statement indices, skipped) is the one-thread frame and the oracle's;
    a bad statement in the last part is reported with its index and line as one thread does."""
    four = mm.Scale.four_point()
    pad = {"definition": {"name": {"en-US": "x" * 400}}}
    statements = []
    for i in range(14_000):
        verb = ("passed", "failed", "answered", "launched")[i % 4]
        statements.append(stmt(
            i, verb, str(1 + i % 3), result={"score": {"scaled": (i % 10) / 10}},
            actor={"mbox": f"mailto:l{i * 7 % 300}@example.org"},
            object={"id": ACT + str(1 + i % 3), **pad}))
    lines = "".join(json.dumps(s) + "\n" for s in statements)
    assert len(lines) > 8 << 20
    skipped_one, skipped_two = [], []
    one = mm.io.read_xapi(lines, alignment=ALIGN, scale=four, threads=1, skipped=skipped_one)
    two = mm.io.read_xapi(lines, alignment=ALIGN, scale=four, threads=2, skipped=skipped_two)
    assert one.equals(two)
    assert skipped_one == skipped_two
    for column in ("learner", "competency", "kind", "verb", "activity"):
        assert list(one[column].cat.categories) == list(two[column].cat.categories)
    got = [(r.learner, r.competency, r.time.timestamp(), r.score, r.kind, r.source, r.statement)
           for r in two.itertuples()]
    assert got == oracle(statements, ALIGN, four)
    bad = lines[:-200] + lines[-200:].replace('"scaled": 0.', '"scaled": 1.', 1)
    errors = []
    for threads in (1, 2):
        with pytest.raises(mm.EvidenceError) as e:
            mm.io.read_xapi(bad, alignment=ALIGN, scale=four, threads=threads)
        errors.append((str(e.value), e.value.rows, e.value.lines))
    assert errors[0] == errors[1]
    assert errors[0][1] == [13_999] and errors[0][2] == [14_000]


def test_case_uri_aligns_activities():
    b = mm.FrameworkBuilder()
    b.add_competency("A", metadata={"case:uri": ACT + "1"})
    fw = b.build()
    df = mm.io.read_xapi([stmt(1, result={"score": {"scaled": 0.7}})], fw)
    assert list(df["competency"]) == ["A"]
    with pytest.raises(mm.EvidenceError) as e:  # aligned to a competency the framework lacks
        mm.io.read_xapi([stmt(1, activity="2", result={"success": True})], fw, alignment=ALIGN)
    assert "not in the framework" in str(e.value)


def test_batches_are_all_or_nothing_and_name_every_bad_statement():
    statements = [stmt(1, result={"score": {"scaled": 0.5}}),
                  stmt(2, result={"score": {"scaled": -0.5}}),
                  stmt(3, actor={"mbox": "ann@example.org"}),
                  stmt(4, result={"score": {"raw": 5}}),
                  stmt(5, timestamp="2024-03-01T09:00:00-00:00")]
    with pytest.raises(mm.EvidenceError) as e:
        mm.io.read_xapi(statements, alignment=ALIGN)
    assert list(e.value.rows) == [1, 2, 3, 4]
    text = str(e.value)
    assert "statement 1: /result/score/scaled: negative scaled score" in text
    assert "statement 2: /actor/mbox" in text
    assert "statement 3: /result/score/raw" in text
    assert "statement 4: /timestamp" in text
    # a negative scaled score mapped instead
    ok = mm.io.read_xapi(statements[:2], alignment=ALIGN, negative="zero")
    assert list(ok["score"]) == [0.5, 0.0]
    ok = mm.io.read_xapi(statements[:2], alignment=ALIGN, negative="rescale")
    assert list(ok["score"]) == [0.75, 0.25]
    # JSON lines: the lines too
    lines = "\n\n".join(json.dumps(s) for s in statements[:3])
    with pytest.raises(mm.EvidenceError) as e:
        mm.io.read_xapi(lines, alignment=ALIGN)
    assert list(e.value.lines) == [3, 5]
    # ... and in the message: "statement i (line n): ..."
    assert "statement 1 (line 3): /result/score/scaled: negative scaled score" in str(e.value)
    assert "statement 2 (line 5): /actor/mbox" in str(e.value)


def test_malformed_json_names_line_and_column():
    with pytest.raises(mm.ParseError) as e:
        mm.io.read_xapi(json.dumps(stmt(1)) + '\n{"id": ]\n', alignment=ALIGN)
    assert e.value.line == 2 and e.value.column > 0
    # one "xAPI statements: " prefix, the line counted in the input
    assert re.match(r"xAPI statements: syntax error at line 2, column \d+: ", str(e.value))
    assert "xAPI statements: xAPI" not in str(e.value)


def test_success_only_and_configured_values():
    s = [stmt(1, result={"success": True}), stmt(2, "failed", result={"success": False})]
    df = mm.io.read_xapi(s, alignment=ALIGN, scale=mm.Policy(mm.Scale.four_point()))
    assert list(df["score"]) == [3.0, 2.0]  # mastery (Proficient), the rating below
    df = mm.io.read_xapi(s, alignment=ALIGN, success_score=4, failure_score=1)
    assert list(df["score"]) == [4.0, 1.0]
    df = mm.io.read_xapi([stmt(3, "completed", result={"completion": True})], alignment=ALIGN,
                         completion_score=0.9, verb_kinds={ADL + "completed": "teacher_check"})
    assert list(df["score"]) == [0.9] and list(df["kind"]) == ["teacher_check"]


def test_learner_rule_and_overrides():
    s = [stmt(1, result={"success": True},
              actor={"account": {"homePage": "http://lms.example.org", "name": "u7"}}),
         stmt(2, result={"success": True}, actor={"openid": "http://id.example.org/ann"})]
    assert list(mm.io.read_xapi(s, alignment=ALIGN, learner="value")["learner"]) == [
        "u7", "http://id.example.org/ann"]
    df = mm.io.read_xapi(s, alignment=ALIGN, learners={"openid:http://id.example.org/ann": "ann"})
    assert list(df["learner"]) == ["account:http://lms.example.org|u7", "ann"]


def test_the_frame_is_evidence_the_library_takes():
    fw = mm.FrameworkBuilder().add_competency("A").add_competency("B").build()
    policy = mm.Policy(mm.Scale.four_point())
    df = mm.io.read_xapi([stmt(1, result={"score": {"scaled": 0.95}}),
                          stmt(2, activity="2", result={"success": False})],
                         fw, alignment=ALIGN, scale=policy)
    log = mm.EvidenceLog()
    log.extend(df, framework=fw, policy=policy)
    assert len(log) == 2
    roster = mm.Roster(fw, policy)
    roster.ingest(df)
    explained = roster.learner("mbox:mailto:ann@example.org").explain("A")
    assert explained.evidence[0]["source"] == "00000000-0000-4000-8000-000000000001"


def test_spec_examples_ingest_with_their_rows(shared_data):
    folder = shared_data / "interop" / "xapi" / "spec-examples"
    if not folder.is_dir():
        pytest.skip(f"{folder} is absent")
    expected = {  # file: (learner, competency, UTC time, score, kind) or the skip reason
        "xAPI-About_L594.json": ("account:http://example.adlnet.gov|1625378", "C",
                                 "2012-06-01 19:09:13.245000+00:00", 2.0, "summative"),
        "xAPI-Data_L2152.json": ("mbox:mailto:example.learner@adlnet.gov", "C",
                                 "2015-12-18 12:17:00+00:00", 4.0, "formative"),
        "xAPI-Data_L1144.json": "the object is a StatementRef, not an Activity",
        "xAPI-Data_L1190.json": "the object is a SubStatement, not an Activity",
        # (these two have verbs outside the table: with default_kind None they would be skipped
        # for the verb; they are read with the default kind to reach the object rule)
        "xAPI-Data_L2190.json": "verb http://adlnet.gov/expapi/verbs/attended creates no "
                                "rating evidence",
        "xAPI-Data_L2711.json": "no score or success in the result",
        "xAPI-Data_L2826.json": "no score or success in the result",
        "xAPI-Data_L358.json": "verb http://adlnet.gov/expapi/verbs/created creates no "
                               "rating evidence",
        "xAPI-Data_L285.json": "voids e05aa883-acaf-40ad-bf54-02c8ce485fb0",
    }
    for name, want in expected.items():
        s = json.loads((folder / name).read_text(encoding="utf-8"))
        align = {s["object"]["id"]: "C"} if "id" in s["object"] else {}
        skipped = []
        df = mm.io.read_xapi(folder / name, alignment=align, scale=mm.Scale.four_point(),
                             default_kind="formative" if name in ("xAPI-Data_L1144.json",
                                                                  "xAPI-Data_L1190.json")
                             else None, skipped=skipped)
        if isinstance(want, tuple):
            assert len(df) == 1, name
            r = df.iloc[0]
            assert (r.learner, r.competency, str(r.time), r.score, r.kind) == want, name
            assert r.source == s["id"] and r.timestamp == s["timestamp"]
        elif want.startswith("voids "):
            assert len(df) == 0 and df.attrs["voided"] == [want[6:]]
        else:
            assert len(df) == 0 and skipped == [(0, want)], name


def test_voiding_within_a_batch_and_repeated_ids():
    first = stmt(1, result={"score": {"scaled": 0.9}})
    void = stmt(2, "voided", activity="x", timestamp="2024-03-02T00:00:00Z")
    void["object"] = {"objectType": "StatementRef", "id": first["id"]}
    other = stmt(3, activity="2", result={"score": {"scaled": 0.4}})
    skipped = []
    df = mm.io.read_xapi([first, void, other], alignment=ALIGN, skipped=skipped)
    # the voided row stays, flagged (the log keeps it too, retracted), whichever comes first
    assert list(df["source"]) == [first["id"], other["id"]]
    assert list(df["voided"]) == [True, False]
    assert df.attrs["voided"] == [first["id"]]
    assert df.attrs["retractions"] == [(first["id"], void["id"])]
    assert 0 not in [i for i, _ in skipped]  # not skipped: kept, flagged
    before = mm.io.read_xapi([void, first, other], alignment=ALIGN)
    assert list(before["source"]) == [first["id"], other["id"]]
    assert list(before["voided"]) == [True, False]
    skipped = []
    # the same statement twice: counted once; another content under the same id: an error
    df = mm.io.read_xapi([first, other, first], alignment=ALIGN, skipped=skipped)
    assert len(df) == 2
    changed = dict(first, result={"score": {"scaled": 0.1}})
    with pytest.raises(mm.EvidenceError) as e:
        mm.io.read_xapi([first, changed], alignment=ALIGN)
    assert list(e.value.rows) == [1] and "already used by statement 0" in str(e.value)


def test_voids_without_ids_list_each_target_once_and_every_retraction():
    """Try-out finding: each voiding statement adds its target, and one without an id cannot be
    told from its repeat, so attrs["voided"] listed a target twice. Now each target once, each
    distinct (target, voiding id) pair once, in batch order; the voids still all apply."""
    first = stmt(1, result={"score": {"scaled": 0.9}})
    second = stmt(3, activity="2", result={"score": {"scaled": 0.4}})
    anon = stmt(2, "voided", activity="x", timestamp="2024-03-02T00:00:00Z")
    anon["object"] = {"objectType": "StatementRef", "id": first["id"]}
    del anon["id"]
    named = [_voiding(n, first) for n in (4, 5)]        # two statements void the same target
    other = _voiding(6, second)
    batch = [first, anon, second, dict(anon), named[0], other, named[1], dict(anon)]
    df = mm.io.read_xapi(batch, alignment=ALIGN)
    # oracle: the targets and pairs of the voiding statements, first appearance kept
    voids = [(v["object"]["id"], v.get("id", "")) for v in batch
             if v["verb"]["id"] == ADL + "voided"]
    assert len(voids) == 6
    targets, pairs = [], []
    for target, by in voids:
        if target not in targets:
            targets.append(target)
        if (target, by) not in pairs:
            pairs.append((target, by))
    assert df.attrs["voided"] == targets == [first["id"], second["id"]]
    assert df.attrs["retractions"] == pairs == [
        (first["id"], ""), (first["id"], named[0]["id"]), (second["id"], other["id"]),
        (first["id"], named[1]["id"])]
    assert list(df["voided"]) == [True, True]
    # ingested, both rows are voided; the log keeps one retraction per target, the first
    log = mm.EvidenceLog()
    log.append_statements(df)
    assert [log.row_retracted(i) for i in range(len(log))] == [True, True]
    assert log.retractions == [next(p for p in pairs if p[0] == t) for t in targets]


def test_a_group_actor_is_skipped():
    g = stmt(1, result={"success": True},
             actor={"objectType": "Group", "member": [{"mbox": "mailto:a@example.org"}]})
    skipped = []
    assert len(mm.io.read_xapi([g], alignment=ALIGN, skipped=skipped)) == 0
    assert skipped == [(0, "the actor is a Group, not one learner")]


# --- voiding and idempotence across batches ------------------------------------------------------

def _voiding(n, target, timestamp="2024-03-05T00:00:00Z"):
    v = stmt(n, "voided", activity="x", timestamp=timestamp,
             actor={"mbox": "mailto:admin@example.org"})
    v["object"] = {"objectType": "StatementRef", "id": target["id"]}
    return v


def _fw_policy(method=None):
    fw = mm.FrameworkBuilder().add_competency("A").add_competency("B").build()
    rule = mm.Rule(method=method or mm.Method.mean())
    return fw, mm.Policy(mm.Scale.four_point(), rule)


ANN = "mbox:mailto:ann@example.org"


def _scored(n, scaled, day, activity="1", who="ann"):
    return stmt(n, activity=activity, result={"score": {"scaled": scaled}},
                timestamp=f"2024-03-{day:02d}T09:00:00Z",
                actor={"mbox": f"mailto:{who}@example.org"})


def _without_voided(roster):
    """The oracle's log: the roster's rows that are not retracted, in a fresh log."""
    log = roster.log
    df = log.to_dataframe()
    keep = [not log.row_retracted(i) for i in range(len(log))]
    fresh = mm.EvidenceLog()
    fresh.extend(df[keep].reset_index(drop=True))
    return fresh


def _assert_oracle(roster):
    """Every rating of the roster equals the engine's on the log without the voided rows."""
    fresh = _without_voided(roster)
    engine = mm.Engine(roster.framework, roster.policy)
    for learner in roster.learners:
        got = roster.learner(learner)
        if learner in fresh.learners:
            want = engine.evaluate(fresh, learner, as_of=roster.as_of)
            assert list(got.statuses()) == list(want.statuses())
            for c in ("A", "B"):
                assert got.score(c) == want.score(c)
        else:
            assert set(str(s) for s in got.statuses()) == {str(mm.Status.not_started)} \
                if hasattr(mm, "Status") else True


def test_void_in_a_later_batch_retracts_the_evidence_and_explain_lists_it():
    fw, policy = _fw_policy()
    a, b = _scored(1, 0.95, 1), _scored(2, 0.2, 2)
    roster = mm.Roster(fw, policy)
    s = roster.ingest(mm.io.read_xapi([a, b], fw, alignment=ALIGN, scale=policy))
    assert s["rows"] == 2 and s["duplicates"] == 0
    before = roster.learner(ANN).score("A")
    batch2 = mm.io.read_xapi([_voiding(3, a)], fw, alignment=ALIGN, scale=policy)
    assert batch2.attrs["retractions"] == [(a["id"], _voiding(3, a)["id"])]
    s = roster.ingest(batch2)
    assert s == {"rows": 0, "duplicates": 0, "retracted": 1, "rows_voided": 1}
    assert len(roster.log) == 2 and roster.log.row_retracted(0)
    assert roster.log.retractions == [(a["id"], _voiding(3, a)["id"])]
    after = roster.learner(ANN).score("A")
    assert after != before and after == roster.learner(ANN).explain("A").value
    ex = roster.learner(ANN).explain("A")
    voided = [e for e in ex.evidence if e["source"] == a["id"]]
    assert len(voided) == 1 and not voided[0]["used"]
    assert voided[0]["reason"] == f"voided by statement '{_voiding(3, a)['id']}'"
    assert "voided by statement" in ex.text
    _assert_oracle(roster)


def test_void_before_its_target_arrives_and_double_void():
    fw, policy = _fw_policy()
    a, b = _scored(1, 0.95, 1), _scored(2, 0.5, 2)
    roster = mm.Roster(fw, policy)
    s = roster.ingest(mm.io.read_xapi([_voiding(3, a), b], fw, alignment=ALIGN, scale=policy))
    assert s["retracted"] == 1 and s["rows_voided"] == 0
    roster.ingest(mm.io.read_xapi([a], fw, alignment=ALIGN, scale=policy))
    assert roster.log.row_retracted(1)  # voided on arrival
    _assert_oracle(roster)
    # the same voiding statement again, and another void of the same target: nothing changes
    snapshot = roster.to_bytes() if hasattr(roster, "to_bytes") else None
    s = roster.ingest(mm.io.read_xapi([_voiding(3, a)], fw, alignment=ALIGN, scale=policy))
    assert s["retracted"] == 0
    s = roster.ingest(mm.io.read_xapi([_voiding(4, a)], fw, alignment=ALIGN, scale=policy))
    assert s["retracted"] == 0
    assert roster.log.retractions == [(a["id"], _voiding(3, a)["id"])]
    if snapshot is not None:
        assert roster.to_bytes() == snapshot


def test_voiding_a_voiding_statement_is_rejected_by_the_validator():
    a = _scored(1, 0.9, 1)
    v = _voiding(2, a)
    vv = _voiding(3, v)
    # xAPI (Data 2.3.2): a voiding statement cannot be voided. Within one batch the reader sees
    # the target is a voiding statement; across batches the log knows its voiding statements.
    with pytest.raises(mm.EvidenceError) as e:
        mm.io.read_xapi([a, v, vv], alignment=ALIGN)
    assert list(e.value.rows) == [2] and "itself a voiding statement" in str(e.value)
    fw, policy = _fw_policy()
    roster = mm.Roster(fw, policy)
    roster.ingest(mm.io.read_xapi([a, v], fw, alignment=ALIGN, scale=policy))
    state = roster.to_bytes()
    with pytest.raises(mm.EvidenceError) as e:
        roster.ingest(mm.io.read_xapi([vv], fw, alignment=ALIGN, scale=policy))
    assert "itself a voiding statement" in str(e.value)
    assert roster.to_bytes() == state


def test_same_statement_across_batches_same_content_and_different_content():
    fw, policy = _fw_policy()
    a, b = _scored(1, 0.95, 1), _scored(2, 0.2, 2, activity="2")
    roster = mm.Roster(fw, policy)
    roster.ingest(mm.io.read_xapi([a, b], fw, alignment=ALIGN, scale=policy))
    state = roster.to_bytes()
    s = roster.ingest(mm.io.read_xapi([a, b], fw, alignment=ALIGN, scale=policy))
    assert s["rows"] == 0 and s["duplicates"] == 2
    assert roster.to_bytes() == state
    changed = dict(a, result={"score": {"scaled": 0.1}})
    c = _scored(5, 0.5, 3)
    with pytest.raises(mm.EvidenceError) as e:
        roster.ingest(mm.io.read_xapi([c, changed], fw, alignment=ALIGN, scale=policy))
    assert list(e.value.rows) == [1]
    msg = str(e.value)
    assert a["id"] in msg and "ingested before with other content: score" in msg
    assert roster.to_bytes() == state  # nothing changed, c included
    # the same on an EvidenceLog
    log = mm.EvidenceLog()
    log.extend(mm.io.read_xapi([a, b], fw, alignment=ALIGN, scale=policy))
    log.extend(mm.io.read_xapi([a], fw, alignment=ALIGN, scale=policy))
    assert len(log) == 2
    with pytest.raises(mm.EvidenceError):
        log.append_statements(mm.io.read_xapi([changed], fw, alignment=ALIGN, scale=policy))
    assert len(log) == 2
    # plain extend of a frame without xAPI attrs keeps every row (a source may be an assessor)
    plain = mm.EvidenceLog()
    frame = mm.io.read_xapi([a], fw, alignment=ALIGN, scale=policy)
    frame.attrs.clear()
    with pytest.warns(UserWarning, match=r"taken as plain evidence, every row kept"):
        plain.extend(frame)
    with pytest.warns(UserWarning, match=r"EvidenceLog.extend\(\): this frame has read_xapi"):
        plain.extend(frame)
    assert len(plain) == 2


def test_snapshot_and_pickle_keep_retractions():
    import pickle
    fw, policy = _fw_policy()
    a, b = _scored(1, 0.95, 1), _scored(2, 0.5, 2)
    roster = mm.Roster(fw, policy)
    roster.ingest(mm.io.read_xapi([_voiding(7, b), a], fw, alignment=ALIGN, scale=policy))
    roster.ingest(mm.io.read_xapi([b, _voiding(8, a)], fw, alignment=ALIGN, scale=policy))
    back = pickle.loads(pickle.dumps(roster))
    assert back.log.retractions == roster.log.retractions
    assert back.log == roster.log
    assert back.learner(ANN).explain("A").evidence == roster.learner(ANN).explain("A").evidence
    log = pickle.loads(pickle.dumps(roster.log))
    assert log == roster.log and log.retractions == roster.log.retractions
    assert [log.row_retracted(i) for i in range(len(log))] == [True, True]
    # and the unpickled roster honours a later re-send of a voided statement
    s = back.ingest(mm.io.read_xapi([a], fw, alignment=ALIGN, scale=policy))
    assert s["duplicates"] == 1


@pytest.mark.parametrize("method", [mm.Method.mean(), mm.Method.decaying_average(0.65),
                                    mm.Method.latest()])
def test_ratings_after_voiding_equal_ratings_without_the_voided_rows(method):
    import random
    rnd = random.Random(5)
    fw, policy = _fw_policy(method)
    roster = mm.Roster(fw, policy)
    sent = []
    for batch_no in range(8):
        batch = []
        for k in range(25):
            n = batch_no * 100 + k + 1
            s = _scored(n, rnd.choice([0.1, 0.4, 0.6, 0.8, 1.0]), rnd.randint(1, 28),
                        activity=rnd.choice(["1", "2"]), who=rnd.choice(["ann", "bob", "cy"]))
            batch.append(s)
        if sent:
            batch.append(rnd.choice(sent))  # a re-send
            for k in range(3):              # voids of earlier statements
                batch.append(_voiding(batch_no * 100 + 50 + k, rnd.choice(sent)))
        # a void of a statement that comes in a later batch
        future = batch_no * 100 + 101
        batch.append(_voiding(batch_no * 100 + 60, {"id": f"00000000-0000-4000-8000-{future:012d}"}))
        sent.extend(batch[:25])
        roster.ingest(mm.io.read_xapi(batch, fw, alignment=ALIGN, scale=policy))
        _assert_oracle(roster)
    # the bulk ratings of the roster's log agree too
    engine = mm.Engine(fw, policy)
    got = engine.ratings(roster.log, as_of=roster.as_of)
    want = engine.ratings(_without_voided(roster), as_of=roster.as_of)
    key = ["learner", "competency"]
    got = got.sort_values(key).reset_index(drop=True)
    want = want.sort_values(key).reset_index(drop=True)
    assert list(got["status"]) == list(want["status"])
    assert list(got["score"].fillna(-1)) == list(want["score"].fillna(-1))


# --- the timestamp text, kept for explanations -------------------------------------------------

OFFSET = "2024-03-01T09:30:00.123+02:00"


def test_timestamp_text_is_kept_by_the_log_and_shown_by_explain():
    import datetime
    fw, policy = _fw_policy()
    a = stmt(1, result={"score": {"scaled": 0.9}}, timestamp=OFFSET)
    b = _scored(2, 0.4, 2)
    roster = mm.Roster(fw, policy)
    roster.add(ANN, "A", 2.0, "2024-02-01T00:00:00Z")  # a row without a text
    roster.ingest(mm.io.read_xapi([a, b], fw, alignment=ALIGN, scale=policy))
    log = roster.log
    assert [log.timestamp_text(i) for i in range(len(log))] == ["", OFFSET,
                                                                "2024-03-02T09:00:00Z"]
    # oracle: the text's instant in UTC (Python's own RFC 3339 reading)
    utc = datetime.datetime.fromisoformat(OFFSET).timestamp()
    assert log.to_dataframe()["time"][1].timestamp() == pytest.approx(utc)
    with pytest.raises(IndexError):
        log.timestamp_text(3)
    ex = roster.learner(ANN).explain("A")
    texts = {e["row"]: e["timestamp"] for e in ex.evidence}
    assert texts == {0: "", 1: OFFSET, 2: "2024-03-02T09:00:00Z"}
    # the text's line shows the UTC time and, next to it, the text as written
    line = next(x for x in ex.text.splitlines() if "(row 1)" in x)
    assert "2024-03-01T07:30:00.123" in line and f"[{OFFSET}]" in line
    line0 = next(x for x in ex.text.splitlines() if "(row 0)" in x)
    assert "[" not in line0
    # the engine's explain on the log says the same
    engine = mm.Engine(fw, policy)
    assert engine.evaluate(log, ANN).explain("A").evidence == ex.evidence
    # an EvidenceLog takes it too (extend / append_statements)
    plain = mm.EvidenceLog()
    plain.extend(mm.io.read_xapi([a], fw, alignment=ALIGN, scale=policy))
    assert plain.timestamp_text(0) == OFFSET


def test_timestamp_text_survives_snapshot_pickle_and_copy(tmp_path):
    import copy
    import pickle
    fw, policy = _fw_policy()
    a = stmt(1, result={"score": {"scaled": 0.9}}, timestamp=OFFSET)
    roster = mm.Roster(fw, policy)
    roster.ingest(mm.io.read_xapi([a, _scored(2, 0.5, 2)], fw, alignment=ALIGN, scale=policy))
    roster.ingest(mm.io.read_xapi([_voiding(3, a)], fw, alignment=ALIGN, scale=policy))
    want = [roster.log.timestamp_text(i) for i in range(len(roster.log))]
    assert want == [OFFSET, "2024-03-02T09:00:00Z"]
    explained = roster.learner(ANN).explain("A").evidence
    path = tmp_path / "r.mmr"
    roster.save(path)
    for back in (mm.Roster.load(path), mm.Roster.from_bytes(roster.to_bytes()),
                 pickle.loads(pickle.dumps(roster)), copy.deepcopy(roster)):
        assert [back.log.timestamp_text(i) for i in range(len(back.log))] == want
        assert back.log == roster.log
        assert back.learner(ANN).explain("A").evidence == explained
        assert back.to_bytes() == roster.to_bytes()
    log = pickle.loads(pickle.dumps(roster.log))
    assert log == roster.log and log.timestamp_text(0) == OFFSET
    # explanations pickle with the text
    ex = roster.learner(ANN).explain("A")
    assert pickle.loads(pickle.dumps(ex)) == ex
    # a log that differs only in a text is another log
    other = mm.EvidenceLog()
    other.extend(mm.io.read_xapi([dict(a, timestamp="2024-03-01T07:30:00.123Z")], fw,
                                 alignment=ALIGN, scale=policy))
    same = mm.EvidenceLog()
    same.extend(mm.io.read_xapi([a], fw, alignment=ALIGN, scale=policy))
    assert list(other.to_dataframe()["time"]) == list(same.to_dataframe()["time"])
    assert other != same


def test_a_roster_without_texts_writes_version_6_and_with_texts_version_7(tmp_path):
    """Version 7 (version 6 + the texts) only when the log has a text; versions 4, 5 (the
    cell-list format of earlier releases) and 6 have no place for them and refuse such a log."""
    import struct
    fw, policy = _fw_policy()
    roster = mm.Roster(fw, policy)
    frame = mm.io.read_xapi([_scored(1, 0.9, 1)], fw, alignment=ALIGN, scale=policy)
    roster.ingest(frame.drop(columns=["timestamp"]))
    assert struct.unpack("<I", bytes(roster.to_bytes()[8:12]))[0] == 6
    roster.save(tmp_path / "old.mmr", version=5)  # no texts: the old format still holds it all
    assert mm.Roster.load(tmp_path / "old.mmr") == roster
    roster.ingest(mm.io.read_xapi([_scored(2, 0.9, 2)], fw, alignment=ALIGN, scale=policy))
    assert struct.unpack("<I", bytes(roster.to_bytes()[8:12]))[0] == 7
    for version in (0, 7):
        roster.save(tmp_path / "new.mmr", version=version)
        assert struct.unpack("<I", (tmp_path / "new.mmr").read_bytes()[8:12])[0] == 7
        back = mm.Roster.load(tmp_path / "new.mmr")
        assert back == roster and back.log.timestamp_text(1) == roster.log.timestamp_text(1)
    earlier = (tmp_path / "old.mmr").read_bytes()
    for version in (4, 5, 6):  # 6 is not silently written as 7
        with pytest.raises(ValueError, match=rf"version {version} cannot keep the statements' "
                                             r"timestamp texts .* save with version 7 or 0"):
            roster.save(tmp_path / "old.mmr", version=version)
        assert (tmp_path / "old.mmr").read_bytes() == earlier  # the earlier file is untouched
    assert mm.Roster.load(tmp_path / "old.mmr") != roster


def _reordered(d):
    """The same JSON value with every object's keys in reverse order."""
    if isinstance(d, dict):
        return {k: _reordered(d[k]) for k in reversed(list(d))}
    if isinstance(d, list):
        return [_reordered(x) for x in d]
    return d


def test_same_id_key_order_and_numbers_within_a_batch():
    a = stmt(1, result={"score": {"scaled": 0.5, "raw": 5, "min": 0, "max": 10}})
    swapped = _reordered(a)
    assert list(swapped) != list(a) and json.dumps(swapped) != json.dumps(a)
    skipped = []
    df = mm.io.read_xapi([a, swapped], alignment=ALIGN, skipped=skipped)
    assert len(df) == 1
    assert [tuple(x) for x in skipped] == [(1, "a repeat of statement 0")]
    # numbers by value: 5 and 5.0, 0.5 and 5e-1
    text = (json.dumps(a) + "\n" +
            json.dumps(swapped).replace('"raw": 5', '"raw": 5.0').replace("0.5", "5e-1") + "\n")
    assert '"raw": 5.0' in text and "5e-1" in text
    assert len(mm.io.read_xapi(text, alignment=ALIGN)) == 1
    # another description within a batch: the same statement (xAPI Data 2.3.1, exception 2:
    # an Activity Definition is not part of the statement); another response: an error
    described = dict(a, object={"id": ACT + "1",
                                "definition": {"description": {"en-US": "A quiz"}}})
    assert len(mm.io.read_xapi([a, described], alignment=ALIGN)) == 1
    answered = dict(a, result=dict(a["result"], response="b"))
    with pytest.raises(mm.EvidenceError) as e:
        mm.io.read_xapi([a, answered], alignment=ALIGN)
    assert list(e.value.rows) == [1]
    assert a["id"] in str(e.value) and "/result/response" in str(e.value)
    # another score: the error names the id and the differing values
    rescored = dict(a, result={"score": {"scaled": 0.6, "raw": 5, "min": 0, "max": 10}})
    with pytest.raises(mm.EvidenceError) as e:
        mm.io.read_xapi([a, rescored], alignment=ALIGN)
    assert "/result/score/scaled: 0.6 vs 0.5" in str(e.value)


def test_same_id_across_batches_is_the_evidence_it_produced():
    fw, policy = _fw_policy()
    a = stmt(1, result={"score": {"scaled": 0.9}}, timestamp=OFFSET)
    roster = mm.Roster(fw, policy)
    roster.ingest(mm.io.read_xapi([a], fw, alignment=ALIGN, scale=policy))
    state = roster.to_bytes()
    # key order swapped: the same evidence, a repeat
    s = roster.ingest(mm.io.read_xapi([_reordered(a)], fw, alignment=ALIGN, scale=policy))
    assert s["rows"] == 0 and s["duplicates"] == 1
    # a description changed: the same evidence; the log keeps no statements, so a repeat
    described = dict(a, object={"id": ACT + "1",
                                "definition": {"description": {"en-US": "A quiz"}}})
    s = roster.ingest(mm.io.read_xapi([described], fw, alignment=ALIGN, scale=policy))
    assert s["duplicates"] == 1
    assert roster.to_bytes() == state
    # a changed score: an error naming the id and the differing value
    changed = dict(a, result={"score": {"scaled": 0.1}})
    new = mm.io.read_xapi([changed], fw, alignment=ALIGN, scale=policy)["score"][0]
    old = mm.io.read_xapi([a], fw, alignment=ALIGN, scale=policy)["score"][0]
    assert new != old
    with pytest.raises(mm.EvidenceError) as e:
        roster.ingest(mm.io.read_xapi([changed], fw, alignment=ALIGN, scale=policy))
    assert (f"statement '{a['id']}' was ingested before with other content: "
            f"score {new:g} (was {old:g})") in str(e.value)
    # the same instant written otherwise: a repeat (xAPI Data 2.3.1, Statement Immutability:
    # a timestamp's serialization is not part of the statement); the first text stays
    rewritten = dict(a, timestamp="2024-03-01T07:30:00.123Z")
    s = roster.ingest(mm.io.read_xapi([rewritten], fw, alignment=ALIGN, scale=policy))
    assert s["rows"] == 0 and s["duplicates"] == 1
    assert roster.to_bytes() == state
    assert list(roster.log.to_dataframe()["timestamp"]) == [OFFSET]


def test_a_statements_frame_that_lost_its_attrs_is_warned_about():
    """pandas drops attrs in pd.concat: a frame with read_xapi()'s columns but without
    attrs['retractions'] goes the plain path (every row kept, no voids, no statement-id
    idempotence), with a warning saying so and what to do; with the voids given it goes in as
    statements."""
    fw, policy = _fw_policy()
    a = stmt(1, result={"score": {"scaled": 0.9}})
    first = mm.io.read_xapi([a], fw, alignment=ALIGN, scale=policy)
    second = mm.io.read_xapi([_scored(2, 0.5, 2), _voiding(3, a)], fw, alignment=ALIGN,
                             scale=policy)
    both = pd.concat([first, second], ignore_index=True)
    assert "retractions" not in both.attrs  # (what pandas does)
    plain = mm.Roster(fw, policy)
    with pytest.warns(UserWarning, match=r"Roster.ingest\(\): .*attrs\['retractions'\].*"
                                         r"without its voids"):
        plain.ingest(both)
    assert len(plain.log) == 2 and plain.log.retractions == []
    roster = mm.Roster(fw, policy)
    voids = first.attrs["retractions"] + second.attrs["retractions"]
    roster.ingest_statements(both, voided=voids)
    assert [x for x, _ in roster.log.retractions] == [a["id"]]
    # frames as they came need nothing
    other = mm.Roster(fw, policy)
    other.ingest(first)
    other.ingest(second)
    assert other.log.retractions == roster.log.retractions


def test_timestamp_text_takes_a_row_index_as_a_sequence_does(tmp_path):
    """Past either end an IndexError naming the size; a bool is no row; the roster refuses a
    bool snapshot version."""
    fw, policy = _fw_policy()
    roster = mm.Roster(fw, policy)
    roster.ingest(mm.io.read_xapi([_scored(1, 0.9, 1)], fw, alignment=ALIGN, scale=policy))
    log = roster.log
    assert log.timestamp_text(np.int64(0)) == log.timestamp_text(0) != ""
    for bad in (1, -1, 2 ** 70):
        with pytest.raises(IndexError, match=r"timestamp_text\(\): row -?\d+ is out of range "
                                             r"\(the log has 1 rows\)"):
            log.timestamp_text(bad)
    with pytest.raises(TypeError, match=r"row must be an int, got bool"):
        log.timestamp_text(True)
    with pytest.raises(TypeError):
        log.timestamp_text("0")
    with pytest.raises(TypeError, match=r"version"):
        roster.save(tmp_path / "r.mmr", version=True)
    assert not (tmp_path / "r.mmr").exists()


# --- timestamp texts are checked, travel in frames, and repeats print what was sent ------------

def _rfc3339_seconds(text):
    """Oracle: Python's own reading of an RFC 3339 text, in UTC seconds."""
    import datetime
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


BAD_FORM = ("is not an RFC 3339 date-time with a time zone (e.g. 2024-03-01T09:30:00Z or "
            "2024-03-01T11:30:00.5+02:00; not the unknown offset -00:00; \"\" for none)")


def _statement_frame():
    fw, policy = _fw_policy()
    frame = mm.io.read_xapi([_scored(1, 0.9, 1), _scored(2, 0.5, 2), _scored(3, 0.3, 3)], fw,
                            alignment=ALIGN, scale=policy)
    return fw, policy, frame


@pytest.mark.parametrize("text,why", [
    ("2024-03-02T09:00:00Z\n", "'2024-03-02T09:00:00Z\\n' " + BAD_FORM),
    ("2024-03-02 09:00:00Z", "'2024-03-02 09:00:00Z' " + BAD_FORM),
    ("2 March 2024", "'2 March 2024' " + BAD_FORM),
    ("2024-03-02T09:00:00-00:00", "'2024-03-02T09:00:00-00:00' " + BAD_FORM),
    ("2024-03-02T10:00:00Z", "'2024-03-02T10:00:00Z' denotes 2024-03-02T10:00:00Z, not the "
                             "row's time 2024-03-02T09:00:00Z (the text must be the same "
                             "instant, to the microsecond)"),
    ("2024-03-02T09:00:00+02:00", "'2024-03-02T09:00:00+02:00' denotes 2024-03-02T07:00:00Z"),
    ("2024-03-02T09:00:00.000001Z", "'2024-03-02T09:00:00.000001Z' denotes "
                                    "2024-03-02T09:00:00.000001Z, not the row's time "
                                    "2024-03-02T09:00:00Z"),
])
def test_a_bad_timestamp_text_is_refused_naming_row_and_text(text, why):
    fw, policy, frame = _statement_frame()
    bad = frame.copy()
    bad.attrs = dict(frame.attrs)
    bad.loc[1, "timestamp"] = text
    roster = mm.Roster(fw, policy)
    roster.ingest(mm.io.read_xapi([_scored(9, 0.4, 9)], fw, alignment=ALIGN, scale=policy))
    state = roster.to_bytes()
    log = mm.EvidenceLog()
    attempts = [
        lambda: roster.ingest(bad),  # the statements path (attrs kept)
        lambda: roster.ingest_statements(bad, voided=[]),
        lambda: log.append_statements(bad, voided=[]),
        lambda: log.extend(bad),
    ]
    plain = bad[["learner", "competency", "time", "score", "kind", "weight", "source",
                 "timestamp"]].copy()
    plain.attrs = {}
    attempts += [lambda: roster.ingest(plain), lambda: log.extend(plain)]  # the plain path
    for attempt in attempts:
        with pytest.raises(mm.EvidenceError) as e:
            attempt()
        assert list(e.value.rows) == [1]
        assert f"row 1: timestamp text {why}" in str(e.value)
        assert e.value.problems[0]["row"] == 1
        assert roster.to_bytes() == state and len(log) == 0


def test_a_leap_second_is_the_next_days_first_instant_on_every_path(tmp_path):
    """Try-out finding: 2016-12-31T23:59:60Z (RFC 3339 allows it; xAPI timestamps are RFC 3339)
    was refused. It denotes 2017-01-01T00:00:00Z, as POSIX time counts it, and is kept as
    written: the xAPI reader, the frame path and the CSV path agree."""
    new_year = 17167 * 86400.0                 # 2017-01-01T00:00:00Z, by hand
    assert dt_utc(2017, 1, 1) == new_year
    leap = "2016-12-31T23:59:60Z"
    df = mm.io.read_xapi([stmt(1, result={"score": {"scaled": 0.9}}, timestamp=leap)],
                         alignment=ALIGN)
    assert df["time"][0].timestamp() == new_year
    assert list(df["timestamp"]) == [leap]
    log = mm.EvidenceLog()
    log.append_statements(df)
    assert log.timestamp_text(0) == leap and log.to_dataframe()["time"][0].timestamp() == new_year
    # the frame path: a text 23:59:60 (any offset) fits a row at the next day's first instant
    written = ["2016-12-31T23:59:60Z", "2016-12-31T15:59:60-08:00", "2016-12-31T23:59:60.5Z"]
    frame = pd.DataFrame({"learner": ["ann"] * 3, "competency": ["A"] * 3,
                          "time": [new_year, new_year, new_year + 0.5], "score": [2.0] * 3,
                          "timestamp": written})
    plain = mm.EvidenceLog()
    plain.extend(frame)
    assert [plain.timestamp_text(i) for i in range(3)] == written
    with pytest.raises(mm.EvidenceError, match="'2016-12-31T12:00:60Z' is not an RFC 3339"):
        mm.EvidenceLog().extend(frame.assign(timestamp=["2016-12-31T12:00:60Z", "", ""]))
    # the CSV path
    path = tmp_path / "leap.csv"
    frame.to_csv(path, index=False)
    assert mm.EvidenceLog.read_csv(path) == plain


def dt_utc(*args):
    import datetime
    return datetime.datetime(*args, tzinfo=datetime.timezone.utc).timestamp()


def test_timestamp_texts_that_agree_are_kept_offsets_included():
    fw, policy, frame = _statement_frame()
    times = [t.timestamp() for t in frame["time"]]
    texts = ["2024-03-01T11:00:00+02:00", "", "2024-03-03T09:00:00.0000004Z"]
    # the oracle agrees that these denote the rows' times (to the microsecond)
    assert _rfc3339_seconds(texts[0]) == times[0]
    assert round(_rfc3339_seconds("2024-03-03T09:00:00Z") * 1e6) == round(times[2] * 1e6)
    ok = frame.copy()
    ok.attrs = dict(frame.attrs)
    ok["timestamp"] = texts
    roster = mm.Roster(fw, policy)
    roster.ingest(ok)
    assert [roster.log.timestamp_text(i) for i in range(3)] == texts
    # a missing value is no text; a value that is no text is a TypeError naming its row
    log = mm.EvidenceLog()
    log.extend(ok.assign(timestamp=[texts[0], None, np.nan]))
    assert [log.timestamp_text(i) for i in range(3)] == [texts[0], "", ""]
    with pytest.raises(TypeError, match=r"timestamp: row 1: expected the time as written .* got "
                                        r"int 5"):
        mm.EvidenceLog().extend(ok.assign(timestamp=[texts[0], 5, ""]))
    # a list of records carries them too, on both paths
    recs = [{"learner": "ann", "competency": "A", "time": 1709285400.0, "score": 2.0,
             "source": "r1", "timestamp": "2024-03-01T11:30:00+02:00"},
            {"learner": "ann", "competency": "A", "time": 1709285401.0, "score": 2.0,
             "source": "r2"}]
    for how in ("extend", "append_statements"):
        rec_log = mm.EvidenceLog()
        getattr(rec_log, how)(recs)
        assert [rec_log.timestamp_text(i) for i in range(2)] == [recs[0]["timestamp"], ""]


def test_to_dataframe_carries_the_texts_and_plain_ingest_takes_them():
    fw, policy, frame = _statement_frame()
    roster = mm.Roster(fw, policy)
    roster.add(ANN, "A", 2.0, "2024-02-01T00:00:00Z")  # a row without a text
    roster.ingest(frame)
    log = roster.log
    df = log.to_dataframe()
    assert list(df.columns) == ["learner", "competency", "time", "score", "kind", "weight",
                                "source", "timestamp"]
    assert list(df["timestamp"]) == [log.timestamp_text(i) for i in range(len(log))]
    assert list(df["timestamp"]) == [""] + list(frame["timestamp"])
    # the texts denote the frame's times (oracle: Python's RFC 3339 reading)
    for t, text in zip(df["time"][1:], df["timestamp"][1:]):
        assert t.timestamp() == _rfc3339_seconds(text)
    # a log without texts: the seven columns, as before
    plain = mm.EvidenceLog()
    plain.extend(df.drop(columns=["timestamp"]))
    assert list(plain.to_dataframe().columns) == list(df.columns[:7])
    # the frame goes back in with its texts, by extend and by Roster.ingest
    again = mm.EvidenceLog()
    again.extend(df)
    assert again == log
    other = mm.Roster(fw, policy)
    other.ingest(df)
    assert other.log == log
    # read_xapi()'s frame without its attrs: warned about (no voids, no idempotence), its texts
    # kept
    lost = frame.copy()
    lost.attrs = {}
    with pytest.warns(UserWarning, match=r"taken as plain evidence"):
        third = mm.Roster(fw, policy)
        third.ingest(lost)
    assert [third.log.timestamp_text(i) for i in range(3)] == list(frame["timestamp"])
    # a "timestamp" column of datetimes is no texts: used as the time when mapped, else ignored
    times = df.drop(columns=["timestamp"]).rename(columns={"time": "timestamp"})
    mapped = mm.EvidenceLog()
    mapped.extend(times, columns={"time": "timestamp"})
    assert list(mapped.to_dataframe()["time"]) == list(df["time"])
    both = df.assign(timestamp=df["time"])
    ignored = mm.EvidenceLog()
    ignored.extend(both)
    assert "timestamp" not in ignored.to_dataframe().columns


def test_a_repeat_with_other_content_prints_the_scores_as_sent():
    """Across batches the log compares stored (float32) evidence; the message prints each
    score as its shortest float32 text (0.6, not 0.6000000238418579) and the value as sent
    when that reads otherwise."""
    rows = {"learner": ["ann"], "competency": ["A"], "time": [1709285400.0], "source": ["s1"],
            "timestamp": ["2024-03-01T09:30:00Z"]}
    log = mm.EvidenceLog()
    log.append_statements({**rows, "score": [0.6]}, voided=[])
    with pytest.raises(mm.EvidenceError) as e:
        log.append_statements({**rows, "score": [0.8]}, voided=[])
    msg = str(e.value)
    assert ("row 0: statement 's1' was ingested before with other content: score 0.8 (was 0.6)"
            in msg)
    assert "0.6000000238418579" not in msg and "0.800000011920929" not in msg
    with pytest.raises(mm.EvidenceError) as e:
        log.append_statements({**rows, "score": [0.8000000001]}, voided=[])
    assert "score 0.8, sent as 0.8000000001 (was 0.6)" in str(e.value)
    # xAPI: scaled 0.1 against 0.9 on the four-point scale; the oracle: float32 shortest texts
    fw, policy = _fw_policy()
    a = _scored(1, 0.9, 1)
    roster = mm.Roster(fw, policy)
    roster.ingest(mm.io.read_xapi([a], fw, alignment=ALIGN, scale=policy))
    changed = dict(a, result={"score": {"scaled": 0.1}})
    new = float(mm.io.read_xapi([changed], fw, alignment=ALIGN, scale=policy)["score"][0])
    old = float(mm.io.read_xapi([a], fw, alignment=ALIGN, scale=policy)["score"][0])
    with pytest.raises(mm.EvidenceError) as e:
        roster.ingest(mm.io.read_xapi([changed], fw, alignment=ALIGN, scale=policy))
    def shortest(x):  # numpy's shortest float32 text, an integer without ".0" (fmt's form)
        text = str(np.float32(x))
        return text[:-2] if text.endswith(".0") else text

    want_new, want_old = shortest(new), shortest(old)
    sent = "" if float(np.float32(new)) == new else f", sent as {new!r}"
    assert f"score {want_new}{sent} (was {want_old})" in str(e.value)


def _plain(frame):
    """The frame without its attrs, as pd.concat leaves it."""
    out = frame.copy()
    out.attrs = {}
    return mm.EvidenceLog().extend(out)


def test_a_logs_frame_goes_back_with_its_retractions():
    # A voided row comes back voided through to_dataframe() -> extend / Roster.ingest (the
    # retractions ride in attrs["log_retractions"]); ratings equal the original log's.
    import masterymap.testing as mmt
    fw, pol = mmt.diamond(), mmt.policy()  # the latest score decides
    a = list(fw)[0]
    log = mm.EvidenceLog()
    log.extend(pd.DataFrame({"learner": ["ana"] * 3, "competency": [a] * 3,
                             "score": [4.0, 4.0, 1.0], "time": [1.7e9, 1.7e9 + 60, 1.7e9 + 120],
                             "source": ["s1", "s2", "s3"]}))
    assert log.retract("s3", "void1")
    frame = log.to_dataframe()
    assert frame.attrs["log_retractions"] == [("s3", "void1")]
    back = mm.EvidenceLog().extend(frame)
    assert back == log and back.retractions == [("s3", "void1")]
    want = mm.ratings(fw, pol, log)
    pd.testing.assert_frame_equal(mm.ratings(fw, pol, back), want)
    r = mm.Roster(fw, pol)
    r.ingest(frame)
    assert r.log.retractions == [("s3", "void1")]
    assert str(r.learner("ana").status(a)) .endswith(str(want["status"].iloc[0]))
    assert str(want["status"].iloc[0]) != str(mm.ratings(fw, pol, _plain(frame))["status"].iloc[0])
    # a log without retractions: no attrs entry; a slice keeps the attrs (pandas carries them),
    # so its missing source is retracted as pending, as EvidenceLog.retract does
    assert "log_retractions" not in _plain(frame).to_dataframe().attrs
    part = mm.EvidenceLog().extend(frame.iloc[:2])
    assert part.pending_retractions == [("s3", "void1")]


def test_a_file_truncated_while_it_is_read_is_an_error_not_a_crash(tmp_path):
    """A large file is read in parts with pread, never mapped: truncated meanwhile (log
    rotation by copytruncate), the reading ends with FileError ("the file changed while it was
    read") or, when it finished first, with the whole frame (truncated before it began: the
    line cut off is a ParseError); the process never dies (a mapped file truncated under its
    reader raises SIGBUS), and no partial frame comes back."""
    import subprocess
    import sys
    import textwrap
    script = textwrap.dedent("""
        import json, os, sys, threading, time
        import masterymap as mm
        path, delay = sys.argv[1], float(sys.argv[2])
        line = json.dumps({"id": "00000000-0000-4000-8000-%012d",
                           "actor": {"mbox": "mailto:a@example.org"},
                           "verb": {"id": "http://adlnet.gov/expapi/verbs/passed"},
                           "object": {"id": "http://example.org/act/1",
                                      "definition": {"name": {"en-US": "x" * 300}}},
                           "result": {"score": {"scaled": 0.5}},
                           "timestamp": "2024-03-01T00:00:00Z"})
        with open(path, "w") as f:
            for i in range(40_000):
                f.write(line.replace("%012d", "%012d" % i) + "\\n")
        threading.Timer(delay, lambda: os.truncate(path, 1000)).start()
        try:
            df = mm.io.read_xapi(path, alignment={"http://example.org/act/1": "A"})
            print("whole" if len(df) == 40_000 else "partial")
        except mm.FileError as e:
            assert "changed while it was read" in str(e), e
            print("changed")
        except mm.ParseError:  # truncated before the reading began: a line cut off
            print("cut")
    """)
    seen = set()
    for delay in (0.0, 0.01, 0.03, 0.06, 0.1):
        run = subprocess.run([sys.executable, "-c", script, str(tmp_path / "s.jsonl"), str(delay)],
                             capture_output=True, text=True, timeout=120)
        assert run.returncode == 0, (delay, run.returncode, run.stderr[-2000:])
        seen.add(run.stdout.strip())
    assert seen <= {"whole", "changed", "cut"}, seen

# --- try-out 17 findings (helper-64) ---

def _lines(*statements) -> str:
    return "\n".join(json.dumps(s) for s in statements)


def _pos(message: str) -> tuple[int, int]:
    m = re.match(r"xAPI statements: syntax error at line (\d+), column (\d+): .+", message)
    assert m, message
    return int(m.group(1)), int(m.group(2))


def test_invalid_utf8_is_reported_on_its_line_in_every_input_form(tmp_path):
    import gzip
    good = _lines(stmt(1, result={"score": {"scaled": 0.5}}), stmt(2, activity="2"))
    bad = json.dumps(stmt(3, result={"score": {"scaled": 0.5}})).encode().replace(b"ann", b"\xe9nn")
    data = good.encode() + b"\n" + bad + b"\n"
    column = bad.index(b"\xe9") + 1  # 1-based, characters before it all ASCII
    (tmp_path / "s.jsonl").write_bytes(data)
    (tmp_path / "s.jsonl.gz").write_bytes(gzip.compress(data))
    for source in (data, gzip.compress(data), tmp_path / "s.jsonl", tmp_path / "s.jsonl.gz"):
        with pytest.raises(mm.ParseError) as e:
            mm.io.read_xapi(source, alignment=ALIGN)
        assert _pos(str(e.value)) == (3, column), source
        assert "invalid UTF-8 (byte 0xE9)" in str(e.value)
        assert (e.value.line, e.value.column) == (3, column)


def test_nul_bytes_and_later_boms_in_json_lines():
    a, b, c = (stmt(k, result={"score": {"scaled": 0.5}}) for k in (1, 2, 3))
    # a NUL after a statement: the documented form, at its line and column
    text = json.dumps(a) + "\n" + json.dumps(b) + "\x00\n" + json.dumps(c)
    with pytest.raises(mm.ParseError) as e:
        mm.io.read_xapi(text, alignment=ALIGN)
    assert _pos(str(e.value)) == (2, len(json.dumps(b)) + 1)
    assert "NUL" in str(e.value)
    # a NUL at a line start: there, not "unexpected end of input"
    with pytest.raises(mm.ParseError) as e:
        mm.io.read_xapi(json.dumps(a) + "\n\x00" + json.dumps(b), alignment=ALIGN)
    assert _pos(str(e.value)) == (2, 1) and "end of input" not in str(e.value)
    # files that each start with a BOM, joined (cat a.jsonl b.jsonl): a BOM at a line start is
    # skipped as at the file start
    joined = ("\ufeff" + json.dumps(a) + "\n" + "\ufeff" + json.dumps(b) + "\n").encode()
    df = mm.io.read_xapi(joined, alignment=ALIGN)
    assert list(df["source"]) == [a["id"], b["id"]]


def test_control_characters_in_values_are_escaped_in_messages():
    a = stmt(1, result={"score": {"scaled": 0.5}})
    a["verb"]["id"] = "http://x/\x00b"
    b = stmt(2, actor={"mbox": "nomailto"}, result={"score": {"scaled": 0.5}})
    with pytest.raises(mm.EvidenceError) as e:
        mm.io.read_xapi(_lines(a, b), alignment=ALIGN)
    text = str(e.value)
    assert "\x00" not in text
    assert 'got "http://x/\\u0000b"' in text
    assert "statement 1" in text and "nomailto" in text  # the second problem is kept
    problems = core_io.validate_xapi_statement(json.dumps(a), "2.0")
    assert all("\x00" not in rule for _, rule in problems) and problems


H = "abcdef00-0000-4000-8000-0000000000{:02d}"  # ids with hex letters


def test_statement_ids_are_case_insensitive_in_a_batch_and_across_batches():
    first = stmt(1, result={"score": {"scaled": 0.5}}, id=H.format(1))
    upper = dict(first, id=H.format(1).upper())
    skipped = []
    df = mm.io.read_xapi([first, upper], alignment=ALIGN, skipped=skipped)
    assert len(df) == 1 and skipped == [(1, "a repeat of statement 0")]
    assert list(df["source"]) == [H.format(1)]  # ids kept in lower case (RFC 4122 section 3)
    df = mm.io.read_xapi(_lines(upper, first), alignment=ALIGN)
    assert list(df["source"]) == [H.format(1)]
    # across batches: the log's statement-id dedupe
    log = mm.EvidenceLog()
    log.append_statements(mm.io.read_xapi([first], alignment=ALIGN))
    log.append_statements(mm.io.read_xapi([upper], alignment=ALIGN))
    assert len(log) == 1
    # voids whose target differs in case: in the batch and across batches
    void = stmt(2, "voided", timestamp="2024-03-02T00:00:00Z", id=H.format(2))
    void["object"] = {"objectType": "StatementRef", "id": H.format(1).upper()}
    df = mm.io.read_xapi([first, void], alignment=ALIGN)
    assert list(df["voided"]) == [True] and df.attrs["voided"] == [H.format(1)]
    log = mm.EvidenceLog()
    log.append_statements(mm.io.read_xapi([void], alignment=ALIGN))
    assert log.pending_retractions == [(H.format(1), H.format(2))]
    log.append_statements(mm.io.read_xapi([first], alignment=ALIGN))
    assert log.pending_retractions == [] and log.retracted(H.format(1))
    # a void of a voiding statement, named in other case, is still refused
    again = stmt(3, "voided", timestamp="2024-03-02T00:00:00Z", id=H.format(3))
    again["object"] = {"objectType": "StatementRef", "id": H.format(2).upper()}
    with pytest.raises(mm.EvidenceError, match="itself a voiding statement"):
        mm.io.read_xapi([first, void, again], alignment=ALIGN)


def test_resent_statements_compare_by_the_xapi_comparison_requirements():
    """xAPI Data 2.3.1: differences its immutability exceptions could cause are ignored; others
    are not (a hand-made list of both)."""
    base = stmt(1, result={"score": {"scaled": 0.5}, "duration": "PT1H"})
    base.update(verb={"id": ADL + "passed", "display": {"en-US": "passed"}},
                object={"id": ACT + "1", "definition": {"name": {"en-US": "One"}}},
                context={"language": "en-US",
                         "contextActivities": {"parent": [{"id": ACT + "9",
                                                           "definition": {"type": ACT + "t"}}]},
                         "team": {"objectType": "Group", "member": [
                             {"mbox": "mailto:a@example.org"}, {"mbox": "mailto:b@example.org"}]}})
    same = [
        dict(base, stored="2024-03-02T00:00:00Z"),
        dict(base, authority={"mbox": "mailto:lrs@example.org"}),
        dict(base, version="1.0.3"),
        dict(base, timestamp="2024-03-01T11:00:00+02:00"),
        {k: v for k, v in base.items() if k != "timestamp"},
        dict(base, verb={"id": ADL + "passed", "display": {"de": "bestanden"}}),
        dict(base, object={"id": ACT + "1"}),
        dict(base, context=dict(base["context"], contextActivities={"parent": [{"id": ACT + "9"}]})),
        dict(base, context=dict(base["context"], team={"objectType": "Group", "member": [
            {"mbox": "mailto:b@example.org"}, {"mbox": "mailto:a@example.org"}]})),
        dict(base, context=dict(base["context"], language="EN-us")),
        dict(base, actor={"mbox": "mailto:ann@EXAMPLE.org"}),
        dict(base, attachments=[{"usageType": ACT + "u", "display": {"en": "x"},
                                 "contentType": "text/plain", "length": 1,
                                 "sha2": "a" * 64}]),
    ]
    for k, other in enumerate(same):
        df = mm.io.read_xapi([base, other], alignment=ALIGN)
        assert len(df) == 1, k
    differ = [
        dict(base, result={"score": {"scaled": 0.5}, "duration": "PT60M"}),  # a string
        dict(base, timestamp="2024-03-01T09:00:01Z"),
        dict(base, actor={"mbox": "mailto:ANN@example.org"}),  # the local part keeps its case
        dict(base, context=dict(base["context"], team={"objectType": "Group", "member": [
            {"mbox": "mailto:a@example.org"}]})),
        dict(base, object={"id": ACT + "1", "objectType": "Activity"}),
    ]
    for k, other in enumerate(differ):
        with pytest.raises(mm.EvidenceError, match="already used by statement 0"):
            mm.io.read_xapi([base, other], alignment=ALIGN)


def test_a_statement_voiding_itself_is_refused():
    v = stmt(1, "voided", id=H.format(1))
    v["object"] = {"objectType": "StatementRef", "id": H.format(1).upper()}
    with pytest.raises(mm.EvidenceError, match="voids itself"):
        mm.io.read_xapi([v], alignment=ALIGN)


def test_voiding_statements_are_listed_in_skipped():
    first = stmt(1, result={"score": {"scaled": 0.5}})
    void = stmt(2, "voided")
    void["object"] = {"objectType": "StatementRef", "id": first["id"]}
    launched = stmt(3, "launched")
    skipped = []
    df = mm.io.read_xapi([first, void, launched], alignment=ALIGN, skipped=skipped)
    assert skipped == [(1, f"a voiding statement: voids {first['id']}"),
                       (2, f"verb {ADL}launched creates no rating evidence")]
    assert len(df) + len(skipped) == 3  # every statement accounted for


def test_learners_mapping_to_an_empty_id_is_refused():
    with pytest.raises(ValueError, match="mbox:mailto:ann@example.org"):
        mm.io.read_xapi([stmt(1, result={"score": {"scaled": 0.5}})], alignment=ALIGN,
                        learners={"mbox:mailto:ann@example.org": ""})


def test_version_spellings():
    s = json.dumps(stmt(1, result={"score": {"scaled": 0.5}}))
    for v in ("2.0", "2.0.0", "1.0.3", "1.0", "1.0.0", "1.0.1", "1.0.2"):
        assert mm.io.validate_xapi_statement(s, version=v) == [], v
    with pytest.raises(ValueError) as e:
        mm.io.validate_xapi_statement(s, version="1.1")
    for spelling in ("'2.0'", "'2.0.0'", "'1.0.3'", "'1.0.0'", "'1.1'"):
        assert spelling in str(e.value)


def test_utf16_bytes_give_the_message_of_a_utf16_file(tmp_path):
    text = _lines(stmt(1, result={"score": {"scaled": 0.5}}))
    for encoding in ("utf-16", "utf-16-be", "utf-32"):
        data = text.encode(encoding)
        if encoding == "utf-16-be":
            data = b"\xfe\xff" + data
        (tmp_path / "s.jsonl").write_bytes(data)
        with pytest.raises(mm.ParseError) as from_file:
            mm.io.read_xapi(tmp_path / "s.jsonl", alignment=ALIGN)
        with pytest.raises(mm.ParseError) as from_bytes:
            mm.io.read_xapi(data, alignment=ALIGN)
        assert str(from_bytes.value) == str(from_file.value)
        assert "UTF-16" in str(from_bytes.value) or "UTF-32" in str(from_bytes.value)


def test_cmi5_au_url_whitespace_is_collapsed():
    xml = ("<courseStructure xmlns='https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd'>"
           "<course id='http://c.example.org/c'><title><langstring lang='en'>C</langstring>"
           "</title><description><langstring lang='en'>C</langstring></description></course>"
           "<au id='http://c.example.org/au1'><title><langstring lang='en'>A</langstring></title>"
           "<description><langstring lang='en'>A</langstring></description>"
           "<url>\n   http://c.example.org/launch?a=1\n  </url></au></courseStructure>")
    course = mm.io.read_cmi5_course(xml)
    assert course["aus"]["http://c.example.org/au1"]["url"] == "http://c.example.org/launch?a=1"


def test_validate_xapi_statement_syntax_errors_carry_line_and_column():
    with pytest.raises(mm.ParseError) as e:
        mm.io.validate_xapi_statement('{"actor":\n nul}')
    assert re.match(r"xAPI statement: syntax error at line 2, column \d+: ", str(e.value))
    assert e.value.line == 2


# --- try-out 19: IRIs, mailto domains, voiding ids across batches, frame times, big integers ---

@pytest.mark.parametrize("iri", ["http://x.org/%zz", "http://x.org/%", "http://x.org/a%2",
                                 "http://example.org/a/long/path/%4", "urn:%g1"])
def test_a_bad_percent_encoding_is_not_an_absolute_iri(iri):
    """RFC 3987 2.2: pct-encoded = "%" HEXDIG HEXDIG, and "%" is in no other rule."""
    verb = stmt(1, verb=iri, result={"score": {"scaled": 0.5}})
    assert mm.io.validate_xapi_statement(verb)[0][0] == "/verb/id"
    activity = stmt(1, activity=iri, result={"score": {"scaled": 0.5}})
    assert mm.io.validate_xapi_statement(activity)[0][0] == "/object/id"
    for source in ([activity], _lines(activity)):  # the DOM walker and the fast path
        with pytest.raises(mm.EvidenceError, match=r"/object/id: must be an absolute IRI"):
            mm.io.read_xapi(source, alignment={iri: "A"})
    good = iri.replace("%", "%41")
    assert mm.io.validate_xapi_statement(stmt(1, verb=good, activity=good)) == []


def test_a_mailto_domain_in_any_case_is_one_learner_in_every_batch():
    fw, policy = _fw_policy()
    a = _scored(1, 0.95, 1)
    b = dict(a, actor={"mbox": "mailto:ann@EXAMPLE.org"})
    skipped = []
    assert len(mm.io.read_xapi([a, b], alignment=ALIGN, skipped=skipped)) == 1
    assert skipped == [(1, "a repeat of statement 0")]
    roster = mm.Roster(fw, policy)
    roster.ingest_statements(mm.io.read_xapi([a], fw, alignment=ALIGN, scale=policy))
    s = roster.ingest_statements(mm.io.read_xapi([b], fw, alignment=ALIGN, scale=policy))
    assert s["duplicates"] == 1 and s["rows"] == 0
    roster.ingest_statements(mm.io.read_xapi(
        [dict(_scored(2, 0.5, 2), actor={"mbox": "mailto:ann@Example.ORG"})], fw,
        alignment=ALIGN, scale=policy))
    assert list(roster.learners) == [ANN]
    # the local part is kept as sent; learner="value" writes the same canonical IRI
    c = dict(_scored(3, 0.5, 3), actor={"mbox": "mailto:Ann.B@EXAMPLE.org"})
    assert list(mm.io.read_xapi([c], alignment=ALIGN)["learner"]) == [
        "mbox:mailto:Ann.B@example.org"]
    assert list(mm.io.read_xapi([c], alignment=ALIGN, learner="value")["learner"]) == [
        "mailto:Ann.B@example.org"]


def test_a_voiding_statements_id_names_one_statement_across_batches():
    """A void re-sent is a repeat; its id with another target, on a scored statement, or a
    scored statement's id as a void is an EvidenceError naming the statement, as in one batch."""
    fw, policy = _fw_policy()
    a, b = _scored(1, 0.95, 1), _scored(2, 0.5, 2)
    void = _voiding(7, a)
    roster = mm.Roster(fw, policy)
    X = lambda sts: mm.io.read_xapi(sts, fw, alignment=ALIGN, scale=policy)  # noqa: E731
    roster.ingest_statements(X([a, b]))
    assert roster.ingest_statements(X([void]))["rows_voided"] == 1
    assert roster.ingest_statements(X([void]))["retracted"] == 0  # a repeat
    before = roster.to_bytes()
    other_target = _voiding(7, b)
    scored_with_void_id = dict(_scored(3, 0.6, 3), id=void["id"])
    void_with_scored_id = dict(_voiding(9, a), id=b["id"])
    cases = [
        (other_target, rf"statement '{void['id']}' was ingested before as a voiding statement "
                       rf"of '{a['id']}': the same id cannot void '{b['id']}'"),
        (scored_with_void_id, rf"statement '{void['id']}' was ingested before as a voiding "
                              rf"statement of '{a['id']}': the same id cannot be evidence"),
        (void_with_scored_id, rf"statement '{b['id']}' was ingested before as evidence: the same "
                              rf"id cannot be a voiding statement of '{a['id']}'"),
    ]
    for statement, message in cases:
        with pytest.raises(mm.EvidenceError, match=message):
            roster.ingest_statements(X([statement]))
        assert roster.to_bytes() == before
        # a single batch refuses the same reuse
        first = void if statement is not void_with_scored_id else b
        with pytest.raises(mm.EvidenceError, match="was already used by statement 0"):
            X([first, statement])
    assert not roster.log.retracted(b["id"])
    # the log's own path says the same
    log = mm.EvidenceLog()
    log.append_statements(X([a, b, void]))
    with pytest.raises(mm.EvidenceError, match="the same id cannot void"):
        log.append_statements(X([other_target]))


def test_a_time_the_frame_cannot_hold_is_a_problem_of_its_statement():
    late, early = "2263-01-01T00:00:00Z", "1600-01-01T00:00:00Z"
    sts = [stmt(0, activity="9", result={"score": {"scaled": 0.5}}, timestamp=late),  # unaligned
           stmt(1, activity="9", result={"score": {"scaled": 0.5}}),
           stmt(2, result={"score": {"scaled": 0.5}}, timestamp=late),
           stmt(3, result={"score": {"scaled": 0.5}}, timestamp=early),
           stmt(4, result={"score": {"scaled": 7}})]
    with pytest.raises(mm.EvidenceError) as e:
        mm.io.read_xapi(_lines(*sts), alignment=ALIGN)
    assert e.value.rows == [2, 3, 4] and e.value.lines == [3, 4, 5]
    msg = str(e.value)
    assert (f"statement 2 (line 3): /timestamp: {late} is outside the times a pandas "
            f"datetime64[ns] column (1677-09-21 to 2262-04-11) can hold") in msg
    assert f"statement 3 (line 4): /timestamp: {early} is outside" in msg
    with pytest.raises(mm.EvidenceError, match=r"statement 2: /timestamp: "):
        mm.io.read_xapi(sts[:4], alignment=ALIGN)
    # stored stands in for a missing timestamp, and is named so
    s = stmt(2, result={"score": {"scaled": 0.5}}, timestamp=None, stored=late)
    with pytest.raises(mm.EvidenceError, match=r"statement 0: /stored: "):
        mm.io.read_xapi([s], alignment=ALIGN)
    # validate_xapi_statement says so too (the timestamp, else stored)
    assert mm.io.validate_xapi_statement(sts[2]) == [
        ("/timestamp", f"{late} is outside the times a pandas datetime64[ns] column "
                       f"(1677-09-21 to 2262-04-11) can hold")]
    assert [p for p, _ in mm.io.validate_xapi_statement(s)] == ["/stored"]
    assert mm.io.validate_xapi_statement(sts[0])[0][0] == "/timestamp"  # whatever aligns it
    # the edges are those of the frame's conversion (pandas is the oracle for the instants
    # accepted): seconds as doubles, whose step there is about 2 microseconds
    for text in ("2262-04-11T23:47:16.854773Z", "1677-09-21T00:12:44.000002Z"):
        df = mm.io.read_xapi([stmt(1, result={"score": {"scaled": 0.5}}, timestamp=text)],
                             alignment=ALIGN)
        assert df["time"][0] == pd.Timestamp(text)
        assert mm.io.validate_xapi_statement(stmt(1, timestamp=text)) == []
    for text in ("2262-04-11T23:47:16.854774Z", "1677-09-21T00:12:44.000001Z"):
        with pytest.raises(mm.EvidenceError, match="/timestamp: "):
            mm.io.read_xapi([stmt(1, result={"score": {"scaled": 0.5}}, timestamp=text)],
                            alignment=ALIGN)


def test_integers_beyond_64_bits_are_numbers():
    """Valid JSON (Python's json reads them): anywhere in a statement they do not reject the
    batch; a score that large is read as the nearest double (float(int) is the oracle)."""
    big = 123456789012345678901234567890
    s = stmt(1, result={"score": {"scaled": 0.8},
                        "extensions": {"http://ex.org/ext/big": big, "http://ex.org/ext/neg": -big,
                                       "http://ex.org/ext/u64": 2 ** 64}})
    assert mm.io.validate_xapi_statement(s) == []
    for source in ([s], json.dumps(s), "[" + json.dumps(s) + "]", _lines(s, s)):
        df = mm.io.read_xapi(source, alignment=ALIGN)
        assert list(df["score"]) == [0.8]
    raw = stmt(1, result={"score": {"raw": 2 ** 64, "min": 0, "max": 3 * 2 ** 65}})
    df = mm.io.read_xapi([raw], alignment=ALIGN)
    assert df["score"][0] == float(2 ** 64) / float(3 * 2 ** 65)
    problems = mm.io.validate_xapi_statement(stmt(1, result={"score": {"scaled": big}}))
    assert problems[0][0] == "/result/score/scaled"
    # other number errors stay ParseErrors naming the place
    bad = json.dumps(s).replace(str(big), "1e400", 1)
    with pytest.raises(mm.ParseError, match=r"line 1, column \d+"):
        mm.io.read_xapi(bad, alignment=ALIGN)


def test_the_frame_records_its_scale_and_a_roster_warns_of_fractions():
    fw, policy = _fw_policy()
    sts = [stmt(1, result={"score": {"scaled": 1.0}}),
           stmt(2, result={"score": {"scaled": 0.95}}, timestamp="2024-03-02T09:00:00Z")]
    fractions = mm.io.read_xapi(sts, alignment=ALIGN)
    assert fractions.attrs["scale"] is None and list(fractions["score"]) == [1.0, 0.95]
    scaled = mm.io.read_xapi(sts, alignment=ALIGN, scale=policy)
    assert scaled.attrs["scale"] == policy.scale == mm.Scale.four_point()
    assert mm.io.read_xapi(sts, alignment=ALIGN, scale=mm.Scale.letter()).attrs["scale"] == \
        mm.Scale.letter()
    # the four-point scale runs 0..4 (score_range): a fraction frame meets it with a warning
    low, high = policy.scale.score_range
    assert (low, high) != (0.0, 1.0)
    want = (f"this frame's scores were left as fractions 0..1 (read_xapi() without scale=), but "
            f"the roster's policy scale runs {low:g}..{high:g}: each fraction is taken as a "
            f"score on that scale; pass scale=policy to read_xapi() to map fractions onto the "
            f"roster's scale")
    for ingest, where in ((mm.Roster.ingest, "Roster.ingest()"),
                          (mm.Roster.ingest_statements, "Roster.ingest_statements()")):
        roster = mm.Roster(fw, policy)
        with pytest.warns(UserWarning) as record:
            ingest(roster, fractions)
        assert [str(w.message) for w in record] == [f"{where}: {want}"]
        assert record[0].filename == __file__
        # the scaled frame goes in without a word (warnings are errors in these tests)
        ingest(mm.Roster(fw, policy), scaled)
    # a roster on a 0..1 scale takes fractions as they are, without a word
    unit = mm.Scale([("not yet", 0.0), ("met", 0.7)], mastery="met", continuous=True)
    assert unit.score_range == (0.0, 1.0)
    mm.Roster(fw, mm.Policy(unit, mm.Rule(method=mm.Method.mean()))).ingest(fractions)
    # a frame without rows has no scores to misread
    empty = mm.io.read_xapi([stmt(3, activity="unaligned")], alignment=ALIGN)
    assert empty.attrs["scale"] is None and len(empty) == 0
    mm.Roster(fw, policy).ingest(empty)
