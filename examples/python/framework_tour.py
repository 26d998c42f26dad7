"""A tour of the framework API from Python, on the Common Core map (read from ../shared/data).

Run from the repository root after building:
    PYTHONPATH=build/python /usr/bin/python3 examples/python/framework_tour.py
"""
import numpy as np

import masterymap as mm
from shared_data import read_ccss

# The Common Core map is third-party data, read in place from ../shared/data.
fw = read_ccss(name="CCSS Math", title_column="cluster_name", description_column="text",
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
