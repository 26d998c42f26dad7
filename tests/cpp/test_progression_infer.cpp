// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// progression::infer: the engine's inference applied to status arrays computed elsewhere. The
// oracle is the engine itself on the same evidence: evaluate, strip `inferred`, infer again,
// compare (random DAGs with rollup units, every option), and the Common Core 4th grader.
#include <doctest/doctest.h>

#include <masterymap/engine.hpp>
#include <masterymap/progression.hpp>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "fixtures.hpp"
#include "progression_fixtures.hpp"

namespace mm = masterymap;

namespace {

constexpr double t0 = pfix::t0;

// A random DAG c0..c{n-1} (random_dag's links, domains and levels) with three units U0..U2,
// each the parent of a contiguous run of lessons [a, b); a unit requires some lessons below its
// run and is required by some lessons above it (so inference reaches a unit through links, and
// goes on below a unit inferred over its parts).
struct unit_instance {
  mm::framework fw;
  mm::policy pol;
  mm::evidence_log log;
};

unit_instance random_units(std::mt19937& rng, int n, double p, mm::infer_prerequisites mode) {
  mm::framework_builder b = pfix::random_dag_builder(rng, n, p, false, "units");
  std::uniform_real_distribution<double> u(0, 1);
  mm::rule r;
  r.ignore_kinds = {"self"};
  unit_instance I{{}, mm::policy(mm::scale::four_point(), r), {}};
  for (int k = 0; k < 3; ++k) {
    const std::string unit = "U" + std::to_string(k);
    b.add_competency(unit, "", "u");
    const int a = k * n / 3, z = a + 1 + static_cast<int>(rng() % 3U);
    std::vector<std::pair<std::string, double>> kids;
    for (int i = a; i < z && i < n; ++i) {
      b.add_child(unit, "c" + std::to_string(i));
      kids.emplace_back("c" + std::to_string(i), 1.0 + i % 2);
    }
    for (int i = 0; i < a; ++i)
      if (u(rng) < 0.2) b.add_prerequisite(unit, "c" + std::to_string(i), mm::strength::required);
    for (int j = z; j < n; ++j)
      if (u(rng) < 0.2) b.add_prerequisite("c" + std::to_string(j), unit, mm::strength::required);
    const auto kind = rng() % 4U;
    I.pol.set_rollup(unit, kind == 0   ? mm::rollup::all_of()
                           : kind == 1 ? mm::rollup::any_of()
                           : kind == 2 ? mm::rollup::k_of_n(static_cast<std::uint32_t>(
                                             std::min<std::size_t>(2, kids.size())))
                                       : mm::rollup::weighted_mean(kids));
  }
  I.fw = b.build();
  I.pol.set_infer_prerequisites(mode);
  // One learner: per lesson nothing, Proficient (earned), Beginning (contrary) or a self-report
  // (not counted: in progress); a little own evidence on units too.
  std::uniform_int_distribution<int> k(0, 19);
  double t = t0;
  for (mm::index_t c = 0; c < I.fw.size(); ++c, t += 60) {
    const int x = k(rng);
    const std::string& id = I.fw.id_of(c);
    if (id[0] == 'U' && x > 2) continue;
    if (x < 5)
      I.log.add_unchecked(mm::evidence("ana", id, t, 3));
    else if (x < 7)
      I.log.add_unchecked(mm::evidence("ana", id, t, 1));
    else if (x < 8)
      I.log.add_unchecked(mm::evidence("ana", id, t, 4, "self"));
  }
  return I;
}

std::vector<mm::status> stripped(std::vector<mm::status> st) {
  for (auto& s : st)
    if (s == mm::status::inferred) s = mm::status::not_started;
  return st;
}

mm::learner_view view(const std::vector<mm::status>& st, const double* scores = nullptr) {
  mm::learner_view v;
  v.statuses = st.data();
  v.scores = scores;
  v.size = st.size();
  return v;
}

}  // namespace

