// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// Private: a roster's learners laid out for frontier_flags_block, 16 at a time (the frontier
// matrix, the ready groups, the bottlenecks).
#ifndef MASTERYMAP_SRC_FRONTIER_LANES_HPP
#define MASTERYMAP_SRC_FRONTIER_LANES_HPP

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <masterymap/frontier_block.hpp>
#include <masterymap/progression.hpp>
#include <masterymap/roster.hpp>

#include "bit_util.hpp"

namespace masterymap::detail {

/// Learners [l0, l0 + w) (w <= frontier_lanes) as the attainment codes of
/// `frontier_flags_block` (competency-major: a[c * frontier_lanes + j] for learner l0 + j), from
/// their stored cells and inferred bits (`inferred_code`: the code of an inferred-only
/// competency); lanes at or past w are done, so never on a frontier. O(C * lanes / 16 +
/// touched cells).
inline void lane_codes(const roster& r, std::size_t l0, std::size_t w, std::uint8_t inferred_code,
                       std::uint8_t* a) {
  constexpr std::size_t W = frontier_lanes;
  const std::size_t C = r.competencies();
  std::memset(a, 0, C * W);
  if (w < W)
    for (std::size_t c = 0; c < C; ++c) std::memset(a + c * W + w, progression::done_code, W - w);
  for (std::size_t j = 0; j < w; ++j) {
    const roster_bits bits = r.inferred(l0 + j);
    for (std::size_t x = 0; x < bits.size(); ++x)
      for (std::uint64_t v = bits.first[x]; v != 0; v &= v - 1)
        a[(x * 64 + lowest_bit(v)) * W + j] = inferred_code;
    for (const roster_cell& x : r.cells(l0 + j))
      a[std::size_t{x.competency} * W + j] = x.attainment;
  }
}

}  // namespace masterymap::detail

#endif  // MASTERYMAP_SRC_FRONTIER_LANES_HPP
