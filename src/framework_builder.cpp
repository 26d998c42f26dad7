// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// framework_builder: collect, validate everything at once, freeze.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <boost/graph/compressed_sparse_row_graph.hpp>
#include <boost/graph/strong_components.hpp>
#include <cmath>
#include <functional>
#include <masterymap/framework.hpp>
#include <queue>
#include <unordered_map>
#include <unordered_set>

#include "framework_impl.hpp"
#include "progress_meter.hpp"

namespace masterymap {
namespace {

std::string arrow_path(const std::vector<std::string>& ids) {
  return fmt::format("{}", fmt::join(ids, " -> "));
}

struct pair_hash {
  std::size_t operator()(const std::pair<index_t, index_t>& p) const noexcept {
    return std::hash<std::uint64_t>{}((std::uint64_t{p.first} << 32) | p.second);
  }
};

/// Strongly connected groups of size >= 2 in a graph given as (from, to) pairs, each returned as
/// one shortest cycle through its smallest member, in order, first id repeated at the end.
/// Boost.Graph's strong_components runs an iterative DFS, so deep inputs cannot overflow the
/// stack.
std::vector<std::pair<std::vector<index_t>, std::vector<index_t>>> find_cycles(
    std::size_t n, const std::vector<std::pair<index_t, index_t>>& pairs) {
  std::vector<std::pair<std::vector<index_t>, std::vector<index_t>>> cycles;  // (cycle, members)
  if (pairs.empty()) return cycles;
  using graph_t = boost::compressed_sparse_row_graph<boost::directedS>;
  std::vector<std::pair<std::size_t, std::size_t>> e(pairs.begin(), pairs.end());
  graph_t g(boost::edges_are_unsorted_multi_pass, e.begin(), e.end(), n);
  std::vector<std::size_t> comp(n);
  const std::size_t ncomp = boost::strong_components(
      g, boost::make_iterator_property_map(comp.begin(), boost::get(boost::vertex_index, g)));
  std::vector<std::vector<index_t>> members(ncomp);
  for (std::size_t v = 0; v < n; ++v) members[comp[v]].push_back(static_cast<index_t>(v));
  // Adjacency in insertion order for a deterministic BFS.
  const csr adj = detail::make_csr(
      n, pairs.size(), [&](std::size_t k) { return pairs[k].first; },
      [&](std::size_t k) { return pairs[k].second; });
  std::vector<std::int64_t> parent(n, -1);
  std::vector<index_t> groups_first;  // to order the groups by their smallest member
  std::vector<std::size_t> order;
  for (std::size_t c = 0; c < ncomp; ++c)
    if (members[c].size() >= 2) order.push_back(c);
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return members[a].front() < members[b].front(); });
  for (std::size_t c : order) {
    const index_t s = members[c].front();
    // BFS from s inside the group until an edge returns to s: the shortest cycle through s.
    std::vector<index_t> queue{s};
    std::vector<index_t> touched{s};
    parent[s] = s;
    std::int64_t last = -1;
    for (std::size_t qi = 0; qi < queue.size() && last < 0; ++qi) {
      const index_t u = queue[qi];
      for (std::uint32_t k = adj.offset[u]; k < adj.offset[u + 1]; ++k) {
        const index_t w = adj.target[k];
        if (comp[w] != c) continue;
        if (w == s) {
          last = u;
          break;
        }
        if (parent[w] < 0) {
          parent[w] = u;
          touched.push_back(w);
          queue.push_back(w);
        }
      }
    }
    std::vector<index_t> cyc;
    for (auto v = static_cast<index_t>(last); v != s; v = static_cast<index_t>(parent[v]))
      cyc.push_back(v);
    cyc.push_back(s);
    std::reverse(cyc.begin(), cyc.end());
    cyc.push_back(s);
    for (index_t t : touched) parent[t] = -1;
    cycles.emplace_back(std::move(cyc), members[c]);
  }
  return cycles;
}

}  // namespace

framework_builder::framework_builder(std::string name) : name_(std::move(name)) {}

framework_builder& framework_builder::add_competency(competency c) {
  competencies_.push_back(std::move(c));
  return *this;
}

framework_builder& framework_builder::add_competency(std::string id, std::string title,
                                                     std::string domain, std::optional<int> level) {
  competency c;
  c.id = std::move(id);
  c.title = std::move(title);
  c.domain = std::move(domain);
  c.level = level;
  return add_competency(std::move(c));
}

framework_builder& framework_builder::add_child(std::string parent, std::string child) {
  hierarchy_.emplace_back(std::move(parent), std::move(child));
  return *this;
}

