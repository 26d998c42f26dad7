"""masterymap.testing: the learner simulator against a pure-Python reference implementation of
the same model and random streams, its truth against the graph, its observations against BKT,
BKT recovering its parameters, planted slow competencies and group gaps, and the fixtures."""
import math

import numpy as np
import pandas as pd
import pytest

import masterymap as mm
import masterymap.testing as mmt

from helpers import load_ccss

pytest_plugins = ["masterymap.pytest_plugin"]

MASK = (1 << 64) - 1


# --- a pure-Python reference of masterymap/testing.hpp's simulate ---------------------------

def _mix64(z):
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return z ^ (z >> 31)


class Stream:
    def __init__(self, seed, learner):
        self.state = _mix64((seed ^ _mix64((learner + 0x632BE59BD9B4E019) & MASK)) & MASK)

    def uniform(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        return (_mix64(self.state) >> 11) * 2.0 ** -53


def reference(fw, rules, scale_values, learners, seed, params, groups, pace_sigma, start,
              interval, attempts, streak, max_attempts, rated=None):
    """rules: id -> (min_evidence, require_kinds); scale_values: (correct, incorrect) scores;
    params: id -> (prior, learns, guesses, slips, forgets); groups: [(name, share, mult)];
    rated(competency id, [(time, score, kind name)]) -> whether the policy rates the pair
    mastered on that evidence (None: always, as under the latest score)."""
    ids = fw.ids()
    n = len(ids)
    index = {c: i for i, c in enumerate(ids)}
    required = [[] for _ in range(n)]  # dependents through required links, in edge order
    unmet0 = [0] * n
    for e in fw.edges():
        if e[2] == "required":
            p, d = index[e[0]], index[e[1]]
            required[p].append(d)
            unmet0[d] += 1
    kinds = []

    def code(k):
        if k not in kinds:
            kinds.append(k)
        return kinds.index(k)

    practice, checks, need = [], [], []
    for c in ids:
        code("formative")
        practice.append(0)
        checks.append([code(k) for k in rules[c][1]])
        need.append(max(streak, rules[c][0]))
    cumulative, total = [], 0.0
    for g in groups:
        total += g[1]
        cumulative.append(total)
    if not groups:
        cumulative = [1.0]
    rows, truth, meta = [], [], []
    for i in range(learners):
        rng = Stream(seed, i)
        pick = rng.uniform() * cumulative[-1]
        g = 0
        while g + 1 < len(cumulative) and not pick < cumulative[g]:
            g += 1
        u1, u2 = rng.uniform(), rng.uniform()
        z = math.sqrt(-2.0 * math.log(1.0 - u1)) * math.cos(2.0 * math.pi * u2)
        pace = math.exp(pace_sigma * z)
        meta.append((g, pace))
        rate = pace * (groups[g][2] if groups else 1.0)
        unmet = list(unmet0)
        started = [False] * n
        frontier = [c for c in range(n) if unmet[c] == 0]
        clock, events = start, 0
        while events < attempts and frontier:
            j = int(rng.uniform() * len(frontier))
            c = frontier[j]
            frontier[j] = frontier[-1]
            frontier.pop()
            started[c] = True
            prior, learns, guesses, slips, forgets = params[ids[c]]
            learn = 1.0 - (1.0 - learns) ** rate
            known = rng.uniform() < prior
            ever, mastered_at = False, math.nan

            def master(t):
                nonlocal ever, mastered_at
                ever, mastered_at = True, t
                for d in required[c]:
                    unmet[d] -= 1
                    if unmet[d] == 0 and not started[d]:
                        frontier.append(d)

            run, tries, check, done, shown, seen = 0, 0, None, False, False, []
            while not done and events < attempts:
                gap = max(1.0, float(round_half_away(-math.log(1.0 - rng.uniform()) * interval)))
                clock += gap
                if known and not ever:
                    master(clock)
                right = rng.uniform() < ((1.0 - slips) if known else guesses)
                kind = checks[c][check] if check is not None else practice[c]
                rows.append((i, c, clock, scale_values[0] if right else scale_values[1], kind,
                             int(right)))
                seen.append((clock, rows[-1][3], kinds[kind]))
                events += 1
                tries += 1
                u = rng.uniform()
                if not known:
                    if u < learn:
                        known = True
                        if not ever:
                            master(clock)
                elif u < forgets:
                    known = False
                if check is not None:
                    if right:
                        check += 1
                        if check == len(checks[c]):
                            shown, check = True, None
                    else:
                        check, run = None, 0
                elif right:
                    run += 1
                    if run >= need[c] and not shown:
                        if checks[c]:
                            check = 0
                        else:
                            shown = True
                else:
                    run = 0
                if shown:  # moves on once the policy rates it mastered
                    done = rated is None or rated(ids[c], seen)
                if tries >= max_attempts:
                    done = True
            truth.append((i, c, mastered_at, tries))
    return rows, truth, meta, kinds


def round_half_away(x):
    """std::round: halves away from zero (Python's round() goes to even)."""
    return math.floor(x + 0.5) if x >= 0 else -math.floor(-x + 0.5)


def _edges(fw):
    return [(e["prerequisite"], e["dependent"], e["strength"]) for e in fw.edges()]


class _Fw:
    """The reference's view of a Framework: ids and (prerequisite, dependent, strength)."""

    def __init__(self, fw):
        self._ids = list(fw)
        self._edges = _edges(fw)

    def ids(self):
        return self._ids

    def edges(self):
        return self._edges


# --- the tests ------------------------------------------------------------------------------

def test_the_streams_are_splitmix64_keyed_by_seed_and_learner():
    for seed, learner in [(0, 0), (7, 3), (2 ** 63 + 5, 99999)]:
        s = Stream(seed, learner)
        expected = [s.uniform() for _ in range(20)]
        assert mm._core._reference_uniforms(seed, learner, 20).tolist() == expected


@pytest.mark.parametrize("fw_name", ["diamond", "chain"])
def test_simulate_equals_the_pure_python_reference(fw_name):
    fw = mmt.diamond() if fw_name == "diamond" else mmt.chain(5)
    rule = mm.Rule(min_evidence=2, require_kinds=["discussion"])
    policy = mm.Policy(mm.Scale.four_point(), rule)
    ids = list(fw)
    params = {c: (0.3, 0.25, 0.2, 0.1, 0.05) for c in ids}
    params[ids[1]] = (0.0, 0.05, 0.3, 0.15, 0.05)  # forgets from params
    groups = [("g1", 1.0, 1.0), ("g2", 3.0, 0.5)]
    ev, truth = mmt.simulate(fw, policy, 40, seed=12345, params=dict(
        zip(mmt.PARAMS, (0.3, 0.25, 0.2, 0.1, 0.05))),
        overrides={ids[1]: dict(prior=0.0, learns=0.05, guesses=0.3, slips=0.15)},
        groups={"g1": (1.0, 1.0), "g2": (3.0, 0.5)}, pace_sigma=0.7, start=1000.0,
        interval=3600.0, attempts=30, streak=1, max_attempts=8)
    rows, ref_truth, meta, kinds = reference(
        _Fw(fw), {c: (2, ["discussion"]) for c in ids}, (3.0, 2.0), 40, 12345, params, groups,
        0.7, 1000.0, 3600.0, 30, 1, 8)
    assert list(ev["kind"].cat.categories) == kinds == ["formative", "discussion"]
    got = list(zip(ev["learner"].cat.codes, ev["competency"].cat.codes, ev["time"], ev["score"],
                   ev["kind"].cat.codes, ev["correct"]))
    assert [tuple(map(float, r)) for r in got] == [tuple(map(float, r)) for r in rows]
    # the case exercises every branch: checks, give-ups, forgetting, both groups
    assert len(rows) > 300 and (ev["kind"] == "discussion").sum() > 20
    assert truth["mastery_time"].isna().any() and (truth["attempts"] == 8).any()
    assert set(truth["group"]) == {"g1", "g2"}
    got_truth = list(zip(truth["learner"].cat.codes, truth["competency"].cat.codes,
                         truth["mastery_time"], truth["attempts"]))
    assert len(got_truth) == len(ref_truth)
    for a, b in zip(got_truth, ref_truth):
        assert a[0] == b[0] and a[1] == b[1] and a[3] == b[3]
        assert (math.isnan(a[2]) and math.isnan(b[2])) or a[2] == b[2]
    by_learner = truth.drop_duplicates("learner").set_index("learner")
    for i, (g, pace) in enumerate(meta):
        name = f"L{i}"
        if name in by_learner.index:
            assert by_learner.loc[name, "group"] == groups[g][0]
            assert by_learner.loc[name, "pace"] == pace


def _rated_by_the_engine(fw, policy):
    """The reference's stopping rule: mm.ratings on the pair's evidence so far."""
    def rated(cid, seen):
        t, x, k = zip(*seen)
        log = mm.EvidenceLog()
        log.extend(pd.DataFrame({"learner": "x", "competency": cid, "time": t, "score": x,
                                 "kind": k}), framework=fw, policy=policy)
        r = mm.ratings(fw, policy, log)
        return str(r.loc[r["competency"] == cid, "status"].iloc[0]) in ("mastered", "exceeded")
    return rated


def test_learners_move_on_once_the_policy_rates_them_mastered():
    # Under a decaying average a streak of correct answers after wrong ones may still rate
    # below mastery: the learner practises on until the policy says mastered (the reference
    # asks the engine after every answer once the streak is shown).
    fw = mmt.chain(4)
    policy = mm.Policy(mm.Scale.four_point(),
                       mm.Rule(method=mm.Method.decaying_average(0.65), min_evidence=2))
    ids = list(fw)
    kw = dict(params=dict(prior=0.1, learns=0.3, guesses=0.3, slips=0.1, forgets=0.0),
              pace_sigma=0.5, start=1000.0, interval=3600.0, attempts=40, streak=2,
              max_attempts=12)
    ev, truth = mmt.simulate(fw, policy, 80, seed=77, **kw)
    rows, ref_truth, _, kinds = reference(
        _Fw(fw), {c: (2, []) for c in ids}, (3.0, 2.0), 80, 77,
        {c: (0.1, 0.3, 0.3, 0.1, 0.0) for c in ids}, [], 0.5, 1000.0, 3600.0, 40, 2, 12,
        rated=_rated_by_the_engine(fw, policy))
    got = list(zip(ev["learner"].cat.codes, ev["competency"].cat.codes, ev["time"], ev["score"],
                   ev["kind"].cat.codes, ev["correct"]))
    assert [tuple(map(float, r)) for r in got] == [tuple(map(float, r)) for r in rows]
    assert truth["attempts"].tolist() == [t[3] for t in ref_truth]
    # ... and it matters here: the streak alone would have moved some learners on earlier.
    old_rows, _, _, _ = reference(
        _Fw(fw), {c: (2, []) for c in ids}, (3.0, 2.0), 80, 77,
        {c: (0.1, 0.3, 0.3, 0.1, 0.0) for c in ids}, [], 0.5, 1000.0, 3600.0, 40, 2, 12)
    assert old_rows != rows
    # Every pair a learner moved on from without giving up is rated mastered by the roster.
    roster = mm.Roster(fw, policy)
    roster.ingest(ev)
    rated = roster.to_dataframe()
    status = dict(zip(zip(rated["learner"].astype(str), rated["competency"].astype(str)),
                      rated["status"].astype(str)))
    last = ev.groupby("learner", observed=True)["competency"].last()
    moved_on = 0
    for learner, c, attempts in zip(truth["learner"].astype(str), truth["competency"].astype(str),
                                    truth["attempts"]):
        if attempts < 12 and str(last[learner]) != c:
            assert status[(learner, c)] in ("mastered", "exceeded"), (learner, c)
            moved_on += 1
    assert moved_on > 20


def test_same_seed_same_frames_whatever_the_thread_count():
    fw = mmt.diamond()
    runs = [mmt.simulate(fw, mmt.policy(), 3000, seed=9, threads=t) for t in (1, 2, 0)]
    for ev, truth in runs[1:]:
        pd.testing.assert_frame_equal(ev, runs[0][0])
        pd.testing.assert_frame_equal(truth, runs[0][1])
    other, _ = mmt.simulate(fw, mmt.policy(), 3000, seed=10)
    assert not other.equals(runs[0][0])


def test_the_frames_feed_the_log_the_roster_and_ratings():
    fw = mmt.chain(4)
    ev, truth = mmt.simulate(fw, mmt.policy(), 50, seed=2)
    assert list(ev.columns) == ["learner", "competency", "time", "score", "kind", "correct"]
    assert list(truth.columns) == ["learner", "competency", "mastery_time", "attempts", "group",
                                   "pace"]
    assert (ev.groupby("learner", observed=True)["time"].apply(
        lambda t: t.is_monotonic_increasing and t.is_unique)).all()
    log = mm.EvidenceLog()
    log.extend(ev, framework=fw, policy=mmt.policy())
    assert len(log) == len(ev)
    r = mm.ratings(fw, mmt.policy(), log)
    assert set(r["learner"].astype(str)) <= set(ev["learner"].astype(str))
    roster = mm.Roster(fw, mmt.policy(), threads=1)
    assert roster.ingest(ev)["rows"] == len(ev)
    # The latest score decides (the fixture policy): a learner who moved on after a correct
    # answer is rated mastered there.
    assert (r["status"].astype(str) == "mastered").any()


def _check_truth(fw, ev, truth):
    mastered = {(l, c): t for l, c, t in zip(truth["learner"].astype(str),
                                              truth["competency"].astype(str),
                                              truth["mastery_time"])}
    first = ev.groupby(["learner", "competency"], observed=True)["time"].min()
    required = {}
    for e in fw.edges():
        if e["strength"] == "required":
            required.setdefault(e["dependent"], []).append(e["prerequisite"])
    assert len(first) == len(truth)
    for (learner, c), t0 in first.items():
        for p in required.get(c, []):
            assert mastered.get((learner, p), math.nan) < t0, (learner, c, p)
        m = mastered[(learner, c)]
        assert math.isnan(m) or m >= t0


def test_the_truth_respects_the_prerequisites(shared_data):
    for fw in (mmt.diamond(), mmt.chain(6)):
        ev, truth = mmt.simulate(fw, mmt.policy(), 300, seed=4, params={"forgets": 0.1})
        _check_truth(fw, ev, truth)
    ccss = load_ccss(shared_data)
    ev, truth = mmt.simulate(ccss, mmt.policy(), 200, seed=4, attempts=100)
    _check_truth(ccss, ev, truth)


def test_observations_follow_bkt():
    # prior 0 and forgets 0: known at an attempt exactly when it comes after the mastery time.
    ev, truth = mmt.simulate(mmt.chain(4), mmt.policy(), 4000, seed=21,
                             params=dict(prior=0.0, learns=0.15, guesses=0.25, slips=0.1),
                             max_attempts=30)
    m = ev.merge(truth[["learner", "competency", "mastery_time"]], on=["learner", "competency"])
    known = m["time"] > m["mastery_time"]
    # binomial standard errors are below 0.006 here: 0.02 is more than 3 of them
    assert m.loc[known, "correct"].mean() == pytest.approx(0.9, abs=0.02)
    assert m.loc[~known, "correct"].mean() == pytest.approx(0.25, abs=0.02)


def test_bkt_recovers_the_parameters_of_simulated_data():
    truth_params = dict(prior=0.3, learns=0.15, guesses=0.2, slips=0.1)
    ev, _ = mmt.simulate(mmt.chain(1), mmt.policy(), 3000, seed=5, params=truth_params,
                         max_attempts=20, streak=4, pace_sigma=0.0)
    model = mm.bkt.fit(mmt.bkt_responses(ev), num_fits=3, seed=1)
    fitted = model.params(wide=True).iloc[0]
    # Stated tolerances: 0.05 absolute for each parameter (3000 learners, ~10 answers each).
    assert fitted["prior"] == pytest.approx(0.3, abs=0.05)
    assert fitted["learns"] == pytest.approx(0.15, abs=0.05)
    assert fitted["guesses"] == pytest.approx(0.2, abs=0.05)
    assert fitted["slips"] == pytest.approx(0.1, abs=0.05)


def _median_time_to_mastery(ev, truth):
    first = ev.groupby(["learner", "competency"], observed=True)["time"].min().rename("first")
    t = truth.join(first, on=["learner", "competency"])
    t["days"] = (t["mastery_time"] - t["first"]) / 86400.0
    return t


def test_a_planted_slow_competency_and_group_gap_show_in_the_truth():
    fw = mmt.diamond()
    ev, truth = mmt.simulate(fw, mmt.policy(), 3000, seed=8, overrides={"C": dict(learns=0.03)},
                             groups={"a": (1.0, 1.0), "b": (1.0, 0.4)}, max_attempts=200,
                             attempts=500)
    t = _median_time_to_mastery(ev, truth)
    median = t.groupby("competency", observed=True)["days"].median()
    assert median.idxmax() == "C"
    by_group = t.groupby("group", observed=True)["days"].median()
    assert by_group["a"] < by_group["b"]


def test_a_planted_slow_competency_on_the_ccss_map(shared_data):
    ccss = load_ccss(shared_data)
    ev0, truth0 = mmt.simulate(ccss, mmt.policy(), 2000, seed=3, attempts=60)
    # the competency most learners work on, slowed down
    slow = truth0["competency"].value_counts().index[0]
    ev, truth = mmt.simulate(ccss, mmt.policy(), 2000, seed=3, attempts=60,
                             overrides=pd.DataFrame({"competency": [slow], "learns": [0.02]}),
                             max_attempts=100)
    t = _median_time_to_mastery(ev, truth)
    stats = t.groupby("competency", observed=True)["days"].agg(["median", "size"])
    stats = stats[stats["size"] >= 50]
    assert stats["median"].idxmax() == slow


def test_bad_options_are_named():
    fw, p = mmt.chain(2), mmt.policy()
    with pytest.raises(ValueError, match="params.slips"):
        mmt.simulate(fw, p, 2, params={"slips": 1.5})
    with pytest.raises(ValueError, match="unknown parameter 'slip'"):
        mmt.simulate(fw, p, 2, params={"slip": 0.1})
    with pytest.raises(ValueError, match="'nope'"):
        mmt.simulate(fw, p, 2, overrides={"nope": {"learns": 0.1}})
    with pytest.raises(ValueError, match="unknown column 'learn'"):
        mmt.simulate(fw, p, 2, overrides=pd.DataFrame({"competency": ["C1"], "learn": [0.1]}))
    with pytest.raises(ValueError, match=r"groups\['g'\].share"):
        mmt.simulate(fw, p, 2, groups={"g": 0.0})
    with pytest.raises(ValueError, match="streak"):
        mmt.simulate(fw, p, 2, streak=0)
    with pytest.raises(TypeError, match="learners"):
        mmt.simulate(fw, p, "many")
    ev, truth = mmt.simulate(fw, p, 0)
    assert len(ev) == 0 and len(truth) == 0


def test_max_attempts_below_the_streak_is_refused():
    """Issue 14: with fewer attempts allowed than moving on takes, no learner could ever
    master anything: refused, naming both numbers."""
    fw, p = mmt.chain(2), mmt.policy()
    with pytest.raises(ValueError) as e:
        mmt.simulate(fw, p, 2, seed=1, streak=3, max_attempts=2)
    assert str(e.value) == ("max_attempts: 2 is less than the 3 attempts moving on from 'C1' "
                            "takes (streak 3): no learner could ever master it")
    # the rule's min_evidence raises the streak, and each required kind takes a check
    strict = mm.Policy(mm.Scale.four_point(), mm.Rule(min_evidence=4,
                                                     require_kinds=["discussion"]))
    with pytest.raises(ValueError) as e:
        mmt.simulate(fw, strict, 2, seed=1, streak=3, max_attempts=4)
    assert str(e.value) == ("max_attempts: 4 is less than the 5 attempts moving on from 'C1' "
                            "takes (streak 3, raised to the rule's min_evidence 4, plus 1 "
                            "check(s) of required kinds): no learner could ever master it")
    ev, truth = mmt.simulate(fw, strict, 20, seed=1, streak=3, max_attempts=5, attempts=200,
                             params={"prior": 1.0, "slips": 0.0})
    assert truth["mastery_time"].notna().all() and (truth["attempts"] == 5).all()
    # counts out of range or of the wrong type name the option and the public function
    with pytest.raises(ValueError, match=r"^testing.simulate\(\): streak is out of range: "
                                         r"1099511627776 \(it must be from 0 to 4294967295\)$"):
        mmt.simulate(fw, p, 2, seed=1, streak=np.int64(2**40))
    with pytest.raises(ValueError, match=r"^testing.simulate\(\): seed is out of range: "
                                         r"1180591620717411303424 \(it must be from 0 to "
                                         r"18446744073709551615\)$"):
        mmt.simulate(fw, p, 2, seed=2**70)
    with pytest.raises(TypeError, match=r"^testing.simulate\(\): max_attempts must be an int, "
                                        r"got bool True$"):
        mmt.simulate(fw, p, 2, seed=1, max_attempts=True)


def test_the_fixtures_are_the_cpp_headers():
    assert list(mmt.chain()) == ["C1", "C2", "C3", "C4", "C5"]
    assert len(mmt.chain(3).edges()) == 2
    d = mmt.diamond()
    assert sorted((e["prerequisite"], e["dependent"]) for e in d.edges()) == [
        ("A", "B"), ("A", "C"), ("B", "D"), ("C", "D")]
    log = mmt.small_log()
    assert len(log) == 6
    engine = mm.Engine(mmt.chain(), mmt.policy())
    assert engine.evaluate(log, "a").status("C2") == "mastered"
    with pytest.raises(ValueError):
        mmt.chain(0)


def test_the_pytest_plugin_fixtures(mm_chain, mm_diamond, mm_policy, mm_small_log, mm_simulated):
    assert len(mm_chain) == 5 and len(mm_diamond) == 4
    assert mm.Engine(mm_chain, mm_policy).evaluate(mm_small_log, "a").status("C1") == "mastered"
    ev, truth = mm_simulated
    assert ev["learner"].nunique() == 200 and set(truth["competency"]) <= set(mm_chain)


def test_learning_map_has_the_documented_shape():
    fw = mmt.learning_map(2000, domains=10, levels=13, mean_prerequisites=3.0, seed=4)
    assert len(fw) == 2000 and sorted(fw.domains()) == sorted(f"D{d}" for d in range(10))
    comps = fw.competencies_frame().set_index("id")
    # 200 per domain, in equal runs over 13 levels (15 or 16 each), every level present
    per = comps.groupby(["domain", "level"]).size()
    assert per.index.get_level_values(1).nunique() == 13 and per.min() >= 15 and per.max() <= 16
    assert (comps["kind"] == "academic").all()
    e = fw.edges_frame()
    assert set(e["strength"].astype(str)) == {"required"}
    assert not e.duplicated(["prerequisite", "dependent"]).any()
    src, dst = comps.loc[e["prerequisite"]], comps.loc[e["dependent"]]
    # one level down (every level is populated), mostly within the domain
    assert (src["level"].to_numpy() == dst["level"].to_numpy() - 1).all()
    same = (src["domain"].to_numpy() == dst["domain"].to_numpy()).mean()
    assert 0.75 < same < 0.9
    # every competency above level 0 has a prerequisite; about 3 on average (Poisson, >= 1,
    # duplicates dropped)
    above = comps.index[comps["level"] > 0]
    counts = e["dependent"].value_counts().reindex(above, fill_value=0)
    assert counts.min() >= 1 and 2.3 < counts.mean() < 3.2
    assert (comps.loc[e["dependent"], "level"] > 0).all()
    # deterministic for a seed, another seed another map
    assert mmt.learning_map(2000, domains=10, seed=4) == fw
    assert mmt.learning_map(2000, domains=10, seed=5) != fw


def test_learning_map_small_and_bad_sizes():
    one = mmt.learning_map(1, domains=1, levels=1)
    assert len(one) == 1 and len(one.edges_frame()) == 0
    # fewer competencies than levels: levels spread out, prerequisites from the nearest lower one
    few = mmt.learning_map(10, domains=3, levels=13, seed=1)
    comps = few.competencies_frame().set_index("id")
    e = few.edges_frame()
    lower = comps.loc[e["prerequisite"], "level"].to_numpy() < comps.loc[e["dependent"], "level"].to_numpy()
    assert lower.all() and set(e["dependent"]) == set(comps.index[comps["level"] > 0])
    assert len(mmt.learning_map(50, mean_prerequisites=0).edges_frame()) == 0
    for bad in ({"competencies": 0}, {"domains": 0}, {"levels": 0}, {"mean_prerequisites": -1.0}):
        with pytest.raises(ValueError, match="learning_map"):
            mmt.learning_map(**{"competencies": 10, **bad})
    with pytest.raises(TypeError):
        mmt.learning_map("10")


def test_learning_map_refuses_bools_and_sizes_that_cannot_fit():
    """A bool is no count; a numpy int of 2**40 would have asked for terabytes."""
    for bad in ({"competencies": True}, {"domains": np.True_}, {"levels": 2.0}):
        with pytest.raises(TypeError, match=r"testing.learning_map\(\): \w+ must be an int"):
            mmt.learning_map(**{"competencies": 10, **bad})
    for bad in ({"competencies": np.int64(2 ** 40)}, {"domains": 2 ** 24 + 1}):
        with pytest.raises(ValueError, match=r"at most 16,777,216 \(2\*\*24\)"):
            mmt.learning_map(**{"competencies": 10, **bad})
    assert len(mmt.learning_map(np.int64(12), domains=np.int32(2))) == 12
