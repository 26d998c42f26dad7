// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <functional>
#include <masterymap/engine.hpp>
#include <masterymap/evidence.hpp>
#include <type_traits>

#include "bindings.hpp"
#include "numpy_util.hpp"
#include "object_lock.hpp"

namespace masterymap::python {
namespace {

constexpr const char* log_type = "EvidenceLog";

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

// One column of a batch as handed over by masterymap._columns: (indices, names) for text,
// (values,) for numbers, or None. Codes may be any integer dtype (pandas' categorical codes are
// int8/int16/int32, factorize's int64); other than uint32 they are converted here, in column
// storage, and negative codes (pandas' missing value) become a trailing empty name, which
// the core rejects as a missing id.
struct column_holder {
  bool has_codes = false, has_values = false;
  py::array codes_array;  // keeps the caller's codes alive when used in place
  column<std::uint32_t> converted;
  const std::uint32_t* codes = nullptr;
  f64_array values;
  std::vector<std::string> names;
  std::vector<std::string_view> views() const { return {names.begin(), names.end()}; }
};

template <typename T>
void widen_codes(const py::array& a, column_holder& h) {
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

void take_codes(const py::handle& obj, column_holder& h, const char* key) {
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

column_holder take(const py::dict& d, const char* key, std::size_t n) {
  column_holder h;
  if (!d.contains(key) || d[key].is_none()) return h;
  py::tuple t = d[key].cast<py::tuple>();
  if (t.size() == 2) {
    h.names = t[1].cast<std::vector<std::string>>();
    take_codes(t[0], h, key);
    h.has_codes = true;
    if (static_cast<std::size_t>(h.codes_array.size()) != n)
      throw py::value_error(std::string("column ") + key + " has the wrong length");
  } else {
    h.values = f64_array::ensure(t[0]);
    h.has_values = true;
    if (!h.values) throw py::type_error(std::string("column ") + key + ": values must be numeric");
    if (static_cast<std::size_t>(h.values.size()) != n)
      throw py::value_error(std::string("column ") + key + " has the wrong length");
  }
  return h;
}

void set_name(name_column& c, const column_holder& h) {
  if (h.has_codes) {
    c.codes = h.codes;
    c.names = h.views();
  }
}
void set_number(number_column& c, const column_holder& h) {
  if (h.has_codes) {
    c.codes = h.codes;
    c.names = h.views();
  } else if (h.has_values) {
    c.values = h.values.data();
  }
}

}  // namespace

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
      "list every bad row and reason.";
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const evidence_error& e) {
      py::dict a;
      a["problems"] = problems_to_python(e.problems());
      a["rows"] = e.rows();
      raise_with(evidence_exc, e.what(), a);
    }
  });

  py::class_<ingest_checks>(m, "_IngestChecks", "Checks applied to each row of a batch (internal).")
      .def(py::init([](const std::optional<framework>& fw, const std::optional<policy>& p) {
             ingest_checks c;
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
             }
             return c;
           }),
           py::arg("framework") = py::none(), py::arg("policy") = py::none());

  py::class_<evidence_log>(m, "EvidenceLog", R"pbdoc(
Append-only, columnar evidence of many learners: (learner, competency, time, score, kind,
weight, source), with string ids interned; 24 bytes per stored event.

Times are ISO 8601 strings, datetimes (naive ones are taken as UTC) or numbers (seconds since
the Unix epoch, or any increasing count when no day-based window or expiry is used).
Aggregation follows observation time, ties by insertion order.

Every batch (:meth:`extend`, :meth:`from_arrays`, :meth:`read_csv`, even :meth:`add`) is
validated whole first; with ``framework=`` and ``policy=`` also against the framework's ids and
the scale's range and labels. A bad row rejects the batch with :class:`EvidenceError` listing
every bad row and reason, and the log is unchanged.

Kinds: pretest, formative, summative, discussion, observation, self, transfer, plus the custom
kinds given to the constructor (or :meth:`add_kind`).

Thread-safe: any number of Python threads may read a log at once; a change (:meth:`extend`,
:meth:`add`, :meth:`append_csv`, :meth:`add_kind`, or a :class:`Roster` ingesting into its own
log) waits until no other call uses it, and other calls wait for it, with the GIL released.
)pbdoc")
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
            const write_lock lock(&l, log_type);
            l.add_kind(name);
          },
          py::arg("name"), "Accepts a custom evidence kind.")
      .def_property_readonly("kinds", reading(&evidence_log::kinds))
      .def_property_readonly("learners", reading(&evidence_log::learners),
                             "Learner ids in order of first appearance.")
      .def_property_readonly("competencies", reading(&evidence_log::competencies))
      .def_property_readonly("sources", reading(&evidence_log::sources))
      .def_property_readonly("max_time", reading(&evidence_log::max_time),
                             "Latest observation time (NaN when empty).")
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
             const py::object& policy, const py::object& columns) {
            return call_python("masterymap._columns", "extend", self, data, framework, policy,
                               columns);
          },
          py::arg("data"), py::kw_only(), py::arg("framework") = py::none(),
          py::arg("policy") = py::none(), py::arg("columns") = py::none(), R"pbdoc(
Appends a batch: a pandas DataFrame or a mapping of equal-length arrays (N rows).

Columns: ``learner``, ``competency``, ``time``, ``score`` and optionally ``kind``, ``weight``,
``source`` (rename with ``columns={"learner": "user_id", ...}``). Text columns may be
categorical. Times may be numbers (seconds), datetime64 (tz-aware or UTC), datetimes or ISO
8601 strings; scores numbers or, with ``policy=``, labels of its scale.

