// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// The roster's per-learner advice (levels, gaps, blockers, pacing) as long columns, computed in
// C++ with the GIL released; masterymap._frames turns them into DataFrames.
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <masterymap/column.hpp>
#include <masterymap/error.hpp>
#include <masterymap/frontier_block.hpp>
#include <masterymap/roster.hpp>
#include <optional>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

#include "bindings.hpp"
#include "numpy_util.hpp"
#include "object_lock.hpp"
#include "progress_py.hpp"
#include "roster_py.hpp"

namespace masterymap::python {
namespace {

// Pauses Python's cyclic garbage collector for its lifetime (the caller holds the GIL).
struct gc_paused {
#if PY_VERSION_HEX >= 0x030A0000
  int was = PyGC_Disable();
  ~gc_paused() {
    if (was != 0) PyGC_Enable();
  }
#endif
  gc_paused() = default;
  gc_paused(const gc_paused&) = delete;
  gc_paused& operator=(const gc_paused&) = delete;
};

// --- bulk columns: two passes (count, then fill) into column storage -------------------------

// Runs f(begin, end) over [0, n) in up to `threads` contiguous chunks (0 = all cores), the
// first on the calling thread; the same chunks for the same (n, threads), so a count pass and
// a fill pass agree. f must not throw (plain memory work).
template <typename F>
void split(std::size_t n, unsigned threads, std::size_t min_chunk, F&& f) {
  if (threads == 0) threads = std::max(1U, std::thread::hardware_concurrency());
  const std::size_t t = std::max<std::size_t>(
      1, std::min<std::size_t>(threads, n / std::max<std::size_t>(min_chunk, 1)));
  if (t <= 1) {
    f(std::size_t{0}, std::size_t{0}, n);
    return;
  }
  std::vector<std::thread> pool;
  pool.reserve(t - 1);
  try {
    for (std::size_t k = 1; k < t; ++k)
      pool.emplace_back([&f, k, n, t] { f(k, n * k / t, n * (k + 1) / t); });
  } catch (...) {  // no thread to be had: join those started, report (a chunk was not done)
    for (auto& th : pool) th.join();
    throw;
  }
  f(std::size_t{0}, std::size_t{0}, n / t);
  for (auto& th : pool) th.join();
}

// A column of n uninitialised-then-written values in column storage (2 MiB-aligned, populated
// in one call, reused from the cache on the next call): the fill writes every element, so the
// value-initialisation of `resize` is the only extra pass.
template <typename T>
column<T> column_of(std::size_t n) {
  column<T> c;
  c.reserve(n);
  detail::column_populate(c.data(), n * sizeof(T));
  c.resize(n);
  return c;
}

// A column of competency codes: int16 when there are fewer than 2**15 competencies, else int32
// (the widths pandas gives categoricals of that many categories, so from_codes keeps them
// without a copy). `resize` makes n uninitialised codes (column_of), `set` writes one,
// `assign` a run, `into` moves the column into d["competency"] (with the GIL held).
class code_column {
 public:
  explicit code_column(std::size_t competencies) noexcept
      : narrow_(competencies < (std::size_t{1} << 15)) {}
  void resize(std::size_t n) {
    if (narrow_)
      c16_ = column_of<std::int16_t>(n);
    else
      c32_ = column_of<std::int32_t>(n);
  }
  void set(std::size_t k, std::size_t c) noexcept {
    if (narrow_)
      c16_[k] = static_cast<std::int16_t>(c);
    else
      c32_[k] = static_cast<std::int32_t>(c);
  }
  void into(py::dict& d) {
    if (narrow_)
      d["competency"] = move_numpy(std::move(c16_));
    else
      d["competency"] = move_numpy(std::move(c32_));
  }
  [[nodiscard]] bool narrow() const noexcept { return narrow_; }
  /// The column's storage at width T (std::int16_t when narrow, else std::int32_t).
  template <typename T>
  column<T>& at_width() noexcept {
    if constexpr (std::is_same_v<T, std::int16_t>)
      return c16_;
    else
      return c32_;
  }

