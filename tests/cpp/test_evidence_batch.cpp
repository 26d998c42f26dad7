// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// Columnar batches at the edges: empty batches, ids a converter rejected, every problem of a
// batch at once on every ingest path (log and roster), custom kinds, labels without a scale.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <masterymap/engine.hpp>
#include <masterymap/evidence.hpp>
#include <masterymap/roster.hpp>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace mm = masterymap;

namespace {

mm::framework two_competencies() {
  mm::framework_builder b("two");
  b.add_competency("A").add_competency("B");
  b.add_prerequisite("B", "A");
  return b.build();
}

std::vector<std::string> messages(const mm::evidence_error& e) {
  std::vector<std::string> out;
  for (const auto& p : e.problems()) out.push_back(p.message);
  return out;
}

// Several rows, each with a different fault (the first is good).
std::vector<mm::evidence> faulty_rows() {
  const double nan = std::nan("");
  return {
      {"s1", "A", 1, 3},                   // good
      {"s2", "X", 2, 3},                   // unknown competency
      {"", "A", 3, 2},                     // missing learner
      {"s3", "A", nan, 2},                 // bad time
      {"s4", "B", 5, 9},                   // score off the scale
      {"s5", "A", 6, nan},                 // NaN score
      {"s6", "A", 7, 2, "summative", -1},  // negative weight
      {"s7", "", 8, 2},                    // missing competency
  };
}

const std::vector<std::string> faulty_messages = {
    "row 1: unknown competency 'X'",    "row 2: missing learner id", "row 3: missing time",
    "row 4: score 9 is outside [0, 4]", "row 5: missing score",      "row 6: negative weight -1",
    "row 7: missing competency id"};

}  // namespace

