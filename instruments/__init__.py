"""What can be asked: instrument models, the YAML loader and the shipped item bank.

Never imports textual (tests/test_import_hygiene.py holds it to that). Names are loaded on
first use (PEP 562), so that `from instruments.problems import InvalidFile` stays cheap for
the command line's start-up.
"""

from .lazy import lazy_names

_EXPORTS = {
    "Audience": "models", "Instrument": "models", "Item": "models", "ResponseScale": "models",
    "Scale": "models", "Section": "models", "Text": "models",
    "content_hash": "catalog", "load_instrument": "catalog", "shipped": "catalog", "validate": "catalog",
    "InvalidFile": "problems", "Problem": "problems",
}
__all__ = sorted(_EXPORTS)

__getattr__ = lazy_names(__name__, _EXPORTS)
