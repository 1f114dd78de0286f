"""Import and export of criteria frameworks (nhập / xuất bảng tiêu chí).

Two formats, both described for users in ``docs/criteria-formats.md``:

- **YAML** in the reference format (the built-in template's): exported canonically, so export
  → import → export gives the same document;
- **XLSX** for emulation officers who edit in Excel: a sheet "Khung" (name, total, caps), a
  sheet "Tieu chi" (one row per group or criterion, its parent's code in a column), sheets
  "Diem thuong", "Diem tru", "Dieu kien". Each sheet has a row of Vietnamese labels and,
  under it, the machine-readable header row of reference-format keys that the import reads.

An import builds a reference document, has the engine read it, and saves through
``services.create_from_document`` (audited). A bad file saves nothing and raises
``ImportProblems`` listing every problem with its sheet, row and column (for YAML: its line
and path in the document).

The package's modules, by area (every public name is importable from the package itself):

- ``problems``: ``ImportProblem``, ``ImportProblems`` and the ``Parsed`` record of a file read;
- ``yaml_export``: the canonical document, YAML export, download file names;
- ``xlsx_layout``: the sheets and columns of the workbook, choices and their aliases;
- ``xlsx_export``: the workbook written;
- ``xlsx_cells``: one cell read as a reference-format value;
- ``xlsx_import``: a workbook read into a document;
- ``yaml_import``: a YAML file read into a document, a path's line;
- ``importing``: reading any file, checking it, and importing it.
"""

from __future__ import annotations

from thidua.criteria.importexport.importing import (
    MAX_IMPORT_BYTES,
    check,
    import_file,
    locate,
    read_file,
    too_large,
)
from thidua.criteria.importexport.problems import ImportProblem, ImportProblems, Parsed, Where
from thidua.criteria.importexport.xlsx_cells import CellError, read_cell, read_number
from thidua.criteria.importexport.xlsx_export import (
    HEADER_FILL,
    HEADER_FONT,
    KEY_FONT,
    XLSX_MEDIA_TYPE,
    export_xlsx,
)
from thidua.criteria.importexport.xlsx_import import MAX_ROWS, read_xlsx
from thidua.criteria.importexport.xlsx_layout import (
    ALIASES,
    BONUS_SHEET,
    CHOICES,
    COLUMN_KEYS,
    CONDITION_SHEET,
    EXTRA,
    FALSE_WORDS,
    FRAMEWORK_ROWS,
    FRAMEWORK_SHEET,
    GROUP_COLUMNS,
    HELP_LINES,
    HELP_SHEET,
    ITEM_RULES,
    NODE_SHEET,
    PENALTY_SHEET,
    REQUIRED_SHEETS,
    SHEETS,
    TRUE_WORDS,
    Column,
    SheetLayout,
)
from thidua.criteria.importexport.yaml_export import (
    YAML_MEDIA_TYPE,
    canonical_document,
    export_yaml,
    filename_for,
)
from thidua.criteria.importexport.yaml_import import read_yaml, yaml_line

__all__ = [
    "ALIASES",
    "BONUS_SHEET",
    "CHOICES",
    "COLUMN_KEYS",
    "CONDITION_SHEET",
    "EXTRA",
    "FALSE_WORDS",
    "FRAMEWORK_ROWS",
    "FRAMEWORK_SHEET",
    "GROUP_COLUMNS",
    "HEADER_FILL",
    "HEADER_FONT",
    "HELP_LINES",
    "HELP_SHEET",
    "ITEM_RULES",
    "KEY_FONT",
    "MAX_IMPORT_BYTES",
    "MAX_ROWS",
    "NODE_SHEET",
    "PENALTY_SHEET",
    "REQUIRED_SHEETS",
    "SHEETS",
    "TRUE_WORDS",
    "XLSX_MEDIA_TYPE",
    "YAML_MEDIA_TYPE",
    "CellError",
    "Column",
    "ImportProblem",
    "ImportProblems",
    "Parsed",
    "SheetLayout",
    "Where",
    "canonical_document",
    "check",
    "export_xlsx",
    "export_yaml",
    "filename_for",
    "import_file",
    "locate",
    "read_cell",
    "read_file",
    "read_number",
    "read_xlsx",
    "read_yaml",
    "too_large",
    "yaml_line",
]
