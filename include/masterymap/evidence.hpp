// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
#ifndef MASTERYMAP_EVIDENCE_HPP
#define MASTERYMAP_EVIDENCE_HPP

#include <cstddef>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <limits>
#include <masterymap/column.hpp>
#include <masterymap/config.hpp>
#include <masterymap/encoding.hpp>
#include <masterymap/error.hpp>
#include <masterymap/progress.hpp>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace masterymap {

/// The evidence kinds every log knows, in code order: pretest, formative, summative,
/// discussion (a teacher's check), observation, self (self-assessment), transfer, placement
/// (a placement or diagnostic result: its score is a level, and it places the learner at that
/// level in the competency's domain; it never rates the competency; see `infer_prerequisites`
/// in policy.hpp and `ingest_checks::level_kinds`), waiver.
///
/// A *waiver* (kind "waiver", or "waiver:" followed by its reason, e.g. "waiver:Tested Out" as
/// the xAPI reader writes a cmi5 `waived` statement) is an authority's decision that the learner
/// need not show the competency: the competency is `exempt` from the waiver's time on, whatever
/// the rule's gatekeepers, unless the counted evidence alone makes it mastered (mastery takes
/// precedence, as for a pre-test exemption). A waiver's score is never counted and its kind is
/// never a rule's confirming kind; a rule whose `ignore_kinds` lists "waiver" ignores every
/// waiver, whatever its reason ("waiver:<reason>": that reason's). Expired mastery leaves the
/// waiver to decide (exempt). Retracting the waiver's source (xAPI voiding) withdraws the
/// exemption. A misspelt waiver kind ("Waiver:x", "wavier:x") is a near-miss of "waiver"
/// (`ingest_checks::near_miss_kinds`), never a new counted kind. `explain`
/// names the waiver, its reason and its source in its notes. Every log takes a waiver kind,
/// whatever its reason (each new reason is a new kind: at most 255 kinds in all).
[[nodiscard]] MASTERYMAP_API const std::vector<std::string>& builtin_kinds();

/// Seconds since 1970-01-01T00:00:00Z of an ISO 8601 date or date-time ("2024-03-01",
/// "2024-03-01T09:30", "2024-03-01 09:30:15.5Z", "2024-03-01T09:30:00+02:00"; no offset =
/// UTC), or of a plain number ("1709251200", "3.5", taken as is). Fractions of a second are
/// kept to the microsecond (rounded half up), so the result is the double nearest the
/// microsecond, as for every other time conversion of the library. Empty when the text is
/// neither, and for eight digits that form a date ("20240910": ISO 8601's basic form or
/// seconds? neither is assumed).
[[nodiscard]] MASTERYMAP_API std::optional<double> parse_time(std::string_view text) noexcept;
/// ISO 8601 UTC text of seconds since the epoch, to the microsecond ("2024-03-01T09:30:00Z",
/// "2024-03-01T09:30:00.500000Z"). Every time is printed as a date, small ones included
/// (3 -> "1970-01-01T00:00:03Z"); years outside 0000-9999 get a sign ("+12024-..."). "NaN",
/// "+inf", "-inf" for non-finite values; beyond about 285,000 years the number ("10000000000000
/// s").
[[nodiscard]] MASTERYMAP_API std::string format_time(double t);
/// Why `t` (seconds since the epoch) is not a time the library takes, as an evidence time or
/// an evaluation time (`as_of`): "" when it is one. Times must be finite and within
/// datetime64[ns] (1677-09-21 to 2262-04-11), so every one converts to a DataFrame; the reason
/// names the range and, for a millisecond epoch of a date in range, says to divide by 1000.
[[nodiscard]] MASTERYMAP_API std::string time_problem(double t);

