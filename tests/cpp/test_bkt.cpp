// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
#include <doctest/doctest.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <masterymap/bkt.hpp>
#include <string>

#include "fixtures.hpp"

namespace bkt = masterymap::bkt;

namespace {

bkt::skill_params make(const std::string& skill, double prior, double learn, double guess,
                       double slip, double forget = 0.0) {
  bkt::skill_params p;
  p.skill = skill;
  p.prior = prior;
  p.learn = learn;
  p.forget = forget;
  p.guess = {guess};
  p.slip = {slip};
  return p;
}

bkt::dataset one_learner(const std::string& skill, const std::vector<int>& answers) {
  bkt::dataset d;
  for (int a : answers) d.add("ann", skill, a != 0);
  return d;
}

}  // namespace

TEST_SUITE("bkt") {
  TEST_CASE("the forward filter matches hand-computed values") {
    SUBCASE("no forgetting") {
      // Exact rational arithmetic: prior 3/10, learn 2/10, guess 1/10, slip 5/100.
      const bkt::model m({make("add", 0.3, 0.2, 0.1, 0.05)});
      const auto p = m.predict(one_learner("add", {1, 0, 1, 1}));
      const double pc[] = {0.355, 0.81591549295774646, 0.42556235654169855, 0.85141277575016627};
      const double st[] = {0.84225352112676055, 0.38301453710788064, 0.88401503029431328,
                           0.98910188120177134};
      for (int i = 0; i < 4; ++i) {
        CHECK(p.correct[static_cast<std::size_t>(i)] == doctest::Approx(pc[i]).epsilon(1e-13));
        CHECK(p.state[static_cast<std::size_t>(i)] == doctest::Approx(st[i]).epsilon(1e-13));
      }
    }
    SUBCASE("with forgetting") {
      const bkt::model m({make("sub", 0.5, 0.1, 0.25, 0.2, 0.05)}, true);
      const auto p = m.predict(one_learner("sub", {0, 0, 1}));
      CHECK(p.correct[0] == doctest::Approx(0.525).epsilon(1e-13));
      CHECK(p.state[0] == doctest::Approx(0.27894736842105261).epsilon(1e-13));
      CHECK(p.correct[1] == doctest::Approx(0.40342105263157896).epsilon(1e-13));
      CHECK(p.state[1] == doctest::Approx(0.17948831054256728).epsilon(1e-13));
      CHECK(p.correct[2] == doctest::Approx(0.34871857079841201).epsilon(1e-13));
      CHECK(p.state[2] == doctest::Approx(0.4500015811876617).epsilon(1e-13));
    }
    SUBCASE("learners and skills are tracked separately, in time order") {
      bkt::dataset d;
      d.add("ann", "add", true, 2.0);
      d.add("bob", "add", false, 1.0);
      d.add("ann", "sub", false, 3.0);
      d.add("ann", "add", false, 1.0);  // ann's first "add" answer by the order key
      const bkt::model m({make("add", 0.3, 0.2, 0.1, 0.05), make("sub", 0.5, 0.1, 0.25, 0.2)});
      const auto p = m.predict(d);
      // Row 3 (order 1) comes first for ann/add: it sees the prior.
      CHECK(p.correct[3] == doctest::Approx(0.355).epsilon(1e-13));
      CHECK(p.correct[1] == doctest::Approx(0.355).epsilon(1e-13));
      CHECK(p.correct[2] == doctest::Approx(0.5 * 0.8 + 0.5 * 0.25).epsilon(1e-13));
      CHECK(p.correct[0] ==
            doctest::Approx(0.28581395348837207).epsilon(1e-13));  // after a wrong one
    }
  }

  TEST_CASE("a long run of correct answers does not saturate the state") {
    // After 40 right answers P(not L) is ~1e-28; 40 wrong answers then bring P(L) below 0.5 in
    // exact arithmetic. A filter that stores P(L) alone sticks at 1.0 and never moves.
    std::vector<int> answers(40, 1);
    answers.insert(answers.end(), 40, 0);
    const bkt::model m({make("s", 0.5, 0.1, 0.2, 0.1)});
    const auto p = m.predict(one_learner("s", answers));
    CHECK(p.state[39] > 0.999999);
    CHECK(p.state[79] < 0.5);
    bkt::tracer t(m);
    double last = 0;
    for (int a : answers) last = t.update("ann", "s", a != 0);
    CHECK(last == p.state[79]);
  }

  TEST_CASE("the EM log-likelihood equals the filter's") {
    const auto data = bkt::simulate(
        {make("a", 0.4, 0.15, 0.2, 0.1), make("b", 0.2, 0.05, 0.3, 0.15, 0.02)}, 200, 30, 7);
    bkt::fit_options o;
    o.forgets = true;
    const bkt::model m = bkt::fit(data, o);
    double ll = 0;
    for (const auto& p : m.params()) ll += p.log_likelihood;
    CHECK(m.evaluate(data).log_likelihood == doctest::Approx(ll).epsilon(1e-10));
  }

  TEST_CASE("EM recovers the parameters of simulated data") {
    const std::vector<bkt::skill_params> truth = {make("a", 0.3, 0.15, 0.2, 0.1),
                                                  make("b", 0.6, 0.05, 0.25, 0.15)};
    for (std::uint64_t seed : {1U, 2U, 3U}) {
      CAPTURE(seed);
      const auto data = bkt::simulate(truth, 1500, 15, seed);
      const bkt::model m = bkt::fit(data);
      REQUIRE(m.size() == 2);
      for (const auto& t : truth) {
        const auto& p = m.at(t.skill);
        CAPTURE(t.skill);
        CHECK(p.converged);
        CHECK(std::abs(p.prior - t.prior) < 0.05);
        CHECK(std::abs(p.learn - t.learn) < 0.03);
        CHECK(std::abs(p.guess[0] - t.guess[0]) < 0.03);
        CHECK(std::abs(p.slip[0] - t.slip[0]) < 0.03);
        CHECK(p.forget == 0.0);
      }
    }
    SUBCASE("with forgetting") {
      const std::vector<bkt::skill_params> f = {make("f", 0.3, 0.2, 0.2, 0.1, 0.08)};
      const auto data = bkt::simulate(f, 1500, 20, 11);
      bkt::fit_options o;
      o.forgets = true;
      const bkt::model m = bkt::fit(data, o);
      const auto& p = m.at("f");
      CHECK(std::abs(p.forget - 0.08) < 0.03);
      CHECK(std::abs(p.learn - 0.2) < 0.04);
      CHECK(std::abs(p.guess[0] - 0.2) < 0.03);
      CHECK(std::abs(p.slip[0] - 0.1) < 0.03);
    }
    SUBCASE("guess and slip per item class (multigs)") {
      bkt::skill_params p = make("m", 0.3, 0.15, 0.1, 0.1);
      p.classes = {"easy", "hard"};
      p.guess = {0.35, 0.05};
      p.slip = {0.05, 0.25};
      const auto data = bkt::simulate({p}, 2000, 16, 5);
      bkt::fit_options o;
      o.multigs = true;
      const bkt::model m = bkt::fit(data, o);
      const auto& q = m.at("m");
      REQUIRE(q.classes.size() == 2);
      for (std::size_t c = 0; c < 2; ++c) {
        const std::size_t truth_c = q.classes[c] == "easy" ? 0 : 1;
        CHECK(std::abs(q.guess[c] - p.guess[truth_c]) < 0.04);
        CHECK(std::abs(q.slip[c] - p.slip[truth_c]) < 0.04);
      }
      // The per-class model predicts its own data better than the pooled one.
      const bkt::model pooled = bkt::fit(data);
      CHECK(m.evaluate(data).log_likelihood > pooled.evaluate(data).log_likelihood);
    }
  }

  TEST_CASE("fitting is deterministic for a seed and independent of the thread count") {
    const auto data =
        bkt::simulate({make("a", 0.3, 0.15, 0.2, 0.1), make("b", 0.6, 0.05, 0.25, 0.15),
                       make("c", 0.5, 0.3, 0.1, 0.2), make("d", 0.1, 0.1, 0.3, 0.05)},
                      300, 12, 4);
    bkt::fit_options o;
    o.threads = 1;
    const std::string one = bkt::fit(data, o).to_json();
    CHECK(bkt::fit(data, o).to_json() == one);
    o.threads = 3;
    CHECK(bkt::fit(data, o).to_json() == one);
    o.restarts = bkt::restart_strategy::full;
    const std::string full = bkt::fit(data, o).to_json();
    o.threads = 1;
    CHECK(bkt::fit(data, o).to_json() == full);
    o.seed = 43;
    o.restarts = bkt::restart_strategy::screen;
    CHECK(bkt::fit(data, o).to_json() != one);  // other restarts, other (slightly) numbers
  }

  TEST_CASE("restarts pick the best training likelihood") {
    const auto data = bkt::simulate({make("a", 0.3, 0.15, 0.2, 0.1)}, 400, 12, 9);
    bkt::fit_options o;
    o.num_fits = 1;
    const bkt::model first = bkt::fit(data, o);
    const double single = first.at("a").log_likelihood;
    o.num_fits = 6;
    o.restarts = bkt::restart_strategy::full;
    const bkt::model fitted = bkt::fit(data, o);
    const auto& best = fitted.at("a");
    CHECK(best.log_likelihood >= single - 1e-9);
    CHECK(best.restart >= 0);
    CHECK(best.restart < 6);
  }

  TEST_CASE("bounds and fixed parameters") {
    const auto data =
        bkt::simulate({make("a", 0.3, 0.15, 0.2, 0.1), make("b", 0.5, 0.1, 0.2, 0.1)}, 300, 10, 2);
    bkt::fit_options o;
    o.fixed.learn = 0.25;
    o.fixed_skills["b"].prior = 0.9;
    o.bounds.slip = {0.0, 0.05};
    const bkt::model m = bkt::fit(data, o);
    CHECK(m.at("a").learn == 0.25);
    CHECK(m.at("b").learn == 0.25);
    CHECK(m.at("b").prior == 0.9);
    CHECK(m.at("a").prior != 0.9);
    for (const auto& p : m.params()) CHECK(p.slip[0] <= 0.05);
    o.fixed.guess = 1.5;
    CHECK_THROWS_AS((void)bkt::fit(data, o), std::invalid_argument);
    o.fixed.guess.reset();
    o.bounds.guess = {0.6, 0.4};
    CHECK_THROWS_AS((void)bkt::fit(data, o), std::invalid_argument);
    bkt::fit_options bad;
    bad.num_fits = 0;
    CHECK_THROWS_AS((void)bkt::fit(data, bad), std::invalid_argument);
    bad = {};
    bad.skills = {"nope"};
    CHECK_THROWS_AS((void)bkt::fit(data, bad), masterymap::unknown_id_error);
    bad = {};
    bad.multigs = true;
    CHECK_THROWS_AS((void)bkt::fit(data, bad), std::invalid_argument);
    CHECK_THROWS_AS((void)bkt::fit(bkt::dataset{}), std::invalid_argument);
    bkt::fit_options only;
    only.skills = {"b"};
    CHECK(bkt::fit(data, only).size() == 1);
  }

  TEST_CASE("online updates equal a batch replay") {
    const auto data = bkt::simulate(
        {make("a", 0.3, 0.15, 0.2, 0.1), make("b", 0.6, 0.05, 0.25, 0.15, 0.03)}, 50, 20, 3);
    bkt::fit_options o;
    o.forgets = true;
    const bkt::model m = bkt::fit(data, o);
    const auto replay = m.predict(data);

    bkt::tracer one_by_one(m, 0.9);
    for (std::size_t i = 0; i < data.size(); ++i) {
      const double p =
          one_by_one.update(data.learner_names()[data.learners()[i]],
                            data.skill_names()[data.skills()[i]], data.correct()[i] != 0);
      REQUIRE(p == replay.state[i]);
    }
    bkt::tracer batch(m);
    std::vector<std::uint32_t> l(data.size()), s(data.size());
    for (std::size_t i = 0; i < data.size(); ++i) {
      l[i] = batch.learner_index(data.learner_names()[data.learners()[i]]);
      s[i] = batch.skill_index(data.skill_names()[data.skills()[i]]);
    }
    std::vector<double> mastery(data.size()), pc(data.size());
    batch.update_batch(l.data(), s.data(), data.correct().data(), data.size(), mastery.data(),
                       pc.data());
    CHECK(mastery == replay.state);
    CHECK(pc == replay.correct);
    CHECK(batch.tracked_pairs() == 100);
    CHECK(batch.opportunities(l[0], s[0]) == 20);
    CHECK(batch.mastered(l[0], s[0]) == (batch.mastery(l[0], s[0]) >= 0.95));
    CHECK(one_by_one.mastered("s0", "a") == (one_by_one.mastery("s0", "a") >= 0.9));
    // An unseen learner has the prior.
    CHECK(batch.mastery("nobody", "a") == m.at("a").prior);
    CHECK_THROWS_AS((void)batch.update("x", "nope", true), masterymap::unknown_id_error);
    std::uint32_t bad = 999;
    CHECK_THROWS_AS(batch.update_batch(&bad, s.data(), data.correct().data(), 1, nullptr),
                    std::out_of_range);
    CHECK_THROWS_AS((void)bkt::tracer(m, 1.5), std::invalid_argument);

    SUBCASE("reset") {
      batch.reset("s0");
      CHECK(batch.opportunities(l[0], s[0]) == 0);
      CHECK(batch.mastery("s0", "a") == m.at("a").prior);
      CHECK(batch.tracked_pairs() == 98);
      batch.reset_all();
      CHECK(batch.tracked_pairs() == 0);
      CHECK_THROWS_AS(batch.reset("nobody"), masterymap::unknown_id_error);
    }
    SUBCASE("state round-trips through JSON") {
      const bkt::tracer back = bkt::tracer::from_json(batch.to_json());
      CHECK(back.to_json() == batch.to_json());
      CHECK(back.threshold() == batch.threshold());
      for (std::uint32_t li = 0; li < 50; ++li)
        for (std::uint32_t si = 0; si < 2; ++si)
          REQUIRE(back.mastery(li, si) == batch.mastery(li, si));
      CHECK_THROWS_AS((void)bkt::tracer::from_json("{\"format\": \"x\"}"), masterymap::parse_error);
    }
  }

  TEST_CASE("models round-trip through JSON and files") {
    const auto data = bkt::simulate(
        {make("a", 0.3, 0.15, 0.2, 0.1), make("b", 0.6, 0.05, 0.25, 0.15)}, 100, 10, 1);
    const bkt::model m = bkt::fit(data);
    const std::string text = m.to_json();
    const bkt::model back = bkt::model::from_json(text);
    CHECK(back.to_json() == text);
    REQUIRE(back.size() == m.size());
    for (std::size_t k = 0; k < m.size(); ++k) {
      CHECK(back.params()[k].prior == m.params()[k].prior);
      CHECK(back.params()[k].learn == m.params()[k].learn);
      CHECK(back.params()[k].guess == m.params()[k].guess);
      CHECK(back.params()[k].slip == m.params()[k].slip);
      CHECK(back.params()[k].log_likelihood == m.params()[k].log_likelihood);
    }
    CHECK(back.predict(data).correct == m.predict(data).correct);
    const fixtures::temp_file file("bkt_model.json");
    m.save(file.path());
    CHECK(bkt::model::load(file.path()).to_json() == text);

    SUBCASE("malformed JSON") {
      try {
        (void)bkt::model::from_json("{\n  \"format\": \"masterymap.bkt.model\",\n  oops\n}");
        FAIL("expected a parse_error");
      } catch (const masterymap::parse_error& e) {
        CHECK(e.line() == 3);
      }
      CHECK_THROWS_WITH_AS(
          (void)bkt::model::from_json(R"({"format": "masterymap.bkt.model", "version": 1,
        "skills": [{"skill": "a", "prior": 0.5, "learn": 0.1, "forget": 0, "guess": 0.2}]})"),
          doctest::Contains("$.skills[0].slip is missing"), masterymap::parse_error);
      CHECK_THROWS_AS(
          (void)bkt::model::from_json(R"({"format": "masterymap.bkt.model", "version": 1,
        "skills": [{"skill": "a", "prior": 1.5, "learn": 0.1, "forget": 0, "guess": 0.2, "slip": 0.1}]})"),
          masterymap::parse_error);
      CHECK_THROWS_AS(
          (void)bkt::model::from_json(R"({"format": "other", "version": 1, "skills": []})"),
          masterymap::parse_error);
    }
  }

  TEST_CASE("metrics") {
    const auto m = bkt::compute_metrics({0, 0, 1, 1}, {0.1, 0.4, 0.35, 0.8});
    CHECK(m.auc == doctest::Approx(0.75));
    CHECK(m.rmse == doctest::Approx(std::sqrt((0.01 + 0.16 + 0.4225 + 0.04) / 4)));
    CHECK(m.accuracy == doctest::Approx(0.75));
    CHECK(m.log_likelihood ==
          doctest::Approx(std::log(0.9) + std::log(0.6) + std::log(0.35) + std::log(0.8)));
    CHECK(m.count == 4);
    // Ties count one half; NaN predictions are skipped.
    const auto t = bkt::compute_metrics({0, 1, 1}, {0.5, 0.5, std::nan("")});
    CHECK(t.auc == doctest::Approx(0.5));
    CHECK(t.count == 2);
    CHECK_THROWS_AS((void)bkt::compute_metrics({0, 1}, {0.5}), std::invalid_argument);
  }

  TEST_CASE("unknown skills when predicting") {
    const bkt::model m({make("a", 0.3, 0.2, 0.1, 0.05)});
    const auto d = one_learner("zzz", {1, 0});
    CHECK(m.predict(d).correct[0] == doctest::Approx(0.355));  // the average of one skill
    CHECK(std::isnan(m.predict(d, bkt::unknown_skill::nan).correct[0]));
    CHECK_THROWS_AS((void)m.predict(d, bkt::unknown_skill::error), masterymap::unknown_id_error);
  }

  TEST_CASE("cross-validation scores each fold") {
    const auto data = bkt::simulate(
        {make("a", 0.3, 0.15, 0.2, 0.1), make("b", 0.6, 0.05, 0.25, 0.15)}, 200, 15, 8);
    const auto folds = bkt::crossvalidate(data, {}, 4, 1);
    REQUIRE(folds.size() == 4);
    std::uint64_t rows = 0;
    for (const auto& f : folds) {
      CHECK(f.auc > 0.7);
      CHECK(f.rmse < 0.45);
      rows += f.count;
    }
    CHECK(rows == data.size());
    CHECK_THROWS_AS((void)bkt::crossvalidate(data, {}, 1), std::invalid_argument);
  }

  TEST_CASE("CSV reading") {
    SUBCASE("CRLF, quotes, extra columns, blank lines") {
      const auto d = bkt::parse_csv(
          "order_id,user_id,skill_name,correct,note\r\n"
          "3,u1,\"Addition, whole\",1,\"said \"\"hi\"\"\"\r\n"
          "1,u1,\"Addition, whole\",0,\r\n"
          "\r\n"
          "2,007,Subtraction,1.0,x\r\n");
      REQUIRE(d.size() == 3);
      CHECK(d.skill_names() == std::vector<std::string>{"Addition, whole", "Subtraction"});
      CHECK(d.learner_names() == std::vector<std::string>{"u1", "007"});
      CHECK(d.correct() == std::vector<std::uint8_t>{1, 0, 1});
      CHECK_FALSE(d.has_order());
    }
    SUBCASE("configurable columns and an order key") {
      bkt::csv_options o;
      o.columns = {"student", "kc", "right", "t", ""};
      const auto d = bkt::parse_csv("t,student,kc,right\n2,a,k,1\n1,a,k,0\n", o);
      CHECK(d.order() == std::vector<double>{2, 1});
      const bkt::model m({make("k", 0.3, 0.2, 0.1, 0.05)});
      CHECK(m.predict(d).correct[1] == doctest::Approx(0.355));  // first by order
    }
    SUBCASE("numeric ids: leading zeros stay distinct names") {
      const auto d = bkt::parse_csv("user_id,skill_name,correct\n7,1,1\n07,1,0\n7,1,1\n");
      CHECK(d.learner_count() == 2);
      CHECK(d.learners() == std::vector<std::uint32_t>{0, 1, 0});
    }
    SUBCASE("errors name the line, column and row") {
      try {
        (void)bkt::parse_csv("user_id,skill_name,correct\r\na,s,1\r\na,s,2\r\n");
        FAIL("expected a parse_error");
      } catch (const masterymap::parse_error& e) {
        // line and column: the field's position in the file; row: the 0-based data row.
        CHECK(e.line() == 3);
        CHECK(e.column() == 5);
        CHECK(e.row() == 1);
        CHECK(std::string(e.what()) ==
              "BKT CSV: row 1 (line 3, column 5), column 'correct': correct must be 0 or 1, got "
              "'2'");
      }
      try {
        (void)bkt::parse_csv("user_id,skill_name,correct\na,,1\n");
        FAIL("expected a parse_error");
      } catch (const masterymap::parse_error& e) {
        CHECK(e.column() == 3);
        CHECK(e.row() == 0);
        CHECK(std::string(e.what()).find("empty skill") != std::string::npos);
      }
      CHECK_THROWS_WITH_AS((void)bkt::parse_csv("user_id,skill,correct\na,s,1\n"),
                           doctest::Contains("missing skill column 'skill_name'"),
                           masterymap::parse_error);
      CHECK_THROWS_WITH_AS((void)bkt::parse_csv("user_id,skill_name,correct\na,s\n"),
                           doctest::Contains("has 2 fields"), masterymap::parse_error);
      CHECK_THROWS_WITH_AS((void)bkt::parse_csv("user_id,skill_name,correct\na,\"s,1\n"),
                           doctest::Contains("unterminated"), masterymap::parse_error);
      CHECK_THROWS_WITH_AS((void)bkt::parse_csv(std::string("\x1f\x8b\x08", 3)),
                           doctest::Contains("gzip"), masterymap::parse_error);
      CHECK_THROWS_AS((void)bkt::parse_csv(""), masterymap::parse_error);
      CHECK_THROWS_AS((void)bkt::read_csv("/nonexistent/file.csv"), masterymap::file_error);
    }
    SUBCASE("multi-skill rows") {
      const std::string text = "user_id,skill_name,correct\na,x_y,1\na,y,0\n";
      CHECK(bkt::parse_csv(text).skill_names() == std::vector<std::string>{"x_y", "y"});
      bkt::csv_options o;
      o.multi_skill = bkt::multi_skill::split;
      const auto d = bkt::parse_csv(text, o);
      CHECK(d.skill_names() == std::vector<std::string>{"x", "y"});
      CHECK(d.size() == 3);
      CHECK(d.source_row() == std::vector<std::uint64_t>{0, 0, 1});
      o.multi_skill = bkt::multi_skill::reject;
      try {
        (void)bkt::parse_csv(text, o);
        FAIL("expected a parse_error");
      } catch (const masterymap::parse_error& e) {
        CHECK(e.row() == 0);  // found while reading, with its position
        CHECK(e.line() == 2);
        CHECK(e.column() == 3);
      }
      // The same from a dataset built from codes (a DataFrame): the row, no file position.
      const auto kept = bkt::parse_csv(text);
      try {
        (void)kept.apply_multi_skill(bkt::multi_skill::reject, "_");
        FAIL("expected a parse_error");
      } catch (const masterymap::parse_error& e) {
        CHECK(e.row() == 0);
        CHECK(e.line() == 0);
      }
      o.multi_skill = bkt::multi_skill::split;
      try {  // an empty part is a parse_error too, not a plain invalid_argument
        (void)bkt::parse_csv("user_id,skill_name,correct\na,x,1\na,x__y,1\n", o);
        FAIL("expected a parse_error");
      } catch (const masterymap::parse_error& e) {
        CHECK(e.row() == 1);
        CHECK(e.line() == 3);
        CHECK(std::string(e.what()).find("has an empty part") != std::string::npos);
      }
    }
    SUBCASE("read_csv reads a file") {
      const fixtures::temp_file file("bkt.csv");
      {
        std::ofstream out(file.path(), std::ios::binary);
        out << "user_id,skill_name,correct\r\n0,7,1\r\n1,82,0\r\n";
      }
      const auto d = bkt::read_csv(file.path());
      CHECK(d.size() == 2);
      CHECK(d.skill_names() == std::vector<std::string>{"7", "82"});
    }
  }

  TEST_CASE("datasets from codes are validated") {
    CHECK_NOTHROW((void)bkt::dataset::from_indices({0, 1}, {"a", "b"}, {0, 0}, {"s"}, {1, 0}));
    CHECK_THROWS_AS((void)bkt::dataset::from_indices({0, 1}, {"a", "b"}, {0, 0}, {"s"}, {1, 2}),
                    std::invalid_argument);
    CHECK_THROWS_AS((void)bkt::dataset::from_indices({0, 2}, {"a", "b"}, {0, 0}, {"s"}, {1, 0}),
                    std::invalid_argument);
    CHECK_THROWS_AS((void)bkt::dataset::from_indices({0}, {"a"}, {0}, {""}, {1}),
                    std::invalid_argument);
    CHECK_THROWS_AS((void)bkt::dataset::from_indices({0}, {"a", "a"}, {0}, {"s"}, {1}),
                    std::invalid_argument);
    CHECK_THROWS_AS((void)bkt::dataset::from_indices({0}, {"a"}, {0, 0}, {"s"}, {1}),
                    std::invalid_argument);
    bkt::dataset d;
    CHECK_THROWS_AS(d.add("", "s", true), std::invalid_argument);
    CHECK_THROWS_AS(d.add("a", "", true), std::invalid_argument);
  }

  // The CSV readers (parse_csv in test_csv.cpp, evidence_log::append_csv in test_evidence.cpp,
  // bkt::parse_csv here) differ on purpose in a few edge cases; this pins the BKT reader's.
  TEST_CASE(
      "bkt CSV: a CR is data except before LF or the end, delimiter option, error positions") {
    auto d = bkt::parse_csv("user_id,skill_name,correct\na\rb,s,1\n\"a\"\r,s\r,0\r");
    CHECK(d.learner_names() == std::vector<std::string>{"a\rb", "a"});
    CHECK(d.skill_names() == std::vector<std::string>{"s", "s\r"});
    bkt::csv_options semi;
    semi.delimiter = ';';
    d = bkt::parse_csv(
        "\xEF\xBB\xBFuser_id;skill_name;correct\r\n\"a;b\";\"s \"\"x\"\"\";1\r\n\n"
        "\"a;b\";\"s \"\"x\"\"\";0\r\n",
        semi);
    CHECK(d.learner_names() == std::vector<std::string>{"a;b"});
    CHECK(d.skill_names() == std::vector<std::string>{"s \"x\""});
    CHECK(d.correct() == std::vector<std::uint8_t>{1, 0});
    try {
      (void)bkt::parse_csv("user_id,skill_name,correct\n\"a\nb\",s,1\n\nc,s,2\n");
      FAIL("expected parse_error");
    } catch (const masterymap::parse_error& e) {
      CHECK(e.line() == 5);
      CHECK(e.column() == 5);
      CHECK(e.row() == 1);
    }
    try {
      (void)bkt::parse_csv("user_id,skill_name,correct\na,s,1\nb,\"s\n\n");
      FAIL("expected parse_error");
    } catch (const masterymap::parse_error& e) {
      CHECK(std::string(e.what()) == "BKT CSV: unterminated quoted field at line 3, column 3");
      CHECK(e.line() == 3);
      CHECK(e.column() == 3);
      CHECK(e.row() == 1);
    }
    try {
      (void)bkt::parse_csv("user_id,skill_name,correct\n\"a\n\"b,s,1\n");
      FAIL("expected parse_error");
    } catch (const masterymap::parse_error& e) {
      CHECK(std::string(e.what()) ==
            "BKT CSV: unexpected character after a quoted field at line 3, column 2");
      CHECK(e.line() == 3);
      CHECK(e.column() == 2);
      CHECK(e.row() == 0);
    }
    // A lone CR on the last line is a record of one empty field, not a blank line.
    CHECK_THROWS_WITH_AS((void)bkt::parse_csv("user_id,skill_name,correct\na,s,1\n\r"),
                         "BKT CSV: row 1 (line 3) has 1 fields, expected at least 3",
                         masterymap::parse_error);
  }
}  // TEST_SUITE