TEST_CASE("progression infer: equals the engine's statuses on random DAGs with rollup units") {
  std::mt19937 rng(1111);
  std::size_t inferred = 0, units_inferred = 0, trials = 0;
  for (int trial = 0; trial < 240; ++trial) {
    const auto mode = static_cast<mm::infer_prerequisites>(trial % 3);
    INFO("trial ", trial, " infer_prerequisites ", std::string(mm::to_string(mode)));
    unit_instance I = random_units(rng, 9 + trial % 20, 0.12 + 0.01 * (trial % 8), mode);
    const mm::engine e(I.fw, I.pol);
    const mm::learner_state st = e.evaluate(I.log, "ana");
    const std::vector<mm::status>& want = st.statuses();
    const auto bare = stripped(want);
    // The engine's cached progression (shares its compiled policy), one compiled from the
    // engine and one from the framework and policy (compiled on first infer).
    const mm::progression from_policy(I.fw, I.pol);
    for (const mm::progression* p : {&e.progression(), &from_policy}) {
      CHECK(p->infer(view(bare, st.scores().data())) == want);
      // Existing `inferred` entries are recomputed: the result does not depend on them.
      CHECK(p->infer(view(want, st.scores().data())) == want);
      auto noisy = bare;
      for (auto& s : noisy)
        if (s == mm::status::not_started && rng() % 3 == 0) s = mm::status::inferred;
      CHECK(p->infer(view(noisy, st.scores().data())) == want);
    }
    // Without scores: only weighted_mean rollups read them (and inferred parts have none).
    CHECK(mm::progression(e).infer(view(bare)) == want);
    for (mm::index_t c = 0; c < I.fw.size(); ++c)
      if (want[c] == mm::status::inferred) {
        ++inferred;
        if (I.fw.id_of(c)[0] == 'U') ++units_inferred;
      }
    ++trials;
  }
  MESSAGE(trials, " trials: ", inferred, " inferred, ", units_inferred, " of them units");
  CHECK(inferred > 100);
  CHECK(units_inferred > 5);  // the rollup fixpoint is exercised
}

TEST_CASE("progression infer: a rollup unit over inferred lessons, by hand") {
  // L1 <- L2 (L2 requires L1); UNIT = all_of(L1, L2); NEXT requires UNIT; M requires L2.
  const mm::framework fw = mm::framework_builder("u")
                               .add_competency("L1")
                               .add_competency("L2")
                               .add_competency("UNIT")
                               .add_competency("NEXT")
                               .add_competency("M")
                               .add_competency("PRE")
                               .add_child("UNIT", "L1")
                               .add_child("UNIT", "L2")
                               .add_prerequisite("L2", "L1")
                               .add_prerequisite("M", "L2")
                               .add_prerequisite("UNIT", "PRE")
                               .add_prerequisite("NEXT", "UNIT")
                               .build();
  mm::policy pol;
  pol.set_rollup("UNIT", mm::rollup::all_of());
  const mm::progression p(fw, pol);
  using S = mm::status;
  std::vector<S> st(6, S::not_started);
  st[fw.index_of("M")] = S::mastered;
  // M mastered: L2 and L1 inferred; UNIT holds over them: inferred; PRE below UNIT: inferred.
  CHECK(p.infer(view(st)) == std::vector<S>{S::inferred, S::inferred, S::inferred, S::not_started,
                                            S::mastered, S::inferred});
  // Contrary evidence on L1 stops inference there, and the unit does not hold.
  st[fw.index_of("L1")] = S::in_progress;
  CHECK(p.infer(view(st)) == std::vector<S>{S::in_progress, S::inferred, S::not_started,
                                            S::not_started, S::mastered, S::not_started});
  // Option none: nothing is inferred (a status array carries no placements).
  pol.set_infer_prerequisites(mm::infer_prerequisites::none);
  st[fw.index_of("L1")] = S::not_started;
  CHECK(mm::progression(fw, pol).infer(view(st)) == stripped(st));
  CHECK(mm::progression(fw, pol) != p);  // another inference rule
  CHECK(p.inference_rule()->infer_prerequisites() == mm::infer_prerequisites::required);
}

