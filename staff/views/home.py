"""The home page: who I am, what needs my attention, where I may go."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from ..core.extensions import attention_items_for


@login_required
def home(request):
    """Each person's start page: who they are, what needs attention, where they may go."""
    return render(
        request, "staff/home/index.html", {"attention_items": attention_items_for(request.user)}
    )
