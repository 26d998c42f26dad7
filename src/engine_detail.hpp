// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// Private: the compiled form of a policy, and the types and functions the engine's parts share.
//
//   engine_compile.cpp  compiling a policy against a framework, binding it to a log
//   engine_rate.cpp     the general rating path: one competency, rollups, one learner
//   engine_explain.cpp  learner_state::explain
//   engine_bulk.cpp     the bulk fast path, engine::ratings
//   engine.cpp          the public engine and learner_state
//   engine_serialize.cpp  equality of engines, states and explanations; a state's bytes
#ifndef MASTERYMAP_SRC_ENGINE_DETAIL_HPP
#define MASTERYMAP_SRC_ENGINE_DETAIL_HPP

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <masterymap/engine.hpp>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "inference.hpp"
#include "kind_names.hpp"
#include "parallel.hpp"

namespace masterymap::detail {

/// "None" in the 32-bit code maps (a log competency the framework does not have).
inline constexpr std::uint32_t none32 = std::numeric_limits<std::uint32_t>::max();
/// Seconds per day: windows and expiry are given in days, evidence times in seconds.
inline constexpr double day = 86400.0;
/// "No score" in the dense outputs.
inline constexpr double nan = std::numeric_limits<double>::quiet_NaN();

// --- the compiled policy (engine_compile.cpp) ---------------------------------------------------

/// A rollup group with ids resolved to framework indices.
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

/// A rollup with ids resolved to framework indices; groups[0] is the top group.
struct rrollup {
  std::vector<rgroup> groups;
  std::string text;
};

/// A policy compiled against a framework: shared (immutable) by an engine and its states.
struct compiled_policy {
  masterymap::framework fw;
  masterymap::policy pol;
  std::vector<rule> rules;              // distinct rules
  std::vector<std::uint16_t> rule_of;   // per competency
  std::vector<std::int32_t> rollup_of;  // per competency: index into rollups, or -1
  std::vector<rrollup> rollups;
  std::vector<index_t> rollup_order;   // parents with a rollup, children before parents
  std::vector<std::string> bkt_rules;  // paths of the rules that need a probability source
  inference_graph inference;           // the policy's infer_prerequisites over the framework
};

/// \throws policy_error when `bkt_rules` (see masterymap::bkt_rules) is not empty and `p` is
/// null: the message says how to pass a probability source.
void require_probability_source(const std::vector<std::string>& bkt_rules,
                                const probability_source* p);

/// Compiles `pol` against `fw`. \throws policy_error listing every problem; with `report`,
/// stores the problems there instead and returns null.
std::shared_ptr<const compiled_policy> compile(framework fw, policy pol,
                                               std::vector<std::string>* report);

// --- a compiled policy bound to one log (engine_compile.cpp) ------------------------------------

inline constexpr std::uint8_t flag_ignored = 1;  // kind never counts
inline constexpr std::uint8_t flag_pretest = 2;  // pre-test, used for exemption only
inline constexpr std::uint8_t flag_waiver = 4;   // a waiver: exempts, never counts

/// One distinct rule bound to a log's kind codes.
struct rule_binding {
  // per kind code: flag_ignored | flag_pretest | flag_waiver, 0 = counts
  std::array<std::uint8_t, 256> flags{};
  int pretest = -1;
  std::vector<int> require, confirm;  // log kind codes (-1: the log has no such kind)
};

/// Rule r's kinds bound to the log's kind codes.
rule_binding bind_rule(const rule& r, const evidence_log& log);

/// A compiled policy bound to one log, an evaluation time and a probability source.
struct binding {
  const compiled_policy* ctx = nullptr;
  const evidence_log* log = nullptr;
  std::vector<std::uint32_t> comp_map;  // log competency code -> framework index
  std::vector<rule_binding> rules;
  const evidence_attributes* attrs = nullptr;
  double as_of = 0;
  const probability_source* prob = nullptr;
  int placement_kind = -1;     // the log's code of kind "placement" (-1: none)
  bool any_placement = false;  // an attribute of the log has kind "placement"
  bool any_retracted = false;  // the log has retractions (evidence_log::retract): check attrs
  /// Whether the event of attribute triple `a` is retracted (it then never counts).
  [[nodiscard]] bool dead(std::uint32_t a) const noexcept {
    return any_retracted && attrs[a].retracted;
  }
  /// Whether inference can change anything: links carry it, or the log has placements.
  [[nodiscard]] bool infers() const noexcept { return ctx->inference.links() || any_placement; }

