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
  same,        ///< the same CASE identifier in both editions (no `replacedBy` on the way)
  one_to_one,  ///< replaced by exactly one item that replaces nothing else (one step)
  chain,       ///< one-to-one over two or more steps (e.g. 2019 -> 2021 -> 2024)
  split,       ///< replaced by several items
  merge,       ///< replaced by one item that also replaces other old items
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
  /// none).
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
  /// Old ids with no successor (kind none), in the old edition's order.
  [[nodiscard]] std::vector<std::string> no_successor() const;
  /// Ids of the new edition no old item leads to (new items), in the new edition's order.
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
                                               const std::vector<const framework*>&);
  std::vector<revision> entries_;
  std::unordered_map<std::string, std::size_t> index_;
  std::vector<std::string> new_items_;
  std::vector<std::string> editions_;
};

/// The revision map from `old_edition` to `new_edition`, through the `intermediate` editions
/// (oldest first; each must be non-null), from the `replacedBy` associations of the newer
/// editions (CASE: origin = the superseded item, in the older package; destination = the new
/// item; the association lives in the newer package).
///
/// Items are matched by CASE identifier and URI (metadata `case:identifier`, `case:uri`; a
/// competency without them is its own id), never by code: a code may name a different item in a
/// later edition. A link's end is the competency id when the item is in the package, else its
/// URI (as `io::read_case` keeps it). Per step, an old item with `replacedBy` links goes to their
/// destinations; else to the item of the next edition with its identifier (unchanged); else
/// nowhere. Steps compose transitively. An edition's label is its name (for a CASE
/// package, the CFDocument title).
///
/// \throws masterymap::cycle_error when the `replacedBy` links of any edition form cycles: every
///         cycle at once, each named (first id repeated at the end; problem kind invalid_value,
///         message "replacedBy cycle: A -> B -> A"); std::invalid_argument for a null edition.
/// Complexity: O(total items + total associations) per edition step.
[[nodiscard]] MASTERYMAP_API revision_map
revisions(const framework& old_edition, const framework& new_edition,
          const std::vector<const framework*>& intermediate = {});

/// What `migrate` does with the evidence of an item that was split.
enum class split_rule : std::uint8_t {
  copy,   ///< a copy of each row goes to every successor (default)
  first,  ///< the rows go to the first successor (in package order) only
  drop,   ///< the rows are dropped (reported)
};

/// One decision of `migrate`: what happened to the rows of one old competency.
struct migration_decision {
  std::string old_id;
  std::vector<std::string> new_ids;  ///< where the rows went (empty: dropped)
  /// "same" (id unchanged), "moved" (one-to-one or chain: re-keyed), "split", "merged",
  /// "dropped" (no successor, or a split under split_rule::drop).
  std::string action;
  revision_kind kind = revision_kind::none;
  std::size_t rows = 0;     ///< rows of the old competency in the input
  std::size_t written = 0;  ///< rows written for it (rows x successors under split_rule::copy)
};

/// The result of `migrate`.
struct migration {
  evidence_log log;
  std::vector<migration_decision> decisions;  ///< one per old competency with rows, in log order
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
/// Every row keeps learner, time, score, kind and weight; a moved row's source records where it
/// came from: "migrated from <old id> (<old edition label>)", after the original source and "; "
/// if there was one, so `explain` shows it ("by teacher; migrated from FR.2 (2019)"). Rows of an
/// unchanged item (kind same, same id) keep their source. Row order is kept (a split row's copies
/// are adjacent).
///
/// \throws masterymap::validation_error listing every competency of the log that is not in
///         `old_edition` (unknown_id), and every successor not in `new_edition` (the map was built
///         from other editions); `log` is never changed (the result is a new log).
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
