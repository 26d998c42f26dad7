"""cmi5: course structures (CourseStructure.xsd) and the cmi5 statement rules in read_xapi."""
import json
import pickle
import warnings

import pytest

import masterymap as mm

ADL = "http://adlnet.gov/expapi/verbs/"
CMI5 = "https://w3id.org/xapi/adl/verbs/"
GEO = "http://objectives.example.com/identifiers/geology/basics"
AU = "http://example.com/courses/f59c9fc0/au/6f66"  # masteryScore 0.5, its block's objectives

COURSE = """<?xml version="1.0" encoding="utf-8"?>
<courseStructure xmlns="https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd">
  <course id="http://courses.example.org/c1"><title><langstring lang="en-US">C</langstring>
  </title><description><langstring lang="en-US">d</langstring></description></course>
  <objectives>
    <objective id="http://objectives.example.org/fractions"><title>
      <langstring lang="en-US">Fractions</langstring></title><description>
      <langstring lang="en-US">d</langstring></description></objective>
  </objectives>
  <au id="http://courses.example.org/c1/au/1" moveOn="Passed" masteryScore="0.8">
    <title><langstring lang="en-US">Quiz</langstring></title>
    <description><langstring lang="en-US">d</langstring></description>
    <objectives><objective idref="http://objectives.example.org/fractions"/></objectives>
    <url>quiz.html</url>
  </au>
  <au id="http://courses.example.org/c1/au/2">
    <title><langstring lang="en-US">Video</langstring></title>
    <description><langstring lang="en-US">d</langstring></description>
    <url>video.html</url>
  </au>
</courseStructure>
"""
AU1 = "http://courses.example.org/c1/au/1"


CAT = "https://w3id.org/xapi/cmi5/context/categories/"
LMS_ACTIVITY = "https://lms.example.org/activity/0b1c2d"  # the activityId an LMS generates
LEARNER = "account:http://lms.example.org|u1"


#: The verbs whose cmi5 defined statements must carry result.duration (cmi5 9.5.4.1-1..4,
#: 9.5.4.2-1; Abandoned is the w3id verb, 9.3.6).
DURATION_VERBS = {ADL + "terminated", ADL + "completed", ADL + "passed", ADL + "failed",
                  CMI5 + "abandoned"}


def statement(n, verb, result=None, activity=AU1, defined=True, grouping=None,
              **context_extensions):
    """A statement of learner u1; ``defined``: a cmi5 defined statement (the cmi5 category, and
    moveOn when the result has success or completion, cmi5 9.6.2.1/9.6.2.2; a
    ``result.duration`` of PT1M added on the verbs that need one, 9.5.4, unless the result
    says ``"duration": None``); ``grouping``: the activity ids of
    context.contextActivities.grouping (where cmi5 puts the AU's publisher id)."""
    s = {"id": f"00000000-0000-4000-8000-{n:012d}",
         "actor": {"account": {"homePage": "http://lms.example.org", "name": "u1"}},
         "verb": {"id": verb}, "object": {"id": activity},
         "timestamp": f"2024-03-01T09:00:{n:02d}Z"}
    if defined and verb in DURATION_VERBS:
        result = {"duration": "PT1M", **(result or {})}
    if result is not None and "duration" in result and result["duration"] is None:
        result = {k: v for k, v in result.items() if k != "duration"}
    if result is not None:
        s["result"] = result
    context = {}
    if defined:
        categories = [{"id": CAT + "cmi5"}]
        if result is not None and ("success" in result or "completion" in result):
            categories.insert(0, {"id": CAT + "moveon"})
        context["contextActivities"] = {"category": categories}
    if grouping is not None:
        context.setdefault("contextActivities", {})["grouping"] = [{"id": g} for g in grouping]
    if context_extensions:
        context["extensions"] = {"https://w3id.org/xapi/cmi5/context/extensions/" + k: v
                                 for k, v in context_extensions.items()}
    if context:
        s["context"] = context
    return s


@pytest.fixture(scope="module")
def course():
    return mm.io.read_cmi5_course(COURSE, {"http://objectives.example.org/fractions": "F"})


def test_course_structure(course):
    au = course["aus"][AU1]
    assert (au["moveOn"], au["masteryScore"], au["objectives"]) == (
        "Passed", 0.8, ["http://objectives.example.org/fractions"])
    video = course["aus"]["http://courses.example.org/c1/au/2"]
    assert (video["moveOn"], video["masteryScore"], video["objectives"]) == (
        "NotApplicable", None, [])
    assert not video["objectives_inherited"]
    assert course["objectives"] == {"http://objectives.example.org/fractions": "Fractions"}


