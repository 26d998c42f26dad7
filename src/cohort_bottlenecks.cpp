// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// bottlenecks: the competencies that hold a cohort back, from the stuck groups, the frontier,
// the statuses and the gaps of every learner.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <masterymap/cohort.hpp>
#include <masterymap/frontier_block.hpp>
#include <masterymap/progression.hpp>
#include <stdexcept>
#include <string>

#include "cohort_evidence.hpp"
#include "parallel.hpp"

namespace masterymap {
namespace {

// Learners per block: the unit of the partial counts.
constexpr std::size_t block_learners = 2048;

// The gating edges (needed attainment > 0: required and familiar) into each competency, as
// CSR: what `progression::gaps` walks.
struct gating {
  std::vector<std::uint32_t> off, src;
  std::vector<std::uint8_t> need;
};

gating gating_of(const framework& fw, const progression& p) {
  gating g;
  const std::size_t C = fw.size();
  g.off.assign(C + 1, 0);
  for (const prerequisite_edge& e : fw.edges())
    if (p.needed_attainment(e) > 0) ++g.off[e.dependent + 1];
  for (std::size_t c = 0; c < C; ++c) g.off[c + 1] += g.off[c];
  g.src.resize(g.off[C]);
  g.need.resize(g.off[C]);
  std::vector<std::uint32_t> at(g.off.begin(), g.off.end() - 1);
  for (const prerequisite_edge& e : fw.edges()) {
    const std::uint8_t need = p.needed_attainment(e);
    if (need == 0) continue;
    const std::uint32_t k = at[e.dependent]++;
    g.src[k] = e.prerequisite;
    g.need[k] = need;
  }
  return g;
}

std::string reasons_of(const bottleneck& b, double held) {
  // The terms, largest first (ties: stuck, ready, gaps).
  struct term {
    double size;
    std::string text;
  };
  std::vector<term> terms;
  if (b.stuck > 0)
    terms.push_back({static_cast<double>(b.stuck),
                     fmt::format("{} stuck ({} wheel-spinning, {} without progress)", b.stuck,
                                 b.wheel_spinning, b.no_progress)});
  if (held > 0)
    terms.push_back(
        {held, fmt::format("{:.0f}% mastered it of {} who took it on once ready; {} ready now",
                           100 * b.mastery_rate_ready, b.earned + b.working, b.ready)});
  if (b.gaps > 0)
    terms.push_back(
        {static_cast<double>(b.gaps),
         fmt::format("a gap under done work for {} learner{}", b.gaps, b.gaps == 1 ? "" : "s")});
  std::stable_sort(terms.begin(), terms.end(),
                   [](const term& x, const term& y) { return x.size > y.size; });
  std::string out;
  for (const term& t : terms) {
    if (!out.empty()) out += "; ";
    out += t.text;
  }
  return out.empty() ? std::string("holds nobody back") : out;
}

}  // namespace

std::vector<bottleneck> bottlenecks(const roster& r, const frontier_group_options& o) {
  detail::check_days(o);
  const std::size_t L = r.size(), C = r.competencies();
  const unsigned threads = o.threads != 0 ? o.threads : r.options().threads;
  const detail::cohort_evidence ev(r);
  const progression& pr = r.progression();
  const gating g = gating_of(r.framework(), pr);
  const double as_of = r.as_of();
  constexpr std::uint8_t done = progression::done_code;

  const std::uint8_t inferred_code =
      pr.attainment(status::inferred, std::numeric_limits<double>::quiet_NaN());
  const frontier_group_options opt = o;  // read in the loop: a local, not through a reference
  constexpr std::size_t W = frontier_lanes;

  // One pass over learners, 16 at a time: their frontier flags at once (frontier_flags_block,
  // from their stored cells), then each learner's evidence (for the stuck test), statuses and
  // gaps, counted per block: ready, working, earned, gaps, stuck, wheel-spinning, without
  // progress per competency (integers: any order of addition). The counts and tables are read
  // and written through local pointers (see gather_rows).
  const std::size_t blocks = (L + block_learners - 1) / block_learners;
  std::vector<std::vector<std::uint32_t>> parts(blocks);
  detail::parallel_for(blocks, threads, 1, [&](std::size_t b0, std::size_t b1) {
    // Per competency, the last learner (+ 1) that reached it and that counted it as a gap:
    // stamps, so nothing is cleared between learners.
    std::vector<std::uint32_t> seen_v(C, 0), gap_v(C, 0);
    std::vector<index_t> stack;
    std::vector<std::uint8_t> codes(C * W), flags(C * W);
    detail::sparse_statuses st(C);
    detail::learner_evidence e(C);
    std::uint32_t* seen = seen_v.data();
    std::uint32_t* gap = gap_v.data();
    const std::uint8_t* f = flags.data();
    const std::uint8_t* a = codes.data();
    const std::uint32_t* goff = g.off.data();
    const std::uint32_t* gsrc = g.src.data();
    const std::uint8_t* gneed = g.need.data();
    for (std::size_t b = b0; b < b1; ++b) {
      parts[b].assign(7 * C, 0);
      std::uint32_t* p = parts[b].data();
      std::uint32_t* ready = p;
      std::uint32_t* working = p + C;
      std::uint32_t* earned = p + 2 * C;
      std::uint32_t* gaps = p + 3 * C;
      std::uint32_t* stuck = p + 4 * C;
      std::uint32_t* wheel = p + 5 * C;
      std::uint32_t* nopro = p + 6 * C;
      const std::size_t end = std::min(L, (b + 1) * block_learners);
      for (std::size_t l0 = b * block_learners; l0 < end; l0 += W) {
        const std::size_t n = std::min(W, end - l0);
        detail::lane_codes(r, l0, n, inferred_code, codes.data());
        frontier_flags_block(pr, codes.data(), flags.data());
        for (std::size_t c = 0; c < C; ++c) ready[c] += detail::lane_count(f + c * W);
        for (std::size_t j = 0; j < n; ++j) {
          const std::size_t l = l0 + j;
          const auto stamp = static_cast<std::uint32_t>(l + 1);
          // Earned and done work: only stored cells can be earned; done work is the cells with
          // the done code and, when inferred work counts as done, the inferred bits.
          stack.clear();
          for (const roster_cell& x : r.cells(l)) {
            const index_t c = x.competency;
            earned[c] += static_cast<std::uint32_t>(x.status == status::mastered ||
                                                    x.status == status::exceeded);
            if (x.attainment == done) {
              seen[c] = stamp;
              stack.push_back(c);
            }
          }
          if (inferred_code == done) {
            const roster_bits bits = r.inferred(l);
            for (std::size_t x = 0; x < bits.size(); ++x)
              for (std::uint64_t v = bits.first[x]; v != 0; v &= v - 1) {
                const auto c =
                    static_cast<index_t>(x * 64 + static_cast<unsigned>(__builtin_ctzll(v)));
                seen[c] = stamp;
                stack.push_back(c);
              }
          }
          // Stuck: as group_by_frontier(stuck), on the competencies with evidence.
          e.gather(ev, l);
          if (!e.touched.empty()) {
            st.load(r, l);
            const status* s = st.data();
            const std::uint32_t* counted = e.counted.data();
            const double* first = e.first.data();
            for (const index_t c : e.touched) {
              // Working on it: not done, with counted evidence (evidence only of kinds the rule
              // ignores, or a lone pre-test, leaves it in progress but counts no work; issue 14).
              const status sc = s[c];
              const bool work = (sc == status::in_progress || sc == status::awaiting_confirmation ||
                                 sc == status::expired) &&
                                counted[c] > 0;
              working[c] += static_cast<std::uint32_t>(f[std::size_t{c} * W + j] != 0 && work);
              const std::uint8_t why = detail::stuck_reasons(sc, counted[c], first[c], as_of, opt);
              stuck[c] += static_cast<std::uint32_t>(why != 0);
              wheel[c] += static_cast<std::uint32_t>((why & 1) != 0);
              nopro[c] += static_cast<std::uint32_t>((why & 2) != 0);
            }
            e.clear();
          }
          // Gaps: walking down the gating edges from done work, every competency reached
          // reaches done work; a prerequisite of one whose link is unmet (and which is not
          // done) is a gap.
          const std::uint8_t* aj = a + j;
          while (!stack.empty()) {
            const index_t x = stack.back();
            stack.pop_back();
            for (std::uint32_t k = goff[x]; k < goff[x + 1]; ++k) {
              const std::uint32_t c = gsrc[k];
              const std::uint8_t ac = aj[std::size_t{c} * W];
              if (ac < gneed[k] && ac != done && gap[c] != stamp) {
                gap[c] = stamp;
                ++gaps[c];
              }
              if (seen[c] != stamp) {
                seen[c] = stamp;
                stack.push_back(c);
              }
            }
          }
        }
      }
    }
  });
  std::vector<bottleneck> out(C);
  for (std::size_t c = 0; c < C; ++c) out[c].competency = static_cast<index_t>(c);
  for (const auto& p : parts)
    for (std::size_t c = 0; c < C; ++c) {
      out[c].ready += p[c];
      out[c].working += p[C + c];
      out[c].earned += p[2 * C + c];
      out[c].gaps += p[3 * C + c];
      out[c].stuck += p[4 * C + c];
      out[c].wheel_spinning += p[5 * C + c];
      out[c].no_progress += p[6 * C + c];
    }
  for (bottleneck& b : out) {
    const std::uint32_t tried = b.earned + b.working;
    b.mastery_rate_ready = tried > 0 ? static_cast<double>(b.earned) / tried
                                     : std::numeric_limits<double>::quiet_NaN();
    const double held = tried > 0 ? (1 - b.mastery_rate_ready) * b.ready : 0.0;
    b.score = L > 0 ? (b.stuck + held + b.gaps) / static_cast<double>(L) : 0.0;
    b.reasons = reasons_of(b, held);
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const bottleneck& x, const bottleneck& y) { return x.score > y.score; });
  return out;
}

}  // namespace masterymap