/// One piece of evidence, owning its strings (the convenient, slow form).
struct evidence {
  evidence() = default;
  evidence(std::string learner_, std::string competency_, double time_, double score_,
           std::string kind_ = "formative", double weight_ = 1.0, std::string source_ = {})
      : learner(std::move(learner_)),
        competency(std::move(competency_)),
        time(time_),
        score(score_),
        kind(std::move(kind_)),
        weight(weight_),
        source(std::move(source_)) {}
  std::string learner;
  std::string competency;
  double time = 0.0;  ///< seconds since the Unix epoch, or any increasing number
  double score = 0.0;
  std::string kind = "formative";
  double weight = 1.0;
  std::string source;  ///< who assessed it (optional)
  /// The time as the evidence first said it, when that was text a reader kept (an xAPI
  /// statement's `timestamp` as written, e.g. "2024-03-01T09:30:00.123+02:00"; `time` is the
  /// same instant in UTC seconds); "" otherwise. Kept by the log (`evidence_log::timestamp_text`)
  /// and shown by `explain`; checked on the way in as `evidence_columns::timestamp` is.
  std::string timestamp;
};

/// A text column of a batch: per-row codes into `names` (the layout of a pandas Categorical or
/// of `pd.factorize`).
struct name_column {
  const std::uint32_t* codes = nullptr;  ///< null: the column is absent (allowed when size is 0)
  std::vector<std::string_view> names;
};

/// A numeric column: either numbers, or codes into texts to parse (CSV, strings from Python).
/// For a score, a text may also be a label of the scale given in `ingest_checks::score_labels`.
struct number_column {
  const double* values = nullptr;
  const std::uint32_t* codes = nullptr;
  std::vector<std::string_view> names;
  [[nodiscard]] bool present() const noexcept { return values != nullptr || codes != nullptr; }
};

/// A borrowed, columnar batch of evidence. learner, competency, time and score are required
/// (unless `size` is 0: an empty batch is a no-op, whatever its columns); kind defaults to
/// "formative", weight to 1, source to "".
struct evidence_columns {
  std::size_t size = 0;
  name_column learner, competency, kind, source;
  number_column time, score, weight;
  /// Empty, or one entry per name of `learner` (`competency`): a non-empty text rejects every
  /// row that uses the name, with that text as the problem's message after "row i: " (e.g.
  /// "non-integral learner id 1.5"). For converters that find an id invalid before it becomes
  /// text (a float column of ids), so the batch still reports every problem at once.
  std::vector<std::string_view> learner_rejected, competency_rejected;
  /// Empty, or one entry per row: the row's time as originally written (an xAPI statement's
  /// timestamp, "2024-03-01T09:30:00.123+02:00"; "" = none), kept by the log
  /// (`evidence_log::timestamp_text`). Another length: std::invalid_argument. A non-empty text
  /// must be an RFC 3339 date-time with a time zone (`io::parse_rfc3339`: what the xAPI reader
  /// takes) denoting the row's `time`: the same instant to the microsecond (both rounded to
  /// whole microseconds, the precision the reader keeps and `format_time` prints, are equal;
  /// or, where a double is coarser than a microsecond (after 2106), the two are adjacent
  /// doubles). Otherwise the row is bad ("row i: timestamp text '...' is not an RFC 3339
  /// date-time ..." or "... denotes <time> but the row's time is <time>", the text's control
  /// characters escaped), reported with every other bad row of the batch (log unchanged).
  std::vector<std::string_view> timestamp;

  /// A batch of one row over the given names (and weight); the caller sets `time` and `score`
  /// as numbers (`values`) or texts (`text_value`). Everything pointed to must outlive the batch.
  [[nodiscard]] MASTERYMAP_API static evidence_columns one_row(std::string_view learner,
                                                               std::string_view competency,
                                                               std::string_view kind,
                                                               std::string_view source,
                                                               const double* weight);
  /// Points a column of a one-row batch at a text to parse.
  MASTERYMAP_API static void text_value(number_column& column, std::string_view text);
};

