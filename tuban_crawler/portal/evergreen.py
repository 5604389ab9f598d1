"""The portal's evergreen pages: profiles with no date, author, dateline or metadata list.

They live under ``/entry/<slug>`` like the news, appear in the sitemap and navigation, and
never in listings or RSS.  Their texts mention dates (``12 November 1293``, opening hours)
that are not publication dates.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Page:
    """An evergreen page: no date, author, dateline or metadata list."""

    slug: str
    title: str
    layout: str
    paragraphs: tuple[str, ...]
    modified: datetime  # WIB, sent as Last-Modified and sitemap lastmod


PAGES = (
    Page(
        "museum-kambang-putih",
        "Museum Kambang Putih",
        "legacy",
        (
            "Museum Kambang Putih merupakan museum daerah milik Pemerintah Kabupaten Tuban yang "
            "terletak di kawasan pusat kota, tidak jauh dari Alun-alun Tuban.",
            "Museum ini menyimpan beragam koleksi benda bersejarah, mulai dari fosil, keramik kuno, "
            "prasasti dan naskah kuno, hingga perlengkapan kesenian tradisional yang menggambarkan "
            "perjalanan Tuban sebagai kota pelabuhan di pesisir utara Jawa.",
            "Nama Kambang Putih diambil dari sebutan lama bagi wilayah pesisir Tuban yang disebut "
            "dalam sejumlah sumber sejarah sebagai pelabuhan penting pada masa kerajaan.",
            "Museum buka setiap hari Selasa sampai Minggu mulai pukul 08.00 hingga 15.00 WIB. "
            "Pelajar dan masyarakat umum dapat memanfaatkan museum sebagai sarana belajar sejarah "
            "dan budaya daerah.",
        ),
        datetime(2016, 3, 14, 9, 0),
    ),
    Page(
        "sejarah-tuban",
        "Sejarah Tuban",
        "legacy",
        (
            "Tuban dikenal sebagai salah satu kota pelabuhan tertua di pesisir utara Pulau Jawa dan "
            "telah disinggahi para pedagang dari berbagai negeri sejak berabad-abad silam.",
            "Hari Jadi Kabupaten Tuban diperingati setiap tanggal 12 November, merujuk pada "
            "pengangkatan Ranggalawe sebagai Adipati Tuban pada tahun 1293.",
            "Tuban juga dijuluki Bumi Wali karena menjadi tempat peristirahatan terakhir Sunan Bonang, "
            "salah satu Wali Songo yang menyebarkan agama Islam di tanah Jawa.",
        ),
        datetime(2015, 11, 2, 10, 30),
    ),
    Page(
        "visi-dan-misi",
        "Visi dan Misi",
        "current",
        (
            "Visi Pemerintah Kabupaten Tuban adalah terwujudnya Tuban yang maju, sejahtera, berdaya "
            "saing dan berakhlak mulia.",
            "Misi yang ditempuh antara lain meningkatkan kualitas sumber daya manusia, memperkuat "
            "perekonomian daerah yang berbasis potensi lokal, serta mewujudkan tata kelola "
            "pemerintahan yang bersih dan melayani.",
            "Visi dan misi tersebut dijabarkan dalam Rencana Pembangunan Jangka Menengah Daerah "
            "(RPJMD) dan menjadi pedoman bagi seluruh perangkat daerah.",
        ),
        datetime(2021, 6, 7, 8, 0),
    ),
    Page(
        "profil-kabupaten-tuban",
        "Profil Kabupaten Tuban",
        "current",
        (
            "Kabupaten Tuban terletak di ujung barat laut Provinsi Jawa Timur, berbatasan dengan Laut "
            "Jawa di utara dan Provinsi Jawa Tengah di barat.",
            "Wilayah Kabupaten Tuban terbagi atas 20 kecamatan, dari Bancar dan Jatirogo di barat "
            "hingga Widang dan Plumpang di timur dan selatan.",
            "Perekonomian masyarakat bertumpu pada pertanian, perikanan, industri dan perdagangan, "
            "didukung potensi wisata alam, religi dan budaya.",
            "Informasi lebih lanjut dapat diperoleh melalui kantor kecamatan atau perangkat daerah "
            "terkait di lingkungan Pemerintah Kabupaten Tuban.",
        ),
        datetime(2020, 2, 3, 14, 15),
    ),
)
