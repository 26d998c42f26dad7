// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <cstring>
#include <masterymap/io/xapi.hpp>

#include "bindings.hpp"

namespace masterymap::python {

namespace {

io::xapi_version version_of(const std::string& v) {
  // the xAPI version whose rules apply: 2.0 ("2.0.0" the same), or 1.0.3, the last of 1.0.x
  // (1.0.0 to 1.0.2 are its earlier texts: their statements are checked by its rules)
  if (v == "2.0" || v == "2.0.0") return io::xapi_version::v2_0;
  if (v == "1.0.3" || v == "1.0" || v == "1.0.0" || v == "1.0.1" || v == "1.0.2")
    return io::xapi_version::v1_0_3;
  throw py::value_error(
      "version: expected '2.0' (or '2.0.0') or '1.0.3' (or '1.0', '1.0.0', "
      "'1.0.1', '1.0.2': the 1.0.3 rules), got '" +
      v + "'");
}

template <typename T>
py::array_t<T> array_of(const std::vector<T>& v) {
  return py::array_t<T>(static_cast<py::ssize_t>(v.size()), v.data());
}

py::list texts(const std::vector<std::string>& v) {
  py::list out(v.size());
  for (std::size_t i = 0; i < v.size(); ++i) {
    PyObject* s = PyUnicode_DecodeUTF8(v[i].data(), static_cast<py::ssize_t>(v[i].size()), nullptr);
    if (s == nullptr) throw py::error_already_set();
    PyList_SET_ITEM(out.ptr(), static_cast<py::ssize_t>(i), s);
  }
  return out;
}

// A numpy object array of str from a text column: ASCII strings (statement ids, timestamps) are
// copied into compact str objects without decoding; others are decoded as UTF-8.
py::array text_array(const io::text_column& c) {
  const auto n = static_cast<py::ssize_t>(c.size());
  py::array out(py::dtype("O"), std::vector<py::ssize_t>{n});
  auto** data = static_cast<PyObject**>(out.mutable_data());
  // one pass over all the characters first: checked ids and timestamps are ASCII throughout
  bool all_ascii = true;
  for (const char ch : c.chars()) all_ascii &= static_cast<unsigned char>(ch) < 0x80;
  for (py::ssize_t i = 0; i < n; ++i) {
    const std::string_view v = c[static_cast<std::size_t>(i)];
    bool ascii = all_ascii;
    if (!ascii) {
      ascii = true;
      for (const char ch : v) ascii &= static_cast<unsigned char>(ch) < 0x80;
    }
    PyObject* s = nullptr;
    const auto size = static_cast<py::ssize_t>(v.size());
    if (ascii) {
      s = PyUnicode_New(size, 127);
      if (s != nullptr) std::memcpy(PyUnicode_DATA(s), v.data(), v.size());
    } else {
      s = PyUnicode_DecodeUTF8(v.data(), size, nullptr);
    }
    if (s == nullptr) throw py::error_already_set();
    Py_XDECREF(data[i]);  // numpy fills a new object array with None
    data[i] = s;
  }
  return out;
}

// `skipped`: whether to list the skipped statements (85,000 tuples for a million statements,
// made only when the caller asked for them).
py::dict evidence_dict(const io::xapi_evidence& e, bool skipped_list) {
  py::dict d;
  d["learner"] = array_of(e.learner);
  d["learners"] = texts(e.learners);
  d["competency"] = array_of(e.competency);
  d["competencies"] = texts(e.competencies);
  d["kind"] = array_of(e.kind);
  d["kinds"] = texts(e.kinds);
  d["verb"] = array_of(e.verb);
  d["verbs"] = texts(e.verbs);
  d["activity"] = array_of(e.activity);
  d["activities"] = texts(e.activities);
  d["time"] = array_of(e.time);
  d["score"] = array_of(e.score);
  d["source"] = text_array(e.source);
  d["timestamp"] = text_array(e.timestamp);
  std::vector<std::int64_t> statement(e.statement.begin(), e.statement.end());
  d["statement"] = array_of(statement);
  d["retracted"] = array_of(e.retracted);
  py::list voided, waived, skipped;
  for (const auto& [i, id] : e.voided) voided.append(py::make_tuple(i, id));
  for (const auto& w : e.waived) {
    py::dict x;
    x["statement"] = w.statement;
    x["learner"] = w.learner;
    x["competency"] = w.competency;
    x["reason"] = w.reason;
    x["timestamp"] = w.timestamp;
    waived.append(x);
  }
  if (skipped_list)
    for (const auto& [i, why] : e.skipped) skipped.append(py::make_tuple(i, why));
  d["voided"] = voided;
  py::list retractions;
  for (const auto& r : e.retractions) retractions.append(py::make_tuple(r.source, r.by));
  d["retractions"] = retractions;
  d["waived"] = waived;
  d["skipped"] = skipped;
  return d;
}

}  // namespace

void bind_xapi(py::module_& m) {
  py::module_ io = m.attr("io");
  io.def(
      "validate_xapi_statement",
      [](const std::string& text, const std::string& version) {
        const auto v = version_of(version);
        std::vector<io::xapi_problem> problems;
        {
          py::gil_scoped_release release;
          problems = io::validate_xapi_statement(text, v);
        }
        std::vector<std::pair<std::string, std::string>> out;
        out.reserve(problems.size());
        for (auto& p : problems) out.emplace_back(std::move(p.path), std::move(p.rule));
        return out;
      },
      py::arg("text"), py::arg("version") = "2.0", R"pbdoc(
Checks one xAPI statement (JSON text of one object) against the specification's rules (xAPI
1.0.3 or 2.0): ``[(path, rule), ...]``, empty when valid. ``path`` is a JSON pointer into the
statement (``"/actor/mbox"``). The rules are listed in the README ("xAPI and cmi5").

:param version: ``"2.0"`` or ``"2.0.0"`` (default; accepts 1.0.x statements too) or ``"1.0.3"``
    (also ``"1.0"``, ``"1.0.0"`` to ``"1.0.2"``)
:raises ParseError: the text is not one JSON value ("xAPI statement: syntax error at line L,
    column C: <reason>")
:raises ValueError: another version
)pbdoc");
  io.def(
      "parse_xapi",
      [](const py::object& source, bool is_path, const std::string& version,
         const std::map<std::string, std::string>& alignment, const framework* fw,
         const std::string& learner, const std::map<std::string, std::string>& learners,
         const std::map<std::string, std::string>& verb_kinds, const std::string& default_kind,
         std::optional<scale> score_scale, std::optional<double> success_score,
         std::optional<double> failure_score, std::optional<double> completion_score,
         const std::string& negative, bool skip_unaligned, bool cmi5,
         const std::map<std::string, double>& mastery_scores, const py::object& default_time,
         unsigned threads, bool skipped) {
        io::xapi_mapping o;
        o.version = version_of(version);
        o.alignment.insert(alignment.begin(), alignment.end());
        o.competencies = fw;
        if (learner == "ifi")
          o.learner = io::xapi_learner::ifi;
        else if (learner == "value")
          o.learner = io::xapi_learner::value;
        else
          throw py::value_error("learner: expected 'ifi' or 'value', got '" + learner + "'");
        o.learners.insert(learners.begin(), learners.end());
        o.verb_kinds.insert(verb_kinds.begin(), verb_kinds.end());
        o.default_kind = default_kind;
        o.score_scale = std::move(score_scale);
        o.success_score = success_score;
        o.failure_score = failure_score;
        o.completion_score = completion_score;
        if (negative == "reject")
          o.negative = io::xapi_negative::reject;
        else if (negative == "zero")
          o.negative = io::xapi_negative::zero;
        else if (negative == "rescale")
          o.negative = io::xapi_negative::rescale;
        else
          throw py::value_error("negative: expected 'reject', 'zero' or 'rescale', got '" +
                                negative + "'");
        o.skip_unaligned = skip_unaligned;
        if (!default_time.is_none()) o.default_time = to_seconds(default_time, "default_time");
        o.cmi5 = cmi5;
        o.mastery_scores.insert(mastery_scores.begin(), mastery_scores.end());
        o.threads = threads;
        io::xapi_evidence e;
        if (is_path) {
          const std::string p = fs_path(source, "source");
          py::gil_scoped_release release;
          e = io::read_xapi(p, o);
        } else {
          std::string_view text;
          if (PyBytes_Check(source.ptr())) {
            char* data = nullptr;
            py::ssize_t size = 0;
            PyBytes_AsStringAndSize(source.ptr(), &data, &size);
            text = std::string_view(data, static_cast<std::size_t>(size));
          } else if (PyUnicode_Check(source.ptr())) {
            py::ssize_t size = 0;
            const char* data = PyUnicode_AsUTF8AndSize(source.ptr(), &size);
            if (data == nullptr) throw py::error_already_set();
            text = std::string_view(data, static_cast<std::size_t>(size));
          } else {
            throw argument_error("source", "JSON text (str or bytes) or a path", source);
          }
          py::gil_scoped_release release;  // `source` stays referenced by the caller
          e = io::parse_xapi(text, o);
        }
        return evidence_dict(e, skipped);
      },
      py::arg("source"), py::kw_only(), py::arg("is_path") = false, py::arg("version") = "2.0",
      py::arg("alignment") = std::map<std::string, std::string>{}, py::arg("framework") = nullptr,
      py::arg("learner") = "ifi", py::arg("learners") = std::map<std::string, std::string>{},
      py::arg("verb_kinds") = std::map<std::string, std::string>{},
      py::arg("default_kind") = "formative", py::arg("scale") = py::none(),
      py::arg("success_score") = py::none(), py::arg("failure_score") = py::none(),
      py::arg("completion_score") = py::none(), py::arg("negative") = "reject",
      py::arg("skip_unaligned") = true, py::arg("cmi5") = false,
      py::arg("mastery_scores") = std::map<std::string, double>{},
      py::arg("default_time") = py::none(), py::arg("threads") = 0U, py::arg("skipped") = true,
      R"pbdoc(
Reads xAPI statements (a JSON array, one statement, or JSON lines) as evidence columns; the
mapping is described at ``masterymap.io.read_xapi`` (use that). Returns a dict of columns
(codes and names, ``time`` seconds, ``score``, ``source``, ``timestamp``, ``statement``,
``retracted``: 1 for a row voided by a statement of the batch) and
``voided``, ``retractions`` ((id voided, voiding statement id)), ``waived`` and ``skipped``
lists (``skipped=False``: an empty ``skipped`` list).

:raises EvidenceError: every bad statement (``rows``: statement indices; ``lines``: 1-based
    lines of JSON lines)
:raises ParseError: malformed JSON (line and column)
)pbdoc");
  io.def(
      "default_verb_kinds",
      []() {
        const auto k = io::default_verb_kinds();
        return std::map<std::string, std::string>(k.begin(), k.end());
      },
      "The verb -> evidence kind table every mapping starts from (\"\" = no rating evidence).");
}

}  // namespace masterymap::python
