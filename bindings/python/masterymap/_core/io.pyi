"""Stubs of masterymap._core.io: the C++ file readers."""
import os
from typing import Optional, Sequence, Union

from typing import Any

from . import Framework, LearnerState, Roster, Scale

def read_framework_csv(edges: Union[str, "os.PathLike[str]"], competencies: Union[str, "os.PathLike[str]", None] = None, *, name: str = "",
                       prerequisite_column: str = "prerequisite",
                       dependent_column: str = "dependent",
                       strength_column: Optional[str] = None,
                       strength_values: dict[str, str] = ..., default_strength: str = "required",
                       id_column: str = "id", title_column: str = "title",
                       description_column: str = "description", domain_column: str = "domain",
                       level_column: str = "level", level_values: dict[str, int] = ...,
                       metadata_columns: Sequence[str] = (), add_missing: bool = False,
                       drop_cycle_edges: bool = False,
                       drop_duplicate_edges: bool = False,
                       encoding: str = "utf-8") -> Framework: ...

def parse_case(text: Union[str, bytes], *, id: str = "humanCodingScheme", precedes_strength: str = "recommended",
               domain_item_type: str = "Domain", education_levels: dict[str, int] = ...,
               drop_cycle_edges: bool = False,
               drop_duplicate_edges: bool = False) -> tuple[Framework, list[str]]: ...
def read_case_file(path: Union[str, "os.PathLike[str]"], *, id: str = "humanCodingScheme",
                   precedes_strength: str = "recommended", domain_item_type: str = "Domain",
                   education_levels: dict[str, int] = ..., drop_cycle_edges: bool = False,
                   drop_duplicate_edges: bool = False) -> tuple[Framework, list[str]]: ...
def write_case(framework: Framework, path: Union[str, "os.PathLike[str]", None] = None, *,
               strict: bool = False, base_uri: str = "urn:masterymap:case:",
               last_change_date_time: str = "",
               creator: str = "masterymap") -> tuple[str, list[str]]: ...
def case_rubric_scales(framework: Framework, mastery_fraction: float = 0.5) -> dict[str, Scale]: ...
def achievement_credentials(state: LearnerState, *, issuer: str, issuer_name: str = "",
                            identity: str = "", identity_type: str = "identifier",
                            salt: str = "", valid_from: str = "", achievement_base: str = "",
                            include_exempt: bool = True) -> list[str]: ...
def clr(state: LearnerState, *, issuer: str, issuer_name: str = "", identity: str = "",
        identity_type: str = "identifier", salt: str = "", valid_from: str = "",
        achievement_base: str = "", include_exempt: bool = True,
        name: str = "Comprehensive Learner Record") -> str: ...
def read_record(roster: Roster, text: str, *, old_edition: Optional[Framework] = None,
                intermediate: Sequence[Framework] = ..., split: str = "copy",
                allow_other_policy: bool = False, strict: bool = True) -> dict[str, Any]: ...

from ._xapi import default_verb_kinds as default_verb_kinds
from ._xapi import parse_rfc3339 as parse_rfc3339
from ._xapi import parse_xapi as parse_xapi
from ._xapi import validate_xapi_statement as validate_xapi_statement

def have_graphviz() -> bool: ...
def render_svg(dot: str, layout: str = "dot") -> str: ...
