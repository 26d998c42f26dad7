"""The data the cohort, restore, Dask and roster-frame benchmarks share: the Common Core map
(../shared/data/ccss-math-coherence-map, or $MASTERYMAP_SHARED_DATA) and the policy they rate it
with (four-point scale, decaying average 0.65, two pieces of evidence, self-assessments ignored)."""
import os
import pathlib

import masterymap as mm

ROOT = pathlib.Path(__file__).resolve().parents[1]
DATA = pathlib.Path(os.environ.get("MASTERYMAP_SHARED_DATA", ROOT.parent / "shared" / "data")) \
    / "ccss-math-coherence-map"


def available() -> bool:
    """Whether the map is there (the benchmarks print SKIPPED otherwise)."""
    return (DATA / "standards.csv").exists()


def framework() -> "mm.Framework":
    """The CCSS map: 480 standards, grades K..8 and HS (as 9)."""
    return mm.io.read_framework_csv(str(DATA / "prerequisite_edges.csv"),
                                    str(DATA / "standards.csv"),
                                    prerequisite_column="from_code", dependent_column="to_code",
                                    id_column="code", domain_column="domain",
                                    level_column="grade", level_values={"K": 0, "HS": 9})


def policy() -> "mm.Policy":
    return mm.Policy(mm.Scale.four_point(),
                     rule=mm.Rule(method=mm.Method.decaying_average(0.65), min_evidence=2,
                                  ignore_kinds=["self"]))
