// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// The evidence log: construction, kinds, single-row appends and access. Columnar batches
// (validation and commit) are in evidence_batch.cpp.
#include <fmt/format.h>

#include <cmath>
#include <masterymap/evidence.hpp>
#include <stdexcept>

#include "evidence_impl.hpp"

namespace masterymap {

using detail::checked_already;
using detail::float_bits;
using detail::trim;

const std::vector<std::string>& builtin_kinds() {
  static const std::vector<std::string> kinds = {"pretest",    "formative",   "summative",
                                                 "discussion", "observation", "self",
                                                 "transfer",   "placement",   "waiver"};
  return kinds;
}

// --- errors --------------------------------------------------------------------------------

evidence_error::evidence_error(std::vector<problem> problems, std::vector<std::size_t> rows,
                               std::vector<std::size_t> lines)
    : validation_error(std::move(problems)), rows_(std::move(rows)), lines_(std::move(lines)) {}

// --- the log -------------------------------------------------------------------------------

evidence_log::evidence_log() : impl_(std::make_unique<impl>()) {}
evidence_log::evidence_log(const std::vector<std::string>& extra_kinds) : evidence_log() {
  for (const auto& k : extra_kinds) add_kind(k);
}
evidence_log::evidence_log(const evidence_log& o) : impl_(std::make_unique<impl>(*o.impl_)) {}
evidence_log::evidence_log(evidence_log&&) noexcept = default;
evidence_log& evidence_log::operator=(const evidence_log& o) {
  if (this != &o) impl_ = std::make_unique<impl>(*o.impl_);
  return *this;
}
evidence_log& evidence_log::operator=(evidence_log&&) noexcept = default;
evidence_log::~evidence_log() = default;

void evidence_log::add_kind(std::string_view name) {
  if (name.empty()) throw std::invalid_argument("an evidence kind needs a name");
  if (impl_->kinds.find(name)) return;
  if (impl_->kinds.names.size() >= 255) throw std::length_error("at most 255 evidence kinds");
  impl_->kinds.intern(name);
}

const std::vector<std::string>& evidence_log::kinds() const noexcept { return impl_->kinds.names; }

std::optional<std::uint8_t> evidence_log::kind_code(std::string_view name) const noexcept {
  auto c = impl_->kinds.find(name);
  if (!c) return std::nullopt;
  return static_cast<std::uint8_t>(*c);
}

const ingest_checks& detail::checked_already(bool check_levels) {
  // The default checks are the log's own: its kinds, and a level kind's score as a level.
  static const ingest_checks own;
  static const ingest_checks own_but_levels = [] {
    ingest_checks c;
    c.level_kinds.clear();
    return c;
  }();
  return check_levels ? own : own_but_levels;
}

namespace {
// Whether `kind` is one of the checks' level kinds (their rows take the columnar path, which
// checks a level instead of the score range).
bool level_kind(const ingest_checks& checks, std::string_view kind) noexcept {
  for (const auto& k : checks.level_kinds)
    if (k == kind) return true;
  return false;
}
}  // namespace

void evidence_log::add(const evidence& e, const ingest_checks& checks) {
  append(std::vector<evidence>{e}, checks);
}
void evidence_log::add_unchecked(const evidence& e) { add(e, checked_already(true)); }
void evidence_log::append_unchecked(const std::vector<evidence>& rows) {
  append(rows, checked_already(true));
}
void evidence_log::append_unchecked(const evidence_columns& batch, const progress& progress) {
  append(batch, checked_already(true), progress);
}
void evidence_log::append_csv_unchecked(std::istream& in, const csv_columns& columns,
                                        const progress& progress) {
  append_csv(in, columns, checked_already(true), progress);
}
void evidence_log::read_csv_unchecked(const std::string& path, const csv_columns& columns,
                                      const progress& progress) {
  read_csv(path, columns, checked_already(true), progress);
}

namespace {

// A time, score and weight the log can hold and give back, as the batch check requires
// (evidence_batch.cpp): times within datetime64[ns], scores and weights within float32 (weights
// not negative). Anything else goes to the batch check, which names the problem.
bool storable(double time, double score, double weight) noexcept {
  constexpr double min_time = -9223372036.0, max_time = 9223372036.0,
                   max_stored = 3.4028234663852886e38;
  return time >= min_time && time <= max_time && score >= -max_stored && score <= max_stored &&
         weight >= 0 && weight <= max_stored;
}

}  // namespace

void evidence_log::append_row(std::string_view learner, std::string_view competency, double time,
                              double score, std::string_view kind, double weight,
                              std::string_view source, const ingest_checks& checks) {
  impl& d = *impl_;
  // The common case, checked without staging a batch; anything unusual (or wrong) goes through
  // the columnar path, which stores the row or throws exactly as a one-row batch would.
  const auto kc = d.kinds.find(trim(kind));
  const bool ok = kc && !trim(learner).empty() && !trim(competency).empty() &&
                  storable(time, score, weight) && score >= checks.min_score &&
                  score <= checks.max_score && !level_kind(checks, trim(kind)) &&
                  (!checks.known_competency || checks.known_competency(competency));
  if (!ok) {
    evidence_columns b = evidence_columns::one_row(learner, competency, kind, source, &weight);
    b.time.values = &time;
    b.score.values = &score;
    append(b, checks);
    return;
  }
  reserve(1);  // may throw; nothing below can fail except interning (allocation)
  auto code = [](detail::table& t, std::string_view name) {
    const auto c = t.find(name);  // known names: no node allocated
    return c ? *c : t.intern(name);
  };
  const std::uint32_t lc = code(d.learners, learner);
  const std::uint32_t cc = code(d.competencies, competency);
  const std::uint32_t sc = code(d.sources, source);
  d.push_row(
      lc, cc, time, score,
      d.intern_attr({static_cast<std::uint8_t>(*kc), float_bits(static_cast<float>(weight)), sc}));
}

void evidence_log::append_coded(std::uint32_t learner, std::uint32_t competency, double time,
                                double score, std::uint8_t kind, double weight,
                                std::uint32_t source, const ingest_checks& checks) {
  impl& d = *impl_;
  const bool ok = learner < d.learners.names.size() && competency < d.competencies.names.size() &&
                  kind < d.kinds.names.size() && source < d.sources.names.size() &&
                  storable(time, score, weight) && score >= checks.min_score &&
                  score <= checks.max_score && !level_kind(checks, d.kinds.names[kind]);
  if (!ok) {
    if (learner >= d.learners.names.size() || competency >= d.competencies.names.size() ||
        kind >= d.kinds.names.size() || source >= d.sources.names.size())
      throw evidence_error({{problem_kind::invalid_value, {}, "row 0: code out of range"}}, {0});
    append_row(d.learners.names[learner], d.competencies.names[competency], time, score,
               d.kinds.names[kind], weight, d.sources.names[source],
               checks);  // throws with the message of a one-row batch
    return;
  }
  reserve(1);
  d.push_row(learner, competency, time, score,
             d.intern_attr({kind, float_bits(static_cast<float>(weight)), source}));
}

// --- access --------------------------------------------------------------------------------

std::size_t evidence_log::size() const noexcept { return impl_->learner.size(); }
const column<std::uint32_t>& evidence_log::learner_codes() const noexcept { return impl_->learner; }
const column<std::uint32_t>& evidence_log::competency_codes() const noexcept {
  return impl_->competency;
}
const column<double>& evidence_log::times() const noexcept { return impl_->time; }
const column<float>& evidence_log::scores() const noexcept { return impl_->score; }
const column<std::uint32_t>& evidence_log::attribute_codes() const noexcept { return impl_->attr; }
const std::vector<evidence_attributes>& evidence_log::attributes() const noexcept {
  return impl_->attrs;
}
const std::vector<std::string>& evidence_log::learners() const noexcept {
  return impl_->learners.names;
}
const std::vector<std::string>& evidence_log::competencies() const noexcept {
  return impl_->competencies.names;
}
const std::vector<std::string>& evidence_log::sources() const noexcept {
  return impl_->sources.names;
}
std::optional<std::uint32_t> evidence_log::learner_code(std::string_view id) const noexcept {
  return impl_->learners.find(id);
}
std::optional<std::uint32_t> evidence_log::competency_code(std::string_view id) const noexcept {
  return impl_->competencies.find(id);
}
double evidence_log::max_time() const noexcept { return impl_->max_time; }

evidence evidence_log::at(std::size_t i) const {
  if (i >= size()) throw std::out_of_range(fmt::format("evidence row {} (log has {})", i, size()));
  const impl& d = *impl_;
  const auto& a = d.attrs[d.attr[i]];
  evidence e{d.learners.names[d.learner[i]],
             d.competencies.names[d.competency[i]],
             d.time[i],
             static_cast<double>(d.score[i]),
             d.kinds.names[a.kind],
             static_cast<double>(a.weight),
             d.sources.names[a.source]};
  e.timestamp = d.stamp(i);
  return e;
}

std::string_view evidence_log::timestamp_text(std::size_t i) const {
  if (i >= size()) throw std::out_of_range(fmt::format("evidence row {} (log has {})", i, size()));
  return impl_->stamp(i);
}

const std::vector<std::uint64_t>& evidence_log::timestamp_rows() const noexcept {
  return impl_->stamp_rows;
}

std::size_t evidence_log::event_bytes() const noexcept {
  const impl& d = *impl_;
  return d.learner.capacity() * 4 + d.competency.capacity() * 4 + d.time.capacity() * 8 +
         d.score.capacity() * 4 + d.attr.capacity() * 4;
}

std::size_t evidence_log::table_bytes() const noexcept {
  const impl& d = *impl_;
  return d.learners.bytes() + d.competencies.bytes() + d.sources.bytes() + d.kinds.bytes() +
         d.attrs.capacity() * sizeof(evidence_attributes) + d.attr_index.size() * 32 +
         (d.stamp_rows.capacity() + d.stamp_ends.capacity()) * 8 + d.stamp_chars.capacity();
}

void evidence_log::shrink_to_fit() {
  impl& d = *impl_;
  d.learner.shrink_to_fit();
  d.competency.shrink_to_fit();
  d.time.shrink_to_fit();
  d.score.shrink_to_fit();
  d.attr.shrink_to_fit();
}

void evidence_log::reserve(std::size_t n) {
  impl& d = *impl_;
  std::size_t want = d.learner.size() + n;
  if (want <= d.learner.capacity()) return;
  // Geometric growth: appending one row at a time stays amortised O(1).
  want = std::max(want, d.learner.capacity() + d.learner.capacity() / 2);
  d.learner.reserve(want);
  d.competency.reserve(want);
  d.time.reserve(want);
  d.score.reserve(want);
  d.attr.reserve(want);  // column storage: huge-page backed (column.hpp)
}

std::string to_string(const evidence_log& log) {
  return fmt::format("evidence_log: {} events, {} learners, {} competencies", log.size(),
                     log.learners().size(), log.competencies().size());
}

bool operator==(const evidence_log& a, const evidence_log& b) {
  if (&a == &b) return true;
  if (a.size() != b.size() || a.kinds() != b.kinds() || a.learners() != b.learners() ||
      a.competencies() != b.competencies() || a.sources() != b.sources() ||
      a.learner_codes() != b.learner_codes() || a.competency_codes() != b.competency_codes() ||
      a.times() != b.times() || a.scores() != b.scores() || a.retractions() != b.retractions() ||
      a.impl_->stamp_rows != b.impl_->stamp_rows || a.impl_->stamp_ends != b.impl_->stamp_ends ||
      a.impl_->stamp_chars != b.impl_->stamp_chars)
    return false;
  // Attribute codes index each log's own table of (kind, weight, source) triples, whose order
  // depends on how the rows arrived: compare the triples.
  const auto& ta = a.attributes();
  const auto& tb = b.attributes();
  const auto* ca = a.attribute_codes().data();
  const auto* cb = b.attribute_codes().data();
  for (std::size_t i = 0; i < a.size(); ++i) {
    const evidence_attributes& x = ta[ca[i]];
    const evidence_attributes& y = tb[cb[i]];
    if (x.kind != y.kind || float_bits(x.weight) != float_bits(y.weight) || x.source != y.source)
      return false;
  }
  return true;
}

}  // namespace masterymap
