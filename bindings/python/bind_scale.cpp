// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <masterymap/scale.hpp>

#include "bindings.hpp"
#include "pickle_py.hpp"

namespace masterymap::python {

namespace {

// The state of a pickled Scale: (ratings as (label, value, cut), mastery, exceeds, continuous,
// name), the constructor's arguments.
py::tuple scale_state(const scale& s) {
  py::list ratings;
  for (const auto& r : s.ratings()) ratings.append(py::make_tuple(r.label, r.value, r.cut));
  std::optional<std::string> exceeds;
  if (s.exceeds_index()) exceeds = s.ratings()[*s.exceeds_index()].label;
  return py::make_tuple(ratings, s.mastery_label(), exceeds, s.continuous(), s.name());
}

scale scale_from_state(const py::tuple& t) {
  if (t.size() != 5) throw py::value_error("not the state of a pickled Scale");
  std::vector<rating> rs;
  for (auto r : t[0].cast<py::list>()) {
    const auto x = r.cast<py::tuple>();
    rs.emplace_back(x[0].cast<std::string>(), x[1].cast<double>(),
                    x[2].cast<std::optional<double>>());
  }
  return scale(std::move(rs), t[1].cast<std::string>(), t[2].cast<std::optional<std::string>>(),
               t[3].cast<bool>(), t[4].cast<std::string>());
}

}  // namespace

void bind_scale(py::module_& m) {
  py::class_<scale> cls(m, "Scale", R"pbdoc(
An ordered proficiency scale with one rating marked as mastery and, optionally, one as
"exceeds".

A score maps to the highest rating at or below it. Scores are compared with thresholds with a
small tolerance (``tolerance`` = 1e-6 * max(1, the highest rating value): 4e-06 on
:meth:`four_point`), because evidence scores are stored as 32-bit floats: a value at most the
tolerance below a rating reaches it (2.9999966 is mastery at 3 on a 0-4 scale; 2.99999 is
not), and ``LearnerState.explain`` notes when a value reached its rating only so ("value
2.9999967 counts as 3 (Proficient): within the scale's tolerance 4e-06 ...").

:param ratings: ``(label, value)`` or ``(label, value, cut)`` pairs, ascending by value; ``cut``
    is the smallest raw fraction (0..1) that maps to the rating (:meth:`from_fraction`).
:param mastery: the label of the mastery rating.
:param exceeds: the label of the "exceeds" rating (above mastery), or ``None``.
:param continuous: scores may take any value in the range (like :meth:`percent`).
:raises PolicyError: listing every problem (duplicate labels, values not ascending, ...).

Immutable: compares by value, hashes, copies and pickles.

>>> mm.Scale([("Attempted", 0.0), ("Familiar", 0.7), ("Proficient", 1.0)], mastery="Proficient")
)pbdoc");
  cls.def(py::init([](const py::object& ratings, const std::string& mastery,
                      std::optional<std::string> exceeds, bool continuous, std::string name) {
            const char* pair = "a (label, value) or (label, value, cut) tuple";
            if (!py::isinstance<py::sequence>(ratings) || py::isinstance<py::str>(ratings))
              throw argument_error("ratings", "a list of (label, value) tuples", ratings);
            std::vector<rating> rs;
            for (auto item : ratings) {
              const std::string at = "ratings[" + std::to_string(rs.size()) + "]";
              if (!py::isinstance<py::sequence>(item) || py::isinstance<py::str>(item))
                throw argument_error(at, pair, item);
              const auto t = py::reinterpret_borrow<py::sequence>(item);
              if (t.size() < 2 || t.size() > 3) throw argument_error(at, pair, item);
              rating r(cast_arg<std::string>(t[0], at + "[0]", "a label (str)"),
                       cast_arg<double>(t[1], at + "[1]", "a number"));
              if (t.size() == 3 && !t[2].is_none())
                r.cut = cast_arg<double>(t[2], at + "[2]", "None or a number in [0, 1]");
              rs.push_back(std::move(r));
            }
            return scale(std::move(rs), mastery, std::move(exceeds), continuous, std::move(name));
          }),
          py::arg("ratings"), py::arg("mastery"), py::arg("exceeds") = py::none(),
          py::arg("continuous") = false, py::arg("name") = "")
      .def_static("four_point", &scale::four_point,
                  "1 Beginning, 2 Developing, 3 Proficient, 4 Advanced; mastery Proficient, "
                  "exceeds Advanced.")
      .def_static("percent", &scale::percent, py::arg("threshold") = 80.0, R"pbdoc(
A continuous scale of fractions with mastery at ``threshold / 100``: scores are raw fractions
in [0, 1], so on ``percent(80)`` a score of 0.85 is mastery.

:raises PolicyError: unless 1 <= threshold <= 100 (``percent(0.8)`` is a fraction where a
    percent is expected: use ``percent(80)``)
)pbdoc")
      .def_static(
          "competent_scale", &scale::competent_scale,
          "Not Yet Competent 0 / Competent 1 / Beyond Competent 2 / Advanced 3; mastery Competent.")
      .def_static("letter", &scale::letter, "F 0, D 1, C 2, B 3, A 4; mastery C, exceeds A.")
      .def_property_readonly("name", &scale::name)
      .def_property_readonly(
          "ratings",
          [](const scale& s) {
            std::vector<std::pair<std::string, double>> out;
            for (const auto& r : s.ratings()) out.emplace_back(r.label, r.value);
            return out;
          },
          "The ``(label, value)`` pairs, ascending.")
      .def_property_readonly("labels",
                             [](const scale& s) {
                               std::vector<std::string> out;
                               for (const auto& r : s.ratings()) out.push_back(r.label);
                               return out;
                             })
      .def_property_readonly("mastery", &scale::mastery_label, "Label of the mastery rating.")
      .def_property_readonly("mastery_value", &scale::mastery_value)
      .def_property_readonly(
          "exceeds",
          [](const scale& s) -> std::optional<std::string> {
            if (!s.exceeds_index()) return std::nullopt;
            return s.ratings()[*s.exceeds_index()].label;
          },
          "Label of the exceeds rating, or ``None``.")
      .def_property_readonly("exceeds_value", &scale::exceeds_value)
      .def_property_readonly("continuous", &scale::continuous)
      .def_property_readonly(
          "score_range",
          [](const scale& s) { return std::make_pair(s.score_min(), s.score_max()); },
          "``(min, max)`` a score may take.")
      .def_property_readonly("tolerance", &scale::tolerance,
                             "Tolerance of every threshold comparison: 1e-6 * max(1, |highest "
                             "rating value|) (4e-06 on ``four_point``); a score at most this "
                             "much below a rating value reaches that rating.")
      .def("label_of", &scale::label_of, py::arg("score"),
           "Label of the highest rating at or below ``score`` (``None`` below the lowest).")
      .def("value_of", &scale::value_of, py::arg("label"),
           "Value of a rating label (``None`` if unknown).")
      .def("reaches_mastery", &scale::reaches_mastery, py::arg("score"))
      .def(
          "from_fraction",
          [](const scale& s, const py::object& x) -> py::object {
            if (py::isinstance<py::float_>(x) || py::isinstance<py::int_>(x))
              return py::float_(s.from_fraction(x.cast<double>()));
            auto a = py::array_t<double, py::array::c_style | py::array::forcecast>::ensure(x);
            if (!a) throw argument_error("fraction", "a number or an array of numbers", x);
            py::array_t<double> out(a.size());
            const double* in = a.data();
            double* o = out.mutable_data();
            for (py::ssize_t i = 0; i < a.size(); ++i) o[i] = s.from_fraction(in[i]);
            return std::move(out);
          },
          py::arg("fraction"), R"pbdoc(
Maps raw fractions in [0, 1] onto the scale (a number, or a numpy array elementwise): a
continuous scale scales them to its range; a discrete one takes the value of the highest rating
whose cut is at or below the fraction.

:raises ValueError: for NaN or values outside [0, 1]
)pbdoc")
      .def("__len__", &scale::size)
      .def("__repr__", [](const scale& s) { return "<" + to_string(s) + ">"; });
  def_equality(cls);
  def_copy(cls);
  cls.def(py::pickle(&scale_state, &scale_from_state)).def("__hash__", [](const scale& s) {
    return frozen_hash(scale_state(s));
  });
}

}  // namespace masterymap::python
