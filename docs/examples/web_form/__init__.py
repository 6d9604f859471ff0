"""An example web application that serves musforms' web forms and reads the submitted answers back.

See ``app.py`` and docs/examples/web-form.md; ``tests/browser/test_web_form.py`` fills its forms in Chromium.
"""
