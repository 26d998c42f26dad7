// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <masterymap/scale.hpp>
#include <set>
#include <stdexcept>

namespace masterymap {

scale::scale(std::vector<rating> ratings, std::string_view mastery,
             std::optional<std::string> exceeds, bool continuous, std::string name)
    : name_(std::move(name)), ratings_(std::move(ratings)), continuous_(continuous) {
  std::vector<std::string> problems;
  if (ratings_.empty()) problems.emplace_back("scale.ratings: a scale needs at least one rating");
  std::set<std::string, std::less<>> labels;
  for (std::size_t i = 0; i < ratings_.size(); ++i) {
    const rating& r = ratings_[i];
    if (r.label.empty()) problems.push_back(fmt::format("scale.ratings[{}].label: empty label", i));
    if (!labels.insert(r.label).second)
      problems.push_back(fmt::format("scale.ratings[{}].label: duplicate label '{}'", i, r.label));
    if (!std::isfinite(r.value)) {
      problems.push_back(fmt::format("scale.ratings[{}].value: not a finite number", i));
    } else if (i > 0 && std::isfinite(ratings_[i - 1].value) &&
               !(r.value > ratings_[i - 1].value)) {
      problems.push_back(
          fmt::format("scale.ratings[{}].value: {} is not above the previous value {}", i, r.value,
                      ratings_[i - 1].value));
    }
    if (r.cut && !(*r.cut >= 0.0 && *r.cut <= 1.0))
      problems.push_back(fmt::format("scale.ratings[{}].cut: {} is outside [0, 1]", i, *r.cut));
  }
  std::optional<std::size_t> m;
  for (std::size_t i = 0; i < ratings_.size(); ++i)
    if (ratings_[i].label == mastery) m = i;
  if (!m) {
    problems.push_back(fmt::format("scale.mastery: '{}' is not a rating of the scale", mastery));
  } else {
    mastery_ = *m;
  }
  if (exceeds) {
    std::optional<std::size_t> e;
    for (std::size_t i = 0; i < ratings_.size(); ++i)
      if (ratings_[i].label == *exceeds) e = i;
    if (!e) {
      problems.push_back(fmt::format("scale.exceeds: '{}' is not a rating of the scale", *exceeds));
    } else if (m && *e <= *m) {
      problems.push_back(fmt::format("scale.exceeds: '{}' must be above the mastery rating '{}'",
                                     *exceeds, mastery));
    } else {
      exceeds_ = e;
    }
  }
  if (!problems.empty()) throw policy_error(std::move(problems));
}

scale scale::four_point() {
  return scale({{"Beginning", 1, 0.0},
                {"Developing", 2, 0.5},
                {"Proficient", 3, 0.75},
                {"Advanced", 4, 0.9}},
               "Proficient", std::string("Advanced"), false, "four_point");
}

scale scale::percent(double threshold) {
  // A percent: percent(0.8) is a fraction given by mistake (mastery at 0.008 would make nearly
  // every score mastery), so thresholds below 1 are refused with a hint.
  if (threshold > 0.0 && threshold < 1.0)
    throw policy_error({fmt::format(
        "scale.percent: threshold {} looks like a fraction; the threshold is a percent in "
        "[1, 100] (percent({}) for {}%)",
        threshold, threshold * 100, threshold * 100)});
  if (!(threshold >= 1.0 && threshold <= 100.0))
    throw policy_error({fmt::format("scale.percent: threshold {} is outside [1, 100]", threshold)});
  const double t = threshold / 100.0;
  return scale({{"Not Yet", 0.0, 0.0}, {"Mastery", t, t}}, "Mastery", std::nullopt, true,
               fmt::format("percent({})", threshold));
}

scale scale::competent_scale() {
  return scale({{"Not Yet Competent", 0, 0.0},
                {"Competent", 1, 0.7},
                {"Beyond Competent", 2, 0.85},
                {"Advanced", 3, 0.95}},
               "Competent", std::string("Beyond Competent"), false, "competent");
}

scale scale::letter() {
  return scale({{"F", 0, 0.0}, {"D", 1, 0.6}, {"C", 2, 0.7}, {"B", 3, 0.8}, {"A", 4, 0.9}}, "C",
               std::string("A"), false, "letter");
}

std::optional<double> scale::exceeds_value() const noexcept {
  if (!exceeds_) return std::nullopt;
  return ratings_[*exceeds_].value;
}

double scale::score_min() const noexcept { return std::min(0.0, min_value()); }

double scale::score_max() const noexcept {
  return continuous_ ? std::max(1.0, max_value()) : max_value();
}

double scale::tolerance() const noexcept { return 1e-6 * std::max(1.0, std::fabs(max_value())); }

std::optional<std::size_t> scale::rating_index(double score) const noexcept {
  if (std::isnan(score)) return std::nullopt;
  const double x = score + tolerance();
  // Ratings ascend: the first value above x marks the end.
  auto it = std::upper_bound(ratings_.begin(), ratings_.end(), x,
                             [](double v, const rating& r) { return v < r.value; });
  if (it == ratings_.begin()) return std::nullopt;
  return static_cast<std::size_t>(it - ratings_.begin() - 1);
}

std::optional<std::string> scale::label_of(double score) const {
  auto i = rating_index(score);
  if (!i) return std::nullopt;
  return ratings_[*i].label;
}

std::optional<double> scale::value_of(std::string_view label) const noexcept {
  for (const rating& r : ratings_)
    if (r.label == label) return r.value;
  return std::nullopt;
}

bool scale::reaches_mastery(double score) const noexcept {
  return score >= mastery_value() - tolerance();
}

bool scale::reaches_exceeds(double score) const noexcept {
  return exceeds_ && score >= ratings_[*exceeds_].value - tolerance();
}

double scale::from_fraction(double fraction) const {
  if (!(fraction >= 0.0 && fraction <= 1.0))
    throw std::invalid_argument(fmt::format("raw fraction {} is outside [0, 1]", fraction));
  if (continuous_) return score_min() + fraction * (score_max() - score_min());
  const double top = max_value();
  double value = ratings_.front().value;
  for (std::size_t i = 0; i < ratings_.size(); ++i) {
    const rating& r = ratings_[i];
    const double cut = r.cut ? *r.cut : (i == 0 ? 0.0 : (top > 0 ? r.value / top : 0.0));
    if (fraction + 1e-12 >= cut) value = r.value;
  }
  return value;
}

bool operator==(const scale& a, const scale& b) {
  return a.name_ == b.name_ && a.ratings_ == b.ratings_ && a.mastery_ == b.mastery_ &&
         a.exceeds_ == b.exceeds_ && a.continuous_ == b.continuous_;
}

std::string to_string(const scale& s) {
  std::string out = fmt::format("scale '{}': ", s.name());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (i > 0) out += ", ";
    out += fmt::format("{}={}", s.ratings()[i].label, s.ratings()[i].value);
    if (i == s.mastery_index()) out += '*';
    if (s.exceeds_index() && i == *s.exceeds_index()) out += '+';
  }
  return out;
}

}  // namespace masterymap
