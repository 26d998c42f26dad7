// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <masterymap/progression.hpp>
#include <random>
#include <set>

#include "fixtures.hpp"
#include "progression_fixtures.hpp"

namespace mm = masterymap;

namespace {

std::vector<std::string> ids(const mm::framework& fw, const std::vector<mm::index_t>& v) {
  std::vector<std::string> out;
  for (auto i : v) out.push_back(fw.id_of(i));
  return out;
}

template <typename T>
std::vector<std::string> ids_of(const std::vector<T>& v) {
  std::vector<std::string> out;
  for (const auto& x : v) out.push_back(x.id);
  return out;
}

using S = std::vector<std::string>;

}  // namespace

TEST_SUITE("progression") {
  // A learning map of 13 levels per domain. One learner is at level 3 in math and level 1 in
  // reading; another is at level 6 in math with gaps at levels 3, 4 and 5. The library reports
  // both correctly, lists the gaps, and proposes next steps.
  TEST_CASE("a 13-level learning map, two learners: levels, gaps and next steps") {
    const mm::framework fw = pfix::learning_map();
    // Without inferred mastery: ben's holes have no evidence of their own, so under the default
    // (infer_prerequisites: required) they are inferred from his mastered level-6 work (see
    // test_inference.cpp); this test is about gaps as holes the learner has.
    mm::policy pol(mm::scale::four_point());
    pol.set_infer_prerequisites(mm::infer_prerequisites::none);
    const mm::engine eng(fw, pol);
    const mm::evidence_log log = pfix::scenario_log();
    const mm::progression prog(eng);
    const mm::learner_state ana = eng.evaluate(log, "ana");
    const mm::learner_state ben = eng.evaluate(log, "ben");
    const auto ana_last = mm::last_evidence_times(ana, log);
    const auto ben_last = mm::last_evidence_times(ben, log);
    mm::learner_view va = mm::view_of(ana), vb = mm::view_of(ben);
    va.last_evidence = ana_last.data();
    vb.last_evidence = ben_last.data();

    SUBCASE("levels") {
      auto am = prog.level(va, "math");
      CHECK(am.level == 3);
      CHECK(am.next_level == 4);
      CHECK(am.next_done == 0);
      CHECK(am.next_total == 3);
      CHECK(am.gaps.empty());
      CHECK(am.levels.size() == 13);
      auto ar = prog.level(va, "reading");
      CHECK(ar.level == 1);
      CHECK(ar.next_level == 2);
      auto bm = prog.level(vb, "math");
      CHECK(bm.level == 6);
      CHECK(ids(fw, bm.gaps) == S{"M03.b", "M04.c", "M05.a"});
      CHECK(bm.gap_levels == std::vector<int>{3, 4, 5});
      CHECK(bm.next_level == 7);
      CHECK(bm.next_progress == 0.0);
      auto br = prog.level(vb, "reading");
      CHECK_FALSE(br.level.has_value());
      CHECK(br.next_level == 1);
      CHECK(ids(fw, br.next_remaining) == S{"R01.a", "R01.b", "R01.c"});
      auto all = prog.levels(vb);
      REQUIRE(all.size() == 2);
      CHECK(all[0].domain == "math");
      CHECK_THROWS_AS((void)prog.level(vb, "science"), mm::unknown_id_error);
      CHECK(mm::level(ben, "math").level == 6);
    }
    SUBCASE("frontier and inner fringe") {
      CHECK(ids(fw, prog.frontier(va)) == S{"M04.a", "M04.b", "M04.c", "R02.a", "R02.b", "R02.c"});
      CHECK(ids(fw, prog.frontier(vb)) ==
            S{"M03.b", "M04.c", "M05.a", "M07.a", "M07.b", "M07.c", "R01.a", "R01.b", "R01.c"});
      CHECK(ids(fw, mm::frontier(ben)) == ids(fw, prog.frontier(vb)));
      CHECK(ids(fw, prog.inner_fringe(va)) ==
            S{"M03.a", "M03.b", "M03.c", "R01.a", "R01.b", "R01.c"});
      // ben: M02.b's only dependent M03.b is not done; M03.a's dependent M04.a is done.
      CHECK(ids(fw, prog.inner_fringe(vb)) ==
            S{"M02.b", "M03.c", "M04.a", "M06.a", "M06.b", "M06.c"});
    }
    SUBCASE("gaps, ranked by what rests on them") {
      CHECK(prog.gaps(va).empty());
      auto g = prog.gaps(vb);
      CHECK(ids_of(g) == S{"M03.b", "M04.c", "M05.a"});
      CHECK(ids(fw, g[0].undermines) == S{"M04.b", "M05.b", "M06.b"});
      CHECK(ids(fw, g[1].undermines) == S{"M05.c", "M06.c"});
      CHECK(ids(fw, g[2].undermines) == S{"M06.a"});
      CHECK(g[0].ready);
      CHECK(g[0].level == 3);
    }
    SUBCASE("recommendations") {
      // Issue 11: the level term weighs the distance from the learner's working level (the
      // highest level with evidence in the domain, or the level after her highest complete
      // level if higher), no longer "lowest open level first" (the old expectations put ana's
      // reading level 2 ahead of her math level 4 work).
      // ana: working level math 4 (M04.a in progress), reading 2 (level 1 complete: the level
      // after it; before the placement work of issue 11 it was 1). M04.* and R02.* score level 1.
      auto ra = prog.recommend(va, 5);
      CHECK(ids_of(ra) == S{"M04.a", "M04.b", "M04.c", "R02.a", "R02.c"});
      CHECK(ra[0].days_since_evidence.has_value());
      CHECK(ra[0].score == doctest::Approx(1 + 1.0 + std::exp(-(15.0 / 24) / 14)));
      CHECK(ra[1].score == doctest::Approx(2.0));  // unlocks M05.b, at the working level
      CHECK(ra[3].score == doctest::Approx(2.0));  // unlocks R03.a, at the working level
      CHECK(ra[1].reasons.back() == "at the learner's working level (4) in math");
      CHECK(ra[3].reasons.back() == "at the learner's working level (2) in reading");
      // ben: working level math 7 (level 6 complete, evidence up to 6); no reading evidence,
      // so reading takes the median of the domains with evidence, 7. His holes at levels 3-5 have
      // no evidence under mastered work: below-level work, ranked after his level-7 work with a
      // placement reason (the old expectations put them first).
      auto rb = prog.recommend(vb, 9);
      CHECK(ids_of(rb) ==
            S{"M07.a", "M07.b", "M07.c", "M03.b", "M04.c", "M05.a", "R01.a", "R01.c", "R01.b"});
      CHECK(rb[0].score == doctest::Approx(1 + 1.0));  // unlocks M08.a, at the working level
      CHECK(rb[0].reasons.back() == "at the learner's working level (7) in math");
      CHECK(rb[3].score == doctest::Approx(3 + 1.0 / 5));  // repairs 3, 4 levels below
      CHECK(rb[3].reasons.front() ==
            "not yet evidenced, 4 levels below the learner's working level (7) in math; "
            "consider a placement");
      CHECK(rb[3].reasons[1] == "fills a gap under 3: M04.b, M05.b, M06.b");
      CHECK(rb[4].score == doctest::Approx(2 + 1.0 / 4));  // repairs 2, 3 below
      CHECK(rb[5].score == doctest::Approx(1 + 1.0 / 3));  // repairs 1, 2 below
      CHECK(rb[6].score == doctest::Approx(1 + 1.0 / 7));  // unlocks R02.a, 6 below
      CHECK(rb[6].reasons.front() ==
            "not yet evidenced, 6 levels below the learner's working level (7) in reading; "
            "consider a placement");
      // Evidence below mastery on a hole makes it a real gap: repaired first.
      {
        std::vector<mm::status> st(vb.statuses, vb.statuses + vb.size);
        std::vector<double> sc(vb.scores, vb.scores + vb.size);
        st[fw.index_of("M03.b")] = mm::status::in_progress;
        sc[fw.index_of("M03.b")] = 1.0;
        mm::learner_view w = vb;
        w.statuses = st.data();
        w.scores = sc.data();
        auto rw = prog.recommend(w, 2);
        CHECK(rw[0].id == "M03.b");
        // repairs 3, 4 levels below, started without an evidence time (recency 0.5)
        CHECK(rw[0].score == doctest::Approx(3 + 1.0 / 5 + 0.5));
        CHECK(rw[0].reasons.front() == "fills a gap under 3: M04.b, M05.b, M06.b");
      }
      // With a goal, the path towards it wins.
      mm::recommend_options o;
      o.goals = {fw.index_of("M09.b")};
      auto rg = prog.recommend(vb, 2, o);
      CHECK(rg[0].id == "M03.b");
      CHECK(rg[0].goal_distance == 6U);
    }
    SUBCASE("blocked_by in learning order, with needed levels") {
      auto b = prog.blocked_by(va, fw.index_of("R04.b"));
      CHECK(ids_of(b) == S{"R02.a", "R02.b", "R03.a", "R03.b"});
      CHECK(b[0].needed == "mastered");  // R03.a requires it (R03.b is only familiar with it)
      CHECK(b[1].needed == "mastered");
      CHECK(b[2].needed == "Developing");  // familiar: the scale's lowest rating above the bottom
      CHECK(b[2].needed_level == 2.0);
      CHECK_FALSE(b[0].needed_level.has_value());
      CHECK(b[0].ready);
      CHECK(ids(fw, b[0].blocks) == S{"R03.a", "R03.b"});
      CHECK(b[2].distance == 1);
      CHECK(ids(fw, b[1].blocks) == S{"R03.b"});
      CHECK(prog.blocked_by(va, fw.index_of("M04.b")).empty());  // ready
      CHECK(prog.blocked_by(va, fw.index_of("M01.a")).empty());  // done
      CHECK(ids_of(mm::blocked_by(ana, "M06.a")) == S{"M04.a", "M05.a"});
    }
    SUBCASE("path to a goal: nearest-to-ready first, projected duration") {
      auto p = prog.path_to(vb, {fw.index_of("M08.a"), fw.index_of("M06.a")}, 0.5);
      // M06.a is done; the gap M05.a below it is not needed to reach M08.a.
      CHECK(ids_of(p.steps) == S{"M07.a", "M08.a"});
      CHECK(ids(fw, p.goals) == S{"M08.a"});
      CHECK(p.length() == 2);
      CHECK(p.days == 4.0);
      auto q = prog.path_to(va, {fw.index_of("M06.c")});
      // M04.a is started and ready; M04.c is ready; M05.c needs M04.c.
      CHECK(ids_of(q.steps) == S{"M04.c", "M05.c", "M06.c"});
      auto r2 = prog.path_to(va, {fw.index_of("M06.a"), fw.index_of("M05.b")});
      CHECK(ids_of(r2.steps) == S{"M04.a", "M04.b", "M05.a", "M05.b", "M06.a"});
      CHECK_THROWS_AS((void)prog.path_to(va, {0}, 0.0), std::invalid_argument);
    }
  }

  TEST_CASE("the engine's cached progression and the evidence times of a state") {
    const mm::framework fw = pfix::learning_map();
    const mm::engine eng(fw, mm::policy(mm::scale::four_point()));
    const mm::evidence_log log = pfix::scenario_log();
    const mm::learner_state ana = eng.evaluate(log, "ana");
    const std::vector<mm::learner_state> all = eng.evaluate_all(log);
    SUBCASE("one progression per engine, built once, shared by its states and copies") {
      const mm::progression& p = eng.progression();
      CHECK(&ana.progression() == &p);
      for (const auto& st : all) CHECK(&st.progression() == &p);
      const mm::engine copy = eng;
      CHECK(&copy.progression() == &p);
      const mm::learner_state moved_from_copy = ana;
      CHECK(&moved_from_copy.progression() == &p);
      const mm::engine other(fw, mm::policy(mm::scale::four_point()));
      CHECK(&other.progression() != &p);
      CHECK(p.frontier(mm::view_of(ana)) ==
            mm::progression(fw, mm::policy(mm::scale::four_point())).frontier(mm::view_of(ana)));
      CHECK(mm::frontier(ana) == p.frontier(mm::view_of(ana)));
      CHECK_THROWS_AS((void)mm::learner_state().progression(), std::logic_error);
    }
    SUBCASE("evidence_row_range is evidence_rows without a copy") {
      for (mm::index_t c = 0; c < ana.size(); ++c) {
        const auto [first, last] = ana.evidence_row_range(c);
        CHECK(std::vector<std::uint32_t>(first, last) == ana.evidence_rows(c));
      }
      CHECK_THROWS_AS((void)ana.evidence_row_range(static_cast<mm::index_t>(ana.size())),
                      std::out_of_range);
    }
    SUBCASE("last_evidence_times: the latest time up to as_of, NaN without evidence") {
      mm::evaluate_options o;
      o.as_of = pfix::t0 + 5 * 3600;  // the first six pieces of ana's evidence
      const mm::learner_state early = eng.evaluate(log, "ana", o);
      const auto t = mm::last_evidence_times(early, log);
      REQUIRE(t.size() == fw.size());
      std::size_t dated = 0;
      for (mm::index_t c = 0; c < fw.size(); ++c) {
        double want = std::numeric_limits<double>::quiet_NaN();
        for (std::uint32_t r : early.evidence_rows(c))
          if (log.times()[r] <= *o.as_of && !(log.times()[r] <= want)) want = log.times()[r];
        if (std::isnan(want)) {
          CHECK(std::isnan(t[c]));
        } else {
          CHECK(t[c] == want);
          ++dated;
        }
      }
      CHECK(dated == 6);
    }
  }

  TEST_CASE("familiar levels: default, explicit min_level, two-rating scales") {
    mm::framework_builder b;
    b.add_competency("A").add_competency("B").add_competency("C").add_competency("D");
    b.add_prerequisite("B", "A", mm::strength::familiar);
    b.add_prerequisite("C", "A", mm::strength::familiar, 3.0);
    b.add_prerequisite("D", "A", mm::strength::recommended);
    const mm::framework fw = b.build();
    std::vector<mm::status> st{mm::status::in_progress, mm::status::not_started,
                               mm::status::not_started, mm::status::not_started};
    std::vector<double> sc{1.0, NAN, NAN, NAN};
    mm::learner_view v;
    v.statuses = st.data();
    v.scores = sc.data();
    v.size = 4;
    const mm::progression four(fw, mm::scale::four_point());
    CHECK(ids(fw, four.frontier(v)) == S{"A", "D"});  // Beginning is below Developing
    sc[0] = 2.0;
    CHECK(ids(fw, four.frontier(v)) == S{"A", "B", "D"});
    sc[0] = 3.0;  // Proficient score but not mastered (e.g. a missing teacher check)
    st[0] = mm::status::awaiting_confirmation;
    CHECK(ids(fw, four.frontier(v)) == S{"A", "B", "C", "D"});
    CHECK(four.attainment_label(2) == "Developing");
    CHECK(four.attainment_label(3) == "Proficient");
    // A percent scale has no rating between the bottom and mastery: familiar = started.
    const mm::progression pct(fw, mm::scale::percent(80));
    sc[0] = 0.1;
    st[0] = mm::status::in_progress;
    CHECK(ids(fw, pct.frontier(v)) == S{"A", "B", "D"});
    st[0] = mm::status::not_started;
    CHECK(ids(fw, pct.frontier(v)) == S{"A", "D"});
    st[0] = mm::status::exempt;
    CHECK(ids(fw, pct.frontier(v)) == S{"B", "C", "D"});
  }

  TEST_CASE("random DAGs: frontier, blocked_by, blockers and gaps equal brute force") {
    std::mt19937 rng(20260401);
    for (int round = 0; round < 60; ++round) {
      const int n = 5 + round % 40;
      const mm::framework fw = pfix::random_dag(rng, n, round % 3 == 0 ? 0.3 : 0.1);
      const mm::progression prog(fw, mm::scale::four_point());
      for (int k = 0; k < 5; ++k) {
        const auto L = pfix::random_state(rng, fw.size());
        const auto v = L.view();
        REQUIRE(prog.frontier(v) == pfix::brute_frontier(fw, L));
        for (mm::index_t t = 0; t < fw.size(); ++t) {
          std::vector<mm::index_t> got;
          for (const auto& x : prog.blocked_by(v, t)) got.push_back(x.competency);
          REQUIRE(got == pfix::brute_blocked(fw, L, t));
        }
        {
          std::vector<mm::index_t> got_b;
          for (const auto& x : prog.blockers(v)) got_b.push_back(x.competency);
          REQUIRE(got_b == pfix::brute_blockers(fw, L));
        }
        auto want = pfix::brute_gaps(fw, L);
        auto got = prog.gaps(v);
        REQUIRE(got.size() == want.size());
        std::sort(want.begin(), want.end());
        std::vector<std::pair<mm::index_t, std::vector<mm::index_t>>> g2;
        for (const auto& x : got) g2.emplace_back(x.competency, x.undermines);
        for (std::size_t i = 1; i < got.size(); ++i)
          REQUIRE(got[i - 1].undermines.size() >= got[i].undermines.size());
        std::sort(g2.begin(), g2.end());
        REQUIRE(g2 == want);
        // Paths: every step's prerequisites inside the path come first.
        std::vector<mm::index_t> goals{static_cast<mm::index_t>(fw.size() - 1),
                                       static_cast<mm::index_t>(fw.size() / 2)};
        auto path = prog.path_to(v, goals);
        std::vector<int> pos(fw.size(), -1);
        for (std::size_t i = 0; i < path.steps.size(); ++i)
          pos[path.steps[i].competency] = static_cast<int>(i);
        for (const auto& e : fw.edges())
          if (pos[e.prerequisite] >= 0 && pos[e.dependent] >= 0)
            REQUIRE(pos[e.prerequisite] < pos[e.dependent]);
        std::set<mm::index_t> expect;
        for (auto gi : goals)
          if (!mm::is_done(L.st[gi])) {
            expect.insert(gi);
            for (auto x : pfix::brute_blocked(fw, L, gi)) expect.insert(x);
          }
        std::set<mm::index_t> got_steps;
        for (const auto& step : path.steps) got_steps.insert(step.competency);
        REQUIRE(got_steps == expect);
        REQUIRE(got_steps.size() == path.steps.size());
      }
    }
  }

  TEST_CASE(
      "level: random maps of domains, levels, dispositions and unleveled work equal brute force") {
    std::mt19937 rng(20261201);
    std::uniform_int_distribution<int> pick(0, 99);
    for (int round = 0; round < 40; ++round) {
      const int n = 3 + round * 3;
      mm::framework_builder b("levels");
      const std::vector<std::string> domains{"A", "B", "C", ""};
      for (int i = 0; i < n; ++i) {
        mm::competency c;
        c.id = "c" + std::to_string(i);
        c.domain = domains[static_cast<std::size_t>(pick(rng)) % domains.size()];
        if (pick(rng) < 85) c.level = pick(rng) % (2 + round % 13) - 1;  // some negative
        if (pick(rng) < 10) c.kind = mm::competency_kind::disposition;
        b.add_competency(c);
      }
      const mm::framework fw = b.build();
      const mm::progression prog(fw, mm::scale::four_point());
      for (int k = 0; k < 20; ++k) {
        const auto L = pfix::random_state(rng, fw.size());
        for (const auto& d : fw.domains())
          REQUIRE(prog.level(L.view(), d) == pfix::brute_level(fw, L.st, d));
        CHECK_THROWS_AS((void)prog.level(L.view(), "no such domain"), mm::unknown_id_error);
      }
    }
  }

  TEST_CASE("frontier_tracker: incremental updates equal recomputation") {
    std::mt19937 rng(7);
    const mm::framework fw = pfix::random_dag(rng, 60, 0.08);
    const mm::progression prog(fw, mm::scale::four_point());
    auto L = pfix::random_state(rng, fw.size());
    mm::frontier_tracker tr(prog, L.view());
    std::uniform_int_distribution<int> pick(0, static_cast<int>(fw.size()) - 1);
    for (int step = 0; step < 2000; ++step) {
      const auto c = static_cast<mm::index_t>(pick(rng));
      auto one = pfix::random_state(rng, 1);
      L.st[c] = one.st[0];
      L.sc[c] = one.sc[0];
      tr.set(c, L.st[c], L.sc[c]);
      const auto want = prog.frontier(L.view());
      REQUIRE(tr.frontier() == want);
      REQUIRE(tr.frontier_size() == want.size());
    }
  }

  TEST_CASE("CCSS map with synthetic learners") {
    if (!fixtures::have_ccss()) return;
    const mm::framework fw = fixtures::ccss();
    const mm::progression prog(fw, mm::scale::four_point());
    std::mt19937 rng(11);
    // A learner who mastered everything up to grade 3, and some of grade 4.
    pfix::random_learner L;
    std::uniform_real_distribution<double> u(0, 1);
    for (mm::index_t c = 0; c < fw.size(); ++c) {
      const int g = fw.at(c).level.value_or(99);
      const bool m = g <= 3 || (g == 4 && u(rng) < 0.5);
      L.st.push_back(m ? mm::status::mastered : mm::status::not_started);
      L.sc.push_back(m ? 3.0 : NAN);
    }
    const auto v = L.view();
    const auto f = prog.frontier(v);
    CHECK(f == pfix::brute_frontier(fw, L));
    CHECK_FALSE(f.empty());
    for (auto c : f) CHECK(fw.at(c).level.value_or(0) >= 4);
    CHECK(prog.gaps(v).size() == pfix::brute_gaps(fw, L).size());
    auto lv = prog.levels(v);
    CHECK_FALSE(lv.empty());
    for (const auto& d : lv) {
      int below = -1;  // every level up to grade 3 is mastered
      for (int l : d.levels)
        if (l <= 3) below = l;
      if (below >= 0) CHECK(d.level.value_or(-1) >= below);
    }
    const auto rec = prog.recommend(v, 5);
    CHECK(rec.size() == 5);
    for (std::size_t i = 1; i < rec.size(); ++i) CHECK(rec[i - 1].score >= rec[i].score);
    const auto goal = fw.index_of("8.EE.C.8");
    auto p = prog.path_to(v, {goal}, 1.0 / 7);
    CHECK(p.steps.back().id == "8.EE.C.8");
    CHECK(*p.days == doctest::Approx(7.0 * static_cast<double>(p.length())));
  }
}

