"""Limits of a user template's rendering: time, loop steps, ranges, value and output sizes.

A user template is code. :class:`~santeloc.exports.word.DocumentSandbox` already keeps it away
from the files and the database; these limits keep it from hanging the export or exhausting
the memory: ``{% for i in range(10**10) %}``, nested loops, ``"x" * 10**10``, ``10**10**10``,
a macro doubling its output at each call… Each limit reached raises
:class:`TemplateLimitError`, whose French message the export shows with the template's name
and the place.

The budget is per render and per thread (a dossier renders its documents one after the other,
possibly off the GUI thread): :func:`render_limits` opens it around one document.
"""

from __future__ import annotations

import math
import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import Any

import jinja2

MAX_RENDER_SECONDS = 30.0
"""Longest rendering of one document (the longest shipped one takes well under a second)."""

MAX_STEPS = 20_000_000
"""Calls, attribute reads and loop turns of one rendering."""

MAX_RANGE_ITEMS = 100_000
"""Longest ``range(…)`` a template may loop over (Jinja's own sandbox limit)."""

MAX_VALUE_CHARS = 5_000_000
"""Longest string or list a template may build (``"x" * n``, ``center(n)``…)."""

MAX_OUTPUT_CHARS = 100_000_000
"""Longest XML a template part may produce (a 200-page dossier is ~10 million characters)."""

MAX_POWER_BITS = 4_096
"""Largest number ``a ** b`` may produce, in bits."""


class TemplateLimitError(jinja2.exceptions.TemplateRuntimeError):
    """A limit of the sandbox was reached; ``message`` says which, in French."""


class _Budget:
    """What one rendering has used so far."""

    __slots__ = ("deadline", "output", "steps")

    def __init__(self) -> None:
        self.deadline = time.monotonic() + MAX_RENDER_SECONDS
        self.steps = 0
        self.output = 0

    def tick(self, count: int = 1) -> None:
        self.steps += count
        if self.steps > MAX_STEPS:
            raise TemplateLimitError(
                f"le modèle fait plus de {MAX_STEPS:_} opérations (une boucle sans fin ?)".replace("_", "\u202f")
            )
        if time.monotonic() > self.deadline:
            raise TemplateLimitError(
                f"le modèle met plus de {MAX_RENDER_SECONDS:g} secondes à s'appliquer (une boucle sans fin ?)"
            )


_current = threading.local()


def tick(count: int = 1) -> None:
    """Count one step of the rendering under way (no limit outside :func:`render_limits`)."""
    budget: _Budget | None = getattr(_current, "budget", None)
    if budget is not None:
        budget.tick(count)


@contextmanager
def render_limits() -> Iterator[None]:
    """Apply the limits to the renderings of this thread inside the block."""
    previous = getattr(_current, "budget", None)
    _current.budget = _Budget()
    try:
        yield
    finally:
        _current.budget = previous


def _too_long(length: int) -> TemplateLimitError:
    return TemplateLimitError(
        f"le modèle construit un texte ou une liste de {length:_} éléments, {MAX_VALUE_CHARS:_} au plus".replace(
            "_", "\u202f"
        )
    )


def check_size(value: Any) -> Any:
    """``value`` if its length is within :data:`MAX_VALUE_CHARS`, else a limit error."""
    if isinstance(value, str | list | tuple | bytes) and len(value) > MAX_VALUE_CHARS:
        raise _too_long(len(value))
    return value


class BoundedRange:
    """``range(…)`` for templates: at most :data:`MAX_RANGE_ITEMS` items, each turn counted."""

    __slots__ = ("_range",)

    def __init__(self, *args: Any) -> None:
        if not all(isinstance(arg, int) and not isinstance(arg, bool) for arg in args):
            raise TemplateLimitError("range(…) attend des nombres entiers")
        values = range(*args)
        if len(values) > MAX_RANGE_ITEMS:
            raise TemplateLimitError(
                f"range(…) donne {len(values):_} valeurs, {MAX_RANGE_ITEMS:_} au plus".replace("_", "\u202f")
            )
        self._range = values

    def __iter__(self) -> Iterator[int]:
        for value in self._range:
            tick()
            yield value

    def __reversed__(self) -> Iterator[int]:
        for value in reversed(self._range):
            tick()
            yield value

    def __len__(self) -> int:
        return len(self._range)

    def __getitem__(self, index: Any) -> Any:
        return self._range[index]


