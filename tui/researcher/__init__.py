"""The researcher side of the TUI, behind the researcher PIN: the fieldwork dashboard and,
per class, who is done, with attendance marks. `klaspeil researcher` starts it."""

from .app import ResearcherApp

__all__ = ["ResearcherApp"]
