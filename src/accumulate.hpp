// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// Private: the running-aggregation formulas of the rating methods.
//
// Every method but mode and bkt is computed by pushing the counted scores, in aggregation order,
// into a `running` accumulator. The engine's general path (aggregate), its bulk fast path
// (engine::ratings) and the roster's O(1) path all share `push`/`value_of`, so they give
// bit-identical values. Every file that includes this header must be compiled with
// -ffp-contract=off (see src/CMakeLists.txt): an FMA contraction that one call site gets and
// another does not would break that.
#ifndef MASTERYMAP_SRC_ACCUMULATE_HPP
#define MASTERYMAP_SRC_ACCUMULATE_HPP

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <masterymap/policy.hpp>
#include <masterymap/scale.hpp>
#include <optional>

namespace masterymap::detail {

/// A method and the scale values its formulas need, copied out of the policy once per rule.
struct method_params {
  method::kind kind = method::kind::latest;
  double w = 0.0;
  std::uint32_t n = 0;
  double mastery_at = 0.0;  // sc.mastery_value() - sc.tolerance(), as in scale::reaches_mastery
  // The exceeds value - sc.tolerance(), as in scale::reaches_exceeds; +infinity without one.
  double exceeds_at = std::numeric_limits<double>::infinity();
  double floor = 0.0;  // power_law: 0.01 * score_max
  double score_min = 0.0, score_max = 0.0;
  method_params() = default;
  method_params(const method& m, const scale& sc)
      : kind(m.type()),
        w(m.w()),
        n(m.n()),
        mastery_at(sc.mastery_value() - sc.tolerance()),
        exceeds_at(sc.exceeds_value() ? *sc.exceeds_value() - sc.tolerance()
                                      : std::numeric_limits<double>::infinity()),
        floor(0.01 * sc.score_max()),
        score_min(sc.score_min()),
        score_max(sc.score_max()) {}
};

/// Whether the method's value is computed by push/value_of (mode and bkt need all the scores).
constexpr bool runs_incrementally(method::kind k) noexcept {
  return k != method::kind::mode && k != method::kind::bkt;
}

/// The running state of one method over the scores pushed so far. What a, b, c, d hold depends
/// on the method (see push_k).
struct running {
  double a = 0, b = 0, c = 0, d = 0, first = 0;
  std::uint32_t n = 0;  // scores pushed
  std::uint32_t k = 0;  // n_mastery: scores at or above mastery
};

// Forced inlining: push sits in the innermost loop of the bulk path, once per event.
#if defined(__GNUC__)
#define MASTERYMAP_INLINE inline __attribute__((always_inline))
#else
#define MASTERYMAP_INLINE inline
#endif

/// Adds the next counted score s (with its evidence weight) to r; K is p.kind.
template <method::kind K>
MASTERYMAP_INLINE void push_k(running& r, const method_params& p, double s,
                              double weight) noexcept {
  switch (K) {
    case method::kind::latest:
      r.a = s;
      break;
    case method::kind::highest:
      r.a = r.n == 0 ? s : std::max(r.a, s);
      break;
    case method::kind::mean:
      r.a += s;
      break;
    case method::kind::weighted_mean:
      r.a += weight;
      r.b += weight * s;
      break;
    case method::kind::weighted_average:  // a = s_1 + ... + s_{n-1}, b = s_n
      if (r.n > 0) r.a += r.b;
      r.b = s;
      break;
    case method::kind::decaying_average:
      r.a = r.n == 0 ? s : p.w * s + (1 - p.w) * r.a;
      break;
    case method::kind::n_mastery:
      if (s >= p.mastery_at) {
        r.a += s;
        ++r.k;
      }
      break;
    case method::kind::power_law: {
      if (r.n == 0) r.first = s;
      const double x = std::log(static_cast<double>(r.n + 1));
      const double y = std::log(std::max(s, p.floor));
      r.a += x;
      r.b += y;
      r.c += x * x;
      r.d += x * y;
      break;
    }
    case method::kind::mode:
    case method::kind::bkt:
      break;
  }
  ++r.n;
}

/// push_k with the method chosen at run time (p.kind).
MASTERYMAP_INLINE void push(running& r, const method_params& p, double s, double weight) noexcept {
  switch (p.kind) {
#define MASTERYMAP_PUSH(k)                    \
  case method::kind::k:                       \
    push_k<method::kind::k>(r, p, s, weight); \
    break;
    MASTERYMAP_PUSH(latest)
    MASTERYMAP_PUSH(highest)
    MASTERYMAP_PUSH(mean)
    MASTERYMAP_PUSH(weighted_mean)
    MASTERYMAP_PUSH(weighted_average)
    MASTERYMAP_PUSH(decaying_average)
    MASTERYMAP_PUSH(n_mastery)
    MASTERYMAP_PUSH(power_law)
#undef MASTERYMAP_PUSH
    case method::kind::mode:
    case method::kind::bkt:
      ++r.n;
      break;
  }
}

/// The value of the scores pushed into r (empty when the method gives none). Forced inline:
/// returned out of line, the std::optional goes through the stack as a byte and a double that
/// the caller reloads as one word, a failed store-to-load forward (~12 cycles) that was 12 % of
/// the first-mastery replay.
MASTERYMAP_INLINE std::optional<double> value_of(const running& r,
                                                 const method_params& p) noexcept {
  if (r.n == 0) return std::nullopt;
  switch (p.kind) {
    case method::kind::latest:
    case method::kind::highest:
    case method::kind::decaying_average:
      return r.a;
    case method::kind::mean:
      return r.a / static_cast<double>(r.n);
    case method::kind::weighted_mean:
      if (!(r.a > 0)) return std::nullopt;
      return r.b / r.a;
    case method::kind::weighted_average:
      if (r.n == 1) return r.b;
      return p.w * r.b + (1 - p.w) * (r.a / static_cast<double>(r.n - 1));
    case method::kind::n_mastery:
      if (r.k < p.n || r.k == 0) return std::nullopt;
      return r.a / static_cast<double>(r.k);
    case method::kind::power_law: {
      if (r.n == 1) return r.first;
      const double dn = static_cast<double>(r.n);
      const double b_ = (dn * r.d - r.a * r.b) / (dn * r.c - r.a * r.a);
      const double a_ = (r.b - b_ * r.a) / dn;
      const double v = std::exp(a_ + b_ * std::log(dn));
      return std::min(std::max(v, p.score_min), p.score_max);
    }
    case method::kind::mode:
    case method::kind::bkt:
      break;
  }
  return std::nullopt;
}

}  // namespace masterymap::detail

#endif  // MASTERYMAP_SRC_ACCUMULATE_HPP