  binding(const compiled_policy& c, const evidence_log& l, double when,
          const probability_source* p);
};

/// The evaluation time: the option, else the log's latest time (infinity for an empty log).
double default_as_of(const evidence_log& log, const evaluate_options& o);

// --- rating one competency (engine_rate.cpp) ----------------------------------------------------

/// One event of a competency, in the form the rating reads.
struct ev {
  double time;
  float score;
  std::uint32_t attr;
  std::uint32_t row;
};

/// Aggregation order: by time, then by row.
inline bool ev_less(const ev& a, const ev& b) noexcept {
  return a.time < b.time || (a.time == b.time && a.row < b.row);
}

/// The result of rating one competency.
struct outcome {
  status st = status::not_started;
  double score = nan;
  std::int8_t rating = -1;
  std::uint32_t count = 0;
};

/// Why each event counted or not, and what is unmet: collected only when explaining.
struct trace {
  std::vector<std::string> reason;  // per event; empty = counted
  std::vector<std::string> unmet;
  std::vector<std::string> notes;
  std::optional<double> value;
};

/// Working memory of one thread, reused across learners and competencies.
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
  std::vector<placement> placements;
  std::vector<index_t> cand, inferred;
  infer_scratch inf;
  std::uint32_t slot = 0;  // index of the worker (engine::ratings: its output lane)
  explicit scratch(std::size_t n) : cnt(n, 0), pos(n, 0) {}
};

/// A number as explanations print it, never misleading about a threshold: 6 significant
/// digits when they are exact (3, 0.65); a stored score (a float) in its shortest exact form
/// (2.9999966); any other value cut toward zero to 6 significant digits and marked with "..."
/// (2.99999966 -> "2.99999...", never "3").
std::string fmt_num(double x);

/// Full rating of competency c from its events e[0..n) (in aggregation order): the rule's
/// conditions, then monotonic holding, then expiry. With `tr`, also records why.
outcome rate(const binding& b, index_t c, const ev* e, std::size_t n, std::string_view learner,
             scratch& s, trace* tr);

// --- rollups (engine_rate.cpp) ------------------------------------------------------------------

/// Whether a rollup's top group is satisfied or started, and its weighted_mean value.
struct rollup_result {
  bool done = false, started = false;
  double value = nan;
};

/// Evaluates rollup `ru` over the children's statuses and scores (dense over the framework).
/// Earned children count as done; with `inferred_met`, inferred children too (the rollup over
/// inferred parts, which makes a parent inferred, never earned).
rollup_result eval_rollup(const rrollup& ru, const status* st, const double* score, const scale& sc,
                          scratch& s, bool inferred_met = false);

/// The outcome a rollup result gives its parent.
outcome rollup_outcome(const rrollup& ru, const rollup_result& rr, const scale& sc);

/// Combines a parent's rollup outcome R with its own-evidence outcome E into `out`. Returns
/// true when the own evidence decided.
bool combine(rollup_precedence p, const outcome& R, const outcome& E, outcome& out);

// --- evaluating one learner (engine_rate.cpp) ---------------------------------------------------

/// One learner's results, dense over the framework.
struct dense_out {
  status* st;
  double* score;
  std::int8_t* rating;
  std::uint32_t* count;
};

/// Stores o as competency c's result.
inline void write(dense_out out, index_t c, const outcome& o) {
  out.st[c] = o.st;
  out.score[c] = o.score;
  out.rating[c] = o.rating;
  out.count[c] = o.count;
}

/// Sizes dense result arrays to n competencies, all "not started".
inline void init_state_arrays(std::vector<status>& st, std::vector<double>& sc,
                              std::vector<std::int8_t>& r, std::vector<std::uint32_t>& c,
                              std::size_t n) {
  st.assign(n, status::not_started);
  sc.assign(n, nan);
  r.assign(n, -1);
  c.assign(n, 0);
}

/// The events of the given log rows, in that order.
void gather(const evidence_log& log, const std::uint32_t* rows, std::size_t n,
            std::vector<ev>& out);

