"""Readers and writers of files: framework edge-list CSV, native framework JSON.

Every reader and writer raises :class:`masterymap.MissingFileError` (also a
``FileNotFoundError``) for a missing file and :class:`masterymap.FileError` (an ``OSError``)
for any other failure to read or write, with ``.filename`` set.
"""
import os
from typing import Union

from ._core import Framework
from ._core.io import read_framework_csv

__all__ = ["read_framework_csv", "read_json"]


def read_json(path: Union[str, "os.PathLike[str]"], *, drop_cycle_edges: bool = False,
              drop_duplicate_edges: bool = False) -> Framework:
    """Reads a framework from a native JSON file (:meth:`Framework.read_json`).

    :raises MissingFileError: the file does not exist
    :raises FileError: it cannot be read
    :raises ParseError: malformed JSON or a bad field
    :raises ValidationError: an invalid graph
    """
    return Framework.read_json(path, drop_cycle_edges=drop_cycle_edges,
                               drop_duplicate_edges=drop_duplicate_edges)
