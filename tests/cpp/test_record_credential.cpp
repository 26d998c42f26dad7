// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// The record's credential part against the ratings read_record recomputes (tryout19 D9).
#include <doctest/doctest.h>

#include <masterymap/io/case.hpp>
#include <masterymap/io/file.hpp>
#include <masterymap/io/record.hpp>
#include <masterymap/roster.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "../../src/io/record_credential.hpp"
#include "fixtures.hpp"

namespace {
using namespace masterymap;
using nlohmann::json;

framework demo_framework() {
  return io::read_case(fixtures::example_data("fractions/framework.case.json"));
}
policy demo_policy() {
  return policy::from_json(io::read_text_file(fixtures::example_data("fractions/policy.json")));
}

roster demo_roster() {
  roster r(demo_framework(), demo_policy(), roster_options{1, std::nullopt, nullptr});
  evidence_log log;
  log.read_csv(fixtures::example_data("fractions/evidence.csv"), {}, r.engine().checks());
  r.ingest(log);
  return r;
}

std::string leo_record(const roster& r) {
  io::record_options o;
  o.credential.issuer = "https://school.example/issuer";
  return io::export_record(r, "leo", o);
}

// A roster with the other learners (leo is new to it).
roster target() {
  roster t(demo_framework(), demo_policy(), roster_options{1, std::nullopt, nullptr});
  evidence_log log;
  log.read_csv(fixtures::example_data("fractions/evidence.csv"), {}, t.engine().checks());
  std::vector<evidence> others;
  for (std::size_t i = 0; i < log.size(); ++i)
    if (log.at(i).learner != "leo") others.push_back(log.at(i));
  t.ingest(others);
  return t;
}

bool earned(status s) {
  return s == status::mastered || s == status::exceeded || s == status::exempt;
}

std::string joined(const validation_error& e) {
  std::string out;
  for (const auto& p : e.problems()) out += p.message + "\n";
  return out;
}

}  // namespace

TEST_CASE("record credential: the exported credential matches its own recomputed ratings") {
  const roster r = demo_roster();
  const std::string text = leo_record(r);
  const json rec = json::parse(text);
  REQUIRE(rec["credential"].is_object());
  CHECK(io::detail::credential_mismatches(rec["credential"], r.learner("leo")).empty());
  CHECK(io::detail::credential_mismatches(json(nullptr), r.learner("leo")).empty());
  roster t = target();
  const auto out = io::read_record(t, text);
  CHECK(out.differences.empty());
  CHECK(leo_record(t) == text);  // export -> import -> export, byte for byte
}

TEST_CASE("record credential: a forged achievement is refused (strict) or listed") {
  const roster r = demo_roster();
  const learner_state leo = r.learner("leo");
  const framework& fw = r.framework();
  // The oracle: the source roster's own statuses. A competency leo has not earned.
  std::string unearned;
  for (index_t i = 0; i < fw.size() && unearned.empty(); ++i)
    if (!earned(leo.status(i))) unearned = fw.id_of(i);
  REQUIRE(!unearned.empty());
  json rec = json::parse(leo_record(r));
  json& vcs = rec["credential"]["credentialSubject"]["verifiableCredential"];
  const std::size_t n = vcs.size();
  REQUIRE(n >= 1);
  json forged = vcs[0];
  forged["credentialSubject"]["achievement"]["humanCode"] = unearned;
  vcs.push_back(forged);
  const std::string path = "/credential/credentialSubject/verifiableCredential/" +
                           std::to_string(n) + "/credentialSubject/achievement/humanCode";

  roster t = target();
  const std::string before = t.to_bytes();
  try {
    (void)io::read_record(t, rec.dump());
    FAIL("a forged credential was imported");
  } catch (const validation_error& e) {
    const std::string what = joined(e);
    CHECK(what.find(path + ": the credential claims '" + unearned +
                    "', which the record's evidence does not earn (recomputed status " +
                    to_string(leo.status(fw.index_of(unearned))) + ";") != std::string::npos);
    CHECK(e.problems().size() == 1);
  }
  CHECK(t.to_bytes() == before);  // unchanged

  io::record_read_options lax;
  lax.strict = false;
  const auto out = io::read_record(t, rec.dump(), lax);
  REQUIRE(out.differences.size() == 1);
  CHECK(out.differences[0].rfind(path + ": the credential claims", 0) == 0);
  CHECK(t.find("leo"));
}

