// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// The masterymap demo: load a learning map, then follow three learners through a school year as
// their teacher would read the library's advice.
//
//   masterymap_demo [ccss-dir | --bundled] [competency]
//
// It runs on the Common Core math coherence map (third-party data read in place) when
// ../shared/data/ccss-math-coherence-map is present ($MASTERYMAP_SHARED_DATA moves it) or when
// the map's folder is given on the command line; otherwise (or with --bundled) on the small
// fractions-and-number-sense map the project ships in examples/data/fractions. Both tell the
// same story:
//   1. Maya: only last year's records are on file (every standard of that grade mastered):
//      what lies under them is inferred (KST's surmise relation), not sent back as "gaps";
//   2. Leo: a real hole under mastered work (a score below mastery on a prerequisite);
//   3. Noor: a pre-test scored 4 (Advanced) in a domain where the teacher's discussion is the
//   gatekeeper:
//      ready for the teacher's check, then exempt once the check arrives.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <iostream>
#include <map>
#include <masterymap/io/credentials.hpp>
#include <masterymap/io/file.hpp>
#include <masterymap/io/learner_map.hpp>
#include <masterymap/io/record.hpp>
#include <masterymap/io/report.hpp>
#include <masterymap/masterymap.hpp>
#include <set>
#include <string>
#include <vector>

#include "ccss.hpp"

namespace mm = masterymap;

namespace {

std::string grade_name(int level) { return level == 0 ? "K" : std::to_string(level); }

std::string grade_of(const mm::competency& c) {
  auto it = c.metadata.find("grade");
  return it != c.metadata.end() ? it->second : grade_name(c.level.value_or(-1));
}

std::string shorten(const std::string& s, std::size_t n) {
  if (s.size() <= n) return s;
  std::string t = s.substr(0, n - 3);
  while (!t.empty() && (t.back() == '.' || t.back() == ' ')) t.pop_back();
  return t + "...";
}

/// The first `k` ids, space-separated, "..." when there are more.
std::string ids_of(const mm::framework& fw, const std::vector<mm::index_t>& v, std::size_t k) {
  std::string s;
  for (std::size_t i = 0; i < v.size() && i < k; ++i) s += (i ? " " : "") + fw.id_of(v[i]);
  if (v.size() > k) s += " ...";
  return s;
}

/// What the demo runs on, and the story's cast in it.
struct demo_data {
  std::string banner;  // the first line of the output
  std::function<mm::framework()> load;
  std::string load_what;  // "CSV read + validate"
  std::string noun;       // "standard" or "competency", for the counts
  std::string nouns;
  std::string policy_path;
  std::string evidence_path;  // Leo's and Noor's evidence (the records of last year are made here)
  std::string goal;           // the competency whose prerequisites are shown
  int last_year = 0;          // the grade whose records are on file; the learners are one above
  std::string hole;           // Leo's contrary score
  std::string pretest;        // Noor's pre-test
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
          3,
          "3.OA.C.7",
          "4.NF.A.1"};
}

demo_data bundled_data(const std::string& why) {
  const std::string dir = std::string(MASTERYMAP_EXAMPLE_DATA) + "/fractions";
  return {"Data: the bundled sample map " + dir + " (" + why + ")",
          // The map as its CASE 1.1 package, as a district would receive its standards.
          [dir] { return mm::io::read_case(dir + "/framework.case.json"); },
          "CASE package read + validate", "competency", "competencies", dir + "/policy.json",
          dir + "/evidence.csv", "FR5.addsub", 3, "FR3.equiv", "FR4.equiv"};
}

/// One learner's row of the roster, with evidence times (for recommend's recency).
struct row {
  mm::learner_row cells;  // owns the arrays `view` points into
  std::vector<double> last;
  mm::learner_view view;
};

row row_of(const mm::roster& r, const std::string& learner) {
  const std::size_t l = r.index_of(learner);
  row out{r.row(l), r.last_evidence_times(l), {}};
  out.view = out.cells;
  out.view.last_evidence = out.last.data();
  return out;
}