TEST_SUITE("progression: advice a teacher can trust (issue 11)") {
  // A -> B -> C and E -> F, all required. B is mastered over an unstarted A (a hole under done
  // work); C is in progress and ready (B is done); F is in progress over an unstarted E.
  TEST_CASE(
      "a gap is a hole under done work, while unmet prerequisites of work in progress block it") {
    mm::framework_builder b;
    for (auto id : {"A", "B", "C", "E", "F"}) b.add_competency(id);
    b.add_prerequisite("B", "A").add_prerequisite("C", "B").add_prerequisite("F", "E");
    const mm::framework fw = b.build();
    const mm::progression prog(fw, mm::scale::four_point());
    pfix::random_learner L;
    L.st = {mm::status::not_started, mm::status::mastered, mm::status::in_progress,
            mm::status::not_started, mm::status::in_progress};
    L.sc = {NAN, 3.0, 2.0, NAN, 1.0};
    const auto v = L.view();
    const auto g = prog.gaps(v);
    REQUIRE(g.size() == 1);
    CHECK(g[0].id == "A");
    CHECK(ids(fw, g[0].undermines) == S{"B"});  // C is only in progress: not undermined
    const auto bl = prog.blockers(v);
    REQUIRE(bl.size() == 1);
    CHECK(bl[0].id == "E");
    CHECK(ids(fw, bl[0].blocks) == S{"F"});
    CHECK(bl[0].ready);
    CHECK(bl[0].needed == "mastered");
    // In progress on both sides: B in progress, so A blocks B and is no gap.
    L.st[1] = mm::status::in_progress;
    CHECK(prog.gaps(L.view()).empty());
    CHECK(ids_of(prog.blockers(L.view())) == S{"A", "B", "E"});  // B blocks C, A blocks B
    // Awaiting the teacher's check is not done: it anchors no gap either.
    L.st[1] = mm::status::awaiting_confirmation;
    CHECK(prog.gaps(L.view()).empty());
  }

  // UNIT1 = {OA.1, OA.2}, UNIT2 = {OA.3}; OA.1 -> OA.2 and UNIT1 -> UNIT2 required; every parent
  // rolls up (default rollup all_of).
  TEST_CASE("a rollup parent is not a learning target: frontier, tracker, recommend, path_to") {
    mm::framework_builder b;
    for (auto id : {"UNIT1", "OA.1", "OA.2", "UNIT2", "OA.3"}) b.add_competency(id);
    b.add_child("UNIT1", "OA.1").add_child("UNIT1", "OA.2").add_child("UNIT2", "OA.3");
    b.add_prerequisite("OA.2", "OA.1").add_prerequisite("UNIT2", "UNIT1");
    const mm::framework fw = b.build();
    mm::policy pol(mm::scale::four_point());
    pol.set_default_rollup(mm::rollup::all_of());
    const mm::progression prog(fw, pol);
    CHECK_FALSE(prog.is_learning_target(fw.index_of("UNIT1")));
    CHECK(prog.is_learning_target(fw.index_of("OA.1")));
    REQUIRE(prog.rollups().size() == 2);
    CHECK(ids(fw, prog.rollups()[0].second) == S{"OA.1", "OA.2"});
    pfix::random_learner L;
    L.st.assign(5, mm::status::not_started);
    L.sc.assign(5, NAN);
    // A new learner: before issue 11 the frontier started with the unit itself.
    CHECK(ids(fw, prog.frontier(L.view())) == S{"OA.1", "OA.3"});
    CHECK(ids_of(prog.recommend(L.view(), 5)) == S{"OA.1", "OA.3"});
    mm::frontier_tracker tr(prog, L.view());
    CHECK(tr.frontier() == prog.frontier(L.view()));
    // A goal that is a rollup parent: its parts, and the parts of the parent it requires, in
    // order (UNIT1's parts before UNIT2's).
    const auto p = prog.path_to(L.view(), {fw.index_of("UNIT2")});
    CHECK(ids(fw, p.goals) == S{"UNIT2"});
    CHECK(ids_of(p.steps) == S{"OA.1", "OA.2", "OA.3"});
    // Done parts leave the path; the rollup decides UNIT1 (the engine's status).
    L.st[1] = L.st[2] = L.st[0] = mm::status::mastered;
    tr.set(1, mm::status::mastered, 3.0);
    tr.set(2, mm::status::mastered, 3.0);
    tr.set(0, mm::status::mastered, 3.0);
    CHECK(ids(fw, prog.frontier(L.view())) == S{"OA.3"});
    CHECK(tr.frontier() == prog.frontier(L.view()));
    CHECK(ids_of(prog.path_to(L.view(), {fw.index_of("UNIT2")}).steps) == S{"OA.3"});
    // Compiled from a scale alone there are no rollups: every competency is a target.
    const mm::progression plain(fw, mm::scale::four_point());
    L.st.assign(5, mm::status::not_started);
    CHECK(ids(fw, plain.frontier(L.view())) == S{"UNIT1", "OA.1", "OA.3"});
    CHECK(plain != prog);
    // Explicit rollup parents give the same answers, but no inference rule (`infer` needs the
    // policy's rollups and option): equal only in their rollups since progression::infer.
    const mm::progression explicit_parents(fw, mm::scale::four_point(), prog.rollups());
    CHECK(explicit_parents.rollups() == prog.rollups());
    CHECK(explicit_parents != prog);
    CHECK(mm::progression(fw, pol) == prog);
    CHECK_THROWS_AS(mm::progression(fw, mm::scale::four_point(), {{7, {}}}), std::out_of_range);
    // The bulk flags agree.
    std::vector<std::uint8_t> codes(5), flags(5);
    prog.encode(L.st.data(), L.sc.data(), codes.data());
    prog.frontier_flags(codes.data(), flags.data());
    CHECK(flags == std::vector<std::uint8_t>{0, 1, 0, 0, 1});
  }

  TEST_CASE("random DAGs with rollup parents: frontier, tracker and paths list targets only") {
    std::mt19937 rng(1111);
    for (int round = 0; round < 30; ++round) {
      const int n = 8 + round % 20;
      const mm::framework fw = pfix::random_dag(rng, n, 0.15);
      // Random rollup parents over random parts (any competency, as a policy may name them).
      std::vector<std::pair<mm::index_t, std::vector<mm::index_t>>> rollups;
      std::vector<char> target(fw.size(), 1);
      for (mm::index_t c = 0; c < fw.size(); ++c)
        if (rng() % 5 == 0) {
          std::vector<mm::index_t> parts;
          for (int k = 0; k < 3; ++k) {
            const auto x = static_cast<mm::index_t>(rng() % fw.size());
            if (x != c) parts.push_back(x);
          }
          rollups.emplace_back(c, parts);
          target[c] = 0;
        }
      const mm::progression prog(fw, mm::scale::four_point(), rollups);
      for (int k = 0; k < 4; ++k) {
        auto L = pfix::random_state(rng, fw.size());
        std::vector<mm::index_t> want;
        for (auto c : pfix::brute_frontier(fw, L))
          if (target[c]) want.push_back(c);
        REQUIRE(prog.frontier(L.view()) == want);
        mm::frontier_tracker tr(prog, L.view());
        const auto c = static_cast<mm::index_t>(rng() % fw.size());
        L.st[c] = mm::status::mastered;
        tr.set(c, mm::status::mastered, 3.0);
        REQUIRE(tr.frontier() == prog.frontier(L.view()));
        for (const auto& r : prog.recommend(L.view(), fw.size())) REQUIRE(target[r.competency]);
        const auto p = prog.path_to(L.view(), {static_cast<mm::index_t>(fw.size() - 1)});
        for (const auto& s : p.steps) REQUIRE(target[s.competency]);
      }
    }
  }
}

