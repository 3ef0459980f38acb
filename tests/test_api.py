"""The public API: every exported name resolves, and importing the package stays light."""

import subprocess
import sys

import frontline


def test_every_exported_name_resolves():
    for name in frontline.__all__:
        assert getattr(frontline, name) is not None, name
    assert callable(frontline.geoparse)  # the function, not the submodule of that name


def test_import_does_not_pull_in_the_heavy_stack():
    code = ("import sys, frontline; "
            "print(','.join(m for m in ('pandas', 'geopandas', 'folium', 'shapely') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == ""
