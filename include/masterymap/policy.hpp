// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
#ifndef MASTERYMAP_POLICY_HPP
#define MASTERYMAP_POLICY_HPP

#include <cstdint>
#include <map>
#include <masterymap/config.hpp>
#include <masterymap/error.hpp>
#include <masterymap/scale.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace masterymap {

namespace detail {
struct policy_json_reader;  // src/policy_json.cpp: reads unchecked values, then reports them all
}  // namespace detail

/// How the scores of one learner on one competency become one value.
///
/// s_1..s_n are the counted scores in order of observation time (ties by insertion order).
/// - `latest`: s_n. `highest`: max s_i. `mean`: the arithmetic mean.
/// - `weighted_mean`: sum(weight_i * s_i) / sum(weight_i) with the per-evidence weights (no
///   value when every weight is 0).
/// - `mode`: the most frequent score; ties go to the score seen most recently.
/// - `weighted_average(w)` (Canvas "weighted average"): w*s_n + (1-w)*mean(s_1..s_{n-1}); n=1
///   gives s_1.
/// - `decaying_average(w)`: D_1 = s_1, D_k = w*s_k + (1-w)*D_{k-1}; the value is D_n.
/// - `n_mastery(n)` (Canvas): the scores at or above the mastery value; no value until there
///   are n of them, then their mean.
/// - `power_law`: least-squares fit of ln s = a + b ln t over attempts t = 1..n, evaluated at
///   t = n. Scores below 1% of the scale's top value are raised to that floor before taking
///   logarithms (ln 0 is undefined); the result is clamped to the scale's score range. n=1
///   gives s_1.
/// - `bkt(threshold)`: the posterior probability of mastery from knowledge tracing, supplied by
///   a `probability_source` given to the engine; mastered when it reaches `threshold`.
/// No method rounds (Canvas rounds to 2 decimals for display; we keep full precision).
class MASTERYMAP_API method {
 public:
  enum class kind : std::uint8_t {
    latest,
    highest,
    mean,
    weighted_mean,
    mode,
    weighted_average,
    decaying_average,
    n_mastery,
    power_law,
    bkt,
  };

  [[nodiscard]] static method latest() noexcept { return method(kind::latest); }
  [[nodiscard]] static method highest() noexcept { return method(kind::highest); }
  [[nodiscard]] static method mean() noexcept { return method(kind::mean); }
  [[nodiscard]] static method weighted_mean() noexcept { return method(kind::weighted_mean); }
  [[nodiscard]] static method mode() noexcept { return method(kind::mode); }
  /// \throws masterymap::policy_error unless 0 < w < 1 ("method.w: 1.5 is outside (0, 1)").
  [[nodiscard]] static method weighted_average(double w = 0.65);
  /// \throws masterymap::policy_error unless 0 < w < 1.
  [[nodiscard]] static method decaying_average(double w = 0.65);
  /// \throws masterymap::policy_error unless n >= 1.
  [[nodiscard]] static method n_mastery(std::uint32_t n = 5);
  [[nodiscard]] static method power_law() noexcept { return method(kind::power_law); }
  /// \throws masterymap::policy_error unless 0 < threshold <= 1.
  [[nodiscard]] static method bkt(double threshold = 0.95);

  method() noexcept = default;  ///< latest
  [[nodiscard]] kind type() const noexcept { return kind_; }
  /// w of weighted_average / decaying_average.
  [[nodiscard]] double w() const noexcept { return param_; }
  /// threshold of bkt.
  [[nodiscard]] double threshold() const noexcept { return param_; }
  /// n of n_mastery.
  [[nodiscard]] std::uint32_t n() const noexcept { return n_; }

  friend bool operator==(const method& a, const method& b) noexcept {
    return a.kind_ == b.kind_ && a.param_ == b.param_ && a.n_ == b.n_;
  }
  friend bool operator!=(const method& a, const method& b) noexcept { return !(a == b); }

 private:
  friend struct detail::policy_json_reader;
  explicit method(kind k, double p = 0.0, std::uint32_t n = 0) noexcept
      : kind_(k), param_(p), n_(n) {}
  kind kind_ = kind::latest;
  double param_ = 0.0;
  std::uint32_t n_ = 0;
};

/// "decaying_average", "n_mastery", ... (the JSON and Python names).
[[nodiscard]] MASTERYMAP_API const char* to_string(method::kind k) noexcept;
/// \throws std::invalid_argument on an unknown name.
[[nodiscard]] MASTERYMAP_API method::kind parse_method_kind(std::string_view name);
/// "decaying_average(w=0.65)", "n_mastery(n=5)", "latest".
[[nodiscard]] MASTERYMAP_API std::string to_string(const method& m);

