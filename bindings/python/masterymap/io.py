"""Readers and writers: CSV edge lists, native JSON."""
from ._core.io import read_framework_csv  # noqa: F401
from ._framework import read_json  # noqa: F401

__all__ = ["read_framework_csv", "read_json"]
