// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// CASE export: the kept JSON of what came from a package, generated nodes for the rest.
#include <fmt/format.h>

#include <boost/uuid/name_generator_sha1.hpp>
#include <boost/uuid/nil_generator.hpp>
#include <boost/uuid/string_generator.hpp>
#include <boost/uuid/uuid_io.hpp>
#include <masterymap/io/case.hpp>
#include <nlohmann/json.hpp>
#include <set>
#include <unordered_map>

#include "../json_util.hpp"
#include "case_detail.hpp"
#include "case_strict.hpp"

namespace masterymap::io {

namespace {

using ojson = nlohmann::ordered_json;

const std::string* find(const std::map<std::string, std::string>& m, const char* key) {
  auto it = m.find(key);
  return it == m.end() ? nullptr : &it->second;
}

// Name-based UUIDs (RFC 4122 version 5, SHA-1) under the document's identifier, so a node's
// identifier depends on the document and the node's id only.
class uuids {
 public:
  explicit uuids(const std::string& document) {
    boost::uuids::uuid ns = boost::uuids::nil_uuid();
    try {
      ns = boost::uuids::string_generator()(document);
    } catch (const std::runtime_error&) {  // not a UUID (some 1.0 documents): name it
      ns = boost::uuids::name_generator_sha1(boost::uuids::ns::url())(document);
    }
    gen_ = std::make_unique<boost::uuids::name_generator_sha1>(ns);
  }
  std::string operator()(const std::string& name) const {
    return boost::uuids::to_string((*gen_)(name));
  }

 private:
  std::unique_ptr<boost::uuids::name_generator_sha1> gen_;
};

std::string education_code(int level) {
  if (level == -1) return "PK";
  if (level == 0) return "KG";
  return fmt::format("{:02d}", level);
}

struct writer {
  const framework& f;
  const case_write_options& o;
  std::string stamp;
  std::string doc_identifier, doc_uri, doc_title;
  std::unique_ptr<uuids> ids;

  std::string identifier_of(index_t i) const {
    const auto& c = f.at(i);
    if (const auto* x = find(c.metadata, case_keys::identifier)) return *x;
    return (*ids)("item:" + c.id);
  }
  std::string uri_of(index_t i) const {
    const auto& c = f.at(i);
    if (const auto* x = find(c.metadata, case_keys::uri)) return *x;
    return o.base_uri + identifier_of(i);
  }
  ojson node(index_t i) const {
    const auto& c = f.at(i);
    return {{"title", c.title.empty() ? c.id : c.title},
            {"identifier", identifier_of(i)},
            {"uri", uri_of(i)}};
  }
  // An end of an association: a competency, or an outside node named by its uri.
  ojson end(const std::string& e) const {
    if (const auto i = f.find(e)) return node(*i);
    return {{"title", e}, {"identifier", e}, {"uri", e}};
  }

  ojson item(index_t i) const {
    const competency& c = f.at(i);
    ojson j;
    j["identifier"] = identifier_of(i);
    j["uri"] = uri_of(i);
    j["fullStatement"] = !c.description.empty() ? c.description : !c.title.empty() ? c.title : c.id;
    if (!c.title.empty() && c.title != j["fullStatement"].get<std::string>())
      j["abbreviatedStatement"] = c.title;
    j["humanCodingScheme"] = c.id;
    if (!c.tags.empty()) j["conceptKeywords"] = c.tags;
    if (c.level && *c.level >= -1 && *c.level <= 13)
      j["educationLevel"] = ojson::array({education_code(*c.level)});
    j["lastChangeDateTime"] = stamp;
    // What CASE cannot say, for parse_case to read back.
    ojson mm;
    // fullStatement is never empty in CASE: an empty title or description is said here.
    if (c.title.empty()) mm["title"] = "";
    if (c.description.empty()) mm["description"] = "";
    // Always: an empty domain or no level is said too, else the reader would derive them from
    // the hierarchy.
    mm["domain"] = c.domain;
    mm["level"] = c.level ? ojson(*c.level) : ojson(nullptr);
    if (c.kind != competency_kind::academic) mm["kind"] = to_string(c.kind);
    if (!c.metadata.empty()) mm["metadata"] = c.metadata;
    j["extensions"] = {{"masterymap", std::move(mm)}};
    return j;
  }

