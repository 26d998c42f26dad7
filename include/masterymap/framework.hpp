// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
#ifndef MASTERYMAP_FRAMEWORK_HPP
#define MASTERYMAP_FRAMEWORK_HPP

#include <cstdint>
#include <initializer_list>
#include <map>
#include <masterymap/config.hpp>
#include <masterymap/error.hpp>
#include <masterymap/progress.hpp>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace masterymap {

/// Dense index of a competency inside a built framework (0 .. size()-1, insertion order).
using index_t = std::uint32_t;

/// Academic competencies are rated; dispositions (habits of work) are reported separately.
enum class competency_kind : std::uint8_t { academic, disposition };

/// How strongly a prerequisite gates its dependent.
enum class strength : std::uint8_t {
  required,     ///< backbone: the prerequisite must be mastered
  familiar,     ///< a lower minimum level (e.g. started / developing) is enough
  recommended,  ///< orders the learning, never gates
};

/// A set of strengths, used to filter prerequisite queries.
class strength_set {
 public:
  /// All three strengths.
  constexpr strength_set() noexcept = default;
  constexpr strength_set(std::initializer_list<strength> s) noexcept : bits_(0) {
    for (strength x : s) bits_ = static_cast<std::uint8_t>(bits_ | bit(x));
  }
  [[nodiscard]] static constexpr strength_set all() noexcept { return {}; }
  /// From a bit mask (bit k = strength k); 0 means none.
  [[nodiscard]] static constexpr strength_set from_bits(std::uint8_t bits) noexcept {
    strength_set s;
    s.bits_ = static_cast<std::uint8_t>(bits & 7U);
    return s;
  }
  /// The strengths that gate progress: required and familiar.
  [[nodiscard]] static constexpr strength_set gating() noexcept {
    return {strength::required, strength::familiar};
  }
  [[nodiscard]] constexpr bool contains(strength s) const noexcept { return (bits_ & bit(s)) != 0; }
  [[nodiscard]] constexpr bool is_all() const noexcept { return bits_ == 7; }
  [[nodiscard]] constexpr std::uint8_t bits() const noexcept { return bits_; }

 private:
  static constexpr std::uint8_t bit(strength s) noexcept {
    return static_cast<std::uint8_t>(1U << static_cast<unsigned>(s));
  }
  std::uint8_t bits_ = 7;
};

/// One competency (learning target, standard, skill).
struct competency {
  std::string id;  ///< stable id, e.g. "4.NF.B.3"
  std::string title;
  std::string description;
  std::string domain;        ///< domain or strand, e.g. "NF"
  std::optional<int> level;  ///< grade or learning-map level
  competency_kind kind = competency_kind::academic;
  std::vector<std::string> tags;
  std::map<std::string, std::string> metadata;  ///< free-form, e.g. {"grade": "K"}

  friend bool operator==(const competency& a, const competency& b) {
    return a.id == b.id && a.title == b.title && a.description == b.description &&
           a.domain == b.domain && a.level == b.level && a.kind == b.kind && a.tags == b.tags &&
           a.metadata == b.metadata;
  }
  friend bool operator!=(const competency& a, const competency& b) { return !(a == b); }
};

/// A prerequisite edge of a built framework: `dependent` requires `prerequisite`.
struct prerequisite_edge {
  index_t prerequisite;
  index_t dependent;
  masterymap::strength strength = masterymap::strength::required;
  /// Explicit minimum level of the prerequisite (a value on the policy's scale) for a familiar
  /// edge; when absent, the strength decides (see masterymap/progression.hpp): required = done
  /// (mastered, exceeded or exempt), familiar = the scale's lowest rating above the bottom when
  /// that is below mastery (else any evidence), recommended = never gates.
  std::optional<double> min_level;

  friend bool operator==(const prerequisite_edge& a, const prerequisite_edge& b) {
    return a.prerequisite == b.prerequisite && a.dependent == b.dependent &&
           a.strength == b.strength && a.min_level == b.min_level;
  }
};

/// A typed link kept with a framework that is neither a prerequisite nor a hierarchy link: a
/// CASE association such as "isRelatedTo", "exactMatchOf", "replacedBy" or an "ext:" type. An
/// end is a competency id of the framework or a node outside it (a URI). Associations never
/// gate and never order learning; formats (masterymap/io) keep them so nothing is lost, and
/// users query them.
struct association {
  std::string type;         ///< e.g. "isRelatedTo"; never empty
  std::string origin;       ///< competency id, or an outside node (a URI); never empty
  std::string destination;  ///< competency id, or an outside node (a URI); never empty
  std::map<std::string, std::string> metadata;  ///< free-form, e.g. the CASE identifier

