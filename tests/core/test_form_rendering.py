"""Every Django form renders in NHS.UK frontend markup (convene.core.forms.NHSFormRenderer).

The expected markup is NHS.UK frontend 10.6.1's own component examples
(node_modules/nhsuk-frontend/dist/nhsuk/components/*/fixtures.json) with
Django's ids: `id_<name>`, hint `id_<name>_helptext`, error `id_<name>_error`.
"""

from django import forms
from django.template import Context, Template
from pytest_django.asserts import assertHTMLEqual, assertInHTML


class ExampleForm(forms.Form):
    name = forms.CharField(
        label="Full name",
        max_length=20,
        help_text="As you would like it shown.",
        widget=forms.TextInput(attrs={"placeholder": "Jo Bloggs", "class": "nhsuk-u-width-full"}),
    )
    bio = forms.CharField(
        label="Short bio", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    kind = forms.ChoiceField(label="Kind", choices=[("", "Choose"), ("a", "Plenary")])
    agree = forms.BooleanField(label="I agree", help_text="You must agree.")
    topics = forms.MultipleChoiceField(
        label="Topics",
        choices=[("spread", "Spread"), ("equity", "Equity")],
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply.",
    )
    format = forms.ChoiceField(
        label="Format",
        choices=[("online", "Online"), ("hybrid", "Hybrid")],
        widget=forms.RadioSelect,
    )
    token = forms.CharField(widget=forms.HiddenInput)

    def clean(self):
        raise forms.ValidationError("These details do not work together.")


def bad_form() -> ExampleForm:
    form = ExampleForm(data={"name": "x" * 21, "bio": "Hello", "token": ""})
    assert not form.is_valid()
    return form


def test_text_input_renders_as_an_nhs_form_group_with_hint():
    html = ExampleForm()["name"].as_field_group()

    assertHTMLEqual(
        html,
        """
        <div class="nhsuk-form-group">
          <label class="nhsuk-label" for="id_name">Full name</label>
          <div class="nhsuk-hint" id="id_name_helptext">As you would like it shown.</div>
          <input type="text" name="name" class="nhsuk-input nhsuk-u-width-full" maxlength="20"
            required aria-describedby="id_name_helptext" id="id_name">
        </div>
        """,
    )


def test_text_input_with_an_error_has_the_error_message_classes_and_description():
    html = bad_form()["name"].as_field_group()

    assertHTMLEqual(
        html,
        """
        <div class="nhsuk-form-group nhsuk-form-group--error">
          <label class="nhsuk-label" for="id_name">Full name</label>
          <div class="nhsuk-hint" id="id_name_helptext">As you would like it shown.</div>
          <span class="nhsuk-error-message" id="id_name_error">
            <span class="nhsuk-u-visually-hidden">Error: </span>Ensure this value has at most 20
            characters (it has 21).
          </span>
          <input type="text" name="name" value="xxxxxxxxxxxxxxxxxxxxx"
            class="nhsuk-input nhsuk-u-width-full nhsuk-input--error" maxlength="20" required
            aria-invalid="true" aria-describedby="id_name_helptext id_name_error" id="id_name">
        </div>
        """,
    )


def test_optional_textarea_says_optional_and_uses_nhs_textarea():
    html = bad_form()["bio"].as_field_group()

    assertHTMLEqual(
        html,
        """
        <div class="nhsuk-form-group">
          <label class="nhsuk-label" for="id_bio">Short bio (optional)</label>
          <textarea name="bio" class="nhsuk-textarea" cols="40" rows="3"
            id="id_bio">Hello</textarea>
        </div>
        """,
    )


def test_select_with_an_error_uses_nhs_select_error_class():
    html = bad_form()["kind"].as_field_group()

    assertInHTML(
        '<select name="kind" class="nhsuk-select nhsuk-select--error" required aria-invalid="true"'
        ' aria-describedby="id_kind_error" id="id_kind">'
        '<option value="" selected>Choose</option><option value="a">Plenary</option></select>',
        html,
    )
    assert 'class="nhsuk-form-group nhsuk-form-group--error"' in html


def test_single_checkbox_is_an_nhs_checkbox_item_with_its_hint():
    html = ExampleForm()["agree"].as_field_group()

    assertHTMLEqual(
        html,
        """
        <div class="nhsuk-form-group">
          <div class="nhsuk-checkboxes" data-module="nhsuk-checkboxes">
            <div class="nhsuk-checkboxes__item">
              <input type="checkbox" name="agree" class="nhsuk-checkboxes__input" required
                aria-describedby="id_agree_helptext" id="id_agree">
              <label class="nhsuk-label nhsuk-checkboxes__label" for="id_agree">I agree</label>
              <div class="nhsuk-hint nhsuk-checkboxes__hint" id="id_agree_helptext">
                You must agree.
              </div>
            </div>
          </div>
        </div>
        """,
    )


def test_checkbox_choices_are_a_fieldset_of_nhs_checkboxes():
    html = bad_form()["topics"].as_field_group()

    assertHTMLEqual(
        html,
        """
        <div class="nhsuk-form-group nhsuk-form-group--error">
          <fieldset class="nhsuk-fieldset" aria-describedby="id_topics_helptext id_topics_error">
            <legend class="nhsuk-fieldset__legend">Topics</legend>
            <div class="nhsuk-hint" id="id_topics_helptext">Select all that apply.</div>
            <span class="nhsuk-error-message" id="id_topics_error">
              <span class="nhsuk-u-visually-hidden">Error: </span>This field is required.
            </span>
            <div class="nhsuk-checkboxes" id="id_topics" data-module="nhsuk-checkboxes">
              <div class="nhsuk-checkboxes__item">
                <input type="checkbox" name="topics" value="spread" class="nhsuk-checkboxes__input"
                  aria-invalid="true" id="id_topics_0">
                <label class="nhsuk-label nhsuk-checkboxes__label" for="id_topics_0">Spread</label>
              </div>
              <div class="nhsuk-checkboxes__item">
                <input type="checkbox" name="topics" value="equity" class="nhsuk-checkboxes__input"
                  aria-invalid="true" id="id_topics_1">
                <label class="nhsuk-label nhsuk-checkboxes__label" for="id_topics_1">Equity</label>
              </div>
            </div>
          </fieldset>
        </div>
        """,
    )


def test_radio_choices_are_nhs_radios():
    html = ExampleForm(initial={"format": "online"})["format"].as_field_group()

    assertInHTML(
        """
        <div class="nhsuk-radios__item">
          <input type="radio" name="format" value="online" class="nhsuk-radios__input" required
            id="id_format_0" checked>
          <label class="nhsuk-label nhsuk-radios__label" for="id_format_0">Online</label>
        </div>
        """,
        html,
    )
    assert '<legend class="nhsuk-fieldset__legend">' in html


def test_form_with_errors_starts_with_an_error_summary_linking_to_each_field():
    html = str(bad_form())

    assertInHTML(
        """
        <div class="nhsuk-error-summary" data-module="nhsuk-error-summary">
          <div role="alert">
            <h2 class="nhsuk-error-summary__heading">There is a problem</h2>
            <div class="nhsuk-error-summary__body">
              <ul class="nhsuk-list nhsuk-error-summary__list">
                <li>These details do not work together.</li>
                <li>
                  <a href="#id_name">Ensure this value has at most 20 characters (it has 21).</a>
                </li>
                <li><a href="#id_kind">This field is required.</a></li>
                <li><a href="#id_agree">This field is required.</a></li>
                <li><a href="#id_topics_0">This field is required.</a></li>
                <li><a href="#id_format_0">This field is required.</a></li>
                <li>This field is required.</li>
              </ul>
            </div>
          </div>
        </div>
        """,
        html,
    )
    assert html.index("nhsuk-error-summary") < html.index('<div class="nhsuk-form-group')
    assert '<input type="hidden" name="token" id="id_token">' in html
    assert "placeholder" not in html


def test_form_without_errors_has_no_error_summary():
    assert "nhsuk-error-summary" not in str(ExampleForm())


def test_error_summary_tag_puts_the_summary_at_the_top_of_the_page_once():
    template = Template(
        "{% load nhsuk_forms %}{% error_summary form %}<h1>Page</h1><form>{{ form }}</form>"
    )

    html = template.render(Context({"form": bad_form()}))

    assert html.count('class="nhsuk-error-summary"') == 1
    assert html.index("nhsuk-error-summary") < html.index("<h1>")


def test_error_summary_tag_renders_nothing_for_a_form_without_errors_or_no_form():
    template = Template("{% load nhsuk_forms %}{% error_summary form %}")

    assert template.render(Context({"form": ExampleForm()})) == ""
    assert template.render(Context({"form": forms.Form(data={})})) == ""
    assert template.render(Context({})) == ""


class OtherWidgetsForm(forms.Form):
    notes = forms.CharField(label="Notes", widget=forms.Textarea)
    slides = forms.FileField(label="Slides")
    starts = forms.SplitDateTimeField(label="Starts")
    tags = forms.MultipleChoiceField(label="Tags", choices=[], widget=forms.CheckboxSelectMultiple)
    born = forms.DateField(label="Born", widget=forms.SelectDateWidget(years=[2000]))


def test_other_widgets_get_their_own_error_markup():
    form = OtherWidgetsForm(data={})

    html = str(form)

    assert 'class="nhsuk-textarea nhsuk-textarea--error"' in html
    # File inputs and the parts of a split date and time have no error modifier.
    assertInHTML(
        '<input type="file" name="slides" class="nhsuk-file-upload__input" required'
        ' aria-invalid="true" aria-describedby="id_slides_error" id="id_slides">',
        html,
    )
    assert html.count('class="nhsuk-input"') == 2
    assertInHTML('<li><a href="#id_starts_0">This field is required.</a></li>', html)
    assertInHTML('<li><a href="#id_born_day">This field is required.</a></li>', html)
    assert '<select name="born_day" class="nhsuk-select"' in html  # day first in en-GB
    # A checkbox list with no options links its error to the list itself.
    assertInHTML('<li><a href="#id_tags">This field is required.</a></li>', html)


def test_fields_of_a_form_without_ids_link_errors_by_name():
    form = OtherWidgetsForm(data={}, auto_id=False)

    assertInHTML('<li><a href="#notes">This field is required.</a></li>', str(form))
