// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// policy: the native JSON format.
#include <fmt/format.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <masterymap/policy.hpp>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "json_util.hpp"
#include "policy_check.hpp"
#include "policy_names.hpp"

namespace masterymap {

namespace {
using json = nlohmann::ordered_json;

json method_to_json(const method& m) {
  json j = {{"name", to_string(m.type())}};
  switch (m.type()) {
    case method::kind::weighted_average:
    case method::kind::decaying_average:
      j["w"] = m.w();
      break;
    case method::kind::n_mastery:
      j["n"] = m.n();
      break;
    case method::kind::bkt:
      j["threshold"] = m.threshold();
      break;
    default:
      break;
  }
  return j;
}

json rule_to_json(const rule& r) {
  json j;
  j["method"] = method_to_json(r.method);
  j["min_evidence"] = r.min_evidence;
  j["require_kinds"] = r.require_kinds;
  j["ignore_kinds"] = r.ignore_kinds;
  j["window_last"] = r.window_last ? json(*r.window_last) : json(nullptr);
  j["window_days"] = r.window_days ? json(*r.window_days) : json(nullptr);
  j["expires_after_days"] = r.expires_after_days ? json(*r.expires_after_days) : json(nullptr);
  j["exempt_on_pretest"] = r.exempt_on_pretest ? json(*r.exempt_on_pretest) : json(nullptr);
  j["exempt_confirm_kinds"] = r.exempt_confirm_kinds;
  j["pretest_counts"] = r.pretest_counts;
  j["monotonic"] = r.monotonic;
  return j;
}

json rollup_to_json(const rollup& r) {
  // Flat groups (nested by index): no recursion, and the format mirrors the C++ structure.
  json groups = json::array();
  for (const auto& g : r.groups()) {
    json jg = {{"op", to_string(g.kind)}};
    if (g.kind == rollup::op::k_of_n) jg["k"] = g.k;
    if (g.kind == rollup::op::points) jg["min_points"] = g.min_points;
    json items = json::array();
    for (const auto& it : g.items) {
      // A nested group's points and weight count as a competency's do (engine_rate.cpp), so
      // they are written too: dropping them would change the results after a round trip.
      if (it.nested >= 0 && g.kind == rollup::op::points) {
        items.push_back({{"group", it.nested}, {"points", it.value}, {"required", it.required}});
      } else if (it.nested >= 0 && g.kind == rollup::op::weighted_mean) {
        items.push_back({{"group", it.nested}, {"weight", it.value}});
      } else if (it.nested >= 0) {
        items.push_back({{"group", it.nested}});
      } else if (g.kind == rollup::op::points) {
        items.push_back({{"id", it.id}, {"points", it.value}, {"required", it.required}});
      } else if (g.kind == rollup::op::weighted_mean) {
        items.push_back({{"id", it.id}, {"weight", it.value}});
      } else {
        items.push_back(it.id);
      }
    }
    jg["items"] = std::move(items);
    groups.push_back(std::move(jg));
  }
  return json{{"groups", std::move(groups)}};
}

// A field's path: "scale.ratings", or "format" for a field of the document itself (path "").
std::string join(const std::string& path, const char* key) {
  return path.empty() ? std::string(key) : fmt::format("{}.{}", path, key);
}

}  // namespace

// Reads fields, collecting every problem with its path instead of stopping at the first. Values
// are read unchecked (a method's parameter, a rule's numbers) and every problem is reported at
// the end by the policy's own checks, in the same path style ("rule.method.w", "scale.ratings[2]
// .value", "rollups['3.NF'].groups[0].k", "rollup_precedence").
struct detail::policy_json_reader {
  std::vector<std::string>& problems;

  // The policy of a JSON text; with `check`, also every problem of `policy::problems`.
  // `reported` null: throws policy_error with the problems; else they go there.
  static policy read(std::string_view text, bool check,
                     std::vector<std::string>* reported = nullptr);

