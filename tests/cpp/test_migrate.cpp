// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
#include <doctest/doctest.h>

#include <masterymap/io/case.hpp>
#include <masterymap/migrate.hpp>
#include <masterymap/policy.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "fixtures.hpp"

using namespace masterymap;

namespace {

framework edition(const std::string& name) {
  return io::read_case(fixtures::example_data("../../tests/data/case/" + name));
}

std::vector<std::string> ids(std::initializer_list<const char*> l) { return {l.begin(), l.end()}; }

// A CASE 1.1 package written here: items (key, code), the key standing for the CASE identifier
// (the same key is the same item in every edition); links (old key, new key) held by it.
std::string node(const std::string& key) {
  return R"({"title":")" + key + R"(","identifier":"id-)" + key +
         R"(","uri":"https://example.org/uri/id-)" + key + R"("})";
}
framework package(const std::string& title,
                  const std::vector<std::pair<std::string, std::string>>& items,
                  const std::vector<std::pair<std::string, std::string>>& links = {}) {
  const std::string ts = R"("lastChangeDateTime":"2024-01-01T00:00:00+00:00")";
  std::string j = R"({"CFDocument":{"identifier":"doc-)" + title +
                  R"(","uri":"https://example.org/uri/doc-)" + title + R"(","title":")" + title +
                  R"(","creator":"test",)" + ts + R"(,"CFPackageURI":)" + node("doc-" + title) +
                  R"(},"CFItems":[)";
  for (std::size_t i = 0; i < items.size(); ++i)
    j += std::string(i ? "," : "") + R"({"identifier":"id-)" + items[i].first +
         R"(","uri":"https://example.org/uri/id-)" + items[i].first +
         R"(","fullStatement":"s","humanCodingScheme":")" + items[i].second + R"(",)" + ts +
         R"(,"CFDocumentURI":)" + node("doc-" + title) + "}";
  j += R"(],"CFAssociations":[)";
  for (std::size_t i = 0; i < links.size(); ++i)
    j += std::string(i ? "," : "") + R"({"identifier":"as-)" + title + std::to_string(i) +
         R"(","uri":"https://example.org/uri/as-)" + title + std::to_string(i) +
         R"(","associationType":"replacedBy","originNodeURI":)" + node(links[i].first) +
         R"(,"destinationNodeURI":)" + node(links[i].second) + "," + ts + R"(,"CFDocumentURI":)" +
         node("doc-" + title) + "}";
  j += "]}";
  return io::parse_case(j);
}

}  // namespace

TEST_CASE("migrate: revisions 2019 to 2021 (one-to-one, split, merge, no successor)") {
  const framework a = edition("edition_2019.json");
  const framework b = edition("edition_2021.json");
  const revision_map m = revisions(a, b);
  CHECK(m.at("FR").kind == revision_kind::same);
  CHECK(m.at("FR.1").new_ids == ids({"FR.1"}));
  CHECK(m.at("FR.1").kind == revision_kind::one_to_one);
  CHECK(m.at("FR.2").new_ids == ids({"FR.2a", "FR.2b"}));
  CHECK(m.at("FR.2").kind == revision_kind::split);
  CHECK(m.at("FR.3").new_ids == ids({"FR.3"}));
  CHECK(m.at("FR.3").kind == revision_kind::merge);
  CHECK(m.at("FR.4").new_ids == ids({"FR.3"}));
  CHECK(m.at("FR.4").kind == revision_kind::merge);
  CHECK(m.at("FR.5").new_ids.empty());
  CHECK(m.at("FR.5").kind == revision_kind::none);
  CHECK(m.no_successor() == ids({"FR.5"}));
  CHECK(m.new_items() == ids({"FR.6"}));
  CHECK_THROWS_AS((void)m.at("FR.9"), unknown_id_error);
}

TEST_CASE("migrate: revisions 2019 to 2024 through 2021 (chain, split then merge)") {
  const framework a = edition("edition_2019.json");
  const framework b = edition("edition_2021.json");
  const framework c = edition("edition_2024.json");
  const revision_map m = revisions(a, c, {&b});
  CHECK(m.editions().size() == 3);
  CHECK(m.at("FR.1").new_ids == ids({"FR.1"}));
  CHECK(m.at("FR.1").kind == revision_kind::chain);
  CHECK(m.at("FR.2").new_ids == ids({"FR.2a", "FR.4"}));
  CHECK(m.at("FR.2").kind == revision_kind::split);
  CHECK(m.at("FR.2").steps ==
        std::vector<revision_kind>{revision_kind::split, revision_kind::merge});
  CHECK(m.at("FR.3").new_ids == ids({"FR.3"}));
  CHECK(m.at("FR.4").new_ids == ids({"FR.3"}));  // the 2024 FR.4 is another item
  CHECK(m.at("FR.4").kind == revision_kind::merge);
  CHECK(m.no_successor() == ids({"FR.5"}));
}

