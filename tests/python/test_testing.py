"""ucare.testing runs the emulator program (the ucare-emulator wheel): found where pip put
it, refused with a clear error when missing or misconfigured, and never left running."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.parse

import pytest

import ucare
from ucare.testing import Emulator, EmulatorNotFoundError, emulator_binary


def serving(base_url: str) -> bool:
    address = urllib.parse.urlsplit(base_url)
    try:
        with socket.create_connection((address.hostname, address.port), timeout=1):
            return True
    except OSError:
        return False


def test_a_missing_program_is_named_with_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("UCARE_EMULATOR", "/nonexistent/ucare-emulator")
    with pytest.raises(EmulatorNotFoundError, match="UCARE_EMULATOR"):
        Emulator()
    monkeypatch.delenv("UCARE_EMULATOR")
    monkeypatch.setenv("PATH", "")
    monkeypatch.setattr("sysconfig.get_path", lambda name: "/nonexistent")
    monkeypatch.setattr("sys.executable", "/nonexistent/python")
    with pytest.raises(EmulatorNotFoundError, match=r'pip install "ucare\[testing\]"'):
        emulator_binary()


def test_bad_options_are_invalid_input_before_or_from_the_program() -> None:
    with pytest.raises(ucare.InvalidInputError, match="fault-rate"):
        Emulator(fault_rate=2.0)
    with pytest.raises(ucare.InvalidInputError, match="conversion_delay"):
        Emulator(conversion_delay=float("nan"))
    with pytest.raises(ucare.InvalidInputError, match="faults"):
        Emulator(faults=["boom"])


def test_a_program_that_never_says_it_listens_is_stopped_after_start_timeout(monkeypatch: pytest.MonkeyPatch,
                                                                                tmp_path: "os.PathLike[str]") -> None:
    silent = os.path.join(tmp_path, "silent-emulator")
    with open(silent, "w") as script:
        script.write("#!/bin/sh\necho 'starting' >&2\nexec sleep 600\n")
    os.chmod(silent, 0o755)
    monkeypatch.setenv("UCARE_EMULATOR", silent)
    started = time.monotonic()
    with pytest.raises(ucare.InvalidInputError, match="said nothing in 0.5 s"):
        Emulator(start_timeout=0.5)
    assert time.monotonic() - started < 10
    for bad in (0, -1, float("nan"), 1e300, True, "5"):
        with pytest.raises(ucare.InvalidInputError, match="start_timeout"):
            Emulator(start_timeout=bad)  # type: ignore[arg-type]


def test_the_secret_is_not_on_the_command_line() -> None:
    with Emulator(secret_key="not-on-the-command-line") as emu:
        args = emu._process.args  # type: ignore[attr-defined]
        assert not any("not-on-the-command-line" in str(a) for a in args)
        assert emu.client().project().name == "demo"


def test_stop_ends_the_program_and_a_stopped_emulator_says_so() -> None:
    emu = Emulator()
    assert serving(emu.base_url)
    emu.stop()
    assert not serving(emu.base_url)
    with pytest.raises(ucare.InvalidInputError, match="stopped"):
        emu.upload("a.txt", b"a")
    emu.stop()  # twice is fine


def test_a_killed_test_process_leaves_no_emulator_behind() -> None:
    script = "from ucare.testing import Emulator; import os, signal, sys; e = Emulator(); print(e.base_url, flush=True); os.kill(os.getpid(), signal.SIGKILL)"
    child = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, env=os.environ)
    assert child.returncode == -9, child.stderr
    base_url = child.stdout.strip()
    deadline = time.monotonic() + 10
    while serving(base_url):
        assert time.monotonic() < deadline, "the emulator outlived the process that started it"
        time.sleep(0.05)
