"""What changed between two versions of an article, in words a person reads, and its word-level diff (pure).

- ``classify(old, new)`` returns the ``Change``: its kinds (``retitled``, ``edited``), its
  line (``title changed; body: 1 paragraph edited, 1 added, 41 words removed``) and the counts;
  None when nothing a reader sees changed (whitespace, markup, a view count: never a change).
- ``body_diff`` and ``word_diff`` return the diff a page shows: paragraphs of segments, each
  ``equal``, ``insert`` or ``delete``; the counts of ``classify`` are those of the same diff.

Words are what ``str.split`` gives (whitespace-separated, punctuation kept on its word: a
corrected figure ``120,`` is one word); paragraphs are the body's blank-line-separated blocks.
Paragraphs are aligned first (difflib on whole paragraphs), then words within a replaced run:
cheap on bodies of a few hundred words, and an added paragraph counts as one, not as words
spread over its neighbours.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

#: A piece of a diff: (``equal`` | ``insert`` | ``delete``, the words joined by spaces).
Segment = tuple[str, str]

#: Paired paragraphs this similar (difflib's ratio of their words) are one edited paragraph;
#: below it, the old one was removed and a new one added (unless one replaced one other).
EDITED_MIN_RATIO = 0.5

#: Fields other than title and body that make a change, with the words their line uses.
OTHER_FIELDS = (
    ("author", "author changed"),
    ("published_at", "date moved"),
    ("categories", "categories changed"),
    ("photo_caption", "photo caption changed"),
    ("images", "photos changed"),
    ("dateline", "dateline changed"),
    ("credit", "credit changed"),
    ("kind", "kind changed"),
)


@dataclass(frozen=True)
class Change:
    """What changed from one version to the next: its kinds, its line and its counts."""

    kinds: tuple[str, ...]
    line: str
    fields: tuple[str, ...]
    words_added: int = 0
    words_removed: int = 0
    paragraphs_added: int = 0
    paragraphs_removed: int = 0
    paragraphs_edited: int = 0


def words(text: str | None) -> list[str]:
    """Return the words of TEXT (whitespace-separated).

    >>> words(" Ralat:  120\\n orang ")
    ['Ralat:', '120', 'orang']
    """
    return (text or "").split()


def paragraphs(text: str | None) -> list[str]:
    """Return the paragraphs of a body TEXT, each with its whitespace collapsed.

    >>> paragraphs("a  b\\n\\n\\n c \\n\\n")
    ['a b', 'c']
    """
    blocks = (text or "").replace("\r\n", "\n").split("\n\n")
    return [" ".join(block.split()) for block in blocks if block.strip()]


def word_diff(old: Sequence[str], new: Sequence[str]) -> list[Segment]:
    """Return the segments turning the words OLD into the words NEW (equal, delete, insert).

    >>> word_diff("jumlah 120 orang".split(), "jumlah 125 orang hadir".split())
    [('equal', 'jumlah'), ('delete', '120'), ('insert', '125'), ('equal', 'orang'), ('insert', 'hadir')]
    """
    segments: list[Segment] = []
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            segments.append(("equal", " ".join(old[i1:i2])))
            continue
        if i2 > i1:
            segments.append(("delete", " ".join(old[i1:i2])))
        if j2 > j1:
            segments.append(("insert", " ".join(new[j1:j2])))
    return segments


def _similar(old: str, new: str, alone: bool) -> bool:
    ratio = SequenceMatcher(None, old.split(), new.split(), autojunk=False).ratio()
    # One paragraph in place of one other sharing any word reads as that paragraph edited.
    return ratio >= EDITED_MIN_RATIO or (alone and ratio > 0)


def body_diff(old_text: str | None, new_text: str | None) -> list[list[Segment]]:
    """Return the diff of two bodies as paragraphs of segments (a whole added paragraph is one insert).

    >>> body_diff("a b\\n\\nc d", "a b\\n\\nc e d\\n\\nf")
    [[('equal', 'a b')], [('equal', 'c'), ('insert', 'e'), ('equal', 'd')], [('insert', 'f')]]
    """
    old, new = paragraphs(old_text), paragraphs(new_text)
    result: list[list[Segment]] = []
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            result.extend([("equal", p)] for p in old[i1:i2])
            continue
        removed, added = list(old[i1:i2]), list(new[j1:j2])
        # Pair paragraphs in order while they look alike; the rest were removed or added.
        alone = len(removed) == len(added) == 1
        while removed and added and _similar(removed[0], added[0], alone):
            result.append(word_diff(removed.pop(0).split(), added.pop(0).split()))
        result.extend([("delete", p)] for p in removed)
        result.extend([("insert", p)] for p in added)
    return result


def diff_counts(diff: Sequence[Sequence[Segment]]) -> dict[str, int]:
    """Return the counts of a ``body_diff``: words added and removed, paragraphs added, removed, edited.

    >>> diff_counts(body_diff("a b\\n\\nc d\\n\\nx y z", "a b\\n\\nc e d\\n\\nf"))["words_removed"]
    3
    """
    counts = dict.fromkeys(
        (
            "words_added",
            "words_removed",
            "paragraphs_added",
            "paragraphs_removed",
            "paragraphs_edited",
        ),
        0,
    )
    for paragraph in diff:
        ops = {op for op, _ in paragraph}
        for op, text in paragraph:
            if op == "insert":
                counts["words_added"] += len(text.split())
            elif op == "delete":
                counts["words_removed"] += len(text.split())
        if ops == {"insert"}:
            counts["paragraphs_added"] += 1
        elif ops == {"delete"}:
            counts["paragraphs_removed"] += 1
        elif ops != {"equal"}:
            counts["paragraphs_edited"] += 1
    return counts


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def body_line(counts: Mapping[str, int]) -> str:
    """Return the words of a body's change ('body: 2 paragraphs edited, 1 added, 41 words removed').

    >>> body_line({"paragraphs_edited": 2, "paragraphs_added": 1, "words_removed": 41})
    'body: 2 paragraphs edited, 1 added, 41 words removed'
    >>> body_line({"paragraphs_edited": 1, "words_added": 1, "words_removed": 1})
    'body: 1 paragraph edited, 1 word added, 1 removed'
    """
    parts: list[str] = []
    for noun, keys in (
        ("paragraph", ("edited", "added", "removed")),
        ("word", ("added", "removed")),
    ):
        first = True
        for key in keys:
            count = counts.get(f"{noun}s_{key}", 0)
            if count:
                parts.append(f"{_plural(count, noun) if first else count} {key}")
                first = False
    return "body: " + ", ".join(parts)


def _same(old: Any, new: Any) -> bool:
    """Return whether two values of a field read the same (JSON decoded, whitespace collapsed)."""

    def plain(value: Any) -> Any:
        if isinstance(value, str):
            try:
                decoded = json.loads(value)
            except ValueError:
                return " ".join(value.split())
            value = decoded if isinstance(decoded, (list, dict)) else value
        if isinstance(value, str):
            return " ".join(value.split())
        return json.dumps(value, sort_keys=True, ensure_ascii=False) if value else None

    return plain(old) == plain(new)


def classify(old: Mapping[str, Any], new: Mapping[str, Any]) -> Change | None:
    """Return what changed from the article row OLD to NEW, or None when nothing a reader sees did.

    >>> classify({"title": "A", "body_text": "x y"}, {"title": "B", "body_text": "x y z"}).line
    'title changed; body: 1 paragraph edited, 1 word added'
    >>> classify({"title": "A", "body_text": "x  y"}, {"title": "A ", "body_text": "x y"}) is None
    True
    """
    kinds: list[str] = []
    lines: list[str] = []
    fields: list[str] = []
    if not _same(old.get("title"), new.get("title")):
        kinds.append("retitled")
        lines.append("title changed")
        fields.append("title")
    counts = diff_counts(body_diff(old.get("body_text"), new.get("body_text")))
    if any(counts.values()):
        lines.append(body_line(counts))
        fields.append("body_text")
    for name, words_of_it in OTHER_FIELDS:
        if not _same(old.get(name), new.get(name)):
            lines.append(words_of_it)
            fields.append(name)
    if not lines:
        return None
    if set(fields) - {"title"}:
        kinds.append("edited")
    return Change(tuple(kinds), "; ".join(lines), tuple(fields), **counts)


def removal(status: int | None) -> Change:
    """Return the change of an article the portal stopped serving (answering STATUS)."""
    how = f" (HTTP {status})" if status else ""
    return Change(("removed",), f"removed from the portal{how}", ())


def back() -> Change:
    """Return the change of an article the portal serves again after it was removed."""
    return Change(("returned",), "back on the portal", ())
