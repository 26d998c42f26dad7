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
  const std::size_t n = r.entries().size();
  return "<RevisionMap " + eds + ": " + std::to_string(n) + (n == 1 ? " item, " : " items, ") +
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
  cls.def(py::init([]() -> revision_map {
            throw py::type_error(
                "RevisionMap cannot be created directly: build one with "
                "masterymap.revisions(old_edition, new_edition)");
          }),
          "Not constructible: :func:`revisions` builds a RevisionMap (TypeError).")
      .def(py::pickle(&revision_map_state, &revision_map_from_state))
      .def("__hash__", [](const revision_map& r) { return frozen_hash(revision_map_state(r)); })
      .def("__repr__", &revision_map_repr)
      .def("__len__", [](const revision_map& r) { return r.entries().size(); })
      .def(
          "__contains__",
          [](const revision_map& r, const py::object& id) {
            return py::isinstance<py::str>(id) && r.contains(id.cast<std::string>());
          },
          py::arg("id"),
          "Whether ``id`` is a competency of the old edition (False for anything but a str).")
      .def(
          "__iter__", [](const revision_map& r) { return py::iter(py::cast(r.old_ids())); },
          "Iterates over the old edition's ids, in its order (as :meth:`old_ids`).")
      .def(
          "__getitem__",
          [](const revision_map& r, const std::string& id) { return r.successors(id); },
          py::arg("old_id"),
          "``successors(old_id)``: a RevisionMap reads as a mapping from old id to successors.\n\n"
          ":raises UnknownIdError: ``old_id`` is not a competency of the old edition")
      .def("old_ids", &revision_map::old_ids, "The competencies of the old edition, in its order.")
      .def(
          "successors",
          [](const revision_map& r, const std::string& id) { return r.successors(id); },
          py::arg("old_id"),
          "Ids in the new edition that ``old_id`` became (package order; empty: no successor).\n\n"
          ":raises UnknownIdError: ``old_id`` is not a competency of the old edition")
      .def(
          "kind",
          [](const revision_map& r, const std::string& id) { return to_string(r.at(id).kind); },
          py::arg("old_id"), R"pbdoc(
How ``old_id`` relates to the new edition: ``"same"`` (the same CASE identifier in every
edition, no replacedBy on the way; its code may have changed, which :func:`migrate` reports as
``renamed``), ``"one_to_one"``, ``"chain"`` (one-to-one over several editions), ``"split"``
(a split at some step, even when later steps merged the parts back or retired some: the
``split`` rule of :func:`migrate` applies), ``"merge"`` (its one successor also replaces other
old items) or ``"none"`` (no successor). It agrees with :meth:`steps`.

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
           "Ids of the new edition no old item leads to, in the new edition's order (an item the "
           "new package keeps but replaces, deprecated, is not new).")
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
      [](const framework& old_edition, const framework& new_edition, const py::object& intermediate,
         const py::object& notes) {
        std::vector<const framework*> mids;
        if (!py::isinstance<py::sequence>(intermediate) || py::isinstance<py::str>(intermediate))
          throw argument_error("intermediate", "a sequence of Framework", intermediate);
        const auto seq = intermediate.cast<py::sequence>();
        for (std::size_t i = 0; i < seq.size(); ++i) {
          const py::object f = seq[i];
          if (!py::isinstance<framework>(f))
            throw argument_error("intermediate[" + std::to_string(i) + "]", "a Framework", f);
          mids.push_back(&f.cast<const framework&>());
        }
        if (!notes.is_none() && !py::isinstance<py::list>(notes))
          throw argument_error("notes", "a list or None", notes);
        std::vector<std::string> lines;
        revision_map out;
        {
          py::gil_scoped_release release;
          out = revisions(old_edition, new_edition, mids, notes.is_none() ? nullptr : &lines);
        }
        if (!notes.is_none()) notes.attr("extend")(py::cast(lines));
        return out;
      },
      py::arg("old_edition"), py::arg("new_edition"), py::arg("intermediate") = py::tuple(),
      py::kw_only(), py::arg("notes") = py::none(), R"pbdoc(