TEST_SUITE("evidence_batch") {
  TEST_CASE("a batch of no rows is a no-op, whatever its columns") {
    mm::evidence_log log;
    log.add_unchecked({"s", "A", 1, 3});
    mm::evidence_columns none;  // no columns at all (null pointers, as empty vectors give)
    CHECK_NOTHROW(log.append_unchecked(none));
    std::vector<std::uint32_t> codes;
    std::vector<double> values;
    mm::evidence_columns empty;
    empty.learner = {codes.data(), {}};
    empty.competency = {codes.data(), {}};
    empty.time.values = values.data();
    empty.score.values = values.data();
    CHECK_NOTHROW(
        log.append(empty, mm::checks_for(two_competencies(), mm::policy(mm::scale::four_point()))));
    CHECK_NOTHROW(log.append_unchecked(std::vector<mm::evidence>{}));
    std::istringstream header("learner,competency,time,score\n");
    CHECK_NOTHROW(log.append_csv_unchecked(header));
    CHECK(log.size() == 1);
    CHECK(log.learners() == std::vector<std::string>{"s"});
    // a non-empty batch still needs its columns
    mm::evidence_columns one;
    one.size = 1;
    CHECK_THROWS_AS(log.append_unchecked(one), std::invalid_argument);
  }

  TEST_CASE("an empty batch is a no-op on a roster") {
    mm::roster r(two_competencies(), mm::policy(mm::scale::four_point()));
    const mm::ingest_summary s = r.ingest(mm::evidence_columns{});
    CHECK(s.rows == 0);
    CHECK(s.learners_touched == 0);
    CHECK(r.size() == 0);
    CHECK(std::isnan(r.as_of()));
    CHECK(r.ingest(std::vector<mm::evidence>{}).rows == 0);
    CHECK(r.ingest(mm::evidence_log{}).rows == 0);
    r.ingest(std::vector<mm::evidence>{{"s", "A", 1, 3}});
    const auto before = r.statuses();
    CHECK(r.ingest(mm::evidence_columns{}).rows == 0);
    CHECK(r.statuses() == before);
    CHECK(r.as_of() == 1);
  }

  TEST_CASE("ids a converter rejected are reported on their rows with every other problem") {
    // e.g. Python's 1.5 in a float column of learner ids: the converter keeps it apart, with
    // its reason, so the batch still lists every problem at once
    const std::vector<std::uint32_t> learner = {0, 1, 0, 2}, competency = {0, 0, 1, 0};
    const std::vector<double> time = {1, 2, 3, 4}, score = {3, 9, 3, 3};
    mm::evidence_columns b;
    b.size = 4;
    b.learner = {learner.data(), {"7", "1.5", "2.5"}};
    b.competency = {competency.data(), {"A", "0.5"}};
    b.time.values = time.data();
    b.score.values = score.data();
    b.learner_rejected = {"", "non-integral learner id 1.5", "non-integral learner id 2.5"};
    b.competency_rejected = {"", "non-integral competency id 0.5"};
    mm::evidence_log log;
    try {
      log.append(b, mm::checks_for(two_competencies(), mm::policy(mm::scale::four_point())));
      FAIL("expected evidence_error");
    } catch (const mm::evidence_error& e) {
      CHECK(messages(e) == std::vector<std::string>{"row 1: non-integral learner id 1.5",
                                                    "row 1: score 9 is outside [0, 4]",
                                                    "row 2: non-integral competency id 0.5",
                                                    "row 3: non-integral learner id 2.5"});
      CHECK(e.rows() == std::vector<std::size_t>{1, 1, 2, 3});
      CHECK(e.problems()[0].ids == std::vector<std::string>{"1.5"});
    }
    CHECK(log.size() == 0);
    CHECK(log.learners().empty());
    // without them the same names are plain ids
    b.learner_rejected.clear();
    b.competency_rejected.clear();
    const std::vector<double> ok_scores = {3, 3, 3, 3};
    b.score.values = ok_scores.data();
    log.append_unchecked(b);
    CHECK(log.learners() == std::vector<std::string>{"7", "1.5", "2.5"});
  }

  TEST_CASE("roster::ingest of rows lists every problem the log lists, and changes nothing") {
    const mm::framework fw = two_competencies();
    const mm::policy pol(mm::scale::four_point());
    const auto rows = faulty_rows();
    std::vector<std::string> by_log, by_roster;
    std::vector<std::size_t> log_rows, roster_rows;
    mm::evidence_log log;
    try {
      log.append(rows, mm::checks_for(fw, pol));
    } catch (const mm::evidence_error& e) {
      by_log = messages(e);
      log_rows = e.rows();
    }
    CHECK(by_log == faulty_messages);
    mm::roster r(fw, pol);
    r.ingest(std::vector<mm::evidence>{{"s0", "A", 0.5, 2}});
    const auto statuses = r.statuses();
    try {
      r.ingest(rows);
    } catch (const mm::evidence_error& e) {
      by_roster = messages(e);
      roster_rows = e.rows();
    }
    CHECK(by_roster == by_log);
    CHECK(roster_rows == log_rows);
    // the same batch as columns and as a log (validated against the roster on ingest)
    mm::evidence_log unchecked;
    unchecked.append_unchecked(
        std::vector<mm::evidence>{{"a", "A", 1, 3}, {"b", "X", 2, 3}, {"c", "B", 3, 7}});
    try {
      r.ingest(unchecked);
      FAIL("expected evidence_error");
    } catch (const mm::evidence_error& e) {
      CHECK(messages(e) == std::vector<std::string>{"row 1: unknown competency 'X'",
                                                    "row 2: score 7 is outside [0, 4]"});
    }
    CHECK(r.size() == 1);
    CHECK(r.log().size() == 1);
    CHECK(r.statuses() == statuses);
    CHECK(r.as_of() == 0.5);
  }

  TEST_CASE("a roster takes new kinds with the batch, and a rejected batch adds none") {
    mm::roster r(two_competencies(), mm::policy(mm::scale::four_point()));
    const auto kinds = r.log().kinds();
    CHECK_THROWS_AS(r.ingest(std::vector<mm::evidence>{{"s", "X", 1, 3, "essay"}}),
                    mm::evidence_error);
    CHECK_THROWS_AS(r.add("s", "X", 1, 3, "quiz"), mm::evidence_error);
    CHECK(r.log().kinds() == kinds);
    r.ingest(std::vector<mm::evidence>{{"s", "A", 1, 3, "essay"}, {"s", "B", 2, 3, " essay "}});
    r.add("s", "A", 3, 3, "quiz");
    auto want = kinds;
    want.emplace_back("essay");
    want.emplace_back("quiz");
    CHECK(r.log().kinds() == want);
    // a log without accept_new_kinds rejects them
    mm::evidence_log log;
    CHECK_THROWS_WITH_AS(log.add_unchecked({"s", "A", 1, 3, "essay"}),
                         doctest::Contains("unknown kind 'essay'"), mm::evidence_error);
    mm::ingest_checks accept;
    accept.accept_new_kinds = true;
    log.add({"s", "A", 1, 3, "essay"}, accept);
    CHECK(log.kind_code("essay").has_value());
  }

  TEST_CASE("kinds past the 255th are reported, not wrapped") {
    mm::evidence_log log;
    mm::ingest_checks accept;
    accept.accept_new_kinds = true;
    std::vector<mm::evidence> rows;
    for (std::size_t k = log.kinds().size(); k < 256; ++k)
      rows.push_back({"s", "A", static_cast<double>(k), 1, "k" + std::to_string(k)});
    try {
      log.append(rows, accept);
      FAIL("expected evidence_error");
    } catch (const mm::evidence_error& e) {
      REQUIRE(e.problems().size() == 1);
      CHECK(e.problems()[0].message == "row " + std::to_string(rows.size() - 1) +
                                           ": kind 'k255' is one too many (at most 255 kinds)");
    }
    rows.pop_back();
    log.append(rows, accept);
    CHECK(log.kinds().size() == 255);
  }

  TEST_CASE("a score text without labels says to pass the scale") {
    mm::evidence_log log;
    const std::string proficient = "Proficient", empty;
    const double w = 1, t = 1;  // outlive the batches, which point at them
    auto one = [&](const std::string& text) {
      mm::evidence_columns b = mm::evidence_columns::one_row("s", "A", "formative", "", &w);
      b.time.values = &t;
      mm::evidence_columns::text_value(b.score, text);
      return b;
    };
    CHECK_THROWS_WITH_AS(log.append_unchecked(one(proficient)),
                         "1 problem: row 0: bad score 'Proficient' (not a number; to use the "
                         "labels of a scale, pass its policy: policy= in Python, "
                         "ingest_checks::score_labels in C++)",
                         mm::evidence_error);
    CHECK_THROWS_WITH_AS(log.append_unchecked(one(empty)), "1 problem: row 0: missing score",
                         mm::evidence_error);
    const mm::ingest_checks labels =
        mm::checks_for(two_competencies(), mm::policy(mm::scale::four_point()));
    log.append(one(proficient), labels);
    CHECK(log.scores()[0] == 3.0F);
    CHECK_THROWS_WITH_AS(log.append(one("Great"), labels),
                         doctest::Contains("bad score 'Great' (not a number or a label of the "
                                           "scale)"),
                         mm::evidence_error);
    // A decimal comma (a spreadsheet's locale): a hint, with or without the scale's labels;
    // not for texts that are no number either way.
    for (const bool with_labels : {false, true}) {
      const mm::ingest_checks checks = with_labels ? labels : mm::ingest_checks{};
      CHECK_THROWS_WITH_AS(log.append(one(" 2,5"), checks),
                           "1 problem: row 0: bad score ' 2,5' (decimal comma? use a point: 2.5)",
                           mm::evidence_error);
      CHECK_THROWS_WITH_AS(log.append(one("-0,75"), checks),
                           doctest::Contains("(decimal comma? use a point: -0.75)"),
                           mm::evidence_error);
      for (const char* text : {"2,5,1", ",5", "2,", "a,b"}) {
        CAPTURE(text);
        CHECK_THROWS_WITH_AS(log.append(one(text), checks), doctest::Contains("(not a number"),
                             mm::evidence_error);
      }
    }
    CHECK(log.size() == 1);  // every rejected batch left the log as it was
    // A caller's own words (the command line names its option)
    mm::ingest_checks hinted;
    hinted.no_labels_hint = "pass its policy file with -p/--policy";
    CHECK_THROWS_WITH_AS(log.append(one(proficient), hinted),
                         "1 problem: row 0: bad score 'Proficient' (not a number; pass its policy "
                         "file with -p/--policy)",
                         mm::evidence_error);
  }

  TEST_CASE("names no row uses (unused categories) add no learner, competency, kind or source") {
    // A pandas Categorical's layout: codes into names, some names unused ("" among them).
    const std::vector<std::uint32_t> learner{1, 3, 1}, competency{2, 0, 0}, kind{1, 3, 1},
        source{1, 2, 1};
    const std::vector<double> time{1, 2, 3}, score{3, 2, 1};
    mm::evidence_columns b;
    b.size = 3;
    b.learner = {learner.data(), {"zed", "bo", "", "ann", "amy"}};
    b.competency = {competency.data(), {"A", "Z", "B"}};
    b.kind = {kind.data(), {"summative", "formative", "never_used", "project"}};
    b.source = {source.data(), {"s0", "s1", "s2"}};
    b.time.values = time.data();
    b.score.values = score.data();
    mm::ingest_checks c = mm::checks_for(two_competencies(), mm::policy(mm::scale::four_point()));
    c.accept_new_kinds = true;
    mm::evidence_log log;
    log.append(b, c);
    CHECK(log.learners() == std::vector<std::string>{"bo", "ann"});
    CHECK(log.competencies() == std::vector<std::string>{"A", "B"});
    CHECK(std::find(log.kinds().begin(), log.kinds().end(), "never_used") == log.kinds().end());
    CHECK(std::find(log.kinds().begin(), log.kinds().end(), "project") != log.kinds().end());
    CHECK(log.sources() == std::vector<std::string>{"", "s1", "s2"});
    mm::roster r(two_competencies(), mm::policy(mm::scale::four_point()));
    r.ingest(b);
    CHECK(r.learners() == std::vector<std::string>{"bo", "ann"});
  }
}

