"""The conformance kit's fixtures in one import, for a plugin's ``tests/conftest.py``::

    from u2fast.testing.conformance import PluginUnderTest, plugin_fixture
    from u2fast.testing.conformance_fixtures import *  # noqa: F403

    PLUGIN = PluginUnderTest(module=u2fast_acme, model="acme-1", key_header="authorization")
    plugin_under_test = plugin_fixture(PLUGIN)

pytest finds a fixture only by a name the conftest holds, so the star import brings every fixture the
suite uses (and only those): the SDK wire capture, the 8x8 PNG it carries, a JPEG and a request factory.
"""

from __future__ import annotations

from .conformance import capture, capture_png, jpeg, make_request

__all__ = ["capture", "capture_png", "jpeg", "make_request"]
