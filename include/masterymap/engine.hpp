// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
#ifndef MASTERYMAP_ENGINE_HPP
#define MASTERYMAP_ENGINE_HPP

#include <cstddef>
#include <cstdint>
#include <masterymap/column.hpp>
#include <masterymap/config.hpp>
#include <masterymap/error.hpp>
#include <masterymap/evidence.hpp>
#include <masterymap/framework.hpp>
#include <masterymap/policy.hpp>
#include <masterymap/progress.hpp>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace masterymap {

/// Where a learner stands on one competency.
enum class status : std::uint8_t {
  not_started,            ///< no evidence (or, for a rollup, no child started)
  in_progress,            ///< evidence, but mastery not reached (or conditions unmet)
  awaiting_confirmation,  ///< reached, but the gatekeeper (e.g. a teacher's check) has not
                          ///< confirmed
  mastered,
  exceeded,  ///< mastered at or above the scale's exceeds rating
  exempt,    ///< exempted by a pre-test
  expired,   ///< was mastered, but no fresh evidence within the rule's expiry
  /// No evidence of its own, but known by inference (KST's surmise relation, as ALEKS uses it):
  /// a gating prerequisite of earned work, or below a placement (see `infer_prerequisites` in
  /// policy.hpp). Counts as met for gates, frontier, paths and levels; never earned. Last in
  /// the enum so that the codes of the older statuses (and the bytes that store them) do not
  /// change; in learning order it sits between awaiting_confirmation and mastered.
  inferred,
};
/// "not_started", "in_progress", "awaiting_confirmation", "mastered", "exceeded", "exempt",
/// "expired", "inferred".
[[nodiscard]] MASTERYMAP_API const char* to_string(status s) noexcept;
/// \throws std::invalid_argument on an unknown name.
[[nodiscard]] MASTERYMAP_API status parse_status(std::string_view name);
/// The status in words for a teacher, for text that prints a rating next to it: "not started",
/// "in progress", "ready for the teacher's check" (awaiting_confirmation: the evidence reaches
/// mastery, the gatekeeper has not confirmed it: not done), "inferred", "mastered", "exceeded",
/// "exempt", "expired".
[[nodiscard]] MASTERYMAP_API const char* status_text(status s) noexcept;
/// Mastered, exceeded or exempt: an earned achievement (what a transcript or badge export may
/// list), what satisfies rollups, and what inference starts from. Never `inferred`.
[[nodiscard]] constexpr bool is_earned(status s) noexcept {
  return s == status::mastered || s == status::exceeded || s == status::exempt;
}
/// Earned or inferred: what counts as met for prerequisites (gates, frontier, paths, levels,
/// pacing). `inferred` is met but not earned.
[[nodiscard]] constexpr bool is_done(status s) noexcept {
  return is_earned(s) || s == status::inferred;
}
/// The position of a status in learning order (not_started 0, in_progress 1, expired 2,
/// awaiting_confirmation 3, inferred 4, mastered 5, exceeded 6, exempt 7): the order of the
/// Python status categorical (DataFrames, STATUS_ORDER). Every status that is not met comes
/// before every met one, and the earned ones come last, so `rank >= rank(inferred)` is `is_done`
/// and `rank >= rank(mastered)` is `is_earned`. `expired` (mastery lapsed: it needs fresh
/// evidence, like work in progress) sits below `awaiting_confirmation` (mastery reached: only the
/// teacher's check is missing); it used to sort last, above `mastered`, so a filter such as
/// `status >= "mastered"` counted lapsed mastery as earned.
[[nodiscard]] constexpr int status_rank(status s) noexcept {
  constexpr int rank[] = {0, 1, 3, 5, 6, 7, 2, 4};
  return rank[static_cast<int>(s)];
}

/// The hook of `method::bkt`: the posterior probability that `learner` has mastered
/// `competency`, given the counted scores on it in observation order (empty when unknown).
/// Implemented by the knowledge-tracing module (masterymap::bkt) or by the user. Called from
/// the engine's worker threads: implementations must be safe to call concurrently.
class MASTERYMAP_API probability_source {
 public:
  virtual ~probability_source();
  [[nodiscard]] virtual std::optional<double> probability(
      std::string_view learner, std::string_view competency,
      const std::vector<double>& scores) const = 0;
};