def test_passed_and_failed_against_the_mastery_score(course):
    ok = [statement(1, ADL + "passed", {"score": {"scaled": 0.85}, "success": True}),
          statement(2, ADL + "failed", {"score": {"scaled": 0.5}, "success": False})]
    df = mm.io.read_xapi(ok, course=course)
    assert list(df["competency"]) == ["F", "F"]
    assert list(df["score"]) == [0.85, 0.5] and list(df["kind"]) == ["summative"] * 2
    with pytest.raises(mm.EvidenceError) as e:
        mm.io.read_xapi([statement(3, ADL + "passed", {"score": {"scaled": 0.7}, "success": True})],
                        course=course)
    assert "below the masteryScore 0.8" in str(e.value)
    with pytest.raises(mm.EvidenceError) as e:
        mm.io.read_xapi([statement(4, ADL + "failed", {"score": {"scaled": 0.9},
                                                       "success": False})], course=course)
    assert "at or above the masteryScore" in str(e.value)
    # the statement's own masteryScore context extension (what the LMS launched with) wins
    df = mm.io.read_xapi([statement(5, ADL + "passed", {"score": {"scaled": 0.7}, "success": True},
                                    masteryscore=0.6)], course=course)
    assert list(df["score"]) == [0.7]


def test_a_score_only_on_passed_or_failed(course):
    with pytest.raises(mm.EvidenceError) as e:
        mm.io.read_xapi([statement(1, ADL + "completed", {"score": {"scaled": 0.9},
                                                         "completion": True}),
                         statement(2, ADL + "terminated", {"score": {"raw": 3, "min": 0,
                                                                     "max": 5}})],
                        course=course)
    assert list(e.value.rows) == [0, 1]
    assert "cmi5 allows a score only on passed and failed" in str(e.value)


def test_waived_becomes_a_waiver_row_with_its_reason(course):
    w = statement(1, CMI5 + "waived", {"success": True, "completion": True, "extensions": {
        "https://w3id.org/xapi/cmi5/result/extensions/reason": "Tested Out"}})
    bare = statement(2, CMI5 + "waived", {"success": True, "completion": True},
                     defined=False)  # a cmi5 defined waived needs its reason (9.3.7.0-2)
    skipped = []
    df = mm.io.read_xapi([w, bare], course=course, skipped=skipped)
    assert skipped == []
    assert list(df["kind"]) == ["waiver:Tested Out", "waiver"]
    assert list(df["competency"]) == ["F", "F"]
    assert list(df["score"]) == [1.0, 1.0]  # the success score (fractions): never counted
    assert list(df["source"]) == [w["id"], bare["id"]]
    assert df.attrs["waived"] == [
        {"statement": 0, "learner": "account:http://lms.example.org|u1", "competency": "F",
         "reason": "Tested Out", "timestamp": "2024-03-01T09:00:01Z"},
        {"statement": 1, "learner": "account:http://lms.example.org|u1", "competency": "F",
         "reason": "", "timestamp": "2024-03-01T09:00:02Z"}]


def test_satisfied_and_session_verbs_create_no_rating_evidence(course):
    verbs = [ADL + v for v in ("launched", "initialized", "terminated", "abandoned",
                               "completed")] + [CMI5 + "satisfied"]
    skipped = []
    df = mm.io.read_xapi([statement(i, v, {"completion": True} if "completed" in v else None)
                          for i, v in enumerate(verbs)], course=course, skipped=skipped)
    assert len(df) == 0
    assert [i for i, _ in skipped] == list(range(len(verbs)))
    assert all("creates no rating evidence" in why for _, why in skipped)


def test_the_shared_course_structures(shared_data):
    folder = shared_data / "interop" / "xapi" / "cmi5"
    if not folder.is_dir():
        pytest.skip(f"{folder} is absent")
    files = sorted(folder.glob("examples/*.xml")) + sorted(folder.glob("catapult-lts/*.xml"))
    assert len(files) == 15
    for f in files:
        c = mm.io.read_cmi5_course(f)
        assert c["aus"], f.name
    complex_ = mm.io.read_cmi5_course(folder / "examples" / "complex-cmi5.xml")
    assert len(complex_["aus"]) == 14
    au = complex_["aus"][AU]
    assert (au["moveOn"], au["masteryScore"]) == ("CompletedAndPassed", 0.5)
    # an AU without objectives of its own takes its block's (this one: block 003's)
    assert au["objectives"][0] == GEO and au["objectives_inherited"]
    own = complex_["aus"]["http://example.com/courses/f59c9fc0/au/6f64"]
    assert own["objectives"] == [
        "http://objectives.example.com/identifiers/history/history-of-science"]
    assert not own["objectives_inherited"]
    # the AU aligns to its first objective: a passed statement rates it
    s = statement(1, ADL + "passed", {"score": {"scaled": 0.6}, "success": True}, activity=AU)
    df = mm.io.read_xapi(json.dumps([s]), course=complex_)
    assert list(df["competency"]) == [GEO]
    with pytest.raises(mm.EvidenceError):
        mm.io.read_xapi([statement(2, ADL + "passed", {"score": {"scaled": 0.4}, "success": True},
                                   activity=AU)], course=complex_)
    waived = mm.io.read_cmi5_course(folder / "catapult-lts" / "009-1-waived.cmi5.xml")
    assert list(waived["aus"].values())[0]["moveOn"] == "CompletedOrPassed"


