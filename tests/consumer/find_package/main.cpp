// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// A downstream program on C++17: the public headers must compile without Boost or fmt.
#include <iostream>
#include <masterymap/masterymap.hpp>

int main() {
  masterymap::framework_builder b("consumer");
  b.add_competency("A").add_competency("B").add_prerequisite("B", "A");
  const auto fw = b.build();
  if (fw.size() != 2 || fw.topological_order().front() != fw.index_of("A")) return 1;
  try {
    masterymap::framework_builder bad;
    bad.add_competency("A").add_prerequisite("A", "A");
    (void)bad.build();
    return 1;
  } catch (const masterymap::validation_error& e) {
    std::cout << "caught: " << e.what() << '\n';
  }
  std::cout << masterymap::to_string(fw) << '\n';
  return 0;
}
