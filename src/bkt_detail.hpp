// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// Private helpers shared by the bkt_*.cpp files.
#ifndef MASTERYMAP_SRC_BKT_DETAIL_HPP
#define MASTERYMAP_SRC_BKT_DETAIL_HPP

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <exception>
#include <masterymap/bkt.hpp>
#include <mutex>
#include <string_view>
#include <thread>
#include <vector>

#include "parallel.hpp"

namespace masterymap::bkt::detail {

/// SplitMix64 (Steele, Lea & Flood 2014): tiny, fast and good enough to draw starting points
/// and simulate data; fully determined by its seed on every platform (unlike std:: engines'
/// distributions).
class rng {
 public:
  explicit rng(std::uint64_t seed) noexcept : state_(seed) {}
  std::uint64_t next() noexcept {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  /// Uniform in [0, 1).
  double uniform() noexcept { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  double uniform(double lo, double hi) noexcept { return lo + (hi - lo) * uniform(); }
  /// Uniform in [0, n).
  std::uint64_t below(std::uint64_t n) noexcept { return n == 0 ? 0 : next() % n; }

 private:
  std::uint64_t state_;
};

/// FNV-1a: a stable hash of a name, so per-skill seeds do not depend on skill order.
inline std::uint64_t fnv1a(std::string_view s) noexcept {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;
  }
  return h;
}

inline std::uint64_t mix(std::uint64_t a, std::uint64_t b) noexcept {
  rng r(a ^ (b + 0x9e3779b97f4a7c15ULL + (a << 6) + (a >> 2)));
  return r.next();
}

/// Row indices in time order: identity, or stably sorted by the order key.
std::vector<std::uint32_t> time_order(const dataset& data);

/// Rows grouped by skill, then learner, then time: `rows` is the permutation and
/// `skill_begin[k] .. skill_begin[k + 1]` the slice of skill k.
struct grouping {
  std::vector<std::uint32_t> rows;
  std::vector<std::uint32_t> skill_begin;
};
grouping group_by_skill(const dataset& data);

/// Rows grouped by learner (time order inside): permutation and slice starts.
grouping group_by_learner(const dataset& data);

/// Runs of rows of one learner each, in time order. When the rows of every learner are already
/// contiguous (and there is no order key), `rows` is empty (the identity) and no sort is done.
grouping learner_runs(const dataset& data);

/// Internal access to dataset members (for the CSV reader and the transforms).
struct dataset_access {
  static std::vector<std::uint32_t>& learner(dataset& d) { return d.learner_; }
  static std::vector<std::uint32_t>& skill(dataset& d) { return d.skill_; }
  static std::vector<std::uint32_t>& item_class(dataset& d) { return d.item_class_; }
  static std::vector<std::uint8_t>& correct(dataset& d) { return d.correct_; }
  static std::vector<double>& order(dataset& d) { return d.order_; }
  static std::vector<std::uint64_t>& source_row(dataset& d) { return d.source_row_; }
  static std::vector<std::string>& learner_names(dataset& d) { return d.learner_names_; }
  static std::vector<std::string>& skill_names(dataset& d) { return d.skill_names_; }
  static std::vector<std::string>& class_names(dataset& d) { return d.class_names_; }
  /// Rebuilds the name -> index maps from the name lists.
  static void reindex(dataset& d);
};

/// Clamps a probability into an interval.
inline double clamp(double x, interval b) noexcept { return std::min(b.hi, std::max(b.lo, x)); }

}  // namespace masterymap::bkt::detail

#endif  // MASTERYMAP_SRC_BKT_DETAIL_HPP
