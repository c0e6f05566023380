"""Several statements on one scale, for adults: a row per statement with the answer choices as
columns, and the meaning of the choices in a box above.

Keys: a digit answers the statement with the cursor (▶) and moves it to the next statement;
↑ and ↓ move between statements. A click on a choice answers that statement. An answer goes
through `store` (the screen saves it durably) BEFORE the row shows it; a refused or failed
store shows nothing new. The chosen answer is marked [4] as well as in reverse (not by colour
alone).
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Static

from instruments import ResponseScale

CELL = 4  # characters per answer choice: " 4  " or "[4] "
GAP = "   "  # between the parts of the legend


def pack(parts: list[str], width: int) -> str:
    """`parts` into lines of at most `width`, never splitting a part ("5 = helemaal mee eens")."""
    lines: list[str] = []
    for part in parts:
        if lines and len(lines[-1]) + len(GAP) + len(part) <= width:
            lines[-1] += GAP + part
        else:
            lines.append(part)
    return "\n".join(lines)


class Choices(Static):
    """The answer choices of one row; a click on one answers the row."""

    def on_click(self, event: events.Click) -> None:
        event.stop()
        row = self.query_ancestor(StatementRow)
        row.block.clicked(row.index, event.x // CELL)


class StatementRow(Horizontal):
    def __init__(self, block: StatementBlock, index: int, sentence: str) -> None:
        super().__init__(classes="statement-row")
        self.block = block
        self.index = index
        self.sentence = sentence

    def compose(self) -> ComposeResult:
        yield Static(classes="statement-marker", markup=False)
        yield Static(classes="statement-text", markup=False)
        yield Choices(classes="statement-choices", markup=False)

    def on_click(self) -> None:
        self.block.focus()
        self.block.move_to(self.index)

    def draw(self, here: bool, value: int | None, values: range) -> None:
        self.set_class(here, "-here")
        self.query_one(".statement-marker", Static).update("▶" if here else "")
        self.query_one(".statement-text", Static).update(self.sentence)
        choices = Text()
        for choice in values:
            if choice == value:
                choices.append(f"[{choice}]", style="reverse bold")
                choices.append(" " * (CELL - 3))
            else:
                choices.append(f" {choice} ".ljust(CELL))
        self.query_one(Choices).update(choices)


class StatementBlock(Vertical, can_focus=True):
    """`rows`: (item id, sentence) in the order shown; `given`: the stored answers by item id;
    `store(item_id, value)` saves an answer and says whether it is on disk."""

    DEFAULT_CSS = """
    StatementBlock { height: 1fr; }
    StatementBlock > .block-legend { height: auto; border: round $primary; padding: 0 1; }
    StatementBlock > VerticalScroll { height: 1fr; scrollbar-size-vertical: 1; }
    StatementBlock .statement-row { height: auto; margin-bottom: 1; }
    StatementBlock .statement-row.-here .statement-text { text-style: bold; }
    StatementBlock .statement-marker { width: 2; height: 1; }
    StatementBlock .statement-text { width: 1fr; height: auto; padding-right: 2; }
    StatementBlock .statement-choices { width: auto; height: 1; }
    """

    BINDINGS = [
        # keys 1..9 choose the n-th choice, 0 the tenth
        *(Binding(str(n % 10), f"choose({n})", show=False) for n in range(1, 11)),
        Binding("up", "move(-1)", show=False),
        Binding("down", "move(1)", show=False),
    ]

    def __init__(
        self,
        rows: list[tuple[str, str]],
        scale: ResponseScale,
        given: dict[str, int | str | None],
        language: str,
        store: Callable[[str, int], bool],
        *,
        row: int = 0,
    ) -> None:
        super().__init__()
        self.rows = rows
        self.scale = scale
        self.values = scale.values
        self.given = {item_id: given.get(item_id) for item_id, _ in rows}
        self.language = language
        self.store = store
        self.row = max(0, min(row, len(rows) - 1))
        self.row_widgets = [StatementRow(self, n, sentence) for n, (_, sentence) in enumerate(rows)]

    @property
    def item_id(self) -> str:
        """The statement with the cursor."""
        return self.rows[self.row][0]

    def compose(self) -> ComposeResult:
        yield Static(classes="block-legend", markup=False)
        with VerticalScroll(can_focus=False):
            yield from self.row_widgets

    def on_mount(self) -> None:
        for index in range(len(self.rows)):
            self.draw_row(index)
        self.focus()
        self.call_after_refresh(self.scroll_to_row)

    def on_resize(self) -> None:
        parts = [f"{value} = {self.scale.labels[value].get(self.language)}" for value in self.values if value in self.scale.labels]
        self.query_one(".block-legend", Static).update(pack(parts, max(10, self.size.width - 4)))

    def draw_row(self, index: int) -> None:
        value = self.given[self.rows[index][0]]
        self.row_widgets[index].draw(index == self.row, value if isinstance(value, int) else None, self.values)

    def scroll_to_row(self) -> None:
        self.query_one(VerticalScroll).scroll_to_widget(self.row_widgets[self.row], animate=False)

    # -- moving ------------------------------------------------------------------------
    def move_to(self, row: int) -> None:
        row = max(0, min(row, len(self.rows) - 1))
        old, self.row = self.row, row
        self.draw_row(old)
        self.draw_row(row)
        self.scroll_to_row()

    def action_move(self, step: int) -> None:
        self.move_to(self.row + step)

    # -- answering ---------------------------------------------------------------------
    def action_choose(self, position: int) -> None:
        if position <= len(self.values):
            self.answer(self.values[position - 1])

    def clicked(self, row: int, cell: int) -> None:
        self.focus()
        self.move_to(row)
        if 0 <= cell < len(self.values):
            self.answer(self.values[cell], advance=False)

    def answer(self, value: int, *, advance: bool = True) -> None:
        """Store `value` for the statement with the cursor, show it, then (keys) to the next statement."""
        item_id = self.item_id
        if not self.store(item_id, value):
            return
        self.given[item_id] = value
        self.draw_row(self.row)
        if advance and self.row + 1 < len(self.rows):
            self.move_to(self.row + 1)
