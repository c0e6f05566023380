"""The teacher's rating screens: the ratings grid (grid.py), the roster and test-result screens
(screens.py) and the check for missing ratings (check.py). Loaded on first use (PEP 562): the
pupil app never pays for them at start-up.
"""

from instruments.lazy import lazy_names

_EXPORTS = {
    "Column": "grid", "RatingGrid": "grid", "Row": "grid",
    "MissingCheckScreen": "check",
    "RosterRatingsScreen": "screens", "TestResultsScreen": "screens",
}
__all__ = sorted(_EXPORTS)

__getattr__ = lazy_names(__name__, _EXPORTS)
