// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <cstring>
#include <masterymap/engine.hpp>

#include "bindings.hpp"
#include "engine_py.hpp"
#include "numpy_util.hpp"
#include "object_lock.hpp"
#include "pickle_py.hpp"
#include "progress_py.hpp"

namespace masterymap::python {
namespace {

constexpr const char* log_type = "EvidenceLog";

// A Python callable (learner, competency, scores) -> float | None as the bkt hook. Called from
// worker threads: takes the GIL for each call.
class py_probability_source final : public probability_source {
 public:
  explicit py_probability_source(py::object fn) : fn_(new py::object(std::move(fn))) {}
  ~py_probability_source() override {
    py::gil_scoped_acquire gil;
    delete fn_;
  }
  std::optional<double> probability(std::string_view learner, std::string_view competency,
                                    const std::vector<double>& scores) const override {
    const in_callback callback;  // it must not wait for a lock the caller may hold
    py::gil_scoped_acquire gil;
    try {
      py::object r = (*fn_)(py::str(learner.data(), learner.size()),
                            py::str(competency.data(), competency.size()), py::cast(scores));
      if (r.is_none()) return std::nullopt;
      return r.cast<double>();
    } catch (py::error_already_set& e) {
      // Re-thrown as a plain C++ exception: it may cross threads before the GIL is back.
      throw std::runtime_error(std::string("probabilities callback failed: ") + e.what());
    }
  }
  [[nodiscard]] const py::object& function() const { return *fn_; }

