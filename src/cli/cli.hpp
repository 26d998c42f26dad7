// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// Internal to the `masterymap` command-line program (src/cli): what the subcommands share —
// reading inputs ("-" = stdin), writing outputs ("-" = stdout), CSV output, the progress bar on
// stderr, and turning the library's exceptions into messages and exit codes.
#ifndef MASTERYMAP_SRC_CLI_CLI_HPP
#define MASTERYMAP_SRC_CLI_CLI_HPP

#include <CLI/CLI.hpp>
#include <cstdint>
#include <exception>
#include <initializer_list>
#include <limits>
#include <masterymap/engine.hpp>
#include <masterymap/evidence.hpp>
#include <masterymap/framework.hpp>
#include <masterymap/policy.hpp>
#include <masterymap/progress.hpp>
#include <masterymap/roster.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace masterymap::cli {

/// Exit codes: 0 success, 1 bad data (the library rejected an input), 2 bad usage (options),
/// 130 interrupted (Ctrl-C), as shells report a SIGINT death.
inline constexpr int exit_ok = 0;
inline constexpr int exit_data = 1;
inline constexpr int exit_usage = 2;
inline constexpr int exit_interrupted = 130;

/// A usage problem found after parsing (two inputs from stdin, ...): exit code 2.
class usage_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// What every subcommand shares: the options common to all and the outcome.
struct context {
  std::string progress = "auto";   ///< --progress=auto|always|never
  std::string encoding = "utf-8";  ///< --encoding of CSV inputs (utf-8, latin-1, cp1252)
  char delimiter = ',';            ///< --delimiter of CSV inputs
  std::string command;             ///< "rate", "bkt fit", ... (for messages)
  /// The input being read ("" when none): prefixes the library's messages about it.
  std::string reading;
  bool stdin_used = false;
  int exit_code = exit_ok;
};

/// Adds `--progress` (bound to ctx.progress) to a subcommand.
void add_progress_option(CLI::App& sub, context& ctx);
/// Checks a number of days option (--stuck-days, --recent-days): a finite number >= 0, else a
/// usage error saying so ("must be a number of days >= 0 (0 turns the test off), got -1").
CLI::Validator days_check();
/// Checks a count option (--stuck-evidence, --threads, --num-fits, ...): digits only, a whole
/// number in [lo, hi], else a usage error naming the range and the value ("expected a whole
/// number from 0 to 4294967295, got '-5'"), which CLI11's conversion would not ("Could not
/// convert: ...", or -5 wrapped around into an unsigned).
CLI::Validator count_check(std::uint64_t lo, std::uint64_t hi);
/// count_check over the whole range of T from `lo`.
template <typename T>
CLI::Validator count_of(T lo = 0) {
  return count_check(static_cast<std::uint64_t>(lo),
                     static_cast<std::uint64_t>(std::numeric_limits<T>::max()));
}
/// Checks a real-valued option: a finite number >= lo ("expected a number >= 0, got '0,5'
/// (decimal comma? use a point: 0.5)").
CLI::Validator number_check(double lo);
/// " (decimal comma? use a point: 0.75)" when `text` is a number written with a decimal comma
/// ("0,75"); else "".
[[nodiscard]] std::string decimal_comma_hint(std::string_view text);
/// Adds `--threads` (0 = all cores), checked with count_check.
void add_threads_option(CLI::App& sub, unsigned& threads);

/// Adds `--encoding` and `--delimiter` (bound to ctx.encoding, ctx.delimiter) for the CSV
/// inputs of a subcommand.
void add_encoding_option(CLI::App& sub, context& ctx);
/// Adds -f/--framework (native JSON) and --case (a CASE package): exactly one is required.
void add_framework_options(CLI::App& sub, std::string& json, std::string& case_package);
/// Adds `--as-of TIME` (ISO 8601 or Unix seconds; checked at parse time).
void add_as_of_option(CLI::App& sub, std::string& as_of);
/// The seconds of an `--as-of` text (empty text: none).
[[nodiscard]] std::optional<double> parse_as_of(const std::string& text);

// --- subcommands (one file each) -------------------------------------------------------------
void add_validate(CLI::App& app, context& ctx);
void add_rate(CLI::App& app, context& ctx);
void add_groups(CLI::App& app, context& ctx);
void add_bkt(CLI::App& app, context& ctx);
void add_report(CLI::App& app, context& ctx);
void add_map(CLI::App& app, context& ctx);

// --- inputs and outputs ------------------------------------------------------------------------
/// \throws usage_error when more than one of `paths` is "-" (checked before reading any).
void check_one_stdin(std::initializer_list<std::string_view> paths);
/// The whole text of `path` ("-": standard input, at most once per run); `what` names it in
/// errors ("policy file").
/// \throws masterymap::file_error; usage_error when stdin is read twice.
[[nodiscard]] std::string read_input(context& ctx, const std::string& path,
                                     const char* what = "file");
