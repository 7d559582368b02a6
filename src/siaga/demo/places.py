"""Places of the demo tenants that the shipped village boundaries do not give.

The regions themselves come from `boundaries/` (real polygons, Kemendagri codes). The kecamatan
centres below are estimates read off public maps to about a kilometre; the demo no longer places
anything with them, but the media-intelligence gazetteer uses them without a database.
"""

from __future__ import annotations

POLRES_MALANG_KOTA = {"lat": -7.9714, "lon": 112.6306,
                      "address": "Jl. Jaksa Agung Suprapto, Klojen, Kota Malang"}
POLRES_TEGAL = {"lat": -6.9804, "lon": 109.1404, "address": "Slawi, Kabupaten Tegal"}

# Demo log-ins of Malang's Bhabinkamtibmas were published with the gazetteer's spelling of their
# kelurahan; the Kemendagri spelling (left) stays on the region, the log-in keeps the old one.
OFFICER_SPELLING = {
    "Kiduldalem": "Kidul Dalem",
    "Oro-oro Dowo": "Oro Oro Dowo",
    "Gading Kasri": "Gadingkasri",
    "Rampalcelaket": "Rampal Celaket",
    "Bakalankrajan": "Bakalan Krajan",
    "Karangbesuki": "Karang Besuki",
    "Pisangcandi": "Pisang Candi",
    "Tasik Madu": "Tasikmadu",
}

MALANG_KECAMATAN = {
    "Blimbing": (-7.9430, 112.6530),
    "Kedungkandang": (-8.0020, 112.6620),
    "Klojen": (-7.9790, 112.6300),
    "Lowokwaru": (-7.9460, 112.6150),
    "Sukun": (-8.0050, 112.6150),
}

TEGAL_KECAMATAN = {
    "Adiwerna": (-6.9300, 109.1280),
    "Balapulang": (-7.0500, 109.1000),
    "Bojong": (-7.1300, 109.1800),
    "Bumijawa": (-7.1600, 109.1100),
    "Dukuhturi": (-6.9000, 109.1300),
    "Dukuhwaru": (-7.0000, 109.0900),
    "Jatinegara": (-7.0600, 109.2500),
    "Kedung Banteng": (-7.0100, 109.2100),
    "Kramat": (-6.8800, 109.1700),
    "Lebaksiu": (-7.0400, 109.1400),
    "Margasari": (-7.0900, 109.0200),
    "Pagerbarang": (-7.0200, 109.0600),
    "Pangkah": (-7.0000, 109.1700),
    "Slawi": (-6.9830, 109.1390),
    "Surodadi": (-6.8800, 109.3200),
    "Talang": (-6.9100, 109.1500),
    "Tarub": (-6.9300, 109.1800),
    "Warurejo": (-6.9000, 109.2700),
}

# The 13 brawl-prone schools of Polres Tegal's Intelkam mapping (Tegal study, Table 3), with the
# kecamatan each name points to; positions are that kecamatan's approximate centre.
TEGAL_SCHOOLS = [
    ("SMK Pertanian Slawi", "SMK", "Slawi"),
    ("SMK Islamiyah Adiwerna", "SMK", "Adiwerna"),
    ("SMK Bakti Praja Dukuhwaru", "SMK", "Dukuhwaru"),
    ("SMK BP Pangkah", "SMK", "Pangkah"),
    ("SMK Peristek Pangkah", "SMK", "Pangkah"),
    ("SMK Diponegoro Lebak Siu", "SMK", "Lebaksiu"),
    ("SMK Nurul Ulum Lebak Siu", "SMK", "Lebaksiu"),
    ("SMKN 2 Slawi", "SMK", "Slawi"),
    ("SMAN 3 Slawi", "SMA", "Slawi"),
    ("SMAN 2 Slawi", "SMA", "Slawi"),
    ("SMP Terbuka 2 Slawi", "SMP", "Slawi"),
    ("SMP 1 Dukuhwaru", "SMP", "Dukuhwaru"),
    ("SMP Ma'arif NU", "SMP", "Slawi"),
]

# Crime-prone places per Polsek as the Malang study lists them (Polres Malang Kota, 2017), with
# approximate positions (about 0.5-1 km) estimated from public maps.
MALANG_CRIME_PRONE: dict[str, list[tuple[str, float, float]]] = {
    "Klojen": [
        ("Jalan Raya Langsep", -7.9765, 112.6120),
        ("Jalan KH Agus Salim", -7.9840, 112.6320),
        ("Jalan Pasar Besar", -7.9870, 112.6310),
        ("Jalan Buah-buahan", -7.9900, 112.6180),
        ("Pemukiman Bareng", -7.9770, 112.6200),
        ("Pasar Oro-oro Dowo", -7.9660, 112.6260),
        ("Jalan Semeru", -7.9740, 112.6250),
    ],
    "Blimbing": [
        ("Perumahan Purwantoro Agung", -7.9510, 112.6470),
        ("Perumahan Pondok Blimbing Indah", -7.9300, 112.6560),
        ("Terminal Arjosari", -7.9336, 112.6586),
        ("Jalan Laksda Adi Sucipto", -7.9440, 112.6520),
        ("Pasar Blimbing", -7.9400, 112.6450),
        ("Jalan Sunandar Priyo Sudarmo", -7.9530, 112.6430),
    ],
    "Lowokwaru": [
        ("Perumahan Griya Shanta", -7.9430, 112.6210),
        ("Kampus Universitas Brawijaya", -7.9525, 112.6145),
        ("Kampus Universitas Negeri Malang", -7.9617, 112.6177),
        ("Kampus ITN", -7.9570, 112.6110),
        ("Perumahan Joyo Grand", -7.9390, 112.6000),
        ("Terminal Landungsari", -7.9250, 112.5930),
        ("Jalan Mayjen Haryono", -7.9420, 112.6100),
        ("Terusan Sigura-gura", -7.9560, 112.6080),
    ],
    "Sukun": [
        ("Perumahan Sukun Indah", -7.9990, 112.6200),
        ("Kampus Unmer Malang", -7.9590, 112.6200),
        ("Jalan Supriadi", -8.0010, 112.6170),
        ("Perumahan Tidar", -7.9680, 112.6030),
        ("Sekitar Dieng Plaza", -7.9743, 112.6143),
        ("Jalan Bandulan", -7.9890, 112.6000),
        ("Pasar Gadang", -8.0284, 112.6275),
    ],
    "Kedungkandang": [
        ("Perumahan Sawojajar", -7.9717, 112.6630),
        ("Perumahan Buring Satelit", -8.0080, 112.6530),
        ("Jalan Ki Ageng Gribig", -7.9820, 112.6700),
        ("Jalan Muharto", -7.9890, 112.6420),
        ("Jalan Gatot Subroto", -7.9870, 112.6380),
        ("Jalan Mayjen Sungkono", -8.0200, 112.6450),
        ("Pasar Kebalen / Pasar Kedung Kandang", -7.9910, 112.6400),
    ],
}
