// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// The engine's general rating path: one competency from its sorted events (rule conditions,
// aggregation, monotonic holding, expiry), rollups, and one learner from its records.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>

#include "accumulate.hpp"
#include "decision.hpp"
#include "engine_detail.hpp"

namespace masterymap::detail {

std::string fmt_num(double x) {
  std::string six = fmt::format("{:.6g}", x);
  if (!std::isfinite(x) || std::strtod(six.c_str(), nullptr) == x) return six;  // exact: 3, 0.65
  // A score as stored (a float): its shortest text, exact (2.7, 2.9999966).
  const auto f = static_cast<float>(x);
  if (static_cast<double>(f) == x) return fmt::format("{}", f);
  // Computed (a mean, a decay): 9 significant digits cut toward zero, then "...", so the text
  // never reaches a threshold the value does not (2.99999966 is "2.99999966...", not "3"),
  // and values either side of the scale's tolerance (1e-6 of its highest value) read
  // differently: with 6 digits, 2.9999966 (mastered, within the tolerance) and 2.9999903 (not)
  // both read "2.99999...".
  const int e = static_cast<int>(std::floor(std::log10(std::fabs(x))));
  const double scale = std::pow(10.0, 8 - e);
  const double cut = std::trunc(x * scale) / scale;
  return std::isfinite(cut) ? fmt::format("{:.9g}...", cut) : six + "...";
}

// --- rating one competency ---------------------------------------------------------------------

namespace {

// The value of the counted scores e[kept[..]] under method m. Every method but mode and bkt
// runs through push/value_of (accumulate.hpp), as on the bulk path and in the roster.
std::optional<double> aggregate(const method& m, const scale& sc, const ev* e,
                                const std::vector<std::uint32_t>& kept,
                                const evidence_attributes* attrs, const binding& b,
                                std::string_view learner, const std::string& comp_id, scratch& s) {
  const std::size_t n = kept.size();
  if (n == 0) return std::nullopt;
  auto S = [&](std::size_t i) { return static_cast<double>(e[kept[i]].score); };
  if (runs_incrementally(m.type())) {
    const method_params p(m, sc);
    running r;
    for (std::size_t i = 0; i < n; ++i)
      push(r, p, S(i), static_cast<double>(attrs[e[kept[i]].attr].weight));
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
    default:
      break;
  }
  return std::nullopt;
}

// The events of a competency that count, and what the others tell: the best pre-test score and
// the time of the latest counted-kind evidence.
struct counted_events {
  double pre_max = -std::numeric_limits<double>::infinity();
  double fresh = -std::numeric_limits<double>::infinity();
  std::ptrdiff_t waiver = -1;  // the latest waiver among the events (index), -1: none
};

// Selects into s.kept the events of e[0..m) that count under rule r at `as_of`: not of an
// ignored kind or a pre-test used for exemption only, inside the window. With `tr`, records why
// each other event does not count. Placement rows never get here: evaluate_learner and
// engine::update keep them out of the evidence index (explain() rates that index) and the bulk
// ratings skip them (engine_bulk.cpp); explain() names them in its notes instead.
counted_events select_counted(const binding& b, const rule& r, const rule_binding& rb, const ev* e,
                              std::size_t m, double as_of, scratch& s, trace* tr) {
  counted_events out;
  const evidence_attributes* attrs = b.attrs;
  const auto& kinds = b.log->kinds();
  auto& kept = s.kept;
  kept.clear();
  const double since = r.window_days ? as_of - *r.window_days * detail::day
                                     : -std::numeric_limits<double>::infinity();
  for (std::size_t i = 0; i < m; ++i) {
    const std::uint8_t k = attrs[e[i].attr].kind;
    const std::uint8_t f = rb.flags[k];
    if (static_cast<int>(k) == rb.pretest)
      out.pre_max = std::max(out.pre_max, static_cast<double>(e[i].score));
    if (f) {
      if (f & flag_waiver) out.waiver = static_cast<std::ptrdiff_t>(i);
      if (tr)
        tr->reason[i] = (f & flag_ignored)  ? fmt::format("kind '{}' never counts", kinds[k])
                        : (f & flag_waiver) ? std::string("waiver: exempts, never counts")
                                            : std::string("pre-test: used for exemption only");
      continue;
    }
    out.fresh = e[i].time;
    if (e[i].time < since) {
      if (tr)
        tr->reason[i] =
            fmt::format("outside the window: older than {} days", fmt_num(*r.window_days));
      continue;
    }
    kept.push_back(static_cast<std::uint32_t>(i));
  }
  if (r.window_last && kept.size() > *r.window_last) {
    const std::size_t drop = kept.size() - *r.window_last;
    if (tr)
      for (std::size_t j = 0; j < drop; ++j)
        tr->reason[kept[j]] =
            fmt::format("outside the window: not among the last {}", *r.window_last);
    kept.erase(kept.begin(), kept.begin() + static_cast<std::ptrdiff_t>(drop));
  }
  return out;
}

// The rule's conditions over events e[0..m), `value` being the counted scores' value. With
// `tr`, records each gatekeeper or exemption confirmation that is missing.
rule_conditions conditions_of(const binding& b, const rule& r, const rule_binding& rb, const ev* e,
                              std::size_t m, const std::optional<double>& value,
                              std::size_t counted, double pre_max, trace* tr) {
  const scale& sc = b.ctx->pol.scale();
  const evidence_attributes* attrs = b.attrs;
  const bool is_bkt = r.method.type() == method::kind::bkt;
  rule_conditions cond;
  cond.reached =
      value && (is_bkt ? *value >= r.method.threshold() - 1e-12 : sc.reaches_mastery(*value));
  cond.exceeds = value && !is_bkt && sc.reaches_exceeds(*value);
  cond.enough = counted >= r.min_evidence;
  // The latest score of kind code `code` up to the evaluation time (NaN: none).
  auto latest = [&](int code) {
    if (code >= 0)
      for (std::size_t i = m; i-- > 0;)
        if (attrs[e[i].attr].kind == code) return static_cast<double>(e[i].score);
    return nan;
  };
  auto unmet = [&](const char* what, const std::vector<std::string>& names) {
    return [&, what](std::size_t j, double x) {
      if (!tr) return;
      if (std::isnan(x))
        tr->unmet.push_back(fmt::format("{}: no '{}' evidence yet", what, names[j]));
      else
        tr->unmet.push_back(fmt::format("{}: the latest '{}' evidence ({}) is below mastery ({})",
                                        what, names[j], fmt_num(x), fmt_num(sc.mastery_value())));
    };
  };
  cond.confirmed = all_confirmed(
      sc, rb.require.size(), [&](std::size_t j) { return latest(rb.require[j]); },
      unmet("gatekeeper", r.require_kinds), cond.gate_refused);
  cond.exempt_level = reaches_exemption(r, pre_max, sc);
  cond.exempt_confirmed =
      cond.exempt_level &&
      all_confirmed(
          sc, rb.confirm.size(), [&](std::size_t j) { return latest(rb.confirm[j]); },
          unmet("exemption confirmation", r.exempt_confirm_kinds), cond.exempt_refused);
  return cond;
}

// The note naming the waiver e[i] ("waived (Tested Out): by 'statement-id' on 2024-03-01T...").
std::string waiver_note(const binding& b, const ev& e) {
  const evidence_attributes& a = b.attrs[e.attr];
  const std::string_view reason = waiver_reason(b.log->kinds()[a.kind]);
  const std::string& source = b.log->sources()[a.source];
  return fmt::format(
      "waived{}: by {} on {}", reason.empty() ? std::string() : fmt::format(" ({})", reason),
      source.empty() ? std::string("a waiver") : fmt::format("'{}'", source), format_time(e.time));
}

// Records in `tr` why the value, the amount of evidence or the pre-test fall short.
void explain_conditions(const rule& r, const scale& sc, const std::optional<double>& value,
                        std::size_t counted, double pre_max, const rule_conditions& cond,
                        trace& tr) {
  const bool is_bkt = r.method.type() == method::kind::bkt;
  tr.value = value;
  if (!value) {
    if (counted == 0)
      tr.unmet.push_back("no counted evidence");
    else if (r.method.type() == method::kind::n_mastery)
      tr.unmet.push_back(
          fmt::format("n_mastery: fewer than {} scores at or above mastery", r.method.n()));
    else if (is_bkt)
      tr.unmet.push_back("bkt: no probability available (no probability source given)");
    else
      tr.unmet.push_back("no value (weights sum to 0)");
  } else if (!cond.reached) {
    tr.unmet.push_back(fmt::format("value {} is below the mastery threshold {}", fmt_num(*value),
                                   fmt_num(is_bkt ? r.method.threshold() : sc.mastery_value())));
  }
  // A value just below a rating it counts as (scale::tolerance: 1e-6 of the scale's highest
  // value; scores are stored as floats) would otherwise read as a mistake: 2.9999966 rated
  // Proficient at 3. Say so.
  if (value && !is_bkt)
    if (const auto ri = sc.rating_index(*value); ri && sc.ratings()[*ri].value > *value) {
      const rating& rt = sc.ratings()[*ri];
      tr.notes.push_back(fmt::format(
          "value {} counts as {} ({}): within the scale's tolerance {:.6g} (1e-6 of its highest "
          "value)",
          fmt_num(*value), fmt_num(rt.value), rt.label, sc.tolerance()));
    }
  if (!cond.enough)
    tr.unmet.push_back(fmt::format("min_evidence: {} counted, {} needed", counted, r.min_evidence));
  if (r.exempt_on_pretest) {
    if (cond.exempt_level)
      tr.notes.push_back(fmt::format("pre-test {} reaches the exemption level {}", fmt_num(pre_max),
                                     fmt_num(*r.exempt_on_pretest)));
    else if (pre_max > -std::numeric_limits<double>::infinity())
      tr.notes.push_back(fmt::format("pre-test {} is below the exemption level {}",
                                     fmt_num(pre_max), fmt_num(*r.exempt_on_pretest)));
  }
}

// Status of one competency from events e[0..m) (sorted by time, then row), without
// monotonic holding and expiry (rate() adds those).
struct core_result {
  outcome out;
  double fresh = -std::numeric_limits<double>::infinity();  // latest counted-kind evidence
  std::ptrdiff_t waiver = -1;  // the latest waiver among the events (index), -1: none
};

core_result rate_core(const binding& b, const rule& r, const rule_binding& rb, const ev* e,
                      std::size_t m, double as_of, std::string_view learner,
                      const std::string& comp_id, scratch& s, trace* tr) {
  core_result res;
  res.out.count = static_cast<std::uint32_t>(m);
  if (m == 0) return res;
  const scale& sc = b.ctx->pol.scale();
  const counted_events ce = select_counted(b, r, rb, e, m, as_of, s, tr);
  res.fresh = ce.fresh;
  const std::optional<double> value =
      aggregate(r.method, sc, e, s.kept, b.attrs, b, learner, comp_id, s);
  rule_conditions cond = conditions_of(b, r, rb, e, m, value, s.kept.size(), ce.pre_max, tr);
  cond.waived = ce.waiver >= 0;
  res.waiver = ce.waiver;
  if (tr) explain_conditions(r, sc, value, s.kept.size(), ce.pre_max, cond, *tr);
  outcome& o = res.out;
  if (value) {
    o.score = *value;
    if (r.method.type() == method::kind::bkt) {
      o.rating = cond.reached ? static_cast<std::int8_t>(sc.mastery_index()) : std::int8_t{-1};
    } else if (auto ri = sc.rating_index(*value)) {
      o.rating = static_cast<std::int8_t>(*ri);
    }
  }
  o.st = decide_status(cond);
  return res;
}

}  // namespace

// Full rating of one competency: the core, then monotonic holding, then expiry.
outcome rate(const binding& b, index_t c, const ev* e, std::size_t n, std::string_view learner,
             scratch& s, trace* tr) {
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
  if (r.monotonic && o.st != status::mastered && o.st != status::exceeded && m > 0) {
    // Was it mastered at an earlier point? Evaluate each earlier time boundary, latest first:
    // the time of each event after which the time moves on, the latest event's included (a
    // window or expiry may have dropped evidence since).
    for (std::size_t j = m; j >= 1; --j) {
      if (j < m && !(e[j - 1].time < e[j].time)) continue;
      core_result past = rate_core(b, r, rb, e, j, e[j - 1].time, learner, id, s, nullptr);
      if (past.out.st == status::mastered || past.out.st == status::exceeded) {
        o.st = status::mastered;
        o.rating = std::max(o.rating, mi);
        if (tr)
          tr->notes.push_back(fmt::format("mastery held (monotonic rule): mastered as of {}",
                                          format_time(e[j - 1].time)));
        break;
      }
    }
  }
  if (r.expires_after_days && (o.st == status::mastered || o.st == status::exceeded) &&
      b.as_of - res.fresh > *r.expires_after_days * detail::day) {
    o.st = status::expired;
    if (tr)
      tr->unmet.push_back(fmt::format(
          "expired: no fresh evidence since {} (more than {} days before {})",
          format_time(res.fresh), fmt_num(*r.expires_after_days), format_time(b.as_of)));
  }
  // A waiver exempts unless the evidence masters the competency now (held or fresh): expired
  // mastery leaves the waiver to decide.
  if (res.waiver >= 0 && o.st == status::expired) o.st = status::exempt;
  if (tr && res.waiver >= 0) {
    std::string note = waiver_note(b, e[res.waiver]);
    if (o.st != status::exempt)
      note += " (not applied: the counted evidence reaches mastery, which takes precedence)";
    tr->notes.push_back(std::move(note));
  }
  return o;
}

// --- rollups ---------------------------------------------------------------------------------

rollup_result eval_rollup(const rrollup& ru, const status* st, const double* score, const scale& sc,
                          scratch& s, bool inferred_met) {
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
        // Inferred children make a rollup done only for inference (inferred_met).
        d = is_earned(st[c]) || (inferred_met && st[c] == status::inferred);
        st_ = st[c] != status::not_started && st[c] != status::inferred;
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
      case rollup::op::all_of:
        ok = done == g.items.size();
        break;
      case rollup::op::any_of:
        ok = done >= 1;
        break;
      case rollup::op::k_of_n:
        ok = done >= g.k;
        break;
      case rollup::op::points:
        ok = required_ok && points >= g.min_points - 1e-9;
        break;
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
    o.st = (wm && !std::isnan(rr.value) && sc.reaches_exceeds(rr.value)) ? status::exceeded
                                                                         : status::mastered;
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
    case rollup_precedence::rollup:
      out = R;
      return false;
    case rollup_precedence::evidence:
      if (own) {
        out = E;
        return true;
      }
      out = R;
      return false;
    case rollup_precedence::either:
      if (is_done(R.st)) {
        out = R;
        return false;
      }
      if (is_done(E.st) || own) {
        out = E;
        return true;
      }
      out = R;
      return false;
    case rollup_precedence::both:
      if (is_done(R.st) && is_done(E.st)) {
        out = E;
        out.st = status::mastered;
        return true;
      }
      if (!is_done(E.st) && own) {
        out = E;
        return true;
      }
      out = R;
      if (own && out.st == status::not_started) out.st = status::in_progress;
      return false;
  }
  out = R;
  return false;
}

