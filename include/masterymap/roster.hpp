// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
#ifndef MASTERYMAP_ROSTER_HPP
#define MASTERYMAP_ROSTER_HPP

#include <cstddef>
#include <cstdint>
#include <limits>
#include <masterymap/config.hpp>
#include <masterymap/engine.hpp>
#include <masterymap/evidence.hpp>
#include <masterymap/framework.hpp>
#include <masterymap/pacing.hpp>
#include <masterymap/policy.hpp>
#include <masterymap/progress.hpp>
#include <masterymap/progression.hpp>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace masterymap {

/// Options of a roster.
struct roster_options {
  /// Worker threads for ingest and the bulk queries: 0 = hardware concurrency. Results never
  /// depend on it.
  unsigned threads = 0;
  /// A fixed evaluation time. Default: the latest evidence time ingested so far (as
  /// `engine::ratings` on the whole log).
  std::optional<double> as_of;
  /// Source of `method::bkt` probabilities: required when the policy has a bkt rule (the
  /// roster's constructor and `load` throw policy_error without it).
  std::shared_ptr<const probability_source> probabilities;
};

/// What one `roster::ingest` did.
struct ingest_summary {
  std::size_t rows = 0;              ///< evidence rows added
  std::size_t learners_touched = 0;  ///< learners with new rows (or every learner when `full`)
  std::size_t new_learners = 0;
  /// Rows applied on the O(1) per-competency path (the cell updated from a running
  /// accumulator, without re-evaluating the learner).
  std::size_t fast_rows = 0;
  /// Learners re-evaluated from all their evidence (a rule or rollup without the O(1) path, or
  /// an event older than the newest of its learner and competency).
  std::size_t learners_reevaluated = 0;
  /// Every learner was re-evaluated: the evaluation time moved and the policy has time-dependent
  /// conditions (windows in days, expiry).
  bool full = false;
};

/// One touched cell of a roster: a (learner, competency) whose status, score or rating is not
/// the default (not started, no score, no rating). 16 bytes.
struct roster_cell {
  double score = std::numeric_limits<double>::quiet_NaN();  ///< NaN = none
  index_t competency = 0;                                   ///< framework index
  masterymap::status status = masterymap::status::not_started;
  std::int8_t rating = -1;      ///< index into the scale's ratings, -1 = none
  std::uint8_t attainment = 0;  ///< `progression::attainment(status, score)`
  std::uint8_t reserved = 0;
};

/// One learner's touched cells, ascending by competency (a view into the roster, valid until
/// its next change).
struct roster_cells {
  const roster_cell* first = nullptr;
  std::size_t count = 0;
  [[nodiscard]] const roster_cell* begin() const noexcept { return first; }
  [[nodiscard]] const roster_cell* end() const noexcept { return first + count; }
  [[nodiscard]] std::size_t size() const noexcept { return count; }
  [[nodiscard]] bool empty() const noexcept { return count == 0; }
};

/// One learner's inferred-only competencies (status inferred, no score, no rating) as bits: a
/// view into the roster, valid until its next change. `count` 64-bit words (competencies / 64
/// rounded up); competency c is bit c % 64 of word c / 64; bits at or past the roster's
/// competencies are 0. A competency whose bit is set has no stored cell (`roster::cells`).
struct roster_bits {
  const std::uint64_t* first = nullptr;
  std::size_t count = 0;  ///< words
  [[nodiscard]] const std::uint64_t* begin() const noexcept { return first; }
  [[nodiscard]] const std::uint64_t* end() const noexcept { return first + count; }
  [[nodiscard]] std::size_t size() const noexcept { return count; }
  /// Whether competency c's bit is set; c < 64 * size() (unchecked). O(1).
  [[nodiscard]] bool test(std::size_t c) const noexcept {
    return ((first[c / 64] >> (c % 64)) & 1U) != 0;
  }
};

/// One learner's row of a roster, materialised dense (`competencies()` entries in each array,
/// framework order): what `roster::row` fills. Converts to a `learner_view` of itself (only from
/// a named row: a view of a temporary would dangle).
struct learner_row {
  std::vector<masterymap::status> statuses;
  std::vector<double> scores;                               ///< NaN = none
  std::vector<std::int8_t> ratings;                         ///< -1 = none
  std::vector<std::uint8_t> attainments;                    ///< `progression::attainment` codes
  double as_of = std::numeric_limits<double>::quiet_NaN();  ///< the roster's evaluation time
  [[nodiscard]] learner_view view() const& noexcept {
    learner_view v;
    v.statuses = statuses.data();
    v.scores = scores.data();
    v.size = statuses.size();
    v.as_of = as_of;
    return v;
  }
  learner_view view() const&& = delete;
  // NOLINTNEXTLINE(google-explicit-constructor): a row is used where a view is expected
  operator learner_view() const& noexcept { return view(); }
  operator learner_view() const&& = delete;
};