def test_an_au_is_found_through_its_grouping_activity(course):
    # cmi5 8.1.5.0-3/6 and 9.6.2.3: the object id of a cmi5 statement is the activityId the LMS
    # generated (never the AU's publisher id), and the publisher id is a grouping activity
    ok = statement(1, ADL + "passed", {"score": {"scaled": 0.85}, "success": True},
                   activity=LMS_ACTIVITY, grouping=["http://lms.example.org/course/7", AU1])
    skipped = []
    df = mm.io.read_xapi([ok], course=course, skipped=skipped)
    assert (list(df["competency"]), list(df["activity"]), list(df["score"])) == (
        ["F"], [LMS_ACTIVITY], [0.85])
    assert skipped == []
    # the AU's masteryScore (0.8) is found through the grouping too (no context extension)
    low = statement(2, ADL + "passed", {"score": {"scaled": 0.7}, "success": True},
                    activity=LMS_ACTIVITY, grouping=[AU1])
    with pytest.raises(mm.EvidenceError) as e:
        mm.io.read_xapi([low], course=course)
    assert str(e.value) == ("1 problem: statement 0: /result/score/scaled: passed with 0.7 "
                            "below the masteryScore 0.8 (cmi5 9.3.4)")
    # without the grouping activity the LMS activityId aligns nothing: skipped, named
    lost = statement(3, ADL + "passed", {"score": {"scaled": 0.85}, "success": True},
                     activity=LMS_ACTIVITY)
    skipped = []
    assert len(mm.io.read_xapi([lost], course=course, skipped=skipped)) == 0
    assert skipped == [(0, f"activity {LMS_ACTIVITY} is aligned to no competency")]
    # an AU without objectives aligns nothing either: the reason names the AU
    video = "http://courses.example.org/c1/au/2"
    seen = statement(4, ADL + "failed", {"score": {"scaled": 0.1}, "success": False},
                     activity=LMS_ACTIVITY, grouping=[video])
    skipped = []
    assert len(mm.io.read_xapi([seen], course=course, skipped=skipped)) == 0
    assert skipped == [(0, f"activity {LMS_ACTIVITY} (of the cmi5 AU {video}, which has no "
                           "objectives) is aligned to no competency")]
    with pytest.raises(mm.EvidenceError) as e:
        mm.io.read_xapi([seen], course=course, skip_unaligned=False)
    assert str(e.value) == (f"1 problem: statement 0: /object/id: activity {LMS_ACTIVITY} (of "
                            f"the cmi5 AU {video}, which has no objectives) is aligned to no "
                            "competency")


def test_an_object_aligned_on_its_own_keeps_its_competency(course):
    # a question inside the AU (a cmi5 allowed statement, grouped under the AU)
    question = "http://quiz.example.org/q1"
    q = statement(1, ADL + "answered", {"score": {"scaled": 0.5}}, activity=question,
                  defined=False, grouping=[AU1])
    assert list(mm.io.read_xapi([q], course=course)["competency"]) == ["F"]
    df = mm.io.read_xapi([q], course=course, alignment={question: "Q"})
    assert (list(df["competency"]), list(df["kind"])) == (["Q"], ["formative"])
    # alignment= of the AU's id overrides the course's objective for the AU's statements
    p = statement(2, ADL + "passed", {"score": {"scaled": 0.9}, "success": True},
                  activity=LMS_ACTIVITY, grouping=[AU1])
    assert list(mm.io.read_xapi([p], course=course, alignment={AU1: "G"})["competency"]) == ["G"]


def test_an_au_competency_outside_the_framework_names_the_grouping(course):
    fw = mm.FrameworkBuilder().add_competency("G").build()
    p = statement(1, ADL + "passed", {"score": {"scaled": 0.9}, "success": True},
                  activity=LMS_ACTIVITY, grouping=["http://lms.example.org/course/7", AU1])
    with pytest.raises(mm.EvidenceError) as e:
        mm.io.read_xapi([p], fw, course=course)
    assert str(e.value) == (f"1 problem: statement 0: /context/contextActivities/grouping/1/id: "
                            f"cmi5 AU {AU1} is aligned to competency 'F', which is not in the "
                            "framework")


