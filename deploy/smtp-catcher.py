#!/usr/bin/python3
"""A real SMTP server that delivers nowhere: every message it accepts is kept as one .eml file, so a person (or a
test) can read what the platform sent. Debian's python3-aiosmtpd; no other dependency.

    /usr/bin/python3 deploy/smtp-catcher.py --host 127.0.0.1 --port 2525 --dir .antq/mail

Each file is written under a temporary name and renamed when complete, so a reader never sees half a message. The
envelope (MAIL FROM, RCPT TO) is added on top as X-Catcher-* headers. It prints "smtp-catcher listening on HOST:PORT"
once it accepts connections, and stops cleanly on SIGTERM or SIGINT. With --tls-cert and --tls-key it offers STARTTLS
and requires it before a message (deploy/antq cluster: a certificate of the cluster's own CA).
"""
import argparse
import asyncio
import itertools
import os
import signal
import sys
import threading
import time
import uuid

from aiosmtpd.controller import Controller


class KeepEachMessage:
    def __init__(self, directory):
        self.directory = directory
        self.counter = itertools.count(1)
        os.makedirs(directory, exist_ok=True)

    async def handle_DATA(self, server, session, envelope):
        content = envelope.original_content or envelope.content
        if isinstance(content, str):
            content = content.encode("utf-8", "surrogateescape")
        envelope_headers = (
            f"X-Catcher-Mail-From: {envelope.mail_from}\r\n"
            f"X-Catcher-Rcpt-To: {', '.join(envelope.rcpt_tos)}\r\n"
            f"X-Catcher-Received-At: {time.strftime('%Y-%m-%dT%H:%M:%S%z')}\r\n"
        ).encode("utf-8")
        # The write and its fsync run on a worker thread, so that other connections are served meanwhile, as a real
        # mail server serves them; the answer still waits until the message is on disk.
        await asyncio.get_running_loop().run_in_executor(None, self.keep, envelope_headers + content)
        return "250 Message accepted for delivery"

    def keep(self, message):
        name = f"{time.strftime('%Y%m%dT%H%M%S')}-{next(self.counter):06d}-{uuid.uuid4().hex[:8]}.eml"
        temporary = os.path.join(self.directory, "." + name + ".tmp")
        with open(temporary, "wb") as file:
            file.write(message)
            file.flush()
            os.fsync(file.fileno())
        os.rename(temporary, os.path.join(self.directory, name))


def main():
    parser = argparse.ArgumentParser(description="SMTP catcher: keeps every message as a file.")
    parser.add_argument("--host", default=os.environ.get("ANTQ_SMTP_CATCHER_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("ANTQ_SMTP_CATCHER_PORT", "2525")))
    parser.add_argument("--dir", default=os.environ.get("ANTQ_SMTP_CATCHER_DIR", ".antq/mail"))
    parser.add_argument("--tls-cert", help="a certificate (PEM) to offer STARTTLS with; then STARTTLS is required")
    parser.add_argument("--tls-key", help="the certificate's private key (PEM)")
    args = parser.parse_args()

    tls = {}
    if args.tls_cert:
        import ssl
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.tls_cert, args.tls_key)
        tls = {"tls_context": context, "require_starttls": True}
    controller = Controller(KeepEachMessage(os.path.abspath(args.dir)), hostname=args.host, port=args.port,
                            data_size_limit=32 * 1024 * 1024, **tls)
    controller.start()
    print(f"smtp-catcher listening on {args.host}:{args.port}, keeping messages in {os.path.abspath(args.dir)}", flush=True)

    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    stop.wait()
    controller.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
