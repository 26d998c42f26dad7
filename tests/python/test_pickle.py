"""Objects that travel: every public object pickles (protocols 2-5, and cloudpickle), copies and
deep-copies, compares (== and !=, never a TypeError against another type) and hashes exactly
when it is immutable; round trips give equal objects with bit-identical results. What
multiprocessing, joblib and Dask need.

A new public class fails test_every_public_class_is_covered until it gets a sample here.
"""
import copy
import functools
import inspect
import io
import math
import multiprocessing
import pathlib
import pickle
import types

import cloudpickle
import numpy as np
import pandas as pd
import pytest

import masterymap as mm

PROTOCOLS = range(2, pickle.HIGHEST_PROTOCOL + 1)


# --- a small world with every kind of object ---------------------------------------------------

def make_framework():
    b = mm.FrameworkBuilder("travel")
    for level in (1, 2, 3):
        for strand in "ab":
            b.add_competency(f"N{level}{strand}", title=f"Number {level}{strand}", domain="N",
                             level=level, tags=["num"], metadata={"grade": str(level)})
    b.add_competency("N", title="Number", domain="N")
    b.add_competency("habits", kind="disposition")
    for strand in "ab":
        b.add_prerequisite(f"N2{strand}", prerequisite=f"N1{strand}")
        b.add_prerequisite(f"N3{strand}", prerequisite=f"N2{strand}")
    b.add_prerequisite("N2b", prerequisite="N1a", strength="familiar")
    b.add_prerequisite("N3a", prerequisite="N2b", strength="recommended", min_level=2.0)
    b.add_prerequisite("N1a", prerequisite="N3a")  # a cycle, dropped
    for c in ("N1a", "N1b"):
        b.add_child("N", c)
    return b, b.build(drop_cycle_edges=True)


BUILDER, FW = make_framework()
RULE = mm.Rule(method=mm.Method.decaying_average(0.6), min_evidence=1, ignore_kinds=["self"],
               window_days=400.0)
POLICY = mm.Policy(mm.Scale.four_point(), rule=RULE, name="travel")
POLICY.override("N3b", rule=mm.Rule(method=mm.Method.highest()))
POLICY.override(domain="N", rule=mm.Rule(method=mm.Method.n_mastery(2)))
POLICY.rollup("N", mm.Rollup.k_of_n(1, ["N1a", "N1b"]))
T0 = 1704067200.0  # 2024-01-01
DAY = 86400.0


def make_log(learners=6, seed=3):
    rng = np.random.default_rng(seed)
    ids = [c for c in FW if c not in ("N", "habits")]
    rows = []
    for i in range(learners * 6):
        rows.append(dict(learner=f"s{int(rng.integers(learners))}",
                         competency=ids[int(rng.integers(len(ids)))],
                         score=float(rng.integers(1, 5)), time=T0 + i * DAY,
                         kind=["formative", "summative", "self", "discussion"][i % 4],
                         weight=1.0 + (i % 3), source=["", "t1"][i % 2]))
    return mm.EvidenceLog().extend(pd.DataFrame(rows))


LOG = make_log()
ENGINE = mm.Engine(FW, POLICY)
STATES = ENGINE.evaluate_all(LOG)
STATE = STATES["s1"]
PLAN = mm.PacePlan(T0, T0 + 200 * DAY, ["N3a", "N3b"], rate=0.05)
BKT_PARAMS = [{"skill": "N1a", "prior": 0.2, "learns": 0.1, "guesses": 0.2, "slips": 0.1},
              {"skill": "N2a", "prior": 0.3, "learns": 0.2, "guesses": 0.1, "slips": 0.05}]


@functools.lru_cache(maxsize=None)
def bkt_model():
    return mm.bkt.fit(mm.bkt.simulate(BKT_PARAMS, 40, 8, seed=5), num_fits=2, threads=1)


def bkt_dataset():
    d = mm.bkt.dataset(mm.bkt.simulate(BKT_PARAMS, 10, 5, seed=9))
    d.columns = dict(learner="user_id", skill="skill_name", correct="correct", order=None,
                     item_class=None, multi_skill="keep", skill_separator="_")
    return d


