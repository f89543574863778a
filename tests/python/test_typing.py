"""The package's types hold under `mypy --strict`, for the package and for a typed user."""

from __future__ import annotations

import pathlib
import re
import subprocess
import sys
from typing import Literal

import pytest

import ucare

HERE = pathlib.Path(__file__).resolve().parent


def _mypy(*targets: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "mypy", "--strict", "--no-incremental", *targets], capture_output=True, text=True, cwd=HERE)


def test_typed_example_passes_mypy_strict() -> None:
    pytest.importorskip("mypy")
    result = _mypy(str(HERE / "typed_example.py"))
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_package_passes_mypy_strict() -> None:
    pytest.importorskip("mypy")
    result = _mypy("-p", "ucare")
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_typed_example_runs() -> None:
    result = subprocess.run([sys.executable, str(HERE / "typed_example.py")], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "404 Not found." in result.stdout


def test_every_public_name_has_a_docstring() -> None:
    for name in ucare.__all__:
        obj = getattr(ucare, name)
        if isinstance(obj, str) or getattr(obj, "__origin__", None) is Literal:
            continue  # a Literal alias cannot carry a docstring; models.py documents each one
        assert obj.__doc__, f"ucare.{name} has no docstring"
        for attr, value in vars(obj).items() if isinstance(obj, type) else []:
            if not attr.startswith("_") and callable(value):
                assert value.__doc__, f"ucare.{name}.{attr} has no docstring"


def test_mypy_rejects_every_typo_of_a_closed_set() -> None:
    pytest.importorskip("mypy")
    source = (HERE / "typed_mistakes.py").read_text().splitlines()
    expected = {number for number, line in enumerate(source, 1) if line.endswith("# error")}
    result = _mypy(str(HERE / "typed_mistakes.py"))
    reported = {int(m) for m in re.findall(r"typed_mistakes\.py:(\d+): error", result.stdout)}
    assert reported == expected, result.stdout
