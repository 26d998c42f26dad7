"""Python threads sharing a Roster, an EvidenceLog, an Engine and a Tracer.

Roster.ingest/add and EvidenceLog.extend change their object in C++ with the GIL released; every
method of those classes holds the object's readers/writer lock (bindings/python/object_lock.hpp).
So reads from other threads see the object either before or after a whole change, never in
between, and calls that could only wait forever raise RuntimeError instead of hanging.
"""
import json
import threading

import numpy as np
import pandas as pd
import pytest

import masterymap as mm

T0 = 1.7e9
BATCHES = 12


@pytest.fixture(scope="module")
def fractions(example_data):
    fw = mm.Framework.read_json(example_data / "fractions" / "framework.json")
    pol = mm.Policy.read(example_data / "fractions" / "policy.json")
    return fw, pol


def batches(fw, n=BATCHES, rows=400, learners=60, seed=3):
    rng = np.random.default_rng(seed)
    ids = np.array(list(fw))
    out = []
    for b in range(n):
        t = T0 + 3600.0 * (b * rows + np.arange(rows))
        out.append(pd.DataFrame({
            "learner": [f"s{i}" for i in rng.integers(0, learners, rows)],
            "competency": ids[rng.integers(0, len(ids), rows)],
            "score": rng.integers(1, 5, rows).astype(float),
            "time": t,
            "kind": rng.choice(["formative", "summative", "discussion"], rows),
        }))
    return out


def fingerprint(frame):
    """A value identifying a DataFrame's content (row order included)."""
    return int(pd.util.hash_pandas_object(frame.astype(str), index=False).sum())


def array_print(a):
    """A value identifying a numpy array's shape, type and content."""
    return (a.shape, a.dtype.str, hash(np.ascontiguousarray(a).tobytes()))


def run(threads, timeout=300):
    """Starts and joins the threads; a thread still running after `timeout` is a hang."""
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout)
        assert not t.is_alive(), "a thread did not finish: deadlock?"


class Recorder:
    """Runs `fn` repeatedly until `stop` is set, recording results and exceptions. `started` is
    set after the first call, so a writer can wait for every reader to be under way."""

    def __init__(self, fn, stop):
        self.fn, self.stop, self.results, self.errors = fn, stop, [], []
        self.started = threading.Event()

    def __call__(self):
        while True:
            last = self.stop.is_set()  # one more read after the writer is done
            try:
                self.results.append(self.fn())
            except Exception as e:  # noqa: BLE001 - recorded and asserted on
                self.errors.append(e)
            self.started.set()
            if last:
                return


def wait_for(readers):
    for r in readers:
        assert r.started.wait(120)


def feed(parts, readers, stop, *steps):
    """A writer thread's work: once every reader is under way, applies each step to each part in
    turn; sets `stop` at the end (also on failure, so the readers end)."""
    try:
        wait_for(readers)
        for p in parts:
            for step in steps:
                step(p)
    finally:
        stop.set()


def prefix_sizes(parts):
    """The sizes a log fed with `parts` passes through: 0 and each running total."""
    return {0, *np.cumsum([len(p) for p in parts]).tolist()}


