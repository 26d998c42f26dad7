"""Shared fixtures for the Python tests."""
import os
import pathlib

import pytest

try:
    import masterymap  # noqa: F401
except ImportError as exc:  # pragma: no cover - a setup problem, not a test failure
    raise ImportError(
        "masterymap is not importable: build the project and run via ctest, "
        "or set PYTHONPATH=<build>/python"
    ) from exc

ROOT = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def shared_data() -> pathlib.Path:
    """The research data sets next to the repository (../shared/data)."""
    path = pathlib.Path(os.environ.get("MASTERYMAP_SHARED_DATA", ROOT.parent / "shared" / "data"))
    if not path.is_dir():
        pytest.skip(f"{path} is absent")
    return path


@pytest.fixture(scope="session")
def example_data() -> pathlib.Path:
    """The data bundled with the project (examples/data)."""
    return pathlib.Path(os.environ.get("MASTERYMAP_EXAMPLE_DATA", ROOT / "examples" / "data"))


@pytest.fixture(scope="module")
def fw():
    """Two competencies, B requiring A: the framework of the batch and boundary tests (a module
    with its own ``fw`` fixture uses that instead)."""
    import masterymap as mm

    b = mm.FrameworkBuilder()
    for c in ("A", "B"):
        b.add_competency(c)
    b.add_prerequisite("B", prerequisite="A")
    return b.build()
