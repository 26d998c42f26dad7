// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// Edges of the boundary from a fresh user's try-out: values the log cannot hold (times beyond
// datetime64[ns], scores beyond float32) are bad rows on every append path; "20240910" is no
// time; a version-2 BKT model carries a checksum that must be there, and an extra object.
#include <doctest/doctest.h>

#include <cmath>
#include <functional>
#include <masterymap/bkt.hpp>
#include <masterymap/error.hpp>
#include <masterymap/evidence.hpp>
#include <string>
#include <vector>

namespace mm = masterymap;

namespace {

std::string only_problem(const std::function<void()>& append) {
  try {
    append();
  } catch (const mm::evidence_error& e) {
    REQUIRE(e.problems().size() == 1);
    return e.problems()[0].message;
  }
  FAIL("no evidence_error");
  return {};
}

}  // namespace

TEST_SUITE("boundary_edges") {
  TEST_CASE("times beyond datetime64[ns] and scores beyond float32 are bad rows") {
    const mm::ingest_checks none;
    for (bool one_row : {false, true}) {
      mm::evidence_log log;
      const auto add = [&](double t, double score, double weight = 1) {
        return only_problem([&] {
          if (one_row)
            log.append_row("s", "A", t, score, "formative", weight, "", none);
          else
            log.append(std::vector<mm::evidence>{{"s", "A", t, score, "formative", weight}}, none);
        });
      };
      CHECK(add(1704099600000.0, 3).find("row 0: time 1704099600000 (") == 0);
      CHECK(add(1704099600000.0, 3).find("is outside the range of datetime64[ns]") !=
            std::string::npos);
      // A date out of range (year 3000) is shown as a date, without the milliseconds hint.
      CHECK(add(32503680000.0, 3) ==
            "row 0: time 32503680000 (3000-01-01T00:00:00Z) is outside the range of "
            "datetime64[ns] (1677-09-21 to 2262-04-11, -9223372036 to 9223372036 seconds since "
            "the epoch)");
      CHECK(add(1704099600000.0, 3)
                .find("looks like milliseconds since the epoch: divide by "
                      "1000") != std::string::npos);
      CHECK(add(1e300, 3).find("divide by 1000") == std::string::npos);
      CHECK(add(std::nan(""), 3) == "row 0: missing time");
      CHECK(add(1, std::nan("")) == "row 0: missing score");
      CHECK(add(1, INFINITY) == "row 0: score is infinite (inf)");
      CHECK(add(1, 1e40).find("row 0: score 1e+40 is too large to store") == 0);
      CHECK(add(1, 3, 1e39).find("row 0: weight 1e+39 is too large to store") == 0);
      CHECK(log.size() == 0);
      // the edges themselves are held
      log.append_row("s", "A", 9223372036.0, 3.4e38, "formative", 1, "", none);
      log.append_row("s", "A", -9223372036.0, -3.4e38, "formative", 1, "", none);
      CHECK(log.size() == 2);
    }
  }

  TEST_CASE("an 8-digit date is no time, other digits are seconds") {
    CHECK_FALSE(mm::parse_time("20240910").has_value());
    CHECK_FALSE(mm::parse_time(" 19991231 ").has_value());
    CHECK(mm::parse_time("20241399") == 20241399.0);  // no date
    CHECK(mm::parse_time("2024091") == 2024091.0);
    CHECK(mm::parse_time("2024-09-10") == 1725926400.0);
  }

  TEST_CASE("a version-2 model needs its checksum, version 1 reads as before") {
    mm::bkt::skill_params p;
    p.skill = "7";
    p.prior = 0.3;
    p.learn = 0.2;
    p.guess = {0.1};
    p.slip = {0.1};
    const mm::bkt::model m({p}, false, false);
    const std::string text = m.to_json(2, R"({"python": {"columns": {"skill": "skill_id"}}})");
    std::string extra;
    CHECK(mm::bkt::model::from_json(text, &extra) == m);
    CHECK(extra == R"({"python":{"columns":{"skill":"skill_id"}}})");
    CHECK(text.find("\"version\": 2") != std::string::npos);
    auto replaced = [&](const std::string& from, const std::string& to) {
      std::string t = text;
      t.replace(t.find(from), from.size(), to);
      return t;
    };
    CHECK_THROWS_WITH_AS((void)mm::bkt::model::from_json(replaced("\"checksum\"", "\"checksuX\"")),
                         doctest::Contains("checksum is missing"), mm::parse_error);
    CHECK_THROWS_WITH_AS((void)mm::bkt::model::from_json(replaced("0.3", "0.4")),
                         doctest::Contains("checksum mismatch"), mm::parse_error);
    CHECK_THROWS_AS((void)m.to_json(2, "[1]"), mm::parse_error);
    // version 1 without a checksum (the old to_json) still reads
    const std::string v1 = R"({"format": "masterymap.bkt.model", "version": 1, "skills": [
        {"skill": "7", "prior": 0.3, "learn": 0.2, "forget": 0, "guess": 0.1, "slip": 0.1}]})";
    CHECK(mm::bkt::model::from_json(v1, &extra) == m);
    CHECK(extra.empty());
  }
}
