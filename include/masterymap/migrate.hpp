// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
#ifndef MASTERYMAP_MIGRATE_HPP
#define MASTERYMAP_MIGRATE_HPP

// Revisions between framework editions (CASE `replacedBy`) and the migration of learner evidence
// from one edition to another. This sits above the framework and the evidence log (it reads
// both), so it is a top-level header, not part of masterymap/io (which sits on the framework
// only).

#include <cstddef>
#include <masterymap/config.hpp>
#include <masterymap/evidence.hpp>
#include <masterymap/framework.hpp>
#include <masterymap/roster.hpp>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace masterymap {

/// How an item of the old edition relates to the new edition, resolved over every step.
enum class revision_kind : std::uint8_t {
  same,  ///< the same CASE identifier in every edition (no `replacedBy` on the way); its code,
         ///< and so its competency id, may still differ (`migrate` then says "renamed")
  one_to_one,  ///< replaced by exactly one item that replaces nothing else (one step)
  chain,       ///< one-to-one over two or more steps (e.g. 2019 -> 2021 -> 2024)
  split,       ///< a split at some step (several successors then), even if later steps merged the
               ///< parts back or retired some of them: `split_rule` applies
  merge,       ///< replaced by one item that also replaces other old items (no split on the way)
  none,        ///< no successor in the new edition (retired)
};
/// "same", "one_to_one", "chain", "split", "merge", "none".
[[nodiscard]] MASTERYMAP_API const char* to_string(revision_kind kind) noexcept;
/// The kind a `to_string` name names. \throws std::invalid_argument for another name.
[[nodiscard]] MASTERYMAP_API revision_kind parse_revision_kind(std::string_view name);

/// One old item and its successors in the new edition.
struct revision {
  std::string old_id;                ///< competency id in the old edition
  std::vector<std::string> new_ids;  ///< competency ids in the new edition (in package order)
  revision_kind kind = revision_kind::none;
  /// The kind of each step (one per pair of consecutive editions), for the record: a split at
  /// 2021 then a merge at 2024 is {split, merge}. A step's kind is that of the item or items
  /// the old item had become by then (the worst of them: split > merge > one_to_one > same >
  /// none). `kind` agrees with them: none when there is no successor; else split when a step
  /// is split; else same when every step is same; else merge when a step is merge or the
  /// successor also has other old items; else chain when two or more steps changed it; else
  /// one_to_one.
  std::vector<revision_kind> steps;

  friend bool operator==(const revision& a, const revision& b) {
    return a.old_id == b.old_id && a.new_ids == b.new_ids && a.kind == b.kind && a.steps == b.steps;
  }
  friend bool operator!=(const revision& a, const revision& b) { return !(a == b); }
};

/// The revision map between two framework editions: every competency of the old edition, in
/// its order, with its successors in the new one. Built by `revisions`.
class MASTERYMAP_API revision_map {
 public:
  revision_map() = default;
  /// A map from its parts (as `entries()`, `new_items()`, `editions()` give them back; e.g.
  /// unpickled). Nothing is checked beyond the ids. \throws std::invalid_argument when two
  /// entries share an old id.
  revision_map(std::vector<revision> entries, std::vector<std::string> new_items,
               std::vector<std::string> editions);
  /// One entry per competency of the old edition, in the old edition's order.
  [[nodiscard]] const std::vector<revision>& entries() const noexcept { return entries_; }
  /// \throws masterymap::unknown_id_error if `old_id` is not a competency of the old edition.
  [[nodiscard]] const revision& at(std::string_view old_id) const;
  [[nodiscard]] bool contains(std::string_view old_id) const noexcept;
  /// The old edition's ids, in its order (the `old_id` of each entry). O(n).
  [[nodiscard]] std::vector<std::string> old_ids() const;
  /// `at(old_id).new_ids`, `.kind` and `.steps` (the names the Python binding uses).
  /// \throws masterymap::unknown_id_error if `old_id` is not a competency of the old edition.
  [[nodiscard]] const std::vector<std::string>& successors(std::string_view old_id) const {
    return at(old_id).new_ids;
  }
  [[nodiscard]] revision_kind kind(std::string_view old_id) const { return at(old_id).kind; }
  [[nodiscard]] const std::vector<revision_kind>& steps(std::string_view old_id) const {
    return at(old_id).steps;
  }
  /// Old ids with no successor (kind none), in the old edition's order.
  [[nodiscard]] std::vector<std::string> no_successor() const;
  /// Ids of the new edition no old item leads to (new items), in the new edition's order; an
  /// item the new package keeps but replaces (deprecated, the origin of one of its `replacedBy`
  /// links) is not new.
  [[nodiscard]] const std::vector<std::string>& new_items() const noexcept { return new_items_; }
  /// Labels of the editions, oldest first (see `revisions`).
  [[nodiscard]] const std::vector<std::string>& editions() const noexcept { return editions_; }

