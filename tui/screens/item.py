"""One item per screen: the sentence, the answer options as large buttons, and the progress.

An answer is saved durably (session.record) before anything on screen changes, so what the
pupil sees as chosen is always what is on disk.
"""

from __future__ import annotations

import time

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Button, Label, ProgressBar, Static

from instruments import Instrument, Item
from storage import Session, StorageError

from ..texts import text, with_teacher_term


class AnswerButton(Button, can_focus=False):
    """One answer option. Not focusable: Enter means "next", never "press this button again"."""

    def __init__(self, position: int, value: int, label: str) -> None:
        super().__init__(classes="answer")
        self.position = position  # the key that chooses it: 1, 2, 3, ...
        self.value = value
        self.option = label
        self.mark(False)

    def mark(self, chosen: bool) -> None:
        # the markers and the border say "chosen" without relying on colour
        plain = f"{self.position}  {self.option}"
        self.label = Content(f"▶ {plain} ◀" if chosen else plain)
        self.set_class(chosen, "-chosen")


class ItemScreen(Screen[None]):
    """Asks the session's items in its stored order, from the first unanswered; dismissed when finished."""

    BINDINGS = [
        *(Binding(str(n), f"choose({n})", show=False) for n in range(1, 10)),
        Binding("enter,right", "next", show=False),
        Binding("left", "back", show=False),
    ]

    index: reactive[int] = reactive(0, init=False)

    def __init__(self, instrument: Instrument, session: Session, language: str, teacher_term: str) -> None:
        super().__init__()
        self.instrument = instrument
        self.session = session
        self.language = language
        self.teacher_term = teacher_term
        self.order = session.meta.item_order
        self.given = session.answers()
        self.shown_at = time.monotonic()
        self.scale_id: str | None = None  # the response scale the answer buttons show
        # all answered but not finished (stopped on the last item): show the last item again
        self.set_reactive(ItemScreen.index, min(session.first_unanswered(), len(self.order) - 1))

    @property
    def item(self) -> Item:
        return self.instrument.item(self.order[self.index])

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
        scale = self.instrument.response_for(item)
        number, total = self.index + 1, len(self.order)
        self.query_one("#progress", Label).update(text(self.language, "progress", number=number, total=total))
        self.query_one("#progress-bar", ProgressBar).update(progress=number)
        sentence = item.text.get(self.language)
        if self.language == "nl":
            sentence = with_teacher_term(sentence, self.teacher_term)
        self.query_one("#item-text", Static).update(sentence)
        chosen = self.given.get(item.id)
        if scale.id == self.scale_id:  # items of one scale share their buttons
            self.mark_chosen(chosen)
        else:
            self.scale_id = scale.id
            buttons = [
                AnswerButton(position, value, scale.labels[value].get(self.language))
                for position, value in enumerate(scale.values, start=1)
            ]
            for button in buttons:
                button.mark(button.value == chosen)
            answers = self.query_one("#answers", Vertical)
            answers.remove_children()
            answers.mount_all(buttons)
            self.query_one("#keys-hint", Static).update(text(self.language, "keys_hint", last=len(buttons)))
        self.show_problem(False)
        self.shown_at = time.monotonic()

    def show_problem(self, shown: bool) -> None:
        problem = self.query_one("#save-problem", Static)
        problem.update(f"⚠  {text(self.language, 'save_failed')}" if shown else "")
        problem.set_class(shown, "-shown")

    # -- answering -------------------------------------------------------------------
    def action_choose(self, position: int) -> None:
        values = list(self.instrument.response_for(self.item).values)
        if 1 <= position <= len(values):
            self.choose(values[position - 1])

    @on(Button.Pressed, ".answer")
    def clicked(self, event: Button.Pressed) -> None:
        assert isinstance(event.button, AnswerButton)
        self.choose(event.button.value)

    def choose(self, value: int) -> None:
        item_id = self.item.id
        shown_ms = int((time.monotonic() - self.shown_at) * 1000)
        try:
            self.session.record(item_id, value, shown_ms)  # durable before the screen changes
        except StorageError:
            self.show_problem(True)
            return
        self.given[item_id] = value
        self.mark_chosen(value)
        self.show_problem(False)

    def mark_chosen(self, value: int | None) -> None:
        for button in self.query(AnswerButton):
            button.mark(button.value == value)

    def action_next(self) -> None:
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
        if self.index > 0:
            self.index -= 1
