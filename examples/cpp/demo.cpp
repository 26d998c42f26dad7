// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// The masterymap demo: load the bundled Common Core math coherence map and show what a
// curriculum team wants to see first.
//
//   masterymap_demo [data-dir] [standard]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <map>
#include <masterymap/masterymap.hpp>
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
      ms.push_back(
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    }
    std::sort(ms.begin(), ms.end());
    std::printf(
        "CSV read + validate: %.2f ms (median of 7); acyclic, so every standard has a "
        "learning order\n\n",
        ms[3]);

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
      for (const auto& [lvl, g] : per_grade)
        grades += " " + g.first + ":" + std::to_string(g.second);
      std::printf("  %-8s %-40s%s\n", d.c_str(), shorten(name, 40).c_str(), grades.c_str());
    }

    // The longest prerequisite chain.
    const auto chain = fw.longest_chain();
    std::printf("\nLongest prerequisite chain: %zu edges\n  ", chain.size() - 1);
    for (std::size_t k = 0; k < chain.size(); ++k)
      std::cout << fw.id_of(chain[k])
                << (k + 1 < chain.size() ? (k % 8 == 7 ? " ->\n  " : " -> ") : "\n");

    // A chosen standard.
    const mm::index_t goal_index = fw.index_of(goal);
    const auto& gc = fw.at(goal_index);
    std::printf("\n%s (grade %s, depth %u): %s\n", goal.c_str(), grade_of(gc).c_str(),
                fw.depths()[goal_index], shorten(gc.description, 90).c_str());
    std::cout << "  direct prerequisites:\n";
    for (auto p : fw.prerequisites(goal_index))
      std::printf("    %-12s %s\n", fw.id_of(p).c_str(), shorten(fw.at(p).description, 70).c_str());
    const auto all = fw.prerequisites(goal_index, true);
    std::printf("  all %zu prerequisites, in learning order:\n    ", all.size());
    for (std::size_t k = 0; k < all.size(); ++k)
      std::cout << fw.id_of(all[k])
                << (k + 1 < all.size() ? (k % 8 == 7 ? ",\n    " : ", ") : "\n");
    std::printf("  it unlocks %zu later standards\n", fw.dependents(goal_index, true).size());

    // A curriculum lint.
    const auto red = fw.redundant_prerequisites();
    std::printf("\nRedundant prerequisite links (implied by longer paths): %zu, e.goal_index.\n",
                red.size());
    for (std::size_t k = 0; k < red.size() && k < 3; ++k)
      std::printf("  %s -> %s\n", fw.id_of(red[k].prerequisite).c_str(),
                  fw.id_of(red[k].dependent).c_str());

    // Mastery: a school's policy file, and a few learners' evidence on grade 3-4 fractions.
    const mm::policy pol =
        mm::policy::from_json(mm::read_text_file(dir + "/policy_four_point.json"));
    const mm::engine eng(fw, pol);  // validates the policy against the framework
    mm::evidence_log log;
    log.read_csv(dir + "/evidence_demo.csv", {}, eng.checks());
    std::printf("\nPolicy \"%s\": %zu pieces of evidence for %zu learners\n", pol.name().c_str(),
                log.size(), log.learners().size());
    for (const auto& learner : log.learners()) {
      const mm::learner_state st = eng.evaluate(log, learner);
      std::printf("  %s:", learner.c_str());
      for (mm::index_t i = 0; i < st.size(); ++i) {
        if (st.status(i) == mm::status::not_started) continue;
        const auto score = st.score(i);
        std::printf("  %s %s", fw.id_of(i).c_str(), mm::to_string(st.status(i)));
        if (score) std::printf(" (%.2f, %s)", *score, st.rating(i).value_or("-").c_str());
      }
      std::printf("\n");
    }
    const mm::learner_state ana = eng.evaluate(log, "ana");
    std::cout << "\nWhy is ana's 3.NF.A.3 not mastered yet?\n"
              << ana.explain("3.NF.A.3", log).text << "\n";

    // Progression: a whole class in a roster; one learner's frontier, gaps, levels and pace.
    // Maya has mastered grades K-3 (a formative check and the teacher's discussion on each
    // standard) except 3.NF.A.1, and has started grade 4 fractions and operations.
    mm::roster roster(fw, pol);
    roster.ingest(log);  // ana, ben and cai from the CSV
    std::vector<mm::evidence> maya;
    double t = *mm::parse_time("2026-09-01T08:00:00Z");
    for (const auto& c : fw.competencies()) {
      const int g = c.level.value_or(99);
      const bool started_g4 = g == 4 && (c.domain == "NF" || c.domain == "OA");
      if ((g <= 3 && c.id != "3.NF.A.1") || started_g4) {
        maya.emplace_back("maya", c.id, t += 3600, 3.0, "formative", 1.0, "Ms. Rivera");
        if (!started_g4)
          maya.emplace_back("maya", c.id, t += 600, 3.0, "discussion", 1.0, "Ms. Rivera");
      }
    }
    roster.ingest(maya);
    const std::size_t l = roster.index_of("maya");
    const auto last = roster.last_evidence(l);
    mm::learner_view v = roster.view(l);
    v.last_evidence = last.data();
    const mm::progression& prog = roster.progression();
    std::printf("\nRoster: %zu learners. Maya:\n", roster.learners().size());
    const auto frontier = prog.frontier(v);
    std::printf("  ready to learn (%zu):", frontier.size());
    for (std::size_t k = 0; k < frontier.size() && k < 10; ++k)
      std::printf(" %s", fw.id_of(frontier[k]).c_str());
    std::printf("%s\n", frontier.size() > 10 ? " ..." : "");
    for (const auto& g : prog.gaps(v)) {
      std::printf("  gap %s undermines %zu:", g.id.c_str(), g.undermines.size());
      for (std::size_t k = 0; k < g.undermines.size() && k < 6; ++k)
        std::printf(" %s", fw.id_of(g.undermines[k]).c_str());
      std::printf("%s\n", g.undermines.size() > 6 ? " ..." : "");
    }
    std::printf("  level per domain:");
    for (const auto& lv : prog.levels(v))
      if (lv.level) std::printf(" %s=%d", lv.domain.c_str(), *lv.level);
    std::printf("  (grade levels; K = 0)\n");
    for (const auto& r : prog.recommend(v, 3)) {
      std::printf("  next: %s (score %.2f)", r.id.c_str(), r.score);
      for (const auto& why : r.reasons) std::printf("; %s", why.c_str());
      std::printf("\n");
    }
    mm::pace_plan plan;
    plan.start = *mm::parse_time("2026-08-25T00:00:00Z");
    plan.target = *mm::parse_time("2027-06-15T00:00:00Z");
    for (auto c : fw.competencies_in("NF", 4)) plan.goals.push_back(fw.id_of(c));
    const auto pace = mm::pacing(prog, v, plan);
    std::printf(
        "  pace toward grade 4 fractions by 2027-06-15: %s, %zu of %zu done (%.1f expected), "
        "%.2fx the expected rate\n",
        mm::to_string(pace.status), pace.done, pace.total, pace.expected, pace.acceleration);
  } catch (const mm::error& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
