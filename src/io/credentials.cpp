// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// Open Badges 3.0 AchievementCredentials and the CLR 2.0 ClrCredential of a learner (the
// mapping is in include/masterymap/io/credentials.hpp).
#include <simdjson.h>

#include <algorithm>
#include <boost/uuid/name_generator_sha1.hpp>
#include <boost/uuid/uuid_io.hpp>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <limits>
#include <masterymap/framework.hpp>
#include <masterymap/io/credentials.hpp>
#include <masterymap/policy.hpp>
#include <masterymap/progression.hpp>
#include <masterymap/scale.hpp>
#include <nlohmann/json.hpp>
#include <optional>
#include <regex>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "sha256.hpp"

namespace masterymap::io {

namespace {

using json = nlohmann::ordered_json;

constexpr const char* vc_context = "https://www.w3.org/ns/credentials/v2";
constexpr const char* ob_context = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";
constexpr const char* clr_context = "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json";

/// OB 3.0 IdentifierTypeEnum (the schema's enum; "ext:" + name extends it).
constexpr const char* identifier_types[] = {
    "name",          "sourcedId",    "systemId",        "productId",
    "userName",      "accountId",    "emailAddress",    "nationalIdentityNumber",
    "isbn",          "issn",         "lisSourcedId",    "oneRosterSourcedId",
    "sisSourcedId",  "ltiContextId", "ltiDeploymentId", "ltiToolId",
    "ltiPlatformId", "ltiUserId",    "identifier"};

std::string uuid5(std::string_view name) {
  static const boost::uuids::name_generator_sha1 gen(boost::uuids::ns::url());
  return "urn:uuid:" + boost::uuids::to_string(gen(name.data(), name.size()));
}

bool is_rfc3339(const std::string& s) {
  static const std::regex re(
      R"(\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2}))");
  return std::regex_match(s, re) && parse_time(s).has_value();
}

/// A number as the shortest text that reads back the same ("3", "3.35").
std::string number_text(double v) {
  char buf[32];
  for (int precision = 1; precision <= 17; ++precision) {
    std::snprintf(buf, sizeof buf, "%.*g", precision, v);
    if (std::strtod(buf, nullptr) == v) break;
  }
  return buf;
}

std::string meta(const competency& c, const char* key) {
  auto it = c.metadata.find(key);
  return it != c.metadata.end() ? it->second : std::string();
}

/// `s`, or std::invalid_argument naming `what` when it is not UTF-8 (JSON text must be).
const std::string& utf8(const std::string& s, std::string_view what) {
  if (!simdjson::validate_utf8(s.data(), s.size()))
    throw std::invalid_argument(std::string(what) + ": not valid UTF-8");
  return s;
}

void check_options(const credential_options& o) {
  for (const auto& [value, name] : {std::pair<const std::string&, const char*>{o.issuer, "issuer"},
                                    {o.issuer_name, "issuer_name"},
                                    {o.identity, "identity"},
                                    {o.salt, "salt"},
                                    {o.achievement_base, "achievement_base"},
                                    {o.name, "name"}})
    (void)utf8(value, name);
  static const std::regex scheme(R"([A-Za-z][A-Za-z0-9+.-]*:\S+)");
  if (o.issuer.empty()) throw std::invalid_argument("issuer: the issuer's id (a URI) is required");
  if (!std::regex_match(o.issuer, scheme))
    throw std::invalid_argument("issuer: '" + o.issuer +
                                "' is not a URI (scheme:rest, e.g. https://school.example)");
  const bool known = std::any_of(std::begin(identifier_types), std::end(identifier_types),
                                 [&](const char* t) { return o.identity_type == t; });
  static const std::regex ext(R"(ext:[A-Za-z0-9|.\-_]+)");
  if (!known && !std::regex_match(o.identity_type, ext))
    throw std::invalid_argument("identity_type: '" + o.identity_type +
                                "' is not an Open Badges 3.0 identifier type (emailAddress, "
                                "sisSourcedId, identifier, ... or ext:<name>)");
  if (!o.valid_from.empty() && !is_rfc3339(o.valid_from))
    throw std::invalid_argument("valid_from: '" + o.valid_from +
                                "' is not an RFC 3339 date-time with an offset "
                                "(e.g. 2026-06-15T00:00:00Z)");
}

/// What the documents of one learner share.
struct context {
  const learner_state& state;
  const framework& fw;
  const policy& pol;
  const credential_options& o;
  json issuer;
  json identity;
  std::string case_framework;  // the CFDocument's title when the framework came from CASE
  std::vector<double> when;    // per competency: the time validFrom stands for (NaN: none)
  // per competency: explain's waiver note when a waiver exempts it ("" otherwise)
  std::vector<std::string> waived;
};

std::string document_title(const framework& fw) {
  auto it = fw.metadata().find("case:package");
  if (it == fw.metadata().end()) return {};
  try {
    const auto package = nlohmann::json::parse(it->second);
    const auto doc = package.find("CFDocument");
    if (doc != package.end() && doc->is_object()) {
      auto t = doc->find("title");
      if (t != doc->end() && t->is_string()) return t->get<std::string>();
    }
  } catch (const nlohmann::json::exception&) {
  }
  return fw.name();
}

context make_context(const learner_state& state, const evidence_log& log,
                     const credential_options& o) {
  check_options(o);
  const framework& fw = state.framework();
  context cx{state, fw, state.policy(), o, json::object(), json::object(), {}, {}, {}};
  cx.issuer = json{{"id", o.issuer},
                   {"type", json::array({"Profile"})},
                   {"name", o.issuer_name.empty() ? o.issuer : o.issuer_name}};
  const std::string who = o.identity.empty() ? state.learner() : o.identity;
  const std::string salt =
      o.salt.empty()
          ? detail::sha256_hex("masterymap:salt:" + o.issuer + "\n" + state.learner()).substr(0, 32)
          : o.salt;
  cx.identity = json{{"type", "IdentityObject"},
                     {"hashed", true},
                     {"identityHash", "sha256$" + detail::sha256_hex(who + salt)},
                     {"identityType", o.identity_type},
                     {"salt", salt}};
  (void)utf8(state.learner(), "the learner id");
  cx.case_framework = utf8(document_title(fw), "the framework's name");
  (void)utf8(cx.pol.name(), "the policy's name");
  (void)utf8(cx.pol.scale().name(), "the scale's name");
  for (const auto& r : cx.pol.scale().ratings()) (void)utf8(r.label, "a rating label");
  // validFrom: the latest evidence; a parent without its own, the latest of its descendants'.
  cx.when = last_evidence_times(state, log);
  // Which exemptions a waiver made (explain's note; exemptions are few).
  cx.waived.assign(fw.size(), std::string());
  if (o.include_exempt)
    for (index_t i = 0; i < fw.size(); ++i)
      if (state.status(i) == status::exempt)
        for (auto& note : state.explain(i, log).notes)
          if (note.rfind("waived", 0) == 0) cx.waived[i] = std::move(note);
  // Children before parents (an explicit stack: hierarchies can be deep).
  std::vector<char> state_of(fw.size(), 0);  // 0 new, 1 children pending, 2 done
  std::vector<index_t> stack;
  for (index_t root = 0; root < fw.size(); ++root) {
    if (state_of[root]) continue;
    stack.push_back(root);
    while (!stack.empty()) {
      const index_t i = stack.back();
      if (state_of[i] == 0) {
        state_of[i] = 1;
        for (index_t c : fw.children(i))
          if (!state_of[c]) stack.push_back(c);
        continue;
      }
      stack.pop_back();
      if (state_of[i] == 2) continue;
      state_of[i] = 2;
      if (std::isnan(cx.when[i]))
        for (index_t c : fw.children(i))
          if (!std::isnan(cx.when[c]) && (std::isnan(cx.when[i]) || cx.when[c] > cx.when[i]))
            cx.when[i] = cx.when[c];
    }
  }
  return cx;
}

bool included(const context& cx, status s) {
  return s == status::mastered || s == status::exceeded ||
         (s == status::exempt && cx.o.include_exempt);
}

std::string achievement_id(const context& cx, const competency& c) {
  if (!cx.o.achievement_base.empty()) return cx.o.achievement_base + c.id;
  const std::string uri = meta(c, "case:uri");
  return uuid5(cx.o.issuer + "\nachievement\n" + (uri.empty() ? cx.fw.name() + "\n" + c.id : uri));
}

json achievement(const context& cx, index_t i, const std::string& id) {
  const competency& c = cx.fw.at(i);
  const scale& sc = cx.pol.scale();
  const rule& r = cx.pol.rule_for(c.id, c.domain);
  const bool id_ok = simdjson::validate_utf8(c.id.data(), c.id.size());
  const std::string where =
      "competency " + (id_ok ? "'" + c.id + "'" : "at index " + std::to_string(i));
  for (const auto* field : {&c.id, &c.title, &c.description}) (void)utf8(*field, where);
  (void)utf8(to_string(r), where + ": its rule");
  const std::string name = c.title.empty() ? c.id : c.title;
  json a{{"id", utf8(id, where + ": its achievement id")},
         {"type", json::array({"Achievement"})},
         {"achievementType", "Competency"},
         {"name", name},
         {"description", c.description.empty() ? name : c.description},
         {"humanCode", c.id}};
  const auto& mastery = sc.ratings()[sc.mastery_index()];
  std::string narrative =
      "Mastery of " + c.id + " under the policy \"" + cx.pol.name() + "\": " + mastery.label +
      " (" + number_text(mastery.value) + ") or above on the scale " +
      (sc.name().empty() ? std::string("of the policy") : sc.name()) + ", by " + to_string(r) + ".";
  if (r.exempt_on_pretest)
    narrative += " Or exempted on a pre-test at " + number_text(*r.exempt_on_pretest) +
                 " or above, with the checks the policy requires.";
  a["criteria"] = json{{"narrative", narrative}};
  const std::string uri = utf8(meta(c, "case:uri"), where + ": its case:uri");
  if (!uri.empty()) {
    json al{{"type", json::array({"Alignment"})},
            {"targetType", "CFItem"},
            {"targetUrl", uri},
            {"targetName", name}};
    const std::string code = utf8(meta(c, "case:humanCodingScheme"), where);
    al["targetCode"] = code.empty() ? c.id : code;
    if (!cx.case_framework.empty()) al["targetFramework"] = cx.case_framework;
    if (!c.description.empty()) al["targetDescription"] = c.description;
    a["alignment"] = json::array({std::move(al)});
  }
  json levels = json::array();
  for (const auto& rating : sc.ratings())
    levels.push_back(json{{"id", uuid5(id + "\nlevel\n" + rating.label)},
                          {"type", json::array({"RubricCriterionLevel"})},
                          {"name", rating.label},
                          {"level", rating.label},
                          {"points", number_text(rating.value)}});
  a["resultDescription"] =
      json::array({json{{"id", uuid5(id + "\nresultDescription")},
                        {"type", json::array({"ResultDescription"})},
                        {"name", sc.name().empty() ? std::string("Rating") : sc.name()},
                        {"resultType", "RubricCriterionLevel"},
                        {"rubricCriterionLevel", std::move(levels)},
                        {"requiredLevel", uuid5(id + "\nlevel\n" + mastery.label)},
                        {"valueMin", number_text(sc.min_value())},
                        {"valueMax", number_text(sc.max_value())}}});
  return a;
}

json credential(const context& cx, index_t i, const std::string& ach_id, json ach) {
  const competency& c = cx.fw.at(i);
  const double t = std::isnan(cx.when[i]) ? cx.state.as_of() : cx.when[i];
  const std::string valid_from = cx.o.valid_from.empty() ? format_time(t) : cx.o.valid_from;
  const rule& r = cx.pol.rule_for(c.id, c.domain);
  json result{{"type", json::array({"Result"})},
              {"resultDescription", ach["resultDescription"][0]["id"]}};
  if (auto label = cx.state.rating(i))
    result["achievedLevel"] = uuid5(ach_id + "\nlevel\n" + *label);
  if (auto score = cx.state.score(i); score && !std::isnan(*score))
    result["value"] = number_text(*score);
  result["status"] = "Completed";
  const std::string name = c.title.empty() ? c.id : c.title;
  json subject{{"type", json::array({"AchievementSubject"})},
               {"identifier", json::array({cx.identity})},
               {"achievement", std::move(ach)},
               {"result", json::array({std::move(result)})}};
  if (!cx.waived[i].empty())
    subject["narrative"] =
        "Exempted by a waiver, not shown to the issuer by evidence: " + cx.waived[i] + ".";
  else if (cx.state.status(i) == status::exempt)
    subject["narrative"] = "Exempted on a pre-test, confirmed as the policy requires.";
  json vc{{"@context", json::array({vc_context, ob_context})},
          {"id", uuid5(ach_id + "\ncredential\n" + cx.state.learner() + "\n" + valid_from)},
          {"type", json::array({"VerifiableCredential", "OpenBadgeCredential"})},
          {"name", name},
          {"issuer", cx.issuer},
          {"validFrom", valid_from}};
  if (r.expires_after_days && !std::isnan(cx.when[i])) {
    const double from = cx.o.valid_from.empty() ? t : *parse_time(cx.o.valid_from);
    vc["validUntil"] = format_time(from + *r.expires_after_days * 86400.0);
  }
  vc["credentialSubject"] = std::move(subject);
  return vc;
}

std::string text_of(const json& j, int indent) { return j.dump(indent); }

std::string signed_text(const context& cx, const json& doc) {
  std::string text = text_of(doc, cx.o.indent);
  return cx.o.sign ? cx.o.sign(text) : text;
}

}  // namespace

std::vector<std::string> achievement_credentials(const learner_state& state,
                                                 const evidence_log& log,
                                                 const credential_options& options) {
  const context cx = make_context(state, log, options);
  std::vector<std::string> out;
  for (index_t i = 0; i < cx.fw.size(); ++i) {
    if (!included(cx, state.status(i))) continue;
    const std::string id = achievement_id(cx, cx.fw.at(i));
    out.push_back(signed_text(cx, credential(cx, i, id, achievement(cx, i, id))));
  }
  return out;
}

std::string clr(const learner_state& state, const evidence_log& log,
                const credential_options& options) {
  const context cx = make_context(state, log, options);
  json credentials = json::array();
  json achievements = json::array();
  std::vector<std::string> ids(cx.fw.size());
  for (index_t i = 0; i < cx.fw.size(); ++i) {
    if (!included(cx, state.status(i))) continue;
    ids[i] = achievement_id(cx, cx.fw.at(i));
    json ach = achievement(cx, i, ids[i]);
    achievements.push_back(ach);
    json vc = credential(cx, i, ids[i], std::move(ach));
    credentials.push_back(cx.o.sign ? json::parse(cx.o.sign(vc.dump())) : std::move(vc));
  }
  if (credentials.empty())
    throw std::invalid_argument("learner '" + state.learner() +
                                "' has earned no competency: a CLR holds at least one credential");
  json associations = json::array();
  auto associate = [&](const char* type, index_t source, index_t target) {
    if (ids[source].empty() || ids[target].empty()) return;
    // CLR 2.0's Association.type is the string "Association" (its schema allows no array).
    associations.push_back(json{{"type", "Association"},
                                {"associationType", type},
                                {"sourceId", ids[source]},
                                {"targetId", ids[target]}});
  };
  for (const auto& [parent, child] : cx.fw.hierarchy()) associate("isChildOf", child, parent);
  for (const auto& e : cx.fw.edges()) associate("precedes", e.prerequisite, e.dependent);
  // The record is as of the evaluation: every credential it holds is valid from then on.
  const std::string valid_from =
      !options.valid_from.empty() ? options.valid_from : format_time(state.as_of());
  json subject{{"type", json::array({"ClrSubject"})},
               {"identifier", json::array({cx.identity})},
               {"verifiableCredential", std::move(credentials)}};
  subject["achievement"] = std::move(achievements);
  if (!associations.empty()) subject["association"] = std::move(associations);
  json doc{
      {"@context", json::array({vc_context, clr_context, ob_context})},
      {"id", uuid5(options.issuer + "\nclr\n" + cx.fw.name() + "\n" + state.learner() + "\n" +
                   valid_from)},
      {"type", json::array({"VerifiableCredential", "ClrCredential"})},
      {"name", options.name.empty() ? std::string("Comprehensive Learner Record") : options.name},
      {"issuer", cx.issuer},
      {"validFrom", valid_from},
      {"credentialSubject", std::move(subject)}};
  return signed_text(cx, doc);
}

}  // namespace masterymap::io
