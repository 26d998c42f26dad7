// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// The cohort report: one self-contained HTML file (no script, no network) a teacher or a
// school opens in a browser.
#ifndef MASTERYMAP_IO_REPORT_HPP
#define MASTERYMAP_IO_REPORT_HPP

#include <cstddef>
#include <limits>
#include <masterymap/cohort.hpp>
#include <masterymap/config.hpp>
#include <masterymap/roster.hpp>
#include <string>
#include <vector>

namespace masterymap::io {

/// One bar of the report's bottleneck chart: a competency, its score (larger = more of a
/// bottleneck) and the reasons shown next to it.
struct report_bottleneck {
  std::string competency;  ///< a competency id of the roster's framework
  double score = 0.0;
  std::vector<std::string> reasons;
};

/// What `cohort_report_html` shows.
struct report_options {
  /// The page's title; empty: "Cohort report: <framework name>".
  std::string title;
  /// The learners x competencies heatmap is drawn when learners * competencies is at most this;
  /// above it, only the per-competency distributions (always drawn).
  std::size_t heatmap_max_cells = 40000;
  /// Learner ids in the groups (inside <details>, shown on demand) and in the heatmap's
  /// tooltips; false: counts only.
  bool names = true;
  /// Kaplan-Meier origin (Unix seconds) for every spell; NaN: each pair's first counted
  /// evidence (as `first_mastery`).
  double origin = std::numeric_limits<double>::quiet_NaN();
  /// At most this many Kaplan-Meier panels (competencies with the most spells; the rest are
  /// listed in the summary table only).
  std::size_t max_curves = 36;
  /// Thresholds of the ready / stuck / recent groups.
  frontier_group_options groups;
  /// The bottleneck chart's bars, as ranked by the caller (e.g. the roster's bottleneck
  /// ranking), at most `max_bottlenecks` drawn; empty: the section charts the learners stuck
  /// on each competency instead and says so.
  std::vector<report_bottleneck> bottlenecks;
  std::size_t max_bottlenecks = 15;
  unsigned threads = 0;  ///< 0: the roster's option
};

/// The roster as one self-contained HTML page (UTF-8): a header (learners, competencies,
/// evidence, as_of), per-competency status distributions (stacked bars), a learners x
/// competencies heatmap (when small enough), a summary table (per competency: learners,
/// started, earned, exempt, inferred, mastery rate of all learners and of those who started,
/// mean score, median days to mastery with its 95% interval, stuck, ready), Kaplan-Meier curves
/// of time to mastery (`first_mastery`, `kaplan_meier`), bottleneck bars and the ready / stuck /
/// recently-mastered groups with the learners' names in <details> elements (closed).
/// Charts are inline SVG drawn here; colours are `status_color` (Okabe-Ito) and every chart has
/// text or a pattern beside its colours. No script, no external resource: a Content Security
/// Policy `default-src 'none'` forbids any request. Deterministic: the same roster and options
/// give the same bytes (no generation time is written).
/// \throws std::invalid_argument for a bottleneck naming a competency the framework does not
///         have. Complexity: O(L * C + rows log rows).
[[nodiscard]] MASTERYMAP_API std::string cohort_report_html(const roster& r,
                                                            const report_options& options = {});

}  // namespace masterymap::io

#endif  // MASTERYMAP_IO_REPORT_HPP
