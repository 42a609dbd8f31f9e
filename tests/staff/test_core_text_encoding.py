"""Uploaded CSV files are UTF-8 or GBK; Big5 and Shift-JIS are refused, not read as mojibake."""

import io

import pytest

from staff.core.text_encoding import (
    GBK,
    MAX_LINE_BYTES,
    UTF8,
    EncodingRefused,
    UndecodableLine,
    decode_text,
    decoded_lines,
    detect_encoding,
)

CHINESE = "户号,户名,地址\n1001,龙泉营业厅,荆门市象山大道100号\n"


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [("utf-8", UTF8), ("utf-8-sig", UTF8), ("gbk", GBK), ("gb18030", GBK)],
)
def test_utf8_with_or_without_bom_and_gbk_chinese_are_read(encoding, expected):
    assert decode_text(CHINESE.encode(encoding)) == (CHINESE, expected)


def test_a_gbk_file_with_a_rare_name_character_is_still_gbk():
    assert detect_encoding("account_no,name\n1001,王喆\n".encode("gbk")) == GBK
    assert (
        detect_encoding("户号,户名,地址\n1001,张堃,龙泉路\n1002,李喆,象山大道\n".encode("gbk"))
        == GBK
    )


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("龍泉營業廳", "big5"),
        ("account_no,name\n1001,龍泉營業廳\n", "big5"),
        ("戶號,戶名,地址\n1001,陳大文,台北市中正區重慶南路一段122號\n", "big5"),
        ("山田太郎", "shift_jis"),
        ("account_no,name\n1001,山田太郎\n", "shift_jis"),
        ("account_no,name,address\n1001,さとう はなこ,東京都新宿区西新宿2丁目8\n", "shift_jis"),
    ],
)
def test_big5_and_shift_jis_are_refused(text, encoding):
    with pytest.raises(EncodingRefused) as refused:
        detect_encoding(text.encode(encoding))
    assert "既不是 UTF-8 也不是 GBK" in refused.value.message


def test_utf16_and_binary_files_are_refused():
    with pytest.raises(EncodingRefused, match="UTF-16"):
        detect_encoding(CHINESE.encode("utf-16"))
    with pytest.raises(EncodingRefused):
        detect_encoding(b"PK\x03\x04\x14\x00\x00\x00\x08\x00")  # an XLSX, not a CSV
    with pytest.raises(EncodingRefused):
        detect_encoding("account_no\n1001\n".encode("utf-16-le"))  # NUL bytes


def test_a_sample_cut_inside_a_character_is_not_an_error():
    data = CHINESE.encode("utf-8")
    cut = data[: data.index("龙".encode()) + 1]
    assert detect_encoding(cut, complete=False) == UTF8
    with pytest.raises(EncodingRefused):
        detect_encoding(cut, complete=True)


def test_a_line_in_another_encoding_is_reported_with_its_number():
    data = "account_no,name\n1001,张三\n".encode() + "1002,龍泉\n".encode("big5")
    lines = decoded_lines(io.BytesIO(data), UTF8)
    assert next(lines) == "account_no,name\n"
    assert next(lines) == "1001,张三\n"
    with pytest.raises(UndecodableLine) as refused:
        next(lines)
    assert refused.value.line == 3
    assert "第 3 行不是 UTF-8" in refused.value.message


def test_a_file_without_line_breaks_is_not_read_whole():
    data = b"account_no,name\r" + b"1001,x\r" * (MAX_LINE_BYTES // 7 + 1)
    with pytest.raises(UndecodableLine) as refused:
        list(decoded_lines(io.BytesIO(data), UTF8))
    assert refused.value.line == 1
