"""Files that must survive failures: roster snapshots and saved BKT models carry a checksum and
are written atomically; a truncated or damaged file is a ParseError, never a crash or a silently
different object. An empty roster's snapshot loads back."""
import os
import random

import numpy as np
import pandas as pd
import pytest

import masterymap as mm
from masterymap import bkt


def write_new(path, data):
    """A new file each time: rewriting one in place makes ext4 flush it to disk on close (its
    replace-by-truncate heuristic), which made these loops I/O bound."""
    path.unlink(missing_ok=True)
    path.write_bytes(data)


def small_framework():
    b = mm.FrameworkBuilder("t")
    for c in "ABCD":
        b.add_competency(c)
    b.add_prerequisite("B", "A")
    b.add_prerequisite("C", "B")
    return b.build()


def policy():
    return mm.Policy(mm.Scale.four_point(), rule=mm.Rule(method=mm.Method.decaying_average(0.65),
                                                          min_evidence=2))


def events(n, seed=1):
    rng = np.random.default_rng(seed)
    return pd.DataFrame({
        "learner": [f"s{i}" for i in rng.integers(0, 20, n)],
        "competency": rng.choice(list("ABCD"), n),
        "score": rng.integers(1, 5, n).astype(float),
        "time": 1.7e9 + 3600.0 * np.arange(n),
    })


def test_an_empty_rosters_snapshot_loads_back(tmp_path):
    """A new school's first snapshot: save() used to write a file load() rejected."""
    empty = mm.Roster(small_framework(), policy())
    path = tmp_path / "empty.bin"
    empty.save(path)
    back = mm.Roster.load(path)
    assert len(back) == 0
    assert back.framework == empty.framework
    # ... and it goes on exactly as a new roster does.
    fresh = mm.Roster(small_framework(), policy())
    batch = events(200)
    fresh.ingest(batch)
    back.ingest(batch)
    np.testing.assert_array_equal(back.statuses(), fresh.statuses())
    np.testing.assert_array_equal(back.scores(), fresh.scores())


def test_both_formats_hold_the_same_roster(tmp_path):
    """save() writes version 6 (the tables as held in memory); save(version=5) the cell-list
    format of earlier releases (version 4 without retractions). Both load back to the same
    roster, whose tables equal the engine's ratings of its log (an independent oracle)."""
    fw, pol = small_framework(), policy()
    r = mm.Roster(fw, pol)
    batch = events(400)
    r.ingest(batch)
    new, old = tmp_path / "v6.bin", tmp_path / "v5.bin"
    r.save(new)
    r.save(old, version=5)
    assert int.from_bytes(new.read_bytes()[8:12], "little") == 6
    assert int.from_bytes(old.read_bytes()[8:12], "little") == 4
    assert r.to_bytes() == new.read_bytes()
    a, b = mm.Roster.load(new), mm.Roster.load(old)
    assert a == r and b == r
    for back in (a, b):
        np.testing.assert_array_equal(back.statuses(), r.statuses())
        np.testing.assert_array_equal(back.scores(), r.scores())
        np.testing.assert_array_equal(back.ratings(), r.ratings())
    # The oracle: the engine's long-form ratings of the same log, scattered by hand.
    log = mm.EvidenceLog()
    log.extend(batch, framework=fw, policy=pol)
    expected = np.full((len(r), len(fw)), np.nan)
    table = mm.Engine(fw, pol).ratings(log, as_of=r.as_of)
    learners = {name: i for i, name in enumerate(r.learners)}
    comps = {c: i for i, c in enumerate(fw)}
    for row in table.itertuples():
        expected[learners[row.learner], comps[row.competency]] = row.score
    np.testing.assert_array_equal(a.scores(), expected)
    with pytest.raises(ValueError, match="cannot write version 3") as e:
        r.save(tmp_path / "v3.bin", version=3)
    # every version save takes is named, and what 0 means
    message = str(e.value)
    assert "it writes version 0, the newest format and the default" in message
    for v in ("4", "5", "6", "7"):
        assert f" {v}" in message.split("(", 1)[1], v
    for v in (0, 4, 5, 6, 7):
        r.save(tmp_path / f"v{v}.bin", version=v)