  friend bool operator==(const association& a, const association& b) {
    return a.type == b.type && a.origin == b.origin && a.destination == b.destination &&
           a.metadata == b.metadata;
  }
  friend bool operator!=(const association& a, const association& b) { return !(a == b); }
};

/// A prerequisite edge that `build_options::drop_cycle_edges` removed, with why.
struct dropped_edge {
  std::string prerequisite;
  std::string dependent;
  std::string reason;  ///< "self_loop", "duplicate" or "cycle: A -> B -> A"

  friend bool operator==(const dropped_edge& a, const dropped_edge& b) {
    return a.prerequisite == b.prerequisite && a.dependent == b.dependent && a.reason == b.reason;
  }
  friend bool operator!=(const dropped_edge& a, const dropped_edge& b) { return !(a == b); }
};

/// Options for `framework_builder::build`.
struct build_options {
  /// Instead of failing on prerequisite cycles and self-loops, drop the edges that close them
  /// (self-loops, and the back edges of a depth-first search in insertion order) and report
  /// each in `framework::dropped_edges()`. Every other problem still fails the build.
  bool drop_cycle_edges = false;
  /// Instead of failing on a repeated prerequisite (same pair, any strength) or hierarchy link,
  /// keep the first and report the others in `framework::dropped_edges()`.
  bool drop_duplicate_edges = false;
};

class framework;

/// Collects competencies, hierarchy links and prerequisites, then validates everything at once.
///
/// Nothing is checked while adding (so input can arrive in any order); `build()` reports every
/// problem together.
///
/// Thread safety: as a standard container: const members (`build` included) may run
/// concurrently; the `add_*` calls need exclusive access.
class MASTERYMAP_API framework_builder {
 public:
  explicit framework_builder(std::string name = {});

  /// Adds a competency. Duplicate ids are reported by `build()`.
  framework_builder& add_competency(competency c);
  /// Shorthand for `add_competency` with the common fields.
  framework_builder& add_competency(std::string id, std::string title = {}, std::string domain = {},
                                    std::optional<int> level = std::nullopt);
  /// Makes `child` a child of `parent` in the hierarchy. A child may have several parents.
  framework_builder& add_child(std::string parent, std::string child);
  /// Says that `dependent` requires `prerequisite` with the given strength.
  framework_builder& add_prerequisite(std::string dependent, std::string prerequisite,
                                      strength s = strength::required,
                                      std::optional<double> min_level = std::nullopt);

  /// Sets one entry of the framework's own metadata (e.g. where it came from).
  framework_builder& set_metadata(std::string key, std::string value);
  /// Keeps an association (see `association`). Its ends need not be competencies; `build()`
  /// reports an empty type or end.
  framework_builder& add_association(association a);

  [[nodiscard]] const std::string& name() const noexcept { return name_; }
  [[nodiscard]] std::size_t competency_count() const noexcept { return competencies_.size(); }

  /// Validates and freezes. The builder is left unchanged and can be built again.
  /// \throws masterymap::cycle_error if the only problems are cycles (each named in order).
  /// \throws masterymap::validation_error listing every problem: duplicate ids, unknown ids,
  ///         self-loops, duplicate edges, prerequisite and hierarchy cycles.
  /// Complexity: O((V + E) log V). Progress (progress.hpp) in competencies + hierarchy links +
  /// prerequisites, counted twice (resolved, then frozen).
  [[nodiscard]] framework build(const build_options& options = {},
                                const progress& progress = {}) const&;
  /// The same, moving the competencies and associations into the framework instead of copying
  /// them (a reader's builder, e.g. `std::move(b).build()`): on success the builder is left
  /// valid but unspecified; on a validation error it is unchanged.
  [[nodiscard]] framework build(const build_options& options = {},
                                const progress& progress = {}) &&;

  /// What was added so far, unchecked, in the framework JSON format (`framework::to_json`):
  /// `framework::from_json` of it builds what `build()` would.
  [[nodiscard]] std::string to_json(int indent = 2) const;
  /// A builder holding the competencies and links of a framework JSON text, not yet checked
  /// (`build` does that). Edges listed as dropped (`dropped_edges`) are reported by the built
  /// framework first. \throws masterymap::parse_error as `framework::from_json`.
  [[nodiscard]] static framework_builder from_json(std::string_view text);

  /// The same name, and the same competencies, links and dropped edges in the same order.
  friend bool operator==(const framework_builder& a, const framework_builder& b) {
    return a.name_ == b.name_ && a.competencies_ == b.competencies_ &&
           a.hierarchy_ == b.hierarchy_ && a.prerequisites_ == b.prerequisites_ &&
           a.dropped_ == b.dropped_ && a.metadata_ == b.metadata_ &&
           a.associations_ == b.associations_;
  }
  friend bool operator!=(const framework_builder& a, const framework_builder& b) {
    return !(a == b);
  }

