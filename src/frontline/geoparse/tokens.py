"""Tokens: the capitalized runs of a text, their words and the names inside them.

Only capitalized words can begin a toponym, so the text is scanned (by regular
expressions) for runs of capitalized words ("Denzel Washington", "Sea of Azov",
"Kherson region"). The words of a run are normalized with
:func:`frontline.gazetteer.normalize_name`; a lone word is looked up directly and longer
runs go through an Aho–Corasick automaton over every gazetteer name (:class:`Matcher`),
so a match starts and ends on word boundaries and never crosses a run or a possessive.
:class:`Doc` holds the tokens of one text and reads the words around a match lazily.
"""

from __future__ import annotations

import re
import threading
from bisect import bisect_left, bisect_right
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate
from typing import TYPE_CHECKING, Any

from ..gazetteer import normalize_name
from ..sentences import split_sentences
from ..textnorm import OffsetMap, normalize_text
from .lexicon import (
    CONNECTORS,
    CUE_WORDS,
    DEMONYMS,
    FEATURE_WORDS,
    FUNCTION_WORDS,
    NEVER_ALONE,
)

if TYPE_CHECKING:  # pragma: no cover
    from ..gazetteer import Gazetteer

_TOKEN = re.compile(r"[^\W_]+(?:['’ʼ`][^\W_]+)*")
_POSSESSIVE = ("'s", "’s", "ʼs", "`s")
_CONTRACTION = re.compile(r"['’ʼ`](?:m|ve|ll|re|d|t)$", re.IGNORECASE)
_APOSTROPHES = "'’ʼ`"

# ------------------------------------------------------------------------- tokens
#
# Only capitalized words can begin a toponym, so the text is scanned (by regular
# expressions, in C) for runs of capitalized words ("Denzel Washington", "Sea of Azov",
# "Kherson region"); only the words of those runs become tokens. Whatever else
# recognition and resolution need (the word before, the verb after, the sentence) is
# read from the text around a match when it is needed.

#: Lower-case words that may end a multi-word gazetteer name.

_UPPER = "A-Z\u00c0-\u00d6\u00d8-\u00de\u0100-\u024f\u0400-\u042f\u0490\u0404\u0406\u0407"
# A capitalized word, or "St." "Ste." "Ft." "Mt." (the first character leads the pattern:
# that lets the regular expression engine skip ahead quickly).
_NAME_WORD = (
    f"[{_UPPER}](?:\\.(?:[A-Z]\\.){{1,2}}(?![^\\W_])|(?<=[SFM])te?\\.(?= )"
    f"|[^\\W_]*(?:['’ʼ`][^\\W_]+)*)"
)  # also dotted acronyms: "U.S.", "U.K."
_DOTTED = re.compile(r"(?:[A-Z]\.){2,3}")
_PART = re.compile(f"{_DOTTED.pattern}|{_TOKEN.pattern}")
_RUN_SEP = r"(?:[ \t\u00a0]+|[-‐‑])"


def _alternation(words: frozenset[str]) -> str:
    """A regular expression for any of *words*, its branches merged by common prefix.

    The regular expression engine tries the branches of an alternation one by one; a
    word list factored into a tree ("de(?:l|r)?" for de, del, der) lets it give up
    after a letter or two. The words here (connectors, feature words) are followed by a
    separator or ``\\b``, so at most one of them can match at a place and the order of
    the branches does not change what a pattern matches.

    Examples
    --------
    >>> _alternation(frozenset({"de", "del", "der", "of", "on"}))
    '(?:de(?:l|r)?|o(?:f|n))'
    >>> [bool(re.fullmatch(_alternation(frozenset({"sea", "sea of"})), w)) for w in ("sea", "se")]
    [True, False]
    """
    tree: dict[str, dict] = {}
    for word in words:
        node = tree
        for c in word:
            node = node.setdefault(c, {})
        node[""] = {}  # a word ends here

    def pattern(node: dict[str, dict]) -> str:
        branches = [re.escape(c) + pattern(child) for c, child in sorted(node.items()) if c]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"
        if "" not in node:
            return body
        return f"(?:{body})?" if len(branches) == 1 and len(body) > 1 else f"{body}?"

    return pattern(tree)  # (a group already when it has several branches)


