"""Generated names: the per-character initials cache must agree with the real function."""

import random

from pypinyin import Style, lazy_pinyin
from pypinyin.constants import PHRASES_DICT

from yicai.demo.names import NameMaker, all_characters
from yicai.people.services import name_initials, name_pinyin


def per_character(text: str) -> str:
    return "".join(lazy_pinyin(ch, style=Style.FIRST_LETTER)[0] for ch in text).lower()


def test_no_phrase_of_name_characters_reads_differently():
    # pypinyin reads known phrases as a whole; none made of our characters may change initials.
    chars = all_characters()
    different = [
        phrase
        for phrase in PHRASES_DICT
        if 2 <= len(phrase) <= 4
        and all(ch in chars for ch in phrase)
        and name_initials(phrase) != per_character(phrase)
    ]
    assert different == []


def test_cached_initials_equal_the_service():
    maker = NameMaker(random.Random(5))
    for index in range(3000):
        name = maker.name(male=index % 2 == 0, birth_year=1960 + index % 45)
        assert 2 <= len(name) <= 5
        assert maker.initials(name) == name_initials(name), name
        assert maker.pinyin(name) == name_pinyin(name), name


def test_names_are_reproducible():
    first = NameMaker(random.Random(9))
    second = NameMaker(random.Random(9))
    assert [first.name(male=True, birth_year=1990) for _ in range(50)] == [
        second.name(male=True, birth_year=1990) for _ in range(50)
    ]
