// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// Private: the checks of a whole policy, shared by policy.cpp (policy::problems) and
// policy_json.cpp (which reads every value unchecked, then reports every problem at once).
#ifndef MASTERYMAP_SRC_POLICY_CHECK_HPP
#define MASTERYMAP_SRC_POLICY_CHECK_HPP

#include <masterymap/policy.hpp>
#include <string>
#include <vector>

namespace masterymap::detail {

/// Every problem of `p` with field paths; `s` null: the scale is unknown (a policy JSON whose
/// scale is missing or invalid), so nothing is compared with it.
std::vector<std::string> policy_problems(const policy& p, const scale* s);

}  // namespace masterymap::detail

#endif  // MASTERYMAP_SRC_POLICY_CHECK_HPP