#: The most words a run holds: a longer one is read in runs of this many (a list or
#: garbage, not prose; the regular expression engine keeps a mark for every repetition,
#: and one run of a million words held hundreds of megabytes).
_MAX_RUN_WORDS = 40
_RUN = re.compile(
    f"{_NAME_WORD}(?:{_RUN_SEP}(?:{_alternation(CONNECTORS)}{_RUN_SEP})?{_NAME_WORD})"
    f"{{0,{_MAX_RUN_WORDS - 1}}}"
    f"(?:[ \\t\\u00a0]+{_alternation(FEATURE_WORDS)}\\b){{0,4}}"
)
NEXT_WORD = re.compile(r"([^\w\n]*)([^\W_]+)")


@lru_cache(maxsize=2)
def _word_automaton(cues_only: bool = False):
    """An Aho–Corasick automaton over the cue words and demonyms (lower case), or over
    the cue words alone."""
    import ahocorasick

    automaton = ahocorasick.Automaton()
    for word in set(CUE_WORDS) if cues_only else {*CUE_WORDS, *DEMONYMS}:
        automaton.add_word(word, word)
    automaton.make_automaton()
    return automaton


def _find_words(text: str, *, cues_only: bool = False) -> list[tuple[int, str]]:
    """(start, word) of every whole-word cue word or demonym in *text*, any case; of
    the cue words alone with *cues_only*."""
    low = text.lower()
    if len(low) != len(text):  # a few characters change length when lowered
        low = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    out = []
    n = len(text)
    for end, word in _word_automaton(cues_only).iter(low):
        start = end - len(word) + 1
        if (start == 0 or not low[start - 1].isalnum()) and (
            end + 1 == n or not low[end + 1].isalnum()
        ):
            out.append((start, word))
    return out


@dataclass(slots=True)
class Token:
    start: int
    end: int
    word: str  # as written, possessive 's removed
    low: str  # lower case
    key: str  # normalize_name(word)
    possessive: bool
    run: int  # where the capitalized run it belongs to starts


_KEYS: dict[str, str] = {}


def _key(word: str) -> str:
    """The normalized key of a word ("Russia's" -> the key of "Russia"), cached."""
    key = _KEYS.get(word)
    if key is None:
        if len(_KEYS) > 500_000:
            _KEYS.clear()
        if _CONTRACTION.search(word):
            key = "'"  # "I'm", "don't": no gazetteer key holds "'"
        elif len(word) > 2 and word[-2:].lower() in _POSSESSIVE:
            key = normalize_name(word[:-2])
        else:
            key = normalize_name(word)
        _KEYS[word] = key
    return key


