"""Serve the app with its model warmed up (what ``make app`` runs):
``python -m app_pages.serve [STREAMLIT FLAGS] -- [PARAMS]``.

Streamlit imports the app's modules and evaluates the model only when the first browser session
runs the script. Here a thread does both while the server starts and the browser loads the page:
the first render finds the imports done, the numba kernels loaded and the parameters' base case
in the app's cache. The server itself is Streamlit's own command line, with the flags given.
"""

from __future__ import annotations

import logging
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app_streamlit.py"
WAIT_FOR_RUNTIME_S = 30.0
"""How long the warm-up waits for Streamlit's runtime (whose cache the app uses) to exist [s]."""


def warm(params: list[str]) -> None:
    """Import the app's modules and evaluate the base case into the app's cache (once Streamlit's
    runtime exists, so that the cache is the one the sessions read). A failure here is the first
    session's to report: it is logged and left."""
    # st.cache_data outside a session logs a warning on each call: not news here
    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").setLevel(
        logging.ERROR
    )
    try:
        from streamlit.runtime import Runtime

        from app_pages import shared

        deadline = time.monotonic() + WAIT_FOR_RUNTIME_S
        while not Runtime.exists() and time.monotonic() < deadline:
            time.sleep(0.01)
        shared.evaluate(shared.Inputs(shared.base_path(params)))
    except Exception as exc:  # noqa: BLE001 - the session evaluates again and says why
        logging.getLogger(__name__).warning("warm-up skipped: %s", exc)


def main(argv: list[str]) -> None:
    from streamlit.web import cli

    params = argv[argv.index("--") + 1 :] if "--" in argv else []
    threading.Thread(target=warm, args=(params,), daemon=True, name="warm-up").start()
    cli.main(["run", str(APP), *argv], prog_name="streamlit")


if __name__ == "__main__":
    main(sys.argv[1:])
