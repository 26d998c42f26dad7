// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// Retractions (xAPI voiding) and the statements path (idempotent by statement id) across
// batches: the log, the engine, the roster, snapshots and xAPI. The oracle: ratings after a
// retraction equal ratings computed on a log that never had the retracted rows.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <masterymap/engine.hpp>
#include <masterymap/error.hpp>
#include <masterymap/evidence.hpp>
#include <masterymap/io/xapi.hpp>
#include <masterymap/roster.hpp>
#include <random>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "fixtures.hpp"

namespace mm = masterymap;

namespace {

bool same_double(double a, double b) { return (std::isnan(a) && std::isnan(b)) || a == b; }

mm::policy mean_policy() {
  mm::rule r;
  r.method = mm::method::mean();
  return mm::policy(mm::scale::four_point(), r);
}

mm::policy decaying_policy() {
  mm::rule r;
  r.method = mm::method::decaying_average(0.65);
  r.min_evidence = 2;
  return mm::policy(mm::scale::four_point(), r);
}

// Random statement evidence: every row has a distinct source "s<i>".
std::vector<mm::evidence> statements(std::mt19937& rng, std::size_t n) {
  const std::vector<std::string> comps{"A", "B", "C", "D"};
  std::uniform_int_distribution<int> learner(0, 7), comp(0, 3), score(1, 4), day(0, 60);
  std::vector<mm::evidence> out;
  for (std::size_t i = 0; i < n; ++i)
    out.emplace_back("L" + std::to_string(learner(rng)), comps[static_cast<std::size_t>(comp(rng))],
                     86400.0 * day(rng), score(rng), "formative", 1.0, "s" + std::to_string(i));
  return out;
}

mm::evidence_columns columns_of(const mm::evidence_log& log, std::vector<std::uint32_t>& src,
                                std::vector<double>& score, std::vector<double>& weight,
                                std::vector<std::uint32_t>& kind, std::vector<std::string_view>& sn,
                                std::vector<std::string_view>& ln,
                                std::vector<std::string_view>& cn,
                                std::vector<std::string_view>& kn) {
  const std::size_t n = log.size();
  src.resize(n);
  score.resize(n);
  weight.resize(n);
  kind.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    const auto& a = log.attributes()[log.attribute_codes()[i]];
    src[i] = a.source;
    kind[i] = a.kind;
    weight[i] = static_cast<double>(a.weight);
    score[i] = static_cast<double>(log.scores()[i]);
  }
  sn.assign(log.sources().begin(), log.sources().end());
  ln.assign(log.learners().begin(), log.learners().end());
  cn.assign(log.competencies().begin(), log.competencies().end());
  kn.assign(log.kinds().begin(), log.kinds().end());
  mm::evidence_columns b;
  b.size = n;
  b.learner = {log.learner_codes().data(), ln};
  b.competency = {log.competency_codes().data(), cn};
  b.kind = {kind.data(), kn};
  b.source = {src.data(), sn};
  b.time.values = log.times().data();
  b.score.values = score.data();
  b.weight.values = weight.data();
  return b;
}