/// The field paths of the policy's rules that rate with `method::bkt` ("rule",
/// "overrides.domains['NF']", ...). A policy with any cannot be evaluated without a
/// `probability_source` (evaluations, the bulk ratings and rosters throw policy_error).
[[nodiscard]] MASTERYMAP_API std::vector<std::string> bkt_rules(const policy& p);

/// Options of an evaluation.
struct evaluate_options {
  /// Evaluation time (seconds, like evidence times). Evidence after it is ignored; windows in
  /// days and expiry count back from it. Default: the latest time in the log, so results depend
  /// only on the log. Evaluating with one that is not a time (`time_problem`: NaN, infinite, a
  /// millisecond epoch, outside 1677-09-21 to 2262-04-11) throws std::invalid_argument.
  std::optional<double> as_of;
  /// Source of `method::bkt` probabilities: required when the policy has a bkt rule (see
  /// `bkt_rules`; evaluating without it throws policy_error).
  std::shared_ptr<const probability_source> probabilities;
  /// Worker threads for many learners: 0 = hardware concurrency. Results do not depend on it.
  unsigned threads = 0;
};

/// One piece of evidence in an explanation.
struct explained_evidence {
  std::size_t row = 0;  ///< row in the evidence log
  double time = 0.0;
  double score = 0.0;
  std::string kind;
  double weight = 1.0;
  std::string source;
  bool used = false;   ///< counted by the method
  std::string reason;  ///< why it was ignored ("kind 'self' never counts", ...), or "counted"
  /// The time as the evidence wrote it (an xAPI statement's timestamp,
  /// "2024-03-01T09:30:00.123+02:00"; `time` is that instant in UTC), "" when it had none
  /// (`evidence_log::timestamp_text`).
  std::string timestamp;

  /// Every field equal (NaN equal to NaN).
  friend bool operator==(const explained_evidence& a, const explained_evidence& b) {
    return a.row == b.row && detail::same_value(a.time, b.time) &&
           detail::same_value(a.score, b.score) && a.kind == b.kind &&
           detail::same_value(a.weight, b.weight) && a.source == b.source && a.used == b.used &&
           a.reason == b.reason && a.timestamp == b.timestamp;
  }
  friend bool operator!=(const explained_evidence& a, const explained_evidence& b) {
    return !(a == b);
  }
};

/// One item of a parent's rollup in an explanation.
struct explained_child {
  std::string id;
  masterymap::status status = status::not_started;
  std::optional<double> score;
  bool done = false;

  friend bool operator==(const explained_child& a, const explained_child& b) {
    return a.id == b.id && a.status == b.status && a.score == b.score && a.done == b.done;
  }
  friend bool operator!=(const explained_child& a, const explained_child& b) { return !(a == b); }
};

/// Why a learner has the status they have on one competency.
struct explanation {
  std::string learner;
  std::string competency;
  masterymap::status status = status::not_started;
  std::string decided_by;       ///< "evidence", "rollup" or "inference"
  std::string rule;             ///< the rule, e.g. "decaying_average(w=0.65), min_evidence=2"
  std::string rule_scope;       ///< "competency", "domain" or "default"
  std::string method;           ///< "decaying_average(w=0.65)"
  std::optional<double> value;  ///< the computed value
  std::optional<std::string> rating;
  double threshold = 0.0;  ///< the mastery value (bkt: the probability threshold)
  std::optional<double> exceeds;
  double as_of = 0.0;
  std::vector<explained_evidence> evidence;  ///< in aggregation order (time, then row)
  std::vector<std::string> unmet;            ///< each unmet condition
  std::vector<std::string> notes;            ///< exemption, held mastery, expiry, precedence
  std::string rollup;                        ///< the parent's rollup, if any
  std::vector<explained_child> children;     ///< the rollup's competency items
  /// When `inferred`: the earned competencies the inference rests on (nearest first through
  /// the chosen links, at most 5; `notes` says how many more), and each placement that reaches
  /// it is a note ("placed at level 4 in NF on 2024-09-03 (row 12)"). `decided_by` is then
  /// "inference".
  std::vector<std::string> inferred_from;
  std::string text;  ///< all of the above, readable

