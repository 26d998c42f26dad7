// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
#ifndef MASTERYMAP_BKT_HPP
#define MASTERYMAP_BKT_HPP

#include <cstddef>
#include <cstdint>
#include <map>
#include <masterymap/config.hpp>
#include <masterymap/encoding.hpp>
#include <masterymap/error.hpp>
#include <masterymap/progress.hpp>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

/// Bayesian Knowledge Tracing (Corbett & Anderson 1995): a two-state hidden Markov model per
/// skill, fitted by expectation-maximisation, with batch prediction and an O(1) online tracer.
///
/// Conventions (the same as pyBKT): for each skill, `prior` = P(L0), `learn` = P(T),
/// `forget` = P(F) (0 unless forgetting is on), `guess` = P(G), `slip` = P(S).
/// P(correct) = P(L)(1 - S) + (1 - P(L)) G; after the answer, Bayes' rule gives P(L | answer),
/// then the transition gives P(L') = P(L | answer)(1 - F) + (1 - P(L | answer)) T.
namespace masterymap::bkt {

// --- data -------------------------------------------------------------------------------------

/// How a skill name that joins several skills (e.g. "A_B") is handled.
enum class multi_skill : std::uint8_t {
  keep,    ///< the name is one skill, as pyBKT's data helper does (default)
  split,   ///< the row counts once for each skill (the row is duplicated per skill)
  reject,  ///< a name containing the separator is an input error
};

/// Names of the columns of a response table.
struct column_names {
  std::string learner = "user_id";
  std::string skill = "skill_name";
  std::string correct = "correct";
  /// optional: sort key of the responses, a number or an ISO 8601 time (rows are chronological
  /// if empty)
  std::string order;
  std::string item_class;  ///< optional: item class for per-class guess/slip (`multigs`), e.g.
                           ///< "template_id"
};

/// Options of `read_csv` / `parse_csv`.
struct csv_options {
  column_names columns;
  char delimiter = ',';
  bkt::multi_skill multi_skill = multi_skill::keep;
  std::string skill_separator = "_";
  /// UTF-8 is checked (a bad byte is a parse_error with its position); Latin-1 and cp1252 are
  /// transcoded to UTF-8.
  text_encoding encoding = text_encoding::utf8;
};

namespace detail {
struct dataset_access;
}  // namespace detail

/// A table of responses: one row per answer, with dense learner, skill and item-class codes.
///
/// Rows keep their input order; within a learner they are taken as chronological unless an
/// order key is given (then rows are sorted by it, stably). Names are interned: `learner(i)` is
/// an index into `learner_names()`.
///
/// Thread safety: a value: const members may be called from any number of threads at once
/// (`fit`, `predict` and `crossvalidate` only read it); `add` needs exclusive access.
class MASTERYMAP_API dataset {
 public:
  dataset();

  /// Appends one response, interning the names.
  /// \throws std::invalid_argument if `learner` or `skill` is empty, or if `item_class` is
  ///         given for some rows and not others.
  void add(std::string_view learner, std::string_view skill, bool correct,
           std::optional<double> order = std::nullopt, std::string_view item_class = {});

  /// Builds a dataset from index columns into name lists (the fast path from numpy / pandas).
  /// `order` and `item_class` may be empty. Every index must be a position in its name list.
  /// \throws std::invalid_argument on mismatched lengths, indices out of range, non-binary
  ///         `correct` values, empty names or duplicate names.
  [[nodiscard]] static dataset from_indices(
      std::vector<std::uint32_t> learner, std::vector<std::string> learner_names,
      std::vector<std::uint32_t> skill, std::vector<std::string> skill_names,
      std::vector<std::uint8_t> correct, std::vector<double> order = {},
      std::vector<std::uint32_t> item_class = {}, std::vector<std::string> class_names = {});

  /// Applies a multi-skill policy to the skill names. With `split`, a row whose skill name
  /// contains `separator` becomes one row per part (`source_row()` maps rows back).
  /// \throws masterymap::parse_error (row = the 0-based source row) with `reject` on a joined
  ///         name or, with `split`, a name with an empty part ("a__b");
  ///         std::invalid_argument if `separator` is empty.
  [[nodiscard]] dataset apply_multi_skill(multi_skill policy,
                                          std::string_view separator = "_") const;

  /// The rows of the learners for which `keep[learner]` is true (used by cross-validation).
  [[nodiscard]] dataset select_learners(const std::vector<bool>& keep) const;

