// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// Private: inferred mastery (the rule is documented at masterymap::infer_prerequisites in
// policy.hpp). One walk shared by the engine's evaluation, its bulk ratings, explain and the
// roster.
#ifndef MASTERYMAP_SRC_INFERENCE_HPP
#define MASTERYMAP_SRC_INFERENCE_HPP

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <masterymap/engine.hpp>
#include <masterymap/framework.hpp>
#include <masterymap/policy.hpp>
#include <string>
#include <utility>
#include <vector>

namespace masterymap::detail {

/// A placement read from the evidence: the learner is placed at `level` (the row's score) in
/// `comp`'s domain.
struct placement {  // no defaults: every field is given (-Wmissing-field-initializers)
  double time;
  std::uint32_t row;
  index_t comp;
  int level;
};

/// The level a placement row's score names. The evidence checks take integers within +-2^24
/// (exact in the stored float); an unchecked log may hold others: rounded down, clamped.
inline int placement_level(double score) noexcept {
  constexpr double lim = 16777216.0;
  return score >= lim ? 16777216 : score <= -lim ? -16777216 : static_cast<int>(std::floor(score));
}

/// The links that carry inference and the domain levels placements read, compiled once per
/// engine.
struct inference_graph {
  masterymap::infer_prerequisites mode = infer_prerequisites::required;
  std::vector<std::uint32_t> off;  // CSR: the chosen prerequisites of c are pre[off[c]..off[c+1])
  std::vector<index_t> pre;
  std::vector<std::uint32_t> doff;  // CSR: the dependents through chosen links (for explain)
  std::vector<index_t> dep;
  std::vector<std::int32_t> domain_of;     // per competency: domain code, -1 = no level
  std::vector<std::int32_t> place_domain;  // per competency: the domain a placement on it places
                                           // in (its domain, leveled or not), -1 = none
  std::vector<int> level_of;               // per competency (valid when domain_of >= 0)
  std::vector<std::vector<index_t>> domain_members;  // per domain code: leveled academic members
  std::vector<std::string> domain_names;

  /// Whether links carry inference (an option other than none, and at least one chosen link).
  [[nodiscard]] bool links() const noexcept { return !pre.empty(); }
};

/// The competency a placement in `domain` is recorded on (roster::place) or stands for
/// (progression::infer): the domain's first leveled academic competency in framework order.
/// \throws unknown_id_error (kind "domain") for a domain `fw` does not have;
///         std::invalid_argument (naming `who`) for one without leveled academic competencies.
index_t placement_host(const framework& fw, const std::string& domain, const char* who);
/// Whether `domain` has a leveled academic competency.
bool has_placement_host(const framework& fw, const std::string& domain);

/// Compiles the chosen links and the domain levels of `fw`. `parts`: (parent, part) pairs of
/// the all_of rollups (every part required), which carry inference down from a parent that is
/// known to its parts, as a chosen link does (with any option but none).
inference_graph make_inference_graph(const framework& fw, infer_prerequisites mode,
                                     const std::vector<std::pair<index_t, index_t>>& parts = {});

/// Whether a status is contrary evidence (counted evidence short of done).
constexpr bool is_contrary(status s) noexcept {
  return s == status::in_progress || s == status::awaiting_confirmation || s == status::expired;
}

/// Working memory of `infer`.
struct infer_scratch {
  std::vector<index_t> stack;
  std::vector<std::int32_t> best;  // per domain: index into the placements, -1 = none
  std::vector<std::int32_t> used;  // domains with a placement
};

/// Marks `inferred` (in place) every not_started competency below `seeds` (already inferred or
/// earned) through the inference links; appends them to `added` when given.
void infer_below(const inference_graph& g, status* st, const index_t* seeds, std::size_t n,
                 infer_scratch& s, std::vector<index_t>* added);

/// Marks `inferred` (in place) every not_started competency of `st` that the rule infers.
/// Seeds are the earned competencies among `candidates` (the competencies that may be earned:
/// those with evidence and the rollup parents; null = scan all) and the placed competencies.
/// Appends the newly inferred competencies to `added` when given. `st` must hold no `inferred`
/// on entry. Complexity: O(candidates + placements + the inferred set's in-edges).
void infer(const inference_graph& g, status* st, const index_t* candidates, std::size_t nc,
           const placement* p, std::size_t np, infer_scratch& s, std::vector<index_t>* added);

/// Resets every `inferred` of st[0..n) to not_started.
inline void clear_inferred(status* st, std::size_t n) noexcept {
  for (std::size_t i = 0; i < n; ++i)
    if (st[i] == status::inferred) st[i] = status::not_started;
}

/// What an inferred competency rests on, for explain: the earned competencies it is inferred
/// from (nearest first, through chosen links over inferred competencies), and the placements
/// that reach it (as "placed at level L in D"). At most `cap` ids; `more` counts the rest.
struct inference_basis {
  std::vector<index_t> from;
  std::size_t more = 0;
  std::vector<std::size_t> placements;  // indices into the placements given
};
inference_basis basis_of(const inference_graph& g, const status* st, index_t c, const placement* p,
                         std::size_t np, std::size_t cap);

}  // namespace masterymap::detail

#endif  // MASTERYMAP_SRC_INFERENCE_HPP
