"""Fakes of the outside world for the tests, the benchmarks and `make demo`: news sites on
127.0.0.1 and the pages, feeds and sitemaps they serve. Not part of the installed package."""