class Doc:
    """One text: the tokens of its capitalized runs and lazy views of the rest."""

    __slots__ = (
        "text",
        "tokens",
        "single",
        "lone_names",
        "matches",
        "caps",
        "unknown",
        "sent_starts",
        "names",
        "_lower",
        "_headline",
        "_words",
        "_prev",
        "_next",
        "_after",
        "_alone",
        "original",
        "offsets",
    )
    _lower: dict[str, bool]

    def __init__(
        self, text: str, sentences: list[tuple[int, int]] | None, matcher: _Matcher | None = None
    ) -> None:
        self.text = text
        #: The text as written, and the map of ``text``'s offsets back to it (None when
        #: they agree): see ``make_doc``.
        self.original = text
        self.offsets: OffsetMap | None = None
        self.names = names = matcher.keys if matcher is not None else None
        self.sent_starts = (
            [s for s, _ in sentences] if sentences is not None else _sentence_starts(text)
        )
        self.sent_starts = self.sent_starts or [0]
        self._lower: dict[str, bool] = {}
        self._alone: frozenset[str] | None = None
        self._after: dict[int, tuple[str, str]] = {}  # next_word, by position
        self._headline: dict[int, bool] = {}
        self._words: list[tuple[int, str]] | None = None
        self._prev: dict[int, tuple[str, str]] = {}
        self._next: dict[int, list[tuple[str, str]]] = {}
        tokens: list[Token] = []
        single: set[int] = set()  # tokens that make up a run alone
        self.single = single
        lone_names = self.lone_names = []  # (token, token, key, shape) of the names
        caps = self.caps = set()  # every capitalized word and run, normalized
        #: the capitalized words that open a run and name no place (a misspelled
        #: village may be among them: see ``spelling``)
        self.unknown: dict[str, str] = {}  # key -> the word as written
        # (first, last token, key, name_shape) of the names in those runs
        matches = self.matches = []
        lone = matcher.lone if matcher is not None else {}
        plans = matcher._plans if matcher is not None else {}
        # (bound methods held in local names: this loop runs for every capitalized word)
        append, add_cap, get_lone, get_plan = tokens.append, caps.add, lone.get, plans.get
        unknown = self.unknown
        for run in _RUN.finditer(text):
            word = run.group()
            if word.isalpha():  # the common case: one plain word, a name or not
                known = get_lone(word)
                if known is None:
                    known = (
                        matcher.read_word(word) if matcher is not None else _read_word(word, None)
                    )
                key, low = known
                if key is None:
                    continue  # "The", "In": never a place alone
                add_cap(key)
                if low:  # a name: a token
                    i = len(tokens)
                    single.add(i)
                    lone_names.append((i, i, key, ONE_WORD))
                    s = run.start()
                    append(Token(s, s + len(word), word, low, key, False, s))
                else:
                    unknown[key] = word
                continue
            # A run of several words: its tokens and the names in it depend on the run
            # alone, so they are worked out once per distinct run (``_RunPlan``).
            plan = get_plan(word)  # (most were seen before: no test for dots is needed)
            if plan is None:
                if _DOTTED.fullmatch(word):  # "U.S.", "U.K.": one word, dots and all
                    key = _key(word.replace(".", ""))
                    caps.add(key)
                    if key and (names is None or key in names):
                        i = len(tokens)
                        single.add(i)
                        lone_names.append((i, i, key, ONE_WORD))
                        s = run.start()
                        append(Token(s, s + len(word), word, word.lower(), key, False, s))
                    continue
                plan = matcher.plan(word) if matcher is not None else _plan_run(word, None, None)
            run_caps, run_tokens, _, run_matches, open_end, opener = plan
            caps.update(run_caps)
            if names is None or run_caps[0] not in names:
                unknown[run_caps[0]] = opener  # ("Popsana on Tuesday": its first word)
            if not run_tokens:
                continue  # no name in this run: nothing to find in it
            r = run.start()
            base = len(tokens)
            for s, e, part, low, key, poss in run_tokens:
                append(Token(r + s, r + e, part, low, key, poss, r))
            if open_end:
                e = tokens[-1].end
                if (
                    e < len(text)
                    and text[e] in _APOSTROPHES
                    and (e + 1 == len(text) or not text[e + 1].isalnum())
                ):
                    tokens[-1].possessive = True  # "Armed Forces' positions"
            for a, b, key, shape in run_matches:
                matches.append((base + a, base + b, key, shape))
        self.tokens = tokens

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The offsets in the text as written of the span *start*:*end* of ``text``."""
        offsets = self.offsets
        if offsets is None:
            return start, end
        return offsets.to_original(start), offsets.to_original_end(end)

    def sentence(self, pos: int) -> int:
        return bisect_right(self.sent_starts, pos) - 1

    def name_before_of(self, pos: int) -> str:
        """The capitalized word before an "of" that ends right before *pos*, in lower case
        ("code" in "the Criminal Code of Ukraine"), or "" when there is none."""
        word, gap = self._prev.get(pos) or self.prev_word(pos)  # (mostly known already)
        if word != "of" or gap.strip():
            return ""
        end = pos - len(gap) - 2  # where the word before "of" ends
        before, gap2 = self.prev_word(end)
        start = end - len(gap2) - len(before)
        return before if start >= 0 and self.text[start : start + 1].isupper() else ""

    def prev_word(self, pos: int) -> tuple[str, str]:
        """The word before *pos* (lower case) and the characters between ("", "" if none),
        on the same line."""
        known = self._prev.get(pos)
        if known is not None:
            return known
        # (worked out here, not in a helper: one call fewer for each name of each text)
        text = self.text
        i = pos
        floor = pos - 40 if pos > 40 else 0
        if i > floor:  # (most often one space, or nothing, stands before pos)
            c = text[i - 1]
            if not c.isalnum() and c != "\n":
                i -= 1
                while i > floor and not text[i - 1].isalnum() and text[i - 1] != "\n":
                    i -= 1
        j = text.rfind(" ", floor, i) + 1
        # The word is the run of letters and digits that ends at i, however long; it
        # starts at j at the earliest, after a space (j is 0 when none stands within 40
        # characters: the run is then found without copying the text before it). A line
        # break after that space is no letter either: the run stops there as well.
        word = text[j:i] if j else ""
        if not word.isalnum():  # "(in", "-based": keep the last run of letters
            k = i
            while k > j and text[k - 1].isalnum():
                k -= 1
            word = text[k:i]
        if len(self._prev) > _MAX_CACHED:
            self._prev.clear()
        known = self._prev[pos] = word.lower(), text[i:pos]
        return known

    def next_word(self, pos: int) -> tuple[str, str]:
        """The (gap, lower-case word) after *pos*; ("", "") at the end."""
        known = self._after.get(pos)
        if known is not None:  # (asked three or four times for the end of each name)
            return known
        if len(self._after) > _MAX_CACHED:
            self._after.clear()
        m = NEXT_WORD.match(self.text, pos)
        if m is None:
            known = self._after[pos] = ("", "")
            return known
        gap, word = m.groups()
        known = self._after[pos] = (gap, word.lower())
        return known

    def next_words(self, pos: int) -> list[tuple[str, str]]:
        """Up to three (gap, lower-case word) pairs after *pos*."""
        known = self._next.get(pos)
        if known is None:
            if len(self._next) > _MAX_CACHED:
                self._next.clear()
            known = self._next[pos] = self._next_words(pos, 3)
        return known

    def _next_words(self, pos: int, n: int) -> list[tuple[str, str]]:
        out = []
        for _ in range(n):
            m = NEXT_WORD.match(self.text, pos)
            if m is None:
                break
            out.append((m.group(1), m.group(2).lower()))
            pos = m.end()
        return out

    def opens_sentence(self, pos: int) -> bool:
        """Whether the word at *pos* opens a sentence, a line, a quote or a clause."""
        text = self.text
        i = pos - 1
        while i >= 0 and text[i] in " \t\u00a0\"“‘'(«[*#":
            i -= 1
        if i < 0 or text[i] in ".!?:;\n—•|":
            return True
        k = bisect_right(self.sent_starts, pos) - 1
        return k >= 0 and self.sent_starts[k] > i

    def headline(self, pos: int) -> bool:
        """Whether *pos* lies in a title-cased line (a headline, a caption)."""
        text = self.text
        # A title is at most _TITLE_CHARS long: the line breaks around it are looked for
        # no further than that (a search to the ends of one huge line, once per word,
        # made a 10 MB single-line article take minutes).
        floor = pos - _TITLE_CHARS - 1 if pos > _TITLE_CHARS else 0
        start = text.rfind("\n", floor, pos) + 1
        if not start and floor:
            return False  # the line began too far back: a paragraph, not a title
        known = self._headline.get(start)
        if known is None:
            end = text.find("\n", pos, start + _TITLE_CHARS + 1)
            if end < 0:
                end = len(text)
            if end - start > _TITLE_CHARS:  # a paragraph, not a title
                self._headline[start] = False
                return False
            content = [
                w
                for w in _TOKEN.findall(text, start, min(end, start + 400))
                if len(w) > 3 and w.lower() not in FUNCTION_WORDS and not w.isdigit()
            ]
            caps = sum(w[:1].isupper() for w in content)
            known = self._headline[start] = len(content) >= 4 and caps >= 0.9 * len(content)
        return known

    def cues(self, sentence: int) -> set[str]:
        """The countries whose cue words ("Kremlin", "Pentagon") a sentence uses."""
        starts = self.sent_starts
        start = starts[sentence]
        end = starts[sentence + 1] if sentence + 1 < len(starts) else len(self.text)
        # (the cue words alone: demonyms, "Ukrainian", "Russian", are the commoner words)
        return {CUE_WORDS[w] for _, w in _find_words(self.text[start:end], cues_only=True)}

    def words(self) -> list[tuple[int, str]]:
        """(start, lower-case word) of the cue words and demonyms of the text."""
        if self._words is None:
            self._words = _find_words(self.text)
        return self._words

    def written_lower(self, low: str) -> bool:
        """Whether the text also writes *low* (a lower-case word) in lower case."""
        known = self._lower.get(low)
        if known is None:
            if len(self._lower) < _MAX_WORD_SEARCHES:
                known = _written_alone(self.text, low)
            else:
                # Past a few dozen words, one pass over the text answers every question
                # (each search may walk the whole text: many of them grow quadratically).
                if self._alone is None:
                    self._alone = _words_alone(self.text)
                known = low in self._alone
            self._lower[low] = known
        return known


#: Bound of a doc's caches of the words around a position (they only spare repeated
#: questions about one name: a huge text need not keep them all).
_MAX_CACHED = 4096
#: The longest line read as a title (a headline, a caption).
_TITLE_CHARS = 300
#: Words looked up in a text by search before its words are all listed at once.
_MAX_WORD_SEARCHES = 64


def _words_alone(text: str) -> frozenset[str]:
    """The words that stand alone in *text* in the sense of :func:`_written_alone`.

    Examples
    --------
    >>> sorted(_words_alone("Split decisions: a split, splits."))
    ['Split', 'a', 'decisions', 'split', 'splits']
    """
    return frozenset(w[:-1] if w[-1] in ",.;:" else w for w in text.split())


def _written_alone(text: str, word: str) -> bool:
    """Whether *word* stands in *text* between white space, maybe followed by , . ; or :.

    The same as ``word`` (or ``word + ","``...) being in ``text.split()``, without
    splitting the whole text: ``str.find`` only visits the places where the word occurs.

    Examples
    --------
    >>> [_written_alone("Split decisions: a split, splits.", w) for w in ("split", "spli")]
    [True, False]
    """
    n, size = len(text), len(word)
    i = text.find(word)
    while i >= 0:
        if i == 0 or text[i - 1].isspace():
            j = i + size
            if j < n and text[j] in ",.;:":
                j += 1
            if j == n or text[j].isspace():
                return True
        i = text.find(word, i + 1)
    return False


def _read_word(word: str, names: Mapping[str, None] | None) -> tuple[str | None, str]:
    """The key and the lower case of a capitalized word alone in its run.

    The key is None for a word that is never a place alone ("The"); the lower case is
    "" when the key is no name (no token is needed for the word then).

    Examples
    --------
    >>> _read_word("The", None), _read_word("Kyiv", None), _read_word("Kyiv", {})
    ((None, ''), ('kiv', 'kyiv'), ('kiv', ''))
    """
    if word in NEVER_ALONE:
        return None, ""
    key = _KEYS.get(word) or _key(word)
    return key, word.lower() if names is None or key in names else ""


def make_doc(
    text: str, sentences: list[tuple[int, int]] | None, gazetteer: Gazetteer | None = None
) -> Doc:
    """The :class:`Doc` of *text* normalized for matching (see :mod:`frontline.textnorm`).

    *sentences* are spans of *text*; the doc's offsets are those of the normalized text,
    and :meth:`Doc.original_span` takes them back.

    Examples
    --------
    >>> doc = make_doc("Niko\u00adpol", None)
    >>> doc.text, doc.original_span(0, 7)
    ('Nikopol', (0, 8))
    """
    clean, offsets = normalize_text(text)
    if offsets is not None and sentences is not None:
        sentences = [(offsets.to_normalized(s), offsets.to_normalized(e)) for s, e in sentences]
    doc = Doc(clean, sentences, matcher_for(gazetteer) if gazetteer is not None else None)
    doc.original, doc.offsets = text, offsets
    return doc


def _sentence_starts(text: str) -> list[int]:
    """Where sentences start, for texts whose caller gave no sentence spans: those of
    :func:`~frontline.sentences.split_sentences`, a line break also ending one (a text
    given alone may be a headline and its lines, or a list).

    Examples
    --------
    >>> text = "Gen. Zaluzhnyi spoke. Volodymyr O. Zelensky left.\\nKyiv quiet"
    >>> [text[i:i + 4] for i in _sentence_starts(text)]
    ['Gen.', 'Volo', 'Kyiv']
    """
    return [0] + [s for s, _ in split_sentences(text, at_line_breaks=True) if s]


# --------------------------------------------------------------------------- matcher


class _Matcher:
    """An Aho–Corasick automaton over the gazetteer's normalized names, built once."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        import ahocorasick

        self.gazetteer = gazetteer
        automaton = ahocorasick.Automaton()
        names = [key for key in gazetteer.keys() if key]
        for key in names:
            automaton.add_word(f" {key} ", (key, key.count(" ") + 1))
        automaton.make_automaton()
        # (the words of all names split at once: a third of the time of a split per name)
        words = " ".join(names).split(" ")
        self.automaton = automaton
        # Both are dicts rather than frozensets: the garbage collector does not track a
        # dict that holds only strings, but it walks every entry of a set in each full
        # collection (60 ms for these two, several times a second while parsing).
        #: Every word of every name: a run with none of them holds no name.
        self.words: dict[str, None] = dict.fromkeys(words)
        #: Every name: a capitalized word alone in its run is one of these or nothing.
        self.keys: dict[str, None] = dict.fromkeys(gazetteer.keys())
        #: The plans of the runs of several words seen so far (see ``plan``).
        self._plans: dict[str, _RunPlan] = {}
        #: The words seen alone in their runs so far (see ``read_word``).
        self.lone: dict[str, tuple[str | None, str]] = {}
        #: Whether a word in capitals names a country or a region, by (word, key), for
        #: recognition (see ``recognition._acronym_of_region``).
        self.acronyms: dict[tuple[str, str], bool] = {}

    def read_word(self, word: str) -> tuple[str | None, str]:
        """``_read_word`` of a word alone in its run, cached in ``lone``."""
        if len(self.lone) >= _MAX_WORDS:
            self.lone.clear()
        known = self.lone[word] = _read_word(word, self.keys)
        return known

    def plan(self, run: str) -> _RunPlan:
        """The tokens and names of a run of several capitalized words, cached.

        News repeats its runs ("President Volodymyr Zelensky", "the Kherson region"):
        three in four runs of the Zelenskyy press releases were seen before in earlier
        releases, so working each out once saves most of the tokenizing and matching.
        """
        plan = self._plans.get(run)
        if plan is None:
            if len(self._plans) >= _MAX_PLANS:
                self._plans.clear()
            plan = self._plans[run] = _plan_run(run, self.words, self.automaton)
        return plan

    def find(self, doc: Doc) -> list[tuple[int, int, str, int]]:
        """All (first token, last token, key, ``name_shape``) matches inside one run,
        never across runs or past a possessive ("Russia's Belgorod region" is two names).

        A word alone in its run is looked up directly; the names in longer runs were
        found by the automaton when the text was tokenized (see ``_plan_run``), and come
        after the lone words, in the order of their last tokens.
        """
        if doc.names is self.keys:  # its lone words became tokens only if they are names
            return doc.lone_names + doc.matches
        tokens = doc.tokens
        keys = self.keys
        found = [(i, i, tokens[i].key, ONE_WORD) for i in doc.single if tokens[i].key in keys]
        found += doc.matches
        return found