  ojson link(const std::string& type, const std::string& key, ojson origin, ojson destination,
             std::optional<long long> sequence) const {
    ojson j;
    j["identifier"] = (*ids)(type + ":" + key);
    j["uri"] = o.base_uri + j["identifier"].get<std::string>();
    j["associationType"] = type;
    j["originNodeURI"] = std::move(origin);
    j["destinationNodeURI"] = std::move(destination);
    if (sequence) j["sequenceNumber"] = *sequence;
    j["lastChangeDateTime"] = stamp;
    return j;
  }
};

}  // namespace

std::string write_case(const framework& f, const case_write_options& options,
                       std::vector<std::string>* normalisations) {
  writer w{f,
           options,
           options.last_change_date_time.empty() ? "1970-01-01T00:00:00Z"
                                                 : options.last_change_date_time,
           {},
           {},
           {},
           nullptr};
  ojson skeleton;
  if (const auto* p = find(f.metadata(), case_keys::package)) {
    skeleton = ojson::parse(*p);
  } else {
    skeleton["CFDocument"] = ojson::object();
    skeleton["CFItems"] = ojson::array();
    skeleton["CFAssociations"] = ojson::array();
  }
  ojson& doc = skeleton["CFDocument"];
  if (doc.empty()) {  // a framework not from CASE: a 1.1 document of its own
    const std::string title = f.name().empty() ? "masterymap framework" : f.name();
    const std::string id = boost::uuids::to_string(boost::uuids::name_generator_sha1(
        boost::uuids::ns::url())(options.base_uri + "document:" + title));
    doc["identifier"] = id;
    doc["uri"] = options.base_uri + id;
    doc["creator"] = options.creator;
    doc["title"] = title;
    doc["lastChangeDateTime"] = w.stamp;
    doc["caseVersion"] = "1.1";
  }
  w.doc_identifier = doc.value("identifier", std::string());
  w.doc_uri = doc.value("uri", std::string());
  w.doc_title = doc.value("title", std::string());
  w.ids = std::make_unique<uuids>(w.doc_identifier);
  const ojson doc_node = {{"title", w.doc_title.empty() ? "document" : w.doc_title},
                          {"identifier", w.doc_identifier},
                          {"uri", w.doc_uri}};

  // Items: kept JSON as read, else generated.
  std::string items = "[";
  for (index_t i = 0; i < f.size(); ++i) {
    if (i > 0) items += ',';
    if (const auto* kept = find(f.at(i).metadata, case_keys::json))
      items += *kept;
    else
      items += w.item(i).dump();
  }
  items += ']';

  // Associations: the kept ones in order; then isChildOf and precedes for the hierarchy links
  // and prerequisites no kept association carries (and isChildOf-the-document for top-level
  // competencies), then the other associations not from CASE.
  std::set<std::pair<std::string, std::string>> child_links, precedes_links;
  std::set<std::string> under_document;
  std::string assocs = "[";
  bool first = true;
  const auto put = [&](const std::string& text) {
    if (!first) assocs += ',';
    first = false;
    assocs += text;
  };
  for (const association& a : f.associations()) {
    const auto* kept = find(a.metadata, case_keys::json);
    if (kept == nullptr) continue;
    put(*kept);
    if (a.type == "isChildOf") {
      if (f.contains(a.destination))
        child_links.emplace(a.destination, a.origin);
      else
        under_document.insert(a.origin);
    } else if (a.type == "precedes") {
      precedes_links.emplace(a.origin, a.destination);
    }
  }
  std::unordered_map<index_t, long long> position;  // among its parent's children, 1-based
  for (const auto& [p, c] : f.hierarchy()) {
    const long long seq = ++position[p];
    if (child_links.count({f.id_of(p), f.id_of(c)}) != 0) continue;
    put(w.link("isChildOf", f.id_of(c) + "\n" + f.id_of(p), w.node(c), w.node(p), seq).dump());
  }
  long long top = 0;
  for (index_t i = 0; i < f.size(); ++i) {
    if (!f.parents(i).empty()) continue;
    ++top;
    if (under_document.count(f.id_of(i)) != 0 || find(f.at(i).metadata, case_keys::json)) continue;
    put(w.link("isChildOf", f.id_of(i) + "\n", w.node(i), doc_node, top).dump());
  }
  for (const prerequisite_edge& e : f.edges()) {
    const std::string& from = f.id_of(e.prerequisite);
    const std::string& to = f.id_of(e.dependent);
    if (precedes_links.count({from, to}) != 0) continue;
    ojson j = w.link("precedes", from + "\n" + to, w.node(e.prerequisite), w.node(e.dependent),
                     std::nullopt);
    ojson mm{{"strength", to_string(e.strength)}};
    if (e.min_level) mm["min_level"] = *e.min_level;
    j["extensions"] = {{"masterymap", std::move(mm)}};
    put(j.dump());
  }
  std::size_t k = 0;
  for (const association& a : f.associations()) {
    ++k;
    if (find(a.metadata, case_keys::json) != nullptr) continue;
    ojson j = w.link(a.type, fmt::format("{}\n{}\n{}", a.origin, a.destination, k), w.end(a.origin),
                     w.end(a.destination), std::nullopt);
    if (!a.metadata.empty()) j["extensions"] = {{"masterymap", {{"metadata", a.metadata}}}};
    put(j.dump());
  }
  assocs += ']';

  if (!skeleton.contains("CFItems") && f.size() > 0) skeleton["CFItems"] = ojson::array();
  if (!skeleton.contains("CFAssociations") && !first) skeleton["CFAssociations"] = ojson::array();
  // The package, keys in their order, with the two lists spliced in.
  std::string out = "{";
  bool first_key = true;
  for (const auto& [key, value] : skeleton.items()) {
    if (!first_key) out += ',';
    first_key = false;
    out += ojson(key).dump();
    out += ':';
    if (key == "CFItems")
      out += items;
    else if (key == "CFAssociations")
      out += assocs;
    else
      out += value.dump();
  }
  out += '}';
  if (!options.strict) return out;
  std::vector<std::string> notes;
  std::string strict = detail::strict_case(out, w.stamp, notes);
  if (normalisations != nullptr) *normalisations = std::move(notes);
  return strict;
}

}  // namespace masterymap::io
