"""Village names misspelled by one letter: "Popsana" for Popasna, "Bordyanka" for Borodianka.

Reports from the ground (Telegram captions, monitors' logs, hurried wire copy) misspell
small places, and a name the gazetteer lacks is otherwise lost. A lone capitalized word
that no gazetteer name matches, written right after a preposition of place ("in",
"near"...) or listed after a settlement of the war ("Rubizhne and Severdonetsk"), is
read as the Ukrainian settlement whose name is one edit away (one letter added, dropped,
changed, or two neighbours swapped), when exactly one name is (or one is a town's and
the others are far smaller places'). Names are compared as
:func:`~frontline.gazetteer.normalize_name` keys, so spelling systems (Kharkiv/Kharkov,
-ia/-ya) never count as edits.

Only for war reporting: :func:`respelled_spans` is called when the prior favours
Ukraine, and the mention it yields has at most :data:`RESPELLED_CONFIDENCE`.
"""

from __future__ import annotations

import functools
import threading
from array import array
from bisect import bisect_left, bisect_right
from typing import TYPE_CHECKING

from ..gazetteer import normalize_name
from .lexicon import CUE_WORDS, DEMONYMS, FIRST_NAMES, FUNCTION_WORDS, NEVER_ALONE, TITLES
from .recognition import Span, overlaps, word_span
from .weights import TOWN_PEOPLE

if TYPE_CHECKING:  # pragma: no cover
    from ..gazetteer import Gazetteer, Place
    from .tokens import Doc

__all__ = ["RESPELLED_CONFIDENCE", "respelled_spans", "one_edit_apart"]

#: Shorter keys are left alone: among short names one edit reaches too many others.
MIN_LETTERS = 6
#: Capitalized words that are never a misspelled village: demonyms ("in Russian
#: captivity"), months, titles, first names.
_WORDS = (
    frozenset(DEMONYMS) | frozenset(CUE_WORDS) | FIRST_NAMES | FUNCTION_WORDS | NEVER_ALONE | TITLES
)
_WORD_KEYS = frozenset(map(normalize_name, _WORDS))
#: The confidence of a respelled mention, at most.
RESPELLED_CONFIDENCE = 0.6
#: The words after which a capitalized word is a place ("in Popsana", "near Marakiv").
PREPOSITIONS = frozenset(
    {"in", "near", "outside", "around", "into", "toward", "towards", "between"}
)
#: What joins a name to the settlement listed before it ("Rubizhne and Severdonetsk",
#: "Popasna, Zolote").
_LISTED = (" and ", ", ", ", and ", " or ")
#: The words before "of" that make the next word a settlement ("the village of X").
SETTLEMENT_WORDS = frozenset({"village", "town", "city", "settlement", "hamlet", "outskirts"})
#: The Russian regions of the incursions and the raids, whose villages are respelled too.
BORDER_REGIONS = ("Kursk Oblast", "Belgorod Oblast", "Bryansk Oblast")
#: Characters that join a word to the next one ("Mar'inka", "Svyato-Rizdvyanyy").
_JOINERS = "'’ʼ`-"

_LOCK = threading.Lock()  # (one thread indexes the keys)
#: Bound of a speller's memory of keys (started afresh when full).
_MAX_KNOWN = 100_000


def one_edit_apart(a: str, b: str) -> bool:
    """Whether *b* is *a* with one letter added, dropped or changed, or two neighbouring
    letters swapped (the optimal string alignment distance is 1).

    Examples
    --------
    >>> one_edit_apart("popsana", "popasna"), one_edit_apart("bordianka", "borodianka")
    (True, True)
    >>> one_edit_apart("makariv", "marakiv"), one_edit_apart("kyiv", "kyiv")
    (False, False)
    """
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    i = 0
    n = min(len(a), len(b))
    while i < n and a[i] == b[i]:
        i += 1
    if len(a) == len(b):  # one letter changed, or two neighbours swapped
        rest = a[i + 2 :] == b[i + 2 :]
        swapped = rest and a[i : i + 1] == b[i + 1 : i + 2] and a[i + 1 : i + 2] == b[i : i + 1]
        return a[i + 1 :] == b[i + 1 :] or swapped
    if len(a) < len(b):
        return a[i:] == b[i + 1 :]
    return a[i + 1 :] == b[i:]


