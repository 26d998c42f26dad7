// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// The CASE 1.1 CFPackage schema's classes as tables, and the checks of its formats (see
// case_strict_schema.hpp).
#include "case_strict_schema.hpp"

#include <cctype>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace masterymap::io::detail::case_schema {

const spec link_uri{"LinkURI",
                    {{"title", t::text}, {"identifier", t::uuid}, {"uri", t::text}},
                    {"title", "identifier", "uri"},
                    false};
const spec link_gen{
    "LinkGenURI",
    {{"title", t::text}, {"identifier", t::text}, {"uri", t::text}, {"targetType", t::text}},
    {"title", "identifier", "uri"},
    false};
const spec document{"CFDocument",
                    {{"identifier", t::uuid},
                     {"uri", t::text},
                     {"frameworkType", t::text},
                     {"caseVersion", t::text},
                     {"creator", t::text},
                     {"title", t::text},
                     {"lastChangeDateTime", t::date_time},
                     {"officialSourceURL", t::text},
                     {"publisher", t::text},
                     {"description", t::text},
                     {"subject", t::texts},
                     {"subjectURI", t::links},
                     {"language", t::text},
                     {"version", t::text},
                     {"adoptionStatus", t::text},
                     {"statusStartDate", t::date},
                     {"statusEndDate", t::date},
                     {"licenseURI", t::link},
                     {"notes", t::text},
                     {"extensions", t::ext}},
                    {"identifier", "uri", "creator", "title", "lastChangeDateTime"}};
const spec item{"CFItem",
                {{"identifier", t::uuid},
                 {"fullStatement", t::text},
                 {"alternativeLabel", t::text},
                 {"CFItemType", t::text},
                 {"uri", t::text},
                 {"humanCodingScheme", t::text},
                 {"listEnumeration", t::text},
                 {"abbreviatedStatement", t::text},
                 {"conceptKeywords", t::texts},
                 {"conceptKeywordsURI", t::link},
                 {"notes", t::text},
                 {"subject", t::texts},
                 {"subjectURI", t::links},
                 {"language", t::text},
                 {"educationLevel", t::texts},
                 {"CFItemTypeURI", t::link},
                 {"licenseURI", t::link},
                 {"statusStartDate", t::date},
                 {"statusEndDate", t::date},
                 {"lastChangeDateTime", t::date_time},
                 {"extensions", t::ext}},
                {"identifier", "fullStatement", "uri", "lastChangeDateTime"}};
const spec association{"CFAssociation",
                       {{"identifier", t::uuid},
                        {"associationType", t::text},
                        {"sequenceNumber", t::integer},
                        {"uri", t::text},
                        {"originNodeURI", t::gen_link},
                        {"destinationNodeURI", t::gen_link},
                        {"CFAssociationGroupingURI", t::link},
                        {"lastChangeDateTime", t::date_time},
                        {"notes", t::text},
                        {"extensions", t::ext}},
                       {"identifier", "associationType", "uri", "originNodeURI",
                        "destinationNodeURI", "lastChangeDateTime"}};
const spec concept_spec{"CFConcept",
                        {{"identifier", t::uuid},
                         {"uri", t::text},
                         {"title", t::text},
                         {"keywords", t::text},
                         {"hierarchyCode", t::text},
                         {"description", t::text},
                         {"lastChangeDateTime", t::date_time},
                         {"extensions", t::ext}},
                        {"identifier", "uri", "title", "hierarchyCode", "lastChangeDateTime"}};
const spec subject_spec{"CFSubject",
                        {{"identifier", t::uuid},
                         {"uri", t::text},
                         {"title", t::text},
                         {"hierarchyCode", t::text},
                         {"description", t::text},
                         {"lastChangeDateTime", t::date_time},
                         {"extensions", t::ext}},
                        {"identifier", "uri", "title", "hierarchyCode", "lastChangeDateTime"}};
const spec license_spec{"CFLicense",
                        {{"identifier", t::uuid},
                         {"uri", t::text},
                         {"title", t::text},
                         {"description", t::text},
                         {"licenseText", t::text},
                         {"lastChangeDateTime", t::date_time},
                         {"extensions", t::ext}},
                        {"identifier", "uri", "title", "licenseText", "lastChangeDateTime"}};
const spec item_type_spec{
    "CFItemType",
    {{"identifier", t::uuid},
     {"uri", t::text},
     {"title", t::text},
     {"description", t::text},
     {"hierarchyCode", t::text},
     {"typeCode", t::text},
     {"lastChangeDateTime", t::date_time},
     {"extensions", t::ext}},
    {"identifier", "uri", "title", "description", "hierarchyCode", "lastChangeDateTime"}};
const spec grouping_spec{"CFAssociationGrouping",
                         {{"identifier", t::uuid},
                          {"uri", t::text},
                          {"title", t::text},
                          {"description", t::text},
                          {"lastChangeDateTime", t::date_time},
                          {"extensions", t::ext}},
                         {"identifier", "uri", "title", "lastChangeDateTime"}};
const spec definitions{"CFDefinitions",
                       {{"CFConcepts", t::nested},
                        {"CFSubjects", t::nested},
                        {"CFLicenses", t::nested},
                        {"CFItemTypes", t::nested},
                        {"CFAssociationGroupings", t::nested},
                        {"extensions", t::ext}},
                       {}};
