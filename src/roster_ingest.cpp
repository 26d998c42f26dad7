// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// roster: ingest and one-event adds, the per-competency O(1) path and undoing a cancelled
// ingest (the struct: roster_impl.hpp; re-evaluation and queries: roster.cpp). The per-event
// member functions are inline: defined and called only here, so they inline into the loops.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <masterymap/roster.hpp>
#include <stdexcept>
#include <utility>

#include "accumulate.hpp"
#include "evidence_impl.hpp"
#include "inference.hpp"
#include "parallel.hpp"
#include "progress_meter.hpp"
#include "roster_impl.hpp"

namespace masterymap {

using detail::accumulator;
using detail::all_confirmed;
using detail::check_block;
using detail::decide_status;
using detail::folding_rule;
using detail::for_blocks;
using detail::nan_v;
using detail::reaches_exemption;
using detail::rule_conditions;

namespace {

bool same_time(double a, double b) { return a == b || (std::isnan(a) && std::isnan(b)); }

// --- the per-competency O(1) path ---------------------------------------------------------------
//
// For a rule whose value and conditions fold event by event (decision.hpp, fold_form_of), one
// new event that is the newest of its (learner, competency) pair changes only that cell. The
// roster keeps, per pair, the running state of the engine's own formulas (push/value_of of
// accumulate.hpp), folded in the engine's aggregation order (time, then row), and decides the
// status with the engine's decide_status, so the cell is bit-identical to a full
// re-evaluation. Everything else (a rule that does not fold, a competency under a rollup, an
// event older than the pair's newest) falls back to re-evaluating the learner.
// Folds one event (in aggregation order) as the engine's rate_core / aggregate would see it.
void fold(accumulator& a, const folding_rule& fr, double time, float score,
          const evidence_attributes& attr) {
  const std::uint8_t k = attr.kind;
  const double S = static_cast<double>(score);
  if (static_cast<int>(k) == fr.kinds.pretest) a.pre_max = std::max(a.pre_max, S);
  for (std::size_t j = 0; j < fr.kinds.require.size(); ++j)
    if (fr.kinds.require[j] == static_cast<int>(k)) a.require_last[j] = score;
  for (std::size_t j = 0; j < fr.kinds.confirm.size(); ++j)
    if (fr.kinds.confirm[j] == static_cast<int>(k)) a.confirm_last[j] = score;
  a.last_time = time;
  if (fr.skips(k)) {
    a.waived = a.waived || (fr.kinds.flags[k] & detail::flag_waiver) != 0;
    return;
  }
  detail::push(a.run, fr.mp, S, static_cast<double>(attr.weight));
}

struct cell_outcome {
  status st = status::in_progress;
  double score = nan_v;
  std::int8_t rating = -1;
};

// The outcome of a pair with at least one event up to the evaluation time (rate_core's tail).
cell_outcome outcome_of(const accumulator& a, const folding_rule& fr, const scale& sc) {
  const std::optional<double> value = detail::value_of(a.run, fr.mp);
  auto ignore = [](std::size_t, double) {};
  rule_conditions cond;
  cond.reached = value && *value >= fr.mp.mastery_at;  // sc.reaches_mastery, precomputed
  cond.exceeds = value && *value >= fr.mp.exceeds_at;  // sc.reaches_exceeds
  cond.enough = a.run.n >= fr.r.min_evidence;
  cond.confirmed = all_confirmed(
      sc, fr.kinds.require.size(),
      [&](std::size_t j) { return static_cast<double>(a.require_last[j]); }, ignore,
      cond.gate_refused);
  cond.exempt_level = reaches_exemption(fr.r, a.pre_max, sc);
  cond.exempt_confirmed = cond.exempt_level &&
                          all_confirmed(
                              sc, fr.kinds.confirm.size(),
                              [&](std::size_t j) { return static_cast<double>(a.confirm_last[j]); },
                              ignore, cond.exempt_refused);
  cond.waived = a.waived;
  cell_outcome o;
  if (value) {
    o.score = *value;
    if (auto ri = sc.rating_index(*value)) o.rating = static_cast<std::int8_t>(*ri);
  }
  o.st = decide_status(cond);
  return o;
}

}  // namespace

// Binds the fast rules to the log's kind codes (again when the log gained kinds).
void roster::impl::bind_kinds() {
  if (bound_kinds == log.kinds().size()) return;
  bound_kinds = log.kinds().size();
  for (folding_rule& f : folding_rules) f.kinds = detail::bind_rule(f.r, log);
}

// The accumulator of (l, c) over the learner's rows before `row` up to as_of; built from the
// learner's rows when missing or stale.
accumulator& roster::impl::accumulator_of(std::uint32_t l, index_t c, std::uint32_t row) {
  learner_accumulators& la = accumulators[l];
  for (std::size_t i = 0; i < la.comp.size(); ++i)
    if (la.comp[i] == c) return la.acc[i];
  la.comp.push_back(c);
  la.acc.emplace_back();
  accumulator& a = la.acc.back();
  const auto& cc = log.competency_codes();
  const auto& tt = log.times();
  auto& evs = scratch_events;
  evs.clear();
  for (std::uint32_t r : rows[l]) {
    if (r >= row) break;
    if (comp_index[cc[r]] == c && tt[r] <= as_of && !dead(r)) evs.push_back({tt[r], r});
  }
  std::sort(evs.begin(), evs.end(), [](const timed_row& x, const timed_row& y) {
    return x.t < y.t || (x.t == y.t && x.r < y.r);
  });
  const folding_rule& fr = folding_rules[static_cast<std::size_t>(folding_rule_of[c])];
  for (const timed_row& e : evs)
    fold(a, fr, e.t, log.scores()[e.r], log.attributes()[log.attribute_codes()[e.r]]);
  return a;
}

// Starts loading what `apply_fast` will touch for row `r` (the four table cells of its learner
// and competency, the learner's accumulators and rows), so that the cache misses of one event
// overlap instead of following one another.
void roster::impl::prefetch_row(std::size_t r) const noexcept {
#if defined(__GNUC__) || defined(__clang__)
  const std::uint32_t l = log.learner_codes()[r];
  const std::uint32_t c = comp_index[log.competency_codes()[r]];
  if (c == UINT32_MAX || l >= accumulators.size()) return;
  __builtin_prefetch(&cells[l]);
  __builtin_prefetch(&inferred[l * words + c / 64]);
  __builtin_prefetch(&placed[l]);
  __builtin_prefetch(&accumulators[l]);
  __builtin_prefetch(&rows[l]);
#else
  (void)r;
#endif
}

// Starts loading learner l's headers (its cells, accumulators and rows) and its inferred word
// of competency c, ahead of the log append: the first of the dependent misses of one event.
void roster::impl::prefetch_learner(std::size_t l, index_t c) const noexcept {
#if defined(__GNUC__) || defined(__clang__)
  if (l >= accumulators.size() || l >= cells.size()) return;
  __builtin_prefetch(&cells[l]);
  __builtin_prefetch(&accumulators[l]);
  __builtin_prefetch(&rows[l]);
  __builtin_prefetch(&inferred[l * words + c / 64]);
#else
  (void)l;
  (void)c;
#endif
}

// After prefetch_learner (the headers in cache, or nearly): starts loading what they point to,
// the end of the learner's row list (index_rows appends there), its accumulators' competencies
// and its cells.
void roster::impl::prefetch_targets(std::size_t l) const noexcept {
#if defined(__GNUC__) || defined(__clang__)
  if (l >= accumulators.size() || l >= cells.size()) return;
  const auto& rl = rows[l];
  if (!rl.empty()) __builtin_prefetch(rl.data() + rl.size() - 1);
  const auto& la = accumulators[l];
  if (!la.comp.empty()) __builtin_prefetch(la.comp.data());
  prefetch_cells(l);
#else
  (void)l;
#endif
}

// Applies row `r` (of learner l) on the O(1) path; false when it needs the full path.
bool roster::impl::apply_fast(std::uint32_t l, std::uint32_t r) {
  const index_t c = comp_index[log.competency_codes()[r]];
  if (c == UINT32_MAX) return true;  // not a competency of the framework: never rated
  const std::int32_t f = folding_rule_of[c];
  if (f < 0 || placed[l]) return false;  // placements: the learner is re-evaluated
  if (dead(r)) return false;             // retracted on arrival: the full path leaves it out
  const double t = log.times()[r];
  if (t > as_of) return true;  // after the (fixed) evaluation time: not seen by the engine
  prefetch_cells(l);           // in flight while the accumulator is found
  accumulator& a = accumulator_of(l, c, r);
  if (t < a.last_time) return false;  // out of order for this pair
  const folding_rule& fr = folding_rules[static_cast<std::size_t>(f)];
  const scale& sc = engine.policy().scale();
  fold(a, fr, t, log.scores()[r], log.attributes()[log.attribute_codes()[r]]);
  const cell_outcome o = outcome_of(a, fr, sc);
  const status old = get(l, c).st;
  // Evidence that counts for nothing leaves an inferred competency inferred.
  const status now = o.st == status::not_started && old == status::inferred ? old : o.st;
  auto cls = [](status s) { return is_earned(s) ? 1 : detail::is_contrary(s) ? 2 : 0; };
  // A rollup parent over inferred parts: the full path (the accumulator is dropped with it).
  if (rollup_inference && cls(old) != cls(now)) return false;
  set_cell(l, c, now, o.score, o.rating, progression.attainment(now, o.score));
  // The inference walk, only when the cell moved between the classes inference reads (earned,
  // contrary, neither): one byte comparison otherwise.
  if (inference.links() && cls(old) != cls(now)) reinfer(l);
  return true;
}

void roster::impl::reinfer(std::uint32_t l) {
  learner_row& row = infer_row;
  row_of(l, row);
  const std::size_t base = static_cast<std::size_t>(l) * competencies;
  if (journal)  // inside an ingest: the whole row, as the walk may change any of its cells
    for (std::size_t c = 0; c < competencies; ++c)
      journal->push_back(
          {base + c, row.scores[c], row.statuses[c], row.ratings[c], row.attainments[c]});
  status* st = row.statuses.data();
  detail::clear_inferred(st, competencies);
  detail::infer(inference, st, nullptr, 0, nullptr, 0, infer_work, nullptr);
  store_row(l, st, row.scores.data(), row.ratings.data());
}

namespace {

// The distinct learners of log rows [from, to) in ascending order, with their row counts:
// O(rows log rows) by sorting, so one event costs O(1) however large the roster, or, for a
// batch that is large next to the roster, O(rows + learners) by counting (checking `m`).
void batch_learners(const std::uint32_t* lc, std::size_t from, std::size_t to, std::size_t learners,
                    std::vector<std::uint32_t>& who, std::vector<std::uint32_t>& fresh,
                    detail::meter& m) {
  const std::size_t n = to - from;
  if (n >= 4096 && n >= learners / 8) {
    std::vector<std::uint32_t> count(learners, 0);
    for_blocks(from, to, check_block, &m, [&](std::size_t first, std::size_t last) {
      for (std::size_t r = first; r < last; ++r) ++count[lc[r]];
    });
    for (std::uint32_t l = 0; l < learners; ++l)
      if (count[l] != 0) {
        who.push_back(l);
        fresh.push_back(count[l]);
      }
    return;
  }
  who.assign(lc + from, lc + to);
  std::sort(who.begin(), who.end());
  std::size_t w = 0;
  for (std::size_t i = 0; i < who.size();) {
    std::size_t j = i;
    while (j < who.size() && who[j] == who[i]) ++j;
    who[w++] = who[i];
    fresh.push_back(static_cast<std::uint32_t>(j - i));
    i = j;
  }
  who.resize(w);
}

}  // namespace

ingest_summary roster::impl::ingest(const evidence_columns& batch, const progress& progress) {
  return ingest(
      batch.size,
      [&](const masterymap::progress& p) {
        if (statements != nullptr)
          detail::append_statement_rows(log, batch, checks, p, *statements);
        else
          log.append(batch, checks, p);
      },
      progress);
}

ingest_summary roster::impl::ingest(std::size_t batch_rows, const append_step& append,
                                    const progress& progress) {
  detail::meter m(progress, 3 * static_cast<std::uint64_t>(batch_rows));
  undo_cells.clear();
  if (undo_cells.capacity() > (std::size_t{1} << 20))
    std::vector<detail::cell_before>().swap(undo_cells);
  detail::ingest_undo u{detail::evidence_access::of(log).get_mark(), rows.size(), comp_index.size(),
                        as_of, undo_cells};
  struct journal_scope {
    std::vector<detail::cell_before>*& j;
    ~journal_scope() { j = nullptr; }
  } scope{journal = &undo_cells};
  try {
    return m.run([&] { return ingest_steps(batch_rows, append, m, u); });
  } catch (...) {
    if (!u.committed) undo_ingest(u);
    throw;
  }
}

void roster::impl::undo_ingest(const detail::ingest_undo& u) {
  // Cells the O(1) path wrote, newest first.
  for (auto it = u.cells.rbegin(); it != u.cells.rend(); ++it) restore(*it);
  // The row lists of learners with new rows (appended at their ends), and their accumulators:
  // caches, rebuilt from the log on demand.
  const auto& lc = log.learner_codes();
  for (std::size_t r = u.log.rows; r < log.size(); ++r) {
    const std::uint32_t l = lc[r];
    if (l >= u.learners || l >= rows.size()) continue;
    auto& v = rows[l];
    while (!v.empty() && v.back() >= u.log.rows) v.pop_back();
    accumulators[l] = {};
  }
  // The new learners' table rows and lists (capacity is kept).
  if (cells.size() > u.learners) cells.resize(u.learners);
  if (inferred.size() > u.learners * words) inferred.resize(u.learners * words);
  if (rows.size() > u.learners) rows.resize(u.learners);
  if (accumulators.size() > u.learners) accumulators.resize(u.learners);
  // The log and what is derived from its codes.
  if (comp_index.size() > u.comp_index) comp_index.resize(u.comp_index);
  for (auto& c : log_comp)
    if (c != UINT32_MAX && c >= u.log.competencies) c = UINT32_MAX;
  detail::evidence_access::of(log).truncate(u.log);
  bound_kinds = static_cast<std::size_t>(-1);  // rebind the fast rules on the next event
  as_of = u.as_of;
}

ingest_summary roster::impl::ingest_steps(std::size_t batch_rows, const append_step& append,
                                          detail::meter& m, detail::ingest_undo& u) {
  ingest_summary s;
  const std::uint64_t n = batch_rows;  // progress: [0, n) validate, [n, 2n) apply, [2n, 3n) rate
  if (batch_rows == 0) {               // an empty batch changes nothing
    m.finish();
    return s;
  }
  const std::size_t old_rows = log.size(), old_learners = log.learners().size();
  append(m.nested(0, n));        // strong guarantee: throws before changing anything
  if (log.size() == old_rows) {  // every row a duplicate (the statements path)
    m.finish();
    return s;
  }
  const std::size_t learners = log.learners().size();
  grow_tables(learners, &m);
  std::vector<std::uint32_t> counts;  // new rows per learner, from a bulk load's index
  index_rows(old_rows, &m, &counts);
  s.rows = log.size() - old_rows;
  s.new_learners = learners - old_learners;
  const double prev = as_of;
  as_of = options.as_of ? *options.as_of : log.max_time();
  std::vector<std::uint32_t> touched;
  if (time_dependent && !same_time(prev, as_of)) {
    s.full = true;
    for (std::uint32_t l = 0; l < learners; ++l) touched.push_back(l);
    s.learners_touched = touched.size();
    const ratings_table t = rate(touched, &m, 2 * n, 3 * n);
    write_new_rows(touched, t, u.learners, &m);
    m.finish();
    u.committed = true;
    write_rows(touched, t, u.learners);
    return s;
  }
  // Rows in order: each on the O(1) path while its learner stays on it; a learner that needs
  // the full path is re-evaluated once, from all its rows, at the end.
  bind_kinds();
  // A learner with many new rows is re-evaluated in full (in parallel with the others): for
  // bulk loads that is cheaper than building an accumulator per pair. Both give the same cells.
  constexpr std::uint32_t bulk_rows = 16;
  const auto& lc = log.learner_codes();
  const auto& cc = log.competency_codes();
  std::vector<std::uint32_t> who, fresh;  // the batch's distinct learners, their new rows
  if (counts.empty()) {
    batch_learners(lc.data(), old_rows, log.size(), learners, who, fresh, m);
  } else {
    for (std::uint32_t l = 0; l < counts.size(); ++l)
      if (counts[l] != 0) {
        who.push_back(l);
        fresh.push_back(counts[l]);
      }
  }
  s.learners_touched = who.size();
  std::vector<std::uint8_t> slow_mark(who.size(), 0);
  std::vector<std::uint32_t> slow;
  for (std::size_t i = 0; i < who.size(); ++i)
    if (fresh[i] >= bulk_rows) {
      slow_mark[i] = 1;
      slow.push_back(who[i]);
    }
  constexpr std::size_t ahead = 6;
  // (Every learner of the batch re-evaluated, as in a bulk load: no row takes the O(1) path.)
  const std::size_t end = slow.size() == who.size() ? old_rows : log.size();
  for (std::size_t r = old_rows; r < std::min(end, old_rows + ahead); ++r) prefetch_row(r);
  for (std::size_t r = old_rows; r < end; ++r) {
    if (((r - old_rows) & (check_block - 1)) == check_block - 1) m.advance(check_block);
    if (r + ahead < end) prefetch_row(r + ahead);
    const std::uint32_t l = lc[r];
    const std::size_t i =
        who.size() == 1
            ? 0
            : static_cast<std::size_t>(std::lower_bound(who.begin(), who.end(), l) - who.begin());
    if (slow_mark[i]) continue;
    // The cell the O(1) path may write, as it is (undone if the ingest is cancelled).
    if (const std::uint32_t c = comp_index[cc[r]]; c != UINT32_MAX) u.cells.push_back(before(l, c));
    if (apply_fast(l, static_cast<std::uint32_t>(r))) {
      ++s.fast_rows;
    } else {
      slow_mark[i] = 1;
      slow.push_back(l);
    }
  }
  std::sort(slow.begin(), slow.end());
  s.learners_reevaluated = slow.size();
  ratings_table t;
  if (!slow.empty()) {
    t = rate(slow, &m, 2 * n, 3 * n);
    write_new_rows(slow, t, u.learners, &m);
  }
  m.finish();
  u.committed = true;
  if (!slow.empty()) write_rows(slow, t, u.learners);
  return s;
}

// One event by roster learner index and framework index: no name lookups.
ingest_summary roster::impl::add(std::size_t learner, index_t competency, double time, double score,
                                 std::string_view kind, double weight) {
  if (learner >= rows.size())
    throw std::out_of_range(
        fmt::format("learner index {} out of range ({})", learner, rows.size()));
  if (competency >= competencies)
    throw std::out_of_range(
        fmt::format("competency index {} out of range ({})", competency, competencies));
  // The learner's headers (cells, accumulators, rows) and inferred word start loading now, so
  // that they are in cache when apply_one reads them to prefetch what they point to.
  prefetch_learner(learner, competency);
  if (log_comp.size() != competencies) log_comp.assign(competencies, UINT32_MAX);
  std::uint32_t cc = log_comp[competency];
  if (cc == UINT32_MAX) {
    if (auto x = log.competency_code(engine.framework().id_of(competency)))
      cc = log_comp[competency] = *x;
  }
  const auto kc = log.kind_code(kind);
  if (cc == UINT32_MAX || !kc)  // first evidence on this competency, or a new kind: by name
    return add_named(log.learners()[learner], engine.framework().id_of(competency), time, score,
                     kind, weight, {});
  ingest_summary s;
  const std::size_t r = log.size();
  log.append_coded(static_cast<std::uint32_t>(learner), cc, time, score, *kc, weight, 0, checks);
  return apply_one(s, r, log.learners().size());
}

// One event by name: a known learner and competency with a known kind take the by-index path
// (two name lookups instead of five); anything else goes through the log's one-row append.
ingest_summary roster::impl::add(std::string_view learner, std::string_view competency, double time,
                                 double score, std::string_view kind, double weight,
                                 std::string_view source) {
  if (source.empty() && log.kind_code(kind))
    if (const auto c = engine.framework().find(competency))
      if (const auto l = log.learner_code(learner))
        return add(std::size_t{*l}, *c, time, score, kind, weight);
  return add_named(learner, competency, time, score, kind, weight, source);
}

// One event: `ingest` of a one-row batch without the batch machinery.
ingest_summary roster::impl::add_named(std::string_view learner, std::string_view competency,
                                       double time, double score, std::string_view kind,
                                       double weight, std::string_view source) {
  ingest_summary s;
  const std::size_t r = log.size(), old_learners = log.learners().size();
  log.append_row(learner, competency, time, score, kind, weight, source, checks);
  return apply_one(s, r, old_learners);
}

// The tail of `add`: row `r` was appended; `old_learners` learners existed before.
ingest_summary& roster::impl::apply_one(ingest_summary& s, std::size_t r,
                                        std::size_t old_learners) {
  const std::size_t learners = log.learners().size();
  if (learners != old_learners) grow_tables(learners);
  if (comp_index.size() == log.competencies().size()) {
    prefetch_row(r);
    prefetch_targets(log.learner_codes()[r]);
  }
  index_rows(r);
  s.rows = 1;
  s.new_learners = learners - old_learners;
  s.learners_touched = 1;
  const double prev = as_of;
  as_of = options.as_of ? *options.as_of : log.max_time();
  if (time_dependent && !same_time(prev, as_of)) {
    s.full = true;
    std::vector<std::uint32_t> all(learners);
    for (std::uint32_t l = 0; l < learners; ++l) all[l] = l;
    s.learners_touched = learners;
    reevaluate(all);
    return s;
  }
  bind_kinds();
  const std::uint32_t l = log.learner_codes()[r];
  if (apply_fast(l, static_cast<std::uint32_t>(r))) {
    s.fast_rows = 1;
  } else {
    s.learners_reevaluated = 1;
    reevaluate({l});
  }
  return s;
}

// --- roster --------------------------------------------------------------------------------------

ingest_summary roster::add(std::string_view learner, std::string_view competency, double time,
                           double score, std::string_view kind, double weight,
                           std::string_view source) {
  return impl_->add(learner, competency, time, score, kind, weight, source);
}

ingest_summary roster::add(std::size_t learner, index_t competency, double time, double score,
                           std::string_view kind, double weight) {
  return impl_->add(learner, competency, time, score, kind, weight);
}

ingest_summary roster::place(std::string_view learner, int level, double time,
                             const std::vector<std::string>& domains, std::string_view source) {
  constexpr int max_level = 16777216;  // exact as a stored float score
  if (level > max_level || level < -max_level)
    throw std::invalid_argument(
        fmt::format("roster.place: level {} is beyond +-{}", level, max_level));
  const auto& fw = framework();
  std::vector<evidence> rows;
  std::vector<std::string_view> seen;
  for (const auto& d : domains.empty() ? fw.domains() : domains) {
    if (domains.empty() && !detail::has_placement_host(fw, d)) continue;  // nothing to place in
    // A repeated domain is placed once (its first mention): one row per domain.
    if (std::find(seen.begin(), seen.end(), d) != seen.end()) continue;
    seen.emplace_back(d);
    rows.emplace_back(std::string(learner), fw.id_of(detail::placement_host(fw, d, "roster.place")),
                      time, static_cast<double>(level), "placement", 1.0, std::string(source));
  }
  if (rows.empty())
    throw std::invalid_argument(
        "roster.place: the framework has no domain with leveled academic competencies");
  return ingest(rows);
}

}  // namespace masterymap
