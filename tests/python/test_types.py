"""Wrong argument types, everywhere: every public callable of the package is found by walking
it (modules, functions, classes, constructors, methods, static methods, property setters) and
called with a wrong-typed value for each parameter in turn, the others valid. Each call must
raise TypeError naming the parameter, without pybind11's wording."""
import importlib.util
import inspect
import math
import pathlib
import pkgutil
import re
import types

import numpy as np
import pandas as pd
import pytest

import masterymap as mm
from masterymap import _arguments

#: pybind11's wording, which must never reach a user.
PYBIND11_WORDING = re.compile(
    r"incompatible (function|constructor) arguments|Unable to (cast|convert|move)|"
    r"PYBIND11|pybind11|C\+\+ type|Invoked with")


class Wrong:
    """A value of no type any parameter accepts (no __index__, __float__, __bool__, __len__,
    __iter__, __fspath__, not callable)."""

    def __repr__(self):
        return "<Wrong>"


WRONG = Wrong()


# --- the callables --------------------------------------------------------------------------

def _public_modules():
    yield mm
    for info in pkgutil.iter_modules(mm.__path__):
        if not info.name.startswith("_"):
            if info.name == "dask" and importlib.util.find_spec("dask") is None:
                continue  # masterymap.dask needs dask (optional)
            yield __import__(f"masterymap.{info.name}", fromlist=["_"])


def _ours(obj):
    return getattr(obj, "__module__", "").startswith("masterymap")


def public_callables():
    """(qualified name, callable, class or None, kind) of every public callable; kind is
    "function", "init", "method", "static" or "setter"."""
    found, seen = [], set()

    def add(qual, f, cls, kind):
        key = (id(f), kind)
        if key not in seen:
            seen.add(key)
            found.append((qual, f, cls, kind))

    for module in _public_modules():
        names = getattr(module, "__all__", None) or [n for n in vars(module)
                                                      if not n.startswith("_")]
        names = set(names) | {n for n, v in vars(module).items()
                              if not n.startswith("_") and isinstance(v, type) and _ours(v)
                              and v.__module__.startswith("masterymap._core")}
        for name in sorted(names):
            obj = getattr(module, name)
            if isinstance(obj, type):
                if issubclass(obj, BaseException) or not _ours(obj) or id(obj) in seen:
                    continue
                seen.add(id(obj))
                qual = f"{obj.__module__.replace('._core', '')}.{obj.__qualname__}"
                add(f"{qual}()", obj, obj, "init")
                for attr, value in vars(obj).items():
                    if attr.startswith("_") and attr not in DUNDERS:
                        continue
                    if isinstance(value, property):
                        if value.fset is not None:
                            add(f"{qual}.{attr}=", value.fset, obj, "setter")
                        continue
                    kind = "static" if isinstance(value, (staticmethod, classmethod)) else "method"
                    f = getattr(obj, attr)
                    if callable(f) and attr != "__init__":
                        add(f"{qual}.{attr}", f, obj, kind)
            elif callable(obj) and _ours(obj) and not name.startswith("_"):
                add(f"{module.__name__}.{name}", obj, None, "function")
    return found


#: Special methods users call (directly or through syntax), tested like the others.
DUNDERS = {"__getitem__", "__contains__", "__len__", "__iter__", "__repr__", "__str__",
           "__eq__", "__ne__", "__call__", "__setstate__", "__getstate__", "__copy__",
           "__deepcopy__", "__reduce__", "__reduce_ex__"}


class Param:
    def __init__(self, name, annotation, required, keyword, positional):
        self.name = name
        self.annotation = annotation
        self.required = required
        self.keyword = keyword        # may be passed by keyword
        self.positional = positional  # may be passed by position


def _bound(doc_name, f):
    """The signatures pybind11 wrote into the docstring of a bound function."""
    out = []
    for line in (f.__doc__ or "").splitlines():
        line = line.strip()
        if line[:1].isdigit() and ". " in line:
            line = line.split(". ", 1)[1]
        if line.startswith(doc_name + "("):
            out.append(line[len(doc_name):])
    return out


def _is_bound(f):
    return isinstance(f, types.BuiltinFunctionType) or type(f).__name__ in (
        "instancemethod", "builtin_function_or_method")


