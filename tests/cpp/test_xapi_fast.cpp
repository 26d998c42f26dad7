// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// The xAPI reader's fast path (src/io/xapi_fast.cpp) against its oracle, the DOM walker
// (check_statement): whatever the fast path accepts, the walker accepts, with the same fields,
// field by field; on the ADL conformance corpus, on mutations of statements, on statements shaped
// like the benchmark's and on random edits of them.
#include <doctest/doctest.h>
#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <masterymap/scale.hpp>
#include <random>
#include <string>
#include <vector>

#include "../../src/io/xapi_fast.hpp"
#include "fixtures.hpp"
#include "xapi_fast_oracle.hpp"

namespace io = masterymap::io;
namespace xd = masterymap::io::xapi_detail;

namespace {

using xapi_fast_oracle::verdict;

// Checks that the fast path accepts only what the walker accepts, with its fields; the verdict.
verdict agrees(std::string_view json, io::xapi_version version = io::xapi_version::v2_0) {
  const verdict v = xapi_fast_oracle::both(json, version);
  INFO(json);
  if (v.fast) {
    CHECK(v.walker);
    CHECK(v.difference == "");
  }
  return v;
}

// A statement shaped like benchmarks/make_xapi_statements.py's, from `rng`.
std::string generated(std::mt19937_64& rng, std::size_t n) {
  const auto pick = [&](std::uint64_t k) { return rng() % k; };
  const auto uuid4 = [&] {
    const std::uint64_t hi = rng(), lo = rng();
    std::string h = fmt::format("{:016x}{:016x}", hi, lo);
    h[12] = '4';
    h[16] = "89ab"[lo % 4];
    return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) +
           "-" + h.substr(20);
  };
  static const char* const verbs[] = {"passed",      "failed",    "completed", "answered",
                                      "scored",      "attempted", "mastered",  "launched",
                                      "initialized", "terminated"};
  static const char* const zones[] = {"Z", "+00:00", "+02:00", "-05:00"};
  const std::uint64_t learner = pick(20000), act = pick(500);
  const std::string actor =
      learner % 10 == 0
          ? fmt::format(
                R"({{"objectType":"Agent","name":"Learner {0}","account":{{"homePage":"https://lms.example.org","name":"u{0}"}}}})",
                learner)
          : fmt::format(
                R"({{"objectType":"Agent","name":"Learner {0}","mbox":"mailto:learner{0}@example.org"}})",
                learner);
  const std::size_t v = pick(10);
  std::string s = fmt::format(
      R"({{"id":"{}","actor":{},"verb":{{"id":"http://adlnet.gov/expapi/verbs/{}","display":{{"en-US":"{}"}}}},)"
      R"("object":{{"objectType":"Activity","id":"https://lms.example.org/activities/{:05d}","definition":{{"name":{{"en-US":"Activity {}"}},"type":"http://adlnet.gov/expapi/activities/assessment"}}}},)"
      R"("context":{{"registration":"{}","contextActivities":{{"parent":[{{"id":"https://lms.example.org/course"}}]}}}},)"
      R"("timestamp":"2024-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}.{:03d}{}")",
      uuid4(), actor, verbs[v], verbs[v], act, act, uuid4(), 1 + n % 12, 1 + n % 28, pick(24),
      pick(60), pick(60), pick(1000), zones[pick(4)]);
  if (v < 7) {
    const std::uint64_t raw = pick(101);
    const std::string scaled = raw == 100 ? "1.0"
                               : raw == 0 ? "0.0"
                                          : fmt::format("{}", static_cast<double>(raw) / 100.0);
    s += fmt::format(
        R"(,"result":{{"score":{{"scaled":{},"raw":{},"min":0,"max":100}},"success":{},"completion":true,"duration":"PT{}S"}})",
        scaled, raw, raw >= 70 ? "true" : "false", 1 + pick(3599));
  }
  return s + "}";
}

std::string replaced(std::string s, std::string_view from, std::string_view to) {
  const auto at = s.find(from);
  REQUIRE(at != std::string::npos);
  return s.replace(at, from.size(), to);
}

