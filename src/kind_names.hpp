// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// Private: what kind names say. The near-miss test of evidence kinds, shared by the evidence
// log's ingest checks (evidence_stage.hpp) and the policy's checks (policy.cpp), defined in
// kind_names.cpp; which names are waivers' (evidence.hpp, builtin_kinds), read by the rating
// paths' kind bindings (engine_compile.cpp), the policy's checks and the xAPI reader.
#ifndef MASTERYMAP_SRC_KIND_NAMES_HPP
#define MASTERYMAP_SRC_KIND_NAMES_HPP

#include <string>
#include <string_view>
#include <vector>

namespace masterymap::detail {

/// The first of `known` that `name` is a near-miss of (see ingest_checks::near_miss_kinds: the
/// same name ignoring case, '_', '-' and spaces, or, for names of 5+ letters, one edit apart);
/// empty when none. `name` itself, when it is in `known`, is returned too. A name whose part
/// before its first ':' is a near-miss of "waiver" but is not a waiver kind ("Waiver:x",
/// "wavier:x") is a near-miss of "waiver", whatever `known` holds.
std::string_view near_miss(std::string_view name, const std::vector<std::string>& known);

/// The prefix of a waiver kind that carries its reason ("waiver:Tested Out").
inline constexpr std::string_view waiver_prefix = "waiver:";

/// Whether a kind name is a waiver's: "waiver", or "waiver:" and the waiver's reason.
inline bool is_waiver_kind(std::string_view name) noexcept {
  return name == waiver_prefix.substr(0, waiver_prefix.size() - 1) ||
         name.substr(0, waiver_prefix.size()) == waiver_prefix;
}

/// A waiver kind's reason ("Tested Out" of "waiver:Tested Out"; "" for "waiver").
inline std::string_view waiver_reason(std::string_view kind) noexcept {
  return kind.size() > waiver_prefix.size() ? kind.substr(waiver_prefix.size())
                                            : std::string_view{};
}

}  // namespace masterymap::detail

#endif  // MASTERYMAP_SRC_KIND_NAMES_HPP
