// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// A learner's plan on a progression: gaps, a path to goals, recommendations, levels per domain
// (the gating itself, codes and the frontier are in progression.cpp).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <masterymap/progression.hpp>
#include <queue>
#include <stdexcept>
#include <tuple>
#include <utility>

#include "progression_impl.hpp"

namespace masterymap {

namespace {
constexpr double seconds_per_day = 86400.0;
}  // namespace

using detail::check_index;
using detail::check_view;
using detail::closure;
using detail::ready_at;
using detail::score_at;

namespace {

/// Index of the lowest set bit of a non-zero word.
inline unsigned lowest_bit(std::uint64_t bits) noexcept {
#if defined(__GNUC__) || defined(__clang__)
  return static_cast<unsigned>(__builtin_ctzll(bits));
#else
  unsigned b = 0;
  while (((bits >> b) & 1U) == 0) ++b;
  return b;
#endif
}

/// Number of set bits.
inline std::size_t bit_count(std::uint64_t bits) noexcept {
#if defined(__GNUC__) || defined(__clang__)
  return static_cast<std::size_t>(__builtin_popcountll(bits));
#else
  std::size_t c = 0;
  for (; bits != 0; bits &= bits - 1) ++c;
  return c;
#endif
}

/// The gaps before ranking: each competency not done that fails a gating link into a chain
/// reaching done competencies (the anchors), with those anchors in learning order; in learning
/// order of the gaps. With `only`, just the gaps where only[c] != 0.
std::vector<std::pair<index_t, std::vector<index_t>>> undermined(const detail::progression_data& d,
                                                                 const std::uint8_t* codes,
                                                                 const std::uint8_t* only) {
  const std::size_t n = d.n;
  const auto& topo = d.fw.topological_order();
  // Anchors (done competencies: the one predicate of met work, the attainment code), numbered
  // in learning order. Work only in progress anchors no gap: its unmet prerequisites block it
  // (progression::blockers).
  std::vector<index_t> anchors;
  for (index_t x : topo)
    if (codes[x] == progression::done_code) anchors.push_back(x);
  // Candidates: not done, with at least one unmet gating link out.
  std::vector<index_t> cand;
  for (index_t x : topo) {
    if (codes[x] == progression::done_code || (only && !only[x])) continue;
    for (std::uint32_t k = d.out_off[x]; k < d.out_off[x + 1]; ++k)
      if (codes[x] < d.out_need[k]) {
        cand.push_back(x);
        break;
      }
  }
  std::vector<std::vector<index_t>> und(cand.size());
  // Reachable anchors per vertex as bit sets of W words, in blocks of W * 64 anchors (W <= 8:
  // bounded memory, 64 bytes/vertex).
  constexpr std::size_t max_words = 8;
  const std::size_t W = std::min(max_words, (anchors.size() + 63) / 64);
  std::vector<std::uint64_t> reach(n * W);
  std::vector<std::int32_t> anchor_pos(n, -1);
  for (std::size_t a = 0; a < anchors.size(); ++a)
    anchor_pos[anchors[a]] = static_cast<std::int32_t>(a);
  for (std::size_t base = 0; base < anchors.size() && !cand.empty(); base += W * 64) {
    std::fill(reach.begin(), reach.end(), 0);
    for (auto it = topo.rbegin(); it != topo.rend(); ++it) {
      const index_t x = *it;
      std::uint64_t* rx = &reach[static_cast<std::size_t>(x) * W];
      const std::int32_t ap = anchor_pos[x];
      if (ap >= 0 && static_cast<std::size_t>(ap) >= base &&
          static_cast<std::size_t>(ap) < base + W * 64) {
        const std::size_t bit = static_cast<std::size_t>(ap) - base;
        rx[bit / 64] |= std::uint64_t{1} << (bit % 64);
      }
      for (std::uint32_t k = d.out_off[x]; k < d.out_off[x + 1]; ++k) {
        const std::uint64_t* ry = &reach[static_cast<std::size_t>(d.out_dst[k]) * W];
        for (std::size_t w = 0; w < W; ++w) rx[w] |= ry[w];
      }
    }
    for (std::size_t ci = 0; ci < cand.size(); ++ci) {
      const index_t g = cand[ci];
      std::uint64_t acc[max_words] = {};
      for (std::uint32_t k = d.out_off[g]; k < d.out_off[g + 1]; ++k) {
        if (codes[g] >= d.out_need[k]) continue;
        const std::uint64_t* ry = &reach[static_cast<std::size_t>(d.out_dst[k]) * W];
        for (std::size_t w = 0; w < W; ++w) acc[w] |= ry[w];
      }
      std::size_t found = 0;
      for (std::size_t w = 0; w < W; ++w) found += bit_count(acc[w]);
      und[ci].reserve(und[ci].size() + found);
      for (std::size_t w = 0; w < W; ++w)
        for (std::uint64_t bits = acc[w]; bits != 0; bits &= bits - 1)
          und[ci].push_back(anchors[base + w * 64 + lowest_bit(bits)]);
    }
  }
  std::vector<std::pair<index_t, std::vector<index_t>>> out;
  for (std::size_t ci = 0; ci < cand.size(); ++ci)
    if (!und[ci].empty()) out.emplace_back(cand[ci], std::move(und[ci]));
  return out;
}

}  // namespace

std::vector<gap> progression::gaps(const learner_view& v) const {
  check_view(*d_, v);
  const auto& d = *d_;
  std::vector<std::uint8_t> codes(d.n);
  encode(v.statuses, v.scores, codes.data());
  std::vector<gap> out;
  for (auto& [g, und] : undermined(d, codes.data(), nullptr)) {
    const competency& comp = d.fw.at(g);
    gap x;
    x.competency = g;
    x.id = comp.id;
    x.status = v.statuses[g];
    x.score = score_at(v, g);
    x.domain = comp.domain;
    x.level = comp.level;
    x.undermines = std::move(und);
    x.ready = ready_at(d, codes.data(), g);
    out.push_back(std::move(x));
  }
  std::stable_sort(out.begin(), out.end(), [&](const gap& a, const gap& b) {
    if (a.undermines.size() != b.undermines.size())
      return a.undermines.size() > b.undermines.size();
    return d.rank[a.competency] < d.rank[b.competency];
  });
  return out;
}

learning_path progression::path_to(const learner_view& v, const std::vector<index_t>& goals,
                                   std::optional<double> rate_per_day) const {
  check_view(*d_, v);
  for (index_t g : goals) check_index(*d_, g);
  if (rate_per_day && !(*rate_per_day > 0 && std::isfinite(*rate_per_day)))
    throw std::invalid_argument(
        fmt::format("path_to: the rate must be a positive number, got {}", *rate_per_day));
  const auto& d = *d_;
  std::vector<std::uint8_t> codes(d.n);
  encode(v.statuses, v.scores, codes.data());
  learning_path path;
  for (index_t g : goals)
    if (codes[g] != done_code &&
        std::find(path.goals.begin(), path.goals.end(), g) == path.goals.end())
      path.goals.push_back(g);
  std::vector<blocker> items = closure(*this, v, codes.data(), path.goals, true, true);
  // Kahn's algorithm over every edge among the items, nearest-to-ready first. A rollup parent
  // is two nodes, an entry (after its prerequisites, before its parts) and an exit (after its
  // parts, before its dependents), and is not a step itself.
  const std::size_t m = items.size();
  std::vector<std::int32_t> pos(d.n, -1);
  for (std::size_t i = 0; i < m; ++i) pos[items[i].competency] = static_cast<std::int32_t>(i);
  std::vector<std::uint32_t> exit_of(m);
  std::uint32_t nodes = static_cast<std::uint32_t>(m);
  for (std::size_t i = 0; i < m; ++i)
    exit_of[i] = d.target[items[i].competency] ? static_cast<std::uint32_t>(i) : nodes++;
  std::vector<std::uint32_t> indeg(nodes, 0);
  std::vector<std::vector<std::uint32_t>> succ(nodes);
  auto link = [&](std::uint32_t from, std::uint32_t to) {
    ++indeg[to];
    succ[from].push_back(to);
  };
  for (std::size_t i = 0; i < m; ++i) {
    const index_t x = items[i].competency;
    const auto in = static_cast<std::uint32_t>(i);
    for (std::uint32_t k = d.all_in_off[x]; k < d.all_in_off[x + 1]; ++k) {
      const std::int32_t p = pos[d.all_in_src[k]];
      if (p >= 0) link(exit_of[static_cast<std::size_t>(p)], in);
    }
    if (!d.target[x]) {
      bool any = false;
      for (std::uint32_t k = d.part_off[x]; k < d.part_off[x + 1]; ++k) {
        const std::int32_t p = pos[d.part[k]];
        if (p < 0) continue;
        link(in, static_cast<std::uint32_t>(p));
        link(exit_of[static_cast<std::size_t>(p)], exit_of[i]);
        any = true;
      }
      if (!any) link(in, exit_of[i]);
    }
  }
  using key = std::tuple<std::uint32_t, int, std::uint32_t, std::uint32_t>;
  std::priority_queue<key, std::vector<key>, std::greater<key>> q;
  auto push = [&](std::uint32_t node) {
    const blocker& b = items[node < m ? node : 0];
    if (node >= m) {  // an exit: no step, free to go at once
      q.emplace(0, 0, 0, node);
      return;
    }
    q.emplace(b.distance, b.status == status::not_started ? 1 : 0, d.rank[b.competency], node);
  };
  for (std::uint32_t i = 0; i < nodes; ++i)
    if (indeg[i] == 0) push(i);
  std::vector<std::uint8_t> emitted(m, 0);
  while (!q.empty()) {
    const std::uint32_t i = std::get<3>(q.top());
    q.pop();
    if (i < m && d.target[items[i].competency]) {
      path.steps.push_back(items[i]);
      emitted[i] = 1;
    }
    for (std::uint32_t j : succ[i])
      if (--indeg[j] == 0) push(j);
  }
  // A part that is also a prerequisite of its own parent makes a cycle of the two-node form:
  // whatever it held back follows in learning order.
  for (std::size_t i = 0; i < m; ++i)
    if (!emitted[i] && d.target[items[i].competency] && indeg[i] != 0)
      path.steps.push_back(items[i]);
  if (rate_per_day) path.days = static_cast<double>(path.steps.size()) / *rate_per_day;
  return path;
}

void validate(const recommend_options& o) {
  for (const auto& [name, w] : {std::pair<const char*, double>{"unlock_weight", o.unlock_weight},
                                {"goal_weight", o.goal_weight},
                                {"level_weight", o.level_weight},
                                {"recency_weight", o.recency_weight},
                                {"gap_weight", o.gap_weight}})
    if (!std::isfinite(w))
      throw std::invalid_argument(
          fmt::format("recommend: {} must be a finite number, got {}", name, w));
  if (!(o.recency_days > 0 && std::isfinite(o.recency_days)))
    throw std::invalid_argument(fmt::format(
        "recommend: recency_days must be a positive number of days, got {}", o.recency_days));
  if (o.as_of && std::isnan(*o.as_of)) throw std::invalid_argument("recommend: as_of is NaN");
}

std::vector<recommendation> progression::recommend(const learner_view& v, std::size_t k,
                                                   const recommend_options& o) const {
  check_view(*d_, v);
  for (index_t g : o.goals) check_index(*d_, g);
  validate(o);
  const auto& d = *d_;
  std::vector<std::uint8_t> codes(d.n), flags(d.n);
  encode(v.statuses, v.scores, codes.data());
  frontier_flags(codes.data(), flags.data());
  // Fewest gating links up to a goal (breadth-first, backwards).
  std::vector<std::uint32_t> gdist(d.n, UINT32_MAX);
  std::vector<index_t> queue;
  for (index_t g : o.goals)
    if (gdist[g] != 0) {
      gdist[g] = 0;
      queue.push_back(g);
    }
  for (std::size_t h = 0; h < queue.size(); ++h) {
    const index_t x = queue[h];
    for (std::uint32_t e = d.in_off[x]; e < d.in_off[x + 1]; ++e)
      if (gdist[d.in_src[e]] == UINT32_MAX) {
        gdist[d.in_src[e]] = gdist[x] + 1;
        queue.push_back(d.in_src[e]);
      }
  }
  // The learner's working level per domain (see recommend_options): the highest level with
  // evidence of its own in it (inferred is not evidence: a 4th grader's inferred kindergarten
  // counting does not make her work at kindergarten level in a domain that ends there), else
  // the highest over all domains; and at least the level after the domain's highest complete
  // level (`level`: all done, inferred included), so a learner placed at grade 4, or done with
  // grade 3, works at grade 4.
  constexpr int no_level = detail::progression_data::no_level;
  std::vector<int> working(d.domain_names.size(), no_level);
  std::vector<std::uint32_t> open(d.slot_level.size(), 0);
  int overall = no_level;
  for (index_t c = 0; c < d.n; ++c) {  // branch-free: no_level is the smallest int
    const status s = v.statuses[c];
    const int l = s != status::not_started && s != status::inferred ? d.level_of[c] : no_level;
    int& w = working[d.domain_of[c]];
    w = std::max(w, l);
    overall = std::max(overall, l);
    if (d.slot_of[c] != detail::progression_data::no_slot && !is_done(s)) ++open[d.slot_of[c]];
  }
  std::vector<int> next(working.size(), no_level);
  for (std::size_t dom = 0; dom < working.size(); ++dom)
    for (std::uint32_t j = d.slot_off[dom + 1]; j-- > d.slot_off[dom];)
      if (open[j] == 0) {
        if (j + 1 < d.slot_off[dom + 1]) next[dom] = d.slot_level[j + 1];
        break;
      }
  // The domains with evidence of their own first; the others take the median of those (a
  // stray standard far from the learner's grade in one domain does not move them), or of the
  // next levels when the learner is known only by a placement.
  std::vector<int> known;
  for (std::size_t dom = 0; dom < working.size(); ++dom)
    if (working[dom] != no_level) {
      working[dom] = std::max(working[dom], next[dom]);
      known.push_back(working[dom]);
    }
  if (known.empty())
    for (int x : next)
      if (x != no_level) known.push_back(x);
  if (!known.empty()) {
    std::nth_element(known.begin(), known.begin() + (known.size() - 1) / 2, known.end());
    overall = known[(known.size() - 1) / 2];  // the lower median
  }
  for (std::size_t dom = 0; dom < working.size(); ++dom)
    if (working[dom] == no_level) working[dom] = std::max(overall, next[dom]);
  auto working_at = [&](index_t c) { return working[d.domain_of[c]]; };
  auto leveled = [&](index_t c) { return d.level_of[c] != no_level && working_at(c) != no_level; };
  auto level_key = [&](index_t c) {
    const int l = d.level_of[c];
    return l != no_level ? static_cast<double>(l) : static_cast<double>(d.depth[c]);
  };
  double lmin = std::numeric_limits<double>::infinity();
  for (index_t c = 0; c < d.n; ++c)
    if (flags[c] && !leveled(c)) lmin = std::min(lmin, level_key(c));
  const double now = o.as_of.value_or(v.as_of);
  // The gaps on the frontier and what they undermine (repairs), looked up by competency.
  std::vector<std::pair<index_t, std::vector<index_t>>> gap_list;
  if (o.gap_weight != 0.0) gap_list = undermined(d, codes.data(), flags.data());
  std::vector<std::uint32_t> gap_of(gap_list.empty() ? 0 : d.n, UINT32_MAX);
  for (std::size_t i = 0; i < gap_list.size(); ++i)
    gap_of[gap_list[i].first] = static_cast<std::uint32_t>(i);
  auto repairs = [&](index_t c) -> std::vector<index_t>* {
    return gap_of.empty() || gap_of[c] == UINT32_MAX ? nullptr : &gap_list[gap_of[c]].second;
  };
  // The not-done dependents of c that would join the frontier if c were done.
  auto unlocked = [&](index_t c, auto&& emit) {
    for (std::uint32_t e = d.out_off[c]; e < d.out_off[c + 1]; ++e) {
      const index_t x = d.out_dst[e];
      if (codes[x] == done_code || flags[x]) continue;
      bool ok = true;
      for (std::uint32_t f = d.in_off[x]; f < d.in_off[x + 1] && ok; ++f)
        ok = (d.in_src[f] == c ? done_code : codes[d.in_src[f]]) >= d.in_need[f];
      if (ok) emit(x);
    }
  };
  auto days_since = [&](index_t c) -> std::optional<double> {
    if (v.last_evidence && !std::isnan(v.last_evidence[c]) && !std::isnan(now))
      return std::max(0.0, (now - v.last_evidence[c]) / seconds_per_day);
    return std::nullopt;
  };
  auto levels_text = [](int n) { return fmt::format("{} level{}", n, n == 1 ? "" : "s"); };
  auto in_domain = [&](index_t c) {
    const std::string& dom = d.domain_names[d.domain_of[c]];
    return dom.empty() ? std::string() : fmt::format(" in {}", dom);
  };
  // First every frontier competency's score alone (no strings, no lists); the full
  // recommendation, with its reasons, only for the top k.
  struct scored {
    index_t c;
    double score;
    bool below;  // below the working level, no evidence, no goal: ranked last
    bool ahead;  // two or more levels above it, no evidence, no goal: after work at the level
  };
  std::vector<scored> ranked;
  std::vector<index_t> seen_by(d.n, UINT32_MAX);  // dedups unlocks reached by parallel edges
  for (index_t c = 0; c < d.n; ++c) {
    if (!flags[c]) continue;
    std::size_t unlocks = 0;
    unlocked(c, [&](index_t x) {
      if (seen_by[x] != c) {
        seen_by[x] = c;
        ++unlocks;
      }
    });
    const double goal = gdist[c] != UINT32_MAX ? 1.0 / (1.0 + gdist[c]) : 0.0;
    const double lterm =
        leveled(c) ? 1.0 / (1.0 + std::abs(static_cast<double>(d.level_of[c] - working_at(c))))
                   : 1.0 / (1.0 + (level_key(c) - lmin));
    double recency = 0.0;
    if (v.statuses[c] != status::not_started) {
      const auto days = days_since(c);
      recency = days ? std::exp(-*days / o.recency_days) : 0.5;
    }
    const std::size_t fills = repairs(c) ? repairs(c)->size() : 0;
    const double score = o.unlock_weight * static_cast<double>(unlocks) + o.goal_weight * goal +
                         o.level_weight * lterm + o.recency_weight * recency +
                         o.gap_weight * static_cast<double>(fills);
    const bool below = leveled(c) && d.level_of[c] < working_at(c) &&
                       v.statuses[c] == status::not_started && gdist[c] == UINT32_MAX;
    // Far above: two or more levels above the working level, or, for a learner with no level
    // yet (a new learner), above the lowest open level (the foundations come first).
    const bool ahead = v.statuses[c] == status::not_started && gdist[c] == UINT32_MAX &&
                       (leveled(c) ? d.level_of[c] >= working_at(c) + 2
                                   : d.level_of[c] != no_level && level_key(c) >= lmin + 2);
    ranked.push_back({c, score, below, ahead});
  }
  // Holes behind failed work: the not-done competencies below a *contrary* one (evidence but
  // not done: in progress, awaiting, expired) that is itself under done work, through gating
  // links and not-done competencies. A Beginning score on 3.NF.A.1 under mastered grade-3 work
  // stops inference through it; the grade-2 standards only it rested on are then gaps that
  // repair it, and are not ranked last as unevidenced below-level work. (Work in progress that
  // no done work rests on, e.g. this year's grade-4 work, does not make its unevidenced K-2
  // prerequisites holes.) One sweep over the gating links, dependents first, O(V + E); only
  // when some pick is below level.
  if (std::any_of(ranked.begin(), ranked.end(), [](const scored& x) { return x.below; })) {
    constexpr std::uint8_t under_done = 1, behind_failed = 2;
    std::vector<std::uint8_t> mark(d.n, 0);
    for (std::size_t r = d.n; r-- > 0;) {
      const index_t x = d.order[r];
      if (codes[x] == done_code) continue;
      std::uint8_t m = 0;
      for (std::uint32_t e = d.out_off[x]; e < d.out_off[x + 1]; ++e) {
        const index_t y = d.out_dst[e];
        if (codes[y] == done_code) {
          m |= under_done;
          continue;
        }
        m |= mark[y];
        if ((mark[y] & under_done) && detail::in_progress_at(v, codes.data(), y))
          m |= behind_failed;
      }
      mark[x] = m;
    }
    for (auto& x : ranked) x.below = x.below && !(mark[x.c] & behind_failed);
  }
  const auto better = [&](const scored& a, const scored& b) {
    if (a.below != b.below) return b.below;
    if (a.ahead != b.ahead) return b.ahead;
    if (a.score != b.score) return a.score > b.score;
    return d.rank[a.c] < d.rank[b.c];
  };
  const std::size_t top = std::min(k, ranked.size());
  std::partial_sort(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(top), ranked.end(),
                    better);
  std::vector<recommendation> all;
  all.reserve(top);
  for (std::size_t i = 0; i < top; ++i) {
    const index_t c = ranked[i].c;
    recommendation r;
    r.competency = c;
    r.id = d.fw.id_of(c);
    r.score = ranked[i].score;
    r.status = v.statuses[c];
    r.level = d.fw.at(c).level;
    unlocked(c, [&](index_t x) { r.unlocks.push_back(x); });
    std::sort(r.unlocks.begin(), r.unlocks.end(),
              [&](index_t a, index_t b) { return d.rank[a] < d.rank[b]; });
    r.unlocks.erase(std::unique(r.unlocks.begin(), r.unlocks.end()), r.unlocks.end());
    if (gdist[c] != UINT32_MAX) r.goal_distance = gdist[c];
    const double lk = level_key(c);
    const bool below = ranked[i].below;
    if (below)
      r.reasons.push_back(fmt::format(
          "not yet evidenced, {} below the learner's working level ({}){}; consider a placement",
          levels_text(working_at(c) - d.level_of[c]), working_at(c), in_domain(c)));
    if (r.status != status::not_started) r.days_since_evidence = days_since(c);
    if (auto* rep = repairs(c)) r.repairs = std::move(*rep);
    // Reasons, most telling first.
    if (r.goal_distance) {
      if (*r.goal_distance == 0)
        r.reasons.push_back("a goal");
      else
        r.reasons.push_back(fmt::format("leads to a goal in {} step{}", *r.goal_distance,
                                        *r.goal_distance == 1 ? "" : "s"));
    }
    if (!r.repairs.empty()) {
      std::string ids;
      for (std::size_t j = 0; j < r.repairs.size() && j < 5; ++j)
        ids += (j ? ", " : "") + d.fw.id_of(r.repairs[j]);
      if (r.repairs.size() > 5) ids += ", ...";
      r.reasons.push_back(fmt::format("fills a gap under {}: {}", r.repairs.size(), ids));
    }
    if (!r.unlocks.empty()) {
      std::string ids;
      for (std::size_t j = 0; j < r.unlocks.size() && j < 5; ++j)
        ids += (j ? ", " : "") + d.fw.id_of(r.unlocks[j]);
      if (r.unlocks.size() > 5) ids += ", ...";
      r.reasons.push_back(fmt::format("unlocks {}: {}", r.unlocks.size(), ids));
    }
    if (r.status != status::not_started) {
      // Awaiting confirmation reads as what it is: the teacher's check is the next step.
      // (expired: mastery lapsed; in progress, contrary evidence or too little of it)
      const char* what = r.status == status::awaiting_confirmation || r.status == status::expired
                             ? status_text(r.status)
                             : "in progress";
      const long days = r.days_since_evidence ? std::lround(*r.days_since_evidence) : 0;
      if (r.days_since_evidence && days == 0)
        r.reasons.push_back(fmt::format("{}, last evidence today", what));
      else if (r.days_since_evidence)
        r.reasons.push_back(
            fmt::format("{}, last evidence {} day{} ago", what, days, days == 1 ? "" : "s"));
      else
        r.reasons.push_back(fmt::format("{} already", status_text(r.status)));
    }
    if (below) {
      // said first
    } else if (leveled(c)) {
      const int diff = d.level_of[c] - working_at(c);
      if (diff == 0)
        r.reasons.push_back(
            fmt::format("at the learner's working level ({}){}", working_at(c), in_domain(c)));
      else
        r.reasons.push_back(fmt::format("{} {} the learner's working level ({}){}",
                                        levels_text(std::abs(diff)), diff > 0 ? "above" : "below",
                                        working_at(c), in_domain(c)));
    } else if (lk <= lmin) {
      // A learner without leveled evidence (a new learner) starts at the foundations.
      r.reasons.push_back(
          r.level ? fmt::format("a starting point: level {} (the lowest level open{})", *r.level,
                                in_domain(c))
                  : fmt::format("a starting point: foundational (depth {} in the prerequisite "
                                "graph, the lowest open)",
                                d.depth[c]));
    } else if (r.level) {
      r.reasons.push_back(fmt::format("level {}{}", *r.level, in_domain(c)));
    } else {
      r.reasons.push_back(fmt::format("depth {} in the prerequisite graph", d.depth[c]));
    }
    all.push_back(std::move(r));
  }
  return all;
}

domain_level progression::level(const learner_view& v, std::string_view domain) const {
  check_view(*d_, v);
  const detail::progression_data& d = *d_;
  const auto dom_it = std::find(d.domain_names.begin(), d.domain_names.end(), domain);
  if (dom_it == d.domain_names.end()) throw unknown_id_error(std::string(domain), "domain");
  const auto dom = static_cast<std::size_t>(dom_it - d.domain_names.begin());
  domain_level out;
  out.domain = std::string(domain);
  // The domain's levels are its slots (the distinct levels of its leveled academic
  // competencies, ascending); each slot lists its competencies by index, so the learner's
  // tallies cost O(leveled competencies of the domain), without allocating for them.
  const std::uint32_t s0 = d.slot_off[dom], s1 = d.slot_off[dom + 1];
  out.levels.assign(d.slot_level.begin() + s0, d.slot_level.begin() + s1);
  constexpr std::size_t inline_slots = 64;
  std::size_t inline_done[inline_slots];
  std::vector<std::size_t> many;
  std::size_t* done = inline_done;
  if (s1 - s0 > inline_slots) {
    many.resize(s1 - s0);
    done = many.data();
  }
  auto total = [&](std::uint32_t j) -> std::size_t {
    return d.slot_comp_off[j + 1] - d.slot_comp_off[j];
  };
  std::optional<std::uint32_t> complete;  // the highest slot whose competencies are all done
  for (std::uint32_t j = s0; j < s1; ++j) {
    std::size_t k = 0;
    for (std::uint32_t x = d.slot_comp_off[j]; x < d.slot_comp_off[j + 1]; ++x)
      k += is_done(v.statuses[d.slot_comp[x]]) ? 1U : 0U;
    done[j - s0] = k;
    if (k == total(j)) complete = j;
  }
  if (complete) out.level = d.slot_level[*complete];
  // The next level: the first above the complete one (the lowest when none is complete).
  const std::uint32_t next = complete ? *complete + 1 : s0;
  if (next < s1) {
    out.next_level = d.slot_level[next];
    out.next_done = done[next - s0];
    out.next_total = total(next);
    out.next_progress =
        out.next_total ? static_cast<double>(out.next_done) / static_cast<double>(out.next_total)
                       : 0.0;
    out.next_remaining.reserve(out.next_total - out.next_done);  // (one allocation each)
    for (std::uint32_t x = d.slot_comp_off[next]; x < d.slot_comp_off[next + 1]; ++x)
      if (!is_done(v.statuses[d.slot_comp[x]])) out.next_remaining.push_back(d.slot_comp[x]);
  }
  // Gaps: not done below the complete level, by level then index (slot by slot).
  if (complete) {
    std::size_t gaps = 0, gap_levels = 0;
    for (std::uint32_t j = s0; j < *complete; ++j)
      if (done[j - s0] != total(j)) {
        gaps += total(j) - done[j - s0];
        ++gap_levels;
      }
    out.gaps.reserve(gaps);
    out.gap_levels.reserve(gap_levels);
  }
  if (complete)
    for (std::uint32_t j = s0; j < *complete; ++j) {
      if (done[j - s0] == total(j)) continue;
      out.gap_levels.push_back(d.slot_level[j]);
      for (std::uint32_t x = d.slot_comp_off[j]; x < d.slot_comp_off[j + 1]; ++x)
        if (!is_done(v.statuses[d.slot_comp[x]])) out.gaps.push_back(d.slot_comp[x]);
    }
  return out;
}

std::vector<domain_level> progression::levels(const learner_view& v) const {
  std::vector<domain_level> out;
  for (const auto& dom : d_->fw.domains()) {
    bool leveled = false;
    for (index_t c : d_->fw.competencies_in(dom)) {
      const auto& comp = d_->fw.at(c);
      leveled = leveled || (comp.level && comp.kind == competency_kind::academic);
    }
    if (leveled) out.push_back(level(v, dom));
  }
  return out;
}

}  // namespace masterymap
