// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// Mastery ratings for a few learners on a small framework, under a school's policy file;
// prints the ratings and one explanation.
#include <cmath>
#include <fstream>
#include <iostream>
#include <iterator>
#include <masterymap/engine.hpp>
#include <string>

#ifndef MASTERYMAP_EXAMPLE_DATA
#define MASTERYMAP_EXAMPLE_DATA "examples/data"
#endif

int main() {
  using namespace masterymap;
  framework_builder b("Grade 3 math (excerpt)");
  b.add_competency("3.NF", "Fractions", "NF", 3)
      .add_competency("3.NF.A.1", "Unit fractions 1/b", "NF", 3)
      .add_competency("3.NF.A.2", "Fractions on a number line", "NF", 3)
      .add_competency("3.OA", "Operations and algebraic thinking", "OA", 3)
      .add_competency("3.OA.A.1", "Interpret products", "OA", 3);
  b.add_child("3.NF", "3.NF.A.1").add_child("3.NF", "3.NF.A.2").add_child("3.OA", "3.OA.A.1");
  b.add_prerequisite("3.NF.A.2", "3.NF.A.1");
  const framework fw = b.build();

  // The school's policy is a file, not code.
  std::ifstream in(std::string(MASTERYMAP_EXAMPLE_DATA) + "/policy_four_point.json");
  const policy pol = policy::from_json(std::string(std::istreambuf_iterator<char>(in), {}));
  const engine eng(fw, pol);  // validates the policy against the framework

  evidence_log log;
  const ingest_checks checks = eng.checks();  // known ids, scores on the scale
  auto t = [](const char* iso) { return *parse_time(iso); };
  log.append({{"ana", "3.NF.A.1", t("2024-09-02"), 2, "formative", 1, "Ms. Rivera"},
              {"ana", "3.NF.A.1", t("2024-09-09"), 3, "formative", 1, "Ms. Rivera"},
              {"ana", "3.NF.A.1", t("2024-09-16"), 4, "summative", 1, "Ms. Rivera"},
              {"ana", "3.NF.A.1", t("2024-09-17"), 4, "self"},
              {"ana", "3.NF.A.1", t("2024-09-18"), 3, "discussion", 1, "Ms. Rivera"},
              {"ana", "3.NF.A.2", t("2024-09-20"), 3, "formative", 1, "Ms. Rivera"},
              {"ana", "3.NF.A.2", t("2024-09-27"), 4, "summative", 1, "Ms. Rivera"},
              {"ana", "3.NF.A.2", t("2024-09-28"), 3, "discussion", 1, "Ms. Rivera"},
              {"ben", "3.NF.A.1", t("2024-09-02"), 1, "formative"},
              {"ben", "3.NF.A.1", t("2024-09-09"), 2, "formative"},
              {"ben", "3.OA.A.1", t("2024-09-03"), 4, "formative"},
              {"ben", "3.OA.A.1", t("2024-09-10"), 4, "summative"}},
             checks);

  const ratings_table r = eng.ratings(log);
  std::cout << to_string(log) << "\n\nlearner  competency  status                  score  rating\n";
  for (std::size_t k = 0; k < r.learner.size(); ++k) {
    const auto rating = r.ratings[k] >= 0
                            ? pol.scale().ratings()[static_cast<std::size_t>(r.ratings[k])].label
                            : "";
    std::cout << r.learners[r.learner[k]]
              << (r.learners[r.learner[k]].size() < 8
                      ? std::string(8 - r.learners[r.learner[k]].size(), ' ')
                      : "")
              << " " << fw.id_of(r.competency[k])
              << std::string(12 - fw.id_of(r.competency[k]).size(), ' ') << to_string(r.statuses[k])
              << std::string(24 - std::string(to_string(r.statuses[k])).size(), ' ')
              << (std::isnan(r.scores[k]) ? std::string("-")
                                          : std::to_string(r.scores[k]).substr(0, 5))
              << "  " << rating << "\n";
  }
  std::cout << "\n" << eng.evaluate(log, "ana").explain("3.NF.A.1", log).text;
  return 0;
}
