// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// learning_curve: DataShop-style error rates by opportunity number per competency.
#include <algorithm>
#include <cmath>
#include <masterymap/cohort.hpp>
#include <stdexcept>

#include "cohort_evidence.hpp"
#include "engine_detail.hpp"
#include "parallel.hpp"

namespace masterymap {

learning_curve_table learning_curve(const roster& r, unsigned threads) {
  const std::size_t L = r.size(), C = r.competencies();
  const evidence_log& log = r.log();
  if (log.learners().size() != L)
    throw std::logic_error("learning_curve: the roster's learners are not its log's");
  if (threads == 0) threads = r.options().threads;
  const scale& sc = r.policy().scale();
  const double as_of = r.as_of();
  const detail::cohort_evidence shared(r);
  const auto& comp = shared.comp;
  const auto& bind = shared.bind;
  const auto& cc = log.competency_codes();
  const auto& times = log.times();
  const auto& scores = log.scores();
  const auto& acode = log.attribute_codes();
  const auto& attrs = log.attributes();

  // Per chunk of learners (one per thread): per competency, (learners, errors) by opportunity.
  // Integer counts, so adding the chunks in any order gives the same table.
  struct counts {
    std::vector<std::vector<std::uint32_t>> learners, errors;
  };
  constexpr std::size_t block = 1024;
  const std::size_t blocks = (L + block - 1) / block;
  std::vector<counts> parts(blocks);
  detail::parallel_for(blocks, threads, 1, [&](std::size_t b0, std::size_t b1) {
    counts& p = parts[b0];
    p.learners.resize(C);
    p.errors.resize(C);
    struct ev {
      index_t c;
      double t;
      std::uint32_t row;
    };
    std::vector<ev> evs;
    for (std::size_t l = b0 * block; l < std::min(L, b1 * block); ++l) {
      evs.clear();
      for (const std::uint32_t i : r.log_rows(l)) {
        const std::uint32_t c = comp[cc[i]];
        if (c == detail::none32 || !(times[i] <= as_of) || std::isnan(scores[i]) ||
            bind[c].flags[attrs[acode[i]].kind] != 0 || attrs[acode[i]].retracted)
          continue;  // not counted, or voided (xAPI)
        evs.push_back({c, times[i], i});
      }
      std::sort(evs.begin(), evs.end(), [](const ev& x, const ev& y) {
        return x.c < y.c || (x.c == y.c && (x.t < y.t || (x.t == y.t && x.row < y.row)));
      });
      std::size_t k = 0;
      for (std::size_t a = 0; a < evs.size(); ++a) {
        if (a > 0 && evs[a].c != evs[a - 1].c) k = 0;
        auto& nl = p.learners[evs[a].c];
        auto& ne = p.errors[evs[a].c];
        if (nl.size() <= k) {
          nl.resize(k + 1, 0);
          ne.resize(k + 1, 0);
        }
        ++nl[k];
        ne[k] += sc.reaches_mastery(static_cast<double>(scores[evs[a].row])) ? 0 : 1;
        ++k;
      }
    }
  });
  learning_curve_table out;
  for (index_t c = 0; c < C; ++c) {
    std::size_t m = 0;
    for (const counts& p : parts)
      if (!p.learners.empty()) m = std::max(m, p.learners[c].size());
    const std::size_t base = out.competency.size();
    out.competency.resize(base + m, c);
    out.opportunity.resize(base + m);
    out.learners.resize(base + m, 0);
    out.errors.resize(base + m, 0);
    for (std::size_t k = 0; k < m; ++k)
      out.opportunity[base + k] = static_cast<std::uint32_t>(k + 1);
    for (const counts& p : parts) {
      if (p.learners.empty()) continue;
      for (std::size_t k = 0; k < p.learners[c].size(); ++k) {
        out.learners[base + k] += p.learners[c][k];
        out.errors[base + k] += p.errors[c][k];
      }
    }
  }
  return out;
}

}  // namespace masterymap
