// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// bottlenecks: the competencies that hold a cohort back, from the stuck groups, the frontier,
// the statuses and the gaps of every learner.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <masterymap/cohort.hpp>
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

  // One pass over learners: each learner's frontier flags, evidence (for the stuck test),
  // statuses and gaps, counted per block: ready, working, earned, gaps, stuck, wheel-spinning,
  // without progress per competency (integers: any order of addition).
  const std::size_t blocks = (L + block_learners - 1) / block_learners;
  std::vector<std::vector<std::uint32_t>> parts(blocks);
  detail::parallel_for(blocks, threads, 1, [&](std::size_t b0, std::size_t b1) {
    // Per competency, the last learner (+ 1) that reached it and that counted it as a gap:
    // stamps, so nothing is cleared between learners.
    std::vector<std::uint32_t> seen(C, 0), gap(C, 0);
    std::vector<index_t> stack;
    std::vector<std::uint8_t> f(C), codes(C);
    std::vector<status> st(C);
    detail::learner_evidence e(C);
    for (std::size_t b = b0; b < b1; ++b) {
      auto& p = parts[b];
      p.assign(7 * C, 0);
      const std::size_t end = std::min(L, (b + 1) * block_learners);
      for (std::size_t l = b * block_learners; l < end; ++l) {
        const auto stamp = static_cast<std::uint32_t>(l + 1);
        r.statuses(l, st.data());
        r.attainments(l, codes.data());
        const status* s = st.data();
        const std::uint8_t* a = codes.data();
        pr.frontier_flags(a, f.data());
        stack.clear();
        for (std::size_t c = 0; c < C; ++c) {
          if (s[c] == status::not_started) continue;  // not done, not working, not earned
          p[2 * C + c] +=
              static_cast<std::uint32_t>(s[c] == status::mastered || s[c] == status::exceeded);
          if (a[c] == done) {
            seen[c] = stamp;
            stack.push_back(static_cast<index_t>(c));
          }
        }
        for (std::size_t c = 0; c < C; ++c) p[c] += f[c];
        // Stuck: as group_by_frontier(stuck), on the competencies with evidence.
        e.gather(ev, l);
        for (const index_t c : e.touched) {
          // Working on it: not done, with counted evidence (evidence only of kinds the rule
          // ignores, or a lone pre-test, leaves it in progress but counts no work; issue 14).
          const bool working = (s[c] == status::in_progress ||
                                s[c] == status::awaiting_confirmation || s[c] == status::expired) &&
                               e.counted[c] > 0;
          p[C + c] += static_cast<std::uint32_t>(f[c] != 0 && working);
          const std::uint8_t why = detail::stuck_reasons(s[c], e.counted[c], e.first[c], as_of, o);
          p[4 * C + c] += static_cast<std::uint32_t>(why != 0);
          p[5 * C + c] += static_cast<std::uint32_t>((why & 1) != 0);
          p[6 * C + c] += static_cast<std::uint32_t>((why & 2) != 0);
        }
        e.clear();
        // Gaps: walking down the gating edges from done work, every competency reached reaches
        // done work; a prerequisite of one whose link is unmet (and which is not done) is a gap.
        while (!stack.empty()) {
          const index_t x = stack.back();
          stack.pop_back();
          for (std::uint32_t k = g.off[x]; k < g.off[x + 1]; ++k) {
            const std::uint32_t c = g.src[k];
            if (a[c] < g.need[k] && a[c] != done && gap[c] != stamp) {
              gap[c] = stamp;
              ++p[3 * C + c];
            }
            if (seen[c] != stamp) {
              seen[c] = stamp;
              stack.push_back(c);
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
