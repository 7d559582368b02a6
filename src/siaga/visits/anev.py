"""The weekly anev (analysis and evaluation) report for Satbinmas: data, CSV and PDF."""

from __future__ import annotations

import io
from collections import Counter, defaultdict
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from siaga.alarms.labels import STATUS_LABELS as ALARM_STATUS_LABELS
from siaga.auth.models import User
from siaga.csvsafe import SafeCsvWriter
from siaga.db import utcnow
from siaga.dispatch.response_times import AlarmTiming, all_figures, load_timings
from siaga.dispatch.schemas import ResponseFigure
from siaga.orgs.models import Organisation, Region
from siaga.reports.pdf import document_info
from siaga.roster.bhabin import bhabins_by_region
from siaga.tips.models import Tip
from siaga.tips.service import CATEGORY_LABELS as TIP_CATEGORY_LABELS
from siaga.visits.labels import (
    FLAG_LABELS,
    FUNCTION_LABELS,
    PLACE_TYPE_LABELS,
    TOPIC_LABELS,
)
from siaga.visits.models import FOLLOW_UP_CLOSED, FollowUp, Visit
from siaga.visits.periods import parse_iso_week, zone


def _counts(counter: Counter[str], labels: dict[str, str], key: str) -> list[dict[str, Any]]:
    return [{key: code, "label": labels.get(code, code), "count": counter.get(code, 0)}
            for code in labels]


def _alarm_section(figures: dict[str, ResponseFigure], counted: list[AlarmTiming],
                   by_status: Counter[str]) -> dict[str, Any]:
    """The week's alarm figures, each from the shared definition (dispatch/response_times)."""
    ack, ack_share = figures["acknowledge_median_s"], figures["acknowledged_within_target"]
    dispatch, arrival = figures["dispatch_median_s"], figures["on_scene_median_s"]
    acked = [t.acknowledge_s for t in counted if t.acknowledge_s is not None]
    return {
        "total": len(counted),
        "counts": ack_share.counts,
        "acknowledged": ack.n,
        "unacknowledged": len(counted) - ack.n,
        "ack_median_s": ack.value,
        "ack_p90_s": figures["acknowledge_p90_s"].value,
        "ack_max_s": round(max(acked), 1) if acked else None,
        "ack_within_target": ack_share.within,
        "ack_within_target_pct": ack_share.value,
        "target_s": ack_share.target_s,
        "dispatched": dispatch.n,
        "dispatch_median_s": dispatch.value,
        "dispatch_within_target": figures["dispatched_within_target"].within,
        "arrived": arrival.n,
        "arrival_median_s": arrival.value,
        "arrival_p90_s": figures["on_scene_p90_s"].value,
        "arrival_within_target": figures["on_scene_within_target"].within,
        "arrival_target_s": figures["on_scene_within_target"].target_s,
        "figures": [f.model_dump(exclude={"alarm_ids"}) for f in figures.values()],
        "by_status": dict(sorted(by_status.items())),
    }


