"""Empty and record input: a batch of zero rows is a no-op returning a summary of 0 rows on
every path (DataFrame, mapping of arrays, records, header-only CSV, Roster.ingest, knowledge
tracing); a list of dicts is accepted wherever a DataFrame is."""
import numpy as np
import pandas as pd
import pytest

import masterymap as mm
from masterymap import bkt

POLICY = mm.Policy(mm.Scale.four_point())
COLUMNS = ["learner", "competency", "score", "time"]


def empty_batches():
    """Every form of a batch with no rows."""
    typed = pd.DataFrame({"learner": pd.Series([], dtype=object),
                          "competency": pd.Series([], dtype="category"),
                          "score": pd.Series([], dtype=np.float64),
                          "time": pd.Series([], dtype="datetime64[ns]")})
    full = pd.DataFrame({"learner": ["s"], "competency": ["A"], "score": [3.0], "time": [1.0],
                         "kind": ["summative"], "weight": [2.0], "source": ["t"]})
    return {
        "DataFrame(columns=)": pd.DataFrame(columns=COLUMNS),
        "typed DataFrame": typed,
        "iloc[:0] of a full frame": full.iloc[:0],
        "mapping of empty lists": {c: [] for c in COLUMNS},
        "mapping of empty arrays": {"learner": np.array([], dtype=np.int64),
                                    "competency": np.array([], dtype=object),
                                    "score": np.array([]), "time": np.array([])},
        "empty records": [],
        "empty mapping": {},
        "DataFrame()": pd.DataFrame(),
    }


@pytest.mark.parametrize("name", list(empty_batches()))
def test_an_empty_batch_is_a_no_op_on_the_log(fw, name):
    data = empty_batches()[name]
    log = mm.EvidenceLog().extend(pd.DataFrame({"learner": ["s"], "competency": ["A"],
                                                "score": [3.0], "time": [1.0]}))
    before = log.to_dataframe()
    assert log.extend(data) is log
    assert log.extend(data, framework=fw, policy=POLICY) is log
    pd.testing.assert_frame_equal(log.to_dataframe(), before)
    assert len(mm.EvidenceLog().extend(data)) == 0


@pytest.mark.parametrize("name", list(empty_batches()))
def test_an_empty_batch_is_a_no_op_on_the_roster(fw, name):
    data = empty_batches()[name]
    r = mm.Roster(fw, POLICY, threads=1)
    summary = r.ingest(data)
    assert summary == {"rows": 0, "learners_touched": 0, "new_learners": 0, "full": False,
                       "fast_rows": 0, "learners_reevaluated": 0}
    assert len(r) == 0 and r.as_of is None and len(r.log) == 0
    r.ingest(pd.DataFrame({"learner": ["s"], "competency": ["A"], "score": [3.0], "time": [1.0]}))
    before = r.to_dataframe(all_competencies=True)
    assert r.ingest(data)["rows"] == 0
    pd.testing.assert_frame_equal(r.to_dataframe(all_competencies=True), before)
    assert r.ingest(mm.EvidenceLog())["rows"] == 0


def test_an_empty_batch_still_needs_its_columns_when_it_names_some():
    with pytest.raises(ValueError, match="evidence needs a 'score' column"):
        mm.EvidenceLog().extend(pd.DataFrame(columns=["learner", "competency", "time"]))


def test_from_arrays_and_header_only_files(fw, tmp_path):
    assert len(mm.EvidenceLog.from_arrays([], [], [], [])) == 0
    assert len(mm.EvidenceLog.from_arrays(np.array([], dtype=np.int64), np.array([]), np.array([]),
                                          np.array([]), framework=fw, policy=POLICY)) == 0
    path = tmp_path / "header.csv"
    path.write_text("learner,competency,score,time\n")
    assert len(mm.EvidenceLog.read_csv(path, framework=fw, policy=POLICY)) == 0
    log = mm.EvidenceLog.read_csv(path)
    log.append_csv(path)
    assert len(log) == 0
    r = mm.Roster(fw, POLICY)
    assert r.ingest(mm.EvidenceLog.read_csv(path))["rows"] == 0


def test_empty_results_have_their_columns_and_dtypes(fw):
    log = mm.EvidenceLog().extend([])
    tab = mm.ratings(fw, POLICY, log)
    assert list(tab.columns) == ["learner", "competency", "status", "score", "rating", "evidence"]
    assert len(tab) == 0 and tab.status.dtype.ordered and tab.score.dtype == np.float64
    frame = log.to_dataframe()
    assert len(frame) == 0 and list(frame.columns) == ["learner", "competency", "time", "score",
                                                       "kind", "weight", "source"]


