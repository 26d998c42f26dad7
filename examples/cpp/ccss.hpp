// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// How to read the Common Core math coherence map (third-party data, not shipped with the
// project: it is read in place from ../shared/data/ccss-math-coherence-map): shared by the demo,
// the tests and the benchmarks so the column mapping and the location live in one place.
#ifndef MASTERYMAP_EXAMPLES_CCSS_HPP
#define MASTERYMAP_EXAMPLES_CCSS_HPP

#include <cstdlib>
#include <fstream>
#include <masterymap/io/csv.hpp>
#include <string>

#ifndef MASTERYMAP_SHARED_DATA
#define MASTERYMAP_SHARED_DATA "../shared/data"
#endif

namespace ccss {

/// The folder of the third-party data sets: $MASTERYMAP_SHARED_DATA when set, else the
/// `../shared/data` next to the repository (fixed at build time).
inline std::string shared_data_dir() {
  const char* env = std::getenv("MASTERYMAP_SHARED_DATA");
  return env && *env ? std::string(env) : std::string(MASTERYMAP_SHARED_DATA);
}

/// The folder holding the map's prerequisite_edges.csv and standards.csv.
inline std::string default_dir() { return shared_data_dir() + "/ccss-math-coherence-map"; }

/// Whether `dir` holds the map.
inline bool available(const std::string& dir = default_dir()) {
  return std::ifstream(dir + "/prerequisite_edges.csv").good() &&
         std::ifstream(dir + "/standards.csv").good();
}

inline masterymap::io::csv_framework_options options() {
  masterymap::io::csv_framework_options o;
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

/// Loads the map from `dir` (the folder holding prerequisite_edges.csv and standards.csv).
inline masterymap::framework load(const std::string& dir = default_dir()) {
  return masterymap::io::read_framework_csv(dir + "/prerequisite_edges.csv", dir + "/standards.csv",
                                            options());
}

}  // namespace ccss

#endif  // MASTERYMAP_EXAMPLES_CCSS_HPP
