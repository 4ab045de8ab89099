"""Synthetic Chinese names and their pinyin initials.

Every character in these pools has ONE possible first letter in pypinyin (no 曾/单/解/查/乐/覃...),
so initials computed character by character, with a cache, always equal what
`yicai.people.services.name_initials` computes for the whole name (a test checks the pools).
"""

import random

from pypinyin import Style, lazy_pinyin

# Common surnames with rough weights (per 1,000; Shanghai-leaning: 陆 顾 沈 钱 徐 朱 are common).
SURNAMES: tuple[tuple[str, int], ...] = (
    ("王", 70),
    ("李", 64),
    ("张", 60),
    ("刘", 45),
    ("陈", 50),
    ("杨", 28),
    ("黄", 24),
    ("赵", 20),
    ("吴", 24),
    ("周", 24),
    ("徐", 26),
    ("孙", 16),
    ("马", 12),
    ("朱", 20),
    ("胡", 14),
    ("郭", 10),
    ("何", 10),
    ("林", 12),
    ("高", 10),
    ("罗", 8),
    ("郑", 8),
    ("梁", 6),
    ("谢", 7),
    ("宋", 6),
    ("唐", 7),
    ("许", 8),
    ("韩", 5),
    ("冯", 5),
    ("邓", 5),
    ("曹", 6),
    ("彭", 5),
    ("肖", 5),
    ("田", 4),
    ("董", 5),
    ("袁", 5),
    ("潘", 6),
    ("于", 4),
    ("蒋", 6),
    ("蔡", 6),
    ("余", 4),
    ("杜", 4),
    ("叶", 6),
    ("程", 4),
    ("苏", 4),
    ("魏", 4),
    ("吕", 4),
    ("丁", 5),
    ("任", 3),
    ("沈", 12),
    ("姚", 5),
    ("卢", 3),
    ("姜", 4),
    ("崔", 2),
    ("钟", 3),
    ("谭", 2),
    ("陆", 12),
    ("汪", 5),
    ("范", 4),
    ("金", 6),
    ("石", 3),
    ("廖", 2),
    ("夏", 4),
    ("韦", 2),
    ("方", 4),
    ("白", 2),
    ("邹", 3),
    ("孟", 2),
    ("熊", 2),
    ("秦", 2),
    ("邱", 2),
    ("江", 3),
    ("尹", 2),
    ("薛", 3),
    ("闫", 1),
    ("段", 1),
    ("雷", 1),
    ("侯", 2),
    ("龙", 1),
    ("史", 2),
    ("陶", 3),
    ("黎", 1),
    ("贺", 1),
    ("顾", 12),
    ("毛", 3),
    ("郝", 1),
    ("龚", 3),
    ("邵", 3),
    ("万", 2),
    ("钱", 8),
    ("严", 3),
    ("武", 1),
    ("戴", 3),
    ("莫", 1),
    ("孔", 1),
    ("鲁", 1),
    ("倪", 3),
    ("施", 5),
    ("殷", 1),
    ("俞", 4),
    ("奚", 1),
    ("庄", 2),
    ("缪", 1),
    ("翁", 1),
    ("季", 2),
    ("欧阳", 1),
    ("司马", 1),
    ("诸葛", 1),
)

# Given-name characters by sex and era (born before 1980 / from 1980): names say when people
# were born, as real rosters do.
MALE_OLD = "国建华明军伟平强勇志文斌林海峰俊杰荣新德春永涛宏兵忠立刚伟健东庆辉良"
MALE_NEW = "浩宇轩博晨睿哲子昊天磊鹏飞凯翔帆宁远航煜铭瑞泽逸阳晟毅然嘉骏楷洋"
FEMALE_OLD = "秀英丽华玲红梅芳敏静霞燕萍娟琴云艳兰凤珍莉琳慧美娣"
FEMALE_NEW = "婷雪颖倩佳怡欣悦雯璐晶妍婧梦诗涵瑶琪蕾薇丹菲茜思晴雨楠媛洁"
NEUTRAL = "文明佳晓"  # used by either sex

_POOLS = {
    (True, False): MALE_OLD,
    (True, True): MALE_NEW,
    (False, False): FEMALE_OLD,
    (False, True): FEMALE_NEW,
}


def _chinese(text: str) -> str:
    return "".join(ch for ch in dict.fromkeys(text) if "\u4e00" <= ch <= "\u9fff")


POOLS = {key: _chinese(chars) for key, chars in _POOLS.items()}
COMMON = _chinese(NEUTRAL)
_SURNAME_LIST = [name for name, _weight in SURNAMES]
_SURNAME_CUMULATIVE = []
_total = 0
for _name, _weight in SURNAMES:
    _total += _weight
    _SURNAME_CUMULATIVE.append(_total)


def all_characters() -> set[str]:
    chars = set("".join(_SURNAME_LIST)) | set(COMMON)
    for pool in POOLS.values():
        chars |= set(pool)
    return chars


class NameMaker:
    """Deterministic names from a random.Random, with cached per-character initials."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self._initials: dict[str, str] = {}
        self._pinyin: dict[str, str] = {}

    def name(self, *, male: bool, birth_year: int) -> str:
        rng = self.rng
        surname = rng.choices(_SURNAME_LIST, cum_weights=_SURNAME_CUMULATIVE)[0]
        pool = POOLS[(male, birth_year >= 1980)]
        if birth_year < 1980 and rng.random() < 0.15:
            pool = pool + POOLS[(male, True)]
        if rng.random() < 0.22:  # one-character given name (王伟, 李静)
            return surname + rng.choice(pool)
        first = rng.choice(pool + COMMON) if rng.random() < 0.2 else rng.choice(pool)
        second = rng.choice(pool)
        while second == first:
            second = rng.choice(pool)
        return surname + first + second

    def initials(self, name: str) -> str:
        cache = self._initials
        letters = []
        for ch in name:
            letter = cache.get(ch)
            if letter is None:
                letter = cache[ch] = "".join(lazy_pinyin(ch, style=Style.FIRST_LETTER)).lower()
            letters.append(letter)
        return "".join(letters)[:50]

    def pinyin(self, name: str) -> str:
        cache = self._pinyin
        parts = []
        for ch in name:
            part = cache.get(ch)
            if part is None:
                part = cache[ch] = "".join(lazy_pinyin(ch)).lower()
            parts.append(part)
        return "".join(parts)[:200]
