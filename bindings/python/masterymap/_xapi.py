"""xAPI statements (and cmi5 course structures) in as evidence: :func:`read_xapi`,
:func:`validate_xapi_statement`, :func:`read_cmi5_course`. Re-exported by :mod:`masterymap.io`.

The statement rules are checked in C++ (simdjson); this module converts the arguments and
builds the evidence DataFrame the rest of the library takes (``EvidenceLog.append``,
``Roster.ingest``, ``Engine.ratings``).
"""
from __future__ import annotations

import json
import os
import re
import xml.etree.ElementTree as ET
import warnings
from typing import Any, List, Mapping, Optional, Tuple, Union

import numpy as np
import pandas as pd

from . import _frames
from ._arguments import checked
from ._core import Framework, Policy, Scale
from ._core.io import default_verb_kinds as _default_verb_kinds
from ._core.io import parse_xapi as _parse_xapi
from ._core.io import validate_xapi_statement as _validate

__all__ = ["read_xapi", "validate_xapi_statement", "xapi_verb_kinds", "read_cmi5_course"]

#: The columns of :func:`read_xapi`'s DataFrame, in order: the evidence columns, then what the
#: statement said (its index in the batch, verb, activity, timestamp as written).
XAPI_COLUMNS = ["learner", "competency", "time", "score", "kind", "weight", "source",
                "statement", "verb", "activity", "timestamp"]

_Source = Union[str, bytes, "os.PathLike[str]", List[Mapping[str, Any]], Mapping[str, Any]]


@checked
def validate_xapi_statement(statement: Union[str, Mapping[str, Any]],
                            version: str = "2.0") -> List[Tuple[str, str]]:
    """Checks one xAPI statement against the specification's rules (xAPI 1.0.3 or 2.0).

    :param statement: JSON text of one statement, or the statement as a dict
    :param version: ``"2.0"`` or ``"2.0.0"`` (default; accepts 1.0.x statements the editions
        agree on) or ``"1.0.3"`` (also ``"1.0"``, ``"1.0.0"`` to ``"1.0.2"``: refuses what 2.0
        added: contextAgents, contextGroups, version 2.0.x)
    :returns: ``[(path, rule), ...]``, empty when valid; ``path`` is a JSON pointer into the
        statement (``"/actor/mbox"``, ``""`` for the statement itself). A time a DataFrame
        cannot hold (the timestamp, else ``stored``, outside datetime64[ns]: 1677-09-21 to
        2262-04-11) is a problem at ``/timestamp`` (``/stored``), as :func:`read_xapi` says.
    :raises ParseError: text that is not one JSON value
    """
    text = statement if isinstance(statement, str) else json.dumps(statement)
    return _validate(text, version)


def xapi_verb_kinds() -> dict[str, Optional[str]]:
    """The verb table :func:`read_xapi` starts from: verb IRI -> evidence kind, ``None`` for
    verbs that create no rating evidence (ADL passed, failed, mastered -> ``"summative"``;
    completed, answered, scored, attempted, experienced, progressed, responded ->
    ``"formative"``; launched, initialized, terminated, abandoned, suspended, resumed,
    satisfied, voided, registered, interacted -> ``None``; cmi5's
    ``https://w3id.org/xapi/adl/verbs/`` abandoned, satisfied -> ``None``; waived -> ``"waiver"``:
    a waiver, an exemption, its kind ``"waiver:<reason>"`` when the statement gives a reason; map
    waived to ``None`` in ``verb_kinds=`` to take no waivers)."""
    return {k: (v or None) for k, v in _default_verb_kinds().items()}