  /// Every column and name list in a compact binary form (to send a dataset to another
  /// process). Complexity: O(rows + names).
  [[nodiscard]] std::string to_bytes() const;
  /// A dataset from `to_bytes`, equal to the one written.
  /// \throws masterymap::parse_error for bytes that are not a dataset or are truncated, or for
  ///         inconsistent columns (lengths, codes out of range, non-binary answers).
  [[nodiscard]] static dataset from_bytes(std::string_view bytes);

  /// The same rows (codes, answers, order keys, item classes, source rows) and name lists.
  friend bool operator==(const dataset& a, const dataset& b) {
    return a.learner_ == b.learner_ && a.skill_ == b.skill_ && a.correct_ == b.correct_ &&
           a.order_ == b.order_ && a.item_class_ == b.item_class_ &&
           a.source_row_ == b.source_row_ && a.learner_names_ == b.learner_names_ &&
           a.skill_names_ == b.skill_names_ && a.class_names_ == b.class_names_;
  }
  friend bool operator!=(const dataset& a, const dataset& b) { return !(a == b); }

  [[nodiscard]] std::size_t size() const noexcept { return correct_.size(); }
  [[nodiscard]] bool empty() const noexcept { return correct_.empty(); }
  [[nodiscard]] std::size_t learner_count() const noexcept { return learner_names_.size(); }
  [[nodiscard]] std::size_t skill_count() const noexcept { return skill_names_.size(); }
  [[nodiscard]] bool has_order() const noexcept { return !order_.empty(); }
  [[nodiscard]] bool has_item_class() const noexcept { return !item_class_.empty(); }

  [[nodiscard]] const std::vector<std::uint32_t>& learners() const noexcept { return learner_; }
  [[nodiscard]] const std::vector<std::uint32_t>& skills() const noexcept { return skill_; }
  [[nodiscard]] const std::vector<std::uint8_t>& correct() const noexcept { return correct_; }
  /// Empty when there is no order key.
  [[nodiscard]] const std::vector<double>& order() const noexcept { return order_; }
  /// Empty when there is no item-class column.
  [[nodiscard]] const std::vector<std::uint32_t>& item_classes() const noexcept {
    return item_class_;
  }
  /// For each row, the index of the input row it came from (identity unless skills were split).
  [[nodiscard]] const std::vector<std::uint64_t>& source_row() const noexcept {
    return source_row_;
  }
  [[nodiscard]] const std::vector<std::string>& learner_names() const noexcept {
    return learner_names_;
  }
  [[nodiscard]] const std::vector<std::string>& skill_names() const noexcept {
    return skill_names_;
  }
  [[nodiscard]] const std::vector<std::string>& class_names() const noexcept {
    return class_names_;
  }

 private:
  friend struct detail::dataset_access;
  std::vector<std::uint32_t> learner_, skill_, item_class_;
  std::vector<std::uint8_t> correct_;
  std::vector<double> order_;
  std::vector<std::uint64_t> source_row_;
  std::vector<std::string> learner_names_, skill_names_, class_names_;
  std::unordered_map<std::string, std::uint32_t> learner_index_, skill_index_, class_index_;
};

/// Reads a response CSV (RFC 4180 quoting, LF or CRLF line ends, header row first; UTF-8 with
/// an optional BOM, or `options.encoding`). A gzip-compressed file (.csv.gz) is decompressed.
/// `correct` must be 0 or 1 (also accepted: 0.0, 1.0, true, false).
/// \throws masterymap::parse_error with line and column (1-based position in the file) and the
///         0-based data row for a non-binary `correct`, an empty learner or skill, a bad order
///         value, a joined skill name under multi_skill reject (or an empty part under split),
///         an unterminated quote, invalid UTF-8 or a short row; with line 1 for a missing
///         column; for other compressed input (and gzip given to parse_csv).
/// \throws masterymap::file_error if the file cannot be read.
/// Complexity: O(bytes); numeric ids are interned through a direct table, others by hashing.
/// Progress (progress.hpp) in bytes parsed.
[[nodiscard]] MASTERYMAP_API dataset read_csv(const std::string& path,
                                              const csv_options& options = {},
                                              const progress& progress = {});
/// As `read_csv`, from text in memory.
[[nodiscard]] MASTERYMAP_API dataset parse_csv(std::string_view text,
                                               const csv_options& options = {},
                                               const progress& progress = {});

// --- parameters and fitting -------------------------------------------------------------------

/// The fitted (or given) parameters of one skill.
struct MASTERYMAP_API skill_params {
  std::string skill;
  double prior = 0.5;
  double learn = 0.1;
  double forget = 0.0;
  /// Item classes with their own guess/slip (`multigs`); empty when there is one class.
  std::vector<std::string> classes;
  /// One value per class (one value when `classes` is empty).
  std::vector<double> guess{0.2};
  std::vector<double> slip{0.1};

