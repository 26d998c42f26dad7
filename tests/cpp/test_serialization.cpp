// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// Objects that travel: equality of every value type, and the serialisations that let objects
// go to another process and come back equal (framework, builder and policy JSON, the roster
// snapshot in memory, learner states and BKT datasets in their binary forms).
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iterator>
#include <limits>
#include <masterymap/bkt.hpp>
#include <masterymap/bkt_source.hpp>
#include <masterymap/engine.hpp>
#include <masterymap/pacing.hpp>
#include <masterymap/progression.hpp>
#include <masterymap/roster.hpp>
#include <string>
#include <vector>

#include "fixtures.hpp"

namespace mm = masterymap;

namespace {

constexpr double nan_v = std::numeric_limits<double>::quiet_NaN();

mm::policy decaying_policy() {
  mm::rule r;
  r.method = mm::method::decaying_average(0.6);
  r.require_kinds = {"discussion"};
  return mm::policy(mm::scale::four_point(), r, "decaying");
}

mm::evidence_log small_log() {
  mm::evidence_log log({"portfolio"});
  log.add_unchecked({"s1", "A", 1.0, 3.0});
  log.add_unchecked({"s1", "B", 2.0, 2.0, "summative", 2.0, "teacher"});
  log.add_unchecked({"s2", "A", 3.0, 4.0, "portfolio"});
  log.add_unchecked({"s1", "B", 4.0, 3.0, "discussion"});
  log.add_unchecked({"s1", "D", 5.0, 1.0});
  log.add_unchecked({"s2", "C", 6.0, 2.0});
  return log;
}

// Every prefix of `bytes` shorter than the whole must be rejected as a parse_error.
template <typename Restore>
void check_every_truncation(const std::string& bytes, Restore&& restore) {
  for (std::size_t n = 0; n < bytes.size(); ++n)
    CHECK_THROWS_AS(restore(std::string_view(bytes.data(), n)), mm::parse_error);
}

}  // namespace

