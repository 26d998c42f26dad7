// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
#include <masterymap/progression.hpp>

#include <algorithm>
#include <cmath>
#include <queue>
#include <stdexcept>
#include <tuple>
#include <utility>

#include <fmt/format.h>

#include "progression_impl.hpp"

namespace masterymap {

namespace {

constexpr double nan_v = std::numeric_limits<double>::quiet_NaN();
constexpr double seconds_per_day = 86400.0;

std::shared_ptr<const detail::progression_data> compile(framework fw, const scale& sc) {
  auto d = std::make_shared<detail::progression_data>();
  d->fw = std::move(fw);
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
  if (d->thresholds.size() > 252) throw std::length_error("progression: more than 252 distinct familiar levels");
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
  std::vector<std::uint32_t> pi(d->in_off.begin(), d->in_off.end() - 1), po(d->out_off.begin(), d->out_off.end() - 1),
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
  d->depth = f.depths();
  return d;
}

void check_view(const detail::progression_data& d, const learner_view& v) {
  if (v.size != d.n || (d.n > 0 && v.statuses == nullptr))
    throw std::invalid_argument(
        fmt::format("progression: the learner view has {} competencies, the framework {}", v.size, d.n));
}

void check_index(const detail::progression_data& d, index_t c) {
  if (c >= d.n) throw std::out_of_range(fmt::format("competency index {} out of range ({})", c, d.n));
}

std::optional<double> score_at(const learner_view& v, index_t c) {
  if (!v.scores || std::isnan(v.scores[c])) return std::nullopt;
  return v.scores[c];
}

bool ready_at(const detail::progression_data& d, const std::uint8_t* codes, index_t c) noexcept {
  if (codes[c] == progression::done_code) return false;
  for (std::uint32_t k = d.in_off[c]; k < d.in_off[c + 1]; ++k)
    if (codes[d.in_src[k]] < d.in_need[k]) return false;
  return true;
}

// The unmet gating closure below `roots` (roots themselves included when `with_roots`), as
// blockers in learning order. Iterative (explicit stack): depth never recurses.
std::vector<blocker> closure(const progression& p, const learner_view& v, const std::uint8_t* codes,
                             const std::vector<index_t>& roots, bool with_roots) {
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
    b.needed = p.code_label(need[x]);
    if (need[x] >= 2 && need[x] != progression::done_code) b.needed_level = d.thresholds[need[x] - 2u];
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

}  // namespace

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
  for (index_t c = 0; c < s.size(); ++c)
    for (std::uint32_t r : s.evidence_rows(c)) {
      if (r >= times.size()) throw std::invalid_argument("last_evidence_times: the log is not the state's log");
      const double t = times[r];
      if (t <= s.as_of() && !(t <= out[c])) out[c] = t;
    }
  return out;
}

// --- progression -------------------------------------------------------------------------------

progression::progression(masterymap::framework fw, const scale& sc) : d_(compile(std::move(fw), sc)) {}
progression::progression(masterymap::framework fw, const policy& p) : d_(compile(std::move(fw), p.scale())) {}
progression::progression(const engine& e) : d_(compile(e.framework(), e.policy().scale())) {}

const framework& progression::framework() const noexcept { return d_->fw; }
std::size_t progression::size() const noexcept { return d_->n; }

std::uint8_t progression::code(status s, double score) const noexcept {
  if (is_done(s)) return done_code;
  if (s == status::not_started) return 0;
  std::uint8_t c = 1;
  const auto& t = d_->thresholds;
  for (std::size_t k = 0; k < t.size() && score >= t[k] - d_->tol; ++k) c = static_cast<std::uint8_t>(k + 2);
  return c;
}

void progression::encode(const status* statuses, const double* scores, std::uint8_t* out) const noexcept {
  const std::size_t n = d_->n;
  if (d_->thresholds.empty() || scores == nullptr) {
    for (std::size_t c = 0; c < n; ++c) out[c] = code(statuses[c], nan_v);
    return;
  }
  for (std::size_t c = 0; c < n; ++c) out[c] = code(statuses[c], scores[c]);
}

std::string progression::code_label(std::uint8_t c) const {
  if (c == done_code) return "mastered";
  if (c == 0) return "none";
  if (c == 1) return "started";
  const std::size_t k = c - 2u;
  return k < d_->threshold_labels.size() ? d_->threshold_labels[k] : fmt::format("level {}", c);
}

std::uint8_t progression::needed_code(const prerequisite_edge& e) const {
  const auto& edges = d_->fw.edges();
  for (std::size_t k = 0; k < edges.size(); ++k)
    if (edges[k].prerequisite == e.prerequisite && edges[k].dependent == e.dependent) return d_->edge_need[k];
  throw std::invalid_argument("needed_code: no such prerequisite edge");
}

void progression::frontier_flags(const std::uint8_t* codes, std::uint8_t* out) const noexcept {
  const auto& d = *d_;
  const std::size_t n = d.n;
  // Branch-free: every flag starts as "not done", then each gating edge (a flat list, grouped
  // by dependent) clears its dependent's flag when unmet. No data-dependent branches, so the
  // loop runs at the machine's load throughput (the per-competency inner loops of varying
  // length cost a branch misprediction per competency).
  for (std::size_t c = 0; c < n; ++c) out[c] = static_cast<std::uint8_t>(codes[c] != done_code);
  const std::size_t m = d.in_src.size();
  const std::uint32_t* src = d.in_src.data();
  const std::uint32_t* dst = d.in_dst.data();
  const std::uint8_t* need = d.in_need.data();
  for (std::size_t k = 0; k < m; ++k) out[dst[k]] &= static_cast<std::uint8_t>(codes[src[k]] >= need[k]);
}

void progression::unmet_counts(const std::uint8_t* codes, std::uint16_t* out) const noexcept {
  const auto& d = *d_;
  for (std::size_t c = 0; c < d.n; ++c) {
    unsigned u = 0;
    for (std::uint32_t k = d.in_off[c]; k < d.in_off[c + 1]; ++k) u += codes[d.in_src[k]] < d.in_need[k];
    out[c] = static_cast<std::uint16_t>(std::min(u, 65535U));
  }
}

bool progression::on_frontier(const learner_view& v, index_t c) const {
  check_view(*d_, v);
  check_index(*d_, c);
  if (code(v.statuses[c], score_at(v, c).value_or(nan_v)) == done_code) return false;
  for (std::uint32_t k = d_->in_off[c]; k < d_->in_off[c + 1]; ++k) {
    const index_t q = d_->in_src[k];
    if (code(v.statuses[q], score_at(v, q).value_or(nan_v)) < d_->in_need[k]) return false;
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
    if (codes[c] != done_code) continue;
    bool any = false;
    for (std::uint32_t k = d_->out_off[c]; k < d_->out_off[c + 1] && !any; ++k)
      any = codes[d_->out_dst[k]] == done_code;
    if (!any) out.push_back(c);
  }
  return out;
}

std::vector<blocker> progression::blocked_by(const learner_view& v, index_t target) const {
  check_view(*d_, v);
  check_index(*d_, target);
  std::vector<std::uint8_t> codes(d_->n);
  encode(v.statuses, v.scores, codes.data());
  if (codes[target] == done_code) return {};
  return closure(*this, v, codes.data(), {target}, false);
}

std::vector<gap> progression::gaps(const learner_view& v) const {
  check_view(*d_, v);
  const auto& d = *d_;
  const std::size_t n = d.n;
  std::vector<std::uint8_t> codes(n);
  encode(v.statuses, v.scores, codes.data());
  const auto& topo = d.fw.topological_order();
  // Anchors (competencies with evidence), numbered in learning order.
  std::vector<index_t> anchors;
  for (index_t x : topo)
    if (v.statuses[x] != status::not_started) anchors.push_back(x);
  // Candidates: not done, with at least one unmet gating link out.
  std::vector<index_t> cand;
  std::vector<std::uint32_t> slot(n, UINT32_MAX);
  for (index_t x : topo) {
    if (codes[x] == done_code) continue;
    for (std::uint32_t k = d.out_off[x]; k < d.out_off[x + 1]; ++k)
      if (codes[x] < d.out_need[k]) {
        slot[x] = static_cast<std::uint32_t>(cand.size());
        cand.push_back(x);
        break;
      }
  }
  std::vector<std::vector<index_t>> und(cand.size());
  // Reachable anchors per vertex, in blocks of 512 anchors (bounded memory: 64 bytes/vertex).
  constexpr std::size_t W = 8;
  std::vector<std::uint64_t> reach(n * W);
  std::vector<std::int32_t> anchor_pos(n, -1);
  for (std::size_t a = 0; a < anchors.size(); ++a) anchor_pos[anchors[a]] = static_cast<std::int32_t>(a);
  for (std::size_t base = 0; base < anchors.size() && !cand.empty(); base += W * 64) {
    std::fill(reach.begin(), reach.end(), 0);
    for (auto it = topo.rbegin(); it != topo.rend(); ++it) {
      const index_t x = *it;
      std::uint64_t* rx = &reach[static_cast<std::size_t>(x) * W];
      const std::int32_t ap = anchor_pos[x];
      if (ap >= 0 && static_cast<std::size_t>(ap) >= base && static_cast<std::size_t>(ap) < base + W * 64) {
        const std::size_t bit = static_cast<std::size_t>(ap) - base;
        rx[bit / 64] |= std::uint64_t{1} << (bit % 64);
      }
      for (std::uint32_t k = d.out_off[x]; k < d.out_off[x + 1]; ++k) {
        const std::uint64_t* ry = &reach[static_cast<std::size_t>(d.out_dst[k]) * W];
        for (std::size_t w = 0; w < W; ++w) rx[w] |= ry[w];
      }
    }
    for (std::size_t ci = 0; ci < cand.size(); ++ci) {
      const index_t g = cand[ci];
      std::uint64_t acc[W] = {};
      for (std::uint32_t k = d.out_off[g]; k < d.out_off[g + 1]; ++k) {
        if (codes[g] >= d.out_need[k]) continue;
        const std::uint64_t* ry = &reach[static_cast<std::size_t>(d.out_dst[k]) * W];
        for (std::size_t w = 0; w < W; ++w) acc[w] |= ry[w];
      }
      for (std::size_t w = 0; w < W; ++w)
        for (std::uint64_t bits = acc[w]; bits != 0; bits &= bits - 1) {
          int b = 0;
          while (((bits >> b) & 1U) == 0) ++b;
          und[ci].push_back(anchors[base + w * 64 + static_cast<std::size_t>(b)]);
        }
    }
  }
  std::vector<gap> out;
  for (std::size_t ci = 0; ci < cand.size(); ++ci) {
    if (und[ci].empty()) continue;
    const index_t g = cand[ci];
    const competency& comp = d.fw.at(g);
    gap x;
    x.competency = g;
    x.id = comp.id;
    x.status = v.statuses[g];
    x.score = score_at(v, g);
    x.domain = comp.domain;
    x.level = comp.level;
    x.undermines = std::move(und[ci]);
    x.ready = ready_at(d, codes.data(), g);
    out.push_back(std::move(x));
  }
  std::stable_sort(out.begin(), out.end(), [&](const gap& a, const gap& b) {
    if (a.undermines.size() != b.undermines.size()) return a.undermines.size() > b.undermines.size();
    return d.rank[a.competency] < d.rank[b.competency];
  });
  return out;
}

learning_path progression::path_to(const learner_view& v, const std::vector<index_t>& goals,
                                   std::optional<double> rate_per_day) const {
  check_view(*d_, v);
  for (index_t g : goals) check_index(*d_, g);
  if (rate_per_day && !(*rate_per_day > 0)) throw std::invalid_argument("path_to: the rate must be positive");
  const auto& d = *d_;
  std::vector<std::uint8_t> codes(d.n);
  encode(v.statuses, v.scores, codes.data());
  learning_path path;
  for (index_t g : goals)
    if (codes[g] != done_code && std::find(path.goals.begin(), path.goals.end(), g) == path.goals.end())
      path.goals.push_back(g);
  std::vector<blocker> items = closure(*this, v, codes.data(), path.goals, true);
  // Kahn's algorithm over every edge among the items, nearest-to-ready first.
  std::vector<std::int32_t> pos(d.n, -1);
  for (std::size_t i = 0; i < items.size(); ++i) pos[items[i].competency] = static_cast<std::int32_t>(i);
  std::vector<std::uint32_t> indeg(items.size(), 0);
  std::vector<std::vector<std::uint32_t>> succ(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) {
    const index_t x = items[i].competency;
    for (std::uint32_t k = d.all_in_off[x]; k < d.all_in_off[x + 1]; ++k) {
      const std::int32_t p = pos[d.all_in_src[k]];
      if (p < 0) continue;
      ++indeg[i];
      succ[static_cast<std::size_t>(p)].push_back(static_cast<std::uint32_t>(i));
    }
  }
  using key = std::tuple<std::uint32_t, int, std::uint32_t, std::uint32_t>;
  std::priority_queue<key, std::vector<key>, std::greater<key>> q;
  auto push = [&](std::uint32_t i) {
    const blocker& b = items[i];
    q.emplace(b.distance, b.status == status::not_started ? 1 : 0, d.rank[b.competency], i);
  };
  for (std::uint32_t i = 0; i < items.size(); ++i)
    if (indeg[i] == 0) push(i);
  while (!q.empty()) {
    const std::uint32_t i = std::get<3>(q.top());
    q.pop();
    path.steps.push_back(items[i]);
    for (std::uint32_t j : succ[i])
      if (--indeg[j] == 0) push(j);
  }
  if (rate_per_day) path.days = static_cast<double>(path.steps.size()) / *rate_per_day;
  return path;
}

std::vector<recommendation> progression::recommend(const learner_view& v, std::size_t k,
                                                   const recommend_options& o) const {
  check_view(*d_, v);
  for (index_t g : o.goals) check_index(*d_, g);
  const auto& d = *d_;
  std::vector<std::uint8_t> codes(d.n), flags(d.n);
  encode(v.statuses, v.scores, codes.data());
  frontier_flags(codes.data(), flags.data());
  // Fewest gating links up to a goal (breadth-first, backwards).
  std::vector<std::uint32_t> gdist(d.n, UINT32_MAX);
  std::vector<index_t> queue;
  for (index_t g : o.goals)
    if (gdist[g] != 0) {
      gdist[g] = 0;
      queue.push_back(g);
    }
  for (std::size_t h = 0; h < queue.size(); ++h) {
    const index_t x = queue[h];
    for (std::uint32_t e = d.in_off[x]; e < d.in_off[x + 1]; ++e)
      if (gdist[d.in_src[e]] == UINT32_MAX) {
        gdist[d.in_src[e]] = gdist[x] + 1;
        queue.push_back(d.in_src[e]);
      }
  }
  auto level_key = [&](index_t c) {
    const auto& l = d.fw.at(c).level;
    return l ? static_cast<double>(*l) : static_cast<double>(d.depth[c]);
  };
  double lmin = std::numeric_limits<double>::infinity();
  for (index_t c = 0; c < d.n; ++c)
    if (flags[c]) lmin = std::min(lmin, level_key(c));
  const double now = o.as_of.value_or(v.as_of);
  std::vector<std::vector<index_t>> repairs(d.n);
  if (o.gap_weight != 0.0)
    for (auto& g : gaps(v)) repairs[g.competency] = std::move(g.undermines);
  std::vector<recommendation> all;
  for (index_t c = 0; c < d.n; ++c) {
    if (!flags[c]) continue;
    recommendation r;
    r.competency = c;
    r.id = d.fw.id_of(c);
    r.status = v.statuses[c];
    r.level = d.fw.at(c).level;
    for (std::uint32_t e = d.out_off[c]; e < d.out_off[c + 1]; ++e) {
      const index_t x = d.out_dst[e];
      if (codes[x] == done_code || flags[x]) continue;
      bool ok = true;
      for (std::uint32_t f = d.in_off[x]; f < d.in_off[x + 1] && ok; ++f)
        ok = (d.in_src[f] == c ? done_code : codes[d.in_src[f]]) >= d.in_need[f];
      if (ok) r.unlocks.push_back(x);
    }
    std::sort(r.unlocks.begin(), r.unlocks.end(), [&](index_t a, index_t b) { return d.rank[a] < d.rank[b]; });
    r.unlocks.erase(std::unique(r.unlocks.begin(), r.unlocks.end()), r.unlocks.end());
    double goal = 0.0;
    if (gdist[c] != UINT32_MAX) {
      r.goal_distance = gdist[c];
      goal = 1.0 / (1.0 + gdist[c]);
    }
    const double lk = level_key(c);
    const double lterm = 1.0 / (1.0 + (lk - lmin));
    double recency = 0.0;
    if (r.status != status::not_started) {
      recency = 0.5;
      if (v.last_evidence && !std::isnan(v.last_evidence[c]) && !std::isnan(now)) {
        r.days_since_evidence = std::max(0.0, (now - v.last_evidence[c]) / seconds_per_day);
        recency = std::exp(-*r.days_since_evidence / o.recency_days);
      }
    }
    r.repairs = std::move(repairs[c]);
    r.score = o.unlock_weight * static_cast<double>(r.unlocks.size()) + o.goal_weight * goal +
              o.level_weight * lterm + o.recency_weight * recency +
              o.gap_weight * static_cast<double>(r.repairs.size());
    // Reasons, most telling first.
    if (r.goal_distance) {
      if (*r.goal_distance == 0)
        r.reasons.push_back("a goal");
      else
        r.reasons.push_back(fmt::format("leads to a goal in {} step{}", *r.goal_distance, *r.goal_distance == 1 ? "" : "s"));
    }
    if (!r.repairs.empty()) {
      std::string ids;
      for (std::size_t i = 0; i < r.repairs.size() && i < 5; ++i) ids += (i ? ", " : "") + d.fw.id_of(r.repairs[i]);
      if (r.repairs.size() > 5) ids += ", ...";
      r.reasons.push_back(fmt::format("fills a gap under {}: {}", r.repairs.size(), ids));
    }
    if (!r.unlocks.empty()) {
      std::string ids;
      for (std::size_t i = 0; i < r.unlocks.size() && i < 5; ++i) ids += (i ? ", " : "") + d.fw.id_of(r.unlocks[i]);
      if (r.unlocks.size() > 5) ids += ", ...";
      r.reasons.push_back(fmt::format("unlocks {}: {}", r.unlocks.size(), ids));
    }
    if (r.status != status::not_started) {
      if (r.days_since_evidence)
        r.reasons.push_back(fmt::format("in progress, last evidence {:.0f} day{} ago", *r.days_since_evidence,
                                        std::lround(*r.days_since_evidence) == 1 ? "" : "s"));
      else
        r.reasons.push_back(fmt::format("{} already", to_string(r.status)));
    }
    if (lk <= lmin)
      r.reasons.push_back(r.level ? fmt::format("lowest open level ({})", *r.level) : std::string("foundational"));
    else if (r.level)
      r.reasons.push_back(fmt::format("level {}", *r.level));
    all.push_back(std::move(r));
  }
  std::stable_sort(all.begin(), all.end(), [&](const recommendation& a, const recommendation& b) {
    if (a.score != b.score) return a.score > b.score;
    return d.rank[a.competency] < d.rank[b.competency];
  });
  if (all.size() > k) all.resize(k);
  return all;
}

domain_level progression::level(const learner_view& v, std::string_view domain) const {
  check_view(*d_, v);
  const auto& fw = d_->fw;
  domain_level out;
  out.domain = std::string(domain);
  const std::vector<index_t> comps = fw.competencies_in(domain);
  if (comps.empty()) throw unknown_id_error(std::string(domain), "domain");
  struct tally {
    std::size_t done = 0, total = 0;
  };
  std::vector<std::pair<int, tally>> per;  // sorted by level
  auto find = [&](int l) -> tally& {
    auto it = std::lower_bound(per.begin(), per.end(), l, [](const auto& a, int b) { return a.first < b; });
    if (it == per.end() || it->first != l) it = per.insert(it, {l, tally{}});
    return it->second;
  };
  std::vector<index_t> counted;
  for (index_t c : comps) {
    const competency& comp = fw.at(c);
    if (!comp.level || comp.kind != competency_kind::academic) continue;
    tally& t = find(*comp.level);
    ++t.total;
    t.done += is_done(v.statuses[c]) ? 1U : 0U;
    counted.push_back(c);
  }
  for (const auto& [l, t] : per) {
    out.levels.push_back(l);
    if (t.done == t.total) out.level = l;
  }
  for (const auto& [l, t] : per)
    if (!out.level || l > *out.level) {
      out.next_level = l;
      out.next_done = t.done;
      out.next_total = t.total;
      out.next_progress = t.total ? static_cast<double>(t.done) / static_cast<double>(t.total) : 0.0;
      break;
    }
  for (index_t c : counted) {
    const int l = *fw.at(c).level;
    if (is_done(v.statuses[c])) continue;
    if (out.next_level && l == *out.next_level) out.next_remaining.push_back(c);
    if (out.level && l < *out.level) out.gaps.push_back(c);
  }
  std::stable_sort(out.gaps.begin(), out.gaps.end(),
                   [&](index_t a, index_t b) { return *fw.at(a).level < *fw.at(b).level; });
  for (index_t c : out.gaps)
    if (out.gap_levels.empty() || out.gap_levels.back() != *fw.at(c).level) out.gap_levels.push_back(*fw.at(c).level);
  return out;
}

std::vector<domain_level> progression::levels(const learner_view& v) const {
  std::vector<domain_level> out;
  for (const auto& dom : d_->fw.domains()) {
    bool leveled = false;
    for (index_t c : d_->fw.competencies_in(dom)) {
      const auto& comp = d_->fw.at(c);
      leveled = leveled || (comp.level && comp.kind == competency_kind::academic);
    }
    if (leveled) out.push_back(level(v, dom));
  }
  return out;
}

// --- frontier_tracker ----------------------------------------------------------------------------

frontier_tracker::frontier_tracker(const progression& p, const learner_view& v) : p_(p) {
  check_view(p.data(), v);
  const std::size_t n = p.size();
  code_.resize(n);
  unmet_.resize(n);
  p.encode(v.statuses, v.scores, code_.data());
  p.unmet_counts(code_.data(), unmet_.data());
  for (index_t c = 0; c < n; ++c) count_ += on_frontier(c) ? 1U : 0U;
}

void frontier_tracker::set(index_t c, status s, double score) {
  const auto& d = p_.data();
  check_index(d, c);
  const std::uint8_t old = code_[c], now = p_.code(s, score);
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
  return progression(s.framework(), s.policy()).frontier(view_of(s));
}
std::vector<blocker> blocked_by(const learner_state& s, std::string_view id) {
  return progression(s.framework(), s.policy()).blocked_by(view_of(s), s.framework().index_of(id));
}
std::vector<gap> gaps(const learner_state& s) { return progression(s.framework(), s.policy()).gaps(view_of(s)); }
learning_path path_to(const learner_state& s, const std::vector<std::string>& goals, std::optional<double> rate_per_day) {
  std::vector<index_t> g;
  for (const auto& id : goals) g.push_back(s.framework().index_of(id));
  return progression(s.framework(), s.policy()).path_to(view_of(s), g, rate_per_day);
}
domain_level level(const learner_state& s, std::string_view domain) {
  return progression(s.framework(), s.policy()).level(view_of(s), domain);
}

}  // namespace masterymap
