"""Entry point: `python app.py` serves HTTP and Socket.IO on one port (settings: README)."""

import os
import warnings

# eventlet was asked for; its maintainers warn at import that it is in bugfix mode. We know
# (gevent runs the same tests): keep the warning out of every command's output.
warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")

if os.environ.get("WORKSHOP_ASYNC_MODE", "eventlet") == "eventlet" and __name__ == "__main__":
    import eventlet

    eventlet.monkey_patch()
    # psycopg (PostgreSQL) waits for the server in C unless told otherwise, which would freeze
    # every connection of the process during each query; its select() wait is cooperative once
    # patched. (It detects gevent's patching by itself.)
    os.environ.setdefault("PSYCOPG_WAIT_FUNC", "wait_select")
elif os.environ.get("WORKSHOP_ASYNC_MODE") == "gevent" and __name__ == "__main__":
    from gevent import monkey

    monkey.patch_all()

from workshop import create_app  # noqa: E402
from workshop.server import serve  # noqa: E402

app = create_app()

if __name__ == "__main__":
    serve(app)
