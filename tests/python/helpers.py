"""Loaders shared by the Python tests."""
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


def load_ccss(example_data):
    """The bundled Common Core coherence map."""
    d = example_data / "ccss-math"
    return mm.io.read_framework_csv(str(d / "prerequisite_edges.csv"), str(d / "standards.csv"),
                                    **CCSS_OPTIONS)
