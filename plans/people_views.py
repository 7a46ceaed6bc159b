"""People pages (admins: details, account links, merging duplicates) and everyone's own email choices."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from . import people
from .forms import add_service_errors
from .models import Person
from .people_forms import PersonForm, PersonMergeForm, PreferencesForm

can_change_people = permission_required("plans.change_person", raise_exception=True)

PERSON_SAVED = "{person} saved."
PEOPLE_MERGED = "{duplicate} merged into {keep}: their actions and posts are {keep}'s now."
PREFERENCES_SAVED = "Your email choices are saved."


@can_change_people
def person_list(request):
    query = request.GET.get("q", "").strip()
    found = Person.objects.select_related("user").annotate(
        actions_led=Count("led_actions", distinct=True), posts=Count("sponsor_posts", distinct=True)
    )
    if query:
        found = found.filter(
            Q(name__icontains=query) | Q(organisation__icontains=query) | Q(job_title__icontains=query)
        )
    found = list(found)
    # Names that look alike are the duplicates an admin most likely wants to merge: flagged on the list.
    for person in found:
        person.alike = people.people_alike(person, found) if len(found) <= 500 else []
    return render(request, "plans/people/list.html", {"people": found, "query": query})


@can_change_people
def person_edit(request, pk):
    person = get_object_or_404(Person.objects.select_related("user"), pk=pk)
    form = PersonForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        try:
            people.person_update(person=person, changed_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, PERSON_SAVED.format(person=person))
            return redirect("plans:people")
    led = person.led_actions.select_related("plan").order_by("plan__title", "position")
    return render(request, "plans/people/edit.html", {"person": person, "form": form, "led": led})


@can_change_people
def person_merge(request, pk):
    keep = get_object_or_404(Person, pk=pk)
    form = PersonMergeForm(request.POST or None, keep=keep, initial=_likeliest_duplicate(request, keep))
    if request.method == "POST" and form.is_valid():
        duplicate = form.cleaned_data["duplicate"]
        try:
            people.person_merge(keep=keep, duplicate=duplicate, merged_by=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, PEOPLE_MERGED.format(duplicate=duplicate, keep=keep))
            return redirect("plans:person_edit", pk=keep.pk)
    return render(request, "plans/people/merge.html", {"person": keep, "form": form})


def _likeliest_duplicate(request, keep):
    chosen = request.GET.get("duplicate", "")
    return {"duplicate": chosen} if chosen.isdigit() else {}


@login_required
def preferences(request):
    """The signed-in person's own email choices; decisions on their own requests always reach them."""
    # Looking writes nothing: the person is made from the account only when choices are saved.
    person = Person.objects.filter(user=request.user).first() or Person(user=request.user, email=request.user.email)
    form = PreferencesForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        person = people.person_for_account(request.user)
        people.person_preferences_update(person=person, **form.cleaned_data)
        messages.success(request, PREFERENCES_SAVED)
        return redirect(reverse("plans:preferences"))
    return render(request, "plans/people/preferences.html", {"person": person, "form": form})