TEST_CASE("a roster takes new kinds, but not a near-miss of a kind with a meaning") {
  mm::framework_builder b;
  for (auto id : {"A", "B"}) b.add_competency(id);
  mm::roster r(b.build(), mm::policy(mm::scale::four_point()));
  // A misspelt placement would count as a Beginning score: contrary evidence, the opposite.
  for (const char* kind :
       {"Placement", "placemnt", "plcaement", "pre_test", "Formative", "discusion"}) {
    CAPTURE(kind);
    CHECK_THROWS_WITH_AS((void)r.add("s", "A", 1.0, 1.0, kind),
                         doctest::Contains("a near-miss of the known kind"), mm::evidence_error);
  }
  CHECK(r.log().size() == 0);  // nothing stored
  // A school's own kinds need no set-up, short ones included; once taken, a kind is known.
  (void)r.add("s", "A", 2.0, 3.0, "teacher_check");
  (void)r.add("s", "B", 3.0, 3.0, "quiz");
  (void)r.add("s", "B", 4.0, 3.0, "teacher_check");
  CHECK(r.log().size() == 3);
  // The batch path names the row and the kind it resembles.
  mm::evidence_log batch;
  batch.add_unchecked({"t", "A", 1.0, 3.0, "placement"});
  batch.add_unchecked({"t", "B", 2.0, 3.0, "formative"});
  mm::evidence_log other;
  other.add_kind("placemnt");
  other.add_unchecked({"t", "B", 2.0, 3.0, "placemnt"});
  CHECK_THROWS_WITH_AS((void)r.ingest(other),
                       doctest::Contains("row 0: unknown kind 'placemnt': a near-miss of the "
                                         "known kind 'placement'"),
                       mm::evidence_error);
  CHECK(r.log().size() == 3);
  (void)r.ingest(batch);
  CHECK(r.log().size() == 5);
}