  // Reports every key of `obj` outside `known`: a misspelt key ("domdins") would otherwise drop
  // what is under it without a word.
  void only(const json& obj, std::initializer_list<std::string_view> known,
            const std::string& path) {
    if (!obj.is_object()) return;
    for (const auto& [k, v] : obj.items())
      if (std::find(known.begin(), known.end(), std::string_view(k)) == known.end())
        problems.push_back(fmt::format("{}: unknown field", join(path, k.c_str())));
  }

  const json* field(const json& obj, const char* key, const std::string& path, bool required) {
    auto it = obj.find(key);
    if (it == obj.end() || (it->is_null() && !required)) {
      if (required) problems.push_back(fmt::format("{}: missing", join(path, key)));
      return nullptr;
    }
    return &*it;
  }
  // obj[key] as a T when `fits` accepts it; else a problem saying it expected `expected`.
  template <typename T, typename Fits>
  std::optional<T> typed(const json& obj, const char* key, const std::string& path, bool required,
                         Fits&& fits, const char* expected) {
    const json* v = field(obj, key, path, required);
    if (!v) return std::nullopt;
    if (!fits(*v)) {
      problems.push_back(fmt::format("{}: expected {}", join(path, key), expected));
      return std::nullopt;
    }
    return v->get<T>();
  }
  std::optional<double> number(const json& obj, const char* key, const std::string& path,
                               bool required = false) {
    return typed<double>(
        obj, key, path, required, [](const json& v) { return v.is_number(); }, "a number");
  }
  std::optional<std::uint32_t> count(const json& obj, const char* key, const std::string& path,
                                     bool required = false) {
    // A number that is no count is named with the range, never narrowed: 8589934592 is no 0,
    // -2 no 4294967294 ("rule.min_evidence: -2 is not a count from 0 to 4294967295", the
    // message of the policy's setters); another type: "expected a count from 0 to 4294967295".
    const json* v = field(obj, key, path, required);
    const auto fits = [](const json& x) {
      return x.is_number_unsigned() ? x.get<std::uint64_t>() <= 0xFFFFFFFFULL
                                    : x.is_number_integer() && x.get<std::int64_t>() >= 0 &&
                                          x.get<std::int64_t>() <= 0xFFFFFFFFLL;
    };
    if (v && v->is_number() && !fits(*v)) {
      problems.push_back(
          fmt::format("{}: {} is not a count from 0 to 4294967295", join(path, key), v->dump()));
      return std::nullopt;
    }
    return typed<std::uint32_t>(obj, key, path, required, fits, "a count from 0 to 4294967295");
  }
  std::optional<bool> boolean(const json& obj, const char* key, const std::string& path) {
    return typed<bool>(
        obj, key, path, false, [](const json& v) { return v.is_boolean(); }, "true or false");
  }
  std::optional<std::string> string(const json& obj, const char* key, const std::string& path,
                                    bool required = false) {
    return typed<std::string>(
        obj, key, path, required, [](const json& v) { return v.is_string(); }, "a string");
  }
  std::vector<std::string> strings(const json& obj, const char* key, const std::string& path) {
    const json* v = field(obj, key, path, false);
    std::vector<std::string> out;
    if (!v) return out;
    if (!v->is_array()) {
      problems.push_back(fmt::format("{}: expected a list of strings", join(path, key)));
      return out;
    }
    for (std::size_t i = 0; i < v->size(); ++i) {
      if (!(*v)[i].is_string())
        problems.push_back(fmt::format("{}[{}]: expected a string", join(path, key), i));
      else
        out.push_back((*v)[i].get<std::string>());
    }
    return out;
  }
  bool object(const json& v, const std::string& path) {
    if (v.is_object()) return true;
    problems.push_back(fmt::format("{}: expected an object", path.empty() ? "$" : path));
    return false;
  }

