"""A learner on the Common Core map: frontier, gaps, level per domain, recommendations, pace."""
import masterymap as mm
from shared_data import read_ccss

# The Common Core map is third-party data, read in place from ../shared/data.
fw = read_ccss()

log = mm.EvidenceLog()
t = mm.to_seconds("2024-09-02")
for cid in fw:
    c = fw[cid]
    grade = c.level if c.level is not None else 99
    if (grade <= 3 and cid != "3.NF.A.1") or (grade == 4 and c.domain in ("NF", "OA")):
        t += 3600
        log.add(learner="maya", competency=cid, score=3, time=t)

roster = mm.Roster(fw, mm.Policy(mm.Scale.four_point()))
roster.ingest(log)
st = roster.learner("maya")

print("frontier:", st.frontier()[:8], "...")
for g in st.gaps():
    print(f"gap {g.id} undermines {len(g.undermines)}: {', '.join(g.undermines)}")
for lv in [x for x in st.levels() if x.level is not None]:
    print(f"domain {lv.domain:4} level {lv.level}, next {lv.next_level}: "
          f"{lv.next_done}/{lv.next_total}")
for r in st.recommend(3):
    print(f"next: {r.id} (score {r.score:.2f}); " + "; ".join(r.reasons))
plan = mm.PacePlan("2024-09-01", "2025-06-15", fw.competencies_in("NF", 4) + fw.competencies_in("NF", 5))
pace = st.pacing(plan)
print(f"pace: {pace.status}, {pace.done} of {pace.total} done ({pace.expected:.1f} expected), "
      f"{pace.acceleration:.2f}x the expected rate, projected finish {pace.projected_finish_date}")
print(roster.levels().head())
