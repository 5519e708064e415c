"""u2fast's conformance suite (``u2fast.testing.conformance``), run against this plugin as ``conftest.PLUGIN``
describes it: registration, settings, the SDK's request, responses and errors, the runner and the command."""

from __future__ import annotations

from u2fast.testing.conformance import ConformanceSuite


class TestConformance(ConformanceSuite):
    """Every test of the kit; what only Anthropic does is in the other test files."""
