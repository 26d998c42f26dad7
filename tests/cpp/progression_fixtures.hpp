// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// Shared by the progression, pacing and roster tests: a 13-level learning map, random
// DAGs with random mastery, and brute-force references.
#ifndef MASTERYMAP_TESTS_PROGRESSION_FIXTURES_HPP
#define MASTERYMAP_TESTS_PROGRESSION_FIXTURES_HPP

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <masterymap/engine.hpp>
#include <masterymap/progression.hpp>
#include <random>
#include <string>
#include <vector>

namespace pfix {

namespace mm = masterymap;

inline std::string code(char domain, int level, char strand) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%c%02d.%c", domain, level, strand);
  return buf;
}

/// A learning map of 13 levels in two domains ("math" M, "reading" R),
/// three strands a, b, c per level. X(L).s requires X(L-1).s; R(L).b is also familiar with
/// R(L-1).a; M(L).c is recommended after M(L-1).a.
inline mm::framework learning_map() {
  mm::framework_builder b("learning map");
  for (char d : {'M', 'R'})
    for (int l = 1; l <= 13; ++l)
      for (char s : {'a', 'b', 'c'})
        b.add_competency(code(d, l, s), "", d == 'M' ? "math" : "reading", l);
  for (char d : {'M', 'R'})
    for (int l = 2; l <= 13; ++l) {
      for (char s : {'a', 'b', 'c'}) b.add_prerequisite(code(d, l, s), code(d, l - 1, s));
      if (d == 'R')
        b.add_prerequisite(code(d, l, 'b'), code(d, l - 1, 'a'), mm::strength::familiar);
      if (d == 'M')
        b.add_prerequisite(code(d, l, 'c'), code(d, l - 1, 'a'), mm::strength::recommended);
    }
  return b.build();
}

constexpr double t0 = 1704067200.0;  // 2024-01-01T00:00:00Z
constexpr double day = 86400.0;

/// Learner "ana": math levels 1-3 and reading level 1 mastered, M04.a in progress (Developing).
/// Learner "ben": math levels 1, 2 and 6 mastered, and at levels 3-5 all but M03.b, M04.c, M05.a.
inline mm::evidence_log scenario_log() {
  mm::evidence_log log;
  double t = t0;
  auto add = [&](const std::string& who, const std::string& id, double score) {
    log.add_unchecked(mm::evidence(who, id, t, score));
    t += 3600;
  };
  for (int l = 1; l <= 3; ++l)
    for (char s : {'a', 'b', 'c'}) add("ana", code('M', l, s), 3);
  for (char s : {'a', 'b', 'c'}) add("ana", code('R', 1, s), 3);
  add("ana", code('M', 4, 'a'), 2);
  for (int l : {1, 2, 3, 4, 5, 6})
    for (char s : {'a', 'b', 'c'}) {
      if ((l == 3 && s == 'b') || (l == 4 && s == 'c') || (l == 5 && s == 'a')) continue;
      add("ben", code('M', l, s), 3);
    }
  return log;
}

/// A random DAG (edges only from lower to higher index) with random strengths and, with
/// `min_levels`, random min levels on some familiar edges; as a builder (to add more).
inline mm::framework_builder random_dag_builder(std::mt19937& rng, int n, double p,
                                                bool min_levels = true,
                                                const std::string& name = "random") {
  mm::framework_builder b(name);
  for (int i = 0; i < n; ++i)
    b.add_competency("c" + std::to_string(i), "", i % 3 == 0 ? "x" : "y", i % 5);
  std::uniform_real_distribution<double> u(0, 1);
  for (int j = 0; j < n; ++j)
    for (int i = 0; i < j; ++i)
      if (u(rng) < p) {
        const double r = u(rng);
        const mm::strength s =
            r < 0.6 ? mm::strength::required
                    : (r < 0.85 ? mm::strength::familiar : mm::strength::recommended);
        std::optional<double> ml;
        if (min_levels && s == mm::strength::familiar && u(rng) < 0.4)
          ml = 1.0 + std::floor(u(rng) * 3);  // 1, 2 or 3
        b.add_prerequisite("c" + std::to_string(j), "c" + std::to_string(i), s, ml);
      }
  return b;
}

/// A random DAG (edges only from lower to higher index) with random strengths and min levels.
inline mm::framework random_dag(std::mt19937& rng, int n, double p) {
  return random_dag_builder(rng, n, p).build();
}

/// Random statuses and four-point scores consistent with them.
struct random_learner {
  std::vector<mm::status> st;
  std::vector<double> sc;
  [[nodiscard]] mm::learner_view view() const {
    mm::learner_view v;
    v.statuses = st.data();
    v.scores = sc.data();
    v.size = st.size();
    return v;
  }
};

inline random_learner random_state(std::mt19937& rng, std::size_t n) {
  random_learner r;
  std::uniform_int_distribution<int> s(0, 9);
  std::uniform_real_distribution<double> u(0, 4);
  for (std::size_t i = 0; i < n; ++i) {
    int k = s(rng);
    mm::status x = k < 3 ? mm::status::not_started
                         : (k < 6 ? mm::status::mastered : static_cast<mm::status>(k - 5));
    if (k == 9) x = mm::status::exempt;
    r.st.push_back(x);
    r.sc.push_back(x == mm::status::not_started ? std::nan("") : std::round(u(rng) * 2) / 2);
  }
  return r;
}

