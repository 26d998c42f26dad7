// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
#ifndef MASTERYMAP_IO_XAPI_HPP
#define MASTERYMAP_IO_XAPI_HPP

#include <cstddef>
#include <cstdint>
#include <map>
#include <masterymap/config.hpp>
#include <masterymap/evidence.hpp>
#include <masterymap/framework.hpp>
#include <masterymap/scale.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

/// xAPI (Experience API) statements in as evidence. Specification: xAPI 1.0.3 (adlnet/xAPI-Spec,
/// xAPI-Data.md) and IEEE 9274.1.1-2023 (xAPI 2.0). The statement rules are procedural (a JSON
/// Schema misses most of them), so they are coded here, each rejection naming the JSON path
/// (RFC 6901 pointer into the statement, e.g. "/actor/mbox") and the rule broken.
namespace masterymap::io {

/// Which edition's rules a statement is checked against. 2.0 accepts every 1.0.3 statement the
/// two editions agree on (a `version` of "1.0.x" or "2.0.x"); 1.0.3 refuses what 2.0 added
/// (`context.contextAgents`, `context.contextGroups`, a `version` of "2.0.x").
enum class xapi_version : std::uint8_t { v1_0_3, v2_0 };

/// One rule a statement breaks: `path` (JSON pointer, "" = the statement itself) and `rule`.
struct xapi_problem {
  std::string path;
  std::string rule;
  friend bool operator==(const xapi_problem& a, const xapi_problem& b) {
    return a.path == b.path && a.rule == b.rule;
  }
};

/// The times a statement's evidence may have: seconds since the epoch, `first` to `last`, both
/// included; `holder` names what sets the limit, for the message ("/timestamp:
/// 2263-01-01T00:00:00Z is outside the times <holder> can hold"). The Python binding sets what
/// a pandas `datetime64[ns]` column holds (1677-09-21 to 2262-04-11); C++ callers have the
/// whole range unless they set one.
struct xapi_time_range {
  double first = 0, last = 0;
  std::string holder;
};

/// Checks one statement (JSON text of one object) against the specification's rules:
/// - every object has only the properties the specification lists (unknown keys rejected,
///   keys are case-sensitive) and no `null` value (except inside extensions);
/// - actor, verb and object are required; an Agent has exactly one inverse functional
///   identifier (mbox "mailto:" IRI, mbox_sha1sum 40 hex digits, openid URI, account with
///   homePage IRL and name), an identified Group exactly one, an anonymous Group none and a
///   non-empty `member` list of Agents; an authority is an Agent or an anonymous Group of two
///   Agents; a team is a Group;
/// - IRIs (verb, activity, types, extension keys, ...) are absolute (a scheme, no blanks, every
///   "%" a pct-encoded "%" HEXDIG HEXDIG: "http://x.org/%zz" is not an IRI);
///   UUIDs are 8-4-4-4-12 hex digits; language maps have RFC 5646 tags (well-formed, no
///   repeated extension singleton or variant) with string values;
/// - timestamps are RFC 3339 date-times with a time zone (Z or +-hh:mm; the "unknown offset"
///   forms -00, -0000, -00:00 rejected) and a valid calendar date;
/// - durations are ISO 8601 (PnYnMnDTnHnMnS, or PnW alone: "P4W" valid, "P4W1D" not);
/// - score: scaled in [-1, 1], min < max, raw within [min, max];
/// - interactionType one of the ten names (case-sensitive); interaction components
///   {id, description};
/// - a SubStatement has no id, stored, version or authority and no SubStatement object;
///   the "voided" verb takes a StatementRef object; context revision and platform only with an
///   Activity object; `version` 1.0.x (or 2.0.x under 2.0).
/// With `time_range`, the time the reader would take (the timestamp, else `stored`) outside it
/// is a problem at "/timestamp" (or "/stored").
/// Complexity: O(size of the statement).
/// \throws masterymap::parse_error for text that is not one JSON value (line, column).
[[nodiscard]] MASTERYMAP_API std::vector<xapi_problem> validate_xapi_statement(
    std::string_view json, xapi_version version = xapi_version::v2_0,
    const std::optional<xapi_time_range>& time_range = std::nullopt);

/// What happens to a negative `result.score.scaled` (xAPI allows [-1, 1]; evidence fractions
/// are [0, 1]).
enum class xapi_negative : std::uint8_t {
  reject,   ///< the statement is rejected with the reason (default)
  zero,     ///< taken as 0
  rescale,  ///< (scaled + 1) / 2 for every scaled score
};

/// How actors become learner ids. Both rules write a mailto IRI with its domain in lower case
/// and its local part as sent: the domain is case-insensitive (RFC 5321 2.4; xAPI Data 2.3.1
/// exception 7), so "mailto:ann@EXAMPLE.org" is the learner "mbox:mailto:ann@example.org", one
/// person one learner in every batch. `mbox_sha1sum` is kept as sent (a hash of what the
/// sender hashed).
enum class xapi_learner : std::uint8_t {
  /// "<ifi>:<value>": "mbox:mailto:a@example.org", "mbox_sha1sum:<hex>", "openid:<uri>",
  /// "account:<homePage>|<name>" (default: distinct identifiers never collide).
  ifi,
  /// the value alone: the mailto IRI, the hash, the openid URI, the account's name.
  value,
};

/// How statements become evidence (see `read_xapi`).
struct xapi_mapping {
  xapi_version version = xapi_version::v2_0;
  /// Activity id (IRI) -> competency id. Checked first.
  std::map<std::string, std::string, std::less<>> alignment;
  /// When set, activity ids that are a competency's `case:uri` metadata (a framework read from
  /// CASE) map to that competency, and every competency id is checked against it.
  const framework* competencies = nullptr;
  xapi_learner learner = xapi_learner::ifi;
  /// Overrides of the learner rule: learner text (as the rule gives it, a mailto domain in
  /// lower case) -> learner id.
  std::map<std::string, std::string, std::less<>> learners;
  /// Verb id -> evidence kind; "" = the verb creates no rating evidence. Verbs not listed take
  /// `default_kind` ("" = none). `default_verb_kinds()` is the starting table.
  std::map<std::string, std::string, std::less<>> verb_kinds;
  std::string default_kind = "formative";
  /// When set, fractions (scaled, or raw within min..max) become scores through
  /// `scale::from_fraction`, and success/failure default to the mastery rating / the rating
  /// below it. Unset: the fraction is the score; success 1, failure 0.
  std::optional<scale> score_scale;
  std::optional<double> success_score, failure_score;
  /// Score of a statement with only `completion: true` (unset: no evidence); `completion:
  /// false` alone never creates evidence.
  std::optional<double> completion_score;
  xapi_negative negative = xapi_negative::reject;
  /// An activity nothing aligns: skip the statement (true, noted) or reject it.
  bool skip_unaligned = true;
  /// The time of a statement with neither timestamp nor stored (unset: such a statement is
  /// rejected); e.g. the time the statements were exported.
  std::optional<double> default_time;
  /// When set, a row's time (from the timestamp, `stored` or `default_time`) outside it is an
  /// error of its statement ("/timestamp: <text> is outside the times <holder> can hold"),
  /// listed with the batch's others. Unset: any time.
  std::optional<xapi_time_range> time_range;
  /// cmi5 (cmi5 specification, "cmi5 Runtime"): AUs aligned through their publisher id, and
  /// the result rules of cmi5 defined statements.
  /// - The AU of a statement is the first activity of `context.contextActivities.grouping` whose
  ///   id is a key of `cmi5_aus` (cmi5 9.6.2.3: the LMS puts the AU's publisher id there, and
  ///   the object id is the LMS's activityId, which must differ from it, 8.1.5.0-3/6); failing
  ///   that, the object id when it is a key of `cmi5_aus` (statements that use the publisher id
  ///   as their object). A statement whose object id `alignment` (or `case:uri`) aligns takes
  ///   that competency; otherwise it takes its AU's: `alignment[AU id]` when listed, else
  ///   `cmi5_aus[AU id]` ("" = the AU has no objective: unaligned).
  /// - The rules apply to cmi5 defined statements, those with the category activity
  ///   https://w3id.org/xapi/cmi5/context/categories/cmi5 (cmi5 9.6.2.1); cmi5 allowed
  ///   statements (without it) are mapped as plain xAPI. A score only on passed and failed
  ///   (9.5.1.0-2); `success` true on passed and waived (9.5.2.0-1), false on failed
  ///   (9.5.2.0-2), absent on the others (9.5.2.0-3); `completion` true on completed and waived
  ///   (9.5.3.0-1), absent on the others (9.5.3.0-2); `passed` with a scaled score below the
  ///   mastery score (the statement's context extension masteryScore, else
  ///   `mastery_scores[AU id]`) rejected (9.3.4.0-2), as is `failed` at or above it (9.3.5.0-2).
  ///   `result.duration` present on terminated, completed, passed, failed (9.5.4.1-1..4) and
  ///   abandoned (https://w3id.org/xapi/adl/verbs/abandoned, 9.5.4.2-1); other verbs may carry
  ///   it. The moveOn category activity
  ///   https://w3id.org/xapi/cmi5/context/categories/moveon in the category list of every cmi5
  ///   defined statement whose result has `success` or `completion` (9.6.2.2-1), and in no
  ///   contextActivities list of any other statement, cmi5 allowed ones included (9.6.2.2-2).
  ///   Each problem names the statement, line, JSON path and section. Not checked: the
  ///   per-session and per-registration order and uniqueness rules of 9.3.0 (they need state
  ///   across statements and batches).
  bool cmi5 = false;
  std::map<std::string, double, std::less<>> mastery_scores;  ///< AU id -> masteryScore
  /// AU id (publisher id, course structure) -> competency ("" = no objective).
  std::map<std::string, std::string, std::less<>> cmi5_aus;
  /// Threads reading JSON lines of 8 MB or more (0 = every core); the result never depends
  /// on it.
  unsigned threads = 0;
};

/// The verb table every mapping starts from: ADL's passed, failed, mastered -> "summative";
/// completed, answered, scored, attempted, experienced, progressed, responded -> "formative";
/// the session and bookkeeping verbs (launched, initialized, terminated, abandoned, suspended,
/// resumed, satisfied, voided, registered, interacted) -> "" (no rating evidence); cmi5's
/// w3id verbs https://w3id.org/xapi/adl/verbs/ abandoned, satisfied -> "" too; its waived ->
/// "waiver" (a waiver, "waiver:<reason>" when the statement gives its reason; map waived to ""
/// to take no waivers).
[[nodiscard]] MASTERYMAP_API std::map<std::string, std::string, std::less<>> default_verb_kinds();

/// A column of strings kept in one buffer (no allocation per row): `[i]` is a view into it,
/// valid until the column is changed or destroyed. `chars()` holds the strings back to back,
/// `ends()[i]` where string i ends (it starts at `ends()[i - 1]`, or 0).
class text_column {
 public:
  [[nodiscard]] std::string_view operator[](std::size_t i) const noexcept {
    const std::size_t b = i == 0 ? 0 : ends_[i - 1];
    return {chars_.data() + b, ends_[i] - b};
  }
  [[nodiscard]] std::size_t size() const noexcept { return ends_.size(); }
  [[nodiscard]] bool empty() const noexcept { return ends_.empty(); }
  void push_back(std::string_view s) {
    chars_.append(s);
    ends_.push_back(chars_.size());
  }
  void append(const text_column& other) {
    const std::size_t at = chars_.size();
    chars_.append(other.chars_);
    for (const std::size_t e : other.ends_) ends_.push_back(at + e);
  }
  void reserve(std::size_t rows, std::size_t chars) {
    ends_.reserve(rows);
    chars_.reserve(chars);
  }
  [[nodiscard]] const std::string& chars() const noexcept { return chars_; }
  [[nodiscard]] const std::vector<std::size_t>& ends() const noexcept { return ends_; }

