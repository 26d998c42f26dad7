"""Loaders shared by the Python tests."""
import pytest

import masterymap as mm

CCSS_OPTIONS = dict(
    name="CCSS Math (Coherence Map)",
    prerequisite_column="from_code",
    dependent_column="to_code",
    id_column="code",
    title_column="cluster_name",
    description_column="text",
    domain_column="domain",
    level_column="grade",
    level_values={"K": 0, "HS": 9},
    metadata_columns=["domain_name", "cluster"],
)


def require(path):
    """`path` when it exists; otherwise the test is skipped ("<path> is absent")."""
    if not path.exists():
        pytest.skip(f"{path} is absent")
    return path


def load_ccss(shared_data):
    """The Common Core coherence map (third-party data, read in place from ../shared/data)."""
    d = require(shared_data / "ccss-math-coherence-map")
    return mm.io.read_framework_csv(str(d / "prerequisite_edges.csv"), str(d / "standards.csv"),
                                    **CCSS_OPTIONS)