def test_verb_kinds_override_the_cmi5_verb_table(course):
    s = statement(1, ADL + "completed", {"score": {"scaled": 0.6}, "completion": True},
                  defined=False, activity=LMS_ACTIVITY, grouping=[AU1])
    skipped = []
    assert len(mm.io.read_xapi([s], course=course, skipped=skipped)) == 0
    assert skipped == [(0, f"verb {ADL}completed creates no rating evidence")]
    df = mm.io.read_xapi([s], course=course, verb_kinds={ADL + "completed": "formative"})
    assert (list(df["competency"]), list(df["kind"]), list(df["score"])) == (
        ["F"], ["formative"], [0.6])


def test_cmi5_rules_apply_to_cmi5_defined_statements_only(course):
    # cmi5 9.5.1.0-2, 9.5.2.0-3, 9.5.3.0-2 restrict "cmi5 defined" statements, those with the
    # cmi5 category (9.6.2.1); cmi5 allowed statements are plain xAPI
    allowed = [statement(1, ADL + "answered", {"score": {"scaled": 0.9}}, defined=False,
                         activity=LMS_ACTIVITY, grouping=[AU1]),
               statement(2, ADL + "scored", {"score": {"raw": 3, "min": 0, "max": 4},
                                             "success": True, "completion": False},
                         defined=False, activity=LMS_ACTIVITY, grouping=[AU1])]
    df = mm.io.read_xapi(allowed, course=course)
    assert (list(df["score"]), list(df["kind"])) == ([0.9, 0.75], ["formative"] * 2)
    # the same statements as cmi5 defined ones: refused, by section
    with pytest.raises(mm.EvidenceError) as e:
        mm.io.read_xapi([dict(s, context=statement(0, ADL + "x", s["result"],
                                                   grouping=[AU1])["context"])
                         for s in allowed], course=course)
    answered, scored = ADL + "answered", ADL + "scored"
    assert [p["message"] for p in e.value.problems] == [
        f"statement 0: /result/score: cmi5 allows a score only on passed and failed, not on "
        f"{answered} (cmi5 9.5.1)",
        f"statement 1: /result/score: cmi5 allows a score only on passed and failed, not on "
        f"{scored} (cmi5 9.5.1)",
        f"statement 1: /result/success: cmi5 allows success only on passed, failed and waived, "
        f"not on {scored} (cmi5 9.5.2)",
        f"statement 1: /result/completion: cmi5 allows completion only on completed and waived, "
        f"not on {scored} (cmi5 9.5.3)"]


@pytest.mark.parametrize("verb,result,problems", [
    # 9.5.2.0-1: success true on passed (and waived)
    ("passed", {"score": {"scaled": 0.9}, "success": False},
     ["/result/success: must be true on {v} (cmi5 9.5.2), is false"]),
    ("passed", {"score": {"scaled": 0.9}},
     ["/result/success: must be true on {v} (cmi5 9.5.2), is absent"]),
    # 9.5.2.0-2: success false on failed
    ("failed", {"score": {"scaled": 0.1}, "success": True},
     ["/result/success: must be false on {v} (cmi5 9.5.2), is true"]),
    ("failed", {"score": {"scaled": 0.1}},
     ["/result/success: must be false on {v} (cmi5 9.5.2), is absent"]),
    # 9.5.3.0-1: completion true on completed (and waived)
    ("completed", {"completion": False},
     ["/result/completion: must be true on {v} (cmi5 9.5.3), is false"]),
    ("completed", {"duration": "PT1M"},
     ["/result/completion: must be true on {v} (cmi5 9.5.3), is absent"]),
    # 9.5.2.0-3: no success on another verb
    ("completed", {"completion": True, "success": True},
     ["/result/success: cmi5 allows success only on passed, failed and waived, not on {v} "
      "(cmi5 9.5.2)"]),
    # 9.5.3.0-2: no completion on another verb
    ("passed", {"score": {"scaled": 0.9}, "success": True, "completion": True},
     ["/result/completion: cmi5 allows completion only on completed and waived, not on {v} "
      "(cmi5 9.5.3)"]),
    ("terminated", {"completion": True},
     ["/result/completion: cmi5 allows completion only on completed and waived, not on {v} "
      "(cmi5 9.5.3)"]),
    # waived: success and completion true (9.5.2.0-1, 9.5.3.0-1)
    (CMI5 + "waived", {"success": True, "extensions": {
        "https://w3id.org/xapi/cmi5/result/extensions/reason": "Administrative"}},
     ["/result/completion: must be true on {v} (cmi5 9.5.3), is absent"]),
    (CMI5 + "waived", {"completion": True, "success": False, "extensions": {
        "https://w3id.org/xapi/cmi5/result/extensions/reason": "Administrative"}},
     ["/result/success: must be true on {v} (cmi5 9.5.2), is false"]),
    # and the masteryScore rule with them: every problem of the statement listed
    ("passed", {"score": {"scaled": 0.5}, "success": False},
     ["/result/success: must be true on {v} (cmi5 9.5.2), is false",
      "/result/score/scaled: passed with 0.5 below the masteryScore 0.8 (cmi5 9.3.4)"]),
])
def test_cmi5_defined_result_rules(course, verb, result, problems):
    v = verb if ":" in verb else ADL + verb
    s = statement(1, v, result, activity=LMS_ACTIVITY, grouping=[AU1])
    # JSON lines: the line is named too
    text = json.dumps(statement(0, ADL + "launched", defined=False)) + "\n" + json.dumps(s)
    with pytest.raises(mm.EvidenceError) as e:
        mm.io.read_xapi(text, course=course)
    assert list(e.value.rows) == [1] * len(problems)
    assert [p["message"] for p in e.value.problems] == [
        "statement 1 (line 2): " + p.format(v=v) for p in problems]
    # a cmi5 allowed statement (no cmi5 category) with the same result is plain xAPI
    plain = statement(1, v, result, activity=LMS_ACTIVITY, grouping=[AU1], defined=False)
    mm.io.read_xapi([plain], course=course)


