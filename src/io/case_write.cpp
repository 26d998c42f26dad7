// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// CASE export: the kept JSON of what came from a package, generated nodes for the rest.
#include <fmt/format.h>
#include <simdjson.h>

#include <boost/uuid/name_generator_sha1.hpp>
#include <boost/uuid/nil_generator.hpp>
#include <boost/uuid/string_generator.hpp>
#include <boost/uuid/uuid_io.hpp>
#include <functional>
#include <masterymap/error.hpp>
#include <masterymap/io/case.hpp>
#include <nlohmann/json.hpp>
#include <unordered_set>

#include "../json_util.hpp"
#include "../parallel.hpp"
#include "case_detail.hpp"
#include "case_package.hpp"
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

// JSON text appended to one string. Strings are escaped per RFC 8259 section 7: only '"', '\\'
// and control characters need it, and UTF-8 passes through (the output is checked once). Not a
// JSON library's tree and dump: building one per node cost most of an export (measured: a 10,000
// competency framework took 225 ms through nlohmann::ordered_json, where the text is 20 MB).
class json_text {
 public:
  explicit json_text(std::string& out) : out_(out) {}
  // UTF-8 is checked once for the whole output (see utf8_culprit).
  void str(std::string_view s) {
    out_ += '"';
    std::size_t from = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
      const auto c = static_cast<unsigned char>(s[i]);
      if (c >= 0x20 && c != '"' && c != '\\') continue;
      out_.append(s, from, i - from);
      from = i + 1;
      switch (c) {
        case '"':
          out_ += "\\\"";
          break;
        case '\\':
          out_ += "\\\\";
          break;
        case '\n':
          out_ += "\\n";
          break;
        case '\r':
          out_ += "\\r";
          break;
        case '\t':
          out_ += "\\t";
          break;
        case '\b':
          out_ += "\\b";
          break;
        case '\f':
          out_ += "\\f";
          break;
        default:
          out_ += fmt::format("\\u{:04x}", c);
      }
    }
    out_.append(s, from, std::string_view::npos);
    out_ += '"';
  }
  // "key": (keys are the writer's own, plain ASCII)
  void key(std::string_view k) {
    out_ += '"';
    out_ += k;
    out_ += "\":";
  }
  void raw(std::string_view text) { out_ += text; }
  void put(char c) { out_ += c; }

 private:
  std::string& out_;
};

// What is not valid UTF-8 in a framework or the options, for the error (called only when the
// output failed the check): a competency or association field, or an option.
std::string utf8_culprit(const framework& f, const case_write_options& o) {
  const auto bad = [](const std::string& x) {
    return !simdjson::validate_utf8(x.data(), x.size());
  };
  const auto bad_map = [&](const std::map<std::string, std::string>& m) {
    return std::any_of(m.begin(), m.end(),
                       [&](const auto& kv) { return bad(kv.first) || bad(kv.second); });
  };
  if (bad(f.name())) return "the framework name";
  for (const competency& c : f.competencies())
    if (bad(c.id) || bad(c.title) || bad(c.description) || bad(c.domain) ||
        std::any_of(c.tags.begin(), c.tags.end(), bad) || bad_map(c.metadata))
      return fmt::format("competency '{}'", c.id);
  std::size_t k = 0;
  for (const association& a : f.associations()) {
    if (bad(a.type) || bad(a.origin) || bad(a.destination) || bad_map(a.metadata))
      return fmt::format("association {} ({})", k, a.type);
    ++k;
  }
  if (bad_map(f.metadata())) return "the framework metadata";
  if (bad(o.base_uri)) return "base_uri";
  if (bad(o.last_change_date_time)) return "last_change_date_time";
  if (bad(o.creator)) return "creator";
  return "a text";
}

// Whether `text` is one JSON object of `members` members whose CFItems and CFAssociations are
// arrays of `items` and `associations` objects (simdjson On-Demand: the nodes are skipped, not
// parsed; UTF-8 is checked on the way).
bool is_package(const std::string& text, std::size_t items, std::size_t associations,
                std::size_t members) {
  namespace od = simdjson::ondemand;
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
    return false;
  std::size_t seen = 0;
  for (auto field : top) {
    ++seen;
    std::string_view key;
    od::value v;
    if (field.unescaped_key().get(key) != simdjson::SUCCESS ||
        field.value().get(v) != simdjson::SUCCESS)
      return false;
    if (key != "CFItems" && key != "CFAssociations") continue;  // skipped by the parser
    od::array a;
    if (v.get_array().get(a) != simdjson::SUCCESS) return false;
    std::size_t n = 0;
    for (auto element : a) {
      od::json_type type{};
      if (element.type().get(type) != simdjson::SUCCESS || type != od::json_type::object)
        return false;
      ++n;
    }
    if (n != (key == "CFItems" ? items : associations)) return false;
  }
  const char* rest = nullptr;  // anything after the object is trailing content
  return seen == members && doc.current_location().get(rest) != simdjson::SUCCESS;
}

