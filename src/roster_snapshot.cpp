// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// roster: writing the binary snapshot (roster::save, to a file; roster::to_bytes, the same
// format in memory; the format is described in roster_snapshot.hpp, reading it in
// roster_restore.cpp); and roster equality.
#include "roster_snapshot.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <masterymap/roster.hpp>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "binary_io.hpp"
#include "encoding_detail.hpp"
#include "file_util.hpp"
#include "memory_util.hpp"
#include "progress_meter.hpp"
#include "roster_impl.hpp"

namespace masterymap {

using detail::nan_v;
using namespace detail::snapshot;

namespace {

// Writes a file (atomically), or appends to a string in memory, or only counts the bytes.
struct writer : detail::value_writer<writer> {
  std::optional<detail::atomic_file> out;
  std::string* mem = nullptr;
  std::size_t* count = nullptr;
  detail::checksum sum;
  detail::meter* m = nullptr;  // progress: bytes of the arrays written while `metered`
  bool metered = false;
  explicit writer(const std::string& path) { out.emplace(path, snapshot_what); }
  explicit writer(std::string& to) : mem(&to) {}
  explicit writer(std::size_t& n) : count(&n) {}
  // Bytes that are not checksummed (the checksum itself).
  void raw(const void* p, std::size_t n) {
    if (count)
      *count += n;
    else if (mem)
      mem->append(static_cast<const char*>(p), n);
    else
      out->write(p, n);
  }
  void bytes(const void* p, std::size_t n) {
    if (!count) sum.update(p, n);
    raw(p, n);
  }
  // The base's array, advancing the meter slice by slice on large arrays.
  template <typename T, typename A>
  void array(const std::vector<T, A>& v) {
    pod(static_cast<std::uint64_t>(v.size()));
    if (m == nullptr || !metered) {
      if (!v.empty()) bytes(v.data(), v.size() * sizeof(T));
      return;
    }
    const auto* p = reinterpret_cast<const char*>(v.data());
    for (std::size_t done = 0, n = v.size() * sizeof(T); done < n;) {
      const auto k = static_cast<std::size_t>(std::min<std::uint64_t>(slice, n - done));
      bytes(p + done, k);
      done += k;
      m->advance(k);
    }
  }
};

// The names a snapshot stores must read back: refused before anything is written.
void check_names(const std::vector<std::string>& names, const char* what) {
  for (std::size_t i = 0; i < names.size(); ++i)
    if (const std::size_t at = detail::find_invalid_utf8(names[i]); at != detail::npos)
      throw std::invalid_argument(fmt::format(
          "roster snapshot: {} name #{} is not valid UTF-8 (byte 0x{:02X} at offset {})", what, i,
          static_cast<unsigned>(static_cast<unsigned char>(names[i][at])), at));
}
}  // namespace

// --- snapshot ------------------------------------------------------------------------------------

namespace {

// What a snapshot holds besides the roster's own columns, computed once per write.
struct snapshot_parts {
  std::string framework, policy;
  std::vector<std::uint8_t> ak;  // the attribute triples (kind, weight, source) as columns
  std::vector<float> aw;
  std::vector<std::uint32_t> as;
  // The tables, sparse: only cells that differ from "not started, no score, no rating".
  std::vector<std::uint64_t> cell;
  std::vector<std::uint8_t> cst;
  std::vector<double> csc;
  std::vector<std::int8_t> crt;

  // Progress on `m` (if any): 11 units per table cell scanned. The cell lists (cell, cst, csc,
  // crt) only for a file of the cell-list format (`cell_lists`: versions 4 and 5).
  explicit snapshot_parts(const roster::impl& d, bool cell_lists, detail::meter* m = nullptr) {
    const evidence_log& log = d.log;
    check_names(log.kinds(), "kind");
    check_names(log.learners(), "learner");
    check_names(log.competencies(), "competency");
    check_names(log.sources(), "source");
    {
      std::vector<std::string> by;
      for (const auto& x : log.retractions()) by.push_back(x.by);
      check_names(by, "retraction");
    }
    framework = d.engine.framework().to_json(0);
    policy = d.engine.policy().to_json(0);
    for (const auto& a : log.attributes()) {
      ak.push_back(a.kind);
      aw.push_back(a.weight);
      as.push_back(a.source);
    }
    if (cell_lists) make_cell_lists(d, m);
  }

