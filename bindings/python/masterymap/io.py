"""Readers and writers of files: 1EdTech CASE packages, framework edge-list CSV, native
framework JSON; Open Badges 3.0 and CLR 2.0 credentials (:func:`achievement_credentials`,
:func:`clr`, :func:`read_credential`); the portable learner record (:func:`export_record`,
:func:`read_record`).

Every reader and writer raises :class:`masterymap.MissingFileError` (also a
``FileNotFoundError``) for a missing file and :class:`masterymap.FileError` (an ``OSError``)
for any other failure to read or write, with ``.filename`` set.
"""
import gzip
import json
import os
import zlib
from typing import Any, Mapping, Optional, Union

from ._arguments import checked
from ._credentials import achievement_credentials, clr, read_credential
from ._record import export_record, read_record
from ._core import Framework, ParseError, Scale
from ._core.io import case_rubric_scales as _case_rubric_scales
from ._core.io import parse_case as _parse_case
from ._core.io import read_case_file as _read_case_file
from ._core.io import have_graphviz, read_framework_csv, render_svg
from ._core.io import write_case as _write_case
# xAPI and cmi5 evidence in (masterymap/_xapi.py)
from ._xapi import read_cmi5_course, read_xapi, validate_xapi_statement
from ._xapi import xapi_verb_kinds

__all__ = ["have_graphviz", "render_svg", "achievement_credentials", "case_definitions", "case_document", "case_rubric_scales",
           "case_rubrics", "clr", "read_case", "read_credential", "read_framework_csv",
           "read_json", "write_case",
           # the portable learner record
           "export_record", "read_record",
           # xAPI and cmi5
           "read_cmi5_course", "read_xapi", "validate_xapi_statement",
           "xapi_verb_kinds"]


def _is_text(source: Union[str, bytes, "os.PathLike[str]"]) -> bool:
    """JSON text rather than a path: a str or bytes whose first character after a byte order
    mark and blanks is ``{`` or ``[`` (a package, or a JSON value that is not one, which the
    reader then refuses with a reason instead of a missing-file error)."""
    if isinstance(source, str):
        return source.lstrip("\ufeff \t\r\n")[:1] in ("{", "[")
    if isinstance(source, bytes):
        return source.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"{", b"[")
    return False


@checked
def read_case(source: Union[str, bytes, "os.PathLike[str]"], *, id: str = "humanCodingScheme",
              precedes_strength: str = "recommended", domain_item_type: str = "Domain",
              education_levels: Optional[Mapping[str, int]] = None,
              drop_cycle_edges: bool = False, drop_duplicate_edges: bool = False,
              notes: Optional[list[str]] = None) -> Framework:
    """Reads a 1EdTech CASE 1.0 or 1.1 package (CFPackage JSON) as a framework.

    CFItems become competencies, ``isChildOf`` the hierarchy (children in ``sequenceNumber``
    order), ``precedes`` prerequisites (``precedes_strength``); every CFAssociation, whatever
    its type, is kept in :attr:`Framework.associations`, and each node's original JSON in
    metadata (``"case:json"``), so :func:`write_case` gives the package back. The mapping is
    described in the README ("CASE").

    :param source: the package as JSON text (``str`` or ``bytes`` whose first character after
        an optional byte order mark and blanks is ``{``; gzip-compressed ``bytes`` too), or a
        path (``str``, ``bytes`` or ``os.PathLike``; a gzip file is decompressed)
    :param id: the CFItem field that becomes the competency id: ``"humanCodingScheme"``
        (default; an item with an empty or repeated code takes its ``identifier``, with a note),
        ``"identifier"`` or ``"uri"``
    :param precedes_strength: strength of a ``precedes`` link: ``"recommended"`` (default: CASE
        does not say precedes gates mastery) or ``"required"`` / ``"familiar"``
    :param domain_item_type: the CFItemType that names a domain
    :param education_levels: extra ``educationLevel`` codes and their levels (e.g. ``{"HS": 9}``)
    :param drop_cycle_edges: drop and report the links closing cycles instead of failing
    :param drop_duplicate_edges: keep the first of repeated links
    :param notes: a list that receives one line per choice the import made (id fallbacks,
        precedes to outside nodes, unknown grade codes)
    :raises ParseError: malformed JSON (line and column) or a field of the wrong type (its JSON
        path, e.g. ``/CFItems/3/fullStatement: expected a string``); empty text
    :raises ValidationError: every problem at once: duplicate identifiers, isChildOf ends
        outside the package, cycles
    :raises MissingFileError: the path does not exist
    """
    if not isinstance(source, (str, bytes, os.PathLike)):
        raise TypeError(f"read_case(): source must be JSON text, bytes or a path (str or "
                        f"os.PathLike), got {type(source).__name__} {source!r}")
    levels = dict(education_levels) if education_levels is not None else {}
    options = dict(id=id, precedes_strength=precedes_strength,
                   domain_item_type=domain_item_type, education_levels=levels,
                   drop_cycle_edges=drop_cycle_edges, drop_duplicate_edges=drop_duplicate_edges)
    if isinstance(source, bytes) and source[:2] == b"\x1f\x8b":  # gzip-compressed text
        source = _gunzip(source, "CASE package")
    if isinstance(source, (str, bytes)) and not source.strip():
        # neither a package nor a path: say so, rather than "no such file: ''"
        raise ParseError("CASE package: the text is empty (expected a CFPackage JSON object "
                         "or a path)")
    if _is_text(source):
        # bytes go to the reader as they are: invalid UTF-8 is a ParseError with its position
        fw, found = _parse_case(source, **options)  # type: ignore[arg-type]
    else:
        path = os.fsdecode(source) if isinstance(source, bytes) else source
        fw, found = _read_case_file(path, **options)  # type: ignore[arg-type]
    if notes is not None:
        notes.extend(found)
    return fw


