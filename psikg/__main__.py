"""``python -m psikg``: the same as the ``psikg`` script."""

from psikg.cli import main

main()
