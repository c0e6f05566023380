"""One item per screen: the sentence as stored for this session, the answer widget for the
item's kind (tui/widgets), and the progress.

An answer is saved durably (session.record) before anything on screen changes, so what the
pupil sees as chosen is always what is on disk. A choice is saved when it is made; a typed
answer when the pupil leaves the item, and not at all when it cannot be an answer.
"""

from __future__ import annotations

import time

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Button, Input, Label, ProgressBar, Static

from instruments import Instrument, Item
from instruments.wording import TeacherTerm, fill
from storage import Session, StorageError

from ..texts import text
from ..widgets.answer import KEEP, AnswerWidget, Refused, Value, answer_widget, shape_of
from ..widgets.choice import AnswerButton

__all__ = ["AnswerButton", "ItemScreen"]


class ItemScreen(Screen[None]):
    """Asks the session's items in its stored order, from the first unanswered; dismissed when finished."""

    BINDINGS = [
        # keys 1..9 choose the n-th option, 0 the tenth (a 1-10 rating)
        *(Binding(str(n % 10), f"choose({n})", show=False) for n in range(1, 11)),
        # in a field Left/Right move the cursor and Enter is the field's: these keys reach us only outside one
        Binding("enter,right", "next", show=False),
        Binding("left", "back", show=False),
        # from inside a field: Escape goes back; Ctrl+Enter goes on where the terminal sends it (ctrl+j: as \n)
        Binding("escape", "back", show=False),
        Binding("ctrl+enter,ctrl+j", "next", show=False),
    ]

    index: reactive[int] = reactive(0, init=False)

    def __init__(self, instrument: Instrument, session: Session, language: str, teacher_term: TeacherTerm) -> None:
        super().__init__()
        self.instrument = instrument
        self.session = session
        self.language = language
        self.teacher_term = teacher_term  # only for sessions stored before item_texts existed
        meta = session.meta
        self.order = meta.item_order
        self.item_texts = meta.item_texts
        self.given = session.answers()
        self.shown_at = time.monotonic()
        self.answer: AnswerWidget | None = None  # the answer widget of the item on screen
        # all answered but not finished (stopped on the last item): show the last item again
        self.set_reactive(ItemScreen.index, min(session.first_unanswered(), len(self.order) - 1))

    @property
    def item(self) -> Item:
        return self.instrument.item(self.order[self.index])

    def sentence(self, item: Item) -> str:
        """The text this session stored for the item: what the pupil reads, now and after a resume."""
        stored = self.item_texts.get(item.id)
        return stored if stored is not None else fill(item.text.get(self.language), self.language, self.teacher_term)

    def compose(self) -> ComposeResult:
        with Vertical(id="item-box"):
            with Horizontal(id="item-top"):
                yield Label(id="progress")
                yield ProgressBar(total=len(self.order), show_percentage=False, show_eta=False, id="progress-bar")
            yield Static(id="item-text", markup=False)
            yield Vertical(id="answers")
            yield Static(id="save-problem", markup=False)
        yield Static(id="keys-hint", markup=False)

    def on_mount(self) -> None:
        self.show_item()

    def watch_index(self) -> None:
        self.show_item()

    def show_item(self) -> None:
        item = self.item
        number, total = self.index + 1, len(self.order)
        self.query_one("#progress", Label).update(text(self.language, "progress", number=number, total=total))
        self.query_one("#progress-bar", ProgressBar).update(progress=number)
        self.query_one("#item-text", Static).update(self.sentence(item))
        given = self.given.get(item.id)
        current = self.answer
        if current is not None and current.shape == shape_of(self.instrument, item):
            current.show_answer(given)  # items of one response scale share their buttons
        else:
            current = answer_widget(self.instrument, item, self.language, given)
            answers = self.query_one("#answers", Vertical)
            answers.remove_children()
            answers.mount(current)
            self.answer = current
        self.query_one("#keys-hint", Static).update(current.keys_hint())
        self.show_problem(False)
        self.shown_at = time.monotonic()

    def show_problem(self, shown: bool) -> None:
        problem = self.query_one("#save-problem", Static)
        problem.update(f"⚠  {text(self.language, 'save_failed')}" if shown else "")
        problem.set_class(shown, "-shown")

    # -- answering -------------------------------------------------------------------
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

    def save(self, value: Value) -> bool:
        """Record `value` for the item on screen; False (and the pupil told so) when it is not on disk."""
        item = self.item
        shown_ms = int((time.monotonic() - self.shown_at) * 1000)
        # the widgets only offer valid answers; this guards the file against a widget's mistake
        if self.instrument.answer_problem(item, value) is not None:
            self.show_problem(True)
            return False
        try:
            self.session.record(item.id, value, shown_ms)  # durable before the screen changes
        except StorageError:
            self.show_problem(True)
            return False
        self.given[item.id] = value
        self.show_problem(False)
        return True

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
        if not self.save_typed():
            return
        if self.index + 1 < len(self.order):
            self.index += 1
            return
        try:
            self.session.finish()
        except StorageError:
            self.show_problem(True)
            return
        self.dismiss(None)

    def action_back(self) -> None:
        if self.index > 0 and self.save_typed():
            self.index -= 1
