// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// Strict CASE 1.1: a package normalised until it validates against the official CFPackage
// schema (1EdTech, case_v1p1_cfpackage-jsonschema1.json, draft 2019-09), each change reported.
// The tables below are that schema's classes: their properties, the type each must have, and
// the required ones.
#include "case_strict.hpp"

#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <boost/uuid/name_generator_sha1.hpp>
#include <boost/uuid/uuid_io.hpp>
#include <cctype>
#include <charconv>
#include <cstring>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "case_detail.hpp"

namespace masterymap::io::detail {

namespace {

using ojson = nlohmann::ordered_json;

enum class t : std::uint8_t {
  text,       // string
  uuid,       // string, format uuid
  date_time,  // string, RFC 3339 date-time (a zone required)
  date,       // string, RFC 3339 full-date
  integer,
  number,
  texts,     // array of strings
  link,      // LinkURI
  links,     // array of LinkURI
  gen_link,  // LinkGenURI
  ext,       // extensions: an object (kept as it is)
  ext_list,  // extensions: an array of objects (CFRubricCriterionLevel's)
  nested,    // handled by the caller (lists of classes)
};

struct field {
  const char* name;
  t type;
};

struct spec {
  const char* name;
  std::vector<field> fields;
  std::vector<const char*> required;
  bool has_extensions = true;
};

const spec link_uri{"LinkURI",
                    {{"title", t::text}, {"identifier", t::uuid}, {"uri", t::text}},
                    {"title", "identifier", "uri"},
                    false};
const spec link_gen{
    "LinkGenURI",
    {{"title", t::text}, {"identifier", t::text}, {"uri", t::text}, {"targetType", t::text}},
    {"title", "identifier", "uri"},
    false};
const spec document{"CFDocument",
                    {{"identifier", t::uuid},
                     {"uri", t::text},
                     {"frameworkType", t::text},
                     {"caseVersion", t::text},
                     {"creator", t::text},
                     {"title", t::text},
                     {"lastChangeDateTime", t::date_time},
                     {"officialSourceURL", t::text},
                     {"publisher", t::text},
                     {"description", t::text},
                     {"subject", t::texts},
                     {"subjectURI", t::links},
                     {"language", t::text},
                     {"version", t::text},
                     {"adoptionStatus", t::text},
                     {"statusStartDate", t::date},
                     {"statusEndDate", t::date},
                     {"licenseURI", t::link},
                     {"notes", t::text},
                     {"extensions", t::ext}},
                    {"identifier", "uri", "creator", "title", "lastChangeDateTime"}};
const spec item{"CFItem",
                {{"identifier", t::uuid},
                 {"fullStatement", t::text},
                 {"alternativeLabel", t::text},
                 {"CFItemType", t::text},
                 {"uri", t::text},
                 {"humanCodingScheme", t::text},
                 {"listEnumeration", t::text},
                 {"abbreviatedStatement", t::text},
                 {"conceptKeywords", t::texts},
                 {"conceptKeywordsURI", t::link},
                 {"notes", t::text},
                 {"subject", t::texts},
                 {"subjectURI", t::links},
                 {"language", t::text},
                 {"educationLevel", t::texts},
                 {"CFItemTypeURI", t::link},
                 {"licenseURI", t::link},
                 {"statusStartDate", t::date},
                 {"statusEndDate", t::date},
                 {"lastChangeDateTime", t::date_time},
                 {"extensions", t::ext}},
                {"identifier", "fullStatement", "uri", "lastChangeDateTime"}};
const spec association{"CFAssociation",
                       {{"identifier", t::uuid},
                        {"associationType", t::text},
                        {"sequenceNumber", t::integer},
                        {"uri", t::text},
                        {"originNodeURI", t::gen_link},
                        {"destinationNodeURI", t::gen_link},
                        {"CFAssociationGroupingURI", t::link},
                        {"lastChangeDateTime", t::date_time},
                        {"notes", t::text},
                        {"extensions", t::ext}},
                       {"identifier", "associationType", "uri", "originNodeURI",
                        "destinationNodeURI", "lastChangeDateTime"}};
const spec concept_spec{"CFConcept",
                        {{"identifier", t::uuid},
                         {"uri", t::text},
                         {"title", t::text},
                         {"keywords", t::text},
                         {"hierarchyCode", t::text},
                         {"description", t::text},
                         {"lastChangeDateTime", t::date_time},
                         {"extensions", t::ext}},
                        {"identifier", "uri", "title", "hierarchyCode", "lastChangeDateTime"}};
const spec subject_spec{"CFSubject",
                        {{"identifier", t::uuid},
                         {"uri", t::text},
                         {"title", t::text},
                         {"hierarchyCode", t::text},
                         {"description", t::text},
                         {"lastChangeDateTime", t::date_time},
                         {"extensions", t::ext}},
                        {"identifier", "uri", "title", "hierarchyCode", "lastChangeDateTime"}};
const spec license_spec{"CFLicense",
                        {{"identifier", t::uuid},
                         {"uri", t::text},
                         {"title", t::text},
                         {"description", t::text},
                         {"licenseText", t::text},
                         {"lastChangeDateTime", t::date_time},
                         {"extensions", t::ext}},
                        {"identifier", "uri", "title", "licenseText", "lastChangeDateTime"}};
const spec item_type_spec{
    "CFItemType",
    {{"identifier", t::uuid},
     {"uri", t::text},
     {"title", t::text},
     {"description", t::text},
     {"hierarchyCode", t::text},
     {"typeCode", t::text},
     {"lastChangeDateTime", t::date_time},
     {"extensions", t::ext}},
    {"identifier", "uri", "title", "description", "hierarchyCode", "lastChangeDateTime"}};
const spec grouping_spec{"CFAssociationGrouping",
                         {{"identifier", t::uuid},
                          {"uri", t::text},
                          {"title", t::text},
                          {"description", t::text},
                          {"lastChangeDateTime", t::date_time},
                          {"extensions", t::ext}},
                         {"identifier", "uri", "title", "lastChangeDateTime"}};
const spec definitions{"CFDefinitions",
                       {{"CFConcepts", t::nested},
                        {"CFSubjects", t::nested},
                        {"CFLicenses", t::nested},
                        {"CFItemTypes", t::nested},
                        {"CFAssociationGroupings", t::nested},
                        {"extensions", t::ext}},
                       {}};
const spec rubric{"CFRubric",
                  {{"identifier", t::uuid},
                   {"uri", t::text},
                   {"title", t::text},
                   {"description", t::text},
                   {"lastChangeDateTime", t::date_time},
                   {"CFRubricCriteria", t::nested},
                   {"extensions", t::ext}},
                  {"identifier", "uri", "lastChangeDateTime"}};
const spec criterion{"CFRubricCriterion",
                     {{"identifier", t::uuid},
                      {"uri", t::text},
                      {"category", t::text},
                      {"description", t::text},
                      {"CFItemURI", t::link},
                      {"weight", t::number},
                      {"position", t::integer},
                      {"rubricId", t::uuid},
                      {"lastChangeDateTime", t::date_time},
                      {"CFRubricCriterionLevels", t::nested},
                      {"extensions", t::ext}},
                     {"identifier", "uri", "lastChangeDateTime"}};
const spec level{"CFRubricCriterionLevel",
                 {{"identifier", t::uuid},
                  {"uri", t::text},
                  {"description", t::text},
                  {"quality", t::text},
                  {"score", t::number},
                  {"feedback", t::text},
                  {"position", t::integer},
                  {"rubricCriterionId", t::uuid},
                  {"lastChangeDateTime", t::date_time},
                  {"extensions", t::ext_list}},
                 {"identifier", "uri", "lastChangeDateTime"}};
const spec package{"CFPackage",
                   {{"CFDocument", t::nested},
                    {"CFItems", t::nested},
                    {"CFAssociations", t::nested},
                    {"CFDefinitions", t::nested},
                    {"CFRubrics", t::nested},
                    {"extensions", t::ext}},
                   {"CFDocument"}};

bool is_uuid(const std::string& s) {
  if (s.size() != 36) return false;
  for (std::size_t i = 0; i < 36; ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? s[i] != '-' : !std::isxdigit(static_cast<unsigned char>(s[i]))) return false;
  }
  return true;
}

bool has_zone(const std::string& s) {
  if (s.empty()) return false;
  const char last = s.back();
  if (last == 'Z' || last == 'z') return true;
  // ...+hh:mm or -hh:mm after the time
  return s.size() >= 6 && (s[s.size() - 6] == '+' || s[s.size() - 6] == '-') &&
         s[s.size() - 3] == ':' && s.find('T') != std::string::npos;
}

// RFC 3339 full-date and date-time (section 5.6), the forms the schema's formats name, with the
// same rules as the tests' checker (tests/python/case_schema.py): a real calendar day, hours
// 00-23, minutes 00-59, seconds 00-59 or a leap second 60 at 23:59 UTC (RFC 3339 5.7), the
// offset required. Written out rather than as a regex: a regex match costs microseconds, and a
// package has a timestamp per node.

// The digits s[at, at + width) as a number, or -1 if one is not a digit.
int digits(std::string_view s, std::size_t at, std::size_t width) {
  int v = 0;
  for (std::size_t d = at; d < at + width; ++d) {
    if (s[d] < '0' || s[d] > '9') return -1;
    v = v * 10 + (s[d] - '0');
  }
  return v;
}

// "YYYY-MM-DD" at the start of s, a day that exists (Gregorian, leap years included).
bool full_date(std::string_view s) {
  if (s.size() < 10 || s[4] != '-' || s[7] != '-') return false;
  const int year = digits(s, 0, 4), month = digits(s, 5, 2), day = digits(s, 8, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1) return false;
  static constexpr int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return day <= days[month - 1] + (month == 2 && leap ? 1 : 0);
}

bool is_date(std::string_view s) { return s.size() == 10 && full_date(s); }

bool is_date_time(std::string_view s) {
  if (s.size() < 20 || !full_date(s) || (s[10] != 'T' && s[10] != 't') || s[13] != ':' ||
      s[16] != ':')
    return false;
  const int hour = digits(s, 11, 2), minute = digits(s, 14, 2), second = digits(s, 17, 2);
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60) return false;
  std::size_t at = 19;
  if (at < s.size() && s[at] == '.') {  // fraction: one digit or more
    const std::size_t first = ++at;
    while (at < s.size() && s[at] >= '0' && s[at] <= '9') ++at;
    if (at == first) return false;
  }
  int offset = 0;  // minutes east of UTC
  if (s.size() == at + 1 && (s[at] == 'Z' || s[at] == 'z')) {
    offset = 0;
  } else if (s.size() == at + 6 && (s[at] == '+' || s[at] == '-') && s[at + 3] == ':') {
    const int oh = digits(s, at + 1, 2), om = digits(s, at + 4, 2);
    if (oh < 0 || oh > 23 || om < 0 || om > 59) return false;
    offset = (oh * 60 + om) * (s[at] == '+' ? 1 : -1);
  } else {
    return false;
  }
  if (second == 60)  // a leap second is inserted at the end of a UTC day
    return ((hour * 60 + minute - offset) % 1440 + 1440) % 1440 == 23 * 60 + 59;
  return true;
}