  // Fit diagnostics (zero for parameters that were not fitted).
  double log_likelihood = 0.0;  ///< training log-likelihood of the returned parameters
  int iterations = 0;           ///< EM iterations of the chosen restart
  bool converged = false;       ///< the tolerance was reached before `max_iterations`
  int restart = 0;              ///< index of the chosen restart
  std::uint64_t observations = 0;
  std::uint64_t sequences = 0;  ///< learner-skill sequences

  /// Mean guess and slip over the classes (the values used for an unseen class).
  [[nodiscard]] double mean_guess() const noexcept;
  [[nodiscard]] double mean_slip() const noexcept;

  /// Every parameter and diagnostic equal (NaN equal to NaN).
  friend bool operator==(const skill_params& a, const skill_params& b) {
    const auto same = [](const std::vector<double>& x, const std::vector<double>& y) {
      if (x.size() != y.size()) return false;
      for (std::size_t i = 0; i < x.size(); ++i)
        if (!masterymap::detail::same_value(x[i], y[i])) return false;
      return true;
    };
    using masterymap::detail::same_value;
    return a.skill == b.skill && same_value(a.prior, b.prior) && same_value(a.learn, b.learn) &&
           same_value(a.forget, b.forget) && a.classes == b.classes && same(a.guess, b.guess) &&
           same(a.slip, b.slip) && same_value(a.log_likelihood, b.log_likelihood) &&
           a.iterations == b.iterations && a.converged == b.converged && a.restart == b.restart &&
           a.observations == b.observations && a.sequences == b.sequences;
  }
  friend bool operator!=(const skill_params& a, const skill_params& b) { return !(a == b); }
};

/// Parameters to hold fixed during fitting (pyBKT's `coef_` + `fixed`). With `multigs`, a fixed
/// guess or slip applies to every class.
struct fixed_params {
  std::optional<double> prior, learn, forget, guess, slip;
};

/// A closed interval a fitted parameter is clamped to after each M-step (the constrained
/// M-step: the expected log-likelihood is concave and separable in each parameter).
struct interval {
  double lo = 0.0;
  double hi = 1.0;
};

/// Parameter bounds. Guess and slip are at most 0.5 by default, which rules out the
/// degenerate "knowing makes you wrong" fits (e.g. slip 0.00001, guess 0.57).
struct param_bounds {
  interval prior{1e-6, 1.0 - 1e-6};
  interval learn{1e-6, 1.0 - 1e-6};
  interval forget{0.0, 1.0 - 1e-6};
  interval guess{1e-6, 0.5};
  interval slip{1e-6, 0.5};
};

/// How random restarts are run.
enum class restart_strategy : std::uint8_t {
  /// Every restart runs `screen_iterations` EM steps; the one with the best training
  /// log-likelihood then runs to convergence (default: nearly the quality of `full` at a
  /// fraction of the cost).
  screen,
  /// Every restart runs to convergence; the best training log-likelihood wins.
  full,
};

/// Options of `fit`.
struct fit_options {
  int num_fits = 5;          ///< restarts per skill (restart 0 starts from a fixed, typical point)
  std::uint64_t seed = 42;   ///< seeds the restarts; results do not depend on `threads`
  double tolerance = 1e-6;   ///< stop when the log-likelihood gain per observation falls below
  int max_iterations = 300;  ///< EM iterations per restart (after screening, for `screen`)
  restart_strategy restarts = restart_strategy::screen;
  int screen_iterations = 8;
  bool forgets = false;  ///< fit `forget` (otherwise it is 0)
  bool multigs = false;  ///< guess/slip per item class (needs an item-class column)
  param_bounds bounds;
  fixed_params fixed;                                ///< for every skill
  std::map<std::string, fixed_params> fixed_skills;  ///< per skill (wins over `fixed`)
  std::vector<std::string> skills;                   ///< fit only these skills (empty = all)
  unsigned threads = 0;                              ///< 0 = std::thread::hardware_concurrency()
};

/// What predicting does with a skill the model has no parameters for.
enum class unknown_skill : std::uint8_t {
  average,  ///< use the observation-weighted mean parameters of the fitted skills (default)
  nan,      ///< predict NaN
  error,    ///< throw masterymap::unknown_id_error
};

/// Per-row predictions, aligned with the dataset rows.
struct prediction {
  std::vector<double> correct;  ///< P(correct) before the answer
  std::vector<double> state;    ///< P(mastered) after the answer (and the learning transition)
};

/// Quality metrics of predictions against 0/1 answers (rows with a NaN prediction are skipped).
struct metrics {
  double auc = 0.0;  ///< area under the ROC curve (ties count one half)
  double rmse = 0.0;
  double accuracy = 0.0;        ///< prediction >= 0.5 taken as "correct"
  double log_likelihood = 0.0;  ///< sum of log P(observed answer)
  std::uint64_t count = 0;      ///< rows scored
};

/// Computes the metrics. \throws std::invalid_argument on mismatched lengths.
[[nodiscard]] MASTERYMAP_API metrics compute_metrics(const std::vector<std::uint8_t>& correct,
                                                     const std::vector<double>& predicted);

/// A fitted BKT model: parameters per skill. Cheap to copy (parameters only).
///
/// Thread safety: immutable once built (assignment aside): every member is const and may be
/// called from any number of threads at once.
class MASTERYMAP_API model {
 public:
  model() = default;
  /// A model from given parameters.
  /// \throws std::invalid_argument on a duplicate or empty skill, a probability outside [0, 1],
  ///         or guess/slip sizes that do not match the classes.
  explicit model(std::vector<skill_params> params, bool forgets = false, bool multigs = false);

