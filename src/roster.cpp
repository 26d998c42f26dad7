// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// roster: construction, the ingest entry points and the queries (the row index, re-evaluation and
// the cells: roster_tables.cpp; ingest, one-event adds and the O(1) path: roster_ingest.cpp; the
// binary snapshot: roster_snapshot.cpp).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <masterymap/frontier_block.hpp>
#include <masterymap/roster.hpp>
#include <stdexcept>
#include <utility>

#include "accumulate.hpp"
#include "evidence_impl.hpp"
#include "evidence_stage.hpp"
#include "frontier_lanes.hpp"
#include "parallel.hpp"
#include "progress_meter.hpp"
#include "roster_impl.hpp"

namespace masterymap {

using detail::column_buffer;
using detail::fold_form;
using detail::fold_form_of;
using detail::for_blocks;
using detail::nan_v;
using detail::views;

namespace {

bool time_dependent(const rule& r) {
  return r.window_days.has_value() || r.expires_after_days.has_value();
}

bool time_dependent(const policy& p) {
  if (time_dependent(p.default_rule())) return true;
  for (const auto& [k, r] : p.domain_rules())
    if (time_dependent(r)) return true;
  for (const auto& [k, r] : p.competency_rules())
    if (time_dependent(r)) return true;
  return false;
}

// Whether the O(1) path (roster_ingest.cpp) can take a competency under rule r.
bool folds(const rule& r) { return fold_form_of(r) != fold_form::none; }

// Competencies whose status a rollup reads or decides: every rollup parent and everything
// below it (rollup items are descendants of their parent).
std::vector<std::uint8_t> under_rollups(const framework& fw, const policy& p) {
  std::vector<std::uint8_t> mark(fw.size(), 0);
  std::vector<index_t> stack;
  for (index_t i = 0; i < fw.size(); ++i) {
    const bool parent =
        p.rollups().count(fw.id_of(i)) > 0 || (p.default_rollup() && !fw.children(i).empty());
    if (parent) stack.push_back(i);
  }
  while (!stack.empty()) {
    const index_t x = stack.back();
    stack.pop_back();
    if (mark[x]) continue;
    mark[x] = 1;
    for (index_t c : fw.children(x)) stack.push_back(c);
  }
  return mark;
}

}  // namespace

// --- roster::impl (the struct: roster_impl.hpp) --------------------------------------------------

roster::impl::impl(masterymap::framework fw, masterymap::policy p, roster_options o)
    : engine(std::move(fw), std::move(p)),
      progression(engine),
      options(std::move(o)),
      checks(engine.checks()),
      time_dependent(masterymap::time_dependent(engine.policy())),
      competencies(engine.framework().size()),
      words((engine.framework().size() + 63) / 64),
      inference(engine.ctx_->inference) {
  inferred_code = progression.attainment(status::inferred, nan_v);
  // A roster takes any kind its events name (a school's own kinds need no set-up).
  checks.accept_new_kinds = true;
  checks.threads = options.threads;  // its appends use no more threads than its other work
  for (const auto& k : engine.policy().kinds()) log.add_kind(k);
  // ... but not a misspelt built-in or policy kind ("placemnt" would count as a score).
  checks.near_miss_kinds = log.kinds();
  const masterymap::framework& f = engine.framework();
  const auto rolled = under_rollups(f, engine.policy());
  rollup_inference =
      inference.links() && std::find(rolled.begin(), rolled.end(), 1) != rolled.end();
  folding_rule_of.assign(competencies, -1);
  std::vector<rule> distinct;
  for (index_t c = 0; c < competencies; ++c) {
    const rule& r = engine.policy().rule_for(f.id_of(c), f.at(c).domain);
    if (rolled[c] || !folds(r)) continue;
    auto it = std::find(distinct.begin(), distinct.end(), r);
    if (it == distinct.end()) {
      distinct.push_back(r);
      folding_rules.emplace_back(r, engine.policy().scale(), detail::rule_binding{});
      it = distinct.end() - 1;
    }
    folding_rule_of[c] = static_cast<std::int32_t>(it - distinct.begin());
  }
}

void roster::impl::row_of(std::size_t l, learner_row& out) const {
  if (l >= rows.size())
    throw std::out_of_range(fmt::format("learner index {} out of range ({})", l, rows.size()));
  out.statuses.resize(competencies);
  out.scores.resize(competencies);
  out.ratings.resize(competencies);
  out.attainments.resize(competencies);
  materialise(l, out.statuses.data(), out.scores.data(), out.ratings.data(),
              out.attainments.data());
  out.as_of = as_of;
}

std::vector<double> roster::impl::last_evidence(std::size_t l) const {
  if (l >= rows.size())
    throw std::out_of_range(fmt::format("learner index {} out of range ({})", l, rows.size()));
  std::vector<double> out(competencies, nan_v);
  const auto& cc = log.competency_codes();
  const auto& tt = log.times();
  for (std::uint32_t r : rows[l]) {
    const std::uint32_t c = comp_index[cc[r]];
    const double t = tt[r];
    if (c != UINT32_MAX && t <= as_of && !(t <= out[c]) && !dead(r)) out[c] = t;
  }
  return out;
}

// --- roster --------------------------------------------------------------------------------------

roster::roster(masterymap::framework fw, masterymap::policy p, roster_options options)
    : impl_(std::make_unique<impl>(std::move(fw), std::move(p), std::move(options))) {
  // A bkt rule without a source fails here, not at the first ingest.
  detail::require_probability_source(bkt_rules(impl_->engine.policy()),
                                     impl_->options.probabilities.get());
  // A millisecond epoch would silently expire everything under an expiry rule.
  if (impl_->options.as_of)
    if (const std::string why = time_problem(*impl_->options.as_of); !why.empty())
      throw std::invalid_argument("roster: as_of: " + why);
}
roster::roster(std::unique_ptr<impl> p) noexcept : impl_(std::move(p)) {}
roster::roster(roster&&) noexcept = default;
roster& roster::operator=(roster&&) noexcept = default;
roster::~roster() = default;

ingest_summary roster::ingest(const evidence_columns& batch, const progress& progress) {
  return impl_->ingest(batch, progress);
}

ingest_summary roster::ingest(const evidence_log& batch, const progress& progress) {
  impl& r = *impl_;
  const std::size_t n = batch.size();
  ingest_summary s = r.ingest(
      n,
      [&](const masterymap::progress& p) {
        // Progress: rows checked and written (twice each if the compact path declines).
        detail::meter m(p, 4 * static_cast<std::uint64_t>(n));
        m.run([&] {
          if (!detail::append_log_rows(r.log, batch, r.checks, m)) {
            // The columnar path, on a copy of the batch's columns (its own log too): it lists
            // every problem of a bad batch.
            const column_buffer buf = columns_of(batch, nullptr, nullptr, nullptr, &m,
                                                 r.options.threads, &batch != &r.log);
            r.log.append(buf.columns(), r.checks, m.nested(2 * n, 4 * n));
          }
          m.finish();
        });
      },
      progress);
  // The batch's retractions come with it (after its rows: nothing left to fail but memory).
  if (!batch.retractions().empty()) {
    statements_summary st;
    impl_->retract(batch.retractions(), st);
  }
  return s;
}

void roster::impl::retract(const std::vector<retraction>& batch, statements_summary& s) {
  auto& d = detail::evidence_access::of(log);
  const std::vector<std::uint32_t> codes = detail::retract_sources(d, batch, &s.retracted);
  if (codes.empty()) return;
  // The learners with rows now voided: re-evaluated from their evidence (the O(1) path's
  // accumulators of those learners are dropped with it).
  std::vector<std::uint8_t> fresh(log.attributes().size(), 0);
  for (const std::uint32_t a : codes) fresh[a] = 1;
  std::vector<std::uint8_t> hit(rows.size(), 0);
  const auto& lc = log.learner_codes();
  const auto& ac = log.attribute_codes();
  for (std::size_t r = 0; r < log.size(); ++r)
    if (fresh[ac[r]]) {
      hit[lc[r]] = 1;
      ++s.rows_voided;
    }
  std::vector<std::uint32_t> who;
  for (std::uint32_t l = 0; l < hit.size(); ++l)
    if (hit[l]) who.push_back(l);
  reevaluate(who);
}

statements_summary roster::retract(const std::vector<retraction>& batch) {
  detail::check_retractions(batch);
  statements_summary s;
  impl_->retract(batch, s);
  return s;
}

statements_summary roster::ingest_statements(const evidence_columns& batch,
                                             const std::vector<retraction>& voids,
                                             const progress& progress) {
  detail::check_retractions(voids);
  detail::check_not_voiding(impl_->log, voids);
  detail::check_void_ids(impl_->log, batch, voids);
  statements_summary s;
  impl_->statements = &s;
  struct reset {
    statements_summary*& p;
    ~reset() { p = nullptr; }
  } r{impl_->statements};
  impl_->ingest(batch, progress);
  impl_->statements = nullptr;
  if (!voids.empty()) impl_->retract(voids, s);
  return s;
}

ingest_summary roster::ingest(const std::vector<evidence>& rows, const progress& progress) {
  // Straight to the columnar path, so every problem of every row (the log's own checks and the
  // framework's and scale's) is reported at once, as for a columnar batch.
  const detail::record_batch batch(rows);
  return impl_->ingest(batch.columns, progress);
}

const engine& roster::engine() const noexcept { return impl_->engine; }
const progression& roster::progression() const noexcept { return impl_->progression; }
const framework& roster::framework() const noexcept { return impl_->engine.framework(); }
const policy& roster::policy() const noexcept { return impl_->engine.policy(); }
const roster_options& roster::options() const noexcept { return impl_->options; }
const evidence_log& roster::log() const noexcept { return impl_->log; }
double roster::as_of() const noexcept { return impl_->as_of; }
std::size_t roster::size() const noexcept { return impl_->rows.size(); }
std::size_t roster::competencies() const noexcept { return impl_->competencies; }
const std::vector<std::string>& roster::learners() const noexcept { return impl_->log.learners(); }
std::optional<std::size_t> roster::find(std::string_view learner) const noexcept {
  auto c = impl_->log.learner_code(learner);
  if (!c) return std::nullopt;
  return static_cast<std::size_t>(*c);
}
std::size_t roster::index_of(std::string_view learner) const {
  auto l = find(learner);
  if (!l) throw unknown_id_error(std::string(learner), "learner");
  return *l;
}

learner_row roster::row(std::size_t l) const {
  learner_row out;
  impl_->row_of(l, out);
  return out;
}
void roster::row(std::size_t l, learner_row& out) const { impl_->row_of(l, out); }
roster_cells roster::cells(std::size_t l) const {
  if (l >= impl_->rows.size())
    throw std::out_of_range(
        fmt::format("learner index {} out of range ({})", l, impl_->rows.size()));
  const auto& v = impl_->cells[l];
  return {v.data(), v.size()};
}
roster_bits roster::inferred(std::size_t l) const {
  if (l >= impl_->rows.size())
    throw std::out_of_range(
        fmt::format("learner index {} out of range ({})", l, impl_->rows.size()));
  return {impl_->inferred.data() + l * impl_->words, impl_->words};
}
std::size_t roster::cell_count() const noexcept {
  std::size_t n = 0;
  for (const auto& v : impl_->cells) n += v.size();
  return n;
}
const std::vector<std::uint32_t>& roster::log_rows(std::size_t l) const {
  if (l >= impl_->rows.size())
    throw std::out_of_range(
        fmt::format("learner index {} out of range ({})", l, impl_->rows.size()));
  return impl_->rows[l];
}

std::vector<double> roster::last_evidence_times(std::size_t l) const {
  return impl_->last_evidence(l);
}

learner_state roster::learner(std::string_view id) const { return learner(id, impl_->as_of); }

learner_state roster::learner(std::string_view id, double as_of) const {
  const std::size_t l = index_of(id);
  if (const std::string why = time_problem(as_of); !why.empty())
    throw std::invalid_argument("roster::learner: as_of: " + why);
  evaluate_options o;
  o.as_of = as_of;
  o.probabilities = impl_->options.probabilities;
  o.threads = 1;
  // The learner's rows from the roster's index (ascending: appended in log order), not a scan
  // of the whole log: O(k log k) for k rows whatever the roster's size.
  const auto& rows = impl_->rows[l];
  return impl_->engine.evaluate_rows(impl_->log, id, rows.data(), rows.size(), o);
}

namespace {
// A dense learner x competency table of one field of the cells, built in parallel.
// `inferred_value`: the field of a competency only inferred (an inferred bit).
template <typename T, typename Field>
std::vector<T> dense_table(const roster::impl& d, T fill, T inferred_value, Field field) {
  const std::size_t C = d.competencies;
  std::vector<T> out(d.cells.size() * C, fill);
  detail::parallel_for(d.cells.size(), d.options.threads, 4096, [&](std::size_t b, std::size_t e) {
    for (std::size_t l = b; l < e; ++l) {
      if (!(inferred_value == fill))
        d.each_inferred(l, [&](index_t c) { out[l * C + c] = inferred_value; });
      for (const roster_cell& x : d.cells[l]) out[l * C + x.competency] = field(x);
    }
  });
  return out;
}
}  // namespace

std::vector<status> roster::statuses() const {
  return dense_table(*impl_, status::not_started, status::inferred,
                     [](const roster_cell& x) { return x.status; });
}
std::vector<double> roster::scores() const {
  return dense_table(*impl_, nan_v, nan_v, [](const roster_cell& x) { return x.score; });
}
std::vector<std::int8_t> roster::ratings() const {
  return dense_table(*impl_, std::int8_t{-1}, std::int8_t{-1},
                     [](const roster_cell& x) { return x.rating; });
}
std::vector<std::uint8_t> roster::attainments() const {
  return dense_table(*impl_, std::uint8_t{0}, impl_->inferred_code,
                     [](const roster_cell& x) { return x.attainment; });
}

void roster::statuses(std::size_t l, status* out) const {
  (void)log_rows(l);  // the range check
  impl_->materialise(l, out, nullptr, nullptr, nullptr);
}
void roster::attainments(std::size_t l, std::uint8_t* out) const {
  (void)log_rows(l);
  impl_->materialise(l, nullptr, nullptr, nullptr, out);
}

std::vector<std::uint8_t> roster::frontier_matrix(const progress& progress) const {
  std::vector<std::uint8_t> out(size() * competencies());
  frontier_matrix(out.data(), progress);
  return out;
}

namespace {
// Runs f(l, scratch) for every learner in parallel, with a Scratch per worker chunk (a learner's
// row is materialised into it); progress: learners done.
template <typename Scratch, typename F>
void each_learner(std::size_t learners, unsigned threads, std::size_t min_chunk,
                  const progress& progress, F&& f) {
  detail::meter m(progress, learners);
  m.run([&] {
    detail::parallel_for(
        learners, threads, min_chunk,
        [&](std::size_t b, std::size_t e) {
          Scratch scratch{};
          for_blocks(b, e, 256, &m, [&](std::size_t first, std::size_t last) {
            for (std::size_t l = first; l < last; ++l) f(l, scratch);
            m.advance(last - first);
          });
        },
        &m);
    m.finish();
  });
}
}  // namespace

void roster::frontier_matrix(std::uint8_t* out, const progress& progress) const {
  const impl& d = *impl_;
  const std::size_t C = d.competencies, L = size();
  constexpr std::size_t W = frontier_lanes;
  // Learners in groups of frontier_lanes: their attainment codes competency-major (zeroed, then
  // the inferred bits and the touched cells scattered; lanes past the end done, so never on a
  // frontier), flagged together by frontier_flags_block, each lane copied into its row.
  detail::meter m(progress, L);
  m.run([&] {
    detail::parallel_for(
        L, d.options.threads, 1024,
        [&](std::size_t b, std::size_t e) {
          std::vector<std::uint8_t> a(C * W), f(C * W);
          for_blocks(b, e, 256, &m, [&](std::size_t first, std::size_t last) {
            for (std::size_t l0 = first; l0 < last; l0 += W) {
              const std::size_t w = std::min(W, last - l0);
              detail::lane_codes(*this, l0, w, d.inferred_code, a.data());
              frontier_flags_block(d.progression, a.data(), f.data());
              for (std::size_t j = 0; j < w; ++j) {
                std::uint8_t* row = out + (l0 + j) * C;
                for (std::size_t c = 0; c < C; ++c) row[c] = f[c * W + j];
              }
            }
            m.advance(last - first);
          });
        },
        &m);
    m.finish();
  });
}

std::vector<domain_level> roster::levels(std::string_view domain, const progress& progress) const {
  if (framework().competencies_in(domain).empty())
    throw unknown_id_error(std::string(domain), "domain");
  std::vector<domain_level> out(size());
  each_learner<learner_row>(size(), impl_->options.threads, 1024, progress,
                            [&](std::size_t l, learner_row& row) {
                              impl_->row_of(l, row);
                              out[l] = impl_->progression.level(row, domain);
                            });
  return out;
}

std::vector<pace_report> roster::pacing(const pace_plan& plan, std::optional<double> today,
                                        const progress& progress) const {
  (void)plan_scope(framework(), plan);  // unknown goals throw here, on the calling thread
  std::vector<pace_report> out(size());
  const double when = today.value_or(impl_->as_of);
  each_learner<learner_row>(size(), impl_->options.threads, 256, progress,
                            [&](std::size_t l, learner_row& row) {
                              const std::vector<double> last = impl_->last_evidence(l);
                              impl_->row_of(l, row);
                              learner_view v = row;
                              v.last_evidence = last.data();
                              out[l] = masterymap::pacing(impl_->progression, v, plan, when);
                            });
  return out;
}

}  // namespace masterymap
