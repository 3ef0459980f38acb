"""Rebuild ``src/frontline/static/`` from the npm packages the offline map needs.

The map carries Leaflet inside the HTML so it works with no network. This script
fetches the exact package versions with ``npm pack`` (the ordinary npm client, into
``geodata/_work/``), checks each tarball's integrity against the registry's record,
copies the files the map uses together with the package's LICENSE, and writes
``static/vendor.json`` (package, version, license, SHA-256 of every file) and the
vendored part of ``static/README.md``. Frontline's own JavaScript and CSS in
``static/`` are left untouched.

Run it with ``python geodata/vendor_static.py`` (``make geodata`` calls it);
``--bench`` instead fetches the stock TimestampedGeoJson assets that
``benchmarks/map_bench.py`` compares against (kept in ``geodata/_work/bench/``).
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "geodata" / "_work"
STATIC = ROOT / "src" / "frontline" / "static"

#: npm package spec -> (folder under static/, {file in tarball: file in folder}).
#: Leaflet's version is the one folium 0.20 loads from its CDN, so the offline page
#: and the ``cdn=True`` page run the same code.
PACKAGES: dict[str, tuple[str, dict[str, str]]] = {
    "leaflet@1.9.3": (
        "leaflet",
        {
            "package/dist/leaflet.js": "leaflet.js",
            "package/dist/leaflet.css": "leaflet.css",
            "package/dist/images/layers.png": "images/layers.png",
            "package/dist/images/layers-2x.png": "images/layers-2x.png",
            "package/dist/images/marker-icon.png": "images/marker-icon.png",
            "package/dist/images/marker-icon-2x.png": "images/marker-icon-2x.png",
            "package/dist/images/marker-shadow.png": "images/marker-shadow.png",
            "package/LICENSE": "LICENSE",
        },
    ),
}

#: Assets of folium's stock TimestampedGeoJson, fetched only for the benchmark
#: (``--bench``): CDN address -> (npm package spec, file in tarball). They are not
#: shipped; ``benchmarks/map_bench.py`` serves them to the browser from
#: ``geodata/_work/bench/`` so the comparison runs offline too. jQuery UI and
#: highlight.js's CSS are not needed by TimeDimension and are served empty.
BENCH_ASSETS: dict[str, tuple[str, str]] = {
    "https://cdnjs.cloudflare.com/ajax/libs/jquery/3.7.1/jquery.min.js": (
        "jquery@3.7.1",
        "package/dist/jquery.min.js",
    ),
    "https://cdn.jsdelivr.net/npm/iso8601-js-period@0.2.1/iso8601.min.js": (
        "iso8601-js-period@0.2.1",
        "package/iso8601.js",
    ),
    "https://cdn.jsdelivr.net/npm/leaflet-timedimension@1.1.1/dist/leaflet.timedimension.min.js": (
        "leaflet-timedimension@1.1.1",
        "package/dist/leaflet.timedimension.min.js",
    ),
    "https://cdn.jsdelivr.net/npm/leaflet-timedimension@1.1.1/dist/"
    "leaflet.timedimension.control.css": (
        "leaflet-timedimension@1.1.1",
        "package/dist/leaflet.timedimension.control.css",
    ),
    "https://cdnjs.cloudflare.com/ajax/libs/moment.js/2.18.1/moment.min.js": (
        "moment@2.18.1",
        "package/min/moment.min.js",
    ),
}

README_HEAD = """\
# Vendored and own assets of the offline map

`frontline.mapbuild` inlines these files into every map it saves, so the HTML opens
and works with no network (images become `data:` URIs). Nothing here is edited by
hand except Frontline's own files listed last.

## Vendored packages (rebuilt by `python geodata/vendor_static.py`)

| folder | npm package | version | license | license file |
|---|---|---|---|---|
"""

README_OWN = """
Every vendored file's SHA-256 is recorded in `vendor.json`; the npm tarball's
integrity is checked against the registry's record before anything is copied.

## Frontline's own files (written for this project, same license as Frontline)