def anev_report(session: Session, *, org: Organisation, week: str) -> dict[str, Any]:
    """Everything the weekly meeting looks at for one Polres or Polsek and one ISO week."""
    start, end = parse_iso_week(week)
    scope = org.path
    visits = session.scalars(
        select(Visit).where(Visit.org_path.startswith(scope, autoescape=True))
        .where(Visit.visited_at >= start).where(Visit.visited_at < end)
        .order_by(Visit.visited_at, Visit.id)).all()
    regions = session.execute(
        select(Region, Organisation.name).join(Organisation, Organisation.id == Region.org_id)
        .where(Region.level.in_(("kelurahan", "desa")))
        .where(Organisation.path.startswith(scope, autoescape=True)).order_by(Region.name)
    ).tuples().all()
    # The Bhabinkamtibmas of the scope's villages (assigned, or living there), not every
    # petugas: patrol crews make no door-to-door visits and would dilute "petugas aktif".
    bhabins = bhabins_by_region(session, region_ids=[r.id for r, _ in regions])
    officers = sorted({u.id: u for users in bhabins.values() for u in users}.values(),
                      key=lambda u: (u.full_name or u.username, u.id))
    region_name = {r.id: r.name for r, _ in regions}
    extra = {v.officer_id for v in visits} - {u.id for u in officers}
    people = {u.id: u for u in officers}
    if extra:
        people.update({u.id: u for u in session.scalars(select(User).where(User.id.in_(extra)))})

    per_officer: dict[int, list[Visit]] = defaultdict(list)
    per_region: dict[int | None, list[Visit]] = defaultdict(list)
    for v in visits:
        per_officer[v.officer_id].append(v)
        per_region[v.region_id].append(v)
    by_officer = []
    for user_id in [u.id for u in officers] + sorted(extra):
        user = people[user_id]
        rows = per_officer.get(user_id, [])
        by_officer.append({
            "officer": user.full_name, "username": user.username,
            "kelurahan": region_name.get(user.region_id) if user.region_id else None,
            "visits": len(rows), "flagged": sum(1 for v in rows if v.flagged),
            "places": len({(v.place_type, (v.place_name or v.address or str(v.id)).lower())
                           for v in rows}),
        })
    by_officer.sort(key=lambda r: (-int(r["visits"] or 0), str(r["officer"])))
    by_kelurahan = [
        {"kelurahan": region.name, "polsek": polsek,
         "visits": len(per_region.get(region.id, [])),
         "officers": len({v.officer_id for v in per_region.get(region.id, [])})}
        for region, polsek in regions
    ]
    by_kelurahan.sort(key=lambda r: (-int(str(r["visits"])), str(r["kelurahan"])))
    topics: Counter[str] = Counter(t for v in visits for t in (v.topics or []))
    places: Counter[str] = Counter(v.place_type for v in visits)
    flags: Counter[str] = Counter(f.get("code", "?") for v in visits for f in (v.flags or []))

    follow = session.scalars(
        select(FollowUp).where(FollowUp.org_path.startswith(scope, autoescape=True))
        .where(FollowUp.created_at < end)).all()
    opened = [f for f in follow if f.created_at >= start]
    closed = [f for f in follow if f.closed_at is not None and start <= f.closed_at < end]
    still_open = [f for f in follow if f.closed_at is None or f.closed_at >= end]
    end_day = (end - timedelta(days=1)).astimezone(zone()).date()
    overdue = [f for f in still_open
               if f.due_date is not None and f.due_date <= end_day
               and f.status not in FOLLOW_UP_CLOSED]
    by_function = [
        {"function": code, "label": label,
         "opened": sum(1 for f in opened if f.function == code),
         "closed": sum(1 for f in closed if f.function == code),
         "open_at_end": sum(1 for f in still_open if f.function == code)}
        for code, label in FUNCTION_LABELS.items()
    ]

    timings = load_timings(session, scope=scope, since=start, until=end)
    figures = all_figures(timings)
    alarms = [t for t in timings if t.counted]
    alarm_status: Counter[str] = Counter(t.status for t in timings)

    tips = session.scalars(
        select(Tip).where(Tip.org_path.startswith(scope, autoescape=True))
        .where(Tip.created_at >= start).where(Tip.created_at < end)).all()
    tip_categories: Counter[str] = Counter(t.category for t in tips)

    local = zone()
    daily = []
    for offset in range(7):
        day = (start + timedelta(days=offset)).date()
        daily.append({
            "date": day.isoformat(),
            "visits": sum(1 for v in visits if v.visited_at.astimezone(local).date() == day),
            "alarms": sum(1 for a in alarms if a.created_at.astimezone(local).date() == day),
        })
    visited_regions = {v.region_id for v in visits if v.region_id is not None}
    active_officers = {v.officer_id for v in visits}
    return {
        "org": {"code": org.code, "name": org.name},
        "document": document_info(session, org=org),
        "generated_at": utcnow().isoformat(),
        "week": week,
        "start": start.isoformat(),
        "end": end.isoformat(),
        "summary": {
            "visits": len(visits),
            "flagged_visits": sum(1 for v in visits if v.flagged),
            "officers_total": len(officers),
            "officers_active": len(active_officers & {u.id for u in officers}),
            "kelurahan_total": len(regions),
            "kelurahan_visited": len(visited_regions & set(region_name)),
            "follow_ups_opened": len(opened),
            "follow_ups_closed": len(closed),
            "alarms": len(alarms),
            "tips": len(tips),
        },
        "visits_by_officer": by_officer,
        "visits_by_kelurahan": by_kelurahan,
        "gaps": {
            "kelurahan": [r["kelurahan"] for r in by_kelurahan if r["visits"] == 0],
            "officers": [r["officer"] for r in by_officer if r["visits"] == 0],
        },
        "topics": _counts(topics, TOPIC_LABELS, "topic"),
        "place_types": _counts(places, PLACE_TYPE_LABELS, "place_type"),
        "flags": dict(sorted(flags.items())),
        "follow_ups": {
            "opened": len(opened), "closed": len(closed), "open_at_end": len(still_open),
            "overdue_at_end": len(overdue), "by_function": by_function,
        },
        "alarms": _alarm_section(figures, alarms, alarm_status),
        "tips": {"received": len(tips), "by_category": dict(sorted(tip_categories.items()))},
        "daily": daily,
    }


