"""The package's shape: one module per concept over the compiled _core, nothing attached to it."""
import importlib
import inspect
import json
import subprocess
import sys
import types

import pytest

import masterymap as mm


def _core_classes(module, prefix="masterymap._core"):
    """(qualified name, class) of every class defined in _core and its submodules."""
    out = []
    for name, value in vars(module).items():
        if isinstance(value, type) and value.__module__.startswith(prefix):
            out.append((f"{module.__name__}.{name}", value))
        elif isinstance(value, types.ModuleType) and value.__name__.startswith(prefix + "."):
            out.extend(_core_classes(value, prefix))
    return out


def test_no_python_function_in_any_core_class():
    found = []
    for qualname, cls in _core_classes(mm._core):
        for attr, value in vars(cls).items():
            # pybind11 binds methods as instancemethod/builtin objects and properties with
            # builtin getters: a plain Python function anywhere was attached after import.
            func = value.__func__ if isinstance(value, (staticmethod, classmethod)) else value
            func = func.fget if isinstance(func, property) else func
            if isinstance(func, types.FunctionType):
                found.append(f"{qualname}.{attr}")
    assert found == []


def test_importing_the_package_adds_no_attribute_to_core_types():
    spec = importlib.util.find_spec("masterymap._core")
    script = f"""
import importlib.util, json, sys, types
spec = importlib.util.spec_from_file_location("masterymap._core", {spec.origin!r})
core = importlib.util.module_from_spec(spec)
spec.loader.exec_module(core)
def classes(m):
    out = {{}}
    for k, v in vars(m).items():
        if isinstance(v, type) and v.__module__.startswith("masterymap._core"):
            out[m.__name__ + "." + k] = sorted(vars(v))
        elif isinstance(v, types.ModuleType) and v.__name__.startswith("masterymap._core."):
            out.update(classes(v))
    return out
before = classes(core)
sys.modules["masterymap._core"] = core
import masterymap
assert masterymap.Framework is core.Framework  # the package used this very module
print(json.dumps([before, classes(core)]))
"""
    out = subprocess.run([sys.executable, "-c", script], check=True, capture_output=True,
                         text=True).stdout
    before, after = json.loads(out)
    assert set(before) == set(after)
    assert "masterymap._core.bkt.Model" in before and "masterymap._core.Framework" in before
    added = {name: sorted(set(after[name]) - set(before[name])) for name in before}
    assert {k: v for k, v in added.items() if v} == {}


STEMS = {
    "framework": ["Competency", "Framework", "FrameworkBuilder"],
    "scale": ["Scale"],
    "policy": ["Method", "Policy", "Rollup", "Rule"],
    "evidence": ["EvidenceError", "EvidenceLog", "set_column_cache_limit"],
    "engine": ["Engine", "Explanation", "LearnerState", "ProbabilitySource", "STATUSES",
               "evaluate", "evaluate_all", "ratings"],
    "progression": ["Blocker", "DomainLevel", "Gap", "LearningPath", "Progression", "Recommendation"],
    "pacing": ["PacePlan", "PaceReport", "to_seconds"],
    "roster": ["Roster"],
    "bkt": ["Dataset", "Model", "Tracer", "fit", "read_csv"],
    "io": ["read_framework_csv", "read_json"],
}


@pytest.mark.parametrize("stem", sorted(STEMS))
def test_one_module_per_concept(stem):
    module = importlib.import_module(f"masterymap.{stem}")
    for name in STEMS[stem]:
        value = getattr(module, name)
        assert name in module.__all__
        if stem not in ("bkt", "io"):
            assert getattr(mm, name) is value  # the package re-exports the same object
        if inspect.isclass(value) and stem != "bkt":
            assert getattr(mm._core, name) is value  # a bound type, re-exported unchanged


def test_public_objects_are_the_bound_types():
    b = mm.FrameworkBuilder("t")
    b.add_competency("A")
    b.add_competency("B")
    b.add_prerequisite("B", prerequisite="A")
    fw = b.build()
    assert isinstance(fw, mm.Framework) and isinstance(fw, mm.framework.Framework)
    policy = mm.Policy(mm.Scale.four_point())
    assert isinstance(policy, mm.Policy)
    log = mm.EvidenceLog().add("s1", "A", 3, 1.0)
    assert isinstance(log, mm.EvidenceLog)
    roster = mm.Roster(fw, policy)
    roster.ingest(log)
    assert isinstance(roster.log, mm.EvidenceLog)
    assert isinstance(roster.framework, mm.Framework) and isinstance(roster.policy, mm.Policy)
    st = mm.Engine(fw, policy).evaluate(log, "s1")
    assert isinstance(st, mm.LearnerState) and isinstance(st.framework, mm.Framework)
    model = mm.bkt.Model.from_json(json.dumps({
        "format": "masterymap.bkt.model", "version": 1,
        "skills": [{"skill": "A", "prior": 0.3, "learn": 0.2, "forget": 0.0, "guess": 0.1,
                    "slip": 0.05}]}))
    assert isinstance(model, mm.bkt.Model)
