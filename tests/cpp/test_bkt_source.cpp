// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
#include <doctest/doctest.h>

#include <masterymap/bkt_source.hpp>
#include <memory>

using namespace masterymap;

namespace {
bkt::model two_skill_model() {
  bkt::skill_params a;
  a.skill = "A";
  a.prior = 0.2;
  a.learn = 0.3;
  a.forget = 0.0;
  a.guess = {0.2};
  a.slip = {0.1};
  bkt::skill_params b = a;
  b.skill = "B";
  b.learn = 0.05;
  b.forget = 0.05;  // with forgetting P(mastered) stays below 1 - forget
  return bkt::model({a, b}, /*forgets=*/true);
}
}  // namespace

TEST_SUITE("bkt_source") {
  TEST_CASE("the source replays the filter exactly as the tracer does") {
    const bkt::model m = two_skill_model();
    const bkt::model_probabilities src(m);
    bkt::tracer t(m);
    const std::vector<double> scores{1, 0, 1, 1, 1, 0, 1};
    for (double s : scores) (void)t.update("s1", "A", s >= 0.5);
    CHECK(*src.probability("s1", "A", scores) ==
          doctest::Approx(t.mastery("s1", "A")).epsilon(1e-15));
    CHECK(*src.probability("s1", "A", {}) == doctest::Approx(0.2));
    // One step by hand: correct answer from the prior.
    const double post = 0.2 * 0.9 / (0.2 * 0.9 + 0.8 * 0.2);
    CHECK(*src.probability("s1", "A", {1.0}) == doctest::Approx(post + (1 - post) * 0.3));
    for (double s : scores) (void)t.update("s1", "B", s >= 0.5);
    CHECK(*src.probability("s1", "B", scores) ==
          doctest::Approx(t.mastery("s1", "B")).epsilon(1e-15));
    CHECK_FALSE(src.probability("s1", "Z", {1.0}));
    bkt::source_options o;
    o.skill_of = {{"Z", "B"}};
    o.correct_at = 3.0;  // a 1-4 scale: Proficient or better is correct
    const bkt::model_probabilities mapped(m, o);
    bkt::tracer tb(m);
    (void)tb.update("s1", "B", true);
    (void)tb.update("s1", "B", false);
    CHECK(*mapped.probability("s1", "Z", {4.0, 2.0}) == doctest::Approx(tb.mastery("s1", "B")));
    o.unknown_uses_average = true;
    CHECK(bkt::model_probabilities(m, o).probability("s1", "Q", {1.0}).has_value());
  }

  TEST_CASE("Method bkt and a rule-based method on the same log") {
    framework_builder b;
    b.add_competency("A").add_competency("B");
    const framework fw = b.build();
    rule by_bkt;
    by_bkt.method = method::bkt(0.95);
    policy p(scale::percent(80), by_bkt);
    evidence_log log;
    std::vector<evidence> rows;
    for (int k = 0; k < 8; ++k) rows.emplace_back("s1", "A", k, 1.0);
    rows.emplace_back("s1", "B", 0, 1.0);
    rows.emplace_back("s1", "B", 1, 0.0);
    log.append_unchecked(rows);
    evaluate_options o;
    o.probabilities = std::make_shared<bkt::model_probabilities>(two_skill_model());
    const learner_state st = evaluate(fw, p, log, "s1", o);
    CHECK(st.status("A") == status::mastered);
    CHECK(*st.score("A") >= 0.95);
    CHECK(st.status("B") == status::in_progress);
    CHECK(*st.score("B") < 0.95);
    // The rule-based view of the same log: latest score against 80%.
    rule latest;
    latest.method = method::latest();
    const learner_state rb = evaluate(fw, policy(scale::percent(80), latest), log, "s1");
    CHECK(rb.status("A") == status::mastered);
    CHECK(rb.status("B") == status::in_progress);
  }
}
