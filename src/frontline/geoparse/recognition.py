"""Recognition: which matches of gazetteer names in a text are toponyms.

The longest match wins ("Kherson region" over "Kherson"). A match is dropped when it
is part of a longer proper name ("Denzel Washington", "President Zelenskiy",
"Washington Post", "New Jersey"), when a common word opens a sentence ("Split
decisions...": function words, and words the article itself writes in lower case), and
when a small town's name stands where a person's would ("Gen. Washington"). Datelines
("KYIV —") and headlines in title case are read as such. A feature word around the
match ("the city of", "region", "River", "the Dnipro") becomes the span's kind hint.
Demonyms ("Ukrainian") are listed only on request.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..gazetteer import Place, normalize_name
from .lexicon import (
    COMPASS,
    CRAFT,
    DEMONYMS,
    DOCUMENTS,
    FIRST_NAMES,
    FOLLOWERS,
    FUNCTION_WORDS,
    HARDWARE,
    INSTITUTIONS,
    KIND_AFTER,
    KIND_BEFORE,
    LIST_GAP,
    LOCATIVE,
    NAME_HEADS,
    NOT_ALONE,
    ORG_FIRSTS,
    ORG_HEADS,
    PREFIXES,
    STREETS,
    TITLES,
    UNITS,
    WEAPONS,
)
from .tokens import (
    NAME,
    NEXT_WORD,
    ONE_WORD,
    Doc,
    Token,
    is_capitalized,
    make_doc,
    matcher_for,
)

if TYPE_CHECKING:  # pragma: no cover
    from ..gazetteer import Gazetteer

# ----------------------------------------------------------------------- recognition


@dataclass(slots=True)
class Span:
    first: int  # token indices, inclusive
    last: int
    key: str
    start: int  # character offsets
    end: int
    sentence: int
    kind_hint: str | None = None
    candidates: list[Place] = field(default_factory=list)
    demonym: bool = False
    embedded: bool = False  # part of an organisation's or a title's name
    respelled: bool = False  # a misspelled name, read as the one it is a letter from
    axis: bool = False  # an axis named by an adjective, read as its town


def word_span(
    doc: Doc,
    start: int,
    end: int,
    key: str,
    candidates: list[Place],
    *,
    written_key: str,
    respelled: bool = False,
    axis: bool = False,
) -> Span:
    """A span over a word no gazetteer name matched as written (a misspelled village, an
    axis's adjective), read as *key*: the word becomes a token of *doc* (keyed
    *written_key*), appended after the others, since no name runs on from it."""
    i = len(doc.tokens)
    word = doc.text[start:end]
    doc.tokens.append(Token(start, end, word, word.lower(), written_key, False, start))
    sentence = doc.sentence(start)
    return Span(
        i, i, key, start, end, sentence, candidates=candidates, respelled=respelled, axis=axis
    )


def overlaps(spans: list[Span], start: int, end: int, starts: list[int] | None = None) -> bool:
    """Whether one of *spans* covers part of *start*:*end*.

    Given *starts*, the starts of *spans* (in the order of the text, none overlapping
    another, as recognition makes them), a binary search: a text that repeats a word
    many times asks as many times.

    Examples
    --------
    >>> spans = [Span(0, 0, "a", 0, 5, 0), Span(1, 1, "b", 10, 15, 0)]
    >>> [overlaps(spans, s, e, [0, 10]) for s, e in ((5, 10), (4, 6), (12, 20), (16, 20))]
    [False, True, True, False]
    """
    if starts is None:
        return any(s.start < end and start < s.end for s in spans)
    i = bisect_right(starts, start)
    return (i > 0 and spans[i - 1].end > start) or (i < len(spans) and spans[i].start < end)


def find_toponyms(
    text: str, gazetteer: Gazetteer, *, sentences: list[tuple[int, int]] | None = None
) -> list[Span]:
    """Recognize toponym spans in *text* (not yet resolved), longest match first.

    Returns internal spans with ``start``, ``end`` (character offsets), ``key`` (the
    normalized name) and ``kind_hint`` (the feature word's kind, if any).

    Examples
    --------
    >>> from frontline.gazetteer import Gazetteer
    >>> text = "Denzel Washington visited the Kherson region and Mykolaiv."
    >>> [text[s.start:s.end] for s in find_toponyms(text, Gazetteer.load())]
    ['Kherson region', 'Mykolaiv']
    """
    doc = make_doc(text, sentences, gazetteer)
    spans = recognize(doc, gazetteer)
    if doc.offsets is not None:
        for span in spans:
            span.start, span.end = doc.original_span(span.start, span.end)
    return spans


def recognize(doc: Doc, gazetteer: Gazetteer) -> list[Span]:
    tokens = doc.tokens
    if not tokens:
        return []
    raw = matcher_for(gazetteer).find(doc)
    # Longest first. Among matches of one length, ``find`` lists those of several words
    # in text order already (the stable sort keeps it); those of one word never overlap,
    # so their order changes nothing.
    raw.sort(key=lambda m: m[0] - m[1])
    taken = [False] * len(tokens)
    spans: list[Span] = []
    name_parts: set[str] = set()  # (a set: the same person is often named again)
    single = doc.single
    for first, last, key, shape in raw:
        if first == last and first in single:  # a capitalized word alone: the common case
            tok = tokens[first]
            if taken[first] or not _lone_word_is_name(doc, tok, gazetteer, key):
                continue
            prev, gap = doc.prev_word(tok.start)
            if prev.rstrip(".") in TITLES and gap.strip() in ("", "."):
                name_parts.add(key)  # "Gen. Washington"
                continue
            taken[first] = True
            spans.append(Span(first, first, key, tok.start, tok.end, doc.sentence(tok.start)))
            continue
        if any(taken[first : last + 1]):
            continue
        if last > first and tokens[first].low == "the":
            # "The United States" is "United States"; "The US" is "US", found as "the us".
            if gazetteer.candidates(key[4:]):
                key = key[4:]
            first += 1
        # (whether the words read as a proper name here; see ``name_shape``)
        if shape != NAME and (
            shape != ONE_WORD or not _lone_word_is_name(doc, tokens[first], gazetteer, key)
        ):
            continue
        verdict = _inside_longer_name(doc, first, last, gazetteer, key)
        if verdict == "person":
            name_parts.add(key)
        if verdict and (
            verdict != "org" or last == first and not _is_major(gazetteer.candidates(key))
        ):
            continue  # (a name of several words inside an organisation's name is kept)
        for i in range(first, last + 1):
            taken[i] = True
        start = tokens[first].start
        spans.append(
            Span(
                first,
                last,
                key,
                start,
                tokens[last].end,
                doc.sentence(start),
                embedded=verdict == "org",
            )
        )
    # "Amy Walker ... Walker said": a name the article uses as a person's surname is
    # that person elsewhere too, unless it is a major place.
    blocked = {k for k in name_parts if not _is_major(gazetteer.candidates(k))}
    if blocked:
        spans = [
            s for s in spans if s.key not in blocked or s.last > s.first or _locative_before(doc, s)
        ]
    spans.sort(key=lambda s: s.start)
    # The words around each name are read once for the three steps below (the word after
    # is None after a possessive, "Kyiv's", where none of them reads it); the rare words
    # after a name that make it no place, or a list of regions, are tested before their
    # steps run.
    next_word, prev_word, text = doc.next_word, doc.prev_word, doc.text
    dropped: set[int] = set()  # (ids of the spans that are no places)
    plural = False
    for span in spans:
        tail = tokens[span.last]
        after = None if tail.possessive else next_word(tail.end)
        start = span.start
        before = prev_word(start)
        if (
            (after is not None and after[1] in _RARE_AFTER)
            or (span.first == span.last and tail.low in WEAPONS)
            or before[0] in CRAFT
            or (start and text[start - 1] in _OPENING_QUOTES)
        ):
            plural = plural or after is not None and after[1] in _PLURAL_KINDS
            if _not_a_place(doc, span, after):
                dropped.add(id(span))
                continue
        elif before[0] == "of" and _law_title(doc, span):
            # (where none of the words above is, this is the one test of _not_a_place
            # that can hold: "the Criminal Code of Ukraine")
            dropped.add(id(span))
            continue
        _attach_kind_hint(doc, span, taken, after, before)
    if dropped:
        spans = [s for s in spans if id(s) not in dropped]
    if plural:  # ("regions", "oblasts" after a name)
        afters = [
            None if tokens[s.last].possessive else next_word(tokens[s.last].end) for s in spans
        ]
        _read_plural_kinds(doc, spans, gazetteer, afters)
    return spans


#: Plural feature words after a list of names, with the singular that names each one.
_PLURAL_KINDS = {
    "regions": "region",
    "oblasts": "oblast",
    "provinces": "province",
    "districts": "district",
    "raions": "raion",
}


#: The words after a name that ask for a closer look: a street, a unit, a plural kind,
#: a craft.
_RARE_AFTER = frozenset([*STREETS, *UNITS, *_PLURAL_KINDS, *CRAFT])


#: Opening quotes before a name: a craft's name may be quoted ("our plane 'Mriya'").
_OPENING_QUOTES = "\"“'‘«"


def _law_title(doc: Doc, span: Span) -> bool:
    """Whether the name ends the title of a law ("the Criminal Code of Ukraine")."""
    return doc.name_before_of(span.start) in DOCUMENTS


def _read_plural_kinds(
    doc: Doc, spans: list[Span], gazetteer: Gazetteer, afters: list[tuple[str, str] | None]
) -> None:
    """Read "Sumy, Kharkiv and Donetsk regions" as three regions, not three cities.

    The plural word after the last name of a list says what every name of the list is:
    each span whose name with the singular word ("Sumy region") is in the gazetteer
    takes that name's key, in place. *afters* holds the word after each span (see
    :func:`recognize`).
    """
    for k, after in enumerate(afters):
        if after is None:
            continue
        gap, word = after
        singular = _PLURAL_KINDS.get(word)
        if singular is None or gap.strip():
            continue
        j = k
        while True:
            item = spans[j]
            key = normalize_name(f"{doc.text[item.start : item.end]} {singular}")
            if gazetteer.candidates(key):
                item.key, item.kind_hint = key, KIND_AFTER[singular]
            if j == 0 or not LIST_GAP.fullmatch(doc.text, spans[j - 1].end, item.start):
                break
            j -= 1


def _not_a_place(doc: Doc, span: Span, after: tuple[str, str] | None) -> bool:
    """Whether the words around a name say it names a street, a military unit, a weapon or
    a law.

    "along Kyiv Street", "Wagner mercenaries", "the Azov regiment", "Grad rockets", "a
    Leopard", "the Criminal Code of Ukraine": the name is the street's, the unit's, the
    weapon's or the law's. A weapon's name stays
    a place only where it reads as one: a preposition of place before it and no hardware
    after it ("in Buk", not "from Grad multiple rocket launchers").
    """
    tail = doc.tokens[span.last]
    if after is not None:  # the word after it (see recognize)
        gap, word = after
        if word and "\n" not in gap and not gap.strip() and (word in STREETS or word in UNITS):
            return True
    if _law_title(doc, span):
        return True  # "the Criminal Code of Ukraine": the title of a law
    if _craft_around(doc, span):
        return True  # "the cruiser Moskva", "our plane 'Mriya'", "the Kyiv frigate"
    if span.first != span.last or tail.low not in WEAPONS:
        return False
    if any(w in HARDWARE for g, w in doc.next_words(tail.end) if "\n" not in g):
        return True
    prev, gap = doc.prev_word(span.start)
    return not (prev in LOCATIVE and prev not in ("of", "from") and not gap.strip())


def _craft_around(doc: Doc, span: Span) -> bool:
    """Whether a vessel or a craft is named right before or after the name, so that the
    name is the craft's ("the cruiser Moskva", "our plane 'Mriya'", "the Kyiv frigate")."""
    start = span.start
    while start > 0 and doc.text[start - 1] in "\"“'‘«":
        start -= 1  # an opening quote
    prev, gap = doc.prev_word(start)
    if prev in CRAFT and not gap.strip():
        return True
    tail = doc.tokens[span.last]
    end = tail.end
    while end < len(doc.text) and doc.text[end] in "\"”'’»":
        end += 1
    gap, word = doc.next_word(end)
    return not tail.possessive and word in CRAFT and not gap.strip()


