// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// Private: text helpers shared by the evidence log's parts (evidence.cpp, evidence_time.cpp,
// evidence_csv.cpp).
#ifndef MASTERYMAP_SRC_EVIDENCE_IMPL_HPP
#define MASTERYMAP_SRC_EVIDENCE_IMPL_HPP

#include <charconv>
#include <optional>
#include <string_view>
#include <system_error>

namespace masterymap::detail {

/// Strips spaces, tabs and carriage returns at both ends.
inline std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

/// A plain decimal number (a leading + allowed, surrounding blanks ignored), else nullopt.
inline std::optional<double> parse_number(std::string_view s) noexcept {
  s = trim(s);
  if (s.empty()) return std::nullopt;
  if (s.front() == '+') s.remove_prefix(1);
  double v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

}  // namespace masterymap::detail

#endif  // MASTERYMAP_SRC_EVIDENCE_IMPL_HPP
