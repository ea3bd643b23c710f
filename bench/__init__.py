"""Tavla's performance benchmark: `python -m bench` (see docs/performance.md)."""
