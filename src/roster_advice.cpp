// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// Roster-wide advice: the gaps and blockers of every learner, from the roster's tables, in
// parallel over learners (roster::gaps, roster::blockers).
#include <cstddef>
#include <masterymap/roster.hpp>
#include <vector>

#include "parallel.hpp"
#include "progress_meter.hpp"

namespace masterymap {

namespace {

// out[l] = query(view of learner l) for every learner, in parallel on the roster's threads;
// progress: learners done, checked between blocks of learners (cancelling throws what the
// report threw; `out` is then discarded by the caller's unwinding).
template <typename T, typename Query>
std::vector<T> every_learner(const roster& r, const progress& progress, Query&& query) {
  const std::size_t n = r.size();
  std::vector<T> out(n);
  detail::meter m(progress, n);
  m.run([&] {
    detail::parallel_for(
        n, r.options().threads, 256,
        [&](std::size_t b, std::size_t e) {
          learner_row row;  // one learner's row at a time, materialised
          detail::for_blocks(b, e, 64, &m, [&](std::size_t first, std::size_t last) {
            for (std::size_t l = first; l < last; ++l) {
              r.row(l, row);
              out[l] = query(row.view());
            }
            m.advance(last - first);
          });
        },
        &m);
    m.finish();
  });
  return out;
}

}  // namespace

std::vector<std::vector<gap>> roster::gaps(const progress& progress) const {
  const masterymap::progression& p = progression();
  return every_learner<std::vector<gap>>(*this, progress,
                                         [&](const learner_view& v) { return p.gaps(v); });
}

std::vector<std::vector<blocker>> roster::blockers(const progress& progress) const {
  const masterymap::progression& p = progression();
  return every_learner<std::vector<blocker>>(*this, progress,
                                             [&](const learner_view& v) { return p.blockers(v); });
}

}  // namespace masterymap
