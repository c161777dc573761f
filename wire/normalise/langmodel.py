"""py3langid's model restricted to the newsroom's languages, kept ready to map.

py3langid ships its model LZMA-compressed: every process that meets a text CLD2 cannot place
spent about half a second (more on a loaded machine) decompressing 44 MB and cutting the
matrices down to :data:`wire.normalise.text.LANGUAGES`. The restricted model is written once,
uncompressed, to the user's cache folder (``$XDG_CACHE_HOME/wire``, else ``~/.cache/wire``)
and later processes map it read-only: they read only the pages the texts touch, and the
daemon's parse workers share one copy. The arrays are the very ones py3langid builds (same
values, types and memory order), so every guess is the same; a cache that is missing,
stale or unreadable is rebuilt, and one that cannot be written is simply not used.
"""

from __future__ import annotations

import hashlib
import json
import mmap
import os
import tempfile
from pathlib import Path
from typing import Any

_FORMAT = 1
_MAGIC = b"WIRELANGID\x00"
_ALIGN = 64


def load(languages: tuple[str, ...]) -> Any:
    """A py3langid ``LanguageIdentifier`` (normalised probabilities) over ``languages``."""
    from py3langid.langid import MODEL_DIR, MODEL_FILE

    model = Path(MODEL_DIR) / MODEL_FILE
    path = _cache_path(model, languages)
    if path is not None:
        try:
            return _mapped(path, languages)
        except Exception:  # missing, cut off or not ours: built again below
            pass
    ident = _built(languages)
    if path is not None:
        try:
            _write(path, ident)
            return _mapped(path, languages)
        except Exception:  # no writable cache: the model built here serves this process
            pass
    return ident


def _built(languages: tuple[str, ...]) -> Any:
    """The identifier as py3langid makes it: decompress, load, restrict."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    ident = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    ident.set_languages(list(languages))
    # Drop the 97-language matrices: only the restricted copy is ever used, and keeping both
    # costs every process (daemon, parse workers) ~80 MB.
    ident._full_model = (ident.nb_ptc, ident.nb_pc, ident.nb_classes)
    return ident


def _cache_path(model: Path, languages: tuple[str, ...]) -> Path | None:
    """Where the restricted model of this py3langid model file and these languages lives."""
    try:
        import py3langid  # its version attribute: importlib.metadata costs 50 ms to import

        stat = model.stat()
        version = getattr(py3langid, "__version__", "")
        key = repr((_FORMAT, version, stat.st_size, stat.st_mtime_ns, languages))
    except Exception:
        return None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    if not base or base.startswith("~"):
        return None
    digest = hashlib.sha256(key.encode()).hexdigest()[:16]
    return Path(base) / "wire" / f"langid-{digest}.bin"


def _arrays(ident: Any) -> dict[str, Any]:
    import numpy as np

    return {
        "ptc": np.asarray(ident.nb_ptc),
        "pc": np.asarray(ident.nb_pc),
        "nextmove": np.frombuffer(ident.tk_nextmove, dtype=_dtype(ident.tk_nextmove.typecode)),
        "row": np.frombuffer(ident.tk_row, dtype=_dtype(ident.tk_row.typecode)),
        "output": np.asarray(ident.tk_output, dtype=np.int32),
    }


def _dtype(typecode: str) -> Any:
    import array

    import numpy as np

    size = array.array(typecode).itemsize
    return np.dtype(f"<u{size}") if typecode.isupper() else np.dtype(f"<i{size}")


def _write(path: Path, ident: Any) -> None:
    """The identifier's arrays as one file: a JSON header, then each array's raw bytes."""
    arrays = _arrays(ident)
    entries: dict[str, Any] = {}
    offset = 0
    for name, arr in arrays.items():
        order = "F" if arr.flags.f_contiguous and not arr.flags.c_contiguous else "C"
        entries[name] = {
            "dtype": arr.dtype.str,
            "shape": list(arr.shape),
            "order": order,
            "offset": offset,
            "nbytes": int(arr.nbytes),
        }
        offset += -(-arr.nbytes // _ALIGN) * _ALIGN
    header = json.dumps({"classes": list(ident.nb_classes), "arrays": entries}).encode()
    start = -(-(len(_MAGIC) + 8 + len(header)) // _ALIGN) * _ALIGN
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".langid-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(_MAGIC + len(header).to_bytes(8, "little") + header)
            for name, arr in arrays.items():
                f.seek(start + entries[name]["offset"])
                order = entries[name]["order"]
                f.write(arr.tobytes(order="F" if order == "F" else "C"))
            f.truncate(start + offset)
        os.replace(tmp, path)  # atomic: a reader never sees half a file
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _mapped(path: Path, languages: tuple[str, ...]) -> Any:
    """The identifier over the cached file, mapped read-only (no copy of the big tables)."""
    import numpy as np
    from py3langid.langid import LanguageIdentifier

    with open(path, "rb") as f:
        buf = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
    if buf[: len(_MAGIC)] != _MAGIC:
        raise ValueError("not a language model cache")
    size = int.from_bytes(buf[len(_MAGIC) : len(_MAGIC) + 8], "little")
    head_end = len(_MAGIC) + 8 + size
    header = json.loads(buf[len(_MAGIC) + 8 : head_end])
    start = -(-head_end // _ALIGN) * _ALIGN
    classes = header["classes"]
    if not classes or not set(classes) <= set(languages):
        raise ValueError("cached model is for other languages")
    views: dict[str, Any] = {}
    for name, spec in header["arrays"].items():
        at = start + spec["offset"]
        if at + spec["nbytes"] > len(buf):
            raise ValueError("cached model is cut off")
        views[name] = np.ndarray(
            tuple(spec["shape"]),
            dtype=np.dtype(spec["dtype"]),
            buffer=buf,
            offset=at,
            order=spec["order"],
        )
    # The DFA walk indexes its tables per byte: memoryviews give Python ints as fast as the
    # arrays py3langid builds, without copying 40 MB.
    nextmove = memoryview(views["nextmove"]).cast("B").cast(views["nextmove"].dtype.char)
    row = memoryview(views["row"]).cast("B").cast(views["row"].dtype.char)
    output = memoryview(views["output"]).cast("B").cast(views["output"].dtype.char)
    ident = LanguageIdentifier(
        views["ptc"], views["pc"], classes, nextmove, output, norm_probs=True, tk_row=row
    )
    ident._full_model = (ident.nb_ptc, ident.nb_pc, ident.nb_classes)
    return ident