/// "mastered 37, inferred 46, in progress 1": learning targets (units with a rollup are done
/// when their parts are, and are not counted).
std::string counts(const mm::progression& prog, const mm::learner_view& v) {
  std::map<int, std::size_t> n;
  for (mm::index_t i = 0; i < v.size; ++i)
    if (v.statuses[i] != mm::status::not_started && prog.is_learning_target(i))
      ++n[mm::status_rank(v.statuses[i])];
  std::string s;
  for (mm::status st :
       {mm::status::mastered, mm::status::exceeded, mm::status::exempt, mm::status::inferred,
        mm::status::in_progress, mm::status::awaiting_confirmation, mm::status::expired})
    if (auto it = n.find(mm::status_rank(st)); it != n.end())
      s += (s.empty() ? "" : ", ") + std::string(mm::status_text(st)) + " " +
           std::to_string(it->second);
  return s;
}

/// A status as a teacher reads it, with the rating when there is one.
std::string status_line(const mm::learner_state& st, const std::string& id) {
  const mm::status s = st.status(id);
  std::string t = mm::status_text(s);
  if (auto score = st.score(id)) {
    char buf[64];
    std::snprintf(buf, sizeof buf, " (%s%.2f, %s)",
                  s == mm::status::awaiting_confirmation ? "evidence at " : "", *score,
                  st.rating(id).value_or("-").c_str());
    t += buf;
  }
  return t;
}

/// The explanation's lines that start with one of `keys` (trimmed), indented.
void print_explain_lines(const mm::explanation& ex, const std::vector<std::string>& keys) {
  std::size_t from = 0;
  while (from < ex.text.size()) {
    std::size_t to = ex.text.find('\n', from);
    if (to == std::string::npos) to = ex.text.size();
    std::string line = ex.text.substr(from, to - from);
    from = to + 1;
    const std::size_t b = line.find_first_not_of(' ');
    if (b == std::string::npos) continue;
    line = line.substr(b);
    for (const auto& k : keys)
      if (line.rfind(k, 0) == 0) {
        std::printf("    %s\n", line.c_str());
        break;
      }
  }
}

void print_recommendations(const mm::progression& prog, const mm::learner_view& v, std::size_t k) {
  for (const auto& r : prog.recommend(v, k)) {
    std::printf("  next: %s (grade %s)", r.id.c_str(),
                grade_of(prog.framework().at(r.competency)).c_str());
    for (const auto& reason : r.reasons) std::printf("; %s", reason.c_str());
    std::printf("\n");
  }
}

void print_gaps(const mm::progression& prog, const mm::learner_view& v) {
  const auto gaps = prog.gaps(v);
  if (gaps.empty()) std::printf("  gaps (holes under mastered work): none\n");
  for (const auto& g : gaps)
    std::printf("  gap %s (%s) undermines %zu: %s\n", g.id.c_str(), mm::status_text(g.status),
                g.undermines.size(), ids_of(prog.framework(), g.undermines, 6).c_str());
  const auto blocking = prog.blockers(v);
  if (!blocking.empty()) {
    std::printf("  blocks current work (%zu):", blocking.size());
    for (std::size_t i = 0; i < blocking.size() && i < 6; ++i)
      std::printf(" %s", blocking[i].id.c_str());
    std::printf("%s\n", blocking.size() > 6 ? " ..." : "");
  }
}

void print_levels(const mm::progression& prog, const mm::learner_view& v) {
  std::printf("  level per domain (highest grade complete):");
  for (const auto& lv : prog.levels(v))
    if (lv.level) std::printf(" %s=%s", lv.domain.c_str(), grade_name(*lv.level).c_str());
  std::printf("\n");
}

/// The frontier, split as a teacher reads it: work at or above the learner's grade, and what
/// lies below it with nothing on file (not a gap: no evidence says it is missing).
void print_frontier(const mm::progression& prog, const mm::learner_view& v, int grade) {
  const auto& fw = prog.framework();
  std::vector<mm::index_t> at, below;
  for (auto c : prog.frontier(v))
    (fw.at(c).level.value_or(grade) < grade && v.statuses[c] == mm::status::not_started ? below
                                                                                        : at)
        .push_back(c);
  std::printf("  ready to learn: %zu at grade %d or above: %s\n", at.size(), grade,
              ids_of(fw, at, 8).c_str());
  if (!below.empty())
    std::printf(
        "    and %zu below grade %d with nothing on file and no mastered work above them\n"
        "    (not gaps; recommended last, \"consider a placement\"): %s\n",
        below.size(), grade, ids_of(fw, below, 6).c_str());
}

}  // namespace

