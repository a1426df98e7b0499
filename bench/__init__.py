"""The benchmarks behind `make bench`: quality, speed and memory (not run by `make test`)."""
