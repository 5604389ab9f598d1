"""The date table: expressions as Indonesian news and regional-government pages write them.

Shared by `tests/test_dates.py` and `benchmarks/dates.py`. Each case is (text, reference,
expected): expected is the ISO value `parse_date` must return, or None when it must refuse.
References are frozen; their weekdays are noted because many cases depend on them.
"""

from __future__ import annotations

import datetime
from typing import NamedTuple


class Case(NamedTuple):
    text: str
    reference: str | None
    expected: str | None


SEED = "2017-07-26T13:24:00+07:00"  # the seed article: a Wednesday
MON = "2021-01-04T09:15:00+07:00"  # a Monday morning
SAT = "2019-01-05"  # a Saturday, date only
THU = "2019-07-25T10:00:00+07:00"  # a Thursday

CASES: list[Case] = [
    # --- the portal's own publication format (the hot path)
    Case("26 July 2017 13:24", None, "2017-07-26T13:24:00+07:00"),
    Case("26 July 2017 13:24", MON, "2017-07-26T13:24:00+07:00"),
    Case("01 January 2018 00:00", None, "2018-01-01T00:00:00+07:00"),
    Case("09 April 2018 07:05", None, "2018-04-09T07:05:00+07:00"),
    Case("31 December 2024 23:59", None, "2024-12-31T23:59:00+07:00"),
    Case("29 February 2020 10:00", None, "2020-02-29T10:00:00+07:00"),
    Case("15 August 2010 14:00", None, "2010-08-15T14:00:00+07:00"),
    Case("30 November 2022 16:45", None, "2022-11-30T16:45:00+07:00"),
    Case("  12 March 2021 08:15 ", None, "2021-03-12T08:15:00+07:00"),
    Case("5 May 2025 9:30", None, "2025-05-05T09:30:00+07:00"),
    Case("29 February 2019 10:00", None, None),
    Case("31 April 2019 08:00", None, None),
    Case("26 July 2017 25:00", None, None),
    # --- ISO strings from meta tags
    Case("2017-07-26T13:24:00+07:00", None, "2017-07-26T13:24:00+07:00"),
    Case("2017-07-26T06:24:00Z", None, "2017-07-26T06:24:00+00:00"),
    Case("2017-07-26T13:24:00", None, "2017-07-26T13:24:00+07:00"),
    Case("2017-07-26 13:24:00", None, "2017-07-26T13:24:00+07:00"),
    Case("2017-07-26T13:24:00.000+0700", None, "2017-07-26T13:24:00+07:00"),
    Case("2017-07-26T13:24+08:00", None, "2017-07-26T13:24:00+08:00"),
    Case("2017-07-26T13:24:00-05:00", None, "2017-07-26T13:24:00-05:00"),
    Case("2017-07-26", None, "2017-07-26"),
    Case("2020-02-30", None, None),
    Case("2019-13-01T10:00:00+07:00", None, None),
    # an ISO instant with a zone word (issue 18): the zone, not a lost time or a misread offset
    Case("2017-02-17T13:16:00 WIB", None, "2017-02-17T13:16:00+07:00"),
    Case("2017-02-17 13:16:00 WITA", None, "2017-02-17T13:16:00+08:00"),
    Case("2017-09-26T13:24:00.000+07:00 WIB", None, "2017-09-26T13:24:00+07:00"),
    # --- RSS pubDate
    Case("Wed, 26 Jul 2017 13:24:00 +0700", None, "2017-07-26T13:24:00+07:00"),
    Case("Wed, 26 Jul 2017 06:24:00 GMT", None, "2017-07-26T06:24:00+00:00"),
    Case("Wed, 26 Jul 2017 13:24:00 WIB", None, "2017-07-26T13:24:00+07:00"),
    Case("26 Jul 2017 13:24:00 +0700", None, "2017-07-26T13:24:00+07:00"),
    Case("Mon, 01 Jan 2024 08:00:00 +0000", None, "2024-01-01T08:00:00+00:00"),
    Case(
        "Thu, 26 Jul 2017 13:24:00 +0700", None, "2017-07-26T13:24:00+07:00"
    ),  # wrong weekday: warned
    # --- Indonesian dates with month names
    Case("Rabu, 26 Juli 2017 13:24 WIB", None, "2017-07-26T13:24:00+07:00"),
    Case("Rabu, 26 Juli 2017", None, "2017-07-26"),
    Case("26 Juli 2017", None, "2017-07-26"),
    Case("26 JULI 2017", None, "2017-07-26"),
    Case("26 juli 2017", None, "2017-07-26"),
    Case("Senin, 6 Januari 2020", None, "2020-01-06"),
    Case("Jumat, 3 Januari 2020", None, "2020-01-03"),
    Case("Jum'at, 3 Januari 2020", None, "2020-01-03"),
    Case("Jum\u2019at, 3 Januari 2020", None, "2020-01-03"),
    Case("JUMAT, 3 JANUARI 2020", None, "2020-01-03"),
    Case("Minggu, 18 Mar 2018 07:30", None, "2018-03-18T07:30:00+07:00"),
    Case("Ahad, 18 Maret 2018", None, "2018-03-18"),
    Case("Sen, 6 Jan 2020", None, "2020-01-06"),
    Case("Sabtu, 1 Februari 2020", None, "2020-02-01"),
    Case("Selasa, 10 Desember 2019 | 14:30 WIB", None, "2019-12-10T14:30:00+07:00"),
    Case("Kamis, 12 September 2019 - 09:15", None, "2019-09-12T09:15:00+07:00"),
    Case("12 Sept 2019", None, "2019-09-12"),
    Case("1 Okt 2019", None, "2019-10-01"),
    Case("6 Nop 2019", None, "2019-11-06"),
    Case("6 Nov 2019", None, "2019-11-06"),
    Case("17 Agt 2020", None, "2020-08-17"),
    Case("17 Agu 2020", None, "2020-08-17"),
    Case("17 Ags 2020", None, "2020-08-17"),
    Case("17 Agustus 1945", None, "1945-08-17"),
    Case("5 Pebruari 1970", None, "1970-02-05"),
    Case("5 Febuari 2020", None, "2020-02-05"),
    Case("10 Nopember 1945", None, "1945-11-10"),
    Case("1 Djuli 1960", None, "1960-07-01"),
    Case("14 Djanuari 1962", None, "1962-01-14"),
    Case("25 Des 2019", None, "2019-12-25"),
    Case("1 Mei 2019", None, "2019-05-01"),
    Case("2 Juni 2019", None, "2019-06-02"),
    Case("3 Apr 2019", None, "2019-04-03"),
    Case("21 Mrt 2019", None, "2019-03-21"),
    Case("26-Jul-2017", None, "2017-07-26"),
    Case("26 Jul. 2017", None, "2017-07-26"),
    Case("26 Juli '17", None, "2017-07-26"),
    Case("tanggal 26 bulan Juli tahun 2017", None, "2017-07-26"),
    Case("Senin, 31 Juni 2019", None, None),
    Case("31 Februari 2020", None, None),
    Case("29 Februari 2019", None, None),
    # --- English dates
    Case("July 26, 2017", None, "2017-07-26"),
    Case("Jul 26 2017", None, "2017-07-26"),
    Case("26th July 2017", None, "2017-07-26"),
    Case("5th of January 2019", None, "2019-01-05"),
    Case("Wednesday, July 26, 2017", None, "2017-07-26"),
    Case("March 3rd, 2020", None, "2020-03-03"),
    Case("26 July 2017 1:24 PM", None, "2017-07-26T13:24:00+07:00"),
    # --- numeric dates, day first
    Case("26/07/2017", None, "2017-07-26"),
    Case("26-07-2017", None, "2017-07-26"),
    Case("26.07.2017", None, "2017-07-26"),
    Case("4/1/2019", None, "2019-01-04"),
    Case("04/01/2019", None, "2019-01-04"),
    Case("4/1/19", None, "2019-01-04"),
    Case("26-07-17", None, "2017-07-26"),
    Case("26/07/99", None, "1999-07-26"),
    Case("26/07/17", SEED, "2017-07-26"),
    Case("06/01/2020 09:00", None, "2020-01-06T09:00:00+07:00"),
    Case("31/12/2019 23:59", None, "2019-12-31T23:59:00+07:00"),
    Case("2017/07/26", None, "2017-07-26"),
    Case("2022-1-26T14:32+02:00", None, "2022-01-26T14:32:00+02:00"),  # ISO without padding
    Case("29/02/2020", None, "2020-02-29"),
    Case("31/02/2020", None, None),
    Case("29/02/2019", None, None),
    Case("13/13/2020", None, None),
    Case("00/12/2020", None, None),
    # Month first only where day first is impossible (no month 13): the one reading, not a guess.
    Case("01/13/2019", None, "2019-01-13"),
    Case("12/30/2019 05:03 AM", None, "2019-12-30T05:03:00+07:00"),
    Case("05/06/2019", None, "2019-06-05"),  # both readings possible: day first, as ever
    Case("Tanggal : 17-08-2020", None, "2020-08-17"),
    Case("tgl. 17/8/2020", None, "2020-08-17"),
    Case("Tgl 17.08.2020", None, "2020-08-17"),
    # --- parenthesised in-text forms
    Case("Sabtu (4/1/2019)", None, "2019-01-04"),  # 4 January 2019 was a Friday: warned
    Case("Jumat (4/1/2019)", None, "2019-01-04"),
    Case("Kamis sore (9/1/2024)", None, "2024-01-09"),  # a Tuesday: warned
    Case("Selasa sore (9/1/2024)", None, "2024-01-09"),
    Case("Rabu (26/07)", SEED, "2017-07-26"),
    Case("Rabu (26/7/2017)", None, "2017-07-26"),
    Case("Rabu, (26/7)", SEED, "2017-07-26"),
    Case("Kamis (17/12)", MON, "2020-12-17"),
    Case("Senin (4/1)", MON, "2021-01-04"),
    Case("Jum'at (1/1)", MON, "2021-01-01"),
    Case("Sabtu (2/1) malam", MON, "2021-01-02"),
    Case("Minggu (10/2/2019) pagi", None, "2019-02-10"),
    Case("Senin (6/1/2020) pukul 09.00 WIB", None, "2020-01-06T09:00:00+07:00"),
    Case("Kamis malam (28/12/2023) pukul 20.00 WIB", None, "2023-12-28T20:00:00+07:00"),
    Case("Senin dini hari (1/1/2024) pukul 01.30", None, "2024-01-01T01:30:00+07:00"),
    Case("(26/07)", SEED, "2017-07-26"),
    Case("Tubankab - Rabu (26/07)", SEED, "2017-07-26"),
    Case("TUBAN - Rabu (26/7/2017)", None, "2017-07-26"),
    Case("Rabu (26/07) pukul 13.00 WIB", SEED, "2017-07-26T13:00:00+07:00"),
    Case("Kamis (27/7) kemarin", SEED, "2017-07-27"),
    # --- year-less dates: the occurrence nearest the reference
    Case("Senin (4/1)", "2020-12-28", "2021-01-04"),
    Case("26 Juli", SEED, "2017-07-26"),
    Case("17 Agustus", MON, "2020-08-17"),
    Case("29/2", MON, "2020-02-29"),
    Case("1 Januari", "2019-12-30", "2020-01-01"),
    Case("31 Desember", "2020-01-02", "2019-12-31"),
    Case("28 Juli mendatang", SEED, "2017-07-28"),
    Case("26/07", SEED, "2017-07-26"),
    Case("tanggal 26/07", SEED, "2017-07-26"),
    # --- times
    Case("13:24", MON, "2021-01-04T13:24:00+07:00"),
    Case("13.24", MON, "2021-01-04T13:24:00+07:00"),
    Case("13:24:05", MON, "2021-01-04T13:24:05+07:00"),
    Case("pukul 10.15 WIB", MON, "2021-01-04T10:15:00+07:00"),
    Case("10.15 Wib", MON, "2021-01-04T10:15:00+07:00"),
    Case("Pukul 10.15 WITA", MON, "2021-01-04T10:15:00+08:00"),
    Case("pukul 19.30 WIT", MON, "2021-01-04T19:30:00+09:00"),
    Case("pkl. 08.00", MON, "2021-01-04T08:00:00+07:00"),
    Case("pukul 13.00 UTC+7", MON, "2021-01-04T13:00:00+07:00"),
    Case("13:24 GMT", MON, "2021-01-04T13:24:00+00:00"),
    # German and French month names, a day written with its dot (issue 18: real pages)
    Case("6. August 2009", None, "2009-08-06"),
    Case("3. März 2022", None, "2022-03-03"),
    Case("12. Dezember 2021 um 10:15 Uhr", None, "2021-12-12T10:15:00+07:00"),
    Case("6 août 2009", None, "2009-08-06"),
    Case("Mai 2020", None, None),
    # Spanish, Portuguese, Italian, Polish and Russian months, their "de"; dd.mm.yy; 11h46 (issue 18)
    Case("Miércoles, 4 de Mayo de 2022 a las 07:46hrs.", None, "2022-05-04T07:46:00+07:00"),
    Case("sabado 07 de mayo del 2022", None, "2022-05-07"),
    Case("4 de maio de 2022, 05:35", None, "2022-05-04T05:35:00+07:00"),
    Case("19 Febbraio 2020 12:02", None, "2020-02-19T12:02:00+07:00"),
    Case("3 września 2020", None, "2020-09-03"),
    Case("15 августа 2016, 13:43", None, "2016-08-15T13:43:00+07:00"),
    Case("19.10.19, 11:29 Uhr", None, "2019-10-19T11:29:00+07:00"),
    Case("23.09.22", None, "2022-09-23"),
    Case("14.09.2020 à 11h46", None, "2020-09-14T11:46:00+07:00"),
    Case("December 29th 2019", None, "2019-12-29"),
    # Europe's and North America's zone words
    Case("19 FEB 2020 - 18:37 CET", None, "2020-02-19T18:37:00+01:00"),
    Case("Feb 14, 2016 10:47 AM EST", None, "2016-02-14T10:47:00-05:00"),
    # the region's zone words (issue 18): never read as WIB
    Case("March 6, 2024 @ 4:55 PM MYT", None, "2024-03-06T16:55:00+08:00"),
    Case("6 Mar 2024 16:55 SGT", None, "2024-03-06T16:55:00+08:00"),
    Case("March 6, 2024 4:55 PM PHT", None, "2024-03-06T16:55:00+08:00"),
    Case("6 March 2024 16:55 ICT", None, "2024-03-06T16:55:00+07:00"),
    Case("6 Mar 2024 16:55 JST", None, "2024-03-06T16:55:00+09:00"),
    Case("10:30 PM", MON, "2021-01-04T22:30:00+07:00"),
    Case("8 pm", MON, "2021-01-04T20:00:00+07:00"),
    Case("pukul 08.00 - 12.00 WIB", MON, "2021-01-04T08:00:00+07:00"),
    Case("pukul 08.00 WIB s.d. selesai", MON, "2021-01-04T08:00:00+07:00"),
    Case("pukul 24.00", MON, "2021-01-05T00:00:00+07:00"),
    Case("13:24", SAT, "2019-01-05T13:24:00+07:00"),
    Case("pukul 25.00", MON, None),
    Case("pukul 10.15 WIB", None, None),
    # --- spoken times and parts of the day with a clock time
    Case("jam 8 malam", MON, "2021-01-04T20:00:00+07:00"),
    Case("jam 8 pagi", MON, "2021-01-04T08:00:00+07:00"),
    Case("jam 3 sore", MON, "2021-01-04T15:00:00+07:00"),
    Case("jam 1 siang", MON, "2021-01-04T13:00:00+07:00"),
    Case("jam 11 siang", MON, "2021-01-04T11:00:00+07:00"),
    Case("jam 6 petang", MON, "2021-01-04T18:00:00+07:00"),
    Case("jam 12 malam", MON, "2021-01-05T00:00:00+07:00"),
    Case("pukul 08.00 malam", MON, "2021-01-04T20:00:00+07:00"),
    Case("pukul 10 lewat 17 menit", MON, "2021-01-04T10:17:00+07:00"),
    Case("pukul 10 kurang 15 menit", MON, "2021-01-04T09:45:00+07:00"),
    Case("pukul setengah 8 pagi", MON, "2021-01-04T07:30:00+07:00"),
    Case("pukul 7 lewat seperempat", MON, "2021-01-04T07:15:00+07:00"),
    Case("jam sembilan pagi", MON, "2021-01-04T09:00:00+07:00"),
    Case("jam delapan malam", MON, "2021-01-04T20:00:00+07:00"),
    Case("pukul dua belas siang", MON, "2021-01-04T12:00:00+07:00"),
    # --- a date and a time
    Case("26 Juli 2017 pukul 13.24 WIB", None, "2017-07-26T13:24:00+07:00"),
    Case("Rabu, 26 Juli 2017 | 13:24", None, "2017-07-26T13:24:00+07:00"),
    Case("26/07/2017 13:24", None, "2017-07-26T13:24:00+07:00"),
    Case("26/07/2017, 13:24 WIB", None, "2017-07-26T13:24:00+07:00"),
    Case("Rabu, 26/07/2017 - 13:24 WIB", None, "2017-07-26T13:24:00+07:00"),
    Case("Selasa, 10 Desember 2019 19:30 WITA", None, "2019-12-10T19:30:00+08:00"),
    Case("26 Juli 2017 jam 8 malam", None, "2017-07-26T20:00:00+07:00"),
    Case("Rabu, 26 Juli 2017 pukul 10 lewat 17 menit", None, "2017-07-26T10:17:00+07:00"),
    Case("pukul 09.00 WIB, Senin (6/1/2020)", None, "2020-01-06T09:00:00+07:00"),
    # --- a part of the day alone does not make a datetime
    Case("Senin malam, 6 Januari 2020", None, "2020-01-06"),
    Case("26 Juli 2017 siang", None, "2017-07-26"),
    Case("Sabtu dini hari (4/1/2020)", None, "2020-01-04"),
    Case("Rabu petang (26/7)", SEED, "2017-07-26"),
    Case("Minggu pagi", MON, "2021-01-03"),
    # --- Javanese market days after the weekday
    Case("Jumat Legi, 17 Agustus 1945", None, "1945-08-17"),
    Case("Senin Pahing, 1 Januari 2024", None, "2024-01-01"),
    Case("Rabu Pahing (26/7/2017)", None, "2017-07-26"),
    Case("Kamis Pon (27/7)", SEED, "2017-07-27"),
    Case("Sabtu Kliwon, 29 Juli 2017", None, "2017-07-29"),
    Case("Senin Legi (6/1/2020) pagi", None, "2020-01-06"),
    # --- bylines, labels and place names around the date
    Case("Kompas.com - 26/07/2017, 13:24 WIB", None, "2017-07-26T13:24:00+07:00"),
    Case("Tanggal : 26 Juli 2017", None, "2017-07-26"),
    Case("Diperbarui: 27 Juli 2017, 08:00 WIB", None, "2017-07-27T08:00:00+07:00"),
    Case("Diposting pada 26 Juli 2017", None, "2017-07-26"),
    Case("Dipublikasikan: Rabu, 26 Juli 2017 13:24", None, "2017-07-26T13:24:00+07:00"),
    Case("Tuban, 26 Juli 2017", None, "2017-07-26"),
    Case("Posted on July 26, 2017", None, "2017-07-26"),
    Case("Published: 26 Jul 2017 13:24", None, "2017-07-26T13:24:00+07:00"),
    Case("Terbit: 26/07/2017", None, "2017-07-26"),
    Case("Oleh Yolency | 26 Juli 2017 13:24", None, "2017-07-26T13:24:00+07:00"),
    Case("Tubankab - Senin (6/1/2020)", None, "2020-01-06"),
    Case("Surabaya (ANTARA) - Rabu, 26 Juli 2017", None, "2017-07-26"),
    Case("Diperbarui 13:24", MON, "2021-01-04T13:24:00+07:00"),
    # --- ranges give their start
    Case("Sabtu-Minggu (20-21/07)", THU, "2019-07-20"),
    Case("Sabtu\u2013Minggu (20\u201321/07)", THU, "2019-07-20"),
    Case("20-21 Juli 2019", None, "2019-07-20"),
    Case("20 - 21 Juli 2019", None, "2019-07-20"),
    Case("20\u201321 Juli 2019", None, "2019-07-20"),
    Case("20 s/d 21 Juli 2019", None, "2019-07-20"),
    Case("20 sampai 21 Juli 2019", None, "2019-07-20"),
    Case("20 sampai dengan 22 Juli 2019", None, "2019-07-20"),
    Case("20 hingga 22 Juli 2019", None, "2019-07-20"),
    Case("20 Juli - 2 Agustus 2019", None, "2019-07-20"),
    Case("30 Desember 2019 - 2 Januari 2020", None, "2019-12-30"),
    Case("30 Desember - 2 Januari 2020", None, "2019-12-30"),
    Case("20/7 - 21/7/2019", None, "2019-07-20"),
    Case("1-3/7/2019", None, "2019-07-01"),
    Case("Senin s.d. Rabu (1-3/7/2019)", None, "2019-07-01"),
    Case("26 Juli 2017 \u2013 28 Juli 2017", None, "2017-07-26"),
    Case("Jumat - Minggu (5-7/7)", THU, "2019-07-05"),
    # --- relative forms against the reference (a Monday, 09:15 WIB)
    Case("2 jam yang lalu", MON, "2021-01-04T07:15:00+07:00"),
    Case("2 jam lalu", MON, "2021-01-04T07:15:00+07:00"),
    Case("5 menit yang lalu", MON, "2021-01-04T09:10:00+07:00"),
    Case("30 detik lalu", MON, "2021-01-04T09:14:30+07:00"),
    Case("sejam yang lalu", MON, "2021-01-04T08:15:00+07:00"),
    Case("3 hari lalu", MON, "2021-01-01"),
    Case("3 hari yang lalu", MON, "2021-01-01"),
    Case("dua hari lalu", MON, "2021-01-02"),
    Case("tiga hari yang lalu", MON, "2021-01-01"),
    Case("dua puluh satu hari lalu", MON, "2020-12-14"),
    Case("seminggu lalu", MON, "2020-12-28"),
    Case("2 minggu lalu", MON, "2020-12-21"),
    Case("2 pekan yang lalu", MON, "2020-12-21"),
    Case("sebulan lalu", MON, "2020-12-04"),
    Case("4 bulan lalu", MON, "2020-09-04"),
    Case("1 bulan lalu", "2021-03-31", "2021-02-28"),
    Case("4 tahun lalu", MON, "2017-01-04"),
    Case("satu tahun yang lalu", MON, "2020-01-04"),
    Case("setahun lalu", MON, "2020-01-04"),
    Case("kemarin", MON, "2021-01-03"),
    Case("Kemarin", MON, "2021-01-03"),
    Case("kemarin lusa", MON, "2021-01-02"),
    Case("hari ini", MON, "2021-01-04"),
    Case("besok", MON, "2021-01-05"),
    Case("lusa", MON, "2021-01-06"),
    Case("kemarin sore", MON, "2021-01-03"),
    Case("kemarin pukul 10.00", MON, "2021-01-03T10:00:00+07:00"),
    Case("hari ini pukul 14.00 WIB", MON, "2021-01-04T14:00:00+07:00"),
    Case("besok jam 8 pagi", MON, "2021-01-05T08:00:00+07:00"),
    Case("3 hari lagi", MON, "2021-01-07"),
    Case("dalam 2 hari", MON, "2021-01-06"),
    Case("baru saja", MON, "2021-01-04T09:15:00+07:00"),
    Case("kemarin", SAT, "2019-01-04"),
    Case("2 hours ago", MON, "2021-01-04T07:15:00+07:00"),
    Case("an hour ago", MON, "2021-01-04T08:15:00+07:00"),
    Case("3 days ago", MON, "2021-01-01"),
    Case("a year ago", MON, "2020-01-04"),
    Case("yesterday", MON, "2021-01-03"),
    Case("today", MON, "2021-01-04"),
    # --- bare weekdays: the latest on or before the reference, the next when it is coming
    Case("Senin", MON, "2021-01-04"),
    Case("Minggu", MON, "2021-01-03"),
    Case("Rabu", MON, "2020-12-30"),
    Case("Jum'at", MON, "2021-01-01"),
    Case("Jumat", MON, "2021-01-01"),
    Case("Ahad", MON, "2021-01-03"),
    Case("hari Minggu", MON, "2021-01-03"),
    Case("Sabtu lalu", MON, "2021-01-02"),
    Case("Senin lalu", MON, "2020-12-28"),
    Case("Senin kemarin", MON, "2020-12-28"),
    Case("pada Minggu lalu", MON, "2021-01-03"),
    Case("Rabu nanti", MON, "2021-01-06"),
    Case("Rabu mendatang", MON, "2021-01-06"),
    Case("Senin depan", MON, "2021-01-11"),
    Case("Senin nanti", MON, "2021-01-04"),
    Case("Kamis pukul 10.00 WIB", MON, "2020-12-31T10:00:00+07:00"),
    Case("Wednesday", MON, "2020-12-30"),
    Case("Sabtu", SAT, "2019-01-05"),
    # --- refused: ambiguous, vague or a period rather than a day
    Case("Minggu lalu", MON, None),
    Case("minggu lalu", MON, None),
    Case("minggu depan", MON, None),
    Case("minggu ke-2", MON, None),
    Case("bulan lalu", MON, None),
    Case("tahun lalu", MON, None),
    Case("akhir pekan", MON, None),
    Case("beberapa hari lalu", MON, None),
    Case("tadi malam", MON, None),
    Case("2 jam lalu", SAT, None),  # a date-only reference has no clock to count back from
    # --- refused: a year-less date, a weekday, a time or a relative form with no reference
    Case("Rabu", None, None),
    Case("Minggu", None, None),
    Case("Kamis (17/12)", None, None),
    Case("Rabu (26/07)", None, None),
    Case("26 Juli", None, None),
    Case("Sabtu-Minggu (20-21/07)", None, None),
    Case("13:24", None, None),
    Case("2 jam yang lalu", None, None),
    Case("kemarin", None, None),
    Case("4 tahun lalu", None, None),
    # --- refused: not a (whole) date
    Case("Juli 2017", MON, None),
    Case("2019", MON, None),
    Case("", MON, None),
    Case("   ", MON, None),
    Case("hello world", MON, None),
    Case("628", MON, None),
    Case("1.018", MON, None),
    Case("Rp 10.000", MON, None),
    Case("2/3 peserta", MON, None),
    Case("Perda No. 12/2019", MON, None),
    Case("versi 2.10", MON, None),
    Case("tanggal 5", MON, None),
    Case("1 Ramadhan 1441 H", MON, None),
    Case("1 Suro 1953", MON, None),
    Case("26 Juli 1000", None, None),
]