def bkt_roster():
    """A roster whose policy rates by BKT with a model as its probability source."""
    pol = mm.Policy(mm.Scale.percent(50), rule=mm.Rule(method=mm.Method.bkt(0.6)))
    src = bkt_model().probability_source(correct_at=0.5)
    r = mm.Roster(FW, pol, probabilities=src, threads=2)
    df = LOG.to_dataframe()
    df["score"] = (df["score"] >= 3).astype(float)
    r.ingest(df[["learner", "competency", "score", "time"]])
    return r


def plain_roster():
    r = mm.Roster(FW, POLICY)
    r.ingest(LOG)
    return r


def tracer():
    t = bkt_model().tracer(0.8)
    for i, (l, s, c) in enumerate([("u1", "N1a", 1), ("u2", "N2a", 0), ("u1", "N1a", 1)]):
        t.update(l, s, bool(c))
    return t


def model_with_online_state():
    m = bkt_model()
    m = pickle.loads(pickle.dumps(m))  # its own tracer, not the cached model's
    m.update("u1", "N1a", 1)
    return m


def raised(fn):
    try:
        fn()
    except BaseException as e:  # noqa: B902 - the point is to catch it
        return e
    raise AssertionError("no exception")


def errors():
    cyc = mm.FrameworkBuilder()
    cyc.add_competency("A")
    cyc.add_competency("B")
    cyc.add_prerequisite("A", prerequisite="B")
    cyc.add_prerequisite("B", prerequisite="A")
    bad = mm.FrameworkBuilder()
    bad.add_competency("A")
    bad.add_competency("A")
    return {
        mm.ParseError: raised(lambda: mm.Policy.from_json('{"a": }')),
        mm.MissingFileError: raised(lambda: mm.Policy.read("/nonexistent/policy.json")),
        mm.FileError: raised(lambda: mm.Policy.read("/")),
        mm.CycleError: raised(cyc.build),
        mm.ValidationError: raised(bad.build),
        mm.UnknownIdError: raised(lambda: FW.index_of("nope")),
        mm.PolicyError: raised(lambda: mm.Engine(FW, mm.Policy().override("nope", rule=RULE))),
        mm.EvidenceError: raised(lambda: mm.EvidenceLog().extend(
            pd.DataFrame(dict(learner=["a", ""], competency=["A", "B"], score=[1.0, 2.0],
                              time=[1.0, float("nan")])))),
        mm.Error: mm.Error("a plain library error"),
    }


def editions_2019_to_2024():
    """The revision map of the CASE edition fixtures (splits, merges, a chain)."""
    case = pathlib.Path(__file__).resolve().parents[1] / "data" / "case"
    a, b, c = (mm.io.read_case(str(case / f"edition_{y}.json")) for y in (2019, 2021, 2024))
    return mm.revisions(a, c, [b])


