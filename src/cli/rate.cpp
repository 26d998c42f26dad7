// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// `masterymap rate`: an evidence CSV in, the ratings of every learner out (CSV), computed by the
// bulk path `engine::ratings`: the same table as Python's `mm.ratings`.
#include <limits>
#include <memory>

#include "cli.hpp"

namespace masterymap::cli {

namespace {

struct rate_options {
  std::string framework, case_package, policy, evidence = "-", output = "-", as_of;
  bool all_competencies = false;
  unsigned threads = 0;
};

// Columns learner, competency, status, score, rating, evidence: one row per (learner,
// competency) that is not not_started (every pair with `all`), learners in order of first
// appearance, competencies in framework order.
std::string ratings_csv(const ratings_table& t, const engine& eng, bool all) {
  const auto& fw = eng.framework();
  const auto& scale = eng.policy().scale().ratings();
  csv_writer out;
  out.field("learner").field("competency").field("status").field("score").field("rating");
  out.field("evidence").end_row();
  const auto row = [&](std::size_t l, std::size_t c, status s, double score, int rating,
                       std::uint64_t evidence) {
    out.field(t.learners[l]).field(fw.at(static_cast<index_t>(c)).id).field(to_string(s));
    out.number(score);
    out.field(rating >= 0 ? std::string_view(scale[static_cast<std::size_t>(rating)].label)
                          : std::string_view());
    out.integer(evidence).end_row();
  };
  const std::size_t n = t.learner.size();
  if (!all) {
    for (std::size_t i = 0; i < n; ++i)
      row(t.learner[i], t.competency[i], t.statuses[i], t.scores[i], t.ratings[i],
          t.evidence_counts[i]);
    return out.text();
  }
  std::size_t i = 0;
  for (std::size_t l = 0; l < t.learners.size(); ++l) {
    for (std::size_t c = 0; c < t.competencies; ++c) {
      if (i < n && t.learner[i] == l && t.competency[i] == c) {
        row(l, c, t.statuses[i], t.scores[i], t.ratings[i], t.evidence_counts[i]);
        ++i;
      } else {
        row(l, c, status::not_started, std::numeric_limits<double>::quiet_NaN(), -1, 0);
      }
    }
  }
  return out.text();
}

void run_rate(context& ctx, const rate_options& o) {
  check_one_stdin({o.framework, o.case_package, o.policy, o.evidence});
  framework fw = load_framework(ctx, o.framework, o.case_package);
  policy p = load_policy(ctx, o.policy);
  const engine eng =
      blaming_the_policy(ctx, o.policy, [&] { return engine(std::move(fw), std::move(p)); });
  // A school's own evidence kinds are accepted (a near-miss of a known kind is still an error).
  const evidence_log log =
      load_evidence(ctx, o.evidence, with_own_kinds(eng.checks(), eng.policy()));
  evaluate_options options;
  options.as_of = parse_as_of(o.as_of);
  options.threads = o.threads;
  const ratings_table t = eng.ratings(log, options, progress_bar(ctx, "rating"));
  write_output(o.output, ratings_csv(t, eng, o.all_competencies));
}

}  // namespace

void add_rate(CLI::App& app, context& ctx) {
  auto o = std::make_shared<rate_options>();
  auto* sub = app.add_subcommand(
      "rate",
      "Rates every learner of an evidence CSV under a policy: one CSV row per (learner, "
      "competency) with status, score, rating and evidence count (Python: mm.ratings)");
  add_framework_options(*sub, o->framework, o->case_package);
  sub->add_option("-p,--policy", o->policy, "Policy JSON")->required();
  sub->add_option(
         "evidence", o->evidence,
         "Evidence CSV (learner, competency, time, score[, kind, weight, source, timestamp]; "
         ".csv.gz read too); '-' = stdin")
      ->default_str("-");
  sub->add_option("-o,--output", o->output, "Ratings CSV; '-' = stdout")->default_str("-");
  add_as_of_option(*sub, o->as_of);
  sub->add_flag("--all-competencies", o->all_competencies,
                "One row per learner and competency, not_started ones included");
  add_threads_option(*sub, o->threads);
  add_progress_option(*sub, ctx);
  add_encoding_option(*sub, ctx);
  sub->callback([&ctx, o] {
    ctx.command = "rate";
    run_rate(ctx, *o);
  });
}

}  // namespace masterymap::cli
