// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// Inferred mastery: the closure of earned and placed competencies under the chosen prerequisite
// links, stopped by contrary evidence (the rule: masterymap::infer_prerequisites, policy.hpp).
#include "inference.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <masterymap/error.hpp>
#include <stdexcept>

namespace masterymap::detail {

namespace {

bool carries(infer_prerequisites mode, strength s) noexcept {
  switch (mode) {
    case infer_prerequisites::none:
      return false;
    case infer_prerequisites::required:
      return s == strength::required;
    case infer_prerequisites::gating:
      return s == strength::required || s == strength::familiar;
  }
  return false;
}

// The latest placement of each domain (by time, then row) into s.best; the domains in s.used.
void latest_placements(const inference_graph& g, const placement* p, std::size_t np,
                       infer_scratch& s) {
  s.best.resize(g.domain_members.size(), -1);
  for (std::size_t i = 0; i < np; ++i) {
    const std::int32_t d = g.place_domain[p[i].comp];
    if (d < 0) continue;  // a competency of a domain without levels places nothing
    std::int32_t& b = s.best[static_cast<std::size_t>(d)];
    if (b < 0) {
      s.used.push_back(d);
      b = static_cast<std::int32_t>(i);
    } else {
      const placement& q = p[static_cast<std::size_t>(b)];
      if (p[i].time > q.time || (p[i].time == q.time && p[i].row > q.row))
        b = static_cast<std::int32_t>(i);
    }
  }
}

}  // namespace

index_t placement_host(const framework& fw, const std::string& domain, const char* who) {
  const auto members = fw.competencies_in(domain);
  if (members.empty()) throw unknown_id_error(domain, "domain");
  for (index_t c : members)
    if (fw.at(c).level && fw.at(c).kind == competency_kind::academic) return c;
  throw std::invalid_argument(
      fmt::format("{}: domain '{}' has no leveled academic competencies to place in", who, domain));
}

bool has_placement_host(const framework& fw, const std::string& domain) {
  for (index_t c : fw.competencies_in(domain))
    if (fw.at(c).level && fw.at(c).kind == competency_kind::academic) return true;
  return false;
}

inference_graph make_inference_graph(const framework& fw, infer_prerequisites mode,
                                     const std::vector<std::pair<index_t, index_t>>& parts) {
  inference_graph g;
  g.mode = mode;
  const std::size_t n = fw.size();
  // The chosen links as (dependent, prerequisite) pairs, then the all_of parts as (parent, part).
  std::vector<std::pair<index_t, index_t>> links;
  for (const auto& e : fw.edges())
    if (carries(mode, e.strength)) links.emplace_back(e.dependent, e.prerequisite);
  if (mode != infer_prerequisites::none) links.insert(links.end(), parts.begin(), parts.end());
  g.off.assign(n + 1, 0);
  g.doff.assign(n + 1, 0);
  for (const auto& [above, below] : links) {
    ++g.off[above + 1];
    ++g.doff[below + 1];
  }
  for (std::size_t c = 0; c < n; ++c) {
    g.off[c + 1] += g.off[c];
    g.doff[c + 1] += g.doff[c];
  }
  g.pre.resize(links.size());
  g.dep.resize(links.size());
  {
    std::vector<std::uint32_t> a(g.off.begin(), g.off.end() - 1),
        b(g.doff.begin(), g.doff.end() - 1);
    for (const auto& [above, below] : links) {
      g.pre[a[above]++] = below;
      g.dep[b[below]++] = above;
    }
  }
  g.domain_of.assign(n, -1);
  g.level_of.assign(n, 0);
  std::map<std::string, std::int32_t, std::less<>> codes;
  for (index_t c = 0; c < n; ++c) {
    const competency& k = fw.at(c);
    if (!k.level || k.kind != competency_kind::academic) continue;
    auto [it, fresh] = codes.emplace(k.domain, static_cast<std::int32_t>(g.domain_names.size()));
    if (fresh) {
      g.domain_names.push_back(k.domain);
      g.domain_members.emplace_back();
    }
    g.domain_of[c] = it->second;
    g.level_of[c] = *k.level;
    g.domain_members[static_cast<std::size_t>(it->second)].push_back(c);
  }
  g.place_domain.assign(n, -1);
  for (index_t c = 0; c < n; ++c)
    if (auto it = codes.find(fw.at(c).domain); it != codes.end()) g.place_domain[c] = it->second;
  for (auto& v : g.domain_members)
    std::stable_sort(v.begin(), v.end(),
                     [&](index_t a, index_t b) { return g.level_of[a] < g.level_of[b]; });
  return g;
}

namespace {
// Infers everything below the stack's competencies through the links (depth first).
void walk_down(const inference_graph& g, status* st, std::vector<index_t>& stack,
               std::vector<index_t>* added) {
  while (!stack.empty()) {
    const index_t y = stack.back();
    stack.pop_back();
    for (std::uint32_t k = g.off[y]; k < g.off[y + 1]; ++k) {
      const index_t x = g.pre[k];
      if (st[x] != status::not_started) continue;  // earned (a seed), inferred, or contrary
      st[x] = status::inferred;
      if (added) added->push_back(x);
      stack.push_back(x);
    }
  }
}
}  // namespace

void infer(const inference_graph& g, status* st, const index_t* candidates, std::size_t nc,
           const placement* p, std::size_t np, infer_scratch& s, std::vector<index_t>* added) {
  auto& stack = s.stack;
  stack.clear();
  const bool links = g.links();
  if (links) {
    if (candidates) {
      for (std::size_t i = 0; i < nc; ++i)
        if (is_earned(st[candidates[i]])) stack.push_back(candidates[i]);
    } else {
      for (std::size_t c = 0; c < g.domain_of.size(); ++c)
        if (is_earned(st[c])) stack.push_back(static_cast<index_t>(c));
    }
  }
  if (np > 0) {
    s.used.clear();
    latest_placements(g, p, np, s);
    for (std::int32_t d : s.used) {
      const auto du = static_cast<std::size_t>(d);
      const int level = p[static_cast<std::size_t>(s.best[du])].level;
      for (index_t c : g.domain_members[du]) {
        if (g.level_of[c] >= level) break;  // members are sorted by level
        if (st[c] == status::not_started) {
          st[c] = status::inferred;
          if (added) added->push_back(c);
          if (links) stack.push_back(c);
        }
      }
      s.best[du] = -1;
    }
  }
  walk_down(g, st, stack, added);
}

void infer_below(const inference_graph& g, status* st, const index_t* seeds, std::size_t n,
                 infer_scratch& s, std::vector<index_t>* added) {
  if (!g.links()) return;
  s.stack.assign(seeds, seeds + n);
  walk_down(g, st, s.stack, added);
}

inference_basis basis_of(const inference_graph& g, const status* st, index_t c, const placement* p,
                         std::size_t np, std::size_t cap) {
  inference_basis out;
  const std::size_t n = g.domain_of.size();
  infer_scratch s;
  latest_placements(g, p, np, s);
  std::vector<std::uint8_t> seen(n, 0);
  std::vector<std::uint8_t> placed(np, 0);
  std::vector<index_t> frontier{c}, next;
  seen[c] = 1;
  std::size_t found = 0;
  while (!frontier.empty()) {
    next.clear();
    for (index_t y : frontier) {
      // Placed: y lies below its domain's latest placement.
      if (const std::int32_t d = g.domain_of[y]; d >= 0) {
        const std::int32_t b = s.best[static_cast<std::size_t>(d)];
        const auto bu = static_cast<std::size_t>(b);
        if (b >= 0 && g.level_of[y] < p[bu].level && !placed[bu]) {
          placed[bu] = 1;
          out.placements.push_back(static_cast<std::size_t>(b));
        }
      }
      for (std::uint32_t k = g.doff[y]; k < g.doff[y + 1]; ++k) {
        const index_t x = g.dep[k];
        if (seen[x]) continue;
        seen[x] = 1;
        if (is_earned(st[x])) {
          if (found++ < cap)
            out.from.push_back(x);
          else
            ++out.more;
        } else if (st[x] == status::inferred) {
          next.push_back(x);
        }
      }
    }
    std::sort(next.begin(), next.end());
    frontier.swap(next);
  }
  return out;  // nearest first (by breadth-first layer)
}

}  // namespace masterymap::detail