SUMMARY_LABELS = {
    "visits": ("Kunjungan (DDS)", "kunjungan"),
    "flagged_visits": ("Kunjungan bertanda (perlu dicek)", "kunjungan"),
    "officers_total": ("Bhabinkamtibmas seluruhnya", "orang"),
    "officers_active": ("Bhabinkamtibmas yang berkunjung", "orang"),
    "kelurahan_total": ("Kelurahan/desa seluruhnya", "kelurahan"),
    "kelurahan_visited": ("Kelurahan/desa dikunjungi", "kelurahan"),
    "follow_ups_opened": ("Tindak lanjut dibuka", "tindak lanjut"),
    "follow_ups_closed": ("Tindak lanjut selesai", "tindak lanjut"),
    "alarms": ("Alarm warga", "alarm"),
    "tips": ("Laporan warga (non-darurat)", "laporan"),
}
CSV_COLUMNS = ["bagian", "butir", "ukuran", "nilai", "satuan_ukur", "tanggal_iso",
               "keterangan"]
KAMUS = {
    "bagian": "Bagian laporan: ringkasan, kunjungan per petugas, kunjungan per kelurahan, "
              "celah cakupan, topik, jenis tempat, tanda, tindak lanjut, alarm, laporan warga, "
              "harian",
    "butir": "Yang diukur: nama petugas, kelurahan, topik, fungsi, kategori (kosong untuk "
             "seluruh satuan)",
    "ukuran": "Nama ukuran, mis. kunjungan, median waktu terima",
    "nilai": "Nilai angka (titik desimal); kosong = belum ada data",
    "satuan_ukur": "Satuan nilai: kunjungan, orang, alarm, detik, %, ...",
    "tanggal_iso": "Tanggal (WIB) untuk baris harian dan awal/akhir minggu, YYYY-MM-DD",
    "keterangan": "Alarm mana yang dihitung, atau penjelasan lain",
}


