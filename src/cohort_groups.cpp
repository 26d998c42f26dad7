// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// group_by_frontier: learners grouped by the competency they are ready to learn, recently
// mastered or are stuck on.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <masterymap/cohort.hpp>
#include <masterymap/frontier_block.hpp>
#include <masterymap/progression.hpp>
#include <memory>
#include <stdexcept>
#include <string>

#include "cohort_evidence.hpp"
#include "engine_detail.hpp"
#include "memory_util.hpp"
#include "parallel.hpp"

namespace masterymap {
namespace {

struct entry {
  index_t c;
  std::uint32_t l, counted;
  double first, last;
  std::uint8_t reasons;
};

bool earned(status s) noexcept { return s == status::mastered || s == status::exceeded; }

// Learners per block: the unit of the ready pass's counts (fixed: the output never depends on
// the thread count).
constexpr std::size_t block_learners = 1024;

// Sizes every column of `g` to m rows. Fresh memory costs a page fault per 4 KiB page (up to
// ~12 us each on some virtual machines: more than writing the rows): each column is reserved,
// advised to use huge pages and populated in one call first (memory_util.hpp), the columns side
// by side on the worker threads.
void size_columns(frontier_groups& g, std::size_t m, unsigned threads) {
  const auto size = [m](auto& v) {
    v.reserve(m);
    detail::prefault(v.data(), m * sizeof(v[0]));
    v.resize(m);
  };
  detail::parallel_for(6, threads, 1, [&](std::size_t b, std::size_t e) {
    for (std::size_t k = b; k < e; ++k) switch (k) {
        case 0:
          size(g.competency);
          break;
        case 1:
          size(g.learner);
          break;
        case 2:
          size(g.counted);
          break;
        case 3:
          size(g.first);
          break;
        case 4:
          size(g.last);
          break;
        default:
          size(g.reasons);
          break;
      }
  });
}

// The sink of the vector-returning group_by_frontier: the columns of a frontier_groups.
class vector_sink final : public frontier_group_sink {
 public:
  vector_sink(frontier_groups& g, unsigned threads) : g_(g), threads_(threads) {}
  void reserve(std::size_t rows) override { size_columns(g_, rows, threads_); }
  void write(std::size_t at, std::size_t n, const index_t* competency, const std::uint32_t* learner,
             const std::uint32_t* counted, const double* first, const double* last,
             const std::uint8_t* reasons) override {
    std::memcpy(g_.competency.data() + at, competency, n * sizeof(index_t));
    std::memcpy(g_.learner.data() + at, learner, n * sizeof(std::uint32_t));
    std::memcpy(g_.counted.data() + at, counted, n * sizeof(std::uint32_t));
    std::memcpy(g_.first.data() + at, first, n * sizeof(double));
    std::memcpy(g_.last.data() + at, last, n * sizeof(double));
    std::memcpy(g_.reasons.data() + at, reasons, n);
  }

 private:
  frontier_groups& g_;
  unsigned threads_;
};

// Rows on their way to a sink: a run of up to `capacity` consecutive rows in small arrays (they
// stay in the cache), handed over when full and at the end.
struct row_run {
  static constexpr std::size_t capacity = 1024;
  frontier_group_sink& sink;
  std::size_t at;  // the row number of the run's first row
  std::size_t n = 0;
  index_t comp[capacity];
  std::uint32_t learner[capacity], counted[capacity];
  double first[capacity], last[capacity];
  std::uint8_t reasons[capacity];