TEST_CASE("record credential: a missing, doubled or unlisted claim") {
  const roster r = demo_roster();
  const learner_state leo = r.learner("leo");
  const json rec = json::parse(leo_record(r));
  const json& vcs = rec["credential"]["credentialSubject"]["verifiableCredential"];
  REQUIRE(vcs.size() >= 2);
  const std::string first = vcs[0]["credentialSubject"]["achievement"]["humanCode"];
  const std::string base = "/credential/credentialSubject";

  SUBCASE("a dropped credential") {
    json c = rec["credential"];
    c["credentialSubject"]["verifiableCredential"].erase(0);
    c["credentialSubject"]["achievement"].erase(0);
    const auto m = io::detail::credential_mismatches(c, leo);
    REQUIRE(m.size() == 1);
    CHECK(m[0] == base + "/verifiableCredential: no credential for '" + first +
                      "', which the record's evidence earns (recomputed status " +
                      to_string(leo.status(first)) + ")");
  }
  SUBCASE("the same competency twice") {
    json c = rec["credential"];
    c["credentialSubject"]["verifiableCredential"][1] =
        c["credentialSubject"]["verifiableCredential"][0];
    const auto m = io::detail::credential_mismatches(c, leo);
    REQUIRE(m.size() >= 2);
    CHECK(m[0] == base + "/verifiableCredential/1/credentialSubject/achievement/humanCode: '" +
                      first + "' is claimed by verifiableCredential/0 too");
  }
  SUBCASE("an achievement listed that no credential claims, a JWS, no humanCode") {
    json c = rec["credential"];
    c["credentialSubject"]["achievement"].push_back(json{{"humanCode", "NOPE"}});
    c["credentialSubject"]["verifiableCredential"].push_back("eyJ.eyJ.sig");
    json odd = c["credentialSubject"]["verifiableCredential"][0];
    odd["credentialSubject"]["achievement"].erase("humanCode");
    c["credentialSubject"]["verifiableCredential"].push_back(odd);
    const auto m = io::detail::credential_mismatches(c, leo);
    const std::size_t k = vcs.size();
    REQUIRE(m.size() == 3);
    CHECK(m[0].rfind(
              base + "/verifiableCredential/" + std::to_string(k) + ": not a credential object",
              0) == 0);
    CHECK(m[1] == base + "/verifiableCredential/" + std::to_string(k + 1) +
                      "/credentialSubject/achievement/humanCode: missing (the competency id the "
                      "credential claims)");
    CHECK(m[2] == base + "/achievement/" + std::to_string(vcs.size()) +
                      ": 'NOPE' is claimed by none of the bundled credentials");
  }
  SUBCASE("no bundled credentials at all") {
    json c = rec["credential"];
    c["credentialSubject"].erase("verifiableCredential");
    const auto m = io::detail::credential_mismatches(c, leo);
    REQUIRE(m.size() == 1);
    CHECK(m[0].rfind(base + "/verifiableCredential: no array", 0) == 0);
  }
}

TEST_CASE("record credential: the achieved rating of each credential against the recomputed one") {
  const roster r = demo_roster();
  const learner_state leo = r.learner("leo");
  json rec = json::parse(leo_record(r));
  json& vcs = rec["credential"]["credentialSubject"]["verifiableCredential"];
  // a credential whose competency has a rating (the oracle: the source roster's rating), and
  // another level of its own scale (the achievement's resultDescription lists them)
  std::size_t k = vcs.size();
  std::string rated, other_label, other_id;
  for (std::size_t j = 0; j < vcs.size() && k == vcs.size(); ++j) {
    const json& subject = vcs[j]["credentialSubject"];
    const std::string code = subject["achievement"]["humanCode"];
    const auto rating = leo.rating(r.framework().index_of(code));
    if (!rating) continue;
    for (const json& level : subject["achievement"]["resultDescription"][0]["rubricCriterionLevel"])
      if (level["level"] != *rating) {
        k = j;
        rated = *rating;
        other_label = level["level"];
        other_id = level["id"];
        break;
      }
  }
  REQUIRE(k < vcs.size());
  const std::string at = "/credential/credentialSubject/verifiableCredential/" + std::to_string(k) +
                         "/credentialSubject/result";
  json& result = vcs[k]["credentialSubject"]["result"][0];
  REQUIRE(result.contains("achievedLevel"));

  SUBCASE("another level of the scale: refused under strict, listed otherwise") {
    result["achievedLevel"] = other_id;
    const std::string expected = at + "/0/achievedLevel: the credential states the rating '" +
                                 other_label + "', the record's evidence rates '" + rated +
                                 "' (recomputed)";
    CHECK(io::detail::credential_mismatches(rec["credential"], leo) ==
          std::vector<std::string>{expected});
    roster t = target();
    const std::string before = t.to_bytes();
    try {
      (void)io::read_record(t, rec.dump());
      FAIL("a credential stating another rating was imported");
    } catch (const validation_error& e) {
      REQUIRE(e.problems().size() == 1);
      CHECK(e.problems()[0].message.rfind(expected + " (the record's credential does not match",
                                          0) == 0);
    }
    CHECK(t.to_bytes() == before);
    io::record_read_options lax;
    lax.strict = false;
    CHECK(io::read_record(t, rec.dump(), lax).differences == std::vector<std::string>{expected});
  }
  SUBCASE("a level the achievement does not list, or none") {
    result["achievedLevel"] = "urn:uuid:00000000-0000-0000-0000-000000000000";
    CHECK(io::detail::credential_mismatches(rec["credential"], leo) ==
          std::vector<std::string>{
              at + "/0/achievedLevel: 'urn:uuid:00000000-0000-0000-0000-000000000000' is no "
                   "level of the achievement's resultDescription (the rating cannot be compared "
                   "with the record's evidence)"});
    result.erase("achievedLevel");
    CHECK(io::detail::credential_mismatches(rec["credential"], leo) ==
          std::vector<std::string>{at + ": no achievedLevel, the record's evidence rates '" +
                                   rated +
                                   "' (recomputed; a credential states the rating it stands "
                                   "for)"});
  }
}
