"""The make targets a new user types: `make lab` starts JupyterLab (as root too) on PORT."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.request

import pytest

from tests.conftest import ROOT


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_make_lab_passes_port_flags_and_root():
    dry = subprocess.run(
        ["make", "-n", "lab", "PORT=9123", "LAB_ARGS=--ServerApp.ip=127.0.0.1"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    line = next(ln for ln in dry.splitlines() if "jupyter lab" in ln)
    assert "--port=9123" in line and "--ServerApp.ip=127.0.0.1" in line
    assert ("--allow-root" in line) == (os.geteuid() == 0)
    assert "http://127.0.0.1:9123/lab" in dry


@pytest.mark.notebooks
def test_make_lab_serves_on_the_port_it_prints():
    port = _free_port()
    token = "framing-test-token"
    proc = subprocess.Popen(
        ["make", "lab", f"PORT={port}", f"LAB_ARGS=--ServerApp.token={token}"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 90
        status = None
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                url = f"http://127.0.0.1:{port}/api/status?token={token}"
                with urllib.request.urlopen(url, timeout=2) as r:
                    status = r.status
                    break
            except OSError:
                time.sleep(0.5)
        assert proc.poll() is None, proc.stdout.read()[-2000:]
        assert status == 200
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            out, _ = proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            out, _ = proc.communicate()
    assert f"http://127.0.0.1:{port}/lab" in out
