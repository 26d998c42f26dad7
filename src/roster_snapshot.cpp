// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// roster: the binary snapshot (roster::save, roster::load), to a file or to bytes in memory
// (roster::to_bytes, roster::from_bytes: the same format).
#include <fmt/format.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <masterymap/roster.hpp>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "file_util.hpp"
#include "memory_util.hpp"
#include "roster_impl.hpp"

namespace masterymap {

using detail::column_buffer;
using detail::grow;
using detail::nan_v;
using detail::views;

namespace {

constexpr std::uint32_t snapshot_version = 1;
constexpr char snapshot_magic[8] = {'M', 'M', 'R', 'O', 'S', 'T', 'E', 'R'};
constexpr char snapshot_end[8] = {'M', 'M', 'R', 'S', 'T', 'E', 'N', 'D'};

// --- binary snapshot helpers ---------------------------------------------------------------------

// Writes to a file, or (with `mem` set) appends to a string, or (with `count` set) only counts.
struct writer {
  std::ofstream out;
  std::string* mem = nullptr;
  std::size_t* count = nullptr;
  void write(const char* p, std::size_t n) {
    if (count)
      *count += n;
    else if (mem)
      mem->append(p, n);
    else
      out.write(p, static_cast<std::streamsize>(n));
  }
  template <typename T>
  void pod(const T& x) {
    write(reinterpret_cast<const char*>(&x), sizeof x);
  }
  template <typename T, typename A>
  void array(const std::vector<T, A>& v) {
    pod(static_cast<std::uint64_t>(v.size()));
    if (!v.empty()) write(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(T));
  }
  void str(const std::string& s) {
    pod(static_cast<std::uint64_t>(s.size()));
    write(s.data(), s.size());
  }
  void strings(const std::vector<std::string>& v) {
    pod(static_cast<std::uint64_t>(v.size()));
    for (const auto& s : v) str(s);
  }
};

// Reads a file, or (with `from_memory`) the bytes of `mem`.
struct reader {
  std::ifstream in;
  std::string_view mem;
  bool from_memory = false;
  std::string path;  // empty for bytes in memory
  std::uint64_t remaining = 0;
  [[noreturn]] void fail(const std::string& what) const {
    if (from_memory) throw parse_error(fmt::format("roster snapshot (bytes): {}", what), 0, 0);
    throw parse_error(fmt::format("roster snapshot '{}': {}", path, what), 0, 0);
  }
  void bytes(void* p, std::uint64_t n) {
    if (n > remaining) fail("truncated");
    if (from_memory) {
      if (n) std::memcpy(p, mem.data(), static_cast<std::size_t>(n));
      mem.remove_prefix(static_cast<std::size_t>(n));
    } else {
      in.read(static_cast<char*>(p), static_cast<std::streamsize>(n));
      if (!in) fail("truncated");
    }
    remaining -= n;
  }
  template <typename T>
  T pod() {
    T x;
    bytes(&x, sizeof x);
    return x;
  }
  template <typename T>
  std::vector<T> array() {
    const auto n = pod<std::uint64_t>();
    if (n > remaining / sizeof(T)) fail("truncated");
    std::vector<T> v;
    grow(v, static_cast<std::size_t>(n), T{}, 0);
    if (n) bytes(v.data(), n * sizeof(T));
    return v;
  }
  std::string str() {
    const auto n = pod<std::uint64_t>();
    if (n > remaining) fail("truncated");
    std::string s(static_cast<std::size_t>(n), '\0');
    if (n) bytes(s.data(), n);
    return s;
  }
  std::vector<std::string> strings() {
    const auto n = pod<std::uint64_t>();
    if (n > remaining / 8) fail("truncated");
    std::vector<std::string> v;
    v.reserve(static_cast<std::size_t>(n));
    for (std::uint64_t i = 0; i < n; ++i) v.push_back(str());
    return v;
  }
};

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

  explicit snapshot_parts(const roster::impl& d)
      : framework(d.engine.framework().to_json(0)), policy(d.engine.policy().to_json(0)) {
    for (const auto& a : d.log.attributes()) {
      ak.push_back(a.kind);
      aw.push_back(a.weight);
      as.push_back(a.source);
    }
    static_assert(sizeof(status) == 1, "status is one byte");
    for (std::size_t i = 0; i < d.statuses.size(); ++i)
      if (d.statuses[i] != status::not_started || !std::isnan(d.scores[i]) || d.ratings[i] != -1) {
        cell.push_back(i);
        cst.push_back(static_cast<std::uint8_t>(d.statuses[i]));
        csc.push_back(d.scores[i]);
        crt.push_back(d.ratings[i]);
      }
  }
};

void write_snapshot(const roster::impl& d, const snapshot_parts& p, writer& w) {
  w.write(snapshot_magic, 8);
  w.pod(snapshot_version);
  w.pod(std::uint32_t{0x01020304});  // byte order
  w.str(p.framework);
  w.str(p.policy);
  w.pod(static_cast<std::uint8_t>(d.options.as_of ? 1 : 0));
  w.pod(d.options.as_of.value_or(nan_v));
  w.pod(d.as_of);
  w.pod(static_cast<std::uint64_t>(d.competencies));
  const evidence_log& log = d.log;
  w.strings(log.kinds());
  w.strings(log.learners());
  w.strings(log.competencies());
  w.strings(log.sources());
  w.array(p.ak);
  w.array(p.aw);
  w.array(p.as);
  w.array(log.learner_codes());
  w.array(log.competency_codes());
  w.array(log.times());
  w.array(log.scores());
  w.array(log.attribute_codes());
  w.pod(static_cast<std::uint64_t>(d.rows.size()));
  w.array(p.cell);
  w.array(p.cst);
  w.array(p.csc);
  w.array(p.crt);
  w.write(snapshot_end, 8);
}

}  // namespace

