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

#include <filesystem>
#include <fstream>
#include <functional>
#include <masterymap/bkt.hpp>
#include <masterymap/evidence.hpp>
#include <masterymap/io/csv.hpp>
#include <masterymap/roster.hpp>
#include <utility>

TEST_SUITE("error") {
  TEST_CASE("every reader and writer fails on a missing or unreadable file with file_error") {
    const std::string missing = "/nonexistent-masterymap-dir/file";
    namespace fs = std::filesystem;
    const fs::path dir_path = fs::temp_directory_path() / "masterymap-test-error-files";
    fs::create_directories(dir_path);
    const std::string dir = dir_path.string();
    const fs::path edges = dir_path / "edges.csv";  // a readable edges file for the second path
    {
      std::ofstream out(edges);
      out << "prerequisite,dependent\nA,B\n";
    }
    const std::vector<std::pair<const char*, std::function<void(const std::string&)>>> readers = {
        {"framework CSV", [](const std::string& p) { (void)io::read_framework_csv(p); }},
        {"competencies CSV",
         [&](const std::string& p) { (void)io::read_framework_csv(edges.string(), p); }},
        {"evidence CSV", [](const std::string& p) { evidence_log().read_csv_unchecked(p); }},
        {"BKT data CSV", [](const std::string& p) { (void)bkt::read_csv(p); }},
        {"BKT model", [](const std::string& p) { (void)bkt::model::load(p); }},
        {"roster snapshot", [](const std::string& p) { (void)roster::load(p); }},
    };
    for (const auto& [what, read] : readers) {
      CAPTURE(what);
      try {
        read(missing);
        FAIL("no exception");
      } catch (const file_error& e) {
        CHECK(e.path() == missing);
        CHECK(e.missing());
        CHECK(std::string(e.what()).find(missing) != std::string::npos);
      }
      try {
        read(dir);  // a directory is not a readable file
        FAIL("no exception");
      } catch (const file_error& e) {
        CHECK(e.path() == dir);
        CHECK_FALSE(e.missing());
      }
    }
    // Writers: a file in a directory that does not exist.
    CHECK_THROWS_AS(bkt::model().save(missing), file_error);
    fs::remove_all(dir_path);
  }
}
