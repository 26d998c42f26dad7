// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// Cohort analytics on a roster: per-competency summaries by group, and learners grouped by the
// competency they are ready to learn, recently mastered or are stuck on; time to mastery,
// bottlenecks and learning curves.
#ifndef MASTERYMAP_COHORT_HPP
#define MASTERYMAP_COHORT_HPP

#include <cstddef>
#include <cstdint>
#include <masterymap/config.hpp>
#include <masterymap/roster.hpp>
#include <string>
#include <utility>
#include <vector>

namespace masterymap {

/// Number of `status` values (the width of `cohort_summary::status_counts` rows).
inline constexpr std::size_t status_count = 8;

/// Per competency and group, what the roster's tables hold: counts by status and by rating, and
/// the sum and median of the scores. Cell (g, c) is at g * competencies + c; group `groups`
/// (the last) is the whole roster. Rates, gaps and suppression are derived from these counts
/// (the Python `Roster.summary` does so; by default it suppresses small subgroup cells only).
struct cohort_summary {
  std::size_t groups = 0;        ///< groups named by the caller (the whole roster is one more)
  std::size_t competencies = 0;  ///< the framework's size
  std::size_t ratings = 0;       ///< the scale's ratings (rating_counts has one more: none)
  std::vector<std::uint32_t> learners;  ///< per group (groups + 1 entries)
  /// ((g * competencies + c) * status_count + s): learners of group g with status s on c.
  std::vector<std::uint32_t> status_counts;
  /// ((g * competencies + c) * (ratings + 1) + r): learners with rating r (r == ratings: none).
  std::vector<std::uint32_t> rating_counts;
  std::vector<std::uint32_t> scored;  ///< (g, c): learners with a score
  /// (g, c): their scores' sum, added in ascending order of score, so it depends only on the
  /// multiset of scores (not on learner order: parts of a roster summarised apart and merged,
  /// as masterymap.dask does, give the same bits).
  std::vector<double> score_sum;
  std::vector<double> score_median;  ///< (g, c): their median (mean of the middle two); NaN: none
};

/// Summarises the roster's tables per competency, for the whole roster and for each of `groups`
/// groups: `group_of[l]` is learner l's group in [0, groups), or -1 for none (counted in the whole
/// roster only). Parallel over learners in fixed blocks whose partial sums are added in block
/// order, so the result never depends on `threads` (0: the roster's option).
/// \throws std::invalid_argument if group_of has not one entry per learner or names a group
///         outside [-1, groups).
/// Complexity: O(L * C) for L learners and C competencies, plus O(L log L) per competency for
/// the sums and medians (each cell's scores are sorted); memory O(groups * C * (status_count +
/// ratings)).
[[nodiscard]] MASTERYMAP_API cohort_summary summarize(const roster& r,
                                                      const std::vector<std::int32_t>& group_of,
                                                      std::size_t groups, unsigned threads = 0);

/// Which learners `group_by_frontier` puts under a competency.
enum class frontier_group : std::uint8_t {
  ready,   ///< on the learner's frontier (KST's outer fringe: `roster::frontier_matrix`)
  recent,  ///< earned (mastered or exceeded) with evidence within `recent_days` before as_of
  stuck,   ///< started and not done: wheel-spinning (Beck & Gong 2013) or no progress
};

/// The thresholds of `group_by_frontier`.
struct frontier_group_options {
  /// Stuck: at least this many counted pieces of evidence without mastery (Beck & Gong 2013
  /// call a learner wheel-spinning who has not mastered a skill after 10 practice
  /// opportunities). 0: this test is off.
  std::uint32_t stuck_evidence = 10;
  /// Stuck: working on it (in progress or awaiting confirmation) for at least this many days
  /// since its first counted evidence, without mastery. 0: this test is off.
  double stuck_days = 30;
  /// Recent: earned, and its latest evidence at most this many days before as_of.
  double recent_days = 14;
  // `group_by_frontier` and `bottlenecks` throw std::invalid_argument for a negative, infinite
  // or NaN number of days (naming the option).
  unsigned threads = 0;  ///< 0: the roster's option
};

/// Learners grouped by competency: rows sorted by competency (framework order), then learner.
struct frontier_groups {
  std::vector<index_t> competency;
  std::vector<std::uint32_t> learner;
  /// Counted evidence on the competency up to as_of: rows whose kind its rule counts (not in
  /// ignore_kinds, not "placement", not a non-counting "pretest"), windows disregarded.
  std::vector<std::uint32_t> counted;
  std::vector<double> first;  ///< time of the first counted evidence (NaN: none)
  std::vector<double> last;   ///< time of the latest evidence of any kind (NaN: none)
  /// stuck: bit 1 = wheel-spinning (enough counted evidence), bit 2 = no progress (days).
  std::vector<std::uint8_t> reasons;
};

/// Learners grouped by the competency they are ready to learn, recently mastered or are stuck
/// on (see `frontier_group`): the exact inverse of the per-learner queries (a learner is under
/// c iff c is in its frontier, or it earned c recently, or it is stuck on c). Evidence after
/// `as_of` is disregarded. Parallel over learners; the result never depends on the thread count.
/// Complexity: O(rows + L * (V + E)). Units: days of 86,400 s (times are Unix seconds).
[[nodiscard]] MASTERYMAP_API frontier_groups
group_by_frontier(const roster& r, frontier_group kind, const frontier_group_options& options = {});

/// Where `group_by_frontier` writes its rows when the caller owns the columns (the Python
/// binding writes them straight into its DataFrame's final arrays: no intermediate vectors of
/// ten million rows). `reserve` is called once, on the calling thread, with the number of rows;
/// then `write` for consecutive runs of rows, from several worker threads at once (disjoint
/// runs, in no particular order), each run's arrays valid during the call only. An exception
/// from either ends the call and is rethrown to its caller.
class frontier_group_sink {
 public:
  virtual ~frontier_group_sink() = default;
  virtual void reserve(std::size_t rows) = 0;
  /// Rows [at, at + n) of the result, as `frontier_groups`' columns would hold them.
  virtual void write(std::size_t at, std::size_t n, const index_t* competency,
                     const std::uint32_t* learner, const std::uint32_t* counted,
                     const double* first, const double* last, const std::uint8_t* reasons) = 0;

