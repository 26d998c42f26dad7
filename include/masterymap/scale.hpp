// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
#ifndef MASTERYMAP_SCALE_HPP
#define MASTERYMAP_SCALE_HPP

#include <cstddef>
#include <masterymap/config.hpp>
#include <masterymap/error.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace masterymap {

/// One rating of a proficiency scale: a label, its value on the scale and, optionally, the
/// smallest raw fraction (0..1) that maps to it (`scale::from_fraction`).
struct rating {
  rating() = default;
  rating(std::string label_, double value_, std::optional<double> cut_ = std::nullopt)
      : label(std::move(label_)), value(value_), cut(cut_) {}
  std::string label;
  double value = 0.0;
  std::optional<double> cut;  ///< minimum raw fraction; default: value / highest value

  friend bool operator==(const rating& a, const rating& b) {
    return a.label == b.label && a.value == b.value && a.cut == b.cut;
  }
  friend bool operator!=(const rating& a, const rating& b) { return !(a == b); }
};

/// An ordered proficiency scale with one rating marked as mastery and, optionally, one marked as
/// "exceeds".
///
/// A score maps to the highest rating whose value is at or below it, within `tolerance()` =
/// 1e-6 * max(1, |highest value|) (4e-06 on four_point(): scores are stored as 32-bit floats, so
/// 0.7 must count as 0.7): 2.9999966 reaches 3, 2.99999 does not; `explain` notes it. A
/// *continuous* scale (e.g. `percent`) takes any value in its range as a score; on a discrete
/// scale any number in range is accepted too (averages are not whole numbers).
///
/// Thread safety: an immutable value: every member is const and may run concurrently.
class MASTERYMAP_API scale {
 public:
  /// Ratings strictly ascending by value, unique non-empty labels; `mastery` (and `exceeds`, if
  /// given, above mastery) name ratings.
  /// \throws masterymap::policy_error listing every problem, with paths such as
  ///         `scale.ratings[2].value`.
  scale(std::vector<rating> ratings, std::string_view mastery,
        std::optional<std::string> exceeds = std::nullopt, bool continuous = false,
        std::string name = {});

  /// 1 Beginning, 2 Developing, 3 Proficient, 4 Advanced; mastery Proficient, exceeds Advanced.
  /// Raw-fraction cuts 0, 0.5, 0.75, 0.9.
  [[nodiscard]] static scale four_point();
  /// A continuous scale of fractions: "Not Yet" (0) and "Mastery" (threshold/100). Scores are raw
  /// fractions in [0, 1]; `percent(80)` makes 0.85 a mastery score.
  /// \throws masterymap::policy_error unless 1 <= threshold <= 100 (`percent(0.8)`, a fraction
  ///         where a percent is expected, says so).
  [[nodiscard]] static scale percent(double threshold = 80.0);
  /// 0 Not Yet Competent, 1 Competent, 2 Beyond Competent, 3 Advanced; mastery Competent,
  /// exceeds Beyond Competent. Cuts 0, 0.7, 0.85, 0.95.
  [[nodiscard]] static scale competent_scale();
  /// F 0, D 1, C 2, B 3, A 4; mastery C, exceeds A. Cuts 0, 0.6, 0.7, 0.8, 0.9.
  [[nodiscard]] static scale letter();

  [[nodiscard]] const std::string& name() const noexcept { return name_; }
  [[nodiscard]] const std::vector<rating>& ratings() const noexcept { return ratings_; }
  [[nodiscard]] std::size_t size() const noexcept { return ratings_.size(); }
  [[nodiscard]] bool continuous() const noexcept { return continuous_; }
  [[nodiscard]] std::size_t mastery_index() const noexcept { return mastery_; }
  [[nodiscard]] std::optional<std::size_t> exceeds_index() const noexcept { return exceeds_; }
  [[nodiscard]] double mastery_value() const noexcept { return ratings_[mastery_].value; }
  [[nodiscard]] std::optional<double> exceeds_value() const noexcept;
  [[nodiscard]] const std::string& mastery_label() const noexcept {
    return ratings_[mastery_].label;
  }
  /// Lowest and highest rating values.
  [[nodiscard]] double min_value() const noexcept { return ratings_.front().value; }
  [[nodiscard]] double max_value() const noexcept { return ratings_.back().value; }
  /// The range a score may take: [min(0, lowest value), highest value] (0 is always accepted:
  /// "no evidence of learning" on a 1..4 scale); a continuous scale reaches at least 1 (a
  /// percent scale takes fractions up to 1 although its top rating is at 0.8).
  [[nodiscard]] double score_min() const noexcept;
  [[nodiscard]] double score_max() const noexcept;
  /// Tolerance of every threshold comparison: 1e-6 * max(1, |highest value|); see above.
  [[nodiscard]] double tolerance() const noexcept;

  /// Index of the highest rating at or below `score`; empty when below the lowest (or NaN).
  [[nodiscard]] std::optional<std::size_t> rating_index(double score) const noexcept;
  /// Label of `rating_index(score)`.
  [[nodiscard]] std::optional<std::string> label_of(double score) const;
  /// Value of the rating named `label`; empty if no such rating.
  [[nodiscard]] std::optional<double> value_of(std::string_view label) const noexcept;
  /// `score >= mastery_value()` (within tolerance).
  [[nodiscard]] bool reaches_mastery(double score) const noexcept;
  /// `score >= exceeds value` (within tolerance); false without an exceeds rating.
  [[nodiscard]] bool reaches_exceeds(double score) const noexcept;
  /// Maps a raw fraction in [0, 1] onto the scale: a continuous scale scales it to its range
  /// (percent: unchanged); a discrete one takes the value of the highest rating whose cut is at
  /// or below `fraction`. \throws std::invalid_argument if `fraction` is NaN or outside [0, 1].
  [[nodiscard]] double from_fraction(double fraction) const;

  friend MASTERYMAP_API bool operator==(const scale& a, const scale& b);
  friend bool operator!=(const scale& a, const scale& b) { return !(a == b); }

 private:
  std::string name_;
  std::vector<rating> ratings_;
  std::size_t mastery_ = 0;
  std::optional<std::size_t> exceeds_;
  bool continuous_ = false;
};

/// "scale 'four_point': Beginning=1, Developing=2, Proficient=3*, Advanced=4+" (* mastery,
/// + exceeds).
[[nodiscard]] MASTERYMAP_API std::string to_string(const scale& s);

}  // namespace masterymap

#endif  // MASTERYMAP_SCALE_HPP