constexpr const char* base =
    R"({"id":"bbe8f88d-a415-44c8-b9a4-4721de85eb90","actor":{"objectType":"Agent","name":"Learner 8487","mbox":"mailto:learner8487@example.org"},"verb":{"id":"http://adlnet.gov/expapi/verbs/attempted","display":{"en-US":"attempted"}},"object":{"objectType":"Activity","id":"https://lms.example.org/activities/00410","definition":{"name":{"en-US":"Activity 410"},"type":"http://adlnet.gov/expapi/activities/assessment"}},"context":{"registration":"88043e5f-1221-45a2-a155-a41c2ff7c0fc","contextActivities":{"parent":[{"id":"https://lms.example.org/course"}]}},"timestamp":"2024-01-01T05:41:14.682+00:00","result":{"score":{"scaled":0.27,"raw":27,"min":0,"max":100},"success":false,"completion":true,"duration":"PT3051S"}})";

constexpr const char* cmi5 =
    R"({"id":"00000000-0000-4000-8000-000000000001","actor":{"objectType":"Agent","account":{"homePage":"https://lms.example.org","name":"u7"}},"verb":{"id":"http://adlnet.gov/expapi/verbs/passed","display":{"en-US":"passed"}},"object":{"id":"http://example.org/act/1","objectType":"Activity"},"result":{"score":{"scaled":0.8},"success":true,"duration":"PT20M","extensions":{"https://w3id.org/xapi/cmi5/result/extensions/reason":"done","http://example.org/x":{"a":[1,2.5,true,null,"s",{"b":false}]}}},"context":{"registration":"88043e5f-1221-45a2-a155-a41c2ff7c0fc","contextActivities":{"category":[{"id":"https://w3id.org/xapi/cmi5/context/categories/moveon"},{"id":"https://w3id.org/xapi/cmi5/context/categories/cmi5"}],"grouping":[{"id":"http://example.org/course"}]},"extensions":{"https://w3id.org/xapi/cmi5/context/extensions/sessionid":"s-1","https://w3id.org/xapi/cmi5/context/extensions/masteryscore":0.7}},"timestamp":"2024-03-01T09:30:00Z"})";

constexpr const char* group =
    R"({"actor":{"member":[{"mbox":"mailto:a@example.org"},{"objectType":"Agent","openid":"http://openid.example.org/b"}],"name":"team","objectType":"Group"},"verb":{"id":"http://adlnet.gov/expapi/verbs/attended"},"object":{"objectType":"Agent","mbox_sha1sum":"ebd31e95054c018b10727ccffd2ef2ec3a016ee9"},"context":{"instructor":{"mbox":"mailto:t@example.org"},"team":{"objectType":"Group","account":{"homePage":"http://example.org","name":"t1"}},"language":"en-GB","statement":{"id":"00000000-0000-4000-8000-000000000002","objectType":"StatementRef"}},"version":"1.0.3","stored":"2024-03-01T10:00:00+01:00","authority":{"mbox":"mailto:lrs@example.org"}})";

}  // namespace

TEST_CASE(
    "xapi fast path: every ADL conformance case it accepts is valid, with the walker's fields") {
  for (const auto& [file, version] :
       {std::pair{"xapi-1.0.3.statement-cases.jsonl", io::xapi_version::v1_0_3},
        std::pair{"xapi-2.0.statement-cases.jsonl", io::xapi_version::v2_0}}) {
    const std::string path =
        std::string(MASTERYMAP_SHARED_DATA) + "/interop/xapi/adl-lrs-conformance/" + file;
    if (!fixtures::have(path)) return;
    std::ifstream in(path);
    std::string line;
    std::size_t cases = 0, accepted = 0, valid = 0;
    simdjson::dom::parser parser;
    while (std::getline(in, line)) {
      if (line.empty()) continue;
      simdjson::dom::element c;
      REQUIRE(parser.parse(line).get(c) == simdjson::SUCCESS);
      const std::string statement = simdjson::minify(c["statement"]);
      const bool label = c["valid"].get_bool().value();
      const std::string name(c["case"].get_string().value());
      INFO(name);
      ++cases;
      valid += label ? 1 : 0;
      for (const auto v : {io::xapi_version::v1_0_3, io::xapi_version::v2_0}) {
        const verdict r = agrees(statement, v);
        if (r.fast && v == version) {
          CHECK(label);
          ++accepted;
        }
      }
    }
    MESSAGE(fmt::format("{}: {} cases, {} valid, {} accepted on the fast path", file, cases, valid,
                        accepted));
    CHECK(cases > 900);
    CHECK(accepted > valid / 3);  // the fast path is not trivially "never"
  }
}