/// Checks applied to every row of a batch before anything is stored.
struct ingest_checks {
  double min_score = -std::numeric_limits<double>::infinity();  ///< inclusive
  double max_score = std::numeric_limits<double>::infinity();   ///< inclusive
  /// When set, a competency id for which it returns false rejects its rows.
  std::function<bool(std::string_view)> known_competency;
  /// Labels a score text may use (e.g. the scale's ratings): ("Proficient", 3), ...
  std::vector<std::pair<std::string, double>> score_labels;
  /// Accept kinds the log does not know yet (non-empty names, up to 255 kinds in all): they are
  /// added with the batch, so a rejected batch adds none. Otherwise an unknown kind rejects its
  /// rows. (A roster takes any kind its events name.)
  bool accept_new_kinds = false;
  /// With `accept_new_kinds`: kinds a new kind must not be a near-miss of — the same name
  /// ignoring case, '_', '-' and spaces, or (names of 5+ letters) one edit apart (a letter
  /// added, dropped, changed or two swapped). Such a kind rejects its rows naming the known one
  /// ("placemnt" is not a new kind but a misspelt placement, which would count as a score).
  /// A roster sets it to the built-in kinds and the policy's.
  std::vector<std::string> near_miss_kinds;
  /// Kinds a batch may name besides the log's own (without `accept_new_kinds`): added with the
  /// batch, so a rejected batch adds none; any other unknown kind rejects its rows. Checks built
  /// from a policy set it to the policy's kinds (`policy::kinds`: every kind a rule or override
  /// names), so a log checked against a policy knows its gatekeepers ("teacher_check").
  std::vector<std::string> known_kinds;
  /// Kinds whose score is a *level*, not a rating: a placement's score is the level it places
  /// the learner at in the competency's domain (see `infer_prerequisites` in policy.hpp). Such
  /// a row's score must be an integer within +-16,777,216 (exact as stored), given as a number
  /// (a rating label such as "Proficient" is not a level), and is not checked against
  /// [min_score, max_score]. The `*_unchecked` appends check it too (a log's own check: one log,
  /// one answer, whichever way it is appended).
  std::vector<std::string> level_kinds{"placement"};
  /// What the message of a score text that is neither a number nor (`score_labels` empty) a
  /// label says after "bad score 'X' (not a number; ": why no scale's labels were at hand and
  /// how to give them, in the caller's terms. Empty: "to use the labels of a scale, pass its
  /// policy: policy= in Python, ingest_checks::score_labels in C++". The command line names
  /// its -p/--policy option, or the policy file whose scale could not be read.
  std::string no_labels_hint;
  /// Threads that validate and write a batch of at least 262,144 rows (smaller ones take one):
  /// 0 = hardware concurrency. A roster sets it to `roster_options::threads`.
  unsigned threads = 0;
};

/// A batch was rejected; nothing was stored. `problems()` has one entry per (row, reason), and
/// `rows()[i]` is the 0-based row of `problems()[i]` within the batch (for a CSV file: the data
/// row, the header not counted). A batch read from a file also has `lines()[i]`, the 1-based
/// line that row starts on (empty for other batches).
class MASTERYMAP_VISIBLE evidence_error : public validation_error {
 public:
  MASTERYMAP_API evidence_error(std::vector<problem> problems, std::vector<std::size_t> rows,
                                std::vector<std::size_t> lines = {});
  [[nodiscard]] const std::vector<std::size_t>& rows() const noexcept { return rows_; }
  [[nodiscard]] const std::vector<std::size_t>& lines() const noexcept { return lines_; }

 private:
  std::vector<std::size_t> rows_;
  std::vector<std::size_t> lines_;
};

namespace detail {
struct evidence_access;  // src/evidence_impl.hpp
}  // namespace detail

