"""Open Badges 3.0 and CLR 2.0 credentials out of a roster, and back in (masterymap.io).

The documents are built in C++ (``masterymap::io::achievement_credentials`` / ``clr``, mapping in
``include/masterymap/io/credentials.hpp``); this module picks the learner's state out of a
roster, turns the JSON texts into dicts and applies the issuer's signer. The reader
(:func:`read_credential`) is pure Python: it checks structure only.
"""
from __future__ import annotations

import base64
import binascii
import json
import os
import re
from typing import Any, Callable, Optional, Union, cast

from ._arguments import checked
from ._core import LearnerState, ParseError, Roster, ValidationError
from ._core.io import achievement_credentials as _achievement_credentials
from ._core.io import clr as _clr
from ._core.io import parse_rfc3339 as _parse_rfc3339
from ._files import file_errors

__all__ = ["achievement_credentials", "clr", "read_credential"]

Signer = Callable[[dict[str, Any]], dict[str, Any]]


def _state(source: Union[Roster, LearnerState], learner: Any, function: str) -> LearnerState:
    if isinstance(source, LearnerState):
        if learner is not None and str(learner) != source.learner:
            raise ValueError(f"{function}: learner {learner!r} is not the state's learner "
                             f"{source.learner!r}")
        return source
    if learner is None:
        raise TypeError(f"{function}: learner is required with a Roster")
    return source.learner(learner)


def _signed(signer: Optional[Signer], document: dict[str, Any], function: str) -> dict[str, Any]:
    if signer is None:
        return document
    out = signer(document)
    if not isinstance(out, dict):
        raise TypeError(f"{function}: the signer must return the signed document as a dict, got "
                        f"{type(out).__name__}")
    return out


@checked
def achievement_credentials(source: Union[Roster, LearnerState], learner: Any = None, *,
                            issuer: str, issuer_name: str = "", identity: Optional[str] = None,
                            identity_type: str = "identifier", salt: Optional[str] = None,
                            valid_from: Optional[str] = None, achievement_base: str = "",
                            include_exempt: bool = True,
                            signer: Optional[Callable[..., Any]] = None) -> list[dict[str, Any]]:
    """One Open Badges 3.0 OpenBadgeCredential per competency the learner has earned (mastered,
    exceeded, and exempt unless ``include_exempt=False``; never inferred, in progress or
    awaiting confirmation), in framework order, as dicts (VCDM 2.0, unsigned unless ``signer``).

    Each holds the Achievement (``achievementType`` Competency, criteria from the policy's rule,
    an Alignment to the CASE item when the framework came from CASE, a ``resultDescription``
    from the policy's scale), a Result at the learner's level, ``validFrom`` the latest evidence
    time, ``validUntil`` when the rule expires, and a hashed IdentityObject (``sha256$`` of
    identity + salt; never the identity in clear). Ids are version 5 UUIDs: the same roster
    gives the same documents. The mapping is in the README ("Open Badges 3.0 and CLR 2.0").

    :param source: a :class:`Roster` (then ``learner`` names the learner) or an evaluated
        :class:`LearnerState`
    :param issuer: the issuer's id, a URI (``https://...``, ``did:...``)
    :param identity: what the hash identifies (an email, a SIS id); default the learner id
    :param identity_type: the OB 3.0 identifier type of ``identity`` (``"emailAddress"``,
        ``"sisSourcedId"``, ..., default ``"identifier"``)
    :param salt: the hash's salt (default: derived from the issuer and the learner, stable)
    :param valid_from: an RFC 3339 time for every ``validFrom`` instead of the evidence times
    :param achievement_base: achievement ids ``<base><competency id>`` instead of UUIDs
    :param signer: the issuer's signer: called with each unsigned document (a dict), returns
        the signed one (e.g. with a ``proof``)
    :raises ValueError: a bad option (issuer not a URI, an unknown identity type, valid_from
        not RFC 3339)
    :raises UnknownIdError: a learner the roster does not have
    Complexity: O(learner's evidence + competencies + output): about 40 µs per credential in
    C++, 25 more to make the dicts (measured on the bundled map).
    """
    state = _state(source, learner, "io.achievement_credentials()")
    texts = _achievement_credentials(
        state, issuer=issuer, issuer_name=issuer_name, identity=identity or "",
        identity_type=identity_type, salt=salt or "", valid_from=valid_from or "",
        achievement_base=achievement_base, include_exempt=include_exempt)
    return [_signed(signer, json.loads(t), "io.achievement_credentials()") for t in texts]


