"""Allow ``python -m pairing``."""

from pairing.cli import main

main()