TEST_CASE("xapi fast path: mutations are accepted only when the walker accepts them") {
  const std::string b = base;
  // accepted by both, in any key order and with escapes
  for (
      const std::string& s :
      {b, std::string(cmi5), std::string(group),
       replaced(b, R"("objectType":"Activity","id":"https://lms.example.org/activities/00410",)",
                R"("id":"https://lms.example.org/activities/00410",)"),
       replaced(b, R"({"objectType":"Agent","name":"Learner 8487",)", R"({"name":"Learner 8487",)"),
       replaced(
           b,
           R"("objectType":"Agent","name":"Learner 8487","mbox":"mailto:learner8487@example.org")",
           R"("mbox":"mailto:learner8487@example.org","name":"Learner 8487","objectType":"Agent")"),
       replaced(b, R"("scaled":0.27,"raw":27,"min":0,"max":100)",
                R"("max":100,"raw":27,"scaled":0.27,"min":0)"),
       replaced(b, "https://lms.example.org/activities/00410",
                R"(https:\/\/lms.example.org\/activities\/00410)"),
       replaced(b, "Learner 8487", R"(Learner \u00e9 \ud83d\ude00)"), replaced(b, "0.27", "2.7e-1"),
       replaced(b, ",\"min\":0", ",\"min\":-0"), replaced(b, "+00:00", "Z"),
       replaced(b, "+00:00", "+02:00"),
       replaced(
           b, R"("parent":[{"id":"https://lms.example.org/course"}])",
           R"("parent":{"id":"https://lms.example.org/course"},"category":{"id":"http://example.org/c","objectType":"Activity"})"),
       replaced(b, R"("registration")", R"("revision":"r1","platform":"p","registration")"),
       " \t" + b + " \r", "\xEF\xBB\xBF" + b}) {
    const verdict v = agrees(s);
    INFO(s);
    CHECK(v.walker);
    CHECK(v.fast);
  }
  // anything else: the walker decides (each either rejected, or valid but left to the walker)
  const std::string voiding =
      R"({"id":"00000000-0000-4000-8000-000000000009","actor":{"mbox":"mailto:admin@example.org"},"object":{"id":"00000000-0000-4000-8000-000000000001","objectType":"StatementRef"},"verb":{"id":"http://adlnet.gov/expapi/verbs/voided"}})";
  const verdict void_reordered = agrees(voiding);
  CHECK(void_reordered.walker);
  CHECK(!void_reordered.fast);  // objectType after id: left to the walker
  const std::string void_first = replaced(
      voiding, R"({"id":"00000000-0000-4000-8000-000000000001","objectType":"StatementRef"})",
      R"({"objectType":"StatementRef","id":"00000000-0000-4000-8000-000000000001"})");
  CHECK(agrees(void_first).fast);
  const std::vector<std::string> others = {
      b + " x",
      b + "{}",
      b + "}",
      b.substr(0, b.size() - 1),
      replaced(b, "false", "fals"),
      replaced(b, "true", "ture"),
      replaced(b, "false", "null"),
      replaced(b, "27,", "27.,"),
      replaced(b, "27,", "027,"),
      replaced(b, "0.27", "1.27"),
      replaced(b, "0.27", "-1.5"),
      replaced(b, "0.27", "\"0.27\""),
      replaced(b, "\"raw\":27", "\"raw\":101"),
      replaced(b, R"("scaled":0.27,"raw":27,"min":0,"max":100)",
               R"("raw":127,"scaled":0.27,"max":100,"min":0)"),
      replaced(b, R"("min":0,"max":100)", R"("min":100,"max":0)"),
      replaced(b, "\"completion\":true", "\"completion\":true,\"completion\":false"),
      replaced(b, "{\"id\":\"bbe8",
               "{\"id\":\"bbe8f88d-a415-44c8-b9a4-4721de85eb90\",\"id\":\"bbe8"),
      replaced(b, "\"name\":{\"en-US\"", "\"name\":{\"en-US\":\"x\",\"en-US\""),
      replaced(b, "\"id\":\"bbe8", "\"\\u0069d\":\"bbe8"),
      replaced(b, "\"objectType\":\"Agent\"", "\"objectType\":\"Group\""),
      replaced(b, "\"objectType\":\"Activity\"", "\"objectType\":\"StatementRef\""),
      replaced(b, "\"objectType\":\"Activity\",", "") + "",
      replaced(b, R"("type":"http://adlnet.gov/expapi/activities/assessment"}})",
               R"("type":"http://adlnet.gov/expapi/activities/assessment"},"objectType":"Group"})"),
      replaced(b,
               "{\"objectType\":\"Activity\",\"id\":\"https://lms.example.org/activities/00410\"",
               "{\"objectType\":\"SubStatement\",\"actor\":{\"mbox\":\"mailto:a@b.c\"},\"verb\":{"
               "\"id\":\"http://e.org/v\"},\"object\":{\"id\":\"http://e.org/a\"}"),
      replaced(b, R"("registration")", R"("revision":"r1","registration")"),
      replaced(
          replaced(b, R"("registration")", R"("revision":"r1","registration")"),
          R"("object":{"objectType":"Activity","id":"https://lms.example.org/activities/00410","definition":{"name":{"en-US":"Activity 410"},"type":"http://adlnet.gov/expapi/activities/assessment"}},)",
          "") +
          "",
      replaced(b, "2024-01-01T05:41:14.682+00:00", "2024-01-01T05:41:14.682-00:00"),
      replaced(b, "2024-01-01T05:41:14.682+00:00", "2024-01-01T05:41:14.682"),
      replaced(b, "2024-01-01T05:41:14.682+00:00", "2024-02-30T05:41:14Z"),
      replaced(b, "PT3051S", "P4W1D"),
      replaced(b, "PT3051S", "PT"),
      replaced(b, "attempted\"", "voided\""),
      replaced(b, "mailto:learner8487@example.org", "learner8487@example.org"),
      replaced(b, "\"en-US\":\"attempted\"", "\"en_US\":\"attempted\""),
      replaced(b, "\"en-US\":\"attempted\"", "\"en-US\":null"),
      replaced(b, "\"duration\"", "\"unknown\":1,\"duration\""),
      replaced(b, "Learner 8487", "Learner\t8487"),
      replaced(b, "Learner 8487", "Learner \\x"),
      replaced(b, "Learner 8487", "Learner \\ud83d"),
      replaced(b, "Learner 8487", "Learner \xC3"),
      replaced(b, "\"registration\":\"88043e5f", "\"registration\":\"88043e5g"),
      replaced(b, "\"parent\":[{", "\"parent\":[{\"objectType\":\"Agent\","),
      replaced(b, "\"contextActivities\"", "\"contextAgents\":[],\"contextActivities\""),
      replaced(b, "\"timestamp\"", "\"attachments\":[],\"timestamp\""),
      replaced(b, "\"timestamp\"", "\"version\":\"0.9.5\",\"timestamp\""),
      replaced(b, "\"timestamp\"", "\"version\":\"2.0.0\",\"timestamp\""),
      replaced(b, "100}", "1e400}"),
      replaced(b, "100}", "123456789012345678901234567890}"),
      replaced(b, "{\"id\":", "{\"objectType\":\"SubStatement\",\"id\":"),
      replaced(std::string(cmi5), "masteryscore\":0.7", "masteryscore\":\"0.7\""),
      replaced(std::string(cmi5), "sessionid\":\"s-1\"", "sessionid\":1"),
      replaced(std::string(cmi5), "reason\":\"done\"", "reason\":[\"done\"]"),
      replaced(std::string(cmi5), "\"http://example.org/x\"", "\"not an iri\""),
      replaced(std::string(cmi5), "2.5,true", "2.5,tru"),
      replaced(
          std::string(cmi5), "reason\":\"done\"",
          "reason\":\"done\",\"https://w3id.org/xapi/cmi5/result/extensions/reason\":\"again\""),
      replaced(std::string(cmi5), "masteryscore\":0.7",
               "masteryscore\":\"x\",\"https://w3id.org/xapi/cmi5/context/extensions/"
               "masteryscore\":0.5"),
      replaced(std::string(group), "\"name\":\"team\",",
               "\"name\":\"team\",\"mbox\":\"mailto:g@example.org\","),
      replaced(std::string(group), R"({"mbox":"mailto:a@example.org"},)", ""),
      replaced(
          std::string(group),
          R"("member":[{"mbox":"mailto:a@example.org"},{"objectType":"Agent","openid":"http://openid.example.org/b"}],)",
          R"("member":[],)"),
      replaced(std::string(group), ",\"objectType\":\"Group\"}", "}"),
      replaced(std::string(group), "{\"objectType\":\"Agent\",\"mbox_sha1sum\"",
               "{\"mbox_sha1sum\""),
      replaced(std::string(group), "\"team\":{\"objectType\":\"Group\",", "\"team\":{"),
      replaced(std::string(group), "{\"mbox\":\"mailto:a@example.org\"}",
               "{\"objectType\":\"Group\",\"mbox\":\"mailto:a@example.org\"}"),
      replaced(std::string(group), "\"authority\":{",
               "\"authority\":{\"objectType\":\"Group\",\"member\":[{\"mbox\":\"mailto:x@y.z\"},{"
               "\"mbox\":\"mailto:x2@y.z\"}],"),
      replaced(std::string(group), "\"version\":\"1.0.3\"", "\"version\":\"2.0.0\""),
  };
  std::size_t fast = 0;
  for (const auto& s : others) fast += agrees(s).fast ? 1 : 0;
  for (const auto& s : others) fast += agrees(s, io::xapi_version::v1_0_3).fast ? 1 : 0;
  MESSAGE(fmt::format("{} mutations, {} accepted on the fast path", 2 * others.size(), fast));
}

TEST_CASE(
    "xapi fast path: statements like the benchmark's are all accepted, with the walker's fields") {
  std::mt19937_64 rng(13);
  for (std::size_t n = 0; n < 3000; ++n) {
    const std::string s = generated(rng, n);
    const verdict v = agrees(s);
    INFO(s);
    CHECK(v.fast);
    CHECK(v.walker);
  }
}

TEST_CASE(
    "xapi fast path: random edits of statements are accepted only when the walker accepts them") {
  std::mt19937_64 rng(29);
  const std::vector<std::string> seeds = {base, cmi5, group};
  static const char* const pieces[] = {"\"",
                                       "\\",
                                       "{",
                                       "}",
                                       "[",
                                       "]",
                                       ",",
                                       ":",
                                       " ",
                                       "null",
                                       "true",
                                       "1e5",
                                       "-0",
                                       "\\u0",
                                       "\x01",
                                       "\xC3",
                                       "\"objectType\":\"Group\",",
                                       "\"id\":\"x\",",
                                       "0.5",
                                       "\"Z\"",
                                       "mailto:",
                                       "\"member\":[],"};
  std::size_t fast = 0, walker = 0;
  for (std::size_t n = 0; n < 30000; ++n) {
    std::string s = seeds[n % seeds.size()];
    const std::size_t edits = 1 + rng() % 3;
    for (std::size_t e = 0; e < edits; ++e) {
      const std::size_t at = rng() % s.size();
      switch (rng() % 4) {
        case 0:
          s.erase(at, 1 + rng() % 8);
          break;
        case 1:
          s.insert(at, pieces[rng() % std::size(pieces)]);
          break;
        case 2: {  // a copy of another span of the statement
          const std::size_t from = rng() % s.size();
          s.insert(at, s.substr(from, 1 + rng() % 40));
          break;
        }
        default:
          s[at] = static_cast<char>(rng() % 128);
          break;
      }
      if (s.empty()) s = "{}";
    }
    const verdict v = agrees(s, n % 2 == 0 ? io::xapi_version::v2_0 : io::xapi_version::v1_0_3);
    fast += v.fast ? 1 : 0;
    walker += v.walker ? 1 : 0;
  }
  MESSAGE(fmt::format("30000 edits: the walker accepts {}, the fast path {}", walker, fast));
  CHECK(fast > 0);
}

TEST_CASE("xapi fast path: the reader gives the same evidence through it as through the walker") {
  // The same statements twice: as generated (the fast path reads them) and with the first key's
  // first letter escaped, "\u0069d" (the same statement to the DOM, never decided by the fast
  // path: every line goes to the parse and walker, the reader before the fast path).
  std::mt19937_64 rng(7);
  std::vector<std::string> lines;
  for (std::size_t n = 0; n < 400; ++n) lines.push_back(generated(rng, n));
  lines.push_back(lines[3]);  // a repeat: skipped (its DOM is parsed to compare)
  lines.push_back(
      R"({"id":"00000000-0000-4000-8000-000000000009","actor":{"mbox":"mailto:admin@example.org"},"verb":{"id":"http://adlnet.gov/expapi/verbs/voided"},"object":{"objectType":"StatementRef","id":")" +
      lines[5].substr(7, 36) + R"("}})");
  lines.push_back(replaced(
      group,
      R"("object":{"objectType":"Agent","mbox_sha1sum":"ebd31e95054c018b10727ccffd2ef2ec3a016ee9"})",
      R"("object":{"id":"https://lms.example.org/activities/00007"},"result":{"score":{"raw":3,"min":0,"max":4}},"id":"00000000-0000-4000-8000-00000000000a")"));
  std::string fast_text, walker_text;
  for (const auto& l : lines) {
    fast_text += l + "\n";
    REQUIRE(l.rfind("{\"", 0) == 0);  // the first key's first letter escaped: {"\u0069d": ...
    walker_text += fmt::format("{{\"\\u{:04x}{}\n", static_cast<int>(l[2]), l.substr(3));
  }
  io::xapi_mapping m;
  for (int k = 0; k < 500; ++k)
    m.alignment[fmt::format("https://lms.example.org/activities/{:05d}", k)] =
        fmt::format("C{:03d}", k % 250);
  m.score_scale = masterymap::scale::four_point();
  m.verb_kinds = io::default_verb_kinds();
  m.threads = 1;
  const auto before = xd::fast_path_totals();
  const io::xapi_evidence a = io::parse_xapi(fast_text, m);
  const auto middle = xd::fast_path_totals();
  const io::xapi_evidence b = io::parse_xapi(walker_text, m);
  const auto after = xd::fast_path_totals();
  CHECK(middle.fallback == before.fallback);  // (other tests may run meanwhile: none in doctest)
  CHECK(middle.fast - before.fast >= lines.size());
  CHECK(after.fast == middle.fast);
  CHECK(after.fallback - middle.fallback >= lines.size());
  REQUIRE(a.size() == b.size());
  CHECK(a.size() > 200);
  for (std::size_t r = 0; r < a.size(); ++r) {
    INFO(r);
    CHECK(a.learners[a.learner[r]] == b.learners[b.learner[r]]);
    CHECK(a.competencies[a.competency[r]] == b.competencies[b.competency[r]]);
    CHECK(a.kinds[a.kind[r]] == b.kinds[b.kind[r]]);
    CHECK(a.verbs[a.verb[r]] == b.verbs[b.verb[r]]);
    CHECK(a.activities[a.activity[r]] == b.activities[b.activity[r]]);
    CHECK(a.time[r] == b.time[r]);
    CHECK(a.score[r] == b.score[r]);
    CHECK(a.source[r] == b.source[r]);
    CHECK(a.timestamp[r] == b.timestamp[r]);
    CHECK(a.statement[r] == b.statement[r]);
  }
  CHECK(a.retracted == b.retracted);
  CHECK(a.voided == b.voided);
  CHECK(a.skipped == b.skipped);
  CHECK(std::count_if(a.skipped.begin(), a.skipped.end(), [](const auto& q) {
          return q.second.rfind("a repeat of statement", 0) == 0;
        }) == 1);
  CHECK(a.voided.size() == 1);
}

TEST_CASE(
    "xapi fast path: the cmi5 moveOn activity outside category and the duration, as the walker") {
  // cmi5 9.6.2.2 and 9.5.4 read statement_fields::moveon_list / moveon_at, category_is_array
  // and has_duration: both paths fill them alike, and as the statement says
  const std::string moveon = R"({"id":"https://w3id.org/xapi/cmi5/context/categories/moveon"})";
  const std::string cats =
      R"("category":[{"id":"https://w3id.org/xapi/cmi5/context/categories/moveon"},{"id":"https://w3id.org/xapi/cmi5/context/categories/cmi5"}])";
  struct expected {
    std::string lists;  // replaces the category list of `cmi5`
    bool duration;
    std::string_view list;
    std::uint32_t at;
    bool category_array;
  };
  const std::vector<expected> cases = {
      {cats, true, "", xd::no_index, true},
      {R"("category":{"id":"http://x.org/c"},"parent":[{"id":"http://x.org/p"},)" + moveon + "]",
       true, "parent", 1, false},
      {R"("other":)" + moveon + "," + cats, false, "other", xd::no_index, true},
      {R"("other":[)" + moveon + R"(],"parent":[)" + moveon + "]," + cats, true, "other", 0, true},
  };
  for (const auto& c : cases) {
    std::string s = replaced(cmi5, cats, c.lists);
    if (!c.duration) s = replaced(s, R"("duration":"PT20M",)", "");
    INFO(s);
    const verdict v = agrees(s);
    REQUIRE(v.fast);
    REQUIRE(v.walker);
    simdjson::dom::parser parser;
    simdjson::dom::element e;
    REQUIRE(parser.parse(s).get(e) == simdjson::SUCCESS);
    std::vector<io::xapi_problem> problems;
    xd::statement_fields f;
    xd::check_statement(e, io::xapi_version::v2_0, problems, &f);
    CHECK(f.has_duration == c.duration);
    CHECK(f.moveon_list == c.list);
    CHECK(f.moveon_at == c.at);
    CHECK(f.category_is_array == c.category_array);
  }
}