@checked
def clr(source: Union[Roster, LearnerState], learner: Any = None, *, issuer: str,
        issuer_name: str = "", identity: Optional[str] = None, identity_type: str = "identifier",
        salt: Optional[str] = None, valid_from: Optional[str] = None,
        achievement_base: str = "", include_exempt: bool = True,
        name: str = "Comprehensive Learner Record",
        signer: Optional[Callable[..., Any]] = None) -> dict[str, Any]:
    """The learner's CLR 2.0 ClrCredential (a dict, unsigned unless ``signer``): the
    credentials of :func:`achievement_credentials` in ``verifiableCredential``, their
    achievements in ``achievement``, and ``association`` relating them with CLR association
    types only: ``isChildOf`` (source the child) for hierarchy links and ``precedes`` (source
    the prerequisite) for prerequisite edges, each only when both ends are included.
    ``validFrom`` is the evaluation time (the roster's ``as_of``).

    Parameters as :func:`achievement_credentials`; ``name`` is the CLR's name. With ``signer``,
    each bundled credential is signed first, then the CLR.
    :raises ValueError: a bad option, or a learner who has earned nothing (CLR 2.0 holds at
        least one credential)
    """
    state = _state(source, learner, "io.clr()")
    document = json.loads(_clr(
        state, issuer=issuer, issuer_name=issuer_name, identity=identity or "",
        identity_type=identity_type, salt=salt or "", valid_from=valid_from or "",
        achievement_base=achievement_base, include_exempt=include_exempt, name=name))
    if signer is not None:
        subject = document["credentialSubject"]
        subject["verifiableCredential"] = [_signed(signer, vc, "io.clr()")
                                           for vc in subject["verifiableCredential"]]
    return _signed(signer, document, "io.clr()")


# --- reading -------------------------------------------------------------------------------------

VC_V2 = "https://www.w3.org/ns/credentials/v2"
VC_V1 = "https://www.w3.org/2018/credentials/v1"
_OB_CONTEXT = re.compile(r"https://purl\.imsglobal\.org/spec/ob/v3p0/context(-3\.\d\.\d)?\.json")
_CLR_CONTEXT = re.compile(r"https://(purl\.imsglobal\.org/spec/clr/v2p0/context(-2\.\d\.\d)?\.json"
                          r"|dc\.imsglobal\.org/draft/clr/v2p0/context)")
_DATE_TIME = re.compile(
    r"\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])[Tt]([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)"
    r"(\.\d+)?([Zz]|[+-]([01]\d|2[0-3]):[0-5]\d)")
_URI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:\S+")
_ASSOCIATION_TYPES = {"exactMatchOf", "isChildOf", "isParentOf", "isPartOf", "isPeerOf",
                      "isRelatedTo", "precedes", "replacedBy"}

#: OB 3.0 / CLR 2.0 classes whose ``type`` is ``IRI [1..*]``, "an unordered set" (a JSON array)
#: holding the class's own name, by the property that holds them.
_SET_TYPED = {"achievement": "Achievement", "alignment": "Alignment", "creator": "Profile",
              "source": "Profile", "parentOrg": "Profile", "result": "Result",
              "resultDescription": "ResultDescription",
              "rubricCriterionLevel": "RubricCriterionLevel", "evidence": "Evidence",
              "address": "Address", "related": "Related"}
#: Classes whose ``type`` is one IRI (``IRI [1]``): the string, or a one-element array.
_ONE_TYPED = {"otherIdentifier": "IdentifierEntry", "image": "Image",
              "association": "Association", "geo": "GeoCoordinates"}
