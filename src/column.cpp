// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
#include <cstdint>
#include <masterymap/column.hpp>
#include <mutex>
#include <unordered_map>
#include <utility>
#include <vector>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace masterymap::detail {

namespace {

constexpr std::size_t huge = std::size_t{2} << 20;
constexpr std::size_t large = std::size_t{1} << 20;  // smaller blocks: operator new

#if defined(__linux__)
std::size_t mapped_size(std::size_t bytes) noexcept { return (bytes + huge - 1) / huge * huge; }

// Freed large blocks kept for reuse. A block that was written once is backed by memory: taking
// it again costs no page fault, where fresh memory costs one per page (on some virtual
// machines ~10 us per 4 KiB, i.e. ~70 ms for a 24 MB log). Bounded by `limit` bytes; the
// oldest blocks are unmapped first.
struct block_cache {
  std::mutex m;
  std::vector<std::pair<void*, std::size_t>> blocks;  // (block, mapped size), oldest first
  std::unordered_map<void*, std::size_t> larger;      // blocks in use that are larger than asked
  std::size_t bytes = 0;
  std::size_t limit = std::size_t{256} << 20;

  void* take(std::size_t size) {
    std::lock_guard<std::mutex> lock(m);
    // Best fit, wasting at most half of the block.
    std::size_t best = blocks.size();
    for (std::size_t i = 0; i < blocks.size(); ++i)
      if (blocks[i].second >= size && blocks[i].second / 2 <= size &&
          (best == blocks.size() || blocks[i].second < blocks[best].second))
        best = i;
    if (best == blocks.size()) return nullptr;
    void* p = blocks[best].first;
    if (blocks[best].second > size) {
      // A larger block is handed out whole (its pages are backed already) and remembered, since
      // deallocate derives the size from the element count. Without memory to remember it,
      // the tail is unmapped instead.
      try {
        larger.emplace(p, blocks[best].second);
      } catch (...) {
        ::munmap(static_cast<char*>(p) + size, blocks[best].second - size);
      }
    }
    bytes -= blocks[best].second;
    blocks.erase(blocks.begin() + static_cast<std::ptrdiff_t>(best));
    return p;
  }
  // Keeps a freed block (or unmaps it when it does not fit the limit). Never throws.
  void put(void* p, std::size_t size) noexcept {
    std::lock_guard<std::mutex> lock(m);
    if (auto it = larger.find(p); it != larger.end()) {
      size = it->second;
      larger.erase(it);
    }
    bool kept = false;
    if (size <= limit) {
      try {
        blocks.emplace_back(p, size);
        bytes += size;
        kept = true;
      } catch (...) {  // no memory to remember it: unmapped below
      }
    }
    trim();
    if (!kept) (void)::munmap(p, size);
  }
  std::size_t set_limit(std::size_t n) noexcept {
    std::lock_guard<std::mutex> lock(m);
    const std::size_t old = limit;
    limit = n;
    trim();
    return old;
  }
  // Unmaps the oldest blocks until the cache fits its limit (lock held; munmap is cheap and
  // this is rare, so it is done in place).
  void trim() noexcept {
    std::size_t k = 0;
    for (; bytes > limit; ++k) {
      (void)::munmap(blocks[k].first, blocks[k].second);
      bytes -= blocks[k].second;
    }
    blocks.erase(blocks.begin(), blocks.begin() + static_cast<std::ptrdiff_t>(k));
  }
};

block_cache& cache() {
  static auto* c = new block_cache;  // never destroyed: columns may be freed during exit
  return *c;
}
#endif

}  // namespace

void* column_allocate(std::size_t bytes) {
#if defined(__linux__)
  if (bytes >= large) {
    const std::size_t size = mapped_size(bytes);
    if (size < bytes) throw std::bad_alloc();
    if (void* p = cache().take(size)) return p;
    // Over-map by one huge page, then unmap the unaligned head and tail: the block starts on
    // a 2 MiB boundary, so every page of it can be a huge page.
    void* raw =
        ::mmap(nullptr, size + huge, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (raw == MAP_FAILED) throw std::bad_alloc();
    const auto r = reinterpret_cast<std::uintptr_t>(raw);
    const std::uintptr_t a = (r + huge - 1) & ~(huge - 1);
    if (a > r) ::munmap(raw, a - r);
    if (a + size < r + size + huge)
      ::munmap(reinterpret_cast<void*>(a + size), r + size + huge - (a + size));
#if defined(MADV_HUGEPAGE)
    (void)::madvise(reinterpret_cast<void*>(a), size, MADV_HUGEPAGE);
#endif
    return reinterpret_cast<void*>(a);
  }
#endif
  return ::operator new(bytes);
}

void column_deallocate(void* p, std::size_t bytes) noexcept {
  if (p == nullptr) return;
#if defined(__linux__)
  if (bytes >= large) {
    cache().put(p, mapped_size(bytes));
    return;
  }
#endif
  ::operator delete(p);
}

}  // namespace masterymap::detail

namespace masterymap {

std::size_t set_column_cache_limit(std::size_t bytes) noexcept {
#if defined(__linux__)
  return detail::cache().set_limit(bytes);
#else
  (void)bytes;
  return 0;
#endif
}

}  // namespace masterymap

namespace masterymap::detail {

void column_populate(const void* p, std::size_t bytes) noexcept {
#if defined(__linux__)
  if (p == nullptr || bytes < (std::size_t{256} << 10)) return;
  constexpr std::uintptr_t page = 4096;
  const auto begin = reinterpret_cast<std::uintptr_t>(p) & ~(page - 1);
  const auto end = (reinterpret_cast<std::uintptr_t>(p) + bytes + page - 1) & ~(page - 1);
#if defined(MADV_POPULATE_WRITE)
  (void)::madvise(reinterpret_cast<void*>(begin), end - begin, MADV_POPULATE_WRITE);
#else
  (void)::madvise(reinterpret_cast<void*>(begin), end - begin,
                  23);  // MADV_POPULATE_WRITE, Linux 5.14
#endif
#else
  (void)p;
  (void)bytes;
#endif
}

}  // namespace masterymap::detail
