"""A strict checker of CASE 1.1 packages against the official 1EdTech CFPackage JSON Schema.

Test tooling, not part of the masterymap package: the CASE tests and benchmarks use it as an
oracle that is independent of masterymap's own reader and writer.

    >>> errors = validate_case_1_1(json.load(open(path)))   # [] when the package is valid
    >>> errors[0]
    "/CFItems/3/fullStatement: 5 is not of type 'string'"

What it checks:

- The official schema ``case_v1p1_cfpackage-jsonschema1.json`` (JSON Schema draft 2019-09), read
  from a schema directory: the caller's ``schema_dir``, else ``$MASTERYMAP_SHARED_DATA/interop/
  case/schemas``, else ``../shared/data/interop/case/schemas`` next to the repository. Every
  ``*.json`` schema in that directory is put in a local store under its ``$id``, so a ``$ref``
  between the files resolves locally; a ``$ref`` that would need the network is an error
  (``SchemaRefError``), never a download.
- ``Draft201909Validator`` with an explicit format checker: jsonschema's draft 2019-09 formats
  (``uuid``: 8-4-4-4-12 hex) plus two of our own, because Debian's python3-jsonschema (4.10)
  does NOT check ``date-time`` (it needs the rfc3339-validator package, which Debian lacks, and
  then silently accepts anything) and checks ``date`` with Python 3.11's
  ``date.fromisoformat``, which also accepts ISO 8601 forms RFC 3339 does not
  (``20240101``, ``2024-W01-1``):

  * ``date-time``: RFC 3339 section 5.6 ``full-date "T" full-time``, the time offset REQUIRED
    (``Z`` or ``+hh:mm``/``-hh:mm``), ``T``/``Z`` in either case, optional fraction of a second,
    real calendar days (leap years), hours 00-23, minutes 00-59, seconds 00-59 or a leap second
    60 that falls at 23:59 UTC; ``2017-05-25T18:05:33`` (no zone) is NOT a date-time.
  * ``date``: RFC 3339 ``full-date`` (``YYYY-MM-DD``, a real calendar day).

Each error is one string ``"<JSON Pointer of the instance>: <jsonschema's message>"``, e.g.
``"/CFItems/3/fullStatement: 5 is not of type 'string'"``; the root is written ``(root)``. One
error per failing schema keyword (jsonschema's ``iter_errors``, the count the CASE
``MANIFEST.json`` records), sorted by path and message.
Complexity: O(size of the package) per call; the validator is built once per schema directory.
"""
from __future__ import annotations

import datetime
import functools
import json
import os
import pathlib
import re
import urllib.parse
from typing import Any, Optional, Union

PACKAGE_SCHEMA = "case_v1p1_cfpackage-jsonschema1.json"
REPO_ROOT = pathlib.Path(__file__).resolve().parents[2]

__all__ = ["PACKAGE_SCHEMA", "SchemaRefError", "find_schema_dir", "is_rfc3339_date",
           "is_rfc3339_date_time", "validate_case_1_1"]


class SchemaRefError(LookupError):
    """A ``$ref`` in the CASE schemas that is not in the local store (would need the network)."""


# --- RFC 3339 (section 5.6) --------------------------------------------------------------------

_FULL_DATE = r"(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})"
_DATE_RE = re.compile(_FULL_DATE, re.ASCII)
_DATE_TIME_RE = re.compile(
    _FULL_DATE + r"[Tt](?P<hour>\d{2}):(?P<minute>\d{2}):(?P<second>\d{2})(?:\.\d+)?"
    r"(?:(?P<z>[Zz])|(?P<sign>[+-])(?P<off_hour>\d{2}):(?P<off_minute>\d{2}))",
    re.ASCII)


def _real_day(match: "re.Match[str]") -> bool:
    try:
        datetime.date(int(match["year"]), int(match["month"]), int(match["day"]))
    except ValueError:
        return False
    return True


def is_rfc3339_date(text: object) -> bool:
    """RFC 3339 ``full-date`` (``YYYY-MM-DD``, a real calendar day); a non-string passes (JSON
    Schema formats only constrain strings)."""
    if not isinstance(text, str):
        return True
    match = _DATE_RE.fullmatch(text)
    return bool(match) and _real_day(match)


def is_rfc3339_date_time(text: object) -> bool:
    """RFC 3339 ``date-time`` with a REQUIRED offset (``Z`` or ``±hh:mm``); see the module
    docstring for the exact rule. A non-string passes."""
    if not isinstance(text, str):
        return True
    match = _DATE_TIME_RE.fullmatch(text)
    if not match or not _real_day(match):
        return False
    hour, minute, second = int(match["hour"]), int(match["minute"]), int(match["second"])
    if hour > 23 or minute > 59 or second > 60:
        return False
    offset = 0
    if not match["z"]:
        off_hour, off_minute = int(match["off_hour"]), int(match["off_minute"])
        if off_hour > 23 or off_minute > 59:
            return False
        offset = (off_hour * 60 + off_minute) * (1 if match["sign"] == "+" else -1)
    if second == 60:  # a leap second is inserted at the end of a UTC day (RFC 3339 5.7)
        utc_minutes = (hour * 60 + minute - offset) % (24 * 60)
        return utc_minutes == 23 * 60 + 59
    return True