framework_builder& framework_builder::set_metadata(std::string key, std::string value) {
  metadata_.insert_or_assign(std::move(key), std::move(value));
  return *this;
}

framework_builder& framework_builder::add_association(association a) {
  associations_.push_back(std::move(a));
  return *this;
}

framework_builder& framework_builder::add_prerequisite(std::string dependent,
                                                       std::string prerequisite, strength s,
                                                       std::optional<double> min_level) {
  prerequisites_.push_back({std::move(prerequisite), std::move(dependent), s, min_level});
  return *this;
}

namespace {

// What building collects: every problem, the edges dropped under the options, and the index
// of the competency ids.
struct build_state {
  const build_options& options;
  const std::vector<competency>& comps;
  detail::meter& m;  // progress: competencies, hierarchy links and prerequisites resolved
  std::vector<problem> problems;
  std::vector<dropped_edge> dropped;
  std::unordered_map<std::string_view, index_t> index;

  // The index of `id`, or -1.
  std::int64_t lookup(const std::string& id) const {
    auto it = index.find(id);
    return it == index.end() ? -1 : static_cast<std::int64_t>(it->second);
  }
};

// 1. ids: indexes them, reporting empty and duplicate ones.
void index_ids(build_state& b) {
  const std::size_t n = b.comps.size();
  b.index.reserve(n * 2);
  for (std::size_t i = 0; i < n; ++i) {
    if ((i & (detail::check_block - 1)) == detail::check_block - 1)
      b.m.advance(detail::check_block);
    const std::string& id = b.comps[i].id;
    if (id.empty()) {
      b.problems.push_back({problem_kind::invalid_value,
                            {id},
                            fmt::format("competency #{} has an empty id", i + 1)});
      continue;
    }
    auto [it, fresh] = b.index.emplace(id, static_cast<index_t>(i));
    if (!fresh)
      b.problems.push_back({problem_kind::duplicate_id,
                            {id},
                            fmt::format("duplicate competency id '{}' (entries #{} and #{})", id,
                                        it->second + 1, i + 1)});
  }
}

// 2. hierarchy links, resolved to (parent, child) indices; unknown ids, self-links and repeats
// are problems (repeats dropped under the options).
std::vector<std::pair<index_t, index_t>> resolve_hierarchy(
    build_state& b, const std::vector<std::pair<std::string, std::string>>& links) {
  std::vector<std::pair<index_t, index_t>> hierarchy;
  std::unordered_set<std::pair<index_t, index_t>, pair_hash> seen;
  detail::meter_ticks ticks(b.m, detail::check_block);
  for (const auto& [p, c] : links) {
    ticks.add(1);
    const auto pi = b.lookup(p), ci = b.lookup(c);
    if (pi < 0 || ci < 0) {
      std::vector<std::string> unknown;
      if (pi < 0) unknown.push_back(p);
      if (ci < 0 && c != p) unknown.push_back(c);
      b.problems.push_back({problem_kind::unknown_id,
                            {p, c},
                            fmt::format("hierarchy link '{}' -> child '{}': unknown id {}", p, c,
                                        fmt::join(unknown, ", "))});
      continue;
    }
    if (pi == ci) {
      b.problems.push_back(
          {problem_kind::self_loop, {p, p}, fmt::format("'{}' is its own child", p)});
      continue;
    }
    const std::pair<index_t, index_t> key{static_cast<index_t>(pi), static_cast<index_t>(ci)};
    if (!seen.insert(key).second) {
      if (b.options.drop_duplicate_edges) {
        b.dropped.push_back({p, c, "duplicate hierarchy link"});
      } else {
        b.problems.push_back({problem_kind::duplicate_edge,
                              {p, c},
                              fmt::format("hierarchy link '{}' -> child '{}' is repeated", p, c)});
      }
      continue;
    }
    hierarchy.push_back(key);
  }
  return hierarchy;
}

// 3. prerequisite edges, resolved to indices; unknown ids, non-finite levels, self-loops and
// repeats are problems (self-loops and repeats dropped under the options).
template <typename Raw>
std::vector<prerequisite_edge> resolve_prerequisites(build_state& b, const std::vector<Raw>& raw) {
  std::vector<prerequisite_edge> edges;
  std::unordered_set<std::pair<index_t, index_t>, pair_hash> seen;
  seen.reserve(raw.size() * 2);
  detail::meter_ticks ticks(b.m, detail::check_block);
  for (const auto& e : raw) {
    ticks.add(1);
    const auto fi = b.lookup(e.from), ti = b.lookup(e.to);
    if (fi < 0 || ti < 0) {
      std::vector<std::string> unknown;
      if (fi < 0) unknown.push_back(e.from);
      if (ti < 0 && e.to != e.from) unknown.push_back(e.to);
      b.problems.push_back({problem_kind::unknown_id,
                            {e.from, e.to},
                            fmt::format("prerequisite '{}' of '{}': unknown id {}", e.from, e.to,
                                        fmt::join(unknown, ", "))});
      continue;
    }
    if (e.min_level && !std::isfinite(*e.min_level)) {
      b.problems.push_back(
          {problem_kind::invalid_value,
           {e.from, e.to},
           fmt::format("prerequisite '{}' of '{}': minimum level is not finite", e.from, e.to)});
      continue;
    }
    if (fi == ti) {
      if (b.options.drop_cycle_edges) {
        b.dropped.push_back({e.from, e.to, "self_loop"});
      } else {
        b.problems.push_back(
            {problem_kind::self_loop,
             {e.from, e.from},
             fmt::format("'{}' is its own prerequisite ({} -> {})", e.from, e.from, e.from)});
      }
      continue;
    }
    const std::pair<index_t, index_t> key{static_cast<index_t>(fi), static_cast<index_t>(ti)};
    if (!seen.insert(key).second) {
      if (b.options.drop_duplicate_edges) {
        b.dropped.push_back({e.from, e.to, "duplicate"});
      } else {
        b.problems.push_back({problem_kind::duplicate_edge,
                              {e.from, e.to},
                              fmt::format("prerequisite '{}' of '{}' is repeated", e.from, e.to)});
      }
      continue;
    }
    edges.push_back({key.first, key.second, e.s, e.min_level});
  }
  return edges;
}

// 4a. Drops every prerequisite edge that closes a cycle: an iterative DFS in insertion order,
// each back edge dropped (and recorded with its cycle).
void drop_cycle_edges(build_state& b, const std::vector<std::pair<index_t, index_t>>& pairs,
                      std::vector<prerequisite_edge>& edges) {
  const std::size_t n = b.comps.size();
  const csr adj = detail::make_csr(
      n, pairs.size(), [&](std::size_t k) { return pairs[k].first; },
      [&](std::size_t k) { return pairs[k].second; });
  std::vector<std::uint8_t> color(n, 0);  // 0 new, 1 on the stack, 2 done
  std::vector<std::uint32_t> stack_pos(n, 0);
  std::vector<std::pair<index_t, std::uint32_t>> stack;  // (vertex, next adjacency slot)
  std::vector<bool> drop(edges.size(), false);
  for (index_t root = 0; root < n; ++root) {
    if (color[root] != 0) continue;
    stack.emplace_back(root, adj.offset[root]);
    color[root] = 1;
    stack_pos[root] = 0;
    while (!stack.empty()) {
      auto& [u, k] = stack.back();
      if (k == adj.offset[u + 1]) {
        color[u] = 2;
        stack.pop_back();
        continue;
      }
      const std::uint32_t slot = k++;
      const index_t w = adj.target[slot];
      if (color[w] == 0) {
        color[w] = 1;
        stack_pos[w] = static_cast<std::uint32_t>(stack.size());
        stack.emplace_back(w, adj.offset[w]);
      } else if (color[w] == 1) {
        drop[adj.edge[slot]] = true;
        std::vector<std::string> cyc;
        for (std::size_t s = stack_pos[w]; s < stack.size(); ++s)
          cyc.push_back(b.comps[stack[s].first].id);
        cyc.push_back(b.comps[w].id);
        const auto& e = edges[adj.edge[slot]];
        b.dropped.push_back(
            {b.comps[e.prerequisite].id, b.comps[e.dependent].id, "cycle: " + arrow_path(cyc)});
      }
    }
  }
  std::vector<prerequisite_edge> kept;
  kept.reserve(edges.size());
  for (std::size_t k = 0; k < edges.size(); ++k)
    if (!drop[k]) kept.push_back(edges[k]);
  edges = std::move(kept);
}

// The ids of the competencies `v`, in order.
std::vector<std::string> ids_of(const build_state& b, const std::vector<index_t>& v) {
  std::vector<std::string> ids;
  for (index_t x : v) ids.push_back(b.comps[x].id);
  return ids;
}

// 4. cycles: prerequisite cycles dropped or reported (under the options), hierarchy cycles
// reported.
void handle_cycles(build_state& b, const std::vector<std::pair<index_t, index_t>>& hierarchy,
                   std::vector<prerequisite_edge>& edges) {
  const std::size_t n = b.comps.size();
  std::vector<std::pair<index_t, index_t>> pairs;
  pairs.reserve(edges.size());
  for (const auto& e : edges) pairs.emplace_back(e.prerequisite, e.dependent);
  if (b.options.drop_cycle_edges) {
    drop_cycle_edges(b, pairs, edges);
  } else {
    for (const auto& [cyc, members] : find_cycles(n, pairs)) {
      std::vector<std::string> ids = ids_of(b, cyc), names = ids_of(b, members);
      std::string msg = fmt::format("prerequisite cycle {}", arrow_path(ids));
      if (members.size() + 1 > cyc.size())
        msg += fmt::format(" (within a group of {} mutually dependent competencies: {})",
                           members.size(), fmt::join(names, ", "));
      b.problems.push_back({problem_kind::prerequisite_cycle, std::move(ids), std::move(msg)});
    }
  }
  for (const auto& [cyc, members] : find_cycles(n, hierarchy)) {
    std::vector<std::string> ids = ids_of(b, cyc);
    b.problems.push_back(
        {problem_kind::hierarchy_cycle, ids, fmt::format("hierarchy cycle {}", arrow_path(ids))});
  }
}

// 5. associations: kept as given; only an empty type or end is a problem (an end may be outside
// the framework, so ids are not resolved).
void check_associations(build_state& b, const std::vector<association>& as) {
  for (std::size_t k = 0; k < as.size(); ++k) {
    const association& a = as[k];
    if (a.type.empty() || a.origin.empty() || a.destination.empty())
      b.problems.push_back(
          {problem_kind::invalid_value,
           {a.origin, a.destination},
           fmt::format("association #{} ('{}' -> '{}') has an empty {}", k + 1, a.origin,
                       a.destination,
                       a.type.empty() ? "type" : (a.origin.empty() ? "origin" : "destination"))});
  }
}

// \throws cycle_error when every problem is a cycle or a self-loop, else validation_error.
[[noreturn]] void throw_problems(std::vector<problem> problems) {
  const bool only_cycles = std::all_of(problems.begin(), problems.end(), [](const problem& p) {
    return p.kind == problem_kind::prerequisite_cycle || p.kind == problem_kind::hierarchy_cycle ||
           p.kind == problem_kind::self_loop;
  });
  if (only_cycles) throw cycle_error(std::move(problems));
  throw validation_error(std::move(problems));
}

}  // namespace

