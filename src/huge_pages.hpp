// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// Private: transparent huge pages for large, freshly allocated columns and tables.
//
// First-touch page faults dominate filling hundreds of megabytes (the kernel zeroes and maps
// 4 KiB pages one trap at a time, very slowly under virtualisation). On Linux, a large block is
// advised to use transparent huge pages before it is touched (honoured when THP is "always" or
// "madvise"), and can be populated up front by the kernel in parallel chunks
// (MADV_POPULATE_WRITE, Linux 5.14+). Both are advice: failures are ignored, and elsewhere
// these do nothing.
#ifndef MASTERYMAP_SRC_HUGE_PAGES_HPP
#define MASTERYMAP_SRC_HUGE_PAGES_HPP

#include <cstddef>
#include <cstdint>

#if defined(__linux__)
#include <sys/mman.h>
#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif
#endif

namespace masterymap::detail {

constexpr std::size_t huge_page = std::size_t{2} << 20;
/// Blocks smaller than this are left alone.
constexpr std::size_t huge_min_bytes = 4 * huge_page;

/// Advises huge pages for the whole 2 MiB-aligned part of [p, p + bytes).
inline void advise_huge(const void* p, std::size_t bytes) noexcept {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  if (bytes < huge_min_bytes) return;
  const auto begin = reinterpret_cast<std::uintptr_t>(p);
  const std::uintptr_t first = (begin + huge_page - 1) & ~(huge_page - 1), last = (begin + bytes) & ~(huge_page - 1);
  if (last > first) (void)::madvise(reinterpret_cast<void*>(first), last - first, MADV_HUGEPAGE);
#else
  (void)p;
  (void)bytes;
#endif
}

/// Populates (maps and zeroes) the 2 MiB-aligned chunks [b, e) of the block at `p`.
inline void populate_chunks(const void* p, std::size_t b, std::size_t e) noexcept {
#if defined(__linux__)
  const auto base = reinterpret_cast<std::uintptr_t>(p);
  (void)::madvise(reinterpret_cast<void*>(base + b * huge_page), (e - b) * huge_page, MADV_POPULATE_WRITE);
#else
  (void)p;
  (void)b;
  (void)e;
#endif
}

}  // namespace masterymap::detail

#endif  // MASTERYMAP_SRC_HUGE_PAGES_HPP
