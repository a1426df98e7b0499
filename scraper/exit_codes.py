"""The exit codes that cron and scripts read, as the README documents them."""

from enum import IntEnum


class ExitCode(IntEnum):
    """Process exit codes of every `newsclean` command."""

    OK = 0
    PARTIAL = 1  # crawl: some sources or pages failed, the rest was stored
    USAGE = 2
    NO_BODY = 65  # the input had no English article body
    PERMANENT = 69  # 4xx, robots.txt disallows, not HTML, blocked page
    TEMPORARY = 75  # timeout, connection, 5xx, 429, crawl lock held
    CONFIG = 78  # bad configuration, or a database or output path that cannot be used
    INTERRUPTED = 130  # Ctrl-C (SIGINT): what was stored stays, the next run continues
    TERMINATED = 143  # SIGTERM (systemd stop, kill): the same
