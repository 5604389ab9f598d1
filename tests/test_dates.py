"""Tests for tuban_crawler.dates: the table of portal shapes, the failure policy, mentions, batch."""

from __future__ import annotations

import datetime
import doctest
import io
import warnings
from pathlib import Path

import pytest

from tests.date_cases import CASES, MON, SAT, SEED, Case, dateparser_is_right, relative_base
from tuban_crawler import dates
from tuban_crawler.dates import MentionedDate, ParsedDate, mentioned_dates, parse_date, run_batch
from tuban_crawler.dates import numbers as dates_numbers
from tuban_crawler.dates import vocab as dates_vocab

PAGES = Path(__file__).parent / "pages"
WIB = datetime.timezone(datetime.timedelta(hours=7))


def _case_id(case: Case) -> str:
    return f"{case.text!r}@{case.reference or '-'}"


# --------------------------------------------------------------------------- the table


@pytest.mark.parametrize("case", CASES, ids=[_case_id(c) for c in CASES])
def test_parse_date_table(case: Case) -> None:
    parsed = parse_date(case.text, case.reference)
    assert parsed.isoformat() == case.expected, parsed.reason
    if case.expected is None:
        assert parsed.reason, "a refusal always says why"
        assert parsed.precision is None
    else:
        assert parsed.reason is None
        assert bool(parsed)


@pytest.mark.parametrize("case", [c for c in CASES if c.expected], ids=_case_id)
def test_precision_matches_value(case: Case) -> None:
    parsed = parse_date(case.text, case.reference)
    if len(case.expected or "") == 10:
        assert parsed.precision == "date"
        assert type(parsed.value) is datetime.date
    else:
        assert parsed.precision == "datetime"
        assert isinstance(parsed.value, datetime.datetime)
        assert parsed.value.tzinfo is not None


def test_table_is_big_enough() -> None:
    assert len(CASES) >= 200
    assert len({(c.text, c.reference) for c in CASES}) == len(CASES), "duplicate rows"


# --------------------------------------------------------------------------- warnings


@pytest.mark.parametrize(
    ("text", "reference", "expected", "warning"),
    [
        # a weekday that contradicts its date keeps the date as written
        ("Sabtu (4/1/2019)", None, "2019-01-04", "weekday Sabtu contradicts 2019-01-04 (Jumat)"),
        ("Kamis sore (9/1/2024)", None, "2024-01-09", "weekday Kamis contradicts 2024-01-09"),
        ("Thu, 26 Jul 2017 13:24:00 +0700", None, "2017-07-26T13:24:00+07:00", "weekday Kamis"),
        ("Rabu (26/07)", "2021-01-04", "2020-07-26", "weekday Rabu contradicts 2020-07-26"),
        ("kemarin (Selasa)", MON, "2021-01-03", "weekday Selasa contradicts"),
        # the Javanese market day is checked too (17 August 1945 was Jumat Legi)
        (
            "Jumat Pon, 17 Agustus 1945",
            None,
            "1945-08-17",
            "market day Pon contradicts 1945-08-17 (Legi)",
        ),
        # a part of the day that does not fit a 24 h clock time
        (
            "Minggu pagi (10/2/2019) pukul 19.00",
            None,
            "2019-02-10T19:00:00+07:00",
            "part of day pagi",
        ),
    ],
)
def test_contradictions_keep_the_value_and_warn(
    text: str, reference: str | None, expected: str, warning: str
) -> None:
    parsed = parse_date(text, reference)
    assert parsed.isoformat() == expected
    assert any(warning in w for w in parsed.warnings), parsed.warnings


@pytest.mark.parametrize(
    ("text", "reference"),
    [
        ("Jumat (4/1/2019)", None),
        ("Jumat Legi, 17 Agustus 1945", None),
        ("Senin Pahing, 1 Januari 2024", None),
        ("Rabu (26/07)", SEED),
        ("Wed, 26 Jul 2017 13:24:00 +0700", None),
        ("Minggu pagi (10/2/2019) pukul 07.00", None),
    ],
)
def test_consistent_text_has_no_warning(text: str, reference: str | None) -> None:
    assert parse_date(text, reference).warnings == ()


# --------------------------------------------------------------------------- failure policy


