// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// Writes the seed corpora of the fuzz targets into <out>/<target>/, at run time: small pieces
// of the real data sets in ../shared/data (the Common Core map, Junyi, Princeton, ASSISTments),
// cut down to a few kilobytes so that mutations stay fast, plus the project's own examples/data
// and small inputs built here through the public API (every policy method and rollup, BKT models
// with item classes and forgetting, tracers, roster snapshots). Nothing third-party is stored in
// the repository. A data set that is absent is skipped with a note.
//
// Usage: fuzz_seeds <out> [shared-data-dir] [examples-data-dir]
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <masterymap/bkt.hpp>
#include <masterymap/io/case.hpp>
#include <masterymap/io/csv.hpp>
#include <masterymap/masterymap.hpp>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "ccss.hpp"  // examples/cpp: the map's column options
#include "fuzz_util.hpp"

namespace fs = std::filesystem;
namespace mm = masterymap;
namespace bkt = masterymap::bkt;

namespace {

fs::path out_dir, shared_dir, example_dir;
std::size_t written = 0;

void seed(const std::string& target, const std::string& name, const std::string& bytes) {
  const fs::path dir = out_dir / target;
  fs::create_directories(dir);
  std::ofstream out(dir / name, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  ++written;
}
// A seed whose first byte chooses the target's options.
void seed(const std::string& target, const std::string& name, char choice,
          const std::string& bytes) {
  seed(target, name, std::string(1, choice) + bytes);
}

bool have(const fs::path& p) {
  if (fs::exists(p)) return true;
  std::cout << "fuzz_seeds: " << p.string() << " is absent, its seeds are skipped\n";
  return false;
}

std::string read(const fs::path& p) { return mm::io::read_text_file(p.string()); }

// The first `n` lines of a text (a cut at a line end; a record spanning lines may be cut).
std::string head(const std::string& text, std::size_t n) {
  std::size_t at = 0;
  for (std::size_t i = 0; i < n && at != std::string::npos; ++i) {
    at = text.find('\n', at);
    if (at != std::string::npos) ++at;
  }
  return at == std::string::npos ? text : text.substr(0, at);
}

std::string csv_row(const std::vector<std::string>& fields) {
  std::string out;
  for (std::size_t i = 0; i < fields.size(); ++i) fuzz::csv_field(out, fields[i], i == 0);
  return out + "\n";
}

// The rows of `table` whose column `key` is in `keep`, with its header.
std::string select_rows(const mm::io::csv_table& table, const std::string& key,
                        const std::set<std::string>& keep) {
  std::string out = csv_row(table.header);
  const long k = table.column(key);
  for (const auto& row : table.rows)
    if (k >= 0 && keep.count(row[static_cast<std::size_t>(k)])) out += csv_row(row);
  return out;
}

// --- frameworks ------------------------------------------------------------------------------

mm::framework first(const mm::framework& f, std::size_t n) {
  std::vector<mm::index_t> keep;
  for (mm::index_t i = 0; i < f.size() && keep.size() < n; ++i) keep.push_back(i);
  return f.subgraph(keep);
}

mm::framework small_framework() {
  mm::framework_builder b("fuzz sample: a diamond with a hierarchy");
  mm::competency a;
  a.id = "A";
  a.title = "Count \"to\" 10";
  a.description = "Line one\nline two, with a comma";
  a.domain = "N";
  a.level = 1;
  a.tags = {"core", "K-2"};
  a.metadata = {{"grade", "K"}, {"source", "fuzz"}};
  b.add_competency(a);
  b.add_competency("B", "Add", "N", 2).add_competency("C", "Measure", "M", 2);
  b.add_competency("D", "Multiply", "N", 3).add_competency("P", "Number", "N");
  mm::competency h;
  h.id = "H";
  h.kind = mm::competency_kind::disposition;
  b.add_competency(h);
  b.add_prerequisite("B", "A").add_prerequisite("C", "A", mm::strength::familiar, 2.0);
  b.add_prerequisite("D", "B").add_prerequisite("D", "C", mm::strength::recommended);
  b.add_child("P", "A").add_child("P", "B");
  return b.build();
}

void framework_seeds() {
  const std::string t = "framework_json";
  const mm::framework small = small_framework();
  seed(t, "small.json", small.to_json(2));
  seed(t, "small_compact.json", small.to_json(0));
  seed(t, "version1.json", R"({"format": "masterymap.framework", "version": 1, "name": "v1",
 "competencies": [{"id": "a"}, {"id": "b", "level": 2}, {"id": "c"}],
 "hierarchy": [{"parent": "c", "child": "a"}],
 "prerequisites": [{"competency": "b", "requires": "a", "strength": "familiar", "min_level": 1.5},
                   {"competency": "b", "requires": "b"}]})");
  seed(t, "cycle.json", R"({"format": "masterymap.framework", "version": 2,
 "competencies": [{"id": "a"}, {"id": "b"}],
 "prerequisites": [{"prerequisite": "a", "dependent": "b"}, {"prerequisite": "b", "dependent": "a"},
                   {"prerequisite": "a", "dependent": "b"}]})");
  if (have(example_dir / "fractions/framework.json"))
    seed(t, "fractions.json", read(example_dir / "fractions/framework.json"));

