"""Scales: built-ins, lookup, raw fractions, validation."""
import numpy as np
import pytest

import masterymap as mm


def test_four_point():
    s = mm.Scale.four_point()
    assert s.labels == ["Beginning", "Developing", "Proficient", "Advanced"]
    assert s.mastery == "Proficient" and s.mastery_value == 3
    assert s.exceeds == "Advanced"
    assert s.label_of(3.4) == "Proficient"
    assert s.label_of(0.5) is None
    assert s.value_of("Developing") == 2
    assert s.score_range == (0.0, 4.0)
    assert s.from_fraction(0.8) == 3
    np.testing.assert_array_equal(s.from_fraction(np.array([0.1, 0.6, 0.95])), [1, 2, 4])
    with pytest.raises(ValueError):
        s.from_fraction(1.5)


def test_percent_and_others():
    p = mm.Scale.percent(80)
    assert p.continuous and p.mastery_value == pytest.approx(0.8)
    assert p.reaches_mastery(0.85) and not p.reaches_mastery(0.79)
    assert p.score_range == (0.0, 1.0)
    assert mm.Scale.competent_scale().mastery == "Competent"
    assert mm.Scale.letter().label_of(3.5) == "B"


def test_custom_scale_and_validation():
    s = mm.Scale([("Attempted", 0.0), ("Familiar", 0.7), ("Proficient", 1.0)], mastery="Proficient")
    assert s.label_of(0.75) == "Familiar" and s.exceeds is None
    with pytest.raises(mm.PolicyError) as e:
        mm.Scale([("A", 1), ("A", 1)], mastery="Z")
    assert any("scale.ratings[1].label: duplicate label 'A'" in p for p in e.value.problems)
    assert any("scale.mastery" in p for p in e.value.problems)
