// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
#include <masterymap/engine.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <exception>
#include <limits>
#include <memory>
#include <new>
#include <set>
#include <stdexcept>
#include <thread>
#include <unordered_set>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "accumulate.hpp"
#include "memory_util.hpp"
#include "parallel.hpp"

namespace masterymap {

const char* to_string(status s) noexcept {
  switch (s) {
    case status::not_started: return "not_started";
    case status::in_progress: return "in_progress";
    case status::awaiting_confirmation: return "awaiting_confirmation";
    case status::mastered: return "mastered";
    case status::exceeded: return "exceeded";
    case status::exempt: return "exempt";
    case status::expired: return "expired";
  }
  return "unknown";
}

status parse_status(std::string_view name) {
  for (auto s : {status::not_started, status::in_progress, status::awaiting_confirmation,
                 status::mastered, status::exceeded, status::exempt, status::expired})
    if (name == to_string(s)) return s;
  throw std::invalid_argument(fmt::format("unknown status '{}'", name));
}

probability_source::~probability_source() = default;

namespace detail {

constexpr std::uint32_t none32 = std::numeric_limits<std::uint32_t>::max();
constexpr double day = 86400.0;
const double nan = std::numeric_limits<double>::quiet_NaN();

// A rollup with ids resolved to framework indices.
struct rgroup {
  struct ritem {
    std::int32_t comp = -1;    // framework index, or -1
    std::int32_t nested = -1;  // group index, or -1
    double value = 1.0;
    bool required = false;
  };
  rollup::op kind = rollup::op::all_of;
  std::uint32_t k = 0;
  double min_points = 0;
  std::vector<ritem> items;
};
struct rrollup {
  std::vector<rgroup> groups;
  std::string text;
};

struct compiled_policy {
  masterymap::framework fw;
  masterymap::policy pol;
  std::vector<rule> rules;               // distinct rules
  std::vector<std::uint16_t> rule_of;    // per competency
  std::vector<std::int32_t> rollup_of;   // per competency: index into rollups, or -1
  std::vector<rrollup> rollups;
  std::vector<index_t> rollup_order;     // parents with a rollup, children before parents
};

}  // namespace detail

namespace {

using detail::compiled_policy;
using detail::none32;
using detail::rgroup;
using detail::rrollup;

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
        problems.push_back(fmt::format("{}.groups[{}].items: '{}' has no children to roll up", path, gi,
                                       fw.id_of(parent)));
      for (index_t c : kids) rg.items.push_back({static_cast<std::int32_t>(c), -1, 1.0, false});
      if (g.kind == rollup::op::k_of_n && g.k > kids.size() && !kids.empty())
        problems.push_back(fmt::format("{}.groups[{}].k: k={} > n={} children of '{}'", path, gi, g.k,
                                       kids.size(), fw.id_of(parent)));
      if (g.kind == rollup::op::points && g.min_points > static_cast<double>(kids.size()) && !kids.empty())
        problems.push_back(fmt::format("{}.groups[{}].min_points: {} exceeds the {} points of the children",
                                       path, gi, g.min_points, kids.size()));
    }
    for (std::size_t ii = 0; ii < g.items.size(); ++ii) {
      const auto& it = g.items[ii];
      rgroup::ritem ri{-1, it.nested, it.value, it.required};
      if (it.nested < 0) {
        auto idx = fw.find(it.id);
        if (!idx) {
          problems.push_back(fmt::format("{}.groups[{}].items[{}]: unknown competency '{}'", path, gi, ii, it.id));
        } else if (!desc.count(*idx)) {
          problems.push_back(fmt::format("{}.groups[{}].items[{}]: '{}' is not a descendant of '{}'", path, gi,
                                         ii, it.id, fw.id_of(parent)));
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

std::shared_ptr<const compiled_policy> compile(framework fw, policy pol, std::vector<std::string>* report) {
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
      if (!domains.count(d)) problems.push_back(fmt::format("overrides.domains['{}']: no competency has this domain", d));
  }
  // Rules per competency (deduplicated so bindings are computed once per distinct rule).
  ctx->rule_of.resize(n);
  for (index_t i = 0; i < n; ++i) {
    const auto& c = fw.at(i);
    const rule& r = pol.rule_for(c.id, c.domain);
    auto it = std::find(ctx->rules.begin(), ctx->rules.end(), r);
    if (it == ctx->rules.end()) {
      if (ctx->rules.size() >= 0xFFFF) throw policy_error({"overrides: more than 65535 distinct rules"});
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
  ctx->fw = std::move(fw);
  ctx->pol = std::move(pol);
  return ctx;
}

// --- binding a compiled policy to one log ----------------------------------------------------

constexpr std::uint8_t flag_ignored = 1;   // kind never counts
constexpr std::uint8_t flag_pretest = 2;   // pre-test, used for exemption only

struct rule_binding {
  std::array<std::uint8_t, 256> flags{};
  int pretest = -1;
  std::vector<int> require, confirm;  // log kind codes (-1: the log has no such kind)
};

struct binding {
  const compiled_policy* ctx = nullptr;
  const evidence_log* log = nullptr;
  std::vector<std::uint32_t> comp_map;  // log competency code -> framework index
  std::vector<rule_binding> rules;
  const evidence_attributes* attrs = nullptr;
  double as_of = 0;
  const probability_source* prob = nullptr;

  binding(const compiled_policy& c, const evidence_log& l, double when, const probability_source* p)
      : ctx(&c), log(&l), attrs(l.attributes().data()), as_of(when), prob(p) {
    comp_map.resize(l.competencies().size());
    for (std::size_t j = 0; j < comp_map.size(); ++j) {
      auto idx = c.fw.find(l.competencies()[j]);
      comp_map[j] = idx ? *idx : none32;
    }
    auto code = [&](const std::string& k) -> int {
      auto x = l.kind_code(k);
      return x ? static_cast<int>(*x) : -1;
    };
    for (const rule& r : c.rules) {
      rule_binding rb;
      rb.pretest = code("pretest");
      for (const auto& k : r.ignore_kinds)
        if (int x = code(k); x >= 0) rb.flags[static_cast<std::size_t>(x)] |= flag_ignored;
      if (rb.pretest >= 0 && !r.pretest_counts) rb.flags[static_cast<std::size_t>(rb.pretest)] |= flag_pretest;
      for (const auto& k : r.require_kinds) rb.require.push_back(code(k));
      for (const auto& k : r.exempt_confirm_kinds) rb.confirm.push_back(code(k));
      rules.push_back(std::move(rb));
    }
  }
};

double default_as_of(const evidence_log& log, const evaluate_options& o) {
  if (o.as_of) return *o.as_of;
  const double t = log.max_time();
  return std::isnan(t) ? std::numeric_limits<double>::infinity() : t;
}

// --- rating one competency ---------------------------------------------------------------------

struct ev {
  double time;
  float score;
  std::uint32_t attr;
  std::uint32_t row;
};
inline bool ev_less(const ev& a, const ev& b) noexcept {
  return a.time < b.time || (a.time == b.time && a.row < b.row);
}

struct outcome {
  status st = status::not_started;
  double score = detail::nan;
  std::int8_t rating = -1;
  std::uint32_t count = 0;
};

// Collected only when explaining.
struct trace {
  std::vector<std::string> reason;  // per event; empty = counted
  std::vector<std::string> unmet;
  std::vector<std::string> notes;
  std::optional<double> value;
};

struct scratch {
  std::vector<std::uint32_t> kept;
  std::vector<double> tmp;
  std::vector<ev> evs;
  std::vector<std::uint32_t> cnt, pos;  // dense over framework indices, reset after use
  std::vector<index_t> touched;
  std::vector<std::uint32_t> bucket;
  std::vector<std::uint8_t> done, started;
  std::vector<double> gvalue;
  std::vector<index_t> merged;
  std::uint32_t slot = 0;  // index of the worker (rate_all: its output lane)
  explicit scratch(std::size_t n) : cnt(n, 0), pos(n, 0) {}
};

std::string fmt_num(double x) { return fmt::format("{:.6g}", x); }

// --- running aggregation ------------------------------------------------------------------------
//
// The formulas (running, push, value_of) live in accumulate.hpp, shared with the roster.

using detail::method_params;
using detail::push;
using detail::push_k;
using detail::running;
using detail::runs_incrementally;
using detail::value_of;

// The value of the counted scores e[kept[..]] under method m.
std::optional<double> aggregate(const method& m, const scale& sc, const ev* e, const std::vector<std::uint32_t>& kept,
                                const evidence_attributes* attrs, const binding& b, std::string_view learner,
                                const std::string& comp_id, scratch& s) {
  const std::size_t n = kept.size();
  if (n == 0) return std::nullopt;
  auto S = [&](std::size_t i) { return static_cast<double>(e[kept[i]].score); };
  if (runs_incrementally(m.type())) {
    const method_params p(m, sc);
    running r;
    for (std::size_t i = 0; i < n; ++i) push(r, p, S(i), static_cast<double>(attrs[e[kept[i]].attr].weight));
    return value_of(r, p);
  }
  switch (m.type()) {
    case method::kind::mode: {
      // (value, count, last position); ties go to the value seen most recently.
      double best = S(n - 1);
      std::size_t best_count = 0, best_last = 0;
      for (std::size_t i = 0; i < n; ++i) {
        const double v = S(i);
        std::size_t c = 0, last = 0;
        for (std::size_t j = 0; j < n; ++j)
          if (S(j) == v) {
            ++c;
            last = j;
          }
        if (c > best_count || (c == best_count && last > best_last)) {
          best = v;
          best_count = c;
          best_last = last;
        }
      }
      return best;
    }
    case method::kind::bkt: {
      if (!b.prob) return std::nullopt;
      s.tmp.clear();
      for (std::size_t i = 0; i < n; ++i) s.tmp.push_back(S(i));
      return b.prob->probability(learner, comp_id, s.tmp);
    }
    default: break;
  }
  return std::nullopt;
}

// Status of one competency from events e[0..m) (sorted by time, then row), without
// monotonic holding and expiry (rate() adds those).
struct core_result {
  outcome out;
  double fresh = -std::numeric_limits<double>::infinity();  // latest counted-kind evidence
};

core_result rate_core(const binding& b, const rule& r, const rule_binding& rb, const ev* e, std::size_t m,
                      double as_of, std::string_view learner, const std::string& comp_id, scratch& s, trace* tr) {
  core_result res;
  res.out.count = static_cast<std::uint32_t>(m);
  if (m == 0) return res;
  const scale& sc = b.ctx->pol.scale();
  const evidence_attributes* attrs = b.attrs;
  const auto& kinds = b.log->kinds();
  auto& kept = s.kept;
  kept.clear();
  double pre_max = -std::numeric_limits<double>::infinity();
  const double since = r.window_days ? as_of - *r.window_days * detail::day : -std::numeric_limits<double>::infinity();
  for (std::size_t i = 0; i < m; ++i) {
    const std::uint8_t k = attrs[e[i].attr].kind;
    const std::uint8_t f = rb.flags[k];
    if (static_cast<int>(k) == rb.pretest) pre_max = std::max(pre_max, static_cast<double>(e[i].score));
    if (f) {
      if (tr)
        tr->reason[i] = (f & flag_ignored) ? fmt::format("kind '{}' never counts", kinds[k])
                                           : std::string("pre-test: used for exemption only");
      continue;
    }
    res.fresh = e[i].time;
    if (e[i].time < since) {
      if (tr) tr->reason[i] = fmt::format("outside the window: older than {} days", fmt_num(*r.window_days));
      continue;
    }
    kept.push_back(static_cast<std::uint32_t>(i));
  }
  if (r.window_last && kept.size() > *r.window_last) {
    const std::size_t drop = kept.size() - *r.window_last;
    if (tr)
      for (std::size_t j = 0; j < drop; ++j)
        tr->reason[kept[j]] = fmt::format("outside the window: not among the last {}", *r.window_last);
    kept.erase(kept.begin(), kept.begin() + static_cast<std::ptrdiff_t>(drop));
  }
  const std::optional<double> value = aggregate(r.method, sc, e, kept, attrs, b, learner, comp_id, s);
  const bool is_bkt = r.method.type() == method::kind::bkt;
  const double tol = sc.tolerance();
  const bool reached = value && (is_bkt ? *value >= r.method.threshold() - 1e-12 : sc.reaches_mastery(*value));
  const bool enough = kept.size() >= r.min_evidence;
  auto confirmed = [&](const std::vector<int>& codes, const std::vector<std::string>& names,
                       const char* what) {
    bool ok = true;
    for (std::size_t j = 0; j < codes.size(); ++j) {
      int last = -1;
      if (codes[j] >= 0)
        for (std::size_t i = m; i-- > 0;)
          if (attrs[e[i].attr].kind == codes[j]) {
            last = static_cast<int>(i);
            break;
          }
      if (last < 0) {
        ok = false;
        if (tr) tr->unmet.push_back(fmt::format("{}: no '{}' evidence yet", what, names[j]));
      } else if (!(e[last].score >= sc.mastery_value() - tol)) {
        ok = false;
        if (tr)
          tr->unmet.push_back(fmt::format("{}: the latest '{}' evidence ({}) is below mastery ({})", what,
                                          names[j], fmt_num(e[last].score), fmt_num(sc.mastery_value())));
      }
    }
    return ok;
  };
  const bool gate = confirmed(rb.require, r.require_kinds, "gatekeeper");
  const bool exempt_level = r.exempt_on_pretest && pre_max >= *r.exempt_on_pretest - tol;
  const bool exempt_ok = exempt_level && confirmed(rb.confirm, r.exempt_confirm_kinds, "exemption confirmation");

  if (tr) {
    tr->value = value;
    if (!value) {
      if (kept.empty())
        tr->unmet.push_back("no counted evidence");
      else if (r.method.type() == method::kind::n_mastery)
        tr->unmet.push_back(fmt::format("n_mastery: fewer than {} scores at or above mastery", r.method.n()));
      else if (is_bkt)
        tr->unmet.push_back("bkt: no probability available (no probability source given)");
      else
        tr->unmet.push_back("no value (weights sum to 0)");
    } else if (!reached) {
      tr->unmet.push_back(fmt::format("value {} is below the mastery threshold {}", fmt_num(*value),
                                      fmt_num(is_bkt ? r.method.threshold() : sc.mastery_value())));
    }
    if (!enough)
      tr->unmet.push_back(fmt::format("min_evidence: {} counted, {} needed", kept.size(), r.min_evidence));
    if (r.exempt_on_pretest) {
      if (exempt_level)
        tr->notes.push_back(fmt::format("pre-test {} reaches the exemption level {}", fmt_num(pre_max),
                                        fmt_num(*r.exempt_on_pretest)));
      else if (pre_max > -std::numeric_limits<double>::infinity())
        tr->notes.push_back(fmt::format("pre-test {} is below the exemption level {}", fmt_num(pre_max),
                                        fmt_num(*r.exempt_on_pretest)));
    }
  }

  outcome& o = res.out;
  if (value) {
    o.score = *value;
    if (is_bkt) {
      o.rating = reached ? static_cast<std::int8_t>(sc.mastery_index()) : std::int8_t{-1};
    } else if (auto ri = sc.rating_index(*value)) {
      o.rating = static_cast<std::int8_t>(*ri);
    }
  }
  if (reached && enough && gate) {
    o.st = (!is_bkt && sc.reaches_exceeds(*value)) ? status::exceeded : status::mastered;
  } else if (exempt_ok) {
    o.st = status::exempt;
  } else if ((reached && enough && !gate) || (exempt_level && !exempt_ok)) {
    o.st = status::awaiting_confirmation;
  } else {
    o.st = status::in_progress;
  }
  return res;
}

// Full rating of one competency: the core, then monotonic holding, then expiry.
outcome rate(const binding& b, index_t c, const ev* e, std::size_t n, std::string_view learner, scratch& s,
             trace* tr) {
  const compiled_policy& ctx = *b.ctx;
  const rule& r = ctx.rules[ctx.rule_of[c]];
  const rule_binding& rb = b.rules[ctx.rule_of[c]];
  const std::string& id = ctx.fw.id_of(c);
  std::size_t m = n;
  while (m > 0 && e[m - 1].time > b.as_of) --m;
  if (tr) {
    tr->reason.assign(n, std::string());
    for (std::size_t i = m; i < n; ++i) tr->reason[i] = "after the evaluation time";
  }
  core_result res = rate_core(b, r, rb, e, m, b.as_of, learner, id, s, tr);
  outcome o = res.out;
  const scale& sc = ctx.pol.scale();
  const auto mi = static_cast<std::int8_t>(sc.mastery_index());
  if (r.monotonic && o.st != status::mastered && o.st != status::exceeded && m > 1) {
    // Was it mastered at an earlier point? Evaluate each earlier time boundary, latest first.
    for (std::size_t j = m - 1; j >= 1; --j) {
      if (!(e[j - 1].time < e[j].time)) continue;
      core_result past = rate_core(b, r, rb, e, j, e[j - 1].time, learner, id, s, nullptr);
      if (past.out.st == status::mastered || past.out.st == status::exceeded) {
        o.st = status::mastered;
        o.rating = std::max(o.rating, mi);
        if (tr) tr->notes.push_back(fmt::format("mastery held (monotonic rule): mastered as of {}",
                                                format_time(e[j - 1].time)));
        break;
      }
    }
  }
  if (r.expires_after_days && (o.st == status::mastered || o.st == status::exceeded) &&
      b.as_of - res.fresh > *r.expires_after_days * detail::day) {
    o.st = status::expired;
    if (tr)
      tr->unmet.push_back(fmt::format("expired: no fresh evidence since {} (more than {} days before {})",
                                      format_time(res.fresh), fmt_num(*r.expires_after_days),
                                      format_time(b.as_of)));
  }
  return o;
}

// --- rollups ---------------------------------------------------------------------------------

struct rollup_result {
  bool done = false, started = false;
  double value = detail::nan;
};

rollup_result eval_rollup(const rrollup& ru, const status* st, const double* score, const scale& sc, scratch& s) {
  const std::size_t ng = ru.groups.size();
  s.done.assign(ng, 0);
  s.started.assign(ng, 0);
  s.gvalue.assign(ng, detail::nan);
  // Nested groups come after their holders: evaluate from the back.
  for (std::size_t gi = ng; gi-- > 0;) {
    const rgroup& g = ru.groups[gi];
    std::size_t done = 0;
    double points = 0, sw = 0, sws = 0;
    bool required_ok = true, started = false, all_valued = true;
    for (const auto& it : g.items) {
      bool d, st_, exempt = false;
      double v;
      if (it.nested >= 0) {
        const auto k = static_cast<std::size_t>(it.nested);
        d = s.done[k] != 0;
        st_ = s.started[k] != 0;
        v = s.gvalue[k];
      } else {
        const auto c = static_cast<std::size_t>(it.comp);
        d = is_done(st[c]);
        st_ = st[c] != status::not_started;
        v = score[c];
        exempt = st[c] == status::exempt;
      }
      started = started || st_;
      if (d) {
        ++done;
        points += it.value;
      } else if (it.required) {
        required_ok = false;
      }
      if (g.kind == rollup::op::weighted_mean && !exempt) {
        if (std::isnan(v)) {
          all_valued = false;
        } else {
          sw += it.value;
          sws += it.value * v;
        }
      }
    }
    bool ok = false;
    double value = detail::nan;
    switch (g.kind) {
      case rollup::op::all_of: ok = done == g.items.size(); break;
      case rollup::op::any_of: ok = done >= 1; break;
      case rollup::op::k_of_n: ok = done >= g.k; break;
      case rollup::op::points: ok = required_ok && points >= g.min_points - 1e-9; break;
      case rollup::op::weighted_mean:
        if (sw > 0) value = sws / sw;
        ok = all_valued && (sw > 0 ? sc.reaches_mastery(value) : true);
        break;
    }
    s.done[gi] = ok ? 1 : 0;
    s.started[gi] = started ? 1 : 0;
    s.gvalue[gi] = value;
  }
  return {s.done[0] != 0, s.started[0] != 0, s.gvalue[0]};
}

outcome rollup_outcome(const rrollup& ru, const rollup_result& rr, const scale& sc) {
  outcome o;
  const bool wm = ru.groups[0].kind == rollup::op::weighted_mean;
  if (rr.done)
    o.st = (wm && !std::isnan(rr.value) && sc.reaches_exceeds(rr.value)) ? status::exceeded : status::mastered;
  else
    o.st = rr.started ? status::in_progress : status::not_started;
  if (wm && !std::isnan(rr.value)) {
    o.score = rr.value;
    if (auto ri = sc.rating_index(rr.value)) o.rating = static_cast<std::int8_t>(*ri);
  } else if (rr.done) {
    o.rating = static_cast<std::int8_t>(sc.mastery_index());
  }
  return o;
}

// Combines a parent's rollup outcome R with its own-evidence outcome E. Returns true when the
// own evidence decided.
bool combine(rollup_precedence p, const outcome& R, const outcome& E, outcome& out) {
  const bool own = E.st != status::not_started;
  switch (p) {
    case rollup_precedence::rollup: out = R; return false;
    case rollup_precedence::evidence:
      if (own) {
        out = E;
        return true;
      }
      out = R;
      return false;
    case rollup_precedence::either:
      if (is_done(R.st)) { out = R; return false; }
      if (is_done(E.st) || own) { out = E; return true; }
      out = R;
      return false;
    case rollup_precedence::both:
      if (is_done(R.st) && is_done(E.st)) { out = E; out.st = status::mastered; return true; }
      if (!is_done(E.st) && own) { out = E; return true; }
      out = R;
      if (own && out.st == status::not_started) out.st = status::in_progress;
      return false;
  }
  out = R;
  return false;
}

// --- evaluating one learner ----------------------------------------------------------------

struct dense_out {
  status* st;
  double* score;
  std::int8_t* rating;
  std::uint32_t* count;
};

void gather(const evidence_log& log, const std::uint32_t* rows, std::size_t n, std::vector<ev>& out) {
  const double* t = log.times().data();
  const float* sc = log.scores().data();
  const std::uint32_t* a = log.attribute_codes().data();
  out.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint32_t r = rows[i];
    out[i] = {t[r], sc[r], a[r], r};
  }
}

// Sorts the gathered events (and `rows` with them) into aggregation order, if needed.
void sort_events(std::vector<ev>& e, std::uint32_t* rows) {
  if (std::is_sorted(e.begin(), e.end(), ev_less)) return;
  std::sort(e.begin(), e.end(), ev_less);
  for (std::size_t i = 0; i < e.size(); ++i) rows[i] = e[i].row;
}

void apply_rollups(const binding& b, dense_out out, scratch& s) {
  const compiled_policy& ctx = *b.ctx;
  const scale& sc = ctx.pol.scale();
  for (index_t p : ctx.rollup_order) {
    const rrollup& ru = ctx.rollups[static_cast<std::size_t>(ctx.rollup_of[p])];
    rollup_result rr = eval_rollup(ru, out.st, out.score, sc, s);
    outcome R = rollup_outcome(ru, rr, sc);
    outcome E{out.st[p], out.score[p], out.rating[p], out.count[p]};
    outcome res;
    combine(ctx.pol.precedence(), R, E, res);
    out.st[p] = res.st;
    out.score[p] = res.score;
    out.rating[p] = res.rating;
  }
}

void write(dense_out out, index_t c, const outcome& o) {
  out.st[c] = o.st;
  out.score[c] = o.score;
  out.rating[c] = o.rating;
  out.count[c] = o.count;
}

// One event of a learner, gathered once from the log's columns (so per-learner work reads
// contiguous memory instead of chasing rows across the log).
struct rec {
  std::uint32_t learner, comp, row, attr;  // comp: framework index
  double time;
  float score;
};

// Records of the given rows (or of every row when `rows` is null), in row order, leaving out
// evidence on competencies the framework does not have.
void make_records(const binding& b, const std::uint32_t* rows, std::size_t n, std::vector<rec>& out) {
  const evidence_log& log = *b.log;
  const std::uint32_t* lc = log.learner_codes().data();
  const std::uint32_t* cc = log.competency_codes().data();
  const std::uint32_t* ac = log.attribute_codes().data();
  const double* t = log.times().data();
  const float* sc = log.scores().data();
  out.clear();
  out.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint32_t r = rows ? rows[i] : static_cast<std::uint32_t>(i);
    const std::uint32_t c = b.comp_map[cc[r]];
    if (c == none32) continue;
    out.push_back({lc[r], c, r, ac[r], t[r], sc[r]});
  }
}

// Stable LSD radix sort of the records by learner (8-bit digits, so every pass streams into
// 256 buckets), then the start of each learner's records.
void partition_by_learner(std::vector<rec>& r, std::size_t L, std::vector<std::uint32_t>& start) {
  std::vector<rec> tmp(r.size());
  for (unsigned shift = 0; L > 1 && ((L - 1) >> shift) != 0; shift += 8) {
    std::size_t count[257] = {0};
    for (const rec& x : r) ++count[((x.learner >> shift) & 255U) + 1];
    if (std::any_of(count + 1, count + 257, [&](std::size_t c) { return c == r.size(); })) continue;
    for (int k = 0; k < 256; ++k) count[k + 1] += count[k];
    for (const rec& x : r) tmp[count[(x.learner >> shift) & 255U]++] = x;
    r.swap(tmp);
  }
  start.assign(L + 1, 0);
  for (const rec& x : r) ++start[x.learner + 1];
  for (std::size_t l = 0; l < L; ++l) start[l + 1] += start[l];
}

// Rates a learner from its records r[0..n) (in row order). Leaves the touched competencies in
// s.touched (ascending). With `offsets`/`csr_rows`, also fills the learner's evidence index
// (offsets over all competencies, rows in aggregation order).
void evaluate_learner(const binding& b, std::string_view learner, const rec* r, std::size_t n, dense_out out,
                      scratch& s, std::vector<std::uint32_t>* offsets, std::vector<std::uint32_t>* csr_rows) {
  auto& cnt = s.cnt;
  auto& touched = s.touched;
  touched.clear();
  for (std::size_t i = 0; i < n; ++i)
    if (cnt[r[i].comp]++ == 0) touched.push_back(r[i].comp);
  std::sort(touched.begin(), touched.end());
  std::uint32_t total = 0;
  for (index_t c : touched) {
    s.pos[c] = total;
    total += cnt[c];
  }
  auto& bucket = s.bucket;
  bucket.resize(total);
  for (std::size_t i = 0; i < n; ++i) bucket[s.pos[r[i].comp]++] = static_cast<std::uint32_t>(i);
  if (offsets) {
    const std::size_t nc = b.ctx->fw.size();
    offsets->assign(nc + 1, 0);
    for (index_t c : touched) (*offsets)[c + 1] = cnt[c];
    for (std::size_t c = 0; c < nc; ++c) (*offsets)[c + 1] += (*offsets)[c];
    csr_rows->resize(total);
  }
  std::uint32_t begin = 0;
  auto& evs = s.evs;
  for (index_t c : touched) {
    const std::uint32_t k = cnt[c];
    evs.resize(k);
    for (std::uint32_t j = 0; j < k; ++j) {
      const rec& x = r[bucket[begin + j]];
      evs[j] = {x.time, x.score, x.attr, x.row};
    }
    if (!std::is_sorted(evs.begin(), evs.end(), ev_less)) std::sort(evs.begin(), evs.end(), ev_less);
    if (csr_rows)
      for (std::uint32_t j = 0; j < k; ++j) (*csr_rows)[begin + j] = evs[j].row;
    write(out, c, rate(b, c, evs.data(), k, learner, s, nullptr));
    begin += k;
    cnt[c] = 0;
  }
  apply_rollups(b, out, s);
}

unsigned thread_count(const evaluate_options& o, std::size_t work) {
  const unsigned t = detail::resolve_threads(o.threads);
  if (work < 2) return 1;
  return static_cast<unsigned>(std::min<std::size_t>(t, work));
}

// Runs f(t, lb, le) on up to `threads` threads (t = 0 on the calling thread) for contiguous
// learner ranges [lb, le) covering [0, L), balanced by event count (`start` = row offsets).
template <typename F>
void parallel_ranges(std::size_t L, const std::vector<std::uint32_t>& start, unsigned threads, F&& f) {
  std::vector<std::size_t> bounds{0};
  const double per = static_cast<double>(start[L]) / std::max(threads, 1U);
  for (unsigned t = 1; t < threads; ++t) {
    const auto target = static_cast<std::uint32_t>(per * t);
    auto it = std::lower_bound(start.begin(), start.begin() + static_cast<std::ptrdiff_t>(L), target);
    bounds.push_back(std::max(bounds.back(), static_cast<std::size_t>(it - start.begin())));
  }
  bounds.push_back(L);
  detail::run_threads(std::max(threads, 1U), [&](unsigned t) { f(t, bounds[t], bounds[t + 1]); });
}

// Runs f(l, scratch&) for learners [0, L), one scratch per range. Each learner's result
// depends only on its own rows.
template <typename F>
void parallel_learners(std::size_t L, const std::vector<std::uint32_t>& start, unsigned threads, std::size_t nc,
                       F&& f) {
  parallel_ranges(L, start, threads, [&](unsigned t, std::size_t lb, std::size_t le) {
    scratch s(nc);
    s.slot = t;
    for (std::size_t l = lb; l < le; ++l) f(l, s);
  });
}

}  // namespace

// --- learner_state -------------------------------------------------------------------------------

learner_state::learner_state() = default;

namespace {
void init_state_arrays(std::vector<status>& st, std::vector<double>& sc, std::vector<std::int8_t>& r,
                       std::vector<std::uint32_t>& c, std::size_t n) {
  st.assign(n, status::not_started);
  sc.assign(n, detail::nan);
  r.assign(n, -1);
  c.assign(n, 0);
}
}  // namespace

const framework& learner_state::framework() const {
  if (!ctx_) throw std::logic_error("learner_state: not evaluated");
  return ctx_->fw;
}
const policy& learner_state::policy() const {
  if (!ctx_) throw std::logic_error("learner_state: not evaluated");
  return ctx_->pol;
}
status learner_state::status(std::string_view id) const { return status_.at(framework().index_of(id)); }
std::optional<double> learner_state::score(index_t i) const {
  const double v = score_.at(i);
  if (std::isnan(v)) return std::nullopt;
  return v;
}
std::optional<double> learner_state::score(std::string_view id) const { return score(framework().index_of(id)); }
std::optional<std::size_t> learner_state::rating_index(index_t i) const {
  const auto r = rating_.at(i);
  if (r < 0) return std::nullopt;
  return static_cast<std::size_t>(r);
}
std::optional<std::string> learner_state::rating(index_t i) const {
  auto r = rating_index(i);
  if (!r) return std::nullopt;
  return policy().scale().ratings()[*r].label;
}
std::optional<std::string> learner_state::rating(std::string_view id) const { return rating(framework().index_of(id)); }
std::vector<index_t> learner_state::with_status(masterymap::status s) const {
  std::vector<index_t> out;
  for (std::size_t i = 0; i < status_.size(); ++i)
    if (status_[i] == s) out.push_back(static_cast<index_t>(i));
  return out;
}
std::vector<std::uint32_t> learner_state::evidence_rows(index_t i) const {
  if (i >= status_.size()) throw std::out_of_range("competency index past the end");
  if (offsets_.empty()) return {};
  return {rows_.begin() + offsets_[i], rows_.begin() + offsets_[i + 1]};
}

explanation learner_state::explain(std::string_view id, const evidence_log& log) const {
  return explain(framework().index_of(id), log);
}

explanation learner_state::explain(index_t i, const evidence_log& log) const {
  const compiled_policy& ctx = *ctx_;
  if (i >= status_.size()) throw std::out_of_range("competency index past the end");
  if (log.size() < seen_) throw std::invalid_argument("explain: this is not the log the state was evaluated on");
  const auto rows = evidence_rows(i);
  auto code = log.learner_code(learner_);
  for (auto r : rows)
    if (!code || log.learner_codes()[r] != *code)
      throw std::invalid_argument("explain: this is not the log the state was evaluated on");
  binding b(ctx, log, as_of_, probabilities_.get());
  scratch s(0);
  gather(log, rows.data(), rows.size(), s.evs);
  trace tr;
  outcome own = rate(b, i, s.evs.data(), s.evs.size(), learner_, s, &tr);
  const scale& sc = ctx.pol.scale();
  const rule& r = ctx.rules[ctx.rule_of[i]];
  const auto& c = ctx.fw.at(i);

  explanation ex;
  ex.learner = learner_;
  ex.competency = c.id;
  ex.status = status_[i];
  ex.rule = to_string(r);
  ex.rule_scope = ctx.pol.rule_scope(c.id, c.domain);
  ex.method = to_string(r.method);
  ex.threshold = r.method.type() == method::kind::bkt ? r.method.threshold() : sc.mastery_value();
  ex.exceeds = sc.exceeds_value();
  ex.as_of = as_of_;
  ex.decided_by = "evidence";
  ex.value = tr.value;
  ex.unmet = std::move(tr.unmet);
  ex.notes = std::move(tr.notes);
  for (std::size_t k = 0; k < s.evs.size(); ++k) {
    const ev& e = s.evs[k];
    const auto& a = log.attributes()[e.attr];
    explained_evidence x;
    x.row = e.row;
    x.time = e.time;
    x.score = e.score;
    x.kind = log.kinds()[a.kind];
    x.weight = a.weight;
    x.source = log.sources()[a.source];
    x.used = tr.reason[k].empty();
    x.reason = x.used ? "counted" : tr.reason[k];
    ex.evidence.push_back(std::move(x));
  }
  if (ctx.rollup_of[i] >= 0) {
    const rrollup& ru = ctx.rollups[static_cast<std::size_t>(ctx.rollup_of[i])];
    ex.rollup = ru.text;
    std::set<std::int32_t> listed;
    for (const auto& g : ru.groups)
      for (const auto& it : g.items)
        if (it.comp >= 0 && listed.insert(it.comp).second) {
          const auto cc = static_cast<index_t>(it.comp);
          ex.children.push_back({ctx.fw.id_of(cc), status_[cc], score(cc), is_done(status_[cc])});
        }
    scratch s2(0);
    rollup_result rr = eval_rollup(ru, status_.data(), score_.data(), sc, s2);
    outcome R = rollup_outcome(ru, rr, sc);
    outcome res;
    const bool by_evidence = combine(ctx.pol.precedence(), R, own, res);
    ex.decided_by = by_evidence ? "evidence" : "rollup";
    ex.notes.push_back(fmt::format("rollup {} is {} (rollup_precedence: {})", ru.text,
                                   rr.done ? "satisfied" : "not satisfied", to_string(ctx.pol.precedence())));
    if (!by_evidence) {
      ex.unmet.clear();
      if (!rr.done) ex.unmet.push_back(fmt::format("rollup {} not satisfied", ru.text));
      if (!std::isnan(rr.value)) ex.value = rr.value;
      else ex.value.reset();
      if (!s.evs.empty()) ex.notes.push_back("the competency's own evidence is listed but the rollup decides");
    }
  }
  if (auto rt = rating(i)) ex.rating = *rt;

  // Text.
  std::string t = fmt::format("{} for learner {}: {}", ex.competency, ex.learner, to_string(ex.status));
  if (ex.rating) t += fmt::format(" ({})", *ex.rating);
  t += '\n';
  t += fmt::format("  rule ({}): {}; mastery at {}", ex.rule_scope, ex.rule, fmt_num(ex.threshold));
  if (r.method.type() != method::kind::bkt) t += fmt::format(" ({})", sc.mastery_label());
  t += fmt::format("; evaluated as of {}\n", format_time(ex.as_of));
  if (!ex.rollup.empty()) {
    t += fmt::format("  decided by: {} {}\n", ex.decided_by, ex.decided_by == "rollup" ? ex.rollup : "");
    for (const auto& ch : ex.children)
      t += fmt::format("    {} {}: {}{}\n", ch.done ? "[x]" : "[ ]", ch.id, to_string(ch.status),
                       ch.score ? fmt::format(" ({})", fmt_num(*ch.score)) : std::string());
  }
  t += fmt::format("  value: {}\n", ex.value ? fmt_num(*ex.value) : std::string("none"));
  std::size_t used = 0;
  for (const auto& x : ex.evidence) used += x.used;
  if (!ex.evidence.empty()) {
    t += fmt::format("  evidence ({} counted of {}, oldest first):\n", used, ex.evidence.size());
    for (const auto& x : ex.evidence) {
      t += fmt::format("    {} {} {} {}", x.used ? "+" : "-", format_time(x.time), x.kind, fmt_num(x.score));
      if (x.weight != 1.0) t += fmt::format(" weight {}", fmt_num(x.weight));
      if (!x.source.empty()) t += fmt::format(" by {}", x.source);
      t += fmt::format(" (row {})", x.row);
      if (!x.used) t += fmt::format(": ignored, {}", x.reason);
      t += '\n';
    }
  } else {
    t += "  evidence: none\n";
  }
  for (const auto& u : ex.unmet) t += fmt::format("  unmet: {}\n", u);
  for (const auto& n : ex.notes) t += fmt::format("  note: {}\n", n);
  ex.text = std::move(t);
  return ex;
}

// --- the bulk fast path (rate_all) ---------------------------------------------------------------
//
// A rule without window, expiry, gatekeeper, exemption or monotonic holding, whose method runs
// incrementally (every method but mode and bkt), is rated from running accumulators in one pass
// over a learner's events in row order: the counted events of one (learner, competency) are in
// aggregation order (time, then row) as long as their times do not go back. A competency whose
// counted times go back, or whose rule is not simple, is rated by the general path from its
// gathered and sorted events. Both paths share `push`/`value_of`, so the values are identical.
//
// The learner's events come either straight from the log's columns (when the log is already
// grouped by learner, i.e. learner codes never decrease) or from one counting-sort pass into
// 16-byte records (time, score, competency and attribute packed into 32 bits).

namespace {

struct fast_rule {
  bool simple = false;
  method_params mp;
  std::uint32_t min_evidence = 1;
  const std::array<std::uint8_t, 256>* flags = nullptr;  // an event counts iff (*flags)[kind] == 0
};

bool is_simple(const rule& r) noexcept {
  return runs_incrementally(r.method.type()) && r.require_kinds.empty() && !r.window_last && !r.window_days &&
         !r.expires_after_days && !r.exempt_on_pretest && !r.monotonic;
}

enum : std::uint8_t { acc_untouched = 0, acc_fast = 1, acc_general = 2 };

// One (learner, competency) being rated.
struct acc {
  running run;
  double last_t = 0;
  const fast_rule* fr = nullptr;
  outcome general_out;  // acc_general: the general path's outcome
  std::uint32_t count = 0;
  std::uint8_t mode = acc_untouched;
};

struct rec16 {
  double time;
  float score;
  std::uint32_t key;  // competency << attr_bits | attribute
};
static_assert(sizeof(rec16) == 16, "16-byte records");

unsigned bits_for(std::size_t x) noexcept {  // bits needed to store 0..x
  unsigned b = 0;
  while (b < 64 && (x >> b) != 0) ++b;
  return b;
}

// Events of the log in row order; competency nc = not in the framework.
struct column_source {
  const std::uint32_t* comp;
  const std::vector<std::uint32_t>* comp_map;
  const double* time;
  const float* score;
  const std::uint32_t* attr;
  std::uint32_t nc;
  void get(std::size_t i, std::uint32_t& c, double& t, float& s, std::uint32_t& a) const noexcept {
    const std::uint32_t x = (*comp_map)[comp[i]];
    c = x == none32 ? nc : x;
    t = time[i];
    s = score[i];
    a = attr[i];
  }
};

// Events partitioned by learner, each learner's in row order.
struct record_source {
  const rec16* r;
  unsigned attr_bits;
  std::uint32_t attr_mask;
  void get(std::size_t i, std::uint32_t& c, double& t, float& s, std::uint32_t& a) const noexcept {
    const rec16& x = r[i];
    c = x.key >> attr_bits;
    a = x.key & attr_mask;
    t = x.time;
    s = x.score;
  }
};

// The scale's thresholds, precomputed for the bulk path: the same comparisons as
// scale::rating_index / reaches_mastery / reaches_exceeds (bit-identical), without a call per row.
struct scale_cuts {
  std::vector<double> values;  // ascending rating values
  double tol = 0, mastery = 0, exceeds = 0;
  bool has_exceeds = false;
  explicit scale_cuts(const scale& sc) : tol(sc.tolerance()), mastery(sc.mastery_value() - sc.tolerance()) {
    for (const auto& r : sc.ratings()) values.push_back(r.value);
    if (auto e = sc.exceeds_value()) {
      has_exceeds = true;
      exceeds = *e - tol;
    }
  }
  std::int8_t rating(double v) const noexcept {  // -1: below the lowest rating
    const double x = v + tol;
    std::size_t i = 0;
    while (i < values.size() && !(x < values[i])) ++i;  // first value above x
    return static_cast<std::int8_t>(static_cast<int>(i) - 1);
  }
};

struct bulk_context {
  const binding* b = nullptr;
  const scale_cuts* cuts = nullptr;
  std::vector<fast_rule> rules;  // per distinct rule of the compiled policy
  bool all_counted = true;       // every attribute of the log counts under every simple rule
  std::uint32_t nc = 0;
};

// Per-thread state of the bulk path.
struct bulk_worker {
  std::vector<acc> accs;  // by framework index
  std::vector<index_t> touched;
  std::vector<std::uint64_t> bits;  // sort_touched's bitmap, all zero between calls
  std::vector<std::pair<index_t, ev>> general;
  std::vector<ev> evs;
  scratch s;
  std::vector<status> st;  // dense outputs, only with rollups
  std::vector<double> score;
  std::vector<std::int8_t> rating;
  std::vector<std::uint32_t> count;
  ratings_table out;
  explicit bulk_worker(std::size_t nc) : accs(nc), bits((nc + 63) / 64, 0), s(nc) {}
};

inline std::size_t trailing_zeros(std::uint64_t x) noexcept {  // x != 0
#if defined(__GNUC__) || defined(__clang__)
  return static_cast<std::size_t>(__builtin_ctzll(x));
#else
  std::size_t n = 0;
  for (; (x & 1) == 0; x >>= 1) ++n;
  return n;
#endif
}

// Sorts a learner's touched competencies (distinct indices below nc): by a bitmap over all nc
// when that is cheaper than a comparison sort (a few dozen of a few hundred, the usual case).
void sort_touched(std::vector<index_t>& touched, std::vector<std::uint64_t>& bits, std::size_t nc) {
  const std::size_t words = (nc + 63) / 64;
  if (touched.size() < 2) return;
  if (words > touched.size() * 8) {
    std::sort(touched.begin(), touched.end());
    return;
  }
  for (index_t c : touched) bits[c >> 6] |= std::uint64_t{1} << (c & 63);
  std::size_t k = 0;
  for (std::size_t w = 0; w < words; ++w) {
    for (std::uint64_t x = bits[w]; x != 0; x &= x - 1)
      touched[k++] = static_cast<index_t>(w * 64 + trailing_zeros(x));
    bits[w] = 0;
  }
}

outcome fast_outcome(const acc& x, const scale_cuts& sc) {
  outcome o;
  o.count = x.count;
  const fast_rule& fr = *x.fr;
  const std::optional<double> v = value_of(x.run, fr.mp);
  if (v && !std::isnan(*v)) {
    o.score = *v;
    o.rating = sc.rating(*v);
    o.st = *v >= sc.mastery && x.run.n >= fr.min_evidence ? (sc.has_exceeds && *v >= sc.exceeds ? status::exceeded : status::mastered)
                                                          : status::in_progress;
  } else {
    if (v) o.score = *v;
    o.st = status::in_progress;
  }
  return o;
}

void reserve_table(ratings_table& t, std::size_t n) {  // column storage: huge-page backed
  t.learner.reserve(n);
  t.competency.reserve(n);
  t.statuses.reserve(n);
  t.scores.reserve(n);
  t.ratings.reserve(n);
  t.evidence_counts.reserve(n);
}

// Makes rows [ready, need) of a reserved table writable ahead of the writes, in blocks of at
// least 64K rows (one populate call per column and block instead of a fault per page).
void populate_rows(ratings_table& t, std::size_t& ready, std::size_t need) noexcept {
  if (need <= ready) return;
  const std::size_t upto = std::min(t.learner.capacity(), std::max(need, ready + (std::size_t{1} << 16)));
  if (upto <= ready) return;
  auto pop = [&](const auto& c) {
    detail::column_populate(c.data() + ready, (upto - ready) * sizeof(*c.data()));
  };
  pop(t.learner);
  pop(t.competency);
  pop(t.statuses);
  pop(t.scores);
  pop(t.ratings);
  pop(t.evidence_counts);
  ready = upto;
}

// An uninitialised scratch array of n trivially copyable T in column storage.
template <typename T>
class column_block {
 public:
  explicit column_block(std::size_t n)
      : n_(std::max<std::size_t>(n, 1)), p_(static_cast<T*>(detail::column_allocate(n_ * sizeof(T)))) {}
  column_block(const column_block&) = delete;
  column_block& operator=(const column_block&) = delete;
  ~column_block() { detail::column_deallocate(p_, n_ * sizeof(T)); }
  T* data() const noexcept { return p_; }
  void populate(std::size_t b, std::size_t e) const noexcept { detail::column_populate(p_ + b, (e - b) * sizeof(T)); }

 private:
  std::size_t n_;
  T* p_;
};

void emit(ratings_table& out, std::uint32_t l, index_t c, const outcome& o) {
  out.learner.push_back(l);
  out.competency.push_back(c);
  out.statuses.push_back(o.st);
  out.scores.push_back(o.score);
  out.ratings.push_back(o.rating);
  out.evidence_counts.push_back(o.count);
}

// Rates learner l from events [begin, end) of `src` (in row order) into w.out. K: the method of
// every simple rule, or -1 when they differ (dispatch per event).
template <int K, typename Source>
void rate_learner_bulk(const bulk_context& k, const Source& src, std::size_t begin, std::size_t end,
                       std::uint32_t l, const std::string& learner, bulk_worker& w) {
  const binding& b = *k.b;
  const compiled_policy& ctx = *b.ctx;
  const evidence_attributes* attrs = b.attrs;
  const double as_of = b.as_of;
  const std::uint16_t* rule_of = ctx.rule_of.data();
  acc* accs = w.accs.data();
  auto& touched = w.touched;
  touched.clear();
  bool any_general = false;
  for (std::size_t i = begin; i < end; ++i) {
    std::uint32_t c, a;
    double t;
    float s;
    src.get(i, c, t, s, a);
    if (c == k.nc || t > as_of) continue;
    acc& x = accs[c];
    if (x.mode == acc_untouched) {
      x.fr = &k.rules[rule_of[c]];
      x.mode = x.fr->simple ? acc_fast : acc_general;
      any_general = any_general || !x.fr->simple;
      x.run = running{};
      x.count = 0;
      x.last_t = -std::numeric_limits<double>::infinity();
      touched.push_back(c);
    }
    ++x.count;
    if (x.mode != acc_fast) continue;
    if (!k.all_counted && (*x.fr->flags)[attrs[a].kind]) continue;
    if (t < x.last_t) {  // counted times go back: sort this competency's events
      x.mode = acc_general;
      any_general = true;
      continue;
    }
    x.last_t = t;
    if constexpr (K < 0) {
      push(x.run, x.fr->mp, static_cast<double>(s), static_cast<double>(attrs[a].weight));
    } else {
      constexpr auto kind = static_cast<method::kind>(K);
      push_k<kind>(x.run, x.fr->mp, static_cast<double>(s),
                   kind == method::kind::weighted_mean ? static_cast<double>(attrs[a].weight) : 1.0);
    }
  }
  if (any_general) {
    auto& gen = w.general;
    gen.clear();
    for (std::size_t i = begin; i < end; ++i) {
      std::uint32_t c, a;
      double t;
      float s;
      src.get(i, c, t, s, a);
      if (c == k.nc || t > as_of || accs[c].mode != acc_general) continue;
      gen.push_back({c, ev{t, s, a, static_cast<std::uint32_t>(i)}});
    }
    std::sort(gen.begin(), gen.end(), [](const auto& p, const auto& q) {
      return p.first < q.first || (p.first == q.first && ev_less(p.second, q.second));
    });
    for (std::size_t g = 0; g < gen.size();) {
      const index_t c = gen[g].first;
      w.evs.clear();
      for (; g < gen.size() && gen[g].first == c; ++g) w.evs.push_back(gen[g].second);
      accs[c].general_out = rate(b, c, w.evs.data(), w.evs.size(), learner, w.s, nullptr);
    }
  }
  sort_touched(touched, w.bits, k.nc);
  auto outcome_of = [&](const acc& x) { return x.mode == acc_fast ? fast_outcome(x, *k.cuts) : x.general_out; };
  if (ctx.rollup_order.empty()) {
    for (index_t c : touched) {
      emit(w.out, l, c, outcome_of(accs[c]));
      accs[c].mode = acc_untouched;
    }
    return;
  }
  dense_out d{w.st.data(), w.score.data(), w.rating.data(), w.count.data()};
  for (index_t c : touched) {
    write(d, c, outcome_of(accs[c]));
    accs[c].mode = acc_untouched;
  }
  apply_rollups(b, d, w.s);
  // The touched competencies and the rollup parents, in index order.
  auto& merged = w.s.merged;
  merged.assign(touched.begin(), touched.end());
  merged.insert(merged.end(), ctx.rollup_order.begin(), ctx.rollup_order.end());
  std::sort(merged.begin(), merged.end());
  merged.erase(std::unique(merged.begin(), merged.end()), merged.end());
  for (index_t c : merged) {
    if (w.st[c] != status::not_started || w.count[c] > 0)
      emit(w.out, l, c, outcome{w.st[c], w.score[c], w.rating[c], w.count[c]});
    w.st[c] = status::not_started;
    w.score[c] = detail::nan;
    w.rating[c] = -1;
    w.count[c] = 0;
  }
}

}  // namespace

// --- engine --------------------------------------------------------------------------------------

engine::engine(masterymap::framework fw, masterymap::policy p) : ctx_(compile(std::move(fw), std::move(p), nullptr)) {}

const framework& engine::framework() const noexcept { return ctx_->fw; }
const policy& engine::policy() const noexcept { return ctx_->pol; }

ingest_checks engine::checks() const { return checks_for(ctx_->fw, ctx_->pol); }

ingest_checks checks_for(const framework& fw, const policy& p) {
  ingest_checks c;
  c.min_score = p.scale().score_min();
  c.max_score = p.scale().score_max();
  c.known_competency = [fw](std::string_view id) { return fw.contains(id); };
  for (const auto& r : p.scale().ratings()) c.score_labels.emplace_back(r.label, r.value);
  return c;
}

learner_state engine::evaluate(const evidence_log& log, std::string_view learner, const evaluate_options& o) const {
  const std::size_t nc = ctx_->fw.size();
  learner_state st;
  st.ctx_ = ctx_;
  st.probabilities_ = o.probabilities;
  st.learner_ = std::string(learner);
  st.as_of_ = default_as_of(log, o);
  st.seen_ = log.size();
  init_state_arrays(st.status_, st.score_, st.rating_, st.count_, nc);
  std::vector<std::uint32_t> rows;
  if (auto code = log.learner_code(learner)) {
    const std::uint32_t* lc = log.learner_codes().data();
    for (std::size_t i = 0; i < log.size(); ++i)
      if (lc[i] == *code) rows.push_back(static_cast<std::uint32_t>(i));
  }
  binding b(*ctx_, log, st.as_of_, o.probabilities.get());
  scratch s(nc);
  std::vector<rec> recs;
  make_records(b, rows.data(), rows.size(), recs);
  evaluate_learner(b, learner, recs.data(), recs.size(),
                   {st.status_.data(), st.score_.data(), st.rating_.data(), st.count_.data()}, s, &st.offsets_,
                   &st.rows_);
  return st;
}

std::vector<learner_state> engine::evaluate_all(const evidence_log& log, const evaluate_options& o) const {
  const std::size_t nc = ctx_->fw.size(), L = log.learners().size();
  const double as_of = default_as_of(log, o);
  binding b(*ctx_, log, as_of, o.probabilities.get());
  std::vector<rec> recs;
  std::vector<std::uint32_t> start;
  make_records(b, nullptr, log.size(), recs);
  partition_by_learner(recs, L, start);
  std::vector<learner_state> out(L);
  parallel_learners(L, start, thread_count(o, L), nc, [&](std::size_t l, scratch& s) {
    learner_state& st = out[l];
    st.ctx_ = ctx_;
    st.probabilities_ = o.probabilities;
    st.learner_ = log.learners()[l];
    st.as_of_ = as_of;
    st.seen_ = log.size();
    init_state_arrays(st.status_, st.score_, st.rating_, st.count_, nc);
    evaluate_learner(b, st.learner_, recs.data() + start[l], start[l + 1] - start[l],
                     {st.status_.data(), st.score_.data(), st.rating_.data(), st.count_.data()}, s, &st.offsets_,
                     &st.rows_);
  });
  return out;
}

ratings_table engine::rate_all(const evidence_log& log, const evaluate_options& o) const {
  const std::size_t nc = ctx_->fw.size(), L = log.learners().size(), n = log.size();
  ratings_table t;
  t.learners = log.learners();
  t.competencies = nc;
  t.as_of = default_as_of(log, o);
  const binding b(*ctx_, log, t.as_of, o.probabilities.get());
  const scale& sc = ctx_->pol.scale();
  bulk_context k;
  k.b = &b;
  k.nc = static_cast<std::uint32_t>(nc);
  const scale_cuts cuts(sc);
  k.cuts = &cuts;
  const auto& attrs = log.attributes();
  k.rules.resize(ctx_->rules.size());
  for (std::size_t r = 0; r < ctx_->rules.size(); ++r) {
    const rule& ru = ctx_->rules[r];
    fast_rule& fr = k.rules[r];
    fr.simple = is_simple(ru);
    fr.mp = method_params(ru.method, sc);
    fr.min_evidence = ru.min_evidence;
    fr.flags = &b.rules[r].flags;
    if (fr.simple)
      for (const auto& a : attrs) k.all_counted = k.all_counted && (*fr.flags)[a.kind] == 0;
  }
  // The method of every simple rule, when they share one (the kernel is then specialised).
  int one_kind = -2;
  for (const fast_rule& fr : k.rules)
    if (fr.simple) one_kind = one_kind == -2 || one_kind == static_cast<int>(fr.mp.kind) ? static_cast<int>(fr.mp.kind) : -1;
  // Rows per learner (start: prefix sums), and whether the log is already grouped by learner
  // (codes are given in order of first appearance, so a grouped log has non-decreasing learner
  // codes). Counted per block of rows in parallel, each block's counts then become that
  // block's write cursors, so the partition below is stable and parallel too.
  const std::uint32_t* lc = log.learner_codes().data();
  const unsigned threads = thread_count(o, L);
  const unsigned pt = n >= (std::size_t{1} << 16) && L <= n / 4 ? threads : 1U;  // partition threads
  std::vector<std::uint32_t> cursors(std::size_t{pt} * L, 0);
  std::vector<std::uint8_t> block_grouped(pt, 1);
  auto block = [&](unsigned th) { return std::pair<std::size_t, std::size_t>{n * th / pt, n * (th + 1) / pt}; };
  detail::run_threads(pt, [&](unsigned th) {
    const auto [rb, re] = block(th);
    std::uint32_t* cnt = cursors.data() + std::size_t{th} * L;
    bool g = rb == 0 || rb >= re || lc[rb - 1] <= lc[rb];
    for (std::size_t i = rb; i < re; ++i) {
      ++cnt[lc[i]];
      g = g && (i == rb || lc[i - 1] <= lc[i]);
    }
    block_grouped[th] = g ? 1 : 0;
  });
  std::vector<std::uint32_t> start(L + 1, 0);
  for (std::size_t l = 0; l < L; ++l) {
    std::uint32_t at = start[l];
    for (unsigned th = 0; th < pt; ++th) {
      const std::uint32_t c = cursors[std::size_t{th} * L + l];
      cursors[std::size_t{th} * L + l] = at;
      at += c;
    }
    start[l + 1] = at;
  }
  const bool grouped = std::all_of(block_grouped.begin(), block_grouped.end(), [](std::uint8_t g) { return g != 0; });

  // Rows a learner can add to the table: one per event plus the rollup parents.
  const std::size_t nroll = ctx_->rollup_order.size();
  std::vector<ratings_table> parts(threads);  // one per worker, in learner-range order
  auto run = [&](const auto& src) {
    parallel_ranges(L, start, threads, [&](unsigned th, std::size_t lb, std::size_t le) {
      bulk_worker w(nc);
      if (nroll) init_state_arrays(w.st, w.score, w.rating, w.count, nc);
      // Reserved (virtual memory only) so the table never reallocates: the first worker's for
      // every row of the result (the others' rows are appended to it), the others' for their
      // own range. Pages are populated in blocks just ahead of the writes.
      reserve_table(w.out, th == 0 ? n + L * nroll : start[le] - start[lb] + (le - lb) * nroll);
      std::size_t ready = 0;
      auto each = [&](auto kernel) {
        for (std::size_t l = lb; l < le; ++l) {
          populate_rows(w.out, ready, w.out.learner.size() + (start[l + 1] - start[l]) + nroll);
          kernel(k, src, start[l], start[l + 1], static_cast<std::uint32_t>(l), t.learners[l], w);
        }
      };
      using S = std::decay_t<decltype(src)>;
      switch (one_kind) {
        case static_cast<int>(method::kind::latest): each(rate_learner_bulk<0, S>); break;
        case static_cast<int>(method::kind::highest): each(rate_learner_bulk<1, S>); break;
        case static_cast<int>(method::kind::mean): each(rate_learner_bulk<2, S>); break;
        case static_cast<int>(method::kind::weighted_mean): each(rate_learner_bulk<3, S>); break;
        case static_cast<int>(method::kind::weighted_average): each(rate_learner_bulk<5, S>); break;
        case static_cast<int>(method::kind::decaying_average): each(rate_learner_bulk<6, S>); break;
        case static_cast<int>(method::kind::n_mastery): each(rate_learner_bulk<7, S>); break;
        case static_cast<int>(method::kind::power_law): each(rate_learner_bulk<8, S>); break;
        default: each(rate_learner_bulk<-1, S>); break;
      }
      parts[th] = std::move(w.out);
    });
  };
  const std::uint32_t* cc = log.competency_codes().data();
  const double* tm = log.times().data();
  const float* sco = log.scores().data();
  const std::uint32_t* ac = log.attribute_codes().data();
  const std::uint32_t* cmap = b.comp_map.data();
  const unsigned attr_bits = attrs.size() <= 1 ? 0U : bits_for(attrs.size() - 1);
  if (grouped) {
    run(column_source{cc, &b.comp_map, tm, sco, ac, k.nc});
  } else if (attr_bits + bits_for(nc) <= 32) {
    // One counting-sort pass into 16-byte records, stable (row order kept within a learner);
    // each thread populates its share of the buffer, then scatters its block of rows.
    column_block<rec16> recs(n);
    detail::run_threads(pt, [&](unsigned th) { recs.populate(n * th / pt, n * (th + 1) / pt); });
    const std::uint32_t unknown = k.nc;
    detail::run_threads(pt, [&](unsigned th) {
      const auto [rb, re] = block(th);
      std::uint32_t* cursor = cursors.data() + std::size_t{th} * L;
      rec16* r = recs.data();
      for (std::size_t i = rb; i < re; ++i) {
        const std::uint32_t c = cmap[cc[i]];
        r[cursor[lc[i]]++] = {tm[i], sco[i], ((c == none32 ? unknown : c) << attr_bits) | ac[i]};
      }
    });
    run(record_source{recs.data(), attr_bits, attr_bits == 0 ? 0U : (~0U >> (32 - attr_bits))});
  } else {
    // Too many competencies and attributes to pack: gather row indices instead.
    column_block<std::uint32_t> rows(n);
    detail::run_threads(pt, [&](unsigned th) {
      const auto [rb, re] = block(th);
      std::uint32_t* cursor = cursors.data() + std::size_t{th} * L;
      for (std::size_t i = rb; i < re; ++i) rows.data()[cursor[lc[i]]++] = static_cast<std::uint32_t>(i);
    });
    struct row_source {
      column_source cols;
      const std::uint32_t* rows;
      void get(std::size_t i, std::uint32_t& c, double& t_, float& s, std::uint32_t& a) const noexcept {
        cols.get(rows[i], c, t_, s, a);
      }
    };
    run(row_source{column_source{cc, &b.comp_map, tm, sco, ac, k.nc}, rows.data()});
  }
  // The first worker's table (reserved for every row) takes the others' rows, in learner order.
  ratings_table& all = parts[0];
  std::size_t total = 0;
  for (const auto& p : parts) total += p.learner.size();
  std::size_t ready = all.learner.size();
  populate_rows(all, ready, total);
  for (std::size_t p = 1; p < parts.size(); ++p) {
    const ratings_table& x = parts[p];
    all.learner.insert(all.learner.end(), x.learner.begin(), x.learner.end());
    all.competency.insert(all.competency.end(), x.competency.begin(), x.competency.end());
    all.statuses.insert(all.statuses.end(), x.statuses.begin(), x.statuses.end());
    all.scores.insert(all.scores.end(), x.scores.begin(), x.scores.end());
    all.ratings.insert(all.ratings.end(), x.ratings.begin(), x.ratings.end());
    all.evidence_counts.insert(all.evidence_counts.end(), x.evidence_counts.begin(), x.evidence_counts.end());
  }
  t.learner = std::move(all.learner);
  t.competency = std::move(all.competency);
  t.statuses = std::move(all.statuses);
  t.scores = std::move(all.scores);
  t.ratings = std::move(all.ratings);
  t.evidence_counts = std::move(all.evidence_counts);
  return t;
}

void engine::update(learner_state& st, const evidence_log& log, const evaluate_options& o) const {
  if (!st.ctx_) {
    throw std::invalid_argument("update: the state was never evaluated");
  }
  if (st.ctx_ != ctx_ && !(st.ctx_->fw == ctx_->fw && st.ctx_->pol == ctx_->pol))
    throw std::invalid_argument("update: the state was evaluated with another framework or policy");
  if (log.size() < st.seen_) throw std::invalid_argument("update: the log is shorter than when evaluated");
  const std::size_t nc = ctx_->fw.size();
  const double as_of = default_as_of(log, o);
  const auto code = log.learner_code(st.learner_);
  binding b(*ctx_, log, as_of, o.probabilities.get());
  scratch s(nc);
  // New rows of this learner, per competency.
  std::vector<std::uint32_t> fresh;
  if (code) {
    const std::uint32_t* lc = log.learner_codes().data();
    const std::uint32_t* cc = log.competency_codes().data();
    for (std::size_t i = st.seen_; i < log.size(); ++i)
      if (lc[i] == *code && b.comp_map[cc[i]] != none32) fresh.push_back(static_cast<std::uint32_t>(i));
  }
  const bool moved = !(as_of == st.as_of_);
  st.seen_ = log.size();
  st.probabilities_ = o.probabilities;
  if (fresh.empty() && !moved) return;
  // Merge the new rows into the evidence index.
  if (st.offsets_.size() != nc + 1) st.offsets_.assign(nc + 1, 0);
  const std::uint32_t* cc = log.competency_codes().data();
  s.touched.clear();
  for (std::uint32_t r : fresh) {
    const std::uint32_t c = b.comp_map[cc[r]];
    if (s.cnt[c]++ == 0) s.touched.push_back(c);
  }
  std::vector<std::uint32_t> offsets(nc + 1, 0);
  for (std::size_t c = 0; c < nc; ++c) offsets[c + 1] = offsets[c] + (st.offsets_[c + 1] - st.offsets_[c]) + s.cnt[c];
  std::vector<std::uint32_t> rows(offsets[nc]);
  for (std::size_t c = 0; c < nc; ++c) {
    std::copy(st.rows_.begin() + st.offsets_[c], st.rows_.begin() + st.offsets_[c + 1], rows.begin() + offsets[c]);
    s.pos[c] = offsets[c] + (st.offsets_[c + 1] - st.offsets_[c]);
  }
  for (std::uint32_t r : fresh) rows[s.pos[b.comp_map[cc[r]]]++] = r;
  st.offsets_ = std::move(offsets);
  st.rows_ = std::move(rows);
  st.as_of_ = as_of;
  // Recompute: competencies with new rows (all with rows if the evaluation time moved), and
  // every rollup parent's own evidence, then the rollups.
  std::vector<index_t> redo;
  if (moved) {
    for (index_t c = 0; c < nc; ++c)
      if (st.offsets_[c + 1] > st.offsets_[c] || st.status_[c] != status::not_started) redo.push_back(c);
  } else {
    redo = s.touched;
  }
  for (index_t p : ctx_->rollup_order) redo.push_back(p);
  std::sort(redo.begin(), redo.end());
  redo.erase(std::unique(redo.begin(), redo.end()), redo.end());
  dense_out out{st.status_.data(), st.score_.data(), st.rating_.data(), st.count_.data()};
  for (index_t c : redo) {
    const std::uint32_t k = st.offsets_[c + 1] - st.offsets_[c];
    gather(log, st.rows_.data() + st.offsets_[c], k, s.evs);
    sort_events(s.evs, st.rows_.data() + st.offsets_[c]);
    write(out, c, rate(b, c, s.evs.data(), k, st.learner_, s, nullptr));
  }
  for (index_t c : s.touched) s.cnt[c] = 0;
  apply_rollups(b, out, s);
}

std::vector<std::string> problems(const policy& p, const framework& fw) {
  std::vector<std::string> out;
  compile(fw, p, &out);
  return out;
}

void validate(const policy& p, const framework& fw) {
  auto ps = problems(p, fw);
  if (!ps.empty()) throw policy_error(std::move(ps));
}

learner_state evaluate(const framework& fw, const policy& p, const evidence_log& log, std::string_view learner,
                       const evaluate_options& options) {
  return engine(fw, p).evaluate(log, learner, options);
}

}  // namespace masterymap
