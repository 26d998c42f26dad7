// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <masterymap/progression.hpp>
#include <stdexcept>
#include <utility>

#include "progression_cache.hpp"
#include "progression_impl.hpp"

namespace masterymap {

namespace {

constexpr double nan_v = std::numeric_limits<double>::quiet_NaN();

using rollup_list = std::vector<std::pair<index_t, std::vector<index_t>>>;

// The rollup parents of a policy over a framework, each with its parts: the competency items
// of its rollup (every group, nested ones included), or the children for a group without
// items. Ids the framework does not know are skipped (the engine reports them).
rollup_list rollups_of(const framework& fw, const policy& p) {
  rollup_list out;
  auto parts_of = [&](index_t parent, const rollup& r) {
    std::vector<index_t> parts;
    for (const auto& g : r.groups()) {
      if (g.items.empty()) {
        const auto kids = fw.children(parent);
        parts.insert(parts.end(), kids.begin(), kids.end());
      }
      for (const auto& it : g.items)
        if (it.nested < 0)
          if (auto i = fw.find(it.id)) parts.push_back(*i);
    }
    std::sort(parts.begin(), parts.end());
    parts.erase(std::unique(parts.begin(), parts.end()), parts.end());
    parts.erase(std::remove(parts.begin(), parts.end(), parent), parts.end());
    return parts;
  };
  for (index_t i = 0; i < fw.size(); ++i) {
    auto it = p.rollups().find(fw.id_of(i));
    if (it != p.rollups().end())
      out.emplace_back(i, parts_of(i, it->second));
    else if (p.default_rollup() && !fw.children(i).empty())
      out.emplace_back(i, parts_of(i, *p.default_rollup()));
  }
  return out;
}

// The parts of a policy that inference reads (`progression::infer`): scale, rollups,
// infer_prerequisites.
policy rule_of(const policy& p) {
  policy r(p.scale());
  for (const auto& [id, ru] : p.rollups()) r.set_rollup(id, ru);
  r.set_default_rollup(p.default_rollup());
  r.set_infer_prerequisites(p.infer_prerequisites());
  return r;
}

// frontier_flags' gating edges (progression_data::gate_*): the in-edges plus a self-edge
// needing done_code per rollup parent, grouped by dependent, the dependents (ascending index)
// in classes of ascending in-degree. O(edges + n).
void build_gates(detail::progression_data& d) {
  const std::size_t n = d.n;
  std::vector<std::uint32_t> degree(n, 0);
  for (index_t c = 0; c < n; ++c)
    degree[c] = d.in_off[c + 1] - d.in_off[c] + (d.target[c] ? 0U : 1U);
  const std::uint32_t top = n == 0 ? 0U : *std::max_element(degree.begin(), degree.end());
  d.gate_classes.clear();
  d.gate_comp.clear();
  d.gate_src.clear();
  d.gate_need.clear();
  for (std::uint32_t deg = 1; deg <= top; ++deg) {
    const auto first = static_cast<std::uint32_t>(d.gate_comp.size());
    const auto edges = static_cast<std::uint32_t>(d.gate_src.size());
    for (index_t c = 0; c < n; ++c) {
      if (degree[c] != deg) continue;
      d.gate_comp.push_back(c);
      for (std::uint32_t k = d.in_off[c]; k < d.in_off[c + 1]; ++k) {
        d.gate_src.push_back(d.in_src[k]);
        d.gate_need.push_back(d.in_need[k]);
      }
      if (!d.target[c]) {
        d.gate_src.push_back(c);
        d.gate_need.push_back(progression::done_code);
      }
    }
    if (d.gate_comp.size() != first) d.gate_classes.push_back({deg, first, edges});
  }
  d.gate_classes.push_back({0, static_cast<std::uint32_t>(d.gate_comp.size()),
                            static_cast<std::uint32_t>(d.gate_src.size())});
}

// The flags of dependents [first, end) of a class of in-degree D (edges s, q: D per dependent):
// not done and every edge met.
template <std::uint32_t D>
void gate_run(const std::uint8_t* codes, std::uint8_t* out, const std::uint32_t* comp,
              std::uint32_t first, std::uint32_t end, const std::uint32_t* s,
              const std::uint8_t* q) noexcept {
  for (std::uint32_t i = first; i < end; ++i, s += D, q += D) {
    unsigned ok = 1;
    for (std::uint32_t j = 0; j < D; ++j) ok &= codes[s[j]] >= q[j] ? 1U : 0U;
    out[comp[i]] &= static_cast<std::uint8_t>(ok);
  }
}

std::shared_ptr<const detail::progression_data> compile(framework fw, const scale& sc,
                                                        rollup_list rollups,
                                                        std::optional<policy> rule = {}) {
  auto d = std::make_shared<detail::progression_data>(std::move(fw), sc);
  d->rule = std::move(rule);
  const framework& f = d->fw;
  const std::size_t n = f.size();
  d->n = n;
  d->tol = sc.tolerance();
  // The default familiar level: the lowest rating above the bottom, when it lies below mastery.
  std::optional<std::size_t> default_rating;
  if (sc.size() >= 3 && sc.mastery_index() > 1) default_rating = 1;
  // Collect the distinct familiar levels.
  const auto& edges = f.edges();
  std::vector<std::pair<double, std::string>> levels;
  auto level_of = [&](const prerequisite_edge& e) -> std::optional<double> {
    if (e.min_level) return *e.min_level;
    if (default_rating) return sc.ratings()[*default_rating].value;
    return std::nullopt;  // "started"
  };
  for (const auto& e : edges) {
    if (e.strength != strength::familiar) continue;
    if (auto v = level_of(e)) levels.emplace_back(*v, std::string());
  }
  std::sort(levels.begin(), levels.end());
  for (const auto& lv : levels)
    if (d->thresholds.empty() || lv.first > d->thresholds.back() + d->tol) {
      d->thresholds.push_back(lv.first);
      std::string label = fmt::format("{:g}", lv.first);
      for (const auto& r : sc.ratings())
        if (std::fabs(r.value - lv.first) <= d->tol) label = r.label;
      d->threshold_labels.push_back(std::move(label));
    }
  if (d->thresholds.size() > 252)
    throw std::length_error("progression: more than 252 distinct familiar levels");
  auto need_of = [&](const prerequisite_edge& e) -> std::uint8_t {
    switch (e.strength) {
      case strength::required:
        return progression::done_code;
      case strength::recommended:
        return 0;
      case strength::familiar:
        break;
    }
    auto v = level_of(e);
    if (!v) return 1;
    std::size_t k = 0;
    while (k + 1 < d->thresholds.size() && d->thresholds[k] + d->tol < *v) ++k;
    return static_cast<std::uint8_t>(2 + k);
  };
  d->edge_need.reserve(edges.size());
  for (const auto& e : edges) d->edge_need.push_back(need_of(e));
  // CSR, gating edges only, in insertion order per vertex.
  d->in_off.assign(n + 1, 0);
  d->out_off.assign(n + 1, 0);
  d->all_in_off.assign(n + 1, 0);
  for (std::size_t k = 0; k < edges.size(); ++k) {
    d->all_in_off[edges[k].dependent + 1]++;
    if (edges[k].strength == strength::recommended) continue;
    d->in_off[edges[k].dependent + 1]++;
    d->out_off[edges[k].prerequisite + 1]++;
  }
  for (std::size_t i = 0; i < n; ++i) {
    d->in_off[i + 1] += d->in_off[i];
    d->out_off[i + 1] += d->out_off[i];
    d->all_in_off[i + 1] += d->all_in_off[i];
  }
  d->in_src.resize(d->in_off[n]);
  d->in_dst.resize(d->in_off[n]);
  d->in_need.resize(d->in_off[n]);
  d->out_dst.resize(d->out_off[n]);
  d->out_need.resize(d->out_off[n]);
  d->all_in_src.resize(d->all_in_off[n]);
  std::vector<std::uint32_t> pi(d->in_off.begin(), d->in_off.end() - 1),
      po(d->out_off.begin(), d->out_off.end() - 1),
      pa(d->all_in_off.begin(), d->all_in_off.end() - 1);
  for (std::size_t k = 0; k < edges.size(); ++k) {
    const auto& e = edges[k];
    d->all_in_src[pa[e.dependent]++] = e.prerequisite;
    if (e.strength == strength::recommended) continue;
    const std::uint32_t a = pi[e.dependent]++, b = po[e.prerequisite]++;
    d->in_src[a] = e.prerequisite;
    d->in_dst[a] = e.dependent;
    d->in_need[a] = d->edge_need[k];
    d->out_dst[b] = e.dependent;
    d->out_need[b] = d->edge_need[k];
  }
  d->rank.assign(f.topological_rank().begin(), f.topological_rank().end());
  d->order.resize(d->rank.size());
  for (index_t c = 0; c < d->rank.size(); ++c) d->order[d->rank[c]] = c;
  d->depth = f.depths();
  // Learning targets and the parts of rollup parents.
  d->target.assign(n, 1);
  std::sort(rollups.begin(), rollups.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  d->part_off.assign(n + 1, 0);
  for (const auto& [parent, parts] : rollups) {
    if (parent >= n)
      throw std::out_of_range(fmt::format("rollup parent index {} out of range ({})", parent, n));
    for (index_t x : parts)
      if (x >= n)
        throw std::out_of_range(fmt::format("rollup part index {} out of range ({})", x, n));
    d->target[parent] = 0;
    d->part_off[parent + 1] = static_cast<std::uint32_t>(parts.size());
  }
  for (std::size_t i = 0; i < n; ++i) d->part_off[i + 1] += d->part_off[i];
  d->part.resize(d->part_off[n]);
  for (const auto& [parent, parts] : rollups)
    std::copy(parts.begin(), parts.end(), d->part.begin() + d->part_off[parent]);
  build_gates(*d);
  // Domains and levels.
  d->domain_of.resize(n);
  d->level_of.resize(n);
  for (index_t i = 0; i < n; ++i) {
    const competency& c = f.at(i);
    auto it = std::find(d->domain_names.begin(), d->domain_names.end(), c.domain);
    d->domain_of[i] = static_cast<std::uint32_t>(it - d->domain_names.begin());
    if (it == d->domain_names.end()) d->domain_names.push_back(c.domain);
    d->level_of[i] = c.level && c.kind == competency_kind::academic
                         ? *c.level
                         : detail::progression_data::no_level;
  }
  std::vector<std::vector<int>> dom_levels(d->domain_names.size());
  for (index_t i = 0; i < n; ++i)
    if (d->level_of[i] != detail::progression_data::no_level)
      dom_levels[d->domain_of[i]].push_back(d->level_of[i]);
  d->slot_off.assign(1, 0);
  for (auto& ls : dom_levels) {
    std::sort(ls.begin(), ls.end());
    ls.erase(std::unique(ls.begin(), ls.end()), ls.end());
    d->slot_level.insert(d->slot_level.end(), ls.begin(), ls.end());
    d->slot_off.push_back(static_cast<std::uint32_t>(d->slot_level.size()));
  }
  d->slot_of.assign(n, detail::progression_data::no_slot);
  for (index_t i = 0; i < n; ++i)
    if (d->level_of[i] != detail::progression_data::no_level) {
      const auto first = d->slot_level.begin() + d->slot_off[d->domain_of[i]];
      const auto last = d->slot_level.begin() + d->slot_off[d->domain_of[i] + 1];
      d->slot_of[i] = static_cast<std::uint32_t>(std::lower_bound(first, last, d->level_of[i]) -
                                                 d->slot_level.begin());
    }
  // The competencies of each slot, ascending by index (CSR), for `level`.
  d->slot_comp_off.assign(d->slot_level.size() + 1, 0);
  for (index_t i = 0; i < n; ++i)
    if (d->slot_of[i] != detail::progression_data::no_slot) ++d->slot_comp_off[d->slot_of[i] + 1];
  for (std::size_t j = 0; j < d->slot_level.size(); ++j)
    d->slot_comp_off[j + 1] += d->slot_comp_off[j];
  d->slot_comp.resize(d->slot_comp_off.back());
  {
    std::vector<std::uint32_t> at(d->slot_comp_off.begin(), d->slot_comp_off.end() - 1);
    for (index_t i = 0; i < n; ++i)
      if (d->slot_of[i] != detail::progression_data::no_slot) d->slot_comp[at[d->slot_of[i]]++] = i;
  }
  return d;
}

}  // namespace

namespace detail {

// The unmet gating closure below `roots` (roots themselves included when `with_roots`), as
// blockers in learning order; with `expand_rollups`, a rollup parent in it brings its parts not
// done (and theirs). Iterative (explicit stack): depth never recurses.
std::vector<blocker> closure(const progression& p, const learner_view& v, const std::uint8_t* codes,
                             const std::vector<index_t>& roots, bool with_roots,
                             bool expand_rollups) {
  const auto& d = p.data();
  std::vector<std::uint8_t> need(d.n, 0), in_set(d.n, 0);
  std::vector<std::vector<index_t>> blocks;  // by slot
  std::vector<std::uint32_t> slot(d.n, 0);
  std::vector<index_t> members, stack;
  auto add = [&](index_t x) {
    in_set[x] = 1;
    slot[x] = static_cast<std::uint32_t>(members.size());
    members.push_back(x);
    blocks.emplace_back();
    stack.push_back(x);
  };
  for (index_t r : roots)
    if (codes[r] != progression::done_code && !in_set[r]) {
      add(r);
      need[r] = progression::done_code;
    }
  while (!stack.empty()) {
    const index_t x = stack.back();
    stack.pop_back();
    for (std::uint32_t k = d.in_off[x]; k < d.in_off[x + 1]; ++k) {
      const index_t q = d.in_src[k];
      if (codes[q] >= d.in_need[k]) continue;
      if (!in_set[q]) add(q);
      need[q] = std::max(need[q], d.in_need[k]);
      blocks[slot[q]].push_back(x);
    }
    if (expand_rollups && !d.target[x])
      for (std::uint32_t k = d.part_off[x]; k < d.part_off[x + 1]; ++k) {
        const index_t q = d.part[k];
        if (codes[q] == progression::done_code) continue;
        if (!in_set[q]) add(q);
        need[q] = progression::done_code;
        blocks[slot[q]].push_back(x);
      }
  }
  std::vector<std::uint8_t> is_root(d.n, 0);
  if (!with_roots)
    for (index_t r : roots) is_root[r] = 1;
  std::vector<index_t> order;
  for (index_t x : members)
    if (!is_root[x] || with_roots) order.push_back(x);
  // A root reached from another root is a prerequisite, not just a root: keep it.
  if (!with_roots)
    for (index_t x : members)
      if (is_root[x] && !blocks[slot[x]].empty()) order.push_back(x);
  auto by_rank = [&](index_t a, index_t b) { return d.rank[a] < d.rank[b]; };
  std::sort(order.begin(), order.end(), by_rank);
  std::vector<std::uint32_t> dist(d.n, 0);
  std::vector<blocker> out;
  out.reserve(order.size());
  for (index_t x : order) {
    blocker b;
    b.competency = x;
    b.id = d.fw.id_of(x);
    b.status = v.statuses[x];
    b.score = score_at(v, x);
    b.needed = p.attainment_label(need[x]);
    if (need[x] >= 2 && need[x] != progression::done_code)
      b.needed_level = d.thresholds[need[x] - 2u];
    auto& bl = blocks[slot[x]];
    std::sort(bl.begin(), bl.end(), by_rank);
    bl.erase(std::unique(bl.begin(), bl.end()), bl.end());
    b.blocks = bl;
    b.ready = ready_at(d, codes, x);
    std::uint32_t dd = 0;
    if (!b.ready)
      for (std::uint32_t k = d.in_off[x]; k < d.in_off[x + 1]; ++k)
        if (codes[d.in_src[k]] < d.in_need[k]) dd = std::max(dd, dist[d.in_src[k]] + 1);
    dist[x] = dd;
    b.distance = dd;
    out.push_back(std::move(b));
  }
  return out;
}

}  // namespace detail

using detail::check_index;
using detail::check_view;
using detail::closure;
using detail::ready_at;
using detail::score_at;

// --- views -------------------------------------------------------------------------------------

learner_view view_of(const learner_state& s) noexcept {
  learner_view v;
  v.statuses = s.statuses().data();
  v.scores = s.scores().data();
  v.size = s.size();
  v.as_of = s.as_of();
  return v;
}

std::vector<double> last_evidence_times(const learner_state& s, const evidence_log& log) {
  std::vector<double> out(s.size(), nan_v);
  const auto& times = log.times();
  const auto& counts = s.evidence_counts();
  for (index_t c = 0; c < s.size(); ++c) {
    if (counts[c] == 0) continue;  // no evidence up to the evaluation time
    const auto [first, last] = s.evidence_row_range(c);
    for (const std::uint32_t* it = first; it != last; ++it) {
      const std::uint32_t r = *it;
      if (r >= times.size())
        throw std::invalid_argument("last_evidence_times: the log is not the state's log");
      const double t = times[r];
      if (t <= s.as_of() && !(t <= out[c])) out[c] = t;
    }
  }
  return out;
}

// The lazily compiled progression of an engine and of the states it evaluates.
namespace {
// `ctx`: the engine's compiled policy, shared with the progression's `infer`.
const progression& cached(detail::progression_cache* slot, const framework& fw, const policy& p,
                          const std::shared_ptr<const detail::compiled_policy>& ctx) {
  if (!slot) throw std::logic_error("learner_state: not evaluated");
  std::call_once(slot->once, [&] {
    auto prog = std::make_shared<const progression>(fw, p);
    prog->data().inference->ctx = ctx;  // before it is shared
    slot->value = std::move(prog);
  });
  return *slot->value;
}
}  // namespace

const progression& engine::progression() const {
  return cached(progression_.get(), framework(), policy(), ctx_);
}
const progression& learner_state::progression() const {
  if (!ctx_) throw std::logic_error("learner_state: not evaluated");
  return cached(progression_.get(), framework(), policy(), ctx_);
}

// --- progression -------------------------------------------------------------------------------

progression::progression(masterymap::framework fw, const masterymap::scale& sc)
    : d_(compile(std::move(fw), sc, {})) {}
progression::progression(masterymap::framework fw, const policy& p) {
  rollup_list r = rollups_of(fw, p);
  d_ = compile(std::move(fw), p.scale(), std::move(r), rule_of(p));
}
progression::progression(const engine& e)
    : d_(compile(e.framework(), e.policy().scale(), rollups_of(e.framework(), e.policy()),
                 rule_of(e.policy()))) {}
progression::progression(masterymap::framework fw, const masterymap::scale& sc,
                         std::vector<std::pair<index_t, std::vector<index_t>>> rollups)
    : d_(compile(std::move(fw), sc, std::move(rollups))) {}

bool progression::is_learning_target(index_t c) const {
  check_index(*d_, c);
  return d_->target[c] != 0;
}

std::vector<std::pair<index_t, std::vector<index_t>>> progression::rollups() const {
  std::vector<std::pair<index_t, std::vector<index_t>>> out;
  for (index_t c = 0; c < d_->n; ++c)
    if (!d_->target[c])
      out.emplace_back(c, std::vector<index_t>(d_->part.begin() + d_->part_off[c],
                                               d_->part.begin() + d_->part_off[c + 1]));
  return out;
}

const framework& progression::framework() const noexcept { return d_->fw; }
const masterymap::scale& progression::scale() const noexcept { return d_->sc; }

bool operator==(const progression& a, const progression& b) {
  return a.d_ == b.d_ ||
         (a.d_->fw == b.d_->fw && a.d_->sc == b.d_->sc && a.d_->target == b.d_->target &&
          a.d_->part_off == b.d_->part_off && a.d_->part == b.d_->part && a.d_->rule == b.d_->rule);
}
std::size_t progression::size() const noexcept { return d_->n; }

std::uint8_t progression::attainment(status s, double score) const noexcept {
  if (is_done(s)) return done_code;
  if (s == status::not_started) return 0;
  std::uint8_t c = 1;
  const auto& t = d_->thresholds;
  for (std::size_t k = 0; k < t.size() && score >= t[k] - d_->tol; ++k)
    c = static_cast<std::uint8_t>(k + 2);
  return c;
}

void progression::encode(const status* statuses, const double* scores,
                         std::uint8_t* out) const noexcept {
  const std::size_t n = d_->n;
  if (d_->thresholds.empty() || scores == nullptr) {
    for (std::size_t c = 0; c < n; ++c) out[c] = attainment(statuses[c], nan_v);
    return;
  }
  for (std::size_t c = 0; c < n; ++c) out[c] = attainment(statuses[c], scores[c]);
}

std::string progression::attainment_label(std::uint8_t c) const {
  if (c == done_code) return "mastered";
  if (c == 0) return "none";
  if (c == 1) return "started";
  const std::size_t k = c - 2u;
  return k < d_->threshold_labels.size() ? d_->threshold_labels[k] : fmt::format("level {}", c);
}

std::uint8_t progression::needed_attainment(const prerequisite_edge& e) const {
  const auto& edges = d_->fw.edges();
  for (std::size_t k = 0; k < edges.size(); ++k)
    if (edges[k].prerequisite == e.prerequisite && edges[k].dependent == e.dependent)
      return d_->edge_need[k];
  throw std::invalid_argument("needed_attainment: no such prerequisite edge");
}

void progression::frontier_flags(const std::uint8_t* codes, std::uint8_t* out) const noexcept {
  const auto& d = *d_;
  const std::size_t n = d.n;
  // Branch-free: every flag starts as "not done", then each gating edge (a flat list, grouped
  // by dependent) clears its dependent's flag when unmet. No data-dependent branches, so the
  // loop runs at the machine's load throughput (the per-competency inner loops of varying
  // length cost a branch misprediction per competency).
  // Eight codes at a time (GCC's -O2 does not vectorise the byte loop): a byte of
  // x = codes ^ done is zero exactly where the code is done_code, and
  // ((x & 0x7f..) + 0x7f.. | x) has its top bit set exactly where the byte is non-zero.
  std::size_t c = 0;
  constexpr std::uint64_t ones = 0x0101010101010101ULL, low7 = 0x7f7f7f7f7f7f7f7fULL;
  for (; c + 8 <= n; c += 8) {
    std::uint64_t x;
    std::memcpy(&x, codes + c, 8);
    x ^= ones * done_code;
    const std::uint64_t not_done = ((((x & low7) + low7) | x) >> 7) & ones;
    std::memcpy(out + c, &not_done, 8);
  }
  for (; c < n; ++c) out[c] = static_cast<std::uint8_t>(codes[c] != done_code);
  // Then each dependent with gating edges (a rollup parent has a never-met self-edge: not a
  // learning target) gets its flag once, class by class of equal in-degree: a fixed trip count
  // per class, the edges' results ANDed in a register (writing the flag per edge made a chain
  // of store-to-load forwards per dependent). O(edges + competencies), no data-dependent branch.
  const auto& g = d.gate_classes;
  const std::uint32_t* comp = d.gate_comp.data();
  const std::uint32_t* src = d.gate_src.data();
  const std::uint8_t* need = d.gate_need.data();
  for (std::size_t k = 0; k + 1 < g.size(); ++k) {
    const std::uint32_t deg = g[k].degree, end = g[k + 1].first;
    const std::uint32_t* s = src + g[k].edges;
    const std::uint8_t* q = need + g[k].edges;
    switch (deg) {
      case 1:
        gate_run<1>(codes, out, comp, g[k].first, end, s, q);
        break;
      case 2:
        gate_run<2>(codes, out, comp, g[k].first, end, s, q);
        break;
      case 3:
        gate_run<3>(codes, out, comp, g[k].first, end, s, q);
        break;
      case 4:
        gate_run<4>(codes, out, comp, g[k].first, end, s, q);
        break;
      default:
        for (std::uint32_t i = g[k].first; i < end; ++i, s += deg, q += deg) {
          unsigned ok = 1;
          for (std::uint32_t j = 0; j < deg; ++j) ok &= codes[s[j]] >= q[j] ? 1U : 0U;
          out[comp[i]] &= static_cast<std::uint8_t>(ok);
        }
    }
  }
}

void progression::unmet_counts(const std::uint8_t* codes, std::uint16_t* out) const noexcept {
  const auto& d = *d_;
  for (std::size_t c = 0; c < d.n; ++c) {
    unsigned u = 0;
    for (std::uint32_t k = d.in_off[c]; k < d.in_off[c + 1]; ++k)
      u += codes[d.in_src[k]] < d.in_need[k];
    out[c] = static_cast<std::uint16_t>(std::min(u, 65535U));
  }
}

bool progression::on_frontier(const learner_view& v, index_t c) const {
  check_view(*d_, v);
  check_index(*d_, c);
  if (!d_->target[c]) return false;
  if (attainment(v.statuses[c], score_at(v, c).value_or(nan_v)) == done_code) return false;
  for (std::uint32_t k = d_->in_off[c]; k < d_->in_off[c + 1]; ++k) {
    const index_t q = d_->in_src[k];
    if (attainment(v.statuses[q], score_at(v, q).value_or(nan_v)) < d_->in_need[k]) return false;
  }
  return true;
}

std::vector<index_t> progression::frontier(const learner_view& v) const {
  check_view(*d_, v);
  std::vector<std::uint8_t> codes(d_->n), flags(d_->n);
  encode(v.statuses, v.scores, codes.data());
  frontier_flags(codes.data(), flags.data());
  std::vector<index_t> out;
  for (index_t c = 0; c < d_->n; ++c)
    if (flags[c]) out.push_back(c);
  return out;
}

std::vector<index_t> progression::inner_fringe(const learner_view& v) const {
  check_view(*d_, v);
  std::vector<std::uint8_t> codes(d_->n);
  encode(v.statuses, v.scores, codes.data());
  std::vector<index_t> out;
  for (index_t c = 0; c < d_->n; ++c) {
    if (codes[c] != done_code || !is_earned(v.statuses[c])) continue;  // inferred: never learned
    bool any = false;
    for (std::uint32_t k = d_->out_off[c]; k < d_->out_off[c + 1] && !any; ++k)
      any = codes[d_->out_dst[k]] == done_code;
    if (!any) out.push_back(c);
  }
  return out;
}

std::vector<blocker> progression::blockers(const learner_view& v) const {
  check_view(*d_, v);
  std::vector<std::uint8_t> codes(d_->n);
  encode(v.statuses, v.scores, codes.data());
  std::vector<index_t> roots;
  for (index_t c : d_->fw.topological_order())
    if (detail::in_progress_at(v, codes.data(), c)) roots.push_back(c);
  return closure(*this, v, codes.data(), roots, false);
}

std::vector<blocker> progression::blocked_by(const learner_view& v, index_t target) const {
  check_view(*d_, v);
  check_index(*d_, target);
  std::vector<std::uint8_t> codes(d_->n);
  encode(v.statuses, v.scores, codes.data());
  if (codes[target] == done_code) return {};
  return closure(*this, v, codes.data(), {target}, false);
}

// --- frontier_tracker ----------------------------------------------------------------------------

frontier_tracker::frontier_tracker(const progression& p, const learner_view& v) : p_(p) {
  check_view(p.data(), v);
  const std::size_t n = p.size();
  code_.resize(n);
  unmet_.resize(n);
  p.encode(v.statuses, v.scores, code_.data());
  p.unmet_counts(code_.data(), unmet_.data());
  // A rollup parent is never on the frontier: one extra unmet count that no change clears.
  for (index_t c = 0; c < n; ++c)
    if (!p.data().target[c] && unmet_[c] < 65535U)
      unmet_[c] = static_cast<std::uint16_t>(unmet_[c] + 1U);
  for (index_t c = 0; c < n; ++c) count_ += on_frontier(c) ? 1U : 0U;
}

void frontier_tracker::set(index_t c, status s, double score) {
  const auto& d = p_.data();
  check_index(d, c);
  const std::uint8_t old = code_[c], now = p_.attainment(s, score);
  if (old == now) return;
  const bool was = on_frontier(c);
  code_[c] = now;
  for (std::uint32_t k = d.out_off[c]; k < d.out_off[c + 1]; ++k) {
    const std::uint8_t need = d.out_need[k];
    const bool met_before = old >= need, met_now = now >= need;
    if (met_before == met_now) continue;
    const index_t x = d.out_dst[k];
    const bool before = on_frontier(x);
    if (met_now)
      --unmet_[x];
    else
      ++unmet_[x];
    const bool after = on_frontier(x);
    if (before != after) count_ = after ? count_ + 1 : count_ - 1;
  }
  const bool is = on_frontier(c);
  if (was != is) count_ = is ? count_ + 1 : count_ - 1;
}

std::vector<index_t> frontier_tracker::frontier() const {
  std::vector<index_t> out;
  out.reserve(count_);
  for (index_t c = 0; c < code_.size(); ++c)
    if (on_frontier(c)) out.push_back(c);
  return out;
}

// --- convenience ---------------------------------------------------------------------------------

std::vector<index_t> frontier(const learner_state& s) {
  return s.progression().frontier(view_of(s));
}
std::vector<blocker> blocked_by(const learner_state& s, std::string_view id) {
  return s.progression().blocked_by(view_of(s), s.framework().index_of(id));
}
std::vector<gap> gaps(const learner_state& s) { return s.progression().gaps(view_of(s)); }
std::vector<blocker> blockers(const learner_state& s) {
  return s.progression().blockers(view_of(s));
}
learning_path path_to(const learner_state& s, const std::vector<std::string>& goals,
                      std::optional<double> rate_per_day) {
  std::vector<index_t> g;
  for (const auto& id : goals) g.push_back(s.framework().index_of(id));
  return s.progression().path_to(view_of(s), g, rate_per_day);
}
domain_level level(const learner_state& s, std::string_view domain) {
  return s.progression().level(view_of(s), domain);
}

}  // namespace masterymap
