// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
#include <cmath>
#include <masterymap/bkt_source.hpp>
#include <stdexcept>

namespace masterymap::bkt {

model_probabilities::model_probabilities(bkt::model m, source_options options)
    : model_(std::move(m)), options_(std::move(options)) {
  if (!std::isfinite(options_.correct_at))
    throw std::invalid_argument("model_probabilities: correct_at must be a finite number");
}

std::optional<double> model_probabilities::probability(std::string_view /*learner*/,
                                                       std::string_view competency,
                                                       const std::vector<double>& scores) const {
  std::string_view skill = competency;
  if (auto it = options_.skill_of.find(std::string(competency)); it != options_.skill_of.end())
    skill = it->second;
  const skill_params* p = nullptr;
  if (auto k = model_.find(skill)) {
    p = &model_.params()[*k];
  } else if (options_.unknown_uses_average && model_.size() > 0) {
    p = &model_.average();
  } else {
    return std::nullopt;
  }
  // The tracer's filter step: P(mastered) and P(not mastered) are carried separately so a long
  // run of correct answers cannot round the state to exactly 1 (see bkt_tracer.cpp).
  const double guess = p->mean_guess(), slip = p->mean_slip();
  double pl = p->prior, pu = 1.0 - p->prior;
  for (double s : scores) {
    const bool correct = s >= options_.correct_at;
    const double a = correct ? pl * (1.0 - slip) : pl * slip;
    const double b = correct ? pu * guess : pu * (1.0 - guess);
    const double inv = 1.0 / (a + b);
    const double post = a * inv, post_u = b * inv;
    pl = post * (1.0 - p->forget) + post_u * p->learn;
    pu = post_u * (1.0 - p->learn) + post * p->forget;
  }
  return pl;
}

}  // namespace masterymap::bkt
