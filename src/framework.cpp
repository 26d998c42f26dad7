// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// framework: queries over the frozen graph.
#include <fmt/format.h>

#include <algorithm>
#include <masterymap/framework.hpp>
#include <stdexcept>

#include "enum_names.hpp"
#include "framework_impl.hpp"
#include "progress_meter.hpp"

namespace masterymap {
namespace {

const std::shared_ptr<const framework::impl>& empty_impl() {
  static const std::shared_ptr<const framework::impl> e = detail::freeze({}, {}, {}, {}, {});
  return e;
}

/// Breadth-first closure from `roots` (indices) over `g` (see packed_graph), following only
/// strengths in `filter`. Returns the reached competencies (roots only when reached from
/// another root) in topological order.
///
/// Visit marks are a per-thread bitset over positions (V/8 bytes: 12.5 KB for 100k
/// competencies, so it stays in cache), cleared through the visited list so a query costs what
/// it visits; thread_local keeps const queries safe to run concurrently.
std::vector<index_t> closure(const framework::impl& p, const packed_graph& g,
                             const std::vector<index_t>& roots, strength_set filter) {
  const std::size_t n = p.comps.size();
  for (index_t r : roots)
    if (r >= n) throw std::out_of_range(fmt::format("competency index {} >= size {}", r, n));
  thread_local std::vector<std::uint64_t> bits;
  thread_local std::vector<std::uint32_t> rows;  // BFS queue: rows of the reached vertices
  thread_local std::vector<index_t> found;       // their positions, same order
  const std::size_t words = (n + 63) / 64;
  if (bits.size() < words) bits.resize(words, 0);
  const std::size_t nroots = roots.size();
  if (rows.size() < nroots + 64) {
    rows.resize(nroots + 64);
    found.resize(nroots + 64);
  }
  for (std::size_t k = 0; k < nroots; ++k) rows[k] = g.row[p.rank[roots[k]]];
  const bool all = filter.is_all();
  const packed_graph::slot* slots = g.slots.data();
  std::uint64_t* b = bits.data();
  // Branch-free inner loop: each neighbour is written at the queue's tail and the tail only
  // advances when it was new. A visited test mispredicts often on real graphs; this does not.
  std::size_t head = 0, tail = nroots;
  while (head < tail) {
    // The queue says which rows come next: start their cache misses early (rows are scattered,
    // so this is a latency-bound walk otherwise).
    if (head + 6 < tail) __builtin_prefetch(slots + rows[head + 6]);
    const std::uint32_t r = rows[head++];
    const std::uint32_t deg = slots[r].a;
    if (rows.size() < tail + deg) {
      rows.resize(2 * (tail + deg));
      found.resize(rows.size());
    }
    std::uint32_t* qr = rows.data();
    index_t* qf = found.data();
    for (std::uint32_t k = r + 1; k <= r + deg; ++k) {
      if (!all && !filter.contains(g.str[k])) continue;
      const index_t w = slots[k].a;
      const std::uint64_t m = std::uint64_t{1} << (w & 63U);
      const std::uint64_t word = b[w >> 6];
      qr[tail] = slots[k].b;
      qf[tail] = w;
      tail += (word & m) == 0;
      b[w >> 6] = word | m;
    }
  }
  const std::size_t count = tail - nroots;
  std::vector<index_t> out;
  out.reserve(count);
  // Emit in position order: sort the few, or scan the bitset when the result is dense.
  index_t* first = found.data() + nroots;
  if (count * 16 < words) {
    std::sort(first, first + count);
    for (std::size_t k = 0; k < count; ++k) out.push_back(p.topo[first[k]]);
  } else {
    for (std::size_t w = 0; w < words; ++w)
      for (std::uint64_t x = b[w]; x != 0; x &= x - 1)
        out.push_back(p.topo[w * 64 + static_cast<std::size_t>(__builtin_ctzll(x))]);
  }
  for (std::size_t k = 0; k < count; ++k) b[first[k] >> 6] = 0;
  return out;
}

void check_index(index_t i, std::size_t n) {
  if (i >= n) throw std::out_of_range(fmt::format("competency index {} >= size {}", i, n));
}

}  // namespace

framework::framework() : impl_(empty_impl()) {}
framework::framework(std::shared_ptr<const impl> p) noexcept : impl_(std::move(p)) {}

const std::string& framework::name() const noexcept { return impl_->name; }
std::size_t framework::size() const noexcept { return impl_->comps.size(); }
std::size_t framework::edge_count() const noexcept { return impl_->edges.size(); }
const std::vector<dropped_edge>& framework::dropped_edges() const noexcept {
  return impl_->dropped;
}

const std::map<std::string, std::string>& framework::metadata() const noexcept {
  return impl_->metadata;
}

const std::vector<association>& framework::associations() const noexcept {
  return impl_->associations;
}

bool framework::contains(std::string_view id) const noexcept { return impl_->index.count(id) != 0; }

std::optional<index_t> framework::find(std::string_view id) const noexcept {
  auto it = impl_->index.find(id);
  if (it == impl_->index.end()) return std::nullopt;
  return it->second;
}

index_t framework::index_of(std::string_view id) const {
  auto it = impl_->index.find(id);
  if (it == impl_->index.end()) throw unknown_id_error(std::string(id));
  return it->second;
}

const competency& framework::at(index_t i) const {
  check_index(i, size());
  return impl_->comps[i];
}
const competency& framework::at(std::string_view id) const { return impl_->comps[index_of(id)]; }
const std::string& framework::id_of(index_t i) const { return at(i).id; }
const std::vector<competency>& framework::competencies() const noexcept { return impl_->comps; }

const std::vector<prerequisite_edge>& framework::edges() const noexcept { return impl_->edges; }

namespace {
// The edges that adjacency `adj` lists for competency i, in its order.
std::vector<prerequisite_edge> edges_listed(const csr& adj,
                                            const std::vector<prerequisite_edge>& edges,
                                            index_t i) {
  std::vector<prerequisite_edge> out;
  for (std::uint32_t k = adj.offset[i]; k < adj.offset[i + 1]; ++k)
    out.push_back(edges[adj.edge[k]]);
  return out;
}
}  // namespace

std::vector<prerequisite_edge> framework::edges_into(index_t i) const {
  check_index(i, size());
  return edges_listed(impl_->in, impl_->edges, i);
}

std::vector<prerequisite_edge> framework::edges_out_of(index_t i) const {
  check_index(i, size());
  return edges_listed(impl_->out, impl_->edges, i);
}

namespace {
std::vector<index_t> neighbours(const framework::impl& p, const csr& g, index_t i, bool transitive,
                                strength_set filter) {
  check_index(i, p.comps.size());
  if (!transitive) {
    std::vector<index_t> out;
    for (std::uint32_t k = g.offset[i]; k < g.offset[i + 1]; ++k)
      if (filter.contains(g.str[k])) out.push_back(g.target[k]);
    return out;
  }
  return closure(p, &g == &p.in ? p.in_pos : p.out_pos, {i}, filter);
}
}  // namespace

std::vector<index_t> framework::prerequisites(index_t i, bool transitive,
                                              strength_set filter) const {
  return neighbours(*impl_, impl_->in, i, transitive, filter);
}

std::vector<index_t> framework::dependents(index_t i, bool transitive, strength_set filter) const {
  return neighbours(*impl_, impl_->out, i, transitive, filter);
}

std::vector<index_t> framework::ancestors(const std::vector<index_t>& roots,
                                          strength_set filter) const {
  return closure(*impl_, impl_->in_pos, roots, filter);
}

std::vector<index_t> framework::descendants(const std::vector<index_t>& roots,
                                            strength_set filter) const {
  return closure(*impl_, impl_->out_pos, roots, filter);
}

const std::vector<index_t>& framework::topological_order() const noexcept { return impl_->topo; }
const std::vector<index_t>& framework::topological_rank() const noexcept { return impl_->rank; }
const std::vector<std::uint32_t>& framework::depths() const noexcept { return impl_->depth; }

std::vector<index_t> framework::longest_chain() const {
  const auto& p = *impl_;
  if (p.comps.empty()) return {};
  index_t end = p.topo.front();
  for (index_t v : p.topo)
    if (p.depth[v] > p.depth[end]) end = v;
  std::vector<index_t> chain{end};
  // Walk back through the first (insertion-order) prerequisite one level shallower.
  while (p.depth[chain.back()] > 0) {
    const index_t v = chain.back();
    for (std::uint32_t k = p.in.offset[v]; k < p.in.offset[v + 1]; ++k) {
      const index_t u = p.in.target[k];
      if (p.depth[u] + 1 == p.depth[v]) {
        chain.push_back(u);
        break;
      }
    }
  }
  std::reverse(chain.begin(), chain.end());
  return chain;
}

namespace {

// One strength tier of framework::redundant_prerequisites: the edges of strength `only` that a
// longer path over the edges whose strength is in `filter` implies.
struct redundancy_tier {
  strength_set filter;
  strength only;
  // Only a competency with two or more incoming (followed) edges can be the head of a redundant
  // edge: the longer path must enter it through another edge. Those are the bit columns, in
  // topological order; a chain has none, so deep chains cost O(V + E).
  std::vector<std::int64_t> col_of;
  std::vector<index_t> cols;
  std::size_t block_words = 1;

