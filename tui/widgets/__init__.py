"""The answer part of the item screen, one widget per kind of item (see answer.py)."""
