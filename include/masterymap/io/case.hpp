// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
#ifndef MASTERYMAP_IO_CASE_HPP
#define MASTERYMAP_IO_CASE_HPP

#include <map>
#include <masterymap/config.hpp>
#include <masterymap/framework.hpp>
#include <masterymap/scale.hpp>
#include <string>
#include <string_view>
#include <vector>

/// 1EdTech CASE (Competencies and Academic Standards Exchange) 1.0 and 1.1 packages
/// (`CFPackage` JSON: CFDocument, CFItems, CFAssociations, CFDefinitions, CFRubrics, extensions)
/// in and out of a framework. Specification: https://www.imsglobal.org/spec/case/v1p1/.
///
/// The mapping (every choice is an option of `case_options`):
/// - A CFItem is a competency. Its id is the item's `humanCodingScheme` by default. Real packages
///   repeat a code (a translation carries its original's code) or leave it empty: such an item
///   takes its `identifier` instead (the first item in package order with a code keeps it), and
///   the import notes say so. With `case_id::identifier` or `case_id::uri` every item takes
///   that field. A fallback id never collides: the identifier, else the uri, else
///   "<identifier>#<n>". The three are always kept in metadata (`case:identifier`, `case:uri`,
///   `case:humanCodingScheme`).
/// - title = `abbreviatedStatement`, else `fullStatement`; description = `fullStatement`;
///   tags = `conceptKeywords`.
/// - level = the lowest of the item's `educationLevel` codes (CEDS grade codes: "PK" = -1,
///   "KG"/"TK"/"K" = 0, "01".."13" = 1..13, plus `case_options::education_levels`), else the
///   nearest ancestor's; `educationalLevel` (a 1.0 misspelling, as a string) is read too.
/// - domain = the nearest ancestor-or-self whose `CFItemType` is `domain_item_type` ("Domain"),
///   named by its abbreviatedStatement, humanCodingScheme or fullStatement; else the top-level
///   item (the child of the document) so named.
/// - `isChildOf` (origin = child, destination = parent) is a hierarchy link when both ends are
///   items (an item whose parent is the document is top-level). Children are added in
///   `sequenceNumber` order per parent (a number or a numeric string), then package order.
/// - `precedes` (origin precedes destination) is a prerequisite: destination requires origin,
///   at `precedes_strength` (recommended by default: CASE does not say precedes gates mastery).
///   An end outside the package keeps it an association only (noted).
/// - Every CFAssociation, whatever its type (`ext:` types, ends outside the package, those that
///   made the hierarchy and prerequisites), is kept as a framework `association` in package
///   order: an end is a competency id when it is an item of the package, else the node's `uri`
///   (else its identifier). Its metadata holds `case:identifier`, `case:json` and, for an
///   association in a CFAssociationGrouping, the grouping's identifier under
///   `case:CFAssociationGrouping`.
/// - Nothing is lost: the original JSON of each item and association (minified, numbers and
///   strings as written) is kept in metadata under `case:json`, and the package without its
///   items and associations under the framework metadata `case:package`, so `write_case` can
///   reproduce the package (see there).
namespace masterymap::io {

/// Which CFItem field becomes the competency id.
enum class case_id : std::uint8_t { human_coding_scheme, identifier, uri };

/// How `read_case` maps a package (see the mapping above).
struct case_options {
  case_id id = case_id::human_coding_scheme;
  /// The strength of a `precedes` association (recommended: orders, never gates).
  strength precedes_strength = strength::recommended;
  /// The CFItemType that names a domain ("" = always the top-level item).
  std::string domain_item_type = "Domain";
  /// Extra or overriding `educationLevel` codes and their levels (e.g. {"HS": 9}).
  std::map<std::string, int> education_levels;
  build_options build;  ///< e.g. drop_cycle_edges for packages with precedes cycles
};

/// Reads a CASE 1.0 or 1.1 package from JSON text. Lenient with real 1.0 exports (extra URI
/// keys, timestamps without a time zone, `sequenceNumber` as a string, `null` texts, the
/// `educationalLevel` misspelling): all import, with the original text kept.
/// `notes`, when given, receives one line per choice the import made that a user should know
/// (an id fallback, a precedes to an outside node, an educationLevel that is no grade code).
/// A UTF-8 byte order mark before the package is skipped.
/// \throws masterymap::parse_error for malformed JSON (with line and column) or a field of the
///         wrong type (with its JSON path, e.g. "/CFItems/3/fullStatement: expected a string").
/// \throws masterymap::validation_error (or cycle_error when only cycles) listing every
///         problem at once: duplicate identifiers, isChildOf ends that are not in the package,
///         duplicate competency ids under `case_id::uri`, precedes and isChildOf cycles (unless
///         `options.build.drop_cycle_edges`).
/// Complexity: O(n log n) in the package size (one pass with simdjson's On-Demand parser).
[[nodiscard]] MASTERYMAP_API framework parse_case(std::string_view text,
                                                  const case_options& options = {},
                                                  std::vector<std::string>* notes = nullptr);
/// `parse_case` of a file. \throws masterymap::file_error if it cannot be read.
[[nodiscard]] MASTERYMAP_API framework read_case(const std::string& path,
                                                 const case_options& options = {},
                                                 std::vector<std::string>* notes = nullptr);

/// How `write_case` writes a package.
struct case_write_options {
  /// Write CASE 1.1 that validates against the official package schema (1EdTech
  /// case_v1p1_cfpackage, draft 2019-09, formats included): a property a 1.1 class does not
  /// have (1.0's CFPackageURI, CFDocumentURI, CFItemAssociationURI) is moved into the object's
  /// `extensions` (dropped from a node reference, which has none); a zone-less timestamp is read
  /// as UTC ("Z" appended); numbers written as strings become numbers; `null` is dropped (an
  /// empty string where the text is required); `educationalLevel` becomes `educationLevel`; a
  /// single string where a list belongs becomes a list; an identifier that is not a UUID becomes
  /// a version 5 UUID of it, in every reference; `caseVersion` is "1.1". Every change is listed
  /// in `normalisations`. Dates and date-times are checked as RFC 3339 (a real calendar day; a
/// leap second only at 23:59:60 UTC); `extensions` that are not an object (an array of objects
/// for a rubric level) are kept inside one; an association type that is neither a 1.1 type nor
/// an "ext:" name becomes one (numbered when two would spell the same), the original kept in
/// the association's extensions. A node the normaliser rewrites is re-serialised: a number
/// whose text changes (1E+2 as 100.0, an integer beyond 64 bits as a double) and a key given
/// twice (the last value kept) are listed too. When false, the kept JSON is written as read.
  bool strict = false;
  /// Base of the URIs of generated nodes (`<base><identifier>`); e.g. "https://example.org/case/".
  std::string base_uri = "urn:masterymap:case:";
  /// `lastChangeDateTime` of generated nodes (RFC 3339). Empty = "1970-01-01T00:00:00Z", so the
  /// output depends on the framework only.
  std::string last_change_date_time;
  /// The CFDocument's `creator` when the framework did not come from CASE.
  std::string creator = "masterymap";
  /// Threads for generated nodes (each costs a SHA-1 for its UUID); 0 = every core. The output
  /// is the same whatever the number.
  unsigned threads = 0;
};

/// Writes a framework as a CASE package (JSON text).
///
/// A framework read by `read_case` gives back its package: `parse_case(write_case(f)) == f`,
/// and the package equals the one read as canonical JSON (keys sorted, array order kept) when
/// nothing was changed. Competencies, hierarchy links, prerequisites and associations not
/// from CASE are written as new CFItems (`humanCodingScheme` = id), `isChildOf` (to the
/// document for top-level competencies, `sequenceNumber` = order among the parent's children)
/// and `precedes` associations, with identifiers that are name-based UUIDs (version 5) of the
/// document identifier and the competency id, so they are stable across exports.
/// What CASE cannot say (a competency's domain, kind, exact level and metadata; a prerequisite's
/// strength and minimum level) travels in the node's `extensions` under "masterymap", and the
/// framework's own metadata in the generated CFDocument's, which `parse_case` reads back, so a
/// framework from elsewhere round-trips too.
/// Complexity: O(n) in the output size.
/// `normalisations` (when given) receives one line per change `strict` made,
/// "<JSON path>: <what was done>".
[[nodiscard]] MASTERYMAP_API std::string write_case(
    const framework& f, const case_write_options& options = {},
    std::vector<std::string>* normalisations = nullptr);

/// The rubrics of a framework read from CASE, as scales: for each competency that a
/// CFRubricCriterion judges (its `CFItemURI`), a scale whose ratings are the criterion's levels
/// (a criterion judging an item outside the package gives none)
/// (label = `quality`, else `description`, else "level <position>"; value = `score`, else
/// `position`), in increasing value, with mastery at the lowest level whose value is at least
/// `mastery_fraction` of the way from the lowest to the highest (0.5 by default: a 4-level
/// 1..4 rubric gives mastery at 3).
/// \throws masterymap::parse_error if a criterion's levels have no usable value or repeat one.
[[nodiscard]] MASTERYMAP_API std::map<std::string, scale> case_rubric_scales(
    const framework& f, double mastery_fraction = 0.5);

}  // namespace masterymap::io

#endif  // MASTERYMAP_IO_CASE_HPP
