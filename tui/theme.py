"""The high-contrast theme of the pupil app: pure black, white text, yellow where the focus is.

klaspeil.tcss uses only theme variables ($background, $foreground, $primary, ...), so switching
the theme recolours every screen; the few rules that only this theme needs (white outlines
around the answer buttons) are under `.-theme-klaspeil-high-contrast` there, the class Textual
gives the app while a theme is active.
"""

from __future__ import annotations

from textual.theme import Theme

HIGH_CONTRAST = Theme(
    name="klaspeil-high-contrast",
    primary="#FFFFFF",
    secondary="#FFFFFF",
    accent="#FFFF00",
    warning="#FFFF00",
    error="#FF9090",
    success="#00FF00",
    foreground="#FFFFFF",
    background="#000000",
    surface="#000000",
    panel="#000000",
    boost="#000000",
    dark=True,
    variables={
        # what a child reads is pure white, never a grey "muted" shade ($text stays "auto": black on yellow)
        "text-muted": "#FFFFFF",
        "text-primary": "#FFFFFF",
        "text-warning": "#FFFF00",
        "text-error": "#FF9090",
        "text-success": "#00FF00",
        # focus: yellow
        "border": "#FFFF00",
        "border-blurred": "#FFFFFF",
        "input-cursor-background": "#FFFF00",
        "input-cursor-foreground": "#000000",
        "button-focus-text-style": "bold reverse",
        # the chosen answer: yellow with black text (and its markers ▶ ◀)
        "accent": "#FFFF00",  # the shades are computed: 254 instead of 255 without this
        "accent-darken-1": "#FFFF00",
        "accent-lighten-1": "#FFFF00",
        "block-cursor-background": "#FFFF00",
        "block-cursor-foreground": "#000000",
        "footer-key-foreground": "#FFFF00",
    },
)