/// A mastery rule: an aggregation method plus conditions.
///
/// Evidence of a kind in `ignore_kinds` never counts (it is listed as ignored); pre-tests
/// (kind "pretest") count only when `pretest_counts`. The remaining pieces, cut by the window,
/// are the *counted* evidence the method aggregates. A competency is
/// - `mastered` when the value reaches the scale's mastery value, at least `min_evidence` pieces
///   are counted, and every kind of `require_kinds` is confirmed: the latest piece of that kind
///   scored at or above mastery (the gatekeeper). Until confirmed it is `awaiting_confirmation`.
/// - `exceeded` when mastered and the value reaches the scale's exceeds rating.
/// - `exempt` when the highest pre-test reaches `exempt_on_pretest` (a score on the scale),
///   every kind of `require_kinds` is confirmed (a gatekeeper gates every route to done,
///   exemption included) and every kind of `exempt_confirm_kinds` (kinds that confirm an
///   exemption only) is confirmed; until then `awaiting_confirmation`. Mastery from evidence
///   takes precedence over exemption: the confirming check is itself counted evidence (unless
///   its kind is ignored), so when the counted evidence alone reaches mastery with
///   `min_evidence` pieces the learner is `mastered`, otherwise `exempt`. Example: pre-test 90%
///   with require_kinds=[discussion] is `awaiting_confirmation`; a discussion at mastery then
///   gives `mastered` with min_evidence=1 and `exempt` with min_evidence=2.
/// - `expired` when mastered (or exceeded) but the latest counted piece is older than
///   `expires_after_days` at the evaluation time.
/// With `monotonic`, a competency that was mastered at any earlier point of its evidence stays
/// mastered (ratchet; expiry still applies); otherwise the status is recomputed.
struct rule {
  masterymap::method method = masterymap::method::latest();
  std::uint32_t min_evidence = 1;
  std::vector<std::string> require_kinds;
  std::vector<std::string> ignore_kinds;
  std::optional<std::uint32_t> window_last;  ///< count only the last k pieces
  std::optional<double> window_days;  ///< count only pieces within d days of the evaluation time
  std::optional<double> expires_after_days;
  std::optional<double> exempt_on_pretest;
  std::vector<std::string> exempt_confirm_kinds;
  bool pretest_counts = false;
  bool monotonic = false;

  friend bool operator==(const rule& a, const rule& b) {
    return a.method == b.method && a.min_evidence == b.min_evidence &&
           a.require_kinds == b.require_kinds && a.ignore_kinds == b.ignore_kinds &&
           a.window_last == b.window_last && a.window_days == b.window_days &&
           a.expires_after_days == b.expires_after_days &&
           a.exempt_on_pretest == b.exempt_on_pretest &&
           a.exempt_confirm_kinds == b.exempt_confirm_kinds &&
           a.pretest_counts == b.pretest_counts && a.monotonic == b.monotonic;
  }
  friend bool operator!=(const rule& a, const rule& b) { return !(a == b); }
};

/// A one-line description of a rule ("decaying_average(w=0.65), min_evidence=2, ...").
[[nodiscard]] MASTERYMAP_API std::string to_string(const rule& r);

/// Every problem of a rule on its own, each prefixed by `path` and the field's name
/// ("rule.window_days: -3 is not a positive number of days"): method parameters, window_last and
/// window_days, expires_after_days, min_evidence against window_last, empty or duplicate kinds,
/// a kind both required and ignored, exemption confirmations without exemption. Whether
/// `exempt_on_pretest` is on the scale is checked where the scale is known (`policy`).
[[nodiscard]] MASTERYMAP_API std::vector<std::string> problems(const rule& r,
                                                               std::string_view path = "rule");
/// \throws masterymap::policy_error listing every problem of `problems(r)`.
MASTERYMAP_API void validate(const rule& r);

