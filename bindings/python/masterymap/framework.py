"""Frameworks: competencies, their hierarchy and typed prerequisite edges.

The bound C++ types, re-exported unchanged: build with :class:`FrameworkBuilder`, then query
the frozen :class:`Framework` (ids or dense indices; ``edges()``/``edges_frame()`` name the two
ends of an edge ``prerequisite`` and ``dependent``). File readers: :meth:`Framework.read_json`,
:func:`masterymap.io.read_framework_csv`.
"""
from ._core import Association, Competency, Framework, FrameworkBuilder

__all__ = ["Association", "Competency", "Framework", "FrameworkBuilder"]
