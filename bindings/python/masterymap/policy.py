"""Policies: a scale, a default mastery rule, scoped overrides and rollups (JSON round-trip).

The bound C++ types, re-exported unchanged; :meth:`Policy.read` / :meth:`Policy.write` handle
files (raising :class:`masterymap.FileError` / :class:`masterymap.MissingFileError`).
"""
from ._core import Method, Policy, Rollup, Rule

__all__ = ["Method", "Policy", "Rollup", "Rule"]
