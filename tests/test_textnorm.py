"""Text normalization before matching: what it changes, and offsets back to the original."""

import random
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
