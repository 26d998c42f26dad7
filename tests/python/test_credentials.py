"""Open Badges 3.0 and CLR 2.0 out (mm.io.achievement_credentials, mm.io.clr) and back in
(mm.io.read_credential).

Oracles: the 1EdTech JSON Schemas (strict and JSON-LD-adapted OB 3.0, CLR 2.0) with formats
checked, python3-pyld's expansion against the stored contexts only (tests/python/
credential_checks.py), hashlib for the identity hash, the framework's own hierarchy and edges
for the CLR associations, and the validator corpus's EXPECTED.json for the reader.
"""
import copy
import importlib.util
import hashlib
import json
import pathlib

import pandas as pd
import pytest

import masterymap as mm

credential_checks = pytest.importorskip("credential_checks")
ISSUER = "https://maple-street.example/issuer"


def _needs(module):
    try:
        __import__(module)
    except ImportError:
        pytest.skip(f"{module} is absent (apt-get install python3-{module.split('.')[0]})")


@pytest.fixture(scope="module")
def ob3_data(shared_data):
    path = shared_data / "interop" / "ob3-clr"
    if not (path / "schemas").is_dir():
        pytest.skip(f"{path} is absent")
    return path


# --- the demo's roster (examples/cpp/demo.cpp on the bundled map) --------------------------------

def demo_roster(example_data: pathlib.Path) -> mm.Roster:
    """The roster of the demo's story on its bundled CASE map, at its end: last year's records
    of maya, leo (without his hole FR3.equiv) and noor (each grade-3 learning target, a
    formative check and a discussion at 3), the fall evidence (examples/data/fractions/
    evidence.csv), maya's placement at grade 4, noor's confirming discussion on FR4.equiv."""
    data = example_data / "fractions"
    fw = mm.io.read_case(data / "framework.case.json")
    policy = mm.Policy.read(data / "policy.json")
    roster = mm.Roster(fw, policy, threads=1)
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
            rows.append((who, cid, 3.0, t, "formative", "last year's teacher"))
            t += 600
            rows.append((who, cid, 3.0, t, "discussion", "last year's teacher"))
    roster.ingest(pd.DataFrame(rows, columns=["learner", "competency", "score", "time", "kind",
                                              "source"]))
    roster.ingest(mm.EvidenceLog.read_csv(data / "evidence.csv"))
    roster.place("maya", 4, "2026-09-08T09:00:00Z")
    roster.add("noor", "FR4.equiv", 3.0, "2026-11-02T10:00:00Z", "discussion", 1.0, "Mr. Okafor")
    return roster


@pytest.fixture(scope="module")
def roster(example_data):
    return demo_roster(example_data)


def earned(state, include_exempt=True):
    keep = {"mastered", "exceeded"} | ({"exempt"} if include_exempt else set())
    return [c for c in state.framework if state.status(c) in keep]


# --- what is issued ----------------------------------------------------------------------------

def test_one_credential_per_earned_competency_never_inferred(roster):
    for learner in roster.learners:
        state = roster.learner(learner)
        docs = mm.io.achievement_credentials(roster, learner, issuer=ISSUER)
        codes = [d["credentialSubject"]["achievement"]["humanCode"] for d in docs]
        assert codes == earned(state)
        assert all(state.status(c) not in ("inferred", "in_progress", "awaiting_confirmation",
                                       "expired", "not_started") for c in codes)
    # the story has each kind: maya's inferred work, leo's hole, noor's exemption
    assert roster.learner("maya").with_status("inferred")
    assert roster.learner("leo").status("FR3.equiv") == "in_progress"
    noor = roster.learner("noor")
    assert noor.status("FR4.equiv") == "exempt"
    with_exempt = mm.io.achievement_credentials(roster, "noor", issuer=ISSUER)
    without = mm.io.achievement_credentials(roster, "noor", issuer=ISSUER, include_exempt=False)
    assert len(with_exempt) == len(without) + 1
    exempt = next(d for d in with_exempt
                  if d["credentialSubject"]["achievement"]["humanCode"] == "FR4.equiv")
    assert "pre-test" in exempt["credentialSubject"]["narrative"]


