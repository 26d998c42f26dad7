"""The straightforward pure-Python CASE baseline the CASE benchmarks measure masterymap against.

What a vendor would write without ``mm.io.read_case``/``write_case``: ``json.load`` plus a dict
walk that builds the framework through masterymap's public Python API, and a dict build plus
``json.dumps`` for the export. Both use only public names (``masterymap.FrameworkBuilder``,
``add_competency``, ``add_child``, ``add_prerequisite``, ``build``, and ``Framework`` iteration,
``hierarchy``, ``edges``).

Mapping of `build_with_python` (the defaults of the issue's CASE import):

- competency id = ``humanCodingScheme``; the item's ``identifier`` when the code is empty,
  absent or already used by an earlier item (file order);
- title = ``abbreviatedStatement``, else ``fullStatement``; description = ``fullStatement``;
- ``isChildOf`` (origin = child, destination = parent) -> ``add_child(parent, child)`` when both
  are items of the package (links to the document or outside are skipped), in
  ``sequenceNumber`` order per parent;
- ``precedes`` (origin precedes destination) -> ``add_prerequisite(destination, origin,
  strength="recommended")`` when both are items;
- every other association type, the definitions, rubrics and extensions are ignored (the
  baseline does less than the real importer, which keeps them: the measured ratio is a lower
  bound).

The baseline is as fast as plain Python gets without tricks, not deliberately slow.
"""
from __future__ import annotations

import datetime
import json
import os
import uuid
from typing import Any, Optional, Union

import masterymap


def build_with_python(path: Union[str, "os.PathLike[str]"]) -> "masterymap.Framework":
    """`path` (a CASE 1.0/1.1 package JSON file) as a masterymap Framework, by json.load and a
    dict walk (mapping in the module docstring). Raises json.JSONDecodeError on malformed JSON,
    KeyError on an item or association without its required keys, and masterymap's
    ValidationError/CycleError from ``build`` (duplicates, cycles). O(items + associations)."""
    with open(path, encoding="utf-8") as f:
        package = json.load(f)
    builder = masterymap.FrameworkBuilder(package.get("CFDocument", {}).get("title") or "")
    id_of: dict[str, str] = {}  # CASE identifier -> competency id
    used: set[str] = set()
    for item in package.get("CFItems", []):
        identifier = item["identifier"]
        code = item.get("humanCodingScheme") or ""
        cid = code if code and code not in used else identifier
        used.add(cid)
        id_of[identifier] = cid
        full = item.get("fullStatement") or ""
        builder.add_competency(cid, title=item.get("abbreviatedStatement") or full,
                               description=full)
    children: list[tuple[str, int, int, str]] = []  # parent, sequence, file position, child
    for position, assoc in enumerate(package.get("CFAssociations", [])):
        kind = assoc["associationType"]
        if kind != "isChildOf" and kind != "precedes":
            continue
        origin = id_of.get(assoc["originNodeURI"]["identifier"])
        destination = id_of.get(assoc["destinationNodeURI"]["identifier"])
        if origin is None or destination is None:
            continue
        if kind == "precedes":
            builder.add_prerequisite(destination, origin, strength="recommended")
        else:
            sequence = assoc.get("sequenceNumber")
            try:
                order = int(sequence) if sequence is not None else 2**62
            except (TypeError, ValueError):
                order = 2**62
            children.append((destination, order, position, origin))
    children.sort(key=lambda link: (link[1], link[2]))
    for parent, _, _, child in children:
        builder.add_child(parent, child)
    return builder.build()


_GRADES = {"PK": -1, "KG": 0, "K": 0, "TK": 0, **{f"{g:02d}": g for g in range(1, 14)}}


