"""The one family of errors Frontline raises.

Every error derives from :class:`FrontlineError`, and also from the builtin that
matches its meaning, so ``except ValueError`` keeps working for callers that do not
know Frontline. Messages name the file, row or value at fault and say what to do.
"""

from __future__ import annotations

__all__ = [
    "FrontlineError",
    "ArticleFormatError",
    "InputNotFoundError",
    "GazetteerError",
    "UnknownPlaceError",
    "EventTableError",
    "OverridesError",
    "OutputError",
    "MapError",
    "CacheError",
    "ArgumentError",
]


class FrontlineError(Exception):
    """Root of every error Frontline raises on purpose."""


class ArticleFormatError(FrontlineError, ValueError):
    """An article file or row cannot be read (bad encoding, front matter, date...).

    Parameters
    ----------
    origin : str
        Where the article came from: a path, optionally with ``:line`` or ``:row``.
    problem : str
        What is wrong and, where possible, how to fix it.
    """

    def __init__(self, origin: str, problem: str) -> None:
        self.origin = origin
        self.problem = problem
        super().__init__(f"{origin}: {problem}")


class InputNotFoundError(FrontlineError, FileNotFoundError):
    """An input path does not exist or holds no article files."""


class GazetteerError(FrontlineError, ValueError):
    """The bundled geodata or a user gazetteer file cannot be loaded."""


class UnknownPlaceError(FrontlineError, LookupError):
    """No gazetteer entry matches a name or id; ``suggestions`` lists close spellings."""

    def __init__(self, name: str, suggestions: list[str] | None = None) -> None:
        self.name = name
        self.suggestions = list(suggestions or [])
        msg = f"no place named {name!r}"
        if self.suggestions:
            msg += "; closest known spellings: " + ", ".join(self.suggestions)
        super().__init__(msg)


class EventTableError(FrontlineError, ValueError):
    """An event table fails validation; ``problems`` lists every bad row at once."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        head = "; ".join(self.problems[:10])
        more = f" (+{len(self.problems) - 10} more)" if len(self.problems) > 10 else ""
        super().__init__(f"event table is invalid: {head}{more}")


class OverridesError(FrontlineError, ValueError):
    """An overrides (corrections) file cannot be read or has a bad rule."""


class OutputError(FrontlineError, OSError):
    """An output file cannot be written (unknown extension, unwritable folder...)."""


class MapError(FrontlineError, ValueError):
    """A map cannot be built: a bad option, or a frontline snapshot file that cannot be used."""


class CacheError(FrontlineError, OSError):
    """The result cache cannot be opened or written (a full or read-only disk, a folder
    that is not writable); a damaged cache is not one: it is moved aside and rebuilt."""


class ArgumentError(FrontlineError, ValueError):
    """A function was given a value it cannot use (a date it cannot read, an unknown event
    type, a bounding box the wrong way round...); the message says what it takes."""
