"""The Cluster 9 demo: schools, the Academy, Cluster 9's years, the 2025 mergers, profiles."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from thidua.organizations import services
from thidua.organizations.models import Cluster, ClusterYear, Organization, OrganizationKind, OrganizationProfile

DATA = Path(__file__).parent / "data"
MERGER_DATE = datetime.date(2025, 7, 1)
ACADEMY_CODE = "HVCTQG"
CLUSTER_CODE = "C9"

# Codes for the schools formed on 1 July 2025 (the reference file names them only).
SUCCESSOR_CODES = {
    "Trường Chính trị tỉnh Đồng Tháp (mới)": ("DTM", "Đồng Tháp"),
    "Trường Chính trị tỉnh Cà Mau (mới)": ("CMM", "Cà Mau"),
    "Trường Chính trị tỉnh An Giang (mới)": ("AGM", "An Giang"),
    "Trường Chính trị Phạm Hùng tỉnh Vĩnh Long": ("VLM", "Vĩnh Long"),
    "Trường Chính trị thành phố Cần Thơ": ("CTM", "Cần Thơ"),
    "Trường Chính trị tỉnh Tây Ninh": ("TNM", "Tây Ninh"),
}
# Predecessors outside Cluster 9 that the reference file mentions in comments.
EXTRA_PREDECESSORS = {
    "CTM": ("CT", "Trường Chính trị thành phố Cần Thơ (trước 01/07/2025)", "Cần Thơ"),
    "TNM": ("TN", "Trường Chính trị tỉnh Tây Ninh (trước 01/07/2025)", "Tây Ninh"),
}
YEAR_2026 = {"head": "DTM", "deputies": ["CMM"], "theme": "Đoàn kết - Đổi mới - Kỷ cương - Hiệu quả"}


@dataclass
class Loaded:
    organizations: dict[str, Organization]
    cluster: Cluster


def reference() -> dict[str, Any]:
    with (DATA / "cluster9.yaml").open(encoding="utf-8") as fh:
        data: dict[str, Any] = yaml.safe_load(fh)
    return data


def _org(actor: Any, code: str, name: str, province: str, kind: str, **dates: Any) -> Organization:
    existing = Organization.objects.filter(short_code=code).first()
    if existing is not None:
        return existing
    return services.create_organization(actor=actor, kind=kind, name=name, short_code=code, province=province, **dates)


def plausible_profile(code: str, year: int) -> dict[str, int]:
    """Reproducible, plausible size measures for a school in a year."""
    rng = random.Random(f"{code}-{year}")
    staff = rng.randint(42, 88)
    lecturers = round(staff * rng.uniform(0.70, 0.86))
    phd = rng.randint(1, max(2, lecturers // 8))
    master = min(lecturers - phd, round(lecturers * rng.uniform(0.62, 0.9)))
    return {
        "staff": staff,
        "lecturers": lecturers,
        "lecturers_phd": phd,
        "lecturers_master": master,
        "principal_lecturers": rng.randint(4, max(5, lecturers // 3)),
        "trainees": rng.randint(1800, 5200),
        "classes": rng.randint(28, 72),
    }


def _profile(actor: Any, org: Organization, year: int) -> None:
    if not OrganizationProfile.objects.filter(organization=org, year=year).exists():
        services.save_profile(actor=actor, organization=org, year=year, **plausible_profile(org.short_code, year))


def _cluster_year(actor: Any, cluster: Cluster, year: int, orgs: dict[str, Organization], spec: dict[str, Any]) -> None:
    if ClusterYear.objects.filter(cluster=cluster, year=year).exists():
        return
    services.create_cluster_year(
        actor=actor,
        cluster=cluster,
        year=year,
        members=[orgs[c] for c in spec["members"]],
        head=orgs[spec["head"]],
        deputies=[orgs[c] for c in spec.get("deputies", [])],
        theme=spec.get("theme", ""),
        notes=spec.get("notes", ""),
    )


def load(actor: Any = None) -> Loaded:
    ref = reference()
    orgs: dict[str, Organization] = {}
    academy = _org(actor, ACADEMY_CODE, ref["cluster"]["coordinator"], "Hà Nội", OrganizationKind.ACADEMY)
    orgs[ACADEMY_CODE] = academy
    old_schools = ref["schools"]
    for code, (name, province) in old_schools.items():
        orgs[code] = _org(
            actor,
            code,
            name,
            province,
            OrganizationKind.POLITICAL_SCHOOL,
            active_to=MERGER_DATE - datetime.timedelta(days=1),
        )
    for new_code, (old_code, name, province) in EXTRA_PREDECESSORS.items():
        orgs[old_code] = _org(
            actor,
            old_code,
            name,
            province,
            OrganizationKind.POLITICAL_SCHOOL,
            active_to=MERGER_DATE - datetime.timedelta(days=1),
        )
        del new_code
    for name, predecessors in ref["succession_2025_07_01"].items():
        code, province = SUCCESSOR_CODES[name]
        successor = _org(actor, code, name, province, OrganizationKind.POLITICAL_SCHOOL, active_from=MERGER_DATE)
        orgs[code] = successor
        extra = [EXTRA_PREDECESSORS[code][0]] if code in EXTRA_PREDECESSORS else []
        for pred_code in [*predecessors, *extra]:
            pred = orgs[pred_code]
            if not successor.successions_in.filter(predecessor=pred).exists():
                services.add_succession(
                    actor=actor,
                    predecessor=pred,
                    successor=successor,
                    effective_date=MERGER_DATE,
                    note="Sáp nhập theo sắp xếp đơn vị hành chính cấp tỉnh năm 2025",
                )
    cluster = Cluster.objects.filter(code=CLUSTER_CODE).first() or services.create_cluster(
        actor=actor,
        code=CLUSTER_CODE,
        name=ref["cluster"]["name"],
        coordinator=academy,
        description=(
            "Cụm thi đua các trường chính trị khu vực Đồng bằng sông Cửu Long, "
            "do Học viện Chính trị quốc gia Hồ Chí Minh điều phối."
        ),
    )
    for year, spec in ref["years"].items():
        _cluster_year(actor, cluster, int(year), orgs, spec)
        for code in spec["members"]:
            _profile(actor, orgs[code], int(year))
    new_codes = [code for code, _province in SUCCESSOR_CODES.values()]
    _cluster_year(actor, cluster, 2026, orgs, {"members": new_codes, **YEAR_2026})
    for code in new_codes:
        _profile(actor, orgs[code], 2026)
    return Loaded(organizations=orgs, cluster=cluster)
