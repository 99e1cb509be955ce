"""Chat messages are in "download my data"; deleting the account keeps the words
(the conversation stays readable) but not who wrote them."""

import json

import pytest
from django.urls import reverse

from convene.live.models import Message
from convene.live.privacy import ERASED_AUTHOR_NAME
from tests.conftest import client_for
from tests.live.test_services import post

pytestmark = pytest.mark.django_db


def test_my_data_holds_my_chat_messages(room, registered):
    post(room, registered, text="My top tip: start small")

    response = client_for(registered).get(reverse("accounts:download_data"))

    (message,) = json.loads(response.content)["live"]["messages"]
    assert (message["session"], message["text"], message["posted_as"]) == (
        room.session.title,
        "My top tip: start small",
        registered.name,
    )


def test_deleting_my_account_keeps_my_words_but_not_my_name(room, registered):
    message, _ = post(room, registered, text="My top tip: start small")

    client_for(registered).post(reverse("accounts:delete"), {"confirm": "delete my account"})

    message = Message.objects.get(pk=message.pk)
    assert (message.author, message.author_name, message.text) == (
        None,
        ERASED_AUTHOR_NAME,
        "My top tip: start small",
    )
