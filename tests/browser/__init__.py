"""Tests in a real browser: the web forms filled in Chromium through Selenium."""