 private:
  py::object* fn_;
};

evaluate_options options(const py::object& as_of, const py::object& probabilities,
                         unsigned threads) {
  evaluate_options o;
  if (!as_of.is_none()) o.as_of = to_seconds(as_of, "as_of");
  o.probabilities = to_probability_source(probabilities);
  o.threads = threads;
  return o;
}

py::dict evidence_dict(const explained_evidence& x) {
  py::dict d;
  d["row"] = x.row;
  d["time"] = x.time;
  d["score"] = x.score;
  d["kind"] = x.kind;
  d["weight"] = x.weight;
  d["source"] = x.source;
  d["used"] = x.used;
  d["reason"] = x.reason;
  d["timestamp"] = x.timestamp;
  return d;
}

py::dict table_dict(ratings_table&& t, const framework& fw) {
  py::dict d;
  std::vector<std::uint8_t> st(t.statuses.size());
  std::memcpy(st.data(), t.statuses.data(), st.size());
  d["learners"] = std::move(t.learners);
  std::vector<std::string> ids;
  for (index_t i = 0; i < fw.size(); ++i) ids.push_back(fw.id_of(i));
  d["competencies"] = ids;
  d["learner"] = move_numpy(std::move(t.learner));
  d["competency"] = move_numpy(std::move(t.competency));
  d["status"] = move_numpy(std::move(st));
  d["score"] = move_numpy(std::move(t.scores));
  d["rating"] = move_numpy(std::move(t.ratings));
  d["evidence"] = move_numpy(std::move(t.evidence_counts));
  d["as_of"] = t.as_of;
  return d;
}

// --- pickled states --------------------------------------------------------------------------

py::tuple explanation_state(const explanation& e) {
  py::list evidence, children;
  for (const auto& x : e.evidence)
    evidence.append(py::make_tuple(x.row, x.time, x.score, x.kind, x.weight, x.source, x.used,
                                   x.reason, x.timestamp));
  for (const auto& c : e.children)
    children.append(py::make_tuple(c.id, static_cast<int>(c.status), c.score, c.done));
  return py::make_tuple(e.learner, e.competency, static_cast<int>(e.status), e.decided_by, e.rule,
                        e.rule_scope, e.method, e.value, e.rating, e.threshold, e.exceeds, e.as_of,
                        evidence, e.unmet, e.notes, e.rollup, children, e.text, e.inferred_from);
}

status status_of(const py::handle& code) {
  const int c = code.cast<int>();
  if (c < 0 || c > static_cast<int>(status::inferred))
    throw py::value_error("status code " + std::to_string(c) + " out of range");
  return static_cast<status>(c);
}

explanation explanation_from_state(const py::tuple& t) {
  // 19 items; 18 in pickles from before inferred mastery (no inferred_from).
  if (t.size() != 18 && t.size() != 19)
    throw py::value_error("not the state of a pickled Explanation");
  explanation e;
  e.learner = t[0].cast<std::string>();
  e.competency = t[1].cast<std::string>();
  e.status = status_of(t[2]);
  e.decided_by = t[3].cast<std::string>();
  e.rule = t[4].cast<std::string>();
  e.rule_scope = t[5].cast<std::string>();
  e.method = t[6].cast<std::string>();
  e.value = t[7].cast<std::optional<double>>();
  e.rating = t[8].cast<std::optional<std::string>>();
  e.threshold = t[9].cast<double>();
  e.exceeds = t[10].cast<std::optional<double>>();
  e.as_of = t[11].cast<double>();
  for (auto h : t[12].cast<py::list>()) {
    const auto x = h.cast<py::tuple>();
    e.evidence.push_back({x[0].cast<std::size_t>(), x[1].cast<double>(), x[2].cast<double>(),
                          x[3].cast<std::string>(), x[4].cast<double>(), x[5].cast<std::string>(),
                          x[6].cast<bool>(), x[7].cast<std::string>(),
                          // the timestamp text (a pickle of an older release has none)
                          x.size() > 8 ? x[8].cast<std::string>() : std::string()});
  }
  e.unmet = t[13].cast<std::vector<std::string>>();
  e.notes = t[14].cast<std::vector<std::string>>();
  e.rollup = t[15].cast<std::string>();
  for (auto h : t[16].cast<py::list>()) {
    const auto x = h.cast<py::tuple>();
    e.children.push_back({x[0].cast<std::string>(), status_of(x[1]),
                          x[2].cast<std::optional<double>>(), x[3].cast<bool>()});
  }
  e.text = t[17].cast<std::string>();
  if (t.size() == 19) e.inferred_from = t[18].cast<std::vector<std::string>>();
  return e;
}

// A LearnerState: its engine (one object for every state of that engine, so pickled once),
// its own data as bytes (learner_state::to_bytes), its log and its probability source.
py::tuple state_state(const py_state& s) {
  return py::make_tuple(s.engine, bytes_array(s.st.to_bytes()), s.log,
                        probability_object(s.st.probabilities()));
}

// Equal states over equal evidence; both logs are held for reading (another thread may be
// extending either).
bool same_state(const py_state& a, const py_state& b) {
  if (!(a.st == b.st)) return false;
  if (a.log.is(b.log)) return true;
  const evidence_log &x = a.evidence(), &y = b.evidence();
  const lock_set locks{{&x, log_type, false}, {&x == &y ? nullptr : &y, log_type, false}};
  return x == y;
}

py_state state_from_state(const py::tuple& t) {
  if (t.size() != 4) throw py::value_error("not the state of a pickled LearnerState");
  const engine& e = t[0].cast<const engine&>();
  const evidence_log& log = t[2].cast<const evidence_log&>();
  const read_lock lock(&log, log_type);
  py::buffer_info keep;
  const std::string_view bytes = buffer_view(t[1], keep);
  learner_state st = e.state_from_bytes(bytes, to_probability_source(t[3]));
  if (log.size() < st.log_position())
    throw py::value_error("the pickled LearnerState's log is shorter than when it was evaluated");
  return py_state{std::move(st), t[2], t[0]};
}

}  // namespace

py::object engine_object(const engine& e) {
  return shared_python(&e.framework(), [&e] { return py::cast(e); });
}

py::object probability_object(const std::shared_ptr<const probability_source>& source) {
  if (!source) return py::none();
  if (const auto* f = dynamic_cast<const py_probability_source*>(source.get()))
    return f->function();
  return py::cast(std::const_pointer_cast<probability_source>(source));
}

std::shared_ptr<const probability_source> to_probability_source(const py::object& probabilities) {
  if (probabilities.is_none()) return nullptr;
  if (py::isinstance<probability_source>(probabilities))
    return probabilities.cast<std::shared_ptr<probability_source>>();
  if (!PyCallable_Check(probabilities.ptr()))
    throw argument_error("probabilities",
                         "None, a ProbabilitySource or a callable (learner, competency, scores) "
                         "-> float | None",
                         probabilities);
  return std::make_shared<py_probability_source>(probabilities);
}

index_t resolve(const learner_state& s, const py::handle& key) {
  return resolve(s.framework(), key);
}

void bind_engine(py::module_& m) {
  py::class_<probability_source, std::shared_ptr<probability_source>>(m, "ProbabilitySource",
                                                                      R"pbdoc(
The hook of ``Method.bkt``: the posterior probability of mastery. The knowledge-tracing module
provides implementations; any Python callable ``f(learner, competency, scores) -> float | None``
can be passed as ``probabilities=`` instead.
)pbdoc");

  std::vector<std::string> statuses;
  for (auto s :
       {status::not_started, status::in_progress, status::awaiting_confirmation, status::mastered,
        status::exceeded, status::exempt, status::expired, status::inferred})
    statuses.emplace_back(to_string(s));
  // Indexed by the core's codes (`inferred` is the last code, added after the others).
  m.attr("STATUSES") = statuses;
  // Learning order: the order of the ordered status categorical in every DataFrame.
  std::vector<std::string> order(statuses.size());
  for (std::size_t i = 0; i < statuses.size(); ++i)
    order[static_cast<std::size_t>(status_rank(static_cast<status>(i)))] = statuses[i];
  m.attr("STATUS_ORDER") = order;
  m.def(
      "is_earned", [](const std::string& s) { return is_earned(parse_status(s)); },
      py::arg("status"),
      R"pbdoc(Whether a status is an earned achievement (``mastered``, ``exceeded``, ``exempt``):
what may be exported as earned. ``inferred`` is never earned. Raises ValueError for an unknown
status.)pbdoc");
  m.def(
      "is_met", [](const std::string& s) { return is_done(parse_status(s)); }, py::arg("status"),
      R"pbdoc(Whether a status counts as met for prerequisites (gates, frontier, paths, levels):
earned or ``inferred``. Raises ValueError for an unknown status.)pbdoc");
  m.def(
      "status_text", [](const std::string& s) { return std::string(status_text(parse_status(s))); },
      py::arg("status"),
      R"pbdoc(The status in words for a teacher, for text that prints a rating next to it:
``"not started"``, ``"in progress"``, ``"ready for the teacher's check"``
(``awaiting_confirmation``: the evidence reaches mastery, the gatekeeper has not confirmed it;
not met), ``"inferred"``, ``"mastered"``, ``"exceeded"``, ``"exempt"``, ``"expired"``.

>>> status_text("awaiting_confirmation")
"ready for the teacher's check"

Raises ValueError for an unknown status.)pbdoc");

  py::class_<explanation> explanation_cls(m, "Explanation", R"pbdoc(
Why a learner has a status on a competency: the method, each piece of evidence used or ignored
(with the reason), the computed value, the threshold, each unmet condition, and notes; ``text``
(also ``str(explanation)``) says all of it in words.

Times (``as_of``, each evidence dict's ``time``) are float seconds since the Unix epoch, as in
``to_dict()`` (JSON-ready); ``text`` prints every time as an ISO 8601 UTC date.

Immutable: compares by value (NaN equal to NaN), hashes, copies and pickles.
)pbdoc");
  explanation_cls.def_readonly("learner", &explanation::learner)
      .def_readonly("competency", &explanation::competency)
      .def_property_readonly("status",
                             [](const explanation& e) { return std::string(to_string(e.status)); })
      .def_readonly("decided_by", &explanation::decided_by, "``'evidence'`` or ``'rollup'``.")
      .def_readonly("rule", &explanation::rule)
      .def_readonly("rule_scope", &explanation::rule_scope,
                    "``'competency'``, ``'domain'`` or ``'default'``.")
      .def_readonly("method", &explanation::method)
      .def_readonly("value", &explanation::value)
      .def_readonly("rating", &explanation::rating)
      .def_readonly("threshold", &explanation::threshold)
      .def_readonly("exceeds", &explanation::exceeds)
      .def_readonly("as_of", &explanation::as_of,
                    "The evaluation time, seconds since the epoch (inf: an empty log).")
      .def_property_readonly(
          "evidence",
          [](const explanation& e) {
            py::list out;
            for (const auto& x : e.evidence) out.append(evidence_dict(x));
            return out;
          },
          "Every piece, in aggregation order, as dicts (row, time, score, kind, weight, source, "
          "used, reason, timestamp: the time as the statement wrote it, "
          "'2024-03-01T09:30:00.123+02:00', next to ``time`` in UTC seconds; '' when none).")
      .def_property_readonly("used",
                             [](const explanation& e) {
                               py::list out;
                               for (const auto& x : e.evidence)
                                 if (x.used) out.append(evidence_dict(x));
                               return out;
                             })
      .def_property_readonly("ignored",
                             [](const explanation& e) {
                               py::list out;
                               for (const auto& x : e.evidence)
                                 if (!x.used) out.append(evidence_dict(x));
                               return out;
                             })
      .def_readonly("unmet", &explanation::unmet)
      .def_readonly("notes", &explanation::notes)
      .def_readonly("rollup", &explanation::rollup)
      .def_readonly("inferred_from", &explanation::inferred_from,
                    "When ``inferred``: the ids of the earned competencies the inference rests "
                    "on (nearest first, at most 5); placements are in ``notes``.")
      .def_property_readonly("children",
                             [](const explanation& e) {
                               py::list out;
                               for (const auto& c : e.children) {
                                 py::dict d;
                                 d["id"] = c.id;
                                 d["status"] = to_string(c.status);
                                 d["score"] = c.score;
                                 d["done"] = c.done;
                                 out.append(d);
                               }
                               return out;
                             })
      .def_readonly("text", &explanation::text)
      .def(
          "to_dict",
          [](const py::object& self) {
            py::dict d;
            for (const char* k :
                 {"learner", "competency", "status", "decided_by", "rule", "rule_scope", "method",
                  "value", "rating", "threshold", "exceeds", "as_of", "evidence", "unmet", "notes",
                  "rollup", "children", "inferred_from", "text"})
              d[k] = self.attr(k);
            return d;
          },
          "All fields as a plain dict (JSON-ready).")
      .def("__str__", [](const explanation& e) { return e.text; })
      .def("__repr__", [](const explanation& e) {
        std::string st = to_string(e.status);
        if (e.status == status::awaiting_confirmation)
          st += std::string(" (") + status_text(e.status) + ")";
        return "<Explanation " + e.competency + " for " + e.learner + ": " + st + ">";
      });
  def_equality(explanation_cls);
  def_copy(explanation_cls);
  explanation_cls.def(py::pickle(&explanation_state, &explanation_from_state))
      .def("__hash__", [](const explanation& e) { return frozen_hash(explanation_state(e)); });

  py::class_<py_state> state_cls(m, "LearnerState", R"pbdoc(
A learner's state on every competency of a framework: status, score, rating, evidence count;
and :meth:`explain` for any competency. Statuses: ``not_started``, ``in_progress``,
``awaiting_confirmation``, ``mastered``, ``exceeded``, ``exempt``, ``expired``, ``inferred``
(no evidence of its own, known by inference: see ``Policy.infer_prerequisites``).

The arrays (:meth:`statuses`, :meth:`scores`, ...) are indexed by framework index; statuses
are indices into :data:`masterymap.STATUSES`, ratings indices into the scale's labels.

Compares by value (engine, learner, evaluation time, columns, evidence index, and an equal
log); copies (``copy.copy`` shares the log, ``copy.deepcopy`` copies it) and pickles (with its
engine, log and probability source; the states of one engine pickled together share one
engine); unhashable (:meth:`Engine.update` changes it).
)pbdoc");
  state_cls.def_property_readonly("learner", [](const py_state& s) { return s.st.learner(); })
      .def("__len__", [](const py_state& s) { return s.st.size(); })
      .def_property_readonly("framework", [](const py_state& s) { return s.st.framework(); })
      .def_property_readonly("policy", [](const py_state& s) { return s.st.policy(); })
      .def_property_readonly(
          "as_of", [](const py_state& s) { return s.st.as_of(); },
          "The evaluation time, seconds since the epoch (float; inf when the log was empty).")
      .def_property_readonly("log_position", [](const py_state& s) { return s.st.log_position(); })
      .def(
          "status",
          [](const py_state& s, const py::object& id) {
            return std::string(to_string(s.st.status(resolve(s.st, id))));
          },
          py::arg("id"), "Status name of a competency (id or index).")
      .def(
          "score",
          [](const py_state& s, const py::object& id) { return s.st.score(resolve(s.st, id)); },
          py::arg("id"), "The aggregated score, or ``None``.")
      .def(
          "rating",
          [](const py_state& s, const py::object& id) { return s.st.rating(resolve(s.st, id)); },
          py::arg("id"), "The rating label on the policy's scale, or ``None``.")
      .def(
          "evidence_count",
          [](const py_state& s, const py::object& id) {
            return s.st.evidence_count(resolve(s.st, id));
          },
          py::arg("id"))
      .def(
          "evidence_rows",
          [](const py_state& s, const py::object& id) {
            return move_numpy(s.st.evidence_rows(resolve(s.st, id)));
          },
          py::arg("id"), "Log rows of the evidence on a competency, in aggregation order.")
      .def(
          "with_status",
          [](const py_state& s, const std::string& name) {
            std::vector<std::string> out;
            for (index_t i : s.st.with_status(parse_status(name)))
              out.push_back(s.st.framework().id_of(i));
            return out;
          },
          py::arg("status"), "Ids of the competencies with this status, in index order.")
      .def(
          "statuses",
          [](const py_state& s) {
            std::vector<std::uint8_t> v(s.st.size());
            std::memcpy(v.data(), s.st.statuses().data(), v.size());
            return move_numpy(std::move(v));
          },
          "uint8 array of statuses, indices into ``masterymap.STATUSES``.")
      .def(
          "scores",
          [](const py_state& s) { return move_numpy(std::vector<double>(s.st.scores())); },
          "float64 array of scores (NaN when absent).")
      .def(
          "ratings",
          [](const py_state& s) { return move_numpy(std::vector<std::int8_t>(s.st.ratings())); },
          "int8 array of rating indices on the scale (-1 when absent).")
      .def("evidence_counts",
           [](const py_state& s) {
             return move_numpy(std::vector<std::uint32_t>(s.st.evidence_counts()));
           })
      .def(
          "to_dataframe",
          [](const py::object& self) {
            return call_python("masterymap._frames", "state_frame", self);
          },
          R"pbdoc(
This learner's state as a pandas DataFrame indexed by competency id (framework order):
``status`` and ``rating`` (ordered categoricals: statuses in learning order, ``STATUS_ORDER``, ratings
in the scale's order), ``score`` (float64, NaN = none), ``evidence`` (count).
)pbdoc")
      .def(
          "explain",
          [](const py_state& s, const py::object& id) {
            const read_lock lock(&s.evidence(), log_type);
            return s.st.explain(resolve(s.st, id), s.evidence());
          },
          py::arg("id"), "An :class:`Explanation` of the status of a competency (id or index).")
      .def("__repr__",
           [](const py_state& s) {
             // Done = earned + inferred; say how many of them are only inferred.
             std::size_t done = 0, inferred = 0;
             for (auto x : s.st.statuses()) {
               done += is_done(x);
               inferred += x == status::inferred;
             }
             return "<LearnerState " + s.st.learner() + ": " + std::to_string(done) + " of " +
                    std::to_string(s.st.size()) + " done" +
                    (inferred ? " (" + std::to_string(inferred) + " inferred)" : std::string()) +
                    ">";
           })
      .def(
          "__eq__", [](const py_state& a, const py_state& b) { return same_state(a, b); },
          py::is_operator())
      .def(
          "__ne__", [](const py_state& a, const py_state& b) { return !same_state(a, b); },
          py::is_operator())
      .def("__copy__",
           [](const py_state& s) {
             return py_state{s.st, s.log, s.engine};
           })
      .def(
          "__deepcopy__",
          [](const py_state& s, const py::dict& memo) {
            py::object log = py::module_::import("copy").attr("deepcopy")(s.log, memo);
            return py_state{s.st, std::move(log), s.engine};
          },
          py::arg("memo"))
      .def(py::pickle(&state_state, &state_from_state));

  py::class_<engine> engine_cls(m, "Engine", R"pbdoc(
A framework and a policy compiled together: validated once (``PolicyError`` listing every
problem, with paths), then evaluated against any log and learner. Thread-safe; evaluations of
many learners run in parallel and do not depend on the thread count.

Common options: ``as_of`` (evaluation time: seconds since the epoch, an ISO 8601 string, a
datetime (naive = UTC), a date, a pandas Timestamp or a numpy datetime64; default the latest
time in the log; ``TypeError`` for another type, ``ParseError`` for a text that is not a time),
``probabilities`` (the source of ``Method.bkt`` values: a :class:`ProbabilitySource` or a
callable ``f(learner, competency, scores) -> float | None``; required when the policy has a bkt
rule, else every evaluation raises :class:`PolicyError`), ``threads`` (0 = all cores).

Immutable: compares by its framework and policy, hashes, copies (sharing the compiled form)
and pickles (as its framework and policy, compiled again when unpickled).
)pbdoc");
  engine_cls.def(py::init<framework, policy>(), py::arg("framework"), py::arg("policy"))
      .def_property_readonly("framework", &engine::framework)
      .def_property_readonly("policy", &engine::policy)
      .def(
          "evaluate",
          [](const py::object& self, const py::object& log, const py::object& learner_id,
             const py::object& as_of, const py::object& probabilities) {
            const engine& e = self.cast<const engine&>();
            const auto& l = cast_arg<const evidence_log&>(log, "log", "an EvidenceLog");
            const std::string learner = id_text(learner_id, "learner");
            const evaluate_options o = options(as_of, probabilities, 1);
            learner_state st;
            {
              py::gil_scoped_release release;
              const read_lock lock(&l, log_type);
              st = e.evaluate(l, learner, o);
            }
            return py_state{std::move(st), log, self};
          },
          py::arg("log"), py::arg("learner"), py::kw_only(), py::arg("as_of") = py::none(),
          py::arg("probabilities") = py::none(), "The :class:`LearnerState` of one learner.")
      .def(
          "evaluate_all",
          [](const py::object& self, const py::object& log, const py::object& as_of,
             const py::object& probabilities, unsigned threads, const py::object& progress) {
            const engine& e = self.cast<const engine&>();
            const auto& l = cast_arg<const evidence_log&>(log, "log", "an EvidenceLog");
            const evaluate_options o = options(as_of, probabilities, threads);
            const auto hook = python_progress(progress);
            std::vector<learner_state> states;
            {
              py::gil_scoped_release release;
              const read_lock lock(&l, log_type);
              states = e.evaluate_all(l, o, hook);
            }
            py::dict out;
            for (auto& st : states) {
              std::string name = st.learner();
              out[py::str(name)] = py_state{std::move(st), log, self};
            }
            return out;
          },
          py::arg("log"), py::kw_only(), py::arg("as_of") = py::none(),
          py::arg("probabilities") = py::none(), py::arg("threads") = 0,
          py::arg("progress") = py::none(),
          "Every learner of the log: a dict learner -> :class:`LearnerState`. ``progress(done, "
          "total)``: rows + learners, as :meth:`ratings`.")
      .def(
          "_ratings",
          [](const engine& e, const evidence_log& log, const py::object& as_of,
             const py::object& probabilities, unsigned threads, const py::object& progress) {
            const evaluate_options o = options(as_of, probabilities, threads);
            const auto hook = python_progress(progress);
            ratings_table t;
            {
              py::gil_scoped_release release;
              const read_lock lock(&log, log_type);
              t = e.ratings(log, o, hook);
            }
            return table_dict(std::move(t), e.framework());
          },
          py::arg("log"), py::kw_only(), py::arg("as_of") = py::none(),
          py::arg("probabilities") = py::none(), py::arg("threads") = 0,
          py::arg("progress") = py::none())
      .def(
          "ratings",
          [](const py::object& self, const py::object& log, const py::object& as_of,
             const py::object& probabilities, unsigned threads, bool all_competencies,
             const py::object& progress) {
            return call_python("masterymap._frames", "engine_ratings", self, log, as_of,
                               probabilities, threads, all_competencies, progress);
          },
          py::arg("log"), py::kw_only(), py::arg("as_of") = py::none(),
          py::arg("probabilities") = py::none(), py::arg("threads") = 0,
          py::arg("all_competencies") = false, py::arg("progress") = py::none(), R"pbdoc(
Ratings of every learner of the log as one long pandas DataFrame (the bulk path), computed in
C++ in parallel with the GIL released. Ctrl-C raises ``KeyboardInterrupt`` within about 0.1 s;
``progress(done, total)`` is called about every 50 ms and once with ``done == total``, in
rows + learners of the log; raising from it cancels the call.

Columns, in order: ``learner``, ``competency`` (categoricals), ``status`` (ordered categorical
in learning order, ``STATUS_ORDER``), ``score`` (float64), ``rating`` (ordered categorical of the
scale's labels, lowest first; NaN when absent), ``evidence`` (count). One row per (learner,
competency) that is not ``not_started`` or has evidence (a rollup parent's own evidence, which
its rollup does not read, leaves it ``not_started``: its row says so, with the count), or every
pair with ``all_competencies=True``. (``Roster.to_dataframe`` has no evidence column and leaves
such rows out.)
)pbdoc")
      .def(
          "update",
          [](const engine& e, py_state& s, const py::object& log, const py::object& as_of,
             const py::object& probabilities) {
            const auto& l = cast_arg<const evidence_log&>(log, "log", "an EvidenceLog");
            const evaluate_options o = options(as_of, probabilities, 1);
            // With the GIL held: a LearnerState is changed only here, and every other method of
            // it holds the GIL throughout, so none can see it half updated. The log may be
            // changed with the GIL released (Roster.ingest, EvidenceLog.extend): held for reading.
            const read_lock lock(&l, log_type);
            e.update(s.st, l, o);
            s.log = log;
          },
          py::arg("state"), py::arg("log"), py::kw_only(), py::arg("as_of") = py::none(),
          py::arg("probabilities") = py::none(), R"pbdoc(
Brings ``state`` up to date with the evidence appended to ``log`` since it was evaluated,
recomputing only what changed. The result equals a full re-evaluation.
)pbdoc")
      .def("checks", &engine::checks, "Ingest checks for this framework and policy (internal).")
      .def("__repr__", [](const engine& e) {
        return "<Engine " + to_string(e.framework()) + "; " + to_string(e.policy()) + ">";
      });
  def_equality(engine_cls);
  def_copy(engine_cls);
  engine_cls
      .def(py::pickle([](const engine& e) { return py::make_tuple(e.framework(), e.policy()); },
                      [](const py::tuple& t) {
                        if (t.size() != 2)
                          throw py::value_error("not the state of a pickled Engine");
                        return engine(t[0].cast<framework>(), t[1].cast<policy>());
                      }))
      .def("__hash__", [](const engine& e) { return framework_hash(e.framework()); });
}

}  // namespace masterymap::python
