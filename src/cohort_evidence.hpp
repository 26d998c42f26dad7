// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// Private: what the cohort passes over learners share (cohort_groups.cpp,
// cohort_bottlenecks.cpp): each learner's evidence per competency, gathered from its log rows
// into per-thread scratch, and the stuck test.
#ifndef MASTERYMAP_SRC_COHORT_EVIDENCE_HPP
#define MASTERYMAP_SRC_COHORT_EVIDENCE_HPP

#include <fmt/format.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <masterymap/cohort.hpp>
#include <masterymap/frontier_block.hpp>
#include <masterymap/progression.hpp>
#include <masterymap/roster.hpp>
#include <stdexcept>
#include <vector>

#include "bit_util.hpp"
#include "engine_detail.hpp"
#include "frontier_lanes.hpp"
#include "memory_util.hpp"

namespace masterymap::detail {

/// What every thread reads: the log's columns, its competency codes mapped to framework
/// indices, and each competency's rule bound to the log's kinds.
struct cohort_evidence {
  const roster& r;
  const evidence_log& log;
  double as_of;
  std::vector<std::uint32_t> comp;  // log competency code -> framework index (none32: none)
  std::vector<rule_binding> bind;   // per framework index

  explicit cohort_evidence(const roster& ros)
      : r(ros), log(ros.log()), as_of(ros.as_of()), comp(log.competencies().size(), none32) {
    const framework& fw = r.framework();
    for (std::size_t j = 0; j < comp.size(); ++j)
      if (auto i = fw.find(log.competencies()[j])) comp[j] = *i;
    bind.reserve(fw.size());
    for (index_t c = 0; c < fw.size(); ++c)
      bind.push_back(bind_rule(r.policy().rule_for(fw.at(c).id, fw.at(c).domain), log));
  }
};

struct learner_evidence;
inline void gather_rows(const cohort_evidence& e, const std::uint32_t* rows, std::size_t n,
                        learner_evidence& out);

/// One thread's scratch: per competency, a learner's counted evidence up to as_of (rows whose
/// kind the competency's rule counts, with a score), the time of the first counted one and of
/// the latest of any kind; valid for the competencies in `touched` (in order of first
/// evidence), the rest at their resting values (0, NaN, NaN). Voided (xAPI) rows are as if they
/// never happened. O(rows of the learner) per `gather`, O(touched) per `clear`.
struct learner_evidence {
  std::vector<std::uint32_t> counted;
  std::vector<double> first, last;
  std::vector<index_t> touched;

  explicit learner_evidence(std::size_t competencies)
      : counted(competencies, 0),
        first(competencies, std::numeric_limits<double>::quiet_NaN()),
        last(competencies, std::numeric_limits<double>::quiet_NaN()) {}

  /// Gathers learner l's rows (see gather_rows).
  void gather(const cohort_evidence& e, std::size_t l) {
    const std::vector<std::uint32_t>& rows = e.r.log_rows(l);
    gather_rows(e, rows.data(), rows.size(), *this);
  }

  void clear() {
    for (const index_t c : touched) {
      counted[c] = 0;
      first[c] = last[c] = std::numeric_limits<double>::quiet_NaN();
    }
    touched.clear();
  }
};

/// The loop of `learner_evidence::gather` as a plain function: the log's columns, the tables
/// and the scratch arrays are read into locals once, so the running stores to `counted`,
/// `first` and `last` (and `touched`) cannot make GCC reload them every row (a store through a
/// byte-sized type may alias anything; see rows_valid in evidence_batch.cpp).
inline void gather_rows(const cohort_evidence& e, const std::uint32_t* rows, std::size_t n,
                        learner_evidence& out) {
  const std::uint32_t* cc = e.log.competency_codes().data();
  const double* times = e.log.times().data();
  const float* scores = e.log.scores().data();
  const std::uint32_t* acode = e.log.attribute_codes().data();
  const evidence_attributes* attrs = e.log.attributes().data();
  const std::uint32_t* comp = e.comp.data();
  const rule_binding* bind = e.bind.data();
  const double as_of = e.as_of;
  std::uint32_t* counted = out.counted.data();
  double* first = out.first.data();
  double* last = out.last.data();
  std::vector<index_t>& touched = out.touched;
  // A learner's rows are spread over the log (arrival order): the columns of the row 8 ahead
  // start loading now, so the misses overlap (as first_mastery does).
  constexpr std::size_t ahead = 8;
  for (std::size_t k = 0; k < n; ++k) {
    if (k + ahead < n) {
      const std::uint32_t j = rows[k + ahead];
      prefetch(cc + j);
      prefetch(times + j);
      prefetch(acode + j);
      prefetch(scores + j);
    }
    const std::uint32_t i = rows[k];
    const std::uint32_t c = comp[cc[i]];
    const double t = times[i];
    const evidence_attributes a = attrs[acode[i]];
    if (c == none32 || !(t <= as_of) || a.retracted) continue;
    const double lc = last[c];
    if (std::isnan(lc)) touched.push_back(c);
    if (!(t <= lc)) last[c] = t;
    if (bind[c].flags[a.kind] != 0 || std::isnan(scores[i])) continue;
    ++counted[c];
    if (!(t >= first[c])) first[c] = t;
  }
}

/// One learner's statuses at a time, indexable by competency but written sparsely: not started
/// at rest, `load` sets the learner's stored cells and inferred bits (what `roster::statuses`
/// materialises) and `clear` puts back only those. O(touched) per learner, where a dense row
/// costs O(C) writes.
class sparse_statuses {
 public:
  explicit sparse_statuses(std::size_t competencies) : st_(competencies, status::not_started) {}
  void load(const roster& r, std::size_t l) {
    clear();
    for (const roster_cell& x : r.cells(l)) {
      st_[x.competency] = x.status;
      set_.push_back(x.competency);
    }
    const roster_bits bits = r.inferred(l);
    for (std::size_t k = 0; k < bits.size(); ++k)
      for (std::uint64_t w = bits.first[k]; w != 0; w &= w - 1) {
        const auto c = static_cast<index_t>(k * 64 + lowest_bit(w));
        st_[c] = status::inferred;
        set_.push_back(c);
      }
  }
  void clear() {
    for (const index_t c : set_) st_[c] = status::not_started;
    set_.clear();
  }
  [[nodiscard]] const status* data() const noexcept { return st_.data(); }

