// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// Private: the decisions every rating path shares.
//
// A competency is rated by three paths: the general one (engine_rate.cpp: any rule, from the
// sorted events), the bulk kernel (engine_bulk.cpp: one pass over a learner's events with
// running accumulators) and the roster's O(1) path (roster.cpp: one running accumulator per
// learner and competency, updated per new event). They must agree to the bit, so the choices
// they all make live here once: which rules the running paths may take (`fold_form_of`), the
// rule in the form they read (`folding_rule`), when confirming evidence confirms
// (`all_confirmed`), when a pre-test exempts (`reaches_exemption`) and the status the
// conditions give (`decide_status`). Inline, so the bulk kernel pays no call per competency.
#ifndef MASTERYMAP_SRC_DECISION_HPP
#define MASTERYMAP_SRC_DECISION_HPP

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <masterymap/engine.hpp>
#include <masterymap/policy.hpp>
#include <masterymap/scale.hpp>
#include <optional>
#include <utility>

#include "accumulate.hpp"
#include "engine_detail.hpp"

namespace masterymap::detail {

// --- which rules fold event by event ------------------------------------------------------------

/// A running accumulator keeps the latest score of at most this many confirming kinds per list
/// (require_kinds, exempt_confirm_kinds): fixed arrays keep it small and free of allocations.
inline constexpr std::size_t max_tracked_kinds = 4;

/// How much of a rule's rating a running accumulator can carry, event by event in aggregation
/// order (time, then row).
enum class fold_form : std::uint8_t {
  /// Needs all the events at once: the method is mode or bkt (its value is not a running
  /// formula), a window (an event leaves it as later ones arrive), expiry or monotonic holding
  /// (they depend on the evaluation time and on past states), or a list of confirming kinds
  /// longer than max_tracked_kinds.
  none,
  /// The status follows from the running value and the number of counted scores alone: no
  /// gatekeeper kinds and no pre-test exemption.
  value,
  /// Also needs, per confirming kind, its latest score, and the best pre-test score: both fold
  /// (a maximum, a last value), so an accumulator can track them.
  conditions,
};

/// The one predicate of incremental eligibility. The bulk kernel takes `value` rules (its
/// accumulators carry no confirming kinds); the roster's O(1) path takes `value` and
/// `conditions`.
inline fold_form fold_form_of(const rule& r) noexcept {
  if (!runs_incrementally(r.method.type()) || r.window_last || r.window_days ||
      r.expires_after_days || r.monotonic || r.require_kinds.size() > max_tracked_kinds ||
      r.exempt_confirm_kinds.size() > max_tracked_kinds)
    return fold_form::none;
  if (r.require_kinds.empty() && !r.exempt_on_pretest) return fold_form::value;
  return fold_form::conditions;
}

/// A rule in the form the running paths read: its method with the policy's scale, and its
/// kinds bound to one log's kind codes.
struct folding_rule {
  rule r;
  method_params mp;
  rule_binding kinds;
  fold_form form = fold_form::none;
  folding_rule() = default;
  folding_rule(const rule& ru, const scale& sc, rule_binding b)
      : r(ru), mp(ru.method, sc), kinds(std::move(b)), form(fold_form_of(ru)) {}
  /// Whether an event of kind code k is left out of the value (ignored, a pre-test that does
  /// not count, or a waiver).
  [[nodiscard]] bool skips(std::uint8_t k) const noexcept { return kinds.flags[k] != 0; }
};

// --- the conditions and the status they give ----------------------------------------------------

/// Whether every one of `count` confirming kinds confirms: its latest score (latest(j), NaN when
/// the learner has none) reaches mastery on the scale. unmet(j, latest) is called for each kind
/// that does not, so the general path can say why; `refused` is set when a kind has evidence
/// whose latest score is below mastery (the check was made and said no, as opposed to missing).
template <typename Latest, typename Unmet>
inline bool all_confirmed(const scale& sc, std::size_t count, Latest&& latest, Unmet&& unmet,
                          bool& refused) {
  bool ok = true;
  refused = false;
  for (std::size_t j = 0; j < count; ++j) {
    const double x = latest(j);
    if (!sc.reaches_mastery(x)) {  // false for NaN: no evidence of the kind yet
      ok = false;
      refused = refused || !std::isnan(x);
      unmet(j, x);
    }
  }
  return ok;
}

/// Whether the best pre-test score reaches the rule's exemption level (within the scale's
/// tolerance); false when the rule exempts on no pre-test or there is none (-infinity).
inline bool reaches_exemption(const rule& r, double pre_max, const scale& sc) noexcept {
  return r.exempt_on_pretest && pre_max >= *r.exempt_on_pretest - sc.tolerance();
}

/// The rule's conditions for one competency, each evaluated by the path that rates it.
struct rule_conditions {
  bool reached = false;           ///< the value reaches mastery (bkt: the probability threshold)
  bool exceeds = false;           ///< the value reaches the scale's exceeds rating (never bkt)
  bool enough = false;            ///< at least min_evidence counted scores
  bool confirmed = true;          ///< every gatekeeper kind confirms
  bool exempt_level = false;      ///< reaches_exemption
  bool exempt_confirmed = false;  ///< exempt_level, and every exemption-confirmation kind confirms
  bool gate_refused = false;      ///< a gatekeeper kind's latest evidence is below mastery
  bool exempt_refused = false;    ///< exempt_level, and an exemption confirmation is below mastery
  bool waived = false;  ///< a waiver (evidence.hpp, builtin_kinds) up to the evaluation time
};

/// The status of a competency with evidence up to the evaluation time, before monotonic holding
/// and expiry: mastered (exceeded) when the value, the amount of evidence and the gatekeepers
/// all agree; else exempt by a waiver (an authority's decision: no gatekeeper holds it back);
/// else exempt by a pre-test confirmed by every gatekeeper kind (a gatekeeper gates
/// every route to done, exemption included) and every exemption-confirmation kind; awaiting
/// confirmation when only a gatekeeper or an exemption confirmation is missing (no evidence of
/// the kind yet); else in progress — also when the check was made and its latest score is
/// below mastery (a refused check does not wait for another: the learner works on).
constexpr status decide_status(const rule_conditions& c) noexcept {
  if (c.reached && c.enough && c.confirmed) return c.exceeds ? status::exceeded : status::mastered;
  if (c.waived) return status::exempt;
  if (c.exempt_confirmed && c.confirmed) return status::exempt;
  if (c.gate_refused) return status::in_progress;
  if ((c.reached && c.enough) || (c.exempt_level && !c.exempt_refused))
    return status::awaiting_confirmation;
  return status::in_progress;
}

// --- one pair replayed event by event --------------------------------------------------------

/// The running state of one (learner, competency) pair under a folding rule, folded one event
/// at a time, with the status it gives after each (as roster_impl.hpp's accumulator, without
/// windows): first_mastery's replay (cohort_mastery.cpp) and the simulator's stopping rule
/// (testing.cpp). O(1) per event.
struct pair_replay {
  detail::running run;
  double pre_max = -std::numeric_limits<double>::infinity();
  std::array<float, detail::max_tracked_kinds> require_last, confirm_last;
  bool waived = false;
  pair_replay() {
    require_last.fill(std::numeric_limits<float>::quiet_NaN());
    confirm_last.fill(std::numeric_limits<float>::quiet_NaN());
  }
  void fold(const folding_rule& fr, float score, const evidence_attributes& attr) {
    const std::uint8_t k = attr.kind;
    const double S = static_cast<double>(score);
    if (static_cast<int>(k) == fr.kinds.pretest) pre_max = std::max(pre_max, S);
    for (std::size_t j = 0; j < fr.kinds.require.size(); ++j)
      if (fr.kinds.require[j] == static_cast<int>(k)) require_last[j] = score;
    for (std::size_t j = 0; j < fr.kinds.confirm.size(); ++j)
      if (fr.kinds.confirm[j] == static_cast<int>(k)) confirm_last[j] = score;
    if (fr.skips(k)) {
      waived = waived || (fr.kinds.flags[k] & flag_waiver) != 0;
      return;
    }
    detail::push(run, fr.mp, S, static_cast<double>(attr.weight));
  }
  [[nodiscard]] status decide(const folding_rule& fr, const scale& sc) const {
    const std::optional<double> value = detail::value_of(run, fr.mp);
    auto ignore = [](std::size_t, double) {};
    detail::rule_conditions cond;
    cond.reached = value && *value >= fr.mp.mastery_at;  // sc.reaches_mastery, precomputed
    cond.exceeds = value && *value >= fr.mp.exceeds_at;  // sc.reaches_exceeds
    cond.enough = run.n >= fr.r.min_evidence;
    cond.confirmed = detail::all_confirmed(
        sc, fr.kinds.require.size(),
        [&](std::size_t j) { return static_cast<double>(require_last[j]); }, ignore,
        cond.gate_refused);
    cond.exempt_level = detail::reaches_exemption(fr.r, pre_max, sc);
    cond.exempt_confirmed = cond.exempt_level &&
                            detail::all_confirmed(
                                sc, fr.kinds.confirm.size(),
                                [&](std::size_t j) { return static_cast<double>(confirm_last[j]); },
                                ignore, cond.exempt_refused);
    cond.waived = waived;
    return detail::decide_status(cond);
  }
};

}  // namespace masterymap::detail

#endif  // MASTERYMAP_SRC_DECISION_HPP
