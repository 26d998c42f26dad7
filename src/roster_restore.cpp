// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// roster: reading the binary snapshot (roster::load, from a file; roster::from_bytes, from bytes
// in memory): every version the writer (roster_snapshot.cpp) ever wrote, checked as it is read.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <limits>
#include <masterymap/roster.hpp>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "binary_io.hpp"
#include "encoding_detail.hpp"
#include "file_util.hpp"
#include "memory_util.hpp"
#include "progress_meter.hpp"
#include "roster_impl.hpp"
#include "roster_snapshot.hpp"

namespace masterymap {

using detail::grow;
using detail::nan_v;
using namespace detail::snapshot;

namespace {

// Reads a file, or (with `from_memory`) the bytes of `mem`.
struct reader : detail::value_reader<reader> {
  std::ifstream in;
  std::string_view mem;
  std::string_view all;  // the whole of `mem`
  bool from_memory = false;
  std::string path;  // of a file
  std::uint64_t size = 0;
  std::uint64_t remaining = 0;
  std::uint32_t version = 0;
  detail::checksum sum;        // of every byte read so far
  std::string reason;          // of the last failure, without the file's name
  detail::meter* m = nullptr;  // progress: bytes read
  [[noreturn]] void fail(const std::string& what) {
    reason = what;
    throw parse_error(fmt::format("{}: {}", name(), what), 0, 0);
  }
  [[nodiscard]] std::string name() const {
    return from_memory ? std::string("roster snapshot (bytes)")
                       : fmt::format("roster snapshot '{}'", path);
  }
  void bytes(void* p, std::uint64_t n) {
    if (n > remaining) fail("truncated");
    if (from_memory) {
      if (n) std::memcpy(p, mem.data(), static_cast<std::size_t>(n));
      sum.update(mem.data(), static_cast<std::size_t>(n));
      mem.remove_prefix(static_cast<std::size_t>(n));
      remaining -= n;
      if (m != nullptr) m->advance(n);
      return;
    }
    char* out = static_cast<char*>(p);
    for (std::uint64_t done = 0; done < n;) {
      const std::uint64_t k = std::min(slice, n - done);
      in.read(out + done, static_cast<std::streamsize>(k));
      if (!in) fail("truncated");
      sum.update(out + done, static_cast<std::size_t>(k));
      done += k;
      if (m != nullptr) m->advance(k);
    }
    remaining -= n;
  }
  [[nodiscard]] std::uint64_t left() const noexcept { return remaining; }
  // Large arrays are zeroed in parallel, checking the meter.
  template <typename T>
  std::vector<T> vector_of(std::size_t n) {
    std::vector<T> v;
    grow(v, n, T{}, 0, m);
    return v;
  }
  // Names: UTF-8, as everything the library hands out.
  std::vector<std::string> strings(const char* what) {
    const auto n = pod<std::uint64_t>();
    if (n > remaining / 8) fail("truncated");
    std::vector<std::string> v;
    v.reserve(static_cast<std::size_t>(n));
    for (std::uint64_t i = 0; i < n; ++i) {
      v.push_back(str());
      if (!detail::is_utf8(v.back())) fail(fmt::format("{} name #{} is not valid UTF-8", what, i));
    }
    return v;
  }
};

// The timestamp texts as saved.
struct saved_timestamps {
  std::vector<std::uint64_t> rows, ends;
  std::string chars;
  void read(reader& r) {
    rows = r.array<std::uint64_t>();
    ends = r.array<std::uint64_t>();
    chars = r.str();
  }
  // Gives them to the log (rows restored), every check first.
  void restore(reader& r, evidence_log& log) {
    if (rows.empty()) r.fail("a version-7 snapshot without timestamp texts");
    if (ends.size() != rows.size() || ends.back() != chars.size())
      r.fail("inconsistent timestamp texts");
    for (std::size_t k = 0; k < rows.size(); ++k)
      if (rows[k] >= log.size() || (k > 0 && rows[k] <= rows[k - 1]) ||
          ends[k] <= (k == 0 ? 0 : ends[k - 1]))
        r.fail("bad timestamp text entry");
    if (!detail::is_utf8(chars)) r.fail("timestamp texts are not valid UTF-8");
    for (std::size_t k = 0; k < rows.size(); ++k) {  // as an append checks them
      const std::size_t b = k == 0 ? 0 : ends[k - 1];
      const auto row = static_cast<std::size_t>(rows[k]);
      const auto why = detail::timestamp_problem(std::string_view(chars).substr(b, ends[k] - b),
                                                 log.times()[row]);
      if (!why.empty()) r.fail(fmt::format("row {}: {}", row, why));
    }
    auto& d = detail::evidence_access::of(log);
    d.stamp_rows = std::move(rows);
    d.stamp_ends = std::move(ends);
    d.stamp_chars = std::move(chars);
  }
};
}  // namespace

namespace {

// Opens a snapshot file.
void open_snapshot(reader& r, const std::string& path) {
  r.path = path;
  detail::open_input(r.in, path, snapshot_what);
  r.in.seekg(0, std::ios::end);
  r.size = r.remaining = static_cast<std::uint64_t>(r.in.tellg());
  r.in.seekg(0, std::ios::beg);
}

// Checks the header: magic, version, byte order.
void check_header(reader& r) {
  char magic[8];
  r.bytes(magic, 8);
  if (std::memcmp(magic, snapshot_magic, 8) != 0) r.fail("not a masterymap roster snapshot");
  r.version = r.pod<std::uint32_t>();
  if (r.version < oldest_version || r.version > snapshot_version)
    r.fail(fmt::format("version {} (this library reads versions {} to {})", r.version,
                       oldest_version, snapshot_version));
  if (r.pod<std::uint32_t>() != detail::byte_order_mark)
    r.fail("written on a machine of another byte order");
}

// A row column of the log (an array: 64-bit count, then the values) read straight into the
// log's column storage (huge-page backed, populated in one call before the read).
template <typename T>
void read_column(reader& r, column<T>& c) {
  const auto n = r.pod<std::uint64_t>();
  if (n > r.left() / sizeof(T)) r.fail("truncated");
  c.reserve(static_cast<std::size_t>(n));
  detail::prefault(c.data(), static_cast<std::size_t>(n) * sizeof(T));
  c.resize(static_cast<std::size_t>(n));
  if (n != 0) r.bytes(c.data(), n * sizeof(T));
}

// The evidence log as saved (write_log's layout, every version): the names in code order and
// the attribute triples, kept here until the checksum is checked (restore_log interns them);
// the row columns read straight into the log `d`'s storage.
struct saved_log {
  std::vector<std::string> kinds, learners, comps, sources;
  std::vector<std::uint8_t> ak;
  std::vector<float> aw;
  std::vector<std::uint32_t> as;
  void read(reader& r, evidence_log::impl& d) {
    kinds = r.strings("kind");
    learners = r.strings("learner");
    comps = r.strings("competency");
    sources = r.strings("source");
    ak = r.array<std::uint8_t>();
    aw = r.array<float>();
    as = r.array<std::uint32_t>();
    read_column(r, d.learner);
    read_column(r, d.competency);
    read_column(r, d.time);
    read_column(r, d.score);
    read_column(r, d.attr);
    const std::size_t rows = d.learner.size();
    if (d.competency.size() != rows || d.time.size() != rows || d.score.size() != rows ||
        d.attr.size() != rows || aw.size() != ak.size() || as.size() != ak.size())
      r.fail("inconsistent sizes");
  }
};

// Completes the log whose rows saved_log::read stored: the names interned with the same codes,
// the attribute triples as saved, every row checked as the log's append checks rows it is
// vouched for (codes in range, a non-empty learner and competency name, time, score and
// weight within what the log stores) and the latest time found. O(rows + names).
void restore_log(roster::impl& d, reader& r, const saved_log& s) {
  evidence_log::impl& e = detail::evidence_access::of(d.log);
  // The kinds by name: the roster's log starts with the built-in kinds and its policy's, in the
  // order this release adds them (an older release's file may list them in another order).
  std::vector<std::uint8_t> kind(s.kinds.size());
  for (std::size_t i = 0; i < s.kinds.size(); ++i) {
    d.log.add_kind(s.kinds[i]);
    kind[i] = *d.log.kind_code(s.kinds[i]);
  }
  const auto intern = [&](detail::table& t, const std::vector<std::string>& names,
                          const char* what) {
    t.reserve(names.size());
    for (std::size_t i = 0; i < names.size(); ++i)
      if ((what != nullptr && detail::trim(names[i]).empty()) || t.intern(names[i]) != i)
        r.fail(what != nullptr && detail::trim(names[i]).empty()
                   ? fmt::format("{} name #{} is empty", what, i)
                   : std::string("inconsistent name tables"));
  };
  intern(e.learners, s.learners, "learner");
  intern(e.competencies, s.comps, "competency");
  intern(e.sources, s.sources, nullptr);  // (a retraction may name a source before its rows)
  for (std::size_t i = 0; i < s.ak.size(); ++i) {
    const double w = s.aw[i];
    if (s.ak[i] >= s.kinds.size() || s.as[i] >= s.sources.size() || !(w >= 0) ||
        !(w <= detail::max_stored))
      r.fail(fmt::format("bad attribute triple #{}", i));
    if (e.intern_attr({kind[s.ak[i]], detail::float_bits(s.aw[i]), s.as[i]}) != i)
      r.fail(fmt::format("attribute triple #{} repeated", i));
  }
  const std::size_t rows = e.learner.size();
  const auto nl = static_cast<std::uint32_t>(s.learners.size());
  const auto nc = static_cast<std::uint32_t>(s.comps.size());
  const auto na = static_cast<std::uint32_t>(s.ak.size());
  const std::uint32_t* lc = e.learner.data();
  const std::uint32_t* cc = e.competency.data();
  const std::uint32_t* ac = e.attr.data();
  const double* tt = e.time.data();
  const float* ss = e.score.data();
  double hi = detail::nan_v;
  detail::for_blocks(0, rows, detail::check_block, r.m, [&](std::size_t b, std::size_t f) {
    unsigned ok = 1;
    double top = -std::numeric_limits<double>::infinity();
    for (std::size_t i = b; i < f; ++i) {
      const double t = tt[i];
      const double sc = ss[i];
      ok &= static_cast<unsigned>(lc[i] < nl) & static_cast<unsigned>(cc[i] < nc) &
            static_cast<unsigned>(ac[i] < na) &
            static_cast<unsigned>(t >= detail::min_stored_time) &
            static_cast<unsigned>(t <= detail::max_stored_time) &
            static_cast<unsigned>(sc >= -detail::max_stored) &
            static_cast<unsigned>(sc <= detail::max_stored);
      top = t > top ? t : top;
    }
    if (ok == 0)
      for (std::size_t i = b; i < f; ++i)
        if (!(lc[i] < nl && cc[i] < nc && ac[i] < na && tt[i] >= detail::min_stored_time &&
              tt[i] <= detail::max_stored_time && std::fabs(ss[i]) <= detail::max_stored))
          r.fail(fmt::format("bad evidence: row {}", i));
    if (!(top <= hi)) hi = top;
  });
  e.max_time = hi;
}

// The table cells as saved by versions 1 to 5: those that differ from "not started, no score,
// no rating", each as (l * C + c, status, score, rating).
struct saved_cells {
  std::vector<std::uint64_t> cell;
  std::vector<std::uint8_t> st;
  std::vector<double> score;
  std::vector<std::int8_t> rating;
  void read(reader& r) {
    cell = r.array<std::uint64_t>();
    st = r.array<std::uint8_t>();
    score = r.array<double>();
    rating = r.array<std::int8_t>();
  }
};

// Version 6's tables (write_tables), read straight into the roster's arrays (sized here for
// `learners`): the inferred bits in one read, each learner's cells in one read into a vector of
// exactly their size, allocated in learner order. Every cell is checked as it arrives (a
// framework index below C, ascending, a status and a rating in range, not the default nor only
// inferred, no inferred bit for it, reserved zero; no bit past C), and its attainment is
// recomputed. O(file bytes + learners).
void read_tables(roster::impl& d, reader& r, std::size_t learners) {
  const std::size_t C = d.competencies, W = d.words;
  const std::vector<std::uint32_t> count = r.array<std::uint32_t>();
  if (count.size() != learners) r.fail("inconsistent sizes");
  const auto words = r.pod<std::uint64_t>();
  if (words != static_cast<std::uint64_t>(learners) * W) r.fail("inconsistent sizes");
  if (words > r.left() / sizeof(std::uint64_t)) r.fail("truncated");
  d.grow_tables(learners, r.m);
  if (words != 0) r.bytes(d.inferred.data(), words * sizeof(std::uint64_t));
  if (C % 64 != 0) {
    const std::uint64_t past = ~((std::uint64_t{1} << (C % 64)) - 1);
    for (std::size_t l = 0; l < learners; ++l)
      if ((d.inferred[l * W + W - 1] & past) != 0) r.fail("an inferred bit past the competencies");
  }
  const auto total = r.pod<std::uint64_t>();
  std::uint64_t sum = 0;
  for (const std::uint32_t n : count) sum += n;
  if (sum != total) r.fail("inconsistent sizes");
  if (total > r.left() / sizeof(roster_cell)) r.fail("truncated");
  const auto ratings = static_cast<int>(d.engine.policy().scale().size());
  for (std::size_t l = 0; l < learners; ++l) {
    if (count[l] == 0) continue;
    auto& v = d.cells[l];
    v.resize(count[l]);
    r.bytes(v.data(), v.size() * sizeof(roster_cell));
    std::int64_t previous = -1;
    for (roster_cell& x : v) {
      const auto st = static_cast<std::uint8_t>(x.status);
      if (x.competency >= C || static_cast<std::int64_t>(x.competency) <= previous)
        r.fail(fmt::format("learner #{}: cells not ascending or past the competencies", l));
      previous = x.competency;
      if (st > static_cast<std::uint8_t>(status::inferred) || x.rating < -1 ||
          x.rating >= ratings || x.reserved != 0 ||
          roster::impl::is_default(x.status, x.score, x.rating) ||
          roster::impl::only_inferred(x.status, x.score, x.rating) || d.bit(l, x.competency))
        r.fail(fmt::format("learner #{}: bad table cell (competency #{})", l, x.competency));
      x.attainment = d.progression.attainment(x.status, x.score);
    }
  }
}

// Sizes the tables to `learners` and writes the saved cells into them.
void restore_cells(roster::impl& d, reader& r, const saved_cells& c, std::size_t learners,
                   detail::meter* m) {
  d.grow_tables(learners, m);
  const std::size_t C = d.competencies;
  const std::uint64_t cells = static_cast<std::uint64_t>(learners) * C;
  // Saved ascending (learner, competency): appended; anything else (a hand-made file) as the
  // dense tables took it, the last write of a cell winning. Attainments: encode_rows.
  for (std::size_t k = 0; k < c.cell.size(); ++k) {
    if (c.cell[k] >= cells || c.st[k] > static_cast<std::uint8_t>(status::inferred))
      r.fail("bad table cell");
    const auto l = static_cast<std::size_t>(c.cell[k] / C);
    const auto comp = static_cast<index_t>(c.cell[k] % C);
    const auto st = static_cast<status>(c.st[k]);
    auto& v = d.cells[l];
    const bool plain = roster::impl::is_default(st, c.score[k], c.rating[k]) ||
                       roster::impl::only_inferred(st, c.score[k], c.rating[k]);
    if (!plain && (v.empty() || v.back().competency < comp) && !d.bit(l, comp)) {
      roster_cell x;
      x.score = c.score[k];
      x.competency = comp;
      x.status = st;
      x.rating = c.rating[k];
      v.push_back(x);
    } else {
      d.set_cell(l, comp, st, c.score[k], c.rating[k], 0);
    }
  }
}

}  // namespace

namespace {

// The end of a snapshot: the end marker, then (version 2) the checksum of everything before
// it and nothing more.
void read_end(reader& r) {
  char end[8];
  r.bytes(end, 8);
  if (std::memcmp(end, snapshot_end, 8) != 0) r.fail("corrupt end marker");
  if (r.version >= 2) {
    const std::uint64_t computed = r.sum.digest();
    if (r.pod<std::uint64_t>() != computed) r.fail(checksum_failure);
  }
  if (r.remaining != 0) r.fail(fmt::format("{} bytes after the end marker", r.remaining));
}

// Whether a version-2 file's stored checksum disagrees with its content (read again from the
// start): after another error, tells a corrupt file from one this library cannot read.
bool checksum_mismatch(const reader& r) {
  constexpr std::uint64_t digest_size = sizeof(std::uint64_t);
  if (r.version < 2 || r.size < digest_size) return false;
  if (r.from_memory) {
    detail::checksum sum;
    sum.update(r.all.data(), r.all.size() - digest_size);
    std::uint64_t stored = 0;
    std::memcpy(&stored, r.all.data() + r.all.size() - digest_size, digest_size);
    return stored != sum.digest();
  }
  std::ifstream in(r.path, std::ios::binary);
  std::vector<char> buffer(std::size_t{1} << 20);
  detail::checksum sum;
  for (std::uint64_t left = r.size - digest_size; left > 0;) {
    const auto k = static_cast<std::size_t>(std::min<std::uint64_t>(left, buffer.size()));
    if (!in.read(buffer.data(), static_cast<std::streamsize>(k))) return true;
    sum.update(buffer.data(), k);
    left -= k;
  }
  std::uint64_t stored = 0;
  if (!in.read(reinterpret_cast<char*>(&stored), sizeof stored)) return true;
  return stored != sum.digest();
}

// The roster a snapshot holds; every check of the content on the way. Progress on `r.m` (if
// any): the snapshot's bytes twice, read then restored.
std::unique_ptr<roster::impl> restore(reader& r, roster_options options) {
  masterymap::framework fw = masterymap::framework::from_json(r.str());
  masterymap::policy pol = masterymap::policy::from_json(r.str());
  const bool fixed = r.pod<std::uint8_t>() != 0;
  const double fixed_as_of = r.pod<double>();
  options.as_of = fixed ? std::optional<double>(fixed_as_of) : std::nullopt;
  auto d = std::make_unique<roster::impl>(std::move(fw), std::move(pol), std::move(options));
  d->as_of = r.pod<double>();
  if (r.pod<std::uint64_t>() != d->competencies) r.fail("the tables do not match the framework");
  saved_log log;
  log.read(r, detail::evidence_access::of(d->log));
  const auto learners = r.pod<std::uint64_t>();
  if (learners != log.learners.size()) r.fail("inconsistent sizes");
  saved_cells cells;
  if (r.version < tables_version)
    cells.read(r);
  else
    read_tables(*d, r, log.learners.size());
  std::vector<retraction> retractions;
  if (r.version >= with_retractions) {
    std::vector<std::string> sources = r.strings("retracted source"), by = r.strings("retraction");
    // (Version 5 has them only when there are some; versions 6 and 7 always, maybe none.)
    if (sources.size() != by.size() || (r.version == with_retractions && sources.empty()))
      r.fail("inconsistent retractions");
    for (std::size_t i = 0; i < sources.size(); ++i) {
      if (sources[i].empty()) r.fail("a retraction without a source");
      retractions.push_back({std::move(sources[i]), std::move(by[i])});
    }
  }
  saved_timestamps stamps;
  if (r.version >= with_timestamps) stamps.read(r);
  read_end(r);  // the checksum is checked before anything is built from the rows
  if (cells.st.size() != cells.cell.size() || cells.score.size() != cells.cell.size() ||
      cells.rating.size() != cells.cell.size())
    r.fail("inconsistent sizes");
  restore_log(*d, r, log);
  // The evaluation time is what the roster's ingests set: the fixed as_of (a valid time, as
  // the constructor requires) or the log's latest time; none (NaN) before the first rows. Any
  // other value would make the queries that take it throw.
  if (fixed && !time_problem(fixed_as_of).empty()) r.fail("bad fixed evaluation time");
  const double expected = fixed ? fixed_as_of : d->log.max_time();
  if (!detail::same_value(d->as_of, expected) && !(d->log.size() == 0 && std::isnan(d->as_of)))
    r.fail("inconsistent evaluation time");
  // The tables were saved with the retractions applied: only the log takes them back.
  detail::retract_sources(detail::evidence_access::of(d->log), retractions);
  if (r.version >= with_timestamps) stamps.restore(r, d->log);
  if (r.version < tables_version) {
    restore_cells(*d, r, cells, log.learners.size(), r.m);
    std::vector<std::uint32_t> all(log.learners.size());
    for (std::uint32_t l = 0; l < all.size(); ++l) all[l] = l;
    d->encode_rows(all, r.m);
  }
  d->index_rows(0, r.m);
  if (r.version < 3) {
    d->reevaluate_all();
  } else if (r.version < 4) {
    std::vector<std::uint32_t> placed;
    for (std::uint32_t l = 0; l < d->placed.size(); ++l)
      if (d->placed[l]) placed.push_back(l);
    if (!placed.empty()) d->reevaluate(placed);
  }
  if (r.m != nullptr) r.m->finish();
  return d;
}

}  // namespace

namespace {

// The roster a snapshot holds (`r` opened on it); whatever a damaged snapshot makes the readers
// say (truncated, a JSON error, a cycle in a flipped framework, an impossible policy), the caller
// gets a parse_error naming it; when a version-2 snapshot's checksum disagrees, one that says it
// is corrupt, with the reason. A cancellation (progress) passes through as it is.
std::unique_ptr<roster::impl> load_from(reader& r, roster_options options) {
  const auto cancelled = [&] { return r.m != nullptr && r.m->stopped(); };
  const auto corrupt_or = [&](const std::string& what) {
    if (checksum_mismatch(r))
      return parse_error(fmt::format("{}: {} ({})", r.name(), checksum_failure, what), 0, 0);
    return parse_error(fmt::format("{}: {}", r.name(), what), 0, 0);
  };
  std::unique_ptr<roster::impl> restored;
  try {
    check_header(r);
    restored = restore(r, std::move(options));
  } catch (const parse_error& e) {
    if (r.reason == checksum_failure || cancelled()) throw;
    if (!r.reason.empty()) throw corrupt_or(r.reason);
    throw corrupt_or(e.what());
  } catch (const file_error&) {
    throw;
  } catch (const error& e) {  // validation_error, policy_error, unknown_id_error, ...
    if (cancelled()) throw;
    throw corrupt_or(e.what());
  } catch (const std::logic_error& e) {  // invalid_argument, out_of_range, length_error
    if (cancelled()) throw;
    throw corrupt_or(e.what());
  }
  // Not damage: the caller's options lack the probability source the policy needs.
  detail::require_probability_source(bkt_rules(restored->engine.policy()),
                                     restored->options.probabilities.get());
  return restored;
}

}  // namespace

roster roster::load(const std::string& path, roster_options options, const progress& progress) {
  reader r;
  open_snapshot(r, path);
  detail::meter m(progress, 2 * r.size);
  r.m = m.active() ? &m : nullptr;
  return roster(m.run([&] { return load_from(r, std::move(options)); }));
}

roster roster::from_bytes(std::string_view bytes, roster_options options) {
  reader r;
  r.from_memory = true;
  r.mem = r.all = bytes;
  r.size = r.remaining = bytes.size();
  return roster(load_from(r, std::move(options)));
}

}  // namespace masterymap