  bool follows(const csr& g, std::uint32_t k) const {
    return filter.is_all() || filter.contains(g.str[k]);
  }
  [[nodiscard]] std::size_t blocks() const {
    return (cols.size() + block_words * 64 - 1) / (block_words * 64);
  }
};

redundancy_tier plan_tier(const framework::impl& p, strength_set filter, strength only) {
  const std::size_t n = p.comps.size();
  redundancy_tier t{filter, only, std::vector<std::int64_t>(n, -1), {}, 1};
  for (index_t v : p.topo) {
    std::uint32_t indeg = 0;
    for (std::uint32_t k = p.in.offset[v]; k < p.in.offset[v + 1] && indeg < 2; ++k)
      indeg += t.follows(p.in, k) ? 1 : 0;
    if (indeg >= 2) {
      t.col_of[v] = static_cast<std::int64_t>(t.cols.size());
      t.cols.push_back(v);
    }
  }
  // Blocks bound memory to about 64 MiB whatever the size (at least one word).
  const std::size_t max_words_total = (64U << 20) / 8;
  t.block_words = max_words_total / std::max<std::size_t>(1, n);
  t.block_words = std::max<std::size_t>(1, std::min(t.block_words, (t.cols.size() + 63) / 64));
  return t;
}

// reach[u] holds u's strict descendants among the current block of columns; an edge u -> c of
// strength `only` is redundant iff c is in the union of the reach sets of u's children.
// Progress: competencies visited, once per block of columns.
void mark_redundant(const framework::impl& p, const redundancy_tier& t,
                    std::vector<bool>& redundant, detail::meter& m) {
  const std::size_t n = p.comps.size();
  const std::size_t ncols = t.cols.size();
  const std::size_t block_words = t.block_words;
  const std::size_t block_cols = block_words * 64;
  std::vector<std::uint64_t> reach;
  std::vector<std::uint64_t> acc(block_words);
  for (std::size_t lo = 0; lo < ncols; lo += block_cols) {
    const std::size_t hi = std::min(ncols, lo + block_cols);
    const index_t last_rank = p.rank[t.cols[hi - 1]];
    reach.assign(n * block_words, 0);
    detail::meter_ticks ticks(m, 4096);
    for (auto it = p.topo.rbegin(); it != p.topo.rend(); ++it) {
      ticks.add(1);
      const index_t u = *it;
      // Nothing below u can be in a block whose last column comes before u.
      if (p.rank[u] >= last_rank) continue;
      std::fill(acc.begin(), acc.end(), 0);
      const std::uint32_t b = p.out.offset[u], e = p.out.offset[u + 1];
      for (std::uint32_t k = b; k < e; ++k) {
        if (!t.follows(p.out, k)) continue;
        const std::uint64_t* r = &reach[std::size_t{p.out.target[k]} * block_words];
        for (std::size_t w = 0; w < block_words; ++w) acc[w] |= r[w];
      }
      std::uint64_t* mine = &reach[std::size_t{u} * block_words];
      for (std::uint32_t k = b; k < e; ++k) {
        if (!t.follows(p.out, k)) continue;
        const std::int64_t col = t.col_of[p.out.target[k]];
        if (col < static_cast<std::int64_t>(lo) || col >= static_cast<std::int64_t>(hi)) continue;
        const auto bit = static_cast<std::size_t>(col) - lo;
        if (((acc[bit / 64] >> (bit % 64)) & 1U) != 0 && p.out.str[k] == t.only)
          redundant[p.out.edge[k]] = true;
        mine[bit / 64] |= std::uint64_t{1} << (bit % 64);
      }
      for (std::size_t w = 0; w < block_words; ++w) mine[w] |= acc[w];
    }
    ticks.flush();
  }
}

}  // namespace

std::vector<prerequisite_edge> framework::redundant_prerequisites(strength_set filter,
                                                                  const progress& progress) const {
  const auto& p = *impl_;
  const std::size_t n = p.comps.size();
  // One pass per strength tier (required, familiar, recommended: strongest first): an edge of
  // strength s is implied only by a longer path whose every link is at least as strong as s and
  // in `filter` (a path through a recommended edge never implies a required or familiar one:
  // recommended never gates; a familiar link does not imply a required one).
  std::vector<redundancy_tier> tiers;
  if (n != 0 && !p.edges.empty()) {
    std::uint8_t tier_bits = 0;
    for (const strength s : {strength::required, strength::familiar, strength::recommended}) {
      tier_bits = static_cast<std::uint8_t>(tier_bits | (1U << static_cast<unsigned>(s)));
      if (!filter.contains(s)) continue;
      bool any = false;
      for (const auto& e : p.edges) any = any || e.strength == s;
      if (any) tiers.push_back(plan_tier(p, strength_set::from_bits(filter.bits() & tier_bits), s));
    }
  }
  std::uint64_t total = 0;
  for (const auto& t : tiers) total += n * t.blocks();
  detail::meter m(progress, total);
  std::vector<bool> redundant(p.edges.size(), false);
  m.run([&] {
    for (const auto& t : tiers) mark_redundant(p, t, redundant, m);
    m.finish();
  });
  std::vector<prerequisite_edge> out;
  for (std::size_t k = 0; k < p.edges.size(); ++k)
    if (redundant[k]) out.push_back(p.edges[k]);
  return out;
}

std::vector<index_t> framework::children(index_t i) const {
  check_index(i, size());
  const auto& g = impl_->children;
  return {g.target.begin() + g.offset[i], g.target.begin() + g.offset[i + 1]};
}

std::vector<index_t> framework::parents(index_t i) const {
  check_index(i, size());
  const auto& g = impl_->parents;
  return {g.target.begin() + g.offset[i], g.target.begin() + g.offset[i + 1]};
}

const std::vector<std::pair<index_t, index_t>>& framework::hierarchy() const noexcept {
  return impl_->hierarchy;
}

std::vector<std::string> framework::domains() const {
  std::vector<std::string> out;
  std::unordered_map<std::string_view, bool> seen;
  for (const auto& c : impl_->comps)
    if (!c.domain.empty() && seen.emplace(c.domain, true).second) out.push_back(c.domain);
  return out;
}

std::vector<index_t> framework::competencies_in(std::string_view domain,
                                                std::optional<int> level) const {
  std::vector<index_t> out;
  const auto& cs = impl_->comps;
  for (std::size_t i = 0; i < cs.size(); ++i)
    if (cs[i].domain == domain && (!level || cs[i].level == level))
      out.push_back(static_cast<index_t>(i));
  return out;
}

framework framework::subgraph(const std::vector<index_t>& keep) const {
  const std::size_t n = size();
  std::vector<std::int64_t> remap(n, -1);
  for (index_t i : keep) {
    check_index(i, n);
    remap[i] = 0;
  }
  std::vector<competency> comps;
  for (std::size_t i = 0; i < n; ++i)
    if (remap[i] == 0) {
      remap[i] = static_cast<std::int64_t>(comps.size());
      comps.push_back(impl_->comps[i]);
    }
  std::vector<std::pair<index_t, index_t>> hier;
  for (const auto& [a, b] : impl_->hierarchy)
    if (remap[a] >= 0 && remap[b] >= 0)
      hier.emplace_back(static_cast<index_t>(remap[a]), static_cast<index_t>(remap[b]));
  std::vector<prerequisite_edge> edges;
  for (auto e : impl_->edges)
    if (remap[e.prerequisite] >= 0 && remap[e.dependent] >= 0) {
      e.prerequisite = static_cast<index_t>(remap[e.prerequisite]);
      e.dependent = static_cast<index_t>(remap[e.dependent]);
      edges.push_back(e);
    }
  auto frozen =
      detail::freeze(impl_->name, std::move(comps), std::move(hier), std::move(edges), {});
  frozen->metadata = impl_->metadata;
  for (const association& a : impl_->associations) {
    const auto left_out = [&](const std::string& end) {
      const auto i = find(end);
      return i && remap[*i] < 0;
    };
    if (!left_out(a.origin) && !left_out(a.destination)) frozen->associations.push_back(a);
  }
  return framework(std::move(frozen));
}

bool operator==(const framework& a, const framework& b) {
  return a.impl_->name == b.impl_->name && a.impl_->comps == b.impl_->comps &&
         a.impl_->hierarchy == b.impl_->hierarchy && a.impl_->edges == b.impl_->edges &&
         a.impl_->metadata == b.impl_->metadata && a.impl_->associations == b.impl_->associations;
}

namespace {
constexpr detail::enum_names<competency_kind, 2> competency_kind_names{
    {{{competency_kind::academic, "academic"}, {competency_kind::disposition, "disposition"}}},
    "disposition"};
constexpr detail::enum_names<strength, 3> strength_names{{{{strength::required, "required"},
                                                           {strength::familiar, "familiar"},
                                                           {strength::recommended, "recommended"}}},
                                                         "required"};
}  // namespace

const char* to_string(competency_kind k) noexcept { return competency_kind_names.name(k); }

const char* to_string(strength s) noexcept { return strength_names.name(s); }

competency_kind parse_competency_kind(std::string_view text) {
  if (auto k = competency_kind_names.parse(text)) return *k;
  throw std::invalid_argument(
      fmt::format("unknown competency kind '{}' (expected academic or disposition)", text));
}

strength parse_strength(std::string_view text) {
  if (auto x = strength_names.parse(text)) return *x;
  throw std::invalid_argument(fmt::format(
      "unknown prerequisite strength '{}' (expected required, familiar or recommended)", text));
}

std::string to_string(const framework& f) {
  return fmt::format("framework '{}': {} competencies, {} prerequisites", f.name(), f.size(),
                     f.edge_count());
}

}  // namespace masterymap
