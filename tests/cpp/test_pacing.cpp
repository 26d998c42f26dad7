// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
#include <doctest/doctest.h>

#include <cmath>
#include <cstdio>
#include <masterymap/pacing.hpp>

namespace mm = masterymap;

namespace {

constexpr double day = 86400.0;

mm::framework course() {
  mm::framework_builder b("course");
  char buf[8];
  for (int i = 1; i <= 26; ++i) {
    std::snprintf(buf, sizeof buf, "P%02d", i);
    b.add_competency(buf, "", "math", (i - 1) / 4 + 1);
    if (i > 1) {
      char prev[8];
      std::snprintf(prev, sizeof prev, "P%02d", i - 1);
      b.add_prerequisite(buf, prev);
    }
  }
  return b.build();
}

struct learner {
  std::vector<mm::status> st = std::vector<mm::status>(26, mm::status::not_started);
  std::vector<double> sc = std::vector<double>(26, NAN);
  std::vector<double> last = std::vector<double>(26, NAN);
  /// Masters the first `n` competencies, evenly spread over (from, to).
  void master(int n, double from, double to) {
    for (int i = 0; i < n; ++i) {
      st[static_cast<std::size_t>(i)] = mm::status::mastered;
      sc[static_cast<std::size_t>(i)] = 3;
      last[static_cast<std::size_t>(i)] = from + (to - from) * (i + 0.5) / n;
    }
  }
  mm::learner_view view(bool with_times = true) const {
    mm::learner_view v;
    v.statuses = st.data();
    v.scores = sc.data();
    v.last_evidence = with_times ? last.data() : nullptr;
    v.size = st.size();
    return v;
  }
};

mm::pace_plan weekly_plan(const mm::framework& fw) {
  mm::pace_plan plan;
  plan.start = *mm::parse_time("2024-01-01");
  plan.target = *mm::parse_time("2024-07-01");  // 182 days: 26 weeks
  for (mm::index_t i = 0; i < fw.size(); ++i) plan.goals.push_back(fw.id_of(i));
  plan.expected_rate = 1.0 / 7;  // one competency a week
  return plan;
}

}  // namespace

