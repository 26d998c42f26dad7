// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
#ifndef MASTERYMAP_PROGRESSION_HPP
#define MASTERYMAP_PROGRESSION_HPP

#include <cstddef>
#include <cstdint>
#include <limits>
#include <masterymap/config.hpp>
#include <masterymap/engine.hpp>
#include <masterymap/evidence.hpp>
#include <masterymap/framework.hpp>
#include <masterymap/policy.hpp>
#include <masterymap/scale.hpp>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace masterymap {

/// One learner's dense columns, borrowed: what the progression queries read. Indexed by
/// framework index; `size` must equal the framework's size.
struct learner_view {
  const masterymap::status* statuses = nullptr;  ///< required
  /// Optional scores (NaN = none). Without them, only `started` familiar levels can be met
  /// short of mastery.
  const double* scores = nullptr;
  /// Optional: the time of the learner's latest evidence on each competency (NaN = none), for
  /// `recommend`'s recency and `pacing`'s recent rate.
  const double* last_evidence = nullptr;
  std::size_t size = 0;
  /// The learner's evaluation time (seconds; NaN when unknown): "now" for recency and pacing.
  double as_of = std::numeric_limits<double>::quiet_NaN();
};

/// A view of an engine state (statuses, scores, evaluation time; no evidence times).
[[nodiscard]] MASTERYMAP_API learner_view view_of(const learner_state& s) noexcept;
/// The time of the learner's latest evidence on each competency, at or before the state's
/// evaluation time (NaN where none). `log` is the log the state was evaluated on.
/// Complexity: O(rows of the learner).
[[nodiscard]] MASTERYMAP_API std::vector<double> last_evidence_times(const learner_state& s,
                                                                     const evidence_log& log);

/// An unmet prerequisite of `progression::blocked_by` and `progression::blockers`, or a step of
/// `progression::path_to`.
struct blocker {
  index_t competency = 0;
  std::string id;
  masterymap::status status = status::not_started;
  std::optional<double> score;
  /// The level it needs to reach: "mastered", "started", or a rating label such as
  /// "Developing" (the highest level any blocked dependent asks of it).
  std::string needed;
  /// The value of `needed` on the scale; empty for "mastered" and "started".
  std::optional<double> needed_level;
  /// Its direct dependents within the query (and the target, goals or in-progress work) that it
  /// holds back, in learning order.
  std::vector<index_t> blocks;
  /// On the frontier: every gating prerequisite is met, so it can be started now.
  bool ready = false;
  /// Steps from ready: 0 when ready, else 1 + the largest distance of its unmet prerequisites.
  std::uint32_t distance = 0;

  /// Every field equal (NaN equal to NaN), as for every result record of this header.
  friend bool operator==(const blocker& a, const blocker& b) {
    return a.competency == b.competency && a.id == b.id && a.status == b.status &&
           detail::same_value(a.score, b.score) && a.needed == b.needed &&
           detail::same_value(a.needed_level, b.needed_level) && a.blocks == b.blocks &&
           a.ready == b.ready && a.distance == b.distance;
  }
  friend bool operator!=(const blocker& a, const blocker& b) { return !(a == b); }
};

/// A hole under done work (`progression::gaps`): a gating prerequisite not met under
/// competencies that are done (mastered, exceeded, exempt). Unmet prerequisites of work that is
/// only in progress are not gaps: they block current work (`progression::blockers`).
struct gap {
  index_t competency = 0;
  std::string id;
  masterymap::status status = status::not_started;
  std::optional<double> score;
  std::string domain;
  std::optional<int> level;
  /// The done competencies (mastered, exceeded, exempt) that rest on it through a chain of
  /// gating prerequisites whose first link it fails, in learning order.
  std::vector<index_t> undermines;
  /// On the frontier (it can be repaired right away).
  bool ready = false;

  friend bool operator==(const gap& a, const gap& b) {
    return a.competency == b.competency && a.id == b.id && a.status == b.status &&
           detail::same_value(a.score, b.score) && a.domain == b.domain && a.level == b.level &&
           a.undermines == b.undermines && a.ready == b.ready;
  }
  friend bool operator!=(const gap& a, const gap& b) { return !(a == b); }
};