TEST_CASE("migrate: a replacedBy cycle is rejected and named") {
  const framework cy = edition("replaced_by_cycle.json");
  try {
    (void)revisions(cy, cy);
    FAIL("no cycle_error");
  } catch (const cycle_error& e) {
    REQUIRE(e.problems().size() == 1);
    CHECK(e.cycle().size() == 4);
    CHECK(e.cycle().front() == e.cycle().back());
    CHECK(std::string(e.what()).find("replacedBy cycle") != std::string::npos);
  }
}

TEST_CASE("migrate: evidence re-keyed by the revision map") {
  const framework a = edition("edition_2019.json");
  const framework b = edition("edition_2021.json");
  const revision_map m = revisions(a, b);
  evidence_log log;
  log.add_unchecked({"ann", "FR.1", 1.0, 3.0, "summative", 1.0, "ms k"});
  log.add_unchecked({"ann", "FR.2", 2.0, 2.0});
  log.add_unchecked({"ann", "FR.3", 3.0, 4.0});
  log.add_unchecked({"ann", "FR.4", 4.0, 1.0});
  log.add_unchecked({"ann", "FR.5", 5.0, 2.0});
  log.add_unchecked({"ann", "FR", 6.0, 2.0});
  const evidence_log before = log;
  const migration r = migrate(log, a, b, m);
  CHECK(log == before);
  REQUIRE(r.log.size() == 6);  // FR.2 copied twice, FR.5 dropped
  CHECK(r.log.at(0).competency == "FR.1");
  CHECK(r.log.at(0).source == "ms k; migrated from FR.1 (" + a.name() + ")");
  CHECK(r.log.at(1).competency == "FR.2a");
  CHECK(r.log.at(2).competency == "FR.2b");
  CHECK(r.log.at(2).source == "migration from FR.2 (" + a.name() + ")");
  CHECK(r.log.at(3).competency == "FR.3");
  CHECK(r.log.at(4).competency == "FR.3");
  CHECK(r.log.at(5).competency == "FR");
  CHECK(r.log.at(5).source.empty());
  REQUIRE(r.decisions.size() == 6);
  CHECK(r.decisions[1].action == "split");
  CHECK(r.decisions[1].written == 2);
  CHECK(r.decisions[2].action == "merged");
  CHECK(r.decisions[4].action == "dropped");
  CHECK(r.decisions[5].action == "same");

  const migration first = migrate(log, a, b, m, split_rule::first);
  CHECK(first.log.size() == 5);
  const migration none = migrate(log, a, b, m, split_rule::drop);
  CHECK(none.log.size() == 4);
  CHECK(none.decisions[1].action == "dropped");
}

TEST_CASE("migrate: unknown old ids are reported at once and the log is unchanged") {
  const framework a = edition("edition_2019.json");
  const framework b = edition("edition_2021.json");
  const revision_map m = revisions(a, b);
  evidence_log log;
  log.add_unchecked({"ann", "FR.1", 1.0, 3.0});
  log.add_unchecked({"ann", "NOPE", 2.0, 2.0});
  log.add_unchecked({"ann", "FR.6", 2.0, 2.0});
  const evidence_log before = log;
  try {
    (void)migrate(log, a, b, m);
    FAIL("no validation_error");
  } catch (const validation_error& e) {
    REQUIRE(e.problems().size() == 2);
    CHECK(e.problems()[0].ids == ids({"NOPE"}));
    CHECK(e.problems()[1].ids == ids({"FR.6"}));
  }
  CHECK(log == before);
  // A map of other editions: its successors are not in the given new edition.
  const framework c = edition("edition_2024.json");
  evidence_log ok;
  ok.add_unchecked({"ann", "FR.2", 1.0, 3.0});
  CHECK_THROWS_AS((void)migrate(ok, a, c, m), validation_error);
}

