"""`yicai check --deploy` with production settings prints no warnings; development secrets
are refused."""

import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.own_database  # `check --deploy` opens no database

PRODUCTION = {
    "YICAI_DEBUG": "0",
    "SECRET_KEY": "x" * 20 + "production-secret-key-of-enough-length-and-entropy-9f8e7d6c",
    "YICAI_FIELD_KEY": "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
    "YICAI_AUDIT_KEY": "YXVkaXQtY2hhaW4ta2V5LTMyLWJ5dGVzLWxvbmcuLi4=",
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


@pytest.mark.parametrize(
    ("missing", "error"),
    [
        ("SECRET_KEY", "yicai.E001"),
        ("YICAI_FIELD_KEY", "yicai.E002"),
        ("YICAI_AUDIT_KEY", "yicai.E010"),
    ],
)
def test_the_deploy_check_refuses_development_secrets(missing, error):
    env = dict(PRODUCTION)
    env[missing] = ""
    result = _check(env)
    assert result.returncode != 0
    assert error in result.stderr + result.stdout


KEYS = {"YICAI_FIELD_KEY": "FIELD_ENCRYPTION_KEY", "YICAI_AUDIT_KEY": "AUDIT_KEY"}


@pytest.mark.parametrize("name", list(KEYS))
@pytest.mark.parametrize(
    ("value", "why"),
    [
        ("YWJj", "3 bytes"),
        ("not base64 at all!", "not base64"),
        ("MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY", "padding missing"),
        ("MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWZ4eHg=", "35 bytes"),
    ],
)
def test_a_key_that_cannot_work_is_refused(settings, name, value, why):
    from yicai.access.checks import check_keys

    settings.FIELD_ENCRYPTION_KEY = PRODUCTION["YICAI_FIELD_KEY"]
    settings.AUDIT_KEY = PRODUCTION["YICAI_AUDIT_KEY"]
    assert check_keys(None) == []
    setattr(settings, KEYS[name], value)
    assert [error.msg for error in check_keys(None)] == [
        f"{name} is not 32 bytes of valid base64."
    ], why


def test_the_deploy_check_refuses_a_field_key_of_3_bytes():
    result = _check({**PRODUCTION, "YICAI_FIELD_KEY": "YWJj"})
    assert result.returncode != 0
    assert "YICAI_FIELD_KEY is not 32 bytes of valid base64" in result.stderr + result.stdout


def test_the_deploy_check_refuses_one_key_for_identities_and_the_audit_chain():
    result = _check({**PRODUCTION, "YICAI_AUDIT_KEY": PRODUCTION["YICAI_FIELD_KEY"]})
    assert result.returncode != 0
    assert "YICAI_AUDIT_KEY equals YICAI_FIELD_KEY" in result.stderr + result.stdout
