"""testbed: how a claim is decided and shown: registry, statistics, store, runner, report, CLI."""
__version__ = "0.1.0"