 private:
  bool narrow_;
  column<std::int16_t> c16_;
  column<std::int32_t> c32_;
};

// The nonzero bytes of a word as a mask of their high bits (SWAR: no byte carries).
inline std::uint64_t nonzero_bytes(std::uint64_t w) noexcept {
  constexpr std::uint64_t low7 = 0x7F7F7F7F7F7F7F7FULL;
  return (((w & low7) + low7) | w) & ~low7;
}
inline unsigned popcount64(std::uint64_t x) noexcept {
#if defined(__GNUC__)
  return static_cast<unsigned>(__builtin_popcountll(x));
#else
  unsigned k = 0;
  for (; x; x &= x - 1) ++k;
  return k;
#endif
}
// The word-at-a-time fill reads byte k of a word at bits 8k..8k+7 (little-endian); elsewhere
// it goes byte by byte.
#if defined(__BYTE_ORDER__) && defined(__ORDER_LITTLE_ENDIAN__) && \
    __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
constexpr bool little_endian = true;
#else
constexpr bool little_endian = false;
#endif
inline unsigned lowest_bit(std::uint64_t w) noexcept {  // w != 0
#if defined(__GNUC__)
  return static_cast<unsigned>(__builtin_ctzll(w));
#else
  unsigned k = 0;
  for (; !(w & 1U); w >>= 1) ++k;
  return k;
#endif
}
inline unsigned lowest_byte(std::uint64_t mask) noexcept {  // mask != 0
#if defined(__GNUC__)
  return static_cast<unsigned>(__builtin_ctzll(mask)) >> 3;
#else
  unsigned k = 0;
  while (!(mask & 0x80ULL)) mask >>= 8, ++k;
  return k;
#endif
}

// Every cell of a roster whose status is not `not_started` (the rows of `to_dataframe` and of
// the Dask summary's facts), learners in order and competencies ascending, read from each
// learner's stored cells and inferred-only bits (`roster::inferred`; never a learners x
// competencies table): learner codes int32, competency codes a code_column, status uint8,
// score float64 (NaN = none), rating int8 (-1 = none). Two passes in parallel (count per
// learner, then fill); the GIL must be released by the caller, and `into` called with it held.
// O(L x C / 64 + cells).
class visited_cells {
 public:
  explicit visited_cells(const roster& r) : competency_(r.competencies()) {
    const std::size_t L = r.size(), C = r.competencies();
    const unsigned threads = r.options().threads;
    std::vector<std::size_t> at(L + 1, 0);
    split(L, threads, 1024, [&](std::size_t, std::size_t b, std::size_t e) {
      for (std::size_t l = b; l < e; ++l) {
        std::size_t k = 0;
        for (const roster_cell& x : r.cells(l)) k += x.status != status::not_started ? 1U : 0U;
        for (const std::uint64_t w : r.inferred(l)) k += popcount64(w);
        at[l + 1] = k;
      }
    });
    for (std::size_t l = 0; l < L; ++l) at[l + 1] += at[l];
    const std::size_t n = at[L];
    learner_ = column_of<std::int32_t>(n);
    competency_.resize(n);
    status_ = column_of<std::uint8_t>(n);
    score_ = column_of<double>(n);
    rating_ = column_of<std::int8_t>(n);
    // Each learner's stored cells (not started ones left out) merged with its inferred bits,
    // both ascending by competency and disjoint.
    split(L, threads, 1024, [&](std::size_t, std::size_t b, std::size_t e) {
      for (std::size_t l = b; l < e; ++l) {
        std::size_t k = at[l];
        const auto put = [&](std::size_t c, status st, double score, std::int8_t rating) {
          learner_[k] = static_cast<std::int32_t>(l);
          competency_.set(k, c);
          status_[k] = static_cast<std::uint8_t>(st);
          score_[k] = score;
          rating_[k] = rating;
          ++k;
        };
        const roster_cells cells = r.cells(l);
        const roster_cell* x = cells.begin();
        const auto stored_below = [&](std::size_t c) {
          for (; x != cells.end() && x->competency < c; ++x)
            if (x->status != status::not_started)
              put(x->competency, x->status, x->score, x->rating);
        };
        const roster_bits bits = r.inferred(l);
        for (std::size_t w = 0; w < bits.size(); ++w)
          for (std::uint64_t m = bits.begin()[w]; m != 0; m &= m - 1) {
            const std::size_t c = w * 64 + lowest_bit(m);
            stored_below(c);
            put(c, status::inferred, std::numeric_limits<double>::quiet_NaN(), std::int8_t{-1});
          }
        stored_below(C);
      }
    });
  }
  void into(py::dict& d) {
    d["learner"] = move_numpy(std::move(learner_));
    competency_.into(d);
    d["status"] = move_numpy(std::move(status_));
    d["score"] = move_numpy(std::move(score_));
    d["rating"] = move_numpy(std::move(rating_));
  }

