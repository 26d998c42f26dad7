// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// Strict CASE 1.1: a package normalised until it validates against the official CFPackage
// schema (1EdTech, case_v1p1_cfpackage-jsonschema1.json, draft 2019-09), each change reported:
// the normaliser. The schema's tables are in case_strict_schema.cpp, the read-only fast path in
// case_strict_fast.cpp.
#include "case_strict.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <boost/uuid/name_generator_sha1.hpp>
#include <boost/uuid/uuid_io.hpp>
#include <cctype>
#include <charconv>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "case_detail.hpp"
#include "case_strict_schema.hpp"

namespace masterymap::io::detail {

namespace {

using ojson = nlohmann::ordered_json;
using namespace case_schema;  // NOLINT(google-build-using-namespace): the schema's tables

bool has_zone(const std::string& s) {
  if (s.empty()) return false;
  const char last = s.back();
  if (last == 'Z' || last == 'z') return true;
  // ...+hh:mm or -hh:mm after the time
  return s.size() >= 6 && (s[s.size() - 6] == '+' || s[s.size() - 6] == '-') &&
         s[s.size() - 3] == ':' && s.find('T') != std::string::npos;
}

// Whether a value (after normalisation) has the type the schema asks for.
bool valid(const ojson& v, t type) {
  switch (type) {
    case t::text:
      return v.is_string();
    case t::uuid:
      return v.is_string() && is_uuid(v.get<std::string>());
    case t::date_time:
      return v.is_string() && is_date_time(v.get<std::string>());
    case t::date:
      return v.is_string() && is_date(v.get<std::string>());
    case t::integer:
      return v.is_number_integer();
    case t::number:
      return v.is_number();
    case t::texts:
      if (!v.is_array()) return false;
      for (const auto& x : v)
        if (!x.is_string()) return false;
      return true;
    case t::ext:
      return v.is_object();
    case t::ext_list:
      return v.is_array() &&
             std::all_of(v.begin(), v.end(), [](const ojson& x) { return x.is_object(); });
    default:
      return true;  // links and lists are normalised field by field
  }
}

class normaliser {
 public:
  normaliser(std::vector<std::string>& notes, std::string stamp)
      : notes_(notes), stamp_(std::move(stamp)) {}

  // Identifiers that are not UUIDs, collected before anything changes so that every
  // reference to one (a LinkURI or LinkGenURI) maps the same way.
  void collect(const ojson& j) {
    if (j.is_object()) {
      auto it = j.find("identifier");
      if (it != j.end() && it->is_string() && !is_uuid(it->get<std::string>()))
        bad_ids_.insert(it->get<std::string>());
      auto type = j.find("associationType");
      if (type != j.end() && type->is_string() && known_association_type(type->get<std::string>()))
        ext_types_.emplace(type->get<std::string>(), type->get<std::string>());
      for (const auto& [k, v] : j.items()) collect(v);
    } else if (j.is_array()) {
      for (const auto& v : j) collect(v);
    }
  }