def _gunzip(data: bytes, what: str) -> bytes:
    """`data` (gzip) inflated; corrupt or truncated data is a ParseError naming `what`."""
    try:
        return gzip.decompress(data)
    except (OSError, EOFError, zlib.error) as e:
        raise ParseError(f"{what}: corrupt gzip data ({e})") from None


@checked
def write_case(framework: Framework, path: Union[str, "os.PathLike[str]", None] = None, *,
               strict: bool = False, base_uri: str = "urn:masterymap:case:",
               last_change_date_time: str = "", creator: str = "masterymap",
               normalisations: Optional[list[str]] = None) -> str:
    """Writes a framework as a CASE package (JSON text), and to ``path`` when given (atomically:
    a crash leaves the old file or the new one).

    A framework read by :func:`read_case` gives back its package (equal as canonical JSON when
    unchanged); anything else becomes CFItems and ``isChildOf`` / ``precedes`` associations with
    name-based (version 5) UUIDs of the document and the id, stable across exports. What CASE
    cannot say (domain, kind, exact level, metadata, a prerequisite's strength) travels in
    ``extensions["masterymap"]`` and is read back by :func:`read_case`.

    :param strict: write CASE 1.1 that validates against the official 1EdTech package schema:
        1.0 keys a 1.1 class lacks move into ``extensions``, zone-less timestamps are read as
        UTC, numeric strings become numbers, ``null`` is dropped, ``educationalLevel`` becomes
        ``educationLevel``, non-UUID identifiers become version 5 UUIDs of themselves (in every
        reference), ``caseVersion`` is ``"1.1"``; when false the kept JSON is written as read
    :param normalisations: a list that receives one line per change ``strict`` made
        (``"<JSON path>: <what was done>"``)
    :param base_uri: base of generated URIs (``<base_uri><identifier>``)
    :param last_change_date_time: ``lastChangeDateTime`` of generated nodes (default
        ``1970-01-01T00:00:00Z``, so the output depends on the framework only)
    :param creator: the CFDocument's creator when the framework did not come from CASE
    :returns: the package text
    :raises FileError: the file cannot be written
    """
    text, made = _write_case(framework, path, strict=strict, base_uri=base_uri,
                             last_change_date_time=last_change_date_time, creator=creator)
    if normalisations is not None:
        normalisations.extend(made)
    return text


@checked
def case_rubric_scales(framework: Framework, mastery_fraction: float = 0.5) -> dict[str, Scale]:
    """The CFRubrics of a framework read from CASE as scales, ``{competency id: Scale}``.

    Each CFRubricCriterion judges one item (its ``CFItemURI``); its levels are the ratings
    (label = ``quality``, else ``description``; value = ``score``, else ``position``), mastery
    the lowest level at least ``mastery_fraction`` of the way from the lowest value to the
    highest (a 1..4 rubric: 3).

    :raises ParseError: a criterion's levels without values, or with a repeated value
    """
    return _case_rubric_scales(framework, mastery_fraction)


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


def _case_part(framework: Framework, key: str, default: Any) -> Any:
    text = framework.metadata.get("case:package")
    if text is None:
        return default
    return json.loads(text).get(key, default)


@checked
def case_document(framework: Framework) -> dict[str, Any]:
    """The CFDocument of a framework read from CASE, as read (``{}`` for other frameworks)."""
    return dict(_case_part(framework, "CFDocument", {}))


@checked
def case_definitions(framework: Framework) -> dict[str, list[dict[str, Any]]]:
    """The CFDefinitions of a framework read from CASE, as read: ``{"CFConcepts": [...],
    "CFSubjects": [...], "CFLicenses": [...], "CFItemTypes": [...],
    "CFAssociationGroupings": [...]}`` with the lists the package has (``{}`` if none)."""
    return dict(_case_part(framework, "CFDefinitions", {}) or {})


@checked
def case_rubrics(framework: Framework) -> list[dict[str, Any]]:
    """The CFRubrics of a framework read from CASE, as read (criteria and levels included);
    :func:`case_rubric_scales` turns them into scales."""
    return list(_case_part(framework, "CFRubrics", []) or [])