/// An ordered plan towards one or more goals (`progression::path_to`).
struct learning_path {
  std::vector<index_t> goals;  ///< the goals asked for that are not done yet
  std::vector<blocker> steps;  ///< in learning order, nearest-to-ready work first
  [[nodiscard]] std::size_t length() const noexcept { return steps.size(); }
  /// Projected duration in days at the given pace (`length / rate_per_day`).
  std::optional<double> days;

  friend bool operator==(const learning_path& a, const learning_path& b) {
    return a.goals == b.goals && a.steps == b.steps && detail::same_value(a.days, b.days);
  }
  friend bool operator!=(const learning_path& a, const learning_path& b) { return !(a == b); }
};

/// Weights and inputs of `progression::recommend`.
///
/// Each frontier competency c (a learning target: never a rollup parent) gets
///   score = unlock_weight * unlocks(c) + goal_weight * goal(c) + level_weight * level(c)
///         + recency_weight * recency(c) + gap_weight * repairs(c)
/// where
/// - unlocks(c): how many not-done competencies would join the frontier if c were mastered;
/// - repairs(c): when c is a gap (`progression::gaps`), how many done competencies it
///   undermines: holes under mastered work come first;
/// - goal(c) = 1 / (1 + d), d = the fewest gating links from c up to a goal (c a goal: d = 0);
///   0 without goals or when c leads to none;
/// - level(c) weighs the learner's level, not "lowest first". The learner's *working level* W
///   in a domain D with evidence of the learner's own (any status but not_started and inferred:
///   inference is not evidence, so the inferred kindergarten counting under a 4th grader's work
///   does not put her at level 0 in a domain that ends at kindergarten) is the larger of the
///   highest `competency::level` with such evidence in D and the level after D's highest
///   complete level (`level`: every academic competency at it done, inferred included), so a
///   learner who completed grade 3, or was placed at grade 4, works at grade 4. A domain without
///   such evidence takes the (lower) median of those domains' W — a stray standard far from the
///   learner's grade moves nothing — or, for a learner known only by placements, the median of
///   the levels after the complete ones; or the level after its own highest complete level if
///   that is higher. (A placement at a domain's lowest level infers nothing, so it leaves no
///   trace in the statuses W is read from.) Then level(c) = 1 / (1 + |L(c) - W|) for a
///   leveled competency: work at the learner's level scores 1, one level above or below 1/2. Only
///   when the learner has no leveled evidence at all (or c has no level) does the old
///   foundations-first term apply: 1 / (1 + (K(c) - K_min)), K = the level (else the depth in the
///   prerequisite graph), K_min = the lowest K on the frontier (a new learner starts at the
///   foundations);
/// - recency(c) = exp(-days since the latest evidence on c / recency_days) for a competency
///   already started (0.5 when its evidence time is unknown), 0 when not started: finish what
///   is in flight (its reason: "in progress, last evidence N days ago", "... last evidence
///   today", "ready for the teacher's check, ..." when awaiting confirmation, "expired, ..."
///   when mastery lapsed).
/// Ranking: first every competency that is not *below level* — a leveled competency below the
/// working level W with no evidence at all that leads to no goal and is not behind failed work
/// (below) — by score; then the below-level ones, by score, each with the reason "not yet
/// evidenced, N levels below the learner's working level (W) in D; consider a placement" first.
/// So unevidenced work below the learner's level is never recommended ahead of work at her
/// level, even when it lies under done work (a gap without evidence: mastery of the work above
/// it is evidence that it is known — KST's surmise relation — and a placement or a quick check
/// settles it), while a gap with evidence (in progress, a score below mastery) still comes first
/// through repairs. *Behind failed work*: below a contrary competency (evidence but not done: in
/// progress, awaiting confirmation, expired) that is itself under done work, through gating
/// links and competencies not done. A Beginning score on 3.NF.A.1 under mastered grade-3 work
/// stops inference through it; the grade-2 standards only it rested on are then holes that
/// repair it and are ranked by score (work in progress that no done work rests on, such as this
/// year's grade-4 work, does not lift its unevidenced K-2 prerequisites). Likewise work two or
/// more levels *above* the working level with no evidence that leads to no goal (a grade-7
/// standard without prerequisites on a 3rd grader's frontier) comes after all work within one
/// level of hers, before the below-level work; for a learner with no level yet (a new
/// learner), work two or more levels above the lowest open level does, so the foundations come
/// first. Ties go to learning order.
/// Rationale: ALEKS and KST recommend from the outer fringe of the learner's knowledge state,
/// where the learner works; a 4th grader with only this year's evidence on file would otherwise
/// be sent to kindergarten. Defaults: unlock 1, goal 2, level 1, recency 1, gap 1, 14 days.
struct recommend_options {
  std::vector<index_t> goals;
  double unlock_weight = 1.0;
  double goal_weight = 2.0;
  double level_weight = 1.0;
  double recency_weight = 1.0;
  double gap_weight = 1.0;
  double recency_days = 14.0;
  /// "Now" for recency; default: the view's `as_of`.
  std::optional<double> as_of;
};

