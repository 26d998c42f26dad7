// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// Strict CASE 1.1: a package normalised until it validates against the official CFPackage
// schema (1EdTech, case_v1p1_cfpackage-jsonschema1.json, draft 2019-09), each change reported.
// The tables below are that schema's classes: their properties, the type each must have, and
// the required ones.
#include "case_strict.hpp"

#include <fmt/format.h>

#include <boost/uuid/name_generator_sha1.hpp>
#include <boost/uuid/uuid_io.hpp>
#include <cctype>
#include <charconv>
#include <nlohmann/json.hpp>
#include <regex>
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
  ext,       // extensions (kept as they are)
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
                  {"extensions", t::ext}},
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

// RFC 3339 full-date and date-time (section 5.6), the forms the schema's formats name.
bool is_date(const std::string& s) {
  static const std::regex re(R"(\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01]))");
  return std::regex_match(s, re);
}
bool is_date_time(const std::string& s) {
  static const std::regex re(
      R"(\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])[Tt]([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?([Zz]|[+-]([01]\d|2[0-3]):[0-5]\d))");
  return std::regex_match(s, re);
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
    std::vector<std::string> keys;
    for (const auto& [k, v] : j.items()) keys.push_back(k);
    for (const std::string& k : keys) {
      const field* f = find(s, k);
      const std::string at = path + "/" + k;
      if (f == nullptr) {
        if (s.has_extensions) {
          ojson& ext = j["extensions"];
          if (ext.is_null()) ext = ojson::object();
          if (ext.is_object())
            ext[k] = j[k];
          else if (ext.is_array())
            ext.push_back({{k, j[k]}});
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
      j["associationType"] = type;
      note(path + "/associationType",
           fmt::format("'{}' is not a CASE 1.1 association type; written as the extension type "
                       "'{}'",
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
  // A value no rule can make valid: kept in the object's extensions (dropped where there are
  // none); a required timestamp is then the export's.
  void set_aside(ojson& j, const spec& s, const std::string& k, t type, const std::string& at) {
    const std::string text = j[k].dump();
    if (s.has_extensions) {
      ojson& ext = j["extensions"];
      if (ext.is_null()) ext = ojson::object();
      if (ext.is_object())
        ext[k] = j[k];
      else if (ext.is_array())
        ext.push_back({{k, j[k]}});
    }
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
      case t::nested:
        break;
    }
  }

  std::vector<std::string>& notes_;
  std::string stamp_;
  std::set<std::string> bad_ids_;
};

}  // namespace

std::string strict_case(const std::string& text, const std::string& stamp,
                        std::vector<std::string>& notes) {
  ojson p = ojson::parse(text);
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

}  // namespace masterymap::io::detail
