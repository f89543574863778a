"""The cross-language scenario: the same script of calls (tests/scenario: src/main.rs,
scenario.py, scenario.js) run in Rust, Python and Node, each against a fresh emulator, each
printing its results as canonical JSON; the three outputs must agree field by field. What
differs between runs by nature (UUIDs, timestamps, conversion tokens) is numbered in order of
appearance before comparing, so a value that is the same object in one run must be the same
object in the others."""

from __future__ import annotations

import json
import os
import pathlib
import re
import subprocess
import sys
from typing import Any, Dict, List, Tuple

import pytest

from ucare.testing import Emulator

ROOT = pathlib.Path(__file__).resolve().parents[2]
SCENARIO = ROOT / "tests" / "scenario"
RUST = ROOT / "target" / "debug" / "ucare-scenario"
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
DATETIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")

COMMANDS = {
    "rust": [str(RUST)],
    "python": [sys.executable, str(SCENARIO / "scenario.py")],
    "node": ["node", str(SCENARIO / "scenario.js")],
}


def run(language: str) -> List[Tuple[str, Any]]:
    with Emulator(conversion_delay=0.05) as emu:
        env = {**os.environ, "UPLOADCARE_PUBLIC_KEY": emu.public_key, "UPLOADCARE_SECRET_KEY": "demoprivatekey",
               "UPLOADCARE_API_BASE": emu.base_url, "UPLOADCARE_UPLOAD_BASE": emu.base_url}
        done = subprocess.run(COMMANDS[language], env=env, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, f"{language}: {done.stderr}"
    return [tuple(json.loads(line)) for line in done.stdout.splitlines() if line.strip()]  # type: ignore[misc]


def canonical(steps: List[Tuple[str, Any]]) -> List[Tuple[str, Any]]:
    """UUIDs, timestamps and tokens numbered by first appearance."""
    seen: Dict[str, str] = {}

    def name(kind: str, value: str) -> str:
        return seen.setdefault(f"{kind}:{value}", f"<{kind} {sum(k.startswith(kind) for k in seen) + 1}>")

    def walk(value: Any, key: str = "") -> Any:
        if isinstance(value, dict):
            return {k: walk(v, k) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v, key) for v in value]
        if key == "token" and isinstance(value, int):
            return name("token", str(value))
        if isinstance(value, str):
            if DATETIME.match(value):
                return "<datetime>"
            return UUID.sub(lambda m: name("uuid", m.group(0)), value)
        return value

    return [(step, walk(value)) for step, value in steps]


def differences(a: Any, b: Any, path: str) -> List[str]:
    if isinstance(a, dict) and isinstance(b, dict):
        out = [f"{path}.{k}: only in {'the first' if k in a else 'the second'}" for k in sorted(set(a) ^ set(b))]
        return out + [d for k in sorted(set(a) & set(b)) for d in differences(a[k], b[k], f"{path}.{k}")]
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return [d for i, (x, y) in enumerate(zip(a, b)) for d in differences(x, y, f"{path}[{i}]")]
    return [] if a == b else [f"{path}: {a!r} != {b!r}"]


@pytest.fixture(scope="module")
def outputs() -> Dict[str, List[Tuple[str, Any]]]:
    if not RUST.exists():
        pytest.fail(f"{RUST} is missing: `make test` builds it (cargo build -p ucare-scenario)")
    return {language: canonical(run(language)) for language in COMMANDS}


def test_the_scenario_covers_every_domain(outputs: Dict[str, List[Tuple[str, Any]]]) -> None:
    steps = [step for step, _ in outputs["rust"]]
    for needed in ("upload", "list", "info", "store", "store_many", "local_copy", "metadata_set", "group", "webhook", "convert_wait",
                   "document_info", "addon_wait", "info_appdata", "error"):
        assert needed in steps
    values = dict(outputs["rust"])
    assert values["addon_wait"]["status"] == "done" and values["convert_wait"]["status"] == "finished"


@pytest.mark.parametrize("language", ["python", "node"])
def test_each_language_agrees_with_rust_field_by_field(outputs: Dict[str, List[Tuple[str, Any]]], language: str) -> None:
    rust, other = outputs["rust"], outputs[language]
    assert [s for s, _ in other] == [s for s, _ in rust], f"{language} ran other steps"
    problems = [d for (step, a), (_, b) in zip(rust, other) for d in differences(a, b, step)]
    assert problems == [], f"{language} differs from rust"
