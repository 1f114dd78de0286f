"""Reconciliation (*thống nhất điểm*): from the reviewers' points to a proposed final score.

Input is points, not raw inputs: for each school and leaf, the school's self-assessed points
and each reviewer's points (the application computes a reviewer's points with the engine from
the inputs the reviewer confirmed or corrected). Per leaf, the campaign's policy proposes a
final score:

- `mean` (*trung bình cộng*): the mean of the reviewers' points;
- `median` (*trung vị*): the middle value (the mean of the two middle values for an even
  number of reviewers);
- `trimmed_mean` (*trung bình sau khi bỏ điểm cao nhất và thấp nhất*): drop one highest and
  one lowest score, mean of the rest; only with at least 5 reviewers, otherwise refused;
- `panel` (*hội đồng quyết định*): no automatic value; the leaf awaits the panel's decision.

A pass/fail or levels leaf is a judgement, not a measurement: whatever the policy (panel
included), it is reconciled by the **median level**, the lower of the two middle levels on an
even count (`judgement=True`, `is_judgement(leaf)`): pass, pass, fail → pass; pass, fail →
fail; Tốt, Khá, Khá, Đạt → Khá. Levels are ordered by their points, so the median level is
the lower median of the reviewers' points, and the final is always one of the points a
level gives (never 1,33 on a pass/fail leaf worth 2). The trimmed mean's minimum of 5
reviewers does not apply to it.

Means are exact (`decimals.quotient`: a plain Decimal when they terminate, else an `Exact`
that keeps the fraction and reads as its 20-decimal rounding).

A leaf is **flagged** (*chênh lệch*) when the self-assessment and the review differ, or the
reviewers differ from each other (highest − lowest), by more than `share` × the leaf's max.
"The review" is the proposed value; under the panel policy, which proposes none, the mean of
the reviewers stands in for it. A missing self-assessment counts as 0 points (what the
engine gives a missing input).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal, localcontext
from enum import StrEnum

from thidua.scoring.engine.decimals import ENGINE_CONTEXT, ONE, ZERO, approx_sign, quotient
from thidua.scoring.engine.errors import InputError, Problem
from thidua.scoring.engine.model import Framework, Leaf, Rule
from thidua.scoring.engine.points import SchoolPoints
from thidua.scoring.engine.rules import fmt

TRIMMED_MEAN_MIN_REVIEWERS = 5


class Policy(StrEnum):
    """The campaign's reconciliation policy."""

    MEAN = "mean"
    MEDIAN = "median"
    TRIMMED_MEAN = "trimmed_mean"
    PANEL = "panel"


# Rules whose points are a judgement (a level), reconciled by the median level whatever the policy.
JUDGEMENT_RULES = frozenset({Rule.PASS_FAIL, Rule.LEVELS})
MEDIAN_LEVEL_LABEL = "mức trung vị của người chấm (mức thấp hơn trong hai mức giữa khi số người chấm chẵn)"


def is_judgement(leaf: Leaf) -> bool:
    """Whether a leaf is reconciled by the median level (pass/fail and levels leaves)."""
    return leaf.rule in JUDGEMENT_RULES


POLICY_LABELS = {
    Policy.MEAN: "trung bình cộng của người chấm",
    Policy.MEDIAN: "trung vị của người chấm",
    Policy.TRIMMED_MEAN: "trung bình sau khi bỏ một điểm cao nhất và một điểm thấp nhất",
    Policy.PANEL: "hội đồng quyết định",
}


class ReconcileStatus(StrEnum):
    """Whether a leaf has a proposed final score."""

    PROPOSED = "proposed"  # the policy gave a value
    AWAITING_DECISION = "awaiting_decision"  # panel policy: the secretariat/panel decides
    NO_REVIEWS = "no_reviews"  # nobody scored it: the secretariat decides


class Discrepancy(StrEnum):
    """Why a leaf is flagged."""

    SELF_VS_REVIEW = "self_vs_review"
    REVIEWERS_DISAGREE = "reviewers_disagree"


class ReconciliationError(InputError):
    """The policy cannot be applied (a trimmed mean with fewer than 5 reviewers …)."""


