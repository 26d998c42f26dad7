// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
#include <doctest/doctest.h>

#include <masterymap/io/case.hpp>
#include <masterymap/io/file.hpp>
#include <masterymap/io/record.hpp>
#include <masterymap/migrate.hpp>
#include <masterymap/roster.hpp>
#include <nlohmann/json.hpp>
#include <optional>
#include <regex>
#include <stdexcept>
#include <string>
#include <vector>

#include "fixtures.hpp"

namespace {
using namespace masterymap;
using nlohmann::json;

double at(const char* text) { return *parse_time(text); }

framework demo_framework() {
  return io::read_case(fixtures::example_data("fractions/framework.case.json"));
}
policy demo_policy() {
  return policy::from_json(io::read_text_file(fixtures::example_data("fractions/policy.json")));
}

roster_options fixed(std::optional<double> as_of) { return roster_options{1, as_of, nullptr}; }

// The demo curriculum with the bundled evidence (leo, noor) and more learners and kinds: a
// placement, a pre-test, the teacher's discussion, self-assessment (ignored), weights, statement
// ids as sources, and ann with evidence after the others (so the roster's as_of is hers).
roster demo_roster(std::optional<double> as_of = std::nullopt) {
  roster r(demo_framework(), demo_policy(), fixed(as_of));
  evidence_log log;
  log.read_csv(fixtures::example_data("fractions/evidence.csv"), {}, r.engine().checks());
  r.ingest(log);
  const std::string stmt = "urn:uuid:6c1d3c1e-0000-4000-8000-00000000000";
  r.ingest(std::vector<evidence>{
      {"maya", "FR3.equiv", at("2026-09-01T09:00:00Z"), 3.0, "formative", 1.0, stmt + "1"},
      {"maya", "FR3.equiv", at("2026-09-03T09:00:00Z"), 3.5, "discussion", 2.0, stmt + "2"},
      {"maya", "FR4.equiv", at("2026-09-04T09:00:00Z"), 4.0, "pretest", 1.0, stmt + "3"},
      {"maya", "FR4.equiv", at("2026-09-05T09:00:00Z"), 2.0, "self", 0.5, stmt + "4"},
      {"maya", "FR3.equiv", at("2026-09-06T09:00:00Z"), 0.85, "formative", 1.0, ""},
      {"ann", "FR4.equiv", at("2026-12-01T09:00:00Z"), 3.0, "summative", 1.0, "Ms. Ito"}});
  r.place("maya", 3, at("2026-09-02T09:00:00Z"), {}, "diagnostic");
  return r;
}

io::record_options with_clr() {
  io::record_options o;
  o.credential.issuer = "https://school.example/issuer";
  o.credential.issuer_name = "Maple Street School";
  return o;
}

// "(row N)" in a text made "(row f(N))".
template <typename F>
std::string map_rows(const std::string& s, F f) {
  static const std::regex re(R"(\(row (\d+))");
  std::string out;
  std::sregex_iterator it(s.begin(), s.end(), re), end;
  std::size_t last = 0;
  for (; it != end; ++it) {
    out += s.substr(last, static_cast<std::size_t>(it->position(0)) - last);
    out += "(row " + std::to_string(f(std::stoul((*it)[1].str())));
    last = static_cast<std::size_t>(it->position(0) + it->length(0));
  }
  return out + s.substr(last);
}

std::vector<std::size_t> rows_of(const evidence_log& log, const std::string& learner) {
  std::vector<std::size_t> rows;
  const auto code = log.learner_code(learner);
  for (std::size_t r = 0; r < log.size(); ++r)
    if (code && log.learner_codes()[r] == *code) rows.push_back(r);
  return rows;
}

}  // namespace