def _number(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return "" if value is None else value


def anev_csv(report: dict[str, Any]) -> str:
    """The report as one tidy table, a fact per row, Indonesian headers and values."""
    out = io.StringIO()
    w = SafeCsvWriter(out, lineterminator="\n")
    w.writerow(CSV_COLUMNS)
    local = zone()
    first = datetime.fromisoformat(report["start"]).astimezone(local).date()
    last = (datetime.fromisoformat(report["end"]) - timedelta(days=1)).astimezone(local).date()
    w.writerow(["Laporan", report["org"]["name"], "Awal minggu", "", "", first.isoformat(),
                f"Minggu {report['week']}"])
    w.writerow(["Laporan", report["org"]["name"], "Akhir minggu", "", "", last.isoformat(),
                f"Minggu {report['week']}"])
    for key, value in report["summary"].items():
        name, unit = SUMMARY_LABELS.get(key, (key, ""))
        w.writerow(["Ringkasan", "", name, value, unit, "", ""])
    for row in report["visits_by_officer"]:
        for metric, name, unit in (("visits", "Kunjungan", "kunjungan"),
                                   ("places", "Tempat berbeda", "tempat"),
                                   ("flagged", "Kunjungan bertanda", "kunjungan")):
            w.writerow(["Kunjungan per petugas", row["officer"], name, row[metric], unit, "",
                        row["kelurahan"] or ""])
    for row in report["visits_by_kelurahan"]:
        w.writerow(["Kunjungan per kelurahan", row["kelurahan"], "Kunjungan", row["visits"],
                    "kunjungan", "", row["polsek"]])
        w.writerow(["Kunjungan per kelurahan", row["kelurahan"], "Petugas berkunjung",
                    row["officers"], "orang", "", row["polsek"]])
    for name in report["gaps"]["kelurahan"]:
        w.writerow(["Celah cakupan", name, "Kelurahan tanpa kunjungan", 0, "kunjungan", "", ""])
    for name in report["gaps"]["officers"]:
        w.writerow(["Celah cakupan", name, "Petugas tanpa kunjungan", 0, "kunjungan", "", ""])
    for row in report["topics"]:
        w.writerow(["Topik dibahas", row["label"], "Kunjungan", row["count"], "kunjungan", "",
                    ""])
    for row in report["place_types"]:
        w.writerow(["Jenis tempat", row["label"], "Kunjungan", row["count"], "kunjungan", "",
                    ""])
    for code, count in report["flags"].items():
        w.writerow(["Tanda kunjungan", FLAG_LABELS.get(code, "Tanda lain"), "Kunjungan", count,
                    "kunjungan", "", ""])
    follow = report["follow_ups"]
    for metric, name in (("opened", "Dibuka"), ("closed", "Selesai"),
                         ("open_at_end", "Masih terbuka di akhir minggu"),
                         ("overdue_at_end", "Lewat tenggat di akhir minggu")):
        w.writerow(["Tindak lanjut", "", name, follow[metric], "tindak lanjut", "", ""])
    for row in follow["by_function"]:
        for metric, name in (("opened", "Dibuka"), ("closed", "Selesai"),
                             ("open_at_end", "Masih terbuka di akhir minggu")):
            w.writerow(["Tindak lanjut per fungsi", row["label"], name, row[metric],
                        "tindak lanjut", "", ""])
    alarms = report["alarms"]
    w.writerow(["Alarm", "", "Alarm warga", alarms["total"], "alarm", "", alarms["counts"]])
    for f in alarms["figures"]:
        w.writerow(["Alarm", "", f["label"], _number(f["value"]), f["unit"], "",
                    f"{f['counts']} ({f['n']} alarm)"])
    for status, count in alarms["by_status"].items():
        w.writerow(["Alarm menurut keadaan", ALARM_STATUS_LABELS.get(status, "Lainnya"),
                    "Alarm", count, "alarm", "", "semua alarm masuk"])
    w.writerow(["Laporan warga", "", "Diterima", report["tips"]["received"], "laporan", "", ""])
    for category, count in report["tips"]["by_category"].items():
        w.writerow(["Laporan warga per kategori", TIP_CATEGORY_LABELS.get(category, "Lainnya"),
                    "Diterima", count, "laporan", "", ""])
    for row in report["daily"]:
        w.writerow(["Harian", "", "Kunjungan", row["visits"], "kunjungan", row["date"], ""])
        w.writerow(["Harian", "", "Alarm warga", row["alarms"], "alarm", row["date"], ""])
    return out.getvalue()
