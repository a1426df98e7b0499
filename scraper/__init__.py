"""newsclean's shell: fetching, crawling, storage and the command line. Imports `cleaners`."""
