// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
#include <doctest/doctest.h>

#include <algorithm>
#include <masterymap/framework.hpp>
#include <random>
#include <set>
#include <thread>

#include "fixtures.hpp"

using namespace masterymap;

namespace {
std::vector<std::string> ids(const framework& f, const std::vector<index_t>& v) {
  std::vector<std::string> out;
  for (auto i : v) out.push_back(f.id_of(i));
  return out;
}
using sv = std::vector<std::string>;
}  // namespace

TEST_SUITE("framework") {
  TEST_CASE("lookup, direct and transitive queries on a diamond") {
    const framework f = fixtures::diamond_builder().build();
    CHECK(f.size() == 4);
    CHECK(f.edge_count() == 5);
    CHECK(f.name() == "diamond");
    CHECK(f.contains("C"));
    CHECK_FALSE(f.contains("Z"));
    CHECK(f.find("Z") == std::nullopt);
    CHECK(f.index_of("D") == 3);
    CHECK_THROWS_AS((void)f.index_of("Z"), unknown_id_error);
    CHECK_THROWS_AS((void)f.at(index_t{9}), std::out_of_range);
    CHECK(f.at("C").title == "Measure");

    const index_t D = f.index_of("D"), A = f.index_of("A");
    CHECK(ids(f, f.prerequisites(D)) == sv{"B", "C", "A"});        // insertion order
    CHECK(ids(f, f.prerequisites(D, true)) == sv{"A", "B", "C"});  // learning order
    CHECK(ids(f, f.prerequisites(D, false, strength_set::gating())) == sv{"B", "A"});
    CHECK(ids(f, f.prerequisites(D, true, {strength::required})) == sv{"A", "B"});
    CHECK(ids(f, f.dependents(A)) == sv{"B", "C", "D"});
    CHECK(ids(f, f.dependents(A, true)) == sv{"B", "C", "D"});
    CHECK(ids(f, f.dependents(f.index_of("C"), true, {strength::required})).empty());
    CHECK(f.prerequisites(A, true).empty());
    CHECK(ids(f, f.ancestors({f.index_of("B"), f.index_of("C")})) == sv{"A"});
    CHECK(ids(f, f.descendants({A})) == sv{"B", "C", "D"});
    CHECK_THROWS_AS((void)f.ancestors({7}), std::out_of_range);

    CHECK(f.edges_into(D).size() == 3);
    CHECK(f.edges_into(f.index_of("C")).front().strength == strength::familiar);
    CHECK(f.edges_out_of(A).size() == 3);
  }

  TEST_CASE("topological order is deterministic and stable under insertion order") {
    framework_builder b;
    for (auto id : {"E", "D", "C", "B", "A"}) b.add_competency(id);
    b.add_prerequisite("A", "C").add_prerequisite("B", "D");
    const framework f = b.build();
    // Ready at start: E, D, C (by insertion); D unlocks B, C unlocks A.
    CHECK(ids(f, f.topological_order()) == sv{"E", "D", "C", "B", "A"});
    framework_builder b2;
    for (auto id : {"C", "A", "B"}) b2.add_competency(id);
    b2.add_prerequisite("A", "B");
    CHECK(ids(b2.build(), b2.build().topological_order()) == sv{"C", "B", "A"});
    const auto& rank = f.topological_rank();
    for (const auto& e : f.edges()) CHECK(rank[e.prerequisite] < rank[e.dependent]);
  }

  TEST_CASE("depth, longest chain and redundant prerequisites") {
    const framework f = fixtures::diamond_builder().build();
    CHECK(f.depths() == std::vector<std::uint32_t>{0, 1, 1, 2});
    CHECK(ids(f, f.longest_chain()) == sv{"A", "B", "D"});
    const auto red = f.redundant_prerequisites();
    REQUIRE(red.size() == 1);
    CHECK(f.id_of(red[0].prerequisite) == "A");
    CHECK(f.id_of(red[0].dependent) == "D");
    // Only required edges: A->B->D still implies A->D.
    CHECK(f.redundant_prerequisites({strength::required}).size() == 1);
    // Only recommended edges: nothing is implied.
    CHECK(f.redundant_prerequisites({strength::recommended}).empty());
    CHECK(framework().longest_chain().empty());
    CHECK(framework().redundant_prerequisites().empty());
  }

  TEST_CASE("redundant prerequisites: only a path of links at least as strong implies an edge") {
    // A -> B -> C, and A -> C, with the strengths of the three edges varied.
    auto red = [](strength ab, strength bc, strength ac) {
      framework_builder b;
      b.add_competency("A").add_competency("B").add_competency("C");
      b.add_prerequisite("B", "A", ab)
          .add_prerequisite("C", "B", bc)
          .add_prerequisite("C", "A", ac);
      return b.build().redundant_prerequisites().size();
    };
    using s = strength;
    CHECK(red(s::required, s::required, s::required) == 1);
    // Issue 11: a path through a recommended link never implies a required edge.
    CHECK(red(s::required, s::recommended, s::required) == 0);
    CHECK(red(s::recommended, s::required, s::required) == 0);
    CHECK(red(s::required, s::recommended, s::familiar) == 0);
    CHECK(red(s::required, s::familiar, s::required) == 0);  // familiar does not imply required
    CHECK(red(s::familiar, s::required, s::familiar) == 1);
    CHECK(red(s::required, s::required, s::familiar) == 1);
    CHECK(red(s::recommended, s::recommended, s::recommended) == 1);
    CHECK(red(s::recommended, s::familiar, s::recommended) == 1);
  }

  TEST_CASE("redundant prerequisites with mixed strengths equal a tiered brute force") {
    std::mt19937 rng(1101);
    for (int trial = 0; trial < 20; ++trial) {
      const int n = 30;
      framework_builder b;
      for (int i = 0; i < n; ++i) b.add_competency("v" + std::to_string(i));
      // strength rank: required 0 (strongest), familiar 1, recommended 2
      std::vector<std::vector<int>> st(n, std::vector<int>(n, -1));
      for (int k = 0; k < 80; ++k) {
        const int x = static_cast<int>(rng() % n), y = static_cast<int>(rng() % n);
        if (x >= y || st[x][y] >= 0) continue;
        st[x][y] = static_cast<int>(rng() % 3);
        b.add_prerequisite("v" + std::to_string(y), "v" + std::to_string(x),
                           static_cast<strength>(st[x][y]));
      }
      const framework f = b.build();
      std::size_t want = 0;
      for (int tier = 0; tier < 3; ++tier) {
        // reach over links of rank <= tier
        std::vector<std::vector<bool>> reach(n, std::vector<bool>(n, false));
        for (int i = 0; i < n; ++i)
          for (int j = 0; j < n; ++j) reach[i][j] = st[i][j] >= 0 && st[i][j] <= tier;
        for (int k = 0; k < n; ++k)
          for (int i = 0; i < n; ++i)
            if (reach[i][k])
              for (int j = 0; j < n; ++j)
                if (reach[k][j]) reach[i][j] = true;
        for (int x = 0; x < n; ++x)
          for (int y = 0; y < n; ++y)
            if (st[x][y] == tier)
              for (int z = 0; z < n; ++z)
                if (z != x && z != y && reach[x][z] && reach[z][y]) {
                  ++want;
                  break;
                }
      }
      CHECK(f.redundant_prerequisites().size() == want);
    }
  }

  TEST_CASE("hierarchy, domains and subgraph") {
    framework_builder b = fixtures::diamond_builder();
    b.add_competency("N", "Number", "N").add_child("N", "A").add_child("N", "B");
    b.add_competency("X", "Extra", "N").add_child("X", "B");  // two parents, as CASE allows
    const framework f = b.build();
    CHECK(ids(f, f.children(f.index_of("N"))) == sv{"A", "B"});
    CHECK(ids(f, f.parents(f.index_of("B"))) == sv{"N", "X"});
    CHECK(f.domains() == sv{"N", "M"});
    CHECK(ids(f, f.competencies_in("N", 2)) == sv{"B"});
    CHECK(ids(f, f.competencies_in("N")) == sv{"A", "B", "D", "N", "X"});

    const index_t D = f.index_of("D");
    auto keep = f.prerequisites(D, true, {strength::required});
    keep.push_back(D);
    const framework s = f.subgraph(keep);
    CHECK(s.size() == 3);
    CHECK(ids(s, s.topological_order()) == sv{"A", "B", "D"});
    CHECK(s.edge_count() == 3);  // A->B, B->D, A->D
    CHECK(s.hierarchy().empty());
  }

  TEST_CASE("build reports every problem at once and builds nothing") {
    framework_builder b("bad");
    b.add_competency("A").add_competency("B").add_competency("A").add_competency("C");
    b.add_prerequisite("B", "A").add_prerequisite("B", "A", strength::familiar);  // duplicate
    b.add_prerequisite("C", "C");                                                 // self-loop
    b.add_prerequisite("B", "Q");                                                 // unknown
    b.add_child("Z", "A");                                                        // unknown
    try {
      (void)b.build();
      FAIL("expected a validation_error");
    } catch (const cycle_error&) {
      FAIL("not only cycles: must be a plain validation_error");
    } catch (const validation_error& e) {
      std::multiset<problem_kind> kinds;
      for (const auto& p : e.problems()) kinds.insert(p.kind);
      CHECK(kinds.count(problem_kind::duplicate_id) == 1);
      CHECK(kinds.count(problem_kind::duplicate_edge) == 1);
      CHECK(kinds.count(problem_kind::self_loop) == 1);
      CHECK(kinds.count(problem_kind::unknown_id) == 2);
      CHECK(e.problems().size() == 5);
      CHECK(std::string(e.what()).find("'Q'") != std::string::npos);
    }
    CHECK(b.competency_count() == 4);  // the builder is unchanged
  }

  TEST_CASE("cycles are named in order, drop_cycle_edges drops and reports them") {
    framework_builder b;
    for (auto id : {"A", "B", "C", "D"}) b.add_competency(id);
    // A -> B -> C -> A, and D depends on C.
    b.add_prerequisite("B", "A").add_prerequisite("C", "B").add_prerequisite("A", "C");
    b.add_prerequisite("D", "C");
    try {
      (void)b.build();
      FAIL("expected a cycle_error");
    } catch (const cycle_error& e) {
      CHECK(e.cycle() == sv{"A", "B", "C", "A"});
      CHECK(std::string(e.what()).find("A -> B -> C -> A") != std::string::npos);
    }
    build_options o;
    o.drop_cycle_edges = true;
    const framework f = b.build(o);
    REQUIRE(f.dropped_edges().size() == 1);
    CHECK(f.dropped_edges()[0].prerequisite == "C");
    CHECK(f.dropped_edges()[0].dependent == "A");
    CHECK(f.dropped_edges()[0].reason == "cycle: A -> B -> C -> A");
    CHECK(f.edge_count() == 3);

    framework_builder h;
    h.add_competency("P").add_competency("Q").add_child("P", "Q").add_child("Q", "P");
    CHECK_THROWS_AS((void)h.build(), cycle_error);
  }

  TEST_CASE("JSON round-trips exactly") {
    framework_builder b = fixtures::diamond_builder();
    competency c;
    c.id = "H";
    c.title = "Habits \"of\" work";
    c.description = "line\nbreak, unicode: \xC3\xA9";
    c.kind = competency_kind::disposition;
    c.tags = {"sel", "x"};
    c.metadata = {{"grade", "K"}, {"source", "test"}};
    b.add_competency(c).add_child("H", "A").add_prerequisite("H", "D", strength::familiar, 2.5);
    const framework f = b.build();
    const std::string text = f.to_json();
    const framework g = framework::from_json(text);
    CHECK(g == f);
    CHECK(g.to_json() == text);
    CHECK(g.at("H") == c);
    CHECK(g.edges().back().min_level == 2.5);
    CHECK(framework::from_json(f.to_json(-1)) == f);
  }

  TEST_CASE("malformed JSON gives parse_error with line and column or the field path") {
    try {
      (void)framework::from_json(
          "{\n  \"format\": \"masterymap.framework\",\n  \"version\": 1,,\n}");
      FAIL("expected parse_error");
    } catch (const parse_error& e) {
      CHECK(e.line() == 3);
      CHECK(e.column() == 16);
    }
    try {
      (void)framework::from_json(
          R"({"format":"masterymap.framework","version":1,"competencies":[{"id":"A"},{"title":"x"}]})");
      FAIL("expected parse_error");
    } catch (const parse_error& e) {
      CHECK(std::string(e.what()).find("/competencies/1/id") != std::string::npos);
    }
    CHECK_THROWS_AS((void)framework::from_json(R"({"format":"other","version":1})"), parse_error);
    CHECK_THROWS_AS((void)framework::from_json(
                        R"({"format":"masterymap.framework","version":7,"competencies":[]})"),
                    parse_error);
    CHECK_THROWS_AS((void)framework::from_json(
                        R"({"format":"masterymap.framework","version":1,"competencies":[{"id":"A"}],
                            "prerequisites":[{"competency":"A","requires":"A"}]})"),
                    cycle_error);
  }

  TEST_CASE("a 1,000,000-deep chain: no stack overflow, nothing quadratic") {
    constexpr index_t n = 1'000'000;
    framework_builder b;
    for (index_t i = 0; i < n; ++i) b.add_competency("c" + std::to_string(i));
    for (index_t i = 1; i < n; ++i)
      b.add_prerequisite("c" + std::to_string(i), "c" + std::to_string(i - 1));
    const framework f = b.build();
    CHECK(f.topological_order().front() == 0);
    CHECK(f.topological_order().back() == n - 1);
    CHECK(f.longest_chain().size() == n);
    CHECK(f.depths().back() == n - 1);
    CHECK(f.prerequisites(n - 1, true).size() == n - 1);
    CHECK(f.redundant_prerequisites().empty());
    // Closing the chain into a cycle is reported, with all members, without recursion.
    b.add_prerequisite("c0", "c" + std::to_string(n - 1));
    try {
      (void)b.build();
      FAIL("expected a cycle_error");
    } catch (const cycle_error& e) {
      CHECK(e.cycle().size() == n + 1);
      CHECK(e.cycle().front() == "c0");
      CHECK(e.cycle()[1] == "c1");
    }
  }

  TEST_CASE("random DAGs: closures agree with a brute-force reference, queries are thread-safe") {
    std::mt19937 rng(7);
    for (int trial = 0; trial < 20; ++trial) {
      const int n = 40;
      framework_builder b;
      std::vector<int> perm(n);
      for (int i = 0; i < n; ++i) perm[i] = i;
      std::shuffle(perm.begin(), perm.end(), rng);  // hidden order; insertion order differs
      for (int i = 0; i < n; ++i) b.add_competency("v" + std::to_string(i));
      std::vector<std::vector<bool>> reach(n, std::vector<bool>(n, false));
      std::set<std::pair<int, int>> es;
      std::uniform_int_distribution<int> pick(0, n - 1);
      for (int k = 0; k < 90; ++k) {
        int x = pick(rng), y = pick(rng);
        if (x == y) continue;
        if (perm[x] > perm[y]) std::swap(x, y);
        if (!es.insert({x, y}).second) continue;
        b.add_prerequisite("v" + std::to_string(y), "v" + std::to_string(x));
      }
      const framework f = b.build();
      // Floyd-Warshall closure as the reference.
      for (auto [x, y] : es) reach[x][y] = true;
      for (int k = 0; k < n; ++k)
        for (int i = 0; i < n; ++i)
          if (reach[i][k])
            for (int j = 0; j < n; ++j)
              if (reach[k][j]) reach[i][j] = true;
      for (int v = 0; v < n; ++v) {
        std::set<index_t> expect;
        for (int u = 0; u < n; ++u)
          if (reach[u][v]) expect.insert(static_cast<index_t>(u));
        const auto got = f.prerequisites(static_cast<index_t>(v), true);
        CHECK(std::set<index_t>(got.begin(), got.end()) == expect);
      }
      std::size_t expect_red = 0;
      for (auto [x, y] : es)
        for (int z = 0; z < n; ++z)
          if (z != y && reach[x][z] && reach[z][y]) {
            ++expect_red;
            break;
          }
      CHECK(f.redundant_prerequisites().size() == expect_red);
      // Concurrent readers get identical answers.
      std::vector<std::vector<index_t>> results(4);
      std::vector<std::thread> threads;
      for (int t = 0; t < 4; ++t)
        threads.emplace_back([&, t] {
          for (int rep = 0; rep < 50; ++rep) results[t] = f.descendants({0, 1, 2});
        });
      for (auto& t : threads) t.join();
      for (int t = 1; t < 4; ++t) CHECK(results[t] == results[0]);
    }
  }
  TEST_CASE("native JSON: version 2 names edges prerequisite/dependent, version 1 is still read") {
    framework_builder b("v");
    b.add_competency("A").add_competency("B");
    b.add_prerequisite("B", "A", strength::familiar, 2.0);
    const framework fw = b.build();
    const std::string v2 = fw.to_json(-1);  // compact (nlohmann's dump(-1))
    CHECK(v2.find(R"("version":2)") != std::string::npos);
    CHECK(
        v2.find(R"({"dependent":"B","min_level":2.0,"prerequisite":"A","strength":"familiar"})") !=
        std::string::npos);
    const framework v1 = framework::from_json(
        R"({"format":"masterymap.framework","version":1,"name":"v",
            "competencies":[{"id":"A"},{"id":"B"}],
            "prerequisites":[{"competency":"B","requires":"A","strength":"familiar","min_level":2}]})");
    CHECK(v1 == fw);
    CHECK(framework::from_json(v2) == fw);
    // The other version's keys are not guessed: a missing field names its path.
    CHECK_THROWS_WITH_AS(
        (void)framework::from_json(
            R"({"format":"masterymap.framework","version":2,"competencies":[{"id":"A"},{"id":"B"}],
                "prerequisites":[{"competency":"B","requires":"A"}]})"),
        doctest::Contains("/prerequisites/0/prerequisite"), parse_error);
  }
  TEST_CASE("metadata and associations: kept, compared, round-tripped, never prerequisites") {
    framework_builder b("m");
    b.add_competency("A").add_competency("B").add_competency("C");
    b.add_prerequisite("B", "A");
    b.set_metadata("source", "hand").set_metadata("source", "test");  // the last value wins
    b.add_association({"isRelatedTo", "A", "C", {{"case:identifier", "x1"}}});
    b.add_association({"exactMatchOf", "B", "http://example.org/other/1", {}});
    const framework fw = b.build();
    CHECK(fw.metadata() == std::map<std::string, std::string>{{"source", "test"}});
    REQUIRE(fw.associations().size() == 2);
    CHECK(fw.associations()[1].destination == "http://example.org/other/1");
    CHECK(fw.edge_count() == 1);  // an association is never a prerequisite
    CHECK(fw.prerequisites(fw.index_of("C")).empty());
    // JSON keeps both (and a framework without them writes neither key).
    CHECK(framework::from_json(fw.to_json()) == fw);
    CHECK(framework_builder::from_json(b.to_json()) == b);
    const std::string plain = fixtures::diamond_builder().build().to_json(-1);
    CHECK(plain.find("\"associations\"") == std::string::npos);
    CHECK(plain.find("\"metadata\":{") == std::string::npos);
    // Equality sees them.
    framework_builder other = b;
    other.set_metadata("source", "else");
    CHECK(other.build() != fw);
    framework_builder third = b;
    third.add_association({"isRelatedTo", "C", "A", {}});
    CHECK(third.build() != fw);
    // A subgraph keeps the associations none of whose ends it leaves out.
    const framework sub = fw.subgraph({fw.index_of("A"), fw.index_of("B")});
    REQUIRE(sub.associations().size() == 1);
    CHECK(sub.associations()[0].type == "exactMatchOf");
    CHECK(sub.metadata() == fw.metadata());
  }

  TEST_CASE("an association with an empty type or end is a validation problem, all reported") {
    framework_builder b;
    b.add_competency("A");
    b.add_association({"", "A", "B", {}});
    b.add_association({"isRelatedTo", "A", "", {}});
    try {
      (void)b.build();
      FAIL("expected a validation_error");
    } catch (const validation_error& e) {
      REQUIRE(e.problems().size() == 2);
      CHECK(e.problems()[0].message == "association #1 ('A' -> 'B') has an empty type");
      CHECK(e.problems()[1].message == "association #2 ('A' -> '') has an empty destination");
    }
  }
}
