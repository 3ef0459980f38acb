"""Axes named by adjectives: "the Novopavlivske direction" is the axis of Novopavlivka.

Ukraine's General Staff names its axes after towns, in the adjective ("Kupianske,
Novopavlivske, Huliaipilske directions"), and translations keep it. Such an adjective is
often also a village's own name (a Novopavlivske lies in Mykolaiv Oblast, far from any
front), or no place at all ("Kurakhivske"). Before "direction(s)", "axis", "axes" or
"sector(s)", alone or at the end of a list, a capitalized adjective is read as the town
it is made from (:func:`town_of_adjective`): the largest of the town's namesakes, with no
weight for closeness to the article's other places (an axis is named after a town of
note anywhere on the front). Only for war reporting, as respelling is.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..gazetteer import normalize_name
from .recognition import Span, overlaps, word_span

if TYPE_CHECKING:  # pragma: no cover
    from ..gazetteer import Gazetteer
    from .tokens import Doc

__all__ = ["axis_spans", "town_of_adjective"]

#: The words that name an axis ("the Kupianske axis", "the Bakhmut, Novopavlivske and
#: Orikhiv directions"), and the list of capitalized words that ends right before one,
#: looked for in the ``_WINDOW`` characters before it.
_AXIS_WORDS = (" direction", " axis", " axes", " sector")
_LIST_BEFORE = re.compile(
    r"(?<![\w'’-])(?:[A-Z][\w'’-]*(?:,\s+(?:(?:and|or)\s+)?|\s+(?:and|or)\s+))*"
    r"[A-Z][\w'’-]*\s+$"
)
_WINDOW = 200
_WORD = re.compile(r"[A-Z][\w'’-]*")


def town_of_adjective(adjective: str, gazetteer: Gazetteer) -> str | None:
    """The key of the Ukrainian town an adjective of place is made from, or None.

    The adjective's stem (its key less "ske") is tried as the town's key as it is
    (Orikhivske: Orikhiv), with "sk" (Kupianske: Kupiansk), with "ka" (Novopavlivske:
    Novopavlivka), with "ove" for "iv" (Kurakhivske: Kurakhove) and "ole" for "il"
    (Huliaipilske: Huliaipole); of those the gazetteer has, the one with the most
    populous Ukrainian settlement wins.

    Examples
    --------
    >>> from frontline.gazetteer import Gazetteer
    >>> gaz = Gazetteer.load()
    >>> [town_of_adjective(a, gaz) for a in ("Novopavlivske", "Kupianske", "Huliaipilske")]
    ['novopavlivka', 'kupiansk', 'huliaipole']
    >>> town_of_adjective("Prydniprovske", gaz) is None  # along the Dnieper: no town
    True
    """
    key = normalize_name(adjective)
    if not key.endswith("ske") or len(key) < 7 or key.startswith("pri"):
        return None  # ("Pry-": along something, "Prydniprovske" along the Dnieper)
    stem = key[:-3]
    tries = {stem, stem + "sk", stem + "ka"}
    if stem.endswith("iv"):
        tries.add(stem[:-2] + "ove")
    if stem.endswith("il"):
        tries.add(stem[:-2] + "ole")
    best, most = None, -1
    for town in sorted(tries):
        people = [p.population for p in gazetteer.candidates(town) if p.country_code == "UA"]
        if people and max(people) > most:
            best, most = town, max(people)
    return best


def _find_all(text: str, word: str) -> list[int]:
    """Where *word* (" direction") stands in *text* as a word or a word's start ("s")."""
    out = []
    i = text.find(word)
    while i != -1:
        after = text[i + len(word) : i + len(word) + 1]
        if not after.isalpha() or after == "s":
            out.append(i)
        i = text.find(word, i + len(word))
    return out


def axis_spans(doc: Doc, spans: list[Span], gazetteer: Gazetteer) -> list[Span]:
    """*spans* with every adjective before an axis word read as its town: a span already
    over the adjective takes the town's key and namesakes, and an adjective no span
    covers gets one (a token of *doc*, appended after the others).

    Examples
    --------
    >>> from frontline.gazetteer import Gazetteer
    >>> from frontline.geoparse.tokens import make_doc
    >>> gaz = Gazetteer.load()
    >>> doc = make_doc("Strikes in the Kurakhivske and Orikhivske directions.", None, gaz)
    >>> [s.key for s in axis_spans(doc, [], gaz)]
    ['kurahove', 'orihiv']
    """
    text = doc.text
    hits = [i for w in _AXIS_WORDS for i in _find_all(text, w)]
    if not hits:
        return spans  # (most texts)
    by_start = {s.start: s for s in spans}
    starts = [s.start for s in spans]  # (spans are in the order of the text)
    out = list(spans)
    for at in hits:  # (the space before the axis word)
        word_start = text.rfind(" ", 0, at) + 1
        if not text[word_start : word_start + 1].isupper():
            continue  # "the direction of": no name before it (the common case)
        m = _LIST_BEFORE.search(text, max(0, at - _WINDOW), at + 1)
        if m is None:
            continue
        for w in _WORD.finditer(text, m.start(), m.end()):
            start, end = w.start(), w.end()
            town = town_of_adjective(w.group(), gazetteer)
            if town is None:
                continue
            # the town an axis is named after is the largest of its namesakes
            places = [p for p in gazetteer.candidates(town) if p.country_code == "UA"]
            largest = max(p.population for p in places)
            places = [p for p in places if p.population == largest]
            span = by_start.get(start)
            if span is not None:
                if span.end == end:  # the adjective alone: read it as the town
                    span.key, span.candidates, span.kind_hint = town, places, None
                    span.axis = True
                continue
            if not overlaps(spans, start, end, starts):
                out.append(word_span(doc, start, end, town, places, written_key=town, axis=True))
    out.sort(key=lambda s: s.start)
    return out
