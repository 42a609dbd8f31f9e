"""The text encoding of an uploaded CSV file: UTF-8 (with or without BOM) or GBK/GB18030 (what
Excel in China saves by default), and nothing else. Used by the bills import and the roster
import.

UTF-8 is unambiguous: Chinese text in another encoding is almost never valid UTF-8. GBK is not:
GB18030 decodes any byte sequence at all, and GBK's two-byte range also takes most Big5
(traditional Chinese) and Shift-JIS (Japanese) text, which then "decodes" into rare
characters, private-use characters and kana — the mojibake that used to be imported as names.
So GBK is accepted only when the text reads as simplified Chinese: no control characters, and
nearly all of its non-ASCII characters (all but one in ten, plus one) within GB2312, the 6,763
common characters and the symbols every mainland system has. Rare name characters (喆, 堃)
are outside GB2312 but few; Big5 and Shift-JIS text is mostly outside it.
"""

import codecs
import re
from collections.abc import Iterator

from django.utils.translation import gettext as _

UTF8 = "UTF-8"
GBK = "GBK"
# The codec that reads each: utf-8-sig drops a BOM; GB18030 is GBK's superset.
CODECS = {UTF8: "utf-8-sig", GBK: "gb18030"}
# Bytes of a large file read to tell its encoding; every line is still decoded strictly.
SNIFF_BYTES = 256 * 1024
# A CSV line longer than this is not a line of a bills or roster file (a file with only
# carriage returns, or no line breaks at all, would otherwise be read whole as one line).
MAX_LINE_BYTES = 64 * 1024
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class EncodingRefused(ValueError):
    """The bytes are not UTF-8 or GBK text; `message` says so in the user's language."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class UndecodableLine(EncodingRefused):
    """Line `line` of a file is not text in the file's encoding, or is far too long."""

    def __init__(self, message: str, line: int):
        super().__init__(message)
        self.line = line


def _refused() -> EncodingRefused:
    return EncodingRefused(
        _(
            "The file is neither UTF-8 nor GBK (simplified Chinese) text — for example Big5 "
            "or Shift-JIS. Save it from Excel as “CSV UTF-8 (comma delimited)” and try again."
        )
    )


def _decode(sample: bytes, codec: str, complete: bool) -> str | None:
    try:
        # Incremental: a sample cut inside a character is not an error, unless it is the end.
        return codecs.getincrementaldecoder(codec)().decode(sample, final=complete)
    except UnicodeDecodeError:
        return None


def reads_as_chinese(text: str) -> bool:
    """Nearly all non-ASCII characters of `text` are common (GB2312) ones."""
    ascii_count = len(text.encode("ascii", "ignore"))
    others = len(text) - ascii_count
    # GB2312 cannot encode a rare character: it becomes "?" (beyond the text's own "?").
    uncommon = text.encode("gb2312", "replace").count(b"?") - text.count("?")
    return uncommon <= 1 + others // 10


def detect_encoding(sample: bytes, *, complete: bool = True) -> str:
    """UTF8 or GBK for the start of a file (`complete`: the whole file), or EncodingRefused."""
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise EncodingRefused(
            _(
                "The file is UTF-16 (Excel's “Unicode text”). Save it from Excel as "
                "“CSV UTF-8 (comma delimited)” and try again."
            )
        )
    text = _decode(sample, CODECS[UTF8], complete)
    if text is not None and not CONTROL.search(text):
        return UTF8
    text = _decode(sample, CODECS[GBK], complete)
    if text is not None and not CONTROL.search(text) and reads_as_chinese(text):
        return GBK
    raise _refused()


def decode_text(raw: bytes) -> tuple[str, str]:
    """(text, encoding) of a whole small file, or EncodingRefused."""
    encoding = detect_encoding(raw, complete=True)
    return raw.decode(CODECS[encoding]), encoding


def decoded_lines(binary, encoding: str) -> Iterator[str]:
    """The lines of a binary file (from where it stands), each decoded strictly: a line that is
    not `encoding` text raises UndecodableLine with its number. Line breaks are kept, for the
    csv module. Splitting the bytes at b"\\n" is safe: no UTF-8, GBK or GB18030 character
    contains that byte."""
    codec = CODECS[encoding]
    number = 0
    while raw := binary.readline(MAX_LINE_BYTES + 1):
        number += 1
        if len(raw) > MAX_LINE_BYTES:
            raise UndecodableLine(
                _("Line %(line)s is longer than %(limit)s KB: this is not a CSV file of lines.")
                % {"line": number, "limit": MAX_LINE_BYTES // 1024},
                number,
            )
        try:
            yield raw.decode(codec)
        except UnicodeDecodeError:
            raise UndecodableLine(
                _(
                    "Line %(line)s is not %(encoding)s text: the file mixes encodings or is "
                    "not a text file. Save it from Excel as “CSV UTF-8 (comma delimited)” and "
                    "try again."
                )
                % {"line": number, "encoding": encoding},
                number,
            ) from None