// The competency or association whose kept JSON (metadata case:json) is not one JSON object.
std::string kept_culprit(const framework& f) {
  const auto bad = [](const std::map<std::string, std::string>& m) {
    const auto* kept = find(m, case_keys::json);
    if (kept == nullptr) return false;
    const auto start = kept->find_first_not_of(" \t\r\n");
    return start == std::string::npos || (*kept)[start] != '{' || !nlohmann::json::accept(*kept);
  };
  for (const competency& c : f.competencies())
    if (bad(c.metadata))
      return fmt::format("competency '{}': its {} metadata is not one JSON object", c.id,
                         case_keys::json);
  std::size_t k = 0;
  for (const association& a : f.associations()) {
    if (bad(a.metadata))
      return fmt::format("association {} ({}): its {} metadata is not one JSON object", k, a.type,
                         case_keys::json);
    ++k;
  }
  return "the package written is not valid JSON";
}

struct writer {
  const framework& f;
  const case_write_options& o;
  std::string stamp;
  std::string doc_identifier, doc_uri, doc_title;
  std::unique_ptr<uuids> ids;
  // Per competency, computed once: its identifier and its node reference (LinkGenURI) as JSON.
  std::vector<std::string> identifier, node_json;
  std::vector<char> has_identifier;  // not vector<bool>: filled in parallel

  void prepare() {
    identifier.resize(f.size());
    has_identifier.resize(f.size(), false);
    node_json.resize(f.size());
  }
  // Computed on first use: a framework read from CASE and written back unchanged needs none.
  const std::string& identifier_of(index_t i) {
    if (!has_identifier[i]) {
      has_identifier[i] = true;
      const competency& c = f.at(i);
      const std::string* id = find(c.metadata, case_keys::identifier);
      identifier[i] = id != nullptr ? *id : (*ids)("item:" + c.id);
    }
    return identifier[i];
  }
  const std::string& node(index_t i) {
    if (node_json[i].empty()) {
      const competency& c = f.at(i);
      const std::string* uri = find(c.metadata, case_keys::uri);
      json_text j(node_json[i]);
      j.raw("{\"title\":");
      j.str(c.title.empty() ? c.id : c.title);
      j.raw(",\"identifier\":");
      j.str(identifier_of(i));
      j.raw(",\"uri\":");
      j.str(uri != nullptr ? *uri : o.base_uri + identifier_of(i));
      j.put('}');
    }
    return node_json[i];
  }
  // An end of an association: a competency, or an outside node named by its uri.
  void end(json_text& j, const std::string& e) {
    if (const auto i = f.find(e)) return j.raw(node(*i));
    j.raw("{\"title\":");
    j.str(e);
    j.raw(",\"identifier\":");
    j.str(e);
    j.raw(",\"uri\":");
    j.str(e);
    j.put('}');
  }

  void item(json_text& j, index_t i) {
    const competency& c = f.at(i);
    const std::string* uri = find(c.metadata, case_keys::uri);
    const std::string& full = !c.description.empty() ? c.description
                              : !c.title.empty()     ? c.title
                                                     : c.id;
    j.raw("{\"identifier\":");
    j.str(identifier_of(i));
    j.raw(",\"uri\":");
    j.str(uri != nullptr ? *uri : o.base_uri + identifier_of(i));
    j.raw(",\"fullStatement\":");
    j.str(full);
    if (!c.title.empty() && c.title != full) {
      j.raw(",\"abbreviatedStatement\":");
      j.str(c.title);
    }
    j.raw(",\"humanCodingScheme\":");
    j.str(c.id);
    if (!c.tags.empty()) {
      j.raw(",\"conceptKeywords\":[");
      for (std::size_t k = 0; k < c.tags.size(); ++k) {
        if (k > 0) j.put(',');
        j.str(c.tags[k]);
      }
      j.put(']');
    }
    if (c.level && *c.level >= -1 && *c.level <= 13) {
      j.raw(",\"educationLevel\":[\"");
      j.raw(education_code(*c.level));
      j.raw("\"]");
    }
    j.raw(",\"lastChangeDateTime\":");
    j.str(stamp);
    // What CASE cannot say, for parse_case to read back. fullStatement is never empty in CASE:
    // an empty title or description is said here. An empty domain or no level is said too, else
    // the reader would derive them from the hierarchy.
    j.raw(",\"extensions\":{\"masterymap\":{");
    if (c.title.empty()) j.raw("\"title\":\"\",");
    if (c.description.empty()) j.raw("\"description\":\"\",");
    j.key("domain");
    j.str(c.domain);
    j.raw(",\"level\":");
    j.raw(c.level ? std::to_string(*c.level) : std::string("null"));
    if (c.kind != competency_kind::academic) {
      j.raw(",\"kind\":");
      j.str(to_string(c.kind));
    }
    if (!c.metadata.empty()) {
      j.raw(",\"metadata\":");
      object(j, c.metadata);
    }
    j.raw("}}}");
  }