/// Checks recommend options on their own: finite weights, a positive finite `recency_days`.
/// \throws std::invalid_argument naming the option (`progression::recommend` checks too).
MASTERYMAP_API void validate(const recommend_options& o);

/// One ranked pick of `progression::recommend`, with the reasons.
struct recommendation {
  index_t competency = 0;
  std::string id;
  double score = 0.0;
  std::vector<index_t> unlocks;  ///< competencies it would bring onto the frontier
  std::vector<index_t> repairs;  ///< when a gap: the done competencies it undermines
  std::optional<std::uint32_t> goal_distance;
  std::optional<int> level;
  std::optional<double> days_since_evidence;
  masterymap::status status = status::not_started;
  /// Why, most telling first: e.g. "fills a gap under 2: 4.NF.A.1, 4.NF.B.3", "a goal",
  /// "unlocks 3: 4.NF.B.3, 4.NF.B.4, 5.NF.A.1", "in progress, last evidence 3 days ago", "at the
  /// learner's working level (4) in NF", or, for below-level work, "not yet evidenced, 2 levels
  /// below the learner's working level (3) in MD; consider a placement". Never empty.
  std::vector<std::string> reasons;

  friend bool operator==(const recommendation& a, const recommendation& b) {
    return a.competency == b.competency && a.id == b.id && detail::same_value(a.score, b.score) &&
           a.unlocks == b.unlocks && a.repairs == b.repairs && a.goal_distance == b.goal_distance &&
           a.level == b.level && detail::same_value(a.days_since_evidence, b.days_since_evidence) &&
           a.status == b.status && a.reasons == b.reasons;
  }
  friend bool operator!=(const recommendation& a, const recommendation& b) { return !(a == b); }
};

/// Where a learner stands in one domain of a learning map (`progression::level`).
///
/// The levels of a domain are the distinct `competency::level` values of its academic
/// competencies (dispositions are reported separately and never count). The learner's level is
/// the highest level whose competencies are all done (mastered, exceeded or exempt) — not
/// necessarily every level below it: a learner can be at level 6 with gaps at levels 3-5.
struct domain_level {
  std::string domain;
  std::vector<int> levels;        ///< the domain's levels, ascending
  std::optional<int> level;       ///< empty: no level complete
  std::optional<int> next_level;  ///< the first level above `level` (the lowest when none)
  std::size_t next_done = 0;
  std::size_t next_total = 0;
  double next_progress = 0.0;           ///< next_done / next_total (0 without a next level)
  std::vector<index_t> next_remaining;  ///< not done in the next level, by index
  std::vector<index_t> gaps;            ///< not done at levels below `level`, by level then index
  std::vector<int> gap_levels;          ///< the distinct levels of `gaps`, ascending

  friend bool operator==(const domain_level& a, const domain_level& b) {
    return a.domain == b.domain && a.levels == b.levels && a.level == b.level &&
           a.next_level == b.next_level && a.next_done == b.next_done &&
           a.next_total == b.next_total && detail::same_value(a.next_progress, b.next_progress) &&
           a.next_remaining == b.next_remaining && a.gaps == b.gaps && a.gap_levels == b.gap_levels;
  }
  friend bool operator!=(const domain_level& a, const domain_level& b) { return !(a == b); }
};

namespace detail {
struct progression_data;
}  // namespace detail

