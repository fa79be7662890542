"""Save a table's filters under a name, list them, delete one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from continuum.web.accounts.models import User
from continuum.web.saved_views.forms import SavedViewForm
from continuum.web.saved_views.models import SavedView
from continuum.web.saved_views.selectors import saved_views_of
from continuum.web.saved_views.services import saveable_path, saved_view_delete, saved_view_save


@login_required
@require_GET
def saved_views(request: HttpRequest) -> HttpResponse:
    """The user's saved views, by name."""
    return render(request, "saved_views/list.html", {"views": saved_views_of(request.user)})


@login_required
@require_POST
def save(request: HttpRequest) -> HttpResponse:
    """Save the filters of the page the form was on, then go back to it."""
    user = request.user
    assert isinstance(user, User)
    form = SavedViewForm(request.POST)
    path = request.POST.get("path", "")
    back = path if saveable_path(path) else "accounts:home"
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, f"The view was not saved: {' '.join(map(str, errors))}")
        return redirect(back)
    view = saved_view_save(actor=user, **form.cleaned_data)
    messages.success(request, f"Saved the view “{view.name}”.")
    return redirect(view.link)


@login_required
@require_POST
def delete(request: HttpRequest, view_id: int) -> HttpResponse:
    """Delete one of the user's saved views."""
    user = request.user
    assert isinstance(user, User)
    try:
        saved_view_delete(actor=user, view_id=view_id)
    except SavedView.DoesNotExist as error:
        raise Http404 from error
    messages.success(request, "Deleted the saved view.")
    return redirect("saved_views:list")