  /// Every field equal (NaN equal to NaN).
  friend MASTERYMAP_API bool operator==(const explanation& a, const explanation& b);
  friend bool operator!=(const explanation& a, const explanation& b) { return !(a == b); }
};

class progression;  // progression.hpp

namespace detail {
struct compiled_policy;
struct progression_cache;  // src/progression_cache.hpp
}  // namespace detail

/// A learner's state on every competency of a framework: dense arrays indexed by framework
/// index (status, score, rating, evidence count), plus the log rows of the learner's evidence
/// grouped by competency in aggregation order (for `explain` and incremental `update`).
///
/// Thread safety: a value: const members (`progression()` and `explain` included) may be called
/// from any number of threads at once; `engine::update` changes the state and needs exclusive
/// access to it. `explain` reads the log: nothing may append to it during the call.
class MASTERYMAP_API learner_state {
 public:
  learner_state();

  [[nodiscard]] const std::string& learner() const noexcept { return learner_; }
  /// Number of competencies (the framework's size).
  [[nodiscard]] std::size_t size() const noexcept { return status_.size(); }
  [[nodiscard]] const masterymap::framework& framework() const;
  [[nodiscard]] const masterymap::policy& policy() const;
  /// The framework's prerequisite graph compiled for progression queries under the policy's
  /// scale, built on first use and shared with the engine that evaluated the state (and every
  /// state it evaluated). Thread-safe. \throws std::logic_error on a state never evaluated.
  [[nodiscard]] const masterymap::progression& progression() const;

  [[nodiscard]] masterymap::status status(index_t i) const { return status_.at(i); }
  /// \throws masterymap::unknown_id_error
  [[nodiscard]] masterymap::status status(std::string_view id) const;
  /// The aggregated score (rollup parents: the weighted mean, if that is the rollup).
  [[nodiscard]] std::optional<double> score(index_t i) const;
  [[nodiscard]] std::optional<double> score(std::string_view id) const;
  [[nodiscard]] std::optional<std::size_t> rating_index(index_t i) const;
  /// Label of the rating on the policy's scale.
  [[nodiscard]] std::optional<std::string> rating(index_t i) const;
  [[nodiscard]] std::optional<std::string> rating(std::string_view id) const;
  /// Pieces of evidence the learner has on competency i (all kinds, up to the evaluation time).
  [[nodiscard]] std::uint32_t evidence_count(index_t i) const { return count_.at(i); }

  /// Dense columns, indexed by framework index. Scores are NaN and ratings -1 when absent.
  [[nodiscard]] const std::vector<masterymap::status>& statuses() const noexcept { return status_; }
  [[nodiscard]] const std::vector<double>& scores() const noexcept { return score_; }
  [[nodiscard]] const std::vector<std::int8_t>& ratings() const noexcept { return rating_; }
  [[nodiscard]] const std::vector<std::uint32_t>& evidence_counts() const noexcept {
    return count_;
  }
  /// Indices of the competencies with status `s`, ascending.
  [[nodiscard]] std::vector<index_t> with_status(masterymap::status s) const;

  /// The evaluation time used.
  [[nodiscard]] double as_of() const noexcept { return as_of_; }
  /// Number of log rows seen (the log's size at the last evaluation or update).
  [[nodiscard]] std::size_t log_position() const noexcept { return seen_; }
  /// Log rows of the learner's evidence on competency i, in aggregation order.
  [[nodiscard]] std::vector<std::uint32_t> evidence_rows(index_t i) const;
  /// `evidence_rows(i)` without a copy: [first, last), valid until the state changes.
  [[nodiscard]] std::pair<const std::uint32_t*, const std::uint32_t*> evidence_row_range(
      index_t i) const;