 private:
  column<std::int32_t> learner_;
  code_column competency_;
  column<std::uint8_t> status_;
  column<double> score_;
  column<std::int8_t> rating_;
};

// The (learner, competency) codes of every learner's frontier, learners in order and
// competencies in framework order: learner codes int32, competency codes int16 when there are
// fewer than 2**15 competencies (else int32), the widths pandas gives categoricals of that many
// categories, so from_codes keeps them without a copy. Learners go through
// frontier_flags_block in groups of frontier_lanes (16), their attainment codes written
// competency-major into per-thread scratch from their stored cells and inferred bits (one
// vector comparison per gating edge for the 16); each learner's frontier's competency codes
// (at the final width) are appended to the thread's part, its frontier size kept per learner;
// never a learners x competencies matrix (5 GB at 1 M x 5,000). The parts are then copied into
// place in parallel and the learner codes written as runs from the sizes (a part holds 2 or 4 bytes
// a row, not 8). Parts are column storage reserved ahead from the rows per learner seen so far,
// so they neither grow by copying nor fault in fresh pages on a repeated call. Learners go in
// blocks on the roster's threads, with progress (learners done) between blocks on the calling
// thread, whose GIL must be released; `into` with it held. O(L x (C + edges)).
class frontier_cells {
 public:
  frontier_cells(const roster& r, const masterymap::progress& hook)
      : competency_(r.competencies()) {
    if (competency_.narrow())
      build<std::int16_t>(r, hook);
    else
      build<std::int32_t>(r, hook);
  }
  void into(py::dict& d) {
    d["learner"] = move_numpy(std::move(learner_));
    competency_.into(d);
  }

