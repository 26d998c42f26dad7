// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// Private: the representation behind masterymap::roster, and the helpers its parts share.
//
//   roster.cpp           ingest, the per-competency O(1) path, re-evaluation, the queries
//   roster_snapshot.cpp  the binary snapshot: roster::save, roster::load, to_bytes, from_bytes;
//                        and roster equality
//
// Includes accumulate.hpp (through decision.hpp): every file that includes this header must be
// compiled with -ffp-contract=off (see src/CMakeLists.txt).
#ifndef MASTERYMAP_SRC_ROSTER_IMPL_HPP
#define MASTERYMAP_SRC_ROSTER_IMPL_HPP

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <limits>
#include <masterymap/roster.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "accumulate.hpp"
#include "bit_util.hpp"
#include "decision.hpp"
#include "evidence_impl.hpp"
#include "inference.hpp"
#include "memory_util.hpp"
#include "parallel.hpp"
#include "progress_meter.hpp"

namespace masterymap::detail {

/// out[c] = bit c of `w` ? value : 0 for c < n: the inferred bits of a learner as bytes (statuses
/// or attainment codes). Eight bits at a time through a 256-entry table of byte masks on a
/// little-endian machine (one load and one 8-byte store per 8 competencies), bit by bit elsewhere.
/// O(n / 8).
inline void spread_bits(const std::uint64_t* w, std::size_t n, std::uint8_t value,
                        std::uint8_t* out) noexcept {
  std::size_t c = 0;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  struct masks {
    std::uint64_t m[256];
    constexpr masks() : m() {
      for (unsigned b = 0; b < 256; ++b)
        for (unsigned i = 0; i < 8; ++i)
          if (((b >> i) & 1U) != 0) m[b] |= std::uint64_t{0xFF} << (8 * i);
    }
  };
  static constexpr masks byte_masks{};
  const std::uint64_t v8 = std::uint64_t{value} * 0x0101010101010101ULL;
  for (; c + 8 <= n; c += 8) {
    const std::uint64_t x = byte_masks.m[(w[c / 64] >> (c % 64)) & 0xFFU] & v8;
    std::memcpy(out + c, &x, 8);
  }
#endif
  for (; c < n; ++c) out[c] = ((w[c / 64] >> (c % 64)) & 1U) != 0 ? value : std::uint8_t{0};
}

/// "No score" in the roster's tables.
inline constexpr double nan_v = std::numeric_limits<double>::quiet_NaN();

/// Owning buffers behind an evidence_columns batch taken from (rows of) an evidence log; the
/// `*_ptr` columns, when set, are the log's own (a whole log: not copied), of `rows` rows.
struct column_buffer {
  std::vector<std::uint32_t> learner, competency, kind, source;
  std::vector<double> time, score, weight;
  std::vector<std::string_view> learner_names, competency_names, kind_names, source_names;
  std::vector<std::string_view> timestamp;  // empty, or one text per row ("" = none)
  const double* time_ptr = nullptr;
  const std::uint32_t* learner_ptr = nullptr;
  const std::uint32_t* competency_ptr = nullptr;
  std::size_t rows = 0;

