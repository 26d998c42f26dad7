"""Where the examples find third-party data: read in place from ../shared/data, next to the
repository (MASTERYMAP_SHARED_DATA moves it); never copied into the repository.

Not an example itself: imported by those that need the data (the script's folder is on
``sys.path`` when it runs).
"""
import os
import pathlib
import sys

import masterymap as mm

SHARED = pathlib.Path(os.environ.get("MASTERYMAP_SHARED_DATA",
                                     pathlib.Path(__file__).resolve().parents[3] / "shared" / "data"))


def require(path: pathlib.Path) -> pathlib.Path:
    """``path`` when it exists; otherwise prints the skip marker ctest looks for and exits 0."""
    if not path.exists():
        print(f"SKIPPED: {path} is absent")
        sys.exit(0)
    return path


def read_ccss(**options) -> mm.Framework:
    """The Common Core math coherence map (480 standards, 757 prerequisite links), with its own
    column names mapped; ``options`` add to or override the reader's keywords."""
    data = require(SHARED / "ccss-math-coherence-map")
    require(data / "standards.csv")
    kw = dict(prerequisite_column="from_code", dependent_column="to_code", id_column="code",
              domain_column="domain", level_column="grade", level_values={"K": 0, "HS": 9})
    kw.update(options)
    return mm.io.read_framework_csv(data / "prerequisite_edges.csv", data / "standards.csv", **kw)
