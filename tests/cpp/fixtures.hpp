// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// Small named frameworks and the real data sets, shared by the C++ tests.
#ifndef MASTERYMAP_TESTS_FIXTURES_HPP
#define MASTERYMAP_TESTS_FIXTURES_HPP

#include <atomic>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <masterymap/framework.hpp>
#include <masterymap/io/csv.hpp>
#include <random>
#include <string>
#include <system_error>

#include "../../examples/cpp/ccss.hpp"

namespace fixtures {

/// A file of the third-party data sets (../shared/data next to the repository, or
/// $MASTERYMAP_SHARED_DATA): read in place, never copied into the repository.
inline std::string shared_data(const std::string& rel) {
  return ccss::shared_data_dir() + "/" + rel;
}
inline std::string example_data(const std::string& rel) {
  return std::string(MASTERYMAP_EXAMPLE_DATA) + "/" + rel;
}
inline bool exists(const std::string& path) { return std::ifstream(path).good(); }

/// For a test that needs data the project does not ship: true when `path` exists; otherwise
/// prints "SKIPPED: <path> is absent", which CTest's SKIP_REGULAR_EXPRESSION reports as a skip
/// (tests/cpp/CMakeLists.txt), and the test returns without checking anything.
inline bool have(const std::string& path) {
  if (exists(path)) return true;
  std::cout << "SKIPPED: " << path << " is absent" << std::endl;
  return false;
}
/// `have` for the Common Core coherence map.
inline bool have_ccss() {
  return have(ccss::default_dir() + "/standards.csv") &&
         have(ccss::default_dir() + "/prerequisite_edges.csv");
}

/// A file name in the system's temporary directory, unique to this process and object; the file
/// is removed when the object goes out of scope.
class temp_file {
 public:
  explicit temp_file(const std::string& stem) {
    static std::atomic<unsigned> counter{0};
    std::random_device rd;
    path_ =
        (std::filesystem::temp_directory_path() /
         ("masterymap_test_" + std::to_string(rd()) + "_" + std::to_string(counter++) + "_" + stem))
            .string();
  }
  temp_file(const temp_file&) = delete;
  temp_file& operator=(const temp_file&) = delete;
  ~temp_file() {
    std::error_code ec;
    std::filesystem::remove(path_, ec);
  }
  [[nodiscard]] const std::string& path() const noexcept { return path_; }

 private:
  std::string path_;
};

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

/// The Common Core coherence map (../shared/data/ccss-math-coherence-map); check `have_ccss()`
/// first.
inline masterymap::framework ccss() { return ccss::load(); }

}  // namespace fixtures

#endif  // MASTERYMAP_TESTS_FIXTURES_HPP
