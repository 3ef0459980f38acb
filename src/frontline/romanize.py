"""Ukraine's official romanization of Ukrainian Cyrillic (the 2010 national standard).

The table of the Cabinet of Ministers of Ukraine resolution No. 55 of 27 January 2010,
used on Ukraine's maps and documents and by most English-language media since 2022:
``Ізюм`` is *Izium*, ``Куп'янськ`` *Kupiansk*, ``Запоріжжя`` *Zaporizhzhia*. Five
letters are written differently at the start of a word (``Є Ї Й Ю Я`` → *Ye Yi Y Yu
Ya*; inside a word *ie i i iu ia*), ``зг`` is *zgh* (so it is not read as ``ж``), and
the soft sign and the apostrophe are left out.

The build (``geodata/build.py``) writes each Ukrainian place under the romanization of
its Ukrainian name; the gazetteer still finds every other spelling.

Examples
--------
>>> [romanize_uk(n) for n in ("Ізюм", "Куп'янськ", "Сєвєродонецьк", "Мар’їнка")]
['Izium', 'Kupiansk', 'Sievierodonetsk', 'Marinka']
"""

from __future__ import annotations

import re

__all__ = ["LETTERS", "romanize_uk", "is_ukrainian", "has_ukrainian_letters"]

#: The 2010 table for lower-case letters inside a word; the start of a word is handled by
#: _INITIAL. The gazetteer's lookup keys transliterate with it too.
LETTERS = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "h",
    "ґ": "g",
    "д": "d",
    "е": "e",
    "є": "ie",
    "ж": "zh",
    "з": "z",
    "и": "y",
    "і": "i",
    "ї": "i",
    "й": "i",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ф": "f",
    "х": "kh",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "shch",
    "ь": "",
    "ю": "iu",
    "я": "ia",
}
_INITIAL = {"є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya"}
_APOSTROPHES = "'’ʼ‘`´ʹʻ′"
# A word is a run of Ukrainian letters and apostrophes; anything else separates words.
_WORD = re.compile(rf"[{''.join(LETTERS)}{''.join(LETTERS).upper()}{_APOSTROPHES}]+")
#: Letters Ukrainian has and Russian lacks, and the reverse.
_UKRAINIAN_ONLY = frozenset("іїєґІЇЄҐ")
_RUSSIAN_ONLY = frozenset("ыэёъЫЭЁЪ")


def _word(word: str) -> str:
    out: list[str] = []
    letters = [c for c in word if c not in _APOSTROPHES]
    for i, ch in enumerate(letters):
        low = ch.lower()
        latin = _INITIAL[low] if i == 0 and low in _INITIAL else LETTERS[low]
        if low == "г" and i > 0 and letters[i - 1].lower() == "з":
            latin = "gh"  # зг is zgh: Згурівка is Zghurivka
        if ch != low and latin:
            # a capital becomes a capital letter then small ones (Щ -> Shch), unless the
            # whole word is in capitals
            latin = latin.upper() if word.isupper() and len(letters) > 1 else latin.capitalize()
        out.append(latin)
    return "".join(out)


def romanize_uk(text: str) -> str:
    """Romanize Ukrainian Cyrillic by the 2010 national standard (resolution 55).

    Characters outside the Ukrainian alphabet (spaces, hyphens, digits, Latin) are kept.

    Parameters
    ----------
    text : str
        Ukrainian text, typically a place name.

    Returns
    -------
    str
        The romanized text.

    Examples
    --------
    >>> romanize_uk("Запоріжжя"), romanize_uk("Балаклія"), romanize_uk("Миколаїв")
    ('Zaporizhzhia', 'Balakliia', 'Mykolaiv')
    >>> romanize_uk("Білгород-Дністровський"), romanize_uk("Часів Яр")
    ('Bilhorod-Dnistrovskyi', 'Chasiv Yar')
    >>> romanize_uk("Згурівка"), romanize_uk("Єнакієве"), romanize_uk("Їжакевич")
    ('Zghurivka', 'Yenakiieve', 'Yizhakevych')
    """
    return _WORD.sub(lambda m: _word(m.group()), text)


def is_ukrainian(text: str) -> bool:
    """Whether a Cyrillic name may be Ukrainian: it has no letter only Russian has.

    Examples
    --------
    >>> is_ukrainian("Авдіївка"), is_ukrainian("Бахмут"), is_ukrainian("Авдеевка ъ")
    (True, True, False)
    """
    return not (_RUSSIAN_ONLY & set(text))


def has_ukrainian_letters(text: str) -> bool:
    """Whether *text* holds a letter only Ukrainian has (і ї є ґ).

    Examples
    --------
    >>> has_ukrainian_letters("Авдіївка"), has_ukrainian_letters("Бахмут")
    (True, False)
    """
    return bool(_UKRAINIAN_ONLY & set(text))
