// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// The engine's bulk fast path: engine::ratings and its per-learner kernel.
#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <type_traits>
#include <utility>

#include "accumulate.hpp"
#include "counting_sort.hpp"
#include "decision.hpp"
#include "engine_detail.hpp"
#include "memory_util.hpp"
#include "progress_meter.hpp"

namespace masterymap::detail {

// --- the bulk fast path (engine::ratings) -------------------------------------------------------
//
// A rule of fold_form::value (decision.hpp: a running method; no window, expiry, gatekeeper,
// exemption or monotonic holding) is rated from running accumulators in one pass over a
// learner's events in row order: the counted events of one (learner, competency) are in
// aggregation order (time, then row) as long as their times do not go back. A competency whose
// counted times go back, whose rule is of another form, or that has a waiver (evidence.hpp), is
// rated by the general path from its gathered and sorted events. Both paths share `push`/`value_of`
// (accumulate.hpp) and `decide_status` (decision.hpp), so the outcomes are identical.
//
// The learner's events come either straight from the log's columns (when the log is already
// grouped by learner, i.e. learner codes never decrease) or from one counting-sort pass into
// 16-byte records (time, score, competency and attribute packed into 32 bits).

namespace {

enum : std::uint8_t { acc_untouched = 0, acc_fast = 1, acc_general = 2 };

// One (learner, competency) being rated.
struct acc {
  running run;
  double last_t = 0;
  const folding_rule* fr = nullptr;
  outcome general_out;  // acc_general: the general path's outcome
  std::uint32_t count = 0;
  std::uint8_t mode = acc_untouched;
};

struct rec16 {
  double time;
  float score;
  std::uint32_t key;  // competency << attr_bits | attribute
};
static_assert(sizeof(rec16) == 16, "16-byte records");

unsigned bits_for(std::size_t x) noexcept {  // bits needed to store 0..x
  unsigned b = 0;
  while (b < 64 && (x >> b) != 0) ++b;
  return b;
}

// Events of the log in row order; competency nc = not in the framework, or retracted (`dead`:
// the attribute triples, when the log has retractions; else null).
struct column_source {
  const std::uint32_t* comp;
  const std::vector<std::uint32_t>* comp_map;
  const double* time;
  const float* score;
  const std::uint32_t* attr;
  std::uint32_t nc;
  const evidence_attributes* dead = nullptr;
  void get(std::size_t i, std::uint32_t& c, double& t, float& s, std::uint32_t& a) const noexcept {
    const std::uint32_t x = (*comp_map)[comp[i]];
    c = x == none32 || (dead != nullptr && dead[attr[i]].retracted) ? nc : x;
    t = time[i];
    s = score[i];
    a = attr[i];
  }
};

// Events partitioned by learner, each learner's in row order.
struct record_source {
  const rec16* r;
  unsigned attr_bits;
  std::uint32_t attr_mask;
  void get(std::size_t i, std::uint32_t& c, double& t, float& s, std::uint32_t& a) const noexcept {
    const rec16& x = r[i];
    c = x.key >> attr_bits;
    a = x.key & attr_mask;
    t = x.time;
    s = x.score;
  }
};

// The scale's thresholds, precomputed for the bulk path: the same comparisons as
// scale::rating_index / reaches_mastery / reaches_exceeds (bit-identical), without a call per row.
struct scale_cuts {
  std::vector<double> values;  // ascending rating values
  double tol = 0, mastery = 0, exceeds = 0;
  bool has_exceeds = false;
  explicit scale_cuts(const scale& sc)
      : tol(sc.tolerance()), mastery(sc.mastery_value() - sc.tolerance()) {
    for (const auto& r : sc.ratings()) values.push_back(r.value);
    if (auto e = sc.exceeds_value()) {
      has_exceeds = true;
      exceeds = *e - tol;
    }
  }
  std::int8_t rating(double v) const noexcept {  // -1: below the lowest rating
    const double x = v + tol;
    std::size_t i = 0;
    while (i < values.size() && !(x < values[i])) ++i;  // first value above x
    return static_cast<std::int8_t>(static_cast<int>(i) - 1);
  }
};

struct bulk_context {
  const binding* b = nullptr;
  const scale_cuts* cuts = nullptr;
  std::vector<folding_rule> rules;  // per distinct rule of the compiled policy
  bool all_counted = true;          // every attribute of the log counts under every kernel rule
  std::uint32_t nc = 0;
};

// Per-thread state of the bulk path.
struct bulk_worker {
  std::vector<acc> accs;  // by framework index
  std::vector<index_t> touched;
  std::vector<std::uint64_t> bits;  // sort_touched's bitmap, all zero between calls
  std::vector<std::pair<index_t, ev>> general;
  std::vector<ev> evs;
  scratch s;
  std::vector<status> st;  // dense outputs, only with rollups
  std::vector<double> score;
  std::vector<std::int8_t> rating;
  std::vector<std::uint32_t> count;
  ratings_table out;
  explicit bulk_worker(std::size_t nc) : accs(nc), bits((nc + 63) / 64, 0), s(nc) {}
};

inline std::size_t trailing_zeros(std::uint64_t x) noexcept {  // x != 0
#if defined(__GNUC__) || defined(__clang__)
  return static_cast<std::size_t>(__builtin_ctzll(x));
#else
  std::size_t n = 0;
  for (; (x & 1) == 0; x >>= 1) ++n;
  return n;
#endif
}

// Sorts a learner's touched competencies (distinct indices below nc): by a bitmap over all nc
// when that is cheaper than a comparison sort (a few dozen of a few hundred, the usual case).
void sort_touched(std::vector<index_t>& touched, std::vector<std::uint64_t>& bits, std::size_t nc) {
  const std::size_t words = (nc + 63) / 64;
  if (touched.size() < 2) return;
  if (words > touched.size() * 8) {
    std::sort(touched.begin(), touched.end());
    return;
  }
  for (index_t c : touched) bits[c >> 6] |= std::uint64_t{1} << (c & 63);
  std::size_t k = 0;
  for (std::size_t w = 0; w < words; ++w) {
    for (std::uint64_t x = bits[w]; x != 0; x &= x - 1)
      touched[k++] = static_cast<index_t>(w * 64 + trailing_zeros(x));
    bits[w] = 0;
  }
}

// The outcome of a kernel rule (fold_form::value: no gatekeepers, no exemption).
outcome fast_outcome(const acc& x, const scale_cuts& sc) {
  outcome o;
  o.count = x.count;
  const std::optional<double> v = value_of(x.run, x.fr->mp);
  rule_conditions cond;
  if (v && !std::isnan(*v)) {
    o.score = *v;
    o.rating = sc.rating(*v);
    cond.reached = *v >= sc.mastery;
    cond.exceeds = sc.has_exceeds && *v >= sc.exceeds;
  } else if (v) {
    o.score = *v;
  }
  cond.enough = x.run.n >= x.fr->r.min_evidence;
  o.st = decide_status(cond);
  return o;
}

// Calls f(column) on each of the table's six row columns, or f(column of a, same column of b).
template <typename F>
void each_column(ratings_table& t, F&& f) {
  f(t.learner);
  f(t.competency);
  f(t.statuses);
  f(t.scores);
  f(t.ratings);
  f(t.evidence_counts);
}
template <typename F>
void each_column(ratings_table& a, ratings_table& b, F&& f) {
  f(a.learner, b.learner);
  f(a.competency, b.competency);
  f(a.statuses, b.statuses);
  f(a.scores, b.scores);
  f(a.ratings, b.ratings);
  f(a.evidence_counts, b.evidence_counts);
}

void reserve_table(ratings_table& t, std::size_t n) {  // column storage: huge-page backed
  each_column(t, [n](auto& c) { c.reserve(n); });
}

// Makes rows [ready, need) of a reserved table writable ahead of the writes, in blocks of at
// least 64K rows (one populate call per column and block instead of a fault per page).
void populate_rows(ratings_table& t, std::size_t& ready, std::size_t need) noexcept {
  if (need <= ready) return;
  const std::size_t upto =
      std::min(t.learner.capacity(), std::max(need, ready + (std::size_t{1} << 16)));
  if (upto <= ready) return;
  each_column(t, [&](const auto& c) {
    detail::column_populate(c.data() + ready, (upto - ready) * sizeof(*c.data()));
  });
  ready = upto;
}

// An uninitialised scratch array of n trivially copyable T in column storage.
template <typename T>
class column_block {
 public:
  explicit column_block(std::size_t n)
      : n_(std::max<std::size_t>(n, 1)),
        p_(static_cast<T*>(detail::column_allocate(n_ * sizeof(T)))) {}
  column_block(const column_block&) = delete;
  column_block& operator=(const column_block&) = delete;
  ~column_block() { detail::column_deallocate(p_, n_ * sizeof(T)); }
  T* data() const noexcept { return p_; }
  // In blocks, checking `m` between them. \throws stop_request once cancelled.
  void populate(std::size_t b, std::size_t e, meter& m) const {
    for_blocks(b, e, check_block, &m,
               [&](std::size_t x, std::size_t y) { column_populate(p_ + x, (y - x) * sizeof(T)); });
  }

