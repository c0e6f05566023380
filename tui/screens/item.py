"""One item per screen: the sentence as stored for this session, the answer widget for the
item's kind (tui/widgets), and the progress. The look and the keys are ItemFrame's
(item_frame.py, shared with the practice item); this screen stores. Next on the last item
with items unanswered opens the review of skipped items (review.py) before finishing.

An answer is saved durably (session.record) before anything on screen changes, so what the
pupil sees as chosen is always what is on disk. A choice is saved when it is made; a typed
answer when the pupil leaves the item, and not at all when it cannot be an answer.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from textual.reactive import var

from instruments import Instrument, Item
from instruments.wording import TeacherTerm, fill
from storage import Session, StorageError

from ..texts import text
from ..widgets.answer import Value
from ..widgets.choice import AnswerButton
from .item_frame import ItemFrame

if TYPE_CHECKING:
    from .review import Skipped

__all__ = ["AnswerButton", "ItemScreen"]


class ItemScreen(ItemFrame[None]):
    """Asks the session's items in its stored order, from the first unanswered; dismissed when finished."""

    # a var: the item's widgets redraw what changes; a reactive would repaint the whole screen
    index: var[int] = var(0, init=False)

    def __init__(self, instrument: Instrument, session: Session, language: str, teacher_term: TeacherTerm) -> None:
        super().__init__(instrument, language)
        self.session = session
        self.teacher_term = teacher_term  # only for sessions stored before item_texts existed
        meta = session.meta
        self.order = meta.item_order
        self.item_texts = meta.item_texts
        self.given = session.answers()
        self.shown_at = time.monotonic()
        self.reviewing = False  # an item chosen in the review of skipped items is on screen
        # all answered but not finished (stopped on the last item): show the last item again
        self.set_reactive(ItemScreen.index, min(session.first_unanswered(), len(self.order) - 1))

    @property
    def item(self) -> Item:
        return self.instrument.item(self.order[self.index])

    def sentence(self, item: Item) -> str:
        """The text this session stored for the item: what the pupil reads, now and after a resume."""
        stored = self.item_texts.get(item.id)
        return stored if stored is not None else fill(item.text.get(self.language), self.language, self.teacher_term)

    def on_mount(self) -> None:
        self.show_item()

    def watch_index(self) -> None:
        self.show_item()

    def show_item(self) -> None:
        item = self.item
        number, total = self.index + 1, len(self.order)
        progress = text(self.language, "progress", number=number, total=total)
        self.show(item, self.sentence(item), self.given.get(item.id), progress, (number, total))
        self.shown_at = time.monotonic()

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

    # -- moving ------------------------------------------------------------------------
    def action_next(self) -> None:
        if not self.save_typed():
            return
        if not self.reviewing and self.index + 1 < len(self.order):
            self.index += 1
            return
        skipped = self.skipped()
        if skipped:  # after the last item, and after each item chosen in the review
            from .review import ReviewScreen

            self.app.push_screen(ReviewScreen(skipped, self.language), callback=self.reviewed)
            return
        self.finish()

    def skipped(self) -> list[Skipped]:
        """The items without an answer, in the order shown."""
        from .review import Skipped

        return [
            Skipped(item_id, number, self.sentence(self.instrument.item(item_id)))
            for number, item_id in enumerate(self.order, start=1)
            if self.given.get(item_id) is None
        ]

    def reviewed(self, item_id: str | None) -> None:
        """From the review: to the item chosen (next leads back to the review), or finish."""
        if item_id is None:
            self.finish()
            return
        self.reviewing = True
        index = self.order.index(item_id)
        if index == self.index:
            self.show_item()  # the reactive would not fire; the time on screen starts again
        else:
            self.index = index

    def finish(self) -> None:
        try:
            self.session.finish()
        except StorageError:
            self.show_problem(True)
            return
        self.dismiss(None)

    def action_back(self) -> None:
        if self.index > 0 and self.save_typed():
            self.index -= 1