// The oracle: every learner's statuses and scores from `eng` on `with` (which has retractions)
// equal those on a log of the same rows without the retracted ones, at the same time.
void check_oracle(const mm::engine& eng, const mm::evidence_log& with, double as_of) {
  mm::evidence_log without;
  for (std::size_t i = 0; i < with.size(); ++i)
    if (!with.row_retracted(i)) without.add_unchecked(with.at(i));
  mm::evaluate_options o;
  o.as_of = as_of;
  const mm::ratings_table a = eng.ratings(with, o), b = eng.ratings(without, o);
  for (const auto& l : with.learners()) {
    const mm::learner_state x = eng.evaluate(with, l, o);
    const mm::learner_state y = eng.evaluate(without, l, o);
    for (mm::index_t c = 0; c < eng.framework().size(); ++c) {
      REQUIRE(x.status(c) == y.status(c));
      REQUIRE(x.score(c) == y.score(c));
    }
  }
  // The bulk path: the same cells (a learner whose every row is retracted has none).
  std::vector<std::tuple<std::string, mm::index_t, mm::status, double>> ca, cb;
  for (std::size_t k = 0; k < a.learner.size(); ++k)
    ca.emplace_back(a.learners[a.learner[k]], a.competency[k], a.statuses[k], a.scores[k]);
  for (std::size_t k = 0; k < b.learner.size(); ++k)
    cb.emplace_back(b.learners[b.learner[k]], b.competency[k], b.statuses[k], b.scores[k]);
  std::sort(ca.begin(), ca.end(), [](const auto& p, const auto& q) {
    return std::tie(std::get<0>(p), std::get<1>(p)) < std::tie(std::get<0>(q), std::get<1>(q));
  });
  std::sort(cb.begin(), cb.end(), [](const auto& p, const auto& q) {
    return std::tie(std::get<0>(p), std::get<1>(p)) < std::tie(std::get<0>(q), std::get<1>(q));
  });
  REQUIRE(ca.size() == cb.size());
  for (std::size_t k = 0; k < ca.size(); ++k) {
    REQUIRE(std::get<0>(ca[k]) == std::get<0>(cb[k]));
    REQUIRE(std::get<1>(ca[k]) == std::get<1>(cb[k]));
    REQUIRE(std::get<2>(ca[k]) == std::get<2>(cb[k]));
    REQUIRE(same_double(std::get<3>(ca[k]), std::get<3>(cb[k])));
  }
}

// Every learner's roster row equals a fresh evaluation of the log without its retracted rows.
void check_roster_oracle(const mm::roster& ro) {
  mm::evidence_log without;
  for (std::size_t i = 0; i < ro.log().size(); ++i)
    if (!ro.log().row_retracted(i)) without.add_unchecked(ro.log().at(i));
  mm::evaluate_options o;
  o.as_of = ro.as_of();
  const std::size_t nc = ro.competencies();
  for (std::size_t l = 0; l < ro.size(); ++l) {
    const mm::learner_state y = ro.engine().evaluate(without, ro.learners()[l], o);
    for (mm::index_t c = 0; c < nc; ++c) {
      REQUIRE(ro.statuses()[l * nc + c] == y.status(c));
      REQUIRE(same_double(ro.scores()[l * nc + c], y.score(c).value_or(NAN)));
    }
  }
}

}  // namespace

