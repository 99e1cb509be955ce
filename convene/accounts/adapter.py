"""allauth's links from SITE_URL, like every other link Convene sends (decision 0014).

allauth builds the links in its emails from the request (the host and port the
visitor used), so behind a proxy or on another port they pointed somewhere
else than our own emails. Each link allauth emails is rebuilt here with
core.links.absolute_url.
"""

from urllib.parse import quote

from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse

from convene.core.links import absolute_url


class AccountAdapter(DefaultAccountAdapter):
    def get_email_confirmation_url(self, request, emailconfirmation) -> str:
        return absolute_url(reverse("account_confirm_email", args=[emailconfirmation.key]))

    def get_reset_password_from_key_url(self, key: str) -> str:
        # allauth's own way of putting its opaque "uid-key" into the URL.
        path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
        return absolute_url(path.replace("UID-KEY", quote(key)))

    def send_account_already_exists_mail(self, email: str) -> None:
        self.send_mail(
            "account/email/account_already_exists",
            email,
            {
                "signup_url": absolute_url(reverse("account_signup")),
                "password_reset_url": absolute_url(reverse("account_reset_password")),
            },
        )

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        if template_prefix == "account/email/unknown_account":
            # allauth's flow builds this link from the request and has no hook for it.
            context = {**context, "signup_url": absolute_url(reverse("account_signup"))}
        super().send_mail(template_prefix, email, context)
