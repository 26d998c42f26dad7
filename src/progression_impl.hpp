// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// Private: the compiled form of a progression, and a small parallel-for shared with the roster.
#ifndef MASTERYMAP_SRC_PROGRESSION_IMPL_HPP
#define MASTERYMAP_SRC_PROGRESSION_IMPL_HPP

#include <masterymap/progression.hpp>

#include "parallel.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <string>
#include <thread>
#include <vector>

namespace masterymap::detail {

struct progression_data {
  masterymap::framework fw;
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
  std::vector<std::uint32_t> depth;
};

}  // namespace masterymap::detail

#endif  // MASTERYMAP_SRC_PROGRESSION_IMPL_HPP