TEST_SUITE("progression: the 4th grader on the CCSS map (issue 11)") {
  // Every grade-3 standard mastered, nothing earlier on file; grade-4 NF and OA in progress.
  TEST_CASE("CCSS: a 4th grader with this year's evidence only") {
    if (!fixtures::have_ccss()) {
      MESSAGE("skipped: the CCSS coherence map (../shared/data) is absent");
      return;
    }
    const mm::framework fw = fixtures::ccss();
    const mm::progression prog(fw, mm::scale::four_point());
    pfix::random_learner L;
    for (mm::index_t c = 0; c < fw.size(); ++c) {
      const auto& comp = fw.at(c);
      const int g = comp.level.value_or(99);
      const bool g4 = g == 4 && (comp.domain == "NF" || comp.domain == "OA");
      L.st.push_back(g == 3 ? mm::status::mastered
                            : (g4 ? mm::status::in_progress : mm::status::not_started));
      L.sc.push_back(g == 3 ? 3.0 : (g4 ? 2.0 : NAN));
    }
    const auto v = L.view();
    const auto low = [&](mm::index_t c) { return fw.at(c).level.value_or(99) <= 2; };
    // The top recommendations are not K-2 standards.
    const auto rec = prog.recommend(v, 10);
    REQUIRE(rec.size() == 10);
    for (const auto& r : rec) CHECK_MESSAGE(!low(r.competency), r.id);
    // Every K-2 standard that is recommended at all comes after all other work, and says why.
    const auto f = prog.frontier(v);
    const auto all = prog.recommend(v, f.size());
    bool seen_low = false;
    std::size_t low_on_frontier = 0;
    for (const auto& r : all) {
      if (low(r.competency)) {
        seen_low = true;
        ++low_on_frontier;
        CHECK(r.reasons.front().rfind("not yet evidenced, ", 0) == 0);
        CHECK(r.reasons.front().find("consider a placement") != std::string::npos);
      } else {
        CHECK_MESSAGE(!seen_low, r.id);  // no work at or above grade 3 after a K-2 standard
      }
    }
    // No in-progress prerequisite is a gap: gaps rest on done work only.
    const auto gaps = prog.gaps(v);
    for (const auto& g : gaps) {
      CHECK(L.st[g.competency] != mm::status::in_progress);
      for (auto u : g.undermines) CHECK(mm::is_done(L.st[u]));
    }
    // What blocks the grade-4 work in progress is listed as blockers.
    for (const auto& b : prog.blockers(v))
      for (auto x : b.blocks) CHECK((L.st[x] == mm::status::in_progress || !mm::is_done(L.st[x])));
    std::size_t k2 = 0;
    for (mm::index_t c = 0; c < fw.size(); ++c) k2 += low(c) ? 1U : 0U;
    MESSAGE("CCSS 4th grader: ", gaps.size(), " gaps (all K-2, under mastered grade-3 work), ",
            prog.blockers(v).size(), " blockers, ", low_on_frontier, " of ", k2,
            " K-2 standards on a frontier of ", f.size(), " (ranked last, 'consider a placement')");
    CHECK(low_on_frontier == static_cast<std::size_t>(std::count_if(f.begin(), f.end(), low)));
  }
}

