// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// `masterymap groups`: learners grouped by the competency they are ready to learn, recently
// mastered or are stuck on (`group_by_frontier`, cohort.hpp; Python:
// `Roster.groups_by_frontier`), as CSV.
#include <masterymap/cohort.hpp>
#include <memory>

#include "cli.hpp"

namespace masterymap::cli {

namespace {

struct groups_options {
  roster_inputs in;
  std::string output = "-";
  std::string kind = "ready";
  frontier_group_options thresholds;
};

frontier_group parse_kind(const std::string& kind) {
  if (kind == "recent") return frontier_group::recent;
  if (kind == "stuck") return frontier_group::stuck;
  return frontier_group::ready;
}

// Columns as Python's Roster.groups_by_frontier: competency, learner, counted,
// first_evidence, last_evidence (ISO 8601 UTC; empty: none), and for stuck wheel_spinning and
// no_progress.
std::string groups_csv(const frontier_groups& g, const roster& r, bool stuck) {
  csv_writer out;
  out.field("competency").field("learner").field("counted").field("first_evidence");
  out.field("last_evidence");
  if (stuck) out.field("wheel_spinning").field("no_progress");
  out.end_row();
  const auto& fw = r.framework();
  const auto& learners = r.learners();
  for (std::size_t i = 0; i < g.learner.size(); ++i) {
    out.field(fw.at(g.competency[i]).id).field(learners[g.learner[i]]);
    out.integer(g.counted[i]).time(g.first[i]).time(g.last[i]);
    if (stuck) out.boolean((g.reasons[i] & 1U) != 0).boolean((g.reasons[i] & 2U) != 0);
    out.end_row();
  }
  return out.text();
}

void run_groups(context& ctx, const groups_options& o) {
  const roster r = load_roster(ctx, o.in);
  const frontier_group kind = parse_kind(o.kind);
  frontier_group_options thresholds = o.thresholds;
  thresholds.threads = o.in.threads;
  const frontier_groups g = group_by_frontier(r, kind, thresholds);
  write_output(o.output, groups_csv(g, r, kind == frontier_group::stuck));
}

}  // namespace

void add_groups(CLI::App& app, context& ctx) {
  auto o = std::make_shared<groups_options>();
  auto* sub = app.add_subcommand(
      "groups",
      "Groups learners by the competency they are ready to learn, recently mastered or are "
      "stuck on (Python: Roster.groups_by_frontier): CSV rows of competency and learner");
  add_roster_options(*sub, o->in);
  sub->add_option("-o,--output", o->output, "Groups CSV; '-' = stdout")->default_str("-");
  sub->add_option("-k,--kind", o->kind,
                  "ready (on the learner's frontier), recent (earned within --recent-days) or "
                  "stuck (wheel-spinning or no progress)")
      ->check(CLI::IsMember({"ready", "recent", "stuck"}))
      ->default_str("ready");
  sub->add_option("--stuck-evidence", o->thresholds.stuck_evidence,
                  "Stuck: at least this many counted pieces of evidence without mastery "
                  "(0 = off)")
      ->check(count_of<std::uint32_t>())
      ->default_str("10");
  sub->add_option("--stuck-days", o->thresholds.stuck_days,
                  "Stuck: working on it for at least this many days without mastery (0 = off)")
      ->check(days_check())
      ->default_str("30");
  sub->add_option("--recent-days", o->thresholds.recent_days,
                  "Recent: earned with evidence at most this many days before the evaluation time")
      ->check(days_check())
      ->default_str("14");
  add_progress_option(*sub, ctx);
  add_encoding_option(*sub, ctx);
  sub->callback([&ctx, o] {
    ctx.command = "groups";
    run_groups(ctx, *o);
  });
}

}  // namespace masterymap::cli
