// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// Private: JSON helpers shared by the BKT model and tracer.
#ifndef MASTERYMAP_SRC_BKT_JSON_HPP
#define MASTERYMAP_SRC_BKT_JSON_HPP

#include <masterymap/bkt.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace masterymap::bkt::detail {

nlohmann::json model_to_json(const model& m);
/// \throws masterymap::parse_error naming the JSON path (`path` is the prefix, e.g. "$").
model model_from_json(const nlohmann::json& j, const std::string& path);
/// \throws masterymap::parse_error with line and column.
nlohmann::json parse_json_text(std::string_view text, const char* source = "bkt model JSON");

}  // namespace masterymap::bkt::detail

#endif  // MASTERYMAP_SRC_BKT_JSON_HPP
