// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// A learner on the Common Core map: frontier, gaps, level per domain, recommendations and pace.
// The map is third-party data read in place from ../shared/data/ccss-math-coherence-map
// ($MASTERYMAP_SHARED_DATA moves it); without it the example says so and does nothing.
#include <cstdio>
#include <masterymap/masterymap.hpp>
#include <string>

#include "ccss.hpp"

namespace mm = masterymap;

int main() {
  if (!ccss::available()) {
    std::printf("SKIPPED: %s is absent\n", ccss::default_dir().c_str());
    return 0;
  }
  const mm::framework fw = ccss::load();

  // Evidence: grade 3 fractions and operations mastered, except one standard; some grade 4 work.
  mm::roster roster(fw, mm::policy(mm::scale::four_point()));
  std::vector<mm::evidence> ev;
  double t = *mm::parse_time("2024-09-02");
  for (const auto& c : fw.competencies()) {
    const int g = c.level.value_or(99);
    if (g <= 3 && c.id != "3.NF.A.1") ev.emplace_back("maya", c.id, t += 3600, 3.0);
    if (g == 4 && (c.domain == "NF" || c.domain == "OA"))
      ev.emplace_back("maya", c.id, t += 3600, 3.0);
  }
  roster.ingest(ev);
  const std::size_t l = roster.index_of("maya");
  const auto last = roster.last_evidence_times(l);
  const mm::learner_row row = roster.row(l);  // the learner's dense row (owns the arrays)
  mm::learner_view v = row;
  v.last_evidence = last.data();
  const mm::progression& prog = roster.progression();

  std::printf("frontier (%zu ready):", prog.frontier(v).size());
  int shown = 0;
  for (auto c : prog.frontier(v))
    if (shown++ < 8) std::printf(" %s", fw.id_of(c).c_str());
  std::printf(" ...\n");
  for (const auto& g : prog.gaps(v)) {
    std::printf("gap %s undermines %zu:", g.id.c_str(), g.undermines.size());
    for (auto u : g.undermines) std::printf(" %s", fw.id_of(u).c_str());
    std::printf("\n");
  }
  for (const auto& lv : prog.levels(v))
    if (lv.level || lv.next_done > 0)
      std::printf("domain %-4s level %s, next %s: %zu/%zu\n", lv.domain.c_str(),
                  lv.level ? std::to_string(*lv.level).c_str() : "-",
                  lv.next_level ? std::to_string(*lv.next_level).c_str() : "-", lv.next_done,
                  lv.next_total);
  for (const auto& r : prog.recommend(v, 3)) {
    std::printf("next: %s (score %.2f)", r.id.c_str(), r.score);
    for (const auto& why : r.reasons) std::printf("; %s", why.c_str());
    std::printf("\n");
  }
  mm::pace_plan plan;
  plan.start = *mm::parse_time("2024-09-01");
  plan.target = *mm::parse_time("2025-06-15");
  for (auto c : fw.competencies_in("NF", 4)) plan.goals.push_back(fw.id_of(c));
  for (auto c : fw.competencies_in("NF", 5)) plan.goals.push_back(fw.id_of(c));
  const auto pace = mm::pacing(prog, v, plan);
  std::printf("pace: %s, %zu of %zu done (%.1f expected), %.2fx the expected rate\n",
              mm::to_string(pace.status), pace.done, pace.total, pace.expected, pace.acceleration);
  return 0;
}
