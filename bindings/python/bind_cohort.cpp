// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// Cohort analytics on a Roster (cohort.hpp): the C++ passes as numpy columns (_summary,
// _groups_by_frontier, GIL released), and the public methods, whose DataFrames are built in
// masterymap._cohort.
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <cstring>
#include <limits>
#include <masterymap/cohort.hpp>
#include <masterymap/column.hpp>
#include <masterymap/evidence.hpp>
#include <mutex>
#include <string>
#include <utility>

#include "bindings.hpp"
#include "numpy_util.hpp"
#include "object_lock.hpp"
#include "roster_py.hpp"

namespace masterymap::python {

namespace {

// The kind of Roster.groups_by_frontier. \throws std::invalid_argument for another name.
frontier_group group_kind(const std::string& kind) {
  if (kind == "ready") return frontier_group::ready;
  if (kind == "recent") return frontier_group::recent;
  if (kind == "stuck") return frontier_group::stuck;
  throw std::invalid_argument(
      "Roster.groups_by_frontier: kind must be 'ready', 'recent' or 'stuck', not '" + kind + "'");
}

frontier_group_options group_options(std::uint32_t stuck_evidence, double stuck_days,
                                     double recent_days) {
  frontier_group_options o;
  o.stuck_evidence = stuck_evidence;
  o.stuck_days = stuck_days;
  o.recent_days = recent_days;
  return o;
}

// Kaplan-Meier per competency over spells sorted by competency (first_mastery's order), with
// the quartiles and their confidence intervals: the dict of Roster._time_to_mastery. Durations
// are (end - origin) / 86400 days. The caller holds the GIL; the curves are computed without it.
py::dict survival_dict(std::size_t C, mastery_spells m) {
  // Per competency: n, events, then (quantile, lower, upper) at .25 .5 .75.
  std::vector<std::uint32_t> n(C), events(C), tc, risk, died;
  std::vector<double> q(C * 9), tt, surv, se;
  {
    py::gil_scoped_release rel;
    const std::vector<survival_curve> curves = survival_by_competency(m, C);
    for (index_t c = 0; c < C; ++c) {
      const survival_curve& s = curves[c];
      n[c] = static_cast<std::uint32_t>(s.n);
      events[c] = static_cast<std::uint32_t>(s.events);
      const double ps[3] = {0.25, 0.5, 0.75};
      for (int j = 0; j < 3; ++j) {
        const auto ci = survival_quantile_ci(s, ps[j]);
        q[c * 9 + static_cast<std::size_t>(j) * 3] = survival_quantile(s, ps[j]);
        q[c * 9 + static_cast<std::size_t>(j) * 3 + 1] = ci.first;
        q[c * 9 + static_cast<std::size_t>(j) * 3 + 2] = ci.second;
      }
      for (std::size_t i = 0; i < s.times.size(); ++i) {
        tc.push_back(c);
        tt.push_back(s.times[i]);
        risk.push_back(s.at_risk[i]);
        died.push_back(s.died[i]);
        surv.push_back(s.survival[i]);
        se.push_back(s.se[i]);
      }
    }
  }
  py::dict d;
  d["n"] = move_numpy(std::move(n));
  d["events"] = move_numpy(std::move(events));
  d["quantiles"] = move_numpy(std::move(q), static_cast<py::ssize_t>(C), 9);
  d["t_competency"] = move_numpy(std::move(tc));
  d["time"] = move_numpy(std::move(tt));
  d["at_risk"] = move_numpy(std::move(risk));
  d["died"] = move_numpy(std::move(died));
  d["survival"] = move_numpy(std::move(surv));
  d["se"] = move_numpy(std::move(se));
  return d;
}

// Memory from the column allocator (huge pages, freed blocks reused), handed to numpy once
// written: a run of ten million rows is otherwise mostly first-touch page faults here.
class raw_block {
 public:
  raw_block() = default;
  explicit raw_block(std::size_t bytes)
      : p_(bytes != 0 ? detail::column_allocate(bytes) : nullptr), bytes_(bytes) {}
  raw_block(const raw_block&) = delete;
  raw_block& operator=(const raw_block&) = delete;
  raw_block(raw_block&& o) noexcept : p_(o.p_), bytes_(o.bytes_) { o.p_ = nullptr; }
  raw_block& operator=(raw_block&& o) noexcept {
    std::swap(p_, o.p_);
    std::swap(bytes_, o.bytes_);
    return *this;
  }
  ~raw_block() {
    if (p_ != nullptr) detail::column_deallocate(p_, bytes_);
  }
  template <typename T>
  T* as() const noexcept {
    return static_cast<T*>(p_);
  }
  /// A 1-D numpy array of n values of T over the block, which it then owns.
  template <typename T>
  py::array_t<T> to_numpy(std::size_t n) && {
    auto* heap = new raw_block(std::move(*this));
    py::capsule owner(heap, [](void* q) { delete static_cast<raw_block*>(q); });
    return py::array_t<T>({static_cast<py::ssize_t>(n)}, {static_cast<py::ssize_t>(sizeof(T))},
                          heap->as<T>(), owner);
  }

