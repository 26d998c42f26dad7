// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// The learner record's credential part against the recomputed ratings (see
// record_credential.hpp).
#include "record_credential.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstddef>
#include <optional>
#include <string_view>
#include <utility>

namespace masterymap::io::detail {

namespace {

using nlohmann::json;

bool earned(status s) {
  return s == status::mastered || s == status::exceeded || s == status::exempt;
}

/// `node[key]` when `node` is an object that has it; else null.
const json* field(const json& node, const char* key) {
  if (!node.is_object()) return nullptr;
  const auto it = node.find(key);
  return it == node.end() ? nullptr : &*it;
}

/// The competency id an Achievement names (its `humanCode`), or nothing.
std::optional<std::string> human_code(const json* achievement) {
  if (achievement == nullptr) return std::nullopt;
  const json* code = field(*achievement, "humanCode");
  if (code == nullptr || !code->is_string()) return std::nullopt;
  return code->get<std::string>();
}

std::string in_quotes(std::string_view s) { return fmt::format("'{}'", s); }

/// `node` as a list: its items when an array, else the node itself (null: none).
std::vector<const json*> items(const json* node) {
  std::vector<const json*> out;
  if (node == nullptr) return out;
  if (node->is_array()) {
    for (const json& x : *node) out.push_back(&x);
  } else {
    out.push_back(node);
  }
  return out;
}

/// The string `node[key]`, or "".
std::string text(const json& node, const char* key) {
  const json* x = field(node, key);
  return x != nullptr && x->is_string() ? x->get<std::string>() : std::string();
}

/// The achieved rating a bundled credential states (OB 3.0: `credentialSubject.result[j]
/// .achievedLevel`, the id of a RubricCriterionLevel of the achievement's ResultDescription,
/// whose `level` (else `name`) is the rating's label, as `io::clr` writes it) against the
/// rating the record's evidence gives (`rating`; none: the competency has no rating, e.g.
/// exempt). `at`: the credential's path. Appends one problem per mismatch: a Result whose
/// achievedLevel names another rating or no level of the achievement, a rating the
/// credential does not state, a stated level where the evidence gives none.
void compare_result(const json& vc_subject, const std::optional<std::string>& rating,
                    const std::string& at, std::vector<std::string>& out) {
  // level id -> label, and the ResultDescription ids, of the achievement
  std::vector<std::pair<std::string, std::string>> levels;
  std::vector<std::string> descriptions;
  const json* achievement = field(vc_subject, "achievement");
  for (const json* rd : items(achievement ? field(*achievement, "resultDescription") : nullptr)) {
    descriptions.push_back(text(*rd, "id"));
    for (const json* level : items(field(*rd, "rubricCriterionLevel"))) {
      std::string label = text(*level, "level");
      if (label.empty()) label = text(*level, "name");
      levels.emplace_back(text(*level, "id"), std::move(label));
    }
  }
  const std::string base = at + "/credentialSubject/result";
  const json* results = field(vc_subject, "result");
  bool stated = false;
  const std::vector<const json*> list = items(results);
  for (std::size_t j = 0; j < list.size(); ++j) {
    const json& r = *list[j];
    const std::string level_id = text(r, "achievedLevel");
    if (level_id.empty()) continue;
    const std::string rd = text(r, "resultDescription");
    if (!rd.empty() &&
        std::find(descriptions.begin(), descriptions.end(), rd) == descriptions.end())
      continue;  // a result of another description (not the rating's)
    stated = true;
    const std::string where =
        fmt::format("{}{}/achievedLevel", base,
                    results != nullptr && results->is_array() ? fmt::format("/{}", j) : "");
    const auto level = std::find_if(levels.begin(), levels.end(),
                                    [&](const auto& l) { return l.first == level_id; });
    if (level == levels.end()) {
      out.push_back(fmt::format(
          "{}: {} is no level of the achievement's resultDescription (the rating cannot be "
          "compared with the record's evidence)",
          where, in_quotes(level_id)));
    } else if (!rating) {
      out.push_back(
          fmt::format("{}: the credential states the rating {}, the record's evidence gives none "
                      "(recomputed)",
                      where, in_quotes(level->second)));
    } else if (level->second != *rating) {
      out.push_back(
          fmt::format("{}: the credential states the rating {}, the record's evidence rates {} "
                      "(recomputed)",
                      where, in_quotes(level->second), in_quotes(*rating)));
    }
  }
  if (!stated && rating && !levels.empty())
    out.push_back(fmt::format(
        "{}: no achievedLevel, the record's evidence rates {} (recomputed; a credential states "
        "the rating it stands for)",
        base, in_quotes(*rating)));
}

}  // namespace

std::vector<std::string> credential_mismatches(const json& credential,
                                               const learner_state& recomputed) {
  std::vector<std::string> out;
  if (credential.is_null()) return out;
  const framework& fw = recomputed.framework();
  const std::string base = "/credential/credentialSubject";
  const json* subject = field(credential, "credentialSubject");
  const json* bundled = subject ? field(*subject, "verifiableCredential") : nullptr;
  if (bundled == nullptr || !bundled->is_array()) {
    out.push_back(base +
                  "/verifiableCredential: no array of credentials to compare with the "
                  "ratings");
    return out;
  }
  // claimed[i]: the bundled credential (index + 1) claiming competency i; 0: none.
  std::vector<std::size_t> claimed(fw.size(), 0);
  for (std::size_t k = 0; k < bundled->size(); ++k) {
    const json& vc = (*bundled)[k];
    const std::string at = fmt::format("{}/verifiableCredential/{}", base, k);
    if (!vc.is_object()) {
      out.push_back(at +
                    ": not a credential object (a JWS or other form cannot be compared "
                    "with the ratings; a record's credentials are unsigned objects)");
      continue;
    }
    const json* vc_subject = field(vc, "credentialSubject");
    const auto code = human_code(vc_subject ? field(*vc_subject, "achievement") : nullptr);
    const std::string where = at + "/credentialSubject/achievement/humanCode";
    if (!code) {
      out.push_back(where + ": missing (the competency id the credential claims)");
      continue;
    }
    if (!fw.contains(*code)) {
      out.push_back(fmt::format("{}: {} is no competency of the framework '{}'", where,
                                in_quotes(*code), fw.name()));
      continue;
    }
    const index_t i = fw.index_of(*code);
    const status s = recomputed.status(i);
    if (!earned(s)) {
      out.push_back(fmt::format(
          "{}: the credential claims {}, which the record's evidence does not earn (recomputed "
          "status {}; a credential stands for mastered, exceeded or exempt)",
          where, in_quotes(*code), to_string(s)));
    } else if (claimed[i] != 0) {
      out.push_back(fmt::format("{}: {} is claimed by verifiableCredential/{} too", where,
                                in_quotes(*code), claimed[i] - 1));
    } else {
      compare_result(*vc_subject, recomputed.rating(i), at, out);
    }
    if (claimed[i] == 0) claimed[i] = k + 1;
  }
  bool any_exempt = false;
  for (index_t i = 0; i < fw.size(); ++i)
    any_exempt = any_exempt || (claimed[i] != 0 && recomputed.status(i) == status::exempt);
  for (index_t i = 0; i < fw.size(); ++i) {
    const status s = recomputed.status(i);
    if (claimed[i] != 0 || !earned(s) || (s == status::exempt && !any_exempt)) continue;
    out.push_back(fmt::format(
        "{}/verifiableCredential: no credential for {}, which the record's evidence earns "
        "(recomputed status {})",
        base, in_quotes(fw.id_of(i)), to_string(s)));
  }
  const json* listed = subject ? field(*subject, "achievement") : nullptr;
  if (listed != nullptr && listed->is_array())
    for (std::size_t j = 0; j < listed->size(); ++j) {
      const auto code = human_code(&(*listed)[j]);
      if (code && fw.contains(*code) && claimed[fw.index_of(*code)] != 0) continue;
      out.push_back(fmt::format(
          "{}/achievement/{}: {} is claimed by none of the bundled credentials", base, j,
          code ? in_quotes(*code) : std::string("an achievement without humanCode")));
    }
  return out;
}

}  // namespace masterymap::io::detail
