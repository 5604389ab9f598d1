"""Re-posts and teasers linked on save, in a real archive, whatever arrives first (issue 22)."""

from __future__ import annotations

import pytest
from sqlite_utils import Database

from tests.test_archive import fetch, record
from tests.test_reposts import OTHER, STORY
from tuban_crawler.store.archive import ArchiveStore
from tuban_crawler.store.migrations import migrations
from tuban_crawler.store.reposts import ALSO_AT_SQL, PENDING_TABLE, TEASERS_SQL

PORTAL = "https://tubankab.go.id/entry/pasar-baru-merakurak"
OFFICE = "https://diskominfo.tubankab.go.id/entry/pasar-baru-merakurak"
PPID = "https://ppid.tubankab.go.id/page/17"
BUDPAR = "https://disbudporapar.tubankab.go.id/entry/pasar-baru-merakurak"
DAY = "2024-05-02T09:00:00+07:00"
TEASER = "Bupati Tuban meresmikan Pasar Baru Merakurak. Selengkapnya di : www.tubankab.go.id"


def story(url, published_at=DAY, body=STORY, **changes):
    return record(url=url, published_at=published_at, body_text=body, body_html=None, **changes)


def save(store, row, at="2026-11-01T00:00:00+00:00"):
    return store.save_article(row, fetch(at, fetched_url=row["url"]), "r1")


def links(store, column="reposted_from"):
    return dict(store.db.execute(f"select url, {column} from articles order by url").fetchall())


@pytest.fixture
def store(tmp_path):
    with ArchiveStore(tmp_path / "archive.db") as opened:
        opened.set_state("origin", "tubankab.go.id")  # the portal, as ownership records it
        yield opened


@pytest.mark.parametrize(
    "order", [(PORTAL, OFFICE, PPID), (PPID, OFFICE, PORTAL), (OFFICE, PORTAL, PPID)]
)
def test_a_story_on_three_sites_is_three_rows_linked_to_the_portals_whatever_arrives_first(
    store, order
):
    for n, url in enumerate(order):
        assert save(store, story(url), at=f"2026-11-0{n + 1}T00:00:00+00:00") == "new"
    assert links(store) == {PORTAL: None, OFFICE: PORTAL, PPID: PORTAL}
    also_at = lambda url: {r[0] for r in store.db.execute(ALSO_AT_SQL, {"url": url, "limit": 9})}  # noqa: E731
    assert also_at(PORTAL) == {OFFICE, PPID}
    assert also_at(OFFICE) == {PORTAL, PPID}


def test_the_copy_published_first_is_the_original_even_off_the_portal(store):
    save(store, story(PORTAL, "2024-05-03T10:00:00+07:00"))
    save(store, story(OFFICE, "2024-05-02T08:00:00+07:00"))
    assert links(store) == {PORTAL: OFFICE, OFFICE: None}


def test_the_same_slug_on_another_site_for_another_story_is_not_linked(store):
    save(store, story(PORTAL))
    save(store, story(OFFICE, body=OTHER))
    assert links(store) == {PORTAL: None, OFFICE: None}


def test_a_refetched_version_keeps_its_link_and_the_original_is_never_written(store):
    save(store, story(PORTAL))
    original = store.get_article(PORTAL)
    save(store, story(OFFICE))
    edited = STORY + " Acara ditutup dengan doa bersama."
    assert save(store, story(OFFICE, body=edited), at="2026-11-05T00:00:00+00:00") == "updated"
    assert links(store) == {PORTAL: None, OFFICE: PORTAL}
    assert store.get_article(OFFICE)["version"] == 2
    assert store.get_article(PORTAL) == original  # the re-post's saves touched nothing of it
    assert store.db.execute("select count(*) from rejected_copies").fetchone()[0] == 0


def test_a_teaser_arriving_first_waits_for_its_article_and_never_becomes_its_body(store):
    assert save(store, story(OFFICE, body=TEASER)) == "new"
    assert links(store, "teaser_of") == {
        OFFICE: PORTAL
    }  # named at once: the portal is the archive's
    assert store.db.execute(f"select url, announced from {PENDING_TABLE}").fetchall() == [
        (OFFICE, PORTAL)
    ]
    assert save(store, story(PORTAL)) == "new"
    article = store.get_article(PORTAL)
    assert (article["body_text"], article["version"], article["teaser_of"]) == (STORY, 1, None)
    assert links(store, "teaser_of") == {OFFICE: PORTAL, PORTAL: None}
    assert links(store) == {OFFICE: None, PORTAL: None}  # a teaser is no re-post
    assert store.db.execute(f"select count(*) from {PENDING_TABLE}").fetchone()[0] == 0
    teasers = [r[0] for r in store.db.execute(TEASERS_SQL, {"url": PORTAL, "limit": 9})]
    assert teasers == [OFFICE]
    assert store.db.execute("select count(*) from article_versions").fetchone()[0] == 0


