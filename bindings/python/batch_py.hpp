// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// An evidence batch handed over by masterymap._columns.evidence_batch, for every binding that
// appends one (EvidenceLog._append_columns, Roster._ingest_columns).
#ifndef MASTERYMAP_PYTHON_BATCH_PY_HPP
#define MASTERYMAP_PYTHON_BATCH_PY_HPP

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <cstddef>
#include <cstdint>
#include <masterymap/column.hpp>
#include <masterymap/evidence.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace masterymap::python {
namespace py = pybind11;

/// The columns of a batch of `n` rows, role -> (indices, names) or (indices, names, {name
/// index: reason}) for text (learner, competency, kind, source; reasons for ids that are not
/// ids), (values,) for numbers, (list of str,) for the timestamp texts ("" = none; checked by
/// the core), absent or None for an optional column. Indices may be any
/// integer dtype, used in place when uint32; negative ones (pandas' missing value) become a
/// trailing empty name, which the core rejects as a missing id. Keeps everything the batch
/// points to alive; not copyable (it points into itself).
class py_evidence_batch {
 public:
  /// \throws TypeError for malformed columns, ValueError for a column of another length.
  py_evidence_batch(std::size_t n, const py::dict& columns);
  py_evidence_batch(const py_evidence_batch&) = delete;
  py_evidence_batch& operator=(const py_evidence_batch&) = delete;
  [[nodiscard]] const evidence_columns& columns() const noexcept { return batch_; }

  struct holder {
    bool has_codes = false, has_values = false;
    py::array codes_array;  // keeps the caller's indices alive when used in place
    column<std::uint32_t> converted;
    const std::uint32_t* codes = nullptr;
    py::array_t<double, py::array::c_style | py::array::forcecast> values;
    std::vector<std::string> names, reasons;
    std::vector<std::string_view> name_views, reason_views;
  };

 private:
  holder learner_, competency_, time_, score_, kind_, weight_, source_;
  std::vector<std::string> stamps_;  // the timestamp texts, when the batch has them
  evidence_columns batch_;
};

/// The timestamp texts of a statements batch of `n` rows: None (none), or one str per row
/// ("" = none), held in `keep` (which must outlive the views returned).
/// \throws ValueError for another length, TypeError for an entry that is not a str.
inline std::vector<std::string_view> timestamp_column(const py::object& texts, std::size_t n,
                                                      std::vector<std::string>& keep) {
  if (texts.is_none()) return {};
  keep = texts.cast<std::vector<std::string>>();
  if (keep.size() != n)
    throw py::value_error("timestamps: " + std::to_string(keep.size()) + " texts for " +
                          std::to_string(n) + " rows");
  return {keep.begin(), keep.end()};
}

/// A statements_summary as the dict Python sees: rows, duplicates, retracted, rows_voided.
inline py::dict statements_dict(const statements_summary& s) {
  py::dict d;
  d["rows"] = s.rows;
  d["duplicates"] = s.duplicates;
  d["retracted"] = s.retracted;
  d["rows_voided"] = s.rows_voided;
  return d;
}

}  // namespace masterymap::python

#endif  // MASTERYMAP_PYTHON_BATCH_PY_HPP