| file | what it is |
|---|---|
| `frontline_time.js` | the time control: embedded event arrays, binary search per slider step, canvas drawing by event type, popups built with `textContent` |
| `frontline_time.css` | styles of the time control, legend and popups |
"""


def _npm_pack(spec: str) -> tuple[Path, dict]:
    """Download one package tarball with ``npm pack`` into WORK; return it and npm's record."""
    out = subprocess.run(
        ["npm", "pack", spec, "--json", "--pack-destination", str(WORK)],
        cwd=WORK,
        check=True,
        capture_output=True,
        text=True,
    )
    record = json.loads(out.stdout)[0]
    return WORK / record["filename"], record


def _check_integrity(tarball: Path, integrity: str) -> None:
    """Compare the tarball with the registry's Subresource-Integrity string (sha512-...)."""
    import base64

    algo, _, expected = integrity.partition("-")
    digest = base64.b64encode(hashlib.new(algo, tarball.read_bytes()).digest()).decode()
    if digest != expected:
        raise SystemExit(f"{tarball.name}: integrity mismatch ({algo})")


def vendor() -> dict:
    """Fetch, check and copy every package; return the manifest written to vendor.json."""
    WORK.mkdir(parents=True, exist_ok=True)
    manifest: dict[str, dict] = {}
    for spec, (folder, files) in PACKAGES.items():
        tarball, record = _npm_pack(spec)
        _check_integrity(tarball, record["integrity"])
        with tarfile.open(tarball) as tar:
            meta = json.load(tar.extractfile("package/package.json"))
            dest = STATIC / folder
            if dest.exists():
                shutil.rmtree(dest)
            hashes = {}
            for member, target in files.items():
                data = tar.extractfile(member).read()
                if target.endswith(".js"):
                    # A source-map comment would make developer tools ask the network.
                    text = data.decode("utf-8")
                    text = "\n".join(
                        line
                        for line in text.splitlines()
                        if not line.startswith("//# sourceMappingURL=")
                    )
                    data = (text + "\n").encode("utf-8")
                path = dest / target
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data)
                hashes[target] = hashlib.sha256(data).hexdigest()
        manifest[folder] = {
            "package": meta["name"],
            "version": meta["version"],
            "license": meta.get("license", "see LICENSE"),
            "integrity": record["integrity"],
            "files": hashes,
        }
    (STATIC / "vendor.json").write_text(
        json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )
    rows = "".join(
        f"| `{folder}/` | `{m['package']}` | {m['version']} | {m['license']} "
        f"| `{folder}/LICENSE` |\n"
        for folder, m in sorted(manifest.items())
    )
    (STATIC / "README.md").write_text(README_HEAD + rows + README_OWN, encoding="utf-8")
    return manifest


def vendor_bench() -> Path:
    """Fetch the stock plugin's assets for the benchmark; write ``bench/cdn_map.json``."""
    bench = WORK / "bench"
    bench.mkdir(parents=True, exist_ok=True)
    tarballs: dict[str, Path] = {}
    mapping = {}
    for k, (url, (spec, member)) in enumerate(sorted(BENCH_ASSETS.items())):
        if spec not in tarballs:
            tarballs[spec], record = _npm_pack(spec)
            _check_integrity(tarballs[spec], record["integrity"])
        with tarfile.open(tarballs[spec]) as tar:
            data = tar.extractfile(member).read()
        target = bench / f"{k:02d}-{Path(member).name}"
        target.write_bytes(data)
        mapping[url] = target.name
    out = bench / "cdn_map.json"
    out.write_text(json.dumps(mapping, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return out


if __name__ == "__main__":
    if "--bench" in sys.argv[1:]:
        print(f"benchmark assets: {vendor_bench()}", file=sys.stderr)
        raise SystemExit(0)
    result = vendor()
    for folder, m in result.items():
        print(
            f"{folder}: {m['package']}@{m['version']} ({m['license']}), {len(m['files'])} files",
            file=sys.stderr,
        )
