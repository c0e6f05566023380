"""The pupil app: code entry → introduction → one item per screen → thank-you → next pupil.

The app only sequences screens; each screen returns its result through `dismiss()`, and the
callbacks here decide what comes next. Which sessions a pupil gets is decided by
`pupil_sessions` (tui/sessions.py), which knows storage but nothing of Textual.

The first screen shows before the study is loaded (see tui/setup.py): storage's models and
the later screens are imported where they are first needed, not at start-up.
"""

from __future__ import annotations

import asyncio
import gc
import time
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import App
from textual.binding import Binding

from storage.errors import StorageError
from storage.pin import PinGate

from .kiosk.lock import KIOSK_BINDINGS, ForTeacher
from .read_aloud import Speaker
from .screens.code_entry import CodeEntryScreen
from .sessions import pupil_sessions
from .setup import Setup, load_setup, setup_for
from .texts import text
from .theme import HIGH_CONTRAST

if TYPE_CHECKING:
    from instruments import Instrument, InvalidFile

    from .kiosk.choice import Choice
    from .kiosk.menu import MenuChoice
    from .sessions import Assignment
    from storage import DataFolder, SchoolClass, Study


class PupilApp(App[None]):
    """Administers the wave's pupil instruments to one pupil after another on one laptop."""

    CSS_PATH = "klaspeil.tcss"
    TITLE = "klaspeil"
    ENABLE_COMMAND_PALETTE = False  # nothing for a pupil to find there
    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(0, "-narrow"), (100, "-wide")]
    VERTICAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(0, "-short"), (32, "-tall")]
    BINDINGS: ClassVar[list[Binding]] = [
        *KIOSK_BINDINGS,  # Ctrl+Q and F12: the teacher's PIN; Ctrl+C, Ctrl+Z, Ctrl+\\: nothing
        Binding("f2", "toggle_contrast", show=False, priority=True),  # high contrast on and off, any time
    ]

    def __init__(
        self,
        folder: DataFolder,
        setup: Setup | None,
        *,
        wave_id: str | None = None,
        language: str = "nl",
        demo: bool = False,
        shuffle_seed: int | None = None,
        return_after: float | None = 5.0,
        high_contrast: bool = False,
        class_id: str | None = None,
        unlock: bool = False,
        instruments: dict[str, Instrument] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """`setup` None: load the study and the wave `wave_id` in a worker after the first screen shows.
        `class_id`: only pupils of this class (None: any class of the study). `unlock`: the PIN
        and the choice of class and wave come first (`klaspeil`; not the demo). `instruments`:
        the bank that waves are looked up in (default: the folder's). `clock`: the PIN lock-out's."""
        super().__init__()
        self.register_theme(HIGH_CONTRAST)
        self.normal_theme = self.theme
        if high_contrast:
            self.theme = HIGH_CONTRAST.name
        self.speaker = Speaker(language)  # read-aloud: one voice for the whole app
        self.folder = folder
        self.setup = setup
        self.requested_wave = wave_id
        self.class_id = class_id
        self.unlock = unlock
        self.available = instruments
        self.gate = PinGate(folder, clock)  # one gate: its lock-out outlives a closed PIN prompt
        self.language = language
        self.demo = demo
        self.shuffle_seed = shuffle_seed
        self.return_after = return_after
        self.startup_error: StorageError | InvalidFile | None = None
        self._setup_loaded = asyncio.Event()

    # what the study and wave are, once loaded
    @property
    def study(self) -> Study:
        assert self.setup is not None
        return self.setup.study

    @property
    def wave_id(self) -> str:
        assert self.setup is not None
        return self.setup.wave_id

    @property
    def instruments(self) -> list[Instrument]:
        assert self.setup is not None
        return self.setup.instruments

    def on_mount(self) -> None:
        if self.unlock:
            from .kiosk.pin_screens import UnlockScreen

            self.push_screen(UnlockScreen(self.gate, self.language), callback=self.unlocked)
        else:
            self.ask_for_code()
        if self.setup is None:
            # after the first paint: the loading thread would otherwise compete with it for the GIL
            self.call_after_refresh(self.load)
        else:
            self._setup_loaded.set()

    @work(thread=True, exit_on_error=False)
    def load(self) -> None:
        from instruments import InvalidFile

        from .kiosk.choice import check_class

        try:
            setup = load_setup(self.folder, self.requested_wave)
            check_class(self.folder.study_path, setup.study, self.class_id)
            from .screens import item  # noqa: F401  (imported now, not when the first pupil waits)
        except (StorageError, InvalidFile) as error:
            self.call_from_thread(self.stop_with, error)
        else:
            self.call_from_thread(self.loaded, setup)

    def on_unmount(self) -> None:
        self.speaker.stop()  # the app closes: so does its voice

    def action_toggle_contrast(self) -> None:
        self.theme = self.normal_theme if self.theme == HIGH_CONTRAST.name else HIGH_CONTRAST.name

    def loaded(self, setup: Setup) -> None:
        self.setup = setup
        self._setup_loaded.set()
        # `klaspeil` starts with gc off (tui/cli.py); what start-up made lives as long as the
        # app, so freeze it out of later collections and collect normally from here on
        gc.freeze()
        gc.enable()
        if isinstance(self.screen, CodeEntryScreen):
            self.screen.show_demo_hint(self.footer())

    def stop_with(self, error: StorageError | InvalidFile) -> None:
        self.startup_error = error
        self.exit(return_code=1)

    async def ready_study(self) -> Study:
        """The study, once the loading worker has it."""
        await self._setup_loaded.wait()
        return self.study

    async def pupil_problem(self, code: str) -> str | None:
        """Why `code` cannot start here (not in the study, or of another class than the chosen
        one); None for a pupil, teacher or team member who may start. Waits for the study to be loaded."""
        study = await self.ready_study()
        from .adult_flow import adult_of, teaches_elsewhere

        if adult_of(study, code, self.class_id) is not None:
            return None  # a teacher or team member: tui/adult_flow.py
        school_class = study.class_of(code)
        if school_class is None:
            return text(self.language, "code_other_class" if teaches_elsewhere(study, code) else "code_unknown")
        if self.class_id is not None and school_class.id != self.class_id:
            return text(self.language, "code_other_class")
        return None

    # -- the kiosk lock: unlock at start, the teacher's PIN prompt and menu ----------
    def action_ignore(self) -> None:
        """Ctrl+C, Ctrl+Z, Ctrl+\\: swallowed, so they do nothing on any screen."""

    def action_teacher(self) -> None:
        """Ctrl+Q or F12: the PIN prompt over the pupil's screen (not over a teacher's screen)."""
        if isinstance(self.screen, ForTeacher):
            return
        from .kiosk.pin_screens import PinPrompt

        self.push_screen(PinPrompt(self.gate, self.language), callback=self.teacher_unlocked)

    def teacher_unlocked(self, granted: bool | None) -> None:
        if granted:
            from .kiosk.menu import TeacherMenu

            self.push_screen(TeacherMenu(self.language), callback=self.teacher_chose)

    def teacher_chose(self, choice: MenuChoice | None) -> None:
        if choice == "stop":
            self.exit(return_code=0)  # every answer is on disk already
        elif choice == "switch":
            self.choose_class(at_start=False)

    def unlocked(self, _: bool | None) -> None:
        self.choose_class(at_start=True)

    def choose_class(self, *, at_start: bool) -> None:
        from .kiosk.chooser import ClassWaveScreen

        wave_id = self.setup.wave_id if self.setup is not None else self.requested_wave
        chooser = ClassWaveScreen(self.ready_study, self.language, class_id=self.class_id, wave_id=wave_id, at_start=at_start)
        self.push_screen(chooser, callback=lambda choice: self.class_chosen(choice, at_start))

    def class_chosen(self, choice: Choice | None, at_start: bool) -> None:
        if choice is None:
            if at_start:  # "Stoppen" before any pupil
                self.exit(return_code=0)
            return  # "Terug": the pupil's screen as it was
        self.class_id = choice.class_id
        if choice.wave_id != self.wave_id:
            available = self.folder.instruments() if self.available is None else self.available
            wave = setup_for(self.folder, self.study, choice.wave_id, available)
            self.setup = replace(self.setup, wave_id=wave.wave_id, instruments=wave.instruments, adult_instruments=wave.adult_instruments)
        # a fresh code entry: the pupil who was on screen comes back later and resumes
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.ask_for_code()

    # -- the flow, one callback per screen -------------------------------------------
    def ask_for_code(self, problem: str | None = None) -> None:
        """A fresh code entry: nothing of the previous pupil stays on screen."""
        hint = self.footer() if self.setup is not None else None
        screen = CodeEntryScreen(self.pupil_problem, self.language, demo_hint=hint, problem=problem)
        self.push_screen(screen, callback=self.pupil_arrived)

    def pupil_arrived(self, code: str | None) -> None:
        if code is None:
            self.ask_for_code()
            return
        from .adult_flow import AdultFlow, adult_of

        adult = adult_of(self.study, code, self.class_id)
        if adult is not None:
            AdultFlow(self, adult).start()
            return
        first_name = self.setup.first_names.get(code) if self.setup is not None else None
        if first_name is None:  # no name in the key file for this code: nothing to check
            self.pupil_confirmed(code)
            return
        from .screens import NameCheckScreen

        def checked(is_me: bool | None) -> None:
            if is_me:
                self.pupil_confirmed(code)
            else:  # a classmate's code: nothing was opened or stored for it
                self.ask_for_code(text(self.language, "not_you"))

        self.push_screen(NameCheckScreen(first_name, self.language), callback=checked)

    def pupil_confirmed(self, code: str) -> None:
        school_class = self.study.class_of(code)
        assert school_class is not None, "CodeEntryScreen only returns codes of the study"
        if not self.instruments:  # a wave for teachers only: nothing to open or store for a pupil
            self.say_goodbye("no_questions", "no_questions_body")
            return
        try:
            assignments = pupil_sessions(
                self.folder, self.study, self.wave_id, school_class, code,
                self.instruments, self.language, self.shuffle_seed,
            )
        except StorageError as error:
            self.ask_for_code(text(self.language, "storage_problem", error=error))
            return
        if not assignments:
            self.say_goodbye("already_done", "already_done_body")
            return
        # new to this wave (no session finished, none with an answer): one practice item first
        fresh = len(assignments) == len(self.instruments) and not any(a.resuming for a in assignments)
        if fresh:
            self.practise(assignments[0].instrument, lambda: self.administer(assignments, school_class))
        else:
            self.administer(assignments, school_class)

    def practise(self, instrument: Instrument, then: Callable[[], None]) -> None:
        """The practice item on `instrument`'s scale (nothing stored), then `then`; only `then`
        when the instrument has no options item to practise on."""
        from .screens.practice import PracticeScreen, practice_item

        item = practice_item(instrument)
        if item is None:
            then()
            return
        self.push_screen(PracticeScreen(instrument, item, self.language), callback=lambda _: then())

    def administer(self, assignments: list[Assignment], school_class: SchoolClass) -> None:
        """Introduce and ask the first assignment; the rest follow when it is finished."""
        from .screens import IntroductionScreen, ItemScreen

        if not assignments:
            self.say_goodbye("thanks", "thanks_body")
            return
        current, rest = assignments[0], assignments[1:]

        def ask_items(_: None) -> None:
            items = ItemScreen(current.instrument, current.session, self.language, school_class.teacher_term)
            self.push_screen(items, callback=lambda _: self.administer(rest, school_class))

        self.push_screen(IntroductionScreen(current.instrument, self.language, current.resuming), callback=ask_items)

    def say_goodbye(self, title_key: str, body_key: str) -> None:
        from .screens import FarewellScreen

        title, body = text(self.language, title_key), text(self.language, body_key)
        farewell = FarewellScreen(title, body, self.language, self.return_after)
        self.push_screen(farewell, callback=lambda _: self.ask_for_code())

    def footer(self) -> str | None:
        """The line under code entry: in the demo where the codes are; in the kiosk the class
        and wave it takes, so that a teacher sees at a glance which class the laptop serves."""
        if self.demo:
            return self.demo_hint()
        school_class = next((c for c in self.study.classes if c.id == self.class_id), None)
        if school_class is None:
            return None
        wave = self.study.wave(self.wave_id)
        return text(self.language, "class_and_wave", name=school_class.name, wave=wave.label or wave.id)

    def demo_hint(self) -> str | None:
        """Where the demo's pupil codes are: two to try, and the file that lists them all."""
        if not self.demo:
            return None
        codes = [c.pupils[0] for c in self.study.classes if c.pupils][:2]
        if not codes:
            return None
        second = codes[1] if len(codes) > 1 else codes[0]
        return text(self.language, "demo_codes", first=codes[0], second=second, path=self.folder.study_path)