def check_binop(operator: str, left: Any, right: Any) -> None:
    """Refuse, before computing it, an operation whose result would be huge."""
    tick()
    if operator == "**" and isinstance(left, int | float) and isinstance(right, int | float):
        magnitude = abs(left)
        if magnitude > 1 and right > 0 and right * math.log2(magnitude) > MAX_POWER_BITS:
            raise TemplateLimitError(f"le nombre {left!r} ** {right!r} est trop grand")
    elif operator == "*":
        for sequence, times in ((left, right), (right, left)):
            if isinstance(sequence, str | list | tuple) and isinstance(times, int) and not isinstance(times, bool):
                if len(sequence) * times > MAX_VALUE_CHARS:
                    raise _too_long(len(sequence) * times)
    elif operator == "+" and isinstance(left, str | list | tuple) and isinstance(right, str | list | tuple):
        if len(left) + len(right) > MAX_VALUE_CHARS:
            raise _too_long(len(left) + len(right))


_WIDTH = re.compile(r"[<>=^]?\+?#?0?(\d+)")
_PERCENT_WIDTH = re.compile(r"%[-+ #0]*(\d+)")


def _widths(text: str) -> int:
    """The largest field width written in a format string (``{:>12}``, ``%-12s``)."""
    widths = [int(m.group(1)) for m in _PERCENT_WIDTH.finditer(text) if len(m.group(1)) < 12]
    for spec in re.findall(r"\{[^{}]*:([^{}]*)\}", text):
        if match := _WIDTH.match(spec):
            widths.append(int(match.group(1)) if len(match.group(1)) < 12 else MAX_VALUE_CHARS + 1)
    if any(len(m.group(1)) >= 12 for m in _PERCENT_WIDTH.finditer(text)):
        widths.append(MAX_VALUE_CHARS + 1)
    return max(widths, default=0)


def check_call(function: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """Refuse a string method call whose result would be huge (``replace``, ``zfill``, ``format``)."""
    tick()
    owner = getattr(function, "__self__", None)
    if owner is None:  # the sandbox wraps str.format: the original method is kept as __wrapped__
        owner = getattr(getattr(function, "__wrapped__", None), "__self__", None)
    if not isinstance(owner, str):
        return
    name = getattr(function, "__name__", "")
    estimate = 0
    if name == "replace" and len(args) >= 2 and isinstance(args[1], str):
        estimate = (len(owner) + 1) * max(1, len(args[1]))
    elif name in ("zfill", "center", "ljust", "rjust") and args and isinstance(args[0], int):
        estimate = args[0]
    elif name in ("format", "format_map"):
        estimate = len(owner) + _widths(owner) * max(1, owner.count("{"))
        estimate += sum(len(a) for a in (*args, *kwargs.values()) if isinstance(a, str))
    if estimate > MAX_VALUE_CHARS:
        raise _too_long(estimate)


_WIDTH_ARGUMENTS = {"center": 1, "indent": 1, "wordwrap": 1}


def bounded_filter(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """A filter that counts as a step, refuses huge widths and huge results."""
    position = _WIDTH_ARGUMENTS.get(name)

    @wraps(function)
    def bounded(*args: Any, **kwargs: Any) -> Any:
        tick()
        if position is not None:
            values = [
                a
                for a in args
                if not isinstance(a, jinja2.runtime.Context | jinja2.nodes.EvalContext | jinja2.Environment)
            ]
            width = values[position] if len(values) > position else kwargs.get("width")
            if isinstance(width, int) and width > MAX_VALUE_CHARS:
                raise _too_long(width)
        if name == "format" and args and isinstance(args[0], str):
            if _widths(args[0]) > MAX_VALUE_CHARS:
                raise _too_long(_widths(args[0]))
        return check_size(function(*args, **kwargs))

    return bounded


def bounded_concat(values: Any) -> str:
    """``"".join`` of a template's output, refusing past :data:`MAX_OUTPUT_CHARS` or the time limit."""
    budget: _Budget | None = getattr(_current, "budget", None)
    if budget is None:
        return "".join(values)
    parts: list[str] = []
    for value in values:
        budget.output += len(value)
        if budget.output > MAX_OUTPUT_CHARS:
            raise TemplateLimitError(
                f"le modèle produit plus de {MAX_OUTPUT_CHARS:_} caractères (une boucle sans fin ?)".replace(
                    "_", "\u202f"
                )
            )
        budget.tick()
        parts.append(value)
    return "".join(parts)
