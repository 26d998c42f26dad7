// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
#include <doctest/doctest.h>

#include <masterymap/io/dot.hpp>

#include "fixtures.hpp"

namespace {
using namespace masterymap;

TEST_SUITE("io dot") {
  TEST_CASE("DOT export") {
    const std::string dot = io::to_dot(fixtures::diamond_builder().build());
    CHECK(dot.rfind("digraph \"diamond\" {", 0) == 0);
    CHECK(dot.find("\"A\" -> \"B\";") != std::string::npos);
    CHECK(dot.find("\"A\" -> \"C\" [style=dashed];") != std::string::npos);
    CHECK(dot.find("\"C\" -> \"D\" [style=dotted];") != std::string::npos);
  }
}

}  // namespace
