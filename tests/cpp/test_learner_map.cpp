// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// A learner's map (io/learner_map.hpp): DOT text with the status, frontier and gap cues, and
// SVG laid out by Graphviz (when built with it): one node per competency, deterministic.
#include <doctest/doctest.h>

#include <masterymap/io/learner_map.hpp>
#include <masterymap/roster.hpp>
#include <set>
#include <stdexcept>
#include <string>

#include "fixtures.hpp"

namespace mm = masterymap;

namespace {

constexpr double t0 = 1704067200.0;  // 2024-01-01T00:00:00Z

/// A mastered, B in progress under mastered D (a gap), C ready to learn (A done, familiar).
mm::roster diamond_roster() {
  mm::roster r(fixtures::diamond_builder().build(), mm::policy(mm::scale::four_point()));
  (void)r.ingest(std::vector<mm::evidence>{
      {"ana", "A", t0, 3.0, "summative"},
      {"ana", "A", t0 + 60, 3.0, "summative"},
      {"ana", "B", t0 + 120, 1.0, "formative"},
      {"ana", "D", t0 + 180, 3.0, "summative"},
      {"ana", "D", t0 + 240, 3.0, "summative"},
  });
  return r;
}

std::size_t occurrences(const std::string& s, const std::string& what) {
  std::size_t n = 0;
  for (auto at = s.find(what); at != std::string::npos; at = s.find(what, at + 1)) ++n;
  return n;
}

}  // namespace

TEST_SUITE("io learner map") {
  TEST_CASE("learner map: DOT nodes carry status, frontier and gap cues") {
    const auto r = diamond_roster();
    const auto st = r.learner("ana");
    REQUIRE(st.status("A") == mm::status::mastered);
    REQUIRE(st.status("B") == mm::status::in_progress);
    REQUIRE(st.status("D") == mm::status::mastered);
    const std::string dot = mm::io::to_dot(st, &r.log());
    CHECK(dot.rfind("digraph \"ana\" {", 0) == 0);
    CHECK(occurrences(dot, "class=\"competency status-") == 4);
    CHECK(dot.find("\"A\" [id=\"c-A\", class=\"competency status-mastered\"") != std::string::npos);
    CHECK(dot.find("class=\"competency status-in_progress frontier gap\"") != std::string::npos);
    CHECK(dot.find("class=\"competency status-not_started frontier\"") != std::string::npos);
    CHECK(dot.find("fillcolor=\"#009E73\"") != std::string::npos);  // mastered: bluish green
    CHECK(dot.find("gap under 1") != std::string::npos);
    CHECK(dot.find("ready to learn") != std::string::npos);
    // Edge styles by strength; domains N and M as clusters.
    CHECK(dot.find("\"A\" -> \"C\" [class=\"prerequisite familiar\", style=dashed") !=
          std::string::npos);
    CHECK(dot.find("\"C\" -> \"D\" [class=\"prerequisite recommended\", style=dotted") !=
          std::string::npos);
    CHECK(dot.find("subgraph cluster_0 {\n    graph [label=\"N\"") != std::string::npos);
    CHECK(dot.find("subgraph cluster_1 {\n    graph [label=\"M\"") != std::string::npos);
    // The tooltip carries the explanation (with the log) and not without it.
    CHECK(dot.find("rule (default): latest") != std::string::npos);
    CHECK(mm::io::to_dot(st).find("rule (default): latest") == std::string::npos);
    CHECK(mm::io::to_dot(st, &r.log()) == dot);  // deterministic
    mm::io::map_options o;
    o.legend = false;
    o.clusters = false;
    const std::string bare = mm::io::to_dot(st, nullptr, o);
    CHECK(bare.find("cluster") == std::string::npos);
    CHECK(bare.find("label=<") == std::string::npos);
    o.rankdir = "XY";
    CHECK_THROWS_WITH_AS((void)mm::io::to_dot(st, nullptr, o),
                         "map_options.rankdir must be LR, TB, RL or BT, not 'XY'",
                         std::invalid_argument);
  }

  TEST_CASE("learner map: Okabe-Ito colours, distinct per status") {
    std::set<std::string> seen;
    for (int s = 0; s < 8; ++s) seen.insert(mm::io::status_color(static_cast<mm::status>(s)));
    CHECK(seen.size() == 8);
  }

  TEST_CASE("learner map: SVG laid out by Graphviz, one node per competency, deterministic") {
    const auto r = diamond_roster();
    const auto st = r.learner("ana");
    if (!mm::io::have_graphviz()) {
      CHECK_THROWS_AS((void)mm::io::to_svg(st), std::runtime_error);
      MESSAGE("SKIPPED: built without Graphviz (libgvc)");
      return;
    }
    const std::string svg = mm::io::to_svg(st, &r.log());
    CHECK(svg.find("<svg") != std::string::npos);
    CHECK(occurrences(svg, "class=\"node competency ") == 4);
    CHECK(svg.find(
              "<g id=\"c&#45;B\" class=\"node competency status&#45;in_progress frontier gap\"") !=
          std::string::npos);
    CHECK(occurrences(svg, "class=\"edge prerequisite ") == 5);
    CHECK(mm::io::to_svg(st, &r.log()) == svg);
    CHECK_THROWS_AS((void)mm::io::render_svg("digraph { a -> "), std::invalid_argument);
    CHECK_THROWS_AS((void)mm::io::render_svg("digraph { a }", "no-such-layout"),
                    std::invalid_argument);
    CHECK(mm::io::render_svg("digraph { a -> b }").find("<svg") != std::string::npos);
  }
}
