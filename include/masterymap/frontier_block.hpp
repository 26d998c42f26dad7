// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
#ifndef MASTERYMAP_FRONTIER_BLOCK_HPP
#define MASTERYMAP_FRONTIER_BLOCK_HPP

#include <cstddef>
#include <cstdint>
#include <masterymap/config.hpp>
#include <masterymap/progression.hpp>

namespace masterymap {

/// Learners evaluated together by `frontier_flags_block`: the lanes of a block.
inline constexpr std::size_t frontier_lanes = 16;

/// `progression::frontier_flags` of `frontier_lanes` learners at once, for bulk frontiers of
/// many learners (`Roster.frontier()`): the same flags, lane by lane.
///
/// Layout, competency-major ("transposed"): `codes[c * frontier_lanes + j]` is learner j's
/// attainment code on competency c (as `progression::encode` / `roster::attainments` give),
/// for c < p.size() and j < frontier_lanes (p.size() x frontier_lanes bytes); `out` has the
/// same layout and gets 1 where competency c is on learner j's frontier, else 0. Lanes not in
/// use may hold any codes (their flags mean nothing). `codes` and `out` must not overlap.
///
/// Each gating edge is one 16-byte comparison for all the lanes (one per learner and edge in
/// `frontier_flags`): O((p.size() + edges) x frontier_lanes / 16) vector operations, no
/// data-dependent branch. Thread safety: reads `p` only; any number of threads at once.
MASTERYMAP_API void frontier_flags_block(const progression& p, const std::uint8_t* codes,
                                         std::uint8_t* out) noexcept;

}  // namespace masterymap

#endif  // MASTERYMAP_FRONTIER_BLOCK_HPP
