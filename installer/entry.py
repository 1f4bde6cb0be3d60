"""PyInstaller entry point for the desktop program.

``remoteedu_desktop/ui/app.py`` cannot be the bundle's script: PyInstaller runs
the script as ``__main__`` outside its package, so its relative imports fail.
"""

from remoteedu_desktop.ui.app import main

raise SystemExit(main())
