"""The criteria table for print (bảng tiêu chí chấm điểm thi đua), as DOCX and PDF.

Per group, each criterion with its code, title, maximum, how it is scored in plain words,
the evidence it requires and the scorers' guidance; then the bonus and penalty items, the
eligibility conditions and the total. The table is built from the reference document of the
stored framework (``convert.framework_document``), which tolerates a draft still being
written: a missing parameter leaves its words out, it never stops the print.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.utils import timezone

from thidua.criteria.convert import framework_document
from thidua.criteria.models import Framework, FrameworkStatus
from thidua.documents import party_format as pf
from thidua.documents.party_format import Align, Column, Row, RowStyle, cell, para
from thidua.documents.pdf import render_pdf
from thidua.documents.word import render_docx
from thidua.organizations.models import Organization, OrganizationKind
from thidua.scoring.engine.decimals import format_vi, parse_decimal
from thidua.scoring.engine.quantitative import SIZE_LABELS

DOCUMENT_KIND = "Bảng tiêu chí chấm điểm thi đua"
ACADEMY_NAME = "Học viện Chính trị quốc gia Hồ Chí Minh"
# Where a count criterion takes its occurrences from, when the system counts them itself.
SOURCE_NOTES = {
    "activity_attendance": "tự động tính từ danh sách tham dự hoạt động của Cụm",
    "activity_hosting": "tự động tính từ các hoạt động của Cụm do trường đăng cai, chủ trì",
}
_PER_UNIT = re.compile(r"\d+(?:[,.]\d+)?\s*điểm\s*/\s*([^;,()]+)")
LOWER_NOTE = " (chỉ số càng thấp càng tốt)"
LOWER_TARGET_NOTE = " (chỉ số càng thấp càng tốt: thấp hơn chỉ tiêu là vượt)"

# Portrait A4 leaves 165 mm between the margins.
CRITERIA_COLUMNS = (
    Column("Mã", 14, Align.CENTER),
    Column("Nội dung tiêu chí", 76, Align.LEFT),
    Column("Điểm tối đa", 17, Align.CENTER),
    Column("Cách chấm điểm", 58, Align.LEFT),
)
ITEM_COLUMNS = (
    Column("Mã", 14, Align.CENTER),
    Column("Nội dung", 76, Align.LEFT),
    Column("Tối đa", 17, Align.CENTER),
    Column("Cách tính điểm", 58, Align.LEFT),
)
CONDITION_COLUMNS = (
    Column("Mã", 14, Align.CENTER),
    Column("Điều kiện", 93, Align.LEFT),
    Column("Nếu không đạt", 58, Align.LEFT),
)


def criteria_table_docx(framework: Framework) -> bytes:
    """The framework's criteria table as an editable DOCX."""
    return render_docx(criteria_table(framework))


def criteria_table_pdf(framework: Framework) -> bytes:
    """The framework's criteria table as a PDF with the fonts embedded."""
    return render_pdf(criteria_table(framework))


def criteria_table(framework: Framework) -> pf.Document:
    """The document both formats render."""
    document = framework_document(framework)
    blocks: list[pf.Block] = [pf.body(line) for line in framework.description.splitlines() if line.strip()]
    blocks += _groups_section(document, framework.total)
    blocks += _adjustment_section(document.get("bonus", []), framework.bonus_cap, bonus=True)
    blocks += _adjustment_section(document.get("penalty", []), framework.penalty_cap, bonus=False)
    blocks += _conditions_section(document.get("conditions", []))
    blocks.append(pf.Heading("Tổng điểm"))
    blocks.append(pf.body(_total_sentence(framework)))
    return pf.Document(
        letterhead=_letterhead(framework),
        title=_title(framework),
        blocks=tuple(blocks),
        signature=_signature(framework),
        metadata_title=framework.name,
    )


# ---- the parts ---------------------------------------------------------------------------


def _letterhead(framework: Framework) -> pf.Letterhead:
    cluster = framework.cluster
    if cluster is not None:
        coordinator = cluster.coordinator
        organ, parent = cluster.name, coordinator.name if coordinator else ""
        place = coordinator.province if coordinator else ""
    else:
        academy = Organization.objects.filter(kind=OrganizationKind.ACADEMY).order_by("pk").first()
        organ, parent = (academy.name if academy else ACADEMY_NAME), ""
        place = academy.province if academy else ""
    published = framework.published_at
    day = timezone.localdate(published) if published is not None else None
    return pf.Letterhead(organ=organ, parent_organ=parent, place=place, day=day, year=framework.year)


