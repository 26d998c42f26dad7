// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
#include <pybind11/stl.h>

#include <masterymap/io/case.hpp>
#include <masterymap/io/file.hpp>

#include "bindings.hpp"

namespace masterymap::python {

namespace {

io::case_options case_options_of(const std::string& id, const std::string& precedes_strength,
                                 const std::string& domain_item_type,
                                 const std::map<std::string, int>& education_levels,
                                 bool drop_cycle_edges, bool drop_duplicate_edges) {
  io::case_options o;
  if (id == "humanCodingScheme")
    o.id = io::case_id::human_coding_scheme;
  else if (id == "identifier")
    o.id = io::case_id::identifier;
  else if (id == "uri")
    o.id = io::case_id::uri;
  else
    throw py::value_error("id: expected 'humanCodingScheme', 'identifier' or 'uri', got '" + id +
                          "'");
  o.precedes_strength = parse_strength(precedes_strength);
  o.domain_item_type = domain_item_type;
  o.education_levels = education_levels;
  o.build.drop_cycle_edges = drop_cycle_edges;
  o.build.drop_duplicate_edges = drop_duplicate_edges;
  return o;
}

constexpr const char* options_doc = R"pbdoc(
:param id: the CFItem field that becomes the competency id: ``"humanCodingScheme"`` (default;
    an item with an empty or repeated code takes its identifier, and a note says so),
    ``"identifier"`` or ``"uri"``
:param precedes_strength: strength of a ``precedes`` association (``"recommended"``: CASE does
    not say precedes gates mastery; ``"required"`` to make it gate)
:param domain_item_type: the CFItemType naming a domain (the nearest ancestor-or-self of that
    type names the competency's domain; else the top-level item does)
:param education_levels: extra ``educationLevel`` codes and their levels (CEDS codes PK, KG and
    01..13 are known)
:param drop_cycle_edges: drop and report the edges closing precedes cycles instead of failing
:param drop_duplicate_edges: keep the first of repeated links
:returns: ``(framework, notes)``: notes are the choices the import made (id fallbacks, precedes
    to outside nodes, unknown grade codes)
:raises ParseError: malformed JSON (line and column) or a field of the wrong type (its JSON path)
:raises ValidationError: every problem at once: duplicate identifiers, isChildOf ends outside
    the package, cycles
)pbdoc";

}  // namespace

void bind_case(py::module_& m) {
  py::module_ io = m.attr("io");
  // Docstrings must outlive the module's functions.
  static const std::string parse_doc =
      std::string("Reads a CASE 1.0 or 1.1 package from JSON text.\n") + options_doc;
  static const std::string read_doc =
      std::string("Reads a CASE 1.0 or 1.1 package file.\n") + options_doc;
  io.def(
      "parse_case",
      [](const std::string& text, const std::string& id, const std::string& precedes_strength,
         const std::string& domain_item_type, const std::map<std::string, int>& education_levels,
         bool drop_cycle_edges, bool drop_duplicate_edges) {
        const auto o = case_options_of(id, precedes_strength, domain_item_type, education_levels,
                                       drop_cycle_edges, drop_duplicate_edges);
        std::vector<std::string> notes;
        py::gil_scoped_release release;
        framework f = io::parse_case(text, o, &notes);
        return std::make_pair(std::move(f), std::move(notes));
      },
      py::arg("text"), py::kw_only(), py::arg("id") = "humanCodingScheme",
      py::arg("precedes_strength") = "recommended", py::arg("domain_item_type") = "Domain",
      py::arg("education_levels") = std::map<std::string, int>{},
      py::arg("drop_cycle_edges") = false, py::arg("drop_duplicate_edges") = false,
      parse_doc.c_str());
  io.def(
      "read_case_file",
      [](const py::object& path, const std::string& id, const std::string& precedes_strength,
         const std::string& domain_item_type, const std::map<std::string, int>& education_levels,
         bool drop_cycle_edges, bool drop_duplicate_edges) {
        const std::string p = fs_path(path, "path");
        const auto o = case_options_of(id, precedes_strength, domain_item_type, education_levels,
                                       drop_cycle_edges, drop_duplicate_edges);
        std::vector<std::string> notes;
        py::gil_scoped_release release;
        framework f = io::read_case(p, o, &notes);
        return std::make_pair(std::move(f), std::move(notes));
      },
      py::arg("path"), py::kw_only(), py::arg("id") = "humanCodingScheme",
      py::arg("precedes_strength") = "recommended", py::arg("domain_item_type") = "Domain",
      py::arg("education_levels") = std::map<std::string, int>{},
      py::arg("drop_cycle_edges") = false, py::arg("drop_duplicate_edges") = false,
      read_doc.c_str());
  io.def(
      "write_case",
      [](const framework& f, const py::object& path, bool strict, const std::string& base_uri,
         const std::string& last_change_date_time, const std::string& creator) {
        io::case_write_options o;
        o.strict = strict;
        o.base_uri = base_uri;
        o.last_change_date_time = last_change_date_time;
        o.creator = creator;
        const std::string p = path.is_none() ? std::string() : fs_path(path, "path");
        std::vector<std::string> normalisations;
        py::gil_scoped_release release;
        std::string text = io::write_case(f, o, &normalisations);
        if (!p.empty()) io::write_text_file(p, text);
        return std::make_pair(std::move(text), std::move(normalisations));
      },
      py::arg("framework"), py::arg("path") = py::none(), py::kw_only(), py::arg("strict") = false,
      py::arg("base_uri") = "urn:masterymap:case:", py::arg("last_change_date_time") = "",
      py::arg("creator") = "masterymap",
      R"pbdoc(
Writes a framework as a CASE package: ``(text, normalisations)``; to ``path`` (atomically)
too when given. ``strict=True`` writes CASE 1.1 that validates against the official schema and
lists each change made in ``normalisations``.

A framework read from CASE gives back its package (equal as canonical JSON when unchanged).
Other competencies, hierarchy links, prerequisites and associations become CFItems,
``isChildOf`` and ``precedes`` associations with name-based UUIDs (version 5) of the document
and the id, stable across exports; what CASE cannot say (domain, kind, exact level, metadata,
a prerequisite's strength) travels in ``extensions["masterymap"]`` and is read back.

:param base_uri: base of generated URIs (``<base><identifier>``)
:param last_change_date_time: ``lastChangeDateTime`` of generated nodes (default
    ``1970-01-01T00:00:00Z``, so the output depends on the framework only)
:param creator: the document's creator when the framework did not come from CASE
)pbdoc");
  io.def("case_rubric_scales", &io::case_rubric_scales, py::arg("framework"),
         py::arg("mastery_fraction") = 0.5, R"pbdoc(
The CFRubrics of a framework read from CASE as scales: ``{competency id: Scale}`` for each
competency a CFRubricCriterion judges (its ``CFItemURI``). Ratings are the criterion's levels
(label = ``quality``, else ``description``; value = ``score``, else ``position``); mastery is the
lowest level at least ``mastery_fraction`` of the way from the lowest value to the highest.

:raises ParseError: a criterion's levels without values, or with a repeated value
)pbdoc");
}

}  // namespace masterymap::python
