// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// The cohort report (io/report.hpp): one self-contained HTML page, deterministic, with every
// section; figures against the roster's own tables.
#include <doctest/doctest.h>

#include <masterymap/io/report.hpp>
#include <stdexcept>
#include <string>

#include "fixtures.hpp"

namespace mm = masterymap;

namespace {

constexpr double t0 = 1704067200.0;  // 2024-01-01T00:00:00Z
constexpr double day = 86400.0;

mm::roster cohort() {
  mm::roster r(fixtures::diamond_builder().build(), mm::policy(mm::scale::four_point()));
  std::vector<mm::evidence> ev;
  for (int l = 0; l < 12; ++l) {
    const std::string who = "learner<" + std::to_string(l) + ">";
    ev.emplace_back(who, "A", t0 + l * day, 2.0, "formative");
    ev.emplace_back(who, "A", t0 + (l + 3) * day, l % 3 == 0 ? 2.0 : 4.0, "summative");
    if (l % 2 == 0) ev.emplace_back(who, "B", t0 + (l + 5) * day, 4.0, "summative");
    if (l % 4 == 0)
      for (int k = 0; k < 11; ++k) ev.emplace_back(who, "C", t0 + (l + k) * day, 1.0, "formative");
  }
  (void)r.ingest(ev);
  return r;
}

std::size_t occurrences(const std::string& s, const std::string& what) {
  std::size_t n = 0;
  for (auto at = s.find(what); at != std::string::npos; at = s.find(what, at + 1)) ++n;
  return n;
}

}  // namespace

TEST_SUITE("io report") {
  TEST_CASE("cohort report: self-contained, every section, deterministic") {
    const auto r = cohort();
    const std::string html = mm::io::cohort_report_html(r);
    CHECK(html.rfind("<!DOCTYPE html>", 0) == 0);
    CHECK(html.find("Content-Security-Policy\" content=\"default-src 'none'") != std::string::npos);
    // No script and no external resource.
    CHECK(html.find("<script") == std::string::npos);
    CHECK(html.find("http://") == html.find("http://www.w3.org/2000/svg"));
    CHECK(html.find("https://") == std::string::npos);
    CHECK(html.find("<link") == std::string::npos);
    for (const char* id :
         {"distribution", "heatmap", "summary", "time-to-mastery", "bottlenecks", "groups"})
      CHECK(html.find(std::string("<h2 id=\"") + id + "\"") != std::string::npos);
    CHECK(occurrences(html, "<g class=\"bar\"") == 4);
    CHECK(occurrences(html, "<tr><td class=\"id\">") == 4);
    CHECK(html.find("<svg class=\"heatmap\"") != std::string::npos);
    CHECK(html.find("<svg class=\"km\" data-competency=\"A\"") != std::string::npos);
    // Names escaped, in closed <details> only.
    CHECK(html.find("learner<0>") == std::string::npos);
    CHECK(html.find("learner&lt;0&gt;") != std::string::npos);
    CHECK(html.find("<details open") == std::string::npos);
    // Stuck on C: learners 0, 4, 8 (11 pieces of evidence each, no mastery).
    CHECK(html.find("<summary>C &mdash; 3 learners</summary><p>learner&lt;0&gt;, "
                    "learner&lt;4&gt;, learner&lt;8&gt;</p>") != std::string::npos);
    CHECK(html.find("the bottleneck ranking was not given") != std::string::npos);
    CHECK(mm::io::cohort_report_html(r) == html);
  }

  TEST_CASE("cohort report: options") {
    const auto r = cohort();
    mm::io::report_options o;
    o.names = false;
    o.heatmap_max_cells = 10;
    o.title = "Class 4B & friends";
    o.bottlenecks = {{"C", 2.5, {"3 learners stuck", "low mastery rate"}}};
    const std::string html = mm::io::cohort_report_html(r, o);
    CHECK(html.find("<title>Class 4B &amp; friends</title>") != std::string::npos);
    CHECK(html.find("learner&lt;") == std::string::npos);
    CHECK(html.find("<svg class=\"heatmap\"") == std::string::npos);
    CHECK(html.find("Not drawn: 12 learners") != std::string::npos);
    CHECK(html.find("2.50 &middot; 3 learners stuck; low mastery rate") != std::string::npos);
    o.bottlenecks = {{"Z", 1.0, {}}};
    CHECK_THROWS_WITH_AS((void)mm::io::cohort_report_html(r, o),
                         "cohort_report_html: bottleneck names competency 'Z', which the "
                         "framework does not have",
                         std::invalid_argument);
  }
}