The revision map from ``old_edition`` to ``new_edition`` through the ``intermediate`` editions
(oldest first), from the CASE ``replacedBy`` associations (origin = the superseded item,
destination = its replacement; the link lives in the newer package, as
:func:`masterymap.io.read_case` keeps it).

Items are matched by CASE identifier and URI (competency metadata ``case:identifier`` and
``case:uri``; without them, by id), never by code: a code may name another item in a later
edition. Resolution is edition by edition: an item of the next edition stays (``same``) unless
that package replaces it by one of its own items (a deprecated item kept beside its
successor); otherwise it follows its ``replacedBy`` links transitively to items of the next
edition. An item's links are those of the oldest package newer than its edition that has any
(so a package carrying its whole history resolves without the editions in between, and a
revert A -> X -> A over two editions is no cycle), else those of an older package (followed,
with a note). A hop may be an item of no given edition. Steps compose transitively.

:param intermediate: the editions between, oldest first (a sequence of :class:`Framework`)
:param notes: a list that receives one line per ``replacedBy`` link not used (a reversed link,
    an end in no given edition, a missing intermediate edition, a link in the old edition) or
    used against CASE's placement (in an older package), and a hint first when the old edition
    holds links from items of a newer one (the editions swapped)
:returns: a :class:`RevisionMap`
:raises CycleError: the links one step follows form cycles: every cycle at once, each named in
    ``cycle``/``problems`` (first id repeated at the end; the older edition's codes where known)
    and its message naming the package(s) holding the links
:raises TypeError: ``intermediate`` is not a sequence of Framework, ``notes`` not a list
Complexity: O(items + associations) per edition step.
)pbdoc");

  m.def(
      "migrate",
      [](const py::object& log_or_roster, const framework& old_edition,
         const framework& new_edition, const revision_map& map, const std::string& split) {
        const split_rule rule = split_rule_of(split);
        std::vector<migration_decision> decisions;
        std::vector<std::string> emptied;
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
          emptied = std::move(result.emptied_learners);
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
          emptied = std::move(result->emptied_learners);
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
          row["domain"] = d.domain.empty() ? py::object(py::none()) : py::cast(d.domain);
          rows.append(row);
        }
        py::object frame = call_python("masterymap.editions", "_decisions_frame", rows, emptied);
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
- no successor: the rows are dropped;
- placement rows (kind ``"placement"``, :meth:`Roster.place`) place a learner in a domain: they
  move to the same domain's placement competency in the new edition (its first leveled academic
  competency, as :meth:`Roster.place` chooses), whatever became of their old competency, and are
  dropped when the new edition lacks the domain (never moved into another domain).

Rows keep learner, time, score, kind and weight, and their order (a split row's copies are
adjacent). A moved row's ``source`` records it: ``"<source>; migrated from <old id> (<old
edition name>)"``, or ``"migration from <old id> (<name>)"`` when it had none, so
:meth:`Engine.explain` shows ``by teacher; migrated from FR.2 (...)`` or ``by migration from
FR.2 (...)`` (a name longer than 60 characters is cut, with ``...``). Rows of an unchanged id
keep their source.

:returns: ``(migrated, report)``: a new :class:`EvidenceLog` (or :class:`Roster`) and a
    DataFrame with one row per old competency the log uses (and one more for its placement
    rows), in log order: ``old_id`` (categorical), ``new_ids`` (list), ``action`` (``same``,
    ``renamed``: same CASE identifier, new code; ``moved``, ``split``, ``merged``, ``placed``:
    placement rows re-keyed by domain; ``dropped``), ``kind`` (the revision kind), ``rows``
    (input rows), ``written`` (output rows) and ``domain`` (a placement's domain, else None).
    ``report.attrs["emptied_learners"]`` lists the learners whose rows were all dropped (in
    log order): a migrated Roster cannot keep a learner without evidence, so they are not in
    it.
:raises ValidationError: every competency of the log not in ``old_edition`` (``unknown_id``),
    every one the map lacks and every successor not in ``new_edition`` (a map of other
    editions: the message names the map's editions and says when they look swapped); the
    input is never changed
:raises PolicyError: a roster's policy does not fit ``new_edition`` (it names an old id)
:raises ValueError: ``split`` is not one of the three
Complexity: O(rows x successors + competencies).
)pbdoc");
}

}  // namespace masterymap::python
