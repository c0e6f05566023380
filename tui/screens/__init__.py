"""The screens of the pupil flow; each returns its result through `dismiss()`."""

from .code_entry import CodeEntryScreen
from .farewell import FarewellScreen
from .introduction import IntroductionScreen
from .item import ItemScreen

__all__ = ["CodeEntryScreen", "FarewellScreen", "IntroductionScreen", "ItemScreen"]