  const std::string c = "framework_csv";
  seed(c, "default", 0,
       "prerequisite,dependent,strength,note\nA,B,required,x\nA,C,familiar,\"y, z\"\n"
       "B,D,recommended,\nC,D,,\n" +
           std::string(1, '\0') +
           "id,title,description,domain,level,note\nA,Count,\"Count to \"\"ten\"\"\",N,1,n\n"
           "B,Add,,N,2,\nC,Measure,,M,2,\nD,Multiply,\"two\nlines\",N,3,\n");
  seed(c, "edges_only", 4, "prerequisite,dependent\r\nA,B\r\nB,C\r\n\r\nC,D\r\n");

  const fs::path ccss = shared_dir / "ccss-math-coherence-map";
  if (have(ccss / "prerequisite_edges.csv") && have(ccss / "standards.csv")) {
    const std::string edges = read(ccss / "prerequisite_edges.csv");
    const std::string standards = read(ccss / "standards.csv");
    // The first 25 edges and exactly the standards they name.
    const mm::io::csv_table e = mm::io::parse_csv(head(edges, 26));
    std::set<std::string> ids;
    for (const auto& row : e.rows) ids.insert({row[2], row[3]});
    seed(c, "ccss", 1,
         head(edges, 26) + '\0' + select_rows(mm::io::parse_csv(standards), "code", ids));
    const mm::framework f = mm::io::parse_framework_csv(edges, standards, ccss::options());
    seed(t, "ccss_first30.json", first(f, 30).to_json(0));
    seed(t, "ccss_grade3.json", f.subgraph(f.competencies_in("NF", 3)).to_json(2));
  }
  const fs::path junyi = shared_dir / "junyi-knowledge-map";
  if (have(junyi / "prerequisite_edges.csv") && have(junyi / "junyi_Exercise_table.csv")) {
    seed(c, "junyi", 2,
         head(read(junyi / "prerequisite_edges.csv"), 40) + '\0' +
             head(read(junyi / "junyi_Exercise_table.csv"), 12));
    mm::io::csv_framework_options o;
    o.dependent_column = "exercise";
    o.build.drop_cycle_edges = true;
    o.build.drop_duplicate_edges = true;
    seed(t, "junyi_first40.json",
         first(mm::io::read_framework_csv((junyi / "prerequisite_edges.csv").string(), {}, o), 40)
             .to_json(0));
  }
  const fs::path princeton = shared_dir / "princeton-course-prereqs";
  if (have(princeton / "prerequisite_edges.csv") && have(princeton / "courses.csv")) {
    const std::string edges = read(princeton / "prerequisite_edges.csv");
    seed(c, "princeton", 3, head(edges, 40) + '\0' + head(read(princeton / "courses.csv"), 20));
    // Rows of every strength kind, not only the first ("prereq").
    std::string kinds = head(edges, 1);
    std::set<std::string> seen;
    const mm::io::csv_table all = mm::io::parse_csv(edges);
    for (const auto& row : all.rows)
      if (seen.insert(row[2]).second || seen.size() < 4) kinds += csv_row(row);
    seed(c, "princeton_kinds", 3, kinds);
  }
}

// --- policies --------------------------------------------------------------------------------

