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