  /// Why the learner has this status. `log` must be the log (or a later state of it) that was
  /// evaluated. \throws masterymap::unknown_id_error; std::invalid_argument for another log.
  [[nodiscard]] explanation explain(index_t i, const evidence_log& log) const;
  [[nodiscard]] explanation explain(std::string_view id, const evidence_log& log) const;

  /// The probability source of the evaluation (used again by `explain`); may be null.
  [[nodiscard]] const std::shared_ptr<const probability_source>& probabilities() const noexcept {
    return probabilities_;
  }

  /// The state's own data in a compact binary form: learner, evaluation time, log position, the
  /// dense columns and the evidence index. Not the framework and policy (restore with
  /// `engine::state_from_bytes` of an equal engine), nor the probability source, nor the log.
  /// Complexity: O(size() + rows of the learner).
  [[nodiscard]] std::string to_bytes() const;

  /// Same framework and policy (compared only when the engines differ), learner, evaluation
  /// time, log position, columns (NaN scores equal) and evidence index. The probability
  /// source is not compared.
  friend MASTERYMAP_API bool operator==(const learner_state& a, const learner_state& b);
  friend bool operator!=(const learner_state& a, const learner_state& b) { return !(a == b); }

 private:
  friend class engine;
  friend struct detail::compiled_policy;
  std::shared_ptr<const detail::compiled_policy> ctx_;
  std::shared_ptr<detail::progression_cache> progression_;  // set with ctx_
  std::shared_ptr<const probability_source> probabilities_;
  std::string learner_;
  std::vector<masterymap::status> status_;
  std::vector<double> score_;
  std::vector<std::int8_t> rating_;
  std::vector<std::uint32_t> count_;
  std::vector<std::uint32_t> offsets_;  // CSR over framework indices into rows_
  std::vector<std::uint32_t> rows_;
  double as_of_ = 0.0;
  std::size_t seen_ = 0;
};

/// Ratings of many learners in long form: one entry per (learner, competency) that is not
/// `not_started` (or has evidence), ordered by learner, then competency index. The bulk path
/// keeps no per-learner evidence index, and its size follows the evidence, not
/// learners x competencies.
struct ratings_table {
  std::vector<std::string> learners;  ///< every learner of the log, in order of first appearance
  std::size_t competencies = 0;       ///< the framework's size
  column<std::uint32_t> learner;      ///< index into `learners`
  column<index_t> competency;         ///< framework index
  column<status> statuses;
  column<double> scores;        ///< NaN when absent
  column<std::int8_t> ratings;  ///< -1 when absent
  column<std::uint32_t> evidence_counts;
  double as_of = 0.0;
};

/// A framework and a policy compiled together: validated once, then evaluated against any
/// number of logs and learners. Copies share the compiled form.
///
/// Thread safety: every member is const and may be called from any number of threads at once,
/// on one engine or on its copies. The one internal cache, the progression compiled on first
/// use (`progression()`, also reached through `learner_state::progression()` and the
/// progression convenience functions), is built once under std::call_once, whichever thread asks
/// first, and then shared read-only. `update` changes only the state it is given. The log given
/// to `evaluate`, `evaluate_all`, `ratings` or `update` is only read, but nothing may append to
/// it during the call. `evaluate_all` and `ratings` run their own worker threads (see
/// `evaluate_options::threads`), which call the `probability_source` concurrently.
class MASTERYMAP_API engine {
 public:
  /// \throws masterymap::policy_error listing every problem of the policy, on its own and
  ///         against the framework (unknown ids and domains, rollup items that are not
  ///         descendants, parents without children).
  engine(masterymap::framework fw, masterymap::policy p);

  [[nodiscard]] const masterymap::framework& framework() const noexcept;
  [[nodiscard]] const masterymap::policy& policy() const noexcept;
  /// The framework compiled for progression queries under the policy's scale: built on first
  /// use, then shared by the engine's copies and the states it evaluates. Thread-safe.
  [[nodiscard]] const masterymap::progression& progression() const;
  /// Checks for `evidence_log::append` matching this framework and policy: known competency
  /// ids, scores within the scale's range, the scale's labels as score texts, the policy's
  /// kinds known (`ingest_checks::known_kinds`).
  [[nodiscard]] ingest_checks checks() const;

