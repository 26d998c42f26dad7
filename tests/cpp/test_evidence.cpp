// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
#include <doctest/doctest.h>

#include <cmath>
#include <masterymap/engine.hpp>
#include <masterymap/evidence.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "progression_fixtures.hpp"

using namespace masterymap;
namespace mm = masterymap;

TEST_SUITE("evidence") {
  TEST_CASE("parse_time: ISO 8601 dates, date-times, offsets and plain numbers") {
    CHECK(parse_time("1970-01-01") == 0.0);
    CHECK(parse_time("2024-03-01") == 1709251200.0);
    CHECK(parse_time("2024-03-01T09:30") == 1709251200.0 + 9.5 * 3600);
    CHECK(parse_time("2024-03-01 09:30:15.5Z") == 1709251200.0 + 9.5 * 3600 + 15.5);
    CHECK(parse_time("2024-03-01T09:30:00+02:00") == 1709251200.0 + 7.5 * 3600);
    CHECK(parse_time("2024-03-01T09:30:00-0100") == 1709251200.0 + 10.5 * 3600);
    CHECK(parse_time(" 42 ") == 42.0);
    CHECK(parse_time("3.5") == 3.5);
    CHECK_FALSE(parse_time("2023-02-29"));
    CHECK_FALSE(parse_time("2024-13-01"));
    CHECK_FALSE(parse_time("yesterday"));
    CHECK_FALSE(parse_time(""));
    CHECK(format_time(1709251200.0) == "2024-03-01T00:00:00Z");
    CHECK(format_time(1709251200.5) == "2024-03-01T00:00:00.500000Z");
    CHECK(format_time(3) == "1970-01-01T00:00:03Z");  // a time is a time (issue 10)
  }

  TEST_CASE("add and read back, strings are interned, 24 bytes per event") {
    evidence_log log;
    log.add_unchecked({"s1", "A", 10, 3, "formative", 1, "Ms. Rivera"});
    log.add_unchecked({"s2", "A", 11, 2.5, "summative", 2, ""});
    log.add_unchecked({"s1", "B", 12, 4, "discussion", 1, "Ms. Rivera"});
    REQUIRE(log.size() == 3);
    CHECK(log.learners() == std::vector<std::string>{"s1", "s2"});
    CHECK(log.competencies() == std::vector<std::string>{"A", "B"});
    CHECK(log.sources() == std::vector<std::string>{"", "Ms. Rivera"});
    const evidence e = log.at(1);
    CHECK(e.learner == "s2");
    CHECK(e.kind == "summative");
    CHECK(e.weight == 2);
    CHECK(e.score == 2.5);
    CHECK(log.at(2).source == "Ms. Rivera");
    CHECK(log.max_time() == 12);
    CHECK(log.attributes().size() == 3);
    log.shrink_to_fit();
    CHECK(log.event_bytes() == 24 * log.size());
    CHECK_THROWS_AS((void)log.at(3), std::out_of_range);
  }

  TEST_CASE("a batch with bad rows is rejected whole, every row listed, log unchanged") {
    evidence_log log;
    log.add_unchecked({"s1", "A", 1, 3});
    log.add_unchecked({"s1", "B", 2, 2});
    ingest_checks checks;
    checks.min_score = 0;
    checks.max_score = 4;
    checks.known_competency = [](std::string_view id) { return id == "A" || id == "B"; };
    std::vector<evidence> batch = {
        {"s2", "A", 3, 3},
        {"s2", "A", 4, std::nan("")},        // NaN score
        {"s2", "Z", 5, 3},                   // unknown competency
        {"s2", "B", 6, 3, "quiz"},           // unknown kind
        {"s2", "B", 7, 3, "formative", -1},  // negative weight
        {"s3", "B", std::nan(""), 9},        // bad time and out-of-range score
    };
    try {
      log.append(batch, checks);
      FAIL("expected evidence_error");
    } catch (const evidence_error& e) {
      CHECK(e.rows() == std::vector<std::size_t>{1, 2, 3, 4, 5, 5});
      REQUIRE(e.problems().size() == 6);
      CHECK(e.problems()[0].message == "row 1: missing score");
      CHECK(e.problems()[1].message == "row 2: unknown competency 'Z'");
      CHECK(e.problems()[1].kind == problem_kind::unknown_id);
      CHECK(e.problems()[2].message ==
            "row 3: unknown kind 'quiz' (a log takes the built-in kinds, 'waiver:<reason>' "
            "too, its own (add_kind) and, checked against a policy, the "
            "policy's; a roster takes any)");
      CHECK(e.problems()[3].message == "row 4: negative weight -1");
      CHECK(e.problems()[4].message == "row 5: missing time");
      CHECK(e.problems()[5].message == "row 5: score 9 is outside [0, 4]");
      CHECK(dynamic_cast<const validation_error*>(&e) != nullptr);
    }
    CHECK(log.size() == 2);
    CHECK(log.learners() == std::vector<std::string>{"s1"});  // no name interned either
    CHECK(log.competencies() == std::vector<std::string>{"A", "B"});
    CHECK(log.max_time() == 2);
    batch.erase(batch.begin() + 1, batch.end());
    log.append(batch, checks);
    CHECK(log.size() == 3);
  }

  TEST_CASE("custom kinds must be registered") {
    evidence_log log({"project"});
    CHECK(log.kind_code("project") == 9);  // after the 9 built-in kinds (waiver the last)
    log.add_unchecked({"s1", "A", 1, 3, "project"});
    CHECK(log.at(0).kind == "project");
    CHECK_THROWS_AS(log.add_unchecked({"s1", "A", 1, 3, "quiz"}), evidence_error);
    CHECK(log.size() == 1);
  }

  TEST_CASE("columnar batch with codes, texts for times and score labels") {
    evidence_log log;
    const std::uint32_t lc[] = {0, 1, 0};
    const std::uint32_t cc[] = {0, 0, 1};
    const std::uint32_t tc[] = {0, 1, 1};
    const std::uint32_t sc[] = {0, 1, 2};
    evidence_columns b;
    b.size = 3;
    b.learner = {lc, {"s1", "s2"}};
    b.competency = {cc, {"A", "B"}};
    b.time.codes = tc;
    b.time.names = {"2024-01-01", "2024-01-02T08:00"};
    b.score.codes = sc;
    b.score.names = {"Proficient", "2.5", "Advanced"};
    ingest_checks checks;
    checks.score_labels = {{"Proficient", 3}, {"Advanced", 4}};
    log.append(b, checks);
    REQUIRE(log.size() == 3);
    CHECK(log.at(0).score == 3);
    CHECK(log.at(1).score == 2.5);
    CHECK(log.at(2).score == 4);
    CHECK(log.at(2).time == *parse_time("2024-01-02T08:00"));
    CHECK(log.at(0).kind == "formative");
    b.score.names = {"Proficient", "great", "Advanced"};
    try {
      log.append(b, checks);
      FAIL("expected evidence_error");
    } catch (const evidence_error& e) {
      CHECK(e.rows() == std::vector<std::size_t>{1});
      CHECK(e.problems()[0].message.find("bad score 'great'") != std::string::npos);
    }
    CHECK(log.size() == 3);
  }

  TEST_CASE("CSV with named columns, quotes, the knowledge-tracing convention, and bad rows") {
    evidence_log log;
    std::istringstream in(
        "learner,competency,time,score,kind,weight,source\n"
        "s1,A,2024-01-01,3,formative,1,\"Rivera, M.\"\n"
        "s1,A,2024-01-02,4,discussion,,\n"
        "s2,B,2024-01-03,2,,2,\n");
    log.append_csv_unchecked(in);
    REQUIRE(log.size() == 3);
    CHECK(log.at(0).source == "Rivera, M.");
    CHECK(log.at(1).weight == 1);
    CHECK(log.at(2).kind == "formative");
    CHECK(log.at(2).weight == 2);

    csv_columns kt;
    kt.learner = "user_id";
    kt.competency = "skill_name";
    kt.time = "order_id";
    kt.score = "correct";
    std::istringstream kti(
        "order_id,user_id,skill_name,correct\n1,u1,Addition,1\n2,u1,Addition,0\n");
    log.append_csv_unchecked(kti, kt);
    CHECK(log.size() == 5);
    CHECK(log.at(4).score == 0);

    std::istringstream bad("learner,competency,time,score\ns1,A,2024-01-01,3\ns1,A,notatime,x\n");
    try {
      log.append_csv_unchecked(bad);
      FAIL("expected evidence_error");
    } catch (const evidence_error& e) {
      CHECK(e.rows() == std::vector<std::size_t>{1, 1});
      CHECK(e.lines() == std::vector<std::size_t>{3, 3});
      CHECK(e.problems()[0].message == "row 1 (line 3): bad time 'notatime'");
    }
    CHECK(log.size() == 5);
    std::istringstream ragged("learner,competency,time,score\ns1,A,1\n");
    try {
      log.append_csv_unchecked(ragged);
      FAIL("expected evidence_error");
    } catch (const evidence_error& e) {  // every such row listed (issue 14)
      CHECK(e.lines() == std::vector<std::size_t>{2});
      CHECK(e.rows() == std::vector<std::size_t>{0});
    }
    CHECK(log.size() == 5);
    std::istringstream missing("learner,time,score\n");
    CHECK_THROWS_AS(log.append_csv_unchecked(missing), parse_error);
  }

  TEST_CASE("evidence_columns::one_row: a single row with texts to parse, validated like a batch") {
    evidence_log log;
    ingest_checks checks;
    checks.min_score = 1;
    checks.max_score = 4;
    checks.score_labels = {{"Proficient", 3.0}};
    const double weight = 2.0;
    evidence_columns b = evidence_columns::one_row("ana", "A", "summative", "Ms. Rivera", &weight);
    evidence_columns::text_value(b.score, "Proficient");
    evidence_columns::text_value(b.time, "2024-03-01");
    log.append(b, checks);
    REQUIRE(log.size() == 1);
    CHECK(log.scores()[0] == 3.0F);
    CHECK(log.times()[0] == 1709251200.0);
    CHECK(log.attributes()[log.attribute_codes()[0]].weight == 2.0F);
    evidence_columns bad = evidence_columns::one_row("ana", "A", "summative", "", &weight);
    evidence_columns::text_value(bad.score, "Great");
    evidence_columns::text_value(bad.time, "yesterday");
    CHECK_THROWS_WITH_AS(log.append(bad, checks), doctest::Contains("bad time 'yesterday'"),
                         evidence_error);
    CHECK(log.size() == 1);
  }

  TEST_CASE("evidence_log::append_row and append_coded store what a one-row batch stores") {
    mm::evidence_log a, b, c;
    const auto checks = mm::checks_for(pfix::learning_map(), mm::policy(mm::scale::four_point()));
    const std::vector<mm::evidence> rows{{"x", "M01.a", 5.0, 3.0, "formative", 1.0, ""},
                                         {"y", "M01.b", 4.0, 2.5, "summative", 0.5, "t"},
                                         {"x", "M01.a", 9.0, 1.0, " discussion ", 2.0, "t"}};
    for (const auto& e : rows) {
      a.append(std::vector<mm::evidence>{e}, checks);
      b.append_row(e.learner, e.competency, e.time, e.score, e.kind, e.weight, e.source, checks);
    }
    c.append_row("x", "M01.a", 5.0, 3.0, "formative", 1.0, "", checks);
    c.append_coded(0, 0, 9.0, 2.0, *c.kind_code("pretest"), 1.0, 0, checks);
    CHECK(c.size() == 2);
    CHECK(c.at(1).kind == "pretest");
    CHECK(c.max_time() == 9.0);
    for (mm::evidence_log* l : {&b}) {
      REQUIRE(l->size() == a.size());
      for (std::size_t i = 0; i < a.size(); ++i) {
        const auto x = a.at(i), y = l->at(i);
        CHECK(x.learner == y.learner);
        CHECK(x.competency == y.competency);
        CHECK(x.time == y.time);
        CHECK(x.score == y.score);
        CHECK(x.kind == y.kind);
        CHECK(x.weight == y.weight);
        CHECK(x.source == y.source);
      }
      CHECK(l->max_time() == a.max_time());
    }
    // Errors: as a one-row batch; nothing stored.
    CHECK_THROWS_AS(b.append_row("x", "nope", 1.0, 3.0, "formative", 1.0, "", checks),
                    mm::evidence_error);
    CHECK_THROWS_AS(b.append_row("x", "M01.a", 1.0, 7.0, "formative", 1.0, "", checks),
                    mm::evidence_error);
    CHECK_THROWS_AS(b.append_row("x", "M01.a", 1.0, 3.0, "nokind", 1.0, "", checks),
                    mm::evidence_error);
    CHECK_THROWS_AS(b.append_row(" ", "M01.a", 1.0, 3.0, "formative", 1.0, "", checks),
                    mm::evidence_error);
    CHECK_THROWS_AS(b.append_coded(0, 0, 1.0, 3.0, 1, -1.0, 0, checks), mm::evidence_error);
    CHECK_THROWS_AS(b.append_coded(0, 99, 1.0, 3.0, 1, 1.0, 0, checks), mm::evidence_error);
    CHECK_THROWS_AS(b.append_coded(0, 0, std::nan(""), 3.0, 1, 1.0, 0, checks), mm::evidence_error);
    CHECK(b.size() == 3);
  }

  // The CSV readers (parse_csv in test_csv.cpp, evidence_log::append_csv here, bkt::parse_csv in
  // test_bkt.cpp) differ on purpose in a few edge cases; this pins the evidence reader's.
  TEST_CASE("evidence CSV: blank lines, bare CR, quotes across lines, errors give file positions") {
    evidence_log log;
    std::istringstream in(
        "\xEF\xBB\xBFlearner,competency,time,score,source\r"
        "s1,A,1,2,\"say \"\"x\"\"\"\r\r  \r\"\"\r"
        "s2,B,2,3,\"a\r\nb\"\r\n"
        "s3,B,3,3,");
    log.append_csv_unchecked(in);
    REQUIRE(log.size() == 3);
    CHECK(log.at(0).source == "say \"x\"");
    CHECK(log.at(1).source == "a\r\nb");
    CHECK(log.at(2).learner == "s3");
    std::istringstream bad_time(
        "learner,competency,time,score,source\ns1,A,1,2,\"a\nb\"\ns1,A,x,2,\n");
    try {
      log.append_csv_unchecked(bad_time);
      FAIL("expected evidence_error");
    } catch (const evidence_error& e) {
      CHECK(e.problems()[0].message == "row 1 (line 4): bad time 'x'");
      CHECK(e.lines() == std::vector<std::size_t>{4});
    }
    std::istringstream ragged("learner,competency,time,score\rs1,A,1,2\r\r  \r\"\"\rs2,B,2\r");
    const evidence_log before = log;
    try {
      log.append_csv_unchecked(ragged);
      FAIL("expected evidence_error");
    } catch (const evidence_error& e) {
      REQUIRE(e.problems().size() == 1);
      CHECK(e.problems()[0].message == "row 1 (line 6): has 3 fields, the header has 4");
      CHECK(e.rows() == std::vector<std::size_t>{1});
      CHECK(e.lines() == std::vector<std::size_t>{6});
    }
    CHECK(log == before);
    // Every row of the wrong width, with the other rows' bad values, in file order; nothing
    // appended (issue 14: the first ragged row used to stop the reading).
    std::istringstream many(
        "learner,competency,time,score\ns1,A,1\ns1,A,x,2\ns2,B,2,3,4\ns3,A,3,1\n,A,4,1\ns4\n");
    try {
      log.append_csv_unchecked(many);
      FAIL("expected evidence_error");
    } catch (const evidence_error& e) {
      std::vector<std::string> got;
      for (const auto& p : e.problems()) got.push_back(p.message);
      CHECK(got == std::vector<std::string>{"row 0 (line 2): has 3 fields, the header has 4",
                                            "row 1 (line 3): bad time 'x'",
                                            "row 2 (line 4): has 5 fields, the header has 4",
                                            "row 4 (line 6): missing learner id",
                                            "row 5 (line 7): has 1 fields, the header has 4"});
      CHECK(e.rows() == std::vector<std::size_t>{0, 1, 2, 4, 5});
      CHECK(e.lines() == std::vector<std::size_t>{2, 3, 4, 6, 7});
    }
    CHECK(log == before);
    // Only ragged rows, the good ones valid: still nothing appended.
    std::istringstream only("learner,competency,time,score\ns1,A,1,2\ns2,B\n");
    CHECK_THROWS_AS(log.append_csv_unchecked(only), evidence_error);
    CHECK(log == before);
    std::istringstream unclosed("learner,competency,time,score\ns1,\"A,1,2\n\n");
    try {
      log.append_csv_unchecked(unclosed);
      FAIL("expected parse_error");
    } catch (const parse_error& e) {
      CHECK(std::string(e.what()) == "evidence CSV: unterminated quoted field at line 2, column 4");
      CHECK(e.line() == 2);
      CHECK(e.column() == 4);  // the opening quote's position on its line
      CHECK(e.row() == 0);
    }
    std::istringstream after("learner,competency,time,score\ns1,A,\"1\n\"x,2\n");
    try {
      log.append_csv_unchecked(after);
      FAIL("expected parse_error");
    } catch (const parse_error& e) {
      CHECK(std::string(e.what()) ==
            "evidence CSV: unexpected character after a quoted field at line 3, column 2");
      CHECK(e.line() == 3);
      CHECK(e.column() == 2);
      CHECK(e.row() == 0);
    }
    std::istringstream bom_only("\xEF\xBB\xBF");
    CHECK_THROWS_WITH_AS(log.append_csv_unchecked(bom_only),
                         "evidence CSV: empty input (no header line)", parse_error);
    CHECK(log.size() == 3);
  }
}