/// How `evidence_log::read_csv` reads a CSV: the column names (the knowledge-tracing convention
/// is {"user_id", "skill_name", "order_id", "correct"}) and the text encoding.
struct csv_columns {
  std::string learner = "learner";
  std::string competency = "competency";
  std::string time = "time";
  std::string score = "score";
  std::string kind = "kind";      ///< optional column
  std::string weight = "weight";  ///< optional column
  std::string source = "source";  ///< optional column
  /// Optional column: each row's time as originally written (`evidence_columns::timestamp`:
  /// "" = none, else an RFC 3339 date-time denoting the row's time, checked as that column
  /// is), the column `EvidenceLog.to_dataframe()` writes for a log with such texts.
  std::string timestamp = "timestamp";
  /// UTF-8 is checked (a bad byte is a parse_error with its position); Latin-1 and cp1252 are
  /// transcoded to UTF-8.
  text_encoding encoding = text_encoding::utf8;
  /// The field separator: ',' (CSV), '\t' (tab-separated, as Excel's "Unicode text" is) or ';'
  /// (CSV where the decimal mark is a comma). Not '"', CR or LF (std::invalid_argument).
  char delimiter = ',';
};

/// What a stored piece of evidence carries besides learner, competency, time and score. Distinct
/// (kind, weight, source) triples are interned once, so each event stores one 32-bit index.
struct evidence_attributes {
  std::uint8_t kind = 1;  ///< code into `evidence_log::kinds()`
  float weight = 1.0F;
  std::uint32_t source = 0;  ///< code into `evidence_log::sources()` (0 = "")
  /// The source is retracted (`evidence_log::retract`): events with these attributes stay in
  /// the log but no rating counts them. Follows from the source; not part of the interned key.
  bool retracted = false;
};

/// A retraction: the evidence whose `source` is the given id (an xAPI statement id) no longer
/// counts; `by` is what retracted it (the voiding statement's id; "" when unknown).
struct retraction {
  std::string source;
  std::string by;
  friend bool operator==(const retraction& a, const retraction& b) {
    return a.source == b.source && a.by == b.by;
  }
  friend bool operator!=(const retraction& a, const retraction& b) { return !(a == b); }
};

/// What one `evidence_log::append_statements` (or `roster::ingest_statements`) did.
struct statements_summary {
  std::size_t rows = 0;         ///< rows added
  std::size_t duplicates = 0;   ///< rows already in the log (same source, same content): skipped
  std::size_t retracted = 0;    ///< sources newly retracted (a repeated retraction is not counted)
  std::size_t rows_voided = 0;  ///< rows of the log those retractions void
};

/// Append-only, columnar evidence of many learners.
///
/// Each event stores learner (uint32), competency (uint32), time (double), score (float) and an
/// attribute index (uint32): 24 bytes. Learner, competency, kind and source strings are interned;
/// the log knows nothing of frameworks or policies (pass `ingest_checks` to validate against them,
/// or see `masterymap::checks_for` in engine.hpp).
///
/// Aggregation order is observation time, ties by insertion order (`seq` = row index).
/// Every append validates the whole batch first and gives the strong guarantee; appending
/// without the checks of a framework and scale is explicit (`append_unchecked` ...).
///
/// Thread safety: const members may be called from any number of threads at once while nothing
/// changes the log. `add`, `append`, `append_row`, `append_coded`, `append_csv`, `read_csv` (and
/// their `*_unchecked` forms), `add_kind`, `reserve`, `shrink_to_fit` and assignment change it
/// and need exclusive access
/// (they may move the columns: references and column views taken before are then invalid).
/// Large batches are validated and written on internal worker threads.
class MASTERYMAP_API evidence_log {
 public:
  evidence_log();
  /// Also accepts the given custom kinds (besides the built-ins).
  explicit evidence_log(const std::vector<std::string>& extra_kinds);
  evidence_log(const evidence_log&);
  evidence_log(evidence_log&&) noexcept;
  evidence_log& operator=(const evidence_log&);
  evidence_log& operator=(evidence_log&&) noexcept;
  ~evidence_log();

  /// Accepts a custom evidence kind (at most 255 kinds in all). Idempotent.
  /// \throws std::length_error past 255 kinds; std::invalid_argument on an empty name.
  void add_kind(std::string_view name);
  [[nodiscard]] const std::vector<std::string>& kinds() const noexcept;
  [[nodiscard]] std::optional<std::uint8_t> kind_code(std::string_view name) const noexcept;

