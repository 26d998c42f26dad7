"""Python-side file access with the library's one file error.

The C++ readers and writers raise :class:`masterymap.FileError` (an ``OSError``) and
:class:`masterymap.MissingFileError` (also a ``FileNotFoundError``); :func:`file_errors`
makes Python's own ``open()`` calls raise the same classes.
"""
from __future__ import annotations

import contextlib
import errno as _errno
import os
from collections.abc import Iterator
from typing import Union

from ._core import FileError, MissingFileError


@contextlib.contextmanager
def file_errors(path: Union[str, "os.PathLike[str]"], what: str) -> Iterator[None]:
    """Re-raises an ``OSError`` from the block as :class:`MissingFileError` (the file does not
    exist) or :class:`FileError` (anything else), with ``.errno``, ``.strerror`` and
    ``.filename`` (the path) set; ``what`` names the file's role in the message."""
    try:
        yield
    except FileError:
        raise
    except OSError as e:
        code = e.errno if e.errno is not None else _errno.EIO
        filename = os.fspath(path)
        action = f"cannot {'open' if isinstance(e, (FileNotFoundError, IsADirectoryError, PermissionError)) else 'read'} {what}"
        reason = os.strerror(code)
        # Built like the C++ translator does: the message as the only argument, then the
        # OSError attributes, so str(err) reads as the C++ errors do.
        cls = MissingFileError if isinstance(e, FileNotFoundError) else FileError
        err = cls(f"{action} '{filename}': {reason}")
        err.errno, err.strerror, err.filename = code, f"{action}: {reason}", filename
        raise err from e
