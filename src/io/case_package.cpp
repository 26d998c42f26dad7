// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// CASE import, first half: the package read with simdjson's On-Demand parser in one pass, each
// node's JSON kept as written and every value checked.
#include "case_package.hpp"

#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <masterymap/error.hpp>
#include <nlohmann/json.hpp>

#include "../encoding_detail.hpp"
#include "../json_util.hpp"
#include "case_detail.hpp"

namespace masterymap::io::case_reader {

void fail(const std::string& path, std::string_view what) {
  throw parse_error(fmt::format("{}: {}", path, what), 0, 0);
}

namespace {

namespace od = simdjson::ondemand;

// Where a value is, as a JSON path built only when an error names it (a reader of a large
// package must not format a path per field): a chain of names or indices.
struct where {
  const where* parent = nullptr;
  std::string_view name;
  std::size_t index = std::string::npos;
  [[nodiscard]] std::string str() const {
    std::string p = parent != nullptr ? parent->str() : std::string();
    p += '/';
    if (index != std::string::npos)
      p += std::to_string(index);
    else
      p.append(name);
    return p;
  }
};

[[noreturn]] void fail(const where& at, std::string_view what) {
  case_reader::fail(at.str(), what);
}

// On-Demand errors that are not about a field's type (malformed JSON, bad UTF-8) travel as
// simdjson_error to parse_case, which names their line and column.
void ok(simdjson::error_code e) {
  if (e != simdjson::SUCCESS) throw simdjson::simdjson_error(e);
}

od::json_type type_of(od::value& v) {
  od::json_type t{};
  ok(v.type().get(t));
  return t;
}

// A node's JSON as written (its span in the package), without the whitespace that may follow
// it; pretty-printed input (a span with a line break) is minified to save memory. Kept as
// written, numbers and escapes stay exactly as the publisher wrote them.
std::string kept(std::string_view raw) {
  while (!raw.empty() &&
         (raw.back() == ' ' || raw.back() == '\n' || raw.back() == '\r' || raw.back() == '\t'))
    raw.remove_suffix(1);
  if (raw.find('\n') == std::string_view::npos) return std::string(raw);
  std::string out(raw.size(), '\0');
  std::size_t len = 0;
  ok(simdjson::minify(raw.data(), raw.size(), out.data(), len));
  out.resize(len);
  return out;
}

// Strings without escapes (nearly all of a package) are read in place: a view of their text in
// the padded package, so the parser writes no unescaped copy (for a 20 MB package that copy and
// its fresh pages cost more than the parse: measured). A string with a backslash is unescaped,
// which also checks its escapes. The closing quote exists: stage 1 checked the whole document
// (and a NUL byte before it makes strchr return null: unescaped then too).
std::optional<std::string_view> in_place(const char* start) {
  const char* quote = std::strchr(start, '"');
  if (quote == nullptr) return std::nullopt;
  const std::string_view s(start, static_cast<std::size_t>(quote - start));
  if (s.find('\\') != std::string_view::npos) return std::nullopt;
  return s;
}

std::string_view key_of(simdjson::simdjson_result<od::field>& field) {
  od::raw_json_string raw;
  ok(field.key().get(raw));
  if (auto s = in_place(raw.raw())) return *s;
  std::string_view key;
  ok(field.unescaped_key().get(key));
  return key;
}

// A string value (the caller checked the type).
std::string_view string_of(od::value& v) {
  const std::string_view token = v.raw_json_token();  // the opening quote, the text, ...
  if (auto s = in_place(token.data() + 1)) {
    od::raw_json_string raw;
    ok(v.get_raw_json_string().get(raw));  // consumes the value
    return *s;
  }
  std::string_view s;
  ok(v.get_string().get(s));
  return s;
}

// A number; nullopt for an integer too large for 64 bits, which is valid JSON (simdjson's
// On-Demand parser refuses it: NUMBER_ERROR) and is kept as written. A number out of a double's
// range stays an error (parse_case then names its line and column).
std::optional<od::number> number_of(od::value& v) {
  od::number n;
  const simdjson::error_code e = v.get_number().get(n);
  if (e == simdjson::SUCCESS) return n;
  std::string_view token = v.raw_json_token();
  while (!token.empty() && (token.back() == ' ' || token.back() == '\n' || token.back() == '\r' ||
                            token.back() == '\t'))
    token.remove_suffix(1);
  std::string_view digits = token;
  if (!digits.empty() && digits.front() == '-') digits.remove_prefix(1);
  const bool big_integer =
      e == simdjson::NUMBER_ERROR && digits.size() > 18 && digits.front() != '0' &&
      std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (!big_integer) ok(e);
  return std::nullopt;
}

// Deeper nesting than this is refused (as simdjson's DOM parser does): the check recurses.
constexpr int max_depth = 1024;

void check(od::value v, int depth = 0);

void check_members(od::object& o, int depth) {
  for (auto field : o) {
    (void)key_of(field);
    od::value x;
    ok(field.value().get(x));
    check(x, depth + 1);
  }
}

void check_elements(od::array& a, int depth) {
  for (auto element : a) {
    od::value x;
    ok(element.get(x));
    check(x, depth + 1);
  }
}

// Reads (and so validates) a value nobody maps: On-Demand checks only what is read, and a kept
// node must be valid JSON throughout.
void check(od::value v, int depth) {
  if (depth > max_depth) ok(simdjson::DEPTH_ERROR);
  switch (type_of(v)) {
    case od::json_type::object: {
      od::object o;
      ok(v.get_object().get(o));
      check_members(o, depth);
      break;
    }
    case od::json_type::array: {
      od::array a;
      ok(v.get_array().get(a));
      check_elements(a, depth);
      break;
    }
    case od::json_type::string:
      (void)string_of(v);
      break;
    case od::json_type::number:
      (void)number_of(v);
      break;
    case od::json_type::boolean: {
      bool x = false;
      ok(v.get_bool().get(x));
      break;
    }
    case od::json_type::null: {
      bool x = false;
      ok(v.is_null().get(x));
      if (!x) ok(simdjson::N_ATOM_ERROR);
      break;
    }
  }
}

// A text field: a string, or null (a 1.0 export writes null for an absent description). The
// view lives as long as the parser (see package::storage).
std::string_view text(od::value v, const where& path) {
  const od::json_type t = type_of(v);
  if (t == od::json_type::null) {
    check(v);
    return {};
  }
  if (t != od::json_type::string) fail(path, "expected a string");
  return string_of(v);
}

// A list of texts; a single string (1.0's `educationalLevel`) is read as a list, split at
// commas ("06,07" in some 1.0 exports).
std::vector<std::string> texts(od::value v, const where& path) {
  std::vector<std::string> out;
  const od::json_type t = type_of(v);
  if (t == od::json_type::null) {
    check(v);
    return out;
  }
  if (t == od::json_type::string) return detail::split_at_commas(text(v, path));
  if (t != od::json_type::array) fail(path, "expected an array of strings");
  od::array a;
  ok(v.get_array().get(a));
  std::size_t k = 0;
  for (auto element : a) {
    od::value x;
    ok(element.get(x));
    out.emplace_back(text(x, where{&path, {}, k++}));
  }
  return out;
}

node_ref node(od::value v, const where& path) {
  if (type_of(v) != od::json_type::object) fail(path, "expected an object");
  od::object o;
  ok(v.get_object().get(o));
  node_ref r;
  for (auto field : o) {
    const std::string_view key = key_of(field);
    od::value x;
    ok(field.value().get(x));
    if (key == "identifier")
      r.identifier = text(x, where{&path, "identifier"});
    else if (key == "uri")
      r.uri = text(x, where{&path, "uri"});
    else
      check(x);
  }
  if (r.identifier.empty() && r.uri.empty()) fail(path, "a node needs an identifier or a uri");
  return r;
}

// sequenceNumber: an integer, or (1.0) a numeric string; anything else orders last.
std::optional<long long> sequence_number(od::value v) {
  const od::json_type t = type_of(v);
  if (t == od::json_type::number) {
    const auto n = number_of(v);
    if (n && n->is_int64()) return static_cast<long long>(n->get_int64());
    return std::nullopt;
  }
  if (t != od::json_type::string) {
    check(v);
    return std::nullopt;
  }
  const std::string_view s = string_of(v);
  long long x = 0;
  const auto r = std::from_chars(s.data(), s.data() + s.size(), x);
  if (r.ec != std::errc() || r.ptr != s.data() + s.size()) return std::nullopt;
  return x;
}

// extensions.masterymap of a node written by write_case; other extensions are only kept.
// Null when there is no "masterymap" member (nodes not written by write_case).
std::unique_ptr<own_fields> own_of(od::value extensions, const where& path) {
  std::unique_ptr<own_fields> found;
  if (type_of(extensions) != od::json_type::object) {
    check(extensions);
    return found;
  }
  od::object top;
  ok(extensions.get_object().get(top));
  for (auto outer : top) {
    const std::string_view name = key_of(outer);
    od::value mm;
    ok(outer.value().get(mm));
    if (name != "masterymap") {
      check(mm);
      continue;
    }
    const where in_mm{&path, "masterymap"};
    if (type_of(mm) != od::json_type::object) fail(in_mm, "expected an object");
    if (!found) found = std::make_unique<own_fields>();
    own_fields& out = *found;
    od::object o;
    ok(mm.get_object().get(o));
    for (auto field : o) {
      const std::string_view key = key_of(field);
      od::value v;
      ok(field.value().get(v));
      const where at{&in_mm, key};
      if (key == "title") {
        out.title = std::string(text(v, at));
      } else if (key == "description") {
        out.description = std::string(text(v, at));
      } else if (key == "domain") {
        out.domain = std::string(text(v, at));
      } else if (key == "kind") {
        out.kind = std::string(text(v, at));
      } else if (key == "strength") {
        out.strength = std::string(text(v, at));
      } else if (key == "level") {
        out.has_level = true;
        const od::json_type t = type_of(v);
        if (t == od::json_type::null) {
          check(v);
          continue;
        }
        std::int64_t l = 0;
        if (t != od::json_type::number || v.get_int64().get(l) != simdjson::SUCCESS ||
            l < -(1 << 24) || l > (1 << 24))
          fail(at, "expected an integer level");
        out.level = static_cast<int>(l);
      } else if (key == "min_level") {
        double d = 0;
        if (type_of(v) != od::json_type::number || v.get_double().get(d) != simdjson::SUCCESS)
          fail(at, "expected a number");
        out.min_level = d;
      } else if (key == "metadata") {
        if (type_of(v) != od::json_type::object) fail(at, "expected an object of strings");
        od::object m;
        ok(v.get_object().get(m));
        for (auto entry : m) {
          const std::string_view k = key_of(entry);
          std::string name_of_key(k);
          od::value x;
          ok(entry.value().get(x));
          out.metadata.emplace(name_of_key, std::string(text(x, where{&at, name_of_key})));
        }
      } else {
        check(v);
      }
    }
  }
  return found;
}

// One object: its span kept, then its fields through `on_field` (which reads or checks each).
// A field the mapping reads that appears twice in one object: the last value is used (as
// nlohmann and Python's json do), and `notes` says so; the kept JSON holds both.
template <class OnField>
std::string object_of(od::value element, const where& at, std::vector<std::string>& notes,
                      OnField&& on_field) {
  if (type_of(element) != od::json_type::object) fail(at, "expected an object");
  od::object o;
  ok(element.get_object().get(o));
  std::string_view raw;
  ok(o.raw_json().get(raw));
  bool rewound = false;
  ok(o.reset().get(rewound));
  std::vector<std::string_view> mapped;  // a handful: a linear search is cheapest
  for (auto field : o) {
    const std::string_view key = key_of(field);
    od::value v;
    ok(field.value().get(v));
    if (!on_field(key, v)) {
      check(v);
      continue;
    }
    if (std::find(mapped.begin(), mapped.end(), key) != mapped.end())
      notes.push_back(fmt::format("{}/{}: the key appears more than once; the last value is used",
                                  at.str(), key));
    mapped.push_back(key);
  }
  return kept(raw);
}

const where items_list{nullptr, "CFItems"};
const where associations_list{nullptr, "CFAssociations"};
const where document_at{nullptr, "CFDocument"};

raw_item read_item(od::value element, std::size_t k, std::vector<std::string>& notes) {
  raw_item it;
  const where at{&items_list, {}, k};
  it.json = object_of(element, at, notes, [&](std::string_view key, od::value v) {
    const where field{&at, key};
    if (key == "identifier")
      it.identifier = text(v, field);
    else if (key == "uri")
      it.uri = text(v, field);
    else if (key == "humanCodingScheme")
      it.code = text(v, field);
    else if (key == "fullStatement")
      it.full = text(v, field);
    else if (key == "abbreviatedStatement")
      it.abbreviated = text(v, field);
    else if (key == "CFItemType")
      it.item_type = text(v, field);
    else if (key == "educationLevel" || key == "educationalLevel")
      it.education_levels = texts(v, field);
    else if (key == "conceptKeywords")
      it.keywords = texts(v, field);
    else if (key == "extensions")
      it.own = own_of(v, field);
    else
      return false;
    return true;
  });
  if (it.identifier.empty()) fail(where{&at, "identifier"}, "missing or empty");
  return it;
}

raw_association read_association(od::value element, std::size_t k,
                                 std::vector<std::string>& notes) {
  raw_association a;
  bool has_origin = false, has_destination = false;
  const where at{&associations_list, {}, k};
  a.json = object_of(element, at, notes, [&](std::string_view key, od::value v) {
    const where field{&at, key};
    if (key == "identifier") {
      a.identifier = text(v, field);
    } else if (key == "associationType") {
      a.type = text(v, field);
    } else if (key == "originNodeURI") {
      a.origin = node(v, field);
      has_origin = true;
    } else if (key == "destinationNodeURI") {
      a.destination = node(v, field);
      has_destination = true;
    } else if (key == "sequenceNumber") {
      a.sequence = sequence_number(v);
    } else if (key == "extensions") {
      a.own = own_of(v, field);
    } else if (key == "CFAssociationGroupingURI") {
      const node_ref g = node(v, field);
      a.grouping = g.identifier.empty() ? g.uri : g.identifier;
    } else {
      return false;
    }
    return true;
  });
  if (a.type.empty()) fail(where{&at, "associationType"}, "missing or empty");
  if (!has_origin) fail(where{&at, "originNodeURI"}, "missing");
  if (!has_destination) fail(where{&at, "destinationNodeURI"}, "missing");
  return a;
}

// The raw text of any value (consumed), checked throughout.
std::string raw_of(od::value v) {
  std::string_view raw;
  switch (type_of(v)) {
    case od::json_type::object: {
      od::object o;
      ok(v.get_object().get(o));
      ok(o.raw_json().get(raw));
      bool rewound = false;
      ok(o.reset().get(rewound));
      check_members(o, 0);
      break;
    }
    case od::json_type::array: {
      od::array a;
      ok(v.get_array().get(a));
      ok(a.raw_json().get(raw));
      bool rewound = false;
      ok(a.reset().get(rewound));
      check_elements(a, 0);
      break;
    }
    default:
      raw = v.raw_json_token();
      check(v);
      break;
  }
  return kept(raw);
}

// The parsed package's memory, which the records' views point into.
struct storage {
  simdjson::padded_string padded;
  od::parser parser;
};

package read_ondemand(std::string_view text, std::size_t readable) {
  package p;
  auto kept_alive = std::make_shared<storage>();
  p.storage = kept_alive;
  od::document doc;
  if (readable >= text.size() + simdjson::SIMDJSON_PADDING) {
    ok(kept_alive->parser.iterate(simdjson::padded_string_view(text.data(), text.size(), readable))
           .get(doc));
  } else {
    kept_alive->padded = simdjson::padded_string(text);
    ok(kept_alive->parser.iterate(kept_alive->padded).get(doc));
  }
  od::json_type top_type{};
  ok(doc.type().get(top_type));
  if (top_type != od::json_type::object) case_reader::fail("", "expected a CFPackage object");
  od::object top;
  ok(doc.get_object().get(top));
  p.skeleton = "{";
  bool has_document = false;
  for (auto field : top) {
    const std::string_view key_view = key_of(field);
    const std::string key(key_view);
    if (p.skeleton.size() > 1) p.skeleton += ',';
    p.skeleton += nlohmann::json(key).dump();  // the key, escaped as JSON
    p.skeleton += ':';
    od::value v;
    ok(field.value().get(v));
    if (key == "CFItems" || key == "CFAssociations") {
      if (type_of(v) != od::json_type::array) case_reader::fail("/" + key, "expected an array");
      od::array a;
      ok(v.get_array().get(a));
      std::size_t k = 0;
      for (auto element : a) {
        od::value x;
        ok(element.get(x));
        if (key == "CFItems")
          p.items.push_back(read_item(x, k++, p.notes));
        else
          p.associations.push_back(read_association(x, k++, p.notes));
      }
      p.skeleton += "[]";
    } else if (key == "CFDocument") {
      has_document = true;
      p.skeleton += object_of(v, document_at, p.notes, [&](std::string_view k, od::value x) {
        if (k == "title")
          p.title = case_reader::text(x, where{&document_at, "title"});
        else if (k == "identifier")
          p.doc_identifier = case_reader::text(x, where{&document_at, "identifier"});
        else if (k == "uri")
          p.doc_uri = case_reader::text(x, where{&document_at, "uri"});
        else if (k == "extensions")
          p.doc_own = own_of(x, where{&document_at, "extensions"});
        else
          return false;
        return true;
      });
    } else {
      p.skeleton += raw_of(v);
    }
  }
  // Trailing content after the object is an error, as in any JSON reader.
  const char* end = nullptr;
  if (doc.current_location().get(end) == simdjson::SUCCESS) ok(simdjson::TRAILING_CONTENT);
  p.skeleton += '}';
  if (!has_document) case_reader::fail("/CFDocument", "missing");
  // Kept as written (minified when it had line breaks): write_case splices its members back
  // unchanged, so numbers a JSON library would round (integers beyond 64 bits) survive too.
  return p;
}

}  // namespace

std::vector<std::pair<std::string, std::string>> members_of(std::string_view object) {
  try {
    const simdjson::padded_string padded(object);
    od::parser parser;
    od::document doc;
    ok(parser.iterate(padded).get(doc));
    od::object top;
    ok(doc.get_object().get(top));
    std::vector<std::pair<std::string, std::string>> out;
    for (auto field : top) {
      std::string key(key_of(field));
      od::value v;
      ok(field.value().get(v));
      out.emplace_back(std::move(key), raw_of(v));
    }
    return out;
  } catch (const simdjson::simdjson_error& e) {
    throw parse_error(fmt::format("case:package: not a JSON object ({})", e.what()), 0, 0);
  }
}

package read_package(std::string_view text, std::size_t readable) {
  try {
    return read_ondemand(text, readable);
  } catch (const simdjson::simdjson_error& e) {
    // A syntax error: nlohmann's parser names its line and column; if it accepts the text,
    // simdjson's own message is all there is.
    (void)masterymap::detail::parse_json(text, "CASE package");
    // nlohmann skips a byte order mark (the caller skipped the first: this is a second one)
    // and stops at a NUL byte; JSON allows neither.
    if (text.substr(0, 3) == "\xEF\xBB\xBF")
      throw parse_error(fmt::format("CASE package: syntax error at line 1, column 2: a second byte "
                                    "order mark ({})",
                                    e.what()),
                        1, 2);
    if (const std::size_t nul = text.find('\0'); nul != std::string_view::npos) {
      const auto p = masterymap::detail::position_of(text, nul);
      throw parse_error(fmt::format("CASE package: syntax error at line {}, column {}: a NUL byte "
                                    "({})",
                                    p.line, p.column, e.what()),
                        p.line, p.column);
    }
    throw parse_error(fmt::format("CASE package: {}", e.what()), 0, 0);
  }
}

}  // namespace masterymap::io::case_reader