 protected:
  frontier_group_sink() = default;
  frontier_group_sink(const frontier_group_sink&) = default;
  frontier_group_sink& operator=(const frontier_group_sink&) = default;
};

/// `group_by_frontier` with its rows written through `sink` (the same rows, in the same
/// order). Thread safety: `sink.write` runs on worker threads concurrently.
MASTERYMAP_API void group_by_frontier(const roster& r, frontier_group kind,
                                      const frontier_group_options& options,
                                      frontier_group_sink& sink);

/// A Kaplan–Meier estimate of a survival function from right-censored durations.
struct survival_curve {
  std::size_t n = 0;                   ///< durations
  std::size_t events = 0;              ///< of which events (the others are censored)
  std::vector<double> times;           ///< distinct event times, ascending
  std::vector<std::uint32_t> at_risk;  ///< durations >= times[i]
  std::vector<std::uint32_t> died;     ///< events at times[i]
  std::vector<double> survival;        ///< S(times[i]) = prod over t_j <= t_i of (1 - d_j / n_j)
  /// Greenwood's standard error of survival[i] (NaN once everyone at risk had the event).
  std::vector<double> se;
};

/// Kaplan–Meier (1958) with Greenwood's standard errors, computed as statsmodels' SurvfuncRight
/// does (survival as exp of a cumulative sum of logs). `event[i]` != 0: durations[i] ended in
/// the event; 0: censored then. \throws std::invalid_argument for sizes that differ or a
/// duration that is negative or NaN. Complexity: O(n log n).
[[nodiscard]] MASTERYMAP_API survival_curve kaplan_meier(const std::vector<double>& durations,
                                                         const std::vector<std::uint8_t>& event);

/// The p-quantile of the event time: the first event time at which survival drops strictly
/// below 1 - p (SAS's rule, as statsmodels); NaN when it never does ("not reached"). Survival
/// within 1e-12 of 1 - p is taken as equal to it, so an exact tie (9 of 18 mastered: S = 0.5)
/// is not below it whichever way the logarithms round (statsmodels can differ there).
[[nodiscard]] MASTERYMAP_API double survival_quantile(const survival_curve& s, double p);

/// The 95% confidence interval of `survival_quantile(s, p)` by inverting z-tests on the
/// complementary log-log scale (Brookmeyer & Crowley 1982; SAS LIFETEST, statsmodels'
/// quantile_ci): {lower, upper}, both event times; upper is +infinity when the interval is
/// open above; {NaN, NaN} when no event time qualifies.
[[nodiscard]] MASTERYMAP_API std::pair<double, double> survival_quantile_ci(const survival_curve& s,
                                                                            double p);

/// Per (learner, competency) of a roster, the spell from an origin to the first mastery.
struct mastery_spells {
  std::vector<index_t> competency;  ///< spells sorted by competency, then learner
  std::vector<std::uint32_t> learner;
  std::vector<double> origin;       ///< Unix seconds
  std::vector<double> end;          ///< time of the first mastery, or as_of (censored)
  std::vector<std::uint8_t> event;  ///< 1: mastered (or exceeded) at `end`; 0: censored
  /// Counted evidence up to and including the one that brought mastery (all, when censored).
  std::vector<std::uint32_t> attempts;
};

/// The spells of every (learner, competency) pair with counted evidence up to as_of (for a
/// rollup parent: a started part), except pairs now exempt or inferred (they were not learned
/// through evidence of their own). Under a rule that folds event by event (see `roster::add`),
/// the pair's evidence is replayed in the engine's aggregation order (time, then row) with the
/// engine's own running formulas and status rule, and the first event after which it is
/// mastered or exceeded is the event (later lapses do not undo it). Other rules (mode, bkt,
/// windows, expiry, monotonic holding) and rollups and their parts are re-evaluated by the
/// engine (`roster::learner(id, t)`) at each distinct time of the rows that can change them,
/// in order: the event is the first such time the pair is mastered or exceeded, so a mastery
/// that a window or expiry alone would bring between evidence times is dated at the next
/// evidence. Origin: the pair's first counted evidence (the first time it is started), or
/// `origin` when it is not NaN (a fixed start, e.g. of a course); spells ending before their
/// origin are then dropped. Parallel over learners; independent of `threads` (0: the
/// roster's). Complexity: O(rows log rows) for folding rules, plus O(k * r log r) per learner
/// with r rows, k distinct times of them on re-evaluated competencies.
[[nodiscard]] MASTERYMAP_API mastery_spells first_mastery(const roster& r, double origin,
                                                          unsigned threads = 0);

/// Attempts to mastery per (group, competency) cell, laid out as `cohort_summary`'s cells
/// (group `groups`, the last, is the whole roster).
struct attempts_summary {
  /// (g, c): the median of `attempts` over the cell's spells that ended in mastery (event 1):
  /// the middle one, or the mean of the middle two, as pandas' median; NaN for none.
  std::vector<double> median;
  std::vector<std::uint32_t> count;  ///< (g, c): those spells
};

/// The median attempts to mastery (`mastery_spells::attempts` of the spells with event 1) per
/// group and competency: spell k counts for the whole roster and for group
/// `group_of[learner[k]]` (-1: none). `Roster.summary`'s `median_attempts`.
/// \throws std::invalid_argument for columns of different lengths, a spell naming a competency
///         >= `competencies` or a learner >= `group_of.size()`, or a group outside [-1, groups).
/// Complexity: O(n + groups * C) for n spells (a counting sort by cell, then a selection per
/// cell).
[[nodiscard]] MASTERYMAP_API attempts_summary
median_attempts(const mastery_spells& spells, const std::vector<std::int32_t>& group_of,
                std::size_t groups, std::size_t competencies);

/// Kaplan–Meier per competency from spells sorted by competency (as `first_mastery` returns
/// them, or spells of parts of a roster merged in that order): out[c] from the durations
/// (end - origin) / 86,400 days of competency c's spells (an empty curve when it has none).
/// \throws std::invalid_argument for columns of different lengths, spells not sorted by
///         competency or naming one >= `competencies`, or a duration that is negative or NaN.
/// Complexity: O(n log n) for n spells, competencies spread over every core (the result does
/// not depend on the thread count).
[[nodiscard]] MASTERYMAP_API std::vector<survival_curve> survival_by_competency(
    const mastery_spells& spells, std::size_t competencies);

/// One competency's row of `bottlenecks`: the component figures and the score.
struct bottleneck {
  index_t competency = 0;
  /// Learners stuck on it (`group_by_frontier(stuck)` with the same options), and of them those
  /// wheel-spinning (enough counted evidence) and those without progress (days); a learner
  /// can be both.
  std::uint32_t stuck = 0, wheel_spinning = 0, no_progress = 0;
  /// Learners with it on their frontier now (`roster::frontier_matrix`), and of them those
  /// working on it (in progress, awaiting confirmation or expired, with counted evidence: a
  /// learner whose only evidence is of kinds the rule ignores, or a lone pre-test, is in
  /// progress by status but has done no counted work, and is not counted here).
  std::uint32_t ready = 0, working = 0;
  std::uint32_t earned = 0;  ///< learners who earned it (mastered or exceeded)
  /// earned / (earned + working): the mastery rate among learners who took it on once ready
  /// (those who earned it and those on it now); NaN when both are 0.
  double mastery_rate_ready = 0;
  /// Learners for whom it is a gap (`progression::gaps`: not done, a gating prerequisite
  /// not met under done work).
  std::uint32_t gaps = 0;
  double score = 0;     ///< see `bottlenecks`
  std::string reasons;  ///< the figures in a short text, the largest term first
};

/// The competencies that hold a cohort back, ranked by score (descending; ties in framework
/// order), one row per competency:
///
///   score = (stuck + (1 - mastery_rate_ready) * ready + gaps) / L
///
/// for L learners: the learners stuck on it, plus the learners ready for it now who would not
/// master it at the rate observed among those who took it on once ready (the term is 0 while
/// nobody has: no evidence yet that it holds anyone back), plus the learners whose done work
/// rests on it unmet (gaps), per learner of the roster (0 for an empty roster). Each term is a
/// share of the roster (0 to 1), but a learner can count in all three (stuck on it, ready for
/// it and with it as a gap), so the score is not a fraction: it ranges from 0 to 3. Each term
/// counts learners, so a competency that few learners reached ranks below one that holds back
/// many.
/// Deterministic; parallel over learners, independent of the thread count (`options.threads`,
/// 0: the roster's). Complexity: O(rows + L * (V + E)); memory O(L * V) bytes (the frontier).
[[nodiscard]] MASTERYMAP_API std::vector<bottleneck> bottlenecks(
    const roster& r, const frontier_group_options& options = {});

/// DataShop-style learning curves: per competency and opportunity number, how many learners
/// had that opportunity and how many of them erred. Opportunity k of a learner on a competency
/// is its k-th counted piece of evidence (kinds the rule counts, as `frontier_groups::counted`;
/// up to as_of; in the engine's aggregation order: time, then row); an error is a score below
/// the scale's mastery value (`scale::reaches_mastery` false). Every pair with counted evidence
/// is included (also those now exempt or inferred). Rows sorted by competency, then opportunity
/// (1, 2, ...; a competency's rows stop at its largest opportunity number).
struct learning_curve_table {
  std::vector<index_t> competency;
  std::vector<std::uint32_t> opportunity;  ///< 1-based
  std::vector<std::uint32_t> learners;     ///< learners with at least `opportunity` pieces
  std::vector<std::uint32_t> errors;       ///< of them, those whose piece was an error
};

/// The learning curves of every competency (see `learning_curve_table`). Parallel over learners
/// (integer counts: independent of `threads`, 0: the roster's). Complexity: O(rows log rows).
[[nodiscard]] MASTERYMAP_API learning_curve_table learning_curve(const roster& r,
                                                                 unsigned threads = 0);

}  // namespace masterymap

#endif  // MASTERYMAP_COHORT_HPP
