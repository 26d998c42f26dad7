// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
#include <pybind11/stl.h>

#include <masterymap/encoding.hpp>
#include <masterymap/io/csv.hpp>

#include "bindings.hpp"

namespace masterymap::python {

void bind_csv(py::module_& m) {
  auto io = m.def_submodule("io", "Readers and writers of files (CSV, JSON).");
  io.def(
      "read_framework_csv",
      [](const py::object& edges_path, const py::object& competencies_path, const std::string& name,
         const std::string& prerequisite_column, const std::string& dependent_column,
         const std::optional<std::string>& strength_column,
         const std::map<std::string, std::string>& strength_values,
         const std::string& default_strength, const std::string& id_column,
         const std::string& title_column, const std::string& description_column,
         const std::string& domain_column, const std::string& level_column,
         const std::map<std::string, int>& level_values,
         const std::vector<std::string>& metadata_columns, bool add_missing, bool drop_cycle_edges,
         bool drop_duplicate_edges, const std::string& encoding) {
        // Paths as str or os.PathLike (pathlib.Path), like every other reader.
        const std::string edges = fs_path(edges_path, "edges");
        const std::string competencies = competencies_path.is_none()
                                             ? std::string()
                                             : fs_path(competencies_path, "competencies");
        io::csv_framework_options o;
        o.name = name;
        o.prerequisite_column = prerequisite_column;
        o.dependent_column = dependent_column;
        o.strength_column = strength_column.value_or("");
        for (const auto& [k, v] : strength_values) o.strength_values[k] = parse_strength(v);
        o.default_strength = parse_strength(default_strength);
        o.id_column = id_column;
        o.title_column = title_column;
        o.description_column = description_column;
        o.domain_column = domain_column;
        o.level_column = level_column;
        o.level_values = level_values;
        o.metadata_columns = metadata_columns;
        o.add_missing = add_missing;
        o.build.drop_cycle_edges = drop_cycle_edges;
        o.build.drop_duplicate_edges = drop_duplicate_edges;
        o.encoding = parse_text_encoding(encoding);
        py::gil_scoped_release release;
        return io::read_framework_csv(edges, competencies, o);
      },
      py::arg("edges"), py::arg("competencies") = py::none(), py::kw_only(), py::arg("name") = "",
      py::arg("prerequisite_column") = "prerequisite", py::arg("dependent_column") = "dependent",
      py::arg("strength_column") = py::none(),
      py::arg("strength_values") = std::map<std::string, std::string>{},
      py::arg("default_strength") = "required", py::arg("id_column") = "id",
      py::arg("title_column") = "title", py::arg("description_column") = "description",
      py::arg("domain_column") = "domain", py::arg("level_column") = "level",
      py::arg("level_values") = std::map<std::string, int>{},
      py::arg("metadata_columns") = std::vector<std::string>{}, py::arg("add_missing") = false,
      py::arg("drop_cycle_edges") = false, py::arg("drop_duplicate_edges") = false,
      py::arg("encoding") = "utf-8",
      R"pbdoc(
Reads a framework from an edge-list CSV (one prerequisite per row) and, optionally, a
competency CSV (one competency per row). RFC 4180 quoting, CRLF or LF, an optional BOM; a
.csv.gz file is decompressed.

:param edges: path of the edge CSV (str or os.PathLike)
:param competencies: path of the competency CSV (str or os.PathLike); without it every id comes from the edges
:param prerequisite_column: edge column holding the prerequisite id (``prerequisite``)
:param dependent_column: edge column holding the dependent id, the competency that requires
    the prerequisite (``dependent``; the header ``competency`` of earlier versions is not read
    by default: pass ``dependent_column="competency"`` for such files)
:param strength_column: optional edge column of strengths
:param strength_values: map from that column's own values to strength names
:param level_values: map from non-numeric levels (e.g. ``"K"``) to numbers
:param add_missing: add ids found only in the edge file as bare competencies
:param drop_cycle_edges: drop and report self-loops and cycle-closing edges
:param drop_duplicate_edges: keep the first of repeated edges
:param encoding: ``"utf-8"`` (checked), ``"latin-1"`` or ``"cp1252"`` (transcoded)
:raises ParseError: with ``.row`` (0-based data row), ``.line`` and ``.column`` (1-based
    position in the file) for malformed CSV, invalid UTF-8 or a bad value
:raises CycleError: listing each cycle in order (see ``.problems``)
:raises ValidationError: for other graph problems
:raises MissingFileError: a file does not exist (``.filename`` holds its path)
:raises FileError: a file cannot be read
)pbdoc");
}

}  // namespace masterymap::python
