"""Settings for the test run: the app's own settings with its data (SQLite test database,
uploaded files) in a fresh temporary folder, never in the user's ~/.local/share/cchc."""

import os
import tempfile

os.environ.setdefault("CCHC_DATA_DIR", tempfile.mkdtemp(prefix="cchc-test-"))

from cchc.web.settings import *  # noqa: F403
