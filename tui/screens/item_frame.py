"""The look and the keys of one item on screen, shared by the real items (item.py) and the
practice item (practice.py): the sentence in its box, the answer widget for the item's kind
(tui/widgets), a progress line, keys 1..9/0 to choose, Enter or → next, ← back, and L or
the button "Lees voor" to hear the item and its answers (tui/read_aloud.py; never waits for it).

What an answer does (stored or not) and where next and back lead is the subclass's business.
"""

from __future__ import annotations

from typing import TypeVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, Input, Label, ProgressBar, Static

from instruments import Instrument, Item

from ..read_aloud import spoken_item
from ..texts import text
from ..widgets.answer import KEEP, AnswerWidget, Refused, Value, answer_widget, shape_of
from ..widgets.in_place import update_in_place
from ..widgets.read_aloud import ReadAloudButton, read_aloud, silence

ResultType = TypeVar("ResultType")


class ItemFrame(Screen[ResultType]):
    """One item per screen. Subclasses decide what `save` does and what next and back do."""

    CSS_PATH = "item.tcss"  # parsed when the first item shows, not before the code screen

    BINDINGS = [
        # keys 1..9 choose the n-th option, 0 the tenth (a 1-10 rating)
        *(Binding(str(n % 10), f"choose({n})", show=False) for n in range(1, 11)),
        # in a field Left/Right move the cursor and Enter is the field's: these keys reach us only outside one
        Binding("enter,right", "next", show=False),
        Binding("left", "back", show=False),
        # from inside a field: Escape goes back; Ctrl+Enter goes on where the terminal sends it (ctrl+j: as \n)
        Binding("escape", "back", show=False),
        Binding("ctrl+enter,ctrl+j", "next", show=False),
        # read aloud; a field takes the letter for itself, so typing an "l" reads nothing
        Binding("l", "read_aloud", show=False),
    ]

    def __init__(self, instrument: Instrument, language: str) -> None:
        super().__init__()
        self.instrument = instrument
        self.language = language
        self.answer: AnswerWidget | None = None  # the answer widget of the item on screen
        self.spoken = ""  # what read-aloud says for the item on screen

    def compose(self) -> ComposeResult:
        with Vertical(id="item-box"):
            with Horizontal(id="item-top"):
                yield Label(id="progress")
                yield ProgressBar(show_percentage=False, show_eta=False, id="progress-bar")
                yield ReadAloudButton(text(self.language, "read_aloud_button"))
            yield Static(id="item-text", markup=False)
            yield Vertical(id="answers")
            yield Static(id="save-problem", markup=False)
        yield Static(id="keys-hint", markup=False)

    def show(self, item: Item, sentence: str, given: Value, progress: str, step: tuple[int, int] | None) -> None:
        """Put `item` on screen with the answer `given` earlier marked; `step` (number, total)
        fills the progress bar, None hides it. Texts change in place: the screen is arranged
        again only when a box changes size (a new kind of answer, a sentence of more lines)."""
        with self.app.batch_update():  # one frame for all of it
            update_in_place(self.query_one("#progress", Label), progress)
            bar = self.query_one("#progress-bar", ProgressBar)
            bar.display = step is not None
            if step is not None:
                bar.update(progress=step[0], total=step[1])
            update_in_place(self.query_one("#item-text", Static), sentence)
            self.silence()  # a new item: what was being read is over
            self.spoken = spoken_item(sentence, self.spoken_options(item))
            current = self.answer
            if current is not None and current.shape == shape_of(self.instrument, item):
                current.show_answer(given)  # items of one response scale share their buttons
            else:
                current = answer_widget(self.instrument, item, self.language, given)
                answers = self.query_one("#answers", Vertical)
                answers.remove_children()
                answers.mount(current)
                self.answer = current
            update_in_place(self.query_one("#keys-hint", Static), current.keys_hint())
            self.show_problem(False)

    def show_problem(self, shown: bool) -> None:
        problem = self.query_one("#save-problem", Static)
        update_in_place(problem, f"⚠  {text(self.language, 'save_failed')}" if shown else "")
        problem.set_class(shown, "-shown")

    # -- read aloud ------------------------------------------------------------------
    def spoken_options(self, item: Item) -> list[tuple[int, str]]:
        """The answers as read aloud: each with the key (or number) the pupil sees next to it."""
        if item.kind != "options":
            return []
        scale = self.instrument.response_for(item)
        if scale.labelled == "ends":  # a 1-10 rating: the numbers with a label, its ends
            return [(value, label.get(self.language)) for value, label in sorted(scale.labels.items())]
        return [(position % 10, scale.labels[value].get(self.language)) for position, value in enumerate(scale.values, start=1)]

    def action_read_aloud(self) -> None:
        read_aloud(self, self.spoken, self.language)

    @on(Button.Pressed, "#read-aloud")
    def read_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_read_aloud()

    def silence(self) -> None:
        silence(self)

    def on_screen_suspend(self, _: events.ScreenSuspend) -> None:
        self.silence()  # e.g. the review of skipped items opens over this screen

    def on_unmount(self) -> None:
        self.silence()  # the pupil left the items

    # -- answering -------------------------------------------------------------------
    def save(self, value: Value) -> bool:
        """Keep `value` as the answer to the item on screen; False when it could not be kept."""
        raise NotImplementedError

    def action_choose(self, position: int) -> None:
        value = self.answer.value_at(position) if self.answer is not None else None
        if value is not None:
            self.choose(value)

    @on(AnswerWidget.Chosen)
    def clicked(self, event: AnswerWidget.Chosen) -> None:
        self.choose(event.value)

    def choose(self, value: int) -> None:
        if self.save(value) and self.answer is not None:
            self.answer.show_answer(value)

    def save_typed(self) -> bool:
        """Save what a field holds before the item is left; False keeps the pupil on the item."""
        widget = self.answer
        if widget is None:
            return True
        pending = widget.pending()
        if isinstance(pending, Refused):
            widget.refuse(pending.message)
            return False
        widget.refuse("")
        if pending is KEEP:
            return True
        if not self.save(pending):
            return False
        widget.show_answer(pending)
        return True

    # -- moving ------------------------------------------------------------------------
    @on(Input.Submitted)
    def submitted(self) -> None:
        self.action_next()

    @on(Button.Pressed, ".next-button")
    def next_pressed(self) -> None:
        self.action_next()

    @on(Button.Pressed, ".back-button")
    def back_pressed(self) -> None:
        self.action_back()

    def action_next(self) -> None:
        raise NotImplementedError

    def action_back(self) -> None:
        raise NotImplementedError
