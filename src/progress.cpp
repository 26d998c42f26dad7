// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// The reporting side of a long call's meter (progress_meter.hpp).
#include <algorithm>
#include <ctime>

#include "progress_meter.hpp"

namespace masterymap::detail {

meter::clock::time_point meter::now() noexcept {
#if defined(__linux__) && defined(CLOCK_MONOTONIC_COARSE)
  timespec ts{};
  if (::clock_gettime(CLOCK_MONOTONIC_COARSE, &ts) == 0)
    return clock::time_point(std::chrono::duration_cast<clock::duration>(
        std::chrono::seconds(ts.tv_sec) + std::chrono::nanoseconds(ts.tv_nsec)));
#endif
  return clock::now();
}

void meter::report_now(clock::time_point t) {
  next_ = t + hook_->interval;
  // Monotone and at most `total`, whatever order the workers' adds arrived in.
  reported_ = std::max(reported_, std::min(done_.load(std::memory_order_relaxed), total_));
  finished_ = reported_ == total_;
  try {
    hook_->report(reported_, total_);
  } catch (...) {
    error_ = std::current_exception();
    stop_.store(true, std::memory_order_relaxed);
    throw stop_request{};
  }
}

void meter::finish_active() {
  if (stop_.load(std::memory_order_relaxed)) throw stop_request{};
  if (finished_) return;
  done_.store(total_, std::memory_order_relaxed);
  report_now(now());
}

progress meter::nested_active(std::uint64_t from, std::uint64_t to) {
  progress p;
  p.interval = hook_->interval;
  p.report = [this, from, to](std::uint64_t d, std::uint64_t t) {
    const double share =
        t == 0 ? 1.0 : static_cast<double>(std::min(d, t)) / static_cast<double>(t);
    const auto x = from + static_cast<std::uint64_t>(share * static_cast<double>(to - from));
    done_.store(std::max(done_.load(std::memory_order_relaxed), x), std::memory_order_relaxed);
    reported_ = std::max(reported_, std::min(x, total_));
    finished_ = reported_ == total_;
    next_ = now() + hook_->interval;
    try {
      hook_->report(reported_, total_);
    } catch (...) {  // this call is cancelled too (stopped(), whatever the nested call does)
      error_ = std::current_exception();
      stop_.store(true, std::memory_order_relaxed);
      throw;
    }
  };
  return p;
}

meter::clock::duration meter::wait_poll() noexcept {
  // At least a millisecond between two waits, so a zero interval does not spin.
  constexpr clock::duration least = std::chrono::milliseconds(1);
  if (hook_ == nullptr) return least;
  if (stopped()) return std::max<clock::duration>(least, hook_->interval);
  const auto t = now();
  if (t >= next_) {
    try {
      report_now(t);
    } catch (const stop_request&) {
      return std::max<clock::duration>(least, hook_->interval);
    }
  }
  return std::max<clock::duration>(least, next_ - now());
}

void meter::rethrow() const {
  if (error_) std::rethrow_exception(error_);
  throw cancelled();  // a stop without a recorded exception: cannot happen, but stay an error
}

}  // namespace masterymap::detail
