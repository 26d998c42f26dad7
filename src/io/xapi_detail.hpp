// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// Private: the xAPI statement checker (xapi_validate.cpp), which also collects the fields the
// evidence mapping reads (xapi_read.cpp), in one walk over simdjson's DOM.
#ifndef MASTERYMAP_SRC_IO_XAPI_DETAIL_HPP
#define MASTERYMAP_SRC_IO_XAPI_DETAIL_HPP

#include <simdjson.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <masterymap/io/xapi.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace masterymap::io::xapi_detail {

// The cmi5 moveOn category activity (cmi5 9.6.2.2).
constexpr std::string_view moveon_category = "https://w3id.org/xapi/cmi5/context/categories/moveon";
// An index of statement_fields that is no index (a list given as one object).
constexpr std::uint32_t no_index = 0xFFFFFFFFU;

// The fields of a (top-level) statement the mapping reads, as views into the DOM.
struct statement_fields {
  std::string_view id;
  // actor
  bool actor_is_group = false;
  std::string_view ifi;  // "mbox", "mbox_sha1sum", "openid", "account" ("" = none)
  std::string_view ifi_value, home_page, account_name;
  std::string_view verb;
  std::string_view object_type;  // "Activity" when absent
  std::string_view object_id;
  // result
  bool has_result = false;
  bool has_duration = false;  // result.duration present (cmi5 9.5.4)
  std::optional<double> scaled, raw, min, max;
  std::optional<bool> success, completion;
  std::string_view reason;  // cmi5 result extension "reason"
  std::string_view timestamp, stored;
  std::optional<double> timestamp_time, stored_time;  // parse_rfc3339 of the two
  std::vector<std::string_view> categories;           // context.contextActivities.category ids
  std::vector<std::string_view> groupings;            // context.contextActivities.grouping ids
  bool grouping_is_array = true;  // grouping given as an array (1.0.x also allows one object)
  bool category_is_array = true;  // category given as an array
  // cmi5 9.6.2.2: the first moveOn category activity in a list other than category, by
  // document order: the list ("parent", "grouping", "other"; "" = none) and its index there
  // (no_index: the list is one object)
  std::string_view moveon_list;
  std::uint32_t moveon_at = no_index;
  std::optional<double> mastery_score;  // cmi5 context extension masteryScore
  std::string_view session_id;
  void clear() {  // keeps the two lists' capacity (one statement after another)
    std::vector<std::string_view> keep = std::move(categories), keep_g = std::move(groupings);
    keep.clear();
    keep_g.clear();
    *this = statement_fields();
    categories = std::move(keep);
    groupings = std::move(keep_g);
  }
};