/// The prerequisite graph compiled for progression queries against one proficiency scale.
///
/// Learning targets: a parent with a rollup (compiled from a policy: a parent named in its
/// rollups, or any competency with children when it has a default rollup) is not a learning
/// target: it is done when its rollup holds. `frontier`, `recommend` and `path_to`'s steps list
/// learning targets only (a rollup parent may be a goal of `path_to`: its parts are the work).
/// A progression compiled from a scale alone knows no rollups: every competency is a target.
///
/// Gating: a `required` prerequisite is met when it is done (mastered, exceeded or exempt);
/// a `familiar` one when it is done or its score reaches the edge's lower level — the edge's
/// `min_level` if set, else the scale's lowest rating above the bottom when that lies below the
/// mastery rating (four_point: Developing; letter: D), else (two-rating and percent scales)
/// any evidence at all ("started"). `recommended` prerequisites never gate (they only order
/// paths). Explicit `min_level`s on required edges are ignored: required means done.
///
/// Per learner, each competency gets an 8-bit *attainment code* (0 = not started, 1 = started,
/// 1 + k = the k-th familiar level reached, 255 = done) and each gating edge a needed code, so
/// every gating test is one byte comparison. Immutable and cheap to copy.
///
/// Thread safety: immutable: every member is const and may be called from any number of threads
/// at once, on one progression or on copies (they share the compiled data). The views passed in
/// are only read.
class MASTERYMAP_API progression {
 public:
  static constexpr std::uint8_t done_code = 255;

  progression(masterymap::framework fw, const masterymap::scale& sc);
  /// With the policy's scale and rollup parents (explicit rollups naming unknown ids are
  /// ignored here; the engine reports them).
  progression(masterymap::framework fw, const masterymap::policy& p);
  explicit progression(const engine& e);
  /// With explicit rollup parents: each (parent, its parts), the parts being the competencies
  /// its rollup reads. \throws std::out_of_range on an index past the end.
  progression(masterymap::framework fw, const masterymap::scale& sc,
              std::vector<std::pair<index_t, std::vector<index_t>>> rollups);

  [[nodiscard]] const masterymap::framework& framework() const noexcept;
  /// The scale it was compiled against (the policy's, for the policy and engine forms).
  [[nodiscard]] const masterymap::scale& scale() const noexcept;
  [[nodiscard]] std::size_t size() const noexcept;
  /// Whether `c` is a learning target (not a rollup parent). \throws std::out_of_range
  [[nodiscard]] bool is_learning_target(index_t c) const;
  /// The rollup parents, each with its parts (the competencies its rollup reads: the items it
  /// names, or the children for a group without items), ascending by parent index.
  [[nodiscard]] std::vector<std::pair<index_t, std::vector<index_t>>> rollups() const;

  /// The rule `infer` applies: the policy's scale, rollups and `infer_prerequisites` (a policy
  /// with nothing else; the rest of a policy never changes inference). Empty for a progression
  /// compiled from a scale alone (with or without explicit rollup parents).
  [[nodiscard]] const std::optional<masterymap::policy>& inference_rule() const noexcept;

  /// Compiled from equal frameworks, scales, rollup parents and inference rules (so every
  /// answer is the same).
  friend MASTERYMAP_API bool operator==(const progression& a, const progression& b);
  friend bool operator!=(const progression& a, const progression& b) { return !(a == b); }

  // --- attainments ---------------------------------------------------------------------------
  /// The attainment of one competency: one byte that orders how far a learner is on it (0 = not
  /// started, 1 = started, k + 2 = score at or above the scale's k-th threshold, `done_code` =
  /// mastered, exceeded or exempt), so that a prerequisite's gate is one comparison with its
  /// needed attainment.
  [[nodiscard]] std::uint8_t attainment(masterymap::status s, double score) const noexcept;
  /// Attainments of a whole learner into `out` (size() bytes). Without scores, NaN is assumed.
  void encode(const masterymap::status* statuses, const double* scores,
              std::uint8_t* out) const noexcept;
  /// Text of a needed attainment: "mastered", "started" or a rating label / number.
  [[nodiscard]] std::string attainment_label(std::uint8_t code) const;
  /// The needed attainment of a prerequisite edge (0 for recommended edges: always met).
  [[nodiscard]] std::uint8_t needed_attainment(const prerequisite_edge& e) const;