def build_same_with_python(path: Union[str, "os.PathLike[str]"]) -> "masterymap.Framework":
    """`path` as the framework ``mm.io.read_case`` builds, equal to it (``==``), by json.load and
    a dict walk through masterymap's public Python API: the same ids, titles, descriptions, tags,
    domains (nearest ancestor-or-self of CFItemType "Domain", else the top-level item), levels
    (the lowest CEDS grade code of the item, else of its nearest ancestor), hierarchy in
    sequenceNumber order per parent, precedes prerequisites, every association with its
    identifier, grouping and JSON, and each node's JSON kept (``json.dumps`` of the node, which
    gives back a package written compactly by Python, as make_case_package's is).

    This is what the issue's benchmark asks of the baseline ("building the same framework
    through the public API"). It covers what the generated benchmark package holds: it does not
    handle fallback ids for repeated codes, 1.0 leniencies, ``extensions.masterymap``, rubrics
    or the error reporting of the real importer. O(items + associations)."""
    with open(path, encoding="utf-8") as f:
        package = json.load(f)
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    items = package.get("CFItems", [])
    assocs = package.get("CFAssociations", [])
    skeleton = {k: ([] if k in ("CFItems", "CFAssociations") else v) for k, v in package.items()}
    doc = package.get("CFDocument", {})
    by_identifier = {item["identifier"]: k for k, item in enumerate(items)}
    by_uri = {item["uri"]: k for k, item in enumerate(items) if item.get("uri")}

    def item_of(node: dict[str, Any]) -> Optional[int]:
        k = by_identifier.get(node.get("identifier"))
        return k if k is not None else by_uri.get(node.get("uri"))

    ids = [item.get("humanCodingScheme") or item["identifier"] for item in items]
    first_parent: list[Optional[int]] = [None] * len(items)
    links = []  # parent, sequence, position, child
    ends = []
    for position, assoc in enumerate(assocs):
        origin = item_of(assoc["originNodeURI"])
        destination = item_of(assoc["destinationNodeURI"])
        ends.append((origin, destination))
        if assoc["associationType"] == "isChildOf" and origin is not None and destination is not None:
            sequence = assoc.get("sequenceNumber")
            links.append((destination, sequence if isinstance(sequence, int) else 2**62, position,
                          origin))
            if first_parent[origin] is None:
                first_parent[origin] = destination
    own_level = []
    for item in items:
        levels = [_GRADES[c] for c in item.get("educationLevel") or () if c in _GRADES]
        own_level.append(min(levels) if levels else None)

    def name_of(k: int) -> str:
        item = items[k]
        return (item.get("abbreviatedStatement") or item.get("humanCodingScheme")
                or item.get("fullStatement") or "")

    builder = masterymap.FrameworkBuilder(doc.get("title") or "")
    for k, item in enumerate(items):
        level, domain, top, at = own_level[k], None, k, k
        while at is not None:
            if level is None:
                level = own_level[at]
            if domain is None and items[at].get("CFItemType") == "Domain":
                domain = at
            top, at = at, first_parent[at]
        metadata = {"case:identifier": item["identifier"], "case:json": dumps(item)}
        for key, name in (("uri", "case:uri"), ("humanCodingScheme", "case:humanCodingScheme"),
                          ("CFItemType", "case:CFItemType")):
            if item.get(key):
                metadata[name] = item[key]
        full = item.get("fullStatement") or ""
        builder.add_competency(ids[k], title=item.get("abbreviatedStatement") or full,
                               description=full, domain=name_of(domain if domain is not None else top),
                               level=level, tags=item.get("conceptKeywords") or (),
                               metadata=metadata)
    links.sort()
    for parent, _, _, child in links:
        builder.add_child(ids[parent], ids[child])
    for assoc, (origin, destination) in zip(assocs, ends):
        if assoc["associationType"] == "precedes" and origin is not None and destination is not None:
            builder.add_prerequisite(ids[destination], ids[origin], strength="recommended")

    def end(node: dict[str, Any], k: Optional[int]) -> str:
        return ids[k] if k is not None else (node.get("uri") or node["identifier"])

    for assoc, (origin, destination) in zip(assocs, ends):
        metadata = {"case:identifier": assoc["identifier"], "case:json": dumps(assoc)}
        grouping = assoc.get("CFAssociationGroupingURI")
        if grouping:
            metadata["case:CFAssociationGrouping"] = grouping.get("identifier") or grouping["uri"]
        builder.add_association(assoc["associationType"], end(assoc["originNodeURI"], origin),
                                end(assoc["destinationNodeURI"], destination), metadata=metadata)
    builder.set_metadata("case:package", dumps(skeleton))
    return builder.build()


