"""The one semantic palette: every colour has one role, and the colours a reader must tell apart
within a role stay apart under deuteranopia, protanopia and tritanopia (tests/test_palette.py)."""

INK = "#222222"  # text and arrows
MUTED = "#5f5f5f"  # secondary text, milestone rules: 6.4:1 on white
WHITE = "#ffffff"

# Basis of a number: reported marks are the darkest and most saturated, so they read first.
BASIS = {
    "reported": "#0072B2",
    "derived": "#a6cee3",
    "editorial": "#CC79A7",
}

# The relations map, ties layer. Partnership rungs are ordered: darker is closer.
TIER_RUNGS = ("#0b3d91", "#4f8fd0", "#9fdcf5")
TIES = {
    "union or alliance": "#228833",
    "at war": "#AA3377",
    "tension": "#CCBB44",
    "other ties": "#EE6677",
}

# Map furniture shared by both layers: the focus country and countries with no recorded relation.
MAP = {
    "focus": "#4d4d4d",
    "no recorded relation": "#ececec",
}
SELECTION_STROKE = "#000000"  # dashed outline; black is no category's colour
SELECTION_DASH = [5, 3]

# The sanctions layer: a sanctioned country is coloured by how many parties sanction it.
SANCTIONED_BY_COUNT = ("#fcbba1", "#fb6a4a", "#a50f15")  # 1, 2, 3 or more parties
SANCTIONER = "#8fb3de"  # a country that imposes sanctions on the focus or is sanctioned alongside it

# Dates: a dot for an exact day, a bar for a month the source gives without a day.
PRECISION = {
    "exact day": "#332288",
    "month only": "#88CCEE",
}

# Rail corridors (schematic) and the country they are about.
CORRIDOR = {
    "via Belarus": "#0f4c3a",
    "avoiding Belarus": "#E69F00",
}
HIGHLIGHT = "#F0E442"  # Belarus on the corridor maps

# Groups whose members appear together on one chart, so each pair must stay distinguishable.
DISTINGUISHED_GROUPS: dict[str, list[str]] = {
    "basis": list(BASIS.values()),
    "ties map": [*TIER_RUNGS, *TIES.values(), *MAP.values()],
    "sanctions map": [*SANCTIONED_BY_COUNT, SANCTIONER, *MAP.values()],
    "date precision": list(PRECISION.values()),
    "corridors": [*CORRIDOR.values(), HIGHLIGHT, BASIS["editorial"]],
}


def every_role() -> dict[str, str]:
    """role name -> colour, for the test that no colour has two roles."""
    roles = {f"basis: {k}": v for k, v in BASIS.items()}
    roles |= {f"tier rung {i + 1}": v for i, v in enumerate(TIER_RUNGS)}
    roles |= {f"tie: {k}": v for k, v in TIES.items()}
    roles |= {f"map: {k}": v for k, v in MAP.items()}
    roles |= {"map: selection outline": SELECTION_STROKE, "sanctioner": SANCTIONER}
    roles |= {f"sanctioned by {i + 1}": v for i, v in enumerate(SANCTIONED_BY_COUNT)}
    roles |= {f"precision: {k}": v for k, v in PRECISION.items()}
    roles |= {f"corridor: {k}": v for k, v in CORRIDOR.items()}
    roles |= {"highlight: Belarus": HIGHLIGHT, "text": INK, "muted text": MUTED}
    return roles
