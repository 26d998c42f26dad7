"""A tour of the framework API from Python, on the Common Core map (read from ../shared/data).

Run from the repository root after building:
    PYTHONPATH=build/python /usr/bin/python3 examples/python/framework_tour.py
"""
import os
import pathlib
import sys

import numpy as np

import masterymap as mm

# The Common Core map is third-party data, read in place from ../shared/data (next to the
# repository; MASTERYMAP_SHARED_DATA moves it).
SHARED = pathlib.Path(os.environ.get("MASTERYMAP_SHARED_DATA",
                                     pathlib.Path(__file__).resolve().parents[3] / "shared" / "data"))
DATA = SHARED / "ccss-math-coherence-map"
if not (DATA / "standards.csv").exists():
    print(f"SKIPPED: {DATA} is absent")
    sys.exit(0)

fw = mm.io.read_framework_csv(
    str(DATA / "prerequisite_edges.csv"), str(DATA / "standards.csv"),
    name="CCSS Math", prerequisite_column="from_code", dependent_column="to_code",
    id_column="code", title_column="cluster_name", description_column="text",
    domain_column="domain", level_column="grade", level_values={"K": 0, "HS": 9},
    metadata_columns=["domain_name"])
print(fw)

# Per-call queries speak ids ...
print("prerequisites of 5.NF.A.1:", fw.prerequisites("5.NF.A.1"))
print("learning path to 5.NF.A.1:", fw.prerequisites("5.NF.A.1", transitive=True))

# ... batch queries speak numpy index arrays.
goals = fw.index_of(["6.RP.A.3", "7.RP.A.2", "8.EE.B.5"])
needed = fw.ancestors(goals)
print(f"{len(needed)} standards lie under the three ratio/proportion goals")

# pandas and networkx views.
df = fw.competencies_frame()
print(df.groupby("domain")["depth"].max().sort_values(ascending=False).head(5))
g = fw.to_networkx()
print("networkx graph:", g.number_of_nodes(), "nodes,", g.number_of_edges(), "edges")

# A lint: links implied by longer paths.
print("redundant links:", len(fw.redundant_prerequisites()))

# The ancestors of a goal as a framework of their own, saved as native JSON.
sub = fw.subgraph(fw.prerequisites("7.RP.A.3", transitive=True) + ["7.RP.A.3"])
assert mm.Framework.from_json(sub.to_json()) == sub
print(sub, "->", len(sub.to_dot().splitlines()), "lines of DOT")
# Batch and per-call forms agree, both in learning order.
assert np.array_equal(fw.ancestors(fw.index_of("7.RP.A.3")),
                      fw.index_of(fw.prerequisites("7.RP.A.3", transitive=True)))
