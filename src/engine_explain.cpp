// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// learner_state::explain: re-rates one competency of an evaluated learner on the general path
// with a trace, and says in words why it has its status.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <stdexcept>
#include <utility>

#include "engine_detail.hpp"

namespace masterymap {

using detail::binding;
using detail::combine;
using detail::compiled_policy;
using detail::ev;
using detail::eval_rollup;
using detail::fmt_num;
using detail::gather;
using detail::outcome;
using detail::rate;
using detail::rollup_outcome;
using detail::rollup_result;
using detail::rrollup;
using detail::scratch;
using detail::trace;

namespace {

// The learner's evidence on the competency, in aggregation order, with why each piece counted
// or not.
std::vector<explained_evidence> explained_events(const evidence_log& log,
                                                 const std::vector<ev>& evs, const trace& tr) {
  std::vector<explained_evidence> out;
  for (std::size_t k = 0; k < evs.size(); ++k) {
    const ev& e = evs[k];
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
    x.timestamp = log.timestamp_text(e.row);
    out.push_back(std::move(x));
  }
  return out;
}

// The learner's retracted evidence on competency `i` among the first `seen` rows (the rating
// never counts it), merged into `out` in aggregation order (time, then row): "voided by
// statement '<id>'" (the retraction's `by`), or "voided" when that is unknown. O(seen rows).
void add_voided_events(const binding& b, const evidence_log& log, std::uint32_t learner, index_t i,
                       std::size_t seen, std::vector<explained_evidence>& out) {
  const std::uint32_t* lc = log.learner_codes().data();
  const std::uint32_t* cc = log.competency_codes().data();
  const std::uint32_t* ac = log.attribute_codes().data();
  const std::size_t before = out.size();
  for (std::size_t r = 0; r < seen; ++r) {
    if (lc[r] != learner || b.comp_map[cc[r]] != i || !b.dead(ac[r])) continue;
    const auto& a = log.attributes()[ac[r]];
    explained_evidence x;
    x.row = r;
    x.time = log.times()[r];
    x.score = static_cast<double>(log.scores()[r]);
    x.kind = log.kinds()[a.kind];
    x.weight = static_cast<double>(a.weight);
    x.source = log.sources()[a.source];
    x.used = false;
    x.timestamp = log.timestamp_text(r);
    const retraction* why = log.retraction_of(x.source);
    x.reason = why != nullptr && !why->by.empty() ? fmt::format("voided by statement '{}'", why->by)
                                                  : std::string("voided");
    out.push_back(std::move(x));
  }
  if (out.size() == before) return;
  std::stable_sort(out.begin(), out.end(),
                   [](const explained_evidence& x, const explained_evidence& y) {
                     return x.time < y.time || (x.time == y.time && x.row < y.row);
                   });
}

// Adds a rollup parent's rollup to `ex`: its competency items, whether the rollup or the own
// evidence (outcome `own`) decided under the policy's precedence, and, when the rollup did, its
// value and unmet condition instead of the evidence's.
// With `over_inferred` (the parent is inferred), inferred items count as done, as the inference
// over rollups reads them.
void explain_rollup(const compiled_policy& ctx, const rrollup& ru, const learner_state& st,
                    const outcome& own, bool has_evidence, bool over_inferred, explanation& ex) {
  const scale& sc = ctx.pol.scale();
  ex.rollup = ru.text;
  std::set<std::int32_t> listed;
  for (const auto& g : ru.groups)
    for (const auto& it : g.items)
      if (it.comp >= 0 && listed.insert(it.comp).second) {
        const auto cc = static_cast<index_t>(it.comp);
        ex.children.push_back(
            {ctx.fw.id_of(cc), st.status(cc), st.score(cc),
             is_earned(st.status(cc)) || (over_inferred && st.status(cc) == status::inferred)});
      }
  scratch s(0);
  rollup_result rr =
      eval_rollup(ru, st.statuses().data(), st.scores().data(), sc, s, over_inferred);
  if (over_inferred && rr.done) {
    ex.notes.push_back(fmt::format(
        "rollup {} holds with its inferred parts: inferred (a unit over inferred parts is "
        "inferred, never earned)",
        ru.text));
    return;
  }
  outcome R = rollup_outcome(ru, rr, sc);
  outcome res;
  const bool by_evidence = combine(ctx.pol.precedence(), R, own, res);
  ex.decided_by = by_evidence ? "evidence" : "rollup";
  ex.notes.push_back(fmt::format("rollup {} is {} (rollup_precedence: {})", ru.text,
                                 rr.done ? "satisfied" : "not satisfied",
                                 to_string(ctx.pol.precedence())));
  if (by_evidence) return;
  // A waiver is own evidence: the rollup deciding sets it aside too.
  for (auto& note : ex.notes)
    if (note.rfind("waived", 0) == 0 && note.find("(not applied") == std::string::npos)
      note += fmt::format(" (not applied: the rollup decides, rollup_precedence: {})",
                          to_string(ctx.pol.precedence()));
  ex.unmet.clear();
  if (!rr.done) ex.unmet.push_back(fmt::format("rollup {} not satisfied", ru.text));
  if (!std::isnan(rr.value))
    ex.value = rr.value;
  else
    ex.value.reset();
  if (has_evidence)
    ex.notes.push_back("the competency's own evidence is listed but the rollup decides");
}

// What an inferred competency rests on: the earned competencies it is inferred from, and the
// placements (`ps`: the learner's) that reach it.
void explain_inference(const compiled_policy& ctx, const learner_state& st,
                       const std::vector<detail::placement>& ps, index_t i, explanation& ex) {
  constexpr std::size_t cap = 5;
  const detail::inference_basis basis =
      detail::basis_of(ctx.inference, st.statuses().data(), i, ps.data(), ps.size(), cap);
  ex.decided_by = "inference";
  for (index_t c : basis.from) ex.inferred_from.push_back(ctx.fw.id_of(c));
  if (!basis.from.empty()) {
    std::string list;
    for (const auto& id : ex.inferred_from) list += (list.empty() ? "" : ", ") + id;
    if (basis.more) list += fmt::format(" and {} more", basis.more);
    ex.notes.push_back(fmt::format("inferred from mastery of {} (infer_prerequisites: {})", list,
                                   to_string(ctx.pol.infer_prerequisites())));
  }
  for (std::size_t j : basis.placements) {
    const auto& p = ps[j];
    const auto& c = ctx.fw.at(p.comp);
    ex.notes.push_back(fmt::format(
        "placed at level {} in {} on {} (row {}, on {}): everything below level {} in {} is "
        "inferred",
        p.level, c.domain, format_time(p.time), p.row, c.id, p.level, c.domain));
  }
  ex.unmet.clear();
}

// The explanation in words (explanation::text).
std::string explanation_text(const explanation& ex, const rule& r, const scale& sc) {
  std::string t =
      fmt::format("{} for learner {}: {}", ex.competency, ex.learner, to_string(ex.status));
  // A rating next to awaiting_confirmation reads as done; say what it is.
  if (ex.status == status::awaiting_confirmation)
    t += fmt::format(
        ", {}{}", status_text(ex.status),
        ex.rating ? fmt::format(" (the evidence is at {}; not done until confirmed)", *ex.rating)
                  : std::string(" (not done until confirmed)"));
  else if (ex.rating)
    t += fmt::format(" ({})", *ex.rating);
  t += '\n';
  t += fmt::format("  rule ({}): {}; mastery at {}", ex.rule_scope, ex.rule, fmt_num(ex.threshold));
  if (r.method.type() != method::kind::bkt) t += fmt::format(" ({})", sc.mastery_label());
  t += fmt::format("; evaluated as of {}\n", format_time(ex.as_of));
  if (!ex.rollup.empty()) {
    t += fmt::format("  decided by: {}{}\n", ex.decided_by,
                     ex.decided_by == "rollup" ? " " + ex.rollup : std::string());
    for (const auto& ch : ex.children)
      t += fmt::format("    {} {}: {}{}\n", ch.done ? "[x]" : "[ ]", ch.id,
                       ch.status == status::awaiting_confirmation
                           ? fmt::format("{}, {}", to_string(ch.status), status_text(ch.status))
                           : std::string(to_string(ch.status)),
                       ch.score ? fmt::format(" ({})", fmt_num(*ch.score)) : std::string());
  }
  t += fmt::format("  value: {}\n", ex.value ? fmt_num(*ex.value) : std::string("none"));
  std::size_t used = 0;
  for (const auto& x : ex.evidence) used += x.used;
  if (!ex.evidence.empty()) {
    t += fmt::format("  evidence ({} counted of {}, oldest first):\n", used, ex.evidence.size());
    for (const auto& x : ex.evidence) {
      t += fmt::format("    {} {}{} {} {}", x.used ? "+" : "-", format_time(x.time),
                       x.timestamp.empty() ? std::string() : fmt::format(" [{}]", x.timestamp),
                       x.kind, fmt_num(x.score));
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
  return t;
}

}  // namespace

explanation learner_state::explain(std::string_view id, const evidence_log& log) const {
  return explain(framework().index_of(id), log);
}

explanation learner_state::explain(index_t i, const evidence_log& log) const {
  const compiled_policy& ctx = *ctx_;
  if (i >= status_.size()) throw std::out_of_range("competency index past the end");
  if (log.size() < seen_)
    throw std::invalid_argument("explain: this is not the log the state was evaluated on");
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
  ex.evidence = explained_events(log, s.evs, tr);
  if (b.any_retracted && code) add_voided_events(b, log, *code, i, seen_, ex.evidence);
  if (ctx.rollup_of[i] >= 0)
    explain_rollup(ctx, ctx.rollups[static_cast<std::size_t>(ctx.rollup_of[i])], *this, own,
                   !s.evs.empty(), status_[i] == masterymap::status::inferred, ex);
  std::vector<detail::placement> ps;
  detail::log_placements(b, log, code, seen_, ps);
  // A placement on this competency never rates it; say what it does (it places the domain),
  // or that a later placement of the domain replaced it (the latest counts).
  for (const auto& p : ps) {
    if (p.comp != i) continue;
    const detail::placement* latest = &p;
    for (const auto& q : ps)
      if (ctx.inference.place_domain[q.comp] == ctx.inference.place_domain[p.comp] &&
          (q.time > latest->time || (q.time == latest->time && q.row > latest->row)))
        latest = &q;
    ex.notes.push_back(
        latest == &p
            ? fmt::format("placement on {} (row {}): places the learner at level {} in {}; it "
                          "never rates {}",
                          format_time(p.time), p.row, p.level, c.domain, c.id)
            : fmt::format("placement on {} (row {}) at level {} in {}: replaced by the placement "
                          "on {} (row {}) at level {}",
                          format_time(p.time), p.row, p.level, c.domain, format_time(latest->time),
                          latest->row, latest->level));
  }
  if (status_[i] == masterymap::status::inferred) explain_inference(ctx, *this, ps, i, ex);
  if (auto rt = rating(i)) ex.rating = *rt;
  ex.text = explanation_text(ex, r, sc);
  return ex;
}

}  // namespace masterymap
