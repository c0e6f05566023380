"""One practice item before a new pupil's first questionnaire: the look and the keys of a real
item (ItemFrame), on the response scale of the questionnaire's first options item, with a line
saying it does not count. The answer stays on this screen: nothing is stored.

It comes before the first introduction, not after it: the practice is about how to answer
(keys, buttons, next), the same for every questionnaire, while the introduction's "Beginnen"
then leads straight into the items that count, so the practice item is never taken for one.
"""

from __future__ import annotations

from instruments import Instrument, Item, Text

from ..texts import TEXTS, text
from ..widgets.answer import Value
from .item_frame import ItemFrame

PRACTICE_ID = "practice"  # never stored: only this screen knows the item


def practice_item(instrument: Instrument) -> Item | None:
    """"Ik eet graag pannenkoeken." on the scale of the instrument's first options item;
    None when the instrument has no options item (nothing to practise on)."""
    first = next((item for item in instrument.items if item.kind == "options"), None)
    if first is None:
        return None
    sentence = Text(nl=TEXTS["nl"]["practice_sentence"], en=TEXTS["en"]["practice_sentence"])
    return Item(id=PRACTICE_ID, text=sentence, response=first.response)


class PracticeScreen(ItemFrame[None]):
    """Dismissed when the pupil goes on (Enter, →, or volgende); ← has nowhere to go."""

    def __init__(self, instrument: Instrument, item: Item, language: str) -> None:
        super().__init__(instrument, language)
        self.item = item
        self.chosen: Value = None  # what the pupil tried, kept on screen only
        self._left = False

    def on_mount(self) -> None:
        note = text(self.language, "practice_note")
        self.show(self.item, self.item.text.get(self.language), self.chosen, note, step=None)

    def save(self, value: Value) -> bool:
        self.chosen = value
        return True

    def action_next(self) -> None:
        if not self._left:  # a key press and a click in the same moment go on once
            self._left = True
            self.dismiss(None)

    def action_back(self) -> None:
        """The practice item is the first screen of its kind: there is nothing to go back to."""
