"""The semantic palette: no colour in two roles, and colours that must be told apart stay apart for
colour-blind readers (simulated with colorspacious at full severity, compared in CAM02-UCS)."""

import itertools

import numpy as np
import pytest
from colorspacious import cspace_convert

from relations.charts.palette import DISTINGUISHED_GROUPS, every_role

MIN_DELTA_E = 10.0  # CAM02-UCS; ~1 is a just-noticeable difference, 10 reads as a different category
VISION = (None, "deuteranomaly", "protanomaly", "tritanomaly")


def seen_as(colour: str, vision: str | None) -> np.ndarray:
    rgb = np.array([int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)])
    if vision is not None:
        rgb = np.clip(
            cspace_convert(rgb, {"name": "sRGB1+CVD", "cvd_type": vision, "severity": 100}, "sRGB1"), 0, 1
        )
    return cspace_convert(rgb, "sRGB1", "CAM02-UCS")


def test_no_colour_has_two_roles():
    roles = every_role()
    colours = [c.lower() for c in roles.values()]
    assert len(colours) == len(set(colours)), {c for c in colours if colours.count(c) > 1}


@pytest.mark.parametrize("group", sorted(DISTINGUISHED_GROUPS))
def test_colours_shown_together_survive_colour_blindness(group):
    for a, b in itertools.combinations(DISTINGUISHED_GROUPS[group], 2):
        for vision in VISION:
            delta = float(np.linalg.norm(seen_as(a, vision) - seen_as(b, vision)))
            assert delta >= MIN_DELTA_E, (
                f"{group}: {a} vs {b} for {vision or 'normal vision'}: ΔE {delta:.1f}"
            )


def test_reported_is_the_most_salient_basis():
    from relations.charts.palette import BASIS

    lightness = {basis: seen_as(colour, None)[0] for basis, colour in BASIS.items()}
    assert lightness["reported"] == min(lightness.values())
