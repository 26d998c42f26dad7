// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
#ifndef MASTERYMAP_PROGRESS_HPP
#define MASTERYMAP_PROGRESS_HPP

#include <chrono>
#include <cstdint>
#include <functional>
#include <masterymap/config.hpp>
#include <stdexcept>

namespace masterymap {

/// Progress reports and cancellation for long calls.
///
/// Every call that can run long on large data takes a `const progress&` as its last argument
/// (default: none): `bkt::fit`, `bkt::crossvalidate`, `bkt::model::predict` / `predict_into` /
/// `evaluate`, `bkt::read_csv` / `parse_csv`, `evidence_log::append` of a batch, `append_csv`,
/// `read_csv`, `engine::ratings`, `engine::evaluate_all`, `roster::ingest`, `roster::save`,
/// `roster::load`, `roster::frontier_matrix`, `roster::levels`, `roster::pacing`,
/// `framework_builder::build` and `framework::redundant_prerequisites`.
///
/// While the call works, `report(done, total)` is called on the calling thread (never on a
/// worker thread, never concurrently), about once per `interval` and at most once per
/// `interval`; `done` never decreases and `total` is fixed for the call. When the work is
/// complete, a last report has `done == total`. Each call documents its unit (rows, learners,
/// bytes, ...).
///
/// To cancel, throw from `report` (for instance `masterymap::cancelled`): the call stops within
/// about `interval` plus a few milliseconds, joins its worker threads, leaves every object it
/// was changing exactly as it was before the call, and rethrows that exception. The last report
/// (`done == total`) comes before the call commits its changes, so throwing from it cancels
/// too. To cancel from another thread, check a flag in `report` and throw.
///
/// Cost: without `report` (the default), a branch per block of work (thousands of rows or
/// more); with it, a clock read per block on the calling thread.
struct progress {
  /// (done, total), in the call's unit. May throw to cancel.
  std::function<void(std::uint64_t done, std::uint64_t total)> report;
  /// Time between two reports.
  std::chrono::milliseconds interval{50};

  [[nodiscard]] explicit operator bool() const noexcept { return static_cast<bool>(report); }
};

/// A convenient exception to throw from `progress::report` to cancel a call (any exception
/// type works: the call rethrows whatever `report` threw).
class MASTERYMAP_VISIBLE cancelled : public std::runtime_error {
 public:
  cancelled() : std::runtime_error("cancelled") {}
  using std::runtime_error::runtime_error;
};

}  // namespace masterymap

#endif  // MASTERYMAP_PROGRESS_HPP
