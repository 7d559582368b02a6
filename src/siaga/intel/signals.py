"""Brawl signals in a post: challenges, mobilisation, weapons, revenge, senior pressure, and the
hard negatives (anti-brawl campaigns, news, sport, games, school events, police outreach).

Each signal is a small set of word patterns on folded text (see ``entities.fold``), written from
how Tegal students post; the model uses their counts as features next to the words themselves,
and the analyst sees the matches as the reasons for a score.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from siaga.intel.entities import fold


@dataclass(frozen=True)
class Signal:
    name: str
    label: str  # shown to the analyst (Bahasa Indonesia)
    negative: bool
    pattern: re.Pattern[str]


def _words(*alternatives: str) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(alternatives) + r")\b")


SIGNALS: tuple[Signal, ...] = (
    Signal("challenge", "tantangan", False, _words(
        r"tantang\w*", r"nantang\w*", r"nantangin", r"berani\w*", r"brani\w*", r"wani",
        r"ra wani", r"ga wani", r"cupu", r"banci", r"bencong", r"pengecut", r"cemen",
        r"jgn kabur", r"jangan kabur", r"jgn lari", r"jangan lari", r"ditunggu", r"ditunggu\w*",
        r"dtunggu", r"tak enteni", r"tak tunggu", r"1 lawan 1", r"satu lawan satu", r"duel",
        r"adu mekanik", r"adu jotos", r"siapa takut", r"sapa takut", r"sini kalo berani",
        r"maju sini", r"ayo ketemu", r"ketemuan", r"ketemu di", r"ngajak ribut", r"ajak ribut",
        r"buktiin", r"buktikan", r"sok jago", r"sok preman", r"jangan cuma bacot", r"bacot doang",
        r"omdo", r"mental tempe", r"mental krupuk", r"nyali", r"ngumpet", r"sembunyi",
        # Ngapak (Tegal Javanese)
        r"jireh", r"ora wani", r"aja mlayu", r"aja kabur", r"tek enteni", r"tek tunggu",
        r"ngenteni", r"ayuh gelut", r"ngajak gelut", r"gelut", r"siji lawan siji",
        r"buktekna", r"buktekne")),
    Signal("mobilisation", "ajakan/mobilisasi", False, _words(
        r"kumpul", r"ngumpul", r"kumpulin", r"ngumpulin", r"kumpul\w*", r"gas", r"gass+",
        r"gaskeun", r"gasken", r"serang", r"nyerang", r"serbu", r"nyerbu", r"cegat", r"nyegat",
        r"cegatan", r"sikat", r"disikat", r"hajar", r"dihajar", r"bantai", r"dibantai",
        r"sweeping", r"swiping", r"merapat", r"rapatkan barisan", r"all member", r"full team",
        r"full pasukan", r"bawa pasukan", r"bawa massa", r"bawa anak2", r"bawa anak anak",
        r"konvoi", r"turun", r"turun semua", r"otw", r"on the way", r"serbu", r"geruduk",
        r"datengin", r"datangi", r"samperin", r"sambangi basis", r"jaga basis", r"pasukan",
        r"wajib ikut", r"jangan telat", r"jgn telat", r"titik kumpul", r"tikum", r"ngalor",
        r"mlaku bareng", r"berangkat bareng", r"tawur\w*", r"perang", r"war", r"ribut",
        r"gebuk\w*", r"babat", r"sisir", r"habisi", r"habisin", r"ratain", r"ratakan",
        # Ngapak (Tegal Javanese)
        r"pada kumpul", r"pada ngumpul", r"gawa pasukan", r"nggawa pasukan", r"aja telat",
        r"mangkat bareng", r"budhal", r"digebug\w*", r"gebug\w*")),
    Signal("weapon", "senjata", False, _words(
        r"celurit", r"clurit", r"calurit", r"clurit\w*", r"sajam", r"senjata tajam", r"gir",
        r"gear", r"gesper", r"sabuk gir", r"parang", r"stik golf", r"stick golf", r"golf",
        r"samurai", r"pedang", r"golok", r"arit", r"batu", r"bata", r"pentungan", r"pentung",
        r"rantai", r"pisau", r"belati", r"ketapel", r"molotov", r"bambu runcing", r"besi",
        r"pipa besi", r"senjata", r"sejata", r"gaman", r"bawa alat", r"alat lengkap",
        r"perkakas", r"kapak", r"watu", r"nggawa gaman", r"gawa gaman")),
    Signal("revenge", "balas dendam", False, _words(
        r"bales\w*", r"balas\w*", r"dendam", r"impas", r"nyawa dibayar nyawa",
        r"utang nyawa", r"hutang nyawa", r"ga terima", r"gak terima", r"tidak terima",
        r"ora trima", r"ra terimo", r"kemarin kalian", r"wingi", r"harga diri", r"harga mati",
        r"nama baik", r"dipermalukan", r"malu maluin", r"diinjek", r"diinjak", r"kawan kita",
        r"temen kita", r"temen gw", r"temen gue", r"korban kita", r"dikeroyok",
        r"dibales", r"digebugi")),
    Signal("senior", "tekanan senior/alumni", False, _words(
        r"senior", r"senior\w*", r"alumni", r"alumnus", r"kakak kelas", r"kaka kelas",
        r"kakel", r"angkatan", r"sesepuh", r"mas mas", r"disuruh", r"perintah", r"instruksi",
        r"yg ga ikut", r"yang ga ikut", r"yang gak ikut", r"yg gk ikut", r"gak ikut", r"ga ikut",
        r"dikeluarin", r"di bully", r"dibully", r"tradisi", r"warisan", r"pelantikan",
        r"ospek", r"junior", r"adik kelas", r"adek kelas", r"regenerasi", r"penerus")),
    Signal("gathering", "sudah berkumpul", False, _words(
        r"udah kumpul", r"udah ngumpul", r"sdh kumpul", r"sudah kumpul", r"udh kumpul",
        r"lagi kumpul", r"lg kumpul", r"lagi ngumpul", r"udah rame", r"udh rame", r"sdh rame",
        r"lagi rame", r"posisi di", r"posisi skrg", r"udah di lokasi", r"udh di lokasi",
        r"sudah di lokasi", r"di lokasi", r"udah nyampe", r"udh nyampe", r"sudah sampai",
        r"wis kumpul", r"wis ngumpul", r"wis pada kumpul", r"wis teka",
        r"ditunggu skrg", r"merapat skrg", r"merapat sekarang", r"skrg juga", r"sekarang juga")),
    Signal("campaign", "kampanye anti tawuran", True, _words(
        r"stop tawuran", r"tolak tawuran", r"anti tawuran", r"say no", r"no tawuran",
        r"jangan tawuran", r"jgn tawuran", r"ga usah tawuran", r"gak usah tawuran",
        r"tawuran bukan", r"tawuran itu", r"damai", r"perdamaian", r"duta pelajar",
        r"pelajar pancasila", r"prestasi", r"berprestasi", r"sayangi", r"masa depan",
        r"ikrar", r"deklarasi", r"cinta damai", r"persaudaraan", r"bersatu", r"rukun",
        r"kasihan orang tua", r"kasian ortu", r"ingat ortu", r"inget ortu", r"pikir dulu",
        r"tidak ada gunanya", r"ga ada gunanya", r"gak ada gunanya", r"rugi",
        r"aja tawuran", r"ora usah tawuran", r"ora usah gelut")),
    Signal("news", "berita/kejadian lalu", True, _words(
        r"diamankan", r"mengamankan", r"ditangkap", r"diringkus", r"dilaporkan", r"berita",
        r"breaking", r"info terkini", r"kronologi", r"terjadi tawuran", r"telah terjadi",
        r"korban meninggal", r"meninggal dunia", r"tewas", r"dirawat", r"rumah sakit",
        r"kapolres", r"kapolsek", r"polres", r"polsek", r"pelaku", r"tersangka", r"diproses",
        r"barang bukti", r"warga resah", r"menurut", r"dikabarkan", r"viral", r"innalillahi",
        r"turut berduka", r"rip", r"tahun lalu", r"dulu", r"jaman dulu", r"zaman dulu",
        r"kenangan", r"nostalgia", r"diamanke", r"ditangkep")),
    Signal("past", "merujuk waktu lampau", True, _words(
        r"kemarin", r"kmrn", r"kemaren", r"kmaren", r"semalam", r"tadi malam", r"td malam",
        r"tadi pagi", r"tadi siang", r"tadi sore", r"minggu lalu", r"pekan lalu",
        r"minggu kemarin", r"bulan lalu", r"waktu itu", r"sempat", r"sudah aman", r"udah aman",
        r"kondusif", r"dibubarkan", r"dibubarin", r"disita", r"amankan", r"minggu wingi",
        r"mau bengi", r"taun wingi")),
    Signal("sport", "olahraga", True, _words(
        r"futsal", r"sepak bola", r"sepakbola", r"bola", r"voli", r"volly", r"basket",
        r"badminton", r"bulu tangkis", r"turnamen", r"pertandingan", r"tanding", r"sparing",
        r"sparring", r"skor", r"gol", r"goal", r"kiper", r"juara", r"final", r"semifinal",
        r"liga", r"persekat", r"piala", r"lapangan futsal", r"latihan", r"jersey", r"suporter",
        r"pencak silat", r"lomba lari", r"porseni", r"o2sn", r"popda")),
    Signal("game", "gim", True, _words(
        r"ml", r"mlbb", r"mobile legend\w*", r"mabar", r"pubg", r"ff", r"free fire",
        r"push rank", r"rank", r"ranked", r"epic", r"legend", r"mythic", r"hero", r"skin",
        r"squad", r"scrim", r"game", r"gim", r"main game", r"valo", r"valorant", r"efootball",
        r"pes", r"fifa", r"warnet", r"joki", r"diamond", r"tier", r"booyah", r"winstreak",
        r"lose streak", r"afk")),
    Signal("school_event", "acara sekolah", True, _words(
        r"pensi", r"pentas seni", r"class meeting", r"classmeet", r"upacara", r"ujian",
        r"uts", r"uas", r"pts", r"pas", r"anbk", r"lomba", r"study tour", r"studi tour",
        r"perpisahan", r"wisuda", r"ekskul", r"ekstrakurikuler", r"pramuka", r"osis", r"mpls",
        r"bazar", r"pameran", r"prakerin", r"pkl", r"magang", r"praktik", r"praktek",
        r"bukber", r"buka bersama", r"maulid", r"pengajian", r"kerja bakti", r"jalan sehat",
        r"reuni", r"outbound", r"camping", r"kemah", r"rapat", r"belajar kelompok",
        r"kerja kelompok", r"tugas kelompok", r"pr")),
    Signal("outreach", "penyuluhan polisi", True, _words(
        r"sosialisasi", r"penyuluhan", r"bhabinkamtibmas", r"bhabin", r"binmas", r"satbinmas",
        r"police goes to school", r"polisi sahabat", r"polisi sahabat anak", r"sambang",
        r"pembinaan", r"apel", r"himbauan", r"imbauan", r"patroli", r"razia",
        r"kamtibmas", r"polisi cilik", r"pocil", r"saka bhayangkara", r"jumat curhat",
        r"safety riding", r"tertib lalu lintas", r"satlantas", r"narkoba", r"bahaya",
        r"edukasi", r"narasumber", r"kunjungan")),
)


@dataclass
class SignalHit:
    name: str
    label: str
    negative: bool
    matches: list[str]


def find_signals(text: str, *, folded: str | None = None) -> list[SignalHit]:
    """The signals whose patterns occur in the text, with the words that matched."""
    folded = folded if folded is not None else fold(text)
    hits: list[SignalHit] = []
    for signal in SIGNALS:
        matches = list(dict.fromkeys(m.group(0) for m in signal.pattern.finditer(folded)))
        if matches:
            hits.append(SignalHit(signal.name, signal.label, signal.negative, matches[:5]))
    return hits


def signal_counts(text: str, *, folded: str | None = None) -> list[float]:
    """One number per signal (matches, capped at 3), in the order of ``SIGNALS``."""
    folded = folded if folded is not None else fold(text)
    return [float(min(3, len(signal.pattern.findall(folded)))) for signal in SIGNALS]
