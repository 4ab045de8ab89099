"""PDFs drawn with reportlab (certificates, notices, reports) use its built-in CJK font
STSong-Light, a CID font every PDF reader has: no font file ships with Yicai and none is
embedded."""

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont

FONT = "STSong-Light"


def cjk_font() -> str:
    """The font's name, registered with reportlab on first use."""
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    return FONT