def test_conformant_cmi5_defined_statements_are_accepted(course):
    ok = [statement(1, ADL + "passed", {"score": {"scaled": 0.8}, "success": True},
                    activity=LMS_ACTIVITY, grouping=[AU1]),
          statement(2, ADL + "failed", {"score": {"scaled": 0.79}, "success": False},
                    activity=LMS_ACTIVITY, grouping=[AU1]),
          statement(3, ADL + "completed", {"completion": True, "duration": "PT5M"},
                    activity=LMS_ACTIVITY, grouping=[AU1]),
          statement(4, CMI5 + "waived", {"success": True, "completion": True, "extensions": {
              "https://w3id.org/xapi/cmi5/result/extensions/reason": "Administrative"}},
                    activity=LMS_ACTIVITY, grouping=[AU1]),
          statement(5, ADL + "terminated", {"duration": "PT6M"}, activity=LMS_ACTIVITY,
                    grouping=[AU1])]
    skipped = []
    df = mm.io.read_xapi(ok, course=course, skipped=skipped)
    assert (list(df["statement"]), list(df["score"])) == ([0, 1, 3], [0.8, 0.79, 1.0])
    assert list(df["kind"]) == ["summative", "summative", "waiver:Administrative"]
    assert [i for i, _ in skipped] == [2, 4]


