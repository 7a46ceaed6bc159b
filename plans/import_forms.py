"""Forms of the import pages: upload a workbook, choose what each column holds, confirm."""

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.text import slugify

from common.dates import SaneDateField

from .importing.columns import FIELD_LABELS
from .importing.messages import POSITION_DATE_IN_FUTURE
from .models import Plan

NEW_PLAN = ""
FILE_TOO_BIG = "{name} is {size:.1f} MB; the largest file that can be imported is {limit:.1f} MB."
SLUG_NEEDED = "Give the new plan a title (or a short name for its web address)."
SLUG_RESERVED = 'The web address "{slug}" is used by the tracker\'s own pages: choose another.'
# Paths under /plans/ that are pages, not plans.
RESERVED_SLUGS = {"import", "my-actions", "people", "email"}
SAME_FIELD_TWICE = "Columns {columns} are each read as {field}: choose one of them, and Not imported for the others."
SLUG_TAKEN = 'A plan with the web address "{slug}" already exists: choose it above to update it.'


class ImportUploadForm(forms.Form):
    file = forms.FileField(label="Plan workbook (.xlsx)", widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}))
    plan = forms.ChoiceField(label="Import into", required=False)
    title = forms.CharField(label="Title of the new plan", max_length=200, required=False)
    slug = forms.SlugField(
        label="Short name for its web address",
        max_length=80,
        required=False,
        help_text="Made from the title if left blank.",
    )
    sheet = forms.CharField(
        label="Sheet",
        max_length=100,
        required=False,
        help_text="Leave blank to read the sheet that looks most like a plan; the preview says which.",
    )
    position_date = SaneDateField(
        label="Position as at",
        required=False,
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="The date the file's statuses stand on (today if left blank): they are recorded in each action's "
        "history on this date.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A closed plan is a record: nothing is imported into it (plans.importing refuses it too).
        plans = Plan.objects.in_portfolio().order_by("title").values_list("slug", "title")
        self.fields["plan"].choices = [(NEW_PLAN, "A new plan")] + [
            (slug, f"{title} (update)") for slug, title in plans
        ]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.IMPORT_MAX_BYTES
        # Checked before the file is read into memory.
        if upload.size > limit:
            raise forms.ValidationError(
                FILE_TOO_BIG.format(name=upload.name, size=upload.size / 1024 / 1024, limit=limit / 1024 / 1024)
            )
        return upload

    def clean_position_date(self):
        position_date = self.cleaned_data["position_date"] or timezone.localdate()
        if position_date > timezone.localdate():
            raise forms.ValidationError(POSITION_DATE_IN_FUTURE.format(date=position_date))
        return position_date

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("plan"):
            cleaned["slug"] = cleaned["plan"]
            return cleaned
        slug = cleaned.get("slug") or slugify(cleaned.get("title", ""))[:80]
        if not slug:
            self.add_error("title", SLUG_NEEDED)
        elif slug in RESERVED_SLUGS:
            self.add_error("slug" if cleaned.get("slug") else "title", SLUG_RESERVED.format(slug=slug))
        elif Plan.objects.filter(slug=slug).exists():
            self.add_error("slug" if cleaned.get("slug") else "title", SLUG_TAKEN.format(slug=slug))
        cleaned["slug"] = slug
        return cleaned


class ColumnsForm(forms.Form):
    """One choice per column of the header row: which field it holds, or none."""

    def __init__(self, *args, mapping, sheet_names, sheet, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "Not imported")] + list(FIELD_LABELS.items())
        self.columns = []
        if len(sheet_names) > 1:
            self.fields["sheet"] = forms.ChoiceField(choices=[(name, name) for name in sheet_names], initial=sheet)
        for column in mapping.columns:
            if not column.header and not column.field:
                continue
            name = f"column_{column.letter}"
            self.fields[name] = forms.ChoiceField(
                label=f"Column {column.letter}", choices=choices, initial=column.field, required=False
            )
            self.columns.append((column, name))

    def rows(self):
        return [(column, self[name]) for column, name in self.columns]

    def clean(self):
        cleaned = super().clean()
        by_field = {}
        for column, name in self.columns:
            if cleaned.get(name):
                by_field.setdefault(cleaned[name], []).append(column.letter)
        for field_name, letters in by_field.items():
            if len(letters) > 1:
                self.add_error(
                    None,
                    SAME_FIELD_TWICE.format(
                        columns=", ".join(letters[:-1]) + " and " + letters[-1], field=FIELD_LABELS[field_name]
                    ),
                )
        return cleaned

    def choices(self):
        """{column letter: field} as the reader takes it."""
        return {column.letter: self.cleaned_data.get(name, "") for column, name in self.columns}


class ConfirmForm(forms.Form):
    remove_missing = forms.BooleanField(label="Also remove these actions from the plan", required=False)
