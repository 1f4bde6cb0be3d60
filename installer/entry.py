"""PyInstaller entry point for the desktop program.

``remoteedu_desktop/ui/app.py`` cannot be the bundle's script: PyInstaller runs
the script as ``__main__`` outside its package, so its relative imports fail.

``--self-test`` is answered here too, before the GUI's own argument parsing, so
that the bundle can always check itself (scripts/build_bundle.sh, CI, a clerk's PC).
"""

import sys

if "--self-test" in sys.argv[1:]:
    from remoteedu_desktop.selftest import run_self_test

    raise SystemExit(run_self_test([a for a in sys.argv[1:] if a != "--self-test"]))

from remoteedu_desktop.ui.app import main  # noqa: E402

raise SystemExit(main())