# Samples of every public class: factories (fresh objects each call, so mutation tests cannot
# leak into other tests), at least one per class.
SAMPLES = {
    mm.Competency: [lambda: FW["N2b"], lambda: FW["habits"]],
    mm.Association: [lambda: mm.Association("isRelatedTo", "N2b", "http://example.org/x"),
                     lambda: mm.Association("ext:alignsTo", "a", "b", metadata={"k": "v"})],
    mm.FrameworkBuilder: [lambda: copy.deepcopy(BUILDER)],
    mm.Framework: [lambda: FW, lambda: mm.Framework()],
    mm.RevisionMap: [lambda: mm.revisions(FW, FW),
                     lambda: editions_2019_to_2024()],
    mm.Scale: [mm.Scale.four_point, lambda: mm.Scale.percent(70),
               lambda: mm.Scale([("No", 0.0, 0.0), ("Yes", 1.0, 0.6)], mastery="Yes",
                                continuous=True, name="yn")],
    mm.Method: [mm.Method.latest, lambda: mm.Method.weighted_average(0.3),
                lambda: mm.Method.n_mastery(4), lambda: mm.Method.bkt(0.9)],
    mm.Rule: [lambda: copy.copy(RULE),
              lambda: mm.Rule(require_kinds=["discussion"], window_last=3, monotonic=True,
                              expires_after_days=30.0, exempt_on_pretest=3.5,
                              exempt_confirm_kinds=["observation"], pretest_counts=True)],
    mm.Rollup: [mm.Rollup.all_of, lambda: mm.Rollup.points(3, {"A": 2, "B": 1}, ["A"]),
                lambda: mm.Rollup.any_of(mm.Rollup.all_of(["A", "B"]),
                                         mm.Rollup.weighted_mean({"C": 2.0}))],
    mm.Policy: [lambda: copy.deepcopy(POLICY),
                # (A policy with problems can no longer be built: Method.weighted_average(1.5) is
                # a PolicyError when made; C++ tests the JSON that carries one.)
                lambda: mm.Policy(rule=mm.Rule(method=mm.Method.weighted_average(0.9)))],
    mm.EvidenceLog: [lambda: copy.deepcopy(LOG), mm.EvidenceLog,
                     lambda: mm.EvidenceLog(kinds=["portfolio"]).add("x", "A", 1.0, 2.0,
                                                                     kind="portfolio")],
    mm.Engine: [lambda: ENGINE],
    mm.LearnerState: [lambda: ENGINE.evaluate(LOG, "s1"), lambda: ENGINE.evaluate(LOG, "nobody"),
                      lambda: plain_roster().learner("s2")],
    mm.Explanation: [lambda: STATE.explain("N2a"), lambda: STATE.explain("N")],
    mm.ProbabilitySource: [],  # abstract; see ModelProbabilities
    mm.Progression: [lambda: STATE.progression,
                     lambda: mm.Progression(FW, mm.Policy(mm.Scale.letter()))],
    mm.Blocker: [lambda: STATE.blocked_by("N3b")[0]],
    # N3a mastered (n_mastery(2): two pieces), N2a only in progress: a gap under done work
    mm.Gap: [lambda: mm.Engine(FW, POLICY).evaluate(
        mm.EvidenceLog().add("g", "N2a", 4, T0).add("g", "N3a", 4, T0 + 1).add("g", "N3a", 4, T0 + 2),
        "g").gaps()[0]],
    mm.LearningPath: [lambda: STATE.path_to(["N3a", "N3b"], rate=2, per="week")],
    mm.Recommendation: [lambda: STATE.recommend(k=2)[0]],
    mm.DomainLevel: [lambda: STATE.level("N")],
    mm.PacePlan: [lambda: PLAN, lambda: mm.PacePlan("2024-01-01", "2024-06-01", "N3a",
                                                    calendar=[("2024-03-01", 1)])],
    mm.PaceReport: [lambda: STATE.pacing(PLAN), lambda: STATE.pacing(PLAN, today=T0 + 400 * DAY)],
    mm.Roster: [plain_roster, bkt_roster, lambda: mm.Roster(FW, POLICY, as_of=T0 + 9 * DAY)],
    mm.bkt.Model: [bkt_model, model_with_online_state, mm.bkt.Model],
    mm.bkt.Dataset: [bkt_dataset, mm.bkt.Dataset],
    mm.bkt.Tracer: [tracer],
    mm.bkt.ModelProbabilities: [lambda: bkt_model().probability_source(
        correct_at=0.7, skill_of={"N1b": "N1a"}, unknown_uses_average=True)],
    mm._core.bkt.Model: [lambda: bkt_model().core],
}
ERRORS = [mm.Error, mm.ValidationError, mm.CycleError, mm.UnknownIdError, mm.PolicyError,
          mm.ParseError, mm.FileError, mm.MissingFileError, mm.EvidenceError]
# Mutable types are unhashable, and so is the data table Dataset (like a numpy array); the other,
# immutable types hash consistently with ==.
UNHASHABLE = {mm.FrameworkBuilder, mm.Rule, mm.Policy, mm.EvidenceLog, mm.LearnerState,
              mm.Roster, mm.bkt.Model, mm.bkt.Dataset, mm.bkt.Tracer}


