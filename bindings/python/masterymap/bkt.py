"""Bayesian Knowledge Tracing with a pyBKT-like API, on masterymap's C++ core.

Fit per-skill BKT models on response logs (a pandas DataFrame or a CSV), predict, evaluate,
cross-validate, save and load, and trace learners online in O(1) per answer::

    import masterymap as mm
    data = mm.bkt.read_csv("responses.csv.gz", skill="skill_id")
    model = mm.bkt.fit(data, forgets=True)
    model.evaluate(test_df, metric=["auc", "rmse"])
    model.update("alice", "fractions", True)      # online: returns P(mastered)

Model (pyBKT's, with pyBKT's parameter names): per skill ``prior`` P(L0), ``learns`` T,
``forgets`` F (0 unless ``forgets=True``), ``guesses`` G and ``slips`` S (per item class with
``multigs``); ``correct_predictions`` is P(correct) before each answer, ``state_predictions``
is P(mastered) after it (including the learning transition). The same names are used by
:meth:`Model.params`, ``fixed=``, ``bounds=`` and :func:`simulate`. (The model's JSON file,
:meth:`Model.to_json`, keeps its own field names ``learn``, ``guess``, ``slip``, ``forget``.)
"""
from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping, Sequence
from typing import Annotated, Any, Callable, Dict, Optional, Union

import numpy as np
import pandas as pd

from . import _columns
from ._arguments import checked, require
from ._core import ParseError
from ._core import bkt as _core
from ._bkt_data import (_MAX_LISTED, _empty_responses, _frame, _id_dtype, _restore, dataset, frame,
                        read_csv)

Dataset = _core.Dataset
Tracer = _core.Tracer
#: Responses: a DataFrame, a mapping of columns, a list of records (dicts), a :class:`Dataset`
#: or the path of a CSV file.
_Data = Annotated[Union[pd.DataFrame, Mapping[str, Any], Sequence[Mapping[str, Any]], Dataset,
                        str, os.PathLike],
                  "a DataFrame, a mapping of columns, a list of records, a Dataset or a CSV path"]
ModelProbabilities = _core.ModelProbabilities

__all__ = [
    "Dataset",
    "Model",
    "Tracer",
    "crossvalidate",
    "dataset",
    "fit",
    "frame",
    "metrics",
    "read_csv",
    "simulate",
    "update_batch",
]

#: pyBKT's parameter names, in pyBKT's order, and the C++ core's name for each.
PARAMS = ("prior", "learns", "guesses", "slips", "forgets")
_CORE_NAME = {"prior": "prior", "learns": "learn", "guesses": "guess", "slips": "slip",
              "forgets": "forget"}


def _core_name(param: str, where: str) -> str:
    """The core's name of a pyBKT parameter name. :raises ValueError: an unknown name."""
    try:
        return _CORE_NAME[param]
    except KeyError:
        raise ValueError(f"unknown parameter {param!r} in {where}; use one of {PARAMS}") from None
_METRICS = ("auc", "rmse", "accuracy", "log_likelihood")


@checked
def metrics(correct: Sequence[int], predicted: Sequence[float]) -> dict:
    """AUC (ties count one half), RMSE, accuracy, log-likelihood and count; NaNs are skipped."""
    return _core.compute_metrics(np.asarray(correct, dtype=np.uint8),
                                 np.asarray(predicted, dtype=np.float64))


@checked
def simulate(params: Iterable[Mapping[str, Any]], learners: int, length: int,
             seed: int = 42) -> pd.DataFrame:
    """Simulated responses (``user_id, skill_name, correct``) from known parameters.

    Each of ``learners`` learners answers ``length`` questions per skill, skills interleaved at
    random; deterministic for a seed. ``params`` are dicts with ``skill``, ``prior``, ``learns``,
    ``guesses``, ``slips`` (and optionally ``forgets``), as :meth:`Model.params` names them;
    ``guesses`` and ``slips`` are numbers.

    :raises ValueError: an unknown parameter name or a missing ``skill``.
    """
    rows = []
    for i, p in enumerate(params):
        if "skill" not in p:
            raise ValueError(f"simulate params[{i}] has no 'skill'; each needs skill, prior, "
                             f"learns, guesses, slips")
        rows.append({(k if k == "skill" else _core_name(k, "simulate params")): v
                     for k, v in p.items()})
    return frame(_core.simulate(rows, learners, length, seed))


