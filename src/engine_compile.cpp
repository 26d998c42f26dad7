// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// The engine: compiling a policy against a framework (distinct rules per competency, rollups
// resolved to framework indices), and binding a compiled policy to one evidence log.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>
#include <string>
#include <unordered_set>
#include <utility>

#include "engine_detail.hpp"

namespace masterymap::detail {

// --- compiling a policy --------------------------------------------------------------------------

namespace {

// Children-before-parents order of the whole hierarchy (Kahn's algorithm on child -> parent:
// iterative, so deep hierarchies cannot overflow the stack).
std::vector<index_t> hierarchy_post_order(const framework& fw) {
  const std::size_t n = fw.size();
  std::vector<std::uint32_t> pending(n, 0);
  std::vector<std::vector<index_t>> parents_of(n);
  for (const auto& [p, c] : fw.hierarchy()) {
    ++pending[p];
    parents_of[c].push_back(p);
  }
  std::vector<index_t> order;
  order.reserve(n);
  for (index_t i = 0; i < n; ++i)
    if (pending[i] == 0) order.push_back(i);
  for (std::size_t h = 0; h < order.size(); ++h)
    for (index_t p : parents_of[order[h]])
      if (--pending[p] == 0) order.push_back(p);
  return order;
}

// Descendants of `root` in the hierarchy (iterative BFS).
std::unordered_set<index_t> descendants_of(const framework& fw, index_t root) {
  std::unordered_set<index_t> seen;
  std::vector<index_t> queue = fw.children(root);
  for (std::size_t h = 0; h < queue.size(); ++h) {
    if (!seen.insert(queue[h]).second) continue;
    for (index_t c : fw.children(queue[h])) queue.push_back(c);
  }
  return seen;
}

// Resolves a rollup against the framework, reporting problems with `path`.
rrollup resolve(const rollup& r, const framework& fw, index_t parent, const std::string& path,
                std::vector<std::string>& problems) {
  rrollup out;
  out.text = to_string(r);
  // Descendant sets only for explicit ids (a default rollup over a long chain stays linear).
  bool explicit_ids = false;
  for (const auto& g : r.groups())
    for (const auto& it : g.items) explicit_ids = explicit_ids || it.nested < 0;
  const auto desc = explicit_ids ? descendants_of(fw, parent) : std::unordered_set<index_t>{};
  const auto kids = fw.children(parent);
  for (std::size_t gi = 0; gi < r.groups().size(); ++gi) {
    const auto& g = r.groups()[gi];
    rgroup rg;
    rg.kind = g.kind;
    rg.k = g.k;
    rg.min_points = g.min_points;
    if (g.items.empty()) {
      if (kids.empty())
        problems.push_back(fmt::format("{}.groups[{}].items: '{}' has no children to roll up", path,
                                       gi, fw.id_of(parent)));
      for (index_t c : kids) rg.items.push_back({static_cast<std::int32_t>(c), -1, 1.0, false});
      if (g.kind == rollup::op::k_of_n && g.k > kids.size() && !kids.empty())
        problems.push_back(fmt::format("{}.groups[{}].k: k={} > n={} children of '{}'", path, gi,
                                       g.k, kids.size(), fw.id_of(parent)));
      if (g.kind == rollup::op::points && g.min_points > static_cast<double>(kids.size()) &&
          !kids.empty())
        problems.push_back(
            fmt::format("{}.groups[{}].min_points: {} exceeds the {} points of the children", path,
                        gi, g.min_points, kids.size()));
    }
    for (std::size_t ii = 0; ii < g.items.size(); ++ii) {
      const auto& it = g.items[ii];
      rgroup::ritem ri{-1, it.nested, it.value, it.required};
      if (it.nested < 0) {
        auto idx = fw.find(it.id);
        if (!idx) {
          problems.push_back(
              fmt::format("{}.groups[{}].items[{}]: unknown competency '{}'", path, gi, ii, it.id));
        } else if (!desc.count(*idx)) {
          problems.push_back(
              fmt::format("{}.groups[{}].items[{}]: '{}' is not a descendant of '{}'", path, gi, ii,
                          it.id, fw.id_of(parent)));
        } else {
          ri.comp = static_cast<std::int32_t>(*idx);
        }
      }
      rg.items.push_back(ri);
    }
    out.groups.push_back(std::move(rg));
  }
  return out;
}

}  // namespace

std::shared_ptr<const compiled_policy> compile(framework fw, policy pol,
                                               std::vector<std::string>* report) {
  auto ctx = std::make_shared<compiled_policy>();
  std::vector<std::string> problems = pol.problems();
  const std::size_t n = fw.size();
  // Overrides must name things the framework has.
  for (const auto& [id, r] : pol.competency_rules())
    if (!fw.contains(id))
      problems.push_back(fmt::format("overrides.competencies['{}']: unknown competency", id));
  {
    std::set<std::string, std::less<>> domains;
    for (const auto& c : fw.competencies()) domains.insert(c.domain);
    for (const auto& [d, r] : pol.domain_rules())
      if (!domains.count(d))
        problems.push_back(
            fmt::format("overrides.domains['{}']: no competency has this domain", d));
  }
  // Rules per competency (deduplicated so bindings are computed once per distinct rule).
  ctx->rule_of.resize(n);
  for (index_t i = 0; i < n; ++i) {
    const auto& c = fw.at(i);
    const rule& r = pol.rule_for(c.id, c.domain);
    auto it = std::find(ctx->rules.begin(), ctx->rules.end(), r);
    if (it == ctx->rules.end()) {
      if (ctx->rules.size() >= 0xFFFF)
        throw policy_error({"overrides: more than 65535 distinct rules"});
      ctx->rules.push_back(r);
      it = ctx->rules.end() - 1;
    }
    ctx->rule_of[i] = static_cast<std::uint16_t>(it - ctx->rules.begin());
  }
  // Rollups.
  ctx->rollup_of.assign(n, -1);
  for (const auto& [id, r] : pol.rollups()) {
    auto idx = fw.find(id);
    if (!idx) {
      problems.push_back(fmt::format("rollups['{}']: unknown competency", id));
      continue;
    }
    ctx->rollup_of[*idx] = static_cast<std::int32_t>(ctx->rollups.size());
    ctx->rollups.push_back(resolve(r, fw, *idx, fmt::format("rollups['{}']", id), problems));
  }
  if (pol.default_rollup()) {
    for (index_t i = 0; i < n; ++i) {
      if (ctx->rollup_of[i] >= 0 || fw.children(i).empty()) continue;
      ctx->rollup_of[i] = static_cast<std::int32_t>(ctx->rollups.size());
      ctx->rollups.push_back(resolve(*pol.default_rollup(), fw, i, "default_rollup", problems));
    }
  }
  if (report) {
    *report = std::move(problems);
    return nullptr;
  }
  if (!problems.empty()) throw policy_error(std::move(problems));
  for (index_t i : hierarchy_post_order(fw))
    if (ctx->rollup_of[i] >= 0) ctx->rollup_order.push_back(i);
  ctx->bkt_rules = masterymap::bkt_rules(pol);
  // The parts a parent's rollup cannot hold without (every part of an all_of top group, the
  // required parts of any other): a parent known is evidence that they are known, so inference
  // carries down to them (an inferred unit infers its lessons).
  std::vector<std::pair<index_t, index_t>> parts;
  for (index_t p : ctx->rollup_order) {
    const rgroup& top = ctx->rollups[static_cast<std::size_t>(ctx->rollup_of[p])].groups[0];
    for (const auto& item : top.items)
      if (item.comp >= 0 && (top.kind == rollup::op::all_of || item.required))
        parts.emplace_back(p, static_cast<index_t>(item.comp));
  }
  ctx->inference = make_inference_graph(fw, pol.infer_prerequisites(), parts);
  ctx->fw = std::move(fw);
  ctx->pol = std::move(pol);
  return ctx;
}

void require_probability_source(const std::vector<std::string>& bkt_rules,
                                const probability_source* p) {
  if (p != nullptr || bkt_rules.empty()) return;
  std::vector<std::string> problems;
  for (const auto& path : bkt_rules)
    problems.push_back(fmt::format(
        "{}.method: bkt needs a probability source; none was given (pass probabilities=, e.g. a "
        "fitted bkt model's probability_source(); in C++ evaluate_options::probabilities or "
        "roster_options::probabilities)",
        path));
  throw policy_error(std::move(problems));
}

// --- binding a compiled policy to one log ----------------------------------------------------

rule_binding bind_rule(const rule& r, const evidence_log& log) {
  auto code = [&](const std::string& k) -> int {
    auto x = log.kind_code(k);
    return x ? static_cast<int>(*x) : -1;
  };
  rule_binding rb;
  rb.pretest = code("pretest");
  // Placement evidence never rates the competency it names (it places the learner in a domain).
  if (int x = code("placement"); x >= 0) rb.flags[static_cast<std::size_t>(x)] |= flag_ignored;
  for (const auto& k : r.ignore_kinds)
    if (int x = code(k); x >= 0) rb.flags[static_cast<std::size_t>(x)] |= flag_ignored;
  if (rb.pretest >= 0 && !r.pretest_counts)
    rb.flags[static_cast<std::size_t>(rb.pretest)] |= flag_pretest;
  // A waiver exempts and never counts, unless the rule ignores its kind: "waiver" in
  // ignore_kinds ignores every waiver, whatever its reason; "waiver:<reason>" that reason's.
  const bool ignore_waivers =
      std::find(r.ignore_kinds.begin(), r.ignore_kinds.end(), "waiver") != r.ignore_kinds.end();
  const auto& names = log.kinds();
  for (std::size_t x = 0; x < names.size(); ++x)
    if (is_waiver_kind(names[x]) && rb.flags[x] == 0)
      rb.flags[x] = ignore_waivers ? flag_ignored : flag_waiver;
  for (const auto& k : r.require_kinds) rb.require.push_back(code(k));
  for (const auto& k : r.exempt_confirm_kinds) rb.confirm.push_back(code(k));
  return rb;
}

binding::binding(const compiled_policy& c, const evidence_log& l, double when,
                 const probability_source* p)
    : ctx(&c),
      log(&l),
      attrs(l.attributes().data()),
      as_of(when),
      prob(p),
      any_retracted(!l.retractions().empty()) {
  require_probability_source(c.bkt_rules, p);
  comp_map.resize(l.competencies().size());
  for (std::size_t j = 0; j < comp_map.size(); ++j) {
    auto idx = c.fw.find(l.competencies()[j]);
    comp_map[j] = idx ? *idx : none32;
  }
  rules.reserve(c.rules.size());
  for (const rule& r : c.rules) rules.push_back(bind_rule(r, l));
  if (auto k = l.kind_code("placement")) {
    placement_kind = static_cast<int>(*k);
    for (const auto& a : l.attributes())
      if (a.kind == *k) any_placement = true;
  }
}

double default_as_of(const evidence_log& log, const evaluate_options& o) {
  if (o.as_of) {
    if (const std::string why = time_problem(*o.as_of); !why.empty())
      throw std::invalid_argument("as_of: " + why);
    return *o.as_of;
  }
  const double t = log.max_time();
  return std::isnan(t) ? std::numeric_limits<double>::infinity() : t;
}

}  // namespace masterymap::detail