def parameters(f, kind):
    """The parameters of the first overload, without self, *args and **kwargs."""
    if isinstance(f, type):
        init = vars(f).get("__init__")
        if init is None:
            return None  # no constructor: checked separately
        f = f.__init__
        kind = "init"
    if _is_bound(f):
        name = "__init__" if kind == "init" else f.__name__
        sigs = _bound(name, f) if kind != "setter" else [
            line for line in (f.__doc__ or "").splitlines() if line.startswith("(")]
        if not sigs:
            return []
        ps = _arguments.parameters(sigs[0], {})
        method = kind in ("init", "method", "setter") or (ps and ps[0].name == "self")
        if method and ps:
            ps = ps[1:]
        out = []
        for p in ps:
            if p.kind in (_arguments._VAR_POSITIONAL, _arguments._VAR_KEYWORD):
                continue
            unnamed = re.fullmatch(r"arg\d+", p.name) is not None
            out.append(Param(p.name, p.type.name if p.type else "object", not p.default,
                             not unnamed and p.kind != _arguments._POSITIONAL_ONLY,
                             p.kind in (_arguments._POSITIONAL, _arguments._POSITIONAL_ONLY)))
        return out
    sig = inspect.signature(f)
    out = []
    for p in sig.parameters.values():
        if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD) or p.name in ("self", "cls"):
            continue
        ann = p.annotation if isinstance(p.annotation, str) else getattr(
            p.annotation, "__name__", str(p.annotation))
        out.append(Param(p.name, "object" if p.annotation is p.empty else ann,
                         p.default is p.empty, p.kind != p.POSITIONAL_ONLY,
                         p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)))
    return out


# --- a small world of valid values ----------------------------------------------------------