  // Every append checks its rows against `checks`: the framework's competencies, the scale's
  // score range and labels (`engine::checks()`, `checks_for(framework, policy)`), so a score
  // off the scale (or a time and a score given the wrong way round) is rejected. The
  // `*_unchecked` forms skip those checks on purpose, for evidence already known to be good:
  // they keep only the log's own checks (non-empty ids, finite time and score, a known kind, a
  // weight >= 0, a placement's score a level: `ingest_checks::level_kinds`).

  /// Appends one piece of evidence. \throws masterymap::evidence_error (log unchanged).
  void add(const evidence& e, const ingest_checks& checks);
  /// `add` without checks against a framework or scale (see above).
  void add_unchecked(const evidence& e);
  /// Appends rows (none: a no-op). \throws masterymap::evidence_error listing every bad row (log
  /// unchanged).
  void append(const std::vector<evidence>& rows, const ingest_checks& checks);
  /// `append` without checks against a framework or scale (see above).
  void append_unchecked(const std::vector<evidence>& rows);
  /// Appends a columnar batch; a batch of 0 rows is a no-op. \throws masterymap::evidence_error
  /// listing every bad row (log unchanged); std::invalid_argument if a required column is
  /// missing from a non-empty batch. Complexity: O(rows + distinct names).
  /// Progress (progress.hpp) in rows, counted twice: validated, then written; cancelling leaves
  /// the log unchanged.
  void append(const evidence_columns& batch, const ingest_checks& checks,
              const progress& progress = {});
  /// `append` without checks against a framework or scale (see above).
  void append_unchecked(const evidence_columns& batch, const progress& progress = {});

  /// Appends one piece of evidence given by parts: the same result (and the same errors) as a
  /// one-row columnar batch, without staging a batch (for event-at-a-time ingestion).
  /// \throws masterymap::evidence_error (log unchanged).
  void append_row(std::string_view learner, std::string_view competency, double time, double score,
                  std::string_view kind, double weight, std::string_view source,
                  const ingest_checks& checks);

  /// Appends one piece of evidence by codes into the log's own tables (`learner_codes()` etc.,
  /// `kind_code`, `sources()`): no name lookups. Competencies are not checked against a
  /// framework (the codes are the log's own); scores, times and weights are checked as by
  /// `append`. \throws masterymap::evidence_error (log unchanged), also for a code out of range.
  void append_coded(std::uint32_t learner, std::uint32_t competency, double time, double score,
                    std::uint8_t kind, double weight, std::uint32_t source,
                    const ingest_checks& checks);

  /// Appends the rows of a CSV text with a header line (RFC 4180 quoting; UTF-8 with an
  /// optional BOM, or `columns.encoding`).
  /// \throws masterymap::parse_error (line, column, and the 0-based data row where one applies)
  ///         for malformed CSV, invalid UTF-8, compressed input or a missing column;
  ///         masterymap::evidence_error for bad values and for rows whose field count is not
  ///         the header's ("row 3 (line 5): has 3 fields, the header has 4"): every such row
  ///         in one list, in file order (0-based data rows and their lines).
  /// Progress (progress.hpp) in bytes of the text, counted twice: parsed, then validated.
  void append_csv(std::istream& in, const csv_columns& columns, const ingest_checks& checks,
                  const progress& progress = {});
  /// `append_csv` without checks against a framework or scale (see above).
  void append_csv_unchecked(std::istream& in, const csv_columns& columns = {},
                            const progress& progress = {});
  /// As append_csv, from a file; a gzip-compressed file (.csv.gz) is decompressed.
  /// \throws masterymap::file_error when the file cannot be opened or read.
  void read_csv(const std::string& path, const csv_columns& columns, const ingest_checks& checks,
                const progress& progress = {});
  /// `read_csv` without checks against a framework or scale (see above).
  void read_csv_unchecked(const std::string& path, const csv_columns& columns = {},
                          const progress& progress = {});