/// How a parent competency's status follows from its children.
///
/// A rollup is a tree of groups. Each group has an operator and items; an item is a competency
/// id or a nested group. A group with no items means "every child of the parent in the
/// framework". A child counts as *done* when mastered, exceeded or exempt.
/// - `all_of`: every item done. `any_of`: at least one. `k_of_n(k)`: at least k.
/// - `points(min_points)`: every required item done and the points of done items sum to at least
///   `min_points` (Moodle's rule).
/// - `weighted_mean`: the weighted mean of the items' scores (exempt items left out) reaches
///   mastery, and every non-exempt item has a score. Items must be competencies or nested
///   weighted means.
/// Rollup items must be descendants of the parent in the hierarchy (checked against a framework).
class MASTERYMAP_API rollup {
 public:
  enum class op : std::uint8_t { all_of, any_of, k_of_n, points, weighted_mean };
  /// One item of a group: a competency (`nested < 0`) or a nested group (index into groups()).
  struct item {
    std::string id;
    std::int32_t nested = -1;
    double value = 1.0;  ///< points (points) or weight (weighted_mean)
    bool required = false;
    friend bool operator==(const item& a, const item& b) {
      return a.id == b.id && a.nested == b.nested && a.value == b.value && a.required == b.required;
    }
  };
  struct group {
    op kind = op::all_of;
    std::uint32_t k = 0;      ///< k_of_n
    double min_points = 0.0;  ///< points
    std::vector<item> items;  ///< empty: every child of the parent
    friend bool operator==(const group& a, const group& b) {
      return a.kind == b.kind && a.k == b.k && a.min_points == b.min_points && a.items == b.items;
    }
  };

  // The factories check their own numbers (policy_error with paths such as "rollup.k"); how
  // they fit together once every item is added (k > n, more points needed than available) is
  // checked by `problems(const rollup&)` and when the rollup is set on a policy.
  [[nodiscard]] static rollup all_of(std::vector<std::string> ids = {});
  [[nodiscard]] static rollup any_of(std::vector<std::string> ids = {});
  /// \throws masterymap::policy_error unless k >= 1.
  [[nodiscard]] static rollup k_of_n(std::uint32_t k, std::vector<std::string> ids = {});
  /// `points` lists (id, points) pairs; `required` ids must be among them.
  /// \throws masterymap::policy_error unless min_points is positive and every item's points
  ///         are a finite number >= 0.
  [[nodiscard]] static rollup points(double min_points,
                                     std::vector<std::pair<std::string, double>> points = {},
                                     std::vector<std::string> required = {});
  /// (id, weight) pairs; empty: every child with weight 1.
  /// \throws masterymap::policy_error unless every weight is a finite number >= 0, not all 0.
  [[nodiscard]] static rollup weighted_mean(
      std::vector<std::pair<std::string, double>> weights = {});

  /// Appends a competency item to the top group.
  rollup& add(std::string id, double value = 1.0, bool required = false);
  /// Appends a nested group (a copy of `nested`'s tree) to the top group.
  rollup& add(const rollup& nested);

  /// The groups; groups()[0] is the top group, and nested groups always come after the group
  /// that holds them (so evaluating from the back never needs recursion).
  [[nodiscard]] const std::vector<group>& groups() const noexcept { return groups_; }
  [[nodiscard]] const group& top() const noexcept { return groups_.front(); }
  /// Builds a rollup from raw groups (JSON reader). \pre nested indices point forward.
  [[nodiscard]] static rollup from_groups(std::vector<group> groups);

  friend bool operator==(const rollup& a, const rollup& b) { return a.groups_ == b.groups_; }
  friend bool operator!=(const rollup& a, const rollup& b) { return !(a == b); }

 private:
  rollup() = default;
  std::vector<group> groups_;
};

[[nodiscard]] MASTERYMAP_API const char* to_string(rollup::op o) noexcept;
/// "all_of(A, B, any_of(C, D))".
[[nodiscard]] MASTERYMAP_API std::string to_string(const rollup& r);

/// Every problem of a rollup on its own, prefixed by `path` ("rollup.groups[0].k: k=4 > n=3
/// items"): k, points and weights, duplicate or empty items, nested groups. Whether the items
/// are descendants of the parent is checked against a framework (`masterymap::problems(policy,
/// framework)`).
[[nodiscard]] MASTERYMAP_API std::vector<std::string> problems(const rollup& r,
                                                               std::string_view path = "rollup");
/// \throws masterymap::policy_error listing every problem of `problems(r)`.
MASTERYMAP_API void validate(const rollup& r);

/// Which status a parent takes when it has a rollup and evidence of its own.
enum class rollup_precedence : std::uint8_t {
  rollup,    ///< the rollup decides; the parent's own evidence is listed but not used (default)
  evidence,  ///< own evidence decides when there is any; otherwise the rollup
  either,    ///< done when either the rollup or the own evidence says done
  both,      ///< done only when both say done
};
[[nodiscard]] MASTERYMAP_API const char* to_string(rollup_precedence p) noexcept;

