"""The portable learner record (a "data backpack") out of a roster and into another
(masterymap.io).

The record is built and read in C++ (``masterymap::io::export_record`` / ``read_record``,
format in ``include/masterymap/io/record.hpp``; bound as :meth:`Roster.export_record` and
``_core.io.read_record``); this module reads and writes files and turns the report into Python
objects.
"""
from __future__ import annotations

import json
import os
from typing import Any, Optional, Sequence, Union

from ._arguments import checked
from ._core import Framework, Roster, ValidationError
from ._core.io import read_record as _read_record
from ._credentials import _check, _Checker
from ._files import file_errors

__all__ = ["export_record", "read_record"]

_PathLike = Union[str, "os.PathLike[str]"]


@checked
def export_record(roster: Roster, learner: Any, path: Optional[_PathLike] = None, *,
                  as_of: Any = None, issuer: Optional[str] = None, issuer_name: str = "",
                  identity: Optional[str] = None, identity_type: str = "identifier",
                  salt: Optional[str] = None, valid_from: Optional[str] = None,
                  achievement_base: str = "", include_exempt: bool = True,
                  name: str = "Comprehensive Learner Record", indent: Optional[int] = None) -> str:
    """The learner's portable record as JSON text (:meth:`Roster.export_record`), also written
    to ``path`` when given.

    The record (version 1) holds the framework reference (CASE document identifier, uri,
    version and title when the framework came from CASE; the SHA-256 of its native JSON
    always), the policy, every evidence row of the learner with its source (e.g. the xAPI
    statement id), ``voided`` (the retractions of its sources: ``source``, ``by``),
    the ratings with their explanations, and the CLR 2.0 credential when ``issuer`` is given
    and the learner has earned something (the credential parameters are those of
    :func:`masterymap.io.clr`). Export -> :func:`read_record` -> export is byte-identical.

    :param as_of: the ratings' evaluation time (default: the roster's ``as_of``)
    :param indent: JSON indentation (default: compact)
    :raises UnknownIdError: a learner the roster does not have
    :raises ValueError: a bad credential option
    :raises FileError: ``path`` cannot be written
    """
    if path is not None and not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"io.export_record(): path must be a str or os.PathLike, got "
                        f"{type(path).__name__} {path!r}")
    text: str = roster.export_record(
        learner, as_of=as_of, issuer=issuer or "", issuer_name=issuer_name,
        identity=identity or "", identity_type=identity_type, salt=salt or "",
        valid_from=valid_from or "", achievement_base=achievement_base,
        include_exempt=include_exempt, name=name, indent=-1 if indent is None else indent)
    if path is not None:
        with file_errors(path, "learner record"):
            with open(path, "w", encoding="utf-8", newline="") as f:
                f.write(text)
    return text


def _text(source: Union[str, bytes, "os.PathLike[str]"]) -> str:
    if not (source.strip() if isinstance(source, (str, bytes)) else os.fspath(source)):
        raise ValueError(f"io.read_record(): source is empty ({source!r}): give the record's "
                         f"JSON text or the path of a record file")
    if isinstance(source, bytes):
        if source.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"{":
            return source.decode("utf-8", errors="surrogateescape")
        source = os.fsdecode(source)
    if isinstance(source, str) and source.lstrip("\ufeff \t\r\n")[:1] in ("{", "["):
        return source
    with file_errors(source, "learner record"):
        with open(source, encoding="utf-8", errors="surrogateescape") as f:
            return f.read()


