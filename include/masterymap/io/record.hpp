// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
#ifndef MASTERYMAP_IO_RECORD_HPP
#define MASTERYMAP_IO_RECORD_HPP

#include <cstddef>
#include <masterymap/config.hpp>
#include <masterymap/io/credentials.hpp>
#include <masterymap/migrate.hpp>
#include <masterymap/roster.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

/// The portable learner record (a "data backpack"): one learner's evidence, ratings and
/// explanations as versioned JSON that another roster (another school) imports.
///
/// The record (version 2; a record none of whose rows has a `timestamp` is written as version
/// 1, the format before timestamps, and both versions are read), keys in this order
/// (`export_record` writes them so; numbers are shortest round-trip decimals, scores and weights
/// those of the stored 32-bit floats):
/// - `"type": "masterymap.learner_record"`, `"version"`: 2 (or 1), `"learner"`: the learner id.
/// - `"framework"`: the reference of the framework the record was made on: `name`, `sha256`
///   (hex SHA-256 of the framework's native JSON, `framework::to_json(-1)`) and, when it came
///   from CASE, `case`: the CFDocument's `identifier`, `uri`, `version`, `title` and
///   `lastChangeDateTime` (the fields the package has).
/// - `"policy"`: the policy (its native JSON, `policy::to_json`).
/// - `"as_of"`: the evaluation time of the ratings (seconds since the Unix epoch, UTC).
/// - `"evidence"`: every evidence row of the learner in the log, in log order: `competency`,
///   `time` (seconds), `score`, `kind`, `weight`, `source` (e.g. the xAPI statement id) and,
///   only for a row that has one, `timestamp`: the time as the statement wrote it
///   ("2024-03-01T09:30:00.123+02:00", `evidence_log::timestamp_text`; version 2).
/// - `"voided"`: the retractions of the learner's sources (`{"source": <statement id>, "by":
///   <voiding statement id>}`, `evidence_log::retract`), in the log's order; the retracted rows
///   stay in `"evidence"`, and `read_record` retracts them again in the same batch.
/// - `"ratings"`: one entry per competency the learner is not `not_started` on or has
///   evidence on, in framework order: `competency`, `status`, `score` (null: none), `rating`
///   (a label of the scale, or null) and `explanation` (`learner_state::explain`: `decided_by`,
///   `rule`, `rule_scope`, `method`, `value`, `threshold`, `exceeds`, `as_of`, `evidence` as
///   `{row, used, reason}` where `row` indexes the record's `evidence`, `unmet`, `notes`,
///   `rollup`, `children`, `inferred_from`, `text`). Log rows in the notes and the text are
///   those record rows too ("(row 3)" = `evidence[3]`), so a record does not depend on the other
///   learners of the roster it came from.
/// - `"credential"`: the learner's unsigned CLR 2.0 ClrCredential (`io::clr`), or null (no
///   issuer given, or nothing earned).
namespace masterymap::io {

/// How `export_record` writes a record.
struct record_options {
  /// The evaluation time of the ratings; default: the roster's (`roster::as_of`).
  std::optional<double> as_of;
  /// The credential part: written when `credential.issuer` is set and the learner has
  /// earned something (see `clr`); null otherwise.
  credential_options credential;
  int indent = -1;  ///< JSON indentation (-1: compact)
};

/// One learner's record (JSON text) from `r` (see the format above).
/// \throws masterymap::unknown_id_error (kind "learner") for a learner the roster does not
///         have; std::invalid_argument for bad credential options (as `clr`).
/// Complexity: O(rows of the log) to find the learner's rows, plus one `explain` per rated
///         competency, plus the CLR.
[[nodiscard]] MASTERYMAP_API std::string export_record(const roster& r, std::string_view learner,
                                                       const record_options& options = {});

/// How `read_record` imports a record.
struct record_read_options {
  /// The edition the record was made on, when it is not the roster's framework: its evidence
  /// is migrated (`migrate`) from it to the roster's framework through `intermediate`
  /// editions (oldest first). It must match the record's framework reference.
  const framework* old_edition = nullptr;
  std::vector<const framework*> intermediate;
  split_rule split = split_rule::copy;
  /// Import even when the record's policy differs from the roster's: the roster's policy rates
  /// the evidence (`record_import::differences` lists the ratings that came out otherwise).
  bool allow_other_policy = false;
  /// Refuse a record whose ratings its own evidence does not reproduce (a tampered or corrupt
  /// record): \throws masterymap::validation_error naming, per competency, the learner, the
  /// competency and the stored vs recomputed rating; the roster is then unchanged. Default on:
  /// a record is evidence of what a learner mastered, and a rating nothing backs should not
  /// enter a roster silently. Off: imported, `record_import::differences` lists them. Not
  /// applied when `allow_other_policy` is set and the policy does differ (then differences are
  /// expected), nor when migrating (ratings are not compared).
  /// The same holds for the credential part: its bundled credentials' achievements must be the
  /// competencies the recomputed ratings earn, each stating the recomputed rating (see
  /// `read_record`); strict: a mismatch is a validation_error naming "/credential/...", off:
  /// listed in `record_import::differences`.
  bool strict = true;
};

/// What `read_record` did.
struct record_import {
  std::string learner;
  std::size_t rows = 0;  ///< evidence rows ingested into the roster
  /// Rows of the record that repeat a statement (same id, same content; see `read_record`):
  /// skipped.
  std::size_t duplicates = 0;
  ingest_summary ingest;
  double as_of = 0.0;     ///< the record's evaluation time
  bool migrated = false;  ///< the evidence went through `migrate`
  /// What the migration remapped (`migrate`'s decisions; empty without migration).
  std::vector<migration_decision> decisions;
  /// `revisions`' notes on the editions (migration only).
  std::vector<std::string> notes;
  /// Without migration: the roster's engine rates the learner at the record's `as_of` from the
  /// record's evidence and compares every rating and explanation with the record's: the
  /// competencies whose entry differs (a different policy or probability source, or with
  /// `strict` off an edited record), in framework order; then (`strict` off, or another
  /// policy) each way the credential part does not match the recomputed ratings, as
  /// "/credential/<JSON path>: <what>" (see `read_record`). Empty: every rating and
  /// explanation was reproduced exactly and the credential claims exactly what they earn.
  std::vector<std::string> differences;
  std::string credential;  ///< the record's credential (JSON text), "" when null
};

/// Imports a record (JSON text) into `target`: its ratings are verified (see `record_import`,
/// `record_read_options::strict`), then its evidence (migrated when the record was made on
/// `options.old_edition`) is ingested as one batch with the record's retractions ("voided").
/// Sources that are statement ids, i.e. UUIDs (8-4-4-4-12 hex digits, bare or "urn:uuid:"; xAPI
/// requires statement ids to be UUIDs), follow the statement-id rules of
/// `roster::ingest_statements`: a statement id the roster already has, or that two of the
/// record's rows carry, with another content (learner, competency, time, score, kind, weight,
/// as stored) is an error naming the id and the differing values, and with the same content
/// counts once (`duplicates`). Other sources (an assessor's name many rows share) are kept as
/// by `roster::ingest`.
/// Without migration the credential part (when not null) is compared with the recomputed
/// ratings: each bundled credential (`credentialSubject.verifiableCredential[i]`, an object)
/// must claim, by its achievement's `humanCode` (what `clr` writes: the competency id), a
/// different competency the learner has earned (mastered, exceeded or exempt), every
/// mastered or exceeded competency must have one (exempt ones all or none, as
/// `credential_options::include_exempt`), and each achievement of the CLR's
/// `credentialSubject.achievement` list must be one of those claimed, and each claimed
/// credential's Result must state the recomputed rating (`result[j].achievedLevel`: the id of
/// the achievement's `resultDescription` level whose `level` is the rating's label, as `clr`
/// writes it; "/credential/.../credentialSubject/result/<j>/achievedLevel: the credential
/// states the rating 'Proficient', the record's evidence rates 'Advanced' (recomputed)").
/// Its structure (contexts, types, date-times, OB 3.0 value rules) is not checked here: the
/// Python `masterymap.io.read_record` checks it first with `masterymap.io.read_credential`'s
/// own checker, which is Python (bindings/python/masterymap/_credentials.py). Not ported
/// because (1) a C++ copy would be a second implementation of the same schema-derived rules
/// to keep in step (one implementation would mean moving read_credential's checker itself to
/// C++); (2) its messages quote values as Python's repr() does ("got ['VerifiableCredential']",
/// "{'en': 1}"), which C++ could reproduce for ASCII text, lists, objects, booleans and
/// numbers but not exactly for non-printable non-ASCII characters (Python's Unicode
/// printable table) or integers beyond 64 bits (read here as doubles). A C++ caller that
/// needs the structure check runs it before calling `read_record`.
/// All or nothing: on any error the roster is unchanged.
/// \throws masterymap::parse_error: not JSON (line and column), not a learner record, another
///         version, or a field missing or of the wrong type (its JSON path, e.g.
///         "/evidence/3/time: expected a number");
///         masterymap::validation_error: the framework reference does not match the roster's
///         framework and no `old_edition` is given (or `old_edition` does not match it either),
///         the record's policy differs from the roster's (without `allow_other_policy`), or
///         the learner is already in the roster, or (`strict`) a rating the record's evidence
///         does not reproduce, or a credential that claims what the recomputed ratings do not
///         earn ("/credential/credentialSubject/verifiableCredential/3/credentialSubject/
///         achievement/humanCode: the credential claims 'FR5.divunit', which the record's
///         evidence does not earn ...") — each problem naming its JSON path;
///         masterymap::evidence_error: evidence or ratings naming competencies the framework
///         (the old edition when migrating) does not have, or rows the roster refuses, each
///         problem naming "/evidence/<i>: ..." with `rows()` the record's evidence indices,
///         among them a statement id used before with other content ("/evidence/2: statement
///         '<id>' was ingested before with other content: learner 'ann' (was 'bo')", or "...
///         is also /evidence/0 with other content: ...").
/// Complexity: O(record) plus one `roster::ingest` of its rows and one evaluation of the
///         learner (with `explain` per rated competency); the credential check is
///         O(credential + competencies).
MASTERYMAP_API record_import read_record(roster& target, std::string_view text,
                                         const record_read_options& options = {});

}  // namespace masterymap::io

#endif  // MASTERYMAP_IO_RECORD_HPP
