// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// first_mastery: when each (learner, competency) pair was first mastered, by replaying its
// evidence with the engine's running formulas (accumulate.hpp) and status rule (decision.hpp),
// as the roster's O(1) path does.
#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <masterymap/cohort.hpp>
#include <stdexcept>

#include "decision.hpp"
#include "engine_detail.hpp"
#include "parallel.hpp"

namespace masterymap {
namespace {

using detail::folding_rule;

// The running state of one pair (as roster_impl.hpp's accumulator).
struct replay {
  detail::running run;
  double pre_max = -std::numeric_limits<double>::infinity();
  std::array<float, detail::max_tracked_kinds> require_last, confirm_last;
  replay() {
    require_last.fill(std::numeric_limits<float>::quiet_NaN());
    confirm_last.fill(std::numeric_limits<float>::quiet_NaN());
  }
  void fold(const folding_rule& fr, float score, const evidence_attributes& attr) {
    const std::uint8_t k = attr.kind;
    const double S = static_cast<double>(score);
    if (static_cast<int>(k) == fr.kinds.pretest) pre_max = std::max(pre_max, S);
    for (std::size_t j = 0; j < fr.kinds.require.size(); ++j)
      if (fr.kinds.require[j] == static_cast<int>(k)) require_last[j] = score;
    for (std::size_t j = 0; j < fr.kinds.confirm.size(); ++j)
      if (fr.kinds.confirm[j] == static_cast<int>(k)) confirm_last[j] = score;
    if (fr.skips(k)) return;
    detail::push(run, fr.mp, S, static_cast<double>(attr.weight));
  }
  [[nodiscard]] status decide(const folding_rule& fr, const scale& sc) const {
    const std::optional<double> value = detail::value_of(run, fr.mp);
    auto ignore = [](std::size_t, double) {};
    detail::rule_conditions cond;
    cond.reached = value && sc.reaches_mastery(*value);
    cond.exceeds = value && sc.reaches_exceeds(*value);
    cond.enough = run.n >= fr.r.min_evidence;
    cond.confirmed = detail::all_confirmed(
        sc, fr.kinds.require.size(),
        [&](std::size_t j) { return static_cast<double>(require_last[j]); }, ignore,
        cond.gate_refused);
    cond.exempt_level = detail::reaches_exemption(fr.r, pre_max, sc);
    cond.exempt_confirmed = cond.exempt_level &&
                            detail::all_confirmed(
                                sc, fr.kinds.confirm.size(),
                                [&](std::size_t j) { return static_cast<double>(confirm_last[j]); },
                                ignore, cond.exempt_refused);
    return detail::decide_status(cond);
  }
};

// Rollup parents and everything below them (their statuses are read or decided by a rollup).
std::vector<std::uint8_t> under_rollups(const framework& fw, const policy& p) {
  std::vector<std::uint8_t> mark(fw.size(), 0);
  std::vector<index_t> stack;
  for (index_t i = 0; i < fw.size(); ++i)
    if (p.rollups().count(fw.id_of(i)) > 0 || (p.default_rollup() && !fw.children(i).empty()))
      stack.push_back(i);
  while (!stack.empty()) {
    const index_t x = stack.back();
    stack.pop_back();
    if (mark[x]) continue;
    mark[x] = 1;
    for (index_t c : fw.children(x)) stack.push_back(c);
  }
  return mark;
}

struct spell {
  index_t c;
  std::uint32_t l;
  double origin, end;
  std::uint8_t event;
  std::uint32_t attempts;
};

}  // namespace

mastery_spells first_mastery(const roster& r, double origin, unsigned threads) {
  const std::size_t L = r.size(), C = r.competencies();
  const evidence_log& log = r.log();
  if (log.learners().size() != L)
    throw std::logic_error("first_mastery: the roster's learners are not its log's");
  if (threads == 0) threads = r.options().threads;
  const framework& fw = r.framework();
  const scale& sc = r.policy().scale();
  const double as_of = r.as_of();
  mastery_spells out;
  out.replayed.assign(C, 0);
  std::vector<folding_rule> rules(C);
  const auto rolled = under_rollups(fw, r.policy());
  for (index_t c = 0; c < C; ++c) {
    const rule& ru = r.policy().rule_for(fw.at(c).id, fw.at(c).domain);
    if (rolled[c] || detail::fold_form_of(ru) == detail::fold_form::none) continue;
    rules[c] = folding_rule(ru, sc, detail::bind_rule(ru, log));
    out.replayed[c] = 1;
  }
  std::vector<std::uint32_t> comp(log.competencies().size(), detail::none32);
  for (std::size_t j = 0; j < comp.size(); ++j)
    if (auto i = fw.find(log.competencies()[j])) comp[j] = *i;
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
  const auto& st = r.statuses();
  const auto& cc = log.competency_codes();
  const auto& times = log.times();
  const auto& scores = log.scores();
  const auto& acode = log.attribute_codes();
  const auto& attrs = log.attributes();
  const bool fixed = !std::isnan(origin);

  constexpr std::size_t block = 1024;
  const std::size_t blocks = (L + block - 1) / block;
  std::vector<std::vector<spell>> parts(blocks);
  detail::parallel_for(blocks, threads, 1, [&](std::size_t b0, std::size_t b1) {
    struct ev {
      index_t c;
      double t;
      std::uint32_t row;
    };
    std::vector<ev> evs;
    for (std::size_t b = b0; b < b1; ++b) {
      const std::size_t e = std::min(L, (b + 1) * block);
      for (std::size_t l = b * block; l < e; ++l) {
        evs.clear();
        for (std::size_t k = start[l]; k < start[l + 1]; ++k) {
          const std::uint32_t i = rows[k];
          const std::uint32_t c = comp[cc[i]];
          if (c == detail::none32 || !out.replayed[c] || !(times[i] <= as_of)) continue;
          const status s = st[l * C + c];
          if (s == status::exempt || s == status::inferred) continue;
          evs.push_back({c, times[i], i});
        }
        std::sort(evs.begin(), evs.end(), [](const ev& x, const ev& y) {
          return x.c < y.c || (x.c == y.c && (x.t < y.t || (x.t == y.t && x.row < y.row)));
        });
        for (std::size_t a = 0; a < evs.size();) {
          const index_t c = evs[a].c;
          const folding_rule& fr = rules[c];
          replay rp;
          spell sp{
              c, static_cast<std::uint32_t>(l), std::numeric_limits<double>::quiet_NaN(), as_of, 0,
              0};
          for (; a < evs.size() && evs[a].c == c; ++a) {
            if (sp.event) continue;
            const std::uint32_t i = evs[a].row;
            const std::uint32_t before = rp.run.n;
            rp.fold(fr, scores[i], attrs[acode[i]]);
            if (rp.run.n != before && std::isnan(sp.origin)) sp.origin = evs[a].t;
            const status s = rp.decide(fr, sc);
            if (s == status::mastered || s == status::exceeded) {
              sp.event = 1;
              sp.end = evs[a].t;
            }
          }
          sp.attempts = rp.run.n;
          if (std::isnan(sp.origin)) continue;  // no counted evidence
          if (fixed) sp.origin = origin;
          if (sp.end < sp.origin) continue;
          parts[b].push_back(sp);
        }
      }
    }
  });
  std::vector<std::size_t> at(C + 1, 0);
  for (const auto& v : parts)
    for (const spell& x : v) ++at[x.c + 1];
  for (std::size_t c = 0; c < C; ++c) at[c + 1] += at[c];
  const std::size_t m = at[C];
  out.competency.resize(m);
  out.learner.resize(m);
  out.origin.resize(m);
  out.end.resize(m);
  out.event.resize(m);
  out.attempts.resize(m);
  for (const auto& v : parts)
    for (const spell& x : v) {
      const std::size_t k = at[x.c]++;
      out.competency[k] = x.c;
      out.learner[k] = x.l;
      out.origin[k] = x.origin;
      out.end[k] = x.end;
      out.event[k] = x.event;
      out.attempts[k] = x.attempts;
    }
  return out;
}

}  // namespace masterymap