// recommend's ranking tiers (the rules in progression.hpp): work within one level of the
// learner's first; then unevidenced work two or more levels above; then unevidenced work below
// it, unless it is behind failed work (below a contrary competency that is under done work).
TEST_CASE("recommend: far-above work after work at the level, holes behind failed work first") {
  mm::framework_builder b;
  const auto add = [&](const char* id, int level) {
    mm::competency c;
    c.id = id;
    c.domain = "M";
    c.level = level;
    b.add_competency(c);
  };
  add("U", 1);  // under X, which failed under mastered D: a hole
  add("X", 2);
  add("D", 3);
  add("V", 1);  // under Z, work in progress no done work rests on
  add("Z", 2);
  add("G", 4);  // one level above: at the level
  add("H", 3);
  add("F", 5);  // two levels above, no prerequisites: ahead
  b.add_prerequisite("X", "U");
  b.add_prerequisite("D", "X");
  b.add_prerequisite("Z", "V");
  const mm::framework fw = b.build();
  const mm::progression prog(fw, mm::scale::four_point());
  pfix::random_learner L;
  for (mm::index_t c = 0; c < fw.size(); ++c) {
    const std::string& id = fw.id_of(c);
    L.st.push_back(id == "D"                ? mm::status::mastered
                   : id == "X" || id == "Z" ? mm::status::in_progress
                                            : mm::status::not_started);
    L.sc.push_back(id == "D" ? 3.0 : (id == "X" || id == "Z") ? 1.0 : NAN);
  }
  const auto rec = prog.recommend(L.view(), fw.size());
  std::vector<std::string> order;
  for (const auto& r : rec) order.push_back(r.id);
  CAPTURE(order.size());
  const auto at = [&](const char* id) {
    return std::find(order.begin(), order.end(), id) - order.begin();
  };
  REQUIRE(order.size() == 5);  // U, V, G, H, F are ready; X, Z wait on U, V; D is done
  CHECK(at("F") > at("G"));
  CHECK(at("F") > at("H"));
  CHECK(at("F") > at("U"));
  CHECK(at("V") == 4);  // below the level, nothing done rests on it: last
  const auto& u = rec[static_cast<std::size_t>(at("U"))];
  const auto& v = rec[static_cast<std::size_t>(at("V"))];
  CHECK(u.repairs == std::vector<mm::index_t>{fw.index_of("D")});
  for (const auto& why : u.reasons) CHECK(why.find("consider a placement") == std::string::npos);
  CHECK(v.reasons.front().rfind("not yet evidenced, 2 levels below", 0) == 0);
  CHECK(rec[static_cast<std::size_t>(at("F"))].reasons.back() ==
        "2 levels above the learner's working level (3) in M");
}
