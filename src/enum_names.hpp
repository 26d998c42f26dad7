// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// Private: the names of the public enumerations' values.
//
// Each enumeration's to_string and parse read one table, so the two directions cannot drift
// apart and no switch repeats the list.
#ifndef MASTERYMAP_SRC_ENUM_NAMES_HPP
#define MASTERYMAP_SRC_ENUM_NAMES_HPP

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>
#include <utility>

namespace masterymap::detail {

/// The N values of enumeration E and their names (in declaration order, `name` is an index),
/// and the name given to a value outside the enumeration.
template <typename E, std::size_t N>
struct enum_names {
  std::array<std::pair<E, const char*>, N> values;
  const char* other = "unknown";

  /// The name of e (`other` for a value outside the enumeration). Complexity: O(1) when the
  /// values are in declaration order, else O(N).
  [[nodiscard]] constexpr const char* name(E e) const noexcept {
    const auto i = static_cast<std::size_t>(e);
    if (i < N && values[i].first == e) return values[i].second;
    for (const auto& [v, n] : values)
      if (v == e) return n;
    return other;
  }
  /// The value named `text`, if any. Complexity: O(N).
  [[nodiscard]] constexpr std::optional<E> parse(std::string_view text) const noexcept {
    for (const auto& [e, n] : values)
      if (text == n) return e;
    return std::nullopt;
  }
};

}  // namespace masterymap::detail

#endif  // MASTERYMAP_SRC_ENUM_NAMES_HPP