std::vector<mm::policy> policies() {
  std::vector<mm::policy> out;
  const std::vector<mm::method> methods = {mm::method::latest(),
                                           mm::method::highest(),
                                           mm::method::mean(),
                                           mm::method::weighted_mean(),
                                           mm::method::mode(),
                                           mm::method::weighted_average(0.4),
                                           mm::method::decaying_average(),
                                           mm::method::n_mastery(3),
                                           mm::method::power_law(),
                                           mm::method::bkt(0.9)};
  const std::vector<mm::scale> scales = {mm::scale::four_point(), mm::scale::percent(85),
                                         mm::scale::competent_scale(), mm::scale::letter()};
  for (std::size_t i = 0; i < methods.size(); ++i) {
    mm::rule r;
    r.method = methods[i];
    r.min_evidence = 2;
    out.emplace_back(scales[i % scales.size()], r, "method " + std::to_string(i));
  }
  // One policy with every condition, overrides, rollups of every operator and a precedence.
  mm::rule r;
  r.method = mm::method::decaying_average(0.7);
  r.min_evidence = 3;
  r.require_kinds = {"summative"};
  r.ignore_kinds = {"self"};
  r.window_last = 5;
  r.window_days = 90;
  r.expires_after_days = 365;
  r.exempt_on_pretest = 3.5;
  r.exempt_confirm_kinds = {"discussion"};
  r.pretest_counts = true;
  r.monotonic = true;
  mm::policy p(mm::scale::four_point(), r, "everything");
  mm::rule m;
  m.method = mm::method::n_mastery(2);
  p.override_domain("NF", m);
  p.override_competency("3.NF.A.1", mm::rule{});
  mm::rollup nested = mm::rollup::any_of({"C", "D"});
  mm::rollup all = mm::rollup::all_of({"A"});
  all.add(nested);
  p.set_rollup("P", all);
  p.set_rollup("Q", mm::rollup::k_of_n(2, {"A", "B", "C"}));
  p.set_rollup("R", mm::rollup::points(3, {{"A", 2}, {"B", 1.5}}, {"A"}));
  p.set_rollup("S", mm::rollup::weighted_mean({{"A", 2}, {"B", 1}}));
  p.set_default_rollup(mm::rollup::all_of());
  p.set_precedence(mm::rollup_precedence::either);
  out.push_back(p);
  return out;
}

void policy_seeds() {
  const std::string t = "policy_json";
  const auto ps = policies();
  for (std::size_t i = 0; i < ps.size(); ++i)
    seed(t, "policy" + std::to_string(i) + ".json", ps[i].to_json(i % 2 ? 0 : 2));
  for (const char* f : {"policy_four_point.json", "fractions/policy.json"})
    if (have(example_dir / f)) seed(t, fs::path(f).filename().string(), read(example_dir / f));
}

// --- evidence and response tables --------------------------------------------------------------

// The first `students` students of a DKT file (3 lines each: count, skills, answers) as long
// rows (learner, skill, answer).
struct response {
  std::string learner, skill;
  int correct;
};
std::vector<response> dkt_rows(const std::string& text, std::size_t students) {
  std::istringstream in(text);
  std::vector<response> out;
  std::string count, skills, answers;
  for (std::size_t s = 0; s < students && std::getline(in, count) && std::getline(in, skills) &&
                          std::getline(in, answers);
       ++s) {
    std::istringstream ks(skills), as(answers);
    std::string k, a;
    while (std::getline(ks, k, ',') && std::getline(as, a, ','))
      if (!k.empty() && !a.empty())
        out.push_back({std::to_string(s), k, a.empty() ? 0 : a[0] - '0'});
  }
  return out;
}

