"""BKT as the probability source of Method.bkt, next to a rule-based rating."""
import pandas as pd
import pytest

import masterymap as mm


def fitted_model():
    df = mm.bkt.simulate([dict(skill="A", prior=0.2, learns=0.3, guesses=0.2, slips=0.1)],
                         learners=200, length=12, seed=3)
    return mm.bkt.fit(df, learner="user_id", skill="skill_name", correct="correct", seed=1)


def test_source_matches_the_tracer():
    model = fitted_model()
    src = model.probability_source()
    tracer = model.tracer()
    answers = [1, 0, 1, 1, 1]
    for a in answers:
        tracer.update("s9", "A", bool(a))
    assert src.probability("s9", "A", [float(a) for a in answers]) == pytest.approx(
        tracer.mastery("s9", "A"), rel=1e-12)
    assert src.probability("s9", "nope", [1.0]) is None


def test_bkt_and_rule_based_ratings_on_one_log():
    model = fitted_model()
    b = mm.FrameworkBuilder()
    b.add_competency("A")
    fw = b.build()
    log = mm.EvidenceLog()
    log.extend(pd.DataFrame({
        "learner": ["s1"] * 6 + ["s2"] * 2,
        "competency": ["A"] * 8,
        "score": [1, 1, 1, 1, 1, 1, 0, 1],
        "time": list(range(6)) + [0, 1],
    }))
    bkt_policy = mm.Policy(mm.Scale.percent(80), rule=mm.Rule(method=mm.Method.bkt(0.95)))
    src = model.probability_source()
    s1 = mm.evaluate(fw, bkt_policy, log, "s1", probabilities=src)
    s2 = mm.evaluate(fw, bkt_policy, log, "s2", probabilities=src)
    assert s1.status("A") == "mastered" and s1.score("A") >= 0.95
    assert s2.status("A") == "in_progress" and s2.score("A") < 0.95
    rule_policy = mm.Policy(mm.Scale.percent(80), rule=mm.Rule(method=mm.Method.latest()))
    assert mm.evaluate(fw, rule_policy, log, "s2").status("A") == "mastered"
