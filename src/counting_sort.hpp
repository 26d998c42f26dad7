// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// The offsets of a stable counting sort done in blocks on several threads (the engine's learner
// partition, the roster's row index).
#ifndef MASTERYMAP_SRC_COUNTING_SORT_HPP
#define MASTERYMAP_SRC_COUNTING_SORT_HPP

#include <cstddef>
#include <cstdint>
#include <vector>

namespace masterymap::detail {

/// Turns the per-block counts of `keys` keys (`cursors`, block-major: block th's count of key k
/// at th * keys + k) into each block's first output position for each key, and sets
/// `start[k]` (sized keys + 1) to key k's first position (start[keys]: the total). Key order
/// first, then block order: blocks of consecutive rows scattered at their cursors keep the
/// rows' order within a key. O(keys x blocks).
inline void block_offsets(std::vector<std::uint32_t>& cursors, std::vector<std::uint32_t>& start,
                          std::size_t keys, unsigned blocks) {
  for (std::size_t k = 0; k < keys; ++k) {
    std::uint32_t at = start[k];
    for (unsigned th = 0; th < blocks; ++th) {
      const std::uint32_t c = cursors[std::size_t{th} * keys + k];
      cursors[std::size_t{th} * keys + k] = at;
      at += c;
    }
    start[k + 1] = at;
  }
}

}  // namespace masterymap::detail

#endif  // MASTERYMAP_SRC_COUNTING_SORT_HPP