@checked
def read_record(source: Union[str, bytes, "os.PathLike[str]"], roster: Roster, *,
                old_edition: Optional[Framework] = None,
                intermediate: Sequence[Framework] = (), split: str = "copy",
                allow_other_policy: bool = False, strict: bool = True) -> dict[str, Any]:
    """Imports a learner record into ``roster``: the learner is rated by the roster's engine at
    the record's ``as_of`` from the record's evidence and every rating and explanation is
    compared with the record's; then the evidence is ingested as one batch (all or nothing)
    with the record's retractions, by the statement-id rules of
    :meth:`Roster.ingest_statements` (a source the roster has, or another row of the record
    has, with other content is an error; the same content counts once).

    :param source: the record as JSON text (``str`` or ``bytes`` starting with ``{``) or a path
    :param old_edition: the framework edition the record was made on, when it is not the
        roster's: its evidence is migrated (:func:`masterymap.migrate`) through
        ``intermediate`` editions (oldest first) by the ``split`` rule
    :param allow_other_policy: import even when the record's policy differs from the roster's
        (the roster's rates; ``differences`` lists what came out otherwise)
    :param strict: refuse a record whose ratings its own evidence does not reproduce (an
        edited or corrupt record) with a ValidationError naming the learner, the competency
        and the stored vs recomputed rating (default ``True``: a rating nothing backs should
        not enter a roster silently); ``False`` imports it and lists the competencies in
        ``differences``. A statement of the record that the roster has already voided stays
        voided when it arrives, so it counts as such here: its ratings are not reproduced
        (the error names the statement and what voided it). Not applied with ``allow_other_policy`` when the policy does differ,
        nor when migrating. The record's credential part (its CLR) is checked too: its
        structure as :func:`read_credential` checks it (always), and, without migration, its
        achievements against the recomputed ratings (each bundled credential claims, by
        ``humanCode``, a distinct competency the learner has earned; every mastered or
        exceeded one has a credential; exempt ones all or none; each credential's Result
        states the recomputed rating: its ``achievedLevel`` is that rating's level in the
        achievement's ``resultDescription``). ``strict``: a structural
        problem, or a claim the ratings do not back (under the roster's own policy), is a
        ValidationError naming ``/credential/...``; otherwise each is listed in
        ``differences``.
    :returns: dict ``learner``, ``rows`` (evidence rows ingested), ``as_of``, ``migrated``,
        ``decisions`` (what the migration remapped: the DataFrame :func:`masterymap.migrate`
        reports; empty without migration), ``notes`` (the revision map's), ``differences``
        (competencies whose rating or explanation was not reproduced, then each
        ``"/credential/<path>: <what>"`` the credential part gets wrong; ``[]``: none),
        ``credential`` (the record's CLR as a dict, or None), ``ingest`` (the ingest summary),
        ``duplicates`` (rows that repeat a statement id with the same content: skipped)
    :raises ParseError: not JSON (line and column), not a learner record, another version, a
        missing or mistyped field (its JSON path, e.g. ``/evidence/3/time``)
    :raises ValidationError: the framework does not match (and no ``old_edition``), the policy
        differs (naming the differing fields), the learner is already in the roster, or
        (``strict``) a rating is not reproduced or the credential part is invalid or claims
        what the ratings do not earn (naming ``/framework``, ``/policy``, ``/learner``,
        ``/ratings/<i>``, ``/credential/...``)
    :raises EvidenceError: evidence or ratings naming unknown competencies, rows the roster
        refuses, or a statement id used before with other content (each problem naming
        ``/evidence/<i>``)
    :raises ValueError: a bad ``split``, an empty ``source``

    The roster is unchanged on any error.
    """
    from .editions import _decisions_frame

    if not isinstance(source, (str, bytes, os.PathLike)):
        raise TypeError(f"io.read_record(): source must be JSON text, bytes or a path (str or "
                        f"os.PathLike), got {type(source).__name__} {source!r}")

    text = _text(source)
    structure = _credential_problems(text)
    if strict and structure:
        error = ValidationError("the record's credential is not a valid credential (strict=False "
                                "imports the record and lists these in differences):\n  "
                                + "\n  ".join(structure))
        error.problems = [{"kind": "credential", "ids": [p.split(": ", 1)[0]], "message": p}
                          for p in structure]
        raise error
    report: dict[str, Any] = _read_record(roster, text, old_edition=old_edition,
                                          intermediate=list(intermediate), split=split,
                                          allow_other_policy=allow_other_policy, strict=strict)
    report["decisions"] = _decisions_frame(report["decisions"], [])
    report["credential"] = json.loads(report["credential"]) if report["credential"] else None
    report["differences"] = list(report["differences"]) + structure
    return report


def _credential_problems(text: str) -> list[str]:
    """The structural problems of the record's credential part, as :func:`read_credential`
    finds them, each ``"/credential/<JSON path>: <reason>"``; [] when it has none, is null, or
    the text is no learner record (the C++ reader then says why)."""
    try:
        doc = json.loads(text.lstrip("\ufeff"))
    except (ValueError, RecursionError):
        return []
    if not isinstance(doc, dict) or doc.get("type") != "masterymap.learner_record":
        return []
    credential = doc.get("credential")
    if not isinstance(credential, dict):
        return []
    checker: _Checker = _Checker()
    _check(credential, "/credential", checker, [])
    return checker.problems