def _alignment(alignment: Any) -> dict[str, str]:
    if alignment is None:
        return {}
    pairs: Any
    if isinstance(alignment, pd.DataFrame):
        missing = {"activity", "competency"} - set(alignment.columns)
        if missing:
            raise ValueError(f"alignment needs the columns 'activity' and 'competency' "
                             f"(missing {sorted(missing)})")
        pairs = zip(alignment["activity"], alignment["competency"])
    elif isinstance(alignment, Mapping):
        pairs = alignment.items()
    else:
        raise TypeError(f"read_xapi(): alignment must be a dict or a DataFrame (activity, "
                        f"competency), got {type(alignment).__name__}")
    out: dict[str, str] = {}
    for activity, competency in pairs:
        if not isinstance(activity, str) or not isinstance(competency, str):
            raise TypeError(f"read_xapi(): alignment entries must be str -> str, got "
                            f"{activity!r} -> {competency!r}")
        if out.get(activity, competency) != competency:
            raise ValueError(f"alignment: activity {activity} is aligned to both "
                             f"{out[activity]!r} and {competency!r}")
        out[activity] = competency
    return out


def _text_of(source: _Source) -> Tuple[Any, bool]:
    """(text or path, is_path)."""
    if isinstance(source, (list, tuple)):
        return json.dumps(list(source)), False
    if isinstance(source, Mapping):
        return json.dumps(source), False
    if isinstance(source, bytes):
        if source[:2] == b"\x1f\x8b":
            from .io import _gunzip
            return _gunzip(source, "xAPI statements"), False
        if source[:2] in (b"\xff\xfe", b"\xfe\xff") or source[:4] == b"\x00\x00\xfe\xff":
            # UTF-16/UTF-32 text: the reader's own message ("the input is UTF-16LE ...; save it
            # as UTF-8"), as for a file
            return source, False
        head = source.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
        if head in (b"{", b"[", b""):
            return source, False
        return os.fsdecode(source), True
    if isinstance(source, str):
        if source.lstrip("\ufeff \t\r\n")[:1] in ("{", "[", ""):  # "" / blanks: no statements
            return source, False
        return source, True
    if isinstance(source, os.PathLike):
        return os.fspath(source), True
    raise TypeError(f"read_xapi(): source must be JSON text, bytes, a path or a list of "
                    f"statements, got {type(source).__name__}")


def _frame(d: dict[str, Any], weight: float) -> pd.DataFrame:
    n = len(d["time"])

    def cat(codes: str, names: str) -> pd.Categorical:
        # (the binding gives the codes in the integer type pandas keeps: no copy here)
        return pd.Categorical.from_codes(d[codes], d[names])

    return pd.DataFrame({
        "learner": cat("learner", "learners"),
        "competency": cat("competency", "competencies"),
        "time": _frames.datetimes(d["time"], "time"),
        "score": d["score"],
        "kind": cat("kind", "kinds"),
        "weight": np.full(n, weight, dtype=np.float64),
        "source": d["source"],  # object arrays of str, built in C++
        "statement": d["statement"],
        "verb": cat("verb", "verbs"),
        "activity": cat("activity", "activities"),
        "timestamp": d["timestamp"],
        "voided": d["retracted"],  # bool
    }, copy=False)  # (no columns=: with a dict it turns the time column into Timestamp objects)


