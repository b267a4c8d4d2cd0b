"""PyInstaller entry script: the frozen app runs the ``emendo`` console script."""
import sys

from emendo.gui.launcher import main

if __name__ == "__main__":
    sys.exit(main())
