// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// The learner simulator and fixtures of masterymap/testing.hpp: deterministic for a seed
// whatever the thread count, consistent with its truth, and observing as BKT says.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <map>
#include <masterymap/engine.hpp>
#include <masterymap/testing.hpp>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "fixtures.hpp"

namespace mm = masterymap;
namespace mt = masterymap::testing;

namespace {

bool same(const mt::simulation& a, const mt::simulation& b) {
  auto eq = [](const std::vector<double>& x, const std::vector<double>& y) {
    if (x.size() != y.size()) return false;
    for (std::size_t i = 0; i < x.size(); ++i)
      if (!(x[i] == y[i] || (std::isnan(x[i]) && std::isnan(y[i])))) return false;
    return true;
  };
  return a.learner == b.learner && a.competency == b.competency && a.time == b.time &&
         a.score == b.score && a.kind == b.kind && a.correct == b.correct &&
         a.truth_learner == b.truth_learner && a.truth_competency == b.truth_competency &&
         eq(a.mastery_time, b.mastery_time) && a.truth_attempts == b.truth_attempts &&
         a.group == b.group && a.pace == b.pace && a.kind_names == b.kind_names &&
         a.learner_names == b.learner_names && a.group_names == b.group_names;
}

// Checks the truth against the framework: nothing mastered before its required prerequisites,
// evidence only on competencies whose required prerequisites were mastered before it started.
void check_truth(const mm::framework& fw, const mt::simulation& s) {
  std::map<std::pair<std::uint32_t, std::uint32_t>, double> mastered, first;
  for (std::size_t r = 0; r < s.truth_learner.size(); ++r)
    mastered[{s.truth_learner[r], s.truth_competency[r]}] = s.mastery_time[r];
  for (std::size_t r = 0; r < s.size(); ++r)
    first.emplace(std::make_pair(s.learner[r], s.competency[r]), s.time[r]);
  for (const auto& [key, t0] : first) {
    for (const auto& e : fw.edges_into(static_cast<mm::index_t>(key.second))) {
      if (e.strength != mm::strength::required) continue;
      const auto it = mastered.find({key.first, static_cast<std::uint32_t>(e.prerequisite)});
      REQUIRE(it != mastered.end());
      CHECK(it->second < t0);  // NaN fails too
    }
    const double m = mastered.at(key);
    if (!std::isnan(m)) CHECK(m >= t0);
  }
  for (std::size_t r = 1; r < s.size(); ++r)
    if (s.learner[r] == s.learner[r - 1]) CHECK(s.time[r] > s.time[r - 1]);
}

}  // namespace

