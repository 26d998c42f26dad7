// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// The engine: statuses, learner_state's accessors, engine's evaluate / evaluate_all / update,
// and the free functions. Compiling, rating, explaining and the bulk path are in the other
// engine_*.cpp files (engine_detail.hpp lists them).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <masterymap/engine.hpp>
#include <stdexcept>
#include <utility>

#include "engine_detail.hpp"
#include "enum_names.hpp"
#include "progression_cache.hpp"

namespace masterymap {

namespace {
constexpr detail::enum_names<status, 8> status_names{
    {{{status::not_started, "not_started"},
      {status::in_progress, "in_progress"},
      {status::awaiting_confirmation, "awaiting_confirmation"},
      {status::mastered, "mastered"},
      {status::exceeded, "exceeded"},
      {status::exempt, "exempt"},
      {status::expired, "expired"},
      {status::inferred, "inferred"}}}};
}  // namespace

const char* to_string(status s) noexcept { return status_names.name(s); }

const char* status_text(status s) noexcept {
  switch (s) {
    case status::not_started:
      return "not started";
    case status::in_progress:
      return "in progress";
    case status::awaiting_confirmation:
      return "ready for the teacher's check";
    case status::inferred:
      return "inferred";
    case status::mastered:
      return "mastered";
    case status::exceeded:
      return "exceeded";
    case status::exempt:
      return "exempt";
    case status::expired:
      return "expired";
  }
  return "?";
}

status parse_status(std::string_view name) {
  if (auto s = status_names.parse(name)) return *s;
  throw std::invalid_argument(fmt::format("unknown status '{}'", name));
}

probability_source::~probability_source() = default;

using detail::apply_rollups;
using detail::binding;
using detail::compile;
using detail::default_as_of;
using detail::dense_out;
using detail::evaluate_learner;
using detail::gather;
using detail::init_state_arrays;
using detail::make_records;
using detail::none32;
using detail::parallel_ranges;
using detail::partition_by_learner;
using detail::rate;
using detail::rec;
using detail::scratch;
using detail::sort_events;
using detail::thread_count;
using detail::write;

namespace {

// Runs f(l, scratch&) for learners [0, L), one scratch per range. Each learner's result
// depends only on its own rows.
// Progress: each learner counts its rows + 1 on `m`.
template <typename F>
void parallel_learners(std::size_t L, const std::vector<std::uint32_t>& start, unsigned threads,
                       std::size_t nc, detail::meter& m, F&& f) {
  parallel_ranges(
      L, start, threads,
      [&](unsigned t, std::size_t lb, std::size_t le) {
        scratch s(nc);
        s.slot = t;
        detail::meter_ticks ticks(m, detail::check_block);
        for (std::size_t l = lb; l < le; ++l) {
          f(l, s);
          ticks.add(start[l + 1] - start[l] + 1);
        }
        ticks.flush();
      },
      &m);
}

}  // namespace

// --- learner_state -------------------------------------------------------------------------------

learner_state::learner_state() = default;

const framework& learner_state::framework() const {
  if (!ctx_) throw std::logic_error("learner_state: not evaluated");
  return ctx_->fw;
}
const policy& learner_state::policy() const {
  if (!ctx_) throw std::logic_error("learner_state: not evaluated");
  return ctx_->pol;
}
status learner_state::status(std::string_view id) const {
  return status_.at(framework().index_of(id));
}
std::optional<double> learner_state::score(index_t i) const {
  const double v = score_.at(i);
  if (std::isnan(v)) return std::nullopt;
  return v;
}
std::optional<double> learner_state::score(std::string_view id) const {
  return score(framework().index_of(id));
}
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
std::optional<std::string> learner_state::rating(std::string_view id) const {
  return rating(framework().index_of(id));
}
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
std::pair<const std::uint32_t*, const std::uint32_t*> learner_state::evidence_row_range(
    index_t i) const {
  if (i >= status_.size()) throw std::out_of_range("competency index past the end");
  if (offsets_.empty()) return {nullptr, nullptr};
  return {rows_.data() + offsets_[i], rows_.data() + offsets_[i + 1]};
}

// --- engine --------------------------------------------------------------------------------------

engine::engine(masterymap::framework fw, masterymap::policy p)
    : ctx_(compile(std::move(fw), std::move(p), nullptr)),
      progression_(std::make_shared<detail::progression_cache>()) {}

const framework& engine::framework() const noexcept { return ctx_->fw; }
const policy& engine::policy() const noexcept { return ctx_->pol; }

ingest_checks engine::checks() const { return checks_for(ctx_->fw, ctx_->pol); }

std::vector<std::string> bkt_rules(const policy& p) {
  std::vector<std::string> out;
  auto is_bkt = [](const rule& r) { return r.method.type() == method::kind::bkt; };
  if (is_bkt(p.default_rule())) out.emplace_back("rule");
  for (const auto& [d, r] : p.domain_rules())
    if (is_bkt(r)) out.push_back("overrides.domains['" + d + "']");
  for (const auto& [id, r] : p.competency_rules())
    if (is_bkt(r)) out.push_back("overrides.competencies['" + id + "']");
  return out;
}

ingest_checks checks_for(const framework& fw, const policy& p) {
  ingest_checks c;
  c.min_score = p.scale().score_min();
  c.max_score = p.scale().score_max();
  c.known_competency = [fw](std::string_view id) { return fw.contains(id); };
  for (const auto& r : p.scale().ratings()) c.score_labels.emplace_back(r.label, r.value);
  c.known_kinds = p.kinds();
  return c;
}

learner_state engine::evaluate(const evidence_log& log, std::string_view learner,
                               const evaluate_options& o) const {
  std::vector<std::uint32_t> rows;
  if (auto code = log.learner_code(learner)) {
    const std::uint32_t* lc = log.learner_codes().data();
    for (std::size_t i = 0; i < log.size(); ++i)
      if (lc[i] == *code) rows.push_back(static_cast<std::uint32_t>(i));
  }
  return evaluate_rows(log, learner, rows.data(), rows.size(), o);
}

learner_state engine::evaluate_rows(const evidence_log& log, std::string_view learner,
                                    const std::uint32_t* rows, std::size_t n,
                                    const evaluate_options& o) const {
  const std::size_t nc = ctx_->fw.size();
  learner_state st;
  st.ctx_ = ctx_;
  st.progression_ = progression_;
  st.probabilities_ = o.probabilities;
  st.learner_ = std::string(learner);
  st.as_of_ = default_as_of(log, o);
  st.seen_ = log.size();
  init_state_arrays(st.status_, st.score_, st.rating_, st.count_, nc);
  binding b(*ctx_, log, st.as_of_, o.probabilities.get());
  scratch s(nc);
  std::vector<rec> recs;
  make_records(b, rows, n, recs);
  evaluate_learner(b, learner, recs.data(), recs.size(),
                   {st.status_.data(), st.score_.data(), st.rating_.data(), st.count_.data()}, s,
                   &st.offsets_, &st.rows_);
  return st;
}

std::vector<learner_state> engine::evaluate_all(const evidence_log& log, const evaluate_options& o,
                                                const masterymap::progress& progress) const {
  const std::size_t nc = ctx_->fw.size(), L = log.learners().size();
  detail::meter m(progress, log.size() + L);
  return m.run([&] {
    const double as_of = default_as_of(log, o);
    binding b(*ctx_, log, as_of, o.probabilities.get());
    std::vector<rec> recs;
    std::vector<std::uint32_t> start;
    make_records(b, nullptr, log.size(), recs, &m);
    partition_by_learner(recs, L, start, &m);
    std::vector<learner_state> out(L);
    parallel_learners(L, start, thread_count(o, L), nc, m, [&](std::size_t l, scratch& s) {
      learner_state& st = out[l];
      st.ctx_ = ctx_;
      st.progression_ = progression_;
      st.probabilities_ = o.probabilities;
      st.learner_ = log.learners()[l];
      st.as_of_ = as_of;
      st.seen_ = log.size();
      init_state_arrays(st.status_, st.score_, st.rating_, st.count_, nc);
      evaluate_learner(b, st.learner_, recs.data() + start[l], start[l + 1] - start[l],
                       {st.status_.data(), st.score_.data(), st.rating_.data(), st.count_.data()},
                       s, &st.offsets_, &st.rows_);
    });
    m.finish();
    return out;
  });
}

void engine::update(learner_state& st, const evidence_log& log, const evaluate_options& o) const {
  if (!st.ctx_) {
    throw std::invalid_argument("update: the state was never evaluated");
  }
  if (st.ctx_ != ctx_ && !(st.ctx_->fw == ctx_->fw && st.ctx_->pol == ctx_->pol))
    throw std::invalid_argument("update: the state was evaluated with another framework or policy");
  if (log.size() < st.seen_)
    throw std::invalid_argument("update: the log is shorter than when evaluated");
  const std::size_t nc = ctx_->fw.size();
  const double as_of = default_as_of(log, o);
  const auto code = log.learner_code(st.learner_);
  binding b(*ctx_, log, as_of, o.probabilities.get());
  // A retraction since the state was made that voids evidence it counted: evaluated afresh
  // (the rows a state holds are its counted ones). O(rows of the state) when the log has
  // retractions.
  if (b.any_retracted) {
    const std::uint32_t* ac = log.attribute_codes().data();
    for (std::uint32_t r : st.rows_)
      if (b.dead(ac[r])) {
        st = evaluate(log, st.learner_, o);
        return;
      }
  }
  scratch s(nc);
  // New rows of this learner, per competency.
  std::vector<std::uint32_t> fresh;
  if (code) {
    const std::uint32_t* lc = log.learner_codes().data();
    const std::uint32_t* cc = log.competency_codes().data();
    const auto* attrs = log.attributes().data();
    const std::uint32_t* ac = log.attribute_codes().data();
    for (std::size_t i = st.seen_; i < log.size(); ++i)
      if (lc[i] == *code && b.comp_map[cc[i]] != none32 && !b.dead(ac[i]) &&
          !(b.any_placement && static_cast<int>(attrs[ac[i]].kind) == b.placement_kind))
        fresh.push_back(static_cast<std::uint32_t>(i));
  }
  const bool moved = !(as_of == st.as_of_);
  // A new placement changes the inference only: recompute it (placement rows never rate).
  bool placed = false;
  if (code && b.any_placement) {
    const std::uint32_t* lc = log.learner_codes().data();
    const std::uint32_t* ac = log.attribute_codes().data();
    const auto* attrs = log.attributes().data();
    for (std::size_t i = st.seen_; i < log.size(); ++i)
      placed =
          placed || (lc[i] == *code && static_cast<int>(attrs[ac[i]].kind) == b.placement_kind);
  }
  st.seen_ = log.size();
  st.probabilities_ = o.probabilities;
  if (fresh.empty() && !moved && !placed) return;
  // Inference is recomputed from the new statuses (below).
  detail::clear_inferred(st.status_.data(), nc);
  // Merge the new rows into the evidence index.
  if (st.offsets_.size() != nc + 1) st.offsets_.assign(nc + 1, 0);
  const std::uint32_t* cc = log.competency_codes().data();
  s.touched.clear();
  for (std::uint32_t r : fresh) {
    const std::uint32_t c = b.comp_map[cc[r]];
    if (s.cnt[c]++ == 0) s.touched.push_back(c);
  }
  std::vector<std::uint32_t> offsets(nc + 1, 0);
  for (std::size_t c = 0; c < nc; ++c)
    offsets[c + 1] = offsets[c] + (st.offsets_[c + 1] - st.offsets_[c]) + s.cnt[c];
  std::vector<std::uint32_t> rows(offsets[nc]);
  for (std::size_t c = 0; c < nc; ++c) {
    std::copy(st.rows_.begin() + st.offsets_[c], st.rows_.begin() + st.offsets_[c + 1],
              rows.begin() + offsets[c]);
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
      if (st.offsets_[c + 1] > st.offsets_[c] || st.status_[c] != status::not_started)
        redo.push_back(c);
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
  if (b.infers()) {
    detail::log_placements(b, log, code, log.size(), s.placements);
    detail::apply_inference(b, st.status_.data(), st.score_.data(), nullptr, s, nullptr);
  }
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

learner_state evaluate(const framework& fw, const policy& p, const evidence_log& log,
                       std::string_view learner, const evaluate_options& options) {
  return engine(fw, p).evaluate(log, learner, options);
}

}  // namespace masterymap
