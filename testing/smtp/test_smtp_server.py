#!/usr/bin/python3
"""A real SMTP server for tests (Debian's python3-aiosmtpd): STARTTLS offered and required,
implicit TLS (smtps) on request, optional AUTH PLAIN/LOGIN with one user, and every accepted
message written to a directory as <n>.eml (the envelope sender and recipients in a .json beside
it). It prints "ready <port>" on stderr once it accepts connections and runs until killed.

  test_smtp_server.py --port P --cert server.pem --key server.key --maildir DIR
                      [--mode starttls|smtps|plain] [--user U --password P] [--refuse-rcpt ADDR]
"""
import argparse
import threading
import json
import os
import ssl
import sys

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


class Mailbox:
    def __init__(self, directory, refused):
        self.directory = directory
        self.refused = {address.lower() for address in refused}
        self.count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.refused:
            return '550 5.1.1 mailbox unavailable'
        envelope.rcpt_tos.append(address)
        return '250 OK'

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        base = os.path.join(self.directory, str(self.count))
        with open(base + '.json.tmp', 'w') as meta:
            json.dump({'mail_from': envelope.mail_from, 'rcpt_tos': envelope.rcpt_tos,
                       'tls': server.transport.get_extra_info('ssl_object') is not None,
                       'authenticated': bool(session.authenticated)}, meta)
        with open(base + '.eml.tmp', 'wb') as message:
            message.write(envelope.original_content or envelope.content)
        # The .eml appears last and whole: a reader that sees it sees the .json too.
        os.rename(base + '.json.tmp', base + '.json')
        os.rename(base + '.eml.tmp', base + '.eml')
        return '250 Message accepted for delivery'


def authenticator_for(user, password):
    def authenticate(server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword) and auth_data.login.decode() == user
              and auth_data.password.decode() == password)
        return AuthResult(success=ok, handled=False)
    return authenticate


class TestController(Controller):
    def __init__(self, handler, options, tls_context):
        self.options = options
        self.tls_context = tls_context
        kwargs = {}
        if options.mode == 'smtps':
            kwargs['ssl_context'] = tls_context
        super().__init__(handler, hostname='127.0.0.1', port=options.port, **kwargs)

    def factory(self):
        kwargs = {'hostname': 'localhost'}
        if self.options.mode == 'starttls':
            kwargs.update(tls_context=self.tls_context, require_starttls=True)
        if self.options.user:
            kwargs.update(authenticator=authenticator_for(self.options.user, self.options.password),
                          auth_required=True, auth_require_tls=self.options.mode != 'plain')
        return SMTP(self.handler, **kwargs)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--port', type=int, required=True)
    parser.add_argument('--cert', required=True)
    parser.add_argument('--key', required=True)
    parser.add_argument('--maildir', required=True)
    parser.add_argument('--mode', choices=['starttls', 'smtps', 'plain'], default='starttls')
    parser.add_argument('--user')
    parser.add_argument('--password')
    parser.add_argument('--refuse-rcpt', action='append', default=[])
    options = parser.parse_args()

    tls_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    tls_context.load_cert_chain(options.cert, options.key)
    controller = TestController(Mailbox(options.maildir, options.refuse_rcpt), options, tls_context)
    controller.start()
    print(f'ready {options.port}', file=sys.stderr, flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        controller.stop()


if __name__ == '__main__':
    main()
