"""What can be asked: instrument models, the YAML loader and the shipped item bank.

Never imports textual (tests/test_import_hygiene.py holds it to that).
"""

from .catalog import content_hash, load_instrument, shipped, validate
from .models import Audience, Instrument, Item, ResponseScale, Scale, Section, Text
from .yamlfile import InvalidFile, Problem

__all__ = [
    "Audience", "Instrument", "InvalidFile", "Item", "Problem", "ResponseScale", "Scale",
    "Section", "Text", "content_hash", "load_instrument", "shipped", "validate",
]