  /// Same entries, new items and editions.
  friend bool operator==(const revision_map& a, const revision_map& b) {
    return a.entries_ == b.entries_ && a.new_items_ == b.new_items_ && a.editions_ == b.editions_;
  }
  friend bool operator!=(const revision_map& a, const revision_map& b) { return !(a == b); }

 private:
  friend MASTERYMAP_API revision_map revisions(const framework&, const framework&,
                                               const std::vector<const framework*>&,
                                               std::vector<std::string>*);
  std::vector<revision> entries_;
  std::unordered_map<std::string, std::size_t> index_;
  std::vector<std::string> new_items_;
  std::vector<std::string> editions_;
};

/// The revision map from `old_edition` to `new_edition`, through the `intermediate` editions
/// (oldest first; each must be non-null), from the `replacedBy` associations of the editions
/// (CASE: origin = the superseded item, destination = the item that replaces it; the
/// association lives in the newer package and points into the older one).
///
/// Items are matched by CASE identifier and URI (metadata `case:identifier`, `case:uri`; a
/// competency without them is its own id), never by code: a code may name a different item in a
/// later edition. A link's end is the competency id when the item is in the package, else its
/// URI (as `io::read_case` keeps it); an unknown URI stands for the identifier in its last
/// segment, or else for the `identifier` its CASE node gives (metadata "case:json").
/// An edition's label is its name (for a CASE package, the CFDocument title).
///
/// Resolution, edition by edition (step s: edition s to edition s+1), for each item of edition s:
/// an item that is in edition s+1 stays (same) unless that package replaces it by an item of
/// edition s+1 (a deprecated item kept beside its successor); otherwise it follows its
/// `replacedBy` links, transitively, until items of edition s+1 that stay. The links of an item are
/// those of the oldest package newer than edition s that has any for it (so a package carrying its
/// whole history, A -> X and X -> Y, resolves A without the edition that held X, and a revert A ->
/// X then X -> A over two editions is no cycle); failing that, those of edition s or an older
/// edition (misplaced links, each followed with a note). A hop may be an item of no given edition.
/// An item whose links lead nowhere has no successor. Steps compose transitively (see
/// `revision::steps`).
///
/// `notes`, when given, receives one line per link that was not used or was used against the
/// CASE placement (a link in an older package, a reversed link, an end in no given edition, a
/// missing intermediate edition) and a hint when `old_edition` holds `replacedBy` links from
/// items of `new_edition` (the editions swapped).
///
/// \throws masterymap::cycle_error when the `replacedBy` links of one package, or the links one
///         step follows, form cycles: every cycle at once, each named (first id repeated at the
///         end; ids in the older edition's codes where known; problem kind invalid_value,
///         message "replacedBy cycle: A -> B -> A (links of 'E2')"); std::invalid_argument
///         for a null edition.
/// Complexity: O(total items + total associations) per edition step.
[[nodiscard]] MASTERYMAP_API revision_map
revisions(const framework& old_edition, const framework& new_edition,
          const std::vector<const framework*>& intermediate = {},
          std::vector<std::string>* notes = nullptr);

/// What `migrate` does with the evidence of an item that was split.
enum class split_rule : std::uint8_t {
  copy,   ///< a copy of each row goes to every successor (default)
  first,  ///< the rows go to the first successor (in package order) only
  drop,   ///< the rows are dropped (reported)
};