/// Writes `text` to `path` ("-": standard output), a file atomically (io::write_text_file).
/// \throws masterymap::file_error
void write_output(const std::string& path, const std::string& text);

/// A framework from its native JSON (`json_path`) or a CASE package (`case_path`): exactly one
/// of the two is non-empty.
[[nodiscard]] framework load_framework(context& ctx, const std::string& json_path,
                                       const std::string& case_path);
/// What this program says of each bkt rule of `p` (`bkt_rules`): it needs a fitted model's
/// probabilities, which no option passes; where to rate under it instead. Empty: none.
[[nodiscard]] std::vector<std::string> bkt_rule_notes(const policy& p);
/// The policy of the commands that rate (rate, groups, report, map): a policy with a bkt rule
/// is refused (policy_error, `bkt_rule_notes`) naming the file, before any evidence is read.
[[nodiscard]] policy load_policy(context& ctx, const std::string& path);
/// An evidence CSV (columns learner, competency, time, score, optional kind, weight, source,
/// timestamp; .csv.gz decompressed) checked against `checks`, as Python's
/// `EvidenceLog.read_csv`. Without a `no_labels_hint` in `checks`, one naming -p/--policy.
[[nodiscard]] evidence_log load_evidence(context& ctx, const std::string& path,
                                         const ingest_checks& checks);

/// `checks` opened to a school's own evidence kinds, as a roster takes them: any new kind is
/// accepted unless it is a near-miss of a built-in kind or one of `p`'s ("formativ").
[[nodiscard]] ingest_checks with_own_kinds(ingest_checks checks, const policy& p);

/// f() (building an engine or a roster of a framework and a policy), its policy_error (a policy
/// that does not fit the framework, a bkt rule without a source) reported as the policy file's
/// ("<stdin>" for "-"); any other error is not the policy's and names no file of it.
template <typename F>
auto blaming_the_policy(context& ctx, const std::string& policy_path, F&& f) {
  try {
    return f();
  } catch (const policy_error&) {
    ctx.reading = policy_path == "-" ? std::string("<stdin>") : policy_path;
    throw;
  }
}

/// The inputs of the subcommands that evaluate a whole roster (groups, report, map).
struct roster_inputs {
  std::string framework, case_package, policy, evidence = "-", as_of;
  unsigned threads = 0;
};
/// Adds -f/--framework, --case, -p/--policy, the evidence argument, --as-of and --threads.
void add_roster_options(CLI::App& sub, roster_inputs& in);
/// A roster of the framework and policy, every learner of the evidence ingested (progress bar
/// "ingest"). \throws what the readers and `roster::ingest` throw.
[[nodiscard]] roster load_roster(context& ctx, const roster_inputs& in);

/// Builds CSV text (RFC 4180: a field with a comma, quote or line break is quoted).
class csv_writer {
 public:
  csv_writer& field(std::string_view text);
  /// Shortest text that reads back as the same double; NaN is an empty field.
  csv_writer& number(double value);
  csv_writer& integer(std::uint64_t value);
  /// ISO 8601 UTC (`format_time`); NaN is an empty field.
  csv_writer& time(double seconds);
  csv_writer& boolean(bool value);
  void end_row();
  [[nodiscard]] const std::string& text() const noexcept { return out_; }

 private:
  void separate();
  std::string out_;
  bool row_started_ = false;
};

// --- progress ----------------------------------------------------------------------------------
/// A progress hook for one long call: draws a bar on stderr when the context asks for one
/// (`--progress=always`, or `auto` with stderr a terminal), and cancels the call with
/// masterymap::cancelled after Ctrl-C (always, bar or not).
[[nodiscard]] progress progress_bar(const context& ctx, std::string label);
/// Ends a bar line left open by a call that failed (before an error message).
void end_progress_line();
/// Installs the SIGINT handler (the first Ctrl-C cancels the running call; a second one, while
/// no call checks, ends the program as usual).
void install_interrupt_handler();

// --- errors ------------------------------------------------------------------------------------
/// Prints the library's message(s) of an exception to stderr, each line prefixed with
/// "masterymap <command>: " and the input being read; returns the exit code it maps to.
int report_error(const context& ctx, std::exception_ptr error);
/// Prints the problems of an exception one per line, prefixed with `prefix` (validate);
/// returns how many there are (at most 100 of one list are printed, then "... and N more").
/// Rethrows what is not a data error.
std::size_t print_problems(const std::string& prefix, std::exception_ptr error);

}  // namespace masterymap::cli

#endif  // MASTERYMAP_SRC_CLI_CLI_HPP
