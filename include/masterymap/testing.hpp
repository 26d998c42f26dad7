// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
#ifndef MASTERYMAP_TESTING_HPP
#define MASTERYMAP_TESTING_HPP

// A learner simulator with a known truth, and small fixtures, for tests and benchmarks (ours and
// downstream projects' doctest/gtest suites). Includes neither Boost nor fmt.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <masterymap/config.hpp>
#include <masterymap/evidence.hpp>
#include <masterymap/framework.hpp>
#include <masterymap/policy.hpp>
#include <string>
#include <vector>

namespace masterymap::testing {

/// Bayesian Knowledge Tracing parameters of one competency, with pyBKT's names. All are
/// probabilities in [0, 1].
/// - `prior`: P(known at the first attempt).
/// - `learns`: P(unknown -> known) after an attempt (before the pace and group multipliers).
/// - `guesses`: P(correct | unknown). `slips`: P(incorrect | known).
/// - `forgets`: P(known -> unknown) after an attempt (0 in standard BKT).
struct bkt_params {
  double prior = 0.2;
  double learns = 0.2;
  double guesses = 0.2;
  double slips = 0.1;
  double forgets = 0.0;
  friend bool operator==(const bkt_params& a, const bkt_params& b) {
    return a.prior == b.prior && a.learns == b.learns && a.guesses == b.guesses &&
           a.slips == b.slips && a.forgets == b.forgets;
  }
};

/// A subgroup of learners: its share of the cohort (relative weight > 0) and a multiplier on
/// the learning rate (a planted gap: 0.5 learns as if half as fast).
struct learner_group {
  std::string name;
  double share = 1.0;
  double learn_multiplier = 1.0;
};

/// What `simulate` generates. See `simulate` for the model.
struct simulation_options {
  std::size_t learners = 100;  ///< learners "L0", "L1", ... (at most 2^32 - 1)
  std::uint64_t seed = 0;
  bkt_params params;  ///< every competency's parameters, unless overridden
  std::map<std::string, bkt_params, std::less<>> overrides;  ///< by competency id
  /// Pace: each learner's multiplier is exp(pace_sigma * Z), Z standard normal (a lognormal
  /// with median 1); 0 = every learner at pace 1.
  double pace_sigma = 0.5;
  /// Subgroups; empty: one group "all".
  std::vector<learner_group> groups;
  double start = 1725148800.0;  ///< every learner's clock starts here (2024-09-01T00:00:00Z)
  double interval = 86400.0;    ///< mean seconds between two attempts (exponential gaps)
  std::uint32_t attempts = 50;  ///< pieces of evidence per learner at most (fewer when done)
  /// A learner moves on after this many consecutive correct answers (at least the rule's
  /// `min_evidence`), after passing the rule's `require_kinds` checks, and once the policy
  /// rates the competency mastered (see `simulate`).
  std::uint32_t streak = 3;
  /// ... or gives up after this many attempts on one competency (wheel-spinning).
  std::uint32_t max_attempts = 15;
  unsigned threads = 0;  ///< 0 = every core; the output never depends on it
};

/// The generated evidence (columns, one row per attempt, by learner then time) and the truth.
struct simulation {
  std::vector<std::string> learner_names;   ///< "L0", "L1", ...: index = learner code
  std::vector<std::string> competency_ids;  ///< the framework's ids: index = competency code
  std::vector<std::string> kind_names;      ///< index = kind code
  std::vector<std::string> group_names;     ///< index = group code

  // evidence
  std::vector<std::uint32_t> learner;
  std::vector<std::uint32_t> competency;
  std::vector<double> time;  ///< seconds since the epoch, whole seconds, increasing per learner
  std::vector<double> score;
  std::vector<std::uint8_t> kind;
  std::vector<std::uint8_t> correct;  ///< the observation behind the score (1 = correct)

  // truth: one row per (learner, competency) the learner worked on, in the order they started
  std::vector<std::uint32_t> truth_learner;
  std::vector<std::uint32_t> truth_competency;
  std::vector<double> mastery_time;  ///< first time known; NaN when never
  std::vector<std::uint32_t> truth_attempts;

  // per learner
  std::vector<std::uint32_t> group;  ///< code into group_names
  std::vector<double> pace;