def expected_value(case: Case) -> datetime.date | datetime.datetime | None:
    """Return the case's expected value as a date or an aware datetime."""
    if case.expected is None:
        return None
    if len(case.expected) == 10:
        return datetime.date.fromisoformat(case.expected)
    return datetime.datetime.fromisoformat(case.expected)


def dateparser_is_right(case: Case, value: datetime.datetime | None) -> bool:
    """Return whether plain dateparser's VALUE answers CASE, judged leniently.

    A date case counts as right when the day matches (dateparser always returns a datetime);
    a datetime case when the instant matches, a naive result being read as WIB.
    """
    expected = expected_value(case)
    if expected is None or value is None:
        return expected is None and value is None
    if not isinstance(expected, datetime.datetime):
        return value.date() == expected
    if value.tzinfo is None:
        value = value.replace(tzinfo=datetime.timezone(datetime.timedelta(hours=7)))
    return value == expected


def relative_base(reference: str | None) -> datetime.datetime | None:
    """Return REFERENCE as the naive WIB wall time dateparser's RELATIVE_BASE wants."""
    if reference is None:
        return None
    if len(reference) == 10:
        return datetime.datetime.fromisoformat(reference)
    aware = datetime.datetime.fromisoformat(reference)
    return aware.astimezone(datetime.timezone(datetime.timedelta(hours=7))).replace(tzinfo=None)
