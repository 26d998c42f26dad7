// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// roster: the binary snapshot (roster::save, roster::load).
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

struct writer {
  std::ofstream out;
  template <typename T>
  void pod(const T& x) {
    out.write(reinterpret_cast<const char*>(&x), sizeof x);
  }
  template <typename T, typename A>
  void array(const std::vector<T, A>& v) {
    pod(static_cast<std::uint64_t>(v.size()));
    if (!v.empty())
      out.write(reinterpret_cast<const char*>(v.data()),
                static_cast<std::streamsize>(v.size() * sizeof(T)));
  }
  void str(const std::string& s) {
    pod(static_cast<std::uint64_t>(s.size()));
    out.write(s.data(), static_cast<std::streamsize>(s.size()));
  }
  void strings(const std::vector<std::string>& v) {
    pod(static_cast<std::uint64_t>(v.size()));
    for (const auto& s : v) str(s);
  }
};

struct reader {
  std::ifstream in;
  std::string path;
  std::uint64_t remaining = 0;
  [[noreturn]] void fail(const std::string& what) const {
    throw parse_error(fmt::format("roster snapshot '{}': {}", path, what), 0, 0);
  }
  void bytes(void* p, std::uint64_t n) {
    if (n > remaining) fail("truncated");
    in.read(static_cast<char*>(p), static_cast<std::streamsize>(n));
    if (!in) fail("truncated");
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

void roster::save(const std::string& path) const {
  const impl& d = *impl_;
  writer w;
  detail::open_output(w.out, path, "roster snapshot");
  w.out.write(snapshot_magic, 8);
  w.pod(snapshot_version);
  w.pod(std::uint32_t{0x01020304});  // byte order
  w.str(d.engine.framework().to_json(0));
  w.str(d.engine.policy().to_json(0));
  w.pod(static_cast<std::uint8_t>(d.options.as_of ? 1 : 0));
  w.pod(d.options.as_of.value_or(nan_v));
  w.pod(d.as_of);
  w.pod(static_cast<std::uint64_t>(d.competencies));
  const evidence_log& log = d.log;
  w.strings(log.kinds());
  w.strings(log.learners());
  w.strings(log.competencies());
  w.strings(log.sources());
  const auto& at = log.attributes();
  std::vector<std::uint8_t> ak;
  std::vector<float> aw;
  std::vector<std::uint32_t> as;
  for (const auto& a : at) {
    ak.push_back(a.kind);
    aw.push_back(a.weight);
    as.push_back(a.source);
  }
  w.array(ak);
  w.array(aw);
  w.array(as);
  w.array(log.learner_codes());
  w.array(log.competency_codes());
  w.array(log.times());
  w.array(log.scores());
  w.array(log.attribute_codes());
  static_assert(sizeof(status) == 1, "status is one byte");
  // The tables, sparse: only cells that differ from "not started, no score, no rating".
  std::vector<std::uint64_t> cell;
  std::vector<std::uint8_t> cst;
  std::vector<double> csc;
  std::vector<std::int8_t> crt;
  for (std::size_t i = 0; i < d.statuses.size(); ++i)
    if (d.statuses[i] != status::not_started || !std::isnan(d.scores[i]) || d.ratings[i] != -1) {
      cell.push_back(i);
      cst.push_back(static_cast<std::uint8_t>(d.statuses[i]));
      csc.push_back(d.scores[i]);
      crt.push_back(d.ratings[i]);
    }
  w.pod(static_cast<std::uint64_t>(d.rows.size()));
  w.array(cell);
  w.array(cst);
  w.array(csc);
  w.array(crt);
  w.out.write(snapshot_end, 8);
  w.out.flush();
  if (!w.out) detail::throw_file_error(path, "cannot write", "roster snapshot");
}

namespace {

// Opens a snapshot and checks its header (magic, version, byte order).
void open_snapshot(reader& r, const std::string& path) {
  r.path = path;
  detail::open_input(r.in, path, "roster snapshot");
  r.in.seekg(0, std::ios::end);
  r.remaining = static_cast<std::uint64_t>(r.in.tellg());
  r.in.seekg(0, std::ios::beg);
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
    d.log.append_unchecked(b.columns());  // as saved: checked when it was ingested
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

}  // namespace

roster roster::load(const std::string& path, roster_options options) {
  reader r;
  open_snapshot(r, path);
  masterymap::framework fw = masterymap::framework::from_json(r.str());
  masterymap::policy pol = masterymap::policy::from_json(r.str());
  const bool fixed = r.pod<std::uint8_t>() != 0;
  const double fixed_as_of = r.pod<double>();
  options.as_of = fixed ? std::optional<double>(fixed_as_of) : std::nullopt;
  auto d = std::make_unique<impl>(std::move(fw), std::move(pol), std::move(options));
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
  return roster(std::move(d));
}

}  // namespace masterymap
