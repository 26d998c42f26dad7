"""The exception hierarchy as Python sees it."""
import masterymap as mm


def test_hierarchy():
    assert issubclass(mm.Error, RuntimeError)
    assert issubclass(mm.ValidationError, mm.Error)
    assert issubclass(mm.CycleError, mm.ValidationError)
    for cls in (mm.UnknownIdError, mm.PolicyError, mm.ParseError):
        assert issubclass(cls, mm.Error)
    assert mm.__version__ == "0.1.0"