  void object(ojson& j, const spec& s, const std::string& path) {
    if (!j.is_object()) return;  // the schema check reports it; nothing to normalise
    // 1.0's misspelling first, so the value is then checked as educationLevel.
    if (&s == &item && j.contains("educationalLevel") && !j.contains("educationLevel")) {
      j["educationLevel"] = j["educationalLevel"];
      j.erase("educationalLevel");
      note(path, "educationalLevel (1.0) renamed educationLevel");
    }
    // Extensions are an object in every 1.1 class but one (an array of objects); another value
    // is kept inside one, so the properties moved into extensions below have somewhere to go.
    if (s.has_extensions) extensions_of(j, s, path);
    std::vector<std::string> keys;
    for (const auto& [k, v] : j.items()) keys.push_back(k);
    for (const std::string& k : keys) {
      const field* f = find(s, k);
      const std::string at = path + "/" + k;
      if (f == nullptr) {
        if (s.has_extensions) {
          extend(j, s, k);
          note(at, "not a CASE 1.1 property of " + std::string(s.name) + "; moved into extensions");
        } else {
          note(at, "not a CASE 1.1 property of " + std::string(s.name) + "; dropped");
        }
        j.erase(k);
        continue;
      }
      ojson& v = j[k];
      if (v.is_null()) {
        if (required(s, k) && f->type == t::text) {
          v = "";
          note(at, "null in a required text; written as an empty string");
        } else {
          j.erase(k);
          note(at, "null; dropped");
        }
        continue;
      }
      value(v, *f, at);
      if (!valid(v, f->type)) set_aside(j, s, k, f->type, at);
    }
    if (&s == &association && j.contains("associationType") && j["associationType"].is_string() &&
        !known_association_type(j["associationType"].get<std::string>())) {
      const std::string old = j["associationType"].get<std::string>();
      std::string type = "ext:";
      for (char c : old.compare(0, 4, "ext:") == 0 ? old.substr(4) : old)
        type += std::isalnum(static_cast<unsigned char>(c)) || c == '.' ? c : '_';
      if (type == "ext:") type += "unnamed";
      // Two types that spell the same after the replacement (non-ASCII letters) stay apart:
      // the later one gets a number, so the package still tells them apart.
      const std::string base = type;
      for (int n = 2;; ++n) {
        const auto [at, fresh] = ext_types_.emplace(type, old);
        if (fresh || at->second == old) break;
        type = fmt::format("{}_{}", base, n);
      }
      extend(j, s, "associationType");  // the original, kept
      j["associationType"] = type;
      note(path + "/associationType",
           fmt::format("'{}' is not a CASE 1.1 association type; written as the extension type "
                       "'{}', the original kept as extensions/associationType",
                       old, type));
    }
    for (const char* r : s.required) {
      if (j.contains(r)) continue;
      const field* f = find(s, r);
      if (f != nullptr && f->type == t::date_time) {
        j[r] = stamp_;
        note(path + "/" + r, "missing; set to " + stamp_);
      } else if (f != nullptr && f->type == t::text) {
        j[r] = "";
        note(path + "/" + r, "missing required text; written as an empty string");
      }
    }
    if (&s == &document) {
      auto it = j.find("caseVersion");
      if (it == j.end() || *it != "1.1") {
        note(path + "/caseVersion", it == j.end() ? "added: 1.1" : "set to 1.1");
        j["caseVersion"] = "1.1";
      }
    }
  }

  template <class Spec>
  void list(ojson& j, const Spec& s, const std::string& path) {
    if (!j.is_array()) return;
    for (std::size_t k = 0; k < j.size(); ++k) object(j[k], s, fmt::format("{}/{}", path, k));
  }

 private:
  static bool listed_extensions(const spec& s) {
    const field* f = find(s, "extensions");
    return f != nullptr && f->type == t::ext_list;
  }
  // j's extensions made what the class's schema wants (null stays: extend creates them).
  void extensions_of(ojson& j, const spec& s, const std::string& path) {
    auto it = j.find("extensions");
    if (it == j.end() || it->is_null()) return;
    if (!listed_extensions(s)) {
      if (it->is_object()) return;
      ojson wrapped = ojson::object();
      wrapped["value"] = std::move(*it);
      *it = std::move(wrapped);
      note(path + "/extensions", "not an object; kept as extensions/value");
      return;
    }
    if (!it->is_array()) {
      ojson wrapped = ojson::array();
      wrapped.push_back(it->is_object() ? std::move(*it) : ojson{{"value", std::move(*it)}});
      *it = std::move(wrapped);
      note(path + "/extensions", "not an array of objects; kept as its first element");
      return;
    }
    for (std::size_t e = 0; e < it->size(); ++e) {
      ojson& x = (*it)[e];
      if (x.is_object()) continue;
      x = ojson{{"value", std::move(x)}};
      note(fmt::format("{}/extensions/{}", path, e), "not an object; kept as its value member");
    }
  }
  // j[k] copied into j's extensions (an object, or an array of objects for the one class
  // whose extensions are one); the caller removes or replaces j[k].
  void extend(ojson& j, const spec& s, const std::string& k) {
    ojson& ext = j["extensions"];
    if (listed_extensions(s)) {
      if (ext.is_null()) ext = ojson::array();
      ext.push_back(ojson{{k, j[k]}});
    } else {
      if (ext.is_null()) ext = ojson::object();
      ext[k] = j[k];
    }
  }

  // A value no rule can make valid: kept in the object's extensions (dropped where there are
  // none); a required timestamp is then the export's.
  void set_aside(ojson& j, const spec& s, const std::string& k, t type, const std::string& at) {
    const std::string text = j[k].dump();
    if (s.has_extensions) extend(j, s, k);
    j.erase(k);
    std::string what = fmt::format("{} is not a valid {}; {}", text, type_name(type),
                                   s.has_extensions ? "moved into extensions" : "dropped");
    if (required(s, k) && type == t::date_time) {
      j[k] = stamp_;
      what += "; set to " + stamp_;
    } else if (required(s, k) && type == t::text) {
      j[k] = "";
      what += "; written as an empty string";
    }
    note(at, what);
  }
  static const char* type_name(t type) {
    switch (type) {
      case t::uuid:
        return "UUID";
      case t::date_time:
        return "RFC 3339 date-time";
      case t::date:
        return "RFC 3339 date";
      case t::integer:
        return "integer";
      case t::number:
        return "number";
      case t::texts:
        return "list of strings";
      default:
        return "string";
    }
  }
  static const field* find(const spec& s, const std::string& k) {
    for (const field& f : s.fields)
      if (k == f.name) return &f;
    return nullptr;
  }
  static bool required(const spec& s, const std::string& k) {
    for (const char* r : s.required)
      if (k == r) return true;
    return false;
  }
  void note(const std::string& path, const std::string& what) {
    notes_.push_back(fmt::format("{}: {}", path, what));
  }
  std::string uuid_for(const std::string& id) const {
    return boost::uuids::to_string(
        boost::uuids::name_generator_sha1(boost::uuids::ns::url())("urn:case-identifier:" + id));
  }