class World:
    """Valid samples of every public type, built once per test (calls may change them)."""

    def __init__(self, tmp: pathlib.Path):
        b = mm.FrameworkBuilder("types")
        b.add_competency("P", domain="D")
        b.add_competency("A", title="Adding", domain="D", level=1)
        b.add_competency("B", domain="D", level=2)
        b.add_child("P", "A").add_child("P", "B")
        b.add_prerequisite("B", "A")
        self.builder = b
        self.framework = fw = b.build()
        # Without inferred mastery, so that a learner can have a gap (a hole with no evidence).
        self.policy = policy = mm.Policy(mm.Scale.four_point(), infer_prerequisites="none")
        self.log = log = mm.EvidenceLog()
        log.add("s1", "A", 3, "2024-09-02")
        log.add("s1", "B", 2, "2024-09-03")
        log.add("s2", "B", 1, "2024-09-03")
        self.engine = mm.Engine(fw, policy)
        self.state = self.engine.evaluate(log, "s1")
        self.state2 = self.engine.evaluate(log, "s2")
        self.progression = mm.Progression(fw, policy)
        self.plan = mm.PacePlan("2024-09-01", "2025-06-01", ["A", "B"])
        self.roster = mm.Roster(fw, policy, threads=1)
        self.roster.ingest(log)
        self.evidence = pd.DataFrame({"learner": ["s1"], "competency": ["A"], "score": [3.0],
                                      "time": ["2024-09-05"]})
        rng = np.random.default_rng(1)
        self.responses = pd.DataFrame({
            "user_id": np.repeat([f"u{i}" for i in range(8)], 6),
            "skill_name": ["A"] * 48,
            "correct": rng.integers(0, 2, 48)})
        self.dataset = mm.bkt.dataset(self.responses)
        self.model = mm.bkt.fit(self.dataset, num_fits=1)
        self.tracer = self.model.tracer()
        files = {
            "framework.json": fw.to_json(),
            "policy.json": policy.to_json(),
            "model.json": self.model.to_json(),
            "evidence.csv": "learner,competency,time,score\ns1,A,2024-09-01,3\n",
            "responses.csv": "user_id,skill_name,correct\nu1,A,1\nu1,A,0\nu2,A,1\n",
            "edges.csv": "prerequisite,dependent\nA,B\n",
        }
        self.files = {}
        for name, text in files.items():
            (tmp / name).write_text(text)
            self.files[name] = str(tmp / name)
        self.roster.save(tmp / "roster.bin")
        self.files["roster.bin"] = str(tmp / "roster.bin")
        self.out = str(tmp / "out.txt")

    def instance(self, cls):
        """A valid instance of a public class."""
        name = cls.__name__
        made = {
            "Framework": lambda: self.framework,
            "FrameworkBuilder": lambda: self.builder,
            "Competency": lambda: self.framework["A"],
            "Association": lambda: mm.Association("isRelatedTo", "A", "B", metadata={"k": "v"}),
            "Scale": mm.Scale.four_point,
            "Method": mm.Method.latest,
            "Rule": mm.Rule,
            "Rollup": mm.Rollup.all_of,
            "Policy": lambda: self.policy,
            "EvidenceLog": lambda: self.log,
            "Engine": lambda: self.engine,
            "LearnerState": lambda: self.state,
            "Explanation": lambda: self.state.explain("A"),
            "Progression": lambda: self.progression,
            "Blocker": lambda: self.state2.blocked_by("B")[0],
            "Gap": lambda: self._gap(),
            "LearningPath": lambda: self.state2.path_to("B"),
            "Recommendation": lambda: self.state2.recommend()[0],
            "DomainLevel": lambda: self.state.level("D"),
            "PacePlan": lambda: self.plan,
            "PaceReport": lambda: self.state.pacing(self.plan),
            "Roster": lambda: self.roster,
            "Dataset": lambda: self.dataset,
            "Tracer": lambda: self.tracer,
            "ModelProbabilities": lambda: self.model.probability_source(),
            "RevisionMap": lambda: mm.revisions(self.framework, self.framework),
        }
        if name == "Model":
            return self.model if cls is mm.bkt.Model else self.model.core
        if name not in made:
            pytest.fail(f"test_types.World has no sample {cls.__module__}.{cls.__qualname__}: "
                        f"add one so its methods are checked")
        return made[name]()

    def _gap(self):
        log = mm.EvidenceLog()
        log.add("g", "B", 4, "2024-09-02")
        gaps = self.engine.evaluate(log, "g").gaps()
        assert gaps, "the world needs a learner with a gap"
        return gaps[0]

    def sample(self, qual, p: Param):
        """A valid value for a required parameter."""
        name, ann = p.name, p.annotation
        bkt = ".bkt." in qual or qual.startswith("masterymap.bkt")
        by_qual = {
            ("from_json", "text"): None,
            ("read", "path"): self.files["policy.json"],
            ("read_json", "path"): self.files["framework.json"],
            ("read_framework_csv", "edges"): self.files["edges.csv"],
            ("EvidenceLog.read_csv", "path"): self.files["evidence.csv"],
            ("append_csv", "path"): self.files["evidence.csv"],
            ("bkt.read_csv", "path"): self.files["responses.csv"],
            ("Roster.load", "path"): self.files["roster.bin"],
            ("Model.load", "path"): self.files["model.json"],
            ("parse_csv", "text"): b"user_id,skill_name,correct\nu1,A,1\n",
            ("from_arrays", "learner"): ["s1"],
            ("from_arrays", "competency"): ["A"],
            ("from_arrays", "score"): [3.0],
            ("from_arrays", "time"): ["2024-09-05"],
            ("bkt.frame", "data"): self.dataset,
            ("Model.update", "correct"): 1,
            ("Tracer.update", "correct"): True,
            ("bkt.metrics", "correct"): [1, 0],
            ("achievement_credentials", "source"): self.roster,
            ("io.clr", "source"): self.roster,
        }
        for (where, pname), value in by_qual.items():
            if qual.endswith(where) and pname == name:
                if where == "from_json":
                    return self._json_for(qual)
                return value
        by_name = {
            "learner": "s1", "competency": "A", "id": "A", "ids": ["A"], "goals": ["B"],
            "domain": "D", "parent": "P", "child": "A", "dependent": "B", "prerequisite": "A",
            "dependents": ["B"], "prerequisites": ["A"], "label": "Proficient",
            "time": "2024-09-10", "as_of": "2024-09-10", "today": "2024-09-10",
            "when": "2024-09-10", "start": "2024-09-01", "target_date": "2025-06-01",
            "score": 3.0, "statuses": self.state.statuses(), "status": "mastered",
            "path": self.out, "framework": self.framework, "policy": self.policy,
            "log": self.log, "engine": self.engine, "state": self.state, "plan": self.plan,
            "progression": self.progression, "rule": mm.Rule(), "rollup": mm.Rollup.all_of(),
            "method": mm.Method.latest(), "scale": mm.Scale.four_point(),
            "ratings": [("Low", 0.0), ("High", 1.0)], "mastery": "High",
            "tracer": self.tracer, "keep": [True] * 8, "key": "A", "indices": [0],
            "old_edition": self.framework, "new_edition": self.framework, "old_id": "A",
            "log_or_roster": self.log, "roster": self.roster,
            "revisions": mm.revisions(self.framework, self.framework),
            "index": 0, "data": self.responses if bkt else self.evidence,
            "df": self.responses, "model": self.model.core, "t": "2024-09-10",
            "fraction": 0.5, "min_points": 1.0, "k": 1, "total": 2, "attainment": 0,
            "params": [dict(skill="A", prior=0.2, learns=0.1, guesses=0.2, slips=0.1)],
            "learners": 2, "length": 3, "correct": [1, 0], "predicted": [0.5, 0.5],
            "skill": "A", "skills": ["A"], "level": 2,
            "source": '{"CFDocument": {"identifier": "d", "uri": "urn:d", "title": "T"}}',
            "statement": '{"actor": {"mbox": "mailto:a@example.org"}, '
                         '"verb": {"id": "http://x.org/v"}, "object": {"id": "http://x.org/a"}}',
        }
        if name == "ddf":  # masterymap.dask: a Dask frame of evidence (of responses for BKT)
            import dask.dataframe as dd
            data = self.responses if qual.endswith("bkt_fit") else self.evidence
            return dd.from_pandas(pd.DataFrame(data), npartitions=1)
        if bkt and name in ("learners", "skills", "correct") and "update_batch" in qual:
            return {"learners": ["u1"], "skills": ["A"], "correct": [1]}[name]
        if "Tracer.update_batch" in qual:
            return {"learners": np.array([0], np.uint32), "skills": np.array([0], np.uint32),
                    "correct": np.array([1], np.uint8)}.get(name)
        if name in by_name:
            return by_name[name]
        if ann.startswith("numpy.ndarray"):
            return np.array([0], dtype=np.uint32)
        simple = {"int": 1, "float": 0.5, "str": "A", "bool": False, "List": [], "Dict": {},
                  "tuple": (), "dict": {}, "Optional": None}
        for key, value in simple.items():
            if ann.startswith(key):
                return value
        pytest.fail(f"test_types.World has no sample for {qual}({name}: {ann})")

    def _json_for(self, qual):
        if "Framework" in qual:
            return self.framework.to_json()
        if "Policy" in qual:
            return self.policy.to_json()
        if "Tracer" in qual:
            return self.tracer.to_json()
        return self.model.to_json()