def _locative_before(doc: Doc, span: Span) -> bool:
    """Whether a preposition of place stands right before the span ("in Walker")."""
    prev, gap = doc.prev_word(span.start)
    return prev in LOCATIVE and not gap.strip()


def _is_major(candidates: list[Place]) -> bool:
    return any(p.kind in ("country", "region") or p.population >= 500_000 for p in candidates)


def _lone_word_is_name(doc: Doc, tok: Token, gazetteer: Gazetteer, key: str) -> bool:
    """Whether a one-word match reads as a proper name here (capitalization, position)."""
    word = tok.word
    if not word[:1].isupper():
        return False
    if word.isupper() and len(word) > 1:
        if (
            len(word) > 3
            and doc.opens_sentence(tok.start)
            and _is_dateline(doc, tok, gazetteer.candidates(key))
        ):
            return True  # "KYIV, Ukraine (AP) —", "WASHINGTON —", "LONDON The Latest"
        # Other acronyms only when they name a country or region ("UK", "UAE"), written
        # just so ("BBC" is not "BC").
        if doc.headline(tok.start):
            return False
        return _acronym_of_region(gazetteer, word, key)
    if len(word) < 3:
        # Only a state's abbreviation with its period: "Louisville, Ky.", "Baltimore, Md."
        return (
            len(word) == 2
            and doc.text.startswith(".", tok.end)
            and any(abbreviates(gazetteer, word, p) for p in gazetteer.candidates(key))
        )
    if tok.low in NOT_ALONE and not _container_follows(doc, tok) or tok.low in DEMONYMS:
        return False  # ("Syrian" is no spelling of the Iranian town Sirjan)
    if doc.opens_sentence(tok.start) or doc.headline(tok.start):
        # Capitalized anyway here: a common word is not a name.
        return tok.low not in FUNCTION_WORDS and not doc.written_lower(tok.low)
    return True