 private:
  std::size_t n_;
  T* p_;
};

void emit(ratings_table& out, std::uint32_t l, index_t c, const outcome& o) {
  out.learner.push_back(l);
  out.competency.push_back(c);
  out.statuses.push_back(o.st);
  out.scores.push_back(o.score);
  out.ratings.push_back(o.rating);
  out.evidence_counts.push_back(o.count);
}

// Pass 1 over learner l's events [begin, end) of `src`: folds every event of a kernel rule into
// its competency's accumulator, and marks the competencies the general path must rate (another
// rule form, or counted times that go back). Leaves the touched competencies in w.touched.
// Returns whether any competency needs the general path. K: the method of every kernel rule,
// or -1 when they differ (dispatch per event).
template <int K, typename Source>
bool fold_events(const bulk_context& k, const Source& src, std::size_t begin, std::size_t end,
                 bulk_worker& w) {
  const binding& b = *k.b;
  const evidence_attributes* attrs = b.attrs;
  const double as_of = b.as_of;
  const std::uint16_t* rule_of = b.ctx->rule_of.data();
  acc* accs = w.accs.data();
  auto& touched = w.touched;
  touched.clear();
  bool any_general = false;
  for (std::size_t i = begin; i < end; ++i) {
    std::uint32_t c, a;
    double t;
    float s;
    src.get(i, c, t, s, a);
    if (c == k.nc || t > as_of) continue;
    if (k.b->any_placement && static_cast<int>(attrs[a].kind) == k.b->placement_kind)
      continue;  // placements never rate (rate_learner_bulk collects them)
    acc& x = accs[c];
    if (x.mode == acc_untouched) {
      x.fr = &k.rules[rule_of[c]];
      const bool kernel = x.fr->form == fold_form::value;
      x.mode = kernel ? acc_fast : acc_general;
      any_general = any_general || !kernel;
      x.run = running{};
      x.count = 0;
      x.last_t = -std::numeric_limits<double>::infinity();
      touched.push_back(c);
    }
    ++x.count;
    if (x.mode != acc_fast) continue;
    if (!k.all_counted && x.fr->skips(attrs[a].kind)) {
      // A waiver exempts: a condition the kernel's accumulators do not carry (rare).
      if (x.fr->kinds.flags[attrs[a].kind] & flag_waiver) {
        x.mode = acc_general;
        any_general = true;
      }
      continue;
    }
    if (t < x.last_t) {  // counted times go back: sort this competency's events
      x.mode = acc_general;
      any_general = true;
      continue;
    }
    x.last_t = t;
    if constexpr (K < 0) {
      push(x.run, x.fr->mp, static_cast<double>(s), static_cast<double>(attrs[a].weight));
    } else {
      constexpr auto kind = static_cast<method::kind>(K);
      push_k<kind>(
          x.run, x.fr->mp, static_cast<double>(s),
          kind == method::kind::weighted_mean ? static_cast<double>(attrs[a].weight) : 1.0);
    }
  }
  return any_general;
}

// Pass 2, for the competencies fold_events left to the general path: gathers their events,
// sorts them into aggregation order and rates each competency.
template <typename Source>
void rate_general(const bulk_context& k, const Source& src, std::size_t begin, std::size_t end,
                  const std::string& learner, bulk_worker& w) {
  const binding& b = *k.b;
  auto& gen = w.general;
  gen.clear();
  for (std::size_t i = begin; i < end; ++i) {
    std::uint32_t c, a;
    double t;
    float s;
    src.get(i, c, t, s, a);
    if (c == k.nc || t > b.as_of || w.accs[c].mode != acc_general) continue;
    if (b.any_placement && static_cast<int>(b.attrs[a].kind) == b.placement_kind) continue;
    gen.push_back({c, ev{t, s, a, static_cast<std::uint32_t>(i)}});
  }
  std::sort(gen.begin(), gen.end(), [](const auto& p, const auto& q) {
    return p.first < q.first || (p.first == q.first && ev_less(p.second, q.second));
  });
  for (std::size_t g = 0; g < gen.size();) {
    const index_t c = gen[g].first;
    w.evs.clear();
    for (; g < gen.size() && gen[g].first == c; ++g) w.evs.push_back(gen[g].second);
    w.accs[c].general_out = rate(b, c, w.evs.data(), w.evs.size(), learner, w.s, nullptr);
  }
}

// The outcome of a touched competency, from whichever path rated it.
outcome outcome_of(const acc& x, const scale_cuts& cuts) {
  return x.mode == acc_fast ? fast_outcome(x, cuts) : x.general_out;
}

// Emits learner l's rows when the policy has rollups: the touched competencies' outcomes go
// into the dense arrays, the rollups are applied, and every touched competency and rollup
// parent that is started (or has evidence) is emitted, in index order; the arrays are reset.
// With inference, the inferred competencies are emitted too (placements: w.s.placements).
void emit_with_rollups(const bulk_context& k, std::uint32_t l, bulk_worker& w) {
  const binding& b = *k.b;
  const compiled_policy& ctx = *b.ctx;
  dense_out d{w.st.data(), w.score.data(), w.rating.data(), w.count.data()};
  for (index_t c : w.touched) {
    write(d, c, outcome_of(w.accs[c], *k.cuts));
    w.accs[c].mode = acc_untouched;
  }
  if (!ctx.rollup_order.empty()) apply_rollups(b, d, w.s);
  auto& merged = w.s.merged;
  merged.assign(w.touched.begin(), w.touched.end());
  merged.insert(merged.end(), ctx.rollup_order.begin(), ctx.rollup_order.end());
  if (b.infers()) {
    w.s.inferred.clear();
    apply_inference(b, w.st.data(), d.score, &w.touched, w.s, &w.s.inferred);
    merged.insert(merged.end(), w.s.inferred.begin(), w.s.inferred.end());
  }
  std::sort(merged.begin(), merged.end());
  merged.erase(std::unique(merged.begin(), merged.end()), merged.end());
  for (index_t c : merged) {
    if (w.st[c] != status::not_started || w.count[c] > 0)
      emit(w.out, l, c, outcome{w.st[c], w.score[c], w.rating[c], w.count[c]});
    w.st[c] = status::not_started;
    w.score[c] = detail::nan;
    w.rating[c] = -1;
    w.count[c] = 0;
  }
}

// Rates learner l from events [begin, end) of `src` (in row order) into w.out.
template <int K, typename Source>
void rate_learner_bulk(const bulk_context& k, const Source& src, std::size_t begin, std::size_t end,
                       std::uint32_t l, const std::string& learner, bulk_worker& w) {
  if (fold_events<K>(k, src, begin, end, w)) rate_general(k, src, begin, end, learner, w);
  sort_touched(w.touched, w.bits, k.nc);
  if (k.b->infers()) {
    w.s.placements.clear();
    if (k.b->any_placement)
      for (std::size_t i = begin; i < end; ++i) {
        std::uint32_t c, a;
        double t;
        float s;
        src.get(i, c, t, s, a);
        if (c != k.nc && t <= k.b->as_of &&
            static_cast<int>(k.b->attrs[a].kind) == k.b->placement_kind)
          w.s.placements.push_back(
              {t, static_cast<std::uint32_t>(i), c, detail::placement_level(s)});
      }
  }
  if (!k.b->ctx->rollup_order.empty() || k.b->infers()) {
    emit_with_rollups(k, l, w);
    return;
  }
  for (index_t c : w.touched) {
    emit(w.out, l, c, outcome_of(w.accs[c], *k.cuts));
    w.accs[c].mode = acc_untouched;
  }
}

// The folding rules of the compiled policy bound to the log, and whether every attribute of the
// log counts under every kernel rule (then the kernel skips the per-event kind test).
void bind_rules(bulk_context& k, const compiled_policy& ctx, const scale& sc,
                const std::vector<evidence_attributes>& attrs) {
  k.rules.reserve(ctx.rules.size());
  for (std::size_t r = 0; r < ctx.rules.size(); ++r) {
    const folding_rule& fr = k.rules.emplace_back(ctx.rules[r], sc, k.b->rules[r]);
    if (fr.form == fold_form::value)
      for (const auto& a : attrs) k.all_counted = k.all_counted && !fr.skips(a.kind);
  }
}

// The method of every kernel rule when they share one (the kernel is then specialised for it),
// else -1.
int kernel_method(const bulk_context& k) {
  int one_kind = -2;
  for (const folding_rule& fr : k.rules)
    if (fr.form == fold_form::value)
      one_kind = one_kind == -2 || one_kind == static_cast<int>(fr.mp.kind)
                     ? static_cast<int>(fr.mp.kind)
                     : -1;
  return one_kind;
}

// Rows per learner (start: prefix sums), and whether the log is already grouped by learner
// (codes are given in order of first appearance, so a grouped log has non-decreasing learner
// codes). Counted per block of rows in parallel; each block's counts then become that block's
// write cursors, so a partition by learner is stable and parallel too.
struct learner_partition {
  std::size_t n = 0, L = 0;
  unsigned pt = 1;                     // partition threads, one block of rows each
  std::vector<std::uint32_t> cursors;  // per block and learner: where its next row goes
  std::vector<std::uint32_t> start;    // per learner: its first row in the partition
  bool grouped = true;

