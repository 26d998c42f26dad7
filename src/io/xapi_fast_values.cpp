// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// The rare values of the xAPI fast path (see xapi_fast_values.hpp), read in full with On Demand.
#include "xapi_fast_values.hpp"

namespace masterymap::io::xapi_fast_detail {

namespace {
// Nesting of an extension's value read here; deeper goes to the walker.
constexpr int max_extension_depth = 64;
}  // namespace

bool any_value(od::value& v, int depth) {
  od::json_type type;
  if (v.type().get(type) != SUCCESS) return false;
  switch (type) {
    case od::json_type::object: {
      od::object o;
      if (depth >= max_extension_depth || v.get_object().get(o) != SUCCESS) return false;
      for (auto item : o) {
        od::field f;
        std::string_view key;
        if (std::move(item).get(f) != SUCCESS || f.unescaped_key().get(key) != SUCCESS ||
            !any_value(f.value(), depth + 1))
          return false;
      }
      return true;
    }
    case od::json_type::array: {
      od::array a;
      if (depth >= max_extension_depth || v.get_array().get(a) != SUCCESS) return false;
      for (auto item : a) {
        od::value x;
        if (std::move(item).get(x) != SUCCESS || !any_value(x, depth + 1)) return false;
      }
      return true;
    }
    case od::json_type::string: {
      std::string_view s;
      return string(v, s);
    }
    case od::json_type::number: {
      double d = 0;
      return number(v, d);
    }
    case od::json_type::boolean: {
      bool b = false;
      return boolean(v, b);
    }
    case od::json_type::null: {
      bool null = false;
      return v.is_null().get(null) == SUCCESS && null;
    }
  }
  return false;
}

bool component_list(od::value& v) {
  od::array a;
  if (v.get_array().get(a) != SUCCESS) return false;
  for (auto item : a) {
    od::value x;
    od::object o;
    if (std::move(item).get(x) != SUCCESS || x.get_object().get(o) != SUCCESS) return false;
    keys_seen seen;
    for (auto member : o) {
      od::field f;
      if (std::move(member).get(f) != SUCCESS) return false;
      const char* k = f.key().raw();
      std::string_view s;
      if (key_is(k, "id")) {
        if (!seen.first(1) || !string(f.value(), s)) return false;
      } else if (key_is(k, "description")) {
        if (!seen.first(2) || !language_map(f.value())) return false;
      } else {
        return false;
      }
    }
    if (!seen.has(1)) return false;
  }
  return true;
}

bool strings(od::value& v) {
  od::array a;
  if (v.get_array().get(a) != SUCCESS) return false;
  for (auto item : a) {
    od::value x;
    std::string_view s;
    if (std::move(item).get(x) != SUCCESS || !string(x, s)) return false;
  }
  return true;
}

}  // namespace masterymap::io::xapi_fast_detail