  void value(ojson& v, const field& f, const std::string& at) {
    switch (f.type) {
      case t::text:
        if (!v.is_string()) {
          v = v.dump();
          note(at, "not a string; written as its JSON text");
        }
        break;
      case t::uuid:
        if (v.is_string() && !is_uuid(v.get<std::string>())) {
          const std::string old = v.get<std::string>();
          v = uuid_for(old);
          note(at, fmt::format("'{}' is not a UUID; replaced by {} (a version 5 UUID of it, "
                               "the same in every reference)",
                               old, v.get<std::string>()));
        } else if (v.is_string()) {
          std::string s = v.get<std::string>();
          bool upper = false;
          for (char& c : s)
            if (std::isupper(static_cast<unsigned char>(c))) {
              c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
              upper = true;
            }
          if (upper) {
            v = s;
            note(at, "UUID in upper case; written in lower case");
          }
        }
        break;
      case t::date_time:
        if (v.is_string() && !has_zone(v.get<std::string>())) {
          std::string s = v.get<std::string>();
          if (s.size() == 10) s += "T00:00:00";
          // Only a date-time that lacks just its zone; anything else is set aside.
          if (is_date_time(s + "Z")) {
            v = s + "Z";
            note(at, "no time zone; read as UTC (Z appended)");
          }
        }
        break;
      case t::date:
        if (v.is_string() && v.get<std::string>().size() > 10 && v.get<std::string>()[10] == 'T') {
          v = v.get<std::string>().substr(0, 10);
          note(at, "a date-time where a date belongs; the date kept");
        }
        break;
      case t::integer:
        if (v.is_string()) {
          const std::string s = v.get<std::string>();
          long long x = 0;
          const auto r = std::from_chars(s.data(), s.data() + s.size(), x);
          if (r.ec == std::errc() && r.ptr == s.data() + s.size()) {
            v = x;
            note(at, "a number written as a string; written as the integer");
          }
        } else if (v.is_number_float() &&
                   v.get<double>() ==
                       static_cast<double>(static_cast<long long>(v.get<double>()))) {
          v = static_cast<long long>(v.get<double>());
          note(at, "an integral float; written as an integer");
        }
        break;
      case t::number:
        if (v.is_string()) {
          try {
            std::size_t used = 0;
            const double d = std::stod(v.get<std::string>(), &used);
            if (used == v.get<std::string>().size()) {
              v = d;
              note(at, "a number written as a string; written as the number");
            }
          } catch (const std::exception&) {  // not a number: the schema check reports it
          }
        }
        break;
      case t::texts:
        if (v.is_string()) {
          v = split_at_commas(v.get<std::string>());
          note(at, "a string where a list belongs; written as a list");
        }
        break;
      case t::link:
        object(v, link_uri, at);
        break;
      case t::links:
        list(v, link_uri, at);
        break;
      case t::gen_link:
        object(v, link_gen, at);
        // A reference to a node whose identifier was replaced follows it.
        if (v.is_object()) {
          auto it = v.find("identifier");
          if (it != v.end() && it->is_string() && bad_ids_.count(it->get<std::string>()) != 0)
            *it = uuid_for(it->get<std::string>());
        }
        break;
      case t::ext:
      case t::ext_list:
      case t::nested:
        break;
    }
  }

  std::vector<std::string>& notes_;
  std::string stamp_;
  std::set<std::string> bad_ids_;
  // Extension association types in the output -> the type they were written for.
  std::map<std::string, std::string> ext_types_;
};

// nlohmann's DOM builder, noting what the DOM cannot hold as written: a number whose text
// changes when written again (1E+2 -> 100.0, an integer beyond 64 bits -> a double) and a key
// given twice in one object (the last value is kept). Strict output is re-serialised, so the
// report says so instead of changing the numbers silently. (A "-0" reaches a SAX parser as the
// integer 0, without its text, and cannot be told from "0".)
class noting_parser : public nlohmann::detail::json_sax_dom_parser<ojson> {
  using base = nlohmann::detail::json_sax_dom_parser<ojson>;

