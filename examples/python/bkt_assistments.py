"""Bayesian Knowledge Tracing on ASSISTments 2009 with masterymap.bkt (notebook-style).

Fits BKT on the skill-builder train split, scores the test split, shows the parameters, traces
one learner answer by answer, and compares BKT's "mastered" (P(L) >= 0.95) with a simple
rule-based rating (three correct answers in a row, the skill-builder completion rule) on the
same learners.

Data: ../shared/data/assistments-2009-skill-builder-dkt (research data, read in place; set
MASTERYMAP_SHARED_DATA to point elsewhere). Run:
    PYTHONPATH=build/python /usr/bin/python3 examples/python/bkt_assistments.py
"""
# %% Setup
import time

import numpy as np
import pandas as pd

import masterymap as mm
from shared_data import SHARED, require

split = SHARED / "assistments-2009-skill-builder-dkt"
require(split / "builder_train_long.csv.gz")

# %% Fit on the train split (CSV read included), with forgetting
start = time.perf_counter()
train = mm.bkt.read_csv(split / "builder_train_long.csv.gz", skill="skill_id")
model = mm.bkt.fit(train, forgets=True, num_fits=5, seed=42)
print(f"{len(train):,} answers, {train.learner_count:,} learners, {train.skill_count} skills: "
      f"read + fit in {time.perf_counter() - start:.3f} s")

# %% Evaluate on the test split
test = pd.read_csv(split / "builder_test_long.csv.gz")
scores = model.evaluate(test, metric=["auc", "rmse", "accuracy"])
print("test:", {k: round(v, 4) for k, v in scores.items()})
# Plain BKT (no forgetting), as pyBKT fits by default, for comparison:
plain = mm.bkt.fit(train)
print("test without forgets:", {k: round(v, 4) for k, v in
                                plain.evaluate(test, metric=["auc", "rmse"]).items()})

# %% Parameters: pyBKT's layout, and one row per skill
print(model.params().head(10))
wide = model.params(wide=True).sort_values("observations", ascending=False)
print(wide[["prior", "learns", "guesses", "slips", "forgets", "iterations", "observations"]].head(8)
      .round(3))

# %% Online: trace one learner answer by answer (O(1) per answer)
learner = int(test.user_id.iloc[0])
history = test[test.user_id == learner].head(15)
tracer = model.tracer(threshold=0.95)
print(f"\nlearner {learner}:")
for skill, correct in zip(history.skill_id, history.correct):
    before = tracer.predict_correct(str(learner), str(skill))
    p = tracer.update(str(learner), str(skill), bool(correct))
    flag = "mastered" if tracer.mastered(str(learner), str(skill)) else ""
    print(f"  skill {skill:>4}  P(correct) {before:.2f}  answer {correct}  ->  P(L) {p:.3f} {flag}")

# %% BKT mastery vs a rule-based rating on the same learners
# Replay the whole test split through a fresh tracer (batch path), then compare, per
# (learner, skill), BKT's final "mastered" with "three correct in a row at some point".
# The online tracer only knows fitted skills (skill 64 appears in the test split only).
test = test[test.skill_id.astype(str).isin(model.skills)]
tracer = model.tracer(threshold=0.95)
mastery = mm.bkt.update_batch(tracer, test.user_id.to_numpy(), test.skill_id.to_numpy(),
                              test.correct.to_numpy())
test = test.assign(mastery=mastery)


def three_in_a_row(answers):
    run = 0
    for a in answers:
        run = run + 1 if a else 0
        if run >= 3:
            return True
    return False


pairs = test.groupby(["user_id", "skill_id"], sort=False).agg(
    answers=("correct", "size"), bkt_mastery=("mastery", "last"),
    rule=("correct", three_in_a_row))
pairs["bkt"] = pairs.bkt_mastery >= 0.95
table = pd.crosstab(pairs.rule.rename("3 in a row"), pairs.bkt.rename("BKT P(L) >= 0.95"))
print("\n(learner, skill) pairs:\n", table)
agree = float((pairs.rule == pairs.bkt).mean())
print(f"agreement {agree:.1%}; BKT stricter on {int((pairs.rule & ~pairs.bkt).sum())} pairs, "
      f"looser on {int((~pairs.rule & pairs.bkt).sum())}")
print(pairs[pairs.rule & ~pairs.bkt].head(5))

# %% The same comparison inside masterymap's rating engine: one evidence log, two policies
# Each skill becomes a competency; each answer a piece of evidence (score 1/0, in answer order).
# Policy A rates by BKT (Method.bkt: P(mastered) >= 0.95, probabilities from the fitted model);
# policy B by a rule (n_mastery(3): three answers at or above 80%, on the percent scale).
b = mm.FrameworkBuilder("ASSISTments skills")
b.add_competencies(sorted(model.skills))
fw = b.build()
log = mm.EvidenceLog().extend(pd.DataFrame({
    "learner": test.user_id.astype(str), "competency": test.skill_id.astype(str),
    "time": np.arange(len(test), dtype=float), "score": test.correct.astype(float)}), framework=fw)
by_bkt = mm.Policy(mm.Scale.percent(80), rule=mm.Rule(method=mm.Method.bkt(0.95)))
by_rule = mm.Policy(mm.Scale.percent(80), rule=mm.Rule(method=mm.Method.n_mastery(3)))
start = time.perf_counter()
a = mm.ratings(fw, by_bkt, log, probabilities=model.probability_source())
r = mm.ratings(fw, by_rule, log)
print(f"\nrated {len(a):,} (learner, skill) pairs twice in {time.perf_counter() - start:.3f} s")
both = a.merge(r, on=["learner", "competency"], suffixes=("_bkt", "_rule"))
print(pd.crosstab(both.status_rule.rename("n_mastery(3)"), both.status_bkt.rename("bkt(0.95)")))
# The engine's BKT value is exactly the tracer's P(L) after the same answers.
check = both.merge(pairs.reset_index().assign(learner=lambda d: d.user_id.astype(str),
                                              competency=lambda d: d.skill_id.astype(str)),
                   on=["learner", "competency"])
assert np.allclose(check.score_bkt, check.bkt_mastery, rtol=1e-12, atol=1e-12)