@checked
def read_xapi(source: _Source, framework: Optional[Framework] = None, *,
              alignment: Any = None, scale: Union[Scale, Policy, None] = None,
              version: str = "2.0", learner: str = "ifi",
              learners: Optional[Mapping[str, str]] = None,
              verb_kinds: Optional[Mapping[str, Optional[str]]] = None,
              default_kind: Optional[str] = "formative",
              success_score: Optional[float] = None, failure_score: Optional[float] = None,
              completion_score: Optional[float] = None, negative: str = "reject",
              skip_unaligned: bool = True, weight: float = 1.0,
              course: Optional[Mapping[str, Any]] = None, default_time: Any = None,
              skipped: Optional[list] = None, threads: Optional[int] = None) -> pd.DataFrame:
    """Reads xAPI statements as evidence: validated by the specification's rules, then mapped.

    All or nothing: one bad statement rejects the batch, and the error lists every bad
    statement by index (``EvidenceError.rows``; ``.lines`` for JSON lines) and reason
    (``"statement 3: /actor/mbox: must be a mailto: IRI ..."``; for JSON lines ``"statement 3
    (line 5): ..."``).

    The mapping (every part configurable):

    - **actor -> learner**: one rule for the four identifiers, ``learner="ifi"`` (default):
      ``"mbox:mailto:ann@example.org"``, ``"mbox_sha1sum:<hex>"``, ``"openid:<uri>"``,
      ``"account:<homePage>|<name>"``; ``learner="value"``: the value alone (an account's
      name). ``learners`` maps those texts to your ids. A Group actor is skipped. The domain
      of a ``mailto:`` is case-insensitive, so it is written in lower case (the local part as
      sent): ``mailto:ann@EXAMPLE.org`` is the learner ``"mbox:mailto:ann@example.org"`` in
      every batch (``mbox_sha1sum`` is kept as sent).
    - **object activity id -> competency**: ``alignment`` (a dict, or a DataFrame with columns
      ``activity`` and ``competency``), else the competency whose ``case:uri`` metadata is the
      activity id (a framework read with :func:`read_case`). Unaligned activities are skipped
      (``skip_unaligned=False``: rejected). With ``framework``, every competency is checked.
    - **result -> score**: ``score.scaled``, else ``raw`` as a fraction of ``min``..``max`` (a raw
      score without both is rejected); the fraction goes through ``scale.from_fraction`` when a
      scale (or a policy's) is given, else it is the score. A negative scaled score is rejected
      (``negative="zero"`` takes 0, ``"rescale"`` maps [-1, 1] onto [0, 1]). Without a score,
      ``success`` gives ``success_score`` / ``failure_score`` (default: the scale's mastery
      rating / the rating below it; without a scale 1 / 0), and ``completion: true`` alone
      gives ``completion_score`` (default: no evidence). A statement with none is skipped.
    - **timestamp -> time** (UTC; ``+02:00`` converted; ``stored`` when there is no timestamp;
      neither: ``default_time``, and without it the statement is rejected); the text as
      written is kept in the ``timestamp`` column ("" when there was none). A time the
      ``datetime64[ns]`` column cannot hold (before 1677-09-21T00:12:44.000002Z or after
      2262-04-11T23:47:16.854773Z, the conversion's edges) is an error of its statement (``statement 2 (line 3):
      /timestamp: 2263-01-01T00:00:00Z is outside the times a pandas datetime64[ns] column
      ... can hold``), listed with the batch's other problems.
    - **verb -> kind**: :func:`xapi_verb_kinds` updated with ``verb_kinds`` (``None`` = no
      rating evidence); other verbs take ``default_kind`` (``None``: skipped).
    - **statement id -> source**.
    - A voiding statement (verb ``voided``) creates no row; its target is listed in
      ``df.attrs["voided"]`` (each target once, however many statements void it), and
      ``(target, voiding statement id)`` in ``df.attrs["retractions"]`` (each pair once: a
      voiding statement without an id has ``""``); a row of the same batch it voids (before
      or after it) stays, with ``True`` in the ``voided`` column (filter ``df[~df.voided]`` to read the rows
      yourself): ingested, it is retracted on arrival, so ratings ignore it, ``explain`` lists
      it as voided and a learner record carries it with its retraction. Across batches, feed the frames in turn to :meth:`Roster.ingest` (or
      :meth:`Roster.ingest_statements`, :meth:`EvidenceLog.append_statements`): the voids are
      retractions the engine honours (the voided evidence stops counting and ``explain`` lists
      it as voided, whichever batch came first), and a statement sent again is skipped.
      A ``waived`` statement (cmi5) becomes a waiver row: kind ``"waiver:<reason>"`` (the
      result extension ``https://w3id.org/xapi/cmi5/result/extensions/reason``, e.g.
      ``"waiver:Tested Out"``; ``"waiver"`` without one), the success score (never counted).
      Ingested, it makes the competency ``exempt`` from its time on (unless the counted evidence
      alone reaches mastery), ``explain`` names the waiver, its reason and its statement, and
      voiding the statement withdraws the exemption. Waivers are also listed in
      ``df.attrs["waived"]`` (statement, learner, competency, reason, timestamp).
    - The same statement id twice with the same content counts once; with another content the
      batch is rejected. Content is compared as xAPI's Statement Comparison Requirements say
      (xAPI Data 2.3.1): a timestamp's serialization is not part of the statement, so the same
      instant written otherwise (``...T10:00:00Z``, ``...T12:00:00+02:00``) is the same content
      and the first text is kept; so it is across batches (``Roster.ingest`` of a statement
      seen before).
    - ``course`` (a course structure from :func:`read_cmi5_course`): cmi5. A statement's AU is
      the first activity of its ``context.contextActivities.grouping`` that is an AU of the
      course (the publisher id, cmi5 9.6.2.3: the object id is the LMS's activityId, which
      differs from it, 8.1.5.0-3/6), else its object id when that is an AU's id (statements
      that use the publisher id as object). A statement whose object id ``alignment`` aligns
      takes that competency, else its AU's objective's (``alignment`` may also map an AU id).
      cmi5 defined statements (with the category
      ``https://w3id.org/xapi/cmi5/context/categories/cmi5``) must follow cmi5's result rules,
      each rejection citing its section: a score only on passed and failed (9.5.1), ``success``
      true on passed and waived, false on failed, absent elsewhere (9.5.2), ``completion`` true
      on completed and waived, absent elsewhere (9.5.3), a passed score at or above the
      masteryScore (the statement's context extension, else the AU's) and a failed score below
      it (9.3.4, 9.3.5), ``result.duration`` on terminated, completed, passed, failed and
      abandoned (9.5.4; other verbs may carry it), the moveOn category activity
      (``https://w3id.org/xapi/cmi5/context/categories/moveon``) in the category list exactly
      when the result has ``success`` or ``completion`` (9.6.2.2). cmi5 allowed statements (no
      cmi5 category) are mapped as plain xAPI, except that they must not carry the moveOn
      category activity either (9.6.2.2-2). Not checked: the order and once-per-session rules of
      9.3.0 (state across statements and batches).
      cmi5's verb table (:func:`read_cmi5_course`: completed, satisfied and the session verbs
      create no rating evidence) applies to every statement; ``verb_kinds`` overrides it.
    - **scale**: ``df.attrs["scale"]`` is the scale the scores were put on (``scale``, or the
      policy's), ``None`` when they were left as fractions 0..1; ``Roster.ingest`` /
      ``Roster.ingest_statements`` of a fraction frame into a roster whose scale is not 0..1
      warns (pass ``scale=policy``).

    :param source: JSON text (a JSON array of statements, one statement, or JSON lines; str or
        bytes, gzip bytes too), a path (a .gz file is decompressed), or a list of statement dicts
    :param framework: the framework the competencies must belong to (and whose ``case:uri``
        metadata aligns activities)
    :param weight: the weight of every row (the ``weight`` column)
    :param default_time: the time of statements with neither timestamp nor stored (any time
        the library takes: ISO text, datetime, seconds)
    :param course: a cmi5 course structure (:func:`read_cmi5_course`): its AU -> objective
        alignment and masteryScores, and the cmi5 statement rules
    :param threads: threads reading JSON lines of 8 MB or more (default: every core); the
        result never depends on it
    :param skipped: a list that receives ``(index, reason)`` for each statement that created no
        evidence (session verbs, unaligned activities, no result, voiding statements as
        ``"a voiding statement: voids <id>"`` ...): rows and skipped account for every
        statement
    :returns: a DataFrame with the evidence columns (learner, competency, time, score, kind,
        weight, source: the statement id in lower case, ids being case-insensitive) and statement (index in the batch), verb, activity, timestamp, voided
        (voided by a statement of the batch);
        ``attrs["voided"]``: ids voided by the batch, ``attrs["retractions"]``: (id voided,
        voiding statement id) pairs, ``attrs["waived"]``: the waivers (also rows),
        ``attrs["scale"]``: the Scale the scores are on (None: fractions 0..1)
    :raises EvidenceError: bad statements (every one, by index and reason; a time outside
        datetime64[ns] too); nothing is returned
    :raises ParseError: malformed JSON, invalid UTF-8, a NUL byte ("syntax error at line L,
        column C: ..."); UTF-16/UTF-32 text (a file or bytes)
    :raises ValueError: an unknown ``version``; ``learners`` mapping a learner to ``""``
    :raises MissingFileError: the path does not exist
    """
    kinds = xapi_verb_kinds()
    if course is not None:  # cmi5's verbs, then the caller's verb_kinds over them
        kinds.update(_course_verb_kinds())
    if verb_kinds is not None:
        for verb, kind in dict(verb_kinds).items():
            if not isinstance(verb, str) or not (kind is None or isinstance(kind, str)):
                raise TypeError(f"read_xapi(): verb_kinds must map str to str or None, got "
                                f"{verb!r} -> {kind!r}")
            kinds[verb] = kind
    the_scale = scale.scale if isinstance(scale, Policy) else scale
    text, is_path = _text_of(source)
    aligned = _alignment(alignment)
    d = _parse_xapi(text, is_path=is_path, version=version, alignment=aligned,
                    framework=framework, learner=learner, learners=dict(learners or {}),
                    verb_kinds={k: (v or "") for k, v in kinds.items()},
                    default_kind=default_kind or "", scale=the_scale,
                    success_score=success_score, failure_score=failure_score,
                    completion_score=completion_score, negative=negative,
                    skip_unaligned=skip_unaligned, cmi5=course is not None,
                    mastery_scores=_course_mastery_scores(course) if course is not None else {},
                    cmi5_aus=_course_alignment(course) if course is not None else {},
                    default_time=default_time, threads=0 if threads is None else threads,
                    skipped=skipped is not None)
    df = _frame(d, weight)
    # The reader lists one void per voiding statement: a target voided by two statements, or by
    # one sent twice without an id (which cannot be told from a repeat), comes twice. The attrs
    # list each target once and each distinct (target, voiding id) pair once, in batch order.
    df.attrs["voided"] = list(dict.fromkeys(target for _, target in d["voided"]))
    df.attrs["retractions"] = list(dict.fromkeys((target, by) for target, by in d["retractions"]))
    df.attrs["waived"] = list(d["waived"])
    # the scale the scores are on (None: left as fractions 0..1), for Roster.ingest to check
    # against the roster's (see _check_scale)
    df.attrs["scale"] = the_scale
    if skipped is not None:
        skipped.extend(d["skipped"])
    return df


