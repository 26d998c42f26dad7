// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
#include <doctest/doctest.h>

#include <algorithm>
#include <masterymap/bkt.hpp>
#include <masterymap/evidence.hpp>
#include <masterymap/io/csv.hpp>
#include <sstream>
#include <string>

#include "../../src/csv_tokenizer.hpp"
#include "fixtures.hpp"

using namespace masterymap;
using namespace masterymap::io;

TEST_SUITE("csv") {
  TEST_CASE("parse_csv: quotes, CRLF, BOM, blank lines") {
    const auto t = parse_csv("\xEF\xBB\xBFid,text\r\na,\"x, \"\"y\"\"\r\nz\"\r\n\r\nb,plain\r\n");
    CHECK(t.header == std::vector<std::string>{"id", "text"});
    REQUIRE(t.rows.size() == 2);
    CHECK(t.rows[0][1] == "x, \"y\"\r\nz");
    CHECK(t.rows[1][0] == "b");
    CHECK(t.lines == std::vector<std::size_t>{2, 5});
    CHECK(t.column("text") == 1);
    CHECK(t.column("nope") == -1);
  }

  TEST_CASE("malformed CSV gives parse_error with row, line and column") {
    try {
      (void)parse_csv("a,b\n1,2\n3\n", "edges");
      FAIL("expected parse_error");
    } catch (const parse_error& e) {
      CHECK(e.row() == 1);  // 0-based data row
      CHECK(e.line() == 3);
      CHECK(std::string(e.what()).find("row 1 (line 3)") != std::string::npos);
    }
    try {
      (void)parse_csv("a,b\n1,\"open\n", "edges");
      FAIL("expected parse_error");
    } catch (const parse_error& e) {
      CHECK(e.line() == 2);
      CHECK(e.column() == 3);
    }
    CHECK_THROWS_AS((void)parse_csv("a,b\n\"x\"y,2\n"), parse_error);
    CHECK_THROWS_AS((void)parse_csv(""), parse_error);
    csv_framework_options o;
    try {
      (void)parse_framework_csv("from,to\nA,B\n", {}, o);
      FAIL("expected parse_error");
    } catch (const parse_error& e) {
      CHECK(std::string(e.what()).find("missing column 'prerequisite'") != std::string::npos);
    }
    try {  // the dependent column is "dependent"; the old default header "competency" is not read
      (void)parse_framework_csv("prerequisite,competency\nA,B\n", {}, o);
      FAIL("expected parse_error");
    } catch (const parse_error& e) {
      CHECK(std::string(e.what()).find("missing column 'dependent'") != std::string::npos);
    }
    o.strength_column = "s";
    try {
      (void)parse_framework_csv("prerequisite,dependent,s\nA,B,required\nB,C,hard\n", {}, o);
      FAIL("expected parse_error");
    } catch (const parse_error& e) {
      CHECK(e.row() == 1);
      CHECK(e.line() == 3);
      CHECK(e.column() == 5);  // where "hard" starts on its line
      CHECK(std::string(e.what()).find("edges: row 1 (line 3, column 5): ") == 0);
    }
    o.strength_values = {{"hard", strength::required}};
    CHECK(parse_framework_csv("prerequisite,dependent,s\nA,B,required\nB,C,hard\n", {}, o)
              .edge_count() == 2);
  }

  TEST_CASE("csv_tokenizer: fields, positions, quotes across lines, CRLF, doubled quotes") {
    using detail::csv_tokenizer;
    csv_tokenizer<> tok(
        "\xEF\xBB\xBF"
        "a,\"b\nc\",\"x\"\"y\"\r\n\r\n\"\"\"\"\rlast,");
    std::vector<std::string_view> f;
    CHECK(tok.line() == 1);
    CHECK(tok.column() == 1);  // the BOM is skipped and not counted
    CHECK_FALSE(tok.skip_blank_line());
    tok.record(f);
    CHECK(f == std::vector<std::string_view>{"a", "b\nc", "x\"y"});
    CHECK(tok.line() == 3);  // one LF inside quotes, then the CRLF
    CHECK(tok.column() == 1);
    CHECK(tok.skip_blank_line());
    CHECK(tok.line() == 4);
    tok.record(f);
    CHECK(f == std::vector<std::string_view>{"\""});
    CHECK(tok.line() == 5);  // a lone CR ends the record
    tok.record(f);
    CHECK(f == std::vector<std::string_view>{"last", ""});
    CHECK(tok.at_end());

    // One field at a time: views into the text unless unescaped into the given scratch.
    csv_tokenizer<> one("p,\"q\"\"r\"\n");
    std::string scratch;
    bool eor = false, escaped = false;
    const std::string_view p = one.field(eor, scratch, escaped);
    CHECK((p == "p" && !eor && !escaped));
    const std::string_view q = one.field(eor, scratch, escaped);
    CHECK((q == "q\"r" && eor && escaped && q.data() == scratch.data()));
    CHECK(one.at_end());
    CHECK(one.line() == 2);
  }

  TEST_CASE("csv_tokenizer: the delimiter and what a lone CR means") {
    using detail::csv_line_ends;
    using detail::csv_tokenizer;
    std::vector<std::string_view> f;
    csv_tokenizer<> cr("a\rb\r\n\rc");  // default: CR, CRLF and LF all end records and lines
    cr.record(f);
    CHECK(f == std::vector<std::string_view>{"a"});
    cr.record(f);
    CHECK(f == std::vector<std::string_view>{"b"});
    CHECK(cr.skip_blank_line());
    CHECK(cr.line() == 4);
    cr.record(f);
    CHECK(f == std::vector<std::string_view>{"c"});

    // LF only: a CR is dropped before LF, at the end and after a closing quote; else data.
    csv_tokenizer<csv_line_ends::lf> lf("a\rb;\"q;\"\r;c\r\n\r\n\rd\r", ';');
    lf.record(f);
    CHECK(f == std::vector<std::string_view>{"a\rb", "q;", "c"});
    CHECK(lf.line() == 2);
    CHECK(lf.skip_blank_line());  // CRLF alone
    CHECK_FALSE(lf.skip_blank_line());
    lf.record(f);
    CHECK(f == std::vector<std::string_view>{"\rd"});
    CHECK(lf.at_end());
    CHECK(lf.line() == 3);
    csv_tokenizer<csv_line_ends::lf> last_cr("x\n\r");
    last_cr.record(f);
    CHECK_FALSE(last_cr.skip_blank_line());  // a lone CR is not a line end here
    last_cr.record(f);
    CHECK(f == std::vector<std::string_view>{""});
  }

  TEST_CASE("csv_tokenizer: syntax errors carry line and column, quotes only open a field") {
    using detail::csv_syntax_error;
    using detail::csv_tokenizer;
    std::vector<std::string_view> f;
    csv_tokenizer<> mid("a\"b,c\"\n");
    mid.record(f);
    CHECK(f == std::vector<std::string_view>{"a\"b", "c\""});
    csv_tokenizer<> unclosed("x\nab,\"c\nd\n");
    unclosed.record(f);
    try {
      unclosed.record(f);
      FAIL("expected csv_syntax_error");
    } catch (const csv_syntax_error& e) {
      CHECK(e.problem == csv_syntax_error::kind::unterminated_quote);
      CHECK(e.line == 2);  // where the quote opened
      CHECK(e.column == 4);
      CHECK(f == std::vector<std::string_view>{"ab"});  // the fields before the bad one
      CHECK(std::string(e.what()) == "unterminated quoted field");
    }
    csv_tokenizer<> after("\"a\nb\"c,d");
    try {
      after.record(f);
      FAIL("expected csv_syntax_error");
    } catch (const csv_syntax_error& e) {
      CHECK(e.problem == csv_syntax_error::kind::text_after_quote);
      CHECK(e.line == 2);  // where the stray character is
      CHECK(e.column == 3);
      CHECK(f.empty());
    }
    detail::csv_tokenizer<detail::csv_line_ends::lf> quote_cr("\"a\"\rb");
    CHECK_THROWS_AS(quote_cr.record(f), csv_syntax_error);
  }

  // The three readers (parse_csv here, evidence_log::append_csv in test_evidence.cpp,
  // bkt::parse_csv in test_bkt.cpp) differ on purpose in a few edge cases; each file pins its
  // reader's behaviour and error positions.
  TEST_CASE(
      "parse_csv: bare CR, quotes across lines, doubled quotes, blank lines, error positions") {
    auto t = parse_csv("a,b\r1,2\r3,4");  // CR alone ends a record, no trailing newline
    CHECK(t.rows == std::vector<std::vector<std::string>>{{"1", "2"}, {"3", "4"}});
    CHECK(t.lines == std::vector<std::size_t>{2, 3});
    t = parse_csv(
        "\n\r\n\ra,b\n\"x\ny\",\"\"\"\"\n\n\"\"\"\",x\"y\n");  // blank lines before the header
    CHECK(t.header == std::vector<std::string>{"a", "b"});
    CHECK(t.rows == std::vector<std::vector<std::string>>{{"x\ny", "\""}, {"\"", "x\"y"}});
    CHECK(t.lines == std::vector<std::size_t>{5, 8});
    t = parse_csv("a\n\"\"\n\n");  // a quoted empty field is a record, not a blank line
    CHECK(t.rows == std::vector<std::vector<std::string>>{{""}});
    t = parse_csv("a,b\n1,");
    CHECK(t.rows == std::vector<std::vector<std::string>>{{"1", ""}});
    try {
      (void)parse_csv("a,b\n\"x\ny\",1\n2\n", "src");
      FAIL("expected parse_error");
    } catch (const parse_error& e) {
      CHECK(std::string(e.what()) == "src: row 1 (line 4) has 1 fields, the header has 2");
      CHECK(e.line() == 4);
      CHECK(e.column() == 1);
      CHECK(e.row() == 1);
    }
    try {
      (void)parse_csv("a,b\n1,2\n\"x\n\"y,2\n", "src");
      FAIL("expected parse_error");
    } catch (const parse_error& e) {
      CHECK(std::string(e.what()) ==
            "src: unexpected character after a quoted field at line 4, column 2");
      CHECK(e.line() == 4);
      CHECK(e.column() == 2);
      CHECK(e.row() == 1);
    }
    try {
      (void)parse_csv(
          "\xEF\xBB\xBF"
          "a,b\n1,\"open\nmore\n",
          "src");
      FAIL("expected parse_error");
    } catch (const parse_error& e) {
      CHECK(std::string(e.what()) == "src: unterminated quoted field starting at line 2, column 3");
      CHECK(e.line() == 2);
      CHECK(e.column() == 3);
      CHECK(e.row() == 0);
    }
    try {  // a CR inside quotes is data and does not count as a line, unlike a CR outside quotes
      (void)parse_csv("a\r\"x\ry\"\r1,2\r");
      FAIL("expected parse_error");
    } catch (const parse_error& e) {
      CHECK(e.line() == 3);
    }
    CHECK_THROWS_WITH_AS((void)parse_csv("\xEF\xBB\xBF\r\n\n", "src"), "src: no header line",
                         parse_error);
  }

  TEST_CASE("the CCSS coherence map: 480 standards, 757 edges, acyclic, chain 30, 154 redundant") {
    if (!fixtures::have_ccss()) return;
    const framework f = fixtures::ccss();
    CHECK(f.size() == 480);
    CHECK(f.edge_count() == 757);
    CHECK(f.topological_order().size() == 480);
    CHECK(f.longest_chain().size() == 31);  // 30 edges
    CHECK(*std::max_element(f.depths().begin(), f.depths().end()) == 30);
    CHECK(f.redundant_prerequisites().size() == 154);
    CHECK(f.at("4.NF.B.3").level == 4);
    CHECK(f.at("K.CC.A.1").level == 0);
    CHECK(f.at("K.CC.A.1").metadata.at("grade") == "K");
    CHECK(f.domains().size() == 31);
    CHECK(framework::from_json(f.to_json()) == f);
  }

  TEST_CASE("Junyi and Princeton: cycles reported with members, or dropped on request") {
    if (!fixtures::have(fixtures::shared_data("junyi-knowledge-map/prerequisite_edges.csv")) ||
        !fixtures::have(fixtures::shared_data("princeton-course-prereqs/prerequisite_edges.csv")))
      return;
    csv_framework_options junyi;
    junyi.dependent_column = "exercise";
    const std::string jpath = fixtures::shared_data("junyi-knowledge-map/prerequisite_edges.csv");
    try {
      (void)read_framework_csv(jpath, {}, junyi);
      FAIL("expected a validation error");
    } catch (const validation_error& e) {
      std::size_t self = 0, cycles = 0, dups = 0;
      for (const auto& p : e.problems()) {
        self += p.kind == problem_kind::self_loop;
        dups += p.kind == problem_kind::duplicate_edge;
        if (p.kind == problem_kind::prerequisite_cycle) {
          ++cycles;
          CHECK(p.ids.front() == p.ids.back());
          CHECK(p.message.find("radical") != std::string::npos);
        }
      }
      CHECK(self == 2);
      CHECK(cycles == 1);
      CHECK(dups == 7);
    }
    junyi.build.drop_cycle_edges = true;
    junyi.build.drop_duplicate_edges = true;
    const framework jf = read_framework_csv(jpath, {}, junyi);
    CHECK(jf.size() == 776);
    CHECK(jf.dropped_edges().size() == 2 + 7 + 1);
    CHECK(jf.edge_count() + jf.dropped_edges().size() == 988);

    csv_framework_options pr;
    pr.dependent_column = "course";
    const std::string ppath =
        fixtures::shared_data("princeton-course-prereqs/prerequisite_edges.csv");
    try {
      (void)read_framework_csv(ppath, {}, pr);
      FAIL("expected a cycle error");
    } catch (const cycle_error& e) {
      bool mutual = false;
      for (const auto& p : e.problems())
        if (p.kind == problem_kind::prerequisite_cycle && p.ids.size() == 3) mutual = true;
      CHECK(mutual);
      CHECK(e.problems().size() == 3);  // 2 self-loops + 1 mutual pair
    }
    pr.build.drop_cycle_edges = true;
    const framework pf = read_framework_csv(ppath, {}, pr);
    CHECK(pf.edge_count() + pf.dropped_edges().size() == 2503);
  }
}
