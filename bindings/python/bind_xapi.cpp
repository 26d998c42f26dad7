// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <masterymap/io/xapi.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

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

// The times a pandas datetime64[ns] column holds, as the reader's time range: those
// `seconds_to_nanos` (bind_time.cpp) converts, -9223372036 < t < 9223372036.854775 seconds
// (about 1677-09-21 to 2262-04-11). A statement outside it is an error of that statement (its
// index, line and /timestamp), listed with the batch's others, not a ValueError about a frame row.
io::xapi_time_range frame_times() {
  return {std::nextafter(-9223372036.0, 0.0), std::nextafter(9223372036.854775, 0.0),
          "a pandas datetime64[ns] column (1677-09-21 to 2262-04-11)"};
}

// A 1-D array of `dtype` (items of sizeof(T) bytes: int64 over size_t, bool over uint8) that
// takes over `v` without copying (its memory is freed with the array).
template <typename T>
py::array owned_array(std::vector<T>&& v, const py::dtype& dtype) {
  auto* heap = new std::vector<T>(std::move(v));
  py::capsule owner(heap, [](void* p) { delete static_cast<std::vector<T>*>(p); });
  return py::array(dtype, {static_cast<py::ssize_t>(heap->size())},
                   {static_cast<py::ssize_t>(sizeof(T))}, heap->data(), owner);
}

// Codes in the narrowest signed type pandas keeps for `categories` names (its
// coerce_indexer_dtype: int8 below 127 names, int16 below 32767, int32 below 2^31 - 1, else
// int64), so that Categorical.from_codes takes them without another copy. The loop reads and
// writes through local pointers only. O(rows); no GIL needed.
struct narrow_codes {
  std::vector<std::int8_t> i8;
  std::vector<std::int16_t> i16;
  std::vector<std::int32_t> i32;
  std::vector<std::int64_t> i64;
  template <typename U>
  static std::vector<U> convert(const std::vector<std::uint32_t>& v) {
    std::vector<U> out(v.size());
    const std::uint32_t* from = v.data();
    U* to = out.data();
    const std::size_t n = v.size();
    for (std::size_t i = 0; i < n; ++i) to[i] = static_cast<U>(from[i]);
    return out;
  }
  narrow_codes(const std::vector<std::uint32_t>& codes, std::size_t categories) {
    if (categories < 127)
      i8 = convert<std::int8_t>(codes);
    else if (categories < 32767)
      i16 = convert<std::int16_t>(codes);
    else if (categories < 2147483647)
      i32 = convert<std::int32_t>(codes);
    else
      i64 = convert<std::int64_t>(codes);
  }
  py::array take(std::size_t categories) {
    if (categories < 127) return owned_array(std::move(i8), py::dtype::of<std::int8_t>());
    if (categories < 32767) return owned_array(std::move(i16), py::dtype::of<std::int16_t>());
    if (categories < 2147483647) return owned_array(std::move(i32), py::dtype::of<std::int32_t>());
    return owned_array(std::move(i64), py::dtype::of<std::int64_t>());
  }
};

py::list texts(const std::vector<std::string>& v) {
  py::list out(v.size());
  for (std::size_t i = 0; i < v.size(); ++i) {
    PyObject* s = PyUnicode_DecodeUTF8(v[i].data(), static_cast<py::ssize_t>(v[i].size()), nullptr);
    if (s == nullptr) throw py::error_already_set();
    PyList_SET_ITEM(out.ptr(), static_cast<py::ssize_t>(i), s);
  }
  return out;
}

// Whether every character of `chars` is ASCII, 8 bytes at a time. O(size); no GIL needed.
bool all_ascii(const std::string& chars) {
  const char* p = chars.data();
  const std::size_t n = chars.size();
  std::uint64_t high = 0;
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    std::uint64_t w = 0;
    std::memcpy(&w, p + i, 8);
    high |= w;
  }
  for (; i < n; ++i) high |= static_cast<unsigned char>(p[i]);
  return (high & 0x8080808080808080ULL) == 0;
}

// A numpy object array of str from a text column: ASCII strings (statement ids, timestamps) are
// copied into compact str objects without decoding; others are decoded as UTF-8. `ascii`:
// all_ascii(c.chars()), found without the GIL.
py::array text_array(const io::text_column& c, bool ascii_column) {
  const std::size_t n = c.size();
  py::array out(py::dtype("O"), std::vector<py::ssize_t>{static_cast<py::ssize_t>(n)});
  auto** const data = static_cast<PyObject**>(out.mutable_data());
  const char* const chars = c.chars().data();
  const std::size_t* const ends = c.ends().data();
  std::size_t begin = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t end = ends[i];
    const char* const v = chars + begin;
    const auto size = static_cast<py::ssize_t>(end - begin);
    begin = end;
    bool ascii = ascii_column;
    if (!ascii) {
      unsigned high = 0;
      for (py::ssize_t k = 0; k < size; ++k) high |= static_cast<unsigned char>(v[k]);
      ascii = high < 0x80;
    }
    PyObject* s = nullptr;
    if (ascii) {
      s = PyUnicode_New(size, 127);
      if (s != nullptr) std::memcpy(PyUnicode_DATA(s), v, static_cast<std::size_t>(size));
    } else {
      s = PyUnicode_DecodeUTF8(v, size, nullptr);
    }
    if (s == nullptr) throw py::error_already_set();
    Py_XDECREF(data[i]);  // numpy fills a new object array with None
    data[i] = s;
  }
  return out;
}

