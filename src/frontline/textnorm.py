"""Text normalization before matching, with offsets back into the original text.

Scraped and pasted reporting hides characters inside words that a reader never sees:
soft hyphens (U+00AD, and ``&shy;`` left over from HTML), zero-width spaces, joiners and
non-joiners, word joiners, byte-order marks and bidirectional marks. A soft hyphen inside
"Nikopol" makes two words, "Niko" and "pol", and "Niko" is a spelling of Nikkō, Japan.
Reporters also mix apostrophes (Mar'inka, Mar’inka, Marʼinka, Mar`inka), full-width and
compatibility forms, and Cyrillic letters that look Latin ("Kyіv" with a Cyrillic і).

:func:`normalize_text` returns the text a matcher should read and an :class:`OffsetMap`
that turns offsets in it back into offsets in the original text, so that what is found
still points at the words as written.

Examples
--------
>>> text = "Shelling hit Niko\\u00adpol and Mar’inka."
>>> clean, offsets = normalize_text(text)
>>> clean
"Shelling hit Nikopol and Mar'inka."
>>> start, end = clean.index("Nikopol"), clean.index("Nikopol") + 7
>>> text[offsets.to_original(start):offsets.to_original_end(end)]
'Niko\\xadpol'
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from functools import lru_cache

__all__ = ["OffsetMap", "normalize_text"]

#: Characters with no width and no meaning inside a word: soft hyphen, Mongolian vowel
#: separator, zero-width space, non-joiner and joiner, left-to-right and right-to-left
#: marks, bidirectional embeddings and isolates, word joiner and invisible operators,
#: byte-order mark.
_INVISIBLE_SET = frozenset(
    chr(c)
    for first, last in (
        (0x00AD, 0x00AD),
        (0x180E, 0x180E),
        (0x200B, 0x200F),
        (0x202A, 0x202E),
        (0x2060, 0x2064),
        (0x2066, 0x2069),
        (0xFEFF, 0xFEFF),
    )
    for c in range(first, last + 1)
)
#: Those, and the HTML spellings of the soft hyphen that scrapers leave behind.
_INVISIBLE = re.compile(f"[{''.join(sorted(_INVISIBLE_SET))}]+|&(?:shy|#173|#[xX]0*[aA][dD]);")

#: Apostrophes and the marks typed for one; each is written "'" (a tokenizer reads "'"
#: and a single quote alike, so quotes around a word lose nothing).
_APOSTROPHE_FORMS = "’‘ʼʹʻ`´′＇"

#: Cyrillic letters drawn like Latin ones, by the Latin letter they pass for.
_LOOKALIKES = {
    "а": "a",
    "в": "B",
    "е": "e",
    "о": "o",
    "р": "p",
    "с": "c",
    "у": "y",
    "х": "x",
    "і": "i",
    "ј": "j",
    "ѕ": "s",
    "ԁ": "d",
    "ԛ": "q",
    "ԝ": "w",
    "һ": "h",
    "ӏ": "l",
    "А": "A",
    "В": "B",
    "Е": "E",
    "К": "K",
    "М": "M",
    "Н": "H",
    "О": "O",
    "Р": "P",
    "С": "C",
    "Т": "T",
    "Х": "X",
    "І": "I",
    "Ј": "J",
    "Ѕ": "S",
    "Ү": "Y",
    "Ԛ": "Q",
    "Ԝ": "W",
}
_LOOKALIKE_CLASS = "".join(_LOOKALIKES)
_TO_LATIN = str.maketrans(_LOOKALIKES)
#: A word that mixes Latin letters with Cyrillic look-alikes (and nothing else Cyrillic).
_MIXED_WORD = re.compile(
    f"(?<![^\\W\\d_])(?=[{_LOOKALIKE_CLASS}a-zA-Z]*[a-zA-Z])(?=[{_LOOKALIKE_CLASS}a-zA-Z]*"
    f"[{_LOOKALIKE_CLASS}])[{_LOOKALIKE_CLASS}a-zA-Z]+(?![^\\W\\d_])"
)
_NON_ASCII = re.compile("[^\x00-\x7f]")
# (deleting the runs of ASCII leaves the characters beyond it twice as fast as finding them)
_ASCII_RUN = re.compile("[\x00-\x7f]+")


class OffsetMap:
    """Offsets in a normalized text, mapped back to the text it was made from.

    Normalization removes characters and, rarely, expands or contracts one (NFKC turns
    "ﬁ" into "fi"); between those places the two texts run in step. The map keeps the
    places where the shift changes: ``(normalized offset, original offset)`` pairs.

    Examples
    --------
    >>> m = OffsetMap([(0, 0), (4, 5)])  # one character removed before offset 4
    >>> [m.to_original(i) for i in range(7)]
    [0, 1, 2, 3, 5, 6, 7]
    >>> [m.to_normalized(i) for i in range(8)]
    [0, 1, 2, 3, 4, 4, 5, 6]
    """

    __slots__ = ("_norm", "_orig")

    def __init__(self, anchors: list[tuple[int, int]]) -> None:
        self._norm = [a for a, _ in anchors]
        self._orig = [b for _, b in anchors]

    def to_original(self, pos: int) -> int:
        """The original offset of normalized offset *pos* (a start)."""
        i = bisect_right(self._norm, pos) - 1
        at = self._orig[i] + pos - self._norm[i]
        return min(at, self._orig[i + 1]) if i + 1 < len(self._orig) else at

    def to_original_end(self, pos: int) -> int:
        """The original offset of normalized offset *pos* as the end of a span: right
        after the character before it, so a span never takes in what was removed after it."""
        return self.to_original(pos - 1) + 1 if pos > 0 else 0

    def to_normalized(self, pos: int) -> int:
        """The normalized offset of original offset *pos* (inside something removed: where
        it was)."""
        i = bisect_left(self._orig, pos)  # the first anchor at pos, else the one before
        if i == len(self._orig) or self._orig[i] != pos:
            i -= 1
        at = self._norm[i] + pos - self._orig[i]
        return min(at, self._norm[i + 1]) if i + 1 < len(self._norm) else at

    def then(self, later: OffsetMap | None) -> OffsetMap:
        """This map followed by *later*, a map of a text normalized from this one's result."""
        if later is None:
            return self
        pairs = sorted(
            {(p, self.to_original(q)) for p, q in zip(later._norm, later._orig, strict=True)}
            | {(later.to_normalized(p), q) for p, q in zip(self._norm, self._orig, strict=True)}
        )
        return OffsetMap(pairs)