#: Date-time properties (``format: date-time`` in the OB 3.0 schemas) of nested classes (the
#: credential's own: ``validFrom``, ``validUntil``, ``awardedDate``; VCDM 1.1's
#: ``issuanceDate``, ``expirationDate``), by class.
_DATE_TIMES = {"AchievementSubject": ("activityStartDate", "activityEndDate")}
#: Properties the OB 3.0 schemas type as ``string`` (the strict variant: a string; the
#: JSON-LD-adapted one: a string or a language map ``{"en": "..."}``, so either is accepted,
#: the union of what the two accept), by class.
_STRINGS = {
    "Achievement": ("id", "description", "fieldOfStudy", "humanCode", "inLanguage", "name",
                    "specialization", "version"),
    "AchievementSubject": ("id", "licenseNumber", "narrative", "role", "term"),
    "Alignment": ("targetCode", "targetDescription", "targetName", "targetFramework",
                  "targetUrl"),
    "Criteria": ("id", "narrative"),
    "Evidence": ("id", "narrative", "name", "description", "genre", "audience"),
    "IdentityObject": ("identityHash", "salt"),
    "Profile": ("id", "name", "url", "phone", "description", "email", "official", "familyName",
                "givenName", "additionalName", "patronymicName", "honorificPrefix",
                "honorificSuffix", "familyNamePrefix"),
    "Result": ("achievedLevel", "resultDescription", "value"),
    "ResultDescription": ("id", "name", "requiredLevel", "requiredValue", "valueMax", "valueMin"),
    "RubricCriterionLevel": ("id", "description", "level", "name", "points"),
}
_LANGUAGE = re.compile(r"[a-z]{2}(-[A-Z]{2})?")
#: Numbers (``type: number``), by class.
_NUMBERS = {"Achievement": ("creditsAvailable",), "AchievementSubject": ("creditsEarned",)}
#: The extensible enumerations (EnumExt): one of the values, or an extension term, which the
#: schemas match with the unanchored pattern ``(ext:)[a-z|A-Z|0-9|.|-|_]+`` (JSON Schema
#: ``pattern`` is a search: "ext:" then a name character anywhere in the string).
_EXTENSION = re.compile(r"(ext:)[a-z|A-Z|0-9|.|-|_]+")
_EXTENSIBLE = {
    ("Achievement", "achievementType"): (
        "Achievement", "ApprenticeshipCertificate", "Assessment", "Assignment",
        "AssociateDegree", "Award", "Badge", "BachelorDegree", "Certificate",
        "CertificateOfCompletion", "Certification", "CommunityService", "Competency", "Course",
        "CoCurricular", "Degree", "Diploma", "DoctoralDegree", "Fieldwork",
        "GeneralEducationDevelopment", "JourneymanCertificate", "LearningProgram", "License",
        "Membership", "ProfessionalDoctorate", "QualityAssuranceCredential", "MasterCertificate",
        "MasterDegree", "MicroCredential", "ResearchDoctorate", "SecondarySchoolDiploma"),
    ("IdentityObject", "identityType"): (
        "name", "sourcedId", "systemId", "productId", "userName", "accountId", "emailAddress",
        "nationalIdentityNumber", "isbn", "issn", "lisSourcedId", "oneRosterSourcedId",
        "sisSourcedId", "ltiContextId", "ltiDeploymentId", "ltiToolId", "ltiPlatformId",
        "ltiUserId", "identifier"),
    ("ResultDescription", "resultType"): (
        "GradePointAverage", "LetterGrade", "Percent", "PerformanceLevel", "PredictedScore",
        "RawScore", "Result", "RubricCriterion", "RubricCriterionLevel", "RubricScore",
        "ScaledScore", "Status"),
    ("Alignment", "targetType"): (
        "ceasn:Competency", "ceterms:Credential", "CFItem", "CFRubric", "CFRubricCriterion",
        "CFRubricCriterionLevel", "CTDL"),
}
#: The closed enumerations.
_CLOSED = {("Result", "status"): ("Completed", "Enrolled", "Failed", "InProgress", "OnHold",
                                  "Provisional", "Withdrew")}
_SUBJECTS = {"OpenBadgeCredential": "AchievementSubject",
             "AchievementCredential": "AchievementSubject",
             "EndorsementCredential": "EndorsementSubject", "ClrCredential": "ClrSubject"}