#: Bounds of the matcher's caches: a plan takes about 800 bytes, a word about 150 (started
#: afresh when full, so memory stays flat over a long stream).
_MAX_PLANS = 50_000
_MAX_WORDS = 100_000

#: What the words of a match say, whatever the text around them (``name_shape``).
NOT_NAME, NAME, ONE_WORD = 0, 1, 2

#: What a run of several capitalized words holds, with offsets into the run: the keys of
#: its words and of the whole run; its tokens as (start, end, word, lower case, key,
#: possessive), none when the run holds no name (the words around a name are read
#: within its own run only, so a run without one needs no tokens); the token ranges a name may
#: span; the (first, last token, key, shape) of every name in it, with the
#: ``name_shape`` of its words (after a leading "the"); and whether its last token is
#: a plural possessive when "'" follows the run in the text ("Armed Forces' positions");
#: and its first word as written (what ``Doc.unknown`` keeps of a run that opens with no
#: name). A plain tuple, not a named one: the garbage collector stops tracking a plain tuple of
#: strings and numbers, so the thousands of cached plans cost it nothing.
_RunPlan = tuple[
    tuple[str, ...],
    tuple[tuple[int, int, str, str, str, bool], ...],
    tuple[tuple[int, int], ...],
    tuple[tuple[int, int, str, int], ...],
    bool,
    str,
]


