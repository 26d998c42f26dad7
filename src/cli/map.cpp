// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// `masterymap map`: one learner's map as SVG laid out by Graphviz (`io::to_svg`; Python:
// `LearnerState.to_svg`), or as DOT text with `--dot` (works without Graphviz).
#include <masterymap/io/learner_map.hpp>
#include <memory>

#include "cli.hpp"

namespace masterymap::cli {

namespace {

struct map_cli_options {
  roster_inputs in;
  std::string learner, output = "-";
  bool dot = false;
  io::map_options map;
};

void run_map(context& ctx, const map_cli_options& o) {
  if (!o.dot && !io::have_graphviz())
    throw usage_error("this masterymap was built without Graphviz: use --dot for DOT text");
  const roster r = load_roster(ctx, o.in);
  const learner_state s = r.learner(o.learner);  // unknown_id_error names the learner
  write_output(o.output, o.dot ? io::to_dot(s, &r.log(), o.map) : io::to_svg(s, &r.log(), o.map));
}

}  // namespace

void add_map(CLI::App& app, context& ctx) {
  auto o = std::make_shared<map_cli_options>();
  auto* sub = app.add_subcommand(
      "map",
      "Draws one learner's map as SVG (Graphviz layout; Python: LearnerState.to_svg): nodes "
      "coloured and bordered by status, the frontier outlined, gaps marked");
  add_roster_options(*sub, o->in);
  sub->add_option("-l,--learner", o->learner, "The learner's id")->required();
  sub->add_option("-o,--output", o->output, "SVG file; '-' = stdout")->default_str("-");
  sub->add_flag("--dot", o->dot, "Write the Graphviz DOT text instead of SVG");
  sub->add_option("--rankdir", o->map.rankdir, "Graphviz rank direction")
      ->check(CLI::IsMember({"LR", "TB", "RL", "BT"}))
      ->default_str("LR");
  sub->add_flag("!--no-legend", o->map.legend, "Leave the legend out");
  sub->add_flag("!--no-clusters", o->map.clusters, "Do not box competencies by domain");
  sub->add_option("--tooltip-lines", o->map.tooltip_lines,
                  "Lines of the explanation in each tooltip (0: the status only)")
      ->check(count_of<std::size_t>())
      ->default_str("14");
  add_progress_option(*sub, ctx);
  add_encoding_option(*sub, ctx);
  sub->callback([&ctx, o] {
    ctx.command = "map";
    run_map(ctx, *o);
  });
}

}  // namespace masterymap::cli
