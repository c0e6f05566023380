"""A grid of ratings typed cell by cell with the keyboard: rows (pupils, or statements), columns
(items, each with its allowed whole numbers), one digit per cell.

Keys: a digit stores it in the cell under the cursor (and the cursor stays, so that digit then
Enter moves on, as in a spreadsheet); Enter and Tab go to the next cell (row by row),
Shift+Tab to the previous one; the arrows move; Backspace and Delete clear a cell. In a 1-10
column the key 0 types 10, so "1 then 0" also ends on 10 (1 is stored, then replaced by 10).
A digit outside the column's range (0 or 6 in a 1-5 column) is refused with a message and
nothing is stored. The meaning of the current column's scale is always on screen.

Every accepted value goes through `store` (which raises StorageError when it is not on disk)
BEFORE the cell shows it: what the teacher sees is what is stored. The grid is a column of
one Static per row, re-drawn only where something changed, so a class of 30 stays quick.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Static

from storage.errors import StorageError

from .texts import text

Value = int | None
Store = Callable[[str, str, Value], None]  # (row key, column key, value or None to clear)

CURSOR = "reverse bold"
GAP = "   "  # between the parts of a legend
TALL = 30  # rows from which the legend also shows the column's full question
EMPTY = "·"


@dataclass(frozen=True)
class Column:
    key: str  # an item id
    title: str  # short, in the header
    values: range  # the whole numbers the item takes
    legend: tuple[str, ...]  # the meaning of the scale, in parts never split over two lines ("1 = laag")
    question: str = ""  # the full question, shown above the legend while the column is current (tall terminals)

    @property
    def zero_is_ten(self) -> bool:
        return self.values.stop - 1 == 10


@dataclass(frozen=True)
class Row:
    key: str  # a pupil code or an item id
    label: str  # a first name or a statement


def pack(parts: tuple[str, ...] | list[str], width: int) -> list[str]:
    """`parts` joined into lines of at most `width` (where a part fits), never splitting a part."""
    lines: list[str] = []
    line = ""
    for part in parts:
        if line and len(line) + len(GAP) + len(part) > width:
            lines.append(line)
            line = part
        else:
            line = f"{line}{GAP}{part}" if line else part
    return [*lines, line]


class Line(Widget):
    """One line of fixed height: new content re-paints it without a new layout of the screen
    (Static.update lays out again: with a grid of 30 rows that doubled the cost of a key)."""

    def __init__(self, classes: str) -> None:
        super().__init__(classes=classes)
        self.line = Text()

    def show(self, line: Text | str) -> None:
        self.line = Text(line) if isinstance(line, str) else line
        self.refresh()

    def render(self) -> Text:
        return self.line


class GridRow(Line):
    """One row of the grid. A click puts the cursor on the cell clicked."""

    def __init__(self, index: int) -> None:
        super().__init__(classes="grid-row")
        self.index = index

    def on_click(self, event: events.Click) -> None:
        self.query_ancestor(RatingGrid).click(self.index, event.x)


class GridBody(VerticalScroll):
    """The rows; when its height is known (after the legend found its own), the cursor's row is centred."""

    def on_resize(self) -> None:
        grid = self.query_ancestor(RatingGrid)
        if grid.centre_pending:
            grid.scroll_to_cursor(center=True)


