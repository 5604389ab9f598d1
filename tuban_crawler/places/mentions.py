"""The mentions tag_article returns: a place, an office, a refusal, and all of them for one article."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PlaceMention:
    """A kecamatan, desa or kelurahan of Tuban named in an article."""

    kind: str  # "kecamatan" | "desa" | "kelurahan"
    name: str  # the official name
    kecamatan: str  # the kecamatan it is (in)
    code: str  # the Kemendagri code
    matched: str  # the text as it stands in the field
    field: str  # "title" | "body"
    start: int
    end: int


@dataclass(frozen=True)
class OfficeMention:
    """An office of the regency named in an article."""

    office_id: str
    name: str  # the official name
    abbreviation: str | None
    matched: str
    field: str
    start: int
    end: int


@dataclass(frozen=True)
class Refusal:
    """A name the tagger would not resolve, with the reason."""

    matched: str
    field: str
    start: int
    end: int
    reason: str


@dataclass(frozen=True)
class Tags:
    """What tag_article found in one article."""

    places: tuple[PlaceMention, ...]
    offices: tuple[OfficeMention, ...]
    refused: tuple[Refusal, ...]
