// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
#ifndef MASTERYMAP_CONFIG_HPP
#define MASTERYMAP_CONFIG_HPP

#define MASTERYMAP_VERSION_MAJOR 0
#define MASTERYMAP_VERSION_MINOR 1
#define MASTERYMAP_VERSION_PATCH 0
#define MASTERYMAP_VERSION_STRING "0.1.0"

// Symbols that must stay visible with -fvisibility=hidden (exception types, so they can be
// caught across shared-object boundaries; fmt's FMT_SO_VISIBILITY does the same).
#if defined(_WIN32)
#define MASTERYMAP_VISIBLE
#else
#define MASTERYMAP_VISIBLE __attribute__((visibility("default")))
#endif

#if defined(_WIN32) && defined(MASTERYMAP_SHARED)
#if defined(MASTERYMAP_LIB_EXPORT)
#define MASTERYMAP_API __declspec(dllexport)
#else
#define MASTERYMAP_API __declspec(dllimport)
#endif
#elif defined(MASTERYMAP_LIB_EXPORT)
#define MASTERYMAP_API MASTERYMAP_VISIBLE
#else
#define MASTERYMAP_API
#endif

namespace masterymap::detail {
/// Equality of two values where NaN means "none": equal, or both NaN. The `operator==` of the
/// records that hold optional numbers as NaN (tables, results) compare with it.
constexpr bool same_value(double a, double b) noexcept {
  return a == b || (a != a && b != b);  // NOLINT(misc-redundant-expression): NaN test
}
/// `same_value` of optional numbers: both empty, or both set to the same value.
template <typename Optional>
constexpr bool same_value(const Optional& a, const Optional& b) noexcept {
  return a.has_value() == b.has_value() && (!a || same_value(*a, *b));
}
}  // namespace masterymap::detail

#endif  // MASTERYMAP_CONFIG_HPP
