// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// `masterymap report`: the cohort report of every learner in an evidence CSV as one
// self-contained HTML file (`io::cohort_report_html`; Python: `Roster.report`), its bottleneck
// chart ranked by `bottlenecks` (cohort.hpp) with the same thresholds as the groups.
#include <masterymap/cohort.hpp>
#include <masterymap/io/report.hpp>
#include <memory>

#include "cli.hpp"

namespace masterymap::cli {

namespace {

struct report_cli_options {
  roster_inputs in;
  std::string output = "-";
  io::report_options report;
};

void run_report(context& ctx, const report_cli_options& o) {
  const roster r = load_roster(ctx, o.in);
  io::report_options options = o.report;
  options.threads = o.in.threads;
  options.groups.threads = o.in.threads;
  for (bottleneck& b : bottlenecks(r, options.groups)) {
    std::vector<std::string> reasons;
    if (!b.reasons.empty()) reasons.push_back(std::move(b.reasons));
    options.bottlenecks.push_back(
        io::report_bottleneck{r.framework().at(b.competency).id, b.score, std::move(reasons)});
  }
  write_output(o.output, io::cohort_report_html(r, options));
}

}  // namespace

void add_report(CLI::App& app, context& ctx) {
  auto o = std::make_shared<report_cli_options>();
  auto* sub = app.add_subcommand(
      "report",
      "Writes the cohort report of every learner in the evidence as one self-contained HTML "
      "file (no script, no network; Python: Roster.report)");
  add_roster_options(*sub, o->in);
  sub->add_option("-o,--output", o->output, "HTML file; '-' = stdout")->default_str("-");
  sub->add_option("--title", o->report.title, "Page title (default: 'Cohort report: <name>')");
  sub->add_flag("!--no-names", o->report.names,
                "Counts only: no learner ids in the groups and the heatmap's tooltips");
  sub->add_option("--heatmap-max-cells", o->report.heatmap_max_cells,
                  "Draw the learners x competencies heatmap up to this many cells")
      ->check(count_of<std::size_t>())
      ->default_str("40000");
  sub->add_option("--max-curves", o->report.max_curves, "At most this many Kaplan-Meier panels")
      ->check(count_of<std::size_t>())
      ->default_str("36");
  sub->add_option("--stuck-evidence", o->report.groups.stuck_evidence,
                  "Stuck: at least this many counted pieces of evidence without mastery "
                  "(0 = off)")
      ->check(count_of<std::uint32_t>())
      ->default_str("10");
  sub->add_option("--stuck-days", o->report.groups.stuck_days,
                  "Stuck: working on it for at least this many days without mastery (0 = off)")
      ->check(days_check())
      ->default_str("30");
  sub->add_option("--recent-days", o->report.groups.recent_days,
                  "Recent: earned with evidence at most this many days before the evaluation time")
      ->check(days_check())
      ->default_str("14");
  add_progress_option(*sub, ctx);
  add_encoding_option(*sub, ctx);
  sub->callback([&ctx, o] {
    ctx.command = "report";
    run_report(ctx, *o);
  });
}

}  // namespace masterymap::cli