/// Sorts the gathered events (and `rows` with them) into aggregation order, if needed.
void sort_events(std::vector<ev>& e, std::uint32_t* rows);

/// Evaluates the rollup parents (children before parents) and combines each with its own
/// evidence, in place.
void apply_rollups(const binding& b, dense_out out, scratch& s);

/// Applies inferred mastery to one learner's dense statuses (after the rules and rollups):
/// seeds from the earned competencies among `touched` and the rollup parents (all of them when
/// `touched` is null), placements from `s.placements`. A rollup parent not started whose rollup
/// holds once inferred parts count as met is inferred too, and inference goes on below it (until
/// no parent changes). Appends what it infers to `added`.
/// Only the compiled policy is read: `progression::infer` applies it to status arrays.
void apply_inference(const compiled_policy& ctx, status* st, const double* score,
                     const std::vector<index_t>* touched, scratch& s, std::vector<index_t>* added);
inline void apply_inference(const binding& b, status* st, const double* score,
                            const std::vector<index_t>* touched, scratch& s,
                            std::vector<index_t>* added) {
  apply_inference(*b.ctx, st, score, touched, s, added);
}

/// The placements of learner `learner` (a log code) among the first `rows` rows of `log`, at or
/// before `b.as_of`, into `out` (cleared). Placements are not in a state's evidence index (they
/// never rate): they are read from the log. O(rows).
void log_placements(const binding& b, const evidence_log& log, std::optional<std::uint32_t> learner,
                    std::size_t rows, std::vector<placement>& out);

/// One event of a learner, gathered once from the log's columns (so per-learner work reads
/// contiguous memory instead of chasing rows across the log).
struct rec {
  std::uint32_t learner, comp, row, attr;  // comp: framework index
  double time;
  float score;
};

/// Records of the given rows (or of every row when `rows` is null), in row order, leaving out
/// evidence on competencies the framework does not have. Checks `m` (if any) between blocks.
void make_records(const binding& b, const std::uint32_t* rows, std::size_t n, std::vector<rec>& out,
                  meter* m = nullptr);

/// Stable sort of the records by learner, then the start of each learner's records. Checks `m`
/// (if any) between blocks.
void partition_by_learner(std::vector<rec>& r, std::size_t L, std::vector<std::uint32_t>& start,
                          meter* m = nullptr);

/// Rates a learner from its records r[0..n) (in row order). Leaves the touched competencies in
/// s.touched (ascending). With `offsets`/`csr_rows`, also fills the learner's evidence index
/// (offsets over all competencies, rows in aggregation order).
void evaluate_learner(const binding& b, std::string_view learner, const rec* r, std::size_t n,
                      dense_out out, scratch& s, std::vector<std::uint32_t>* offsets,
                      std::vector<std::uint32_t>* csr_rows);

// --- threads -------------------------------------------------------------------------------------

/// Threads for `work` independent items under the options (never more than the items).
inline unsigned thread_count(const evaluate_options& o, std::size_t work) {
  const unsigned t = resolve_threads(o.threads);
  if (work < 2) return 1;
  return static_cast<unsigned>(std::min<std::size_t>(t, work));
}

/// Runs f(t, lb, le) on up to `threads` threads (t = 0 on the calling thread) for contiguous
/// learner ranges [lb, le) covering [0, L), balanced by event count (`start` = row offsets).
/// `m`: as for run_threads.
template <typename F>
void parallel_ranges(std::size_t L, const std::vector<std::uint32_t>& start, unsigned threads,
                     F&& f, meter* m = nullptr) {
  std::vector<std::size_t> bounds{0};
  const double per = static_cast<double>(start[L]) / std::max(threads, 1U);
  for (unsigned t = 1; t < threads; ++t) {
    const auto target = static_cast<std::uint32_t>(per * t);
    auto it =
        std::lower_bound(start.begin(), start.begin() + static_cast<std::ptrdiff_t>(L), target);
    bounds.push_back(std::max(bounds.back(), static_cast<std::size_t>(it - start.begin())));
  }
  bounds.push_back(L);
  run_threads(
      std::max(threads, 1U), [&](unsigned t) { f(t, bounds[t], bounds[t + 1]); }, m);
}

}  // namespace masterymap::detail

#endif  // MASTERYMAP_SRC_ENGINE_DETAIL_HPP
