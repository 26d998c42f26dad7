"""pytest fixtures of :mod:`masterymap.testing`, for downstream test suites.

Enable them in a ``conftest.py`` (or a test module)::

    pytest_plugins = ["masterymap.pytest_plugin"]

and ask for them by name: ``mm_chain`` (a 5-competency chain), ``mm_diamond``, ``mm_policy``
(four-point scale, latest score), ``mm_small_log`` (an EvidenceLog over ``mm_chain``) and
``mm_simulated`` (``(evidence, truth)`` of 200 learners on ``mm_chain``, seed 0). Each test gets
fresh objects. Importing this module imports pytest.
"""
from typing import Tuple

import pandas as pd
import pytest

from . import testing as _testing
from ._core import EvidenceLog, Framework, Policy

__all__: list = []


@pytest.fixture(name="mm_chain")
def _mm_chain() -> Framework:
    return _testing.chain(5)


@pytest.fixture(name="mm_diamond")
def _mm_diamond() -> Framework:
    return _testing.diamond()


@pytest.fixture(name="mm_policy")
def _mm_policy() -> Policy:
    return _testing.policy()


@pytest.fixture(name="mm_small_log")
def _mm_small_log() -> EvidenceLog:
    return _testing.small_log()


@pytest.fixture(name="mm_simulated")
def _mm_simulated(mm_chain: Framework, mm_policy: Policy) -> Tuple[pd.DataFrame, pd.DataFrame]:
    return _testing.simulate(mm_chain, mm_policy, 200, seed=0)