TEST_CASE("migrate: a roster is rebuilt on the new edition from its migrated evidence") {
  const framework a = edition("edition_2019.json");
  const framework b = edition("edition_2021.json");
  const revision_map m = revisions(a, b);
  policy p;
  roster r(a, p, roster_options{1, std::nullopt, nullptr});
  evidence_log log;
  log.add_unchecked({"ann", "FR.2", 1.0, 3.0});
  log.add_unchecked({"bob", "FR.4", 2.0, 2.0});
  (void)r.ingest(log);
  const roster_migration out = migrate(r, a, b, m);
  CHECK(&out.roster.framework() != &r.framework());
  CHECK(out.roster.framework() == b);
  CHECK(out.roster.log().size() == 3);
  CHECK(r.log() == log);
  REQUIRE(out.decisions.size() == 2);
  CHECK(out.decisions[0].action == "split");
  CHECK(out.decisions[1].action == "merged");
}

TEST_CASE("migrate: a revision map rebuilt from its parts is equal") {
  const framework a = edition("edition_2019.json");
  const framework c = edition("edition_2024.json");
  const framework b = edition("edition_2021.json");
  const revision_map m = revisions(a, c, {&b});
  const revision_map copy(m.entries(), m.new_items(), m.editions());
  CHECK(copy == m);
  CHECK(copy.at("FR.2").new_ids == m.at("FR.2").new_ids);
  CHECK(parse_revision_kind("chain") == revision_kind::chain);
  CHECK_THROWS_AS((void)parse_revision_kind("chained"), std::invalid_argument);
  std::vector<revision> twice{m.entries()[0], m.entries()[0]};
  CHECK_THROWS_AS(revision_map(twice, {}, {}), std::invalid_argument);
}

TEST_CASE("migrate: a chain held by the newest package is followed through hops in no edition") {
  const framework e1 = package("E1", {{"a", "A"}, {"b", "B"}});
  const framework e2 = package("E2", {{"x", "X"}, {"b", "B"}}, {{"a", "x"}});
  const framework e3 = package("E3", {{"y", "Y"}, {"b", "B"}}, {{"a", "x"}, {"x", "y"}});
  std::vector<std::string> notes;
  const revision_map direct = revisions(e1, e3, {}, &notes);
  CHECK(direct.successors("A") == ids({"Y"}));
  CHECK(direct.kind("A") == revision_kind::one_to_one);
  CHECK(notes.empty());
  const revision_map through = revisions(e1, e3, {&e2}, &notes);
  CHECK(through.successors("A") == ids({"Y"}));
  CHECK(through.kind("A") == revision_kind::chain);
  CHECK(notes.empty());
  CHECK(through.old_ids() == ids({"A", "B"}));
}

TEST_CASE("migrate: a revert over two editions is no cycle, a cycle in one package is") {
  const framework e1 = package("E1", {{"a", "A"}});
  const framework e2 = package("E2", {{"x", "X"}}, {{"a", "x"}});
  const framework e3 = package("E3", {{"a", "A"}}, {{"x", "a"}});
  const revision_map m = revisions(e1, e3, {&e2});
  CHECK(m.successors("A") == ids({"A"}));
  const framework bad = package("E2 bad", {{"x", "X"}}, {{"a", "x"}, {"x", "a"}});
  try {
    (void)revisions(e1, bad);
    FAIL("no cycle_error");
  } catch (const cycle_error& e) {
    REQUIRE(e.problems().size() == 1);
    CHECK(e.cycle().size() == 3);
    CHECK(std::string(e.what()).find("(links of 'E2 bad')") != std::string::npos);
  }
}

TEST_CASE("migrate: notes on links not used and the hint for swapped editions") {
  const framework e1 = package("E1", {{"a", "A"}, {"b", "B"}});
  const framework e2 = package("E2", {{"a2", "A2"}, {"b", "B"}}, {{"a", "a2"}});
  std::vector<std::string> notes;
  (void)revisions(e2, e1, {}, &notes);
  REQUIRE(notes.size() == 2);
  CHECK(notes[0].rfind("hint: the old edition 'E2'", 0) == 0);
  notes.clear();
  const framework rev = package("E2r", {{"a2", "A2"}, {"b", "B"}}, {{"a2", "a"}});
  (void)revisions(e1, rev, {}, &notes);
  REQUIRE(notes.size() == 1);
  CHECK(notes[0].find("looks reversed") != std::string::npos);
}

