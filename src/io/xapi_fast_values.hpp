// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// Private: JSON values read with simdjson On Demand for the xAPI fast path (xapi_fast.cpp): keys
// compared with the names the rules know, the typed getters with the statement forms
// (xapi_forms.cpp, xapi_detail.hpp), and values read in full. Each answers false for "not
// decided here" (a wrong type, a null, a form the walker would reject): never a rejection. The
// getters are inline (the fast path is flattened into one body); the rare readers are calls.
#ifndef MASTERYMAP_SRC_IO_XAPI_FAST_VALUES_HPP
#define MASTERYMAP_SRC_IO_XAPI_FAST_VALUES_HPP

#include <simdjson.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <masterymap/io/xapi.hpp>
#include <optional>
#include <string_view>

#include "xapi_detail.hpp"

namespace masterymap::io::xapi_fast_detail {

namespace od = simdjson::ondemand;
using simdjson::SUCCESS;
using xapi_detail::is_iri;
using xapi_detail::is_language_tag;
using xapi_detail::is_uuid;

template <typename T>
inline T load(const char* p) noexcept {
  T x;
  std::memcpy(&x, p, sizeof(T));
  return x;
}

// A raw key (the text after its opening quote, as On Demand gives it) equal to `literal`: the
// literal's bytes, then the closing quote, so an escaped key never matches (it goes to the
// walker). Compared a word at a time (the last word overlapping the one before): memcmp with the
// literal's size was a call, not inlined, once per key tried. The bytes read lie in the line or
// its padding (a key is followed by at least `": ` and a value).
template <std::size_t N>
inline bool key_is(const char* raw, const char (&literal)[N]) noexcept {
  constexpr std::size_t n = N - 1;
  static_assert(n >= 2, "a key of two characters or more");
  if constexpr (n >= 8) {
    std::uint64_t diff = 0;
    for (std::size_t i = 0; i + 8 <= n; i += 8)
      diff |= load<std::uint64_t>(raw + i) ^ load<std::uint64_t>(literal + i);
    diff |= load<std::uint64_t>(raw + n - 8) ^ load<std::uint64_t>(literal + n - 8);
    return diff == 0 && raw[n] == '"';
  } else if constexpr (n >= 4) {
    const std::uint32_t diff =
        (load<std::uint32_t>(raw) ^ load<std::uint32_t>(literal)) |
        (load<std::uint32_t>(raw + n - 4) ^ load<std::uint32_t>(literal + n - 4));
    return diff == 0 && raw[n] == '"';
  } else {
    const auto diff = static_cast<std::uint16_t>(
        (load<std::uint16_t>(raw) ^ load<std::uint16_t>(literal)) |
        (load<std::uint16_t>(raw + n - 2) ^ load<std::uint16_t>(literal + n - 2)));
    return diff == 0 && raw[n] == '"';
  }
}

// The keys of one object seen so far, a bit each: a repeated key is not decided here (the
// walker sees every copy), required keys are checked at the close.
class keys_seen {
 public:
  bool first(unsigned bit) noexcept {
    const bool fresh = (bits_ & bit) == 0;
    bits_ |= bit;
    return fresh;
  }
  [[nodiscard]] bool has(unsigned bit) const noexcept { return (bits_ & bit) != 0; }

 private:
  unsigned bits_ = 0;
};

inline bool string(od::value& v, std::string_view& s) { return v.get_string().get(s) == SUCCESS; }
inline bool iri(od::value& v, std::string_view& s) { return string(v, s) && is_iri(s); }
inline bool uuid(od::value& v, std::string_view& s) { return string(v, s) && is_uuid(s); }
inline bool boolean(od::value& v, bool& b) { return v.get_bool().get(b) == SUCCESS; }
// A number as the DOM gives it to the walker: the same parse (simdjson's parse_number), an
// integer converted to double as dom::element::get_double does.
inline bool number(od::value& v, double& d) {
  od::number n;
  if (v.get_number().get(n) != SUCCESS) return false;
  d = n.as_double();
  return true;
}
inline bool timestamp(od::value& v, std::string_view& s, std::optional<double>& t) {
  if (!string(v, s)) return false;
  t = parse_rfc3339(s);
  return t.has_value();
}

// A language map: RFC 5646 tags to strings.
inline bool language_map(od::value& v) {
  od::object o;
  if (v.get_object().get(o) != SUCCESS) return false;
  for (auto item : o) {
    od::field f;
    std::string_view tag, s;
    if (std::move(item).get(f) != SUCCESS || f.unescaped_key().get(tag) != SUCCESS ||
        !is_language_tag(tag) || !string(f.value(), s))
      return false;
  }
  return true;
}

// Any JSON value, read in full, nested at most 64 deep (an extension's value: the walker checks
// only that it is JSON). O(size of the value).
bool any_value(od::value& v, int depth);

// An interaction definition's component list: objects with an id and a description.
bool component_list(od::value& v);

// An array of strings (correctResponsesPattern).
bool strings(od::value& v);

}  // namespace masterymap::io::xapi_fast_detail

#endif  // MASTERYMAP_SRC_IO_XAPI_FAST_VALUES_HPP
