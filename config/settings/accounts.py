"""Accounts (django-allauth): e-mail login, mandatory confirmation, throttled login and reset.

Rate limits are counted in the default cache: with several processes it must be a shared cache
(CACHE_URL=redis://... or a database cache), otherwise each process counts on its own.
"""

from config.env import env

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "authoring:my_area"
ACCOUNT_LOGOUT_REDIRECT_URL = "public:home"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Monitora] "
# Links in e-mails use the scheme of the public site URL (http only for local development).
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if env("SITE_URL", default="http://").startswith("https") else "http"
# Per IP and per account ("key" = the e-mail typed in): brute force and reset flooding.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/300s/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "signup": "20/m/ip",
    "confirm_email": "1/180s/key",
}
ACCOUNT_SIGNUP_FORM_CLASS = "monitora.accounts.forms.SignupForm"
# Mail through the task queue; the same work for new and existing addresses at sign-up.
ACCOUNT_ADAPTER = "monitora.accounts.adapter.AccountAdapter"