void evidence_and_bkt_seeds() {
  const std::string e = "evidence_csv", b = "bkt_csv";
  seed(e, "labels", 4,
       "learner,competency,time,score,kind,weight,source\n"
       "ana,A,2024-09-01,Proficient,summative,2,\"Ms. \"\"R\"\"\"\n"
       "ben,B,2024-09-02T10:30:00+02:00,3.5,pretest,,\n"
       " ana ,A,1.5e9,0,self,0.25,x\n");
  seed(e, "kinds", static_cast<char>(8 | 16),
       "\xEF\xBB\xBFlearner;competency,time,score,kind\r\nana;x,A,3,1,project\r\n\r\n"
       "ana;x,B,2.5,2,discussion\r\n");
  for (const char* f : {"evidence_demo.csv", "fractions/evidence.csv"})
    if (have(example_dir / f))
      seed(e, fs::path(f).stem().string() + ".csv", 0, read(example_dir / f));
  seed(b, "classes", 2,
       "user_id,skill_name,correct,order_id,template_id\n1,add,1,3,t1\n1,add,0,1,t2\n"
       "2,\"sub, long\",true,2.5,t1\n2,add,FALSE,-1,t3\n");
  seed(b, "split", 3, "user_id,skill_name,correct\nu1,a_b,1\nu1,b,0\nu2,a_b_c,1\n");
  seed(b, "reject", 4, "user_id,skill_name,correct\nu1,a~~b,1\nu1,b,0\n");
  seed(b, "tabs", 5, "user_id\tskill_name\tcorrect\torder_id\nu1\ts\t1\t1\r\nu1\ts\t0\t2\r\n");

  const fs::path dkt = shared_dir / "assistments-2009-skill-builder-dkt/builder_test.csv";
  if (!have(dkt)) return;
  const auto rows = dkt_rows(read(dkt), 12);
  // ASSISTments' long layout (user_id, skill_id, correct), and with an order column.
  std::string assist = "user_id,skill_id,correct\n", kt = "user_id,skill_name,correct\n";
  std::string ordered = "user_id,skill_id,order_id,correct\n";
  std::string joined = "user_id,skill_name,correct\n";
  std::string kt_ordered = "user_id,skill_name,order_id,correct\n";
  for (std::size_t i = 0; i < rows.size() && i < 150; ++i) {
    const auto& r = rows[i];
    const std::string c = std::to_string(r.correct);
    assist += r.learner + "," + r.skill + "," + c + "\n";
    kt += r.learner + "," + r.skill + "," + c + "\n";
    ordered += r.learner + "," + r.skill + "," + std::to_string(i) + "," + c + "\n";
    kt_ordered += r.learner + "," + r.skill + "," + std::to_string(i) + "," + c + "\n";
    joined += r.learner + "," + r.skill +
              (i % 5 == 0 ? "_" + rows[(i + 1) % rows.size()].skill : "") + "," + c + "\n";
  }
  seed(b, "assistments", 1, assist);
  seed(b, "assistments_kt", 0, kt);
  seed(b, "assistments_joined", 3, joined);
  seed(e, "assistments_kt", 1, kt_ordered);
  seed(e, "assistments_ordered", 2, ordered);
}

// --- BKT models and tracers ------------------------------------------------------------------

void model_seeds() {
  const std::string t = "bkt_model_json";
  bkt::skill_params a;
  a.skill = "add";
  a.prior = 0.3;
  a.learn = 0.2;
  a.guess = {0.15};
  a.slip = {0.05};
  bkt::skill_params c = a;
  c.skill = "count";
  c.classes = {"easy", "hard"};
  c.guess = {0.3, 0.1};
  c.slip = {0.05, 0.2};
  c.forget = 0.01;
  c.log_likelihood = -12.5;
  c.iterations = 7;
  c.converged = true;
  c.observations = 40;
  c.sequences = 4;
  const bkt::model plain({a}), classes({a, c}, true, true);
  seed(t, "plain.json", plain.to_json(2));
  seed(t, "classes.json", classes.to_json(-1));
  bkt::tracer tr(classes, 0.9);
  tr.update("ana", "add", true);
  tr.update("ana", "count", false, "hard");
  tr.update("ben", "count", true);
  seed(t, "tracer.json", tr.to_json(2));
  const fs::path dkt = shared_dir / "assistments-2009-skill-builder-dkt/builder_test.csv";
  if (!have(dkt)) return;
  bkt::dataset d;
  for (const auto& r : dkt_rows(read(dkt), 40)) d.add(r.learner, r.skill, r.correct != 0);
  bkt::fit_options o;
  o.num_fits = 1;
  o.max_iterations = 20;
  o.threads = 1;
  const bkt::model fitted = bkt::fit(d, o);
  seed(t, "assistments_fit.json", fitted.to_json(-1));
  bkt::tracer ft(fitted);
  for (std::size_t i = 0; i < d.size() && i < 30; ++i)
    (void)ft.update(d.learner_names()[d.learners()[i]], d.skill_names()[d.skills()[i]],
                    d.correct()[i] != 0);
  seed(t, "assistments_tracer.json", ft.to_json(-1));
}

// --- roster snapshots --------------------------------------------------------------------------