 private:
  void* p_ = nullptr;
  std::size_t bytes_ = 0;
};

// The integer width pandas gives categorical codes over `categories` categories
// (pandas.core.dtypes.cast.coerce_indexer_dtype): 1, 2, 4 or 8 bytes.
int code_width(std::size_t categories) {
  if (categories < 127) return 1;
  if (categories < 32767) return 2;
  if (categories < 2147483647) return 4;
  return 8;
}

template <typename T>
void put_codes(void* out, std::size_t at, std::size_t n, const std::uint32_t* v) {
  T* o = static_cast<T*>(out) + at;
  for (std::size_t k = 0; k < n; ++k) o[k] = static_cast<T>(v[k]);
}
void write_codes(int width, void* out, std::size_t at, std::size_t n, const std::uint32_t* v) {
  switch (width) {
    case 1:
      put_codes<std::int8_t>(out, at, n, v);
      break;
    case 2:
      put_codes<std::int16_t>(out, at, n, v);
      break;
    case 4:
      put_codes<std::int32_t>(out, at, n, v);
      break;
    default:
      put_codes<std::int64_t>(out, at, n, v);
  }
}
template <typename T>
py::array codes_numpy(raw_block&& b, std::size_t n) {
  return std::move(b).to_numpy<T>(n);
}
py::array codes_numpy(int width, raw_block&& b, std::size_t n) {
  switch (width) {
    case 1:
      return codes_numpy<std::int8_t>(std::move(b), n);
    case 2:
      return codes_numpy<std::int16_t>(std::move(b), n);
    case 4:
      return codes_numpy<std::int32_t>(std::move(b), n);
    default:
      return codes_numpy<std::int64_t>(std::move(b), n);
  }
}

// The rows of group_by_frontier written once, by the worker threads, straight into the arrays
// of Roster.groups_by_frontier's DataFrame: categorical codes of the width pandas uses,
// counted as int64, first / last as datetime64[ns] nanoseconds (NaN: NaT), reasons only when
// asked for. A time outside datetime64[ns] is remembered (the first row) and raised after.
class frame_sink final : public frontier_group_sink {
 public:
  frame_sink(std::size_t competencies, std::size_t learners, bool reasons)
      : cw_(code_width(competencies)), lw_(code_width(learners)), want_reasons_(reasons) {}
  void reserve(std::size_t rows) override {
    rows_ = rows;
    comp_ = raw_block(rows * static_cast<std::size_t>(cw_));
    learner_ = raw_block(rows * static_cast<std::size_t>(lw_));
    counted_ = raw_block(rows * sizeof(std::int64_t));
    first_ = raw_block(rows * sizeof(std::int64_t));
    last_ = raw_block(rows * sizeof(std::int64_t));
    if (want_reasons_) reasons_ = raw_block(rows);
  }
  void write(std::size_t at, std::size_t n, const index_t* competency, const std::uint32_t* learner,
             const std::uint32_t* counted, const double* first, const double* last,
             const std::uint8_t* reasons) override {
    write_codes(cw_, comp_.as<void>(), at, n, competency);
    write_codes(lw_, learner_.as<void>(), at, n, learner);
    std::int64_t* c = counted_.as<std::int64_t>() + at;
    for (std::size_t k = 0; k < n; ++k) c[k] = counted[k];
    note(at, seconds_to_nanos(first, first_.as<std::int64_t>() + at, n), n, first, 0);
    note(at, seconds_to_nanos(last, last_.as<std::int64_t>() + at, n), n, last, 1);
    if (want_reasons_) std::memcpy(reasons_.as<std::uint8_t>() + at, reasons, n);
  }
  /// The columns (with the GIL); raises ValueError for a time outside datetime64[ns].
  py::dict finish() && {
    if (bad_row_ != none)
      throw py::value_error(std::string(bad_which_ == 0 ? "first_evidence" : "last_evidence") +
                            ": row " + std::to_string(bad_row_) + " (" + format_time(bad_time_) +
                            ") is outside the range of datetime64[ns] (1677-09-21 to "
                            "2262-04-11)");
    py::dict d;
    d["competency"] = codes_numpy(cw_, std::move(comp_), rows_);
    d["learner"] = codes_numpy(lw_, std::move(learner_), rows_);
    d["counted"] = std::move(counted_).to_numpy<std::int64_t>(rows_);
    d["first_ns"] = std::move(first_).to_numpy<std::int64_t>(rows_);
    d["last_ns"] = std::move(last_).to_numpy<std::int64_t>(rows_);
    if (want_reasons_) d["reasons"] = std::move(reasons_).to_numpy<std::uint8_t>(rows_);
    return d;
  }

