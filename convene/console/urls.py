from django.urls import path

from convene.console.views import dashboard, messages

app_name = "console"

urlpatterns: list = [
    path("orga/<slug:event>/dashboard/", dashboard.dashboard, name="dashboard"),
    # Messages to groups (events.change_event)
    path("orga/<slug:event>/messages/", messages.messages_sent, name="messages"),
    path("orga/<slug:event>/messages/new/", messages.message_new, name="message_new"),
    path("orga/<slug:event>/messages/<int:pk>/", messages.message_detail, name="message"),
]
