// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// `masterymap validate`: reads a framework (JSON or CASE package), a policy and an evidence CSV,
// each as far as the others allow, and lists every problem the library finds, one a line on
// stderr ("<file>: <problem>"); exit code 1 when there is any.
#include <fmt/format.h>

#include <algorithm>
#include <iostream>
#include <masterymap/io/case.hpp>
#include <memory>

#include "cli.hpp"

namespace masterymap::cli {

namespace {

struct validate_options {
  std::string framework, case_package, policy, evidence;
};

std::string shown(const std::string& path) { return path == "-" ? "<stdin>" : path; }

// Whether a policy problem concerns its scale ("scale: missing", "scale.ratings[2].value: ..."):
// then the scale read is the default one, not the file's, and cannot check scores.
bool names_the_scale(const std::vector<std::string>& found) {
  return std::any_of(found.begin(), found.end(), [](const std::string& t) {
    return t.compare(0, 5, "scale") == 0 && (t.size() == 5 || t[5] == ':' || t[5] == '.');
  });
}

// The checks of the evidence CSV: every one the inputs that loaded allow, and what they were
// ("checked against ..." on the ok line).
struct evidence_checks {
  ingest_checks checks;
  std::string against;
};

// `fw`: the framework, if it loaded (it must outlive the checks); `pol`: the policy, if it has no
// problem; `scale_of`: a policy with problems whose scale read cleanly (its score range and labels
// still check scores). Without a sound policy, new kinds are accepted unless they are a near-miss
// of a built-in kind ("formativ"); with one, of a built-in kind or the policy's.
evidence_checks evidence_checks_for(const framework* fw, const policy* pol, const policy* scale_of,
                                    bool fw_failed, const std::string& policy_name) {
  const bool policy_given = !policy_name.empty();
  evidence_checks out;
  ingest_checks& c = out.checks;
  // A score that is no number, with no scale's labels at hand: say why in this program's terms.
  c.no_labels_hint =
      policy_given
          ? fmt::format(
                "the labels of a scale come from the policy, and the scale of the "
                "policy file {} could not be read (its problems are listed above): "
                "mend it and pass it again with -p/--policy",
                policy_name)
          : std::string("to use the labels of a scale, pass its policy file with -p/--policy");
  if (fw && pol) {
    c = with_own_kinds(checks_for(*fw, *pol), *pol);
    out.against = ", checked against the framework and the policy";
    return out;
  }
  const policy* scale_from = pol ? pol : scale_of;
  if (scale_from) {
    const scale& sc = scale_from->scale();
    c.min_score = sc.score_min();
    c.max_score = sc.score_max();
    for (const auto& r : sc.ratings()) c.score_labels.emplace_back(r.label, r.value);
  }
  if (pol) {
    c = with_own_kinds(std::move(c), *pol);
  } else {
    c.accept_new_kinds = true;
    c.near_miss_kinds = builtin_kinds();
  }
  if (fw) {
    c.known_competency = [fw](std::string_view id) { return fw->contains(id); };
  }
  std::string what;  // what the rows were checked against
  if (fw) what = "the framework";
  if (pol || scale_of) {
    if (!what.empty()) what += " and ";
    what += pol ? "the policy" : "the policy's scale";
  }
  std::string why;  // why not against more
  if (fw_failed) why = "the framework has problems";
  if (policy_given && !pol) why += std::string(why.empty() ? "" : "; ") + "the policy has problems";
  if (what.empty())
    out.against = " (not checked against a framework or a policy" +
                  (why.empty() ? std::string() : ": " + why) + ")";
  else
    out.against = ", checked against " + what + (why.empty() ? std::string() : " (" + why + ")");
  return out;
}

void run_validate(context& ctx, const validate_options& o) {
  if (o.framework.empty() && o.case_package.empty() && o.policy.empty() && o.evidence.empty())
    throw usage_error(
        "nothing to validate: give a framework, a CASE package, a policy or "
        "an evidence CSV");
  check_one_stdin({o.framework, o.case_package, o.policy, o.evidence});
  std::size_t problems = 0;
  std::optional<framework> fw;
  std::optional<policy> pol;
  std::optional<policy> bad_policy;  // a policy with problems whose scale is sound
  bool fw_failed = false;

  const std::string& fw_path = o.framework.empty() ? o.case_package : o.framework;
  if (!fw_path.empty()) {
    const std::string name = shown(fw_path);
    try {
      const std::string text =
          read_input(ctx, fw_path, o.framework.empty() ? "CASE package" : "framework file");
      std::vector<std::string> notes;
      fw = o.framework.empty() ? io::parse_case(text, {}, &notes) : framework::from_json(text);
      for (const auto& note : notes) std::cerr << name << ": note: " << note << '\n';
      std::cout << fmt::format("{}: ok: framework '{}', {} competencies, {} prerequisites\n", name,
                               fw->name(), fw->size(), fw->edges().size());
    } catch (const usage_error&) {
      throw;
    } catch (...) {
      fw_failed = true;
      problems += print_problems(name + ": ", std::current_exception());
    }
  }

  if (!o.policy.empty()) {
    const std::string name = shown(o.policy);
    try {
      const std::string json_text = read_input(ctx, o.policy, "policy file");
      // Every problem reading it and of its rules, and the policy as far as it was read, so
      // the framework's checks (unknown ids, rollups) run too: both are reported.
      std::vector<std::string> found;
      policy p = policy::from_json_reporting(json_text, found);
      if (fw)
        for (auto& text : masterymap::problems(p, *fw))
          if (std::find(found.begin(), found.end(), text) == found.end())
            found.push_back(std::move(text));
      for (const auto& text : found) std::cerr << name << ": " << text << '\n';
      problems += found.size();
      if (found.empty()) {
        for (const auto& note : bkt_rule_notes(p)) std::cerr << name << ": note: " << note << '\n';
        std::cout << fmt::format("{}: ok: policy '{}'{}\n", name, p.name(),
                                 fw ? ", fits the framework" : "");
        pol = std::move(p);
      } else if (!names_the_scale(found)) {
        bad_policy = std::move(p);  // its scale read cleanly: the scores can still be checked
      }
    } catch (const usage_error&) {
      throw;
    } catch (...) {
      problems += print_problems(name + ": ", std::current_exception());
    }
  }

  if (!o.evidence.empty()) {
    const std::string name = shown(o.evidence);
    try {
      const evidence_checks ec = evidence_checks_for(
          fw ? &*fw : nullptr, pol ? &*pol : nullptr, bad_policy ? &*bad_policy : nullptr,
          fw_failed, o.policy.empty() ? std::string() : shown(o.policy));
      const ingest_checks& checks = ec.checks;
      const std::string& against = ec.against;
      const evidence_log log = load_evidence(ctx, o.evidence, checks);
      std::cout << fmt::format("{}: ok: {} rows, {} learners{}\n", name, log.size(),
                               log.learners().size(), against);
    } catch (const usage_error&) {
      throw;
    } catch (const cancelled&) {
      throw;
    } catch (...) {
      end_progress_line();
      problems += print_problems(name + ": ", std::current_exception());
    }
    ctx.reading.clear();
  }

  if (problems > 0) {
    std::cerr << (problems == 1 ? std::string("1 problem") : fmt::format("{} problems", problems))
              << '\n';
    ctx.exit_code = exit_data;
  }
}

}  // namespace

void add_validate(CLI::App& app, context& ctx) {
  auto o = std::make_shared<validate_options>();
  auto* sub = app.add_subcommand(
      "validate",
      "Checks a framework (JSON or CASE package), a policy (against the framework when given) "
      "and an evidence CSV (against both); lists every problem on stderr, exit code 1 if any");
  auto* group = sub->add_option_group("framework", "The competency framework (at most one)");
  group->add_option("-f,--framework", o->framework, "Framework JSON (masterymap format)");
  group->add_option("--case", o->case_package, "CASE 1.0/1.1 package JSON (CFPackage)");
  group->require_option(0, 1);
  sub->add_option("-p,--policy", o->policy, "Policy JSON");
  sub->add_option("evidence", o->evidence, "Evidence CSV; '-' = stdin");
  add_progress_option(*sub, ctx);
  add_encoding_option(*sub, ctx);
  sub->callback([&ctx, o] {
    ctx.command = "validate";
    run_validate(ctx, *o);
  });
}

}  // namespace masterymap::cli