/// Many learners against one framework and policy. Storage follows the evidence: per learner,
/// its touched cells (`roster_cell`, 16 bytes each: score, competency, status, rating,
/// attainment code) in one array sorted by competency, and nothing for a cell the learner never
/// touched (not started, no score, no rating); a competency that is only inferred (status
/// inferred, no score, no rating) is one bit of a per-learner bitset (competencies / 8 bytes).
/// Bulk
/// queries (frontier, levels, pacing, gaps, blockers of every learner) materialise one
/// learner's dense row at a time into per-thread scratch (O(competencies + touched cells)) and
/// run the progression's code on it. `row(l)` / `cells(l)` give one learner; the dense tables
/// (`statuses()`, `scores()`, `ratings()`, `attainments()`) are built on demand.
///
/// `ingest` appends evidence to the roster's own log and updates only what it touches: an event
/// whose rule folds event by event (see `add`) updates its one cell in O(1); other learners it
/// touches are re-evaluated from their evidence (all of them when the evaluation time moved
/// under a time-dependent policy), in parallel over learners; the tables then equal
/// `engine::ratings` on the whole log, whatever the thread count. Learners are numbered in order
/// of first appearance.
///
/// Thread safety: const members (the queries, `learner`, `save`, the tables) may be called from
/// any number of threads at once while no `ingest` or `add` runs; `ingest`, `add` and move
/// assignment change the roster and need exclusive access. Const members only read (the one lazy
/// cache, the engine's progression reached through `learner(...).progression()`, is built under
/// std::call_once). Views, references into the tables and `log()` stay valid until the next
/// change. `ingest`, `frontier_matrix`, `levels`, `gaps`, `blockers` and `pacing` run their
/// own worker threads (`roster_options::threads`); `ingest`'s call the `probability_source`
/// concurrently. (From Python, the binding serialises changes with reads; see the README.)
class MASTERYMAP_API roster {
 public:
  /// \throws masterymap::policy_error if the policy does not fit the framework;
  ///         std::invalid_argument for an `options.as_of` that is not a time (`time_problem`).
  roster(masterymap::framework fw, masterymap::policy p, roster_options options = {});
  roster(roster&&) noexcept;
  roster& operator=(roster&&) noexcept;
  roster(const roster&) = delete;
  roster& operator=(const roster&) = delete;
  ~roster();

  /// Adds every row of `batch` (validated whole first: a bad row rejects the batch and nothing
  /// changes). Custom evidence kinds of the batch are accepted. A batch log's retractions
  /// (`evidence_log::retractions`) are applied after its rows, as by `retract`.
  /// \throws masterymap::evidence_error listing every bad row (unknown competency, score off
  ///         the scale, ...).
  /// Progress (progress.hpp) in rows of the batch, counted three times: validated, applied,
  /// re-evaluated. Cancelling (or any failure) leaves the roster exactly as it was; only the
  /// final write of re-evaluated learners' rows, after the last report, is not interrupted.
  ingest_summary ingest(const evidence_log& batch, const progress& progress = {});
  ingest_summary ingest(const std::vector<evidence>& rows, const progress& progress = {});
  ingest_summary ingest(const evidence_columns& batch, const progress& progress = {});
  /// Adds one piece of evidence (as `ingest` of one row). When the competency's rule folds event
  /// by event (method latest, highest, mean, weighted_mean, weighted_average, decaying_average,
  /// n_mastery or power_law; no window, expiry or monotonic holding; at most four gatekeeper and
  /// four exemption-confirmation kinds; not under a rollup) and the event is the newest of its
  /// (learner, competency) pair, only that cell (status, score, rating, attainment code) is updated
  /// from a running accumulator: O(1), and bit-identical to a full re-evaluation. When that
  /// cell moves between earned, contrary evidence and neither (see `infer_prerequisites`), the
  /// learner's inferred statuses are recomputed from its row: the inference walk, O(V + E).
  /// A learner with placement evidence takes the full path. Otherwise the
  /// learner is re-evaluated from its evidence. \throws masterymap::evidence_error as `ingest`.
  ingest_summary add(std::string_view learner, std::string_view competency, double time,
                     double score, std::string_view kind = "formative", double weight = 1.0,
                     std::string_view source = {});
  /// `add` for a known learner by index (`find`/`index_of`) and a competency by framework index,
  /// without looking names up (the fastest single-event path). The source is "".
  /// \throws std::out_of_range for a bad index; masterymap::evidence_error as `ingest`.
  ingest_summary add(std::size_t learner, index_t competency, double time, double score,
                     std::string_view kind = "formative", double weight = 1.0);