// A snapshot as saved (version 6: the tables as held in memory), in the cell-list format of
// versions 4 and 5, and (from version 4) as version 1 without the checksum, which the reader
// still accepts: random mutations of a checksummed file seldom get past the checksum, those of
// the version 1 form reach the parser behind it. (Version 6 checks every table cell as it
// reads it, before the checksum: its mutations reach those checks too.)
void snapshot_seed(const std::string& name, const mm::roster& r) {
  const fs::path tmp = out_dir / ("tmp_" + name);
  r.save(tmp.string());
  seed("roster_snapshot", name, read(tmp));
  r.save(tmp.string(), {}, 5);
  std::string bytes = read(tmp);
  fs::remove(tmp);
  seed("roster_snapshot", name + "_v" + std::to_string(static_cast<int>(bytes[8])), bytes);
  if (bytes.size() > 16 && bytes[8] == 4 && bytes[9] == 0 && bytes[10] == 0 && bytes[11] == 0) {
    bytes[8] = 1;
    bytes.resize(bytes.size() - sizeof(std::uint64_t));
    seed("roster_snapshot", name + "_v1", bytes);
  }
}

void roster_seeds() {
  mm::roster_options one;
  one.threads = 1;
  {
    mm::policy p = policies().front();
    mm::rule r;
    r.method = mm::method::decaying_average();
    p.set_default_rule(r);
    mm::roster empty(small_framework(), p, one);
    snapshot_seed("empty", empty);
    empty.add("ana", "A", 1.0, 3.0);
    empty.add("ana", "B", 2.0, 4.0, "summative", 2.0, "Ms. R");
    empty.add("ben", "C", 3.0, 1.0, "pretest");
    snapshot_seed("small", empty);
    empty.retract({mm::retraction{"Ms. R", "audit"}});
    snapshot_seed("retracted", empty);
    mm::roster_options fixed = one;
    fixed.as_of = 2.5;
    mm::roster at(small_framework(), p, fixed);
    at.add("ana", "D", 1.0, 2.0);
    at.add("cy", "A", 3.0, 2.0);
    snapshot_seed("fixed_as_of", at);
  }
  const fs::path fr = example_dir / "fractions";
  if (have(fr / "framework.json") && have(fr / "policy.json") && have(fr / "evidence.csv")) {
    mm::roster r(mm::framework::from_json(read(fr / "framework.json")),
                 mm::policy::from_json(read(fr / "policy.json")), one);
    mm::evidence_log log;
    std::ifstream in(fr / "evidence.csv");
    log.append_csv_unchecked(in);  // checked by the roster as it ingests
    r.ingest(log);
    snapshot_seed("fractions", r);
  }
}

}  // namespace

void case_seeds() {
  const std::string t = "case";
  const mm::framework small = small_framework();
  seed(t, "generated.json", mm::io::write_case(small));
  mm::io::case_write_options strict;
  strict.strict = true;
  seed(t, "generated_strict.json", mm::io::write_case(small, strict));
  // The real OpenSALT exports (1.0, with their leniencies) that fit the 64 KiB input limit.
  const fs::path dir = shared_dir / "interop/case/packages/opensalt";
  if (!have(dir)) return;
  for (const auto& entry : fs::directory_iterator(dir))
    if (entry.path().extension() == ".json" && fs::file_size(entry.path()) < 64 * 1024)
      seed(t, entry.path().filename().string(), read(entry.path()));
}