 private:
  std::string chars_;
  std::vector<std::size_t> ends_;
};

/// Statements read as evidence: one row per rating evidence, columns of equal length, plus
/// what the batch said besides (voids, exemptions, skipped statements).
struct xapi_evidence {
  std::vector<std::string> learners, competencies, kinds, verbs, activities;  ///< interned names
  std::vector<std::uint32_t> learner, competency, kind, verb, activity;       ///< codes, per row
  std::vector<double> time;            ///< seconds since the epoch (UTC)
  std::vector<double> score;           ///< on the scale
  text_column source;                  ///< statement id ("" when the statement has none)
  text_column timestamp;               ///< as written in the statement
  std::vector<std::size_t> statement;  ///< index of the statement in the batch
  /// 1: a voiding statement of the same batch voids this row's statement (its id is in
  /// `voided`). The row stays, as it stays in the log: `statement_batch` ingests it and the
  /// retraction, so ratings ignore it and `explain` lists it as voided (and a learner record
  /// carries both). Code that reads the rows itself skips these.
  std::vector<std::uint8_t> retracted;
  /// Voiding statements: (statement index, id of the statement voided), one per voiding
  /// statement, so a target voided by two statements (or by one sent twice without an id,
  /// which cannot be told from a repeat) is listed twice; Python's `attrs["voided"]` lists
  /// each target once.
  std::vector<std::pair<std::size_t, std::string>> voided;
  /// The same voids as retractions for the log: (id voided, id of the voiding statement), in
  /// `voided` order (see `statement_batch`; a repeated retraction is not counted twice).
  std::vector<retraction> retractions;
  /// `waived` statements (cmi5), each also a row of a waiver kind (see `read_xapi`): index,
  /// learner, competency, reason (result extension
  /// https://w3id.org/xapi/cmi5/result/extensions/reason, "" when absent), timestamp text.
  struct waiver {
    std::size_t statement;
    std::string learner, competency, reason, timestamp;
  };
  std::vector<waiver> waived;
  /// Statements that created no evidence: (index, why), voiding statements included ("a
  /// voiding statement: voids <id>"): with the rows'
  /// `statement` indices and the errors, every statement of the batch is accounted for.
  std::vector<std::pair<std::size_t, std::string>> skipped;
  [[nodiscard]] std::size_t size() const noexcept { return time.size(); }
};

/// Reads statements (a JSON array of statement objects, one statement object, or JSON lines:
/// one statement per line, blank lines allowed) and maps them to evidence:
/// - actor (an Agent) -> learner by `mapping.learner` (+ `learners`); a Group actor: skipped;
/// - object activity id -> competency via `alignment`, else the competency whose `case:uri`
///   is that id; unaligned: skipped (noted) or rejected (`skip_unaligned`);
/// - `result.score.scaled`, else `raw` within `min`..`max` -> fraction -> score; else `success`
///   -> success/failure score; else `completion: true` -> completion score; a statement
///   without any is skipped; a negative scaled score follows `negative`; a raw score without
///   min and max is rejected;
/// - timestamp (else stored) -> time (UTC seconds; offsets converted), the text kept; neither:
///   `default_time` (unset: rejected); verb -> kind by `verb_kinds`; statement id -> source;
/// - a statement whose verb is "voided" is listed in `voided` (the row of the statement it
///   voids, when that is in the same batch, stays and is flagged in `retracted`);
/// - a statement whose verb maps to a waiver kind (the default table maps ADL's "waived" to
///   "waiver") gives a row of kind "waiver:<reason>" (the cmi5 reason extension; "waiver"
///   without one) with the success score, and is listed in `waived`: a waiver, which the engine
///   applies as an exemption (see `builtin_kinds` in evidence.hpp);
/// - with `mapping.cmi5`, AUs are found through the grouping activity and cmi5 defined
///   statements are checked (see `xapi_mapping::cmi5`).
/// A voiding statement gives no row: it is listed in `skipped` ("a voiding statement: voids
/// <id>"), so rows and `skipped` account for every statement; one that voids itself is an error.
/// Statement ids (and the targets of voids) are kept in lower case: UUIDs are case-insensitive
/// (RFC 4122 section 3; xAPI Data 2.4.1), so the same id in another case is the same statement
/// here and in the log (its statement-id dedupe and pending voids see the lower-case text).
/// The same id twice in a batch with the same content counts once (noted in `skipped`); with
/// a different content it is an error naming the first difference ("/result/score/scaled: 0.8
/// vs 0.6"). Content here is the statement as a JSON value: object members in any order,
/// numbers by value (1, 1.0 and 1e0 are equal), strings by their characters (escapes
/// resolved), arrays in order, under xAPI Data 2.3.1's Statement Comparison Requirements
/// (differences its exceptions to immutability could cause are ignored): `stored`,
/// `authority`, `version`, `attachments`, a `timestamp` only one side has, Activity
/// `definition`s, a Verb's `display`, timestamps as instants, Group members in any order, case
/// in UUIDs, language tags and mailto domains. Across batches the log compares the evidence the
/// statements produced, timestamp text included (`evidence_log::append_statements`): the log keeps
/// no statements, so a statement resent with only a non-evidence field changed (a description) is a
/// repeat there, not an error. All or nothing: \throws masterymap::evidence_error listing every bad
/// statement (rows() = statement indices, lines() = 1-based lines where the statement starts,
/// messages "statement i: <path>: <rule>", for JSON lines "statement i (line n): <path>: <rule>");
/// masterymap::parse_error for malformed JSON ("xAPI statements: syntax error at line L,
/// column C: <reason>", L and C in the whole input, also line() and column(); invalid UTF-8
/// and NUL bytes too; a UTF-8 BOM at a line start is skipped); std::invalid_argument when
/// `mapping.learners` maps a learner to "". Messages escape control characters (\u0000).
/// Complexity: O(input size) (simdjson DOM, one parse per statement). JSON lines of 8 MB or
/// more are read in parts (4 MB at least, up to 4 per thread, handed out as threads become
/// free) and joined in statement order: the result never depends on `mapping.threads`.
[[nodiscard]] MASTERYMAP_API xapi_evidence parse_xapi(std::string_view text,
                                                      const xapi_mapping& mapping = {});
/// Statement evidence as a batch for `evidence_log::append_statements` and
/// `roster::ingest_statements`, which make ingestion idempotent by statement id across batches
/// and honour the voids across batches (the log keeps the voided rows, ratings ignore them,
/// `explain` lists them as voided):
///
///     const io::statement_batch b(io::read_xapi(path, mapping));
///     roster.ingest_statements(b.columns, b.retractions());
///
/// `columns` points into `evidence` and into this object: both must outlive its use. Every row
/// has weight `weight`; its timestamp text (`xapi_evidence::timestamp`) goes with it
/// (`evidence_columns::timestamp`), so the log keeps it and `explain` shows it. O(rows).
class MASTERYMAP_API statement_batch {
 public:
  explicit statement_batch(const xapi_evidence& evidence, double weight = 1.0);
  statement_batch(const statement_batch&) = delete;  // `columns` points into this object
  statement_batch& operator=(const statement_batch&) = delete;
  [[nodiscard]] const std::vector<retraction>& retractions() const noexcept {
    return evidence_->retractions;
  }
  evidence_columns columns;