 private:
  template <typename Code>
  void build(const roster& r, const masterymap::progress& hook) {
    const std::size_t L = r.size(), C = r.competencies();
    const unsigned threads = r.options().threads;
    const progression& pr = r.progression();
    const std::uint8_t inferred_code =
        pr.attainment(status::inferred, std::numeric_limits<double>::quiet_NaN());
    struct part {
      std::size_t first = 0, last = 0;  // its learners
      column<Code> competency;
    };
    std::vector<part> parts;
    std::vector<std::uint32_t> size(L);  // each learner's frontier size
    constexpr std::size_t block = 16384;
    std::size_t done_rows = 0;
    auto last = std::chrono::steady_clock::now();
    for (std::size_t b0 = 0; b0 < L; b0 += block) {
      const std::size_t b1 = std::min(L, b0 + block);
      const std::size_t first = parts.size();
      const unsigned t = std::max(1U, threads == 0 ? std::thread::hardware_concurrency() : threads);
      parts.resize(first + t);
      // Rows per learner so far (a quarter of the competencies before any), with a margin.
      const std::size_t per = b0 == 0 ? C / 4 + 1 : done_rows / b0 + 1;
      split(b1 - b0, threads, 256, [&](std::size_t k, std::size_t b, std::size_t e) {
        part& p = parts[first + k];
        p.first = b0 + b;
        p.last = b0 + e;
        p.competency.reserve((e - b) * (per + per / 8));
        // A group of frontier_lanes learners at a time: their attainment codes written
        // competency-major (zeros, then the inferred bits and the stored cells; lanes past
        // the chunk's end done, so never on a frontier), the flags of all of them at once,
        // then each lane's frontier (competencies ascending) collected and appended in
        // learner order.
        constexpr std::size_t W = frontier_lanes;
        std::vector<std::uint8_t> a(C * W), f(C * W);
        std::vector<Code> lane(C * W);  // lane j's frontier: lane[j * C ..]
        std::array<std::uint32_t, W> m{};
        for (std::size_t l0 = b0 + b; l0 < b0 + e; l0 += W) {
          const std::size_t w = std::min(W, b0 + e - l0);
          std::fill(a.begin(), a.end(), std::uint8_t{0});
          if (w < W)
            for (std::size_t c = 0; c < C; ++c)
              std::fill_n(a.data() + c * W + w, W - w, progression::done_code);
          for (std::size_t j = 0; j < w; ++j) {
            const roster_bits bits = r.inferred(l0 + j);
            for (std::size_t x = 0; x < bits.size(); ++x)
              for (std::uint64_t v = bits.begin()[x]; v != 0; v &= v - 1)
                a[(x * 64 + lowest_bit(v)) * W + j] = inferred_code;
            for (const roster_cell& x : r.cells(l0 + j))
              a[std::size_t{x.competency} * W + j] = x.attainment;
          }
          frontier_flags_block(pr, a.data(), f.data());
          m.fill(0);
          for (std::size_t c = 0; c < C; ++c) {
            const std::uint8_t* fc = f.data() + c * W;
            if (little_endian) {
              for (std::size_t h = 0; h < W; h += 8) {
                std::uint64_t v;
                std::memcpy(&v, fc + h, 8);
                for (std::uint64_t mask = nonzero_bytes(v); mask != 0; mask &= mask - 1) {
                  const std::size_t j = h + lowest_byte(mask);
                  lane[j * C + m[j]++] = static_cast<Code>(c);
                }
              }
            } else {
              for (std::size_t j = 0; j < W; ++j)
                if (fc[j] != 0) lane[j * C + m[j]++] = static_cast<Code>(c);
            }
          }
          for (std::size_t j = 0; j < w; ++j) {
            size[l0 + j] = m[j];
            const auto* first_code = lane.data() + j * C;
            p.competency.insert(p.competency.end(), first_code, first_code + m[j]);
          }
        }
      });
      for (std::size_t k = first; k < parts.size(); ++k) done_rows += parts[k].competency.size();
      const auto now = std::chrono::steady_clock::now();
      if (hook && (b1 == L || now - last >= hook.interval)) {
        hook.report(b1, L);
        last = now;
      }
    }
    if (hook && L == 0) hook.report(0, 0);
    std::vector<std::size_t> at(parts.size() + 1, 0);
    for (std::size_t k = 0; k < parts.size(); ++k) at[k + 1] = at[k] + parts[k].competency.size();
    const std::size_t n = at.back();
    learner_ = column_of<std::int32_t>(n);
    competency_.resize(n);
    Code* out = competency_.template at_width<Code>().data();
    split(parts.size(), threads, 1, [&](std::size_t, std::size_t b, std::size_t e) {
      for (std::size_t k = b; k < e; ++k) {
        part& p = parts[k];
        std::copy(p.competency.begin(), p.competency.end(), out + at[k]);
        std::int32_t* lc = learner_.data() + at[k];
        for (std::size_t l = p.first; l < p.last; ++l)
          lc = std::fill_n(lc, size[l], static_cast<std::int32_t>(l));
        p = part{};  // give the memory back as we go
      }
    });
  }