def _plan_run(run: str, name_words: dict[str, None] | None, automaton: Any) -> _RunPlan:
    """Tokenize a run of several capitalized words and find the names in it.

    A possessive ends a name ("Russia's Belgorod region" is two names); a match of the
    automaton must start and end on word boundaries.

    Examples
    --------
    >>> caps, tokens, ranges, matches, open_end, opener = _plan_run(
    ...     "Russia's Belgorod region", None, None
    ... )
    >>> [(t[2], t[5]) for t in tokens], ranges, opener
    ([('Russia', True), ('Belgorod', False), ('region', False)], ((0, 0), (1, 2)), "Russia's")
    """
    keys = _KEYS
    parts = _PART.findall(run)
    run_keys = [
        keys.get(w) or _key(w.replace(".", "") if w[-1] == "." else w) for w in parts
    ]  # "U.S." is the word "US", not "U S"
    caps = (*run_keys, keys.get(run) or _key(run))
    first = _TOKEN.match(run)
    opener = first.group() if first else run
    if name_words is not None and name_words.keys().isdisjoint(run_keys):
        return caps, (), (), (), False, opener
    n = len(run)
    tokens: list[tuple[int, int, str, str, str, bool]] = []
    ranges = []
    first = offset = 0
    open_end = False
    for part, key in zip(parts, run_keys, strict=True):
        s = offset = run.find(part, offset)
        offset += len(part)
        e = offset
        poss = False
        if part[-1] in "sS":  # (tested first: most words cannot be possessives)
            if len(part) > 2 and part[-2] in _APOSTROPHES:  # "Russia's"
                e -= 2
                part = part[:-2]
                poss = True
            elif e < n and run[e] in _APOSTROPHES and (e + 1 == n or not run[e + 1].isalnum()):
                poss = True  # "Forces' positions": plural possessive
        if key:
            # At the end of the run, what follows in the text decides ("Forces' ").
            open_end = not poss and e == n and part[-1] in "sS"
            tokens.append((s, e, part, part.lower(), key, poss))
            if poss:  # a possessive ends a name: "Russia's Belgorod region"
                ranges.append((first, len(tokens) - 1))
                first = len(tokens)
    if first < len(tokens):
        ranges.append((first, len(tokens) - 1))
    matches = []
    if automaton is not None:
        for a, b in ranges:
            words = [tokens[i][4] for i in range(a, b + 1)]
            # ends[j]: where the space after word j stands in the joined run
            ends = list(accumulate(len(w) + 1 for w in words))
            for end_pos, (key, size) in automaton.iter(" " + " ".join(words) + " "):
                j = bisect_left(ends, end_pos)
                if j < len(ends) and ends[j] == end_pos and j - size + 1 >= 0:
                    matches.append((a + j - size + 1, a + j, key))
        if not matches:  # no name in the run: its tokens would never be read
            return caps, (), (), (), False, opener
    shaped = []
    for a, b, key in matches:
        c = a + 1 if b > a and tokens[a][3] == "the" else a  # recognize leaves "the" out
        words = tokens[c : b + 1]
        shaped.append((a, b, key, name_shape([t[2] for t in words], [t[3] for t in words])))
    return caps, tuple(tokens), tuple(ranges), tuple(shaped), open_end, opener


