from .incidents import *  # noqa: F403