  /// Places a learner at `level` in each of `domains` (all domains with leveled competencies
  /// when empty): a placement or diagnostic result ("placed at grade 4 in NF"), as data. Adds
  /// one evidence row per domain, of kind "placement", on the domain's first leveled academic
  /// competency (framework order), with the level as its score (see `infer_prerequisites` in
  /// policy.hpp): everything below `level` in the domain is inferred unless contrary evidence
  /// says otherwise, a level above the domain's top places all of it, and the latest placement
  /// of a domain counts. The learner's working level there becomes at least `level`
  /// (`recommend_options`). Explained by `explain` ("placed at level 4 in NF on ... (row r, on
  /// 3.NF.A.1)"). A domain named twice is placed once (repeats are dropped). All or nothing, as
  /// `ingest`.
  /// \throws masterymap::unknown_id_error (kind "domain") for a domain the framework does not
  ///         have, std::invalid_argument for one without leveled academic competencies (nothing
  ///         to place in) or a level beyond +-16,777,216; masterymap::evidence_error as `ingest`
  ///         (a bad learner id or time). The roster is then unchanged.
  ingest_summary place(std::string_view learner, int level, double time,
                       const std::vector<std::string>& domains = {}, std::string_view source = {});

  /// Retracts the evidence of each source of `batch` (xAPI voiding: source = statement id; see
  /// `evidence_log::retract`): the rows stay in the log, no rating counts them, `learner(...)
  /// .explain` lists them as voided. The learners with rows it voids are re-evaluated from their
  /// evidence; a source not yet in the log is retracted on arrival. All or nothing.
  /// \throws std::invalid_argument for an empty source (roster unchanged).
  /// Complexity: O(attribute triples + log rows) + re-evaluating the learners it touches.
  statements_summary retract(const std::vector<retraction>& batch);
  /// Ingests statement evidence (xAPI: `io::statement_batch`), idempotent across batches as
  /// `evidence_log::append_statements` (a repeated statement id with the same content is
  /// skipped, with another content an error), then applies `voids` (as `retract`). `ingest`
  /// itself keeps every row (a source there may be an assessor's name many rows share).
  /// All or nothing: \throws masterymap::evidence_error (bad rows, or conflicting repeats naming
  /// the statement id and the stored vs new values); std::invalid_argument for an empty source
  /// in `voids`. The roster is then unchanged. Progress as `ingest`.
  statements_summary ingest_statements(const evidence_columns& batch,
                                       const std::vector<retraction>& voids = {},
                                       const progress& progress = {});

  [[nodiscard]] const masterymap::engine& engine() const noexcept;
  [[nodiscard]] const masterymap::progression& progression() const noexcept;
  [[nodiscard]] const masterymap::framework& framework() const noexcept;
  [[nodiscard]] const masterymap::policy& policy() const noexcept;
  [[nodiscard]] const roster_options& options() const noexcept;
  /// All evidence ingested so far.
  [[nodiscard]] const evidence_log& log() const noexcept;
  /// The evaluation time of the tables (NaN before any evidence).
  [[nodiscard]] double as_of() const noexcept;

  /// Number of learners.
  [[nodiscard]] std::size_t size() const noexcept;
  [[nodiscard]] std::size_t competencies() const noexcept;
  [[nodiscard]] const std::vector<std::string>& learners() const noexcept;
  [[nodiscard]] std::optional<std::size_t> find(std::string_view learner) const noexcept;
  /// \throws masterymap::unknown_id_error (kind "learner").
  [[nodiscard]] std::size_t index_of(std::string_view learner) const;

