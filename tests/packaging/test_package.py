"""The package a user installs: one wheel with the Python API and the prebuilt JupyterLab extension."""
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXTENSION_PREFIX = "modeltrace-0.1.0.data/data/share/jupyter/labextensions/modeltrace/"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (path,) = out.glob("modeltrace-*.whl")
    return path


def test_wheel_carries_the_prebuilt_extension(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert EXTENSION_PREFIX + "package.json" in names
    assert EXTENSION_PREFIX + "install.json" in names
    assert EXTENSION_PREFIX + "schemas/modeltrace/plugin.json" in names
    assert any(name.startswith(EXTENSION_PREFIX + "static/remoteEntry.") for name in names)
    assert "modeltrace/__init__.py" in names


def test_wheel_extension_metadata_names_the_package(wheel):
    with zipfile.ZipFile(wheel) as archive:
        metadata = json.loads(archive.read(EXTENSION_PREFIX + "package.json"))
        install = json.loads(archive.read(EXTENSION_PREFIX + "install.json"))
    assert metadata["name"] == "modeltrace"
    assert metadata["jupyterlab"]["_build"]["load"].startswith("static/remoteEntry.")
    assert install["packageName"] == "modeltrace"


def test_wheel_needs_only_numpy_and_pyarrow(wheel):
    with zipfile.ZipFile(wheel) as archive:
        metadata = archive.read("modeltrace-0.1.0.dist-info/METADATA").decode()
    requires = [line for line in metadata.splitlines() if line.startswith("Requires-Dist:") and "extra ==" not in line]
    assert sorted(line.split()[1].split(">")[0] for line in requires) == ["numpy", "pyarrow"]


def test_labextension_is_enabled_and_ok():
    jupyter = Path(sys.executable).with_name("jupyter")
    listing = subprocess.run([str(jupyter), "labextension", "list"], capture_output=True, text=True, check=True)
    lines = [line for line in (listing.stdout + listing.stderr).splitlines() if "modeltrace" in line]
    assert lines, listing.stdout + listing.stderr
    assert "enabled" in lines[0] and "OK" in lines[0], lines[0]


def test_installed_wheel_is_a_working_extension(wheel, tmp_path):
    """`pip install` of the wheel alone (no Node, no source tree) gives JupyterLab an enabled, OK extension."""
    prefix = tmp_path / "prefix"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--ignore-installed", "--prefix", str(prefix), str(wheel)],
        check=True,
        capture_output=True,
    )
    data_dir = prefix / "share" / "jupyter"
    assert (data_dir / "labextensions" / "modeltrace" / "static").is_dir()
    jupyter = Path(sys.executable).with_name("jupyter")
    env = {**os.environ, "JUPYTER_PATH": str(data_dir)}
    listing = subprocess.run([str(jupyter), "labextension", "list"], capture_output=True, text=True, env=env, check=True)
    output = listing.stdout + listing.stderr
    section = output.split(str(data_dir / "labextensions"), 1)[1].split("\n\n", 1)[0]
    assert "modeltrace v0.1.0" in section and "enabled" in section and "OK" in section, output
