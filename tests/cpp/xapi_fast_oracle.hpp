// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// The oracle of the xAPI fast path (src/io/xapi_fast.cpp), shared by tests/cpp/test_xapi_fast.cpp
// and tests/fuzz/fuzz_xapi.cpp: the fast path and the DOM walker (check_statement) on one JSON
// text, and the first field the two fill differently.
#ifndef MASTERYMAP_TESTS_CPP_XAPI_FAST_ORACLE_HPP
#define MASTERYMAP_TESTS_CPP_XAPI_FAST_ORACLE_HPP

#include <fmt/format.h>
#include <simdjson.h>

#include <masterymap/io/xapi.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "../../src/io/xapi_fast.hpp"

namespace xapi_fast_oracle {

namespace io = masterymap::io;
namespace xd = masterymap::io::xapi_detail;

struct verdict {
  bool fast = false, walker = false;
  std::string difference;  // the first field the two fill differently ("" = none)
};

template <typename T>
inline std::string shown(const std::optional<T>& x) {
  return x ? fmt::format("{}", *x) : std::string("none");
}

// The first field where `a` (the fast path's) and `b` (the walker's) differ.
inline std::string difference(const xd::statement_fields& a, const xd::statement_fields& b) {
  const auto text = [](const char* name, std::string_view x, std::string_view y) {
    return x == y ? std::string() : fmt::format("{}: \"{}\" vs \"{}\"", name, x, y);
  };
  for (const auto& d :
       {text("id", a.id, b.id), text("ifi", a.ifi, b.ifi),
        text("ifi_value", a.ifi_value, b.ifi_value), text("home_page", a.home_page, b.home_page),
        text("account_name", a.account_name, b.account_name), text("verb", a.verb, b.verb),
        text("object_type", a.object_type, b.object_type),
        text("object_id", a.object_id, b.object_id), text("reason", a.reason, b.reason),
        text("timestamp", a.timestamp, b.timestamp), text("stored", a.stored, b.stored),
        text("session_id", a.session_id, b.session_id)})
    if (!d.empty()) return d;
  if (a.actor_is_group != b.actor_is_group) return "actor_is_group";
  if (a.has_result != b.has_result) return "has_result";
  const std::pair<const char*, std::pair<std::optional<double>, std::optional<double>>> numbers[] =
      {{"scaled", {a.scaled, b.scaled}},
       {"raw", {a.raw, b.raw}},
       {"min", {a.min, b.min}},
       {"max", {a.max, b.max}},
       {"timestamp_time", {a.timestamp_time, b.timestamp_time}},
       {"stored_time", {a.stored_time, b.stored_time}},
       {"mastery_score", {a.mastery_score, b.mastery_score}}};
  for (const auto& [name, xy] : numbers)
    if (xy.first != xy.second)
      return fmt::format("{}: {} vs {}", name, shown(xy.first), shown(xy.second));
  if (a.success != b.success) return "success";
  if (a.completion != b.completion) return "completion";
  if (a.categories != b.categories) return "categories";
  if (a.groupings != b.groupings) return "groupings";
  if (a.grouping_is_array != b.grouping_is_array) return "grouping_is_array";
  if (a.category_is_array != b.category_is_array) return "category_is_array";
  if (a.has_duration != b.has_duration) return "has_duration";
  if (a.moveon_list != b.moveon_list || a.moveon_at != b.moveon_at)
    return fmt::format("moveon: {}/{} vs {}/{}", a.moveon_list, a.moveon_at, b.moveon_list,
                       b.moveon_at);
  return {};
}

// The fast path and the walker on one JSON text.
inline verdict both(std::string_view json, io::xapi_version version) {
  const simdjson::padded_string padded(json);
  verdict v;
  simdjson::ondemand::parser fast_parser;
  xd::statement_fields fast_fields;
  v.fast =
      xd::fast_statement({padded.data(), padded.size()}, padded.size() + simdjson::SIMDJSON_PADDING,
                         version, fast_parser, fast_fields);
  simdjson::dom::parser parser;
  simdjson::dom::element e;
  xd::statement_fields fields;
  // as the reader gives a line to the DOM (a byte order mark skipped)
  const std::string_view text = json.substr(0, 3) == "\xEF\xBB\xBF" ? json.substr(3) : json;
  if (parser.parse(text.data(), text.size()).get(e) == simdjson::SUCCESS) {
    std::vector<io::xapi_problem> problems;
    xd::check_statement(e, version, problems, &fields);
    v.walker = problems.empty();
  }
  if (v.fast) v.difference = difference(fast_fields, fields);
  return v;
}

}  // namespace xapi_fast_oracle

#endif  // MASTERYMAP_TESTS_CPP_XAPI_FAST_ORACLE_HPP
