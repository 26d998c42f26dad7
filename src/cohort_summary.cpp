// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// summarize: per-competency counts, score sums and medians of a roster's tables, by group.
#include <algorithm>
#include <cmath>
#include <masterymap/cohort.hpp>
#include <stdexcept>
#include <string>

#include "parallel.hpp"

namespace masterymap {
namespace {

// Learners per block: the unit of the partial sums (fixed, so sums never depend on threads).
constexpr std::size_t block_learners = 2048;

double median_of(std::vector<double>& v) {
  if (v.empty()) return std::numeric_limits<double>::quiet_NaN();
  const std::size_t h = v.size() / 2;
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(h), v.end());
  const double hi = v[h];
  if (v.size() % 2 == 1) return hi;
  const double lo = *std::max_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(h));
  return lo + (hi - lo) / 2;
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
  const auto& st = r.statuses();
  const auto& sc = r.scores();
  const auto& ra = r.ratings();
  // Counts are exact in any order; the score sums are added per block, then blocks in order.
  const std::size_t blocks = (L + block_learners - 1) / block_learners;
  std::vector<std::vector<double>> sums(blocks);
  struct partial {
    std::vector<std::uint32_t> status, rating, scored;
  };
  std::vector<partial> parts(blocks);  // counts: one per chunk of blocks (at parts[first block])
  detail::parallel_for(blocks, threads, 1, [&](std::size_t b0, std::size_t b1) {
    partial& p = parts[b0];
    p.status.assign(cells * status_count, 0);
    p.rating.assign(cells * R, 0);
    p.scored.assign(cells, 0);
    for (std::size_t b = b0; b < b1; ++b) {
      sums[b].assign(cells, 0.0);
      const std::size_t e = std::min(L, (b + 1) * block_learners);
      for (std::size_t l = b * block_learners; l < e; ++l) {
        const std::size_t gs[2] = {groups, group_of[l] >= 0 ? static_cast<std::size_t>(group_of[l])
                                                            : static_cast<std::size_t>(-1)};
        for (std::size_t c = 0; c < C; ++c) {
          const std::size_t i = l * C + c;
          const auto sv = static_cast<std::size_t>(st[i]);
          const std::size_t rv =
              ra[i] < 0 ? s.ratings
                        : std::min<std::size_t>(static_cast<std::size_t>(ra[i]), s.ratings);
          const double x = sc[i];
          for (const std::size_t g : gs) {
            if (g == static_cast<std::size_t>(-1)) continue;
            const std::size_t cell = g * C + c;
            ++p.status[cell * status_count + sv];
            ++p.rating[cell * R + rv];
            if (!std::isnan(x)) {
              ++p.scored[cell];
              sums[b][cell] += x;
            }
          }
        }
      }
    }
  });
  for (std::size_t b = 0; b < blocks; ++b) {
    const partial& p = parts[b];
    for (std::size_t i = 0; i < p.status.size(); ++i) s.status_counts[i] += p.status[i];
    for (std::size_t i = 0; i < p.rating.size(); ++i) s.rating_counts[i] += p.rating[i];
    for (std::size_t i = 0; i < p.scored.size(); ++i) s.scored[i] += p.scored[i];
    for (std::size_t i = 0; i < cells; ++i) s.score_sum[i] += sums[b][i];
  }
  // Medians: per competency, its scores by group (learner order; the median is order-free).
  detail::parallel_for(C, threads, 4, [&](std::size_t c0, std::size_t c1) {
    std::vector<std::vector<double>> v(G);
    for (std::size_t c = c0; c < c1; ++c) {
      for (auto& x : v) x.clear();
      for (std::size_t l = 0; l < L; ++l) {
        const double x = sc[l * C + c];
        if (std::isnan(x)) continue;
        v[groups].push_back(x);
        if (group_of[l] >= 0) v[static_cast<std::size_t>(group_of[l])].push_back(x);
      }
      for (std::size_t g = 0; g < G; ++g) s.score_median[g * C + c] = median_of(v[g]);
    }
  });
  return s;
}

}  // namespace masterymap