  [[nodiscard]] evidence_columns columns() const {
    evidence_columns b;
    b.size = learner_ptr ? rows : learner.size();
    b.learner = {learner_ptr ? learner_ptr : learner.data(), learner_names};
    b.competency = {competency_ptr ? competency_ptr : competency.data(), competency_names};
    b.kind = {kind.data(), kind_names};
    b.source = {source.data(), source_names};
    b.time.values = time_ptr ? time_ptr : time.data();
    b.score.values = score.data();
    b.weight.values = weight.data();
    b.timestamp = timestamp;
    return b;
  }
};

/// Every row of `log` (rows == nullptr), or the listed rows with learner codes remapped
/// (`learner_code`, `learner_names`): the columns of a batch for evidence_log::append. Checks `m`
/// (if any) between blocks of rows; large buffers are populated on `threads`. `in_place` (a whole
/// log that is not the one being appended to): its learner, competency and time columns are
/// used in place. O(rows).
column_buffer columns_of(const evidence_log& log, const std::vector<std::uint32_t>* rows,
                         const std::vector<std::uint32_t>* learner_code,
                         const std::vector<std::string_view>* learner_names,
                         detail::meter* m = nullptr, unsigned threads = 1, bool in_place = false);

/// Grows `v` to `size` elements of `value` (amortised: capacity grows geometrically). Restoring
/// or growing a roster allocates hundreds of megabytes of dense tables, and first-touch page
/// faults then dominate: large tables are reserved first, advised to use transparent huge pages,
/// and the part about to be filled is populated by the kernel in parallel (memory_util.hpp), so
/// the fill runs at memory bandwidth. With a meter, populates and fills in blocks, checking it
/// between them (a cancelled grow leaves `v` longer; the caller shrinks it back).
template <typename T>
void grow(std::vector<T>& v, std::size_t size, const T& value, unsigned threads = 1,
          meter* m = nullptr) {
  if (size <= v.size()) return;
  if (size > v.capacity()) {
    v.reserve(std::max(size, v.capacity() + v.capacity() / 2));
    const std::size_t bytes = v.capacity() * sizeof(T);
    if (bytes >= detail::huge_min_bytes) {
      detail::advise_huge(v.data(), bytes);
      const auto begin = reinterpret_cast<std::uintptr_t>(v.data());
      const std::uintptr_t aligned = (begin + detail::huge_page - 1) & ~(detail::huge_page - 1);
      const std::uintptr_t from =
          aligned + ((begin + v.size() * sizeof(T) > aligned)
                         ? ((begin + v.size() * sizeof(T) - aligned + detail::huge_page - 1) &
                            ~(detail::huge_page - 1))
                         : 0);
      const std::uintptr_t to = (begin + size * sizeof(T)) & ~(detail::huge_page - 1);
      if (to > from) {
        const std::size_t chunks = (to - from) / detail::huge_page;
        detail::parallel_for(
            chunks, threads, 8,
            [&](std::size_t b, std::size_t e) {
              for_blocks(b, e, 1, m, [&](std::size_t x, std::size_t y) {
                detail::populate_chunks(reinterpret_cast<const void*>(from), x, y);
              });
            },
            m);
      }
    }
  }
  if (m == nullptr || (size - v.size()) * sizeof(T) < huge_min_bytes) {
    v.resize(size, value);
    return;
  }
  for_blocks(v.size(), size, huge_page / sizeof(T), m,
             [&](std::size_t, std::size_t e) { v.resize(e, value); });
}

// --- the per-competency O(1) path (roster.cpp) ---------------------------------------------------

/// Running state of one (learner, competency) pair over its events up to the evaluation time.
struct accumulator {
  detail::running run;  // the method over the counted events (run.n: how many were counted)
  double last_time = -std::numeric_limits<double>::infinity();
  double pre_max = -std::numeric_limits<double>::infinity();
  std::array<float, max_tracked_kinds> require_last, confirm_last;  // NaN: none yet
  bool waived = false;  // a waiver among the events (decision.hpp, rule_conditions::waived)
  accumulator() {
    require_last.fill(std::numeric_limits<float>::quiet_NaN());
    confirm_last.fill(std::numeric_limits<float>::quiet_NaN());
  }
};

/// A table cell as it was before an ingest wrote it on the O(1) path.
struct cell_before {
  std::size_t cell;
  double score;
  status st;
  std::int8_t rating;
  std::uint8_t attainment;
};

/// What `roster::impl::ingest` changes before it commits, kept so that a cancelled or failed
/// ingest leaves the roster exactly as it was: the log's sizes, the roster's learners, the
/// log competencies mapped and the evaluation time; the cells the O(1) path wrote, in order
/// (in `cells`, the roster's scratch list: one event allocates nothing); and whether the commit
/// (writing re-evaluated rows, which nothing may interrupt) has begun.
struct ingest_undo {
  evidence_log::impl::mark log{};
  std::size_t learners = 0;
  std::size_t comp_index = 0;
  double as_of = 0;
  std::vector<cell_before>& cells;
  bool committed = false;
};

}  // namespace masterymap::detail

