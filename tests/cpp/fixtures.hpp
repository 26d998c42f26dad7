// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// Small named frameworks and the real data sets, shared by the C++ tests.
#ifndef MASTERYMAP_TESTS_FIXTURES_HPP
#define MASTERYMAP_TESTS_FIXTURES_HPP

#include <fstream>
#include <masterymap/csv.hpp>
#include <masterymap/framework.hpp>
#include <string>

#include "../../examples/cpp/ccss.hpp"

namespace fixtures {

inline std::string shared_data(const std::string& rel) {
  return std::string(MASTERYMAP_SHARED_DATA) + "/" + rel;
}
inline std::string example_data(const std::string& rel) {
  return std::string(MASTERYMAP_EXAMPLE_DATA) + "/" + rel;
}
inline bool exists(const std::string& path) { return std::ifstream(path).good(); }

/// fractions -> ratios -> proportions, plus a diamond: A -> B, A -> C, B -> D, C -> D, A -> D.
inline masterymap::framework_builder diamond_builder() {
  masterymap::framework_builder b("diamond");
  b.add_competency("A", "Count", "N", 1)
      .add_competency("B", "Add", "N", 2)
      .add_competency("C", "Measure", "M", 2)
      .add_competency("D", "Multiply", "N", 3);
  b.add_prerequisite("B", "A")
      .add_prerequisite("C", "A", masterymap::strength::familiar)
      .add_prerequisite("D", "B")
      .add_prerequisite("D", "C", masterymap::strength::recommended)
      .add_prerequisite("D", "A");
  return b;
}

/// The bundled Common Core coherence map (examples/data/ccss-math).
inline masterymap::framework ccss() { return ccss::load(MASTERYMAP_EXAMPLE_DATA); }

}  // namespace fixtures

#endif  // MASTERYMAP_TESTS_FIXTURES_HPP