  // --- one learner --------------------------------------------------------------------------
  /// Inferred mastery applied to a status array computed elsewhere (an LMS, a notebook): the
  /// policy's rule (`infer_prerequisites` in policy.hpp; Knowledge Space Theory's surmise
  /// relation, as ALEKS uses it), exactly as the engine applies it after rules and rollups,
  /// with the engine's own code. Returns v.size statuses: those of `v` where they are not
  /// `inferred`; every `inferred` of `v` is recomputed (the result does not depend on them);
  /// then a not_started competency below earned work (mastered, exceeded, exempt) through the
  /// chosen links, not passing through contrary evidence (in_progress, awaiting_confirmation,
  /// expired), is `inferred`, and a rollup parent not started whose rollup holds once inferred
  /// parts count as met is `inferred` too, with inference going on below it (to a fixpoint).
  /// Rollup parents are otherwise taken as given (their rollups are not evaluated again). Scores
  /// (optional, NaN = none) matter only for weighted_mean rollups over inferred parts. So, for a
  /// learner without placements, `infer` of the engine's statuses with `inferred` stripped gives
  /// the engine's statuses back.
  ///
  /// Placements: a status array cannot say that a learner was placed at a level ("placed at
  /// grade 4 in NF"), so `placements` says it: (domain, level) pairs, as evidence of kind
  /// `placement` would (everything below the level in the domain is placed; a later pair of the
  /// same domain replaces an earlier one).
  /// Complexity: O(V + E) per call, plus one round per rollup parent inferred over inferred
  /// parts (the policy is compiled on the first call, or shared with the engine).
  /// \throws std::invalid_argument if the view's size is not the framework's size, the
  ///         progression was compiled from a scale alone (no rule: compile it from a policy or
  ///         an engine), a placed domain has no leveled academic competencies or a level is
  ///         beyond +-16,777,216; masterymap::unknown_id_error (kind "domain") for a domain the
  ///         framework does not have; masterymap::policy_error listing the problems of the
  ///         policy's rollups against the framework (as `engine` would).
  [[nodiscard]] std::vector<masterymap::status> infer(
      const learner_view& v, const std::vector<std::pair<std::string, int>>& placements = {}) const;

  /// \throws std::invalid_argument if the view's size is not the framework's size.
  [[nodiscard]] bool on_frontier(const learner_view& v, index_t c) const;
  /// The ready-to-learn frontier (KST's outer fringe): learning targets not done whose gating
  /// prerequisites are all met, ascending by index. Complexity: O(V + E).
  [[nodiscard]] std::vector<index_t> frontier(const learner_view& v) const;
  /// The inner fringe ("recently learned", KST's inner fringe: the items whose removal leaves a
  /// knowledge state): earned competencies (mastered, exceeded, exempt) none of whose gating
  /// dependents are done (earned or inferred), ascending by index. Inferred competencies are
  /// never in it: they were not learned here (known by inference from work above them, a
  /// placement, or a unit's inferred parts), so they are not the learner's latest learning; an
  /// inferred dependent still counts as done (it rests on the competency).
  [[nodiscard]] std::vector<index_t> inner_fringe(const learner_view& v) const;
  /// Why `target` cannot be started: its unmet gating prerequisites, transitively (through
  /// unmet links only), in learning order. Empty when `target` is done or ready.
  /// \throws std::out_of_range on a bad index.
  [[nodiscard]] std::vector<blocker> blocked_by(const learner_view& v, index_t target) const;
  /// The gaps: gating prerequisites not met under done work (see `gap`), ranked by how much
  /// rests on them (most undermined first; ties in learning order).
  /// Complexity: O(E * A / 64) for A done competencies.
  [[nodiscard]] std::vector<gap> gaps(const learner_view& v) const;
  /// What blocks current work: the unmet gating prerequisites, transitively (through unmet
  /// links, as `blocked_by`), of every competency in progress (evidence but not done:
  /// in_progress, awaiting_confirmation, expired), in learning order. `blocks` names the next
  /// link only: the dependents right above it in this closure (a blocker two links below a
  /// grade-4 standard in progress lists the grade-3 standard between them, not the grade-4
  /// one). The work in progress it ultimately holds back is what `blocks` reaches followed
  /// upwards (every chain ends at work in progress), or ask `blocked_by` of each piece of work.
  /// A prerequisite may be both a gap (under done work) and a blocker.
  /// Complexity: O(V + E).
  [[nodiscard]] std::vector<blocker> blockers(const learner_view& v) const;
  /// What must be done to reach the goals: the goals not done and, transitively, their unmet
  /// gating prerequisites (as `blocked_by`), ordered so that every prerequisite (of any
  /// strength) comes first and, among what is free to go, the nearest to ready (smallest
  /// `distance`, then already started, then learning order). Steps are learning targets: a
  /// rollup parent (a goal or a prerequisite) is replaced by its parts not done (all of them,
  /// even for a k-of-n rollup: the teacher picks) with their unmet prerequisites; the parent's
  /// own prerequisites come before its parts, and its parts before its dependents. With
  /// `rate_per_day` (competencies per day), `days` = length / rate.
  /// \throws std::out_of_range on a bad index; std::invalid_argument on a rate <= 0.
  [[nodiscard]] learning_path path_to(const learner_view& v, const std::vector<index_t>& goals,
                                      std::optional<double> rate_per_day = std::nullopt) const;
  /// The top `k` of the frontier by the score documented at `recommend_options`.
  [[nodiscard]] std::vector<recommendation> recommend(const learner_view& v, std::size_t k = 5,
                                                      const recommend_options& o = {}) const;
  /// The learner's level in `domain`. \throws masterymap::unknown_id_error (kind "domain") if
  /// no competency has that domain.
  [[nodiscard]] domain_level level(const learner_view& v, std::string_view domain) const;
  /// `level` for every domain with leveled competencies, in order of first appearance.
  [[nodiscard]] std::vector<domain_level> levels(const learner_view& v) const;

