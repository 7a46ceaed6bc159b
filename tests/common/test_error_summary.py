"""{% error_summary %}: every mistake of a form, formset or upload listed with a link to its field."""

from django import forms
from django.template import Context, Template

from common.templatetags.error_summary import mistakes


class UpdateForm(forms.Form):
    status = forms.ChoiceField(choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect)
    commentary = forms.CharField(label="Commentary")

    def clean(self):
        raise forms.ValidationError("The action changed since you opened it.")


class FigureForm(forms.Form):
    value = forms.DecimalField(label="% seen in time")


def test_each_field_error_links_to_its_field_and_a_form_error_is_listed_without_a_link():
    form = UpdateForm(data={})
    form.is_valid()

    found = {(m.message, m.field_id) for m in mistakes(form)}

    assert ("The action changed since you opened it.", "") in found
    assert ("Commentary: This field is required.", "id_commentary") in found
    assert ("Status: This field is required.", "id_status_0") in found  # a radio group: its first choice


def test_a_formset_names_the_row_each_mistake_is_in():
    formset = forms.formset_factory(FigureForm, extra=0)(
        data={"form-TOTAL_FORMS": "2", "form-INITIAL_FORMS": "0", "form-0-value": "lots", "form-1-value": "3"}
    )
    formset.forms[0].error_summary_name = "Contacts decided in 24 hours"
    formset.is_valid()

    found = mistakes(formset)

    assert [(m.message, m.field_id) for m in found] == [
        ("Contacts decided in 24 hours: % seen in time: Enter a number.", "id_form-0-value")
    ]


def test_it_renders_a_focusable_alert_with_escaped_links():
    form = UpdateForm(data={"commentary": "x", "status": "a"})
    form.is_valid()
    html = Template("{% load error_summary %}{% error_summary form message=message field='workbook' %}").render(
        Context({"form": form, "message": "<b>report.xlsx</b> is not a workbook"})
    )

    assert 'role="alert"' in html and 'tabindex="-1"' in html and "autofocus" in html
    assert '<a href="#workbook">&lt;b&gt;report.xlsx&lt;/b&gt; is not a workbook</a>' in html


def test_nothing_is_drawn_when_there_is_no_mistake():
    form = FigureForm(data={"value": "3"})
    form.is_valid()

    assert Template("{% load error_summary %}{% error_summary form %}").render(Context({"form": form})).strip() == ""