def public_classes():
    """Every class reachable through the package's public names (and its modules')."""
    found, seen = set(), set()

    def walk(module):
        if module in seen:
            return
        seen.add(module)
        for name in dir(module):
            if name.startswith("_") and name != "_core":
                continue
            value = getattr(module, name)
            if isinstance(value, types.ModuleType) and value.__name__.startswith("masterymap"):
                walk(value)
            elif inspect.isclass(value) and value.__module__.startswith("masterymap") and \
                    not value.__name__.startswith("_"):
                found.add(value)

    walk(mm)
    return found


def test_every_public_class_is_covered():
    covered = set(SAMPLES) | set(ERRORS)
    missing = {f"{c.__module__}.{c.__qualname__}" for c in public_classes() - covered}
    assert missing == set(), "add samples to SAMPLES in test_pickle.py (and make them travel)"
    for cls, factories in SAMPLES.items():
        assert factories or inspect.isabstract(cls) or cls is mm.ProbabilitySource, cls


def samples():
    return [pytest.param(cls, i, id=f"{cls.__qualname__}-{i}")
            for cls, fs in SAMPLES.items() for i in range(len(fs))]


def sample(cls, i):
    obj = SAMPLES[cls][i]()
    assert type(obj) is cls
    return obj


# --- results that must be identical after a round trip -----------------------------------------

def same(a, b):
    """Deep, exact equality: arrays and floats bit for bit (NaN equal to NaN), frames by value
    and dtype."""
    if isinstance(a, np.ndarray):
        return isinstance(b, np.ndarray) and a.dtype == b.dtype and a.shape == b.shape and \
            a.tobytes() == b.tobytes()
    if isinstance(a, pd.DataFrame):
        return a.equals(b) and list(a.dtypes) == list(b.dtypes) and a.index.equals(b.index)
    if isinstance(a, float):
        return isinstance(b, float) and (a == b or (math.isnan(a) and math.isnan(b)))
    if isinstance(a, dict):
        return isinstance(b, dict) and a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)):
        return type(a) is type(b) and len(a) == len(b) and all(map(same, a, b))
    return a == b


def results(obj):
    """What an object answers, for comparing an object with its copy."""
    if isinstance(obj, mm.Roster):
        out = [obj.to_dataframe(all_competencies=True), obj.frontier(), obj.statuses(),
               obj.scores(), obj.ratings(), obj.frontier_matrix(), obj.levels(), obj.learners,
               obj.as_of]
        if len(obj):
            out += [obj.pacing(PLAN), obj.learner(obj.learners[0]).explain("N2a").to_dict()]
        return out
    if isinstance(obj, mm.LearnerState):
        ids = list(obj.framework)
        return [obj.statuses(), obj.scores(), obj.ratings(), obj.evidence_counts(), obj.as_of,
                obj.log_position, obj.frontier(), obj.to_dataframe(),
                [obj.explain(c).to_dict() for c in ids], [r.to_dict() for r in obj.recommend()],
                obj.pacing(PLAN).to_dict(), obj.last_evidence_times(),
                [obj.evidence_rows(c) for c in ids]]
    if isinstance(obj, mm.Engine):
        return [obj.ratings(LOG, all_competencies=True),
                obj.evaluate(LOG, "s2").statuses(), obj.evaluate(LOG, "s2").scores()]
    if isinstance(obj, mm.EvidenceLog):
        return [obj.to_dataframe(), obj.learners, obj.competencies, obj.kinds, obj.sources]
    if isinstance(obj, mm.Framework):
        return [obj.to_json(), list(obj), obj.dropped_edges if len(obj) else []]
    if isinstance(obj, mm.FrameworkBuilder):
        try:
            return [obj.build(drop_cycle_edges=True).to_json()]
        except mm.Error as e:
            return [str(e)]
    if isinstance(obj, mm.Policy):
        return [obj.to_json(), obj.problems()]
    if isinstance(obj, mm.Progression):
        st = np.zeros(len(obj), np.uint8)
        st[:2] = [3, 1]  # mastered, in progress
        return [obj.frontier(st), [b.to_dict() for b in obj.gaps(st)]]
    if isinstance(obj, mm.bkt.Model):
        if obj._core is None:
            return [repr(obj)]
        data = mm.bkt.simulate(BKT_PARAMS, 5, 4, seed=11)
        return [obj.params(), obj.predict(data), obj.mastery("u1", "N1a")]
    if isinstance(obj, mm._core.bkt.Model):
        return [obj.to_json(), obj.predict(mm.bkt.dataset(mm.bkt.simulate(BKT_PARAMS, 5, 4)))]
    if isinstance(obj, mm.bkt.Tracer):
        return [obj.to_json(), obj.mastery("u1", "N1a"), obj.learners]
    if isinstance(obj, mm.bkt.Dataset):
        return [obj.learners, obj.skills, obj.correct, obj.order, obj.item_classes,
                obj.source_row, obj.learner_names, obj.skill_names, vars(obj)]
    if isinstance(obj, mm.bkt.ModelProbabilities):
        return [obj.probability("s", "N1a", [1.0, 0.0, 1.0]),
                obj.probability("s", "N1b", [1.0, 1.0])]
    if hasattr(obj, "to_dict"):
        return [obj.to_dict(), repr(obj)]
    return [repr(obj)]