def test_records_are_accepted_wherever_a_dataframe_is(fw):
    records = [{"learner": "s1", "competency": "A", "score": 3.0, "time": 1.0},
               {"learner": 2, "competency": "B", "score": "Proficient", "time": 2.0,
                "kind": "summative"},
               {"learner": "s1", "competency": "B", "score": 2.0, "time": 3.0, "weight": 2.0}]
    # a key some records lack: as an absent column for the optional ones (kind, weight, source)
    frame = pd.DataFrame(records).fillna({"kind": "formative", "weight": 1.0})
    a = mm.EvidenceLog().extend(records, policy=POLICY)
    b = mm.EvidenceLog().extend(frame, policy=POLICY)
    pd.testing.assert_frame_equal(a.to_dataframe(), b.to_dataframe())
    assert a.learners == ["s1", "2"] and a.to_dataframe().kind.tolist() == ["formative", "summative", "formative"]
    renamed = [{"who": r["learner"], "what": r["competency"], "score": 3.0, "time": r["time"]}
               for r in records]
    c = mm.EvidenceLog().extend(renamed, columns={"learner": "who", "competency": "what"})
    assert c.learners == ["s1", "2"]
    r1, r2 = mm.Roster(fw, POLICY, threads=1), mm.Roster(fw, POLICY, threads=1)
    assert r1.ingest(records) == r2.ingest(frame)
    pd.testing.assert_frame_equal(r1.to_dataframe(), r2.to_dataframe())
    with pytest.raises(TypeError, match="list of records"):
        mm.EvidenceLog().extend([("s", "A", 3.0, 1.0)])
    # a bad record is reported by row like a bad DataFrame row; a key given as None is missing
    with pytest.raises(mm.EvidenceError, match="row 1: missing learner id"):
        mm.EvidenceLog().extend([records[0], {"competency": "A", "score": 1.0, "time": 2.0}])
    with pytest.raises(mm.EvidenceError, match="row 0: weight is not a number"):
        mm.EvidenceLog().extend([{**records[0], "weight": None}, records[2]])
    # with renamed columns the optional ones are found by their new names
    renamed = [{"who": "s", "competency": "A", "score": 1.0, "time": 1.0},
               {"who": "s", "competency": "A", "score": 1.0, "time": 2.0, "w": 3.0}]
    d = mm.EvidenceLog().extend(renamed, columns={"learner": "who", "weight": "w"}).to_dataframe()
    assert d.weight.tolist() == [1.0, 3.0]


# --- knowledge tracing --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def model():
    sim = bkt.simulate([dict(skill="s", prior=0.2, learns=0.1, guesses=0.2, slips=0.1)], 20, 10)
    return bkt.fit(sim, num_fits=1)


def test_knowledge_tracing_on_no_rows(model):
    typed = pd.DataFrame({"user_id": pd.Series([], dtype=np.int64),
                          "skill_name": pd.Series([], dtype=object),
                          "correct": pd.Series([], dtype=np.int64)})
    for data in (typed, pd.DataFrame(columns=["user_id", "skill_name", "correct"]), [], {}):
        d = bkt.dataset(data)
        assert len(d.correct) == 0 and d.learner_names == [] and d.skill_names == []
        with pytest.raises(ValueError, match="cannot fit an empty dataset"):
            bkt.fit(data)
        pred = model.predict(data)
        assert len(pred) == 0
        assert list(pred.columns) == ["user_id", "skill_name", "correct", "correct_predictions",
                                      "state_predictions"]
        assert pred.correct_predictions.dtype == np.float64
        assert pred.state_predictions.dtype == np.float64
        assert np.isnan(model.evaluate(data, metric="rmse"))
    pred = model.predict(typed)
    pd.testing.assert_frame_equal(pred[typed.columns], typed)  # the input's dtypes kept
    assert len(model.update_batch([], [], [])) == 0


def test_knowledge_tracing_takes_records(model):
    records = [{"user_id": "a", "skill_name": "s", "correct": 1},
               {"user_id": "a", "skill_name": "s", "correct": 0},
               {"user_id": 7, "skill_name": "s", "correct": 1}]
    frame = pd.DataFrame(records)
    pd.testing.assert_frame_equal(model.predict(records), model.predict(frame))
    assert model.evaluate(records, metric="rmse") == model.evaluate(frame, metric="rmse")
    assert bkt.dataset(records).learner_names == ["a", "7"]
    big = bkt.simulate([dict(skill="s", prior=0.2, learns=0.1, guesses=0.2, slips=0.1)], 20, 10)
    a = bkt.fit(big.to_dict("records"), num_fits=1).params(wide=True)
    b = bkt.fit(big, num_fits=1).params(wide=True)
    pd.testing.assert_frame_equal(a, b)
    assert bkt.fit({k: big[k].to_numpy() for k in big.columns}, num_fits=1).params(wide=True).equals(b)


def test_dask_metadata_from_an_empty_partition(fw):
    """Dask keeps an empty frame as the metadata of a partitioned one (``ddf._meta``); the
    function applied to it gives the metadata of the result."""
    dd = pytest.importorskip("dask.dataframe")
    df = pd.DataFrame({"learner": ["s1", "s2", "s1", "s3"], "competency": ["A", "A", "B", "B"],
                       "score": [3.0, 2.0, 4.0, 1.0], "time": [1.0, 2.0, 3.0, 4.0]})

    def rate(part):
        log = mm.EvidenceLog().extend(part, framework=fw, policy=POLICY)
        return mm.ratings(fw, POLICY, log)[["learner", "status"]].astype(str)

    ddf = dd.from_pandas(df, npartitions=2)
    meta = rate(ddf._meta)
    assert len(meta) == 0 and list(meta.columns) == ["learner", "status"]
    out = ddf.map_partitions(rate, meta=meta).compute(scheduler="sync")
    assert sorted(out.learner.unique()) == ["s1", "s2", "s3"]