// xAPI statements: the specification's examples (as they are, and with options: 1.0.3 rules,
// each wrapped as an array) and generated JSON lines (an offset timestamp, a repeat with its
// keys in another order, a raw score, a void, a cmi5 passed); a few lines of the conformance
// cases (their first byte chooses the options as any input's does).
void xapi_seeds() {
  const std::string t = "xapi";
  const std::string lines =
      R"({"id":"00000000-0000-4000-8000-000000000001","actor":{"mbox":"mailto:ann@example.org"},"verb":{"id":"http://adlnet.gov/expapi/verbs/passed"},"object":{"id":"http://example.org/act/1"},"result":{"score":{"scaled":0.8}},"timestamp":"2024-03-01T09:30:00.123+02:00"})"
      "\n"
      R"({"timestamp":"2024-03-01T09:30:00.123+02:00","result":{"score":{"scaled":8e-1}},"object":{"id":"http://example.org/act/1"},"verb":{"id":"http://adlnet.gov/expapi/verbs/passed"},"actor":{"mbox":"mailto:ann@example.org"},"id":"00000000-0000-4000-8000-000000000001"})"
      "\n"
      R"({"id":"00000000-0000-4000-8000-000000000002","actor":{"account":{"homePage":"http://lms.example.org","name":"u7"}},"verb":{"id":"http://adlnet.gov/expapi/verbs/failed"},"object":{"id":"http://example.org/act/2"},"result":{"score":{"raw":3,"min":0,"max":10},"success":false},"stored":"2024-03-02T00:00:00Z"})"
      "\n"
      R"({"actor":{"mbox_sha1sum":"ebd31e95054c018b10727ccffd2ef2ec3a016ee9"},"verb":{"id":"http://adlnet.gov/expapi/verbs/completed"},"object":{"id":"http://example.org/act/1"},"result":{"completion":true,"success":true},"timestamp":"2024-03-03T23:59:59-05:00"})"
      "\n"
      R"({"id":"00000000-0000-4000-8000-000000000009","actor":{"mbox":"mailto:admin@example.org"},"verb":{"id":"http://adlnet.gov/expapi/verbs/voided"},"object":{"objectType":"StatementRef","id":"00000000-0000-4000-8000-000000000002"},"timestamp":"2024-03-04T00:00:00Z"})"
      "\n";
  seed(t, "generated.jsonl", '\0', lines);
  seed(t, "generated_array.jsonl", '\x40', lines);
  seed(t, "generated_twice_scale.jsonl", static_cast<char>(0x80 | 16), lines);
  seed(
      t, "generated_cmi5.jsonl", static_cast<char>(2 | 8),
      R"({"id":"00000000-0000-4000-8000-000000000005","actor":{"mbox":"mailto:ann@example.org"},"verb":{"id":"http://adlnet.gov/expapi/verbs/passed"},"object":{"id":"http://example.org/act/1"},"result":{"score":{"scaled":0.9},"success":true},"context":{"extensions":{"https://w3id.org/xapi/cmi5/context/extensions/masteryscore":0.7}}})"
      "\n");
  const fs::path examples = shared_dir / "interop/xapi/spec-examples";
  if (have(examples))
    for (const auto& entry : fs::directory_iterator(examples))
      if (entry.path().extension() == ".json") {
        const std::string text = read(entry.path());
        seed(t, entry.path().stem().string() + ".json", '\0', text);
        seed(t, entry.path().stem().string() + "_1.0.3.json", '\x01', text);
      }
  // The conformance cases: one JSON object per line, its "statement" member a statement (valid
  // or not, as labelled): the statements of the first 60 cases as JSON lines.
  const fs::path cases =
      shared_dir / "interop/xapi/adl-lrs-conformance/xapi-2.0.statement-cases.jsonl";
  if (!have(cases)) return;
  std::istringstream in(head(read(cases), 60));
  std::string line, statements;
  while (std::getline(in, line)) {
    const std::string key = "\"statement\":";
    const auto at = line.find(key);
    if (at == std::string::npos || at + key.size() >= line.size()) continue;
    // the balanced value after the key (strings skipped, escapes honoured)
    const std::size_t b = at + key.size();
    std::size_t e = b, depth = 0;
    bool in_string = false;
    for (; e < line.size(); ++e) {
      const char c = line[e];
      if (in_string) {
        if (c == '\\')
          ++e;
        else if (c == '"')
          in_string = false;
      } else if (c == '"') {
        in_string = true;
      } else if (c == '{' || c == '[') {
        ++depth;
      } else if (c == '}' || c == ']') {
        if (--depth == 0) break;
      }
    }
    if (e < line.size()) statements += line.substr(b, e + 1 - b) + "\n";
  }
  seed(t, "conformance_head.jsonl", '\0', statements);
}

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: fuzz_seeds <out> [shared-data-dir] [examples-data-dir]\n";
    return 2;
  }
  out_dir = argv[1];
  shared_dir = argc > 2 ? argv[2] : MASTERYMAP_SHARED_DATA;
  example_dir = argc > 3 ? argv[3] : MASTERYMAP_EXAMPLE_DATA;
  try {
    framework_seeds();
    policy_seeds();
    evidence_and_bkt_seeds();
    model_seeds();
    roster_seeds();
    case_seeds();
    xapi_seeds();
  } catch (const std::exception& e) {
    std::cerr << "fuzz_seeds: " << e.what() << "\n";
    return 1;
  }
  std::cout << "fuzz_seeds: " << written << " seeds in " << out_dir.string() << "\n";
  return 0;
}
