// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// Private: strict reading of JSON documents with parse_error carrying the JSON path or the
// line/column of a syntax error. Shared by every JSON format of the library.
#ifndef MASTERYMAP_SRC_JSON_UTIL_HPP
#define MASTERYMAP_SRC_JSON_UTIL_HPP

#include <functional>
#include <map>
#include <masterymap/error.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace masterymap::detail {

/// Parses `text` (UTF-8, an optional BOM): invalid UTF-8 and syntax errors become parse_error
/// with 1-based line and column, the message starting with `source` ("policy JSON").
nlohmann::json parse_json(std::string_view text, const char* source = "JSON");

/// The parse_error for a number too large for a double (nlohmann's out_of_range 406, thrown
/// while parsing), with the number's line and column in `text`; the message starts with `source`.
parse_error number_overflow(std::string_view text, const nlohmann::json::out_of_range& e,
                            const char* source);

/// The 1-based line and column (in characters) in `text` of the character a syntax error `e`
/// points at.
std::pair<std::size_t, std::size_t> error_position(std::string_view text,
                                                   const nlohmann::json::parse_error& e) noexcept;

/// Typed access to one JSON object; every failure names the JSON path (e.g. /competencies/3/id).
class json_reader {
 public:
  json_reader(const nlohmann::json& j, std::string path);
  [[nodiscard]] bool has(const char* key) const;
  [[nodiscard]] std::string path(const char* key) const { return path_ + "/" + key; }
  [[nodiscard]] const std::string& path() const noexcept { return path_; }
  [[nodiscard]] const nlohmann::json& raw() const noexcept { return j_; }
  [[nodiscard]] std::string get_string(const char* key) const;
  [[nodiscard]] std::string get_string(const char* key, const std::string& fallback) const;
  [[nodiscard]] long long get_int(const char* key) const;
  [[nodiscard]] double get_double(const char* key) const;
  [[nodiscard]] bool get_bool(const char* key, bool fallback) const;
  [[nodiscard]] std::vector<std::string> get_string_list(const char* key) const;
  [[nodiscard]] std::map<std::string, std::string> get_string_map(const char* key) const;
  /// Calls `f` on each object of the array `key` (absent = required error, unless optional).
  void for_each(const char* key, const std::function<void(const json_reader&)>& f,
                bool optional = false) const;
  [[noreturn]] void fail(const char* key, const std::string& what) const;

 private:
  const nlohmann::json& at(const char* key) const;
  const nlohmann::json& j_;
  std::string path_;
};

}  // namespace masterymap::detail

#endif  // MASTERYMAP_SRC_JSON_UTIL_HPP