namespace masterymap {

/// The state of a roster: the engine and progression, the evidence log, the sparse rows (per
/// learner its touched cells) and the O(1) path's bound rules and accumulators.
struct roster::impl {
  masterymap::engine engine;
  masterymap::progression progression;
  roster_options options;
  evidence_log log;
  ingest_checks checks;
  bool time_dependent = false;
  std::size_t competencies = 0;
  double as_of = detail::nan_v;
  // Per learner, its touched cells (those not "not started, no score, no rating"), ascending
  // by competency; nothing for an untouched cell. A competency that is only inferred (status
  // inferred, no score, no rating: the inference walk's output, often most of a learner's done
  // prerequisites) is a bit of `inferred` instead: `words` 64-bit words per learner, bit c of
  // learner l at inferred[l * words + c / 64]. Invariants (the form is canonical, so two rosters
  // compare member by member): no stored cell is the default or only inferred; a set bit has no
  // cell.
  std::vector<std::vector<roster_cell>> cells;
  std::vector<std::uint64_t> inferred;
  std::size_t words = 0;                         // (competencies + 63) / 64
  std::uint8_t inferred_code = 0;                // progression.attainment(inferred, no score)
  std::vector<std::vector<std::uint32_t>> rows;  // per learner, ascending log rows
  std::vector<std::uint32_t> comp_index;         // log competency code -> framework index
  // The O(1) path: per distinct rule its bound form, per competency its rule (-1: no fast path).
  std::vector<detail::folding_rule> folding_rules;
  std::vector<std::int32_t> folding_rule_of;
  std::size_t bound_kinds = 0;  // log kinds the fast rules are bound to
  // Per learner, the accumulators built so far (a learner touches few competencies: a short
  // contiguous list is searched faster than a hash map is probed, and costs no node per pair).
  struct learner_accumulators {
    std::vector<index_t> comp;
    std::vector<detail::accumulator> acc;
  };
  std::vector<learner_accumulators> accumulators;
  struct timed_row {
    double t;
    std::uint32_t r;
  };
  std::vector<timed_row> scratch_events;        // building an accumulator
  std::vector<detail::cell_before> undo_cells;  // ingest_undo::cells
  learner_row infer_row;                        // reinfer's dense row
  // While an ingest runs: where `reinfer` records the row it rewrites (it may be undone).
  std::vector<detail::cell_before>* journal = nullptr;
  std::vector<std::uint32_t>
      log_comp;  // framework index -> log competency code (UINT32_MAX: none yet)
  // Inferred mastery: the links of the policy's infer_prerequisites, per learner whether it has
  // placement evidence (such a learner's inference is recomputed from its evidence).
  detail::inference_graph inference;
  // Inference with rollups: a rollup parent may become inferred over inferred parts, which
  // `reinfer` does not compute; a change of class then takes the full path.
  bool rollup_inference = false;
  std::vector<std::uint8_t> placed;
  detail::infer_scratch infer_work;
  // While `ingest_statements` runs: the statements path of the log's append (idempotent by
  // source), and what it did.
  statements_summary* statements = nullptr;

  // --- the sparse rows ---------------------------------------------------------------------------

