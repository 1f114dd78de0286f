"""Forms of the criteria editor: a framework's settings, its nodes (with parameter fields that
fit each scoring rule), cloning, archiving and "Try it" (thử chấm).

The node form turns what an officer types into ``params`` in the keys of the reference YAML
format (numbers as ints or strings, levels as ``{name: points}``, tiers as
``[[threshold, points], ...]``); keys it does not manage (``source``, imported extras) are
kept unchanged.

The package's modules, by area (every public name is importable from the package itself):

- ``fields``: numbers typed the Vietnamese way, ``NumberField``, ``style_fields``;
- ``frameworks``: a framework's settings, cloning, archiving, the clusters a user may edit;
- ``params``: the choices and labels of a node's parameters, the keys the node form manages;
- ``nodes``: the node form and the move form;
- ``tryit``: the "Try it" forms (a leaf; a bonus or penalty item);
- ``transfer``: the import form.
"""

from __future__ import annotations

from thidua.criteria.forms.fields import NumberField, number_input, param_number, parse_number, style_fields
from thidua.criteria.forms.frameworks import ArchiveForm, CloneForm, FrameworkForm, editable_clusters
from thidua.criteria.forms.nodes import MoveForm, NodeForm
from thidua.criteria.forms.params import (
    DIRECTION_CHOICES,
    ITEM_KINDS,
    ITEM_RULE_CHOICES,
    MANAGED_KEYS,
    MIN_ROWS,
    SIZE_LABELS,
    item_rule_of,
    size_label,
    size_measure_choices,
)
from thidua.criteria.forms.transfer import ImportForm
from thidua.criteria.forms.tryit import OTHER_ROWS, PASSED_CHOICES, TryForm, TryItemForm

__all__ = [
    "DIRECTION_CHOICES",
    "ITEM_KINDS",
    "ITEM_RULE_CHOICES",
    "MANAGED_KEYS",
    "MIN_ROWS",
    "OTHER_ROWS",
    "PASSED_CHOICES",
    "SIZE_LABELS",
    "ArchiveForm",
    "CloneForm",
    "FrameworkForm",
    "ImportForm",
    "MoveForm",
    "NodeForm",
    "NumberField",
    "TryForm",
    "TryItemForm",
    "editable_clusters",
    "item_rule_of",
    "number_input",
    "param_number",
    "parse_number",
    "size_label",
    "size_measure_choices",
    "style_fields",
]