// "YYYY-MM-DDThh:mm:ssZ", the form nearly every timestamp has: the fast path's check.
bool is_plain_utc_date_time(std::string_view s) {
  return s.size() == 20 && s[10] == 'T' && s[19] == 'Z' && is_date_time(s);
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

// The CASE 1.1 association types (CFAssociationTypeExtEnum); others must be "ext:" types.
bool known_association_type(const std::string& type) {
  static const std::set<std::string> known{
      "isChildOf",   "isPeerOf",   "isPartOf", "exactMatchOf",  "precedes",
      "isRelatedTo", "replacedBy", "exemplar", "hasSkillLevel", "isTranslationOf"};
  if (known.count(type) != 0) return true;
  if (type.size() <= 4 || type.compare(0, 4, "ext:") != 0) return false;
  for (std::size_t i = 4; i < type.size(); ++i) {
    const char c = type[i];
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_') return false;
  }
  return true;
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

// --- the fast path -----------------------------------------------------------------------
// Most packages (every one masterymap writes, most state servers') are valid CASE 1.1 item by
// item: re-parsing and re-writing each node with nlohmann only to change nothing cost 95% of a
// strict export (measured). So each CFItem and CFAssociation is first checked, read-only, with
// simdjson's On-Demand parser. The check is conservative: "clean" only when the normaliser
// above would certainly leave the node as it is (every key a property of the class, each value
// of its type in its plain form, every required property present); anything else, even what
// the normaliser would keep, is "dirty". One dirty node sends the whole package down the
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

// The package with clean node lists: the skeleton normalised, the lists as they are; nullopt
// when a node is dirty (or the text is not what write_case writes).
std::optional<std::string> strict_fast(const std::string& text, const std::string& stamp,
                                       std::vector<std::string>& notes);

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

namespace {

std::optional<std::string> strict_fast(const std::string& text, const std::string& stamp,
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

}  // namespace

std::string strict_case(const std::string& text, const std::string& stamp,
                        std::vector<std::string>& notes) {
  if (auto fast = strict_fast(text, stamp, notes)) return std::move(*fast);
  return strict_case_slow(text, stamp, notes);
}

}  // namespace masterymap::io::detail