  /// Learner `l`'s row, materialised dense (no evidence times): O(competencies + touched
  /// cells). \throws std::out_of_range
  [[nodiscard]] learner_row row(std::size_t l) const;
  /// `row(l)` into `out`, reusing its buffers (no allocation once they have the size).
  /// \throws std::out_of_range
  void row(std::size_t l, learner_row& out) const;
  /// Learner `l`'s stored cells, ascending by competency: O(1), a view valid until the next
  /// change of the roster. Competencies only inferred (no score, no rating) are not among them
  /// (they are bits: `row(l)` and `statuses()` show them). \throws std::out_of_range
  [[nodiscard]] roster_cells cells(std::size_t l) const;
  /// Learner `l`'s inferred-only competencies (status inferred, no score, no rating: the
  /// competencies `row(l)` shows inferred that are not among `cells(l)`) as bits, competency c
  /// at bit c % 64 of word c / 64: O(1), a view valid until the next change of the roster.
  /// \throws std::out_of_range
  [[nodiscard]] roster_bits inferred(std::size_t l) const;
  /// Cells stored over all learners (16 bytes each; inferred-only competencies not counted).
  [[nodiscard]] std::size_t cell_count() const noexcept;
  /// Learner `l`'s rows in `log()`, ascending (every row, also those after `as_of()` and
  /// retracted ones): for passes over each learner's evidence. Valid until the next change.
  /// \throws std::out_of_range for a bad learner index.
  [[nodiscard]] const std::vector<std::uint32_t>& log_rows(std::size_t l) const;
  /// Latest evidence time per competency of learner `l` (NaN where none), up to `as_of()`.
  /// Complexity: O(rows of the learner).
  [[nodiscard]] std::vector<double> last_evidence_times(std::size_t l) const;
  /// The full engine state of a learner (with `explain` against `log()`); equal to the roster's
  /// row. Complexity: O(log size). \throws masterymap::unknown_id_error
  [[nodiscard]] learner_state learner(std::string_view id) const;
  /// The learner's state as it was at `as_of` (Unix seconds): as `learner(id)` with evidence
  /// after `as_of` ignored and windows and expiry judged then (`engine::evaluate` with that
  /// evaluation time). Complexity: O(k log k) for the learner's k rows.
  /// \throws masterymap::unknown_id_error; std::invalid_argument for an `as_of` that is not a
  ///         time (`time_problem`: NaN, or outside 1677-09-21 to 2262-04-11).
  [[nodiscard]] learner_state learner(std::string_view id, double as_of) const;

  /// The dense learner-by-competency tables (row-major: learner l, competency c at
  /// l * competencies() + c), materialised on demand from the touched cells: status,
  /// score (NaN = none), rating (-1 = none), attainment code. Each call builds a new table:
  /// O(learners x competencies) time and memory (1 + 8 + 1 + 1 bytes a cell) -- for one learner
  /// use `row` or `cells`; keep the result rather than calling again in a loop.
  [[nodiscard]] std::vector<status> statuses() const;
  [[nodiscard]] std::vector<double> scores() const;
  [[nodiscard]] std::vector<std::int8_t> ratings() const;
  [[nodiscard]] std::vector<std::uint8_t> attainments() const;
  /// Learner `l`'s statuses into `out` (competencies() entries, framework order), without
  /// allocating: for passes over every learner that need one field, not a whole `row`.
  /// O(competencies + touched cells). \throws std::out_of_range for a bad learner index.
  void statuses(std::size_t l, status* out) const;
  /// Learner `l`'s attainment codes into `out` (competencies() bytes), as `statuses(l, out)`.
  /// \throws std::out_of_range for a bad learner index.
  void attainments(std::size_t l, std::uint8_t* out) const;

  /// Frontier flags of every learner (size() x competencies(), 1 = on the frontier), computed
  /// in parallel from the attainment codes. Complexity: O(L * (V + E)) byte operations.
  /// Progress (progress.hpp), here and in `levels` and `pacing`: learners done.
  [[nodiscard]] std::vector<std::uint8_t> frontier_matrix(const progress& progress = {}) const;
  /// Writes the frontier flags into `out` (size() * competencies() bytes), without allocating.
  void frontier_matrix(std::uint8_t* out, const progress& progress = {}) const;
  /// `progression::level` of every learner in `domain`.
  [[nodiscard]] std::vector<domain_level> levels(std::string_view domain,
                                                 const progress& progress = {}) const;
  /// `progression::gaps` of every learner (out[l] for learner l: the holes under its done
  /// work, most undermined first), computed in parallel from the tables (roster_advice.cpp).
  /// Complexity: O(L * (V + E * A / 64)) for A done competencies per learner; memory: the
  /// results plus O(V) per thread. Progress (progress.hpp): learners done.
  [[nodiscard]] std::vector<std::vector<gap>> gaps(const progress& progress = {}) const;
  /// `progression::blockers` of every learner (out[l] for learner l: the unmet prerequisites
  /// holding back its work in progress, in learning order), in parallel.
  /// Complexity: O(L * (V + E)). Progress: learners done.
  [[nodiscard]] std::vector<std::vector<blocker>> blockers(const progress& progress = {}) const;
  /// `pacing` of every learner (with their evidence times); `today` defaults to `as_of()`.
  [[nodiscard]] std::vector<pace_report> pacing(const pace_plan& plan,
                                                std::optional<double> today = std::nullopt,
                                                const progress& progress = {}) const;