class _Speller:
    """Ukraine's settlement keys indexed for one-edit search, and the respelling of every
    key asked about so far (news repeats its unknown names: "Zelenskyy").

    Each key is indexed under itself and under each of its one-letter deletions, by hash
    in a sorted array (a few MB, not a dict of strings): two keys one edit apart always
    share one of these variants, so a query looks up its own variants and checks the few
    keys it finds.
    """

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        self.keys: list[str] = []
        self.hashes = array("q")
        self.owners = array("l")
        self.known: dict[str, str | None] = {}

    def _index(self) -> None:
        """Index the keys (a sixth of a second, once: when the first word is asked)."""
        gazetteer = self.gazetteer
        own = gazetteer.own_keys("UA", "city") + gazetteer.own_keys("RU", "city", BORDER_REGIONS)
        keys = sorted({k for k in own if len(k) >= MIN_LETTERS - 1})
        hashes: list[int] = []
        owners: list[int] = []
        for i, key in enumerate(keys):
            variants = _variants(key)
            hashes.extend(map(hash, variants))
            owners.extend([i] * len(variants))
        order = sorted(range(len(hashes)), key=hashes.__getitem__)
        self.hashes = array("q", [hashes[j] for j in order])
        self.owners = array("l", [owners[j] for j in order])
        self.keys = keys  # (last: a thread that sees the keys sees the index)

    def respell(self, key: str) -> str | None:
        """The respelling of *key* (see :meth:`near`), or None; remembered."""
        if key in self.known:
            return self.known[key]
        if len(self.known) >= _MAX_KNOWN:
            self.known.clear()
        found = None
        if (
            len(key) >= MIN_LETTERS
            and key.isalpha()
            and key not in _WORD_KEYS
            and not self.gazetteer.candidates(key)
        ):
            found = self.near(key)
        self.known[key] = found
        return found

    def near(self, key: str) -> str | None:
        """The settlement key one edit from *key*: the only one, or among several the one
        of a town (``TOWN_PEOPLE`` or more) ten times larger than any other's largest
        place ("Bordyanka": Borodianka, not the village of Berdianka). None otherwise."""
        if not self.keys:
            with _LOCK:
                if not self.keys:
                    self._index()
        hashes, owners, n = self.hashes, self.owners, len(self.hashes)
        seen = set()
        for variant in _variants(key):
            h = hash(variant)
            j = bisect_left(hashes, h)
            while j < n and hashes[j] == h:
                seen.add(owners[j])
                j += 1
        found = [self.keys[i] for i in seen if one_edit_apart(key, self.keys[i])]
        if len(found) <= 1:
            return found[0] if found else None
        gazetteer = self.gazetteer
        people = sorted(((max(_ukrainian_people(k, gazetteer)), k) for k in found), reverse=True)
        (most, town), (runner_up, _) = people[0], people[1]
        return town if most >= TOWN_PEOPLE and most >= 10 * runner_up else None


def _variants(key: str) -> list[str]:
    """*key* and each of its one-letter deletions."""
    return [key, *(key[:i] + key[i + 1 :] for i in range(len(key)))]


@functools.lru_cache(maxsize=1)  # (one gazetteer at a time: a process rarely loads two)
def _speller(gazetteer: Gazetteer) -> _Speller:
    """The speller of *gazetteer*, made once."""
    return _Speller(gazetteer)


def _of_the_war(place: Place) -> bool:
    """Whether *place* is a settlement the speller knows: Ukraine's, or of the Russian
    border regions the war reached."""
    return place.country_code == "UA" or place.admin1 in BORDER_REGIONS


def _ukrainian_people(key: str, gazetteer: Gazetteer) -> list[int]:
    return [p.population for p in gazetteer.candidates(key) if _of_the_war(p)] or [0]


def respelled_spans(doc: Doc, spans: list[Span], gazetteer: Gazetteer) -> list[Span]:
    """Spans for the lone capitalized words where a place is written (see
    ``_placed_here``) that name no place as written and one Ukrainian settlement when
    respelled.

    Each word found becomes a token of *doc*, appended after the others (a word alone:
    no name runs on from it).

    Examples
    --------
    >>> from frontline.gazetteer import Gazetteer
    >>> from frontline.geoparse.tokens import make_doc
    >>> gaz = Gazetteer.load()
    >>> doc = make_doc("Shells fell in Popsana overnight.", None, gaz)
    >>> [(s.key, s.candidates[0].name) for s in respelled_spans(doc, [], gaz)]
    [('popasna', 'Popasna')]
    """
    # (first the capitalized words of the text that would be respelled, remembered
    # across texts: most texts have none, and are not searched)
    speller = _speller(gazetteer)
    known, unknown = speller.known.get, ""  # ("" is never a key: asks the speller)
    wanted = [
        (key, word)
        for key, word in doc.unknown.items()
        if (found := known(key, unknown)) is not None
        and (found != unknown or speller.respell(key) is not None)
    ]
    if not wanted:
        return []
    text = doc.text
    out = []
    starts = [s.start for s in spans]  # (spans are in the order of the text)
    for key, word in wanted:
        if word.lower() in _WORDS or doc.written_lower(word.lower()):
            continue
        respelled = speller.respell(key)
        if respelled is None:
            continue
        places = [p for p in gazetteer.candidates(respelled) if _of_the_war(p)]
        start = text.find(word)
        while start != -1 and places:
            end = start + len(word)
            i = bisect_right(starts, start)  # (the name written before the word)
            previous = spans[i - 1] if i and spans[i - 1].end <= start else None
            if _placed_here(doc, start, end, previous) and not overlaps(spans, start, end, starts):
                out.append(
                    word_span(doc, start, end, respelled, places, written_key=key, respelled=True)
                )
            start = text.find(word, end)
    return out


def _placed_here(doc: Doc, start: int, end: int, previous: Span | None) -> bool:
    """Whether the word at *start*:*end* stands alone, with no capitalized word right after
    it, where a place is written: right after a preposition of place or "the village of",
    or listed after a name (*previous*: the last that ends before the word) whose likeliest
    place is a settlement of the war ("the bridge between Rubizhne and Severdonetsk")."""
    text = doc.text
    if start and (text[start - 1].isalnum() or text[start - 1] in _JOINERS):
        return False
    if end < len(text) and (text[end].isalnum() or text[end] in _JOINERS):
        return False
    if text[end : end + 1] == " " and text[end + 1 : end + 2].isupper():
        return False
    before, gap = doc.prev_word(start)
    if gap == " " and before == "of":  # "the village of Kryachky"
        before, gap = doc.prev_word(start - 3)
        return gap == " " and before in SETTLEMENT_WORDS
    if gap == " " and before in PREPOSITIONS:
        return True
    if previous is None or text[previous.end : start] not in _LISTED:
        return False
    listed = previous.candidates
    return bool(listed) and listed[0].kind == "city" and _of_the_war(listed[0])
