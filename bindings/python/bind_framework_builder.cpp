// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// FrameworkBuilder (src/framework_builder.cpp): competencies, hierarchy, prerequisites,
// associations and metadata in, a checked Framework out.
#include <pybind11/stl.h>

#include <masterymap/framework.hpp>

#include "bindings.hpp"
#include "pickle_py.hpp"
#include "progress_py.hpp"

namespace masterymap::python {

void bind_framework_builder(py::module_& m) {
  py::class_<framework_builder> builder_cls(m, "FrameworkBuilder", R"pbdoc(
Collects competencies, hierarchy links and prerequisites; :meth:`build` validates them all at
once and returns an immutable :class:`Framework`.

Nothing is checked while adding, so input can arrive in any order. Compares by what was added,
copies and pickles (as unchecked framework JSON); unhashable (it grows).

>>> b = FrameworkBuilder("Fractions")
>>> b.add_competency("3.NF.A.1", title="Unit fractions", domain="NF", level=3)  # doctest: +ELLIPSIS
<...>
)pbdoc");
  builder_cls
      .def(py::init<std::string>(), py::arg("name") = "",
           "Starts an empty framework called ``name``.")
      .def(
          "add_competency",
          [](framework_builder& b, std::string id, std::string title, std::string description,
             std::string domain, std::optional<int> level, const std::string& kind,
             std::vector<std::string> tags,
             std::optional<std::map<std::string, std::string>> metadata) -> framework_builder& {
            competency c;
            c.id = std::move(id);
            c.title = std::move(title);
            c.description = std::move(description);
            c.domain = std::move(domain);
            c.level = level;
            c.kind = parse_competency_kind(kind);
            c.tags = std::move(tags);
            if (metadata) c.metadata = std::move(*metadata);
            return b.add_competency(std::move(c));
          },
          py::arg("id"), py::kw_only(), py::arg("title") = "", py::arg("description") = "",
          py::arg("domain") = "", py::arg("level") = py::none(), py::arg("kind") = "academic",
          py::arg("tags") = std::vector<std::string>{}, py::arg("metadata") = py::none(),
          py::return_value_policy::reference_internal, R"pbdoc(
Adds a competency. Duplicate ids are reported by :meth:`build`.

:param id: stable id
:param kind: ``"academic"`` (default) or ``"disposition"``
:returns: this builder, for chaining
:raises ValueError: on an unknown ``kind``
)pbdoc")
      .def("add_child", &framework_builder::add_child, py::arg("parent"), py::arg("child"),
           py::return_value_policy::reference_internal, R"pbdoc(
Makes ``child`` a child of ``parent`` in the hierarchy (a child may have several parents).

:returns: this builder
)pbdoc")
      .def(
          "add_prerequisite",
          [](framework_builder& b, std::string dependent, std::string prerequisite,
             const std::string& s, std::optional<double> min_level) -> framework_builder& {
            return b.add_prerequisite(std::move(dependent), std::move(prerequisite),
                                      parse_strength(s), min_level);
          },
          py::arg("dependent"), py::arg("prerequisite"), py::arg("strength") = "required",
          py::arg("min_level") = py::none(), py::return_value_policy::reference_internal,
          R"pbdoc(
Says that ``dependent`` requires ``prerequisite``: ``add_prerequisite("4.NF.B.3",
prerequisite="3.NF.A.1")``.

:param strength: ``"required"`` (must be mastered), ``"familiar"`` (a lower level is enough) or
    ``"recommended"`` (orders, never gates)
:param min_level: explicit minimum level of the prerequisite on the policy's scale
:returns: this builder
:raises ValueError: on an unknown strength
)pbdoc")
      .def(
          "add_competencies",
          [](framework_builder& b, const std::vector<std::string>& ids,
             const std::optional<std::vector<std::string>>& titles,
             const std::optional<std::vector<std::string>>& domains,
             const std::optional<std::vector<std::optional<int>>>& levels) -> framework_builder& {
            const std::size_t n = ids.size();
            if ((titles && titles->size() != n) || (domains && domains->size() != n) ||
                (levels && levels->size() != n))
              throw std::invalid_argument(
                  "add_competencies: all columns must have the same length");
            py::gil_scoped_release release;
            for (std::size_t k = 0; k < n; ++k)
              b.add_competency(ids[k], titles ? (*titles)[k] : std::string(),
                               domains ? (*domains)[k] : std::string(),
                               levels ? (*levels)[k] : std::nullopt);
            return b;
          },
          py::arg("ids"), py::kw_only(), py::arg("titles") = py::none(),
          py::arg("domains") = py::none(), py::arg("levels") = py::none(),
          py::return_value_policy::reference_internal, R"pbdoc(
Batch form of :meth:`add_competency`: equal-length sequences (lists, numpy arrays, pandas
columns) of ids and, optionally, titles, domains and levels.

:returns: this builder
:raises ValueError: if the lengths differ
)pbdoc")
      .def(
          "add_prerequisites",
          [](framework_builder& b, const std::vector<std::string>& dependents,
             const std::vector<std::string>& prerequisites,
             const py::object& s) -> framework_builder& {
            const std::size_t n = dependents.size();
            if (prerequisites.size() != n)
              throw std::invalid_argument(
                  "add_prerequisites: dependents and prerequisites differ in length");
            std::vector<strength> str;
            if (py::isinstance<py::str>(s)) {
              str.assign(n, parse_strength(s.cast<std::string>()));
            } else {
              if (!py::isinstance<py::iterable>(s))
                throw argument_error("strength", "a strength name or a list of them", s);
              for (auto item : s)
                str.push_back(parse_strength(
                    cast_arg<std::string>(item, "strength[" + std::to_string(str.size()) + "]",
                                          "a strength name (str)")));
              if (str.size() != n)
                throw std::invalid_argument("add_prerequisites: strength differs in length");
            }
            py::gil_scoped_release release;
            for (std::size_t k = 0; k < n; ++k)
              b.add_prerequisite(dependents[k], prerequisites[k], str[k]);
            return b;
          },
          py::arg("dependents"), py::arg("prerequisites"), py::arg("strength") = "required",
          py::return_value_policy::reference_internal, R"pbdoc(
Batch form of :meth:`add_prerequisite`: ``dependents[k]`` requires ``prerequisites[k]``.

:param strength: one strength for all, or a sequence of the same length
:returns: this builder
:raises ValueError: if the lengths differ or a strength is unknown
)pbdoc")
      .def("set_metadata", &framework_builder::set_metadata, py::arg("key"), py::arg("value"),
           py::return_value_policy::reference_internal,
           "Sets one entry of the framework's own metadata; returns this builder.")
      .def(
          "add_association",
          [](framework_builder& b, std::string type, std::string origin, std::string destination,
             std::optional<std::map<std::string, std::string>> metadata) -> framework_builder& {
            return b.add_association(
                {std::move(type), std::move(origin), std::move(destination),
                 metadata ? std::move(*metadata) : std::map<std::string, std::string>{}});
          },
          py::arg("type"), py::arg("origin"), py::arg("destination"), py::kw_only(),
          py::arg("metadata") = py::none(), py::return_value_policy::reference_internal, R"pbdoc(
Keeps an :class:`Association` (never a prerequisite). Its ends need not be competencies.

:returns: this builder
)pbdoc")
      .def_property_readonly("name", &framework_builder::name, "The framework's name.")
      .def("__len__", &framework_builder::competency_count, "Number of competencies added.")
      .def(
          "build",
          [](const framework_builder& b, bool drop_cycle_edges, bool drop_duplicate_edges,
             const py::object& progress) {
            const auto hook = python_progress(progress);
            py::gil_scoped_release release;
            return b.build(make_options(drop_cycle_edges, drop_duplicate_edges), hook);
          },
          py::kw_only(), py::arg("drop_cycle_edges") = false,
          py::arg("drop_duplicate_edges") = false, py::arg("progress") = py::none(),
          R"pbdoc(
Validates everything at once and freezes. The builder is unchanged and can be built again.

:param drop_cycle_edges: drop self-loops and the edges closing prerequisite cycles instead of
    failing; they are listed in :attr:`Framework.dropped_edges`
:param drop_duplicate_edges: keep the first of repeated links instead of failing
:param progress: ``progress(done, total)``: competencies + links + prerequisites, counted twice
    (resolved, then frozen); raising from it, or Ctrl-C, cancels (the builder is unchanged)
:returns: the immutable :class:`Framework`
:raises CycleError: when the only problems are cycles (``.cycle`` is the first, in order)
:raises ValidationError: listing every problem in ``.problems`` (duplicate ids, unknown ids,
    self-loops, duplicate edges, cycles)
)pbdoc")
      .def("__repr__", [](const framework_builder& b) {
        return "FrameworkBuilder(" + py::repr(py::str(b.name())).cast<std::string>() + ", " +
               std::to_string(b.competency_count()) + " competencies)";
      });
  def_equality(builder_cls);
  def_copy(builder_cls);
  builder_cls.def(py::pickle([](const framework_builder& b) { return b.to_json(-1); },
                             [](const std::string& s) { return framework_builder::from_json(s); }));
}

}  // namespace masterymap::python