  /// A cell's values.
  struct cell_state {
    status st = status::not_started;
    double score = detail::nan_v;
    std::int8_t rating = -1;
    std::uint8_t attainment = 0;
  };
  [[nodiscard]] static bool is_default(status st, double score, std::int8_t rating) noexcept {
    return st == status::not_started && std::isnan(score) && rating == -1;
  }
  [[nodiscard]] static bool only_inferred(status st, double score, std::int8_t rating) noexcept {
    return st == status::inferred && std::isnan(score) && rating == -1;
  }
  [[nodiscard]] bool bit(std::size_t l, index_t c) const noexcept {
    return ((inferred[l * words + c / 64] >> (c % 64)) & 1U) != 0;
  }
  void set_bit(std::size_t l, index_t c, bool on) noexcept {
    std::uint64_t& w = inferred[l * words + c / 64];
    const std::uint64_t m = std::uint64_t{1} << (c % 64);
    w = on ? (w | m) : (w & ~m);
  }
  /// Calls f(c) for each competency c only inferred for learner l, ascending. O(C / 64 + bits).
  template <typename F>
  void each_inferred(std::size_t l, F&& f) const {
    const std::uint64_t* w = inferred.data() + l * words;
    for (std::size_t k = 0; k < words; ++k)
      for (std::uint64_t b = w[k]; b != 0; b &= b - 1)
        f(static_cast<index_t>(k * 64 + detail::lowest_bit(b)));
  }
  /// The stored cell of learner l and competency c, or nullptr. O(log touched).
  [[nodiscard]] const roster_cell* find_cell(std::size_t l, index_t c) const noexcept {
    const auto& v = cells[l];
    const auto it = std::lower_bound(
        v.begin(), v.end(), c, [](const roster_cell& x, index_t k) { return x.competency < k; });
    return it != v.end() && it->competency == c ? &*it : nullptr;
  }
  /// The values of (l, c): a stored cell, an inferred bit, or the default.
  [[nodiscard]] cell_state get(std::size_t l, index_t c) const noexcept {
    if (const roster_cell* x = find_cell(l, c))
      return {x->status, x->score, x->rating, x->attainment};
    if (bit(l, c)) return {status::inferred, detail::nan_v, std::int8_t{-1}, inferred_code};
    return {};
  }
  /// (l, c) as it is now, for an undo journal.
  [[nodiscard]] detail::cell_before before(std::size_t l, index_t c) const noexcept {
    const cell_state x = get(l, c);
    return {l * competencies + c, x.score, x.st, x.rating, x.attainment};
  }
  /// Starts loading learner l's cells (all their cache lines at once, so that a binary search
  /// does not wait for one miss after another).
  void prefetch_cells(std::size_t l) const noexcept {
#if defined(__GNUC__) || defined(__clang__)
    const auto& v = cells[l];
    const char* p = reinterpret_cast<const char*>(v.data());
    for (std::size_t k = 0; k < v.size() * sizeof(roster_cell); k += 64) __builtin_prefetch(p + k);
#else
    (void)l;
#endif
  }
  /// Writes (l, c): a cell inserted, updated or removed (the default, or only inferred: a bit).
  /// O(touched).
  void set_cell(std::size_t l, index_t c, status st, double score, std::int8_t rating,
                std::uint8_t attainment) {
    auto& v = cells[l];
    const auto it = std::lower_bound(
        v.begin(), v.end(), c, [](const roster_cell& x, index_t k) { return x.competency < k; });
    const bool as_bit = only_inferred(st, score, rating);
    const bool none = as_bit || is_default(st, score, rating);
    set_bit(l, c, as_bit);
    if (it != v.end() && it->competency == c) {
      if (none) {
        v.erase(it);
      } else {
        it->score = score;
        it->status = st;
        it->rating = rating;
        it->attainment = attainment;
      }
    } else if (!none) {
      roster_cell x;
      x.score = score;
      x.competency = c;
      x.status = st;
      x.rating = rating;
      x.attainment = attainment;
      v.insert(it, x);
    }
  }
  /// Restores a journalled cell.
  void restore(const detail::cell_before& b) {
    set_cell(b.cell / competencies, static_cast<index_t>(b.cell % competencies), b.st, b.score,
             b.rating, b.attainment);
  }
  /// Materialises learner l's dense row into the arrays given (each `competencies` long, or
  /// nullptr when not wanted). O(competencies + touched).
  void materialise(std::size_t l, status* st, double* sc, std::int8_t* ra, std::uint8_t* at) const {
    const std::size_t n = competencies;
    const std::uint64_t* bits = inferred.data() + l * words;
    static_assert(sizeof(status) == 1, "status is one byte");
    if (st != nullptr)  // not started (0) or, from the bits, inferred
      detail::spread_bits(bits, n, static_cast<std::uint8_t>(status::inferred),
                          reinterpret_cast<std::uint8_t*>(st));
    if (sc != nullptr) std::fill_n(sc, n, detail::nan_v);
    if (ra != nullptr) std::fill_n(ra, n, std::int8_t{-1});
    if (at != nullptr) detail::spread_bits(bits, n, inferred_code, at);
    for (const roster_cell& x : cells[l]) {
      if (st != nullptr) st[x.competency] = x.status;
      if (sc != nullptr) sc[x.competency] = x.score;
      if (ra != nullptr) ra[x.competency] = x.rating;
      if (at != nullptr) at[x.competency] = x.attainment;
    }
  }
  /// Replaces learner l's cells and bits by those of a dense row (attainment codes computed).
  /// O(competencies).
  void store_row(std::size_t l, const status* st, const double* sc, const std::int8_t* ra) {
    std::fill_n(inferred.begin() + static_cast<std::ptrdiff_t>(l * words), words, 0);
    std::size_t k = 0;
    for (std::size_t c = 0; c < competencies; ++c)
      k += static_cast<std::size_t>(!is_default(st[c], sc[c], ra[c]) &&
                                    !only_inferred(st[c], sc[c], ra[c]));
    std::vector<roster_cell> v;
    v.reserve(k);
    for (std::size_t c = 0; c < competencies; ++c) {
      if (is_default(st[c], sc[c], ra[c])) continue;
      if (only_inferred(st[c], sc[c], ra[c])) {
        set_bit(l, static_cast<index_t>(c), true);
        continue;
      }
      roster_cell x;
      x.score = sc[c];
      x.competency = static_cast<index_t>(c);
      x.status = st[c];
      x.rating = ra[c];
      x.attainment = progression.attainment(st[c], sc[c]);
      v.push_back(x);
    }
    cells[l] = std::move(v);
  }
  /// roster::row into `out` (sized here). \throws std::out_of_range for a bad learner index.
  void row_of(std::size_t l, learner_row& out) const;

