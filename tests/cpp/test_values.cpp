// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// Wrong values fail where they are given, with the library's errors: method, rule, rollup,
// policy, scale, pacing, recommendation and knowledge-tracing options; a policy JSON reports
// every problem in one pass; appends check against a framework and scale unless told not to;
// a bkt rule needs a probability source on every evaluation path.
#include <doctest/doctest.h>

#include <cmath>
#include <functional>
#include <limits>
#include <masterymap/bkt.hpp>
#include <masterymap/bkt_source.hpp>
#include <masterymap/engine.hpp>
#include <masterymap/pacing.hpp>
#include <masterymap/policy.hpp>
#include <masterymap/progression.hpp>
#include <masterymap/roster.hpp>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "fixtures.hpp"

using namespace masterymap;

namespace {

constexpr double nan_v = std::numeric_limits<double>::quiet_NaN();

/// The problems of the policy_error `f` throws (empty when it throws nothing).
std::vector<std::string> policy_problems(const std::function<void()>& f) {
  try {
    f();
  } catch (const policy_error& e) {
    return e.problems();
  }
  return {};
}

/// The message of the std::invalid_argument `f` throws (empty when it throws nothing).
std::string invalid(const std::function<void()>& f) {
  try {
    f();
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return {};
}

using problems_t = std::vector<std::string>;

framework two() {
  framework_builder b("two");
  b.add_competency("A", {}, "D").add_competency("B", {}, "D");
  return b.build();
}

}  // namespace

TEST_SUITE("values") {
  TEST_CASE("a method's parameter is checked when the method is made") {
    CHECK(policy_problems([] { (void)method::decaying_average(1.5); }) ==
          problems_t{"method.w: 1.5 is outside (0, 1)"});
    CHECK(policy_problems([] { (void)method::weighted_average(0); }) ==
          problems_t{"method.w: 0 is outside (0, 1)"});
    CHECK(policy_problems([] { (void)method::decaying_average(nan_v); }) ==
          problems_t{"method.w: nan is outside (0, 1)"});
    CHECK(policy_problems([] { (void)method::n_mastery(0); }) ==
          problems_t{"method.n: must be at least 1"});
    CHECK(policy_problems([] { (void)method::bkt(0); }) ==
          problems_t{"method.threshold: 0 is outside (0, 1]"});
    CHECK(policy_problems([] { (void)method::bkt(1.5); }) ==
          problems_t{"method.threshold: 1.5 is outside (0, 1]"});
    // The edges that are allowed.
    CHECK(method::bkt(1).threshold() == 1);
    CHECK(method::n_mastery(1).n() == 1);
    CHECK(method::decaying_average(0.999).w() == 0.999);
  }

  TEST_CASE("a rule's problems: all at once, each with its path") {
    rule r;
    r.window_last = 0;
    r.window_days = -3;
    r.expires_after_days = 0;
    r.require_kinds = {"x", "x"};
    r.ignore_kinds = {"x"};
    r.exempt_confirm_kinds = {"discussion"};
    const problems_t expected = {
        "rule.window_last: must be at least 1",
        "rule.min_evidence: 1 can never be met with window_last=0",
        "rule.window_days: -3 is not a positive number of days",
        "rule.expires_after_days: 0 is not a positive number of days",
        "rule.exempt_confirm_kinds: set without exempt_on_pretest",
        "rule.require_kinds[1]: duplicate kind 'x'",
        "rule.ignore_kinds: 'x' is also a required kind",
    };
    CHECK(problems(r) == expected);
    CHECK(policy_problems([&] { validate(r); }) == expected);
    CHECK(problems(r, "overrides.domains['NF']").front() ==
          "overrides.domains['NF'].window_last: must be at least 1");
    CHECK(problems(rule{}).empty());
    rule nan_days;
    nan_days.window_days = nan_v;
    CHECK(problems(nan_days) ==
          problems_t{"rule.window_days: nan is not a positive number of days"});
  }

  TEST_CASE("a policy refuses a bad rule or rollup when it is given, and stays as it was") {
    rule bad;
    bad.window_days = -1;
    const std::string why = "window_days: -1 is not a positive number of days";
    CHECK(policy_problems([&] { policy p(scale::four_point(), bad); }) ==
          problems_t{"rule." + why});
    policy p;
    const policy before = p;
    CHECK(policy_problems([&] { p.set_default_rule(bad); }) == problems_t{"rule." + why});
    CHECK(policy_problems([&] { p.override_domain("NF", bad); }) ==
          problems_t{"overrides.domains['NF']." + why});
    CHECK(policy_problems([&] { p.override_competency("A", bad); }) ==
          problems_t{"overrides.competencies['A']." + why});
    // Checked against the policy's scale: a pre-test score off the four-point scale.
    rule off;
    off.exempt_on_pretest = 9;
    CHECK(policy_problems([&] { p.set_default_rule(off); }) ==
          problems_t{"rule.exempt_on_pretest: 9 is off the scale [0, 4]"});
    CHECK(policy_problems([&] {
            p.set_rollup("P", rollup::k_of_n(4, {"A", "B", "C"}));
          }) == problems_t{"rollups['P'].groups[0].k: k=4 > n=3 items"});
    CHECK(policy_problems([&] { p.set_default_rollup(rollup::all_of({"A"})); }).size() == 1);
    CHECK(p == before);
    CHECK(p.problems().empty());
  }

  TEST_CASE("a rollup's numbers are checked when it is made, how they fit when it is whole") {
    CHECK(policy_problems([] { (void)rollup::k_of_n(0); }) ==
          problems_t{"rollup.k: must be at least 1"});
    CHECK(policy_problems([] { (void)rollup::points(0); }) ==
          problems_t{"rollup.min_points: 0 must be positive"});
    CHECK(policy_problems([] {
            (void)rollup::points(2, {{"A", -1}, {"B", nan_v}});
          }) == problems_t{"rollup.points['A']: -1 is not a non-negative number",
                           "rollup.points['B']: nan is not a non-negative number"});
    CHECK(policy_problems([] {
            (void)rollup::weighted_mean({{"A", -2}});
          }) == problems_t{"rollup.weights['A']: -2 is not a non-negative number"});
    CHECK(policy_problems([] {
            (void)rollup::weighted_mean({{"A", 0}, {"B", 0}});
          }) == problems_t{"rollup.weights: weights sum to 0"});
    // k > n is known once every item is there (items may be added after the factory).
    const rollup r = rollup::k_of_n(4, {"A", "B", "C"});
    CHECK(problems(r) == problems_t{"rollup.groups[0].k: k=4 > n=3 items"});
    CHECK_THROWS_AS(validate(r), policy_error);
    rollup fixed = r;
    fixed.add("D");
    CHECK(problems(fixed).empty());
  }

  TEST_CASE("Scale::percent takes a percent, and says so when given a fraction") {
    const auto ps = policy_problems([] { (void)scale::percent(0.8); });
    REQUIRE(ps.size() == 1);
    CHECK(ps[0] ==
          "scale.percent: threshold 0.8 looks like a fraction; the threshold is a percent in "
          "[1, 100] (percent(80) for 80%)");
    for (double bad : {0.0, -5.0, 100.5, nan_v})
      CHECK(policy_problems([&] { (void)scale::percent(bad); }).size() == 1);
    CHECK(scale::percent(1).mastery_value() == doctest::Approx(0.01));
    CHECK(scale::percent(80).mastery_value() == doctest::Approx(0.8));
    CHECK(scale::percent(100).mastery_value() == 1.0);
  }

  TEST_CASE("a pace plan is checked on its own") {
    pace_plan plan;
    plan.start = 0;
    plan.target = 86400 * 100;
    plan.goals = {"A"};
    CHECK(invalid([&] { validate(plan); }).empty());
    pace_plan p = plan;
    p.expected_rate = -1;
    CHECK(invalid([&] { validate(p); }) ==
          "pace plan: the expected rate must be a positive number, got -1");
    p = plan;
    p.recent_days = 0;
    CHECK(invalid([&] { validate(p); }) ==
          "pace plan: recent_days must be a positive number, got 0");
    p = plan;
    p.tolerance = -0.5;
    CHECK(invalid([&] { validate(p); }) == "pace plan: tolerance must be a number >= 0, got -0.5");
    p = plan;
    p.target = p.start;
    CHECK(invalid([&] { validate(p); }) ==
          "pace plan: the target date (1970-01-01T00:00:00Z) must come after the start "
          "(1970-01-01T00:00:00Z)");
    p = plan;
    p.calendar = {{86400 * 10, 1}, {86400 * 5, 2}};
    CHECK(!invalid([&] { validate(p); }).empty());
  }

  TEST_CASE("recommendation options are checked") {
    recommend_options o;
    CHECK(invalid([&] { validate(o); }).empty());
    o.recency_days = 0;
    CHECK(invalid([&] { validate(o); }) ==
          "recommend: recency_days must be a positive number of days, got 0");
    o.recency_days = -1;
    const framework fw = two();
    const progression prog(engine(fw, policy{}));
    const std::vector<status> st(fw.size(), status::not_started);
    learner_view v;
    v.statuses = st.data();
    v.size = st.size();
    CHECK_THROWS_AS((void)prog.recommend(v, 3, o), std::invalid_argument);
    recommend_options w;
    w.goal_weight = std::numeric_limits<double>::infinity();
    CHECK(invalid([&] { validate(w); }) ==
          "recommend: goal_weight must be a finite number, got inf");
  }

  TEST_CASE("knowledge-tracing options and sources are checked when made") {
    bkt::fit_options o;
    CHECK_NOTHROW(bkt::validate(o));
    o.num_fits = 0;
    CHECK(invalid([&] { bkt::validate(o); }) == "num_fits must be at least 1, got 0");
    o = {};
    o.tolerance = -1;
    CHECK(invalid([&] { bkt::validate(o); }) == "tolerance must be a finite number >= 0, got -1");
    o = {};
    o.bounds.guess = {0.6, 0.4};
    CHECK(invalid([&] { bkt::validate(o); }) ==
          "bounds of guess must satisfy 0 <= lo <= hi <= 1, got [0.6, 0.4]");
    o = {};
    o.fixed.prior = 1.5;
    CHECK(invalid([&] { bkt::validate(o); }) == "fixed prior must be in [0, 1], got 1.5");
    bkt::skill_params p;
    p.skill = "A";
    p.prior = 1.5;
    p.guess = {0.2};
    p.slip = {0.1};
    CHECK(invalid([&] { (void)bkt::simulate({p}, 2, 3, 42); }) ==
          "skill 'A': prior must be in [0, 1], got 1.5");
    CHECK_THROWS_AS((void)bkt::model({p}), std::invalid_argument);
    bkt::source_options so;
    so.correct_at = nan_v;
    CHECK_THROWS_AS(bkt::model_probabilities(bkt::model{}, so), std::invalid_argument);
  }
}

TEST_SUITE("policy JSON") {
  TEST_CASE("every problem in one pass: a missing scale does not hide the rest") {
    const auto ps = policy_problems([] {
      (void)policy::from_json(R"({"rule": {"method": {"name": "decaying_average", "w": 1.5}}})");
    });
    CHECK(ps == problems_t{"scale: missing", "rule.method.w: 1.5 is outside (0, 1)"});
    // Without a scale there is nothing to compare a pre-test score with: not a problem here.
    const auto unscaled = policy_problems([] {
      (void)policy::from_json(R"({"scale": {"ratings": [], "mastery": "M"},
                                  "rule": {"exempt_on_pretest": 9, "window_days": 0}})");
    });
    CHECK(unscaled == problems_t{"scale.ratings: a scale needs at least one rating",
                                 "scale.mastery: 'M' is not a rating of the scale",
                                 "rule.window_days: 0 is not a positive number of days"});
  }

