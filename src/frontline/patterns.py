r"""Regular-expression machinery shared by the taggers: literal leads, gated patterns and
fold-less matching.

:mod:`frontline.timex`, :mod:`frontline.event_types` and :mod:`frontline.events` try
many patterns on every sentence, and nearly all attempts fail on the first word. They
share three tools to fail fast:

- :func:`leads` reads a compiled pattern and spells the few lower-case texts one of
  which starts every match ("late", "jan", a digit); a caller looks for those texts
  first (an Aho–Corasick pass) and tries the pattern only where one is;
- :class:`Gated` is a pattern searched that way;
- :func:`foldless` says when the lower case of a text shows everything that a
  case-insensitive match of ASCII literals sees in it (``re.IGNORECASE`` matches "ſ"
  to "s" and the Kelvin sign to "k"; such texts are searched the plain way).

This module is the one place that reads Python's parsed patterns (``re._parser``, a
private module of the standard library): if a Python version changes it, only
:func:`leads` needs to follow.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

__all__ = ["FOLDS_TO_ASCII", "foldless", "leads", "Gated", "last_words"]

#: The only characters outside ASCII that ``re.IGNORECASE`` matches to an ASCII letter
#: (İ, ı, ſ and the Kelvin sign; checked over every code point in the tests). Lower-casing
#: maps them to no ASCII letter, or to two characters.
FOLDS_TO_ASCII = frozenset("\u0130\u0131\u017f\u212a")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")  # a set first: found by a fast scan

#: Growing more texts than this for one pattern stops the spelling (still correct).
_MAX_LEADS = 256


def foldless(text: str) -> bool:
    r"""Whether the lower case of *text* shows all that a case-insensitive match of ASCII
    literals and ``\d`` sees in it: no character that folds to ASCII, no digit of
    another script. True of most texts, and at once of ASCII ones.

    Examples
    --------
    >>> foldless("Ukraine’s army"), foldless("ſhelling"), foldless("\u0663 days")
    (True, False, False)
    """
    return text.isascii() or not any(
        c in FOLDS_TO_ASCII or c.isdecimal() for c in _NON_ASCII.findall(text)
    )


def leads(pattern: re.Pattern[str], *, spaces: bool = False, digits: bool = True) -> frozenset[str]:
    r"""Lower-case texts one of which starts every match of *pattern*.

    Read from the parsed pattern: zero-width assertions are skipped; literals, small
    character sets, alternations, groups and optional parts are spelled out; spelling
    stops (keeping what it has, which still starts every match) at a repeat or at
    anything else it cannot spell. Only the shortest texts are kept: a text that starts
    with one of them starts with a lead. ``{""}`` means that a match may start with
    anything.

    Parameters
    ----------
    pattern : re.Pattern
        The compiled pattern (its flags are read too).
    spaces : bool
        Spell literal spaces ("air raid"); by default spelling stops at whitespace, so
        that a lead never holds any.
    digits : bool
        Spell ``\d`` as the ASCII digits (the caller then looks for leads only in text
        that :func:`foldless` accepts, free of other scripts' digits); if False,
        spelling stops at ``\d``.

    Examples
    --------
    >>> sorted(leads(re.compile(r"(?<!\w)(?:late\s)?(?:jan|feb)\.?", re.I)))
    ['feb', 'jan', 'late']
    >>> sorted(leads(re.compile(r"Q[1-4]|\d+s")))
    ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'q1', 'q2', 'q3', 'q4']
    >>> sorted(leads(re.compile(r"(?<![\w-])(?:air ?raids?|jets?)", re.I), spaces=True))
    ['air raid', 'airraid', 'jet']
    >>> leads(re.compile(r"\d+ killed"), digits=False)
    frozenset({''})
    """
    from re import _constants as sre  # type: ignore[attr-defined]  # Python 3.11+
    from re import _parser  # type: ignore[attr-defined]

    ascii_digits = frozenset("0123456789")

    def chars(op: Any, av: Any) -> frozenset[str] | None:
        """The characters one item matches, if few and plain ASCII, else None."""
        if op is sre.LITERAL:
            found = {chr(av)}
        elif op is sre.IN:
            found = set()
            for sub_op, sub_av in av:
                if sub_op is sre.LITERAL:
                    found.add(chr(sub_av))
                elif sub_op is sre.RANGE and sub_av[1] - sub_av[0] < 16:
                    found.update(chr(c) for c in range(sub_av[0], sub_av[1] + 1))
                elif digits and sub_op is sre.CATEGORY and sub_av is sre.CATEGORY_DIGIT:
                    found.update(ascii_digits)
                else:
                    return None
        else:
            return None
        if any(not c.isascii() or (c.isspace() and not (spaces and c == " ")) for c in found):
            return None
        return frozenset(c.lower() for c in found)

    def grow(items: Any, growing: set[str]) -> tuple[set[str], set[str]]:
        """Texts still growing after *items*, and texts whose spelling stopped."""
        stopped: set[str] = set()
        for op, av in items:
            if not growing:
                break
            if op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
                continue  # zero-width: consumes nothing
            one = chars(op, av)
            if one is not None and len(growing) * len(one) > _MAX_LEADS:
                return set(), stopped | growing
            if one is not None:
                growing = {g + c for g in growing for c in one}
            elif op is sre.SUBPATTERN:
                growing, more = grow(av[-1], growing)
                stopped |= more
            elif op is sre.BRANCH:
                after: set[str] = set()
                for branch in av[1]:
                    ends, more = grow(branch, growing)
                    after |= ends
                    stopped |= more
                growing = after
            elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
                low, high, body = av
                ends, more = grow(body, growing)
                stopped |= more
                if low == 0 and high == 1:  # optional: taken or skipped
                    growing = growing | ends
                elif low == 0:  # skipped, or taken an unknown number of times
                    stopped |= ends
                elif low == high == 1:
                    growing = ends
                else:  # taken at least once, then unknown
                    stopped |= ends
                    growing = set()
            else:  # cannot be spelled: what is spelled so far still starts every match
                return set(), stopped | growing
            if len(growing) > _MAX_LEADS:
                return set(), stopped | growing
        return growing, stopped

    growing, stopped = grow(_parser.parse(pattern.pattern, pattern.flags), {""})
    found = growing | stopped
    # "jan" starts whatever "jan." starts: keep the shortest.
    return frozenset(lead for lead in found if not any(lead[:n] in found for n in range(len(lead))))


class Gated:
    r"""A pattern tried only where one of the texts its matches start with is.

    Most searches of context patterns (the words before a place or a cue) fail, and a
    failing search of a long alternation tries it at every position; one Aho–Corasick
    pass over the lower-cased text finds the pattern's :func:`leads`, and the pattern
    is matched there alone, in text order, which finds the same leftmost match many
    times faster. Texts that :func:`foldless` rejects are searched as usual.

    Examples
    --------
    >>> gated = Gated(re.compile(r"(?<![\w-])(?:mayor|governor)\s+of\s+$", re.I))
    >>> gated.search("the governor of ") is not None, gated.search("residents of ")
    (True, None)
    """

    __slots__ = ("pattern", "_automaton")

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern
        self._automaton: Any = None  # built on first use: importing stays light

    def search(self, text: str, low: str | None = None) -> re.Match[str] | None:
        """``pattern.search(text)``; *low* is ``text.lower()`` when the caller has it."""
        automaton = self._automaton or self._build()
        if automaton is True or not (text.isascii() or foldless(text)):
            return self.pattern.search(text)
        hits = automaton.iter(text.lower() if low is None else low)
        first = next(hits, None)
        if first is None:
            return None  # most texts: then nothing to sort
        match = self.pattern.match  # what search() would find trying at a position
        starts = [last - length + 1 for last, length in hits]
        if not starts:
            return match(text, first[0] - first[1] + 1)  # one lead: one place to try
        starts.append(first[0] - first[1] + 1)
        starts.sort()
        tried = -1
        for pos in starts:
            if pos != tried:
                m = match(text, pos)
                if m is not None:
                    return m
                tried = pos
        return None

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        r"""``pattern.finditer(text)``, for a pattern that never matches the empty
        string: the pattern is matched at the leads alone, in text order, each match
        starting after the one before (as ``finditer`` goes on).

        Examples
        --------
        >>> gated = Gated(re.compile(r"(?<![\w-])(?:Russia|Ukraine)n?", re.I))
        >>> [m.group() for m in gated.finditer("Russian and UKRAINE; Prussia")]
        ['Russian', 'UKRAINE']
        """
        automaton = self._automaton or self._build()
        if automaton is True or not (text.isascii() or foldless(text)):
            yield from self.pattern.finditer(text)
            return
        starts = sorted({last - length + 1 for last, length in automaton.iter(text.lower())})
        match = self.pattern.match
        resume = 0
        for pos in starts:
            if pos < resume:
                continue
            m = match(text, pos)
            if m is not None:
                yield m
                resume = max(m.end(), pos + 1)

    def _build(self) -> Any:
        found = leads(self.pattern)
        if "" in found:
            self._automaton = True  # a match may start with anything: no gate
            return True
        import ahocorasick

        automaton = ahocorasick.Automaton()
        for lead in found:
            automaton.add_word(lead, len(lead))
        automaton.make_automaton()
        self._automaton = automaton
        return automaton


def last_words(text: str, n: int) -> str:
    r"""*text* from the whitespace before its *n*-th word from the end (all of it if it
    has fewer words): where any match must start of a pattern anchored at the end that
    spans at most *n* words (matching whitespace only with ``\s``) and cannot start
    with whitespace. Searching this is cheaper than searching *text*, with the same
    outcome.

    Examples
    --------
    >>> last_words("shelling struck the centre of the city of ", 4)
    ' of the city of '
    >>> last_words("in Kyiv ", 4)
    'in Kyiv '
    """
    parts = text.rsplit(None, n)
    return text[len(parts[0]) :] if len(parts) > n else text
