// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
#include <doctest/doctest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <masterymap/error.hpp>
#include <masterymap/evidence.hpp>
#include <masterymap/framework.hpp>
#include <masterymap/io/xapi.hpp>
#include <string>
#include <vector>

using namespace masterymap;
using io::validate_xapi_statement;
using io::xapi_problem;
using io::xapi_version;

namespace {

// A valid statement with one member replaced: `actor`, `verb`, `object`, `extra` (raw JSON
// members appended at the top level, each with a leading comma).
std::string statement(std::string actor = {}, std::string verb = {}, std::string object = {},
                      const std::string& extra = {}) {
  if (actor.empty()) actor = R"({"mbox":"mailto:ann@example.org"})";
  if (verb.empty())
    verb = R"({"id":"http://adlnet.gov/expapi/verbs/passed","display":{"en-US":"passed"}})";
  if (object.empty()) object = R"({"id":"http://example.org/act/1"})";
  return R"({"id":"fd41c918-b88b-4b20-a0a5-a4c32391aaa0","actor":)" + actor + R"(,"verb":)" + verb +
         R"(,"object":)" + object + extra + "}";
}

std::string first_path(const std::string& s, xapi_version v = xapi_version::v2_0) {
  const auto p = validate_xapi_statement(s, v);
  return p.empty() ? std::string("(valid)") : p.front().path;
}

}  // namespace

TEST_CASE("xapi: a plain statement is valid under both editions") {
  CHECK(validate_xapi_statement(statement()).empty());
  CHECK(validate_xapi_statement(statement(), xapi_version::v1_0_3).empty());
}

