// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// Private: the frozen representation behind masterymap::framework.
#ifndef MASTERYMAP_SRC_FRAMEWORK_IMPL_HPP
#define MASTERYMAP_SRC_FRAMEWORK_IMPL_HPP

#include <masterymap/framework.hpp>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace masterymap {

/// Compressed sparse rows: the neighbours of `v` are `target[offset[v] .. offset[v+1])`, in
/// insertion order; `edge[k]` is the index of that edge in the framework's edge list.
struct csr {
  std::vector<std::uint32_t> offset;  // size V + 1
  std::vector<index_t> target;
  std::vector<std::uint32_t> edge;
  std::vector<strength> str;  // strength of each entry (prerequisite graph only)
};

/// A graph laid out for breadth-first closures, vertices numbered by topological position.
/// Row v is one header slot {degree, v} followed by one slot per neighbour {position, row of the
/// neighbour}: reaching a vertex already tells where its row is, so each visited vertex costs
/// one cache miss instead of two (offset, then targets).
struct packed_graph {
  struct slot {
    std::uint32_t a;  // header: degree;   entry: neighbour's position
    std::uint32_t b;  // header: position; entry: neighbour's row
  };
  std::vector<slot> slots;
  std::vector<strength> str;       // per slot (headers unused)
  std::vector<std::uint32_t> row;  // row of each position
};

struct framework::impl {
  std::string name;
  std::vector<competency> comps;
  // Views into comps[i].id: comps never changes after freezing, so the views stay valid.
  std::unordered_map<std::string_view, index_t> index;
  std::vector<prerequisite_edge> edges;
  csr out;  // prerequisite -> dependents
  csr in;   // dependent -> prerequisites
  std::vector<std::pair<index_t, index_t>> hierarchy;
  csr children;
  csr parents;
  // The prerequisite graph again, with vertices numbered by topological position: closure
  // queries run here, so their visit marks fit a small bitset and come out in learning order.
  packed_graph out_pos;
  packed_graph in_pos;
  std::vector<index_t> topo;
  std::vector<index_t> rank;
  std::vector<std::uint32_t> depth;
  std::vector<dropped_edge> dropped;
  std::map<std::string, std::string> metadata;
  std::vector<association> associations;
};

namespace detail {

class meter;  // progress_meter.hpp

/// Builds the frozen structure from already-validated parts (acyclic, no duplicates). Counts
/// competencies, then hierarchy links and edges, on `m` (if any), checking it as it goes.
std::shared_ptr<framework::impl> freeze(std::string name, std::vector<competency> comps,
                                        std::vector<std::pair<index_t, index_t>> hierarchy,
                                        std::vector<prerequisite_edge> edges,
                                        std::vector<dropped_edge> dropped, meter* m = nullptr);

/// CSR over `n` vertices from (source, target) pairs given by `src(k)` and `dst(k)` for k < m,
/// keeping the input order inside each row (counting sort, stable).
template <typename Src, typename Dst>
csr make_csr(std::size_t n, std::size_t m, Src src, Dst dst) {
  csr g;
  g.offset.assign(n + 1, 0);
  for (std::size_t k = 0; k < m; ++k) ++g.offset[src(k) + 1];
  for (std::size_t v = 0; v < n; ++v) g.offset[v + 1] += g.offset[v];
  g.target.resize(m);
  g.edge.resize(m);
  std::vector<std::uint32_t> fill(g.offset.begin(), g.offset.end() - 1);
  for (std::size_t k = 0; k < m; ++k) {
    const std::uint32_t pos = fill[src(k)]++;
    g.target[pos] = dst(k);
    g.edge[pos] = static_cast<std::uint32_t>(k);
  }
  return g;
}

}  // namespace detail
}  // namespace masterymap

#endif  // MASTERYMAP_SRC_FRAMEWORK_IMPL_HPP