@pytest.mark.parametrize(
    ("text", "reference", "reason"),
    [
        # impossible dates
        ("31/02/2020", None, "impossible date"),
        ("31 Februari 2020", MON, "impossible date"),
        ("30 February 2021 10:00", None, "impossible date"),
        ("2020-02-30", None, "impossible date"),
        ("pukul 25.00", MON, "impossible time"),
        ("26 Juli 1000", None, "out of range"),
        # a bare weekday or a year-less date with no reference
        ("Rabu", None, "no reference"),
        ("Kamis (17/12)", None, "no year written and no reference"),
        ("Rabu (26/07)", None, "no year written and no reference"),
        ("17 Agustus", None, "no year written and no reference"),
        # times and relative forms need a reference
        ("13:24", None, "no reference"),
        ("kemarin", None, "no reference"),
        ("2 jam lalu", SAT, "reference time"),
        # ambiguous or vague
        ("Minggu lalu", MON, "ambiguous"),
        ("tadi malam", MON, "ambiguous"),
        ("beberapa hari lalu", MON, "vague"),
        ("minggu depan", MON, "period"),
        # not a whole date
        ("Juli 2017", MON, "no day"),
        ("1 Ramadhan 1441 H", MON, "Hijri"),
        ("2/3 peserta", MON, "need not be a date"),
        ("", MON, "empty"),
        ("x" * 400, MON, "too long"),
        # a bad reference is reported, not raised
        ("kemarin", "2021-13-45", "invalid reference"),
        ("kemarin", "yesterday", "invalid reference"),
    ],
)
def test_refusals_give_a_reason(text: str, reference: str | None, reason: str) -> None:
    parsed = parse_date(text, reference)
    assert parsed.value is None
    assert not parsed
    assert parsed.isoformat() is None
    assert reason in (parsed.reason or ""), parsed.reason


@pytest.mark.parametrize(
    "junk",
    [
        "\x00",
        "(((",
        ")/(",
        "99999999/99/9999",
        "31/12/99999",
        "0/0/0",
        "pukul 99.99",
        "Januari Februari Maret",
        "9" * 250,
        "İstanbul 5 Mayıs",
        "\U0001f4c5 26 Juli 2017",
        "jam jam jam",
        "s/d s/d",
        "-1 hari lalu",
        "9999 tahun lalu",
        "999999999 hari lalu",
        "Senin Selasa Rabu",
        "2017-07-26T99:99:99",
        "Wed, 99 Jul 2017 13:24:00 +0700",
        "26 July 2017 13:24 extra",
        "1e10",
        "NaN",
        "None",
        "\t\n",
    ],
)
def test_junk_never_raises(junk: str) -> None:
    parsed = parse_date(junk, MON)
    assert isinstance(parsed, ParsedDate)
    assert parsed.value is not None or parsed.reason


def test_non_text_is_refused() -> None:
    assert parse_date(None, MON).reason == "not text: NoneType"  # type: ignore[arg-type]


def test_no_year_is_invented_by_the_fallback() -> None:
    # `Jan 12` is the long tail (English order, no year): dateparser reads it, our policy
    # gives the year only from a reference.
    with_reference = parse_date("Jan 12", MON)
    assert (with_reference.isoformat(), with_reference.method) == ("2021-01-12", "dateparser")
    assert parse_date("Jan 12", None).value is None


# --------------------------------------------------------------------------- references


@pytest.mark.parametrize(
    "reference",
    [
        datetime.datetime(2021, 1, 4, 9, 15),  # naive means WIB
        datetime.datetime(2021, 1, 4, 9, 15, tzinfo=WIB),
        "2021-01-04T09:15:00+07:00",
        "2021-01-04T09:15:00",
    ],
)
def test_reference_forms_agree(reference: datetime.datetime | str) -> None:
    assert parse_date("2 jam yang lalu", reference).isoformat() == "2021-01-04T07:15:00+07:00"
    assert parse_date("kemarin", reference).isoformat() == "2021-01-03"


@pytest.mark.parametrize(
    "reference", [datetime.date(1, 1, 1), "9999-12-31", datetime.datetime(9999, 12, 31, 23, 59)]
)
def test_out_of_range_reference_is_refused(reference: datetime.date | str) -> None:
    assert "out of range" in (parse_date("kemarin", reference).reason or "")


def test_date_reference() -> None:
    assert parse_date("kemarin", datetime.date(2021, 1, 4)).isoformat() == "2021-01-03"
    assert parse_date("pukul 10.15 WIB", "2021-01-04").isoformat() == "2021-01-04T10:15:00+07:00"


def test_relative_time_keeps_the_reference_zone() -> None:
    reference = "2021-01-04T09:15:00+08:00"
    assert parse_date("2 jam lalu", reference).isoformat() == "2021-01-04T07:15:00+08:00"


