"""Stubs of the compiled module masterymap._core: the bound C++ types and functions.

The public package re-exports these types unchanged (one module per concept); see
``masterymap/__init__.py``. The stubs are split by concept into stub-only modules
(``_framework.pyi``, ``_engine.pyi`` ...; the stems of bindings/python/bind_*.cpp): at run time
every name lives in masterymap._core itself, so this file re-exports each one explicitly
(``from ._x import Name as Name``), private run-time names included; the type aliases
(``_Id``, ``_TimeLike`` ...) stay in their stub-only modules.
"""
from . import bkt as bkt
from . import io as io
from ._engine import STATUS_ORDER as STATUS_ORDER
from ._engine import STATUSES as STATUSES
from ._engine import Engine as Engine
from ._engine import Explanation as Explanation
from ._engine import LearnerState as LearnerState
from ._engine import ProbabilitySource as ProbabilitySource
from ._engine import is_earned as is_earned
from ._engine import is_met as is_met
from ._engine import status_text as status_text
from ._errors import CycleError as CycleError
from ._errors import Error as Error
from ._errors import FileError as FileError
from ._errors import MissingFileError as MissingFileError
from ._errors import ParseError as ParseError
from ._errors import PolicyError as PolicyError
from ._errors import UnknownIdError as UnknownIdError
from ._errors import ValidationError as ValidationError
from ._evidence import EvidenceError as EvidenceError
from ._evidence import EvidenceLog as EvidenceLog
from ._evidence import _IngestChecks as _IngestChecks
from ._evidence import set_column_cache_limit as set_column_cache_limit
from ._framework import Association as Association
from ._framework import Competency as Competency
from ._framework import Framework as Framework
from ._framework import FrameworkBuilder as FrameworkBuilder
from ._migrate import RevisionMap as RevisionMap
from ._migrate import migrate as migrate
from ._migrate import revisions as revisions
from ._pacing import PacePlan as PacePlan
from ._pacing import PaceReport as PaceReport
from ._pacing import _pacing as _pacing
from ._policy import Method as Method
from ._policy import Policy as Policy
from ._policy import Rollup as Rollup
from ._policy import Rule as Rule
from ._progression import Blocker as Blocker
from ._progression import DomainLevel as DomainLevel
from ._progression import Gap as Gap
from ._progression import LearningPath as LearningPath
from ._progression import Progression as Progression
from ._progression import Recommendation as Recommendation
from ._roster import Roster as Roster
from ._scale import Scale as Scale
from ._testing import _fixture_chain as _fixture_chain
from ._testing import _fixture_diamond as _fixture_diamond
from ._testing import _fixture_log as _fixture_log
from ._testing import _fixture_policy as _fixture_policy
from ._testing import _reference_uniforms as _reference_uniforms
from ._testing import _simulate as _simulate
from ._time import _nanos_to_seconds as _nanos_to_seconds
from ._time import _seconds_to_nanos as _seconds_to_nanos
from ._time import _to_seconds as _to_seconds

__version__: str