# --- model ------------------------------------------------------------------------------------

def _split_fixed(fixed: Optional[Mapping[Any, Any]]) -> tuple:
    """{param: value} applies to every skill; {skill: {param: value}} to one skill (pyBKT's
    parameter names, translated to the core's). :raises ValueError: an unknown name."""
    common, per_skill = {}, {}
    for key, value in (fixed or {}).items():
        if isinstance(value, Mapping):
            for k, v in value.items():
                require(isinstance(v, (int, float, np.number)), "bkt.Model()",
                        f"fixed[{key!r}][{k!r}]", "a number", v)
            per_skill[_columns.id_text(key, "skill")] = {_core_name(k, "fixed"): float(v)
                                                         for k, v in value.items()}
        else:
            require(isinstance(value, (int, float, np.number)), "bkt.Model()",
                    f"fixed[{key!r}]", "a number or a dict of parameter to number", value)
            common[_core_name(key, "fixed")] = float(value)
    return common, per_skill


class Model:
    """A BKT model in pyBKT's style: configure, :meth:`fit`, then predict, evaluate or trace.

    Compares by value, copies and pickles (with its online tracer); unhashable.

    :param num_fits: random restarts per skill (restart 0 starts from a typical point).
    :param seed: seeds the restarts; results do not depend on the number of threads.
    :param forgets: also fit a forget probability (often much better on long logs).
    :param multigs: guess/slip per item class (needs ``item_class`` when fitting).
    :param tolerance: EM stops when the log-likelihood gain per observation falls below it.
    :param max_iterations: EM iterations per restart.
    :param restarts: ``"screen"`` (every restart runs ``screen_iterations`` steps, the best
        training likelihood continues to convergence) or ``"full"`` (all run to convergence).
    :param bounds: ``{param: (lo, hi)}`` with pyBKT's names (``prior``, ``learns``,
        ``guesses``, ``slips``, ``forgets``); guesses and slips are at most 0.5 by default.
    :param fixed: ``{param: value}`` for every skill and/or ``{skill: {param: value}}``, with
        the same names.
    :raises ValueError: an unknown parameter name in ``bounds`` or ``fixed``.
    :param threads: worker threads (default: all cores).
    :param threshold: mastery threshold of the online tracer (default 0.95).
    """

    @checked
    def __init__(
        self,
        *,
        num_fits: int = 5,
        seed: int = 42,
        forgets: bool = False,
        multigs: bool = False,
        tolerance: float = 1e-6,
        max_iterations: int = 300,
        restarts: str = "screen",
        screen_iterations: int = 8,
        bounds: Optional[Mapping[str, tuple]] = None,
        fixed: Optional[Mapping[Any, Any]] = None,
        threads: Optional[int] = None,
        threshold: float = 0.95,
    ) -> None:
        common, per_skill = _split_fixed(fixed)
        self._options = dict(
            num_fits=num_fits, seed=seed, forgets=forgets, multigs=multigs, tolerance=tolerance,
            max_iterations=max_iterations, restarts=restarts, screen_iterations=screen_iterations,
            bounds={_core_name(k, "bounds"): tuple(v) if isinstance(v, list) else v
                    for k, v in bounds.items()} if bounds else None,
            fixed=common, fixed_skills=per_skill,
            threads=threads,
        )
        self._columns: dict = dict(learner="user_id", skill="skill_name", correct="correct",
                                   order=None, item_class=None, multi_skill="keep",
                                   skill_separator="_")
        # Bad values fail here, not at fit time (the core's own checks of fit options).
        _core.check_options(self._options)
        if not 0.0 <= threshold <= 1.0:
            raise ValueError(f"mastery threshold must be in [0, 1], got {threshold}")
        self._core: Optional[_core.Model] = None
        self._tracer: Optional[Tracer] = None
        #: dtypes of the learner and skill columns fitted on (None: texts), for results
        self._id_dtypes: dict = {"learner": None, "skill": None}
        self.threshold = threshold

    # -- fitting ---------------------------------------------------------------------------
    def _data(self, data: Any, columns: Mapping[str, Any]) -> Dataset:
        if isinstance(data, Dataset):
            return data
        if isinstance(data, (str, os.PathLike)):
            return read_csv(data, **columns)
        return dataset(_frame(data), **columns)

    @checked
    def fit(
        self,
        data: _Data,
        *,
        learner: str = "user_id",
        skill: str = "skill_name",
        correct: str = "correct",
        order: Optional[str] = None,
        item_class: Optional[str] = None,
        skills: Optional[Union[str, int, Sequence[Any]]] = None,
        multi_skill: str = "keep",
        skill_separator: str = "_",
        progress: Optional[Callable[[int, int], object]] = None,
    ) -> "Model":
        """Fits every skill (or only ``skills``) on a DataFrame, a :class:`Dataset` or a CSV path.

        The column names are remembered for :meth:`predict` and :meth:`evaluate`. The C++ work
        runs with the GIL released. All or nothing: if the fit fails or is cancelled (Ctrl-C
        raises ``KeyboardInterrupt`` within about 0.1 s), the model is unchanged.

        :param progress: ``progress(done, total)``, called about every 50 ms and once with
            ``done == total`` at the end, in rows x EM iterations (each skill up to the most
            its restarts may take); raising from it cancels the fit.

        ``data`` may also be a mapping of columns or a list of records (dicts). Skill (and
        learner) ids keep the dtype they came in: with an int64 skill column, :meth:`params`
        and :attr:`skills` give int64 skills, so they merge and ``.map`` with the data (a
        :class:`Dataset` or a CSV gives texts).

        :raises KeyError: a named column is missing.
        :raises ValueError: non-binary ``correct``, a bad skill or learner id, bad options, or
            no data at all ("cannot fit an empty dataset": there is nothing to estimate).
        :raises UnknownIdError: ``skills`` names a skill not in the data.
        """
        columns = dict(learner=learner, skill=skill, correct=correct, order=order,
                       item_class=item_class, multi_skill=multi_skill,
                       skill_separator=skill_separator)
        if isinstance(data, Dataset) and isinstance(getattr(data, "columns", None), dict):
            columns = dict(data.columns)
        if not isinstance(data, (Dataset, str, os.PathLike)):
            data = _frame(data)
        d = self._data(data, columns)
        options = dict(self._options)
        if skills is not None:
            options["skills"] = ([_columns.id_text(skills, "skill")]
                                 if isinstance(skills, (str, int, np.integer))
                                 else [_columns.id_text(s, "skill") for s in skills])
        fitted = _core.fit(d, options, progress=progress)
        # Nothing is assigned until the fit has succeeded: a failed or cancelled fit leaves the
        # model as it was.
        id_dtypes: Dict[str, Any] = {"learner": None, "skill": None}
        if isinstance(data, pd.DataFrame) and columns.get("multi_skill") != "split":
            id_dtypes = {"learner": _id_dtype(data[columns["learner"]]),
                         "skill": _id_dtype(data[columns["skill"]])}
        self._columns, self._core, self._tracer, self._id_dtypes = columns, fitted, None, id_dtypes
        return self

    @property
    def core(self) -> _core.Model:
        """The underlying C++ model. :raises RuntimeError: if the model is not fitted."""
        if self._core is None:
            raise RuntimeError("the model is not fitted; call fit() or load() first")
        return self._core

    @checked
    def probability_source(
        self,
        *,
        correct_at: float = 0.5,
        skill_of: Optional[Mapping[Any, Any]] = None,
        unknown_uses_average: bool = False,
    ) -> "_core.ModelProbabilities":
        """This model as the probability source of ``Method.bkt`` mastery rules.

        Pass the result as ``probabilities=`` to :func:`masterymap.evaluate`,
        :func:`masterymap.ratings` or an :class:`masterymap.Engine` evaluation: each competency
        rated by ``Method.bkt(threshold)`` gets P(mastered) from replaying this model's filter
        over the learner's counted scores (a score ``>= correct_at`` is a correct answer), so
        BKT and rule-based ratings can be compared on the same evidence log. Runs in C++.

        :param skill_of: competency id -> skill of this model (default: the same id)
        :param unknown_uses_average: rate competencies whose skill the model lacks with the
            average parameters (default: no value)
        """
        skill_of = {_columns.id_text(k, "competency"): _columns.id_text(v, "skill")
                    for k, v in (skill_of or {}).items()}
        return _core.ModelProbabilities(self.core, correct_at=correct_at, skill_of=skill_of,
                                        unknown_uses_average=unknown_uses_average)

    @property
    def skills(self) -> list:
        """Fitted skills, in the dtype of the skill column fitted on (texts for a
        :class:`Dataset`, a CSV or a loaded model)."""
        return self._skill_index(self.core.skills).tolist()

    def _skill_index(self, names: Sequence[str]) -> pd.Index:
        return _restore(names, self._id_dtypes.get("skill"))

    @checked
    def params(self, wide: bool = False) -> pd.DataFrame:
        """Fitted parameters with pyBKT's names: ``prior``, ``learns``, ``guesses``, ``slips``,
        ``forgets``.

        By default pyBKT's layout: a MultiIndex (skill, param, class) and one ``value`` column;
        ``class`` is ``"default"`` except for guesses and slips fitted per item class
        (``multigs``). With ``wide=True``: one row per skill (index ``skill``) with the five
        parameters (guesses and slips averaged over item classes) and the fit diagnostics
        ``log_likelihood``, ``iterations``, ``converged``, ``restart``, ``observations``,
        ``sequences``.

        :raises RuntimeError: if the model is not fitted.
        """
        rows = self.core.params()
        if wide:
            out = pd.DataFrame([{
                "skill": p["skill"], "prior": p["prior"], "learns": p["learn"],
                "guesses": float(np.mean(p["guess"])), "slips": float(np.mean(p["slip"])),
                "forgets": p["forget"], "log_likelihood": p["log_likelihood"],
                "iterations": p["iterations"], "converged": p["converged"],
                "restart": p["restart"], "observations": p["observations"],
                "sequences": p["sequences"]} for p in rows],
                columns=["skill", "prior", "learns", "guesses", "slips", "forgets",
                         "log_likelihood", "iterations", "converged", "restart", "observations",
                         "sequences"])
            out["skill"] = self._skill_index(out["skill"].tolist())
            return out.set_index("skill")
        records: list = []
        for p in rows:
            classes = p["classes"] or ["default"]
            for name in PARAMS:
                value = p[_CORE_NAME[name]]
                if name in ("guesses", "slips"):
                    records.extend((p["skill"], name, cls, v) for cls, v in zip(classes, value))
                else:
                    records.append((p["skill"], name, "default", value))
        out = pd.DataFrame(records, columns=["skill", "param", "class", "value"])
        out["skill"] = self._skill_index(out["skill"].tolist())
        return out.set_index(["skill", "param", "class"])

    # -- prediction ------------------------------------------------------------------------
    def _with(self, columns: Mapping[str, Any]) -> dict:
        unknown = set(columns) - set(self._columns)
        if unknown:
            raise TypeError(f"unexpected arguments {sorted(unknown)}")
        return {**self._columns, **columns}

    @checked
    def predict(self, data: _Data, *,
                unknown: str = "average",
                progress: Optional[Callable[[int, int], object]] = None,
                **columns: Any) -> pd.DataFrame:
        """The data with ``correct_predictions`` (P(correct) before each answer) and
        ``state_predictions`` (P(mastered) after it) added.

        :param unknown: for skills the model has no parameters for: ``"average"`` (the
            observation-weighted mean parameters), ``"nan"`` or ``"error"``.
        :param columns: column names (``learner``, ``skill``, ``correct``, ``order``,
            ``item_class``) if they differ from those used when fitting.
        :param progress: ``progress(done, total)`` in rows traced, called about every 50 ms and
            once with ``done == total``; raising from it, or Ctrl-C, cancels.

        ``data`` may also be a mapping of columns or a list of records (dicts). No rows give an
        empty frame with the same columns (the predictions as float64).
        """
        cols = self._with(columns)
        if not isinstance(data, (Dataset, str, os.PathLike)):
            data = _frame(data)
            if len(data.columns) == 0 and len(data) == 0:
                data = _empty_responses(cols["learner"], cols["skill"], cols["correct"])
        d = self._data(data, cols)
        pc, st = self.core.predict(d, unknown, progress=progress)
        if isinstance(data, pd.DataFrame):
            src = d.source_row
            if len(src) == len(data) and (len(src) == 0 or src[-1] == len(src) - 1):
                out = data.copy()
            else:  # a multi-skill split duplicated rows
                out = data.iloc[src].copy()
                out[cols["skill"]] = np.asarray(d.skill_names, dtype=object)[d.skills]
        else:
            out = frame(d, learner=cols["learner"], skill=cols["skill"], correct=cols["correct"])
        out["correct_predictions"] = pc
        out["state_predictions"] = st
        return out

    @checked
    def evaluate(self, data: _Data, *,
                 metric: Union[str, Callable, Sequence[Union[str, Callable]]] = "auc",
                 unknown: str = "average",
                 progress: Optional[Callable[[int, int], object]] = None,
                 **columns: Any) -> Any:
        """Scores predictions on ``data``.

        :param metric: ``"auc"``, ``"rmse"``, ``"accuracy"``, ``"log_likelihood"``, a callable
            ``f(y_true, y_pred)``, or a list of these (then a dict is returned).
        :param columns: column names, as for :meth:`predict`.
        :param progress: as for :meth:`predict` (rows traced, per metric).
        """
        d = self._data(data, self._with(columns))
        if isinstance(metric, (list, tuple)):
            return {self._metric_name(m): self._score(d, m, unknown, progress) for m in metric}
        return self._score(d, metric, unknown, progress)

    @staticmethod
    def _metric_name(m: Any) -> str:
        return m if isinstance(m, str) else getattr(m, "__name__", repr(m))

    def _score(self, d: Dataset, metric: Any, unknown: str, progress: Any = None) -> float:
        if callable(metric):
            pc, _ = self.core.predict(d, unknown, progress=progress)
            return metric(d.correct, pc)
        if metric not in _METRICS:
            raise ValueError(f"unknown metric {metric!r}; use one of {_METRICS} or a callable")
        return self.core.evaluate(d, unknown, progress=progress)[metric]

    @checked
    def crossvalidate(self, data: _Data, *,
                      folds: int = 5, seed: Optional[int] = None,
                      metric: Union[str, Sequence[str]] = "auc",
                      progress: Optional[Callable[[int, int], object]] = None,
                      **columns: Any) -> pd.DataFrame:
        """K-fold cross-validation by learner with this model's options.

        Learners are shuffled with ``seed`` (default: the model's seed) and dealt into folds.

        :param progress: ``progress(done, total)``, 1000 units per fold (see :meth:`fit`).
        :returns: one row per fold with the chosen metric(s) (all four with ``metric="all"``).
        """
        if columns:
            self._columns.update(columns)
        d = self._data(data, self._columns)
        rows = _core.crossvalidate(d, self._options, folds,
                                   self._options["seed"] if seed is None else seed,
                                   progress=progress)
        out = pd.DataFrame(rows)
        out.index.name = "fold"
        if metric == "all":
            return out
        keep = [metric] if isinstance(metric, str) else list(metric)
        return out[keep]

    # -- persistence -----------------------------------------------------------------------
    def _extra(self) -> str:
        """What the Python model knows beyond the parameters, as a JSON object's text: its
        options, threshold, column names and the dtypes of the ids fitted on (so a model read
        back gives results in the same dtypes and compares equal)."""
        # threads is how a fit runs on this machine, not what the model is: not stored
        options = {k: v for k, v in self._options.items() if k != "threads"}
        if options.get("bounds"):
            options["bounds"] = {k: list(v) for k, v in options["bounds"].items()}
        dtypes = {k: (None if v is None else str(v)) for k, v in self._id_dtypes.items()}
        return json.dumps({"python": {"options": options, "threshold": self.threshold,
                                      "columns": self._columns, "id_dtypes": dtypes}})

    def _restore_extra(self, text: str, options: Mapping[str, Any]) -> None:
        """Takes back :meth:`_extra` (older files carry none: defaults stay); options given to
        :meth:`from_json`/:meth:`load` win over the stored ones."""
        if not text:
            return
        extra = json.loads(text).get("python")
        if not isinstance(extra, dict):
            return
        try:
            if not options:
                stored = dict(extra.get("options") or {})
                if stored.get("bounds"):
                    stored["bounds"] = {k: tuple(v) for k, v in stored["bounds"].items()}
                stored["threads"] = self._options["threads"]
                if set(stored) == set(self._options):
                    self._options = stored
                self.threshold = float(extra.get("threshold", self.threshold))
            columns = extra.get("columns")
            if isinstance(columns, dict) and set(columns) == set(self._columns):
                self._columns = dict(columns)
            dtypes = extra.get("id_dtypes") or {}
            self._id_dtypes = {k: (None if dtypes.get(k) is None
                                   else pd.api.types.pandas_dtype(dtypes[k]))
                               for k in ("learner", "skill")}
        except (TypeError, ValueError, AttributeError) as e:
            raise ParseError(f"bkt model JSON: $.extra.python is not what Model.to_json "
                             f"writes ({e})") from None

    @checked
    def to_json(self, indent: int = 2) -> str:
        """Versioned JSON of the parameters (doubles round-trip exactly), with the model's
        options, threshold, column names and id dtypes, and a checksum (the text :meth:`save`
        writes). The online tracer's states are not included (pickle the model, or save
        :meth:`Tracer.to_json`)."""
        return self.core.to_json(indent, self._extra())

    @classmethod
    @checked
    def from_json(cls, text: str, **options: Any) -> "Model":
        """A model from :meth:`to_json` text: equal to the model written (its online states
        aside); ``options`` replace the stored options. Older files (version 1) are read too.

        :raises ParseError: on malformed input, or a checksum that is missing (version 2) or
            does not match the content.
        """
        m = cls(**options)
        m._core, extra = _core.Model._read_json(text)
        m._restore_extra(extra, options)
        return m

    @checked
    def save(self, path: Union[str, os.PathLike]) -> None:
        """Writes :meth:`to_json` to ``path`` atomically."""
        self.core.save(os.fspath(path), self._extra())

    @classmethod
    @checked
    def load(cls, path: Union[str, os.PathLike], **options: Any) -> "Model":
        """Reads a model saved with :meth:`save` (see :meth:`from_json`).

        :raises ParseError: on malformed input or a missing or wrong checksum (version 2).
        """
        m = cls(**options)
        m._core, extra = _core.Model._read_file(os.fspath(path))
        m._restore_extra(extra, options)
        return m

    # -- online tracing --------------------------------------------------------------------
    @checked
    def tracer(self, threshold: Optional[float] = None) -> Tracer:
        """A new online :class:`Tracer` over this model (mastered when P(L) >= threshold)."""
        return Tracer(self.core, self.threshold if threshold is None else threshold)

    def _online(self) -> Tracer:
        if self._tracer is None:
            self._tracer = self.tracer()
        return self._tracer

    @property
    def online(self) -> Tracer:
        """The model's own online tracer (created on first use)."""
        return self._online()

    def update(self, learner: Any, skill: Any, correct: Union[bool, int]) -> float:
        """Online: applies one answer in O(1) and returns the learner's new P(mastered)."""
        # The type checked by hand, not @checked: one answer per call.
        require(isinstance(correct, (int, np.integer, np.bool_)), "bkt.Model.update()", "correct",
                "0 or 1 (an int or a bool)", correct)
        if correct not in (0, 1):
            raise ValueError(f"correct must be 0 or 1, got {correct!r}")
        return self._online().update(learner, skill, bool(correct))

    @checked
    def update_batch(self, learners: Sequence[Any], skills: Sequence[Any],
                     correct: Sequence[Any], p_correct: bool = False) -> Any:
        """Online: applies many answers in order (arrays of names/ids and 0/1).

        :returns: P(mastered) after each answer as a float64 array (and P(correct) before it
            with ``p_correct=True``).
        """
        return update_batch(self._online(), learners, skills, correct, p_correct=p_correct)

    def mastery(self, learner: Any, skill: Any) -> float:
        """Online: the learner's current P(mastered) of a skill (the prior if unseen)."""
        return self._online().mastery(learner, skill)

    def mastered(self, learner: Any, skill: Any) -> bool:
        """Online: P(mastered) >= threshold."""
        return self._online().mastered(learner, skill)

    # -- objects that travel ---------------------------------------------------------------
    # Pickling and copying use the default protocol: every attribute (options, column names,
    # the core model, the online tracer) pickles and copies itself.
    def __eq__(self, other: object) -> bool:
        """Equal options (but ``threads``: how a fit runs, not what it gives), column names,
        threshold, fitted parameters and online states."""
        if not isinstance(other, Model):
            return NotImplemented

        def what(m: "Model") -> dict:
            return {k: v for k, v in m._options.items() if k != "threads"}

        return (what(self) == what(other) and self._columns == other._columns
                and self.threshold == other.threshold and self._core == other._core
                and self._tracer == other._tracer)

    __hash__ = None  # type: ignore[assignment]  # mutable: fit() and update() change it

    def __repr__(self) -> str:
        if self._core is None:
            return "<masterymap.bkt.Model (not fitted)>"
        return f"<masterymap.bkt.Model: {len(self._core)} skills>"


