import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def test_deploy_checks_pass_with_production_settings(tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("NQ57_", "DJANGO_", "DATABASE_URL", "HUEY"))},
        "DJANGO_SETTINGS_MODULE": "nq57.settings",
        "NQ57_PRODUCTION": "1",
        "NQ57_DATA_DIR": str(tmp_path),
        "SECRET_KEY": "x" * 20 + "-a-long-random-production-secret-key-1234567890",
        "ALLOWED_HOSTS": "nq57.example.vn",
        "SECURE_SSL_REDIRECT": "1",
        "SECURE_HSTS_SECONDS": "31536000",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_the_development_secret(tmp_path):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "nq57.settings", "NQ57_PRODUCTION": "1",
           "NQ57_DATA_DIR": str(tmp_path)}
    env.pop("SECRET_KEY", None)
    env.pop("NQ57_TESTING", None)
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.parametrize("value", ["maybe", "2x"])
def test_malformed_settings_fail_loudly(value, monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    from nq57 import settings

    monkeypatch.setenv("SOME_FLAG", value)
    with pytest.raises(ImproperlyConfigured):
        settings.env_bool("SOME_FLAG", False) if value == "maybe" else settings.env_int("SOME_FLAG", 1)
