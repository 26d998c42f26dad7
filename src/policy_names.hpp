// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// Private: the names of the policy's enumerations that policy.cpp prints and policy_json.cpp
// reads.
#ifndef MASTERYMAP_SRC_POLICY_NAMES_HPP
#define MASTERYMAP_SRC_POLICY_NAMES_HPP

#include <masterymap/policy.hpp>

#include "enum_names.hpp"

namespace masterymap::detail {

inline constexpr enum_names<rollup::op, 5> rollup_op_names{
    {{{rollup::op::all_of, "all_of"},
      {rollup::op::any_of, "any_of"},
      {rollup::op::k_of_n, "k_of_n"},
      {rollup::op::points, "points"},
      {rollup::op::weighted_mean, "weighted_mean"}}}};
inline constexpr enum_names<rollup_precedence, 4> precedence_names{
    {{{rollup_precedence::rollup, "rollup"},
      {rollup_precedence::evidence, "evidence"},
      {rollup_precedence::either, "either"},
      {rollup_precedence::both, "both"}}}};
inline constexpr enum_names<infer_prerequisites, 3> infer_names{
    {{{infer_prerequisites::none, "none"},
      {infer_prerequisites::required, "required"},
      {infer_prerequisites::gating, "gating"}}}};

}  // namespace masterymap::detail

#endif  // MASTERYMAP_SRC_POLICY_NAMES_HPP