void roster::save(const std::string& path) const {
  const snapshot_parts parts(*impl_);
  writer w;
  detail::open_output(w.out, path, "roster snapshot");
  write_snapshot(*impl_, parts, w);
  w.out.flush();
  if (!w.out) detail::throw_file_error(path, "cannot write", "roster snapshot");
}

std::string roster::to_bytes() const {
  // Sized first (a counting pass over the parts), and the buffer mapped in one call (huge pages
  // where possible): growing a string of hundreds of megabytes by doubling copies it and takes
  // a page fault per 4 KiB twice over, which made to_bytes three times slower than save.
  const snapshot_parts parts(*impl_);
  std::size_t size = 0;
  writer counter;
  counter.count = &size;
  write_snapshot(*impl_, parts, counter);
  std::string out;
  out.reserve(size);
  detail::prefault(out.data(), size);
  writer w;
  w.mem = &out;
  write_snapshot(*impl_, parts, w);
  return out;
}

namespace {

// Opens a snapshot file.
void open_snapshot(reader& r, const std::string& path) {
  r.path = path;
  detail::open_input(r.in, path, "roster snapshot");
  r.in.seekg(0, std::ios::end);
  r.remaining = static_cast<std::uint64_t>(r.in.tellg());
  r.in.seekg(0, std::ios::beg);
}

// Checks the header (magic, version, byte order).
void check_header(reader& r) {
  char magic[8];
  r.bytes(magic, 8);
  if (std::memcmp(magic, snapshot_magic, 8) != 0) r.fail("not a masterymap roster snapshot");
  const auto version = r.pod<std::uint32_t>();
  if (version != snapshot_version)
    r.fail(fmt::format("version {} (this library reads version {})", version, snapshot_version));
  if (r.pod<std::uint32_t>() != 0x01020304) r.fail("written on a machine of another byte order");
}

// The evidence log as saved: names in code order, attribute triples, the row columns.
struct saved_log {
  std::vector<std::string> kinds, learners, comps, sources;
  std::vector<std::uint8_t> ak;
  std::vector<float> aw;
  std::vector<std::uint32_t> as;
  std::vector<std::uint32_t> lc, cc;
  std::vector<double> tt;
  std::vector<float> ss;
  std::vector<std::uint32_t> ac;
  void read(reader& r) {
    kinds = r.strings();
    learners = r.strings();
    comps = r.strings();
    sources = r.strings();
    ak = r.array<std::uint8_t>();
    aw = r.array<float>();
    as = r.array<std::uint32_t>();
    lc = r.array<std::uint32_t>();
    cc = r.array<std::uint32_t>();
    tt = r.array<double>();
    ss = r.array<float>();
    ac = r.array<std::uint32_t>();
  }
};

// The table cells as saved: those that differ from "not started, no score, no rating".
struct saved_cells {
  std::uint64_t learners = 0;
  std::vector<std::uint64_t> cell;
  std::vector<std::uint8_t> st;
  std::vector<double> score;
  std::vector<std::int8_t> rating;
  void read(reader& r) {
    learners = r.pod<std::uint64_t>();
    cell = r.array<std::uint64_t>();
    st = r.array<std::uint8_t>();
    score = r.array<double>();
    rating = r.array<std::int8_t>();
  }
};

// Rebuilds the log with the same codes: names in code order, rows in order. The saved columns
// are released as soon as they are copied: the tables restored next are then allocated from
// memory the process just gave back, which the system has already backed (first-touch of
// never-used memory is the dominant cost of a restore on a VM).
void restore_log(roster::impl& d, reader& r, saved_log& s) {
  const std::size_t rows = s.lc.size();
  for (const auto& k : s.kinds) d.log.add_kind(k);
  column_buffer b;
  b.learner = std::move(s.lc);
  b.competency = std::move(s.cc);
  b.time_ptr = s.tt.data();
  grow(b.score, rows, 0.0, 0);
  for (std::size_t i = 0; i < rows; ++i) b.score[i] = static_cast<double>(s.ss[i]);
  std::vector<float>().swap(s.ss);
  grow(b.kind, rows, std::uint32_t{0}, 0);
  grow(b.source, rows, std::uint32_t{0}, 0);
  grow(b.weight, rows, 0.0, 0);
  for (std::size_t i = 0; i < rows; ++i) {
    if (s.ac[i] >= s.ak.size()) r.fail("attribute code out of range");
    b.kind[i] = s.ak[s.ac[i]];
    b.weight[i] = static_cast<double>(s.aw[s.ac[i]]);
    b.source[i] = s.as[s.ac[i]];
  }
  std::vector<std::uint32_t>().swap(s.ac);
  b.learner_names = views(s.learners);
  b.competency_names = views(s.comps);
  b.kind_names = views(s.kinds);
  b.source_names = views(s.sources);
  try {
    d.log.reserve(rows);
    if (rows > 0) d.log.append(b.columns());  // an empty roster's snapshot (no batch to add)
  } catch (const evidence_error& e) {
    r.fail(std::string("bad evidence: ") + e.what());
  }
  std::vector<double>().swap(s.tt);
}

// Sizes the tables to `learners` and writes the saved cells into them.
void restore_cells(roster::impl& d, reader& r, const saved_cells& c, std::size_t learners) {
  d.grow_tables(learners);
  for (std::size_t k = 0; k < c.cell.size(); ++k) {
    if (c.cell[k] >= d.statuses.size() || c.st[k] > static_cast<std::uint8_t>(status::expired))
      r.fail("bad table cell");
    d.statuses[c.cell[k]] = static_cast<status>(c.st[k]);
    d.scores[c.cell[k]] = c.score[k];
    d.ratings[c.cell[k]] = c.rating[k];
  }
}

std::unique_ptr<roster::impl> load_snapshot(reader& r, roster_options options) {
  check_header(r);
  masterymap::framework fw = masterymap::framework::from_json(r.str());
  masterymap::policy pol = masterymap::policy::from_json(r.str());
  const bool fixed = r.pod<std::uint8_t>() != 0;
  const double fixed_as_of = r.pod<double>();
  options.as_of = fixed ? std::optional<double>(fixed_as_of) : std::nullopt;
  auto d = std::make_unique<roster::impl>(std::move(fw), std::move(pol), std::move(options));
  d->as_of = r.pod<double>();
  if (r.pod<std::uint64_t>() != d->competencies) r.fail("the tables do not match the framework");
  saved_log log;
  log.read(r);
  saved_cells cells;
  cells.read(r);
  char end[8];
  r.bytes(end, 8);
  if (std::memcmp(end, snapshot_end, 8) != 0) r.fail("corrupt end marker");
  const std::size_t rows = log.lc.size();
  if (log.cc.size() != rows || log.tt.size() != rows || log.ss.size() != rows ||
      log.ac.size() != rows || log.aw.size() != log.ak.size() || log.as.size() != log.ak.size() ||
      cells.learners != log.learners.size() || cells.st.size() != cells.cell.size() ||
      cells.score.size() != cells.cell.size() || cells.rating.size() != cells.cell.size())
    r.fail("inconsistent sizes");
  restore_log(*d, r, log);
  if (d->log.learners() != log.learners || d->log.competencies() != log.comps)
    r.fail("inconsistent name tables");
  restore_cells(*d, r, cells, log.learners.size());
  d->index_rows(0);
  std::vector<std::uint32_t> all(log.learners.size());
  for (std::uint32_t l = 0; l < all.size(); ++l) all[l] = l;
  d->encode_rows(all);
  return d;
}

}  // namespace

roster roster::load(const std::string& path, roster_options options) {
  reader r;
  open_snapshot(r, path);
  return roster(load_snapshot(r, std::move(options)));
}

bool operator==(const roster& a, const roster& b) {
  if (&a == &b) return true;
  const roster::impl& x = *a.impl_;
  const roster::impl& y = *b.impl_;
  if (x.competencies != y.competencies || x.statuses != y.statuses || x.ratings != y.ratings ||
      !detail::same_value(x.as_of, y.as_of) ||
      x.options.as_of.has_value() != y.options.as_of.has_value() ||
      (x.options.as_of && !detail::same_value(*x.options.as_of, *y.options.as_of)) ||
      x.scores.size() != y.scores.size())
    return false;
  for (std::size_t i = 0; i < x.scores.size(); ++i)
    if (!detail::same_value(x.scores[i], y.scores[i])) return false;
  return x.log == y.log && x.engine == y.engine;
}

roster roster::from_bytes(std::string_view bytes, roster_options options) {
  reader r;
  r.from_memory = true;
  r.mem = bytes;
  r.remaining = bytes.size();
  return roster(load_snapshot(r, std::move(options)));
}

}  // namespace masterymap