/// Brute force: is the gating edge met? (required: done; familiar: done, or started with the
/// score at the edge's level, default Developing = 2 on the four-point scale).
inline bool met(const mm::prerequisite_edge& e, const random_learner& L) {
  const mm::status s = L.st[e.prerequisite];
  if (e.strength == mm::strength::recommended) return true;
  if (mm::is_done(s)) return true;
  if (e.strength == mm::strength::required) return false;
  if (s == mm::status::not_started) return false;
  const double lvl = e.min_level.value_or(2.0);
  return L.sc[e.prerequisite] >= lvl - 1e-5;
}

inline std::vector<mm::index_t> brute_frontier(const mm::framework& fw, const random_learner& L) {
  std::vector<mm::index_t> out;
  for (mm::index_t c = 0; c < fw.size(); ++c) {
    if (mm::is_done(L.st[c])) continue;
    bool ok = true;
    for (const auto& e : fw.edges_into(c)) ok = ok && met(e, L);
    if (ok) out.push_back(c);
  }
  return out;
}

/// Every competency from which `target` is reached through unmet gating links (recursion-free).
inline std::vector<mm::index_t> brute_blocked(const mm::framework& fw, const random_learner& L,
                                              mm::index_t target) {
  std::vector<mm::index_t> out;
  if (mm::is_done(L.st[target])) return out;
  std::vector<char> seen(fw.size(), 0);
  std::vector<mm::index_t> stack{target};
  while (!stack.empty()) {
    auto x = stack.back();
    stack.pop_back();
    for (const auto& e : fw.edges_into(x))
      if (!met(e, L) && !seen[e.prerequisite]) {
        seen[e.prerequisite] = 1;
        stack.push_back(e.prerequisite);
      }
  }
  for (mm::index_t i : fw.topological_order())
    if (seen[i]) out.push_back(i);
  return out;
}

/// Gaps: (gap, undermined done competencies in learning order), in any order. A gap is a hole
/// under done work: only done competencies anchor it (issue 11; before, any evidence did).
inline std::vector<std::pair<mm::index_t, std::vector<mm::index_t>>> brute_gaps(
    const mm::framework& fw, const random_learner& L) {
  std::vector<std::pair<mm::index_t, std::vector<mm::index_t>>> out;
  for (mm::index_t g = 0; g < fw.size(); ++g) {
    if (mm::is_done(L.st[g])) continue;
    std::vector<char> seen(fw.size(), 0);
    std::vector<mm::index_t> stack;
    for (const auto& e : fw.edges_out_of(g))
      if (e.strength != mm::strength::recommended && !met(e, L) && !seen[e.dependent]) {
        seen[e.dependent] = 1;
        stack.push_back(e.dependent);
      }
    while (!stack.empty()) {
      auto x = stack.back();
      stack.pop_back();
      for (const auto& e : fw.edges_out_of(x))
        if (e.strength != mm::strength::recommended && !seen[e.dependent]) {
          seen[e.dependent] = 1;
          stack.push_back(e.dependent);
        }
    }
    std::vector<mm::index_t> und;
    for (mm::index_t i : fw.topological_order())
      if (seen[i] && mm::is_done(L.st[i])) und.push_back(i);
    if (!und.empty()) out.emplace_back(g, und);
  }
  return out;
}

/// Blockers: the union of brute_blocked over the work in progress (evidence, not done), in
/// learning order.
inline std::vector<mm::index_t> brute_blockers(const mm::framework& fw, const random_learner& L) {
  std::vector<char> in(fw.size(), 0);
  for (mm::index_t c = 0; c < fw.size(); ++c)
    if (!mm::is_done(L.st[c]) && L.st[c] != mm::status::not_started)
      for (auto x : brute_blocked(fw, L, c)) in[x] = 1;
  std::vector<mm::index_t> out;
  for (mm::index_t i : fw.topological_order())
    if (in[i]) out.push_back(i);
  return out;
}

/// Brute force `progression::level`, from the definition: the domain's levels are the distinct
/// levels of its leveled academic competencies; the learner's level the highest whose
/// competencies are all done; the next level the first above it (the lowest when none);
/// gaps the competencies not done below the level, by level then index.
inline mm::domain_level brute_level(const mm::framework& fw, const std::vector<mm::status>& st,
                                    const std::string& domain) {
  mm::domain_level out;
  out.domain = domain;
  std::map<int, std::vector<mm::index_t>> by_level;
  for (mm::index_t c = 0; c < fw.size(); ++c) {
    const auto& comp = fw.at(c);
    if (comp.domain == domain && comp.level && comp.kind == mm::competency_kind::academic)
      by_level[*comp.level].push_back(c);
  }
  auto all_done = [&](const std::vector<mm::index_t>& cs) {
    return std::all_of(cs.begin(), cs.end(), [&](mm::index_t c) { return mm::is_done(st[c]); });
  };
  for (const auto& [l, cs] : by_level) {
    out.levels.push_back(l);
    if (all_done(cs)) out.level = l;
  }
  for (const auto& [l, cs] : by_level) {
    if (out.level && l <= *out.level) continue;
    out.next_level = l;
    out.next_total = cs.size();
    for (mm::index_t c : cs) {
      if (mm::is_done(st[c]))
        ++out.next_done;
      else
        out.next_remaining.push_back(c);
    }
    out.next_progress = static_cast<double>(out.next_done) / static_cast<double>(out.next_total);
    break;
  }
  for (const auto& [l, cs] : by_level) {
    if (!out.level || l >= *out.level) break;
    bool any = false;
    for (mm::index_t c : cs)
      if (!mm::is_done(st[c])) {
        out.gaps.push_back(c);
        any = true;
      }
    if (any) out.gap_levels.push_back(l);
  }
  return out;
}

}  // namespace pfix

#endif  // MASTERYMAP_TESTS_PROGRESSION_FIXTURES_HPP
