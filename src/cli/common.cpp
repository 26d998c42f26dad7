// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// What the subcommands of the `masterymap` program share (see cli.hpp).
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <iterator>
#include <limits>
#include <masterymap/io/case.hpp>
#include <masterymap/io/file.hpp>
#include <memory>
#include <new>
#include <optional>
#include <stdexcept>
#include <string>
#include <system_error>

#include "../decimal_comma.hpp"
#include "cli.hpp"

namespace masterymap::cli {

namespace {

volatile std::sig_atomic_t interrupted = 0;
bool line_open = false;  // a progress bar line without its newline yet

extern "C" void on_interrupt(int /*signal*/) { interrupted = 1; }

bool stderr_is_terminal() { return ::isatty(STDERR_FILENO) != 0; }

// Runs f() with ctx.reading naming `path` (for messages about that input).
template <typename F>
auto reading(context& ctx, const std::string& path, F&& f) {
  ctx.reading = path == "-" ? std::string("<stdin>") : path;
  auto result = f();
  ctx.reading.clear();
  return result;
}

}  // namespace

// --- options -----------------------------------------------------------------------------------

void add_progress_option(CLI::App& sub, context& ctx) {
  sub.add_option("--progress", ctx.progress,
                 "Progress bar on stderr: auto (when stderr is a terminal), always or never")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->default_str("auto");
}

std::string decimal_comma_hint(std::string_view text) {
  return masterymap::detail::decimal_comma_hint(text);
}

namespace {
// The number a whole option text spells (std::stod reading every character), else nothing.
std::optional<double> whole_number_text(const std::string& text) {
  std::size_t used = 0;
  double v = 0;
  try {
    v = std::stod(text, &used);
  } catch (const std::exception&) {
    return std::nullopt;
  }
  if (used == 0 || used != text.size()) return std::nullopt;
  return v;
}
}  // namespace

CLI::Validator days_check() {
  return CLI::Validator(
      [](const std::string& text) -> std::string {
        const std::optional<double> v = whole_number_text(text);
        if (!v || !(*v >= 0) || std::isinf(*v))
          return "must be a number of days >= 0 (0 turns the test off), got '" + text + "'" +
                 decimal_comma_hint(text);
        return {};
      },
      "DAYS");
}

CLI::Validator number_check(double lo) {
  return CLI::Validator(
      [lo](const std::string& text) -> std::string {
        const std::optional<double> v = whole_number_text(text);
        if (!v || !(*v >= lo) || std::isinf(*v))
          return fmt::format("expected a number >= {}, got '{}'{}", lo, text,
                             decimal_comma_hint(text));
        return {};
      },
      fmt::format("NUMBER >= {}", lo));
}

CLI::Validator count_check(std::uint64_t lo, std::uint64_t hi) {
  return CLI::Validator(
      [lo, hi](const std::string& text) -> std::string {
        // Digits only (no sign, no spaces): CLI11 would read "-5" into an unsigned as a huge
        // number, or stop at "1,5" with "Could not convert".
        std::uint64_t v = 0;
        bool ok = !text.empty() && text.size() <= 20;
        for (const char ch : text) {
          if (ch < '0' || ch > '9' ||
              v > (std::numeric_limits<std::uint64_t>::max() -
                   static_cast<std::uint64_t>(ch - '0')) /
                      10) {
            ok = false;
            break;
          }
          v = v * 10 + static_cast<std::uint64_t>(ch - '0');
        }
        if (!ok || v < lo || v > hi) {
          std::string hint;
          if (text.find(',') != std::string::npos || text.find('.') != std::string::npos)
            hint = " (a whole number, without a decimal or thousands separator)";
          return fmt::format("expected a whole number from {} to {}, got '{}'{}", lo, hi, text,
                             hint);
        }
        return {};
      },
      fmt::format("INT in [{}, {}]", lo, hi));
}

void add_encoding_option(CLI::App& sub, context& ctx) {
  sub.add_option("--encoding", ctx.encoding,
                 "Encoding of the CSV input: utf-8, latin-1 or cp1252 (a byte order mark, UTF-8 "
                 "or UTF-16, is recognised whatever this says)")
      ->check(
          [](const std::string& text) -> std::string {
            try {
              (void)parse_text_encoding(text);
              return {};
            } catch (const std::invalid_argument& e) {
              return e.what();
            }
          },
          "ENCODING")
      ->default_str("utf-8");
  // "tab" in any case, or one ASCII character (a byte: the tokenizer splits on bytes).
  const auto is_tab = [](std::string t) {
    for (char& ch : t) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return t == "tab" || t == "\\t";
  };
  sub.add_option_function<std::string>(
         "--delimiter",
         [&ctx, is_tab](const std::string& text) {
           ctx.delimiter = is_tab(text) ? '\t' : text.front();
         },
         "Field separator of the CSV input: ',' (default), ';', 'tab' (as Excel's \"Unicode "
         "text\" is) or another ASCII character")
      ->check(
          [is_tab](const std::string& text) -> std::string {
            if (is_tab(text)) return {};
            if (text.size() != 1 || static_cast<unsigned char>(text[0]) >= 0x80)
              return "expected one ASCII character or 'tab', got '" + text + "'";
            if (text == "\"" || text == "\r" || text == "\n")
              return "cannot be a quote or a line break";
            return {};
          },
          "CHAR");
}

void add_framework_options(CLI::App& sub, std::string& json, std::string& case_package) {
  auto* group = sub.add_option_group("framework", "The competency framework (one of)");
  group->add_option("-f,--framework", json, "Framework JSON (masterymap format)");
  group->add_option("--case", case_package, "CASE 1.0/1.1 package JSON (CFPackage)");
  group->require_option(1);
}

void add_as_of_option(CLI::App& sub, std::string& as_of) {
  sub.add_option("--as-of", as_of,
                 "Evaluation time (ISO 8601 date or date-time, or Unix seconds); evidence after "
                 "it is ignored. Default: the latest evidence time in the input")
      ->check(
          [](const std::string& text) -> std::string {
            const std::optional<double> t = parse_time(text);
            if (!t) return "not a time: '" + text + "'" + decimal_comma_hint(text);
            return time_problem(*t);
          },
          "TIME");
}

std::optional<double> parse_as_of(const std::string& text) {
  if (text.empty()) return std::nullopt;
  return parse_time(text);
}

// --- inputs and outputs ------------------------------------------------------------------------

void check_one_stdin(std::initializer_list<std::string_view> paths) {
  if (std::count(paths.begin(), paths.end(), std::string_view("-")) > 1)
    throw usage_error("only one input can be read from stdin ('-')");
}

std::string read_input(context& ctx, const std::string& path, const char* what) {
  if (path != "-") return io::read_text_file(path, what);
  if (ctx.stdin_used) throw usage_error("only one input can be read from stdin ('-')");
  ctx.stdin_used = true;
  std::string text(std::istreambuf_iterator<char>(std::cin), {});
  if (std::cin.bad())
    throw file_error("<stdin>", std::make_error_code(std::errc::io_error), "cannot read");
  return text;
}

void write_output(const std::string& path, const std::string& text) {
  if (path != "-") {
    io::write_text_file(path, text);
    return;
  }
  std::cout.write(text.data(), static_cast<std::streamsize>(text.size()));
  std::cout.flush();
  if (!std::cout)
    throw file_error("<stdout>", std::make_error_code(std::errc::io_error), "cannot write");
}

framework load_framework(context& ctx, const std::string& json_path, const std::string& case_path) {
  const std::string& path = json_path.empty() ? case_path : json_path;
  return reading(ctx, path, [&] {
    const std::string text =
        read_input(ctx, path, json_path.empty() ? "CASE package" : "framework file");
    return json_path.empty() ? io::parse_case(text) : framework::from_json(text);
  });
}

std::vector<std::string> bkt_rule_notes(const policy& p) {
  std::vector<std::string> out;
  for (const auto& path : bkt_rules(p))
    out.push_back(fmt::format(
        "{}.method: a bkt rule rates from a fitted BKT model's probabilities, which this "
        "program cannot pass (rate, groups, report and map refuse such a policy): rate under "
        "it from Python (mm.ratings(..., probabilities=model.probability_source())) or C++ "
        "(evaluate_options::probabilities), or use another method here; 'masterymap bkt fit' "
        "fits a model to a response CSV and 'bkt predict' gives P(mastered) after each answer",
        path));
  return out;
}

policy load_policy(context& ctx, const std::string& path) {
  return reading(ctx, path, [&] {
    policy p = policy::from_json(read_input(ctx, path, "policy file"));
    if (auto notes = bkt_rule_notes(p); !notes.empty()) throw policy_error(std::move(notes));
    return p;
  });
}

evidence_log load_evidence(context& ctx, const std::string& path, const ingest_checks& checks) {
  return reading(ctx, path, [&] {
    evidence_log log;
    const progress bar = progress_bar(ctx, "reading");
    csv_columns columns;
    columns.encoding = parse_text_encoding(ctx.encoding);
    columns.delimiter = ctx.delimiter;
    const ingest_checks* used = &checks;
    ingest_checks with_hint;  // the library's hint names Python's and C++'s ways: name ours
    if (checks.no_labels_hint.empty()) {
      with_hint = checks;
      with_hint.no_labels_hint =
          "to use the labels of a scale, pass its policy file with -p/--policy";
      used = &with_hint;
    }
    if (path == "-") {
      if (ctx.stdin_used) throw usage_error("only one input can be read from stdin ('-')");
      ctx.stdin_used = true;
      log.append_csv(std::cin, columns, *used, bar);
    } else {
      log.read_csv(path, columns, *used, bar);
    }
    return log;
  });
}

ingest_checks with_own_kinds(ingest_checks checks, const policy& p) {
  checks.accept_new_kinds = true;
  evidence_log known;  // the built-in kinds, then the policy's
  for (const auto& k : p.kinds()) known.add_kind(k);
  checks.near_miss_kinds = known.kinds();
  return checks;
}

void add_threads_option(CLI::App& sub, unsigned& threads) {
  sub.add_option("--threads", threads,
                 "Worker threads (0 = all cores); results do not depend on it")
      ->check(count_check(0, std::numeric_limits<unsigned>::max()))
      ->default_str("0");
}

void add_roster_options(CLI::App& sub, roster_inputs& in) {
  add_framework_options(sub, in.framework, in.case_package);
  sub.add_option("-p,--policy", in.policy, "Policy JSON")->required();
  sub.add_option("evidence", in.evidence, "Evidence CSV (as for rate); '-' = stdin")
      ->default_str("-");
  add_as_of_option(sub, in.as_of);
  add_threads_option(sub, in.threads);
}

roster load_roster(context& ctx, const roster_inputs& in) {
  check_one_stdin({in.framework, in.case_package, in.policy, in.evidence});
  framework fw = load_framework(ctx, in.framework, in.case_package);
  policy p = load_policy(ctx, in.policy);
  roster_options ro;
  ro.as_of = parse_as_of(in.as_of);
  ro.threads = in.threads;
  roster r = blaming_the_policy(ctx, in.policy,
                                [&] { return roster(std::move(fw), std::move(p), std::move(ro)); });
  const evidence_log log =
      load_evidence(ctx, in.evidence, with_own_kinds(r.engine().checks(), r.policy()));
  r.ingest(log, progress_bar(ctx, "ingest"));
  return r;
}

// --- CSV ---------------------------------------------------------------------------------------

void csv_writer::separate() {
  if (row_started_) out_ += ',';
  row_started_ = true;
}

csv_writer& csv_writer::field(std::string_view text) {
  separate();
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) {
    out_ += text;
    return *this;
  }
  out_ += '"';
  for (const char c : text) {
    if (c == '"') out_ += '"';
    out_ += c;
  }
  out_ += '"';
  return *this;
}

