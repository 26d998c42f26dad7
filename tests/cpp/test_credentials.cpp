// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
#include <doctest/doctest.h>

#include <masterymap/engine.hpp>
#include <masterymap/io/credentials.hpp>
#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace {
using namespace masterymap;
using nlohmann::json;

double at(const char* text) { return *parse_time(text); }

// P has children A and B; B requires A; C requires B. ana: A at mastery, B above it.
// ben: B only, so A is inferred (never a credential). cleo: A below mastery.
struct world {
  framework fw;
  policy pol;
  evidence_log log;
  engine eng;
  world(rule r = {})
      : fw(framework_builder("Credentials test")
               .add_competency("P", "Parent", "D")
               .add_competency("A", "Adding", "D")
               .add_competency("B", "Borrowing", "D")
               .add_competency("C", "Carrying", "D")
               .add_child("P", "A")
               .add_child("P", "B")
               .add_prerequisite("B", "A")
               .add_prerequisite("C", "B")
               .build()),
        pol(scale::four_point(), r),
        eng(fw, pol) {
    log.add_unchecked(evidence("ana", "A", at("2024-09-02T10:00:00Z"), 3.0));
    log.add_unchecked(evidence("ana", "B", at("2024-09-05T10:00:00Z"), 4.0));
    log.add_unchecked(evidence("ben", "B", at("2024-09-04T10:00:00Z"), 3.0));
    log.add_unchecked(evidence("cleo", "A", at("2024-09-04T10:00:00Z"), 2.0));
  }
  learner_state state(const char* who) const { return eng.evaluate(log, who); }
};

io::credential_options options() {
  io::credential_options o;
  o.issuer = "https://school.example/issuer";
  o.issuer_name = "Maple Street School";
  return o;
}

std::vector<json> parsed(const std::vector<std::string>& texts) {
  std::vector<json> out;
  for (const auto& t : texts) out.push_back(json::parse(t));
  return out;
}

}  // namespace

TEST_CASE("credentials: one per mastered or exceeded competency, never inferred or in progress") {
  const world w;
  const auto ana = parsed(io::achievement_credentials(w.state("ana"), w.log, options()));
  std::vector<std::string> names;
  for (const auto& vc : ana) names.push_back(vc["credentialSubject"]["achievement"]["humanCode"]);
  CHECK(names == std::vector<std::string>{"A", "B"});
  const auto ben = parsed(io::achievement_credentials(w.state("ben"), w.log, options()));
  REQUIRE(w.state("ben").status("A") == status::inferred);
  REQUIRE(ben.size() == 1);
  CHECK(ben[0]["credentialSubject"]["achievement"]["humanCode"] == "B");
  CHECK(io::achievement_credentials(w.state("cleo"), w.log, options()).empty());
}

TEST_CASE("credentials: the document's fields") {
  const world w;
  const auto vc = parsed(io::achievement_credentials(w.state("ana"), w.log, options()))[1];
  CHECK(vc["@context"] ==
        json::array({"https://www.w3.org/ns/credentials/v2",
                     "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"}));
  CHECK(vc["type"] == json::array({"VerifiableCredential", "OpenBadgeCredential"}));
  CHECK(vc["name"] == "Borrowing");
  CHECK(vc["validFrom"] == "2024-09-05T10:00:00Z");  // the latest evidence on B
  CHECK_FALSE(vc.contains("validUntil"));            // the rule does not expire
  CHECK(vc["issuer"] == json{{"id", "https://school.example/issuer"},
                             {"type", json::array({"Profile"})},
                             {"name", "Maple Street School"}});
  const json& a = vc["credentialSubject"]["achievement"];
  CHECK(a["achievementType"] == "Competency");
  CHECK(a["type"] == json::array({"Achievement"}));
  CHECK_FALSE(a.contains("alignment"));  // not from CASE
  const json& rd = a["resultDescription"][0];
  CHECK(rd["resultType"] == "RubricCriterionLevel");
  std::vector<std::string> labels, points;
  for (const auto& l : rd["rubricCriterionLevel"]) {
    labels.push_back(l["name"]);
    points.push_back(l["points"]);
  }
  CHECK(labels == std::vector<std::string>{"Beginning", "Developing", "Proficient", "Advanced"});
  CHECK(points == std::vector<std::string>{"1", "2", "3", "4"});
  CHECK(rd["requiredLevel"] == rd["rubricCriterionLevel"][2]["id"]);
  const json& result = vc["credentialSubject"]["result"][0];
  CHECK(result["achievedLevel"] == rd["rubricCriterionLevel"][3]["id"]);  // Advanced
  CHECK(result["resultDescription"] == rd["id"]);
  CHECK(result["value"] == "4");
  const json& ident = vc["credentialSubject"]["identifier"][0];
  CHECK(ident["type"] == "IdentityObject");
  CHECK(ident["hashed"] == true);
  CHECK(vc["credentialSubject"].dump().find("\"ana\"") == std::string::npos);
}

