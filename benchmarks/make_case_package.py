"""Generates a synthetic CASE 1.1 package (CFPackage JSON) for the CASE import/export benchmarks.

    python3 benchmarks/make_case_package.py --out /tmp/case_10k.json
    python3 benchmarks/make_case_package.py --items 200 --associations 600 --out small.json

Defaults: 10,000 items and 30,000 associations, seed 12: about 20 MB of compact JSON, the same
bytes on every run (everything, identifiers and timestamps included, comes from one
``random.Random(seed)``).

Shape (valid against the official CASE 1.1 package schema; tests/python/test_case_schema.py
checks a 200-item instance):

- ``isChildOf`` hierarchy: document <- 13 grade levels (KG, 01 ... 12) <- domains <- clusters
  <- standards; ``sequenceNumber`` is the position under the parent. About 2% of the standards
  have a second parent: a cluster of another domain of the same grade (of any other domain
  when the grade has only one, as in small packages), listed after that cluster's own standards.
- ``precedes`` (origin precedes destination) among standards, always from an earlier standard (in
  grade, domain, cluster order) and at most about half a grade level back, so they form a DAG;
  no pair repeats. Those that cross a grade level sit in one ``CFAssociationGrouping``.
- ``isRelatedTo`` and ``exactMatchOf`` from standards to another publisher's items (URIs outside
  the package, ``targetType`` "CASE").
- Split of the associations: one ``isChildOf`` per item plus the second parents, then 60%
  ``precedes``, 25% ``isRelatedTo``, 15% ``exactMatchOf`` of the rest.
- Realistic text: ``fullStatement`` (a sentence, half of them with a detail sentence),
  ``abbreviatedStatement`` (grades, domains, clusters), ``notes`` (a quarter of the standards),
  ``conceptKeywords`` (half), ``educationLevel``, ``CFItemType`` (``CFItemTypeURI`` above the
  standards), ``language``; the document carries subject and licence; ``CFDefinitions`` has the
  item types, a subject, a licence, concepts and the grouping.
- Size: the 30,000 associations are most of it (about 600 bytes each: three URIs and
  identifiers); the items are kept lean so the default package is about 21 MB.

Complexity: O(items + associations) time and memory.
"""
from __future__ import annotations

import argparse
import datetime
import json
import random
import sys
import uuid
from typing import Any, Optional, Sequence

BASE = "https://case.example.org/uri/"
OTHER = "https://standards.example.net/case/uri/"
GRADES = ["KG"] + [f"{g:02d}" for g in range(1, 13)]
DOMAINS = [("CC", "Counting and Cardinality"), ("OA", "Operations and Algebraic Thinking"),
           ("NBT", "Number and Operations in Base Ten"), ("NF", "Number and Operations: "
                                                               "Fractions"),
           ("MD", "Measurement and Data"), ("G", "Geometry"), ("RP", "Ratios and Proportional "
                                                                    "Relationships"),
           ("NS", "The Number System"), ("EE", "Expressions and Equations"), ("F", "Functions"),
           ("SP", "Statistics and Probability"), ("A", "Algebra"), ("N", "Number and Quantity"),
           ("S", "Modeling with Data")]
VERBS = ["Solve", "Explain", "Represent", "Interpret", "Compare", "Use", "Apply", "Analyze",
         "Model", "Describe", "Reason about", "Construct", "Evaluate", "Estimate", "Justify"]
OBJECTS = ["fractions with unlike denominators", "linear equations in one variable",
           "ratios and unit rates", "the place value of multi-digit whole numbers",
           "two-dimensional shapes and their attributes", "data sets using measures of center",
           "expressions with whole-number exponents", "functions given by tables and graphs",
           "proportional relationships between quantities", "the area and perimeter of polygons",
           "systems of two linear equations", "probabilities of compound events",
           "decimals to hundredths", "integer operations on the number line",
           "quadratic functions and their zeros", "transformations in the coordinate plane",
           "volume of right rectangular prisms", "arithmetic and geometric sequences",
           "the relationship between addition and subtraction", "measurement units and scales"]
CONTEXTS = ["in real-world and mathematical problems", "using visual fraction models",
            "with tables, graphs and equations", "by reasoning about the structure of numbers",
            "and explain the reasoning in writing", "using concrete models or drawings",
            "with and without technology", "including problems with several steps",
            "and check that the answer is reasonable", "across different representations"]
DETAILS = ["Include cases in which the unknown is in any position.",
           "Limit to problems whose solutions are whole numbers.",
           "Use strategies based on place value and the properties of operations.",
           "Recognize that the meaning of the answer depends on the units of the quantities.",
           "Connect the written method to a visual model and explain the connection.",
           "Attend to precision when stating the meaning of the symbols chosen."]