class _Checker:
    """Collects problems; ``sets``: the ``IRI [1..*]`` classes' type must be an array (VCDM
    2.0 documents; VCDM 1.1 ones, from before OB 3.0 settled, may give one string)."""

    def __init__(self, sets: bool = True) -> None:
        self.problems: list[str] = []
        self.sets = sets

    def fail(self, path: str, message: str) -> None:
        self.problems.append(f"{path or '/'}: {message}")

    @staticmethod
    def types(node: dict[str, Any]) -> list[str]:
        t = node.get("type")
        if isinstance(t, str):
            return [t]
        if isinstance(t, list) and all(isinstance(x, str) for x in t):
            return t
        return []

    def typed(self, node: Any, path: str, name: str, as_set: bool) -> None:
        if isinstance(node, str):  # a reference to the node by its id
            if not _URI.fullmatch(node):
                self.fail(path, f"a {name} or its id (a URI) expected, got {node!r}")
            return
        if not isinstance(node, dict):
            self.fail(path, f"expected a {name} object, got {type(node).__name__}")
            return
        t = node.get("type")
        if t is None:
            self.fail(path, f"no type (must hold {name!r})")
        elif name not in self.types(node):
            self.fail(path + "/type", f"must hold {name!r}, got {t!r}")
        elif as_set and self.sets and not isinstance(t, list):
            self.fail(path + "/type", f"must be an array holding {name!r} (IRI [1..*], an "
                      f"unordered set), got {t!r}")
        self.fields(node, path, name)
        self.walk(node, path)

    def fields(self, node: dict[str, Any], path: str, name: str) -> None:
        """The value rules of class `name`'s properties (strings, numbers, enumerations,
        date-times), as the OB 3.0 schemas state them; the enumerations only in VCDM 2.0
        documents (``sets``): VCDM 1.1 ones are from drafts with other terms (the 1EdTech
        validator accepts ``identityType: "email"`` there, with a warning)."""
        for key in _STRINGS.get(name, ()):
            if key in node:
                value = node[key]
                if not (isinstance(value, str) or (
                        isinstance(value, dict) and value
                        and all(_LANGUAGE.fullmatch(k) and isinstance(v, str)
                                for k, v in value.items()))):
                    self.fail(f"{path}/{key}", f"must be a string (or a language map such as "
                              f"{{\"en\": \"...\"}}), got {value!r}")
        for key in _NUMBERS.get(name, ()):
            if key in node and (not isinstance(node[key], (int, float))
                                or isinstance(node[key], bool)):
                self.fail(f"{path}/{key}", f"must be a number, got {node[key]!r}")
        if not self.sets:  # VCDM 1.1, from before OB 3.0 settled its vocabularies
            return self.dates(node, path, name)
        for (cls, key), values in _EXTENSIBLE.items():
            if cls == name and key in node:
                value = node[key]
                ok = isinstance(value, str) and (value in values) != bool(
                    _EXTENSION.search(value))
                if not ok:
                    self.fail(f"{path}/{key}", f"{value!r} is no {name}.{key} of OB 3.0 "
                              f"(one of its values, or an extension term 'ext:<name>')")
        for (cls, key), values in _CLOSED.items():
            if cls == name and key in node and node[key] not in values:
                self.fail(f"{path}/{key}", f"{node[key]!r} is no {name}.{key} of OB 3.0 "
                          f"(one of {', '.join(values)})")
        self.dates(node, path, name)

    def dates(self, node: dict[str, Any], path: str, name: str) -> None:
        for key in _DATE_TIMES.get(name, ()):
            if key in node:
                _date_time_ok(self, node[key], f"{path}/{key}")

    def walk(self, node: dict[str, Any], path: str) -> None:
        is_result = "Result" in self.types(node)
        for key, value in node.items():
            name = _SET_TYPED.get(key)
            one = _ONE_TYPED.get(key)
            if is_result and key == "resultDescription":
                continue  # a Result's resultDescription is the id of a ResultDescription
            if name is None and one is None:
                continue
            items = value if isinstance(value, list) else [value]
            for i, item in enumerate(items):
                where = f"{path}/{key}" + (f"/{i}" if isinstance(value, list) else "")
                if name is not None:
                    self.typed(item, where, name, True)
                elif one == "Association":
                    self.association(item, where)
                elif one is not None:
                    self.typed(item, where, one, False)

    def association(self, node: Any, path: str) -> None:
        if not isinstance(node, dict) or "Association" not in self.types(node):
            self.fail(path, "expected an Association")
            return
        if node.get("associationType") not in _ASSOCIATION_TYPES:
            self.fail(path + "/associationType",
                      f"{node.get('associationType')!r} is no CLR 2.0 association type")
        for key in ("sourceId", "targetId"):
            if not isinstance(node.get(key), str):
                self.fail(path + "/" + key, "required (the id of an achievement)")


