// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// progression::infer: the engine's inference (engine_rate.cpp's apply_inference) applied to a
// status array computed elsewhere.
#include <masterymap/progression.hpp>
#include <mutex>
#include <stdexcept>
#include <vector>

#include "engine_detail.hpp"
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

std::vector<status> progression::infer(const learner_view& v) const {
  detail::check_view(*d_, v);
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
  detail::scratch s(n);
  // Placements would go into s.placements here (a status array carries none); the engine runs
  // inference when links carry it or the learner has placements (binding::infers).
  if (ctx.inference.links() || !s.placements.empty())
    detail::apply_inference(ctx, st.data(), scores, nullptr, s, nullptr);
  return st;
}

}  // namespace masterymap
