"""Helpers of the fuzz test (tests/test_fuzz.py): hostile values, reading a page's forms and
links, the query parameters a view reads, and which rows a request really wrote."""

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlsplit

from django.http import QueryDict

# What a careless or malicious client sends. Each value is tried alone in one field, the
# other fields keeping the page's own values.
HOSTILE = {
    "nul": "1\x00",
    "long": "9" * 10_000,
    "emoji": "💧😀",
    "rtl": "\u202e1202-10-6\u200f",
    "negative": "-1",
    "huge": "99999999999999999999",
    "bad_date": "2026-02-30",
}


@dataclass
class Form:
    method: str
    action: str
    # name -> the value the page would send (first one for repeated names).
    values: dict[str, str] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)
    submits: list[tuple[str, str]] = field(default_factory=list)


class PageParser(HTMLParser):
    """The forms of a page, with the values a browser would send, and the query strings of
    its links."""

    def __init__(self, today: str):
        super().__init__(convert_charrefs=True)
        self.today = today
        self.forms: list[Form] = []
        self.links: list[str] = []
        self._form: Form | None = None
        self._select: str | None = None
        self._select_first: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = {name: value or "" for name, value in attrs}
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        elif tag == "form":
            self._form = Form(
                method=attrs.get("method", "get").lower(), action=attrs.get("action", "")
            )
            self.forms.append(self._form)
        elif self._form is None or not attrs.get("name") and tag != "option":
            return
        elif tag == "input":
            self._input(attrs)
        elif tag == "button" and attrs.get("type", "submit") == "submit":
            self._form.submits.append((attrs["name"], attrs.get("value", "")))
        elif tag == "select":
            self._select, self._select_first = attrs["name"], None
        elif tag == "option" and self._select:
            value = attrs.get("value", "")
            if self._select_first is None and value:
                self._select_first = value
            if "selected" in attrs and value:
                self._form.values[self._select] = value
        elif tag == "textarea":
            self._textarea = attrs["name"]
            self._form.values.setdefault(self._textarea, "")

    def _input(self, attrs):
        name, kind, value = attrs["name"], attrs.get("type", "text"), attrs.get("value", "")
        if kind == "file":
            self._form.files.append(name)
        elif kind == "submit":
            self._form.submits.append((name, value))
        elif kind in ("checkbox", "radio"):
            if "checked" in attrs or name not in self._form.values:
                self._form.values[name] = value or "on"
        elif not value:
            self._form.values.setdefault(name, self._plausible(kind, name, attrs))
        else:
            self._form.values.setdefault(name, value)

    def _plausible(self, kind, name, attrs):
        """A value a person would type into an empty field, so that other fields are valid."""
        if kind == "date":
            return self.today
        if kind == "month":
            return self.today[:7]
        if kind == "time":
            return "17:00" if name.endswith(("end", "out")) else "09:00"
        if kind == "datetime-local":
            return f"{self.today}T09:00"
        if kind == "number":
            return attrs.get("min") or "1"
        if kind == "tel" or "phone" in name:
            return "13800000000"
        if kind == "password":
            return "pass-Word-123"
        if name.endswith(("day", "date", "start", "end", "until")):
            return self.today
        if any(word in name for word in ("amount", "tendered", "float", "coins", "cash")):
            return "100.00"
        return "测试"

    def handle_data(self, data):
        if self._textarea and self._form is not None:
            # A browser drops the newline that follows <textarea>.
            text = self._form.values[self._textarea] + data
            self._form.values[self._textarea] = text.removeprefix("\n")

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select:
            if self._form is not None and self._select_first is not None:
                self._form.values.setdefault(self._select, self._select_first)
            self._select = None
        elif tag == "textarea" and self._textarea:
            if self._form is not None and not self._form.values[self._textarea].strip():
                self._form.values[self._textarea] = "测试"
            self._textarea = None

    def link_params(self, path: str) -> set[str]:
        """Names of the query parameters that links and GET forms of the page send to `path`."""
        names = set()
        for href in self.links:
            parts = urlsplit(href)
            if parts.path in ("", path):
                names.update(name for name, _ in parse_qsl(parts.query, keep_blank_values=True))
        for form in self.forms:
            if form.method == "get" and urlsplit(form.action).path in ("", path):
                names.update(form.values)
        return names


class RecordingQueryDict(QueryDict):
    """A QueryDict that remembers which names the view asked it for."""

    read: set[str] = set()

    def __getitem__(self, key):
        RecordingQueryDict.read.add(key)
        return super().__getitem__(key)

    def get(self, key, default=None):
        RecordingQueryDict.read.add(key)
        return super().get(key, default)

    def getlist(self, key, default=None):
        RecordingQueryDict.read.add(key)
        return super().getlist(key, default)

    def __contains__(self, key):
        RecordingQueryDict.read.add(key)
        return super().__contains__(key)


WRITE = re.compile(r'^\s*(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)
SAVEPOINT = re.compile(r'^\s*(SAVEPOINT|ROLLBACK TO SAVEPOINT|RELEASE SAVEPOINT)\s+"?(\w+)"?', re.I)


class WriteRecorder:
    """`connection.execute_wrapper`: the tables a request wrote and did not roll back.

    The test runs in a transaction, so a request's atomic blocks are savepoints: a write undone
    by ROLLBACK TO SAVEPOINT (a refused payment that failed a constraint) wrote nothing.
    """

    def __init__(self, ignored_tables=()):
        self.ignored = set(ignored_tables)
        self.writes: list[str] = []
        self._marks: list[tuple[str, int]] = []

    def __call__(self, execute, sql, params, many, context):
        if match := WRITE.match(sql):
            if match.group(2) not in self.ignored:
                self.writes.append(match.group(2))
        elif match := SAVEPOINT.match(sql):
            self._savepoint(match.group(1).upper(), match.group(2))
        return execute(sql, params, many, context)

    def _savepoint(self, verb, name):
        if verb == "SAVEPOINT":
            self._marks.append((name, len(self.writes)))
            return
        names = [mark for mark, _ in self._marks]
        if name not in names:
            return
        index = names.index(name)
        if verb == "RELEASE SAVEPOINT":
            del self._marks[index:]
        else:  # ROLLBACK TO SAVEPOINT keeps the savepoint itself.
            del self.writes[self._marks[index][1] :]
            del self._marks[index + 1 :]