def _acronym_of_region(gazetteer: Gazetteer, word: str, key: str) -> bool:
    """Whether a word in capitals is, dots aside, how the gazetteer writes a country or a
    region among the candidates of *key* ("UK", "U.A.E."; "BBC" is not "BC").

    Cached by the matcher of the gazetteer: news repeats its acronyms ("EU", "UN",
    "NATO"), and each answer reads every spelling of every candidate.
    """
    cache = matcher_for(gazetteer).acronyms
    known = cache.get((word, key))
    if known is None:
        if len(cache) >= _MAX_ACRONYMS:
            cache.clear()
        bare = word.replace(".", "")
        known = cache[word, key] = any(
            p.kind in ("country", "region")
            and any(n.replace(".", "") == bare for n in gazetteer.names_of(p.place_id))
            for p in gazetteer.candidates(key)
        )
    return known


#: Bound of the matcher's cache of acronyms (started afresh when full).
_MAX_ACRONYMS = 100_000


def abbreviates(gazetteer: Gazetteer, word: str, place: Place) -> bool:
    """Whether *word* and a period is how the gazetteer writes a region ("Kan.", "Ky.")."""
    return place.kind == "region" and f"{word}." in gazetteer.names_of(place.place_id)


def currency_follows(doc: Doc, tok: Token) -> bool:
    """Whether a currency follows the word: "US dollars", "US$3.7m", "HK$ 5"."""
    if doc.text[tok.end : tok.end + 1] == "$":
        return True
    gap, word = doc.next_word(tok.end)
    return not gap.strip() and word in ("dollar", "dollars", "cents")