const spec rubric{"CFRubric",
                  {{"identifier", t::uuid},
                   {"uri", t::text},
                   {"title", t::text},
                   {"description", t::text},
                   {"lastChangeDateTime", t::date_time},
                   {"CFRubricCriteria", t::nested},
                   {"extensions", t::ext}},
                  {"identifier", "uri", "lastChangeDateTime"}};
const spec criterion{"CFRubricCriterion",
                     {{"identifier", t::uuid},
                      {"uri", t::text},
                      {"category", t::text},
                      {"description", t::text},
                      {"CFItemURI", t::link},
                      {"weight", t::number},
                      {"position", t::integer},
                      {"rubricId", t::uuid},
                      {"lastChangeDateTime", t::date_time},
                      {"CFRubricCriterionLevels", t::nested},
                      {"extensions", t::ext}},
                     {"identifier", "uri", "lastChangeDateTime"}};
const spec level{"CFRubricCriterionLevel",
                 {{"identifier", t::uuid},
                  {"uri", t::text},
                  {"description", t::text},
                  {"quality", t::text},
                  {"score", t::number},
                  {"feedback", t::text},
                  {"position", t::integer},
                  {"rubricCriterionId", t::uuid},
                  {"lastChangeDateTime", t::date_time},
                  {"extensions", t::ext_list}},
                 {"identifier", "uri", "lastChangeDateTime"}};
const spec package{"CFPackage",
                   {{"CFDocument", t::nested},
                    {"CFItems", t::nested},
                    {"CFAssociations", t::nested},
                    {"CFDefinitions", t::nested},
                    {"CFRubrics", t::nested},
                    {"extensions", t::ext}},
                   {"CFDocument"}};

bool is_uuid(const std::string& s) {
  if (s.size() != 36) return false;
  for (std::size_t i = 0; i < 36; ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? s[i] != '-' : !std::isxdigit(static_cast<unsigned char>(s[i]))) return false;
  }
  return true;
}

// RFC 3339 full-date and date-time (section 5.6), the forms the schema's formats name, with the
// same rules as the tests' checker (tests/python/case_schema.py): a real calendar day, hours
// 00-23, minutes 00-59, seconds 00-59 or a leap second 60 at 23:59 UTC (RFC 3339 5.7), the
// offset required. Written out rather than as a regex: a regex match costs microseconds, and a
// package has a timestamp per node.

namespace {

// The digits s[at, at + width) as a number, or -1 if one is not a digit.
int digits(std::string_view s, std::size_t at, std::size_t width) {
  int v = 0;
  for (std::size_t d = at; d < at + width; ++d) {
    if (s[d] < '0' || s[d] > '9') return -1;
    v = v * 10 + (s[d] - '0');
  }
  return v;
}

// "YYYY-MM-DD" at the start of s, a day that exists (Gregorian, leap years included).
bool full_date(std::string_view s) {
  if (s.size() < 10 || s[4] != '-' || s[7] != '-') return false;
  const int year = digits(s, 0, 4), month = digits(s, 5, 2), day = digits(s, 8, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1) return false;
  static constexpr int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return day <= days[month - 1] + (month == 2 && leap ? 1 : 0);
}

}  // namespace

bool is_date(std::string_view s) { return s.size() == 10 && full_date(s); }

bool is_date_time(std::string_view s) {
  if (s.size() < 20 || !full_date(s) || (s[10] != 'T' && s[10] != 't') || s[13] != ':' ||
      s[16] != ':')
    return false;
  const int hour = digits(s, 11, 2), minute = digits(s, 14, 2), second = digits(s, 17, 2);
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60) return false;
  std::size_t at = 19;
  if (at < s.size() && s[at] == '.') {  // fraction: one digit or more
    const std::size_t first = ++at;
    while (at < s.size() && s[at] >= '0' && s[at] <= '9') ++at;
    if (at == first) return false;
  }
  int offset = 0;  // minutes east of UTC
  if (s.size() == at + 1 && (s[at] == 'Z' || s[at] == 'z')) {
    offset = 0;
  } else if (s.size() == at + 6 && (s[at] == '+' || s[at] == '-') && s[at + 3] == ':') {
    const int oh = digits(s, at + 1, 2), om = digits(s, at + 4, 2);
    if (oh < 0 || oh > 23 || om < 0 || om > 59) return false;
    offset = (oh * 60 + om) * (s[at] == '+' ? 1 : -1);
  } else {
    return false;
  }
  if (second == 60)  // a leap second is inserted at the end of a UTC day
    return ((hour * 60 + minute - offset) % 1440 + 1440) % 1440 == 23 * 60 + 59;
  return true;
}

bool is_plain_utc_date_time(std::string_view s) {
  return s.size() == 20 && s[10] == 'T' && s[19] == 'Z' && is_date_time(s);
}

// The CASE 1.1 association types (CFAssociationTypeExtEnum); others must be "ext:" types.
bool known_association_type(const std::string& type) {
  static const std::set<std::string> known{
      "isChildOf",   "isPeerOf",   "isPartOf", "exactMatchOf",  "precedes",
      "isRelatedTo", "replacedBy", "exemplar", "hasSkillLevel", "isTranslationOf"};
  if (known.count(type) != 0) return true;
  if (type.size() <= 4 || type.compare(0, 4, "ext:") != 0) return false;
  for (std::size_t i = 4; i < type.size(); ++i) {
    const char c = type[i];
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_') return false;
  }
  return true;
}

}  // namespace masterymap::io::detail::case_schema
