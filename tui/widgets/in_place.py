"""Change a text on screen without arranging the whole screen again when its box keeps its size.

Textual's `Static.update` asks for a layout by default, and any layout re-arranges every widget
on the screen: on the item screen that was half of an Enter's cost (docs/benchmarks.md, "Key
press to the next item on screen"). A box whose width does not follow its text keeps its size
as long as the new text wraps to as many lines (or both fit in its min-height), so only then
is the layout skipped; a sentence that needs another line still gets one.
"""

from __future__ import annotations

from textual.widgets import Static


def update_in_place(widget: Static, content: str) -> None:
    """Show `content` in `widget`; a layout only when the widget's height can change."""
    if widget.content == content:
        return  # nothing to draw either
    styles = widget.styles
    width = widget.size.width
    if width <= 0 or not widget.display or styles.width is None or styles.width.is_auto:
        widget.update(content)  # not laid out yet, hidden, or as wide as its text: let Textual arrange it
        return
    if styles.height is not None and not styles.height.is_auto:
        widget.update(content, layout=False)  # a height set in CSS does not follow the text
        return
    before = box_height(widget, width)
    widget.update(content, layout=False)
    if box_height(widget, width) != before:
        widget.refresh(layout=True)


def box_height(widget: Static, width: int) -> int:
    """The height the layout gives `widget`'s text at `width` cells: its lines, the padding and
    border, at least its min-height where that is in cells of the whole box (else the lines decide)."""
    styles = widget.styles
    height = widget.visual.get_height(styles, width) + styles.gutter.height
    min_height = styles.min_height
    if min_height is not None and min_height.is_cells and styles.box_sizing == "border-box":
        height = max(height, int(min_height.value))
    return height