With ``framework=`` unknown competencies are rejected; with ``policy=`` scores outside the
scale's range. The whole batch is validated first.

:returns: the log (for chaining)
:raises ValueError: a required column is missing or the columns differ in length
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

:param score: a number or, with ``policy=``, a label of its scale
:param time: seconds, an ISO 8601 string, a datetime (naive = UTC) or a date
:returns: the log (for chaining)
:raises EvidenceError: the row is bad; the log is unchanged
)pbdoc")
      .def(
          "append_csv",
          [](const py::object& self, const py::object& path, const py::object& columns,
             const py::object& framework, const py::object& policy) {
            return call_python("masterymap._columns", "append_csv", self, path, columns, framework,
                               policy);
          },
          py::arg("path"), py::arg("columns") = py::none(), py::kw_only(),
          py::arg("framework") = py::none(), py::arg("policy") = py::none(), R"pbdoc(
Appends the rows of a CSV file with a header line naming the columns (parsed in C++, GIL
released).

``columns`` maps roles to column names, e.g. the knowledge-tracing convention
``{"learner": "user_id", "competency": "skill_name", "time": "order_id", "score": "correct"}``.

:returns: the log (for chaining)
:raises MissingFileError: the file does not exist (``.filename`` holds the path)
:raises FileError: it cannot be read
:raises ParseError: malformed CSV or a missing column (with line)
:raises EvidenceError: bad values (rows 0-based; messages give file lines); the log is unchanged
)pbdoc")
      .def_static(
          "read_csv",
          [](const py::object& path, const py::object& columns, const py::object& kinds,
             const py::object& framework, const py::object& policy) {
            return call_python("masterymap._columns", "read_csv", path, columns, kinds, framework,
                               policy);
          },
          py::arg("path"), py::arg("columns") = py::none(), py::kw_only(),
          py::arg("kinds") = py::none(), py::arg("framework") = py::none(),
          py::arg("policy") = py::none(),
          "A new log from a CSV file (see :meth:`append_csv` for the columns and errors).")
      .def(
          "to_dataframe",
          [](const py::object& self) {
            const read_lock lock(&self.cast<const evidence_log&>(), log_type);
            return call_python("masterymap._frames", "evidence_frame", self);
          },
          R"pbdoc(
The log as a pandas DataFrame, one row per event in insertion order: ``learner``,
``competency``, ``kind``, ``source`` (categoricals), ``time`` (float64 seconds), ``score`` and
``weight`` (float64).
)pbdoc")
      .def(
          "_add_row",
          [](evidence_log& log, const std::string& learner, const std::string& competency,
             const py::object& score, const py::object& time, const std::string& kind,
             double weight, const std::string& source, const ingest_checks* checks) {
            // One row through the columnar path, so it is validated exactly like a batch.
            evidence_columns b =
                evidence_columns::one_row(learner, competency, kind, source, &weight);
            double s = 0, t = 0;
            std::string stext, ttext;
            if (py::isinstance<py::str>(score)) {
              stext = score.cast<std::string>();
              evidence_columns::text_value(b.score, stext);
            } else {
              s = score.cast<double>();
              b.score.values = &s;
            }
            if (py::isinstance<py::str>(time)) {
              ttext = time.cast<std::string>();
              evidence_columns::text_value(b.time, ttext);
            } else {
              t = time.cast<double>();
              b.time.values = &t;
            }
            const write_lock lock(&log, log_type);
            log.append(b, checks ? *checks : ingest_checks{});
          },
          py::arg("learner"), py::arg("competency"), py::arg("score"), py::arg("time"),
          py::arg("kind"), py::arg("weight"), py::arg("source"), py::arg("checks").none(true))
      .def(
          "_append_columns",
          [](evidence_log& log, std::size_t n, const py::dict& cols, const ingest_checks* checks) {
            evidence_columns b;
            b.size = n;
            const column_holder L = take(cols, "learner", n), C = take(cols, "competency", n),
                                T = take(cols, "time", n), S = take(cols, "score", n),
                                K = take(cols, "kind", n), W = take(cols, "weight", n),
                                R = take(cols, "source", n);
            set_name(b.learner, L);
            set_name(b.competency, C);
            set_name(b.kind, K);
            set_name(b.source, R);
            set_number(b.time, T);
            set_number(b.score, S);
            set_number(b.weight, W);
            const ingest_checks none;
            py::gil_scoped_release release;
            const write_lock lock(&log, log_type);
            log.append(b, checks ? *checks : none);
          },
          py::arg("n"), py::arg("columns"), py::arg("checks").none(true))
      .def(
          "_append_csv",
          [](evidence_log& log, const std::string& path,
             const std::map<std::string, std::string>& names, const ingest_checks* checks) {
            csv_columns c;
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
              else
                throw py::value_error("unknown column role '" + k + "'");
            }
            const ingest_checks none;
            py::gil_scoped_release release;
            const write_lock lock(&log, log_type);
            log.read_csv(path, c, checks ? *checks : none);
          },
          py::arg("path"), py::arg("columns"), py::arg("checks").none(true))
      .def("_columns",
           [](const evidence_log& log) {
             const read_lock lock(&log, log_type);
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
           })
      .def(py::pickle(
          [](const evidence_log& log) {
            const read_lock lock(&log, log_type);
            py::dict cols = py::cast(log).attr("_columns")();
            return py::make_tuple(log.kinds(), log.learners(), log.competencies(), log.sources(),
                                  cols);
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
            log.append(b);
            return log;
          }));
}

}  // namespace masterymap::python