TEST_CASE("record: export -> import -> export is byte-identical, ratings and explanations equal") {
  const roster src = demo_roster();
  for (const std::string who : {"leo", "noor", "maya", "ann"}) {
    CAPTURE(who);
    const std::string text = io::export_record(src, who, with_clr());
    const json doc = json::parse(text);
    CHECK(doc["version"] == 1);
    CHECK(doc["framework"]["case"]["identifier"] == "a08ad78e-1a8e-5cf5-b8ec-00aef9341ce7");
    CHECK(doc["as_of"].get<double>() == src.as_of());
    CHECK(doc["voided"].empty());
    // Another roster (evaluating at the record's time), already holding someone else.
    roster dst(demo_framework(), demo_policy(), fixed(doc["as_of"].get<double>()));
    dst.ingest(std::vector<evidence>{{"zed", "FR3.equiv", at("2026-01-01T00:00:00Z"), 2.0}});
    const io::record_import rep = io::read_record(dst, text);
    CHECK(rep.learner == who);
    CHECK(rep.rows == doc["evidence"].size());
    CHECK_FALSE(rep.migrated);
    CHECK(rep.differences.empty());
    CHECK(io::export_record(dst, who, with_clr()) == text);

    // Oracle: the source roster's own explain, with log rows mapped to the target's.
    const auto a = rows_of(src.log(), who), b = rows_of(dst.log(), who);
    REQUIRE(a.size() == b.size());
    auto to_b = [&](std::size_t r) {
      for (std::size_t k = 0; k < a.size(); ++k)
        if (a[k] == r) return b[k];
      return r;
    };
    const learner_state s1 = src.learner(who), s2 = dst.learner(who);
    CHECK(s1.statuses() == s2.statuses());
    CHECK(s1.ratings() == s2.ratings());
    for (index_t i = 0; i < s1.size(); ++i) {
      CHECK(detail::same_value(s1.scores()[i], s2.scores()[i]));
      explanation e1 = s1.explain(i, src.log());
      const explanation e2 = s2.explain(i, dst.log());
      for (auto& x : e1.evidence) x.row = to_b(x.row);
      for (auto& n : e1.notes) n = map_rows(n, to_b);
      e1.text = map_rows(e1.text, to_b);
      CHECK(e1 == e2);
    }
  }
  // The record's explanation of maya's placement note names the record's row.
  const json maya = json::parse(io::export_record(src, "maya"));
  bool placed = false;
  for (const auto& r : maya["ratings"])
    for (const auto& n : r["explanation"]["notes"])
      if (n.get<std::string>().rfind("placed at level 3", 0) == 0) {
        placed = true;
        // "(row N, on ...)": N is the record's row of the placement.
        std::smatch m;
        const std::string note = n.get<std::string>();
        REQUIRE(std::regex_search(note, m, std::regex(R"(\(row (\d+), on)")));
        CHECK(maya["evidence"][std::stoul(m[1].str())]["kind"] == "placement");
      }
  CHECK(placed);
  CHECK(maya["evidence"][4]["score"].dump() == "0.85");  // the float's shortest decimal
  CHECK(maya["credential"].is_null());                   // no issuer given
}

TEST_CASE("record: the credential part is the learner's CLR") {
  const roster src = demo_roster();
  const json doc = json::parse(io::export_record(src, "leo", with_clr()));
  REQUIRE(doc["credential"].is_object());
  CHECK(doc["credential"]["type"] == json::array({"VerifiableCredential", "ClrCredential"}));
  CHECK(doc["credential"] ==
        json::parse(io::clr(src.learner("leo"), src.log(), with_clr().credential)));
  // Nothing earned: null.
  CHECK(json::parse(io::export_record(src, "ann", with_clr()))["credential"].is_null() ==
        !is_earned(src.learner("ann").status("FR4.equiv")));
}

TEST_CASE("record: a roster whose evaluation time differs still verifies at the record's time") {
  const roster src = demo_roster();
  const std::string text = io::export_record(src, "leo");
  roster dst(demo_framework(), demo_policy(), fixed(std::nullopt));
  const auto rep = io::read_record(dst, text);
  CHECK(rep.differences.empty());  // rated at the record's as_of
  CHECK(dst.as_of() != src.as_of());
  io::record_options o;
  o.as_of = rep.as_of;
  CHECK(io::export_record(dst, "leo", o) == text);
}

