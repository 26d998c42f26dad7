"""Mastery ratings for a few learners on a small framework, under a school's policy file.

Run from the repository root: PYTHONPATH=build/python /usr/bin/python3 examples/python/mastery_ratings.py
"""
import os
import pathlib

import pandas as pd

import masterymap as mm

DATA = pathlib.Path(os.environ.get("MASTERYMAP_EXAMPLE_DATA", pathlib.Path(__file__).parents[1] / "data"))

# A unit on fractions and one on operations, each made of learning targets.
b = mm.FrameworkBuilder("Grade 3 math (excerpt)")
b.add_competency("3.NF", title="Fractions", domain="NF", level=3)
b.add_competency("3.NF.A.1", title="Unit fractions 1/b", domain="NF", level=3)
b.add_competency("3.NF.A.2", title="Fractions on a number line", domain="NF", level=3)
b.add_competency("3.OA", title="Operations and algebraic thinking", domain="OA", level=3)
b.add_competency("3.OA.A.1", title="Interpret products", domain="OA", level=3)
b.add_competency("3.OA.A.3", title="Multiply and divide within 100", domain="OA", level=3)
for parent, child in [("3.NF", "3.NF.A.1"), ("3.NF", "3.NF.A.2"), ("3.OA", "3.OA.A.1"), ("3.OA", "3.OA.A.3")]:
    b.add_child(parent, child)
b.add_prerequisite("3.NF.A.2", prerequisite="3.NF.A.1")
fw = b.build()

# The school's policy: 4-point scale, decaying average (w=0.65), at least 2 pieces of evidence,
# self-assessments never count, fractions need a teacher's discussion check; parents roll up
# all of their targets.
policy = mm.Policy.read(DATA / "policy_four_point.json")
policy.validate(fw)

evidence = pd.DataFrame([
    # learner, competency, score, time, kind, source
    ("ana", "3.NF.A.1", 2, "2024-09-02", "formative", "Ms. Rivera"),
    ("ana", "3.NF.A.1", 3, "2024-09-09", "formative", "Ms. Rivera"),
    ("ana", "3.NF.A.1", 4, "2024-09-16", "summative", "Ms. Rivera"),
    ("ana", "3.NF.A.1", 4, "2024-09-17", "self", ""),
    ("ana", "3.NF.A.1", 3, "2024-09-18", "discussion", "Ms. Rivera"),
    ("ana", "3.NF.A.2", 3, "2024-09-20", "formative", "Ms. Rivera"),
    ("ana", "3.NF.A.2", 4, "2024-09-27", "summative", "Ms. Rivera"),
    ("ana", "3.OA.A.1", 3, "2024-09-03", "formative", "Mr. Okafor"),
    ("ana", "3.OA.A.1", 3, "2024-09-10", "summative", "Mr. Okafor"),
    ("ana", "3.OA.A.3", 4, "2024-09-04", "pretest", ""),
    ("ana", "3.OA.A.3", 4, "2024-09-12", "discussion", "Mr. Okafor"),
    ("ben", "3.NF.A.1", 1, "2024-09-02", "formative", "Ms. Rivera"),
    ("ben", "3.NF.A.1", 2, "2024-09-09", "formative", "Ms. Rivera"),
    ("ben", "3.OA.A.1", 4, "2024-09-03", "formative", "Mr. Okafor"),
    ("ben", "3.OA.A.1", 4, "2024-09-10", "summative", "Mr. Okafor"),
    ("cleo", "3.NF.A.1", 4, "2024-09-02", "formative", "Ms. Rivera"),
    ("cleo", "3.NF.A.1", 4, "2024-09-09", "summative", "Ms. Rivera"),
], columns=["learner", "competency", "score", "time", "kind", "source"])

log = mm.EvidenceLog().extend(evidence, framework=fw, policy=policy)
print(log)

ratings = mm.ratings(fw, policy, log)
print(ratings.pivot(index="learner", columns="competency", values="status").fillna("not_started").to_string())
print()
state = mm.evaluate(fw, policy, log, "cleo")
print(state.explain("3.NF.A.1"))
print(mm.evaluate(fw, policy, log, "ana").explain("3.OA.A.3"))