# --- statements into a log or a roster: idempotent by statement id, voids honoured -------------

def _voids(data: Any, voided: Any, where: str) -> List[Tuple[str, str]]:
    """The retractions of a batch: ``voided`` (statement ids or (id, voiding id) pairs), else
    ``data.attrs["retractions"]``, else ``data.attrs["voided"]`` (ids)."""
    if voided is None:
        attrs = getattr(data, "attrs", None) or {}
        voided = attrs.get("retractions", attrs.get("voided", []))
    if isinstance(voided, (str, bytes)) or not hasattr(voided, "__iter__"):
        raise TypeError(f"{where}: voided must be a list of statement ids or (id, voiding id) "
                        f"pairs, got {type(voided).__name__}")
    out = []
    for v in voided:
        if isinstance(v, str):
            out.append((v, ""))
        elif isinstance(v, (tuple, list)) and len(v) == 2 and all(isinstance(x, str) for x in v):
            out.append((v[0], v[1]))
        else:
            raise TypeError(f"{where}: voided must be a list of statement ids or (id, voiding id) "
                            f"pairs, got an entry {v!r}")
    return out


def _batch(data: Any) -> Tuple[int, dict]:
    from . import _columns
    frame = data
    if isinstance(data, pd.DataFrame):  # only the evidence columns (read_xapi adds others)
        frame = data[[c for c in ("learner", "competency", "time", "score", "kind", "weight",
                                  "source") if c in data.columns]]
    return _columns.evidence_batch(frame, None)