def check_same_object(a, b):
    assert type(b) is type(a)
    assert b == a
    assert not (b != a)
    assert same(results(a), results(b))
    if type(a).__hash__ is not None:
        assert hash(b) == hash(a)


# --- the round trips -------------------------------------------------------------------------

@pytest.mark.parametrize("protocol", PROTOCOLS)
@pytest.mark.parametrize("cls,i", samples())
def test_pickle_round_trip(cls, i, protocol):
    obj = sample(cls, i)
    check_same_object(obj, pickle.loads(pickle.dumps(obj, protocol=protocol)))


@pytest.mark.parametrize("cls,i", samples())
def test_cloudpickle_round_trip(cls, i):
    obj = sample(cls, i)
    check_same_object(obj, cloudpickle.loads(cloudpickle.dumps(obj)))


@pytest.mark.parametrize("cls,i", samples())
def test_copy_and_deepcopy(cls, i):
    obj = sample(cls, i)
    check_same_object(obj, copy.copy(obj))
    check_same_object(obj, copy.deepcopy(obj))


@pytest.mark.parametrize("cls,i", samples())
def test_equality_with_other_types_is_false_not_an_error(cls, i):
    obj = sample(cls, i)
    for other in (None, 3, "x", object(), FW if cls is not mm.Framework else POLICY):
        assert (obj == other) is False
        assert (obj != other) is True


@pytest.mark.parametrize("cls", list(SAMPLES))
def test_hashable_exactly_when_immutable(cls):
    assert (cls.__hash__ is None) == (cls in UNHASHABLE), cls
    if cls.__hash__ is not None:
        for f in SAMPLES[cls]:
            assert hash(f()) == hash(f())  # a fresh, equal object hashes alike
            assert {f(): 1}[f()] == 1


@pytest.mark.parametrize("cls", [c for c in SAMPLES if len(SAMPLES[c]) > 1])
def test_different_samples_are_unequal(cls):
    objs = [f() for f in SAMPLES[cls]]
    for a in range(len(objs)):
        for b in range(len(objs)):
            assert (objs[a] == objs[b]) == (a == b), (a, b)
            assert (objs[a] != objs[b]) == (a != b), (a, b)


# --- mutable objects: copies are independent ---------------------------------------------------

