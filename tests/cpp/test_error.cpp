// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
#include <doctest/doctest.h>

#include <masterymap/error.hpp>

using namespace masterymap;

TEST_SUITE("error") {
  TEST_CASE("hierarchy: every error is a masterymap::error and a runtime_error") {
    problem p{problem_kind::prerequisite_cycle, {"A", "B", "A"}, "cycle A -> B -> A"};
    cycle_error c({p});
    const validation_error& v = c;
    const error& e = c;
    CHECK(c.cycle() == std::vector<std::string>{"A", "B", "A"});
    CHECK(v.problems().size() == 1);
    CHECK(std::string(e.what()).find("cycle A -> B -> A") != std::string::npos);
    CHECK_THROWS_AS(throw unknown_id_error("X"), error);
    CHECK_THROWS_WITH(throw unknown_id_error("X"), "unknown competency id 'X'");
    parse_error pe("bad", 3, 7, 2);
    CHECK(pe.line() == 3);
    CHECK(pe.column() == 7);
    CHECK(pe.row() == 2);
  }

  TEST_CASE("long problem lists are summarised, not truncated in problems()") {
    std::vector<problem> ps;
    for (int i = 0; i < 30; ++i) ps.push_back({problem_kind::unknown_id, {"X"}, "p"});
    validation_error v(ps);
    CHECK(v.problems().size() == 30);
    CHECK(std::string(v.what()).find("and 10 more") != std::string::npos);
    CHECK(std::string(to_string(problem_kind::hierarchy_cycle)) == "hierarchy_cycle");
  }
}
