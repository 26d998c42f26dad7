// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// engine: equality of engines, learner states and explanations, and a learner state's compact
// binary form (learner_state::to_bytes, engine::state_from_bytes): what lets a state travel to
// another process and come back equal.
#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <masterymap/engine.hpp>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "binary_io.hpp"
#include "engine_detail.hpp"

namespace masterymap {

namespace {

constexpr char state_magic[9] = "MMSTATE1";
constexpr std::uint32_t state_version = 1;

// The same framework and policy: the same compiled object, or equal inputs.
bool same_inputs(const detail::compiled_policy* a, const detail::compiled_policy* b) {
  if (a == b) return true;
  if (!a || !b) return false;
  return a->fw == b->fw && a->pol == b->pol;
}

bool same_values(const std::vector<double>& a, const std::vector<double>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (!detail::same_value(a[i], b[i])) return false;
  return true;
}

}  // namespace

bool operator==(const engine& a, const engine& b) {
  return same_inputs(a.ctx_.get(), b.ctx_.get());
}

bool operator==(const learner_state& a, const learner_state& b) {
  if (a.learner_ != b.learner_ || !detail::same_value(a.as_of_, b.as_of_) || a.seen_ != b.seen_ ||
      a.status_ != b.status_ || a.rating_ != b.rating_ || a.count_ != b.count_ ||
      !same_values(a.score_, b.score_))
    return false;
  // The evidence index: an empty offset table means "no rows" (a state evaluated without
  // evidence has none until an update gives it one).
  for (index_t i = 0; i < a.status_.size(); ++i) {
    const auto ra = a.evidence_row_range(i), rb = b.evidence_row_range(i);
    if (ra.second - ra.first != rb.second - rb.first || !std::equal(ra.first, ra.second, rb.first))
      return false;
  }
  return same_inputs(a.ctx_.get(), b.ctx_.get());
}

bool operator==(const explanation& a, const explanation& b) {
  using detail::same_value;
  return a.learner == b.learner && a.competency == b.competency && a.status == b.status &&
         a.decided_by == b.decided_by && a.rule == b.rule && a.rule_scope == b.rule_scope &&
         a.method == b.method && same_value(a.value, b.value) && a.rating == b.rating &&
         same_value(a.threshold, b.threshold) && same_value(a.exceeds, b.exceeds) &&
         same_value(a.as_of, b.as_of) && a.evidence == b.evidence && a.unmet == b.unmet &&
         a.notes == b.notes && a.rollup == b.rollup && a.children == b.children &&
         a.inferred_from == b.inferred_from && a.text == b.text;
}

std::string learner_state::to_bytes() const {
  static_assert(sizeof(masterymap::status) == 1, "a status is one byte");
  detail::byte_writer w;
  w.out.reserve(64 + learner_.size() + status_.size() * 14 + (offsets_.size() + rows_.size()) * 4);
  w.header(state_magic, state_version);
  w.str(learner_);
  w.pod(as_of_);
  w.pod(static_cast<std::uint64_t>(seen_));
  w.array(status_);
  w.array(score_);
  w.array(rating_);
  w.array(count_);
  w.array(offsets_);
  w.array(rows_);
  return std::move(w.out);
}

learner_state engine::state_from_bytes(
    std::string_view bytes, std::shared_ptr<const probability_source> probabilities) const {
  detail::byte_reader r{bytes, "learner state"};
  r.header(state_magic, state_version);
  learner_state st;
  st.learner_ = r.str();
  st.as_of_ = r.pod<double>();
  const auto seen = r.pod<std::uint64_t>();
  st.status_ = r.array<masterymap::status>();
  st.score_ = r.array<double>();
  st.rating_ = r.array<std::int8_t>();
  st.count_ = r.array<std::uint32_t>();
  st.offsets_ = r.array<std::uint32_t>();
  st.rows_ = r.array<std::uint32_t>();
  r.finish();
  // Checks, so that no accessor of the restored state can read out of bounds.
  const std::size_t n = ctx_->fw.size();
  if (st.status_.size() != n || st.score_.size() != n || st.rating_.size() != n ||
      st.count_.size() != n)
    r.fail(fmt::format("the columns hold {} competencies, the engine's framework {}",
                       st.status_.size(), n));
  const auto ratings = static_cast<int>(ctx_->pol.scale().size());
  for (std::size_t i = 0; i < n; ++i) {
    if (static_cast<std::uint8_t>(st.status_[i]) > static_cast<std::uint8_t>(status::inferred))
      r.fail(fmt::format("competency {}: status code {} out of range", i,
                         static_cast<int>(st.status_[i])));
    if (st.rating_[i] < -1 || st.rating_[i] >= ratings)
      r.fail(fmt::format("competency {}: rating {} out of range", i, int{st.rating_[i]}));
  }
  if (!st.offsets_.empty()) {
    if (st.offsets_.size() != n + 1 || st.offsets_.front() != 0 ||
        st.offsets_.back() != st.rows_.size())
      r.fail("broken evidence index");
    for (std::size_t i = 0; i < n; ++i)
      if (st.offsets_[i + 1] < st.offsets_[i]) r.fail("broken evidence index");
  } else if (!st.rows_.empty()) {
    r.fail("broken evidence index");
  }
  for (std::uint32_t row : st.rows_)
    if (row >= seen) r.fail(fmt::format("evidence row {} past the log position {}", row, seen));
  st.seen_ = static_cast<std::size_t>(seen);
  st.ctx_ = ctx_;
  st.progression_ = progression_;
  st.probabilities_ = std::move(probabilities);
  return st;
}

}  // namespace masterymap