TEST_CASE("progression infer: bad input") {
  const mm::framework fw = fixtures::diamond_builder().build();
  const mm::progression p(fw, mm::policy{});
  std::vector<mm::status> st(fw.size() + 1, mm::status::not_started);
  CHECK_THROWS_AS((void)p.infer(view(st)), std::invalid_argument);  // wrong length
  st.pop_back();
  // Compiled from a scale alone: no rule to apply.
  const mm::progression plain(fw, mm::scale::four_point());
  CHECK_FALSE(plain.inference_rule());
  CHECK_THROWS_WITH_AS((void)plain.infer(view(st)), doctest::Contains("no inference rule"),
                       std::invalid_argument);
  // A rollup naming an unknown id: the progression ignores it, infer reports it as the engine
  // would (and keeps reporting it).
  mm::policy bad;
  bad.set_rollup("A", mm::rollup::all_of({"NOPE"}));
  const mm::progression pb(fw, bad);
  CHECK_NOTHROW((void)pb.frontier(view(st)));
  CHECK_THROWS_AS((void)pb.infer(view(st)), mm::policy_error);
  CHECK_THROWS_AS((void)pb.infer(view(st)), mm::policy_error);
}

TEST_CASE("progression infer: the 4th grader on the Common Core map equals the engine") {
  if (!fixtures::have_ccss()) return;
  const auto fw = fixtures::ccss();
  for (auto mode : {mm::infer_prerequisites::none, mm::infer_prerequisites::required,
                    mm::infer_prerequisites::gating}) {
    INFO("infer_prerequisites ", std::string(mm::to_string(mode)));
    mm::policy pol;
    pol.set_infer_prerequisites(mode);
    const mm::engine e(fw, pol);
    mm::evidence_log log;
    // A status array from elsewhere: every grade-3 standard mastered, nothing earlier on file.
    std::vector<mm::status> st(fw.size(), mm::status::not_started);
    for (mm::index_t c = 0; c < fw.size(); ++c)
      if (fw.at(c).level == 3) {
        log.add_unchecked(mm::evidence("maya", fw.id_of(c), t0, 3));
        st[c] = mm::status::mastered;
      }
    const auto want = e.evaluate(log, "maya").statuses();
    const auto got = mm::progression(fw, pol).infer(view(st));
    CHECK(got == want);
    std::size_t n = 0;
    for (auto s : got) n += s == mm::status::inferred;
    MESSAGE("CCSS grade 3 mastered, ", std::string(mm::to_string(mode)), ": ", n, " inferred");
    if (mode == mm::infer_prerequisites::none)
      CHECK(n == 0);
    else
      CHECK(n > 20);
  }
}

TEST_CASE("inner fringe: earned competencies only, none of whose gating dependents is done") {
  // Brute force on random DAGs and random statuses with inferred ones: c is in the inner fringe
  // iff it is earned and no gating dependent of it is done (earned or inferred).
  std::mt19937 rng(2024);
  std::size_t seen_inferred_excluded = 0;
  for (int trial = 0; trial < 200; ++trial) {
    const auto fw = pfix::random_dag(rng, 6 + trial % 20, 0.2);
    const mm::progression p(fw, mm::policy{});
    auto L = pfix::random_state(rng, fw.size());
    for (auto& s : L.st)
      if (s == mm::status::not_started && rng() % 2 == 0) s = mm::status::inferred;
    std::vector<mm::index_t> want;
    for (mm::index_t c = 0; c < fw.size(); ++c) {
      bool above = false;
      for (const auto& e : fw.edges())
        if (e.prerequisite == c && e.strength != mm::strength::recommended &&
            mm::is_done(L.st[e.dependent]))
          above = true;
      if (mm::is_earned(L.st[c]) && !above) want.push_back(c);
      if (L.st[c] == mm::status::inferred && !above) ++seen_inferred_excluded;
    }
    CHECK(p.inner_fringe(L.view()) == want);
  }
  CHECK(seen_inferred_excluded > 50);  // inferred with nothing done above: left out
}
