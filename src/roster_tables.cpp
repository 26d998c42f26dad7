// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// The roster's tables: the per-learner row index, re-evaluating learners with the engine and
// writing their cells (roster.cpp: construction and queries; roster_ingest.cpp: ingest and the
// O(1) path).
#include <algorithm>
#include <memory>
#include <stdexcept>
#include <utility>
#include <vector>

#include "counting_sort.hpp"
#include "evidence_impl.hpp"
#include "parallel.hpp"
#include "progress_meter.hpp"
#include "roster_impl.hpp"

namespace masterymap {

using detail::check_block;
using detail::column_buffer;
using detail::for_blocks;
using detail::grow;
using detail::nan_v;
using detail::views;

// Every row of `log` (rows == nullptr), or the listed rows with learner codes remapped.
// Checks `m` (if any) between blocks of rows; large buffers are populated on `threads`.
column_buffer detail::columns_of(const evidence_log& log, const std::vector<std::uint32_t>* rows,
                                 const std::vector<std::uint32_t>* learner_code,
                                 const std::vector<std::string_view>* learner_names,
                                 detail::meter* m, unsigned threads, bool in_place) {
  column_buffer c;
  const std::size_t n = rows ? rows->size() : log.size();
  // Large buffers: populated and filled in checked blocks; small ones as they always were.
  auto size = [&](auto& v, auto zero) {
    if (n * sizeof(zero) >= detail::huge_min_bytes)
      grow(v, n, zero, threads, m);
    else
      v.resize(n);
  };
  // A whole log (`in_place`: not the log being appended to): its learner and competency
  // columns are used in place.
  const bool whole = in_place && rows == nullptr && learner_code == nullptr;
  if (whole) {
    c.learner_ptr = log.learner_codes().data();
    c.competency_ptr = log.competency_codes().data();
    c.rows = n;
  } else {
    size(c.learner, 0U);
    size(c.competency, 0U);
  }
  size(c.kind, 0U);
  size(c.source, 0U);
  size(c.score, 0.0);
  size(c.weight, 0.0);
  const auto& lc = log.learner_codes();
  const auto& cc = log.competency_codes();
  const auto& tt = log.times();
  const auto& ss = log.scores();
  const auto& ac = log.attribute_codes();
  const auto& at = log.attributes();
  if (rows)
    size(c.time, 0.0);
  else
    c.time_ptr = tt.data();
  for_blocks(0, n, check_block, m, [&](std::size_t first, std::size_t last) {
    for (std::size_t i = first; i < last; ++i) {
      const std::size_t r = rows ? (*rows)[i] : i;
      if (!whole) {
        c.learner[i] = learner_code ? (*learner_code)[lc[r]] : lc[r];
        c.competency[i] = cc[r];
      }
      if (rows) c.time[i] = tt[r];
      c.score[i] = static_cast<double>(ss[r]);
      const evidence_attributes& a = at[ac[r]];
      c.kind[i] = a.kind;
      c.weight[i] = static_cast<double>(a.weight);
      c.source[i] = a.source;
    }
  });
  if (!log.timestamp_rows().empty()) {  // the texts of the rows that have one
    c.timestamp.resize(n);
    if (rows) {
      for (std::size_t i = 0; i < n; ++i) c.timestamp[i] = log.timestamp_text((*rows)[i]);
    } else {
      for (const std::uint64_t r : log.timestamp_rows())
        c.timestamp[r] = log.timestamp_text(static_cast<std::size_t>(r));
    }
  }
  c.learner_names = learner_names ? *learner_names : views(log.learners());
  c.competency_names = views(log.competencies());
  c.kind_names = views(log.kinds());
  c.source_names = views(log.sources());
  return c;
}

void roster::impl::reevaluate_all() {
  std::vector<std::uint32_t> all(log.learners().size());
  for (std::uint32_t l = 0; l < all.size(); ++l) all[l] = l;
  reevaluate(all);
}

void roster::impl::grow_tables(std::size_t learners, detail::meter* m) {
  if (m != nullptr) m->check();
  cells.resize(learners);
  inferred.resize(learners * words, 0);
  rows.resize(learners);
  accumulators.resize(learners);
  placed.resize(learners, 0);
}

namespace {

// Counts rows [rb, re) per learner into cnt (locals only: see rows_valid in evidence_batch.cpp).
void count_rows(const std::uint32_t* lc, std::size_t rb, std::size_t re,
                std::uint32_t* cnt) noexcept {
  for (std::size_t i = rb; i < re; ++i) ++cnt[lc[i]];
}

// Writes the row numbers `base + i` of rows [rb, re) at their learner's cursor.
void scatter_rows(const std::uint32_t* lc, std::size_t rb, std::size_t re, std::uint32_t base,
                  std::uint32_t* cursor, std::uint32_t* out) noexcept {
  for (std::size_t i = rb; i < re; ++i) out[cursor[lc[i]]++] = base + static_cast<std::uint32_t>(i);
}

}  // namespace

void roster::impl::index_rows(std::size_t from, detail::meter* m,
                              std::vector<std::uint32_t>* counts) {
  const auto& comps = log.competencies();
  for (std::size_t j = comp_index.size(); j < comps.size(); ++j) {
    auto i = engine.framework().find(comps[j]);
    comp_index.push_back(i ? *i : UINT32_MAX);
  }
  const std::size_t n = log.size() - from, L = rows.size();
  const std::uint32_t* lc = log.learner_codes().data() + from;
  if (n > L && n >= (std::size_t{1} << 16)) {
    // A bulk load: a counting sort of the new rows by learner (blocks of rows on every core,
    // stable), then each learner's list extended once from its run.
    const unsigned T = detail::resolve_threads(options.threads);
    std::vector<std::uint32_t> cursors(std::size_t{T} * L, 0);
    auto block = [&](unsigned th) { return std::make_pair(n * th / T, n * (th + 1) / T); };
    detail::run_threads(
        T,
        [&](unsigned th) {
          const auto [rb, re] = block(th);
          std::uint32_t* cnt = cursors.data() + std::size_t{th} * L;
          for_blocks(rb, re, check_block, m,
                     [=](std::size_t x, std::size_t y) { count_rows(lc, x, y, cnt); });
        },
        m);
    std::vector<std::uint32_t> start(L + 1, 0);
    detail::block_offsets(cursors, start, L, T);
    if (counts != nullptr) {
      counts->resize(L);
      for (std::size_t l = 0; l < L; ++l) (*counts)[l] = start[l + 1] - start[l];
    }
    const std::unique_ptr<std::uint32_t[]> sorted(new std::uint32_t[n]);
    const auto base = static_cast<std::uint32_t>(from);
    detail::run_threads(
        T,
        [&](unsigned th) {
          const auto [rb, re] = block(th);
          std::uint32_t* cur = cursors.data() + std::size_t{th} * L;
          std::uint32_t* out = sorted.get();
          for_blocks(rb, re, check_block, m,
                     [=](std::size_t x, std::size_t y) { scatter_rows(lc, x, y, base, cur, out); });
        },
        m);
    detail::parallel_for(
        L, options.threads, 4096,
        [&](std::size_t b, std::size_t e) {
          for (std::size_t l = b; l < e; ++l)
            if (start[l + 1] != start[l])
              rows[l].insert(rows[l].end(), sorted.get() + start[l], sorted.get() + start[l + 1]);
        },
        m);
  } else {
    for_blocks(0, n, check_block, m, [&](std::size_t first, std::size_t last) {
      for (std::size_t i = first; i < last; ++i)
        rows[lc[i]].push_back(static_cast<std::uint32_t>(from + i));
    });
  }
  // Learners with a placement among the new rows (a log always knows the kind).
  if (auto k = log.kind_code("placement")) {
    // (A cancelled ingest may leave a learner flagged: the flag only sends it down the full
    // re-evaluation path, which gives the same answer.)
    const auto& attrs = log.attributes();
    const std::uint32_t* ac = log.attribute_codes().data() + from;
    if (n < attrs.size()) {  // a few rows (one event: no allocation)
      for (std::size_t i = 0; i < n; ++i)
        if (attrs[ac[i]].kind == *k) {
          placed.resize(rows.size(), 0);
          placed[lc[i]] = 1;
        }
    } else {  // a batch: the triples that are placements first (often none: no row pass)
      std::vector<std::uint8_t> is_placement(attrs.size(), 0);
      bool any = false;
      for (std::size_t a = 0; a < attrs.size(); ++a)
        if (attrs[a].kind == *k) {
          is_placement[a] = 1;
          any = true;
        }
      if (any) {
        placed.resize(rows.size(), 0);
        for (std::size_t i = 0; i < n; ++i)
          if (is_placement[ac[i]]) placed[lc[i]] = 1;
      }
    }
  }
}

void roster::impl::encode_rows(const std::vector<std::uint32_t>& learners, detail::meter* m) {
  detail::parallel_for(
      learners.size(), options.threads, 4096,
      [&](std::size_t b, std::size_t e) {
        for_blocks(b, e, 1024, m, [&](std::size_t first, std::size_t last) {
          for (std::size_t i = first; i < last; ++i)
            for (roster_cell& x : cells[learners[i]])
              x.attainment = progression.attainment(x.status, x.score);
        });
      },
      m);
}

// Re-evaluates `learners` (log learner codes) from their full evidence at the current as_of.
void roster::impl::reevaluate(const std::vector<std::uint32_t>& learners) {
  if (learners.empty()) return;
  write_rows(learners, rate(learners, nullptr, 0, 0), static_cast<std::size_t>(-1));
}

ratings_table roster::impl::rate(const std::vector<std::uint32_t>& learners, detail::meter* m,
                                 std::uint64_t from, std::uint64_t to) const {
  detail::meter none{progress{}};
  detail::meter& mm = m != nullptr ? *m : none;
  evaluate_options eo;
  eo.as_of = as_of;
  eo.probabilities = options.probabilities;
  eo.threads = learners.size() < 64 ? 1 : options.threads;
  if (learners.size() == log.learners().size()) {
    // Every learner (`learners` ascending: 0, 1, ...; a bulk load): the log itself, whose
    // learner codes are then the table's, instead of a copy of all its rows. The engine rates
    // each learner from its own rows in their log order either way: the same table.
    ratings_table t = engine.ratings(log, eo, mm.nested(from, to));
    if (t.learners.size() != learners.size())
      throw std::logic_error("roster: the re-evaluated learners do not match");  // invariant
    return t;
  }
  std::vector<std::uint32_t> pick;
  std::vector<std::uint32_t> remap(log.learners().size(), UINT32_MAX);
  std::vector<std::string_view> names;
  names.reserve(learners.size());
  std::size_t total = 0;
  for (std::uint32_t l : learners) total += rows[l].size();
  pick.reserve(total);
  for (std::size_t i = 0; i < learners.size(); ++i) {
    remap[learners[i]] = static_cast<std::uint32_t>(i);
    names.emplace_back(log.learners()[learners[i]]);
    pick.insert(pick.end(), rows[learners[i]].begin(), rows[learners[i]].end());
  }
  mm.check();
  evidence_log sub(log.kinds());
  // The retractions of the rows picked come with them (a learner whose every row is retracted
  // is still a learner of the sub-log, with nothing counted).
  if (!log.retractions().empty()) {
    std::vector<retraction> dead_sources;
    std::vector<std::uint8_t> seen(log.sources().size(), 0);
    for (std::uint32_t r : pick)
      if (dead(r)) {
        const std::uint32_t src = log.attributes()[log.attribute_codes()[r]].source;
        if (!seen[src]) {
          seen[src] = 1;
          dead_sources.push_back({log.sources()[src], {}});
        }
      }
    sub.retract(dead_sources);
  }
  sub.reserve(pick.size());
  const std::uint64_t mid = from + (to - from) / 3;
  {
    const column_buffer buf = columns_of(log, &pick, &remap, &names, &mm, options.threads);
    // The roster's own log, checked when ingested.
    sub.append(buf.columns(), detail::checked_already(), mm.nested(from, mid));
  }
  ratings_table t = engine.ratings(sub, eo, mm.nested(mid, to));
  if (t.learners.size() != learners.size())
    throw std::logic_error("roster: the re-evaluated learners do not match");  // invariant
  return t;
}

namespace {
// Where each learner's entries start in a long-form table of `learners` learners (+ the end).
std::vector<std::size_t> entry_starts(const ratings_table& t, std::size_t learners) {
  std::vector<std::size_t> first(learners + 1, 0);
  for (std::uint32_t l : t.learner) ++first[l + 1];
  for (std::size_t i = 0; i < learners; ++i) first[i + 1] += first[i];
  return first;
}
}  // namespace

void roster::impl::write_new_rows(const std::vector<std::uint32_t>& learners,
                                  const ratings_table& t, std::size_t first_new, detail::meter* m) {
  // The rows of learners new to the roster still hold the defaults the tables grew with (and
  // their attainment, 0): only the entries of the long-form table are written.
  const auto k0 = static_cast<std::size_t>(
      std::lower_bound(learners.begin(), learners.end(), first_new) - learners.begin());
  if (k0 == learners.size()) return;
  for (std::size_t i = k0; i < learners.size(); ++i)
    accumulators[learners[i]] = {};  // the O(1) path may have started some: rebuilt on demand
  const std::vector<std::size_t> first = entry_starts(t, learners.size());
  size_cells(learners, t, first, k0, learners.size());
  detail::parallel_for(
      learners.size() - k0, options.threads, 4096,
      [&](std::size_t b, std::size_t e) {
        for_blocks(k0 + b, k0 + e, 1024, m, [&](std::size_t ib, std::size_t ie) {
          for (std::size_t i = ib; i < ie; ++i) fill_cells(learners[i], t, first[i], first[i + 1]);
        });
      },
      m);
}

void roster::impl::write_rows(const std::vector<std::uint32_t>& learners, const ratings_table& t,
                              std::size_t first_new) {
  // Learners from first_new on: written by write_new_rows.
  const auto k0 = static_cast<std::size_t>(
      std::lower_bound(learners.begin(), learners.end(), first_new) - learners.begin());
  for (std::size_t i = 0; i < k0; ++i)
    accumulators[learners[i]] = {};  // their accumulators are rebuilt on demand
  // The table is long-form (only cells that are not the default, ordered by learner): each
  // re-evaluated learner's cells are replaced by its entries.
  const std::vector<std::size_t> first = entry_starts(t, learners.size());
  size_cells(learners, t, first, 0, k0);
  detail::parallel_for(k0, options.threads, 4096, [&](std::size_t b, std::size_t e) {
    for (std::size_t i = b; i < e; ++i) fill_cells(learners[i], t, first[i], first[i + 1]);
  });
}

void roster::impl::size_cells(const std::vector<std::uint32_t>& learners, const ratings_table& t,
                              const std::vector<std::size_t>& first, std::size_t b, std::size_t e) {
  // On one thread, in learner order: the blocks of consecutive learners then lie next to each
  // other in memory (the frontier sweeps them in order), and each has exactly the size of the
  // learner's stored cells (inferred-only entries, often most of a learner's, are bits).
  for (std::size_t i = b; i < e; ++i) {
    std::size_t n = 0;
    for (std::size_t k = first[i]; k < first[i + 1]; ++k)
      n += static_cast<std::size_t>(!is_default(t.statuses[k], t.scores[k], t.ratings[k]) &&
                                    !only_inferred(t.statuses[k], t.scores[k], t.ratings[k]));
    std::vector<roster_cell> v;
    v.reserve(n);
    cells[learners[i]] = std::move(v);
  }
}

void roster::impl::fill_cells(std::uint32_t l, const ratings_table& t, std::size_t from,
                              std::size_t to) {
  std::vector<roster_cell>& v = cells[l];  // sized by size_cells
  v.clear();
  bool sorted = true;
  std::fill_n(inferred.begin() + static_cast<std::ptrdiff_t>(l * words), words, 0);
  for (std::size_t k = from; k < to; ++k) {
    roster_cell x;
    x.score = t.scores[k];
    x.competency = t.competency[k];
    x.status = t.statuses[k];
    x.rating = t.ratings[k];
    if (is_default(x.status, x.score, x.rating)) continue;
    if (only_inferred(x.status, x.score, x.rating)) {
      set_bit(l, x.competency, true);
      continue;
    }
    x.attainment = progression.attainment(x.status, x.score);
    if (!v.empty() && v.back().competency >= x.competency) sorted = false;
    v.push_back(x);
  }
  if (!sorted)  // (the engine's table lists a learner's cells in framework order)
    std::stable_sort(v.begin(), v.end(), [](const roster_cell& a, const roster_cell& b) {
      return a.competency < b.competency;
    });
}

}  // namespace masterymap
