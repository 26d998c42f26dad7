// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// Build a small framework in code, see validation at work, and query it.
#include <iostream>
#include <masterymap/masterymap.hpp>

namespace mm = masterymap;

int main() {
  mm::framework_builder b("Fractions, grades 3-5");
  b.add_competency("3.NF", "Fractions (grade 3)", "NF", 3)
      .add_competency("3.NF.A.1", "Understand unit fractions", "NF", 3)
      .add_competency("3.NF.A.2", "Fractions on a number line", "NF", 3)
      .add_competency("4.NF.B.3", "Add and subtract fractions", "NF", 4)
      .add_competency("5.NF.A.1", "Unlike denominators", "NF", 5);
  b.add_child("3.NF", "3.NF.A.1").add_child("3.NF", "3.NF.A.2");
  b.add_prerequisite("3.NF.A.2", "3.NF.A.1")
      .add_prerequisite("4.NF.B.3", "3.NF.A.1")
      .add_prerequisite("4.NF.B.3", "3.NF.A.2", mm::strength::familiar)
      .add_prerequisite("5.NF.A.1", "4.NF.B.3");

  // A mistake: a cycle. build() reports it in order and builds nothing.
  mm::framework_builder bad = b;
  bad.add_prerequisite("3.NF.A.1", "5.NF.A.1");
  try {
    (void)bad.build();
  } catch (const mm::cycle_error& e) {
    std::cout << "rejected: " << e.what() << "\n";
  }

  const mm::framework fw = b.build();
  std::cout << mm::to_string(fw) << "\nlearning order:";
  for (auto i : fw.topological_order()) std::cout << ' ' << fw.id_of(i);
  std::cout << "\nbefore 5.NF.A.1, learn:";
  for (auto i : fw.prerequisites(fw.index_of("5.NF.A.1"), true)) std::cout << ' ' << fw.id_of(i);
  std::cout << "\nredundant links: " << fw.redundant_prerequisites().size() << "\n";
  // The native JSON round-trips exactly.
  return mm::framework::from_json(fw.to_json()) == fw ? 0 : 1;
}
