// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// The learner record's credential part against the recomputed ratings (see
// record_credential.hpp).
#include "record_credential.hpp"

#include <fmt/format.h>

#include <cstddef>
#include <optional>
#include <string_view>

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
