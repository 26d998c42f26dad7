// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
#include <masterymap/csv.hpp>

#include <doctest/doctest.h>

#include <algorithm>

#include "fixtures.hpp"

using namespace masterymap;

TEST_SUITE("csv") {
  TEST_CASE("parse_csv: quotes, CRLF, BOM, blank lines") {
    const auto t = parse_csv("\xEF\xBB\xBFid,text\r\na,\"x, \"\"y\"\"\r\nz\"\r\n\r\nb,plain\r\n");
    CHECK(t.header == std::vector<std::string>{"id", "text"});
    REQUIRE(t.rows.size() == 2);
    CHECK(t.rows[0][1] == "x, \"y\"\r\nz");
    CHECK(t.rows[1][0] == "b");
    CHECK(t.lines == std::vector<std::size_t>{2, 5});
    CHECK(t.column("text") == 1);
    CHECK(t.column("nope") == -1);
  }

  TEST_CASE("malformed CSV gives parse_error with row, line and column") {
    try {
      (void)parse_csv("a,b\n1,2\n3\n", "edges");
      FAIL("expected parse_error");
    } catch (const parse_error& e) {
      CHECK(e.row() == 2);
      CHECK(e.line() == 3);
      CHECK(std::string(e.what()).find("row 2") != std::string::npos);
    }
    try {
      (void)parse_csv("a,b\n1,\"open\n", "edges");
      FAIL("expected parse_error");
    } catch (const parse_error& e) {
      CHECK(e.line() == 2);
      CHECK(e.column() == 3);
    }
    CHECK_THROWS_AS((void)parse_csv("a,b\n\"x\"y,2\n"), parse_error);
    CHECK_THROWS_AS((void)parse_csv(""), parse_error);
    csv_framework_options o;
    try {
      (void)parse_framework_csv("from,to\nA,B\n", {}, o);
      FAIL("expected parse_error");
    } catch (const parse_error& e) {
      CHECK(std::string(e.what()).find("missing column 'prerequisite'") != std::string::npos);
    }
    o.strength_column = "s";
    try {
      (void)parse_framework_csv("prerequisite,competency,s\nA,B,required\nB,C,hard\n", {}, o);
      FAIL("expected parse_error");
    } catch (const parse_error& e) {
      CHECK(e.row() == 2);
      CHECK(e.column() == 3);
    }
    o.strength_values = {{"hard", strength::required}};
    CHECK(parse_framework_csv("prerequisite,competency,s\nA,B,required\nB,C,hard\n", {}, o).edge_count() == 2);
  }

  TEST_CASE("the CCSS coherence map: 480 standards, 757 edges, acyclic, chain 30, 154 redundant") {
    const framework f = fixtures::ccss();
    CHECK(f.size() == 480);
    CHECK(f.edge_count() == 757);
    CHECK(f.topological_order().size() == 480);
    CHECK(f.longest_chain().size() == 31);  // 30 edges
    CHECK(*std::max_element(f.depths().begin(), f.depths().end()) == 30);
    CHECK(f.redundant_prerequisites().size() == 154);
    CHECK(f.at("4.NF.B.3").level == 4);
    CHECK(f.at("K.CC.A.1").level == 0);
    CHECK(f.at("K.CC.A.1").metadata.at("grade") == "K");
    CHECK(f.domains().size() >= 10);
    CHECK(framework::from_json(f.to_json()) == f);
  }

  TEST_CASE("Junyi and Princeton: cycles reported with members, or dropped on request") {
    if (!fixtures::exists(fixtures::shared_data("junyi-knowledge-map/prerequisite_edges.csv"))) return;
    csv_framework_options junyi;
    junyi.dependent_column = "exercise";
    const std::string jpath = fixtures::shared_data("junyi-knowledge-map/prerequisite_edges.csv");
    try {
      (void)read_framework_csv(jpath, {}, junyi);
      FAIL("expected a validation error");
    } catch (const validation_error& e) {
      std::size_t self = 0, cycles = 0, dups = 0;
      for (const auto& p : e.problems()) {
        self += p.kind == problem_kind::self_loop;
        dups += p.kind == problem_kind::duplicate_edge;
        if (p.kind == problem_kind::prerequisite_cycle) {
          ++cycles;
          CHECK(p.ids.front() == p.ids.back());
          CHECK(p.message.find("radical") != std::string::npos);
        }
      }
      CHECK(self == 2);
      CHECK(cycles == 1);
      CHECK(dups == 7);
    }
    junyi.build.drop_cycle_edges = true;
    junyi.build.drop_duplicate_edges = true;
    const framework jf = read_framework_csv(jpath, {}, junyi);
    CHECK(jf.size() == 776);
    CHECK(jf.dropped_edges().size() >= 2 + 7 + 1);
    CHECK(jf.edge_count() + jf.dropped_edges().size() == 988);

    csv_framework_options pr;
    pr.dependent_column = "course";
    const std::string ppath = fixtures::shared_data("princeton-course-prereqs/prerequisite_edges.csv");
    try {
      (void)read_framework_csv(ppath, {}, pr);
      FAIL("expected a cycle error");
    } catch (const cycle_error& e) {
      bool mutual = false;
      for (const auto& p : e.problems())
        if (p.kind == problem_kind::prerequisite_cycle && p.ids.size() == 3) mutual = true;
      CHECK(mutual);
      CHECK(e.problems().size() == 3);  // 2 self-loops + 1 mutual pair
    }
    pr.build.drop_cycle_edges = true;
    const framework pf = read_framework_csv(ppath, {}, pr);
    CHECK(pf.edge_count() + pf.dropped_edges().size() == 2503);
  }
}
