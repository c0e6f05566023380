"""A SelectionList whose boxes say what is chosen: ✓ or empty, not a coloured X either way
(information never by colour alone)."""

from __future__ import annotations

from rich.segment import Segment
from textual.strip import Strip
from textual.widgets import SelectionList
from textual.widgets.option_list import OptionDoesNotExist

CHOSEN, NOT_CHOSEN = "✓", " "


class CheckList(SelectionList[str]):

    def render_line(self, y: int) -> Strip:
        line = super().render_line(y)
        try:
            selection = self.get_option_at_index(self.scroll_offset.y + y)
        except OptionDoesNotExist:
            return line
        segments = list(line)
        if len(segments) < 2:
            return line
        inner = segments[1]  # left edge, the box, right edge, then the prompt
        segments[1] = Segment(CHOSEN if selection.value in self._selected else NOT_CHOSEN, inner.style)
        return Strip(segments, line.cell_length)