  TEST_CASE("one path style: field paths from the document's top, no '$.' prefix") {
    const auto ps = policy_problems([] {
      (void)policy::from_json(R"({"format": "other", "version": 7, "name": 3,
                                  "rollup_precedence": "sometimes",
                                  "rule": {"method": "median", "colour": "red"}})");
    });
    CHECK(ps == problems_t{"format: expected 'masterymap.policy', got 'other'",
                           "version: unsupported version 7", "name: expected a string",
                           "scale: missing", "rule.method.name: unknown method 'median'",
                           "rule.colour: unknown field",
                           "rollup_precedence: unknown value 'sometimes' (expected 'rollup', "
                           "'evidence', 'either' or 'both')"});
    CHECK(policy_problems([] { (void)policy::from_json("[1, 2]"); }) ==
          problems_t{"$: expected a JSON object"});
  }
}

TEST_SUITE("evidence checks") {
  TEST_CASE("appends check against the framework and scale, unchecked appends are named") {
    const framework fw = two();
    const engine eng(fw, policy{});
    const ingest_checks checks = eng.checks();
    // A time and a score given the wrong way round: score 1725235200 (the time), time 3.
    const evidence swapped("s1", "A", 3.0, 1725235200.0);
    evidence_log log;
    CHECK_THROWS_AS(log.add(swapped, checks), evidence_error);
    CHECK_THROWS_AS(log.append(std::vector<evidence>{swapped}, checks), evidence_error);
    CHECK_THROWS_AS(log.append_row("s1", "A", 3.0, 1725235200.0, "formative", 1.0, {}, checks),
                    evidence_error);
    std::istringstream csv("learner,competency,time,score\ns1,A,3,1725235200\n");
    CHECK_THROWS_AS(log.append_csv(csv, {}, checks), evidence_error);
    CHECK(log.empty());
    // The explicit way round the checks stores it as given, and it rates as "exceeded": why
    // skipping them must be spelled out.
    log.add_unchecked(swapped);
    CHECK(eng.evaluate(log, "s1").status("A") == status::exceeded);
    std::istringstream csv2("learner,competency,time,score\ns1,B,3,1725235200\n");
    log.append_csv_unchecked(csv2);
    CHECK(log.size() == 2);
    // The log's own checks still apply to unchecked appends.
    CHECK_THROWS_AS(log.add_unchecked({"", "A", 1, 3}), evidence_error);
    CHECK_THROWS_AS(log.add_unchecked({"s1", "A", nan_v, 3}), evidence_error);
  }
}

