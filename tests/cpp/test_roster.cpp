// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <limits>
#include <masterymap/roster.hpp>
#include <random>
#include <utility>
#include <vector>

#include "fixtures.hpp"
#include "progression_fixtures.hpp"

namespace mm = masterymap;

namespace {

std::vector<mm::evidence> random_events(std::mt19937& rng, const mm::framework& fw, int learners,
                                        int n, double t0, bool with_custom_kind = false) {
  std::uniform_int_distribution<int> L(0, learners - 1), C(0, static_cast<int>(fw.size()) - 1),
      S(1, 4), K(0, 3);
  std::vector<mm::evidence> out;
  for (int i = 0; i < n; ++i) {
    const char* kinds[] = {"formative", "summative", "discussion", "pretest"};
    std::string kind = kinds[K(rng)];
    if (with_custom_kind && i % 17 == 0) kind = "portfolio";
    out.emplace_back("s" + std::to_string(L(rng)), fw.id_of(static_cast<mm::index_t>(C(rng))),
                     t0 + 3600.0 * (i / 3), S(rng), kind, 1.0, i % 2 ? "t1" : "");
  }
  return out;
}

bool same_double(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

void check_equal_tables(const mm::roster& r, const mm::ratings_table& t) {
  REQUIRE(r.learners() == t.learners);
  // engine::ratings' table is long-form: expand it to the roster's dense learners x competencies.
  const std::size_t n = t.competencies, cells = t.learners.size() * n;
  std::vector<mm::status> st(cells, mm::status::not_started);
  std::vector<double> sc(cells, std::numeric_limits<double>::quiet_NaN());
  std::vector<std::int8_t> rt(cells, -1);
  for (std::size_t k = 0; k < t.learner.size(); ++k) {
    const std::size_t cell = std::size_t{t.learner[k]} * n + t.competency[k];
    st[cell] = t.statuses[k];
    sc[cell] = t.scores[k];
    rt[cell] = t.ratings[k];
  }
  REQUIRE(r.statuses() == st);
  REQUIRE(r.ratings() == rt);
  const std::vector<double> scores = r.scores();  // (built on demand: once)
  REQUIRE(scores.size() == sc.size());
  for (std::size_t i = 0; i < sc.size(); ++i) REQUIRE(same_double(scores[i], sc[i]));
  // The sparse form: each learner's stored cells are exactly its entries of the long-form table
  // that are neither the default nor only inferred (those are bits), ascending by competency,
  // with their attainment codes; its materialised row is its slice of the dense tables.
  std::size_t stored = 0;
  mm::learner_row row;
  for (std::size_t l = 0; l < t.learners.size(); ++l) {
    std::vector<std::size_t> want;
    for (std::size_t c = 0; c < n; ++c) {
      const std::size_t i = l * n + c;
      const bool plain = st[i] == mm::status::not_started && std::isnan(sc[i]) && rt[i] == -1;
      const bool inferred_only = st[i] == mm::status::inferred && std::isnan(sc[i]) && rt[i] == -1;
      if (!plain && !inferred_only) want.push_back(c);
      REQUIRE(r.inferred(l).test(c) == inferred_only);
    }
    const mm::roster_bits bits = r.inferred(l);
    REQUIRE(bits.size() == (n + 63) / 64);
    for (std::size_t c = n; c < 64 * bits.size(); ++c) REQUIRE_FALSE(bits.test(c));
    const mm::roster_cells got = r.cells(l);
    REQUIRE(got.size() == want.size());
    for (std::size_t k = 0; k < want.size(); ++k) {
      const mm::roster_cell& x = got.begin()[k];
      const std::size_t i = l * n + want[k];
      REQUIRE(x.competency == want[k]);
      REQUIRE(x.status == st[i]);
      REQUIRE(x.rating == rt[i]);
      REQUIRE(same_double(x.score, sc[i]));
      REQUIRE(x.attainment == r.progression().attainment(st[i], sc[i]));
    }
    stored += want.size();
    r.row(l, row);
    REQUIRE(row.statuses.size() == n);
    for (std::size_t c = 0; c < n; ++c) {
      const std::size_t i = l * n + c;
      REQUIRE(row.statuses[c] == st[i]);
      REQUIRE(row.ratings[c] == rt[i]);
      REQUIRE(same_double(row.scores[c], sc[i]));
      REQUIRE(row.attainments[c] == r.progression().attainment(st[i], sc[i]));
    }
  }
  REQUIRE(r.cell_count() == stored);
  CHECK_THROWS_AS((void)r.cells(r.size()), std::out_of_range);
  CHECK_THROWS_AS((void)r.row(r.size()), std::out_of_range);
  CHECK_THROWS_AS((void)r.inferred(r.size()), std::out_of_range);
}

void check_same_roster(const mm::roster& a, const mm::roster& b) {
  REQUIRE(a.learners() == b.learners());
  REQUIRE(a.statuses() == b.statuses());
  REQUIRE(a.ratings() == b.ratings());
  REQUIRE(a.attainments() == b.attainments());
  const std::vector<double> as = a.scores(), bs = b.scores();  // (built on demand: once)
  REQUIRE(as.size() == bs.size());
  for (std::size_t i = 0; i < as.size(); ++i) REQUIRE(same_double(as[i], bs[i]));
  REQUIRE(same_double(a.as_of(), b.as_of()));
  REQUIRE(a.frontier_matrix() == b.frontier_matrix());
  REQUIRE(a.log().size() == b.log().size());
}

mm::policy test_policy() {
  mm::rule r;
  r.method = mm::method::decaying_average(0.65);
  r.min_evidence = 2;
  r.exempt_on_pretest = 4.0;
  return mm::policy(mm::scale::four_point(), r);
}

}  // namespace

TEST_SUITE("roster") {
  TEST_CASE("incremental ingest equals a full evaluation, whatever the batches and threads") {
    if (!fixtures::have_ccss()) return;
    const mm::framework fw = fixtures::ccss();
    const mm::policy pol = test_policy();
    const mm::engine eng(fw, pol);
    std::mt19937 rng(5);
    const auto events = random_events(rng, fw, 150, 6000, pfix::t0, true);
    mm::roster_options o1;
    o1.threads = 1;
    mm::roster one(fw, pol, o1), many(fw, pol, {3, std::nullopt, nullptr});
    std::size_t pos = 0;
    std::uniform_int_distribution<int> chunk(1, 900);
    while (pos < events.size()) {
      const std::size_t n =
          std::min<std::size_t>(events.size() - pos, static_cast<std::size_t>(chunk(rng)));
      std::vector<mm::evidence> batch(events.begin() + static_cast<std::ptrdiff_t>(pos),
                                      events.begin() + static_cast<std::ptrdiff_t>(pos + n));
      auto s = one.ingest(batch);
      CHECK(s.rows == n);
      CHECK_FALSE(s.full);
      CHECK(s.learners_touched <= n);
      (void)many.ingest(batch);
      pos += n;
      mm::evaluate_options eo;
      eo.as_of = one.as_of();
      check_equal_tables(one, eng.ratings(one.log(), eo));
    }
    check_same_roster(one, many);
    CHECK(one.size() == 150);
    // learner(): the full engine state equals the row.
    const auto st = one.learner("s7");
    const auto l = one.index_of("s7");
    const auto table = one.statuses();
    for (mm::index_t c = 0; c < fw.size(); ++c) REQUIRE(st.status(c) == table[l * fw.size() + c]);
    CHECK_THROWS_AS((void)one.learner("nobody"), mm::unknown_id_error);
    // frontier matrix rows equal the per-learner frontier (every learner: 150 = 9 groups of 16
    // and a partial one).
    const auto fm = one.frontier_matrix();
    for (std::size_t k = 0; k < one.size(); ++k) {
      const mm::learner_row row = one.row(k);
      std::vector<mm::index_t> want = one.progression().frontier(row), got;
      for (mm::index_t c = 0; c < fw.size(); ++c)
        if (fm[k * fw.size() + c]) got.push_back(c);
      REQUIRE(got == want);
    }
  }

  TEST_CASE("a time-dependent policy re-evaluates everyone when the evaluation time moves") {
    const mm::framework fw = pfix::learning_map();
    mm::rule r;
    r.expires_after_days = 2.0;
    const mm::policy pol(mm::scale::four_point(), r);
    const mm::engine eng(fw, pol);
    mm::roster ro(fw, pol);
    ro.ingest(std::vector<mm::evidence>{{"a", "M01.a", pfix::t0, 3}, {"b", "M01.a", pfix::t0, 3}});
    CHECK(ro.statuses()[0] == mm::status::mastered);
    auto s = ro.ingest(std::vector<mm::evidence>{{"a", "M01.b", pfix::t0 + 5 * pfix::day, 3}});
    CHECK(s.full);
    CHECK(s.learners_touched == 2);
    CHECK(ro.statuses()[0] == mm::status::expired);
    CHECK(ro.statuses()[ro.index_of("b") * fw.size()] == mm::status::expired);
    mm::evaluate_options eo;
    eo.as_of = ro.as_of();
    check_equal_tables(ro, eng.ratings(ro.log(), eo));
  }

  TEST_CASE("roster::inferred: the inferred-only competencies as bits, beside the cells") {
    const mm::framework fw = pfix::learning_map();
    const mm::policy pol(mm::scale::four_point());  // prerequisites inferred (the default)
    const mm::engine eng(fw, pol);
    mm::roster ro(fw, pol);
    ro.ingest(pfix::scenario_log());
    const std::size_t C = fw.size();
    REQUIRE(C > 64);  // more than one word
    const std::vector<mm::status> st = ro.statuses();
    std::size_t set = 0;
    for (std::size_t l = 0; l < ro.size(); ++l) {
      const mm::roster_bits bits = ro.inferred(l);
      REQUIRE(bits.size() == (C + 63) / 64);
      REQUIRE(bits.end() - bits.begin() == static_cast<std::ptrdiff_t>(bits.size()));
      std::vector<bool> stored(C, false);
      for (const mm::roster_cell& x : ro.cells(l)) stored[x.competency] = true;
      for (std::size_t c = 0; c < C; ++c) {
        // Inferred in the dense table and no stored cell (no score, no rating) <=> the bit.
        const bool want = st[l * C + c] == mm::status::inferred && !stored[c];
        REQUIRE(bits.test(c) == want);
        REQUIRE(((bits.begin()[c / 64] >> (c % 64)) & 1U) == (want ? 1U : 0U));
        set += want ? 1 : 0;
      }
    }
    CHECK(set > 0);  // the scenario's masteries infer prerequisites
    mm::evaluate_options eo;
    eo.as_of = ro.as_of();
    check_equal_tables(ro, eng.ratings(ro.log(), eo));
  }

  TEST_CASE("a bad batch is rejected whole") {
    const mm::framework fw = pfix::learning_map();
    mm::roster ro(fw, mm::policy(mm::scale::four_point()));
    ro.ingest(std::vector<mm::evidence>{{"a", "M01.a", pfix::t0, 3}});
    std::vector<mm::evidence> bad{
        {"a", "M01.b", pfix::t0, 3}, {"z", "nope", pfix::t0, 3}, {"a", "M01.c", pfix::t0, 9}};
    try {
      ro.ingest(bad);
      FAIL("expected an evidence_error");
    } catch (const mm::evidence_error& e) {
      CHECK(e.rows() == std::vector<std::size_t>{1, 2});
    }
    CHECK(ro.size() == 1);
    CHECK(ro.log().size() == 1);
  }

  TEST_CASE("ingesting a log equals ingesting its rows (the compact path and its fallbacks)") {
    const mm::framework fw = pfix::learning_map();
    const mm::policy pol(mm::scale::four_point());
    std::mt19937 rng(11);
    // Rows of many kinds, weights and sources (300,000: the compact pass runs in blocks), over
    // learners the roster partly has.
    auto rows = random_events(rng, fw, 400, 300000, pfix::t0, true);
    for (std::size_t i = 0; i < rows.size(); i += 7) rows[i].weight = 2.5;
    for (std::size_t i = 3; i < rows.size(); i += 11)
      rows[i].source = "src" + std::to_string(i % 5);
    const std::vector<mm::evidence> first = random_events(rng, fw, 50, 500, pfix::t0 - 1e6);
    auto loaded = [&](const std::vector<mm::evidence>& more, bool as_log, unsigned threads = 0) {
      mm::roster_options o;
      o.threads = threads;  // the appends honour it too (ingest_checks::threads)
      mm::roster r(fw, pol, o);
      (void)r.ingest(first);
      if (as_log) {
        mm::evidence_log b;
        b.add_kind("portfolio");
        b.append_unchecked(more);
        (void)r.ingest(b);
      } else {
        (void)r.ingest(more);
      }
      return r.to_bytes();
    };
    const std::string whole = loaded(rows, true);
    CHECK(whole == loaded(rows, false));
    CHECK(whole == loaded(rows, true, 1));  // one thread: the same roster
    // Fallbacks (the columnar path): a placement row, timestamp texts.
    auto placed = rows;
    placed[100] = {"s3", "M01.a", pfix::t0, 2, "placement"};
    const std::string with_placement = loaded(placed, true);
    CHECK(with_placement == loaded(placed, false));
    CHECK(with_placement == loaded(placed, false, 1));
    auto stamped = std::vector<mm::evidence>(rows.begin(), rows.begin() + 1000);
    stamped[5].time = 1709285400.0;
    stamped[5].timestamp = "2024-03-01T11:30:00+02:00";
    CHECK(loaded(stamped, true) == loaded(stamped, false));
    // A bad log: every problem listed as by the columnar path, the roster unchanged.
    mm::roster r(fw, pol);
    (void)r.ingest(first);
    const std::string before = r.to_bytes();
    auto bad = std::vector<mm::evidence>(rows.begin(), rows.begin() + 1000);
    bad[10].competency = "nope";
    bad[20].score = 9;
    mm::evidence_log b;
    b.add_kind("portfolio");
    b.append_unchecked(bad);
    try {
      (void)r.ingest(b);
      FAIL("expected an evidence_error");
    } catch (const mm::evidence_error& e) {
      CHECK(e.rows() == std::vector<std::size_t>{10, 20});
    }
    CHECK(r.to_bytes() == before);
  }

  TEST_CASE("levels, pacing and frontier for every learner (the 13-level learning map)") {
    const mm::framework fw = pfix::learning_map();
    // Without inferred mastery, as test_progression's scenario: ben's holes stay gaps.
    mm::policy pol(mm::scale::four_point());
    pol.set_infer_prerequisites(mm::infer_prerequisites::none);
    mm::roster ro(fw, pol);
    ro.ingest(pfix::scenario_log());
    REQUIRE(ro.learners() == std::vector<std::string>{"ana", "ben"});
    auto math = ro.levels("math");
    CHECK(math[0].level == 3);
    CHECK(math[1].level == 6);
    CHECK(math[1].gap_levels == std::vector<int>{3, 4, 5});
    CHECK_THROWS_AS((void)ro.levels("art"), mm::unknown_id_error);
    mm::pace_plan plan;
    plan.start = pfix::t0;
    plan.target = pfix::t0 + 10 * pfix::day;
    for (int l = 1; l <= 5; ++l)
      for (char s : {'a', 'b', 'c'}) plan.goals.push_back(pfix::code('M', l, s));
    auto pace = ro.pacing(plan);
    CHECK(pace[0].done == 9);
    CHECK(pace[1].done == 12);
    CHECK(pace[0].today == ro.as_of());
    CHECK(pace[0].actual_rate > 0);
  }

  TEST_CASE("snapshot and restore give identical answers, and ingest goes on identically") {
    if (!fixtures::have_ccss()) return;
    const mm::framework fw = fixtures::ccss();
    const mm::policy pol = test_policy();
    std::mt19937 rng(9);
    auto events = random_events(rng, fw, 80, 3000, pfix::t0, true);
    mm::roster ro(fw, pol);
    ro.ingest(std::vector<mm::evidence>(events.begin(), events.begin() + 2000));
    const fixtures::temp_file file("roster.bin");
    const std::string& path = file.path();
    ro.save(path);
    mm::roster back = mm::roster::load(path);
    check_same_roster(ro, back);
    CHECK(back.framework() == ro.framework());
    CHECK(back.policy() == ro.policy());
    const auto a = ro.learner("s3"), b = back.learner("s3");
    CHECK(a.statuses() == b.statuses());
    CHECK(a.explain(fw.index_of(events[5].competency), ro.log()).text.size() > 0);
    const std::vector<mm::evidence> rest(events.begin() + 2000, events.end());
    ro.ingest(rest);
    back.ingest(rest);
    check_same_roster(ro, back);
    // Errors: not a snapshot, truncated.
    { std::ofstream(path, std::ios::binary) << "hello"; }
    CHECK_THROWS_AS((void)mm::roster::load(path), mm::parse_error);
    ro.save(path);
    {
      std::ifstream in(path, std::ios::binary);
      std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      std::ofstream(path, std::ios::binary | std::ios::trunc) << all.substr(0, all.size() / 2);
    }
    CHECK_THROWS_AS((void)mm::roster::load(path), mm::parse_error);
    CHECK_THROWS_AS((void)mm::roster::load("/nonexistent/dir/x.bin"), mm::file_error);
  }
}

namespace {

// A hierarchy under 10 CCSS-like competencies for rollups: p0 <- {k0, k1, k2}.
mm::framework small_tree() {
  mm::framework_builder b("tree");
  for (int i = 0; i < 12; ++i)
    b.add_competency("k" + std::to_string(i), "", i < 4 ? "a" : (i < 8 ? "b" : "c"), i % 3);
  b.add_competency("p0", "", "a", 3);
  for (int i = 0; i < 3; ++i) b.add_child("p0", "k" + std::to_string(i));
  for (int i = 0; i + 1 < 12; i += 2)
    b.add_prerequisite("k" + std::to_string(i), "k" + std::to_string(i + 1));
  return b.build();
}

mm::rule with(mm::method m, std::uint32_t min_evidence = 1) {
  mm::rule r;
  r.method = m;
  r.min_evidence = min_evidence;
  return r;
}

// Policies covering every folding method and condition, and the fallbacks.
std::vector<mm::policy> folding_policies(const mm::framework& fw) {
  std::vector<mm::policy> out;
  const std::vector<mm::method> methods = {mm::method::latest(),
                                           mm::method::highest(),
                                           mm::method::mean(),
                                           mm::method::weighted_mean(),
                                           mm::method::weighted_average(0.65),
                                           mm::method::decaying_average(0.7),
                                           mm::method::n_mastery(2),
                                           mm::method::mode(),
                                           mm::method::power_law()};
  for (const auto& m : methods) out.emplace_back(mm::scale::four_point(), with(m));
  // Conditions, one competency override each (the rest: decaying average).
  mm::policy p(mm::scale::four_point(), with(mm::method::decaying_average(0.65), 2));
  std::vector<mm::rule> rules;
  {
    mm::rule r = with(mm::method::mean(), 3);
    r.require_kinds = {"discussion"};
    rules.push_back(r);
  }
  {
    mm::rule r = with(mm::method::latest());
    r.ignore_kinds = {"summative", "portfolio"};
    rules.push_back(r);
  }
  {
    mm::rule r = with(mm::method::highest());
    r.exempt_on_pretest = 4.0;
    r.exempt_confirm_kinds = {"discussion"};
    rules.push_back(r);
  }
  {
    mm::rule r = with(mm::method::weighted_average(0.5), 2);
    r.pretest_counts = true;
    r.require_kinds = {"summative", "observation"};
    rules.push_back(r);
  }
  {
    mm::rule r = with(mm::method::n_mastery(1));
    r.ignore_kinds = {"self"};
    r.exempt_on_pretest = 3.0;
    rules.push_back(r);
  }
  {
    // Issue 11: a gatekeeper gates exemption too (pre-test, gatekeeper and confirmation kinds).
    mm::rule r = with(mm::method::decaying_average(0.6), 2);
    r.exempt_on_pretest = 3.0;
    r.require_kinds = {"discussion"};
    r.exempt_confirm_kinds = {"observation"};
    rules.push_back(r);
  }
  {
    mm::rule r = with(mm::method::latest());
    r.window_last = 2;  // fallback
    rules.push_back(r);
  }
  {
    mm::rule r = with(mm::method::mean());
    r.monotonic = true;  // fallback
    rules.push_back(r);
  }
  {
    mm::rule r = with(mm::method::weighted_mean());
    r.require_kinds = {"portfolio"};  // a custom kind the log learns later
    rules.push_back(r);
  }
  for (std::size_t i = 0; i < rules.size() && i < fw.size(); ++i)
    p.override_competency(fw.id_of(static_cast<mm::index_t>(i * 3 % fw.size())), rules[i]);
  out.push_back(p);
  {
    mm::rule r = with(mm::method::latest());
    r.expires_after_days = 3.0;  // time-dependent: full re-evaluations
    mm::policy q(mm::scale::four_point(), with(mm::method::mean()));
    q.override_competency(fw.id_of(1), r);
    out.push_back(q);
  }
  return out;
}

}  // namespace

TEST_SUITE("roster") {
  TEST_CASE(
      "the O(1) per-event path equals a full evaluation (random streams, fallbacks included)") {
    std::mt19937 rng(11);
    for (int which = 0; which < 2; ++which) {
      // The second round needs the Common Core map; without it the test reports a skip.
      if (which == 1 && !fixtures::have_ccss()) break;
      const mm::framework fw = which == 0 ? small_tree() : fixtures::ccss();
      auto policies = folding_policies(fw);
      if (which == 0) {
        mm::policy q(mm::scale::four_point(), with(mm::method::decaying_average(0.6)));
        q.set_rollup("p0", mm::rollup::all_of());
        policies.push_back(q);
        mm::policy w(mm::scale::four_point(), with(mm::method::mean()));
        w.set_rollup("p0", mm::rollup::weighted_mean());
        w.set_precedence(mm::rollup_precedence::either);
        policies.push_back(w);
      }
      for (std::size_t pi = 0; pi < policies.size(); ++pi) {
        for (int fixed = 0; fixed < 2; ++fixed) {
          CAPTURE(which);
          CAPTURE(pi);
          CAPTURE(fixed);
          const mm::engine eng(fw, policies[pi]);
          mm::roster_options o;
          o.threads = 2;
          if (fixed) o.as_of = pfix::t0 + 300 * 3600.0;
          mm::roster ro(fw, policies[pi], o);
          const int learners = which == 0 ? 6 : 20;
          const int comps =
              which == 0 ? static_cast<int>(fw.size()) : 25;  // few pairs: long histories
          std::uniform_int_distribution<int> L(0, learners - 1), C(0, comps - 1), S(0, 8), K(0, 7),
              U(0, 99);
          const char* kinds[] = {"formative", "summative",   "discussion", "pretest",
                                 "self",      "observation", "formative",  "portfolio"};
          const float weights[] = {1.0F, 0.5F, 2.0F, 0.0F};
          double t = pfix::t0;
          std::size_t fast = 0, total = 0;
          const int events = which == 0 ? 500 : 400;
          for (int i = 0; i < events;) {
            // Mostly single events, sometimes a batch; times mostly increasing, with ties and
            // some events older than the newest of their pair.
            const int batch = U(rng) < 80 ? 1 : 1 + U(rng) % 12;
            std::vector<mm::evidence> rows;
            for (int k = 0; k < batch; ++k, ++i) {
              const int u = U(rng);
              if (u < 70) t += 3600.0 * (1 + U(rng) % 5);
              double when = t;
              if (u >= 90) when = t - 3600.0 * (1 + U(rng) % 40);
              const char* kind = kinds[K(rng)];
              if (std::string(kind) == "portfolio" && i < events / 3) kind = "formative";
              rows.emplace_back("s" + std::to_string(L(rng)),
                                fw.id_of(static_cast<mm::index_t>(C(rng))), when, S(rng) * 0.5,
                                kind, weights[U(rng) % 4], "");
              if (U(rng) < 30) rows.back().source = "t1";  // sources go through the by-name paths
            }
            mm::ingest_summary s;
            const int how = U(rng);
            if (rows.size() == 1 && how < 35) {
              const auto& e = rows[0];
              s = ro.add(e.learner, e.competency, e.time, e.score, e.kind, e.weight, e.source);
            } else if (rows.size() == 1 && how < 70 && ro.find(rows[0].learner)) {
              const auto& e = rows[0];
              s = ro.add(*ro.find(e.learner), fw.index_of(e.competency), e.time, e.score, e.kind,
                         e.weight);
            } else {
              s = ro.ingest(rows);
            }
            fast += s.fast_rows;
            total += s.rows;
            REQUIRE(s.rows == rows.size());
            mm::evaluate_options eo;
            eo.as_of = ro.as_of();
            check_equal_tables(ro, eng.ratings(ro.log(), eo));
            std::vector<std::uint8_t> codes(ro.competencies());
            const auto attainments = ro.attainments();  // built on demand: once
            for (std::size_t l = 0; l < ro.size(); ++l) {
              const auto v = ro.row(l);
              ro.progression().encode(v.statuses.data(), v.scores.data(), codes.data());
              REQUIRE(std::equal(
                  codes.begin(), codes.end(),
                  attainments.begin() + static_cast<std::ptrdiff_t>(l * ro.competencies())));
            }
          }
          // The folding methods (power_law included) take the fast path; mode does not fold.
          if (pi < 7 || pi == 8) CHECK(fast > total / 2);
          if (pi == 7) CHECK(fast == 0);
        }
      }
    }
  }

  TEST_CASE("roster::add rejects a bad event like ingest") {
    const mm::framework fw = pfix::learning_map();
    mm::roster ro(fw, mm::policy(mm::scale::four_point()));
    auto s = ro.add("a", "M01.a", pfix::t0, 3);
    CHECK(s.rows == 1);
    CHECK(s.fast_rows == 1);
    CHECK(ro.statuses()[0] == mm::status::mastered);
    CHECK_THROWS_AS(ro.add("a", "nope", pfix::t0, 3), mm::evidence_error);
    CHECK_THROWS_AS(ro.add("a", "M01.a", pfix::t0, 9), mm::evidence_error);
    CHECK(ro.log().size() == 1);
    CHECK_THROWS_AS(ro.add(5, 0, pfix::t0, 3), std::out_of_range);
    CHECK_THROWS_AS(ro.add(0, 9999, pfix::t0, 3), std::out_of_range);
    CHECK_THROWS_AS(ro.add(0, 0, pfix::t0, 9), mm::evidence_error);
    CHECK(ro.log().size() == 1);
    // An older event for the same pair takes the full path.
    s = ro.add("a", "M01.a", pfix::t0 - 10, 1);
    CHECK(s.fast_rows == 0);
    CHECK(s.learners_reevaluated == 1);
    CHECK(ro.statuses()[0] == mm::status::mastered);
  }
}

// Roster-wide gaps and blockers (roster_advice.cpp) against the oracle: each learner's own
// `gaps` / `blockers` on its full engine state (roster::learner), on random rosters with
// inference on, whatever the thread count; progress and cancel as the other bulk queries.
TEST_CASE("roster: gaps and blockers of every learner equal each learner's own") {
  std::mt19937 rng(1111);
  std::size_t rows_gaps = 0, rows_blockers = 0;
  for (int trial = 0; trial < 6; ++trial) {
    const auto fw = pfix::random_dag(rng, 40, 0.12);
    mm::policy pol(mm::scale::four_point());
    pol.set_infer_prerequisites(trial % 2 ? mm::infer_prerequisites::gating
                                          : mm::infer_prerequisites::required);
    std::vector<mm::roster> rs;
    for (unsigned threads : {1U, 3U}) {
      mm::roster_options o;
      o.threads = threads;
      rs.emplace_back(fw, pol, o);
    }
    // Learners with a little or much evidence: Beginning/Developing scores (in progress) and
    // Proficient/Advanced ones (mastered), so both holes and blocked work occur.
    const auto events = random_events(rng, fw, 60, 900, 1.7e9);
    for (auto& r : rs) (void)r.ingest(events);
    const auto g1 = rs[0].gaps(), g3 = rs[1].gaps();
    const auto b1 = rs[0].blockers(), b3 = rs[1].blockers();
    REQUIRE(g1.size() == rs[0].size());
    REQUIRE(b1.size() == rs[0].size());
    CHECK(g1 == g3);
    CHECK(b1 == b3);
    for (std::size_t l = 0; l < rs[0].size(); ++l) {
      const auto st = rs[0].learner(rs[0].learners()[l]);
      INFO("trial ", trial, " learner ", rs[0].learners()[l]);
      CHECK(g1[l] == mm::gaps(st));
      CHECK(b1[l] == mm::blockers(st));
      rows_gaps += g1[l].size();
      rows_blockers += b1[l].size();
    }
  }
  CHECK(rows_gaps > 0);
  CHECK(rows_blockers > 0);
  // An empty roster: no rows.
  mm::roster empty(pfix::random_dag(rng, 5, 0.3), mm::policy{});
  CHECK(empty.gaps().empty());
  CHECK(empty.blockers().empty());
}

TEST_CASE("roster: gaps and blockers report progress in learners and can be cancelled") {
  std::mt19937 rng(2222);
  const auto fw = pfix::random_dag(rng, 30, 0.15);
  mm::roster_options o;
  o.threads = 2;
  mm::roster r(fw, mm::policy(mm::scale::four_point()), o);
  (void)r.ingest(random_events(rng, fw, 3000, 20000, 1.7e9));
  std::vector<std::pair<std::uint64_t, std::uint64_t>> calls;
  mm::progress p;
  p.interval = std::chrono::milliseconds(0);
  p.report = [&](std::uint64_t d, std::uint64_t t) { calls.emplace_back(d, t); };
  const auto g = r.gaps(p);
  REQUIRE_FALSE(calls.empty());
  CHECK(calls.back() == std::make_pair<std::uint64_t, std::uint64_t>(r.size(), r.size()));
  for (std::size_t i = 1; i < calls.size(); ++i) CHECK(calls[i - 1].first <= calls[i].first);
  CHECK(g == r.gaps());
  calls.clear();
  CHECK(r.blockers(p) == r.blockers());
  CHECK(calls.back().first == r.size());
  mm::progress stop;
  stop.interval = std::chrono::milliseconds(0);
  stop.report = [](std::uint64_t, std::uint64_t) { throw mm::cancelled(); };
  CHECK_THROWS_AS((void)r.gaps(stop), mm::cancelled);
  CHECK_THROWS_AS((void)r.blockers(stop), mm::cancelled);
}

// The Common Core acceptance learners as a roster: the roster-wide answers equal each
// learner's own, and say what the issue expects (no gaps for the learner with this year's
// evidence only; the Beginning score on 3.NF.A.1 is a gap; grade-4 work in progress blocked).
TEST_CASE("roster: gaps and blockers of the Common Core 4th graders") {
  if (!fixtures::have_ccss()) return;
  const auto fw = fixtures::ccss();
  mm::roster r(fw, mm::policy{});
  std::vector<mm::evidence> ev;
  const double t = 1.7e9;
  for (mm::index_t c = 0; c < fw.size(); ++c) {
    const auto& comp = fw.at(c);
    if (comp.level == 3)
      for (const char* who : {"maya", "noah", "omar"}) ev.emplace_back(who, comp.id, t, 3);
    if (comp.level == 4 && (comp.domain == "NF" || comp.domain == "OA"))
      ev.emplace_back("omar", comp.id, t + 10, 2);
  }
  ev.emplace_back("noah", "3.NF.A.1", t + 60, 1);
  ev.emplace_back("omar", "3.NF.A.1", t + 60, 1);
  (void)r.ingest(ev);
  const auto g = r.gaps();
  const auto b = r.blockers();
  for (std::size_t l = 0; l < r.size(); ++l) {
    const auto st = r.learner(r.learners()[l]);
    CHECK(g[l] == mm::gaps(st));
    CHECK(b[l] == mm::blockers(st));
  }
  const auto maya = r.index_of("maya"), noah = r.index_of("noah"), omar = r.index_of("omar");
  CHECK(g[maya].empty());
  CHECK(b[maya].empty());
  REQUIRE_FALSE(g[noah].empty());
  CHECK(std::any_of(g[noah].begin(), g[noah].end(),
                    [](const mm::gap& x) { return x.id == "3.NF.A.1"; }));
  // Her only work in progress is 3.NF.A.1 itself: what blocks it are gaps too.
  for (const auto& x : b[noah])
    CHECK(std::any_of(g[noah].begin(), g[noah].end(),
                      [&](const mm::gap& y) { return y.competency == x.competency; }));
  CHECK_FALSE(b[omar].empty());
  MESSAGE("CCSS roster: gaps ", g[maya].size(), "/", g[noah].size(), "/", g[omar].size(),
          ", blockers ", b[maya].size(), "/", b[noah].size(), "/", b[omar].size(),
          " (maya, noah, omar)");
}

TEST_CASE("roster::place places a repeated domain once") {
  mm::framework_builder b("p");
  b.add_competency("NF1", "", "NF", 1);
  b.add_competency("NF2", "", "NF", 2);
  b.add_competency("OA1", "", "OA", 1);
  mm::roster r(b.build(), mm::policy(mm::scale::four_point()));
  const auto s = r.place("a", 2, 1.0, {"NF", "OA", "NF"});
  CHECK(s.rows == 2);
  REQUIRE(r.log().size() == 2);
  CHECK(r.log().competencies()[r.log().competency_codes()[0]] == "NF1");
  CHECK(r.log().competencies()[r.log().competency_codes()[1]] == "OA1");
}
