"""The counter's pages answer htmx with the content of <main> alone (billing/_main.html).

With htmx (static/billing/counter.js, billing/counter/_head.html) a lookup, a post and the way
back to the counter swap only <main>, keeping the header, styles and scripts already loaded;
without JavaScript the same URLs answer whole pages, as plain forms expect.
"""

from django.shortcuts import render
from django.utils.cache import patch_vary_headers


def render_page(request, template, context, *, status=200):
    """`template` (which extends `base_template`) as a whole page, or its <main> for htmx."""
    base_template = "billing/_main.html" if request.htmx else "base.html"
    response = render(request, template, {**context, "base_template": base_template}, status=status)
    # One URL answers the page or its part: a cache must not give one for the other.
    patch_vary_headers(response, ["HX-Request"])
    return response
