// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
#ifndef MASTERYMAP_IO_CREDENTIALS_HPP
#define MASTERYMAP_IO_CREDENTIALS_HPP

#include <functional>
#include <masterymap/config.hpp>
#include <masterymap/engine.hpp>
#include <masterymap/evidence.hpp>
#include <string>
#include <string_view>
#include <vector>

/// What a learner has earned, out as 1EdTech Open Badges 3.0 credentials and a Comprehensive
/// Learner Record 2.0 (https://www.imsglobal.org/spec/ob/v3p0/, https://www.imsglobal.org/spec/
/// clr/v2p0/; W3C Verifiable Credentials Data Model 2.0). The documents are UNSIGNED: a
/// verifiable credential needs the issuer's proof, which `credential_options::sign` adds.
///
/// The mapping, one OpenBadgeCredential (an AchievementCredential) per earned competency:
/// - Earned = mastered, exceeded or (with `include_exempt`, the default) exempt: `is_earned`.
///   Never inferred (met by inference, not shown by the learner), in_progress,
///   awaiting_confirmation (the gatekeeper has not confirmed), expired or not_started. Exempt
///   counts because the library grants it only on a pre-test at the exemption score AND every
///   confirmation the policy asks for (the criteria say "exempted on a pre-test"), or on a
///   waiver, an authority's decision (a cmi5 `waived` statement; see `builtin_kinds`): the
///   subject's `narrative` then says which ("Exempted by a waiver, not shown to the issuer by
///   evidence: waived (Tested Out): by '<statement id>' on <time>."). `include_exempt` false
///   credentials demonstrated mastery only.
/// - `@context` the VCDM 2.0 context then OB 3.0.3's; `type` ["VerifiableCredential",
///   "OpenBadgeCredential"]; `name` "<competency title or id>" always set; `validFrom` the time
///   of the learner's latest evidence on the competency (a parent earned through its rollup:
///   the latest of its hierarchy descendants'; none: the evaluation time) unless
///   `valid_from` is given; `validUntil` = that time + the rule's `expires_after_days` when the
///   competency's rule expires.
/// - `issuer` a Profile (`issuer`, `issuer_name`).
/// - `credentialSubject` an AchievementSubject whose `identifier` is one hashed IdentityObject:
///   identityHash "sha256$" + hex SHA-256 of (identity + salt), identity = `identity` or the
///   learner id, `identityType` `identity_type`; never the identity in clear. No subject `id`.
/// - The Achievement: `achievementType` "Competency", `name` the title (else the id),
///   `description` the description (else the title), `humanCode` the id, `criteria.narrative`
///   the policy's rule ("Mastery on Maple Street's 4-point scale: Proficient (3) or above by
///   decaying_average(w=0.65), min_evidence=2"), `alignment` to the CASE item when the framework
///   came from CASE (`targetType` "CFItem", `targetUrl` the item's uri, `targetCode` its
///   humanCodingScheme, `targetName` its title, `targetFramework` the CFDocument's title),
///   `resultDescription` the policy's scale as a RubricCriterionLevel result (levels low to high,
///   `points` the values as strings, `requiredLevel` the mastery level's id), `result` one
///   Result with `achievedLevel` the learner's level, `value` the score (a string) and `status`
///   "Completed".
/// - Ids are name-based (version 5) UUIDs, so an export is reproducible: an achievement's from
///   the issuer and the competency's CASE uri (else the framework name and competency id), a
///   credential's from the achievement, the learner and `validFrom`.
/// - The ClrCredential (`clr`) bundles the learner's credentials in `verifiableCredential`, lists
///   their achievements in `achievement`, and relates them in `association` with CLR 2.0
///   association types only: `isChildOf` (source the child, target the parent) for each
///   hierarchy link and `precedes` (source the prerequisite) for each prerequisite edge whose two
///   ends are both included (a link to a competency not earned is left out).
namespace masterymap::io {

/// How credentials are written.
struct credential_options {
  /// The issuer's id: a URI (https:, did:, urn:, ...). Required.
  std::string issuer;
  std::string issuer_name;  ///< the issuer Profile's name (default: the issuer id)
  /// The learner's identity to hash (an email, a SIS id, ...); default: the learner id.
  std::string identity;
  /// The IdentityObject's identityType: an OB 3.0 IdentifierTypeEnum value ("emailAddress",
  /// "sisSourcedId", "identifier", ...) or "ext:..."; default "identifier".
  std::string identity_type = "identifier";
  /// The salt of the hash; default: the first 32 hex digits of SHA-256 of
  /// "masterymap:salt:" + issuer id + "\n" + learner id (stable, different per learner).
  std::string salt;
  /// RFC 3339 time for every credential's validFrom (and the CLR's); default: see above.
  std::string valid_from;
  /// Base of achievement ids: "<base><competency id>" (e.g. "https://school.example/ach/");
  /// default: urn:uuid version 5 ids.
  std::string achievement_base;
  bool include_exempt = true;  ///< see the mapping above
  /// The CLR's `name` (never built from the identity, which may be an email).
  std::string name = "Comprehensive Learner Record";
  /// The issuer's signer: receives each unsigned document (JSON text) and returns it signed
  /// (e.g. with a DataIntegrityProof added); called for every credential, and for a CLR on its
  /// credentials first, then on the CLR. Empty: the documents stay unsigned.
  std::function<std::string(const std::string&)> sign;
  int indent = -1;  ///< JSON indentation (-1: compact)
};

/// One unsigned OpenBadgeCredential (JSON text) per earned competency of the evaluated learner,
/// in framework order (see the mapping above). `log` is the log the state was evaluated on
/// (for the evidence times).
/// \throws std::invalid_argument when `issuer` is empty or not a URI (no "scheme:"),
///         `identity_type` is not an OB 3.0 identifier type, or `valid_from` is not an RFC 3339
///         time; std::logic_error for a state never evaluated.
/// Complexity: O(rows of the learner + size of the framework + size of the output).
[[nodiscard]] MASTERYMAP_API std::vector<std::string> achievement_credentials(
    const learner_state& state, const evidence_log& log, const credential_options& options);

/// The learner's unsigned ClrCredential (JSON text) bundling `achievement_credentials`.
/// Errors and complexity as `achievement_credentials`, plus O(edges + hierarchy links);
/// \throws std::invalid_argument too when the learner has earned nothing (CLR 2.0 requires at
///         least one credential).
[[nodiscard]] MASTERYMAP_API std::string clr(const learner_state& state, const evidence_log& log,
                                             const credential_options& options);

}  // namespace masterymap::io

#endif  // MASTERYMAP_IO_CREDENTIALS_HPP