  // Every evaluation throws masterymap::policy_error when the policy has a bkt rule and
  // `options.probabilities` is null.

  /// One learner (a learner without evidence gets an all-not-started state).
  /// Complexity: O(log size) to find the learner's rows (a scan of the log's learner codes;
  /// `roster::learner` passes the rows it indexes instead), then O(k log k) for k rows.
  [[nodiscard]] learner_state evaluate(const evidence_log& log, std::string_view learner,
                                       const evaluate_options& options = {}) const;
  /// Every learner of the log, in order of first appearance, in parallel.
  /// Progress (progress.hpp) in rows + learners, counted as learners are evaluated.
  [[nodiscard]] std::vector<learner_state> evaluate_all(const evidence_log& log,
                                                        const evaluate_options& options = {},
                                                        const progress& progress = {}) const;
  /// Every learner of the log as a long table (the bulk path: no per-learner index kept), in
  /// parallel over learners; equal to `evaluate` of each learner. Complexity: O(rows) for rules
  /// that fold event by event, O(k log k) for the k rows of a competency under any other rule.
  /// Progress (progress.hpp) in rows + learners (the log's), counted as learners are rated.
  [[nodiscard]] ratings_table ratings(const evidence_log& log, const evaluate_options& options = {},
                                      const progress& progress = {}) const;
  /// Brings `state` up to date with rows appended to `log` since it was evaluated. Only the
  /// competencies with new evidence (and the rollups) are recomputed, unless the evaluation
  /// time moved, in which case every competency is recomputed from the retained rows. The result
  /// equals a full re-evaluation. \throws std::invalid_argument if `state` came from another
  /// engine's framework.
  void update(learner_state& state, const evidence_log& log,
              const evaluate_options& options = {}) const;

  /// A state written by `learner_state::to_bytes` (of an equal engine), restored on this
  /// engine with `probabilities` as its probability source: equal to the state written, and
  /// `update` and `explain` continue from it (against the same log, or a later state of it).
  /// \throws masterymap::parse_error for bytes that are not a state, are truncated, or do not
  ///         fit this engine (another framework size, a status or rating out of range, a
  ///         broken evidence index).
  [[nodiscard]] learner_state state_from_bytes(
      std::string_view bytes,
      std::shared_ptr<const probability_source> probabilities = nullptr) const;

  /// Same framework and policy (engines compiled from equal inputs are equal).
  friend MASTERYMAP_API bool operator==(const engine& a, const engine& b);
  friend bool operator!=(const engine& a, const engine& b) { return !(a == b); }

 private:
  friend class roster;
  // `evaluate` of the learner whose rows of `log` are rows[0..n), ascending (roster::learner).
  [[nodiscard]] learner_state evaluate_rows(const evidence_log& log, std::string_view learner,
                                            const std::uint32_t* rows, std::size_t n,
                                            const evaluate_options& options) const;
  std::shared_ptr<const detail::compiled_policy> ctx_;
  std::shared_ptr<detail::progression_cache> progression_;
};

/// Problems of a policy against a framework (including the policy's own problems), with paths.
[[nodiscard]] MASTERYMAP_API std::vector<std::string> problems(const policy& p,
                                                               const framework& fw);
/// \throws masterymap::policy_error listing every problem.
MASTERYMAP_API void validate(const policy& p, const framework& fw);
/// `engine(fw, p).checks()`, without compiling.
[[nodiscard]] MASTERYMAP_API ingest_checks checks_for(const framework& fw, const policy& p);
/// `engine(fw, p).evaluate(log, learner, options)`.
[[nodiscard]] MASTERYMAP_API learner_state evaluate(const framework& fw, const policy& p,
                                                    const evidence_log& log,
                                                    std::string_view learner,
                                                    const evaluate_options& options = {});

}  // namespace masterymap

#endif  // MASTERYMAP_ENGINE_HPP