def test_roster_reads_during_ingest_see_whole_batches(fractions):
    fw, pol = fractions
    parts = batches(fw, rows=3000)
    # The states a reader may see: after 0, 1, ..., BATCHES batches (computed on one thread).
    reference = mm.Roster(fw, pol, threads=1)
    frames, frontiers, sizes = {fingerprint(reference.to_dataframe())}, set(), {0}
    frontiers.add(fingerprint(reference.frontier()))
    # The states (batches applied) a statuses() value can come from, earliest, and a
    # frontier_matrix() value, latest: equal values may come from several states.
    matrix_states = [{}, {}]

    def note_matrices(k):
        matrix_states[0].setdefault(array_print(reference.statuses()), k)
        matrix_states[1][array_print(reference.frontier_matrix())] = k

    note_matrices(0)
    for k, p in enumerate(parts, start=1):
        reference.ingest(p)
        frames.add(fingerprint(reference.to_dataframe()))
        frontiers.add(fingerprint(reference.frontier()))
        sizes.add(len(reference.log))
        note_matrices(k)

    roster = mm.Roster(fw, pol, threads=2)
    stop = threading.Event()

    def learner_rows():
        name = roster.learners[0] if len(roster) else None
        return None if name is None else roster.learner(name).to_dataframe().shape

    readers = [Recorder(lambda: fingerprint(roster.to_dataframe()), stop),
               Recorder(lambda: fingerprint(roster.frontier()), stop),
               Recorder(lambda: len(roster.log), stop),
               Recorder(learner_rows, stop),
               Recorder(lambda: (array_print(roster.statuses()),
                                 array_print(roster.frontier_matrix())), stop)]
    writer = threading.Thread(target=feed, args=(parts, readers, stop, roster.ingest))
    run([writer] + [threading.Thread(target=r) for r in readers])

    for r in readers:
        assert r.errors == [], r.errors
        assert r.results, "every reader read at least once"
    assert len(set(readers[2].results)) >= 2  # the reads overlapped the ingests
    assert set(readers[0].results) <= frames  # no frame mixes two states
    assert set(readers[1].results) <= frontiers
    assert set(readers[2].results) <= sizes
    for statuses, frontier in readers[4].results:
        # Each matrix is one whole state. They are two calls, so a batch may land between them,
        # but never the other way round: the frontier matrix is of the same state or a later one.
        assert statuses in matrix_states[0] and frontier in matrix_states[1]
        assert matrix_states[0][statuses] <= matrix_states[1][frontier]
    assert fingerprint(roster.to_dataframe()) == fingerprint(reference.to_dataframe())
    np.testing.assert_array_equal(roster.scores(), reference.scores())


def test_two_threads_ingesting_one_roster(fractions):
    fw, pol = fractions
    parts = batches(fw, n=8, seed=5)
    roster = mm.Roster(fw, pol)
    summaries = []

    def ingest(which):
        for p in which:
            summaries.append(roster.ingest(p))

    run([threading.Thread(target=ingest, args=(parts[0::2],)),
         threading.Thread(target=ingest, args=(parts[1::2],))])
    assert sum(s["rows"] for s in summaries) == sum(len(p) for p in parts) == len(roster.log)
    # The tables equal a fresh evaluation of everything ingested, in the order it went in.
    again = mm.Roster(fw, pol)
    again.ingest(roster.log)
    np.testing.assert_array_equal(roster.statuses(), again.statuses())
    np.testing.assert_array_equal(roster.scores(), again.scores())


def test_add_from_threads_while_reading(fractions):
    fw, pol = fractions
    roster = mm.Roster(fw, pol)
    ids = list(fw)
    stop = threading.Event()

    def adder(k):
        for i in range(300):
            roster.add(f"t{k}", ids[(i * 7 + k) % len(ids)], 1 + (i % 4), T0 + 60.0 * i)

    def all_adders():
        try:
            wait_for([reader])
            run([threading.Thread(target=adder, args=(k,)) for k in range(3)])
        finally:
            stop.set()

    def whole_table():  # one call, so one state: every learner with all of its rows
        frame = roster.to_dataframe(all_competencies=True)
        return len(frame), frame.learner.nunique(), bool(frame.learner.notna().all())

    reader = Recorder(whole_table, stop)
    run([threading.Thread(target=all_adders), threading.Thread(target=reader)])
    assert reader.errors == []
    for rows, learners, named in reader.results:
        assert named and rows == learners * len(ids)
    assert len(roster.log) == 900 and len(roster) == 3


def test_log_extend_with_concurrent_readers_and_engine(fractions):
    fw, pol = fractions
    parts = batches(fw, n=10, seed=7)
    log = mm.EvidenceLog()
    engine = mm.Engine(fw, pol)
    prefixes = prefix_sizes(parts)
    stop = threading.Event()

    def frame_size():
        frame = log.to_dataframe()
        assert frame.learner.notna().all()
        return len(frame)

    def evaluate():
        n = len(log)
        states = engine.evaluate_all(log, threads=2)
        return n, sum(s.log_position for s in states.values()) // max(1, len(states))

    readers = [Recorder(frame_size, stop), Recorder(lambda: len(log), stop),
               Recorder(evaluate, stop)]
    extend = lambda p: log.extend(p, framework=fw, policy=pol)  # noqa: E731
    run([threading.Thread(target=feed, args=(parts, readers, stop, extend))]
        + [threading.Thread(target=r) for r in readers])
    for r in readers:
        assert r.errors == [], r.errors
    assert set(readers[0].results) <= prefixes
    assert set(readers[1].results) <= prefixes
    for n, position in readers[2].results:
        assert n <= position and position in prefixes  # each evaluation saw one whole log
    assert len(log) == sum(len(p) for p in parts)