TEST_SUITE("pacing") {
  TEST_CASE("ahead at 1.5x, on track, behind") {
    const mm::framework fw = course();
    const mm::progression prog(fw, mm::scale::four_point());
    const mm::pace_plan plan = weekly_plan(fw);
    const double today = *mm::parse_time("2024-01-29");  // 4 weeks in: 4 expected
    SUBCASE("1.5x the pace") {
      learner L;
      L.master(6, plan.start, today);
      const auto r = mm::pacing(prog, L.view(), plan, today);
      CHECK(r.status == mm::pace_status::ahead);
      CHECK(r.total == 26);
      CHECK(r.done == 6);
      CHECK(r.expected == doctest::Approx(4.0));
      CHECK(r.expected_rate == doctest::Approx(1.0 / 7));
      CHECK(r.actual_rate == doctest::Approx(6.0 / 28));
      CHECK(r.acceleration == doctest::Approx(1.5));
      CHECK(r.needed_rate == doctest::Approx(20.0 / 154));
      REQUIRE(r.projected_finish.has_value());
      CHECK(*r.projected_finish == doctest::Approx(today + 20.0 / (6.0 / 28) * day));
      CHECK(r.days_ahead == doctest::Approx(14.0));
      CHECK(r.remaining.size() == 20);
      CHECK(fw.id_of(r.remaining.front()) == "P07");
      CHECK(std::string(mm::to_string(r.status)) == "ahead");
    }
    SUBCASE("on the teacher's pace") {
      learner L;
      L.master(4, plan.start, today);
      const auto r = mm::pacing(prog, L.view(), plan, today);
      CHECK(r.status == mm::pace_status::on_track);
      CHECK(r.acceleration == doctest::Approx(1.0));
      CHECK(r.days_ahead == doctest::Approx(0.0));
    }
    SUBCASE("half the pace") {
      learner L;
      L.master(2, plan.start, today);
      const auto r = mm::pacing(prog, L.view(), plan, today);
      CHECK(r.status == mm::pace_status::behind);
      CHECK(r.acceleration == doctest::Approx(0.5));
      CHECK(*r.projected_finish == doctest::Approx(today + 24.0 * 14 * day));
      CHECK(r.needed_rate == doctest::Approx(24.0 / 154));
    }
    SUBCASE("without evidence times: done / days since start") {
      learner L;
      L.master(6, plan.start, today);
      const auto r = mm::pacing(prog, L.view(false), plan, today);
      CHECK(r.acceleration == doctest::Approx(1.5));
    }
    SUBCASE("the default expected rate is linear to the target") {
      mm::pace_plan p2 = plan;
      p2.expected_rate.reset();
      learner L;
      L.master(6, plan.start, today);
      const auto r = mm::pacing(prog, L.view(), p2, today);
      CHECK(r.expected_rate == doctest::Approx(26.0 / 182));
      CHECK(r.acceleration == doctest::Approx(1.5));
    }
  }

  TEST_CASE("recent rate, calendars, completion, errors") {
    const mm::framework fw = course();
    const mm::progression prog(fw, mm::scale::four_point());
    mm::pace_plan plan = weekly_plan(fw);
    SUBCASE("a learner who stopped: no recent progress, no projected finish") {
      learner L;
      L.master(8, plan.start, plan.start + 8 * day);
      const double today = plan.start + 56 * day;
      const auto r = mm::pacing(prog, L.view(), plan, today);
      CHECK(r.expected == doctest::Approx(8.0));
      CHECK(r.status == mm::pace_status::on_track);
      CHECK(r.actual_rate == 0.0);
      CHECK(r.acceleration == 0.0);
      CHECK_FALSE(r.projected_finish.has_value());
    }
    SUBCASE("a calendar of milestones") {
      plan.expected_rate.reset();
      plan.calendar = {{plan.start + 14 * day, 1}, {plan.start + 28 * day, 6}, {plan.target, 26}};
      CHECK(mm::expected_done(plan, 26, plan.start + 21 * day) == doctest::Approx(3.5));
      CHECK(mm::expected_done(plan, 26, plan.start + 7 * day) == doctest::Approx(0.5));
      CHECK(mm::expected_done(plan, 26, plan.target + 10 * day) == doctest::Approx(26));
      learner L;
      L.master(6, plan.start, plan.start + 28 * day);
      const auto r = mm::pacing(prog, L.view(), plan, plan.start + 28 * day);
      CHECK(r.status == mm::pace_status::on_track);
      CHECK(r.expected_rate == doctest::Approx(6.0 / 28));
      CHECK(r.acceleration == doctest::Approx(1.0));
    }
    SUBCASE("complete") {
      learner L;
      L.master(26, plan.start, plan.start + 100 * day);
      const auto r = mm::pacing(prog, L.view(), plan, plan.start + 120 * day);
      CHECK(r.complete);
      CHECK(r.status == mm::pace_status::ahead);
      CHECK(r.needed_rate == 0.0);
      CHECK(*r.projected_finish == doctest::Approx(plan.start + 100 * day * 25.5 / 26));
    }
    SUBCASE("goals with their prerequisites") {
      mm::pace_plan p2 = plan;
      p2.goals = {"P10"};
      p2.include_prerequisites = true;
      CHECK(mm::plan_scope(fw, p2).size() == 10);
      learner L;
      L.master(5, plan.start, plan.start + 28 * day);
      const auto r = mm::pacing(prog, L.view(), p2, plan.start + 28 * day);
      CHECK(r.total == 10);
      CHECK(r.done == 5);
    }
    SUBCASE("errors") {
      learner L;
      mm::pace_plan bad = plan;
      bad.target = bad.start;
      CHECK_THROWS_AS((void)mm::pacing(prog, L.view(), bad, plan.start), std::invalid_argument);
      bad = plan;
      bad.goals = {"nope"};
      CHECK_THROWS_AS((void)mm::pacing(prog, L.view(), bad, plan.start), mm::unknown_id_error);
      bad = plan;
      bad.calendar = {{plan.start + 10 * day, 1}, {plan.start + 5 * day, 2}};
      CHECK_THROWS_AS((void)mm::pacing(prog, L.view(), bad, plan.start), std::invalid_argument);
      CHECK_THROWS_AS((void)mm::pacing(prog, L.view(), plan),
                      std::invalid_argument);  // today unknown
      const auto r = mm::pacing(prog, L.view(), plan, plan.target + day);
      CHECK(std::isnan(r.needed_rate));
      CHECK(r.status == mm::pace_status::behind);
    }
  }
}
