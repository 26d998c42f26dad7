// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// Appending another evidence log's rows (a roster's bulk load of a log) on the log's compact
// columns: what the columnar append does, without a per-row copy of the attributes first.
#include <algorithm>
#include <cstdint>
#include <limits>
#include <masterymap/evidence.hpp>
#include <numeric>
#include <vector>

#include "evidence_impl.hpp"
#include "evidence_stage.hpp"
#include "parallel.hpp"
#include "progress_meter.hpp"

namespace masterymap::detail {

namespace {

constexpr std::uint32_t none = std::numeric_limits<std::uint32_t>::max();

// One block of rows' pass: which learners, competencies and attribute triples its rows use
// (and each triple's first row), whether every time and score is in range, and the latest time.
struct row_scan {
  std::vector<std::uint8_t> learner, competency;
  std::vector<std::uint32_t> attr_first;  // none = unused
  unsigned ok = 1;
  double hi = -std::numeric_limits<double>::infinity();
};

struct log_columns {
  const std::uint32_t *lc, *cc, *ac;
  const double* tv;
  const float* sv;
  double smin, smax;
};

// Scans rows [rb, re) into `out` (sized by the caller). Plain locals throughout, written back
// once: in a lambda's captured references GCC kept the flags in memory, one store per row.
// Two loops: the range checks (no stores, four rows at a time) and the names used (stores).
void scan_rows(const log_columns& columns, std::size_t rb, std::size_t re, row_scan& out) noexcept {
  const log_columns c = columns;
  const double slo = std::max(c.smin, -max_stored), shi = std::min(c.smax, max_stored);
  unsigned ok0 = 1, ok1 = 1, ok2 = 1, ok3 = 1;
  double hi0 = out.hi, hi1 = hi0, hi2 = hi0, hi3 = hi0;
  auto row_ok = [&](std::size_t i, double& hi) {
    const double t = c.tv[i], s = static_cast<double>(c.sv[i]);
    hi = t > hi ? t : hi;
    return static_cast<unsigned>(t >= min_stored_time) &
           static_cast<unsigned>(t <= max_stored_time) & static_cast<unsigned>(s >= slo) &
           static_cast<unsigned>(s <= shi);
  };
  std::size_t i = rb;
  for (; i + 4 <= re; i += 4) {
    ok0 &= row_ok(i, hi0);
    ok1 &= row_ok(i + 1, hi1);
    ok2 &= row_ok(i + 2, hi2);
    ok3 &= row_ok(i + 3, hi3);
  }
  for (; i < re; ++i) ok0 &= row_ok(i, hi0);
  out.ok &= ok0 & ok1 & ok2 & ok3;
  out.hi = std::max(std::max(hi0, hi1), std::max(hi2, hi3));
  std::uint8_t* ul = out.learner.data();
  std::uint8_t* uc = out.competency.data();
  std::uint32_t* af = out.attr_first.data();
  for (std::size_t r = rb; r < re; ++r) {
    ul[c.lc[r]] = 1;
    uc[c.cc[r]] = 1;
    // Rows ascending: a triple's first row is the one that finds it unset. (A read-modify-write
    // of the same slot on every row would chain the rows through memory: triples repeat.)
    const std::uint32_t a = c.ac[r];
    if (af[a] == none) af[a] = static_cast<std::uint32_t>(r);
  }
}

}  // namespace

bool append_log_rows(evidence_log& to, const evidence_log& from, const ingest_checks& checks,
                     meter& m) {
  const std::size_t n = from.size();
  if (&to == &from || n == 0 || !from.timestamp_rows().empty() ||
      n > std::numeric_limits<std::uint32_t>::max())
    return false;
  evidence_log::impl& d = evidence_access::of(to);
  const auto& attrs = from.attributes();
  // 1. One pass over the rows (blocks in parallel): names and triples used, times, scores.
  const log_columns columns{from.learner_codes().data(),
                            from.competency_codes().data(),
                            from.attribute_codes().data(),
                            from.times().data(),
                            from.scores().data(),
                            checks.min_score,
                            checks.max_score};
  const unsigned blocks = n >= parallel_rows ? resolve_threads(checks.threads) : 1U;
  std::vector<row_scan> scans(blocks);
  run_threads(
      blocks,
      [&](unsigned k) {
        row_scan& s = scans[k];
        s.learner.assign(from.learners().size(), 0);
        s.competency.assign(from.competencies().size(), 0);
        s.attr_first.assign(attrs.size(), none);
        for_blocks(n * k / blocks, n * (k + 1) / blocks, 4 * check_block, nullptr,
                   [&](std::size_t rb, std::size_t re) {
                     scan_rows(columns, rb, re, s);
                     m.advance(re - rb);
                   });
      },
      &m);
  row_scan all = std::move(scans[0]);
  for (unsigned k = 1; k < blocks; ++k) {
    const row_scan& s = scans[k];
    all.ok &= s.ok;
    all.hi = std::max(all.hi, s.hi);
    for (std::size_t j = 0; j < all.learner.size(); ++j) all.learner[j] |= s.learner[j];
    for (std::size_t j = 0; j < all.competency.size(); ++j) all.competency[j] |= s.competency[j];
    for (std::size_t j = 0; j < all.attr_first.size(); ++j)
      all.attr_first[j] = std::min(all.attr_first[j], s.attr_first[j]);
  }
  if (all.ok == 0) return false;
  // 2. Names used, each checked once, staged against the log's tables.
  const std::vector<std::string_view> learner_names = views(from.learners());
  const std::vector<std::string_view> comp_names = views(from.competencies());
  for (std::size_t j = 0; j < learner_names.size(); ++j)
    if (all.learner[j] != 0 && trim(learner_names[j]).empty()) return false;
  for (std::size_t j = 0; j < comp_names.size(); ++j)
    if (all.competency[j] != 0 &&
        (trim(comp_names[j]).empty() ||
         (checks.known_competency && !checks.known_competency(comp_names[j]))))
      return false;
  std::vector<std::uint8_t> kind_used(from.kinds().size(), 0),
      source_used(from.sources().size(), 0);
  for (std::size_t a = 0; a < attrs.size(); ++a)
    if (all.attr_first[a] != none) {
      kind_used[attrs[a].kind] = 1;
      source_used[attrs[a].source] = 1;
      const float w = attrs[a].weight;
      if (!(w >= 0 && static_cast<double>(w) <= max_stored)) return false;
    }
  staged_names L, C, S;
  staged_kinds K;
  L.stage(d.learners, learner_names, all.learner, m);
  C.stage(d.competencies, comp_names, all.competency, m);
  S.stage(d.sources, views(from.sources()), source_used, m);
  K.stage(d.kinds, views(from.kinds()), kind_used, checks);
  for (std::size_t k = 0; k < kind_used.size(); ++k)
    if (kind_used[k] != 0 && (K.code[k] < 0 || K.level[k] != 0)) return false;
  // Triples in order of first row: the order the columnar append interns them in.
  std::vector<std::uint32_t> order;
  for (std::uint32_t a = 0; a < attrs.size(); ++a)
    if (all.attr_first[a] != none) order.push_back(a);
  std::sort(order.begin(), order.end(), [&](std::uint32_t x, std::uint32_t y) {
    return all.attr_first[x] < all.attr_first[y];
  });
  // 3. Commit: nothing below can fail except allocation, and a cancellation, which truncates
  // the log back to where it was.
  const evidence_log::impl::mark before = d.get_mark();
  try {
    to.reserve(n);
    L.commit(d.learners);
    C.commit(d.competencies);
    S.commit(d.sources);
    for (const auto k : K.fresh) d.kinds.intern(k);
    std::vector<std::uint32_t> amap(attrs.size(), 0);
    for (const std::uint32_t a : order)
      amap[a] = d.intern_attr({static_cast<std::uint8_t>(K.code[attrs[a].kind]),
                               float_bits(attrs[a].weight), S.code[attrs[a].source]});
    const std::uint32_t* lmap = L.code.data();
    const std::uint32_t* cmap = C.code.data();
    const std::uint32_t* am = amap.data();
    const std::uint32_t* lc = columns.lc;
    const std::uint32_t* cc = columns.cc;
    const std::uint32_t* ac = columns.ac;
    parallel_tasks(
        5, n >= parallel_rows ? checks.threads : 1U,
        [&](std::size_t task, unsigned) {
          switch (task) {
            case 0:
              append_copy(d.time, n, m, columns.tv, true);
              break;
            case 1:
              append_column(d.learner, n, m, [lmap, lc](std::size_t i) { return lmap[lc[i]]; });
              break;
            case 2:
              append_column(d.competency, n, m, [cmap, cc](std::size_t i) { return cmap[cc[i]]; });
              break;
            case 3:
              append_copy(d.score, n, m, columns.sv);
              break;
            default:
              append_column(d.attr, n, m, [am, ac](std::size_t i) { return am[ac[i]]; });
              break;
          }
        },
        &m);
    if (!(all.hi <= d.max_time)) d.max_time = all.hi;  // also replaces the initial NaN
  } catch (...) {
    d.truncate(before);
    throw;
  }
  return true;
}

}  // namespace masterymap::detail
