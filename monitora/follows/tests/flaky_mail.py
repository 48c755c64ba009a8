"""A mail backend that refuses the first sends to some addresses, like a server that is briefly
down for them, then behaves as Django's locmem backend (test outbox). Used through MAILERS."""

import smtplib

from django.core.mail.backends.locmem import EmailBackend

# address -> how many more sends to it fail
FAILURES: dict[str, int] = {}


class FlakyBackend(EmailBackend):
    def send_messages(self, messages):
        for message in messages:
            for address in message.to:
                if FAILURES.get(address, 0) > 0:
                    FAILURES[address] -= 1
                    raise smtplib.SMTPServerDisconnected("server went away")
        return super().send_messages(messages)
