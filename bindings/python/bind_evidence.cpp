// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <functional>
#include <masterymap/encoding.hpp>
#include <masterymap/engine.hpp>
#include <masterymap/evidence.hpp>
#include <type_traits>

#include "batch_py.hpp"
#include "bindings.hpp"
#include "numpy_util.hpp"
#include "object_lock.hpp"
#include "pickle_py.hpp"
#include "progress_py.hpp"

namespace masterymap::python {
namespace {

constexpr const char* log_type = "EvidenceLog";

// A change of a log from Python: its write lock, refused for a roster's own log (`Roster.log`).
class log_change {
 public:
  log_change(const evidence_log& l, const char* method)
      : lock_((refuse_owned(&l, method), &l), log_type) {}

 private:
  write_lock lock_;
};

// A bound accessor of the log: its value copied under the log's read lock (object_lock.hpp).
template <typename Get>
auto reading(Get get) {
  return [get](const evidence_log& l) {
    const read_lock lock(&l, log_type);
    return std::decay_t<std::invoke_result_t<Get, const evidence_log&>>(std::invoke(get, l));
  };
}

using u32_array = py::array_t<std::uint32_t, py::array::c_style | py::array::forcecast>;
using f64_array = py::array_t<double, py::array::c_style | py::array::forcecast>;
using holder = py_evidence_batch::holder;

// Indices of another integer dtype than uint32 (pandas' categorical codes are int8/int16/
// int32, factorize's int64), converted in column storage.
template <typename T>
void widen_codes(const py::array& a, holder& h) {
  const auto* src = static_cast<const T*>(a.data());
  const auto n = static_cast<std::size_t>(a.size());
  const auto missing = static_cast<std::uint32_t>(h.names.size());
  h.converted.reserve(n);
  detail::column_populate(h.converted.data(), n * sizeof(std::uint32_t));
  bool any_missing = false;
  for (std::size_t i = 0; i < n; ++i) {
    const T c = src[i];
    bool neg = false;
    if constexpr (std::is_signed_v<T>) neg = c < 0;
    any_missing = any_missing || neg;
    // Codes beyond uint32 saturate to an out-of-range code, which validation reports.
    const auto u = neg ? missing
                       : static_cast<std::uint32_t>(
                             std::min<std::uint64_t>(static_cast<std::uint64_t>(c), ~0U));
    h.converted.push_back(u);
  }
  if (any_missing) h.names.emplace_back();
  h.codes = h.converted.data();
}

void take_codes(const py::handle& obj, holder& h, const char* key) {
  py::array a = py::array::ensure(obj, py::array::c_style);
  if (!a || a.ndim() != 1)
    throw py::type_error(std::string("column ") + key + ": codes must be a 1-D integer array");
  const py::dtype dt = a.dtype();
  const char kind = dt.kind();
  if (kind != 'i' && kind != 'u')
    throw py::type_error(std::string("column ") + key + ": codes must be integers");
  const auto size = dt.itemsize();
  h.codes_array = a;
  if (kind == 'u' && size == 4) {
    h.codes = static_cast<const std::uint32_t*>(a.data());
    return;
  }
  switch (size * (kind == 'i' ? 1 : -1)) {
    case 1:
      widen_codes<std::int8_t>(a, h);
      break;
    case 2:
      widen_codes<std::int16_t>(a, h);
      break;
    case 4:
      widen_codes<std::int32_t>(a, h);
      break;
    case 8:
      widen_codes<std::int64_t>(a, h);
      break;
    case -1:
      widen_codes<std::uint8_t>(a, h);
      break;
    case -2:
      widen_codes<std::uint16_t>(a, h);
      break;
    default:
      widen_codes<std::uint64_t>(a, h);
      break;
  }
}

void take(const py::dict& d, const char* key, std::size_t n, holder& h) {
  if (!d.contains(key) || d[key].is_none()) return;
  py::tuple t = d[key].cast<py::tuple>();
  if (t.size() == 2 || t.size() == 3) {
    h.names = t[1].cast<std::vector<std::string>>();
    take_codes(t[0], h, key);
    h.has_codes = true;
    if (static_cast<std::size_t>(h.codes_array.size()) != n)
      throw py::value_error(std::string("column ") + key + " has the wrong length");
    if (t.size() == 3 && py::len(t[2]) > 0) {
      h.reasons.resize(h.names.size());
      for (const auto& [k, v] : t[2].cast<py::dict>()) {
        const auto j = k.cast<std::size_t>();
        if (j >= h.reasons.size())
          throw py::value_error(std::string("column ") + key + ": reason for no name");
        h.reasons[j] = v.cast<std::string>();
      }
      h.reason_views.assign(h.reasons.begin(), h.reasons.end());
    }
    h.name_views.assign(h.names.begin(), h.names.end());
  } else {
    h.values = f64_array::ensure(t[0]);
    h.has_values = true;
    if (!h.values) throw py::type_error(std::string("column ") + key + ": values must be numeric");
    if (static_cast<std::size_t>(h.values.size()) != n)
      throw py::value_error(std::string("column ") + key + " has the wrong length");
  }
}

void set_name(name_column& c, const holder& h) {
  if (h.has_codes) {
    c.codes = h.codes;
    c.names = h.name_views;
  }
}
void set_number(number_column& c, const holder& h) {
  if (h.has_codes) {
    c.codes = h.codes;
    c.names = h.name_views;
  } else if (h.has_values) {
    c.values = h.values.data();
  }
}

// The log's columns as numpy arrays (copies), with kind, weight and source per row.
py::dict columns_of(const evidence_log& log) {
  py::dict d;
  d["learner"] = copy_numpy(log.learner_codes());
  d["competency"] = copy_numpy(log.competency_codes());
  d["time"] = copy_numpy(log.times());
  d["score"] = copy_numpy(log.scores());
  std::vector<std::uint8_t> kind(log.size());
  std::vector<float> weight(log.size());
  std::vector<std::uint32_t> source(log.size());
  const auto& attrs = log.attributes();
  const auto& ac = log.attribute_codes();
  for (std::size_t i = 0; i < log.size(); ++i) {
    kind[i] = attrs[ac[i]].kind;
    weight[i] = attrs[ac[i]].weight;
    source[i] = attrs[ac[i]].source;
  }
  d["kind"] = move_numpy(std::move(kind));
  d["weight"] = move_numpy(std::move(weight));
  d["source"] = move_numpy(std::move(source));
  return d;
}

}  // namespace

std::string id_text(const py::handle& value, const char* what, std::string& problem) {
  problem.clear();
  PyObject* v = value.ptr();
  if (PyUnicode_Check(v)) return value.cast<std::string>();  // str and numpy's str_
  if (PyIndex_Check(v) && !PyBool_Check(v)) {                // int and numpy's integers (not bool)
    if (PyObject* i = PyNumber_Index(v)) return py::str(py::reinterpret_steal<py::object>(i));
    PyErr_Clear();  // numpy's bool_ declines to be an index: decided in Python below
  }
  const py::tuple r = call_python("masterymap._ids", "id_scalar", value, what);
  problem = r[1].cast<std::string>();
  return r[0].cast<std::string>();
}

std::string id_text(const py::handle& value, const char* what) {
  std::string problem;
  std::string text = id_text(value, what, problem);
  if (!problem.empty()) throw py::value_error(problem);
  return text;
}

void throw_if_bad_row(const std::string& text, const std::string& problem) {
  if (problem.empty()) return;
  std::vector<std::string> ids;
  if (!text.empty()) ids.push_back(text);  // as the batch path names a rejected id
  throw evidence_error({{problem_kind::invalid_value, std::move(ids), "row 0: " + problem}}, {0});
}

py_evidence_batch::py_evidence_batch(std::size_t n, const py::dict& cols) {
  batch_.size = n;
  take(cols, "learner", n, learner_);
  take(cols, "competency", n, competency_);
  take(cols, "time", n, time_);
  take(cols, "score", n, score_);
  take(cols, "kind", n, kind_);
  take(cols, "weight", n, weight_);
  take(cols, "source", n, source_);
  set_name(batch_.learner, learner_);
  set_name(batch_.competency, competency_);
  set_name(batch_.kind, kind_);
  set_name(batch_.source, source_);
  set_number(batch_.time, time_);
  set_number(batch_.score, score_);
  set_number(batch_.weight, weight_);
  batch_.learner_rejected = learner_.reason_views;
  batch_.competency_rejected = competency_.reason_views;
  // The timestamp texts: (list of str,), one per row ("" = none), when the batch has them.
  if (cols.contains("timestamp") && !cols["timestamp"].is_none()) {
    const auto t = cols["timestamp"].cast<py::tuple>();
    if (t.size() != 1) throw py::type_error("column timestamp: expected (texts,)");
    batch_.timestamp = timestamp_column(t[0], n, stamps_);
  }
}

void bind_evidence(py::module_& m) {
  m.def("set_column_cache_limit", &set_column_cache_limit, py::arg("bytes"), R"pbdoc(
Sets how many bytes of freed per-event columns (evidence logs, rating tables; blocks of at
least 1 MiB) are kept for reuse, and returns the previous limit (default 256 MiB). Reusing
memory that is already mapped spares a page fault per 4 KiB page, which dominates bulk work on
some virtual machines. 0 returns every kept block to the system.
)pbdoc");
  static py::exception<evidence_error> evidence_exc(m, "EvidenceError",
                                                    m.attr("ValidationError").ptr());
  evidence_exc.doc() =
      "A batch of evidence was rejected and nothing was stored; `.rows` (0-based) and `.problems` "
      "list every bad row and reason; `.lines` (1-based) the file line of each row of a CSV "
      "(None for other batches).";
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const evidence_error& e) {
      py::dict a;
      // Each problem also names its row and (read from a file) line, as ParseError does.
      py::list problems = problems_to_python(e.problems());
      for (std::size_t i = 0; i < e.problems().size(); ++i) {
        py::dict d = problems[i];
        d["row"] = i < e.rows().size() ? py::cast(e.rows()[i]) : py::none();
        d["line"] = i < e.lines().size() ? py::cast(e.lines()[i]) : py::none();
      }
      a["problems"] = problems;
      a["rows"] = e.rows();
      a["lines"] = e.lines().empty() ? py::object(py::none()) : py::cast(e.lines());
      raise_with(evidence_exc, e.what(), a);
    }
  });

  py::class_<ingest_checks>(m, "_IngestChecks", "Checks applied to each row of a batch (internal).")
      .def(py::init([](const std::optional<framework>& fw, const std::optional<policy>& p) {
             ingest_checks c;
             // With both, a batch is checked as Roster.ingest checks it, except for kinds: the
             // log takes its own and the policy's (added with the batch), not any kind.
             if (fw && p) return checks_for(*fw, *p);
             if (fw) {
               framework f = *fw;
               c.known_competency = [f](std::string_view id) { return f.contains(id); };
             }
             if (p) {
               c.min_score = p->scale().score_min();
               c.max_score = p->scale().score_max();
               for (const auto& r : p->scale().ratings())
                 c.score_labels.emplace_back(r.label, r.value);
               c.known_kinds = p->kinds();
             }
             return c;
           }),
           py::arg("framework") = py::none(), py::arg("policy") = py::none());

  py::class_<evidence_log> log_cls(m, "EvidenceLog", R"pbdoc(
Append-only, columnar evidence of many learners: (learner, competency, time, score, kind,
weight, source), with string ids interned; 24 bytes per stored event.

Times are ISO 8601 strings, datetimes (naive ones are taken as UTC), dates (midnight UTC),
pandas Timestamps, numpy datetime64 or numbers (seconds since the Unix epoch, or any increasing
count when no day-based window or expiry is used; such counts print as dates in 1970). They
are stored as float64 seconds, to the microsecond; :meth:`to_dataframe` gives them back as
``datetime64[ns, UTC]``.
Aggregation follows observation time, ties by insertion order.

Every batch (:meth:`extend`, :meth:`from_arrays`, :meth:`read_csv`, even :meth:`add`) is
validated whole first; with ``framework=`` and ``policy=`` also against the framework's ids and
the scale's range and labels. A bad row rejects the batch with :class:`EvidenceError` listing
every bad row and reason, and the log is unchanged.

Kinds: pretest, formative, summative, discussion, observation, self, transfer, placement (a
placement or diagnostic result: places the learner at the competency's level in its domain,
never rates it), plus the custom
kinds given to the constructor (or :meth:`add_kind`). With ``policy=`` (with or without
``framework=``) a batch may also use every kind the policy's rule and overrides name
(``require_kinds``, ``ignore_kinds``, ``exempt_confirm_kinds``: added with the batch, a rejected
batch adds none); any other kind is a bad row ``unknown kind '...'`` (a :class:`Roster` takes
any kind). A placement's score is a level: an integer, given as a number (not a rating label),
checked with or without ``framework=``/``policy=``.

Compares by content (the same names in the same order and the same rows), copies (an
independent log) and pickles (its columns as numpy arrays: out of band with pickle protocol 5);
unhashable (it grows).

Thread-safe: any number of Python threads may read a log at once; a change (:meth:`extend`,
:meth:`add`, :meth:`append_csv`, :meth:`add_kind`, or a :class:`Roster` ingesting into its own
log) waits until no other call uses it, and other calls wait for it, with the GIL released.
)pbdoc");
  log_cls
      .def(py::init([](const std::optional<std::vector<std::string>>& kinds) {
             return kinds ? evidence_log(*kinds) : evidence_log();
           }),
           py::arg("kinds") = py::none(),
           "An empty log accepting the built-in kinds plus ``kinds``.")
      // A log is changed with the GIL released (and a roster changes its own log so): every
      // method holds the log's lock (object_lock.hpp), and values are copied under it.
      .def("__len__", reading(&evidence_log::size))
      .def(
          "add_kind",
          [](evidence_log& l, std::string_view name) {
            const log_change change(l, "EvidenceLog.add_kind");
            l.add_kind(name);
          },
          py::arg("name"), "Accepts a custom evidence kind.")
      .def_property_readonly("kinds", reading(&evidence_log::kinds))
      .def_property_readonly(
          "learners", reading(&evidence_log::learners),
          "Learner ids in the order they came in: by first appearance in the rows (a "
          "Categorical column's ids in category order, unused categories "
          "left out), batch after batch.")
      .def_property_readonly("competencies", reading(&evidence_log::competencies))
      .def_property_readonly("sources", reading(&evidence_log::sources))
      .def_property_readonly("max_time", reading(&evidence_log::max_time),
                             "Latest observation time, seconds since the epoch (NaN when empty).")
      .def_property_readonly(
          "event_bytes", reading(&evidence_log::event_bytes),
          "Bytes held by the per-event columns (24 per event after shrink_to_fit).")
      .def_property_readonly("table_bytes", reading(&evidence_log::table_bytes),
                             "Bytes of the interned tables.")
      .def("shrink_to_fit",
           [](evidence_log& l) {
             const write_lock lock(&l, log_type);
             l.shrink_to_fit();
           })
      .def("__repr__",
           [](const evidence_log& l) {
             const read_lock lock(&l, log_type);
             return "<" + to_string(l) + ">";
           })
      // Conversions from pandas/numpy and to DataFrames: delegated to masterymap._columns and
      // masterymap._frames (one conversion module each way for every ingest path).
      .def(
          "extend",
          [](const py::object& self, const py::object& data, const py::object& framework,
             const py::object& policy, const py::object& columns, const py::object& progress) {
            return call_python("masterymap._xapi", "extend", self, data, framework, policy, columns,
                               progress);
          },
          py::arg("data"), py::kw_only(), py::arg("framework") = py::none(),
          py::arg("policy") = py::none(), py::arg("columns") = py::none(),
          py::arg("progress") = py::none(), R"pbdoc(
Appends a batch: a pandas DataFrame, a mapping of equal-length arrays or a list of records
(dicts, one per row; a row without an optional key takes its default) of N rows. No rows
(``[]``, an empty frame, a header-only file) is a no-op.

Columns: ``learner``, ``competency``, ``time``, ``score`` and optionally ``kind``, ``weight``,
``source``, ``timestamp`` (rename with ``columns={"learner": "user_id", ...}``). ``timestamp``
is each row's time as a statement wrote it (:meth:`to_dataframe`'s and ``read_xapi``'s column;
``""`` or a missing value for none), kept by the log (:meth:`timestamp_text`): each text must be
an RFC 3339 date-time with a time zone denoting the row's ``time`` to the microsecond, else the
row is bad; a ``timestamp`` column of datetimes or numbers is no texts and is ignored. Text columns may be
categorical. Ids have one text whatever their type: ``1``, ``np.int64(1)``, ``1.0`` (a float64
column, as pandas makes one with a missing value) and ``"1"`` are all the id ``"1"``; a missing
id, a non-integral number (``1.5``) or a boolean is a bad row. Times may be numbers (seconds
since the epoch), datetime64 (naive = UTC, or tz-aware), datetimes, dates, Timestamps or ISO 8601
strings (a bad one is a bad row); scores numbers or, with ``policy=``, labels of its scale
(without it a label is a bad row that says to pass the policy). A missing value in a numeric
column (NaN, pandas' NA) is a bad row.

With ``framework=`` unknown competencies are rejected; with ``policy=`` scores outside the
scale's range. The whole batch is validated first.

A DataFrame from :func:`masterymap.io.read_xapi` (it has ``attrs["retractions"]``) goes through
:meth:`append_statements`: statements already in the log are skipped and the batch's voids are
applied.

All or nothing: a bad batch or a cancellation (Ctrl-C raises ``KeyboardInterrupt`` within
about 0.1 s) leaves the log unchanged.

:param progress: ``progress(done, total)`` in rows, counted twice (validated, then written),
    called about every 50 ms and once with ``done == total`` (before the append is final);
    raising from it cancels.
:returns: the log (for chaining)
:raises ValueError: a required column is missing or the columns differ in length
:raises TypeError: ``data`` is neither a DataFrame, a mapping nor a list of records; a boolean
    or timedelta time column; a ``timestamp`` text column with a value that is neither a str
    nor missing (naming its row)
:raises EvidenceError: listing every bad row (0-based) and reason; the log is unchanged
)pbdoc")
      .def_static(
          "from_arrays",
          [](const py::object& learner, const py::object& competency, const py::object& score,
             const py::object& time, const py::object& kind, const py::object& weight,
             const py::object& source, const py::object& kinds, const py::object& framework,
             const py::object& policy) {
            return call_python("masterymap._columns", "from_arrays", learner, competency, score,
                               time, kind, weight, source, kinds, framework, policy);
          },
          py::arg("learner"), py::arg("competency"), py::arg("score"), py::arg("time"),
          py::arg("kind") = py::none(), py::arg("weight") = py::none(),
          py::arg("source") = py::none(), py::kw_only(), py::arg("kinds") = py::none(),
          py::arg("framework") = py::none(), py::arg("policy") = py::none(), R"pbdoc(
A new log (accepting the built-in kinds plus ``kinds``) from numpy arrays or sequences of one
length N; see :meth:`extend` for the values and the errors raised.
)pbdoc")
      .def(
          "add",
          [](const py::object& self, const py::object& learner, const py::object& competency,
             const py::object& score, const py::object& time, const py::object& kind,
             const py::object& weight, const py::object& source, const py::object& framework,
             const py::object& policy) {
            return call_python("masterymap._columns", "add", self, learner, competency, score, time,
                               kind, weight, source, framework, policy);
          },
          py::arg("learner"), py::arg("competency"), py::arg("score"), py::arg("time"),
          py::arg("kind") = "formative", py::arg("weight") = 1.0, py::arg("source") = "",
          py::kw_only(), py::arg("framework") = py::none(), py::arg("policy") = py::none(),
          R"pbdoc(
Appends one piece of evidence, validated like a batch of one.

:param learner, competency: ids in any form (``1``, ``np.int64(1)``, ``1.0`` and ``"1"`` are one
    id; a missing, non-integral or boolean id is a bad row)
:param score: a number or, with ``policy=``, a label of its scale; for ``kind="placement"``
    the level placed at, an integer number (not a label)
:param kind: a kind of the log or, with ``policy=``, one the policy names (see the class)
:param time: seconds since the epoch, an ISO 8601 string, a datetime (naive = UTC), a date
    (midnight UTC), a pandas Timestamp or a numpy datetime64
:returns: the log (for chaining)
:raises EvidenceError: the row is bad (a text that is not a time, a missing time ...); the log
    is unchanged
:raises TypeError: ``time`` is not a time (e.g. a list or a bool)
)pbdoc")
      .def(
          "append_csv",
          [](const py::object& self, const py::object& path, const py::object& columns,
             const py::object& framework, const py::object& policy, const py::object& encoding,
             const py::object& delimiter, const py::object& progress) {
            return call_python("masterymap._columns", "append_csv", self, path, columns, framework,
                               policy, encoding, progress, delimiter);
          },
          py::arg("path"), py::arg("columns") = py::none(), py::kw_only(),
          py::arg("framework") = py::none(), py::arg("policy") = py::none(),
          py::arg("encoding") = "utf-8", py::arg("delimiter") = ",",
          py::arg("progress") = py::none(), R"pbdoc(
Appends the rows of a CSV file with a header line naming the columns (parsed in C++, GIL
released). A gzip-compressed file (``.csv.gz``) is decompressed; the file is UTF-8 (checked,
a BOM is skipped) unless ``encoding`` says ``"latin-1"`` or ``"cp1252"``.

``columns`` maps roles to column names, e.g. the knowledge-tracing convention
``{"learner": "user_id", "competency": "skill_name", "time": "order_id", "score": "correct"}``.
Roles: ``learner``, ``competency``, ``time``, ``score`` (required), ``kind``, ``weight``,
``source`` and ``timestamp`` (optional; each named after its role by default). ``timestamp``
holds each row's time as originally written (:meth:`timestamp_text`: ``""`` for none, else an
RFC 3339 date-time with a time zone denoting the row's time, checked as :meth:`extend` checks
that column), so a frame of :meth:`to_dataframe` written with ``to_csv(index=False)`` reads
back with its texts. Other columns are ignored.