  // --- retraction (xAPI voiding) and statements ------------------------------------------------
  // The log stays append-only: a retraction is an event of its own, keyed by the evidence
  // `source` (the statement id). Every event whose source is retracted stays in the log (`at`,
  // the columns, `==`, snapshots keep it), but no rating counts it (engine::evaluate, ratings,
  // update; roster ingest and queries); `explain` lists it as voided, naming `by`. A retraction
  // of a source not (yet) in the log is kept: an event with that source appended later is
  // retracted on arrival (xAPI: a voided statement stays voided, whichever arrives first).
  // Retracting a retracted source again changes nothing (the first `by` is kept). The
  // evaluation time of a log (its latest event time) still counts retracted events.

  /// Retracts the evidence whose source is `source`.
  /// \returns whether it matched evidence in the log (now voided). false: the log has no
  ///          evidence with that source yet (a typo, or a void that came before its statement:
  ///          the retraction is kept and voids that evidence when it comes, as xAPI requires;
  ///          `pending_retractions` lists it), or the source was retracted before (nothing
  ///          changes).
  /// \throws std::invalid_argument for an empty source (evidence without a source cannot be
  ///         retracted); the log is then unchanged.
  /// Complexity: O(attribute triples) (each event's flag is its attribute triple's).
  bool retract(std::string_view source, std::string_view by = {});
  /// Retracts every source of `batch`, all or nothing (every entry is checked first).
  /// \returns the number of sources newly retracted.
  /// \throws std::invalid_argument naming the first empty source (log unchanged).
  std::size_t retract(const std::vector<retraction>& batch);
  /// Retractions in the order they were made (one per source: the first).
  [[nodiscard]] const std::vector<retraction>& retractions() const noexcept;
  /// The retractions that match no evidence of the log (yet), in the order they were made: a
  /// void waiting for its statement, or a source given by mistake. O(attribute triples +
  /// retractions).
  [[nodiscard]] std::vector<retraction> pending_retractions() const;
  /// Whether `source` is retracted. O(1).
  [[nodiscard]] bool retracted(std::string_view source) const noexcept;
  /// The retraction of `source`, if any. O(1).
  [[nodiscard]] const retraction* retraction_of(std::string_view source) const noexcept;
  /// Whether row `i` is retracted. \throws std::out_of_range
  [[nodiscard]] bool row_retracted(std::size_t i) const;

  // --- timestamp texts ------------------------------------------------------------------------
  // A row appended with a `timestamp` text (`evidence_columns::timestamp`, `evidence::timestamp`:
  // an xAPI statement's timestamp as written) keeps it, sparsely: the log stores, for those rows
  // only, the row number (8 bytes), where the text ends (8 bytes) and its bytes; a log that never
  // saw one stores nothing per row. Snapshots (version 7), copies, `==` and records keep them.
  // Every text is checked on the way in (`evidence_columns::timestamp`): an RFC 3339 date-time
  // denoting the row's time to the microsecond.

  /// Row `i`'s time as originally written ("2024-03-01T09:30:00.123+02:00"), "" when it has
  /// none. O(log(rows with a text)). \throws std::out_of_range
  [[nodiscard]] std::string_view timestamp_text(std::size_t i) const;
  /// The rows with a timestamp text, ascending.
  [[nodiscard]] const std::vector<std::uint64_t>& timestamp_rows() const noexcept;

