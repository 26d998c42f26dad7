// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
#include <doctest/doctest.h>

#include <algorithm>
#include <masterymap/io/case.hpp>
#include <masterymap/io/file.hpp>
#include <nlohmann/json.hpp>

#include "../../src/io/case_strict.hpp"
#include "fixtures.hpp"

namespace {
using namespace masterymap;
using nlohmann::json;

const char* const packages[] = {"AdoptedTestFramework.json",
                                "EmptyExternalFramework.json",
                                "ItemTypeTestFramework.json",
                                "MarkdownFramework.json",
                                "Ordering.json",
                                "SequenceNumberFramework.json",
                                "SmartLevelFramework.json",
                                "Utf8TestFramework.json",
                                "opensalt-framework-20c5134f-423d-4097-a971-3dd5152bf507.json"};

std::string package_path(const std::string& name) {
  return fixtures::shared_data("interop/case/packages/opensalt/" + name);
}

// A small 1.1 package: items A, B, C under the document; C child of A; B precedes C.
std::string small_package(const std::string& extra_items = "") {
  const auto item = [](const std::string& code) {
    return R"({"identifier":"id-)" + code + R"(","uri":"urn:)" + code +
           R"(","fullStatement":"statement )" + code + R"(","humanCodingScheme":")" + code +
           R"(","educationLevel":["KG","01"],"lastChangeDateTime":"2024-01-01T00:00:00Z"})";
  };
  const auto link = [](const std::string& type, const std::string& from, const std::string& to,
                       int n) {
    return R"({"identifier":"a)" + std::to_string(n) + R"(","uri":"urn:a)" + std::to_string(n) +
           R"(","associationType":")" + type +
           R"(","originNodeURI":{"title":"x","identifier":"id-)" + from + R"(","uri":"urn:)" +
           from + R"("},"destinationNodeURI":{"title":"y","identifier":")" + to +
           R"(","uri":"urn:)" + to + R"("},"lastChangeDateTime":"2024-01-01T00:00:00Z"})";
  };
  return R"({"CFDocument":{"identifier":"doc","uri":"urn:doc","creator":"c","title":"Small",)"
         R"("lastChangeDateTime":"2024-01-01T00:00:00Z"},"CFItems":[)" +
         item("A") + "," + item("B") + "," + item("C") + extra_items + R"(],"CFAssociations":[)" +
         link("isChildOf", "C", "id-A", 1) + "," + link("precedes", "B", "id-C", 2) + "," +
         link("isChildOf", "A", "doc", 3) + "]}";
}