def test_snapshot_damage_is_a_parse_error(tmp_path):
    roster = mm.Roster(small_framework(), policy())
    roster.ingest(events(300))
    path = tmp_path / "r.bin"
    roster.save(path)
    data = path.read_bytes()
    rng = random.Random(3)
    bad = tmp_path / "bad.bin"
    for _ in range(300):
        damaged = bytearray(data)
        at = rng.randrange(len(damaged))
        damaged[at] ^= 1 << rng.randrange(8)
        write_new(bad, bytes(damaged))
        with pytest.raises(mm.ParseError):
            mm.Roster.load(bad)
    for n in sorted(rng.sample(range(len(data)), 200)):
        write_new(bad, data[:n])
        with pytest.raises(mm.ParseError):
            mm.Roster.load(bad)


def test_saves_leave_no_temporary_file_and_replace_the_file_whole(tmp_path):
    roster = mm.Roster(small_framework(), policy())
    path = tmp_path / "r.bin"
    roster.save(path)
    roster.ingest(events(100))
    roster.save(path)  # over the previous snapshot
    assert os.listdir(tmp_path) == ["r.bin"]
    assert len(mm.Roster.load(path)) == len(roster)
    with pytest.raises(mm.MissingFileError):
        roster.save(tmp_path / "no" / "r.bin")
    assert os.listdir(tmp_path) == ["r.bin"]


@pytest.fixture(scope="module")
def model():
    rng = np.random.default_rng(5)
    rows = []
    for learner in range(40):
        for skill in ("fractions", "ratios", "décimales"):
            for _ in range(8):
                rows.append((f"u{learner}", skill, int(rng.random() < 0.7)))
    df = pd.DataFrame(rows, columns=["user_id", "skill_name", "correct"])
    return bkt.fit(df, seed=1)


def test_saved_model_bit_flips_are_parse_errors_or_the_same_model(model, tmp_path):
    """Thousands of random single-bit flips of a saved model: each is a ParseError or (a flip
    that leaves the content as it was, e.g. in the checksum's key) the very same model."""
    path = tmp_path / "m.json"
    model.save(path)
    data = path.read_bytes()
    assert b'"checksum": "xxh3:' in data
    original = bkt.Model.load(path).to_json()
    assert original == model.to_json()
    rng = random.Random(11)
    bad = tmp_path / "bad.json"
    same = 0
    for _ in range(3000):
        damaged = bytearray(data)
        at = rng.randrange(len(damaged))
        damaged[at] ^= 1 << rng.randrange(8)
        write_new(bad, bytes(damaged))
        try:
            loaded = bkt.Model.load(bad)
        except mm.ParseError:
            continue
        assert loaded.to_json() == original, f"flip at byte {at} changed the model silently"
        same += 1
    assert same < 100  # only flips outside the content itself
    for n in range(len(data)):
        write_new(bad, data[:n])
        with pytest.raises(mm.ParseError):
            bkt.Model.load(bad)


def test_model_json_without_checksum_still_reads(model):
    """Version 1 (older files, hand-written text) carries no checksum and is read as before;
    version 2 (what to_json and save write now) must carry one."""
    import json
    v2 = json.loads(model.to_json())
    assert v2["version"] == 2 and "checksum" in v2
    v1 = {k: v for k, v in v2.items() if k not in ("checksum", "extra")}
    v1["version"] = 1
    back = bkt.Model.from_json(json.dumps(v1))
    pd.testing.assert_frame_equal(back.params(), bkt.Model.from_json(model.to_json()).params()
                                  .astype(back.params().dtypes.to_dict()))
    del v2["checksum"]
    with pytest.raises(mm.ParseError, match="checksum"):
        bkt.Model.from_json(json.dumps(v2))
