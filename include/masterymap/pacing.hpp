// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
#ifndef MASTERYMAP_PACING_HPP
#define MASTERYMAP_PACING_HPP

#include <cstddef>
#include <cstdint>
#include <masterymap/config.hpp>
#include <masterymap/progression.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace masterymap {

/// A pacing plan: which competencies to finish, from when, by when, at what expected pace.
///
/// Times are seconds since the Unix epoch, like evidence times (`parse_time` reads ISO 8601).
/// Rates are competencies per day. The expected count by time t is
/// - with a `calendar` of (time, cumulative count) milestones: the piecewise-linear curve
///   through (start, 0) and the milestones, flat after the last one;
/// - else with an `expected_rate` r: min(total, r * days since start);
/// - else: linear from (start, 0) to (target, total).
struct pace_plan {
  double start = 0.0;
  double target = 0.0;
  std::vector<std::string> goals;  ///< competency ids
  /// Also count the goals' gating prerequisites (transitively), e.g. a whole course below a
  /// capstone.
  bool include_prerequisites = false;
  std::optional<double> expected_rate;
  std::vector<std::pair<double, double>> calendar;
  /// The learner's recent rate counts what was done within this many days before today.
  double recent_days = 28.0;
  /// On track while |done - expected| <= max(0.5, tolerance * expected).
  double tolerance = 0.1;

  friend bool operator==(const pace_plan& a, const pace_plan& b) {
    return a.start == b.start && a.target == b.target && a.goals == b.goals &&
           a.include_prerequisites == b.include_prerequisites &&
           a.expected_rate == b.expected_rate && a.calendar == b.calendar &&
           a.recent_days == b.recent_days && a.tolerance == b.tolerance;
  }
  friend bool operator!=(const pace_plan& a, const pace_plan& b) { return !(a == b); }
};

enum class pace_status : std::uint8_t { on_track, behind, ahead };
/// "on_track", "behind", "ahead".
[[nodiscard]] MASTERYMAP_API const char* to_string(pace_status s) noexcept;

/// Where a learner stands against a `pace_plan` (`masterymap::pacing`).
struct pace_report {
  pace_status status = pace_status::on_track;
  double today = 0.0;
  std::size_t total = 0;  ///< competencies in the plan
  std::size_t done = 0;   ///< done (mastered, exceeded, exempt) as of today
  double expected = 0.0;  ///< expected done by today
  bool complete = false;
  /// Expected competencies per day so far: expected / days since start (the plan's rate when
  /// linear).
  double expected_rate = 0.0;
  /// The learner's recent rate: competencies done within the last `recent_days` (not before
  /// start; dated by their latest evidence) per day. Without evidence times: done / days since
  /// start.
  double actual_rate = 0.0;
  /// actual_rate / expected_rate: 1.5 for a learner going one and a half times the pace.
  double acceleration = 0.0;
  /// Competencies per day needed from today to finish on time (NaN once the target has passed
  /// with work left; 0 when complete).
  double needed_rate = 0.0;
  /// When the learner finishes at `actual_rate` (today if complete; empty at rate 0).
  std::optional<double> projected_finish;
  /// Days ahead (+) or behind (-) of the expected curve: (done - expected) / expected_rate.
  double days_ahead = 0.0;
  std::vector<index_t> remaining;  ///< plan competencies not done, in learning order

  /// Every field equal (NaN equal to NaN).
  friend bool operator==(const pace_report& a, const pace_report& b) {
    using detail::same_value;
    return a.status == b.status && same_value(a.today, b.today) && a.total == b.total &&
           a.done == b.done && same_value(a.expected, b.expected) && a.complete == b.complete &&
           same_value(a.expected_rate, b.expected_rate) &&
           same_value(a.actual_rate, b.actual_rate) && same_value(a.acceleration, b.acceleration) &&
           same_value(a.needed_rate, b.needed_rate) &&
           same_value(a.projected_finish, b.projected_finish) &&
           same_value(a.days_ahead, b.days_ahead) && a.remaining == b.remaining;
  }
  friend bool operator!=(const pace_report& a, const pace_report& b) { return !(a == b); }
};

/// Checks a plan on its own: a finite start before the target, a positive finite rate, calendar
/// times increasing after the start with counts >= 0, positive `recent_days`, `tolerance` >= 0.
/// \throws std::invalid_argument naming the first problem.
MASTERYMAP_API void validate(const pace_plan& plan);

/// Checks and compares a learner with a plan. `today` defaults to the view's `as_of`. A pure
/// function of its arguments (safe to call from any number of threads; `pace_plan` is a value).
/// \throws std::invalid_argument if target <= start, the rate is not positive, the calendar is
///         not increasing in time, or today is unknown (NaN);
///         masterymap::unknown_id_error for an unknown goal.
[[nodiscard]] MASTERYMAP_API pace_report pacing(const progression& p, const learner_view& v,
                                                const pace_plan& plan,
                                                std::optional<double> today = std::nullopt);
/// The plan's competencies (goals, plus prerequisites when asked), in learning order.
[[nodiscard]] MASTERYMAP_API std::vector<index_t> plan_scope(const framework& fw,
                                                             const pace_plan& plan);
/// The expected count at time t (see `pace_plan`) for a plan of `total` competencies.
[[nodiscard]] MASTERYMAP_API double expected_done(const pace_plan& plan, std::size_t total,
                                                  double t);

}  // namespace masterymap

#endif  // MASTERYMAP_PACING_HPP
