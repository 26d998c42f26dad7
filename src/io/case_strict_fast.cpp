// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// Strict CASE 1.1, the fast path: a package whose CFItems and CFAssociations the normaliser
// (case_strict.cpp) would leave as they are is checked read-only with simdjson and only its
// skeleton normalised.
#include <simdjson.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "case_strict.hpp"
#include "case_strict_schema.hpp"

namespace masterymap::io::detail {

namespace {

using ojson = nlohmann::ordered_json;
using namespace case_schema;  // NOLINT(google-build-using-namespace): the schema's tables

// --- the fast path -----------------------------------------------------------------------
// Most packages (every one masterymap writes, most state servers') are valid CASE 1.1 item by
// item: re-parsing and re-writing each node with nlohmann only to change nothing cost 95% of a
// strict export (measured). So each CFItem and CFAssociation is first checked, read-only, with
// simdjson's On-Demand parser. The check is conservative: "clean" only when the normaliser
// (case_strict.cpp) would certainly leave the node as it is (every key a property of the class,
// each value of its type in its plain form, every required property present); anything else, even
// what the normaliser would keep, is "dirty". One dirty node sends the whole package down the
// normaliser (non-UUID identifiers must be known package-wide). When all are clean, only the
// skeleton (document, definitions, rubrics) goes through the normaliser and the node lists are
// written as they are.

namespace od = simdjson::ondemand;

bool is_uuid_lower(std::string_view s) {
  if (s.size() != 36) return false;
  for (std::size_t i = 0; i < 36; ++i) {
    const char c = s[i];
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? c != '-' : !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

bool string_value(od::value& v, std::string_view& out) {
  od::json_type type{};
  if (v.type().get(type) != simdjson::SUCCESS || type != od::json_type::string) return false;
  return v.get_string().get(out) == simdjson::SUCCESS;
}

// A LinkURI or LinkGenURI object left as it is by the normaliser.
bool clean_link(od::value& v, const spec& s) {
  od::object o;
  if (v.get_object().get(o) != simdjson::SUCCESS) return false;
  unsigned seen = 0;
  for (auto field : o) {
    std::string_view key;
    if (field.unescaped_key().get(key) != simdjson::SUCCESS) return false;
    od::value x;
    if (field.value().get(x) != simdjson::SUCCESS) return false;
    std::string_view text;
    if (!string_value(x, text)) return false;
    unsigned bit = 0;
    if (key == "title") {
      bit = 1;
    } else if (key == "identifier") {
      bit = 2;
      // LinkURI: a UUID; LinkGenURI: text, but a non-UUID one may be replaced package-wide.
      if (!is_uuid_lower(text)) return false;
    } else if (key == "uri") {
      bit = 4;
    } else if (key == "targetType" && &s == &link_gen) {
      bit = 8;
    } else {
      return false;
    }
    if ((seen & bit) != 0) return false;  // a key given twice
    seen |= bit;
  }
  return (seen & 7U) == 7U;  // title, identifier and uri are required
}

// A CFItem or CFAssociation left as it is by the normaliser.
bool clean_node(od::value& node, const spec& s) {
  od::object o;
  if (node.get_object().get(o) != simdjson::SUCCESS) return false;
  std::uint32_t seen = 0;
  for (auto field : o) {
    std::string_view key;
    if (field.unescaped_key().get(key) != simdjson::SUCCESS) return false;
    std::size_t k = 0;
    while (k < s.fields.size() && key != s.fields[k].name) ++k;
    if (k == s.fields.size() || (seen & (1U << k)) != 0) return false;
    seen |= 1U << k;
    od::value v;
    if (field.value().get(v) != simdjson::SUCCESS) return false;
    od::json_type type{};
    if (v.type().get(type) != simdjson::SUCCESS || type == od::json_type::null) return false;
    std::string_view text;
    switch (s.fields[k].type) {
      case t::text:
        if (!string_value(v, text)) return false;
        if (&s == &association && key == "associationType" &&
            !known_association_type(std::string(text)))
          return false;
        break;
      case t::uuid:
        if (!string_value(v, text) || !is_uuid_lower(text)) return false;
        break;
      case t::date_time:
        if (!string_value(v, text) || !is_plain_utc_date_time(text)) return false;
        break;
      case t::integer: {
        std::int64_t x = 0;
        if (type != od::json_type::number || v.get_int64().get(x) != simdjson::SUCCESS)
          return false;
        break;
      }
      case t::texts: {
        od::array a;
        if (v.get_array().get(a) != simdjson::SUCCESS) return false;
        for (auto element : a) {
          od::value x;
          if (element.get(x) != simdjson::SUCCESS || !string_value(x, text)) return false;
        }
        break;
      }
      case t::link:
        if (!clean_link(v, link_uri)) return false;
        break;
      case t::gen_link:
        if (!clean_link(v, link_gen)) return false;
        break;
      case t::ext:  // kept as it is (skipped by the parser, checked by the reader)
        if (type != od::json_type::object) return false;
        break;
      case t::ext_list: {
        od::array a;
        if (v.get_array().get(a) != simdjson::SUCCESS) return false;
        for (auto element : a) {
          od::value x;
          od::json_type xt{};
          if (element.get(x) != simdjson::SUCCESS || x.type().get(xt) != simdjson::SUCCESS ||
              xt != od::json_type::object)
            return false;
        }
        break;
      }
      default:
        return false;  // dates, numbers, lists of links: the normaliser decides
    }
  }
  for (const char* r : s.required) {
    std::size_t k = 0;
    while (k < s.fields.size() && std::strcmp(r, s.fields[k].name) != 0) ++k;
    if (k == s.fields.size() || (seen & (1U << k)) == 0) return false;
  }
  return true;
}

}  // namespace

std::optional<std::string> strict_case_fast(const std::string& text, const std::string& stamp,
                                            std::vector<std::string>& notes) {
  // write_case's output has room to spare: parsed in place when it has simdjson's padding.
  simdjson::padded_string copy;
  simdjson::padded_string_view view(text.data(), text.size(), text.capacity());
  if (text.capacity() < text.size() + simdjson::SIMDJSON_PADDING) {
    copy = simdjson::padded_string(text);
    view = copy;
  }
  od::parser parser;
  od::document doc;
  od::object top;
  if (parser.iterate(view).get(doc) != simdjson::SUCCESS ||
      doc.get_object().get(top) != simdjson::SUCCESS)
    return std::nullopt;
  std::string skeleton = "{";
  std::vector<std::pair<std::string, std::string_view>> lists;  // key, the list as written
  for (auto field : top) {
    std::string_view key;
    od::value v;
    if (field.unescaped_key().get(key) != simdjson::SUCCESS ||
        field.value().get(v) != simdjson::SUCCESS)
      return std::nullopt;
    if (skeleton.size() > 1) skeleton += ',';
    skeleton += ojson(key).dump();
    skeleton += ':';
    if (key == "CFItems" || key == "CFAssociations") {
      const spec& s = key == "CFItems" ? item : association;
      od::array a;
      std::string_view raw;
      bool rewound = false;
      if (v.get_array().get(a) != simdjson::SUCCESS || a.raw_json().get(raw) != simdjson::SUCCESS ||
          a.reset().get(rewound) != simdjson::SUCCESS)
        return std::nullopt;
      for (auto element : a) {
        od::value node;
        if (element.get(node) != simdjson::SUCCESS || !clean_node(node, s)) return std::nullopt;
      }
      lists.emplace_back(std::string(key), raw);
      skeleton += "[]";
    } else {
      od::json_type type{};
      std::string_view raw;
      if (v.type().get(type) != simdjson::SUCCESS) return std::nullopt;
      if (type == od::json_type::object) {
        od::object x;
        if (v.get_object().get(x) != simdjson::SUCCESS ||
            x.raw_json().get(raw) != simdjson::SUCCESS)
          return std::nullopt;
      } else if (type == od::json_type::array) {
        od::array x;
        if (v.get_array().get(x) != simdjson::SUCCESS || x.raw_json().get(raw) != simdjson::SUCCESS)
          return std::nullopt;
      } else {
        raw = v.raw_json_token();
      }
      skeleton += raw;
    }
  }
  skeleton += '}';
  // The skeleton through the normaliser, then the lists spliced in where it has them.
  std::vector<std::string> skeleton_notes;
  const std::string normalised = strict_case_slow(skeleton, stamp, skeleton_notes);
  const ojson members = ojson::parse(normalised);
  std::string out;
  out.reserve(text.size() + normalised.size());
  out += '{';
  for (const auto& member : members.items()) {
    const std::string& key = member.key();  // (lambdas cannot capture a binding)
    const ojson& value = member.value();
    if (out.size() > 1) out += ',';
    out += ojson(key).dump();
    out += ':';
    const auto list =
        std::find_if(lists.begin(), lists.end(), [&](const auto& l) { return l.first == key; });
    if (list != lists.end() && value.is_array() && value.empty()) {
      std::string_view raw = list->second;
      while (!raw.empty() && std::isspace(static_cast<unsigned char>(raw.back())))
        raw.remove_suffix(1);
      out += raw;
    } else {
      out += value.dump();
    }
  }
  out += '}';
  notes.insert(notes.end(), skeleton_notes.begin(), skeleton_notes.end());
  return out;
}

}  // namespace masterymap::io::detail
