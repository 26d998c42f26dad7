// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// The masterymap demo: load the bundled Common Core math coherence map and show what a
// curriculum team wants to see first.
//
//   masterymap_demo [data-dir] [standard]
#include <masterymap/masterymap.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "ccss.hpp"

namespace mm = masterymap;

namespace {

std::string grade_of(const mm::competency& c) {
  auto it = c.metadata.find("grade");
  return it != c.metadata.end() ? it->second : std::to_string(c.level.value_or(-1));
}

std::string shorten(const std::string& s, std::size_t n) {
  return s.size() <= n ? s : s.substr(0, n - 3) + "...";
}

}  // namespace

int main(int argc, char** argv) {
  const std::string dir = argc > 1 ? argv[1] : MASTERYMAP_EXAMPLE_DATA;
  const std::string goal = argc > 2 ? argv[2] : "7.RP.A.3";
  try {
    const mm::framework fw = ccss::load(dir);
    std::cout << mm::to_string(fw) << "\n";
    // Loading is fast enough that the first, cold read mostly measures the disk: show the
    // median of a few warm loads too.
    std::vector<double> ms;
    for (int k = 0; k < 7; ++k) {
      const auto t0 = std::chrono::steady_clock::now();
      (void)ccss::load(dir);
      ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    }
    std::sort(ms.begin(), ms.end());
    std::printf("CSV read + validate: %.2f ms (median of 7); acyclic, so every standard has a "
                "learning order\n\n", ms[3]);

    // Domains and grades.
    std::cout << "Domains (standards per grade):\n";
    for (const auto& d : fw.domains()) {
      std::map<int, std::pair<std::string, int>> per_grade;
      std::string name;
      for (auto i : fw.competencies_in(d)) {
        const auto& c = fw.at(i);
        auto& slot = per_grade[c.level.value_or(-1)];
        slot.first = grade_of(c);
        ++slot.second;
        name = c.metadata.count("domain_name") ? c.metadata.at("domain_name") : "";
      }
      std::string grades;
      for (const auto& [lvl, g] : per_grade) grades += " " + g.first + ":" + std::to_string(g.second);
      std::printf("  %-8s %-40s%s\n", d.c_str(), shorten(name, 40).c_str(), grades.c_str());
    }

    // The longest prerequisite chain.
    const auto chain = fw.longest_chain();
    std::printf("\nLongest prerequisite chain: %zu edges\n  ", chain.size() - 1);
    for (std::size_t k = 0; k < chain.size(); ++k)
      std::cout << fw.id_of(chain[k]) << (k + 1 < chain.size() ? (k % 8 == 7 ? " ->\n  " : " -> ") : "\n");

    // A chosen standard.
    const mm::index_t g = fw.index_of(goal);
    const auto& gc = fw.at(g);
    std::printf("\n%s (grade %s, depth %u): %s\n", goal.c_str(), grade_of(gc).c_str(),
                fw.depths()[g], shorten(gc.description, 90).c_str());
    std::cout << "  direct prerequisites:\n";
    for (auto p : fw.prerequisites(g))
      std::printf("    %-12s %s\n", fw.id_of(p).c_str(), shorten(fw.at(p).description, 70).c_str());
    const auto all = fw.prerequisites(g, true);
    std::printf("  all %zu prerequisites, in learning order:\n    ", all.size());
    for (std::size_t k = 0; k < all.size(); ++k)
      std::cout << fw.id_of(all[k]) << (k + 1 < all.size() ? (k % 8 == 7 ? ",\n    " : ", ") : "\n");
    std::printf("  it unlocks %zu later standards\n", fw.dependents(g, true).size());

    // A curriculum lint.
    const auto red = fw.redundant_prerequisites();
    std::printf("\nRedundant prerequisite links (implied by longer paths): %zu, e.g.\n", red.size());
    for (std::size_t k = 0; k < red.size() && k < 3; ++k)
      std::printf("  %s -> %s\n", fw.id_of(red[k].prerequisite).c_str(), fw.id_of(red[k].dependent).c_str());
  } catch (const mm::error& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
