// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <limits>
#include <masterymap/framework.hpp>
#include <masterymap/io/dot.hpp>
#include <masterymap/io/file.hpp>

#include "bindings.hpp"
#include "numpy_util.hpp"
#include "pickle_py.hpp"
#include "progress_py.hpp"

namespace masterymap::python {
namespace {

strength_set parse_filter(const py::object& s) {
  if (s.is_none()) return strength_set::all();
  if (py::isinstance<py::str>(s)) return strength_set{parse_strength(s.cast<std::string>())};
  if (!py::isinstance<py::iterable>(s))
    throw argument_error("strength", "None, a strength name or a list of them", s);
  unsigned bits = 0;
  std::size_t i = 0;
  for (auto item : s) {
    const auto name = cast_arg<std::string>(item, "strength[" + std::to_string(i++) + "]",
                                            "a strength name (str)");
    bits |= 1U << static_cast<unsigned>(parse_strength(name));
  }
  return strength_set::from_bits(static_cast<std::uint8_t>(bits));
}

std::vector<std::string> ids_of(const framework& f, const std::vector<index_t>& v) {
  std::vector<std::string> out;
  out.reserve(v.size());
  for (index_t i : v) out.push_back(f.id_of(i));
  return out;
}

/// The ids as Python strings, created once per Framework object and kept in its __dict__, so
/// that returning many ids costs a reference count each instead of a string allocation.
py::list ids_list(const py::object& self, const std::vector<index_t>& v) {
  py::object cache = py::getattr(self, "_id_cache", py::none());
  if (cache.is_none()) {
    const auto& f = self.cast<const framework&>();
    py::list all(f.size());
    for (std::size_t i = 0; i < f.size(); ++i) all[i] = py::str(f.id_of(static_cast<index_t>(i)));
    py::setattr(self, "_id_cache", all);
    cache = all;
  }
  PyObject* src = cache.ptr();
  py::list out(v.size());
  for (std::size_t k = 0; k < v.size(); ++k) {
    PyObject* item = PyList_GET_ITEM(src, static_cast<Py_ssize_t>(v[k]));
    Py_INCREF(item);
    PyList_SET_ITEM(out.ptr(), static_cast<Py_ssize_t>(k), item);
  }
  return out;
}

/// The batch closures (ancestors / descendants): an int or an index array in, numpy out.
py::array_t<index_t> batch_closure(
    const framework& f, const py::object& roots, const py::object& s,
    std::vector<index_t> (framework::*query)(const std::vector<index_t>&, strength_set) const) {
  const std::vector<index_t> r = index_vector(f, roots, "indices");
  const strength_set filter = parse_filter(s);
  std::vector<index_t> out;
  {
    py::gil_scoped_release release;
    out = (f.*query)(r, filter);
  }
  return move_numpy(std::move(out));
}

std::string competency_repr(const competency& c) {
  std::string r = "Competency(id=" + py::repr(py::str(c.id)).cast<std::string>();
  if (!c.title.empty()) r += ", title=" + py::repr(py::str(c.title)).cast<std::string>();
  if (!c.domain.empty()) r += ", domain=" + py::repr(py::str(c.domain)).cast<std::string>();
  if (c.level) r += ", level=" + std::to_string(*c.level);
  if (c.kind != competency_kind::academic) r += ", kind='disposition'";
  return r + ")";
}

// A pickled Competency: its fields.
py::tuple competency_state(const competency& c) {
  return py::make_tuple(c.id, c.title, c.description, c.domain, c.level, to_string(c.kind), c.tags,
                        c.metadata);
}

competency competency_from_state(const py::tuple& t) {
  if (t.size() != 8) throw py::value_error("not the state of a pickled Competency");
  competency c;
  c.id = t[0].cast<std::string>();
  c.title = t[1].cast<std::string>();
  c.description = t[2].cast<std::string>();
  c.domain = t[3].cast<std::string>();
  c.level = t[4].cast<std::optional<int>>();
  c.kind = parse_competency_kind(t[5].cast<std::string>());
  c.tags = t[6].cast<std::vector<std::string>>();
  c.metadata = t[7].cast<std::map<std::string, std::string>>();
  return c;
}

std::string association_repr(const association& a) {
  return "Association(" + py::repr(py::str(a.type)).cast<std::string>() + ", " +
         py::repr(py::str(a.origin)).cast<std::string>() + ", " +
         py::repr(py::str(a.destination)).cast<std::string>() + ")";
}

py::tuple association_state(const association& a) {
  return py::make_tuple(a.type, a.origin, a.destination, a.metadata);
}

association association_from_state(const py::tuple& t) {
  if (t.size() != 4) throw py::value_error("not the state of a pickled Association");
  return {t[0].cast<std::string>(), t[1].cast<std::string>(), t[2].cast<std::string>(),
          t[3].cast<std::map<std::string, std::string>>()};
}

}  // namespace

build_options make_options(bool drop_cycle_edges, bool drop_duplicate_edges) {
  build_options o;
  o.drop_cycle_edges = drop_cycle_edges;
  o.drop_duplicate_edges = drop_duplicate_edges;
  return o;
}

// Hash of what operator== compares (a part of it: equal frameworks hash equal), computed from
// the fields rather than the JSON text, which also lists dropped edges.
std::size_t framework_hash(const framework& f) {
  std::size_t h = std::hash<std::string>{}(f.name());
  const auto mix = [&h](std::size_t x) { h ^= x + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2); };
  for (const auto& c : f.competencies()) mix(std::hash<std::string>{}(c.id));
  for (const auto& e : f.edges())
    mix((std::size_t{e.prerequisite} << 32) ^ (std::size_t{e.dependent} << 2) ^
        static_cast<std::size_t>(e.strength));
  for (const auto& [p, c] : f.hierarchy()) mix((std::size_t{p} << 32) ^ c);
  return h;
}

