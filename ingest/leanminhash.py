"""datasketch's ``LeanMinHash`` without the cost of ``import datasketch``.

datasketch's package init imports every sketch it has, and its LSH classes import
``scipy.integrate`` (about 50 MB of resident memory and a tenth of a second) for a parameter
search the clusterer does not use: it keeps its own index (``wire.ingest.dedup``). Here the
package is registered without running its init, so only ``datasketch.lean_minhash`` (and the
``minhash`` and ``hashfunc`` modules it needs) load. The first time anything else is asked
of the package (``from datasketch import MinHashLSH``, ``datasketch.__version__``) its real
init runs, so other users of datasketch in the process see the whole package.
"""

from __future__ import annotations

import importlib.util
import sys
import threading
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from datasketch import LeanMinHash
else:

    def _lean() -> type:
        if "datasketch" not in sys.modules:
            spec = importlib.util.find_spec("datasketch")
            if spec is None or spec.loader is None:
                raise ImportError("datasketch is not installed")
            package = importlib.util.module_from_spec(spec)  # its init not run yet
            loader = spec.loader
            lock = threading.RLock()  # another thread asking meanwhile waits for the init
            started: list[bool] = []

            def whole(name: str) -> Any:
                """Anything else asked of the package: its real init runs first, once."""
                with lock:
                    if not started:
                        started.append(True)
                        loader.exec_module(package)
                        package.__dict__.pop("__getattr__", None)
                try:
                    return package.__dict__[name]
                except KeyError:
                    raise AttributeError(f"module 'datasketch' has no attribute {name!r}") from None

            package.__getattr__ = whole  # type: ignore[method-assign]
            sys.modules["datasketch"] = package
        from datasketch.lean_minhash import LeanMinHash

        return LeanMinHash

    LeanMinHash = _lean()

__all__ = ["LeanMinHash"]
