"""`python -m scraper` is the `newsclean` command."""

from scraper.cli import main

main()