 private:
  std::vector<status> st_;
  std::vector<index_t> set_;
};

/// The sum of the 16 flags (bytes 0 or 1) at f: two words added (bytes at most 2) and their
/// bytes summed by one multiply (no popcount: baseline x86-64 has no instruction for it).
inline std::uint32_t lane_count(const std::uint8_t* f) noexcept {
  static_assert(frontier_lanes == 16, "lane_count sums 16 lanes");
  std::uint64_t lo, hi;
  std::memcpy(&lo, f, 8);
  std::memcpy(&hi, f + 8, 8);
  return static_cast<std::uint32_t>(((lo + hi) * 0x0101010101010101ULL) >> 56);
}

/// The 16 flags (bytes 0 or 1) at f as bits: bit j = f[j].
inline std::uint32_t lane_bits(const std::uint8_t* f) noexcept {
  static_assert(frontier_lanes == 16, "lane_bits packs 16 lanes");
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  std::uint64_t lo, hi;
  std::memcpy(&lo, f, 8);
  std::memcpy(&hi, f + 8, 8);
  // Byte i of x (0 or 1) lands at bit 56 + i of x * m: the classic byte-to-bit gather.
  constexpr std::uint64_t m = 0x0102040810204080ULL;
  return static_cast<std::uint32_t>(((lo * m) >> 56) | (((hi * m) >> 56) << 8));
#else
  std::uint32_t bits = 0;
  for (unsigned j = 0; j < 16; ++j) bits |= static_cast<std::uint32_t>(f[j] & 1U) << j;
  return bits;
#endif
}

/// Why a learner with status `s` on a competency, `counted` counted pieces of evidence and the
/// first at `first`, is stuck on it: bit 1 = wheel-spinning (at least `stuck_evidence`), bit 2 =
/// no progress (working on it for at least `stuck_days`); 0 = not stuck. Only in progress and
/// awaiting confirmation count as working on it.
inline std::uint8_t stuck_reasons(status s, std::uint32_t counted, double first, double as_of,
                                  const frontier_group_options& o) noexcept {
  if (s != status::in_progress && s != status::awaiting_confirmation) return 0;
  std::uint8_t why = 0;
  if (o.stuck_evidence > 0 && counted >= o.stuck_evidence) why |= 1;
  if (o.stuck_days > 0 && first <= as_of - o.stuck_days * day) why |= 2;
  return why;
}

/// Days are counts of 86,400 s: a negative, infinite or NaN one is a caller's mistake (0 is off).
/// \throws std::invalid_argument naming the option.
inline void check_days(const frontier_group_options& o) {
  auto days = [](const char* name, double v) {
    if (!(v >= 0) || std::isinf(v))
      throw std::invalid_argument(
          fmt::format("{} must be a number of days >= 0 (0 turns the test off), not {}", name, v));
  };
  days("stuck_days", o.stuck_days);
  days("recent_days", o.recent_days);
}

}  // namespace masterymap::detail

#endif  // MASTERYMAP_SRC_COHORT_EVIDENCE_HPP
