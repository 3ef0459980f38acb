import pytest

from frontline.sentences import split_paragraphs, split_sentences


def texts(text):
    return [text[s:e] for s, e in split_sentences(text)]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Kherson was freed. Crowds cheered.", ["Kherson was freed.", "Crowds cheered."]),
        ("Gen. Valerii Zaluzhnyi spoke. He was brief.",
         ["Gen. Valerii Zaluzhnyi spoke.", "He was brief."]),
        ("It happened on Nov. 11, 2022, in Kherson.", ["It happened on Nov. 11, 2022, in Kherson."]),
        ("Aid from the U.S. arrived. It was late.", ["Aid from the U.S. arrived.", "It was late."]),
        ("Volodymyr O. Zelensky spoke.", ["Volodymyr O. Zelensky spoke."]),
        ("\"We are home,\" she said. \"Finally.\"", ["\"We are home,\" she said.", "\"Finally.\""]),
        ("Prices rose 2.5 percent. Nothing else.", ["Prices rose 2.5 percent.", "Nothing else."]),
        ("Headline without a stop\n\nBody text here.", ["Headline without a stop", "Body text here."]),
        ("Was it shelled? Yes! Twice.", ["Was it shelled?", "Yes!", "Twice."]),
    ],
)
def test_split_sentences(text, expected):
    assert texts(text) == expected


def test_spans_are_offsets_into_the_text():
    text = "  One.  Two.\n\n\n Three.  "
    spans = split_sentences(text)
    assert [text[s:e] for s, e in spans] == ["One.", "Two.", "Three."]
    assert all(0 <= s < e <= len(text) for s, e in spans)


def test_paragraphs():
    assert split_paragraphs("a\n \nb\n\n\nc") == [(0, 1), (4, 5), (8, 9)]
    assert split_paragraphs("   ") == []


def test_long_adversarial_text_is_fast():
    import time

    text = ("a." * 200_000) + ("Mr. " * 100_000) + ("!" * 100_000)
    t0 = time.perf_counter()
    split_sentences(text)
    assert time.perf_counter() - t0 < 5