TEST_CASE("checks from a policy know its kinds, and only those besides the log's") {
  // A policy's gatekeeper ("teacher_check") is known to a log checked against the policy, with
  // or without a framework; a kind the policy never names ("quiz") is still refused.
  mm::rule r;
  r.require_kinds = {"teacher_check"};
  r.exempt_on_pretest = 3.5;
  r.exempt_confirm_kinds = {"interview"};
  const mm::policy p(mm::scale::four_point(), r);
  const auto checks = mm::checks_for(two_competencies(), p);
  CHECK(checks.known_kinds == std::vector<std::string>{"interview", "teacher_check"});
  mm::evidence_log log;
  const auto kinds = log.kinds();
  // A rejected batch adds none of them.
  CHECK_THROWS_WITH_AS(
      log.append(
          std::vector<mm::evidence>{{"s", "A", 1, 3, "teacher_check"}, {"s", "A", 2, 3, "quiz"}},
          checks),
      doctest::Contains("row 1: unknown kind 'quiz' (a log takes the built-in kinds"),
      mm::evidence_error);
  CHECK(log.kinds() == kinds);
  CHECK(log.size() == 0);
  log.append(std::vector<mm::evidence>{{"s", "A", 1, 3, "teacher_check"},
                                       {"s", "B", 2, 3, "interview"},
                                       {"s", "B", 3, 3, "teacher_check"}},
             checks);
  CHECK(log.size() == 3);
  auto want = kinds;
  want.emplace_back("teacher_check");
  want.emplace_back("interview");
  CHECK(log.kinds() == want);
  // Without the policy's checks, only the log's own kinds.
  CHECK_THROWS_AS(log.add_unchecked({"s", "A", 4, 3, "portfolio"}), mm::evidence_error);
  // An override's kinds count too.
  mm::policy q(mm::scale::four_point());
  mm::rule o;
  o.ignore_kinds = {"self_report"};
  q.override_competency("B", o);
  CHECK(mm::checks_for(two_competencies(), q).known_kinds ==
        std::vector<std::string>{"self_report"});
}

