"""`python -m summariser` runs the `brief` command line."""

from .cli import main

main()
