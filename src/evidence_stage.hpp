// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// Staging a batch against an evidence log's tables without changing them, shared by the
// columnar append (evidence_batch.cpp) and the append of another log (evidence_log_append.cpp):
// the names a batch's rows use, their provisional codes, the kinds and how the rows are written.
#ifndef MASTERYMAP_SRC_EVIDENCE_STAGE_HPP
#define MASTERYMAP_SRC_EVIDENCE_STAGE_HPP

#include <cstddef>
#include <cstdint>
#include <limits>
#include <masterymap/evidence.hpp>
#include <string_view>
#include <vector>

#include "evidence_impl.hpp"
#include "memory_util.hpp"
#include "progress_meter.hpp"

namespace masterymap::detail {

/// Kinds are stored in one byte.
inline constexpr std::size_t max_kinds = 255;

/// Batches of at least this many rows are validated and written on several threads.
inline constexpr std::size_t parallel_rows = std::size_t{1} << 18;

/// Maps a batch's name table onto codes of `t` without changing `t`: names not yet in the
/// table get provisional codes after its end, in order of first appearance in `names`; names
/// no row uses (`used`) are left out (their code is never read).
struct staged_names {
  std::vector<std::uint32_t> code;
  std::vector<std::string_view> fresh;
  void stage(const table& t, const std::vector<std::string_view>& names,
             const std::vector<std::uint8_t>& used, meter& m) {
    code.resize(names.size());
    basic_table<std::string_view> local;  // the batch's new names, in order of first appearance
    for_blocks(0, names.size(), check_block, &m, [&](std::size_t first, std::size_t last) {
      for (std::size_t j = first; j < last; ++j) {
        if (used[j] == 0) {
          code[j] = std::numeric_limits<std::uint32_t>::max();
          continue;
        }
        if (auto c = t.find(names[j])) {
          code[j] = *c;
          continue;
        }
        if (local.names.empty()) local.reserve(names.size() - j);
        code[j] = static_cast<std::uint32_t>(t.names.size()) + local.intern(names[j]);
      }
    });
    fresh = std::move(local.names);
  }
  void commit(table& t) const {
    t.reserve(t.names.size() + fresh.size());
    for (auto n : fresh) t.intern(n);
  }
};

/// A batch's kind names mapped onto the log's kinds (`ingest_checks`' rules), per name:
/// `code` the log's code (provisional for a new kind, added on commit from `fresh`), -1 unknown,
/// -2 a new kind past the 255th, -3 a near-miss of a known kind (`near` says which); `level` 1
/// for a level kind (ingest_checks::level_kinds). Names no row uses are left out.
struct staged_kinds {
  std::vector<int> code;
  std::vector<std::string_view> near;
  std::vector<std::uint8_t> level;
  std::vector<std::string_view> fresh;
  bool any_level = false;
  void stage(const table& kinds, const std::vector<std::string_view>& names,
             const std::vector<std::uint8_t>& used, const ingest_checks& checks);
};

/// Appends value_at(0), ..., value_at(n - 1) to a log column, on huge pages populated block by
/// block just before they are written (a column is written once, at memory bandwidth).
/// `counted`: advances `m` by the rows written.
template <typename Column, typename F>
void append_column(Column& col, std::size_t n, meter& m, const F& value_at, bool counted = false) {
  constexpr std::size_t block = std::size_t{1} << 18;
  advise_huge_pages(col.data() + col.size(), n * sizeof(*col.data()));
  for_blocks(0, n, block, &m, [&](std::size_t first, std::size_t last) {
    prefault(col.data() + col.size(), (last - first) * sizeof(*col.data()));
    append_generated(col, last - first, [&](std::size_t i) { return value_at(first + i); });
    if (counted) m.advance(last - first);
  });
}

/// Appends `values[0, n)` to a log column, as append_column does.
template <typename Column, typename T>
void append_copy(Column& col, std::size_t n, meter& m, const T* values, bool counted = false) {
  constexpr std::size_t block = std::size_t{1} << 18;
  advise_huge_pages(col.data() + col.size(), n * sizeof(*col.data()));
  for_blocks(0, n, block, &m, [&](std::size_t first, std::size_t last) {
    prefault(col.data() + col.size(), (last - first) * sizeof(*col.data()));
    col.insert(col.end(), values + first, values + last);
    if (counted) m.advance(last - first);
  });
}

/// Appends every row of `from` to `to` as `to.append(columns of from, checks)` would (the same
/// log afterwards: names, codes, attributes in the same order), without expanding `from`'s
/// attribute codes into per-row kind, source and weight columns: names and attribute triples
/// are checked once each, the rows in one pass over their compact columns (24 bytes a row, on
/// every core), then copied with their codes remapped. Returns false, changing nothing, when it
/// cannot vouch for the batch — a bad row (the columnar append then lists every problem), a row
/// of a level kind (checked row by row there), timestamp texts, or `from` being `to` — and the
/// caller takes the columnar path. Rows only: `from`'s retractions are the caller's.
/// Advances `m` by 2 per row (checked, written). O(rows + names + attributes).
bool append_log_rows(evidence_log& to, const evidence_log& from, const ingest_checks& checks,
                     meter& m);

}  // namespace masterymap::detail

#endif  // MASTERYMAP_SRC_EVIDENCE_STAGE_HPP
