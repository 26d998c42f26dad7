// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// Statements compared as JSON values: a statement id sent twice with other content is an error
// naming the first difference (see `parse_xapi`).
#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <masterymap/io/xapi.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "xapi_detail.hpp"

namespace masterymap::io::xapi_detail {

std::string pointer_token(std::string_view key) {
  std::string out;
  for (const char c : key) {
    if (c == '~')
      out += "~0";
    else if (c == '/')
      out += "~1";
    else
      out += c;
  }
  return out;
}

namespace {

namespace dom = simdjson::dom;

// A value as short text for a message (minified, cut at 60 bytes).
std::string short_json(dom::element e) {
  std::string t = simdjson::minify(e);
  if (t.size() > 60) {
    std::size_t cut = 57;  // not inside a UTF-8 sequence
    while (cut > 0 && (static_cast<unsigned char>(t[cut]) & 0xC0) == 0x80) --cut;
    t = t.substr(0, cut) + "...";
  }
  return t;
}

// ASCII case-insensitive equality.
bool iequal(std::string_view x, std::string_view y) noexcept {
  if (x.size() != y.size()) return false;
  for (std::size_t k = 0; k < x.size(); ++k) {
    char a = x[k], b = y[k];
    if (a >= 'A' && a <= 'Z') a = static_cast<char>(a + 32);
    if (b >= 'A' && b <= 'Z') b = static_cast<char>(b + 32);
    if (a != b) return false;
  }
  return true;
}

bool ends_with(std::string_view s, std::string_view tail) noexcept {
  return s.size() >= tail.size() && s.substr(s.size() - tail.size()) == tail;
}

// xAPI Data 2.3.1, exceptions 1, 2, 3 and 6: a member whose difference is ignored (`path` is
// its object's pointer): at the top, "authority", "stored", "version" and "attachments" (the
// LRS assigns the first three; attachments are not part of the statement) and "timestamp" when
// one side lacks it (the LRS may assign it); an Activity's "definition" (the statement's
// object, a SubStatement's object, context activities); a Verb's "display" (the statement's
// or a SubStatement's).
bool ignored_member(const std::string& path, std::string_view key) {
  if (path.empty())
    return key == "authority" || key == "stored" || key == "version" || key == "attachments";
  if (key == "definition")
    return path == "/object" || path == "/object/object" ||
           path.find("/contextActivities/") != std::string::npos;
  if (key == "display") return path == "/verb" || path == "/object/verb";
  return false;
}

// xAPI Data 2.3.1, exception 7 (case sensitivity): strings compared without case where the
// text is case-insensitive: UUIDs (statement ids, StatementRefs, registrations; RFC 4122
// section 3: "case insensitive on input"), a language tag (RFC 5646 2.1.1), the domain of a
// mailto IRI (RFC 5321 2.4).
bool equal_but_case(const std::string& path, std::string_view x, std::string_view y) {
  if (is_uuid(x) && is_uuid(y)) return iequal(x, y);
  if (ends_with(path, "/language")) return iequal(x, y);
  if (ends_with(path, "/mbox")) {
    const std::size_t at = x.rfind('@');
    return at != std::string_view::npos && y.size() == x.size() && y.rfind('@') == at &&
           x.substr(0, at) == y.substr(0, at) && iequal(x.substr(at), y.substr(at));
  }
  return false;
}

bool is_integer(dom::element_type t) {
  return t == dom::element_type::INT64 || t == dom::element_type::UINT64;
}

}  // namespace

// Where two JSON values first differ as values, in document order of `a` ("" = equal): object
// members are compared by key whatever their order, arrays element by element, numbers by value
// (1, 1.0 and 1e0 are equal; integers exactly), strings by their (unescaped) characters.
// Statements are compared by the Statement Comparison Requirements of xAPI Data 2.3.1 (1.0.3
// and 2.0 alike): the differences its exceptions to immutability could cause are ignored,
// others not: the members of `ignored_member`, a timestamp only one side has, timestamps and
// stored as instants, Group members in any order, case in UUIDs, language tags and mailto
// domains (`equal_but_case`); a result duration stays a string (2.3.1: not an exception).
// The result is "<pointer>: <a> vs <b>" ("(absent)" for a member only one side has).
// O(size * log(members)) (members sorted by key). The depth is simdjson's (at most 1024).
std::string json_difference(dom::element a, dom::element b, const std::string& path) {
  const auto differ = [&] {
    return fmt::format("{}: {} vs {}", path.empty() ? "/" : path, short_json(a), short_json(b));
  };
  const dom::element_type ta = a.type(), tb = b.type();
  const bool na = is_integer(ta) || ta == dom::element_type::DOUBLE;
  const bool nb = is_integer(tb) || tb == dom::element_type::DOUBLE;
  if (na && nb) {
    if (is_integer(ta) && is_integer(tb)) {
      const auto i64 = [](dom::element e) { return e.get_int64().value_unsafe(); };
      const auto u64 = [](dom::element e) { return e.get_uint64().value_unsafe(); };
      const bool neg_a = ta == dom::element_type::INT64 && i64(a) < 0;
      const bool neg_b = tb == dom::element_type::INT64 && i64(b) < 0;
      if (neg_a != neg_b) return differ();
      if (neg_a) return i64(a) == i64(b) ? std::string() : differ();
      const std::uint64_t ua =
          ta == dom::element_type::INT64 ? static_cast<std::uint64_t>(i64(a)) : u64(a);
      const std::uint64_t ub =
          tb == dom::element_type::INT64 ? static_cast<std::uint64_t>(i64(b)) : u64(b);
      return ua == ub ? std::string() : differ();
    }
    const auto value = [](dom::element e, dom::element_type t) {
      if (t == dom::element_type::INT64) return static_cast<double>(e.get_int64().value_unsafe());
      if (t == dom::element_type::UINT64) return static_cast<double>(e.get_uint64().value_unsafe());
      return e.get_double().value_unsafe();
    };
    return value(a, ta) == value(b, tb) ? std::string() : differ();
  }
  if (ta != tb) return differ();
  switch (ta) {
    case dom::element_type::STRING: {
      const std::string_view x = a.get_string().value_unsafe(), y = b.get_string().value_unsafe();
      if (x == y) return {};
      // xAPI Data 2.3.1 (Statement Immutability, exception 4; Statement Comparison
      // Requirements): a timestamp's serialization is not part of the statement, so the same
      // instant written otherwise ("...T10:00:00Z", "...T12:00:00+02:00") matches.
      if (path == "/timestamp" || path == "/stored" || path == "/object/timestamp")
        if (const auto p = parse_rfc3339(x), q = parse_rfc3339(y); p && q && *p == *q) return {};
      if (equal_but_case(path, x, y)) return {};
      return differ();
    }
    case dom::element_type::BOOL:
      return a.get_bool().value_unsafe() == b.get_bool().value_unsafe() ? std::string() : differ();
    case dom::element_type::NULL_VALUE:
      return {};
    case dom::element_type::ARRAY: {
      const dom::array x = a.get_array().value_unsafe(), y = b.get_array().value_unsafe();
      if (ends_with(path, "/member")) {
        // xAPI Data 2.3.1, exception 5: a Group's members are an unordered list (each member
        // of `a` matched to a different equal member of `b`; O(n^2), groups are small)
        if (x.size() != y.size()) return differ();
        std::vector<dom::element> left;
        for (auto f : y) left.push_back(f);
        std::size_t k = 0;
        for (auto e : x) {
          const auto it = std::find_if(left.begin(), left.end(), [&](dom::element f) {
            return json_difference(e, f, fmt::format("{}/{}", path, k)).empty();
          });
          if (it == left.end())
            return fmt::format("{}/{}: {} vs (no equal member)", path, k, short_json(e));
          left.erase(it);
          ++k;
        }
        return {};
      }
      auto i = x.begin(), j = y.begin();
      std::size_t k = 0;
      for (; i != x.end() && j != y.end(); ++i, ++j, ++k)
        if (auto d = json_difference(*i, *j, fmt::format("{}/{}", path, k)); !d.empty()) return d;
      if (i != x.end() || j != y.end()) return differ();
      return {};
    }
    case dom::element_type::OBJECT: {
      using member = std::pair<std::string_view, dom::element>;
      const auto members = [](dom::object o) {
        std::vector<member> v;
        for (auto f : o) v.emplace_back(f.key, f.value);
        std::stable_sort(v.begin(), v.end(),
                         [](const member& p, const member& q) { return p.first < q.first; });
        return v;
      };
      const dom::object oa = a.get_object().value_unsafe(), ob = b.get_object().value_unsafe();
      const std::vector<member> x = members(oa), y = members(ob);
      // In `a`'s document order: a member of `a` that `b` lacks or has otherwise.
      const auto skip = [&](std::string_view key, bool other_has) {
        // a timestamp only one side has: the LRS may have assigned it (exception 1)
        return ignored_member(path, key) || (path.empty() && key == "timestamp" && !other_has);
      };
      for (auto f : oa) {
        const auto it =
            std::lower_bound(y.begin(), y.end(), f.key,
                             [](const member& p, std::string_view k) { return p.first < k; });
        const std::string at = path + "/" + pointer_token(f.key);
        const bool in_b = it != y.end() && it->first == f.key;
        if (skip(f.key, in_b)) continue;
        if (!in_b) return fmt::format("{}: {} vs (absent)", at, short_json(f.value));
        // (a repeated key: the first of each side)
        if (auto d = json_difference(f.value, it->second, at); !d.empty()) return d;
      }
      for (const member& m : y)
        if (!skip(m.first, false) &&
            !std::binary_search(x.begin(), x.end(), m,
                                [](const member& p, const member& q) { return p.first < q.first; }))
          return fmt::format("{}/{}: (absent) vs {}", path, pointer_token(m.first),
                             short_json(m.second));
      return {};
    }
    default:
      return differ();
  }
}

}  // namespace masterymap::io::xapi_detail