def test_copies_of_mutable_objects_are_independent():
    log = copy.deepcopy(LOG)
    for dup in (copy.copy(log), copy.deepcopy(log), pickle.loads(pickle.dumps(log))):
        dup.add("new", "N1a", 2, T0)
        assert dup != log and len(log) == len(LOG)

    r = plain_roster()
    for dup in (copy.copy(r), copy.deepcopy(r)):
        dup.add("new", "N1a", 4, T0 + 99 * DAY)
        assert dup != r and "new" not in r

    p = copy.deepcopy(POLICY)
    dup = copy.copy(p)
    dup.override("N1a", rule=mm.Rule(min_evidence=3))
    assert dup != p and p == POLICY

    rule = mm.Rule()
    dup = copy.copy(rule)
    dup.min_evidence = 4
    assert rule.min_evidence == 1

    b = copy.deepcopy(BUILDER)
    dup = copy.copy(b)
    dup.add_competency("Z")
    assert len(b) == len(BUILDER) and dup != b

    t = tracer()
    dup = copy.copy(t)
    dup.update("u9", "N1a", True)
    assert dup != t and "u9" not in t.learners

    m = model_with_online_state()
    dup = copy.deepcopy(m)
    dup.update("u1", "N1a", 0)
    assert dup != m


def test_learner_state_copy_shares_the_log_and_deepcopy_copies_it():
    log = copy.deepcopy(LOG)
    st = ENGINE.evaluate(log, "s1")
    shallow, deep = copy.copy(st), copy.deepcopy(st)
    assert shallow == st and deep == st
    log.add("s1", "N3a", 4, T0 + 90 * DAY)
    assert shallow == st  # the same log, with the new row
    assert deep != st  # its own log, without it
    ENGINE.update(shallow, log)
    assert shallow == ENGINE.evaluate(log, "s1") and shallow != st


# --- sharing, protocol 5 and what travels with objects -----------------------------------------

def test_states_of_one_engine_pickle_their_framework_once():
    states = ENGINE.evaluate_all(LOG)
    data = pickle.dumps(states, protocol=5)
    assert data.count(b"masterymap.framework") == 1
    back = pickle.loads(data)
    assert back == states
    engines = {id(s.progression) for s in back.values()}
    assert len(engines) == 1  # one engine (and its compiled progression) for all of them
    recs = STATE.recommend(k=5) + STATE.blocked_by("N3b")
    assert pickle.dumps(recs).count(b"masterymap.framework") == 1
    assert pickle.loads(pickle.dumps(recs)) == recs


@pytest.mark.parametrize("make", [plain_roster, bkt_dataset, lambda: copy.deepcopy(LOG)])
def test_protocol_5_sends_big_columns_out_of_band(make):
    obj = make()
    buffers = []
    data = pickle.dumps(obj, protocol=5, buffer_callback=buffers.append)
    assert buffers, "no out-of-band buffer"
    assert sum(len(b.raw()) for b in buffers) > len(data) / 4
    back = pickle.loads(data, buffers=buffers)
    check_same_object(obj, back)


def test_framework_keeps_its_dropped_edges():
    back = pickle.loads(pickle.dumps(FW))
    assert back.dropped_edges == FW.dropped_edges and len(FW.dropped_edges) == 1


def test_a_roster_keeps_its_probability_source_and_threads():
    r = bkt_roster()
    back = pickle.loads(pickle.dumps(r))
    assert back.threads == 2
    # The BKT ratings come from the source: without it every pair would be in progress.
    assert (back.statuses() == mm.STATUSES.index("mastered")).any()
    assert same(results(back), results(r))
    more = pd.DataFrame(dict(learner=["s1", "new"], competency=["N1a", "N2a"], score=[1.0, 1.0],
                             time=[T0 + 90 * DAY] * 2))
    r.ingest(more)
    back.ingest(more)
    assert back == r and same(results(back), results(r))


def probability(learner, competency, scores):
    """A module-level probability source (pickle finds it by name)."""
    return min(1.0, 0.25 * len(scores))


def test_callable_probability_sources_travel_by_reference_or_with_cloudpickle():
    pol = mm.Policy(rule=mm.Rule(method=mm.Method.bkt(0.7)))
    st = mm.Engine(FW, pol).evaluate(LOG, "s1", probabilities=probability)
    back = pickle.loads(pickle.dumps(st))
    assert back == st and same(results(back), results(st))
    st2 = mm.Engine(FW, pol).evaluate(LOG, "s1", probabilities=lambda l, c, s: 0.9)
    with pytest.raises((pickle.PicklingError, AttributeError)):
        pickle.dumps(st2)
    back2 = cloudpickle.loads(cloudpickle.dumps(st2))
    assert back2 == st2 and same(results(back2), results(st2))