def _is_dateline(doc: Doc, tok: Token, candidates: list[Place]) -> bool:
    """Whether a word in capitals that opens a sentence is a dateline's place."""
    after = doc.text[tok.end : tok.end + 40]
    if re.match(r"(?:,[^\n(—–]{1,30})?\s*(?:\(|—|–|-{1,2}\s)", after):
        return True
    return any(
        p.kind == "country" or p.population >= 100_000 and normalize_name(p.name) == tok.key
        for p in candidates
    )


def _container_follows(doc: Doc, tok: Token) -> bool:
    """Whether ", Name" follows (a container such as a state or country)."""
    m = NEXT_WORD.match(doc.text, tok.end + (2 if tok.possessive else 0))
    return (
        m is not None
        and m.group(1).strip() == ","
        and is_capitalized(m.group(2))
        and m.group(2).lower() not in FOLLOWERS
    )


def _inside_longer_name(doc: Doc, first: int, last: int, gazetteer: Gazetteer, key: str) -> str:
    """Whether the match is part of a longer proper name: a person, an outlet, a firm.

    Returns "" (it is not), "person" (a title or a capitalized word before it, as in
    "President Zelenskiy", "Denzel Washington"), "name" (a longer name, as in "New
    Jersey" or "Colorado State University") or "org" (the place qualifies the name of
    an outlet, a body or a firm: "Washington Post", "Ohio Supreme Court", "Air Canada",
    "HSBC Malta"). A compass word before a country or a state is a part of it, not
    another name ("North Texas").
    """
    tokens = doc.tokens
    head, tail = tokens[first], tokens[last]
    prev, gap = doc.prev_word(head.start)
    if prev.rstrip(".") in TITLES and gap.strip() in ("", "."):
        return "person"  # "President Zelenskiy", "Gen. Washington"
    if first > 0 and tokens[first - 1].run == head.run and not tokens[first - 1].possessive:
        before = tokens[first - 1]
        if (
            doc.opens_sentence(before.start)
            and before.low.endswith(("ing", "ed", "ly"))
            and len(before.low) > 5
        ):
            return ""  # "Considering Tunisia's interest": a verb or an adverb, not a name
        if (
            before.low in COMPASS
            and doc.text[before.end : head.start] == " "
            and any(p.kind in ("country", "region") for p in gazetteer.candidates(head.key))
        ):
            return ""  # "Northeast Georgia", "South Florida"
        if (
            is_capitalized(before.word)
            and not doc.headline(head.start)
            and before.low not in KIND_BEFORE
            and before.low not in PREFIXES
            # (where it stands first: whether the text writes it in lower case may read it all)
            and not (doc.opens_sentence(before.start) and doc.written_lower(before.low))
            and not any(p.kind == "country" for p in gazetteer.candidates(before.key))
        ):
            # "Denzel Washington" (a person); "New Jersey", "Denver-Aurora" (longer names).
            joined = doc.text[before.end : head.start].strip() != ""
            if joined or before.low in NAME_HEADS:
                return "name"
            brand = (
                before.low in ORG_FIRSTS  # "Air Canada"
                or before.word.isupper()
                and len(before.word) > 1  # "HSBC Malta"
                or any(c.isupper() for c in before.word[1:])
            )  # "FrontCounter BC"
            if brand and any(p.kind in ("country", "region") for p in gazetteer.candidates(key)):
                return "org"  # "Air Canada", "HSBC Malta", "FrontCounter BC"
            return "person"
    if (
        last + 2 < len(tokens)
        and tokens[last + 2].run == tail.run
        and not tail.possessive
        and tokens[last + 1].low in KIND_AFTER
        and is_capitalized(tokens[last + 1].word)
        and is_capitalized(tokens[last + 2].word)
        and tokens[last + 2].low not in FOLLOWERS
        and not any(p.kind == "country" for p in gazetteer.candidates(key))
    ):
        return "name"  # "Colorado State University"; but "the U.S. State Department"
    if last + 1 < len(tokens) and tokens[last + 1].run == tail.run and not tail.possessive:
        after = tokens[last + 1]
        if (
            is_capitalized(after.word)
            and not doc.headline(tail.start)
            and after.low not in KIND_AFTER
            and after.low not in FOLLOWERS
            and after.low.rstrip(".") not in INSTITUTIONS
            and not (after.word.isupper() and len(after.word) <= 3)
        ):
            # "Washington Post", "Ohio Supreme Court"; "Paul Francis Floyd" is a person.
            if (
                first == last
                and head.low in FIRST_NAMES
                and not any(
                    p.kind in ("country", "region") for p in gazetteer.candidates(after.key)
                )
            ):
                return "person"  # "Sofia Rotaru", "Roman Abramovich"
            run = tail.run
            if any(t.low in ORG_HEADS for t in tokens[last + 1 : last + 6] if t.run == run) or any(
                p.kind == "country"
                or not p.country_code
                or p.population >= 500_000
                and normalize_name(p.name) == tail.key
                for p in gazetteer.candidates(key)
            ):
                return "org"
            return "name"
    return ""