TEST_SUITE("serialization") {
  TEST_CASE("a framework's JSON keeps the edges its build dropped") {
    auto b = fixtures::diamond_builder();
    b.add_prerequisite("A", "D");  // closes cycles
    b.add_prerequisite("B", "B");  // a self-loop
    mm::build_options o;
    o.drop_cycle_edges = true;
    const mm::framework fw = b.build(o);
    REQUIRE(fw.dropped_edges().size() == 2);
    const mm::framework back = mm::framework::from_json(fw.to_json());
    CHECK(back == fw);
    CHECK(back.dropped_edges() == fw.dropped_edges());
    // Without dropped edges the document is as before (no field).
    const mm::framework plain = fixtures::diamond_builder().build();
    CHECK(plain.to_json().find("dropped_edges") == std::string::npos);
  }

  TEST_CASE("a builder round-trips through JSON unchecked, and builds the same") {
    auto b = fixtures::diamond_builder();
    mm::competency c;
    c.id = "E";
    c.tags = {"x", "y"};
    c.metadata = {{"grade", "K"}};
    c.kind = mm::competency_kind::disposition;
    b.add_competency(c).add_child("A", "E").add_prerequisite("E", "D", mm::strength::familiar, 2.0);
    const auto back = mm::framework_builder::from_json(b.to_json(-1));
    CHECK(back == b);
    CHECK(back.build() == b.build());
    auto changed = back;
    changed.add_competency("F");
    CHECK(changed != b);
    // A builder with problems travels too; its build fails as the original's does.
    mm::framework_builder bad("bad");
    bad.add_competency("A").add_competency("A").add_prerequisite("A", "missing");
    const auto bad_back = mm::framework_builder::from_json(bad.to_json());
    CHECK(bad_back == bad);
    CHECK_THROWS_AS((void)bad_back.build(), mm::validation_error);
  }

  TEST_CASE("a policy with problems reads back unvalidated, and only so") {
    // The checked constructor and setters refuse such a policy; only JSON can carry one.
    mm::rule r;
    r.method = mm::method::weighted_average(0.375);
    mm::policy good(mm::scale::four_point(), r);
    good.override_competency("X", mm::rule{});
    std::string text = good.to_json();
    const auto at = text.find("0.375");
    REQUIRE(at != std::string::npos);
    text.replace(at, 5, "1.375");  // w outside (0, 1)
    CHECK_THROWS_AS((void)mm::method::weighted_average(1.5), mm::policy_error);
    CHECK_THROWS_AS((void)mm::policy::from_json(text), mm::policy_error);
    const mm::policy back = mm::policy::from_json_unvalidated(text);
    REQUIRE(back.problems().size() == 1);
    CHECK(back.problems()[0].find("rule.method.w") != std::string::npos);
    CHECK(back.to_json() == text);  // exactly what was written
    CHECK(mm::policy::from_json_unvalidated(back.to_json()) == back);
    // Structural problems still fail.
    CHECK_THROWS_AS((void)mm::policy::from_json_unvalidated("{\"format\": 3}"), mm::policy_error);
    CHECK_THROWS_AS((void)mm::policy::from_json_unvalidated("{"), mm::parse_error);
  }

  TEST_CASE("evidence logs compare by names and rows, not by how attributes were interned") {
    const mm::evidence_log a = small_log();
    CHECK(a == a);
    CHECK(mm::evidence_log(a) == a);
    // The same rows appended as one batch intern the (kind, weight, source) triples in another
    // order, so the attribute codes differ: the logs are still equal.
    mm::evidence_log b({"portfolio"});
    std::vector<mm::evidence> rows;
    for (std::size_t i = 0; i < a.size(); ++i) rows.push_back(a.at(i));
    std::reverse(rows.begin(), rows.end());
    mm::evidence_log reversed({"portfolio"});
    reversed.append_unchecked(rows);
    CHECK(reversed != a);  // other learner codes and row order
    b.append_unchecked(
        std::vector<mm::evidence>{a.at(0), a.at(1), a.at(2), a.at(3), a.at(4), a.at(5)});
    CHECK(b == a);
    mm::evidence_log c = a;
    c.add_unchecked({"s3", "A", 7.0, 1.0});
    CHECK(c != a);
    mm::evidence_log d({"portfolio", "extra"});
    d.append_unchecked(rows);
    CHECK(d != reversed);  // another kind table
    mm::evidence_log e;
    e.add_unchecked({"s1", "A", 1.0, 3.0, "formative", 0.5});
    mm::evidence_log f;
    f.add_unchecked({"s1", "A", 1.0, 3.0, "formative", 1.0});
    CHECK(e != f);  // weights differ
  }

  TEST_CASE("a learner state survives its bytes: equal, and explain and update go on alike") {
    const mm::framework fw = fixtures::diamond_builder().build();
    const mm::engine eng(fw, decaying_policy());
    mm::evidence_log log = small_log();
    const mm::learner_state st = eng.evaluate(log, "s1");
    const std::string bytes = st.to_bytes();
    // Restored on another engine compiled from equal inputs.
    const mm::engine other(mm::framework::from_json(fw.to_json()), decaying_policy());
    CHECK(other == eng);
    mm::learner_state back = other.state_from_bytes(bytes);
    CHECK(back == st);
    CHECK(back.to_bytes() == bytes);
    for (mm::index_t i = 0; i < fw.size(); ++i) CHECK(back.explain(i, log) == st.explain(i, log));
    // Both continue identically.
    mm::learner_state orig = st;
    log.add_unchecked({"s1", "C", 8.0, 4.0, "discussion"});
    log.add_unchecked({"s1", "A", 9.0, 1.0});
    eng.update(orig, log);
    other.update(back, log);
    CHECK(back == orig);
    CHECK(back == eng.evaluate(log, "s1"));
    CHECK(back != st);
    // A learner without evidence, and a state never given an evidence index.
    const mm::learner_state none = eng.evaluate(log, "nobody");
    CHECK(eng.state_from_bytes(none.to_bytes()) == none);
  }

  TEST_CASE("bad learner-state bytes are a parse_error, never a wrong state") {
    const mm::framework fw = fixtures::diamond_builder().build();
    const mm::engine eng(fw, decaying_policy());
    const mm::evidence_log log = small_log();
    const std::string bytes = eng.evaluate(log, "s1").to_bytes();
    check_every_truncation(bytes, [&](std::string_view b) { return eng.state_from_bytes(b); });
    CHECK_THROWS_AS((void)eng.state_from_bytes(bytes + "x"), mm::parse_error);
    CHECK_THROWS_AS((void)eng.state_from_bytes(fixtures::diamond_builder().to_json()),
                    mm::parse_error);
    // Another framework size.
    mm::framework_builder b;
    b.add_competency("A");
    const mm::engine small(b.build(), decaying_policy());
    CHECK_THROWS_AS((void)small.state_from_bytes(bytes), mm::parse_error);
    // A status code out of range: the status column follows the header, learner, as_of and
    // log position, then its 8-byte count.
    std::string bad = bytes;
    const std::size_t status_at = 16 + 8 + 2 + 8 + 8 + 8;
    REQUIRE(bad.size() > status_at);
    bad[status_at] = 9;
    CHECK_THROWS_AS((void)eng.state_from_bytes(bad), mm::parse_error);
  }

  TEST_CASE(
      "a roster's bytes are its snapshot, and the restored roster is equal and goes on alike") {
    const mm::framework fw = fixtures::diamond_builder().build();
    mm::roster r(fw, decaying_policy());
    r.ingest(small_log());
    const std::string bytes = r.to_bytes();
    fixtures::temp_file f("roster.snap");
    r.save(f.path());
    std::ifstream in(f.path(), std::ios::binary);
    const std::string file((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    CHECK(file == bytes);
    mm::roster back = mm::roster::from_bytes(bytes);
    CHECK(back == r);
    CHECK(mm::roster::load(f.path()) == r);
    const std::vector<mm::evidence> more = {{"s3", "B", 10.0, 4.0}, {"s1", "C", 11.0, 3.0}};
    r.ingest(more);
    CHECK(back != r);
    back.ingest(more);
    CHECK(back == r);
    CHECK(back.frontier_matrix() == r.frontier_matrix());
    check_every_truncation(bytes, [](std::string_view b) { return mm::roster::from_bytes(b); });
    // A flipped bit anywhere is caught (by the checksum at the latest).
    for (std::size_t at = 0; at < bytes.size(); at += 7) {
      std::string flipped = bytes;
      flipped[at] = static_cast<char>(flipped[at] ^ 0x20);
      CHECK_THROWS_AS((void)mm::roster::from_bytes(flipped), mm::parse_error);
    }
    // Another policy, or a fixed evaluation time, makes another roster.
    mm::roster other(fw, mm::policy(mm::scale::four_point()));
    other.ingest(small_log());
    mm::roster first(fw, decaying_policy());
    first.ingest(small_log());
    CHECK(other != first);
    mm::roster_options o;
    o.as_of = 100.0;
    mm::roster fixed(fw, decaying_policy(), o);
    fixed.ingest(small_log());
    CHECK(fixed != first);
    CHECK(mm::roster::from_bytes(fixed.to_bytes()) == fixed);
  }

  TEST_CASE("engines, progressions and their results compare by value") {
    const mm::framework fw = fixtures::diamond_builder().build();
    const mm::engine a(fw, decaying_policy());
    const mm::engine b(mm::framework::from_json(fw.to_json()), decaying_policy());
    const mm::engine c(fw, mm::policy(mm::scale::letter()));
    CHECK(a == b);
    CHECK(a != c);
    const mm::progression pa(a), pb(b), pc(c);
    CHECK(pa == pb);
    CHECK(pa != pc);
    CHECK(pa.scale() == mm::scale::four_point());
    // The inference rule is compared too (progression::infer): a progression from the scale
    // alone has none; one from the same framework and policy is equal to the engine's.
    CHECK(mm::progression(fw, mm::scale::four_point()) != pa);
    CHECK(mm::progression(fw, decaying_policy()) == pa);
    CHECK(pa == a.progression());

    const mm::evidence_log log = small_log();
    const mm::learner_state sa = a.evaluate(log, "s1"), sb = b.evaluate(log, "s1");
    CHECK(sa == sb);
    CHECK(sa != a.evaluate(log, "s2"));
    CHECK(sa != c.evaluate(log, "s1"));  // another policy
    CHECK(mm::blocked_by(sa, "D") == mm::blocked_by(sb, "D"));
    CHECK(mm::gaps(sa) == mm::gaps(sb));
    CHECK(mm::path_to(sa, {"D"}, 0.5) == mm::path_to(sb, {"D"}, 0.5));
    CHECK(mm::level(sa, "N") == mm::level(sb, "N"));
    const auto ra = pa.recommend(mm::view_of(sa)), rb = pb.recommend(mm::view_of(sb));
    CHECK(ra == rb);
    REQUIRE_FALSE(ra.empty());
    auto changed = ra;
    changed[0].score += 1;
    CHECK(changed != ra);
    // NaN fields (no value) compare equal.
    mm::pace_report x;
    x.needed_rate = nan_v;
    CHECK(x == x);
    mm::blocker y;
    y.score = nan_v;
    CHECK(y == y);
    mm::pace_plan p1;
    p1.target = 10;
    p1.goals = {"D"};
    mm::pace_plan p2 = p1;
    CHECK(p1 == p2);
    p2.calendar = {{5.0, 1.0}};
    CHECK(p1 != p2);
    const mm::learner_view v = mm::view_of(sa);
    CHECK(mm::pacing(pa, v, p1, 5.0) == mm::pacing(pb, mm::view_of(sb), p1, 5.0));
    CHECK(sa.explain("B", log) == sb.explain("B", log));
    CHECK(sa.explain("B", log) != sa.explain("A", log));
  }

  TEST_CASE("BKT: datasets round-trip their bytes, and models, tracers and sources compare") {
    std::vector<mm::bkt::skill_params> ps(2);
    ps[0].skill = "A";
    ps[1].skill = "B_C";
    ps[1].prior = 0.3;
    mm::bkt::dataset d = mm::bkt::simulate(ps, 20, 6, 7);
    d = d.apply_multi_skill(mm::bkt::multi_skill::split);  // source rows differ from identity
    REQUIRE(d.source_row().size() > 0);
    const std::string bytes = d.to_bytes();
    const auto back = mm::bkt::dataset::from_bytes(bytes);
    CHECK(back == d);
    CHECK(back.source_row() == d.source_row());
    CHECK(back.to_bytes() == bytes);
    check_every_truncation(bytes,
                           [](std::string_view b) { return mm::bkt::dataset::from_bytes(b); });
    mm::bkt::dataset ordered;
    ordered.add("u", "s", true, 2.0, "k1");
    ordered.add("u", "s", false, 1.0, "k2");
    CHECK(mm::bkt::dataset::from_bytes(ordered.to_bytes()) == ordered);
    CHECK(ordered != d);

    mm::bkt::fit_options o;
    o.num_fits = 2;
    o.threads = 1;
    const mm::bkt::model m = mm::bkt::fit(d, o);
    CHECK(mm::bkt::model::from_json(m.to_json()) == m);
    CHECK(m != mm::bkt::model(ps));
    mm::bkt::tracer t(m, 0.9);
    t.update("u1", "A", true);
    t.update("u2", "B", false);
    CHECK(mm::bkt::tracer::from_json(t.to_json()) == t);
    mm::bkt::tracer u = t;
    CHECK(u == t);
    u.update("u1", "A", true);
    CHECK(u != t);
    mm::bkt::source_options so;
    so.skill_of = {{"X", "A"}};
    CHECK(mm::bkt::model_probabilities(m, so) == mm::bkt::model_probabilities(m, so));
    CHECK(mm::bkt::model_probabilities(m, so) != mm::bkt::model_probabilities(m));
  }
}