# --- the validator --------------------------------------------------------------------------------

def find_schema_dir(schema_dir: Union[None, str, "os.PathLike[str]"] = None
                    ) -> Optional[pathlib.Path]:
    """The directory holding ``case_v1p1_cfpackage-jsonschema1.json``: ``schema_dir`` when given
    (returned even if it lacks the file, so the caller's error names it), else
    ``$MASTERYMAP_SHARED_DATA/interop/case/schemas``, else ``<repo>/../shared/data/interop/case/
    schemas``; None when neither default holds the schema."""
    if schema_dir is not None:
        return pathlib.Path(schema_dir)
    shared = pathlib.Path(os.environ.get("MASTERYMAP_SHARED_DATA",
                                         REPO_ROOT.parent / "shared" / "data"))
    candidate = shared / "interop" / "case" / "schemas"
    return candidate if (candidate / PACKAGE_SCHEMA).is_file() else None


def _format_checker(jsonschema: Any) -> Any:
    checker = jsonschema.FormatChecker(formats=())
    checker.checkers = dict(jsonschema.Draft201909Validator.FORMAT_CHECKER.checkers)
    checker.checks("date-time")(is_rfc3339_date_time)
    checker.checks("date")(is_rfc3339_date)
    return checker


def _check_refs(schema: Any, store: dict[str, Any]) -> None:
    """Raises SchemaRefError for a ``$ref`` reachable from `schema` whose document is not in
    `store` (checked up front, the same on every jsonschema version)."""
    pending, seen = [schema], set()
    while pending:
        document = pending.pop()
        if id(document) in seen:
            continue
        seen.add(id(document))
        base = document.get("$id", "") if isinstance(document, dict) else ""
        nodes = [document]
        while nodes:
            node = nodes.pop()
            if isinstance(node, dict):
                ref = node.get("$ref")
                if isinstance(ref, str):
                    target = urllib.parse.urldefrag(urllib.parse.urljoin(base, ref)).url
                    if target and target != base.rstrip("#"):
                        if target not in store:
                            raise SchemaRefError(
                                f"$ref {ref!r} ({target}) is not among the local CASE schemas "
                                "(no network fetch)")
                        pending.append(store[target])
                nodes.extend(node.values())
            elif isinstance(node, list):
                nodes.extend(node)


def _refuse_remote(uri: str) -> Any:
    raise SchemaRefError(f"$ref {uri!r} is not among the local CASE schemas (no network fetch)")


@functools.lru_cache(maxsize=8)
def _validator(schema_dir: pathlib.Path, formats: bool) -> Any:
    import jsonschema

    path = schema_dir / PACKAGE_SCHEMA
    if not path.is_file():
        raise FileNotFoundError(f"{path}: the CASE 1.1 package schema is absent")
    store: dict[str, Any] = {}
    for file in sorted(schema_dir.glob("*.json")):
        document = json.loads(file.read_text(encoding="utf-8"))
        if isinstance(document, dict) and isinstance(document.get("$id"), str):
            store[document["$id"]] = document
            store[document["$id"].rstrip("#")] = document
    schema = json.loads(path.read_text(encoding="utf-8"))
    jsonschema.Draft201909Validator.check_schema(schema)
    _check_refs(schema, store)
    checker = _format_checker(jsonschema) if formats else None
    try:  # jsonschema >= 4.18: the `referencing` library (RefResolver is deprecated there)
        from referencing import Registry, Resource
        from referencing.jsonschema import DRAFT201909
    except ImportError:  # Debian's 4.10
        resolver = jsonschema.RefResolver.from_schema(
            schema, store=store,
            handlers={"http": _refuse_remote, "https": _refuse_remote, "file": _refuse_remote})
        return jsonschema.Draft201909Validator(schema, resolver=resolver, format_checker=checker)
    registry: Any = Registry().with_resources(
        (uri, Resource.from_contents(document, default_specification=DRAFT201909))
        for uri, document in store.items())  # no `retrieve`: an unknown $ref is an error
    return jsonschema.Draft201909Validator(schema, registry=registry, format_checker=checker)


def _pointer(path: Any) -> str:
    parts = [str(p).replace("~", "~0").replace("/", "~1") for p in path]
    return "/" + "/".join(parts) if parts else "(root)"


def validate_case_1_1(package: Any,
                      schema_dir: Union[None, str, "os.PathLike[str]"] = None, *,
                      formats: bool = True) -> list[str]:
    """Every error of `package` (parsed JSON) against the CASE 1.1 CFPackage schema, as
    ``"/json/pointer: message"`` strings sorted by path and message; [] when valid.

    `schema_dir`: see `find_schema_dir`. `formats=False` skips every format check (the
    ``case_1_1_schema_errors_without_format`` count of MANIFEST.json).
    Raises FileNotFoundError when no schema directory is found, SchemaRefError for a ``$ref``
    outside the local schemas, ImportError without python3-jsonschema.
    """
    directory = find_schema_dir(schema_dir)
    if directory is None:
        raise FileNotFoundError(
            "the CASE 1.1 schemas are absent: pass schema_dir or set MASTERYMAP_SHARED_DATA")
    validator = _validator(directory.resolve(), formats)
    errors = [f"{_pointer(e.absolute_path)}: {e.message}" for e in validator.iter_errors(package)]
    return sorted(errors)