def _attach_kind_hint(
    doc: Doc,
    span: Span,
    taken: list[bool],
    after: tuple[str, str] | None,
    before: tuple[str, str],
) -> None:
    """The kind a feature word around a name gives it ("the city of X", "X region",
    "the Dnipro"); *after* and *before* are the words around it (see :func:`recognize`)."""
    tokens = doc.tokens
    if span.last > span.first and tokens[span.last].low in KIND_AFTER:
        span.kind_hint = KIND_AFTER[tokens[span.last].low]
        return
    tail = tokens[span.last]
    if after is not None:
        gap, word = after
        if (
            word in KIND_AFTER
            and not gap.strip()
            and not (span.last + 1 < len(tokens) and taken[span.last + 1])
        ):
            span.kind_hint = KIND_AFTER[word]
            return
    prev, gap = before
    if prev == "of" and not gap.strip():
        # "the city of X", "the village of X"
        noun, gap2 = doc.prev_word(span.start - len(gap) - 2)
        hint = KIND_BEFORE.get(noun)
        if hint and not gap2.strip():
            span.kind_hint = hint
            return
    if (
        prev in ("lower", "upper", "middle", "river")
        and not gap.strip()
        and span.last == span.first
    ):
        span.kind_hint = "river"  # "along the lower Dnipro", "across the river Dnipro"
        return
    # "the Dnipro", "across the Dnieper": a bare name after "the" is rarely a city. But
    # in "the Mexico border" and "The Washington Post" the article goes with the noun.
    if prev == "the" and not gap.strip() and span.last == span.first and not span.embedded:
        gap, word = doc.next_word(tail.end)
        if (
            word
            and not gap.strip()
            and doc.text[tail.end + len(gap)].islower()
            and word not in FUNCTION_WORDS
            and not word.endswith(("ed", "s", "ing"))
        ):
            return  # a noun follows ("border", "area"), not a verb ("continued", "flows")
        span.kind_hint = "the"


def demonym_spans(doc: Doc, taken_spans: list[Span], gazetteer: Gazetteer) -> list[Span]:
    """Demonyms and adjectives of countries ("French", "Ukrainians"), for opt-in use."""
    used = [(s.start, s.end) for s in taken_spans]
    out = []
    for s, word in doc.words():
        e = s + len(word)
        country = DEMONYMS.get(word)
        if (
            country is None
            or not doc.text[s].isupper()
            or doc.text[s:e].isupper()
            or any(a < e and s < b for a, b in used)
        ):
            continue
        places = [
            p for p in gazetteer.candidates(normalize_name(country)) if p.kind == "country"
        ] or gazetteer.candidates(normalize_name(country))[:1]
        if places:
            out.append(
                Span(
                    -1,
                    -1,
                    normalize_name(word),
                    s,
                    e,
                    doc.sentence(s),
                    candidates=places[:1],
                    demonym=True,
                )
            )
    return out