csv_writer& csv_writer::number(double value) {
  separate();
  if (value == value) out_ += fmt::format("{}", value);  // NaN: empty
  return *this;
}

csv_writer& csv_writer::integer(std::uint64_t value) {
  separate();
  out_ += fmt::format("{}", value);
  return *this;
}

csv_writer& csv_writer::time(double seconds) {
  separate();
  if (seconds == seconds) out_ += format_time(seconds);
  return *this;
}

csv_writer& csv_writer::boolean(bool value) {
  separate();
  out_ += value ? "true" : "false";
  return *this;
}

void csv_writer::end_row() {
  out_ += '\n';
  row_started_ = false;
}

// --- progress ----------------------------------------------------------------------------------

progress progress_bar(const context& ctx, std::string label) {
  const bool draw = ctx.progress == "always" || (ctx.progress == "auto" && stderr_is_terminal());
  progress p;
  p.interval = std::chrono::milliseconds(100);
  auto finished = std::make_shared<bool>(false);
  p.report = [draw, finished, label = std::move(label)](std::uint64_t done, std::uint64_t total) {
    if (interrupted != 0) throw cancelled("interrupted");
    if (!draw || total == 0 || *finished) return;
    constexpr std::size_t width = 30;
    const double fraction = std::min(1.0, static_cast<double>(done) / static_cast<double>(total));
    const auto filled = static_cast<std::size_t>(fraction * static_cast<double>(width));
    const std::string bar =
        fmt::format("\r{:<8} [{}{}] {:3}%", label, std::string(filled, '#'),
                    std::string(width - filled, '.'), static_cast<int>(fraction * 100.0));
    std::fputs(bar.c_str(), stderr);
    if (done >= total) {
      std::fputc('\n', stderr);
      *finished = true;
      line_open = false;
    } else {
      line_open = true;
    }
    std::fflush(stderr);
  };
  return p;
}

