"""Word lists and sentence templates for the portal's generated Indonesian news text.

All names of people are invented; place names are the regency's real kecamatan and a few
plausible villages and venues, so the text reads like the portal's own.
"""

from __future__ import annotations

from dataclasses import dataclass

KECAMATAN = (
    "Bancar",
    "Bangilan",
    "Grabagan",
    "Jatirogo",
    "Jenu",
    "Kenduruan",
    "Kerek",
    "Merakurak",
    "Montong",
    "Palang",
    "Parengan",
    "Plumpang",
    "Rengel",
    "Semanding",
    "Senori",
    "Singgahan",
    "Soko",
    "Tambakboyo",
    "Tuban",
    "Widang",
)
#: A few real desa of each kecamatan (Kemendagri's list), named once in the regency, so that a
#: story's ``Desa X`` and its ``Kecamatan Y`` agree and ``Desa X`` alone names one place.
DESA_BY_KECAMATAN = {
    "Bancar": ("Bulujowo", "Tlogoagung", "Ngujuran"),
    "Bangilan": ("Klakeh", "Kablukan", "Banjarworo"),
    "Grabagan": ("Ngarum", "Waleran", "Banyubang"),
    "Jatirogo": ("Kebonharjo", "Paseyan", "Besowo"),
    "Jenu": ("Socorejo", "Mentoso", "Temaji"),
    "Kenduruan": ("Jlodro", "Sokogunung", "Jamprong"),
    "Kerek": ("Gemulung", "Trantang", "Hargoretno"),
    "Merakurak": ("Tlogowaru", "Temandang", "Pongpongan"),
    "Montong": ("Guwoterus", "Nguluhan", "Maindu"),
    "Palang": ("Tasikmadu", "Tegalbang", "Karangagung"),
    "Parengan": ("Kemlaten", "Ngawun", "Wukirharjo"),
    "Plumpang": ("Kedungsoko", "Trutup", "Kepohagung"),
    "Rengel": ("Pekuwon", "Maibit", "Karangtinoto"),
    "Semanding": ("Gesing", "Bektiharjo", "Bejagung"),
    "Senori": ("Medalem", "Kaligede", "Wanglukulon"),
    "Singgahan": ("Mulyorejo", "Tanggir", "Mergosari"),
    "Soko": ("Menilo", "Cekalang", "Prambontergayang"),
    "Tambakboyo": ("Ngulahan", "Plajan", "Belikanget"),
    "Tuban": ("Sugiharjo", "Kembangbilo"),
    "Widang": ("Patihan", "Minohorejo", "Mrutuk"),
}
#: The desa draw takes one of this many values, as when the desa were one list of twenty:
#: the same draw keeps every other value of every article as it was.
DESA_DRAWS = 20
PLACES = (
    "Pendopo Krido Manunggal",
    "Gedung Korpri Tuban",
    "ruang rapat Sekda Tuban",
    "Alun-alun Tuban",
    "GOR Rangga Jaya Anoraga",
    "aula Kantor Kecamatan {kec}",
    "Balai Desa {desa}",
    "kawasan Pantai Boom Tuban",
    "ruang rapat Bappeda Tuban",
)
OFFICIALS = (
    "Bupati Tuban",
    "Wakil Bupati Tuban",
    "Sekretaris Daerah Kabupaten Tuban",
    "Bupati Tuban didampingi Wakil Bupati Tuban",
    "Bupati Tuban bersama Forkopimda",
)
OPD = (
    ("Dinas Pendidikan", "Dispendik"),
    ("Dinas Kesehatan", "Dinkes"),
    ("Dinas Komunikasi dan Informatika", "Diskominfo"),
    ("Dinas Sosial", "Dinsos"),
    ("Badan Penanggulangan Bencana Daerah", "BPBD"),
    ("Dinas Ketahanan Pangan, Pertanian dan Perikanan", "DKP2P"),
    ("Dinas Koperasi, Usaha Mikro dan Perdagangan", "Diskopumdag"),
    ("Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", "BKPSDM"),
    ("Dinas Lingkungan Hidup", "DLH"),
    ("Satuan Polisi Pamong Praja", "Satpol PP"),
    ("Dinas Kependudukan dan Pencatatan Sipil", "Dispendukcapil"),
    ("Badan Perencanaan Pembangunan Daerah", "Bappeda"),
)
FIRST_NAMES = (
    "Sutrisno",
    "Bambang Wiyono",
    "Siti Maemunah",
    "Endah Purwanti",
    "Agus Prasetyo",
    "Muhammad Faizin",
    "Sugeng Riyadi",
    "Nur Hidayah",
    "Joko Santoso",
    "Lilik Suwarni",
    "Imam Mashudi",
    "Dwi Rahayu",
    "Sholikhul Hadi",
    "Ahmad Zainuri",
    "Tri Wahyuningsih",
)
TITLES_BEFORE = ("", "", "Drs. ", "Ir. ", "H. ", "Hj. ", "dr. ")
TITLES_AFTER = ("", "", ", S.Sos", ", M.Si", ", S.Pd", ", S.H.", ", M.M.")
ROLES = (
    "Kepala {opd} Kabupaten Tuban",
    "Camat {kec}",
    "Kepala Desa {desa}",
    "Sekretaris {opd} Kabupaten Tuban",
    "Kabag Humas dan Protokol Setda Tuban",
    "Asisten Bidang Pemerintahan dan Kesra Setda Tuban",
)
FACILITIES = (
    "Gedung Puskesmas",
    "Pasar Desa",
    "Jembatan Penghubung Antardesa",
    "Balai Desa",
    "Gedung Posyandu",
    "Taman Baca Masyarakat",
    "Embung Desa",
    "Jalan Rabat Beton",
)
PROJECTS = (
    "Pembangunan Jalan Poros Kecamatan",
    "Penyaluran Bantuan Sosial",
    "Lokasi Terdampak Banjir",
    "Pelaksanaan Vaksinasi",
    "Panen Raya Padi",
    "Normalisasi Sungai",
    "Perbaikan Rumah Tidak Layak Huni",
)
TRAININGS = (
    "Bimbingan Teknis Pengelolaan Keuangan Desa",
    "Sosialisasi Sistem Pemerintahan Berbasis Elektronik",
    "Pelatihan Penyusunan Laporan Kinerja",
    "Bimtek Pengadaan Barang dan Jasa",
    "Sosialisasi Perda Ketertiban Umum",
    "Pelatihan Kewirausahaan",
    "Sosialisasi Anti-Narkoba",
)
PARTICIPANTS = (
    "perangkat desa",
    "ASN",
    "kepala desa",
    "operator OPD",
    "pelaku UMKM",
    "guru PAUD",
    "kader posyandu",
)
HEALTH = (
    "Pemberian Makanan Tambahan",
    "Pencegahan Stunting",
    "Imunisasi Dasar Lengkap",
    "Pemberantasan Sarang Nyamuk",
    "Pemeriksaan Kesehatan Gratis",
)
EVENTS = ("Jalan Sehat", "Senam Massal", "Gerak Jalan Tradisional", "Doa Bersama", "Donor Darah")
OCCASIONS = (
    "Hari Jadi Tuban ke-{hj}",
    "HUT Kemerdekaan RI",
    "Hari Kesehatan Nasional",
    "HUT Korpri",
    "Hari Pendidikan Nasional",
)
COMPETITIONS = (
    "Lomba Cerdas Cermat",
    "Olimpiade Sains",
    "Festival Seni Pelajar",
    "Lomba Pidato Bahasa Jawa",
)
FESTIVALS = (
    "Kirab Budaya",
    "Festival Layang-layang",
    "Pentas Seni Tayub",
    "Festival Kuliner Pesisir",
)
COOPERATIONS = (
    "Promosi Wisata",
    "Penanganan Banjir Bengawan Solo",
    "Pengelolaan Sampah",
    "Pelayanan Kesehatan",
    "Transportasi Antardaerah",
    "Pengembangan UMKM",
)
BUDGETS = (
    "Realisasi Pendapatan Asli Daerah",
    "Serapan Anggaran Belanja Daerah",
    "Realisasi Pajak Daerah",
)
SLOGANS = (
    "ASN Harus Jadi Pelayan Masyarakat",
    "Jangan Ada Pungli dalam Pelayanan Publik",
    "Jaga Kebersihan Lingkungan Kita",
    "Pendidikan adalah Investasi Masa Depan",
)
RECURRING_TITLES = (
    "Upacara Hari Kesadaran Nasional",
    "Rapat Koordinasi Pimpinan Daerah",
    "Safari Ramadan Bupati Tuban",
    "Apel Pagi Gabungan",
    "Sosialisasi Pajak Bumi dan Bangunan",
    "Tuban Bersholawat",
)
LONG_TITLES = (
    "Dalam Rangka Memperingati Hari Jadi Kabupaten Tuban ke-{hj}, Pemkab Tuban Menggelar Berbagai "
    "Lomba dan Kegiatan Kesenian Tradisional yang Melibatkan Seluruh Kecamatan dan Desa di Kabupaten Tuban",
    "Tingkatkan Kualitas Pelayanan Publik, Pemerintah Kabupaten Tuban melalui {opd} Menggelar "
    "Pelatihan Pengelolaan Website Desa bagi Operator dari {n} Desa se-Kecamatan {kec}",
)
GOALS = (
    "meningkatkan kualitas pelayanan publik",
    "mempercepat pembangunan infrastruktur di pedesaan",
    "menekan angka stunting",
    "memperkuat ketahanan pangan daerah",
    "mendorong pertumbuhan ekonomi masyarakat",
    "meningkatkan kedisiplinan aparatur sipil negara",
)
QUOTES = (
    "Kami berharap seluruh peserta dapat mengikuti kegiatan ini dengan sungguh-sungguh",
    "Pemerintah hadir untuk memastikan pelayanan kepada masyarakat berjalan dengan baik",
    "Program ini harus tepat sasaran dan benar-benar dirasakan manfaatnya oleh warga",
    "Saya minta seluruh OPD bersinergi dan tidak bekerja sendiri-sendiri",
    "Mari kita jaga bersama kebersihan dan keamanan lingkungan",
    "Ini bukan akhir, tetapi awal dari kerja keras kita bersama",
)
CLAUSES = (
    "kegiatan ini dapat menjadi motivasi bagi seluruh aparatur untuk bekerja lebih baik",
    "sinergi antara pemerintah daerah, TNI, Polri dan masyarakat perlu terus dijaga",
    "masyarakat diminta aktif melaporkan apabila menemukan kendala di lapangan",
    "anggaran yang digunakan bersumber dari APBD Kabupaten Tuban tahun {year}",
    "pembangunan tersebut ditargetkan selesai sebelum akhir tahun {year}",
    "pihaknya akan terus melakukan pendampingan hingga program berjalan optimal",
)
GUESTS = (
    "Forkopimda Kabupaten Tuban, kepala OPD, serta para camat se-Kabupaten Tuban",
    "perwakilan TNI dan Polri, tokoh masyarakat serta tokoh agama setempat",
    "Kapolres Tuban, Dandim 0811 Tuban dan sejumlah kepala OPD",
)
# Paragraph sentences shared by every topic; {future} is a date a few days after publication.
SENTENCES = (
    "Kegiatan tersebut digelar sebagai upaya Pemkab Tuban untuk {goal}.",
    "Hadir dalam kegiatan tersebut {guests}.",
    "\u201c{quote},\u201d ucap {person} selaku {role}.",
    "\u201c{quote2},\u201d tegasnya.",
    "Di tempat yang sama, {person2} selaku {role2} menambahkan, {clause}.",
    "Menurutnya, {clause2}.",
    "Ia berharap, {clause3}.",
    "Sebanyak {n} peserta dari {m} kecamatan tercatat mengikuti kegiatan ini.",
    "Selain itu, pihaknya juga akan melakukan evaluasi secara berkala agar program yang telah "
    "berjalan dapat dirasakan manfaatnya oleh masyarakat.",
    "Untuk diketahui, kegiatan serupa juga telah dilaksanakan di Kecamatan {kec2} beberapa waktu lalu.",
)
FUTURE_SENTENCES = (
    "Kegiatan ini dilaksanakan mulai hari ini sampai {future}.",
    "Rencananya, kegiatan lanjutan akan digelar pada {future} di Kecamatan {kec2}.",
    "Pendaftaran peserta dibuka hingga {future} melalui kantor kecamatan masing-masing.",
)
CAPTIONS = (
    "{official} saat meninjau kegiatan di Kecamatan {kec}",
    "Suasana kegiatan di {place}",
    "Para peserta mengikuti kegiatan dengan antusias",
    "Penyerahan bantuan secara simbolis kepada warga",
)
PHOTOGRAPHERS = ("Hand Excel", "Heri S", "Humas Pemkab Tuban", "dok. Diskominfo")