def _title(framework: Framework) -> pf.Title:
    name = framework.name.strip()
    if name.casefold().startswith(DOCUMENT_KIND.casefold()):
        rest = name[len(DOCUMENT_KIND) :].strip(" :–-")
        subject: tuple[str, ...] = (rest[:1].upper() + rest[1:],) if rest else ()
    else:
        subject = (name,)
    facts = [f"Phiên bản {framework.edition}"]
    if framework.year is not None:
        facts.append(f"áp dụng năm {framework.year}")
    if framework.status == FrameworkStatus.DRAFT:
        facts.append("dự thảo")
    elif framework.status == FrameworkStatus.ARCHIVED:
        facts.append("đã lưu trữ")
    return pf.Title(kind=DOCUMENT_KIND, subject=subject, note=f"({', '.join(facts)})")


def _signature(framework: Framework) -> pf.Signature | None:
    if framework.cluster is None:
        return None
    return pf.Signature(
        authority=("T/M Thường trực Cụm", "Trưởng Cụm"),
        recipients=("Các trường thành viên Cụm", "Học viện (để báo cáo)", "Lưu Thường trực Cụm."),
    )


def _groups_section(document: Mapping[str, Any], total: Decimal) -> list[pf.Block]:
    groups = document.get("groups", [])
    rows: list[Row] = []
    for group in groups:
        rows += _group_rows(group)
    rows.append(Row((cell("Tổng cộng", colspan=2), cell(_n(total)), cell("")), RowStyle.TOTAL))
    count = sum(1 for group in groups for _ in _leaves(group))
    heading = f"A. Các nhóm tiêu chí ({len(groups)} nhóm, {count} tiêu chí, {_n(total)} điểm)"
    return [pf.Heading(heading), pf.Table(CRITERIA_COLUMNS, tuple(rows))]


