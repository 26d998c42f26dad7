// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// How to read the bundled Common Core math coherence map (examples/data/ccss-math): shared by
// the demo, the tests and the benchmarks so the column mapping lives in one place.
#ifndef MASTERYMAP_EXAMPLES_CCSS_HPP
#define MASTERYMAP_EXAMPLES_CCSS_HPP

#include <masterymap/csv.hpp>
#include <string>

namespace ccss {

inline masterymap::csv_framework_options options() {
  masterymap::csv_framework_options o;
  o.name = "CCSS Math (Achieve the Core Coherence Map)";
  o.prerequisite_column = "from_code";
  o.dependent_column = "to_code";
  o.id_column = "code";
  o.title_column = "cluster_name";
  o.description_column = "text";
  o.domain_column = "domain";
  o.level_column = "grade";
  o.level_values = {{"K", 0}, {"HS", 9}};  // the raw grade stays in metadata["grade"]
  o.metadata_columns = {"domain_name", "cluster"};
  return o;
}

/// Loads the map from `dir` (the folder holding ccss-math/).
inline masterymap::framework load(const std::string& dir) {
  return masterymap::read_framework_csv(dir + "/ccss-math/prerequisite_edges.csv",
                                        dir + "/ccss-math/standards.csv", options());
}

}  // namespace ccss

#endif  // MASTERYMAP_EXAMPLES_CCSS_HPP