TEST_SUITE("io case") {
  TEST_CASE("the OpenSALT packages: import, and the lossless round trip") {
    for (const char* name : packages) {
      const std::string path = package_path(name);
      if (!fixtures::have(path)) return;
      CAPTURE(name);
      const framework f = io::read_case(path);
      const std::string out = io::write_case(f);
      // Equal as canonical JSON: nlohmann's objects are sorted maps, arrays keep their order.
      CHECK(json::parse(out) == json::parse(io::read_text_file(path)));
      const framework again = io::parse_case(out);
      CHECK(again == f);
    }
  }

  TEST_CASE("mapping: ids, levels, hierarchy, precedes as a recommended prerequisite") {
    std::vector<std::string> notes;
    const framework f = io::parse_case(small_package(), {}, &notes);
    CHECK(notes.empty());
    REQUIRE(f.size() == 3);
    CHECK(f.at("A").level == 0);  // the lowest of KG and 01
    // No item is a "Domain": the top-level ancestor names it (its humanCodingScheme here).
    CHECK(f.at("C").domain == "A");
    CHECK(f.children(f.index_of("A")) == std::vector<index_t>{f.index_of("C")});
    REQUIRE(f.edge_count() == 1);
    CHECK(f.edges()[0].strength == strength::recommended);
    CHECK(f.id_of(f.edges()[0].prerequisite) == "B");
    CHECK(f.associations().size() == 3);
    CHECK(f.associations()[2].destination == "urn:doc");
    io::case_options o;
    o.precedes_strength = strength::required;
    CHECK(io::parse_case(small_package(), o).edges()[0].strength == strength::required);
  }

  TEST_CASE("bad input: JSON path, line and column, everything at once") {
    CHECK_THROWS_WITH_AS((void)io::parse_case(R"({"CFDocument": {}, "CFItems": [)"),
                         doctest::Contains("line 1, column"), parse_error);
    CHECK_THROWS_WITH_AS(
        (void)io::parse_case(
            R"({"CFDocument":{},"CFItems":[{"identifier":"x","fullStatement":1}]})"),
        "/CFItems/0/fullStatement: expected a string", parse_error);
    // A repeated identifier and a dangling isChildOf are both reported.
    const std::string dup =
        R"(,{"identifier":"id-A","uri":"u","fullStatement":"again","humanCodingScheme":"A2",)"
        R"("lastChangeDateTime":"2024-01-01T00:00:00Z"})";
    std::string text = small_package(dup);
    const std::string target = R"("identifier":"doc","uri":"urn:doc"})";
    text.replace(text.rfind(target), target.size(), R"("identifier":"nowhere","uri":"urn:x"})");
    try {
      (void)io::parse_case(text);
      FAIL("expected a validation_error");
    } catch (const validation_error& e) {
      REQUIRE(e.problems().size() == 2);
      CHECK(e.problems()[0].kind == problem_kind::duplicate_id);
      CHECK(e.problems()[1].message ==
            "/CFAssociations/2 (isChildOf): destination 'nowhere' is not an item or the document "
            "of the package");
    }
  }

  TEST_CASE("escapes: strings without one are read in place, with one they are unescaped") {
    // An escaped key names the same field; escaped values are unescaped; a bad escape anywhere,
    // even in a field nobody maps, is malformed JSON.
    std::string text = small_package(
        R"(,{"\u0069dentifier":"id-D","uri":"urn:D","fullStatement":"say \"hi\"\n\u00e9",)"
        R"("humanCodingScheme":"D\/1","notes":"tab\there","lastChangeDateTime":"2024-01-01T00:00:00Z"})");
    const framework f = io::parse_case(text);
    REQUIRE(f.contains("D/1"));
    CHECK(f.at("D/1").description == "say \"hi\"\n\u00e9");
    CHECK(f.at("D/1").metadata.at("case:identifier") == "id-D");
    CHECK(json::parse(io::write_case(f)) == json::parse(text));
    const std::string bad = small_package(
        R"(,{"identifier":"id-E","uri":"urn:E","fullStatement":"e","notes":"bad \q escape",)"
        R"("lastChangeDateTime":"2024-01-01T00:00:00Z"})");
    CHECK_THROWS_AS((void)io::parse_case(bad), parse_error);
    const std::string bad_key =
        small_package(R"(,{"identifier":"id-F","uri":"urn:F","fullStatement":"f","n\qtes":"x",)"
                      R"("lastChangeDateTime":"2024-01-01T00:00:00Z"})");
    CHECK_THROWS_AS((void)io::parse_case(bad_key), parse_error);
  }

  TEST_CASE("write_case: text that is not UTF-8 is an error naming the competency") {
    framework_builder b("bad bytes");
    competency c;
    c.id = "A";
    c.title = "caf\xe9";  // Latin-1, not UTF-8
    b.add_competency(c);
    const framework f = std::move(b).build();
    CHECK_THROWS_WITH_AS((void)io::write_case(f), doctest::Contains("competency 'A'"), error);
  }

  TEST_CASE("threads: write_case gives the same package on any number of threads") {
    // 6,000 competencies (a chain of parents, prerequisites, associations): enough for the
    // writer to split generated nodes into blocks.
    framework_builder b("many");
    for (int i = 0; i < 6000; ++i) {
      competency c;
      c.id = "c" + std::to_string(i);
      c.title = "Competency " + std::to_string(i);
      c.level = i % 13;
      b.add_competency(c);
      if (i > 0) b.add_child("c" + std::to_string(i / 10), c.id);
      if (i > 1) b.add_prerequisite(c.id, "c" + std::to_string(i - 2), strength::recommended);
      if (i % 7 == 0) b.add_association({"isRelatedTo", c.id, "urn:outside:" + c.id, {}});
    }
    const framework f = std::move(b).build();
    io::case_write_options one, two;
    one.threads = 1;
    two.threads = 2;
    const std::string text = io::write_case(f, one);
    CHECK(io::write_case(f, two) == text);
    CHECK(io::write_case(f) == text);
    const framework back = io::parse_case(text);
    CHECK(back.size() == f.size());
    CHECK(back.edges() == f.edges());
    CHECK(back.hierarchy() == f.hierarchy());
  }

  TEST_CASE("a framework built in code exports and reads back the same fields") {
    framework_builder b("built");
    b.add_competency({"A",
                      "Add",
                      "add within 10",
                      "OA",
                      1,
                      competency_kind::academic,
                      {"sum"},
                      {{"grade", "1"}}});
    b.add_competency({"B", "Habits", "", "", std::nullopt, competency_kind::disposition, {}, {}});
    b.add_child("A", "B");
    b.add_prerequisite("B", "A", strength::familiar, 2.0);
    b.add_association({"isRelatedTo", "A", "https://example.org/x", {{"why", "test"}}});
    const framework f = b.build();
    io::case_write_options o;
    o.base_uri = "https://example.org/case/";
    const std::string out = io::write_case(f, o);
    CHECK(out == io::write_case(f, o));  // stable identifiers
    const framework back = io::parse_case(out);
    REQUIRE(back.size() == 2);
    for (index_t i = 0; i < 2; ++i) {
      const competency& x = f.at(i);
      const competency& y = back.at(i);
      CHECK(std::tie(x.id, x.title, x.description, x.domain, x.level, x.kind, x.tags) ==
            std::tie(y.id, y.title, y.description, y.domain, y.level, y.kind, y.tags));
      CHECK(y.metadata.at("case:identifier").size() == 36);  // a UUID
      for (const auto& [k, v] : x.metadata) CHECK(y.metadata.at(k) == v);
    }
    CHECK(back.edges() == f.edges());
    CHECK(back.hierarchy() == f.hierarchy());
    REQUIRE(back.associations().size() == 4);  // isChildOf x2, precedes, isRelatedTo
    CHECK(back.associations()[3].metadata.at("why") == "test");
    CHECK(json::parse(io::write_case(back, o)) == json::parse(out));
  }

  TEST_CASE("strict: the fast path agrees with the normaliser on every package") {
    // write_case(strict) checks each node read-only and skips the normaliser for clean ones;
    // the result and the notes must be those of the normaliser alone.
    std::vector<std::string> texts;
    for (const char* name : packages)
      if (fixtures::have(package_path(name)))
        texts.push_back(io::write_case(io::read_case(package_path(name))));
    for (const char* name :
         {"edition_2019.json", "edition_2021.json", "edition_2024.json", "groupings_rubrics.json"})
      texts.push_back(
          io::write_case(io::read_case(fixtures::example_data("../../tests/data/case/") + name)));
    const std::string bundled = fixtures::example_data("fractions/framework.case.json");
    texts.push_back(io::write_case(io::read_case(bundled)));
    texts.push_back(small_package());
    std::size_t fast = 0;
    for (const std::string& text : texts) {
      std::vector<std::string> a, b;
      const std::string quick = io::detail::strict_case(text, "2024-01-01T00:00:00Z", a);
      const std::string slow = io::detail::strict_case_slow(text, "2024-01-01T00:00:00Z", b);
      CHECK(json::parse(quick) == json::parse(slow));
      CHECK(a == b);
      if (quick == text) ++fast;  // nothing changed: the lists were spliced as written
    }
    CHECK(fast >= 1);  // at least the bundled curriculum, written by write_case, is clean
  }

  TEST_CASE("strict: 1.0 leniencies normalised to 1.1, each reported") {
    const std::string path = package_path(packages[8]);
    if (!fixtures::have(path)) return;
    const framework f = io::read_case(path);
    io::case_write_options o;
    o.strict = true;
    std::vector<std::string> made;
    const json p = json::parse(io::write_case(f, o, &made));
    const json& doc = p["CFDocument"];
    CHECK(doc["caseVersion"] == "1.1");
    CHECK(!doc.contains("CFPackageURI"));
    CHECK(doc["extensions"].contains("CFPackageURI"));  // moved, not lost
    CHECK(doc["lastChangeDateTime"] == "2017-05-25T18:05:33Z");
    for (const json& a : p["CFAssociations"])
      if (a.contains("sequenceNumber")) CHECK(a["sequenceNumber"].is_number_integer());
    for (const json& i : p["CFItems"]) CHECK(!i.contains("educationalLevel"));
    CHECK(std::find(made.begin(), made.end(),
                    "/CFDocument/lastChangeDateTime: no time zone; read as UTC (Z appended)") !=
          made.end());
    CHECK(made.size() == 169);
    // Not strict: nothing is reported and the package is written as read.
    made.clear();
    (void)io::write_case(f, {}, &made);
    CHECK(made.empty());
  }
}

}  // namespace
