// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <masterymap/policy.hpp>

using namespace masterymap;

namespace {
bool has(const std::vector<std::string>& ps, const std::string& s) {
  return std::any_of(ps.begin(), ps.end(),
                     [&](const std::string& p) { return p.find(s) != std::string::npos; });
}

// The problems policy::from_json reports for `text`; fails the test when it does not throw.
std::vector<std::string> problems_of(const char* text) {
  try {
    (void)policy::from_json(text);
  } catch (const policy_error& e) {
    return e.problems();
  }
  FAIL("expected policy_error");
  return {};
}

policy full_policy() {
  rule def;
  def.method = method::decaying_average(0.65);
  def.min_evidence = 2;
  def.require_kinds = {"discussion"};
  def.ignore_kinds = {"self"};
  def.window_last = 5;
  def.expires_after_days = 365;
  def.exempt_on_pretest = 3.0;
  def.exempt_confirm_kinds = {"discussion"};
  def.monotonic = true;
  policy p(scale::four_point(), def, "Lincoln High");
  rule nm;
  nm.method = method::n_mastery(3);
  nm.window_days = 90;
  p.override_domain("NF", nm);
  rule pl;
  pl.method = method::power_law();
  pl.pretest_counts = true;
  p.override_competency("3.NF.A.1", pl);
  p.set_rollup("3.NF", rollup::k_of_n(2, {"3.NF.A.1", "3.NF.A.2", "3.NF.A.3"}));
  p.set_rollup("3.OA", rollup::points(3, {{"A", 2}, {"B", 1}, {"C", 1}}, {"A"}));
  auto nested = rollup::any_of();
  nested.add(rollup::all_of({"A7", "A9"})).add(rollup::all_of({"A7", "A10"}));
  p.set_rollup("POETRY", nested);
  p.set_rollup("3.MD", rollup::weighted_mean({{"X", 2}, {"Y", 1}}));
  p.set_default_rollup(rollup::all_of());
  p.set_precedence(rollup_precedence::either);
  return p;
}
}  // namespace

