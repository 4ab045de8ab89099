"""`yicai check --deploy` with production settings prints no warnings; development secrets
are refused."""

import os
import subprocess
import sys

import pytest

PRODUCTION = {
    "YICAI_DEBUG": "0",
    "SECRET_KEY": "x" * 20 + "production-secret-key-of-enough-length-and-entropy-9f8e7d6c",
    "YICAI_FIELD_KEY": "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
    "ALLOWED_HOSTS": "yicai.example.org",
}


def _check(env_overrides: dict) -> subprocess.CompletedProcess:
    env = {**os.environ, **env_overrides}
    return subprocess.run(
        [sys.executable, "-m", "yicai", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_settings_pass_the_deploy_check_without_warnings():
    result = _check(PRODUCTION)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "WARNING" not in result.stderr + result.stdout


@pytest.mark.parametrize("missing", ["SECRET_KEY", "YICAI_FIELD_KEY"])
def test_the_deploy_check_refuses_development_secrets(missing):
    env = dict(PRODUCTION)
    env[missing] = ""
    result = _check(env)
    assert result.returncode != 0
    assert "yicai.E00" in result.stderr + result.stdout