 private:
  const xapi_evidence* evidence_;
  std::vector<std::uint32_t> source_codes_;
  std::vector<double> weight_;
};

/// `parse_xapi` of a file. A plain file is memory-mapped and read where it lies (no copy; the
/// pages come in as the reading threads reach them); a .gz file (by its magic number) is
/// decompressed into memory first. \throws masterymap::file_error.
[[nodiscard]] MASTERYMAP_API xapi_evidence read_xapi(const std::string& path,
                                                     const xapi_mapping& mapping = {});

/// Seconds since the epoch (UTC, to the microsecond) of an RFC 3339 date-time with a time zone
/// ("2024-03-01T09:30:00.5+02:00" -> 07:30:00.5Z); empty for anything else, the unknown-offset
/// forms (-00, -0000, -00:00) and impossible dates (Feb 30) included. A leap second (seconds
/// 60, RFC 3339 5.6/5.7) is taken where one can occur, at 23:59:60 UTC (the offset applied:
/// "1990-12-31T15:59:60-08:00" too), and denotes the instant after 23:59:59 as POSIX time
/// counts it, 00:00:00 of the next day ("2016-12-31T23:59:60Z" == "2017-01-01T00:00:00Z");
/// whether that day really ended in a leap second is not checked. Seconds 60 at another
/// minute are refused.
[[nodiscard]] MASTERYMAP_API std::optional<double> parse_rfc3339(std::string_view text) noexcept;

}  // namespace masterymap::io

#endif  // MASTERYMAP_IO_XAPI_HPP
