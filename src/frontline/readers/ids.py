"""Article ids that are safe to use as file names (:func:`safe_article_id`)."""

from __future__ import annotations

import hashlib
import re
import unicodedata

__all__ = ["safe_article_id"]

_UNSAFE_ID_CHARS = frozenset('/\\:*?"<>|')
_RESERVED_NAMES = frozenset(
    "con prn aux nul com1 com2 com3 com4 com5 com6 com7 com8 com9 lpt1 lpt2 lpt3 lpt4 lpt5 "
    "lpt6 lpt7 lpt8 lpt9".split()
)
_SAFE_ID = re.compile(r"[A-Za-z0-9_~+@][A-Za-z0-9._~+@ -]{0,99}")
_DOTS = re.compile(r"\.{2,}")
_MAX_ID_CHARS = 100


def safe_article_id(raw: object) -> str:
    """Turn any id or file stem into one that is safe as a file name.

    No path separators, no ``..``, no control or invisible formatting characters, no
    leading dot or dash, at most 100 characters (longer ids end in a hash of the whole, so
    distinct ids stay distinct). Letters of any script are kept.

    Examples
    --------
    >>> safe_article_id("../../etc/passwd")
    'etc_passwd'
    >>> safe_article_id("Київ 2022-11-12")
    'Київ 2022-11-12'
    >>> safe_article_id("a\\x00b\\\\c")
    'a_b_c'
    >>> safe_article_id("")
    'article'
    """
    text = raw if isinstance(raw, str) else str(raw)
    if _SAFE_ID.fullmatch(text) and ".." not in text and text[-1] not in ". ":
        return text if text.casefold() not in _RESERVED_NAMES else text + "_"
    text = unicodedata.normalize("NFC", text)
    chars = []
    for ch in text:
        if ch in _UNSAFE_ID_CHARS or ch.isspace() and ch != " ":
            chars.append("_")
        elif unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"):
            chars.append("_")
        else:
            chars.append(ch)
    cleaned = _DOTS.sub(".", "".join(chars))
    cleaned = cleaned.strip(" ._-").strip()
    if not cleaned:
        return "article"
    if len(cleaned) > _MAX_ID_CHARS:
        digest = hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:10]
        cleaned = cleaned[: _MAX_ID_CHARS - 11].rstrip(" ._-") + "-" + digest
    if cleaned.split(".")[0].casefold() in _RESERVED_NAMES:
        cleaned += "_"
    return cleaned