TEST_CASE("record: across framework editions through the migration") {
  const framework e2019 =
      io::read_case(fixtures::example_data("../../tests/data/case/edition_2019.json"));
  const framework e2021 =
      io::read_case(fixtures::example_data("../../tests/data/case/edition_2021.json"));
  const framework e2024 =
      io::read_case(fixtures::example_data("../../tests/data/case/edition_2024.json"));
  const policy pol(scale::four_point(), rule{});
  roster old(e2019, pol, fixed(std::nullopt));
  old.ingest(std::vector<evidence>{{"ann", "FR.1", 1.0, 3.0, "summative", 1.0, "ms k"},
                                   {"ann", "FR.2", 2.0, 2.0},
                                   {"ann", "FR.3", 3.0, 4.0},
                                   {"ann", "FR.4", 4.0, 1.0},
                                   {"ann", "FR.5", 5.0, 2.0}});
  const std::string text = io::export_record(old, "ann");

  roster dst(e2024, pol, fixed(std::nullopt));
  const std::string before = dst.to_bytes();
  try {
    (void)io::read_record(dst, text);
    FAIL("no validation_error");
  } catch (const validation_error& e) {
    CHECK(std::string(e.what()).find("/framework") != std::string::npos);
    CHECK(std::string(e.what()).find("edition 2019") != std::string::npos);
  }
  CHECK(dst.to_bytes() == before);
  io::record_read_options o;
  o.old_edition = &e2021;  // not the record's edition either
  CHECK_THROWS_AS((void)io::read_record(dst, text, o), validation_error);
  CHECK(dst.to_bytes() == before);

  o.old_edition = &e2019;
  o.intermediate = {&e2021};
  const io::record_import rep = io::read_record(dst, text, o);
  CHECK(rep.migrated);
  CHECK(rep.differences.empty());
  REQUIRE(rep.decisions.size() == 5);
  CHECK(rep.decisions[1].old_id == "FR.2");
  CHECK(rep.decisions[1].action == "split");
  CHECK(rep.decisions[1].new_ids == std::vector<std::string>{"FR.2a", "FR.4"});
  CHECK(rep.decisions[4].action == "dropped");
  // Oracle: the roster migration of the old roster.
  const roster_migration m = migrate(old, e2019, e2024, revisions(e2019, e2024, {&e2021}));
  CHECK(m.roster.log() == dst.log());
  CHECK(m.roster.learner("ann").statuses() == dst.learner("ann").statuses());
  CHECK(m.roster.learner("ann").ratings() == dst.learner("ann").ratings());
}