framework framework_builder::build(const build_options& options, const progress& progress) const& {
  return build_impl(options, progress, false);
}

framework framework_builder::build(const build_options& options, const progress& progress) && {
  return build_impl(options, progress, true);
}

framework framework_builder::build_impl(const build_options& options, const progress& progress,
                                        bool consume) const {
  // Progress: competencies + hierarchy links + prerequisites, resolved then frozen.
  detail::meter m(progress, 2 * (competencies_.size() + hierarchy_.size() + prerequisites_.size()));
  return m.run([&] {
    build_state b{options, competencies_, m, {}, dropped_, {}};
    index_ids(b);
    std::vector<std::pair<index_t, index_t>> hierarchy = resolve_hierarchy(b, hierarchy_);
    std::vector<prerequisite_edge> edges = resolve_prerequisites(b, prerequisites_);
    m.check();
    handle_cycles(b, hierarchy, edges);
    check_associations(b, associations_);
    if (!b.problems.empty()) throw_problems(std::move(b.problems));
    // `consume` only from the rvalue build(), whose object is not const: the members may move.
    std::shared_ptr<framework::impl> frozen;
    if (consume) {
      auto* self = const_cast<framework_builder*>(this);
      frozen = detail::freeze(name_, std::move(self->competencies_), std::move(hierarchy),
                              std::move(edges), std::move(b.dropped), &m);
      frozen->metadata = std::move(self->metadata_);
      frozen->associations = std::move(self->associations_);
    } else {
      frozen = detail::freeze(name_, competencies_, std::move(hierarchy), std::move(edges),
                              std::move(b.dropped), &m);
      frozen->metadata = metadata_;
      frozen->associations = associations_;
    }
    framework out(std::move(frozen));
    m.finish();
    return out;
  });
}