class RatingGrid(Vertical, can_focus=True):
    """The grid. `values` maps (row key, column key) to what is stored; `cursor` (row, column) to start."""

    DEFAULT_CSS = """
    RatingGrid { height: 1fr; }
    RatingGrid > .grid-legend { height: auto; padding: 0 1; border: round $primary; }
    RatingGrid > .grid-message { height: 1; padding: 0 1; }
    RatingGrid > .grid-message.-problem { text-style: bold; color: $text-error; }
    RatingGrid > .grid-header { height: 1; text-style: bold; padding: 0 1; }
    RatingGrid > GridBody { height: 1fr; padding: 0 0 0 1; scrollbar-size-vertical: 1; }
    RatingGrid .grid-row { height: 1; }
    RatingGrid > .grid-keys { height: auto; color: $text-muted; padding: 0 1; }
    """

    BINDINGS = [
        *(Binding(str(n), f"digit({n})", show=False) for n in range(10)),
        Binding("up", "move(-1, 0)", show=False),
        Binding("down", "move(1, 0)", show=False),
        Binding("left", "move(0, -1)", show=False),
        Binding("right", "move(0, 1)", show=False),
        Binding("enter,tab", "step(1)", show=False),
        Binding("shift+tab", "step(-1)", show=False),
        Binding("backspace,delete", "clear", show=False),
    ]

    class Stored(Message):
        """A value (None: cleared) is on disk and on screen."""

        def __init__(self, row: str, column: str, value: Value) -> None:
            super().__init__()
            self.row = row
            self.column = column
            self.value = value

    class PastEnd(Message):
        """Enter or Tab on the last cell: the page is done."""

    def __init__(
        self,
        rows: list[Row],
        columns: list[Column],
        values: dict[tuple[str, str], Value],
        store: Store,
        language: str,
        *,
        row_header: str,
        cursor: tuple[int, int] = (0, 0),
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.rows = rows
        self.columns = columns
        self.values = dict(values)
        self.store = store
        self.language = language
        self.row_header = row_header
        self.row, self.column = cursor
        self.widths = [max(len(column.title) + 2, 7) for column in columns]
        self.label_width = 12
        self.message = ""
        self.centre_pending = False
        self.row_widgets = [GridRow(n) for n in range(len(rows))]

    def compose(self) -> ComposeResult:
        yield Line(classes="grid-legend")
        yield Line(classes="grid-message")
        yield Static(classes="grid-header", markup=False)
        with GridBody(can_focus=False):
            yield from self.row_widgets
        yield Line(classes="grid-keys")

    def on_mount(self) -> None:
        self.draw_all()

    def on_resize(self) -> None:
        self.draw_all()

    # -- drawing -----------------------------------------------------------------------
    def draw_all(self) -> None:
        self.fit_legend()
        self.draw_keys()
        longest = max([len(self.row_header), *(len(row.label) for row in self.rows)])
        room = self.size.width - 2 - sum(self.widths)  # the body's padding and scrollbar, the cells
        self.label_width = max(8, min(longest + 3, room))
        header = Text(self.fit("  " + self.row_header).ljust(self.label_width))
        for width, column in zip(self.widths, self.columns):
            header.append(column.title.center(width))
        self.query_one(".grid-header", Static).update(header)
        for index in range(len(self.rows)):
            self.draw_row(index)
        self.draw_legend()
        self.centre_pending = True  # until the body has its height (GridBody.on_resize) or the cursor moves
        self.scroll_to_cursor(center=True)

    def fit(self, label: str) -> str:
        width = self.label_width
        return label if len(label) <= width else label[: width - 1] + "…"

    def draw_row(self, index: int) -> None:
        row = self.rows[index]
        here = index == self.row
        line = Text()
        line.append(self.fit(("▶ " if here else "  ") + row.label).ljust(self.label_width), style="bold" if here else "")
        for number, (width, column) in enumerate(zip(self.widths, self.columns)):
            value = self.values.get((row.key, column.key))
            shown = EMPTY if value is None else str(value)
            if here and number == self.column:
                line.append(f"▶ {shown} ◀".center(width), style=CURSOR)
            else:
                line.append(shown.center(width))
        self.row_widgets[index].show(line)

    def legend_width(self) -> int:
        return max(10, self.size.width - 4)  # inside its border and padding

    def draw_keys(self) -> None:
        """The keys, each "key = what" whole on a line."""
        lines = pack(text(self.language, "keys_grid").split(GAP), max(10, self.size.width - 2))
        keys = self.query_one(".grid-keys", Line)
        keys.styles.height = len(lines)
        keys.show("\n".join(lines))

    def legend_of(self, column: Column) -> str:
        """The column's name (and question, where there is room), then its scale: the parts of
        the scale filled into lines so that "5 = hoogste 20%" is never split."""
        width = self.legend_width()
        lines = []
        if column.question and self.app.size.height >= TALL:
            lines.append(f"{column.title}: {column.question}")
        elif len(self.columns) > 1:
            lines.append(f"{column.title}:")
        return "\n".join([*lines, *pack(column.legend, width)])

    def draw_legend(self) -> None:
        self.query_one(".grid-legend", Line).show(self.legend_of(self.columns[self.column]))

    def fit_legend(self) -> None:
        """The legend's box as high as the longest legend needs at this width: moving between
        columns then never lays the screen out again."""
        legend = self.query_one(".grid-legend", Line)
        width = self.legend_width()
        console = self.app.console
        lines = max(len(Text(self.legend_of(column)).wrap(console, width)) for column in self.columns)
        if legend.styles.height is None or legend.styles.height.value != lines + 2:
            legend.styles.height = lines + 2

    def say(self, message: str, problem: bool = False) -> None:
        if message == self.message:
            return
        self.message = message
        line = self.query_one(".grid-message", Line)
        line.set_class(problem, "-problem")
        line.show(message)

    def scroll_to_cursor(self, center: bool = False) -> None:
        """The cursor's row in view: centred when a page opens (the rows above it give context),
        else with as little scrolling as possible."""
        if self.rows:
            body = self.query_one(GridBody)
            if center:  # rows are one line high: row n is at y = n
                body.scroll_to(y=max(0, self.row - body.size.height // 2), animate=False, immediate=True)
            else:
                body.scroll_to_widget(self.row_widgets[self.row], animate=False)

    def reset(self, values: dict[tuple[str, str], Value], cursor: tuple[int, int] = (0, 0)) -> None:
        """New values in the same rows and columns (the next pupil's page): re-drawn in place,
        quicker than a new grid."""
        self.values = dict(values)
        self.row, self.column = cursor
        self.say("")
        for index in range(len(self.rows)):
            self.draw_row(index)
        self.draw_legend()
        self.scroll_to_cursor(center=True)

    # -- moving ------------------------------------------------------------------------
    @property
    def cursor(self) -> tuple[int, int]:
        return self.row, self.column

    def move_to(self, row: int, column: int) -> None:
        if not self.rows:  # a class without pupils: nothing to move to
            return
        row = max(0, min(row, len(self.rows) - 1))
        column = max(0, min(column, len(self.columns) - 1))
        old_row, old_column = self.row, self.column
        self.row, self.column = row, column
        self.draw_row(old_row)
        if row != old_row:
            self.draw_row(row)
        if column != old_column:
            self.draw_legend()
        self.say("")
        self.centre_pending = False
        self.scroll_to_cursor()

    def action_move(self, rows: int, columns: int) -> None:
        self.move_to(self.row + rows, self.column + columns)

    def action_step(self, steps: int) -> None:
        """Next or previous cell, row by row; past the last cell the page is done."""
        if not self.rows:
            self.post_message(self.PastEnd())
            return
        position = self.row * len(self.columns) + self.column + steps
        if position >= len(self.rows) * len(self.columns):
            self.post_message(self.PastEnd())
            return
        position = max(position, 0)
        self.move_to(*divmod(position, len(self.columns)))

    def click(self, index: int, x: int) -> None:
        """A click at `x` in row `index`: the cursor to the cell under it (the name: the row's first)."""
        left = self.label_width
        column = 0
        for number, width in enumerate(self.widths):
            if left <= x < left + width:
                column = number
            left += width
        self.focus()
        self.move_to(index, column)

    # -- typing ------------------------------------------------------------------------
    def action_digit(self, digit: int) -> None:
        column = self.columns[self.column]
        value = 10 if digit == 0 and column.zero_is_ten else digit
        if value not in column.values:
            low, high = column.values.start, column.values.stop - 1
            self.say(text(self.language, "refused", digit=digit, low=low, high=high), problem=True)
            return
        self.put(value)

    def action_clear(self) -> None:
        self.put(None)

    def put(self, value: Value) -> None:
        """Store `value` in the cell under the cursor, then show it; a failed store shows nothing new."""
        if not self.rows:
            return
        row, column = self.rows[self.row], self.columns[self.column]
        cell = (row.key, column.key)
        if value is None and self.values.get(cell) is None:
            self.say("")
            return
        try:
            self.store(row.key, column.key, value)
        except (StorageError, ValueError):
            self.say(text(self.language, "save_failed"), problem=True)
            return
        self.values[cell] = value
        self.draw_row(self.row)
        self.say(text(self.language, "saved" if value is not None else "cleared"))
        self.post_message(self.Stored(row.key, column.key, value))