 private:
  static constexpr std::size_t none = static_cast<std::size_t>(-1);
  void note(std::size_t at, std::size_t bad, std::size_t n, const double* t, int which) {
    if (bad == n) return;
    const std::lock_guard<std::mutex> lock(mutex_);
    // As the columns were checked one after the other: first_evidence's first bad row, else
    // last_evidence's.
    if (bad_row_ == none || which < bad_which_ || (which == bad_which_ && at + bad < bad_row_)) {
      bad_row_ = at + bad;
      bad_time_ = t[bad];
      bad_which_ = which;
    }
  }
  int cw_, lw_;
  bool want_reasons_;
  std::size_t rows_ = 0;
  raw_block comp_, learner_, counted_, first_, last_, reasons_;
  std::mutex mutex_;
  std::size_t bad_row_ = none;
  double bad_time_ = 0;
  int bad_which_ = 0;
};

}  // namespace

void bind_cohort(py::class_<roster>& cls) {
  cls.def(
         "_summary",
         [](const roster& r, const py::array_t<std::int32_t, py::array::c_style>& group_of,
            std::size_t groups, bool attempts) {
           const read_lock lock(&r, roster_type);
           std::vector<std::int32_t> g(group_of.data(), group_of.data() + group_of.size());
           cohort_summary s;
           attempts_summary a;
           {
             py::gil_scoped_release rel;
             s = summarize(r, g, groups);
             if (attempts)
               a = median_attempts(first_mastery(r, std::numeric_limits<double>::quiet_NaN()), g,
                                   groups, r.competencies());
           }
           const auto cells = static_cast<py::ssize_t>((s.groups + 1) * s.competencies);
           py::dict d;
           d["learners"] = move_numpy(std::move(s.learners));
           d["status_counts"] = move_numpy(std::move(s.status_counts), cells,
                                           static_cast<py::ssize_t>(status_count));
           d["rating_counts"] = move_numpy(std::move(s.rating_counts), cells,
                                           static_cast<py::ssize_t>(s.ratings + 1));
           d["scored"] = move_numpy(std::move(s.scored));
           d["score_sum"] = move_numpy(std::move(s.score_sum));
           d["score_median"] = move_numpy(std::move(s.score_median));
           if (attempts) {
             d["attempts_median"] = move_numpy(std::move(a.median));
             d["attempts_count"] = move_numpy(std::move(a.count));
           }
           return d;
         },
         py::arg("group_of"), py::arg("groups"), py::arg("attempts") = false,
         "The counts of cohort.hpp's summarize per (group, competency) cell, and with attempts "
         "the median attempts to mastery of first_mastery's spells (median_attempts).")
      .def(
          "_groups_by_frontier",
          [](const roster& r, const std::string& kind, std::uint32_t stuck_evidence,
             double stuck_days, double recent_days) {
            const read_lock lock(&r, roster_type);
            const frontier_group k = group_kind(kind);
            const frontier_group_options o = group_options(stuck_evidence, stuck_days, recent_days);
            frontier_groups g;
            {
              py::gil_scoped_release rel;
              g = group_by_frontier(r, k, o);
            }
            py::dict d;
            d["competency"] = move_numpy(std::move(g.competency));
            d["learner"] = move_numpy(std::move(g.learner));
            d["counted"] = move_numpy(std::move(g.counted));
            d["first"] = move_numpy(std::move(g.first));
            d["last"] = move_numpy(std::move(g.last));
            d["reasons"] = move_numpy(std::move(g.reasons));
            return d;
          },
          py::arg("kind"), py::arg("stuck_evidence"), py::arg("stuck_days"), py::arg("recent_days"))
      .def(
          "_groups_columns",
          [](const roster& r, const std::string& kind, std::uint32_t stuck_evidence,
             double stuck_days, double recent_days) {
            const read_lock lock(&r, roster_type);
            const frontier_group k = group_kind(kind);
            const frontier_group_options o = group_options(stuck_evidence, stuck_days, recent_days);
            frame_sink sink(r.competencies(), r.size(), k == frontier_group::stuck);
            {
              py::gil_scoped_release rel;
              group_by_frontier(r, k, o, sink);
            }
            return std::move(sink).finish();
          },
          py::arg("kind"), py::arg("stuck_evidence"), py::arg("stuck_days"), py::arg("recent_days"),
          "The columns of Roster.groups_by_frontier's DataFrame as written by the C++ pass: "
          "competency and learner categorical codes (the integer width pandas gives them), "
          "counted (int64), first_ns / last_ns (datetime64[ns] nanoseconds, NaT where none), "
          "and for 'stuck' reasons (uint8 bits).")
      .def(
          "_first_mastery",
          [](const roster& r, double origin) {
            const read_lock lock(&r, roster_type);
            mastery_spells m;
            {
              py::gil_scoped_release rel;
              m = first_mastery(r, origin);
            }
            py::dict d;
            d["competency"] = move_numpy(std::move(m.competency));
            d["learner"] = move_numpy(std::move(m.learner));
            d["origin"] = move_numpy(std::move(m.origin));
            d["end"] = move_numpy(std::move(m.end));
            d["event"] = move_numpy(std::move(m.event));
            d["attempts"] = move_numpy(std::move(m.attempts));
            return d;
          },
          py::arg("origin"))
      .def(
          "_time_to_mastery",
          [](const roster& r, double origin) {
            const read_lock lock(&r, roster_type);
            mastery_spells m;
            {
              py::gil_scoped_release rel;
              m = first_mastery(r, origin);
            }
            return survival_dict(r.competencies(), std::move(m));
          },
          py::arg("origin"))
      .def_static(
          "_survival",
          [](std::size_t competencies,
             const py::array_t<std::uint32_t, py::array::c_style>& competency,
             const py::array_t<double, py::array::c_style>& origin,
             const py::array_t<double, py::array::c_style>& end,
             const py::array_t<std::uint8_t, py::array::c_style>& event) {
            const auto k = static_cast<std::size_t>(competency.size());
            if (static_cast<std::size_t>(origin.size()) != k ||
                static_cast<std::size_t>(end.size()) != k ||
                static_cast<std::size_t>(event.size()) != k)
              throw py::value_error("Roster._survival: arrays of different lengths");
            mastery_spells m;
            m.competency.assign(competency.data(), competency.data() + k);
            m.origin.assign(origin.data(), origin.data() + k);
            m.end.assign(end.data(), end.data() + k);
            m.event.assign(event.data(), event.data() + k);
            return survival_dict(competencies, std::move(m));
          },
          py::arg("competencies"), py::arg("competency"), py::arg("origin"), py::arg("end"),
          py::arg("event"),
          "What _time_to_mastery returns, from spells merged from parts of a roster "
          "(masterymap.dask.time_to_mastery): sorted by competency; durations (end - origin) / "
          "86400 days, as _time_to_mastery computes them.")
      .def(
          "time_to_mastery",
          [](const py::object& self, const py::object& origin, bool table) {
            const read_lock lock(&self.cast<const roster&>(), roster_type);
            return call_python("masterymap._cohort", "time_to_mastery", self, origin, table);
          },
          py::kw_only(), py::arg("origin") = py::none(), py::arg("table") = false, R"pbdoc(
Time to mastery per competency, by Kaplan–Meier (1958), in days, as a pandas DataFrame.

A spell per (learner, competency) with counted evidence up to ``as_of``: origin = the pair's
first counted evidence, or ``origin`` (a time: a course start) for every pair; event = the
first mastery (``mastered`` or ``exceeded``), found by replaying the pair's evidence in the
engine's aggregation order with the engine's own formulas (a later lapse does not undo it);
rules that do not fold event by event (mode, bkt, windows, expiry, monotonic holding) and
rollups are re-evaluated by the engine at each of the learner's evidence times that can change
them (``Roster.learner(id, as_of=t)``); censored = not mastered by ``as_of``. Pairs now
``exempt`` (tested out, never learned) or ``inferred`` (no evidence of their own) are excluded.
A rollup parent's spell starts when one of its parts is started. A spell needs its end at or
after its origin: with a fixed ``origin``, pairs first mastered before it (mastered before the
clock started) are left out, as are censored pairs when ``as_of`` is before it; an ``origin``
after all the evidence gives no spells (0 learners everywhere).

Columns: ``competency``, ``learners`` (spells), ``mastered`` (events),
``censored``; ``q25``, ``median``, ``q75`` — the first time the survival drops strictly below
0.75, 0.5, 0.25 (NaN: not reached; ``median_reached``) — each with ``_lower`` and ``_upper``,
its 95% confidence interval by inverting z-tests on the log-log scale (Brookmeyer & Crowley
1982, as SAS LIFETEST and statsmodels' ``SurvfuncRight.quantile_ci``; ``inf``: open above).
With ``table=True``: the survival table instead — ``competency``, ``time`` (days), ``at_risk``,
``events``, ``survival``, ``se`` (Greenwood) at each event time. Equal to statsmodels'
``SurvfuncRight`` on the same spells. Raises TypeError for an ``origin`` that is not a time.
)pbdoc")
      .def(
          "summary",
          [](const py::object& self, const py::object& by,
             std::optional<int_arg<std::uint32_t>> min_n) {
            const read_lock lock(&self.cast<const roster&>(), roster_type);
            return call_python("masterymap._cohort", "summary", self, by,
                               min_n ? py::object(py::int_(min_n->value)) : py::none());
          },
          py::arg("by") = py::none(), py::kw_only(), py::arg("min_n") = py::none(), R"pbdoc(
Per competency (and per group with ``by``): what the roster's tables say, as a pandas DataFrame
with one row per competency — with ``by``, one row per (group, competency) and a ``group``
column: group ``"all"`` (the whole roster) first, then each group in sorted order.

Columns: with ``by``, ``group``; ``competency``, ``learners`` (in the group), one count per status
(``not_started`` ... ``inferred``), one per rating label and ``no_rating``; ``started``
(learners with evidence of their own: not ``not_started``, not ``inferred``), ``earned``
(``mastered`` or ``exceeded``), ``scored`` (learners with a score); ``mastery_rate`` = earned /
learners (denominator: all
learners of the group) and ``mastery_rate_started`` = earned / started (denominator: learners
who started; NaN when none did); ``mean_score`` and ``median_score`` (over learners with a
score); ``median_attempts``: the median number of counted pieces of evidence up to and including the
one that brought first mastery, over the learners who mastered it (see ``time_to_mastery``); with ``by``: ``gap_mastery_rate``, ``gap_mastery_rate_started`` and ``gap_mean_score``
= the group's figure minus that of the rest of the roster (learners outside the group,
including those without a group); ``suppressed``: the group has fewer than ``min_n`` learners,
and every figure of the row but ``learners`` is then NA (the practice of state reporting: small
*subgroup* cells are not published); a rate or score whose own denominator (started, scored,
the rest's) is below ``min_n`` is NA as well (below 1 — none — in every case).

``min_n``: None (the default) suppresses subgroup cells only: 10 with ``by``, 0 without it, so a
teacher's class of 8 gets its figures (the whole roster is no subgroup). An explicit ``min_n``
applies with or without ``by`` (``summary(min_n=10)`` suppresses a class of 8).

``by``: learner -> group, a pandas Series indexed by learner id (or a one-column DataFrame, or
a dict). Every learner of the roster must be in it: NaN puts a learner in no group (it counts
in ``"all"`` only); learners the roster does not have are ignored (a district's table on one
class), and a group is listed only if one of the roster's learners is in it.
Complexity: O(L * C) in C++, in parallel over learners; the result does not depend on the
thread count. Raises TypeError for a ``by`` of another type, ValueError when ``by`` leaves out
learners of the roster (naming them) or names a learner twice.
)pbdoc")
      .def(
          "groups_by_frontier",
          [](const py::object& self, const std::string& kind, int_arg<std::uint32_t> stuck_evidence,
             days_arg stuck_days, days_arg recent_days) {
            const read_lock lock(&self.cast<const roster&>(), roster_type);
            return call_python("masterymap._cohort", "groups_by_frontier", self, kind,
                               stuck_evidence.value, stuck_days.value, recent_days.value);
          },
          py::arg("kind") = "ready", py::kw_only(), py::arg("stuck_evidence") = 10,
          py::arg("stuck_days") = 30.0, py::arg("recent_days") = 14.0, R"pbdoc(
Learners grouped by competency, as a pandas DataFrame sorted by competency (framework order),
then learner: ``competency``, ``learner`` (categoricals), ``counted`` (counted evidence up to
``as_of``: kinds the competency's rule counts — not ignored, not placement, not a non-counting
pretest; windows disregarded), ``first_evidence`` (its first counted evidence),
``last_evidence`` (its latest evidence of any kind) as UTC timestamps, and for ``"stuck"``
``wheel_spinning`` and ``no_progress`` (booleans).

- ``"ready"``: on the learner's frontier (KST's outer fringe), as ``Roster.frontier``.
- ``"recent"``: earned (mastered or exceeded), with evidence within ``recent_days`` days
  before ``as_of``.
- ``"stuck"``: in progress or awaiting confirmation, and either wheel-spinning — at least
  ``stuck_evidence`` counted pieces of evidence without mastery (Beck & Gong 2013: 10 practice
  opportunities) — or no progress: the first counted evidence at least ``stuck_days`` days
  before ``as_of`` (0 switches either test off).

The exact inverse of the per-learner queries. O(rows + L * (V + E)), in parallel over learners.
Raises ValueError for another ``kind``, or a negative, infinite or NaN ``stuck_days`` or
``recent_days``; TypeError for days that are no number (a bool included), naming the option.
)pbdoc")
      .def(
          "_bottlenecks",
          [](const roster& r, std::uint32_t stuck_evidence, double stuck_days) {
            const read_lock lock(&r, roster_type);
            frontier_group_options o;
            o.stuck_evidence = stuck_evidence;
            o.stuck_days = stuck_days;
            std::vector<bottleneck> b;
            {
              py::gil_scoped_release rel;
              b = bottlenecks(r, o);
            }
            const std::size_t n = b.size();
            std::vector<std::uint32_t> comp(n), stuck(n), wheel(n), nopro(n), ready(n), working(n),
                earned(n), gaps(n);
            std::vector<double> rate(n), score(n);
            py::list reasons;
            for (std::size_t k = 0; k < n; ++k) {
              comp[k] = b[k].competency;
              stuck[k] = b[k].stuck;
              wheel[k] = b[k].wheel_spinning;
              nopro[k] = b[k].no_progress;
              ready[k] = b[k].ready;
              working[k] = b[k].working;
              earned[k] = b[k].earned;
              gaps[k] = b[k].gaps;
              rate[k] = b[k].mastery_rate_ready;
              score[k] = b[k].score;
              reasons.append(b[k].reasons);
            }
            py::dict d;
            d["competency"] = move_numpy(std::move(comp));
            d["score"] = move_numpy(std::move(score));
            d["stuck"] = move_numpy(std::move(stuck));
            d["wheel_spinning"] = move_numpy(std::move(wheel));
            d["no_progress"] = move_numpy(std::move(nopro));
            d["ready"] = move_numpy(std::move(ready));
            d["working"] = move_numpy(std::move(working));
            d["earned"] = move_numpy(std::move(earned));
            d["mastery_rate_ready"] = move_numpy(std::move(rate));
            d["gaps"] = move_numpy(std::move(gaps));
            d["reasons"] = reasons;
            return d;
          },
          py::arg("stuck_evidence"), py::arg("stuck_days"))
      .def("_learning_curve",
           [](const roster& r) {
             const read_lock lock(&r, roster_type);
             learning_curve_table t;
             {
               py::gil_scoped_release rel;
               t = learning_curve(r);
             }
             py::dict d;
             d["competency"] = move_numpy(std::move(t.competency));
             d["opportunity"] = move_numpy(std::move(t.opportunity));
             d["learners"] = move_numpy(std::move(t.learners));
             d["errors"] = move_numpy(std::move(t.errors));
             return d;
           })
      .def(
          "bottlenecks",
          [](const py::object& self, int_arg<std::uint32_t> stuck_evidence, days_arg stuck_days) {
            const read_lock lock(&self.cast<const roster&>(), roster_type);
            return call_python("masterymap._cohort", "bottlenecks", self, stuck_evidence.value,
                               stuck_days.value);
          },
          py::kw_only(), py::arg("stuck_evidence") = 10, py::arg("stuck_days") = 30.0, R"pbdoc(
The competencies that hold the cohort back, ranked by ``score`` (descending; ties in framework
order), one row per competency, as a pandas DataFrame:

    score = (stuck + (1 - mastery_rate_ready) * ready + gaps) / learners

- ``stuck``: learners stuck on it, as ``groups_by_frontier("stuck")`` with the same
  ``stuck_evidence`` and ``stuck_days`` (of them ``wheel_spinning`` and ``no_progress``; a
  learner can be both);
- ``ready``: learners with it on their frontier now, of them ``working`` those with counted
  evidence on it (in progress, awaiting confirmation or expired; evidence only of kinds the rule
  ignores, or a lone pre-test, counts no work); ``earned``: learners who mastered or
  exceeded it; ``mastery_rate_ready`` = earned / (earned + working), the mastery rate among
  learners who took it on once ready (NaN when nobody has; the score's term is then 0);
- ``gaps``: learners for whom it is a gap (``Roster.gaps``: not done, a gating prerequisite
  not met under done work).

So the score counts the learners it holds back — stuck on it, ready for it and, at the rate
seen so far, not getting it, or with done work resting on it unmet — per learner of the roster
(``learners``). Each term is a share (0 to 1), but a learner can count in all three, so the
score is not a fraction: it ranges from 0 to 3. ``reasons``: the figures as a short
text, the largest term first. Columns: ``competency`` (categorical), ``score``, ``learners``,
``stuck``, ``wheel_spinning``, ``no_progress``, ``ready``, ``working``, ``earned``,
``mastery_rate_ready``, ``gaps``, ``reasons``. Deterministic; O(rows + L * (V + E)) in C++, in
parallel over learners, independent of the thread count.
)pbdoc")
      .def(
          "learning_curve",
          [](const py::object& self) {
            const read_lock lock(&self.cast<const roster&>(), roster_type);
            return call_python("masterymap._cohort", "learning_curve", self);
          },
          R"pbdoc(
DataShop-style learning curves: the error rate by opportunity number per competency, as a
pandas DataFrame with columns ``competency`` (categorical), ``opportunity`` (1, 2, ...),
``learners`` (who had that many opportunities), ``errors`` and ``error_rate`` = errors /
learners, sorted by competency (framework order) then opportunity.

Opportunity k of a learner on a competency is its k-th counted piece of evidence (kinds the
competency's rule counts, as ``groups_by_frontier``'s ``counted``; up to ``as_of``; in the
engine's aggregation order: time, then row). An error is a score below the scale's mastery
value (for 0/1 evidence: not correct). Every (learner, competency) pair with counted evidence
is included, also pairs now exempt or inferred. O(rows log rows) in C++, in parallel over
learners; integer counts, so independent of the thread count.
)pbdoc")
      .def(
          "progress",
          [](const py::object& self, const std::string& freq) {
            const read_lock lock(&self.cast<const roster&>(), roster_type);
            return call_python("masterymap._cohort", "progress", self, freq);
          },
          py::arg("freq") = "W", R"pbdoc(
Competencies mastered over time, as a pandas DataFrame with one row per period from the first
to the last period with a first mastery: ``period`` (its start, a UTC timestamp), ``mastered``
(first masteries in it: (learner, competency) pairs whose first mastery fell in the period) and
``cumulative`` (up to and including it), plus ``learners`` (distinct learners with a first
mastery in the period).

First masteries are those of ``time_to_mastery``: found by replaying each pair's evidence
(exempt and inferred pairs do not count); a later lapse does not undo one. ``freq``: a pandas period alias ("D", "W" weeks
ending Sunday, "M", "Q", "Y", ...). Raises ValueError for an unknown ``freq``.
)pbdoc");
}

}  // namespace masterymap::python