  learner_partition(const std::uint32_t* lc, std::size_t rows, std::size_t learners,
                    unsigned threads, meter& m)
      : n(rows),
        L(learners),
        pt(n >= (std::size_t{1} << 16) && L <= n / 4 ? threads : 1U),
        cursors(std::size_t{pt} * L, 0),
        start(L + 1, 0) {
    std::vector<std::uint8_t> block_grouped(pt, 1);
    run_threads(
        pt,
        [&](unsigned th) {
          // (Not a structured binding: C++17 lets no lambda capture one, and clang enforces it.)
          const auto range = block(th);
          const std::size_t rb = range.first, re = range.second;
          std::uint32_t* cnt = cursors.data() + std::size_t{th} * L;
          bool g = rb == 0 || rb >= re || lc[rb - 1] <= lc[rb];
          for_blocks(rb, re, check_block, &m, [&](std::size_t x, std::size_t y) {
            for (std::size_t i = x; i < y; ++i) {
              ++cnt[lc[i]];
              g = g && (i == rb || lc[i - 1] <= lc[i]);
            }
          });
          block_grouped[th] = g ? 1 : 0;
        },
        &m);
    block_offsets(cursors, start, L, pt);
    grouped = std::all_of(block_grouped.begin(), block_grouped.end(),
                          [](std::uint8_t g) { return g != 0; });
  }
  // Block th of the rows: [first, last).
  std::pair<std::size_t, std::size_t> block(unsigned th) const {
    return {n * th / pt, n * (th + 1) / pt};
  }
  std::uint32_t* cursor(unsigned th) { return cursors.data() + std::size_t{th} * L; }
};

template <typename Source>
using kernel_t = void (*)(const bulk_context&, const Source&, std::size_t, std::size_t,
                          std::uint32_t, const std::string&, bulk_worker&);

// The kernel specialised for method K, when K runs incrementally (kernel rules only have such
// methods); else the kernel that dispatches per event.
template <typename Source, int K>
constexpr kernel_t<Source> specialised() {
  if constexpr (runs_incrementally(static_cast<method::kind>(K)))
    return rate_learner_bulk<K, Source>;
  else
    return rate_learner_bulk<-1, Source>;
}

// The kernel for `one_kind` (kernel_method: one method shared by every kernel rule, or -1).
template <typename Source, int... K>
kernel_t<Source> kernel_for(int one_kind, std::integer_sequence<int, K...>) {
  constexpr kernel_t<Source> kernels[] = {specialised<Source, K>()...};
  return one_kind >= 0 && one_kind < static_cast<int>(sizeof...(K)) ? kernels[one_kind]
                                                                    : rate_learner_bulk<-1, Source>;
}

// Rates every learner from `src` (learner l's events at [start[l], start[l + 1])) on `threads`
// workers, each into its own table; parts[t] holds worker t's rows, in learner order.
template <typename Source>
void rate_learners(const bulk_context& k, const Source& src,
                   const std::vector<std::uint32_t>& start,
                   const std::vector<std::string>& learners, unsigned threads, int one_kind,
                   std::vector<ratings_table>& parts, meter& m) {
  const std::size_t nc = k.nc, L = learners.size(), n = start[L];
  // Rows a learner can add to the table: one per event plus the rollup parents.
  // With inference, inferred competencies (no evidence) are emitted too: a few rows are reserved
  // for them (the table's columns grow past the reservation when a learner infers more).
  const std::size_t nroll = k.b->ctx->rollup_order.size() + (k.b->infers() ? 16 : 0);
  parts.resize(threads);
  parallel_ranges(
      L, start, threads,
      [&](unsigned th, std::size_t lb, std::size_t le) {
        bulk_worker w(nc);
        if (nroll || k.b->infers()) init_state_arrays(w.st, w.score, w.rating, w.count, nc);
        // Reserved (virtual memory only) so the table never reallocates: the first worker's for
        // every row of the result (the others' rows are appended to it), the others' for their own
        // range. Pages are populated in blocks just ahead of the writes.
        reserve_table(w.out, th == 0 ? n + L * nroll : start[le] - start[lb] + (le - lb) * nroll);
        std::size_t ready = 0;
        const kernel_t<Source> kernel = kernel_for<Source>(
            one_kind, std::make_integer_sequence<int, static_cast<int>(method::kind::bkt) + 1>{});
        meter_ticks ticks(m, check_block);
        for (std::size_t l = lb; l < le; ++l) {
          populate_rows(w.out, ready, w.out.learner.size() + (start[l + 1] - start[l]) + nroll);
          kernel(k, src, start[l], start[l + 1], static_cast<std::uint32_t>(l), learners[l], w);
          ticks.add(start[l + 1] - start[l] + 1);
        }
        ticks.flush();
        parts[th] = std::move(w.out);
      },
      &m);
}

// Moves the workers' tables into `t`: the first worker's table (reserved for every row) takes
// the others' rows, in learner order.
// In blocks of rows, checking `m` between them.
void merge_parts(std::vector<ratings_table>& parts, ratings_table& t, meter& m) {
  ratings_table& all = parts[0];
  std::size_t ready = all.learner.size();
  for (std::size_t p = 1; p < parts.size(); ++p)
    for_blocks(0, parts[p].learner.size(), check_block, &m, [&](std::size_t b, std::size_t e) {
      populate_rows(all, ready, all.learner.size() + (e - b));
      each_column(all, parts[p], [b, e](auto& to, const auto& from) {
        to.insert(to.end(), from.begin() + static_cast<std::ptrdiff_t>(b),
                  from.begin() + static_cast<std::ptrdiff_t>(e));
      });
    });
  each_column(t, all, [](auto& to, auto& from) { to = std::move(from); });
}

// A log's rows gathered by learner through a list of row indices.
struct row_source {
  column_source cols;
  const std::uint32_t* rows;
  void get(std::size_t i, std::uint32_t& c, double& t, float& s, std::uint32_t& a) const noexcept {
    cols.get(rows[i], c, t, s, a);
  }
};

}  // namespace

}  // namespace masterymap::detail

