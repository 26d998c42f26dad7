// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// The masterymap demo: load a learning map and show what a curriculum team wants to see first.
//
//   masterymap_demo [ccss-dir | --bundled] [competency]
//
// It runs on the Common Core math coherence map (third-party data read in place) when
// ../shared/data/ccss-math-coherence-map is present ($MASTERYMAP_SHARED_DATA moves it) or when
// the map's folder is given on the command line; otherwise (or with --bundled) on the small
// fractions-and-number-sense map the project ships in examples/data/fractions.
#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <functional>
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

std::string capitalized(std::string s) {
  if (!s.empty()) s[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(s[0])));
  return s;
}

/// What the demo runs on, and what it looks at in it.
struct demo_data {
  std::string banner;  // the first line of the output
  std::function<mm::framework()> load;
  std::string load_what;  // "CSV read + validate"
  std::string noun;       // "standard" or "competency", for the counts
  std::string nouns;
  std::string policy_path;
  std::string evidence_path;
  std::string goal;
  std::string explain_learner, explain_id;
  std::string focus;  // the roster's learner shown in full; "maya" is synthesised on CCSS
  std::string pace_domain;
  std::string pace_what;
  std::string levels_note;
};

demo_data ccss_data(const std::string& dir) {
  const std::string ex = MASTERYMAP_EXAMPLE_DATA;
  return {"Data: the Common Core math coherence map (third-party, read in place from " + dir + ")",
          [dir] { return ccss::load(dir); },
          "CSV read + validate",
          "standard",
          "standards",
          ex + "/policy_four_point.json",
          ex + "/evidence_demo.csv",
          "7.RP.A.3",
          "ana",
          "3.NF.A.3",
          "maya",
          "NF",
          "grade 4 fractions",
          "(grade levels; K = 0)"};
}

demo_data bundled_data(const std::string& why) {
  const std::string dir = std::string(MASTERYMAP_EXAMPLE_DATA) + "/fractions";
  return {"Data: the bundled sample map " + dir + " (" + why + ")",
          [dir] { return mm::framework::from_json(mm::read_text_file(dir + "/framework.json")); },
          "JSON read + validate",
          "competency",
          "competencies",
          dir + "/policy.json",
          dir + "/evidence.csv",
          "FR5.addsub",
          "ana",
          "FR4.compare",
          "ben",
          "FR",
          "grade 4 fractions",
          "(grade levels)"};
}

}  // namespace