/// One decision of `migrate`: what happened to the rows of one old competency (its placement
/// rows, kind "placement", have a decision of their own).
struct migration_decision {
  std::string old_id;
  std::vector<std::string> new_ids;  ///< where the rows went (empty: dropped)
  /// "same" (id and identifier unchanged), "renamed" (same identifier, new code: re-keyed),
  /// "moved" (one-to-one or chain: re-keyed), "split", "merged", "dropped" (no successor, a
  /// split under split_rule::drop, or a placement whose domain the new edition lacks),
  /// "placed" (placement rows re-keyed to their domain's placement competency in the new
  /// edition).
  std::string action;
  revision_kind kind = revision_kind::none;
  std::size_t rows = 0;     ///< rows of the old competency in the input
  std::size_t written = 0;  ///< rows written for it (rows x successors under split_rule::copy)
  std::string domain;       ///< for placement rows: the domain placed in (else empty)
};

/// The result of `migrate`.
struct migration {
  evidence_log log;
  /// One per old competency with rows (and one more for its placement rows), in log order.
  std::vector<migration_decision> decisions;
  /// Learners with rows in the input and none in the result (every row dropped), in log order.
  std::vector<std::string> emptied_learners;
};

/// Re-keys `log` (evidence on `old_edition`'s competencies) to `new_edition` under `map` (built
/// by `revisions` from `old_edition` to `new_edition`).
///
/// The rule (what a teacher expects): evidence on an old item counts for what the item became.
/// - same / one-to-one / chain: each row moves to the successor.
/// - merge: every predecessor's rows go to the merged item, so the engine rates the merged item
///   on all of them together (in time order, by the policy's method): evidence on the parts is
///   evidence on the whole.
/// - split: by `split` (default `copy`: the old, broader item was assessed as a whole, so each
///   narrower successor gets a copy of each row; `first`: only the first successor; `drop`: none,
///   so the split items start unrated).
/// - no successor: the rows are dropped and reported.
/// - placement rows (kind "placement", `roster::place`) place a learner in a domain, not on one
///   competency: they move to the placement competency of the same domain in the new edition
///   (its first leveled academic competency, as `roster::place` chooses), whatever became of
///   their old competency; when the new edition has no such domain they are dropped (never
///   moved into another domain).
/// Every row keeps learner, time, score, kind and weight; a moved row's source records where it
/// came from: "<original source>; migrated from <old id> (<old edition label>)", or "migration
/// from <old id> (<label>)" when the original source was empty, so `explain` shows "by teacher;
/// migrated from FR.2 (2019)" or "by migration from FR.2 (2019)" (a label longer than 60
/// characters is cut, with "..."). Rows of an unchanged item (same id) keep their source. Row
/// order is kept (a split row's copies are adjacent). Learners whose rows were all dropped are
/// listed in `emptied_learners`.
///
/// \throws masterymap::validation_error listing every competency of the log that is not in
///         `old_edition` (unknown_id), every one that `map` lacks and every successor not in
///         `new_edition` (the map is from other editions: the message names the map's editions
///         and says when they look swapped); `log` is never changed (the result is a new log).
/// Complexity: O(rows x successors + competencies).
[[nodiscard]] MASTERYMAP_API migration migrate(const evidence_log& log,
                                               const framework& old_edition,
                                               const framework& new_edition,
                                               const revision_map& map,
                                               split_rule split = split_rule::copy);

/// The result of `migrate` for a roster.
struct roster_migration {
  masterymap::roster roster;
  std::vector<migration_decision> decisions;
  /// Learners of the input roster with no evidence left: not in the new roster (a roster has no
  /// learner without evidence), so they are listed here.
  std::vector<std::string> emptied_learners;
};

/// `migrate` of a roster's evidence (`r.log()`): a new roster on `new_edition` with the same
/// policy and options (threads, fixed `as_of`, probability source) that has ingested the migrated
/// log, so its ratings, frontier and `explain` (which shows each migrated row's source) are those
/// of the new edition. Same rule, report and errors as for a log; also \throws
/// masterymap::policy_error when the roster's policy does not fit `new_edition` (e.g. an override
/// or rollup names an old id: migrate the policy first). `r` is never changed.
/// Complexity: that of `migrate` plus one `roster::ingest` of the migrated log.
[[nodiscard]] MASTERYMAP_API roster_migration migrate(const roster& r, const framework& old_edition,
                                                      const framework& new_edition,
                                                      const revision_map& map,
                                                      split_rule split = split_rule::copy);

}  // namespace masterymap

#endif  // MASTERYMAP_MIGRATE_HPP
