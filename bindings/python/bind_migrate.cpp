// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
#include <pybind11/stl.h>

#include <masterymap/migrate.hpp>
#include <optional>

#include "bindings.hpp"
#include "object_lock.hpp"
#include "pickle_py.hpp"
#include "roster_py.hpp"

namespace masterymap::python {

namespace {

split_rule split_rule_of(const std::string& s) {
  if (s == "copy") return split_rule::copy;
  if (s == "first") return split_rule::first;
  if (s == "drop") return split_rule::drop;
  throw py::value_error("split: expected 'copy', 'first' or 'drop', got '" + s + "'");
}

std::vector<std::string> kind_names(const std::vector<revision_kind>& ks) {
  std::vector<std::string> out;
  out.reserve(ks.size());
  for (auto k : ks) out.emplace_back(to_string(k));
  return out;
}

py::tuple revision_map_state(const revision_map& r) {
  py::list entries;
  for (const auto& e : r.entries())
    entries.append(py::make_tuple(e.old_id, e.new_ids, to_string(e.kind), kind_names(e.steps)));
  return py::make_tuple(r.editions(), r.new_items(), entries);
}

revision_map revision_map_from_state(const py::tuple& t) {
  if (t.size() != 3) throw py::value_error("not the state of a pickled RevisionMap");
  std::vector<revision> entries;
  for (const auto& item : t[2].cast<py::list>()) {
    const auto e = item.cast<py::tuple>();
    if (e.size() != 4) throw py::value_error("not the state of a pickled RevisionMap");
    revision r;
    r.old_id = e[0].cast<std::string>();
    r.new_ids = e[1].cast<std::vector<std::string>>();
    r.kind = parse_revision_kind(e[2].cast<std::string>());
    for (const auto& k : e[3].cast<std::vector<std::string>>())
      r.steps.push_back(parse_revision_kind(k));
    entries.push_back(std::move(r));
  }
  return revision_map(std::move(entries), t[1].cast<std::vector<std::string>>(),
                      t[0].cast<std::vector<std::string>>());
}

std::string revision_map_repr(const revision_map& r) {
  std::string eds;
  for (const auto& e : r.editions())
    eds += (eds.empty() ? "" : " -> ") + py::repr(py::str(e)).cast<std::string>();
  return "<RevisionMap " + eds + ": " + std::to_string(r.entries().size()) + " items, " +
         std::to_string(r.no_successor().size()) + " without successor>";
}

}  // namespace

void bind_migrate(py::module_& m) {
  py::class_<revision_map> cls(m, "RevisionMap", R"pbdoc(
The revision map between two framework editions (see :func:`revisions`): each competency of the
old edition, in its order, with its successors in the new edition and how it got there.
Immutable: compares by value, hashes, copies and pickles.
)pbdoc");
  def_equality(cls);
  def_copy(cls);
  cls.def(py::pickle(&revision_map_state, &revision_map_from_state))
      .def("__hash__", [](const revision_map& r) { return frozen_hash(revision_map_state(r)); })
      .def("__repr__", &revision_map_repr)
      .def("__len__", [](const revision_map& r) { return r.entries().size(); })
      .def(
          "__contains__",
          [](const revision_map& r, const std::string& id) { return r.contains(id); },
          py::arg("old_id"))
      .def(
          "old_ids",
          [](const revision_map& r) {
            std::vector<std::string> out;
            for (const auto& e : r.entries()) out.push_back(e.old_id);
            return out;
          },
          "The competencies of the old edition, in its order.")
      .def(
          "successors",
          [](const revision_map& r, const std::string& id) { return r.at(id).new_ids; },
          py::arg("old_id"),
          "Ids in the new edition that ``old_id`` became (package order; empty: no successor).\n\n"
          ":raises UnknownIdError: ``old_id`` is not a competency of the old edition")
      .def(
          "kind",
          [](const revision_map& r, const std::string& id) { return to_string(r.at(id).kind); },
          py::arg("old_id"), R"pbdoc(
How ``old_id`` relates to the new edition: ``"same"`` (same CASE identifier, no replacedBy),
``"one_to_one"``, ``"chain"`` (one-to-one over several editions), ``"split"`` (several
successors), ``"merge"`` (its one successor also replaces other old items) or ``"none"`` (no
successor).

:raises UnknownIdError: ``old_id`` is not a competency of the old edition
)pbdoc")
      .def(
          "steps",
          [](const revision_map& r, const std::string& id) { return kind_names(r.at(id).steps); },
          py::arg("old_id"),
          "The kind of each step between consecutive editions (e.g. ``['split', 'merge']``).\n\n"
          ":raises UnknownIdError: ``old_id`` is not a competency of the old edition")
      .def("no_successor", &revision_map::no_successor,
           "Old ids with no successor (kind ``none``), in the old edition's order.")
      .def("new_items", &revision_map::new_items,
           "Ids of the new edition no old item leads to, in the new edition's order.")
      .def("editions", &revision_map::editions, "The editions' names, oldest first.")
      .def(
          "to_dataframe",
          [](const py::object& self) {
            return call_python("masterymap.editions", "_revisions_frame", self);
          },
          R"pbdoc(
The map as a DataFrame, one row per (old id, new id) pair in the old edition's order, and one row
with ``new_id`` None for an old id with no successor: ``old_id``, ``new_id`` (str),
``kind`` and ``steps`` (str, steps joined by ", ").
)pbdoc");

  m.def(
      "revisions",
      [](const framework& old_edition, const framework& new_edition,
         const std::vector<const framework*>& intermediate) {
        py::gil_scoped_release release;
        return revisions(old_edition, new_edition, intermediate);
      },
      py::arg("old_edition"), py::arg("new_edition"),
      py::arg("intermediate") = std::vector<const framework*>{}, R"pbdoc(
The revision map from ``old_edition`` to ``new_edition`` through the ``intermediate`` editions
(oldest first), from the CASE ``replacedBy`` associations of the newer editions (origin = the
superseded item of the older package, destination = the new item; the link lives in the newer
package, as :func:`masterymap.io.read_case` keeps it).

Items are matched by CASE identifier and URI (competency metadata ``case:identifier`` and
``case:uri``; without them, by id), never by code: a code may name another item in a later
edition. Per step, an item with ``replacedBy`` links goes to their destinations, else to the item
with its identifier in the next edition (unchanged), else nowhere; steps compose transitively.

:returns: a :class:`RevisionMap`
:raises CycleError: the ``replacedBy`` links of the editions form cycles: every cycle at once,
    each named in ``cycle``/``problems`` (first id repeated at the end)
Complexity: O(items + associations) per edition step.
)pbdoc");

  m.def(
      "migrate",
      [](const py::object& log_or_roster, const framework& old_edition,
         const framework& new_edition, const revision_map& map, const std::string& split) {
        const split_rule rule = split_rule_of(split);
        std::vector<migration_decision> decisions;
        py::object out;
        if (py::isinstance<evidence_log>(log_or_roster)) {
          const auto& log = log_or_roster.cast<const evidence_log&>();
          migration result;
          {
            const read_lock lock(&log, log_type);
            py::gil_scoped_release release;
            result = migrate(log, old_edition, new_edition, map, rule);
          }
          decisions = std::move(result.decisions);
          out = py::cast(std::move(result.log));
        } else if (py::isinstance<roster>(log_or_roster)) {
          const auto& r = log_or_roster.cast<const roster&>();
          std::optional<roster_migration> result;
          {
            const read_lock lock(&r, roster_type);
            py::gil_scoped_release release;
            result.emplace(migrate(r, old_edition, new_edition, map, rule));
          }
          decisions = std::move(result->decisions);
          out = py::cast(std::move(result->roster));
        } else {
          throw argument_error("log_or_roster", "an EvidenceLog or a Roster", log_or_roster);
        }
        py::list rows;
        for (const auto& d : decisions) {
          py::dict row;
          row["old_id"] = d.old_id;
          row["new_ids"] = d.new_ids;
          row["action"] = d.action;
          row["kind"] = to_string(d.kind);
          row["rows"] = d.rows;
          row["written"] = d.written;
          rows.append(row);
        }
        py::object frame = call_python("masterymap.editions", "_decisions_frame", rows);
        return py::make_tuple(out, frame);
      },
      py::arg("log_or_roster"), py::arg("old_edition"), py::arg("new_edition"),
      py::arg("revisions"), py::kw_only(), py::arg("split") = "copy", R"pbdoc(
Re-keys learner evidence on ``old_edition``'s competencies to ``new_edition`` under
``revisions`` (a :class:`RevisionMap` from ``old_edition`` to ``new_edition``): an
:class:`EvidenceLog`, or a :class:`Roster` (its ``log``; the result is a new Roster on
``new_edition`` with the same policy, threads, fixed ``as_of`` and probability source, that has
ingested the migrated log).

The rule (evidence on an old item counts for what the item became):

- same / one-to-one / chain: each row moves to the successor;
- merge: every predecessor's rows go to the merged item, so the engine rates it on all of them
  together (in time order, by the policy's method): evidence on the parts is evidence on the
  whole;
- split, by ``split``: ``"copy"`` (default: the broader old item was assessed as a whole, so each
  successor gets a copy of each row), ``"first"`` (the first successor in package order only) or
  ``"drop"`` (none: the split items start unrated);
- no successor: the rows are dropped.

Rows keep learner, time, score, kind and weight, and their order (a split row's copies are
adjacent). A moved row's ``source`` records it: ``"migrated from <old id> (<old edition
name>)"``, after the original source and ``"; "``, so :meth:`Engine.explain` shows
``by teacher; migrated from FR.2 (...)``. Rows of an unchanged item keep their source.

:returns: ``(migrated, report)``: a new :class:`EvidenceLog` (or :class:`Roster`) and a DataFrame with one row per old
    competency the log uses, in log order: ``old_id``, ``new_ids`` (list), ``action``
    (``same``, ``moved``, ``split``, ``merged``, ``dropped``), ``kind`` (the revision kind),
    ``rows`` (input rows) and ``written`` (output rows)
:raises ValidationError: every competency of the log not in ``old_edition`` (``unknown_id``),
    every successor not in ``new_edition`` (a map of other editions); the input is never changed
:raises PolicyError: a roster's policy does not fit ``new_edition`` (it names an old id)
:raises ValueError: ``split`` is not one of the three
Complexity: O(rows x successors + competencies).
)pbdoc");
}

}  // namespace masterymap::python
