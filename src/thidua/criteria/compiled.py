"""A stored framework compiled once for the engine (bảng tiêu chí đã biên dịch): the engine's
``Framework``, each entry node's rule by code, and the node ids by code.

Every consumer (the live self-assessment score, the review, reconciliation, results) reads
the framework through ``compile_framework`` instead of converting database → document →
engine on each request.

The cache (documented choice): in-process, keyed on (framework id, version), and only for a
framework that is no longer a draft. A published or archived framework is immutable (its
nodes cannot be edited and every status change bumps its version), so its compiled form can
never be stale. A draft is compiled afresh on every call: it is the one that is edited, and
not every write to a draft's nodes goes through the services that bump its version.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from thidua.criteria.convert import to_engine
from thidua.criteria.entries import EntryRule, rule_of
from thidua.criteria.models import CriterionNode, Framework, FrameworkStatus, NodeKind
from thidua.scoring.engine import Framework as EngineFramework

CACHE_SIZE = 64  # frameworks; a cluster-year has one, a server holds a few years' worth


@dataclass(frozen=True)
class CompiledFramework:
    """The engine's reading of one stored framework (read-only: it may be shared)."""

    framework: EngineFramework
    rules: Mapping[str, EntryRule]  # entry code (leaf, bonus, penalty, condition) → its rule
    node_ids: Mapping[str, int]  # every node's code → its id


_cache: dict[tuple[int, int], CompiledFramework] = {}
_lock = threading.Lock()


def cache_key(framework: Framework) -> tuple[int, int] | None:
    """The key the compiled framework is cached under, or None if it is not cached (a draft)."""
    if framework.pk is None or framework.status == FrameworkStatus.DRAFT:
        return None
    return (framework.pk, framework.version)


def compile_framework(framework: Framework, nodes: Iterable[CriterionNode] | None = None) -> CompiledFramework:
    """The compiled framework; ``nodes`` when the caller has them loaded (read otherwise, and
    only when not cached). Raises the engine's ``EngineError`` if the framework is malformed
    (a published one never is)."""
    key = cache_key(framework)
    if key is not None:
        found = _cache.get(key)
        if found is not None:
            return found
    compiled = _compile(framework, list(nodes) if nodes is not None else list(framework.nodes.all()))
    if key is not None:
        with _lock:
            while len(_cache) >= CACHE_SIZE:
                del _cache[next(iter(_cache))]
            _cache[key] = compiled
    return compiled


def clear_cache() -> None:
    """Forget every compiled framework (tests, where rolled-back ids are reused)."""
    with _lock:
        _cache.clear()


def _compile(framework: Framework, rows: list[CriterionNode]) -> CompiledFramework:
    engine = to_engine(framework, rows)
    kinds = {node.code: node.kind for node in rows}
    rules: dict[str, EntryRule] = {}
    for leaf in engine.leaves():
        rules[leaf.code] = rule_of(NodeKind.LEAF, leaf)
    for item in engine.bonus:
        rules[item.code] = rule_of(NodeKind.BONUS, item)
    for item in engine.penalty:
        rules[item.code] = rule_of(NodeKind.PENALTY, item)
    for condition in engine.conditions:
        rules[condition.code] = rule_of(NodeKind.CONDITION, condition)
    for code, rule in rules.items():
        if kinds.get(code) != rule.kind:  # pragma: no cover -- the conversion keeps kinds
            raise AssertionError(code)
    return CompiledFramework(
        framework=engine,
        rules=MappingProxyType(rules),
        node_ids=MappingProxyType({node.code: node.pk for node in rows}),
    )
