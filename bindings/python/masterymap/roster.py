"""The roster: many learners against one framework and policy, storing per learner only the
cells it touched (16 bytes each), ingesting incrementally.

The bound C++ type, re-exported unchanged; ``ingest``/``add`` convert DataFrames through
:mod:`masterymap._columns`, and ``to_dataframe``/``frontier``/``levels``/``gaps``/``blockers``/
``pacing`` build DataFrames through :mod:`masterymap._frames`; ``Roster.learner`` evaluates one
learner in C++ with the roster's probability source.
"""
from ._core import Roster

__all__ = ["Roster"]
