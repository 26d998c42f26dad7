// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <masterymap/error.hpp>

#include "enum_names.hpp"

namespace masterymap {
namespace {

std::string summarize(const std::vector<problem>& problems) {
  if (problems.empty()) return "validation failed";
  std::string out = problems.size() == 1 ? std::string("1 problem: ")
                                         : fmt::format("{} problems: ", problems.size());
  // Bounded so a message about a 10,000-edge mess stays readable; problems() has them all.
  constexpr std::size_t shown = 20;
  for (std::size_t i = 0; i < problems.size() && i < shown; ++i) {
    if (i > 0) out += "; ";
    out += problems[i].message;
  }
  if (problems.size() > shown) out += fmt::format("; ... and {} more", problems.size() - shown);
  return out;
}

}  // namespace

namespace {
constexpr detail::enum_names<problem_kind, 7> problem_kind_names{
    {{{problem_kind::duplicate_id, "duplicate_id"},
      {problem_kind::unknown_id, "unknown_id"},
      {problem_kind::self_loop, "self_loop"},
      {problem_kind::duplicate_edge, "duplicate_edge"},
      {problem_kind::prerequisite_cycle, "prerequisite_cycle"},
      {problem_kind::hierarchy_cycle, "hierarchy_cycle"},
      {problem_kind::invalid_value, "invalid_value"}}}};
}  // namespace

const char* to_string(problem_kind kind) noexcept { return problem_kind_names.name(kind); }

validation_error::validation_error(std::vector<problem> problems)
    : error(summarize(problems)), problems_(std::move(problems)) {}

cycle_error::cycle_error(std::vector<problem> problems) : validation_error(std::move(problems)) {}

unknown_id_error::unknown_id_error(std::string id, const std::string& what_kind)
    : error(fmt::format("unknown {} id '{}'", what_kind, id)), id_(std::move(id)) {}

policy_error::policy_error(std::vector<std::string> problems)
    : error(problems.empty() ? std::string("invalid policy")
                             : fmt::format("invalid policy: {}", fmt::join(problems, "; "))),
      problems_(std::move(problems)) {}

parse_error::parse_error(const std::string& message, std::size_t line, std::size_t column,
                         std::optional<std::size_t> row)
    : error(message), line_(line), column_(column), row_(row) {}

file_error::file_error(std::string path, std::error_code code, std::string action)
    : error(fmt::format("{} '{}': {}", action, path, code.message())),
      path_(std::move(path)),
      code_(code),
      action_(std::move(action)) {}

}  // namespace masterymap