def _date_time_ok(c: _Checker, value: Any, path: str) -> None:
    """An RFC 3339 date-time with a time zone that names a real instant: the day exists (no
    Feb 30, no Feb 29 of a common year) and a second 60 is a leap second at 23:59:60 UTC (the
    rule of the library's parser, ``io::parse_rfc3339``, which the xAPI reader applies)."""
    if not isinstance(value, str) or not _DATE_TIME.fullmatch(value):
        c.fail(path, f"not an RFC 3339 date-time: {value!r}")
    elif _parse_rfc3339(value) is None:
        c.fail(path, f"not an RFC 3339 date-time: {value!r} names no instant (a day the "
               "calendar does not have, or a second 60 other than a leap second at 23:59:60 "
               "UTC)")


def _time_ok(c: _Checker, doc: dict[str, Any], key: str, required: bool,
             path: str = "") -> None:
    value = doc.get(key)
    if value is None:
        if required:
            c.fail(path or "/", f"{key!r} is required")
    else:
        _date_time_ok(c, value, f"{path}/{key}")


def _check(doc: Any, path: str, c: _Checker, notes: list[str]) -> None:
    if not isinstance(doc, dict):
        c.fail(path, f"a credential is a JSON object, got {type(doc).__name__}")
        return
    context = doc.get("@context")
    context = [context] if isinstance(context, str) else context
    if not isinstance(context, list) or not context:
        c.fail(path + "/@context", "required: a list of contexts")
        context = []
    first = context[0] if context else None
    if first == VC_V1:
        notes.append(f"{path or '/'}: VCDM 1.1 context (the validator warns; OB 3.0 and CLR 2.0 "
                     "now use VCDM 2.0)")
    elif first != VC_V2:
        c.fail(path + "/@context/0", f"must be the W3C credentials context ({VC_V2!r} or "
               f"{VC_V1!r}), got {first!r}")
    types = doc.get("type")
    if not isinstance(types, list):
        c.fail(path + "/type", f"must be an array, got {types!r}")
        types = []
    kind = next((t for t in types if t in _SUBJECTS), None)
    if "VerifiableCredential" not in types or kind is None:
        c.fail(path + "/type", "must hold 'VerifiableCredential' and one of "
               f"{sorted(_SUBJECTS)}, got {types!r}")
    wanted = _CLR_CONTEXT if kind == "ClrCredential" else _OB_CONTEXT
    if kind is not None and not any(isinstance(x, str) and wanted.fullmatch(x)
                                    for x in context):
        c.fail(path + "/@context", f"no {'CLR 2.0' if kind == 'ClrCredential' else 'OB 3.0'} "
               "context")
    if not isinstance(doc.get("id", ""), str):
        c.fail(path + "/id", "must be a URI string")
    v1 = first == VC_V1
    outer_sets, c.sets = c.sets, not v1
    issuer = doc.get("issuer")
    if issuer is None:
        c.fail(path, "'issuer' is required")
    else:
        c.typed(issuer, path + "/issuer", "Profile", True)
        if isinstance(issuer, dict) and not isinstance(issuer.get("id"), str):
            c.fail(path + "/issuer/id", "required")
    _time_ok(c, doc, "issuanceDate" if v1 and "validFrom" not in doc else "validFrom", True, path)
    _time_ok(c, doc, "expirationDate" if v1 and "validUntil" not in doc else "validUntil", False,
             path)
    _time_ok(c, doc, "awardedDate", False, path)
    if "proof" not in doc:
        notes.append(f"{path or '/'}: no proof (an unsigned credential)")
    else:
        notes.append(f"{path or '/'}: proof present, not verified (the reader checks structure "
                     "only)")
    c.walk({k: v for k, v in doc.items() if k in ("evidence",)}, path)
    subject = doc.get("credentialSubject")
    if not isinstance(subject, dict):
        c.fail(path + "/credentialSubject", "required: an object")
        c.sets = outer_sets
        return
    if kind is not None:
        expected = _SUBJECTS[kind]
        if expected not in c.types(subject):
            c.fail(path + "/credentialSubject/type",
                   f"must hold {expected!r}, got {subject.get('type')!r}")
    if kind in ("OpenBadgeCredential", "AchievementCredential"):
        c.fields(subject, path + "/credentialSubject", "AchievementSubject")
    c.walk(subject, path + "/credentialSubject")
    identifiers = subject.get("identifier", [])
    for i, ident in enumerate(identifiers if isinstance(identifiers, list) else [identifiers]):
        where = f"{path}/credentialSubject/identifier" + (
            f"/{i}" if isinstance(identifiers, list) else "")
        c.typed(ident, where, "IdentityObject", False)
        if isinstance(ident, dict):
            for key in ("identityHash", "identityType"):
                if not isinstance(ident.get(key), str):
                    c.fail(f"{where}/{key}", "required (a string)")
            if not isinstance(ident.get("hashed"), bool):
                c.fail(f"{where}/hashed", "required (true or false)")
    if kind in ("OpenBadgeCredential", "AchievementCredential"):
        achievement = subject.get("achievement")
        if not isinstance(achievement, dict):
            c.fail(path + "/credentialSubject", "'achievement' is required (an Achievement)")
        else:
            for key in ("id", "name", "criteria"):
                if key not in achievement:
                    c.fail(path + "/credentialSubject/achievement", f"{key!r} is required")
            criteria = achievement.get("criteria")
            if isinstance(criteria, dict):
                c.fields(criteria, path + "/credentialSubject/achievement/criteria", "Criteria")
    elif kind == "ClrCredential":
        inner = subject.get("verifiableCredential")
        if not isinstance(inner, list) or not inner:
            c.fail(path + "/credentialSubject/verifiableCredential",
                   "required: a non-empty array of credentials")
            inner = []
        for i, vc in enumerate(inner):
            where = f"{path}/credentialSubject/verifiableCredential/{i}"
            if isinstance(vc, str):  # a credential as a compact JWS
                payload = _jwt_payload(vc)
                if payload is None:
                    c.fail(where, "a string that is no compact JWS")
                    continue
                notes.append(f"{where}: a JWS: its signature is not verified")
                vc = payload.get("vc", payload) if isinstance(payload, dict) else payload
            _check(vc, where, c, notes)
    c.sets = outer_sets


