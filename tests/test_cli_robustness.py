"""An operator who skips a step gets one line saying what to run, never a traceback or a server
that answers every page with a bare 500."""

import subprocess

import pytest

from tests.test_cli_and_server import MOTCUA, _env, _free_port

MIGRATE_FIRST = "Cơ sở dữ liệu chưa được khởi tạo hoặc cập nhật: hãy chạy `motcua migrate`."


def _motcua(env, *args, timeout=120):
    return subprocess.run(
        [*MOTCUA, *args], env=env, capture_output=True, text=True, timeout=timeout
    )


@pytest.mark.parametrize(
    "command",
    [
        ["seed-demo"],
        ["audit-verify"],
        ["create-token", "--user", "quantri"],
        ["run-worker", "--once"],
    ],
)
def test_a_command_on_a_database_never_migrated_says_to_migrate(tmp_path, command):
    done = _motcua(_env(tmp_path), *command)

    assert done.returncode == 1
    assert done.stderr.strip() == MIGRATE_FIRST
    assert "Traceback" not in done.stdout + done.stderr


def test_serve_refuses_to_start_on_a_database_never_migrated(tmp_path):
    done = _motcua(_env(tmp_path), "serve", "--port", str(_free_port()), timeout=60)

    assert done.returncode != 0
    assert done.stderr.strip().splitlines() == [f"CommandError: {MIGRATE_FIRST}"]


def test_serve_refuses_to_start_until_the_static_files_are_collected_and_current(tmp_path):
    env = _env(tmp_path)
    assert _motcua(env, "migrate", "--no-input", "-v", "0").returncode == 0

    done = _motcua(env, "serve", "--port", str(_free_port()), timeout=60)

    assert done.returncode != 0
    assert done.stderr.strip().splitlines() == [
        "CommandError: Tệp tĩnh (CSS, JavaScript) chưa được thu thập hoặc đã cũ: "
        "hãy chạy `motcua collectstatic --no-input` rồi chạy lại lệnh này."
    ]
    assert "serving at" not in done.stdout

    # Collected by an older version, which had no motcua/app.css yet: refused too.
    manifest = tmp_path / "static" / "staticfiles.json"
    manifest.parent.mkdir()
    manifest.write_text('{"version": "1.1", "hash": "", "paths": {"motcua/old.css": "x.css"}}')

    done = _motcua(env, "serve", "--port", str(_free_port()), timeout=60)

    assert done.returncode != 0
    assert "motcua collectstatic --no-input" in done.stderr
