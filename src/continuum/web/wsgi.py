"""WSGI entry point for an app server: ``gunicorn continuum.web.wsgi``."""

from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "continuum.web.settings")
application = get_wsgi_application()