TEST_SUITE("bkt rules") {
  struct half : probability_source {
    std::optional<double> probability(std::string_view, std::string_view,
                                      const std::vector<double>&) const override {
      return 0.5;
    }
  };

  TEST_CASE("a bkt rule without a probability source is an error on every evaluation path") {
    const framework fw = two();
    rule bkt_rule;
    bkt_rule.method = method::bkt(0.9);
    policy p;
    p.override_competency("B", bkt_rule);
    CHECK(bkt_rules(p) == std::vector<std::string>{"overrides.competencies['B']"});
    CHECK(bkt_rules(policy(scale::four_point(), bkt_rule)) == std::vector<std::string>{"rule"});
    CHECK(bkt_rules(policy{}).empty());
    const engine eng(fw, p);
    evidence_log log;
    log.add({"s1", "B", 1, 3}, eng.checks());
    auto needs_source = [](const std::function<void()>& f) {
      const auto ps = policy_problems(f);
      REQUIRE(ps.size() == 1);
      CHECK(ps[0].rfind("overrides.competencies['B'].method: bkt needs a probability source", 0) ==
            0);
      CHECK(ps[0].find("probabilities=") != std::string::npos);
    };
    needs_source([&] { (void)eng.evaluate(log, "s1"); });
    needs_source([&] { (void)eng.evaluate_all(log); });
    needs_source([&] { (void)eng.ratings(log); });
    needs_source([&] { (void)evaluate(fw, p, log, "s1"); });
    needs_source([&] { roster r(fw, p); });
    evaluate_options with;
    with.probabilities = std::make_shared<half>();
    learner_state st = eng.evaluate(log, "s1", with);
    CHECK(st.score("B") == 0.5);
    CHECK(st.status("B") == status::in_progress);
    needs_source([&] { eng.update(st, log); });
    CHECK(eng.ratings(log, with).statuses.size() == 1);
    // A roster with a source works; its snapshot loads back only with one.
    roster_options ro;
    ro.probabilities = with.probabilities;
    roster r(fw, p, ro);
    r.ingest(log);
    const fixtures::temp_file file("bkt_roster.bin");
    r.save(file.path());
    needs_source([&] { (void)roster::load(file.path()); });
    CHECK(roster::load(file.path(), ro).log().size() == 1);
  }
}