TEST_CASE("a placement's score is a number and a level, checked or not") {
  mm::evidence_log log;
  // The unchecked appends check a level too: one log, one answer (a roster refuses 2.9).
  CHECK_THROWS_WITH_AS(log.add_unchecked({"s", "A", 1, 2.9, "placement"}),
                       doctest::Contains("row 0: score 2.9 of a 'placement' row is not a level"),
                       mm::evidence_error);
  // A float32 score prints as the float it is, not as its double expansion.
  CHECK_THROWS_WITH_AS(log.add_unchecked({"s", "A", 1, static_cast<float>(2.9), "placement"}),
                       doctest::Contains("row 0: score 2.9 of a 'placement' row"),
                       mm::evidence_error);
  CHECK(log.size() == 0);
  log.add_unchecked({"s", "A", 1, 3, "placement"});
  CHECK(log.size() == 1);
  // A rating label is not a level, with or without the checks that define labels.
  const mm::policy p(mm::scale::four_point());
  const auto checks = mm::checks_for(two_competencies(), p);
  for (const char* text : {"Proficient", " Advanced "}) {
    auto b = mm::evidence_columns::one_row("s", "A", "placement", "", nullptr);
    const double t = 2;
    b.time.values = &t;
    mm::evidence_columns::text_value(b.score, text);
    CHECK_THROWS_WITH_AS(log.append(b, checks), doctest::Contains("is a rating label, not a level"),
                         mm::evidence_error);
    // Without labels the text is not a number: a bad score.
    CHECK_THROWS_WITH_AS(log.append_unchecked(b), doctest::Contains("bad score"),
                         mm::evidence_error);
  }
  // A label still rates a rating row; a number text is a level.
  auto b = mm::evidence_columns::one_row("s", "A", "formative", "", nullptr);
  const double t = 3;
  b.time.values = &t;
  mm::evidence_columns::text_value(b.score, "Proficient");
  log.append(b, checks);
  auto c = mm::evidence_columns::one_row("s", "A", "placement", "", nullptr);
  c.time.values = &t;
  mm::evidence_columns::text_value(c.score, "4");
  log.append(c, checks);
  CHECK(log.size() == 3);
  CHECK(log.scores()[1] == 3.0f);
  CHECK(log.scores()[2] == 4.0f);
}