TEST_CASE("xapi: exactly one inverse functional identifier per Agent") {
  CHECK(first_path(statement(R"({"name":"Ann"})")) == "/actor");
  CHECK(first_path(statement(
            R"({"mbox":"mailto:a@example.org","openid":"http://openid.example.org/a"})")) ==
        "/actor");
  CHECK(first_path(statement(R"({"mbox_sha1sum":"ebd31e95054c018b10727ccffd2ef2ec3a016ee9"})")) ==
        "(valid)");
  CHECK(first_path(statement(R"({"mbox_sha1sum":"xyz"})")) == "/actor/mbox_sha1sum");
  CHECK(first_path(statement(R"({"mbox":"ann@example.org"})")) == "/actor/mbox");
  CHECK(first_path(statement(R"({"account":{"homePage":"http://lms.example.org"}})")) ==
        "/actor/account/name");
  CHECK(first_path(statement(
            R"({"account":{"homePage":"http://lms.example.org","name":"7","extra":1}})")) ==
        "/actor/account/extra");
  // anonymous group: members, no identifier; identified group: one identifier
  CHECK(first_path(statement(
            R"({"objectType":"Group","member":[{"mbox":"mailto:a@example.org"}]})")) == "(valid)");
  CHECK(first_path(statement(R"({"objectType":"Group"})")) == "/actor/member");
  CHECK(first_path(
            statement(R"({"objectType":"Group","member":[{"objectType":"Group","member":[]}]})")) ==
        "/actor/member/0/objectType");
}

TEST_CASE("xapi: IRIs, UUIDs, language maps and unknown keys") {
  CHECK(first_path(statement({}, R"({"id":"passed"})")) == "/verb/id");
  CHECK(first_path(statement({}, R"({"id":"http://x.org/v","display":{"en-US":1}})")) ==
        "/verb/display/en-US");
  CHECK(first_path(statement({}, R"({"id":"http://x.org/v","display":{"e n":"x"}})")) ==
        "/verb/display/e n");
  CHECK(first_path(statement({}, R"({"id":"http://x.org/v","display":{"zh-Hans-CN":"x"}})")) ==
        "(valid)");
  // RFC 5646: a repeated extension singleton is not well-formed
  CHECK(first_path(
            statement({}, R"({"id":"http://x.org/v","display":{"zh-z-aaa-z-bbb-c-ccc":"x"}})")) ==
        "/verb/display/zh-z-aaa-z-bbb-c-ccc");
  CHECK(first_path(statement({}, {}, {}, R"(,"Actor":{})")) == "/Actor");
  CHECK(
      first_path(R"({"id":"fd41c918-b88b-4b20-a0a5-a4c32391aaaZ","actor":{"mbox":"mailto:a@b.c"},)"
                 R"("verb":{"id":"http://x.org/v"},"object":{"id":"http://x.org/a"}})") == "/id");
  CHECK(first_path(statement({}, {}, {}, R"(,"context":null)")) == "/context");
}

TEST_CASE("xapi: timestamps are RFC 3339 with a known offset") {
  CHECK(first_path(statement({}, {}, {}, R"(,"timestamp":"2013-05-18T05:32:34.804Z")")) ==
        "(valid)");
  CHECK(first_path(statement({}, {}, {}, R"(,"timestamp":"2008-09-15T15:53:00.601+00:00")")) ==
        "(valid)");
  for (const char* bad : {"2008-09-15T15:53:00.601-00", "2008-09-15T15:53:00.601-0000",
                          "2008-09-15T15:53:00.601-00:00", "01/011/2015", "2013-02-30T00:00:00Z",
                          "2013-05-18T05:32:34"}) {
    CAPTURE(bad);
    CHECK(first_path(statement({}, {}, {}, std::string(R"(,"timestamp":")") + bad + "\"")) ==
          "/timestamp");
  }
  // non-UTC offsets are converted to UTC
  const auto t = io::parse_rfc3339("2024-03-01T09:30:00.5+02:00");
  REQUIRE(t);
  CHECK(*t == doctest::Approx(1709278200.5));  // 2024-03-01T07:30:00.5Z
  CHECK(*io::parse_rfc3339("1970-01-01T00:00:00Z") == 0.0);
  CHECK(*io::parse_rfc3339("1969-12-31T19:00:00-05:00") == 0.0);
}

TEST_CASE("xapi: a leap second is the next day's first instant (RFC 3339 5.7, POSIX time)") {
  // 2017-01-01T00:00:00Z is 1483228800 s (17167 days of 86400 s since 1970-01-01).
  const double new_year = 17167.0 * 86400.0;
  REQUIRE(new_year == 1483228800.0);
  for (const char* leap :
       {"2016-12-31T23:59:60Z", "2016-12-31T15:59:60-08:00", "2017-01-01T05:29:60+05:30"}) {
    CAPTURE(leap);
    const auto t = io::parse_rfc3339(leap);
    REQUIRE(t);
    CHECK(*t == new_year);
    CHECK(first_path(statement({}, {}, {}, std::string(R"(,"timestamp":")") + leap + "\"")) ==
          "(valid)");
  }
  const auto frac = io::parse_rfc3339("2016-12-31T23:59:60.5Z");
  REQUIRE(frac);
  CHECK(*frac == new_year + 0.5);
  // Seconds 60 anywhere but at 23:59 UTC, and 61, are no time.
  for (const char* bad : {"2016-12-31T12:00:60Z", "2016-12-31T23:59:60+01:00",
                          "2016-12-31T23:58:60Z", "2016-12-31T23:59:61Z"}) {
    CAPTURE(bad);
    CHECK_FALSE(io::parse_rfc3339(bad));
    CHECK(first_path(statement({}, {}, {}, std::string(R"(,"timestamp":")") + bad + "\"")) ==
          "/timestamp");
  }
}

TEST_CASE("xapi: durations and scores") {
  auto with_result = [](const std::string& result) {
    return statement({}, {}, {}, R"(,"result":)" + result);
  };
  for (const char* ok : {"PT1H0M0.1S", "PT16559.14S", "P3Y1M29DT4H35M59.14S", "P3Y", "P4W"}) {
    CAPTURE(ok);
    CHECK(first_path(with_result(std::string(R"({"duration":")") + ok + "\"}")) == "(valid)");
  }
  for (const char* bad : {"PA1H0M0S", "P4W1D", "PT", "P", "P1.5YT1H", "T1H"}) {
    CAPTURE(bad);
    CHECK(first_path(with_result(std::string(R"({"duration":")") + bad + "\"}")) ==
          "/result/duration");
  }
  CHECK(first_path(with_result(R"({"score":{"scaled":1.5}})")) == "/result/score/scaled");
  CHECK(first_path(with_result(R"({"score":{"raw":11,"min":0,"max":10}})")) == "/result/score/raw");
  CHECK(first_path(with_result(R"({"score":{"min":5,"max":5}})")) == "/result/score/min");
  CHECK(first_path(with_result(R"({"success":"true"})")) == "/result/success");
}

TEST_CASE("xapi: structural rules: voiding, SubStatements, context, version") {
  CHECK(first_path(statement({}, R"({"id":"http://adlnet.gov/expapi/verbs/voided"})")) ==
        "/object");
  CHECK(first_path(statement(
            {}, R"({"id":"http://adlnet.gov/expapi/verbs/voided"})",
            R"({"objectType":"StatementRef","id":"fd41c918-b88b-4b20-a0a5-a4c32391aaa0"})")) ==
        "(valid)");
  const std::string sub =
      R"({"objectType":"SubStatement","actor":{"mbox":"mailto:a@b.c"},"verb":{"id":"http://x.org/v"},)"
      R"("object":{"id":"http://x.org/a"},"id":"fd41c918-b88b-4b20-a0a5-a4c32391aaa0"})";
  CHECK(first_path(statement({}, {}, sub)) == "/object/id");
  CHECK(first_path(statement({}, {}, R"({"objectType":"Agent","mbox":"mailto:a@b.c"})",
                             R"(,"context":{"platform":"x"})")) == "/context/platform");
  const std::string agents =
      R"(,"context":{"contextAgents":[{"objectType":"contextAgent","agent":{"mbox":"mailto:a@b.c"},"relevantTypes":["http://x.org/t"]}]})";
  CHECK(first_path(statement({}, {}, {}, agents)) == "(valid)");
  CHECK(first_path(statement({}, {}, {}, agents), xapi_version::v1_0_3) ==
        "/context/contextAgents");
  CHECK(first_path(statement({}, {}, {}, R"(,"version":"1.0.9")"), xapi_version::v1_0_3) ==
        "(valid)");
  CHECK(first_path(statement({}, {}, {}, R"(,"version":"2.0.0")"), xapi_version::v1_0_3) ==
        "/version");
  CHECK(first_path(statement({}, {}, {}, R"(,"version":"2.0.0")")) == "(valid)");
  CHECK_THROWS_AS((void)validate_xapi_statement("{\"id\":"), parse_error);
}

TEST_CASE("xapi: statements to evidence") {
  io::xapi_mapping m;
  m.alignment = {{"http://example.org/act/1", "A"}};
  m.score_scale = scale::four_point();
  m.verb_kinds = io::default_verb_kinds();
  const std::string lines =
      R"({"id":"00000000-0000-4000-8000-000000000001","actor":{"mbox":"mailto:ann@example.org"},"verb":{"id":"http://adlnet.gov/expapi/verbs/passed"},"object":{"id":"http://example.org/act/1"},"result":{"score":{"scaled":0.8}},"timestamp":"2024-03-01T09:30:00+02:00"})"
      "\n\n"
      R"({"id":"00000000-0000-4000-8000-000000000002","actor":{"account":{"homePage":"http://lms.example.org","name":"u7"}},"verb":{"id":"http://adlnet.gov/expapi/verbs/failed"},"object":{"id":"http://example.org/act/1"},"result":{"success":false},"timestamp":"2024-03-02T00:00:00Z"})"
      "\n"
      R"({"id":"00000000-0000-4000-8000-000000000003","actor":{"mbox":"mailto:ann@example.org"},"verb":{"id":"http://adlnet.gov/expapi/verbs/launched"},"object":{"id":"http://example.org/act/1"},"timestamp":"2024-03-02T00:00:00Z"})"
      "\n";
  const auto e = io::parse_xapi(lines, m);
  REQUIRE(e.size() == 2);
  CHECK(e.learners[e.learner[0]] == "mbox:mailto:ann@example.org");
  CHECK(e.learners[e.learner[1]] == "account:http://lms.example.org|u7");
  CHECK(e.competencies[e.competency[0]] == "A");
  CHECK(e.score[0] == 3.0);  // four-point: fraction 0.8 -> cut 0.75 -> Proficient (3)
  CHECK(e.score[1] == 2.0);  // failure: the rating below mastery
  CHECK(e.kinds[e.kind[0]] == "summative");
  CHECK(e.time[0] == doctest::Approx(1709278200.0));
  CHECK(e.timestamp[0] == "2024-03-01T09:30:00+02:00");
  CHECK(e.source[1] == "00000000-0000-4000-8000-000000000002");
  REQUIRE(e.skipped.size() == 1);
  CHECK(e.skipped[0].first == 2);

  // all or nothing: every bad statement by index, with lines
  const std::string bad =
      R"({"actor":{"mbox":"mailto:a@b.c"},"verb":{"id":"http://x.org/v"},"object":{"id":"http://example.org/act/1"},"result":{"score":{"scaled":-0.5}},"timestamp":"2024-03-01T00:00:00Z"})"
      "\n"
      R"({"actor":{},"verb":{"id":"http://x.org/v"},"object":{"id":"http://example.org/act/1"}})"
      "\n";
  try {
    (void)io::parse_xapi(bad, m);
    FAIL("no error");
  } catch (const evidence_error& err) {
    REQUIRE(err.rows().size() == 2);
    CHECK(err.rows()[0] == 0);
    CHECK(err.rows()[1] == 1);
    CHECK(err.lines()[1] == 2);
    CHECK(std::string(err.problems()[0].message).find("negative scaled") != std::string::npos);
    // the line in the message too (JSON lines), not only in lines()
    CHECK(err.problems()[0].message.rfind("statement 0 (line 1): /result/score/scaled: ", 0) == 0);
    CHECK(err.problems()[1].message.rfind("statement 1 (line 2): /actor", 0) == 0);
  }
  m.negative = io::xapi_negative::zero;
  CHECK_THROWS_AS((void)io::parse_xapi(bad, m), evidence_error);  // the second is still bad

  // the same id twice: same content once, other content an error
  const std::string one =
      R"({"id":"00000000-0000-4000-8000-000000000009","actor":{"mbox":"mailto:a@b.c"},"verb":{"id":"http://x.org/v"},"object":{"id":"http://example.org/act/1"},"result":{"score":{"scaled":0.5}},"timestamp":"2024-03-01T00:00:00Z"})";
  CHECK(io::parse_xapi(one + "\n" + one + "\n", m).size() == 1);
  CHECK(io::parse_xapi("[" + one + "," + one + "]", m).size() == 1);
  std::string other = one;
  other.replace(other.find("0.5"), 3, "0.6");
  CHECK_THROWS_AS((void)io::parse_xapi(one + "\n" + other + "\n", m), evidence_error);
  CHECK_THROWS_AS((void)io::parse_xapi("[" + one + "," + other + "]", m), evidence_error);
  // malformed JSON: line and column
  try {
    (void)io::parse_xapi(one + "\n{\"id\": ]\n", m);
    FAIL("no error");
  } catch (const parse_error& err) {
    CHECK(err.line() == 2);
    CHECK(err.column() > 0);
    // one prefix, and the line counted in the input (not in the line's own text)
    CHECK(std::string(err.what()).rfind("xAPI statements: syntax error at line 2, column ", 0) ==
          0);
    CHECK(std::string(err.what()).find("xAPI statements: xAPI") == std::string::npos);
  }
  try {  // a malformed first value (the whole text is one JSON value, or nothing)
    (void)io::parse_xapi("[{\"id\": ]", m);
    FAIL("no error");
  } catch (const parse_error& err) {
    CHECK(std::string(err.what()).rfind("xAPI statements: syntax error at line 1, column ", 0) ==
          0);
  }
}

TEST_CASE("xapi: a row voided in its own batch stays, flagged (before or after the void)") {
  io::xapi_mapping m;
  m.alignment = {{"http://example.org/act/1", "A"}};
  m.verb_kinds = io::default_verb_kinds();
  const std::string target =
      R"({"id":"00000000-0000-4000-8000-000000000001","actor":{"mbox":"mailto:ann@example.org"},"verb":{"id":"http://adlnet.gov/expapi/verbs/passed"},"object":{"id":"http://example.org/act/1"},"result":{"score":{"scaled":0.8}},"timestamp":"2024-03-01T09:30:00Z"})";
  const std::string kept =
      R"({"id":"00000000-0000-4000-8000-000000000002","actor":{"mbox":"mailto:ann@example.org"},"verb":{"id":"http://adlnet.gov/expapi/verbs/passed"},"object":{"id":"http://example.org/act/1"},"result":{"score":{"scaled":0.4}},"timestamp":"2024-03-02T09:30:00Z"})";
  const std::string void_ =
      R"({"id":"00000000-0000-4000-8000-000000000009","actor":{"mbox":"mailto:admin@example.org"},"verb":{"id":"http://adlnet.gov/expapi/verbs/voided"},"object":{"objectType":"StatementRef","id":"00000000-0000-4000-8000-000000000001"},"timestamp":"2024-03-03T00:00:00Z"})";
  for (const std::string& text :
       {void_ + "\n" + target + "\n" + kept + "\n", target + "\n" + void_ + "\n" + kept + "\n"}) {
    const auto e = io::parse_xapi(text, m);
    REQUIRE(e.size() == 2);
    CHECK(e.source[0] == "00000000-0000-4000-8000-000000000001");
    CHECK(e.retracted == std::vector<std::uint8_t>{1, 0});
    REQUIRE(e.retractions.size() == 1);
    CHECK(e.retractions[0] == retraction{"00000000-0000-4000-8000-000000000001",
                                         "00000000-0000-4000-8000-000000000009"});
    // into a log: kept, retracted on arrival, the other counts
    const io::statement_batch b(e);
    evidence_log log;
    const auto s = log.append_statements(b.columns, b.retractions(), {});
    CHECK(s.rows == 2);
    CHECK(log.row_retracted(0));
    CHECK_FALSE(log.row_retracted(1));
  }
}

namespace {

// `count` JSON lines statements (about 600 bytes each) over 50 learners and 7 activities (6
// aligned), some session verbs, blank lines now and then; `id(i)` gives statement i's id.
std::string many_statements(std::size_t count) {
  std::string out;
  const char* verbs[] = {"passed", "failed", "completed", "launched", "answered"};
  for (std::size_t i = 0; i < count; ++i) {
    char id[48];  // 36 characters; room for any size_t, so -Wformat-truncation has no case
    std::snprintf(id, sizeof id, "00000000-0000-4000-8000-%012zu", i);
    const std::string verb = verbs[i * 7 % 5];
    out +=
        R"({"id":")" + std::string(id) + R"(","actor":{"name":"Learner","mbox":"mailto:l)" +
        std::to_string(i * 13 % 50) +
        R"(@example.org"},"verb":{"id":"http://adlnet.gov/expapi/verbs/)" + verb +
        R"(","display":{"en-US":")" + verb +
        R"("}},"object":{"objectType":"Activity","id":"http://example.org/act/)" +
        std::to_string(i * 5 % 7) +
        R"(","definition":{"name":{"en-US":"An activity with a long enough name"},"type":"http://adlnet.gov/expapi/activities/assessment"}},)";
    if (verb != "launched")
      out += R"("result":{"score":{"scaled":0.)" + std::to_string(i % 10) +
             R"(},"success":true,"completion":true,"duration":"PT)" + std::to_string(i % 90 + 1) +
             R"(S"},)";
    out +=
        R"("context":{"registration":"00000000-0000-4000-8000-000000000000","contextActivities":{"parent":[{"id":"https://lms.example.org/course"}]}},"timestamp":"2024-03-0)" +
        std::to_string(i % 9 + 1) + "T09:30:00." + std::to_string(i % 1000) + "+02:00\"}\n";
    if (i % 1000 == 999) out += "\n";
  }
  return out;
}

void check_same(const io::xapi_evidence& a, const io::xapi_evidence& b) {
  REQUIRE(a.size() == b.size());
  CHECK(a.learners == b.learners);
  CHECK(a.competencies == b.competencies);
  CHECK(a.kinds == b.kinds);
  CHECK(a.verbs == b.verbs);
  CHECK(a.activities == b.activities);
  CHECK(a.learner == b.learner);
  CHECK(a.competency == b.competency);
  CHECK(a.kind == b.kind);
  CHECK(a.verb == b.verb);
  CHECK(a.activity == b.activity);
  CHECK(a.time == b.time);
  CHECK(a.score == b.score);
  CHECK(a.statement == b.statement);
  CHECK(a.retracted == b.retracted);
  CHECK(a.source.chars() == b.source.chars());
  CHECK(a.source.ends() == b.source.ends());
  CHECK(a.timestamp.chars() == b.timestamp.chars());
  CHECK(a.skipped == b.skipped);
  CHECK(a.retractions == b.retractions);
}

std::vector<std::string> messages_of(const std::string& text, const io::xapi_mapping& m) {
  try {
    (void)io::parse_xapi(text, m);
  } catch (const evidence_error& e) {
    std::vector<std::string> out;
    for (std::size_t k = 0; k < e.problems().size(); ++k)
      out.push_back(e.problems()[k].message + " @" + std::to_string(e.rows()[k]) + ":" +
                    std::to_string(e.lines()[k]));
    return out;
  }
  return {};
}

}  // namespace

TEST_CASE("xapi: JSON lines read by several threads give what one thread gives") {
  io::xapi_mapping one;
  for (int k = 0; k < 6; ++k)
    one.alignment.emplace("http://example.org/act/" + std::to_string(k),
                          "C" + std::to_string(k % 4));
  one.score_scale = scale::four_point();
  one.verb_kinds = io::default_verb_kinds();
  one.threads = 1;
  io::xapi_mapping four = one;
  four.threads = 4;  // parts of 4 MB at least: 20,000 statements (12 MB) make 3
  const std::string text = many_statements(20000);
  REQUIRE(text.size() > std::size_t{12} << 20);
  const auto a = io::parse_xapi(text, one);
  const auto b = io::parse_xapi(text, four);
  CHECK(a.size() > 10000);
  check_same(a, b);
  CHECK(b.statement.back() == 19998);  // blank lines do not count (19999 is a session verb)

  SUBCASE("errors in several parts: every one, in order, with its line") {
    std::string bad = text;  // not JSON: a syntax error in the last part
    bad.replace(bad.rfind("\"scaled\":0.5"), 12, "\"scaled\":-.5");
    bad.replace(bad.find("mailto:l"), 7, "mailto_");  // and a bad first statement
    try {
      (void)io::parse_xapi(bad, four);
      FAIL("no error");
    } catch (const parse_error& e) {
      std::string expected;
      try {
        (void)io::parse_xapi(bad, one);
      } catch (const parse_error& e1) {
        expected = e1.what();
      }
      CHECK(std::string(e.what()) == expected);
      CHECK(e.line() > 15000);
    }
    std::string invalid = text;
    for (const std::size_t at : {invalid.find("\"scaled\":0.5"), invalid.rfind("\"scaled\":0.5"),
                                 invalid.find("mailto:l")})
      invalid.replace(at, 12,
                      invalid.compare(at, 7, "mailto:") == 0 ? "mailto_l1@ex" : "\"scaled\":1.5");
    const auto expected = messages_of(invalid, one);
    CHECK(expected.size() == 3);
    CHECK(messages_of(invalid, four) == expected);
  }
  SUBCASE("voids across parts and blank lines before the first statement: as one thread") {
    // statement 19990 (last part) voids statement 1 (first part), statement 5's row is voided
    // by a statement appended at the end; every index and line is renumbered by the join
    auto voiding = [](int n, const std::string& target) {
      char id[48];
      std::snprintf(id, sizeof id, "00000000-0000-4000-9000-%012d", n);
      return R"({"id":")" + std::string(id) +
             R"(","actor":{"mbox":"mailto:admin@example.org"},"verb":{"id":"http://adlnet.gov/expapi/verbs/voided"},"object":{"objectType":"StatementRef","id":")" +
             target + R"("},"timestamp":"2024-03-03T00:00:00Z"})" + "\n";
    };
    const std::string all = "\n\n \n" + text + voiding(1, "00000000-0000-4000-8000-000000000001") +
                            voiding(2, "00000000-0000-4000-8000-000000000005");
    const auto x = io::parse_xapi(all, one), y = io::parse_xapi(all, four);
    check_same(x, y);
    CHECK(x.voided == y.voided);
    REQUIRE(y.voided.size() == 2);
    CHECK(y.voided[0].first == 20000);
    CHECK(std::count(y.retracted.begin(), y.retracted.end(), 1) == 2);
    // a void of a void, found by the join: its line counts the blank lines before
    const std::string twice = all + voiding(3, "00000000-0000-4000-9000-000000000001");
    const auto expected = messages_of(twice, one);
    REQUIRE(expected.size() == 1);
    CHECK(expected[0].find("itself a voiding statement") != std::string::npos);
    CHECK(messages_of(twice, four) == expected);
  }
  SUBCASE("an id in two parts: read as one thread reads it") {
    const std::string again = text.substr(0, text.find('\n') + 1);  // statement 0 again, last
    check_same(io::parse_xapi(text + again, four), io::parse_xapi(text + again, one));
    std::string changed = again;
    changed.replace(changed.find("\"scaled\":0.0"), 12, "\"scaled\":0.1");
    const auto expected = messages_of(text + changed, one);
    REQUIRE(expected.size() == 1);
    CHECK(expected[0].find("was already used by statement 0") != std::string::npos);
    CHECK(messages_of(text + changed, four) == expected);
  }
}

namespace {

// A statement with id number `n`, score `scaled` (text), timestamp `when`; `extra` appended to
// the object's members (e.g. a definition).
std::string scored(int n, const std::string& scaled, const std::string& when,
                   const std::string& extra = {}) {
  char id[48];
  std::snprintf(id, sizeof id, "00000000-0000-4000-8000-%012d", n);
  return R"({"id":")" + std::string(id) +
         R"(","actor":{"mbox":"mailto:ann@example.org"},"verb":{"id":"http://adlnet.gov/expapi/verbs/passed"},"object":{"id":"http://example.org/act/1")" +
         extra + R"(},"result":{"score":{"scaled":)" + scaled + R"(}},"timestamp":")" + when +
         R"("})";
}

std::string first_message(const std::function<void()>& f) {
  try {
    f();
  } catch (const evidence_error& e) {
    return e.problems().empty() ? std::string("(no problem)") : e.problems().front().message;
  }
  return "(no error)";
}

}  // namespace

TEST_CASE("xapi: the timestamp text is kept by the log, its copies and explain's evidence") {
  io::xapi_mapping m;
  m.alignment = {{"http://example.org/act/1", "A"}};
  const auto e = io::parse_xapi(scored(1, "0.8", "2024-03-01T09:30:00.123+02:00") + "\n" +
                                    scored(2, "0.6", "2024-03-02T10:00:00Z") + "\n",
                                m);
  REQUIRE(e.size() == 2);
  const io::statement_batch b(e);
  REQUIRE(b.columns.timestamp.size() == 2);
  evidence_log log;
  log.add({"ann", "A", 1.0, 0.5}, ingest_checks{});  // a row without a text
  const auto s = log.append_statements(b.columns, b.retractions(), {});
  CHECK(s.rows == 2);
  CHECK(log.timestamp_text(0).empty());
  CHECK(log.timestamp_text(1) == "2024-03-01T09:30:00.123+02:00");
  CHECK(log.timestamp_text(2) == "2024-03-02T10:00:00Z");
  CHECK(log.times()[1] == doctest::Approx(1709278200.123));  // 07:30:00.123Z
  CHECK(log.timestamp_rows() == std::vector<std::uint64_t>{1, 2});
  CHECK(log.at(1).timestamp == "2024-03-01T09:30:00.123+02:00");
  CHECK(log.at(0).timestamp.empty());
  CHECK_THROWS_AS((void)log.timestamp_text(3), std::out_of_range);
  // copies and owning rows keep it; == sees it
  const evidence_log copy = log;
  CHECK(copy == log);
  CHECK(copy.timestamp_text(1) == log.timestamp_text(1));
  std::vector<evidence> rows;
  for (std::size_t i = 0; i < log.size(); ++i) rows.push_back(log.at(i));
  evidence_log again;
  again.append_unchecked(rows);
  CHECK(again == log);
  rows[1].timestamp = "2024-03-01T07:30:00.123Z";  // the same instant, written otherwise
  evidence_log other;
  other.append_unchecked(rows);
  CHECK_FALSE(other == log);
  // a batch's timestamp column of another length
  evidence_columns bad = b.columns;
  bad.timestamp.pop_back();
  CHECK_THROWS_AS((void)log.append_statements(bad, {}, {}), std::invalid_argument);
  CHECK(log == copy);
}

TEST_CASE("xapi: the same statement id: JSON values within a batch, evidence across batches") {
  io::xapi_mapping m;
  m.alignment = {{"http://example.org/act/1", "A"}};
  const std::string one = scored(1, "0.5", "2024-03-01T00:00:00+02:00");
  // key order swapped, numbers written otherwise, an escape: the same JSON value
  const std::string swapped =
      R"({"timestamp":"2024-03-01T00:00:00+02:00","result":{"score":{"scaled":5e-1}},"object":{"id":"http:\/\/example.org\/act\/1"},"verb":{"id":"http://adlnet.gov/expapi/verbs/passed"},"actor":{"mbox":"mailto:ann@example.org"},"id":"00000000-0000-4000-8000-000000000001"})";
  for (const std::string& text : {one + "\n" + swapped + "\n", "[" + one + "," + swapped + "]"}) {
    const auto e = io::parse_xapi(text, m);
    CHECK(e.size() == 1);
    REQUIRE(e.skipped.size() == 1);
    CHECK(e.skipped[0].second == "a repeat of statement 0");
  }
  // the same instant written otherwise in one batch: a repeat (xAPI Data 2.3.1); another
  // instant is another statement's content, an error
  const std::string shifted = scored(1, "0.5", "2024-02-29T22:00:00.000Z");
  for (const std::string& text : {one + "\n" + shifted + "\n", "[" + one + "," + shifted + "]"}) {
    const auto e = io::parse_xapi(text, m);
    CHECK(e.size() == 1);
    REQUIRE(e.skipped.size() == 1);
    CHECK(e.skipped[0].second == "a repeat of statement 0");
    CHECK(e.timestamp[0] == "2024-03-01T00:00:00+02:00");
  }
  const std::string later = scored(1, "0.5", "2024-02-29T22:00:00.001Z");
  CHECK(first_message([&] {
          (void)io::parse_xapi(one + "\n" + later + "\n", m);
        }).find(R"(/timestamp: "2024-02-29T22:00:00.001Z" vs "2024-03-01T00:00:00+02:00")") !=
        std::string::npos);
  // another score in one batch: an error naming the id and the first difference
  const std::string rescored = scored(1, "0.75", "2024-03-01T00:00:00+02:00");
  for (const std::string& text : {one + "\n" + rescored + "\n", "[" + one + "," + rescored + "]"}) {
    const std::string msg = first_message([&] { (void)io::parse_xapi(text, m); });
    CHECK(msg.find("statement id 00000000-0000-4000-8000-000000000001 was already used by "
                   "statement 0 with other content") != std::string::npos);
    CHECK(msg.find("/result/score/scaled: 0.75 vs 0.5") != std::string::npos);
  }
  // a description added in one batch: the same statement (xAPI Data 2.3.1, exception 2: an
  // Activity Definition is not part of the statement)
  const std::string described = scored(1, "0.5", "2024-03-01T00:00:00+02:00",
                                       R"(,"definition":{"description":{"en-US":"A quiz"}})");
  for (const std::string& text :
       {one + "\n" + described + "\n", "[" + one + "," + described + "]"}) {
    const auto e = io::parse_xapi(text, m);
    CHECK(e.size() == 1);
    REQUIRE(e.skipped.size() == 1);
    CHECK(e.skipped[0].second == "a repeat of statement 0");
  }
  // a member of the object that is not an exception: another JSON value, an error
  const std::string typed =
      scored(1, "0.5", "2024-03-01T00:00:00+02:00", R"(,"objectType":"Activity")");
  CHECK(first_message([&] {
          (void)io::parse_xapi(one + "\n" + typed + "\n", m);
        }).find(R"(/object/objectType: "Activity" vs (absent))") != std::string::npos);

  // across batches: the evidence the statement produced
  const auto batch = [&](const std::string& text) { return io::parse_xapi(text, m); };
  evidence_log log;
  const auto first = batch(one);
  const io::statement_batch b1(first);
  CHECK(log.append_statements(b1.columns, {}, {}).rows == 1);
  {  // key order swapped: a repeat
    const auto e = batch(swapped);
    const io::statement_batch b(e);
    const auto s = log.append_statements(b.columns, {}, {});
    CHECK(s.rows == 0);
    CHECK(s.duplicates == 1);
  }
  {  // a description changed: the same evidence, a repeat (the log keeps no statements)
    const auto e = batch(described);
    const io::statement_batch b(e);
    CHECK(log.append_statements(b.columns, {}, {}).duplicates == 1);
  }
  {  // another score: an error naming the id and the value
    const auto e = batch(rescored);
    const io::statement_batch b(e);
    const std::string msg = first_message([&] { (void)log.append_statements(b.columns, {}, {}); });
    CHECK(msg ==
          "row 0: statement '00000000-0000-4000-8000-000000000001' was ingested before with "
          "other content: score 0.75 (was 0.5)");
  }
  {  // the same instant written otherwise: a repeat (xAPI Data 2.3.1: a timestamp's
     // serialization is not part of the statement); the first text stays
    const auto e = batch(scored(1, "0.5", "2024-02-29T22:00:00Z"));
    const io::statement_batch b(e);
    const auto s = log.append_statements(b.columns, {}, {});
    CHECK(s.rows == 0);
    CHECK(s.duplicates == 1);
    CHECK(log.size() == 1);
    CHECK(log.timestamp_text(0) == "2024-03-01T00:00:00+02:00");
  }
  {  // another instant and another score: the message names no timestamp texts, the time
    const auto e = batch(scored(1, "0.75", "2024-02-29T22:00:01Z"));
    const io::statement_batch b(e);
    const std::string msg = first_message([&] { (void)log.append_statements(b.columns, {}, {}); });
    CHECK(msg ==
          "row 0: statement '00000000-0000-4000-8000-000000000001' was ingested before with "
          "other content: time 2024-02-29T22:00:01Z (was 2024-02-29T22:00:00Z), score 0.75 (was "
          "0.5)");
  }
  {  // a repeat without a text (a batch made without the column): the same evidence
    const auto e = batch(one);
    io::statement_batch b(e);
    b.columns.timestamp.clear();
    CHECK(log.append_statements(b.columns, {}, {}).duplicates == 1);
  }
  CHECK(log.size() == 1);
  CHECK(log.timestamp_rows().size() == 1);
}

TEST_CASE("xapi: repeats dropped in a batch take their timestamp texts with them") {
  io::xapi_mapping m;
  m.alignment = {{"http://example.org/act/1", "A"}};
  evidence_log log;
  const auto e1 = io::parse_xapi(scored(2, "0.5", "2024-03-02T00:00:00+01:00"), m);
  const io::statement_batch b1(e1);
  (void)log.append_statements(b1.columns, {}, {});
  // statement 2 again (dropped), then 3 and 4: their texts move down with their rows
  const auto e2 = io::parse_xapi(scored(2, "0.5", "2024-03-02T00:00:00+01:00") + "\n" +
                                     scored(3, "0.7", "2024-03-03T00:00:00+03:00") + "\n" +
                                     scored(4, "0.9", "2024-03-04T00:00:00-05:00") + "\n",
                                 m);
  const io::statement_batch b2(e2);
  const auto s = log.append_statements(b2.columns, {}, {});
  CHECK(s.rows == 2);
  CHECK(s.duplicates == 1);
  REQUIRE(log.size() == 3);
  CHECK(log.timestamp_text(0) == "2024-03-02T00:00:00+01:00");
  CHECK(log.timestamp_text(1) == "2024-03-03T00:00:00+03:00");
  CHECK(log.timestamp_text(2) == "2024-03-04T00:00:00-05:00");
  CHECK(log.timestamp_rows() == std::vector<std::uint64_t>{0, 1, 2});
}

namespace {

// A one-row batch of `source` at `time` with the timestamp text `text` (and score `score`).
struct stamped_row {
  double time, score, weight = 1.0;
  std::string text;
  evidence_columns b;
  stamped_row(double time_, std::string text_, double score_ = 2.0, std::string_view source = "s1")
      : time(time_), score(score_), text(std::move(text_)) {
    b = evidence_columns::one_row("ann", "A", "formative", source, &weight);
    b.time.values = &time;
    b.score.values = &score;
    b.timestamp = {text};
  }
};

std::vector<std::string> messages(const std::function<void()>& f) {
  std::vector<std::string> out;
  try {
    f();
  } catch (const evidence_error& e) {
    for (const auto& p : e.problems()) out.push_back(p.message);
    return out;
  }
  out.emplace_back("(no error)");
  return out;
}

}  // namespace

TEST_CASE("xapi: a timestamp text must be RFC 3339 and denote the row's time") {
  // 2024-03-01T09:30:00Z = 1709285400 s (by hand: 19783 days * 86400 + 34200)
  const double t = 1709285400.0;
  evidence_log log;
  log.add({"ann", "A", 1.0, 0.5}, ingest_checks{});
  const evidence_log before = log;
  const auto refused = [&](const std::string& text, double time = 1709285400.0) {
    const stamped_row r(time, text);
    const auto m = messages([&] { log.append(r.b, ingest_checks{}); });
    CHECK(log == before);
    REQUIRE(m.size() == 1);
    return m[0];
  };
  // a newline (escaped in the message), a non-RFC-3339 text, the unknown offset
  CHECK(refused("2024-03-01T09:30:00Z\n") ==
        "row 0: timestamp text '2024-03-01T09:30:00Z\\n' is not an RFC 3339 date-time with a "
        "time zone (e.g. 2024-03-01T09:30:00Z or 2024-03-01T11:30:00.5+02:00; not the unknown "
        "offset -00:00; \"\" for none)");
  CHECK(refused("2024-03-01 09:30:00")
            .find("timestamp text '2024-03-01 09:30:00' is not an RFC "
                  "3339 date-time") != std::string::npos);
  CHECK(refused("yesterday").find("'yesterday' is not an RFC 3339") != std::string::npos);
  CHECK(refused("2024-03-01T09:30:00-00:00").find("is not an RFC 3339") != std::string::npos);
  CHECK(refused("\x01\t").find("'\\x01\\t'") != std::string::npos);
  // a text that denotes another instant
  CHECK(refused("2024-03-01T10:30:00Z") ==
        "row 0: timestamp text '2024-03-01T10:30:00Z' denotes 2024-03-01T10:30:00Z, not the "
        "row's time 2024-03-01T09:30:00Z (the text must be the same instant, to the "
        "microsecond)");
  CHECK(refused("2024-03-01T09:30:00+02:00").find("denotes 2024-03-01T07:30:00Z") !=
        std::string::npos);
  // one microsecond off is another instant; below the microsecond the same
  CHECK(refused("2024-03-01T09:30:00.000001Z").find("denotes 2024-03-01T09:30:00.000001Z") !=
        std::string::npos);
  // a very long text is cut in the message
  CHECK(refused(std::string(1000, 'x')).find("... (1000 bytes)") != std::string::npos);
  // the time's own problem is reported, not a disagreement with it
  {
    const stamped_row r(std::nan(""), "2024-03-01T09:30:00Z");
    const auto m = messages([&] { log.append(r.b, ingest_checks{}); });
    REQUIRE(m.size() == 1);
    CHECK(m[0] == "row 0: missing time");
  }
  // accepted: the same instant in UTC, with an offset, below a microsecond, and "" (none)
  for (const char* ok : {"2024-03-01T09:30:00Z", "2024-03-01T11:30:00+02:00",
                         "2024-03-01T04:00:00-05:30", "2024-03-01t09:30:00.0000004z", ""}) {
    CAPTURE(ok);
    const stamped_row r(t, ok);
    evidence_log l = before;
    CHECK_NOTHROW(l.append(r.b, ingest_checks{}));
    CHECK(l.timestamp_text(1) == ok);
    CHECK(l.timestamp_rows().size() == (std::string_view(ok).empty() ? 0U : 1U));
  }
  // a batch lists every bad text with its other problems; all or nothing
  {
    const std::uint32_t codes[3] = {0, 0, 0};
    const double times[3] = {t, t + 1, t + 2}, scores[3] = {1, -1, 2}, w = 1,
                 weights[3] = {1, 1, 1};
    evidence_columns b = evidence_columns::one_row("ann", "A", "formative", "", &w);
    b.size = 3;
    b.learner.codes = b.competency.codes = b.kind.codes = b.source.codes = codes;
    b.time.values = times;
    b.score.values = scores;
    b.weight.values = weights;
    b.timestamp = {"2024-03-01T09:30:00Z", "2024-03-01T09:30:01", "2024-03-01T09:30:03Z"};
    ingest_checks checks;
    checks.min_score = 0;
    const auto m = messages([&] { log.append(b, checks); });
    CHECK(m == std::vector<std::string>{
                   "row 1: score -1 is outside [0, inf]",
                   "row 1: timestamp text '2024-03-01T09:30:01' is not an RFC 3339 date-time "
                   "with a time zone (e.g. 2024-03-01T09:30:00Z or 2024-03-01T11:30:00.5+02:00; "
                   "not the unknown offset -00:00; \"\" for none)",
                   "row 2: timestamp text '2024-03-01T09:30:03Z' denotes 2024-03-01T09:30:03Z, "
                   "not the row's time 2024-03-01T09:30:02Z (the text must be the same instant, "
                   "to the microsecond)"});
    CHECK(log == before);
  }
  // the statements path and owning rows are checked alike
  {
    const stamped_row r(t, "2024-03-01T09:30:00Z\r\n");
    const auto m = messages([&] { (void)log.append_statements(r.b, {}, ingest_checks{}); });
    REQUIRE(m.size() == 1);
    CHECK(m[0].find("'2024-03-01T09:30:00Z\\r\\n' is not an RFC 3339") != std::string::npos);
    evidence e("ann", "A", t, 2.0);
    e.timestamp = "2024-03-01T09:30:01Z";
    const auto m2 = messages([&] { log.append(std::vector<evidence>{e}, ingest_checks{}); });
    REQUIRE(m2.size() == 1);
    CHECK(m2[0].find("denotes 2024-03-01T09:30:01Z") != std::string::npos);
    CHECK(log == before);
  }
}

TEST_CASE("xapi: a repeat with other content prints scores as sent, not float32 expansions") {
  const double t = 1709285400.0;
  evidence_log log;
  const stamped_row first(t, "2024-03-01T09:30:00Z", 0.6);
  (void)log.append_statements(first.b, {}, ingest_checks{});
  const evidence_log before = log;
  {  // 0.8 against a stored 0.6: the shortest float32 texts, not 0.6000000238418579
    const stamped_row again(t, "2024-03-01T09:30:00Z", 0.8);
    const auto m = messages([&] { (void)log.append_statements(again.b, {}, ingest_checks{}); });
    REQUIRE(m.size() == 1);
    CHECK(m[0] ==
          "row 0: statement 's1' was ingested before with other content: score 0.8 (was 0.6)");
  }
  {  // a score float32 cannot hold: what was sent, too
    const stamped_row again(t, "2024-03-01T09:30:00Z", 0.8000000001);
    const auto m = messages([&] { (void)log.append_statements(again.b, {}, ingest_checks{}); });
    REQUIRE(m.size() == 1);
    CHECK(m[0].find("score 0.8, sent as 0.8000000001 (was 0.6)") != std::string::npos);
  }
  {  // a score sent as text (a CSV field, a label): the text
    stamped_row again(t, "2024-03-01T09:30:00Z");
    evidence_columns::text_value(again.b.score, " 0.70 ");
    const auto m = messages([&] { (void)log.append_statements(again.b, {}, ingest_checks{}); });
    REQUIRE(m.size() == 1);
    CHECK(m[0].find("score 0.7, sent as 0.70 (was 0.6)") != std::string::npos);
  }
  {  // a weight likewise
    stamped_row again(t, "2024-03-01T09:30:00Z", 0.6);
    again.weight = 0.3;
    const auto m = messages([&] { (void)log.append_statements(again.b, {}, ingest_checks{}); });
    REQUIRE(m.size() == 1);
    CHECK(m[0].find("weight 0.3 (was 1)") != std::string::npos);
  }
  {  // within one batch the earlier row's sent value is known too
    const std::uint32_t codes[2] = {0, 0};
    const double times[2] = {t, t}, scores[2] = {0.1000000001, 0.2}, w = 1, weights[2] = {1, 1};
    evidence_columns b = evidence_columns::one_row("ann", "A", "formative", "s2", &w);
    b.size = 2;
    b.learner.codes = b.competency.codes = b.kind.codes = b.source.codes = codes;
    b.time.values = times;
    b.score.values = scores;
    b.weight.values = weights;
    const auto m = messages([&] { (void)log.append_statements(b, {}, ingest_checks{}); });
    REQUIRE(m.size() == 1);
    CHECK(m[0] ==
          "row 1: statement 's2' was ingested before with other content: score 0.2 (was 0.1, "
          "sent as 0.1000000001)");
  }
  CHECK(log == before);
}

TEST_CASE("xapi: a small file is read whole, its last statement at any offset of a page") {
  // simdjson reads up to 64 bytes past a value: every file size around a page boundary
  io::xapi_mapping m;
  m.alignment = {{"http://example.org/act/1", "A"}};
  m.verb_kinds = io::default_verb_kinds();
  const std::string one = scored(1, "0.8", "2024-03-01T09:30:00Z");
  const auto path = std::filesystem::temp_directory_path() /
                    ("masterymap_test_xapi_small_" + std::to_string(::getpid()) + ".jsonl");
  for (const bool array : {false, true}) {
    for (std::size_t size = 4096 - 80; size <= 4096 + 80; ++size) {
      // blanks between statements (allowed) pad the text to `size` bytes
      std::string text = array ? "[" + one + "," + scored(2, "0.5", "2024-03-02T00:00:00Z")
                               : one + "\n" + scored(2, "0.5", "2024-03-02T00:00:00Z");
      const std::size_t closing = array ? 1 : 0;
      REQUIRE(text.size() + closing <= size);
      text.insert(one.size() + (array ? 1 : 0), std::string(size - text.size() - closing, ' '));
      if (array) text += "]";
      REQUIRE(text.size() == size);
      {
        std::ofstream out(path, std::ios::binary);
        out << text;
      }
      const auto from_file = io::read_xapi(path.string(), m);
      const auto from_text = io::parse_xapi(text, m);
      REQUIRE(from_file.size() == 2);
      check_same(from_file, from_text);
    }
  }
  std::filesystem::remove(path);
}

TEST_CASE("xapi: a large file is read in parts, each by a thread into its own buffer") {
  // read_xapi reads JSON lines of 8 MB or more in parts (pread), each part finding its first
  // and last line in its own bytes: whatever the file's shape, the result is parse_xapi's
  io::xapi_mapping m;
  for (int k = 0; k < 6; ++k)
    m.alignment.emplace("http://example.org/act/" + std::to_string(k), "C" + std::to_string(k % 4));
  m.score_scale = scale::four_point();
  m.verb_kinds = io::default_verb_kinds();
  const auto path = std::filesystem::temp_directory_path() /
                    ("masterymap_test_xapi_parts_" + std::to_string(::getpid()) + ".jsonl");
  auto write = [&](const std::string& text) {
    std::ofstream out(path, std::ios::binary);
    out << text;
  };
  const std::string text = many_statements(16000);
  REQUIRE(text.size() > std::size_t{8} << 20);
  // a statement with a 5 MB description (longer than a part's read-ahead), near a boundary
  std::string long_line = text.substr(0, text.find('\n') + 1);
  long_line.replace(long_line.find("An activity with a long enough name"), 35,
                    std::string(5u << 20, 'x'));
  long_line.replace(long_line.find("-8000-"), 6, "-8001-");  // another id
  const std::string middle = text.substr(0, text.size() / 2 - 1000);
  const std::string shapes[] = {
      text,
      "\xEF\xBB\xBF\n\n  \n" + text,    // a BOM and blank lines first
      text.substr(0, text.size() - 1),  // no final line end
      middle.substr(0, middle.rfind('\n') + 1) + long_line + text.substr(middle.rfind('\n') + 1),
  };
  for (const auto& shape : shapes) {
    write(shape);
    for (const unsigned threads : {1U, 2U, 5U}) {
      CAPTURE(threads);
      m.threads = threads;
      const auto from_file = io::read_xapi(path.string(), m);
      m.threads = 1;
      const auto from_text = io::parse_xapi(shape, m);
      check_same(from_file, from_text);
    }
  }
  SUBCASE("errors and a syntax error far into the file: as from the text") {
    std::string bad = text;
    for (const std::size_t at : {bad.find("\"scaled\":0.5"), bad.rfind("\"scaled\":0.5")})
      bad.replace(at, 12, "\"scaled\":1.5");
    for (const unsigned threads : {3U, 1U}) {  // 1: the file as one part
      CAPTURE(threads);
      write(bad);
      m.threads = threads;
      const auto expected = messages_of(bad, m);
      REQUIRE(expected.size() == 2);
      std::vector<std::string> got;
      try {
        (void)io::read_xapi(path.string(), m);
      } catch (const evidence_error& e) {
        for (std::size_t k = 0; k < e.problems().size(); ++k)
          got.push_back(e.problems()[k].message + " @" + std::to_string(e.rows()[k]) + ":" +
                        std::to_string(e.lines()[k]));
      }
      CHECK(got == expected);
      std::string broken = text;
      broken.insert(broken.rfind("\"verb\""), "}");
      write(broken);
      std::string want, have;
      try {
        (void)io::parse_xapi(broken, m);
      } catch (const parse_error& e) {
        want = e.what();
      }
      try {
        (void)io::read_xapi(path.string(), m);
      } catch (const parse_error& e) {
        have = e.what();
      }
      CHECK(!want.empty());
      CHECK(have == want);
    }
  }
  std::filesystem::remove(path);
}

TEST_CASE("xapi: malformed JSON lines are reported at their line and column, whatever the cause") {
  io::xapi_mapping m;
  m.alignment = {{"http://example.org/act/1", "A"}};
  const std::string one =
      R"({"id":"00000000-0000-4000-8000-000000000001","actor":{"mbox":"mailto:a@b.c"},"verb":{"id":"http://x.org/v"},"object":{"id":"http://example.org/act/1"},"result":{"score":{"scaled":0.5}},"timestamp":"2024-03-01T00:00:00Z"})";
  std::string two = one;
  two.replace(two.find("000000000001"), 12, "000000000002");
  const auto where = [&](const std::string& text) {
    try {
      (void)io::parse_xapi(text, m);
    } catch (const parse_error& e) {
      const std::string head = "xAPI statements: syntax error at line " + std::to_string(e.line()) +
                               ", column " + std::to_string(e.column()) + ": ";
      CHECK_MESSAGE(std::string(e.what()).rfind(head, 0) == 0, e.what());
      return std::make_pair(e.line(), e.column());
    }
    FAIL("no error");
    return std::make_pair(std::size_t{0}, std::size_t{0});
  };
  // invalid UTF-8 on line 3 (it was reported on line 1)
  std::string bad = two;
  bad.replace(bad.find("a@b.c"), 1, "\xE9");
  const std::size_t at = bad.find('\xE9') + 1;
  CHECK(where(one + "\n" + two + "\n" + bad + "\n") == std::make_pair(std::size_t{3}, at));
  // a NUL after a statement, a NUL at a line start
  CHECK(where(one + "\n" + two + std::string(1, '\0') + "\n") ==
        std::make_pair(std::size_t{2}, two.size() + 1));
  CHECK(where(one + "\n" + std::string(1, '\0') + two + "\n") ==
        std::make_pair(std::size_t{2}, std::size_t{1}));
  // a BOM at a later line's start is skipped, as at the file start
  CHECK(io::parse_xapi("\xEF\xBB\xBF" + one + "\n\xEF\xBB\xBF" + two + "\n", m).size() == 2);
}

TEST_CASE("xapi: ids in other case, self-voids, voids in skipped, empty learner ids") {
  io::xapi_mapping m;
  m.alignment = {{"http://example.org/act/1", "A"}};
  const std::string id = "abcdef00-0000-4000-8000-00000000000a";
  std::string upper = id;
  std::transform(upper.begin(), upper.end(), upper.begin(),
                 [](char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 32) : c; });
  const auto with_id = [](const std::string& i) {
    return R"({"id":")" + i +
           R"(","actor":{"mbox":"mailto:a@b.c"},"verb":{"id":"http://x.org/v"},"object":{"id":"http://example.org/act/1"},"result":{"score":{"scaled":0.5}},"timestamp":"2024-03-01T00:00:00Z"})";
  };
  const auto void_of = [](const std::string& by, const std::string& target) {
    return R"({"id":")" + by +
           R"(","actor":{"mbox":"mailto:adm@b.c"},"verb":{"id":"http://adlnet.gov/expapi/verbs/voided"},"object":{"objectType":"StatementRef","id":")" +
           target + R"("}})";
  };
  // the same id in upper case: a repeat; the id kept in lower case
  const auto e = io::parse_xapi("[" + with_id(id) + "," + with_id(upper) + "]", m);
  REQUIRE(e.size() == 1);
  CHECK(e.source[0] == id);
  REQUIRE(e.skipped.size() == 1);
  CHECK(e.skipped[0].second == "a repeat of statement 0");
  // a void naming it in upper case voids it; the void is listed in skipped
  const std::string by = "abcdef00-0000-4000-8000-00000000000b";
  const auto v = io::parse_xapi(with_id(upper) + "\n" + void_of(by, upper) + "\n", m);
  REQUIRE(v.size() == 1);
  CHECK(v.retracted[0] == 1);
  CHECK(v.source[0] == id);
  REQUIRE(v.voided.size() == 1);
  CHECK(v.voided[0].second == id);
  REQUIRE(v.skipped.size() == 1);
  CHECK(v.skipped[0] == std::make_pair(std::size_t{1}, "a voiding statement: voids " + id));
  // across batches: the log sees one statement, and the void applies
  evidence_log log;
  for (const std::string& text : {with_id(id), with_id(upper), void_of(by, upper)}) {
    const auto x = io::parse_xapi(text, m);
    const io::statement_batch b(x);
    (void)log.append_statements(b.columns, b.retractions(), {}, {});
  }
  CHECK(log.size() == 1);
  CHECK(log.retracted(id));
  // a statement voiding itself (in either case)
  CHECK_THROWS_WITH_AS((void)io::parse_xapi(void_of(id, upper), m),
                       doctest::Contains("voids itself"), evidence_error);
  // learners= mapping to ""
  m.learners = {{"mbox:mailto:a@b.c", ""}};
  CHECK_THROWS_WITH_AS((void)io::parse_xapi(with_id(id), m), doctest::Contains("mbox:mailto:a@b.c"),
                       std::invalid_argument);
}

