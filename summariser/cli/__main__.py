"""`python -m summariser.cli` runs the `brief` command line."""

from . import main

main()
