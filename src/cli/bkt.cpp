// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// `masterymap bkt fit | predict | evaluate`: Bayesian Knowledge Tracing on a response CSV
// (bkt.hpp; Python: masterymap.bkt).
#include <limits>
#include <masterymap/bkt.hpp>
#include <memory>
#include <stdexcept>

#include "cli.hpp"

namespace masterymap::cli {

namespace {

// What every bkt subcommand reads: the response CSV and its columns.
struct data_options {
  std::string data = "-";
  bkt::csv_options csv;
  std::string multi_skill = "keep";
};

struct fit_cli_options {
  data_options in;
  std::string output = "-";
  bkt::fit_options fit;
  std::string restarts = "screen";
};

struct model_cli_options {
  data_options in;
  std::string model, output = "-", unknown = "average";
};

void add_data_options(CLI::App& sub, data_options& d) {
  sub.add_option("data", d.data, "Response CSV (one row per answer; .csv.gz read too); '-' = stdin")
      ->default_str("-");
  sub.add_option("--learner-column", d.csv.columns.learner, "Learner column")
      ->default_str("user_id");
  sub.add_option("--skill-column", d.csv.columns.skill, "Skill column")->default_str("skill_name");
  sub.add_option("--correct-column", d.csv.columns.correct, "Answer column (0 or 1)")
      ->default_str("correct");
  sub.add_option("--order-column", d.csv.columns.order,
                 "Sort key of the answers (a number or an ISO 8601 time); default: file order");
  sub.add_option("--item-class-column", d.csv.columns.item_class,
                 "Item class column, for guess and slip per class (--multigs)");
  sub.add_option("--multi-skill", d.multi_skill,
                 "A skill name joining several skills (A_B): keep it as one skill, split the "
                 "row into one per skill, or reject it")
      ->check(CLI::IsMember({"keep", "split", "reject"}))
      ->default_str("keep");
  sub.add_option("--skill-separator", d.csv.skill_separator, "Separator of joined skill names")
      ->default_str("_");
}

bkt::dataset load_data(context& ctx, data_options& d) {
  d.csv.multi_skill = bkt::parse_multi_skill(d.multi_skill);
  d.csv.encoding = parse_text_encoding(ctx.encoding);
  d.csv.delimiter = ctx.delimiter;
  ctx.reading = d.data == "-" ? std::string("<stdin>") : d.data;
  const progress bar = progress_bar(ctx, "reading");
  bkt::dataset data = d.data == "-"
                          ? bkt::parse_csv(read_input(ctx, d.data, "response CSV"), d.csv, bar)
                          : bkt::read_csv(d.data, d.csv, bar);
  ctx.reading.clear();
  return data;
}

bkt::model load_model(context& ctx, const std::string& path) {
  ctx.reading = path == "-" ? std::string("<stdin>") : path;
  bkt::model m = bkt::model::from_json(read_input(ctx, path, "model file"));
  ctx.reading.clear();
  return m;
}

void run_fit(context& ctx, fit_cli_options& o) {
  o.fit.restarts = bkt::parse_restart_strategy(o.restarts);
  try {
    bkt::validate(o.fit);  // options on their own: a usage error
  } catch (const std::invalid_argument& e) {
    throw usage_error(e.what());
  }
  const bkt::dataset data = load_data(ctx, o.in);
  const bkt::model m = bkt::fit(data, o.fit, progress_bar(ctx, "fitting"));
  write_output(o.output, m.to_json(2) + "\n");
}

// Columns: row (the 0-based data row of the input), learner, skill, correct (named as in the
// input), correct_predictions (P(correct) before the answer), state_predictions (P(mastered)
// after it), as Python's Model.predict adds them.
void run_predict(context& ctx, model_cli_options& o) {
  check_one_stdin({o.model, o.in.data});
  const bkt::model m = load_model(ctx, o.model);
  const bkt::dataset data = load_data(ctx, o.in);
  const bkt::prediction p =
      m.predict(data, bkt::parse_unknown_skill(o.unknown), progress_bar(ctx, "predict"));
  csv_writer out;
  const auto& cols = o.in.csv.columns;
  out.field("row").field(cols.learner).field(cols.skill).field(cols.correct);
  out.field("correct_predictions").field("state_predictions").end_row();
  for (std::size_t i = 0; i < data.size(); ++i) {
    out.integer(data.source_row()[i]).field(data.learner_names()[data.learners()[i]]);
    out.field(data.skill_names()[data.skills()[i]]).integer(data.correct()[i]);
    out.number(p.correct[i]).number(p.state[i]).end_row();
  }
  write_output(o.output, out.text());
}

// One row: auc, rmse, accuracy, log_likelihood, count (rows scored).
void run_evaluate(context& ctx, model_cli_options& o) {
  check_one_stdin({o.model, o.in.data});
  const bkt::model m = load_model(ctx, o.model);
  const bkt::dataset data = load_data(ctx, o.in);
  const bkt::metrics r =
      m.evaluate(data, bkt::parse_unknown_skill(o.unknown), progress_bar(ctx, "predict"));
  csv_writer out;
  out.field("auc").field("rmse").field("accuracy").field("log_likelihood").field("count");
  out.end_row();
  out.number(r.auc).number(r.rmse).number(r.accuracy).number(r.log_likelihood);
  out.integer(r.count).end_row();
  write_output(o.output, out.text());
}

void add_model_options(CLI::App& sub, model_cli_options& o) {
  sub.add_option("-m,--model", o.model, "Model JSON written by `bkt fit` (or Python's save)")
      ->required();
  sub.add_option("--unknown", o.unknown,
                 "A skill the model does not know: average (the mean parameters), nan or error")
      ->check(CLI::IsMember({"average", "nan", "error"}))
      ->default_str("average");
}

}  // namespace

void add_bkt(CLI::App& app, context& ctx) {
  auto* bkt = app.add_subcommand("bkt", "Bayesian Knowledge Tracing: fit, predict, evaluate");
  bkt->require_subcommand(1);

  auto f = std::make_shared<fit_cli_options>();
  auto* fit = bkt->add_subcommand(
      "fit", "Fits one BKT model per skill by EM with seeded restarts; writes the model JSON");
  add_data_options(*fit, f->in);
  fit->add_option("-o,--output", f->output, "Model JSON; '-' = stdout")->default_str("-");
  fit->add_option("--num-fits", f->fit.num_fits, "Restarts per skill")
      ->check(count_of<int>(1))
      ->default_str("5");
  fit->add_option("--seed", f->fit.seed, "Seed of the restarts")
      ->check(count_of<std::uint64_t>())
      ->default_str("42");
  fit->add_option("--max-iterations", f->fit.max_iterations, "EM iterations per restart")
      ->check(count_of<int>(1))
      ->default_str("300");
  fit->add_option("--tolerance", f->fit.tolerance,
                  "Stop when the log-likelihood gain per observation falls below this")
      ->check(number_check(0))
      ->default_str("1e-06");
  fit->add_option("--restarts", f->restarts,
                  "screen (short runs, the best continues) or full (every restart converges)")
      ->check(CLI::IsMember({"screen", "full"}))
      ->default_str("screen");
  fit->add_flag("--forgets", f->fit.forgets, "Fit a forgetting probability");
  fit->add_flag("--multigs", f->fit.multigs,
                "Guess and slip per item class (needs --item-class-column)");
  fit->add_option("--skills", f->fit.skills, "Fit only these skills (comma-separated)")
      ->delimiter(',');
  add_threads_option(*fit, f->fit.threads);
  add_progress_option(*fit, ctx);
  add_encoding_option(*fit, ctx);
  fit->callback([&ctx, f] {
    ctx.command = "bkt fit";
    run_fit(ctx, *f);
  });

  auto p = std::make_shared<model_cli_options>();
  auto* predict = bkt->add_subcommand(
      "predict",
      "Per answer, P(correct) before it and P(mastered) after it (CSV: row, learner, skill, "
      "correct, correct_predictions, state_predictions)");
  add_data_options(*predict, p->in);
  add_model_options(*predict, *p);
  predict->add_option("-o,--output", p->output, "Predictions CSV; '-' = stdout")->default_str("-");
  add_progress_option(*predict, ctx);
  add_encoding_option(*predict, ctx);
  predict->callback([&ctx, p] {
    ctx.command = "bkt predict";
    run_predict(ctx, *p);
  });

  auto e = std::make_shared<model_cli_options>();
  auto* evaluate =
      bkt->add_subcommand("evaluate",
                          "Scores the model's predictions against the answers (CSV: auc, rmse, "
                          "accuracy, log_likelihood, count)");
  add_data_options(*evaluate, e->in);
  add_model_options(*evaluate, *e);
  evaluate->add_option("-o,--output", e->output, "Metrics CSV; '-' = stdout")->default_str("-");
  add_progress_option(*evaluate, ctx);
  add_encoding_option(*evaluate, ctx);
  evaluate->callback([&ctx, e] {
    ctx.command = "bkt evaluate";
    run_evaluate(ctx, *e);
  });
}

}  // namespace masterymap::cli
