// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
#include <fmt/format.h>
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <masterymap/roster.hpp>
#include <optional>
#include <stdexcept>

#include "batch_py.hpp"
#include "bindings.hpp"
#include "engine_py.hpp"
#include "numpy_util.hpp"
#include "object_lock.hpp"
#include "pickle_py.hpp"
#include "progress_py.hpp"
#include "progression_py.hpp"
#include "roster_py.hpp"

namespace masterymap::python {
namespace {

// What changing a roster's own log from Python says (object_lock.hpp, refuse_owned).
constexpr const char* own_log_message =
    "this log is a Roster's own log (Roster.log), changed only through its roster "
    "(Roster.ingest, add, place, retract): changed here, the roster's tables would no longer "
    "follow it; copy.copy(roster.log) is a log of your own";

// A roster is changed with the GIL released: every method holds its lock (object_lock.hpp).
// A change holds the roster and its own log (Python reads it as `Roster.log`) for writing, and
// the log of a batch for reading.
class roster_change {
 public:
  explicit roster_change(const roster& r, const evidence_log* batch = nullptr)
      : locks_{{&r, roster_type, true},
               {&r.log(), log_type, true},
               {not_own_log(r, batch), log_type, false}} {}

 private:
  static const evidence_log* not_own_log(const roster& r, const evidence_log* batch) {
    if (batch == &r.log())
      throw std::invalid_argument(
          "Roster.ingest: the batch is the roster's own log (ingest new evidence only)");
    return batch;
  }
  lock_set locks_;
};

// For a method that reads the roster through several calls (the DataFrame builders): one read
// for the whole method, so that it sees one state.
template <typename... Args>
py::object read_through_python(const py::object& self, const char* module, const char* function,
                               Args&&... args) {
  const read_lock lock(&self.cast<const roster&>(), roster_type);
  return call_python(module, function, self, std::forward<Args>(args)...);
}

// A score or weight of one event: a number, or NaN for a missing value (None, pd.NA), which
// validation reports on its row as the batch path does.
// `what` and `accepts` name the parameter in the TypeError for a value of another type.
double number(const py::object& v, const char* what, const char* accepts = "a number") {
  // A text is no number here (PyNumber_Float would parse it, or fail naming nothing).
  if (PyUnicode_Check(v.ptr())) throw argument_error(what, accepts, v);
  if (PyObject* f = PyNumber_Float(v.ptr())) return py::reinterpret_steal<py::float_>(f);
  py::error_already_set e;  // not a number: None and pd.NA are missing, anything else an error
  if (v.is_none() || std::string(py::str(py::type::of(v).attr("__name__"))) == "NAType")
    return std::numeric_limits<double>::quiet_NaN();
  if (e.matches(PyExc_TypeError)) throw argument_error(what, accepts, v);
  throw e;
}

// The time of one event. A text that is not a time is a bad row (its problem in `problem`), as
// in a batch of one (EvidenceLog.add).
double event_time(const py::object& time, std::string& problem) {
  if (!py::isinstance<py::str>(time)) return to_seconds(time, "time", true);
  const std::string text = time.cast<std::string>();
  if (const auto parsed = parse_time(text)) return *parsed;
  problem = "bad time '" + text + "'";
  return 0;
}

py::dict summary(const ingest_summary& s) {
  py::dict d;
  d["rows"] = s.rows;
  d["learners_touched"] = s.learners_touched;
  d["new_learners"] = s.new_learners;
  d["full"] = s.full;
  d["fast_rows"] = s.fast_rows;
  d["learners_reevaluated"] = s.learners_reevaluated;
  return d;
}

}  // namespace

void bind_roster(py::module_& m) {
  py::class_<roster> roster_cls(m, "Roster", R"pbdoc(
Many learners against one framework and policy. Memory follows the evidence: per learner only
the cells it touched (status, score, rating and attainment code: 16 bytes a cell), nothing for
an untouched cell; ``statuses()``, ``scores()`` and ``ratings()`` build the dense learner x
competency arrays on demand.

``ingest`` adds evidence (an :class:`EvidenceLog` or a DataFrame with the evidence columns) and
re-evaluates only the learners it touches (everyone only when the evaluation time moves under a
policy with windows in days or expiry), in parallel over learners with the GIL released; the
tables always equal a full evaluation of everything ingested, whatever the thread count.
Each call adds the rows it is given: pass new evidence only.

Bulk answers come as DataFrames: :meth:`to_dataframe`, :meth:`frontier`, :meth:`levels`,
:meth:`gaps`, :meth:`blockers`, :meth:`pacing`; :meth:`learner` gives one :class:`LearnerState` (with ``explain`` and the
progression methods), equal to the learner's row. :meth:`save` / :meth:`Roster.load` snapshot the whole roster to a
versioned binary file; a restored roster answers identically and can keep ingesting.
Thread-safe: any number of Python threads may read a roster at once; ``ingest`` and ``add``
wait until no other call uses it (and other calls wait for them), each with the GIL released
while it waits.

Compares by value (framework, policy, fixed evaluation time, evidence, tables), copies (an
independent roster; ``copy.deepcopy`` also copies a Python probability source) and pickles (as
its snapshot, a numpy byte array: out of band with pickle protocol 5, plus its thread count and
probability source); unhashable (it grows).

:param threads: worker threads (0 = all cores).
:param as_of: a fixed evaluation time (default: the latest evidence time ingested): seconds since
    the epoch, an ISO 8601 string, a datetime (naive = UTC), a date, a pandas Timestamp or a
    numpy datetime64, as every time argument.
:param probabilities: the source of ``Method.bkt`` values (a :class:`ProbabilitySource` or a
    callable ``f(learner, competency, scores) -> float | None``), as for :class:`Engine`.
)pbdoc");
  roster_cls
      .def(py::init([](framework fw, policy p, unsigned threads, const py::object& as_of,
                       const py::object& probabilities) {
             roster_options o;
             o.threads = threads;
             if (!as_of.is_none()) o.as_of = to_seconds(as_of, "as_of");
             o.probabilities = to_probability_source(probabilities);
             return std::make_unique<roster>(std::move(fw), std::move(p), o);
           }),
           py::arg("framework"), py::arg("policy"), py::kw_only(), py::arg("threads") = 0,
           py::arg("as_of") = py::none(), py::arg("probabilities") = py::none())
      .def(
          "_ingest_log",
          [](roster& r, const evidence_log& log, const py::object& progress) {
            const auto hook = python_progress(progress);
            ingest_summary s;
            {
              py::gil_scoped_release rel;
              const roster_change change(r, &log);
              s = r.ingest(log, hook);
            }
            return summary(s);
          },
          py::arg("log"), py::kw_only(), py::arg("progress") = py::none())
      .def(
          "_ingest_columns",
          [](roster& r, std::size_t n, const py::dict& cols, const py::object& progress) {
            // Straight from the converted columns to the roster's validation: the problems of a
            // batch are those EvidenceLog.extend(framework=, policy=) lists, all at once.
            const py_evidence_batch batch(n, cols);
            const auto hook = python_progress(progress);
            ingest_summary s;
            {
              py::gil_scoped_release rel;
              const roster_change change(r);
              s = r.ingest(batch.columns(), hook);
            }
            return summary(s);
          },
          py::arg("n"), py::arg("columns"), py::kw_only(), py::arg("progress") = py::none())
      .def(
          "_ingest_statements",
          [](roster& r, std::size_t n, const py::dict& cols,
             const std::vector<std::pair<std::string, std::string>>& voids,
             const py::object& progress, const py::object& timestamps) {
            const py_evidence_batch batch(n, cols);
            std::vector<std::string> texts;
            evidence_columns columns = batch.columns();
            if (!timestamps.is_none()) columns.timestamp = timestamp_column(timestamps, n, texts);
            const auto hook = python_progress(progress);
            std::vector<retraction> v;
            for (const auto& [source, by] : voids) v.push_back({source, by});
            statements_summary s;
            {
              py::gil_scoped_release rel;
              const roster_change change(r);
              s = r.ingest_statements(columns, v, hook);
            }
            return statements_dict(s);
          },
          py::arg("n"), py::arg("columns"), py::arg("voids"), py::kw_only(),
          py::arg("progress") = py::none(), py::arg("timestamps") = py::none())
      .def(
          "ingest_statements",
          [](const py::object& self, const py::object& data, const py::object& voided,
             const py::object& progress) {
            return call_python("masterymap._xapi", "roster_ingest_statements", self, data, voided,
                               progress);
          },
          py::arg("data"), py::arg("voided") = py::none(), py::kw_only(),
          py::arg("progress") = py::none(), R"pbdoc(
Ingests statement evidence (xAPI: :func:`masterymap.io.read_xapi`'s DataFrame), idempotent
across batches, then applies the voids: feed several xAPI batches in turn and the roster keeps
one row per statement, and a voided statement's evidence stops counting, whichever batch the
voiding statement came in (before or after its target).

A row whose non-empty ``source`` (statement id) is already in the roster's log or earlier in
the batch with the same content (learner, competency, time, score, kind, weight) is skipped;
with another content the batch is rejected, naming the id and the stored and new values.
``voided``: statement ids or ``(id, voiding id)`` pairs; ``None`` takes them from ``data.attrs``
(``"retractions"``, as :func:`read_xapi` sets it, else ``"voided"``). Voided rows stay in
``Roster.log``; ratings ignore them and ``learner(id).explain(...)`` lists them as voided. The
learners with rows a void retracts are re-evaluated. :meth:`ingest` of a DataFrame that
:func:`read_xapi` made (it has ``attrs["retractions"]``) takes this path.

A voiding statement's id names one statement across batches: a void sent again with the same
target is a repeat; the id with another target, on a row, or a row's id on a void is an
``EvidenceError`` naming the id ("void 0: statement '<id>' was ingested before as a voiding
statement of '<target>': the same id cannot void '<other>'").

cmi5 waivers are rows of a waiver kind (``"waiver:<reason>"``): the waived competency is
``exempt`` (see ``builtin_kinds`` in the C++ evidence.hpp; ``explain`` names the waiver). A
frame whose scores
:func:`read_xapi` left as fractions (``attrs["scale"]`` is None: read without ``scale=``) into
a roster whose policy scale is not 0..1 is ingested with a ``UserWarning`` too (each fraction
would be taken as a score on the roster's scale: pass ``scale=policy`` to ``read_xapi``).

All or nothing: a bad row or a conflicting repeat leaves the roster unchanged.

:param progress: as :meth:`ingest`
:returns: dict(rows, duplicates, retracted, rows_voided)
:raises EvidenceError: bad rows, conflicting repeats or a statement id reused between a void
    and another statement; the roster is unchanged
:raises ValueError: an empty statement id in ``voided``
)pbdoc")
      .def(
          "retract",
          [](roster& r, const std::string& source, const std::string& by) {
            statements_summary s;
            {
              py::gil_scoped_release rel;
              const roster_change change(r);
              s = r.retract({{source, by}});
            }
            return statements_dict(s);
          },
          py::arg("source"), py::arg("by") = "", R"pbdoc(
Retracts the evidence whose ``source`` is ``source`` (xAPI voiding; ``by``: the voiding
statement's id), as :meth:`EvidenceLog.retract`, and re-evaluates the learners it touches.

:returns: dict(rows, duplicates, retracted, rows_voided): ``retracted`` counts the sources
    newly retracted, also one with no evidence in the log yet (a void may arrive before its
    statement: it waits in ``log.pending_retractions``); ``rows_voided`` the rows of the log it
    voided (0 for such a pending source, or a typo)
:raises ValueError: an empty source (the roster is unchanged)
)pbdoc")
      .def(
          "retract",
          [](roster& r, const std::vector<std::pair<std::string, std::string>>& batch) {
            std::vector<retraction> v;
            for (const auto& [source, by] : batch) v.push_back({source, by});
            statements_summary s;
            {
              py::gil_scoped_release rel;
              const roster_change change(r);
              s = r.retract(v);
            }
            return statements_dict(s);
          },
          py::arg("retractions"), R"pbdoc(
Retracts every ``(source, by)`` pair at once, all or nothing.

:returns: dict(rows, duplicates, retracted, rows_voided)
:raises ValueError: an empty source (the roster is unchanged)
)pbdoc")
      // Conversions from pandas/numpy and to DataFrames: delegated to masterymap._columns and
      // masterymap._frames.
      .def(
          "ingest",
          [](const py::object& self, const py::object& data, const py::object& progress) {
            return call_python("masterymap._xapi", "roster_ingest", self, data, progress);
          },
          py::arg("data"), py::kw_only(), py::arg("progress") = py::none(), R"pbdoc(
Adds evidence: an :class:`EvidenceLog`, or a DataFrame, mapping of columns or list of records
(learner, competency, score, time, and optionally kind, weight, source) converted as by
``EvidenceLog.extend`` and validated against the roster's framework and policy: scores may be
labels of its scale, any kind is accepted, and a bad batch lists exactly the problems
``EvidenceLog.extend(data, framework=, policy=)`` lists. No rows is a no-op (a summary of 0
rows). A DataFrame from :func:`read_xapi` (with ``attrs["retractions"]``) goes through
:meth:`ingest_statements` (idempotent by statement id, voids honoured; its warnings about
waivers and fraction scores included) and returns its summary.
An :class:`EvidenceLog`'s retractions come with it. An event whose rule folds event by event updates its one cell in O(1); other learners
it touches are re-evaluated.

All or nothing: a bad batch, an error or a cancellation (Ctrl-C raises ``KeyboardInterrupt``
within about 0.1 s) leaves the roster exactly as it was.

:param progress: ``progress(done, total)``, called about every 50 ms and once with
    ``done == total``; ``total`` is 3 x the batch's rows (validated, applied, re-evaluated).
    Raising from it cancels the ingest.
:returns: dict(rows, learners_touched, new_learners, full, fast_rows, learners_reevaluated)
:raises EvidenceError: listing every bad row; the roster is unchanged (kinds included)
)pbdoc")
      .def(
          "add",
          // Bound here rather than through masterymap._columns: one event is the O(1) path,
          // and a round trip through Python would cost more than the update itself.
          [](roster& r, const py::object& learner, const py::object& competency,
             const py::object& score, const py::object& time, const py::object& kind,
             const py::object& weight, const py::object& source) {
            double value = 0;
            const std::string k = text_arg(kind, "kind");
            // A number in a text ("4", " 3.5") is that number, for every kind, as in a batch.
            std::optional<double> numeric;
            if (py::isinstance<py::str>(score)) {
              if (PyObject* f = PyFloat_FromString(score.ptr())) {
                numeric = PyFloat_AsDouble(f);
                Py_DECREF(f);
              } else {
                PyErr_Clear();
              }
            }
            if (numeric) {
              value = *numeric;
            } else if (py::isinstance<py::str>(score)) {
              // A level kind's score is a level, not a rating: no label (as in a batch).
              const auto& levels = ingest_checks{}.level_kinds;
              if (std::find(levels.begin(), levels.end(), k) != levels.end())
                throw_if_bad_row(
                    {}, fmt::format("score '{}' of a '{}' row is a rating label, not a level (the "
                                    "score of this kind is the level it places the learner at: "
                                    "give the level as a number, e.g. 4 for grade 4)",
                                    score.cast<std::string>(), k));
              const auto v = r.policy().scale().value_of(score.cast<std::string>());
              if (!v) {
                py::list labels;
                for (const auto& x : r.policy().scale().ratings()) labels.append(x.label);
                throw py::value_error("score " + std::string(py::repr(score)) +
                                      " is neither a number nor a label of the roster's scale " +
                                      std::string(py::repr(labels)));
              }
              value = *v;
            } else {
              value = number(score, "score", "a number or a label of the roster's scale");
            }
            std::string time_problem;
            const double t = event_time(time, time_problem);
            const double w = number(weight, "weight");
            std::string learner_problem, competency_problem;
            const std::string l = id_text(learner, "learner", learner_problem),
                              c = id_text(competency, "competency", competency_problem),
                              src = text_arg(source, "source");
            throw_if_bad_row(l, learner_problem);
            throw_if_bad_row(c, competency_problem);
            throw_if_bad_row({}, time_problem);
            ingest_summary s;
            {
              py::gil_scoped_release rel;
              const roster_change change(r);
              s = r.add(l, c, t, value, k, w, src);
            }
            return summary(s);
          },
          py::arg("learner"), py::arg("competency"), py::arg("score"), py::arg("time"),
          py::arg("kind") = "formative", py::arg("weight") = 1.0, py::arg("source") = "",
          R"pbdoc(
Adds one piece of evidence and updates the learner's tables at once.

For rules that fold event by event (latest, highest, mean, weighted_mean, weighted_average,
decaying_average, n_mastery, power_law; not mode or bkt; no window, expiry or monotonic
holding; at most four gatekeeper and four exemption-confirmation kinds; not under a rollup)
and an event that is the newest of its (learner, competency), only that cell is updated,
in O(1) and bit-identical to a full re-evaluation; otherwise the learner is re-evaluated.
For many events, :meth:`ingest` a DataFrame instead (one call, GIL released).

:param learner, competency: ids in any form (``1``, ``np.int64(1)``, ``1.0`` and ``"1"`` are one
    id; a missing, non-integral or boolean id is a bad row)
:param score: a number on the policy's scale or one of its labels (e.g. ``"Proficient"``);
    None or pd.NA is a bad row; for ``kind="placement"`` the level placed at, a number (a label
    is a bad row)
:param time: seconds since the epoch, an ISO 8601 string, a datetime (naive = UTC), a date, a
    pandas Timestamp or a numpy datetime64
:returns: the ingest summary (``fast_rows`` is 1 when the O(1) path was taken)
:raises EvidenceError: on a bad row, e.g. a missing time or a text that is not one (the roster is unchanged)
:raises ValueError: a text score that is not a label of the scale
:raises TypeError: ``time`` is not a time (e.g. a list or a bool)
)pbdoc")
      .def(
          "place",
          [](roster& r, const py::object& learner, const py::object& level, const py::object& time,
             const py::object& domain, const py::object& source) {
            const int lv = level_arg(level, "level");
            std::vector<std::string> domains;
            if (py::isinstance<py::str>(domain)) {
              domains.push_back(domain.cast<std::string>());
            } else if (!domain.is_none()) {
              if (!py::isinstance<py::iterable>(domain))
                throw argument_error("domain", "a domain name, a list of them, or None", domain);
              for (const auto& d : domain) {
                if (!py::isinstance<py::str>(d))
                  throw argument_error("domain", "a domain name, a list of them, or None", domain);
                domains.push_back(d.cast<std::string>());
              }
              if (domains.empty())
                throw py::value_error("Roster.place: domain is an empty list (None = all)");
            }
            std::string learner_problem, time_problem;
            const std::string l = id_text(learner, "learner", learner_problem);
            const double t = event_time(time, time_problem);
            const std::string src = text_arg(source, "source");
            throw_if_bad_row(l, learner_problem);
            throw_if_bad_row({}, time_problem);
            ingest_summary s;
            {
              py::gil_scoped_release rel;
              const roster_change change(r);
              s = r.place(l, lv, t, domains, src);
            }
            return summary(s);
          },
          py::arg("learner"), py::arg("level"), py::arg("time"), py::arg("domain") = py::none(),
          py::kw_only(), py::arg("source") = "",
          R"pbdoc(
Places a learner at ``level`` in a domain (or several, or all): a placement or diagnostic
result ("placed at grade 4 in NF"), stored as evidence.

Adds one row per domain, of kind ``"placement"``, on the domain's first leveled academic
competency, with the level as its score. Everything below the level in the domain is then
``inferred`` (unless evidence on it says otherwise: contrary evidence wins), a level above the
domain's top places all of it, and the learner's working level there is at least ``level``
(so :meth:`LearnerState.recommend` starts there). The latest placement of a domain counts.
``explain`` names it ("placed at level 4 in NF on ... (row r, on 3.NF.A.1)"). The same rows may
come in a batch: kind ``"placement"``, any competency of the domain, score = the level.

:param level: an int on the framework's level scale (e.g. 0 = kindergarten, 4 = grade 4)
:param time: as for :meth:`add`
:param domain: a domain name, a list of them (a repeated name is placed once: repeats are
    dropped), or None (every domain with leveled competencies)
:returns: the ingest summary
:raises UnknownIdError: a domain the framework does not have (the roster is unchanged)
:raises ValueError: a domain without leveled academic competencies, or a level beyond +-2**24
:raises EvidenceError: a bad learner id or time (the roster is unchanged)
:raises TypeError: ``level`` is not an int, ``domain`` not a name or list of names
)pbdoc")
      .def(
          "to_dataframe",
          [](const py::object& self, bool all_competencies) {
            return read_through_python(self, "masterymap._frames", "roster_frame",
                                       all_competencies);
          },
          py::arg("all_competencies") = false, R"pbdoc(
Every learner's ratings as one long pandas DataFrame: ``learner``, ``competency``
(categoricals), ``status`` (ordered categorical in learning order, ``STATUS_ORDER``), ``score``
(float64), ``rating`` (ordered categorical of the scale's labels, lowest first, so ``rating >=
"Proficient"`` and ``.max()`` work). Only pairs that are not ``not_started`` unless
``all_competencies``. The learner column is the same categorical (the roster's learners) in
every roster frame.
)pbdoc")
      .def(
          "frontier",
          [](const py::object& self, const py::object& progress) {
            return read_through_python(self, "masterymap._frames", "roster_frontier", progress);
          },
          py::kw_only(), py::arg("progress") = py::none(), R"pbdoc(
The frontier of every learner as a pandas DataFrame (``learner``, ``competency``
categoricals), computed in C++ in parallel; learners in order, competencies in framework order.
``progress(done, total)``: learners (raising from it, or Ctrl-C, cancels).
)pbdoc")
      .def(
          "levels",
          [](const py::object& self, const py::object& domain, const py::object& progress) {
            return read_through_python(self, "masterymap._frames", "roster_levels", domain,
                                       progress);
          },
          py::arg("domain") = py::none(), py::kw_only(), py::arg("progress") = py::none(),
          R"pbdoc(
Every learner's level per domain as a pandas DataFrame: ``learner`` (categorical), ``domain``, ``level``
(NaN: none), ``next_level``, ``next_done``, ``next_total``, ``next_progress``, ``gap_count``
(competencies not done below the level; ``DomainLevel.gaps`` lists them), ``gap_levels``. One domain, or every domain with leveled academic competencies.
``progress(done, total)``: learners x domains (raising from it, or Ctrl-C, cancels).
)pbdoc")
      .def(
          "gaps",
          [](const py::object& self, const py::object& progress) {
            return read_through_python(self, "masterymap._frames", "roster_gaps", progress);
          },
          py::kw_only(), py::arg("progress") = py::none(), R"pbdoc(
The gaps of every learner (holes under done work: ``LearnerState.gaps``) as one long pandas
DataFrame, one row per (learner, gap): ``learner``, ``competency`` (categoricals), ``status``
(ordered categorical), ``score`` (NaN: none), ``domain`` (categorical), ``level`` (NaN: none),
``undermines`` (list of the done competencies' ids that rest on it, in learning order),
``ready`` (bool: on the frontier). Learners in order; each learner's rows as its
``learner(id).gaps()`` (most undermined first). Computed in C++ in parallel over learners
(the roster's threads) with the GIL released: O(learners x (V + E x A / 64)) for A done
competencies per learner. ``progress(done, total)``: learners (raising from it, or Ctrl-C,
cancels).
)pbdoc")
      .def(
          "blockers",
          [](const py::object& self, const py::object& progress) {
            return read_through_python(self, "masterymap._frames", "roster_blockers", progress);
          },
          py::kw_only(), py::arg("progress") = py::none(), R"pbdoc(
What blocks every learner's work in progress (``LearnerState.blockers``) as one long pandas
DataFrame, one row per (learner, blocker): ``learner``, ``competency`` (categoricals),
``status`` (ordered categorical), ``score`` (NaN: none), ``needed`` (categorical: "mastered",
"started" or a rating label), ``needed_level`` (NaN for "mastered"/"started"), ``blocks`` (list
of the ids it holds back, in learning order), ``ready`` (bool), ``distance`` (steps from ready).
Learners in order; each learner's rows as its ``learner(id).blockers()`` (learning order).
Computed in C++ in parallel over learners with the GIL released: O(learners x (V + E)).
``progress(done, total)``: learners (raising from it, or Ctrl-C, cancels).
)pbdoc")
      .def(
          "pacing",
          [](const py::object& self, const py::object& plan, const py::object& today,
             const py::object& progress) {
            return read_through_python(self, "masterymap._frames", "roster_pacing", plan, today,
                                       progress);
          },
          py::arg("plan"), py::arg("today") = py::none(), py::kw_only(),
          py::arg("progress") = py::none(), R"pbdoc(
Every learner against a :class:`PacePlan` as a pandas DataFrame, one row per learner:
``status`` (ordered categorical behind < on_track < ahead), ``done``, ``expected``, ``total``, ``complete``
(bool), ``expected_rate``, ``actual_rate``, ``acceleration``, ``needed_rate`` (per day),
``projected_finish`` (``datetime64[ns, UTC]``; NaT when it cannot be projected),
``days_ahead``. ``today`` (any time: seconds, ISO 8601, datetime, date, Timestamp,
datetime64) defaults to the roster's evaluation time.
``progress(done, total)``: learners (raising from it, or Ctrl-C, cancels).
)pbdoc")
      .def_property_readonly("framework", &roster::framework)
      .def_property_readonly("policy", &roster::policy)
      .def_property_readonly(
          "log",
          [](const py::object& self) {
            const evidence_log* log = &self.cast<const roster&>().log();
            // Read-only from Python: the roster's tables follow its log only through the
            // roster's own changes. Unmarked when the roster is collected (a log handed out
            // keeps its roster alive, so no wrapper outlives the mark).
            if (mark_owned(log, own_log_message)) {
              py::cpp_function forget([log](py::handle ref) {
                unmark_owned(log);
                ref.dec_ref();
              });
              py::weakref(self, forget).release();
            }
            return py::cast(log, py::return_value_policy::reference_internal, self);
          },
          "Every piece of evidence ingested; grows with each ingest. Read-only: its changing "
          "methods raise ValueError (change the roster with ingest, add, place or retract; "
          "``copy.copy(roster.log)`` is a log of your own).")
      .def_property_readonly(
          "as_of",
          [](const roster& r) -> py::object {
            const read_lock lock(&r, roster_type);
            return std::isnan(r.as_of()) ? py::object(py::none())
                                         : py::object(py::float_(r.as_of()));
          },
          "The evaluation time of the tables (seconds since the epoch), None before any evidence.")
      .def_property_readonly(
          "learners",
          [](const roster& r) {
            const read_lock lock(&r, roster_type);
            return r.learners();  // a copy, made under the lock
          },
          "Learner ids, in the order they came in (the log's: first appearance in the rows, a "
          "Categorical column's ids in category order).")
      .def_property_readonly("threads", [](const roster& r) { return r.options().threads; })
      .def("__len__",
           [](const roster& r) {
             const read_lock lock(&r, roster_type);
             return r.size();
           })
      .def(
          "__contains__",
          [](const roster& r, const py::object& id) {
            std::string problem;
            const std::string text = id_text(id, "learner", problem);
            const read_lock lock(&r, roster_type);
            return problem.empty() && r.find(text).has_value();
          },
          py::arg("id"))
      .def_property_readonly("progression", &roster::progression)
      .def(
          "statuses",
          [](const roster& r) {
            const read_lock lock(&r, roster_type);
            const std::vector<status> st = r.statuses();  // materialised from the cells
            std::vector<std::uint8_t> v(st.size());
            if (!v.empty()) std::memcpy(v.data(), st.data(), v.size());
            return move_numpy(std::move(v), static_cast<py::ssize_t>(r.size()),
                              static_cast<py::ssize_t>(r.competencies()));
          },
          "uint8 statuses (indices into STATUSES), learners x competencies (built on demand from "
          "the "
          "touched cells: 1 byte a cell).")
      .def(
          "scores",
          [](const roster& r) {
            const read_lock lock(&r, roster_type);
            return move_numpy(std::vector<double>(r.scores()), static_cast<py::ssize_t>(r.size()),
                              static_cast<py::ssize_t>(r.competencies()));
          },
          "Scores (NaN = none), learners x competencies (built on demand: 8 bytes a cell).")
      .def(
          "ratings",
          [](const roster& r) {
            const read_lock lock(&r, roster_type);
            return move_numpy(std::vector<std::int8_t>(r.ratings()),
                              static_cast<py::ssize_t>(r.size()),
                              static_cast<py::ssize_t>(r.competencies()));
          },
          "int8 ratings (indices into the scale's labels, -1 = none), learners x competencies "
          "(built on demand: 1 byte a cell).")
      .def(
          "frontier_matrix",
          [](const roster& r, const py::object& progress) {
            const auto hook = python_progress(progress);
            const read_lock lock(&r, roster_type);
            std::vector<std::uint8_t> f(r.size() * r.competencies());
            {
              py::gil_scoped_release rel;
              r.frontier_matrix(f.data(), hook);
            }
            return move_numpy(std::move(f), static_cast<py::ssize_t>(r.size()),
                              static_cast<py::ssize_t>(r.competencies()));
          },
          py::kw_only(), py::arg("progress") = py::none(),
          "Frontier flags (1 = ready to learn), learners x competencies, computed in parallel. "
          "``progress(done, total)``: learners.")
      .def(
          "learner",
          [](const py::object& self, const py::object& learner, const py::object& as_of) {
            const roster& r = self.cast<const roster&>();
            const std::string id = id_text(learner, "learner");
            const std::optional<double> when =
                as_of.is_none() ? std::nullopt : std::optional<double>(to_seconds(as_of, "as_of"));
            const read_lock lock(&r, roster_type);
            learner_state st;
            {
              py::gil_scoped_release rel;
              st = when ? r.learner(id, *when) : r.learner(id);
            }
            py::object log = py::cast(&r.log(), py::return_value_policy::reference_internal, self);
            return py_state{std::move(st), std::move(log), engine_object(r.engine())};
          },
          py::arg("id"), py::kw_only(), py::arg("as_of") = py::none(), R"pbdoc(
One learner's full :class:`LearnerState` (with ``explain`` and the progression methods),
evaluated by the roster's engine with its evaluation time and probability source: equal to the
learner's row of the tables.

:param as_of: the learner as it was at this time (a str, datetime, Timestamp or Unix
    seconds): evidence after it is ignored and windows and expiry are judged then. Default:
    the roster's evaluation time.
:raises UnknownIdError: for a learner the roster has no evidence of.
:raises ValueError: for an ``as_of`` that is not a time.
)pbdoc")
      .def(
          "last_evidence_times",
          [](const roster& r, const py::object& learner) {
            const std::string id = id_text(learner, "learner");
            const read_lock lock(&r, roster_type);
            return move_numpy(r.last_evidence_times(r.index_of(id)));
          },
          py::arg("learner"), "Latest evidence time per competency of a learner (NaN = none).")
      .def("__repr__", [](const roster& r) {
        const read_lock lock(&r, roster_type);
        const auto count = [](std::size_t n, const char* one, const char* many) {
          return std::to_string(n) + " " + (n == 1 ? one : many);
        };
        return "<Roster: " + count(r.size(), "learner", "learners") + ", " +
               count(r.competencies(), "competency", "competencies") + ", " +
               count(r.log().size(), "evidence row", "evidence rows") + ">";
      });
  bind_roster_advice(roster_cls);
  bind_roster_snapshot(roster_cls);
  bind_cohort(roster_cls);
}

}  // namespace masterymap::python