  /// Writes the whole roster (framework, policy, evidence, tables) to a versioned binary file
  /// ending in a checksum (XXH3-64) of its content. Version 6 (the default, `version` 0, 6 or 7)
  /// stores the tables as the roster holds them (per learner its 16-byte cells and its inferred
  /// bits, C / 8 bytes), so `load` streams them into place; it is written as version 7 (version 6
  /// followed by the log's timestamp texts) when the log keeps statements' original timestamp
  /// texts (`version` 0 or 7; an explicit 6 is refused for such a log, as 4 and 5 are, rather
  /// than silently writing 7). `version` 5 writes the cell-list
  /// format of earlier releases (version 4 when the log has no retractions; 18 bytes per
  /// non-default cell, inferred-only competencies included), for a reader of such a release.
  /// Written atomically: to a temporary file in the same folder, flushed to disk, then renamed
  /// over `path`, so a crash mid-save leaves the previous file intact. An empty roster saves and
  /// loads back. O(log rows + stored cells + learners x C / 64).
  /// \throws masterymap::file_error if the file cannot be written (`path` is then unchanged);
  ///         std::invalid_argument if a name (learner, competency, kind, source) is not UTF-8, or
  ///         for a `version` other than 0, 4, 5, 6 or 7, or 4, 5 or 6 for a log with timestamp
  ///         texts (those formats have no place for them: save with 7 or 0), the file untouched.
  /// Progress (progress.hpp) in bytes of the evidence columns (24 per row) written and of the
  /// tables (11 per cell) scanned; cancelled, the previous file is left as it was.
  void save(const std::string& path, const progress& progress = {}, unsigned version = 0) const;
  /// Restores a roster written by `save` (version 6 or 7, read into place: a few large reads and
  /// one check per stored cell; or version 4 or 5, whose cell lists are rebuilt into the tables; or
  /// version 3, whose placement scores were not yet levels, so its learners with placement rows
  /// are re-evaluated on load; or version 2, or version 1 without a checksum, of earlier
  /// releases: their tables were computed without inferred mastery, so every learner is
  /// re-evaluated on load); its answers are identical. `options.threads` and
  /// `options.probabilities` apply to the restored roster; the fixed `as_of` is restored.
  /// \throws masterymap::parse_error for a file that is not a roster snapshot, of another
  ///         version, truncated or corrupt (a checksum mismatch, bad UTF-8 in a name, a table
  ///         cell out of range or out of order, or any other inconsistency), never a roster that
  ///         differs from the one saved; masterymap::file_error if it cannot be opened.
  /// Progress (progress.hpp) in bytes of the file, counted twice: read, then restored.
  [[nodiscard]] static roster load(const std::string& path, roster_options options = {},
                                   const progress& progress = {});
  /// The snapshot `save` writes (version 6 or 7, checksum included), as bytes in memory: to send a
  /// roster to another process. \throws std::invalid_argument as `save`.
  [[nodiscard]] std::string to_bytes() const;
  /// Restores a roster from `to_bytes` (or a snapshot file's content), as `load`.
  /// \throws masterymap::parse_error for bytes that are not a roster snapshot, of another
  ///         version, truncated or corrupt.
  [[nodiscard]] static roster from_bytes(std::string_view bytes, roster_options options = {});

  /// The same framework, policy and fixed evaluation time, equal logs, the same evaluation
  /// time and tables (NaN scores equal). Threads and the probability source are not compared.
  /// Complexity: O(rows + learners x competencies).
  friend MASTERYMAP_API bool operator==(const roster& a, const roster& b);
  friend bool operator!=(const roster& a, const roster& b) { return !(a == b); }

  struct impl;

 private:
  explicit roster(std::unique_ptr<impl> p) noexcept;
  std::unique_ptr<impl> impl_;
};

}  // namespace masterymap

#endif  // MASTERYMAP_ROSTER_HPP
