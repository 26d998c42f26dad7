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
