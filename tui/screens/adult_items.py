"""The item screens for teachers and team members: the pupils' ItemScreen (storing, review of
skipped items, finishing) with an adult layout and wording (formal "u").

Items are shown in pages: a run of statements of one section on one response scale (in the
order the session stored) shares a page, at most MOST to a page (adult_block.py: a row per
statement, the choices as columns, digits answer the statement with the cursor); any other
item (a number, a text, a lone choice) has a page of its own with the pupils' answer widgets.
Enter or → goes to the next page, ← back; after the last page the review of skipped items
comes when some are unanswered. A resumed session opens on the page of its first unanswered item.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from math import ceil

from textual.containers import Vertical
from textual.widgets import Label, ProgressBar, Static

from instruments import Instrument, Item
from instruments.wording import TeacherTerm
from storage import Session

from ..read_aloud import spoken_item
from ..texts import text
from .adult_block import StatementBlock
from .introduction import IntroductionScreen
from .item import ItemScreen
from .review import ReviewScreen

MOST = 6  # statements on one page: at 80x24 each still shows whole, on two or three lines


@dataclass(frozen=True)
class Page:
    items: tuple[str, ...]  # item ids, in the order shown
    block: bool  # several statements on one scale (StatementBlock); else one item, pupil style


def pages_of(instrument: Instrument, order: list[str], most: int = MOST) -> list[Page]:
    """The pages of `order`: runs of options items sharing section and response scale become
    blocks, split evenly when longer than `most` (8 statements: 4 + 4, not 6 + 2)."""
    section = {item.id: s.id for s in instrument.sections for item in s.items}
    runs: list[list[str]] = []
    previous: tuple[str, str | None] | None = None
    for item_id in order:
        item = instrument.item(item_id)
        key = (section[item_id], item.response) if item.kind == "options" else None
        if key is not None and key == previous:
            runs[-1].append(item_id)
        else:
            runs.append([item_id])
        previous = key
    pages: list[Page] = []
    for run in runs:
        if len(run) == 1:
            pages.append(Page((run[0],), block=False))
            continue
        size = ceil(len(run) / ceil(len(run) / most))
        pages.extend(Page(tuple(run[start:start + size]), block=True) for start in range(0, len(run), size))
    return pages


class AdultReviewScreen(ReviewScreen):
    PREFIX = "adult_"


class AdultIntroductionScreen(IntroductionScreen):
    WELCOME_BACK = "adult_welcome_back"


class AdultItemsScreen(ItemScreen):
    """`index` counts pages here, not items."""

    def __init__(self, instrument: Instrument, session: Session, language: str, teacher_term: TeacherTerm) -> None:
        super().__init__(instrument, session, language, teacher_term)
        self.pages = pages_of(instrument, self.order)
        self.page_of = {item_id: number for number, page in enumerate(self.pages) for item_id in page.items}
        self.block: StatementBlock | None = None
        first = self.order[min(session.first_unanswered(), len(self.order) - 1)]
        self.start_item: str | None = first  # the statement the cursor starts on, on its page
        self.set_reactive(ItemScreen.index, self.page_of[first])

    @property
    def page(self) -> Page:
        return self.pages[self.index]

    @property
    def item(self) -> Item:
        """The item an answer is for: the statement with the cursor, or the page's one item."""
        if self.page.block and self.block is not None:
            return self.instrument.item(self.block.item_id)
        return self.instrument.item(self.page.items[0])

    # -- showing -----------------------------------------------------------------------
    def show_item(self) -> None:
        page = self.page
        self.set_class(page.block, "-block")
        total = len(self.order)
        first = self.order.index(page.items[0]) + 1
        last = first + len(page.items) - 1
        if page.block:
            self.show_block(page, text(self.language, "adult_progress_block", first=first, last=last, total=total), (last, total))
        else:
            self.block = None
            item = self.item
            self.show(item, self.sentence(item), self.given.get(item.id), text(self.language, "progress", number=first, total=total), (first, total))
            self.query_one("#keys-hint", Static).update(self.adult_hint(item))
        self.start_item = None
        self.shown_at = time.monotonic()

    def show_block(self, page: Page, progress: str, step: tuple[int, int]) -> None:
        self.query_one("#progress", Label).update(progress)
        bar = self.query_one("#progress-bar", ProgressBar)
        bar.display = True
        bar.update(progress=step[0], total=step[1])
        first = self.instrument.item(page.items[0])
        section = next(s for s in self.instrument.sections if any(i.id == first.id for i in s.items))
        help_line = text(self.language, "adult_block_help")
        self.query_one("#item-text", Static).update(f"{section.title.get(self.language)}\n{help_line}" if section.title else help_line)
        rows = [(item_id, self.sentence(self.instrument.item(item_id))) for item_id in page.items]
        scale = self.instrument.response_for(first)
        self.silence()
        self.spoken = spoken_item("\n".join(sentence for _, sentence in rows), self.spoken_options(first))
        start = page.items.index(self.start_item) if self.start_item in page.items else self.first_open(page)
        self.answer = None
        self.block = StatementBlock(rows, scale, self.given, self.language, self.store_statement, row=start)
        answers = self.query_one("#answers", Vertical)
        answers.remove_children()
        answers.mount(self.block)
        count = len(scale.values)
        last = str(count) if count < 10 else "9 (0 = 10)"
        self.query_one("#keys-hint", Static).update(text(self.language, "adult_keys_block", last=last))
        self.show_problem(False)

    def first_open(self, page: Page) -> int:
        """The first statement of `page` without an answer (the first when all have one)."""
        return next((n for n, item_id in enumerate(page.items) if self.given.get(item_id) is None), 0)

    def adult_hint(self, item: Item) -> str:
        """The keys, in the adults' wording where the pupils' says "je"."""
        if item.kind == "text":
            one_line = getattr(self.answer, "one_line", True)
            return text(self.language, "adult_keys_line" if one_line else "adult_keys_text")
        return self.answer.keys_hint() if self.answer is not None else ""

    def show_problem(self, shown: bool) -> None:
        problem = self.query_one("#save-problem", Static)
        problem.update(f"⚠  {text(self.language, 'adult_save_failed')}" if shown else "")
        problem.set_class(shown, "-shown")

    # -- storing -----------------------------------------------------------------------
    def store_statement(self, item_id: str, value: int) -> bool:
        """A statement answered on a block page: saved like any item (durable before shown)."""
        assert self.block is not None and self.block.item_id == item_id
        saved = self.save(value)
        if saved:
            self.shown_at = time.monotonic()  # the time for the next statement starts now
        return saved

    # -- moving ------------------------------------------------------------------------
    def action_next(self) -> None:
        if not self.save_typed():
            return
        if not self.reviewing and self.index + 1 < len(self.pages):
            self.index += 1
            return
        skipped = self.skipped()
        if skipped:  # after the last page, and after each item chosen in the review
            self.app.push_screen(AdultReviewScreen(skipped, self.language), callback=self.reviewed)
            return
        self.finish()

    def action_back(self) -> None:
        if self.index > 0 and self.save_typed():
            self.index -= 1

    def reviewed(self, item_id: str | None) -> None:
        """From the review: to the page of the item chosen, the cursor on it; or finish."""
        if item_id is None:
            self.finish()
            return
        self.reviewing = True
        self.start_item = item_id
        page = self.page_of[item_id]
        if page == self.index:
            self.show_item()
        else:
            self.index = page