def normalize_text(text: str) -> tuple[str, OffsetMap | None]:
    """The text a matcher should read, and the map of its offsets back to *text*.

    Removes invisible characters (see the module's description), applies NFKC (but not
    to symbols such as "№"), writes every apostrophe form as "'", and Cyrillic look-alike
    letters inside a Latin word as the Latin letters they pass for. The map is None when no character changed
    place (text unchanged, or changed letter for letter); the offsets then agree.

    Parameters
    ----------
    text : str
        The text as written.

    Returns
    -------
    (str, OffsetMap or None)

    Examples
    --------
    >>> normalize_text("Kyіv and Kharkiv")  # a Cyrillic і inside Kyiv
    ('Kyiv and Kharkiv', None)
    >>> normalize_text("Kherson")[1] is None
    True
    """
    if text.isascii():
        if "&" not in text and "`" not in text:
            return text, None  # (the common case: nothing to look for)
        chars: set[str] = set()
    else:  # the few characters beyond ASCII, each once: what follows asks about them
        chars = set(_ASCII_RUN.sub("", text))
    offsets = None
    if not _INVISIBLE_SET.isdisjoint(chars) or (
        "&" in text and ("&shy;" in text or "&#" in text) and _INVISIBLE.search(text)
    ):
        text, offsets = _strip_invisible(text)
    # (a text whose characters beyond ASCII are all inert is normalized: see _inert)
    if chars and not all(_inert(c) for c in chars) and not unicodedata.is_normalized("NFKC", text):
        text, nfkc = _nfkc(text, chars)
        offsets = nfkc if offsets is None else offsets.then(nfkc)
        chars = set(_ASCII_RUN.sub("", text))
    for form in _APOSTROPHE_FORMS:
        if form in chars or form == "`":
            text = text.replace(form, "'")
    if not chars.isdisjoint(_LOOKALIKES):
        text = _MIXED_WORD.sub(lambda m: m.group().translate(_TO_LATIN), text)
    return text, offsets