 private:
  framework build_impl(const build_options& options, const progress& progress, bool consume) const;
  struct raw_edge {
    std::string from, to;  // from = prerequisite (or parent), to = dependent (or child)
    strength s;
    std::optional<double> min_level;
    friend bool operator==(const raw_edge& a, const raw_edge& b) {
      return a.from == b.from && a.to == b.to && a.s == b.s && a.min_level == b.min_level;
    }
  };
  std::string name_;
  std::vector<competency> competencies_;
  std::vector<std::pair<std::string, std::string>> hierarchy_;  // (parent, child)
  std::vector<raw_edge> prerequisites_;
  std::vector<dropped_edge> dropped_;  // by an earlier build (read from JSON)
  std::map<std::string, std::string> metadata_;
  std::vector<association> associations_;
};

/// An immutable, validated competency framework: competencies with dense indices, a hierarchy
/// and a typed, acyclic prerequisite graph (CSR adjacency in both directions).
///
/// Copies share the same frozen data, so copying is cheap.
///
/// Thread safety: immutable. Every member is const and may be called from any number of threads
/// at once, on one framework or on copies, without locks (the graph queries keep their scratch
/// space per thread).
class MASTERYMAP_API framework {
 public:
  /// An empty framework.
  framework();

  [[nodiscard]] const std::string& name() const noexcept;
  /// Number of competencies.
  [[nodiscard]] std::size_t size() const noexcept;
  /// Number of prerequisite edges.
  [[nodiscard]] std::size_t edge_count() const noexcept;
  /// Edges dropped by `build_options::drop_cycle_edges` (empty otherwise).
  [[nodiscard]] const std::vector<dropped_edge>& dropped_edges() const noexcept;
  /// The framework's own metadata (e.g. the CASE document it was read from).
  [[nodiscard]] const std::map<std::string, std::string>& metadata() const noexcept;
  /// The kept associations (see `association`), in insertion order.
  [[nodiscard]] const std::vector<association>& associations() const noexcept;

  // --- lookup -------------------------------------------------------------------------------
  [[nodiscard]] bool contains(std::string_view id) const noexcept;
  [[nodiscard]] std::optional<index_t> find(std::string_view id) const noexcept;
  /// \throws masterymap::unknown_id_error if `id` is not a competency.
  [[nodiscard]] index_t index_of(std::string_view id) const;
  /// \throws std::out_of_range if `i >= size()`.
  [[nodiscard]] const competency& at(index_t i) const;
  /// \throws masterymap::unknown_id_error
  [[nodiscard]] const competency& at(std::string_view id) const;
  [[nodiscard]] const std::string& id_of(index_t i) const;
  [[nodiscard]] const std::vector<competency>& competencies() const noexcept;

  // --- prerequisite graph -------------------------------------------------------------------
  /// Every prerequisite edge, in insertion order.
  [[nodiscard]] const std::vector<prerequisite_edge>& edges() const noexcept;
  /// The edges into `i` (its direct prerequisites), in insertion order.
  [[nodiscard]] std::vector<prerequisite_edge> edges_into(index_t i) const;
  /// The edges out of `i` (to its direct dependents), in insertion order.
  [[nodiscard]] std::vector<prerequisite_edge> edges_out_of(index_t i) const;

  /// Direct (or, with `transitive`, all) prerequisites of `i`. Direct results come in edge
  /// insertion order; transitive results in topological (learning) order.
  /// Only edges whose strength is in `filter` are followed.
  /// Complexity: O(k + e) for k results and e visited edges, plus O(min(k log k, V / 64)).
  [[nodiscard]] std::vector<index_t> prerequisites(index_t i, bool transitive = false,
                                                   strength_set filter = {}) const;
  /// Direct (or, with `transitive`, all) dependents of `i`, ordered as `prerequisites`.
  [[nodiscard]] std::vector<index_t> dependents(index_t i, bool transitive = false,
                                                strength_set filter = {}) const;
  /// The union of the transitive prerequisites of every index in `roots` (roots excluded unless
  /// one is an ancestor of another), in topological (learning) order. The batch form of
  /// `prerequisites(i, true)`. \throws std::out_of_range on an index past the end.
  /// Complexity: O(k + e) for k results and e visited edges, plus O(min(k log k, V / 64)).
  [[nodiscard]] std::vector<index_t> ancestors(const std::vector<index_t>& roots,
                                               strength_set filter = {}) const;
  /// The batch form of `dependents(i, true)`; see `ancestors`.
  [[nodiscard]] std::vector<index_t> descendants(const std::vector<index_t>& roots,
                                                 strength_set filter = {}) const;