namespace detail {

std::shared_ptr<framework::impl> freeze(std::string name, std::vector<competency> comps,
                                        std::vector<std::pair<index_t, index_t>> hierarchy,
                                        std::vector<prerequisite_edge> edges,
                                        std::vector<dropped_edge> dropped, meter* progress) {
  auto p = std::make_shared<framework::impl>();
  p->name = std::move(name);
  p->comps = std::move(comps);
  p->hierarchy = std::move(hierarchy);
  p->edges = std::move(edges);
  p->dropped = std::move(dropped);
  const std::size_t n = p->comps.size(), m = p->edges.size();
  p->index.reserve(n * 2);
  for_blocks(0, n, check_block, progress, [&](std::size_t b, std::size_t e) {
    for (std::size_t i = b; i < e; ++i) p->index.emplace(p->comps[i].id, static_cast<index_t>(i));
    if (progress != nullptr) progress->advance(e - b);
  });

  const auto& E = p->edges;
  p->out = make_csr(
      n, m, [&](std::size_t k) { return E[k].prerequisite; },
      [&](std::size_t k) { return E[k].dependent; });
  p->in = make_csr(
      n, m, [&](std::size_t k) { return E[k].dependent; },
      [&](std::size_t k) { return E[k].prerequisite; });
  for (csr* g : {&p->out, &p->in}) {
    g->str.resize(m);
    for (std::size_t k = 0; k < m; ++k) g->str[k] = E[g->edge[k]].strength;
  }
  const auto& H = p->hierarchy;
  p->children = make_csr(
      n, H.size(), [&](std::size_t k) { return H[k].first; },
      [&](std::size_t k) { return H[k].second; });
  p->parents = make_csr(
      n, H.size(), [&](std::size_t k) { return H[k].second; },
      [&](std::size_t k) { return H[k].first; });
  if (progress != nullptr) progress->advance(H.size() + p->edges.size());

  // Kahn's algorithm with a min-heap on the index: among ready competencies the earliest
  // inserted goes first, so the order is deterministic and stable under insertion order.
  std::vector<std::uint32_t> indeg(n);
  for (std::size_t v = 0; v < n; ++v) indeg[v] = p->in.offset[v + 1] - p->in.offset[v];
  std::priority_queue<index_t, std::vector<index_t>, std::greater<>> ready;
  for (std::size_t v = 0; v < n; ++v)
    if (indeg[v] == 0) ready.push(static_cast<index_t>(v));
  p->topo.reserve(n);
  while (!ready.empty()) {
    const index_t u = ready.top();
    ready.pop();
    if (progress != nullptr && (p->topo.size() & (check_block - 1)) == 0) progress->check();
    p->topo.push_back(u);
    for (std::uint32_t k = p->out.offset[u]; k < p->out.offset[u + 1]; ++k)
      if (--indeg[p->out.target[k]] == 0) ready.push(p->out.target[k]);
  }
  p->rank.assign(n, 0);
  for (std::size_t r = 0; r < p->topo.size(); ++r) p->rank[p->topo[r]] = static_cast<index_t>(r);
  const auto& R = p->rank;
  auto pack = [&](const csr& g) {  // g is indexed by competency; the result by position
    packed_graph pg;
    pg.row.resize(n);
    std::uint32_t at = 0;
    for (std::size_t pos = 0; pos < n; ++pos) {
      const index_t v = p->topo[pos];
      pg.row[pos] = at;
      at += 1 + (g.offset[v + 1] - g.offset[v]);
    }
    pg.slots.resize(at);
    pg.str.resize(at, strength::required);
    for (std::size_t pos = 0; pos < n; ++pos) {
      const index_t v = p->topo[pos];
      std::uint32_t s = pg.row[pos];
      pg.slots[s++] = {g.offset[v + 1] - g.offset[v], static_cast<std::uint32_t>(pos)};
      for (std::uint32_t k = g.offset[v]; k < g.offset[v + 1]; ++k, ++s) {
        const index_t w = R[g.target[k]];
        pg.slots[s] = {w, pg.row[w]};
        pg.str[s] = g.str[k];
      }
    }
    return pg;
  };
  p->out_pos = pack(p->out);
  if (progress != nullptr) progress->check();
  p->in_pos = pack(p->in);
  if (progress != nullptr) progress->check();
  p->depth.assign(n, 0);
  for (index_t u : p->topo)
    for (std::uint32_t k = p->out.offset[u]; k < p->out.offset[u + 1]; ++k) {
      std::uint32_t& d = p->depth[p->out.target[k]];
      d = std::max(d, p->depth[u] + 1);
    }
  return p;
}

}  // namespace detail
}  // namespace masterymap