def _indices(values: Any, lookup: Callable[[str], int], what: str) -> np.ndarray:
    """Tracer indices of names or ids (converted with :func:`masterymap._columns.ids`).

    :raises ValueError: listing every position of a value that is not an id.
    """
    col = _columns.ids(values if isinstance(values, pd.Series) else np.asarray(values), what)
    problems = _columns.id_rows(col, what)
    if problems:
        listed = "; ".join(f"position {r}: {why}" for r, why in problems[:_MAX_LISTED])
        raise ValueError(f"bad {what}s ({len(problems)}): {listed}")
    codes, names, _ = col
    table = np.fromiter((lookup(n) for n in names), dtype=np.uint32, count=len(names))
    return table[codes]


@checked
def update_batch(tracer: Tracer, learners: Sequence[Any], skills: Sequence[Any],
                 correct: Sequence[Any], p_correct: bool = False) -> Any:
    """Applies many answers to ``tracer`` in order; learners and skills are names or ids.

    New learners are added; unknown skills raise :class:`~masterymap.UnknownIdError`.
    :returns: P(mastered) after each answer (and P(correct) before it with ``p_correct=True``).
    """
    li = _indices(learners, tracer.learner_index, "learner")
    si = _indices(skills, tracer.skill_index, "skill")
    ci = _columns.binary(np.asarray(correct), "correct")
    return tracer.update_batch(li, si, ci, p_correct)