  /// Deterministic topological order: among the competencies that are ready, the earliest
  /// inserted comes first (stable under insertion order). Computed once at build.
  [[nodiscard]] const std::vector<index_t>& topological_order() const noexcept;
  /// Position of each competency in `topological_order()`.
  [[nodiscard]] const std::vector<index_t>& topological_rank() const noexcept;
  /// Depth of each competency: the number of edges of the longest prerequisite chain ending at it.
  [[nodiscard]] const std::vector<std::uint32_t>& depths() const noexcept;
  /// The longest prerequisite chain (first = the deepest root prerequisite). Ties go to the
  /// chain that ends earliest in topological order. Empty for an empty framework.
  [[nodiscard]] std::vector<index_t> longest_chain() const;
  /// Edges implied by a longer path (a curriculum lint: the transitive-reduction complement),
  /// in insertion order. Only edges with strength in `filter` are considered. An edge is implied
  /// only by a path whose every link is at least as strong (required > familiar > recommended):
  /// a path through a recommended link never implies a required or familiar edge (recommended
  /// never gates), and a path through a familiar link never implies a required edge.
  /// Complexity: O(V * E / 64) bit operations, in column blocks bounding memory to ~64 MiB.
  /// Progress (progress.hpp) in competencies visited, once per block of columns.
  [[nodiscard]] std::vector<prerequisite_edge> redundant_prerequisites(
      strength_set filter = {}, const progress& progress = {}) const;

  // --- hierarchy and grouping ---------------------------------------------------------------
  [[nodiscard]] std::vector<index_t> children(index_t i) const;
  [[nodiscard]] std::vector<index_t> parents(index_t i) const;
  /// Hierarchy links as (parent, child), in insertion order.
  [[nodiscard]] const std::vector<std::pair<index_t, index_t>>& hierarchy() const noexcept;
  /// Distinct non-empty domains, in order of first appearance.
  [[nodiscard]] std::vector<std::string> domains() const;
  /// Competencies of a domain (all levels, or only `level`), in index order.
  [[nodiscard]] std::vector<index_t> competencies_in(std::string_view domain,
                                                     std::optional<int> level = std::nullopt) const;
  /// The framework restricted to `keep` (competencies, and the edges and links among them), with
  /// indices renumbered in the original order. Metadata is kept, and every association none of
  /// whose ends is a competency left out. \throws std::out_of_range
  [[nodiscard]] framework subgraph(const std::vector<index_t>& keep) const;

  // --- formats ------------------------------------------------------------------------------
  /// Versioned native JSON (`"format": "masterymap.framework", "version": 2`, edges as
  /// `{"prerequisite", "dependent", "strength", "min_level"}`, and `dropped_edges` when a build
  /// dropped any); round-trips exactly, the dropped edges included.
  /// `from_json` also reads version 1, whose edges say `requires` and `competency`.
  [[nodiscard]] std::string to_json(int indent = 2) const;
  /// \throws masterymap::parse_error with line/column for malformed JSON, or with the JSON path
  ///         of a missing or mistyped field; masterymap::validation_error for an invalid graph.
  [[nodiscard]] static framework from_json(std::string_view text,
                                           const build_options& options = {});

  /// Same name, competencies, hierarchy, edges, metadata and associations, in the same order.
  friend MASTERYMAP_API bool operator==(const framework& a, const framework& b);
  friend bool operator!=(const framework& a, const framework& b) { return !(a == b); }

  struct impl;

 private:
  friend class framework_builder;
  explicit framework(std::shared_ptr<const impl> p) noexcept;
  std::shared_ptr<const impl> impl_;
};

/// Text names: "academic"/"disposition", "required"/"familiar"/"recommended".
[[nodiscard]] MASTERYMAP_API const char* to_string(competency_kind k) noexcept;
[[nodiscard]] MASTERYMAP_API const char* to_string(strength s) noexcept;
/// \throws std::invalid_argument on an unknown name.
[[nodiscard]] MASTERYMAP_API competency_kind parse_competency_kind(std::string_view text);
/// \throws std::invalid_argument on an unknown name.
[[nodiscard]] MASTERYMAP_API strength parse_strength(std::string_view text);
/// "framework 'name': N competencies, E prerequisites".
[[nodiscard]] MASTERYMAP_API std::string to_string(const framework& f);

}  // namespace masterymap

#endif  // MASTERYMAP_FRAMEWORK_HPP
