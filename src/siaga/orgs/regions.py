"""Reading the `areaid` gazetteer (names only, no coordinates; used without a database)."""

from __future__ import annotations

from dataclasses import dataclass, field

from areaid import buka_data

from siaga.errors import NotFound


@dataclass
class KecamatanData:
    source_id: str
    name: str
    kelurahan: list[tuple[str, str, str | None]] = field(default_factory=list)


@dataclass
class KabupatenData:
    source_id: str
    name: str
    kecamatan: list[KecamatanData]


def read_kabupaten(*, province: str, kabupaten: str) -> KabupatenData:
    """One kabupaten/kota with its kecamatan and kelurahan, as the areaid package ships them."""
    for prov in buka_data(province.lower()):
        for kab in prov["kabupaten"]:
            if str(kab["kab_kota"]).lower() == kabupaten.lower():
                return KabupatenData(
                    source_id=f"kab-{kab['id']}",
                    name=str(kab["kab_kota"]),
                    kecamatan=[
                        KecamatanData(
                            source_id=f"kec-{kec['id']}",
                            name=str(kec["kec"]),
                            kelurahan=[(f"kel-{k['id']}", str(k["kelu"]),
                                        str(k["pos"]) if k.get("pos") else None)
                                       for k in kec["kelurahan"]],
                        )
                        for kec in kab["kecamatan"]
                    ],
                )
    raise NotFound(f"{kabupaten} tidak ada di data areaid provinsi {province}")
