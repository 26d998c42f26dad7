// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
#include <doctest/doctest.h>

#include <cstdint>
#include <masterymap/column.hpp>
#include <numeric>

using masterymap::column;

TEST_CASE("column: a std::vector whose large blocks are 2 MiB aligned and reused") {
  const std::size_t previous = masterymap::set_column_cache_limit(std::size_t{64} << 20);
  const std::size_t n = std::size_t{3} << 20;  // 12 MiB of uint32
  const std::uint32_t* first = nullptr;
  {
    column<std::uint32_t> c(n);
    std::iota(c.begin(), c.end(), 0U);
    CHECK(reinterpret_cast<std::uintptr_t>(c.data()) % (std::uintptr_t{2} << 20) == 0);
    CHECK(c[n - 1] == n - 1);
    first = c.data();
    c.push_back(7);  // grows into a new block, contents kept
    CHECK(c.size() == n + 1);
    CHECK(c[12345] == 12345U);
    CHECK(c.back() == 7U);
  }
  {
    // A block of the same size class comes back from the cache.
    column<std::uint32_t> again;
    again.reserve(n);
    CHECK(again.data() == first);
  }
  {
    // A smaller request (at least half the size) takes a larger kept block whole; freed, the
    // block goes back with its full size.
    column<std::uint32_t> smaller;
    smaller.reserve(n * 3 / 4);
    CHECK(smaller.data() == first);
  }
  {
    column<std::uint32_t> whole;
    whole.reserve(n);
    CHECK(whole.data() == first);
    whole.assign(n, 5U);
    CHECK(whole[n - 1] == 5U);
  }
  // Small columns are ordinary allocations; copies compare like vectors.
  column<double> small{1.0, 2.0, 3.0};
  column<double> copy = small;
  CHECK(copy == small);
  // Limit 0 empties the cache (the blocks go back to the system).
  CHECK(masterymap::set_column_cache_limit(0) == (std::size_t{64} << 20));
  {
    column<std::uint32_t> fresh(n, 1U);
    CHECK(fresh[n / 2] == 1U);
  }
  masterymap::set_column_cache_limit(previous);
}
