"""The replay as a GeoJSON FeatureCollection, with Indonesian labels for GIS users."""

from __future__ import annotations

from typing import Any

from siaga.replay.labels import CALLER_ACTOR, wib_moment
from siaga.replay.schemas import ReplayOut
from siaga.reports.fmt import number


def replay_geojson(replay: ReplayOut) -> dict[str, Any]:
    """One LineString per unit (times per point), one Point per caller position and event."""
    alarm = replay.alarm
    features: list[dict[str, Any]] = []
    for unit in replay.tracks:
        features.append(_feature(
            {"type": "LineString", "coordinates": [[f.lon, f.lat] for f in unit.fixes]},
            {"jenis": "Jejak unit", "kode_panggil": unit.callsign,
             "jenis_unit": unit.kind_label, "ditugaskan": unit.assigned,
             "keterangan": unit.role_label,
             "jarak_terdekat": (f"{number(unit.nearest_m, digits=0)} m"
                                if unit.nearest_m is not None else "tidak diketahui"),
             "jumlah_titik": len(unit.fixes),
             # Machine-readable times beside the readable ones (QGIS, togeojson's coordTimes).
             "coordTimes": [f.at.isoformat() for f in unit.fixes],
             "waktu_titik": [wib_moment(f.at) for f in unit.fixes],
             "kecepatan_kmh": [f.speed_kmh for f in unit.fixes]}))
    for point in replay.caller_positions:
        features.append(_feature(
            {"type": "Point", "coordinates": [point.lon, point.lat]},
            {"jenis": "Posisi pelapor", "waktu": wib_moment(point.at),
             "time": point.at.isoformat(),
             "akurasi": (f"±{number(point.accuracy_m, digits=0)} m"
                         if point.accuracy_m is not None else "tidak diketahui")}))
    for event in replay.timeline:
        features.append(_feature(
            {"type": "Point", "coordinates": [alarm.lon, alarm.lat]},
            {"jenis": "Riwayat alarm", "peristiwa": event.label,
             "waktu": wib_moment(event.at), "time": event.at.isoformat(),
             "oleh": event.actor or "Sistem", "unit": event.callsign or "-",
             "catatan": event.note or "-"}))
    return {"type": "FeatureCollection", "name": f"Putar ulang alarm #{alarm.id}",
            "properties": {"alarm": alarm.id, "status": alarm.status_label,
                           "masuk": wib_moment(alarm.triggered_at),
                           "selesai": (wib_moment(alarm.ended_at) if alarm.ended_at
                                       else "belum selesai"),
                           "satuan": alarm.org_name or "-", "wilayah": alarm.region_name or "-",
                           "pelapor": CALLER_ACTOR},
            "features": features}


def _feature(geometry: dict[str, Any], properties: dict[str, Any]) -> dict[str, Any]:
    return {"type": "Feature", "geometry": geometry, "properties": properties}