namespace masterymap {

ratings_table engine::ratings(const evidence_log& log, const evaluate_options& o,
                              const masterymap::progress& progress) const {
  using namespace detail;
  const std::size_t nc = ctx_->fw.size(), L = log.learners().size(), n = log.size();
  // Progress: one unit per row and one per learner, counted as learners are rated.
  meter m(progress, n + L);
  return m.run([&] {
    ratings_table t;
    t.learners = log.learners();
    t.competencies = nc;
    t.as_of = default_as_of(log, o);
    const binding b(*ctx_, log, t.as_of, o.probabilities.get());
    const scale_cuts cuts(ctx_->pol.scale());
    bulk_context k;
    k.b = &b;
    k.nc = static_cast<std::uint32_t>(nc);
    k.cuts = &cuts;
    const auto& attrs = log.attributes();
    bind_rules(k, *ctx_, ctx_->pol.scale(), attrs);
    const int one_kind = kernel_method(k);
    const std::uint32_t* lc = log.learner_codes().data();
    const unsigned threads = thread_count(o, L);
    learner_partition part(lc, n, L, threads, m);
    std::vector<ratings_table> parts;
    const column_source cols{log.competency_codes().data(),
                             &b.comp_map,
                             log.times().data(),
                             log.scores().data(),
                             log.attribute_codes().data(),
                             k.nc,
                             b.any_retracted ? attrs.data() : nullptr};
    const unsigned attr_bits = attrs.size() <= 1 ? 0U : bits_for(attrs.size() - 1);
    if (part.grouped) {
      rate_learners(k, cols, part.start, t.learners, threads, one_kind, parts, m);
    } else if (attr_bits + bits_for(nc) <= 32) {
      // One counting-sort pass into 16-byte records, stable (row order kept within a learner);
      // each thread populates its share of the buffer, then scatters its block of rows.
      column_block<rec16> recs(n);
      run_threads(
          part.pt,
          [&](unsigned th) {
            const auto [rb, re] = part.block(th);
            recs.populate(rb, re, m);
          },
          &m);
      run_threads(
          part.pt,
          [&](unsigned th) {
            const auto [rb, re] = part.block(th);
            std::uint32_t* cursor = part.cursor(th);
            rec16* r = recs.data();
            for_blocks(rb, re, check_block, &m, [&](std::size_t x, std::size_t y) {
              for (std::size_t i = x; i < y; ++i) {
                std::uint32_t c, a;
                double tm;
                float sc;
                cols.get(i, c, tm, sc, a);
                r[cursor[lc[i]]++] = {tm, sc, (c << attr_bits) | a};
              }
            });
          },
          &m);
      const record_source src{recs.data(), attr_bits,
                              attr_bits == 0 ? 0U : (~0U >> (32 - attr_bits))};
      rate_learners(k, src, part.start, t.learners, threads, one_kind, parts, m);
    } else {
      // Too many competencies and attributes to pack: gather row indices instead.
      column_block<std::uint32_t> rows(n);
      run_threads(
          part.pt,
          [&](unsigned th) {
            const auto [rb, re] = part.block(th);
            std::uint32_t* cursor = part.cursor(th);
            for_blocks(rb, re, check_block, &m, [&](std::size_t x, std::size_t y) {
              for (std::size_t i = x; i < y; ++i)
                rows.data()[cursor[lc[i]]++] = static_cast<std::uint32_t>(i);
            });
          },
          &m);
      rate_learners(k, row_source{cols, rows.data()}, part.start, t.learners, threads, one_kind,
                    parts, m);
    }
    merge_parts(parts, t, m);
    m.finish();
    return t;
  });
}

}  // namespace masterymap