#: Calls that may accept a wrong-typed value (or reject it with the library's error for a bad
#: value rather than a TypeError), and why.
ALLOWED = {}

#: Ids (learner, competency, skill) are taken in any form and stand for their one text (1,
#: np.int64(1) and "1" are one id), so an object of another type is an id too: an unseen
#: learner is a new learner, an unknown competency or skill the library's error for an unknown
#: id (EvidenceError, UnknownIdError). Where the parameter takes only ids (its annotation is
#: object or Any), a wrong type may be accepted or rejected either way.
IDS = {"learner", "competency", "skill", "id"}



def _untyped(qual, name):
    """Whether the parameter takes any object (annotation object or Any)."""
    f, cls, kind = CALLABLES[qual]
    p = next(p for p in parameters(f, kind) if p.name == name)
    return p.annotation in ("object", "Any", "typing.Any")


def _cases():
    cases = []
    for qual, f, cls, kind in public_callables():
        ps = parameters(f, kind)
        if ps is None:
            continue
        if not ps:
            cases.append(pytest.param(qual, None, id=f"{qual}:extra"))
        for p in ps:
            cases.append(pytest.param(qual, p.name, id=f"{qual}:{p.name}"))
    return cases


CALLABLES = {qual: (f, cls, kind) for qual, f, cls, kind in public_callables()}


def test_every_public_callable_is_found():
    # A floor, so a broken walk cannot pass by finding nothing (about 270 today).
    assert len(CALLABLES) > 250
    for must in ("masterymap.Rule()", "masterymap.Roster.add", "masterymap.bkt.Model.fit",
                 "masterymap.evaluate", "masterymap.Rule.min_evidence=",
                 "masterymap.Scale.percent", "masterymap.io.read_json"):
        assert must in CALLABLES, must


def _call(world, qual, wrong_name):
    f, cls, kind = CALLABLES[qual]
    target = f
    if kind in ("method", "setter"):
        # __setstate__ initialises a new instance (on a live one pybind11 ignores it)
        self_ = cls.__new__(cls) if f.__name__ == "__setstate__" else world.instance(cls)
        if kind == "setter":
            prop = next(k for k, v in vars(cls).items()
                        if isinstance(v, property) and v.fset is f)
            return lambda: setattr(self_, prop, WRONG)
        target = getattr(self_, f.__name__)
    ps = parameters(f, kind)
    args, kwargs = [], {}
    gap = False  # an optional parameter was left out: the rest go by keyword
    for p in ps:
        if p.name == wrong_name:
            value = WRONG
        elif p.required:
            value = world.sample(qual, p)
        else:
            gap = True
            continue
        if p.positional and (not gap or not p.keyword) and not kwargs:
            args.append(value)
        else:
            kwargs[p.name] = value
    if wrong_name is None:
        args.append(WRONG)  # no parameters: one argument too many
    return lambda: target(*args, **kwargs)