def test_a_roster_applies_a_waiver_as_an_exemption(example_data):
    """cmi5 ``waived`` (issue 13): the competency is exempt with the waiver's reason, whatever
    the learner's other evidence below mastery, on every ingest path; mastery from evidence
    takes precedence; voiding the waived statement withdraws the exemption; a learner record
    carries it."""
    folder = example_data / "fractions"
    fw = mm.Framework.from_json((folder / "framework.json").read_text())
    policy = mm.Policy.from_json((folder / "policy.json").read_text())
    course = mm.io.read_cmi5_course(COURSE, {"http://objectives.example.org/fractions":
                                             "FR3.equiv"})
    failed = statement(1, ADL + "failed", {"score": {"scaled": 0.3}, "success": False},
                       activity=LMS_ACTIVITY, grouping=[AU1])
    waiver = statement(2, CMI5 + "waived", {"success": True, "completion": True, "extensions": {
        "https://w3id.org/xapi/cmi5/result/extensions/reason": "Tested Out"}},
        activity=LMS_ACTIVITY, grouping=[AU1])
    df = mm.io.read_xapi([failed, waiver], fw, course=course, scale=policy)
    assert [w["statement"] for w in df.attrs["waived"]] == [0 + 1]
    rosters = []
    for ingest in ("ingest", "ingest_statements"):
        roster = mm.Roster(fw, policy)
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # applied: nothing to warn about
            getattr(roster, ingest)(df)
        rosters.append(roster)
    for roster in rosters:
        assert roster.learner(LEARNER).status("FR3.equiv") == "exempt"
    roster = rosters[0]
    ex = roster.learner(LEARNER).explain("FR3.equiv")
    assert ex.status == "exempt"
    assert f"waived (Tested Out): by '{waiver['id']}' on 2024-03-01T09:00:02Z" in ex.notes
    assert [(e["kind"], e["used"]) for e in ex.evidence] == [("summative", True),
                                                            ("waiver:Tested Out", False)]
    # the rest of the learner's map: the engine's own evaluation of the log agrees
    assert mm.Engine(fw, policy).evaluate(roster.log, LEARNER).status("FR3.equiv") == "exempt"
    # a snapshot (pickle) keeps it: same statuses, same explanation
    back = pickle.loads(pickle.dumps(roster))
    assert back.learner(LEARNER).explain("FR3.equiv") == ex
    # a credential for it says it was waived, not demonstrated
    docs = mm.io.achievement_credentials(roster, LEARNER, issuer="https://school.example.org")
    waived_doc = [d for d in docs
                  if d["credentialSubject"]["achievement"]["humanCode"] == "FR3.equiv"]
    assert len(waived_doc) == 1
    assert waived_doc[0]["credentialSubject"]["narrative"] == (
        "Exempted by a waiver, not shown to the issuer by evidence: waived (Tested Out): by "
        f"'{waiver['id']}' on 2024-03-01T09:00:02Z.")
    assert all(d["credentialSubject"]["achievement"]["humanCode"] != "FR3.equiv" for d in
               mm.io.achievement_credentials(roster, LEARNER, issuer="https://school.example.org",
                                             include_exempt=False))
    # a learner record reproduces the exemption at the next school
    text = roster.export_record(LEARNER)
    target = mm.Roster(fw, policy, as_of=json.loads(text)["as_of"])
    assert mm.io.read_record(text, target)["differences"] == []
    assert target.learner(LEARNER).status("FR3.equiv") == "exempt"
    # voiding the waived statement withdraws the exemption
    void = {"id": "00000000-0000-4000-8000-000000000099",
            "actor": {"account": {"homePage": "http://lms.example.org", "name": "admin"}},
            "verb": {"id": ADL + "voided"},
            "object": {"objectType": "StatementRef", "id": waiver["id"]},
            "timestamp": "2024-03-02T09:00:00Z"}
    roster.ingest(mm.io.read_xapi([void], fw, course=course, scale=policy))
    assert roster.learner(LEARNER).status("FR3.equiv") == "in_progress"
    assert "waived" not in " ".join(roster.learner(LEARNER).explain("FR3.equiv").notes)
    # this domain's rule requires a teacher's check (require_kinds: discussion): two passed
    # statements at Advanced await it, a waiver does not (an authority's decision)
    passed = [statement(n, ADL + "passed", {"score": {"scaled": 0.95}, "success": True},
                        activity=LMS_ACTIVITY, grouping=[AU1]) for n in (3, 4)]
    gated = mm.Roster(fw, policy)
    gated.ingest(mm.io.read_xapi(passed, fw, course=course, scale=policy))
    assert gated.learner(LEARNER).status("FR3.equiv") == "awaiting_confirmation"
    gated.ingest(mm.io.read_xapi([waiver], fw, course=course, scale=policy))
    assert gated.learner(LEARNER).status("FR3.equiv") == "exempt"
    assert "unmet: gatekeeper: no 'discussion' evidence yet" in \
        gated.learner(LEARNER).explain("FR3.equiv").text

REASON = "https://w3id.org/xapi/cmi5/result/extensions/reason"


def test_a_cmi5_waiver_needs_a_string_reason_without_control_characters(course):
    """cmi5 9.3.7.0-2 / 9.5.5.2-1: a cmi5 defined waived statement carries its reason; the
    reason names the evidence kind, so no control characters."""
    cases = {"absent": {"success": True, "completion": True},
             "a number": {"success": True, "completion": True, "extensions": {REASON: 7}},
             "empty": {"success": True, "completion": True, "extensions": {REASON: ""}}}
    for what, result in cases.items():
        with pytest.raises(mm.EvidenceError) as e:
            mm.io.read_xapi([statement(1, CMI5 + "waived", result)], course=course)
        assert str(e.value).endswith(
            "statement 0: /result/extensions: cmi5 requires the reason extension "
            f"{REASON}, a non-empty string, on waived (cmi5 9.3.7.0-2, 9.5.5.2-1)"), what
    with pytest.raises(mm.EvidenceError) as e:
        mm.io.read_xapi([statement(1, CMI5 + "waived", {
            "success": True, "completion": True, "extensions": {REASON: "Tested\nOut"}})],
            course=course)
    assert ("statement 0: /result/extensions/https:~1~1w3id.org~1xapi~1cmi5~1result~1extensions"
            "~1reason: a waiver's reason names its evidence kind (\"waiver:<reason>\"): control "
            "characters are not allowed") in str(e.value)