  /// Appends statement evidence (xAPI: one row per statement, `source` = statement id), then
  /// applies `voids`; idempotent across batches: a row whose non-empty source is already in the
  /// log (its first row with that source) or earlier in the batch with the same content is
  /// skipped; with another content it is an error. The content is the evidence the statement
  /// produced: learner, competency, time, score, kind, weight (as stored: score and weight as
  /// float) and the timestamp text (compared when both rows have one: a row stored without a
  /// text, e.g. by a snapshot older than version 7, takes any). Nothing else of the statement
  /// is kept, so a statement sent again with, say, another activity description but the same
  /// evidence is a repeat (within one `io::parse_xapi` batch the statements themselves are
  /// compared, as JSON values). Rows without a source are appended as by
  /// `append`. (`append` itself keeps every row: a source there may be an assessor's name that
  /// many rows share.)
  /// All or nothing: \throws masterymap::evidence_error listing every bad row (as `append`),
  /// or every conflicting duplicate ("row i: statement '<id>' was ingested before with other
  /// content: score 0.8 (was 0.6)", or "timestamp '...' (was '...')", ids: the source; scores
  /// and weights print as the shortest text of the stored float ("0.6", not
  /// "0.6000000238418579"), followed by the value as sent, "(sent 0.60000001)", when the
  /// batch's number or text differs from that), or
  /// every void whose target is itself a voiding statement (a `by` of the log's retractions or
  /// of `voids`: xAPI forbids voiding a voiding statement) — log unchanged;
  /// std::invalid_argument for an empty source in `voids` (log unchanged).
  /// Complexity: O(rows + new log rows since the last call (the source index) + attribute
  /// triples when `voids` is not empty).
  /// Progress (progress.hpp) as `append`.
  statements_summary append_statements(const evidence_columns& batch,
                                       const std::vector<retraction>& voids,
                                       const ingest_checks& checks, const progress& progress = {});

  // --- access --------------------------------------------------------------------------------
  [[nodiscard]] std::size_t size() const noexcept;
  [[nodiscard]] bool empty() const noexcept { return size() == 0; }
  /// Raw columns (row i = event i, in insertion order).
  [[nodiscard]] const column<std::uint32_t>& learner_codes() const noexcept;
  [[nodiscard]] const column<std::uint32_t>& competency_codes() const noexcept;
  [[nodiscard]] const column<double>& times() const noexcept;
  [[nodiscard]] const column<float>& scores() const noexcept;
  [[nodiscard]] const column<std::uint32_t>& attribute_codes() const noexcept;
  [[nodiscard]] const std::vector<evidence_attributes>& attributes() const noexcept;
  /// Interned names, by code.
  [[nodiscard]] const std::vector<std::string>& learners() const noexcept;
  [[nodiscard]] const std::vector<std::string>& competencies() const noexcept;
  [[nodiscard]] const std::vector<std::string>& sources() const noexcept;
  [[nodiscard]] std::optional<std::uint32_t> learner_code(std::string_view id) const noexcept;
  [[nodiscard]] std::optional<std::uint32_t> competency_code(std::string_view id) const noexcept;
  /// Row i as an owning record. \throws std::out_of_range
  [[nodiscard]] evidence at(std::size_t i) const;
  /// Latest observation time in the log (NaN when empty).
  [[nodiscard]] double max_time() const noexcept;
  /// Bytes held by the per-event columns (capacity), excluding the small interned tables.
  [[nodiscard]] std::size_t event_bytes() const noexcept;
  /// Bytes of the interned tables (names and attribute triples) and of the timestamp texts.
  [[nodiscard]] std::size_t table_bytes() const noexcept;
  /// Releases spare column capacity.
  void shrink_to_fit();
  /// Reserves room for `n` more events.
  void reserve(std::size_t n);

  /// The same kinds, interned names in the same code order (learners, competencies, sources),
  /// the same rows in the same order (learner, competency, time, score, kind, weight,
  /// source) and the same retractions in the same order. Complexity: O(rows + names).
  friend MASTERYMAP_API bool operator==(const evidence_log& a, const evidence_log& b);
  friend bool operator!=(const evidence_log& a, const evidence_log& b) { return !(a == b); }

  struct impl;

 private:
  friend struct detail::evidence_access;
  std::unique_ptr<impl> impl_;
};

/// "evidence_log: N events, L learners, C competencies".
[[nodiscard]] MASTERYMAP_API std::string to_string(const evidence_log& log);

}  // namespace masterymap

#endif  // MASTERYMAP_EVIDENCE_HPP