  [[nodiscard]] std::size_t size() const noexcept { return time.size(); }
  /// The evidence as an evidence_log (`append_unchecked`).
  [[nodiscard]] MASTERYMAP_API evidence_log to_log() const;
};

/// Simulates learners working through a framework under a policy, from a known truth.
///
/// The model (every learner i draws from its own splitmix64 stream keyed by (seed, i), so the
/// output is the same for any thread count; `reference_stream` documents the stream):
/// 1. Group: the first group whose cumulative share exceeds u * total share. Pace:
///    exp(pace_sigma * Z) with Z = sqrt(-2 ln(1 - u1)) cos(2 pi u2) (Box-Muller).
/// 2. Practicable competencies are those without children (parents are rated by rollups). The
///    *true frontier*: practicable competencies not worked on yet whose `required`
///    prerequisites (among practicable ones) have all been mastered in truth. Familiar and
///    recommended links do not gate in truth. The frontier starts as the practicable roots in
///    index order; a competency joins at the end when its last required prerequisite is
///    mastered; the learner picks position floor(u * size) and removes it with a swap of the
///    last element.
/// 3. On the first attempt of a competency the learner knows it with probability `prior` (its
///    mastery time is then that attempt's time). Each attempt: time += max(1, round(-ln(1 - u)
///    * interval)); correct with probability 1 - slips if known, guesses if not; then, if not
///    known, learns with probability 1 - (1 - learns)^(pace * group multiplier) (the mastery
///    time is this attempt's time the first time), else forgets with probability `forgets`.
///    The first mastery counts for the frontier and the truth, whatever is forgotten later.
/// 4. Kinds: practice is "formative" (or "summative" if the rule ignores formative). After
///    `max(streak, min_evidence)` consecutive correct answers, one check of each of the rule's
///    `require_kinds` follows (an incorrect check resets the streak); from then on the learner
///    moves on as soon as the policy rates the competency mastered or exceeded on its evidence
///    so far (replayed with the rule's running formula, as `first_mastery` does), practising
///    on until it does. (Rules that do not fold event by event — mode, bkt, windows, expiry,
///    monotonic holding — are not followed: there the streak and checks alone move the learner
///    on.) After `max_attempts` attempts on a competency the learner gives up on it. Either
///    way the competency is not worked on again.
/// 5. Scores: correct = the scale's mastery value; incorrect = the value of the highest rating
///    below mastery (the lowest rating if mastery is the lowest).
/// A learner stops after `attempts` pieces of evidence or when the frontier is empty.
///
/// \throws std::invalid_argument for probabilities outside [0, 1], a negative or non-finite
///         pace_sigma or interval, a non-finite start, groups with a non-positive share or
///         multiplier, duplicate or empty group names, streak or max_attempts of 0, a
///         max_attempts below what moving on from a practicable competency takes
///         (`max(streak, min_evidence)` plus its rule's required kinds: no learner could ever
///         master it; the message names both numbers and the competency), more than
///         2^32 - 1 learners, or an override naming no competency (the message names it).
/// Complexity: O(V + E) per learner plus O(attempts * out-degree); parallel over learners.
[[nodiscard]] MASTERYMAP_API simulation simulate(const framework& fw, const policy& p,
                                                 const simulation_options& options = {});

/// The stream learner `learner` draws from for `seed`: splitmix64 starting at state
/// mix64(seed ^ mix64(learner + 0x632be59bd9b4e019)), where mix64 is splitmix64's finaliser;
/// each draw adds 0x9e3779b97f4a7c15 to the state and returns mix64(state); a uniform is
/// (draw >> 11) * 2^-53. For reference implementations in tests.
class MASTERYMAP_API reference_stream {
 public:
  reference_stream(std::uint64_t seed, std::uint64_t learner) noexcept;
  std::uint64_t next() noexcept;
  double uniform() noexcept;

 private:
  std::uint64_t state_;
};

// --- fixtures --------------------------------------------------------------------------------

/// A chain C1 <- C2 <- ... <- Cn (each requires the one before; required links), domain "D",
/// levels 1..n. \throws std::invalid_argument if n == 0.
[[nodiscard]] MASTERYMAP_API framework chain(std::size_t n = 5);
/// A diamond: A <- B, A <- C, B <- D, C <- D (D requires B and C, which both require A).
[[nodiscard]] MASTERYMAP_API framework diamond();
/// The four-point scale with the latest score deciding and `min_evidence` 1.
[[nodiscard]] MASTERYMAP_API policy simple_policy();
/// A small log over `chain(5)`: learner "a" has mastered C1 and C2 and is working on C3,
/// learner "b" has C1 only, learner "c" no evidence on C1 but a score on C2 (a gap).
[[nodiscard]] MASTERYMAP_API evidence_log small_log();

}  // namespace masterymap::testing

#endif  // MASTERYMAP_TESTING_HPP
