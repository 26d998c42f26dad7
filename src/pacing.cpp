// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <masterymap/evidence.hpp>
#include <masterymap/pacing.hpp>
#include <stdexcept>

#include "enum_names.hpp"

namespace masterymap {

namespace {
constexpr double day = 86400.0;
constexpr double nan_v = std::numeric_limits<double>::quiet_NaN();
}  // namespace

void validate(const pace_plan& plan) {
  if (!(std::isfinite(plan.start) && std::isfinite(plan.target) && plan.target > plan.start))
    throw std::invalid_argument(
        fmt::format("pace plan: the target date ({}) must come after the start ({})",
                    format_time(plan.target), format_time(plan.start)));
  if (plan.expected_rate && !(*plan.expected_rate > 0 && std::isfinite(*plan.expected_rate)))
    throw std::invalid_argument(fmt::format(
        "pace plan: the expected rate must be a positive number, got {}", *plan.expected_rate));
  double prev = plan.start;
  for (const auto& [t, n] : plan.calendar) {
    if (!(t > prev) || !std::isfinite(t) || !std::isfinite(n) || n < 0)
      throw std::invalid_argument(fmt::format(
          "pace plan: calendar times must increase after the start, with counts >= 0 (at {})",
          format_time(t)));
    prev = t;
  }
  if (!(plan.recent_days > 0 && std::isfinite(plan.recent_days)))
    throw std::invalid_argument(
        fmt::format("pace plan: recent_days must be a positive number, got {}", plan.recent_days));
  if (!(plan.tolerance >= 0 && std::isfinite(plan.tolerance)))
    throw std::invalid_argument(
        fmt::format("pace plan: tolerance must be a number >= 0, got {}", plan.tolerance));
}

namespace {
constexpr detail::enum_names<pace_status, 3> pace_status_names{
    {{{pace_status::on_track, "on_track"},
      {pace_status::behind, "behind"},
      {pace_status::ahead, "ahead"}}},
    "?"};
}  // namespace

const char* to_string(pace_status s) noexcept { return pace_status_names.name(s); }

std::vector<index_t> plan_scope(const framework& fw, const pace_plan& plan) {
  std::vector<index_t> goals;
  for (const auto& id : plan.goals) goals.push_back(fw.index_of(id));
  std::vector<index_t> scope = goals;
  if (plan.include_prerequisites) {
    auto anc = fw.ancestors(goals, strength_set::gating());
    scope.insert(scope.end(), anc.begin(), anc.end());
  }
  const auto& rank = fw.topological_rank();
  std::sort(scope.begin(), scope.end(), [&](index_t a, index_t b) { return rank[a] < rank[b]; });
  scope.erase(std::unique(scope.begin(), scope.end()), scope.end());
  return scope;
}

double expected_done(const pace_plan& plan, std::size_t total, double t) {
  const double n = static_cast<double>(total);
  if (t <= plan.start) return 0.0;
  if (!plan.calendar.empty()) {
    double t0 = plan.start, n0 = 0.0;
    for (const auto& [t1, n1] : plan.calendar) {
      if (t <= t1) return std::min(n, n0 + (n1 - n0) * (t - t0) / (t1 - t0));
      t0 = t1;
      n0 = n1;
    }
    return std::min(n, n0);
  }
  const double rate =
      plan.expected_rate ? *plan.expected_rate : n / ((plan.target - plan.start) / day);
  return std::min(n, rate * (t - plan.start) / day);
}

pace_report pacing(const progression& p, const learner_view& v, const pace_plan& plan,
                   std::optional<double> today) {
  validate(plan);
  if (v.size != p.size() || (v.size > 0 && !v.statuses))
    throw std::invalid_argument("pacing: the view does not match");
  pace_report r;
  r.today = today.value_or(v.as_of);
  if (std::isnan(r.today))
    throw std::invalid_argument("pacing: today is unknown (pass it, or evaluate the learner)");
  const std::vector<index_t> scope = plan_scope(p.framework(), plan);
  r.total = scope.size();
  const double window_start = std::max(plan.start, r.today - plan.recent_days * day);
  std::size_t recent = 0;
  double latest_done = nan_v;
  for (index_t c : scope) {
    if (!is_done(v.statuses[c])) {
      r.remaining.push_back(c);
      continue;
    }
    ++r.done;
    if (v.last_evidence) {
      const double t = v.last_evidence[c];
      if (t >= window_start && t <= r.today) ++recent;
      if (!(t <= latest_done)) latest_done = t;
    }
  }
  r.complete = r.done == r.total;
  r.expected = expected_done(plan, r.total, r.today);
  const double elapsed = (r.today - plan.start) / day;
  if (!plan.calendar.empty() || !plan.expected_rate) {
    // The average expected rate so far (linear plans: the plan's rate).
    r.expected_rate = elapsed > 0
                          ? r.expected / elapsed
                          : (plan.calendar.empty()
                                 ? static_cast<double>(r.total) / ((plan.target - plan.start) / day)
                                 : plan.calendar.front().second /
                                       ((plan.calendar.front().first - plan.start) / day));
  } else {
    r.expected_rate = *plan.expected_rate;
  }
  if (v.last_evidence) {
    const double window = (r.today - window_start) / day;
    r.actual_rate = window > 0 ? static_cast<double>(recent) / window : 0.0;
  } else {
    r.actual_rate = elapsed > 0 ? static_cast<double>(r.done) / elapsed : 0.0;
  }
  r.acceleration = r.expected_rate > 0 ? r.actual_rate / r.expected_rate : nan_v;
  const double left = static_cast<double>(r.total - r.done);
  const double days_left = (plan.target - r.today) / day;
  r.needed_rate = left == 0 ? 0.0 : (days_left > 0 ? left / days_left : nan_v);
  if (r.complete)
    r.projected_finish = std::isnan(latest_done) ? r.today : std::min(latest_done, r.today);
  else if (r.actual_rate > 0)
    r.projected_finish = r.today + left / r.actual_rate * day;
  const double diff = static_cast<double>(r.done) - r.expected;
  const double slack = std::max(0.5, plan.tolerance * r.expected);
  r.status = diff > slack ? pace_status::ahead
                          : (diff < -slack ? pace_status::behind : pace_status::on_track);
  r.days_ahead = r.expected_rate > 0 ? diff / r.expected_rate : 0.0;
  return r;
}

}  // namespace masterymap