def _jwt_payload(text: str) -> Optional[Any]:
    """The payload of a compact JWS (``header.payload.signature``), or None when `text` is none."""
    parts = text.strip().split(".")
    if len(parts) != 3 or not all(re.fullmatch(r"[A-Za-z0-9_-]*", p) for p in parts):
        return None
    try:
        raw = base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4))
        return json.loads(raw)
    except (binascii.Error, ValueError):
        return None


@checked
def read_credential(source: Union[str, bytes, "os.PathLike[str]", dict[str, Any]], *,
                    notes: Optional[list[str]] = None) -> dict[str, Any]:
    """Reads an Open Badges 3.0 credential (OpenBadgeCredential / AchievementCredential or
    EndorsementCredential) or a CLR 2.0 ClrCredential and checks its structure; returns the
    document (a dict; a JWT's credential).

    Structure only: proofs, expiry, revocation and remote schemas are not checked (they need
    keys, the clock, a status list or the web); ``notes`` receives what was not checked and the
    warnings (a VCDM 1.1 context, no proof). Checked: the W3C credentials context first (VCDM
    2.0, or 1.1 with a note) and the OB 3.0 or CLR 2.0 context; ``type`` an array holding
    ``VerifiableCredential`` and the credential type; an issuer (a URI, or a Profile with
    ``id``); ``validFrom`` (VCDM 1.1: ``issuanceDate``) and ``validUntil`` as RFC 3339; the
    subject's type; an OpenBadgeCredential's achievement (``id``, ``name``, ``criteria``); the
    ``type`` of every nested object of a known class (an array holding the class for the
    ``IRI [1..*]`` classes: Achievement, Profile, Result, ResultDescription,
    RubricCriterionLevel, Alignment, Evidence, ...; the one IRI for IdentityObject,
    IdentifierEntry, Image, Association); a CLR's credentials each, and its associations' CLR
    types. Values as the OB 3.0 schemas state them (what both the strict and the
    JSON-LD-adapted variant reject is rejected): date-times (``validFrom``, ``validUntil``,
    ``awardedDate``, ``activityStartDate``, ...) name a real instant (no Feb 30, no Feb 29 of a
    common year, a second 60 only at 23:59:60 UTC: the library's RFC 3339 parser, as the xAPI
    reader); the string-typed properties (``RubricCriterionLevel.points``, ``Result.value``,
    ``Achievement.humanCode``, ...) are strings or language maps; ``achievementType``,
    ``identityType``, ``resultType`` and Alignment ``targetType`` are one of their values or
    an extension term (``"ext:..."``), ``Result.status`` one of its values (the enumerations
    in VCDM 2.0 documents only).

    :param source: the JSON text (``str`` or ``bytes`` starting with ``{``), a compact JWS
        (``header.payload.signature``: the payload, or its ``vc`` claim, is the credential;
        the signature is not verified), a path, or the parsed dict
    :raises ParseError: malformed JSON or JWS
    :raises ValidationError: every structural problem at once, each ``"<JSON path>: reason"``
        (also in ``.problems``)
    :raises MissingFileError: the path does not exist
    """
    if not isinstance(source, (str, bytes, os.PathLike, dict)):
        raise TypeError(f"io.read_credential(): source must be JSON text, a JWS, bytes, a path "
                        f"(str or os.PathLike) or a dict, got {type(source).__name__} "
                        f"{source!r}")
    if isinstance(source, dict):
        doc: Any = source
    else:
        if isinstance(source, bytes):
            try:
                text = source.decode("utf-8")
            except UnicodeDecodeError as e:
                bad_utf8 = ParseError(f"credential bytes: not UTF-8 at byte {e.start}")
                bad_utf8.line, bad_utf8.column, bad_utf8.row = None, None, None
                raise bad_utf8 from None
        elif isinstance(source, str) and source.lstrip()[:1] in ("{", "[") or (
                isinstance(source, str) and _jwt_payload(source) is not None):
            text = source
        else:
            path = cast("Union[str, os.PathLike[str]]", source)
            with file_errors(path, "credential file"):
                with open(path, encoding="utf-8") as f:
                    text = f.read()
        payload = _jwt_payload(text) if text.lstrip()[:1] not in ("{", "[") else None
        if payload is not None:
            doc = payload.get("vc", payload) if isinstance(payload, dict) else payload
            if notes is not None:
                notes.append("/: a JWS (compact JWT): its signature is not verified")
        else:
            try:
                doc = json.loads(text)
            except json.JSONDecodeError as e:
                bad_json = ParseError(f"malformed credential JSON: {e.msg} at line {e.lineno} "
                                      f"column {e.colno}")
                bad_json.line, bad_json.column, bad_json.row = e.lineno, e.colno, None
                raise bad_json from None
    checker, found = _Checker(), cast("list[str]", [])
    _check(doc, "", checker, found)
    if notes is not None:
        notes.extend(found)
    if checker.problems:
        error = ValidationError("not a valid credential:\n  " + "\n  ".join(checker.problems))
        error.problems = [{"kind": "credential", "ids": [p.split(": ", 1)[0]],
                           "message": p} for p in checker.problems]
        raise error
    return doc