def test_the_verb_table_says_what_waived_does_and_a_school_may_decline_waivers(course):
    assert mm.io.xapi_verb_kinds()[CMI5 + "waived"] == "waiver"
    w = statement(1, CMI5 + "waived", {"success": True, "completion": True,
                                       "extensions": {REASON: "Tested Out"}})
    skipped = []
    df = mm.io.read_xapi([w], course=course, verb_kinds={CMI5 + "waived": None},
                         skipped=skipped)
    assert len(df) == 0 and df.attrs["waived"] == []
    assert skipped == [(0, f"verb {CMI5}waived creates no rating evidence")]
    # or a policy ignores every waiver, whatever its reason
    df = mm.io.read_xapi([w], course=course)
    assert list(df["kind"]) == ["waiver:Tested Out"]


def _problems(course, s):
    """The messages read_xapi gives for statement ``s`` as line 2 of JSON lines (after a
    conformant launched statement): [] when it is accepted."""
    text = json.dumps(statement(0, ADL + "launched", defined=False)) + "\n" + json.dumps(s)
    try:
        mm.io.read_xapi(text, course=course)
    except mm.EvidenceError as e:
        assert set(e.rows) == {1}
        return [p["message"] for p in e.problems]
    return []


# cmi5 9.5.4.1-1..4 and 9.5.4.2-1: "The AU MUST include the "duration" property in
# "Terminated" / "Completed" / "Passed" / "Failed" statements", "The duration property MUST be
# included in "Abandoned" statements"; 9.5.4: "Other cmi defined statements MAY include the
# duration property".
@pytest.mark.parametrize("verb,result,required", [
    (ADL + "terminated", {}, True),
    (ADL + "completed", {"completion": True}, True),
    (ADL + "passed", {"score": {"scaled": 0.9}, "success": True}, True),
    (ADL + "failed", {"score": {"scaled": 0.1}, "success": False}, True),
    (CMI5 + "abandoned", {}, True),
    (ADL + "launched", {}, False),
    (ADL + "initialized", {}, False),
    (CMI5 + "satisfied", {}, False),
    (CMI5 + "waived", {"success": True, "completion": True, "extensions": {
        "https://w3id.org/xapi/cmi5/result/extensions/reason": "Administrative"}}, False),
])
def test_cmi5_duration(course, verb, result, required):
    without = statement(1, verb, dict(result, duration=None), activity=LMS_ACTIVITY,
                        grouping=[AU1])
    assert "duration" not in without.get("result", {})
    expected = ([f"statement 1 (line 2): /result/duration: must be present on {verb} (cmi5 "
                 "9.5.4), is absent"] if required else [])
    assert _problems(course, without) == expected
    # with a duration: accepted, whatever the verb (MUST on the five, MAY on the others)
    with_ = statement(1, verb, dict(result, duration="PT2M30S"), activity=LMS_ACTIVITY,
                      grouping=[AU1])
    assert _problems(course, with_) == []
    # a cmi5 allowed statement (no cmi5 category) is plain xAPI: no duration needed
    plain = statement(1, verb, result or None, activity=LMS_ACTIVITY, grouping=[AU1],
                      defined=False)
    assert "duration" not in plain.get("result", {})
    assert _problems(course, plain) == []


MOVEON = CAT + "moveon"
MOVEON_MUST = ("/context/contextActivities/category: must hold the moveOn category activity "
               f"{MOVEON} on {{v}} with result.success or result.completion (cmi5 9.6.2.2)")
MOVEON_NOT = ("/context/contextActivities/{at}/id: cmi5 allows the moveOn category activity "
              "only on cmi5 defined statements with result.success or result.completion, not on "
              "{what} (cmi5 9.6.2.2)")


