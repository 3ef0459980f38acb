"""``python -m frontline`` runs the command-line interface."""

from frontline.cli import main

if __name__ == "__main__":
    main()
