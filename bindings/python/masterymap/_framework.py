"""Pure-Python conveniences on :class:`masterymap.Framework` (networkx and pandas views)."""
from __future__ import annotations

from typing import Any

from ._core import Framework

__all__ = ["to_networkx", "edges_frame", "competencies_frame", "read_json", "write_json"]


def to_networkx(self: Framework) -> Any:
    """The prerequisite graph as a ``networkx.DiGraph``.

    Edges point from prerequisite to dependent and carry ``strength`` (and ``min_level`` when
    set); nodes carry the competency fields. The hierarchy is stored in the graph attribute
    ``hierarchy`` as ``(parent, child)`` pairs.
    """
    import networkx as nx

    g = nx.DiGraph(name=self.name, hierarchy=self.hierarchy())
    for cid in self:
        c = self[cid]
        g.add_node(cid, title=c.title, description=c.description, domain=c.domain,
                   level=c.level, kind=c.kind, tags=list(c.tags), metadata=dict(c.metadata))
    for e in self.edges():
        attrs = {"strength": e["strength"]}
        if e["min_level"] is not None:
            attrs["min_level"] = e["min_level"]
        g.add_edge(e["requires"], e["competency"], **attrs)
    return g


def edges_frame(self: Framework) -> Any:
    """The prerequisite edges as a pandas DataFrame (competency, requires, strength, min_level)."""
    import pandas as pd

    return pd.DataFrame(self.edges(), columns=["competency", "requires", "strength", "min_level"])


def competencies_frame(self: Framework) -> Any:
    """The competencies as a pandas DataFrame indexed by position (id, title, domain, level, ...)."""
    import pandas as pd

    rows = []
    for cid in self:
        c = self[cid]
        rows.append({"id": c.id, "title": c.title, "description": c.description,
                     "domain": c.domain, "level": c.level, "kind": c.kind,
                     "depth": self.depth(cid)})
    return pd.DataFrame(rows, columns=["id", "title", "description", "domain", "level", "kind",
                                       "depth"])


def read_json(path: str, **options: bool) -> Framework:
    """Reads a framework from a native JSON file (see :meth:`Framework.from_json`)."""
    with open(path, encoding="utf-8") as f:
        return Framework.from_json(f.read(), **options)


def write_json(self: Framework, path: str, indent: int = 2) -> None:
    """Writes the framework as native JSON to ``path``."""
    with open(path, "w", encoding="utf-8") as f:
        f.write(self.to_json(indent))


Framework.to_networkx = to_networkx
Framework.edges_frame = edges_frame
Framework.competencies_frame = competencies_frame
Framework.write_json = write_json
Framework.read_json = staticmethod(read_json)
