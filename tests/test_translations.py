"""Every catalogue is fully translated and compiled: users see Chinese everywhere."""

import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CATALOGUES = sorted(
    p for p in ROOT.glob("**/locale/zh_Hans/LC_MESSAGES/django.po") if ".venv" not in p.parts
)


def test_the_project_catalogue_exists():
    assert ROOT / "locale/zh_Hans/LC_MESSAGES/django.po" in CATALOGUES


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_catalogue_is_fully_translated_and_compiled(po, tmp_path):
    fresh = tmp_path / "django.mo"
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", str(fresh), str(po)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr, result.stderr
    committed = po.with_suffix(".mo")
    assert committed.exists() and committed.read_bytes() == fresh.read_bytes(), (
        f"{committed} is out of date: run `make messages`"
    )


def test_no_two_catalogues_translate_the_same_string_differently():
    """Django merges every app's catalogue into one: the first app's translation of a shared
    msgid wins everywhere. Where a word means different things ("Closed": an account 已销户,
    an incident 已结案), the apps must give it a context (pgettext)."""
    import gettext

    translations = {}
    clashes = []
    for po in CATALOGUES:
        with open(po.with_suffix(".mo"), "rb") as handle:
            catalogue = gettext.GNUTranslations(handle)._catalog
        for msgid, msgstr in catalogue.items():
            if not msgid:
                continue
            first = translations.setdefault(msgid, (msgstr, po))
            if first[0] != msgstr:
                clashes.append(f"{msgid!r}: {first[0]!r} ({first[1]}) vs {msgstr!r} ({po})")
    assert clashes == []


def test_every_string_of_ours_shows_our_translation():
    """Django's own catalogues (admin, auth, ...) translate common words too, and an app
    listed before ours would win: the admin's 过滤器 stood where ours says 筛选."""
    import gettext

    from django.utils import translation

    shadowed = []
    with translation.override("zh-hans"):
        for po in CATALOGUES:
            with open(po.with_suffix(".mo"), "rb") as handle:
                catalogue = gettext.GNUTranslations(handle)._catalog
            for key, msgstr in catalogue.items():
                if not key or isinstance(key, tuple):  # the header; plural forms
                    continue
                context, _sep, msgid = key.rpartition("\x04")
                shown = (
                    translation.pgettext(context, msgid) if context else translation.gettext(msgid)
                )
                if shown != msgstr:
                    shadowed.append(f"{msgid!r}: {shown!r} instead of {msgstr!r} ({po.name})")
    assert shadowed == []


# ASCII punctuation touching Chinese text: "第 3 行:本厅" should read "第 3 行：本厅".
ASCII_BESIDE_CHINESE = re.compile(
    r"[\u4e00-\u9fff“”（）：，；][:,;?!()]|[:,;?!()][\u4e00-\u9fff“”（）：，；]"
)
# Where the ASCII commas are literal: the bills file's header as it is typed in the file.
# File headers written as the file has them (commas of the CSV).
LITERAL_ASCII = {"户号,户名,地址,电话,账期,水量,金额", "渠道,流水号,户号,金额,支付时间"}


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_chinese_text_uses_chinese_punctuation(po):
    import gettext

    with open(po.with_suffix(".mo"), "rb") as handle:
        catalogue = gettext.GNUTranslations(handle)._catalog
    wrong = []
    for text in catalogue.values():
        for literal in LITERAL_ASCII:
            text = text.replace(literal, "")
        if ASCII_BESIDE_CHINESE.search(text):
            wrong.append(text)
    assert wrong == []
