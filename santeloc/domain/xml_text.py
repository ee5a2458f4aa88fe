"""Text that documents and workbooks can hold: the characters XML 1.0 forbids are taken out.

A name pasted from a PDF often carries control characters (U+0001, U+000B vertical tab…).
santeloc keeps them as typed in the store, but Word and Excel files are XML, which cannot hold
them: one such character made every document fail (« PCDATA invalid Char value 1 ») and the
survey's entry sheet crash. Every text enters a document or a workbook through
:func:`xml_safe` (the Word context, :func:`santeloc.persistence.cells.set_text`, the entry
sheet), so no document fails for it: a vertical tab or form feed becomes a space (it separated
words), the others are dropped.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from typing import Any, TypeVar

T = TypeVar("T")

# Not allowed in XML 1.0: C0 controls but tab, newline and carriage return; lone surrogates;
# U+FFFE and U+FFFF.
_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_AS_SPACE = {"\x0b": " ", "\x0c": " "}


def xml_text(text: str) -> str:
    """``text`` without the characters XML cannot hold (the same object when it has none)."""
    if _INVALID.search(text) is None:
        return text
    cleaned = _INVALID.sub(lambda match: _AS_SPACE.get(match.group(), ""), text)
    return cleaned if type(text) is str else type(text)(cleaned)  # keeps Markup safe


def xml_safe(value: T) -> T:
    """``value`` with every text inside it passed through :func:`xml_text`.

    Walks mappings, lists, tuples and frozen dataclasses (copied only where a text changed);
    any other object is returned as it is.
    """
    return _clean(value)  # type: ignore[no-any-return,unused-ignore]


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return xml_text(value)
    if isinstance(value, Mapping):
        items = {key: _clean(item) for key, item in value.items()}
        if all(items[key] is value[key] for key in items):
            return value
        return items if type(value) is dict else dict(items)
    if isinstance(value, list):
        cleaned = [_clean(item) for item in value]
        return value if all(a is b for a, b in zip(cleaned, value, strict=True)) else cleaned
    if isinstance(value, tuple) and not hasattr(value, "_fields"):
        cleaned_tuple = tuple(_clean(item) for item in value)
        return value if all(a is b for a, b in zip(cleaned_tuple, value, strict=True)) else cleaned_tuple
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {}
        for field in dataclasses.fields(value):
            if not field.init:
                continue
            current = getattr(value, field.name)
            cleaned_field = _clean(current)
            if cleaned_field is not current:
                changes[field.name] = cleaned_field
        return dataclasses.replace(value, **changes) if changes else value
    return value
