// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// Small named frameworks and the real data sets, shared by the C++ tests.
#ifndef MASTERYMAP_TESTS_FIXTURES_HPP
#define MASTERYMAP_TESTS_FIXTURES_HPP

#include <masterymap/csv.hpp>
#include <masterymap/framework.hpp>

#include <fstream>
#include <string>

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

/// Options that read the bundled Common Core coherence map (examples/data/ccss-math).
inline masterymap::csv_framework_options ccss_options() {
  masterymap::csv_framework_options o;
  o.name = "CCSS Math (Coherence Map)";
  o.prerequisite_column = "from_code";
  o.dependent_column = "to_code";
  o.id_column = "code";
  o.title_column = "cluster_name";
  o.description_column = "text";
  o.domain_column = "domain";
  o.level_column = "grade";
  o.level_values = {{"K", 0}, {"HS", 9}};
  o.metadata_columns = {"domain_name", "cluster"};
  return o;
}

inline masterymap::framework ccss() {
  return masterymap::read_framework_csv(example_data("ccss-math/prerequisite_edges.csv"),
                                        example_data("ccss-math/standards.csv"), ccss_options());
}

}  // namespace fixtures

#endif  // MASTERYMAP_TESTS_FIXTURES_HPP