NOTES = ["Builds on the previous grade's work with the same domain.",
         "Expectations are limited to the number sizes listed for this grade.",
         "Assessment items may use calculators for this standard.",
         "Revised in the latest review to clarify the modeling expectation.",
         "Aligned to the national framework; wording adapted for the state edition.",
         "Teachers may combine this standard with others of the cluster in one unit."]
KEYWORDS = ["fractions", "ratios", "unit rate", "place value", "equations", "functions",
            "geometry", "measurement", "data", "probability", "number line", "expressions",
            "area", "volume", "integers", "decimals", "proportional reasoning", "modeling",
            "statistics", "sequences", "transformations", "estimation"]


class _Ids:
    """Deterministic UUIDs (version 4 layout, bits from the seeded generator)."""

    def __init__(self, rng: random.Random):
        self.rng = rng

    def __call__(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))


def _link(identifier: str, title: str, base: str = BASE) -> dict[str, str]:
    return {"title": title, "identifier": identifier, "uri": base + identifier}


def _sentence(rng: random.Random) -> str:
    return f"{rng.choice(VERBS)} {rng.choice(OBJECTS)} {rng.choice(CONTEXTS)}."


def make_package(items: int = 10_000, associations: int = 30_000, seed: int = 12
                 ) -> dict[str, Any]:
    """The package as a dict (see the module docstring). Raises ValueError when `items` < 52
    (13 grades, a domain, a cluster and a standard each) or `associations` is smaller than the
    hierarchy (`items` plus the second parents)."""
    if items < 4 * len(GRADES):
        raise ValueError(f"items={items}: need at least {4 * len(GRADES)} (13 grade levels, "
                         "each with a domain, a cluster and a standard)")
    rng = random.Random(seed)
    new_id = _Ids(rng)
    epoch = datetime.datetime(2024, 5, 1, 12, 0, 0, tzinfo=datetime.timezone.utc)

    def stamp() -> str:
        moment = epoch + datetime.timedelta(seconds=rng.randrange(90 * 86400))
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ")

    n_domains = max(len(GRADES), round(items * 0.0065))
    n_clusters = max(n_domains, round(items * 0.026))
    n_standards = items - len(GRADES) - n_domains - n_clusters
    if n_standards < n_clusters:
        n_clusters = n_domains
        n_standards = items - len(GRADES) - n_domains - n_clusters
    n_second = n_standards // 50
    hierarchy_links = items + n_second
    if associations < hierarchy_links:
        raise ValueError(f"associations={associations}: the hierarchy alone needs "
                         f"{hierarchy_links} (one isChildOf per item plus {n_second} second "
                         "parents)")
    rest = associations - hierarchy_links
    n_precedes = rest * 60 // 100
    n_related = rest * 25 // 100
    n_match = rest - n_precedes - n_related

    T0 = "2024-05-01T12:00:00Z"
    doc_id = new_id()
    types = {}
    for code, title, desc in (("1", "Grade Level", "A grade or course level"),
                              ("1.1", "Domain", "A large group of related clusters"),
                              ("1.1.1", "Cluster", "A group of related standards"),
                              ("1.1.1.1", "Standard", "What a student should know and do")):
        ident = new_id()
        types[title] = {"identifier": ident, "uri": BASE + ident, "title": title,
                        "description": desc, "hierarchyCode": code,
                        "typeCode": title.replace(" ", ""), "lastChangeDateTime": T0}
    lic_id, subj_id, grp_id = new_id(), new_id(), new_id()
    license_link = _link(lic_id, "CC BY 4.0")
    subject_link = _link(subj_id, "Mathematics")
    concepts = []
    for k, word in enumerate(KEYWORDS[:8], start=1):
        ident = new_id()
        concepts.append({"identifier": ident, "uri": BASE + ident, "title": word.title(),
                         "keywords": "|".join(rng.sample(KEYWORDS, 4)),
                         "hierarchyCode": f"C.{k}", "lastChangeDateTime": T0})
    grouping_link = _link(grp_id, "Learning progressions")

    cf_items: list[dict[str, Any]] = []
    cf_assocs: list[dict[str, Any]] = []
    doc_node = {"title": "Mathematics Standards (synthetic benchmark)", "identifier": doc_id,
                "uri": BASE + doc_id}

    def add_item(code: str, full: str, type_title: str, grade: str,
                 abbreviated: Optional[str], keywords: Sequence[str],
                 notes: Optional[str]) -> dict[str, Any]:
        ident = new_id()
        item: dict[str, Any] = {
            "identifier": ident, "uri": BASE + ident, "fullStatement": full,
            "humanCodingScheme": code}
        if abbreviated:
            item["abbreviatedStatement"] = abbreviated
        item["CFItemType"] = type_title
        if type_title != "Standard":  # the few upper levels link their type definition
            item["CFItemTypeURI"] = _link(types[type_title]["identifier"], type_title)
        if keywords:
            item["conceptKeywords"] = list(keywords)
        item["educationLevel"] = [grade]
        item["language"] = "en"
        if notes:
            item["notes"] = notes
        item["lastChangeDateTime"] = stamp()
        cf_items.append(item)
        return item

    def node(item: dict[str, Any]) -> dict[str, str]:
        return {"title": item["humanCodingScheme"], "identifier": item["identifier"],
                "uri": item["uri"]}

    def add_assoc(kind: str, origin: dict[str, Any], destination: dict[str, Any],
                  seq: Optional[int] = None, grouping: bool = False) -> None:
        ident = new_id()
        assoc: dict[str, Any] = {"identifier": ident, "associationType": kind,
                                 "uri": BASE + ident, "originNodeURI": origin,
                                 "destinationNodeURI": destination}
        if seq is not None:
            assoc["sequenceNumber"] = seq
        if grouping:
            assoc["CFAssociationGroupingURI"] = grouping_link
        assoc["lastChangeDateTime"] = stamp()
        cf_assocs.append(assoc)

    # grades
    grade_items = []
    for g, grade in enumerate(GRADES, start=1):
        name = "Kindergarten" if grade == "KG" else f"Grade {int(grade)}"
        it = add_item(grade, f"{name} mathematics: the standards of this grade level.",
                      "Grade Level", grade, name, ["grade level"], None)
        add_assoc("isChildOf", node(it), doc_node, seq=g)
        grade_items.append(it)
    # domains, round-robin over the grades
    domain_items: list[tuple[int, dict[str, Any]]] = []
    per_grade: list[int] = [0] * len(GRADES)
    for d in range(n_domains):
        g = d % len(GRADES)
        k = per_grade[g]
        per_grade[g] += 1
        abbr, title = DOMAINS[(g + k) % len(DOMAINS)]
        if k >= len(DOMAINS):
            abbr, title = f"{abbr}{k // len(DOMAINS) + 1}", f"{title} ({k // len(DOMAINS) + 1})"
        code = f"{GRADES[g]}.{abbr}"
        it = add_item(code, f"{title}. {_sentence(rng)}", "Domain", GRADES[g], title,
                      rng.sample(KEYWORDS, 2), None)
        add_assoc("isChildOf", node(it), node(grade_items[g]), seq=k + 1)
        domain_items.append((g, it))
    # clusters, round-robin over the domains
    cluster_items: list[tuple[int, int, dict[str, Any]]] = []
    per_domain = [0] * n_domains
    for c in range(n_clusters):
        d = c % n_domains
        k = per_domain[d]
        per_domain[d] += 1
        g, dom = domain_items[d]
        letter = chr(ord("A") + k % 26) + ("" if k < 26 else str(k // 26))
        code = f"{dom['humanCodingScheme']}.{letter}"
        first = _sentence(rng)
        it = add_item(code, f"{first} {rng.choice(DETAILS)}", "Cluster", GRADES[g],
                      first[:-1], rng.sample(KEYWORDS, 2), None)
        add_assoc("isChildOf", node(it), node(dom), seq=k + 1)
        cluster_items.append((g, d, it))
    # standards, round-robin over the clusters; kept in grade, domain, cluster order
    per_cluster = [0] * n_clusters
    placed: list[tuple[int, int, int, dict[str, Any]]] = []
    for s in range(n_standards):
        c = s % n_clusters
        k = per_cluster[c]
        per_cluster[c] += 1
        g, d, clu = cluster_items[c]
        code = f"{clu['humanCodingScheme']}.{k + 1}"
        full = _sentence(rng)
        if rng.random() < 0.5:
            full += " " + rng.choice(DETAILS)
        notes = rng.choice(NOTES) if rng.random() < 0.25 else None
        keywords = rng.sample(KEYWORDS, rng.randint(1, 3)) if rng.random() < 0.5 else ()
        it = add_item(code, full, "Standard", GRADES[g], None, keywords, notes)
        add_assoc("isChildOf", node(it), node(clu), seq=k + 1)
        placed.append((g, d, c, it))
    placed.sort(key=lambda t: (t[0], t[1], t[2]))
    standards = [t[3] for t in placed]
    grade_of = [t[0] for t in placed]
    # second parents: a cluster of another domain of the same grade
    clusters_of_grade: dict[int, list[tuple[int, int]]] = {}
    for ci, (g, d, _) in enumerate(cluster_items):
        clusters_of_grade.setdefault(g, []).append((d, ci))
    with_second: set[int] = set()
    for s in rng.sample(range(len(placed)), len(placed)):
        if len(with_second) == n_second:
            break
        g, d, c, it = placed[s]
        others = [ci for dd, ci in clusters_of_grade[g] if dd != d]
        if not others:  # a grade with a single domain
            others = [ci for ci in range(n_clusters) if ci != c]
        ci = rng.choice(others)
        per_cluster[ci] += 1  # listed after the cluster's own standards
        add_assoc("isChildOf", node(it), node(cluster_items[ci][2]), seq=per_cluster[ci])
        with_second.add(s)
    # precedes: from an earlier standard to a later one (a DAG), mostly nearby, no repeats
    window = max(2, len(standards) // (2 * len(GRADES)))  # about half a grade level back
    seen: set[tuple[int, int]] = set()
    if n_precedes > len(standards) * (len(standards) - 1) // 2:
        raise ValueError("too many precedes links for the number of standards")
    while len(seen) < n_precedes:
        j = rng.randrange(1, len(standards))
        i = rng.randrange(max(0, j - window), j)
        if (i, j) in seen:
            continue
        seen.add((i, j))
        # the links between grade levels form the "progressions" grouping
        add_assoc("precedes", node(standards[i]), node(standards[j]),
                  grouping=grade_of[i] != grade_of[j])
    # isRelatedTo / exactMatchOf: to another publisher's items (outside the package)
    for kind, count in (("isRelatedTo", n_related), ("exactMatchOf", n_match)):
        for _ in range(count):
            src = standards[rng.randrange(len(standards))]
            target = new_id()
            dest = {"title": "NAT." + src["humanCodingScheme"], "identifier": target,
                    "uri": OTHER + target, "targetType": "CASE"}
            add_assoc(kind, node(src), dest)

    document = {
        "identifier": doc_id, "uri": BASE + doc_id,
        "creator": "Example State Department of Education",
        "title": doc_node["title"],
        "lastChangeDateTime": T0,
        "officialSourceURL": "https://standards.example.org/math",
        "publisher": "Example State Department of Education",
        "description": "A synthetic framework generated for masterymap's CASE benchmarks "
                       f"(items={items}, associations={associations}, seed={seed}).",
        "subject": ["Mathematics"], "subjectURI": [subject_link], "language": "en",
        "version": "2024", "adoptionStatus": "Adopted", "statusStartDate": "2024-07-01",
        "licenseURI": license_link, "caseVersion": "1.1",
    }
    definitions = {
        "CFConcepts": concepts,
        "CFSubjects": [{"identifier": subj_id, "uri": BASE + subj_id, "title": "Mathematics",
                        "hierarchyCode": "MATH", "lastChangeDateTime": T0}],
        "CFLicenses": [{"identifier": lic_id, "uri": BASE + lic_id, "title": "CC BY 4.0",
                        "licenseText": "https://creativecommons.org/licenses/by/4.0/legalcode",
                        "lastChangeDateTime": T0}],
        "CFItemTypes": list(types.values()),
        "CFAssociationGroupings": [{"identifier": grp_id, "uri": BASE + grp_id,
                                    "title": "Learning progressions",
                                    "description": "The precedes links between grade "
                                                   "levels",
                                    "lastChangeDateTime": T0}],
    }
    assert len(cf_items) == items and len(cf_assocs) == associations
    return {"CFDocument": document, "CFItems": cf_items, "CFAssociations": cf_assocs,
            "CFDefinitions": definitions}


def write_package(path: str, items: int = 10_000, associations: int = 30_000,
                  seed: int = 12) -> int:
    """Writes `make_package(...)` as compact UTF-8 JSON to `path` ("-": stdout); returns the
    number of bytes."""
    text = json.dumps(make_package(items, associations, seed), ensure_ascii=False,
                      separators=(",", ":")) + "\n"
    data = text.encode("utf-8")
    if path == "-":
        sys.stdout.buffer.write(data)
    else:
        with open(path, "wb") as f:
            f.write(data)
    return len(data)


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=10_000, help="number of CFItems (10000)")
    parser.add_argument("--associations", type=int, default=30_000,
                        help="number of CFAssociations (30000)")
    parser.add_argument("--seed", type=int, default=12, help="random seed (12)")
    parser.add_argument("--out", required=True, help="output file ('-' for stdout)")
    args = parser.parse_args(argv)
    try:
        size = write_package(args.out, args.items, args.associations, args.seed)
    except ValueError as exc:
        parser.error(str(exc))
    if args.out != "-":
        print(f"{args.out}: {args.items} items, {args.associations} associations, "
              f"{size / 1e6:.1f} MB", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