def _timestamps(data: Any) -> Optional[List[str]]:
    """The ``timestamp`` texts of a batch (:func:`read_xapi`'s column: the time as each
    statement wrote it), kept by the log; None when the batch has no such column (or one of
    datetimes or numbers). A missing value (None, NaN) is "" (no text); another non-str value
    is a TypeError naming its row (:func:`_columns.timestamp_texts`)."""
    column = None
    if isinstance(data, pd.DataFrame):
        if "timestamp" in data.columns:
            column = data["timestamp"]
    elif isinstance(data, Mapping) and "timestamp" in data:
        column = data["timestamp"]
    if column is None:
        return None
    from . import _columns
    return _columns.timestamp_texts(column)


def _check_data(data: Any, where: str) -> None:
    """TypeError naming ``data`` for a batch that is no table at all."""
    from collections.abc import Mapping as _Mapping, Sequence as _Sequence
    if not isinstance(data, (pd.DataFrame, _Mapping, _Sequence)) or isinstance(data,
                                                                              (str, bytes)):
        raise TypeError(f"{where}: data must be a pandas DataFrame, a mapping of column name -> "
                        f"array or a list of records (dicts), not {type(data).__name__}")


def append_statements(log: Any, data: Any, voided: Any = None, framework: Any = None,
                      policy: Any = None, progress: Any = None) -> dict:
    """``EvidenceLog.append_statements`` (see its docstring)."""
    from . import _columns
    where = "EvidenceLog.append_statements()"
    _check_data(data, where)
    voids = _voids(data, voided, where)
    n, batch = _batch(data)
    try:
        return log._append_statements(n, batch, _columns.checks(framework, policy), voids,
                                      progress=progress, timestamps=_timestamps(data))
    except TypeError:
        _columns._raise_bad_text(batch, None)
        raise


