// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// Bit helpers for the 64-bit words of bitsets (the roster's inferred-only competencies).
#ifndef MASTERYMAP_SRC_BIT_UTIL_HPP
#define MASTERYMAP_SRC_BIT_UTIL_HPP

#include <cstddef>
#include <cstdint>

namespace masterymap::detail {

/// The index of the lowest set bit of `b` (b != 0).
inline std::size_t lowest_bit(std::uint64_t b) noexcept {
#if defined(__GNUC__) || defined(__clang__)
  return static_cast<std::size_t>(__builtin_ctzll(b));
#else
  std::size_t i = 0;
  while ((b & 1U) == 0) {
    b >>= 1;
    ++i;
  }
  return i;
#endif
}

}  // namespace masterymap::detail

#endif  // MASTERYMAP_SRC_BIT_UTIL_HPP
