"""Developer machine: `make run`. Debug on, static files served from the source folders."""

from .base import *

DEBUG = env.bool("DEBUG", default=True)
STORAGES["staticfiles"]["BACKEND"] = env(
    "STATICFILES_STORAGE", default="django.contrib.staticfiles.storage.StaticFilesStorage"
)
WHITENOISE_AUTOREFRESH = DEBUG
