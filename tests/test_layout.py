"""The package's shape: layers import one way only, and the wheel holds only ``wire``."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

from tests.conftest import ROOT

LAYER_FOLDERS = ("ingest", "adapters", "storage", "api")  # linked into wire/ as wire.<name>


def test_the_layers_contract_holds() -> None:
    """import-linter's contract in pyproject.toml ([tool.importlinter]): each layer imports
    only those below it, no cycles between layers."""
    proc = subprocess.run(
        [sys.executable, "-c", "import sys; from importlinter.cli import lint_imports_command; "
         "sys.exit(lint_imports_command())"],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=300,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Layers, one way KEPT" in proc.stdout


def test_the_wheel_holds_only_wire_with_real_files(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in ("wire", *LAYER_FOLDERS):
        shutil.copytree(ROOT / name, src / name, symlinks=True, ignore=ignore)
    assert (src / "wire" / "ingest").is_symlink()
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
         "--no-index", "-q", "-w", str(tmp_path / "dist"), str(src)],
        capture_output=True,
        text=True,
        timeout=300,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    (wheel,) = (tmp_path / "dist").glob("wire_ingest-*.whl")
    with zipfile.ZipFile(wheel) as zf:
        infos = zf.infolist()
        names = [i.filename for i in infos]
        tops = {n.split("/", 1)[0] for n in names}
        assert tops == {"wire", wheel.name.split("-")[0] + "-" + wheel.name.split("-")[1]
                        + ".dist-info"}, tops  # fmt: skip
        for folder in LAYER_FOLDERS:
            sources = sorted(
                p.relative_to(ROOT / folder).as_posix()
                for p in (ROOT / folder).rglob("*.py")
                if "__pycache__" not in p.parts
            )
            for rel in sources:
                info = zf.getinfo(f"wire/{folder}/{rel}")
                assert not stat.S_ISLNK(info.external_attr >> 16), f"{rel} is a link"
                assert zf.read(info) == (ROOT / folder / rel).read_bytes()
        for data in ("wire/normalise/data/agencies.toml", "wire/storage/migrations/script.py.mako",
                     "wire/storage/migrations/sqlite_head.json", "wire/py.typed"):  # fmt: skip
            assert data in names
        entry = zf.read(next(n for n in names if n.endswith("entry_points.txt"))).decode()
    assert "wire = wire.ingest.entry:main" in entry