  method read_method(const json& jin, const std::string& path) {
    const json j = jin.is_string() ? json{{"name", jin}} : jin;  // shorthand: "latest"
    if (!object(j, path)) return method::latest();
    only(j, {"name", "w", "n", "threshold"}, path);
    auto name = string(j, "name", path, true);
    if (!name) return method::latest();
    method::kind k;
    try {
      k = parse_method_kind(*name);
    } catch (const std::invalid_argument&) {
      problems.push_back(fmt::format("{}.name: unknown method '{}'", path, *name));
      return method::latest();
    }
    // Unchecked: a parameter out of range is reported with the rule's other problems.
    switch (k) {
      case method::kind::weighted_average:
      case method::kind::decaying_average:
        return method(k, number(j, "w", path).value_or(0.65));
      case method::kind::n_mastery:
        return method(k, 0.0, count(j, "n", path).value_or(5));
      case method::kind::bkt:
        return method(k, number(j, "threshold", path).value_or(0.95));
      default:
        return method(k);
    }
  }

  rule read_rule(const json& j, const std::string& path) {
    rule r;
    if (!object(j, path)) return r;
    if (const json* m = field(j, "method", path, false))
      r.method = read_method(*m, path + ".method");
    if (auto v = count(j, "min_evidence", path)) r.min_evidence = *v;
    r.require_kinds = strings(j, "require_kinds", path);
    r.ignore_kinds = strings(j, "ignore_kinds", path);
    r.window_last = count(j, "window_last", path);
    r.window_days = number(j, "window_days", path);
    r.expires_after_days = number(j, "expires_after_days", path);
    r.exempt_on_pretest = number(j, "exempt_on_pretest", path);
    r.exempt_confirm_kinds = strings(j, "exempt_confirm_kinds", path);
    if (auto v = boolean(j, "pretest_counts", path)) r.pretest_counts = *v;
    if (auto v = boolean(j, "monotonic", path)) r.monotonic = *v;
    static const std::set<std::string> known = {"method",
                                                "min_evidence",
                                                "require_kinds",
                                                "ignore_kinds",
                                                "window_last",
                                                "window_days",
                                                "expires_after_days",
                                                "exempt_on_pretest",
                                                "exempt_confirm_kinds",
                                                "pretest_counts",
                                                "monotonic"};
    for (const auto& [k, v] : j.items())
      if (!known.count(k))
        problems.push_back(fmt::format("{}: unknown field", join(path, k.c_str())));
    return r;
  }