@pytest.mark.parametrize("qual, param", _cases())
def test_wrong_type_is_a_type_error_naming_the_parameter(tmp_path, qual, param):
    world = World(tmp_path)
    call = _call(world, qual, param)
    if (qual, param) in ALLOWED or (param in IDS and _untyped(qual, param)):
        try:
            call()
        except Exception as e:
            assert not PYBIND11_WORDING.search(str(e)), f"{type(e).__name__}: {e}"
            assert isinstance(e, (TypeError, mm.Error)), f"{type(e).__name__}: {e}"
        return
    if qual.rsplit(".", 1)[-1] in ("__eq__", "__ne__"):
        # Python's rule for comparisons: NotImplemented, so `x == 1` is False, not an error
        assert call() is NotImplemented
        return
    with pytest.raises(Exception) as info:
        call()
    e = info.value
    text = str(e)
    assert not PYBIND11_WORDING.search(text), f"{type(e).__name__}: {text}"
    assert isinstance(e, TypeError), f"{type(e).__name__}: {text}"
    if param is not None and not re.fullmatch(r"arg\d+", param):
        name = qual.rsplit(".", 1)[-1].rstrip("=") if qual.endswith("=") else param
        assert name in text, text


# --- the messages themselves ------------------------------------------------------------------

@pytest.mark.parametrize("call, message", [
    (lambda: mm.Rule(min_evidence="x"), "Rule(): min_evidence must be an int, got str 'x'"),
    (lambda: mm.Rule(require_kinds=["a", 3]),
     "Rule(): require_kinds[1] must be a str, got int 3"),
    (lambda: mm.Scale.percent("80"), "Scale.percent(): threshold must be a number, got str '80'"),
    (lambda: mm.Engine(None, mm.Policy()), "Engine(): framework must be a Framework, got None"),
    (lambda: mm.Policy().override("A", rule=3), "Policy.override(): rule must be a Rule, got int 3"),
    (lambda: mm.Scale([("Low", 0), ("High", "x")], mastery="High"),
     "Scale(): ratings[1][1] must be a number, got str 'x'"),
    (lambda: mm.Rollup.points(2, {"A": "x"}),
     "Rollup.points(): points['A'] must be a number, got str 'x'"),
    (lambda: mm.bkt.Model(num_fits="5"), "bkt.Model(): num_fits must be an int, got str '5'"),
    (lambda: setattr(mm.Rule(), "min_evidence", "x"),
     "Rule.min_evidence must be an int, got str 'x'"),
])
def test_message_names_function_parameter_and_what_it_accepts(call, message):
    with pytest.raises(TypeError) as info:
        call()
    assert str(info.value) == message


def test_unknown_keywords_and_too_many_arguments_are_reported_as_python_does():
    with pytest.raises(TypeError, match=r"^Rule\(\) got an unexpected keyword argument "
                                        r"'min_evidnce'$"):
        mm.Rule(min_evidnce=2)
    with pytest.raises(TypeError, match=r"^Scale.percent\(\) takes 1 positional argument but 2 "
                                        r"were given$"):
        mm.Scale.percent(80, 90)
    with pytest.raises(TypeError, match=r"^Engine\(\) missing required argument: 'policy'$"):
        mm.Engine(mm.Framework())
    # fit passes its options on to the model
    with pytest.raises(TypeError, match=r"^bkt.Model\(\) got an unexpected keyword argument "
                                        r"'num_fit'$"):
        mm.bkt.fit(pd.DataFrame(), num_fit=2)


def test_comparing_with_another_type_is_false_not_an_error():
    assert (mm.Scale.four_point() == 1) is False
    assert (mm.Rule() != "rule") is True
    assert mm.Method.latest() != mm.Rule()


def test_help_is_unchanged():
    # The guard changes no docstring: pybind11's signatures (read by help() and the stubs).
    assert mm.Rule.__init__.__doc__.startswith("__init__(self: masterymap._core.Rule, method: ")
    assert "Overloaded" not in mm.Rule.__init__.__doc__


def test_a_python_function_is_checked_before_it_runs():
    with pytest.raises(TypeError, match=r"^bkt.read_csv\(\): learner must be a str, got int 3$"):
        mm.bkt.read_csv("/nonexistent.csv", learner=3)
    with pytest.raises(TypeError, match=r"^EvidenceLog.extend\(\): data must be"):
        mm.EvidenceLog().extend(42)