@dataclass(frozen=True)
class Topic:
    """One kind of story: its categories, title templates and opening sentences."""

    key: str
    categories: tuple[str, ...]
    titles: tuple[str, ...]
    leads: tuple[str, ...]


TOPICS = (
    Topic(
        "peresmian",
        ("Kegiatan Bupati dan Wakil Bupati",),
        (
            "Bupati Tuban Resmikan {facility} di Desa {desa} Kecamatan {kec}",
            "Wabup Tuban Resmikan {facility} di Desa {desa}, Kecamatan {kec}",
            "{facility} Desa {desa} Kecamatan {kec} Diresmikan, Warga Sambut Gembira",
        ),
        (
            "{official} meresmikan {facility} di Desa {desa}, Kecamatan {kec}, {day}.",
            "Setelah dibangun selama beberapa bulan, {facility} di Desa {desa}, Kecamatan {kec}, "
            "resmi digunakan usai diresmikan {official}, {day}.",
        ),
    ),
    Topic(
        "tinjau",
        ("Kegiatan Bupati dan Wakil Bupati", "Umum"),
        (
            "Bupati Tinjau {project} di Desa {desa}, Kecamatan {kec}",
            "Wabup Tuban Pantau {project} di Kecamatan {kec} Bersama {opd_short}",
        ),
        ("{official} meninjau langsung {project} di Desa {desa}, Kecamatan {kec}, {day}.",),
    ),
    Topic(
        "pelatihan",
        ("Kegiatan Pemerintahan",),
        (
            "{opd_short} Gelar {training} bagi {n} {participants}",
            "Pemkab Tuban Gelar {training} untuk {participants} se-Kecamatan {kec}",
            "{n} Kades se-Kecamatan {kec} Ikuti {training}",
        ),
        (
            "{opd} Kabupaten Tuban menggelar {training} bagi {n} {participants} di {place}, {day}.",
            "Sebanyak {n} {participants} mengikuti {training} yang digelar {opd} Kabupaten Tuban di {place}, {day}.",
        ),
    ),
    Topic(
        "massal",
        ("Umum", "Kegiatan Pemerintahan"),
        (
            "{n_dotted} Peserta Ikuti {event} {occasion}",
            "{event} {occasion} Diikuti {n_dotted} Warga",
        ),
        (
            "Ribuan warga memadati {place} untuk mengikuti {event} dalam rangka {occasion}, {day}.",
            "Sebanyak {n_dotted} peserta mengikuti {event} dalam rangka {occasion} di {place}, {day}.",
        ),
    ),
    Topic(
        "pendidikan",
        ("Pendidikan",),
        (
            "{n_dotted} Siswa Ikuti {competition} Tingkat Kabupaten Tuban",
            "Dispendik Tuban Gelar {competition} Tingkat SD dan SMP se-Kecamatan {kec} Tahun {year}",
        ),
        (
            "Dinas Pendidikan Kabupaten Tuban menggelar {competition} tingkat kabupaten di {place}, {day}.",
        ),
    ),
    Topic(
        "kesehatan",
        ("Kesehatan",),
        (
            "Dinkes Tuban Gencarkan {health} di Desa {desa}, Kecamatan {kec}",
            "{health} Digelar Serentak di {m} Kecamatan, Sasar {n} Warga",
        ),
        (
            "Dinas Kesehatan Kabupaten Tuban menggencarkan program {health} di Kecamatan {kec}, {day}.",
        ),
    ),
    Topic(
        "anggaran",
        ("Ekonomi dan Pembangunan",),
        (
            "{budget} Tahun {year} Capai {pct} Persen",
            "Pra-Musrenbang Kecamatan {kec} Tahun {year_next} Hasilkan {m} Usulan Prioritas",
            "Musrenbang Kabupaten Tuban Tampung {n} Usulan Pembangunan {year_next}",
        ),
        (
            "Pemkab Tuban menggelar rapat evaluasi pembangunan bersama seluruh OPD di {place}, {day}.",
            "Bappeda Kabupaten Tuban memaparkan capaian kinerja pembangunan daerah di {place}, {day}.",
        ),
    ),
    Topic(
        "budaya",
        ("Pariwisata dan Budaya",),
        (
            "{festival} Meriahkan Hari Jadi Tuban ke-{hj} di Kecamatan {kec}",
            "Tuban-Bojonegoro Sepakati {m} Poin Kerja Sama {cooperation}",
            "{festival} Kembali Digelar di {place_title}, {n} Seniman Tampil",
        ),
        (
            "Ribuan warga memadati {place} untuk menyaksikan {festival}, {day}.",
            "Pemkab Tuban kembali menggelar {festival} sebagai bagian dari peringatan Hari Jadi Tuban, {day}.",
        ),
    ),
)
MTQ_TOPIC = Topic(
    "mtq",
    ("MTQ 2019",),
    (
        "MTQ XXVIII Tingkat Kabupaten Tuban Resmi Dibuka, {n} Kafilah Siap Berlaga",
        "Kafilah Kecamatan {kec} Raih {m} Gelar Juara di Ajang MTQ",
        "Qariah Asal Desa {desa} Juarai Cabang Tilawah MTQ",
        "Peserta MTQ dari Kecamatan {kec} Tampil Memukau",
    ),
    ("Musabaqah Tilawatil Qur'an (MTQ) tingkat Kabupaten Tuban digelar di {place}, {day}.",),
)
QUOTE_TOPIC = Topic(
    "kutipan",
    ("Kegiatan Bupati dan Wakil Bupati",),
    (
        "Bupati Tuban: \u201c{slogan}\u201d",
        "Wabup Ingatkan \u201c{slogan}\u201d",
    ),
    ("{official} mengingatkan seluruh jajaran Pemkab Tuban saat memimpin apel di {place}, {day}.",),
)