// What evidence_dict needs that takes no Python object: made with the GIL released.
struct prepared {
  std::array<narrow_codes, 5> codes;
  bool source_ascii, timestamp_ascii;
  explicit prepared(const io::xapi_evidence& e)
      : codes{narrow_codes(e.learner, e.learners.size()),
              narrow_codes(e.competency, e.competencies.size()),
              narrow_codes(e.kind, e.kinds.size()), narrow_codes(e.verb, e.verbs.size()),
              narrow_codes(e.activity, e.activities.size())},
        source_ascii(all_ascii(e.source.chars())),
        timestamp_ascii(all_ascii(e.timestamp.chars())) {}
};

// `skipped`: whether to list the skipped statements (85,000 tuples for a million statements,
// made only when the caller asked for them). The columns are taken over (moved) from `e`.
// Codes come in the narrowest integer type pandas keeps (see narrow_codes).
py::dict evidence_dict(io::xapi_evidence&& e, prepared&& pre, bool skipped_list) {
  py::dict d;
  d["learner"] = pre.codes[0].take(e.learners.size());
  d["learners"] = texts(e.learners);
  d["competency"] = pre.codes[1].take(e.competencies.size());
  d["competencies"] = texts(e.competencies);
  d["kind"] = pre.codes[2].take(e.kinds.size());
  d["kinds"] = texts(e.kinds);
  d["verb"] = pre.codes[3].take(e.verbs.size());
  d["verbs"] = texts(e.verbs);
  d["activity"] = pre.codes[4].take(e.activities.size());
  d["activities"] = texts(e.activities);
  d["time"] = owned_array(std::move(e.time), py::dtype::of<double>());
  d["score"] = owned_array(std::move(e.score), py::dtype::of<double>());
  d["source"] = text_array(e.source, pre.source_ascii);
  d["timestamp"] = text_array(e.timestamp, pre.timestamp_ascii);
  static_assert(sizeof(std::size_t) == sizeof(std::int64_t), "statement indices as int64");
  d["statement"] = owned_array(std::move(e.statement), py::dtype::of<std::int64_t>());
  d["retracted"] = owned_array(std::move(e.retracted), py::dtype("?"));  // 0/1 bytes: bool
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
          problems = io::validate_xapi_statement(text, v, frame_times());
        }
        std::vector<std::pair<std::string, std::string>> out;
        out.reserve(problems.size());
        for (auto& p : problems) out.emplace_back(std::move(p.path), std::move(p.rule));
        return out;
      },
      py::arg("text"), py::arg("version") = "2.0", R"pbdoc(
Checks one xAPI statement (JSON text of one object) against the specification's rules (xAPI
1.0.3 or 2.0): ``[(path, rule), ...]``, empty when valid. ``path`` is a JSON pointer into the
statement (``"/actor/mbox"``). The rules are listed in the README ("xAPI and cmi5"). A time a
DataFrame cannot hold (the timestamp, else ``stored``, outside datetime64[ns]: 1677-09-21 to
2262-04-11) is a problem at ``/timestamp`` (``/stored``), as ``read_xapi`` reports it.

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
         const std::map<std::string, double>& mastery_scores,
         const std::map<std::string, std::string>& cmi5_aus, const py::object& default_time,
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
        o.cmi5_aus.insert(cmi5_aus.begin(), cmi5_aus.end());
        o.threads = threads;
        o.time_range = frame_times();
        io::xapi_evidence e;
        std::optional<prepared> pre;
        if (is_path) {
          const std::string p = fs_path(source, "source");
          py::gil_scoped_release release;
          e = io::read_xapi(p, o);
          pre.emplace(e);
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
          pre.emplace(e);
        }
        return evidence_dict(std::move(e), std::move(*pre), skipped);
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
      py::arg("cmi5_aus") = std::map<std::string, std::string>{},
      py::arg("default_time") = py::none(), py::arg("threads") = 0U, py::arg("skipped") = true,
      R"pbdoc(
Reads xAPI statements (a JSON array, one statement, or JSON lines) as evidence columns; the
mapping is described at ``masterymap.io.read_xapi`` (use that). Returns a dict of columns
(codes in the narrowest signed integer type pandas keeps for that many names, and names;
``time`` seconds, ``score``, ``source``, ``timestamp``, ``statement`` (int64), ``retracted``:
bool, True for a row voided by a statement of the batch) and
``voided``, ``retractions`` ((id voided, voiding statement id)), ``waived`` and ``skipped``
lists (``skipped=False``: an empty ``skipped`` list).

:raises EvidenceError: every bad statement (``rows``: statement indices; ``lines``: 1-based
    lines of JSON lines), a time outside datetime64[ns] included (``/timestamp: ... is outside
    the times a pandas datetime64[ns] column (1677-09-21 to 2262-04-11) can hold``)
:raises ParseError: malformed JSON (line and column)
)pbdoc");
  io.def(
      "default_verb_kinds",
      []() {
        const auto k = io::default_verb_kinds();
        return std::map<std::string, std::string>(k.begin(), k.end());
      },
      "The verb -> evidence kind table every mapping starts from (\"\" = no rating evidence).");
  io.def(
      "parse_rfc3339", [](std::string_view text) { return io::parse_rfc3339(text); },
      py::arg("text"), R"pbdoc(
Seconds since the Unix epoch (UTC, to the microsecond) of an RFC 3339 date-time with a time
zone, or None for anything else: the unknown-offset forms (``-00:00``), impossible dates (Feb
30, Feb 29 of a common year) and a second 60 other than at 23:59:60 UTC (a leap second, the
offset applied) are None. The rule the xAPI reader applies to timestamps and
:func:`masterymap.io.read_credential` to its date-times. O(len(text)).
)pbdoc");
}

}  // namespace masterymap::python