TEST_SUITE("evidence_retract") {
  TEST_CASE("a retraction keeps the rows, flags them, and is an event of the log") {
    mm::evidence_log log;
    log.add_unchecked({"ann", "A", 1.0, 3.0, "formative", 1.0, "st-1"});
    log.add_unchecked({"ann", "A", 2.0, 1.0, "formative", 1.0, "st-2"});
    log.add_unchecked({"ann", "B", 3.0, 2.0, "formative", 1.0, ""});
    log.retract("st-2", "void-1");
    CHECK(log.size() == 3);
    CHECK(log.retracted("st-2"));
    CHECK_FALSE(log.retracted("st-1"));
    CHECK(log.row_retracted(1));
    CHECK_FALSE(log.row_retracted(0));
    REQUIRE(log.retraction_of("st-2") != nullptr);
    CHECK(log.retraction_of("st-2")->by == "void-1");
    // Double void: nothing changes, the first voiding statement is kept.
    CHECK(log.retract(std::vector<mm::retraction>{{"st-2", "void-2"}}) == 0);
    CHECK(log.retractions() == std::vector<mm::retraction>{{"st-2", "void-1"}});
    // Evidence without a source cannot be retracted: the log is unchanged (all or nothing).
    const mm::evidence_log before = log;
    CHECK_THROWS_AS(log.retract(std::vector<mm::retraction>{{"st-1", "v"}, {"", "v"}}),
                    std::invalid_argument);
    CHECK(log == before);
    CHECK_FALSE(log.retracted("st-1"));
    // Equality and copies include the retractions.
    mm::evidence_log other;
    for (std::size_t i = 0; i < log.size(); ++i) other.add_unchecked(log.at(i));
    CHECK(other != log);
    other.retract("st-2", "void-1");
    CHECK(other == log);
    CHECK(mm::evidence_log(log) == log);
  }

  TEST_CASE("a void before its target arrives: the later evidence is retracted on arrival") {
    mm::evidence_log log;
    log.retract("late", "v");
    log.add_unchecked({"ann", "A", 1.0, 3.0, "formative", 1.0, "late"});
    log.add_unchecked({"ann", "A", 2.0, 1.0, "formative", 1.0, "other"});
    CHECK(log.row_retracted(0));
    CHECK_FALSE(log.row_retracted(1));
    const mm::engine eng(fixtures::diamond_builder().build(), mean_policy());
    const auto st = eng.evaluate(log, "ann");
    CHECK(st.score(0) == doctest::Approx(1.0));  // only the other row counts
  }

  TEST_CASE("retract says whether it matched, pending_retractions lists those that did not") {
    // Issue 14: retracting a source not in the log was silent. It stays allowed (a void may come
    // before its statement, xAPI), but is reported.
    mm::evidence_log log;
    log.add_unchecked({"ann", "A", 1.0, 3.0, "formative", 1.0, "s1"});
    CHECK_FALSE(log.retract("typo", "v0"));
    CHECK(log.pending_retractions() == std::vector<mm::retraction>{{"typo", "v0"}});
    CHECK(log.retract("s1", "v1"));
    CHECK(log.row_retracted(0));
    CHECK_FALSE(log.retract("s1", "v2"));  // retracted before: nothing changes
    CHECK_FALSE(log.retract("s2"));
    CHECK(log.pending_retractions() == std::vector<mm::retraction>{{"typo", "v0"}, {"s2", ""}});
    log.add_unchecked({"ann", "A", 2.0, 1.0, "formative", 1.0, "s2"});  // voided on arrival
    CHECK(log.row_retracted(1));
    CHECK(log.pending_retractions() == std::vector<mm::retraction>{{"typo", "v0"}});
    CHECK(log.retractions().size() == 3);
  }

  TEST_CASE("statements: the same id twice across batches counts once, other content is an error") {
    mm::evidence_log log;
    const std::vector<mm::evidence> first{{"ann", "A", 1.0, 3.0, "formative", 1.0, "st-1"},
                                          {"ann", "B", 1.0, 2.0, "formative", 1.0, ""}};
    std::vector<mm::evidence> rows = first;
    {
      mm::evidence_log tmp;
      tmp.append_unchecked(rows);
      std::vector<std::uint32_t> src, kind;
      std::vector<double> score, weight;
      std::vector<std::string_view> sn, ln, cn, kn;
      const auto b = columns_of(tmp, src, score, weight, kind, sn, ln, cn, kn);
      auto s = log.append_statements(b, {}, {});
      CHECK(s.rows == 2);
      CHECK(s.duplicates == 0);
      // The same batch again: the statement is skipped, the row without a source is kept.
      s = log.append_statements(b, {}, {});
      CHECK(s.rows == 1);
      CHECK(s.duplicates == 1);
      CHECK(log.size() == 3);
    }
    // The same id with another score (and a repeat within the batch): an error naming the id
    // and both values; nothing changes.
    const mm::evidence_log before = log;
    {
      mm::evidence_log tmp;
      tmp.append_unchecked(
          std::vector<mm::evidence>{{"bob", "C", 5.0, 4.0, "formative", 1.0, "st-9"},
                                    {"bob", "C", 5.0, 4.0, "formative", 1.0, "st-9"},
                                    {"ann", "A", 1.0, 2.0, "formative", 1.0, "st-1"}});
      std::vector<std::uint32_t> src, kind;
      std::vector<double> score, weight;
      std::vector<std::string_view> sn, ln, cn, kn;
      const auto b = columns_of(tmp, src, score, weight, kind, sn, ln, cn, kn);
      try {
        (void)log.append_statements(b, {{"st-1", "v"}}, {});
        FAIL("no error");
      } catch (const mm::evidence_error& e) {
        REQUIRE(e.problems().size() == 1);
        CHECK(e.rows() == std::vector<std::size_t>{2});
        CHECK(e.problems()[0].ids == std::vector<std::string>{"st-1"});
        CHECK(e.problems()[0].message ==
              "row 2: statement 'st-1' was ingested before with other content: score 2 (was 3)");
      }
      CHECK(log == before);
      CHECK_FALSE(log.retracted("st-1"));
      // Without the conflict: the in-batch repeat counts once.
      mm::evidence_log tmp2;
      tmp2.append_unchecked(
          std::vector<mm::evidence>{{"bob", "C", 5.0, 4.0, "formative", 1.0, "st-9"},
                                    {"bob", "C", 5.0, 4.0, "formative", 1.0, "st-9"}});
      const auto b2 = columns_of(tmp2, src, score, weight, kind, sn, ln, cn, kn);
      const auto s = log.append_statements(b2, {{"st-1", "v"}}, {});
      CHECK(s.rows == 1);
      CHECK(s.duplicates == 1);
      CHECK(s.retracted == 1);
      CHECK(s.rows_voided == 1);
      CHECK(log.size() == 4);
    }
  }

  TEST_CASE("engine: ratings after voiding equal ratings on the log without the voided rows") {
    const mm::framework fw = fixtures::diamond_builder().build();
    for (const mm::policy& pol : {mean_policy(), decaying_policy()}) {
      const mm::engine eng(fw, pol);
      std::mt19937 rng(11);
      const auto rows = statements(rng, 400);
      mm::evidence_log log;
      log.append_unchecked(rows);
      const double as_of = log.max_time();
      std::vector<mm::retraction> voids;
      std::uniform_int_distribution<int> pick(0, 399);
      for (int k = 0; k < 80; ++k) voids.push_back({"s" + std::to_string(pick(rng)), "v"});
      voids.push_back({"not-yet", "v"});
      log.retract(voids);
      check_oracle(eng, log, as_of);
      // Incremental update: a state made before a retraction follows it.
      mm::evidence_log grow;
      grow.append_unchecked(rows);
      mm::evaluate_options o;
      o.as_of = as_of;
      auto st = eng.evaluate(grow, "L1", o);
      grow.retract(voids);
      eng.update(st, grow, o);
      const auto fresh = eng.evaluate(grow, "L1", o);
      for (mm::index_t c = 0; c < fw.size(); ++c) {
        CHECK(st.status(c) == fresh.status(c));
        CHECK(st.score(c) == fresh.score(c));
      }
    }
  }

  TEST_CASE("explain lists voided evidence, naming the voiding statement") {
    const mm::engine eng(fixtures::diamond_builder().build(), mean_policy());
    mm::evidence_log log;
    log.add_unchecked({"ann", "A", 1.0, 3.0, "formative", 1.0, "st-1"});
    log.add_unchecked({"ann", "A", 2.0, 1.0, "formative", 1.0, "st-2"});
    log.retract("st-2", "void-9");
    const auto ex = eng.evaluate(log, "ann").explain("A", log);
    REQUIRE(ex.evidence.size() == 2);
    CHECK(ex.evidence[0].used);
    CHECK_FALSE(ex.evidence[1].used);
    CHECK(ex.evidence[1].source == "st-2");
    CHECK(ex.evidence[1].reason == "voided by statement 'void-9'");
    CHECK(ex.value == doctest::Approx(3.0));
    CHECK(ex.text.find("voided by statement 'void-9'") != std::string::npos);
  }

  TEST_CASE("roster: batches with voids and repeats equal a fresh evaluation without the voided") {
    const mm::framework fw = fixtures::diamond_builder().build();
    for (const mm::policy& pol : {mean_policy(), decaying_policy()}) {
      mm::roster ro(fw, pol);
      std::mt19937 rng(3);
      const auto rows = statements(rng, 600);
      std::uniform_int_distribution<int> pick(0, 599);
      std::size_t pos = 0;
      int batch_no = 0;
      while (pos < rows.size()) {
        const std::size_t n = std::min<std::size_t>(rows.size() - pos, 1 + (batch_no * 37) % 90);
        std::vector<mm::evidence> b(rows.begin() + static_cast<std::ptrdiff_t>(pos),
                                    rows.begin() + static_cast<std::ptrdiff_t>(pos + n));
        // Re-send a few earlier statements (the same content): skipped.
        if (pos > 10) b.push_back(rows[pos - 3]);
        mm::evidence_log tmp;
        tmp.append_unchecked(b);
        std::vector<std::uint32_t> src, kind;
        std::vector<double> score, weight;
        std::vector<std::string_view> sn, ln, cn, kn;
        const auto cols = columns_of(tmp, src, score, weight, kind, sn, ln, cn, kn);
        // Voids of earlier statements, of ones in no batch yet, and again of voided ones (each
        // by a voiding statement of its own: an id names one statement)
        std::vector<mm::retraction> voids;
        for (int k = 0; k < 3; ++k)
          voids.push_back({"s" + std::to_string(pick(rng)),
                           "v" + std::to_string(batch_no) + "-" + std::to_string(k)});
        const auto s = ro.ingest_statements(cols, voids);
        CHECK(s.rows == n);
        CHECK(s.duplicates == (pos > 10 ? 1U : 0U));
        pos += n;
        ++batch_no;
        check_roster_oracle(ro);
      }
      CHECK(ro.log().size() == rows.size());
      // A conflicting repeat: an error, the roster unchanged.
      const std::string before = ro.to_bytes();
      mm::evidence_log bad;
      bad.add_unchecked({rows[5].learner, rows[5].competency, rows[5].time, 4.0, "formative", 1.0,
                         rows[5].source});
      if (rows[5].score == 4.0) bad = mm::evidence_log{};
      if (bad.size() == 1) {
        std::vector<std::uint32_t> src, kind;
        std::vector<double> score, weight;
        std::vector<std::string_view> sn, ln, cn, kn;
        const auto cols = columns_of(bad, src, score, weight, kind, sn, ln, cn, kn);
        CHECK_THROWS_AS((void)ro.ingest_statements(cols, {{"s1", "x"}}), mm::evidence_error);
        CHECK(ro.to_bytes() == before);
      }
      // The snapshot keeps the retractions (versions 5 and 6), and the loaded roster goes on
      // alike.
      const mm::roster back = mm::roster::from_bytes(ro.to_bytes());
      CHECK(back == ro);
      CHECK(back.log().retractions() == ro.log().retractions());
      CHECK_FALSE(ro.log().retractions().empty());
      std::uint32_t version = 0;
      const std::string bytes = ro.to_bytes();
      std::memcpy(&version, bytes.data() + 8, 4);
      CHECK(version == 6);
      {
        const fixtures::temp_file v5("retracted_v5.bin");
        ro.save(v5.path(), {}, 5);
        const mm::roster old = mm::roster::load(v5.path());
        CHECK(old == ro);
        CHECK(old.log().retractions() == ro.log().retractions());
      }
      // retract on the roster: one call, the learners touched re-evaluated.
      mm::roster again = mm::roster::from_bytes(bytes);
      std::vector<mm::retraction> more;
      for (int k = 0; k < 20; ++k) more.push_back({"s" + std::to_string(pick(rng)), "late"});
      (void)again.retract(more);
      check_roster_oracle(again);
    }
  }

  TEST_CASE("roster: the O(1) path skips evidence retracted on arrival") {
    mm::roster ro(fixtures::diamond_builder().build(), mean_policy());
    ro.add("ann", "A", 1.0, 3.0, "formative", 1.0, "st-1");
    (void)ro.retract({{"st-2", "v"}});
    ro.add("ann", "A", 2.0, 1.0, "formative", 1.0, "st-2");  // voided before it came
    ro.add("ann", "A", 3.0, 4.0, "formative", 1.0, "st-3");
    CHECK(ro.scores()[0] == doctest::Approx(3.5));
    check_roster_oracle(ro);
    // A batch log's retractions come with it.
    mm::evidence_log batch;
    batch.add_unchecked({"bob", "A", 1.0, 2.0, "formative", 1.0, "b-1"});
    batch.retract("st-3", "v2");
    ro.ingest(batch);
    CHECK(ro.scores()[0] == doctest::Approx(3.0));
    check_roster_oracle(ro);
  }

  TEST_CASE("xapi: voiding statements become retractions, batches feed a roster in turn") {
    const std::string id1 = "11111111-1111-4111-8111-111111111111";
    const std::string id2 = "22222222-2222-4222-8222-222222222222";
    const std::string id3 = "33333333-3333-4333-8333-333333333333";
    auto passed = [](const std::string& id, double scaled, const std::string& ts) {
      return R"({"id":")" + id +
             R"(","actor":{"mbox":"mailto:ann@example.org"},"verb":{"id":"http://adlnet.gov/expapi/verbs/passed"},"object":{"id":"http://example.org/act/A"},"result":{"score":{"scaled":)" +
             std::to_string(scaled) + R"(}},"timestamp":")" + ts + R"("})";
    };
    const std::string voiding =
        R"({"id":")" + id3 +
        R"(","actor":{"mbox":"mailto:admin@example.org"},"verb":{"id":"http://adlnet.gov/expapi/verbs/voided"},"object":{"objectType":"StatementRef","id":")" +
        id1 + R"("},"timestamp":"2024-03-03T00:00:00Z"})";
    mm::io::xapi_mapping m;
    m.score_scale = mm::scale::percent();
    m.alignment["http://example.org/act/A"] = "A";
    const std::string batch1 = "[" + passed(id1, 0.9, "2024-03-01T00:00:00Z") + "," +
                               passed(id2, 0.2, "2024-03-02T00:00:00Z") + "]";
    const std::string batch2 = "[" + voiding + "," + passed(id2, 0.2, "2024-03-02T00:00:00Z") + "]";
    const auto e1 = mm::io::parse_xapi(batch1, m);
    const auto e2 = mm::io::parse_xapi(batch2, m);
    REQUIRE(e2.retractions.size() == 1);
    CHECK(e2.retractions[0] == mm::retraction{id1, id3});
    mm::roster ro(fixtures::diamond_builder().build(), mm::policy(mm::scale::percent(), {}));
    {
      const mm::io::statement_batch b(e1);
      CHECK(ro.ingest_statements(b.columns, b.retractions()).rows == 2);
    }
    CHECK(ro.scores()[0] == doctest::Approx(e1.score[1]));  // latest
    {
      const mm::io::statement_batch b(e2);
      const auto s = ro.ingest_statements(b.columns, b.retractions());
      CHECK(s.rows == 0);
      CHECK(s.duplicates == 1);
      CHECK(s.rows_voided == 1);
    }
    CHECK(ro.log().size() == 2);
    CHECK(ro.log().row_retracted(0));
    const auto ex = ro.learner("mbox:mailto:ann@example.org").explain("A", ro.log());
    REQUIRE(ex.evidence.size() == 2);
    CHECK(ex.evidence[0].reason == "voided by statement '" + id3 + "'");
    check_roster_oracle(ro);
  }
}

