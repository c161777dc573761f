"""wire: a wire-agency feed ingester.

The ``wire`` package itself is the bottom layer: the canonical record (:mod:`wire.record`), the
errors (:mod:`wire.errors`) and every configuration default (:mod:`wire.config`), with the pure
normalisation functions in :mod:`wire.normalise`. The layers above live in the repository's
top-level folders and are imported as ``wire.adapters``, ``wire.storage``, ``wire.ingest`` and
``wire.api``.
"""

__version__ = "0.1.0"
