// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// Regression tests for what the fuzz targets (tests/fuzz) found: each case is a crashing input,
// cut down by hand to the part that mattered, with the behaviour it must have now.
#include <doctest/doctest.h>

#include <masterymap/bkt.hpp>
#include <masterymap/evidence.hpp>
#include <masterymap/framework.hpp>
#include <masterymap/io/csv.hpp>
#include <masterymap/policy.hpp>
#include <sstream>
#include <string>
#include <vector>

namespace mm = masterymap;
namespace bkt = masterymap::bkt;

namespace {

std::string model_json(const std::string& skill_extra, const std::string& top_extra = "") {
  return R"({"format": "masterymap.bkt.model", "version": 1)" + top_extra +
         R"(, "skills": [{"skill": "a", "prior": 0.3, "learn": 0.2, "forget": 0, "guess": 0.1,
           "slip": 0.1)" +
         skill_extra + "}]}";
}

std::string tracer_json(const std::string& format, const std::string& version,
                        const std::string& threshold, const std::string& states = "[]") {
  return R"({"format": )" + format + R"(, "version": )" + version + R"(, "threshold": )" +
         threshold + R"(, "model": )" + model_json("") + R"(, "learners": ["u"], "states": )" +
         states + "}";
}

}  // namespace

TEST_SUITE("fuzz") {
  TEST_CASE("JSON: a number too large for a double is a parse_error with its position") {
    // fuzz_bkt_model_json: nlohmann's out_of_range 406 ("number overflow parsing '1e5865'")
    // escaped every JSON reader.
    try {
      (void)bkt::model::from_json(model_json(R"(, "fit": {"log_likelihood": 1e5865})"));
      FAIL("expected a parse_error");
    } catch (const mm::parse_error& e) {
      CHECK(std::string(e.what()).find("1e5865") != std::string::npos);
      CHECK(e.line() == 2);
    }
    CHECK_THROWS_AS((void)mm::framework::from_json(
                        R"({"format": "masterymap.framework", "version": 2e999999})"),
                    mm::parse_error);
    CHECK_THROWS_AS((void)mm::policy::from_json(R"({"format": "masterymap.policy",
      "version": 1, "rule": {"min_evidence": -1e400}})"),
                    mm::parse_error);
    CHECK_THROWS_AS((void)bkt::tracer::from_json(R"({"threshold": 1E+99999})"), mm::parse_error);
  }

  TEST_CASE("bkt model JSON: fit diagnostics and flags of the wrong type or range") {
    // fuzz_bkt_model_json: "observations": 1.22222e+101 was converted to uint64 (undefined
    // behaviour, UBSan: float-cast-overflow); a string or a bool where a number is expected
    // threw nlohmann's type_error.
    for (const char* fit :
         {R"("observations": 1.22222e+101)", R"("observations": -1)", R"("iterations": "7")",
          R"("iterations": 3000000000)", R"("restart": 1.5)", R"("converged": 1)",
          R"("log_likelihood": "x")", R"("sequences": true)"}) {
      CAPTURE(fit);
      CHECK_THROWS_AS(
          (void)bkt::model::from_json(model_json(std::string(", \"fit\": {") + fit + "}")),
          mm::parse_error);
    }
    CHECK_THROWS_AS((void)bkt::model::from_json(model_json("", R"(, "forgets": "yes")")),
                    mm::parse_error);
    CHECK_THROWS_AS((void)bkt::model::from_json(model_json("", R"(, "multigs": 0)")),
                    mm::parse_error);
    // In range, every field is read as written.
    const bkt::model m = bkt::model::from_json(model_json(
        R"(, "fit": {"observations": 18446744073709551615, "iterations": -3, "restart": 2,
            "converged": true, "log_likelihood": -1.5, "sequences": 4})"));
    const bkt::skill_params& p = m.at("a");
    CHECK(p.observations == 18446744073709551615ULL);
    CHECK(p.iterations == -3);
    CHECK(p.restart == 2);
    CHECK(p.converged);
    CHECK(p.log_likelihood == -1.5);
    CHECK(p.sequences == 4);
  }

  TEST_CASE("bkt tracer JSON: fields of the wrong type or range are parse_errors") {
    // fuzz_bkt_model_json: a non-string format or a non-integer version threw nlohmann's
    // type_error; a threshold outside [0, 1] threw std::invalid_argument; a count past 2^32 - 1
    // was silently cut to 32 bits.
    const std::string ok =
        tracer_json(R"("masterymap.bkt.tracer")", "1", "0.9", R"([[0, "a", 0.5, 0.5, 3]])");
    CHECK(bkt::tracer::from_json(ok).opportunities(0, 0) == 3);
    for (const std::string& bad :
         {tracer_json("7", "1", "0.9"), tracer_json(R"("masterymap.bkt.tracer")", R"("1")", "0.9"),
          tracer_json(R"("masterymap.bkt.tracer")", "1e300", "0.9"),
          tracer_json(R"("masterymap.bkt.tracer")", "1", "2"),
          tracer_json(R"("masterymap.bkt.tracer")", "1", "-0.5"),
          tracer_json(R"("masterymap.bkt.tracer")", "1", "0.9",
                      R"([[0, "a", 0.5, 0.5, 4294967296]])")}) {
      CAPTURE(bad);
      CHECK_THROWS_AS((void)bkt::tracer::from_json(bad), mm::parse_error);
    }
  }

  TEST_CASE("evidence: a score or weight beyond the float range is rejected, not stored as inf") {
    // fuzz_evidence_csv: "1e39" passed as a finite score and was stored as an infinite 32-bit
    // float, which the log then could not read back (the round trip failed).
    mm::evidence_log log;
    log.append_row("ana", "A", 1.0, 2.0, "formative", 1.0, "", mm::ingest_checks{});
    for (const char* row :
         {"ben,A,2,1e39,formative,1", "ben,A,2,-3.5e38,formative,1", "ben,A,2,1,formative,1e39"}) {
      CAPTURE(row);
      std::istringstream in(std::string("learner,competency,time,score,kind,weight\n") + row +
                            "\n");
      try {
        log.append_csv_unchecked(in);
        FAIL("expected an evidence_error");
      } catch (const mm::evidence_error& e) {
        REQUIRE(e.rows().size() == 1);
        CHECK(e.rows()[0] == 0);
        CHECK(std::string(e.what()).find("too large to store") != std::string::npos);
      }
    }
    CHECK_THROWS_AS(
        log.append_row("ben", "A", 2.0, 1e39, "formative", 1.0, "", mm::ingest_checks{}),
        mm::evidence_error);
    CHECK_THROWS_AS(
        log.append_row("ben", "A", 2.0, 1.0, "formative", 4e38, "", mm::ingest_checks{}),
        mm::evidence_error);
    CHECK_THROWS_AS(log.append_unchecked(std::vector<mm::evidence>{{"ben", "A", 2.0, -1e300}}),
                    mm::evidence_error);
    CHECK(log.size() == 1);  // nothing was stored
    // The largest float is still a score.
    log.append_row("ben", "A", 2.0, 3.4028234663852886e38, "formative", 1.0, "",
                   mm::ingest_checks{});
    CHECK(log.size() == 2);
  }
  TEST_CASE(
      "framework CSV: a lead byte past U+10FFFF is a parse_error, not a name to_json rejects") {
    // fuzz_framework_csv (Junyi layout): the id "\xF6\x8C\x9A\x93..." (a four-byte form of a
    // code point past U+10FFFF) was accepted, and writing the framework as JSON then threw
    // nlohmann's type_error 316. Every such byte is now refused where it is read.
    mm::io::csv_framework_options o;
    o.name = "fuzz";
    o.dependent_column = "exercise";
    o.add_missing = true;
    o.build.drop_cycle_edges = true;
    o.build.drop_duplicate_edges = true;
    for (const char* bad : {"\xF6\x8C\x9A\x93_x", "\xF4\x90\x80\x80", "\xF5\x80\x80\x80",
                            "\xC0\xAF", "\xED\xA0\x80", "\x8C"}) {
      CAPTURE(bad);
      const std::string edges =
          std::string("prerequisite,exercise\r\nangles_1,angles_2\r\n") + bad + ",angles_2\r\n";
      try {
        (void)mm::io::parse_framework_csv(edges, {}, o);
        FAIL("expected a parse_error");
      } catch (const mm::parse_error& e) {
        CHECK(e.line() == 3);
        CHECK(e.column() == 1);
      }
    }
    // The same file with valid multi-byte names (and a BOM inside a field) reads and writes.
    const mm::framework f = mm::io::parse_framework_csv(
        "prerequisite,exercise\r\n\xE7\x89\xA9\xE7\xB7\x9A,angles_2\r\n\xEF\xBB\xBFx,angles_2\r\n",
        {}, o);
    CHECK(f.size() == 3);
    CHECK(mm::framework::from_json(f.to_json()) == f);
  }

  TEST_CASE(
      "bkt CSV: a header-only file is an empty dataset, a named order column still required") {
    // fuzz_bkt_csv: the target wrote a table without rows back without its order and item class
    // columns, and reading that failed. The library was right (a column the options name is
    // required even when no row needs it); the target writes the header in full now.
    bkt::csv_options o;
    o.columns.order = "order_id";
    o.columns.item_class = "template_id";
    const bkt::dataset d =
        bkt::parse_csv("user_id,skill_name,correct,order_id,template_id,t3\n", o);
    CHECK(d.empty());
    CHECK(d.size() == 0);
    CHECK_THROWS_AS((void)bkt::parse_csv("user_id,skill_name,correct\n", o), mm::parse_error);
  }
  TEST_CASE("policy JSON: an item's weight or points survive the round trip or are refused") {
    // fuzz_policy_json: {"op": "k_of_n", "items": [{"id": "A", "weight": 2}]} was read with the
    // weight (which k_of_n ignores) and written without it, so the policy read back differed.
    // Worse, a nested group's points and weight (which points and weighted_mean do use) were
    // never written: a round trip changed the results. Now a value the operator ignores is a
    // policy_error naming the item, and nested groups keep theirs.
    const std::string head = mm::policy().to_json(-1);
    const auto with_rollup = [&](const std::string& rollup) {
      return head.substr(0, head.size() - 1) + R"(,"rollups":{"Q":)" + rollup + "}}";
    };
    for (const char* op : {R"("all_of")", R"("any_of")", R"("k_of_n","k":1)"}) {
      CAPTURE(op);
      try {
        (void)mm::policy::from_json(with_rollup(std::string(R"({"groups":[{"op":)") + op +
                                                R"(,"items":[{"id":"A","weight":2.0},"B"]}]})"));
        FAIL("expected a policy_error");
      } catch (const mm::policy_error& e) {
        CHECK(std::string(e.what()).find("rollups['Q'].groups[0].items[0].weight") !=
              std::string::npos);
      }
      // A weight of 1 (the default) says nothing: accepted.
      (void)mm::policy::from_json(with_rollup(std::string(R"({"groups":[{"op":)") + op +
                                              R"(,"items":[{"id":"A","weight":1.0},"B"]}]})"));
    }
    mm::rollup::group top;
    top.kind = mm::rollup::op::all_of;
    top.items.push_back({"A", -1, 3.0, false});
    mm::policy bad;
    CHECK_THROWS_AS(bad.set_rollup("Q", mm::rollup::from_groups({top})), mm::policy_error);
    CHECK(bad == mm::policy());

    // Nested groups in points and weighted_mean groups keep their points, required and weight.
    mm::rollup::group points, mean, inner_any, inner_mean;
    points.kind = mm::rollup::op::points;
    points.min_points = 4;
    points.items = {{"A", -1, 1.0, false}, {"", 1, 3.0, true}};
    inner_any.kind = mm::rollup::op::any_of;
    inner_any.items = {{"B", -1, 1.0, false}, {"C", -1, 1.0, false}};
    mean.kind = mm::rollup::op::weighted_mean;
    mean.items = {{"A", -1, 1.0, false}, {"", 1, 2.5, false}};
    inner_mean.kind = mm::rollup::op::weighted_mean;
    inner_mean.items = {{"B", -1, 1.0, false}, {"C", -1, 4.0, false}};
    mm::policy p;
    p.set_rollup("P", mm::rollup::from_groups({points, inner_any}));
    p.set_rollup("M", mm::rollup::from_groups({mean, inner_mean}));
    REQUIRE(p.problems().empty());
    const mm::policy again = mm::policy::from_json(p.to_json());
    CHECK(again == p);
    CHECK(again.to_json() == p.to_json());
    CHECK(p.to_json(-1).find(R"({"group":1,"points":3.0,"required":true})") != std::string::npos);
    CHECK(p.to_json(-1).find(R"({"group":1,"weight":2.5})") != std::string::npos);
  }
}