TEST_CASE("xapi: control characters in messages are escaped, validate gives line and column") {
  std::string s = statement({}, R"({"id":"http://x/\u0000b"})");
  const auto p = validate_xapi_statement(s, xapi_version::v2_0);
  REQUIRE(!p.empty());
  CHECK(p.front().rule.find(std::string(1, '\0')) == std::string::npos);
  CHECK(p.front().rule.find("http://x/\\u0000b") != std::string::npos);
  try {
    (void)validate_xapi_statement("{\"actor\":\n nul}", xapi_version::v2_0);
    FAIL("no error");
  } catch (const parse_error& e) {
    CHECK(e.line() == 2);
    CHECK(std::string(e.what()).rfind("xAPI statement: syntax error at line 2, column ", 0) == 0);
  }
}

TEST_CASE("xapi: a % in an IRI starts a pct-encoded, % HEXDIG HEXDIG (RFC 3987 2.2)") {
  // the verb and the object id, short (the byte loop) and past 16 bytes (the vector loop)
  for (const std::string bad :
       {"http://x.org/%zz", "http://x.org/%", "http://x.org/a%2", "http://x.org/%g0",
        "http://x.org/%4", "http://example.org/a/long/path/%zz", "http://example.org/a/long/path%",
        "http://example.org/a/long/path/%41%4", "urn:%"}) {
    CAPTURE(bad);
    CHECK(first_path(statement({}, R"({"id":")" + bad + R"("})")) == "/verb/id");
    CHECK(first_path(statement({}, {}, R"({"id":")" + bad + R"("})")) == "/object/id");
    std::string token = bad;  // a JSON pointer token: "/" written "~1"
    for (std::size_t at = token.find('/'); at != std::string::npos; at = token.find('/', at))
      token.replace(at, 1, "~1");
    CHECK(first_path(statement({}, {}, {}, R"(,"context":{"extensions":{")" + bad + R"(":1}})")) ==
          "/context/extensions/" + token);
  }
  for (const std::string good : {"http://x.org/%41", "http://x.org/a%2Fb%c3%A9",
                                 "http://example.org/a/long/path/%41%42%43", "urn:x%20y"}) {
    CAPTURE(good);
    CHECK(first_path(statement({}, R"({"id":")" + good + R"("})")) == "(valid)");
  }
  CHECK(first_path(statement(R"({"mbox":"mailto:a%zz@example.org"})")) == "/actor/mbox");
  // the reader (JSON lines: the fast path first, then the walker) says the same
  io::xapi_mapping m;
  m.alignment = {{"http://x.org/%zz", "A"}};
  try {
    (void)io::parse_xapi(statement({}, {}, R"({"id":"http://x.org/%zz"})") + "\n", m);
    FAIL("no error");
  } catch (const evidence_error& e) {
    CHECK(std::string(e.what()).find("statement 0 (line 1): /object/id: must be an absolute IRI") !=
          std::string::npos);
  }
}

TEST_CASE("xapi: a mailto domain is case-insensitive: one learner id, a repeat in any batch") {
  io::xapi_mapping m;
  m.alignment = {{"http://example.org/act/1", "A"}};
  const auto with_actor = [](const std::string& mbox) {
    return statement(R"({"mbox":")" + mbox + R"("})", {}, {},
                     R"(,"result":{"score":{"scaled":0.5}},"timestamp":"2024-03-01T00:00:00Z")");
  };
  // the domain in lower case, the local part as sent (RFC 5321 2.4)
  const auto e = io::parse_xapi(with_actor("mailto:Ann.B@EXAMPLE.Org"), m);
  REQUIRE(e.size() == 1);
  CHECK(e.learners == std::vector<std::string>{"mbox:mailto:Ann.B@example.org"});
  m.learner = io::xapi_learner::value;
  CHECK(io::parse_xapi(with_actor("mailto:Ann.B@EXAMPLE.Org"), m).learners ==
        std::vector<std::string>{"mailto:Ann.B@example.org"});
  m.learner = io::xapi_learner::ifi;
  // the same statement in two batches, the domain in another case: a repeat, one learner
  evidence_log log;
  for (const char* mbox : {"mailto:ann@example.org", "mailto:ann@EXAMPLE.org"}) {
    const auto x = io::parse_xapi(with_actor(mbox), m);
    const io::statement_batch b(x);
    (void)log.append_statements(b.columns, b.retractions(), {}, {});
  }
  CHECK(log.size() == 1);
  CHECK(log.learners() == std::vector<std::string>{"mbox:mailto:ann@example.org"});
  // learners= overrides see the canonical text
  m.learners = {{"mbox:mailto:ann@example.org", "ann"}};
  CHECK(io::parse_xapi(with_actor("mailto:ann@Example.ORG"), m).learners ==
        std::vector<std::string>{"ann"});
  // an mbox_sha1sum is kept as sent
  m.learners.clear();
  CHECK(io::parse_xapi(
            statement(R"({"mbox_sha1sum":"EBD31E95054C018B10727CCFFD2EF2EC3A016EE9"})", {}, {},
                      R"(,"result":{"score":{"scaled":0.5}},"timestamp":"2024-03-01T00:00:00Z")"),
            m)
            .learners ==
        std::vector<std::string>{"mbox_sha1sum:EBD31E95054C018B10727CCFFD2EF2EC3A016EE9"});
}

TEST_CASE("xapi: a time outside the reader's time range is a problem of its statement") {
  io::xapi_mapping m;
  m.alignment = {{"http://example.org/act/1", "A"}};
  const auto at = [](const std::string& id_tail, const std::string& object, const std::string& time,
                     const std::string& scaled) {
    return R"({"id":"fd41c918-b88b-4b20-a0a5-a4c32391aa)" + id_tail +
           R"(","actor":{"mbox":"mailto:ann@example.org"},"verb":{"id":"http://adlnet.gov/expapi/verbs/passed"},"object":{"id":")" +
           object + R"("},"result":{"score":{"scaled":)" + scaled + R"(}},"timestamp":")" + time +
           R"("})";
  };
  const std::string four =
      at("00", "http://example.org/act/9", "2263-01-01T00:00:00Z", "0.5") + "\n" +  // unaligned
      at("01", "http://example.org/act/1", "2024-03-01T00:00:00Z", "0.5") + "\n" +
      at("02", "http://example.org/act/1", "2263-01-01T00:00:00Z", "0.5") + "\n" +
      at("03", "http://example.org/act/1", "1600-01-01T00:00:00Z", "0.5") + "\n";
  const std::string text =
      four + at("04", "http://example.org/act/1", "2024-03-01T00:00:00Z", "7") + "\n";
  // C++ keeps the whole range unless asked: 2263-01-01 and 1600-01-01 (seconds by hand)
  {
    const auto e = io::parse_xapi(four, m);
    REQUIRE(e.size() == 3);
    CHECK(e.time[1] == 9246182400.0);
    CHECK(e.time[2] == -11676096000.0);
  }
  m.time_range = io::xapi_time_range{-9223372036.0, 9223372036.0, "a test's range"};
  try {
    (void)io::parse_xapi(text, m);
    FAIL("no error");
  } catch (const evidence_error& e) {
    CHECK(e.rows() == std::vector<std::size_t>{2, 3, 4});
    CHECK(e.lines() == std::vector<std::size_t>{3, 4, 5});
    REQUIRE(e.problems().size() == 3);
    CHECK(e.problems()[0].message ==
          "statement 2 (line 3): /timestamp: 2263-01-01T00:00:00Z is outside the times a test's "
          "range can hold");
    CHECK(e.problems()[1].message ==
          "statement 3 (line 4): /timestamp: 1600-01-01T00:00:00Z is outside the times a test's "
          "range can hold");
  }
  // both ends included
  m.time_range = io::xapi_time_range{1709251200.0, 1709251200.0, ""};
  CHECK(io::parse_xapi(at("01", "http://example.org/act/1", "2024-03-01T00:00:00Z", "0.5"), m)
            .size() == 1);
  CHECK_THROWS_WITH_AS(
      (void)io::parse_xapi(
          at("01", "http://example.org/act/1", "2024-03-01T00:00:00.000001Z", "0.5"), m),
      doctest::Contains("/timestamp: 2024-03-01T00:00:00.000001Z is outside the times the time "
                        "range (1709251200 to 1709251200 seconds since the epoch) can hold"),
      evidence_error);
  // validate_xapi_statement with a range: the timestamp, else stored
  const io::xapi_time_range range{-9223372036.0, 9223372036.0, "a test's range"};
  const std::string late = at("02", "http://example.org/act/1", "2263-01-01T00:00:00Z", "0.5");
  CHECK(validate_xapi_statement(late).empty());
  const auto p = validate_xapi_statement(late, xapi_version::v2_0, range);
  REQUIRE(p.size() == 1);
  CHECK(p[0] == xapi_problem{"/timestamp",
                             "2263-01-01T00:00:00Z is outside the times a test's range can hold"});
  CHECK(validate_xapi_statement(statement({}, {}, {}, R"(,"stored":"1600-01-01T00:00:00Z")"),
                                xapi_version::v2_0, range)
            .at(0)
            .path == "/stored");
  CHECK(validate_xapi_statement(
            statement({}, {}, {},
                      R"(,"timestamp":"2024-03-01T00:00:00Z","stored":"1600-01-01T00:00:00Z")"),
            xapi_version::v2_0, range)
            .empty());
}

