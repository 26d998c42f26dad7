// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// Private: the compiled form of a progression and the helpers its two source files share.
#ifndef MASTERYMAP_SRC_PROGRESSION_IMPL_HPP
#define MASTERYMAP_SRC_PROGRESSION_IMPL_HPP

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <limits>
#include <masterymap/progression.hpp>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "parallel.hpp"

namespace masterymap::detail {

struct compiled_policy;

/// The policy compiled for `progression::infer`, on first use (or the engine's, shared).
struct inference_slot {
  std::once_flag once;
  std::shared_ptr<const compiled_policy> ctx;  // set once, under `once`
};

struct progression_data {
  progression_data(masterymap::framework f, masterymap::scale s)
      : fw(std::move(f)), sc(std::move(s)) {}
  masterymap::framework fw;
  masterymap::scale sc;  // what it was compiled against (`progression::scale`, equality)
  std::size_t n = 0;
  double tol = 0.0;
  std::vector<double> thresholds;  // familiar levels, ascending: code 2 + k
  std::vector<std::string> threshold_labels;
  // Gating edges (required, familiar) as CSR in both directions, with the needed code.
  std::vector<std::uint32_t> in_off, in_src, out_off, out_dst;
  std::vector<std::uint8_t> in_need, out_need;
  std::vector<std::uint32_t> in_dst;  // dependent of each in-edge (parallel to in_src)
  // Every edge (any strength), into each competency: the order constraints of paths.
  std::vector<std::uint32_t> all_in_off, all_in_src;
  std::vector<std::uint8_t> edge_need;  // per framework edge
  std::vector<std::uint32_t> rank;      // topological rank
  std::vector<index_t> order;           // competencies by rank (order[rank[c]] == c)
  std::vector<std::uint32_t> depth;
  // Learning targets: 1, rollup parents 0; the parts of each rollup parent as CSR (empty for a
  // target).
  std::vector<std::uint8_t> target;
  // The gating edges of frontier_flags: the in-edges plus, per rollup parent, a self-edge
  // needing done_code (never met while it is not done), so rollup parents are masked at no cost
  // per competency. Grouped by dependent (gate_comp: the dependents with at least one edge;
  // dependent i's edges are gate_src/gate_need[i * its degree + offset of its class]), the
  // dependents in classes of equal in-degree (gate_class: degree, first dependent, first edge),
  // so that each class runs a loop of a fixed trip count: no data-dependent branch and no
  // read-modify-write of a flag per edge.
  struct gate_class {
    std::uint32_t degree, first, edges;
  };
  std::vector<gate_class> gate_classes;  // ascending degree; a last entry ends the lists
  std::vector<std::uint32_t> gate_comp, gate_src;
  std::vector<std::uint8_t> gate_need;
  std::vector<std::uint32_t> part_off, part;
  // Per competency: its domain's number (domain_names) and level (no_level when none), for
  // recommend's working levels.
  static constexpr int no_level = std::numeric_limits<int>::min();
  std::vector<std::uint32_t> domain_of;
  std::vector<std::string> domain_names;
  std::vector<int> level_of;
  // The (domain, level) classes of the leveled academic competencies: per domain, its levels
  // ascending as slots slot_off[d]..slot_off[d+1] (slot_level: the level); per competency its
  // slot (no_slot when unleveled). For the level after a domain's highest complete level.
  static constexpr std::uint32_t no_slot = std::numeric_limits<std::uint32_t>::max();
  std::vector<std::uint32_t> slot_of, slot_off;
  std::vector<int> slot_level;
  // The competencies of each slot, ascending by index, as CSR (slot_comp_off[j] ..
  // slot_comp_off[j + 1] into slot_comp): `level` visits only the domain's leveled competencies.
  std::vector<std::uint32_t> slot_comp_off, slot_comp;
  // The rule `infer` applies: the policy's scale, rollups and infer_prerequisites (nothing else
  // of a policy changes inference); empty when compiled from a scale alone.
  std::optional<masterymap::policy> rule;
  std::shared_ptr<inference_slot> inference = std::make_shared<inference_slot>();
};

// --- helpers shared by progression.cpp (gating, frontier) and progression_plan.cpp (gaps,
// paths, recommendations, levels) -----------------------------------------------------------

inline void check_view(const progression_data& d, const learner_view& v) {
  if (v.size != d.n || (d.n > 0 && v.statuses == nullptr))
    throw std::invalid_argument(fmt::format(
        "progression: the learner view has {} competencies, the framework {}", v.size, d.n));
}

inline void check_index(const progression_data& d, index_t c) {
  if (c >= d.n)
    throw std::out_of_range(fmt::format("competency index {} out of range ({})", c, d.n));
}

inline std::optional<double> score_at(const learner_view& v, index_t c) {
  if (!v.scores || std::isnan(v.scores[c])) return std::nullopt;
  return v.scores[c];
}

/// Work not done with evidence: in progress, awaiting confirmation, expired (the roots of
/// `progression::blockers`). "Done" is asked of the attainment code only (done_code), the one
/// predicate of met work.
inline bool in_progress_at(const learner_view& v, const std::uint8_t* codes, index_t c) noexcept {
  return codes[c] != progression::done_code && v.statuses[c] != status::not_started;
}

inline bool ready_at(const progression_data& d, const std::uint8_t* codes, index_t c) noexcept {
  if (codes[c] == progression::done_code || !d.target[c]) return false;
  for (std::uint32_t k = d.in_off[c]; k < d.in_off[c + 1]; ++k)
    if (codes[d.in_src[k]] < d.in_need[k]) return false;
  return true;
}

/// The unmet gating closure below `roots` (roots themselves included when `with_roots`), as
/// blockers in learning order; with `expand_rollups`, a rollup parent in it also brings its
/// parts not done (progression.cpp).
std::vector<blocker> closure(const progression& p, const learner_view& v, const std::uint8_t* codes,
                             const std::vector<index_t>& roots, bool with_roots,
                             bool expand_rollups = false);

}  // namespace masterymap::detail

#endif  // MASTERYMAP_SRC_PROGRESSION_IMPL_HPP
