// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// policy: methods, rules, rollups, the policy and its validation (JSON: policy_json.cpp).
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <masterymap/evidence.hpp>
#include <masterymap/policy.hpp>
#include <set>
#include <stdexcept>

#include "enum_names.hpp"
#include "kind_names.hpp"
#include "policy_check.hpp"
#include "policy_names.hpp"

namespace masterymap {

// --- method --------------------------------------------------------------------------------

namespace {
constexpr detail::enum_names<method::kind, 10> method_names{
    {{{method::kind::latest, "latest"},
      {method::kind::highest, "highest"},
      {method::kind::mean, "mean"},
      {method::kind::weighted_mean, "weighted_mean"},
      {method::kind::mode, "mode"},
      {method::kind::weighted_average, "weighted_average"},
      {method::kind::decaying_average, "decaying_average"},
      {method::kind::n_mastery, "n_mastery"},
      {method::kind::power_law, "power_law"},
      {method::kind::bkt, "bkt"}}}};
}  // namespace

const char* to_string(method::kind k) noexcept { return method_names.name(k); }

method::kind parse_method_kind(std::string_view name) {
  if (auto k = method_names.parse(name)) return *k;
  throw std::invalid_argument(fmt::format("unknown aggregation method '{}'", name));
}

namespace {

// The problem of a method's parameter, without a path ("w: 1.5 is outside (0, 1)"), if any.
std::optional<std::string> parameter_problem(const method& m) {
  switch (m.type()) {
    case method::kind::weighted_average:
    case method::kind::decaying_average:
      if (!(m.w() > 0.0 && m.w() < 1.0)) return fmt::format("w: {} is outside (0, 1)", m.w());
      break;
    case method::kind::n_mastery:
      if (m.n() < 1) return std::string("n: must be at least 1");
      break;
    case method::kind::bkt:
      if (!(m.threshold() > 0.0 && m.threshold() <= 1.0))
        return fmt::format("threshold: {} is outside (0, 1]", m.threshold());
      break;
    default:
      break;
  }
  return std::nullopt;
}

method checked(const method& m) {
  if (auto p = parameter_problem(m)) throw policy_error({"method." + *p});
  return m;
}

}  // namespace

method method::weighted_average(double w) { return checked(method(kind::weighted_average, w)); }
method method::decaying_average(double w) { return checked(method(kind::decaying_average, w)); }
method method::n_mastery(std::uint32_t n) { return checked(method(kind::n_mastery, 0.0, n)); }
method method::bkt(double threshold) { return checked(method(kind::bkt, threshold)); }

std::string to_string(const method& m) {
  switch (m.type()) {
    case method::kind::weighted_average:
    case method::kind::decaying_average:
      return fmt::format("{}(w={})", to_string(m.type()), m.w());
    case method::kind::n_mastery:
      return fmt::format("n_mastery(n={})", m.n());
    case method::kind::bkt:
      return fmt::format("bkt(threshold={})", m.threshold());
    default:
      return to_string(m.type());
  }
}

std::string to_string(const rule& r) {
  std::string out = to_string(r.method);
  if (r.min_evidence != 1) out += fmt::format(", min_evidence={}", r.min_evidence);
  if (!r.require_kinds.empty())
    out += fmt::format(", require_kinds=[{}]", fmt::join(r.require_kinds, ", "));
  if (!r.ignore_kinds.empty())
    out += fmt::format(", ignore_kinds=[{}]", fmt::join(r.ignore_kinds, ", "));
  if (r.window_last) out += fmt::format(", window_last={}", *r.window_last);
  if (r.window_days) out += fmt::format(", window_days={}", *r.window_days);
  if (r.expires_after_days) out += fmt::format(", expires_after_days={}", *r.expires_after_days);
  if (r.exempt_on_pretest) out += fmt::format(", exempt_on_pretest={}", *r.exempt_on_pretest);
  if (!r.exempt_confirm_kinds.empty())
    out += fmt::format(", exempt_confirm_kinds=[{}]", fmt::join(r.exempt_confirm_kinds, ", "));
  if (r.pretest_counts) out += ", pretest_counts";
  if (r.monotonic) out += ", monotonic";
  return out;
}

// --- rollup --------------------------------------------------------------------------------

namespace {
rollup::group make_group(rollup::op o, std::vector<std::string> ids) {
  rollup::group g;
  g.kind = o;
  for (auto& id : ids) g.items.push_back({std::move(id), -1, 1.0, false});
  return g;
}
}  // namespace

rollup rollup::from_groups(std::vector<group> groups) {
  rollup r;
  r.groups_ = std::move(groups);
  if (r.groups_.empty()) r.groups_.push_back(group{});
  return r;
}

rollup rollup::all_of(std::vector<std::string> ids) {
  return from_groups({make_group(op::all_of, std::move(ids))});
}
rollup rollup::any_of(std::vector<std::string> ids) {
  return from_groups({make_group(op::any_of, std::move(ids))});
}
rollup rollup::k_of_n(std::uint32_t k, std::vector<std::string> ids) {
  if (k < 1) throw policy_error({"rollup.k: must be at least 1"});
  auto r = from_groups({make_group(op::k_of_n, std::move(ids))});
  r.groups_[0].k = k;
  return r;
}
rollup rollup::points(double min_points, std::vector<std::pair<std::string, double>> points,
                      std::vector<std::string> required) {
  std::vector<std::string> problems;
  if (!(min_points > 0) || !std::isfinite(min_points))
    problems.push_back(fmt::format("rollup.min_points: {} must be positive", min_points));
  for (const auto& [id, p] : points)
    if (!std::isfinite(p) || p < 0)
      problems.push_back(
          fmt::format("rollup.points['{}']: {} is not a non-negative number", id, p));
  if (!problems.empty()) throw policy_error(std::move(problems));
  group g;
  g.kind = op::points;
  g.min_points = min_points;
  for (auto& [id, p] : points) {
    bool req = std::find(required.begin(), required.end(), id) != required.end();
    g.items.push_back({id, -1, p, req});
  }
  // A required id without points is still an item (0 points) so validation can name it.
  for (auto& id : required) {
    bool listed =
        std::any_of(g.items.begin(), g.items.end(), [&](const item& it) { return it.id == id; });
    if (!listed) g.items.push_back({id, -1, 0.0, true});
  }
  return from_groups({std::move(g)});
}
rollup rollup::weighted_mean(std::vector<std::pair<std::string, double>> weights) {
  std::vector<std::string> problems;
  double total = 0.0;
  for (const auto& [id, w] : weights) {
    if (!std::isfinite(w) || w < 0)
      problems.push_back(
          fmt::format("rollup.weights['{}']: {} is not a non-negative number", id, w));
    else
      total += w;
  }
  if (!weights.empty() && problems.empty() && !(total > 0))
    problems.emplace_back("rollup.weights: weights sum to 0");
  if (!problems.empty()) throw policy_error(std::move(problems));
  group g;
  g.kind = op::weighted_mean;
  for (auto& [id, w] : weights) g.items.push_back({id, -1, w, false});
  return from_groups({std::move(g)});
}

rollup& rollup::add(std::string id, double value, bool required) {
  groups_[0].items.push_back({std::move(id), -1, value, required});
  return *this;
}

rollup& rollup::add(const rollup& nested) {
  const auto offset = static_cast<std::int32_t>(groups_.size());
  groups_[0].items.push_back({{}, offset, 1.0, false});
  for (group g : nested.groups_) {
    for (item& it : g.items)
      if (it.nested >= 0) it.nested += offset;
    groups_.push_back(std::move(g));
  }
  return *this;
}

const char* to_string(rollup::op o) noexcept { return detail::rollup_op_names.name(o); }

namespace {
std::string group_head(const rollup::group& g) {
  switch (g.kind) {
    case rollup::op::k_of_n:
      return fmt::format("k_of_n(k={}", g.k);
    case rollup::op::points:
      return fmt::format("points(min={}", g.min_points);
    default:
      return fmt::format("{}(", to_string(g.kind));
  }
}
}  // namespace

std::string to_string(const rollup& r) {
  // Iterative rendering: a stack of (group, next item) frames.
  std::string out;
  struct frame {
    std::size_t g;
    std::size_t next;
  };
  std::vector<frame> stack{{0, 0}};
  out += group_head(r.groups()[0]);
  bool first_in_group =
      r.groups()[0].kind != rollup::op::k_of_n && r.groups()[0].kind != rollup::op::points;
  if (r.groups()[0].items.empty()) out += first_in_group ? "children" : ", children";
  while (!stack.empty()) {
    frame& f = stack.back();
    const auto& g = r.groups()[f.g];
    if (f.next >= g.items.size()) {
      out += ')';
      stack.pop_back();
      first_in_group = false;
      continue;
    }
    const auto& it = g.items[f.next++];
    if (!first_in_group) out += ", ";
    first_in_group = false;
    if (it.nested >= 0) {
      const auto& ng = r.groups()[static_cast<std::size_t>(it.nested)];
      out += group_head(ng);
      first_in_group = ng.kind != rollup::op::k_of_n && ng.kind != rollup::op::points;
      if (ng.items.empty()) out += first_in_group ? "children" : ", children";
      stack.push_back({static_cast<std::size_t>(it.nested), 0});
      continue;
    }
    out += it.id;
    if (g.kind == rollup::op::points) out += fmt::format(":{}{}", it.value, it.required ? "!" : "");
    if (g.kind == rollup::op::weighted_mean && it.value != 1.0) out += fmt::format("*{}", it.value);
  }
  return out;
}

const char* to_string(rollup_precedence p) noexcept { return detail::precedence_names.name(p); }
const char* to_string(infer_prerequisites p) noexcept { return detail::infer_names.name(p); }

// --- checks ---------------------------------------------------------------------------

namespace {

// `s` null: the scale is unknown (a policy JSON without a valid scale), so exempt_on_pretest is
// not compared with it.
void rule_problems(const rule& r, const scale* s, const std::string& path,
                   std::vector<std::string>& out) {
  if (auto p = parameter_problem(r.method)) out.push_back(fmt::format("{}.method.{}", path, *p));
  if (r.window_last && *r.window_last < 1)
    out.push_back(fmt::format("{}.window_last: must be at least 1", path));
  if (r.window_last && r.min_evidence > *r.window_last)
    out.push_back(fmt::format("{}.min_evidence: {} can never be met with window_last={}", path,
                              r.min_evidence, *r.window_last));
  if (r.window_days && !(*r.window_days > 0.0 && std::isfinite(*r.window_days)))
    out.push_back(
        fmt::format("{}.window_days: {} is not a positive number of days", path, *r.window_days));
  if (r.expires_after_days &&
      !(*r.expires_after_days > 0.0 && std::isfinite(*r.expires_after_days)))
    out.push_back(fmt::format("{}.expires_after_days: {} is not a positive number of days", path,
                              *r.expires_after_days));
  if (r.exempt_on_pretest) {
    const double t = *r.exempt_on_pretest;
    if (!std::isfinite(t))
      out.push_back(fmt::format("{}.exempt_on_pretest: {} is not a number", path, t));
    else if (s && !(t >= s->score_min() && t <= s->score_max()))
      out.push_back(fmt::format("{}.exempt_on_pretest: {} is off the scale [{}, {}]", path, t,
                                s->score_min(), s->score_max()));
  }
  if (!r.exempt_confirm_kinds.empty() && !r.exempt_on_pretest)
    out.push_back(fmt::format("{}.exempt_confirm_kinds: set without exempt_on_pretest", path));
  auto check_kinds = [&](const std::vector<std::string>& ks, const char* field) {
    std::set<std::string> seen;
    for (std::size_t i = 0; i < ks.size(); ++i) {
      if (ks[i].empty()) out.push_back(fmt::format("{}.{}[{}]: empty kind", path, field, i));
      if (!seen.insert(ks[i]).second)
        out.push_back(fmt::format("{}.{}[{}]: duplicate kind '{}'", path, field, i, ks[i]));
      // A misspelt built-in kind ("discusion") would never match the evidence's kind: a gate
      // that never opens, or an ignore that never applies. Custom kinds that are not near-misses
      // ("portfolio") are fine. The same test as ingest_checks::near_miss_kinds.
      // A placement's score is a level, never a rating: requiring one would make mastery
      // impossible, ignoring or confirming with one has no effect.
      if (ks[i] == "placement")
        out.push_back(fmt::format(
            "{}.{}[{}]: 'placement' evidence never rates a competency: it places the learner in "
            "a domain (its score is a level, see infer_prerequisites), so it cannot {}",
            path, field, i,
            std::string_view(field) == "require_kinds"  ? "be required (mastery would be "
                                                          "impossible)"
            : std::string_view(field) == "ignore_kinds" ? "be ignored (it never counts)"
                                                        : "confirm an exemption"));
      // A waiver exempts by itself: it has no score to confirm or gate with.
      if (std::string_view(field) != "ignore_kinds" && detail::is_waiver_kind(ks[i]))
        out.push_back(fmt::format(
            "{}.{}[{}]: '{}' is a waiver kind: a waiver exempts the learner by itself (its score "
            "never counts), so it cannot {}",
            path, field, i, ks[i],
            std::string_view(field) == "require_kinds" ? "be required" : "confirm an exemption"));
      const auto& builtin = builtin_kinds();
      if (!ks[i].empty() && !detail::is_waiver_kind(ks[i]) &&
          std::find(builtin.begin(), builtin.end(), ks[i]) == builtin.end())
        if (const auto near = detail::near_miss(ks[i], builtin); !near.empty())
          out.push_back(fmt::format(
              "{}.{}[{}]: '{}' is a near-miss of the built-in kind '{}' (misspelt? a custom kind "
              "must differ from the built-in ones by more than case, '_', '-', spaces or one "
              "letter)",
              path, field, i, ks[i], near));
    }
  };
  check_kinds(r.require_kinds, "require_kinds");
  check_kinds(r.ignore_kinds, "ignore_kinds");
  check_kinds(r.exempt_confirm_kinds, "exempt_confirm_kinds");
  for (const auto& k : std::set<std::string>(r.require_kinds.begin(), r.require_kinds.end()))
    if (std::find(r.ignore_kinds.begin(), r.ignore_kinds.end(), k) != r.ignore_kinds.end())
      out.push_back(fmt::format("{}.ignore_kinds: '{}' is also a required kind", path, k));
}

void rollup_problems(const rollup& r, const std::string& path, std::vector<std::string>& out) {
  const auto& gs = r.groups();
  for (std::size_t gi = 0; gi < gs.size(); ++gi) {
    const auto& g = gs[gi];
    const std::string gp = fmt::format("{}.groups[{}]", path, gi);
    std::set<std::string> seen;
    double total = 0.0;
    for (std::size_t ii = 0; ii < g.items.size(); ++ii) {
      const auto& it = g.items[ii];
      const std::string ip = fmt::format("{}.items[{}]", gp, ii);
      if (it.nested >= 0) {
        if (static_cast<std::size_t>(it.nested) <= gi ||
            static_cast<std::size_t>(it.nested) >= gs.size())
          out.push_back(fmt::format("{}: nested group index {} is invalid", ip, it.nested));
        else if (g.kind == rollup::op::weighted_mean &&
                 gs[static_cast<std::size_t>(it.nested)].kind != rollup::op::weighted_mean)
          out.push_back(fmt::format("{}: a weighted_mean can only nest weighted_mean groups", ip));
      } else {
        if (it.id.empty()) out.push_back(fmt::format("{}: empty competency id", ip));
        if (!seen.insert(it.id).second)
          out.push_back(fmt::format("{}: duplicate item '{}'", ip, it.id));
      }
      if (!std::isfinite(it.value) || it.value < 0)
        out.push_back(fmt::format("{}.{}: {} is not a non-negative number", ip,
                                  g.kind == rollup::op::points ? "points" : "weight", it.value));
      else if (it.value != 1.0 && g.kind != rollup::op::points &&
               g.kind != rollup::op::weighted_mean)
        out.push_back(
            fmt::format("{}.weight: {} would be ignored: only points and weighted_mean "
                        "rollups give their items a value",
                        ip, it.value));
      else
        total += it.value;
      if (it.required && g.kind != rollup::op::points)
        out.push_back(fmt::format("{}.required: only points rollups have required items", ip));
    }
    if (g.kind == rollup::op::k_of_n) {
      if (g.k < 1) out.push_back(fmt::format("{}.k: must be at least 1", gp));
      if (!g.items.empty() && g.k > g.items.size())
        out.push_back(fmt::format("{}.k: k={} > n={} items", gp, g.k, g.items.size()));
    }
    if (g.kind == rollup::op::points) {
      if (!(g.min_points > 0) || !std::isfinite(g.min_points))
        out.push_back(fmt::format("{}.min_points: {} must be positive", gp, g.min_points));
      else if (!g.items.empty() && g.min_points > total + 1e-9)
        out.push_back(fmt::format("{}.min_points: {} exceeds the {} points available", gp,
                                  g.min_points, total));
    }
    if (g.kind == rollup::op::weighted_mean && !g.items.empty() && !(total > 0))
      out.push_back(fmt::format("{}: weights sum to 0", gp));
  }
}

void default_rollup_problems(const rollup& r, std::vector<std::string>& out) {
  rollup_problems(r, "default_rollup", out);
  for (const auto& g : r.groups())
    for (std::size_t i = 0; i < g.items.size(); ++i)
      if (g.items[i].nested < 0)
        out.push_back(
            fmt::format("default_rollup: names competency '{}'; a default rollup applies "
                        "to every parent and may only use children (no ids)",
                        g.items[i].id));
}

void throw_if_any(std::vector<std::string> problems) {
  if (!problems.empty()) throw policy_error(std::move(problems));
}

}  // namespace

// --- policy --------------------------------------------------------------------------------

namespace {
// A rule about to be set at `path` of a policy with scale `s`. \throws policy_error.
void check_rule(const rule& r, const scale& s, const std::string& path) {
  std::vector<std::string> out;
  rule_problems(r, &s, path, out);
  throw_if_any(std::move(out));
}
}  // namespace

policy::policy(masterymap::scale s, masterymap::rule default_rule, std::string name)
    : name_(std::move(name)), scale_(std::move(s)), default_rule_(std::move(default_rule)) {
  check_rule(default_rule_, scale_, "rule");
}

policy& policy::set_default_rule(masterymap::rule r) {
  check_rule(r, scale_, "rule");
  default_rule_ = std::move(r);
  return *this;
}
policy& policy::override_domain(std::string domain, masterymap::rule r) {
  check_rule(r, scale_, fmt::format("overrides.domains['{}']", domain));
  domain_rules_[std::move(domain)] = std::move(r);
  return *this;
}
policy& policy::override_competency(std::string id, masterymap::rule r) {
  check_rule(r, scale_, fmt::format("overrides.competencies['{}']", id));
  competency_rules_[std::move(id)] = std::move(r);
  return *this;
}
policy& policy::set_rollup(std::string parent, masterymap::rollup r) {
  std::vector<std::string> out;
  rollup_problems(r, fmt::format("rollups['{}']", parent), out);
  throw_if_any(std::move(out));
  rollups_.insert_or_assign(std::move(parent), std::move(r));
  return *this;
}
policy& policy::set_default_rollup(std::optional<masterymap::rollup> r) {
  if (r) {
    std::vector<std::string> out;
    default_rollup_problems(*r, out);
    throw_if_any(std::move(out));
  }
  default_rollup_ = std::move(r);
  return *this;
}
policy& policy::set_precedence(rollup_precedence p) noexcept {
  precedence_ = p;
  return *this;
}
policy& policy::set_infer_prerequisites(masterymap::infer_prerequisites p) noexcept {
  infer_ = p;
  return *this;
}

const rule& policy::rule_for(std::string_view id, std::string_view domain) const {
  if (auto it = competency_rules_.find(id); it != competency_rules_.end()) return it->second;
  if (auto it = domain_rules_.find(domain); it != domain_rules_.end()) return it->second;
  return default_rule_;
}

const char* policy::rule_scope(std::string_view id, std::string_view domain) const {
  if (competency_rules_.find(id) != competency_rules_.end()) return "competency";
  if (domain_rules_.find(domain) != domain_rules_.end()) return "domain";
  return "default";
}

std::vector<std::string> policy::kinds() const {
  std::set<std::string> out;
  auto add = [&](const rule& r) {
    out.insert(r.require_kinds.begin(), r.require_kinds.end());
    out.insert(r.ignore_kinds.begin(), r.ignore_kinds.end());
    out.insert(r.exempt_confirm_kinds.begin(), r.exempt_confirm_kinds.end());
  };
  add(default_rule_);
  for (const auto& [k, r] : domain_rules_) add(r);
  for (const auto& [k, r] : competency_rules_) add(r);
  return {out.begin(), out.end()};
}

std::vector<std::string> problems(const rule& r, std::string_view path) {
  std::vector<std::string> out;
  rule_problems(r, nullptr, std::string(path), out);
  return out;
}

void validate(const rule& r) { throw_if_any(problems(r)); }

std::vector<std::string> problems(const rollup& r, std::string_view path) {
  std::vector<std::string> out;
  rollup_problems(r, std::string(path), out);
  return out;
}

void validate(const rollup& r) { throw_if_any(problems(r)); }

namespace detail {

std::vector<std::string> policy_problems(const policy& p, const scale* s) {
  std::vector<std::string> out;
  rule_problems(p.default_rule(), s, "rule", out);
  for (const auto& [d, r] : p.domain_rules())
    rule_problems(r, s, fmt::format("overrides.domains['{}']", d), out);
  for (const auto& [id, r] : p.competency_rules())
    rule_problems(r, s, fmt::format("overrides.competencies['{}']", id), out);
  for (const auto& [id, r] : p.rollups()) rollup_problems(r, fmt::format("rollups['{}']", id), out);
  if (p.default_rollup()) default_rollup_problems(*p.default_rollup(), out);
  return out;
}

}  // namespace detail

std::vector<std::string> policy::problems() const {
  return detail::policy_problems(*this, &scale_);
}

void policy::validate() const {
  auto p = problems();
  if (!p.empty()) throw policy_error(std::move(p));
}

bool operator==(const policy& a, const policy& b) {
  return a.name_ == b.name_ && a.scale_ == b.scale_ && a.default_rule_ == b.default_rule_ &&
         a.domain_rules_ == b.domain_rules_ && a.competency_rules_ == b.competency_rules_ &&
         a.rollups_ == b.rollups_ && a.default_rollup_ == b.default_rollup_ &&
         a.precedence_ == b.precedence_ && a.infer_ == b.infer_;
}

std::string to_string(const policy& p) {
  return fmt::format("policy '{}': scale {}, default {}, {} overrides, {} rollups", p.name(),
                     p.scale().name(), to_string(p.default_rule().method),
                     p.domain_rules().size() + p.competency_rules().size(), p.rollups().size());
}

}  // namespace masterymap
