// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// Private: the near-miss test of evidence kinds, shared by the evidence log's ingest checks
// (evidence_stage.hpp) and the policy's checks (policy.cpp); defined in kind_names.cpp.
#ifndef MASTERYMAP_SRC_KIND_NAMES_HPP
#define MASTERYMAP_SRC_KIND_NAMES_HPP

#include <string>
#include <string_view>
#include <vector>

namespace masterymap::detail {

/// The first of `known` that `name` is a near-miss of (see ingest_checks::near_miss_kinds: the
/// same name ignoring case, '_', '-' and spaces, or, for names of 5+ letters, one edit apart);
/// empty when none. `name` itself, when it is in `known`, is returned too.
std::string_view near_miss(std::string_view name, const std::vector<std::string>& known);

}  // namespace masterymap::detail

#endif  // MASTERYMAP_SRC_KIND_NAMES_HPP
