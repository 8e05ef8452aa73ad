"""Colours as WCAG 2.1 measures them: relative luminance, contrast ratio, and the accent's darker shade.

The accent colour of site.yml (``accent_colour``) is drawn as text and as a button's background on the
light backgrounds of the stylesheet; ``check`` refuses one with less than ``MIN_CONTRAST`` against any of
them. Which backgrounds those are is a fact of ``static/style.css`` itself: its ``:root`` variables named
in ``ACCENT_BACKGROUNDS``, read from it rather than written here again.
"""
from __future__ import annotations

import math
import re

from .theme import PACKAGE_THEME

HEX_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")  # the only form site.yml takes: #rrggbb, either case
MIN_CONTRAST = 4.5  # WCAG 2.1 success criterion 1.4.3 (AA), for text of any size
DARKER = 0.65  # each channel of the accent times this: #0b4f8a gives #073359, near the stylesheet's own #073459

# The stylesheet's variables of the light backgrounds that links and buttons of the accent colour are drawn on,
# and how a message names each.
ACCENT_BACKGROUNDS = {"--background": "the page's background", "--tint": "the tint of the footer and boxes"}
STYLESHEET = PACKAGE_THEME.static / "style.css"

_ROOT_RULE = re.compile(r":root\s*\{([^}]*)\}")
_CUSTOM_PROPERTY = re.compile(r"(--[A-Za-z0-9_-]+)\s*:\s*([^;]+?)\s*(?:;|$)")


def channels(colour: str) -> tuple[int, int, int]:
    """``#rrggbb`` → its red, green and blue, 0 to 255."""
    if not HEX_COLOUR.fullmatch(colour):
        raise ValueError(f"{colour!r} is not a colour written #rrggbb")
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def _linear(channel: int) -> float:
    value = channel / 255
    return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4


def relative_luminance(colour: str) -> float:
    """WCAG 2.1's relative luminance of ``colour``: 0 for black, 1 for white."""
    red, green, blue = (_linear(channel) for channel in channels(colour))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(first: str, second: str) -> float:
    """WCAG 2.1's contrast ratio of two colours, from 1 (the same) to 21 (black on white), in either order."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def ratio_text(ratio: float) -> str:
    """A ratio as a message shows it, ``4.49:1``: rounded down, so that one just below 4.5 never reads 4.50."""
    return f"{math.floor(ratio * 100) / 100:.2f}:1"


def accent_dark(colour: str) -> str:
    """The darker shade of the accent, the header's background under white text and links' colour on hover:
    darker in every channel, so that its contrast with white (and with any light background) only grows."""
    return "#" + "".join(f"{int(channel * DARKER):02x}" for channel in channels(colour))


def custom_properties(stylesheet: str) -> dict[str, str]:
    """The custom properties that a stylesheet's ``:root`` rules set, ``{"--tint": "#f1f4f8", …}``."""
    text = re.sub(r"/\*.*?\*/", "", stylesheet, flags=re.DOTALL)
    found = {}
    for rule in _ROOT_RULE.finditer(text):
        found.update(_CUSTOM_PROPERTY.findall(rule[1]))
    return found


def accent_backgrounds(stylesheet: str) -> dict[str, str]:
    """What each background of ``ACCENT_BACKGROUNDS`` is called → its colour, as the text of ``stylesheet``
    sets it."""
    variables = custom_properties(stylesheet)
    backgrounds = {}
    for variable, name in ACCENT_BACKGROUNDS.items():
        value = variables.get(variable, "").lower()
        if not HEX_COLOUR.fullmatch(value):
            raise ValueError(f"the stylesheet's :root sets {variable} to {value!r}, not a colour written #rrggbb")
        backgrounds[name] = value
    return backgrounds
