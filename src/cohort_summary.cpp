// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// summarize: per-competency counts, score sums and medians of a roster's tables, by group;
// median_attempts: the median attempts to mastery of first_mastery's spells, by group.
#include <algorithm>
#include <cmath>
#include <limits>
#include <masterymap/cohort.hpp>
#include <stdexcept>
#include <string>
#include <utility>

#include "bit_util.hpp"
#include "parallel.hpp"

namespace masterymap {
namespace {

// Learners per block: the unit of the partial sums (fixed, so sums never depend on threads).
constexpr std::size_t block_learners = 2048;

// The sum and median of one cell's scores, sorted in place first: the sum adds them in ascending
// order, so it depends only on the multiset of scores, not on the learners' order (a roster
// split into parts and merged, as masterymap.dask does, gives the same bits); the median is the
// middle one, or the mean of the middle two as lo + (hi - lo) / 2. NaN for no scores.
std::pair<double, double> sorted_sum_and_median(double* first, double* last) {
  std::sort(first, last);
  const auto n = static_cast<std::size_t>(last - first);
  if (n == 0) return {0.0, std::numeric_limits<double>::quiet_NaN()};
  double sum = 0;
  for (const double* x = first; x != last; ++x) sum += *x;
  const std::size_t h = n / 2;
  const double hi = first[h];
  if (n % 2 == 1) return {sum, hi};
  const double lo = first[h - 1];
  return {sum, lo + (hi - lo) / 2};
}

}  // namespace

cohort_summary summarize(const roster& r, const std::vector<std::int32_t>& group_of,
                         std::size_t groups, unsigned threads) {
  const std::size_t L = r.size(), C = r.competencies();
  if (group_of.size() != L)
    throw std::invalid_argument("summarize: group_of has " + std::to_string(group_of.size()) +
                                " entries for " + std::to_string(L) + " learners");
  for (std::size_t l = 0; l < L; ++l)
    if (group_of[l] < -1 || (group_of[l] >= 0 && static_cast<std::size_t>(group_of[l]) >= groups))
      throw std::invalid_argument("summarize: learner " + std::to_string(l) + " ('" +
                                  r.learners()[l] + "') has group " + std::to_string(group_of[l]) +
                                  ", not in [-1, " + std::to_string(groups) + ")");
  if (threads == 0) threads = r.options().threads;
  cohort_summary s;
  s.groups = groups;
  s.competencies = C;
  s.ratings = r.policy().scale().size();
  const std::size_t G = groups + 1, R = s.ratings + 1, cells = G * C;
  s.learners.assign(G, 0);
  s.status_counts.assign(cells * status_count, 0);
  s.rating_counts.assign(cells * R, 0);
  s.scored.assign(cells, 0);
  s.score_sum.assign(cells, 0.0);
  s.score_median.assign(cells, std::numeric_limits<double>::quiet_NaN());
  for (std::size_t l = 0; l < L; ++l) {
    ++s.learners[groups];
    if (group_of[l] >= 0) ++s.learners[static_cast<std::size_t>(group_of[l])];
  }
  // One pass over learners in fixed blocks, over what each learner stored: its touched cells
  // (status, score, rating) and its inferred-only competencies (status inferred, no score, no
  // rating). Every other cell is not started, with no score and no rating: those counts are the
  // rest. Scores are kept, per block, as (cell, score) pairs for the sums and medians (summed per
  // cell in ascending order below).
  const std::size_t blocks = (L + block_learners - 1) / block_learners;
  struct partial {
    std::vector<std::uint32_t> status, rating, scored;
  };
  struct scored_cell {
    std::uint32_t cell;
    double x;
  };
  std::vector<partial> parts(blocks);  // counts: one per chunk of blocks (at parts[first block])
  std::vector<std::vector<scored_cell>> kept(blocks);
  static_assert(static_cast<int>(status::not_started) == 0, "not started is the zero byte");
  detail::parallel_for(blocks, threads, 1, [&](std::size_t b0, std::size_t b1) {
    partial& p = parts[b0];
    p.status.assign(cells * status_count, 0);
    p.rating.assign(cells * R, 0);
    p.scored.assign(cells, 0);
    const double nan = std::numeric_limits<double>::quiet_NaN();
    for (std::size_t b = b0; b < b1; ++b) {
      auto& keep = kept[b];
      const std::size_t e = std::min(L, (b + 1) * block_learners);
      for (std::size_t l = b * block_learners; l < e; ++l) {
        const std::size_t g2 =
            group_of[l] >= 0 ? static_cast<std::size_t>(group_of[l]) : static_cast<std::size_t>(-1);
        const auto visit = [&](std::size_t c, status sv, std::int8_t ra, double x) {
          const std::size_t rv =
              ra < 0 ? s.ratings : std::min<std::size_t>(static_cast<std::size_t>(ra), s.ratings);
          for (const std::size_t g : {groups, g2}) {
            if (g == static_cast<std::size_t>(-1)) continue;
            const std::size_t cell = g * C + c;
            ++p.status[cell * status_count + static_cast<std::size_t>(sv)];
            ++p.rating[cell * R + rv];
            if (!std::isnan(x)) {
              ++p.scored[cell];
              keep.push_back({static_cast<std::uint32_t>(cell), x});
            }
          }
        };
        // The stored cells, then the inferred-only competencies (the learner's bits).
        for (const roster_cell& x : r.cells(l)) {
          if (x.status == status::not_started) continue;  // counted with the rest
          visit(x.competency, x.status, x.rating, x.score);
        }
        const roster_bits bits = r.inferred(l);
        for (std::size_t k = 0; k < bits.size(); ++k)
          for (std::uint64_t w = bits.first[k]; w != 0; w &= w - 1)
            visit(k * 64 + detail::lowest_bit(w), status::inferred, -1, nan);
      }
    }
  });
  for (std::size_t b = 0; b < blocks; ++b) {
    const partial& p = parts[b];
    for (std::size_t i = 0; i < p.status.size(); ++i) s.status_counts[i] += p.status[i];
    for (std::size_t i = 0; i < p.rating.size(); ++i) s.rating_counts[i] += p.rating[i];
    for (std::size_t i = 0; i < p.scored.size(); ++i) s.scored[i] += p.scored[i];
  }
  // The cells nobody visited: not started, no rating.
  for (std::size_t g = 0; g < G; ++g)
    for (std::size_t c = 0; c < C; ++c) {
      const std::size_t cell = g * C + c;
      std::uint32_t seen = 0;
      for (std::size_t k = 0; k < status_count; ++k)
        seen += s.status_counts[cell * status_count + k];
      s.status_counts[cell * status_count] += s.learners[g] - seen;
      s.rating_counts[cell * R + s.ratings] += s.learners[g] - seen;
    }
  // Sums and medians: the kept scores grouped by cell (a counting sort), then sorted per cell.
  std::vector<std::size_t> at(cells + 1, 0);
  for (const auto& k : kept)
    for (const scored_cell& x : k) ++at[x.cell + 1];
  for (std::size_t i = 0; i < cells; ++i) at[i + 1] += at[i];
  std::vector<double> all(at[cells]);
  {
    std::vector<std::size_t> next(at.begin(), at.end() - 1);
    for (const auto& k : kept)
      for (const scored_cell& x : k) all[next[x.cell]++] = x.x;
  }
  kept.clear();
  detail::parallel_for(cells, threads, 64, [&](std::size_t c0, std::size_t c1) {
    for (std::size_t i = c0; i < c1; ++i) {
      const auto [sum, median] = sorted_sum_and_median(all.data() + at[i], all.data() + at[i + 1]);
      s.score_sum[i] = sum;
      s.score_median[i] = median;
    }
  });
  return s;
}

attempts_summary median_attempts(const mastery_spells& s, const std::vector<std::int32_t>& group_of,
                                 std::size_t groups, std::size_t competencies) {
  const std::size_t n = s.competency.size();
  if (s.learner.size() != n || s.event.size() != n || s.attempts.size() != n)
    throw std::invalid_argument("median_attempts: the spells' columns differ in length");
  const std::size_t G = groups + 1, cells = G * competencies;
  // The cell of each spell that ended in mastery, twice when its learner has a group; checked
  // first, so nothing is half done when one is out of range.
  std::vector<std::uint32_t> at(cells + 1, 0);
  for (std::size_t k = 0; k < n; ++k) {
    if (s.competency[k] >= competencies)
      throw std::invalid_argument("median_attempts: spell " + std::to_string(k) +
                                  " names competency " + std::to_string(s.competency[k]) + " of " +
                                  std::to_string(competencies));
    if (s.learner[k] >= group_of.size())
      throw std::invalid_argument("median_attempts: spell " + std::to_string(k) +
                                  " names learner " + std::to_string(s.learner[k]) + " of " +
                                  std::to_string(group_of.size()));
    const std::int32_t g = group_of[s.learner[k]];
    if (g < -1 || (g >= 0 && static_cast<std::size_t>(g) >= groups))
      throw std::invalid_argument("median_attempts: learner " + std::to_string(s.learner[k]) +
                                  " has group " + std::to_string(g) + ", not in [-1, " +
                                  std::to_string(groups) + ")");
    if (s.event[k] == 0) continue;
    ++at[groups * competencies + s.competency[k] + 1];
    if (g >= 0) ++at[static_cast<std::size_t>(g) * competencies + s.competency[k] + 1];
  }
  for (std::size_t i = 0; i < cells; ++i) at[i + 1] += at[i];
  std::vector<std::uint32_t> v(at[cells]);
  {
    std::vector<std::uint32_t> next(at.begin(), at.end() - 1);
    for (std::size_t k = 0; k < n; ++k) {
      if (s.event[k] == 0) continue;
      const std::int32_t g = group_of[s.learner[k]];
      v[next[groups * competencies + s.competency[k]]++] = s.attempts[k];
      if (g >= 0)
        v[next[static_cast<std::size_t>(g) * competencies + s.competency[k]]++] = s.attempts[k];
    }
  }
  attempts_summary out;
  out.median.assign(cells, std::numeric_limits<double>::quiet_NaN());
  out.count.assign(cells, 0);
  for (std::size_t i = 0; i < cells; ++i) {
    std::uint32_t* b = v.data() + at[i];
    const std::size_t m = at[i + 1] - at[i];
    out.count[i] = static_cast<std::uint32_t>(m);
    if (m == 0) continue;
    // The upper middle, then (for an even count) the largest below it: the lower middle.
    std::nth_element(b, b + m / 2, b + m);
    const double hi = b[m / 2];
    const double lo = m % 2 == 1 ? hi : *std::max_element(b, b + m / 2);
    out.median[i] = (lo + hi) / 2;
  }
  return out;
}

}  // namespace masterymap
