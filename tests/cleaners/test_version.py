"""`cleaner_version()`: the package version plus a digest of the cleaner's code and data."""

import re
import subprocess
import sys
from importlib import metadata

from cleaners import cleaner_version

PROBE = "from cleaners import cleaner_version; print(cleaner_version())"


def test_the_version_names_the_release_and_a_digest_of_the_cleaner():
    assert re.fullmatch(
        re.escape(metadata.version("newsclean")) + r"\+[0-9a-f]{12}", cleaner_version()
    )


def test_the_version_is_the_same_in_every_process():
    runs = {
        subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=True,
                       env={"PYTHONHASHSEED": seed}).stdout.strip()
        for seed in ("1", "2")
    }  # fmt: skip
    assert runs == {cleaner_version()}
