// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// The portable learner record: Roster.export_record and masterymap._core.io.read_record
// (masterymap.io wraps them: paths, dicts, the report's DataFrame).
#include <pybind11/stl.h>

#include <masterymap/io/record.hpp>
#include <memory>
#include <optional>

#include "bindings.hpp"
#include "object_lock.hpp"
#include "roster_py.hpp"

namespace masterymap::python {

namespace {

split_rule split_of(const std::string& s) {
  if (s == "copy") return split_rule::copy;
  if (s == "first") return split_rule::first;
  if (s == "drop") return split_rule::drop;
  throw py::value_error("split: expected 'copy', 'first' or 'drop', got '" + s + "'");
}

py::dict ingest_dict(const ingest_summary& s) {
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

void bind_record(py::module_& m) {
  py::class_<roster> roster_cls(m.attr("Roster"));
  roster_cls.def(
      "export_record",
      [](const roster& r, const py::object& learner, const py::object& as_of,
         const std::string& issuer, const std::string& issuer_name, const std::string& identity,
         const std::string& identity_type, const std::string& salt, const std::string& valid_from,
         const std::string& achievement_base, bool include_exempt, const std::string& name,
         int indent) {
        const std::string l = id_text(learner, "learner");
        io::record_options o;
        if (!as_of.is_none()) o.as_of = to_seconds(as_of, "as_of");
        o.credential.issuer = issuer;
        o.credential.issuer_name = issuer_name;
        o.credential.identity = identity;
        o.credential.identity_type = identity_type;
        o.credential.salt = salt;
        o.credential.valid_from = valid_from;
        o.credential.achievement_base = achievement_base;
        o.credential.include_exempt = include_exempt;
        o.credential.name = name;
        o.indent = indent;
        py::gil_scoped_release release;
        const lock_set locks({{&r, roster_type, false}, {&r.log(), log_type, false}});
        try {
          return io::export_record(r, l, o);
        } catch (const std::invalid_argument& e) {
          throw py::value_error(e.what());
        }
      },
      py::arg("learner"), py::kw_only(), py::arg("as_of") = py::none(), py::arg("issuer") = "",
      py::arg("issuer_name") = "", py::arg("identity") = "",
      py::arg("identity_type") = "identifier", py::arg("salt") = "", py::arg("valid_from") = "",
      py::arg("achievement_base") = "", py::arg("include_exempt") = true,
      py::arg("name") = "Comprehensive Learner Record", py::arg("indent") = -1, R"pbdoc(
The learner's portable record (a "data backpack") as JSON text, version 1: the framework
reference (the CASE document's identifier, uri, version and title when the framework came from
CASE; the SHA-256 of its native JSON always), the policy, every evidence row of the learner with
its source (e.g. the xAPI statement id), ``voided`` (the retractions of its sources:
``source`` and ``by``), the ratings of every competency the learner is not ``not_started`` on,
each with its explanation (log rows given as rows of the record's ``evidence``), and, when
``issuer`` is given and the learner has earned something, the CLR 2.0 credential
(:func:`masterymap.io.clr`; the credential parameters are those of that function). Keys in a
fixed order, numbers as shortest round-trip decimals: export -> import -> export is
byte-identical. :func:`masterymap.io.read_record` imports it into another roster.

:param as_of: the ratings' evaluation time (default: the roster's ``as_of``)
:param indent: JSON indentation (-1: compact)
:raises UnknownIdError: a learner the roster does not have
:raises ValueError: a bad credential option (issuer not a URI, ...)
)pbdoc");

  py::module_ io = m.attr("io");
  io.def(
      "read_record",
      [](roster& r, const std::string& text, const std::optional<framework>& old_edition,
         const std::vector<framework>& intermediate, const std::string& split,
         bool allow_other_policy, bool strict) {
        io::record_read_options o;
        if (old_edition) o.old_edition = &*old_edition;
        for (const auto& f : intermediate) o.intermediate.push_back(&f);
        o.split = split_of(split);
        o.allow_other_policy = allow_other_policy;
        o.strict = strict;
        io::record_import out;
        {
          py::gil_scoped_release release;
          const lock_set locks({{&r, roster_type, true}, {&r.log(), log_type, true}});
          try {
            out = io::read_record(r, text, o);
          } catch (const std::invalid_argument& e) {
            throw py::value_error(e.what());
          }
        }
        py::list decisions;
        for (const auto& d : out.decisions) {
          py::dict row;
          row["old_id"] = d.old_id;
          row["new_ids"] = d.new_ids;
          row["action"] = d.action;
          row["kind"] = to_string(d.kind);
          row["rows"] = d.rows;
          row["written"] = d.written;
          row["domain"] = d.domain.empty() ? py::object(py::none()) : py::cast(d.domain);
          decisions.append(row);
        }
        py::dict d;
        d["learner"] = out.learner;
        d["rows"] = out.rows;
        d["as_of"] = out.as_of;
        d["migrated"] = out.migrated;
        d["decisions"] = decisions;
        d["notes"] = out.notes;
        d["differences"] = out.differences;
        d["credential"] = out.credential;
        d["ingest"] = ingest_dict(out.ingest);
        d["duplicates"] = out.duplicates;
        return d;
      },
      py::arg("roster"), py::arg("text"), py::kw_only(), py::arg("old_edition") = py::none(),
      py::arg("intermediate") = std::vector<framework>{}, py::arg("split") = "copy",
      py::arg("allow_other_policy") = false, py::arg("strict") = true,
      "Imports a learner record (JSON text) into the roster; see masterymap.io.read_record.");
}

}  // namespace masterymap::python
