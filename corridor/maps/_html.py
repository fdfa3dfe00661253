"""Escaping and formatting of the text placed in a map's HTML and inline scripts."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable
from typing import Any

__all__ = ["css_class", "escape", "fmt", "js_literal", "linked", "missing", "table"]

_URL = re.compile(r"https?://[^\s<>\"',;]+[^\s<>\"',;.)]")


def escape(value: Any) -> str:
    """HTML-escape any value, including the characters that matter inside JS template strings."""
    text = html.escape(str(value), quote=True)
    return text.replace("`", "&#96;").replace("$", "&#36;").replace("\\", "&#92;")


def js_literal(value: Any) -> str:
    """A JSON/JS literal that is safe inside an inline ``<script>`` element.

    ``</`` becomes ``<\\/`` and ``<!--`` becomes ``<\\!--`` (the same string to JavaScript), so
    no text can close the script element or switch the HTML parser's script state.
    """
    text = json.dumps(value, ensure_ascii=True, allow_nan=False)
    return text.replace("</", "<\\/").replace("<!--", "<\\!--")


def missing(value: Any) -> bool:
    """Whether a value is absent: ``None``, NaN, ``pd.NA`` or an empty string."""
    if value is None:
        return True
    try:
        return bool(value != value) or str(value) in ("<NA>", "nan", "")
    except (TypeError, ValueError):  # pd.NA compares to NA
        return True


def fmt(value: Any, spec: str = "", unit: str = "") -> str:
    """Escaped display text of a value, ``n/a`` when missing."""
    if missing(value):
        return "n/a"
    try:
        text = format(value, spec) if spec else str(value)
    except (TypeError, ValueError):
        text = str(value)
    return escape(text + unit)


def linked(value: Any) -> str:
    """Escaped text with every http(s) URL in it made a link (opens in a new tab); ``n/a``
    when missing. The URL is escaped as an attribute and as text, so it cannot break out."""
    if missing(value):
        return "n/a"
    text = str(value)
    out: list[str] = []
    pos = 0
    for match in _URL.finditer(text):
        url = match.group(0)
        out.append(escape(text[pos : match.start()]))
        out.append(
            f'<a href="{escape(url)}" target="_blank" rel="noopener noreferrer">{escape(url)}</a>'
        )
        pos = match.end()
    out.append(escape(text[pos:]))
    return "".join(out)


def table(rows: Iterable[tuple[str, str]]) -> str:
    """An HTML table of (label, already escaped value) rows."""
    cells = "".join(f"<tr><th>{escape(k)}</th><td>{v}</td></tr>" for k, v in rows)
    return f'<table class="corridor-table">{cells}</table>'


def css_class(text: str) -> str:
    """A class attribute value: every character but word characters, ``-`` and spaces -> ``_``."""
    return re.sub(r"[^\w\- ]", "_", text)