  [[nodiscard]] const std::vector<skill_params>& params() const& noexcept { return params_; }
  /// Deleted: a reference into a temporary model would dangle (`fit(d).params()`).
  const std::vector<skill_params>& params() && = delete;
  [[nodiscard]] std::size_t size() const noexcept { return params_.size(); }
  [[nodiscard]] bool forgets() const noexcept { return forgets_; }
  [[nodiscard]] bool multigs() const noexcept { return multigs_; }
  [[nodiscard]] std::optional<std::size_t> find(std::string_view skill) const;
  /// \throws masterymap::unknown_id_error
  [[nodiscard]] const skill_params& at(std::string_view skill) const&;
  /// Deleted: a reference into a temporary model would dangle (`fit(d).at("a")`).
  const skill_params& at(std::string_view skill) && = delete;
  /// The observation-weighted mean parameters (used for unknown skills).
  [[nodiscard]] const skill_params& average() const noexcept { return average_; }

  /// Per row: P(correct) before each answer and P(mastered) after it.
  /// \throws masterymap::unknown_id_error for an unknown skill with `unknown_skill::error`.
  /// Complexity: O(rows + learners + skills). Progress (progress.hpp) in rows traced.
  [[nodiscard]] prediction predict(const dataset& data,
                                   unknown_skill unknown = unknown_skill::average,
                                   const progress& progress = {}) const;
  /// As `predict`, into caller buffers of `data.size()` doubles (either may be null; a
  /// cancelled call leaves them partly written).
  void predict_into(const dataset& data, double* correct_out, double* state_out,
                    unknown_skill unknown = unknown_skill::average,
                    const progress& progress = {}) const;
  /// Predicts and scores against the dataset's answers (progress: the prediction's).
  [[nodiscard]] metrics evaluate(const dataset& data,
                                 unknown_skill unknown = unknown_skill::average,
                                 const progress& progress = {}) const;

  /// Versioned JSON (`"format": "masterymap.bkt.model", "version": 2`) with a `"checksum"`
  /// (XXH3-64 of the other fields), the same text `save` writes; doubles round-trip. `extra`,
  /// when not empty, is the text of a JSON object kept under `"extra"` (and in the checksum):
  /// what a caller knows beyond the parameters (the Python package's column names and id
  /// dtypes), which `from_json` gives back.
  /// \throws masterymap::parse_error when `extra` is not a JSON object.
  [[nodiscard]] std::string to_json(int indent = 2, std::string_view extra = {}) const;
  /// Reads version 2 (its checksum required and checked) and version 1 (a checksum checked
  /// when present). `extra`, when not null, receives the `"extra"` object's text ("" if none).
  /// \throws masterymap::parse_error on malformed JSON, a missing or mistyped field, or a
  ///         version-2 document whose checksum is missing or does not match its content.
  [[nodiscard]] static model from_json(std::string_view text, std::string* extra = nullptr);
  /// Writes `to_json(2, extra)` atomically.
  /// \throws masterymap::file_error if the file cannot be written.
  void save(const std::string& path, std::string_view extra = {}) const;
  /// \throws masterymap::file_error, masterymap::parse_error (see `from_json`)
  [[nodiscard]] static model load(const std::string& path, std::string* extra = nullptr);