  void make_cell_lists(const roster::impl& d, detail::meter* m) {
    static_assert(sizeof(status) == 1, "status is one byte");
    // The stored cells are exactly the cells that differ from the default, ascending by
    // learner then competency: the format of the dense tables' scan, written from the rows.
    std::size_t total = 0;
    for (const auto& v : d.cells) total += v.size();
    cell.reserve(total);
    cst.reserve(total);
    csc.reserve(total);
    crt.reserve(total);
    const std::size_t C = d.competencies;
    detail::for_blocks(0, d.cells.size(), std::max<std::size_t>(1, detail::check_block / (C + 1)),
                       m, [&](std::size_t b, std::size_t e) {
                         for (std::size_t l = b; l < e; ++l) {
                           // The stored cells and the inferred bits, merged by competency.
                           const auto& v = d.cells[l];
                           std::size_t k = 0;
                           const auto put = [&](index_t c, status st, double score,
                                                std::int8_t rating) {
                             cell.push_back(static_cast<std::uint64_t>(l) * C + c);
                             cst.push_back(static_cast<std::uint8_t>(st));
                             csc.push_back(score);
                             crt.push_back(rating);
                           };
                           const auto put_cells_below = [&](std::size_t c) {
                             for (; k < v.size() && v[k].competency < c; ++k)
                               put(v[k].competency, v[k].status, v[k].score, v[k].rating);
                           };
                           d.each_inferred(l, [&](index_t c) {
                             put_cells_below(c);
                             put(c, status::inferred, nan_v, std::int8_t{-1});
                           });
                           put_cells_below(C);
                         }
                         if (m != nullptr) m->advance(11 * (e - b) * C);
                       });
  }
};

// The log's timestamp texts (version 7): the rows that have one (ascending), where each text
// ends, and the texts back to back.
void write_timestamps(const evidence_log& log, writer& w) {
  const auto& rows = log.timestamp_rows();
  std::vector<std::uint64_t> ends;
  std::string chars;
  ends.reserve(rows.size());
  for (const std::uint64_t r : rows) {
    chars.append(log.timestamp_text(static_cast<std::size_t>(r)));
    ends.push_back(chars.size());
  }
  w.array(rows);
  w.array(ends);
  w.str(chars);
}

// The evidence log: its name tables (code order), attribute triples and row columns (24 bytes
// a row). The same layout in every version; read back by saved_log::read.
void write_log(writer& w, const evidence_log& log, const snapshot_parts& p) {
  w.strings(log.kinds());
  w.strings(log.learners());
  w.strings(log.competencies());
  w.strings(log.sources());
  w.array(p.ak);
  w.array(p.aw);
  w.array(p.as);
  w.metered = true;  // the log's columns: 24 bytes a row
  w.array(log.learner_codes());
  w.array(log.competency_codes());
  w.array(log.times());
  w.array(log.scores());
  w.array(log.attribute_codes());
  w.metered = false;
}

// The log's retractions (versions 5 and 6): the sources retracted, and by what.
void write_retractions(writer& w, const evidence_log& log) {
  std::vector<std::string> sources, by;
  for (const auto& x : log.retractions()) {
    sources.push_back(x.source);
    by.push_back(x.by);
  }
  w.strings(sources);
  w.strings(by);
}

// Version 6's tables: per learner its cell count, the inferred bits, the cells as in memory.
// Progress: 11 units per table cell (as the cell lists' scan).
void write_tables(writer& w, const roster::impl& d) {
  static_assert(sizeof(roster_cell) == 16 && std::is_trivially_copyable_v<roster_cell>,
                "a roster_cell is written as its 16 bytes");
  const std::size_t L = d.cells.size();
  std::vector<std::uint32_t> count(L);
  std::uint64_t total = 0;
  for (std::size_t l = 0; l < L; ++l) {
    count[l] = static_cast<std::uint32_t>(d.cells[l].size());
    total += count[l];
  }
  w.array(count);
  w.array(d.inferred);
  w.pod(total);
  for (std::size_t l = 0; l < L; ++l) {
    if (count[l] != 0) w.bytes(d.cells[l].data(), count[l] * sizeof(roster_cell));
    if (w.m != nullptr && (l + 1) % 1024 == 0) w.m->advance(11 * 1024 * d.competencies);
  }
  if (w.m != nullptr) w.m->advance(11 * (L % 1024) * d.competencies);
}

// The whole snapshot, checksum included: version 6 (7 when the log has timestamp texts), or
// `version` 5 (the cell-list format: 4 when the log has no retractions, as earlier releases
// wrote it; save_version refuses it for a log with timestamp texts).
void write_snapshot(const roster::impl& d, const snapshot_parts& p, writer& w,
                    std::uint32_t version) {
  const evidence_log& log = d.log;
  const bool lists = version < tables_version;
  const bool stamps = !log.timestamp_rows().empty();
  w.bytes(snapshot_magic, 8);
  w.pod(!lists ? (stamps ? with_timestamps : tables_version)
               : (log.retractions().empty() ? without_retractions : cell_list_version));
  w.pod(detail::byte_order_mark);
  w.str(p.framework);
  w.str(p.policy);
  w.pod(static_cast<std::uint8_t>(d.options.as_of ? 1 : 0));
  w.pod(d.options.as_of.value_or(nan_v));
  w.pod(d.as_of);
  w.pod(static_cast<std::uint64_t>(d.competencies));
  write_log(w, log, p);
  w.pod(static_cast<std::uint64_t>(d.rows.size()));
  if (lists) {
    w.array(p.cell);
    w.array(p.cst);
    w.array(p.csc);
    w.array(p.crt);
    if (!log.retractions().empty()) write_retractions(w, log);
  } else {
    write_tables(w, d);
    write_retractions(w, log);
  }
  if (stamps) write_timestamps(log, w);
  w.bytes(snapshot_end, 8);
  const std::uint64_t digest = w.sum.digest();
  w.raw(&digest, sizeof digest);
}

// The format a save writes (tables_version: 6, or 7 with timestamp texts; cell_list_version:
// 4 or 5): 0 = the newest. \throws std::invalid_argument for another version, or an explicit
// 4, 5 or 6 for a log with timestamp texts (they have no place for them; 6 is not silently
// upgraded to 7).
std::uint32_t save_version(std::uint32_t version, const evidence_log& log) {
  if (version == 0 || version == with_timestamps) return tables_version;
  if (version == tables_version || version == cell_list_version || version == without_retractions) {
    if (!log.timestamp_rows().empty())
      throw std::invalid_argument(fmt::format(
          "roster snapshot: version {} cannot keep the statements' timestamp texts of this "
          "roster's log (on {} of its rows); save with version {} or 0 (the default)",
          version, log.timestamp_rows().size(), with_timestamps));
    return version == tables_version ? tables_version : cell_list_version;
  }
  throw std::invalid_argument(fmt::format(
      "roster snapshot: cannot write version {} (it writes version 0, the newest format and "
      "the default: {}, or {} when the log has timestamp texts; {} or {}, that format; {} or "
      "{}, the cell-list format of earlier releases, {} when the log has no retractions)",
      version, tables_version, with_timestamps, tables_version, with_timestamps,
      without_retractions, cell_list_version, without_retractions));
}

}  // namespace

void roster::save(const std::string& path, const progress& progress, unsigned version) const {
  const std::uint32_t v = save_version(version, impl_->log);
  // Progress: bytes of the log's columns (24 a row) written and of the tables (11 a cell)
  // scanned. The last report comes before the rename: cancelled, the previous file stays.
  detail::meter m(progress,
                  24 * static_cast<std::uint64_t>(impl_->log.size()) +
                      11 * static_cast<std::uint64_t>(impl_->cells.size()) * impl_->competencies);
  m.run([&] {
    const snapshot_parts parts(*impl_, v < tables_version, &m);
    writer w(path);
    w.m = &m;
    write_snapshot(*impl_, parts, w, v);
    m.finish();
    w.out->commit();
  });
}

std::string roster::to_bytes() const {
  // Sized first (a counting pass over the parts), and the buffer mapped in one call (huge pages
  // where possible): growing a string of hundreds of megabytes by doubling copies it and takes
  // a page fault per 4 KiB twice over, which made to_bytes three times slower than save.
  const snapshot_parts parts(*impl_, false);
  std::size_t size = 0;
  writer counter(size);
  write_snapshot(*impl_, parts, counter, tables_version);
  std::string out;
  out.reserve(size);
  detail::prefault(out.data(), size);
  writer w(out);
  write_snapshot(*impl_, parts, w, tables_version);
  return out;
}

bool operator==(const roster& a, const roster& b) {
  if (&a == &b) return true;
  const roster::impl& x = *a.impl_;
  const roster::impl& y = *b.impl_;
  if (x.competencies != y.competencies || x.cells.size() != y.cells.size() ||
      x.inferred != y.inferred || !detail::same_value(x.as_of, y.as_of) ||
      !detail::same_value(x.options.as_of, y.options.as_of))
    return false;
  // The stored cells are exactly the cells that are not the default (an invariant of both).
  for (std::size_t l = 0; l < x.cells.size(); ++l) {
    const auto& u = x.cells[l];
    const auto& v = y.cells[l];
    if (u.size() != v.size()) return false;
    for (std::size_t k = 0; k < u.size(); ++k)
      if (u[k].competency != v[k].competency || u[k].status != v[k].status ||
          u[k].rating != v[k].rating || !detail::same_value(u[k].score, v[k].score))
        return false;
  }
  return x.log == y.log && x.engine == y.engine;
}

}  // namespace masterymap
