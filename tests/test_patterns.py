"""frontline.patterns: gated searches find what the plain ones find."""

import random
import re

from frontline.patterns import Gated

PATTERNS = [
    re.compile(
        r"(?<![\w-])(?:Russian|Russia['’]s|Russia|Ukraine)(?![\w-])(?=(?P<a>[^.]{0,9}))", re.I
    ),
    re.compile(r"(?<![\w-])(?:would|could|[Ii]f|plan\w*\s+to)(?![\w-])"),
    re.compile(r"kill|dead|die|injur", re.I),
]
WORDS = ["Russia", "russia's", "RUSSIAN", "Ukraine", "would", "If", "planned to", "killed", "ſo"]
WORDS += ["dead", "die", "-", " ", ".", "x", "Prussia", "K", "ı", "’s", "could"]


def test_gated_search_and_finditer_agree_with_the_pattern():
    rnd = random.Random(11)
    for _ in range(3000):
        text = "".join(rnd.choice(WORDS) for _ in range(rnd.randint(0, 12)))
        for pattern in PATTERNS:
            gated = Gated(pattern)
            found = gated.search(text)
            expected = pattern.search(text)
            assert (found and found.span()) == (expected and expected.span())
            spans = [(m.span(), m.groupdict()) for m in gated.finditer(text)]
            assert spans == [(m.span(), m.groupdict()) for m in pattern.finditer(text)]
