"""What it means: scoring and the export tables (docs/exports.md describes every file and column).

Never imports textual (tests/test_import_hygiene.py holds it to that). Names load on first
use, so that `exports.cards` does not pay for pandas.
"""

from instruments.lazy import lazy_names

_EXPORTS = {"ExportError": "errors", "export": "run"}
__all__ = sorted(_EXPORTS)

__getattr__ = lazy_names(__name__, _EXPORTS)
