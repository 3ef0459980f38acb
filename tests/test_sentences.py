import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from frontline.sentences import split_paragraphs, split_sentences


def texts(text):
    return [text[s:e] for s, e in split_sentences(text)]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Kherson was freed. Crowds cheered.", ["Kherson was freed.", "Crowds cheered."]),
        (
            "Gen. Valerii Zaluzhnyi spoke. He was brief.",
            ["Gen. Valerii Zaluzhnyi spoke.", "He was brief."],
        ),
        (
            "It happened on Nov. 11, 2022, in Kherson.",
            ["It happened on Nov. 11, 2022, in Kherson."],
        ),
        ("Aid from the U.S. arrived. It was late.", ["Aid from the U.S. arrived.", "It was late."]),
        ("Volodymyr O. Zelensky spoke.", ["Volodymyr O. Zelensky spoke."]),
        ('"We are home," she said. "Finally."', ['"We are home," she said.', '"Finally."']),
        ("Prices rose 2.5 percent. Nothing else.", ["Prices rose 2.5 percent.", "Nothing else."]),
        (
            "Headline without a stop\n\nBody text here.",
            ["Headline without a stop", "Body text here."],
        ),
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


try:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    _SENTENCE_TEXT = st.lists(
        st.sampled_from(
            list("ab U.S. Nov. 9 !?.\"”’)(“'\n\t\u00a0\u2029") + ["\n\n", "Gen. ", "O. "]
        ),
        max_size=60,
    ).map("".join)
except ImportError:  # pragma: no cover - hypothesis is a dev dependency
    _SENTENCE_TEXT = None


@pytest.mark.skipif(_SENTENCE_TEXT is None, reason="hypothesis not installed")
def test_sentences_are_trimmed_ordered_and_inside_paragraphs():
    from frontline.sentences import split_paragraphs

    @settings(max_examples=500, deadline=None)
    @given(_SENTENCE_TEXT)
    def check(text):
        spans = split_sentences(text)
        paragraphs = split_paragraphs(text)
        last = 0
        for start, end in spans:
            assert last <= start < end
            assert not text[start].isspace() and not text[end - 1].isspace()
            assert any(p <= start and end <= q for p, q in paragraphs)
            last = end
        # every non-blank character of a paragraph is in a sentence
        covered = {i for s, e in spans for i in range(s, e)}
        assert all(
            i in covered for p, q in paragraphs for i in range(p, q) if not text[i].isspace()
        )

    check()


def _word_before_searched(text: str, punct_start: int) -> str:
    from frontline.sentences import _WORD_BEFORE

    return (
        _WORD_BEFORE.search(text, max(0, punct_start - 12), punct_start).group().lower().rstrip(".")
    )


@pytest.mark.parametrize(
    "text",
    [
        "troops in the U.S. Then",
        "(Gen. X",
        "“Nov. 9",
        "x\u00a0Gen. Y",
        "A.B.C. Next",
        "at 3.5 km. The",
        "Mr. Smith",
        "\tSt. Petersburg",
        "verylongwordwithoutspaces. Next",
        " . x",
        "Kyiv’s. Then",
        "‘Dr. No",
        "İstanbul. The",
        "x\nGen. y",
        "..",
        "x  . y",
    ],
)
def test_word_before_a_full_stop_is_what_the_search_finds(text):
    from frontline.sentences import _word_before

    for p in (i for i, c in enumerate(text) if c == "."):
        assert _word_before(text, p) == _word_before_searched(text, p), (text, p)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab. \n\t(\"'“‘\u00a0Zİ9-")), max_size=40))
def test_word_before_a_full_stop_on_generated_text(text):
    from frontline.sentences import _word_before

    for p in (i for i, c in enumerate(text) if c == "."):
        assert _word_before(text, p) == _word_before_searched(text, p), (text, p)


def test_line_breaks_end_sentences_only_when_asked():
    text = "Drones over Sumy\nPower is out. Gen. Syrskyi spoke"
    assert [text[s:e] for s, e in split_sentences(text)] == [
        "Drones over Sumy\nPower is out.",
        "Gen. Syrskyi spoke",
    ]
    assert [text[s:e] for s, e in split_sentences(text, at_line_breaks=True)] == [
        "Drones over Sumy",
        "Power is out.",
        "Gen. Syrskyi spoke",
    ]
