"""Independent checks of Open Badges 3.0 / CLR 2.0 documents: the 1EdTech JSON Schemas and
offline JSON-LD expansion. Test tooling, not part of the masterymap package.

- :func:`schema_errors` validates against one of the stored 1EdTech schemas (draft 2019-09) in
  ``$MASTERYMAP_SHARED_DATA/interop/ob3-clr/schemas`` with formats checked: jsonschema's own
  plus the RFC 3339 ``date-time`` and ``date`` checks of :mod:`case_schema` (Debian's
  python3-jsonschema 4.10 checks no ``date-time``), the approach of the CASE tests, reused.
  Each error is ``"<JSON pointer>: <message>"``, sorted.
- :func:`expand` expands a document with python3-pyld, whose document loader serves only the
  stored contexts (``interop/ob3-clr/contexts``) and raises :class:`NetworkAttempt` for any
  other URL, so a test can never reach the network.
- :func:`undefined_terms` finds the terms JSON-LD would silently drop (pyld 2.0 has no "safe"
  mode): each ``@context`` (the top one and every embedded one) gets a last entry
  ``{"@vocab": "urn:masterymap:undefined#"}``; a key or type that no context defines then
  expands to that namespace instead of vanishing. Type-scoped contexts do not propagate and
  none of the stored contexts sets ``@vocab``, so the catch-all reaches every node. Each hit
  is ``"<JSON path>: <term>"``.
"""
from __future__ import annotations

import copy
import datetime
import functools
import json
import os
import pathlib
from typing import Any

from case_schema import is_rfc3339_date, is_rfc3339_date_time

REPO_ROOT = pathlib.Path(__file__).resolve().parents[2]
SCHEMAS = {
    "ob_strict": "ob_v3p0_achievementcredential_schema.strict.json",
    "ob_jsonld": "ob_v3p0_achievementcredential_schema.jsonld-adapted.json",
    "clr": "clr_v2p0_clrcredential_schema.jsonld-adapted.json",
    "endorse_jsonld": "ob_v3p0_endorsementcredential_schema.jsonld-adapted.json",
}
#: The URLs the stored contexts stand for (ob3-clr README).
CONTEXTS = {
    "https://www.w3.org/ns/credentials/v2": "w3c_credentials_v2.jsonld",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json": "ob_v3p0_context-3.0.3.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json": "ob_v3p0_extensions.json",
    "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json": "clr_v2p0_context-2.0.1.json",
    "https://purl.imsglobal.org/spec/clr/v2p0/context.json": "clr_v2p0_context.json",
}
UNDEFINED = "urn:masterymap:undefined#"


class NetworkAttempt(LookupError):
    """The JSON-LD processor asked for a document that is not stored (would need the web)."""


def data_dir() -> pathlib.Path:
    shared = pathlib.Path(os.environ.get("MASTERYMAP_SHARED_DATA",
                                         REPO_ROOT.parent / "shared" / "data"))
    return shared / "interop" / "ob3-clr"


@functools.lru_cache(maxsize=8)
def _validator(name: str) -> Any:
    import jsonschema

    path = data_dir() / "schemas" / SCHEMAS[name]
    schema = json.loads(path.read_text(encoding="utf-8"))
    jsonschema.Draft201909Validator.check_schema(schema)
    checker = jsonschema.FormatChecker(formats=())
    checker.checkers = dict(jsonschema.Draft201909Validator.FORMAT_CHECKER.checkers)
    checker.checks("date-time")(is_rfc3339_date_time)
    checker.checks("date")(is_rfc3339_date)
    return jsonschema.Draft201909Validator(schema, format_checker=checker)


def schema_errors(document: Any, name: str) -> list[str]:
    """Every error of `document` against schema `name` (a key of SCHEMAS), sorted."""
    def pointer(path: Any) -> str:
        parts = [str(p).replace("~", "~0").replace("/", "~1") for p in path]
        return "/" + "/".join(parts) if parts else "(root)"

    return sorted(f"{pointer(e.absolute_path)}: {e.message}"
                  for e in _validator(name).iter_errors(document))