void bind_framework(py::module_& m) {
  py::class_<competency> competency_cls(m, "Competency", R"pbdoc(
A competency (learning target, standard, skill) of a framework. Read-only once built.

:ivar id: stable id, e.g. ``"4.NF.B.3"``
:ivar title: short title
:ivar description: longer text
:ivar domain: domain or strand, e.g. ``"NF"``
:ivar level: grade or learning-map level, or ``None``
:ivar kind: ``"academic"`` or ``"disposition"``
:ivar tags: list of tags
:ivar metadata: dict of free-form string fields

Immutable: compares by value, hashes, copies and pickles.
)pbdoc");
  competency_cls.def_readonly("id", &competency::id)
      .def_readonly("title", &competency::title)
      .def_readonly("description", &competency::description)
      .def_readonly("domain", &competency::domain)
      .def_readonly("level", &competency::level)
      .def_property_readonly("kind", [](const competency& c) { return to_string(c.kind); })
      .def_readonly("tags", &competency::tags)
      .def_readonly("metadata", &competency::metadata)
      .def("__repr__", &competency_repr);
  def_equality(competency_cls);
  def_copy(competency_cls);
  competency_cls.def(py::pickle(&competency_state, &competency_from_state))
      .def("__hash__", [](const competency& c) { return frozen_hash(competency_state(c)); });

  py::class_<association> association_cls(m, "Association", R"pbdoc(
A typed link kept with a framework that is neither a prerequisite nor a hierarchy link: a CASE
association such as ``"isRelatedTo"``, ``"exactMatchOf"``, ``"replacedBy"`` or an ``"ext:"``
type. An end is a competency id of the framework or a node outside it (a URI). Associations
never gate and never order learning; the formats (:mod:`masterymap.io`) keep them so nothing is
lost.

:ivar type: the association type (never empty)
:ivar origin: competency id or outside node
:ivar destination: competency id or outside node
:ivar metadata: dict of free-form string fields (e.g. ``"case:identifier"``)

Immutable: compares by value, hashes, copies and pickles.
)pbdoc");
  association_cls
      .def(py::init([](std::string type, std::string origin, std::string destination,
                       std::optional<std::map<std::string, std::string>> metadata) {
             return association{
                 std::move(type), std::move(origin), std::move(destination),
                 metadata ? std::move(*metadata) : std::map<std::string, std::string>{}};
           }),
           py::arg("type"), py::arg("origin"), py::arg("destination"), py::kw_only(),
           py::arg("metadata") = py::none(), "An association (checked when a framework is built).")
      .def_readonly("type", &association::type)
      .def_readonly("origin", &association::origin)
      .def_readonly("destination", &association::destination)
      .def_readonly("metadata", &association::metadata)
      .def("__repr__", &association_repr);
  def_equality(association_cls);
  def_copy(association_cls);
  association_cls.def(py::pickle(&association_state, &association_from_state))
      .def("__hash__", [](const association& a) { return frozen_hash(association_state(a)); });

  py::class_<framework> framework_cls(m, "Framework", py::dynamic_attr(), R"pbdoc(
An immutable, validated competency framework: competencies with dense indices ``0..len-1``
(insertion order), a hierarchy and a typed, acyclic prerequisite graph.

Per-call methods take and return ids; the batch methods (:meth:`ancestors`,
:meth:`descendants`, :meth:`edge_arrays`, ...) take and return numpy index arrays; translate
with :meth:`index_of` and :meth:`ids_of`. Safe to share between threads.

Immutable: compares by value (name, competencies, hierarchy, prerequisites, metadata,
associations), hashes, copies
(sharing its frozen data) and pickles (as its JSON, dropped edges included).
)pbdoc");
  framework_cls.def(py::init<>(), "An empty framework.")
      .def_property_readonly("name", &framework::name, "The framework's name.")
      .def("__len__", &framework::size)
      .def_property_readonly("edge_count", &framework::edge_count, "Number of prerequisite edges.")
      .def("__contains__", [](const framework& f, const std::string& id) { return f.contains(id); })
      .def(
          "__iter__",
          [](const framework& f) {
            return py::iter(py::cast(ids_of(f, [&] {
              std::vector<index_t> all(f.size());
              for (index_t i = 0; i < f.size(); ++i) all[i] = i;
              return all;
            }())));
          },
          "Iterates over the competency ids in index order.")
      .def(
          "__getitem__",
          [](const framework& f, const py::object& key) { return f.at(resolve(f, key, "key")); },
          py::arg("key"), "The :class:`Competency` with this id (or index).")
      .def("__repr__",
           [](const framework& f) {
             return "<Framework " + py::repr(py::str(f.name())).cast<std::string>() + ": " +
                    std::to_string(f.size()) + " competencies, " + std::to_string(f.edge_count()) +
                    " prerequisites>";
           })
      .def(py::pickle([](const framework& f) { return f.to_json(-1); },
                      [](const std::string& s) { return framework::from_json(s); }))
      .def("__hash__", [](const framework& f) { return framework_hash(f); })
      .def("__copy__", [](const framework& f) { return f; })
      .def(
          "__deepcopy__", [](const framework& f, const py::dict&) { return f; }, py::arg("memo"))
      .def(
          "__eq__", [](const framework& a, const framework& b) { return a == b; },
          py::is_operator())
      .def(
          "__ne__", [](const framework& a, const framework& b) { return !(a == b); },
          py::is_operator())
      .def(
          "index_of",
          [](const framework& f, const py::object& ids) -> py::object {
            if (py::isinstance<py::str>(ids)) return py::int_(f.index_of(ids.cast<std::string>()));
            const auto v = cast_arg<std::vector<std::string>>(ids, "ids", "an id or a list of ids");
            std::vector<index_t> out(v.size());
            {
              py::gil_scoped_release release;
              for (std::size_t k = 0; k < v.size(); ++k) out[k] = f.index_of(v[k]);
            }
            return move_numpy(std::move(out));
          },
          py::arg("ids"), R"pbdoc(
The dense index of an id, or a ``uint32`` numpy array for a sequence of ids.

:raises UnknownIdError: on an unknown id
)pbdoc")
      .def(
          "ids_of",
          [](const py::object& self, const py::object& a) {
            const auto& f = self.cast<const framework&>();
            return ids_list(self, index_vector(f, a, "indices"));
          },
          py::arg("indices"), "The ids of a sequence (or numpy array) of indices, as a list.")
      .def("id_of", &framework::id_of, py::arg("index"), "The id at ``index``.")
      .def(
          "prerequisites",
          [](const py::object& self, const py::object& id, bool transitive, const py::object& s) {
            const auto& f = self.cast<const framework&>();
            return ids_list(self, f.prerequisites(resolve(f, id), transitive, parse_filter(s)));
          },
          py::arg("id"), py::arg("transitive") = false, py::arg("strength") = py::none(), R"pbdoc(
The direct prerequisites of ``id`` (in insertion order), or with ``transitive`` all of them
(in learning order).

:param strength: follow only edges of this strength or these strengths (default: all)
:raises UnknownIdError:
)pbdoc")
      .def(
          "dependents",
          [](const py::object& self, const py::object& id, bool transitive, const py::object& s) {
            const auto& f = self.cast<const framework&>();
            return ids_list(self, f.dependents(resolve(f, id), transitive, parse_filter(s)));
          },
          py::arg("id"), py::arg("transitive") = false, py::arg("strength") = py::none(),
          "The direct (or transitive) dependents of ``id``; see :meth:`prerequisites`.")
      .def(
          "ancestors",
          [](const framework& f, const py::object& roots, const py::object& s) {
            return batch_closure(f, roots, s, &framework::ancestors);
          },
          py::arg("indices"), py::arg("strength") = py::none(), R"pbdoc(
Batch form of ``prerequisites(..., transitive=True)``: the union of the transitive
prerequisites of every index (an int or an array of indices), as a ``uint32`` array in
topological (learning) order.
)pbdoc")
      .def(
          "descendants",
          [](const framework& f, const py::object& roots, const py::object& s) {
            return batch_closure(f, roots, s, &framework::descendants);
          },
          py::arg("indices"), py::arg("strength") = py::none(),
          "Batch form of ``dependents(..., transitive=True)``; see :meth:`ancestors`.")
      .def(
          "topological_order",
          [](const framework& f, bool as_indices) -> py::object {
            if (as_indices) return move_numpy(std::vector<index_t>(f.topological_order()));
            return py::cast(ids_of(f, f.topological_order()));
          },
          py::kw_only(), py::arg("as_indices") = false, R"pbdoc(
A deterministic learning order: among ready competencies the earliest inserted comes first.

:param as_indices: return a ``uint32`` numpy array instead of ids
)pbdoc")
      .def(
          "depths",
          [](const framework& f) { return move_numpy(std::vector<std::uint32_t>(f.depths())); },
          "Per index, the number of edges of the longest prerequisite chain ending there.")
      .def(
          "depth",
          [](const framework& f, const py::object& id) { return f.depths()[resolve(f, id)]; },
          py::arg("id"),
          "The length (in edges) of the longest prerequisite chain ending at ``id``.")
      .def(
          "longest_chain", [](const framework& f) { return ids_of(f, f.longest_chain()); },
          "The longest prerequisite chain, first prerequisite first.")
      .def(
          "redundant_prerequisites",
          [](const py::object& self, const py::object& s, const py::object& progress) {
            const auto& f = self.cast<const framework&>();
            const strength_set filter = parse_filter(s);
            const auto hook = python_progress(progress);
            std::vector<prerequisite_edge> red;
            {
              py::gil_scoped_release release;
              red = f.redundant_prerequisites(filter, hook);
            }
            std::vector<index_t> dep, pre;
            for (const auto& e : red) {
              dep.push_back(e.dependent);
              pre.push_back(e.prerequisite);
            }
            const py::list d = ids_list(self, dep), p = ids_list(self, pre);
            py::list out(red.size());
            for (std::size_t k = 0; k < red.size(); ++k) out[k] = py::make_tuple(d[k], p[k]);
            return out;
          },
          py::arg("strength") = py::none(), py::kw_only(), py::arg("progress") = py::none(),
          R"pbdoc(
Prerequisite edges implied by a longer path (a curriculum lint), as ``(dependent, prerequisite)``
id pairs in insertion order. Only a path whose every link is at least as strong implies an edge
(required > familiar > recommended): a path through a recommended link never implies a required
or familiar edge (recommended never gates). ``progress(done, total)``: competencies visited
(once per strength tier and block of columns); raising from it, or Ctrl-C, cancels.
)pbdoc")
      .def(
          "edges",
          [](const framework& f) {
            py::list out;
            for (const auto& e : f.edges()) {
              py::dict d;
              d["prerequisite"] = f.id_of(e.prerequisite);
              d["dependent"] = f.id_of(e.dependent);
              d["strength"] = to_string(e.strength);
              d["min_level"] = e.min_level ? py::cast(*e.min_level) : py::none();
              out.append(d);
            }
            return out;
          },
          R"pbdoc(
The prerequisite edges in insertion order, as dicts: ``prerequisite`` and ``dependent`` (ids;
the dependent requires the prerequisite), ``strength`` (``"required"``, ``"familiar"`` or
``"recommended"``) and ``min_level`` (float or ``None``).
)pbdoc")
      .def(
          "edge_arrays",
          [](const framework& f) {
            const auto& es = f.edges();
            std::vector<index_t> pre(es.size()), dep(es.size());
            std::vector<std::uint8_t> str(es.size());
            std::vector<double> lvl(es.size());
            for (std::size_t k = 0; k < es.size(); ++k) {
              pre[k] = es[k].prerequisite;
              dep[k] = es[k].dependent;
              str[k] = static_cast<std::uint8_t>(es[k].strength);
              lvl[k] =
                  es[k].min_level ? *es[k].min_level : std::numeric_limits<double>::quiet_NaN();
            }
            py::dict d;
            d["prerequisite"] = move_numpy(std::move(pre));
            d["dependent"] = move_numpy(std::move(dep));
            d["strength"] = move_numpy(std::move(str));
            d["min_level"] = move_numpy(std::move(lvl));
            return d;
          },
          R"pbdoc(
The edges as numpy arrays of one length E: ``prerequisite`` and ``dependent`` (``uint32``
framework indices), ``strength``
(``uint8``: 0 required, 1 familiar, 2 recommended) and ``min_level`` (``float64``, NaN = none).
)pbdoc")
      .def(
          "children",
          [](const framework& f, const py::object& id) {
            return ids_of(f, f.children(resolve(f, id)));
          },
          py::arg("id"), "The hierarchy children of ``id``.")
      .def(
          "parents",
          [](const framework& f, const py::object& id) {
            return ids_of(f, f.parents(resolve(f, id)));
          },
          py::arg("id"), "The hierarchy parents of ``id``.")
      .def(
          "hierarchy",
          [](const framework& f) {
            std::vector<std::pair<std::string, std::string>> out;
            for (const auto& [p, c] : f.hierarchy()) out.emplace_back(f.id_of(p), f.id_of(c));
            return out;
          },
          "The hierarchy links as ``(parent, child)`` pairs.")
      .def("domains", &framework::domains, "Distinct domains in order of first appearance.")
      .def(
          "competencies_in",
          [](const framework& f, const std::string& domain, std::optional<int> level) {
            return ids_of(f, f.competencies_in(domain, level));
          },
          py::arg("domain"), py::arg("level") = py::none(),
          "The ids of a domain's competencies (optionally of one level).")
      .def(
          "subgraph",
          [](const framework& f, const py::object& ids) {
            if (!py::isinstance<py::iterable>(ids) || py::isinstance<py::str>(ids) ||
                PyBytes_Check(ids.ptr()) || PyByteArray_Check(ids.ptr()))
              throw argument_error("ids", "a list of competency ids or indices", ids);
            std::vector<index_t> keep;
            for (auto item : ids)
              keep.push_back(resolve(f, item, "ids[" + std::to_string(keep.size()) + "]"));
            py::gil_scoped_release release;
            return f.subgraph(keep);
          },
          py::arg("ids"), R"pbdoc(
The framework restricted to ``ids`` (and the edges and links among them), e.g. a goal and its
ancestors: ``fw.subgraph(fw.prerequisites(goal, transitive=True) + [goal])``.
)pbdoc")
      .def_property_readonly(
          "dropped_edges",
          [](const framework& f) {
            py::list out;
            for (const auto& d : f.dropped_edges()) {
              py::dict x;
              x["prerequisite"] = d.prerequisite;
              x["dependent"] = d.dependent;
              x["reason"] = d.reason;
              out.append(x);
            }
            return out;
          },
          "Edges dropped by ``build(drop_cycle_edges=True)``: dicts of ``prerequisite``, "
          "``dependent`` (ids) and ``reason``.")
      .def_property_readonly(
          "metadata", [](const framework& f) { return f.metadata(); },
          "The framework's own metadata (a dict copy), e.g. the CASE document it came from.")
      .def_property_readonly(
          "associations", [](const framework& f) { return f.associations(); },
          "The kept :class:`Association` list (a copy), in insertion order.")
      .def("to_json", &framework::to_json, py::arg("indent") = 2,
           "The versioned native JSON text (round-trips exactly); ``indent=-1`` for compact.")
      .def_static(
          "from_json",
          [](const std::string& text, bool drop_cycle_edges, bool drop_duplicate_edges) {
            py::gil_scoped_release release;
            return framework::from_json(text, make_options(drop_cycle_edges, drop_duplicate_edges));
          },
          py::arg("text"), py::kw_only(), py::arg("drop_cycle_edges") = false,
          py::arg("drop_duplicate_edges") = false, R"pbdoc(
Reads the native JSON.

:raises ParseError: with ``.line``/``.column`` for malformed JSON, or the JSON path of a bad field
:raises ValidationError: for an invalid graph
)pbdoc")
      .def_static(
          "read_json",
          [](const py::object& path, bool drop_cycle_edges, bool drop_duplicate_edges) {
            const std::string p = fs_path(path);
            py::gil_scoped_release release;
            return framework::from_json(io::read_text_file(p, "framework file"),
                                        make_options(drop_cycle_edges, drop_duplicate_edges));
          },
          py::arg("path"), py::kw_only(), py::arg("drop_cycle_edges") = false,
          py::arg("drop_duplicate_edges") = false, R"pbdoc(
Reads a native JSON file (``str`` or path-like; see :meth:`from_json`).

:raises MissingFileError: the file does not exist (``.filename`` holds the path)
:raises FileError: it cannot be read
:raises ParseError: malformed JSON or a bad field
:raises ValidationError: an invalid graph
)pbdoc")
      .def(
          "write_json",
          [](const framework& f, const py::object& path, int indent) {
            const std::string p = fs_path(path);
            py::gil_scoped_release release;
            io::write_text_file(p, f.to_json(indent));
          },
          py::arg("path"), py::arg("indent") = 2, R"pbdoc(
Writes :meth:`to_json` text to ``path`` (``str`` or path-like), replacing the file.

:raises FileError: the file cannot be written
)pbdoc")
      .def(
          "to_networkx",
          [](const py::object& self) {
            return call_python("masterymap._frames", "framework_graph", self);
          },
          R"pbdoc(
The prerequisite graph as a ``networkx.DiGraph`` (needs networkx).

Edges point from prerequisite to dependent and carry ``strength`` (and ``min_level`` when
set); nodes carry the competency fields (title, description, domain, level, kind, tags,
metadata). The hierarchy is the graph attribute ``hierarchy``: ``(parent, child)`` pairs.
)pbdoc")
      .def(
          "edges_frame",
          [](const py::object& self) {
            return call_python("masterymap._frames", "edges_frame", self);
          },
          R"pbdoc(
The prerequisite edges as a pandas DataFrame with columns ``prerequisite``, ``dependent``,
``strength``, ``min_level`` (one row per edge, as :meth:`edges`).
)pbdoc")
      .def(
          "competencies_frame",
          [](const py::object& self) {
            return call_python("masterymap._frames", "competencies_frame", self);
          },
          R"pbdoc(
The competencies as a pandas DataFrame, one row per competency in index order: ``id``,
``title``, ``description``, ``domain``, ``level``, ``kind``, ``depth``.
)pbdoc")
      .def("to_dot", &io::to_dot, "Graphviz DOT text (dashed = familiar, dotted = recommended).");
}

}  // namespace masterymap::python