  // --- bulk ---------------------------------------------------------------------------------
  /// Frontier flags from attainment codes: out[c] = 1 on the frontier (a learning target, not
  /// done, every gating prerequisite met), else 0. No allocation.
  /// Complexity: O(V + E) byte operations.
  void frontier_flags(const std::uint8_t* codes, std::uint8_t* out) const noexcept;
  /// Number of unmet gating prerequisites of every competency (the state of `frontier_tracker`).
  void unmet_counts(const std::uint8_t* codes, std::uint16_t* out) const noexcept;

  [[nodiscard]] const detail::progression_data& data() const noexcept { return *d_; }

 private:
  std::shared_ptr<const detail::progression_data> d_;
};

/// One learner's frontier kept up to date as single competencies change: O(out-degree) per
/// change, without recomputing the learner (the incremental path).
///
/// Thread safety: a value: const members may run concurrently; `set` needs exclusive access.
class MASTERYMAP_API frontier_tracker {
 public:
  frontier_tracker(const progression& p, const learner_view& v);
  /// Records a new status (and score) of competency `c`; updates the frontier.
  void set(index_t c, masterymap::status s,
           double score = std::numeric_limits<double>::quiet_NaN());
  [[nodiscard]] bool on_frontier(index_t c) const noexcept {
    return code_[c] != progression::done_code && unmet_[c] == 0;
  }
  [[nodiscard]] std::size_t frontier_size() const noexcept { return count_; }
  /// Ascending by index. Complexity: O(V).
  [[nodiscard]] std::vector<index_t> frontier() const;
  [[nodiscard]] const std::vector<std::uint8_t>& attainments() const noexcept { return code_; }

 private:
  progression p_;
  std::vector<std::uint8_t> code_;
  std::vector<std::uint16_t> unmet_;
  std::size_t count_ = 0;
};

/// Convenience forms on an engine state, on its cached `learner_state::progression()` (compiled
/// once per engine, on first use).
[[nodiscard]] MASTERYMAP_API std::vector<index_t> frontier(const learner_state& s);
[[nodiscard]] MASTERYMAP_API std::vector<blocker> blocked_by(const learner_state& s,
                                                             std::string_view id);
[[nodiscard]] MASTERYMAP_API std::vector<gap> gaps(const learner_state& s);
[[nodiscard]] MASTERYMAP_API std::vector<blocker> blockers(const learner_state& s);
[[nodiscard]] MASTERYMAP_API learning_path
path_to(const learner_state& s, const std::vector<std::string>& goals,
        std::optional<double> rate_per_day = std::nullopt);
[[nodiscard]] MASTERYMAP_API domain_level level(const learner_state& s, std::string_view domain);

}  // namespace masterymap

#endif  // MASTERYMAP_PROGRESSION_HPP
