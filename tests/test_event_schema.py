"""The event schema: one definition of the row, its columns and their types."""

from dataclasses import fields

from frontline.event_schema import (
    BOOL_COLUMNS,
    COLUMN_DEFAULTS,
    EVENT_COLUMNS,
    FLOAT_COLUMNS,
    INT_COLUMNS,
    STR_COLUMNS,
    Event,
)


def test_columns_are_the_fields_once_each():
    assert sorted(EVENT_COLUMNS) == sorted(f.name for f in fields(Event))
    assert len(set(EVENT_COLUMNS)) == len(EVENT_COLUMNS)


def test_every_column_has_exactly_one_type():
    typed = [*INT_COLUMNS, *FLOAT_COLUMNS, *BOOL_COLUMNS, *STR_COLUMNS]
    assert sorted(typed) == sorted(EVENT_COLUMNS)
    annotations = {f.name: f.type for f in fields(Event)}
    for col in INT_COLUMNS:
        assert annotations[col] == "int", col
    for col in FLOAT_COLUMNS:
        assert annotations[col] == "float", col
    for col in BOOL_COLUMNS:
        assert annotations[col] == "bool", col
    for col in STR_COLUMNS:
        assert annotations[col] == "str", col


def test_columns_added_later_have_defaults_and_acled_sits_beside_ours():
    names = {f.name: f for f in fields(Event)}
    for col, default in COLUMN_DEFAULTS.items():
        assert names[col].default == default
    i = EVENT_COLUMNS.index("sub_event_type")
    assert EVENT_COLUMNS[i + 1 : i + 3] == ("acled_event_type", "acled_sub_event_type")


def test_schema_imports_no_other_frontline_module():
    import ast
    import inspect

    import frontline.event_schema as schema

    tree = ast.parse(inspect.getsource(schema))
    relative = [n for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.level]
    assert relative == []