/// Which prerequisite links carry inferred mastery (Knowledge Space Theory's surmise relation,
/// as ALEKS uses it): mastery of a competency is evidence that its gating prerequisites are
/// known.
///
/// The rule (engine.cpp's evaluation, the bulk ratings and the roster apply it alike, after the
/// rules and rollups): let E be the earned competencies (status mastered, exceeded or exempt),
/// P the competencies placed (below a placement, see below) and X the competencies with
/// *contrary evidence*: counted evidence that leaves them short of done, i.e. status
/// in_progress, awaiting_confirmation or expired. The inferred set is S \ E, where S is the
/// smallest set that contains E and P \ X and is closed under the chosen links: if y is in S and
/// x is a prerequisite of y through a chosen link and x is not in X, then x is in S. So
/// contrary evidence always wins (x keeps its real status, and is a real gap), inference never
/// passes through a competency with contrary evidence (it reaches what is below one only by
/// another route), and adding mastery never removes an inference. Inferred competencies are
/// not_started ones (no counted evidence); rollups are computed on earned statuses before
/// inference (a parent is never *earned* through inferred children), but a rollup parent can
/// itself be inferred through a link or a placement, and a rollup parent not started whose
/// rollup holds once inferred parts count as met is inferred too, with inference going on below
/// it (to a fixpoint). With any option but none, the parts a parent's rollup cannot hold
/// without (every part of an all_of rollup's top group, the `required` parts of any other)
/// count as chosen links from the parent down: an inferred or earned unit infers its lessons
/// (an any_of or k_of_n unit says nothing about which parts). `progression::infer` applies the
/// same rule to a status array.
///
/// Placement (a placement or diagnostic result, "placed at grade 4 in NF"): evidence of kind
/// "placement" on any competency c of a domain D, with score L, places the learner at level L in
/// D: every academic competency of D with a level below L is in P. The score is the level (an
/// integer, e.g. 0 = kindergarten, 4 = grade 4; the evidence checks take integers within
/// +-2^24 and do not hold it to the rating scale), so a level above D's top places all of D —
/// a 4th grader placed at grade 4 in counting and cardinality, which ends at kindergarten.
/// `roster::place(learner, level, time, domains)` writes such rows. The latest placement per
/// domain (by time, then row) at or before the evaluation time counts. Placement evidence never
/// counts towards a rating (c stays not_started unless other evidence rates it; `explain` on c
/// names the placement). Placement applies with every option, `none` included; the option
/// decides only which links carry inference onwards. A competency of a domain without leveled
/// academic competencies places nothing; nor does a level at or below the domain's lowest (a
/// negative level is allowed: some maps number pre-kindergarten -1).
enum class infer_prerequisites : std::uint8_t {
  none,      ///< no inference through links (placements still apply)
  required,  ///< through `required` links (default)
  gating,    ///< through `required` and `familiar` links (every link that gates)
};
[[nodiscard]] MASTERYMAP_API const char* to_string(infer_prerequisites p) noexcept;

/// A school's mastery policy, as data: a scale, a default rule, overrides by domain and by
/// competency (the most specific wins: competency, then domain, then default), rollups for
/// parents, and the precedence between a rollup and a parent's own evidence.
///
/// Round-trips through JSON (`"format": "masterymap.policy", "version": 1`). A policy knows
/// nothing of frameworks; `masterymap::validate(policy, framework)` (engine.hpp) checks its ids.
///
/// Every rule and rollup is checked when it is given (constructor and setters throw
/// masterymap::policy_error listing every problem, with paths such as
/// `overrides.domains['NF'].window_days`, and leave the policy unchanged); what needs a framework
/// is checked by `masterymap::validate(policy, framework)` and by `engine`.
///
/// Thread safety: a value without caches: const members may be called from any number of
/// threads at once; the setters (`set_*`, `override_*`) need exclusive access. Engines and
/// rosters keep their own copy, so changing a policy never affects them.
class MASTERYMAP_API policy {
 public:
  /// \throws masterymap::policy_error for a bad default rule (paths `rule.<field>`).
  explicit policy(masterymap::scale s = scale::four_point(), masterymap::rule default_rule = {},
                  std::string name = {});

  [[nodiscard]] const std::string& name() const noexcept { return name_; }
  [[nodiscard]] const masterymap::scale& scale() const noexcept { return scale_; }
  [[nodiscard]] const masterymap::rule& default_rule() const noexcept { return default_rule_; }
  /// \throws masterymap::policy_error for a bad rule (`rule.<field>`).
  policy& set_default_rule(masterymap::rule r);
  /// Rule for every competency of `domain` (unless a competency override applies).
  /// \throws masterymap::policy_error for a bad rule (`overrides.domains['<domain>'].<field>`).
  policy& override_domain(std::string domain, masterymap::rule r);
  /// Rule for one competency (wins over its domain's).
  /// \throws masterymap::policy_error for a bad rule (`overrides.competencies['<id>'].<field>`).
  policy& override_competency(std::string id, masterymap::rule r);
  /// Rollup of a parent competency. \throws masterymap::policy_error for a bad rollup.
  policy& set_rollup(std::string parent, masterymap::rollup r);
  /// Rollup of every parent (competency with children) that has no rollup of its own.
  /// \throws masterymap::policy_error for a bad rollup or one that names competencies.
  policy& set_default_rollup(std::optional<masterymap::rollup> r);
  policy& set_precedence(rollup_precedence p) noexcept;
  /// Which links carry inferred mastery (see `infer_prerequisites`); default `required`.
  policy& set_infer_prerequisites(masterymap::infer_prerequisites p) noexcept;

