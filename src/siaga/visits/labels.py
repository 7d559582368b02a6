"""Indonesian labels for the codes visits, follow-ups and tips use."""

from __future__ import annotations

PLACE_TYPE_LABELS = {
    "house": "Rumah warga",
    "worship": "Tempat ibadah",
    "school": "Sekolah",
    "office": "Kantor",
    "shop": "Toko / tempat usaha",
    "other": "Lainnya",
}
TOPIC_LABELS = {
    "crime": "Kejahatan",
    "drugs": "Narkoba",
    "brawl": "Tawuran",
    "radicalism": "Radikalisme",
    "dispute": "Perselisihan",
    "traffic": "Lalu lintas",
    "disaster": "Bencana",
    "other": "Lainnya",
}
FUNCTION_LABELS = {
    "reskrim": "Reskrim",
    "samapta": "Samapta",
    "binmas": "Binmas",
    "intelkam": "Intelkam",
    "lantas": "Lantas",
}
FOLLOW_UP_STATUS_LABELS = {
    "open": "Baru",
    "in_progress": "Dikerjakan",
    "done": "Selesai",
    "cancelled": "Dibatalkan",
}
FLAG_LABELS = {
    "outside_area": "Di luar kelurahan binaan",
    "far_off": "Lokasi HP jauh dari tempat kunjungan",
    "no_location": "Tanpa lokasi HP",
    "no_photo": "Tanpa foto bukti",
    "photo_reused": "Foto sudah dipakai di kunjungan lain",
    "photo_similar": "Foto hampir sama dengan kunjungan lain",
    "photo_far": "Foto diambil jauh dari kelurahan",
    "photo_time": "Foto diambil jauh dari waktu kunjungan",
}