TEST_SUITE("evidence_retract") {
  TEST_CASE("a voiding statement cannot be voided, within a batch or across batches") {
    mm::evidence_log log;
    log.add_unchecked({"ann", "A", 1.0, 3.0, "formative", 1.0, "st-1"});
    mm::evidence_columns none;
    (void)log.append_statements(none, {{"st-1", "void-1"}}, {});
    const mm::evidence_log before = log;
    CHECK_THROWS_AS((void)log.append_statements(none, {{"void-1", "void-2"}}, {}),
                    mm::evidence_error);
    CHECK_THROWS_AS(
        (void)log.append_statements(none, {{"st-9", "void-3"}, {"void-3", "void-4"}}, {}),
        mm::evidence_error);
    CHECK(log == before);
    const std::string id1 = "11111111-1111-4111-8111-111111111111";
    const std::string v1 = "22222222-2222-4222-8222-222222222222";
    const std::string v2 = "33333333-3333-4333-8333-333333333333";
    auto voiding = [](const std::string& id, const std::string& target) {
      return R"({"id":")" + id +
             R"(","actor":{"mbox":"mailto:admin@example.org"},"verb":{"id":"http://adlnet.gov/expapi/verbs/voided"},"object":{"objectType":"StatementRef","id":")" +
             target + R"("},"timestamp":"2024-03-03T00:00:00Z"})";
    };
    try {
      (void)mm::io::parse_xapi("[" + voiding(v1, id1) + "," + voiding(v2, v1) + "]");
      FAIL("no error");
    } catch (const mm::evidence_error& e) {
      CHECK(e.rows() == std::vector<std::size_t>{1});
      CHECK(std::string(e.what()).find("itself a voiding statement") != std::string::npos);
    }
  }
}

