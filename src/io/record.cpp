// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// The portable learner record: io::export_record and io::read_record (format in
// include/masterymap/io/record.hpp).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <masterymap/io/record.hpp>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <unordered_map>
#include <utility>

#include "../json_util.hpp"
#include "record_credential.hpp"
#include "sha256.hpp"

namespace masterymap::io {

namespace {

using ojson = nlohmann::ordered_json;
using nlohmann::json;

constexpr const char* record_type = "masterymap.learner_record";
// Version 2: version 1, and an evidence row may have a `timestamp` (its time as the statement
// wrote it); written only by a record that has one (one without writes version 1, as before,
// so older readers still load it).
constexpr int record_version = 2;
constexpr int without_timestamps = 1;

// --- numbers -------------------------------------------------------------------------------

/// A stored 32-bit value (score, weight) as the double whose shortest decimal is the float's
/// own shortest decimal ("0.85", not "0.8500000238418579"), when that reads back as the same
/// float; else the float's exact value.
double float_value(float f) {
  if (!std::isfinite(f)) return static_cast<double>(f);
  const std::string text = fmt::format("{}", f);
  const double d = std::strtod(text.c_str(), nullptr);
  return static_cast<float>(d) == f ? d : static_cast<double>(f);
}

ojson optional_number(const std::optional<double>& v) {
  if (!v || std::isnan(*v)) return nullptr;
  return *v;
}

// --- the framework reference ---------------------------------------------------------------

ojson framework_reference(const framework& fw) {
  ojson ref = ojson::object();
  ref["name"] = fw.name();
  ref["sha256"] = detail::sha256_hex(fw.to_json(-1));
  const auto it = fw.metadata().find("case:package");
  if (it != fw.metadata().end()) {
    ojson doc = ojson::object();
    try {
      const auto package = json::parse(it->second);
      const auto d = package.find("CFDocument");
      if (d != package.end() && d->is_object())
        for (const char* key : {"identifier", "uri", "version", "title", "lastChangeDateTime"}) {
          const auto f = d->find(key);
          if (f != d->end() && f->is_string()) doc[key] = f->get<std::string>();
        }
    } catch (const json::exception&) {
    }
    if (!doc.empty()) ref["case"] = std::move(doc);
  }
  return ref;
}

/// Whether the record's framework reference names `fw`: the same SHA-256, or the same CASE
/// document edition (identifier, uri, version and lastChangeDateTime as far as both have them,
/// at least the identifier or uri).
bool same_framework(const json& ref, const framework& fw) {
  const ojson mine = framework_reference(fw);
  const auto h = ref.find("sha256");
  if (h != ref.end() && h->is_string() && *h == mine["sha256"].get<std::string>()) return true;
  const auto c = ref.find("case");
  if (c == ref.end() || !c->is_object() || !mine.contains("case")) return false;
  const ojson& doc = mine["case"];
  bool anchored = false;
  for (const char* key : {"identifier", "uri", "version", "lastChangeDateTime"}) {
    const auto a = c->find(key);
    const bool has_b = doc.contains(key);
    if (a == c->end() && !has_b) continue;
    if (a == c->end() || !has_b || !a->is_string() || a->get<std::string>() != doc[key])
      return false;
    if (std::string_view(key) == "identifier" || std::string_view(key) == "uri") anchored = true;
  }
  return anchored;
}

std::string describe(const json& ref) {
  std::string out =
      "'" +
      (ref.contains("name") && ref["name"].is_string() ? ref["name"].get<std::string>()
                                                       : std::string("?")) +
      "'";
  const auto c = ref.find("case");
  if (c != ref.end() && c->is_object()) {
    if (c->contains("uri") && (*c)["uri"].is_string())
      out += " (CASE " + (*c)["uri"].get<std::string>();
    else
      out += " (CASE";
    if (c->contains("version") && (*c)["version"].is_string())
      out += ", version " + (*c)["version"].get<std::string>();
    out += ")";
  } else if (ref.contains("sha256") && ref["sha256"].is_string()) {
    out += " (sha256 " + ref["sha256"].get<std::string>().substr(0, 12) + "...)";
  }
  return out;
}

// --- rows and explanations -------------------------------------------------------------------

/// The learner's rows of the log, ascending.
std::vector<std::uint32_t> learner_rows(const evidence_log& log, std::string_view learner) {
  std::vector<std::uint32_t> rows;
  const auto code = log.learner_code(learner);
  if (!code) return rows;
  const auto& codes = log.learner_codes();
  for (std::size_t r = 0; r < log.size(); ++r)
    if (codes[r] == *code) rows.push_back(static_cast<std::uint32_t>(r));
  return rows;
}

/// Log rows as record rows (positions among the learner's rows).
struct row_map {
  const std::vector<std::uint32_t>& rows;
  [[nodiscard]] std::optional<std::size_t> operator()(std::size_t row) const {
    const auto it = std::lower_bound(rows.begin(), rows.end(), row);
    if (it == rows.end() || *it != row) return std::nullopt;
    return static_cast<std::size_t>(it - rows.begin());
  }
};

/// `s` with every "(row N" (N digits, then ',' or ')') that names a row of the learner made
/// "(row <record row>".
std::string rewrite_rows(const std::string& s, const row_map& map) {
  std::string out;
  std::size_t at = 0;
  static constexpr std::string_view tag = "(row ";
  while (true) {
    const std::size_t p = s.find(tag, at);
    if (p == std::string::npos) break;
    std::size_t q = p + tag.size();
    std::size_t n = 0;
    bool digits = false;
    while (q < s.size() && s[q] >= '0' && s[q] <= '9') {
      n = n * 10 + static_cast<std::size_t>(s[q] - '0');
      ++q;
      digits = true;
    }
    out.append(s, at, p + tag.size() - at);
    at = p + tag.size();
    if (!digits || q >= s.size() || (s[q] != ',' && s[q] != ')')) continue;
    const auto m = map(n);
    if (!m) continue;
    out += std::to_string(*m);
    at = q;
  }
  out.append(s, at, std::string::npos);
  return out;
}

bool is_placement_note(const std::string& note) {
  return note.rfind("placed at level ", 0) == 0 || note.rfind("placement on ", 0) == 0;
}

/// The explanation in record form (rows as record rows, in the structure, the notes and the
/// text).
ojson explanation_json(const explanation& ex, const row_map& map) {
  ojson j = ojson::object();
  j["decided_by"] = ex.decided_by;
  j["rule"] = ex.rule;
  j["rule_scope"] = ex.rule_scope;
  j["method"] = ex.method;
  j["value"] = optional_number(ex.value);
  j["threshold"] = ex.threshold;
  j["exceeds"] = optional_number(ex.exceeds);
  j["as_of"] = ex.as_of;
  std::string text = ex.text;
  // The evidence lines, in order: each ends " (row N)", then ": ignored, <reason>" if ignored.
  std::size_t cursor = text.find("\n  evidence (");
  ojson evidence = ojson::array();
  for (const auto& x : ex.evidence) {
    const auto m = map(x.row);
    const std::size_t row = m ? *m : x.row;
    evidence.push_back(ojson{{"row", row}, {"used", x.used}, {"reason", x.reason}});
    if (cursor == std::string::npos || !m) continue;
    const std::string tail = (x.used ? std::string() : ": ignored, " + x.reason) + "\n";
    const std::string from = fmt::format(" (row {})", x.row) + tail;
    const std::size_t p = text.find(from, cursor);
    if (p == std::string::npos) continue;
    const std::string to = fmt::format(" (row {})", row) + tail;
    text.replace(p, from.size(), to);
    cursor = p + to.size();
  }
  j["evidence"] = std::move(evidence);
  j["unmet"] = ex.unmet;
  // The notes, and the text's last lines, which are the notes.
  std::string old_block, new_block;
  ojson notes = ojson::array();
  for (const auto& n : ex.notes) {
    const std::string m = is_placement_note(n) ? rewrite_rows(n, map) : n;
    old_block += "  note: " + n + "\n";
    new_block += "  note: " + m + "\n";
    notes.push_back(m);
  }
  if (text.size() >= old_block.size() &&
      text.compare(text.size() - old_block.size(), old_block.size(), old_block) == 0)
    text.replace(text.size() - old_block.size(), old_block.size(), new_block);
  j["notes"] = std::move(notes);
  j["rollup"] = ex.rollup;
  ojson children = ojson::array();
  for (const auto& c : ex.children)
    children.push_back(ojson{{"id", c.id},
                             {"status", to_string(c.status)},
                             {"score", optional_number(c.score)},
                             {"done", c.done}});
  j["children"] = std::move(children);
  j["inferred_from"] = ex.inferred_from;
  j["text"] = std::move(text);
  return j;
}

/// The "ratings" of a learner's state (see the format).
ojson ratings_json(const learner_state& st, const evidence_log& log,
                   const std::vector<std::uint32_t>& rows) {
  const row_map map{rows};
  const framework& fw = st.framework();
  ojson out = ojson::array();
  for (index_t i = 0; i < fw.size(); ++i) {
    if (st.status(i) == status::not_started && st.evidence_count(i) == 0) continue;
    ojson r = ojson::object();
    r["competency"] = fw.id_of(i);
    r["status"] = to_string(st.status(i));
    r["score"] = optional_number(st.score(i));
    const auto label = st.rating(i);
    r["rating"] = label ? ojson(*label) : ojson(nullptr);
    r["explanation"] = explanation_json(st.explain(i, log), map);
    out.push_back(std::move(r));
  }
  return out;
}

learner_state state_at(const roster& r, std::string_view learner, std::optional<double> as_of) {
  if (!as_of) return r.learner(learner);
  evaluate_options o;
  o.as_of = as_of;
  o.probabilities = r.options().probabilities;
  o.threads = 1;
  return r.engine().evaluate(r.log(), learner, o);
}

std::string dump(const ojson& j, int indent) {
  try {
    return j.dump(indent);
  } catch (const nlohmann::json::type_error& e) {
    throw std::invalid_argument(std::string("export_record: a text is not valid UTF-8 (") +
                                e.what() + ")");
  }
}

// --- reading -------------------------------------------------------------------------------

[[noreturn]] void fail(const std::string& path, const std::string& what) {
  throw parse_error("learner record: " + path + ": " + what, 0, 0);
}

const json& member(const json& obj, const std::string& path, const char* key) {
  const auto it = obj.find(key);
  if (it == obj.end()) fail(path + "/" + key, "missing");
  return *it;
}

std::string string_of(const json& obj, const std::string& path, const char* key) {
  const json& v = member(obj, path, key);
  if (!v.is_string()) fail(path + "/" + key, "expected a string");
  return v.get<std::string>();
}

double number_of(const json& obj, const std::string& path, const char* key) {
  const json& v = member(obj, path, key);
  if (!v.is_number()) fail(path + "/" + key, "expected a number");
  return v.get<double>();
}

const json& array_of(const json& obj, const std::string& path, const char* key) {
  const json& v = member(obj, path, key);
  if (!v.is_array()) fail(path + "/" + key, "expected an array");
  return v;
}

const json& object_of(const json& obj, const std::string& path, const char* key) {
  const json& v = member(obj, path, key);
  if (!v.is_object()) fail(path + "/" + key, "expected an object");
  return v;
}

struct parsed_record {
  std::string learner;
  json framework_ref;
  std::string policy_text;
  double as_of = 0.0;
  std::vector<evidence> rows;
  std::vector<retraction> voided;
  json ratings;
  std::string credential;
  json credential_doc;  ///< the credential part (null when none)
};

parsed_record parse(std::string_view text) {
  const json doc = masterymap::detail::parse_json(text, "learner record");
  if (!doc.is_object()) fail("/", "expected a JSON object (a learner record)");
  const auto type = doc.find("type");
  if (type == doc.end() || !type->is_string() || *type != record_type)
    fail("/type", std::string("not a learner record (expected \"") + record_type + "\")");
  const json& version = member(doc, "", "version");
  if (!version.is_number_integer() || version.get<long long>() < without_timestamps ||
      version.get<long long>() > record_version)
    fail("/version", "unsupported record version " + version.dump() +
                         " (this library reads versions " + std::to_string(without_timestamps) +
                         " to " + std::to_string(record_version) + ")");
  const bool timestamps = version.get<long long>() >= 2;
  parsed_record p;
  p.learner = string_of(doc, "", "learner");
  if (p.learner.empty()) fail("/learner", "empty learner id");
  p.framework_ref = object_of(doc, "", "framework");
  p.policy_text = object_of(doc, "", "policy").dump();
  p.as_of = number_of(doc, "", "as_of");
  const json& ev = array_of(doc, "", "evidence");
  p.rows.reserve(ev.size());
  for (std::size_t i = 0; i < ev.size(); ++i) {
    const std::string path = "/evidence/" + std::to_string(i);
    const json& e = ev[i];
    if (!e.is_object()) fail(path, "expected an object");
    evidence row;
    row.learner = p.learner;
    row.competency = string_of(e, path, "competency");
    row.time = number_of(e, path, "time");
    row.score = number_of(e, path, "score");
    row.kind = string_of(e, path, "kind");
    row.weight = number_of(e, path, "weight");
    row.source = string_of(e, path, "source");
    if (timestamps && e.contains("timestamp")) {
      row.timestamp = string_of(e, path, "timestamp");
      if (row.timestamp.empty())
        fail(path + "/timestamp", "empty timestamp text (a row without one has no timestamp)");
    }
    p.rows.push_back(std::move(row));
  }
  const json& voided = array_of(doc, "", "voided");
  for (std::size_t i = 0; i < voided.size(); ++i) {
    const std::string path = "/voided/" + std::to_string(i);
    if (!voided[i].is_object()) fail(path, "expected an object");
    retraction x{string_of(voided[i], path, "source"), string_of(voided[i], path, "by")};
    if (x.source.empty()) fail(path + "/source", "empty source (only a source can be retracted)");
    // A record retracts only its own evidence: a source no row of the record has would retract
    // another learner's evidence in the importing roster.
    if (std::none_of(p.rows.begin(), p.rows.end(),
                     [&](const evidence& e) { return e.source == x.source; }))
      fail(path + "/source",
           "'" + x.source + "' is not the source of any of the record's evidence");
    p.voided.push_back(std::move(x));
  }
  p.ratings = array_of(doc, "", "ratings");
  for (std::size_t i = 0; i < p.ratings.size(); ++i) {
    const std::string path = "/ratings/" + std::to_string(i);
    if (!p.ratings[i].is_object()) fail(path, "expected an object");
    (void)string_of(p.ratings[i], path, "competency");
  }
  const json& cred = member(doc, "", "credential");
  if (!cred.is_null() && !cred.is_object()) fail("/credential", "expected an object or null");
  if (cred.is_object()) {
    p.credential = cred.dump();
    p.credential_doc = cred;
  }
  return p;
}

/// Up to `limit` JSON pointers where `a` and `b` differ, each with both values ("/x: 3 vs 2.5";
/// an object key only one side has: "(absent)"), in document order; `more` counts the rest.
void json_differences(const json& a, const json& b, const std::string& path,
                      std::vector<std::string>& out, std::size_t limit, std::size_t& more) {
  auto note = [&](const std::string& text) {
    if (out.size() < limit)
      out.push_back(text);
    else
      ++more;
  };
  auto shown = [](const json* v) {
    if (v == nullptr) return std::string("(absent)");
    std::string t = v->dump();
    return t.size() > 60 ? t.substr(0, 57) + "..." : t;
  };
  if (a.is_object() && b.is_object()) {
    for (const auto& [key, va] : a.items()) {
      const auto vb = b.find(key);
      if (vb == b.end())
        note(path + "/" + key + ": " + shown(&va) + " vs " + shown(nullptr));
      else if (va != *vb)
        json_differences(va, *vb, path + "/" + key, out, limit, more);
    }
    for (const auto& [key, vb] : b.items())
      if (!a.contains(key)) note(path + "/" + key + ": " + shown(nullptr) + " vs " + shown(&vb));
    return;
  }
  if (a.is_array() && b.is_array() && a.size() == b.size()) {
    for (std::size_t i = 0; i < a.size(); ++i)
      if (a[i] != b[i])
        json_differences(a[i], b[i], path + "/" + std::to_string(i), out, limit, more);
    return;
  }
  if (a != b) note((path.empty() ? "/" : path) + ": " + shown(&a) + " vs " + shown(&b));
}

/// What differs between the record's policy `a` and the roster's `b`: each differing field of
/// their native JSON (`policy::to_json`) as "<pointer>: <record's> vs <roster's>" (the first
/// five, then how many more), and both documents' SHA-256 (first 12 hex digits), so two
/// policies of the same name are told apart.
std::string policy_differences(const policy& a, const policy& b) {
  const std::string ta = a.to_json(-1), tb = b.to_json(-1);
  std::vector<std::string> out;
  std::size_t more = 0;
  json_differences(json::parse(ta), json::parse(tb), "", out, 5, more);
  std::string text = fmt::format("'{}' (sha256 {}...) vs '{}' (sha256 {}...)", a.name(),
                                 detail::sha256_hex(ta).substr(0, 12), b.name(),
                                 detail::sha256_hex(tb).substr(0, 12));
  if (!out.empty()) {
    text += "; record vs roster: ";
    for (std::size_t i = 0; i < out.size(); ++i) text += (i ? "; " : "") + out[i];
    if (more != 0) text += fmt::format("; and {} more", more);
  }
  return text;
}

/// Every row or rating naming a competency `fw` lacks, as evidence_error problems.
void check_competencies(const parsed_record& p, const framework& fw, const std::string& which) {
  std::vector<problem> problems;
  std::vector<std::size_t> rows;
  for (std::size_t i = 0; i < p.rows.size(); ++i)
    if (!fw.contains(p.rows[i].competency)) {
      problems.push_back({problem_kind::unknown_id,
                          {p.rows[i].competency},
                          fmt::format("/evidence/{}/competency: '{}' is not a competency of {}", i,
                                      p.rows[i].competency, which)});
      rows.push_back(i);
    }
  for (std::size_t i = 0; i < p.ratings.size(); ++i) {
    const std::string id = p.ratings[i]["competency"].get<std::string>();
    if (!fw.contains(id)) {
      problems.push_back(
          {problem_kind::unknown_id,
           {id},
           fmt::format("/ratings/{}/competency: '{}' is not a competency of {}", i, id, which)});
      rows.push_back(i);
    }
  }
  if (!problems.empty()) throw evidence_error(std::move(problems), std::move(rows));
}

/// Whether `source` is a statement id: a UUID (8-4-4-4-12 hex digits), bare or "urn:uuid:".
bool is_statement_id(std::string_view source) {
  constexpr std::string_view urn = "urn:uuid:";
  if (source.size() == urn.size() + 36 && source.substr(0, urn.size()) == urn)
    source.remove_prefix(urn.size());
  if (source.size() != 36) return false;
  for (std::size_t i = 0; i < 36; ++i) {
    const char c = source[i];
    const bool hex = (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
    if ((i == 8 || i == 13 || i == 18 || i == 23) ? c != '-' : !hex) return false;
  }
  return true;
}

/// How row `r` differs from `e` (an earlier use of its statement id), as
/// `evidence_log::append_statements` words it: "learner 'a' (was 'b'), score 3 (was 2)". Scores
/// and weights compare as stored (32-bit floats); the time as an instant, not its text.
std::string row_differences(const evidence& r, const evidence& e) {
  std::vector<std::string> out;
  auto text = [](float f) { return fmt::format("{}", float_value(f)); };
  if (r.learner != e.learner)
    out.push_back(fmt::format("learner '{}' (was '{}')", r.learner, e.learner));
  if (r.competency != e.competency)
    out.push_back(fmt::format("competency '{}' (was '{}')", r.competency, e.competency));
  if (!(r.time == e.time))
    out.push_back(fmt::format("time {} (was {})", format_time(r.time), format_time(e.time)));
  if (static_cast<float>(r.score) != static_cast<float>(e.score))
    out.push_back(fmt::format("score {} (was {})", text(static_cast<float>(r.score)),
                              text(static_cast<float>(e.score))));
  if (r.kind != e.kind) out.push_back(fmt::format("kind '{}' (was '{}')", r.kind, e.kind));
  if (static_cast<float>(r.weight) != static_cast<float>(e.weight))
    out.push_back(fmt::format("weight {} (was {})", text(static_cast<float>(r.weight)),
                              text(static_cast<float>(e.weight))));
  // The timestamp texts are not compared: each denotes its row's time (checked when read), and
  // xAPI ignores how a timestamp is written (Data 2.3.1, Statement Immutability exception 4),
  // as `evidence_log::append_statements` does.
  std::string joined;
  for (std::size_t i = 0; i < out.size(); ++i) joined += (i ? ", " : "") + out[i];
  return joined;
}

/// The statement-id rules of `roster::ingest_statements` for the record's rows whose source is
/// a statement id (`is_statement_id`): the first row of that id in `log`, else the first row
/// of the record with it, is its content; a row with the same content is dropped from `rows`
/// (the count returned), another content is an evidence_error naming "/evidence/<i>" (rows():
/// record rows; with `migrating` the rows are the migrated ones and the message names no path),
/// the id and the differing values. O(log rows + record rows) when the record has statement
/// ids; O(record rows) otherwise.
std::size_t drop_repeated_statements(const evidence_log& log, std::vector<evidence>& rows,
                                     bool migrating) {
  std::unordered_map<std::string_view, std::size_t> first;     // id -> first record row
  std::unordered_map<std::string_view, std::uint32_t> wanted;  // id -> log source code
  for (std::size_t i = 0; i < rows.size(); ++i)
    if (is_statement_id(rows[i].source)) {
      first.emplace(rows[i].source, i);
      wanted.emplace(rows[i].source, 0);
    }
  if (first.empty()) return 0;
  // The log's first row of each wanted id.
  std::unordered_map<std::uint32_t, std::string_view> codes;  // source code -> id
  const auto& sources = log.sources();
  for (std::uint32_t c = 0; c < sources.size(); ++c)
    if (wanted.count(sources[c]) != 0) codes.emplace(c, sources[c]);
  std::unordered_map<std::string_view, evidence> in_log;
  if (!codes.empty()) {
    const auto& attrs = log.attributes();
    const auto& ac = log.attribute_codes();
    for (std::size_t r = 0; r < log.size() && in_log.size() < codes.size(); ++r) {
      const auto it = codes.find(attrs[ac[r]].source);
      if (it != codes.end() && in_log.count(it->second) == 0) in_log.emplace(it->second, log.at(r));
    }
  }
  std::vector<problem> problems;
  std::vector<std::size_t> bad;
  std::vector<char> drop(rows.size(), 0);
  std::size_t dropped = 0;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (!is_statement_id(rows[i].source)) continue;
    const std::string_view id = rows[i].source;
    const auto l = in_log.find(id);
    const std::size_t j = first.at(id);
    const evidence* earlier = l != in_log.end() ? &l->second : (j != i ? &rows[j] : nullptr);
    if (earlier == nullptr) continue;  // a new statement
    const std::string diff = row_differences(rows[i], *earlier);
    if (diff.empty()) {
      drop[i] = 1;
      ++dropped;
      continue;
    }
    const std::string where = migrating ? std::string() : fmt::format("/evidence/{}: ", i);
    problems.push_back(
        {problem_kind::invalid_value,
         {std::string(id)},
         l != in_log.end()
             ? fmt::format("{}statement '{}' was ingested before with other content: {}", where, id,
                           diff)
             : fmt::format("{}statement '{}' is also /evidence/{} with other content: {}", where,
                           id, j, diff)});
    bad.push_back(i);
  }
  if (!problems.empty()) throw evidence_error(std::move(problems), std::move(bad));
  if (dropped != 0) {
    std::size_t w = 0;
    for (std::size_t i = 0; i < rows.size(); ++i)
      if (!drop[i]) {
        if (w != i) rows[w] = std::move(rows[i]);  // (a self-move would empty the strings)
        ++w;
      }
    rows.resize(w);
  }
  return dropped;
}

/// The competencies (framework order) whose entry differs between `mine` (recomputed) and
/// `stored` (the record's "ratings"), both in framework order; an entry only one side has
/// differs too.
std::vector<std::string> compare_ratings(const json& mine, const json& stored,
                                         const framework& fw) {
  std::vector<char> differs(fw.size(), 0);
  // Framework index of an entry (fw.size() when it names none), so both lists merge by index.
  const std::size_t none = fw.size();
  auto index = [&](const json& entry) -> std::size_t {
    const auto c = entry.find("competency");
    if (c == entry.end() || !c->is_string() || !fw.contains(c->get<std::string>())) return none;
    return fw.index_of(c->get<std::string>());
  };
  std::size_t a = 0, b = 0;
  while (a < mine.size() || b < stored.size()) {
    const std::size_t ia = a < mine.size() ? index(mine[a]) : none;
    const std::size_t ib = b < stored.size() ? index(stored[b]) : none;
    if (a < mine.size() && b < stored.size() && ia == ib) {
      if (mine[a] != stored[b] && ia != none) differs[ia] = 1;
      ++a;
      ++b;
    } else if (a < mine.size() && (b >= stored.size() || ia < ib)) {
      if (ia != none) differs[ia] = 1;
      ++a;
    } else {
      if (ib != none) differs[ib] = 1;
      ++b;
    }
  }
  std::vector<std::string> out;
  for (index_t i = 0; i < fw.size(); ++i)
    if (differs[i]) out.push_back(fw.id_of(i));
  return out;
}

/// A rating entry's rating as text: "Proficient (mastered, score 3)"; "none" without an entry.
std::string rating_text(const json* entry) {
  if (entry == nullptr) return "none (no entry)";
  auto field = [&](const char* key) {
    const auto it = entry->find(key);
    if (it == entry->end() || it->is_null()) return std::string("none");
    return it->is_string() ? it->get<std::string>() : it->dump();
  };
  return fmt::format("{} ({}, score {})", field("rating"), field("status"), field("score"));
}

/// The strict import's error: one problem per competency whose stored entry is not what the
/// roster recomputes, naming the learner, the competency and the stored vs recomputed rating
/// (or, when those agree, where the explanation differs).
/// `voided`: statements of the record the roster had voided before (named in each problem).
[[noreturn]] void throw_not_reproduced(const std::string& learner, const json& mine,
                                       const json& stored, const framework& fw,
                                       const std::vector<retraction>& voided) {
  std::string because;
  for (const retraction& x : voided)
    because += fmt::format("{}statement '{}' of the record was voided in this roster{}",
                           because.empty() ? "; " : ", ", x.source,
                           x.by.empty() ? std::string() : fmt::format(" by '{}'", x.by));
  auto find = [](const json& list, const std::string& id) -> std::pair<const json*, std::size_t> {
    for (std::size_t i = 0; i < list.size(); ++i) {
      const auto c = list[i].find("competency");
      if (c != list[i].end() && c->is_string() && *c == id) return {&list[i], i};
    }
    return {nullptr, list.size()};
  };
  std::vector<problem> problems;
  for (const std::string& id : compare_ratings(mine, stored, fw)) {
    const auto [s, at] = find(stored, id);
    const auto [m, unused] = find(mine, id);
    (void)unused;
    std::string what = fmt::format("stored {} vs recomputed {}", rating_text(s), rating_text(m));
    if (s != nullptr && m != nullptr && rating_text(s) == rating_text(m)) {
      std::vector<std::string> where;
      std::size_t more = 0;
      json_differences(*s, *m, "", where, 1, more);
      what = fmt::format(
          "stored and recomputed rating {} agree, but the entry differs at {} "
          "(stored vs recomputed)",
          rating_text(s), where.empty() ? std::string("?") : where.front());
    }
    problems.push_back(
        {problem_kind::invalid_value,
         {learner, id},
         fmt::format("/ratings/{}: learner '{}', competency '{}': {} (the record's rating is not "
                     "reproduced by its evidence{}; strict=false imports it and lists it in "
                     "differences)",
                     at, learner, id, what, because)});
  }
  throw validation_error(std::move(problems));
}

}  // namespace

std::string export_record(const roster& r, std::string_view learner,
                          const record_options& options) {
  (void)r.index_of(learner);  // unknown_id_error (kind "learner")
  const learner_state st = state_at(r, learner, options.as_of);
  const evidence_log& log = r.log();
  const std::vector<std::uint32_t> rows = learner_rows(log, learner);

  ojson doc = ojson::object();
  doc["type"] = record_type;
  bool stamped = false;
  for (std::uint32_t row : rows) stamped = stamped || !log.timestamp_text(row).empty();
  doc["version"] = stamped ? record_version : without_timestamps;
  doc["learner"] = std::string(learner);
  doc["framework"] = framework_reference(r.framework());
  doc["policy"] = ojson::parse(r.policy().to_json(-1));
  doc["as_of"] = st.as_of();
  ojson evidence = ojson::array();
  const auto& kinds = log.kinds();
  const auto& sources = log.sources();
  const auto& comps = log.competencies();
  for (std::uint32_t row : rows) {
    const auto& a = log.attributes()[log.attribute_codes()[row]];
    ojson e = ojson::object();
    e["competency"] = comps[log.competency_codes()[row]];
    e["time"] = log.times()[row];
    e["score"] = float_value(log.scores()[row]);
    e["kind"] = kinds[a.kind];
    e["weight"] = float_value(a.weight);
    e["source"] = sources[a.source];
    if (const std::string_view t = log.timestamp_text(row); !t.empty())
      e["timestamp"] = std::string(t);
    evidence.push_back(std::move(e));
  }
  doc["evidence"] = std::move(evidence);
  // The retractions of the learner's sources ({"source": <statement id>, "by": <voiding
  // statement id>}), in the log's order: the rows stay in `evidence`, as in the log.
  ojson voided = ojson::array();
  {
    std::vector<std::string_view> mine;
    mine.reserve(rows.size());
    for (std::uint32_t row : rows) {
      const auto& a = log.attributes()[log.attribute_codes()[row]];
      if (a.retracted) mine.push_back(sources[a.source]);
    }
    std::sort(mine.begin(), mine.end());
    for (const retraction& x : log.retractions())
      if (std::binary_search(mine.begin(), mine.end(), std::string_view(x.source))) {
        ojson v = ojson::object();
        v["source"] = x.source;
        v["by"] = x.by;
        voided.push_back(std::move(v));
      }
  }
  doc["voided"] = std::move(voided);
  doc["ratings"] = ratings_json(st, log, rows);
  ojson credential = nullptr;
  if (!options.credential.issuer.empty()) {
    bool earned = false;
    for (auto s : st.statuses())
      if (s == status::mastered || s == status::exceeded ||
          (s == status::exempt && options.credential.include_exempt))
        earned = true;
    if (earned) {
      credential_options co = options.credential;
      co.indent = -1;
      credential = ojson::parse(clr(st, log, co));
    }
  }
  doc["credential"] = std::move(credential);
  return dump(doc, options.indent);
}

record_import read_record(roster& target, std::string_view text,
                          const record_read_options& options) {
  parsed_record p = parse(text);
  const framework& fw = target.framework();

  // The framework: the roster's, or the old edition to migrate from.
  const bool same = same_framework(p.framework_ref, fw);
  if (!same && options.old_edition == nullptr)
    throw validation_error({{problem_kind::invalid_value,
                             {},
                             "/framework: the record was made on " + describe(p.framework_ref) +
                                 ", not on the roster's framework " +
                                 describe(json::parse(framework_reference(fw).dump())) +
                                 " (give the edition it was made on to migrate it)"}});
  const bool migrating = !same && options.old_edition != nullptr;
  if (migrating && !same_framework(p.framework_ref, *options.old_edition))
    throw validation_error(
        {{problem_kind::invalid_value,
          {},
          "/framework: the record was made on " + describe(p.framework_ref) +
              ", which is neither the roster's framework nor the old edition given " +
              describe(json::parse(framework_reference(*options.old_edition).dump()))}});
  check_competencies(p, migrating ? *options.old_edition : fw,
                     migrating ? "the old edition '" + options.old_edition->name() + "'"
                               : "the roster's framework '" + fw.name() + "'");

  // The policy.
  policy pol = [&] {
    try {
      return policy::from_json(p.policy_text);
    } catch (const parse_error& e) {
      fail("/policy", e.what());
    } catch (const policy_error& e) {
      fail("/policy", e.what());
    }
  }();
  const bool other_policy = !(pol == target.policy());
  if (!migrating && !options.allow_other_policy && other_policy)
    throw validation_error({{problem_kind::invalid_value,
                             {},
                             "/policy: the record's policy differs from the roster's: " +
                                 policy_differences(pol, target.policy()) +
                                 " (allow_other_policy rates the evidence by the roster's)"}});
  if (target.find(p.learner))
    throw validation_error({{problem_kind::duplicate_id,
                             {p.learner},
                             "/learner: '" + p.learner +
                                 "' is already in the roster (a record imports a new learner)"}});

  record_import out;
  out.learner = p.learner;
  out.as_of = p.as_of;
  out.credential = p.credential;
  std::vector<evidence> rows = std::move(p.rows);
  if (migrating) {
    evidence_log old_log;
    old_log.append_unchecked(rows);
    std::vector<std::string> notes;
    const revision_map map = revisions(*options.old_edition, fw, options.intermediate, &notes);
    migration m = migrate(old_log, *options.old_edition, fw, map, options.split);
    rows.clear();
    for (std::size_t i = 0; i < m.log.size(); ++i) rows.push_back(m.log.at(i));
    out.migrated = true;
    out.decisions = std::move(m.decisions);
    out.notes = std::move(notes);
  }
  // Statement ids: as roster::ingest_statements (before anything changes).
  out.duplicates = drop_repeated_statements(target.log(), rows, migrating);
  if (!migrating) {
    // Verification before anything changes: the learner rated by the roster's engine at the
    // record's time over the record's own evidence (rows, then retractions), in record form,
    // entry by entry. (The learner is new to the roster, so these are all of its rows.)
    // The rows are checked as the roster's ingest checks them (a bad row is an evidence_error
    // naming it, whatever the ratings).
    ingest_checks checks = target.engine().checks();
    checks.accept_new_kinds = true;
    checks.near_miss_kinds = target.log().kinds();
    evidence_log scratch(target.log().kinds());
    try {
      scratch.append(rows, checks);
    } catch (const evidence_error& e) {
      std::vector<problem> problems = e.problems();
      for (std::size_t k = 0; k < problems.size() && k < e.rows().size(); ++k)
        problems[k].message = fmt::format("/evidence/{}: {}", e.rows()[k], problems[k].message);
      throw evidence_error(std::move(problems), e.rows());
    }
    scratch.retract(p.voided);
    // Statements of the record the roster has already voided (a void that came before the
    // record) stay voided when the rows arrive: the verification sees them voided too, so
    // their ratings are not reproduced and the import says which statement and what voided it.
    std::vector<retraction> roster_voids;
    for (const evidence& e : rows)
      if (!e.source.empty() && !scratch.retracted(e.source))
        if (const retraction* x = target.log().retraction_of(e.source)) {
          scratch.retract({*x});
          roster_voids.push_back(*x);
        }
    evaluate_options eo;
    eo.as_of = p.as_of;
    eo.probabilities = target.options().probabilities;
    eo.threads = 1;
    const learner_state st = target.engine().evaluate(scratch, p.learner, eo);
    const json mine =
        json::parse(ratings_json(st, scratch, learner_rows(scratch, p.learner)).dump());
    const std::vector<std::string> differs = compare_ratings(mine, p.ratings, fw);
    out.differences = differs;
    const bool strict = options.strict && !(options.allow_other_policy && other_policy);
    if (strict && !differs.empty())
      throw_not_reproduced(p.learner, mine, p.ratings, fw, roster_voids);
    // The credential part: its achievements are what the recomputed ratings earn.
    std::vector<std::string> claims = detail::credential_mismatches(p.credential_doc, st);
    if (strict && !claims.empty()) {
      std::vector<problem> problems;
      for (std::string& c : claims)
        problems.push_back(
            {problem_kind::invalid_value,
             {p.learner},
             std::move(c) + " (the record's credential does not match the ratings its evidence "
                            "reproduces; strict=false imports it and lists this in differences)"});
      throw validation_error(std::move(problems));
    }
    for (std::string& c : claims) out.differences.push_back(std::move(c));
  }
  try {
    // One batch: the rows, then the record's retractions (applied after the rows by the
    // roster, all or nothing), so retracted evidence stays in the log and stops counting.
    evidence_log batch;
    batch.append_unchecked(rows);
    batch.retract(p.voided);
    out.ingest = target.ingest(batch);
  } catch (const evidence_error& e) {
    std::vector<problem> problems = e.problems();
    if (!migrating)
      for (std::size_t k = 0; k < problems.size() && k < e.rows().size(); ++k)
        problems[k].message = fmt::format("/evidence/{}: {}", e.rows()[k], problems[k].message);
    throw evidence_error(std::move(problems), e.rows());
  }
  out.rows = rows.size();
  return out;
}

}  // namespace masterymap::io