@dataclass(frozen=True, slots=True)
class LeafScores:
    """One school's points on one leaf: its own (None if not self-assessed) and each reviewer's."""

    self_points: Decimal | None = None
    reviews: tuple[tuple[str, Decimal], ...] = ()

    @classmethod
    def of(cls, self_points: Decimal | None, reviews: Mapping[str, Decimal]) -> LeafScores:
        """From a mapping reviewer id → points (kept in the mapping's order)."""
        return cls(self_points, tuple(reviews.items()))

    @property
    def points(self) -> tuple[Decimal, ...]:
        """The reviewers' points."""
        return tuple(points for _, points in self.reviews)


@dataclass(frozen=True, slots=True)
class SchoolReview:
    """A school's self-assessed and reviewed points on every leaf it has scores for.

    `bonus` / `penalty` are its final bonus and penalty item points; they are not reviewed
    here and stay fixed in every analysis (self totals, bootstrap, sensitivity).
    """

    code: str
    leaves: Mapping[str, LeafScores] = field(default_factory=dict, hash=False)
    bonus: Mapping[str, Decimal] = field(default_factory=dict, hash=False)
    penalty: Mapping[str, Decimal] = field(default_factory=dict, hash=False)
    conditions: Mapping[str, bool] = field(default_factory=dict, hash=False)
    name: str = ""

    def reviewers(self) -> tuple[str, ...]:
        """Every reviewer of the school, in order of first appearance."""
        seen: dict[str, None] = {}
        for scores in self.leaves.values():
            for reviewer, _ in scores.reviews:
                seen.setdefault(reviewer, None)
        return tuple(seen)


@dataclass(frozen=True, slots=True)
class LeafReconciliation:
    """The reconciliation of one leaf of one school, with its discrepancy flags.

    `proposed` is None when the leaf awaits a decision (panel policy, or nobody scored it).
    `consensus` is the value the self-assessment is compared with (the proposal, or the mean
    of reviewers under the panel policy). `threshold` = share × max.
    """

    school: str
    leaf: str
    max_points: Decimal
    policy: Policy
    status: ReconcileStatus
    proposed: Decimal | None
    consensus: Decimal | None
    self_points: Decimal | None
    reviews: tuple[tuple[str, Decimal], ...]
    review_min: Decimal | None
    review_max: Decimal | None
    self_gap: Decimal | None  # self (0 if missing) − consensus
    threshold: Decimal
    flags: tuple[Discrepancy, ...]
    explanation: str = ""
    judgement: bool = False  # a pass/fail or levels leaf: `proposed` is the median level

    @property
    def rule_label(self) -> str:
        """How `proposed` was reached, in words: the policy, or the median level."""
        return MEDIAN_LEVEL_LABEL if self.judgement else POLICY_LABELS[self.policy]

    @property
    def flagged(self) -> bool:
        """Whether any discrepancy exceeds the threshold."""
        return bool(self.flags)

    @property
    def review_spread(self) -> Decimal | None:
        """Highest − lowest reviewer points (None without reviews)."""
        if self.review_min is None or self.review_max is None:
            return None
        return self.review_max - self.review_min


@dataclass(frozen=True, slots=True)
class SchoolReconciliation:
    """Every leaf of one school, in the framework's order."""

    code: str
    leaves: Mapping[str, LeafReconciliation] = field(hash=False)

    @property
    def flagged(self) -> tuple[LeafReconciliation, ...]:
        """The flagged leaves."""
        return tuple(leaf for leaf in self.leaves.values() if leaf.flagged)

    @property
    def awaiting(self) -> tuple[LeafReconciliation, ...]:
        """Leaves without a proposed value (they need a decision)."""
        return tuple(leaf for leaf in self.leaves.values() if leaf.proposed is None)


