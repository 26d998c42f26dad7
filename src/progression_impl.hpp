// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// Private: the compiled form of a progression, and a small parallel-for shared with the roster.
#ifndef MASTERYMAP_SRC_PROGRESSION_IMPL_HPP
#define MASTERYMAP_SRC_PROGRESSION_IMPL_HPP

#include <masterymap/progression.hpp>

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

/// Runs fn(begin, end) over [0, n) in contiguous chunks on up to `threads` threads (0 = all
/// cores). Each index is handled once, so results never depend on the thread count. The first
/// exception thrown by a chunk is rethrown.
template <typename Fn>
void parallel_for(std::size_t n, unsigned threads, std::size_t min_chunk, Fn&& fn) {
  if (threads == 0) threads = std::max(1U, std::thread::hardware_concurrency());
  std::size_t t = std::min<std::size_t>(threads, (n + min_chunk - 1) / std::max<std::size_t>(min_chunk, 1));
  if (t <= 1) {
    if (n > 0) fn(std::size_t{0}, n);
    return;
  }
  std::vector<std::thread> pool;
  std::vector<std::exception_ptr> errors(t);
  const std::size_t chunk = (n + t - 1) / t;
  for (std::size_t k = 0; k < t; ++k) {
    const std::size_t b = k * chunk, e = std::min(n, b + chunk);
    if (b >= e) break;
    pool.emplace_back([&, k, b, e] {
      try {
        fn(b, e);
      } catch (...) {
        errors[k] = std::current_exception();
      }
    });
  }
  for (auto& th : pool) th.join();
  for (auto& e : errors)
    if (e) std::rethrow_exception(e);
}

}  // namespace masterymap::detail

#endif  // MASTERYMAP_SRC_PROGRESSION_IMPL_HPP