def export_with_python(framework: "masterymap.Framework", *,
                       base_uri: str = "https://case.example.org/uri/",
                       timestamp: Optional[str] = None) -> str:
    """`framework` as a CASE 1.1 package (compact JSON text) by a dict build and json.dumps.

    Identifiers are UUID 5 of ``base_uri + competency id`` (stable), URIs ``base_uri +
    identifier``; each competency is a CFItem (humanCodingScheme = id, fullStatement =
    description, else title, else id; abbreviatedStatement = title when set); the hierarchy
    becomes ``isChildOf`` (sequenceNumber = position under the parent; a competency without a
    parent is a child of the document), each prerequisite a ``precedes`` association (origin =
    prerequisite). `timestamp` (RFC 3339, default: now in UTC) is every lastChangeDateTime.
    O(competencies + links)."""
    stamp = timestamp or datetime.datetime.now(datetime.timezone.utc).strftime(
        "%Y-%m-%dT%H:%M:%SZ")

    def ident(key: str) -> str:
        return str(uuid.uuid5(uuid.NAMESPACE_URL, base_uri + key))

    doc_id = ident("document/" + framework.name)
    title = framework.name or "masterymap framework"
    nodes: dict[str, dict[str, str]] = {}
    items: list[dict[str, Any]] = []
    for cid in framework:
        c = framework[cid]
        identifier = ident("item/" + cid)
        item: dict[str, Any] = {"identifier": identifier, "uri": base_uri + identifier,
                                "fullStatement": c.description or c.title or cid,
                                "humanCodingScheme": cid}
        if c.title:
            item["abbreviatedStatement"] = c.title
        item["lastChangeDateTime"] = stamp
        items.append(item)
        nodes[cid] = {"title": cid, "identifier": identifier, "uri": item["uri"]}
    doc_node = {"title": title, "identifier": doc_id, "uri": base_uri + doc_id}
    associations: list[dict[str, Any]] = []

    def associate(kind: str, origin: dict[str, str], destination: dict[str, str],
                  sequence: Optional[int] = None) -> None:
        n = len(associations)
        identifier = ident(f"association/{n}/{kind}/{origin['title']}/{destination['title']}")
        assoc: dict[str, Any] = {"identifier": identifier, "associationType": kind,
                                 "uri": base_uri + identifier, "originNodeURI": origin,
                                 "destinationNodeURI": destination}
        if sequence is not None:
            assoc["sequenceNumber"] = sequence
        assoc["lastChangeDateTime"] = stamp
        associations.append(assoc)

    has_parent: set[str] = set()
    position: dict[str, int] = {}
    for parent, child in framework.hierarchy():
        position[parent] = position.get(parent, 0) + 1
        has_parent.add(child)
        associate("isChildOf", nodes[child], nodes[parent], position[parent])
    top = 0
    for cid in framework:
        if cid not in has_parent:
            top += 1
            associate("isChildOf", nodes[cid], doc_node, top)
    for edge in framework.edges():
        associate("precedes", nodes[edge["prerequisite"]], nodes[edge["dependent"]])
    package = {
        "CFDocument": {"identifier": doc_id, "uri": doc_node["uri"], "creator": "masterymap",
                       "title": title, "lastChangeDateTime": stamp, "caseVersion": "1.1"},
        "CFItems": items,
        "CFAssociations": associations,
    }
    return json.dumps(package, ensure_ascii=False, separators=(",", ":"))


def export_kept_with_python(framework: "masterymap.Framework") -> str:
    """A framework read from CASE written back as its package by json.loads of each kept node
    (metadata ``case:json``) and of the package skeleton (``case:package``), then one
    json.dumps: the straightforward Python form of the lossless export. O(package size)."""
    package = json.loads(framework.metadata["case:package"])
    package["CFItems"] = [json.loads(framework[cid].metadata["case:json"]) for cid in framework]
    package["CFAssociations"] = [json.loads(a.metadata["case:json"])
                                 for a in framework.associations]
    return json.dumps(package, ensure_ascii=False, separators=(",", ":"))
