// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// first_mastery: when each (learner, competency) pair was first mastered, by replaying its
// evidence with the engine's running formulas (accumulate.hpp) and status rule (decision.hpp),
// as the roster's O(1) path does; pairs whose rule does not fold (windows, expiry, mode, bkt,
// monotonic holding) and rollups are re-evaluated by the engine at each of their evidence times.
#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <masterymap/cohort.hpp>
#include <stdexcept>

#include "cohort_evidence.hpp"
#include "decision.hpp"
#include "engine_detail.hpp"
#include "memory_util.hpp"
#include "parallel.hpp"

namespace masterymap {
namespace {

using detail::folding_rule;

bool is_rollup(const framework& fw, const policy& p, index_t i) {
  return p.rollups().count(fw.id_of(i)) > 0 || (p.default_rollup() && !fw.children(i).empty());
}

// Rollup parents and everything below them (their statuses are read or decided by a rollup).
std::vector<std::uint8_t> under_rollups(const framework& fw, const policy& p) {
  std::vector<std::uint8_t> mark(fw.size(), 0);
  std::vector<index_t> stack;
  for (index_t i = 0; i < fw.size(); ++i)
    if (is_rollup(fw, p, i)) stack.push_back(i);
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
  // Per competency: 1 replayed by its running formula, 0 re-evaluated (by_eval).
  std::vector<std::uint8_t> folded(C, 0), by_eval(C, 0);
  std::vector<folding_rule> rules(C);
  const auto rolled = under_rollups(fw, r.policy());
  bool any_eval = false;
  for (index_t c = 0; c < C; ++c) {
    const rule& ru = r.policy().rule_for(fw.at(c).id, fw.at(c).domain);
    if (rolled[c] || detail::fold_form_of(ru) == detail::fold_form::none) {
      by_eval[c] = 1;
      any_eval = true;
      continue;
    }
    rules[c] = folding_rule(ru, sc, detail::bind_rule(ru, log));
    folded[c] = 1;
  }
  // Rows that can change an evaluated pair: its own and, for rollups, their parts'.
  std::vector<std::uint8_t> eval_rows(C, 0), rollup(C, 0);
  for (index_t c = 0; c < C; ++c) {
    eval_rows[c] = by_eval[c] || rolled[c];
    rollup[c] = is_rollup(fw, r.policy(), c);
  }
  std::vector<std::uint32_t> comp(log.competencies().size(), detail::none32);
  for (std::size_t j = 0; j < comp.size(); ++j)
    if (auto i = fw.find(log.competencies()[j])) comp[j] = *i;
  const auto& cc = log.competency_codes();
  const auto& times = log.times();
  const auto& scores = log.scores();
  const auto& acode = log.attribute_codes();
  const auto& attrs = log.attributes();
  const bool fixed = !std::isnan(origin);

  // The pairs of learner l under rules that do not fold and rollups. Origin (as for folding
  // rules): the pair's first counted row; for a rollup parent, the first counted row of any of
  // its parts (the hierarchy below it). The learner is then evaluated by the engine as of each
  // distinct time, from the earliest origin on, of its rows on those competencies and their
  // parts, in order; a pair's event is the first such time it is mastered or exceeded, its
  // attempts the counted rows up to that time. O(k * rows of the learner) for k such times.
  std::vector<detail::rule_binding> bind(C);
  std::vector<std::vector<index_t>> parts_of(C);
  for (index_t c = 0; c < C; ++c) {
    if (!by_eval[c]) continue;
    bind[c] = detail::bind_rule(r.policy().rule_for(fw.at(c).id, fw.at(c).domain), log);
    if (!rollup[c]) continue;
    const auto kids = fw.children(c);
    std::vector<index_t> stack(kids.begin(), kids.end());
    std::vector<std::uint8_t> seen(C, 0);
    while (!stack.empty()) {
      const index_t x = stack.back();
      stack.pop_back();
      if (seen[x]) continue;
      seen[x] = 1;
      parts_of[c].push_back(x);
      for (index_t y : fw.children(x)) stack.push_back(y);
    }
  }
  // `st`: learner l's statuses (its row, materialised by the caller).
  auto evaluate_pairs = [&](std::size_t l, const status* st, std::vector<spell>& sink,
                            std::vector<double>& first) {
    std::vector<index_t> targets;
    for (index_t c = 0; c < C; ++c)
      if (by_eval[c]) {
        const status s = st[c];
        if (s != status::not_started && s != status::exempt && s != status::inferred)
          targets.push_back(c);
      }
    if (targets.empty()) return;
    // First counted time per competency (own rules: a part under a rollup counts by its own).
    first.assign(C, std::numeric_limits<double>::quiet_NaN());
    for (const std::uint32_t i : r.log_rows(l)) {
      const std::uint32_t c = comp[cc[i]];
      if (c == detail::none32 || !(times[i] <= as_of)) continue;
      const evidence_attributes& a = attrs[acode[i]];
      const detail::rule_binding& rb = by_eval[c] ? bind[c] : rules[c].kinds;
      if (a.retracted || std::isnan(scores[i]) || rb.flags[a.kind] != 0) continue;
      if (!(times[i] >= first[c])) first[c] = times[i];
    }
    std::vector<spell> sp;
    double from = std::numeric_limits<double>::infinity();
    for (const index_t c : targets) {
      double o = first[c];
      for (const index_t x : parts_of[c])
        if (!(o <= first[x])) o = std::isnan(o) ? first[x] : std::min(o, first[x]);
      if (std::isnan(o)) continue;  // no counted evidence
      sp.push_back({c, static_cast<std::uint32_t>(l), o, as_of, 0, 0});
      from = std::min(from, o);
    }
    if (sp.empty()) return;
    std::vector<double> when;
    for (const std::uint32_t i : r.log_rows(l)) {
      const std::uint32_t c = comp[cc[i]];
      if (c != detail::none32 && eval_rows[c] && times[i] <= as_of && times[i] >= from)
        when.push_back(times[i]);
    }
    std::sort(when.begin(), when.end());
    when.erase(std::unique(when.begin(), when.end()), when.end());
    const std::string& id = r.learners()[l];
    std::size_t open = sp.size();
    for (const double t : when) {
      if (open == 0) break;
      const learner_state state = r.learner(id, t);
      for (spell& x : sp) {
        if (x.event || t < x.origin) continue;
        const status s = state.status(x.c);
        if (s == status::mastered || s == status::exceeded) {
          x.event = 1;
          x.end = t;
          --open;
        }
      }
    }
    for (spell& x : sp) {
      // Attempts: the pair's own counted rows up to the event (all of them when censored).
      for (const std::uint32_t i : r.log_rows(l)) {
        if (comp[cc[i]] != x.c || !(times[i] <= x.end)) continue;
        const evidence_attributes& a = attrs[acode[i]];
        if (!a.retracted && !std::isnan(scores[i]) && bind[x.c].flags[a.kind] == 0) ++x.attempts;
      }
      if (fixed) x.origin = origin;
      if (x.end < x.origin) continue;
      sink.push_back(x);
    }
  };

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
    std::vector<double> first;
    // One learner's statuses at a time (O(touched), not a dense row per learner).
    detail::sparse_statuses statuses(C);
    // The replay of events in time order: per competency its running state and open spell
    // (`open[c].l == l`: begun for learner l), the competencies begun, in order.
    std::vector<detail::pair_replay> state(C);
    std::vector<spell> open(C, spell{0, detail::none32, 0, 0, 0, 0});
    std::vector<index_t> begun;
    // The log's columns and the tables as locals: read through the closure's references, GCC
    // reloads them after every byte-sized store of the loop (see gather_rows).
    const std::uint32_t* ccp = cc.data();
    const double* tp = times.data();
    const float* sp_scores = scores.data();
    const std::uint32_t* ap = acode.data();
    const evidence_attributes* attp = attrs.data();
    const std::uint32_t* compp = comp.data();
    const std::uint8_t* foldp = folded.data();
    const folding_rule* rulep = rules.data();
    const double as_of_l = as_of, origin_l = origin;
    const bool fixed_l = fixed;
    // A spell as it is output: the fixed origin, if any; none that ends before its origin.
    auto emit = [&](spell sp, std::vector<spell>& out_b) {
      if (std::isnan(sp.origin)) return;  // no counted evidence
      if (fixed_l) sp.origin = origin_l;
      if (sp.end < sp.origin) return;
      out_b.push_back(sp);
    };
    // One event of a pair: fold it, then its status (until the first mastery).
    auto step = [&](const folding_rule& fr, detail::pair_replay& rp, spell& sp, double t,
                    std::uint32_t i) {
      const std::uint32_t before = rp.run.n;
      rp.fold(fr, sp_scores[i], attp[ap[i]]);
      if (rp.run.n != before && std::isnan(sp.origin)) sp.origin = t;
      const status s = rp.decide(fr, sc);
      if (s == status::mastered || s == status::exceeded) {
        sp.event = 1;
        sp.end = t;
      }
    };
    for (std::size_t b = b0; b < b1; ++b) {
      const std::size_t e = std::min(L, (b + 1) * block);
      std::vector<spell>& out_b = parts[b];
      for (std::size_t l = b * block; l < e; ++l) {
        const auto l32 = static_cast<std::uint32_t>(l);
        statuses.load(r, l);
        const status* st = statuses.data();
        // The learner's rows are spread over the log (it is in arrival order): start loading
        // the columns of rows a few ahead, so the misses overlap instead of queueing.
        const std::vector<std::uint32_t>& rows = r.log_rows(l);
        constexpr std::size_t ahead = 8;
        // First, in row order, which is usually also time order (a learner's evidence arrives
        // as it happens): then every pair's events come in its replay order (time, then row)
        // and are folded as they come, with no sort. A time earlier than the one before breaks
        // that; the learner is then replayed from its events sorted.
        bool in_time_order = true;
        double prev = -std::numeric_limits<double>::infinity();
        begun.clear();
        for (std::size_t k = 0; k < rows.size(); ++k) {
          if (k + ahead < rows.size()) {
            const std::uint32_t j = rows[k + ahead];
            detail::prefetch(ccp + j);
            detail::prefetch(tp + j);
            detail::prefetch(ap + j);
            detail::prefetch(sp_scores + j);
          }
          const std::uint32_t i = rows[k];
          const std::uint32_t c = compp[ccp[i]];
          const double t = tp[i];
          if (c == detail::none32 || !foldp[c] || !(t <= as_of_l)) continue;
          if (attp[ap[i]].retracted) continue;  // voided: never counts
          const status s = st[c];
          if (s == status::exempt || s == status::inferred) continue;
          if (t < prev) {
            in_time_order = false;
            break;
          }
          prev = t;
          spell& sp = open[c];
          if (sp.l != l32) {
            sp = spell{static_cast<index_t>(c),
                       l32,
                       std::numeric_limits<double>::quiet_NaN(),
                       as_of_l,
                       0,
                       0};
            state[c] = detail::pair_replay{};
            begun.push_back(static_cast<index_t>(c));
          }
          if (!sp.event) step(rulep[c], state[c], sp, t, i);
        }
        if (in_time_order) {
          for (const index_t c : begun) {
            spell sp = open[c];
            sp.attempts = state[c].run.n;
            emit(sp, out_b);
          }
        } else {
          for (const index_t c : begun) open[c].l = detail::none32;
          evs.clear();
          for (const std::uint32_t i : rows) {
            const std::uint32_t c = compp[ccp[i]];
            const double t = tp[i];
            if (c == detail::none32 || !foldp[c] || !(t <= as_of_l)) continue;
            if (attp[ap[i]].retracted) continue;
            const status s = st[c];
            if (s == status::exempt || s == status::inferred) continue;
            evs.push_back({c, t, i});
          }
          // By competency, then time, then row.
          std::sort(evs.begin(), evs.end(), [](const ev& x, const ev& y) {
            return x.c < y.c || (x.c == y.c && (x.t < y.t || (x.t == y.t && x.row < y.row)));
          });
          for (std::size_t a = 0; a < evs.size();) {
            const index_t c = evs[a].c;
            detail::pair_replay rp;
            spell sp{c, l32, std::numeric_limits<double>::quiet_NaN(), as_of_l, 0, 0};
            for (; a < evs.size() && evs[a].c == c; ++a)
              if (!sp.event) step(rulep[c], rp, sp, evs[a].t, evs[a].row);
            sp.attempts = rp.run.n;
            emit(sp, out_b);
          }
        }
        if (any_eval) evaluate_pairs(l, st, out_b, first);
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