  /// The same parameters (with their diagnostics), in the same order, and the same options.
  friend bool operator==(const model& a, const model& b) {
    return a.params_ == b.params_ && a.forgets_ == b.forgets_ && a.multigs_ == b.multigs_;
  }
  friend bool operator!=(const model& a, const model& b) { return !(a == b); }

 private:
  void index();
  std::vector<skill_params> params_;
  skill_params average_;
  bool forgets_ = false;
  bool multigs_ = false;
  std::unordered_map<std::string, std::size_t> by_name_;
  std::unordered_map<std::string, std::uint32_t> class_ids_;  // all classes of all skills
  std::vector<std::unordered_map<std::uint32_t, std::uint32_t>> class_local_;  // per skill
  friend class tracer;
};

/// Checks fit options on their own (what `fit` checks before reading the data): `num_fits`,
/// `max_iterations` and `screen_iterations` at least 1, `tolerance` finite and >= 0, bounds
/// 0 <= lo <= hi <= 1, fixed values in [0, 1].
/// \throws std::invalid_argument naming the first bad option.
MASTERYMAP_API void validate(const fit_options& options);

/// Fits one BKT model per skill by EM (scaled forward-backward / Baum-Welch) with seeded random
/// restarts. Identical learner-skill sequences are fitted once with a weight (exact).
/// Skills are fitted in parallel; the result does not depend on the number of threads. Reads
/// `data` only: several fits may run at once on the same dataset.
/// \throws std::invalid_argument on bad options (`num_fits < 1`, an interval outside [0, 1],
///         a fixed value outside its bounds, `multigs` without item classes) or an empty dataset.
/// \throws masterymap::unknown_id_error if `options.skills` names a skill not in the data.
/// Progress (progress.hpp) in rows x EM iterations: each skill counts its rows once per E-step
/// up to the most its restarts may take; a skill that converges early jumps to that allowance.
/// Cancelling returns no model.
[[nodiscard]] MASTERYMAP_API model fit(const dataset& data, const fit_options& options = {},
                                       const progress& progress = {});

/// K-fold cross-validation by learner: learners are shuffled with `seed` and dealt into
/// `folds` folds; each fold is scored by a model fitted on the others. One result per fold.
/// \throws std::invalid_argument if `folds < 2` or there are fewer learners than folds.
/// Progress in thousandths of a fold: 1000 per fold, shared by its fit's progress.
[[nodiscard]] MASTERYMAP_API std::vector<metrics> crossvalidate(const dataset& data,
                                                                const fit_options& options = {},
                                                                int folds = 5,
                                                                std::uint64_t seed = 42,
                                                                const progress& progress = {});

/// Simulates responses: `learners` learners answer `length` questions on every skill of
/// `params` (skills interleaved at random). Deterministic for a seed. With item classes, each
/// answer draws its class uniformly.
/// \throws std::invalid_argument for parameters a `model` refuses (a probability outside
///         [0, 1], a duplicate or empty skill, guess/slip sizes that do not match the classes).
[[nodiscard]] MASTERYMAP_API dataset simulate(const std::vector<skill_params>& params,
                                              std::size_t learners, std::size_t length,
                                              std::uint64_t seed);

// --- online tracing ---------------------------------------------------------------------------

/// Per-learner knowledge state over a fitted model, advanced one answer at a time in O(1).
///
/// The state of a (learner, skill) pair is P(L) for the next opportunity: the model prior
/// until the first answer, then the filtered and transitioned probability, exactly the
/// `state` column `model::predict` gives for a replay of the same answers.
///
/// Thread safety: const members (`mastery`, `predict_correct`, `find_learner`, `to_json`, ...)
/// may be called from any number of threads at once while nothing changes the tracer;
/// `update`, `update_batch`, `learner_index` (which adds a new learner), `reset`, `reset_all`
/// and `set_threshold` change it and need exclusive access. Tracers are independent: one per
/// thread needs no locking.
class MASTERYMAP_API tracer {
 public:
  /// \throws std::invalid_argument if `mastery_threshold` is not in [0, 1].
  explicit tracer(bkt::model m, double mastery_threshold = 0.95);
  tracer(const tracer&);
  tracer(tracer&&) noexcept;
  tracer& operator=(const tracer&);
  tracer& operator=(tracer&&) noexcept;
  ~tracer();

