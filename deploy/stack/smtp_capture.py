"""A real SMTP peer for the production stack: every message it accepts is written
to one file, <directory>/<nanoseconds>-<n>.eml, atomically (written aside, then
renamed), with the envelope in X-Capture-Mail-From and X-Capture-Rcpt-To headers.

    python deploy/stack/smtp_capture.py --port 2525 --directory var/stack/mail
"""

import argparse
import asyncio
import itertools
import logging
import os
import signal
import time
from pathlib import Path

from aiosmtpd.controller import Controller

logger = logging.getLogger("smtp_capture")


class CaptureHandler:
    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.counter = itertools.count(1)

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802
        number = next(self.counter)
        name = f"{time.time_ns()}-{number:06d}.eml"
        envelope_headers = (
            f"X-Capture-Mail-From: {envelope.mail_from}\r\n"
            f"X-Capture-Rcpt-To: {', '.join(envelope.rcpt_tos)}\r\n"
        ).encode()
        content = envelope.original_content or envelope.content
        if isinstance(content, str):
            content = content.encode("utf-8")
        partial = self.directory / f".{name}.part"
        partial.write_bytes(envelope_headers + content)
        os.replace(partial, self.directory / name)
        logger.info(
            "captured %s from %s to %s", name, envelope.mail_from, envelope.rcpt_tos
        )
        return "250 Message accepted for delivery"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=2525)
    parser.add_argument("--directory", type=Path, required=True)
    options = parser.parse_args()
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s"
    )
    options.directory.mkdir(parents=True, exist_ok=True)
    controller = Controller(
        CaptureHandler(options.directory),
        hostname=options.host,
        port=options.port,
        # Keep the original bytes: the tests read the message as it was sent.
        decode_data=False,
        data_size_limit=64 * 1024 * 1024,
    )
    controller.start()
    logger.info("listening on %s:%s", options.host, options.port)
    loop = asyncio.new_event_loop()
    stop = asyncio.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    try:
        loop.run_until_complete(stop.wait())
    finally:
        controller.stop()
        loop.close()
        logger.info("stopped")


if __name__ == "__main__":
    main()