_MATCHERS: dict[tuple[str, int], _Matcher] = {}
_MATCHER_LOCK = threading.Lock()


def matcher_for(gazetteer: Gazetteer) -> _Matcher:
    # Keyed by content (the version digest covers the bundle and the user's files), so
    # every Gazetteer.load() of the same data shares one automaton.
    key = (gazetteer.version, len(gazetteer))
    m = _MATCHERS.get(key)  # (a dictionary read needs no lock: the common case)
    if m is not None:
        return m
    with _MATCHER_LOCK:
        m = _MATCHERS.get(key)
        if m is None:
            if len(_MATCHERS) >= 4:
                _MATCHERS.clear()
            m = _MATCHERS[key] = _Matcher(gazetteer)
        return m


@lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    from ..gazetteer import Gazetteer

    return Gazetteer.load()


def is_capitalized(word: str) -> bool:
    return word[:1].isupper()


def name_shape(words: list[str], lows: list[str]) -> int:
    """Whether the words of a match (as written, and in lower case) form a proper name.

    ``NAME`` or ``NOT_NAME``; ``ONE_WORD`` for one capitalized word, a name or not
    depending on where it stands (see ``_lone_word_is_name``). It depends on the words
    alone, so the plan of a run holds it for each of its matches.

    Examples
    --------
    >>> [name_shape(w.split(), w.lower().split()) for w in
    ...  ("Sea of Azov", "Laurel County", "sea of Azov", "Kherson region", "Kherson")]
    [1, 1, 0, 2, 2]
    """
    n = len(words)
    while n > 1 and lows[n - 1] in FEATURE_WORDS:
        # "Kherson region", "Dnipro river", "Zaporizhzhia nuclear power plant": lower-case
        # feature words may end a name the gazetteer knows.
        n -= 1
    if not is_capitalized(words[0]) or not is_capitalized(words[n - 1]):
        return NOT_NAME
    if any(not is_capitalized(w) and w.lower() not in CONNECTORS for w in words[:n]):
        return NOT_NAME
    if n > 1 or n < len(words) and is_capitalized(words[n]):
        return NAME  # "Laurel County", "Orange County": a capitalized feature word
    return ONE_WORD