  static void object(json_text& j, const std::map<std::string, std::string>& m) {
    j.put('{');
    bool first = true;
    for (const auto& [k, v] : m) {
      if (!first) j.put(',');
      first = false;
      j.str(k);
      j.put(':');
      j.str(v);
    }
    j.put('}');
  }

  // An association up to (not including) its closing brace, so a caller may add extensions.
  void link(json_text& j, const std::string& type, const std::string& key,
            const std::function<void()>& origin, const std::function<void()>& destination,
            std::optional<long long> sequence) const {
    const std::string id = (*ids)(type + ":" + key);
    j.raw("{\"identifier\":\"");
    j.raw(id);
    j.raw("\",\"uri\":");
    j.str(o.base_uri + id);
    j.raw(",\"associationType\":");
    j.str(type);
    j.raw(",\"originNodeURI\":");
    origin();
    j.raw(",\"destinationNodeURI\":");
    destination();
    if (sequence) {
      j.raw(",\"sequenceNumber\":");
      j.raw(std::to_string(*sequence));
    }
    j.raw(",\"lastChangeDateTime\":");
    j.str(stamp);
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
           nullptr,
           {},
           {},
           {}};
  // The package's members other than the two lists, each as written (kept by read_case);
  // a framework not from CASE gets a 1.1 document of its own.
  std::vector<std::pair<std::string, std::string>> members;
  if (const auto* p = find(f.metadata(), case_keys::package))
    members = case_reader::members_of(*p);
  else
    members = {{"CFDocument", "{}"}, {"CFItems", "[]"}, {"CFAssociations", "[]"}};
  const auto member = [&](const char* key) -> std::string* {
    for (auto& [k, v] : members)
      if (k == key) return &v;
    return nullptr;
  };
  std::string* doc_text = member("CFDocument");
  if (doc_text == nullptr) doc_text = &members.emplace_back("CFDocument", "null").second;
  const ojson parsed_doc = ojson::parse(*doc_text);
  if (parsed_doc.empty()) {  // null or {}
    const std::string title = f.name().empty() ? "masterymap framework" : f.name();
    const std::string id = boost::uuids::to_string(boost::uuids::name_generator_sha1(
        boost::uuids::ns::url())(options.base_uri + "document:" + title));
    ojson document{
        {"identifier", id}, {"uri", options.base_uri + id},  {"creator", options.creator},
        {"title", title},   {"lastChangeDateTime", w.stamp}, {"caseVersion", "1.1"}};
    // The framework's own metadata, which CASE has no field for, read back by read_case.
    if (!f.metadata().empty())
      document["extensions"] = {{"masterymap", {{"metadata", f.metadata()}}}};
    *doc_text = document.dump();
  }
  const ojson doc = ojson::parse(*doc_text);
  const auto text_of = [&](const char* key) {
    const auto it = doc.find(key);
    return it != doc.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  w.doc_identifier = text_of("identifier");
  w.doc_uri = text_of("uri");
  w.doc_title = text_of("title");
  w.ids = std::make_unique<uuids>(w.doc_identifier);
  w.prepare();
  const std::string doc_node = ojson{
      {"title", w.doc_title.empty() ? "document" : w.doc_title},
      {"identifier", w.doc_identifier},
      {"uri", w.doc_uri}}.dump();

  // One output string, reserved once: the kept JSON plus an estimate for generated nodes, so
  // a 20 MB package is written without regrowing (each regrowth copies and faults in new pages).
  std::size_t reserve = 4096;
  bool no_kept_competency = false;
  for (const competency& c : f.competencies()) {
    const auto* kept = find(c.metadata, case_keys::json);
    reserve += kept != nullptr ? kept->size() + 1 : 1500;
    no_kept_competency = no_kept_competency || kept == nullptr;
  }
  for (const association& a : f.associations()) {
    const auto* kept = find(a.metadata, case_keys::json);
    reserve += kept != nullptr ? kept->size() + 1 : 1000;
  }
  // Generous: what is reserved and not written is never touched, so it costs no memory.
  reserve += 1000 * (f.hierarchy().size() + f.edge_count());
  std::string out;
  out.reserve(reserve);
  json_text j(out);

  // Elements [0, count) written by element(json_text&, k), comma-separated: on several threads
  // in contiguous blocks when there are many (generated nodes cost a SHA-1 each), each block
  // into its own string, then appended in order; the output does not depend on the threads.
  const unsigned threads = masterymap::detail::resolve_threads(options.threads);
  const auto elements = [&](std::size_t count, const auto& element) {
    const std::size_t blocks = count >= 4096 ? std::min<std::size_t>(threads, count / 2048) : 1;
    if (blocks <= 1) {
      for (std::size_t k = 0; k < count; ++k) {
        if (k > 0) j.put(',');
        element(j, k);
      }
      return;
    }
    std::vector<std::string> parts(blocks);
    const std::size_t per = (count + blocks - 1) / blocks;
    masterymap::detail::run_threads(static_cast<unsigned>(blocks), [&](unsigned t) {
      json_text part(parts[t]);
      parts[t].reserve(reserve / blocks / 2);
      for (std::size_t k = t * per; k < std::min(count, (t + 1) * per); ++k) {
        if (k > t * per) part.put(',');
        element(part, k);
      }
    });
    for (std::size_t t = 0; t < blocks; ++t) {
      if (t > 0 && !parts[t].empty()) j.put(',');
      j.raw(parts[t]);
    }
  };

  // Associations: the kept ones in order; then isChildOf and precedes for the hierarchy links
  // and prerequisites no kept association carries (and isChildOf-the-document for top-level
  // competencies), then the other associations not from CASE. Links are keyed by index pair.
  const auto pair_key = [](index_t x, index_t y) {
    return (static_cast<std::uint64_t>(x) << 32) | static_cast<std::uint64_t>(y);
  };
  std::unordered_set<std::uint64_t> child_links, precedes_links;
  std::vector<bool> under_document(f.size(), false);
  std::vector<const std::string*> kept_associations;
  for (const association& a : f.associations()) {
    const auto* kept = find(a.metadata, case_keys::json);
    if (kept == nullptr) continue;
    kept_associations.push_back(kept);
    const bool child = a.type == "isChildOf";
    if (!child && a.type != "precedes") continue;
    const auto origin = f.find(a.origin);
    if (!origin) continue;
    const auto destination = f.find(a.destination);
    if (child && !destination)
      under_document[*origin] = true;
    else if (child)
      child_links.insert(pair_key(*destination, *origin));
    else if (destination)
      precedes_links.insert(pair_key(*origin, *destination));
  }
  // The generated associations, in order: what each is about.
  struct job {
    enum : std::uint8_t { child, top, edge, other } kind;
    index_t a = 0, b = 0;    // child: child, parent; top: the competency
    long long sequence = 0;  // child, top
    std::size_t k = 0;       // edge: its index; other: its association's index
  };
  std::vector<job> jobs;
  {
    std::vector<long long> position(f.size(), 0);  // among its parent's children, 1-based
    std::vector<bool> has_parent(f.size(), false);
    for (const auto& [p, c] : f.hierarchy()) {
      has_parent[c] = true;
      const long long seq = ++position[p];
      if (child_links.count(pair_key(p, c)) == 0) jobs.push_back({job::child, c, p, seq, 0});
    }
    long long top = 0;
    for (index_t i = 0; i < f.size(); ++i) {
      if (has_parent[i]) continue;
      ++top;
      if (!under_document[i] && find(f.at(i).metadata, case_keys::json) == nullptr)
        jobs.push_back({job::top, i, 0, top, 0});
    }
    for (std::size_t k = 0; k < f.edges().size(); ++k) {
      const prerequisite_edge& e = f.edges()[k];
      if (precedes_links.count(pair_key(e.prerequisite, e.dependent)) == 0)
        jobs.push_back({job::edge, 0, 0, 0, k});
    }
    for (std::size_t k = 0; k < f.associations().size(); ++k)
      if (find(f.associations()[k].metadata, case_keys::json) == nullptr)
        jobs.push_back({job::other, 0, 0, 0, k});
  }
  const bool any_association = !kept_associations.empty() || !jobs.empty();
  // Identifiers and node references of every competency, computed up front (in parallel) when
  // anything is generated, so the writing threads only read them.
  if (no_kept_competency || !jobs.empty())
    masterymap::detail::parallel_for(f.size(), options.threads, 1024,
                                     [&](std::size_t b, std::size_t e) {
                                       for (std::size_t i = b; i < e; ++i)
                                         (void)w.node(static_cast<index_t>(i));
                                     });

  const auto write_items = [&] {
    j.put('[');
    elements(f.size(), [&](json_text& out_j, std::size_t i) {
      if (const auto* kept = find(f.at(static_cast<index_t>(i)).metadata, case_keys::json))
        out_j.raw(*kept);
      else
        w.item(out_j, static_cast<index_t>(i));
    });
    j.put(']');
  };
  const auto write_job = [&](json_text& o, const job& x) {
    switch (x.kind) {
      case job::child:
        w.link(
            o, "isChildOf", f.id_of(x.a) + "\n" + f.id_of(x.b), [&] { o.raw(w.node(x.a)); },
            [&] { o.raw(w.node(x.b)); }, x.sequence);
        o.put('}');
        break;
      case job::top:
        w.link(
            o, "isChildOf", f.id_of(x.a) + "\n", [&] { o.raw(w.node(x.a)); },
            [&] { o.raw(doc_node); }, x.sequence);
        o.put('}');
        break;
      case job::edge: {
        const prerequisite_edge& e = f.edges()[x.k];
        w.link(
            o, "precedes", f.id_of(e.prerequisite) + "\n" + f.id_of(e.dependent),
            [&] { o.raw(w.node(e.prerequisite)); }, [&] { o.raw(w.node(e.dependent)); },
            std::nullopt);
        o.raw(",\"extensions\":{\"masterymap\":{\"strength\":");
        o.str(to_string(e.strength));
        if (e.min_level) {
          o.raw(",\"min_level\":");
          o.raw(ojson(*e.min_level).dump());  // nlohmann's shortest round-trip form
        }
        o.raw("}}}");
        break;
      }
      case job::other: {
        const association& a = f.associations()[x.k];
        w.link(
            o, a.type, fmt::format("{}\n{}\n{}", a.origin, a.destination, x.k + 1),
            [&] { w.end(o, a.origin); }, [&] { w.end(o, a.destination); }, std::nullopt);
        if (!a.metadata.empty()) {
          o.raw(",\"extensions\":{\"masterymap\":{\"metadata\":");
          writer::object(o, a.metadata);
          o.raw("}}");
        }
        o.put('}');
        break;
      }
    }
  };
  const auto write_associations = [&] {
    j.put('[');
    for (std::size_t k = 0; k < kept_associations.size(); ++k) {
      if (k > 0) j.put(',');
      j.raw(*kept_associations[k]);
    }
    if (!kept_associations.empty() && !jobs.empty()) j.put(',');
    elements(jobs.size(), [&](json_text& o, std::size_t k) { write_job(o, jobs[k]); });
    j.put(']');
  };

  if (member("CFItems") == nullptr && f.size() > 0) members.emplace_back("CFItems", "[]");
  if (member("CFAssociations") == nullptr && any_association)
    members.emplace_back("CFAssociations", "[]");
  // The package, members in their order, with the two lists written in place.
  j.put('{');
  bool first_key = true;
  for (const auto& [key, value] : members) {
    if (!first_key) j.put(',');
    first_key = false;
    j.raw(ojson(key).dump());
    j.put(':');
    if (key == "CFItems")
      write_items();
    else if (key == "CFAssociations")
      write_associations();
    else
      j.raw(value);
  }
  j.put('}');
  // The kept JSON is metadata anyone may set: the output is checked to be one package (valid
  // JSON and UTF-8, each list holding exactly the nodes written), so no metadata can make it
  // malformed or add members to it.
  if (!is_package(out, f.size(), kept_associations.size() + jobs.size(), members.size())) {
    if (!simdjson::validate_utf8(out.data(), out.size()))
      throw error(fmt::format("CASE export: {} is not valid UTF-8", utf8_culprit(f, options)));
    throw error(fmt::format("CASE export: {}", kept_culprit(f)));
  }
  if (!options.strict) return out;
  std::vector<std::string> notes;
  std::string strict = detail::strict_case(out, w.stamp, notes);
  if (normalisations != nullptr) *normalisations = std::move(notes);
  return strict;
}

}  // namespace masterymap::io