  /// Whether log row `r` is retracted (evidence_log::retract): it never counts.
  [[nodiscard]] bool dead(std::size_t r) const noexcept {
    return !log.retractions().empty() && log.attributes()[log.attribute_codes()[r]].retracted;
  }
  /// Retracts `batch` in the log and re-evaluates the learners with rows it voids (checked by
  /// the caller). O(attribute triples + log rows) + the re-evaluation.
  void retract(const std::vector<retraction>& batch, statements_summary& s);

  /// Recomputes learner l's inferred statuses (and their attainments) from its other statuses:
  /// the inference walk of the O(1) path when a cell changes between not earned and earned or
  /// contrary. Learners with placements are re-evaluated instead. O(V + E) worst case.
  inline void reinfer(std::uint32_t l);
  /// Re-evaluates every learner (a snapshot from before inferred mastery: version < 3).
  void reevaluate_all();

  // Member functions. Those called across files are declared plainly (defined in roster.cpp,
  // called by roster_ingest.cpp and roster_snapshot.cpp). The per-event ones are declared
  // inline, as they were when defined inside the class, so the compiler keeps inlining them
  // (prefetch_row, accumulator_of, ...) into the ingest loop: each is defined in, and may only
  // be called from, one file (roster_ingest.cpp, or roster.cpp for view and last_evidence).

  /// An empty roster: the engine, the policy's kinds in the log, the O(1) path's rules.
  impl(masterymap::framework fw, masterymap::policy p, roster_options o);
  /// Grows the tables (not started, no score, no rating) and the per-learner lists to `learners`.
  /// Checks `m` (if any) between blocks.
  void grow_tables(std::size_t learners, detail::meter* m = nullptr);
  /// Appends log rows from `from` on to their learners' lists (and maps new log competencies).
  /// Checks `m` (if any) between blocks. A bulk load (more new rows than learners, 64K+) is
  /// counting-sorted on every core; then `counts` (if given) receives each learner's new rows
  /// (else it is left empty). O(new rows + learners).
  void index_rows(std::size_t from, detail::meter* m = nullptr,
                  std::vector<std::uint32_t>* counts = nullptr);
  /// Recomputes the attainments of `learners` from their statuses and scores.
  void encode_rows(const std::vector<std::uint32_t>& learners, detail::meter* m = nullptr);