TEST_CASE("credentials: the identity hash is sha256$ of identity + salt (hashlib's digests)") {
  const world w;
  auto o = options();
  o.identity = "ana@school.example";
  o.identity_type = "emailAddress";
  o.salt = "pepper";
  const auto vc = parsed(io::achievement_credentials(w.state("ana"), w.log, o))[0];
  const json& ident = vc["credentialSubject"]["identifier"][0];
  CHECK(ident["identityHash"] ==
        "sha256$e4fff28930d34addc5a1244534add3fc0e7cce7b8c9efdeb7334737173506899");
  CHECK(ident["identityType"] == "emailAddress");
  CHECK(vc.dump().find("ana@school.example") == std::string::npos);
  // FIPS 180-2 vectors: "abc" (one block) and the 448-bit two-block message; a 100-byte one.
  // An empty salt means the default salt, so the vectors are split as identity + salt.
  o.identity_type = "identifier";
  o.identity = "ab";
  o.salt = "c";
  CHECK(parsed(io::achievement_credentials(
            w.state("ana"), w.log, o))[0]["credentialSubject"]["identifier"][0]["identityHash"] ==
        "sha256$ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  o.identity = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnop";
  o.salt = "nopq";
  CHECK(parsed(io::achievement_credentials(
            w.state("ana"), w.log, o))[0]["credentialSubject"]["identifier"][0]["identityHash"] ==
        "sha256$248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  o.identity =
      "The quick brown fox jumps over the lazy dog, twice: the quick brown fox jumps over the "
      "lazy dog.";
  o.salt = "salt";
  CHECK(parsed(io::achievement_credentials(
            w.state("ana"), w.log, o))[0]["credentialSubject"]["identifier"][0]["identityHash"] ==
        "sha256$1038d4ce6ed7dd1f06ccac50b0ece6796c55822ebc706c2f9647fab9df003f62");
}

TEST_CASE("credentials: reproducible ids, validUntil from the rule's expiry") {
  rule r;
  r.expires_after_days = 30.0;
  const world w(r);
  const auto first = io::achievement_credentials(w.state("ana"), w.log, options());
  CHECK(first == io::achievement_credentials(w.state("ana"), w.log, options()));
  const auto vc = json::parse(first[0]);
  CHECK(vc["id"].get<std::string>().rfind("urn:uuid:", 0) == 0);
  CHECK(vc["validFrom"] == "2024-09-02T10:00:00Z");
  CHECK(vc["validUntil"] == "2024-10-02T10:00:00Z");
  std::set<std::string> ids;
  for (const auto& t : first) ids.insert(json::parse(t)["id"].get<std::string>());
  CHECK(ids.size() == first.size());
  auto o = options();
  o.valid_from = "2025-01-01T00:00:00Z";
  const auto fixed = json::parse(io::achievement_credentials(w.state("ana"), w.log, o)[0]);
  CHECK(fixed["validFrom"] == "2025-01-01T00:00:00Z");
  CHECK(fixed["validUntil"] == "2025-01-31T00:00:00Z");
  CHECK(fixed["id"] != vc["id"]);
}

TEST_CASE("credentials: bad options are errors naming the option") {
  const world w;
  auto o = options();
  o.issuer = "";
  CHECK_THROWS_WITH_AS(io::achievement_credentials(w.state("ana"), w.log, o),
                       doctest::Contains("issuer: the issuer's id (a URI) is required"),
                       std::invalid_argument);
  o.issuer = "not a uri";
  CHECK_THROWS_WITH_AS(io::clr(w.state("ana"), w.log, o),
                       doctest::Contains("issuer: 'not a uri' is not a URI"),
                       std::invalid_argument);
  o = options();
  o.identity_type = "email";
  CHECK_THROWS_WITH_AS(io::achievement_credentials(w.state("ana"), w.log, o),
                       doctest::Contains("identity_type"), std::invalid_argument);
  o = options();
  CHECK_THROWS_WITH_AS(io::clr(w.state("cleo"), w.log, options()),
                       doctest::Contains("'cleo' has earned no competency"), std::invalid_argument);
  o.valid_from = "2024-09-02";
  CHECK_THROWS_WITH_AS(io::achievement_credentials(w.state("ana"), w.log, o),
                       doctest::Contains("valid_from"), std::invalid_argument);
}

TEST_CASE("clr: bundles the credentials, with isChildOf and precedes among included achievements") {
  const world w;
  auto o = options();
  std::vector<std::string> signed_docs;
  o.sign = [&](const std::string& text) {
    json j = json::parse(text);
    j["proof"] = json::array({json{{"type", "DataIntegrityProof"}}});
    signed_docs.push_back(j["type"][1]);
    return j.dump();
  };
  const json doc = json::parse(io::clr(w.state("ana"), w.log, o));
  CHECK(signed_docs ==
        std::vector<std::string>{"OpenBadgeCredential", "OpenBadgeCredential", "ClrCredential"});
  CHECK(doc["type"] == json::array({"VerifiableCredential", "ClrCredential"}));
  CHECK(doc.contains("proof"));
  const json& s = doc["credentialSubject"];
  REQUIRE(s["verifiableCredential"].size() == 2);
  CHECK(s["verifiableCredential"][0].contains("proof"));
  REQUIRE(s["achievement"].size() == 2);
  const std::string a = s["achievement"][0]["id"], b = s["achievement"][1]["id"];
  // P is not earned (no rollup, no evidence) and C not started: only A precedes B remains.
  REQUIRE(s["association"].size() == 1);
  CHECK(s["association"][0] == json{{"type", "Association"},
                                    {"associationType", "precedes"},
                                    {"sourceId", a},
                                    {"targetId", b}});
}

TEST_CASE("credentials: text that is not UTF-8 is an error naming where it is") {
  framework_builder b("utf8");
  b.add_competency("A", std::string("Add\xff"), "D");
  const framework fw = b.build();
  const policy pol;
  evidence_log log;
  log.add_unchecked(evidence("s", "A", at("2024-09-02T10:00:00Z"), 3.0));
  const learner_state st = engine(fw, pol).evaluate(log, "s");
  REQUIRE(st.status("A") == status::mastered);
  CHECK_THROWS_WITH_AS(io::achievement_credentials(st, log, options()),
                       doctest::Contains("competency 'A': not valid UTF-8"), std::invalid_argument);
  auto o = options();
  o.issuer_name = "Maple\xc3";
  CHECK_THROWS_WITH_AS(io::clr(st, log, o), doctest::Contains("issuer_name: not valid UTF-8"),
                       std::invalid_argument);
}

TEST_CASE("credentials: a deep hierarchy (100,000 levels) needs no deep recursion") {
  framework_builder b("deep");
  const int depth = 100000;
  for (int k = 0; k < depth; ++k) b.add_competency("c" + std::to_string(k));
  for (int k = 1; k < depth; ++k) b.add_child("c" + std::to_string(k - 1), "c" + std::to_string(k));
  const framework fw = b.build();
  evidence_log log;
  log.add_unchecked(
      evidence("s", "c" + std::to_string(depth - 1), at("2024-09-02T10:00:00Z"), 3.0));
  const learner_state st = engine(fw, policy()).evaluate(log, "s");
  const auto docs = io::achievement_credentials(st, log, options());
  REQUIRE(docs.size() == 1);
  CHECK(json::parse(docs[0])["validFrom"] == "2024-09-02T10:00:00Z");
}