def _warn_unapplied(roster: Any, data: Any, where: str, stacklevel: int) -> None:
    """Warns (UserWarning) about what a :func:`read_xapi` frame carries that a roster would
    otherwise drop or misread without a word:

    - scores left as fractions (``attrs["scale"]`` is None: read without ``scale=``) meeting a
      roster whose policy scale is not 0..1: a fraction would be taken as a score on that
      scale (1.0 on a 1..4 scale is below its lowest rating).

    A frame without these attrs (not from read_xapi, or after pd.concat) is not checked. O(1).
    """
    if not isinstance(data, pd.DataFrame):
        return
    if "scale" in data.attrs and data.attrs["scale"] is None and len(data) > 0:
        scale = roster.policy.scale
        low, high = scale.score_range
        if (low, high) != (0.0, 1.0):
            warnings.warn(
                f"{where}: this frame's scores were left as fractions 0..1 (read_xapi() "
                f"without scale=), but the roster's policy scale runs {low:g}..{high:g}: each "
                f"fraction is taken as a score on that scale; pass scale=policy to read_xapi() "
                f"to map fractions onto the roster's scale", UserWarning, stacklevel=stacklevel)


def roster_ingest_statements(roster: Any, data: Any, voided: Any = None,
                             progress: Any = None, _where: str = "Roster.ingest_statements()",
                             _stacklevel: int = 2) -> dict:
    """``Roster.ingest_statements`` (see its docstring); ``_where`` and ``_stacklevel``: the
    caller's name and the user's frame as seen from here (2: the caller of the binding), for
    the warnings of :func:`_warn_unapplied`."""
    from . import _columns
    _check_data(data, "Roster.ingest_statements()")
    _warn_unapplied(roster, data, _where, _stacklevel + 1)
    voids = _voids(data, voided, "Roster.ingest_statements()")
    n, batch = _batch(data)
    try:
        return roster._ingest_statements(n, batch, voids, progress=progress,
                                         timestamps=_timestamps(data))
    except TypeError:
        _columns._raise_bad_text(batch, None)
        raise


_STATEMENT_COLUMNS = ("statement", "verb", "voided")


