"""Score the tagger against labelled sentences (tests/data/places_sentences.jsonl).

A labelled row is ``{"text", "url", "places": [{"kind", "name", "kecamatan"}], "offices": [id],
"ambiguous": [text]}``: what a careful reader resolves from that sentence alone, and the names
whose referent the sentence leaves open. Each sentence is scored as sets (a place or office
named twice counts once). Precision counts what the tagger resolved; a refusal is not a guess,
so it is never a false positive: a refused name that was labelled resolvable is a miss (recall),
one labelled ambiguous is right. A name labelled ambiguous that the tagger resolves anyway is a
false positive.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tuban_crawler.places.tagger import tag_article

Place = tuple[str, str, str]  # (kind, name, kecamatan)


@dataclass
class Tally:
    """True positives, false positives and misses of one kind of mention, with examples."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    wrong: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        """Return TP / (TP + FP), 1.0 when nothing was found."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        """Return TP / (TP + FN), 1.0 when nothing was labelled."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    def add(self, row_id: int, found: set[Any], expected: set[Any]) -> None:
        """Count one sentence's FOUND set against its EXPECTED set."""
        self.tp += len(found & expected)
        self.fp += len(found - expected)
        self.fn += len(expected - found)
        self.wrong += [f"#{row_id} {item}" for item in sorted(found - expected)]
        self.missed += [f"#{row_id} {item}" for item in sorted(expected - found)]


@dataclass
class Scores:
    """The tagger's scores on a labelled set."""

    sentences: int = 0
    places: Tally = field(default_factory=Tally)
    offices: Tally = field(default_factory=Tally)
    refused: int = 0
    refused_as_labelled: int = 0  # refusals of names labelled ambiguous
    ambiguous_labelled: int = 0


def load_rows(path: Path) -> list[dict[str, Any]]:
    """Return the labelled rows of the JSON-lines file PATH."""
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def score(rows: Iterable[dict[str, Any]]) -> Scores:
    """Return the tagger's scores on ROWS (labelled sentences, each tagged as an article body)."""
    scores = Scores()
    for row in rows:
        scores.sentences += 1
        tags = tag_article("", row["text"])
        found_places = {(p.kind, p.name, p.kecamatan) for p in tags.places}
        expected_places = {(p["kind"], p["name"], p["kecamatan"]) for p in row["places"]}
        scores.places.add(row["id"], found_places, expected_places)
        scores.offices.add(row["id"], {o.office_id for o in tags.offices}, set(row["offices"]))
        ambiguous = set(row.get("ambiguous", ()))
        scores.ambiguous_labelled += len(ambiguous)
        scores.refused += len(tags.refused)
        scores.refused_as_labelled += len({r.matched for r in tags.refused} & ambiguous)
    return scores
