"""A deliberately slow password hasher: makes "was a password hashed?" visible as time."""

import time

from django.contrib.auth.hashers import MD5PasswordHasher


class SlowHasher(MD5PasswordHasher):
    algorithm = "slow_md5"
    delay = 0.3

    def encode(self, password, salt):
        time.sleep(self.delay)
        return super().encode(password, salt)
