"""The `yicai` command run as a site runs it: in a process of its own."""

import os
import subprocess
import sys


def yicai(*arguments, env) -> subprocess.CompletedProcess:
    """Our command in a new process, with `env` on top of this one's environment."""
    return subprocess.run(  # noqa: S603 - our own command
        [sys.executable, "-m", "yicai", *arguments],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