  [[nodiscard]] const std::map<std::string, masterymap::rule, std::less<>>& domain_rules()
      const noexcept {
    return domain_rules_;
  }
  [[nodiscard]] const std::map<std::string, masterymap::rule, std::less<>>& competency_rules()
      const noexcept {
    return competency_rules_;
  }
  [[nodiscard]] const std::map<std::string, masterymap::rollup, std::less<>>& rollups()
      const noexcept {
    return rollups_;
  }
  [[nodiscard]] const std::optional<masterymap::rollup>& default_rollup() const noexcept {
    return default_rollup_;
  }
  [[nodiscard]] rollup_precedence precedence() const noexcept { return precedence_; }
  [[nodiscard]] masterymap::infer_prerequisites infer_prerequisites() const noexcept {
    return infer_;
  }

  /// The rule for a competency: its override, else its domain's, else the default.
  [[nodiscard]] const masterymap::rule& rule_for(std::string_view id,
                                                 std::string_view domain) const;
  /// Where `rule_for` found the rule: "competency", "domain" or "default".
  [[nodiscard]] const char* rule_scope(std::string_view id, std::string_view domain) const;
  /// Every evidence kind the policy names (required, ignored, confirming), sorted, unique.
  [[nodiscard]] std::vector<std::string> kinds() const;

  /// Every problem of the policy on its own (w outside (0,1), thresholds off the scale, k > n,
  /// ...), each prefixed by the path of its field, e.g. `rule.method.w`,
  /// `overrides.competencies['3.NF.A.1'].window_last`, `rollups['3.NF'].groups[0].k`. Empty for
  /// a policy built through the checked constructor and setters.
  [[nodiscard]] std::vector<std::string> problems() const;
  /// \throws masterymap::policy_error listing every problem.
  void validate() const;

  [[nodiscard]] std::string to_json(int indent = 2) const;
  /// \throws masterymap::parse_error (line, column) for malformed JSON;
  ///         masterymap::policy_error listing every missing or mistyped field and every
  ///         validation problem, with paths.
  [[nodiscard]] static policy from_json(std::string_view text);
  /// As `from_json`, without `validate()`: reads back exactly what `to_json` wrote, also a
  /// policy whose rules have problems (a policy under construction, sent to another process).
  /// \throws masterymap::parse_error, masterymap::policy_error for malformed JSON and missing
  ///         or mistyped fields only.
  [[nodiscard]] static policy from_json_unvalidated(std::string_view text);
  /// As `from_json`, for tools that report every problem (the command line's `validate`):
  /// instead of throwing a policy_error, puts its problems (read and validation problems) in
  /// `problems` and returns the policy as far as it could be read (a field that could not be
  /// read keeps its default), so it can still be checked against a framework.
  /// \throws masterymap::parse_error for malformed JSON; masterymap::policy_error when the
  ///         text is not a JSON object.
  [[nodiscard]] static policy from_json_reporting(std::string_view text,
                                                  std::vector<std::string>& problems);

  friend MASTERYMAP_API bool operator==(const policy& a, const policy& b);
  friend bool operator!=(const policy& a, const policy& b) { return !(a == b); }

 private:
  friend struct detail::policy_json_reader;
  std::string name_;
  masterymap::scale scale_;
  masterymap::rule default_rule_;
  std::map<std::string, masterymap::rule, std::less<>> domain_rules_;
  std::map<std::string, masterymap::rule, std::less<>> competency_rules_;
  std::map<std::string, masterymap::rollup, std::less<>> rollups_;
  std::optional<masterymap::rollup> default_rollup_;
  rollup_precedence precedence_ = rollup_precedence::rollup;
  masterymap::infer_prerequisites infer_ = infer_prerequisites::required;
};

/// "policy 'name': scale four_point, default decaying_average(w=0.65), 2 overrides, 1 rollup".
[[nodiscard]] MASTERYMAP_API std::string to_string(const policy& p);

}  // namespace masterymap

#endif  // MASTERYMAP_POLICY_HPP