  row_run(frontier_group_sink& s, std::size_t first_row) : sink(s), at(first_row) {}
  void flush() {
    if (n != 0) sink.write(at, n, comp, learner, counted, first, last, reasons);
    at += n;
    n = 0;
  }
};

// The ready groups: every learner is under each competency of its frontier, which is most of a
// roster's rows (100,000 learners ready for ~100 competencies each: ten million rows), written
// straight into place, competency by competency:
// 1. per 16 learners (in parallel over blocks of 1,024), their frontier flags at once
//    (frontier_flags_block, from their stored cells), 16 bits of competency c's column (a bitset
//    over learners: 12.5 kB per competency for 100,000); each learner's evidence on its ready
//    competencies is kept aside (few: most ready competencies have none);
// 2. per competency (in parallel, in runs of about equal rows), its rows are its column's set
//    bits in ascending learner order, with the kept evidence merged in, handed to the sink in
//    runs of consecutive rows; the first row of each competency is a prefix sum of popcounts.
void ready_groups(const roster& r, const detail::cohort_evidence& ev, unsigned threads,
                  frontier_group_sink& sink) {
  const std::size_t L = r.size(), C = r.competencies();
  const progression& p = r.progression();
  const std::uint8_t inferred_code =
      p.attainment(status::inferred, std::numeric_limits<double>::quiet_NaN());
  constexpr std::size_t W = frontier_lanes;
  const std::size_t words = (L + 63) / 64;
  std::vector<std::uint64_t> column(C * words, 0);  // column[c * words + l / 64], bit l % 64
  struct kept {
    index_t c;
    std::uint32_t l, counted;
    double first, last;
  };
  // Blocks of 16 words (1,024 learners): each thread writes whole words only.
  constexpr std::size_t block_words = 16;
  const std::size_t blocks = (words + block_words - 1) / block_words;
  std::vector<std::vector<kept>> aside(blocks);
  detail::parallel_for(blocks, threads, 1, [&](std::size_t b0, std::size_t b1) {
    std::vector<std::uint8_t> codes(C * W), flags(C * W);
    std::vector<std::uint64_t> word(C);
    detail::learner_evidence e(C);
    std::uint64_t* wd = word.data();
    const std::uint8_t* f = flags.data();
    std::uint64_t* col = column.data();
    for (std::size_t b = b0; b < b1; ++b) {
      std::vector<kept>& out = aside[b];
      for (std::size_t w = b * block_words; w < std::min(words, (b + 1) * block_words); ++w) {
        std::fill(word.begin(), word.end(), 0);
        for (std::size_t l0 = w * 64; l0 < std::min(L, (w + 1) * 64); l0 += W) {
          const std::size_t n = std::min(W, L - l0);
          detail::lane_codes(r, l0, n, inferred_code, codes.data());
          frontier_flags_block(p, codes.data(), flags.data());
          const unsigned shift = static_cast<unsigned>(l0 % 64);
          for (std::size_t c = 0; c < C; ++c)
            wd[c] |= static_cast<std::uint64_t>(detail::lane_bits(f + c * W)) << shift;
          for (std::size_t j = 0; j < n; ++j) {
            e.gather(ev, l0 + j);
            std::sort(e.touched.begin(), e.touched.end());
            for (const index_t c : e.touched)
              if (f[std::size_t{c} * W + j] != 0)
                out.push_back(
                    {c, static_cast<std::uint32_t>(l0 + j), e.counted[c], e.first[c], e.last[c]});
            e.clear();
          }
        }
        for (std::size_t c = 0; c < C; ++c) col[c * words + w] = wd[c];
      }
    }
  });
  // The kept evidence by competency (a stable counting sort: learners stay ascending).
  std::vector<std::size_t> kat(C + 1, 0);
  for (const auto& v : aside)
    for (const kept& x : v) ++kat[x.c + 1];
  for (std::size_t c = 0; c < C; ++c) kat[c + 1] += kat[c];
  std::vector<kept> by_comp(kat[C]);
  {
    std::vector<std::size_t> next(kat.begin(), kat.end() - 1);
    for (const auto& v : aside)
      for (const kept& x : v) by_comp[next[x.c]++] = x;
  }
  aside.clear();
  std::vector<std::size_t> at(C + 1, 0);
  for (std::size_t c = 0; c < C; ++c) {
    std::size_t n = 0;
    const std::uint64_t* cw = column.data() + c * words;
    for (std::size_t w = 0; w < words; ++w)
      n += static_cast<std::size_t>(__builtin_popcountll(cw[w]));
    at[c + 1] = at[c] + n;
  }
  const std::size_t m = at[C];
  if (m > std::numeric_limits<std::uint32_t>::max())
    throw std::length_error(
        fmt::format("group_by_frontier: {} ready rows do not fit 32-bit row numbers", m));
  sink.reserve(m);
  // Tasks of whole competencies, cut where the rows pass a multiple of m / 32 (so two threads
  // get about equal rows whatever the competencies' sizes).
  std::vector<std::size_t> cut{0};
  const std::size_t step = std::max<std::size_t>(1, m / 32);
  for (std::size_t c = 1; c < C; ++c)
    if (at[c] / step != at[cut.back()] / step) cut.push_back(c);
  cut.push_back(C);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  detail::parallel_tasks(cut.size() - 1, threads, [&](std::size_t task, unsigned /*worker*/) {
    const std::size_t c0 = cut[task], c1 = cut[task + 1];
    auto run = std::make_unique<row_run>(sink, at[c0]);
    std::memset(run->reasons, 0, sizeof run->reasons);
    const std::uint64_t* col = column.data();
    const kept* kx = by_comp.data();
    for (std::size_t c = c0; c < c1; ++c) {
      std::size_t x = kat[c];
      const std::size_t xe = kat[c + 1];
      const auto ci = static_cast<index_t>(c);
      const std::uint64_t* cw = col + c * words;
      std::size_t n = run->n;
      for (std::size_t w = 0; w < words; ++w)
        for (std::uint64_t bits = cw[w]; bits != 0; bits &= bits - 1) {
          const auto l =
              static_cast<std::uint32_t>(w * 64 + static_cast<unsigned>(__builtin_ctzll(bits)));
          run->comp[n] = ci;
          run->learner[n] = l;
          if (x < xe && kx[x].l == l) {
            run->counted[n] = kx[x].counted;
            run->first[n] = kx[x].first;
            run->last[n] = kx[x].last;
            ++x;
          } else {
            run->counted[n] = 0;
            run->first[n] = run->last[n] = nan;
          }
          if (++n == row_run::capacity) {
            run->n = n;
            run->flush();
            n = 0;
          }
        }
      run->n = n;
    }
    run->flush();
  });
}

}  // namespace

void group_by_frontier(const roster& r, frontier_group kind, const frontier_group_options& o,
                       frontier_group_sink& sink) {
  detail::check_days(o);
  const std::size_t L = r.size(), C = r.competencies();
  if (r.log().learners().size() != L)
    throw std::logic_error("group_by_frontier: the roster's learners are not its log's");
  const unsigned threads = o.threads != 0 ? o.threads : r.options().threads;
  const detail::cohort_evidence ev(r);
  if (kind == frontier_group::ready) {
    ready_groups(r, ev, threads, sink);
    return;
  }
  const double as_of = r.as_of();
  const frontier_group_options opt = o;  // read in the loop: a local, not through a reference

  // Recent and stuck: few rows (a learner's touched competencies at most), gathered per block
  // in learner order, then a stable counting sort by competency.
  const std::size_t blocks = (L + block_learners - 1) / block_learners;
  std::vector<std::vector<entry>> out(blocks);
  detail::parallel_for(blocks, threads, 1, [&](std::size_t b0, std::size_t b1) {
    detail::learner_evidence e(C);
    detail::sparse_statuses statuses(C);
    for (std::size_t b = b0; b < b1; ++b) {
      auto& v = out[b];
      for (std::size_t l = b * block_learners; l < std::min(L, (b + 1) * block_learners); ++l) {
        e.gather(ev, l);
        if (e.touched.empty()) continue;
        statuses.load(r, l);
        const status* st = statuses.data();
        std::sort(e.touched.begin(), e.touched.end());
        for (const index_t c : e.touched) {
          const status s = st[c];
          std::uint8_t why = 0;
          if (kind == frontier_group::recent) {
            if (!(earned(s) && e.last[c] >= as_of - opt.recent_days * detail::day)) continue;
          } else if ((why = detail::stuck_reasons(s, e.counted[c], e.first[c], as_of, opt)) == 0) {
            continue;
          }
          v.push_back({c, static_cast<std::uint32_t>(l), e.counted[c], e.first[c], e.last[c], why});
        }
        e.clear();
      }
    }
  });
  std::vector<std::size_t> at(C + 1, 0);
  for (const auto& v : out)
    for (const entry& x : v) ++at[x.c + 1];
  for (std::size_t c = 0; c < C; ++c) at[c + 1] += at[c];
  std::vector<entry> rows(at[C]);
  for (const auto& v : out)
    for (const entry& x : v) rows[at[x.c]++] = x;
  out.clear();
  sink.reserve(rows.size());
  auto run = std::make_unique<row_run>(sink, 0);
  for (const entry& x : rows) {
    const std::size_t n = run->n++;
    run->comp[n] = x.c;
    run->learner[n] = x.l;
    run->counted[n] = x.counted;
    run->first[n] = x.first;
    run->last[n] = x.last;
    run->reasons[n] = x.reasons;
    if (run->n == row_run::capacity) run->flush();
  }
  run->flush();
}

frontier_groups group_by_frontier(const roster& r, frontier_group kind,
                                  const frontier_group_options& o) {
  frontier_groups g;
  vector_sink sink(g, o.threads != 0 ? o.threads : r.options().threads);
  group_by_frontier(r, kind, o, sink);
  return g;
}

}  // namespace masterymap