# cmi5 9.6.2.2-1: "cmi5 defined statements with a Result object (Section 9.5) that include
# either "success" or "completion" properties MUST have an Activity object with an "id" of
# ".../categories/moveon" in the "category" context activities list"; 9.6.2.2-2: "Other
# statements MUST NOT include this Activity"; its derived requirement (d): reject statements
# that include it "in a context.contextActivities list" that "are not cmi5 defined statements
# or that are cmi5 defined statements that do not contain either a result.completion or
# result.success property".
@pytest.mark.parametrize("verb,result", [
    (ADL + "passed", {"score": {"scaled": 0.9}, "success": True}),
    (ADL + "failed", {"score": {"scaled": 0.1}, "success": False}),
    (ADL + "completed", {"completion": True}),
    (CMI5 + "waived", {"success": True, "completion": True, "extensions": {
        "https://w3id.org/xapi/cmi5/result/extensions/reason": "Administrative"}}),  # (d4)
])
def test_cmi5_moveon_required_with_success_or_completion(course, verb, result):
    s = statement(1, verb, result, activity=LMS_ACTIVITY, grouping=[AU1])
    assert s["context"]["contextActivities"]["category"][0] == {"id": MOVEON}
    assert _problems(course, s) == []
    del s["context"]["contextActivities"]["category"][0]
    assert _problems(course, s) == ["statement 1 (line 2): " + MOVEON_MUST.format(v=verb)]
    # in another list than category: still missing from category
    s["context"]["contextActivities"]["other"] = [{"id": MOVEON}]
    assert _problems(course, s) == ["statement 1 (line 2): " + MOVEON_MUST.format(v=verb)]


def test_cmi5_moveon_forbidden_elsewhere(course):
    term = ADL + "terminated"
    # a cmi5 defined statement without success or completion, moveOn in its category list
    s = statement(1, term, activity=LMS_ACTIVITY, grouping=[AU1])
    s["context"]["contextActivities"]["category"].append({"id": MOVEON})
    assert _problems(course, s) == ["statement 1 (line 2): " + MOVEON_NOT.format(
        at="category/1", what=f"{term} without them")]
    # in any contextActivities list (the derived requirement): parent, grouping, other; an
    # activity list given as one object (xAPI 1.0.x) has no index
    for lst, value, at in [("parent", [{"id": "http://x.org/p"}, {"id": MOVEON}], "parent/1"),
                           ("other", {"id": MOVEON}, "other"),
                           ("grouping", [{"id": AU1}, {"id": MOVEON}], "grouping/1")]:
        s = statement(1, term, activity=LMS_ACTIVITY, grouping=[AU1])
        s["context"]["contextActivities"][lst] = value
        assert _problems(course, s) == ["statement 1 (line 2): " + MOVEON_NOT.format(
            at=at, what=f"{term} without them")], lst
    # a cmi5 allowed statement (no cmi5 category) must not carry it either, even with success
    answered = ADL + "answered"
    s = statement(1, answered, {"score": {"scaled": 0.5}, "success": True},
                  activity=LMS_ACTIVITY, grouping=[AU1], defined=False)
    s["context"]["contextActivities"]["category"] = {"id": MOVEON}
    assert _problems(course, s) == ["statement 1 (line 2): " + MOVEON_NOT.format(
        at="category", what=f"a cmi5 allowed statement (no cmi5 category) of {answered}")]
    # without course= (no cmi5) the statement is plain xAPI
    assert len(mm.io.read_xapi([s], alignment={LMS_ACTIVITY: "F"})) == 1


def test_cmi5_every_rule_of_a_statement_is_listed(course):
    # a passed statement breaking 9.5.2, 9.5.3, 9.5.4, 9.3.4 and 9.6.2.2 at once: every
    # problem, in the order result (score, success, completion, duration, masteryScore), context
    s = statement(1, ADL + "passed", {"score": {"scaled": 0.5}, "success": False,
                                      "completion": True, "duration": None},
                  activity=LMS_ACTIVITY, grouping=[AU1])
    del s["context"]["contextActivities"]["category"][0]
    v = ADL + "passed"
    assert _problems(course, s) == ["statement 1 (line 2): " + p for p in [
        f"/result/success: must be true on {v} (cmi5 9.5.2), is false",
        f"/result/completion: cmi5 allows completion only on completed and waived, not on {v} "
        "(cmi5 9.5.3)",
        f"/result/duration: must be present on {v} (cmi5 9.5.4), is absent",
        "/result/score/scaled: passed with 0.5 below the masteryScore 0.8 (cmi5 9.3.4)",
        MOVEON_MUST.format(v=v)]]


def test_cmi5_abandoned_creates_no_rating_evidence(course):
    # cmi5's Abandoned verb is https://w3id.org/xapi/adl/verbs/abandoned (9.3.6): a session
    # verb like the others, not evidence of the default kind
    skipped = []
    s = statement(1, CMI5 + "abandoned", activity=LMS_ACTIVITY, grouping=[AU1])
    assert len(mm.io.read_xapi([s], course=course, skipped=skipped)) == 0
    assert skipped == [(0, f"verb {CMI5}abandoned creates no rating evidence")]
    table = mm.io.xapi_verb_kinds()
    assert CMI5 + "abandoned" in table and table[CMI5 + "abandoned"] is None
