"""cmi5: course structures (CourseStructure.xsd) and the cmi5 statement rules in read_xapi."""
import json

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


def statement(n, verb, result=None, activity=AU1, **context_extensions):
    s = {"id": f"00000000-0000-4000-8000-{n:012d}",
         "actor": {"account": {"homePage": "http://lms.example.org", "name": "u1"}},
         "verb": {"id": verb}, "object": {"id": activity},
         "timestamp": f"2024-03-01T09:00:{n:02d}Z"}
    if result is not None:
        s["result"] = result
    if context_extensions:
        s["context"] = {"extensions": {
            "https://w3id.org/xapi/cmi5/context/extensions/" + k: v
            for k, v in context_extensions.items()}}
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
        mm.io.read_xapi([statement(3, ADL + "passed", {"score": {"scaled": 0.7}})], course=course)
    assert "below the masteryScore 0.8" in str(e.value)
    with pytest.raises(mm.EvidenceError) as e:
        mm.io.read_xapi([statement(4, ADL + "failed", {"score": {"scaled": 0.9}})], course=course)
    assert "at or above the masteryScore" in str(e.value)
    # the statement's own masteryScore context extension (what the LMS launched with) wins
    df = mm.io.read_xapi([statement(5, ADL + "passed", {"score": {"scaled": 0.7}},
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


def test_waived_is_an_exemption_with_its_reason(course):
    w = statement(1, CMI5 + "waived", {"success": True, "completion": True, "extensions": {
        "https://w3id.org/xapi/cmi5/result/extensions/reason": "Tested Out"}})
    df = mm.io.read_xapi([w], course=course)
    assert len(df) == 0
    assert df.attrs["waived"] == [{"statement": 0, "learner": "account:http://lms.example.org|u1",
                                   "competency": "F", "reason": "Tested Out",
                                   "timestamp": "2024-03-01T09:00:01Z"}]


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
    s = statement(1, ADL + "passed", {"score": {"scaled": 0.6}}, activity=AU)
    df = mm.io.read_xapi(json.dumps([s]), course=complex_)
    assert list(df["competency"]) == [GEO]
    with pytest.raises(mm.EvidenceError):
        mm.io.read_xapi([statement(2, ADL + "passed", {"score": {"scaled": 0.4}}, activity=AU)],
                        course=complex_)
    waived = mm.io.read_cmi5_course(folder / "catapult-lts" / "009-1-waived.cmi5.xml")
    assert list(waived["aus"].values())[0]["moveOn"] == "CompletedOrPassed"