def _loader(ob_context: str) -> Any:
    files = dict(CONTEXTS)
    files["https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"] = ob_context
    seen: dict[str, Any] = {}

    def load(url: str, options: Any = None) -> dict[str, Any]:
        if url not in files:
            raise NetworkAttempt(f"{url}: not a stored context (no network fetch)")
        if url not in seen:
            seen[url] = json.loads((data_dir() / "contexts" / files[url]).read_text("utf-8"))
        return {"contentType": "application/ld+json", "contextUrl": None, "documentUrl": url,
                "document": copy.deepcopy(seen[url])}

    return load


def expand(document: Any, ob_context: str = "ob_v3p0_context-3.0.3.json") -> Any:
    """pyld's expansion of `document` with the stored contexts only (`ob_context`: the stored
    OB 3.0.3 context file to serve, e.g. the validator's variant). Raises NetworkAttempt."""
    from pyld import jsonld

    try:
        return jsonld.expand(copy.deepcopy(document), {"documentLoader": _loader(ob_context)})
    except jsonld.JsonLdError as e:
        cause: Any = e
        for _ in range(16):  # pyld wraps the loader's error (in .cause or .details["cause"])
            if cause is None:
                break
            if isinstance(cause, NetworkAttempt):
                raise cause from None
            details = getattr(cause, "details", None)
            cause = (getattr(cause, "cause", None)
                     or (details.get("cause") if isinstance(details, dict) else None)
                     or cause.__cause__)
        raise


def _with_catch_all(node: Any) -> Any:
    if isinstance(node, dict):
        out = {k: _with_catch_all(v) for k, v in node.items() if k != "@context"}
        if "@context" in node:
            ctx = node["@context"]
            out = {"@context": (ctx if isinstance(ctx, list) else [ctx]) +
                   [{"@vocab": UNDEFINED}], **out}
        return out
    if isinstance(node, list):
        return [_with_catch_all(x) for x in node]
    return node


def undefined_terms(document: Any, ob_context: str = "ob_v3p0_context-3.0.3.json") -> list[str]:
    """The keys and types of `document` that no context defines, ``"<path>: <term>"``."""
    found: list[str] = []

    def walk(node: Any, path: str) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key.startswith(UNDEFINED):
                    found.append(f"{path}: {key[len(UNDEFINED):]}")
                if key == "@type":
                    for t in value if isinstance(value, list) else [value]:
                        if isinstance(t, str) and t.startswith(UNDEFINED):
                            found.append(f"{path}: type {t[len(UNDEFINED):]}")
                walk(value, f"{path}/{key}")
        elif isinstance(node, list):
            for i, x in enumerate(node):
                walk(x, f"{path}/{i}")

    walk(expand(_with_catch_all(document), ob_context), "")
    return sorted(set(found))


def leaf_values(document: Any) -> list[Any]:
    """The scalar values of `document` outside ``@context``, ``type`` and ``id`` (each must
    survive expansion as an ``@value`` or ``@id``)."""
    out: list[Any] = []

    def walk(node: Any, key: str) -> None:
        if isinstance(node, dict):
            for k, v in node.items():
                if k not in ("@context", "type", "id"):
                    walk(v, k)
        elif isinstance(node, list):
            for x in node:
                walk(x, key)
        else:
            out.append(node)

    walk(document, "")
    return out


def expanded_values(expanded: Any) -> list[Any]:
    out: list[Any] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for k, v in node.items():
                if k in ("@value", "@id") and not isinstance(v, (dict, list)):
                    out.append(v)
                else:
                    walk(v)
        elif isinstance(node, list):
            for x in node:
                walk(x)

    walk(expanded)
    return out


def now_rfc3339() -> str:
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
