// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// The learner record's credential part against the ratings the import recomputes
// (io::read_record; internal).
#ifndef MASTERYMAP_SRC_IO_RECORD_CREDENTIAL_HPP
#define MASTERYMAP_SRC_IO_RECORD_CREDENTIAL_HPP

#include <masterymap/engine.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace masterymap::io::detail {

/// Where the record's CLR (`credential`, the record's "/credential"; null: nothing to check)
/// claims other competencies than `recomputed` (the learner rated from the record's evidence)
/// has earned, each "/credential/<JSON path>: <what>", in document order, then the earned
/// competencies without a credential in framework order:
/// - a bundled credential (`credentialSubject.verifiableCredential[i]`) that is not an object
///   (a JWS cannot be compared), has no `credentialSubject.achievement.humanCode` (the
///   competency id `io::clr` writes), names a competency the framework does not have, one the
///   learner has not earned (status other than mastered, exceeded, exempt), or one another
///   bundled credential claims too;
/// - a claimed credential whose Result states another rating than the recomputed one: its
///   `credentialSubject.result[j].achievedLevel` is the id of a RubricCriterionLevel of the
///   achievement's `resultDescription` whose `level` (else `name`) is the rating's label (as
///   `io::clr` writes it); a level the achievement does not list, a level where the learner
///   has no rating, or no achievedLevel where the learner has one (and the achievement lists
///   levels) is a mismatch too ("/credential/.../credentialSubject/result/<j>/achievedLevel");
///   the Result's `value` (the score) is not compared;
/// - a competency the learner has mastered or exceeded with no credential; an exempt one only
///   when another exempt competency has one (`include_exempt` is all or nothing);
/// - an achievement of the CLR's `credentialSubject.achievement` list that no bundled
///   credential claims.
/// Complexity: O(credential + competencies).
[[nodiscard]] std::vector<std::string> credential_mismatches(const nlohmann::json& credential,
                                                             const learner_state& recomputed);

}  // namespace masterymap::io::detail

#endif  // MASTERYMAP_SRC_IO_RECORD_CREDENTIAL_HPP
