"""The Python models against the Rust ones: every field the Rust model has (read from the
JSON Schemas the core derives from its definitions) exists in the Python model under the same
name with the same kind, apart from the deliberate differences in tests/parity.json; `extra`
exists exactly where the Rust model keeps unknown fields."""

from __future__ import annotations

import dataclasses
import json
import pathlib
import typing
from datetime import datetime
from typing import Any, Dict, List, Tuple, Union

import pytest

import ucare
from ucare import _native, models

ROOT = pathlib.Path(__file__).resolve().parents[2]
Kind = Tuple[str, bool]


def rust_kind(prop: Dict[str, Any], defs: Dict[str, Any]) -> Kind:
    """The kind of a JSON Schema property (``str``, ``int``, ``model:File``, ...) and whether it may be null."""
    if "$ref" in prop:
        name = prop["$ref"].split("/")[-1]
        target = defs[name]
        closed = "enum" in target or all("const" in o or o.get("type") == "string" for o in target.get("anyOf", target.get("oneOf", [{}])))
        return ("str", False) if closed and target.get("type") != "object" else (f"model:{name}", False)
    if "anyOf" in prop:
        options = [o for o in prop["anyOf"] if o.get("type") != "null"]
        kind, _ = rust_kind(options[0], defs) if len(options) == 1 else ("any", False)
        return kind, len(options) < len(prop["anyOf"])
    types = prop.get("type")
    optional = isinstance(types, list) and "null" in types
    base = [t for t in types if t != "null"][0] if isinstance(types, list) else types
    if base == "string":
        return ("datetime" if prop.get("format") == "date-time" else "str"), optional
    if base == "object":
        values = prop.get("additionalProperties")
        return ("dict[str]" if isinstance(values, dict) and values.get("type") == "string" else "dict"), optional
    return {"integer": "int", "number": "float", "boolean": "bool", "array": "list", None: "any"}[base], optional


def host_kind(tp: Any) -> Kind:
    """The same for a Python type hint."""
    if typing.get_origin(tp) is Union:
        options = [a for a in typing.get_args(tp) if a is not type(None)]
        kind, _ = host_kind(options[0]) if len(options) == 1 else ("any", False)
        return kind, len(options) < len(typing.get_args(tp))
    if typing.get_origin(tp) is typing.Literal:
        return "str", False
    if typing.get_origin(tp) in (dict, Dict):
        args = typing.get_args(tp)
        return ("dict[str]" if args == (str, str) else "dict"), False
    if typing.get_origin(tp) in (list, List):
        return "list", False
    if isinstance(tp, type) and issubclass(tp, (models._View, models._Model)):
        return f"model:{tp.__name__}", False
    return {str: "str", int: "int", float: "float", bool: "bool", datetime: "datetime"}.get(tp, "any"), False


def host_fields(cls: type) -> Dict[str, Kind]:
    """A Python model's fields and their kinds: dataclass fields, or the properties of a lazy view."""
    if dataclasses.is_dataclass(cls):
        hints = typing.get_type_hints(cls, vars(models))
        return {f.name: host_kind(hints[f.name]) for f in dataclasses.fields(cls)}
    found = {}
    for klass in reversed(cls.__mro__):
        for name, value in vars(klass).items():
            if isinstance(value, property) and not name.startswith("_"):
                found[name] = host_kind(typing.get_type_hints(value.fget, vars(models))["return"])
    return found


def same(rust: Kind, host: Kind) -> bool:
    return rust[0] == "any" or (rust == host)


def cases() -> List[Tuple[str, str, Dict[str, Any]]]:
    schemas = json.loads(_native.models_schema())
    return [(version, name, schema) for version, group in schemas.items() for name, schema in group.items()]


@pytest.mark.parametrize("version,name,schema", cases(), ids=lambda v: v if isinstance(v, str) else "")
def test_the_python_model_matches_the_rust_one(version: str, name: str, schema: Dict[str, Any]) -> None:
    flattened = json.loads((ROOT / "tests" / "parity.json").read_text())["flattened"]
    cls = getattr(ucare, name, None) or getattr(models, name)
    have = host_fields(cls)
    problems = []
    for field, prop in schema["properties"].items():
        mapped = flattened.get(f"{version}/{name}/{field}")
        expected = {k: (v[0], v[1]) for k, v in mapped.items() if k != "why"} if mapped else {field: rust_kind(prop, schema.get("$defs", {}))}
        for host_name, kind in expected.items():
            if host_name not in have:
                problems.append(f"{name}.{host_name} is missing (Rust {field}: {kind})")
            elif not same(kind, have[host_name]):
                problems.append(f"{name}.{host_name} is {have[host_name]}, Rust {field} is {kind}")
    keeps_unknown = schema.get("additionalProperties") is True
    if keeps_unknown != ("extra" in have):
        problems.append(f"{name}: Rust {'keeps' if keeps_unknown else 'drops'} unknown fields, Python {'has' if 'extra' in have else 'has no'} extra")
    assert problems == []


def test_the_checker_catches_a_wrong_model() -> None:
    """A model that drops a field, renames one or types one differently fails the comparison."""
    schema = json.loads(_native.models_schema())["shared"]["ImageInfo"]
    kinds = {f: rust_kind(p, {}) for f, p in schema["properties"].items()}
    assert kinds["width"] == ("int", True) and kinds["format"] == ("str", True)
    assert not same(kinds["width"], host_kind(str)) and not same(kinds["width"], host_kind(int))
    assert same(kinds["width"], host_kind(typing.Optional[int]))