// --- evaluating one learner ----------------------------------------------------------------

void gather(const evidence_log& log, const std::uint32_t* rows, std::size_t n,
            std::vector<ev>& out) {
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

void apply_inference(const compiled_policy& ctx, status* st, const double* score,
                     const std::vector<index_t>* touched, scratch& s, std::vector<index_t>* added) {
  if (!touched) {
    infer(ctx.inference, st, nullptr, 0, s.placements.data(), s.placements.size(), s.inf, added);
  } else {
    const std::vector<index_t>* cand = touched;
    if (!ctx.rollup_order.empty()) {
      s.cand.assign(touched->begin(), touched->end());
      s.cand.insert(s.cand.end(), ctx.rollup_order.begin(), ctx.rollup_order.end());
      cand = &s.cand;
    }
    infer(ctx.inference, st, cand->data(), cand->size(), s.placements.data(), s.placements.size(),
          s.inf, added);
  }
  // Rollup parents over inferred parts (a unit whose lessons are inferred is inferred, so work
  // that requires the unit is not a dead end). Each round infers at least one parent: at most
  // |rollup parents| rounds, each O(rollup items + the newly inferred set's in-edges).
  for (bool changed = !ctx.rollup_order.empty(); changed;) {
    changed = false;
    s.cand.clear();
    for (index_t p : ctx.rollup_order) {
      if (st[p] != status::not_started) continue;  // own evidence (contrary wins), or done
      const rrollup& ru = ctx.rollups[static_cast<std::size_t>(ctx.rollup_of[p])];
      if (!eval_rollup(ru, st, score, ctx.pol.scale(), s, true).done) continue;
      st[p] = status::inferred;
      if (added) added->push_back(p);
      s.cand.push_back(p);
      changed = true;
    }
    if (changed) infer_below(ctx.inference, st, s.cand.data(), s.cand.size(), s.inf, added);
  }
}

void log_placements(const binding& b, const evidence_log& log, std::optional<std::uint32_t> learner,
                    std::size_t rows, std::vector<placement>& out) {
  out.clear();
  if (!learner || !b.any_placement) return;
  const auto* attrs = log.attributes().data();
  const std::uint32_t* ac = log.attribute_codes().data();
  const std::uint32_t* lc = log.learner_codes().data();
  const std::uint32_t* cc = log.competency_codes().data();
  const double* t = log.times().data();
  const float* sc = log.scores().data();
  for (std::size_t r = 0; r < rows; ++r)
    if (lc[r] == *learner && static_cast<int>(attrs[ac[r]].kind) == b.placement_kind &&
        !b.dead(ac[r]) && t[r] <= b.as_of && cc[r] < b.comp_map.size() &&
        b.comp_map[cc[r]] != none32)
      out.push_back(
          {t[r], static_cast<std::uint32_t>(r), b.comp_map[cc[r]], placement_level(sc[r])});
}

// Records of the given rows (or of every row when `rows` is null), in row order, leaving out
// evidence on competencies the framework does not have.
void make_records(const binding& b, const std::uint32_t* rows, std::size_t n, std::vector<rec>& out,
                  meter* m) {
  const evidence_log& log = *b.log;
  const std::uint32_t* lc = log.learner_codes().data();
  const std::uint32_t* cc = log.competency_codes().data();
  const std::uint32_t* ac = log.attribute_codes().data();
  const double* t = log.times().data();
  const float* sc = log.scores().data();
  out.clear();
  out.reserve(n);
  for_blocks(0, n, check_block, m, [&](std::size_t first, std::size_t last) {
    for (std::size_t i = first; i < last; ++i) {
      const std::uint32_t r = rows ? rows[i] : static_cast<std::uint32_t>(i);
      const std::uint32_t c = b.comp_map[cc[r]];
      if (c == none32 || b.dead(ac[r])) continue;  // not in the framework, or retracted
      out.push_back({lc[r], c, r, ac[r], t[r], sc[r]});
    }
  });
}

// Stable LSD radix sort of the records by learner (8-bit digits, so every pass streams into
// 256 buckets), then the start of each learner's records.
void partition_by_learner(std::vector<rec>& r, std::size_t L, std::vector<std::uint32_t>& start,
                          meter* m) {
  std::vector<rec> tmp(r.size());
  for (unsigned shift = 0; L > 1 && ((L - 1) >> shift) != 0; shift += 8) {
    std::size_t count[257] = {0};
    for_blocks(0, r.size(), check_block, m, [&](std::size_t first, std::size_t last) {
      for (std::size_t i = first; i < last; ++i) ++count[((r[i].learner >> shift) & 255U) + 1];
    });
    if (std::any_of(count + 1, count + 257, [&](std::size_t c) { return c == r.size(); })) continue;
    for (int k = 0; k < 256; ++k) count[k + 1] += count[k];
    for_blocks(0, r.size(), check_block, m, [&](std::size_t first, std::size_t last) {
      for (std::size_t i = first; i < last; ++i)
        tmp[count[(r[i].learner >> shift) & 255U]++] = r[i];
    });
    r.swap(tmp);
  }
  start.assign(L + 1, 0);
  for (const rec& x : r) ++start[x.learner + 1];
  for (std::size_t l = 0; l < L; ++l) start[l + 1] += start[l];
}

// Rates a learner from its records r[0..n) (in row order). Leaves the touched competencies in
// s.touched (ascending). With `offsets`/`csr_rows`, also fills the learner's evidence index
// (offsets over all competencies, rows in aggregation order).
void evaluate_learner(const binding& b, std::string_view learner, const rec* r, std::size_t n,
                      dense_out out, scratch& s, std::vector<std::uint32_t>* offsets,
                      std::vector<std::uint32_t>* csr_rows) {
  auto& cnt = s.cnt;
  auto& touched = s.touched;
  touched.clear();
  // Placement evidence never rates its competency: it is set aside (s.placements).
  s.placements.clear();
  auto placing = [&](const rec& x) {
    return b.any_placement && static_cast<int>(b.attrs[x.attr].kind) == b.placement_kind;
  };
  for (std::size_t i = 0; i < n; ++i) {
    if (placing(r[i])) {
      if (r[i].time <= b.as_of)
        s.placements.push_back(
            {r[i].time, r[i].row, r[i].comp, detail::placement_level(r[i].score)});
      continue;
    }
    if (cnt[r[i].comp]++ == 0) touched.push_back(r[i].comp);
  }
  std::sort(touched.begin(), touched.end());
  std::uint32_t total = 0;
  for (index_t c : touched) {
    s.pos[c] = total;
    total += cnt[c];
  }
  auto& bucket = s.bucket;
  bucket.resize(total);
  for (std::size_t i = 0; i < n; ++i)
    if (!placing(r[i])) bucket[s.pos[r[i].comp]++] = static_cast<std::uint32_t>(i);
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
    if (!std::is_sorted(evs.begin(), evs.end(), ev_less))
      std::sort(evs.begin(), evs.end(), ev_less);
    if (csr_rows)
      for (std::uint32_t j = 0; j < k; ++j) (*csr_rows)[begin + j] = evs[j].row;
    write(out, c, rate(b, c, evs.data(), k, learner, s, nullptr));
    begin += k;
    cnt[c] = 0;
  }
  apply_rollups(b, out, s);
  if (b.infers()) apply_inference(b, out.st, out.score, &touched, s, nullptr);
}

}  // namespace masterymap::detail
