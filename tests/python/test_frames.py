"""Every returned DataFrame gives one dtype per kind of column: statuses and ratings as ordered
categoricals in the documented (scale) order, learners and competencies as categoricals of
their ids, the same categories in every frame of one roster."""
import numpy as np
import pandas as pd
import pytest

import masterymap as mm

LABELS = ["Beginning", "Developing", "Proficient", "Advanced"]


@pytest.fixture(scope="module")
def setup():
    b = mm.FrameworkBuilder()
    for c in ("A", "B", "C"):
        b.add_competency(c, domain="D", level=1)
    b.add_prerequisite("B", prerequisite="A")
    b.add_prerequisite("C", prerequisite="B")
    fw = b.build()
    policy = mm.Policy(mm.Scale.four_point())
    data = pd.DataFrame({"learner": [7, 7, 8, 9, 9], "competency": ["A", "B", "A", "A", "B"],
                         "score": [4.0, 1.0, 3.0, 2.0, 3.0], "time": [1.0, 2.0, 3.0, 4.0, 5.0]})
    roster = mm.Roster(fw, policy, threads=1)
    roster.ingest(data)
    log = mm.EvidenceLog().extend(data)
    return fw, policy, roster, log


def status_frames(setup):
    fw, policy, roster, log = setup
    return {
        "ratings": mm.ratings(fw, policy, log),
        "ratings all": mm.ratings(fw, policy, log, all_competencies=True),
        "roster": roster.to_dataframe(),
        "roster all": roster.to_dataframe(all_competencies=True),
        "state": roster.learner(7).to_dataframe(),
    }


def test_scale_labels_are_in_value_order():
    assert list(mm.Scale.four_point().labels) == LABELS


def test_statuses_and_ratings_are_ordered_categoricals(setup):
    for name, frame in status_frames(setup).items():
        status, rating = frame["status"].dtype, frame["rating"].dtype
        assert isinstance(status, pd.CategoricalDtype) and status.ordered, name
        assert list(status.categories) == list(mm.STATUS_ORDER), name  # learning order
        assert isinstance(rating, pd.CategoricalDtype) and rating.ordered, name
        assert list(rating.categories) == LABELS, name


def test_ratings_compare_and_reduce_in_the_scale_order(setup):
    tab = status_frames(setup)["ratings"]
    got = tab[tab.rating >= "Proficient"]
    expect = tab[tab.score >= 3.0]
    assert sorted(zip(got.learner.astype(str), got.competency.astype(str))) == \
        sorted(zip(expect.learner.astype(str), expect.competency.astype(str)))
    assert tab.rating.max() == "Advanced" and tab.rating.min() == "Beginning"
    best = tab.groupby("learner", observed=True).rating.max()
    assert best.to_dict() == {"7": "Advanced", "8": "Proficient", "9": "Proficient"}
    assert (tab.status >= "mastered").sum() == (tab.status.isin(["mastered", "exceeded"])).sum()
    assert tab.sort_values("status").status.iloc[0] == "in_progress"


def test_the_learner_column_has_one_dtype_in_every_roster_frame(setup):
    fw, policy, roster, log = setup
    plan = mm.PacePlan(0.0, 86400.0 * 30, list(fw))
    frames = {"to_dataframe": roster.to_dataframe(), "all": roster.to_dataframe(all_competencies=True),
              "frontier": roster.frontier(), "levels": roster.levels(), "pacing": roster.pacing(plan)}
    want = pd.CategoricalDtype(["7", "8", "9"], ordered=False)
    for name, frame in frames.items():
        assert frame["learner"].dtype == want, name
    assert mm.ratings(fw, policy, roster.log)["learner"].dtype == want
    assert log.to_dataframe()["learner"].dtype == want
    # the frames merge on learner without a dtype clash
    merged = frames["levels"].merge(frames["pacing"], on="learner")
    assert merged["learner"].dtype == want and len(merged) == 3
    assert frames["to_dataframe"]["competency"].dtype == pd.CategoricalDtype(["A", "B", "C"])


def test_pacing_status_is_ordered_from_behind_to_ahead(setup):
    fw, policy, roster, _ = setup
    frame = roster.pacing(mm.PacePlan(0.0, 86400.0 * 30, list(fw)), today=86400.0 * 29)
    status = frame["status"].dtype
    assert status.ordered and list(status.categories) == ["behind", "on_track", "ahead"]
    assert frame.status.astype(str).tolist() == [r.status for r in (
        roster.learner(name).pacing(mm.PacePlan(0.0, 86400.0 * 30, list(fw)), today=86400.0 * 29)
        for name in roster.learners)]
    assert (frame.status <= "on_track").all()


def test_empty_roster_frames_keep_their_dtypes(setup):
    fw, policy, _, _ = setup
    empty = mm.Roster(fw, policy)
    for frame in (empty.to_dataframe(), empty.frontier(), empty.levels()):
        assert len(frame) == 0 and isinstance(frame["learner"].dtype, pd.CategoricalDtype)
    tab = empty.to_dataframe()
    assert tab.status.dtype.ordered and tab.rating.dtype.ordered
    assert np.dtype(tab.score.dtype) == np.float64


def test_status_order_puts_every_unmet_status_before_every_met_one():
    """STATUS_ORDER (the ordered status categorical): not met < inferred < earned, so that
    ``status >= "inferred"`` is ``is_met`` and ``status >= "mastered"`` is ``is_earned``;
    ``expired`` (lapsed mastery) used to sort last, above ``mastered``."""
    order = list(mm.STATUS_ORDER)
    assert order == ["not_started", "in_progress", "expired", "awaiting_confirmation", "inferred",
                     "mastered", "exceeded", "exempt"]
    assert sorted(order) == sorted(mm.STATUSES)
    for i, s in enumerate(order):
        assert mm.is_met(s) == (i >= order.index("inferred"))
        assert mm.is_earned(s) == (i >= order.index("mastered"))
    cat = pd.Categorical(["expired", "mastered", "in_progress"], categories=order, ordered=True)
    assert list(cat >= "mastered") == [False, True, False]
