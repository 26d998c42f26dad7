// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// The CASE 1.1 CFPackage schema (1EdTech, case_v1p1_cfpackage-jsonschema1.json, draft 2019-09)
// as tables, for strict CASE output (case_strict.cpp normalises a package to it,
// case_strict_fast.cpp checks nodes against it read-only): each class's properties, the type
// each must have and the required ones, and the checks of the schema's formats.
#ifndef MASTERYMAP_SRC_IO_CASE_STRICT_SCHEMA_HPP
#define MASTERYMAP_SRC_IO_CASE_STRICT_SCHEMA_HPP

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace masterymap::io::detail::case_schema {

enum class t : std::uint8_t {
  text,       // string
  uuid,       // string, format uuid
  date_time,  // string, RFC 3339 date-time (a zone required)
  date,       // string, RFC 3339 full-date
  integer,
  number,
  texts,     // array of strings
  link,      // LinkURI
  links,     // array of LinkURI
  gen_link,  // LinkGenURI
  ext,       // extensions: an object (kept as it is)
  ext_list,  // extensions: an array of objects (CFRubricCriterionLevel's)
  nested,    // handled by the caller (lists of classes)
};

struct field {
  const char* name;
  t type;
};

struct spec {
  const char* name;
  std::vector<field> fields;
  std::vector<const char*> required;
  bool has_extensions = true;
};

// The classes (case_strict_schema.cpp). Compared by address: `&s == &item`.
extern const spec link_uri;
extern const spec link_gen;
extern const spec document;
extern const spec item;
extern const spec association;
extern const spec concept_spec;
extern const spec subject_spec;
extern const spec license_spec;
extern const spec item_type_spec;
extern const spec grouping_spec;
extern const spec definitions;
extern const spec rubric;
extern const spec criterion;
extern const spec level;
extern const spec package;

/// A UUID in the schema's form: 8-4-4-4-12 hex digits (either case).
bool is_uuid(const std::string& s);
/// RFC 3339 full-date "YYYY-MM-DD", a day that exists.
bool is_date(std::string_view s);
/// RFC 3339 date-time, the offset required (a leap second only at 23:59 UTC).
bool is_date_time(std::string_view s);
/// "YYYY-MM-DDThh:mm:ssZ", the form nearly every timestamp has: the fast path's check.
bool is_plain_utc_date_time(std::string_view s);
/// A CASE 1.1 association type (CFAssociationTypeExtEnum) or a well-formed "ext:" type.
bool known_association_type(const std::string& type);

}  // namespace masterymap::io::detail::case_schema

#endif  // MASTERYMAP_SRC_IO_CASE_STRICT_SCHEMA_HPP
