// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// group_by_frontier: learners grouped by the competency they are ready to learn, recently
// mastered or are stuck on.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <masterymap/cohort.hpp>
#include <masterymap/progression.hpp>
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

// The ready groups: every learner is under each competency of its frontier, which is most of a
// roster's rows (100,000 learners ready for ~100 competencies each: ten million rows), written
// straight into place, competency by competency:
// 1. per learner (in parallel over blocks of 64 learners), the frontier flags become bit l of
//    competency c's column (a bitset over learners: 12.5 kB per competency for 100,000); the
//    learner's evidence on its ready competencies is kept aside (few: most ready competencies
//    have none);
// 2. per competency (in parallel), its rows are its column's set bits in ascending learner
//    order, written sequentially (a few write streams, not one per competency), with the kept
//    evidence merged in; the first row of each competency is a prefix sum of popcounts.
frontier_groups ready_groups(const roster& r, const detail::cohort_evidence& ev, unsigned threads) {
  const std::size_t L = r.size(), C = r.competencies();
  const progression& p = r.progression();
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
    std::vector<std::uint8_t> f(C), codes(C);
    std::vector<std::uint64_t> word(C);
    detail::learner_evidence e(C);
    for (std::size_t b = b0; b < b1; ++b)
      for (std::size_t w = b * block_words; w < std::min(words, (b + 1) * block_words); ++w) {
        std::fill(word.begin(), word.end(), 0);
        for (std::size_t l = w * 64; l < std::min(L, (w + 1) * 64); ++l) {
          r.attainments(l, codes.data());
          p.frontier_flags(codes.data(), f.data());
          const unsigned j = l % 64;
          for (std::size_t c = 0; c < C; ++c) word[c] |= static_cast<std::uint64_t>(f[c]) << j;
          e.gather(ev, l);
          std::sort(e.touched.begin(), e.touched.end());
          for (const index_t c : e.touched)
            if (f[c] != 0)
              aside[b].push_back(
                  {c, static_cast<std::uint32_t>(l), e.counted[c], e.first[c], e.last[c]});
          e.clear();
        }
        for (std::size_t c = 0; c < C; ++c) column[c * words + w] = word[c];
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
    for (std::size_t w = 0; w < words; ++w)
      n += static_cast<std::size_t>(__builtin_popcountll(column[c * words + w]));
    at[c + 1] = at[c] + n;
  }
  const std::size_t m = at[C];
  if (m > std::numeric_limits<std::uint32_t>::max())
    throw std::length_error(
        fmt::format("group_by_frontier: {} ready rows do not fit 32-bit row numbers", m));
  frontier_groups g;
  size_columns(g, m, threads);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  detail::parallel_for(C, threads, 1, [&](std::size_t c0, std::size_t c1) {
    for (std::size_t c = c0; c < c1; ++c) {
      std::size_t k = at[c], x = kat[c];
      for (std::size_t w = 0; w < words; ++w)
        for (std::uint64_t bits = column[c * words + w]; bits != 0; bits &= bits - 1) {
          const auto l =
              static_cast<std::uint32_t>(w * 64 + static_cast<unsigned>(__builtin_ctzll(bits)));
          g.competency[k] = static_cast<index_t>(c);
          g.learner[k] = l;
          if (x < kat[c + 1] && by_comp[x].l == l) {
            g.counted[k] = by_comp[x].counted;
            g.first[k] = by_comp[x].first;
            g.last[k] = by_comp[x].last;
            ++x;
          } else {
            g.counted[k] = 0;
            g.first[k] = g.last[k] = nan;
          }
          ++k;
        }
    }
  });
  return g;
}

}  // namespace

frontier_groups group_by_frontier(const roster& r, frontier_group kind,
                                  const frontier_group_options& o) {
  detail::check_days(o);
  const std::size_t L = r.size(), C = r.competencies();
  if (r.log().learners().size() != L)
    throw std::logic_error("group_by_frontier: the roster's learners are not its log's");
  const unsigned threads = o.threads != 0 ? o.threads : r.options().threads;
  const detail::cohort_evidence ev(r);
  if (kind == frontier_group::ready) return ready_groups(r, ev, threads);
  const double as_of = r.as_of();

  // Recent and stuck: few rows (a learner's touched competencies at most), gathered per block
  // in learner order, then a stable counting sort by competency.
  const std::size_t blocks = (L + block_learners - 1) / block_learners;
  std::vector<std::vector<entry>> out(blocks);
  detail::parallel_for(blocks, threads, 1, [&](std::size_t b0, std::size_t b1) {
    detail::learner_evidence e(C);
    std::vector<status> st(C);
    for (std::size_t b = b0; b < b1; ++b) {
      auto& v = out[b];
      for (std::size_t l = b * block_learners; l < std::min(L, (b + 1) * block_learners); ++l) {
        e.gather(ev, l);
        if (e.touched.empty()) continue;
        r.statuses(l, st.data());
        std::sort(e.touched.begin(), e.touched.end());
        for (const index_t c : e.touched) {
          const status s = st[c];
          std::uint8_t why = 0;
          if (kind == frontier_group::recent) {
            if (!(earned(s) && e.last[c] >= as_of - o.recent_days * detail::day)) continue;
          } else if ((why = detail::stuck_reasons(s, e.counted[c], e.first[c], as_of, o)) == 0) {
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
  frontier_groups g;
  size_columns(g, at[C], 1);
  for (const auto& v : out)
    for (const entry& x : v) {
      const std::size_t k = at[x.c]++;
      g.competency[k] = x.c;
      g.learner[k] = x.l;
      g.counted[k] = x.counted;
      g.first[k] = x.first;
      g.last[k] = x.last;
      g.reasons[k] = x.reasons;
    }
  return g;
}

}  // namespace masterymap