TEST_SUITE("testing") {
  TEST_CASE("threads: simulate gives the same output for any thread count") {
    const auto fw = mt::diamond();
    mt::simulation_options o;
    o.learners = 3000;  // several blocks
    o.seed = 7;
    o.groups = {{"x", 1.0, 1.0}, {"y", 2.0, 0.5}};
    o.threads = 1;
    const auto one = mt::simulate(fw, mt::simple_policy(), o);
    o.threads = 2;
    const auto two = mt::simulate(fw, mt::simple_policy(), o);
    o.threads = 0;
    const auto all = mt::simulate(fw, mt::simple_policy(), o);
    o.threads = 5;
    const auto five = mt::simulate(fw, mt::simple_policy(), o);
    CHECK(one.size() > 3000);
    CHECK(same(one, two));
    CHECK(same(one, all));
    CHECK(same(one, five));
    o.seed = 8;
    CHECK_FALSE(same(one, mt::simulate(fw, mt::simple_policy(), o)));
  }

  TEST_CASE("simulate: the truth is consistent with the prerequisite graph") {
    mt::simulation_options o;
    o.learners = 500;
    o.seed = 3;
    o.params.forgets = 0.05;
    check_truth(mt::diamond(), mt::simulate(mt::diamond(), mt::simple_policy(), o));
    check_truth(mt::chain(6), mt::simulate(mt::chain(6), mt::simple_policy(), o));
    if (!fixtures::have_ccss()) return;
    const auto ccss = ccss::load();
    o.learners = 300;
    o.attempts = 80;
    check_truth(ccss, mt::simulate(ccss, mt::simple_policy(), o));
  }

  TEST_CASE("simulate: observations follow BKT (correct 1 - slips when known, guesses when not)") {
    // prior 0, forgets 0: known at an attempt exactly when its time is after the mastery time.
    mt::simulation_options o;
    o.learners = 4000;
    o.seed = 11;
    o.params = {0.0, 0.15, 0.25, 0.1, 0.0};
    o.max_attempts = 30;
    const auto s = mt::simulate(mt::chain(4), mt::simple_policy(), o);
    std::map<std::pair<std::uint32_t, std::uint32_t>, double> mastered;
    for (std::size_t r = 0; r < s.truth_learner.size(); ++r)
      mastered[{s.truth_learner[r], s.truth_competency[r]}] = s.mastery_time[r];
    double known = 0, known_right = 0, unknown = 0, unknown_right = 0;
    for (std::size_t r = 0; r < s.size(); ++r) {
      const double m = mastered.at({s.learner[r], s.competency[r]});
      const bool k = !std::isnan(m) && s.time[r] > m;
      (k ? known : unknown) += 1;
      (k ? known_right : unknown_right) += s.correct[r];
      CHECK(s.score[r] == (s.correct[r] ? 3.0 : 2.0));  // four-point: Proficient / Developing
    }
    REQUIRE(known > 5000);
    REQUIRE(unknown > 5000);
    // binomial standard errors are below 0.006 here: 0.02 is more than 3 of them
    CHECK(known_right / known == doctest::Approx(0.9).epsilon(0.02));
    CHECK(unknown_right / unknown == doctest::Approx(0.25).epsilon(0.02 / 0.25));
  }

  TEST_CASE("simulate: a planted slow competency and a group gap show in the truth") {
    mt::simulation_options o;
    o.learners = 2000;
    o.seed = 5;
    o.overrides["C3"] = {0.0, 0.03, 0.2, 0.1, 0.0};
    o.groups = {{"fast", 1.0, 1.0}, {"slow", 1.0, 0.4}};
    o.max_attempts = 200;
    o.attempts = 400;
    const auto s = mt::simulate(mt::chain(5), mt::simple_policy(), o);
    std::map<std::uint32_t, std::vector<double>> attempts_to_mastery;
    std::vector<std::vector<double>> by_group(2);
    for (std::size_t r = 0; r < s.truth_learner.size(); ++r) {
      if (std::isnan(s.mastery_time[r])) continue;
      attempts_to_mastery[s.truth_competency[r]].push_back(s.truth_attempts[r]);
      by_group[s.group[s.truth_learner[r]]].push_back(s.truth_attempts[r]);
    }
    auto mean = [](const std::vector<double>& v) {
      double t = 0;
      for (double x : v) t += x;
      return t / static_cast<double>(v.size());
    };
    const std::uint32_t c3 = 2;
    for (const auto& [c, v] : attempts_to_mastery)
      if (c != c3) CHECK(mean(v) < mean(attempts_to_mastery[c3]));
    CHECK(mean(by_group[0]) < mean(by_group[1]));
  }

  TEST_CASE("simulate: gatekeeper kinds of the policy are observed") {
    mm::rule r;
    r.require_kinds = {"discussion"};
    r.min_evidence = 4;
    const mm::policy p(mm::scale::percent(80), r);
    mt::simulation_options o;
    o.learners = 200;
    o.streak = 2;
    const auto s = mt::simulate(mt::chain(3), p, o);
    REQUIRE(s.kind_names == std::vector<std::string>{"formative", "discussion"});
    std::size_t checks = 0;
    for (std::size_t r2 = 0; r2 < s.size(); ++r2) {
      checks += s.kind[r2] == 1;
      CHECK(s.score[r2] == (s.correct[r2] ? 0.8 : 0.0));
    }
    CHECK(checks > 100);
    // The log takes the evidence and the policy's engine rates it.
    const auto log = s.to_log();
    CHECK(log.size() == s.size());
    const mm::engine e(mt::chain(3), p);
    CHECK_NOTHROW((void)e.evaluate(log, "L0"));
  }

  TEST_CASE("simulate: bad options are named") {
    const auto fw = mt::chain(2);
    mt::simulation_options o;
    o.params.slips = 1.5;
    CHECK_THROWS_WITH_AS(mt::simulate(fw, mt::simple_policy(), o),
                         doctest::Contains("params.slips"), std::invalid_argument);
    o = {};
    o.overrides["nope"] = {};
    CHECK_THROWS_WITH_AS(mt::simulate(fw, mt::simple_policy(), o), doctest::Contains("'nope'"),
                         std::invalid_argument);
    o = {};
    o.groups = {{"g", 0.0, 1.0}};
    CHECK_THROWS_WITH_AS(mt::simulate(fw, mt::simple_policy(), o),
                         doctest::Contains("groups['g'].share"), std::invalid_argument);
    o = {};
    o.streak = 0;
    CHECK_THROWS_AS(mt::simulate(fw, mt::simple_policy(), o), std::invalid_argument);
    o = {};
    o.streak = 3;
    o.max_attempts = 2;  // issue 14: nobody could ever master anything
    CHECK_THROWS_WITH_AS(mt::simulate(fw, mt::simple_policy(), o),
                         "max_attempts: 2 is less than the 3 attempts moving on from 'C1' takes "
                         "(streak 3): no learner could ever master it",
                         std::invalid_argument);
    o.max_attempts = 3;
    CHECK_NOTHROW((void)mt::simulate(fw, mt::simple_policy(), o));
    o = {};
    o.learners = 0;
    CHECK(mt::simulate(fw, mt::simple_policy(), o).size() == 0);
  }

  TEST_CASE("testing fixtures: chain, diamond, policy and log") {
    CHECK(mt::chain().size() == 5);
    CHECK(mt::chain().edge_count() == 4);
    CHECK_THROWS_AS((void)mt::chain(0), std::invalid_argument);
    const auto d = mt::diamond();
    CHECK(d.size() == 4);
    CHECK(d.prerequisites(d.index_of("D"), true).size() == 3);
    const auto log = mt::small_log();
    CHECK(log.size() == 6);
    const mm::engine e(mt::chain(), mt::simple_policy());
    const auto a = e.evaluate(log, "a");
    CHECK(a.status("C2") == mm::status::mastered);
  }
}