int main(int argc, char** argv) {
  const std::string arg = argc > 1 ? argv[1] : "";
  if (arg == "--help" || arg == "-h") {
    std::cout << "usage: masterymap_demo [ccss-dir | --bundled] [competency]\n"
                 "  ccss-dir    the Common Core coherence map's folder (default: "
              << ccss::default_dir()
              << " when present)\n"
                 "  --bundled   the project's sample map (fractions and number sense, grades 2-5)\n"
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
    // --- The curriculum ------------------------------------------------------------------------
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
    std::printf("%s: %.2f ms (median of 7); acyclic, so every %s has a learning order\n",
                d.load_what.c_str(), ms[3], d.noun.c_str());
    std::map<int, std::pair<std::string, int>> per_grade;
    for (const auto& c : fw.competencies()) {
      auto& slot = per_grade[c.level.value_or(-1)];
      slot.first = grade_of(c);
      ++slot.second;
    }
    std::printf("%zu domains; %s per grade:", fw.domains().size(), d.nouns.c_str());
    for (const auto& [lvl, g] : per_grade) std::printf(" %s:%d", g.first.c_str(), g.second);
    std::printf("\n");

    const auto chain = fw.longest_chain();
    std::printf("Longest prerequisite chain: %zu links\n  ", chain.size() - 1);
    for (std::size_t k = 0; k < chain.size(); ++k)
      std::cout << fw.id_of(chain[k])
                << (k + 1 < chain.size() ? (k % 8 == 7 ? " ->\n  " : " -> ") : "\n");

    const mm::index_t goal_index = fw.index_of(d.goal);
    const std::size_t unlocks = fw.dependents(goal_index, true).size();
    std::printf(
        "%s (grade %s): %s\n  %zu direct prerequisites, %zu in all; it unlocks %zu later %s\n",
        d.goal.c_str(), grade_of(fw.at(goal_index)).c_str(),
        shorten(fw.at(goal_index).description, 80).c_str(), fw.prerequisites(goal_index).size(),
        fw.prerequisites(goal_index, true).size(), unlocks,
        (unlocks == 1 ? d.noun : d.nouns).c_str());

    // A curriculum lint: a link implied by a longer path whose every link is at least as strong.
    const auto red = fw.redundant_prerequisites();
    std::printf(
        "Curriculum lint: %zu prerequisite link%s implied by longer paths of links at least "
        "as strong%s",
        red.size(), red.size() == 1 ? "" : "s", red.empty() ? "\n" : ", e.g.");
    for (std::size_t k = 0; k < red.size() && k < 2; ++k)
      std::printf(" %s -> %s%s", fw.id_of(red[k].prerequisite).c_str(),
                  fw.id_of(red[k].dependent).c_str(),
                  k + 1 < std::min<std::size_t>(red.size(), 2) ? "," : "\n");

    // --- The school's policy and the class -----------------------------------------------------
    const mm::policy pol = mm::policy::from_json(mm::io::read_text_file(d.policy_path));
    std::printf(
        "\nPolicy \"%s\": mastery at %s; what mastered work rests on is inferred "
        "(through %s links)\n",
        pol.name().c_str(), pol.scale().mastery_label().c_str(),
        mm::to_string(pol.infer_prerequisites()));
    const int grade = d.last_year + 1;
    mm::roster roster(fw, pol);
    const mm::progression& prog = roster.progression();
    // Last year's records: every grade-N learning target mastered (a formative check and the
    // teacher's discussion on each, in spring), nothing earlier on file. Leo has no mastery on
    // his hole.
    std::vector<mm::evidence> records;
    std::size_t last_year_count = 0;
    for (const std::string who : {"maya", "leo", "noor"}) {
      double t = *mm::parse_time("2026-03-02T08:00:00Z");
      for (mm::index_t i = 0; i < fw.size(); ++i) {
        const auto& c = fw.at(i);
        if (c.level != d.last_year || !prog.is_learning_target(i)) continue;
        if (who == "leo" && c.id == d.hole) continue;
        records.emplace_back(who, c.id, t += 3600, 3.0, "formative", 1.0, "last year's teacher");
        records.emplace_back(who, c.id, t += 600, 3.0, "discussion", 1.0, "last year's teacher");
        if (who == "maya") ++last_year_count;
      }
    }
    roster.ingest(records);
    mm::evidence_log log;
    log.read_csv(d.evidence_path, {}, roster.engine().checks());
    roster.ingest(log);  // Leo's and Noor's evidence (examples/data)
    std::printf(
        "A grade-%d class of %zu: %zu pieces of evidence (last year's records and %zu rows of "
        "%s)\n",
        grade, roster.size(), roster.log().size(), log.size(),
        d.evidence_path.substr(d.evidence_path.rfind("/data/") + 1).c_str());

    // --- 1. Maya ------------------------------------------------------------------------------
    std::printf(
        "\n1. Maya: her file holds last year's records only (all %zu grade-%d %s mastered, "
        "nothing earlier)\n",
        last_year_count, d.last_year, d.nouns.c_str());
    {
      const row maya = row_of(roster, "maya");
      const mm::learner_state st = roster.learner("maya");
      const auto inferred = st.with_status(mm::status::inferred);
      std::printf("  %s\n", counts(prog, maya.view).c_str());
      // The highest-grade inferred one (the nearest to her work), and what it rests on.
      mm::index_t shown = inferred.front();
      for (auto c : inferred)
        if (fw.at(c).level.value_or(-1) > fw.at(shown).level.value_or(-1)) shown = c;
      const auto ex = st.explain(shown, roster.log());
      std::printf("  inferred: met for gates, levels and paths, never reported as earned; e.g.\n");
      for (const auto& note : ex.notes)
        if (note.rfind("inferred from", 0) == 0)
          std::printf("    %s: %s\n", fw.id_of(shown).c_str(), note.c_str());
      print_gaps(prog, maya.view);
      print_levels(prog, maya.view);
      print_frontier(prog, maya.view, grade);
      print_recommendations(prog, maya.view, 3);
      // A diagnostic places her at her grade in every domain (Roster::place: one placement
      // row per domain, the level as its score): everything below it is inferred.
      roster.place("maya", grade, *mm::parse_time("2026-09-08T09:00:00Z"), {}, "diagnostic");
      const row then = row_of(roster, "maya");
      const mm::learner_state st2 = roster.learner("maya");
      std::size_t still_below = 0;
      for (auto c : prog.frontier(then.view))
        if (fw.at(c).level.value_or(grade) < grade) ++still_below;
      std::printf(
          "  Sept 8, a diagnostic places her at grade %d in every domain (roster.place):\n"
          "    inferred %zu -> %zu; below grade %d still open: %zu\n",
          grade, inferred.size(), st2.with_status(mm::status::inferred).size(), grade, still_below);
      print_recommendations(prog, then.view, 2);
      // One that only the placement reaches.
      for (auto c : st2.with_status(mm::status::inferred))
        if (st.status(c) != mm::status::inferred) {
          for (const auto& note : st2.explain(c, roster.log()).notes)
            if (note.rfind("placed at", 0) == 0)
              std::printf("    %s: %s\n", fw.id_of(c).c_str(), note.c_str());
          break;
        }
    }

    // --- 2. Leo -------------------------------------------------------------------------------
    std::printf(
        "\n2. Leo: last year's records too, but %s was below mastery; this fall he mastered work "
        "that rests on it\n",
        d.hole.c_str());
    {
      const row leo = row_of(roster, "leo");
      const mm::learner_state st = roster.learner("leo");
      std::printf("  %s\n", counts(prog, leo.view).c_str());
      std::printf("  %s: %s: contrary evidence, so it is not inferred\n", d.hole.c_str(),
                  status_line(st, d.hole).c_str());
      print_explain_lines(st.explain(d.hole, roster.log()), {"+", "-", "unmet"});
      print_gaps(prog, leo.view);
      print_recommendations(prog, leo.view, 3);
    }

    // --- 3. Noor ------------------------------------------------------------------------------
    const std::string dom = fw.at(fw.index_of(d.pretest)).domain;
    std::printf(
        "\n3. Noor: a pre-test scored 4 (Advanced) on %s; in %s the teacher's discussion is the "
        "gatekeeper, for exemption too\n",
        d.pretest.c_str(), dom.c_str());
    {
      const mm::learner_state st = roster.learner("noor");
      std::printf("  %s: %s\n", d.pretest.c_str(), status_line(st, d.pretest).c_str());
      print_explain_lines(st.explain(d.pretest, roster.log()), {"unmet: gatekeeper", "note"});
      const row before = row_of(roster, "noor");
      const auto frontier_before = prog.frontier(before.view);
      print_recommendations(prog, before.view, 3);
      // The teacher's check arrives: one event, updated in place.
      roster.add("noor", d.pretest, *mm::parse_time("2026-11-02T10:00:00Z"), 3.0, "discussion", 1.0,
                 "Mr. Okafor");
      const mm::learner_state after = roster.learner("noor");
      std::printf("  Nov 2, the teacher's discussion at Proficient: %s is %s\n", d.pretest.c_str(),
                  status_line(after, d.pretest).c_str());
      // Why exempt and not mastered: the check is the one counted piece of evidence.
      const auto& r = pol.rule_for(d.pretest, dom);
      if (after.status(d.pretest) == mm::status::exempt)
        std::printf(
            "    (the check confirms the pre-test; mastered would need %u counted pieces of "
            "evidence at mastery)\n",
            r.min_evidence);
      const row now = row_of(roster, "noor");
      std::vector<mm::index_t> opened;
      const std::set<mm::index_t> was(frontier_before.begin(), frontier_before.end());
      for (auto c : prog.frontier(now.view))
        if (!was.count(c)) opened.push_back(c);
      std::printf("  now ready to learn too: %s\n",
                  opened.empty() ? "(nothing new)" : ids_of(fw, opened, 8).c_str());
      print_recommendations(prog, now.view, 2);
      // She moves school: her CLR (what she earned, as 1EdTech credentials, unsigned) and her
      // portable record (evidence, ratings with explanations, the CLR), which the next
      // school's roster imports and re-rates.
      mm::io::record_options ro;
      ro.credential.issuer = "https://maple-street.example/issuer";
      ro.credential.issuer_name = "Maple Street School";
      ro.credential.identity = "noor@maple-street.example";
      ro.credential.identity_type = "emailAddress";
      const std::string clr = mm::io::clr(after, roster.log(), ro.credential);
      std::size_t earned = 0;
      for (auto s : after.statuses()) earned += mm::is_earned(s);
      const std::string record = mm::io::export_record(roster, "noor", ro);
      mm::roster next_school(fw, pol);
      const auto imported = mm::io::read_record(next_school, record);
      std::printf(
          "  Noor moves school: her CLR 2.0 (unsigned, %zu achievements, identity hashed): %zu "
          "bytes;\n    her record (%zu evidence rows, ratings with explanations, the CLR): %zu "
          "bytes; the next school's roster %s\n",
          earned, clr.size(), imported.rows, record.size(),
          imported.differences.empty() ? "reproduces every rating" : "some ratings differ");
    }

    // --- The class at a glance ----------------------------------------------------------------
    mm::pace_plan plan;
    plan.start = *mm::parse_time("2026-08-25T00:00:00Z");
    plan.target = *mm::parse_time("2027-06-15T00:00:00Z");
    for (auto c : fw.competencies_in(dom, grade))
      if (prog.is_learning_target(c)) plan.goals.push_back(fw.id_of(c));
    std::string line;
    double expected = 0.0;
    for (const std::string who : {"maya", "leo", "noor"}) {
      const row r = row_of(roster, who);
      const auto pace = mm::pacing(prog, r.view, plan);
      std::string status = mm::to_string(pace.status);
      std::replace(status.begin(), status.end(), '_', ' ');
      line += (line.empty() ? " " : ", ") + who + " " + status + " (" + std::to_string(pace.done) +
              " done)";
      expected = pace.expected;
    }
    std::printf(
        "\nPace toward grade %d %s by 2027-06-15 (%zu %s; %.1f expected done by Nov 2):%s\n", grade,
        dom.c_str(), plan.goals.size(), d.nouns.c_str(), expected, line.c_str());

    // --- Pictures: the class report and Leo's map, in the temp folder ---------------------------
    namespace fs = std::filesystem;
    try {
      const fs::path dir = fs::temp_directory_path() / "masterymap-demo";
      fs::create_directories(dir);
      const fs::path report = dir / "report.html";
      mm::io::write_text_file(report.string(), mm::io::cohort_report_html(roster));
      const mm::learner_state leo = roster.learner("leo");
      fs::path map = dir / "map-leo.svg";
      if (mm::io::have_graphviz()) {
        mm::io::write_text_file(map.string(), mm::io::to_svg(leo, &roster.log()));
      } else {  // built without Graphviz: the DOT text, for `dot -Tsvg`
        map = dir / "map-leo.dot";
        mm::io::write_text_file(map.string(), mm::io::to_dot(leo, &roster.log()));
      }
      std::printf(
          "\nPictures: the class report (one HTML file, no network) %s\n"
          "          Leo's learning map (status colours, frontier and gaps outlined) %s\n",
          report.string().c_str(), map.string().c_str());
    } catch (const std::exception& e) {  // a read-only temp folder: the story is told anyway
      std::printf("\nPictures: not written: %s\n", e.what());
    }
  } catch (const mm::error& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
