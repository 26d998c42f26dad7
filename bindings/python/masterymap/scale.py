"""Proficiency scales: ordered (label, value) ratings with a mastery and an exceeds level.

The bound C++ type, re-exported unchanged.
"""
from ._core import Scale

__all__ = ["Scale"]