// A UUID's text: 8-4-4-4-12 hex digits, either case (xAPI Data 2.4.1). Branch-free, 16 bytes
// at a time (GCC/Clang vector extensions: SSE2 on x86-64, NEON on arm64): three overlapping
// windows [0, 16), [16, 32), [20, 36), each byte a hex digit, or '-' where the form has one
// (8, 13, 18, 23). Two per statement (id, registration): a byte-by-byte loop was a chain of 36
// table loads.
inline bool is_uuid(std::string_view s) noexcept {
  if (s.size() != 36) return false;
  using bytes16 = unsigned char __attribute__((vector_size(16)));
  using mask16 = signed char __attribute__((vector_size(16)));
  // lanes that must be '-' (-1) or a hex digit (0), per window
  constexpr mask16 dash0 = {0, 0, 0, 0, 0, 0, 0, 0, -1, 0, 0, 0, 0, -1, 0, 0};
  constexpr mask16 dash1 = {0, 0, -1, 0, 0, 0, 0, -1, 0, 0, 0, 0, 0, 0, 0, 0};
  constexpr mask16 dash2 = {0, 0, 0, -1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
  const auto wrong = [](const char* p, mask16 dash) noexcept {
    bytes16 v;
    std::memcpy(&v, p, 16);
    const bytes16 lower = v | 0x20;
    const mask16 hex = static_cast<mask16>(static_cast<bytes16>(v - '0') <= 9) |
                       static_cast<mask16>(static_cast<bytes16>(lower - 'a') <= 5);
    const mask16 is_dash = static_cast<mask16>(v == '-');
    const mask16 right = (hex & ~dash) | (is_dash & dash);
    std::uint64_t lanes[2];
    std::memcpy(lanes, &right, 16);
    return ~(lanes[0] & lanes[1]);  // 0 when every lane is right (all ones)
  };
  const char* const p = s.data();
  return (wrong(p, dash0) | wrong(p + 16, dash1) | wrong(p + 20, dash2)) == 0;
}

// `text` with its control characters (U+0000 to U+001F, U+007F) written as JSON escapes
// (\u0000): a message quoting statement text stays one printable line, and a NUL does not cut
// it short where it is read as a C string (what(), Python's str(e)). O(size).
inline std::string escape_controls(std::string text) {
  const auto control = [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == '\x7f'; };
  if (std::none_of(text.begin(), text.end(), control)) return text;
  std::string out;
  out.reserve(text.size() + 16);
  constexpr const char* hex = "0123456789ABCDEF";
  for (const char c : text) {
    if (!control(c)) {
      out += c;
      continue;
    }
    const auto v = static_cast<unsigned char>(c);
    out += "\\u00";
    out += hex[v >> 4];
    out += hex[v & 0xF];
  }
  return out;
}

// A statement id in the form the reader keeps: lower case. UUIDs are case-insensitive (RFC 4122
// section 3: "The hexadecimal values "a" through "f" are output as lower case characters and
// are case insensitive on input"; xAPI Data 2.4.1 takes its ids from RFC 4122, and 2.3.1,
// exception 7, ignores differences of case where the text is case-insensitive): the same id in
// another case is the same statement, within a batch (repeats, voids) and across batches (the
// log's statement-id dedupe and pending voids, which see the lower-case text). `out` holds it.
inline std::string_view lower_id(std::string_view id, std::string& out) {
  out.assign(id.data(), id.size());
  char* const p = out.data();
  const std::size_t n = out.size();
  if (n >= 16) {  // 16 bytes at a time, the last window overlapping (lowering twice is harmless)
    using bytes16 = unsigned char __attribute__((vector_size(16)));
    const auto lower = [](char* q) noexcept {
      bytes16 v;
      std::memcpy(&v, q, 16);
      v += static_cast<bytes16>(static_cast<bytes16>(v - 'A') <= 'Z' - 'A') & ('a' - 'A');
      std::memcpy(q, &v, 16);
    };
    std::size_t i = 0;
    for (; i + 16 <= n; i += 16) lower(p + i);
    if (i < n) lower(p + n - 16);
  } else {
    for (std::size_t i = 0; i < n; ++i)
      if (p[i] >= 'A' && p[i] <= 'Z') p[i] = static_cast<char>(p[i] + ('a' - 'A'));
  }
  return out;
}

// `s == literal`, with the literal's size known to the compiler: the comparison is a few
// inline loads, not a call to memcmp (std::string_view's == calls it; the checker compares
// every key of every statement against the names it knows).
template <std::size_t N>
bool is(std::string_view s, const char (&literal)[N]) noexcept {
  return s.size() == N - 1 && std::memcmp(s.data(), literal, N - 1) == 0;
}

// ASCII character classes.
inline bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
inline bool is_digit(char c) { return c >= '0' && c <= '9'; }
inline bool is_alnum(char c) { return is_alpha(c) || is_digit(c); }
inline bool is_hex(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// The lexical forms (xapi_forms.cpp): an absolute IRI (RFC 3987: a scheme, ":", a rest without
// blanks, controls or <>"{}|\^`, each "%" followed by two hex digits), a well-formed language tag
// (RFC 5646), an ISO 8601 duration as xAPI takes it (P4W valid, P4W1D not). Each O(length).
bool is_iri(std::string_view s);
bool is_language_tag(std::string_view s);
bool is_duration(std::string_view s);
// The forms of single properties (xapi_forms.cpp), shared by the statement walker
// (xapi_validate.cpp) and the fast path (xapi_fast.cpp): an Agent's mbox (a mailto: IRI with
// text before and after one "@") and mbox_sha1sum (40 hex digits), a statement's version (1.0.x;
// under 2.0 also 2.0.x), an interactionType (one of the ten names, case-sensitive). O(length).
bool is_mbox(std::string_view s);
bool is_sha1_hex(std::string_view s);
bool is_version(std::string_view s, xapi_version version);
bool is_interaction_type(std::string_view s);

// JSON text whose integers beyond 64 bits (valid JSON, which simdjson 3.0.1's parsers refuse
// with NUMBER_ERROR) are written as decimals ("123456789012345678901234567890" ->
// "123456789012345678901234567890.0"), so that simdjson reads them as the nearest double, in
// `out`; false (and `out` empty) when `text` has none. Strings are left alone; lines keep their
// numbers (columns move). O(size of `text`); for the retry after a NUMBER_ERROR.
bool widen_big_integers(std::string_view text, std::string& out);

// A JSON pointer token (RFC 6901: "~" -> "~0", "/" -> "~1").
std::string pointer_token(std::string_view key);

// Where two JSON values first differ as values, in document order of `a` ("" = equal): "<JSON
// pointer>: <a> vs <b>" (xapi_compare.cpp has the rules: members by key, numbers by value,
// timestamps as instants). `path` is the pointer of `a` and `b` ("" at the top).
std::string json_difference(simdjson::dom::element a, simdjson::dom::element b,
                            const std::string& path);

// The problem of a time outside `range` (xapi_map.cpp; the reader and validate_xapi_statement):
// "<path>: <text> is outside the times <holder> can hold".
std::string time_out_of_range(std::string_view path, std::string_view text,
                              const xapi_time_range& range);

// Checks one statement (a DOM element), appending problems; fills `fields` when given.
void check_statement(simdjson::dom::element statement, xapi_version version,
                     std::vector<xapi_problem>& problems, statement_fields* fields);

}  // namespace masterymap::io::xapi_detail

#endif  // MASTERYMAP_SRC_IO_XAPI_DETAIL_HPP
