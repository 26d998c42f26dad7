// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// The decimal-comma hint of number errors, shared by the library's evidence checks and the
// command line (header-only: the command line uses no other internal code).
#ifndef MASTERYMAP_SRC_DECIMAL_COMMA_HPP
#define MASTERYMAP_SRC_DECIMAL_COMMA_HPP

#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <string_view>

namespace masterymap::detail {

/// " (decimal comma? use a point: 0.75)" when `text` is a number written with a decimal comma
/// ("0,75", "-3,5"), as spreadsheets in many locales write them; else "".
inline std::string decimal_comma_hint(std::string_view text) {
  const std::size_t comma = text.find(',');
  if (comma == std::string_view::npos || text.find(',', comma + 1) != std::string_view::npos)
    return {};
  const auto digits = [](std::string_view t) {
    return !t.empty() &&
           std::all_of(t.begin(), t.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
  };
  std::string_view whole = text.substr(0, comma);
  if (!whole.empty() && (whole[0] == '-' || whole[0] == '+')) whole.remove_prefix(1);
  if (!digits(whole) || !digits(text.substr(comma + 1))) return {};
  std::string point(text);
  point[comma] = '.';
  return fmt::format(" (decimal comma? use a point: {})", point);
}

}  // namespace masterymap::detail

#endif  // MASTERYMAP_SRC_DECIMAL_COMMA_HPP