@dataclass(frozen=True, slots=True)
class ClusterReconciliation:
    """The reconciliation of a cluster: schools in input order."""

    policy: Policy
    share: Decimal
    schools: tuple[SchoolReconciliation, ...]

    def school(self, code: str) -> SchoolReconciliation:
        """One school's reconciliation (KeyError if none)."""
        for school in self.schools:
            if school.code == code:
                return school
        raise KeyError(code)

    @property
    def flagged(self) -> tuple[LeafReconciliation, ...]:
        """Every flagged leaf of the cluster, school by school."""
        return tuple(leaf for school in self.schools for leaf in school.flagged)

    def final_points(
        self, decisions: Mapping[str, Mapping[str, Decimal]] | None = None
    ) -> dict[str, dict[str, Decimal]]:
        """school → leaf → final points: the proposals, replaced by `decisions` where given.

        Raises `ReconciliationError` listing every leaf that has neither a proposal nor a
        decision (panel policy, or nobody scored it).
        """
        decisions = decisions or {}
        final: dict[str, dict[str, Decimal]] = {}
        problems: list[Problem] = []
        for school in self.schools:
            decided = decisions.get(school.code, {})
            values: dict[str, Decimal] = {}
            for code, leaf in school.leaves.items():
                value = decided.get(code, leaf.proposed)
                if value is None:
                    problems.append(
                        Problem(
                            "awaiting_decision",
                            code,
                            "Chưa có điểm cuối cùng: cần quyết định của Thường trực Cụm/hội đồng.",
                            school=school.code,
                        )
                    )
                else:
                    values[code] = value
            final[school.code] = values
        if problems:
            raise ReconciliationError(problems)
        return final


def trimmed_mean_problem(count: int) -> str | None:
    """The refusal message of a trimmed mean over `count` reviewers, or None if allowed."""
    if count >= TRIMMED_MEAN_MIN_REVIEWERS:
        return None
    return (
        f"Trung bình sau khi bỏ điểm cao nhất và thấp nhất chỉ áp dụng khi có ít nhất "
        f"{TRIMMED_MEAN_MIN_REVIEWERS} người chấm; tiêu chí này có {count}."
    )


def reconcile_points(points: Sequence[Decimal], policy: Policy, *, judgement: bool = False) -> Decimal | None:
    """The proposed final score of one leaf from its reviewers' points.

    `judgement` (a pass/fail or levels leaf, `is_judgement`): the median level, the lower
    middle on an even count, whatever the policy. Otherwise None under the panel policy (no
    automatic value); None when there are no points. Raises `ReconciliationError` for a
    trimmed mean with fewer than 5 reviewers.
    """
    if not points:
        return None
    if judgement:
        return median_level(points)
    if policy is Policy.PANEL:
        return None
    with localcontext(ENGINE_CONTEXT):
        if policy is Policy.MEAN:
            return _mean(points)
        ordered = sorted(points)
        if policy is Policy.MEDIAN:
            middle = len(ordered) // 2
            if len(ordered) % 2:
                return ordered[middle]
            return quotient(ordered[middle - 1] + ordered[middle], Decimal(2))
        problem = trimmed_mean_problem(len(ordered))
        if problem is not None:
            raise ReconciliationError([Problem("trimmed_mean_too_few", "", problem)])
        return _mean(ordered[1:-1])


