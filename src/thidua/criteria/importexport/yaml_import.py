"""Reading a YAML (or JSON) file into a reference document, and finding the line of a document
path in it so that problems name their line."""

from __future__ import annotations

import re

import yaml
from django.utils.translation import gettext as _

from thidua.criteria.importexport.problems import ImportProblem, Parsed

_PATH_TOKEN = re.compile(r"\[(\d+)\]|\.?([^.\[\]]+)")


def read_yaml(data: bytes) -> Parsed:
    """A YAML (or JSON) file as a document; problems name the line."""
    parsed = Parsed(document=None)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        parsed.problems.append(ImportProblem(None, None, None, _("Tệp không phải là YAML (UTF-8) hay Excel (.xlsx).")))
        return parsed
    try:
        alias = _first_alias(text)
        if alias is not None:
            # An alias repeats a subtree; nested aliases expand exponentially (billion laughs),
            # so they are refused before anything is built. The reference format needs none.
            parsed.problems.append(
                ImportProblem(
                    None,
                    alias.start_mark.line + 1 if alias.start_mark is not None else None,
                    None,
                    _("YAML không được dùng bí danh (*tên): hãy viết giá trị đầy đủ."),
                )
            )
            return parsed
        parsed.document = yaml.safe_load(text)
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        reason = getattr(exc, "problem", None) or str(exc)
        where = _(" (cột %(c)s)") % {"c": mark.column + 1} if mark is not None else ""
        parsed.problems.append(
            ImportProblem(
                None,
                mark.line + 1 if mark is not None else None,
                None,
                _("YAML không đọc được%(where)s: %(reason)s.") % {"where": where, "reason": reason},
            )
        )
        return parsed
    if parsed.document is None:
        parsed.problems.append(ImportProblem(None, None, None, _("Tệp trống.")))
        return parsed
    parsed.yaml_root = root
    return parsed


def _first_alias(text: str) -> yaml.AliasEvent | None:
    """The first alias event of the text, read as a stream of events (nothing is expanded)."""
    return next(
        (event for event in yaml.parse(text, Loader=yaml.SafeLoader) if isinstance(event, yaml.AliasEvent)), None
    )


def yaml_line(root: yaml.Node, path: str) -> int:
    """The line (from 1) of a document path in the composed YAML, or of its deepest part found."""
    node = root
    for index, key in _PATH_TOKEN.findall(path):
        child = None
        if index and isinstance(node, yaml.SequenceNode) and int(index) < len(node.value):
            child = node.value[int(index)]
        elif key and isinstance(node, yaml.MappingNode):
            child = next((v for k, v in node.value if getattr(k, "value", None) == key), None)
        if child is None:
            break
        node = child
    return node.start_mark.line + 1
