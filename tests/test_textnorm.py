"""Text normalization before matching: what it changes, and offsets back to the original."""

import random
import re
import sys
import unicodedata

import pytest

from frontline.textnorm import OffsetMap, normalize_text


@pytest.mark.parametrize(
    "hidden",
    [
        "\u00ad",
        "\u200b",
        "\u200c",
        "\u200d",
        "\u2060",
        "\ufeff",
        "\u200e",
        "&shy;",
        "&#173;",
        "&#xAD;",
        "\u00ad\u200b",
    ],
)
def test_invisible_characters_are_removed_and_offsets_point_into_the_original(hidden):
    text = f"Artillery fire reached Niko{hidden}pol before dawn."
    clean, offsets = normalize_text(text)
    assert clean == "Artillery fire reached Nikopol before dawn."
    start = clean.index("Nikopol")
    s, e = offsets.to_original(start), offsets.to_original_end(start + len("Nikopol"))
    assert text[s:e] == f"Niko{hidden}pol"
    after = clean.index("before")
    assert text[offsets.to_original(after) :].startswith("before")


@pytest.mark.parametrize("form", ["'", "’", "ʼ", "`", "‘", "´", "ʹ"])
def test_every_apostrophe_inside_a_word_becomes_one(form):
    clean, offsets = normalize_text(f"Shells fell on Mar{form}inka overnight.")
    assert clean == "Shells fell on Mar'inka overnight."
    assert offsets is None  # letter for letter: the offsets agree


def test_single_quotes_become_apostrophes_letter_for_letter():
    clean, offsets = normalize_text("Locals call it ‘the fortress’ and “home”.")
    assert clean == "Locals call it 'the fortress' and “home”." and offsets is None


def test_cyrillic_lookalikes_inside_latin_words_become_latin():
    # Cyrillic "і" in Kyiv, Cyrillic "о" and "р" in Nikopol; a Cyrillic word stays.
    clean, _ = normalize_text("Drones over Kyіv and Nikорol; в Києві тихо.")
    assert clean == "Drones over Kyiv and Nikopol; в Києві тихо."


def test_compatibility_forms_fold_but_symbols_stay():
    clean, offsets = normalize_text("Ｋｈｅｒｓｏｎ: the ﬁrst convoy reached School №3.")
    assert clean == "Kherson: the first convoy reached School №3."
    start = clean.index("convoy")
    original = "Ｋｈｅｒｓｏｎ: the ﬁrst convoy reached School №3."
    assert original[offsets.to_original(start) :].startswith("convoy")


def test_combining_accents_compose_with_offsets_kept():
    text = "Cafe\u0301 owners in Odesa reopened."
    clean, offsets = normalize_text(text)
    assert clean == "Café owners in Odesa reopened."
    start = clean.index("Odesa")
    assert text[offsets.to_original(start) : offsets.to_original_end(start + 5)] == "Odesa"


def test_plain_text_is_returned_as_it_is():
    text = "Shelling hit Kherson."
    clean, offsets = normalize_text(text)
    assert clean is text and offsets is None


def test_offset_maps_compose_like_functions():
    rnd = random.Random(3)
    for _ in range(200):
        text = "".join(
            rnd.choice(["a", "b", " ", "\u00ad", "ﬁ", "\u200b", "e\u0301"]) for _ in range(30)
        )
        clean, offsets = normalize_text(text)
        if offsets is None:
            continue
        # Each character maps into the original, in order, back to where it came from.
        back = [offsets.to_original(i) for i in range(len(clean) + 1)]
        assert back == sorted(back) and back[-1] == len(text)
        for i, j in enumerate(back[:-1]):
            assert j < len(text) and offsets.to_normalized(j) <= i
            assert clean[i] in unicodedata.normalize("NFKC", text[j : j + 2])


def test_offset_map_round_trips_between_anchors():
    m = OffsetMap([(0, 0), (3, 5), (6, 9)])
    assert [m.to_original(i) for i in range(8)] == [0, 1, 2, 5, 6, 7, 9, 10]
    assert all(m.to_normalized(m.to_original(i)) == i for i in range(8))


def test_the_second_character_of_every_composition_is_a_mark_or_a_jamo():
    # Why a run of characters beyond ASCII with no decomposition, no mark and no Hangul
    # jamo is normalized already and need not be read: nothing composes with what
    # stands before it.
    seconds = set()
    for cp in range(sys.maxunicode + 1):
        parts = unicodedata.decomposition(chr(cp)).split()
        if len(parts) == 2 and not parts[0].startswith("<"):
            seconds.add(chr(int(parts[1], 16)))
    assert seconds
    assert all(unicodedata.category(c)[0] == "M" or "\u1100" <= c <= "\u11ff" for c in seconds)


def _nfkc_every_run(text):
    """NFKC but for symbols, as normalize_text applies it, visiting every run of
    characters beyond ASCII (with the ASCII character before it): the reference for
    normalize_text, which reads only the runs that can change."""
    parts, anchors, pos, shift = [], [(0, 0)], 0, 0
    for m in re.finditer("[\x00-\x7f]?[^\x00-\x7f]+", text):
        run, start = m.group(), m.start()
        parts.append(text[pos:start])
        pos = m.end()
        if unicodedata.is_normalized("NFKC", run):
            parts.append(run)
            continue
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
                p = start + i + shift
                anchors.append((p, start + i))
                anchors.extend(
                    (p + k, start + i + min(k, j - i - 1)) for k in range(j - i, len(piece))
                )
                shift += len(piece) - (j - i)
                anchors.append((start + j + shift, start + j))
            i = j
    parts.append(text[pos:])
    return "".join(parts), anchors


def test_only_runs_that_can_change_are_read_and_the_result_is_the_same():
    rnd = random.Random(5)
    pool = [*"ab Z.,\n", *"“”—–…ﬁ№²½é", "\u0301", "\u0308", "\u00a0", "Å", "\u1100"]
    pool += ["\u1161", "\u11a8", "가", "\u0915", "\u093f", "\u0bc6", "\u0bbe", "Ａ", "\u3099"]
    # (invisible characters, apostrophes and Cyrillic letters are the other steps' work)
    other_steps = re.compile(
        "[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff’‘ʼʹʻ`´′＇&\u0400-\u052f]"
    )
    tried = 0
    while tried < 2000:
        text = "".join(
            rnd.choice(pool) if rnd.random() > 0.1 else chr(rnd.randint(0x80, 0x2FFFF))
            for _ in range(rnd.randint(1, 25))
        )
        if unicodedata.is_normalized("NFKC", text) or other_steps.search(text):
            continue
        tried += 1
        clean, offsets = normalize_text(text)
        expected, anchors = _nfkc_every_run(text)
        assert clean == expected
        if len(anchors) == 1:
            assert offsets is None
        else:
            reference = OffsetMap(anchors)
            assert [offsets.to_original(i) for i in range(len(clean) + 1)] == [
                reference.to_original(i) for i in range(len(clean) + 1)
            ]