  [[nodiscard]] const bkt::model& model() const noexcept;
  [[nodiscard]] double threshold() const noexcept;
  void set_threshold(double t);

  /// Dense index of a learner, adding it if new.
  std::uint32_t learner_index(std::string_view learner);
  [[nodiscard]] std::optional<std::uint32_t> find_learner(std::string_view learner) const;
  [[nodiscard]] const std::vector<std::string>& learners() const noexcept;
  /// \throws masterymap::unknown_id_error
  [[nodiscard]] std::uint32_t skill_index(std::string_view skill) const;
  /// Index of an item class of the model, if known.
  [[nodiscard]] std::optional<std::uint32_t> find_class(std::string_view item_class) const;

  /// Advances the state with one answer and returns the new P(mastered).
  /// `item_class` (from `find_class`) picks per-class guess/slip; -1 uses the skill's mean.
  /// \throws std::out_of_range on a learner or skill index past the end.
  double update(std::uint32_t learner, std::uint32_t skill, bool correct,
                std::int64_t item_class = -1);
  /// By name; a new learner is added. \throws masterymap::unknown_id_error for an unknown skill.
  double update(std::string_view learner, std::string_view skill, bool correct,
                std::string_view item_class = {});
  /// Many updates in order; `mastery_out` / `p_correct_out` (may be null) receive, per event,
  /// P(mastered) after it and P(correct) before it. Indices are checked first: on error nothing
  /// is changed. \throws std::out_of_range
  void update_batch(const std::uint32_t* learners, const std::uint32_t* skills,
                    const std::uint8_t* correct, std::size_t n, double* mastery_out,
                    double* p_correct_out = nullptr);

  /// P(mastered) now (the prior before any answer).
  [[nodiscard]] double mastery(std::uint32_t learner, std::uint32_t skill) const;
  [[nodiscard]] double mastery(std::string_view learner, std::string_view skill) const;
  /// mastery >= threshold.
  [[nodiscard]] bool mastered(std::uint32_t learner, std::uint32_t skill) const;
  [[nodiscard]] bool mastered(std::string_view learner, std::string_view skill) const;
  /// P(correct) on the next answer.
  [[nodiscard]] double predict_correct(std::uint32_t learner, std::uint32_t skill) const;
  /// Answers seen for the pair.
  [[nodiscard]] std::uint32_t opportunities(std::uint32_t learner, std::uint32_t skill) const;
  /// Number of (learner, skill) pairs with at least one answer.
  [[nodiscard]] std::size_t tracked_pairs() const noexcept;

  /// Forgets every answer of a learner (the learner stays known). \throws
  /// masterymap::unknown_id_error
  void reset(std::string_view learner);
  /// Forgets every answer of every learner.
  void reset_all();

  /// Versioned JSON of the model, the threshold and every tracked state; doubles round-trip.
  [[nodiscard]] std::string to_json(int indent = -1) const;
  /// \throws masterymap::parse_error
  [[nodiscard]] static tracer from_json(std::string_view text);

  /// The same model, threshold, learners (in index order) and state of every tracked pair.
  friend MASTERYMAP_API bool operator==(const tracer& a, const tracer& b);
  friend bool operator!=(const tracer& a, const tracer& b) { return !(a == b); }

  struct impl;

 private:
  std::unique_ptr<impl> impl_;
};

[[nodiscard]] MASTERYMAP_API const char* to_string(multi_skill m) noexcept;
[[nodiscard]] MASTERYMAP_API const char* to_string(restart_strategy r) noexcept;
[[nodiscard]] MASTERYMAP_API const char* to_string(unknown_skill u) noexcept;
/// \throws std::invalid_argument on an unknown name.
[[nodiscard]] MASTERYMAP_API multi_skill parse_multi_skill(std::string_view text);
[[nodiscard]] MASTERYMAP_API restart_strategy parse_restart_strategy(std::string_view text);
[[nodiscard]] MASTERYMAP_API unknown_skill parse_unknown_skill(std::string_view text);

}  // namespace masterymap::bkt

#endif  // MASTERYMAP_BKT_HPP
