// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
#include "json_util.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "encoding_detail.hpp"

namespace masterymap::detail {

std::pair<std::size_t, std::size_t> error_position(std::string_view text,
                                                   const nlohmann::json::parse_error& e) noexcept {
  // e.byte is the 1-based offset of the failing character.
  const auto at = position_of(text, e.byte == 0 ? 0 : e.byte - 1);
  return {at.line, at.column};
}

parse_error number_overflow(std::string_view text, const nlohmann::json::out_of_range& e,
                            const char* source) {
  // nlohmann says "number overflow parsing '1e999'" without a position: find the number.
  const std::string what = e.what();
  const auto open = what.find('\''), close = what.rfind('\'');
  const std::string number =
      open != std::string::npos && close > open ? what.substr(open + 1, close - open - 1) : "";
  std::size_t line = 0, column = 0;
  if (const auto at = number.empty() ? std::string_view::npos : text.find(number);
      at != std::string_view::npos) {
    const auto p = position_of(text, at);
    line = p.line;
    column = p.column;
  }
  return parse_error(fmt::format("{}: number out of range at line {}, column {}: {} does not fit "
                                 "a double",
                                 source, line, column, number),
                     line, column);
}

nlohmann::json parse_json(std::string_view bytes, const char* source) {
  // Checked first: nlohmann also rejects bad UTF-8, but its message quotes the bad bytes, which
  // no caller (Python least) can print.
  const std::string_view text = checked_utf8(bytes, source, "JSON text is UTF-8");
  try {
    return nlohmann::json::parse(text.begin(), text.end());
  } catch (const nlohmann::json::out_of_range& e) {
    throw number_overflow(text, e, source);
  } catch (const nlohmann::json::parse_error& e) {
    const auto [line, column] = error_position(text, e);
    std::string what = e.what();
    // Drop nlohmann's "[json.exception.parse_error.101] parse error at line 1, column 2: " prefix.
    if (auto pos = what.find(": "); pos != std::string::npos && what.rfind("[json.", 0) == 0)
      what = what.substr(pos + 2);
    throw parse_error(
        fmt::format("{}: syntax error at line {}, column {}: {}", source, line, column, what), line,
        column);
  }
}

json_reader::json_reader(const nlohmann::json& j, std::string path)
    : j_(j), path_(std::move(path)) {
  if (!j_.is_object())
    throw parse_error(fmt::format("{}: expected an object", path_.empty() ? "/" : path_), 0, 0);
}

bool json_reader::has(const char* key) const { return j_.contains(key) && !j_.at(key).is_null(); }

void json_reader::fail(const char* key, const std::string& what) const {
  throw parse_error(fmt::format("{}: {}", path(key), what), 0, 0);
}

const nlohmann::json& json_reader::at(const char* key) const {
  if (!j_.contains(key)) fail(key, "missing required field");
  return j_.at(key);
}

std::string json_reader::get_string(const char* key) const {
  const auto& v = at(key);
  if (!v.is_string()) fail(key, fmt::format("expected a string, got {}", v.type_name()));
  return v.get<std::string>();
}

std::string json_reader::get_string(const char* key, const std::string& fallback) const {
  return has(key) ? get_string(key) : fallback;
}

long long json_reader::get_int(const char* key) const {
  const auto& v = at(key);
  if (v.is_number_integer()) return v.get<long long>();
  if (v.is_number_float()) {
    const double d = v.get<double>();
    if (std::floor(d) == d && std::abs(d) < 9e15) return static_cast<long long>(d);
  }
  fail(key, fmt::format("expected an integer, got {}", v.dump()));
}

double json_reader::get_double(const char* key) const {
  const auto& v = at(key);
  if (!v.is_number()) fail(key, fmt::format("expected a number, got {}", v.type_name()));
  return v.get<double>();
}

bool json_reader::get_bool(const char* key, bool fallback) const {
  if (!has(key)) return fallback;
  const auto& v = at(key);
  if (!v.is_boolean()) fail(key, fmt::format("expected true or false, got {}", v.dump()));
  return v.get<bool>();
}

std::vector<std::string> json_reader::get_string_list(const char* key) const {
  std::vector<std::string> out;
  if (!has(key)) return out;
  const auto& v = at(key);
  if (!v.is_array()) fail(key, "expected an array of strings");
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (!v[i].is_string())
      throw parse_error(fmt::format("{}/{}: expected a string", path(key), i), 0, 0);
    out.push_back(v[i].get<std::string>());
  }
  return out;
}

std::map<std::string, std::string> json_reader::get_string_map(const char* key) const {
  std::map<std::string, std::string> out;
  if (!has(key)) return out;
  const auto& v = at(key);
  if (!v.is_object()) fail(key, "expected an object of strings");
  for (const auto& [k, x] : v.items()) {
    if (!x.is_string())
      throw parse_error(fmt::format("{}/{}: expected a string", path(key), k), 0, 0);
    out.emplace(k, x.get<std::string>());
  }
  return out;
}

void json_reader::for_each(const char* key, const std::function<void(const json_reader&)>& f,
                           bool optional) const {
  if (!has(key)) {
    if (optional) return;
    fail(key, "missing required field");
  }
  const auto& v = at(key);
  if (!v.is_array()) fail(key, "expected an array");
  for (std::size_t i = 0; i < v.size(); ++i)
    f(json_reader(v[i], fmt::format("{}/{}", path(key), i)));
}

}  // namespace masterymap::detail
