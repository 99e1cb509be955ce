from django.urls import include, path

from convene.events.views import orga, public, setup, team

app_name = "events"

urlpatterns = [
    # Setting events up. Before every orga/<event>/ address: these words are not events
    # (Event.RESERVED_SLUGS).
    path("orga/new/", setup.event_create, name="event_create"),
    path("orga/new/copy/", setup.event_copy, name="event_copy"),
    path("orga/event-creators/", setup.event_creators, name="event_creators"),
    path("", include("convene.events.interchange.urls")),
    path("", public.home, name="home"),
    path("events/<slug:event>/", public.event_detail, name="event"),
    path("events/<slug:event>/programme/", public.programme, name="programme"),
    path("events/<slug:event>/people/", public.people, name="people"),
    path("events/<slug:event>/privacy/", public.privacy, name="privacy"),
    path("events/<slug:event>/accessibility/", public.accessibility, name="accessibility"),
    path("events/<slug:event>/calendar.ics", public.event_calendar, name="event_calendar"),
    path("events/<slug:event>/sessions/<slug:session>/", public.session_detail, name="session"),
    path(
        "events/<slug:event>/sessions/<slug:session>/calendar.ics",
        public.session_calendar,
        name="session_calendar",
    ),
    path("host-invitations/<str:token>/", orga.host_invitation, name="host_invitation"),
    path("team-invitations/<str:token>/", team.team_invitation, name="team_invitation"),
    # Organiser area
    path("orga/<slug:event>/", orga.grid, name="orga_grid"),
    path("orga/<slug:event>/settings/", setup.event_settings, name="orga_settings"),
    path("orga/<slug:event>/publish/", orga.programme_publish, name="orga_publish"),
    path("orga/<slug:event>/problems/", orga.problems, name="orga_problems"),
    path("orga/<slug:event>/sessions/", orga.session_list, name="orga_sessions"),
    path("orga/<slug:event>/sessions/new/", orga.session_create, name="orga_session_create"),
    path("orga/<slug:event>/sessions/<int:pk>/", orga.session_edit, name="orga_session"),
    path("orga/<slug:event>/sessions/<int:pk>/move/", orga.session_move, name="orga_session_move"),
    path(
        "orga/<slug:event>/sessions/<int:pk>/cancel/",
        orga.session_cancel,
        name="orga_session_cancel",
    ),
    path("orga/<slug:event>/sessions/<int:pk>/hosts/", orga.host_add, name="orga_host_add"),
    path(
        "orga/<slug:event>/sessions/<int:pk>/hosts/<int:host_pk>/remove/",
        orga.host_remove,
        name="orga_host_remove",
    ),
    path("orga/<slug:event>/sessions/<int:pk>/invite/", orga.host_invite, name="orga_host_invite"),
    path("orga/<slug:event>/tracks/", orga.tracks, name="orga_tracks"),
    path("orga/<slug:event>/log/", orga.activity_log, name="orga_log"),
    path("orga/<slug:event>/tracks/<int:pk>/", orga.track_edit, name="orga_track"),
    # The event's team (views/team.py)
    path("orga/<slug:event>/team/", team.team, name="orga_team"),
    path("orga/<slug:event>/team/roles/add/", team.team_role_add, name="orga_team_role_add"),
    path(
        "orga/<slug:event>/team/roles/remove/",
        team.team_role_remove,
        name="orga_team_role_remove",
    ),
    path(
        "orga/<slug:event>/team/invitations/<int:pk>/resend/",
        team.team_invitation_resend,
        name="orga_team_invitation_resend",
    ),
    path(
        "orga/<slug:event>/team/invitations/<int:pk>/revoke/",
        team.team_invitation_revoke,
        name="orga_team_invitation_revoke",
    ),
]