int main(int argc, char** argv) {
  const std::string arg = argc > 1 ? argv[1] : "";
  if (arg == "--help" || arg == "-h") {
    std::cout << "usage: masterymap_demo [ccss-dir | --bundled] [competency]\n"
                 "  ccss-dir    the Common Core coherence map's folder (default: "
              << ccss::default_dir()
              << " when present)\n"
                 "  --bundled   the project's sample map (fractions and number sense, grades 3-5)\n"
                 "  competency  the standard whose prerequisites are shown\n";
    return 0;
  }
  demo_data d;
  if (arg == "--bundled") {
    d = bundled_data("asked for with --bundled");
  } else if (!arg.empty()) {
    d = ccss_data(arg);  // given explicitly: an error if it is not there
  } else if (ccss::available()) {
    d = ccss_data(ccss::default_dir());
  } else {
    d = bundled_data(ccss::default_dir() +
                     " is absent; pass the map's folder to run on the Common Core map");
  }
  if (argc > 2) d.goal = argv[2];
  std::cout << d.banner << "\n";
  try {
    const mm::framework fw = d.load();
    std::cout << mm::to_string(fw) << "\n";
    // Loading is fast enough that the first, cold read mostly measures the disk: show the
    // median of a few warm loads too.
    std::vector<double> ms;
    for (int k = 0; k < 7; ++k) {
      const auto t0 = std::chrono::steady_clock::now();
      (void)d.load();
      ms.push_back(
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    }
    std::sort(ms.begin(), ms.end());
    std::printf("%s: %.2f ms (median of 7); acyclic, so every %s has a learning order\n\n",
                d.load_what.c_str(), ms[3], d.noun.c_str());

    // Domains and grades.
    std::cout << "Domains (" << d.nouns << " per grade):\n";
    for (const auto& dom : fw.domains()) {
      std::map<int, std::pair<std::string, int>> per_grade;
      std::string name;
      for (auto i : fw.competencies_in(dom)) {
        const auto& c = fw.at(i);
        auto& slot = per_grade[c.level.value_or(-1)];
        slot.first = grade_of(c);
        ++slot.second;
        name = c.metadata.count("domain_name") ? c.metadata.at("domain_name") : "";
      }
      std::string grades;
      for (const auto& [lvl, g] : per_grade)
        grades += " " + g.first + ":" + std::to_string(g.second);
      std::printf("  %-8s %-40s%s\n", dom.c_str(), shorten(name, 40).c_str(), grades.c_str());
    }

    // The longest prerequisite chain.
    const auto chain = fw.longest_chain();
    std::printf("\nLongest prerequisite chain: %zu edges\n  ", chain.size() - 1);
    for (std::size_t k = 0; k < chain.size(); ++k)
      std::cout << fw.id_of(chain[k])
                << (k + 1 < chain.size() ? (k % 8 == 7 ? " ->\n  " : " -> ") : "\n");

    // A chosen competency.
    const mm::index_t goal_index = fw.index_of(d.goal);
    const auto& gc = fw.at(goal_index);
    std::printf("\n%s (grade %s, depth %u): %s\n", d.goal.c_str(), grade_of(gc).c_str(),
                fw.depths()[goal_index], shorten(gc.description, 90).c_str());
    std::cout << "  direct prerequisites:\n";
    for (auto p : fw.prerequisites(goal_index))
      std::printf("    %-12s %s\n", fw.id_of(p).c_str(), shorten(fw.at(p).description, 70).c_str());
    const auto all = fw.prerequisites(goal_index, true);
    std::printf("  all %zu prerequisites, in learning order:\n    ", all.size());
    for (std::size_t k = 0; k < all.size(); ++k)
      std::cout << fw.id_of(all[k])
                << (k + 1 < all.size() ? (k % 8 == 7 ? ",\n    " : ", ") : "\n");
    const std::size_t unlocks = fw.dependents(goal_index, true).size();
    std::printf("  it unlocks %zu later %s\n", unlocks, (unlocks == 1 ? d.noun : d.nouns).c_str());

    // A curriculum lint.
    const auto red = fw.redundant_prerequisites();
    std::printf("\nRedundant prerequisite links (implied by longer paths): %zu%s\n", red.size(),
                red.empty() ? "" : ", e.g.");
    for (std::size_t k = 0; k < red.size() && k < 3; ++k)
      std::printf("  %s -> %s\n", fw.id_of(red[k].prerequisite).c_str(),
                  fw.id_of(red[k].dependent).c_str());

    // Mastery: a school's policy file, and a few learners' evidence.
    const mm::policy pol = mm::policy::from_json(mm::read_text_file(d.policy_path));
    const mm::engine eng(fw, pol);  // validates the policy against the framework
    mm::evidence_log log;
    log.read_csv(d.evidence_path, {}, eng.checks());
    std::printf("\nPolicy \"%s\": %zu pieces of evidence for %zu learners\n", pol.name().c_str(),
                log.size(), log.learners().size());
    for (const auto& learner : log.learners()) {
      const mm::learner_state st = eng.evaluate(log, learner);
      std::printf("  %s:", learner.c_str());
      for (mm::index_t i = 0; i < st.size(); ++i) {
        if (st.status(i) == mm::status::not_started) continue;
        const auto score = st.score(i);
        // A rating next to awaiting_confirmation reads as done: say what it is.
        const bool waiting = st.status(i) == mm::status::awaiting_confirmation;
        std::printf("  %s %s", fw.id_of(i).c_str(), mm::status_text(st.status(i)));
        if (score)
          std::printf(" (%s%.2f, %s)", waiting ? "evidence at " : "", *score,
                      st.rating(i).value_or("-").c_str());
      }
      std::printf("\n");
    }
    const mm::learner_state why = eng.evaluate(log, d.explain_learner);
    std::cout << "\nWhy is " << d.explain_learner << "'s " << d.explain_id << " not mastered yet?\n"
              << why.explain(d.explain_id, log).text << "\n";

    // Progression: a whole class in a roster; one learner's frontier, gaps, levels and pace.
    mm::roster roster(fw, pol);
    roster.ingest(log);  // the learners of the CSV
    if (d.focus == "maya") {
      // Maya has mastered grades K-3 (a formative check and the teacher's discussion on each
      // standard) except 3.NF.A.1, and has started grade 4 fractions and operations.
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
    }
    const std::size_t l = roster.index_of(d.focus);
    const auto last = roster.last_evidence_times(l);
    mm::learner_view v = roster.view(l);
    v.last_evidence = last.data();
    const mm::progression& prog = roster.progression();
    std::printf("\nRoster: %zu learners. %s:\n", roster.learners().size(),
                capitalized(d.focus).c_str());
    // Units with a rollup are not learning targets: the frontier and recommendations skip them.
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
    // Unmet prerequisites of work only in progress are not gaps: they block current work.
    const auto blocking = prog.blockers(v);
    std::printf("  blocks current work (%zu):", blocking.size());
    for (std::size_t k = 0; k < blocking.size() && k < 6; ++k)
      std::printf(" %s", blocking[k].id.c_str());
    std::printf("%s\n", blocking.size() > 6 ? " ..." : "");
    std::printf("  level per domain:");
    for (const auto& lv : prog.levels(v))
      if (lv.level) std::printf(" %s=%d", lv.domain.c_str(), *lv.level);
    std::printf("  %s\n", d.levels_note.c_str());
    for (const auto& r : prog.recommend(v, 3)) {
      std::printf("  next: %s (score %.2f)", r.id.c_str(), r.score);
      for (const auto& reason : r.reasons) std::printf("; %s", reason.c_str());
      std::printf("\n");
    }
    mm::pace_plan plan;
    plan.start = *mm::parse_time("2026-08-25T00:00:00Z");
    plan.target = *mm::parse_time("2027-06-15T00:00:00Z");
    for (auto c : fw.competencies_in(d.pace_domain, 4)) plan.goals.push_back(fw.id_of(c));
    const auto pace = mm::pacing(prog, v, plan);
    std::printf(
        "  pace toward %s by 2027-06-15: %s, %zu of %zu done (%.1f expected), "
        "%.2fx the expected rate\n",
        d.pace_what.c_str(), mm::to_string(pace.status), pace.done, pace.total, pace.expected,
        pace.acceleration);
  } catch (const mm::error& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
