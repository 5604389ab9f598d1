"""Save pages of the test portal under tests/pages/ as golden pairs (HTML + expected JSON).

The expected fields are what the extractor reads, checked first against the portal's own
ground truth (its manifest), so a golden pair never just agrees with the extractor.
Run by hand when the portal's layouts change: ``python scripts/save_golden_pages.py``.
"""

from __future__ import annotations

import json
import sys
import urllib.request
from pathlib import Path

from tuban_crawler.extract import extract_entry
from tuban_crawler.portal import PortalServer

PAGES = Path(__file__).resolve().parents[1] / "tests" / "pages"
BASE = "https://tubankab.go.id"  # saved pages are stored as if fetched from the real host


def pick(entries: list[dict]) -> dict[str, dict]:
    """Return one manifest entry per variation worth a golden pair."""
    articles = [e for e in entries if e["kind"] == "article"]
    first = lambda test: next(e for e in articles if test(e))  # noqa: E731
    return {
        "legacy_seed": first(lambda e: e["index"] is None),
        "legacy_caption_first": first(lambda e: e["layout"] == "legacy" and e["caption"]),
        "legacy_bullets": first(lambda e: e["meta_style"] == "bullets" and e["layout"] == "legacy"),
        "legacy_no_meta": first(lambda e: e["meta_style"] == "none"),
        "legacy_disqus_and_source": first(
            lambda e: e["layout"] == "legacy" and len(e["trailers"]) == 2
        ),
        "current_plain": first(
            lambda e: e["layout"] == "current" and not e["trailers"] and e["images"]
        ),
        "current_caption_first": first(lambda e: e["layout"] == "current" and e["caption"]),
        "current_bullets": first(
            lambda e: e["meta_style"] == "bullets" and e["layout"] == "current"
        ),
        "current_curly_quotes": first(lambda e: e["path"].startswith("/entry/n-a-")),
        "current_source_trailer": first(
            lambda e: e["layout"] == "current" and e["trailers"] == ["Sumber : Media Center"]
        ),
        "evergreen_page": next(e for e in entries if e["kind"] == "page"),
    }


def check(name: str, entry: dict, fields: dict) -> None:
    """Fail loudly when the extracted FIELDS disagree with the portal's truth ENTRY."""
    problems = []
    if fields["title"] != entry["title"]:
        problems.append(f"title {fields['title']!r} != {entry['title']!r}")
    if entry["has_meta_list"] and fields["published_raw"] != entry["published"]:
        problems.append(f"date {fields['published_raw']!r} != {entry['published']!r}")
    if entry["has_meta_list"] and fields["author"] != entry["author"]:
        problems.append(f"author {fields['author']!r} != {entry['author']!r}")
    if entry["kind"] == "article":
        # body paragraphs + the credit, when the portal put it in a paragraph of its own
        if len(fields["paragraphs"]) not in (entry["paragraphs"], entry["paragraphs"] + 1):
            problems.append(
                f"{len(fields['paragraphs'])} paragraphs, portal says {entry['paragraphs']}"
            )
    if problems:
        sys.exit(f"{name}: " + "; ".join(problems))


def main() -> None:
    with PortalServer(articles=2000, seed=1) as portal:
        with urllib.request.urlopen(portal.base_url + "/_portal/manifest.json") as response:
            entries = json.load(response)["entries"]
        for name, entry in pick(entries).items():
            with urllib.request.urlopen(portal.base_url + entry["path"]) as response:
                html = response.read().decode("utf-8").replace(portal.base_url, BASE)
            fields = extract_entry(html, BASE + entry["path"]).as_dict()
            check(name, entry, fields)
            for tested_elsewhere in (
                "body_html",
                "candidates",
                "drifted",
            ):  # as tests/test_extract.py compares
                fields.pop(tested_elsewhere)
            (PAGES / f"{name}.html").write_text(html, encoding="utf-8")
            (PAGES / f"{name}.json").write_text(
                json.dumps(fields, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
            )
            print(f"{name}: {entry['path']}")


if __name__ == "__main__":
    main()
