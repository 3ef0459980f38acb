"""Shared test setup: every test gets its own result cache, so no run sees another's."""

import pytest


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("FRONTLINE_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
