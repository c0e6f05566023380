"""A problem in a file, and the error that carries them: kept free of heavy imports so that
the command line can catch it without loading pydantic or ruamel at start-up."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"


class InvalidFile(Exception):
    """A file that cannot be used; `problems` holds every reason, each with its line."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(str(problems[0]) if problems else "invalid file")
        self.problems = problems
