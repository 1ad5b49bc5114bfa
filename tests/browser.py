"""Headless Debian Chromium for the page tests, through Playwright (``executable_path``: no
browser download)."""

import shutil
from contextlib import contextmanager

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
#: Marks a test that needs the browser (test.sh installs Debian's chromium).
needs_chromium = pytest.mark.skipif(CHROMIUM is None,
                                    reason="Debian chromium is installed by test.sh")


@contextmanager
def chromium():
    """A headless Chromium: no sandbox (CI runs as root), no GPU, no background network, and
    audio may play without a click (the page's players)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--autoplay-policy=no-user-gesture-required"])
        try:
            yield browser
        finally:
            browser.close()