TEST_SUITE("policy") {
  TEST_CASE("method names and parameters") {
    CHECK(to_string(method::decaying_average(0.65)) == "decaying_average(w=0.65)");
    CHECK(to_string(method::n_mastery(5)) == "n_mastery(n=5)");
    CHECK(to_string(method::bkt(0.95)) == "bkt(threshold=0.95)");
    CHECK(to_string(method::latest()) == "latest");
    CHECK(parse_method_kind("power_law") == method::kind::power_law);
    CHECK_THROWS_AS((void)parse_method_kind("median"), std::invalid_argument);
    CHECK(method::weighted_average().w() == 0.65);
    CHECK(method::n_mastery().n() == 5);
  }

  TEST_CASE("overrides: the most specific wins") {
    policy p = full_policy();
    CHECK(p.rule_for("3.NF.A.1", "NF").method.type() == method::kind::power_law);
    CHECK(std::string(p.rule_scope("3.NF.A.1", "NF")) == "competency");
    CHECK(p.rule_for("3.NF.A.2", "NF").method.type() == method::kind::n_mastery);
    CHECK(std::string(p.rule_scope("3.NF.A.2", "NF")) == "domain");
    CHECK(p.rule_for("3.OA.A.1", "OA").method.type() == method::kind::decaying_average);
    CHECK(std::string(p.rule_scope("3.OA.A.1", "OA")) == "default");
    CHECK(p.kinds() == std::vector<std::string>{"discussion", "self"});
  }

  TEST_CASE("rollup structure: nested groups come after their holder") {
    auto r = rollup::any_of();
    r.add(rollup::all_of({"A7", "A9"})).add(rollup::all_of({"A7", "A10"}));
    REQUIRE(r.groups().size() == 3);
    CHECK(r.top().items[0].nested == 1);
    CHECK(r.top().items[1].nested == 2);
    CHECK(to_string(r) == "any_of(all_of(A7, A9), all_of(A7, A10))");
    CHECK(to_string(rollup::k_of_n(2)) == "k_of_n(k=2, children)");
    CHECK(to_string(rollup::points(3, {{"A", 2}, {"B", 1}}, {"A"})) == "points(min=3, A:2!, B:1)");
    // Nesting a nested rollup keeps indices consistent.
    auto outer = rollup::all_of({"Z"});
    outer.add(r);
    REQUIRE(outer.groups().size() == 4);
    CHECK(outer.groups()[1].items[0].nested == 2);
    CHECK(outer.groups()[1].items[1].nested == 3);
  }

  TEST_CASE("JSON round trip is exact") {
    const policy p = full_policy();
    CHECK(p.problems().empty());
    const std::string j = p.to_json();
    const policy q = policy::from_json(j);
    CHECK(q == p);
    CHECK(q.to_json() == j);
    const policy d;
    CHECK(policy::from_json(d.to_json()) == d);
    const policy pc(scale::percent(80));
    CHECK(policy::from_json(pc.to_json()) == pc);
  }

  TEST_CASE("validation reports every problem at once with field paths") {
    // The values that methods, rules and rollups refuse when they are built (test_values.cpp),
    // read from JSON unchecked: every problem is reported in one pass.
    const char* text = R"({
      "format": "masterymap.policy", "version": 1,
      "scale": {"ratings": [["Beginning", 1], ["Developing", 2], ["Proficient", 3], ["Advanced", 4]],
                "mastery": "Proficient", "exceeds": "Advanced"},
      "rule": {"method": {"name": "decaying_average", "w": 1.5}, "window_last": 0,
               "exempt_on_pretest": 9, "require_kinds": ["discussion", "discussion"]},
      "overrides": {
        "competencies": {"X": {"method": {"name": "n_mastery", "n": 0}}},
        "domains": {"NF": {"method": {"name": "weighted_average", "w": 0}, "window_days": -3}}},
      "rollups": {
        "P": {"groups": [{"op": "k_of_n", "k": 4, "items": ["A", "B", "C"]}]},
        "Q": {"groups": [{"op": "points", "min_points": 10,
                          "items": [{"id": "A", "points": 2}, {"id": "B", "points": 1}]}]}}
    })";
    const auto ps = problems_of(text);
    CHECK(has(ps, "rule.method.w: 1.5 is outside (0, 1)"));
    CHECK(has(ps, "rule.window_last: must be at least 1"));
    CHECK(has(ps, "rule.exempt_on_pretest: 9 is off the scale [0, 4]"));
    CHECK(has(ps, "rule.require_kinds[1]: duplicate kind 'discussion'"));
    CHECK(has(ps, "overrides.competencies['X'].method.n: must be at least 1"));
    CHECK(has(ps, "overrides.domains['NF'].method.w: 0 is outside (0, 1)"));
    CHECK(has(ps, "overrides.domains['NF'].window_days"));
    CHECK(has(ps, "rollups['P'].groups[0].k: k=4 > n=3 items"));
    CHECK(has(ps, "rollups['Q'].groups[0].min_points: 10 exceeds the 3 points available"));
    CHECK(ps.size() == 10);
  }

  TEST_CASE("from_json: malformed JSON is a parse_error with line and column") {
    try {
      (void)policy::from_json("{\n  \"format\": \"masterymap.policy\",\n  \"rule\": {,}\n}");
      FAIL("expected parse_error");
    } catch (const parse_error& e) {
      CHECK(e.line() == 3);
      CHECK(e.column() == 12);  // the stray comma
    }
  }

  TEST_CASE("from_json: mistyped and unknown fields are all reported with paths") {
    const char* text = R"({
      "format": "masterymap.policy", "version": 1,
      "scale": {"ratings": [["Not Yet", 0], ["Mastery", 0.8]], "mastery": "Mastery", "continuous": true},
      "rule": {"method": {"name": "median"}, "min_evidence": "two", "colour": "red"},
      "overrides": {"competencies": {"U1": {"method": "decaying_average", "window_last": -1}}},
      "rollups": {"C": {"groups": [{"op": "most_of", "items": ["U1"]}]}},
      "rollup_precedence": "sometimes"
    })";
    const auto ps = problems_of(text);
    CHECK(has(ps, "rule.method.name: unknown method 'median'"));
    CHECK(has(ps, "rule.min_evidence: expected a count from 0 to 4294967295"));
    CHECK(has(ps, "rule.colour: unknown field"));
    // a negative count: the setters' message (README), never narrowed
    CHECK(has(ps,
              "overrides.competencies['U1'].window_last: -1 is not a count from 0 to "
              "4294967295"));
    CHECK(has(ps, "rollups['C'].groups[0].op: unknown rollup operator 'most_of'"));
    CHECK(has(ps,
              "rollup_precedence: unknown value 'sometimes' (expected 'rollup', 'evidence', "
              "'either' or 'both')"));
  }

  TEST_CASE("from_json_reporting: every problem, and the policy as far as it was read") {
    // Issue 14: the command line's validate checks a policy with read problems against the
    // framework too; a count past 32 bits is named, never narrowed.
    const std::string text = R"({"format": "masterymap.policy", "version": 1,
      "scale": {"ratings": [["No", 0], ["Yes", 1]], "mastery": "Yes"},
      "rule": {"min_evidence": 8589934592, "method": {"name": "decaying_average", "w": 7}},
      "overrides": {"competencies": {"GHOST": {"window_last": 2}}}})";
    std::vector<std::string> problems;
    const policy p = policy::from_json_reporting(text, problems);
    CHECK(problems == std::vector<std::string>{
                          "rule.min_evidence: 8589934592 is not a count from 0 to 4294967295",
                          "rule.method.w: 7 is outside (0, 1)"});
    CHECK(p.default_rule().min_evidence == 1);  // not read: the default, not 8589934592 % 2^32
    CHECK(p.competency_rules().count("GHOST") == 1);
    CHECK_THROWS_AS((void)policy::from_json(text), policy_error);
    std::vector<std::string> none;
    (void)policy::from_json_reporting(policy().to_json(), none);
    CHECK(none.empty());
  }

  TEST_CASE("the bundled school policy file reads and validates") {
    const std::string path = std::string(MASTERYMAP_EXAMPLE_DATA) + "/policy_four_point.json";
    std::ifstream in(path);
    REQUIRE(in.good());
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const policy p = policy::from_json(text);
    CHECK(p.scale().mastery_label() == "Proficient");
    CHECK(p.default_rule().method == method::decaying_average(0.65));
    CHECK(policy::from_json(p.to_json()) == p);
  }

  TEST_CASE("a misspelt built-in kind is a problem, a custom kind is not") {
    using masterymap::policy_error;
    rule r;
    r.require_kinds = {"discusion"};
    CHECK_THROWS_WITH_AS(policy(scale::four_point(), r),
                         doctest::Contains("rule.require_kinds[0]: 'discusion' is a near-miss of "
                                           "the built-in kind 'discussion'"),
                         policy_error);
    policy p;
    rule bad;
    bad.exempt_on_pretest = 3.0;
    bad.exempt_confirm_kinds = {"Observation"};
    CHECK_THROWS_AS(p.override_domain("NF", bad), policy_error);
    CHECK(p.domain_rules().empty());  // unchanged
    rule ok;
    ok.require_kinds = {"portfolio", "discussion"};
    ok.ignore_kinds = {"self", "peer"};
    CHECK_NOTHROW(p.set_default_rule(ok));
    CHECK(p.problems().empty());
  }

  TEST_CASE("a placement kind in a rule's kind lists is a problem naming the field") {
    // A placement never rates: required, mastery would be impossible; ignored or confirming an
    // exemption, it has no effect. Each list, in the rule and in overrides.
    using masterymap::policy_error;
    const std::string why =
        "'placement' evidence never rates a competency: it places the learner in a domain";
    rule req;
    req.require_kinds = {"discussion", "placement"};
    CHECK_THROWS_WITH_AS(policy(scale::four_point(), req),
                         doctest::Contains(("rule.require_kinds[1]: " + why).c_str()),
                         policy_error);
    rule ign;
    ign.ignore_kinds = {"placement"};
    CHECK_THROWS_WITH_AS(policy(scale::four_point(), ign),
                         doctest::Contains(("rule.ignore_kinds[0]: " + why).c_str()), policy_error);
    rule conf;
    conf.exempt_on_pretest = 3.0;
    conf.exempt_confirm_kinds = {"placement"};
    policy p;
    CHECK_THROWS_WITH_AS(p.override_domain("NF", conf),
                         doctest::Contains(("exempt_confirm_kinds[0]: " + why).c_str()),
                         policy_error);
    CHECK(p.domain_rules().empty());  // unchanged
    CHECK_THROWS_WITH_AS(p.override_competency("NF.1", ign),
                         doctest::Contains(("ignore_kinds[0]: " + why).c_str()), policy_error);
    CHECK(p.competency_rules().empty());
  }
}
