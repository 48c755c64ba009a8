"""Development e-mail: printed as a person reads it, so a link can be copied from the terminal.

Django's console backend prints the MIME source: quoted-printable wraps long lines with `=` and
encodes accents, which breaks a confirmation link when copied. This one prints the decoded
headers and the plain-text body as they were written.
"""

from django.core.mail.backends.console import EmailBackend as ConsoleBackend


class EmailBackend(ConsoleBackend):
    def write_message(self, message) -> None:
        lines = [
            f"Subject: {message.subject}",
            f"From: {message.from_email}",
            f"To: {', '.join(message.to)}",
        ]
        if message.cc:
            lines.append(f"Cc: {', '.join(message.cc)}")
        if message.reply_to:
            lines.append(f"Reply-To: {', '.join(message.reply_to)}")
        lines += ["", message.body.rstrip("\n")]
        for alternative in getattr(message, "alternatives", []):
            mimetype = getattr(alternative, "mimetype", None) or alternative[1]
            lines.append(f"[{mimetype} alternative not shown]")
        for attachment in message.attachments:
            name = getattr(attachment, "filename", None) or "attachment"
            lines.append(f"[attachment: {name}]")
        self.stream.write("\n".join(lines) + "\n")
        self.stream.write("-" * 79 + "\n")
