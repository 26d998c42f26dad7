// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// Internal: the library's one way to run work on several threads.
#ifndef MASTERYMAP_SRC_PARALLEL_HPP
#define MASTERYMAP_SRC_PARALLEL_HPP

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

#include "progress_meter.hpp"

namespace masterymap::detail {

/// `threads`, or every core when 0.
inline unsigned resolve_threads(unsigned threads) noexcept {
  return threads != 0 ? threads : std::max(1U, std::thread::hardware_concurrency());
}

/// Runs f(t) for t in [0, threads) on as many threads (t = 0 on the calling thread), waits for
/// all, then rethrows the exception of the lowest t that threw, if any. With an active meter,
/// the calling thread keeps reporting while it waits for the others (a report that throws
/// stops them: f must check the meter), and a cancelled call throws stop_request.
template <typename F>
void run_threads(unsigned threads, F&& f, meter* m = nullptr) {
  if (threads <= 1) {
    f(0U);
    return;
  }
  std::vector<std::exception_ptr> errors(threads);
  const bool watch = m != nullptr && m->active();
  std::mutex mu;
  std::condition_variable all_done;
  unsigned running = threads - 1;  // workers other than the calling thread
  auto guarded = [&, watch](unsigned t) {
    try {
      f(t);
    } catch (...) {
      errors[t] = std::current_exception();
    }
    if (watch && t != 0) {
      const std::lock_guard<std::mutex> lock(mu);
      if (--running == 0) all_done.notify_one();
    }
  };
  std::vector<std::thread> pool;
  pool.reserve(threads - 1);
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(guarded, t);
  guarded(0U);
  if (watch) {
    std::unique_lock<std::mutex> lock(mu);
    while (running > 0) {
      lock.unlock();
      const auto wait = m->wait_poll();
      lock.lock();
      all_done.wait_for(lock, wait, [&] { return running == 0; });
    }
  }
  for (auto& th : pool) th.join();
  for (auto& e : errors)
    if (e) std::rethrow_exception(e);
  if (watch && m->stopped()) throw stop_request{};
}

/// Runs fn(begin, end) over [0, n) in contiguous chunks of at least `min_chunk` on up to
/// `threads` threads (0 = all cores). Each index is handled once, so results never depend on
/// the thread count. `m`: as for run_threads.
template <typename Fn>
void parallel_for(std::size_t n, unsigned threads, std::size_t min_chunk, Fn&& fn,
                  meter* m = nullptr) {
  const std::size_t t = std::min<std::size_t>(
      resolve_threads(threads), (n + min_chunk - 1) / std::max<std::size_t>(min_chunk, 1));
  if (t <= 1) {
    if (n > 0) fn(std::size_t{0}, n);
    return;
  }
  const std::size_t chunk = (n + t - 1) / t;
  run_threads(
      static_cast<unsigned>(t),
      [&](unsigned k) {
        const std::size_t b = k * chunk, e = std::min(n, b + chunk);
        if (b < e) fn(b, e);
      },
      m);
}

/// Runs fn(task, worker) for every task in [0, n) on up to `threads` threads (0 = all cores),
/// handing tasks out in index order as workers become free (put the largest first). After a
/// task throws, no new task starts; the first exception is rethrown. `m`: as for run_threads.
template <typename Fn>
void parallel_tasks(std::size_t n, unsigned threads, Fn&& fn, meter* m = nullptr) {
  const auto t = static_cast<unsigned>(std::min<std::size_t>(resolve_threads(threads), n));
  if (t <= 1) {
    for (std::size_t i = 0; i < n; ++i) fn(i, 0U);
    return;
  }
  std::atomic<std::size_t> next{0};
  run_threads(
      t,
      [&](unsigned worker) {
        for (;;) {
          const std::size_t i = next.fetch_add(1, std::memory_order_relaxed);
          if (i >= n) return;
          try {
            fn(i, worker);
          } catch (...) {
            next.store(n, std::memory_order_relaxed);
            throw;
          }
        }
      },
      m);
}

}  // namespace masterymap::detail

#endif  // MASTERYMAP_SRC_PARALLEL_HPP