  std::optional<rollup> read_rollup(const json& j, const std::string& path) {
    if (!object(j, path)) return std::nullopt;
    only(j, {"groups"}, path);
    const json* gs = field(j, "groups", path, true);
    if (!gs) return std::nullopt;
    if (!gs->is_array() || gs->empty()) {
      problems.push_back(fmt::format("{}.groups: expected a non-empty list", path));
      return std::nullopt;
    }
    std::vector<rollup::group> groups;
    const std::size_t before = problems.size();
    for (std::size_t gi = 0; gi < gs->size(); ++gi) {
      const json& jg = (*gs)[gi];
      const std::string gp = fmt::format("{}.groups[{}]", path, gi);
      rollup::group g;
      if (!object(jg, gp)) continue;
      only(jg, {"op", "k", "min_points", "items"}, gp);
      auto opname = string(jg, "op", gp, true);
      if (opname) {
        if (auto o = detail::rollup_op_names.parse(*opname))
          g.kind = *o;
        else
          problems.push_back(fmt::format("{}.op: unknown rollup operator '{}'", gp, *opname));
      }
      if (g.kind == rollup::op::k_of_n) g.k = count(jg, "k", gp, true).value_or(0);
      if (g.kind == rollup::op::points)
        g.min_points = number(jg, "min_points", gp, true).value_or(0);
      if (const json* items = field(jg, "items", gp, false)) {
        if (!items->is_array()) {
          problems.push_back(fmt::format("{}.items: expected a list", gp));
        } else {
          for (std::size_t ii = 0; ii < items->size(); ++ii) {
            const json& ji = (*items)[ii];
            const std::string ip = fmt::format("{}.items[{}]", gp, ii);
            rollup::item it;
            if (ji.is_string()) {
              it.id = ji.get<std::string>();
            } else if (ji.is_object()) {
              only(ji, {"id", "group", "points", "weight", "required"}, ip);
              if (ji.contains("group")) {
                auto n = count(ji, "group", ip, true);
                it.nested = n ? static_cast<std::int32_t>(*n) : 0;
              } else {
                it.id = string(ji, "id", ip, true).value_or("");
              }
              // Validation (rollup_problems) refuses a value or `required` that the group's
              // operator would ignore.
              if (auto p = number(ji, "points", ip)) it.value = *p;
              if (auto w = number(ji, "weight", ip)) it.value = *w;
              if (auto rq = boolean(ji, "required", ip)) it.required = *rq;
            } else {
              problems.push_back(fmt::format("{}: expected an id or an object", ip));
              continue;
            }
            g.items.push_back(std::move(it));
          }
        }
      }
      groups.push_back(std::move(g));
    }
    if (problems.size() != before) return std::nullopt;
    return rollup::from_groups(std::move(groups));
  }
};

std::string policy::to_json(int indent) const {
  json j;
  j["format"] = "masterymap.policy";
  j["version"] = 1;
  j["name"] = name_;
  json js;
  js["name"] = scale_.name();
  json ratings = json::array();
  for (const auto& r : scale_.ratings()) {
    json jr = {{"label", r.label}, {"value", r.value}};
    if (r.cut) jr["cut"] = *r.cut;
    ratings.push_back(std::move(jr));
  }
  js["ratings"] = std::move(ratings);
  js["mastery"] = scale_.mastery_label();
  js["exceeds"] = scale_.exceeds_index() ? json(scale_.ratings()[*scale_.exceeds_index()].label)
                                         : json(nullptr);
  js["continuous"] = scale_.continuous();
  j["scale"] = std::move(js);
  j["rule"] = rule_to_json(default_rule_);
  json domains = json::object(), comps = json::object(), rollups = json::object();
  for (const auto& [d, r] : domain_rules_) domains[d] = rule_to_json(r);
  for (const auto& [id, r] : competency_rules_) comps[id] = rule_to_json(r);
  for (const auto& [id, r] : rollups_) rollups[id] = rollup_to_json(r);
  j["overrides"] = {{"domains", std::move(domains)}, {"competencies", std::move(comps)}};
  j["rollups"] = std::move(rollups);
  j["default_rollup"] = default_rollup_ ? rollup_to_json(*default_rollup_) : json(nullptr);
  j["rollup_precedence"] = to_string(precedence_);
  j["infer_prerequisites"] = to_string(infer_);
  return j.dump(indent);
}

policy detail::policy_json_reader::read(std::string_view text, bool check,
                                        std::vector<std::string>* reported) {
  const json j = detail::parse_json(text, "policy JSON");
  std::vector<std::string> problems;
  detail::policy_json_reader rd{problems};
  if (!j.is_object()) throw policy_error({"$: expected a JSON object"});
  rd.only(j,
          {"format", "version", "name", "scale", "rule", "overrides", "rollups", "default_rollup",
           "rollup_precedence", "infer_prerequisites"},
          "");
  if (auto f = rd.string(j, "format", ""); f && *f != "masterymap.policy")
    problems.push_back(fmt::format("format: expected 'masterymap.policy', got '{}'", *f));
  if (auto v = rd.count(j, "version", ""); v && *v != 1)
    problems.push_back(fmt::format("version: unsupported version {}", *v));
  std::string name = rd.string(j, "name", "").value_or("");

  std::optional<masterymap::scale> sc;
  if (const json* js = rd.field(j, "scale", "", true); js && rd.object(*js, "scale")) {
    rd.only(*js, {"name", "ratings", "mastery", "exceeds", "continuous"}, "scale");
    std::vector<rating> ratings;
    if (const json* jr = rd.field(*js, "ratings", "scale", true)) {
      if (!jr->is_array())
        problems.emplace_back("scale.ratings: expected a list");
      else
        for (std::size_t i = 0; i < jr->size(); ++i) {
          const std::string rp = fmt::format("scale.ratings[{}]", i);
          const json& x = (*jr)[i];
          if (x.is_array() && x.size() == 2 && x[0].is_string() && x[1].is_number()) {
            ratings.push_back({x[0].get<std::string>(), x[1].get<double>(), std::nullopt});
            continue;
          }
          if (!rd.object(x, rp)) continue;
          rd.only(x, {"label", "value", "cut"}, rp);
          rating r;
          r.label = rd.string(x, "label", rp, true).value_or("");
          r.value = rd.number(x, "value", rp, true).value_or(0);
          r.cut = rd.number(x, "cut", rp);
          ratings.push_back(std::move(r));
        }
    }
    auto mastery = rd.string(*js, "mastery", "scale", true);
    auto exceeds = rd.string(*js, "exceeds", "scale");
    bool continuous = rd.boolean(*js, "continuous", "scale").value_or(false);
    std::string sname = rd.string(*js, "name", "scale").value_or("");
    if (mastery) {
      try {
        sc.emplace(std::move(ratings), *mastery, exceeds, continuous, std::move(sname));
      } catch (const policy_error& e) {
        problems.insert(problems.end(), e.problems().begin(), e.problems().end());
      }
    }
  }
  // Everything below is read even when the scale is missing or bad, so one pass reports every
  // problem; values are stored unchecked and checked together at the end.
  policy p;
  if (sc) p.scale_ = *sc;
  p.name_ = std::move(name);
  if (const json* jr = rd.field(j, "rule", "", false)) p.default_rule_ = rd.read_rule(*jr, "rule");
  if (const json* jo = rd.field(j, "overrides", "", false); jo && rd.object(*jo, "overrides")) {
    rd.only(*jo, {"domains", "competencies"}, "overrides");
    if (const json* jd = rd.field(*jo, "domains", "overrides", false);
        jd && rd.object(*jd, "overrides.domains"))
      for (const auto& [d, r] : jd->items())
        p.domain_rules_[d] = rd.read_rule(r, fmt::format("overrides.domains['{}']", d));
    if (const json* jc = rd.field(*jo, "competencies", "overrides", false);
        jc && rd.object(*jc, "overrides.competencies"))
      for (const auto& [id, r] : jc->items())
        p.competency_rules_[id] = rd.read_rule(r, fmt::format("overrides.competencies['{}']", id));
  }
  if (const json* jr = rd.field(j, "rollups", "", false); jr && rd.object(*jr, "rollups"))
    for (const auto& [id, r] : jr->items())
      if (auto ru = rd.read_rollup(r, fmt::format("rollups['{}']", id)))
        p.rollups_.insert_or_assign(id, std::move(*ru));
  if (const json* jd = rd.field(j, "default_rollup", "", false))
    if (auto ru = rd.read_rollup(*jd, "default_rollup")) p.default_rollup_ = std::move(*ru);
  if (auto prec = rd.string(j, "rollup_precedence", "")) {
    if (auto x = detail::precedence_names.parse(*prec))
      p.precedence_ = *x;
    else
      problems.push_back(fmt::format(
          "rollup_precedence: unknown value '{}' (expected 'rollup', 'evidence', 'either' or "
          "'both')",
          *prec));
  }
  // Absent in policies written before the option existed: the default (required).
  if (auto inf = rd.string(j, "infer_prerequisites", "")) {
    if (auto x = detail::infer_names.parse(*inf))
      p.infer_ = *x;
    else
      problems.push_back(fmt::format(
          "infer_prerequisites: unknown value '{}' (expected 'none', 'required' or 'gating')",
          *inf));
  }
  if (check) {
    auto more = detail::policy_problems(p, sc ? &p.scale_ : nullptr);
    problems.insert(problems.end(), more.begin(), more.end());
  }
  if (reported != nullptr)
    reported->insert(reported->end(), problems.begin(), problems.end());
  else if (!problems.empty())
    throw policy_error(std::move(problems));
  return p;
}

policy policy::from_json(std::string_view text) {
  return detail::policy_json_reader::read(text, true);
}

policy policy::from_json_unvalidated(std::string_view text) {
  return detail::policy_json_reader::read(text, false);
}

policy policy::from_json_reporting(std::string_view text, std::vector<std::string>& problems) {
  return detail::policy_json_reader::read(text, true, &problems);
}

}  // namespace masterymap