void end_progress_line() {
  if (!line_open) return;
  std::fputc('\n', stderr);
  line_open = false;
}

void install_interrupt_handler() {
  struct sigaction action {};
  action.sa_handler = on_interrupt;
  sigemptyset(&action.sa_mask);
  // The first Ctrl-C is seen by the next progress report; the handler then reverts to the
  // default, so a second one ends a program that is not in a long call (e.g. reading stdin).
  action.sa_flags = SA_RESETHAND | SA_RESTART;
  sigaction(SIGINT, &action, nullptr);
}

// --- errors ------------------------------------------------------------------------------------

namespace {
// At most this many problems of one input are printed, then "... and N more" (a file with a
// wrong delimiter has a problem on every row; the count line still counts them all).
constexpr std::size_t shown_problems = 100;

template <typename List, typename Text>
std::size_t print_list(const std::string& prefix, const List& list, Text text) {
  for (std::size_t i = 0; i < list.size() && i < shown_problems; ++i)
    std::cerr << prefix << text(list[i]) << '\n';
  if (list.size() > shown_problems)
    std::cerr << prefix << "... and " << list.size() - shown_problems << " more\n";
  return list.size();
}
}  // namespace

std::size_t print_problems(const std::string& prefix, std::exception_ptr failure) {
  try {
    std::rethrow_exception(failure);
  } catch (const validation_error& e) {
    // evidence_error too: its messages name the row and, from a file, its line ("row 1 (line
    // 3): unknown competency 'X'").
    return print_list(prefix, e.problems(), [](const problem& p) { return p.message; });
  } catch (const policy_error& e) {
    return print_list(prefix, e.problems(), [](const std::string& p) { return p; });
  } catch (const masterymap::error& e) {  // parse_error (with its position), unknown_id_error, ...
    std::cerr << prefix << e.what() << '\n';
    return 1;
  } catch (const std::invalid_argument& e) {
    std::cerr << prefix << e.what() << '\n';
    return 1;
  } catch (const std::out_of_range& e) {
    std::cerr << prefix << e.what() << '\n';
    return 1;
  } catch (const std::length_error& e) {
    std::cerr << prefix << e.what() << '\n';
    return 1;
  }
}

int report_error(const context& ctx, std::exception_ptr failure) {
  end_progress_line();
  const std::string prefix = "masterymap " + ctx.command + ": ";
  try {
    std::rethrow_exception(failure);
  } catch (const usage_error& e) {
    std::cerr << prefix << e.what() << "\nRun with --help for more information.\n";
    return exit_usage;
  } catch (const cancelled&) {
    std::cerr << prefix << "interrupted\n";
    return exit_interrupted;
  } catch (const file_error& e) {  // names its file already
    std::cerr << prefix << e.what() << '\n';
    return exit_data;
  } catch (...) {
  }
  try {
    print_problems(ctx.reading.empty() ? prefix : prefix + ctx.reading + ": ", failure);
    return exit_data;
  } catch (const std::bad_alloc&) {
    std::cerr << prefix << "out of memory\n";
  } catch (const std::exception& e) {
    std::cerr << prefix << "error: " << e.what() << '\n';
  } catch (...) {
    std::cerr << prefix << "unknown error\n";
  }
  return exit_data;
}

}  // namespace masterymap::cli