@checked
def fit(data: _Data, *,
        learner: str = "user_id", skill: str = "skill_name", correct: str = "correct",
        order: Optional[str] = None, item_class: Optional[str] = None,
        skills: Optional[Union[str, int, Sequence[Any]]] = None, multi_skill: str = "keep",
        skill_separator: str = "_", forgets: bool = False, multigs: bool = False,
        num_fits: int = 5, seed: int = 42,
        progress: Optional[Callable[[int, int], object]] = None, **options: Any) -> Model:
    """Fits a BKT :class:`Model` in one call; see :class:`Model` for the options and
    :meth:`Model.fit` for ``progress``.

    ``data`` is a DataFrame, a :class:`Dataset` (from :func:`read_csv`) or a CSV path.
    """
    model = Model(forgets=forgets, multigs=multigs, num_fits=num_fits, seed=seed, **options)
    return model.fit(data, learner=learner, skill=skill, correct=correct, order=order,
                     item_class=item_class, skills=skills, multi_skill=multi_skill,
                     skill_separator=skill_separator, progress=progress)


@checked
def crossvalidate(data: _Data, *, folds: int = 5,
                  metric: Union[str, Sequence[str]] = "auc", learner: str = "user_id",
                  skill: str = "skill_name", correct: str = "correct",
                  order: Optional[str] = None,
                  progress: Optional[Callable[[int, int], object]] = None,
                  **options: Any) -> pd.DataFrame:
    """Cross-validates a BKT model with ``options`` (see :class:`Model`); one row per fold."""
    model = Model(**options)
    return model.crossvalidate(data, folds=folds, metric=metric, learner=learner, skill=skill,
                               correct=correct, order=order, progress=progress)