TEST_SUITE("evidence_retract") {
  // xAPI: a statement id names one statement. Within a batch the reader refuses an id reused with
  // other content; across batches the log knows the voiding statements (its retractions' `by`)
  // and the evidence's statement ids, and refuses the same reuses.
  TEST_CASE("a voiding statement's id names one statement across batches: the log") {
    mm::evidence_log log;
    log.add_unchecked({"ann", "A", 1.0, 3.0, "formative", 1.0, "st-1"});
    log.add_unchecked({"ann", "A", 2.0, 2.0, "formative", 1.0, "st-2"});
    const mm::evidence_columns none;
    (void)log.append_statements(none, {{"st-1", "void-1"}}, {});
    const mm::evidence_log before = log;
    // the same void sent again: a repeat, nothing new
    CHECK(log.append_statements(none, {{"st-1", "void-1"}}, {}).retracted == 0);
    CHECK(log == before);
    // the void's id with another target
    CHECK_THROWS_WITH_AS(
        (void)log.append_statements(none, {{"st-2", "void-1"}}, {}),
        doctest::Contains("void 0: statement 'void-1' was ingested before as a voiding statement "
                          "of 'st-1': the same id cannot void 'st-2'"),
        mm::evidence_error);
    // the void's id on evidence
    const double weight = 1.0, time = 3.0, score = 4.0;
    mm::evidence_columns row =
        mm::evidence_columns::one_row("ann", "A", "formative", "void-1", &weight);
    row.time.values = &time;
    row.score.values = &score;
    try {
      (void)log.append_statements(row, {}, {});
      FAIL("no error");
    } catch (const mm::evidence_error& e) {
      CHECK(e.rows() == std::vector<std::size_t>{0});
      CHECK(std::string(e.what()).find("row 0: statement 'void-1' was ingested before as a "
                                       "voiding statement of 'st-1': the same id cannot be "
                                       "evidence") != std::string::npos);
    }
    // an evidence's statement id as a void
    CHECK_THROWS_WITH_AS((void)log.append_statements(none, {{"st-9", "st-2"}}, {}),
                         doctest::Contains("void 0: statement 'st-2' was ingested before as "
                                           "evidence: the same id cannot be a voiding statement "
                                           "of 'st-9'"),
                         mm::evidence_error);
    // every reuse listed at once, the log unchanged
    try {
      (void)log.append_statements(row, {{"st-2", "void-1"}, {"st-9", "st-1"}}, {});
      FAIL("no error");
    } catch (const mm::evidence_error& e) {
      // void 0's id voids st-1 already and is row 0's id; row 0's id is a void's; st-1 is
      // evidence
      CHECK(e.rows() == std::vector<std::size_t>{0, 0, 0, 1});
      CHECK(e.problems().size() == 4);
    }
    CHECK(log == before);
    CHECK(!log.retracted("st-2"));
    CHECK(!log.retracted("st-9"));
    // within one call as across calls: one id voiding two targets, a void's id on a row
    mm::evidence_log fresh;
    CHECK_THROWS_WITH_AS((void)fresh.append_statements(none, {{"a", "v"}, {"b", "v"}}, {}),
                         doctest::Contains("void 1: statement 'v' is void 0 of the batch as a "
                                           "voiding statement of 'a'"),
                         mm::evidence_error);
    CHECK_THROWS_WITH_AS((void)fresh.append_statements(row, {{"a", "void-1"}}, {}),
                         doctest::Contains("row 0: statement 'void-1' is void 0 of the batch"),
                         mm::evidence_error);
    CHECK(fresh.empty());
    CHECK(fresh.retractions().empty());
    // a second void of the same target (another id) stays allowed, as xAPI allows it
    CHECK_NOTHROW((void)log.append_statements(none, {{"st-1", "void-2"}}, {}));
  }

  TEST_CASE("a voiding statement's id names one statement across batches: xAPI into a roster") {
    const std::string id1 = "11111111-1111-4111-8111-111111111111";
    const std::string id2 = "22222222-2222-4222-8222-222222222222";
    const std::string v1 = "33333333-3333-4333-8333-333333333333";
    auto passed = [](const std::string& id, const std::string& ts) {
      return R"({"id":")" + id +
             R"(","actor":{"mbox":"mailto:ann@example.org"},"verb":{"id":"http://adlnet.gov/expapi/verbs/passed"},"object":{"id":"http://example.org/act/A"},"result":{"score":{"scaled":0.9}},"timestamp":")" +
             ts + R"("})";
    };
    auto voiding = [](const std::string& id, const std::string& target) {
      return R"({"id":")" + id +
             R"(","actor":{"mbox":"mailto:admin@example.org"},"verb":{"id":"http://adlnet.gov/expapi/verbs/voided"},"object":{"objectType":"StatementRef","id":")" +
             target + R"("},"timestamp":"2024-03-03T00:00:00Z"})";
    };
    mm::io::xapi_mapping m;
    m.score_scale = mm::scale::percent();
    m.alignment["http://example.org/act/A"] = "A";
    mm::roster ro(fixtures::diamond_builder().build(), mm::policy(mm::scale::percent(), {}));
    const auto ingest = [&](const std::string& text) {
      const auto e = mm::io::parse_xapi(text, m);
      const mm::io::statement_batch b(e);
      return ro.ingest_statements(b.columns, b.retractions());
    };
    (void)ingest(passed(id1, "2024-03-01T00:00:00Z") + "\n" + passed(id2, "2024-03-02T00:00:00Z"));
    CHECK(ingest(voiding(v1, id1)).rows_voided == 1);
    CHECK(ingest(voiding(v1, id1)).retracted == 0);  // the same void again: a repeat
    const auto bytes = ro.to_bytes();
    for (const std::string& reuse :
         {voiding(v1, id2), passed(v1, "2024-03-04T00:00:00Z"), voiding(id2, id1)}) {
      CAPTURE(reuse);
      CHECK_THROWS_AS((void)ingest(reuse), mm::evidence_error);
      CHECK(ro.to_bytes() == bytes);
    }
    CHECK(!ro.log().retracted(id2));
    // as a single batch behaves: the reader refuses the same reuses within one batch
    for (const std::string& reuse : {voiding(v1, id2), passed(v1, "2024-03-04T00:00:00Z")})
      CHECK_THROWS_WITH_AS((void)mm::io::parse_xapi(voiding(v1, id1) + "\n" + reuse, m),
                           doctest::Contains("was already used by statement 0"),
                           mm::evidence_error);
  }
}