  /// Binds the fast rules to the log's kind codes (again when the log gained kinds).
  inline void bind_kinds();
  /// The accumulator of (l, c) over the learner's rows before `row` up to as_of; built from the
  /// learner's rows when missing or stale.
  inline detail::accumulator& accumulator_of(std::uint32_t l, index_t c, std::uint32_t row);
  /// Starts loading what `apply_fast` will touch for row `r` (the four table cells of its learner
  /// and competency, the learner's accumulators and rows), so that the cache misses of one event
  /// overlap instead of following one another.
  inline void prefetch_row(std::size_t r) const noexcept;
  /// Starts loading learner l's headers and its inferred word of competency c (before a
  /// one-event append; apply_one then finds them in cache).
  inline void prefetch_learner(std::size_t l, index_t c) const noexcept;
  /// Starts loading what learner l's headers point to (its row list's end, accumulators, cells).
  inline void prefetch_targets(std::size_t l) const noexcept;
  /// Applies row `r` (of learner l) on the O(1) path; false when it needs the full path.
  inline bool apply_fast(std::uint32_t l, std::uint32_t r);
  /// Re-evaluates `learners` (log learner codes) from their full evidence at the current as_of.
  void reevaluate(const std::vector<std::uint32_t>& learners);
  /// The ratings of `learners` (ascending log learner codes) from their full evidence at the
  /// current as_of, without changing the roster. Progress on `m` from `from` to `to`.
  ratings_table rate(const std::vector<std::uint32_t>& learners, detail::meter* m,
                     std::uint64_t from, std::uint64_t to) const;
  /// Writes `t` (from `rate(learners)`) into the rows of the learners before `first_new` and
  /// drops their accumulators (the commit of an ingest: not interrupted).
  void write_rows(const std::vector<std::uint32_t>& learners, const ratings_table& t,
                  std::size_t first_new);
  /// Gives learners[b..e) each an empty cell array with room for exactly its stored cells in
  /// `t` (entries [first[i], first[i + 1])), allocated in learner order.
  void size_cells(const std::vector<std::uint32_t>& learners, const ratings_table& t,
                  const std::vector<std::size_t>& first, std::size_t b, std::size_t e);
  /// Replaces learner l's cells by the entries [from, to) of `t` (its long-form rows).
  void fill_cells(std::uint32_t l, const ratings_table& t, std::size_t from, std::size_t to);
  /// Writes `t` into the rows of the learners from `first_new` on: rows the tables grew with in
  /// this ingest, still at their defaults (undone by shrinking the tables). Checks `m`.
  void write_new_rows(const std::vector<std::uint32_t>& learners, const ratings_table& t,
                      std::size_t first_new, detail::meter* m);

  /// roster::ingest: appends the batch, then updates the touched learners; a cancelled or failed
  /// ingest is undone. Progress: the batch's rows, counted three times (validated, applied,
  /// re-evaluated).
  ingest_summary ingest(const evidence_columns& batch, const progress& progress);
  /// Appends a batch to the log, all or nothing, reporting through its argument.
  using append_step = std::function<void(const progress&)>;
  /// ingest of a batch of `batch_rows` rows that `append` adds to the log.
  ingest_summary ingest(std::size_t batch_rows, const append_step& append,
                        const progress& progress);
  /// ingest's steps, recording in `u` what they change.
  inline ingest_summary ingest_steps(std::size_t n, const append_step& append, detail::meter& m,
                                     detail::ingest_undo& u);
  /// Undoes what an ingest recorded in `u` (before its commit).
  inline void undo_ingest(const detail::ingest_undo& u);
  /// One event by roster learner index and framework index: no name lookups.
  inline ingest_summary add(std::size_t learner, index_t competency, double time, double score,
                            std::string_view kind, double weight);
  /// One event by name: a known learner and competency with a known kind take the by-index path
  /// (two name lookups instead of five); anything else goes through the log's one-row append.
  inline ingest_summary add(std::string_view learner, std::string_view competency, double time,
                            double score, std::string_view kind, double weight,
                            std::string_view source);
  /// One event: `ingest` of a one-row batch without the batch machinery.
  inline ingest_summary add_named(std::string_view learner, std::string_view competency,
                                  double time, double score, std::string_view kind, double weight,
                                  std::string_view source);
  /// The tail of `add`: row `r` was appended; `old_learners` learners existed before.
  inline ingest_summary& apply_one(ingest_summary& s, std::size_t r, std::size_t old_learners);

  /// roster::last_evidence. \throws std::out_of_range for a bad learner index.
  inline std::vector<double> last_evidence(std::size_t l) const;
};

}  // namespace masterymap

#endif  // MASTERYMAP_SRC_ROSTER_IMPL_HPP