def test_parse_date_is_pure() -> None:
    first = [parse_date(c.text, c.reference) for c in CASES]
    second = [parse_date(c.text, c.reference) for c in CASES]
    assert first == second


# --------------------------------------------------------------------------- paths


@pytest.mark.parametrize(
    ("text", "method"),
    [
        ("26 July 2017 13:24", "fast"),
        ("Rabu, 26 Juli 2017 13:24 WIB", "fast"),
        ("2017-07-26T13:24:00+07:00", "iso"),
        ("Wed, 26 Jul 2017 13:24:00 +0700", "rss"),
        ("2 jam yang lalu", "relative"),
        ("2019 Juli 26", "dateparser"),
    ],
)
def test_method_says_which_path_answered(text: str, method: str) -> None:
    parsed = parse_date(text, MON)
    assert parsed and parsed.method == method


def test_dateparser_stays_off_the_hot_path(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    monkeypatch.setattr(dates, "_parse_dateparser", lambda s, ref: calls.append(s))
    portal_shaped = [c for c in CASES if c.expected is not None and c.text not in ("2019 Juli 26",)]
    for case in portal_shaped:
        parse_date(case.text, case.reference)
    assert calls == []


def test_accuracy_at_least_plain_dateparsers() -> None:
    import dateparser

    ours = sum(parse_date(c.text, c.reference).isoformat() == c.expected for c in CASES)
    theirs = 0
    for case in CASES:
        base = relative_base(case.reference)
        with warnings.catch_warnings():
            # plain dateparser is the yardstick here, not code under test: its own
            # deprecation warnings must not fail the comparison
            warnings.simplefilter("ignore")
            value = dateparser.parse(
                case.text,
                languages=["id", "en"],
                settings={"RELATIVE_BASE": base} if base else None,
            )
        theirs += dateparser_is_right(case, value)
    assert ours >= theirs
    assert ours == len(CASES)


# --------------------------------------------------------------------------- the seed

SEED_BODY = (PAGES / "seed_body.txt").read_text(encoding="utf-8")


def test_seed_publication_date() -> None:
    parsed = parse_date("26 July 2017 13:24")
    assert parsed.isoformat() == "2017-07-26T13:24:00+07:00"
    assert parsed.precision == "datetime"


def test_seed_mentioned_dates() -> None:
    reference = parse_date("26 July 2017 13:24").value
    mentions = mentioned_dates(SEED_BODY, reference)
    assert [m.value.isoformat() for m in mentions] == ["2017-07-26", "2017-07-28"]
    assert [m.expression for m in mentions] == ["Rabu (26/07)", "28 Juli 2017"]
    assert all(SEED_BODY[m.start : m.end] == m.expression for m in mentions)
    assert all(m.warnings == () for m in mentions)


# --------------------------------------------------------------------------- mentions


@pytest.mark.parametrize(
    ("text", "reference", "expected"),
    [
        # weekday and year-less day/month: the year nearest the publication
        ("digelar Rabu (26/07) di Tuban", SEED, ["2017-07-26"]),
        ("Kamis (17/12) lalu", "2021-01-04", ["2020-12-17"]),
        ("Minggu (10/2/2019) pagi", None, ["2019-02-10"]),
        ("Jum'at (28/07) mendatang", SEED, ["2017-07-28"]),
        ("Kamis sore (27/7)", SEED, ["2017-07-27"]),
        # month names, with or without year and weekday
        ("sampai 28 Juli 2017, dan", SEED, ["2017-07-28"]),
        ("pada Senin, 6 Januari 2020 rapat", None, ["2020-01-06"]),
        ("HUT RI 17 Agustus mendatang", SEED, ["2017-08-17"]),
        ("Proklamasi 17 Agustus 1945.", None, ["1945-08-17"]),
        ("sejak 1 Nopember 2019 lalu", None, ["2019-11-01"]),
        ("on July 4, 2019 in", None, ["2019-07-04"]),
        # numeric with a four-digit year
        ("tanggal 17-08-2020 nanti", None, ["2020-08-17"]),
        ("surat (26/7/2017) itu", None, ["2017-07-26"]),
        ("data 2019-03-01 tercatat", None, ["2019-03-01"]),
        # ranges give both ends
        ("Sabtu-Minggu (20-21/07) di alun-alun", "2019-07-25", ["2019-07-20", "2019-07-21"]),
        ("pada 30 Desember 2019 - 2 Januari 2020", None, ["2019-12-30", "2020-01-02"]),
        ("tanggal 20-22 Juli 2019", None, ["2019-07-20", "2019-07-22"]),
        # several mentions, in order
        ("Rabu (26/07) hingga Jumat (28/07)", SEED, ["2017-07-26", "2017-07-28"]),
        # not dates
        ("Perda No. 12/2019 tentang", SEED, []),
        ("sebanyak 2/3 peserta hadir", SEED, []),
        ("telepon (0356) 321234", SEED, []),
        ("sebanyak 1.018 orang", SEED, []),
        ("Rp 10.000 per orang", SEED, []),
        ("Nomor 17/08/2020 tentang", SEED, []),
        ("pukul 10.15 WIB", SEED, []),
        ("pada 5 juli warga", SEED, []),  # month names are capitalised in prose
        ("5 Mar nanti", SEED, []),  # a short month alone is too often something else
        ("minggu ke-2 Juli 2019", SEED, []),
        ("Juli 2017 lalu", SEED, []),
        ("kemarin dan 2 hari lalu", SEED, []),  # relative words speak of the speaker's time
        ("skor 2/1 untuk Persatu", SEED, []),
        # a year-less date with no reference cannot be placed
        ("Rabu (26/07) di Tuban", None, []),
        ("", SEED, []),
    ],
)
def test_mentioned_dates(text: str, reference: str | None, expected: list[str]) -> None:
    mentions = mentioned_dates(text, reference)
    assert [m.value.isoformat() for m in mentions] == expected
    assert all(isinstance(m, MentionedDate) for m in mentions)
    assert all(text[m.start : m.end] == m.expression for m in mentions)


def test_mention_with_contradicting_weekday_warns() -> None:
    (mention,) = mentioned_dates("kegiatan Sabtu (4/1/2019) di Tuban", None)
    assert mention.value == datetime.date(2019, 1, 4)
    assert mention.warnings and "Sabtu" in mention.warnings[0]


def test_mention_offsets_survive_folding() -> None:
    # curly quotes, en dashes and non-ASCII letters are folded one character for one
    text = "İstanbul — Jum’at (28/07) dan 20–21 Juli 2017 di Tuban"
    mentions = mentioned_dates(text, SEED)
    assert [m.value.isoformat() for m in mentions] == ["2017-07-28", "2017-07-20", "2017-07-21"]
    assert [m.expression for m in mentions] == [
        "Jum’at (28/07)",
        "20–21 Juli 2017",
        "20–21 Juli 2017",
    ]
    assert all(text[m.start : m.end] == m.expression for m in mentions)


def test_mentioned_dates_rejects_a_bad_reference() -> None:
    with pytest.raises(ValueError):
        mentioned_dates("28 Juli 2017", "not a date")


# --------------------------------------------------------------------------- batch interface


def test_run_batch_writes_one_line_per_input_line() -> None:
    lines = [
        "26 July 2017 13:24\t\n",
        "Rabu (26/07)\t2017-07-26T13:24:00+07:00\n",
        "Kamis (17/12)\t2021-01-04\n",
        "Rabu (26/07)\t\n",
        "31/02/2020\t\n",
        "\n",
        "2 jam yang lalu\t2021-01-04T09:15:00+07:00\r\n",
        "kemarin\tnot-a-date\n",
        "26 Juli 2017",
        "teks\tdengan tab\t2021-01-04\n",
    ]
    out = io.StringIO()
    assert run_batch(lines, out) == 0
    assert out.getvalue().split("\n")[:-1] == [
        "2017-07-26T13:24:00+07:00",
        "2017-07-26",
        "2020-12-17",
        "",
        "",
        "",
        "2021-01-04T07:15:00+07:00",
        "",
        "2017-07-26",
        "",
    ]


def test_run_batch_on_the_table() -> None:
    lines = [
        f"{c.text}\t{c.reference or ''}\n"
        for c in CASES
        if "\t" not in c.text and "\n" not in c.text
    ]
    out = io.StringIO()
    run_batch(lines, out)
    answers = out.getvalue().split("\n")[:-1]
    assert len(answers) == len(lines)
    expected = [c.expected or "" for c in CASES if "\t" not in c.text and "\n" not in c.text]
    assert answers == expected


# --------------------------------------------------------------------------- docs


@pytest.mark.parametrize("module", [dates, dates_vocab, dates_numbers], ids=lambda m: m.__name__)
def test_doctests(module: object) -> None:
    result = doctest.testmod(module, raise_on_error=False)  # type: ignore[arg-type]
    assert result.attempted > 0 and result.failed == 0
