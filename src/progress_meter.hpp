// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// Internal: the progress of one long call (masterymap::progress, progress.hpp): finished work
// counted from any thread, reports made on the calling thread, every thread stopped once a
// report has thrown.
#ifndef MASTERYMAP_SRC_PROGRESS_METER_HPP
#define MASTERYMAP_SRC_PROGRESS_METER_HPP

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <masterymap/progress.hpp>
#include <thread>

namespace masterymap::detail {

/// Thrown by a meter's checks once the call is cancelled (on every thread that checks);
/// `meter::run` at the call's entry turns it back into the exception `report` threw.
struct stop_request {};

/// The progress of one long call. Loops call `advance(n)` after each block of n units (or
/// `check()` where they count nothing), from any thread: inactive (no `report`), that is one
/// branch; active, a relaxed atomic add and a flag test, plus, on the calling thread, a clock
/// read. Blocks should take well under a millisecond and at least a few microseconds.
class meter {
 public:
  using clock = std::chrono::steady_clock;
  /// The time, at the resolution reports need (milliseconds): on Linux the coarse monotonic
  /// clock, a few times cheaper than steady_clock::now(), which matters for short calls.
  static clock::time_point now() noexcept;

  /// A meter of `total` units (settable later with `set_total`, before any work is counted).
  explicit meter(const progress& p, std::uint64_t total = 0) noexcept
      : hook_(p.report ? &p : nullptr),
        total_(total),
        owner_(hook_ ? std::this_thread::get_id() : std::thread::id{}),
        next_(hook_ ? now() + p.interval : clock::time_point{}) {}
  meter(const meter&) = delete;
  meter& operator=(const meter&) = delete;
  ~meter() = default;

  [[nodiscard]] bool active() const noexcept { return hook_ != nullptr; }
  void set_total(std::uint64_t total) noexcept { total_ = total; }
  [[nodiscard]] std::uint64_t total() const noexcept { return total_; }

  /// Adds `n` finished units, then checks. \throws stop_request once cancelled.
  void advance(std::uint64_t n) {
    if (hook_ == nullptr) return;
    done_.fetch_add(n, std::memory_order_relaxed);
    poll();
  }
  /// Checks without counting. \throws stop_request once cancelled.
  void check() {
    if (hook_ != nullptr) poll();
  }
  /// The last report, done == total (calling thread), unless a nested call has made it.
  /// \throws stop_request if it throws.
  void finish() {
    if (hook_ != nullptr) finish_active();
  }

  /// Runs f() and turns a stop_request into the exception that caused it.
  template <typename F>
  decltype(auto) run(F&& f) {
    try {
      return f();
    } catch (const stop_request&) {
      rethrow();
    }
  }

  /// A hook for a nested long call made on the calling thread (with no worker of this call
  /// running): its reports (d, t) are passed on as from + (to - from) * d / t, through this
  /// meter's report, and what that throws cancels the nested call and propagates. Empty when
  /// this meter is inactive. The meter must outlive the hook.
  [[nodiscard]] progress nested(std::uint64_t from, std::uint64_t to) {
    return hook_ != nullptr ? nested_active(from, to) : progress{};
  }

  /// For the calling thread while it waits for workers: reports when due, recording a
  /// cancellation instead of throwing. Returns how long it may wait until the next report.
  clock::duration wait_poll() noexcept;
  [[nodiscard]] bool stopped() const noexcept { return stop_.load(std::memory_order_relaxed); }
  /// Rethrows what `report` threw (calling thread, after a stop_request).
  [[noreturn]] void rethrow() const;

 private:
  void poll() {
    if (stop_.load(std::memory_order_relaxed)) throw stop_request{};
    if (std::this_thread::get_id() != owner_) return;
    const auto t = now();
    if (t >= next_) report_now(t);
  }
  // Reports (calling thread); on an exception, records it and stops every thread.
  // \throws stop_request
  void report_now(clock::time_point t);
  void finish_active();
  progress nested_active(std::uint64_t from, std::uint64_t to);

  const progress* hook_;
  std::atomic<std::uint64_t> done_{0};
  std::uint64_t total_;
  std::uint64_t reported_ = 0;  // the last `done` reported (calling thread only)
  bool finished_ = false;       // a report with done == total was made
  std::atomic<bool> stop_{false};
  std::exception_ptr error_;  // written and read on the calling thread only
  std::thread::id owner_;
  clock::time_point next_;
};

/// Counts a thread's finished units locally and passes them to the meter in blocks of at least
/// `step`, so a per-item loop pays one add and one compare per item.
class meter_ticks {
 public:
  meter_ticks(meter& m, std::uint64_t step) noexcept : m_(m), step_(m.active() ? step : ~0ULL) {}
  meter_ticks(const meter_ticks&) = delete;
  meter_ticks& operator=(const meter_ticks&) = delete;
  ~meter_ticks() = default;
  /// \throws stop_request once cancelled.
  void add(std::uint64_t n) {
    pending_ += n;
    if (pending_ >= step_) flush();
  }
  /// Passes the units counted so far. \throws stop_request once cancelled.
  void flush() {
    m_.advance(pending_);
    pending_ = 0;
  }

 private:
  meter& m_;
  std::uint64_t step_;
  std::uint64_t pending_ = 0;
};

/// Items of a pass between two checks: a fraction of a millisecond of simple work per row.
inline constexpr std::size_t check_block = std::size_t{1} << 16;

/// Runs f(b, e) over [first, last) in blocks of `block` items, checking `m` (if any) after each
/// full block (a short pass, the common case of a small call, costs no check).
/// \throws stop_request once cancelled.
template <typename F>
void for_blocks(std::size_t first, std::size_t last, std::size_t block, meter* m, F&& f) {
  for (std::size_t b = first; b < last; b += block) {
    if (last - b < block) {
      f(b, last);
      return;
    }
    f(b, b + block);
    if (m != nullptr) m->check();
  }
}

}  // namespace masterymap::detail

#endif  // MASTERYMAP_SRC_PROGRESS_METER_HPP