:param delimiter: the field separator, as the command line's ``--delimiter`` takes it: ``","``
    (default), ``";"``, ``"tab"`` (or ``"\\t"``, any case; a tab character too, as Excel's
    "Unicode text" is) or another ASCII character; not a quote or a line break (ValueError).

:param progress: ``progress(done, total)``: the file's bytes, counted twice (parsed, then
    validated); raising from it, or Ctrl-C, cancels and leaves the log unchanged.
:returns: the log (for chaining)
:raises MissingFileError: the file does not exist (``.filename`` holds the path)
:raises FileError: it cannot be read
:raises ParseError: malformed CSV, invalid UTF-8, another compression or a missing column
    (``.line``/``.column`` 1-based, ``.row`` the 0-based data row where one applies)
:raises EvidenceError: bad values and rows whose field count is not the header's, every one
    (``.rows`` 0-based data rows, ``.lines`` their file lines); the log is unchanged
:raises ValueError: a ``delimiter`` that is not one (the command line's messages)
)pbdoc")
      .def_static(
          "read_csv",
          [](const py::object& path, const py::object& columns, const py::object& kinds,
             const py::object& framework, const py::object& policy, const py::object& encoding,
             const py::object& delimiter, const py::object& progress) {
            return call_python("masterymap._columns", "read_csv", path, columns, kinds, framework,
                               policy, encoding, progress, delimiter);
          },
          py::arg("path"), py::arg("columns") = py::none(), py::kw_only(),
          py::arg("kinds") = py::none(), py::arg("framework") = py::none(),
          py::arg("policy") = py::none(), py::arg("encoding") = "utf-8", py::arg("delimiter") = ",",
          py::arg("progress") = py::none(),
          "A new log from a CSV file (see :meth:`append_csv` for the columns and errors).")
      .def(
          "to_dataframe",
          [](const py::object& self) {
            const read_lock lock(&self.cast<const evidence_log&>(), log_type);
            return call_python("masterymap._frames", "evidence_frame", self);
          },
          R"pbdoc(
The log as a pandas DataFrame, one row per event in insertion order: ``learner``,
``competency``, ``kind``, ``source`` (categoricals), ``time`` (``datetime64[ns, UTC]``, to the
microsecond), ``score`` and ``weight`` (float64); and, only when some row has one (the log
came from xAPI statements), ``timestamp``: each row's time as the statement wrote it
(:meth:`timestamp_text`; object dtype, ``""`` for a row without one). A log without texts gives
the seven columns as before. A log with retractions (voided statements, :meth:`retract`)
lists them in ``df.attrs["log_retractions"]`` ((source, by) pairs; the voided rows are in the
frame). :meth:`extend` and ``Roster.ingest`` take the frame back whole: texts included, and the
retractions applied again after the rows. pandas drops attrs in ``pd.concat``: pass a
concatenated frame's retractions yourself (``log.retract(old.retractions)``).

:raises ValueError: a time outside datetime64[ns] (1677-09-21 to 2262-04-11), naming the row
)pbdoc")
      .def(
          "_add_row",
          [](evidence_log& log, const std::string& learner, const std::string& competency,
             const py::object& score, const py::object& time, const std::string& kind,
             double weight, const std::string& source, const ingest_checks* checks,
             const std::string& learner_problem, const std::string& competency_problem) {
            // One row through the columnar path, so it is validated exactly like a batch.
            evidence_columns b =
                evidence_columns::one_row(learner, competency, kind, source, &weight);
            if (!learner_problem.empty()) b.learner_rejected = {learner_problem};
            if (!competency_problem.empty()) b.competency_rejected = {competency_problem};
            double s = 0, t = 0;
            std::string stext, ttext;
            if (py::isinstance<py::str>(score)) {
              stext = score.cast<std::string>();
              evidence_columns::text_value(b.score, stext);
            } else {
              s = number_arg(score, "score", "a number or a label of the scale");
              b.score.values = &s;
            }
            if (py::isinstance<py::str>(time)) {
              ttext = time.cast<std::string>();
              evidence_columns::text_value(b.time, ttext);
            } else {
              // A missing time (None, NaN, NaT) is left to the row check, as in a batch.
              t = to_seconds(time, "time", true);
              b.time.values = &t;
            }
            const log_change change(log, "EvidenceLog.add");
            // Without framework= or policy=, only the log's own checks (Python's default).
            if (checks)
              log.append(b, *checks);
            else
              log.append_unchecked(b);
          },
          py::arg("learner"), py::arg("competency"), py::arg("score"), py::arg("time"),
          py::arg("kind"), py::arg("weight"), py::arg("source"), py::arg("checks").none(true),
          py::arg("learner_problem") = "", py::arg("competency_problem") = "")
      .def(
          "_append_columns",
          [](evidence_log& log, std::size_t n, const py::dict& cols, const ingest_checks* checks,
             const py::object& progress) {
            const py_evidence_batch batch(n, cols);
            const auto hook = python_progress(progress);
            py::gil_scoped_release release;
            const log_change change(log, "EvidenceLog.extend");
            // Without framework= or policy=, only the log's own checks (Python's default).
            if (checks)
              log.append(batch.columns(), *checks, hook);
            else
              log.append_unchecked(batch.columns(), hook);
          },
          py::arg("n"), py::arg("columns"), py::arg("checks").none(true), py::kw_only(),
          py::arg("progress") = py::none())
      .def(
          "_append_statements",
          [](evidence_log& log, std::size_t n, const py::dict& cols, const ingest_checks* checks,
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
              py::gil_scoped_release release;
              const log_change change(log, "EvidenceLog.append_statements");
              s = log.append_statements(columns, v, checks ? *checks : ingest_checks{}, hook);
            }
            return statements_dict(s);
          },
          py::arg("n"), py::arg("columns"), py::arg("checks").none(true), py::arg("voids"),
          py::kw_only(), py::arg("progress") = py::none(), py::arg("timestamps") = py::none())
      .def(
          "append_statements",
          [](const py::object& self, const py::object& data, const py::object& voided,
             const py::object& framework, const py::object& policy, const py::object& progress) {
            return call_python("masterymap._xapi", "append_statements", self, data, voided,
                               framework, policy, progress);
          },
          py::arg("data"), py::arg("voided") = py::none(), py::kw_only(),
          py::arg("framework") = py::none(), py::arg("policy") = py::none(),
          py::arg("progress") = py::none(), R"pbdoc(
Appends statement evidence (xAPI: :func:`masterymap.io.read_xapi`'s DataFrame, one row per
statement, ``source`` = statement id), idempotent across batches, then applies the voids.

A row whose non-empty ``source`` is already in the log (its first row with that source) or
earlier in the batch with the same content (learner, competency, time, score, kind, weight, as
stored) is skipped; with another content the batch is rejected, naming the statement id and the
stored and new values. Rows without a source are appended as by :meth:`extend`. (``extend``
itself keeps every row: a ``source`` there may be an assessor that many rows share.)

The voids (:meth:`retract`): ``voided`` is a list of statement ids or ``(id, voiding id)``
pairs; ``None`` takes them from ``data.attrs`` (``"retractions"``, as :func:`read_xapi` sets
it, else ``"voided"``). A voided statement's rows stay in the log, no rating counts them,
``explain`` lists them as voided; one not yet in the log is voided when it comes. A voiding
statement's id names one statement across batches: a void sent again with the same target is a
repeat; the id with another target, on a row, or a row's id on a void is an ``EvidenceError``
naming the id ("void 0: statement '<id>' was ingested before as a voiding statement of
'<target>': the same id cannot void '<other>'"; ``rows``: the void's index or the row).

All or nothing: a bad row or a conflicting repeat leaves the log unchanged.

:returns: dict(rows, duplicates, retracted, rows_voided): rows added, repeats skipped, sources
    newly retracted, log rows those retractions void
:raises EvidenceError: bad rows (as :meth:`extend`) or conflicting repeats (``rows``: their rows
    in the batch); the log is unchanged
:raises ValueError: an empty statement id in ``voided``
)pbdoc")
      .def(
          "retract",
          [](evidence_log& log, const std::string& source, const std::string& by) {
            const log_change change(log, "EvidenceLog.retract");
            return log.retract(source, by);
          },
          py::arg("source"), py::arg("by") = "", R"pbdoc(
Retracts the evidence whose ``source`` is ``source`` (xAPI voiding: the statement id; ``by``:
the voiding statement's id). The log stays append-only: the rows stay (``len``, ``to_dataframe``,
``==`` and pickles keep them), but no rating counts them and ``explain`` lists them as voided
("voided by statement '<by>'"). A source not yet in the log is retracted when its evidence
comes; retracting a retracted source again changes nothing. The evaluation time of the log (its
latest time) still counts retracted rows. O(distinct (kind, weight, source) triples).

:returns: whether it matched evidence in the log (now voided). ``False``: no evidence with that
    source is in the log yet (a typo, or a void that came before its statement, which xAPI
    allows: the retraction is kept, voids that evidence when it comes, and
    :attr:`pending_retractions` lists it meanwhile), or it was retracted before
:raises ValueError: an empty source (evidence without a source cannot be retracted)
)pbdoc")
      .def(
          "retract",
          [](evidence_log& log, const std::vector<std::pair<std::string, std::string>>& batch) {
            std::vector<retraction> v;
            for (const auto& [source, by] : batch) v.push_back({source, by});
            const log_change change(log, "EvidenceLog.retract");
            return log.retract(v);
          },
          py::arg("retractions"), R"pbdoc(
Retracts every ``(source, by)`` pair at once, all or nothing; returns how many sources were
newly retracted.

:raises ValueError: an empty source (the log is unchanged)
)pbdoc")
      .def_property_readonly(
          "retractions",
          [](const evidence_log& log) {
            const read_lock lock(&log, log_type);
            std::vector<std::pair<std::string, std::string>> out;
            for (const auto& r : log.retractions()) out.emplace_back(r.source, r.by);
            return out;
          },
          "The retractions, in order: ``[(source, by), ...]`` (one per source: the first).")
      .def_property_readonly(
          "pending_retractions",
          [](const evidence_log& log) {
            const read_lock lock(&log, log_type);
            std::vector<std::pair<std::string, std::string>> out;
            for (const auto& r : log.pending_retractions()) out.emplace_back(r.source, r.by);
            return out;
          },
          R"pbdoc(
The retractions that match no evidence in the log (yet), in order: ``[(source, by), ...]``. A
void may come before its statement (xAPI), so they are kept; a source retracted by mistake (a
typo) shows here too. O(distinct (kind, weight, source) triples + retractions).
)pbdoc")
      .def(
          "retracted",
          [](const evidence_log& log, std::string_view source) {
            const read_lock lock(&log, log_type);
            return log.retracted(source);
          },
          py::arg("source"), "Whether evidence with this ``source`` is retracted. O(1).")
      .def(
          "row_retracted",
          [](const evidence_log& log, std::size_t row) {
            const read_lock lock(&log, log_type);
            return log.row_retracted(row);
          },
          py::arg("row"), R"pbdoc(
Whether row ``row`` is retracted.

:raises IndexError: a row past the end
)pbdoc")
      .def(
          "timestamp_text",
          [](const evidence_log& log, const py::object& row) {
            // An index as a Python sequence takes it: not a bool; past either end IndexError.
            const auto i = py::reinterpret_steal<py::object>(
                PyBool_Check(row.ptr()) != 0 ? nullptr : PyNumber_Index(row.ptr()));
            if (!i) {
              PyErr_Clear();
              throw py::type_error(
                  "EvidenceLog.timestamp_text(): row must be an int, got " +
                  py::str(py::type::handle_of(row).attr("__name__")).cast<std::string>());
            }
            const read_lock lock(&log, log_type);
            const auto n = static_cast<long long>(log.size());
            int overflow = 0;
            const long long k = PyLong_AsLongLongAndOverflow(i.ptr(), &overflow);
            if (overflow != 0 || k < 0 || k >= n)
              throw py::index_error(
                  "EvidenceLog.timestamp_text(): row " + py::str(i).cast<std::string>() +
                  " is out of range (the log has " + std::to_string(n) + " rows)");
            return std::string(log.timestamp_text(static_cast<std::size_t>(k)));
          },
          py::arg("row"), R"pbdoc(
Row ``row``'s time as the statement wrote it (an xAPI timestamp such as
``"2024-03-01T09:30:00.123+02:00"``; the ``time`` column holds that instant in UTC seconds), or
``""`` when the row has none (rows that did not come from statements). Kept by copies, pickles,
roster snapshots and learner records. O(log n).

:raises IndexError: a row past the end, or negative
:raises TypeError: a row that is not an int (a bool included)
)pbdoc")
      .def(
          "_append_csv",
          [](evidence_log& log, const std::string& path,
             const std::map<std::string, std::string>& names, const ingest_checks* checks,
             const std::string& encoding, const std::string& delimiter,
             const py::object& progress) {
            csv_columns c;
            c.encoding = parse_text_encoding(encoding);
            if (delimiter.size() != 1) throw py::value_error("delimiter: one character expected");
            c.delimiter = delimiter[0];
            for (const auto& [k, v] : names) {
              if (k == "learner")
                c.learner = v;
              else if (k == "competency")
                c.competency = v;
              else if (k == "time")
                c.time = v;
              else if (k == "score")
                c.score = v;
              else if (k == "kind")
                c.kind = v;
              else if (k == "weight")
                c.weight = v;
              else if (k == "source")
                c.source = v;
              else if (k == "timestamp")
                c.timestamp = v;
              else
                throw py::value_error("unknown column role '" + k + "'");
            }
            const auto hook = python_progress(progress);
            py::gil_scoped_release release;
            const log_change change(log, "EvidenceLog.append_csv");
            if (checks)
              log.read_csv(path, c, *checks, hook);
            else
              log.read_csv_unchecked(path, c, hook);
          },
          py::arg("path"), py::arg("columns"), py::arg("checks").none(true),
          py::arg("encoding") = "utf-8", py::kw_only(), py::arg("delimiter") = ",",
          py::arg("progress") = py::none())
      .def("_columns",
           [](const evidence_log& log) {
             const read_lock lock(&log, log_type);
             return columns_of(log);
           })
      .def("_timestamps",
           [](const evidence_log& log) {
             // (rows with a text, ascending (uint64), their texts)
             const read_lock lock(&log, log_type);
             py::list texts;
             for (const std::uint64_t r : log.timestamp_rows())
               texts.append(py::str(std::string(log.timestamp_text(static_cast<std::size_t>(r)))));
             return py::make_tuple(copy_numpy(log.timestamp_rows()), texts);
           })
      .def(py::pickle(
          [](const evidence_log& log) {
            const read_lock lock(&log, log_type);
            std::vector<std::pair<std::string, std::string>> retracted;
            for (const auto& r : log.retractions()) retracted.emplace_back(r.source, r.by);
            // The timestamp texts: (rows, texts) of the rows that have one.
            std::vector<std::string> texts;
            for (const std::uint64_t r : log.timestamp_rows())
              texts.emplace_back(log.timestamp_text(static_cast<std::size_t>(r)));
            return py::make_tuple(log.kinds(), log.learners(), log.competencies(), log.sources(),
                                  columns_of(log), retracted,
                                  py::make_tuple(copy_numpy(log.timestamp_rows()), texts));
          },
          [](const py::tuple& t) {
            evidence_log log;
            for (const auto& k : t[0].cast<std::vector<std::string>>()) log.add_kind(k);
            const auto learners = t[1].cast<std::vector<std::string>>();
            const auto comps = t[2].cast<std::vector<std::string>>();
            const auto sources = t[3].cast<std::vector<std::string>>();
            const auto kinds = t[0].cast<std::vector<std::string>>();
            py::dict c = t[4].cast<py::dict>();
            auto lc = u32_array::ensure(c["learner"]), cc = u32_array::ensure(c["competency"]),
                 sc = u32_array::ensure(c["source"]), kc = u32_array::ensure(c["kind"]);
            auto tv = f64_array::ensure(c["time"]), sv = f64_array::ensure(c["score"]),
                 wv = f64_array::ensure(c["weight"]);
            evidence_columns b;
            b.size = static_cast<std::size_t>(lc.size());
            b.learner = {lc.data(), {learners.begin(), learners.end()}};
            b.competency = {cc.data(), {comps.begin(), comps.end()}};
            b.source = {sc.data(), {sources.begin(), sources.end()}};
            b.kind = {kc.data(), {kinds.begin(), kinds.end()}};
            b.time.values = tv.data();
            b.score.values = sv.data();
            b.weight.values = wv.data();
            std::vector<std::string> texts;  // the timestamp texts (none in older pickles)
            if (t.size() > 6) {
              const auto st = t[6].cast<py::tuple>();
              const auto rows = st[0].cast<std::vector<std::uint64_t>>();
              texts = st[1].cast<std::vector<std::string>>();
              if (rows.size() != texts.size())
                throw py::value_error("not the state of a pickled EvidenceLog (timestamps)");
              if (!rows.empty()) b.timestamp.resize(b.size);
              for (std::size_t k = 0; k < rows.size(); ++k) {
                if (rows[k] >= b.size)
                  throw py::value_error("not the state of a pickled EvidenceLog (timestamp row)");
                b.timestamp[rows[k]] = texts[k];
              }
            }
            log.append_unchecked(b);  // a pickled log: checked when it was built
            if (t.size() > 5) {       // its retractions (a pickle of an older release has none)
              std::vector<retraction> v;
              for (const auto& [source, by] :
                   t[5].cast<std::vector<std::pair<std::string, std::string>>>())
                v.push_back({source, by});
              log.retract(v);
            }
            return log;
          }));
  // As def_equality and def_copy, holding the logs for reading (another thread may be extending
  // one).
  const auto equal = [](const evidence_log& a, const evidence_log& b) {
    const lock_set locks{{&a, log_type, false}, {&a == &b ? nullptr : &b, log_type, false}};
    return a == b;
  };
  const auto copy = [](const evidence_log& l) {
    const read_lock lock(&l, log_type);
    return evidence_log(l);
  };
  log_cls.def("__eq__", equal, py::is_operator())
      .def(
          "__ne__", [equal](const evidence_log& a, const evidence_log& b) { return !equal(a, b); },
          py::is_operator())
      .def("__copy__", copy)
      .def(
          "__deepcopy__",
          [copy](const evidence_log& l, const py::dict& /*memo*/) { return copy(l); },
          py::arg("memo"));
}

}  // namespace masterymap::python
