// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// The `masterymap` program: the library's file-based work from a shell. One subcommand a file
// (validate.cpp, rate.cpp, groups.cpp, bkt.cpp, report.cpp,
// map.cpp); what they share is in common.cpp.
//
// Exit codes: 0 success; 1 a data error (the library's message, naming rows and ids, on
// stderr); 2 a usage error (CLI11's message); 130 interrupted by Ctrl-C.
#include <exception>
#include <functional>
#include <iostream>
#include <masterymap/config.hpp>
#include <string>
#include <utility>

#include "cli.hpp"

int main(int argc, char** argv) {
  using namespace masterymap::cli;
  CLI::App app{
      "masterymap: competency frameworks, mastery policies and evidence from the shell.\n"
      "Inputs and outputs named '-' are stdin and stdout.",
      "masterymap"};
  app.set_version_flag("--version", std::string("masterymap ") + MASTERYMAP_VERSION_STRING);
  app.require_subcommand(1);
  context ctx;
  add_validate(app, ctx);
  add_rate(app, ctx);
  add_groups(app, ctx);
  add_bkt(app, ctx);
  add_report(app, ctx);
  add_map(app, ctx);
  install_interrupt_handler();
  const std::function<bool(const CLI::App*)> every = [](const CLI::App*) { return true; };
  std::string names;
  bool known = false;
  for (const CLI::App* sub : std::as_const(app).get_subcommands(every)) {
    names += (names.empty() ? "" : ", ") + sub->get_name();
    known = known || (argc > 1 && sub->check_name(argv[1]));
  }
  if (argc > 1 && argv[1][0] != '-' && !known) {
    // CLI11 would say only "A subcommand is required".
    std::cerr << "masterymap: unknown subcommand '" << argv[1] << "' (one of: " << names
              << ")\nRun with --help for more information.\n";
    return exit_usage;
  }
  try {
    app.parse(argc, argv);  // runs the chosen subcommand's callback
  } catch (const CLI::ParseError& e) {
    // --help and --version come here too (exit code 0); anything else is a usage error.
    const int code = app.exit(e);
    return code == 0 ? exit_ok : exit_usage;
  } catch (...) {
    return report_error(ctx, std::current_exception());
  }
  return ctx.exit_code;
}