def _strip_invisible(text: str) -> tuple[str, OffsetMap]:
    parts = []
    anchors = [(0, 0)]
    pos = removed = 0
    for m in _INVISIBLE.finditer(text):
        parts.append(text[pos : m.start()])
        removed += m.end() - m.start()
        pos = m.end()
        anchors.append((pos - removed, pos))
    parts.append(text[pos:])
    return "".join(parts), OffsetMap(anchors)


def _nfkc(text: str, chars: Iterable[str] | None = None) -> tuple[str, OffsetMap | None]:
    """NFKC but for symbols, run by run of non-ASCII characters (each with the ASCII
    character before it, which a combining mark may join), keeping track of any change
    of length. *chars* holds (at least) the characters beyond ASCII of *text*.

    Only the runs that hold a character which is not inert (see :func:`_inert`) are
    visited: a run of inert characters is normalized already.

    Examples
    --------
    >>> _nfkc("Wait\u2026 then ’go’.")[0]
    'Wait... then ’go’.'
    >>> _nfkc("’go’")
    ('’go’', None)
    """
    if chars is None:
        chars = set(_ASCII_RUN.sub("", text))
    active = frozenset(c for c in chars if not _inert(c))
    if not active:
        return text, None  # (typographic quotes and dashes, letters with no marks)
    parts = []
    anchors = [(0, 0)]
    pos = shift = 0
    n = len(text)
    for hit in _finder(active).finditer(text):
        if hit.start() < pos:
            continue  # in a run already read
        # The run of characters beyond ASCII around the hit, from the character before.
        first = hit.start()
        while first > 0 and text[first - 1] > "\x7f":
            first -= 1
        end = hit.end()
        while end < n and text[end] > "\x7f":
            end += 1
        start = first - 1 if first else 0
        run = text[start:end]
        parts.append(text[pos:start])
        pos = end
        if unicodedata.is_normalized("NFKC", run):
            parts.append(run)
            continue
        # Character by character (a base with its combining marks), so each keeps its
        # own place. Symbols keep their form: "№" is no "No", "²" no "2".
        i = 0
        while i < len(run):
            j = i + 1
            while j < len(run) and unicodedata.combining(run[j]):
                j += 1
            piece = run[i:j]
            if not unicodedata.category(piece[0]).startswith("S"):
                piece = unicodedata.normalize("NFKC", piece)
            parts.append(piece)
            if len(piece) != j - i:
                # Where it begins (p in the new text), each extra character of an
                # expansion ("ﬁ" -> "fi") stays at its last original one; then in step.
                p = start + i + shift
                anchors.append((p, start + i))
                anchors.extend(
                    (p + k, start + i + min(k, j - i - 1)) for k in range(j - i, len(piece))
                )
                shift += len(piece) - (j - i)
                anchors.append((start + j + shift, start + j))
            i = j
    parts.append(text[pos:])
    return "".join(parts), OffsetMap(anchors) if len(anchors) > 1 else None


#: Whether each character seen so far is inert (see :func:`_inert`), and how many are kept.
_INERT: dict[str, bool] = {}
_MAX_INERT = 10_000


def _inert(c: str) -> bool:
    """Whether *c* leaves any text it stands in normalized (NFKC) as it is: it has no
    decomposition, is no mark and no Hangul jamo (nothing composes with the character
    before it: the second character of every canonical composition is one or the
    other, checked over every code point in tests/test_textnorm.py), and so is
    normalized alone. Typographic quotes and dashes are; "…", "ﬁ" and a no-break
    space (compatibility forms) and combining accents are not.

    Examples
    --------
    >>> _inert("’"), _inert("—"), _inert("\u2026"), _inert("\u0301")
    (True, True, False, False)
    """
    known = _INERT.get(c)
    if known is None:
        if len(_INERT) >= _MAX_INERT:
            _INERT.clear()
        known = _INERT[c] = (
            not unicodedata.decomposition(c)
            and unicodedata.category(c)[0] != "M"
            and not "\u1100" <= c <= "\u11ff"
            and unicodedata.is_normalized("NFKC", c)
        )
    return known


@lru_cache(maxsize=64)
def _finder(active: frozenset[str]) -> re.Pattern[str]:
    """A pattern for any of the characters *active*."""
    return re.compile("[" + "".join(re.escape(c) for c in sorted(active)) + "]")
