// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
#include <doctest/doctest.h>

#include <masterymap/scale.hpp>

using namespace masterymap;

TEST_SUITE("scale") {
  TEST_CASE("four_point: ratings, mastery, exceeds, rating lookup") {
    const scale s = scale::four_point();
    REQUIRE(s.size() == 4);
    CHECK(s.mastery_label() == "Proficient");
    CHECK(s.mastery_value() == 3);
    CHECK(s.exceeds_value() == 4);
    CHECK(s.label_of(3.0) == "Proficient");
    CHECK(s.label_of(2.99) == "Developing");
    CHECK(s.label_of(3.5) == "Proficient");
    CHECK(s.label_of(0.5) == std::nullopt);  // below the lowest rating
    CHECK(s.value_of("Advanced") == 4);
    CHECK_FALSE(s.value_of("Great"));
    CHECK(s.reaches_mastery(3.0));
    CHECK(s.reaches_mastery(static_cast<float>(2.9999999)));
    CHECK_FALSE(s.reaches_mastery(2.99));
    CHECK(s.reaches_exceeds(4.0));
    CHECK(s.score_min() == 0.0);
    CHECK(s.score_max() == 4.0);
    CHECK(s.from_fraction(0.8) == 3);
    CHECK(s.from_fraction(0.95) == 4);
    CHECK(s.from_fraction(0.1) == 1);
    CHECK_THROWS_AS((void)s.from_fraction(1.5), std::invalid_argument);
  }

  TEST_CASE("percent: a continuous scale of fractions, 0.85 is mastery on percent(80)") {
    const scale s = scale::percent(80);
    CHECK(s.continuous());
    CHECK(s.mastery_value() == doctest::Approx(0.8));
    CHECK(s.reaches_mastery(0.85));
    CHECK(s.reaches_mastery(static_cast<float>(0.8)));  // float storage must not lose mastery
    CHECK(s.reaches_mastery(static_cast<double>(static_cast<float>(0.7)) + 0.1));
    CHECK_FALSE(s.reaches_mastery(0.79));
    CHECK(s.score_max() == 1.0);
    CHECK(s.from_fraction(0.85) == doctest::Approx(0.85));
    CHECK(s.label_of(0.85) == "Mastery");
    CHECK_THROWS_AS(scale::percent(0), policy_error);
    CHECK_THROWS_AS(scale::percent(120), policy_error);
  }

  TEST_CASE("competent_scale and letter") {
    const scale c = scale::competent_scale();
    CHECK(c.mastery_label() == "Competent");
    CHECK(c.label_of(2) == "Beyond Competent");
    CHECK(c.ratings().front().label == "Not Yet Competent");
    const scale l = scale::letter();
    CHECK(l.mastery_label() == "C");
    CHECK(l.label_of(3.2) == "B");
    CHECK(l.from_fraction(0.65) == 1);  // D
    CHECK(l.from_fraction(0.91) == 4);  // A
  }

  TEST_CASE("a custom scale is validated all at once, with paths") {
    try {
      (void)scale({{"A", 1}, {"A", 1}, {"", 0.5}}, "Z", std::string("Q"));
      FAIL("expected policy_error");
    } catch (const policy_error& e) {
      const auto& p = e.problems();
      CHECK(p.size() == 6);
      auto has = [&](const std::string& s) {
        for (const auto& x : p)
          if (x.find(s) != std::string::npos) return true;
        return false;
      };
      CHECK(has("scale.ratings[1].label: duplicate label 'A'"));
      CHECK(has("scale.ratings[1].value"));
      CHECK(has("scale.ratings[2].label: empty label"));
      CHECK(has("scale.mastery: 'Z'"));
      CHECK(has("scale.exceeds: 'Q'"));
    }
    const scale ok({{"Attempted", 0.0}, {"Familiar", 0.7}, {"Proficient", 1.0}}, "Proficient");
    CHECK(ok.label_of(0.75) == "Familiar");
    CHECK_FALSE(ok.exceeds_index());
    CHECK(to_string(ok).find("Proficient=1*") != std::string::npos);
  }
}
