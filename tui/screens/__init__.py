"""The screens of the pupil flow; each returns its result through `dismiss()`.

Loaded on first use (PEP 562): the code screen must not wait for the item screen's imports.
"""

from instruments.lazy import lazy_names

_EXPORTS = {
    "CodeEntryScreen": "code_entry",
    "FarewellScreen": "farewell",
    "IntroductionScreen": "introduction",
    "ItemScreen": "item",
    "NameCheckScreen": "name_check",
    "PracticeScreen": "practice",
    "ReviewScreen": "review",
}
__all__ = sorted(_EXPORTS)

__getattr__ = lazy_names(__name__, _EXPORTS)
