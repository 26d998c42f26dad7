// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
#ifndef MASTERYMAP_BKT_SOURCE_HPP
#define MASTERYMAP_BKT_SOURCE_HPP

#include <map>
#include <masterymap/bkt.hpp>
#include <masterymap/config.hpp>
#include <masterymap/engine.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace masterymap::bkt {

/// How a fitted BKT model rates competencies under `method::bkt`.
struct source_options {
  /// A counted score at or above this value is a correct answer (scores are on the policy's
  /// scale: 0.5 suits 0/1 responses and fractions; use the mastery value on a 1-4 scale).
  double correct_at = 0.5;
  /// Competency id -> model skill; competencies not listed use their own id as the skill.
  std::map<std::string, std::string> skill_of;
  /// A competency whose skill the model does not know: no probability (the rating is then
  /// "no value", status in_progress), or the model's average parameters.
  bool unknown_uses_average = false;

  friend bool operator==(const source_options& a, const source_options& b) {
    return a.correct_at == b.correct_at && a.skill_of == b.skill_of &&
           a.unknown_uses_average == b.unknown_uses_average;
  }
  friend bool operator!=(const source_options& a, const source_options& b) { return !(a == b); }
};

/// The bridge between knowledge tracing and mastery rules: a `probability_source` that replays
/// the model's forward filter over a learner's counted scores on a competency (in observation
/// order) and returns P(mastered) after the last answer — the same value a `tracer` fed the
/// same answers reports. Immutable, so safe for the engine's worker threads.
class MASTERYMAP_API model_probabilities final : public probability_source {
 public:
  /// \throws std::invalid_argument if `options.correct_at` is not a finite number.
  explicit model_probabilities(bkt::model m, source_options options = {});
  [[nodiscard]] std::optional<double> probability(std::string_view learner,
                                                  std::string_view competency,
                                                  const std::vector<double>& scores) const override;
  [[nodiscard]] const bkt::model& model() const noexcept { return model_; }
  [[nodiscard]] const source_options& options() const noexcept { return options_; }

  /// The same model and options (so the same probabilities).
  friend bool operator==(const model_probabilities& a, const model_probabilities& b) {
    return a.model_ == b.model_ && a.options_ == b.options_;
  }
  friend bool operator!=(const model_probabilities& a, const model_probabilities& b) {
    return !(a == b);
  }

 private:
  bkt::model model_;
  source_options options_;
};

}  // namespace masterymap::bkt

#endif  // MASTERYMAP_BKT_SOURCE_HPP
