"""Hook points of the organiser console: what feature apps add to an event's
messages to groups and its dashboard (core/hooks.py; each app plugs in from its
own hooks.py). The console imports no feature app's internals: attendance,
live and contributions describe their own groups and figures here.

Filled in by the work on messages to groups and on the dashboard (issue 14).
"""