def test_the_fields_the_issue_names(roster, example_data):
    fw, policy = roster.framework, roster.policy
    package = json.loads((example_data / "fractions" / "framework.case.json").read_text())
    items = {item["humanCodingScheme"]: item for item in package["CFItems"]}
    state = roster.learner("maya")
    docs = mm.io.achievement_credentials(roster, "maya", issuer=ISSUER,
                                         issuer_name="Maple Street School")
    by_code = {d["credentialSubject"]["achievement"]["humanCode"]: d for d in docs}
    for doc in docs:
        assert doc["@context"][:2] == ["https://www.w3.org/ns/credentials/v2",
                                       "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]
        assert doc["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
        assert doc["name"] and doc["issuer"]["name"] == "Maple Street School"
        assert "validFrom" in doc and "issuanceDate" not in doc
        assert "validUntil" not in doc  # the demo's policy has no expiry
        subject = doc["credentialSubject"]
        achievement = subject["achievement"]
        code = achievement["humanCode"]
        assert achievement["achievementType"] == "Competency"
        assert achievement["name"] == fw[code].title
        assert "narrative" in achievement["criteria"]
        alignment = achievement["alignment"][0]
        assert alignment == {"type": ["Alignment"], "targetType": "CFItem",
                             "targetUrl": items[code]["uri"], "targetName": fw[code].title,
                             "targetCode": code,
                             "targetFramework": package["CFDocument"]["title"],
                             "targetDescription": items[code]["fullStatement"]}
        description = achievement["resultDescription"][0]
        levels = description["rubricCriterionLevel"]
        assert [lv["name"] for lv in levels] == [label for label, _ in policy.scale.ratings]
        assert [lv["points"] for lv in levels] == [f"{v:g}" for _, v in policy.scale.ratings]
        mastery = next(lv for lv in levels if lv["name"] == policy.scale.mastery)
        assert description["requiredLevel"] == mastery["id"]
        result = subject["result"][0]
        achieved = next(lv for lv in levels if lv["id"] == result["achievedLevel"])
        assert achieved["name"] == state.rating(code)
        assert result["resultDescription"] == description["id"]
        if state.score(code) is None:  # a unit earned through its rollup has a level only
            assert "value" not in result and fw.children(code)
            # dated by its latest part
            parts = [d["validFrom"] for d in by_code.values()
                     if d["credentialSubject"]["achievement"]["humanCode"] in fw.children(code)]
            assert parts and doc["validFrom"] == max(parts)
        else:
            assert float(result["value"]) == state.score(code)
        # every type an array, except the classes whose type is one IRI
        assert subject["type"] == ["AchievementSubject"]
        assert subject["identifier"][0]["type"] == "IdentityObject"
        assert "id" not in subject


def test_the_subject_is_a_salted_hash_never_the_identity(roster):
    email = "noor.h@maple-street.example"
    docs = mm.io.achievement_credentials(roster, "noor", issuer=ISSUER, identity=email,
                                         identity_type="emailAddress", salt="s@lt")
    for doc in docs:
        text = json.dumps(doc)
        assert email not in text and '"noor"' not in text
        identity = doc["credentialSubject"]["identifier"][0]
        assert identity == {"type": "IdentityObject", "hashed": True,
                            "identityHash": "sha256$" + hashlib.sha256(
                                (email + "s@lt").encode()).hexdigest(),
                            "identityType": "emailAddress", "salt": "s@lt"}
    default = mm.io.achievement_credentials(roster, "noor", issuer=ISSUER)[0]
    identity = default["credentialSubject"]["identifier"][0]
    assert identity["identityHash"] == "sha256$" + hashlib.sha256(
        ("noor" + identity["salt"]).encode()).hexdigest()
    other = mm.io.achievement_credentials(roster, "leo", issuer=ISSUER)[0]
    assert other["credentialSubject"]["identifier"][0]["salt"] != identity["salt"]


def test_reproducible_ids(roster, example_data):
    first = mm.io.clr(roster, "leo", issuer=ISSUER)
    again = mm.io.clr(demo_roster(example_data), "leo", issuer=ISSUER)
    assert first == again
    ids = [vc["id"] for vc in first["credentialSubject"]["verifiableCredential"]]
    assert len(set(ids)) == len(ids) and all(i.startswith("urn:uuid:") for i in ids)
    base = mm.io.achievement_credentials(roster, "leo", issuer=ISSUER,
                                         achievement_base="https://maple-street.example/a/")
    assert base[0]["credentialSubject"]["achievement"]["id"] == \
        "https://maple-street.example/a/" + base[0]["credentialSubject"]["achievement"]["humanCode"]


def test_valid_until_when_the_rule_expires():
    b = mm.FrameworkBuilder("expiry")
    b.add_competency("A", title="Adding")
    fw = b.build()
    policy = mm.Policy(mm.Scale.four_point(), mm.Rule(expires_after_days=365))
    log = mm.EvidenceLog()
    log.add("s", "A", 3, "2024-09-02T10:00:00Z")
    state = mm.evaluate(fw, policy, log, "s", as_of="2024-10-01")
    doc, = mm.io.achievement_credentials(state, issuer=ISSUER)
    assert (doc["validFrom"], doc["validUntil"]) == ("2024-09-02T10:00:00Z",
                                                     "2025-09-02T10:00:00Z")
    # a framework not from CASE: no alignment; still valid everywhere
    assert "alignment" not in doc["credentialSubject"]["achievement"]
    record = mm.io.clr(state, issuer=ISSUER)
    if credential_checks.data_dir().is_dir():
        _needs("jsonschema")
        assert credential_checks.schema_errors(doc, "ob_strict") == []
        assert credential_checks.schema_errors(doc, "ob_jsonld") == []
        assert credential_checks.schema_errors(record, "clr") == []
    # expired later: no credential, and no CLR (CLR 2.0 needs at least one credential)
    lapsed = mm.evaluate(fw, policy, log, "s", as_of="2026-01-01")
    assert lapsed.status("A") == "expired"
    assert mm.io.achievement_credentials(lapsed, issuer=ISSUER) == []
    with pytest.raises(ValueError, match="'s' has earned no competency"):
        mm.io.clr(lapsed, issuer=ISSUER)


def test_the_signer_hook(roster):
    seen = []

    def sign(document):
        seen.append(document["type"][1])
        return {**document, "proof": [{"type": "DataIntegrityProof", "cryptosuite": "test"}]}

    docs = mm.io.achievement_credentials(roster, "leo", issuer=ISSUER, signer=sign)
    assert all("proof" in d for d in docs) and len(seen) == len(docs)
    seen.clear()
    record = mm.io.clr(roster, "leo", issuer=ISSUER, signer=sign)
    inner = record["credentialSubject"]["verifiableCredential"]
    assert seen == ["OpenBadgeCredential"] * len(inner) + ["ClrCredential"]
    assert "proof" in record and all("proof" in vc for vc in inner)
    with pytest.raises(TypeError, match="signer must return"):
        mm.io.clr(roster, "leo", issuer=ISSUER, signer=lambda d: json.dumps(d))


def test_bad_options(roster):
    with pytest.raises(ValueError, match=r"^issuer: .Maple Street. is not a URI"):
        mm.io.achievement_credentials(roster, "leo", issuer="Maple Street")
    with pytest.raises(ValueError, match="identity_type"):
        mm.io.clr(roster, "leo", issuer=ISSUER, identity_type="email")
    with pytest.raises(ValueError, match="valid_from"):
        mm.io.clr(roster, "leo", issuer=ISSUER, valid_from="2026-11-02")
    with pytest.raises(mm.UnknownIdError):
        mm.io.clr(roster, "nobody", issuer=ISSUER)
    with pytest.raises(TypeError, match="learner is required"):
        mm.io.clr(roster, issuer=ISSUER)
    with pytest.raises(ValueError, match="not the state's learner"):
        mm.io.clr(roster.learner("leo"), "noor", issuer=ISSUER)


# --- the CLR -----------------------------------------------------------------------------------

def test_clr_bundles_and_relates_with_clr_association_types_only(roster):
    fw = roster.framework
    for learner in roster.learners:
        record = mm.io.clr(roster, learner, issuer=ISSUER)
        assert record["type"] == ["VerifiableCredential", "ClrCredential"]
        subject = record["credentialSubject"]
        assert subject["verifiableCredential"] == mm.io.achievement_credentials(
            roster, learner, issuer=ISSUER)
        ids = {a["id"]: a["humanCode"] for a in subject["achievement"]}
        assert sorted(ids.values()) == sorted(earned(roster.learner(learner)))
        got = {(a["associationType"], ids[a["sourceId"]], ids[a["targetId"]])
               for a in subject["association"]}
        included = set(ids.values())
        # the oracle: the framework's hierarchy and prerequisite edges, both ends included
        want = {("isChildOf", child, parent) for parent, child in fw.hierarchy()
                if parent in included and child in included}
        want |= {("precedes", e["prerequisite"], e["dependent"])
                 for _, e in fw.edges_frame().iterrows()
                 if e["prerequisite"] in included and e["dependent"] in included}
        assert got == want and want
        assert all(a["type"] == "Association" for a in subject["association"])


# --- validation: both OB 3.0 schema variants, the CLR schema, offline JSON-LD ------------------

def _all_documents(roster):
    for learner in roster.learners:
        yield learner, mm.io.achievement_credentials(roster, learner, issuer=ISSUER,
                                                     identity=f"{learner}@maple.example",
                                                     identity_type="emailAddress"), \
            mm.io.clr(roster, learner, issuer=ISSUER)


def test_every_export_validates_against_the_schemas(roster, ob3_data):
    _needs("jsonschema")
    n = 0
    for learner, docs, record in _all_documents(roster):
        for doc in docs:
            for variant in ("ob_strict", "ob_jsonld"):
                assert credential_checks.schema_errors(doc, variant) == [], (learner, variant)
            n += 1
        assert credential_checks.schema_errors(record, "clr") == [], learner
    assert n == sum(len(earned(roster.learner(x))) for x in roster.learners) > 20


def test_a_waived_exemption_says_so_validates_and_expands(example_data, ob3_data):
    """A waiver (kind "waiver:<reason>", a cmi5 waived statement) exempts: its credential
    names the waiver in the subject's narrative, and validates and expands as every export."""
    _needs("jsonschema")
    r = demo_roster(example_data)
    r.add("zoe", "FR3.equiv", 2.0, "2026-10-01T09:00:00Z", "formative", 1.0, "quiz-7")
    r.add("zoe", "FR3.equiv", 3.0, "2026-10-02T09:00:00Z", "waiver:Tested Out", 1.0, "stmt-9")
    assert r.learner("zoe").status("FR3.equiv") == "exempt"
    docs = mm.io.achievement_credentials(r, "zoe", issuer=ISSUER)
    (doc,) = [d for d in docs if d["credentialSubject"]["achievement"]["humanCode"] == "FR3.equiv"]
    assert doc["credentialSubject"]["narrative"] == (
        "Exempted by a waiver, not shown to the issuer by evidence: waived (Tested Out): by "
        "'stmt-9' on 2026-10-02T09:00:00Z.")
    record = mm.io.clr(r, "zoe", issuer=ISSUER)
    for variant in ("ob_strict", "ob_jsonld"):
        assert credential_checks.schema_errors(doc, variant) == []
    assert credential_checks.schema_errors(record, "clr") == []
    if importlib.util.find_spec("pyld") is not None:
        assert credential_checks.undefined_terms(doc, "ob_v3p0_context-3.0.3.json") == []
    # the pre-test route keeps its own narrative (noor's confirmed exemptions, if any)
    assert all("waiver" not in d["credentialSubject"].get("narrative", "")
               for d in mm.io.achievement_credentials(r, "noor", issuer=ISSUER))


def test_the_schema_check_is_not_vacuous(roster, ob3_data):
    _needs("jsonschema")
    doc = mm.io.achievement_credentials(roster, "leo", issuer=ISSUER)[0]
    bad = copy.deepcopy(doc)
    bad["validFrom"] = "2026-11-02T10:00:00"  # no offset: our own date-time check
    assert any("validFrom" in e for e in credential_checks.schema_errors(bad, "ob_strict"))
    bad = copy.deepcopy(doc)
    bad["credentialSubject"]["achievement"]["resultDescription"][0]["rubricCriterionLevel"][0][
        "points"] = 1
    assert credential_checks.schema_errors(bad, "ob_jsonld")
    bad = copy.deepcopy(doc)
    bad["type"] = "OpenBadgeCredential"
    assert credential_checks.schema_errors(bad, "ob_strict")


@pytest.mark.parametrize("ob_context", ["ob_v3p0_context-3.0.3.json",
                                        "ob_v3p0_context-3.0.3.validator-variant.json"])
def test_every_export_expands_offline_with_no_undefined_term(roster, ob3_data, ob_context):
    _needs("pyld")
    for learner, docs, record in _all_documents(roster):
        for doc in docs + [record]:
            assert credential_checks.undefined_terms(doc, ob_context) == [], learner
            expanded = credential_checks.expand(doc, ob_context)
            values = credential_checks.expanded_values(expanded)
            lost = [v for v in credential_checks.leaf_values(doc) if v not in values]
            assert lost == [], learner


def test_the_expansion_check_is_not_vacuous(roster, ob3_data):
    _needs("pyld")
    doc = mm.io.achievement_credentials(roster, "leo", issuer=ISSUER)[0]
    doc["credentialSubject"]["masteryLevel"] = "x"
    doc["credentialSubject"]["achievement"]["type"].append("Skill")
    assert sorted(credential_checks.undefined_terms(doc)) == sorted([
        "/0/https://www.w3.org/2018/credentials#credentialSubject/0: masteryLevel",
        "/0/https://www.w3.org/2018/credentials#credentialSubject/0/"
        "https://purl.imsglobal.org/spec/vc/ob/vocab.html#achievement/0: type Skill"])
    doc["@context"].append("https://example.org/unknown-context.json")
    with pytest.raises(credential_checks.NetworkAttempt, match="unknown-context"):
        credential_checks.expand(doc)


# --- reading back ----------------------------------------------------------------------------

#: Where the reader's verdict differs from "reject exactly the files whose failure_kind is
#: structural" (EXPECTED.json), and why.
EXCEPTIONS = {
    "ob30/endorsement-err-schema-status-refresh.json":
        "accepted: the validator's CredentialParseProbe rejects it for a reason the JSON does "
        "not show us; it is a VCDM 1.1 endorsement whose fields are all well formed (string "
        "types are the 1.1-era form, accepted in ob30/credential-status-revoked.json, "
        "clr20/complex.json and clr20/simple_v1.json too)",
    "ob30/simple-err-issued.json":
        "rejected although its failure_kind is time: its credentialSubject has no achievement "
        "(both OB 3.0 schema variants say so too); the validator stops at the issuance date",
    "ob30/simple-noproof.json":
        "rejected although its failure_kind is proof: its credentialSubject has no achievement "
        "(both OB 3.0 schema variants say so too)",
}


def _corpus(ob3_data):
    return json.loads((ob3_data / "validator-corpus" / "EXPECTED.json").read_text())["files"]


def test_reader_agrees_with_the_validator_corpus(ob3_data):
    disagree = {}
    for entry in _corpus(ob3_data):
        path = ob3_data / "validator-corpus" / entry["file"]
        expect_valid = entry["failure_kind"] != "structural"
        try:
            mm.io.read_credential(path)
            accepted, reason = True, ""
        except mm.ValidationError as e:
            accepted, reason = False, str(e)
            assert e.problems and all(p["message"] in reason for p in e.problems)
        if accepted != expect_valid:
            disagree[entry["file"]] = reason
    assert sorted(disagree) == sorted(EXCEPTIONS)
    assert len(_corpus(ob3_data)) == 41


@pytest.mark.parametrize("name, reason", [
    ("ob30/simple-err-context.json", "/@context/0: must be the W3C credentials context"),
    ("ob30/simple-err-type.json", "/type: must hold 'VerifiableCredential'"),
    ("ob30/simple-err-issuer.json", "/: 'issuer' is required"),
    ("ob30/simple-err-issuer-type.json", "/issuer/type: must hold 'Profile'"),
    ("ob30/simple-err-issuer-parentorg-type.json", "/issuer/parentOrg/type: must hold 'Profile'"),
    ("ob30/simple-err-issuer-otheridentifier-type.json",
     "/issuer/otherIdentifier/1/type: must hold 'IdentifierEntry'"),
    ("ob30/simple-err-credential-subject-type.json",
     "/credentialSubject/type: must hold 'AchievementSubject'"),
    ("ob30/simple-err-credential-subject-identifier-type.json",
     "/credentialSubject/identifier/0/type: must hold 'IdentityObject'"),
    ("ob30/simple-err-credential-subject-profile-type.json",
     "/credentialSubject/source/type: must hold 'Profile'"),
    ("ob30/simple-err-credential-subject-result-type.json",
     "/credentialSubject/result/1/type: must hold 'Result'"),
    ("ob30/simple-err-credential-subject-achievement-result-description-type.json",
     "/credentialSubject/achievement/resultDescription/0/type: must be an array"),
    ("ob30/simple-err-evidence-type.json", "/evidence/1/type: must hold 'Evidence'"),
])
def test_reader_names_the_reason(ob3_data, name, reason):
    with pytest.raises(mm.ValidationError) as e:
        mm.io.read_credential(ob3_data / "validator-corpus" / name)
    assert reason in str(e.value)


def test_reader_notes_what_it_does_not_check(ob3_data):
    notes = []
    mm.io.read_credential(ob3_data / "validator-corpus" / "ob30" / "simple_v1.json", notes=notes)
    assert any("VCDM 1.1" in n for n in notes)
    assert any("not verified" in n for n in notes)
    notes = []
    doc = mm.io.read_credential(
        (ob3_data / "validator-corpus" / "ob30" / "velocity.jwt").read_text(), notes=notes)
    assert "OpenBadgeCredential" in doc["type"] and any("JWS" in n for n in notes)


def test_reader_reads_every_export_back(roster):
    for learner, docs, record in _all_documents(roster):
        for doc in docs:
            assert mm.io.read_credential(json.dumps(doc)) == doc
        notes = []
        assert mm.io.read_credential(record, notes=notes) == record
        assert any("no proof" in n for n in notes)


def test_reader_errors(tmp_path):
    with pytest.raises(mm.ParseError, match="malformed credential JSON"):
        mm.io.read_credential('{"@context": [')
    with pytest.raises(mm.MissingFileError):
        mm.io.read_credential(tmp_path / "absent.json")
    with pytest.raises(mm.ValidationError, match="a credential is a JSON object"):
        mm.io.read_credential("[1]")
    with pytest.raises(mm.ParseError, match="not UTF-8 at byte 3"):
        mm.io.read_credential(b'{"a\xff": 1}')


# --- the reader rejects exactly what both OB 3.0 schemas reject (tryout19 D8) ---------------------

_SUBJECT = ["credentialSubject"]
_ACHIEVEMENT = _SUBJECT + ["achievement"]
_LEVEL = _ACHIEVEMENT + ["resultDescription", 0, "rubricCriterionLevel", 0]
_RESULT = _SUBJECT + ["result", 0]
#: (path, value): each mutation of an exported AchievementCredential, among them ones both
#: schemas accept (a leap second at 23:59:60 UTC, an extension term, a language map), so the
#: agreement is checked both ways.
MUTATIONS = [
    (["validFrom"], "2026-02-30T00:00:00Z"),
    (["validFrom"], "2025-02-29T00:00:00Z"),
    (["validFrom"], "2024-02-29T00:00:00Z"),
    (["validFrom"], "2100-02-29T00:00:00Z"),
    (["validFrom"], "2000-02-29T12:00:00+01:00"),
    (["validFrom"], "2026-04-31T00:00:00Z"),
    (["validFrom"], "2026-01-01T00:00:60Z"),
    (["validFrom"], "2016-12-31T23:59:60Z"),
    (["validFrom"], "1990-12-31T15:59:60-08:00"),
    (["validFrom"], "2016-12-31T23:59:60+01:00"),
    (["validFrom"], "garbage"),
    (["validUntil"], "2027-02-29T00:00:00Z"),
    (["validUntil"], "2028-02-29T00:00:00Z"),
    (["awardedDate"], "2026-06-31T10:00:00Z"),
    (["awardedDate"], "2026-06-30T10:00:00Z"),
    (_SUBJECT + ["activityStartDate"], "2026-11-31T00:00:00Z"),
    (_SUBJECT + ["activityEndDate"], "2026-11-30T00:00:00Z"),
    (_LEVEL + ["points"], 1),
    (_LEVEL + ["points"], "1"),
    (_LEVEL + ["points"], {"en": "1"}),
    (_LEVEL + ["points"], {"english": "1"}),
    (_LEVEL + ["points"], None),
    (_LEVEL + ["level"], 3),
    (_RESULT + ["value"], 4),
    (_RESULT + ["value"], 4.0),
    (_RESULT + ["value"], {"en-GB": "4"}),
    (_RESULT + ["value"], True),
    (_RESULT + ["status"], "Bogus"),
    (_RESULT + ["status"], "ext:Bogus"),
    (_RESULT + ["status"], "InProgress"),
    (_RESULT + ["achievedLevel"], 7),
    (_ACHIEVEMENT + ["achievementType"], "Bogus"),
    (_ACHIEVEMENT + ["achievementType"], "ext:Bogus"),
    (_ACHIEVEMENT + ["achievementType"], "ext:"),
    (_ACHIEVEMENT + ["achievementType"], "my-ext:Thing"),  # the schemas' pattern is a search
    (_ACHIEVEMENT + ["achievementType"], "MicroCredential"),
    (_ACHIEVEMENT + ["achievementType"], "competency"),
    (_ACHIEVEMENT + ["achievementType"], 1),
    (_ACHIEVEMENT + ["humanCode"], 5),
    (_ACHIEVEMENT + ["name"], ["a", "b"]),
    (_ACHIEVEMENT + ["creditsAvailable"], "3"),
    (_ACHIEVEMENT + ["creditsAvailable"], 3),
    (_ACHIEVEMENT + ["criteria", "narrative"], 1),
    (_ACHIEVEMENT + ["resultDescription", 0, "resultType"], "Bogus"),
    (_ACHIEVEMENT + ["resultDescription", 0, "resultType"], "ext:Grade"),
    (_ACHIEVEMENT + ["resultDescription", 0, "requiredLevel"], 2),
    (_ACHIEVEMENT + ["alignment", 0, "targetType"], "Bogus"),
    (_ACHIEVEMENT + ["alignment", 0, "targetType"], "ext:CFItem2"),
    (_ACHIEVEMENT + ["alignment", 0, "targetCode"], 12),
    (_SUBJECT + ["identifier", 0, "identityType"], "bogus"),
    (_SUBJECT + ["identifier", 0, "identityType"], "ext:schoolId"),
    (_SUBJECT + ["identifier", 0, "identityType"], "sisSourcedId"),
    (_SUBJECT + ["identifier", 0, "salt"], 12),
    (["issuer", "name"], 12),
]


def _mutated(doc, path, value):
    out = copy.deepcopy(doc)
    node = out
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return out


def _pointer(path):
    return "/" + "/".join(str(p) for p in path)


def _the_exported_credential(roster):
    doc = next(d for d in mm.io.achievement_credentials(roster, "leo", issuer=ISSUER,
                                                         issuer_name="Maple Street")
               if d["credentialSubject"]["achievement"].get("alignment"))
    doc["issuer"] = {"id": ISSUER, "type": ["Profile"], "name": "Maple Street"} \
        if isinstance(doc["issuer"], str) else doc["issuer"]
    return doc


def test_reader_rejects_what_both_schemas_reject(roster, ob3_data):
    _needs("jsonschema")
    base = _the_exported_credential(roster)
    for variant in ("ob_strict", "ob_jsonld"):
        assert credential_checks.schema_errors(base, variant) == []
    mm.io.read_credential(base)
    verdicts = {True: 0, False: 0}
    for path, value in MUTATIONS:
        doc = _mutated(base, path, value)
        schemas_reject = all(credential_checks.schema_errors(doc, v)
                             for v in ("ob_strict", "ob_jsonld"))
        try:
            mm.io.read_credential(doc)
            problems = []
        except mm.ValidationError as e:
            problems = [p["message"] for p in e.problems]
        assert bool(problems) == schemas_reject, (_pointer(path), value, problems)
        if problems:  # the rejection names the mutated path
            assert any(p.startswith(_pointer(path) + ":") for p in problems), (path, problems)
        verdicts[schemas_reject] += 1
    assert verdicts[True] >= 25 and verdicts[False] >= 15, verdicts


def test_reader_names_the_calendar_and_the_vocabulary(small_roster):
    doc = mm.io.achievement_credentials(small_roster, "ann", issuer=ISSUER)[0]
    bad = _mutated(doc, ["validFrom"], "2026-02-30T00:00:00Z")
    with pytest.raises(mm.ValidationError, match=r"/validFrom: not an RFC 3339 date-time: "
                       r"'2026-02-30T00:00:00Z' names no instant"):
        mm.io.read_credential(bad)
    bad = _mutated(doc, _RESULT + ["status"], "Bogus")
    with pytest.raises(mm.ValidationError, match=r"/credentialSubject/result/0/status: 'Bogus' "
                       r"is no Result.status of OB 3.0 \(one of Completed, "):
        mm.io.read_credential(bad)
    bad = _mutated(doc, _ACHIEVEMENT + ["achievementType"], "Bogus")
    with pytest.raises(mm.ValidationError, match=r"an extension term 'ext:<name>'"):
        mm.io.read_credential(bad)
    bad = _mutated(doc, _LEVEL + ["points"], 1)
    with pytest.raises(mm.ValidationError, match=r"rubricCriterionLevel/0/points: must be a "
                       r"string \(or a language map"):
        mm.io.read_credential(bad)
    # Inside a CLR, the path runs through the bundled credential.
    record = mm.io.clr(small_roster, "ann", issuer=ISSUER)
    record["credentialSubject"]["verifiableCredential"][0]["validFrom"] = "2025-02-29T00:00:00Z"
    with pytest.raises(mm.ValidationError,
                       match=r"/credentialSubject/verifiableCredential/0/validFrom: not an RFC"):
        mm.io.read_credential(record)


def test_the_calendar_rule_is_the_xapi_readers():
    # read_credential and the xAPI reader share io::parse_rfc3339: the same texts pass.
    for text, ok in [("2024-02-29T00:00:00Z", True), ("2023-02-29T00:00:00Z", False),
                     ("2016-12-31T23:59:60Z", True), ("2016-12-31T22:59:60Z", False),
                     ("2016-12-31T15:59:60-08:00", True), ("2024-01-01T00:00:00-00:00", False)]:
        assert (mm._core.io.parse_rfc3339(text) is not None) is ok, text


@pytest.fixture(scope="module")
def small_roster(example_data):
    data = example_data / "fractions"
    r = mm.Roster(mm.Framework.from_json((data / "framework.json").read_text()),
                  mm.Policy.read(data / "policy.json"))
    r.ingest(pd.DataFrame({"learner": "ann", "competency": "NS2.place", "time": [1.70e9, 1.71e9],
                           "score": 4.0, "kind": "summative", "source": "t"}))
    return r