  column<std::int32_t> learner_;
  code_column competency_;
};

// The ids of a framework as Python strings, made once per call (rows share them).
std::vector<py::object> id_objects(const framework& fw) {
  std::vector<py::object> ids;
  ids.reserve(fw.size());
  for (index_t c = 0; c < fw.size(); ++c) ids.emplace_back(py::str(fw.id_of(c)));
  return ids;
}

py::list id_list(const std::vector<py::object>& ids, const std::vector<index_t>& cs) {
  py::list out(cs.size());
  for (std::size_t i = 0; i < cs.size(); ++i) out[i] = ids[cs[i]];
  return out;
}

// The columns every roster-wide advice frame has: learner, competency, status, score.
struct advice_rows {
  std::vector<std::uint32_t> learner, competency;
  std::vector<std::uint8_t> st;
  std::vector<double> score;
  explicit advice_rows(std::size_t n) : learner(n), competency(n), st(n), score(n) {}
  template <typename T>
  void set(std::size_t k, std::size_t l, const T& x) {
    learner[k] = static_cast<std::uint32_t>(l);
    competency[k] = x.competency;
    st[k] = static_cast<std::uint8_t>(x.status);
    score[k] = x.score.value_or(NAN);
  }
  void into(py::dict& d) {
    d["learner"] = move_numpy(std::move(learner));
    d["competency"] = move_numpy(std::move(competency));
    d["status"] = move_numpy(std::move(st));
    d["score"] = move_numpy(std::move(score));
  }
};

// The long columns of Roster.gaps: one row per (learner, gap), learners in order.
py::dict gap_columns(const roster& r, const std::vector<std::vector<gap>>& gs) {
  std::size_t n = 0;
  for (const auto& g : gs) n += g.size();
  const auto& fw = r.framework();
  const std::vector<std::string> domains = fw.domains();
  advice_rows rows(n);
  std::vector<std::uint32_t> domain(n);
  std::vector<std::uint8_t> ready(n);
  std::vector<double> level(n);
  py::list undermines(n);
  const auto ids = id_objects(fw);
  std::size_t k = 0;
  for (std::size_t l = 0; l < gs.size(); ++l)
    for (const auto& g : gs[l]) {
      rows.set(k, l, g);
      domain[k] = static_cast<std::uint32_t>(std::find(domains.begin(), domains.end(), g.domain) -
                                             domains.begin());
      level[k] = g.level ? static_cast<double>(*g.level) : NAN;
      undermines[k] = id_list(ids, g.undermines);
      ready[k] = g.ready ? 1 : 0;
      ++k;
    }
  py::dict d;
  rows.into(d);
  d["domain"] = move_numpy(std::move(domain));
  d["domains"] = domains;
  d["level"] = move_numpy(std::move(level));
  d["undermines"] = undermines;
  d["ready"] = move_numpy(std::move(ready));
  return d;
}

// The long columns of Roster.blockers: one row per (learner, blocker), learners in order.
py::dict blocker_columns(const roster& r, const std::vector<std::vector<blocker>>& bs) {
  std::size_t n = 0;
  for (const auto& b : bs) n += b.size();
  const auto& fw = r.framework();
  advice_rows rows(n);
  std::vector<std::uint32_t> distance(n), needed(n);
  std::vector<std::uint8_t> ready(n);
  std::vector<double> needed_level(n);
  std::vector<std::string> needed_labels;
  py::list blocks(n);
  const auto ids = id_objects(fw);
  std::size_t k = 0;
  for (std::size_t l = 0; l < bs.size(); ++l)
    for (const auto& b : bs[l]) {
      rows.set(k, l, b);
      auto it = std::find(needed_labels.begin(), needed_labels.end(), b.needed);
      if (it == needed_labels.end()) it = needed_labels.insert(needed_labels.end(), b.needed);
      needed[k] = static_cast<std::uint32_t>(it - needed_labels.begin());
      needed_level[k] = b.needed_level.value_or(NAN);
      blocks[k] = id_list(ids, b.blocks);
      ready[k] = b.ready ? 1 : 0;
      distance[k] = b.distance;
      ++k;
    }
  py::dict d;
  rows.into(d);
  d["needed"] = move_numpy(std::move(needed));
  d["needed_labels"] = needed_labels;
  d["needed_level"] = move_numpy(std::move(needed_level));
  d["blocks"] = blocks;
  d["ready"] = move_numpy(std::move(ready));
  d["distance"] = move_numpy(std::move(distance));
  return d;
}

// A roster-wide advice query (roster::gaps, roster::blockers) as columns: progress, a read lock,
// the GIL released while C++ works.
template <typename T>
py::dict advice_columns(const roster& r, const py::object& progress,
                        std::vector<std::vector<T>> (roster::*query)(const masterymap::progress&)
                            const,
                        py::dict (*columns)(const roster&, const std::vector<std::vector<T>>&)) {
  const auto hook = python_progress(progress);
  const read_lock lock(&r, roster_type);
  std::vector<std::vector<T>> rows;
  {
    py::gil_scoped_release rel;
    rows = (r.*query)(hook);
  }
  return columns(r, rows);
}

}  // namespace

void bind_roster_advice(py::class_<roster>& cls) {
  cls.def(
         "_frontier",
         [](const roster& r, const py::object& progress) {
           const auto hook = python_progress(progress);
           const read_lock lock(&r, roster_type);
           std::optional<frontier_cells> cells;
           {
             py::gil_scoped_release rel;
             cells.emplace(r, hook);
           }
           py::dict d;
           cells->into(d);
           return d;
         },
         py::kw_only(), py::arg("progress") = py::none())
      .def("_cells",
           [](const roster& r) {
             const read_lock lock(&r, roster_type);
             std::optional<visited_cells> cells;
             {
               py::gil_scoped_release rel;
               cells.emplace(r);
             }
             py::dict d;
             cells->into(d);
             return d;
           })
      .def(
          "_levels",
          [](const roster& r, const std::vector<std::string>& domains, const py::object& progress) {
            const auto hook = python_progress(progress);
            const read_lock lock(&r, roster_type);
            const std::size_t L = r.size(), D = domains.size(), n = L * D;
            auto level = column_of<double>(n), next = column_of<double>(n),
                 next_progress = column_of<double>(n);
            auto done = column_of<std::int64_t>(n), total = column_of<std::int64_t>(n),
                 gaps = column_of<std::int64_t>(n);
            // gap_levels as CSR (row k: values[off[k]..off[k + 1]]); Python lists at the end.
            std::vector<std::size_t> off(n + 1, 0);
            std::vector<int> values;
            {
              py::gil_scoped_release rel;
              for (const auto& dn : domains)  // unknown ones throw here, before any work
                if (r.framework().competencies_in(dn).empty()) throw unknown_id_error(dn, "domain");
              // Each learner's row is materialised once (from its cells) and every domain read
              // from it, learners in blocks on the roster's threads; domain i of learner l is
              // row i * L + l. Progress (learners done x domains, of L x D) between blocks, on
              // this thread. gap_levels: each chunk of a block (contiguous learners) appends
              // its learners' values to its own list per domain and writes each row's length
              // into off[k + 1]; the chunks' lists, domain by domain in learner order, are then
              // the values in row order and the prefix sums of the lengths the offsets.
              std::vector<std::vector<std::vector<int>>> parts;  // [chunk][domain]: values
              const progression& pr = r.progression();
              const unsigned t =
                  std::max(1U, r.options().threads == 0 ? std::thread::hardware_concurrency()
                                                        : r.options().threads);
              constexpr std::size_t block = 8192;
              auto last = std::chrono::steady_clock::now();
              for (std::size_t b0 = 0; b0 < L; b0 += block) {
                const std::size_t b1 = std::min(L, b0 + block);
                const std::size_t first = parts.size();
                parts.resize(first + t, std::vector<std::vector<int>>(D));
                split(b1 - b0, r.options().threads, 256,
                      [&](std::size_t chunk, std::size_t b, std::size_t e) {
                        auto& mine = parts[first + chunk];
                        learner_row row;
                        for (std::size_t l = b0 + b; l < b0 + e; ++l) {
                          r.row(l, row);
                          for (std::size_t i = 0; i < D; ++i) {
                            const domain_level x = pr.level(row, domains[i]);
                            const std::size_t k = i * L + l;
                            level[k] = x.level ? static_cast<double>(*x.level) : NAN;
                            next[k] = x.next_level ? static_cast<double>(*x.next_level) : NAN;
                            done[k] = static_cast<std::int64_t>(x.next_done);
                            total[k] = static_cast<std::int64_t>(x.next_total);
                            next_progress[k] = x.next_progress;
                            gaps[k] = static_cast<std::int64_t>(x.gaps.size());
                            off[k + 1] = x.gap_levels.size();
                            mine[i].insert(mine[i].end(), x.gap_levels.begin(), x.gap_levels.end());
                          }
                        }
                      });
                const auto now = std::chrono::steady_clock::now();
                if (hook && (b1 == L || now - last >= hook.interval)) {
                  hook.report(b1 * D, L * D);
                  last = now;
                }
              }
              if (hook && L == 0) hook.report(0, 0);
              for (std::size_t k = 0; k < n; ++k) off[k + 1] += off[k];
              values.reserve(off[n]);
              for (std::size_t i = 0; i < D; ++i)
                for (const auto& p : parts) values.insert(values.end(), p[i].begin(), p[i].end());
            }
            // One list per row (the column holds lists, as LearnerState's DomainLevel.gap_levels),
            // written straight into an object array.
            py::array gap_levels(py::dtype("O"),
                                 py::array::ShapeContainer{static_cast<py::ssize_t>(n)});
            auto** slot = static_cast<PyObject**>(gap_levels.mutable_data());
            // Python's cyclic GC paused while the lists are made: each list is a tracked
            // container, and millions of them (3.1 M rows: 100k CCSS learners x 31 domains)
            // set off a collection every 700, each walking the older generations, which took
            // longer than making the lists. Re-enabled after (also on an exception).
            const gc_paused paused;
            for (std::size_t k = 0; k < n; ++k) {
              PyObject* list = PyList_New(static_cast<py::ssize_t>(off[k + 1] - off[k]));
              if (list == nullptr) throw py::error_already_set();
              for (std::size_t j = off[k]; j < off[k + 1]; ++j) {
                PyObject* v = PyLong_FromLong(values[j]);
                if (v == nullptr) {
                  Py_DECREF(list);
                  throw py::error_already_set();
                }
                PyList_SET_ITEM(list, static_cast<py::ssize_t>(j - off[k]), v);
              }
              Py_XDECREF(slot[k]);  // (None or empty, as numpy made the array)
              slot[k] = list;
            }
            py::dict d;
            d["level"] = move_numpy(std::move(level));
            d["next_level"] = move_numpy(std::move(next));
            d["next_done"] = move_numpy(std::move(done));
            d["next_total"] = move_numpy(std::move(total));
            d["next_progress"] = move_numpy(std::move(next_progress));
            d["gap_count"] = move_numpy(std::move(gaps));
            d["gap_levels"] = gap_levels;
            return d;
          },
          py::arg("domains"), py::kw_only(), py::arg("progress") = py::none())
      .def(
          "_gaps",
          [](const roster& r, const py::object& progress) {
            return advice_columns(r, progress, &roster::gaps, gap_columns);
          },
          py::kw_only(), py::arg("progress") = py::none())
      .def(
          "_blockers",
          [](const roster& r, const py::object& progress) {
            return advice_columns(r, progress, &roster::blockers, blocker_columns);
          },
          py::kw_only(), py::arg("progress") = py::none())
      .def(
          "_pacing",
          [](const roster& r, const pace_plan& plan, const py::object& today,
             const py::object& progress) {
            std::optional<double> t;
            if (!today.is_none()) t = to_seconds(today, "today");
            const auto hook = python_progress(progress);
            std::vector<pace_report> ps;
            {
              py::gil_scoped_release rel;
              const read_lock lock(&r, roster_type);
              ps = r.pacing(plan, t, hook);
            }
            const std::size_t L = ps.size();
            std::vector<std::uint8_t> status(L), complete(L);
            std::vector<std::int64_t> done(L), total(L);
            std::vector<double> expected(L), er(L), ar(L), acc(L), need(L), finish(L), ahead(L);
            for (std::size_t i = 0; i < L; ++i) {
              const auto& p = ps[i];
              status[i] = static_cast<std::uint8_t>(p.status);
              complete[i] = p.complete ? 1 : 0;
              done[i] = static_cast<std::int64_t>(p.done);
              total[i] = static_cast<std::int64_t>(p.total);
              expected[i] = p.expected;
              er[i] = p.expected_rate;
              ar[i] = p.actual_rate;
              acc[i] = p.acceleration;
              need[i] = p.needed_rate;
              finish[i] = p.projected_finish.value_or(NAN);
              ahead[i] = p.days_ahead;
            }
            py::dict d;
            d["status"] = move_numpy(std::move(status));
            d["done"] = move_numpy(std::move(done));
            d["expected"] = move_numpy(std::move(expected));
            d["total"] = move_numpy(std::move(total));
            d["complete"] = move_numpy(std::move(complete));
            d["expected_rate"] = move_numpy(std::move(er));
            d["actual_rate"] = move_numpy(std::move(ar));
            d["acceleration"] = move_numpy(std::move(acc));
            d["needed_rate"] = move_numpy(std::move(need));
            d["projected_finish"] = move_numpy(std::move(finish));
            d["days_ahead"] = move_numpy(std::move(ahead));
            return d;
          },
          py::arg("plan"), py::arg("today") = py::none(), py::kw_only(),
          py::arg("progress") = py::none());
}

}  // namespace masterymap::python
