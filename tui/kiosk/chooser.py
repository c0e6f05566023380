"""Choosing the class and the wave the kiosk serves: after unlocking at start, and from the
teacher menu. The study may still be loading when the screen opens (it loads in a worker
after the first paint), so the lists fill once it is there."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, OptionList, Static
from textual.widgets.option_list import Option

from ..texts import text
from .choice import Choice
from .lock import ForTeacher

if TYPE_CHECKING:
    from storage import SchoolClass, Study


def class_label(study: Study, school_class: SchoolClass) -> str:
    """"groep 7b  (7b)", and with more than one school in the study its school: a researcher's
    laptop may hold seventy classes of several schools."""
    label = f"{school_class.name}  ({school_class.id})"
    school = study.school(school_class.school) if len(study.schools) > 1 else None
    return f"{label}  {school.name}" if school is not None else label


class ClassWaveScreen(ForTeacher, Screen[Choice | None]):
    """Dismissed with the chosen class and wave; None for "Stoppen" at start (`at_start`) or
    "Terug" (and Escape) from the teacher menu, which leaves the pupil's screen as it was."""

    BINDINGS = [Binding("escape", "back", show=False)]

    def __init__(
        self,
        study: Callable[[], Awaitable[Study]],
        language: str,
        *,
        class_id: str | None,
        wave_id: str | None,
        at_start: bool,
    ) -> None:
        super().__init__()
        self.study = study
        self.language = language
        self.preselected = (class_id, wave_id)
        self.at_start = at_start

    def compose(self) -> ComposeResult:
        leave = "menu_stop" if self.at_start else "menu_back"
        with Vertical(id="choose-box"):
            yield Static(text(self.language, "choose_title"), id="kiosk-title", markup=False)
            with Horizontal(id="choose-lists"):
                with Vertical(classes="choose-column"):
                    yield Static(text(self.language, "choose_class"), classes="choose-label", markup=False)
                    yield OptionList(id="choose-class")
                with Vertical(classes="choose-column"):
                    yield Static(text(self.language, "choose_wave"), classes="choose-label", markup=False)
                    yield OptionList(id="choose-wave")
            yield Static(text(self.language, "choose_loading"), id="choose-message", markup=False)
            with Horizontal(id="choose-buttons"):
                yield Button(text(self.language, "choose_start"), id="choose-start", disabled=True)
                yield Button(text(self.language, leave), id="choose-leave")
            yield Static(text(self.language, "choose_help"), id="choose-help", markup=False)

    def on_mount(self) -> None:
        self.run_worker(self.fill(), exclusive=True)

    def action_back(self) -> None:
        if not self.at_start:  # at start there is no pupil screen to go back to
            self.dismiss(None)

    async def fill(self) -> None:
        study = await self.study()
        class_id, wave_id = self.preselected
        classes = self.query_one("#choose-class", OptionList)
        classes.add_options(Option(class_label(study, c), id=c.id) for c in study.classes)
        # only waves that have a questionnaire for pupils can be given here
        waves = [w for w in study.waves if w.instruments.get("pupil")]
        wave_list = self.query_one("#choose-wave", OptionList)
        wave_list.add_options(Option(f"{w.label or w.id}  ({w.start})" if w.start else w.label or w.id, id=w.id) for w in waves)
        classes.highlighted = next((k for k, c in enumerate(study.classes) if c.id == class_id), 0)
        wave_list.highlighted = next((k for k, w in enumerate(waves) if w.id == wave_id), 0)
        self.query_one("#choose-message", Static).update("")
        self.query_one("#choose-start", Button).disabled = not waves
        classes.focus()

    @on(OptionList.OptionSelected, "#choose-class")
    def class_selected(self) -> None:
        self.query_one("#choose-wave", OptionList).focus()

    @on(OptionList.OptionSelected, "#choose-wave")
    @on(Button.Pressed, "#choose-start")
    def start(self) -> None:
        classes = self.query_one("#choose-class", OptionList)
        waves = self.query_one("#choose-wave", OptionList)
        if classes.highlighted is None or waves.highlighted is None:
            return
        class_id = classes.get_option_at_index(classes.highlighted).id
        wave_id = waves.get_option_at_index(waves.highlighted).id
        assert class_id is not None and wave_id is not None
        self.dismiss(Choice(class_id, wave_id))

    @on(Button.Pressed, "#choose-leave")
    def leave(self) -> None:
        self.dismiss(None)