def median_level(points: Sequence[Decimal]) -> Decimal:
    """The points of the median level: the middle one, the lower middle on an even count."""
    ordered = sorted(points)
    return ordered[(len(ordered) - 1) // 2]


def _mean(points: Sequence[Decimal]) -> Decimal:
    total = sum(points, ZERO)
    return total if len(points) == 1 else quotient(total, Decimal(len(points)))


def reconcile_leaf(
    school: str,
    leaf: str,
    max_points: Decimal,
    scores: LeafScores,
    policy: Policy,
    share: Decimal,
    *,
    judgement: bool = False,
    explain: bool = True,
) -> LeafReconciliation:
    """Reconcile one leaf of one school and flag its discrepancies (see the module doc).

    `judgement`: a pass/fail or levels leaf (`is_judgement(leaf)`), reconciled by the median
    level whatever the policy; its `judgement` field says so.
    """
    _check_share(share)
    with localcontext(ENGINE_CONTEXT):
        points = scores.points
        try:
            proposed = reconcile_points(points, policy, judgement=judgement)
        except ReconciliationError as error:
            raise ReconciliationError(
                [Problem(p.code, leaf, p.message, p.severity, school) for p in error.problems]
            ) from None
        if not points:
            status = ReconcileStatus.NO_REVIEWS
        elif proposed is None:
            status = ReconcileStatus.AWAITING_DECISION
        else:
            status = ReconcileStatus.PROPOSED
        consensus = proposed if proposed is not None or not points else _mean(points)
        threshold = share * max_points
        low = min(points) if points else None
        high = max(points) if points else None
        flags: list[Discrepancy] = []
        gap: Decimal | None = None
        own = scores.self_points if scores.self_points is not None else ZERO
        if consensus is not None:
            gap = own - consensus
            if abs(gap) > threshold:
                flags.append(Discrepancy.SELF_VS_REVIEW)
        if low is not None and high is not None and high - low > threshold:
            flags.append(Discrepancy.REVIEWERS_DISAGREE)
        result = LeafReconciliation(
            school=school,
            leaf=leaf,
            max_points=max_points,
            policy=policy,
            status=status,
            proposed=proposed,
            consensus=consensus,
            self_points=scores.self_points,
            reviews=scores.reviews,
            review_min=low,
            review_max=high,
            self_gap=gap,
            threshold=threshold,
            flags=tuple(flags),
            judgement=judgement,
        )
        if not explain:
            return result
        return _with_text(result, share)


def _with_text(result: LeafReconciliation, share: Decimal) -> LeafReconciliation:
    points = [points for _, points in result.reviews]
    parts: list[str] = []
    if result.status is ReconcileStatus.NO_REVIEWS:
        parts.append("Chưa có điểm của người chấm nào; cần Thường trực Cụm quyết định")
    elif result.judgement:
        proposed = result.proposed if result.proposed is not None else ZERO
        listed = "; ".join(fmt(value) for value in points)
        parts.append(f"{MEDIAN_LEVEL_LABEL.capitalize()} ({listed}) → {fmt(proposed)} điểm")
    elif result.policy is Policy.PANEL:
        parts.append(
            f"Hội đồng quyết định: chưa có điểm đề xuất tự động (trung bình {len(points)} người chấm "
            f"{fmt(result.consensus or ZERO)} chỉ để đối chiếu)"
        )
    else:
        proposed = result.proposed if result.proposed is not None else ZERO
        listed = "; ".join(fmt(value) for value in points)
        parts.append(
            f"{POLICY_LABELS[result.policy].capitalize()} ({listed}) {approx_sign(proposed)} {fmt(proposed)} điểm"
        )
    shown_share = fmt(share * 100)
    if Discrepancy.SELF_VS_REVIEW in result.flags:
        own = "chưa tự chấm (0)" if result.self_points is None else fmt(result.self_points)
        parts.append(
            f"chênh lệch: tự chấm {own} so với thẩm định {fmt(result.consensus or ZERO)} lệch "
            f"{fmt(abs(result.self_gap or ZERO))} điểm, vượt ngưỡng {shown_share} % × {fmt(result.max_points)} = "
            f"{fmt(result.threshold)} điểm"
        )
    if Discrepancy.REVIEWERS_DISAGREE in result.flags:
        parts.append(
            f"người chấm lệch nhau {fmt(result.review_spread or ZERO)} điểm (cao nhất "
            f"{fmt(result.review_max or ZERO)}, thấp nhất {fmt(result.review_min or ZERO)}), vượt ngưỡng "
            f"{fmt(result.threshold)} điểm"
        )
    return replace(result, explanation="; ".join(parts))


def _check_share(share: Decimal) -> None:
    if not isinstance(share, Decimal) or not share.is_finite() or share < 0 or share > ONE:
        raise ReconciliationError(
            [Problem("bad_share", "", f"Ngưỡng chênh lệch phải là một tỷ lệ trong [0; 1], nhận {share!r}.")]
        )


def check_reviews(framework: Framework, schools: Sequence[SchoolReview]) -> list[Problem]:
    """Problems of review data: unknown or duplicate codes, a reviewer twice on one leaf, bad points."""
    problems: list[Problem] = []
    leaf_codes = {leaf.code for leaf in framework.leaves()}
    bonus_codes = {item.code for item in framework.bonus}
    penalty_codes = {item.code for item in framework.penalty}
    for code, count in Counter(school.code for school in schools).items():
        if not code.strip():
            problems.append(Problem("school_code_empty", "", "Có trường chưa có mã."))
        elif count > 1:
            problems.append(Problem("duplicate_school", "", f"Mã trường {code} xuất hiện {count} lần.", school=code))
    for school in schools:
        for code, scores in school.leaves.items():
            if code not in leaf_codes:
                problems.append(
                    Problem(
                        "unknown_leaf", code, f"Không có tiêu chí mã {code} trong bảng tiêu chí.", school=school.code
                    )
                )
                continue
            values = [("self", scores.self_points)] if scores.self_points is not None else []
            values += list(scores.reviews)
            for who, value in values:
                if not isinstance(value, Decimal) or not value.is_finite() or value < 0:
                    problems.append(
                        Problem(
                            "bad_points",
                            code,
                            f"Điểm của {'trường tự chấm' if who == 'self' else who} phải là số không âm, "
                            f"nhận {value!r}.",
                            school=school.code,
                        )
                    )
            for reviewer, count in Counter(reviewer for reviewer, _ in scores.reviews).items():
                if count > 1:
                    problems.append(
                        Problem(
                            "duplicate_reviewer",
                            code,
                            f"Người chấm {reviewer} có {count} điểm cho cùng một tiêu chí.",
                            school=school.code,
                        )
                    )
        for part, codes, noun in (
            ("bonus", bonus_codes, "mục điểm thưởng"),
            ("penalty", penalty_codes, "mục điểm trừ"),
        ):
            for code, value in getattr(school, part).items():
                if code not in codes:
                    problems.append(
                        Problem(f"unknown_{part}_item", code, f"Không có {noun} mã {code}.", school=school.code)
                    )
                elif not isinstance(value, Decimal) or not value.is_finite() or value < 0:
                    problems.append(
                        Problem("bad_points", code, f"Điểm phải là số không âm, nhận {value!r}.", school=school.code)
                    )
    return problems


def reconcile_cluster(
    framework: Framework,
    schools: Sequence[SchoolReview],
    policy: Policy,
    share: Decimal,
    *,
    explain: bool = True,
) -> ClusterReconciliation:
    """Reconcile every leaf of every school (framework order) and flag discrepancies.

    Raises `InputError` for bad review data and `ReconciliationError` listing every leaf
    where the policy cannot be applied (a trimmed mean with fewer than 5 reviewers).
    """
    _check_share(share)
    problems = check_reviews(framework, schools)
    if problems:
        raise InputError(problems)
    leaves = [(leaf.code, leaf.max_points, is_judgement(leaf)) for leaf in framework.leaves()]
    refused: list[Problem] = []
    results: list[SchoolReconciliation] = []
    empty = LeafScores()
    for school in schools:
        done: dict[str, LeafReconciliation] = {}
        for code, top, judgement in leaves:
            try:
                done[code] = reconcile_leaf(
                    school.code,
                    code,
                    top,
                    school.leaves.get(code, empty),
                    policy,
                    share,
                    judgement=judgement,
                    explain=explain,
                )
            except ReconciliationError as error:
                refused.extend(error.problems)
        results.append(SchoolReconciliation(school.code, done))
    if refused:
        raise ReconciliationError(refused)
    return ClusterReconciliation(policy, share, tuple(results))


def final_school_points(
    schools: Sequence[SchoolReview], final: Mapping[str, Mapping[str, Decimal]]
) -> tuple[SchoolPoints, ...]:
    """`SchoolPoints` for `compute_from_points`: the final leaf points plus the schools' bonus,
    penalty and conditions."""
    return tuple(
        SchoolPoints(
            code=school.code,
            leaves=dict(final.get(school.code, {})),
            bonus=school.bonus,
            penalty=school.penalty,
            conditions=school.conditions,
            name=school.name,
        )
        for school in schools
    )
