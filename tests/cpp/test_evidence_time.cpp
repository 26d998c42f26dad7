// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// Times: parse_time and format_time (one parser, one printer), and the texts that print times.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <masterymap/bkt.hpp>
#include <masterymap/engine.hpp>
#include <masterymap/evidence.hpp>
#include <masterymap/pacing.hpp>
#include <masterymap/progression.hpp>
#include <random>
#include <stdexcept>
#include <string>

using namespace masterymap;

namespace {

// Hand-computed: days from 1970-01-01 to each date (365-day years plus leap days).
constexpr double day = 86400.0;

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_SUITE("evidence_time") {
  TEST_CASE("format_time prints every time as a date, 1966-1973 included") {
    // The old printer gave numbers below 1e8 seconds in magnitude (1966-10-24 to 1973-03-03)
    // as plain numbers.
    CHECK(format_time(0) == "1970-01-01T00:00:00Z");
    CHECK(format_time(3) == "1970-01-01T00:00:03Z");
    CHECK(format_time(-1) == "1969-12-31T23:59:59Z");
    CHECK(format_time(-0.5) == "1969-12-31T23:59:59.500000Z");
    CHECK(format_time(1e8) == "1973-03-03T09:46:40Z");
    CHECK(format_time(1e8 - 1) == "1973-03-03T09:46:39Z");
    CHECK(format_time(-1e8) == "1966-10-31T14:13:20Z");
    // 1966-01-01: 4 years back, one of them (1968) leap.
    CHECK(format_time(-(4 * 365 + 1) * day) == "1966-01-01T00:00:00Z");
    CHECK(format_time(1709251200.25) == "2024-03-01T00:00:00.250000Z");
    CHECK(format_time(1709251200.000001) == "2024-03-01T00:00:00.000001Z");
    // Years outside 0000-9999 in ISO 8601's expanded form; absurd magnitudes as numbers.
    CHECK(format_time(253402300800.0) == "+10000-01-01T00:00:00Z");
    CHECK(format_time(-62167219200.0) == "0000-01-01T00:00:00Z");
    CHECK(format_time(-62167219201.0) == "-0001-12-31T23:59:59Z");
    CHECK(format_time(1e13) == "10000000000000 s");
    CHECK(format_time(std::numeric_limits<double>::quiet_NaN()) == "NaN");
    CHECK(format_time(std::numeric_limits<double>::infinity()) == "+inf");
    CHECK(format_time(-std::numeric_limits<double>::infinity()) == "-inf");
  }

  TEST_CASE("parse_time keeps microseconds exactly: the double nearest the microsecond") {
    const double base = 1709251200.0;  // 2024-03-01
    CHECK(parse_time("2024-03-01T00:00:00.123456Z") == (base * 1e6 + 123456) / 1e6);
    CHECK(parse_time("2024-03-01T00:00:00.1") == (base * 1e6 + 100000) / 1e6);
    // Digits past the sixth round half up on the seventh.
    CHECK(parse_time("2024-03-01T00:00:00.1234564") == (base * 1e6 + 123456) / 1e6);
    CHECK(parse_time("2024-03-01T00:00:00.1234565") == (base * 1e6 + 123457) / 1e6);
    CHECK(parse_time("2024-03-01T00:00:00.123456789Z") == (base * 1e6 + 123457) / 1e6);
    CHECK(parse_time("2024-03-01T00:00:59.9999999Z") == base + 60);
    CHECK(parse_time("2024-03-01T00:00:00,5") == base + 0.5);
    CHECK(parse_time("1969-12-31T23:59:59.5Z") == -0.5);
    CHECK(parse_time("1966-01-01") == -(4 * 365 + 1) * day);
    CHECK(parse_time("2024-03-01T24:00") == base + day);
    CHECK(parse_time("2024-03-01T09:30:00.25+02:00") == base + 7.5 * 3600 + 0.25);
    CHECK_FALSE(parse_time("2024-03-01T24:00:00.5"));
    CHECK_FALSE(parse_time("2024-03-01T00:00:00."));
    CHECK_FALSE(parse_time("2024-03-01T00:00:00Zjunk"));
    CHECK_FALSE(parse_time("2024-03-01T25:00"));
    CHECK_FALSE(parse_time("2024-03-01T09:30:00+24:00"));
  }

  TEST_CASE("format_time and parse_time round-trip every microsecond time") {
    std::mt19937_64 rng(7);
    // Years 0001 to 9999, at microsecond resolution.
    std::uniform_int_distribution<long long> micros(-62135596800LL * 1000000,
                                                    253402300799LL * 1000000);
    for (int i = 0; i < 20000; ++i) {
      const double t = static_cast<double>(micros(rng)) / 1e6;
      // The printed microseconds are those nearest the double; read back, they give the
      // double nearest them: within half a microsecond plus half a unit in the last place.
      const std::string text = format_time(t);
      const auto back = parse_time(text);
      REQUIRE(back);
      const double ulp = std::nextafter(std::fabs(t), INFINITY) - std::fabs(t);
      CHECK(std::fabs(*back - t) <= 0.5e-6 + ulp);
      // Where a double resolves microseconds (1697 to 2242), the text is stable.
      if (std::fabs(t) < 8589934592.0) CHECK(format_time(*back) == text);
    }
    // Near 1970 (where the old printer gave numbers) the round trip is exact.
    std::uniform_int_distribution<long long> near(-200000000LL * 1000000, 200000000LL * 1000000);
    for (int i = 0; i < 20000; ++i) {
      const double t = static_cast<double>(near(rng)) / 1e6;
      CHECK(parse_time(format_time(t)) == t);
    }
  }

  TEST_CASE("an explanation prints its times as dates, 1970 included") {
    framework_builder b("one");
    b.add_competency("A", "A", "N", 1);
    const framework fw = b.build();
    evidence_log log;
    log.add_unchecked({"s1", "A", 5, 3});
    log.add_unchecked({"s1", "A", 7.5, 4});
    const engine e(fw, policy(scale::four_point(), rule{}));
    const learner_state st = e.evaluate(log, "s1");
    const explanation ex = st.explain("A", log);
    MESSAGE(ex.text);
    CHECK(contains(ex.text, "evaluated as of 1970-01-01T00:00:07.500000Z"));
    CHECK(contains(ex.text, "+ 1970-01-01T00:00:05Z formative 3"));
    CHECK(contains(ex.text, "+ 1970-01-01T00:00:07.500000Z formative 4"));
  }

  TEST_CASE("pace plan errors name their dates") {
    framework_builder b("one");
    b.add_competency("A", "A", "N", 1);
    const framework fw = b.build();
    const progression p(fw, policy(scale::four_point(), rule{}));
    std::vector<status> statuses(1, status::not_started);
    learner_view v;
    v.statuses = statuses.data();
    v.size = 1;
    pace_plan plan;
    plan.goals = {"A"};
    plan.start = *parse_time("1970-01-02");
    plan.target = *parse_time("1970-01-01");
    try {
      (void)pacing(p, v, plan, 0.0);
      FAIL("no error");
    } catch (const std::invalid_argument& e) {
      CHECK(std::string(e.what()) ==
            "pace plan: the target date (1970-01-01T00:00:00Z) must come after the start "
            "(1970-01-02T00:00:00Z)");
    }
    plan.target = *parse_time("1970-02-01");
    plan.calendar = {{*parse_time("1970-01-01T12:00"), 1.0}};
    try {
      (void)pacing(p, v, plan, 0.0);
      FAIL("no error");
    } catch (const std::invalid_argument& e) {
      CHECK(contains(e.what(), "(at 1970-01-01T12:00:00Z)"));
    }
  }

  TEST_CASE("a BKT order column reads numbers and ISO 8601 times with the one parser") {
    const bkt::dataset d = bkt::parse_csv(
        "user_id,skill_name,correct,when\n"
        "a,s,1,2024-01-03\n"
        "a,s,0,2024-01-01T00:00:00.5+00:00\n"
        "a,s,1,3\n",
        bkt::csv_options{{"user_id", "skill_name", "correct", "when", ""}});
    CHECK(d.order() == std::vector<double>{*parse_time("2024-01-03"), 1704067200.5, 3.0});
    CHECK_THROWS_WITH_AS(
        (void)bkt::parse_csv("user_id,skill_name,correct,when\na,s,1,soon\n",
                             bkt::csv_options{{"user_id", "skill_name", "correct", "when", ""}}),
        doctest::Contains("order must be a number or an ISO 8601 time, got 'soon'"), parse_error);
  }
}