def test_a_teaser_arriving_after_its_article_is_linked_at_once(store):
    save(store, story(PORTAL))
    save(store, story(OFFICE, body=TEASER))
    save(store, story(BUDPAR, body=TEASER))  # two offices' teasers: not re-posts of each other
    assert links(store, "teaser_of") == {BUDPAR: PORTAL, OFFICE: PORTAL, PORTAL: None}
    assert links(store) == {BUDPAR: None, OFFICE: None, PORTAL: None}


def test_a_teaser_naming_a_site_not_archived_yet_is_linked_when_its_article_arrives(store):
    elsewhere = "https://selaras.tubankab.go.id/entry/pasar-baru-merakurak"
    save(store, story(OFFICE, body=TEASER.replace("www.tubankab.go.id", "selaras.tubankab.go.id")))
    assert links(store, "teaser_of") == {OFFICE: None}  # not a site of the archive (yet)
    save(store, story(elsewhere))
    assert links(store, "teaser_of") == {OFFICE: elsewhere, elsewhere: None}


def test_an_archive_from_before_m016_gets_its_reposts_and_teasers_linked_when_opened(tmp_path):
    path = tmp_path / "archive.db"
    db = Database(path)
    migrations.apply(db, stop_before="m016_reposts")
    db.table("articles").insert_all(
        {"url": url, "body_text": body, "published_at": DAY, "first_seen_at": f"2026-11-0{n}"}
        for n, (url, body) in enumerate(((OFFICE, STORY), (PORTAL, STORY), (BUDPAR, TEASER)), 1)
    )
    db.table("crawl_state").insert(
        {"key": "origin", "value": "tubankab.go.id"}, pk="key", replace=True
    )
    db.close()
    with ArchiveStore(path) as opened:
        assert links(opened) == {BUDPAR: None, OFFICE: PORTAL, PORTAL: None}
        assert links(opened, "teaser_of") == {BUDPAR: PORTAL, OFFICE: None, PORTAL: None}
        assert all(links(opened, "story_hash")[url] for url in (OFFICE, PORTAL, BUDPAR))
        # The full-text index was kept in step (its trigger set aside for the fingerprints only).
        found = "select count(*) from articles_fts where articles_fts match 'Merakurak'"
        assert opened.db.execute(found).fetchone()[0] == 3
        opened.db.execute("update articles set title = 'Pasar Gabus' where url = ?", [OFFICE])
        assert opened.db.execute(found.replace("Merakurak", "Gabus")).fetchone()[0] == 1


def test_a_repost_whose_template_changed_its_title_and_a_sentence_is_found_by_its_slug(store):
    save(store, story(PORTAL, title="Bupati Resmikan Pasar"))
    edited = STORY + " Acara ditutup dengan doa bersama."
    save(store, story(OFFICE, title="Bupati Resmikan Pasar | Diskominfo Tuban", body=edited))
    assert links(store) == {PORTAL: None, OFFICE: PORTAL}


@pytest.mark.parametrize("teaser_first", [True, False])
def test_a_teaser_on_a_page_id_site_naming_only_the_portal_is_linked_by_its_title(
    store, teaser_first
):
    """A /page/<id> teaser cannot carry the slug, and a theme may drop its link: the title says which."""
    title = "Bupati Resmikan Pasar Baru Merakurak"
    teaser = story(PPID, title=title, body=TEASER)
    saves = [teaser, story(PORTAL, title=title), story(BUDPAR, title="Pasar Baru (Disbudporapar)")]
    for row in saves if teaser_first else saves[::-1]:
        save(store, row)
    assert links(store, "teaser_of")[PPID] == PORTAL


@pytest.mark.parametrize("order", [(0, 1, 2), (2, 1, 0), (1, 2, 0)])
def test_a_page_id_teaser_of_a_recurring_title_names_the_article_published_nearest(store, order):
    title = "Peringatan Hari Jadi Tuban"
    last_year = PORTAL.replace("merakurak", "merakurak-2")
    saves = [
        story(PPID, "2024-05-02T12:00:00+07:00", TEASER, title=title),
        story(PORTAL, "2024-05-02T09:00:00+07:00", title=title),
        story(last_year, "2023-05-02T09:00:00+07:00", OTHER, title=title),
    ]
    for n in order:
        save(store, saves[n])
    assert links(store, "teaser_of")[PPID] == PORTAL