def _check_statement_frame(data: Any, where: str) -> None:
    """A frame with :func:`read_xapi`'s own columns but without its ``attrs`` (pandas drops
    them, e.g. in ``pd.concat``) goes the plain path, which keeps every row (a source may be an
    assessor's name) but knows nothing of its voids or of statement ids seen before: warned,
    with what to do instead."""
    if (isinstance(data, pd.DataFrame) and "retractions" not in data.attrs
            and all(c in data.columns for c in _STATEMENT_COLUMNS)):
        warnings.warn(
            f"{where}: this frame has read_xapi()'s columns (statement, verb, voided) but not its "
            "attrs['retractions'] (pandas drops attrs in pd.concat and some other operations): "
            "it is taken as plain evidence, every row kept, without its voids and without "
            "skipping statements seen before; to ingest it as statements, ingest each "
            "read_xapi() frame as it came, or pass the voids: ingest_statements(frame, "
            "voided=[(id, voiding id), ...]) (an empty list when there are none)",
            UserWarning, stacklevel=4)


def extend(log: Any, data: Any, framework: Any = None, policy: Any = None, columns: Any = None,
           progress: Any = None) -> Any:
    """``EvidenceLog.extend``: a DataFrame :func:`read_xapi` made (``attrs["retractions"]``)
    goes through :func:`append_statements`; anything else through ``_columns.extend``."""
    from . import _columns
    if isinstance(data, pd.DataFrame) and "retractions" in data.attrs and columns is None:
        append_statements(log, data, None, framework, policy, progress)
        return log
    if columns is None:
        _check_statement_frame(data, "EvidenceLog.extend()")
    retractions = _log_retractions(data)
    _columns.extend(log, data, framework, policy, columns, progress)
    if retractions:
        log.retract(retractions)
    return log


def roster_ingest(roster: Any, data: Any, progress: Any = None) -> dict:
    """``Roster.ingest``: a DataFrame :func:`read_xapi` made (``attrs["retractions"]``) goes
    through :func:`roster_ingest_statements`; anything else through ``_columns.roster_ingest``."""
    from . import _columns
    if isinstance(data, pd.DataFrame) and "retractions" in data.attrs:
        return roster_ingest_statements(roster, data, None, progress, _where="Roster.ingest()",
                                        _stacklevel=3)
    _check_statement_frame(data, "Roster.ingest()")
    retractions = _log_retractions(data)
    out = _columns.roster_ingest(roster, data, progress)
    if retractions:
        roster.retract(retractions)
    return out


def _log_retractions(data: Any) -> List[Tuple[str, str]]:
    """The retractions an ``EvidenceLog.to_dataframe()`` frame carries
    (``attrs["log_retractions"]``: (source, by) pairs), applied again after its rows so that the
    frame goes back into a log or roster whole (voided rows stay voided); [] otherwise."""
    if not isinstance(data, pd.DataFrame):
        return []
    return _voids(data, data.attrs.get("log_retractions", []), "EvidenceLog.to_dataframe() frame")


# --- cmi5 -------------------------------------------------------------------------------------

_CMI5 = "https://w3id.org/xapi/adl/verbs/"
_ADL = "http://adlnet.gov/expapi/verbs/"


def _course_alignment(course: Mapping[str, Any]) -> dict[str, str]:
    """AU id (publisher id) -> competency: the AU's first objective; ``""`` for an AU without
    objectives (unaligned). The reader finds a statement's AU in its
    ``context.contextActivities.grouping`` (cmi5 9.6.2.3), else by its object id."""
    out = {}
    for au, a in course["aus"].items():
        if a["objectives"]:
            obj = a["objectives"][0]
            out[au] = course["competencies"].get(obj, obj)
        else:
            out[au] = ""
    return out


def _course_verb_kinds() -> dict[str, Optional[str]]:
    """cmi5's verbs: passed/failed are summative; completed, satisfied and the session verbs
    (launched, initialized, terminated, abandoned) create no rating evidence; waived creates a
    waiver row (kind ``"waiver:<reason>"``: an exemption, see :func:`read_xapi`)."""
    v: dict[str, Optional[str]] = {f"{_ADL}{x}": None for x in (
        "launched", "initialized", "terminated", "abandoned", "completed", "satisfied")}
    v.update({f"{_ADL}passed": "summative", f"{_ADL}failed": "summative",
              f"{_CMI5}satisfied": None, f"{_CMI5}abandoned": None, f"{_CMI5}waived": "waiver"})
    return v