TEST_CASE("record: bad input is a specific error naming the path, and the roster is unchanged") {
  const roster src = demo_roster();
  const std::string text = io::export_record(src, "leo");
  roster dst(demo_framework(), demo_policy(), fixed(std::nullopt));
  dst.ingest(std::vector<evidence>{{"zed", "FR3.equiv", 1.0, 2.0}});
  const std::string before = dst.to_bytes();
  auto what_of = [&](const std::string& t, const io::record_read_options& o = {}) -> std::string {
    try {
      (void)io::read_record(dst, t, o);
    } catch (const std::exception& e) {
      return e.what();
    }
    return "no error";
  };
  auto edited = [&](auto f) {
    json d = json::parse(text);
    f(d);
    return d.dump();
  };

  CHECK_THROWS_AS((void)io::read_record(dst, "{\"type\": "), parse_error);
  try {
    (void)io::read_record(dst, "{\n  \"type\": ]");
  } catch (const parse_error& e) {
    CHECK(e.line() == 2);
  }
  CHECK_THROWS_AS((void)io::read_record(dst, "[1, 2]"), parse_error);
  // versions 1 and 2 (timestamp texts) are read; 3 and 0 are not
  CHECK(what_of(edited([](json& d) { d["version"] = 3; })).find("/version") != std::string::npos);
  CHECK_THROWS_AS((void)io::read_record(dst, edited([](json& d) { d["version"] = 3; })),
                  parse_error);
  CHECK(what_of(edited([](json& d) { d["version"] = 0; })).find("/version") != std::string::npos);
  CHECK(what_of(edited([](json& d) { d["type"] = "x"; })).find("/type") != std::string::npos);
  CHECK(what_of(edited([](json& d) {
          d["evidence"][2]["time"] = "soon";
        })).find("/evidence/2/time: expected a number") != std::string::npos);
  CHECK(what_of(edited([](json& d) {
          d["evidence"][1].erase("kind");
        })).find("/evidence/1/kind: missing") != std::string::npos);
  try {
    (void)io::read_record(dst, edited([](json& d) { d["evidence"][3]["competency"] = "FR9.x"; }));
    FAIL("no evidence_error");
  } catch (const evidence_error& e) {
    REQUIRE(e.problems().size() == 1);
    CHECK(e.problems()[0].ids == std::vector<std::string>{"FR9.x"});
    CHECK(e.problems()[0].message.find("/evidence/3/competency") == 0);
    CHECK(e.rows() == std::vector<std::size_t>{3});
  }
  try {
    (void)io::read_record(dst, edited([](json& d) { d["evidence"][0]["score"] = 9; }));
    FAIL("no evidence_error");
  } catch (const evidence_error& e) {
    CHECK(e.problems()[0].message.rfind("/evidence/0: ", 0) == 0);
  }
  CHECK(what_of(edited([](json& d) {
          d["framework"]["sha256"] = "0";
          d["framework"].erase("case");
        })).find("/framework") != std::string::npos);
  CHECK(what_of(edited([](json& d) { d["policy"]["name"] = "Another school"; }))
            .find("/policy: the record's policy differs from the roster's: 'Another school' "
                  "(sha256 ") != std::string::npos);
  CHECK(what_of(edited([](json& d) {
          d["policy"]["name"] = "Another school";
        })).find("record vs roster: /name: \"Another school\" vs ") != std::string::npos);
  CHECK(what_of(edited([](json& d) {
          d["policy"]["rule"]["min_evidence"] = "two";
        })).find("/policy") != std::string::npos);
  CHECK(what_of(edited([](json& d) { d["learner"] = "zed"; })).find("/learner: 'zed' is already") !=
        std::string::npos);
  CHECK(what_of(edited([](json& d) {
          d["voided"] = json::array({{{"source", "urn:x"}}});
        })).find("/voided/0/by: missing") != std::string::npos);
  CHECK(dst.to_bytes() == before);

  // A roster with another policy, when asked for: the ratings that came out otherwise.
  json other = json::parse(demo_policy().to_json());
  other["overrides"]["domains"]["FR"]["method"] = {{"name", "highest"}};
  roster elsewhere(demo_framework(), policy::from_json(other.dump()), fixed(std::nullopt));
  CHECK(what_of(text).find("no error") != std::string::npos);  // dst: same policy
  CHECK_THROWS_AS((void)io::read_record(elsewhere, text), validation_error);
  io::record_read_options o;
  o.allow_other_policy = true;
  const auto rep = io::read_record(elsewhere, text, o);
  // The FR rule changed: every rated FR competency's explanation names another rule.
  std::vector<std::string> fr;
  const json leo = json::parse(text);
  for (const auto& r : leo["ratings"])
    if (r["explanation"]["rule_scope"] == "domain")  // the FR override's
      fr.push_back(r["competency"]);
  CHECK(fr.size() > 2);
  CHECK(rep.differences == fr);
  CHECK_THROWS_AS((void)io::export_record(src, "nobody"), unknown_id_error);
}
