// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// Evidence kind names: which known kind a name is a near-miss of (kind_names.hpp).
#include "kind_names.hpp"

#include <cctype>
#include <string>
#include <string_view>
#include <vector>

namespace masterymap::detail {

// The known kind `name` is a near-miss of (ingest_checks::near_miss_kinds), if any; also read
// by the policy's checks (kind_names.hpp).
std::string_view near_miss(std::string_view name, const std::vector<std::string>& known) {
  const auto norm = [](std::string_view s) {
    std::string out;
    for (char ch : s)
      if (ch != '_' && ch != '-' && ch != ' ')
        out += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return out;
  };
  // Optimal string alignment distance, stopping early past 1.
  const auto within_one = [](const std::string& a, const std::string& b) {
    if (a.size() > b.size() + 1 || b.size() > a.size() + 1) return false;
    std::size_t i = 0;
    while (i < a.size() && i < b.size() && a[i] == b[i]) ++i;
    if (i == a.size() || i == b.size()) return true;  // one added at the end
    const auto rest = [&](std::size_t x, std::size_t y) { return a.compare(x, a.npos, b, y) == 0; };
    return rest(i + 1, i + 1) || rest(i + 1, i) || rest(i, i + 1) ||
           (i + 1 < a.size() && i + 1 < b.size() && a[i] == b[i + 1] && a[i + 1] == b[i] &&
            rest(i + 2, i + 2));
  };
  // A misspelt waiver with its reason ("Waiver:Tested Out", "waiver :x", "wavier:x") would be a
  // new kind whose score counts: a near-miss of the waiver kind, whatever the reason.
  if (const auto colon = name.find(':'); colon != std::string_view::npos && !is_waiver_kind(name)) {
    const std::string prefix = norm(name.substr(0, colon));
    const std::string waiver = norm(waiver_prefix.substr(0, waiver_prefix.size() - 1));
    if (prefix == waiver || within_one(prefix, waiver)) return "waiver";
  }
  const std::string n = norm(name);
  for (const auto& k : known) {
    const std::string m = norm(k);
    if (n == m || (n.size() >= 5 && m.size() >= 5 && within_one(n, m))) return k;
  }
  return {};
}

}  // namespace masterymap::detail