def test_a_pickled_dataset_keeps_its_column_names_for_fitting():
    df = mm.bkt.simulate(BKT_PARAMS, 10, 5, seed=2).rename(columns={"user_id": "who"})
    model = mm.bkt.Model(num_fits=1, threads=1).fit(df, learner="who")
    back = pickle.loads(pickle.dumps(model))
    assert back == model
    assert same(back.predict(df), model.predict(df))


def test_updating_an_unpickled_state_matches_the_original():
    log = copy.deepcopy(LOG)
    st = ENGINE.evaluate(log, "s3")
    back = pickle.loads(pickle.dumps((st, log)))
    st2, log2 = back
    assert st2.log_position == st.log_position
    for lg, s in ((log, st), (log2, st2)):
        lg.add("s3", "N2b", 4, T0 + 80 * DAY)
        ENGINE.update(s, lg)
    assert st2 == st and same(results(st2), results(st))


@pytest.mark.parametrize("cls", ERRORS)
def test_errors_travel_with_their_attributes(cls):
    e = errors()[cls]
    assert type(e) is cls
    for protocol in PROTOCOLS:
        back = pickle.loads(pickle.dumps(e, protocol=protocol))
        assert type(back) is cls and str(back) == str(e) and back.args == e.args
        assert vars(back) == vars(e)
        for attr in ("errno", "strerror", "filename", "line", "column", "row", "id", "cycle"):
            assert getattr(back, attr, None) == getattr(e, attr, None), attr


def test_bad_states_are_errors_not_wrong_objects():
    st = pickle.loads(pickle.dumps(STATE)).__reduce_ex__(2)[2]
    eng, data, log, src = st
    small = mm.FrameworkBuilder()
    small.add_competency("A")
    with pytest.raises(mm.ParseError):
        mm.LearnerState.__new__(mm.LearnerState).__setstate__(
            (mm.Engine(small.build(), mm.Policy()), data, log, src))
    with pytest.raises(mm.ParseError):
        mm.LearnerState.__new__(mm.LearnerState).__setstate__((eng, data[:-3], log, src))
    with pytest.raises(ValueError):
        mm.LearnerState.__new__(mm.LearnerState).__setstate__((eng, data, mm.EvidenceLog(), src))
    roster_state = plain_roster().__getstate__()
    with pytest.raises(mm.ParseError):
        mm.Roster.__new__(mm.Roster).__setstate__((roster_state[0][:100],) + roster_state[1:])
    flipped = roster_state[0].copy()
    flipped[len(flipped) // 2] ^= 0x20
    with pytest.raises(mm.ParseError, match="checksum"):
        mm.Roster.__new__(mm.Roster).__setstate__((flipped,) + roster_state[1:])
    assert mm.Roster.from_bytes(plain_roster().to_bytes()) == plain_roster()


# --- processes -----------------------------------------------------------------------------------

def grow_roster(roster, engine, rows):
    """In a worker: ingest rows into a roster and evaluate with a (pickled) engine."""
    roster.ingest(pd.DataFrame(rows))
    st = engine.evaluate(roster.log, "s1")
    return roster, st, roster.frontier()


def test_roster_and_engine_go_to_a_spawned_process_and_back():
    r = plain_roster()
    rows = dict(learner=["s1", "z"], competency=["N2a", "N1b"], score=[4.0, 3.0],
                time=[T0 + 95 * DAY, T0 + 96 * DAY])
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(1) as pool:
        r2, st2, frontier2 = pool.apply(grow_roster, (r, ENGINE, rows))
    r3, st3, frontier3 = grow_roster(r, ENGINE, rows)  # the same work here
    assert r2 == r3 and st2 == st3
    assert same(frontier2, frontier3)
    assert same(results(r2), results(r3)) and same(results(st2), results(st3))


def test_pickled_roster_streams_through_a_file():
    r = plain_roster()
    f = io.BytesIO()
    pickle.dump(r, f, protocol=5)
    f.seek(0)
    assert pickle.load(f) == r