def _course_mastery_scores(course: Mapping[str, Any]) -> dict[str, float]:
    return {au: a["masteryScore"] for au, a in course["aus"].items()
            if a["masteryScore"] is not None}


_CS = "{https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd}"


def _any_uri(text: Optional[str]) -> str:
    """An xs:anyURI value: its whitespace collapsed (XML Schema Part 2, 3.2.17: whiteSpace
    "collapse": tabs, CRs and LFs become spaces, runs of spaces one space, none at either end)."""
    return re.sub(r"[ \t\r\n]+", " ", text or "").strip(" ")


@checked
def read_cmi5_course(source: Union[str, bytes, "os.PathLike[str]"],
                     objective_competencies: Optional[Mapping[str, str]] = None
                     ) -> dict[str, Any]:
    """Reads a cmi5 course structure (``cmi5.xml``; CourseStructure.xsd) with
    ``xml.etree.ElementTree``.

    Each AU gives its ``id``, ``moveOn`` (default ``NotApplicable``), ``masteryScore`` (a
    decimal in [0, 1], or None) and the objectives it references (``<objectives><objective
    idref=.../>``; an AU without its own takes its nearest enclosing block's, and
    ``objectives_inherited`` says so); the course's ``<objectives>`` list names them. An AU aligns to its first
    objective's competency (``objective_competencies`` maps objective ids to competency ids;
    default: the objective id). ``read_xapi(course=...)`` finds a statement's AU by this id in
    the statement's ``context.contextActivities.grouping`` (where cmi5 puts the publisher id),
    else in its object id.

    :returns: ``{"aus": {au id: {"title", "url", "moveOn", "masteryScore" (float or None),
        "objectives": [objective ids], "objectives_inherited": bool}},
        "objectives": {objective id: title},
        "competencies": {objective id: competency id}}``, for ``read_xapi(course=...)``
    :raises ParseError: malformed XML or an AU without an id; a masteryScore outside [0, 1]
    """
    if not isinstance(source, (str, bytes, os.PathLike)):
        raise TypeError(f"read_cmi5_course(): source must be XML text, bytes or a path, got "
                        f"{type(source).__name__}")
    if isinstance(source, bytes) or (isinstance(source, str) and source.lstrip()[:1] == "<"):
        root = ET.fromstring(source)
    else:
        root = ET.parse(os.fspath(source)).getroot()
    objectives = {}
    for o in root.iter(f"{_CS}objective"):
        if o.get("id"):
            title = o.find(f"{_CS}title/{_CS}langstring")
            objectives[o.get("id")] = title.text if title is not None else ""
    aus: dict[str, Any] = {}

    def refs(node: Any) -> list:
        return [r.get("idref") for r in node.findall(f"{_CS}objectives/{_CS}objective")
                if r.get("idref")]

    def walk(node: Any, inherited: list) -> None:
        for child in node:
            if child.tag == f"{_CS}block":
                walk(child, refs(child) or inherited)
            elif child.tag == f"{_CS}au":
                au_id = child.get("id")
                if not au_id:
                    raise ValueError("cmi5 course structure: an <au> has no id")
                ms = child.get("masteryScore")
                score = float(ms) if ms is not None else None
                if score is not None and not 0.0 <= score <= 1.0:
                    raise ValueError(f"cmi5 course structure: AU {au_id}: masteryScore {ms} "
                                     f"is outside [0, 1]")
                title = child.find(f"{_CS}title/{_CS}langstring")
                url = child.find(f"{_CS}url")
                own = refs(child)
                aus[au_id] = {"title": title.text if title is not None else "",
                              "url": _any_uri(url.text) if url is not None else "",
                              "moveOn": child.get("moveOn", "NotApplicable"),
                              "masteryScore": score, "objectives": own or list(inherited),
                              "objectives_inherited": not own and bool(inherited)}

    walk(root, [])
    competencies = dict(objective_competencies or {})
    return {"aus": aus, "objectives": objectives, "competencies": competencies}