TEST_CASE("xapi: integers beyond 64 bits are valid JSON, read as the nearest double") {
  const std::string big = "123456789012345678901234567890";
  for (const std::string& n :
       {big, "-" + big, std::string("18446744073709551616"), std::string("-9223372036854775809")}) {
    CAPTURE(n);
    CHECK(validate_xapi_statement(statement({}, {}, {},
                                            R"(,"context":{"extensions":{"http://x.org/e":[)" + n +
                                                R"(,{"a":)" + n + "}]}}"))
              .empty());
  }
  // the limits themselves were always read (as integers)
  CHECK(validate_xapi_statement(
            statement({}, {}, {},
                      R"(,"context":{"extensions":{"http://x.org/e":18446744073709551615}})"))
            .empty());
  // a score that large is checked as a double: raw 1e29 within 0..2e29 is 0.5; scaled 1.2e29 is
  // out of [-1, 1]
  io::xapi_mapping m;
  m.alignment = {{"http://example.org/act/1", "A"}};
  const std::string raw = statement(
      {}, {}, {},
      R"(,"result":{"score":{"raw":100000000000000000000000000000,"min":0,"max":200000000000000000000000000000},"extensions":{"http://x.org/n":)" +
          big + R"(}},"timestamp":"2024-03-01T00:00:00Z")");
  for (const std::string& text : {raw, raw + "\n", "[" + raw + "]", raw + "\n" + raw + "\n"}) {
    CAPTURE(text);
    const auto e = io::parse_xapi(text, m);
    REQUIRE(e.size() == 1);
    CHECK(e.score[0] == 0.5);
  }
  const auto p = validate_xapi_statement(
      statement({}, {}, {}, R"(,"result":{"score":{"scaled":)" + big + "}}"));
  REQUIRE(p.size() == 1);
  CHECK(p[0].path == "/result/score/scaled");
  // a repeat compares numbers by value: ten times the number is another statement, while a
  // last digit beyond a double's precision is not seen (the same nearest double)
  const auto with_n = [](const std::string& n) {
    return statement({}, {}, {},
                     R"(,"result":{"score":{"scaled":0.5},"extensions":{"http://x.org/n":)" + n +
                         R"(}},"timestamp":"2024-03-01T00:00:00Z")");
  };
  CHECK_THROWS_WITH_AS((void)io::parse_xapi(with_n(big) + "\n" + with_n(big + "0") + "\n", m),
                       doctest::Contains("/result/extensions/http:~1~1x.org~1n"), evidence_error);
  const std::string near = "123456789012345678901234567891";
  REQUIRE(std::stod(near) == std::stod(big));
  CHECK(io::parse_xapi(with_n(big) + "\n" + with_n(near) + "\n", m).skipped.size() == 1);
  // digits in strings are left alone; other number errors stay ParseErrors with their place
  CHECK(
      validate_xapi_statement(
          statement({}, {}, {}, R"(,"context":{"extensions":{"http://x.org/e":")" + big + R"("}})"))
          .empty());
  for (const std::string& bad : {std::string("1e400"), "0" + big, "-0" + big, big + "."}) {
    CAPTURE(bad);
    CHECK_THROWS_AS((void)validate_xapi_statement(statement(
                        {}, {}, {}, R"(,"context":{"extensions":{"http://x.org/e":)" + bad + "}}")),
                    parse_error);
    CHECK_THROWS_AS(
        (void)io::parse_xapi(statement({}, {}, {},
                                       R"(,"context":{"extensions":{"http://x.org/e":)" + bad +
                                           R"(,"http://x.org/f":)" + big + "}}") +
                                 "\n",
                             m),
        parse_error);
  }
}

TEST_CASE("xapi: cmi5 AUs through their grouping activity, the rules on cmi5 defined statements") {
  // cmi5 8.1.5.0-3/6: the object id is the LMS's activityId, not the AU's publisher id, which
  // travels in context.contextActivities.grouping (9.6.2.3)
  io::xapi_mapping m;
  m.verb_kinds = io::default_verb_kinds();
  m.cmi5 = true;
  m.cmi5_aus = {{"http://c.example.org/au/1", "F"}, {"http://c.example.org/au/2", ""}};
  m.mastery_scores = {{"http://c.example.org/au/1", 0.8}};
  const auto with = [](const std::string& verb, const std::string& result, bool defined,
                       const std::string& grouping) {
    // conformant otherwise: the moveOn category with success or completion (cmi5 9.6.2.2), a
    // duration on passed and failed (9.5.4)
    const bool judged = result.find("\"success\"") != std::string::npos ||
                        result.find("\"completion\"") != std::string::npos;
    std::string context = R"(,"context":{"contextActivities":{)";
    context += !defined ? R"("other":[{"id":"http://x.org/o"}])"
               : judged
                   ? R"("category":[{"id":"https://w3id.org/xapi/cmi5/context/categories/moveon"},)"
                     R"({"id":"https://w3id.org/xapi/cmi5/context/categories/cmi5"}])"
                   : R"("category":[{"id":"https://w3id.org/xapi/cmi5/context/categories/cmi5"}])";
    const std::string timed = defined && (verb == "passed" || verb == "failed")
                                  ? R"({"duration":"PT1M",)" + result.substr(1)
                                  : result;
    if (!grouping.empty())
      context += R"(,"grouping":[{"id":"http://lms.example.org/c"},{"id":")" + grouping + R"("}])";
    context += "}}";
    return statement({}, R"({"id":"http://adlnet.gov/expapi/verbs/)" + verb + R"("})",
                     R"({"id":"https://lms.example.org/activity/7"})",
                     R"(,"result":)" + timed + context + R"(,"timestamp":"2024-03-01T00:00:00Z")");
  };
  // passed, success true, 0.85 >= 0.8: the AU's competency, the object kept as the activity
  auto e = io::parse_xapi(with("passed", R"({"score":{"scaled":0.85},"success":true})", true,
                               "http://c.example.org/au/1"),
                          m);
  REQUIRE(e.size() == 1);
  CHECK(e.competencies[e.competency[0]] == "F");
  CHECK(e.activities[e.activity[0]] == "https://lms.example.org/activity/7");
  // the AU's masteryScore is found through the grouping as well
  const auto problems = [&](const std::string& text) {
    std::vector<std::string> out;
    try {
      (void)io::parse_xapi(text, m);
    } catch (const evidence_error& err) {
      for (const auto& p : err.problems()) out.push_back(p.message);
    }
    return out;
  };
  CHECK(problems(with("passed", R"({"score":{"scaled":0.7},"success":true})", true,
                      "http://c.example.org/au/1")) ==
        std::vector<std::string>{
            "statement 0 (line 1): /result/score/scaled: passed with 0.7 below the "
            "masteryScore 0.8 (cmi5 9.3.4)"});
  // no AU in the grouping: unaligned; an AU without objectives: unaligned, named
  e = io::parse_xapi(with("passed", R"({"score":{"scaled":0.85},"success":true})", true, ""), m);
  CHECK(e.size() == 0);
  e = io::parse_xapi(with("passed", R"({"score":{"scaled":0.85},"success":true})", true,
                          "http://c.example.org/au/2"),
                     m);
  REQUIRE(e.skipped.size() == 1);
  CHECK(e.skipped[0].second ==
        "activity https://lms.example.org/activity/7 (of the cmi5 AU http://c.example.org/au/2, "
        "which has no objectives) is aligned to no competency");
  // cmi5 defined: success, completion and score by verb (9.5.1-9.5.3), every problem listed
  CHECK(
      problems(with("failed", R"({"score":{"scaled":0.1},"success":true,"completion":true})", true,
                    "http://c.example.org/au/1")) ==
      std::vector<std::string>{
          "statement 0 (line 1): /result/success: must be false on "
          "http://adlnet.gov/expapi/verbs/failed "
          "(cmi5 9.5.2), is true",
          "statement 0 (line 1): /result/completion: cmi5 allows completion only on completed and "
          "waived, not on http://adlnet.gov/expapi/verbs/failed (cmi5 9.5.3)"});
  // cmi5 allowed (no cmi5 category): plain xAPI, a score on answered is evidence
  e = io::parse_xapi(
      with("answered", R"({"score":{"scaled":0.4}})", false, "http://c.example.org/au/1"), m);
  REQUIRE(e.size() == 1);
  CHECK(e.score[0] == 0.4);
  CHECK(e.kinds[e.kind[0]] == "formative");
  CHECK(problems(
            with("answered", R"({"score":{"scaled":0.4}})", true, "http://c.example.org/au/1")) ==
        std::vector<std::string>{
            "statement 0 (line 1): /result/score: cmi5 allows a score only on passed "
            "and failed, not on http://adlnet.gov/expapi/verbs/answered "
            "(cmi5 9.5.1)"});
  // 9.5.4: a duration on terminated (and completed, passed, failed, abandoned); 9.6.2.2: the
  // moveOn category on exactly the cmi5 defined statements with success or completion
  CHECK(problems(with("terminated", "{}", true, "http://c.example.org/au/1")) ==
        std::vector<std::string>{"statement 0 (line 1): /result/duration: must be present on "
                                 "http://adlnet.gov/expapi/verbs/terminated (cmi5 9.5.4), is "
                                 "absent"});
  CHECK(problems(with("terminated", R"({"duration":"PT3M"})", true, "http://c.example.org/au/1"))
            .empty());
  std::string no_moveon = with("passed", R"({"score":{"scaled":0.85},"success":true})", true,
                               "http://c.example.org/au/1");
  const std::string moveon = R"({"id":"https://w3id.org/xapi/cmi5/context/categories/moveon"},)";
  no_moveon.erase(no_moveon.find(moveon), moveon.size());
  CHECK(problems(no_moveon) ==
        std::vector<std::string>{
            "statement 0 (line 1): /context/contextActivities/category: must hold the moveOn "
            "category activity https://w3id.org/xapi/cmi5/context/categories/moveon on "
            "http://adlnet.gov/expapi/verbs/passed with result.success or result.completion "
            "(cmi5 9.6.2.2)"});
  std::string allowed = with("answered", R"({"score":{"scaled":0.4}})", false, "");
  const std::string other = R"("other":[{"id":"http://x.org/o"}])";
  allowed.replace(
      allowed.find(other), other.size(),
      R"("other":[{"id":"http://x.org/o"},)" + moveon.substr(0, moveon.size() - 1) + "]");
  CHECK(problems(allowed) ==
        std::vector<std::string>{
            "statement 0 (line 1): /context/contextActivities/other/1/id: cmi5 allows the moveOn "
            "category activity only on cmi5 defined statements with result.success or "
            "result.completion, not on a cmi5 allowed statement (no cmi5 category) of "
            "http://adlnet.gov/expapi/verbs/answered (cmi5 9.6.2.2)"});
}
