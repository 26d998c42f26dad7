// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// Storage for large per-event columns (the evidence log, bulk rating tables).
#ifndef MASTERYMAP_COLUMN_HPP
#define MASTERYMAP_COLUMN_HPP

#include <cstddef>
#include <masterymap/config.hpp>
#include <new>
#include <vector>

namespace masterymap {

namespace detail {
/// Large blocks (at least 1 MiB) are 2 MiB-aligned anonymous mappings advised for transparent
/// huge pages on Linux; smaller ones come from operator new. `bytes` must be the same in both
/// calls. Throws std::bad_alloc.
[[nodiscard]] MASTERYMAP_API void* column_allocate(std::size_t bytes);
MASTERYMAP_API void column_deallocate(void* p, std::size_t bytes) noexcept;
/// Maps [p, p + bytes) writable ahead of a write that fills it: on virtual machines where a
/// first-touch page fault costs microseconds, one call is many times cheaper than the faults
/// one by one. Advisory: does nothing where unsupported.
MASTERYMAP_API void column_populate(const void* p, std::size_t bytes) noexcept;
}  // namespace detail

/// Freed column blocks (of at least 1 MiB) are kept for reuse, up to this many bytes in all
/// (default 256 MiB), so that repeated bulk work (re-rating a log, rebuilding a log of the same
/// size) reuses memory that is already mapped instead of paying a page fault per page again.
/// Sets the limit and returns the previous one; 0 returns every cached block to the system.
MASTERYMAP_API std::size_t set_column_cache_limit(std::size_t bytes) noexcept;

/// The allocator of `column`: a std::allocator whose large blocks are huge-page friendly.
/// Columns of millions of events are written once and read sequentially; backing them with
/// 2 MiB pages makes their first touch ~50x cheaper on some virtual machines and spares TLB
/// misses on every later pass.
template <typename T>
struct column_allocator {
  using value_type = T;
  column_allocator() noexcept = default;
  template <typename U>
  column_allocator(const column_allocator<U>& /*other*/) noexcept {
  }  // NOLINT(google-explicit-constructor)
  [[nodiscard]] T* allocate(std::size_t n) {
    if (n > static_cast<std::size_t>(-1) / sizeof(T)) throw std::bad_array_new_length();
    return static_cast<T*>(detail::column_allocate(n * sizeof(T)));
  }
  void deallocate(T* p, std::size_t n) noexcept { detail::column_deallocate(p, n * sizeof(T)); }
  template <typename U>
  friend bool operator==(const column_allocator& /*a*/, const column_allocator<U>& /*b*/) noexcept {
    return true;
  }
  template <typename U>
  friend bool operator!=(const column_allocator& /*a*/, const column_allocator<U>& /*b*/) noexcept {
    return false;
  }
};

/// A std::vector for per-event data (see column_allocator). Read it like any vector:
/// `.data()`, `.size()`, iteration; copy out with `std::vector<T>(c.begin(), c.end())`.
template <typename T>
using column = std::vector<T, column_allocator<T>>;

}  // namespace masterymap

#endif  // MASTERYMAP_COLUMN_HPP