def _leaves(group: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    found: list[Mapping[str, Any]] = []
    for child in group.get("leaves", []):
        found += _leaves(child) if "leaves" in child else [child]
    return found


def _group_rows(group: Mapping[str, Any]) -> list[Row]:
    top = _decimal(group.get("max"))
    notes = []
    children = group.get("leaves", [])
    children_sum = sum((_decimal(child.get("max")) or Decimal(0) for child in children), Decimal(0))
    if top is not None and children_sum > top:
        notes.append(
            para(
                f"Các tiêu chí cộng lại {_n(children_sum)} điểm; nhóm được tính tối đa {_n(top)} điểm.",
                italic=True,
            )
        )
    if group.get("guidance"):
        notes.append(para(f"Hướng dẫn: {group['guidance']}", italic=True))
    rows = [
        Row(
            (
                cell(str(group.get("code", ""))),
                cell(str(group.get("title", ""))),
                cell(_n(top)),
                cell(*notes) if notes else cell(""),
            ),
            RowStyle.GROUP,
        )
    ]
    for child in children:
        rows += _group_rows(child) if "leaves" in child else [_leaf_row(child)]
    return rows


def _leaf_row(leaf: Mapping[str, Any]) -> Row:
    content = [para(str(leaf.get("title", "")))]
    if leaf.get("evidence"):
        content.append(
            para(pf.Span("Minh chứng: ", italic=True, bold=True), pf.Span(str(leaf["evidence"]), italic=True))
        )
    scoring = [para(scoring_text(leaf))]
    if leaf.get("guidance"):
        scoring.append(
            para(pf.Span("Hướng dẫn: ", italic=True, bold=True), pf.Span(str(leaf["guidance"]), italic=True))
        )
    return Row((cell(str(leaf.get("code", ""))), cell(*content), cell(_n(_decimal(leaf.get("max")))), cell(*scoring)))


def _adjustment_section(items: list[Mapping[str, Any]], cap: Decimal | None, *, bonus: bool) -> list[pf.Block]:
    if not items:
        return []
    letter, name = ("B", "Điểm thưởng") if bonus else ("C", "Điểm trừ")
    heading = f"{letter}. {name}" + (f" (tối đa {_n(cap)} điểm)" if cap is not None else "")
    rows = []
    for item in items:
        content = [para(str(item.get("title", "")))]
        how = [para(adjustment_text(item, bonus=bonus))]
        if item.get("guidance"):
            how.append(
                para(pf.Span("Hướng dẫn: ", italic=True, bold=True), pf.Span(str(item["guidance"]), italic=True))
            )
        rows.append(
            Row((cell(str(item.get("code", ""))), cell(*content), cell(_n(_decimal(item.get("cap")))), cell(*how)))
        )
    return [pf.Heading(heading), pf.Table(ITEM_COLUMNS, tuple(rows))]


def _conditions_section(conditions: list[Mapping[str, Any]]) -> list[pf.Block]:
    if not conditions:
        return []
    rows = []
    for condition in conditions:
        content = [para(str(condition.get("title", "")))]
        if condition.get("guidance"):
            content.append(
                para(pf.Span("Hướng dẫn: ", italic=True, bold=True), pf.Span(str(condition["guidance"]), italic=True))
            )
        blocks = [str(title) for title in condition.get("blocks", [])]
        effect = f"Không được xét: {', '.join(blocks)}" if blocks else "Không đủ điều kiện xét danh hiệu"
        rows.append(Row((cell(str(condition.get("code", ""))), cell(*content), cell(effect))))
    heading = "D. Điều kiện xét danh hiệu (không tính điểm)"
    return [pf.Heading(heading), pf.Table(CONDITION_COLUMNS, tuple(rows))]


def _total_sentence(framework: Framework) -> str:
    parts = [f"Tổng điểm = điểm các nhóm tiêu chí (tối đa {_n(framework.total)} điểm)"]
    parts.append(
        "+ điểm thưởng" + (f" (tối đa {_n(framework.bonus_cap)} điểm)" if framework.bonus_cap is not None else "")
    )
    parts.append(
        "− điểm trừ" + (f" (tối đa {_n(framework.penalty_cap)} điểm)" if framework.penalty_cap is not None else "")
    )
    return (
        " ".join(parts) + "; tổng điểm không nhỏ hơn 0. Điểm của mỗi nhóm không vượt quá điểm tối đa của nhóm. "
        "Điều kiện không tính điểm, chỉ quyết định trường có được xét danh hiệu hay không."
    )


# ---- scoring rules in words --------------------------------------------------------------


def scoring_text(leaf: Mapping[str, Any]) -> str:
    """How a criterion is scored, in plain Vietnamese, from its reference-format entry."""
    top = _decimal(leaf.get("max"))
    rule = leaf.get("rule")
    if rule == "manual":
        step = _decimal(leaf.get("step"))
        text = f"Chấm trực tiếp từ 0 đến {_n(top)} điểm"
        return text + (f", bước {_n(step)} điểm" if step is not None else "")
    if rule == "pass_fail":
        return f"Đạt: {_n(top)} điểm; không đạt: 0 điểm"
    if rule == "levels":
        return _levels_text(leaf)
    if rule == "count":
        text = f"{_n(_decimal(leaf.get('points_each')))} điểm/{_unit(leaf)}, tối đa {_n(top)} điểm"
        note = SOURCE_NOTES.get(str(leaf.get("source", "")))
        return f"{text} ({note})" if note else text
    if rule == "quantitative":
        return _quantitative_text(leaf, top)
    return ""


def adjustment_text(item: Mapping[str, Any], *, bonus: bool) -> str:
    """How a bonus or penalty item counts, in plain Vietnamese."""
    verb = "Cộng" if bonus else "Trừ"
    cap = _decimal(item.get("cap"))
    limit = f", tối đa {_n(cap)} điểm" if cap is not None else ""
    rule = item.get("rule") or ("count" if item.get("points_each") is not None else "levels")
    if rule == "levels":
        levels = _levels_text(item)  # "Theo mức: …" → "Cộng theo mức: …"
        return f"{verb} {levels[:1].lower()}{levels[1:]}{limit}"
    if rule == "manual":
        step = _decimal(item.get("step"))
        return f"{verb} trực tiếp theo mức độ" + (f", bước {_n(step)} điểm" if step is not None else "") + limit
    each = _n(_decimal(item.get("points_each")))
    text = f"{verb} {each} điểm/{_unit(item)}{limit}"
    note = SOURCE_NOTES.get(str(item.get("source", "")))
    return f"{text} ({note})" if note else text


def _levels_text(entry: Mapping[str, Any]) -> str:
    levels = entry.get("levels") or {}
    shown = "; ".join(f"{name}: {_n(_decimal(points))} điểm" for name, points in levels.items())
    return f"Theo mức: {shown}" if shown else "Theo mức"


def _quantitative_text(leaf: Mapping[str, Any], top: Decimal | None) -> str:
    formula = leaf.get("formula")
    lower = leaf.get("direction") == "lower"
    per_capita = leaf.get("per_capita")
    prefix = f"Tính bình quân mỗi {SIZE_LABELS.get(str(per_capita), str(per_capita))}. " if per_capita else ""
    if formula == "ratio":
        cap = _decimal(leaf.get("cap_ratio")) or Decimal(1)
        if lower:
            text = f"Chỉ tiêu đăng ký chia cho số thực hiện × {_n(top)} điểm{LOWER_NOTE}"
        else:
            text = f"Tỷ lệ thực hiện so với chỉ tiêu đăng ký × {_n(top)} điểm"
        text += f", tính tối đa {_n(cap * 100)} %. {_no_target_note(lower=lower)}"
    elif formula == "thresholds":
        text = _thresholds_text(leaf, lower=lower)
    elif formula == "relative_to_best":
        if lower:
            text = f"Số liệu thấp nhất Cụm chia cho số liệu của trường × {_n(top)} điểm{LOWER_NOTE}"
        else:
            text = f"Số liệu của trường so với trường cao nhất Cụm × {_n(top)} điểm"
    elif formula == "target_and_leader":
        half = _n(top / 2) if top is not None else "…"
        text = (
            f"Chưa đạt chỉ tiêu đăng ký: {half} điểm × tỷ lệ thực hiện; đạt chỉ tiêu: {half} điểm; "
            f"vượt chỉ tiêu: {half} + {half} × mức vượt ÷ mức vượt của trường dẫn đầu; "
            f"trường dẫn đầu (vượt chỉ tiêu nhiều nhất Cụm): {_n(top)} điểm"
        )
        text += LOWER_TARGET_NOTE if lower else ""
        text += f". {_no_target_note(lower=lower)}"
    else:
        text = f"Định lượng, tối đa {_n(top)} điểm"
    return prefix + text


def _no_target_note(*, lower: bool) -> str:
    return f"Trường không đăng ký chỉ tiêu: so với trường {'thấp' if lower else 'cao'} nhất Cụm."


def _thresholds_text(leaf: Mapping[str, Any], *, lower: bool) -> str:
    """ "Theo ngưỡng: ≥ 80 %: 4 điểm; ≥ 60 %: 3; dưới 60 %: 0" — the tiers in the engine's order."""
    unit = " %" if "%" in str(leaf.get("title", "")) else ""
    tiers = [(_decimal(t[0]), _decimal(t[1])) for t in leaf.get("tiers") or [] if isinstance(t, list) and len(t) == 2]
    if not tiers:
        return "Theo ngưỡng"
    sign = "≤" if lower else "≥"
    parts: list[str] = []
    for index, (threshold, points) in enumerate(tiers):
        label = f"{sign} {_n(threshold)}{unit}"
        if index and not lower and threshold is not None and threshold <= 0:
            label = f"dưới {_n(tiers[index - 1][0])}{unit}"  # "≥ 0" is all below the previous tier
        parts.append(f"{label}: {_n(points)}" + (" điểm" if index == 0 else ""))
    floor = tiers[-1][0]
    if lower or floor is None or floor > 0:  # values past the last tier score nothing
        parts.append(f"{'trên' if lower else 'dưới'} {_n(floor)}{unit}: 0")
    return "Theo ngưỡng: " + "; ".join(parts) + (LOWER_NOTE if lower else "")


def _unit(entry: Mapping[str, Any]) -> str:
    """What one occurrence is called: from "(0,5 điểm/buổi)" in the title, else by source."""
    match = _PER_UNIT.search(str(entry.get("title", "")))
    if match:
        return match.group(1).strip()
    if str(entry.get("source", "")).startswith("activity_"):
        return "hoạt động"
    return "lần"


def _decimal(value: object) -> Decimal | None:
    if value is None:
        return None
    try:
        return parse_decimal(value)
    except ValueError:
        return None


def _n(value: Decimal | None) -> str:
    """Points the Vietnamese way ("0,25", "100"); "…" where a draft has no value yet."""
    return format_vi(value, places=4) if value is not None else "…"