def test_tracer_batch_updates_and_reads_from_threads():
    model = mm.bkt.Model.from_json(json.dumps({
        "format": "masterymap.bkt.model", "version": 1,
        "skills": [{"skill": "a", "prior": 0.2, "learn": 0.3, "forget": 0.0, "guess": 0.2, "slip": 0.1},
                   {"skill": "b", "prior": 0.4, "learn": 0.1, "forget": 0.0, "guess": 0.25,
                    "slip": 0.05}]}))
    tracer = model.tracer()
    learners = np.array([tracer.learner_index(f"u{i}") for i in range(50)], dtype=np.uint32)
    stop = threading.Event()
    rng = np.random.default_rng(1)

    def writer():
        try:
            wait_for([reader])
            for _ in range(20):
                n = 2000
                tracer.update_batch(learners[rng.integers(0, 50, n)],
                                    rng.integers(0, 2, n).astype(np.uint32),
                                    rng.integers(0, 2, n).astype(np.uint8))
        finally:
            stop.set()

    reader = Recorder(lambda: tracer.mastery("u1", "a"), stop)
    run([threading.Thread(target=writer), threading.Thread(target=reader)])
    assert reader.errors == []
    assert all(0.0 <= p <= 1.0 for p in reader.results)


def test_callback_that_uses_the_roster_raises_instead_of_hanging(fractions):
    fw, pol = fractions
    bkt_policy = mm.Policy(pol.scale, rule=mm.Rule(method=mm.Method.bkt(0.9)))
    holder = {}

    def probability(learner, competency, scores):
        holder["roster"].learner(learner)  # reads the roster its own ingest is changing
        return 0.5

    roster = mm.Roster(fw, bkt_policy, threads=2, probabilities=probability)
    holder["roster"] = roster
    errors = []

    def ingest():
        try:
            roster.ingest(batches(fw, n=1, rows=50)[0])
        except RuntimeError as e:
            errors.append(e)

    run([threading.Thread(target=ingest)], timeout=120)
    assert len(errors) == 1
    assert "Roster" in str(errors[0])


def test_ingesting_a_rosters_own_log_is_an_error(fractions):
    # It would read the log while appending to it.
    fw, pol = fractions
    roster = mm.Roster(fw, pol)
    roster.ingest(batches(fw, n=1, rows=20)[0])
    with pytest.raises(ValueError, match="own log"):
        roster.ingest(roster.log)
    assert len(roster.log) == 20


def test_copies_pickles_and_comparisons_during_changes(fractions):
    """Copying, pickling and comparing a Roster or an EvidenceLog (and a LearnerState over a log
    being extended) hold the objects like every other read: each copy is one whole state."""
    import copy
    import pickle

    fw, pol = fractions
    parts = batches(fw, n=8, rows=1500, seed=11)
    roster = mm.Roster(fw, pol, threads=2)
    log = mm.EvidenceLog()
    log.extend(parts[0], framework=fw, policy=pol)
    state = mm.Engine(fw, pol).evaluate(log, "s1")
    prefixes = prefix_sizes(parts)
    stop = threading.Event()

    def roster_copies():
        a, b = copy.copy(roster), pickle.loads(pickle.dumps(roster))
        c = mm.Roster.from_bytes(roster.to_bytes())
        assert a == a and roster == roster  # noqa: PLR0124 - one object on both sides
        return len(a.log), len(b.log), len(c.log)

    def log_copies():
        a, b = copy.deepcopy(log), pickle.loads(pickle.dumps(log))
        return len(a), len(b), a == log, state == state

    readers = [Recorder(roster_copies, stop), Recorder(log_copies, stop)]
    extend = lambda p: log.extend(p, framework=fw, policy=pol)  # noqa: E731
    run([threading.Thread(target=feed, args=(parts, readers, stop, roster.ingest, extend))]
        + [threading.Thread(target=r) for r in readers])
    for r in readers:
        assert r.errors == [], r.errors
    for sizes in readers[0].results:
        assert set(sizes) <= prefixes  # each copy is of a whole state
    for a, b, _, same in readers[1].results:
        assert a - len(parts[0]) in prefixes and b - len(parts[0]) in prefixes and same
    assert roster == pickle.loads(pickle.dumps(roster))
    assert copy.copy(log) == log