TEST_CASE("migrate: a split on the way is a split, renamed, emptied learners, new items") {
  const framework e1 = package("E1", {{"b", "B"}, {"f", "F"}, {"g", "G"}});
  const framework e2 = package("E2", {{"b1", "B.1"}, {"b2", "B.2"}, {"f", "F2"}, {"g", "G"}},
                               {{"b", "b1"}, {"b", "b2"}});
  const framework e3 = package("E3", {{"b1", "B.1"}, {"f", "F2"}, {"n", "N"}, {"g", "G"}});
  const revision_map m = revisions(e1, e3, {&e2});
  CHECK(m.successors("B") == ids({"B.1"}));
  CHECK(m.kind("B") == revision_kind::split);
  CHECK(m.steps("B") == std::vector<revision_kind>{revision_kind::split, revision_kind::same});
  CHECK(m.kind("F") == revision_kind::same);
  CHECK(m.new_items() == ids({"N"}));
  evidence_log log;
  log.add_unchecked({"ann", "B", 1.0, 3.0});
  log.add_unchecked({"bob", "B", 1.0, 3.0});
  log.add_unchecked({"ann", "F", 2.0, 2.0});
  log.add_unchecked({"ann", "G", 3.0, 2.0});
  const migration r = migrate(log, e1, e3, m, split_rule::drop);
  REQUIRE(r.decisions.size() == 3);
  CHECK(r.decisions[0].action == "dropped");
  CHECK(r.decisions[1].action == "renamed");
  CHECK(r.decisions[2].action == "same");
  CHECK(r.emptied_learners == ids({"bob"}));
  REQUIRE(r.log.size() == 2);
  CHECK(r.log.at(0).source == "migration from F (E1)");
  CHECK(r.log.at(1).source.empty());
  // A deprecated item kept beside its successor goes to it and is not new.
  const framework k =
      package("E2k", {{"b", "B"}, {"b1", "B.1"}, {"f", "F"}, {"g", "G"}}, {{"b", "b1"}});
  const revision_map mk = revisions(e1, k);
  CHECK(mk.successors("B") == ids({"B.1"}));
  CHECK(mk.new_items().empty());
}

TEST_CASE("migrate: placements are re-keyed by domain, never into another domain") {
  framework_builder ob("2019");
  ob.add_competency("N.1", "", "N", 1).add_competency("N.2", "", "N", 2);
  ob.add_competency("G.1", "", "G", 1);
  const framework old_ed = ob.build();
  framework_builder nb("2024");
  nb.add_competency("S.1", "", "S", 1).add_competency("N.1a", "", "N", 1);
  nb.add_competency("N.2", "", "N", 2);
  nb.add_association(association{"replacedBy", "N.1", "S.1", {}});
  nb.add_association(association{"replacedBy", "N.1", "N.1a", {}});
  const framework new_ed = nb.build();
  const revision_map m = revisions(old_ed, new_ed);
  CHECK(m.kind("N.1") == revision_kind::split);
  evidence_log log;
  log.add_unchecked({"mia", "N.1", 1.0, 2.0, "placement"});
  log.add_unchecked({"mia", "G.1", 1.0, 2.0, "placement"});
  log.add_unchecked({"mia", "N.1", 2.0, 3.0});
  const migration r = migrate(log, old_ed, new_ed, m);
  REQUIRE(r.log.size() == 3);
  CHECK(r.log.at(0).competency == "N.1a");
  CHECK(r.log.at(0).kind == "placement");
  CHECK(r.log.at(1).competency == "S.1");
  CHECK(r.log.at(2).competency == "N.1a");
  REQUIRE(r.decisions.size() == 3);
  CHECK(r.decisions[0].action == "placed");
  CHECK(r.decisions[0].domain == "N");
  CHECK(r.decisions[1].action == "dropped");
  CHECK(r.decisions[1].domain == "G");
  CHECK(r.decisions[2].action == "split");
}

TEST_CASE("migrate: a map of other or swapped editions is named in the error") {
  const framework e1 = package("E1", {{"a", "A"}, {"c", "C"}});
  const framework draft = package("E1 draft", {{"a", "A"}});
  const framework e2 = package("E2", {{"a", "A"}, {"c", "C"}});
  evidence_log log;
  log.add_unchecked({"ann", "C", 1.0, 3.0});
  try {
    (void)migrate(log, e1, e2, revisions(draft, e2));
    FAIL("no validation_error");
  } catch (const validation_error& e) {
    const std::string w = e.what();
    CHECK(w.find("(1 row)") != std::string::npos);
    CHECK(w.find("the revision map is from 'E1 draft' to 'E2'") != std::string::npos);
  }
  CHECK_THROWS_WITH_AS((void)migrate(log, e1, e2, revisions(e2, e1)), doctest::Contains("swapped"),
                       validation_error);
}