 public:
  noting_parser(ojson& into, std::vector<std::string>& notes) : base(into), notes_(notes) {}

  bool null() { return value(), base::null(); }
  bool boolean(bool v) { return value(), base::boolean(v); }
  bool number_integer(ojson::number_integer_t v) { return value(), base::number_integer(v); }
  bool number_unsigned(ojson::number_unsigned_t v) { return value(), base::number_unsigned(v); }
  bool number_float(ojson::number_float_t v, const std::string& text) {
    value();
    const std::string written = ojson(v).dump();
    if (written != text)
      notes_.push_back(fmt::format("{}: the number {} is written as {}", path(), text, written));
    return base::number_float(v, text);
  }
  bool string(std::string& v) { return value(), base::string(v); }
  bool binary(ojson::binary_t& v) { return value(), base::binary(v); }
  bool start_object(std::size_t n) {
    value();
    frames_.push_back({false, 0, {}, {}});
    return base::start_object(n);
  }
  bool key(std::string& k) {
    frame& f = frames_.back();
    f.key = k;
    if (!f.keys.insert(k).second)
      notes_.push_back(fmt::format("{}: the key is given twice; the last value is kept", path()));
    return base::key(k);
  }
  bool end_object() {
    frames_.pop_back();
    return base::end_object();
  }
  bool start_array(std::size_t n) {
    value();
    frames_.push_back({true, 0, {}, {}});
    return base::start_array(n);
  }
  bool end_array() {
    frames_.pop_back();
    return base::end_array();
  }

 private:
  struct frame {
    bool array;
    std::size_t count;  // elements begun (arrays)
    std::string key;    // the current key (objects)
    std::set<std::string> keys;
  };
  void value() {
    if (!frames_.empty() && frames_.back().array) ++frames_.back().count;
  }
  std::string path() const {
    std::string p;
    for (const frame& f : frames_) {
      p += '/';
      p += f.array ? std::to_string(f.count - 1) : f.key;
    }
    return p;
  }
  std::vector<std::string>& notes_;
  std::vector<frame> frames_;
};

}  // namespace

std::string strict_case_slow(const std::string& text, const std::string& stamp,
                             std::vector<std::string>& notes) {
  ojson p;
  noting_parser sax(p, notes);
  ojson::sax_parse(text, &sax);
  normaliser n(notes, stamp);
  n.collect(p);
  n.object(p, package, "");
  if (p.contains("CFDocument")) n.object(p["CFDocument"], document, "/CFDocument");
  if (p.contains("CFItems")) n.list(p["CFItems"], item, "/CFItems");
  if (p.contains("CFAssociations")) n.list(p["CFAssociations"], association, "/CFAssociations");
  if (p.contains("CFDefinitions") && p["CFDefinitions"].is_object()) {
    ojson& d = p["CFDefinitions"];
    n.object(d, definitions, "/CFDefinitions");
    const std::pair<const char*, const spec*> lists[] = {
        {"CFConcepts", &concept_spec},
        {"CFSubjects", &subject_spec},
        {"CFLicenses", &license_spec},
        {"CFItemTypes", &item_type_spec},
        {"CFAssociationGroupings", &grouping_spec}};
    for (const auto& [key, s] : lists)
      if (d.contains(key)) n.list(d[key], *s, std::string("/CFDefinitions/") + key);
  }
  if (p.contains("CFRubrics") && p["CFRubrics"].is_array()) {
    ojson& rs = p["CFRubrics"];
    n.list(rs, rubric, "/CFRubrics");
    for (std::size_t r = 0; r < rs.size(); ++r) {
      if (!rs[r].is_object() || !rs[r].contains("CFRubricCriteria")) continue;
      ojson& cs = rs[r]["CFRubricCriteria"];
      const std::string cpath = fmt::format("/CFRubrics/{}/CFRubricCriteria", r);
      n.list(cs, criterion, cpath);
      if (!cs.is_array()) continue;
      for (std::size_t c = 0; c < cs.size(); ++c)
        if (cs[c].is_object() && cs[c].contains("CFRubricCriterionLevels"))
          n.list(cs[c]["CFRubricCriterionLevels"], level,
                 fmt::format("{}/{}/CFRubricCriterionLevels", cpath, c));
    }
  }
  return p.dump();
}

std::string strict_case(const std::string& text, const std::string& stamp,
                        std::vector<std::string>& notes) {
  if (auto fast = strict_case_fast(text, stamp, notes)) return std::move(*fast);
  return strict_case_slow(text, stamp, notes);
}

}  // namespace masterymap::io::detail
