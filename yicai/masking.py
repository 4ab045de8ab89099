"""Numbers long enough to be an identity or phone number: found (a search kept out of URLs, a
free text that must not hold one) and kept only as their last four digits (audit entries, our
log lines, the access log). The one rule for all of them."""

import re

# Seven digits or more (ASCII or full-width), and an identity number's final X.
LONG_NUMBER = re.compile(r"[0-9０-９]{7,}[0-9０-９Xx]?")

# The same in a URL as a client sent it: a digit may be percent-encoded (%31, full-width
# %EF%BC%91) and a pasted number may hold spaces (+, %20). Each token is one character.
_DIGIT = r"(?:[0-9０-９]|%3[0-9]|%[Ee][Ff]%[Bb][Cc]%9[0-9])"
_X = r"(?:[Xx]|%58|%78|%[Ee][Ff]%[Bb][Cc]%[Bb]8|%[Ee][Ff]%[Bb][Dd]%98)"
_SPACE = r"(?:\+|%20)"
_URL_TOKEN = re.compile(rf"{_DIGIT}|{_X}|{_SPACE}")
_URL_NUMBER = re.compile(rf"{_DIGIT}(?:{_SPACE}?{_DIGIT}){{6,}}{_X}?")


def has_long_number(text: str | None) -> bool:
    return bool(text) and LONG_NUMBER.search(str(text)) is not None


def last_four_only(text: str) -> str:
    """ "110105199003071234" → "**************1234"."""
    return LONG_NUMBER.sub(lambda m: "*" * (len(m.group()) - 4) + m.group()[-4:], text)


def url_last_four_only(text: str) -> str:
    """A URL or request line with each long number masked to its last four characters,
    however its digits were encoded: "/people/?q=%31%31%30...%34" keeps "%31%32%33%34"."""

    def mask(match: re.Match[str]) -> str:
        tokens = [t for t in _URL_TOKEN.findall(match.group()) if not _is_space(t)]
        return "*" * (len(tokens) - 4) + "".join(tokens[-4:])

    return _URL_NUMBER.sub(mask, text)


def _is_space(token: str) -> bool:
    return token in {"+", "%20"}
