// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// progression::infer: the engine's inference (engine_rate.cpp's apply_inference) applied to a
// status array computed elsewhere.
#include <fmt/format.h>

#include <masterymap/progression.hpp>
#include <mutex>
#include <stdexcept>
#include <vector>

#include "engine_detail.hpp"
#include "inference.hpp"
#include "progression_impl.hpp"

namespace masterymap {

namespace {

// The compiled policy of `d`'s rule: the engine's when it came from one, else compiled once.
const detail::compiled_policy& inference_context(const detail::progression_data& d) {
  if (!d.rule)
    throw std::invalid_argument(
        "progression::infer: compiled from a scale alone, it has no inference rule (compile it "
        "from a policy or an engine)");
  detail::inference_slot& slot = *d.inference;
  std::call_once(slot.once, [&] {
    if (!slot.ctx) slot.ctx = detail::compile(d.fw, *d.rule, nullptr);  // throws policy_error
  });
  return *slot.ctx;
}

}  // namespace

const std::optional<policy>& progression::inference_rule() const noexcept { return d_->rule; }

std::vector<status> progression::infer(
    const learner_view& v, const std::vector<std::pair<std::string, int>>& placements) const {
  detail::check_view(*d_, v);
  detail::scratch s(d_->n);
  for (const auto& [domain, level] : placements) {
    if (level > 16777216 || level < -16777216)
      throw std::invalid_argument(
          fmt::format("progression::infer: level {} is beyond +-16777216", level));
    // As a placement row of the evidence (time 0, row = its position: the later one counts).
    s.placements.push_back({0.0, static_cast<std::uint32_t>(s.placements.size()),
                            detail::placement_host(d_->fw, domain, "progression::infer"), level});
  }
  const detail::compiled_policy& ctx = inference_context(*d_);
  const std::size_t n = d_->n;
  std::vector<status> st(v.statuses, v.statuses + n);
  detail::clear_inferred(st.data(), n);
  std::vector<double> none;
  const double* scores = v.scores;
  if (!scores) {
    none.assign(n, detail::nan);
    scores = none.data();
  }
  // As the engine: inference runs when links carry it or the learner has placements
  // (binding::infers).
  if (ctx.inference.links() || !s.placements.empty())
    detail::apply_inference(ctx, st.data(), scores, nullptr, s, nullptr);
  return st;
}

}  // namespace masterymap
