// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// group_by_frontier: learners grouped by the competency they are ready to learn, recently
// mastered or are stuck on.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <masterymap/cohort.hpp>
#include <stdexcept>
#include <string>

#include "engine_detail.hpp"
#include "parallel.hpp"

namespace masterymap {
namespace {

constexpr double day_seconds = 86400.0;

struct entry {
  index_t c;
  std::uint32_t l, counted;
  double first, last;
  std::uint8_t reasons;
};

bool earned(status s) noexcept { return s == status::mastered || s == status::exceeded; }

// Days are counts of 86,400 s: a negative, infinite or NaN one is a caller's mistake (0 is off).
void check_days(const frontier_group_options& o) {
  auto days = [](const char* name, double v) {
    if (!(v >= 0) || std::isinf(v))
      throw std::invalid_argument(
          fmt::format("{} must be a number of days >= 0 (0 turns the test off), not {}", name, v));
  };
  days("stuck_days", o.stuck_days);
  days("recent_days", o.recent_days);
}

}  // namespace

frontier_groups group_by_frontier(const roster& r, frontier_group kind,
                                  const frontier_group_options& o) {
  check_days(o);
  const std::size_t L = r.size(), C = r.competencies();
  const evidence_log& log = r.log();
  if (log.learners().size() != L)
    throw std::logic_error("group_by_frontier: the roster's learners are not its log's");
  const unsigned threads = o.threads != 0 ? o.threads : r.options().threads;
  const double as_of = r.as_of();
  const framework& fw = r.framework();
  // Per log competency code: its framework index; per framework index: its rule's kinds.
  std::vector<std::uint32_t> comp(log.competencies().size(), detail::none32);
  for (std::size_t j = 0; j < comp.size(); ++j)
    if (auto i = fw.find(log.competencies()[j])) comp[j] = *i;
  std::vector<detail::rule_binding> bind;
  bind.reserve(C);
  for (index_t c = 0; c < C; ++c)
    bind.push_back(detail::bind_rule(r.policy().rule_for(fw.at(c).id, fw.at(c).domain), log));
  // Each learner's rows (ascending), by a counting sort of the learner column.
  const std::size_t n = log.size();
  const auto& lc = log.learner_codes();
  std::vector<std::size_t> start(L + 1, 0);
  for (std::size_t i = 0; i < n; ++i) ++start[lc[i] + 1];
  for (std::size_t l = 0; l < L; ++l) start[l + 1] += start[l];
  std::vector<std::uint32_t> rows(n);
  {
    std::vector<std::size_t> next(start.begin(), start.end() - 1);
    for (std::size_t i = 0; i < n; ++i) rows[next[lc[i]]++] = static_cast<std::uint32_t>(i);
  }
  std::vector<std::uint8_t> front;
  if (kind == frontier_group::ready) front = r.frontier_matrix();
  const auto& st = r.statuses();
  const auto& cc = log.competency_codes();
  const auto& times = log.times();
  const auto& scores = log.scores();
  const auto& acode = log.attribute_codes();
  const auto& attrs = log.attributes();
  const bool by_days = o.stuck_days > 0;
  const double nan = std::numeric_limits<double>::quiet_NaN();

  constexpr std::size_t block = 1024;
  const std::size_t blocks = (L + block - 1) / block;
  std::vector<std::vector<entry>> out(blocks);
  detail::parallel_for(blocks, threads, 1, [&](std::size_t b0, std::size_t b1) {
    std::vector<std::uint32_t> counted(C, 0);
    std::vector<double> first(C, nan), last(C, nan);
    std::vector<index_t> touched;
    for (std::size_t b = b0; b < b1; ++b) {
      auto& v = out[b];
      const std::size_t e = std::min(L, (b + 1) * block);
      for (std::size_t l = b * block; l < e; ++l) {
        for (std::size_t k = start[l]; k < start[l + 1]; ++k) {
          const std::uint32_t i = rows[k];
          const std::uint32_t c = comp[cc[i]];
          const double t = times[i];
          // Voided evidence (xAPI) is as if it never happened.
          if (c == detail::none32 || !(t <= as_of) || attrs[acode[i]].retracted) continue;
          if (std::isnan(last[c])) touched.push_back(c);
          if (!(t <= last[c])) last[c] = t;
          if (bind[c].flags[attrs[acode[i]].kind] != 0 || std::isnan(scores[i])) continue;
          ++counted[c];
          if (!(t >= first[c])) first[c] = t;
        }
        const auto add = [&](index_t c, std::uint8_t why) {
          v.push_back({c, static_cast<std::uint32_t>(l), counted[c], first[c], last[c], why});
        };
        if (kind == frontier_group::ready) {
          for (index_t c = 0; c < C; ++c)
            if (front[l * C + c] != 0) add(c, 0);
        } else {
          std::sort(touched.begin(), touched.end());
          for (const index_t c : touched) {
            const status s = st[l * C + c];
            if (kind == frontier_group::recent) {
              if (earned(s) && last[c] >= as_of - o.recent_days * day_seconds) add(c, 0);
            } else if (s == status::in_progress || s == status::awaiting_confirmation) {
              std::uint8_t why = 0;
              if (o.stuck_evidence > 0 && counted[c] >= o.stuck_evidence) why |= 1;
              if (by_days && first[c] <= as_of - o.stuck_days * day_seconds) why |= 2;
              if (why != 0) add(c, why);
            }
          }
        }
        for (const index_t c : touched) {
          counted[c] = 0;
          first[c] = last[c] = nan;
        }
        touched.clear();
      }
    }
  });
  // Concatenated in learner order, then a stable counting sort by competency.
  std::vector<std::size_t> at(C + 1, 0);
  for (const auto& v : out)
    for (const entry& x : v) ++at[x.c + 1];
  for (std::size_t c = 0; c < C; ++c) at[c + 1] += at[c];
  const std::size_t m = at[C];
  frontier_groups g;
  g.competency.resize(m);
  g.learner.resize(m);
  g.counted.resize(m);
  g.first.resize(m);
  g.last.resize(m);
  g.reasons.resize(m);
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
